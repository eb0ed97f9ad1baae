//! Where a GIF came from: the `sgd-anim render` command that makes it again byte for byte
//! (or, for a logged run, the `sgd-anim replay` command), written into the GIF as a comment
//! (see [`Provenance::comment`]) and read back by `sgd-anim info`.
//!
//! The command is canonical: every setting that shapes the animation, spelled out with its
//! value in one fixed order (floats as Python spells them, the shortest text that parses back
//! to the same f64; delays and the caption's cadence as the file stores them), and nothing that
//! does not (the output path, the trace, quiet, threads). So one animation carries one comment,
//! whether it was made by `render` or `grid`, with or without side outputs.

use crate::encode::Timing;
use crate::error::Field;
use crate::format::python_float;
use crate::render::caption::caption_every;
use crate::render::{Limits, PanelKind, SceneSettings, Theme};
use crate::replay::LogSource;
use crate::train::{BatchSize, DataSource, TrainSettings};
use std::borrow::Cow;
use std::path::Path;

/// This version of sgd-anim, as comments name it.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Where a comment's command names its output: `sgd-anim info` puts the file's own path there.
pub const OUTPUT_PLACEHOLDER: &str = "-o FILE.gif";

/// One option of a command: the settings field it sets (its flag comes from
/// [`Field::flag`]) and its value, `None` for a switch such as `--no-caption`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandArg {
    /// The settings field, e.g. `train.lr`.
    pub field: Field,
    /// The value as the command line writes it, e.g. `0.1`.
    pub value: Option<String>,
}

impl CommandArg {
    /// The flag, e.g. `--lr`.
    #[must_use]
    pub fn flag(&self) -> &'static str {
        self.field.flag()
    }
}

/// The `sgd-anim render` (or `replay`) command that makes an animation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderCommand {
    /// The subcommand: `render`, or `replay` for a logged run.
    pub subcommand: &'static str,
    /// The arguments before the options: `replay`'s log.
    pub operands: Vec<String>,
    /// Its options in canonical order, without the output.
    pub args: Vec<CommandArg>,
    /// What the command alone cannot say (where the data must come from, settings no
    /// command gives), one sentence each.
    pub notes: Vec<String>,
}

impl RenderCommand {
    /// The arguments after the program's name: `render --lr 0.1 --batch-size 16 ...`, without
    /// the output. A data path that starts with `-` is joined to its flag (`--data=-x.csv`).
    #[must_use]
    pub fn argv(&self) -> Vec<String> {
        let mut argv = vec![self.subcommand.to_string()];
        argv.extend(self.operands.iter().cloned());
        for arg in &self.args {
            match &arg.value {
                None => argv.push(arg.flag().into()),
                Some(v) if v.starts_with('-') && v != "-" && arg.field == "data" => {
                    argv.push(format!("{}={v}", arg.flag()));
                }
                Some(v) => argv.extend([arg.flag().into(), v.clone()]),
            }
        }
        argv
    }

    /// The command as a shell line, without the output: `sgd-anim render --lr 0.1 ...`, `sgd-anim
    /// replay run.jsonl --every 1 ...`.
    #[must_use]
    pub fn line(&self) -> String {
        let words: Vec<String> = self.argv().iter().map(|w| shell_word(w).into_owned()).collect();
        format!("sgd-anim {}", words.join(" "))
    }
}

/// `word` as a POSIX shell reads it back: as it is when it holds only characters no shell
/// treats specially, otherwise in single quotes.
#[must_use]
pub fn shell_word(word: &str) -> Cow<'_, str> {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./:+,@%".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        Cow::Borrowed(word)
    } else {
        Cow::Owned(format!("'{}'", word.replace('\'', r"'\''")))
    }
}

