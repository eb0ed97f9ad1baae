//! First contact at the edges: what a newcomer, a typo or a hostile input meets. Each error is
//! a usage error (exit 2) that names its option, found before any work; counts say what they
//! count; `-` is standard output wherever it can be; nothing reaches the terminal as a command.

use crate::common;
use std::time::{Duration, Instant};

#[test]
fn a_repeated_list_entry_names_its_option_and_value() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["grid", "--lrs", "0.1,0.1"][..],
        &["grid", "--batch-sizes", "4,8,4"],
        &["grid", "--gd-lrs", "0.1,1e-1"],
        &["compare", "--lrs", "0.1,0.10", "-o", "c.gif"],
    ] {
        let out = common::sgd_anim_in(dir.path()).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let text = common::stderr(&out);
        assert!(text.contains(&format!("for {}: each value once (this one is repeated)", args[1])), "{text}");
        assert!(!text.contains("a different file"), "{text}");
    }
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "nothing written, no folder made");
}

/// 12,000 batch sizes (the budget lifted, so the grid's own checks meet them) are refused in
/// well under 5 seconds: the lists and batch sizes are checked before any of the 36,003 output
/// paths is looked at, and the clash check is linear. (It took 64 s when the paths came first.)
#[test]
fn twelve_thousand_batch_sizes_are_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let sizes: Vec<String> = (1..=12_000).map(|b| b.to_string()).collect();
    let start = Instant::now();
    let out =
        common::sgd_anim_in(dir.path()).args(["grid", "--force", "--batch-sizes", &sizes.join(",")]).output().unwrap();
    assert!(start.elapsed() < Duration::from_secs(5), "{:?}", start.elapsed());
    assert_eq!(out.status.code(), Some(2));
    assert!(common::stderr(&out).contains("invalid value '101' for --batch-sizes"), "{}", common::stderr(&out));
}

/// A comparison too big for memory or a GIF is refused before any work: exit 2, within
/// 5 seconds, nothing written (it once used 1.67 GB and wrote a 60000x4026 GIF).
#[test]
fn a_comparison_over_budget_is_refused_up_front() {
    let dir = tempfile::tempdir().unwrap();
    let lrs: Vec<String> = (1..=300).map(|k| format!("{}", f64::from(k) / 1000.0)).collect();
    let sizes: Vec<String> = (1..=20).map(|b| b.to_string()).collect();
    for (lrs, force) in [(lrs.join(","), false), (lrs.join(","), true), ("0.1,0.2".to_string(), false)] {
        let start = Instant::now();
        let mut cmd = common::sgd_anim_in(dir.path());
        cmd.args(["compare", "--lrs", &lrs, "--batch-sizes", &sizes.join(","), "-o", "big.gif"]);
        if force {
            cmd.arg("--force");
        } else {
            cmd.args(["--steps", "100000"]);
        }
        let out = cmd.output().unwrap();
        assert!(start.elapsed() < Duration::from_secs(5), "{:?}", start.elapsed());
        assert_eq!(out.status.code(), Some(2), "{}", common::stderr(&out));
        let text = common::stderr(&out);
        assert!(
            text.contains("for --lrs: a comparison at most 4096 pixels a side") || text.contains("--force"),
            "{text}"
        );
        assert!(!dir.path().join("big.gif").exists());
    }
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "no temporary left");
}

