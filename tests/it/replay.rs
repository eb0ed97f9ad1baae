//! `replay`: logged runs animated like our own. A trace replays to the very GIF `render`
//! wrote (the same frames, delays, loop count and bytes, all but the provenance comment,
//! which names the command that made each); other logs are checked against renders of the
//! same run where the two coincide.

use crate::common;
use sgd_anim::internals::{self, caption_spot, CaptionSpot, PanelKind, Scene};
use sgd_anim::*;
use std::path::Path;

const VIEWS: [View; 4] = [View::Line, View::LineLoss, View::LineParams, View::All];

/// Render settings at 200x200 a panel (the least), the synthetic data's true line marked.
fn small(view: View, lr: f64, batch_size: BatchSize, optimizer: Optimizer, steps: usize) -> RenderSettings {
    RenderSettings {
        train: TrainSettings { lr, batch_size, optimizer, steps, ..Default::default() },
        scene: SceneSettings {
            view,
            width: 200 * view.panels(),
            height: 200,
            truth: Some((3.0, 10.0)),
            ..Default::default()
        },
        ..Default::default()
    }
}

/// The replay of `log` with the look of `render` (the label and true line left to the log).
fn replay_like(render: &RenderSettings, log: &Path) -> ReplaySettings {
    ReplaySettings {
        scene: SceneSettings { truth: None, ..render.scene.clone() },
        width_per_panel: false,
        timing: render.timing,
        ..ReplaySettings::new(LogSource::File(log.to_path_buf()))
    }
}

/// Two GIFs are the same animation: the same frames, delays and loop count, and the same
/// bytes once their comments are left out. Returns their comments.
fn same_animation(a: &[u8], b: &[u8], what: &str) -> (Vec<String>, Vec<String>) {
    let ((bytes_a, comments_a), (bytes_b, comments_b)) = (common::split_comments(a), common::split_comments(b));
    let (da, db) = (common::decode(a), common::decode(b));
    assert_eq!((da.width, da.height, da.repeat), (db.width, db.height, db.repeat), "{what}: size or loop count");
    assert_eq!(da.frames.len(), db.frames.len(), "{what}: frames");
    for (k, (fa, fb)) in da.frames.iter().zip(&db.frames).enumerate() {
        assert!(fa.rgb == fb.rgb, "{what}: frame {k} differs");
        assert_eq!(fa.delay, fb.delay, "{what}: frame {k}'s delay");
    }
    assert!(bytes_a == bytes_b, "{what}: the bytes differ beyond the comments");
    (comments_a, comments_b)
}

/// `render --trace t.json -o a.gif`, then `replay t.json -o b.gif`: the same GIF but for the
/// comment, for GD, SGD, momentum and Adam, every view, a diverging run, the batch and the
/// trail shown; each comment names its own command.
#[test]
fn a_trace_replays_to_the_same_gif() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b, trace) = (dir.path().join("a.gif"), dir.path().join("b.gif"), dir.path().join("t.json"));
    let momentum = Optimizer::Momentum { momentum: 0.9 };
    let adam = Optimizer::Adam { beta1: 0.9, beta2: 0.999 };
    let runs = [
        (0.1, BatchSize::Full, Optimizer::Sgd),
        (0.1, BatchSize::Size(8), Optimizer::Sgd),
        (0.05, BatchSize::Size(4), momentum),
        (0.2, BatchSize::Full, adam),
        (1e6, BatchSize::Size(2), Optimizer::Sgd),
    ];
    for (lr, batch_size, optimizer) in runs {
        for view in VIEWS {
            let mut settings = small(view, lr, batch_size, optimizer, 12);
            if view == View::All {
                settings.scene.show_batch = true;
                settings.scene.trail = 3;
                settings.scene.caption_every = Some(2);
                settings.timing = Timing { delay_ms: 50, hold_ms: 700, loop_count: Some(3) };
            }
            let rendered = render(&settings, &a, Some(&trace), &NoProgress).unwrap();
            let written = std::fs::read_to_string(&trace).unwrap();
            assert!(written.contains("\"limits\": \"lesson\""), "the lesson's data, drawn as the lesson's");
            let replayed = replay(&replay_like(&settings, &trace), &b, &NoProgress).unwrap();
            let what = format!("{} lr {lr} {view:?}", optimizer.name());
            let (made, again) = same_animation(&std::fs::read(&a).unwrap(), &std::fs::read(&b).unwrap(), &what);
            assert!(made[0].contains("\ncommand: sgd-anim render --lr "), "{what}: {made:?}");
            assert!(
                again[0].contains("\ncommand: sgd-anim replay ") && again[0].contains("t.json --every 1 "),
                "{again:?}"
            );
            assert_eq!((rendered.label, rendered.verdict), (replayed.label, replayed.verdict), "{what}");
        }
    }
    // The user's points fill the plot in a render; the trace says so, and the replay follows.
    let csv = dir.path().join("points.csv");
    std::fs::write(&csv, "x,y\n0,1\n1,3\n2,4.5\n3,7.2\n").unwrap();
    let settings = RenderSettings {
        data: DataSource::Csv(csv),
        ..small(View::LineLoss, 0.05, BatchSize::Full, Optimizer::Sgd, 8)
    };
    render(&settings, &a, Some(&trace), &NoProgress).unwrap();
    let written: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&trace).unwrap()).unwrap();
    assert_eq!(written["data"].get("limits"), None, "the data alone: the default");
    replay(&replay_like(&settings, &trace), &b, &NoProgress).unwrap();
    same_animation(&std::fs::read(&a).unwrap(), &std::fs::read(&b).unwrap(), "your own points");
}

