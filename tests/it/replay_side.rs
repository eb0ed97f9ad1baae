//! `replay` of several line fits: side by side, a panel a run titled with its log's name, as
//! `compare` draws runs; a frame per step any run logged; each panel's line where a replay of
//! its log alone draws it; the command that makes the file again; logs that cannot go
//! together refused, naming them.

use crate::common;
use sgd_anim::internals::{PanelKind, Scene};
use sgd_anim::*;
use std::path::{Path, PathBuf};

/// The line's colour (matplotlib's first), drawn only by lines and their off-plot marks.
const BLUE: [u8; 3] = [0x1f, 0x77, 0xb4];

/// Two line fits on the lesson's points in `dir`: `a.json`, the trace of a 12-step SGD render,
/// and `b.jsonl`, a log of our own from the same start, every 5 steps to step 15, where its
/// slope and intercept are `NaN` (Python's `json.dumps` of a run that blew up).
fn two_logs(dir: &Path) -> (PathBuf, PathBuf) {
    let (a, b) = (dir.join("a.json"), dir.join("b.jsonl"));
    let settings = RenderSettings {
        train: TrainSettings { lr: 0.1, batch_size: BatchSize::Size(8), steps: 12, ..Default::default() },
        ..Default::default()
    };
    render(&settings, &dir.join("a.gif"), Some(&a), &NoProgress).unwrap();
    let trace = read_log(&LogSource::File(a.clone()), None, &ReadOptions::default()).unwrap();
    let data = trace.data.unwrap();
    let start = &trace.run.snapshots[0];
    let points = serde_json::json!({"data": {"x": data.x, "y": data.y}});
    let mut text = format!("{points}\n");
    for (step, line) in [(0, (start.slope, start.intercept)), (5, (1.0, 4.0)), (10, (2.0, 8.0))] {
        text += &format!("{{\"step\": {step}, \"slope\": {}, \"intercept\": {}}}\n", line.0, line.1);
    }
    text += "{\"step\": 15, \"slope\": NaN, \"intercept\": NaN}\n";
    std::fs::write(&b, text).unwrap();
    (a, b)
}

/// The scene a replay of `log` alone draws over (640x480, the line view).
fn single_scene(log: &Path) -> Scene {
    let r = read_log(&LogSource::File(log.to_path_buf()), None, &ReadOptions::default()).unwrap();
    let settings = SceneSettings {
        label: r.label.clone(),
        limits: if r.data_limits { Limits::Data } else { Limits::Lesson },
        ..Default::default()
    };
    Scene::with_curves(r.data.as_ref().unwrap(), &r.run, &r.curves, &[PanelKind::Line], &settings).unwrap()
}

/// The pixels of the line's colour inside `scene`'s line panel in frame `k`, shifted by `at`
/// (where the panel lies in the frame), as offsets from the panel's corner.
fn blue_in(gif: &common::Decoded, k: usize, scene: &Scene, at: (u32, u32)) -> Vec<(u32, u32)> {
    let inner = scene.line_panel().inner;
    let mut blue = vec![];
    for y in inner.y0..inner.y1 {
        for x in inner.x0..inner.x1 {
            if gif.pixel(k, (x + at.0) as i32, (y + at.1) as i32) == BLUE {
                blue.push((x, y));
            }
        }
    }
    blue
}

/// Whether frame `k` shows `title` above the panel at `at`, pixel for pixel as `scene` draws it.
fn shows_title(gif: &common::Decoded, k: usize, scene: &Scene, at: (u32, u32), title: &str) -> bool {
    let placed = scene.place_title(title);
    let mut canvas = scene.background().clone();
    scene.draw_text(&mut canvas, &placed, false);
    let colors = scene.palette().colors();
    let (l, t, r, b) = placed.bounds;
    let (x0, y0, x1, y1) = (l.floor() as u32 - 1, t.floor() as u32 - 1, r.ceil() as u32 + 1, b.ceil() as u32 + 1);
    (y0..y1).all(|y| {
        (x0..x1).all(|x| {
            let want = colors[canvas.pixels[(y * canvas.width + x) as usize] as usize];
            gif.pixel(k, (x + at.0) as i32, (y + at.1) as i32) == want
        })
    })
}

