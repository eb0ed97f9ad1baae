//! Runs trained elsewhere (`PyTorch`, JAX, numpy) or by us, read back from their logs, so they
//! animate like our own: a [`Run`] when the log fits a line (slope and intercept a step), or
//! [`Curves`] when it logs only metrics (a loss, a validation loss, the learning rate...).
//!
//! Three formats, told apart by their first character (`{` or `[`: JSON), each streamed so
//! memory holds only the frames kept:
//! - our trace (`render --trace`): one object with `settings`, `data` and `steps`;
//! - JSON Lines: an object a step (`{"step": 0, "slope": -1.0, "intercept": 1.0, "loss": 84.8}`,
//!   optionally `batch` and `lr`, and any other numbers as metrics), the points optionally on a
//!   line of their own (`{"data": {"x": [...], "y": [...]}}`); a JSON array of such objects too;
//! - CSV with a header (`step,slope,intercept,loss`, or `step,loss,val_loss,lr`).
//!
//! A malformed line names its line and field; steps must increase (gaps are fine: the step
//! axis follows them); a non-finite slope, intercept or loss means the run diverged there, as
//! for our own runs. `schema/` describes the JSON formats.
//!
//! Inside the folder: sink (records to frames), json and csv (the formats).

mod axis;
mod csv;
mod events;
mod folder;
mod json;
mod lines;
mod python;
mod runs;
mod sink;
mod tfrecord;
mod trace;

#[doc(hidden)]
pub use events::simple_event;
#[doc(hidden)]
pub use tfrecord::frame as tfrecord_frame;

// The run model's curves, where this source's users find them.
pub use crate::run::{Curves, Series};
pub use lines::MAX_LINE_BYTES;
pub use runs::merge_runs;
pub use sink::{Bad, MAX_METRICS};

use crate::error::{Error, Result};
use crate::format::python_float;
use crate::run::{
    mse, open_regular, BatchSize, DataSource, Dataset, Run, Snapshot, TrainSettings, MAX_STEPS, MAX_VALUE,
    TRAIN_POINTS_PER_SECOND, TRAIN_SECONDS_BUDGET,
};
use sink::{Seen, Sink, Table, Thinning, INTERCEPT, LOSS, SLOPE};
use std::io::Read;
use std::path::{Path, PathBuf};

/// The most bytes of a log read before giving up, so an endless stream ends: a million steps
/// of a thousand bytes.
pub const MAX_LOG_BYTES: u64 = 1 << 30;

/// The most frames a replay keeps: as many as training may make (`MAX_STEPS` + 1).
pub const MAX_FRAMES: usize = MAX_STEPS + 1;

/// Where a log is read from.
#[derive(Debug, Clone, PartialEq)]
pub enum LogSource {
    /// A file.
    File(PathBuf),
    /// Standard input (`sgd-anim replay -`), with the same bounds as a file.
    Stdin,
}

impl LogSource {
    /// The file, if the log is one (an output must never overwrite it).
    #[must_use]
    pub fn file(&self) -> Option<&Path> {
        match self {
            LogSource::File(path) => Some(path),
            LogSource::Stdin => None,
        }
    }

    /// The name errors give the log.
    #[must_use]
    pub fn name(&self) -> PathBuf {
        match self {
            LogSource::File(path) => path.clone(),
            LogSource::Stdin => PathBuf::from("<stdin>"),
        }
    }
}

/// What a log was written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// Our trace (`render --trace`).
    Trace,
    /// JSON Lines, or a JSON array of step objects.
    JsonLines,
    /// CSV with a header.
    Csv,
    /// TensorBoard event files: one, or a folder of them.
    Events,
    /// An MLflow run folder.
    Mlflow,
}

/// How to read a log.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadOptions {
    /// Keep every `every`-th logged step (the first and the last always): a long log in fewer
    /// frames. Values logged by the steps left out show at the next step kept.
    pub every: usize,
    /// Keep each step's batch indices (`show_batch` needs them).
    pub keep_batches: bool,
    /// Go on even when computing the loss is above the work budget.
    pub force: bool,
    /// The series to draw, in order (`--metrics loss,val_loss`); clocks and bookkeeping are
    /// drawn when named. `None` (the default): every metric, in log order.
    pub metrics: Option<Vec<String>>,
    /// The column the steps come from (`--x epoch`), ignoring case; `step` means the finest
    /// step column. `None` (the default): the finest the log has (`step` before `epoch`).
    pub x: Option<String>,
    /// The name of a log's one unnamed series (TensorBoard's CSV calls it `Value`). `None`
    /// (the default): the log's file name without its extension.
    pub name: Option<String>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions { every: 1, keep_batches: true, force: false, metrics: None, x: None, name: None }
    }
}

