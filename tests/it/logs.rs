//! `replay` of the logs the tools people train with write (tests/data/logs, made by
//! make_logs.py: event files by the real `tensorboard` and `tensorboardX` writers, the other
//! layouts to their documented formats): every series read back as written, one frame per
//! distinct step, no clock drawn; damaged event files, Python's NaN, and the bounds.

use crate::common;
use sgd_anim::*;
use std::path::{Path, PathBuf};

fn logs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/logs")
}

/// A number of expected.json: a number, null (NaN), or "inf"/"nan" as text.
fn number(v: &serde_json::Value) -> f64 {
    match v {
        serde_json::Value::Number(n) => n.as_f64().unwrap(),
        serde_json::Value::String(s) => s.parse().unwrap(),
        _ => f64::NAN,
    }
}

fn same(a: f64, b: f64) -> bool {
    a == b || (a.is_nan() && b.is_nan())
}

#[test]
fn every_layout_reads_back_every_series_as_written() {
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(logs().join("expected.json")).unwrap()).unwrap();
    let layouts = expected.as_object().unwrap();
    assert_eq!(layouts.len(), 10);
    for (log, want) in layouts {
        let r = read_log(&LogSource::File(logs().join(log)), None, &ReadOptions::default())
            .unwrap_or_else(|e| panic!("{log}: {e}"));
        assert_eq!(r.curves.axis, want["axis"].as_str().unwrap(), "{log}");
        let series = want["series"].as_object().unwrap();
        let mut steps: Vec<usize> = vec![];
        for (name, points) in series {
            let got = r.curves.get(name).unwrap_or_else(|| panic!("{log}: no series {name}: {:?}", r.curves.series));
            let logged: Vec<(usize, f64)> =
                r.curves.steps.iter().zip(&got.values).filter_map(|(&s, v)| v.map(|v| (s, v))).collect();
            let written: Vec<(usize, f64)> =
                points.as_array().unwrap().iter().map(|p| (p[0].as_u64().unwrap() as usize, number(&p[1]))).collect();
            assert_eq!(logged.len(), written.len(), "{log} {name}: {logged:?}");
            for (a, b) in logged.iter().zip(&written) {
                assert!(a.0 == b.0 && same(a.1, b.1), "{log} {name}: read {a:?}, written {b:?}");
            }
            steps.extend(written.iter().map(|p| p.0));
        }
        let names: Vec<&str> = r.curves.series.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names.len(), series.len(), "{log}: no clock or bookkeeping drawn: {names:?}");
        steps.sort_unstable();
        steps.dedup();
        assert_eq!(r.curves.steps, steps, "{log}: one frame per distinct step");
        assert_eq!(r.curves.steps.last().copied(), want["last_step"].as_u64().map(|s| s as usize), "{log}");
    }
}

#[test]
fn what_was_passed_over_and_the_band_are_said() {
    let r = read_log(&LogSource::File(logs().join("tb_pytorch")), None, &ReadOptions::default()).unwrap();
    assert_eq!(r.notes, ["passed over (not scalars): 1 images"]);
    let w = read_log(&LogSource::File(logs().join("wandb/wandb_export.csv")), None, &ReadOptions::default()).unwrap();
    let band = w.curves.series[0].band.as_ref().expect("the MIN and MAX columns are a band");
    assert_eq!((band[0][0], band[1][0]), (Some(1.8 + 0.05 - 0.1), Some(1.8 + 0.05 + 0.1)));
    assert_eq!(w.label.as_deref(), Some("adam"), "the run's name");
    // Python's NaN: the run diverges where the loss stops being finite.
    let d = read_log(&LogSource::File(logs().join("diverged/train.jsonl")), None, &ReadOptions::default()).unwrap();
    assert_eq!(d.run.diverged_at(), Some(5));
}

