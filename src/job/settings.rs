//! A job's settings and its budget: [`RenderSettings`] (with the command and comment it
//! makes), the work budget, the seed each job samples with, and its training as run.

use crate::encode::Timing;
use crate::error::{Error, Field, Result};
use crate::output::provenance::{render_command, Provenance, RenderCommand};
use crate::render::{Limits, SceneSettings};
use crate::train::{check_training, train, BatchSize, DataSource, Dataset, Run, TrainSettings};

/// Everything one animation needs besides its output path. The default is the post's run as
/// `sgd-anim render` makes it: its data, gradient descent at lr 0.1, 100 steps, 640x480, the
/// data's true line marked (where the parameter panel shows it).
#[derive(Debug, Clone, PartialEq)]
pub struct RenderSettings {
    /// The points.
    pub data: DataSource,
    /// The training run. Its `seed` is the user's seed; each run samples batches with
    /// [`job_seed`] of it, so `render` and `grid` give the same file for the same job.
    pub train: TrainSettings,
    /// Frame size and look. Its `truth` is the data's own ([`DataSource::truth`]): set it
    /// anew when you change the data (`None` for data whose true line is unknown).
    pub scene: SceneSettings,
    /// Delays and looping.
    pub timing: Timing,
    /// Go on even above the work budget.
    pub force: bool,
}

impl Default for RenderSettings {
    fn default() -> Self {
        let data = DataSource::default();
        let scene = SceneSettings { truth: data.truth(), ..SceneSettings::default() };
        RenderSettings { data, train: TrainSettings::default(), scene, timing: Timing::default(), force: false }
    }
}

impl RenderSettings {
    /// The scene settings as the job draws them: with `--data` (user data), the line panel's
    /// axes fit the data alone ([`Limits::Data`]); the post's data keeps the lesson's look.
    #[must_use]
    pub fn scene_settings(&self) -> SceneSettings {
        match self.data {
            DataSource::Synthetic(_) => self.scene.clone(),
            _ => SceneSettings { limits: Limits::Data, ..self.scene.clone() },
        }
    }

    /// Checks every option that does not depend on the data.
    pub fn validate(&self, jobs: u64) -> Result<()> {
        crate::train::check_lr(Field::TrainLr, self.train.lr)?;
        self.scene.validate()?;
        self.timing.validate()?;
        check_frames(jobs.saturating_mul(self.train.steps as u64 + 1), &self.scene, self.force)
    }

    /// The `sgd-anim render` command that makes this animation byte for byte: every setting
    /// that shapes it, in canonical order (see `output::provenance`), with `--force` if
    /// [`RenderSettings::force`] is set.
    ///
    /// ```
    /// let settings = sgd_anim::RenderSettings::default();
    /// assert!(settings.command().line().starts_with("sgd-anim render --lr 0.1 --batch-size full --steps 100 "));
    /// ```
    #[must_use]
    pub fn command(&self) -> RenderCommand {
        render_command(&self.data, &self.train, &self.scene, &self.timing, self.force)
    }

    /// The comment a GIF of these settings carries, over `n_points` points: the version and
    /// [`RenderSettings::command`], with `--force` only where the command would be refused
    /// without it (however the file was made), so the comment depends on the animation alone.
    #[must_use]
    pub fn comment(&self, n_points: usize) -> String {
        let force = needs_force(self, n_points);
        Provenance::of(&RenderSettings { force, ..self.clone() }.command()).comment()
    }
}

/// Whether `render` alone, without trace, would refuse these settings unless forced.
fn needs_force(settings: &RenderSettings, n_points: usize) -> bool {
    let frames = check_frames(settings.train.steps as u64 + 1, &settings.scene, false);
    let training = check_training([&as_run(&settings.train, &settings.scene, false)], n_points, false);
    frames.is_err() || training.is_err()
}

/// Total work budget, in frames x pixels, above which a run is refused unless forced
/// (the post's whole set is 22 x 101 x 640 x 480 = 6.8e8).
pub const WORK_BUDGET: u64 = 20_000_000_000;

/// Refuses work above [`WORK_BUDGET`] unless forced.
pub(crate) fn check_frames(frames: u64, s: &SceneSettings, force: bool) -> Result<()> {
    check_frames_of(Field::TrainSteps, "use fewer steps", frames, s, force)
}

/// [`check_frames`] naming the setting that drives the frames and what to do about it.
pub(crate) fn check_frames_of(field: Field, fewer: &str, frames: u64, s: &SceneSettings, force: bool) -> Result<()> {
    let work = frames.saturating_mul(u64::from(s.width) * u64::from(s.height));
    if work > WORK_BUDGET && !force {
        return Err(Error::OverBudget {
            field,
            value: format!("{frames} frames of {}x{}", s.width, s.height),
            estimate: format!(
                "{work:.3e} frame-pixels is above the budget of {budget:.1e}; {fewer} or smaller frames",
                work = work as f64,
                budget = WORK_BUDGET as f64
            )
            .into(),
        });
    }
    Ok(())
}

/// The seed of one run's batch sampling, mixed from the user's seed and the job, so every
/// job has its own stream whatever order or thread runs it.
#[must_use]
pub fn job_seed(seed: u64, lr: f64, batch_size: BatchSize) -> u64 {
    let b = match batch_size {
        BatchSize::Full => u64::MAX,
        BatchSize::Size(b) => b as u64,
    };
    let mut z = seed ^ lr.to_bits().rotate_left(17) ^ b.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    // splitmix64 finaliser
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// `train` as a job runs it: batches are kept only when the trace or `--show-batch` needs them.
pub(crate) fn as_run(train: &TrainSettings, scene: &SceneSettings, traced: bool) -> TrainSettings {
    TrainSettings { record_batches: traced || scene.show_batch, ..train.clone() }
}

/// Trains with the job's derived seed ([`job_seed`] of the user's `settings.seed`). The run's
/// settings hold the seed really used, so `train(data, &run.settings)` gives the same run.
#[must_use]
pub fn train_job(data: &Dataset, settings: &TrainSettings) -> Run {
    let seeded = TrainSettings { seed: job_seed(settings.seed, settings.lr, settings.batch_size), ..settings.clone() };
    train(data, &seeded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_comment_says_force_only_where_the_command_needs_it() {
        let forced = RenderSettings { force: true, ..Default::default() };
        assert!(forced.command().line().ends_with(" --force"));
        assert!(!forced.comment(100).contains("--force"), "lifts no budget here");
        // Above the frame budget...
        let scene = SceneSettings { width: 4096, height: 4096, ..Default::default() };
        let big =
            RenderSettings { train: TrainSettings { steps: 2000, ..Default::default() }, scene, ..Default::default() };
        assert!(big.comment(100).ends_with(" --force -o FILE.gif"), "{}", big.comment(100));
        // ... or the training budget, which depends on the points.
        let small = SceneSettings { width: 200, height: 200, ..Default::default() };
        let train = TrainSettings { steps: 100_000, ..Default::default() };
        let long = RenderSettings { train, scene: small, ..Default::default() };
        assert!(long.comment(1_000_000).contains(" --force "));
        assert!(!long.comment(100).contains("--force"));
    }
}
