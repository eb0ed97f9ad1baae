//! The ticks against matplotlib's own (tests/data/ticks.json, written by
//! `scripts/tick_labels.py`), and the edges matplotlib's cases do not reach.

use super::*;
use serde_json::Value;

/// The committed cases, or those in the file `TICKS_JSON` names (a wider random set the
/// script writes with `--random`).
fn cases() -> Vec<Value> {
    let committed = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/ticks.json");
    let path = std::env::var_os("TICKS_JSON").map_or(committed, std::path::PathBuf::from);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let data: Value = serde_json::from_str(&text).expect("ticks.json is JSON");
    data["cases"].as_array().expect("a list of cases").clone()
}

/// A value the script wrote as Python's repr: read with std's correctly rounded parser, it
/// is matplotlib's value to the bit.
fn number(v: &Value) -> f64 {
    v.as_str().and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("a number as a string, not {v}"))
}

/// matplotlib's ticks as (value, label as shown).
fn expected(ticks: &Value) -> Vec<(f64, String)> {
    ticks.as_array().unwrap().iter().map(|t| (number(&t[0]), t[2].as_str().unwrap().to_string())).collect()
}

/// Our ticks beside matplotlib's: the differences, or nothing. Values and labels must agree
/// exactly: same bits, same text.
fn compare(what: &str, ours: &[Tick], theirs: &[(f64, String)]) -> Vec<String> {
    let same_value = |a: f64, b: f64| a.to_bits() == b.to_bits();
    let agree = ours.len() == theirs.len()
        && ours.iter().zip(theirs).all(|(o, (v, l))| same_value(o.value, *v) && o.label == *l);
    if agree {
        vec![]
    } else {
        let ours: Vec<_> = ours.iter().map(|t| (t.value, t.label.as_str())).collect();
        vec![format!("{what}: ours {ours:?}\n    matplotlib's {theirs:?}")]
    }
}

