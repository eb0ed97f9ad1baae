//! What every log format turns into: records (one step's numbers, a line or row each) checked
//! in order as they arrive, thinned to every k-th, and gathered into columns, so memory holds
//! only the frames kept, however long the log.

use super::axis::is_bookkeeping;
use crate::run::{Dataset, TrainSettings};
use std::collections::HashMap;

/// The most metric columns a log may have: more than a legend can tell apart. A log with more
/// is refused before any is read (name some with `--metrics`).
pub const MAX_METRICS: usize = 100;

/// A problem on a line of the log: its 1-based line and what is wrong (naming the field).
#[derive(Debug, Clone, PartialEq)]
pub struct Bad {
    /// 1-based line.
    pub line: usize,
    /// What is wrong, naming the field: "field 'loss': expected a number, found text".
    pub message: String,
}

impl Bad {
    pub(crate) fn new(line: usize, message: impl Into<String>) -> Bad {
        Bad { line, message: message.into() }
    }
}

/// The field that holds a record's step.
pub(crate) const STEP: &str = "step";
/// The fields that make a record a step of a line fit.
pub(crate) const SLOPE: &str = "slope";
/// See [`SLOPE`].
pub(crate) const INTERCEPT: &str = "intercept";
/// The loss, which the trace writes as the full-data MSE.
pub(crate) const LOSS: &str = "loss";
/// The learning rate.
pub(crate) const LR: &str = "lr";
/// A step's mini-batch: its point indices, or its size.
pub(crate) const BATCH: &str = "batch";
/// Numeric columns that are bookkeeping, not metrics to draw.
pub(crate) const NOT_METRICS: [&str; 5] = ["epoch", "time", "timestamp", "wall_time", "walltime"];

/// What the sink made of a field's name.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Judged {
    /// A metric, in this column.
    Metric(usize),
    /// Not a metric.
    NotMetric,
}

/// A step's mini-batch as a log gives it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Batch {
    /// The indices of its points (the trace's form).
    Indices(Vec<usize>),
    /// Only its size.
    Size(usize),
}

/// One step of a log: a JSON Lines line, a trace step, a CSV row.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Record {
    /// The 1-based line it starts on.
    pub line: usize,
    /// Its step, if the log gives steps.
    pub step: Option<usize>,
    /// Its numbers, by name (non-finite ones included).
    pub values: Vec<(String, f64)>,
    /// Its numbers by column, for a reader that declared its columns (a CSV header): no name
    /// is copied or looked up a row.
    pub columns: Vec<(usize, f64)>,
    /// Its mini-batch, if logged.
    pub batch: Option<Batch>,
}

impl Record {
    /// Whether it gives `name`, whose column (if declared) is `column`.
    fn has(&self, name: &str, column: Option<usize>) -> bool {
        self.values.iter().any(|(n, _)| n == name) || self.columns.iter().any(|&(c, _)| Some(c) == column)
    }
}

/// What a log says about a setting over its steps: nothing, one value, or several.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(crate) enum Seen<T> {
    /// Never logged.
    #[default]
    Never,
    /// Always this value.
    Always(T),
    /// It changed (a schedule): the first and the last value.
    Varies(T, T),
}

impl<T: Copy + PartialEq> Seen<T> {
    fn see(&mut self, v: T) {
        *self = match *self {
            Seen::Never => Seen::Always(v),
            Seen::Always(a) if a == v => Seen::Always(a),
            Seen::Always(a) | Seen::Varies(a, _) => Seen::Varies(a, v),
        };
    }
}

/// How to read a log.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Thinning {
    /// Keep every `every`-th record (the first and the last always).
    pub every: usize,
    /// Keep the batches' indices (for `show_batch`).
    pub keep_batches: bool,
    /// The most frames kept; past it records are only counted.
    pub max_frames: usize,
}