/// What a format's reader needs to know of the options.
#[derive(Debug, Clone, Default)]
pub(crate) struct Hints {
    /// [`ReadOptions::x`].
    pub x: Option<String>,
    /// What a lone `Value` column is called.
    pub value_name: String,
}

/// A log, read back.
#[derive(Debug, Clone, PartialEq)]
pub struct Replay {
    /// How it was written.
    pub format: LogFormat,
    /// A snapshot per frame. A line fit's are its steps (the loss computed from the data where
    /// not logged); a curves-only log's carry only their step, and a loss that is NaN from
    /// the first step with a non-finite value (so the run reads as diverged there).
    pub run: Run,
    /// The points of a line fit; `None` for a curves-only log.
    pub data: Option<Dataset>,
    /// The logged series, a value per frame (a line fit's: besides slope and intercept).
    pub curves: Curves,
    /// Whether the run's loss is the data's MSE (computed, our trace's, or logged and equal to
    /// it): the loss panel is then render's; otherwise it draws the logged values.
    pub loss_is_mse: bool,
    /// What the caption calls the run; `None`: its settings say (a trace).
    pub label: Option<String>,
    /// The true line of the data, when the log says it.
    pub truth: Option<(f64, f64)>,
    /// Whether the line panel's y axis covers the data alone (the user's points fill the
    /// plot), as `render --data` draws it; false where the log says its data was drawn as the
    /// lesson's (a trace of `render` without `--data`: the data and the start line).
    pub data_limits: bool,
    /// Whether reading it went past a work budget that only [`ReadOptions::force`] lifts
    /// (computing the loss of many steps over many points).
    pub forced: bool,
    /// Steps the log holds (kept or not).
    pub logged_steps: usize,
    /// What a reader should know: values passed over (images, histograms), a damaged record
    /// after which an event file's values were not read.
    pub notes: Vec<String>,
}

impl Replay {
    /// Whether the log fits a line (slope and intercept a step).
    #[must_use]
    pub fn is_line(&self) -> bool {
        self.data.is_some()
    }
}

/// Why reading stopped.
#[derive(Debug)]
pub(crate) enum Failure {
    /// A problem on a line.
    Line(Bad),
    /// The log goes on past [`MAX_LOG_BYTES`]; reading stopped on this line.
    Over(usize),
    /// Reading failed.
    Io(std::io::Error),
}

/// Reads a log and, for a line fit without points of its own, `data`.
pub fn read_log(source: &LogSource, data: Option<&DataSource>, options: &ReadOptions) -> Result<Replay> {
    match source {
        LogSource::File(path) if path.is_dir() => read_folder(path, data, options),
        LogSource::File(path) => {
            let file = open_regular(path, "replay.log", "log file (a trace, JSON Lines or CSV)")?;
            read_log_from(file, path, data, options)
        }
        LogSource::Stdin => read_log_from(std::io::stdin().lock(), &source.name(), data, options),
    }
}

/// A run given as a folder (see [`folder`]).
fn read_folder(dir: &Path, data: Option<&DataSource>, options: &ReadOptions) -> Result<Replay> {
    check_every(options)?;
    let mut notes = vec![];
    let (scalars, format) = match folder::find(dir)? {
        folder::Found::File(path) => return read_log(&LogSource::File(path), data, options),
        folder::Found::Events(files) => (folder::read_events(&files, &mut notes)?, LogFormat::Events),
        folder::Found::Mlflow(metrics) => (folder::read_mlflow(&metrics)?, LogFormat::Mlflow),
    };
    let table = table_of_scalars(scalars, options, &mut notes).map_err(|bad| Error::Data {
        path: dir.to_path_buf(),
        line: bad.line,
        message: crate::error::escape_controls(&bad.message, &[]).into_owned(),
    })?;
    let mut replay = build(table, format, data, dir, options)?;
    replay.notes = notes;
    Ok(replay)
}

