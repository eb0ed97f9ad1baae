//! Several runs in one animation (`sgd-anim replay adam.csv sgd.csv`): their curves on one
//! shared step axis, each series carrying its run's name for the legend; line fits side by
//! side, a panel a run (`sgd-anim replay adam.jsonl sgd.jsonl`).

use super::{Curves, Replay, Series};
use crate::error::{Error, Field, Result};
use crate::run::{Dataset, Run, Snapshot};

/// The runs `replays` (named `names`) as one replay of curves: the steps every run logged,
/// merged; a series a run did not log at a step is not logged there. Line fits are refused:
/// they replay side by side (see [`side_by_side`]).
pub fn merge_runs(replays: Vec<Replay>, names: &[String]) -> Result<Replay> {
    refuse_mixed(&replays, names)?;
    if let Some(k) = replays.iter().position(Replay::is_line) {
        return Err(Error::invalid(
            Field::ReplayLog,
            &names[k],
            "a log of curves: line fits are not merged on one axis, they replay side by side",
        ));
    }
    let mut steps: Vec<usize> = replays.iter().flat_map(|r| r.curves.steps.iter().copied()).collect();
    steps.sort_unstable();
    steps.dedup();
    let mut series = vec![];
    let mut notes = vec![];
    for (replay, name) in replays.iter().zip(names) {
        let frame: Vec<usize> =
            replay.curves.steps.iter().map(|s| steps.binary_search(s).unwrap_or_default()).collect();
        let spread = |values: &[Option<f64>]| {
            let mut all = vec![None; steps.len()];
            for (k, v) in values.iter().enumerate() {
                all[frame[k]] = *v;
            }
            all
        };
        for s in &replay.curves.series {
            series.push(Series {
                name: s.name.clone(),
                values: spread(&s.values),
                band: s.band.as_ref().map(|[lo, hi]| [spread(lo), spread(hi)]),
                // A log folder of runs given among others: `logs/adam`.
                run: Some(s.run.as_ref().map_or_else(|| name.clone(), |run| format!("{name}/{run}"))),
            });
        }
        notes.extend(replay.notes.iter().map(|n| format!("{name}: {n}")));
    }
    let first =
        replays.into_iter().next().ok_or_else(|| Error::invalid(Field::ReplayLog, "none", "one log or more"))?;
    let snapshots = (0..steps.len())
        .map(|k| {
            let finite = series.iter().all(|s| s.values[k].is_none_or(f64::is_finite));
            let loss = if finite { 0.0 } else { f64::NAN };
            Snapshot { step: steps[k], slope: 0.0, intercept: 0.0, loss, batch: None }
        })
        .collect();
    let settings = first.run.settings.clone();
    let settings = crate::run::TrainSettings { steps: steps.last().copied().unwrap_or(0), ..settings };
    let logged_steps = steps.len();
    let axis = first.curves.axis.clone();
    Ok(Replay {
        run: Run { settings, snapshots },
        curves: Curves { steps, axis, series, x: vec![] },
        label: Some(names.join(" vs ")),
        logged_steps,
        notes,
        ..first
    })
}

/// Several line fits replayed side by side (`sgd-anim replay adam.jsonl sgd.jsonl`), a panel
/// each over the same points, stepping together: a frame per step any of them logged.
#[derive(Debug, Clone, PartialEq)]
pub struct SideBySide {
    /// What each panel's title calls its run (its log's name).
    pub names: Vec<String>,
    /// Every step a run logged (and kept), in order: a frame each.
    pub steps: Vec<usize>,
    /// Each run with a snapshot a frame: at a step it did not log, the snapshot it logged
    /// last before (its first, before it starts), so a run that stopped logging keeps its
    /// last line. A snapshot keeps its own step (a held one is earlier than its frame's).
    pub runs: Vec<Run>,
    /// The points every run was fitted to.
    pub data: Dataset,
    /// Whether the line panels' y axis covers the data alone (every log says so).
    pub data_limits: bool,
    /// Whether reading any log went past a work budget that only `force` lifts.
    pub forced: bool,
    /// What a reader should know, each note naming its run.
    pub notes: Vec<String>,
}

/// Refuses logs of two kinds (line fits and logs of curves) read together, naming two of them
/// (`names`: the logs as given): line fits are drawn side by side, a panel each, and logs of
/// curves on one axis, so one animation cannot show both.
pub(crate) fn refuse_mixed(replays: &[Replay], names: &[String]) -> Result<()> {
    let line = replays.iter().position(Replay::is_line);
    let curves = replays.iter().position(|r| !r.is_line());
    if let (Some(l), Some(c)) = (line, curves) {
        return Err(Error::invalid(
            Field::ReplayLog,
            format!("{}, {}", names[l], names[c]),
            format!(
                "logs of one kind: {} is a line fit (slope and intercept a step), {} a log of curves; \
                 line fits are drawn side by side and curves on one axis, so replay them apart",
                names[l], names[c]
            ),
        ));
    }
    Ok(())
}

