//! `replay`: logged runs animated like our own. A trace replays to the very bytes `render`
//! wrote; other logs are checked against renders of the same run where the two coincide.

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

/// `render --trace t.json -o a.gif`, then `replay t.json -o b.gif`: the same bytes, for GD,
/// SGD, momentum and Adam, every view, a diverging run, the batch and the trail shown.
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
                settings.scene.caption_every = Some(1);
            }
            let rendered = render(&settings, &a, Some(&trace), &NoProgress).unwrap();
            let replayed = replay(&replay_like(&settings, &trace), &b, &NoProgress).unwrap();
            let what = format!("{} lr {lr} {view:?}", optimizer.name());
            assert!(std::fs::read(&a).unwrap() == std::fs::read(&b).unwrap(), "{what}: the GIFs differ");
            assert_eq!((rendered.label, rendered.verdict), (replayed.label, replayed.verdict), "{what}");
        }
    }
}
