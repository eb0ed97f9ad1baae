//! Runs trained elsewhere (`PyTorch`, JAX, numpy) or by us, read back from their logs, so they
//! animate like our own: a [`Run`] when the log fits a line (slope and intercept a step), or
//! [`Curves`] when it logs only metrics (a loss, a validation loss, the learning rate...).
//!
//! Three formats, told apart by their first character (`{` or `[`: JSON), each streamed so
//! memory holds only the frames kept:
//! - our trace (`render --trace`): one object with `settings`, `data` and `steps`;
//! - JSON Lines: an object a step (`{"step": 0, "slope": -1.0, "intercept": 1.0, "loss": 84.8}`,
//!   optionally `batch` and `lr`, and any other numbers as metrics), the points optionally on a
//!   line of their own (`{"data": {"x": [...], "y": [...]}}`); a JSON array of such objects too;
//! - CSV with a header (`step,slope,intercept,loss`, or `step,loss,val_loss,lr`).
//!
//! A malformed line names its line and field; steps must increase (gaps are fine: the step
//! axis follows them); a non-finite slope, intercept or loss means the run diverged there, as
//! for our own runs. `schema/` describes the JSON formats.
//!
//! Inside the folder: source, options and replayed (what is read, how, and what comes back),
//! read (files, folders, formats told apart) and build (frames to a run; the series are
//! `run::Curves`), sink (records to frames), json, csv, events and folder (the formats), runs
//! (several runs on one axis), axis (which column is the step).

mod axis;
mod build;
mod csv;
mod events;
mod flat;
mod folder;
mod json;
mod lines;
mod options;
mod python;
mod read;
mod replayed;
mod runs;
mod scalars;
mod sink;
mod source;
mod tfrecord;
mod trace;

#[doc(hidden)]
pub use events::simple_event;
#[doc(hidden)]
pub use tfrecord::frame as tfrecord_frame;

// The run model's curves, where this source's users find them.
pub use crate::run::{Curves, Series};
pub use lines::MAX_LINE_BYTES;
pub(crate) use runs::refuse_mixed;
pub use runs::{merge_runs, side_by_side, SideBySide};
pub use sink::{Bad, MAX_METRICS};

pub(crate) use options::Hints;
pub use options::ReadOptions;
pub use read::{read_log, read_log_from};
pub use replayed::Replay;
pub use source::{LogFormat, LogSource};

use crate::run::MAX_STEPS;

/// The most bytes of a log read before giving up, so an endless stream ends: a million steps
/// of a thousand bytes.
pub const MAX_LOG_BYTES: u64 = 1 << 30;

/// The most frames a replay keeps: as many as training may make (`MAX_STEPS` + 1).
pub const MAX_FRAMES: usize = MAX_STEPS + 1;

/// Why reading stopped.
#[derive(Debug)]
pub(crate) enum Failure {
    /// A problem on a line.
    Line(Bad),
    /// A step of the step axis' field (named) that is not a whole number, as Hugging Face's
    /// fractional epochs under `--x epoch` are: `read_log` reads the log again on its steps.
    NotWhole(Bad, String),
    /// The log goes on past [`MAX_LOG_BYTES`]; reading stopped on this line.
    Over(usize),
    /// Reading failed.
    Io(std::io::Error),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Result;
    use std::path::Path;

    fn replay(text: &str, every: usize) -> Result<Replay> {
        read_log_from(text.as_bytes(), Path::new("run.jsonl"), None, &ReadOptions { every, ..Default::default() })
    }

    const DATA: &str = "{\"data\": {\"x\": [0, 1, 2], \"y\": [1, 3, 5]}}\n";

