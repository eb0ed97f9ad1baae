//! End to end through the binary.

use crate::common;

#[test]
fn render_writes_a_gif_and_a_trace() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.gif");
    let trace = dir.path().join("x.json");
    common::sgd_anim()
        .args(["render", "--lr", "0.1", "--batch-size", "16", "--steps", "12", "-q", "-o"])
        .arg(&out)
        .arg("--trace")
        .arg(&trace)
        .assert()
        .success();
    let gif = common::decode(&std::fs::read(&out).unwrap());
    assert_eq!(gif.frames.len(), 13);
    let json = std::fs::read_to_string(&trace).unwrap();
    assert!(json.starts_with("{\"settings\": {\"lr\": 0.1, \"batch_size\": 16, \"steps\": 12, \"seed\": 42"), "{json}");
    assert!(json.contains("{\"step\": 0, \"slope\": -1.0, \"intercept\": 1.0, \"loss\": "));
    assert!(json.contains("\"batch\": null}"));
    assert_eq!(json.matches("\"step\": ").count(), 13);
    // Nothing but the two files: no temporary left behind.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
}

#[test]
fn trace_writes_null_for_non_finite_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let trace = dir.path().join("t.json");
    common::sgd_anim()
        .args(["render", "--lr", "1e6", "--steps", "60", "-q", "-o"])
        .arg(dir.path().join("x.gif"))
        .arg("--trace")
        .arg(&trace)
        .assert()
        .success();
    let json = std::fs::read_to_string(&trace).unwrap();
    assert!(json.contains("\"slope\": null"), "no null slope in a diverged trace");
    assert!(!json.contains("NaN") && !json.contains("inf"));
}

#[test]
fn grid_writes_the_posts_set() {
    let dir = tempfile::tempdir().unwrap();
    common::sgd_anim().args(["grid", "--quiet", "--steps", "10", "--out"]).arg(dir.path()).assert().success();
    let mut expected = vec!["line_gd_0.1.gif".to_string()];
    for lr in ["0.01", "0.1", "1.0"] {
        for bs in [1, 2, 4, 8, 16, 32, 64] {
            expected.push(format!("line_sgd_{lr}_{bs}.gif"));
        }
    }
    // The whole grid would be 1426 px tall: it comes as the batch sizes at each learning rate.
    let comparisons = ["compare_bs_lr0.01.gif", "compare_bs_lr0.1.gif", "compare_bs_lr1.0.gif", "compare_lr_bs16.gif"];
    let mut all: Vec<String> = expected.iter().cloned().chain(comparisons.map(String::from)).collect();
    all.sort();
    assert_eq!(common::gifs_in(dir.path()), all);
    for name in comparisons {
        assert_eq!(common::decode(&std::fs::read(dir.path().join(name)).unwrap()).frames.len(), 11, "{name}");
    }
    let index = std::fs::read_to_string(dir.path().join("index.md")).unwrap();
    for name in &expected {
        let bytes = std::fs::read(dir.path().join(name)).unwrap();
        assert_eq!(common::decode(&bytes).frames.len(), 11, "{name}");
        // Shown, or (where a comparison stands in for its row) linked with its outcome.
        assert!(index.contains(&format!("](<{name}>)")), "index.md lacks {name}");
        // Each GIF has its poster: its last frame.
        let poster = image::open(dir.path().join(name.replace(".gif", ".png"))).unwrap();
        assert_eq!((poster.width(), poster.height()), (640, 480), "{name}");
    }
    // index.md: Markdown images with their alt text; index.html: sized images.
    assert!(index.contains("\n![GD, lr 0.1, full batch: "));
    let html = std::fs::read_to_string(dir.path().join("index.html")).unwrap();
    assert!(html.contains("<img src=\"line_gd_0.1.gif\" width=\"640\" height=\"480\" alt=\"GD, lr 0.1, full batch: "));
    for name in comparisons {
        assert!(index.contains("side by side, step by step over 10 steps; "), "index.md describes the comparisons");
        assert!(index.contains(&format!("](<{name}>)\n")), "index.md shows no {name}");
        assert!(html.contains(&format!("<img src=\"{name}\" width=\"738\"")), "index.html shows no {name}");
    }
    assert!(html.contains("src=\"line_sgd_1.0_64.gif\"") && !html.contains("http"));
    let player = std::fs::read_to_string(dir.path().join("player.html")).unwrap();
    assert!(player.len() < 22_000 && player.contains("{\"gif\":\"line_sgd_1.0_64.gif\""), "{player}");
    let png = image::open(dir.path().join("data.png")).unwrap().to_rgb8();
    assert_eq!((png.width(), png.height()), (640, 480));
    // data.png is `plt.scatter(x, y)`: the axes autoscale to the points with 5 % margins, so
    // the markers' centres span 1 / 1.1 of the box's height (no room kept for a start line).
    let rows_where = |keep: &dyn Fn(&image::Rgb<u8>, u32) -> bool| -> Vec<u32> {
        (0..480).filter(|&y| (0..640).filter(|&x| keep(png.get_pixel(x, y), x)).count() > 0).collect()
    };
    let orange = rows_where(&|p: &image::Rgb<u8>, _| p.0 == [255, 165, 0]);
    let spines: Vec<u32> =
        (0..480).filter(|&y| (0..640).filter(|&x| png.get_pixel(x, y).0 == [0, 0, 0]).count() > 300).collect();
    let (box_top, box_bottom) = (f64::from(spines[0]), f64::from(*spines.last().unwrap()));
    let r = 9.72 / 2.0;
    let centres = f64::from(*orange.last().unwrap()) - f64::from(orange[0]) + 1.0 - 2.0 * r + 2.0;
    let share = centres / (box_bottom - box_top);
    assert!((share - 1.0 / 1.1).abs() < 0.02, "the points span {share:.3} of the box, matplotlib's 0.909");
}

