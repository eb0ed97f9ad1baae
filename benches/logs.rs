//! How fast `replay` reads the logs: a 100 MB TensorBoard event file, and 100 MB of JSON Lines
//! and of CSV, each made in memory and read three times; the best time and its MB/s printed.
//! Then the peak memory reading an event file of 10 MB and of 100 MB from a file, keeping
//! about 2,000 frames of each: flat when the reading streams.
//! `cargo bench --bench logs` (`-- NAME` runs the cases whose name contains NAME).
//!
//! The goals (issue 18): an event file of 100 MB in under a second, JSON Lines and CSV at
//! 100 MB/s or more, on the 2 cores of a small machine.

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use sgd_anim::internals::{simple_event, tfrecord_frame};
use sgd_anim::*;

const TARGET_BYTES: usize = 100_000_000;

/// Reads `bytes` as a log three times; prints the best time and the rate.
fn bench(filter: Option<&str>, name: &str, bytes: &[u8], every: usize) {
    if filter.is_some_and(|filter| !name.contains(filter)) {
        return;
    }
    let options = ReadOptions { every, ..Default::default() };
    let mut best = Duration::MAX;
    let mut frames = 0;
    for _ in 0..3 {
        let start = Instant::now();
        let replay = read_log_from(bytes, Path::new(name), None, &options).expect("the log reads");
        best = best.min(start.elapsed());
        frames = black_box(replay).curves.len();
    }
    let megabytes = bytes.len() as f64 / 1e6;
    println!(
        "{name:<28} {megabytes:>6.1} MB in {:>7.3} s: {:>7.1} MB/s ({frames} frames kept)",
        best.as_secs_f64(),
        megabytes / best.as_secs_f64()
    );
}

/// The most memory reading an event file of `megabytes` MB (written to a file) takes: the
/// process's peak resident memory (Linux's `VmHWM`, reset to what it holds before reading).
fn memory(filter: Option<&str>, megabytes: usize) {
    let name = format!("event file memory {megabytes} MB");
    if filter.is_some_and(|filter| !name.contains(filter)) {
        return;
    }
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("events.out.tfevents.1.bench");
    let (bytes, steps) = event_file(megabytes * 1_000_000);
    std::fs::write(&path, &bytes).expect("the event file is written");
    drop(bytes);
    let status = |key: &str| -> Option<u64> {
        let text = std::fs::read_to_string("/proc/self/status").ok()?;
        let line = text.lines().find(|l| l.starts_with(key))?;
        line.split_whitespace().nth(1)?.parse().ok()
    };
    // Writing 5 to clear_refs resets the peak to the memory held now.
    let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
    let before = status("VmRSS:");
    // The frames kept are what memory must hold: the same number for both sizes.
    let options = ReadOptions { every: steps.div_ceil(2_000).max(1), ..Default::default() };
    let replay = read_log(&LogSource::File(path), None, &options).expect("the log reads");
    let peak = status("VmHWM:");
    let frames = black_box(replay).curves.len();
    match (reset, before, peak) {
        (true, Some(before), Some(peak)) => println!(
            "{name:<28} peak resident memory {:>6.1} MB ({:.1} MB before reading; {frames} frames kept)",
            peak as f64 / 1024.0,
            before as f64 / 1024.0
        ),
        _ => println!("{name:<28} peak memory not measured (no /proc/self/clear_refs)"),
    }
}

/// An event file of about `target` bytes: a step an event per tag, 20 tags, as PyTorch writes them.
fn event_file(target: usize) -> (Vec<u8>, usize) {
    let tags: Vec<String> = (0..20).map(|k| format!("train/metric_{k}")).collect();
    let mut bytes = Vec::with_capacity(target + 1000);
    let mut step = 0i64;
    while bytes.len() < target {
        for (k, tag) in tags.iter().enumerate() {
            let value = 1.0 / (1.0 + step as f32) + k as f32;
            bytes.extend_from_slice(&tfrecord_frame(&simple_event(step, &[(tag, value)])));
        }
        step += 1;
    }
    (bytes, step as usize)
}

/// About 100 MB of JSON Lines: a step, a loss, a validation loss and the learning rate a line.
fn json_lines() -> (Vec<u8>, usize) {
    let mut text = String::with_capacity(TARGET_BYTES + 1000);
    let mut step = 0usize;
    while text.len() < TARGET_BYTES {
        let loss = 2.0 / (1.0 + step as f64 * 0.001);
        text.push_str(&format!(
            "{{\"step\": {step}, \"loss\": {loss}, \"val_loss\": {}, \"lr\": 0.001}}\n",
            loss * 1.1
        ));
        step += 1;
    }
    (text.into_bytes(), step)
}

/// About 100 MB of CSV with the same columns.
fn csv() -> (Vec<u8>, usize) {
    let mut text = String::with_capacity(TARGET_BYTES + 1000);
    text.push_str("step,loss,val_loss,lr\n");
    let mut step = 0usize;
    while text.len() < TARGET_BYTES {
        let loss = 2.0 / (1.0 + step as f64 * 0.001);
        text.push_str(&format!("{step},{loss},{},0.001\n", loss * 1.1));
        step += 1;
    }
    (text.into_bytes(), step)
}

fn main() {
    let filter = std::env::args().skip(1).find(|arg| !arg.starts_with("--"));
    let filter = filter.as_deref();
    // Keep every k-th step so the frames fit an animation; reading is what is timed.
    let every = |steps: usize| steps.div_ceil(50_000).max(1);
    // Memory first, while the process holds little.
    if filter.is_none_or(|f| "event file memory 10 MB event file memory 100 MB".contains(f)) {
        memory(filter, 10);
        memory(filter, 100);
    }
    if filter.is_none_or(|f| "event file".contains(f)) {
        let (bytes, steps) = event_file(TARGET_BYTES);
        bench(filter, "event file", &bytes, every(steps));
    }
    if filter.is_none_or(|f| "json lines".contains(f)) {
        let (bytes, steps) = json_lines();
        bench(filter, "json lines", &bytes, every(steps));
    }
    if filter.is_none_or(|f| "csv".contains(f)) {
        let (bytes, steps) = csv();
        bench(filter, "csv", &bytes, every(steps));
    }
}