/// The kept frames and what the log said besides.
#[derive(Debug, Clone, Default)]
pub(crate) struct Table {
    /// Each frame's step, increasing.
    pub steps: Vec<usize>,
    /// Each frame's line in the log.
    pub lines: Vec<usize>,
    /// Column names, in the order the log first gives them.
    pub names: Vec<String>,
    /// Per column, a value per frame (`None`: not logged by that frame's record or the
    /// dropped records before it).
    pub columns: Vec<Vec<Option<f64>>>,
    /// Per frame, its batch's indices when logged and kept.
    pub batches: Vec<Option<Vec<usize>>>,
    /// Records read (kept or not).
    pub records: usize,
    /// The last line read.
    pub last_line: usize,
    /// Whether more frames were kept than [`Thinning::max_frames`] allows.
    pub overflow: bool,
    /// Whether the first record had slope and intercept: a line fit.
    pub line_run: bool,
    /// The batch size over the steps.
    pub batch_size: Seen<usize>,
    /// The learning rate over the steps.
    pub lr: Seen<f64>,
    /// The field names met in the first records, metrics or not (at most 20), for a message
    /// that says what was found.
    pub seen: Vec<String>,
    /// The points, with the line that gave them.
    pub data: Option<(Dataset, usize)>,
    /// The true line of the data, when the log says it.
    pub truth: Option<(f64, f64)>,
    /// Whether the log says the data was drawn as the lesson's (`"limits": "lesson"`: the
    /// line panel's y axis covers the data and the start line), as a trace of it does.
    pub lesson_limits: bool,
    /// The settings a trace names.
    pub settings: Option<TrainSettings>,
    /// The name of the column the steps come from (`step`, `Step`, `epoch`...); empty: counted.
    pub axis: String,
    /// The run's name, when the log gives one (W&B's `<run> - ` column prefix).
    pub run_name: Option<String>,
}

impl Table {
    /// The column called `name`.
    pub fn column(&self, name: &str) -> Option<&[Option<f64>]> {
        self.names.iter().position(|n| n == name).map(|i| self.columns[i].as_slice())
    }
}

/// What a log's `data` object holds.
#[derive(Debug)]
pub(crate) struct LoggedData {
    /// The points.
    pub points: Dataset,
    /// The line they were drawn from, when known.
    pub truth: Option<(f64, f64)>,
    /// Whether they were drawn as the lesson's data (`"limits": "lesson"`).
    pub lesson_limits: bool,
}

/// A record that thinning dropped: the last frame, if no later record comes.
#[derive(Debug)]
struct Held {
    step: usize,
    line: usize,
    batch: Option<Vec<usize>>,
}

/// Takes records in log order, checks them and keeps every k-th as a frame.
#[derive(Debug)]
pub(crate) struct Sink {
    thinning: Thinning,
    table: Table,
    index: HashMap<String, usize>,
    /// Per column, the latest value of the records since the last kept frame.
    pending: Vec<Option<f64>>,
    held: Option<Held>,
    /// The previous record's step and line.
    previous: Option<(usize, usize)>,
    /// Whether records give their step, as the first one does; its line.
    first: Option<(bool, usize)>,
    /// The metrics to keep, in order (`--metrics`); `None`: every metric, no bookkeeping.
    wanted: Option<Vec<String>>,
    /// Names met that are not metrics.
    not_metrics: std::collections::HashSet<String>,
    /// The column of the learning rate (`usize::MAX` until one is met).
    lr_column: usize,
    /// The axis (`--x epoch`, `--x time`) whose column is kept besides the metrics, the
    /// frames stepping on the finest step column (see [`super::axis::is_x`]).
    also: Option<String>,
}

impl Sink {
    pub(crate) fn new(thinning: Thinning) -> Sink {
        Sink {
            thinning,
            table: Table::default(),
            index: HashMap::new(),
            pending: vec![],
            held: None,
            previous: None,
            first: None,
            wanted: None,
            not_metrics: std::collections::HashSet::new(),
            lr_column: usize::MAX,
            also: None,
        }
    }

    /// Keeps the column of the axis `x` too (see [`Sink::also`](Sink)).
    pub(crate) fn also(&mut self, x: Option<String>) {
        self.also = x;
    }

    /// Keeps only the metrics named (clocks and bookkeeping too, when named).
    pub(crate) fn want(&mut self, metrics: Option<Vec<String>>) {
        self.wanted = metrics;
    }

    /// Names the run.
    pub(crate) fn run_name(&mut self, name: &str) {
        self.table.run_name = Some(name.to_string());
    }

    /// Names the column the steps come from.
    pub(crate) fn axis(&mut self, name: &str) {
        self.table.axis = name.to_string();
    }

    /// Whether `--metrics` names `name`.
    pub(crate) fn named(&self, name: &str) -> bool {
        self.wanted.as_ref().is_some_and(|w| w.iter().any(|n| n == name))
    }

    /// Whether a field called `name` is a metric kept as a series: named by `--metrics`, or,
    /// when none are named, neither a step, a batch nor bookkeeping.
    pub(crate) fn is_metric(&self, name: &str) -> bool {
        if self.also.as_deref().is_some_and(|x| super::axis::is_x(x, name)) {
            return true;
        }
        match &self.wanted {
            Some(wanted) => wanted.iter().any(|w| w == name),
            None => ![STEP, BATCH].contains(&name) && !NOT_METRICS.contains(&name) && !is_bookkeeping(name),
        }
    }