/// `replay a.json b.jsonl`: a frame per step either logged (0 to 12, and 15), a 640x480 panel
/// a run under the step counter's row, each titled with its log's name; in every frame, each
/// panel draws its run's line (the one it logged last: b's step 10 line until step 15) pixel
/// for pixel where a replay of that log alone draws it, and b's divergence as that replay
/// shows it (its line gone, the mark of a line off scale).
#[test]
fn line_fits_replay_side_by_side_each_panel_its_run() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = two_logs(dir.path());
    let out = dir.path().join("cmp.gif");
    let settings =
        ReplaySettings { also: vec![LogSource::File(b.clone())], ..ReplaySettings::new(LogSource::File(a.clone())) };
    let outcome = replay(&settings, &out, &NoProgress).unwrap();
    assert_eq!((outcome.label.as_str(), outcome.diverged_at), ("a vs b", Some(15)));
    let gif = common::decode(&std::fs::read(&out).unwrap());
    let steps: Vec<usize> = (0..=12).chain([15]).collect();
    assert_eq!(gif.frames.len(), steps.len(), "a frame per distinct step");
    assert_eq!((gif.width, gif.height), (1280, 26 + 480));

    let mut alone = vec![];
    for (log, logged) in [(&a, (0..=12).collect::<Vec<usize>>()), (&b, vec![0, 5, 10, 15])] {
        let single = dir.path().join("single.gif");
        replay(&ReplaySettings::new(LogSource::File(log.clone())), &single, &NoProgress).unwrap();
        alone.push((common::decode(&std::fs::read(&single).unwrap()), single_scene(log), logged));
    }
    for (i, (single, scene, logged)) in alone.iter().enumerate() {
        let at = (640 * i as u32, 26);
        assert!(shows_title(&gif, 0, scene, at, ["a", "b"][i]), "panel {i}: titled with its log's name");
        for (k, &step) in steps.iter().enumerate() {
            // The frame of the replay alone showing the step this run logged last.
            let own = logged.iter().rposition(|&s| s <= step).unwrap();
            let (tiled, expected) = (blue_in(&gif, k, scene, at), blue_in(single, own, scene, (0, 0)));
            assert!(!expected.is_empty(), "panel {i}, step {step}: a line or its mark");
            assert!(tiled == expected, "panel {i}, step {step}: not the line of its step {}", logged[own]);
        }
    }
    // The check can fail: the two runs' lines differ once b has moved, and b's is gone at 15.
    let (b_alone, b_scene, _) = &alone[1];
    assert!(blue_in(&gif, 5, b_scene, (0, 26)) != blue_in(b_alone, 1, b_scene, (0, 0)));
    assert!(blue_in(&gif, 13, b_scene, (640, 26)) != blue_in(&gif, 12, b_scene, (640, 26)), "diverged at 15");
}

/// The frames, caption and counter the library lays out: b's caption holds its step-10 loss
/// and names its step until it diverges, then says so; a's last caption says how it ended.
#[test]
fn a_run_that_logged_nothing_at_a_step_names_the_step_of_its_loss() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = two_logs(dir.path());
    let read = |log: &Path| read_log(&LogSource::File(log.to_path_buf()), None, &ReadOptions::default()).unwrap();
    let names = ["a".to_string(), "b".to_string()];
    let side = sgd_anim::internals::side_by_side(vec![read(&a), read(&b)], &names, &names).unwrap();
    assert_eq!(side.steps, (0..=12).chain([15]).collect::<Vec<_>>());
    let held: Vec<usize> = side.runs[1].snapshots.iter().map(|s| s.step).collect();
    assert_eq!(held, [0, 0, 0, 0, 0, 5, 5, 5, 5, 5, 10, 10, 10, 15]);
    let caption = |run: usize, k: usize| sgd_anim::internals::held_caption(&side.runs[run], k, 14, side.steps[k]);
    assert!(caption(1, 11).starts_with("loss ") && caption(1, 11).ends_with(" (step 10)"), "{}", caption(1, 11));
    assert!(!caption(1, 10).contains("(step"), "logged at its frame's step: {}", caption(1, 10));
    assert_eq!(caption(1, 13), "diverged at step 15");
    assert!(caption(0, 13).ends_with(" (step 12)   settled"), "{}", caption(0, 13));
}

