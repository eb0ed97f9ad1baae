//! Round trips through the gif decoder: frames, sizes, delays, loop, pixels.

use crate::common::{self, decode};
use sgd_anim::internals::*;
use sgd_anim::*;

fn settings(lr: f64, batch_size: BatchSize, steps: usize) -> RenderSettings {
    RenderSettings { train: TrainSettings { lr, batch_size, steps, ..Default::default() }, ..Default::default() }
}

#[test]
fn gif_has_a_frame_per_step_delays_hold_and_loop() {
    let s = settings(0.1, BatchSize::Size(16), 30);
    let gif = decode(&render_to_vec(&s).unwrap());
    assert_eq!((gif.width, gif.height), (640, 480));
    assert_eq!(gif.frames.len(), 31);
    assert!(gif.frames[..30].iter().all(|f| f.delay == 2));
    assert_eq!(gif.frames[30].delay, 100, "the last frame is held 1 s");
    assert_eq!(gif.repeat, gif::Repeat::Infinite);

    let custom = RenderSettings {
        timing: Timing { delay_ms: 50, hold_ms: 3000, loop_count: Some(3) },
        scene: SceneSettings { width: 320, height: 240, ..Default::default() },
        ..settings(0.1, BatchSize::Full, 5)
    };
    let gif = decode(&render_to_vec(&custom).unwrap());
    assert_eq!((gif.width, gif.height, gif.frames.len()), (320, 240, 6));
    assert_eq!(gif.frames[0].delay, 5);
    assert_eq!(gif.frames[5].delay, 300);
    assert_eq!(gif.repeat, gif::Repeat::Finite(2), "3 plays = 2 repeats");
    let once = RenderSettings {
        timing: Timing { loop_count: Some(1), ..Default::default() },
        ..settings(0.1, BatchSize::Full, 2)
    };
    assert_eq!(decode(&render_to_vec(&once).unwrap()).repeat, gif::Repeat::Finite(0));
}

/// Settings for `view` at 640 px a panel (the binary's default), with the synthetic data's
/// true line as the binary gives it.
fn view_settings(view: View, batch_size: BatchSize, steps: usize) -> RenderSettings {
    let s = settings(0.1, batch_size, steps);
    RenderSettings {
        scene: SceneSettings { view, width: 640 * view.panels(), truth: Some((3.0, 10.0)), ..s.scene },
        ..s
    }
}

const VIEWS: [View; 4] = [View::Line, View::LineLoss, View::LineParams, View::All];

#[test]
fn the_line_is_where_the_parameters_put_it() {
    for view in VIEWS {
        let s = view_settings(view, BatchSize::Size(8), 20);
        let bytes = render_to_vec(&s).unwrap();
        let gif = decode(&bytes);
        let data = Dataset::synthetic(&DataSpec::default());
        let run = train_job(&data, &s.train);
        let scene = Scene::new(&data, &s.train, &s.scene).unwrap();
        let blue = Theme::default().line;
        let area = scene.plot_area();
        assert!(area.x1 <= 640, "{view:?}: the line panel is the first");
        // The caption sits on top of the line where they meet.
        let mut frames = scene.frames(&run);
        let mut captions = vec![];
        while let Some(frame) = frames.next_frame().unwrap() {
            captions.push(frame.caption.unwrap().mask.halo(4).rect());
        }
        for (k, snap) in run.snapshots.iter().enumerate() {
            let mut hits = 0;
            for x in [-0.6, -0.2, 0.3, 0.7] {
                let (px, py) = scene.to_pixel(x, snap.slope * x + snap.intercept);
                if py < area.y0 as i32 + 2 || py >= area.y1 as i32 - 2 || captions[k].contains(px, py) {
                    continue;
                }
                let near = (-1..=1).any(|dy| gif.pixel(k, px, py + dy) == blue);
                assert!(near, "{view:?} frame {k}: no line colour near ({px}, {py})");
                hits += 1;
            }
            assert!(hits > 0 || k == 0, "{view:?} frame {k} checked no point");
            // Far from the line, the plot shows no line colour.
            let (px, py) = scene.to_pixel(0.0, snap.intercept);
            let far = if py > (area.y0 + area.y1) as i32 / 2 { area.y0 as i32 + 3 } else { area.y1 as i32 - 3 };
            assert_ne!(gif.pixel(k, px, far), blue, "{view:?} frame {k}");
        }
    }
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let s = settings(0.1, BatchSize::Size(4), 25);
    let a = render_to_vec(&s).unwrap();
    assert_eq!(a, render_to_vec(&s).unwrap());
    let mut other = s.clone();
    other.train.seed = 7;
    if let DataSource::Synthetic(spec) = &mut other.data {
        spec.seed = 7;
    }
    assert_ne!(a, render_to_vec(&other).unwrap());
}

