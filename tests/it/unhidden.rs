//! Nothing hides what matters: the caption never covers a pixel of a run's line or a data
//! marker in any frame, and a line that leaves the plot leaves a mark saying where it went.

use sgd_anim::internals::*;
use sgd_anim::*;

/// Every frame of `run` over a scene of `settings`, as palette indices (a scene's palette
/// does not depend on whether frames carry a caption).
fn frames_of(data: &Dataset, run: &Run, settings: &SceneSettings) -> (Scene, Vec<Canvas>) {
    let scene = Scene::for_run(data, run, settings).unwrap();
    let mut frames = scene.frames(run);
    let mut all = vec![];
    while let Some(frame) = frames.next_frame().unwrap() {
        all.push(frame.canvas.clone());
    }
    (scene, all)
}

/// `render --lr 1.0 --batch-size 16` and a run of each view (with a trail and the batch
/// shown), drawn with and without the per-frame caption (the title stays, so the layout
/// does too): every pixel of the line panel's plot that the captionless frame draws (a line,
/// a trail, a marker, a batch point, the off-plot mark) is the same in the captioned frame.
#[test]
fn the_caption_covers_no_line_and_no_marker_in_any_frame() {
    let data = Dataset::synthetic(&DataSpec::default());
    let cases = [
        (1.0, 16, View::Line, 0, false),
        (1.0, 4, View::Line, 0, false),
        (0.01, 16, View::Line, 0, false),
        (0.1, 1, View::LineLoss, 4, true),
        (1.0, 8, View::LineParams, 0, true),
        (0.1, 16, View::All, 5, true),
    ];
    for (lr, b, view, trail, show_batch) in cases {
        let train = TrainSettings { lr, batch_size: BatchSize::Size(b), ..Default::default() };
        let run = train_job(&data, &train);
        let settings = SceneSettings {
            view,
            width: 640 * view.panels(),
            trail,
            show_batch,
            truth: Some((3.0, 10.0)),
            ..Default::default()
        };
        let (scene, captioned) = frames_of(&data, &run, &settings);
        let (_, bare) = frames_of(&data, &run, &SceneSettings { readout: false, ..settings.clone() });
        let page = scene.palette().index_of(Theme::default().background).unwrap();
        let inner = scene.plot_area();
        let mut drawn = 0usize;
        for (k, (with, without)) in captioned.iter().zip(&bare).enumerate() {
            for y in inner.y0..inner.y1 {
                for x in inner.x0..inner.x1 {
                    let i = (y * with.width + x) as usize;
                    if without.pixels[i] == page {
                        continue;
                    }
                    drawn += 1;
                    assert_eq!(
                        with.pixels[i], without.pixels[i],
                        "lr {lr} bs {b} {view:?} frame {k}: the caption covers ({x}, {y})"
                    );
                }
            }
        }
        assert!(drawn > 100 * captioned.len(), "lr {lr} bs {b} {view:?}: the test saw only {drawn} pixels");
    }
}

