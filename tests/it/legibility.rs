//! What a reader sees: every string in its place, none over another or past the frame's edge,
//! at every view and size; captions that say what each frame draws; labels no mark covers;
//! panels that keep the whole run.

use crate::common::decode;
use sgd_anim::internals::*;
use sgd_anim::*;

const VIEWS: [View; 4] = [View::Line, View::LineLoss, View::LineParams, View::All];

/// Every string a frame holds: the axes' and annotations', the title, the caption.
fn texts_of(scene: &Scene, run: &Run) -> Vec<Vec<PlacedText>> {
    let fixed: Vec<PlacedText> = scene.texts().into_iter().cloned().collect();
    let mut frames = scene.frames(run);
    let title = frames.title().cloned();
    let mut all = vec![];
    while let Some(frame) = frames.next_frame().unwrap() {
        let mut texts = fixed.clone();
        texts.extend(title.clone());
        texts.extend(frame.caption.cloned());
        all.push(texts);
    }
    all
}

fn overlap(a: (f64, f64, f64, f64), b: (f64, f64, f64, f64)) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

/// No two strings touch and none leaves the frame, for every view at 200 px a panel, the
/// post's 640x480 and 1920x1080, for a settling, a jittering and a diverging run.
#[test]
fn no_text_overlaps_another_or_the_frame_edge() {
    let data = Dataset::synthetic(&DataSpec::default());
    for view in VIEWS {
        let n = view.panels();
        for (w, h) in [(200 * n, 200), (640 * n, 480), (1920, 1080), (1920 * n, 1080)] {
            if w > MAX_SIZE || w < MIN_SIZE * n {
                continue;
            }
            for (lr, batch_size, optimizer) in [
                (0.1, BatchSize::Full, Optimizer::Sgd),
                (0.1, BatchSize::Size(1), Optimizer::Momentum { momentum: 0.9 }),
                (10.0, BatchSize::Size(4), Optimizer::Sgd),
            ] {
                let train = TrainSettings { lr, batch_size, optimizer, steps: 30, ..Default::default() };
                let run = train_job(&data, &train);
                let settings =
                    SceneSettings { view, width: w, height: h, truth: Some((3.0, 10.0)), ..Default::default() };
                let scene = Scene::for_run(&data, &run, &settings).unwrap();
                for (k, texts) in texts_of(&scene, &run).iter().enumerate() {
                    for (i, a) in texts.iter().enumerate() {
                        let (l, t, r, b) = a.bounds;
                        assert!(
                            l >= 0.0 && t >= 0.0 && r <= f64::from(w) && b <= f64::from(h),
                            "{view:?} {w}x{h} lr {lr} frame {k}: {:?} at {:?} leaves the frame",
                            a.text,
                            a.bounds
                        );
                        for b in &texts[i + 1..] {
                            assert!(
                                !overlap(a.bounds, b.bounds),
                                "{view:?} {w}x{h} lr {lr} frame {k}: {:?} {:?} touches {:?} {:?}",
                                a.text,
                                a.bounds,
                                b.text,
                                b.bounds
                            );
                        }
                    }
                }
            }
        }
    }
}

/// Each frame's caption is built from that step of the trace `render --trace` writes: the
/// step and its loss, as the caption prints numbers.
#[test]
fn captions_match_the_trace_step_by_step() {
    let dir = tempfile::tempdir().unwrap();
    let (gif, trace) = (dir.path().join("a.gif"), dir.path().join("t.json"));
    let settings = RenderSettings {
        train: TrainSettings { lr: 0.1, batch_size: BatchSize::Size(4), steps: 40, ..Default::default() },
        ..Default::default()
    };
    render(&settings, &gif, Some(&trace), &NoProgress).unwrap();
    let trace: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&trace).unwrap()).unwrap();
    let steps = trace["steps"].as_array().unwrap();
    let data = Dataset::synthetic(&DataSpec::default());
    let run = train_job(&data, &settings.train);
    let scene = Scene::new(&data, &settings.train, &settings.scene).unwrap();
    let decoded = decode(&std::fs::read(&gif).unwrap());
    let mut frames = scene.frames(&run);
    let mut k = 0;
    while let Some(frame) = frames.next_frame().unwrap() {
        let loss = steps[k]["loss"].as_f64().unwrap();
        let mut want = format!("step {}/40   loss {}", steps[k]["step"], short_number(loss));
        if k == 40 && matches!(run.verdict(), Verdict::Unstable { .. }) {
            want.push_str("   unstable");
        }
        assert_eq!(frame.caption.unwrap().text, want, "frame {k}");
        assert!(frame.canvas.to_rgb(scene.palette()) == decoded.frames[k].rgb, "frame {k} is not the GIF's");
        k += 1;
    }
    assert_eq!(k, 41);
}