    /// Notes a field name met (for the message of a log with nothing to draw).
    pub(crate) fn saw(&mut self, name: &str) {
        // The first records name the fields a log has; looking further only costs time.
        if self.table.records > 64 {
            return;
        }
        self.saw_always(name);
    }

    /// [`Sink::saw`], however many records were read (a stream names its series as it goes).
    pub(crate) fn saw_always(&mut self, name: &str) {
        if self.table.seen.len() < 20 && !self.table.seen.iter().any(|s| s == name) {
            self.table.seen.push(name.to_string());
        }
    }

    /// What a field called `name` has been judged, if it has been.
    pub(crate) fn judged(&self, name: &str) -> Option<Judged> {
        match self.index.get(name) {
            Some(&i) => Some(Judged::Metric(i)),
            None => self.not_metrics.contains(name).then_some(Judged::NotMetric),
        }
    }

    /// Makes a column for `name` now (a CSV header's order is the series' order).
    pub(crate) fn declare(&mut self, name: &str, line: usize) -> Result<Option<usize>, Bad> {
        self.metric_column(name.to_string(), line)
    }

    /// The log's points; a second set is refused.
    pub(crate) fn data(&mut self, data: LoggedData, line: usize) -> Result<(), Bad> {
        if let Some((_, first)) = &self.table.data {
            return Err(Bad::new(line, format!("field 'data': a second set of points (the first is on line {first})")));
        }
        self.table.data = Some((data.points, line));
        self.table.truth = data.truth;
        self.table.lesson_limits = data.lesson_limits;
        Ok(())
    }

    /// The settings of a trace.
    pub(crate) fn settings(&mut self, settings: TrainSettings) {
        self.table.settings = Some(settings);
    }

    /// Takes the next record.
    pub(crate) fn push(&mut self, record: Record) -> Result<(), Bad> {
        let line = record.line;
        self.table.records += 1;
        self.table.last_line = line;
        let step = self.step_of(&record)?;
        if self.previous.is_some_and(|(previous, _)| previous == step) {
            // Another record of the same step (Lightning's validation row, Hugging Face's
            // eval entry): its values join that step's frame.
            self.table.records -= 1;
            return self.merge(record);
        }
        let first_line = self.first.map_or(line, |(_, l)| l);
        if self.previous.is_none() {
            let column = |name: &str| self.index.get(name).copied();
            self.table.line_run = record.has(SLOPE, column(SLOPE)) && record.has(INTERCEPT, column(INTERCEPT));
        } else if self.table.line_run {
            for name in [SLOPE, INTERCEPT] {
                if !record.has(name, self.index.get(name).copied()) {
                    return Err(Bad::new(
                        line,
                        format!(
                            "missing field '{name}': the log fits a line (line {first_line} gives slope and \
                             intercept), so every step needs both"
                        ),
                    ));
                }
            }
        }
        let mut given = Vec::with_capacity(record.values.len());
        for (name, value) in record.values {
            if let Some(column) = self.metric_column(name, line)? {
                given.push((column, value));
            }
        }
        for (column, value) in given.into_iter().chain(record.columns) {
            if column == self.lr_column {
                self.table.lr.see(value);
            }
            self.pending[column] = Some(value);
        }
        let batch = match record.batch {
            Some(Batch::Indices(indices)) => {
                self.table.batch_size.see(indices.len());
                self.thinning.keep_batches.then_some(indices)
            }
            Some(Batch::Size(size)) => {
                self.table.batch_size.see(size);
                None
            }
            None => None,
        };
        self.previous = Some((step, line));
        if (self.table.records - 1).is_multiple_of(self.thinning.every) {
            self.held = None;
            self.keep(step, line, batch);
        } else {
            self.held = Some(Held { step, line, batch });
        }
        Ok(())
    }

    /// The record's step, checked against the one before: given (or counted from 0 when the
    /// log gives none), and after the previous one.
    fn step_of(&mut self, record: &Record) -> Result<usize, Bad> {
        let line = record.line;
        let (gives, first_line) = *self.first.get_or_insert((record.step.is_some(), line));
        let step = match (gives, record.step) {
            (true, Some(step)) => step,
            (false, None) => self.table.records - 1,
            (true, None) => {
                return Err(Bad::new(line, format!("missing field 'step' (line {first_line} gives its step)")));
            }
            (false, Some(_)) => {
                return Err(Bad::new(
                    line,
                    format!(
                        "field 'step': line {first_line} gives no step, so steps are counted from 0; give every \
                         record a step, or none"
                    ),
                ));
            }
        };
        if let Some((previous, previous_line)) = self.previous {
            if step < previous {
                return Err(Bad::new(
                    line,
                    format!(
                        "field 'step': step {step} after step {previous} (line {previous_line}); steps must increase"
                    ),
                ));
            }
        }
        Ok(step)
    }