/// `render --lr 1.0 --batch-size 16` overshoots: in many frames the line is outside the
/// axes. Each such frame has the mark at the edge the line left through (an arrow in the
/// line's colour at the edge, "line above" or "line below" in black on the page); a frame
/// whose line is in view has none.
#[test]
fn a_line_outside_the_axes_is_marked_where_it_left() {
    let data = Dataset::synthetic(&DataSpec::default());
    let train = TrainSettings { lr: 1.0, batch_size: BatchSize::Size(16), ..Default::default() };
    let run = train_job(&data, &train);
    let scene = Scene::new(&data, &train, &SceneSettings::default()).unwrap();
    let (y_lo, y_hi) = scene.ranges().1;
    let inner = scene.plot_area();
    let theme = Theme::default();
    let mut frames = scene.frames(&run);
    let (mut outside, mut k) = (0, 0);
    while let Some(frame) = frames.next_frame().unwrap() {
        let snap = &run.snapshots[k];
        let line = (snap.slope, snap.intercept);
        let rgb = frame.canvas.to_rgb(scene.palette());
        let at = |x: f64, y: f64| {
            let i = ((y as u32) * frame.canvas.width + x as u32) as usize * 3;
            [rgb[i], rgb[i + 1], rgb[i + 2]]
        };
        if scene.line_ends(line).is_some() {
            assert!(frame.note.is_none() && scene.off_plot(line).is_none(), "frame {k}: the line is in view");
        } else {
            outside += 1;
            let mark = scene.off_plot(line).expect("a mark");
            let note = frame.note.expect("a note");
            let middle = snap.slope * 0.0 + snap.intercept;
            let want = if middle > y_hi { "line above" } else { "line below" };
            assert!(middle > y_hi || middle < y_lo, "frame {k}");
            assert_eq!(note.text, want, "frame {k}");
            // The arrow's tip is on the edge it names, in the line's colour.
            let (tip, tail) = mark.arrow;
            let edge = if want == "line above" { f64::from(inner.y0) } else { f64::from(inner.y1) };
            assert!((tip.1 - edge).abs() <= 1.5 && (tail.1 - tip.1).abs() >= 5.0, "frame {k}: {:?}", mark.arrow);
            assert_eq!(at(tip.0, (tip.1 + tail.1) / 2.0), theme.line, "frame {k}: no arrow");
            // The words are drawn: black pixels inside the note's box.
            let (l, t, r, b) = note.bounds;
            let black = (t as u32..b as u32)
                .flat_map(|y| (l as u32..r as u32).map(move |x| (x, y)))
                .filter(|&(x, y)| at(f64::from(x), f64::from(y)) == theme.foreground)
                .count();
            assert!(black > 20, "frame {k}: the note has {black} black pixels");
        }
        k += 1;
    }
    assert!(outside >= 20, "lr 1.0 bs 16 has its line outside in {outside} frames");
}

/// The grid's posters (last frames) of lr 1.0 never show an empty plot without words: the
/// line, or the mark that says where it went.
#[test]
fn no_poster_shows_an_empty_plot_without_words() {
    let data = Dataset::synthetic(&DataSpec::default());
    let grid = GridSettings::default();
    for &b in &grid.batch_sizes {
        for &lr in &grid.lrs {
            let train = TrainSettings { lr, batch_size: BatchSize::Size(b), ..grid.base.train.clone() };
            let run = train_job(&data, &train);
            let scene = Scene::new(&data, &train, &grid.base.scene_settings()).unwrap();
            let last = run.snapshots.last().unwrap();
            let line = (last.slope, last.intercept);
            assert!(
                scene.line_ends(line).is_some() || scene.off_plot(line).is_some(),
                "lr {lr} bs {b}: the poster shows neither the line nor where it went"
            );
        }
    }
}

/// The scatter's markers are matplotlib's: measured as `scripts/marker_size.py` measures
/// matplotlib's frame of the same data (tests/data/markers.json: the orange coverage around
/// each point with no other within 16 px, as a disc's diameter), within 0.3 px.
#[test]
fn markers_are_matplotlibs_size() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/markers.json");
    let reference: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let want = reference["diameter_px"].as_f64().unwrap();
    let data = Dataset::synthetic(&DataSpec::default());
    let scene = Scene::new(&data, &TrainSettings::default(), &SceneSettings::default()).unwrap();
    let rgb = scene.background().to_rgb(scene.palette());
    let width = scene.background().width as i64;
    let centres: Vec<(f64, f64)> =
        data.x.iter().zip(&data.y).map(|(&x, &y)| scene.line_panel().to_point(x, y)).collect();
    let mut diameters = vec![];
    for (i, &(cx, cy)) in centres.iter().enumerate() {
        let alone = centres.iter().enumerate().all(|(j, &(x, y))| j == i || (x - cx).hypot(y - cy) >= 16.0);
        if !alone {
            continue;
        }
        let (x0, y0) = (cx.round() as i64 - 10, cy.round() as i64 - 10);
        let area: f64 = (y0..y0 + 20)
            .flat_map(|y| (x0..x0 + 20).map(move |x| (x, y)))
            .map(|(x, y)| 1.0 - f64::from(rgb[((y * width + x) * 3 + 2) as usize]) / 255.0)
            .sum();
        diameters.push(2.0 * (area / std::f64::consts::PI).sqrt());
    }
    assert!(diameters.len() >= 5, "{} isolated markers", diameters.len());
    diameters.sort_by(f64::total_cmp);
    let ours = diameters[diameters.len() / 2];
    assert!((ours - want).abs() <= 0.3, "markers {ours:.2} px across, matplotlib's {want:.2}");
}