fn tests_data(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name)
}

const BLUE: [u8; 3] = [0x1f, 0x77, 0xb4];
const ORANGE: [u8; 3] = [0xff, 0x7f, 0x0e];

/// Whether `color` is within a pixel of `(x, y)` in frame `k`: a pixel at least half of it
/// over the white page (curves are anti-aliased, and thin in small frames).
fn near(gif: &common::Decoded, k: usize, (x, y): (i32, i32), color: [u8; 3]) -> bool {
    let mostly =
        |p: [u8; 3]| (0..3).all(|c| i32::from(p[c]).abs_diff(i32::from(color[c])) <= (255 - u32::from(color[c])) / 2);
    (-1..=1).any(|dy| (-1..=1).any(|dx| mostly(gif.pixel(k, x + dx, y + dy))))
}

/// Whether frame `k` shows the pixels of `canvas` (the scene's background with some text
/// drawn) everywhere inside `(x0, y0, x1, y1)`.
fn shows(gif: &common::Decoded, k: usize, scene: &Scene, canvas: &internals::Canvas, r: (f64, f64, f64, f64)) -> bool {
    let colors = scene.palette().colors();
    let (x0, y0, x1, y1) = (r.0.floor() as u32, r.1.floor() as u32, r.2.ceil() as u32, r.3.ceil() as u32);
    (y0..y1.min(canvas.height)).all(|y| {
        (x0..x1.min(canvas.width)).all(|x| {
            colors[canvas.pixels[(y * canvas.width + x) as usize] as usize] == gif.pixel(k, x as i32, y as i32)
        })
    })
}

/// Whether frame `k` shows `text` as its caption at `spot`: the caption's box (text on page
/// colour) is that text drawn there, pixel for pixel.
fn shows_caption(gif: &common::Decoded, k: usize, scene: &Scene, spot: CaptionSpot, text: &str) -> bool {
    let placed = spot.place(scene, text);
    let mut canvas = scene.background().clone();
    scene.draw_text(&mut canvas, &placed, true);
    let pad = f64::from(scene.metrics().halo);
    let (l, t, r, b) = placed.bounds;
    shows(gif, k, scene, &canvas, (l - pad, t - pad, r + pad, b + pad))
}

/// Whether frame `k` shows `title` above the first panel.
fn shows_title(gif: &common::Decoded, k: usize, scene: &Scene, title: &str) -> bool {
    let placed = scene.place_title(title);
    let mut canvas = scene.background().clone();
    scene.draw_text(&mut canvas, &placed, false);
    let (l, t, r, b) = placed.bounds;
    shows(gif, k, scene, &canvas, (l - 1.0, t - 1.0, r + 1.0, b + 1.0))
}

/// The scene `replay` lays out for `log` (its label, its panels), to read pixels by.
fn scene_of(log: &Path, kinds: &[PanelKind], scene: &SceneSettings) -> (Replay, Scene) {
    let r = read_log(&LogSource::File(log.to_path_buf()), None, &ReadOptions::default()).unwrap();
    let no_points = Dataset { x: vec![], y: vec![] };
    let settings = SceneSettings {
        label: r.label.clone(),
        truth: r.truth,
        limits: if r.data_limits { Limits::Data } else { Limits::Lesson },
        ..scene.clone()
    };
    let scene = Scene::with_curves(r.data.as_ref().unwrap_or(&no_points), &r.run, &r.curves, kinds, &settings);
    (r, scene.unwrap())
}

