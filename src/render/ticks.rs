//! Where an axis's ticks go and what their labels say, as matplotlib (3.11, default rcParams)
//! chooses them: pure functions of the view limits and the room the axis has, no drawing.
//!
//! What matplotlib does, and so what this module does:
//!
//! - **How many ticks:** `Axis.get_tick_space()` divides the axis length in points by three
//!   times the label font size (horizontal axes: labels are assumed at most 3:1 wide) or by
//!   twice it (vertical axes); the linear locator allows that many intervals, clipped to 1..=9,
//!   the log locator that many decades, clipped to 2..=9 ([`AxisSpace::tick_space`]).
//! - **Linear axes:** `AutoLocator`, a `MaxNLocator` with steps 1, 2, 2.5, 5 x 10^k: the
//!   smallest step that covers the view in the allowed intervals and still puts at least two
//!   ticks inside it ([`LinearLocator`]); with `integer=True` (our step axis) only whole steps.
//! - **Linear labels:** `ScalarFormatter` ([`ScalarFormatter`]): one decimal count for all
//!   labels, the fewest that tell the ticks apart ("0.25", "12", but also "1.0" next to "0.5");
//!   U+2212 for minus (`axes.unicode_minus`); an additive offset when the ticks share their
//!   leading digits and it saves at least 4 of them (`axes.formatter.useoffset`,
//!   `offset_threshold` 4), and a power-of-ten multiplier when the ticks' magnitude reaches
//!   10^-5 or 10^6 (`axes.formatter.limits` is (-5, 6): the exponents at the limits count).
//!   Both are written once, at the axis end ([`AxisNote`]: "1e−7+3.3" as matplotlib writes it
//!   by default, "×10⁻⁷+3.3" as it does with `use_mathtext`).
//! - **Log axes:** `LogLocator` ticks whole decades (every k-th one when they are too many
//!   for the room) and, where every decade is ticked and fewer than 10 are in view, minor ticks
//!   at 2..9 x 10^k ([`LogLocator`]); `LogFormatterSciNotation` labels the decades "10⁻³",
//!   "10⁰", "10¹" (matplotlib's `axes.formatter.min_exponent` is 0, so 1 and 10 are "10⁰" and
//!   "10¹" too) and leaves the minor ticks unlabelled, unless the view holds at most one
//!   decade tick: then it labels minor ticks at 2, 3, 4, 6 x 10^k ("2×10⁰"), or all of them
//!   when the view spans at most 0.4 decades ([`LogFormatter`]). That exception is
//!   matplotlib's and we keep it: with one decade in view, a log axis labelled "10¹" alone
//!   could not be read.
//!
//! The arithmetic is matplotlib's, operation for operation (Python's floor division, numpy's
//! rounding, `log10` here and `ln x / ln 10` there), so tick values agree to the last bit and
//! labels exactly. `scripts/tick_labels.py` records what matplotlib draws for 230 axes (52
//! ranges: linear, integer and log, at several lengths) into `tests/data/ticks.json`, and the
//! tests (`ticks/tests.rs`) check every value to the bit and every label to the character; its
//! `--random N` mode writes a wider one-off set for the same test (3000 random axes matched
//! when this was written).
//!
//! Where we differ from matplotlib:
//!
//! - Labels are plain Unicode, not mathtext: matplotlib's `$\mathdefault{10^{-3}}$` is our
//!   "10⁻³" (superscript digits, U+207B for the superscript minus), `2\times10^{0}` is "2×10⁰".
//! - A label that rounds to zero never reads "−0" (matplotlib could write "−0.00" for a tick
//!   that is not zero but rounds to it; its own ticks never are, so this changes nothing on
//!   the axes it draws).
//! - The view limits are taken as given: matplotlib widens an empty range (`set_xlim(3, 3)`)
//!   before locating ticks, and for log axes replaces a non-positive minimum by the smallest
//!   positive data value. Here the caller chooses the limits; a log axis whose limits are not
//!   both positive and finite gets no ticks.
//! - Only the defaults above are modelled: no `round_numbers` autolimit mode, no classic
//!   style, no locale, no symmetric or pruned locators, base 10 only.
#![cfg_attr(not(test), allow(dead_code))] // Parts the axes do not use yet (minor ticks, math text).

