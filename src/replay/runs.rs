//! Several runs in one animation (`sgd-anim replay adam.csv sgd.csv`): their curves on one
//! shared step axis, each series carrying its run's name for the legend.

use super::{Curves, Replay, Series};
use crate::error::{Error, Field, Result};
use crate::run::{Run, Snapshot};

/// The runs `replays` (named `names`) as one replay of curves: the steps every run logged,
/// merged; a series a run did not log at a step is not logged there. Line fits are refused:
/// they replay one at a time.
pub fn merge_runs(replays: Vec<Replay>, names: &[String]) -> Result<Replay> {
    if let Some(k) = replays.iter().position(Replay::is_line) {
        return Err(Error::invalid(
            Field::ReplayLog,
            &names[k],
            "a log of curves: several runs are animated together by their curves; a line fit replays alone",
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
        assert!(e.to_string().contains("a line fit replays alone"), "{e}");
    }
}