    /// The values of a record of the step before: into its frame when kept, else with the
    /// values waiting for the next frame. A later value of a metric replaces an earlier one.
    fn merge(&mut self, record: Record) -> Result<(), Bad> {
        let into_frame = self.held.is_none() && !self.table.overflow;
        let mut given = Vec::with_capacity(record.values.len());
        for (name, value) in record.values {
            if let Some(column) = self.metric_column(name, record.line)? {
                given.push((column, value));
            }
        }
        for (column, value) in given.into_iter().chain(record.columns) {
            if column == self.lr_column {
                self.table.lr.see(value);
            }
            match self.table.columns[column].last_mut().filter(|_| into_frame) {
                Some(slot) => *slot = Some(value),
                None => self.pending[column] = Some(value),
            }
        }
        Ok(())
    }

    /// The column of a field called `name` if it is a metric (noting the name as met); the
    /// answer is kept, so a name is judged once, however many records give it.
    fn metric_column(&mut self, name: String, line: usize) -> Result<Option<usize>, Bad> {
        if let Some(&i) = self.index.get(&name) {
            return Ok(Some(i));
        }
        if self.not_metrics.contains(&name) {
            return Ok(None);
        }
        self.saw(&name);
        if !self.is_metric(&name) {
            self.not_metrics.insert(name);
            return Ok(None);
        }
        let is_lr = name == LR;
        let column = self.column(name, line)?;
        if is_lr {
            self.lr_column = column;
        }
        Ok(Some(column))
    }

    /// The index of column `name`, made (with nothing logged for earlier frames) if new.
    fn column(&mut self, name: String, line: usize) -> Result<usize, Bad> {
        if let Some(&i) = self.index.get(&name) {
            return Ok(i);
        }
        if self.table.names.len() == MAX_METRICS {
            return Err(Bad::new(
                line,
                format!(
                    "more than {MAX_METRICS} metrics (a new one: '{}'), more than a legend tells apart; name the \
                     ones to draw with --metrics",
                    crate::error::cut(&crate::error::escape_controls(&name, &[]))
                ),
            ));
        }
        let i = self.table.names.len();
        self.table.columns.push(vec![None; self.table.steps.len()]);
        self.pending.push(None);
        self.index.insert(name.clone(), i);
        self.table.names.push(name);
        Ok(i)
    }

    /// Makes a frame of the record at `step`, with the latest values since the last frame.
    fn keep(&mut self, step: usize, line: usize, batch: Option<Vec<usize>>) {
        if self.table.steps.len() >= self.thinning.max_frames {
            self.table.overflow = true;
            self.pending.iter_mut().for_each(|p| *p = None);
            return;
        }
        self.table.steps.push(step);
        self.table.lines.push(line);
        self.table.batches.push(batch);
        for (column, pending) in self.table.columns.iter_mut().zip(&mut self.pending) {
            column.push(pending.take());
        }
    }

