//! Linear axes: matplotlib's `AutoLocator` (a `MaxNLocator`) and `ScalarFormatter`.

use super::{format_g, pow10, py_divmod, py_floordiv, sorted, superscript, AxisSpace, MINUS_STR};

/// matplotlib's `transforms._nonsingular`: widens an empty or non-finite range.
fn nonsingular(vmin: f64, vmax: f64, expander: f64, tiny: f64) -> (f64, f64) {
    if !vmin.is_finite() || !vmax.is_finite() {
        return (-expander, expander);
    }
    let (mut vmin, mut vmax) = sorted(vmin, vmax);
    let max_abs = vmin.abs().max(vmax.abs());
    if max_abs < (1e6 / tiny) * f64::MIN_POSITIVE {
        return (-expander, expander);
    }
    if vmax - vmin <= max_abs * tiny {
        if vmax == 0.0 && vmin == 0.0 {
            return (-expander, expander);
        }
        vmin -= expander * vmin.abs();
        vmax += expander * vmax.abs();
    }
    (vmin, vmax)
}

/// The most ticks a locator will make: more means the range or the step was absurd
/// (a range near `f64::MAX`), and it gives up rather than allocate without end.
const MAX_TICKS: f64 = 1000.0;

/// matplotlib's `AutoLocator`: a `MaxNLocator` with steps 1, 2, 2.5, 5 and 10 x 10^k, at most
/// `bins` intervals and at least two ticks inside the view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LinearLocator {
    /// The most intervals between ticks (matplotlib's `nbins`); ticks are one more.
    pub bins: usize,
    /// Whole-number ticks only, while at least two fit in the view (matplotlib's `integer`).
    pub integer: bool,
}

impl LinearLocator {
    /// The locator for an axis with this much room: `nbins='auto'`, the tick space clipped to
    /// 1..=9.
    #[must_use]
    pub fn auto(space: &AxisSpace) -> Self {
        Self { bins: space.tick_space().clamp(1, 9), integer: false }
    }

    /// Tick values for the view `min..max` (either order), in increasing order, including the
    /// ones just outside it that matplotlib's locator returns (the formatter sees them too).
    #[must_use]
    pub fn tick_values(&self, min: f64, max: f64) -> Vec<f64> {
        let (vmin, vmax) = nonsingular(min, max, 1e-13, 1e-14);
        self.raw_ticks(vmin, vmax)
    }

    /// `MaxNLocator._raw_ticks`, for `autolimit_mode` "data".
    fn raw_ticks(&self, vmin: f64, vmax: f64) -> Vec<f64> {
        const MIN_N_TICKS: f64 = 2.0;
        let bins = self.bins.max(1) as f64;
        let (scale, offset) = scale_range(vmin, vmax, bins);
        let (vmin, vmax) = (vmin - offset, vmax - offset);
        // The staircase of [1, 2, 2.5, 5, 10]: a tenth of each but the last, each, 10 x the second.
        let staircase = [0.1 * 1.0, 0.1 * 2.0, 0.1 * 2.5, 0.1 * 5.0, 1.0, 2.0, 2.5, 5.0, 10.0, 10.0 * 2.0];
        let steps: Vec<f64> = staircase
            .iter()
            .map(|s| s * scale)
            .filter(|&s| !self.integer || s < 1.0 || (s - s.round_ties_even()).abs() < 0.001)
            .collect();
        let raw_step = (vmax - vmin) / bins;
        // Empty only for a scale that is not finite (a range near f64::MAX).
        let Some(last) = steps.len().checked_sub(1) else { return vec![] };
        let first_large = steps.iter().position(|&s| s >= raw_step).unwrap_or(last);
        let mut ticks = vec![];
        for &candidate in steps[..=first_large].iter().rev() {
            let step = if self.integer && vmax.floor() - vmin.ceil() >= MIN_N_TICKS - 1.0 {
                candidate.max(1.0)
            } else {
                candidate
            };
            let best_vmin = py_floordiv(vmin, step) * step;
            let low = edge_le(vmin - best_vmin, step, offset);
            let high = edge_ge(vmax - best_vmin, step, offset);
            if !(low.is_finite() && high.is_finite() && high - low < MAX_TICKS) {
                return vec![];
            }
            ticks = (0..=((high - low) as usize)).map(|i| (low + i as f64) * step + best_vmin).collect();
            let inside = ticks.iter().filter(|&&t| vmin <= t && t <= vmax).count();
            if inside as f64 >= MIN_N_TICKS {
                break;
            }
        }
        ticks.iter().map(|t| t + offset).collect()
    }
}

/// matplotlib's `scale_range`: the power of ten of a step for `n` intervals, and an offset
/// (a power of ten) when the range sits far from zero.
fn scale_range(vmin: f64, vmax: f64, n: f64) -> (f64, f64) {
    let dv = (vmax - vmin).abs();
    let mean = (vmax + vmin) / 2.0;
    let offset = if mean.abs() / dv < 100.0 { 0.0 } else { pow10(py_floordiv(mean.abs().log10(), 1.0)).copysign(mean) };
    (pow10(py_floordiv((dv / n).log10(), 1.0)), offset)
}

