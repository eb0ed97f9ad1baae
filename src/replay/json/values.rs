//! What each JSON value of a log is, as `serde` visitors: the top level (a trace, a Trainer's
//! state, a step, the data line, an array of steps), a trace's `steps`, and one step's fields.
//! Each visitor passes what it reads to the sink as it goes, and notes what went wrong in the
//! [`Ctx`] beside the parse (see the parent module).

use super::{Ctx, Top};
use crate::replay::python::non_finite;
use crate::replay::sink::{Bad, Batch, Record, BATCH, INTERCEPT, LOSS, LR, SLOPE, STEP};
use crate::replay::trace::{DataSeed, SettingsJson};
use crate::run::MAX_POINTS;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// A top-level value: an object (a trace, a step, the data) or an array of step objects.
pub(super) struct TopSeed<'a>(pub(super) &'a Ctx);

impl<'de> DeserializeSeed<'de> for TopSeed<'_> {
    type Value = Top;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Top, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for TopSeed<'_> {
    type Value = Top;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object (a step, the data, or a whole trace) or an array of step objects")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Top, A::Error> {
        self.after_trace()?;
        object(self.0, map, true)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Top, A::Error> {
        self.after_trace()?;
        while seq.next_element_seed(StepSeed(self.0))?.is_some() {}
        Ok(Top::Lines)
    }
}

impl TopSeed<'_> {
    /// Refuses a value after a trace, before any of it is taken.
    fn after_trace<E: de::Error>(&self) -> Result<(), E> {
        match self.0.trace_ended.get() {
            Some(end) => {
                let message = format!("a trace is one JSON object, and it ended on line {end}");
                Err(self.0.fail(Bad::new(self.0.at.line(), message)))
            }
            None => Ok(()),
        }
    }
}

/// One step object (in a trace's `steps`, or an array).
struct StepSeed<'a>(&'a Ctx);

impl<'de> DeserializeSeed<'de> for StepSeed<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for StepSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a step object, such as {\"step\": 0, \"slope\": -1.0, \"intercept\": 1.0}")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        object(self.0, map, false).map(|_| ())
    }
}

/// A trace's `steps`: step objects, each passed on as it is read.
struct StepsSeed<'a>(&'a Ctx);

impl<'de> DeserializeSeed<'de> for StepsSeed<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for StepsSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of step objects")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(StepSeed(self.0))?.is_some() {}
        Ok(())
    }
}

/// The fields of one object. At the top level, `settings`, `data` and `steps` are a trace's
/// parts (or a data line's); anything else is a step's field. Returns whether it held `steps`.
fn object<'de, A: MapAccess<'de>>(ctx: &Ctx, mut map: A, top: bool) -> Result<Top, A::Error> {
    // The object's `{` was the last byte read.
    let line = ctx.at.line();
    let mut record = Record { line, ..Record::default() };
    let mut fields = 0usize;
    let mut kind = Top::Lines;
    let mut names: Vec<String> = vec![];
    while let Some(key) = map.next_key::<String>()? {
        if names.contains(&key) {
            return Err(ctx.fail(Bad::new(ctx.at.line(), format!("field '{key}' twice in one object"))));
        }
        names.push(key.clone());
        match key.as_str() {
            "settings" if top => {
                let settings: SettingsJson = map.next_value().map_err(|e| ctx.field_error("settings", e))?;
                let settings = settings.into_settings().map_err(|m| ctx.fail(Bad::new(ctx.at.line(), m)))?;
                ctx.sink.borrow_mut().settings(settings);
            }
            "data" if top => {
                let data = map.next_value_seed(DataSeed).map_err(|e| ctx.field_error("data", e))?;
                ctx.sink.borrow_mut().data(data, line).map_err(|bad| ctx.fail(bad))?;
            }
            "steps" if top => {
                map.next_value_seed(StepsSeed(ctx)).map_err(|e| ctx.field_error("steps", e))?;
                kind = Top::Trace;
            }
            "log_history" if top => {
                ctx.history.set(true);
                map.next_value_seed(StepsSeed(ctx)).map_err(|e| ctx.field_error("log_history", e))?;
                ctx.history.set(false);
                kind = Top::History;
            }
            // The Trainer's summary of the whole run (`train_loss`, `train_runtime`): not a curve.
            _ if ctx.history.get() && key.starts_with("train_") && !ctx.sink.borrow().named(&key) => {
                map.next_value::<IgnoredAny>()?;
            }
            _ => {
                let field = map.next_value_seed(FieldSeed(&key)).map_err(|e| ctx.field_error(&key, e))?;
                ctx.sink.borrow_mut().saw(&key);
                take(&mut record, key, field).map_err(|m| ctx.fail(Bad::new(line, m)))?;
                fields += 1;
            }
        }
    }
    let metrics = !ctx.history.get() || record.values.iter().any(|(n, _)| ctx.sink.borrow().is_metric(n));
    // An entry of the history with no metric (the run's summary) makes no frame.
    if kind == Top::Lines && (fields > 0 || !top) && (metrics || !ctx.history.get()) {
        ctx.resolve_step(&mut record).map_err(|m| ctx.fail(Bad::new(line, m)))?;
        ctx.sink.borrow_mut().push(record).map_err(|bad| ctx.fail(bad))?;
    }
    Ok(kind)
}