/// The parameter panel's labels ("least squares", "true") stay on top: no frame paints a
/// pixel of their halo's box, whatever the path and its dot do; and the path of momentum and
/// Adam runs (which overshoot) stays inside the panel, every dot drawn.
#[test]
fn labels_stay_on_top_and_the_path_stays_in_its_panel() {
    let data = Dataset::synthetic(&DataSpec::default());
    for optimizer in
        [Optimizer::Momentum { momentum: 0.9 }, Optimizer::Adam { beta1: 0.9, beta2: 0.999 }, Optimizer::Sgd]
    {
        let lr = if matches!(optimizer, Optimizer::Adam { .. }) { 0.5 } else { 0.1 };
        let train = TrainSettings { lr, optimizer, steps: 60, ..Default::default() };
        let s = RenderSettings {
            train: train.clone(),
            scene: SceneSettings {
                view: View::LineParams,
                width: 1280,
                truth: Some((3.0, 10.0)),
                ..Default::default()
            },
            ..Default::default()
        };
        let gif = decode(&render_to_vec(&s).unwrap());
        let run = train_job(&data, &train);
        let scene = Scene::for_run(&data, &run, &s.scene).unwrap();
        let chart = scene.chart(PanelKind::Params).unwrap();
        for snap in &run.snapshots {
            assert!(chart.contains((snap.slope, snap.intercept)), "{optimizer:?}: step {} leaves the panel", snap.step);
        }
        let labels: Vec<&PlacedText> =
            scene.texts().into_iter().filter(|t| t.text == "least squares" || t.text == "true").collect();
        assert_eq!(labels.len(), 2, "{optimizer:?}");
        let row = gif.width as usize * 3;
        for label in labels {
            let r = label.mask.halo(1).rect();
            let pixels = |k: usize| {
                (r.y0..r.y1)
                    .flat_map(|y| {
                        gif.frames[k].rgb[y as usize * row + r.x0 as usize * 3..][..r.width() as usize * 3].to_vec()
                    })
                    .collect::<Vec<u8>>()
            };
            for k in 1..gif.frames.len() {
                assert!(pixels(k) == pixels(0), "{optimizer:?} frame {k}: something was drawn over {:?}", label.text);
            }
        }
    }
}

/// A diverging run's loss leaves the axes: the panel says so at its top edge from that step
/// on ("diverged at step k"), instead of staying empty.
#[test]
fn a_diverging_loss_is_marked_where_it_leaves_the_panel() {
    let data = Dataset::synthetic(&DataSpec::default());
    let train = TrainSettings { lr: 10.0, steps: 20, ..Default::default() };
    let run = train_job(&data, &train);
    let d = run.diverged_at().expect("diverges");
    let settings = SceneSettings { view: View::LineLoss, width: 1280, ..Default::default() };
    let scene = Scene::for_run(&data, &run, &settings).unwrap();
    let inner = scene.chart(PanelKind::Loss).unwrap().inner;
    let mut frames = scene.frames(&run);
    let ink = |c: &Canvas| {
        let rgb = c.to_rgb(scene.palette());
        (inner.y0..inner.y0 + 30)
            .flat_map(|y| (inner.x0..inner.x1).map(move |x| (x, y)))
            .filter(|&(x, y)| rgb[(y * c.width + x) as usize * 3..][..3] == [0, 0, 0])
            .count()
    };
    let mut k = 0;
    while let Some(frame) = frames.next_frame().unwrap() {
        // Black text near the panel's top: the note, from the step the curve leaves on.
        assert_eq!(ink(frame.canvas) > 20, k >= d, "frame {k} (diverged at {d})");
        k += 1;
    }
}

