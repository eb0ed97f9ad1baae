//! One frame's render and encode, and one whole animation, at the post's size.
//! `cargo bench`; the whole-process benchmark against the peers is scripts/bench.sh.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use sgd_anim::internals::*;
use sgd_anim::*;

fn setup() -> (Dataset, Scene, Run) {
    let data = Dataset::synthetic(&DataSpec::default());
    let scene = Scene::new(&data, &TrainSettings::default(), &SceneSettings::default()).unwrap();
    let run = train_job(&data, &TrainSettings { lr: 0.1, batch_size: BatchSize::Size(16), ..Default::default() });
    (data, scene, run)
}

fn frame(c: &mut Criterion) {
    let (_, scene, run) = setup();
    let frame40 = overlay(&run, 40, scene.settings());
    let mut canvas = scene.background().clone();
    let mut drawn = Rect::EMPTY;
    c.bench_function("render one frame (restore + line + caption)", |b| {
        b.iter(|| {
            canvas.restore(scene.background(), drawn);
            drawn = scene.draw_overlay(&mut canvas, &frame40).unwrap();
            black_box(drawn)
        });
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
    c.bench_function("encode one delta frame", |b| {
        b.iter(|| {
            encoder.push(&frames[k].0, region, 2).unwrap();
            k ^= 1;
        });
    });

    c.bench_function("whole animation, 101 frames, into memory", |b| {
        b.iter(|| black_box(write_gif(Vec::new(), &scene, &run, &Timing::default(), None, &NoProgress).unwrap().len()));
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = frame
}
criterion_main!(benches);
