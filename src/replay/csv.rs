//! CSV logs, read record by record with the `csv` crate: a header naming the columns
//! (`step,slope,intercept,loss`, or any metrics: `step,loss,val_loss,lr`), then a row a step.
//! An empty cell is a value not logged at that step; `nan` and `inf` are logged non-finite values.

use super::sink::{Bad, Batch, Record, Sink, BATCH, STEP};
use super::Failure;
use crate::error::cut;
use crate::train::{record_line, Bounded};
use std::io::Read;

/// Reads CSV rows from `reader` (at most `limit` bytes) into `sink`.
pub(super) fn read(reader: impl Read, mut sink: Sink, limit: u64) -> Result<Sink, Failure> {
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_reader(Bounded::new(reader, limit));
    let mut record = csv::ByteRecord::new();
    let mut header: Option<Vec<String>> = None;
    loop {
        match csv.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = usize::try_from(csv.position().line()).unwrap_or(usize::MAX).max(1);
                return Err(match e.into_kind() {
                    csv::ErrorKind::Io(_) if csv.get_ref().over() => Failure::Over(line),
                    csv::ErrorKind::Io(e) => Failure::Io(e),
                    other => Failure::Line(Bad::new(line, format!("{other:?}"))),
                });
            }
        }
        let line = record_line(&csv, &record);
        if record.len() == 1 && record[0].iter().all(u8::is_ascii_whitespace) {
            continue; // a blank line
        }
        let Some(names) = &header else {
            header = Some(names_of(&record, line)?);
            if let Some(names) = &header {
                for name in names {
                    sink.saw(name);
                    sink.declare(name);
                }
            }
            continue;
        };
        if record.len() != names.len() {
            let message = format!("expected {} fields (as the header names), found {}", names.len(), record.len());
            return Err(Failure::Line(Bad::new(line, message)));
        }
        let mut step = Record { line, ..Record::default() };
        for (name, field) in names.iter().zip(record.iter()) {
            let bad = |why: String| Failure::Line(Bad::new(line, format!("field '{name}': {why}")));
            let Ok(text) = std::str::from_utf8(field) else {
                return Err(bad("not UTF-8 text; save the file as UTF-8".into()));
            };
            let text = text.trim();
            if text.is_empty() {
                continue; // not logged at this step
            }
            let Ok(value) = text.parse::<f64>() else {
                return Err(bad(format!("'{}' is not a number", cut(text))));
            };
            match name.as_str() {
                STEP | BATCH => {
                    let whole = (value >= 0.0 && value.fract() == 0.0 && value <= 9_007_199_254_740_992.0)
                        .then_some(value as usize)
                        .filter(|&v| name == STEP || v > 0);
                    let Some(whole) = whole else {
                        return Err(bad(format!(
                            "'{}' is not a whole number{}",
                            cut(text),
                            if name == STEP { ", 0 or more" } else { ", 1 or more" }
                        )));
                    };
                    if name == STEP {
                        step.step = Some(whole);
                    } else {
                        step.batch = Some(Batch::Size(whole));
                    }
                }
                _ => step.values.push((name.clone(), value)),
            }
        }
        sink.push(step).map_err(Failure::Line)?;
    }
    if header.is_none() {
        return Err(Failure::Line(Bad::new(
            1,
            "the log is empty; expected a header such as 'step,slope,intercept,loss'",
        )));
    }
    Ok(sink)
}

/// The column names of a header record: trimmed, without a byte-order mark, each once.
fn names_of(record: &csv::ByteRecord, line: usize) -> Result<Vec<String>, Failure> {
    let mut names: Vec<String> = vec![];
    for field in record {
        let name = String::from_utf8_lossy(field).trim_start_matches('\u{feff}').trim().to_string();
        if name.is_empty() {
            return Err(Failure::Line(Bad::new(line, format!("column {} of the header has no name", names.len() + 1))));
        }
        if names.contains(&name) {
            return Err(Failure::Line(Bad::new(line, format!("column '{}' twice in the header", cut(&name)))));
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
        match read(text.as_bytes(), sink, 1 << 20) {
            Ok(sink) => Ok(sink.finish()),
            Err(Failure::Line(bad)) => Err(bad),
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
        assert_eq!(curves.steps, vec![0, 1], "no step column: counted");
        assert_eq!(curves.names, vec!["loss".to_string()], "epoch is not a metric");
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