/// The event file of the PyTorch fixture, copied into `dir`, cut or damaged by `spoil`.
fn spoiled(dir: &Path, spoil: impl Fn(&mut Vec<u8>)) -> PathBuf {
    let source = std::fs::read_dir(logs().join("tb_pytorch")).unwrap().next().unwrap().unwrap().path();
    let mut bytes = std::fs::read(source).unwrap();
    spoil(&mut bytes);
    let path = dir.join("events.out.tfevents.1.host");
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn a_damaged_event_file_keeps_the_records_before_the_damage_and_says_where() {
    let dir = tempfile::tempdir().unwrap();
    // The records' offsets: the first (the file version) and then a scalar an event.
    let whole = spoiled(dir.path(), |_| {});
    let bytes = std::fs::read(&whole).unwrap();
    let mut offsets = vec![0usize];
    while *offsets.last().unwrap() < bytes.len() {
        let at = *offsets.last().unwrap();
        let length = u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap()) as usize;
        offsets.push(at + 16 + length);
    }
    let cut_at = offsets[7] + 5; // inside the 8th record: steps 0, 10, 20 read whole
    let cut = spoiled(dir.path(), |b| b.truncate(cut_at));
    let r = read_log(&LogSource::File(cut.clone()), None, &ReadOptions::default()).unwrap();
    assert_eq!(r.curves.steps, [0, 10, 20]);
    assert_eq!(r.notes.len(), 1);
    let note = &r.notes[0];
    assert!(note.contains(&format!("byte {}: the record is cut short", offsets[7])), "{note}");
    assert!(note.contains("events.out.tfevents.1.host"), "{note}");
    // A flipped byte in a record's data fails its checksum.
    let flipped = spoiled(dir.path(), |b| b[offsets[9] + 14] ^= 0x40);
    let r = read_log(&LogSource::File(flipped), None, &ReadOptions::default()).unwrap();
    assert!(
        r.notes[0].contains(&format!("byte {}: the record's data fails its checksum", offsets[9])),
        "{:?}",
        r.notes
    );
    // Damage before any value: refused, naming the file and the offset.
    let early = spoiled(dir.path(), |b| b[3] ^= 1);
    let e = read_log(&LogSource::File(early), None, &ReadOptions::default()).unwrap_err().to_string();
    assert!(e.contains("byte 0: the record's length fails its checksum"), "{e}");
}

#[test]
fn metrics_and_x_pick_the_series_and_the_axis() {
    let options = ReadOptions { metrics: Some(vec!["val_loss".into(), "train_loss".into()]), ..Default::default() };
    let r = read_log(&LogSource::File(logs().join("lightning/metrics.csv")), None, &options).unwrap();
    let names: Vec<&str> = r.curves.series.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["val_loss", "train_loss"]);
    let by_epoch = ReadOptions { x: Some("epoch".into()), ..Default::default() };
    let r = read_log(&LogSource::File(logs().join("lightning/metrics.csv")), None, &by_epoch).unwrap();
    assert_eq!((r.curves.axis.as_str(), r.curves.steps.clone()), ("epoch", vec![0, 1, 2, 3]));
    let missing = ReadOptions { metrics: Some(vec!["accuracy".into()]), ..Default::default() };
    let e = read_log(&LogSource::File(logs().join("lightning/metrics.csv")), None, &missing).unwrap_err();
    assert!(e.to_string().contains("no metric 'accuracy' (--metrics)"), "{e}");
}

#[test]
fn a_folder_without_a_log_says_what_it_holds() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "x").unwrap();
    std::fs::create_dir(dir.path().join("ckpt")).unwrap();
    let e = read_log(&LogSource::File(dir.path().to_path_buf()), None, &ReadOptions::default()).unwrap_err();
    let message = e.to_string();
    assert!(message.contains("the folder holds ckpt/, notes.txt"), "{message}");
}

/// An endless line (no newline, ever) is refused once past the bound, without reading on.
#[test]
fn one_endless_line_is_refused_early() {
    struct Endless(u64);
    impl std::io::Read for Endless {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            self.0 += buf.len() as u64;
            buf.fill(b'a');
            Ok(buf.len())
        }
    }
    for start in ["", "{\"step\": \""] {
        let reader = std::io::Read::chain(start.as_bytes(), Endless(0));
        let e = read_log_from(reader, Path::new("<stdin>"), None, &ReadOptions::default()).unwrap_err();
        let message = e.to_string();
        assert!(message.contains("line 1 is longer than"), "{message}");
    }
}

#[test]
fn each_layout_replays_one_frame_a_step_and_names_its_axis() {
    let dir = tempfile::tempdir().unwrap();
    for (log, frames) in [("keras_csv/training.log", 8), ("hf", 6), ("tb_keras", 6)] {
        let out = dir.path().join("x.gif");
        let look = SceneSettings { width: 320, height: 240, ..Default::default() };
        let settings = ReplaySettings { scene: look, ..ReplaySettings::new(LogSource::File(logs().join(log))) };
        replay(&settings, &out, &NoProgress).unwrap_or_else(|e| panic!("{log}: {e}"));
        let gif = common::decode(&std::fs::read(&out).unwrap());
        assert_eq!(gif.frames.len(), frames, "{log}");
    }
}

