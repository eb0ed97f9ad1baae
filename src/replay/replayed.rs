//! A log read back: its run, its points, its curves and what the reader should know.

use super::{Curves, LogFormat};
use crate::run::{Dataset, Run};

/// A log, read back.
#[derive(Debug, Clone, PartialEq)]
pub struct Replay {
    /// How it was written.
    pub format: LogFormat,
    /// A snapshot per frame. A line fit's are its steps (the loss computed from the data where
    /// not logged); a curves-only log's carry only their step, and a loss that is NaN from
    /// the first step with a non-finite value (so the run reads as diverged there).
    pub run: Run,
    /// The points of a line fit; `None` for a curves-only log.
    pub data: Option<Dataset>,
    /// The logged series, a value per frame (a line fit's: besides slope and intercept).
    pub curves: Curves,
    /// Whether the run's loss is the data's MSE (computed, our trace's, or logged and equal to
    /// it): the loss panel is then render's; otherwise it draws the logged values.
    pub loss_is_mse: bool,
    /// What the caption calls the run; `None`: its settings say (a trace).
    pub label: Option<String>,
    /// The true line of the data, when the log says it.
    pub truth: Option<(f64, f64)>,
    /// Whether the line panel's y axis covers the data alone (the user's points fill the
    /// plot), as `render --data` draws it: a trace of such a render. False for a trace of the
    /// lesson's data and for every other log: the axes cover the data and the start line, so
    /// frame 0 shows where the run starts (matplotlib autoscales to both).
    pub data_limits: bool,
    /// Whether reading it went past a work budget that only [`ReadOptions::force`](super::ReadOptions::force) lifts
    /// (computing the loss of many steps over many points).
    pub forced: bool,
    /// Steps the log holds (kept or not).
    pub logged_steps: usize,
    /// What a reader should know: values passed over (images, histograms), a damaged record
    /// after which an event file's values were not read.
    pub notes: Vec<String>,
}

impl Replay {
    /// Whether the log fits a line (slope and intercept a step).
    #[must_use]
    pub fn is_line(&self) -> bool {
        self.data.is_some()
    }
}