/// The canonical command for an animation of these settings. `force` adds `--force`: the
/// caller says whether the command would be refused without it.
#[must_use]
pub fn render_command(
    data: &DataSource,
    train: &TrainSettings,
    scene: &SceneSettings,
    timing: &Timing,
    force: bool,
) -> RenderCommand {
    let mut args = vec![];
    let mut notes = vec![];
    let mut unsayable = vec![];
    let mut set = |field: Field, value: String| args.push(CommandArg { field, value: Some(value) });
    set(Field::TrainLr, python_float(train.lr));
    set(
        Field::TrainBatchSize,
        match train.batch_size {
            BatchSize::Full => "full".into(),
            BatchSize::Size(b) => b.to_string(),
        },
    );
    set(Field::TrainSteps, train.steps.to_string());
    set(Field::TrainSeed, train.seed.to_string());
    set(Field::TrainStartSlope, python_float(train.start.0));
    set(Field::TrainStartIntercept, python_float(train.start.1));
    set(Field::TrainSampling, train.sampling.name().into());
    set(Field::TrainOptimizer, train.optimizer.name().into());
    for (field, value) in train.optimizer.settings() {
        set(field, python_float(value));
    }
    match data {
        DataSource::Synthetic(spec) => {
            set(Field::DataN, spec.n.to_string());
            set(Field::DataSlope, python_float(spec.slope));
            set(Field::DataIntercept, python_float(spec.intercept));
            set(Field::DataNoise, python_float(spec.noise));
            // One --seed draws the data and seeds the sampling.
            if spec.seed != train.seed {
                unsayable.push("data.seed");
            }
        }
        DataSource::Csv(_) | DataSource::Stdin => set(Field::Data, data_arg(data, &mut notes)),
    }
    frame_args(scene, timing, true, &mut args);
    if force {
        args.push(CommandArg { field: Field::Force, value: None });
    }
    if scene.theme != Theme::default() {
        unsayable.push("scene.theme");
    }
    if scene.caption && scene.label.is_some() {
        unsayable.push("scene.label");
    }
    // The command marks the data's own truth; only the parameter panel shows it.
    if scene.truth != data.truth() && scene.view.panel_kinds().contains(&PanelKind::Params) {
        unsayable.push("scene.truth");
    }
    if !unsayable.is_empty() {
        notes.push(format!(
            "made through the library with settings no command gives ({}): this command makes another file",
            unsayable.join(", ")
        ));
    }
    RenderCommand { subcommand: "render", operands: vec![], args, notes }
}

/// `path` as text for a comment, which is lines of text: a name that is not UTF-8, or holds a
/// newline, is written as near as text allows, and `notes` say so of `what`.
fn path_text(path: &Path, what: &str, notes: &mut Vec<String>) -> String {
    let text = path.to_string_lossy();
    let plain = matches!(text, Cow::Borrowed(_)) && !text.chars().any(char::is_control);
    if !plain {
        notes.push(format!("{what}'s name is not plain text: it is written approximately here"));
    }
    text.chars().flat_map(|c| if c.is_control() { c.escape_default().collect() } else { vec![c] }).collect()
}

/// `--data`'s value for points read from a file (or, for any other source, standard input),
/// with what the command alone cannot say about it in `notes`.
fn data_arg(data: &DataSource, notes: &mut Vec<String>) -> String {
    if let DataSource::Csv(path) = data {
        let shown = path_text(path, "the data file", notes);
        notes.push("--data names the file as it was given: the same file, from the same folder".into());
        shown
    } else {
        notes.push("the points came from standard input: give the same CSV there (--data - < points.csv)".into());
        "-".into()
    }
}

/// The frame options both commands spell, in canonical order: `--view` (where a line fit is
/// drawn), the size, the caption, the trail and batch (a line fit's), delays and looping.
fn frame_args(scene: &SceneSettings, timing: &Timing, line_fit: bool, args: &mut Vec<CommandArg>) {
    let value = |field: Field, v: String| CommandArg { field, value: Some(v) };
    let switch = |field: Field| CommandArg { field, value: None };
    if line_fit {
        args.push(value(Field::SceneView, scene.view.to_string()));
    }
    args.push(value(Field::SceneWidth, scene.width.to_string()));
    args.push(value(Field::SceneHeight, scene.height.to_string()));
    if scene.caption {
        args.push(value(Field::SceneCaptionEvery, caption_every(scene).to_string()));
    } else {
        args.push(switch(Field::SceneCaption));
    }
    if line_fit {
        args.push(value(Field::SceneTrail, scene.trail.to_string()));
        if scene.show_batch {
            args.push(switch(Field::SceneShowBatch));
        }
    }
    // The delays the file stores (whole centiseconds): 21 ms and 20 ms make the same file.
    let ms = |cs: u16| (u32::from(cs) * 10).to_string();
    args.push(value(Field::TimingDelayMs, ms(timing.frame_delay_cs())));
    args.push(value(Field::TimingHoldMs, ms(timing.last_delay_cs())));
    if let Some(n) = timing.loop_count {
        args.push(value(Field::TimingLoopCount, n.to_string()));
    }
}