#[test]
fn diverging_runs_render_to_the_end() {
    for lr in [1.0, 10.0, 1e6] {
        for batch in [BatchSize::Full, BatchSize::Size(1)] {
            let gif = decode(&render_to_vec(&settings(lr, batch, 40)).unwrap());
            assert_eq!(gif.frames.len(), 41, "lr {lr}");
        }
    }
}

/// Every frame of the delta-encoded GIF equals a full redraw of that step: the changed
/// rectangles, transparency and the background reuse change no pixel.
#[test]
fn every_frame_equals_a_full_redraw() {
    let cases = [
        (0.1, BatchSize::Size(16), true, 0, false, View::Line),
        (1.0, BatchSize::Size(1), true, 0, false, View::Line),
        (0.1, BatchSize::Full, false, 0, false, View::Line),
        (0.1, BatchSize::Size(4), true, 6, true, View::Line),
        (1.0, BatchSize::Size(2), false, 3, true, View::All),
        (0.1, BatchSize::Size(8), true, 0, false, View::LineLoss),
    ];
    for (case, (lr, batch, captioned, trail, show_batch, view)) in cases.into_iter().enumerate() {
        let mut s = settings(lr, batch, 40);
        let width = 400 * view.panels();
        // Every frame its own loss, and a loss held for 5 frames (which names its step).
        let caption_every = (case == 1).then_some(5);
        s.scene = SceneSettings {
            caption: captioned,
            caption_every,
            trail,
            show_batch,
            view,
            width,
            truth: Some((3.0, 10.0)),
            ..s.scene
        };
        let gif = decode(&render_to_vec(&s).unwrap());
        let data = Dataset::synthetic(&DataSpec::default());
        let run = train_job(&data, &s.train);
        let scene = if view.follows_the_run() {
            Scene::for_run(&data, &run, &s.scene).unwrap()
        } else {
            Scene::new(&data, &s.train, &s.scene).unwrap()
        };
        // A full redraw: the background and the title, every step's progress up to k, then
        // frame k's overlay and its caption where the animation's captions go.
        let every = s.scene.caption_every.unwrap_or(1) as usize;
        let captions: Vec<String> =
            (0..run.snapshots.len()).map(|k| caption(&run, k, every, run.diverged_at())).collect();
        let spot = caption_spot(&scene, &run, &captions);
        let mut base = scene.background().clone();
        if captioned {
            scene.draw_text(&mut base, &scene.place_title(&run_label(&run)), false);
        }
        for (k, text) in captions.iter().enumerate() {
            scene.draw_progress(&mut base, &run, k).unwrap();
            let mut fresh = base.clone();
            let o = overlay(&run, k, &s.scene);
            scene.draw_overlay(&mut fresh, &o).unwrap();
            assert_eq!(o.caption.as_ref(), captioned.then_some(text), "frame {k}");
            if captioned {
                scene.draw_text(&mut fresh, &spot.place(&scene, text), true);
            }
            assert!(
                fresh.to_rgb(scene.palette()) == gif.frames[k].rgb,
                "lr {lr} trail {trail} frame {k} differs from a full redraw"
            );
        }
    }
}

