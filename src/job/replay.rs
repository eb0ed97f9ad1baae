//! One logged run animated (`sgd-anim replay`): the log read back, laid out as
//! [`render`](super::render) lays out a run of ours, drawn by the same frames and encoder,
//! with a comment naming the `sgd-anim replay` command that makes it again.

use super::{check_frames_of, output_format, write_animation, write_gif, Progress};
use crate::encode::Timing;
use crate::error::{Error, Field, Result};
use crate::output::files::write_atomic;
use crate::output::paths::{self, OutputFile};
use crate::output::provenance::{replay_command, Provenance, RenderCommand, ReplayShape};
use crate::output::Outcome;
use crate::render::{Limits, PanelKind, Scene, SceneSettings, View, MIN_SIZE};
use crate::replay::{merge_runs, read_log, LogSource, ReadOptions, Replay};
use crate::train::{DataSource, Dataset};
use std::io::Write;
use std::path::Path;

/// Everything one replay of a logged run needs besides its output path.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplaySettings {
    /// The log: our trace (`render --trace`), JSON Lines or CSV (see [`crate::read_log`]).
    pub log: LogSource,
    /// Other runs' logs, animated together with it on one step axis (logs of curves).
    pub also: Vec<LogSource>,
    /// The points of a line fit whose log does not hold them.
    pub data: Option<DataSource>,
    /// Keep every `every`-th logged step (the first and the last always), for a long log.
    pub every: usize,
    /// Frame size and look, as [`render`](super::render)'s. Left `None`, the title's label and
    /// the true line are the log's (a trace's run is labelled by its settings, another log by
    /// its file name); the view applies to a line fit (a log of curves shows a panel per
    /// metric group).
    pub scene: SceneSettings,
    /// Whether `scene.width` is one panel's width rather than the frame's: the frame is then
    /// as wide as the panels the log needs (the binary's default: 640 a panel, as `render`'s).
    pub width_per_panel: bool,
    /// Delays and looping.
    pub timing: Timing,
    /// Go on even above the work budget.
    pub force: bool,
    /// The series to draw, in order (`--metrics`); see [`ReadOptions::metrics`].
    pub metrics: Option<Vec<String>>,
    /// The step axis (`--x`); see [`ReadOptions::x`].
    pub x: Option<String>,
    /// The name of a log's one unnamed series (`--name`); see [`ReadOptions::name`].
    pub name: Option<String>,
}

impl ReplaySettings {
    /// Replays `log` with the defaults: every step, the line view, 640x480 a panel.
    #[must_use]
    pub fn new(log: LogSource) -> ReplaySettings {
        ReplaySettings {
            log,
            also: vec![],
            data: None,
            every: 1,
            scene: SceneSettings::default(),
            width_per_panel: true,
            timing: Timing::default(),
            force: false,
            metrics: None,
            x: None,
            name: None,
        }
    }

    /// The logs: the first, then the other runs'.
    pub fn logs(&self) -> impl Iterator<Item = &LogSource> {
        std::iter::once(&self.log).chain(&self.also)
    }

    /// Checks every option that does not depend on the log.
    pub fn validate(&self) -> Result<()> {
        if self.every == 0 {
            return Err(Error::invalid(Field::ReplayEvery, 0, "a whole number of steps, 1 or more (1: every step)"));
        }
        let stdin_logs = self.logs().filter(|l| **l == LogSource::Stdin).count();
        if stdin_logs > 0 && self.data == Some(DataSource::Stdin) {
            return Err(Error::invalid(Field::Data, "-", "a file: the log is read from standard input"));
        }
        if stdin_logs > 1 {
            return Err(Error::invalid(Field::ReplayLog, "-", "standard input once: the other runs from files"));
        }
        // The frame's width is checked once the log says how many panels it needs.
        let one =
            SceneSettings { width: self.scene.width.max(MIN_SIZE * self.scene.view.panels()), ..self.scene.clone() };
        one.validate()?;
        if self.width_per_panel && self.scene.width < MIN_SIZE {
            return Err(Error::invalid(
                Field::SceneWidth,
                self.scene.width,
                format!("{MIN_SIZE} pixels or more a panel"),
            ));
        }
        self.timing.validate()
    }
}