    #[test]
    fn a_line_log_becomes_a_run_with_the_loss_computed_where_not_logged() {
        let text = format!(
            "{DATA}{{\"step\": 0, \"slope\": 0, \"intercept\": 0, \"lr\": 0.1}}\n\
             {{\"step\": 10, \"slope\": 1, \"intercept\": 1, \"lr\": 0.1, \"loss\": 1.6666666666666667}}\n\
             {{\"step\": 20, \"slope\": 2, \"intercept\": 1, \"lr\": 0.1}}\n"
        );
        let r = replay(&text, 1).unwrap();
        assert!(r.is_line() && r.loss_is_mse, "the logged loss is the MSE");
        let steps: Vec<(usize, f64)> = r.run.snapshots.iter().map(|s| (s.step, s.loss)).collect();
        assert_eq!(steps, vec![(0, 35.0 / 3.0), (10, 1.6666666666666667), (20, 0.0)]);
        assert_eq!((r.run.settings.start, r.run.settings.steps, r.run.settings.lr), ((0.0, 0.0), 20, 0.1));
        assert_eq!(r.label.as_deref(), Some("run.jsonl lr=0.1"));
        assert_eq!(r.format, LogFormat::JsonLines);
        // Another loss (here half the MSE): kept as logged, and the loss panel draws it.
        let half = text.replace("1.6666666666666667", "0.8333333333333334");
        let r = replay(&half, 1).unwrap();
        assert!(!r.loss_is_mse);
        let losses: Vec<f64> = r.run.snapshots.iter().map(|s| s.loss).collect();
        assert_eq!(losses, vec![0.8333333333333334; 3], "held from the logged step");
    }

    #[test]
    fn a_metrics_log_becomes_curves_and_diverges_at_its_first_non_finite_value() {
        let text = "step,loss,val_loss,lr\n0,2.3,,0.1\n100,1.1,1.3,0.1\n200,nan,,0.01\n300,inf,2.0,0.01\n";
        let r = read_log_from(text.as_bytes(), Path::new("m.csv"), None, &ReadOptions::default()).unwrap();
        assert!(!r.is_line());
        assert_eq!(r.format, LogFormat::Csv);
        let names: Vec<&str> = r.curves.series.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["loss", "val_loss", "lr"]);
        assert_eq!(r.run.diverged_at(), Some(200));
        assert_eq!(r.label.as_deref(), Some("m.csv"));
    }

    #[test]
    fn what_a_log_lacks_is_said() {
        let message = |text: &str| replay(text, 1).unwrap_err().to_string();
        let nothing = message("{\"step\": 0, \"epoch\": 1, \"name\": \"a\"}\n{\"step\": 1}\n");
        assert!(nothing.contains("nothing to animate: found 'step', 'epoch', 'name'"), "{nothing}");
        let no_data =
            message("{\"step\": 0, \"slope\": 1, \"intercept\": 2}\n{\"step\": 1, \"slope\": 1, \"intercept\": 2}\n");
        assert!(no_data.contains("no points"), "{no_data}");
        assert!(message("{\"step\": 0, \"loss\": 1}\n").contains("run.jsonl:1: need at least 2 steps"));
        let start = message(&format!("{DATA}{{\"step\": 0, \"slope\": null, \"intercept\": 0}}\n{{\"step\": 1, \"slope\": 0, \"intercept\": 0}}\n"));
        assert!(start.starts_with("run.jsonl:2: field 'slope': the first step's"), "{start}");
        let batch = message(&format!("{DATA}{{\"step\": 0, \"slope\": 0, \"intercept\": 0, \"batch\": [0, 3]}}\n{{\"step\": 1, \"slope\": 0, \"intercept\": 0}}\n"));
        assert!(batch.starts_with("run.jsonl:2: field 'batch': index 3 is past the data's 3 points"), "{batch}");
        assert!(replay("{\"step\": 0, \"loss\": 1}\n{\"step\": 1, \"loss\": 1}\n", 0).is_err());
    }

    #[test]
    fn every_kth_step_is_kept_and_the_last() {
        let text = (0..10).map(|k| format!("{{\"step\": {k}, \"loss\": {}}}\n", 10 - k)).collect::<Vec<_>>().concat();
        let r = replay(&text, 4).unwrap();
        assert_eq!(r.curves.steps, vec![0, 4, 8, 9]);
        assert_eq!(r.logged_steps, 10);
    }
}