/// What a replay's canonical command is made from: the log, the options given, and what
/// reading the log decided.
#[derive(Debug, Clone, Copy)]
pub struct ReplayShape<'a> {
    /// The log.
    pub log: &'a LogSource,
    /// The other runs' logs, animated together with it.
    pub also: &'a [LogSource],
    /// The points, where the log does not hold them.
    pub data: Option<&'a DataSource>,
    /// One logged step kept in `every`.
    pub every: usize,
    /// Whether the log is a line fit (the view, trail and batch then shape the frames; a log
    /// of curves has a panel per metric group whatever the view).
    pub line_fit: bool,
    /// The scene as given, with the frame's real width (640 a panel when `--width` is left out).
    pub scene: &'a SceneSettings,
    /// Delays and looping.
    pub timing: &'a Timing,
    /// Whether the command needs `--force`.
    pub force: bool,
    /// The series drawn, in order (`--metrics`), when named.
    pub metrics: Option<&'a [String]>,
    /// The step axis (`--x`), when named.
    pub x: Option<&'a str>,
    /// The name of a log's one unnamed series (`--name`), when given.
    pub name: Option<&'a str>,
}

/// The canonical `sgd-anim replay` command: the log, then every option that shapes the
/// animation, in the order `render`'s command gives them (the frame's width spelled out,
/// whatever the log's panels).
#[must_use]
pub fn replay_command(shape: &ReplayShape) -> RenderCommand {
    let mut notes = vec![];
    let operands = std::iter::once(shape.log).chain(shape.also).map(|log| log_operand(log, &mut notes)).collect();
    let mut args = vec![];
    if let Some(data) = shape.data {
        args.push(CommandArg { field: Field::Data, value: Some(data_arg(data, &mut notes)) });
    }
    args.push(CommandArg { field: Field::ReplayEvery, value: Some(shape.every.to_string()) });
    if let Some(metrics) = shape.metrics {
        args.push(CommandArg { field: Field::ReplayMetrics, value: Some(metrics.join(",")) });
    }
    if let Some(x) = shape.x {
        args.push(CommandArg { field: Field::ReplayX, value: Some(x.to_string()) });
    }
    if let Some(name) = shape.name {
        args.push(CommandArg { field: Field::ReplayName, value: Some(name.to_string()) });
    }
    frame_args(shape.scene, shape.timing, shape.line_fit, &mut args);
    if shape.force {
        args.push(CommandArg { field: Field::Force, value: None });
    }
    let scene = shape.scene;
    let mut unsayable = vec![];
    if scene.caption && scene.label.is_some() {
        unsayable.push("scene.label");
    }
    if shape.line_fit && scene.truth.is_some() && scene.view.panel_kinds().contains(&PanelKind::Params) {
        unsayable.push("scene.truth");
    }
    if shape.line_fit && scene.limits != Limits::default() {
        unsayable.push("scene.limits");
    }
    if scene.theme != Theme::default() {
        unsayable.push("scene.theme");
    }
    if !unsayable.is_empty() {
        notes.push(format!(
            "made through the library with settings no command gives ({}): this command makes another file",
            unsayable.join(", ")
        ));
    }
    RenderCommand { subcommand: "replay", operands, args, notes }
}

