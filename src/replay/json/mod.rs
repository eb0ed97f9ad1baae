//! JSON logs, streamed through `serde_json` a value at a time: our trace (one object with
//! `settings`, `data` and `steps`), JSON Lines (an object per step, the data optionally on a
//! line of its own) and a JSON array of step objects. Nothing is held but the kept frames.
//!
//! serde's errors carry only text, so the visitors note what went wrong (the line, the field)
//! beside the parse, and a reader that counts the lines `serde_json` has read tells them where
//! they are: `serde_json` reads a byte at a time, so the count is exact. This module reads
//! (a stream, or JSON Lines a line at a time) and keeps the position; `values` has the
//! visitors, one a kind of value.

mod values;

use super::axis::step_column;
use super::flat;
use super::python::PythonTokens;
use super::sink::{Bad, Record, Sink};
use super::Failure;
use serde::de::{self, DeserializeSeed, IgnoredAny};
use std::cell::{Cell, RefCell};
use std::io::{BufRead, Read};
use values::TopSeed;

/// Where the parse stands: shared by the reader, which moves it, and the visitors.
#[derive(Debug, Default)]
struct Position {
    newlines: Cell<usize>,
    total: Cell<u64>,
    last: Cell<u8>,
    /// Whether a byte other than white space was read since the last top-level value.
    content: Cell<bool>,
    over: Cell<bool>,
}

impl Position {
    /// The 1-based line of the last byte read (a newline ends its line).
    fn line(&self) -> usize {
        self.newlines.get() + 1 - usize::from(self.last.get() == b'\n')
    }
}

/// The reader under `serde_json`: counts lines and stops past `limit` bytes.
struct Counting<'a, R> {
    inner: R,
    at: &'a Position,
    limit: u64,
}

impl<R: Read> Read for Counting<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = loop {
            match self.inner.read(buf) {
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                other => break other?,
            }
        };
        let at = self.at;
        for &b in &buf[..n] {
            if b == b'\n' {
                at.newlines.set(at.newlines.get() + 1);
            }
            if !b.is_ascii_whitespace() {
                at.content.set(true);
            }
        }
        if n > 0 {
            at.last.set(buf[n - 1]);
        }
        at.total.set(at.total.get() + n as u64);
        if at.total.get() > self.limit {
            at.over.set(true);
            return Err(std::io::Error::other("the byte limit"));
        }
        Ok(n)
    }
}

/// What the visitors share: the sink, the position and the first failure they met.
struct Ctx {
    sink: RefCell<Sink>,
    at: Position,
    failure: RefCell<Option<Bad>>,
    /// The line a trace ended on, once one has: nothing may follow it.
    trace_ended: Cell<Option<usize>>,
    /// The step axis the records name (`--x`), and once the first record chose it, the field
    /// steps are read from (empty: the log gives none, and they are counted).
    axis: RefCell<(Option<String>, Option<String>)>,
    /// Whether the records being read are a Hugging Face Trainer's `log_history`.
    history: Cell<bool>,
    /// The step field, once a step in it was refused for not being a whole number.
    not_whole: RefCell<Option<String>>,
}

impl Ctx {
    /// Records `bad` (unless an earlier failure is recorded) and returns an error that stops the parse.
    fn fail<E: de::Error>(&self, bad: Bad) -> E {
        let message = bad.message.clone();
        self.failure.borrow_mut().get_or_insert(bad);
        E::custom(message)
    }

    /// An error parsing `field`'s value, as a failure naming the field (unless one is recorded).
    fn field_error<E: de::Error>(&self, field: &str, e: E) -> E {
        if self.failure.borrow().is_none() {
            let text = e.to_string();
            let message = format!("field '{field}': {}", strip_position(&text));
            *self.failure.borrow_mut() = Some(Bad::new(self.at.line(), message));
        }
        e
    }