/// `_Edge_integer.closeto`: more slack when the offset dwarfs the step.
fn edge_close(ms: f64, edge: f64, step: f64, offset: f64) -> bool {
    let offset = offset.abs();
    let tolerance = if offset > 0.0 {
        // Python's max(1e-10, t) then min(0.4999, t), which keep the bound when t is NaN.
        let t = pow10((offset / step).log10() - 12.0);
        let t = if t > 1e-10 { t } else { 1e-10 };
        if t < 0.4999 {
            t
        } else {
            0.4999
        }
    } else {
        1e-10
    };
    (ms - edge).abs() < tolerance
}

/// `_Edge_integer.le`: the largest n with n x step <= x.
fn edge_le(x: f64, step: f64, offset: f64) -> f64 {
    let (d, m) = py_divmod(x, step);
    if edge_close(m / step, 1.0, step, offset) {
        d + 1.0
    } else {
        d
    }
}

/// `_Edge_integer.ge`: the smallest n with n x step >= x.
fn edge_ge(x: f64, step: f64, offset: f64) -> f64 {
    let (d, m) = py_divmod(x, step);
    if edge_close(m / step, 0.0, step, offset) {
        d
    } else {
        d + 1.0
    }
}

/// What a linear axis's labels are relative to, written once at the axis end: a value is its
/// label x 10^`exponent` + `offset`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AxisNote {
    /// The power of ten the labels are scaled by (0: none).
    pub exponent: i32,
    /// The value added to the labels (0: none).
    pub offset: f64,
}

impl AxisNote {
    /// The note as matplotlib writes it by default: "1e−7", "+1e6", "1e−7+3.3", "−1e6",
    /// "+1.234e6".
    #[must_use]
    pub fn text(&self) -> String {
        let mut s = String::new();
        if self.exponent != 0 {
            s += &format!("1e{}", self.exponent);
        }
        if self.offset != 0.0 {
            if self.offset > 0.0 {
                s.push('+');
            }
            let (significand, e) = offset_parts(self.offset);
            s += &if e == 0 { significand } else { format!("{significand}e{e}") };
        }
        s.replace('-', MINUS_STR)
    }

    /// The note as matplotlib draws it with `axes.formatter.use_mathtext`, in Unicode:
    /// "×10⁻⁷", "+10⁶", "×10⁻⁷+3.3", "−1×10⁶", "+1.234×10⁶".
    #[must_use]
    pub fn math_text(&self) -> String {
        let mut s = String::new();
        if self.exponent != 0 {
            s += &format!("×10{}", superscript(self.exponent));
        }
        if self.offset != 0.0 {
            if self.offset > 0.0 {
                s.push('+');
            }
            let (significand, e) = offset_parts(self.offset);
            s += &match (e, significand.as_str()) {
                (0, _) => significand,
                (_, "1") => format!("10{}", superscript(e)),
                _ => format!("{significand}×10{}", superscript(e)),
            };
        }
        s.replace('-', MINUS_STR)
    }
}

/// `ScalarFormatter.format_data` in parts: the significand (to 10 significant digits, no
/// trailing zeros) and the power of ten.
fn offset_parts(value: f64) -> (String, i32) {
    let e = value.abs().log10().floor();
    let significand = round_decimals_python(value / pow10(e), 10);
    let text = if significand % 1.0 == 0.0 { format!("{significand:.0}") } else { format_g(significand, 10) };
    (text, e as i32)
}

/// Python's `round(x, decimals)`: the decimal string rounded to that many places, read back.
fn round_decimals_python(x: f64, decimals: usize) -> f64 {
    format!("{x:.decimals$}").parse().unwrap_or(x)
}

/// matplotlib's `ScalarFormatter` with its defaults, set up for one axis's ticks: one
/// decimal count for every label, an offset and a power-of-ten multiplier when they help.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScalarFormatter {
    offset: f64,
    exponent: i32,
    decimals: usize,
    empty: bool,
}

impl ScalarFormatter {
    /// The formatter for these tick locations (all the locator returned, those just outside
    /// the view too: matplotlib formats them all) on an axis showing `view` (either order).
    #[must_use]
    pub fn new(locations: &[f64], view: (f64, f64)) -> Self {
        if locations.is_empty() {
            return Self { offset: 0.0, exponent: 0, decimals: 0, empty: true };
        }
        let (vmin, vmax) = sorted(view.0, view.1);
        // The offset and the multiplier look at the visible ticks only (no slack).
        let shown: Vec<f64> = locations.iter().copied().filter(|&l| vmin <= l && l <= vmax).collect();
        let offset = compute_offset(&shown);
        let exponent = order_of_magnitude(&shown, offset, vmax - vmin);
        let decimals = decimals(locations, view, offset, exponent);
        Self { offset, exponent, decimals, empty: false }
    }

