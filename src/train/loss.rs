//! The loss the post minimises, mean squared error, and its analytic gradient.

use super::Dataset;

/// Mean squared error of the line over the given points (all when `batch` is `None`).
#[must_use]
pub fn mse(data: &Dataset, (slope, intercept): (f64, f64), batch: Option<&[usize]>) -> f64 {
    let mut total = 0.0;
    let mut count = 0usize;
    for_each_point(data, batch, |x, y| {
        let e = slope * x + intercept - y;
        total += e * e;
        count += 1;
    });
    total / count as f64
}

/// The analytic gradient of [`mse`] with respect to (slope, intercept).
#[must_use]
pub fn gradient(data: &Dataset, (slope, intercept): (f64, f64), batch: Option<&[usize]>) -> (f64, f64) {
    let (mut g_slope, mut g_intercept) = (0.0, 0.0);
    let mut count = 0usize;
    for_each_point(data, batch, |x, y| {
        let e = slope * x + intercept - y;
        g_slope += 2.0 * e * x;
        g_intercept += 2.0 * e;
        count += 1;
    });
    (g_slope / count as f64, g_intercept / count as f64)
}

fn for_each_point(data: &Dataset, batch: Option<&[usize]>, mut f: impl FnMut(f64, f64)) {
    match batch {
        Some(indices) => indices.iter().for_each(|&i| f(data.x[i], data.y[i])),
        None => data.x.iter().zip(&data.y).for_each(|(&x, &y)| f(x, y)),
    }
}
