//! Where the default set's time goes, stage by stage: the grid's 22 line animations (the
//! post's set, 101 frames each) drawn, diffed, compressed and written, each stage timed on its
//! own. `cargo bench --bench stages` (scripts/bench.sh runs it); `-- PASSES` sets the passes
//! over the set (default 3; each stage's median pass is shown).
//!
//! Each stage's time is CPU time of the bench's one thread (Linux: the scheduler's count, from
//! `/proc/thread-self/schedstat`; elsewhere wall time), so other processes on a busy machine do
//! not count; reading the clock costs about a microsecond a stage a frame.
//!
//! Stages, over the frames the grid makes:
//! - draw: [`Frames::next_frame`], the frame drawn over the scene;
//! - diff: [`changed_box`], the box of the pixels that differ from the frame shown before, read
//!   only inside the frame's regions (run
//!   once more on the same frames, apart from the encoder, which runs the same function);
//! - LZW: the rest of [`DeltaEncoder::push_regions`] (the encoder's time less the diff): the two
//!   fillings of the unchanged pixels, the LZW streams, the GIF's blocks;
//! - write: [`write_bytes_atomic`] of each finished GIF into a temporary folder (temporary
//!   file, fsync, rename), the grid's way of writing a file.
//!
//! Training, the scene's layout, posters, comparisons and pages are left out (the issue's
//! profile puts training, PNGs and pages together under 2 %; the comparisons are their own
//! animations of the same stages).

use std::io::{Read, Seek};
use std::time::{Duration, Instant};

use sgd_anim::cli::plan;
use sgd_anim::internals::*;
use sgd_anim::*;

/// The time of each stage over one pass.
#[derive(Debug, Default, Clone, Copy)]
struct Stages {
    draw: Duration,
    diff: Duration,
    encode: Duration,
    write: Duration,
    /// The write's wall time: fsync waits for the disk, off the CPU.
    write_wall: Duration,
}

/// This thread's CPU time where the system counts it (Linux), else the wall time.
struct Clock {
    schedstat: Option<std::fs::File>,
    started: Instant,
    text: String,
}

impl Clock {
    fn new() -> Clock {
        let schedstat = std::fs::File::open("/proc/thread-self/schedstat").ok();
        let mut clock = Clock { schedstat, started: Instant::now(), text: String::new() };
        if clock.cpu().is_none() {
            clock.schedstat = None;
        }
        clock
    }

    /// Nanoseconds on a CPU, the first number of schedstat.
    fn cpu(&mut self) -> Option<Duration> {
        let file = self.schedstat.as_mut()?;
        self.text.clear();
        file.rewind().ok()?;
        file.read_to_string(&mut self.text).ok()?;
        self.text.split_whitespace().next()?.parse().ok().map(Duration::from_nanos)
    }

    fn now(&mut self) -> Duration {
        self.cpu().unwrap_or_else(|| self.started.elapsed())
    }

    fn kind(&self) -> &'static str {
        if self.schedstat.is_some() {
            "CPU time"
        } else {
            "wall time"
        }
    }
}

/// One job of the set, trained, with its scene and comment.
struct Job {
    name: String,
    scene: Scene,
    run: Run,
    comment: String,
    timing: Timing,
}

fn jobs() -> Vec<Job> {
    let grid = GridSettings::default();
    plan(&grid)
        .iter()
        .map(|job| {
            let settings = grid.job(job);
            let data = settings.data.load().unwrap();
            let run = train_job(&data, &settings.train);
            let scene = Scene::for_run(&data, &run, &settings.scene_settings()).unwrap();
            let comment = settings.comment(data.len());
            Job { name: job.file_name.clone(), scene, run, comment, timing: settings.timing }
        })
        .collect()
}

/// One pass over the set; the GIFs go into `dir`. Returns the stages' times, the frames and
/// the bytes written.
fn pass(jobs: &[Job], dir: &std::path::Path, clock: &mut Clock) -> (Stages, usize, usize) {
    let mut t = Stages::default();
    let (mut frames_done, mut bytes) = (0, 0);
    for job in jobs {
        let scene = &job.scene;
        let (width, height) = (scene.background().width, scene.background().height);
        let mut encoder = DeltaEncoder::new(Vec::new(), width, height, scene.palette(), &job.timing).unwrap();
        encoder.comment(&job.comment).unwrap();
        let mut frames = scene.frames(&job.run);
        let mut shown: Option<Canvas> = None;
        loop {
            let start = clock.now();
            let Some(frame) = frames.next_frame().unwrap() else { break };
            t.draw += clock.now() - start;

            let delay = if frame.last { job.timing.last_delay_cs() } else { job.timing.frame_delay_cs() };
            let start = clock.now();
            encoder.push_regions(frame.canvas, frame.regions, delay).unwrap();
            t.encode += clock.now() - start;

            // The encoder diffs every frame but the first (written whole) against what it shows.
            match &mut shown {
                None => shown = Some(frame.canvas.clone()),
                Some(shown) => {
                    let start = clock.now();
                    std::hint::black_box(changed_box(&shown.pixels, frame.canvas, frame.regions));
                    t.diff += clock.now() - start;
                    for &region in frame.regions {
                        shown.restore(frame.canvas, region);
                    }
                }
            }
            frames_done += 1;
        }
        let gif = encoder.finish().unwrap();
        let start = (clock.now(), Instant::now());
        write_bytes_atomic(&dir.join(&job.name), &gif).unwrap();
        t.write += clock.now() - start.0;
        t.write_wall += start.1.elapsed();
        bytes += gif.len();
    }
    (t, frames_done, bytes)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    // `cargo bench` passes `--bench`; the first other argument is the number of passes.
    let passes = std::env::args().skip(1).find(|arg| !arg.starts_with("--"));
    let passes: usize = passes.map_or(3, |p| p.parse().expect("the number of passes, a whole number")).max(1);
    let jobs = jobs();
    let dir = tempfile::tempdir().unwrap();
    let mut clock = Clock::new();
    pass(&jobs, dir.path(), &mut clock); // warm-up: the encoder's buffers, the page cache, the folder
    let runs: Vec<(Stages, usize, usize)> = (0..passes).map(|_| pass(&jobs, dir.path(), &mut clock)).collect();
    let (frames, bytes) = (runs[0].1, runs[0].2);
    let stage = |f: fn(&Stages) -> Duration| median(runs.iter().map(|r| f(&r.0)).collect());
    let (draw, diff, encode, write) = (stage(|s| s.draw), stage(|s| s.diff), stage(|s| s.encode), stage(|s| s.write));
    let write_wall = stage(|s| s.write_wall);
    let lzw = encode.saturating_sub(diff);
    let total = draw + encode + write;
    println!(
        "stage breakdown: {} line animations, {frames} frames, {:.2} MB of GIF; {} of one thread, median of {passes} passes",
        jobs.len(),
        bytes as f64 / 1e6,
        clock.kind()
    );
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let row = |name: &str, d: Duration, note: &str| {
        println!("  {name:<6} {:>8.1} ms  {:>5.1} %   {note}", ms(d), 100.0 * ms(d) / ms(total));
    };
    row("draw", draw, "Frames::next_frame");
    row("diff", diff, "changed_box, the encoder's diff, run apart");
    row("LZW", lzw, "the encoder less the diff: fillings, LZW streams, GIF blocks");
    let note = format!("write_bytes_atomic: temporary file, fsync, rename ({:.1} ms of wall time)", ms(write_wall));
    row("write", write, &note);
    println!("  {:<6} {:>8.1} ms  100.0 %", "total", ms(total));
}