/// User data fills the plot: with x in 0..1000 the start line (-x + 1) would pull the y axis
/// to -1000 and flatten the data to a strip; with `Limits::Data` (what `--data` gets) the points
/// span most of the plot's height. Tiny values (1e-9) spread out the same way.
#[test]
fn user_data_fills_the_plot() {
    for scale in [1.0, 1e-9] {
        let x: Vec<f64> = (0..50).map(|i| f64::from(i) * 20.0 * scale).collect();
        let y: Vec<f64> = x.iter().enumerate().map(|(i, v)| 2.0 * v + scale * 30.0 * f64::from(i as u8 % 7)).collect();
        let data = Dataset { x, y };
        // What render and grid choose: the lesson's look for its data, the data's own for yours.
        let csv = RenderSettings { data: DataSource::Csv("points.csv".into()), ..Default::default() };
        assert_eq!(csv.scene_settings().limits, Limits::Data);
        assert_eq!(RenderSettings::default().scene_settings().limits, Limits::Lesson);
        let train = TrainSettings { steps: 5, ..Default::default() };
        for (limits, fills) in [(Limits::Data, true), (Limits::Lesson, false)] {
            let settings = SceneSettings { limits, ..Default::default() };
            let scene = Scene::new(&data, &train, &settings).unwrap();
            let inner = scene.plot_area();
            let rows: Vec<f64> =
                data.x.iter().zip(&data.y).map(|(&x, &y)| scene.line_panel().to_point(x, y).1).collect();
            let spread = rows.iter().fold(f64::MIN, |a, &b| a.max(b)) - rows.iter().fold(f64::MAX, |a, &b| a.min(b));
            let share = spread / f64::from(inner.height());
            assert_eq!(share > 0.8, fills, "scale {scale} {limits:?}: the data spans {share:.2} of the plot");
        }
    }
}

/// The comparisons' texts: the step counter, each panel's title, tick labels and its own
/// caption (loss, then how the run ended) never touch one another nor leave the frame, in
/// every frame of the post's comparisons.
#[test]
fn comparison_captions_overlap_nothing() {
    let settings = GridSettings::default();
    let data = Dataset::synthetic(&DataSpec::default());
    for c in comparisons(&settings) {
        let tiling = Tiling::for_column(COLUMN_WIDTH, c.columns);
        let (w, h) = tiling.size(c.panels.len());
        let tile =
            Scene::new(&data, &settings.base.train, &tiling.tile_settings(&settings.base.scene_settings())).unwrap();
        let runs: Vec<Run> = c
            .panels
            .iter()
            .map(|&(lr, b)| {
                train_job(&data, &TrainSettings { lr, batch_size: BatchSize::Size(b), ..settings.base.train.clone() })
            })
            .collect();
        let compare = CompareFrames::new(&tile, tiling, &runs);
        let shift = |b: (f64, f64, f64, f64), i: usize| {
            let (ox, oy) = tiling.origin(i);
            let (ox, oy) = (f64::from(ox), f64::from(oy));
            (b.0 + ox, b.1 + oy, b.2 + ox, b.3 + oy)
        };
        let mut fixed: Vec<(String, (f64, f64, f64, f64))> = vec![];
        for (i, run) in runs.iter().enumerate() {
            fixed.extend(tile.texts().iter().map(|t| (t.text.clone(), shift(t.bounds, i))));
            let title = tile.place_title(&run_label(run));
            fixed.push((title.text.clone(), shift(title.bounds, i)));
        }
        for k in 0..=settings.base.train.steps {
            let mut texts = fixed.clone();
            texts.extend(compare.texts(k).iter().map(|t| (t.text.clone(), t.bounds)));
            for (i, (a, ab)) in texts.iter().enumerate() {
                assert!(
                    ab.0 >= 0.0 && ab.1 >= 0.0 && ab.2 <= f64::from(w) && ab.3 <= f64::from(h),
                    "{} frame {k}: {a:?} at {ab:?} leaves the frame",
                    c.file_name
                );
                for (b, bb) in &texts[i + 1..] {
                    assert!(!overlap(*ab, *bb), "{} frame {k}: {a:?} {ab:?} touches {b:?} {bb:?}", c.file_name);
                }
            }
        }
    }
}