/// Every frame's caption names the step it draws and that step's loss, read back from the
/// frames as drawn; the caption's pixels change on every frame (its step does), and nowhere
/// outside the plot's box but in the first frame (the title).
#[test]
fn every_caption_names_its_own_step_and_loss() {
    let s = settings(0.1, BatchSize::Size(8), 25);
    let data = Dataset::synthetic(&DataSpec::default());
    let run = train_job(&data, &s.train);
    let scene = Scene::new(&data, &s.train, &s.scene).unwrap();
    let gif = decode(&render_to_vec(&s).unwrap());
    let mut frames = scene.frames(&run);
    let mut k = 0;
    let mut boxes = vec![];
    while let Some(frame) = frames.next_frame().unwrap() {
        let text = &frame.caption.expect("a caption").text;
        let snap = &run.snapshots[k];
        assert_eq!(text, &format!("step {}/25   loss {}", snap.step, short_number(snap.loss)));
        assert!(frame.canvas.to_rgb(scene.palette()) == gif.frames[k].rgb, "frame {k}");
        boxes.push(frame.caption.unwrap().mask.rect());
        k += 1;
    }
    assert_eq!(k, 26);
    assert!(frames.title().is_some_and(|t| t.text == "SGD lr=0.1 bs=8"));
    let inner = scene.plot_area();
    for (k, &r) in boxes.iter().enumerate().skip(1) {
        let caption_pixels = |f: usize| {
            let row = gif.width as usize * 3;
            (r.y0..r.y1)
                .flat_map(|y| {
                    gif.frames[f].rgb[y as usize * row + r.x0 as usize * 3..][..r.width() as usize * 3].to_vec()
                })
                .collect::<Vec<u8>>()
        };
        assert_ne!(caption_pixels(k), caption_pixels(k - 1), "frame {k}'s caption did not change");
        // Outside the plot's box, nothing changes after the first frame.
        let row = gif.width as usize * 3;
        for y in 0..gif.height as usize {
            let inside_rows = (inner.y0 as usize..inner.y1 as usize).contains(&y);
            let span = if inside_rows { 0..inner.x0 as usize * 3 } else { 0..row };
            assert!(
                gif.frames[k].rgb[y * row..][span.clone()] == gif.frames[0].rgb[y * row..][span],
                "frame {k} row {y}"
            );
        }
    }
}

#[test]
fn batch_points_are_highlighted_and_the_trail_shows() {
    let mut s = settings(0.1, BatchSize::Size(4), 12);
    s.scene = SceneSettings { trail: 5, show_batch: true, caption: false, ..s.scene };
    let gif = decode(&render_to_vec(&s).unwrap());
    let data = Dataset::synthetic(&DataSpec::default());
    let run = train_job(&data, &s.train);
    let scene = Scene::new(&data, &s.train, &s.scene).unwrap();
    let theme = Theme::default();
    let count = |k: usize, rgb: [u8; 3]| gif.frames[k].rgb.chunks(3).filter(|p| *p == rgb).count();
    assert_eq!(count(0, theme.batch), 0, "the start frame has no batch");
    for k in 1..run.snapshots.len() {
        for &i in run.snapshots[k].batch.as_ref().unwrap() {
            let (px, py) = scene.to_pixel(data.x[i], data.y[i]);
            let bluish = |p: [u8; 3]| p[2] > p[0];
            let near_line = (-3..=3).any(|d| bluish(gif.pixel(k, px, py + d)));
            assert!(near_line || gif.pixel(k, px, py) == theme.batch, "frame {k}: point {i} not highlighted");
        }
    }
    // The trail blends with what is under it: over the page it is a pale blue, over a data
    // point a mix of orange and blue, never the pale blue painted over the point.
    let plain_s = RenderSettings { scene: SceneSettings { trail: 0, ..s.scene.clone() }, ..s.clone() };
    let plain = decode(&render_to_vec(&plain_s).unwrap());
    let (mut over_page, mut over_points) = (0, 0);
    for (with, without) in gif.frames[6].rgb.chunks(3).zip(plain.frames[6].rgb.chunks(3)) {
        if with == without {
            continue;
        }
        if without == theme.background {
            over_page += 1;
        } else if without == theme.scatter {
            // Orange with some blue: red falls, blue rises, and it is not the page's blend.
            assert!(with[0] < theme.scatter[0] && with[2] > theme.scatter[2] && with[0] > 150, "{with:?}");
            over_points += 1;
        }
    }
    assert!(over_page > 100 && over_points > 5, "{over_page} {over_points}");
    let no_batch = decode(&render_to_vec(&settings(0.1, BatchSize::Size(4), 12)).unwrap());
    assert_eq!(no_batch.frames[6].rgb.chunks(3).filter(|p| *p == theme.batch).count(), 0);
}

/// A chart's box as drawn: its one-pixel spines in the foreground colour (the data is drawn
/// strictly inside them).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Spines {
    left: i32,
    right: i32,
    top: i32,
    bottom: i32,
}

impl Spines {
    fn inside(&self, (x, y): (i32, i32)) -> bool {
        self.left < x && x < self.right && self.top < y && y < self.bottom
    }
}

