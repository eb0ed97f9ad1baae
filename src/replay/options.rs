//! How a log is read: the caller's options, and what a format's reader needs of them.

/// How to read a log.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadOptions {
    /// Keep every `every`-th logged step (the first and the last always): a long log in fewer
    /// frames. Values logged by the steps left out show at the next step kept.
    pub every: usize,
    /// Keep each step's batch indices (`show_batch` needs them).
    pub keep_batches: bool,
    /// Go on even when computing the loss is above the work budget.
    pub force: bool,
    /// The series to draw, in order (`--metrics loss,val_loss`); clocks and bookkeeping are
    /// drawn when named. `None` (the default): every metric, in log order.
    pub metrics: Option<Vec<String>>,
    /// The column the steps come from (`--x epoch`), ignoring case; `step` means the finest
    /// step column, `time` the log's clock (seconds from the first record). Where that
    /// column is not whole numbers (Hugging Face's fractional epochs) or is the clock, the
    /// frames step on the finest step column, each placed on this axis ([`crate::run::Curves::x`]).
    /// `None` (the default): the finest the log has (`step` before `epoch`).
    pub x: Option<String>,
    /// The name of a log's one unnamed series (TensorBoard's CSV calls it `Value`). `None`
    /// (the default): the log's file name without its extension.
    pub name: Option<String>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions { every: 1, keep_batches: true, force: false, metrics: None, x: None, name: None }
    }
}

/// What a format's reader needs to know of the options.
#[derive(Debug, Clone, Default)]
pub(crate) struct Hints {
    /// [`ReadOptions::x`].
    pub x: Option<String>,
    /// What a lone `Value` column is called.
    pub value_name: String,
    /// An axis whose column is read besides the metrics (`--x time`; `--x epoch` where the
    /// epochs are fractional), the frames stepping on the finest step column.
    pub also: Option<String>,
}
