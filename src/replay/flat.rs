//! The common line of JSON Lines read without serde: one flat object on one line, its keys
//! plain text and its values numbers, `null`, booleans, plain strings or Python's `NaN` and
//! `Infinity` tokens, as `json.dumps` of a dict of numbers writes it. Such lines are nearly all
//! of a long log, so they go straight into the sink, each key judged once (its column, or
//! not a metric) and found again by its bytes. Anything else (an escape, a list, an object,
//! a malformed line) is left, with nothing changed, to the full parser in
//! [`json`](super::json), which reads it as before and says what is wrong: the results and
//! the errors are the same either way.
//!
//! Numbers are read as serde's `float_roundtrip` reads them, which is Rust's `f64` parse: a
//! whole number exactly (the nearest `f64` beyond 2^53), a decimal correctly rounded; one out
//! of range is left to the full parser, which refuses it.

use super::sink::{Bad, Judged, Record, Sink, BATCH, INTERCEPT, LOSS, LR, SLOPE, STEP};

/// A value as the line gives it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Value {
    Number(f64),
    Null,
    /// Text, `true` or `false`.
    Other,
}

/// What the sink makes of a key's numbers, once it has taken one.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Use {
    /// Not asked yet: the number goes by name.
    Unknown,
    /// A metric, in this column.
    Column(usize),
    /// Not a metric.
    Skip,
}

/// A key met.
#[derive(Debug)]
struct Key {
    bytes: Box<[u8]>,
    name: String,
    used: Use,
    /// The last line it was met on (a key twice in one object is left to the full parser).
    stamp: u64,
}

/// The most keys remembered; a log with more is read by the full parser past them.
const MAX_KEYS: usize = 512;

/// The keys met so far, and the fields of the line being read.
#[derive(Debug, Default)]
pub(super) struct Keys {
    known: Vec<Key>,
    stamp: u64,
    fields: Vec<(usize, Value)>,
}

impl Keys {
    /// The index of `key`, made if new: first where the key `position` of the last line was.
    fn find(&mut self, key: &[u8], position: usize) -> Option<usize> {
        if self.known.get(position).is_some_and(|k| *k.bytes == *key) {
            return Some(position);
        }
        if let Some(i) = self.known.iter().position(|k| *k.bytes == *key) {
            return Some(i);
        }
        if self.known.len() == MAX_KEYS {
            return None;
        }
        let name = String::from_utf8(key.to_vec()).ok()?;
        self.known.push(Key { bytes: key.into(), name, used: Use::Unknown, stamp: 0 });
        Some(self.known.len() - 1)
    }
}

/// Reads `bytes` (one line, its newline included), whose record is on line `line` and steps in
/// the field `step_field` (empty: steps are counted), into `sink`. Returns false, having
/// changed nothing, when the line is not flat or not plainly right; a record the sink refuses
/// is its error, as the full parser would give it.
pub(super) fn read_line(
    keys: &mut Keys,
    bytes: &[u8],
    line: usize,
    step_field: &str,
    sink: &mut Sink,
) -> Result<bool, Bad> {
    if !scan(keys, bytes) {
        return Ok(false);
    }
    let Some(record) = record_of(keys, line, step_field) else {
        return Ok(false);
    };
    if keys.fields.is_empty() {
        // `{}`: no step.
        return Ok(true);
    }
    for &(k, _) in &keys.fields {
        sink.saw(&keys.known[k].name);
    }
    sink.push(record)?;
    for &(k, _) in &keys.fields {
        let key = &mut keys.known[k];
        if key.used == Use::Unknown {
            key.used = match sink.judged(&key.name) {
                Some(Judged::Metric(column)) => Use::Column(column),
                Some(Judged::NotMetric) => Use::Skip,
                None => Use::Unknown,
            };
        }
    }
    Ok(true)
}

