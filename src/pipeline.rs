//! One animation from settings to file: data, training, scene, GIF, optional trace.

use crate::animate::{run_label, write_gif, Progress};
use crate::data::{DataSpec, Dataset};
use crate::encode::GifOptions;
use crate::error::Result;
use crate::files::{write_atomic, write_bytes_atomic};
use crate::render::scene::{Scene, SceneSettings};
use crate::train::{train, BatchSize, Run, TrainSettings};
use crate::validate;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Where the points come from.
#[derive(Debug, Clone, PartialEq)]
pub enum DataSource {
    /// The post's synthetic line with noise.
    Synthetic(DataSpec),
    /// The user's CSV file (columns x,y with a header).
    Csv(PathBuf),
    /// CSV read from standard input (`--data -`), with the same bounds as a file.
    Stdin,
}

impl Default for DataSource {
    fn default() -> Self {
        DataSource::Synthetic(DataSpec::default())
    }
}

impl DataSource {
    /// The (slope, intercept) the data was drawn from, when known.
    pub fn truth(&self) -> Option<(f64, f64)> {
        match self {
            DataSource::Synthetic(spec) => Some((spec.slope, spec.intercept)),
            DataSource::Csv(_) | DataSource::Stdin => None,
        }
    }

    /// Draws or reads the points.
    pub fn load(&self) -> Result<Dataset> {
        match self {
            DataSource::Synthetic(spec) => {
                validate::points(spec.n)?;
                validate::synthetic(spec)?;
                Ok(Dataset::synthetic(spec))
            }
            DataSource::Csv(path) => Dataset::from_csv_file(path),
            DataSource::Stdin => Dataset::from_csv_reader(std::io::stdin().lock(), Path::new("<stdin>")),
        }
    }
}

/// Everything one animation needs besides its output path.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RenderSettings {
    /// The points.
    pub data: DataSource,
    /// The training run. Its `seed` is the user's seed; each run samples batches with
    /// [`job_seed`] of it, so `render` and `grid` give the same file for the same job.
    pub train: TrainSettings,
    /// Frame size and look.
    pub scene: SceneSettings,
    /// Delays and looping.
    pub gif: GifOptions,
    /// Go on even above the work budget.
    pub force: bool,
}

impl RenderSettings {
    /// Checks every option that does not depend on the data.
    pub fn validate(&self, jobs: u64) -> Result<()> {
        validate::lr("--lr", self.train.lr)?;
        validate::scene(&self.scene)?;
        validate::gif(&self.gif)?;
        validate::work(jobs.saturating_mul(self.train.steps as u64 + 1), &self.scene, self.force)
    }
}

/// The seed of one run's batch sampling, mixed from the user's seed and the job, so every
/// job has its own stream whatever order or thread runs it.
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
    /// Why the file could not be written, if it was not.
    pub error: Option<String>,
}

impl Outcome {
    fn of(run: &Run, path: &Path) -> Outcome {
        let last = run.last();
        Outcome {
            path: path.to_path_buf(),
            label: run_label(run),
            lr: run.settings.lr,
            batch_size: run.settings.batch_size,
            final_slope: last.slope,
            final_intercept: last.intercept,
            final_loss: last.loss,
            diverged_at: run.diverged_at(),
            error: None,
        }
    }
}

/// `train` as a job runs it: batches are kept only when the trace or `--show-batch` needs them.
pub(crate) fn as_run(train: &TrainSettings, scene: &SceneSettings, traced: bool) -> TrainSettings {
    TrainSettings { record_batches: traced || scene.show_batch, ..train.clone() }
}

/// Trains with the job's derived seed.
pub fn train_job(data: &Dataset, settings: &TrainSettings) -> Run {
    let seeded = TrainSettings { seed: job_seed(settings.seed, settings.lr, settings.batch_size), ..settings.clone() };
    let mut run = train(data, &seeded);
    run.settings.seed = settings.seed;
    run
}

/// Trains, renders and writes one GIF (atomically) over an existing scene.
pub fn render_job(
    data: &Dataset,
    scene: &Scene,
    train: &TrainSettings,
    gif: &GifOptions,
    output: &Path,
    trace: Option<&Path>,
    progress: &dyn Progress,
) -> Result<Outcome> {
    let run = train_job(data, &as_run(train, scene.settings(), trace.is_some()));
    write_atomic(output, |w| write_gif(w, scene, &run, gif, progress).map(|_| ()))?;
    if let Some(trace) = trace {
        write_bytes_atomic(trace, crate::trace::trace_json(data, &run, train.seed).as_bytes())?;
    }
    Ok(Outcome::of(&run, output))
}

/// Makes one animation: validates, loads the data, lays out the scene and writes the file.
pub fn render(
    settings: &RenderSettings,
    output: &Path,
    trace: Option<&Path>,
    progress: &dyn Progress,
) -> Result<Outcome> {
    settings.validate(1)?;
    validate::output_file("--output", output)?;
    if let Some(t) = trace {
        validate::output_file("--trace", t)?;
        if t == output {
            return Err(crate::error::Error::invalid("--trace", t.display(), "a different file from --output"));
        }
    }
    let (data, scene) = load_scene(settings, trace.is_some())?;
    render_job(&data, &scene, &settings.train, &settings.gif, output, trace, progress)
}

/// Loads the data, checks the training settings and their cost against it and lays out the
/// scene; the caller has run [`RenderSettings::validate`].
fn load_scene(settings: &RenderSettings, traced: bool) -> Result<(Dataset, Scene)> {
    let data = settings.data.load()?;
    validate::train(&settings.train, data.len())?;
    validate::training([&as_run(&settings.train, &settings.scene, traced)], data.len(), settings.force)?;
    let scene = Scene::new(&data, &settings.train, &settings.scene)?;
    Ok((data, scene))
}

/// Renders one animation into memory (for tests and library users who embed the bytes).
pub fn render_to_vec(settings: &RenderSettings) -> Result<Vec<u8>> {
    settings.validate(1)?;
    let (data, scene) = load_scene(settings, false)?;
    let run = train_job(&data, &as_run(&settings.train, &settings.scene, false));
    let mut out = write_gif(Vec::new(), &scene, &run, &settings.gif, &crate::animate::NoProgress)?;
    out.flush().ok();
    Ok(out)
}