/// The axes' text and the title are anti-aliased as finely as matplotlib's: at least 16
/// levels of grey besides the page in the first frame (they are drawn once, there).
#[test]
fn static_text_keeps_sixteen_levels() {
    let data = Dataset::synthetic(&DataSpec::default());
    let run = train_job(&data, &TrainSettings { steps: 3, ..Default::default() });
    let scene = Scene::new(&data, &run.settings, &SceneSettings::default()).unwrap();
    let mut frames = scene.frames(&run);
    let title = frames.title().cloned().unwrap();
    let frame = frames.next_frame().unwrap().unwrap();
    let rgb = frame.canvas.to_rgb(scene.palette());
    let mut greys = std::collections::BTreeSet::new();
    for text in scene.texts().into_iter().chain([&title]) {
        let r = text.mask.rect();
        for y in r.y0..r.y1 {
            for x in r.x0..r.x1 {
                let i = (y * frame.canvas.width + x) as usize * 3;
                let c = &rgb[i..i + 3];
                if c[0] == c[1] && c[1] == c[2] && c[0] < 255 {
                    greys.insert(c[0]);
                }
            }
        }
    }
    assert!(greys.len() >= 16, "{} levels of grey: {greys:?}", greys.len());
}

/// The parameter panel's labels ("least squares", "true") never touch each other, the
/// current dot or the path drawn so far, in any frame, for every view that has the panel at
/// the sizes above, and for the run of issue 21 (momentum, lr 0.1, batch size 16, which
/// circles the targets) among others.
#[test]
fn parameter_labels_keep_off_each_other_the_dot_and_the_path() {
    let data = Dataset::synthetic(&DataSpec::default());
    for view in [View::LineParams, View::All] {
        let n = view.panels();
        for (w, h) in [(200 * n, 200), (640 * n, 480), (1920 * n, 1080)] {
            if w > MAX_SIZE {
                continue;
            }
            for (lr, batch_size, optimizer) in [
                (0.1, BatchSize::Size(16), Optimizer::Momentum { momentum: 0.9 }),
                (0.1, BatchSize::Full, Optimizer::Sgd),
                (0.5, BatchSize::Size(4), Optimizer::Adam { beta1: 0.9, beta2: 0.999 }),
            ] {
                let train = TrainSettings { lr, batch_size, optimizer, ..Default::default() };
                let run = train_job(&data, &train);
                let settings =
                    SceneSettings { view, width: w, height: h, truth: Some((3.0, 10.0)), ..Default::default() };
                let scene = Scene::for_run(&data, &run, &settings).unwrap();
                let chart = scene.chart(PanelKind::Params).unwrap();
                let m = scene.metrics();
                let labels: Vec<&PlacedText> =
                    scene.texts().into_iter().filter(|t| t.text == "least squares" || t.text == "true").collect();
                assert_eq!(labels.len(), 2);
                let what = format!("{view:?} {w}x{h} {optimizer:?}");
                assert!(!overlap(labels[0].bounds, labels[1].bounds), "{what}: the labels touch");
                let inside = |s: &Snapshot| chart.contains((s.slope, s.intercept));
                for (k, snap) in run.snapshots.iter().enumerate() {
                    for label in &labels {
                        if inside(snap) {
                            let (x, y) = chart.to_point(snap.slope, snap.intercept);
                            let r = m.marker + m.scale;
                            let dot = (x - r, y - r, x + r, y + r);
                            assert!(!overlap(label.bounds, dot), "{what} frame {k}: the dot is under {:?}", label.text);
                        }
                        if k > 0 && inside(snap) && inside(&run.snapshots[k - 1]) {
                            let p = &run.snapshots[k - 1];
                            let (a, b) =
                                (chart.to_point(p.slope, p.intercept), chart.to_point(snap.slope, snap.intercept));
                            for t in 0..=50 {
                                let t = f64::from(t) / 50.0;
                                let (x, y) = (a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1));
                                let (l, top, r, bottom) = label.bounds;
                                assert!(
                                    !(x > l && x < r && y > top && y < bottom),
                                    "{what} frame {k}: the path crosses {:?}",
                                    label.text
                                );
                            }
                        }
                    }
                }
            }
        }
    }
}