#[test]
fn grid_bytes_do_not_depend_on_threads() {
    let (one, two) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    for (dir, jobs) in [(&one, "1"), (&two, "2")] {
        common::sgd_anim()
            .args(["grid", "-q", "--steps", "15", "--lrs", "0.1,1.0", "--batch-sizes", "1,8", "--jobs", jobs, "--out"])
            .arg(dir.path())
            .assert()
            .success();
    }
    let names = common::gifs_in(one.path());
    // GD, four mini-batch runs, and the three comparisons.
    assert_eq!(names.len(), 8);
    assert_eq!(names, common::gifs_in(two.path()));
    let pages = ["index.md", "index.html", "player.html", "data.png", "line_gd_0.1.png", "line_sgd_1.0_8.png"];
    for name in names.iter().map(String::as_str).chain(pages) {
        assert_eq!(
            std::fs::read(one.path().join(name)).unwrap(),
            std::fs::read(two.path().join(name)).unwrap(),
            "{name}"
        );
    }
}

#[test]
fn grid_json_summary_and_base_url() {
    let dir = tempfile::tempdir().unwrap();
    let out = common::sgd_anim()
        .args(["grid", "--json", "--steps", "5", "--lrs", "0.1", "--batch-sizes", "16", "--base-url", "/img/", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    let json = String::from_utf8(out.stdout).unwrap();
    assert!(json.trim_start().starts_with('[') && json.contains("\"label\": \"SGD lr=0.1 bs=16\""), "{json}");
    let index = std::fs::read_to_string(dir.path().join("index.md")).unwrap();
    assert!(index.contains("](</img/line_sgd_0.1_16.gif>)"), "{index}");
    let shortcode = std::fs::read_to_string(dir.path().join("hugo-shortcode-sgd.html")).unwrap();
    assert!(
        shortcode.contains("src=\"/img/line_sgd_0.1_16.gif\"")
            && shortcode.contains("srcset=\"/img/line_sgd_0.1_16.png\""),
        "{shortcode}"
    );
    // The page beside the files links them from where it is.
    let html = std::fs::read_to_string(dir.path().join("index.html")).unwrap();
    assert!(html.contains("src=\"line_sgd_0.1_16.gif\"") && !html.contains("/img/"));
}

#[test]
fn bad_options_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let cases: &[&[&str]] = &[
        &["grid", "--lrs", "0.1,abc"],
        &["grid", "--lrs", "0.1,,1.0"],
        &["grid", "--lrs", ""],
        &["grid", "--gd-lrs", "0.1,0.1"],
        &["grid", "--jobs", "0"],
        &["render", "--lr", "inf", "-o", "x.gif"],
        &["render", "--steps", "100001", "-o", "x.gif"],
        &["render", "--height", "5000", "-o", "x.gif"],
        &["render", "--hold-ms", "700000", "-o", "x.gif"],
        &["render", "--loop-count", "65537", "-o", "x.gif"],
        &["render", "--optimizer", "momentum", "--momentum", "1.5", "-o", "x.gif"],
        &["grid", "--batch-sizes", "0"],
        &["grid", "--batch-sizes", "4,4"],
        &["grid", "--lrs", "-0.1"],
        &["render", "--lr", "0", "-o", "x.gif"],
        &["render", "--lr", "nan", "-o", "x.gif"],
        &["render", "--batch-size", "101", "-o", "x.gif"],
        &["render", "--steps", "0", "-o", "x.gif"],
        &["render", "--width", "50", "-o", "x.gif"],
        &["render", "--delay-ms", "700000", "-o", "x.gif"],
        &["render", "--loop-count", "0", "-o", "x.gif"],
        &["render", "--n", "1", "-o", "x.gif"],
        &["render", "--bogus"],
        &["grid", "--jobs", "2000"],
        &["render", "--trail", "101", "-o", "x.gif"],
        &["render", "--caption-every", "0", "-o", "x.gif"],
        &["render", "--start-slope", "1e13", "-o", "x.gif"],
        &["render", "-o", "x.gif", "--trace", "x.gif"],
        &["render", "-o", "nodir/"],
        &["render", "--trace", "nodir/", "-o", "x.gif"],
        &["render", "--data", "missing.csv", "-o", "x.gif"],
        &["render", "--noise", "-1", "-o", "x.gif"],
        &["render", "--true-slope", "1e300", "-o", "x.gif"],
        &["render", "--view", "sideways", "-o", "x.gif"],
        &["render", "--view", "all", "--width", "300", "-o", "x.gif"],
    ];
    for args in cases {
        let out = common::sgd_anim().current_dir(dir.path()).args(*args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(!out.stderr.is_empty());
    }
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "no file written on a usage error");
}

#[test]
fn a_folder_as_output_file_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let out = common::sgd_anim().args(["render", "-o"]).arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--output") && err.contains("this is a directory") && err.contains("x.gif"), "{err}");
}