/// Through the binary: `info` names the replay command with the logs as given, and that
/// command, run from another folder holding the same logs, makes the same bytes; with the
/// default width and with `--width` sharing the row between the panels.
#[test]
fn a_side_by_side_replay_names_the_command_that_makes_it_again() {
    let dir = tempfile::tempdir().unwrap();
    let (made, again) = (dir.path().join("made"), dir.path().join("again"));
    std::fs::create_dir_all(&made).unwrap();
    std::fs::create_dir_all(&again).unwrap();
    two_logs(&made);
    for name in ["a.json", "b.jsonl"] {
        std::fs::copy(made.join(name), again.join(name)).unwrap();
    }
    let cases: [(&[&str], &str); 2] = [
        (&["b.jsonl", "a.json"], " --view line --width 1280 --height 480 "),
        (&["a.json", "./b.jsonl", "--width", "900", "--height", "300", "--trail", "2"], " --width 900 --height 300 "),
    ];
    for (k, (args, look)) in cases.into_iter().enumerate() {
        let name = format!("x{k}.gif");
        common::sgd_anim_in(&made).arg("replay").args(args).args(["-q", "-o", &name]).assert().success();
        let out = common::sgd_anim_in(&made).args(["info", &name]).output().unwrap();
        let report = String::from_utf8(out.stdout).unwrap();
        let command = report.lines().find_map(|l| l.strip_prefix("command:")).expect("a command").trim();
        let logs = format!("sgd-anim replay {} {} --every 1 ", args[0], args[1]);
        assert!(command.starts_with(&logs) && command.contains(look), "{report}");
        assert!(report.contains("line fits side by side, a panel a run"), "{report}");
        let words: Vec<&str> = command.split(' ').collect();
        common::sgd_anim_in(&again).args(&words[1..]).arg("-q").assert().success();
        let (first, second) = (std::fs::read(made.join(&name)).unwrap(), std::fs::read(again.join(&name)).unwrap());
        assert!(first == second, "{command} makes another file");
        let gif = common::decode(&first);
        assert_eq!(gif.frames.len(), 14, "{command}");
        if k == 1 {
            assert_eq!((gif.width, gif.height), (900, 26 + 300));
        }
    }
}

/// Logs that cannot go together exit 2 naming them: a line fit and a log of curves, line fits
/// on other points, a view of other panels than the line's, a width too narrow for the row.
#[test]
fn line_fits_that_cannot_go_side_by_side_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    two_logs(dir.path());
    std::fs::write(dir.path().join("m.csv"), "step,loss\n0,2\n1,1\n").unwrap();
    std::fs::write(
        dir.path().join("few.jsonl"),
        "{\"data\": {\"x\": [0, 1, 2], \"y\": [1, 3, 5]}}\n{\"step\": 0, \"slope\": 0, \"intercept\": 0}\n\
         {\"step\": 1, \"slope\": 1, \"intercept\": 1}\n",
    )
    .unwrap();
    let cases: [(&[&str], &[&str]); 5] = [
        (&["a.json", "m.csv"], &["a.json is a line fit", "m.csv a log of curves", "replay them apart"]),
        (&["m.csv", "b.jsonl"], &["b.jsonl is a line fit", "m.csv a log of curves"]),
        (
            &["a.json", "few.jsonl"],
            &["'few.jsonl'", "the points of a.json", "has 3 points, not 100", "replay each alone"],
        ),
        (&["a.json", "b.jsonl", "--view", "line+loss"], &["for --view", "a line panel each"]),
        (&["a.json", "b.jsonl", "--width", "300"], &["for --width", "400 pixels or more"]),
    ];
    for (args, says) in cases {
        let out = common::sgd_anim_in(dir.path()).arg("replay").args(args).args(["-o", "x.gif"]).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        for said in says {
            assert!(stderr.contains(said), "{args:?}: {stderr}");
        }
        assert!(!dir.path().join("x.gif").exists(), "{args:?}: nothing written");
    }
}
