//! Mini-batches: their size, and random indices with replacement (the post's `torch.randint`) or shuffled
//! epochs, drawn from the run's own seeded generator.

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