/// Scalars (an event file's, MLflow's) as frames: a record a step.
fn table_of_scalars(
    scalars: events::Scalars,
    options: &ReadOptions,
    notes: &mut Vec<String>,
) -> std::result::Result<Table, Bad> {
    let (names, points, skipped) = scalars.by_step();
    if !skipped.is_empty() {
        let each: Vec<String> = skipped.iter().map(|(kind, n)| format!("{n} {kind}")).collect();
        notes.push(format!("passed over (not scalars): {}", each.join(", ")));
    }
    let mut sink = Sink::new(Thinning { every: options.every, keep_batches: false, max_frames: MAX_FRAMES });
    sink.want(options.metrics.clone());
    sink.axis(sink::STEP);
    for name in &names {
        sink.saw(name);
    }
    for (k, group) in points.chunk_by(|a, b| a.0 == b.0).enumerate() {
        let values = group.iter().map(|&(_, series, v)| (names[series as usize].clone(), v)).collect();
        let step = usize::try_from(group[0].0).unwrap_or(usize::MAX);
        sink.push(sink::Record { line: k + 1, step: Some(step), values, ..sink::Record::default() })?;
    }
    Ok(sink.finish())
}

/// Refuses `every` 0.
fn check_every(options: &ReadOptions) -> Result<()> {
    if options.every == 0 {
        return Err(Error::invalid("replay.every", 0, "a whole number of steps, 1 or more (1: every step)"));
    }
    Ok(())
}

/// [`read_log`] from any reader; errors name the log `name`.
pub fn read_log_from(
    reader: impl Read,
    name: &Path,
    data: Option<&DataSource>,
    options: &ReadOptions,
) -> Result<Replay> {
    check_every(options)?;
    let mut reader = reader;
    let (prefix, json) = sniff(&mut reader).map_err(|failure| match failure {
        Failure::Io(source) => Error::Io { action: "read", path: name.to_path_buf(), source },
        other => Error::Data { path: name.to_path_buf(), line: 1, message: format!("{other:?}") },
    })?;
    let event_file = name.file_name().is_some_and(|n| n.to_string_lossy().contains("tfevents"));
    if event_file || tfrecord::is_tfrecord(&prefix) {
        let mut notes = vec![];
        let mut scalars = events::Scalars::default();
        folder::read_one(&mut scalars, std::io::Cursor::new(prefix).chain(reader), name, "", &mut notes)?;
        let table = table_of_scalars(scalars, options, &mut notes).map_err(|bad| Error::Data {
            path: name.to_path_buf(),
            line: bad.line,
            message: crate::error::escape_controls(&bad.message, &[]).into_owned(),
        })?;
        let mut replay = build(table, LogFormat::Events, data, name, options)?;
        replay.notes = notes;
        return Ok(replay);
    }
    let value_name = options.name.clone().unwrap_or_else(|| {
        let stem = name.file_stem().map_or("value".into(), |s| s.to_string_lossy().into_owned());
        if stem == "<stdin>" {
            "value".into()
        } else {
            stem
        }
    });
    let hints = Hints { x: options.x.clone(), value_name };
    let (table, format) = read_table(prefix, json, reader, options, &hints).map_err(|failure| match failure {
        // A message may quote the log (a field's name, a value): its control characters are
        // shown escaped, so a log cannot drive the terminal.
        Failure::Line(Bad { line, message }) => Error::Data {
            path: name.to_path_buf(),
            line,
            message: crate::error::escape_controls(&message, &[]).into_owned(),
        },
        Failure::Over(line) => Error::Data {
            path: name.to_path_buf(),
            line,
            message: format!(
                "the log goes on past {}, the most read; keep fewer of its lines",
                crate::run::size(MAX_LOG_BYTES)
            ),
        },
        Failure::Io(source) => match lines::too_long(&source) {
            Some(line) => Error::Data { path: name.to_path_buf(), line, message: source.to_string() },
            None => Error::Io { action: "read", path: name.to_path_buf(), source },
        },
    })?;
    build(table, format, data, name, options)
}

