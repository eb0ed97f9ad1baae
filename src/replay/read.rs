//! Reading a log: a file, a folder (TensorBoard's, MLflow's, a folder of runs) or standard
//! input, its format told by its first bytes, its records into frames; then [`super::build`].

use super::build::build;
use super::sink::{self, Bad, Sink, Table, Thinning};
use super::{
    axis, csv, events, folder, json, lines, merge_runs, tfrecord, Failure, Hints, LogFormat, LogSource, ReadOptions,
    Replay, MAX_FRAMES, MAX_LINE_BYTES, MAX_LOG_BYTES,
};
use crate::error::{Error, Field, Result};
use crate::run::{open_regular, DataSource};
use std::io::Read;
use std::path::Path;

/// Reads a log and, for a line fit without points of its own, `data`.
pub fn read_log(source: &LogSource, data: Option<&DataSource>, options: &ReadOptions) -> Result<Replay> {
    match source {
        LogSource::File(path) if path.is_dir() => read_folder(path, data, options),
        LogSource::File(path) => {
            let open = || open_regular(path, Field::ReplayLog, "log file (a trace, JSON Lines or CSV)");
            match read_log_from(open()?, path, data, options) {
                // Hugging Face's epochs are fractional: the frames step on the steps, each at
                // its epoch.
                Err(Error::Data { message, .. }) if options.x.as_deref().is_some_and(|x| fractional(&message, x)) => {
                    let x = options.x.clone().unwrap_or_default();
                    let on_steps = ReadOptions { x: None, ..options.clone() };
                    read_log_as(open()?, path, data, &on_steps, Some(x))
                }
                other => other,
            }
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
        folder::Found::Runs(runs) => {
            let replays = runs.iter().map(|(_, path)| read_folder(path, data, options)).collect::<Result<Vec<_>>>()?;
            let names: Vec<String> = runs.into_iter().map(|(name, _)| name).collect();
            return merge_runs(replays, &names);
        }
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
        return Err(Error::invalid(Field::ReplayEvery, 0, "a whole number of steps, 1 or more (1: every step)"));
    }
    Ok(())
}

/// Whether `message` refuses the field `x` (`--x`) for not being a whole number.
fn fractional(message: &str, x: &str) -> bool {
    message.to_ascii_lowercase().contains(&format!("field '{}'", x.to_ascii_lowercase()))
        && message.contains(super::sink::NOT_WHOLE)
}

/// [`read_log`] from any reader; errors name the log `name`. `--x time` reads the log's clock
/// (the clock's column, in seconds from the first record).
pub fn read_log_from(
    reader: impl Read,
    name: &Path,
    data: Option<&DataSource>,
    options: &ReadOptions,
) -> Result<Replay> {
    match options.x.as_deref() {
        Some(x) if x.eq_ignore_ascii_case("time") => {
            read_log_as(reader, name, data, &ReadOptions { x: None, ..options.clone() }, Some("time".into()))
        }
        _ => read_log_as(reader, name, data, options, None),
    }
}

/// A log read with its frames on the finest step column, each placed on the axis `x` (its
/// column's latest value; seconds from the first record for `time`), which names the axis.
fn on_axis(mut replay: Replay, x: &str, name: &Path) -> Result<Replay> {
    let time = x.eq_ignore_ascii_case("time");
    let Some(i) = replay.curves.series.iter().position(|s| axis::is_x(x, &s.name)) else {
        let what = if time {
            "clock column (wall time, timestamp, time, runtime)".to_string()
        } else {
            format!("column '{}'", crate::error::cut(x))
        };
        return Err(Error::invalid(
            Field::ReplayX,
            x,
            format!("an axis the log has: {} holds no {what}", name.display()),
        ));
    };
    let column = replay.curves.series.remove(i);
    if replay.curves.series.is_empty() && !replay.is_line() {
        return Err(Error::invalid(
            Field::ReplayX,
            x,
            format!("an axis besides the metrics: {} has no other", column.name),
        ));
    }
    let mut last = column.values.iter().flatten().copied().find(|v| v.is_finite()).unwrap_or(0.0);
    let origin = if time { last } else { 0.0 };
    replay.curves.x = column
        .values
        .iter()
        .map(|v| {
            last = v.filter(|v| v.is_finite()).unwrap_or(last);
            last - origin
        })
        .collect();
    replay.curves.axis = if time { "time".into() } else { column.name };
    Ok(replay)
}

/// [`read_log_from`], the column of the axis `also` read too (see [`on_axis`]).
fn read_log_as(
    reader: impl Read,
    name: &Path,
    data: Option<&DataSource>,
    options: &ReadOptions,
    also: Option<String>,
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
    let hints = Hints { x: options.x.clone(), value_name, also: also.clone() };
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
    let replay = build(table, format, data, name, options)?;
    match also {
        Some(x) => on_axis(replay, &x, name),
        None => Ok(replay),
    }
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
    sink.also(hints.also.clone());
    if json {
        let reader = std::io::BufReader::with_capacity(1 << 16, whole);
        let (sink, trace) = json::read(reader, sink, MAX_LOG_BYTES, hints.x.as_deref())?;
        Ok((sink.finish(), if trace { LogFormat::Trace } else { LogFormat::JsonLines }))
    } else {
        Ok((csv::read(whole, sink, MAX_LOG_BYTES, hints)?.finish(), LogFormat::Csv))
    }
}