/// The line fits `replays` side by side, their panels titled `names`: each run on every step
/// any of them logged. Their points must be the same: the panels share their axes (and one
/// palette), so their lines compare at a glance; runs on other points are other plots,
/// replayed apart. Errors name the logs by `files` (as given).
pub fn side_by_side(replays: Vec<Replay>, names: &[String], files: &[String]) -> Result<SideBySide> {
    refuse_mixed(&replays, files)?;
    let Some(data) = replays.first().and_then(|r| r.data.clone()) else {
        return Err(Error::invalid(Field::ReplayLog, "none", "one line fit or more"));
    };
    for (replay, name) in replays.iter().zip(files).skip(1) {
        if let Some(why) = replay.data.as_ref().and_then(|other| points_differ(&data, other)) {
            return Err(Error::invalid(
                Field::ReplayLog,
                name,
                format!(
                    "the points of {}: line fits side by side share their axes, so they must fit the same \
                     points, and {name} {why}; replay each alone",
                    files[0]
                ),
            ));
        }
    }
    let mut steps: Vec<usize> = replays.iter().flat_map(|r| r.run.snapshots.iter().map(|s| s.step)).collect();
    steps.sort_unstable();
    steps.dedup();
    let last = steps.last().copied().unwrap_or(0);
    let runs = replays
        .iter()
        .map(|r| {
            let mut at = 0;
            let snapshots = steps
                .iter()
                .map(|&step| {
                    while r.run.snapshots.get(at + 1).is_some_and(|s| s.step <= step) {
                        at += 1;
                    }
                    r.run.snapshots[at].clone()
                })
                .collect();
            Run { settings: crate::run::TrainSettings { steps: last, ..r.run.settings.clone() }, snapshots }
        })
        .collect();
    let notes = replays.iter().zip(names).flat_map(|(r, name)| r.notes.iter().map(move |n| format!("{name}: {n}")));
    Ok(SideBySide {
        names: names.to_vec(),
        steps,
        runs,
        data,
        data_limits: replays.iter().all(|r| r.data_limits),
        forced: replays.iter().any(|r| r.forced),
        notes: notes.collect(),
    })
}

/// How `other`'s points differ from `data`'s, if they do ("has 40 points, not 50").
fn points_differ(data: &Dataset, other: &Dataset) -> Option<String> {
    if other.len() != data.len() {
        return Some(format!("has {} points, not {}", other.len(), data.len()));
    }
    let pairs = |d: &Dataset| d.x.iter().copied().zip(d.y.iter().copied()).collect::<Vec<_>>();
    let (a, b) = (pairs(data), pairs(other));
    let k = a.iter().zip(&b).position(|(p, q)| p != q)?;
    Some(format!("has ({}, {}) for point {}, not ({}, {})", b[k].0, b[k].1, k + 1, a[k].0, a[k].1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::replay::{read_log_from, ReadOptions};
    use std::path::Path;

    fn read(text: &str) -> Replay {
        read_log_from(text.as_bytes(), Path::new("m.csv"), None, &ReadOptions::default()).unwrap()
    }

    #[test]
    fn runs_share_one_step_axis_and_name_their_series() {
        let a = read("step,loss\n0,2\n10,1\n");
        let b = read("step,loss,lr\n0,3,\n5,2,0.1\n10,inf,0.1\n");
        let r = merge_runs(vec![a, b], &["adam".into(), "sgd".into()]).unwrap();
        assert_eq!(r.curves.steps, [0, 5, 10]);
        let labels: Vec<String> = r.curves.series.iter().map(Series::label).collect();
        assert_eq!(labels, ["adam loss", "sgd loss", "sgd lr"]);
        assert_eq!(r.curves.series[0].values, [Some(2.0), None, Some(1.0)]);
        assert_eq!(r.curves.groups().len(), 2, "the losses share a panel");
        assert_eq!(r.run.diverged_at(), Some(10));
        assert_eq!(r.label.as_deref(), Some("adam vs sgd"));
        let line = read_log_from(
            "{\"data\": {\"x\": [0, 1], \"y\": [1, 2]}}\n{\"step\": 0, \"slope\": 0, \"intercept\": 0}\n{\"step\": 1, \"slope\": 1, \"intercept\": 1}\n".as_bytes(),
            Path::new("fit.jsonl"),
            None,
            &ReadOptions::default(),
        )
        .unwrap();
        let e = merge_runs(vec![read("step,loss\n0,2\n10,1\n"), line], &["a".into(), "fit".into()]).unwrap_err();
        assert!(e.to_string().contains("logs of one kind: fit is a line fit"), "{e}");
    }
}
