//! Scalars (an event file's, MLflow's) as frames, a record a step: streamed a step at a time
//! from one event file whose steps never go back, so memory holds only the frames kept;
//! otherwise gathered and sorted by step first (several files, a file whose steps go back,
//! as Keras' batch and epoch series in one file do).

use super::events::{self, Scalars};
use super::sink::{self, Bad, Judged, Record, Sink, Table, Thinning};
use super::{folder, ReadOptions, MAX_FRAMES};
use crate::error::Result;
use std::io::Read;
use std::path::Path;

/// The sink a table of scalars is made in.
fn sink_for(options: &ReadOptions) -> Sink {
    let mut sink = Sink::new(Thinning { every: options.every, keep_batches: false, max_frames: MAX_FRAMES });
    sink.want(options.metrics.clone());
    sink.axis(sink::STEP);
    sink
}

/// The note naming what was passed over.
fn passed_over(skipped: &[(String, usize)], notes: &mut Vec<String>) {
    if !skipped.is_empty() {
        let each: Vec<String> = skipped.iter().map(|(kind, n)| format!("{n} {kind}")).collect();
        notes.push(format!("passed over (not scalars): {}", each.join(", ")));
    }
}

/// What the sink made of each series' name, once it has judged it: a value of a series judged
/// a metric goes into a record by its column (no name copied or looked up), any other by name
/// (the sink judges a name it has not met as the record comes).
#[derive(Default)]
struct Columns(Vec<Option<Judged>>);

impl Columns {
    /// Adds the value `v` of `series` (named `names[series]`) to `record`.
    fn add(&mut self, sink: &Sink, names: &[String], series: u32, v: f64, record: &mut Record) {
        let series = series as usize;
        if self.0.len() <= series {
            self.0.resize(series + 1, None);
        }
        if self.0[series].is_none() {
            self.0[series] = sink.judged(&names[series]);
        }
        match self.0[series] {
            Some(Judged::Metric(column)) => record.columns.push((column, v)),
            _ => record.values.push((names[series].clone(), v)),
        }
    }
}

/// Scalars (an event file's, MLflow's) as frames: a record a step.
pub(super) fn table_of_scalars(
    scalars: events::Scalars,
    options: &ReadOptions,
    notes: &mut Vec<String>,
) -> std::result::Result<Table, Bad> {
    let (names, points, skipped) = scalars.by_step();
    passed_over(&skipped, notes);
    let mut sink = sink_for(options);
    for name in &names {
        sink.saw(name);
    }
    let mut columns = Columns::default();
    for (k, group) in points.chunk_by(|a, b| a.0 == b.0).enumerate() {
        let step = usize::try_from(group[0].0).unwrap_or(usize::MAX);
        let mut record = Record { line: k + 1, step: Some(step), ..Record::default() };
        for &(_, series, v) in group {
            columns.add(&sink, &names, series, v, &mut record);
        }
        sink.push(record)?;
    }
    Ok(sink.finish())
}

/// Why a stream stopped early.
enum Halt {
    /// A step went back: the file is read again and sorted.
    Back,
    /// The sink refused a record.
    Refused(Bad),
}

