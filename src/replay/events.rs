//! TensorBoard event files (`events.out.tfevents.*`), what PyTorch's `SummaryWriter`, Keras'
//! `TensorBoard` callback and Lightning's default logger write: TFRecords (see
//! [`tfrecord`](super::tfrecord)) each holding an `Event` protocol buffer. A scalar comes as
//! `simple_value` (PyTorch, TF1) or as a scalar float or double tensor of the `scalars` plugin
//! (TF2, Keras; the plugin is named with a tag's first value only). Images, histograms, text
//! and the rest are passed over and counted.
//!
//! The messages declare only the fields read; prost skips the others without keeping them.

use super::tfrecord::{Damage, Records};
use std::collections::HashMap;
use std::io::Read;

/// `tensorflow.Event`.
#[derive(Clone, PartialEq, prost::Message)]
struct Event {
    #[prost(int64, tag = "2")]
    step: i64,
    #[prost(message, optional, tag = "5")]
    summary: Option<Summary>,
}

/// `tensorflow.Summary`.
#[derive(Clone, PartialEq, prost::Message)]
struct Summary {
    #[prost(message, repeated, tag = "1")]
    value: Vec<Value>,
}

/// A message whose fields are not read: only that it is there counts.
#[derive(Clone, PartialEq, prost::Message)]
struct Present {}

/// `tensorflow.Summary.Value`.
#[derive(Clone, PartialEq, prost::Message)]
struct Value {
    #[prost(string, tag = "1")]
    tag: String,
    #[prost(float, optional, tag = "2")]
    simple: Option<f32>,
    #[prost(bytes = "vec", optional, tag = "3")]
    old_histogram: Option<Vec<u8>>,
    #[prost(message, optional, tag = "4")]
    image: Option<Present>,
    #[prost(message, optional, tag = "5")]
    histo: Option<Present>,
    #[prost(message, optional, tag = "6")]
    audio: Option<Present>,
    /// Boxed: a value is decoded in place and moved, and most values hold no tensor.
    #[prost(message, optional, boxed, tag = "8")]
    tensor: Option<Box<Tensor>>,
    #[prost(message, optional, tag = "9")]
    metadata: Option<Metadata>,
}

/// `tensorflow.SummaryMetadata`.
#[derive(Clone, PartialEq, prost::Message)]
struct Metadata {
    #[prost(message, optional, tag = "1")]
    plugin_data: Option<PluginData>,
    #[prost(int32, tag = "4")]
    data_class: i32,
}

/// `tensorflow.SummaryMetadata.PluginData`.
#[derive(Clone, PartialEq, prost::Message)]
struct PluginData {
    #[prost(string, tag = "1")]
    plugin_name: String,
}

/// `tensorflow.TensorProto`, the fields a scalar uses.
#[derive(Clone, PartialEq, prost::Message)]
struct Tensor {
    #[prost(int32, tag = "1")]
    dtype: i32,
    #[prost(message, optional, tag = "2")]
    shape: Option<Shape>,
    #[prost(bytes = "vec", tag = "4")]
    content: Vec<u8>,
    #[prost(float, repeated, tag = "5")]
    float_val: Vec<f32>,
    #[prost(double, repeated, tag = "6")]
    double_val: Vec<f64>,
    #[prost(int32, repeated, tag = "7")]
    int_val: Vec<i32>,
    #[prost(int64, repeated, tag = "10")]
    int64_val: Vec<i64>,
}

/// `tensorflow.TensorShapeProto`.
#[derive(Clone, PartialEq, prost::Message)]
struct Shape {
    #[prost(message, repeated, tag = "2")]
    dim: Vec<Present>,
}

/// `DataType`: `DT_FLOAT`, `DT_DOUBLE`, `DT_INT32`, `DT_INT64`.
const DT_FLOAT: i32 = 1;
const DT_DOUBLE: i32 = 2;
const DT_INT32: i32 = 3;
const DT_INT64: i32 = 9;
/// `DataClass.DATA_CLASS_SCALAR`.
const DATA_CLASS_SCALAR: i32 = 1;

impl Tensor {
    /// The number a scalar tensor holds.
    fn scalar(&self) -> Option<f64> {
        if self.shape.as_ref().is_some_and(|s| !s.dim.is_empty()) {
            return None;
        }
        let content = |n: usize| (self.content.len() == n).then_some(self.content.as_slice());
        match self.dtype {
            DT_FLOAT => self
                .float_val
                .first()
                .map(|&v| f64::from(v))
                .or_else(|| content(4).map(|b| f64::from(f32::from_le_bytes([b[0], b[1], b[2], b[3]])))),
            DT_DOUBLE => self
                .double_val
                .first()
                .copied()
                .or_else(|| content(8).map(|b| f64::from_le_bytes(b.try_into().unwrap_or_default()))),
            DT_INT32 => self.int_val.first().map(|&v| f64::from(v)),
            DT_INT64 => self.int64_val.first().map(|&v| v as f64),
            _ => None,
        }
    }
}