#[test]
fn every_axis_matplotlib_drew_is_ticked_and_labelled_the_same() {
    let cases = cases();
    let mut ranges = std::collections::BTreeSet::new();
    let mut failures = vec![];
    for case in &cases {
        let (min, max) = (number(&case["min"]), number(&case["max"]));
        let scale = match case["scale"].as_str().unwrap() {
            "linear" => Scale::Linear,
            "integer" => Scale::Integer,
            "log" => Scale::Log,
            other => panic!("unknown scale {other}"),
        };
        ranges.insert((case["scale"].as_str().unwrap().to_string(), min.to_bits(), max.to_bits()));
        let space = AxisSpace {
            length_px: case["length_px"].as_f64().unwrap(),
            dpi: case["dpi"].as_f64().unwrap(),
            font_pt: case["font_pt"].as_f64().unwrap(),
            direction: if case["axis"] == "x" { Direction::Horizontal } else { Direction::Vertical },
        };
        let name = format!("{scale:?} {:?} {} px, {min}..{max}", space.direction, space.length_px);
        let mut problems = vec![];
        if space.tick_space() as u64 != case["tick_space"].as_u64().unwrap() {
            problems.push(format!("tick space {} (matplotlib {})", space.tick_space(), case["tick_space"]));
        }
        let ticks = axis_ticks(scale, min, max, &space);
        problems.extend(compare("major", &ticks.major, &expected(&case["major"])));
        problems.extend(compare("minor", &ticks.minor, &expected(&case["minor"])));
        let note = ticks.note.map(|n| (n.text(), n.math_text())).unwrap_or_default();
        let their_note =
            (case["offset"].as_str().unwrap().to_string(), case["offset_math"].as_str().unwrap().to_string());
        if note != their_note {
            problems.push(format!("note {note:?} (matplotlib {their_note:?})"));
        }
        if !problems.is_empty() {
            failures.push(format!("{name}:\n  {}", problems.join("\n  ")));
        }
    }
    assert!(cases.len() >= 200 && ranges.len() >= 30, "{} cases over {} ranges", cases.len(), ranges.len());
    assert!(
        failures.is_empty(),
        "{} of {} axes differ from matplotlib:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn python_floor_division_and_remainder() {
    // From CPython's divmod.
    for (a, b, q, r) in [
        (-2.5, 1.0, -3.0, 0.5),
        (7.0, -2.0, -4.0, -1.0),
        (1e-20, 0.1, 0.0, 1e-20),
        (0.3, 0.1, 2.0, 0.09999999999999998),
        (-1e-20, 0.1, -1.0, 0.1),
    ] {
        assert_eq!(py_divmod(a, b), (q, r), "divmod({a}, {b})");
    }
    assert!(py_divmod(-0.0, 1.0).0.is_sign_negative());
}

#[test]
fn percent_g_as_c_writes_it() {
    for (x, precision, text) in [
        (2.1000000000000005, 6, "2.1"),
        (1e-5, 6, "1e-05"),
        (123456789.0, 6, "1.23457e+08"),
        (1.0002, 10, "1.0002"),
        (0.0001, 6, "0.0001"),
        (3.0, 6, "3"),
    ] {
        assert_eq!(format_g(x, precision), text);
    }
    assert_eq!(superscript(-12), "⁻¹²");
    assert_eq!(superscript(305), "³⁰⁵");
}

#[test]
fn labels_use_a_true_minus_and_never_read_minus_zero() {
    let formatter = ScalarFormatter::new(&[-1.0, -0.5, 0.0, 0.5], (-1.0, 0.5));
    assert_eq!(formatter.label(-0.5), format!("{MINUS}0.5"));
    assert_eq!(formatter.decimals(), 1);
    assert_eq!(formatter.label(-0.0), "0.0");
    assert_eq!(formatter.label(-1e-12), "0.0");
    // A value that rounds to zero at the axis's decimals (matplotlib would write "−0.0").
    assert_eq!(formatter.label(-0.01), "0.0");
    assert!(ScalarFormatter::new(&[], (0.0, 1.0)).label(0.5).is_empty());
}

#[test]
fn integer_axes_tick_whole_numbers_while_two_fit() {
    for length in [60.0, 150.0, 496.0, 1500.0] {
        for max in [1.0, 2.0, 3.0, 7.0, 13.0, 100.0, 101.0, 1000.0] {
            let ticks = axis_ticks(Scale::Integer, 0.0, max, &AxisSpace::new(length, Direction::Horizontal));
            assert!(ticks.major.len() >= 2, "0..{max} at {length} px: {:?}", ticks.major);
            for tick in &ticks.major {
                assert_eq!(tick.value.fract(), 0.0, "0..{max} at {length} px");
                assert!(!tick.label.contains('.'), "0..{max}: {}", tick.label);
            }
        }
    }
}

#[test]
fn the_tick_count_follows_the_axis_length() {
    let count = |px| axis_ticks(Scale::Linear, 0.0, 100.0, &AxisSpace::new(px, Direction::Horizontal)).major.len();
    assert!(count(80.0) < count(200.0) && count(200.0) < count(600.0));
    for px in [20.0, 60.0, 150.0, 496.0, 1920.0] {
        // At most `bins` + 1 ticks, and never fewer than two.
        let space = AxisSpace::new(px, Direction::Vertical);
        let n = axis_ticks(Scale::Linear, -3.7, 12.9, &space).major.len();
        assert!((2..=LinearLocator::auto(&space).bins + 1).contains(&n), "{n} ticks at {px} px");
    }
    // 640x480 at 100 dpi, 10 pt labels: 496 px wide axes leave room for 11 labels.
    assert_eq!(AxisSpace::new(496.0, Direction::Horizontal).tick_space(), 11);
    assert_eq!(AxisSpace::new(0.0, Direction::Horizontal).tick_space(), 0);
    assert_eq!(AxisSpace::new(f64::NAN, Direction::Vertical).tick_space(), 0);
}

#[test]
fn odd_limits_give_some_ticks_or_none_but_never_panic() {
    let space = AxisSpace::new(300.0, Direction::Vertical);
    let odd = [
        (0.0, 0.0),
        (5.0, 5.0),
        (1.0, 0.0),
        (f64::NAN, 1.0),
        (f64::NEG_INFINITY, f64::INFINITY),
        (-f64::MAX, f64::MAX),
        (0.0, f64::MAX),
        (f64::MIN_POSITIVE, 2.0 * f64::MIN_POSITIVE),
        (1e300, 1e300 * (1.0 + 1e-15)),
        (-1.0, 1.0),
        (0.0, 5.0),
        (1e-320, 1e300),
    ];
    for (min, max) in odd {
        for scale in [Scale::Linear, Scale::Integer, Scale::Log] {
            let ticks = axis_ticks(scale, min, max, &space);
            assert!(ticks.major.len() <= 1000 && ticks.minor.len() <= 1000);
            for tick in ticks.major.iter().chain(&ticks.minor) {
                // A minus only before a digit that is not zero: never "−0", "−0.0".
                if let Some(digits) = tick.label.strip_prefix(MINUS) {
                    assert!(digits.chars().any(|c| ('1'..='9').contains(&c)), "{scale:?} {min}..{max}: {}", tick.label);
                }
                assert!(!tick.label.contains('-'), "{scale:?} {min}..{max}: {}", tick.label);
            }
        }
    }
    // Reversed limits give the same ticks, in increasing order.
    let up = axis_ticks(Scale::Linear, 0.0, 7.0, &space);
    assert_eq!(axis_ticks(Scale::Linear, 7.0, 0.0, &space), up);
    assert!(axis_ticks(Scale::Log, -1.0, 10.0, &space).major.is_empty());
}