/// The line's fields into `keys.fields`: whether it is one flat object, keys once each.
fn scan(keys: &mut Keys, bytes: &[u8]) -> bool {
    keys.stamp += 1;
    keys.fields.clear();
    // Checked once, so that a string or a number's text needs no check of its own.
    let Ok(text) = std::str::from_utf8(bytes) else { return false };
    let mut s = Scan { text, bytes, at: 0 };
    s.space();
    if !s.eat(b'{') {
        return false;
    }
    s.space();
    if !s.eat(b'}') {
        loop {
            if !s.eat(b'"') {
                return false;
            }
            let Some(key) = s.string() else { return false };
            s.space();
            if !s.eat(b':') {
                return false;
            }
            s.space();
            let Some(value) = s.value() else { return false };
            let Some(k) = keys.find(key, keys.fields.len()) else { return false };
            if keys.known[k].stamp == keys.stamp {
                return false;
            }
            keys.known[k].stamp = keys.stamp;
            keys.fields.push((k, value));
            s.space();
            if s.eat(b',') {
                s.space();
                continue;
            }
            if s.eat(b'}') {
                break;
            }
            return false;
        }
    }
    s.space();
    s.at == bytes.len()
}

/// The record of the fields scanned, as the full parser's `take` and `resolve_step` make it;
/// `None` where they would refuse a field or the line holds more than a step.
fn record_of(keys: &Keys, line: usize, step_field: &str) -> Option<Record> {
    let mut record = Record { line, ..Record::default() };
    record.columns.reserve(keys.fields.len());
    for &(k, value) in &keys.fields {
        let key = &keys.known[k];
        let name = key.name.as_str();
        if matches!(name, "settings" | "data" | "steps" | "log_history") {
            return None;
        }
        if !step_field.is_empty() && name == step_field {
            let Value::Number(v) = value else { return None };
            let whole = v >= 0.0 && v.fract() == 0.0 && v <= 9_007_199_254_740_992.0;
            record.step = Some(whole.then_some(v as usize)?);
            continue;
        }
        let v = match (name, value) {
            // Sizes and index lists (rare), and what the full parser refuses: left to it.
            (BATCH, _) | (STEP | SLOPE | INTERCEPT | LOSS | LR, Value::Other) | (STEP, Value::Null) => return None,
            (_, Value::Number(v)) => v,
            // The trace writes a non-finite number as null.
            (SLOPE | INTERCEPT | LOSS, Value::Null) => f64::NAN,
            // Another metric's null: not logged at this step; text and booleans: not metrics.
            _ => continue,
        };
        // The sink looks for slope and intercept by name (a line fit needs both).
        let by_name = name == SLOPE || name == INTERCEPT;
        match key.used {
            Use::Column(column) if !by_name => record.columns.push((column, v)),
            Use::Skip if !by_name => {}
            _ => record.values.push((key.name.clone(), v)),
        }
    }
    Some(record)
}