mod linear;
mod log;

pub use linear::{AxisNote, LinearLocator, ScalarFormatter};
pub use log::{LogFormatter, LogLocator};

/// The minus sign matplotlib writes in labels (`axes.unicode_minus`): U+2212, not a hyphen.
pub const MINUS: char = '\u{2212}';

/// [`MINUS`] as a string, for `str::replace`.
const MINUS_STR: &str = "\u{2212}";

/// Which way an axis runs: matplotlib assumes labels take up to three font sizes along a
/// horizontal axis and two along a vertical one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// An x axis: labels side by side.
    Horizontal,
    /// A y axis: labels stacked.
    Vertical,
}

/// The room an axis has for tick labels: its length and the labels' font size.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AxisSpace {
    /// Length of the axis (the plot area's width or height) in pixels.
    pub length_px: f64,
    /// Pixels per inch: 100 at matplotlib's default `figure.dpi` (a 640x480 figure).
    pub dpi: f64,
    /// Tick label font size in points: 10 by default (`xtick.labelsize` "medium" of
    /// `font.size` 10).
    pub font_pt: f64,
    /// Which way the axis runs.
    pub direction: Direction,
}

impl AxisSpace {
    /// An axis `length_px` long at matplotlib's defaults: 100 dpi, 10 pt labels.
    #[must_use]
    pub fn new(length_px: f64, direction: Direction) -> Self {
        Self { length_px, dpi: 100.0, font_pt: 10.0, direction }
    }

    /// How many ticks fit, as matplotlib's `Axis.get_tick_space()` estimates it: the length in
    /// points over 3 (horizontal) or 2 (vertical) font sizes, rounded down. Locators clip it.
    #[must_use]
    pub fn tick_space(&self) -> usize {
        let per_label = match self.direction {
            Direction::Horizontal => 3.0,
            Direction::Vertical => 2.0,
        } * self.font_pt;
        let fits = (self.length_px * 72.0 / self.dpi / per_label).floor();
        if fits.is_finite() && fits > 0.0 {
            // Saturating: an absurd length still means "room for all", which locators clip.
            fits.min(f64::from(u32::MAX)) as usize
        } else {
            0
        }
    }
}

/// How an axis maps values to positions, and so how it is ticked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    /// Evenly spaced ticks at 1, 2, 2.5, 5 x 10^k steps (matplotlib's `AutoLocator`).
    Linear,
    /// The same, but only whole-number ticks while at least two fit (matplotlib's
    /// `MaxNLocator(integer=True)`): for counts such as steps.
    Integer,
    /// Decades, with minor ticks at 2..9 x 10^k (matplotlib's `LogLocator`).
    Log,
}

/// One tick: where it goes and what it says.
#[derive(Clone, Debug, PartialEq)]
pub struct Tick {
    /// The tick's value, in data units.
    pub value: f64,
    /// Its label; empty for an unlabelled (minor) tick.
    pub label: String,
}

/// The ticks of one axis, inside its view limits, ready to draw.
#[derive(Clone, Debug, PartialEq)]
pub struct AxisTicks {
    /// Major ticks, in increasing order, with their labels.
    pub major: Vec<Tick>,
    /// Minor ticks (log axes only), in increasing order; most have an empty label.
    pub minor: Vec<Tick>,
    /// The offset or multiplier the labels are relative to, if any (linear axes only): drawn
    /// once at the end of the axis, as matplotlib does.
    pub note: Option<AxisNote>,
}