/// How the command names a log, and the notes it needs.
fn log_operand(log: &LogSource, notes: &mut Vec<String>) -> String {
    let note = |notes: &mut Vec<String>, text: &str| {
        if !notes.iter().any(|n| n == text) {
            notes.push(text.to_string());
        }
    };
    match log {
        LogSource::File(path) => {
            let shown = path_text(path, "the log", notes);
            note(notes, "the log is named as it was given: the same file, from the same folder");
            if path.is_dir() {
                note(notes, "the log is a folder: its event files or metrics are read as they are then");
            }
            // A relative name that starts with `-` would read as an option: `./-x.jsonl` is the
            // same file.
            if shown.starts_with('-') {
                format!("./{shown}")
            } else {
                shown
            }
        }
        LogSource::Stdin => {
            note(notes, "the log came from standard input: give the same log there (sgd-anim replay - < run.jsonl)");
            "-".into()
        }
    }
}

/// What a GIF's comment says about how it was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provenance {
    /// The sgd-anim version that made it, e.g. `0.1.0`.
    pub version: String,
    /// The command that makes it again, ending in [`OUTPUT_PLACEHOLDER`]:
    /// `sgd-anim render --lr 0.1 ... -o FILE.gif`.
    pub command: String,
    /// What the command alone cannot say.
    pub notes: Vec<String>,
}

impl Provenance {
    /// The provenance this version writes for `command`.
    #[must_use]
    pub fn of(command: &RenderCommand) -> Provenance {
        Provenance {
            version: VERSION.into(),
            command: format!("{} {OUTPUT_PLACEHOLDER}", command.line()),
            notes: command.notes.clone(),
        }
    }

    /// The comment's text: a line each, `made by: sgd-anim 0.1.0`, `command: sgd-anim render
    /// ... -o FILE.gif`, then `note: ...` lines.
    #[must_use]
    pub fn comment(&self) -> String {
        let mut text = format!("made by: sgd-anim {}\ncommand: {}", self.version, self.command);
        for note in &self.notes {
            text.push_str("\nnote: ");
            text.push_str(note);
        }
        text
    }

    /// Reads a comment [`Provenance::comment`] wrote; `None` for any other comment.
    #[must_use]
    pub fn parse(comment: &[u8]) -> Option<Provenance> {
        let text = std::str::from_utf8(comment).ok()?;
        let mut lines = text.lines();
        let version = lines.next()?.strip_prefix("made by: sgd-anim ")?.to_string();
        let (mut command, mut notes) = (None, vec![]);
        for line in lines {
            if let Some(c) = line.strip_prefix("command: ").filter(|c| c.starts_with("sgd-anim ")) {
                command = Some(c.to_string());
            } else if let Some(note) = line.strip_prefix("note: ") {
                notes.push(note.to_string());
            }
        }
        Some(Provenance { version, command: command?, notes })
    }

