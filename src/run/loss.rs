//! The loss the post minimises, mean squared error, and its analytic gradient.

use super::data::Dataset;

/// Training time above which a run (a grid: all its runs) is refused unless forced, in seconds.
pub const TRAIN_SECONDS_BUDGET: f64 = 60.0;
/// Points a second training streams through, for the estimate: one point of the full-data
/// loss, or of a full-batch gradient. Measured on a release build on a busy 2-core machine:
/// 3.1e8 with a million points (memory-bound), 1e9 with ten thousand (in cache); this is below both.
pub const TRAIN_POINTS_PER_SECOND: f64 = 2.5e8;

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
