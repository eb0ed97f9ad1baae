//! One frame's render and encode, and one whole animation, at the post's size.
//! `cargo bench --bench frame`; the whole-process benchmark against the peers is scripts/bench.sh.
//!
//! A plain harness (no criterion: it cost a newcomer's first `cargo test` a minute of CPU for
//! its dependencies). Each case is warmed up, then timed in batches until about a second has
//! passed; the median, the fastest and the slowest batch's time per iteration are printed.
//! `cargo bench --bench frame -- NAME` runs the cases whose name contains NAME.

use std::hint::black_box;
use std::time::{Duration, Instant};

use sgd_anim::internals::*;
use sgd_anim::*;

/// Times `f` and prints its median time per call over batches of calls.
fn bench(filter: Option<&str>, name: &str, mut f: impl FnMut()) {
    if filter.is_some_and(|filter| !name.contains(filter)) {
        return;
    }
    // Batch size: enough calls that one batch takes about 10 ms.
    let start = Instant::now();
    let mut calls = 0u32;
    while start.elapsed() < Duration::from_millis(100) {
        f();
        calls += 1;
    }
    let per_batch = (calls / 10).max(1);
    let mut samples = vec![];
    let start = Instant::now();
    while samples.len() < 30 || (start.elapsed() < Duration::from_secs(1) && samples.len() < 1000) {
        let batch = Instant::now();
        for _ in 0..per_batch {
            f();
        }
        samples.push(batch.elapsed() / per_batch);
    }
    samples.sort();
    let median = samples[samples.len() / 2];
    println!(
        "{name:<48} median {:>10.1?}   fastest {:>10.1?}   slowest {:>10.1?}   ({} batches of {per_batch})",
        median,
        samples[0],
        samples[samples.len() - 1],
        samples.len()
    );
}

fn main() {
    // `cargo bench` passes `--bench`; the first other argument filters the cases by name.
    let filter = std::env::args().skip(1).find(|arg| !arg.starts_with("--"));
    let filter = filter.as_deref();

    let data = Dataset::synthetic(&DataSpec::default());
    let scene = Scene::new(&data, &TrainSettings::default(), &SceneSettings::default()).unwrap();
    let run = train_job(&data, &TrainSettings { lr: 0.1, batch_size: BatchSize::Size(16), ..Default::default() });

    let frame40 = overlay(&run, 40, scene.settings());
    let mut canvas = scene.background().clone();
    let mut drawn = Rect::EMPTY;
    bench(filter, "render one frame (restore + line + caption)", || {
        canvas.restore(scene.background(), drawn);
        drawn = scene.draw_overlay(&mut canvas, &frame40).unwrap();
        black_box(drawn);
    });

    // Encode: alternate between two consecutive steps so every push is a real delta.
    let mut frames = vec![];
    for k in 40..42 {
        let mut canvas = scene.background().clone();
        let rect = scene.draw_overlay(&mut canvas, &overlay(&run, k, scene.settings())).unwrap();
        frames.push((canvas, rect));
    }
    let region = frames[0].1.union(frames[1].1);
    let mut encoder = DeltaEncoder::new(std::io::sink(), 640, 480, scene.palette(), &Timing::default()).unwrap();
    encoder.push(&frames[0].0, region, 2).unwrap();
    let mut k = 1;
    bench(filter, "encode one delta frame", || {
        encoder.push(&frames[k].0, region, 2).unwrap();
        k ^= 1;
    });

    let mut webp = WebpEncoder::new(Vec::new(), 640, 480, scene.palette(), &Timing::default()).unwrap();
    webp.push(&frames[0].0, region, Duration::from_millis(20)).unwrap();
    bench(filter, "encode one delta frame as WebP", || {
        webp.push(&frames[k].0, region, Duration::from_millis(20)).unwrap();
        k ^= 1;
    });

    bench(filter, "whole animation, 101 frames, into memory", || {
        black_box(write_gif(Vec::new(), &scene, &run, &Timing::default(), None, &NoProgress).unwrap().len());
    });
    bench(filter, "whole animation as WebP, 101 frames, into memory", || {
        let bytes = write_animation(Format::Webp, Vec::new(), &scene, &run, &Timing::default(), None, &NoProgress);
        black_box(bytes.unwrap().len());
    });
}
