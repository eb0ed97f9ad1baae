//! One animation from settings to file: data, training, scene, frames, encoder, file (and the
//! trace, if asked). `settings` (settings and budget), `progress`, `frames` (the frame loop)
//! and `compare` (several runs in one animation) are its parts; `replay` animates a log.

use crate::encode::{Format, Timing};
use crate::error::{Error, Field, Result};
use crate::output::batch::Files;
use crate::output::paths::{self, OutputFile};
use crate::output::Outcome;
use crate::render::{Scene, SceneSettings};
use crate::train::{check_training, Dataset, Run, TrainSettings};
use std::io::Write;
use std::path::Path;

mod compare;
mod frames;
mod pipeline;
mod progress;
mod replay;
mod settings;

pub use compare::{write_compare, write_compare_and_poster};
use frames::encode_animation;
pub use frames::{write_animation, write_frames, write_gif};
pub use pipeline::FrameThreads;
pub(crate) use progress::create_folders;
pub use progress::{NoProgress, Progress};
pub use replay::{replay, replay_to_writer, ReplaySettings};
pub(crate) use settings::{as_run, check_frames_of};
pub use settings::{job_seed, train_job, RenderSettings, WORK_BUDGET};

/// The side files of one job besides its GIF, already checked (see `output::paths`).
#[derive(Debug, Clone, Copy, Default)]
pub struct SideFiles<'a> {
    /// The JSON trace of the run.
    pub trace: Option<&'a Path>,
    /// The poster: the last frame as a PNG (see [`crate::output::gallery::poster_png`]).
    pub poster: Option<&'a Path>,
}

/// Trains, renders and writes one animation (atomically, in the [`Format`] its name says, GIF
/// where it says none) over an existing scene, with its `comment`, and its side files, each
/// put in place as `files` says. `output` and the side files are already checked (see
/// `output::paths`). `threads` says where the frames are drawn: on the encoding thread (a
/// grid's jobs, which share a pool sized to the cores) or on threads of their own (a job that
/// runs alone); the bytes are the same.
#[allow(clippy::too_many_arguments)]
pub fn render_job(
    data: &Dataset,
    scene: &Scene,
    train: &TrainSettings,
    timing: &Timing,
    comment: &str,
    output: &OutputFile,
    side: SideFiles,
    files: Files,
    progress: &dyn Progress,
    threads: FrameThreads,
) -> Result<Outcome> {
    let run = train_job(data, &as_run(train, scene.settings(), side.trace.is_some()));
    let mut own = None;
    let drawn = scene_for(data, scene, &run, &mut own)?;
    let format = output.format();
    let last = files.write(&output.real, |w| {
        encode_animation(format, w, drawn, &run, timing, Some(comment), progress, threads).map(|(_, last)| last)
    })?;
    write_trace(data, &run, train.seed, scene.settings(), side.trace, files)?;
    if let Some(path) = side.poster {
        files.write_bytes(path, &crate::output::gallery::poster_png(&last, drawn.palette())?)?;
    }
    Ok(Outcome::of(&run, &output.given))
}

