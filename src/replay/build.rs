//! A log's frames as a run: a line fit's (its points, a snapshot a frame, the loss computed
//! where not logged) or a log of curves' (its series, a run that diverges where they do).

use super::sink::{Seen, Table, INTERCEPT, LOSS, SLOPE};
use super::{Curves, LogFormat, ReadOptions, Replay, Series, MAX_FRAMES};
use crate::error::{Error, Field, Result};
use crate::format::python_float;
use crate::run::{
    mse, BatchSize, DataSource, Dataset, Run, Snapshot, TrainSettings, MAX_VALUE, TRAIN_POINTS_PER_SECOND,
    TRAIN_SECONDS_BUDGET,
};
use std::path::Path;

/// The frames as a run: a line fit's (with its points) or a curves-only log's.
pub(super) fn build(
    table: Table,
    format: LogFormat,
    data: Option<&DataSource>,
    name: &Path,
    options: &ReadOptions,
) -> Result<Replay> {
    let at = |line: usize, message: String| Error::Data { path: name.to_path_buf(), line, message };
    if table.overflow {
        let every = table.records.div_ceil(MAX_FRAMES - 1);
        return Err(Error::invalid(
            Field::ReplayEvery,
            options.every,
            format!(
                "the log has {} steps and an animation at most {MAX_FRAMES} frames; use {every} or more (one step \
                 kept in {every})",
                table.records
            ),
        ));
    }
    if table.records < 2 {
        let message = format!("need at least 2 steps to animate, found {}", table.records);
        return Err(at(table.last_line.max(1), message));
    }
    check_metrics(&table, options.metrics.as_deref(), &at)?;
    let label = label_of(name, &table);
    if table.line_run {
        line_run(table, format, data, label, options, &at)
    } else {
        curves_run(table, format, label, options.metrics.as_deref(), &at)
    }
}

/// What the caption calls a run whose log names no settings: the log's file name, and its
/// learning rate and batch size when they stay the same (a schedule's first and last rates).
fn label_of(name: &Path, table: &Table) -> Option<String> {
    if table.settings.is_some() {
        return None;
    }
    let mut label = table
        .run_name
        .clone()
        .unwrap_or_else(|| name.file_name().map_or_else(|| "replay".to_string(), |n| n.to_string_lossy().into_owned()));
    if label == "<stdin>" {
        label = "stdin".into();
    }
    if table.line_run {
        match table.lr {
            Seen::Always(lr) => label.push_str(&format!(" lr={}", python_float(lr))),
            Seen::Varies(a, b) => label.push_str(&format!(" lr={}\u{2192}{}", python_float(a), python_float(b))),
            Seen::Never => {}
        }
        if let Seen::Always(b) = table.batch_size {
            label.push_str(&format!(" bs={b}"));
        }
    }
    Some(label)
}

/// The series of `table` whose names pass `keep`, in the order `--metrics` names them (or
/// the log's), a series' `__MIN` and `__MAX` columns (W&B's) as its band.
fn series_of(table: &Table, keep: impl Fn(&str) -> bool, metrics: Option<&[String]>) -> Vec<Series> {
    let band_of = |name: &str| {
        let min = table.column(&format!("{name}__MIN"))?;
        let max = table.column(&format!("{name}__MAX"))?;
        Some([min.to_vec(), max.to_vec()])
    };
    let is_band = |name: &str| {
        ["__MIN", "__MAX"].iter().any(|end| name.strip_suffix(end).is_some_and(|base| table.column(base).is_some()))
    };
    let mut series: Vec<Series> = table
        .names
        .iter()
        .zip(&table.columns)
        .filter(|(n, _)| keep(n) && (metrics.is_some() || !is_band(n)))
        .map(|(name, values)| Series { name: name.clone(), values: values.clone(), band: band_of(name), run: None })
        .collect();
    if let Some(order) = metrics {
        series.sort_by_key(|s| order.iter().position(|m| *m == s.name));
    }
    series
}

/// Refuses `--metrics` naming a series the log does not have.
fn check_metrics(table: &Table, metrics: Option<&[String]>, at: &dyn Fn(usize, String) -> Error) -> Result<()> {
    let Some(missing) = metrics.and_then(|m| m.iter().find(|m| table.column(m).is_none())) else {
        return Ok(());
    };
    let found = table.seen.iter().map(|s| format!("'{}'", crate::error::cut(&crate::error::escape_controls(s, &[]))));
    Err(at(
        1,
        format!(
            "no metric '{}' (--metrics) in the log; it has {}",
            crate::error::cut(&crate::error::escape_controls(missing, &[])),
            found.collect::<Vec<_>>().join(", ")
        ),
    ))
}