    /// Takes the record's step from the field chosen as the step axis: the one `--x` names,
    /// else the finest the first record has (`step` before `epoch`).
    fn resolve_step(&self, record: &mut Record) -> Result<(), String> {
        let mut axis = self.axis.borrow_mut();
        if axis.1.is_none() {
            let names: Vec<&str> = record.values.iter().map(|(n, _)| n.as_str()).collect();
            let chosen = step_column(&names, axis.0.as_deref()).map_or(String::new(), |i| names[i].to_string());
            self.sink.borrow_mut().axis(&chosen);
            axis.1 = Some(chosen);
        }
        let field = axis.1.as_deref().unwrap_or_default();
        if field.is_empty() {
            return Ok(());
        }
        if let Some(i) = record.values.iter().position(|(n, _)| n == field) {
            let (_, v) = record.values.remove(i);
            let whole = (v >= 0.0 && v.fract() == 0.0 && v <= 9_007_199_254_740_992.0).then_some(v as usize);
            let Some(step) = whole else {
                *self.not_whole.borrow_mut() = Some(field.to_string());
                return Err(format!("field '{field}': {v} is not a whole number, 0 or more"));
            };
            record.step = Some(step);
        }
        Ok(())
    }
}

/// `serde_json`'s message without its " at line L column C" (the failure has the line).
fn strip_position(text: &str) -> &str {
    match text.rsplit_once(" at line ") {
        Some((head, tail))
            if tail.split_once(" column ").is_some_and(|(l, c)| {
                !l.is_empty() && !c.is_empty() && l.bytes().chain(c.bytes()).all(|b| b.is_ascii_digit())
            }) =>
        {
            head
        }
        _ => text,
    }
}

/// What a top-level value was.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Top {
    /// An object with `steps`: a whole trace.
    Trace,
    /// An object with `log_history`: a Hugging Face Trainer's `trainer_state.json`.
    History,
    /// Anything else: a step, the data, an array of steps.
    Lines,
}

/// Reads JSON values from `reader` (at most `limit` bytes) into `sink`, the steps from the
/// field `x` names (or the finest step field); says whether it was a trace.
///
/// A log whose first value is one line (JSON Lines) is parsed a line at a time from memory,
/// several times faster than through a reader; one whose first value spans lines (a trace,
/// a pretty-printed `trainer_state.json`) is streamed a byte at a time.
pub(super) fn read(mut reader: impl BufRead, sink: Sink, limit: u64, x: Option<&str>) -> Result<(Sink, bool), Failure> {
    let ctx = Ctx {
        sink: RefCell::new(sink),
        at: Position::default(),
        failure: RefCell::new(None),
        trace_ended: Cell::new(None),
        axis: RefCell::new((x.map(str::to_string), None)),
        history: Cell::new(false),
        not_whole: RefCell::new(None),
    };
    // The first value's first line, and the lines before it.
    let mut head = vec![];
    let mut first_line = 0usize;
    loop {
        let start = head.len();
        let n = reader.read_until(b'\n', &mut head).map_err(Failure::Io)?;
        first_line += 1;
        if n == 0 || head[start..].iter().any(|b| !b.is_ascii_whitespace()) {
            let line = &head[start..];
            let one_line = n > 0 && serde_json::from_reader::<_, IgnoredAny>(PythonTokens::new(line)).is_ok();
            if one_line && line.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{') {
                let total = head.len() as u64;
                let first = head[start..].to_vec();
                return read_lines(ctx, first, first_line, total, reader, limit);
            }
            break;
        }
    }
    let inner = PythonTokens::new(std::io::Cursor::new(head).chain(reader));
    let mut de = serde_json::Deserializer::from_reader(Counting { inner, at: &ctx.at, limit });
    let mut first: Option<Top> = None;
    loop {
        ctx.at.content.set(false);
        match TopSeed(&ctx).deserialize(&mut de) {
            Ok(top) => taken(&ctx, &mut first, top)?,
            Err(e) if e.is_eof() && !ctx.at.content.get() => break,
            Err(e) => {
                if ctx.at.over.get() && ctx.failure.borrow().is_none() {
                    return Err(Failure::Over(ctx.at.line()));
                }
                // serde_json places an error after the newline it read last on the next line, column 0.
                let line = if e.column() == 0 { e.line().saturating_sub(1) } else { e.line() }.max(1);
                return Err(failed(&ctx, e, line));
            }
        }
    }
    let trace = first == Some(Top::Trace);
    Ok((ctx.sink.into_inner(), trace))
}

