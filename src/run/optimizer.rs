//! The update rules: the post's `a -= lr * grad`, heavy-ball momentum, Adam and `RMSProp`.
//! Everything an optimiser is lives here: its name, its settings with their defaults, how it
//! parses, checks itself, reads and writes itself in a trace, and its step. A new optimiser is
//! a variant here, plus its setting's flag if it brings a new one (README, "How it works").

use super::sampling::BatchSize;
use crate::error::{Error, Field, Result};
use serde::de::{self, Deserializer};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The update rule.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Optimizer {
    /// `a -= lr * grad`, the post's rule.
    #[default]
    Sgd,
    /// Heavy-ball momentum (`PyTorch`'s form): `v = momentum * v + grad; a -= lr * v`.
    Momentum {
        /// The momentum factor, in [0, 1). Default: 0.9.
        momentum: f64,
    },
    /// Adam with bias correction, epsilon 1e-8.
    Adam {
        /// Decay of the first moment, in [0, 1). Default: 0.9.
        beta1: f64,
        /// Decay of the second moment, in [0, 1). Default: 0.999.
        beta2: f64,
    },
    /// `RMSProp` (`PyTorch`'s form, without momentum): `s = beta2 * s + (1 - beta2) * grad²;
    /// a -= lr * grad / (sqrt(s) + 1e-8)`. Adam without its first moment and bias correction.
    RmsProp {
        /// Decay of the squared gradients' average, in [0, 1) (`PyTorch`'s `alpha`, Keras'
        /// `rho`, Adam's `beta2`). Default: 0.99.
        beta2: f64,
    },
}

impl Optimizer {
    /// Every optimiser with its default settings, in the order help and errors list them.
    pub const ALL: [Optimizer; 4] = [Optimizer::Sgd, Optimizer::MOMENTUM, Optimizer::ADAM, Optimizer::RMSPROP];
    /// Heavy-ball momentum with the usual factor, 0.9 (`--optimizer momentum`'s).
    pub const MOMENTUM: Optimizer = Optimizer::Momentum { momentum: 0.9 };
    /// Adam with its paper's decays, 0.9 and 0.999 (`--optimizer adam`'s).
    pub const ADAM: Optimizer = Optimizer::Adam { beta1: 0.9, beta2: 0.999 };
    /// `RMSProp` with `PyTorch`'s decay, 0.99 (`--optimizer rmsprop`'s).
    pub const RMSPROP: Optimizer = Optimizer::RmsProp { beta2: 0.99 };