/// Whether the logged losses are the data's MSE at the logged parameters, checked at up to 8
/// steps spread over the run.
fn logged_loss_is_mse(data: &Dataset, params: &[(f64, f64)], logged: &[Option<f64>]) -> bool {
    let finite: Vec<usize> = (0..params.len()).filter(|&k| logged[k].is_some_and(f64::is_finite)).collect();
    let picks = finite.len().min(8);
    (0..picks).all(|j| {
        let k = finite[j * (finite.len() - 1) / (picks - 1).max(1)];
        let (want, got) = (mse(data, params[k], None), logged[k].unwrap_or(f64::NAN));
        (want - got).abs() <= 1e-6 * want.abs().max(1e-12)
    })
}

/// A line fit: its points, a snapshot a frame, the loss where not logged.
fn line_run(
    table: Table,
    format: LogFormat,
    data: Option<&DataSource>,
    label: Option<String>,
    options: &ReadOptions,
    at: &dyn Fn(usize, String) -> Error,
) -> Result<Replay> {
    let points = line_points(&table, data, at)?;
    let params = line_params(&table, at)?;
    let start = params[0];
    let logged = table.column(LOSS).filter(|l| l.iter().any(Option::is_some));
    let n = points.len();
    let computed = logged.map_or(params.len(), |l| l.iter().filter(|v| v.is_none()).count());
    let seconds = ((computed + 8) * n) as f64 / TRAIN_POINTS_PER_SECOND;
    if seconds > TRAIN_SECONDS_BUDGET && !options.force {
        return Err(Error::OverBudget {
            field: Field::ReplayEvery,
            value: options.every.to_string(),
            estimate: format!(
                "computing the loss (MSE) of {computed} steps over {n} points would take about {seconds:.0} s; the \
                 budget is {TRAIN_SECONDS_BUDGET:.0} s. Keep fewer steps, or log the loss"
            )
            .into(),
        });
    }
    let loss_is_mse = format == LogFormat::Trace || logged.is_none_or(|l| logged_loss_is_mse(&points, &params, l));
    let losses = line_losses(&points, &params, logged, loss_is_mse);
    let snapshots = (0..params.len())
        .map(|k| Snapshot {
            step: table.steps[k],
            slope: params[k].0,
            intercept: params[k].1,
            loss: losses[k],
            batch: table.batches[k].clone(),
        })
        .collect();
    let settings = settings_of(&table, start, options.keep_batches);
    let series = series_of(&table, |n| n != SLOPE && n != INTERCEPT, options.metrics.as_deref());
    let curves = Curves { steps: table.steps.clone(), axis: table.axis.clone(), series, x: vec![] };
    Ok(Replay {
        format,
        run: Run { settings, snapshots },
        data: Some(points),
        curves,
        loss_is_mse,
        label,
        truth: table.truth,
        data_limits: format == LogFormat::Trace && !table.lesson_limits,
        forced: seconds > TRAIN_SECONDS_BUDGET,
        logged_steps: table.records,
        notes: vec![],
    })
}

/// A line fit's points: the log's own or the given data (one of them, not both), with every
/// logged batch index inside them.
fn line_points(table: &Table, data: Option<&DataSource>, at: &dyn Fn(usize, String) -> Error) -> Result<Dataset> {
    let points = match (&table.data, data) {
        (Some((_, line)), Some(_)) => {
            return Err(Error::invalid(
                Field::Data,
                "given",
                format!("none: the log holds its own points (line {line})"),
            ));
        }
        (Some((points, _)), None) => points.clone(),
        (None, Some(source)) => source.load()?,
        (None, None) => {
            return Err(Error::invalid(
                Field::Data,
                "none",
                "a CSV file of the points the run fitted: the log gives slope and intercept but no points \
                 (or put them on a first line {\"data\": {\"x\": [...], \"y\": [...]}})",
            ));
        }
    };
    let n = points.len();
    for (k, batch) in table.batches.iter().enumerate() {
        if let Some(&i) = batch.iter().flatten().find(|&&i| i >= n) {
            return Err(at(table.lines[k], format!("field 'batch': index {i} is past the data's {n} points")));
        }
    }
    Ok(points)
}

