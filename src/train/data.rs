//! The points to fit: the post's synthetic data from a seed, or the user's own CSV.

use crate::error::{Error, Result};
use rand::{rngs::StdRng, Rng, SeedableRng};
use rand_distr::StandardNormal;
use std::path::{Path, PathBuf};

/// The most points a dataset may have.
pub const MAX_POINTS: usize = 1_000_000;

/// The largest magnitude a CSV value may have: squares and sums stay far from overflow.
pub const MAX_VALUE: f64 = 1e12;

/// How to draw the synthetic dataset: `y = slope * x + intercept + noise * N(0, 1)`, `x ~ U(-1, 1)`.
#[derive(Debug, Clone, PartialEq)]
pub struct DataSpec {
    /// Number of points (the post: 100).
    pub n: usize,
    /// True slope (the post: 3).
    pub slope: f64,
    /// True intercept (the post: 10).
    pub intercept: f64,
    /// Standard deviation of the noise (the post: 0.6).
    pub noise: f64,
    /// Seed of the data's random generator.
    pub seed: u64,
}

impl Default for DataSpec {
    fn default() -> Self {
        DataSpec { n: 100, slope: 3.0, intercept: 10.0, noise: 0.6, seed: 42 }
    }
}

/// Where the points come from.
#[derive(Debug, Clone, PartialEq)]
pub enum DataSource {
    /// The post's synthetic line with noise.
    Synthetic(DataSpec),
    /// The user's CSV file (columns x,y with a header).
    Csv(PathBuf),
}

impl Default for DataSource {
    fn default() -> Self {
        DataSource::Synthetic(DataSpec::default())
    }
}

impl DataSource {
    /// The (slope, intercept) the data was drawn from, when known.
    pub fn truth(&self) -> Option<(f64, f64)> {
        match self {
            DataSource::Synthetic(spec) => Some((spec.slope, spec.intercept)),
            DataSource::Csv(_) => None,
        }
    }

    /// Draws or reads the points.
    pub fn load(&self) -> Result<Dataset> {
        match self {
            DataSource::Synthetic(spec) => {
                spec.validate()?;
                Ok(Dataset::synthetic(spec))
            }
            DataSource::Csv(path) => Dataset::from_csv_file(path),
        }
    }
}

/// Checks the number of synthetic points.
fn points(n: usize) -> Result<()> {
    if (2..=MAX_POINTS).contains(&n) {
        Ok(())
    } else {
        Err(Error::invalid("--n", n, format!("between 2 and {MAX_POINTS}")))
    }
}

/// Checks the synthetic data's line and noise.
fn synthetic(spec: &DataSpec) -> Result<()> {
    let limit = MAX_VALUE;
    for (option, v) in [("--true-slope", spec.slope), ("--true-intercept", spec.intercept)] {
        if !(v.is_finite() && v.abs() <= limit) {
            return Err(Error::invalid(option, v, format!("a number within ±{limit:e}")));
        }
    }
    if !(spec.noise.is_finite() && (0.0..=limit).contains(&spec.noise)) {
        return Err(Error::invalid("--noise", spec.noise, "a standard deviation, 0 or more, such as 0.6"));
    }
    Ok(())
}

impl DataSpec {
    /// Checks the number of points, the line and the noise.
    pub fn validate(&self) -> Result<()> {
        points(self.n)?;
        synthetic(self)
    }
}

/// A set of (x, y) points.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    /// Inputs.
    pub x: Vec<f64>,
    /// Targets.
    pub y: Vec<f64>,
}

impl Dataset {
    /// The post's synthetic data, reproducible from `spec.seed`.
    pub fn synthetic(spec: &DataSpec) -> Dataset {
        let mut rng = StdRng::seed_from_u64(spec.seed);
        let x: Vec<f64> = (0..spec.n).map(|_| rng.random_range(-1.0..1.0)).collect();
        let y = x
            .iter()
            .map(|&xi| {
                let eps: f64 = rng.sample(StandardNormal);
                spec.slope * xi + spec.intercept + spec.noise * eps
            })
            .collect();
        Dataset { x, y }
    }

    /// Loads points from a CSV file with a header and columns `x,y`.
    pub fn from_csv_file(path: &Path) -> Result<Dataset> {
        let text = std::fs::read_to_string(path).map_err(|source| match source.kind() {
            std::io::ErrorKind::NotFound => Error::invalid("--data", path.display(), "an existing CSV file"),
            _ => Error::Io { action: "read", path: path.to_path_buf(), source },
        })?;
        Dataset::from_csv(&text).map_err(|(line, message)| Error::Data { path: path.to_path_buf(), line, message })
    }

