//! `floor` and `round` without libm. On the baseline x86-64 target (no SSE4.1 `roundsd`),
//! `f64::floor` and `f64::round` are out-of-line calls into libm, and drawing makes one or two
//! for every pixel. These give the same `f64`, bit for bit, for every input: exact integer
//! arithmetic for the finite values of magnitude below 2^52 (where a truncating cast and back is
//! exact), the library call for the rest (NaN, infinities, values already whole).

/// Below this magnitude an `f64` can hold a fraction, and `x as i64 as f64` truncates it exactly.
const FRACTIONAL: f64 = 4_503_599_627_370_496.0; // 2^52

/// The same as [`f64::floor`], bit for bit.
#[inline]
#[must_use]
pub fn floor(x: f64) -> f64 {
    // NaN fails the comparison too.
    if x.abs() < FRACTIONAL {
        let t = x as i64 as f64;
        // `t` is `x` truncated toward zero; below zero a fraction takes it one down. The sign
        // of `x` on the result keeps -0.0 (`t` is +0.0 there) and changes no other value (a
        // floor has the sign of its input). A subtraction and a sign, not branches: drawing
        // floors a running sum at every pixel, where branches cost more than the arithmetic.
        (t - if t > x { 1.0 } else { 0.0 }).copysign(x)
    } else {
        x.floor()
    }
}

/// The same as [`f64::ceil`], bit for bit.
#[inline]
#[must_use]
pub fn ceil(x: f64) -> f64 {
    -floor(-x)
}

/// The same as [`f64::round`] (half away from zero), bit for bit.
#[inline]
#[must_use]
pub fn round(x: f64) -> f64 {
    if x.is_nan() || x.abs() >= FRACTIONAL {
        return x.round();
    }
    let t = x as i64 as f64;
    // `x - t` is exact: the fraction's bits are those of `x` below its units.
    let r = if (x - t).abs() >= 0.5 { t + 1.0_f64.copysign(x) } else { t };
    // The result keeps the sign of `x` (-0.3 rounds to -0.0).
    r.copysign(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(a: f64, b: f64) -> bool {
        a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
    }

    #[test]
    fn they_match_the_library_bit_for_bit() {
        let mut values = vec![
            0.0,
            -0.0,
            0.5,
            -0.5,
            1.5,
            -1.5,
            2.5,
            0.499_999_999_999_999_94,
            -0.499_999_999_999_999_94,
            0.999_999_999_999_999_9,
            FRACTIONAL - 0.5,
            -(FRACTIONAL - 0.5),
            FRACTIONAL,
            FRACTIONAL + 1.0,
            1e300,
            -1e300,
            f64::MIN_POSITIVE,
            -f64::MIN_POSITIVE,
            5e-324,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            f64::MAX,
            f64::MIN,
        ];
        // Every value a pixel's coverage sum takes (k / levels, k / 255), half-way points and
        // their neighbours, and a spread of others (an LCG, so the test is the same every run).
        for d in [2.0f64, 3.0, 4.0, 8.0, 16.0, 255.0] {
            for k in -600..600 {
                let v = f64::from(k) / d;
                values.extend([v, v + 0.5, v * 16.0 + 0.5, v.next_up(), v.next_down()]);
            }
        }
        let mut s = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..200_000 {
            s = s.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let bits = f64::from_bits(s);
            let scaled = (s >> 11) as f64 / (1u64 << 53) as f64 * 4000.0 - 2000.0;
            values.extend([bits, scaled]);
        }
        for v in values {
            assert!(same(floor(v), v.floor()), "floor({v:e}): {} vs {}", floor(v), v.floor());
            assert!(same(ceil(v), v.ceil()), "ceil({v:e}): {} vs {}", ceil(v), v.ceil());
            assert!(same(round(v), v.round()), "round({v:e}): {} vs {}", round(v), v.round());
        }
    }
}