/// Writes `run`'s animation over `shared` (or, where the view's axes follow the run, over a scene
/// made for it), its frames drawn on the encoding thread or on threads of their own: what
/// `render` writes to a stream.
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
    threads: FrameThreads,
) -> Result<W> {
    let mut own = None;
    let scene = scene_for(data, shared, run, &mut own)?;
    encode_animation(format, out, scene, run, timing, comment, progress, threads).map(|(out, _)| out)
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
    let (bytes, last) = encode_animation(format, Vec::new(), scene, run, timing, comment, progress, FrameThreads::One)?;
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
fn write_trace(
    data: &Dataset,
    run: &Run,
    seed: u64,
    scene: &SceneSettings,
    trace: Option<&Path>,
    files: Files,
) -> Result<()> {
    match trace {
        Some(path) => {
            let text = crate::output::trace::trace_json(data, run, seed, scene.truth, scene.limits);
            files.write_bytes(path, text.as_bytes())
        }
        None => Ok(()),
    }
}

/// The format an output's name asks for (see [`Format::for_output`]): GIF without an
/// extension, an error for one that is not a format's (`-o a.png`).
fn output_format(out: &OutputFile) -> Result<Format> {
    Format::for_output(out.option, &out.given)
}

/// The checked outputs of one animation, before any work: kinds, folders and clashes with
/// each other and with the data file.
fn check_outputs(settings: &RenderSettings, output: Option<&Path>, trace: Option<&Path>) -> Result<Vec<OutputFile>> {
    let mut outputs = vec![];
    if let Some(path) = output {
        let out = paths::output_file(Field::Output, path)?;
        output_format(&out)?;
        outputs.push(out);
    }
    if let Some(path) = trace {
        outputs.push(paths::output_file(Field::Trace, path)?);
    }
    paths::refuse_clashes(&outputs, settings.data.file())?;
    Ok(outputs)
}

/// Makes one animation: validates, loads the data, lays out the scene and writes the file
/// (and the trace, if asked). Missing folders are created once everything is checked. The
/// frames are drawn on threads of their own (three) while this one encodes them, where there is a second core.
pub fn render(
    settings: &RenderSettings,
    output: &Path,
    trace: Option<&Path>,
    progress: &dyn Progress,
) -> Result<Outcome> {
    render_on(settings, output, trace, progress, FrameThreads::for_a_lone_job())
}

/// [`render`] with its frames drawn as `threads` says (`render --jobs`); the same bytes.
pub fn render_on(
    settings: &RenderSettings,
    output: &Path,
    trace: Option<&Path>,
    progress: &dyn Progress,
    threads: FrameThreads,
) -> Result<Outcome> {
    settings.validate(1)?;
    let outputs = check_outputs(settings, Some(output), trace)?;
    let (data, scene) = load_scene(settings, trace.is_some())?;
    progress::create_folders(&outputs, progress)?;
    let side = SideFiles { trace: outputs.get(1).map(|t| t.real.as_path()), poster: None };
    let comment = settings.comment(data.len());
    let (train, timing) = (&settings.train, &settings.timing);
    render_job(&data, &scene, train, timing, &comment, &outputs[0], side, Files::Each, progress, threads)
}

/// Makes one animation into `out` (standard output, a socket, memory), and the trace file if
/// asked. A closed pipe shows as an [`Error::Write`] whose [`Error::is_broken_pipe`] is true.
/// As in [`render`], the frames are drawn on threads of their own where there is a second core.
pub fn render_to_writer<W: Write>(
    settings: &RenderSettings,
    out: W,
    trace: Option<&Path>,
    progress: &dyn Progress,
) -> Result<(Outcome, W)> {
    render_to_writer_on(settings, out, trace, progress, FrameThreads::for_a_lone_job())
}

/// [`render_to_writer`] with its frames drawn as `threads` says; the same bytes.
pub fn render_to_writer_on<W: Write>(
    settings: &RenderSettings,
    out: W,
    trace: Option<&Path>,
    progress: &dyn Progress,
    threads: FrameThreads,
) -> Result<(Outcome, W)> {
    settings.validate(1)?;
    let outputs = check_outputs(settings, None, trace)?;
    let traced = trace.is_some();
    let (data, scene) = load_scene(settings, traced)?;
    progress::create_folders(&outputs, progress)?;
    let run = train_job(&data, &as_run(&settings.train, &settings.scene, traced));
    let comment = settings.comment(data.len());
    let timing = &settings.timing;
    let mut out = job_animation(Format::Gif, out, &data, &scene, &run, timing, Some(&comment), progress, threads)?;
    out.flush().map_err(Error::Write)?;
    let trace = outputs.first().map(|t| t.real.as_path());
    write_trace(&data, &run, settings.train.seed, scene.settings(), trace, Files::Each)?;
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