/// The numpy loop's log (tests/data/huber_log.py: the lesson's loop with a Huber loss, every
/// second step logged) replayed: its points and start drawn exactly as `render` draws the
/// same points and start, each frame's line where the log puts it, the loss panel through
/// the logged Huber losses at their steps, the log named in the title and each frame's
/// caption saying its step and logged loss.
#[test]
fn the_numpy_huber_log_replays_like_a_render_of_its_points() {
    let log = tests_data("huber.jsonl");
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(&log).unwrap();
    let lines: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let points: Vec<(f64, f64)> = lines[0]["data"]["x"]
        .as_array()
        .unwrap()
        .iter()
        .zip(lines[0]["data"]["y"].as_array().unwrap())
        .map(|(x, y)| (x.as_f64().unwrap(), y.as_f64().unwrap()))
        .collect();
    let steps: Vec<(usize, f64, f64, f64)> = lines[1..]
        .iter()
        .map(|v| {
            (
                v["step"].as_u64().unwrap() as usize,
                v["slope"].as_f64().unwrap(),
                v["intercept"].as_f64().unwrap(),
                v["loss"].as_f64().unwrap(),
            )
        })
        .collect();
    let last = *steps.last().unwrap();

    // Without captions (the render's names its own run), the first frame's line panel is the
    // render's of the same points and start, with the axes over the points and the start line
    // (as the lesson's are, and as matplotlib autoscales): frame 0 shows where the run starts.
    let plain = SceneSettings { view: View::LineLoss, width: 400, height: 240, caption: false, ..Default::default() };
    let (a, b) = (dir.path().join("render.gif"), dir.path().join("replay.gif"));
    let settings = ReplaySettings {
        scene: plain.clone(),
        width_per_panel: false,
        ..ReplaySettings::new(LogSource::File(log.clone()))
    };
    replay(&settings, &b, &NoProgress).unwrap();
    let data = Dataset { x: points.iter().map(|p| p.0).collect(), y: points.iter().map(|p| p.1).collect() };
    let train_settings =
        TrainSettings { lr: 1.0, steps: last.0, start: (steps[0].1, steps[0].2), ..Default::default() };
    let lesson = SceneSettings { limits: Limits::Lesson, ..plain };
    let scene = Scene::new(&data, &train_settings, &lesson).unwrap();
    let run = train(&data, &train_settings);
    let file = std::fs::File::create(&a).unwrap();
    internals::write_gif(file, &scene, &run, &Timing::default(), None, &NoProgress).unwrap();
    let (gif, reference) = (common::decode(&std::fs::read(&b).unwrap()), common::decode(&std::fs::read(&a).unwrap()));
    for y in 0..240 {
        for x in 0..200 {
            assert_eq!(gif.pixel(0, x, y), reference.pixel(0, x, y), "the line panel differs at ({x}, {y})");
        }
    }

    let look =
        SceneSettings { view: View::LineLoss, width: 400, height: 240, caption_every: Some(1), ..Default::default() };
    let settings = ReplaySettings { scene: look.clone(), ..settings };
    let outcome = replay(&settings, &b, &NoProgress).unwrap();
    assert_eq!(outcome.label, "huber.jsonl lr=1.0");
    assert_eq!((outcome.final_slope, outcome.final_intercept, outcome.final_loss), (last.1, last.2, last.3));
    let gif = common::decode(&std::fs::read(&b).unwrap());
    assert_eq!(gif.frames.len(), steps.len(), "a frame a logged step");

    let (r, scene) = scene_of(&log, &[PanelKind::Line, PanelKind::Curves(0)], &look);
    let line_box = scene.plot_area();
    let loss = scene.chart(PanelKind::Curves(0)).unwrap();
    let (lo, hi) = steps.iter().fold((f64::INFINITY, 0f64), |(a, b), s| (a.min(s.3), b.max(s.3)));
    let y = |l: f64| if hi / lo >= 100.0 { l.log10() } else { l };
    let captions: Vec<String> = steps
        .iter()
        .map(|&(step, _, _, logged)| format!("step {step}/{}   loss {}", last.0, internals::short_number(logged)))
        .collect();
    let spot = caption_spot(&scene, &r.run, &captions);
    let end = gif.frames.len() - 1;
    for (k, &(step, slope, intercept, logged)) in steps.iter().enumerate() {
        // The logged line, where it is inside the box and clear of the caption.
        let (l, t, r, b) = spot.place(&scene, &captions[k]).bounds;
        let under_caption = |x: f64, y: f64| x + 4.0 > l && x - 4.0 < r && y + 4.0 > t && y - 4.0 < b;
        // Over a marker's edge, the line's anti-aliased pixels blend with the marker's orange.
        let markers = scene.marker_boxes();
        let on_marker =
            |x: f64, y: f64| markers.iter().any(|m| x + 2.0 > m.0 && x - 2.0 < m.2 && y + 2.0 > m.1 && y - 2.0 < m.3);
        let mut seen = 0;
        for x in [-0.6, -0.2, 0.3, 0.7] {
            let (px, py) = scene.to_pixel(x, slope * x + intercept);
            let inside = py > line_box.y0 as i32 + 2 && py < line_box.y1 as i32 - 2;
            let (fx, fy) = (f64::from(px), f64::from(py));
            if inside && !under_caption(fx, fy) && !on_marker(fx, fy) {
                assert!(near(&gif, k, (px, py), BLUE), "frame {k}: the logged line misses ({px}, {py})");
                seen += 1;
            }
        }
        // The axes cover the start line: the first frames show where the run starts.
        assert!(k > 3 || seen > 0, "frame {k}: its line is outside the box");
        // The loss curve passes through the logged loss at the logged step.
        assert!(
            near(&gif, end, loss.to_pixel(step as f64, y(logged)), BLUE),
            "step {step}: loss {logged} is not on the curve"
        );
        assert!(shows_caption(&gif, k, &scene, spot, &captions[k]), "frame {k}: not captioned '{}'", captions[k]);
        assert!(shows_title(&gif, k, &scene, "huber.jsonl lr=1.0"), "frame {k}: no title");
    }
    assert!(!shows_caption(&gif, 0, &scene, spot, &captions[1]), "the caption check can fail");
    assert!(!shows_title(&gif, 0, &scene, "huber.jsonl lr=0.1"), "the title check can fail");
}

