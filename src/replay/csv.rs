//! CSV logs, read record by record with the `csv` crate: a header naming the columns
//! (`step,slope,intercept,loss`, or any metrics: `step,loss,val_loss,lr`), then a row a step.
//! An empty cell is a value not logged at that step; `nan` and `inf` are logged non-finite values.

use super::axis::{is_bookkeeping, step_column};
use super::sink::{Bad, Batch, Record, Sink, BATCH, MAX_METRICS};
use super::{Failure, Hints};
use crate::error::cut;
use crate::error::escape_controls;
use crate::run::{record_line, Bounded};
use std::io::Read;

/// Reads CSV rows from `reader` (at most `limit` bytes) into `sink`.
pub(super) fn read(reader: impl Read, mut sink: Sink, limit: u64, hints: &Hints) -> Result<Sink, Failure> {
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_reader(Bounded::new(reader, limit));
    let mut record = csv::ByteRecord::new();
    let mut header: Option<Header> = None;
    while next_record(&mut csv, &mut record)? {
        let line = record_line(&csv, &record);
        if record.len() == 1 && record[0].iter().all(u8::is_ascii_whitespace) {
            continue; // a blank line
        }
        let Some(head) = &header else {
            header = Some(Header::of(&record, line, &mut sink, hints)?);
            continue;
        };
        if record.len() != head.names.len() {
            let message = format!("expected {} fields (as the header names), found {}", head.names.len(), record.len());
            return Err(Failure::Line(Bad::new(line, message)));
        }
        sink.push(head.row(&record, line)?).map_err(Failure::Line)?;
    }
    if header.is_none() {
        return Err(Failure::Line(Bad::new(
            1,
            "the log is empty; expected a header such as 'step,slope,intercept,loss'",
        )));
    }
    Ok(sink)
}

/// What the header says: each column's name (as drawn), which column holds the steps, and
/// which are read (metrics, the batch).
struct Header {
    names: Vec<String>,
    step: Option<usize>,
    read: Vec<bool>,
    /// Each column's column in the sink, for a metric.
    column: Vec<Option<usize>>,
}

impl Header {
    /// The header of a log: W&B's `<run> - ` prefix taken off (the run's name, when one run),
    /// TensorBoard's lone `Value` named after the log, the step axis chosen, and the metric
    /// columns counted against [`MAX_METRICS`] before any row is read.
    fn of(record: &csv::ByteRecord, line: usize, sink: &mut Sink, hints: &Hints) -> Result<Header, Failure> {
        let mut names = names_of(record, line)?;
        let step = step_column(&names, hints.x.as_deref());
        if let (Some(x), None) = (&hints.x, step) {
            let message =
                format!("no column '{}' for the step axis (--x); the header names {}", cut(x), listed(&names));
            return Err(Failure::Line(Bad::new(line, message)));
        }
        if let Some(run) = wandb_run(&names, step) {
            let prefix = format!("{run} - ");
            for name in &mut names {
                if let Some(rest) = name.strip_prefix(&prefix) {
                    *name = rest.to_string();
                }
            }
            sink.run_name(&run);
        }
        let metric = |i: usize, n: &str| Some(i) != step && n != BATCH && !is_bookkeeping(n);
        let values: Vec<usize> = (0..names.len()).filter(|&i| metric(i, &names[i])).collect();
        if let [only] = values[..] {
            if names[only].eq_ignore_ascii_case("value") {
                names[only].clone_from(&hints.value_name);
            }
        }
        let kept = values.iter().filter(|&&i| sink.is_metric(&names[i])).count();
        if kept > MAX_METRICS {
            let message = format!(
                "the header names {kept} metric columns, more than the {MAX_METRICS} a replay draws; name the ones \
                 to draw with --metrics"
            );
            return Err(Failure::Line(Bad::new(line, message)));
        }
        if let Some(i) = step {
            sink.axis(&names[i]);
        }
        for name in names.iter().take(1000) {
            sink.saw(name);
        }
        let mut read = vec![false; names.len()];
        let mut column = vec![None; names.len()];
        for (i, name) in names.iter().enumerate() {
            read[i] = Some(i) == step || name == BATCH || sink.is_metric(name);
            if read[i] && Some(i) != step && name != BATCH {
                column[i] = sink.declare(name, line).map_err(Failure::Line)?;
            }
        }
        Ok(Header { names, step, read, column })
    }

