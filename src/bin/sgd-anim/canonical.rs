//! The canonical command in every GIF's comment (the library's `RenderSettings::command`)
//! against this command line: it spells every option that shapes the animation, and reads back
//! to the same animation.

use crate::cli::{Cli, Command};
use crate::parse;
use sgd_anim::internals::caption_every;
use sgd_anim::{RenderSettings, SceneSettings, Timing};
use std::collections::BTreeSet;
use std::ffi::OsString;

/// `render`'s options that do not shape the animation, so its command leaves them out.
const NOT_SHAPING: &[&str] = &["--output", "--trace", "--jobs", "--quiet", "--help"];

/// Options a user may type after `render`, together reaching every branch of the command.
const TYPED: &[&str] = &[
    "",
    "--lr 0.05 --batch-size 8 --optimizer momentum --momentum 0.8 --view all --trail 3 --width 700 --height 300",
    "--lr 1e-5 --batch-size 2 --optimizer adam --beta1 0.85 --beta2 0.99 --sampling shuffle --seed 7 \
     --start-slope 2.5 --start-intercept -0.3",
    "--data points.csv --no-caption --show-batch --batch-size 4 --loop-count 3",
    "--data - --caption-every 4 --delay-ms 33 --hold-ms 5 --view line+loss --force",
    "--n 20 --true-slope -2 --true-intercept 0.5 --noise 0 --view line+params --loop-count 1 --steps 7",
];

/// The settings `sgd-anim render ARGS -o x.gif` makes, as main makes them.
fn settings_of(args: &[String]) -> RenderSettings {
    let all = ["sgd-anim".to_string()].into_iter().chain(args.iter().cloned()).chain(["-o".into(), "x.gif".into()]);
    match parse::parse_from(all.map(OsString::from).collect()) {
        Ok(Cli { command: Some(Command::Render(r)) }) => r.common.to_settings(r.lr, r.batch_size),
        other => panic!("{args:?}: {other:?}"),
    }
}

fn typed(line: &str) -> RenderSettings {
    settings_of(&std::iter::once("render").chain(line.split_whitespace()).map(String::from).collect::<Vec<_>>())
}

#[test]
fn every_render_option_is_in_the_command_or_said_not_to_shape_the_animation() {
    let spelled: BTreeSet<&str> =
        TYPED.iter().flat_map(|line| typed(line).command().args).map(|arg| arg.flag()).collect();
    let cmd = parse::command();
    let render = cmd.find_subcommand("render").expect("render");
    let options: BTreeSet<String> =
        render.get_arguments().filter_map(clap::Arg::get_long).map(|l| format!("--{l}")).collect();
    for option in &options {
        let (in_command, not_shaping) = (spelled.contains(option.as_str()), NOT_SHAPING.contains(&option.as_str()));
        assert!(
            in_command != not_shaping,
            "{option}: the canonical command (src/output/provenance.rs) must spell it, or NOT_SHAPING list it"
        );
    }
    for flag in &spelled {
        assert!(options.contains(*flag), "the command spells {flag}, which render does not take");
    }
}

#[test]
fn the_command_reads_back_to_the_same_animation() {
    for line in TYPED {
        let typed = typed(line);
        let command = typed.command();
        let again = settings_of(&command.argv());
        assert_eq!(again.command(), command, "{line}: the command is a fixed point");
        // The same settings, with the caption's cadence and the delays as the file stores them.
        let cs = |c: u16| u32::from(c) * 10;
        let every = typed.scene.caption.then(|| caption_every(&typed.scene) as u32);
        let stored = RenderSettings {
            scene: SceneSettings { caption_every: every, ..typed.scene.clone() },
            timing: Timing {
                delay_ms: cs(typed.timing.frame_delay_cs()),
                hold_ms: cs(typed.timing.last_delay_cs()),
                ..typed.timing
            },
            ..typed.clone()
        };
        assert_eq!(again, stored, "{line}");
    }
}

#[test]
fn spellings_of_one_animation_give_one_command() {
    let plain = typed("--batch-size 16").command();
    for line in [
        "--batch-size 16 --lr 0.10",
        "--batch-size=16 --lr 1e-1 --width 640",
        "--batch-size 16 --delay-ms 21 --hold-ms 996",
        "--batch-size 16 --caption-every 1",
        "--batch-size 16 --momentum 0.5",
        "--batch-size 16 -q",
    ] {
        assert_eq!(typed(line).command(), plain, "{line}");
    }
    assert_ne!(typed("--batch-size 16 --trail 1").command(), plain);
}

/// `replay`'s options that do not shape the animation, so its command leaves them out.
const REPLAY_NOT_SHAPING: &[&str] = &["--output", "--quiet", "--help"];