/// A line fit's (slope, intercept) a frame (NaN where not logged); the first must be finite
/// and in range, since the frames are laid out around it.
fn line_params(table: &Table, at: &dyn Fn(usize, String) -> Error) -> Result<Vec<(f64, f64)>> {
    let column = |name| table.column(name).unwrap_or(&[]);
    let value = |values: &[Option<f64>], k: usize| values.get(k).copied().flatten().unwrap_or(f64::NAN);
    let (slopes, intercepts) = (column(SLOPE), column(INTERCEPT));
    let params: Vec<(f64, f64)> = (0..table.steps.len()).map(|k| (value(slopes, k), value(intercepts, k))).collect();
    let start = params[0];
    for (field, v) in [(SLOPE, start.0), (INTERCEPT, start.1)] {
        if !(v.is_finite() && v.abs() <= MAX_VALUE) {
            let message = format!("field '{field}': the first step's must be a number within ±{MAX_VALUE:e}, the start the frames are laid out around");
            return Err(at(table.lines[0], message));
        }
    }
    Ok(params)
}

/// The loss of each frame: the logged MSE, or the MSE computed where not logged; a logged
/// loss of another kind (Huber...) shows its latest value at each step.
fn line_losses(points: &Dataset, params: &[(f64, f64)], logged: Option<&[Option<f64>]>, is_mse: bool) -> Vec<f64> {
    match logged {
        Some(l) if !is_mse => {
            let first = l.iter().flatten().next().copied().unwrap_or(f64::NAN);
            let mut last = first;
            l.iter()
                .map(|v| {
                    last = v.unwrap_or(last);
                    last
                })
                .collect()
        }
        _ => (0..params.len())
            .map(|k| logged.and_then(|l| l[k]).unwrap_or_else(|| mse(points, params[k], None)))
            .collect(),
    }
}

/// The run's settings: a trace's own, or what the log says (the learning rate and batch size
/// when they stay the same); the start and the last step from the frames.
fn settings_of(table: &Table, start: (f64, f64), keep_batches: bool) -> TrainSettings {
    let base = table.settings.clone().unwrap_or_else(|| TrainSettings {
        lr: match table.lr {
            Seen::Always(lr) => lr,
            _ => f64::NAN,
        },
        batch_size: match table.batch_size {
            Seen::Always(b) => BatchSize::Size(b),
            _ => BatchSize::Full,
        },
        seed: 0,
        ..TrainSettings::default()
    });
    TrainSettings { start, steps: table.steps.last().copied().unwrap_or(0), record_batches: keep_batches, ..base }
}

/// A log of metrics alone: its series, and a run of steps that diverges where a value is not finite.
fn curves_run(
    table: Table,
    format: LogFormat,
    label: Option<String>,
    metrics: Option<&[String]>,
    at: &dyn Fn(usize, String) -> Error,
) -> Result<Replay> {
    let series = series_of(&table, |_| true, metrics);
    if series.is_empty() {
        let found = if table.seen.is_empty() {
            "no fields".to_string()
        } else {
            table.seen.iter().map(|s| format!("'{}'", crate::error::cut(s))).collect::<Vec<_>>().join(", ")
        };
        return Err(at(
            1,
            format!(
                "nothing to animate: found {found}; a line fit needs 'slope' and 'intercept' (numbers), a log of \
                 curves at least one numeric column such as 'loss' (besides 'step' and 'epoch')"
            ),
        ));
    }
    let snapshots = (0..table.steps.len())
        .map(|k| {
            let finite = series.iter().all(|s| s.values[k].is_none_or(f64::is_finite));
            Snapshot {
                step: table.steps[k],
                slope: 0.0,
                intercept: 0.0,
                loss: if finite { 0.0 } else { f64::NAN },
                batch: None,
            }
        })
        .collect();
    let settings = TrainSettings { lr: f64::NAN, ..settings_of(&table, (0.0, 0.0), false) };
    Ok(Replay {
        format,
        run: Run { settings, snapshots },
        data: None,
        curves: Curves { steps: table.steps, axis: table.axis, series, x: vec![] },
        loss_is_mse: false,
        label,
        truth: None,
        data_limits: true,
        forced: false,
        logged_steps: table.records,
        notes: vec![],
    })
}
