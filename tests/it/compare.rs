//! The post's comparisons as one animation: every panel shows, frame for frame, exactly what
//! its own run's animation shows at the comparison's panel size, all at the same step.

use crate::common::decode;
use sgd_anim::internals::*;
use sgd_anim::*;

/// A small grid writes the three comparisons; in each, panel i of frame k is the frame k of
/// run i drawn alone at the panel's size (pixel for pixel, but under the panel's own caption:
/// its loss, or that it diverged, and on the last frame how it ended), and the header names
/// step k.
#[test]
fn comparison_panels_step_together_and_show_their_runs() {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = GridSettings { out_dir: dir.path().to_path_buf(), ..GridSettings::default() };
    settings.base.train.steps = 12;
    settings.lrs = vec![0.01, 0.1, 1.0];
    settings.batch_sizes = vec![2, 16];
    let report = run_grid(&settings, &NoProgress).unwrap();
    assert!(report.gallery_errors.is_empty(), "{:?}", report.gallery_errors);
    let data = Dataset::synthetic(&DataSpec::default());
    let found = comparisons(&settings);
    let names: Vec<&str> = found.iter().map(|c| c.file_name.as_str()).collect();
    assert_eq!(names, ["compare_lr_bs16.gif", "compare_bs_lr0.1.gif", "compare_grid.gif"]);
    for c in &found {
        let gif = decode(&std::fs::read(dir.path().join(&c.file_name)).unwrap());
        let tiling = Tiling::for_column(COLUMN_WIDTH, c.columns);
        assert_eq!((gif.width, gif.height), tiling.size(c.panels.len()), "{}", c.file_name);
        assert!(tiling.tile.0 >= 180, "{}: panels {} px wide", c.file_name, tiling.tile.0);
        assert_eq!(gif.frames.len(), 13);
        let runs: Vec<Run> = c
            .panels
            .iter()
            .map(|&(lr, b)| {
                let t = TrainSettings { lr, batch_size: BatchSize::Size(b), ..settings.base.train.clone() };
                train_job(&data, &t)
            })
            .collect();
        let tile =
            Scene::new(&data, &settings.base.train, &tiling.tile_settings(&settings.base.scene_settings())).unwrap();
        let halo = f64::from(tile.metrics().halo);
        let compare = CompareFrames::new(&tile, tiling, &runs);
        for (i, run) in runs.iter().enumerate() {
            let (ox, oy) = tiling.origin(i);
            let mut frames = tile.frames(run);
            let mut k = 0;
            while let Some(frame) = frames.next_frame().unwrap() {
                // The panel's caption, on its halo's box: the one thing the run alone lacks.
                let caption = &compare.texts(k)[1 + i];
                assert_eq!(caption.text, panel_caption(run, k, 13));
                let (l, t, r, b) = caption.bounds;
                let boxed = |x: usize, y: usize| {
                    let (x, y) = ((x + ox as usize) as f64 + 0.5, (y + oy as usize) as f64 + 0.5);
                    x > (l - halo).floor() && x < (r + halo).ceil() && y > (t - halo).floor() && y < (b + halo).ceil()
                };
                let alone = frame.canvas.to_rgb(tile.palette());
                let (tw, th) = (tiling.tile.0 as usize, tiling.tile.1 as usize);
                for y in 0..th {
                    for x in (0..tw).filter(|&x| !boxed(x, y)) {
                        let at = ((oy as usize + y) * gif.width as usize + ox as usize + x) * 3;
                        assert_eq!(
                            alone[(y * tw + x) * 3..][..3],
                            gif.frames[k].rgb[at..at + 3],
                            "{} panel {i} frame {k} differs from its run drawn alone at ({x}, {y})",
                            c.file_name
                        );
                    }
                }
                k += 1;
            }
            assert_eq!(k, 13);
        }
        // The header: "step k/12", the same step for every panel.
        for k in [0, 5, 12] {
            assert_eq!(compare.texts(k)[0].text, format!("step {k}/12"));
        }
    }
}