/// Ticks and labels for an axis showing `min..max` (either order), as matplotlib draws them.
///
/// Only ticks inside the limits are returned (with matplotlib's 1e-10 of the range as slack
/// for rounding), major and minor apart. A log axis needs positive, finite limits; otherwise
/// it gets no ticks.
#[must_use]
pub fn axis_ticks(scale: Scale, min: f64, max: f64, space: &AxisSpace) -> AxisTicks {
    match scale {
        Scale::Linear | Scale::Integer => {
            let locator = LinearLocator { bins: LinearLocator::auto(space).bins, integer: scale == Scale::Integer };
            let locations = locator.tick_values(min, max);
            let formatter = ScalarFormatter::new(&locations, (min, max));
            let major = visible(&locations, (min, max), |v| v)
                .map(|value| Tick { value, label: formatter.label(value) })
                .collect();
            AxisTicks { major, minor: vec![], note: formatter.note() }
        }
        Scale::Log => {
            let locator = LogLocator::auto(space);
            let formatter = LogFormatter::new((min, max));
            let majors = locator.major_values(min, max);
            let (lo, hi) = sorted(min.log10(), max.log10());
            // matplotlib drops minor ticks that land on a major one (np.isclose, log space).
            let tolerance = (hi - lo) * 1e-5;
            let minors: Vec<f64> = locator
                .minor_values(min, max)
                .into_iter()
                .filter(|m| !majors.iter().any(|j| (m.log10() - j.log10()).abs() <= tolerance))
                .collect();
            let tick = |value| Tick { value, label: formatter.label(value) };
            AxisTicks {
                major: visible(&majors, (min, max), f64::log10).map(tick).collect(),
                minor: visible(&minors, (min, max), f64::log10).map(tick).collect(),
                note: None,
            }
        }
    }
}

/// The locations inside the view, compared where they are drawn (after `transform`) with
/// 1e-10 of the range as slack: matplotlib's `_interval_contains_close`.
fn visible(locations: &[f64], view: (f64, f64), transform: fn(f64) -> f64) -> impl Iterator<Item = f64> + '_ {
    let (a, b) = sorted(transform(view.0), transform(view.1));
    let slack = (b - a) * 1e-10;
    locations.iter().copied().filter(move |&v| {
        let t = transform(v);
        a - slack <= t && t <= b + slack
    })
}

fn sorted(a: f64, b: f64) -> (f64, f64) {
    if b < a {
        (b, a)
    } else {
        (a, b)
    }
}

/// Python's float `divmod` (and numpy's `//`): the quotient rounded toward minus infinity and
/// a remainder with the divisor's sign, computed as `CPython` does so that ticks land on the
/// same bits.
fn py_divmod(a: f64, b: f64) -> (f64, f64) {
    let mut rem = a % b;
    let mut div = (a - rem) / b;
    if rem == 0.0 {
        rem = 0.0_f64.copysign(b);
    } else if (b < 0.0) != (rem < 0.0) {
        rem += b;
        div -= 1.0;
    }
    let floor_div = if div == 0.0 {
        0.0_f64.copysign(a / b)
    } else {
        let f = div.floor();
        if div - f > 0.5 {
            f + 1.0
        } else {
            f
        }
    };
    (floor_div, rem)
}

/// Python's `a // b` for floats.
fn py_floordiv(a: f64, b: f64) -> f64 {
    py_divmod(a, b).0
}

/// `10 ** x` as Python computes it for a float (or negative integer) exponent: C's `pow`.
fn pow10(x: f64) -> f64 {
    10f64.powf(x)
}

/// C's `%.{precision}g`: `precision` significant digits, fixed or exponent form by the
/// exponent, trailing zeros dropped.
fn format_g(x: f64, precision: usize) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    let precision = precision.max(1);
    let sci = format!("{:.*e}", precision - 1, x);
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let trim = |s: &str| {
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s.to_string()
        }
    };
    if -4 <= exponent && i64::from(exponent) < precision as i64 {
        let decimals = (precision as i64 - 1 - i64::from(exponent)).max(0) as usize;
        trim(&format!("{x:.decimals$}"))
    } else {
        let sign = if exponent < 0 { '-' } else { '+' };
        format!("{}e{sign}{:02}", trim(mantissa), exponent.abs())
    }
}

/// Superscript digits and minus (U+207B) for an exponent: -3 -> "⁻³".
fn superscript(n: i32) -> String {
    n.to_string()
        .chars()
        .map(|c| match c {
            '-' => '⁻',
            d => ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'][d.to_digit(10).unwrap_or(0) as usize],
        })
        .collect()
}

#[cfg(test)]
mod tests;
