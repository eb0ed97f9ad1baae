//! Bad input, divergence and faults: clear errors, nothing lost, never a panic.

mod common;

use assert_cmd::Command;
use proptest::prelude::*;
use sgd_anim::internals::*;
use sgd_anim::*;
use std::path::Path;
use std::time::Duration;

fn bin() -> std::path::PathBuf {
    assert_cmd::cargo::cargo_bin("sgd-anim")
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

/// A long render, stopped by `signal` part-way: the old file under the final name is untouched.
fn interrupt_long_render(signal: &str) -> (std::process::ExitStatus, Vec<String>, bool) {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("x.gif");
    std::fs::write(&target, b"the old file").unwrap();
    let mut child = std::process::Command::new(bin())
        .args(["render", "-q", "--force", "--steps", "100000", "--width", "1200", "--height", "900", "-o"])
        .arg(&target)
        .spawn()
        .unwrap();
    // Wait until the temporary file exists and has data, so the kill lands mid-write.
    let started = std::time::Instant::now();
    while started.elapsed() < Duration::from_secs(20) {
        let growing = files_in(dir.path()).iter().any(|n| {
            n.ends_with(".tmp") && std::fs::metadata(dir.path().join(n)).map(|m| m.len() > 0).unwrap_or(false)
        });
        if growing {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    std::process::Command::new("kill").args([signal, &child.id().to_string()]).status().unwrap();
    let status = child.wait().unwrap();
    let intact = std::fs::read(&target).unwrap() == b"the old file";
    (status, files_in(dir.path()), intact)
}

#[test]
fn sigkill_mid_write_leaves_the_old_file_untouched() {
    let (status, files, intact) = interrupt_long_render("-KILL");
    assert!(!status.success());
    assert!(intact, "the old x.gif was changed");
    // Only the old file and (possibly) a hidden temporary: nothing incomplete under a final name.
    assert!(files.iter().all(|n| n == "x.gif" || (n.starts_with(".x.gif.") && n.ends_with(".tmp"))), "{files:?}");
}

/// Ctrl-C (SIGINT) and SIGTERM: stop, remove the temporary file, keep the old one, exit 130.
#[test]
fn ctrl_c_and_sigterm_stop_cleanly() {
    for signal in ["-INT", "-TERM"] {
        let (status, files, intact) = interrupt_long_render(signal);
        assert_eq!(status.code(), Some(130), "{signal}");
        assert!(intact, "{signal}");
        assert_eq!(files, vec!["x.gif".to_string()], "the temporary file is removed on {signal}");
    }
}

/// Makes a folder where a file should go once the work has started (after the checks), the
/// way another process could: that job's rename, and that gallery file, must fail alone.
struct Saboteur {
    targets: Vec<std::path::PathBuf>,
    done: std::sync::Once,
}

impl Progress for Saboteur {
    fn frame_done(&self) {
        self.done.call_once(|| {
            for t in &self.targets {
                std::fs::create_dir(t).unwrap();
                std::fs::write(t.join("keep"), b"x").unwrap();
            }
        });
    }
}

#[test]
fn a_failing_job_or_gallery_file_does_not_stop_the_others_and_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let settings = GridSettings {
        base: RenderSettings { train: TrainSettings { steps: 5, ..Default::default() }, ..Default::default() },
        lrs: vec![0.1],
        batch_sizes: vec![2, 4, 8],
        out_dir: dir.path().to_path_buf(),
        threads: Some(1),
        ..Default::default()
    };
    let progress = Saboteur {
        targets: vec![dir.path().join("line_sgd_0.1_4.gif"), dir.path().join("index.html")],
        done: std::sync::Once::new(),
    };
    let report = run_grid(&settings, &progress).unwrap();
    let failures = report.failures();
    assert_eq!(failures.len(), 2, "{failures:?}");
    assert!(failures[0].contains("line_sgd_0.1_4.gif") && failures[1].contains("index.html"), "{failures:?}");
    assert_eq!(report.outcomes.iter().filter(|o| o.error.is_none()).count(), 3);
    for name in ["line_gd_0.1.gif", "line_sgd_0.1_2.gif", "line_sgd_0.1_8.gif", "index.md", "data.png"] {
        assert!(dir.path().join(name).is_file(), "{name} missing");
    }
    // The page links only files that exist.
    let md = std::fs::read_to_string(dir.path().join("index.md")).unwrap();
    assert!(md.contains("(line_sgd_0.1_2.gif)") && md.contains("(data.png)"), "{md}");
    assert!(!md.contains("line_sgd_0.1_4.gif"), "{md}");
    assert!(files_in(dir.path()).iter().all(|n| !n.ends_with(".tmp")));
    // The summary still has every job, the failed one marked.
    let json = summary_json(&report.outcomes);
    assert_eq!(json.matches("\"file\"").count(), 4);
    assert!(summary_table(&report.outcomes).contains("FAILED"));
}

#[test]
fn work_above_the_budget_is_refused_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(bin())
        .current_dir(dir.path())
        .args(["render", "--steps", "100000", "--width", "1000", "--height", "1000", "-o", "x.gif"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--force") && err.contains("1.000e11"), "{err}");
}

#[test]
fn divergence_is_reported_in_caption_summary_and_trace() {
    let data = Dataset::synthetic(&DataSpec::default());
    for lr in [10.0, 1e6] {
        let run = train_job(&data, &TrainSettings { lr, ..Default::default() });
        let k = run.diverged_at().expect("diverges");
        let text = caption(&run_label(&run), run.last(), 100, Some(k));
        assert!(text.contains(&format!("diverged at step {k}")), "{text}");
    }
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(bin())
        .args(["grid", "--steps", "30", "--lrs", "10.0", "--batch-sizes", "16", "--gd-lrs", "1e6", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    let table = String::from_utf8_lossy(&out.stdout);
    assert_eq!(table.matches("diverged at step").count(), 2, "{table}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Any numeric options give either a decodable GIF of steps + 1 frames or a clean usage error.
    #[test]
    fn numeric_options_never_panic(
        lr in prop_oneof![1 => Just(0.0), 1 => Just(-1.0), 1 => Just(f64::NAN), 1 => Just(f64::INFINITY), 12 => 1e-6..1e6f64],
        batch in 0usize..130,
        steps in 0usize..25,
        width in prop_oneof![1 => 0u32..200, 6 => 200u32..700],
        height in prop_oneof![1 => 0u32..200, 6 => 200u32..500],
        delay in 0u32..1000,
        n in 0usize..120,
        view in prop_oneof![Just(View::Line), Just(View::LineLoss), Just(View::LineParams), Just(View::All)],
        trail in 0usize..6,
        show_batch in proptest::bool::ANY,
    ) {
        let settings = RenderSettings {
            data: DataSource::Synthetic(DataSpec { n, ..Default::default() }),
            train: TrainSettings { lr, batch_size: if batch == 0 { BatchSize::Full } else { BatchSize::Size(batch) }, steps, ..Default::default() },
            scene: SceneSettings { width: width * view.panels(), height, view, trail, show_batch, ..Default::default() },
            timing: Timing { delay_ms: delay, ..Default::default() },
            force: false,
        };
        match render_to_vec(&settings) {
            Ok(bytes) => {
                let gif = common::decode(&bytes);
                prop_assert_eq!(gif.frames.len(), steps + 1);
                prop_assert_eq!((gif.width, gif.height), (width * view.panels(), height));
            }
            Err(e) => prop_assert!(e.is_usage(), "not a usage error: {}", e),
        }
    }
}