    /// The command with the output named: `... -o 'my file.gif'`.
    #[must_use]
    pub fn command_for(&self, output: &Path) -> String {
        let given = output.to_string_lossy();
        let named = format!("-o {}", shell_word(&given));
        match self.command.strip_suffix(OUTPUT_PLACEHOLDER) {
            Some(rest) => format!("{rest}{named}"),
            None => format!("{} {named}", self.command),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::View;
    use crate::train::{DataSpec, Optimizer};

    fn command(train: &TrainSettings, scene: &SceneSettings, timing: &Timing) -> String {
        render_command(&DataSource::default(), train, scene, timing, false).line()
    }

    #[test]
    fn the_default_command_spells_out_every_setting() {
        let scene = SceneSettings { truth: Some((3.0, 10.0)), ..Default::default() };
        assert_eq!(
            command(&TrainSettings::default(), &scene, &Timing::default()),
            "sgd-anim render --lr 0.1 --batch-size full --steps 100 --seed 42 --start-slope -1.0 \
             --start-intercept 1.0 --sampling replacement --optimizer sgd --n 100 --true-slope 3.0 \
             --true-intercept 10.0 --noise 0.6 --view line --width 640 --height 480 --caption-every 1 \
             --trail 0 --delay-ms 20 --hold-ms 1000"
        );
        let data = DataSource::default();
        assert!(render_command(&data, &TrainSettings::default(), &scene, &Timing::default(), false).notes.is_empty());
    }

    #[test]
    fn switches_optimisers_and_data_sources() {
        let train = TrainSettings {
            batch_size: BatchSize::Size(16),
            optimizer: Optimizer::Adam { beta1: 0.8, beta2: 0.99 },
            ..Default::default()
        };
        let scene = SceneSettings { caption: false, caption_every: Some(3), show_batch: true, ..Default::default() };
        let timing = Timing { delay_ms: 33, hold_ms: 0, loop_count: Some(2) };
        let csv = DataSource::Csv("my points.csv".into());
        let made = render_command(&csv, &train, &scene, &timing, true);
        let line = made.line();
        assert!(line.contains(" --batch-size 16 ") && line.contains(" --optimizer adam --beta1 0.8 --beta2 0.99 "));
        assert!(line.contains(" --data 'my points.csv' --view line "), "{line}");
        assert!(!line.contains("--n ") && !line.contains("--caption-every"), "{line}");
        // 33 ms is stored as 3 cs; a hold shorter than a frame is a frame.
        assert!(
            line.ends_with(" --no-caption --trail 0 --show-batch --delay-ms 30 --hold-ms 30 --loop-count 2 --force")
        );
        assert_eq!(made.notes.len(), 1, "{:?}", made.notes);
        let stdin = render_command(&DataSource::Stdin, &train, &scene, &timing, false);
        assert!(stdin.line().contains(" --data - ") && stdin.notes[0].contains("standard input"));
        let dashed = render_command(&DataSource::Csv("-x.csv".into()), &train, &scene, &timing, false);
        assert!(dashed.argv().contains(&"--data=-x.csv".to_string()));
    }

    #[test]
    fn settings_no_command_gives_are_noted() {
        let data = DataSource::Synthetic(DataSpec { seed: 7, ..Default::default() });
        let theme = Theme { line_width_pt: 5.0, ..Theme::default() };
        let scene = SceneSettings { theme, view: View::All, width: 1920, ..Default::default() };
        let made = render_command(&data, &TrainSettings::default(), &scene, &Timing::default(), false);
        assert_eq!(
            made.notes,
            vec![
                "made through the library with settings no command gives (data.seed, scene.theme, scene.truth): \
                 this command makes another file"
            ]
        );
        // Without the parameter panel, the truth is not drawn: the library's defaults leave it out.
        let line = SceneSettings { view: View::LineLoss, ..Default::default() };
        let made = render_command(&DataSource::default(), &TrainSettings::default(), &line, &Timing::default(), false);
        assert!(made.notes.is_empty(), "{:?}", made.notes);
    }

    #[test]
    fn a_data_file_name_that_is_not_plain_text_keeps_the_comment_in_lines() {
        let mut names = vec![std::path::PathBuf::from("two\nlines.csv")];
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            names.push(std::ffi::OsStr::from_bytes(b"\xffx.csv").into());
        }
        for name in names {
            let s = TrainSettings::default();
            let made = render_command(
                &DataSource::Csv(name.clone()),
                &s,
                &SceneSettings::default(),
                &Timing::default(),
                false,
            );
            let comment = Provenance::of(&made).comment();
            assert!(comment.lines().nth(1).is_some_and(|l| l.ends_with(" -o FILE.gif")), "{comment}");
            assert!(made.notes.iter().any(|n| n.contains("not plain text")), "{name:?}: {:?}", made.notes);
            assert_eq!(Provenance::parse(comment.as_bytes()).map(|p| p.notes.len()), Some(2));
        }
    }

    #[test]
    fn a_replay_command_names_its_log_and_only_what_shapes_the_frames() {
        let (scene, timing) = (SceneSettings::default(), Timing::default());
        let log = LogSource::File("run.jsonl".into());
        let shape = ReplayShape {
            log: &log,
            also: &[],
            data: None,
            every: 1,
            line_fit: true,
            scene: &scene,
            timing: &timing,
            force: false,
            metrics: None,
            x: None,
            name: None,
        };
        let made = replay_command(&shape);
        assert_eq!(
            made.line(),
            "sgd-anim replay run.jsonl --every 1 --view line --width 640 --height 480 --caption-every 1 --trail 0 \
             --delay-ms 20 --hold-ms 1000"
        );
        assert_eq!(made.notes, ["the log is named as it was given: the same file, from the same folder"]);
        // A log of curves: a panel per metric whatever the view; no line to trail or batch to show.
        let busy = SceneSettings { view: View::All, trail: 3, show_batch: true, ..SceneSettings::default() };
        let picked = ["val_loss".to_string(), "loss".to_string()];
        let chosen =
            replay_command(&ReplayShape { metrics: Some(&picked), x: Some("epoch"), name: Some("a"), ..shape });
        assert!(
            chosen.line().contains(" --every 1 --metrics val_loss,loss --x epoch --name a --view "),
            "{}",
            chosen.line()
        );
        let curves = replay_command(&ReplayShape { line_fit: false, scene: &busy, every: 5, ..shape });
        assert_eq!(
            curves.line(),
            "sgd-anim replay run.jsonl --every 5 --width 640 --height 480 --caption-every 1 --delay-ms 20 \
             --hold-ms 1000"
        );
        // A name that would read as an option, standard input, points from a file, --force.
        let dashed = LogSource::File("-x.jsonl".into());
        assert_eq!(replay_command(&ReplayShape { log: &dashed, ..shape }).operands, ["./-x.jsonl"]);
        let points = DataSource::Csv("my points.csv".into());
        let stdin = replay_command(&ReplayShape { log: &LogSource::Stdin, data: Some(&points), force: true, ..shape });
        assert!(stdin.line().starts_with("sgd-anim replay - --data 'my points.csv' --every 1 "), "{}", stdin.line());
        assert!(stdin.line().ends_with(" --force"));
        assert!(stdin.notes[0].contains("standard input") && stdin.notes[1].starts_with("--data names the file"));
        // What only the library sets is noted.
        let labelled = SceneSettings { label: Some("mine".into()), limits: Limits::Data, ..SceneSettings::default() };
        let made = replay_command(&ReplayShape { scene: &labelled, ..shape });
        assert!(made.notes[1].contains("(scene.label, scene.limits)"), "{:?}", made.notes);
    }

    #[test]
    fn shell_words_are_quoted_only_when_needed() {
        assert_eq!(shell_word("-1.0"), "-1.0");
        assert_eq!(shell_word("line+loss"), "line+loss");
        assert_eq!(shell_word("out/x_1.gif"), "out/x_1.gif");
        assert_eq!(shell_word(""), "''");
        assert_eq!(shell_word("a b"), "'a b'");
        assert_eq!(shell_word("it's"), r"'it'\''s'");
        assert_eq!(shell_word("$HOME*"), "'$HOME*'");
    }

    #[test]
    fn the_comment_reads_back_and_names_the_output() {
        let train = TrainSettings { lr: 0.01, ..Default::default() };
        let made = render_command(&DataSource::Stdin, &train, &SceneSettings::default(), &Timing::default(), false);
        let p = Provenance::of(&made);
        let comment = p.comment();
        assert!(comment.starts_with(&format!("made by: sgd-anim {VERSION}\ncommand: sgd-anim render --lr 0.01 ")));
        assert!(comment.contains(" -o FILE.gif\nnote: the points came from standard input"), "{comment}");
        assert_eq!(Provenance::parse(comment.as_bytes()), Some(p.clone()));
        assert!(p.command_for(Path::new("a b.gif")).ends_with(" --hold-ms 1000 -o 'a b.gif'"));
        for other in [&b"made by: gifsicle"[..], b"made by: sgd-anim 0.1.0", b"\xff", b""] {
            assert_eq!(Provenance::parse(other), None);
        }
    }

    #[test]
    fn floats_are_written_so_they_parse_back_exactly() {
        let mut x = 1.234_567_890_123_456_7e-300_f64;
        for _ in 0..2000 {
            for v in [x, -x, 1.0 / x] {
                assert_eq!(python_float(v).parse::<f64>().ok(), Some(v), "{v:e}");
            }
            x *= 1.456_789_012_345_678_9;
        }
        for v in [0.1, 0.3, 1e-5, 1e16, 1e15, 5e-324, f64::MAX, f64::MIN_POSITIVE, -0.0] {
            let back: f64 = python_float(v).parse().unwrap();
            assert_eq!(back.to_bits(), v.to_bits(), "{v:e}");
        }
    }
}
