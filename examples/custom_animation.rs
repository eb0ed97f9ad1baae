//! One custom animation from Rust: Adam on the post's data, with the parameter panel beside
//! the line, written to a file.
//!
//! `cargo run --example custom_animation -- output/adam.gif` (default: output/adam.gif)

use sgd_anim::prelude::*;
use sgd_anim::NoProgress;

fn main() -> Result<(), Error> {
    let output = std::env::args().nth(1).unwrap_or_else(|| "output/adam.gif".into());
    let settings = RenderSettings {
        train: TrainSettings {
            lr: 0.5,
            batch_size: BatchSize::Size(16),
            steps: 60,
            optimizer: Optimizer::Adam { beta1: 0.9, beta2: 0.999 },
            ..Default::default()
        },
        scene: SceneSettings { width: 1280, view: View::LineParams, ..Default::default() },
        timing: Timing { delay_ms: 40, hold_ms: 2000, ..Default::default() },
        ..Default::default()
    };
    // Missing folders are created; an existing file is replaced only if it is a regular file.
    let outcome = render(&settings, std::path::Path::new(&output), None, &NoProgress)?;
    println!(
        "{}: slope {:.3}, intercept {:.3}, loss {:.4}",
        outcome.path.display(),
        outcome.final_slope,
        outcome.final_intercept,
        outcome.final_loss
    );
    Ok(())
}