#[test]
fn views_grow_the_frame_unless_its_size_is_given() {
    let dir = tempfile::tempdir().unwrap();
    for (view, width, expected) in [("all", None, 1920), ("line+loss", None, 1280), ("line+params", Some("900"), 900)] {
        let out = dir.path().join(format!("{view}.gif"));
        let mut cmd = common::sgd_anim();
        cmd.args(["render", "-q", "--steps", "5", "--view", view, "-o"]).arg(&out);
        if let Some(w) = width {
            cmd.args(["--width", w]);
        }
        cmd.assert().success();
        let gif = common::decode(&std::fs::read(&out).unwrap());
        assert_eq!((gif.width, gif.height, gif.frames.len()), (expected, 480, 6), "{view}");
    }
}

#[test]
fn help_teaches() {
    let out = common::sgd_anim().arg("--help").output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    assert!(help.contains("render") && help.contains("grid") && help.contains("Examples"));
    let out = common::sgd_anim().args(["render", "--help"]).output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    for flag in ["--lr", "--batch-size", "--steps", "--seed", "--delay-ms", "--hold-ms", "--trace", "--no-caption"] {
        assert!(help.contains(flag), "render --help lacks {flag}");
    }
}

#[test]
fn csv_data_is_fitted_and_bad_rows_name_their_line() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("points.csv");
    let rows: String = (0..30).map(|i| format!("{},{}\n", i as f64 / 10.0, 2.0 * i as f64 / 10.0 - 40.0)).collect();
    std::fs::write(&csv, format!("x,y\n{rows}")).unwrap();
    let trace = dir.path().join("t.json");
    common::sgd_anim()
        .args([
            "render",
            "-q",
            "--steps",
            "300",
            "--lr",
            "0.1",
            "--start-slope",
            "0",
            "--start-intercept",
            "0",
            "--data",
        ])
        .arg(&csv)
        .arg("--trace")
        .arg(&trace)
        .arg("-o")
        .arg(dir.path().join("csv.gif"))
        .assert()
        .success();
    let json = std::fs::read_to_string(&trace).unwrap();
    assert!(json.contains("\"x\": [0.0, 0.1, 0.2"), "the trace holds the CSV's points");
    std::fs::write(&csv, "x,y\n1,2\n3,four\n").unwrap();
    let out = common::sgd_anim()
        .args(["render", "--data"])
        .arg(&csv)
        .arg("-o")
        .arg(dir.path().join("bad.gif"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("points.csv:3:") && err.contains("four"), "{err}");
}

#[test]
fn render_gives_the_grids_file_for_the_same_job() {
    let dir = tempfile::tempdir().unwrap();
    common::sgd_anim()
        .args(["grid", "-q", "--steps", "12", "--lrs", "0.1", "--batch-sizes", "16", "--out"])
        .arg(dir.path())
        .assert()
        .success();
    let single = dir.path().join("single.gif");
    common::sgd_anim()
        .args(["render", "-q", "--steps", "12", "--lr", "0.1", "--batch-size", "16", "-o"])
        .arg(&single)
        .assert()
        .success();
    assert_eq!(std::fs::read(&single).unwrap(), std::fs::read(dir.path().join("line_sgd_0.1_16.gif")).unwrap());
}

