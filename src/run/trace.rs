//! The trace's `settings` object (`render --trace`): one schema type, written by
//! `output::trace` and read back by `replay`, so the two cannot drift apart. The points and the
//! steps around it are streamed by their own writer and readers (a trace's steps are read by
//! the same code as a JSON Lines log's). `schema/trace.schema.json` describes the whole file.

use super::optimizer::Optimizer;
use super::sampling::{BatchSize, Sampling};
use super::settings::TrainSettings;
use super::Run;
use serde::{Deserialize, Serialize};

/// A trace's settings. Reading, every field may be missing (a trace written by hand): the
/// learning rate is then unknown (NaN), the seed 0, the sampling and the optimiser the
/// defaults. `steps`, `start` and `diverged_at` are written for the reader's eye and never read
/// back: a replay takes them from the steps themselves.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct TraceSettings {
    /// Learning rate.
    pub lr: Option<f64>,
    /// The mini-batch size; `null` for full batch.
    pub batch_size: Option<usize>,
    /// Number of updates.
    #[serde(skip_deserializing)]
    pub steps: usize,
    /// The user's seed (the run's sampling seed is derived from it).
    pub seed: Option<u64>,
    /// Start guess: slope, intercept.
    #[serde(skip_deserializing)]
    pub start: [f64; 2],
    /// How mini-batches were drawn, by [`Sampling::trace_name`].
    pub sampling: Option<Sampling>,
    /// The update rule and its settings (`{"name": "momentum", "momentum": 0.9}`).
    pub optimizer: Option<Optimizer>,
    /// The step the run diverged at, if it did ([`Run::diverged_at`]).
    #[serde(skip_deserializing)]
    pub diverged_at: Option<usize>,
}

impl TraceSettings {
    /// What a trace of `run` says of its settings; `seed` is the user's seed.
    #[must_use]
    pub fn of(run: &Run, seed: u64) -> TraceSettings {
        let s = &run.settings;
        TraceSettings {
            lr: Some(s.lr),
            batch_size: s.batch_size.size(),
            steps: s.steps,
            seed: Some(seed),
            start: [s.start.0, s.start.1],
            sampling: Some(s.sampling),
            optimizer: Some(s.optimizer),
            diverged_at: run.diverged_at(),
        }
    }

    /// The training settings a trace read back gives (their start and steps come from the
    /// steps).
    pub fn into_settings(self) -> Result<TrainSettings, String> {
        Ok(TrainSettings {
            lr: self.lr.unwrap_or(f64::NAN),
            batch_size: self.batch_size.map_or(BatchSize::Full, BatchSize::Size),
            sampling: self.sampling.unwrap_or_default(),
            optimizer: self.optimizer.unwrap_or_default(),
            seed: self.seed.unwrap_or(0),
            ..TrainSettings::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::Snapshot;

    #[test]
    fn written_and_read_back_by_the_one_type() {
        let settings = TrainSettings {
            lr: 0.05,
            batch_size: BatchSize::Size(8),
            sampling: Sampling::Shuffle,
            optimizer: Optimizer::RmsProp { beta2: 0.9 },
            seed: 7,
            ..TrainSettings::default()
        };
        let snap = Snapshot { step: 0, slope: -1.0, intercept: 1.0, loss: 3.0, batch: None };
        let run = Run { settings: settings.clone(), snapshots: vec![snap] };
        let text = serde_json::to_string(&TraceSettings::of(&run, 7)).unwrap();
        assert_eq!(
            text,
            r#"{"lr":0.05,"batch_size":8,"steps":100,"seed":7,"start":[-1.0,1.0],"sampling":"shuffle","optimizer":{"name":"rmsprop","beta2":0.9},"diverged_at":null}"#
        );
        let back: TraceSettings = serde_json::from_str(&text).unwrap();
        assert_eq!(back.into_settings().unwrap(), TrainSettings { seed: 7, ..settings });
        // Hand-written: anything may be missing.
        let bare: TraceSettings = serde_json::from_str("{}").unwrap();
        let bare = bare.into_settings().unwrap();
        assert!(bare.lr.is_nan());
        assert_eq!((bare.seed, bare.optimizer, bare.batch_size), (0, Optimizer::Sgd, BatchSize::Full));
    }
}