/// JSON Lines, a line at a time, from `first` (line `line`, `total` bytes read so far). A
/// value that does not end on its line takes the next ones. A line whole in the reader's
/// buffer is read there, by [`flat`] when it is a flat object, else by `serde_json`.
fn read_lines(
    ctx: Ctx,
    first: Vec<u8>,
    mut line: usize,
    mut total: u64,
    mut reader: impl BufRead,
    limit: u64,
) -> Result<(Sink, bool), Failure> {
    let mut buffer = first;
    let mut top_first: Option<Top> = None;
    let mut rewritten = vec![];
    let mut keys = flat::Keys::default();
    loop {
        if buffer.iter().all(u8::is_ascii_whitespace) {
            line += 1;
        } else {
            match parse_line(&ctx, &buffer, line, &mut rewritten)? {
                Ok(top) => taken(&ctx, &mut top_first, top)?,
                Err(e) if e.is_eof() && ctx.failure.borrow().is_none() => {
                    // The value goes on: take the next line too.
                    if read_line(&mut reader, &mut buffer, &mut total, limit, line)? == 0 {
                        // After a last newline, serde_json names the next line, column 0.
                        let last = if e.column() == 0 { e.line().saturating_sub(1) } else { e.line() };
                        let at = line + last.max(1) - 1;
                        return Err(failed(&ctx, e, at));
                    }
                    continue;
                }
                Err(e) => {
                    let at = line + e.line().max(1) - 1;
                    return Err(failed(&ctx, e, at));
                }
            }
            line += buffer.iter().filter(|&&b| b == b'\n').count();
        }
        buffer.clear();
        // The lines whole in the reader's buffer, read in place while they are flat.
        loop {
            let available = reader.fill_buf().map_err(Failure::Io)?;
            let Some(end) = memchr::memchr(b'\n', available) else { break };
            let bytes = &available[..=end];
            total += bytes.len() as u64;
            if total > limit {
                return Err(Failure::Over(line));
            }
            let blank = bytes.iter().all(u8::is_ascii_whitespace);
            if !blank && !read_flat(&ctx, &mut keys, bytes, line, &mut top_first)? {
                buffer.extend_from_slice(bytes);
                reader.consume(end + 1);
                break;
            }
            line += 1;
            reader.consume(end + 1);
        }
        if buffer.is_empty() && read_line(&mut reader, &mut buffer, &mut total, limit, line)? == 0 {
            break;
        }
    }
    let trace = top_first == Some(Top::Trace);
    Ok((ctx.sink.into_inner(), trace))
}

/// One line (or a value's lines) parsed by `serde_json`, Python's tokens rewritten first.
fn parse_line(
    ctx: &Ctx,
    buffer: &[u8],
    line: usize,
    rewritten: &mut Vec<u8>,
) -> Result<Result<Top, serde_json::Error>, Failure> {
    let bytes: &[u8] = if buffer.iter().any(|&b| b == b'N' || b == b'I') {
        rewritten.clear();
        PythonTokens::new(buffer).read_to_end(rewritten).map_err(Failure::Io)?;
        rewritten
    } else {
        buffer
    };
    ctx.at.newlines.set(line - 1);
    ctx.at.last.set(0);
    let mut de = serde_json::Deserializer::from_slice(bytes);
    Ok(TopSeed(ctx).deserialize(&mut de).and_then(|top| de.end().map(|()| top)))
}