/// The charts' boxes in frame `k`, left to right, read from the pixels alone: a column where
/// the foreground colour runs 100 px or more is a spine, and each box has two.
fn boxes(gif: &common::Decoded, k: usize) -> Vec<Spines> {
    let ink = Theme::default().foreground;
    // The longest run of ink in column x: (length, first row).
    let run_in = |x: i32| {
        let (mut best, mut start) = ((0, 0), 0);
        for y in 0..=gif.height as i32 {
            if y < gif.height as i32 && gif.pixel(k, x, y) == ink {
                continue;
            }
            best = best.max((y - start, start));
            start = y + 1;
        }
        best
    };
    let spines: Vec<(i32, (i32, i32))> =
        (0..gif.width as i32).map(|x| (x, run_in(x))).filter(|(_, (len, _))| *len >= 100).collect();
    assert_eq!(spines.len() % 2, 0, "spines come in pairs: {spines:?}");
    spines
        .chunks(2)
        .map(|pair| {
            let ((left, (a, top)), (right, (b, top_right))) = (pair[0], pair[1]);
            // A tick at the box's corner (the step axis's 0) continues its spine's column.
            assert!(top == top_right && a.abs_diff(b) <= 8, "a box's two sides have the same rows: {pair:?}");
            Spines { left, right, top, bottom: top + a.min(b) - 1 }
        })
        .collect()
}

/// Panels sit side by side, each in its own 640 px column, their boxes' tops on one row; the
/// first box is the line panel's plot area.
#[test]
fn panels_sit_side_by_side_at_640_px_each() {
    for view in VIEWS {
        let s = view_settings(view, BatchSize::Size(16), 6);
        let gif = decode(&render_to_vec(&s).unwrap());
        let panels = view.panels() as i32;
        assert_eq!((gif.width, gif.height, gif.frames.len()), (640 * panels as u32, 480, 7), "{view:?}");
        let data = Dataset::synthetic(&DataSpec::default());
        let area = Scene::new(&data, &s.train, &s.scene).unwrap().plot_area();
        for k in [0, 6] {
            let found = boxes(&gif, k);
            assert_eq!(found.len() as i32, panels, "{view:?} frame {k}: {found:?}");
            for (i, b) in (0..).zip(&found) {
                assert!(640 * i < b.left && b.right < 640 * (i + 1), "{view:?}: box {i} outside its column: {b:?}");
                assert!(b.right - b.left > 400 && b.bottom - b.top > 300, "{view:?}: box {i} too small: {b:?}");
                assert_eq!(b.top, found[0].top, "{view:?}: box {i} is not beside the first");
            }
            let line = Spines {
                left: area.x0 as i32 - 1,
                right: area.x1 as i32,
                top: area.y0 as i32 - 1,
                bottom: area.y1 as i32,
            };
            assert_eq!(found[0], line, "{view:?}: the first box is the line panel's");
        }
    }
}

#[test]
fn each_view_has_its_panels_and_frames() {
    for (view, panels) in [(View::Line, 1), (View::LineLoss, 2), (View::LineParams, 2), (View::All, 3)] {
        let mut s = settings(0.1, BatchSize::Size(16), 15);
        s.scene = SceneSettings { view, width: 420 * panels, height: 300, ..s.scene };
        let gif = decode(&render_to_vec(&s).unwrap());
        assert_eq!((gif.width, gif.height, gif.frames.len()), (420 * panels, 300, 16), "{view:?}");
        // At 420 px a panel, too, one box in each column.
        let found = boxes(&gif, 15);
        assert_eq!(found.len() as u32, panels, "{view:?}: {found:?}");
        for (i, b) in (0..).zip(&found) {
            assert!(420 * i < b.left && b.right < 420 * (i + 1), "{view:?}: box {i}: {b:?}");
        }
    }
}