/// `replay a.csv b.csv`: both runs on one step axis, and `info` names the command that makes
/// the GIF again, both runs in it.
#[test]
fn two_runs_animate_together_and_info_round_trips_the_command() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("adam.csv"), "step,loss\n0,2\n10,1\n20,0.5\n").unwrap();
    std::fs::write(dir.path().join("sgd.csv"), "step,loss\n0,2\n15,1.5\n").unwrap();
    let bin = assert_cmd::cargo::cargo_bin("sgd-anim");
    let run = |args: &[&str]| {
        let out = std::process::Command::new(&bin).current_dir(dir.path()).args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    run(&["replay", "adam.csv", "sgd.csv", "--width", "320", "--height", "240", "-q", "-o", "cmp.gif"]);
    let gif = common::decode(&std::fs::read(dir.path().join("cmp.gif")).unwrap());
    assert_eq!(gif.frames.len(), 4, "steps 0, 10, 15, 20");
    let info = run(&["info", "cmp.gif"]);
    let line = info.lines().find_map(|l| l.strip_prefix("command:")).unwrap().trim().to_string();
    assert!(line.starts_with("sgd-anim replay adam.csv sgd.csv --every 1 "), "{line}");
    let args: Vec<String> = line.split_whitespace().skip(1).map(|a| a.replace("cmp.gif", "again.gif")).collect();
    run(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let (a, b) =
        (std::fs::read(dir.path().join("cmp.gif")).unwrap(), std::fs::read(dir.path().join("again.gif")).unwrap());
    assert_eq!(common::split_comments(&a).0, common::split_comments(&b).0, "the same frames");
}

/// A message that quotes the log shows its control characters escaped (an ESC byte as
/// `\u{1b}`), so a log cannot drive the terminal.
#[test]
fn control_characters_from_a_log_are_escaped_in_messages() {
    for text in ["step,\u{1b}[31mred,\u{1b}[31mred\n0,1,1\n", "{\"step\": 0, \"\\u001b[2J\": 1, \"\\u001b[2J\": 2}\n"] {
        let e = read_log_from(text.as_bytes(), Path::new("log"), None, &ReadOptions::default()).unwrap_err();
        let message = e.to_string();
        assert!(!message.contains('\u{1b}') && message.contains("\\u{1b}"), "{message}");
    }
}

/// The scene `replay` draws `log` over (the log's own label), and the captions of its frames.
fn scene_and_captions(
    log: &Path,
    look: &SceneSettings,
) -> (Replay, sgd_anim::internals::Scene, Vec<String>, Vec<sgd_anim::internals::PanelKind>) {
    use sgd_anim::internals::{PanelKind, Scene};
    let r = read_log(&LogSource::File(log.to_path_buf()), None, &ReadOptions::default()).unwrap();
    let kinds: Vec<PanelKind> = (0..r.curves.groups().len()).map(PanelKind::Curves).collect();
    let settings = SceneSettings { label: r.label.clone(), ..look.clone() };
    let no_points = Dataset { x: vec![], y: vec![] };
    let scene = Scene::with_curves(&no_points, &r.run, &r.curves, &kinds, &settings).unwrap();
    let mut frames = scene.frames(&r.run);
    let mut captions = vec![];
    while let Some(frame) = frames.next_frame().unwrap() {
        captions.push(frame.caption.map(|c| c.text.clone()).unwrap_or_default());
    }
    (r, scene, captions, kinds)
}

/// Curves as matplotlib draws them: the x axis with 5 % margins past the first and last
/// step, the caption naming the log's axis (Keras' epochs), W&B's `__MIN`/`__MAX` shaded as a
/// band under their series, and a marker at the top edge where a series stops being finite.
#[test]
fn curves_have_margins_their_axis_their_band_and_where_they_leave() {
    let dir = tempfile::tempdir().unwrap();
    let look = SceneSettings { width: 640, height: 480, ..Default::default() };
    // Keras: epochs 0 to 7, drawn from -0.35 to 7.35; "epoch 7/7" on the last frame.
    let (_, scene, captions, kinds) = scene_and_captions(&logs().join("keras_csv/training.log"), &look);
    let chart = scene.chart(kinds[0]).unwrap();
    assert!((chart.x_range.0 + 0.35).abs() < 1e-9 && (chart.x_range.1 - 7.35).abs() < 1e-9, "{:?}", chart.x_range);
    assert!(captions[7].starts_with("epoch 7/7   "), "{}", captions[7]);
    assert!(captions[0].starts_with("epoch 0/7   "), "{}", captions[0]);

    // W&B: the band's shade (the line's blue at 20 % over white) around the curve.
    let out = dir.path().join("band.gif");
    let settings = ReplaySettings {
        scene: SceneSettings { width: 320, height: 240, ..Default::default() },
        ..ReplaySettings::new(LogSource::File(logs().join("wandb/wandb_export.csv")))
    };
    replay(&settings, &out, &NoProgress).unwrap();
    let gif = common::decode(&std::fs::read(&out).unwrap());
    let shade = [210, 228, 240];
    let shaded = |k: usize| {
        (0..gif.width as i32)
            .flat_map(|x| (0..gif.height as i32).map(move |y| (x, y)))
            .filter(|&(x, y)| gif.pixel(k, x, y) == shade)
            .count()
    };
    assert_eq!(shaded(0), 0, "the band grows with the curve");
    assert!(shaded(gif.frames.len() - 1) > 500, "no band: {}", shaded(gif.frames.len() - 1));

    // A loss that turns Infinity at step 5: a triangle in the line's blue against the top
    // edge above step 5, from that frame on.
    let log = logs().join("diverged/train.jsonl");
    let out = dir.path().join("div.gif");
    let settings = ReplaySettings { scene: look.clone(), ..ReplaySettings::new(LogSource::File(log.clone())) };
    replay(&settings, &out, &NoProgress).unwrap();
    let gif = common::decode(&std::fs::read(&out).unwrap());
    let (_, scene, captions, kinds) = scene_and_captions(&log, &SceneSettings { width: 1280, ..look });
    let chart = scene.chart(kinds[0]).unwrap();
    let (x, top) = (chart.to_pixel(5.0, 0.0).0, chart.inner.y0 as i32);
    let blue = |k: usize| {
        (x - 3..=x + 3)
            .flat_map(|x| (top + 1..top + 6).map(move |y| (x, y)))
            .filter(|&(x, y)| gif.pixel(k, x, y) == [0x1f, 0x77, 0xb4])
            .count()
    };
    assert_eq!(blue(4), 0, "no marker before the loss leaves");
    assert!(blue(5) >= 5 && blue(7) >= 5, "no marker where the loss leaves: {}", blue(5));
    assert!(captions[7].contains("diverged at step 5"), "{}", captions[7]);
}

/// Several runs: a colour a run, named in the legend by the run (the panel holds one series
/// a run), the second run's loss in matplotlib's orange.
#[test]
fn several_runs_have_a_colour_each_and_their_names_in_the_legend() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("adam.csv"), "step,loss\n0,2\n10,1\n20,0.5\n").unwrap();
    std::fs::write(dir.path().join("sgd.csv"), "step,loss\n0,2.5\n10,2.2\n20,2\n").unwrap();
    let (logs, out) =
        (["adam.csv", "sgd.csv"].map(|n| LogSource::File(dir.path().join(n))), dir.path().join("cmp.gif"));
    let look = SceneSettings { width: 640, height: 480, caption: false, ..Default::default() };
    let settings =
        ReplaySettings { scene: look.clone(), also: vec![logs[1].clone()], ..ReplaySettings::new(logs[0].clone()) };
    replay(&settings, &out, &NoProgress).unwrap();
    let gif = common::decode(&std::fs::read(&out).unwrap());
    let merged = sgd_anim::internals::merge_runs(
        logs.iter().map(|l| read_log(l, None, &ReadOptions::default()).unwrap()).collect(),
        &["adam".into(), "sgd".into()],
    )
    .unwrap();
    let kinds = [sgd_anim::internals::PanelKind::Curves(0)];
    let no_points = Dataset { x: vec![], y: vec![] };
    let scene =
        sgd_anim::internals::Scene::with_curves(&no_points, &merged.run, &merged.curves, &kinds, &look).unwrap();
    let texts: Vec<&str> = scene.texts().iter().map(|t| t.text.as_str()).collect();
    assert!(texts.contains(&"adam") && texts.contains(&"sgd"), "the runs' names in the legend: {texts:?}");
    let chart = scene.chart(kinds[0]).unwrap();
    let on = |step: f64, loss: f64, color: [u8; 3]| {
        let (x, y) = chart.to_pixel(step, loss);
        (-1..=1).any(|dx| (-1..=1).any(|dy| gif.pixel(2, x + dx, y + dy) == color))
    };
    assert!(on(10.0, 1.0, [0x1f, 0x77, 0xb4]) && on(10.0, 2.2, [0xff, 0x7f, 0x0e]), "adam blue, sgd orange");
    assert!(!on(10.0, 2.2, [0x1f, 0x77, 0xb4]), "the check can fail");
}