/// Reads `bytes`, line `line`, with [`flat`]: false, with nothing changed, when it is not a
/// flat step object (or the first record, which chooses the step axis, is still to come).
fn read_flat(
    ctx: &Ctx,
    keys: &mut flat::Keys,
    bytes: &[u8],
    line: usize,
    top_first: &mut Option<Top>,
) -> Result<bool, Failure> {
    if ctx.trace_ended.get().is_some() {
        return Ok(false);
    }
    let axis = ctx.axis.borrow();
    let Some(step_field) = axis.1.as_deref() else { return Ok(false) };
    let read = flat::read_line(keys, bytes, line, step_field, &mut ctx.sink.borrow_mut()).map_err(Failure::Line)?;
    drop(axis);
    if read {
        taken(ctx, top_first, Top::Lines)?;
    }
    Ok(read)
}

/// Appends the next line of `reader` to `buffer`; returns its length (0 at the end).
fn read_line(
    reader: &mut impl BufRead,
    buffer: &mut Vec<u8>,
    total: &mut u64,
    limit: u64,
    line: usize,
) -> Result<usize, Failure> {
    let n = reader.read_until(b'\n', buffer).map_err(Failure::Io)?;
    *total += n as u64;
    if *total > limit {
        return Err(Failure::Over(line));
    }
    Ok(n)
}

/// Notes a top-level value read: a trace must be the first and only one.
fn taken(ctx: &Ctx, first: &mut Option<Top>, top: Top) -> Result<(), Failure> {
    match *first {
        None => {
            *first = Some(top);
            if top == Top::Trace {
                ctx.trace_ended.set(Some(ctx.at.line()));
            }
        }
        Some(Top::Lines) if top == Top::Trace => {
            let message = "a trace (an object with 'steps') after other values; a trace is one object";
            return Err(Failure::Line(Bad::new(ctx.at.line(), message)));
        }
        Some(_) => {}
    }
    Ok(())
}

