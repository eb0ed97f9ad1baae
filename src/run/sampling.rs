//! Mini-batches: their size, and random indices with replacement (the post's `torch.randint`)
//! or shuffled epochs, drawn from the run's own seeded generator. [`Sampling`] owns its names
//! (the command line's and the trace's), parsing and serde.

use rand::{rngs::StdRng, seq::SliceRandom, Rng, SeedableRng};

/// How many points each step uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BatchSize {
    /// Every point, every step: plain gradient descent.
    Full,
    /// This many points per step: mini-batch SGD.
    Size(usize),
}

impl BatchSize {
    /// The mini-batch size, `None` for full batch (as the trace and the summary write it).
    #[must_use]
    pub fn size(self) -> Option<usize> {
        match self {
            BatchSize::Full => None,
            BatchSize::Size(b) => Some(b),
        }
    }
}

/// How mini-batches are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sampling {
    /// Uniform random indices with replacement, like the post's `torch.randint`.
    #[default]
    WithReplacement,
    /// Epochs: a shuffled pass over the data without replacement (a batch never repeats an
    /// index; the remainder of an epoch that cannot fill a batch is skipped).
    Shuffle,
}

impl Sampling {
    /// Both ways, in the order help lists them.
    pub const ALL: [Sampling; 2] = [Sampling::WithReplacement, Sampling::Shuffle];

    /// The name `--sampling` takes and the provenance command writes: `replacement`, `shuffle`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Sampling::WithReplacement => "replacement",
            Sampling::Shuffle => "shuffle",
        }
    }

    /// The name the trace writes (and its schema gives): `with-replacement`, `shuffle`.
    #[must_use]
    pub fn trace_name(self) -> &'static str {
        match self {
            Sampling::WithReplacement => "with-replacement",
            Sampling::Shuffle => "shuffle",
        }
    }
}

/// By either name: `replacement` or `with-replacement`, `shuffle`.
impl std::str::FromStr for Sampling {
    type Err = crate::error::Error;

    fn from_str(name: &str) -> crate::error::Result<Sampling> {
        Sampling::ALL.into_iter().find(|s| s.name() == name || s.trace_name() == name).ok_or_else(|| {
            crate::error::Error::invalid(
                crate::error::Field::TrainSampling,
                crate::error::cut(name),
                "replacement (or with-replacement) or shuffle",
            )
        })
    }
}

/// As the trace writes it: its [`Sampling::trace_name`].
impl serde::Serialize for Sampling {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.trace_name())
    }
}

/// By either name.
impl<'de> serde::Deserialize<'de> for Sampling {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Sampling, D::Error> {
        let name = <String as serde::Deserialize>::deserialize(d)?;
        name.parse().map_err(|_| {
            let shown = crate::error::cut(&name);
            serde::de::Error::custom(format!("'{shown}' is neither with-replacement nor shuffle"))
        })
    }
}

/// Draws each step's mini-batch from the run's own seeded generator.
pub(crate) struct BatchSampler {
    rng: StdRng,
    size: usize,
    sampling: Sampling,
    order: Vec<usize>,
    cursor: usize,
}

impl BatchSampler {
    pub(crate) fn new(n: usize, size: usize, sampling: Sampling, seed: u64) -> Self {
        BatchSampler { rng: StdRng::seed_from_u64(seed), size, sampling, order: (0..n).collect(), cursor: n }
    }

    pub(crate) fn next(&mut self) -> Vec<usize> {
        let n = self.order.len();
        match self.sampling {
            Sampling::WithReplacement => (0..self.size).map(|_| self.rng.random_range(0..n)).collect(),
            Sampling::Shuffle => {
                // A batch never spans two epochs, so it never repeats an index; the few
                // left over at an epoch's end wait for the next shuffle (PyTorch's drop_last).
                if self.cursor + self.size > n {
                    self.order.shuffle(&mut self.rng);
                    self.cursor = 0;
                }
                self.cursor += self.size;
                self.order[self.cursor - self.size..self.cursor].to_vec()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_both_ways_and_round_trip() {
        for s in Sampling::ALL {
            assert_eq!(s.name().parse::<Sampling>().unwrap(), s);
            assert_eq!(s.trace_name().parse::<Sampling>().unwrap(), s);
            let text = serde_json::to_string(&s).unwrap();
            assert_eq!(text, format!("\"{}\"", s.trace_name()));
            assert_eq!(serde_json::from_str::<Sampling>(&text).unwrap(), s);
        }
        let err = "sorted".parse::<Sampling>().unwrap_err().to_string();
        assert!(err.contains("train.sampling") && err.contains("shuffle"), "{err}");
        let err = serde_json::from_str::<Sampling>("\"sorted\"").unwrap_err().to_string();
        assert!(err.contains("'sorted' is neither with-replacement nor shuffle"), "{err}");
    }
}