    /// One row as a record: its step, batch size and metrics.
    fn row(&self, record: &csv::ByteRecord, line: usize) -> Result<Record, Failure> {
        let mut step = Record { line, ..Record::default() };
        for (i, (name, field)) in self.names.iter().zip(record.iter()).enumerate() {
            if !self.read[i] {
                continue;
            }
            let bad = |why: String| Failure::Line(Bad::new(line, format!("field '{name}': {why}")));
            let Ok(text) = std::str::from_utf8(field) else {
                return Err(bad("not UTF-8 text; save the file as UTF-8".into()));
            };
            let text = text.trim();
            if text.is_empty() {
                continue; // not logged at this step
            }
            let Ok(value) = text.parse::<f64>() else {
                return Err(bad(format!("'{}' is not a number", cut(&escape_controls(text, &[])))));
            };
            let is_step = Some(i) == self.step;
            if is_step || name == BATCH {
                let whole = (value >= 0.0 && value.fract() == 0.0 && value <= 9_007_199_254_740_992.0)
                    .then_some(value as usize)
                    .filter(|&v| is_step || v > 0);
                let Some(whole) = whole else {
                    let bad = Bad::new(
                        line,
                        format!(
                            "field '{name}': '{}' is not a whole number, {} or more",
                            cut(text),
                            usize::from(!is_step)
                        ),
                    );
                    return Err(if is_step { Failure::NotWhole(bad, name.clone()) } else { Failure::Line(bad) });
                };
                if is_step {
                    step.step = Some(whole);
                } else {
                    step.batch = Some(Batch::Size(whole));
                }
            } else if let Some(column) = self.column[i] {
                step.columns.push((column, value));
            }
        }
        Ok(step)
    }
}

/// Reads the next record into `record`: false at the end; a read past the byte bound, a
/// reading error or malformed CSV as the [`Failure`] it is, with its line.
fn next_record<R: Read>(csv: &mut csv::Reader<Bounded<R>>, record: &mut csv::ByteRecord) -> Result<bool, Failure> {
    csv.read_byte_record(record).map_err(|e| {
        let line = usize::try_from(csv.position().line()).unwrap_or(usize::MAX).max(1);
        match e.into_kind() {
            csv::ErrorKind::Io(_) if csv.get_ref().over() => Failure::Over(line),
            csv::ErrorKind::Io(e) => Failure::Io(e),
            other => Failure::Line(Bad::new(line, format!("{other:?}"))),
        }
    })
}

/// The run of a W&B export (`"Step","adam - train/loss","adam - train/loss__MIN",...`): the
/// prefix every column but the step shares, when it is one run's.
fn wandb_run(names: &[String], step: Option<usize>) -> Option<String> {
    let mut run: Option<&str> = None;
    for (i, name) in names.iter().enumerate() {
        if Some(i) == step {
            continue;
        }
        let (prefix, _) = name.split_once(" - ")?;
        match run {
            Some(r) if r != prefix => return None,
            _ => run = Some(prefix),
        }
    }
    run.map(str::to_string)
}

/// Up to 8 of `names`, quoted, for a message.
fn listed(names: &[String]) -> String {
    let mut shown: Vec<String> = names.iter().take(8).map(|n| format!("'{}'", cut(&escape_controls(n, &[])))).collect();
    if names.len() > 8 {
        shown.push(format!("and {} more", names.len() - 8));
    }
    shown.join(", ")
}

