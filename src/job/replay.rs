//! One logged run animated (`sgd-anim replay`): the log read back, laid out as
//! [`render`](super::render) lays out a run of ours, drawn by the same frames and encoder,
//! with a comment naming the `sgd-anim replay` command that makes it again.

use super::compare::{encode_panels, Panels};
use super::{check_frames_of, output_format, write_animation, write_gif, Progress};
use crate::encode::{Format, Timing};
use crate::error::{Error, Field, Result};
use crate::output::files::write_atomic;
use crate::output::paths::{self, OutputFile};
use crate::output::provenance::{replay_command, Provenance, RenderCommand, ReplayShape};
use crate::output::Outcome;
use crate::render::compare::{held_caption, CompareFrames, Tiling};
use crate::render::{Limits, PanelKind, Scene, SceneSettings, View, MAX_SIZE, MIN_SIZE};
use crate::replay::{merge_runs, read_log, refuse_mixed, side_by_side, LogSource, ReadOptions, Replay, SideBySide};
use crate::run::{Run, Verdict};
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

/// A replay laid out: one animation, or line fits side by side.
enum Laid {
    One(Box<Replayed>),
    Side(Box<SideLaid>),
}

/// Reads the logs (and the data) and lays out the animation, checked against the work budget,
/// with its comment.
fn replay_scene(settings: &ReplaySettings, progress: &dyn Progress) -> Result<Laid> {
    let options = ReadOptions {
        every: settings.every,
        keep_batches: settings.scene.show_batch,
        force: settings.force,
        metrics: settings.metrics.clone(),
        x: settings.x.clone(),
        name: settings.name.clone(),
    };
    match read_runs(settings, &options)? {
        Read::One(replay) => lay_out(settings, *replay, progress).map(|r| Laid::One(Box::new(r))),
        Read::Side(side) => lay_out_side(settings, side, progress).map(|s| Laid::Side(Box::new(s))),
    }
}

