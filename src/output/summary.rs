//! The end-of-run table (and its JSON form): per animation, where it ended.

use super::json::to_line;
use crate::format::short_number;
use crate::train::{BatchSize, Run, Verdict};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// What one animation ended with.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The file written (or that failed).
    pub path: PathBuf,
    /// "SGD lr=0.1 bs=16" and the like.
    pub label: String,
    /// Learning rate.
    pub lr: f64,
    /// Batch size.
    pub batch_size: BatchSize,
    /// Parameters and full-data loss after the last step.
    pub final_slope: f64,
    /// See `final_slope`.
    pub final_intercept: f64,
    /// See `final_slope`.
    pub final_loss: f64,
    /// First step with non-finite parameters or loss.
    pub diverged_at: Option<usize>,
    /// How the run ended: settled, unstable or diverged.
    pub verdict: Verdict,
    /// Why the file could not be written, if it was not.
    pub error: Option<String>,
}

impl Outcome {
    /// The file's name, without its folder.
    #[must_use]
    pub fn file_name(&self) -> String {
        self.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
    }

    /// The outcome of `run`, written to `path`.
    #[must_use]
    pub fn of(run: &Run, path: &Path) -> Outcome {
        let last = run.last();
        Outcome {
            path: path.to_path_buf(),
            label: crate::render::caption::run_label(run),
            lr: run.settings.lr,
            batch_size: run.settings.batch_size,
            final_slope: last.slope,
            final_intercept: last.intercept,
            final_loss: last.loss,
            diverged_at: run.diverged_at(),
            verdict: run.verdict(),
            error: None,
        }
    }
}

fn status(o: &Outcome) -> String {
    match &o.error {
        Some(e) => format!("FAILED: {e}"),
        None => o.verdict.to_string(),
    }
}

fn num(v: f64) -> String {
    match v {
        v if !v.is_finite() => "-".into(),
        v if v.abs() >= 1e5 => format!("{v:.2e}"),
        v => format!("{v:.4}"),
    }
}

/// A plain-text table, one row per animation, each named by its file.
#[must_use]
pub fn table(outcomes: &[Outcome]) -> String {
    table_headed(outcomes, "file")
}

/// A plain-text table, one row per run of one animation (a comparison's panels), each named
/// by its run ([`Outcome::path`] holds the run's label).
#[must_use]
pub fn runs_table(outcomes: &[Outcome]) -> String {
    table_headed(outcomes, "run")
}

fn table_headed(outcomes: &[Outcome], first: &str) -> String {
    let rows: Vec<[String; 5]> = outcomes
        .iter()
        .map(|o| {
            let file = if first == "run" { o.path.to_string_lossy().into_owned() } else { o.file_name() };
            let loss = if o.final_loss.is_finite() { short_number(o.final_loss) } else { "-".into() };
            [file, num(o.final_slope), num(o.final_intercept), loss, status(o)]
        })
        .collect();
    let header = [first, "slope", "intercept", "loss", "status"].map(String::from);
    let mut widths = header.clone().map(|h| h.len());
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |r: &[String; 5]| {
        let cells: Vec<String> = r
            .iter()
            .zip(widths)
            .enumerate()
            .map(|(i, (c, w))| if (1..4).contains(&i) { format!("{c:>w$}") } else { format!("{c:<w$}") })
            .collect();
        cells.join("  ").trim_end().to_string() + "\n"
    };
    let mut out = line(&header);
    for r in &rows {
        out.push_str(&line(r));
    }
    out
}

#[derive(Serialize)]
struct OutcomeJson<'a> {
    file: std::borrow::Cow<'a, str>,
    label: &'a str,
    lr: f64,
    batch_size: Option<usize>,
    slope: f64,
    intercept: f64,
    loss: f64,
    diverged_at: Option<usize>,
    verdict: &'static str,
    error: Option<&'a str>,
}

/// The same as JSON: a list of objects, one a line.
#[must_use]
pub fn json(outcomes: &[Outcome]) -> String {
    let items: Vec<String> = outcomes
        .iter()
        .map(|o| {
            to_line(&OutcomeJson {
                file: o.path.to_string_lossy(),
                label: &o.label,
                lr: o.lr,
                batch_size: o.batch_size.size(),
                slope: o.final_slope,
                intercept: o.final_intercept,
                loss: o.final_loss,
                diverged_at: o.diverged_at,
                verdict: match o.verdict {
                    Verdict::Diverged { .. } => "diverged",
                    Verdict::Unstable { .. } => "unstable",
                    _ => "ok",
                },
                error: o.error.as_deref(),
            })
        })
        .collect();
    format!("[\n  {}\n]\n", items.join(",\n  "))
}