/// A line fit logged every 10th step, its loss left to be computed (the data's MSE, so the
/// loss panel is render's): the curve's points sit at their logged steps on an axis from 0 to
/// the last step, not at their frame numbers.
#[test]
fn a_gapped_log_draws_its_loss_at_its_steps() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("gaps.jsonl");
    let (x, y) = ([-1.0, -0.5, 0.0, 0.5, 1.0], [-1.2, 0.3, 0.9, 2.4, 2.8]);
    let mut text = format!("{{\"data\": {{\"x\": {x:?}, \"y\": {y:?}}}}}\n");
    let steps: Vec<(usize, f64, f64)> =
        (0..7).map(|k| (k * 10, 2.0 * (1.0 - 0.6f64.powi(k as i32)), 1.0 - 0.5f64.powi(k as i32))).collect();
    for (step, slope, intercept) in &steps {
        text.push_str(&format!("{{\"step\": {step}, \"slope\": {slope}, \"intercept\": {intercept}}}\n"));
    }
    std::fs::write(&log, text).unwrap();
    let look = SceneSettings { view: View::LineLoss, width: 640, height: 300, ..Default::default() };
    let out = dir.path().join("gaps.gif");
    let settings = ReplaySettings {
        scene: look.clone(),
        width_per_panel: false,
        ..ReplaySettings::new(LogSource::File(log.clone()))
    };
    replay(&settings, &out, &NoProgress).unwrap();
    let gif = common::decode(&std::fs::read(&out).unwrap());
    let (r, scene) = scene_of(&log, &[PanelKind::Line, PanelKind::Loss], &look);
    assert!(r.loss_is_mse, "the loss is computed: render's loss panel");
    let chart = scene.chart(PanelKind::Loss).unwrap();
    assert_eq!(chart.x_range, (0.0, 60.0), "the step axis runs to the last logged step");
    let log = scene.texts().iter().any(|t| t.text == "loss (MSE, log scale)");
    let loss = |s: &Snapshot| if log { s.loss.log10() } else { s.loss };
    let last = gif.frames.len() - 1;
    for (k, s) in r.run.snapshots.iter().enumerate() {
        assert_eq!(s.step, steps[k].0);
        assert!(near(&gif, last, chart.to_pixel(s.step as f64, loss(s)), BLUE), "step {}: not on the curve", s.step);
        if k > 1 {
            // Where the frame number would have put it, the curve is not.
            assert!(!near(&gif, last, chart.to_pixel(k as f64, loss(s)), BLUE), "frame {k} drawn at x = {k}");
        }
    }
}