/// The series' names, the points in step order (step, series, value), and what was passed over.
pub(crate) type ByStep = (Vec<String>, Vec<(u64, u32, f64)>, Vec<(String, usize)>);

/// The scalars of one or more event files, and what was passed over.
#[derive(Debug, Default)]
pub(crate) struct Scalars {
    /// The series' names (`prefix` + tag), in the order first met.
    pub names: Vec<String>,
    index: HashMap<String, u32>,
    /// (step, series, value), in file order.
    pub points: Vec<(u64, u32, f64)>,
    /// Values passed over, by kind (`images`, `histograms`, `text`...).
    pub skipped: Vec<(String, usize)>,
    /// The plugin each tag named with its first value (TF2 names it once).
    plugins: HashMap<String, String>,
}

/// A damaged or unreadable event file: the byte offset (none: reading failed) and what is wrong.
#[derive(Debug)]
pub(crate) struct Broken {
    pub offset: Option<u64>,
    pub message: String,
}

impl Scalars {
    /// Reads the events of `reader`, naming each series `prefix` + its tag. A damaged record
    /// stops the read; the values before it are kept, and the damage returned.
    pub(crate) fn read(&mut self, reader: impl Read, prefix: &str) -> Result<(), Broken> {
        self.read_each(reader, prefix, |_| true)
    }

    /// [`Scalars::read`], calling `each` after every event with the points read so far (which
    /// it may take away); reading stops, without an error, when `each` says false.
    pub(crate) fn read_each(
        &mut self,
        reader: impl Read,
        prefix: &str,
        mut each: impl FnMut(&mut Scalars) -> bool,
    ) -> Result<(), Broken> {
        let mut records = Records::new(reader);
        let mut tags = Tags::default();
        loop {
            let offset = records.offset();
            let data = match records.next_record() {
                Ok(Some(data)) => data,
                Ok(None) => return Ok(()),
                Err(Damage::At(offset, message)) => return Err(Broken { offset: Some(offset), message }),
                Err(Damage::Io(e)) => return Err(Broken { offset: None, message: e.to_string() }),
            };
            let event = <Event as prost::Message>::decode(data)
                .map_err(|e| Broken { offset: Some(offset), message: format!("not an event ({e})") })?;
            let Some(summary) = event.summary else { continue };
            let Ok(step) = u64::try_from(event.step) else {
                let message = format!("step {} is negative", event.step);
                return Err(Broken { offset: Some(offset), message });
            };
            for value in summary.value {
                self.take(step, prefix, value, &mut tags);
            }
            if !each(self) {
                return Ok(());
            }
        }
    }

    fn take(&mut self, step: u64, prefix: &str, value: Value, tags: &mut Tags) {
        if let Some(p) = value.metadata.as_ref().and_then(|m| m.plugin_data.as_ref()) {
            if !p.plugin_name.is_empty() {
                self.plugins.insert(value.tag.clone(), p.plugin_name.clone());
            }
        }
        // The plugin a tag's value belongs to: named with it, or with the tag's first value.
        let plugin = |plugins: &HashMap<String, String>| plugins.get(&value.tag).cloned();
        let number = match (&value.simple, &value.tensor) {
            (Some(v), _) => Some(f64::from(*v)),
            (None, Some(t)) => {
                let scalar_class = value.metadata.as_ref().is_some_and(|m| m.data_class == DATA_CLASS_SCALAR);
                let scalars = self.plugins.get(&value.tag).is_none_or(|p| p == "scalars");
                (scalars || scalar_class).then(|| t.scalar()).flatten()
            }
            _ => None,
        };
        if let Some(v) = number {
            let series = tags.series(self, prefix, &value.tag);
            self.points.push((step, series, v));
            return;
        }
        let kind = if value.image.is_some() {
            "images".to_string()
        } else if value.histo.is_some() || value.old_histogram.is_some() {
            "histograms".to_string()
        } else if value.audio.is_some() {
            "audio".to_string()
        } else {
            plugin(&self.plugins).unwrap_or_else(|| "other values".into())
        };
        match self.skipped.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, n)) => *n += 1,
            None => self.skipped.push((kind, 1)),
        }
    }

    /// Adds a value of the series `name` at `step`.
    pub(crate) fn push(&mut self, step: u64, name: &str, value: f64) {
        let series = self.series("", name);
        self.points.push((step, series, value));
    }

    fn series(&mut self, prefix: &str, tag: &str) -> u32 {
        if prefix.is_empty() {
            if let Some(&i) = self.index.get(tag) {
                return i;
            }
        }
        let name = format!("{prefix}{tag}");
        if let Some(&i) = self.index.get(&name) {
            return i;
        }
        let i = self.names.len() as u32;
        self.index.insert(name.clone(), i);
        self.names.push(name);
        i
    }

    /// The points in step order (a step's values in the order read; the later value of a
    /// series at one step wins, as TensorBoard shows it).
    pub(crate) fn by_step(mut self) -> ByStep {
        self.points.sort_by_key(|&(step, _, _)| step);
        (self.names, self.points, self.skipped)
    }
}