    /// The label for tick value `x`: "0.25", "12", "−3" (U+2212), never "−0".
    #[must_use]
    pub fn label(&self, x: f64) -> String {
        if self.empty {
            return String::new();
        }
        let mut scaled = (x - self.offset) / pow10(f64::from(self.exponent));
        if scaled.abs() < 1e-8 {
            scaled = 0.0;
        }
        let text = format!("{scaled:.*}", self.decimals);
        let text = if text.trim_start_matches('-').chars().all(|c| c == '0' || c == '.') {
            text.trim_start_matches('-').to_string()
        } else {
            text
        };
        text.replace('-', MINUS_STR)
    }

    /// Digits after the decimal point in every label.
    #[must_use]
    pub fn decimals(&self) -> usize {
        self.decimals
    }

    /// The offset and multiplier to write at the axis end, if the labels use either.
    #[must_use]
    pub fn note(&self) -> Option<AxisNote> {
        (!self.empty && (self.exponent != 0 || self.offset != 0.0))
            .then_some(AxisNote { exponent: self.exponent, offset: self.offset })
    }
}

/// `ScalarFormatter._compute_offset` (offset threshold 4): the leading digits all visible
/// ticks share, when they are at least four.
fn compute_offset(shown: &[f64]) -> f64 {
    let Some(lmin) = shown.iter().copied().reduce(f64::min) else { return 0.0 };
    let lmax = shown.iter().copied().fold(lmin, f64::max);
    if lmin == lmax || (lmin <= 0.0 && 0.0 <= lmax) {
        return 0.0;
    }
    let (abs_min, abs_max) = sorted(lmin.abs(), lmax.abs());
    let sign = 1f64.copysign(lmin);
    let oom_max = abs_max.log10().ceil();
    // The first power of ten, going down, at which the predicate holds (bounded: the
    // predicates hold by 10^-400 for any two different finite numbers).
    let first = |holds: &dyn Fn(f64) -> bool| (0..800).map(|k| oom_max - f64::from(k)).find(|&o| holds(o));
    let digits = |x: f64, o: f64| py_floordiv(x, pow10(o));
    let Some(mut oom) = first(&|o| digits(abs_min, o) != digits(abs_max, o)).map(|o| o + 1.0) else { return 0.0 };
    if (abs_max - abs_min) / pow10(oom) <= 1e-2 {
        // The ticks straddle a multiple of a large power of ten.
        match first(&|o| digits(abs_max, o) - digits(abs_min, o) > 1.0) {
            Some(o) => oom = o + 1.0,
            None => return 0.0,
        }
    }
    let leading = digits(abs_max, oom);
    if leading >= 1000.0 {
        sign * leading * pow10(oom)
    } else {
        0.0
    }
}

/// `ScalarFormatter._set_order_of_magnitude` with power limits (-5, 6).
fn order_of_magnitude(shown: &[f64], offset: f64, view_range: f64) -> i32 {
    let Some(largest) = shown.iter().map(|l| l.abs()).reduce(f64::max) else { return 0 };
    let oom = if offset != 0.0 {
        view_range.log10().floor()
    } else if largest == 0.0 {
        0.0
    } else {
        largest.log10().floor()
    };
    if oom <= -5.0 || oom >= 6.0 {
        oom as i32
    } else {
        0
    }
}

/// `ScalarFormatter._set_format`: the fewest decimals that show every tick to within a
/// thousandth of their range.
fn decimals(locations: &[f64], view: (f64, f64), offset: f64, exponent: i32) -> usize {
    let mut all = locations.to_vec();
    if locations.len() < 2 {
        all.extend([view.0, view.1]);
    }
    let scale = pow10(f64::from(exponent));
    let scaled: Vec<f64> = all.iter().map(|l| (l - offset) / scale).collect();
    let (lo, hi) = scaled.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| (lo.min(v), hi.max(v)));
    let mut range = hi - lo;
    if range == 0.0 {
        range = scaled.iter().fold(0.0, |m: f64, v| m.max(v.abs()));
    }
    if range == 0.0 {
        range = 1.0;
    }
    let scaled = &scaled[..locations.len()];
    let range_oom = range.log10().floor();
    if !range_oom.is_finite() {
        return 0;
    }
    let threshold = 1e-3 * pow10(range_oom);
    let mut sigfigs = (3.0 - range_oom).max(0.0) as i64;
    while sigfigs >= 0 {
        let places = numpy_power_of_ten(sigfigs as usize);
        let worst = scaled.iter().fold(0.0, |m: f64, &v| m.max((v - (v * places).round_ties_even() / places).abs()));
        if worst < threshold {
            sigfigs -= 1;
        } else {
            break;
        }
    }
    (sigfigs + 1) as usize
}

/// 10^n as numpy's `round` computes it: a table to 10^8, then repeated multiplication.
fn numpy_power_of_ten(n: usize) -> f64 {
    const TABLE: [f64; 9] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8];
    if n < 9 {
        TABLE[n]
    } else {
        (9..n).fold(1e9, |p, _| p * 10.0)
    }
}