    /// Parses CSV text (header `x,y`, then one point per line). Errors carry the 1-based line.
    pub fn from_csv(text: &str) -> std::result::Result<Dataset, (usize, String)> {
        // Excel's "CSV UTF-8" starts with a byte-order mark.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty());
        let (header_no, header) = lines.next().ok_or((1, "the file is empty; expected a header 'x,y'".to_string()))?;
        let columns: Vec<String> = header.split(',').map(|c| c.trim().to_ascii_lowercase()).collect();
        let xi = columns.iter().position(|c| c == "x");
        let yi = columns.iter().position(|c| c == "y");
        let (Some(xi), Some(yi)) = (xi, yi) else {
            return Err((header_no + 1, format!("expected a header naming columns 'x' and 'y', found '{header}'")));
        };
        let mut data = Dataset { x: vec![], y: vec![] };
        for (no, line) in lines {
            let fields: Vec<&str> = line.split(',').map(str::trim).collect();
            if fields.len() != columns.len() {
                return Err((no + 1, format!("expected {} fields, found {}", columns.len(), fields.len())));
            }
            let parse = |name: &str, s: &str| -> std::result::Result<f64, (usize, String)> {
                let v: f64 = s.parse().map_err(|_| (no + 1, format!("{name} value '{s}' is not a number")))?;
                if !v.is_finite() {
                    Err((no + 1, format!("{name} value '{s}' is not finite")))
                } else if v.abs() > MAX_VALUE {
                    Err((no + 1, format!("{name} value '{s}' is beyond ±{MAX_VALUE:e}; rescale the data")))
                } else {
                    Ok(v)
                }
            };
            if data.len() == MAX_POINTS {
                return Err((no + 1, format!("more than {} points", MAX_POINTS)));
            }
            data.x.push(parse("x", fields[xi])?);
            data.y.push(parse("y", fields[yi])?);
        }
        if data.len() < 2 {
            return Err((text.lines().count().max(1), format!("need at least 2 points, found {}", data.len())));
        }
        Ok(data)
    }

    /// Number of points.
    pub fn len(&self) -> usize {
        self.x.len()
    }

    /// Whether there are no points.
    pub fn is_empty(&self) -> bool {
        self.x.is_empty()
    }

    /// The ordinary least-squares line `(slope, intercept)`, the closed form GD converges to.
    /// `None` when all x are equal.
    pub fn least_squares(&self) -> Option<(f64, f64)> {
        let n = self.len() as f64;
        let mean_x = self.x.iter().sum::<f64>() / n;
        let mean_y = self.y.iter().sum::<f64>() / n;
        let (mut sxy, mut sxx) = (0.0, 0.0);
        for (x, y) in self.x.iter().zip(&self.y) {
            sxy += (x - mean_x) * (y - mean_y);
            sxx += (x - mean_x) * (x - mean_x);
        }
        if sxx == 0.0 {
            return None;
        }
        let slope = sxy / sxx;
        Some((slope, mean_y - slope * mean_x))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_data_and_post_shape() {
        let spec = DataSpec::default();
        let a = Dataset::synthetic(&spec);
        assert_eq!(a, Dataset::synthetic(&spec));
        assert_eq!(a.len(), 100);
        assert!(a.x.iter().all(|x| (-1.0..1.0).contains(x)));
        let (slope, intercept) = a.least_squares().unwrap();
        assert!((slope - 3.0).abs() < 0.5 && (intercept - 10.0).abs() < 0.3, "{slope} {intercept}");
        let other = Dataset::synthetic(&DataSpec { seed: 7, ..spec });
        assert_ne!(a, other);
    }

    #[test]
    fn csv_parses_and_reports_line_numbers() {
        let d = Dataset::from_csv("\u{feff}x,y\n1,2\n\n3,4.5\n").unwrap();
        assert_eq!(d.x, vec![1.0, 3.0]);
        assert_eq!(d.y, vec![2.0, 4.5]);
        let swapped = Dataset::from_csv("y,x\n1,2\n3,4\n").unwrap();
        assert_eq!(swapped.x, vec![2.0, 4.0]);
        assert_eq!(Dataset::from_csv("x,y\n1,2\n3,abc\n").unwrap_err().0, 3);
        assert_eq!(Dataset::from_csv("x,y\n1,2\n3\n").unwrap_err().0, 3);
        assert_eq!(Dataset::from_csv("x,y\n1,2\n3,inf\n").unwrap_err().0, 3);
        assert_eq!(Dataset::from_csv("x,y\n1,2\n3,4\n1e200,1\n").unwrap_err().0, 4);
        assert_eq!(Dataset::from_csv("a,b\n1,2\n").unwrap_err().0, 1);
        assert!(Dataset::from_csv("x,y\n1,2\n").is_err());
    }

    proptest::proptest! {
        /// Whatever the text, parsing returns points or a line-numbered error, never a panic.
        #[test]
        fn csv_parsing_never_panics(text in "(x,y\n)?([-0-9.eE,a-z ]{0,12}\n){0,6}") {
            match Dataset::from_csv(&text) {
                Ok(d) => proptest::prop_assert!(d.len() >= 2 && d.x.iter().chain(&d.y).all(|v| v.is_finite())),
                Err((line, _)) => proptest::prop_assert!(line >= 1 && line <= text.lines().count().max(1)),
            }
        }
    }

    #[test]
    fn least_squares_recovers_an_exact_line() {
        let d = Dataset { x: vec![0.0, 1.0, 2.0], y: vec![1.0, 3.0, 5.0] };
        assert_eq!(d.least_squares(), Some((2.0, 1.0)));
    }
}
