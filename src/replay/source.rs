//! Where a log is read from and what it was written as.

use std::path::{Path, PathBuf};

/// Where a log is read from.
#[derive(Debug, Clone, PartialEq)]
pub enum LogSource {
    /// A file.
    File(PathBuf),
    /// Standard input (`sgd-anim replay -`), with the same bounds as a file.
    Stdin,
}

impl LogSource {
    /// The file, if the log is one (an output must never overwrite it).
    #[must_use]
    pub fn file(&self) -> Option<&Path> {
        match self {
            LogSource::File(path) => Some(path),
            LogSource::Stdin => None,
        }
    }

    /// The name errors give the log.
    #[must_use]
    pub fn name(&self) -> PathBuf {
        match self {
            LogSource::File(path) => path.clone(),
            LogSource::Stdin => PathBuf::from("<stdin>"),
        }
    }
}

/// What a log was written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// Our trace (`render --trace`).
    Trace,
    /// JSON Lines, or a JSON array of step objects.
    JsonLines,
    /// CSV with a header.
    Csv,
    /// TensorBoard event files: one, or a folder of them.
    Events,
    /// An MLflow run folder.
    Mlflow,
}