/// A log of three metrics (loss, val_loss every other step, lr): a panel for the losses with a
/// legend and a log axis (the loss falls three decades), one for the learning rate, linear,
/// the log's name as the title and each frame's caption giving the logged values.
#[test]
fn a_curves_log_animates_with_a_legend_a_log_axis_and_its_values() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("metrics.jsonl");
    let rows: Vec<(usize, f64, Option<f64>, f64)> = (0..9)
        .map(|k| {
            let loss = 2.0 * 0.4f64.powi(k as i32);
            (k * 10, loss, (k % 2 == 0).then_some(3.0 * loss), if k < 5 { 0.1 } else { 0.01 })
        })
        .collect();
    let text: String = rows
        .iter()
        .map(|(s, l, v, lr)| match v {
            Some(v) => format!("{{\"step\": {s}, \"loss\": {l}, \"val_loss\": {v}, \"lr\": {lr}, \"epoch\": 0}}\n"),
            None => format!("{{\"step\": {s}, \"loss\": {l}, \"lr\": {lr}, \"epoch\": 0}}\n"),
        })
        .collect();
    std::fs::write(&log, text).unwrap();
    let look = SceneSettings { width: 480, height: 300, caption_every: Some(1), ..Default::default() };
    let out = dir.path().join("curves.gif");
    let settings = ReplaySettings { scene: look.clone(), ..ReplaySettings::new(LogSource::File(log.clone())) };
    let outcome = replay(&settings, &out, &NoProgress).unwrap();
    assert_eq!((outcome.final_loss, outcome.verdict), (rows[8].1, Verdict::Settled));
    let gif = common::decode(&std::fs::read(&out).unwrap());
    assert_eq!((gif.frames.len(), gif.width), (9, 960), "two panels of 480 pixels");

    let kinds = [PanelKind::Curves(0), PanelKind::Curves(1)];
    let (r, scene) = scene_of(&log, &kinds, &SceneSettings { width: 960, ..look });
    let groups: Vec<(String, usize)> = r.curves.groups().into_iter().map(|g| (g.name, g.members.len())).collect();
    assert_eq!(groups, vec![("loss".to_string(), 2), ("lr".to_string(), 1)], "epoch is no metric");
    let (losses, lrs) = (scene.chart(kinds[0]).unwrap(), scene.chart(kinds[1]).unwrap());
    // The legend: inside the loss panel's box from the first frame, in a frame (matplotlib's
    // 0.8 grey edge) holding val_loss's orange handle, at the best spot: the losses fall from
    // the upper left, so the upper right; its names among the panel's texts; none in the lr panel.
    let count = |k: usize, xs: std::ops::Range<i32>, ys: std::ops::Range<i32>, color: [u8; 3]| {
        xs.flat_map(|x| ys.clone().map(move |y| (x, y))).filter(|&(x, y)| gif.pixel(k, x, y) == color).count()
    };
    let lb = losses.inner;
    let edge: Vec<(i32, i32)> = (lb.x0 as i32..lb.x1 as i32)
        .flat_map(|x| (lb.y0 as i32..lb.y1 as i32).map(move |y| (x, y)))
        .filter(|&(x, y)| gif.pixel(0, x, y) == [0xcc; 3])
        .collect();
    assert!(edge.len() >= 100, "no framed legend inside the losses' box");
    let frame =
        edge.iter().fold((i32::MAX, i32::MAX, 0, 0), |f, &(x, y)| (f.0.min(x), f.1.min(y), f.2.max(x), f.3.max(y)));
    let (mid_x, mid_y) = ((lb.x0 + lb.x1) as i32 / 2, (lb.y0 + lb.y1) as i32 / 2);
    assert!(frame.0 > mid_x && frame.3 < mid_y, "the legend is not upper right: {frame:?} in {lb:?}");
    assert!(count(0, frame.0..frame.2, frame.1..frame.3, ORANGE) >= 10, "no orange handle in the legend");
    assert_eq!(count(0, lb.x1 as i32 + 2..480, lb.y0 as i32..lb.y1 as i32, ORANGE), 0, "nothing beside the box");
    assert_eq!(count(8, 480..960, 0..300, ORANGE), 0, "the lr panel has one series: no legend, no orange");
    assert_eq!(count(8, 480..960, 0..300, [0xcc; 3]), 0, "the lr panel has one series: no legend");
    let texts: Vec<&str> = scene.texts().iter().map(|t| t.text.as_str()).collect();
    assert!(texts.contains(&"loss") && texts.contains(&"val_loss"), "{texts:?}");
    // A log axis for the losses (log10 units), a linear one for lr.
    assert!(losses.y_range.1 < 1.0 && losses.y_range.0 < -2.0, "{:?}", losses.y_range);
    assert!(lrs.y_range.0 > -0.1 && lrs.y_range.1 < 0.2, "{:?}", lrs.y_range);
    let short = internals::short_number;
    let mut latest_val = None;
    let captions: Vec<String> = rows
        .iter()
        .map(|&(step, loss, val, lr)| {
            latest_val = val.or(latest_val);
            let val = latest_val.map(|v| format!("   val_loss {}", short(v))).unwrap_or_default();
            format!("step {step}/80   loss {}{val}   lr {}", short(loss), short(lr))
        })
        .collect();
    let spot = caption_spot(&scene, &r.run, &captions);
    for (k, &(step, loss, val, lr)) in rows.iter().enumerate() {
        assert!(near(&gif, 8, losses.to_pixel(step as f64, loss.log10()), BLUE), "loss at step {step}");
        if let Some(v) = val {
            assert!(near(&gif, 8, losses.to_pixel(step as f64, v.log10()), ORANGE), "val_loss at step {step}");
        }
        assert!(near(&gif, 8, lrs.to_pixel(step as f64, lr), BLUE), "lr at step {step}");
        // The caption: the step, and each metric's latest logged value, inside the plot.
        assert!(shows_caption(&gif, k, &scene, spot, &captions[k]), "frame {k}: not captioned '{}'", captions[k]);
        let other = captions[k].replace("step ", "step 1");
        assert!(!shows_caption(&gif, k, &scene, spot, &other), "the check can fail");
        let (l, t, right, b) = spot.place(&scene, &captions[k]).bounds;
        assert!(
            l >= f64::from(lb.x0) && right <= f64::from(lb.x1) && t >= f64::from(lb.y0) && b <= f64::from(lb.y1),
            "frame {k}: the caption leaves the plot"
        );
        assert!(shows_title(&gif, k, &scene, "metrics.jsonl"), "frame {k}: no title");
        let clear =
            right < f64::from(frame.0) || l > f64::from(frame.2) || b < f64::from(frame.1) || t > f64::from(frame.3);
        assert!(clear, "frame {k}: the caption covers the legend");
    }
}