/// Options a user may type after `replay`, the log among them, together reaching every branch
/// of its command.
const REPLAY_TYPED: &[&str] = &[
    "run.jsonl",
    "run.jsonl --every 3 --view all --trail 2 --show-batch --width 900 --height 300 --caption-every 2 \
     --delay-ms 33 --hold-ms 5 --loop-count 2 --force",
    "- --data points.csv --no-caption --view line+params",
    "--data - ./-x.jsonl --view line+loss --height 250",
    "m.csv --metrics val_loss,loss --x step --name run",
    "a.csv b.csv --every 2",
];

/// A line fit's log and a log of curves, read back: what a replay command is made for.
fn logs() -> [sgd_anim::Replay; 2] {
    let read = |text: &str, name: &str| {
        let options = sgd_anim::ReadOptions::default();
        sgd_anim::read_log_from(text.as_bytes(), std::path::Path::new(name), None, &options).unwrap()
    };
    let line = "{\"data\": {\"x\": [0, 1, 2], \"y\": [1, 3, 5]}}\n{\"step\": 0, \"slope\": 0, \"intercept\": 0}\n\
                {\"step\": 4, \"slope\": 1, \"intercept\": 1}\n";
    [read(line, "run.jsonl"), read("step,loss,val_loss,lr\n0,2,3,0.1\n5,1,2,0.1\n", "m.csv")]
}

/// The settings `sgd-anim replay -o x.gif ARGS` makes, as main makes them (the output first:
/// ARGS may end in `-- LOG`).
fn replay_settings_of(args: &[String]) -> sgd_anim::ReplaySettings {
    let (first, rest) = args.split_first().expect("a subcommand");
    let all = ["sgd-anim", first, "-o", "x.gif"].map(String::from).into_iter().chain(rest.iter().cloned());
    match parse::parse_from(all.map(OsString::from).collect()) {
        Ok(Cli { command: Some(Command::Replay(r)) }) => r.to_settings(),
        other => panic!("{args:?}: {other:?}"),
    }
}

fn replay_typed(line: &str) -> sgd_anim::ReplaySettings {
    replay_settings_of(&std::iter::once("replay").chain(line.split_whitespace()).map(String::from).collect::<Vec<_>>())
}

#[test]
fn every_replay_option_is_in_the_command_or_said_not_to_shape_the_animation() {
    let [line_fit, _] = logs();
    let spelled: BTreeSet<&str> =
        REPLAY_TYPED.iter().flat_map(|line| replay_typed(line).command(&line_fit).args).map(|arg| arg.flag()).collect();
    let cmd = parse::command();
    let replay = cmd.find_subcommand("replay").expect("replay");
    let options: BTreeSet<String> =
        replay.get_arguments().filter_map(clap::Arg::get_long).map(|l| format!("--{l}")).collect();
    for option in &options {
        let (in_command, not_shaping) =
            (spelled.contains(option.as_str()), REPLAY_NOT_SHAPING.contains(&option.as_str()));
        assert!(
            in_command != not_shaping,
            "{option}: the canonical command (src/output/provenance.rs) must spell it, or REPLAY_NOT_SHAPING list it"
        );
    }
    for flag in &spelled {
        assert!(options.contains(*flag), "the command spells {flag}, which replay does not take");
    }
}

#[test]
fn the_replay_command_reads_back_to_the_same_replay() {
    for log in logs() {
        for line in REPLAY_TYPED {
            let typed = replay_typed(line);
            let command = typed.command(&log);
            assert_eq!(command.subcommand, "replay");
            let again = replay_settings_of(&command.argv());
            assert_eq!(again.command(&log), command, "{line}: the command is a fixed point");
            if !log.is_line() {
                // A log of curves shows a panel per metric: the view, trail and batch shape nothing.
                assert!(!command.line().contains("--view") && !command.line().contains("--trail"), "{line}");
                continue;
            }
            // The same settings, with the frame's width spelled out and the caption's cadence and
            // the delays as the file stores them; a log named `-x` is named `./-x`.
            let cs = |c: u16| u32::from(c) * 10;
            let every = typed.scene.caption.then(|| caption_every(&typed.scene) as u32);
            let panels = typed.scene.view.panels();
            let width = if typed.width_per_panel { typed.scene.width * panels } else { typed.scene.width };
            let stored = sgd_anim::ReplaySettings {
                scene: SceneSettings { caption_every: every, width, ..typed.scene.clone() },
                width_per_panel: false,
                timing: Timing {
                    delay_ms: cs(typed.timing.frame_delay_cs()),
                    hold_ms: cs(typed.timing.last_delay_cs()),
                    ..typed.timing
                },
                ..typed.clone()
            };
            assert_eq!(again, stored, "{line}");
        }
    }
    // The default width is 640 a panel, spelled out for the panels the log needs.
    let [line_fit, curves] = logs();
    assert!(replay_typed("run.jsonl --view all").command(&line_fit).line().contains(" --width 1920 "));
    assert!(replay_typed("m.csv --view all").command(&curves).line().contains(" --width 1280 "));
    let dashed = replay_typed("--data - -- -x.jsonl").command(&line_fit);
    assert_eq!(dashed.operands, ["./-x.jsonl"]);
}
