//! How a run ended: settled, unstable or diverged, and the factors that decide it.

/// A run has diverged once its loss is this many times its starting loss (or not finite).
pub const DIVERGENCE_FACTOR: f64 = 1e6;

/// A run that has not diverged is unstable when it ends at more than this many times the
/// lowest loss it reached (or above its start): it found a good line and left it. Measured on
/// the post's set: lr 0.1 and 0.01 end within 1.19x of their best at every batch size; every
/// lr 1.0 run that does not diverge ends 1.7x to 1940x above its best or above its start.
pub const UNSTABLE_FACTOR: f64 = 2.0;

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Verdict {
    /// It ended near the best loss it reached, below its start.
    Settled,
    /// It ended at more than [`UNSTABLE_FACTOR`] times its best loss, or above its start.
    Unstable {
        /// The step of the lowest loss.
        best_step: usize,
        /// The lowest loss.
        best_loss: f64,
        /// The last loss over the start's.
        of_start: f64,
    },
    /// Its loss became non-finite or [`DIVERGENCE_FACTOR`] times the start's at this step.
    Diverged {
        /// The first such step.
        step: usize,
    },
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            Verdict::Settled => f.write_str("ok"),
            Verdict::Diverged { step } => write!(f, "diverged at step {step}"),
            Verdict::Unstable { best_step, best_loss, of_start } if of_start > 1.0 => {
                // As many decimals as it takes to read above 1 (1.02x, not 1.0x), at least one.
                let digits = (1..=6).find(|&d| format!("{of_start:.d$}").parse::<f64>().is_ok_and(|v| v > 1.0));
                let ratio = format!("{of_start:.*}", digits.unwrap_or(6));
                write!(f, "unstable: ends at {ratio}x its start loss (best {best_loss:.3} at step {best_step})")
            }
            Verdict::Unstable { best_step, best_loss, .. } => {
                write!(f, "unstable: ends far above its best loss {best_loss:.3} (step {best_step})")
            }
        }
    }
}
