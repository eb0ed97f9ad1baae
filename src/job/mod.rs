//! One animation from settings to file: data, training, scene, frames, encoder, file (and the
//! trace, if asked).

use crate::encode::{AnimationEncoder, Format, Timing};
use crate::error::{Error, Result};
use crate::output::files::{write_atomic, write_bytes_atomic};
use crate::output::paths::{self, OutputFile};
use crate::output::provenance::{render_command, Provenance, RenderCommand};
use crate::output::Outcome;
use crate::raster::Canvas;
use crate::render::compare::{CompareFrames, Tiling};
use crate::render::{Limits, Scene, SceneSettings};
use crate::train::{check_training, train, BatchSize, DataSource, Dataset, Run, TrainSettings};
use std::io::Write;
use std::path::Path;

mod replay;

pub use replay::{replay, replay_to_writer, ReplaySettings};

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
    pub timing: Timing,
    /// Go on even above the work budget.
    pub force: bool,
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
        crate::train::check_lr("train.lr", self.train.lr)?;
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
fn check_frames(frames: u64, s: &SceneSettings, force: bool) -> Result<()> {
    check_frames_of("train.steps", "use fewer steps", frames, s, force)
}

/// [`check_frames`] naming the setting that drives the frames and what to do about it.
pub(crate) fn check_frames_of(field: &str, fewer: &str, frames: u64, s: &SceneSettings, force: bool) -> Result<()> {
    let work = frames.saturating_mul(u64::from(s.width) * u64::from(s.height));
    if work > WORK_BUDGET && !force {
        return Err(Error::OverBudget {
            field: field.into(),
            value: format!("{frames} frames of {}x{}", s.width, s.height),
            estimate: format!(
                "{work:.3e} frame-pixels is above the budget of {budget:.1e}; {fewer} or smaller frames",
                work = work as f64,
                budget = WORK_BUDGET as f64
            ),
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

/// Hooks for progress reporting; every method defaults to doing nothing.
pub trait Progress: Sync {
    /// One frame was encoded.
    fn frame_done(&self) {}
    /// One animation of a grid is finished (written, or failed).
    fn job_done(&self, _outcome: &Outcome) {}
    /// A missing output folder was created (before any file is written).
    fn folder_created(&self, _folder: &std::path::Path) {}
    /// How many frames the animation will have, once known (a replay learns it from its log).
    fn frames_planned(&self, _frames: u64) {}
    /// Something the reader of a log should know: values passed over (images, histograms), a
    /// damaged record after which an event file was not read.
    fn note(&self, _note: &str) {}
    /// Whether the user asked to stop (Ctrl-C); checked before every frame.
    fn cancelled(&self) -> bool {
        false
    }
}

/// Reports nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {}

/// Draws every snapshot of `run` over `scene` and writes the animation to `out` in `format`,
/// with `comment` (see [`RenderSettings::comment`]) as its metadata.
pub fn write_animation<W: Write>(
    format: Format,
    out: W,
    scene: &Scene,
    run: &Run,
    timing: &Timing,
    comment: Option<&str>,
    progress: &dyn Progress,
) -> Result<W> {
    encode_animation(format, out, scene, run, timing, comment, progress).map(|(out, _)| out)
}

/// [`write_animation`] as a GIF.
pub fn write_gif<W: Write>(
    out: W,
    scene: &Scene,
    run: &Run,
    timing: &Timing,
    comment: Option<&str>,
    progress: &dyn Progress,
) -> Result<W> {
    write_animation(Format::Gif, out, scene, run, timing, comment, progress)
}

/// [`write_animation`], handing back the last frame too (the poster, in `scene`'s palette).
fn encode_animation<W: Write>(
    format: Format,
    out: W,
    scene: &Scene,
    run: &Run,
    timing: &Timing,
    comment: Option<&str>,
    progress: &dyn Progress,
) -> Result<(W, Canvas)> {
    let background = scene.background();
    let mut encoder = format.encoder(out, background.width, background.height, scene.palette(), timing)?;
    if let Some(text) = comment {
        encoder.comment(text)?;
    }
    let last = write_frames(encoder.as_mut(), scene, run, timing, progress)?;
    Ok((encoder.finish()?, last))
}

/// Writes a comparison of several runs as one GIF whose panels step together (see
/// `render::compare`): one panel per entry of `trains`, each trained as its job would
/// be, laid out by `tiling`, with the look of `base`. Its comment names the version and each
/// panel's `render` command.
pub fn write_compare<W: Write>(
    format: Format,
    out: W,
    data: &Dataset,
    trains: &[TrainSettings],
    base: &RenderSettings,
    tiling: Tiling,
    progress: &dyn Progress,
) -> Result<W> {
    encode_compare(format, out, data, trains, base, tiling, progress, false).map(|(out, _)| out)
}

/// [`write_compare`], and the comparison's poster: its last frame as a PNG, pixel for pixel
/// what a GIF decoder shows at its end.
pub fn write_compare_and_poster<W: Write>(
    format: Format,
    out: W,
    data: &Dataset,
    trains: &[TrainSettings],
    base: &RenderSettings,
    tiling: Tiling,
    progress: &dyn Progress,
) -> Result<(W, Vec<u8>)> {
    let (out, poster) = encode_compare(format, out, data, trains, base, tiling, progress, true)?;
    Ok((out, poster.unwrap_or_default()))
}

/// The frame loop of a comparison; with `poster`, also its last frame as a PNG.
#[allow(clippy::too_many_arguments)]
fn encode_compare<W: Write>(
    format: Format,
    out: W,
    data: &Dataset,
    trains: &[TrainSettings],
    base: &RenderSettings,
    tiling: Tiling,
    progress: &dyn Progress,
    poster: bool,
) -> Result<(W, Option<Vec<u8>>)> {
    let runs: Vec<Run> = trains.iter().map(|t| train_job(data, t)).collect();
    let Some(first) = trains.first() else {
        return Err(Error::invalid("compare.runs", 0, "one run or more"));
    };
    let tile_settings = tiling.tile_settings(&base.scene_settings());
    let tile = Scene::new(data, first, &tile_settings)?;
    let mut frames = CompareFrames::new(&tile, tiling, &runs);
    let (w, h) = tiling.size(runs.len());
    let mut encoder = format.encoder(out, w, h, tile.palette(), &base.timing)?;
    encoder.comment(&compare_comment(trains, base, tiling))?;
    let last = frames_len(&runs);
    let mut k = 0;
    let mut png = None;
    while let Some((canvas, changed)) = frames.next_frame()? {
        if progress.cancelled() {
            return Err(Error::Interrupted);
        }
        k += 1;
        let delay = if k == last { base.timing.last_delay() } else { base.timing.frame_delay() };
        encoder.push(canvas, changed, delay)?;
        if poster && k == last {
            png = Some(crate::output::gallery::poster_png(canvas, tile.palette())?);
        }
    }
    Ok((encoder.finish()?, png))
}

/// A comparison's comment: the version and the `sgd-anim compare` command that makes it again
/// (the first panel's `render` command with its `--lr` and `--batch-size` replaced by the
/// comparison's lists, in panel order), and a note per panel naming the run it shows.
fn compare_comment(trains: &[TrainSettings], base: &RenderSettings, tiling: Tiling) -> String {
    use crate::output::provenance::{CommandArg, Provenance};
    let Some(first) = trains.first() else { return String::new() };
    let mut command = RenderSettings { train: first.clone(), ..base.clone() }.command();
    command.subcommand = "compare";
    // A comparison's --width is its own (the column its panels fill); its height follows from
    // the panels, 3:4 of their width.
    command.args.retain(|a| !["train.lr", "train.batch_size", "scene.height"].contains(&a.field));
    for arg in command.args.iter_mut().filter(|a| a.field == "scene.width") {
        arg.value = Some((tiling.tile.0 * tiling.columns).to_string());
    }
    let (mut lrs, mut sizes): (Vec<String>, Vec<String>) = (vec![], vec![]);
    for t in trains {
        let lr = crate::format::python_float(t.lr);
        let size = t.batch_size.size().map_or_else(|| "full".to_string(), |b| b.to_string());
        if !lrs.contains(&lr) {
            lrs.push(lr);
        }
        if !sizes.contains(&size) {
            sizes.push(size);
        }
    }
    command.args.insert(0, CommandArg { field: "grid.lrs", value: Some(lrs.join(",")) });
    command.args.insert(1, CommandArg { field: "grid.batch_sizes", value: Some(sizes.join(",")) });
    command.notes.push("a comparison: a column per learning rate, a row per batch size".into());
    Provenance::of(&command).comment()
}

/// How many frames a comparison of `runs` has: the shortest run's.
fn frames_len(runs: &[Run]) -> usize {
    runs.iter().map(|r| r.snapshots.len()).min().unwrap_or(0)
}

/// The frame loop: draws every snapshot of `run` over `scene` into `encoder`, frame by frame,
/// so memory stays flat however many steps there are. Returns a copy of the last frame (a
/// gallery's poster), as palette indices of `scene`'s palette.
pub fn write_frames<W>(
    encoder: &mut dyn AnimationEncoder<W>,
    scene: &Scene,
    run: &Run,
    timing: &Timing,
    progress: &dyn Progress,
) -> Result<Canvas> {
    let mut frames = scene.frames(run);
    let mut last = None;
    while !frames.is_done() {
        if progress.cancelled() {
            return Err(Error::Interrupted);
        }
        let Some(frame) = frames.next_frame()? else { break };
        let delay = if frame.last { timing.last_delay() } else { timing.frame_delay() };
        encoder.push(frame.canvas, frame.changed, delay)?;
        if frame.last {
            last = Some(frame.canvas.clone());
        }
        progress.frame_done();
    }
    // A run has at least its start snapshot, so the loop drew a last frame.
    Ok(last.unwrap_or_else(|| scene.background().clone()))
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

/// The side files of one job besides its GIF, already checked (see `output::paths`).
#[derive(Debug, Clone, Copy, Default)]
pub struct SideFiles<'a> {
    /// The JSON trace of the run.
    pub trace: Option<&'a Path>,
    /// The poster: the last frame as a PNG (see [`crate::output::gallery::poster_png`]).
    pub poster: Option<&'a Path>,
}

/// Trains, renders and writes one animation (atomically, in the [`Format`] its name says, GIF
/// where it says none) over an existing scene, with its `comment`, and its side files. `output` and the side files are the files to replace,
/// already checked (see `output::paths`); `shown` is the output's name for the outcome.
#[allow(clippy::too_many_arguments)]
pub fn render_job(
    data: &Dataset,
    scene: &Scene,
    train: &TrainSettings,
    timing: &Timing,
    comment: &str,
    output: &Path,
    shown: &Path,
    side: SideFiles,
    progress: &dyn Progress,
) -> Result<Outcome> {
    let run = train_job(data, &as_run(train, scene.settings(), side.trace.is_some()));
    let mut own = None;
    let drawn = scene_for(data, scene, &run, &mut own)?;
    let format = Format::of_path(output).unwrap_or_default();
    let last = write_atomic(output, |w| {
        encode_animation(format, w, drawn, &run, timing, Some(comment), progress).map(|(_, last)| last)
    })?;
    write_trace(data, &run, train.seed, scene.settings(), side.trace)?;
    if let Some(path) = side.poster {
        write_bytes_atomic(path, &crate::output::gallery::poster_png(&last, drawn.palette())?)?;
    }
    Ok(Outcome::of(&run, shown))
}

/// Writes `run`'s animation over `shared` (or, where the view's axes follow the run, over a scene
/// made for it): what `render`, `grid` and `grid --check` all make for a job.
#[allow(clippy::too_many_arguments)]
pub fn job_animation<W: Write>(
    format: Format,
    out: W,
    data: &Dataset,
    shared: &Scene,
    run: &Run,
    timing: &Timing,
    comment: Option<&str>,
    progress: &dyn Progress,
) -> Result<W> {
    let mut own = None;
    let scene = scene_for(data, shared, run, &mut own)?;
    write_animation(format, out, scene, run, timing, comment, progress)
}

/// [`job_animation`] into memory, with the poster [`render_job`] writes beside it (the last
/// frame as a PNG): what `grid --check` compares a folder's files with.
pub fn job_animation_and_poster(
    format: Format,
    data: &Dataset,
    shared: &Scene,
    run: &Run,
    timing: &Timing,
    comment: Option<&str>,
    progress: &dyn Progress,
) -> Result<(Vec<u8>, Vec<u8>)> {
    let mut own = None;
    let scene = scene_for(data, shared, run, &mut own)?;
    let (bytes, last) = encode_animation(format, Vec::new(), scene, run, timing, comment, progress)?;
    Ok((bytes, crate::output::gallery::poster_png(&last, scene.palette())?))
}

/// The scene `run` is drawn over: `shared`, or where the view's axes follow the run (the loss
/// and parameter panels), one made for it (kept in `own`).
fn scene_for<'a>(data: &Dataset, shared: &'a Scene, run: &Run, own: &'a mut Option<Scene>) -> Result<&'a Scene> {
    if shared.settings().view.follows_the_run() {
        Ok(own.insert(Scene::for_run(data, run, shared.settings())?))
    } else {
        Ok(shared)
    }
}

/// The trace names the user's seed (`seed`), from which the run's sampling seed is derived,
/// and what the scene drew the data with (its true line and the line panel's limits), so a
/// replay draws it as the render did.
fn write_trace(data: &Dataset, run: &Run, seed: u64, scene: &SceneSettings, trace: Option<&Path>) -> Result<()> {
    match trace {
        Some(path) => {
            let text = crate::output::trace::trace_json(data, run, seed, scene.truth, scene.limits);
            write_bytes_atomic(path, text.as_bytes())
        }
        None => Ok(()),
    }
}

/// The format an output's name asks for (see [`Format::for_output`]): GIF without an
/// extension, an error for one that is not a format's (`-o a.png`).
fn output_format(out: &OutputFile) -> Result<Format> {
    Format::for_output(&out.option, &out.given)
}

/// The checked outputs of one animation, before any work: kinds, folders and clashes with
/// each other and with the data file.
fn check_outputs(settings: &RenderSettings, output: Option<&Path>, trace: Option<&Path>) -> Result<Vec<OutputFile>> {
    let mut outputs = vec![];
    if let Some(path) = output {
        let out = paths::output_file("output", path)?;
        output_format(&out)?;
        outputs.push(out);
    }
    if let Some(path) = trace {
        outputs.push(paths::output_file("trace", path)?);
    }
    paths::refuse_clashes(&outputs, settings.data.file())?;
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
    let (data, scene) = load_scene(settings, trace.is_some())?;
    paths::create_folders(&outputs, &mut |d| progress.folder_created(d))?;
    let side = SideFiles { trace: outputs.get(1).map(|t| t.real.as_path()), poster: None };
    let comment = settings.comment(data.len());
    render_job(&data, &scene, &settings.train, &settings.timing, &comment, &outputs[0].real, output, side, progress)
}

/// Makes one animation into `out` (standard output, a socket, memory), and the trace file if
/// asked. A closed pipe shows as an [`Error::Write`] whose [`Error::is_broken_pipe`] is true.
pub fn render_to_writer<W: Write>(
    settings: &RenderSettings,
    out: W,
    trace: Option<&Path>,
    progress: &dyn Progress,
) -> Result<(Outcome, W)> {
    settings.validate(1)?;
    let outputs = check_outputs(settings, None, trace)?;
    let traced = trace.is_some();
    let (data, scene) = load_scene(settings, traced)?;
    paths::create_folders(&outputs, &mut |d| progress.folder_created(d))?;
    let run = train_job(&data, &as_run(&settings.train, &settings.scene, traced));
    let comment = settings.comment(data.len());
    let mut out = job_animation(Format::Gif, out, &data, &scene, &run, &settings.timing, Some(&comment), progress)?;
    out.flush().map_err(Error::Write)?;
    let trace = outputs.first().map(|t| t.real.as_path());
    write_trace(&data, &run, settings.train.seed, scene.settings(), trace)?;
    Ok((Outcome::of(&run, Path::new("-")), out))
}

/// Loads the data, checks the training settings and their cost against it and lays out the
/// scene; the caller has run [`RenderSettings::validate`].
fn load_scene(settings: &RenderSettings, traced: bool) -> Result<(Dataset, Scene)> {
    let data = settings.data.load()?;
    settings.train.validate(data.len())?;
    check_training([&as_run(&settings.train, &settings.scene, traced)], data.len(), settings.force)?;
    let scene = Scene::new(&data, &settings.train, &settings.scene_settings())?;
    Ok((data, scene))
}

/// Renders one animation into memory (for tests and library users who embed the bytes).
pub fn render_to_vec(settings: &RenderSettings) -> Result<Vec<u8>> {
    render_to_writer(settings, Vec::new(), None, &NoProgress).map(|(_, bytes)| bytes)
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
