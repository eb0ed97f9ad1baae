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

/// The replay of `log` with the look `scene`, decoded.
fn replayed(log: &Path, scene: &SceneSettings, out: &Path) -> common::Decoded {
    let settings = ReplaySettings { scene: scene.clone(), ..ReplaySettings::new(LogSource::File(log.to_path_buf())) };
    replay(&settings, out, &NoProgress).unwrap();
    common::decode(&std::fs::read(out).unwrap())
}

/// Keras' CSVLogger (an accuracy panel beside the loss panel: the caption names four metrics,
/// nearly as wide as a plot), Keras' event files, the Trainer's state and Lightning's CSV:
/// in every frame, every curve pixel of the replay without the step readout (the title kept,
/// so the panels lie where they do) shows in the replay with it. Before the caption could sit
/// above the other panels, Keras' caption covered the start of its val_accuracy curve.
#[test]
fn the_caption_never_covers_a_curve() {
    let dir = tempfile::tempdir().unwrap();
    let logs = [
        logs().join("keras_csv/training.log"),
        logs().join("tb_keras"),
        logs().join("hf/trainer_state.json"),
        logs().join("lightning/metrics.csv"),
    ];
    for log in &logs {
        let with = SceneSettings::default();
        let without = SceneSettings { readout: false, ..with.clone() };
        let shown = replayed(log, &with, &dir.path().join("with.gif"));
        let bare = replayed(log, &without, &dir.path().join("without.gif"));
        assert_eq!(shown.frames.len(), bare.frames.len());
        for k in 0..bare.frames.len() {
            let hidden: Vec<(i32, i32)> = curve_pixels(&bare, k)
                .into_iter()
                .filter(|&(x, y)| shown.pixel(k, x, y) != bare.pixel(k, x, y))
                .collect();
            assert!(
                hidden.is_empty(),
                "{}: frame {k}: the caption covers {} curve pixels, e.g. {:?}",
                log.display(),
                hidden.len(),
                hidden.first()
            );
        }
        // The check can fail: the caption is drawn somewhere.
        let differs = (0..bare.frames.len()).any(|k| shown.frames[k].rgb != bare.frames[k].rgb);
        assert!(differs, "{}: no caption drawn", log.display());
    }
}