/// The scalars of one event stream (`name`, its series named `prefix` + tag) as frames, a
/// step at a time: `Ok(None)` when a step goes back (read the file again with
/// [`table_of_scalars`]). A damaged record ends the read as [`folder::damage`] says.
pub(super) fn stream_scalars(
    reader: impl Read,
    name: &Path,
    prefix: &str,
    options: &ReadOptions,
    notes: &mut Vec<String>,
) -> Result<Option<std::result::Result<Table, Bad>>> {
    let mut sink = sink_for(options);
    let mut scalars = Scalars::default();
    let mut named = 0;
    let mut step: Option<u64> = None;
    let mut values = Record::default();
    let mut columns = Columns::default();
    let mut records = 0;
    let mut halt: Option<Halt> = None;
    let push = |sink: &mut Sink, step: u64, values: &mut Record, records: &mut usize| {
        *records += 1;
        let step = usize::try_from(step).unwrap_or(usize::MAX);
        sink.push(Record { line: *records, step: Some(step), ..std::mem::take(values) })
    };
    let read = scalars.read_each(reader, prefix, |s| {
        for name in &s.names[named..] {
            sink.saw_always(name);
        }
        named = s.names.len();
        for (at, series, v) in s.points.drain(..) {
            match step {
                Some(current) if at < current => {
                    halt = Some(Halt::Back);
                    return false;
                }
                Some(current) if at > current => {
                    if let Err(bad) = push(&mut sink, current, &mut values, &mut records) {
                        halt = Some(Halt::Refused(bad));
                        return false;
                    }
                }
                _ => {}
            }
            step = Some(at);
            columns.add(&sink, &s.names, series, v, &mut values);
        }
        true
    });
    match halt {
        Some(Halt::Back) => return Ok(None),
        Some(Halt::Refused(bad)) => return Ok(Some(Err(bad))),
        None => {}
    }
    folder::damage(read, step.is_some(), name, notes)?;
    if let Some(current) = step {
        if let Err(bad) = push(&mut sink, current, &mut values, &mut records) {
            return Ok(Some(Err(bad)));
        }
    }
    passed_over(&scalars.skipped, notes);
    Ok(Some(Ok(sink.finish())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::replay::events::simple_event;
    use crate::replay::tfrecord::frame;

    fn stream(events: &[(i64, &[(&str, f32)])]) -> Vec<u8> {
        events.iter().map(|(step, values)| frame(&simple_event(*step, values))).collect::<Vec<_>>().concat()
    }

    fn gathered(bytes: &[u8], options: &ReadOptions) -> (Table, Vec<String>) {
        let mut scalars = Scalars::default();
        let mut notes = vec![];
        folder::read_one(&mut scalars, bytes, Path::new("e"), "", &mut notes).unwrap();
        (table_of_scalars(scalars, options, &mut notes).unwrap(), notes)
    }

    fn same(a: &Table, b: &Table) {
        assert_eq!((&a.steps, &a.lines, &a.names, &a.columns), (&b.steps, &b.lines, &b.names, &b.columns));
        assert_eq!((a.records, &a.seen, a.overflow), (b.records, &b.seen, b.overflow));
    }

    #[test]
    fn an_ordered_stream_gives_the_sorted_frames_and_one_going_back_is_left_to_sorting() {
        let ordered = stream(&[
            (0, &[("loss", 2.0), ("lr", 0.5)]),
            (0, &[("val", 3.0)]),
            (5, &[("loss", 1.0)]),
            (5, &[("loss", 0.75)]),
            (9, &[("val", 1.5), ("new", 4.0)]),
            (12, &[("loss", 0.5)]),
        ]);
        for every in [1, 2] {
            let options = ReadOptions { every, ..Default::default() };
            let mut notes = vec![];
            let streamed = stream_scalars(ordered.as_slice(), Path::new("e"), "", &options, &mut notes).unwrap();
            let (sorted, sorted_notes) = gathered(&ordered, &options);
            same(&streamed.unwrap().unwrap(), &sorted);
            assert_eq!(notes, sorted_notes);
        }
        let (t, _) = gathered(&ordered, &ReadOptions::default());
        assert_eq!(t.column("loss").unwrap(), &[Some(2.0), Some(0.75), None, Some(0.5)], "the later value wins");
        // Keras writes epoch series at epoch steps among batch series: steps go back.
        let back = stream(&[(0, &[("batch_loss", 2.0)]), (10, &[("batch_loss", 1.0)]), (1, &[("epoch_loss", 1.5)])]);
        let mut notes = vec![];
        let streamed = stream_scalars(back.as_slice(), Path::new("e"), "", &ReadOptions::default(), &mut notes);
        assert!(streamed.unwrap().is_none() && notes.is_empty());
    }

    #[test]
    fn damage_after_values_is_a_note_and_the_values_before_it_stay() {
        let mut bytes = stream(&[(0, &[("loss", 2.0)]), (1, &[("loss", 1.0)]), (2, &[("loss", 0.5)])]);
        let cut = bytes.len() - 3;
        bytes.truncate(cut);
        let mut notes = vec![];
        let streamed = stream_scalars(bytes.as_slice(), Path::new("e"), "", &ReadOptions::default(), &mut notes);
        let (sorted, sorted_notes) = gathered(&bytes, &ReadOptions::default());
        same(&streamed.unwrap().unwrap().unwrap(), &sorted);
        assert_eq!(sorted.steps, [0, 1]);
        assert!(notes[0].contains("cut short") && notes == sorted_notes, "{notes:?}");
    }
}