#[test]
fn options_that_do_nothing_are_warned_about_and_quiet_silences_them() {
    let dir = tempfile::tempdir().unwrap();
    let cases: &[(&[&str], &str)] = &[
        (&["--momentum", "0.5"], "--momentum has no effect without --optimizer momentum"),
        (&["--optimizer", "momentum", "--beta2", "0.9"], "--beta2 has no effect without --optimizer adam"),
        (&["--no-caption", "--caption-every", "3"], "--caption-every has no effect with --no-caption"),
        (&["--show-batch"], "--show-batch has nothing to show with --batch-size full"),
    ];
    for (args, warning) in cases {
        let run = |quiet: bool| {
            let mut cmd = common::sgd_anim();
            cmd.current_dir(dir.path()).args(["render", "--steps", "3", "-o", "x.gif"]).args(*args);
            if quiet {
                cmd.arg("-q");
            }
            let out = cmd.output().unwrap();
            assert!(out.status.success(), "{args:?}");
            String::from_utf8_lossy(&out.stderr).into_owned()
        };
        assert!(run(false).contains(&format!("warning: {warning}")), "{args:?}");
        assert!(run(true).is_empty(), "{args:?}: -q prints nothing");
    }
    // Used as meant, no warning.
    let out = common::sgd_anim()
        .current_dir(dir.path())
        .args(["render", "--steps", "3", "-o", "x.gif", "--optimizer", "adam", "--beta1", "0.8"])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("warning"));
}

#[test]
fn completions_and_man_page_cover_every_command() {
    let text = |args: &[&str]| {
        let out = common::sgd_anim().args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let bash = text(&["completions", "bash"]);
    assert!(bash.contains("_sgd__anim()") && bash.contains("--batch-size") && bash.contains("render"), "{bash}");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("c.bash"), &bash).unwrap();
    let syntax = std::process::Command::new("bash").arg("-n").arg(dir.path().join("c.bash")).status().unwrap();
    assert!(syntax.success(), "the bash script parses");
    assert!(text(&["completions", "zsh"]).starts_with("#compdef sgd-anim"));
    assert!(text(&["completions", "fish"]).contains("complete -c sgd-anim"));
    let man = text(&["man"]);
    assert!(man.contains(".TH sgd-anim 1"), "{man}");
    for section in ["SGD-ANIM RENDER", "SGD-ANIM GRID", "\\-\\-batch\\-size", "\\-\\-trace\\-dir", "\\-\\-delay\\-ms"] {
        assert!(man.contains(section), "the man page lacks {section}");
    }
    let out = common::sgd_anim().args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn adjusted_and_ignored_options_are_warned_about_and_quiet_silences_them() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("points.csv"), "x,y\n0,1\n1,3\n2,5\n").unwrap();
    let run = |args: &[&str], quiet: bool| {
        let mut cmd = common::sgd_anim();
        cmd.current_dir(dir.path()).args(["render", "--steps", "3", "-o", "x.gif"]).args(args);
        if quiet {
            cmd.arg("-q");
        }
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let err = run(&["--delay-ms", "5"], false);
    assert!(err.contains("warning: --delay-ms 5 plays at 20 ms: browsers clamp shorter delays"), "{err}");
    // What the GIF stores is what the warning says.
    let gif = common::decode(&std::fs::read(dir.path().join("x.gif")).unwrap());
    assert_eq!(gif.frames[0].delay, 2);
    let synthetic = ["--n", "50", "--noise", "0", "--true-slope", "-2", "--true-intercept", "4"];
    let err = run(&[&["--data", "points.csv"][..], &synthetic].concat(), false);
    for flag in ["--n", "--noise", "--true-slope", "--true-intercept"] {
        assert!(err.contains(&format!("warning: {flag} has no effect with --data")), "{flag}: {err}");
    }
    assert_eq!(err.matches("warning").count(), 4, "{err}");
    // -q silences them; used as meant, there is nothing to say.
    assert!(run(&[&["--delay-ms", "5", "--data", "points.csv"][..], &synthetic].concat(), true).is_empty());
    for args in [&["--delay-ms", "20"][..], &synthetic, &["--data", "points.csv", "--seed", "3"]] {
        let err = run(args, false);
        assert!(!err.contains("warning"), "{args:?}: {err}");
    }
    // The grid warns the same way.
    let out = common::sgd_anim()
        .current_dir(dir.path())
        .args(["grid", "--steps", "2", "--lrs", "0.1", "--batch-sizes", "2", "--delay-ms", "0", "--n", "9"])
        .args(["--data", "points.csv", "--out", "."])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("warning: --delay-ms 0 plays at 20 ms") && err.contains("warning: --n has no effect"),
        "{err}"
    );
}