/// The series of the tags one read has met. Tags come back in the order they came before (a
/// step's tags, logged in one order each step), so the entry that followed a tag last time is
/// tried first: most values are matched by comparing their tag, with nothing hashed or copied.
#[derive(Default)]
struct Tags {
    /// (tag, its series, the entry that followed it last).
    known: Vec<(String, u32, usize)>,
    /// The entry of each tag.
    index: HashMap<String, usize>,
    /// The entry met last.
    last: usize,
}

impl Tags {
    /// The series of `tag` (named `prefix` + tag) in `scalars`, made if new.
    fn series(&mut self, scalars: &mut Scalars, prefix: &str, tag: &str) -> u32 {
        let guess = self.known.get(self.last).map(|&(_, _, next)| next);
        if let Some(g) = guess.filter(|&g| self.known[g].0 == tag) {
            self.last = g;
            return self.known[g].1;
        }
        let entry = self.index.get(tag).copied().unwrap_or_else(|| {
            self.known.push((tag.to_string(), scalars.series(prefix, tag), 0));
            self.index.insert(tag.to_string(), self.known.len() - 1);
            self.known.len() - 1
        });
        if let Some(last) = self.known.get_mut(self.last) {
            last.2 = entry;
        }
        self.last = entry;
        self.known[entry].1
    }
}

/// One event a test or bench writes: a step's scalars as `simple_value`s.
#[must_use]
pub fn simple_event(step: i64, values: &[(&str, f32)]) -> Vec<u8> {
    let value =
        values.iter().map(|(tag, v)| Value { tag: (*tag).to_string(), simple: Some(*v), ..Value::default() }).collect();
    prost::Message::encode_to_vec(&Event { step, summary: Some(Summary { value }) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::replay::tfrecord::frame;

    fn tensor_event(step: i64, tag: &str, v: f64, plugin: Option<&str>) -> Vec<u8> {
        let metadata = plugin.map(|p| Metadata {
            plugin_data: Some(PluginData { plugin_name: p.into() }),
            data_class: DATA_CLASS_SCALAR,
        });
        let tensor = Tensor { dtype: DT_DOUBLE, content: v.to_le_bytes().to_vec(), ..Tensor::default() };
        let value = Value { tag: tag.into(), tensor: Some(Box::new(tensor)), metadata, ..Value::default() };
        prost::Message::encode_to_vec(&Event { step, summary: Some(Summary { value: vec![value] }) })
    }

    #[test]
    fn simple_values_and_scalar_tensors_are_read_and_images_counted() {
        let image = Value { tag: "img".into(), image: Some(Present {}), ..Value::default() };
        let stream = [
            frame(&simple_event(0, &[("loss", 2.5), ("lr", 0.125)])),
            frame(&tensor_event(0, "epoch_loss", 3.0, Some("scalars"))),
            frame(&tensor_event(1, "epoch_loss", 1.5, None)),
            frame(&prost::Message::encode_to_vec(&Event { step: 1, summary: Some(Summary { value: vec![image] }) })),
            frame(&simple_event(1, &[("loss", 1.25)])),
        ]
        .concat();
        let mut scalars = Scalars::default();
        scalars.read(stream.as_slice(), "train/").unwrap();
        let (names, points, skipped) = scalars.by_step();
        assert_eq!(names, ["train/loss", "train/lr", "train/epoch_loss"]);
        assert_eq!(points, [(0, 0, 2.5), (0, 1, 0.125), (0, 2, 3.0), (1, 2, 1.5), (1, 0, 1.25)]);
        assert_eq!(skipped, [("images".to_string(), 1)]);
    }

    #[test]
    fn tags_in_any_order_and_several_reads_keep_their_series() {
        // Cycles, a change of order, a repeat and a new tag mid-way; then a second file.
        let order = ["a", "b", "c", "a", "b", "c", "b", "a", "a", "d", "c", "a", "b", "c", "d"];
        let stream: Vec<u8> =
            order.iter().enumerate().flat_map(|(k, t)| frame(&simple_event(k as i64, &[(t, k as f32)]))).collect();
        let mut scalars = Scalars::default();
        scalars.read(stream.as_slice(), "").unwrap();
        scalars.read(stream.as_slice(), "v/").unwrap();
        scalars.read(&stream[..], "").unwrap();
        let (names, points, _) = scalars.by_step();
        assert_eq!(names, ["a", "b", "c", "d", "v/a", "v/b", "v/c", "v/d"]);
        let series = |t: &str| names.iter().position(|n| n == t).unwrap() as u32;
        let mut want = vec![];
        for (k, tag) in order.iter().enumerate() {
            for prefix in ["", "v/", ""] {
                want.push((k as u64, series(&format!("{prefix}{tag}")), k as f64));
            }
        }
        assert_eq!(points, want);
    }
}