/// The column names of a header record: trimmed, without a byte-order mark, each once.
fn names_of(record: &csv::ByteRecord, line: usize) -> Result<Vec<String>, Failure> {
    let mut names: Vec<String> = Vec::with_capacity(record.len());
    let mut seen = std::collections::HashSet::with_capacity(record.len());
    for field in record {
        let name = String::from_utf8_lossy(field).trim_start_matches('\u{feff}').trim().to_string();
        if name.is_empty() {
            return Err(Failure::Line(Bad::new(line, format!("column {} of the header has no name", names.len() + 1))));
        }
        if !seen.insert(name.clone()) {
            let shown = cut(&escape_controls(&name, &[])).into_owned();
            return Err(Failure::Line(Bad::new(line, format!("column '{shown}' twice in the header"))));
        }
        names.push(name);
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::replay::sink::{Table, Thinning};

    fn parse(text: &str) -> Result<Table, Bad> {
        let sink = Sink::new(Thinning { every: 1, keep_batches: true, max_frames: 1000 });
        let hints = Hints { x: None, value_name: "run-loss".into(), also: None };
        match read(text.as_bytes(), sink, 1 << 20, &hints) {
            Ok(sink) => Ok(sink.finish()),
            Err(Failure::Line(bad) | Failure::NotWhole(bad, _)) => Err(bad),
            Err(other) => panic!("{other:?}"),
        }
    }

    #[test]
    fn rows_become_steps_and_empty_cells_are_not_logged() {
        let t = parse("step,slope,intercept,loss,val_loss\r\n0,-1,1,92.9,\n\n10,0.5,2,40,45\n20,1,3,nan,\n").unwrap();
        assert!(t.line_run);
        assert_eq!(t.steps, vec![0, 10, 20]);
        assert_eq!(t.lines, vec![2, 4, 5]);
        assert_eq!(t.column("val_loss").unwrap(), &[None, Some(45.0), None]);
        assert!(t.column("loss").unwrap()[2].is_some_and(f64::is_nan));
        let curves = parse("epoch,loss\n0,2.3\n1,1.9\n").unwrap();
        assert!(!curves.line_run);
        assert_eq!(curves.steps, vec![0, 1], "epoch is the step axis");
        assert_eq!(curves.axis, "epoch");
        assert_eq!(curves.names, vec!["loss".to_string()], "epoch is not a metric");
    }

    #[test]
    fn the_step_axis_clocks_bands_and_merged_rows() {
        // TensorBoard's CSV download: the value named after the log, the wall time not drawn.
        let t = parse("Wall time,Step,Value\n1700000000.5,0,2.5\n1700000001.5,50,1.25\n").unwrap();
        assert_eq!((t.steps.clone(), t.axis.as_str()), (vec![0, 50], "Step"));
        assert_eq!(t.names, ["run-loss"]);
        // W&B's panel export: quoted, the run's prefix taken off, MIN and MAX kept for the band.
        let w = parse("\"Step\",\"adam - train/loss\",\"adam - train/loss__MIN\",\"adam - train/loss__MAX\"\n0,2,1.5,2.5\n1,1,0.5,1.5\n")
            .unwrap();
        assert_eq!(w.run_name.as_deref(), Some("adam"));
        assert_eq!(w.names, ["train/loss", "train/loss__MIN", "train/loss__MAX"]);
        // Lightning: a row per logged metric, blank cells, the same step on several rows.
        let l = parse("epoch,step,train_loss,val_loss,val_acc\n0,49,0.9,,\n0,49,,0.8,0.7\n1,99,0.5,,\n1,99,,0.6,0.8\n")
            .unwrap();
        assert_eq!((l.steps.clone(), l.axis.as_str()), (vec![49, 99], "step"));
        assert_eq!(l.column("train_loss").unwrap(), &[Some(0.9), Some(0.5)]);
        assert_eq!(l.column("val_acc").unwrap(), &[Some(0.7), Some(0.8)]);
        assert!(l.column("epoch").is_none());
    }

    #[test]
    fn many_metric_columns_are_refused_at_the_header_with_their_count() {
        let header: Vec<String> =
            std::iter::once("step".to_string()).chain((0..50_000).map(|i| format!("m{i}"))).collect();
        let row = vec!["1"; 50_001].join(",");
        let text = format!("{}\n{row}\n{row}\n", header.join(","));
        let started = std::time::Instant::now();
        let bad = parse(&text).map(|_| ()).unwrap_err();
        assert!(bad.message.contains("50000 metric columns") && bad.message.contains("--metrics"), "{bad:?}");
        assert!(started.elapsed().as_secs_f64() < 1.0, "{:?}", started.elapsed());
    }

    #[test]
    fn errors_name_the_line_and_the_field() {
        for (text, line, message) in [
            ("step,loss\n0,1\n1,abc\n", 3, "field 'loss': 'abc' is not a number"),
            ("step,loss\n0,1\n1.5,2\n", 3, "field 'step': '1.5' is not a whole number, 0 or more"),
            ("step,loss\n0,1\n1\n", 3, "expected 2 fields (as the header names), found 1"),
            ("step,loss\n5,1\n2,1\n", 3, "field 'step': step 2 after step 5 (line 2)"),
            ("step,loss,loss\n", 1, "column 'loss' twice"),
            ("step,,loss\n", 1, "column 2 of the header has no name"),
            ("", 1, "the log is empty"),
            ("step,batch\n0,0\n", 2, "field 'batch': '0' is not a whole number, 1 or more"),
            ("step,loss\n0,\u{e9}\n", 2, "field 'loss': 'é' is not a number"),
        ] {
            let bad = parse(text).map(|_| ()).unwrap_err();
            assert!(bad.line == line && bad.message.contains(message), "{text:?}: {bad:?}");
        }
    }
}