/// `sgd-anim compare`: one comparison of the runs asked for, a column per learning rate and a
/// row per batch size, each panel its run drawn alone; bad lists are usage errors naming their
/// option, and nothing is written then.
#[test]
fn the_compare_command_makes_one_comparison() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("c.gif");
    let ok = std::process::Command::new(env!("CARGO_BIN_EXE_sgd-anim"))
        .args(["compare", "--lrs", "0.1,1.0", "--batch-sizes", "2,8", "--steps", "6", "-q", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    let gif = decode(&std::fs::read(&out).unwrap());
    let tiling = Tiling::for_column(COLUMN_WIDTH, 2);
    assert_eq!((gif.width, gif.height, gif.frames.len()), (tiling.size(4).0, tiling.size(4).1, 7));
    // The very bytes the library's comparison of those runs makes, in that order.
    let data = Dataset::synthetic(&DataSpec::default());
    let base = RenderSettings { train: TrainSettings { steps: 6, ..Default::default() }, ..Default::default() };
    let trains: Vec<TrainSettings> = [(0.1, 2), (1.0, 2), (0.1, 8), (1.0, 8)]
        .iter()
        .map(|&(lr, b)| TrainSettings { lr, batch_size: BatchSize::Size(b), ..base.train.clone() })
        .collect();
    let made = write_compare(sgd_anim::Format::Gif, Vec::new(), &data, &trains, &base, tiling, &NoProgress).unwrap();
    assert!(made == std::fs::read(&out).unwrap(), "the command's GIF is not the library's comparison");
    // Its comment names the `sgd-anim compare` command that makes it again, byte for byte.
    let info = std::process::Command::new(env!("CARGO_BIN_EXE_sgd-anim")).arg("info").arg(&out).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout).into_owned();
    let line = info.lines().find_map(|l| l.strip_prefix("command:")).expect("a command").trim().to_string();
    let words: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(words[..2], ["sgd-anim", "compare"], "{line}");
    let again = dir.path().join("again.gif");
    let o = words.iter().position(|w| *w == "-o").unwrap();
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_sgd-anim"))
        .args(&words[1..o])
        .args(["-q", "-o"])
        .arg(&again)
        .status()
        .unwrap();
    assert!(status.success());
    assert!(std::fs::read(&again).unwrap() == std::fs::read(&out).unwrap(), "{line}");
    for bad in [&["--lrs", "0.1,0.1"][..], &["--batch-sizes", "0"], &["--lrs", "-1"]] {
        let out = dir.path().join("bad.gif");
        let refused = std::process::Command::new(env!("CARGO_BIN_EXE_sgd-anim"))
            .arg("compare")
            .args(bad)
            .arg("-o")
            .arg(&out)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&refused.stderr);
        assert_eq!(refused.status.code(), Some(2), "{bad:?}: {err}");
        assert!(err.contains(bad[0]), "{bad:?}: {err}");
        assert!(!out.exists());
    }
}

/// The post's grid (3 learning rates x 7 batch sizes) makes comparisons a reader sees whole in
/// a 740 px column: none taller than 900 px (the whole grid in one was 1426 px), every run in
/// one of them; tick digits at least 9 px high; and on the last frame, every panel says how
/// its run ended (settled, unstable, diverged).
#[test]
fn the_post_comparisons_fit_a_screen_and_say_how_each_run_ended() {
    let settings = GridSettings::default();
    let found = comparisons(&settings);
    let mut shown: Vec<(f64, usize)> = found.iter().flat_map(|c| c.panels.clone()).collect();
    shown.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    shown.dedup();
    assert_eq!(shown.len(), settings.lrs.len() * settings.batch_sizes.len(), "every run is compared");
    let data = Dataset::synthetic(&DataSpec::default());
    for c in &found {
        let tiling = Tiling::for_column(COLUMN_WIDTH, c.columns);
        let (w, h) = tiling.size(c.panels.len());
        assert!(w <= COLUMN_WIDTH && h <= MAX_HEIGHT, "{}: {w}x{h}", c.file_name);
        let tile =
            Scene::new(&data, &settings.base.train, &tiling.tile_settings(&settings.base.scene_settings())).unwrap();
        for label in tile.texts().iter().filter(|t| t.text.chars().any(|ch| ch.is_ascii_digit())) {
            let m = &label.mask;
            let rows =
                (0..m.h as usize).filter(|&y| m.cov[y * m.w as usize..][..m.w as usize].iter().any(|&v| v > 128));
            assert!(rows.count() >= 9, "{}: tick label {:?} is under 9 px high", c.file_name, label.text);
        }
        let runs: Vec<Run> = c
            .panels
            .iter()
            .map(|&(lr, b)| {
                train_job(&data, &TrainSettings { lr, batch_size: BatchSize::Size(b), ..settings.base.train.clone() })
            })
            .collect();
        let compare = CompareFrames::new(&tile, tiling, &runs);
        let last = compare.texts(settings.base.train.steps);
        for (i, run) in runs.iter().enumerate() {
            let want = match run.verdict() {
                Verdict::Settled => "settled".to_string(),
                Verdict::Unstable { .. } => "unstable".to_string(),
                Verdict::Diverged { step } => format!("diverged at step {step}"),
                other => panic!("a verdict this test does not know: {other:?}"),
            };
            assert!(last[1 + i].text.ends_with(&want), "{} panel {i}: {:?}", c.file_name, last[1 + i].text);
        }
    }
}
