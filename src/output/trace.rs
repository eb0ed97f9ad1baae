//! The run as JSON (`--trace`): settings, data and every step. Non-finite numbers are null.

use crate::train::{BatchSize, Dataset, Optimizer, Run, Sampling};
use std::fmt::Write;

/// A number as JSON: shortest round-trip form, `null` when not finite.
pub(crate) fn num(v: f64) -> String {
    if v.is_finite() {
        format!("{v:?}")
    } else {
        "null".into()
    }
}

fn list(values: impl Iterator<Item = String>) -> String {
    let items: Vec<String> = values.collect();
    format!("[{}]", items.join(", "))
}

/// Serialises a run and its data. `seed` is the user's seed (the run's sampling seed is derived from it).
pub fn trace_json(data: &Dataset, run: &Run, seed: u64) -> String {
    let s = &run.settings;
    let batch_size = match s.batch_size {
        BatchSize::Full => "null".to_string(),
        BatchSize::Size(b) => b.to_string(),
    };
    let optimizer = match s.optimizer {
        Optimizer::Sgd => r#"{"name": "sgd"}"#.to_string(),
        Optimizer::Momentum { momentum } => {
            format!(r#"{{"name": "momentum", "momentum": {}}}"#, num(momentum))
        }
        Optimizer::Adam { beta1, beta2 } => {
            format!(r#"{{"name": "adam", "beta1": {}, "beta2": {}}}"#, num(beta1), num(beta2))
        }
    };
    let sampling = match s.sampling {
        Sampling::WithReplacement => "with-replacement",
        Sampling::Shuffle => "shuffle",
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{{\"settings\": {{\"lr\": {}, \"batch_size\": {batch_size}, \"steps\": {}, \"seed\": {seed}, \
         \"start\": [{}, {}], \"sampling\": \"{sampling}\", \"optimizer\": {optimizer}, \"diverged_at\": {}}},",
        num(s.lr),
        s.steps,
        num(s.start.0),
        num(s.start.1),
        run.diverged_at().map_or("null".into(), |k| k.to_string()),
    );
    let _ = writeln!(
        out,
        " \"data\": {{\"x\": {}, \"y\": {}}},",
        list(data.x.iter().map(|&v| num(v))),
        list(data.y.iter().map(|&v| num(v)))
    );
    out.push_str(" \"steps\": [\n");
    for (i, snap) in run.snapshots.iter().enumerate() {
        let batch = snap.batch.as_ref().map_or("null".into(), |b| list(b.iter().map(|i| i.to_string())));
        let _ = writeln!(
            out,
            "  {{\"step\": {}, \"slope\": {}, \"intercept\": {}, \"loss\": {}, \"batch\": {batch}}}{}",
            snap.step,
            num(snap.slope),
            num(snap.intercept),
            num(snap.loss),
            if i + 1 < run.snapshots.len() { "," } else { "" }
        );
    }
    out.push_str(" ]}\n");
    out
}