/// A cursor over a line.
struct Scan<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Scan<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    /// Passes over JSON's white space.
    fn space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn eat(&mut self, b: u8) -> bool {
        let yes = self.peek() == Some(b);
        self.at += usize::from(yes);
        yes
    }

    fn word(&mut self, word: &[u8]) -> bool {
        let yes = self.bytes[self.at..].starts_with(word);
        if yes {
            self.at += word.len();
        }
        yes
    }

    /// A string's bytes, after its opening quote: without escapes or control characters.
    fn string(&mut self) -> Option<&'a [u8]> {
        let start = self.at;
        loop {
            match self.peek()? {
                b'"' => break,
                b'\\' | 0..=0x1f => return None,
                _ => self.at += 1,
            }
        }
        let text = &self.bytes[start..self.at];
        self.at += 1;
        Some(text)
    }

    fn value(&mut self) -> Option<Value> {
        match self.peek()? {
            b'"' => {
                self.at += 1;
                self.string().map(|_| Value::Other)
            }
            b'n' => self.word(b"null").then_some(Value::Null),
            b't' => self.word(b"true").then_some(Value::Other),
            b'f' => self.word(b"false").then_some(Value::Other),
            b'N' => self.word(b"NaN").then_some(Value::Number(f64::NAN)),
            b'I' => self.word(b"Infinity").then_some(Value::Number(f64::INFINITY)),
            b'-' if self.bytes[self.at + 1..].starts_with(b"Infinity") => {
                self.at += 9;
                Some(Value::Number(f64::NEG_INFINITY))
            }
            b'-' | b'0'..=b'9' => self.number().map(Value::Number),
            _ => None,
        }
    }

    /// A number as JSON writes it (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`).
    fn number(&mut self) -> Option<f64> {
        let start = self.at;
        let negative = self.eat(b'-');
        let digits_start = self.at;
        match self.peek()? {
            b'0' => self.at += 1,
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
        let digits_end = self.at;
        let mut whole = true;
        if self.eat(b'.') {
            whole = false;
            if !self.peek().is_some_and(|b| b.is_ascii_digit()) {
                return None;
            }
            self.digits();
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            whole = false;
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if !self.peek().is_some_and(|b| b.is_ascii_digit()) {
                return None;
            }
            self.digits();
        }
        if whole && digits_end - digits_start <= 19 {
            // Exact in a u64; its f64 is the nearest, as the decimal parse gives.
            let n = self.bytes[digits_start..digits_end].iter().fold(0u64, |n, &d| n * 10 + u64::from(d - b'0'));
            let v = n as f64;
            return Some(if negative { -v } else { v });
        }
        let v: f64 = self.text.get(start..self.at)?.parse().ok()?;
        v.is_finite().then_some(v)
    }

    fn digits(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.at += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::replay::sink::{Table, Thinning};
    use crate::replay::{json, Failure};

    fn table(text: &str, every: usize) -> Result<Table, Bad> {
        let sink = Sink::new(Thinning { every, keep_batches: true, max_frames: 1000 });
        match json::read(text.as_bytes(), sink, 1 << 20, None) {
            Ok((sink, _)) => Ok(sink.finish()),
            Err(Failure::Line(bad) | Failure::NotWhole(bad, _)) => Err(bad),
            Err(other) => panic!("{other:?}"),
        }
    }

    /// The same records as JSON Lines (flat lines read here) and as a JSON array (all by serde).
    fn both(records: &[&str], every: usize) -> (Table, Table) {
        let lines = records.iter().flat_map(|r| [*r, "\n"]).collect::<String>();
        let array = format!("[{}]", records.join(",\n"));
        (table(&lines, every).unwrap(), table(&array, every).unwrap())
    }

    #[test]
    fn flat_lines_give_what_serde_gives() {
        let records = [
            "{\"step\": 0, \"loss\": 2.5, \"lr\": 0.1, \"name\": \"a\", \"epoch\": 0}",
            "{\"step\": 1, \"loss\": NaN, \"val_loss\": null, \"lr\": null, \"ok\": true}",
            "{\"lr\": 1e-3, \"step\": 2, \"loss\": -Infinity, \"acc\": 0.30000000000000004}",
            "{\"step\": 2, \"val_loss\": 1.7976931348623157e308, \"loss\": null}",
            "{\"step\": 5, \"loss\": 123456789012345678901234567890, \"acc\": -0, \"batch\": 4}",
            "{\"step\": 9007199254740993, \"loss\": Infinity, \"new\": 2.2250738585072011e-308}",
            "{\"step\": 9007199254740992, \"loss\": 0.1, \"nested\": {\"a\": 1}, \"é\": 3}",
        ];
        for every in [1, 2] {
            let (flat, serde) = both(&records, every);
            assert_eq!((&flat.steps, &flat.names, flat.records), (&serde.steps, &serde.names, serde.records));
            let bits = |t: &Table| -> Vec<Vec<Option<u64>>> {
                t.columns.iter().map(|c| c.iter().map(|v| v.map(f64::to_bits)).collect()).collect()
            };
            assert_eq!(bits(&flat), bits(&serde), "every {every}");
            assert_eq!((flat.lr, flat.batch_size, flat.seen), (serde.lr, serde.batch_size, serde.seen));
        }
        let (flat, _) = both(&records, 1);
        assert_eq!(flat.names, ["loss", "lr", "acc", "val_loss", "new", "é"]);
        assert!(flat.column("loss").unwrap()[1].is_some_and(f64::is_nan));
        assert_eq!(flat.lines, [1, 2, 3, 5, 6], "a step's second record merges into its frame");
        assert_eq!(flat.steps[4], 1 << 53, "9007199254740993 is read as the nearest f64");
    }

    #[test]
    fn a_flat_line_refused_says_what_serde_says() {
        let head = "{\"step\": 0, \"loss\": 1}\n{\"step\": 1, \"loss\": 1}\n";
        for (line, message) in [
            ("{\"step\": 2, \"loss\": 1, \"loss\": 2}", "field 'loss' twice in one object"),
            ("{\"step\": 2.5, \"loss\": 1}", "field 'step': 2.5 is not a whole number"),
            ("{\"step\": 0, \"loss\": 1}", "field 'step': step 0 after step 1 (line 2)"),
            ("{\"loss\": 1}", "missing field 'step' (line 1 gives its step)"),
            ("{\"step\": 2, \"loss\": \"x\"}", "field 'loss': expected a number"),
            ("{\"step\": 2, \"loss\": 1e400}", "field 'loss': number out of range"),
            ("{\"step\": 2, \"loss\": 1,}", "trailing comma"),
        ] {
            let bad = table(&format!("{head}{line}\n"), 1).unwrap_err();
            assert_eq!(bad.line, 3, "{line}: {bad:?}");
            assert!(bad.message.contains(message), "{line}: {bad:?}");
        }
    }

    fn number(text: &str) -> Option<f64> {
        let mut s = Scan { text, bytes: text.as_bytes(), at: 0 };
        s.number().filter(|_| s.at == text.len())
    }

    #[test]
    fn numbers_read_as_rust_parses_them_and_others_are_left() {
        for text in [
            "0",
            "-0",
            "7",
            "-12",
            "9007199254740993",
            "18446744073709551615",
            "18446744073709551616",
            "123456789012345678901234567890",
            "-9223372036854775809",
            "0.1",
            "1.8181818181818181",
            "2.2250738585072011e-308",
            "1e-400",
            "-1.5E+3",
            "4.9e-324",
            "1.7976931348623157e308",
        ] {
            let want: f64 = text.parse().unwrap();
            assert_eq!(number(text).map(f64::to_bits), Some(want.to_bits()), "{text}");
        }
        for text in ["01", "1.", ".5", "1e", "1e+", "-", "+1", "1e400", "-1e400", "0x10", "--1"] {
            assert_eq!(number(text), None, "{text}");
        }
    }

    #[test]
    fn only_flat_plain_objects_are_scanned() {
        let mut keys = Keys::default();
        let flat = "{\"step\": 3, \"loss\": NaN, \"lr\": -Infinity, \"name\": \"é\", \"ok\": true, \"v\": null}\n";
        assert!(scan(&mut keys, flat.as_bytes()));
        let values: Vec<Value> = keys.fields.iter().map(|&(_, v)| v).collect();
        assert_eq!(values[0], Value::Number(3.0));
        assert!(matches!(values[1], Value::Number(v) if v.is_nan()));
        assert_eq!(values[2..], [Value::Number(f64::NEG_INFINITY), Value::Other, Value::Other, Value::Null]);
        assert!(scan(&mut keys, b" {} \r\n"));
        for line in [
            "{\"a\": 1, \"a\": 2}\n",
            "{\"a\": 1,}\n",
            "{\"a\\n\": 1}\n",
            "{\"a\": \"x\\\"\"}\n",
            "{\"a\": [1]}\n",
            "{\"a\": {}}\n",
            "{\"a\": 1} x\n",
            "{\"a\": 1}{\"b\": 2}\n",
            "{\"a\": 1\n",
            "{\"a\": nul}\n",
            "{\"a\": NaNa}\n",
            "{\"a\": - Infinity}\n",
            "{a: 1}\n",
            "{\"a\": \"\u{1}\"}\n",
            "[1]\n",
            "{\"a\" 1}\n",
            "\u{c}{\"a\": 1}\n",
        ] {
            assert!(!scan(&mut keys, line.as_bytes()), "{line:?}");
        }
        assert!(!scan(&mut keys, b"{\"a\": \"\xff\"}\n"), "not UTF-8");
    }
}