/// A log's cell, or a file's name, holding a terminal escape reaches the terminal as text.
#[test]
fn control_characters_in_messages_are_shown_escaped() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("log.csv"), "step,loss\n0,1\n1,\x1b]0;pwned\x07\n").unwrap();
    let out = common::sgd_anim_in(dir.path()).args(["replay", "log.csv", "-o", "x.gif"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let text = common::stderr(&out);
    assert!(!out.stderr.contains(&0x1b) && !out.stderr.contains(&0x07), "{text:?}");
    assert!(text.contains("\\u{1b}]0;pwned\\u{7}"), "{text}");

    let name = "a\x1b[31mb.csv";
    std::fs::write(dir.path().join(name), "x,y\n1,2\n").unwrap();
    let out = common::sgd_anim_in(dir.path()).args(["render", "--data", name, "-o", "y.gif"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        !out.stderr.contains(&0x1b) && common::stderr(&out).contains("a\\u{1b}[31mb.csv"),
        "{:?}",
        common::stderr(&out)
    );
}

/// `compare -o -` writes the GIF to standard output (its table to stderr, a row per run);
/// where `-` cannot be standard output, it is refused naming the option.
#[test]
fn a_dash_is_standard_output_wherever_it_can_be() {
    let dir = tempfile::tempdir().unwrap();
    let out = common::sgd_anim_in(dir.path())
        .args(["compare", "--lrs", "0.1,1.0", "--batch-sizes", "16", "--steps", "5", "-o", "-"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", common::stderr(&out));
    let gif = common::decode(&out.stdout);
    assert_eq!((gif.frames.len(), gif.width), (6, 740));
    let table = common::stderr(&out);
    assert!(table.starts_with("run ") && table.contains("SGD lr=1.0 bs=16"), "{table}");
    common::sgd_anim_in(dir.path())
        .args(["compare", "--lrs", "0.1,1.0", "--batch-sizes", "16", "--steps", "5", "-q", "-o", "c.gif"])
        .assert()
        .success();
    assert_eq!(std::fs::read(dir.path().join("c.gif")).unwrap(), out.stdout, "the file's bytes");

    for (args, option) in [
        (&["render", "--trace", "-", "-o", "x.gif"][..], "--trace"),
        (&["grid", "--out", "-"], "--out"),
        (&["grid", "--trace-dir", "-"], "--trace-dir"),
        (&["grid", "--check", "-"], "--check"),
    ] {
        let out = common::sgd_anim_in(dir.path()).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            common::stderr(&out).contains(&format!("invalid value '-' for {option}: a ")),
            "{}",
            common::stderr(&out)
        );
    }
    assert!(!dir.path().join("-").exists(), "no file named '-'");
}

/// The run says what it wrote, by kind, and where to look first.
#[test]
fn the_grid_says_what_it_wrote_by_kind() {
    let dir = tempfile::tempdir().unwrap();
    let out = common::sgd_anim_in(dir.path())
        .args(["grid", "--lrs", "0.1", "--batch-sizes", "4,16", "--steps", "3", "--out", "set"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", common::stderr(&out));
    let text = common::stderr(&out);
    assert!(
        text.contains(
            "wrote 3 animations, 1 comparison, 4 posters, data.png, index.md, index.html, player.html, \
             sgd-anim-player.js, hugo-shortcode-sgd.html, jekyll-include-sgd.html into set\n"
        ),
        "{text}"
    );
    assert!(text.contains("look first: set/index.html in a browser; set/index.md is the fragment"), "{text}");
}

/// A disk that fills mid-grid: the failure counts say what they count (the animations apart
/// from the comparisons), and the files written are the animations it says were written.
/// Runs the grid in a mount namespace of its own on a small tmpfs (`unshare -rm`, as root or
/// with user namespaces); where that is not allowed the test says so and checks nothing.
#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_is_counted_by_kind() {
    let dir = tempfile::tempdir().unwrap();
    let bin = assert_cmd::cargo::cargo_bin("sgd-anim");
    let script = format!(
        "mount -t tmpfs -o size=700k tmpfs full || exit 99\n'{}' grid --out full -j 1 -q; echo \"rc=$?\"\n\
         ls full | grep -c '^line_.*\\.gif$'",
        bin.display()
    );
    std::fs::create_dir(dir.path().join("full")).unwrap();
    let out =
        match std::process::Command::new("unshare").args(["-rm", "sh", "-c", &script]).current_dir(dir.path()).output()
        {
            Ok(out) if out.status.code() != Some(99) && out.status.success() => out,
            other => {
                eprintln!("a_full_disk_is_counted_by_kind: no tmpfs in a mount namespace here ({other:?}); skipped");
                return;
            }
        };
    let stdout = String::from_utf8_lossy(&out.stdout);
    let mut lines = stdout.lines();
    assert_eq!(lines.next(), Some("rc=1"), "{}", common::stderr(&out));
    let written: usize = lines.next().and_then(|n| n.trim().parse().ok()).expect("a count");
    assert!((1..22).contains(&written), "a disk this small holds some of the set: {written}");
    let text = common::stderr(&out);
    // The gallery's files (some of them text of 15 kB and more) may not fit either.
    let expected = format!("error: {} of 22 animations", 22 - written);
    let counts = text.split(&expected).nth(1).and_then(|rest| rest.split(" failed:").next()).unwrap_or_default();
    // The comparisons come next, counted apart against the 4 the grid plans, each once
    // whether its animation or its poster failed: "and 3 of 4 comparisons" (", ... and" when
    // gallery files failed too). They share the pool with the jobs, so how many fit varies.
    let comparisons: Vec<&str> = counts.trim_start_matches([',', ' ']).trim_start_matches("and ").split(' ').collect();
    let failed: usize = comparisons.first().and_then(|n| n.parse().ok()).unwrap_or(0);
    assert!(
        comparisons.len() >= 4
            && (1..=4).contains(&failed)
            && comparisons[1] == "of"
            && comparisons[2] == "4"
            && comparisons[3].starts_with("comparisons"),
        "{expected}\n{text}"
    );
}