/// Reads the first bytes up to one that is not white space (or a byte-order mark): `{` or
/// `[` starts JSON, anything else CSV. Returns them (without the mark, for JSON) and the format.
fn sniff(reader: &mut impl Read) -> std::result::Result<(Vec<u8>, bool), Failure> {
    let mut prefix = vec![];
    let mut chunk = [0u8; 4096];
    while prefix.len() < 1 << 16 {
        let n = match reader.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Failure::Io(e)),
        };
        prefix.extend_from_slice(&chunk[..n]);
        let body = prefix.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&prefix);
        if let Some(&first) = body.iter().find(|b| !b.is_ascii_whitespace()) {
            let json = first == b'{' || first == b'[';
            if json && prefix.starts_with(b"\xef\xbb\xbf") {
                prefix.drain(..3);
            }
            return Ok((prefix, json));
        }
    }
    Ok((prefix, false))
}

/// The log's kept frames and what it said besides.
fn read_table(
    prefix: Vec<u8>,
    json: bool,
    reader: impl Read,
    options: &ReadOptions,
    hints: &Hints,
) -> std::result::Result<(Table, LogFormat), Failure> {
    let whole = lines::LineBound::new(std::io::Cursor::new(prefix).chain(reader), MAX_LINE_BYTES);
    let mut sink =
        Sink::new(Thinning { every: options.every, keep_batches: options.keep_batches, max_frames: MAX_FRAMES });
    sink.want(options.metrics.clone());
    if json {
        let reader = std::io::BufReader::with_capacity(1 << 16, whole);
        let (sink, trace) = json::read(reader, sink, MAX_LOG_BYTES, hints.x.as_deref())?;
        Ok((sink.finish(), if trace { LogFormat::Trace } else { LogFormat::JsonLines }))
    } else {
        Ok((csv::read(whole, sink, MAX_LOG_BYTES, hints)?.finish(), LogFormat::Csv))
    }
}

