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

#[test]
fn the_line_is_where_the_parameters_put_it() {
    let s = settings(0.1, BatchSize::Size(8), 20);
    let bytes = render_to_vec(&s).unwrap();
    let gif = decode(&bytes);
    let data = Dataset::synthetic(&DataSpec::default());
    let run = train_job(&data, &s.train);
    let scene = Scene::new(&data, &s.train, &s.scene).unwrap();
    let blue = Theme::default().line;
    let area = scene.plot_area();
    for (k, snap) in run.snapshots.iter().enumerate() {
        let mut hits = 0;
        for x in [-0.6, -0.2, 0.3, 0.7] {
            let (px, py) = scene.to_pixel(x, snap.slope * x + snap.intercept);
            if py < area.y0 as i32 + 2 || py >= area.y1 as i32 - 2 {
                continue;
            }
            let near = (-1..=1).any(|dy| gif.pixel(k, px, py + dy) == blue);
            assert!(near, "frame {k}: no line colour near ({px}, {py})");
            hits += 1;
        }
        assert!(hits > 0 || k == 0, "frame {k} checked no point");
        // Far from the line, the plot shows no line colour.
        let (px, py) = scene.to_pixel(0.0, snap.intercept);
        let far = if py > (area.y0 + area.y1) as i32 / 2 { area.y0 as i32 + 3 } else { area.y1 as i32 - 3 };
        assert_ne!(gif.pixel(k, px, far), blue);
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
    for (case, (lr, batch, caption, trail, show_batch, view)) in cases.into_iter().enumerate() {
        let mut s = settings(lr, batch, 40);
        let width = 400 * view.panels();
        // The default caption cadence, and a caption that changes every frame.
        let caption_every = (case == 1).then_some(1);
        s.scene = SceneSettings {
            caption,
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
        let scene = Scene::new(&data, &s.train, &s.scene).unwrap();
        // A full redraw: the background, every step's progress up to k, then frame k's overlay.
        let mut base = scene.background().clone();
        for k in 0..run.snapshots.len() {
            scene.draw_progress(&mut base, &run, k).unwrap();
            let mut fresh = base.clone();
            scene.draw_overlay(&mut fresh, &overlay(&run, k, &s.scene, s.timing.frame_delay_cs())).unwrap();
            assert!(
                fresh.to_rgb(scene.palette()) == gif.frames[k].rgb,
                "lr {lr} trail {trail} frame {k} differs from a full redraw"
            );
        }
    }
}

/// The caption's numbers hold for 200 ms of playback (10 frames at 20 ms, 4 at 50 ms) and the
/// last frame shows the run's end; `caption_every` overrides the cadence.
#[test]
fn caption_numbers_change_at_a_readable_pace() {
    let strip = |gif: &common::Decoded, k: usize| {
        let row = gif.width as usize * 3;
        gif.frames[k].rgb[..28 * row].to_vec()
    };
    let changes = |s: &RenderSettings| {
        let gif = decode(&render_to_vec(s).unwrap());
        (1..gif.frames.len()).filter(|&k| strip(&gif, k) != strip(&gif, k - 1)).collect::<Vec<_>>()
    };
    let s = settings(0.1, BatchSize::Size(8), 25);
    assert_eq!(changes(&s), vec![10, 20, 25]);
    let slow = RenderSettings { timing: Timing { delay_ms: 50, ..Default::default() }, ..s.clone() };
    assert_eq!(changes(&slow), vec![4, 8, 12, 16, 20, 24, 25]);
    let mut every = s.clone();
    every.scene.caption_every = Some(1);
    assert_eq!(changes(&every), (1..=25).collect::<Vec<_>>());
    let mut none = s;
    none.scene.caption = false;
    assert_eq!(changes(&none), Vec::<usize>::new());
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
            let near_line = (-3..=3).any(|d| [theme.line, theme.trail()].contains(&gif.pixel(k, px, py + d)));
            assert!(near_line || gif.pixel(k, px, py) == theme.batch, "frame {k}: point {i} not highlighted");
        }
    }
    // The trail's colour appears once there are earlier lines, and not without --trail.
    assert!(count(6, theme.trail()) > 100);
    let plain = decode(&render_to_vec(&settings(0.1, BatchSize::Size(4), 12)).unwrap());
    assert_eq!(plain.frames[6].rgb.chunks(3).filter(|p| *p == theme.trail()).count(), 0);
    assert_eq!(plain.frames[6].rgb.chunks(3).filter(|p| *p == theme.batch).count(), 0);
}

#[test]
fn each_view_has_its_panels_and_frames() {
    for (view, panels) in [(View::Line, 1), (View::LineLoss, 2), (View::LineParams, 2), (View::All, 3)] {
        let mut s = settings(0.1, BatchSize::Size(16), 15);
        s.scene = SceneSettings { view, width: 420 * panels, height: 300, ..s.scene };
        let gif = decode(&render_to_vec(&s).unwrap());
        assert_eq!((gif.width, gif.height, gif.frames.len()), (420 * panels, 300, 16), "{view:?}");
    }
}

#[test]
fn the_path_marker_sits_at_the_current_parameters() {
    let mut s = settings(0.1, BatchSize::Size(8), 30);
    s.scene = SceneSettings { view: View::LineParams, width: 1280, caption: false, ..s.scene };
    let gif = decode(&render_to_vec(&s).unwrap());
    let data = Dataset::synthetic(&DataSpec::default());
    let run = train_job(&data, &s.train);
    let scene = Scene::new(&data, &s.train, &s.scene).unwrap();
    let blue = Theme::default().line;
    for (k, snap) in run.snapshots.iter().enumerate() {
        let (x, y) = scene.params_pixel(snap.slope, snap.intercept).unwrap();
        assert!(x >= 640, "the marker is in the second panel");
        assert_eq!(gif.pixel(k, x, y), blue, "frame {k}: no marker at ({x}, {y})");
    }
}

#[test]
fn the_loss_curve_grows_frame_by_frame() {
    let mut s = settings(0.1, BatchSize::Full, 20);
    s.scene = SceneSettings { view: View::LineLoss, width: 1280, caption: false, ..s.scene };
    let gif = decode(&render_to_vec(&s).unwrap());
    let blue = Theme::default().line;
    let right_panel_blue =
        |k: usize| (0..480).map(|y| (640..1280).filter(|&x| gif.pixel(k, x, y) == blue).count()).sum::<usize>();
    assert_eq!(right_panel_blue(0), 0, "no curve before the first step");
    let counts: Vec<usize> = (1..=20).map(right_panel_blue).collect();
    assert!(counts.windows(2).all(|w| w[1] >= w[0]) && counts[19] > counts[0], "{counts:?}");
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
    let gif = |run: &Run| write_gif(Vec::new(), &scene, run, &Timing::default(), &NoProgress).unwrap();
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
