//! Reading a log: a file, a folder (TensorBoard's, MLflow's, a folder of runs) or standard
//! input, its format told by its first bytes, its records into frames; then [`super::build`].

use super::build::build;
use super::scalars::{stream_scalars, table_of_scalars};
use super::sink::{Bad, Sink, Table, Thinning};
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
            match read_log_stopping(open()?, path, data, options, Some(path)) {
                // Hugging Face's epochs are fractional: the frames step on the steps, each at
                // its epoch. The first read stopped at the first fractional epoch.
                Err(Stop::NotWhole { field, .. })
                    if options.x.as_deref().is_some_and(|x| field.eq_ignore_ascii_case(x)) =>
                {
                    let x = options.x.clone().unwrap_or_default();
                    let on_steps = ReadOptions { x: None, ..options.clone() };
                    read_log_as(open()?, path, data, &on_steps, Some(x), Some(path)).map_err(Stop::into_error)
                }
                other => other.map_err(Stop::into_error),
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
        folder::Found::Events(files) if files.len() == 1 => {
            let (path, prefix) = &files[0];
            let file = open_regular(path, Field::ReplayLog, "TensorBoard event file")?;
            let reader = std::io::BufReader::with_capacity(1 << 20, file);
            let table = events_table(reader, path, prefix, Some(path), dir, options, &mut notes)?;
            let mut replay = build(table, LogFormat::Events, data, dir, options)?;
            replay.notes = notes;
            return Ok(replay);
        }
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

/// The frames of the event stream `reader` (the file `name`, its series named `prefix` +
/// tag), streamed a step at a time; when a step goes back, the file is read again from
/// `again` and sorted, and a stream that cannot be read again is gathered and sorted at once.
/// The sink's refusals name `label`.
fn events_table(
    reader: impl Read,
    name: &Path,
    prefix: &str,
    again: Option<&Path>,
    label: &Path,
    options: &ReadOptions,
    notes: &mut Vec<String>,
) -> Result<Table> {
    let refused = |bad: Bad| Error::Data {
        path: label.to_path_buf(),
        line: bad.line,
        message: crate::error::escape_controls(&bad.message, &[]).into_owned(),
    };
    let Some(path) = again else {
        return gathered(reader, name, prefix, options, notes)?.map_err(refused);
    };
    if let Some(table) = stream_scalars(reader, name, prefix, options, notes)? {
        return table.map_err(refused);
    }
    let file = open_regular(path, Field::ReplayLog, "TensorBoard event file")?;
    gathered(std::io::BufReader::with_capacity(1 << 20, file), name, prefix, options, notes)?.map_err(refused)
}

/// An event stream's scalars gathered, then sorted by step into frames.
fn gathered(
    reader: impl Read,
    name: &Path,
    prefix: &str,
    options: &ReadOptions,
    notes: &mut Vec<String>,
) -> Result<std::result::Result<Table, Bad>> {
    let mut scalars = events::Scalars::default();
    folder::read_one(&mut scalars, reader, name, prefix, notes)?;
    Ok(table_of_scalars(scalars, options, notes))
}

/// Refuses `every` 0.
fn check_every(options: &ReadOptions) -> Result<()> {
    if options.every == 0 {
        return Err(Error::invalid(Field::ReplayEvery, 0, "a whole number of steps, 1 or more (1: every step)"));
    }
    Ok(())
}

/// Why [`read_log_as`] stopped.
#[derive(Debug)]
enum Stop {
    /// The error to give.
    Error(Error),
    /// A step of the step axis' field `field` is not a whole number (the error says which):
    /// a log read on an axis `--x` names may be read again on its steps.
    NotWhole { field: String, error: Error },
}

impl Stop {
    fn into_error(self) -> Error {
        match self {
            Stop::Error(error) | Stop::NotWhole { error, .. } => error,
        }
    }
}

impl From<Error> for Stop {
    fn from(error: Error) -> Self {
        Stop::Error(error)
    }
}

/// [`read_log`] from any reader; errors name the log `name`. `--x time` reads the log's clock
/// (the clock's column, in seconds from the first record).
pub fn read_log_from(
    reader: impl Read,
    name: &Path,
    data: Option<&DataSource>,
    options: &ReadOptions,
) -> Result<Replay> {
    read_log_stopping(reader, name, data, options, None).map_err(Stop::into_error)
}

/// [`read_log_from`], saying when the step axis is not whole numbers; `again` is the file
/// `reader` reads, when it can be opened again.
fn read_log_stopping(
    reader: impl Read,
    name: &Path,
    data: Option<&DataSource>,
    options: &ReadOptions,
    again: Option<&Path>,
) -> std::result::Result<Replay, Stop> {
    match options.x.as_deref() {
        Some(x) if x.eq_ignore_ascii_case("time") => {
            read_log_as(reader, name, data, &ReadOptions { x: None, ..options.clone() }, Some("time".into()), again)
        }
        _ => read_log_as(reader, name, data, options, None, again),
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
    again: Option<&Path>,
) -> std::result::Result<Replay, Stop> {
    check_every(options)?;
    let mut reader = reader;
    let (prefix, json) = sniff(&mut reader).map_err(|failure| match failure {
        Failure::Io(source) => Error::Io { action: "read", path: name.to_path_buf(), source },
        other => Error::Data { path: name.to_path_buf(), line: 1, message: format!("{other:?}") },
    })?;
    let event_file = name.file_name().is_some_and(|n| n.to_string_lossy().contains("tfevents"));
    if event_file || tfrecord::is_tfrecord(&prefix) {
        let mut notes = vec![];
        let stream = std::io::Cursor::new(prefix).chain(reader);
        let table = events_table(stream, name, "", again, name, options, &mut notes)?;
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
    let data_error = |Bad { line, message }: Bad| Error::Data {
        path: name.to_path_buf(),
        line,
        // A message may quote the log (a field's name, a value): its control characters are
        // shown escaped, so a log cannot drive the terminal.
        message: crate::error::escape_controls(&message, &[]).into_owned(),
    };
    let (table, format) = read_table(prefix, json, reader, options, &hints).map_err(|failure| match failure {
        Failure::Line(bad) => Stop::Error(data_error(bad)),
        Failure::NotWhole(bad, field) => Stop::NotWhole { field, error: data_error(bad) },
        Failure::Over(line) => Stop::Error(Error::Data {
            path: name.to_path_buf(),
            line,
            message: format!(
                "the log goes on past {}, the most read; keep fewer of its lines",
                crate::run::size(MAX_LOG_BYTES)
            ),
        }),
        Failure::Io(source) => Stop::Error(match lines::too_long(&source) {
            Some(line) => Error::Data { path: name.to_path_buf(), line, message: source.to_string() },
            None => Error::Io { action: "read", path: name.to_path_buf(), source },
        }),
    })?;
    let replay = build(table, format, data, name, options)?;
    match also {
        Some(x) => Ok(on_axis(replay, &x, name)?),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fractional_x_axis_is_a_typed_stop_and_a_file_is_read_again_on_its_steps() {
        let on_epoch = ReadOptions { x: Some("Epoch".into()), ..Default::default() };
        let csv = "step,epoch,loss\n0,0,1\n10,0.5,2\n20,1,3\n";
        let json = "{\"step\": 0, \"epoch\": 0, \"loss\": 1}\n{\"step\": 10, \"epoch\": 0.5, \"loss\": 2}\n";
        for (text, name, message) in [
            (csv, "m.csv", "m.csv:3: field 'epoch': '0.5' is not a whole number, 0 or more"),
            (json, "m.jsonl", "m.jsonl:2: field 'epoch': 0.5 is not a whole number, 0 or more"),
        ] {
            match read_log_stopping(text.as_bytes(), Path::new(name), None, &on_epoch, None) {
                Err(Stop::NotWhole { field, error }) => {
                    assert_eq!((field.as_str(), error.to_string().as_str()), ("epoch", message));
                }
                other => panic!("{other:?}"),
            }
            // The same words where no second read is made (standard input, a reader).
            let e = read_log_from(text.as_bytes(), Path::new(name), None, &on_epoch).unwrap_err();
            assert_eq!(e.to_string(), message);
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join(name);
            std::fs::write(&path, text).unwrap();
            let r = read_log(&LogSource::File(path), None, &on_epoch).unwrap();
            assert_eq!((r.curves.steps[1], r.curves.x[1], r.curves.axis.as_str()), (10, 0.5, "epoch"));
        }
        // A batch size that is not whole is an error like any other.
        let text = "step,batch,loss\n0,1.5,1\n";
        let batch = read_log_stopping(text.as_bytes(), Path::new("b.csv"), None, &ReadOptions::default(), None);
        assert!(matches!(&batch, Err(Stop::Error(Error::Data { line: 2, .. }))), "{batch:?}");
    }
}