/// Through the binary: the frame options are render's, `--every` thins, a bad log exits 2
/// naming its line and field, a line fit without points asks for `--data`.
#[test]
fn the_replay_command() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b, trace) = (dir.path().join("a.gif"), dir.path().join("b.gif"), dir.path().join("t.json"));
    let look = ["--view", "line+params", "--width", "420", "--height", "210", "--trail", "2", "-q"];
    let bin = || assert_cmd::Command::cargo_bin("sgd-anim").unwrap();
    bin()
        .args(["render", "--steps", "9", "--batch-size", "8"])
        .args(look)
        .arg("-o")
        .arg(&a)
        .arg("--trace")
        .arg(&trace)
        .assert()
        .success();
    bin().arg("replay").arg(&trace).args(look).arg("-o").arg(&b).assert().success();
    let what = "render --trace, then replay";
    let (_, comments) = same_animation(&std::fs::read(&a).unwrap(), &std::fs::read(&b).unwrap(), what);
    assert!(comments[0].contains(" --view line+params --width 420 --height 210 --caption-every 1 --trail 2 "));
    bin().arg("replay").arg(&trace).args(["--every", "4", "-q", "-o"]).arg(&b).assert().success();
    assert_eq!(common::decode(&std::fs::read(&b).unwrap()).frames.len(), 4, "steps 0, 4, 8 and the last, 9");

    let log = dir.path().join("log.jsonl");
    std::fs::write(&log, "{\"step\": 0, \"loss\": 2}\n{\"step\": 1, \"loss\": 1}\n{\"step\": 2, \"loss\": \"low\"}\n")
        .unwrap();
    let out = bin().arg("replay").arg(&log).arg("-o").arg(&b).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("log.jsonl:3: field 'loss': expected a number"), "{stderr}");
    std::fs::write(
        &log,
        "{\"step\": 5, \"slope\": 1, \"intercept\": 0}\n{\"step\": 5, \"slope\": 1, \"intercept\": 0}\n",
    )
    .unwrap();
    let out = bin().arg("replay").arg(&log).arg("-o").arg(&b).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    // Records of one step merge (Lightning's and the Trainer's logs write a step on several).
    assert!(String::from_utf8_lossy(&out.stderr).contains("log.jsonl:2: need at least 2 steps to animate, found 1"));
    std::fs::write(
        &log,
        "{\"step\": 0, \"slope\": 1, \"intercept\": 0}\n{\"step\": 5, \"slope\": 1, \"intercept\": 0}\n",
    )
    .unwrap();
    let out = bin().arg("replay").arg(&log).arg("-o").arg(&b).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("for --data: a CSV file of the points"));
    // The output may not overwrite the log.
    let out = bin().arg("replay").arg(&trace).arg("-o").arg(&trace).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("a file name ending in .gif or .webp")
            || String::from_utf8_lossy(&out.stderr).contains("the log")
    );
}