    /// The frames, the last record kept whatever the thinning.
    pub(crate) fn finish(mut self) -> Table {
        if let Some(Held { step, line, batch }) = self.held.take() {
            self.keep(step, line, batch);
        }
        self.table
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(line: usize, step: Option<usize>, values: &[(&str, f64)]) -> Record {
        Record {
            line,
            step,
            values: values.iter().map(|(n, v)| (n.to_string(), *v)).collect(),
            batch: None,
            columns: vec![],
        }
    }

    fn sink(every: usize) -> Sink {
        Sink::new(Thinning { every, keep_batches: true, max_frames: 1000 })
    }

    #[test]
    fn steps_must_increase_and_the_error_names_both_lines() {
        let mut s = sink(1);
        s.push(record(1, Some(0), &[("loss", 1.0)])).unwrap();
        s.push(record(2, Some(10), &[("loss", 0.5)])).unwrap();
        // The same step again is merged (see the merge test); a step back is refused.
        let back = s.push(record(4, Some(5), &[("loss", 0.4)])).unwrap_err();
        assert_eq!(back.line, 4);
        assert!(back.message.contains("step 5 after step 10 (line 2); steps must increase"), "{}", back.message);
        let missing = s.push(record(5, None, &[("loss", 0.4)])).unwrap_err();
        assert_eq!(missing, Bad::new(5, "missing field 'step' (line 1 gives its step)"));
        // A log without steps counts them; then one with a step is refused.
        let mut counted = sink(1);
        counted.push(record(1, None, &[("loss", 1.0)])).unwrap();
        counted.push(record(2, None, &[("loss", 1.0)])).unwrap();
        assert_eq!(counted.push(record(3, Some(7), &[])).unwrap_err().line, 3);
        assert_eq!(counted.finish().steps, vec![0, 1]);
    }

    #[test]
    fn records_of_one_step_merge_into_its_frame_whether_kept_or_held() {
        let mut s = sink(1);
        s.push(record(2, Some(0), &[("loss", 2.0), ("epoch", 0.0)])).unwrap();
        s.push(record(3, Some(0), &[("val_loss", 2.5)])).unwrap();
        s.push(record(4, Some(9), &[("loss", 1.0)])).unwrap();
        s.push(record(5, Some(9), &[("val_loss", 1.5), ("loss", 0.9)])).unwrap();
        let t = s.finish();
        assert_eq!((t.steps.clone(), t.records, t.lines.clone()), (vec![0, 9], 2, vec![2, 4]));
        assert_eq!(t.column("loss").unwrap(), &[Some(2.0), Some(0.9)], "the later value wins");
        assert_eq!(t.column("val_loss").unwrap(), &[Some(2.5), Some(1.5)]);
        assert!(t.column("epoch").is_none(), "bookkeeping");
        // Thinned: the merged values of a dropped step show at the next kept frame.
        let mut s = sink(2);
        for (line, step, name) in [(1, 0, "loss"), (2, 1, "loss"), (3, 1, "val_loss"), (4, 2, "loss")] {
            s.push(record(line, Some(step), &[(name, line as f64)])).unwrap();
        }
        let t = s.finish();
        assert_eq!(t.steps, vec![0, 2]);
        assert_eq!(t.column("val_loss").unwrap(), &[None, Some(3.0)]);
    }

    #[test]
    fn metric_columns_are_bounded_and_named_ones_kept_alone() {
        let mut s = sink(1);
        let values: Vec<(String, f64)> = (0..=MAX_METRICS).map(|i| (format!("m{i}"), 1.0)).collect();
        let e = s.push(Record { line: 2, step: Some(0), values, batch: None, columns: vec![] }).unwrap_err();
        assert!(e.message.contains(&format!("more than {MAX_METRICS} metrics")), "{e:?}");
        let mut s = sink(1);
        s.want(Some(vec!["val_loss".into(), "Wall time".into()]));
        s.push(record(1, Some(0), &[("loss", 1.0), ("val_loss", 2.0), ("Wall time", 3.0)])).unwrap();
        assert_eq!(s.finish().names, vec!["val_loss".to_string(), "Wall time".to_string()]);
    }

    #[test]
    fn thinning_keeps_every_kth_the_last_and_the_values_between() {
        let mut s = sink(3);
        for k in 0..8 {
            let mut values = vec![("loss", 10.0 - k as f64)];
            if k == 4 {
                values.push(("val_loss", 7.0));
            }
            s.push(record(k + 1, Some(k * 10), &values)).unwrap();
        }
        let t = s.finish();
        assert_eq!(t.steps, vec![0, 30, 60, 70], "every third record, and the last");
        assert_eq!(t.lines, vec![1, 4, 7, 8]);
        assert_eq!(t.column("loss").unwrap(), &[Some(10.0), Some(7.0), Some(4.0), Some(3.0)]);
        // Logged at step 40, between kept frames: shown at the next kept one.
        assert_eq!(t.column("val_loss").unwrap(), &[None, None, Some(7.0), None]);
        assert_eq!(t.records, 8);
    }

    #[test]
    fn a_line_run_needs_slope_and_intercept_on_every_step() {
        let mut s = sink(1);
        s.push(record(1, Some(0), &[("slope", -1.0), ("intercept", 1.0)])).unwrap();
        let e = s.push(record(2, Some(1), &[("slope", -0.5), ("loss", 3.0)])).unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.starts_with("missing field 'intercept'"), "{}", e.message);
    }

    #[test]
    fn frames_past_the_most_are_counted_not_kept() {
        let mut s = Sink::new(Thinning { every: 1, keep_batches: false, max_frames: 3 });
        for k in 0..10 {
            s.push(record(k + 1, Some(k), &[("loss", 1.0)])).unwrap();
        }
        let t = s.finish();
        assert!(t.overflow);
        assert_eq!((t.steps.len(), t.records), (3, 10));
    }
}
