//! `schema/`: the JSON Schema files of the trace and of a JSON Lines log, checked against what
//! we write (`render --trace`) and against the log in `tests/data/`, by a small validator of
//! the keywords they use (written here: no schema crate is needed offline).

use serde_json::Value;
use sgd_anim::internals::trace_json;
use sgd_anim::*;
use std::path::Path;

fn schema(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema").join(name);
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// Whether `value` is of the JSON Schema type `name` (an integer is a number without fraction).
fn is_type(value: &Value, name: &str) -> bool {
    match name {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "boolean" => value.is_boolean(),
        "null" => value.is_null(),
        "number" => value.is_number(),
        "integer" => value.is_u64() || value.is_i64() || value.as_f64().is_some_and(|v| v.fract() == 0.0),
        other => panic!("the validator does not know type '{other}'"),
    }
}

/// The problems of `value` against `schema` (whose `$ref`s point into `root`), each with its
/// path; empty when it is valid. Knows the keywords `schema/` uses and panics on any other.
fn problems(value: &Value, schema: &Value, root: &Value, path: &str) -> Vec<String> {
    let mut out = vec![];
    let Some(rules) = schema.as_object() else { return out };
    for (keyword, rule) in rules {
        let bad = |what: String| format!("{path}: {what}");
        match keyword.as_str() {
            "$schema" | "$id" | "title" | "description" | "$defs" => {}
            "$ref" => {
                let name = rule.as_str().and_then(|r| r.strip_prefix("#/$defs/")).expect("a local $ref");
                out.extend(problems(value, &root["$defs"][name], root, path));
            }
            "type" => {
                let names: Vec<&str> = match rule {
                    Value::String(s) => vec![s.as_str()],
                    other => other.as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect(),
                };
                if !names.iter().any(|n| is_type(value, n)) {
                    out.push(bad(format!("{value} is not of type {names:?}")));
                }
            }
            "enum" => {
                if !rule.as_array().unwrap().contains(value) {
                    out.push(bad(format!("{value} is not one of {rule}")));
                }
            }
            "required" => {
                for key in rule.as_array().unwrap().iter().map(|k| k.as_str().unwrap()) {
                    if value.as_object().is_some_and(|o| !o.contains_key(key)) {
                        out.push(bad(format!("'{key}' is missing")));
                    }
                }
            }
            "properties" => {
                for (key, sub) in rule.as_object().unwrap() {
                    if let Some(v) = value.get(key).filter(|_| value.is_object()) {
                        out.extend(problems(v, sub, root, &format!("{path}.{key}")));
                    }
                }
            }
            "additionalProperties" => {
                let known = schema.get("properties").and_then(Value::as_object);
                for (key, v) in value.as_object().into_iter().flatten() {
                    if known.is_some_and(|k| k.contains_key(key)) {
                        continue;
                    }
                    match rule {
                        Value::Bool(false) => out.push(bad(format!("'{key}' is not allowed"))),
                        Value::Bool(true) => {}
                        sub => out.extend(problems(v, sub, root, &format!("{path}.{key}"))),
                    }
                }
            }
            "items" => {
                for (i, v) in value.as_array().into_iter().flatten().enumerate() {
                    out.extend(problems(v, rule, root, &format!("{path}[{i}]")));
                }
            }
            "minItems" | "maxItems" => {
                let (n, limit) = (value.as_array().map(Vec::len), rule.as_u64().unwrap() as usize);
                if n.is_some_and(|n| if keyword == "minItems" { n < limit } else { n > limit }) {
                    out.push(bad(format!("{} items, {keyword} {limit}", n.unwrap_or(0))));
                }
            }
            "minimum" | "exclusiveMinimum" | "exclusiveMaximum" => {
                let (v, limit) = (value.as_f64(), rule.as_f64().unwrap());
                let fails = v.is_some_and(|v| match keyword.as_str() {
                    "minimum" => v < limit,
                    "exclusiveMinimum" => v <= limit,
                    _ => v >= limit,
                });
                if fails {
                    out.push(bad(format!("{value} breaks {keyword} {limit}")));
                }
            }
            "anyOf" => {
                let each: Vec<Vec<String>> =
                    rule.as_array().unwrap().iter().map(|s| problems(value, s, root, path)).collect();
                if each.iter().all(|p| !p.is_empty()) {
                    out.push(bad(format!("matches none of anyOf: {each:?}")));
                }
            }
            "not" => {
                if problems(value, rule, root, path).is_empty() {
                    out.push(bad(format!("matches {rule}, which it must not")));
                }
            }
            other => panic!("the validator does not know the keyword '{other}'"),
        }
    }
    out
}

fn check(value: &Value, schema: &Value) -> Vec<String> {
    problems(value, schema, schema, "$")
}

/// Our own traces fit the schema: every optimiser, batches and full batches, a diverged run
/// (nulls), with and without the true line.
#[test]
fn our_traces_fit_the_trace_schema() {
    let trace_schema = schema("trace.schema.json");
    let data = Dataset::synthetic(&DataSpec { n: 20, ..Default::default() });
    let momentum = Optimizer::Momentum { momentum: 0.9 };
    let adam = Optimizer::Adam { beta1: 0.9, beta2: 0.999 };
    for (lr, batch_size, optimizer, truth) in [
        (0.1, BatchSize::Full, Optimizer::Sgd, Some((3.0, 10.0))),
        (0.1, BatchSize::Size(4), momentum, None),
        (0.05, BatchSize::Size(8), adam, Some((3.0, 10.0))),
        (1e6, BatchSize::Full, Optimizer::Sgd, None),
    ]
    .into_iter()
    // Every optimiser the library has, at its defaults: a new one must fit the schema too.
    .chain(Optimizer::ALL.map(|o| (0.05, BatchSize::Size(4), o, None)))
    {
        let steps = if lr > 1.0 { 60 } else { 15 };
        let settings =
            TrainSettings { lr, batch_size, optimizer, steps, sampling: Sampling::Shuffle, ..Default::default() };
        let run = train(&data, &settings);
        let limits = if truth.is_some() { Limits::Lesson } else { Limits::Data };
        let text = trace_json(&data, &run, 42, truth, limits);
        let value: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(check(&value, &trace_schema), Vec::<String>::new(), "lr {lr}");
        if lr == 1e6 {
            assert!(text.contains("\"loss\": null"), "the diverged run writes nulls, and they fit");
        }
    }
    // The validator finds what is wrong.
    let run = train(&data, &TrainSettings { steps: 3, ..Default::default() });
    let mut value: Value = serde_json::from_str(&trace_json(&data, &run, 42, None, Limits::Data)).unwrap();
    value["steps"][1]["slope"] = Value::String("x".into());
    value["settings"]["sampling"] = Value::String("sorted".into());
    value.as_object_mut().unwrap().remove("data");
    value["extra"] = Value::Bool(true);
    let found = check(&value, &trace_schema);
    for expected in [
        "$.steps[1].slope: \"x\" is not of type",
        "$.settings.sampling: \"sorted\" is not one of",
        "$: 'data' is missing",
        "$: 'extra' is not allowed",
    ] {
        assert!(found.iter().any(|p| p.starts_with(expected)), "{expected}: {found:?}");
    }
}

/// Every line of the numpy log in tests/data fits the line schema; what replay refuses does not.
#[test]
fn json_lines_fit_the_log_line_schema() {
    let line_schema = schema("log-line.schema.json");
    let log = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/huber.jsonl")).unwrap();
    for (no, line) in log.lines().enumerate() {
        let value: Value = serde_json::from_str(line).unwrap();
        assert_eq!(check(&value, &line_schema), Vec::<String>::new(), "line {}", no + 1);
    }
    for good in [r#"{"step": 3, "loss": null, "val_loss": 0.4, "phase": "train"}"#, r#"{"loss": 1, "batch": 16}"#] {
        assert_eq!(check(&serde_json::from_str(good).unwrap(), &line_schema), Vec::<String>::new(), "{good}");
    }
    for bad in [
        r#"{"step": -1, "loss": 1}"#,
        r#"{"step": 1, "loss": "low"}"#,
        r#"{"step": 1, "batch": [0, -2]}"#,
        r#"{"data": {"x": [1, 2]}}"#,
        r#"{"data": {"x": [1, 2], "y": [1, 2]}, "step": 0}"#,
        r#"{"data": {"x": [1, 2], "y": [1, 2], "limits": "all"}}"#,
        "[1, 2]",
    ] {
        assert!(!check(&serde_json::from_str(bad).unwrap(), &line_schema).is_empty(), "{bad} was accepted");
    }
}
