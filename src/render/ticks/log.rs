//! Log axes: matplotlib's `LogLocator` and `LogFormatterSciNotation`, base 10.

use super::linear::LinearLocator;
use super::{format_g, pow10, sorted, superscript, AxisSpace, MINUS_STR};

/// matplotlib's `LogLocator` (base 10): whole decades, every `stride`-th one when they are
/// more than the room allows; with `subs='auto'`, minor ticks at 2..9 x 10^k.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LogLocator {
    /// The most decade ticks to show (matplotlib's `numticks`).
    pub max_ticks: usize,
}

impl LogLocator {
    /// The locator for an axis with this much room: `numticks='auto'`, the tick space
    /// clipped to 2..=9.
    #[must_use]
    pub fn auto(space: &AxisSpace) -> Self {
        Self { max_ticks: space.tick_space().clamp(2, 9) }
    }

    /// Major (decade) tick values for the view `min..max`, including one just outside each
    /// end, as matplotlib's locator returns them. Empty unless both limits are positive and
    /// finite.
    #[must_use]
    pub fn major_values(&self, min: f64, max: f64) -> Vec<f64> {
        self.values(min, max, false)
    }

    /// Minor tick values (2..9 x 10^k) for the view `min..max`: none when fewer than every
    /// decade is ticked or 10 or more decades are in view; when the view holds at most one
    /// tick of either kind, matplotlib's linear `AutoLocator` ticks (nine intervals) instead.
    #[must_use]
    pub fn minor_values(&self, min: f64, max: f64) -> Vec<f64> {
        self.values(min, max, true)
    }

    /// `LogLocator.tick_values`, for `subs=(1.0,)` (major) or `subs='auto'` (minor).
    fn values(&self, min: f64, max: f64, minor: bool) -> Vec<f64> {
        let (vmin, vmax) = sorted(min, max);
        if !(vmin > 0.0 && vmax.is_finite()) {
            return vec![];
        }
        let (efmin, efmax) = (vmin.log10(), vmax.log10());
        let (emin, emax) = (efmin.ceil() as i64, efmax.floor() as i64);
        let n_avail = emax - emin + 1;
        if minor && n_avail >= 10 {
            return vec![];
        }
        let mut n_request = i64::try_from(self.max_ticks).unwrap_or(i64::MAX).clamp(1, 1 << 20);
        let mut stride = n_avail.div_euclid(n_request + 1) + 1;
        let ticks_at_stride = (n_avail + stride - 1).div_euclid(stride);
        if ticks_at_stride <= n_request {
            n_request = ticks_at_stride;
        }
        let decades: Vec<i64> = match n_request {
            0 => {
                stride = (emax + 1) - (emin - 1);
                vec![emin - 1, emax + 1]
            }
            1 => {
                let mid = ((efmin + efmax) / 2.0).round_ties_even() as i64;
                stride = (mid - (emin - 1)).max((emax + 1) - mid);
                vec![mid - stride, mid, mid + stride]
            }
            _ => {
                stride = ((n_avail - 1).div_euclid(n_request - 1)).max(1);
                if (stride as f64) < n_avail as f64 / n_request as f64 {
                    stride = n_avail.div_euclid(n_request).max(1);
                }
                let olo = (n_avail - stride * n_request).max(0);
                let ohi = (n_avail - stride * (n_request - 1)).min(stride);
                let mut offset = (-emin).rem_euclid(stride);
                if !(olo <= offset && offset < ohi) {
                    offset = olo;
                }
                let first = emin + offset - stride;
                (0..).map(|k| first + k * stride).take_while(|&d| d < emax + stride + 1).collect()
            }
        };
        if !minor {
            return decades.iter().map(|&d| pow10(d as f64)).collect();
        }
        if stride != 1 && n_avail > 1 {
            return vec![];
        }
        let ticks: Vec<f64> = ((emin - 1)..=emax)
            .flat_map(|d| {
                let decade = pow10(d as f64);
                (2..10).map(move |s| f64::from(s) * decade)
            })
            .collect();
        let inside = ticks.iter().filter(|&&t| vmin <= t && t <= vmax).count() as i64;
        if stride == 1 && decades.len() as i64 - 2 + inside <= 1 {
            // Too few ticks of either kind to read the axis: matplotlib falls back to linear.
            return LinearLocator { bins: 9, integer: false }.tick_values(vmin, vmax);
        }
        ticks
    }
}

/// Which minor ticks `LogFormatter` labels, from how much of the axis is in view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sublabels {
    /// Decades only.
    Decades,
    /// 1, 2, 3, 4 and 6 x 10^k (and 10).
    Some,
    /// Every whole multiple of 10^k.
    All,
}

/// matplotlib's `LogFormatterSciNotation` (base 10, default minor thresholds (1, 0.4)):
/// "10ⁿ" at decades; minor ticks are labelled ("2×10⁰") only when the view holds at most one
/// decade tick.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LogFormatter {
    sublabels: Sublabels,
}

impl LogFormatter {
    /// The formatter for a log axis showing `view` (either order).
    #[must_use]
    pub fn new(view: (f64, f64)) -> Self {
        let (vmin, vmax) = sorted(view.0, view.1);
        if vmin <= 0.0 {
            return Self { sublabels: Sublabels::Decades };
        }
        // `math.log(x, 10)`: ln x / ln 10, which is not always log10 x to the last bit.
        let (lmin, lmax) = (vmin.ln() / 10f64.ln(), vmax.ln() / 10f64.ln());
        let decade_ticks = lmax.floor() - lmin.next_down().floor();
        let decades = (lmax - lmin).abs();
        let sublabels = if decade_ticks > 1.0 {
            Sublabels::Decades
        } else if decades > 0.4 {
            Sublabels::Some
        } else {
            Sublabels::All
        };
        Self { sublabels }
    }

    /// The label for tick value `x` (positive): "10⁻³", "10⁰", "2×10¹", or empty for a minor
    /// tick matplotlib leaves unlabelled.
    #[must_use]
    pub fn label(&self, x: f64) -> String {
        if x == 0.0 {
            return "0".into();
        }
        let sign = if x < 0.0 { MINUS_STR } else { "" };
        let x = x.abs();
        let fx = x.ln() / 10f64.ln();
        let is_decade = is_close_to_int(fx);
        let exponent = if is_decade { fx.round_ties_even() } else { fx.floor() };
        let coefficient = pow10(fx - exponent).round_ties_even();
        let labelled = match self.sublabels {
            Sublabels::Decades => coefficient == 1.0,
            Sublabels::Some => [1.0, 2.0, 3.0, 4.0, 6.0, 10.0].contains(&coefficient),
            Sublabels::All => (1.0..=10.0).contains(&coefficient),
        };
        if !labelled {
            return String::new();
        }
        let power = |e: f64| superscript(e as i32);
        if is_decade {
            format!("{sign}10{}", power(exponent))
        } else {
            let mut coefficient = pow10(fx - exponent);
            if is_close_to_int(coefficient) {
                coefficient = coefficient.round_ties_even();
            }
            format!("{sign}{}×10{}", format_g(coefficient, 6).replace('-', MINUS_STR), power(exponent))
        }
    }
}

/// `math.isclose(x, round(x))`: within 1e-9 relative.
fn is_close_to_int(x: f64) -> bool {
    let r = x.round_ties_even();
    (x - r).abs() <= 1e-9 * x.abs().max(r.abs())
}