    /// The optimiser's name as the CLI and the trace spell it: `sgd`, `momentum`, `adam`,
    /// `rmsprop`.
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self {
            Optimizer::Sgd => "sgd",
            Optimizer::Momentum { .. } => "momentum",
            Optimizer::Adam { .. } => "adam",
            Optimizer::RmsProp { .. } => "rmsprop",
        }
    }

    /// The names of [`Optimizer::ALL`], as an error lists them: `sgd, momentum, adam, rmsprop`.
    #[must_use]
    pub fn names() -> String {
        Optimizer::ALL.map(|o| o.name()).join(", ")
    }

    /// Its own settings, by field key (`train.optimizer.beta1`: errors and the provenance
    /// command name it so, the trace by its last part, `beta1`), in the order they are written.
    #[must_use]
    pub fn settings(&self) -> Vec<(Field, f64)> {
        match *self {
            Optimizer::Sgd => vec![],
            Optimizer::Momentum { momentum } => vec![(Field::TrainMomentum, momentum)],
            Optimizer::Adam { beta1, beta2 } => vec![(Field::TrainBeta1, beta1), (Field::TrainBeta2, beta2)],
            Optimizer::RmsProp { beta2 } => vec![(Field::TrainBeta2, beta2)],
        }
    }

    /// A setting's name in the trace: its field key's last part (`beta1`).
    fn short(field: &str) -> &str {
        field.rsplit('.').next().unwrap_or(field)
    }

    /// This optimiser with its setting `name` (`beta2` or `train.optimizer.beta2`) set to
    /// `value`; unchanged when it has no such setting (a caller warns about a setting that has
    /// no effect: see [`Optimizer::settings`]).
    #[must_use]
    pub fn with(mut self, name: &str, value: f64) -> Optimizer {
        match (&mut self, Optimizer::short(name)) {
            (Optimizer::Momentum { momentum: v }, "momentum")
            | (Optimizer::Adam { beta1: v, .. }, "beta1")
            | (Optimizer::Adam { beta2: v, .. } | Optimizer::RmsProp { beta2: v }, "beta2") => *v = value,
            _ => {}
        }
        self
    }

    /// Checks its settings: each a decay or a factor in [0, 1). The error names the field
    /// (`train.optimizer.momentum`).
    pub fn validate(&self) -> Result<()> {
        for (field, v) in self.settings() {
            if !(0.0..1.0).contains(&v) {
                return Err(Error::invalid(field, v, "a number in [0, 1), such as 0.9"));
            }
        }
        Ok(())
    }

    /// The method as a caption or summary names it: "GD" and "SGD" for the post's rule (full
    /// batch or not), "Momentum", "Adam", `"RMSProp"`.
    #[must_use]
    pub fn label(&self, batch_size: BatchSize) -> &'static str {
        match (self, batch_size) {
            (Optimizer::Sgd, BatchSize::Full) => "GD",
            (Optimizer::Sgd, BatchSize::Size(_)) => "SGD",
            (Optimizer::Momentum { .. }, _) => "Momentum",
            (Optimizer::Adam { .. }, _) => "Adam",
            (Optimizer::RmsProp { .. }, _) => "RMSProp",
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

/// By name, with its default settings: `"adam".parse()` is Adam with beta1 0.9, beta2 0.999.
impl std::str::FromStr for Optimizer {
    type Err = Error;

    fn from_str(name: &str) -> Result<Optimizer> {
        Optimizer::ALL.into_iter().find(|o| o.name() == name).ok_or_else(|| {
            Error::invalid(Field::TrainOptimizer, crate::error::cut(name), format!("one of {}", Optimizer::names()))
        })
    }
}

/// As the trace writes it: `{"name": "adam", "beta1": 0.9, "beta2": 0.999}`.
impl Serialize for Optimizer {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let settings = self.settings();
        let mut map = serializer.serialize_map(Some(1 + settings.len()))?;
        map.serialize_entry("name", self.name())?;
        for (field, value) in settings {
            map.serialize_entry(Optimizer::short(field.key()), &value)?;
        }
        map.end()
    }
}