/// In every view with a parameter panel (the last), frame k's marker is a filled disc at the
/// run's (slope, intercept) of step k, inside the panel's box; it leaves the previous step's
/// place, and moves right as the slope grows and up as the intercept grows.
#[test]
fn the_path_marker_sits_at_the_current_parameters() {
    for view in [View::LineParams, View::All] {
        let s = view_settings(view, BatchSize::Size(8), 30);
        let gif = decode(&render_to_vec(&s).unwrap());
        let data = Dataset::synthetic(&DataSpec::default());
        let run = train_job(&data, &s.train);
        let scene = Scene::new(&data, &s.train, &s.scene).unwrap();
        let params_box = *boxes(&gif, 0).last().unwrap();
        assert!(params_box.left > 640 * (view.panels() as i32 - 1), "{view:?}: the parameter panel is the last");
        let blue = Theme::default().line;
        // The marker is drawn with radius marker_radius + 1; the path (2 px wide) never fills a
        // disc of radius 3.
        let disc = |k: usize, (x, y): (i32, i32)| {
            (-3..=3)
                .all(|dx: i32| (-3..=3).all(|dy: i32| dx * dx + dy * dy > 9 || gif.pixel(k, x + dx, y + dy) == blue))
        };
        let at: Vec<(i32, i32)> =
            run.snapshots.iter().map(|snap| scene.params_pixel(snap.slope, snap.intercept).unwrap()).collect();
        let mut moves = 0;
        for k in 0..at.len() {
            assert!(params_box.inside(at[k]), "{view:?} frame {k}: {:?} outside {params_box:?}", at[k]);
            assert!(disc(k, at[k]), "{view:?} frame {k}: no marker at {:?}", at[k]);
            if k == 0 {
                continue;
            }
            let (dx, dy) = (at[k].0 - at[k - 1].0, at[k].1 - at[k - 1].1);
            if dx * dx + dy * dy >= 81 {
                assert!(!disc(k, at[k - 1]), "{view:?} frame {k}: the marker of step {} is still there", k - 1);
                moves += 1;
            }
            let (ds, db) = (
                run.snapshots[k].slope - run.snapshots[k - 1].slope,
                run.snapshots[k].intercept - run.snapshots[k - 1].intercept,
            );
            if dx.abs() >= 2 {
                assert_eq!(dx > 0, ds > 0.0, "{view:?} frame {k}: slope {ds:+} but the marker moved {dx:+} px across");
            }
            if dy.abs() >= 2 {
                assert_eq!(
                    dy < 0,
                    db > 0.0,
                    "{view:?} frame {k}: intercept {db:+} but the marker moved {dy:+} px down"
                );
            }
        }
        assert!(moves >= 5, "{view:?}: the marker moved clearly only {moves} times");
    }
}

/// In every view with a loss panel (the second), the curve grows one step a frame: frame k adds
/// line pixels between step k-1's and step k's x (the axis runs from step 0 at the box's left to
/// the last step at its right), none beyond; where step k's segment ends, its height is the
/// loss of step k on the log axis (an affine function of log10(loss), found from two steps).
#[test]
fn the_loss_curve_grows_frame_by_frame() {
    let steps = 20;
    for view in [View::LineLoss, View::All] {
        for batch_size in [BatchSize::Full, BatchSize::Size(8)] {
            let s = view_settings(view, batch_size, steps);
            let gif = decode(&render_to_vec(&s).unwrap());
            let data = Dataset::synthetic(&DataSpec::default());
            let run = train_job(&data, &s.train);
            let loss: Vec<f64> = run.snapshots.iter().map(|snap| snap.loss).collect();
            // The axis is logarithmic: from the start to the least-squares line the loss falls
            // by two decades or more.
            let best = mse(&data, data.least_squares().unwrap(), None);
            assert!(mse(&data, s.train.start, None) / best >= 100.0, "a log axis");
            let b = boxes(&gif, 0)[1];
            let blue = Theme::default().line;
            let curve = |k: usize| -> Vec<(i32, i32)> {
                let pixels = (b.left + 1..b.right).flat_map(|x| (b.top + 1..b.bottom).map(move |y| (x, y)));
                pixels.filter(|&(x, y)| gif.pixel(k, x, y) == blue).collect()
            };
            assert_eq!(curve(0), vec![], "{view:?}: no curve before the first step");
            let x_of = |k: usize| f64::from(b.left + 1) + k as f64 / steps as f64 * f64::from(b.right - b.left - 1);
            let mut ends = vec![];
            let mut shown = curve(0);
            for k in 1..=steps {
                let now = curve(k);
                assert!(shown.iter().all(|p| now.contains(p)), "{view:?} frame {k}: the curve lost pixels");
                let added: Vec<(i32, i32)> = now.iter().copied().filter(|p| !shown.contains(p)).collect();
                let (lo, hi) = (x_of(k - 1) - 2.0, x_of(k) + 2.0);
                assert!(!added.is_empty(), "{view:?} frame {k}: nothing added");
                let bad: Vec<_> = added.iter().filter(|(x, _)| !(lo..=hi).contains(&f64::from(*x))).collect();
                assert!(bad.is_empty(), "{view:?} frame {k}: pixels outside steps {}..{k}: {bad:?}", k - 1);
                let right = added.iter().map(|p| p.0).max().unwrap();
                assert!(f64::from(right) >= x_of(k) - 2.0, "{view:?} frame {k}: ends at x {right}, not {}", x_of(k));
                let at_end: Vec<f64> = added.iter().filter(|p| p.0 == right).map(|p| f64::from(p.1)).collect();
                ends.push(at_end.iter().sum::<f64>() / at_end.len() as f64);
                shown = now;
            }
            // Height against log10(loss): through steps 1 and `steps`, the others within 3 px.
            let (l1, ln) = (loss[1].log10(), loss[steps].log10());
            let per_decade = (ends[steps - 1] - ends[0]) / (ln - l1);
            assert!(per_decade < -50.0, "{view:?}: higher loss is higher up: {per_decade} px a decade");
            for k in 1..=steps {
                let expected = ends[0] + (loss[k].log10() - l1) * per_decade;
                let got = ends[k - 1];
                assert!(
                    (got - expected).abs() <= 3.0,
                    "{view:?} {batch_size:?} step {k}: at y {got}, not {expected:.1}"
                );
            }
        }
    }
}