/// A TensorBoard log folder of runs (`logs/adam/`, `logs/keras/{train,validation}/`,
/// `logs/sgd/`) is several runs on one axis, each series named after its run; Keras' own
/// `train/` and `validation/` stay one run's prefixes.
#[test]
fn a_log_folder_of_runs_is_several_runs_and_keras_splits_are_one() {
    let dir = tempfile::tempdir().unwrap();
    let copy = |from: &str, to: &str| {
        for entry in walkdir(&logs().join(from)) {
            let target = dir.path().join(to).join(entry.strip_prefix(logs().join(from)).unwrap());
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::copy(&entry, target).unwrap();
        }
    };
    copy("tb_pytorch", "logs/adam");
    copy("tb_keras", "logs/keras");
    copy("tb_x", "logs/sgd");
    let r = read_log(&LogSource::File(dir.path().join("logs")), None, &ReadOptions::default()).unwrap();
    let labels: Vec<(Option<&str>, &str)> =
        r.curves.series.iter().map(|s| (s.run.as_deref(), s.name.as_str())).collect();
    assert_eq!(
        labels,
        [
            (Some("adam"), "Loss/train"),
            (Some("adam"), "lr"),
            (Some("keras"), "train/epoch_loss"),
            (Some("keras"), "train/epoch_accuracy"),
            (Some("keras"), "validation/epoch_loss"),
            (Some("keras"), "validation/epoch_accuracy"),
            (Some("sgd"), "train/loss"),
            (Some("sgd"), "train/acc"),
        ]
    );
    let keras = read_log(&LogSource::File(dir.path().join("logs/keras")), None, &ReadOptions::default()).unwrap();
    assert!(keras.curves.series.iter().all(|s| s.run.is_none()), "one run: its splits are prefixes");
    assert_eq!(keras.curves.series.len(), 4);
}