/// As a trace gives it: the name, and any of its settings (the defaults for those left out;
/// other fields are ignored).
impl<'de> Deserialize<'de> for Optimizer {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Optimizer, D::Error> {
        #[derive(Deserialize)]
        struct Written {
            name: String,
            #[serde(flatten)]
            settings: BTreeMap<String, serde_json::Value>,
        }
        let written = Written::deserialize(d)?;
        let Some(mut optimizer) = Optimizer::ALL.into_iter().find(|o| o.name() == written.name) else {
            let shown = crate::error::cut(&written.name);
            return Err(de::Error::custom(format!("'{shown}' is none of {}", Optimizer::names())));
        };
        for (field, _) in optimizer.settings() {
            let name = Optimizer::short(field.key());
            match written.settings.get(name) {
                Some(serde_json::Value::Number(n)) => optimizer = optimizer.with(name, n.as_f64().unwrap_or(f64::NAN)),
                None | Some(serde_json::Value::Null) => {}
                Some(other) => return Err(de::Error::custom(format!("'{name}' is {other}, not a number"))),
            }
        }
        Ok(optimizer)
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
        let ema = |m: f64, v: f64, beta: f64| beta * m + (1.0 - beta) * v;
        let delta = match self.optimizer {
            Optimizer::Sgd => g,
            Optimizer::Momentum { momentum } => {
                self.first = (momentum * self.first.0 + g.0, momentum * self.first.1 + g.1);
                self.first
            }
            Optimizer::Adam { beta1, beta2 } => {
                self.first = (ema(self.first.0, g.0, beta1), ema(self.first.1, g.1, beta1));
                self.second = (ema(self.second.0, g.0 * g.0, beta2), ema(self.second.1, g.1 * g.1, beta2));
                let c1 = 1.0 - beta1.powi(self.t);
                let c2 = 1.0 - beta2.powi(self.t);
                let adapt = |m: f64, v: f64| (m / c1) / ((v / c2).sqrt() + 1e-8);
                (adapt(self.first.0, self.second.0), adapt(self.first.1, self.second.1))
            }
            Optimizer::RmsProp { beta2 } => {
                self.second = (ema(self.second.0, g.0 * g.0, beta2), ema(self.second.1, g.1 * g.1, beta2));
                (g.0 / (self.second.0.sqrt() + 1e-8), g.1 / (self.second.1.sqrt() + 1e-8))
            }
        };
        (params.0 - lr * delta.0, params.1 - lr * delta.1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rmsprop_steps_by_hand() {
        // From (1, 2) with gradient (3, -4), beta2 0.9, lr 0.1:
        // s = 0.1 * (9, 16) = (0.9, 1.6); step = 0.1 * g / sqrt(s) = (0.1 * 3 / 0.948683..., -0.1 * 4 / 1.264911...).
        let mut state = OptimizerState::new(Optimizer::RmsProp { beta2: 0.9 });
        let (a, b) = state.step(0.1, (1.0, 2.0), (3.0, -4.0));
        let expect = (1.0 - 0.3 / (0.9f64.sqrt() + 1e-8), 2.0 + 0.4 / (1.6f64.sqrt() + 1e-8));
        assert_eq!((a, b), expect);
        assert!((a - 0.683_772_234).abs() < 1e-8 && (b - 2.316_227_766).abs() < 1e-8, "{a} {b}");
        // Second step, gradient (1, 1): s = 0.9 * (0.9, 1.6) + 0.1 * (1, 1) = (0.91, 1.54).
        let (c, d) = state.step(0.1, (a, b), (1.0, 1.0));
        let expect = (a - 0.1 / (0.91f64.sqrt() + 1e-8), b - 0.1 / (1.54f64.sqrt() + 1e-8));
        assert!((c - expect.0).abs() < 1e-12 && (d - expect.1).abs() < 1e-12, "{c} {d} vs {expect:?}");
    }

    #[test]
    fn names_defaults_settings_and_parsing_in_one_place() {
        for o in Optimizer::ALL {
            assert_eq!(o.name().parse::<Optimizer>().unwrap(), o);
            assert!(o.validate().is_ok(), "{o:?}");
        }
        assert_eq!(Optimizer::names(), "sgd, momentum, adam, rmsprop");
        assert_eq!(Optimizer::default(), Optimizer::Sgd);
        let err = "lion".parse::<Optimizer>().unwrap_err().to_string();
        assert!(err.contains("train.optimizer") && err.contains("one of sgd, momentum, adam, rmsprop"), "{err}");
        let rms = Optimizer::RmsProp { beta2: 0.99 }.with("beta2", 0.5).with("momentum", 0.3);
        assert_eq!(rms, Optimizer::RmsProp { beta2: 0.5 });
        let err = Optimizer::Adam { beta1: 1.0, beta2: 0.9 }.validate().unwrap_err().to_string();
        assert!(err.contains("train.optimizer.beta1"), "{err}");
        assert_eq!(Optimizer::RmsProp { beta2: 0.9 }.label(BatchSize::Full), "RMSProp");
        assert_eq!(Optimizer::RmsProp { beta2: 0.9 }.file_stem(BatchSize::Full), "rmsprop-gd");
    }

    #[test]
    fn the_trace_form_round_trips() {
        for o in Optimizer::ALL.into_iter().chain([Optimizer::Momentum { momentum: 0.5 }]) {
            let text = serde_json::to_string(&o).unwrap();
            assert_eq!(serde_json::from_str::<Optimizer>(&text).unwrap(), o, "{text}");
        }
        assert_eq!(
            serde_json::to_string(&Optimizer::Adam { beta1: 0.8, beta2: 0.99 }).unwrap(),
            r#"{"name":"adam","beta1":0.8,"beta2":0.99}"#
        );
        let defaults: Optimizer = serde_json::from_str(r#"{"name": "momentum", "beta1": 0.2}"#).unwrap();
        assert_eq!(defaults, Optimizer::Momentum { momentum: 0.9 });
        let err = serde_json::from_str::<Optimizer>(r#"{"name": "lion"}"#).unwrap_err().to_string();
        assert!(err.contains("'lion' is none of sgd, momentum, adam, rmsprop"), "{err}");
    }
}
