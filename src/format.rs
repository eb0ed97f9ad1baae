//! Numbers as text: as Python spells floats (file names match the post's) and short forms for
//! captions and tables.

/// Formats a number as Python's `repr(float)` does (`0.1`, `1.0`, `1e-05`), so file names
/// and captions match the post's.
#[must_use]
pub fn python_float(v: f64) -> String {
    if v.is_nan() {
        return "nan".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "inf".into() } else { "-inf".into() };
    }
    let sci = format!("{v:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if v == 0.0 || (-4..16).contains(&exp) {
        let s = format!("{v}");
        if s.contains('.') {
            s
        } else {
            format!("{s}.0")
        }
    } else {
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{mantissa}e{sign}{:02}", exp.abs())
    }
}

/// A loss (or any magnitude) in at most a few significant digits.
#[must_use]
pub fn short_number(v: f64) -> String {
    if v == 0.0 {
        "0".into()
    } else if v.abs() >= 1e5 || v.abs() < 1e-3 {
        format!("{v:.2e}")
    } else {
        // Three significant digits: fewer glyphs change from frame to frame.
        let decimals = (2 - v.abs().max(1e-3).log10().floor() as i32).clamp(0, 5) as usize;
        format!("{v:.decimals$}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_numbers_keep_three_significant_digits() {
        for (v, s) in [
            (0.38751, "0.388"),
            (3.6612, "3.66"),
            (42.44, "42.4"),
            (4719.1, "4719"),
            (1.36e27, "1.36e27"),
            (0.0, "0"),
            (0.0012345, "0.00123"),
        ] {
            assert_eq!(short_number(v), s);
        }
    }

    #[test]
    fn floats_are_spelled_like_python() {
        for (v, s) in [
            (0.01, "0.01"),
            (0.1, "0.1"),
            (1.0, "1.0"),
            (10.0, "10.0"),
            (1e-5, "1e-05"),
            (0.0001, "0.0001"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (2.5e-7, "2.5e-07"),
            (0.3, "0.3"),
            (1e6, "1000000.0"),
        ] {
            assert_eq!(python_float(v), s);
        }
    }
}