/// The files under `dir`, depth first.
fn walkdir(dir: &Path) -> Vec<PathBuf> {
    let mut files = vec![];
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walkdir(&path));
        } else {
            files.push(path);
        }
    }
    files
}

/// `--x epoch` on Hugging Face's fractional epochs: a frame a distinct step, each at its
/// epoch, the caption counting epochs (`epoch 0.5/3`); `--x time`: seconds from the first
/// record of TensorBoard's CSV `Wall time`; a log without a clock says so.
#[test]
fn x_epoch_and_time_place_the_frames_on_that_axis() {
    let look = SceneSettings { width: 640, height: 480, ..Default::default() };
    let by = |x: &str| ReadOptions { x: Some(x.into()), ..Default::default() };
    let hf = logs().join("hf/trainer_state.json");
    let r = read_log(&LogSource::File(hf.clone()), None, &by("epoch")).unwrap();
    assert_eq!(r.curves.steps, [10, 20, 30, 40, 50, 60], "a frame a distinct step");
    assert_eq!((r.curves.axis.as_str(), r.curves.x.clone()), ("epoch", vec![0.5, 1.0, 1.5, 2.0, 2.5, 3.0]));
    assert!(r.curves.get("epoch").is_none(), "the axis is not drawn as a metric");
    use sgd_anim::internals::{PanelKind, Scene};
    let kinds: Vec<PanelKind> = (0..r.curves.groups().len()).map(PanelKind::Curves).collect();
    let settings = SceneSettings { label: r.label.clone(), width: 640 * kinds.len() as u32, ..look };
    let no_points = Dataset { x: vec![], y: vec![] };
    let scene = Scene::with_curves(&no_points, &r.run, &r.curves, &kinds, &settings).unwrap();
    let chart = scene.chart(kinds[0]).unwrap();
    assert!((chart.x_range.0 - 0.375).abs() < 1e-9 && (chart.x_range.1 - 3.125).abs() < 1e-9, "{:?}", chart.x_range);
    let mut frames = scene.frames(&r.run);
    let mut captions = vec![];
    while let Some(frame) = frames.next_frame().unwrap() {
        captions.push(frame.caption.map(|c| c.text.clone()).unwrap_or_default());
    }
    assert!(captions[0].starts_with("epoch 0.5/3   ") && captions[5].starts_with("epoch 3/3   "), "{captions:?}");

    let tb = logs().join("tb_csv/run-train-tag-epoch_loss.csv");
    let r = read_log(&LogSource::File(tb), None, &by("time")).unwrap();
    assert_eq!(r.curves.axis, "time");
    assert_eq!(r.curves.x[..2], [0.0, 25.0]);
    assert!(r.curves.series.iter().all(|s| !s.name.to_lowercase().contains("time")));
    let e = read_log(&LogSource::File(hf), None, &by("time")).unwrap_err();
    assert!(e.to_string().contains("holds no clock column"), "{e}");
}
