//! The update rules: the post's `a -= lr * grad`, heavy-ball momentum and Adam. Everything an
//! optimiser is (its names, its settings, its step) lives here.

use super::sampling::BatchSize;

/// The update rule.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Optimizer {
    /// `a -= lr * grad`, the post's rule.
    Sgd,
    /// Heavy-ball momentum (`PyTorch`'s form): `v = momentum * v + grad; a -= lr * v`.
    Momentum {
        /// The momentum factor, in [0, 1).
        momentum: f64,
    },
    /// Adam with bias correction, epsilon 1e-8.
    Adam {
        /// Decay of the first moment, in [0, 1).
        beta1: f64,
        /// Decay of the second moment, in [0, 1).
        beta2: f64,
    },
}

impl Optimizer {
    /// The optimiser's name as the CLI and the trace spell it: `sgd`, `momentum`, `adam`.
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self {
            Optimizer::Sgd => "sgd",
            Optimizer::Momentum { .. } => "momentum",
            Optimizer::Adam { .. } => "adam",
        }
    }

    /// The method as a caption or summary names it: "GD" and "SGD" for the post's rule (full
    /// batch or not), "Momentum", "Adam".
    #[must_use]
    pub fn label(&self, batch_size: BatchSize) -> &'static str {
        match (self, batch_size) {
            (Optimizer::Sgd, BatchSize::Full) => "GD",
            (Optimizer::Sgd, BatchSize::Size(_)) => "SGD",
            (Optimizer::Momentum { .. }, _) => "Momentum",
            (Optimizer::Adam { .. }, _) => "Adam",
        }
    }

    /// The method as a file name spells it, as in the post's `line_gd_0.1.gif` and
    /// `line_sgd_0.1_16.gif`: `gd`, `sgd`, `momentum-gd`, `momentum`, `adam-gd`, `adam`.
    #[must_use]
    pub fn file_stem(&self, batch_size: BatchSize) -> String {
        match (self, batch_size) {
            (Optimizer::Sgd, BatchSize::Full) => "gd".into(),
            (Optimizer::Sgd, BatchSize::Size(_)) => "sgd".into(),
            (other, BatchSize::Full) => format!("{}-gd", other.name()),
            (other, BatchSize::Size(_)) => other.name().into(),
        }
    }
}

/// The optimiser's running state.
pub(crate) struct OptimizerState {
    optimizer: Optimizer,
    first: (f64, f64),
    second: (f64, f64),
    t: i32,
}

impl OptimizerState {
    /// The state before the first step.
    pub(crate) fn new(optimizer: Optimizer) -> Self {
        OptimizerState { optimizer, first: (0.0, 0.0), second: (0.0, 0.0), t: 0 }
    }
}

impl OptimizerState {
    pub(crate) fn step(&mut self, lr: f64, params: (f64, f64), g: (f64, f64)) -> (f64, f64) {
        self.t += 1;
        let delta = match self.optimizer {
            Optimizer::Sgd => g,
            Optimizer::Momentum { momentum } => {
                self.first = (momentum * self.first.0 + g.0, momentum * self.first.1 + g.1);
                self.first
            }
            Optimizer::Adam { beta1, beta2 } => {
                let ema = |m: f64, v: f64, beta: f64| beta * m + (1.0 - beta) * v;
                self.first = (ema(self.first.0, g.0, beta1), ema(self.first.1, g.1, beta1));
                self.second = (ema(self.second.0, g.0 * g.0, beta2), ema(self.second.1, g.1 * g.1, beta2));
                let c1 = 1.0 - beta1.powi(self.t);
                let c2 = 1.0 - beta2.powi(self.t);
                let adapt = |m: f64, v: f64| (m / c1) / ((v / c2).sqrt() + 1e-8);
                (adapt(self.first.0, self.second.0), adapt(self.first.1, self.second.1))
            }
        };
        (params.0 - lr * delta.0, params.1 - lr * delta.1)
    }
}
