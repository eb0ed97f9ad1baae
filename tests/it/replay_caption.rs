//! A replayed log's caption never covers its curves: every pixel a curve draws in a frame
//! without the caption is the same in the frame with it.

use crate::common;
use sgd_anim::*;
use std::path::{Path, PathBuf};

fn logs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/logs")
}

/// matplotlib's first colours: the curves' inks (and nothing else a curves panel draws).
const INKS: [[u8; 3]; 4] = [[0x1f, 0x77, 0xb4], [0xff, 0x7f, 0x0e], [0x2c, 0xa0, 0x2c], [0xd6, 0x27, 0x28]];

/// The pixels of frame `k` in a curve's colour.
fn curve_pixels(gif: &common::Decoded, k: usize) -> Vec<(i32, i32)> {
    let mut at = vec![];
    for y in 0..gif.height as i32 {
        for x in 0..gif.width as i32 {
            if INKS.contains(&gif.pixel(k, x, y)) {
                at.push((x, y));
            }
        }
    }
    at
}

/// The replay of `log` (its series `metrics`, or all) with the look `scene`, decoded.
fn replayed(log: &Path, metrics: Option<&[&str]>, scene: &SceneSettings, out: &Path) -> common::Decoded {
    let settings = ReplaySettings {
        scene: scene.clone(),
        metrics: metrics.map(|m| m.iter().map(|s| s.to_string()).collect()),
        ..ReplaySettings::new(LogSource::File(log.to_path_buf()))
    };
    replay(&settings, out, &NoProgress).unwrap();
    common::decode(&std::fs::read(out).unwrap())
}

/// Keras' CSVLogger (an accuracy panel beside the loss panel: the caption names four metrics,
/// nearly as wide as a plot), Keras' event files, the Trainer's state and Lightning's CSV at
/// 640x480 a panel, and Keras' losses alone in panels 200 and 260 pixels wide: in every frame,
/// every curve pixel of the replay without the step readout (the title kept, so the panels
/// lie where they do) shows in the replay with it. Before the caption could sit above the
/// other panels, Keras' caption covered the start of its val_accuracy curve; before it could
/// shorten to its step, the narrow panels' covered the end of the loss curve.
#[test]
fn the_caption_never_covers_a_curve() {
    let dir = tempfile::tempdir().unwrap();
    let keras = logs().join("keras_csv/training.log");
    let losses: &[&str] = &["loss", "val_loss"];
    let full = SceneSettings::default();
    let narrow = |width: u32| SceneSettings { width, height: 200, ..Default::default() };
    let cases = [
        (keras.clone(), None, full.clone()),
        (logs().join("tb_keras"), None, full.clone()),
        (logs().join("hf/trainer_state.json"), None, full.clone()),
        (logs().join("lightning/metrics.csv"), None, full.clone()),
        (keras.clone(), Some(losses), narrow(200)),
        (keras.clone(), Some(losses), narrow(260)),
        (keras, Some(losses), narrow(320)),
    ];
    for (log, metrics, with) in &cases {
        let what = format!("{} at {}x{}", log.display(), with.width, with.height);
        let without = SceneSettings { readout: false, ..with.clone() };
        let shown = replayed(log, *metrics, with, &dir.path().join("with.gif"));
        let bare = replayed(log, *metrics, &without, &dir.path().join("without.gif"));
        assert_eq!(shown.frames.len(), bare.frames.len());
        for k in 0..bare.frames.len() {
            let hidden: Vec<(i32, i32)> = curve_pixels(&bare, k)
                .into_iter()
                .filter(|&(x, y)| shown.pixel(k, x, y) != bare.pixel(k, x, y))
                .collect();
            assert!(
                hidden.is_empty(),
                "{what}: frame {k}: the caption covers {} curve pixels, e.g. {:?}",
                hidden.len(),
                hidden.first()
            );
        }
        // The check can fail: the caption is drawn somewhere.
        let differs = (0..bare.frames.len()).any(|k| shown.frames[k].rgb != bare.frames[k].rgb);
        assert!(differs, "{what}: no caption drawn");
    }
}

/// A narrow panel of curves shows its step alone where every number would cover a curve;
/// where the numbers fit clear of the curves, they are shown.
#[test]
fn a_narrow_panel_of_curves_shows_its_step_alone() {
    use sgd_anim::internals::{PanelKind, Scene};
    let log = LogSource::File(logs().join("keras_csv/training.log"));
    let options = ReadOptions { metrics: Some(vec!["loss".into(), "val_loss".into()]), ..Default::default() };
    let r = read_log(&log, None, &options).unwrap();
    let captions_at = |width: u32| {
        let settings = SceneSettings { width, height: 200, label: r.label.clone(), ..Default::default() };
        let scene = Scene::with_curves(
            &Dataset { x: vec![], y: vec![] },
            &r.run,
            &r.curves,
            &[PanelKind::Curves(0)],
            &settings,
        )
        .unwrap();
        let mut frames = scene.frames(&r.run);
        let mut captions = vec![];
        while let Some(frame) = frames.next_frame().unwrap() {
            captions.push(frame.caption.map(|c| c.text.clone()).unwrap_or_default());
        }
        captions
    };
    assert_eq!(captions_at(200).last().map(String::as_str), Some("epoch 7/7"));
    let wide = captions_at(640);
    assert!(wide[7].starts_with("epoch 7/7   loss 0.543   val_loss 0.693"), "{wide:?}");
}