/// The frames as a run: a line fit's (with its points) or a curves-only log's.
fn build(
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
            "replay.every",
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
    let points = match (&table.data, data) {
        (Some((_, line)), Some(_)) => {
            return Err(Error::invalid("data", "given", format!("none: the log holds its own points (line {line})")));
        }
        (Some((points, _)), None) => points.clone(),
        (None, Some(source)) => source.load()?,
        (None, None) => {
            return Err(Error::invalid(
                "data",
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
    let logged = table.column(LOSS).filter(|l| l.iter().any(Option::is_some));
    let computed = logged.map_or(params.len(), |l| l.iter().filter(|v| v.is_none()).count());
    let seconds = ((computed + 8) * n) as f64 / TRAIN_POINTS_PER_SECOND;
    if seconds > TRAIN_SECONDS_BUDGET && !options.force {
        return Err(Error::OverBudget {
            field: "replay.every".into(),
            value: options.every.to_string(),
            estimate: format!(
                "computing the loss (MSE) of {computed} steps over {n} points would take about {seconds:.0} s; the \
                 budget is {TRAIN_SECONDS_BUDGET:.0} s. Keep fewer steps, or log the loss"
            ),
        });
    }
    let loss_is_mse = format == LogFormat::Trace || logged.is_none_or(|l| logged_loss_is_mse(&points, &params, l));
    let losses: Vec<f64> = match logged {
        Some(l) if !loss_is_mse => {
            // Another loss (Huber...): each step shows the latest logged value.
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
            .map(|k| logged.and_then(|l| l[k]).unwrap_or_else(|| mse(&points, params[k], None)))
            .collect(),
    };
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
    let curves = Curves { steps: table.steps.clone(), axis: table.axis.clone(), series };
    Ok(Replay {
        format,
        run: Run { settings, snapshots },
        data: Some(points),
        curves,
        loss_is_mse,
        label,
        truth: table.truth,
        data_limits: !table.lesson_limits,
        forced: seconds > TRAIN_SECONDS_BUDGET,
        logged_steps: table.records,
        notes: vec![],
    })
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
        curves: Curves { steps: table.steps, axis: table.axis, series },
        loss_is_mse: false,
        label,
        truth: None,
        data_limits: true,
        forced: false,
        logged_steps: table.records,
        notes: vec![],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn replay(text: &str, every: usize) -> Result<Replay> {
        read_log_from(text.as_bytes(), Path::new("run.jsonl"), None, &ReadOptions { every, ..Default::default() })
    }

    const DATA: &str = "{\"data\": {\"x\": [0, 1, 2], \"y\": [1, 3, 5]}}\n";

    #[test]
    fn a_line_log_becomes_a_run_with_the_loss_computed_where_not_logged() {
        let text = format!(
            "{DATA}{{\"step\": 0, \"slope\": 0, \"intercept\": 0, \"lr\": 0.1}}\n\
             {{\"step\": 10, \"slope\": 1, \"intercept\": 1, \"lr\": 0.1, \"loss\": 1.6666666666666667}}\n\
             {{\"step\": 20, \"slope\": 2, \"intercept\": 1, \"lr\": 0.1}}\n"
        );
        let r = replay(&text, 1).unwrap();
        assert!(r.is_line() && r.loss_is_mse, "the logged loss is the MSE");
        let steps: Vec<(usize, f64)> = r.run.snapshots.iter().map(|s| (s.step, s.loss)).collect();
        assert_eq!(steps, vec![(0, 35.0 / 3.0), (10, 1.6666666666666667), (20, 0.0)]);
        assert_eq!((r.run.settings.start, r.run.settings.steps, r.run.settings.lr), ((0.0, 0.0), 20, 0.1));
        assert_eq!(r.label.as_deref(), Some("run.jsonl lr=0.1"));
        assert_eq!(r.format, LogFormat::JsonLines);
        // Another loss (here half the MSE): kept as logged, and the loss panel draws it.
        let half = text.replace("1.6666666666666667", "0.8333333333333334");
        let r = replay(&half, 1).unwrap();
        assert!(!r.loss_is_mse);
        let losses: Vec<f64> = r.run.snapshots.iter().map(|s| s.loss).collect();
        assert_eq!(losses, vec![0.8333333333333334; 3], "held from the logged step");
    }

    #[test]
    fn a_metrics_log_becomes_curves_and_diverges_at_its_first_non_finite_value() {
        let text = "step,loss,val_loss,lr\n0,2.3,,0.1\n100,1.1,1.3,0.1\n200,nan,,0.01\n300,inf,2.0,0.01\n";
        let r = read_log_from(text.as_bytes(), Path::new("m.csv"), None, &ReadOptions::default()).unwrap();
        assert!(!r.is_line());
        assert_eq!(r.format, LogFormat::Csv);
        let names: Vec<&str> = r.curves.series.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["loss", "val_loss", "lr"]);
        assert_eq!(r.run.diverged_at(), Some(200));
        assert_eq!(r.label.as_deref(), Some("m.csv"));
    }

    #[test]
    fn what_a_log_lacks_is_said() {
        let message = |text: &str| replay(text, 1).unwrap_err().to_string();
        let nothing = message("{\"step\": 0, \"epoch\": 1, \"name\": \"a\"}\n{\"step\": 1}\n");
        assert!(nothing.contains("nothing to animate: found 'step', 'epoch', 'name'"), "{nothing}");
        let no_data =
            message("{\"step\": 0, \"slope\": 1, \"intercept\": 2}\n{\"step\": 1, \"slope\": 1, \"intercept\": 2}\n");
        assert!(no_data.contains("no points"), "{no_data}");
        assert!(message("{\"step\": 0, \"loss\": 1}\n").contains("run.jsonl:1: need at least 2 steps"));
        let start = message(&format!("{DATA}{{\"step\": 0, \"slope\": null, \"intercept\": 0}}\n{{\"step\": 1, \"slope\": 0, \"intercept\": 0}}\n"));
        assert!(start.starts_with("run.jsonl:2: field 'slope': the first step's"), "{start}");
        let batch = message(&format!("{DATA}{{\"step\": 0, \"slope\": 0, \"intercept\": 0, \"batch\": [0, 3]}}\n{{\"step\": 1, \"slope\": 0, \"intercept\": 0}}\n"));
        assert!(batch.starts_with("run.jsonl:2: field 'batch': index 3 is past the data's 3 points"), "{batch}");
        assert!(replay("{\"step\": 0, \"loss\": 1}\n{\"step\": 1, \"loss\": 1}\n", 0).is_err());
    }

    #[test]
    fn every_kth_step_is_kept_and_the_last() {
        let text = (0..10).map(|k| format!("{{\"step\": {k}, \"loss\": {}}}\n", 10 - k)).collect::<Vec<_>>().concat();
        let r = replay(&text, 4).unwrap();
        assert_eq!(r.curves.steps, vec![0, 4, 8, 9]);
        assert_eq!(r.logged_steps, 10);
    }
}