/// `sgd-anim info` on a replayed GIF prints the `sgd-anim replay` command that makes it again
/// byte for byte: for a trace, a log of curves thinned with `--every`, a log read from
/// standard input, and a log whose name starts with `-`.
#[test]
fn info_prints_the_replay_command_that_makes_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let (made, again) = (dir.path().join("made"), dir.path().join("again"));
    std::fs::create_dir_all(&made).unwrap();
    std::fs::create_dir_all(&again).unwrap();
    let bin = || assert_cmd::Command::cargo_bin("sgd-anim").unwrap();
    bin()
        .current_dir(&made)
        .args(["render", "--steps", "6", "--batch-size", "4", "--view", "all", "--height", "200", "--width", "600"])
        .args(["-q", "-o", "r.gif", "--trace", "t.json"])
        .assert()
        .success();
    let curves: String = (0..30).map(|k| format!("{k},{},{}\n", 3.0 / f64::from(k + 1), 0.1)).collect();
    std::fs::write(made.join("-m.csv"), format!("step,loss,lr\n{curves}")).unwrap();
    let metrics = std::fs::read(made.join("-m.csv")).unwrap();
    // The options, what follows `-o NAME` (a log named after `--`), standard input.
    let cases: [(&[&str], &[&str], &[u8]); 4] = [
        (&["t.json", "--view", "line+loss", "--trail", "2", "--height", "200", "--width", "400"], &[], b""),
        (&["./-m.csv", "--every", "4", "--height", "210", "--delay-ms", "40", "--loop-count", "1"], &[], b""),
        (&["-", "--no-caption", "--height", "200", "--width", "500"], &[], &metrics),
        (&["--height", "200"], &["--", "-m.csv"], b""),
    ];
    for (k, (args, tail, stdin)) in cases.into_iter().enumerate() {
        let name = format!("x{k}.gif");
        let mut replay = bin();
        replay.current_dir(&made).arg("replay").args(args).args(["-q", "-o", &name]).args(tail);
        replay.write_stdin(stdin).assert().success();
        let out = bin().current_dir(&made).args(["info", &name]).output().unwrap();
        let report = String::from_utf8(out.stdout).unwrap();
        let command = report.lines().find_map(|l| l.strip_prefix("command:")).expect("a command").trim();
        assert!(command.starts_with("sgd-anim replay "), "{report}");
        assert!(command.ends_with(&format!(" -o {name}")), "{report}");
        if k == 2 {
            assert!(report.contains("standard input"), "{report}");
        }
        // The names here need no quotes: the words are the command's.
        let words: Vec<&str> = command.split(' ').collect();
        for file in ["t.json", "-m.csv"] {
            if made.join(file).exists() {
                std::fs::copy(made.join(file), again.join(file)).unwrap();
            }
        }
        bin().current_dir(&again).args(&words[1..]).arg("-q").write_stdin(stdin).assert().success();
        let (first, second) = (std::fs::read(made.join(&name)).unwrap(), std::fs::read(again.join(&name)).unwrap());
        assert!(first == second, "{args:?} {tail:?}: {command} makes another file");
    }
}

/// Whether a parse's result is fine: frames, or an error naming a line of the text (or the
/// missing points of a line fit).
fn names_a_line(text: &[u8], result: Result<Replay, Error>) -> Result<(), String> {
    let lines = text.iter().filter(|&&b| b == b'\n').count() + 1;
    match result {
        Ok(r) if r.run.snapshots.len() >= 2 => Ok(()),
        Ok(r) => Err(format!("{} frames", r.run.snapshots.len())),
        Err(Error::Data { line, .. }) if (1..=lines).contains(&line) => Ok(()),
        Err(Error::InvalidSetting { field, .. }) if field == "data" => Ok(()),
        Err(e) => Err(format!("{e} (of {lines} lines)")),
    }
}

fn parse(text: &[u8]) -> Result<Replay, Error> {
    read_log_from(text, Path::new("log"), None, &ReadOptions::default())
}

