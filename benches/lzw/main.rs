//! The LZW encoder alone, over the streams the default set gives it: the grid's 22 line
//! animations (the post's set) are drawn once, and each frame becomes the streams
//! `DeltaEncoder::push` would compress (the first frame whole; each later frame's changed box
//! twice: the changed pixels with what is shown under the others as alternates, and the
//! "stretches" filling without). Then only `LzwEncoder::encode_with_alternates` is timed.
//! `cargo bench --bench lzw -- [PASSES]` (default 5).
//!
//! Every trial of `push` is encoded here, including those the encoder skips once a filling
//! has settled, so this is a little more work than the grid's. Before each stream its input
//! is copied into working buffers, untimed, as `push` leaves them (just written or read, in
//! the processor's caches): copies made once, long before, would be read from memory.
//! Each stream is timed alone (wall time, a monotonic clock read in tens of nanoseconds),
//! and the sum of each stream's fastest pass is the figure least disturbed by other
//! processes; the sum of medians is shown beside it.

use std::time::{Duration, Instant};

use sgd_anim::cli::plan;
use sgd_anim::internals::*;
use sgd_anim::*;

/// One stream for the encoder, as `DeltaEncoder::push` makes it.
struct Stream {
    data: Vec<u8>,
    /// What is shown under the box (row by row, copied out), when the stream may use it.
    shown: Option<Vec<u8>>,
    code_size: u8,
    transparent: u8,
}

/// The streams of every frame of the set's line animations.
fn corpus() -> Vec<Stream> {
    let grid = GridSettings::default();
    let mut streams = Vec::new();
    for job in plan(&grid) {
        let settings = grid.job(&job);
        let data = settings.data.load().unwrap();
        let run = train_job(&data, &settings.train);
        let scene = Scene::for_run(&data, &run, &settings.scene_settings()).unwrap();
        let t = scene.palette().transparent_index();
        let mut frames = scene.frames(&run);
        let mut shown: Option<Canvas> = None;
        while let Some(frame) = frames.next_frame().unwrap() {
            let canvas = frame.canvas;
            let Some(before) = &mut shown else {
                let code_size = min_code_size(&canvas.pixels).max(min_code_size(&[t]));
                streams.push(Stream { data: canvas.pixels.clone(), shown: None, code_size, transparent: t });
                shown = Some(canvas.clone());
                continue;
            };
            let mut rect = changed_box(&before.pixels, canvas, frame.regions);
            if rect.is_empty() {
                rect = Rect { x0: 0, y0: 0, x1: 1, y1: 1 };
            }
            let w = canvas.width as usize;
            let (mut data, mut now) = (Vec::new(), Vec::new());
            for y in rect.y0 as usize..rect.y1 as usize {
                let row = y * w + rect.x0 as usize..y * w + rect.x1 as usize;
                let (new, old) = (&canvas.pixels[row.clone()], &before.pixels[row]);
                data.extend(new.iter().zip(old).map(|(&n, &o)| if n == o { t } else { n }));
                now.extend_from_slice(new);
            }
            let top = data.iter().copied().max().unwrap_or(t).max(t);
            let (stretches, top_stretches) = fill_stretches(&data, &now, t);
            streams.push(Stream { data, shown: Some(now), code_size: min_code_size(&[top]), transparent: t });
            let code_size = min_code_size(&[top_stretches.max(top)]);
            streams.push(Stream { data: stretches, shown: None, code_size, transparent: t });
            for &region in frame.regions {
                before.restore(canvas, region);
            }
        }
    }
    streams
}

/// gif.rs's second filling: a stretch of transparent pixels that shows one colour takes it.
fn fill_stretches(data: &[u8], shown: &[u8], t: u8) -> (Vec<u8>, u8) {
    let (mut out, mut top) = (data.to_vec(), 0);
    let mut i = 0;
    while i < data.len() {
        if data[i] != t {
            i += 1;
            continue;
        }
        let end = i + leading(&data[i..], t);
        let colour = shown[i];
        if leading(&shown[i..end], colour) == end - i {
            out[i..end].fill(colour);
            top = top.max(colour);
        }
        i = end;
    }
    (out, top)
}

fn median(v: &mut [Duration]) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// Copies a stream into the working buffers, as `push` leaves them for the encoder.
fn prepare<'a>(s: &Stream, data: &'a mut Vec<u8>, shown: &'a mut Vec<u8>) -> (&'a [u8], Option<&'a [u8]>) {
    data.clone_from(&s.data);
    let shown = s.shown.as_ref().map(|copy| {
        shown.clone_from(copy);
        shown.as_slice()
    });
    (data.as_slice(), shown)
}

fn main() {
    let passes = std::env::args().skip(1).find(|arg| !arg.starts_with("--"));
    let passes: usize = passes.map_or(5, |p| p.parse().expect("the number of passes, a whole number")).max(1);
    let streams = corpus();
    let mut encoder = LzwEncoder::default();
    let mut out = Vec::new();
    let (mut total_codes, mut total_bytes) = (0, 0);
    for s in &streams {
        out.clear();
        encoder.encode_with_alternates(
            &s.data,
            s.shown.as_deref().map(Into::into),
            s.code_size,
            s.transparent,
            &mut out,
        );
        total_codes += stream_codes(&out, s.code_size).len();
        total_bytes += out.len();
    }
    let symbols: usize = streams.iter().map(|s| s.data.len()).sum();
    println!(
        "LZW corpus: {} streams, {:.1} M symbols in, {:.2} M codes, {:.2} MB out",
        streams.len(),
        symbols as f64 / 1e6,
        total_codes as f64 / 1e6,
        total_bytes as f64 / 1e6
    );
    let (mut data, mut shown) = (Vec::new(), Vec::new());
    // times[stream][pass]
    let mut times = vec![Vec::with_capacity(passes); streams.len()];
    for _ in 0..passes {
        for (s, t) in streams.iter().zip(&mut times) {
            let (data, shown) = prepare(s, &mut data, &mut shown);
            out.clear();
            let start = Instant::now();
            encoder.encode_with_alternates(data, shown.map(Into::into), s.code_size, s.transparent, &mut out);
            t.push(start.elapsed());
        }
    }
    let fastest: Duration = times.iter().map(|t| t.iter().copied().min().unwrap_or_default()).sum();
    let middle: Duration = times.iter_mut().map(|t| median(t)).sum();
    let per_code = |d: Duration| d.as_secs_f64() * 1e9 / total_codes as f64;
    println!("encode_with_alternates, wall time of each stream, summed over the streams ({passes} passes):");
    println!("  fastest {:>7.1} ms  {:>5.1} ns a code", fastest.as_secs_f64() * 1e3, per_code(fastest));
    println!("  median  {:>7.1} ms  {:>5.1} ns a code", middle.as_secs_f64() * 1e3, per_code(middle));
}