/// The panels a replay shows: a line fit's are its view's, with the logged losses in place of
/// the MSE curve when they are another loss; a log of curves has a panel per metric group.
fn replay_panels(replay: &Replay, view: View) -> Vec<PanelKind> {
    if !replay.is_line() {
        return (0..replay.curves.groups().len()).map(PanelKind::Curves).collect();
    }
    let losses = replay.curves.groups().iter().position(|g| g.name == "loss");
    view.panel_kinds()
        .iter()
        .map(|&kind| match (kind, losses) {
            (PanelKind::Loss, Some(group)) if !replay.loss_is_mse => PanelKind::Curves(group),
            _ => kind,
        })
        .collect()
}

/// A log read back and laid out: the scene to draw it over and the comment its GIF carries.
struct Replayed {
    replay: Replay,
    scene: Scene,
    comment: String,
}

impl ReplaySettings {
    /// The scene settings as given, with the frame's real width for `replay`'s panels (640 a
    /// panel when [`ReplaySettings::width_per_panel`] is set).
    fn given_scene(&self, kinds: &[PanelKind]) -> SceneSettings {
        let mut given = self.scene.clone();
        if self.width_per_panel {
            given.width = given.width.saturating_mul(kinds.len() as u32);
        }
        given
    }

    /// The scene `replay` (the log, read back) is drawn over, as [`render`](super::render)
    /// draws a run: the label and true line the log gives where these settings leave them
    /// out, and the line panel's limits as the log says its data was drawn (its own points
    /// fill the plot).
    fn drawn_scene(&self, replay: &Replay, kinds: &[PanelKind]) -> SceneSettings {
        let given = self.given_scene(kinds);
        SceneSettings {
            label: given.label.clone().or_else(|| replay.label.clone()),
            truth: given.truth.or(replay.truth),
            limits: if replay.data_limits { Limits::Data } else { given.limits },
            ..given
        }
    }

    /// The `sgd-anim replay` command that makes this replay of `replay` (the log as read back
    /// with these settings) again: the log, then every setting that shapes the animation in
    /// canonical order (see `output::provenance`), the frame's width spelled out, with
    /// `--force` if [`ReplaySettings::force`] is set.
    #[must_use]
    pub fn command(&self, replay: &Replay) -> RenderCommand {
        let given = self.given_scene(&replay_panels(replay, self.scene.view));
        replay_command(&ReplayShape {
            log: &self.log,
            also: &self.also,
            data: self.data.as_ref(),
            every: self.every,
            line_fit: replay.is_line(),
            scene: &given,
            timing: &self.timing,
            force: self.force,
            metrics: self.metrics.as_deref(),
            x: self.x.as_deref(),
            name: self.name.as_deref(),
        })
    }

    /// The comment a GIF of this replay carries: the version and [`ReplaySettings::command`],
    /// with `--force` only where the command would be refused without it.
    #[must_use]
    pub fn comment(&self, replay: &Replay) -> String {
        let kinds = replay_panels(replay, self.scene.view);
        let frames = replay.run.snapshots.len() as u64;
        let over = check_frames_kept(frames, &self.drawn_scene(replay, &kinds), false).is_err();
        let force = over || replay.forced;
        Provenance::of(&ReplaySettings { force, ..self.clone() }.command(replay)).comment()
    }
}

/// [`check_frames_of`] for a replay: fewer frames are fewer steps kept.
fn check_frames_kept(frames: u64, s: &SceneSettings, force: bool) -> Result<()> {
    check_frames_of(Field::ReplayEvery, "keep fewer steps (every k-th)", frames, s, force)
}

/// Reads the log (and the data), lays out the scene (see [`ReplaySettings::drawn_scene`]; the
/// axes that follow the run cover it) checked against the work budget, and writes the comment.
fn replay_scene(settings: &ReplaySettings, progress: &dyn Progress) -> Result<Replayed> {
    let options = ReadOptions {
        every: settings.every,
        keep_batches: settings.scene.show_batch,
        force: settings.force,
        metrics: settings.metrics.clone(),
        x: settings.x.clone(),
        name: settings.name.clone(),
    };
    let replay = read_runs(settings, &options)?;
    for note in &replay.notes {
        progress.note(note);
    }
    let kinds = replay_panels(&replay, settings.scene.view);
    let scene = settings.drawn_scene(&replay, &kinds);
    let frames = replay.run.snapshots.len() as u64;
    check_frames_kept(frames, &scene, settings.force)?;
    progress.frames_planned(frames);
    let comment = settings.comment(&replay);
    let no_points = Dataset { x: vec![], y: vec![] };
    let data = replay.data.as_ref().unwrap_or(&no_points);
    let scene = Scene::with_curves(data, &replay.run, &replay.curves, &kinds, &scene)?;
    Ok(Replayed { replay, scene, comment })
}

