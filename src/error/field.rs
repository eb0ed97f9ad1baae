//! The settings fields, each with its key and its flag, in one table. The library's errors
//! name the setting at fault by [`Field`] (its key: `train.lr`, `grid.threads`), and so does
//! the advice in them that points to another setting; the `sgd-anim` command names them by
//! flag (`--lr`, `--jobs`). The command line's error messages and the command a GIF's comment
//! carries (`output::provenance`) both spell flags from this table, so a flag is renamed, and
//! a field added, in one place.

/// Defines [`Field`] from its table: variant, key and flag together.
macro_rules! fields {
    ($($(#[doc = $doc:literal])* $variant:ident: $key:literal => $flag:literal,)*) => {
        /// A setting, as errors name it: [`Error::InvalidSetting`](crate::Error::InvalidSetting)'s
        /// and [`Error::OverBudget`](crate::Error::OverBudget)'s `field`, and the settings their
        /// advice points to. `Display` writes its key.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Field {
            $($(#[doc = $doc])* $variant,)*
        }

        impl Field {
            /// Every field: the animation's settings in the order the canonical command gives
            /// them, then the others.
            pub const ALL: &'static [Field] = &[$(Field::$variant),*];

            /// Its key: a path into the settings types (`train.lr`, `grid.threads`).
            #[must_use]
            pub const fn key(self) -> &'static str {
                match self {
                    $(Field::$variant => $key,)*
                }
            }

            /// The `sgd-anim` flag that sets it (`--lr`), or the operand (`<RUN>`).
            #[must_use]
            pub const fn flag(self) -> &'static str {
                match self {
                    $(Field::$variant => $flag,)*
                }
            }
        }
    };
}

fields! {
    /// The learning rate.
    TrainLr: "train.lr" => "--lr",
    /// Points per step.
    TrainBatchSize: "train.batch_size" => "--batch-size",
    /// Number of updates.
    TrainSteps: "train.steps" => "--steps",
    /// Seed of the batch sampling (and of the synthetic data).
    TrainSeed: "train.seed" => "--seed",
    /// The start guess's slope.
    TrainStartSlope: "train.start.0 (slope)" => "--start-slope",
    /// The start guess's intercept.
    TrainStartIntercept: "train.start.1 (intercept)" => "--start-intercept",
    /// How mini-batches are drawn.
    TrainSampling: "train.sampling" => "--sampling",
    /// The update rule.
    TrainOptimizer: "train.optimizer" => "--optimizer",
    /// The momentum factor.
    TrainMomentum: "train.optimizer.momentum" => "--momentum",
    /// Adam's first-moment decay.
    TrainBeta1: "train.optimizer.beta1" => "--beta1",
    /// Adam's second-moment decay.
    TrainBeta2: "train.optimizer.beta2" => "--beta2",
    /// Number of synthetic points.
    DataN: "data.n" => "--n",
    /// True slope of the synthetic data.
    DataSlope: "data.slope" => "--true-slope",
    /// True intercept of the synthetic data.
    DataIntercept: "data.intercept" => "--true-intercept",
    /// The synthetic data's noise.
    DataNoise: "data.noise" => "--noise",
    /// The points' source (a CSV file, standard input).
    Data: "data" => "--data",
    /// The panels.
    SceneView: "scene.view" => "--view",
    /// Frame width.
    SceneWidth: "scene.width" => "--width",
    /// Frame height.
    SceneHeight: "scene.height" => "--height",
    /// Whether frames carry a caption.
    SceneCaption: "scene.caption" => "--no-caption",
    /// Frames the caption's loss is held for.
    SceneCaptionEvery: "scene.caption_every" => "--caption-every",
    /// Earlier lines shown, faded.
    SceneTrail: "scene.trail" => "--trail",
    /// Whether each frame highlights its mini-batch.
    SceneShowBatch: "scene.show_batch" => "--show-batch",
    /// Delay of every frame but the last.
    TimingDelayMs: "timing.delay_ms" => "--delay-ms",
    /// Delay of the last frame.
    TimingHoldMs: "timing.hold_ms" => "--hold-ms",
    /// How many times the animation plays.
    TimingLoopCount: "timing.loop_count" => "--loop-count",
    /// Going on above the work budget.
    Force: "force" => "--force",
    /// The animation's file.
    Output: "output" => "--output",
    /// The trace's file.
    Trace: "trace" => "--trace",
    /// The grid's (or a comparison's) learning rates.
    GridLrs: "grid.lrs" => "--lrs",
    /// The grid's full-batch learning rates.
    GridGdLrs: "grid.gd_lrs" => "--gd-lrs",
    /// The grid's (or a comparison's) batch sizes.
    GridBatchSizes: "grid.batch_sizes" => "--batch-sizes",
    /// Worker threads.
    GridThreads: "grid.threads" => "--jobs",
    /// The grid's folder.
    GridOutDir: "grid.out_dir" => "--out",
    /// The folder of the grid's traces.
    GridTraceDir: "grid.trace_dir" => "--trace-dir",
    /// The folder a grid is checked against.
    GridCheck: "grid.check" => "--check",
    /// The prefix of the gallery's image paths.
    GridBaseUrl: "grid.base_url" => "--base-url",
    /// The formats a grid writes.
    GridFormats: "grid.formats" => "--format",
    /// A comparison's runs (its learning rates times its batch sizes).
    CompareRuns: "compare.runs" => "--lrs",
    /// The GIF `inspect` reads.
    InfoFile: "info.file" => "<FILE.gif>",
    /// A replay's log.
    ReplayLog: "replay.log" => "<RUN>",
    /// One logged step kept in this many.
    ReplayEvery: "replay.every" => "--every",
    /// The series a replay draws.
    ReplayMetrics: "replay.metrics" => "--metrics",
    /// The column a replay's steps come from.
    ReplayX: "replay.x" => "--x",
    /// The name of a log's one unnamed series.
    ReplayName: "replay.name" => "--name",
}

impl Field {
    /// The field of `key`, if there is one.
    ///
    /// ```
    /// use sgd_anim::Field;
    /// assert_eq!(Field::from_key("train.lr"), Some(Field::TrainLr));
    /// assert_eq!(Field::from_key("scene.theme"), None);
    /// ```
    #[must_use]
    pub fn from_key(key: &str) -> Option<Field> {
        Field::ALL.iter().copied().find(|f| f.key() == key)
    }
}

impl std::fmt::Display for Field {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

impl PartialEq<str> for Field {
    fn eq(&self, key: &str) -> bool {
        self.key() == key
    }
}

impl PartialEq<&str> for Field {
    fn eq(&self, key: &&str) -> bool {
        self.key() == *key
    }
}

/// The flag that sets a settings field (`train.lr` -> `--lr`), if the command line has one.
///
/// ```
/// assert_eq!(sgd_anim::cli::flag_of("train.lr"), Some("--lr"));
/// assert_eq!(sgd_anim::cli::flag_of("scene.theme"), None);
/// ```
#[must_use]
pub fn flag_of(key: &str) -> Option<&'static str> {
    Field::from_key(key).map(Field::flag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_key_and_each_flag_appears_once() {
        for (i, field) in Field::ALL.iter().enumerate() {
            let (key, flag) = (field.key(), field.flag());
            assert!(!Field::ALL[..i].iter().any(|f| f.key() == key), "{key} twice");
            // compare.runs is set by --lrs and --batch-sizes together; its error names the first.
            let shared = *field == Field::CompareRuns;
            assert!(shared || !Field::ALL[..i].iter().any(|f| f.flag() == flag), "{flag} twice");
            assert!(flag.starts_with("--") || flag.starts_with('<'), "{flag}");
            assert_eq!(Field::from_key(key), Some(*field));
        }
    }
}