/// A step field's value as JSON gives it.
#[derive(Debug)]
enum Field {
    Number(f64),
    Null,
    Indices(Vec<usize>),
    /// Something else, as a message names it ("text", "a list").
    Other(&'static str),
}

/// Puts `field` into `record` under `key`; the message names the field.
fn take(record: &mut Record, key: String, field: Field) -> Result<(), String> {
    let found = |field: &Field| match field {
        Field::Number(_) => "a number",
        Field::Null => "null",
        Field::Indices(_) => "a list",
        Field::Other(what) => what,
    };
    let whole = |v: f64| (v >= 0.0 && v.fract() == 0.0 && v <= 9_007_199_254_740_992.0).then_some(v as usize);
    match (key.as_str(), field) {
        (BATCH, Field::Indices(indices)) => record.batch = Some(Batch::Indices(indices)),
        (BATCH, Field::Number(v)) => match whole(v).filter(|&b| b > 0) {
            Some(size) => record.batch = Some(Batch::Size(size)),
            None => return Err(format!("field 'batch': {v} is not a batch size (a whole number, 1 or more)")),
        },
        (BATCH | LR, Field::Null) => {}
        // A step is checked as a whole number once the record says which field is its step.
        (STEP | SLOPE | INTERCEPT | LOSS | LR, Field::Number(v)) => record.values.push((key, v)),
        // The trace writes a non-finite number as null.
        (SLOPE | INTERCEPT | LOSS, Field::Null) => record.values.push((key, f64::NAN)),
        (STEP | BATCH | SLOPE | INTERCEPT | LOSS | LR, other) => {
            let wanted = match key.as_str() {
                STEP => "a whole number",
                BATCH => "a list of point indices or a batch size",
                LR => "a number or null",
                _ => "a number, or null for a non-finite one",
            };
            return Err(format!("field '{key}': expected {wanted}, found {}", found(&other)));
        }
        (_, Field::Number(v)) => record.values.push((key, v)),
        // Another metric's null: not logged at this step. Text, lists, objects: not metrics.
        (_, _) => {}
    }
    Ok(())
}

/// Reads one field's value; a list is read as point indices under `batch` and passed over elsewhere.
struct FieldSeed<'a>(&'a str);

impl<'de> DeserializeSeed<'de> for FieldSeed<'_> {
    type Value = Field;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Field, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for FieldSeed<'_> {
    type Value = Field;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Field, E> {
        Ok(Field::Number(v as f64))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Field, E> {
        Ok(Field::Number(v as f64))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Field, E> {
        Ok(Field::Number(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Field, E> {
        Ok(Field::Null)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Field, E> {
        Ok(Field::Other("true or false"))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Field, E> {
        Ok(non_finite(text).map_or(Field::Other("text"), Field::Number))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Field, A::Error> {
        if self.0 != BATCH {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            return Ok(Field::Other("a list"));
        }
        let mut indices = vec![];
        while let Some(i) = seq.next_element::<usize>()? {
            if indices.len() == MAX_POINTS {
                return Err(de::Error::custom(format!("more than {MAX_POINTS} indices")));
            }
            indices.push(i);
        }
        Ok(Field::Indices(indices))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Field, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Field::Other("an object"))
    }
}
