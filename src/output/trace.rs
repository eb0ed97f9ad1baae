//! The run as JSON (`--trace`): settings (their schema type, [`TraceSettings`], is the one
//! `replay` reads back), data and every step, one step a line. Non-finite numbers are null.

use super::json::to_line;
use crate::render::Limits;
use crate::run::{Dataset, Run, TraceSettings};
use serde::Serialize;

#[derive(Serialize)]
struct DataJson<'a> {
    /// The line the points were drawn from, when known (the parameter panel marks it).
    #[serde(skip_serializing_if = "Option::is_none")]
    truth: Option<[f64; 2]>,
    /// What the line panel's y axis covered, when it is not the data alone (the user's
    /// points, the default): `lesson`, the data and the start line (the lesson's own data).
    #[serde(skip_serializing_if = "Option::is_none")]
    limits: Option<&'static str>,
    x: &'a [f64],
    y: &'a [f64],
}

#[derive(Serialize)]
struct StepJson<'a> {
    step: usize,
    slope: f64,
    intercept: f64,
    loss: f64,
    batch: Option<&'a [usize]>,
}

/// The trace's `limits`, as `replay` reads it back: left out for the data alone, the default.
fn limits_name(limits: Limits) -> Option<&'static str> {
    match limits {
        Limits::Lesson => Some("lesson"),
        Limits::Data => None,
    }
}

/// Serialises a run and its data. `seed` is the user's seed (the run's sampling seed is
/// derived from it); `truth` the line the data was drawn from, when known, and `limits` what
/// the line panel's y axis covered (so a replay draws the data as the render did).
#[must_use]
pub fn trace_json(data: &Dataset, run: &Run, seed: u64, truth: Option<(f64, f64)>, limits: Limits) -> String {
    let settings = TraceSettings::of(run, seed);
    let steps: Vec<String> = run
        .snapshots
        .iter()
        .map(|snap| {
            to_line(&StepJson {
                step: snap.step,
                slope: snap.slope,
                intercept: snap.intercept,
                loss: snap.loss,
                batch: snap.batch.as_deref(),
            })
        })
        .collect();
    format!(
        "{{\"settings\": {},\n \"data\": {},\n \"steps\": [\n  {}\n ]}}\n",
        to_line(&settings),
        to_line(&DataJson { truth: truth.map(|(s, i)| [s, i]), limits: limits_name(limits), x: &data.x, y: &data.y }),
        steps.join(",\n  ")
    )
}