/// Lays out one replay's scene (see [`ReplaySettings::drawn_scene`]; the axes that follow the
/// run cover it) checked against the work budget, and writes the comment.
fn lay_out(settings: &ReplaySettings, replay: Replay, progress: &dyn Progress) -> Result<Replayed> {
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

/// What the logs read back make: one animation of a run (a log, or runs' curves merged on one
/// axis), or line fits side by side.
enum Read {
    One(Box<Replay>),
    Side(SideBySide),
}

/// The log, or the runs' logs: merged when they log curves (see [`merge_runs`]), side by side
/// when they are line fits (see [`side_by_side`]); logs of both kinds are refused.
fn read_runs(settings: &ReplaySettings, options: &ReadOptions) -> Result<Read> {
    if settings.also.is_empty() {
        return read_log(&settings.log, settings.data.as_ref(), options).map(|r| Read::One(Box::new(r)));
    }
    let mut replays = vec![];
    for log in settings.logs() {
        replays.push(read_log(log, settings.data.as_ref(), options)?);
    }
    let names = run_names(settings);
    let files: Vec<String> = settings.logs().map(|l| l.name().display().to_string()).collect();
    refuse_mixed(&replays, &files)?;
    if replays.iter().all(Replay::is_line) {
        return side_by_side(replays, &names, &files).map(Read::Side);
    }
    merge_runs(replays, &names).map(|r| Read::One(Box::new(r)))
}

/// What each run is called: its file's name without the extension (`adam.csv`: adam), or,
/// where two runs' names would be the same (`adam/log.jsonl`, `sgd/log.jsonl`), its path as
/// given; `stdin` for standard input.
fn run_names(settings: &ReplaySettings) -> Vec<String> {
    let stem = |log: &LogSource| match log {
        LogSource::File(path) => {
            let stem = path.file_stem().or_else(|| path.file_name()).unwrap_or(path.as_os_str());
            stem.to_string_lossy().into_owned()
        }
        LogSource::Stdin => "stdin".into(),
    };
    let stems: Vec<String> = settings.logs().map(stem).collect();
    settings
        .logs()
        .zip(&stems)
        .map(|(log, name)| match log {
            LogSource::File(path) if stems.iter().filter(|s| *s == name).count() > 1 => path.display().to_string(),
            _ => name.clone(),
        })
        .collect()
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
/// names the `sgd-anim replay` command that makes it again. Several line fits are drawn side
/// by side, a panel a run, as `compare` draws runs (see [`crate::internals::side_by_side`]).
pub fn replay(settings: &ReplaySettings, output: &Path, progress: &dyn Progress) -> Result<Outcome> {
    settings.validate()?;
    let outputs = check_replay_output(settings, Some(output))?;
    let laid = replay_scene(settings, progress)?;
    super::progress::create_folders(&outputs, progress)?;
    let (timing, format) = (&settings.timing, outputs[0].format());
    match laid {
        Laid::One(laid) => {
            let Replayed { replay, scene, comment } = *laid;
            write_atomic(&outputs[0].real, |w| {
                write_animation(format, w, &scene, &replay.run, timing, Some(&comment), progress).map(|_| ())
            })?;
            Ok(replay_outcome(&replay, &scene, output))
        }
        Laid::Side(side) => {
            write_atomic(&outputs[0].real, |w| side.write(format, w, timing, progress).map(|_| ()))?;
            Ok(side.outcome(output))
        }
    }
}

/// [`replay`] into any writer (standard output, memory).
pub fn replay_to_writer<W: Write>(settings: &ReplaySettings, out: W, progress: &dyn Progress) -> Result<(Outcome, W)> {
    settings.validate()?;
    check_replay_output(settings, None)?;
    let (mut out, outcome) = match replay_scene(settings, progress)? {
        Laid::One(laid) => {
            let Replayed { replay, scene, comment } = *laid;
            let out = write_gif(out, &scene, &replay.run, &settings.timing, Some(&comment), progress)?;
            (out, replay_outcome(&replay, &scene, Path::new("-")))
        }
        Laid::Side(side) => {
            let out = side.write(Format::Gif, out, &settings.timing, progress)?;
            (out, side.outcome(Path::new("-")))
        }
    };
    out.flush().map_err(Error::Write)?;
    Ok((outcome, out))
}

/// Line fits side by side, laid out: a panel's scene a run (the same axes and palette, each
/// titled with its run), how the panels tile the frame, their captions and the comment.
struct SideLaid {
    side: SideBySide,
    tiles: Vec<Scene>,
    tiling: Tiling,
    captions: Vec<Vec<String>>,
    comment: String,
}

/// The header row above the panels, holding the step counter: as `compare`'s.
const SIDE_HEADER: u32 = 26;

/// The most panels to a row.
const SIDE_COLUMNS: usize = 3;

impl ReplaySettings {
    /// How `n` line fits side by side tile the frame: a row of up to three panels (then the
    /// next row), each as wide as a replay's panel (`--width` shares the row between them)
    /// and as high as a replay's frame, under a header with the step counter.
    fn side_tiling(&self, n: usize) -> Result<Tiling> {
        let columns = n.clamp(1, SIDE_COLUMNS) as u32;
        let width = if self.width_per_panel { self.scene.width } else { self.scene.width / columns };
        if width < MIN_SIZE {
            let advice = format!(
                "{} pixels or more: {columns} panels side by side, {MIN_SIZE} or more each",
                MIN_SIZE * columns
            );
            return Err(Error::invalid(Field::SceneWidth, self.scene.width, advice));
        }
        let tiling = Tiling { columns, tile: (width, self.scene.height), header: SIDE_HEADER };
        let (w, h) = tiling.size(n);
        if w > MAX_SIZE {
            return Err(Error::invalid(
                Field::SceneWidth,
                w,
                format!("at most {MAX_SIZE} pixels for a row of {columns} panels"),
            ));
        }
        if h > MAX_SIZE {
            let rows = n.div_ceil(SIDE_COLUMNS);
            let advice = format!("at most {MAX_SIZE} pixels for {rows} rows of panels and the header");
            return Err(Error::invalid(Field::SceneHeight, self.scene.height, advice));
        }
        Ok(tiling)
    }

    /// The look of the panel titled `name`: `compare`'s panel (a line panel, the step counter
    /// above all panels), with its larger text where the panel is narrower than a frame's
    /// default, and the line panel's limits as the logs say their data was drawn.
    fn side_tile(&self, tiling: Tiling, name: &str, data_limits: bool) -> SceneSettings {
        let mut tile = tiling.tile_settings(&self.scene);
        if tiling.tile.0 >= SceneSettings::PANEL_WIDTH {
            tile.theme = self.scene.theme.clone();
        }
        SceneSettings {
            caption: self.scene.caption,
            label: Some(name.to_string()),
            truth: None,
            limits: if data_limits { Limits::Data } else { self.scene.limits },
            ..tile
        }
    }

    /// The `sgd-anim replay` command that makes line fits side by side (`side`, tiled by
    /// `tiling`) again: the frame's width spelled out (the row's), the height a panel's.
    fn side_command(&self, side: &SideBySide, tiling: Tiling, force: bool) -> RenderCommand {
        let given =
            SceneSettings { width: tiling.tile.0 * tiling.columns, height: tiling.tile.1, ..self.scene.clone() };
        let mut command = replay_command(&ReplayShape {
            log: &self.log,
            also: &self.also,
            data: self.data.as_ref(),
            every: self.every,
            line_fit: true,
            scene: &given,
            timing: &self.timing,
            force,
            metrics: self.metrics.as_deref(),
            x: self.x.as_deref(),
            name: self.name.as_deref(),
        });
        command.notes.push(format!("line fits side by side, a panel a run: {}", side.names.join(", ")));
        command
    }
}

/// A line through the data's x extremes whose ends are the lowest and the highest any run's
/// start line reaches there: the line panel's axes, laid out for it, cover every run's start
/// (as one run's axes cover its own).
fn covering_start(side: &SideBySide) -> (f64, f64) {
    let first = &side.runs[0].snapshots[0];
    let (lo, hi) = side.data.x.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| (a.min(x), b.max(x)));
    let ends = side.runs.iter().flat_map(|r| {
        let s = &r.snapshots[0];
        [s.slope * lo + s.intercept, s.slope * hi + s.intercept]
    });
    let (low, high) =
        ends.filter(|y| y.is_finite()).fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), y| (a.min(y), b.max(y)));
    if hi > lo && low.is_finite() {
        let slope = (high - low) / (hi - lo);
        (slope, low - slope * lo)
    } else {
        (first.slope, first.intercept)
    }
}