/// Batches are kept only for the trace and --show-batch; keeping them or not never changes a GIF.
#[test]
fn keeping_batches_changes_no_byte_and_the_trace_still_lists_them() {
    let data = Dataset::synthetic(&DataSpec::default());
    let train = TrainSettings { lr: 0.1, batch_size: BatchSize::Size(8), steps: 20, ..Default::default() };
    let scene_settings = SceneSettings { trail: 2, ..Default::default() };
    let scene = Scene::new(&data, &train, &scene_settings).unwrap();
    let kept = train_job(&data, &train);
    let dropped = train_job(&data, &TrainSettings { record_batches: false, ..train.clone() });
    assert!(kept.snapshots[1].batch.is_some() && dropped.snapshots.iter().all(|s| s.batch.is_none()));
    let gif = |run: &Run| write_gif(Vec::new(), &scene, run, &Timing::default(), None, &NoProgress).unwrap();
    assert_eq!(gif(&kept), gif(&dropped));
    // Through render(): the same GIF with and without a trace, and the trace has every batch.
    let dir = tempfile::tempdir().unwrap();
    let settings = RenderSettings { train, scene: scene_settings, ..Default::default() };
    let (plain, traced, trace) = (dir.path().join("a.gif"), dir.path().join("b.gif"), dir.path().join("b.json"));
    render(&settings, &plain, None, &NoProgress).unwrap();
    render(&settings, &traced, Some(&trace), &NoProgress).unwrap();
    assert_eq!(std::fs::read(&plain).unwrap(), std::fs::read(&traced).unwrap());
    let json = std::fs::read_to_string(&trace).unwrap();
    assert_eq!(json.matches("\"batch\": [").count(), 20, "{json}");
}

#[test]
fn a_grids_posters_are_its_gifs_last_frames() {
    // The line view shares the grid's scene; line+params draws each run over a scene of its own
    // (its own palette), so both ways to the poster are covered. lr 1.0 with batch size 1 diverges.
    for (view, width, height) in [(View::Line, 320, 240), (View::LineParams, 640, 300)] {
        let dir = tempfile::tempdir().unwrap();
        let scene = SceneSettings { width, height, view, ..Default::default() };
        let grid = GridSettings {
            base: RenderSettings { scene, ..settings(0.1, BatchSize::Full, 6) },
            lrs: vec![1.0],
            batch_sizes: vec![1, 16],
            out_dir: dir.path().to_path_buf(),
            ..Default::default()
        };
        let report = run_grid(&grid, &NoProgress).unwrap();
        assert!(report.failures().is_empty(), "{:?}", report.failures());
        for outcome in &report.outcomes {
            let gif = decode(&std::fs::read(&outcome.path).unwrap());
            let poster = image::open(outcome.path.with_extension("png")).unwrap().to_rgb8();
            assert_eq!((poster.width(), poster.height()), (gif.width, gif.height));
            let last = &gif.frames.last().unwrap().rgb;
            assert!(poster.as_raw() == last, "{}: the poster is not the last frame", outcome.path.display());
            assert!(&gif.frames[0].rgb != last, "the test would not see a poster of the first frame");
        }
    }
}