/// Why a parse failed: the visitors' failure if they noted one, else serde's, on `line`.
fn failed(ctx: &Ctx, e: serde_json::Error, line: usize) -> Failure {
    if let Some(bad) = ctx.failure.borrow_mut().take() {
        return match ctx.not_whole.take() {
            Some(field) => Failure::NotWhole(bad, field),
            None => Failure::Line(bad),
        };
    }
    if e.is_io() {
        return Failure::Io(e.into());
    }
    let text = e.to_string();
    Failure::Line(Bad::new(line, strip_position(&text).to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::replay::sink::{Table, Thinning};
    use crate::run::{BatchSize, Optimizer, Sampling};

    fn parse(text: &str) -> Result<(Table, bool), Bad> {
        let sink = Sink::new(Thinning { every: 1, keep_batches: true, max_frames: 1000 });
        match read(text.as_bytes(), sink, 1 << 20, None) {
            Ok((sink, trace)) => Ok((sink.finish(), trace)),
            Err(Failure::Line(bad) | Failure::NotWhole(bad, _)) => Err(bad),
            Err(other) => panic!("{other:?}"),
        }
    }

    #[test]
    fn json_lines_with_a_data_line() {
        let text = "{\"data\": {\"x\": [0, 1], \"y\": [1, 3], \"truth\": [2, 1]}}\n\
                    {\"step\": 0, \"slope\": -1.0, \"intercept\": 1.0, \"loss\": 5, \"lr\": 0.1, \"phase\": \"train\"}\n\
                    \n{\"step\": 10, \"slope\": null, \"intercept\": 1.5, \"batch\": [0, 1, 1], \"val_loss\": null}\n";
        let (t, trace) = parse(text).unwrap();
        assert!(!trace && t.line_run);
        assert_eq!(t.steps, vec![0, 10]);
        assert_eq!(t.lines, vec![2, 4]);
        assert_eq!(t.data.as_ref().map(|(d, line)| (d.y.clone(), *line)), Some((vec![1.0, 3.0], 1)));
        assert_eq!(t.truth, Some((2.0, 1.0)));
        assert!(t.column("slope").unwrap()[1].is_some_and(f64::is_nan), "null is a non-finite slope");
        assert_eq!(t.column("loss").unwrap(), &[Some(5.0), None]);
        assert!(t.column("val_loss").is_none(), "a metric's null is not logged");
        assert_eq!(t.batches, vec![None, Some(vec![0, 1, 1])]);
    }

    #[test]
    fn errors_name_the_line_and_the_field() {
        let cases = [
            ("{\"step\": 0, \"loss\": 1}\n{\"step\": 1, \"loss\": \"x\"}\n", 2, "field 'loss': expected a number"),
            ("{\"step\": 0, \"loss\": 1}\n{\"step\": 1, \"loss\": }\n", 2, "field 'loss': expected value"),
            ("{\"step\": 0, \"loss\": 1}\n{\"step\": 1, \"loss\": Nope}\n", 2, "expected `,` or `}`"),
            ("{\"step\": 0}\n{\"step\": -3}\n", 2, "field 'step': -3 is not a whole number"),
            ("{\"step\": 0}\n{\"step\": 1.5}\n", 2, "field 'step': 1.5 is not a whole number"),
            ("{\"step\": 4}\n\n{\"step\": 3}\n", 3, "field 'step': step 3 after step 4 (line 1)"),
            ("{\"step\": 0, \"loss\": 1}\n{\"step\": 1, \"loss\": 1", 2, "EOF while parsing"),
            ("{\"step\": 0, \"loss\": 1}\n{\"step\": 1, \"loss\": 1\n", 2, "EOF while parsing"),
            ("{\"step\": 0}\n[1, 2]\n", 2, "expected a step object"),
            ("{\"step\": 0}\n7\n", 2, "expected a JSON object"),
            ("{\"step\": 0, \"step\": 1}\n", 1, "field 'step' twice"),
            ("{\"data\": {\"x\": [1, 2], \"y\": [1]}}\n", 1, "field 'data': 2 x values but 1 y values"),
            ("{\"data\": {\"x\": [1, null], \"y\": [1, 2]}}\n", 1, "field 'data': x value null (index 1)"),
            ("{\"step\": 0, \"batch\": [1, -2]}\n", 1, "field 'batch': invalid value: integer `-2`"),
            ("{\"settings\": {\"optimizer\": {\"name\": \"lion\"}}, \"steps\": []}", 1, "'lion' is none of"),
        ];
        for (text, line, message) in cases {
            let bad = parse(text).unwrap_err();
            assert_eq!(bad.line, line, "{text:?}: {bad:?}");
            assert!(bad.message.contains(message), "{text:?}: {bad:?}");
            assert!(!bad.message.contains(" at line "), "{text:?}: {bad:?}");
        }
    }

    #[test]
    fn a_trace_streams_its_steps_with_their_lines() {
        let text = "{\"settings\": {\"lr\": 0.5, \"batch_size\": 2, \"steps\": 2, \"seed\": 1, \"start\": [-1.0, 1.0], \
                    \"sampling\": \"shuffle\", \"optimizer\": {\"name\": \"momentum\", \"momentum\": 0.8}, \"diverged_at\": null},\n \
                    \"data\": {\"x\": [0.0, 1.0], \"y\": [1.0, 3.0]},\n \"steps\": [\n  \
                    {\"step\": 0, \"slope\": -1.0, \"intercept\": 1.0, \"loss\": 9.0, \"batch\": null},\n  \
                    {\"step\": 1, \"slope\": 0.5, \"intercept\": 2.0, \"loss\": 0.5, \"batch\": [1, 0]}\n ]}\n";
        let (t, trace) = parse(text).unwrap();
        assert!(trace);
        assert_eq!(t.lines, vec![4, 5]);
        let s = t.settings.unwrap();
        assert_eq!((s.lr, s.batch_size, s.sampling), (0.5, BatchSize::Size(2), Sampling::Shuffle));
        assert_eq!(s.optimizer, Optimizer::Momentum { momentum: 0.8 });
        // A second value after a trace is refused.
        let bad = parse(&format!("{text}{{\"step\": 9}}\n")).unwrap_err();
        assert!(bad.message.starts_with("a trace is one JSON object"), "{bad:?}");
        assert_eq!(bad.line, 7);
        // A step inside the trace names its own line.
        let broken = text.replace("\"loss\": 0.5", "\"loss\": true");
        assert_eq!(
            parse(&broken).unwrap_err(),
            Bad::new(5, "field 'loss': expected a number, or null for a non-finite one, found true or false")
        );
    }

    #[test]
    fn python_non_finite_tokens_are_values_and_step_fields_are_recognised() {
        let text = "{\"Iteration\": 0, \"loss\": 1.5, \"epoch\": 0}\n{\"Iteration\": 1, \"loss\": NaN}\n\
                    {\"Iteration\": 2, \"loss\": Infinity, \"lr\": -Infinity}\n";
        let (t, _) = parse(text).unwrap();
        assert_eq!((t.steps.clone(), t.axis.as_str()), (vec![0, 1, 2], "Iteration"));
        let loss = t.column("loss").unwrap();
        assert!(loss[1].is_some_and(f64::is_nan) && loss[2] == Some(f64::INFINITY), "{loss:?}");
        assert_eq!(t.column("lr").unwrap()[2], Some(f64::NEG_INFINITY));
        assert!(t.column("epoch").is_none(), "epoch is bookkeeping where a finer step is logged");
    }

    #[test]
    fn a_trainer_state_merges_train_and_eval_entries_by_step() {
        let text = r#"{"best_metric": null, "epoch": 2.0, "global_step": 20,
  "log_history": [
    {"epoch": 0.5, "grad_norm": 3.1, "learning_rate": 4e-05, "loss": 2.25, "step": 10},
    {"epoch": 1.0, "eval_loss": 2.0, "eval_runtime": 1.5, "eval_samples_per_second": 80.0, "step": 10},
    {"epoch": 1.0, "grad_norm": 2.5, "learning_rate": 2e-05, "loss": NaN, "step": 20},
    {"epoch": 2.0, "step": 20, "total_flos": 1e12, "train_loss": 1.9, "train_runtime": 30.0}
  ],
  "max_steps": 20, "total_flos": 1e12}"#;
        let (t, trace) = parse(text).unwrap();
        assert!(!trace);
        assert_eq!((t.steps.clone(), t.records), (vec![10, 20], 2));
        assert_eq!(t.names, ["grad_norm", "learning_rate", "loss", "eval_loss"]);
        assert_eq!(t.column("eval_loss").unwrap(), &[Some(2.0), None]);
        assert!(t.column("loss").unwrap()[1].is_some_and(f64::is_nan));
    }

    #[test]
    fn an_array_of_steps_and_an_empty_log() {
        let (t, _) = parse("[{\"step\": 0, \"loss\": 2}, {\"step\": 5, \"loss\": 1}]").unwrap();
        assert_eq!(t.steps, vec![0, 5]);
        let (t, _) = parse("  \n ").unwrap();
        assert_eq!(t.records, 0);
    }

    #[test]
    fn strip_position_only_strips_serde_json_positions() {
        assert_eq!(strip_position("expected value at line 3 column 7"), "expected value");
        assert_eq!(strip_position("look at line 3"), "look at line 3");
        assert_eq!(strip_position("x at line a column 2"), "x at line a column 2");
    }
}