/// A small trace of our own, to corrupt.
fn a_trace() -> String {
    let data = Dataset::synthetic(&DataSpec { n: 5, ..Default::default() });
    let run = train(&data, &TrainSettings { batch_size: BatchSize::Size(2), steps: 4, ..Default::default() });
    internals::trace_json(&data, &run, 42, Some((3.0, 10.0)), Limits::Lesson)
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig {
        cases: 96,
        failure_persistence: common::regressions_beside_source(),
        ..proptest::prelude::ProptestConfig::default()
    })]

    /// JSON Lines from JSON's pieces and the fields a log uses: never a panic, and every
    /// error names a line of the text.
    #[test]
    fn json_lines_never_panic(tokens in proptest::collection::vec(proptest::sample::select(vec![
        "{", "}", "[", "]", ",", ":", "\n", " ", "\"step\":", "\"slope\":", "\"intercept\":", "\"loss\":", "\"batch\":",
        "\"data\":", "\"x\":", "\"y\":", "\"steps\":", "\"settings\":", "\"lr\":", "0", "1", "7", "-2.5", "1e400",
        "null", "NaN", "\"a\"", "true", "{\"step\": 3, \"loss\": 1}\n", "{\"x\": [0, 1], \"y\": [1, 2]}",
    ]), 0..40)) {
        let text = tokens.concat();
        proptest::prop_assert_eq!(names_a_line(text.as_bytes(), parse(text.as_bytes())), Ok(()), "{:?}", text);
    }

    /// Well-formed steps in any order, cut or with a byte changed: the same.
    #[test]
    fn json_lines_records_never_panic(
        steps in proptest::collection::vec((0usize..6, -3.0..3.0f64, proptest::option::of(0.0..5.0f64)), 0..8),
        data in proptest::bool::ANY,
        cut in proptest::num::usize::ANY,
        flip in proptest::option::of((proptest::num::usize::ANY, proptest::num::u8::ANY)),
    ) {
        let mut text = if data { "{\"data\": {\"x\": [0, 1, 2], \"y\": [1, 2, 4]}}\n".to_string() } else { String::new() };
        for (step, slope, loss) in &steps {
            let loss = loss.map(|l| format!(", \"loss\": {l}")).unwrap_or_default();
            text.push_str(&format!("{{\"step\": {step}, \"slope\": {slope}, \"intercept\": 1{loss}}}\n"));
        }
        let mut bytes = text.into_bytes();
        bytes.truncate(bytes.len() - cut % (bytes.len() / 4 + 1));
        if let (Some((at, byte)), false) = (flip, bytes.is_empty()) {
            let at = at % bytes.len();
            bytes[at] = byte;
        }
        proptest::prop_assert_eq!(names_a_line(&bytes, parse(&bytes)), Ok(()), "{:?}", String::from_utf8_lossy(&bytes));
    }

    /// CSV logs from a header of known and other columns and cells of every kind.
    #[test]
    fn csv_logs_never_panic(
        header in proptest::collection::vec(proptest::sample::select(vec!["step", "slope", "intercept", "loss", "val_loss", "lr", "batch", "epoch", "note", ""]), 0..5),
        cells in proptest::collection::vec(proptest::sample::select(vec!["0", "1", "2", "2.5", "-1", "nan", "inf", "", "abc", "1e400", "\"q\"", "\u{e9}", "3\r"]), 0..30),
        width in 1usize..6,
    ) {
        let mut text = header.join(",") + "\n";
        for row in cells.chunks(width) {
            text.push_str(&row.join(","));
            text.push('\n');
        }
        proptest::prop_assert_eq!(names_a_line(text.as_bytes(), parse(text.as_bytes())), Ok(()), "{:?}", text);
    }

    /// Our trace with a piece cut out or a token put in: the same.
    #[test]
    fn traces_never_panic(
        at in proptest::num::usize::ANY,
        len in 0usize..40,
        insert in proptest::sample::select(vec!["", "null", "\"x\"", "-1", "}", "[", "\n", "1e999", "{\"step\": 2}"]),
    ) {
        let trace = a_trace().into_bytes();
        let at = at % trace.len();
        let mut bytes = trace[..at].to_vec();
        bytes.extend_from_slice(insert.as_bytes());
        bytes.extend_from_slice(&trace[(at + len).min(trace.len())..]);
        proptest::prop_assert_eq!(names_a_line(&bytes, parse(&bytes)), Ok(()), "{:?}", String::from_utf8_lossy(&bytes));
    }
}