/// The log, or the runs' logs merged (see [`merge_runs`]).
fn read_runs(settings: &ReplaySettings, options: &ReadOptions) -> Result<Replay> {
    if settings.also.is_empty() {
        return read_log(&settings.log, settings.data.as_ref(), options);
    }
    let mut replays = vec![];
    let mut names = vec![];
    for log in settings.logs() {
        let replay = read_log(log, settings.data.as_ref(), options)?;
        let name = match log {
            LogSource::File(path) => {
                let stem = path.file_stem().or_else(|| path.file_name()).unwrap_or(path.as_os_str());
                stem.to_string_lossy().into_owned()
            }
            LogSource::Stdin => "stdin".into(),
        };
        names.push(name);
        replays.push(replay);
    }
    merge_runs(replays, &names)
}

/// Where a replay ended: a line fit's outcome as our runs', a log of curves' with its last
/// loss (the first series of its loss group) and no line.
fn replay_outcome(replay: &Replay, scene: &Scene, shown: &Path) -> Outcome {
    let mut outcome = Outcome::of(&replay.run, shown);
    if let Some(label) = &scene.settings().label {
        outcome.label.clone_from(label);
    }
    if !replay.is_line() {
        let groups = replay.curves.groups();
        let loss = groups.iter().find(|g| g.name == "loss").map(|g| &replay.curves.series[g.members[0]]);
        outcome.final_loss = loss.and_then(|s| s.values.iter().rev().flatten().next().copied()).unwrap_or(f64::NAN);
        outcome.final_slope = f64::NAN;
        outcome.final_intercept = f64::NAN;
    }
    outcome
}

/// The checked output of a replay: a GIF name, a file that is neither the log nor the data.
fn check_replay_output(settings: &ReplaySettings, output: Option<&Path>) -> Result<Vec<OutputFile>> {
    let mut outputs = vec![];
    if let Some(path) = output {
        let out = paths::output_file(Field::Output, path)?;
        output_format(&out)?;
        outputs.push(out);
    }
    let data = settings.data.as_ref().and_then(DataSource::file);
    let mut inputs: Vec<(Field, Option<&Path>)> = settings.logs().map(|l| (Field::ReplayLog, l.file())).collect();
    inputs.push((Field::Data, data));
    paths::refuse_input_clashes(&outputs, &inputs)?;
    Ok(outputs)
}

/// Animates a logged run (see [`ReplaySettings`]) into one GIF, written atomically, through
/// the same scene, frames and encoder as [`render`](super::render): a trace that `render`
/// wrote replays to the same frames, delays, loop count and bytes but for the comment, which
/// names the `sgd-anim replay` command that makes it again.
pub fn replay(settings: &ReplaySettings, output: &Path, progress: &dyn Progress) -> Result<Outcome> {
    settings.validate()?;
    let outputs = check_replay_output(settings, Some(output))?;
    let Replayed { replay, scene, comment } = replay_scene(settings, progress)?;
    paths::create_folders(&outputs, &mut |d| progress.folder_created(d))?;
    let timing = &settings.timing;
    write_atomic(&outputs[0].real, |w| {
        write_animation(outputs[0].format(), w, &scene, &replay.run, timing, Some(&comment), progress).map(|_| ())
    })?;
    Ok(replay_outcome(&replay, &scene, output))
}

/// [`replay`] into any writer (standard output, memory).
pub fn replay_to_writer<W: Write>(settings: &ReplaySettings, out: W, progress: &dyn Progress) -> Result<(Outcome, W)> {
    settings.validate()?;
    check_replay_output(settings, None)?;
    let Replayed { replay, scene, comment } = replay_scene(settings, progress)?;
    let mut out = write_gif(out, &scene, &replay.run, &settings.timing, Some(&comment), progress)?;
    out.flush().map_err(Error::Write)?;
    Ok((replay_outcome(&replay, &scene, Path::new("-")), out))
}