/// Lays out line fits side by side (see [`SideLaid`]), checked against the work budget.
fn lay_out_side(settings: &ReplaySettings, side: SideBySide, progress: &dyn Progress) -> Result<SideLaid> {
    for note in &side.notes {
        progress.note(note);
    }
    if settings.scene.view != View::Line {
        let advice = "line: line fits replayed together are drawn side by side, a line panel each";
        return Err(Error::invalid(Field::SceneView, settings.scene.view, advice));
    }
    let tiling = settings.side_tiling(side.runs.len())?;
    let (w, h) = tiling.size(side.runs.len());
    let frame = SceneSettings { width: w, height: h, ..settings.scene.clone() };
    let frames = side.steps.len() as u64;
    check_frames_kept(frames, &frame, settings.force)?;
    progress.frames_planned(frames);
    let over = check_frames_kept(frames, &frame, false).is_err();
    let command = settings.side_command(&side, tiling, over || side.forced);
    let comment = Provenance::of(&command).comment();
    let start = crate::train::TrainSettings { start: covering_start(&side), ..side.runs[0].settings.clone() };
    let tiles = side
        .names
        .iter()
        .map(|name| Scene::new(&side.data, &start, &settings.side_tile(tiling, name, side.data_limits)))
        .collect::<Result<Vec<_>>>()?;
    let n = side.steps.len();
    let captions = if settings.scene.caption {
        side.runs.iter().map(|run| (0..n).map(|k| held_caption(run, k, n, side.steps[k])).collect()).collect()
    } else {
        vec![vec![]; side.runs.len()]
    };
    Ok(SideLaid { side, tiles, tiling, captions, comment })
}

impl SideLaid {
    /// Draws the frames and encodes them into `out` in `format`.
    fn write<W: Write>(&self, format: Format, out: W, timing: &Timing, progress: &dyn Progress) -> Result<W> {
        let tiles: Vec<&Scene> = self.tiles.iter().collect();
        let (runs, steps) = (&self.side.runs, self.side.steps.clone());
        let frames = CompareFrames::of_panels(tiles, self.tiling, runs, self.captions.clone(), steps);
        let palette = self.tiles[0].palette();
        let panels = Panels { frames, palette, size: self.tiling.size(runs.len()), ticks: true };
        encode_panels(format, out, panels, timing, &self.comment, progress, false).map(|(out, _)| out)
    }

    /// How the runs ended: named together ("adam vs sgd"), diverged at the first step any
    /// run diverged at, else unstable if one is, else settled; the final line and loss are
    /// several, so none is given.
    fn outcome(&self, shown: &Path) -> Outcome {
        let runs = &self.side.runs;
        let mut outcome = Outcome::of(&runs[0], shown);
        outcome.label = self.side.names.join(" vs ");
        outcome.diverged_at = runs.iter().filter_map(Run::diverged_at).min();
        let verdicts: Vec<Verdict> = runs.iter().map(Run::verdict).collect();
        outcome.verdict = match outcome.diverged_at {
            Some(step) => Verdict::Diverged { step },
            None => {
                verdicts.iter().find(|v| matches!(v, Verdict::Unstable { .. })).copied().unwrap_or(Verdict::Settled)
            }
        };
        (outcome.final_slope, outcome.final_intercept, outcome.final_loss) = (f64::NAN, f64::NAN, f64::NAN);
        outcome
    }
}
