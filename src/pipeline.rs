//! One animation from settings to file: data, training, scene, GIF, optional trace.

use crate::animate::{run_label, write_gif, Progress};
use crate::data::{DataSpec, Dataset};
use crate::encode::GifOptions;
use crate::error::{Error, Result};
use crate::files::{write_atomic, write_bytes_atomic};
use crate::paths::{self, OutputFile};
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
            DataSource::Csv(_) => None,
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

/// Trains with the job's derived seed.
pub fn train_job(data: &Dataset, settings: &TrainSettings) -> Run {
    let seeded = TrainSettings { seed: job_seed(settings.seed, settings.lr, settings.batch_size), ..settings.clone() };
    let mut run = train(data, &seeded);
    run.settings.seed = settings.seed;
    run
}

/// Trains, renders and writes one GIF (atomically) over an existing scene. `output` and
/// `trace` are the files to replace, already checked (see the `paths` module); `shown` is the
/// output's name for the outcome.
#[allow(clippy::too_many_arguments)]
pub fn render_job(
    data: &Dataset,
    scene: &Scene,
    train: &TrainSettings,
    gif: &GifOptions,
    output: &Path,
    shown: &Path,
    trace: Option<&Path>,
    progress: &dyn Progress,
) -> Result<Outcome> {
    let run = train_job(data, train);
    write_atomic(output, |w| write_gif(w, scene, &run, gif, progress).map(|_| ()))?;
    write_trace(data, &run, trace)?;
    Ok(Outcome::of(&run, shown))
}

fn write_trace(data: &Dataset, run: &Run, trace: Option<&Path>) -> Result<()> {
    match trace {
        Some(path) => write_bytes_atomic(path, crate::trace::trace_json(data, run, run.settings.seed).as_bytes()),
        None => Ok(()),
    }
}

/// Refuses an output name that says another format (`-o a.png` would hold a GIF).
fn gif_name(out: &OutputFile) -> Result<()> {
    match out.given.extension() {
        Some(ext) if !ext.eq_ignore_ascii_case("gif") => Err(Error::invalid(
            &out.option,
            out.given.display(),
            "a .gif file name (the file is a GIF, whatever its name says)",
        )),
        _ => Ok(()),
    }
}

/// The checked outputs of one animation, before any work: kinds, folders and clashes with
/// each other and with the data file.
fn check_outputs(settings: &RenderSettings, output: Option<&Path>, trace: Option<&Path>) -> Result<Vec<OutputFile>> {
    let mut outputs = vec![];
    if let Some(path) = output {
        let out = paths::output_file("--output", path)?;
        gif_name(&out)?;
        outputs.push(out);
    }
    if let Some(path) = trace {
        outputs.push(paths::output_file("--trace", path)?);
    }
    let data = match &settings.data {
        DataSource::Csv(path) => paths::input_identity(path),
        DataSource::Synthetic(_) => None,
    };
    let inputs: Vec<(&str, &paths::Identity)> = data.iter().map(|d| ("--data", d)).collect();
    paths::refuse_clashes(&outputs.iter().collect::<Vec<_>>(), &inputs)?;
    Ok(outputs)
}

/// Makes one animation: validates, loads the data, lays out the scene and writes the file
/// (and the trace, if asked). Missing folders are created once everything is checked.
pub fn render(
    settings: &RenderSettings,
    output: &Path,
    trace: Option<&Path>,
    progress: &dyn Progress,
) -> Result<Outcome> {
    settings.validate(1)?;
    let outputs = check_outputs(settings, Some(output), trace)?;
    let (data, scene) = load_scene(settings)?;
    paths::create_folders(outputs.iter().filter_map(|o| o.create.clone()), &mut |d| progress.folder_created(d))?;
    let trace = outputs.get(1).map(|t| t.real.as_path());
    render_job(&data, &scene, &settings.train, &settings.gif, &outputs[0].real, output, trace, progress)
}

/// Makes one animation into `out` (standard output, a socket, memory), and the trace file if
/// asked. A closed pipe shows as an [`Error::Encode`] whose [`Error::is_broken_pipe`] is true.
pub fn render_to_writer<W: Write>(
    settings: &RenderSettings,
    out: W,
    trace: Option<&Path>,
    progress: &dyn Progress,
) -> Result<(Outcome, W)> {
    settings.validate(1)?;
    let outputs = check_outputs(settings, None, trace)?;
    let (data, scene) = load_scene(settings)?;
    paths::create_folders(outputs.iter().filter_map(|o| o.create.clone()), &mut |d| progress.folder_created(d))?;
    let run = train_job(&data, &settings.train);
    let mut out = write_gif(out, &scene, &run, &settings.gif, progress)?;
    out.flush().map_err(|e| Error::Encode(e.into()))?;
    write_trace(&data, &run, outputs.first().map(|t| t.real.as_path()))?;
    Ok((Outcome::of(&run, Path::new("-")), out))
}

/// Loads the data, checks the training settings against it and lays out the scene; the
/// caller has run [`RenderSettings::validate`].
fn load_scene(settings: &RenderSettings) -> Result<(Dataset, Scene)> {
    let data = settings.data.load()?;
    validate::train(&settings.train, data.len())?;
    let scene = Scene::new(&data, &settings.train, &settings.scene)?;
    Ok((data, scene))
}

/// Renders one animation into memory (for tests and library users who embed the bytes).
pub fn render_to_vec(settings: &RenderSettings) -> Result<Vec<u8>> {
    render_to_writer(settings, Vec::new(), None, &crate::animate::NoProgress).map(|(_, bytes)| bytes)
}
