//! Never destroy what isn't ours: only regular files are replaced, links are followed, no
//! output overwrites an input or another output, missing folders are created, `-o -` streams.
//! Every special file here is made inside a temporary folder; none names a system path.

use crate::common;

use std::os::unix::fs::FileTypeExt;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

/// The kinds of special file a test can make here: FIFO, socket, directory, and a character
/// device where we may (root; the device is a copy of the null device's numbers, private to
/// the temporary folder).
fn special_files(dir: &Path) -> Vec<(PathBuf, &'static str)> {
    let mut made = vec![];
    let fifo = dir.join("fifo.gif");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    made.push((fifo, "FIFO"));
    let sock = dir.join("sock.gif");
    std::mem::forget(std::os::unix::net::UnixListener::bind(&sock).unwrap());
    made.push((sock, "socket"));
    let folder = dir.join("folder.gif");
    std::fs::create_dir(&folder).unwrap();
    made.push((folder, "directory"));
    let dev = dir.join("dev.gif");
    let mknod = std::process::Command::new("mknod").arg(&dev).args(["c", "1", "3"]).stderr(Stdio::null()).status();
    if mknod.is_ok_and(|s| s.success()) {
        made.push((dev, "character device"));
    } else {
        eprintln!("not root: the character-device case is skipped");
    }
    made
}

fn kind(path: &Path) -> &'static str {
    let t = std::fs::symlink_metadata(path).unwrap().file_type();
    match () {
        _ if t.is_fifo() => "FIFO",
        _ if t.is_socket() => "socket",
        _ if t.is_dir() => "directory",
        _ if t.is_char_device() => "character device",
        _ if t.is_symlink() => "link",
        _ => "file",
    }
}

#[test]
fn only_regular_files_are_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for (node, what) in special_files(d) {
        let name = node.file_name().unwrap().to_str().unwrap().to_string();
        let cases: Vec<(Vec<&str>, &str)> = vec![
            (vec!["render", "--steps", "2", "-o", &name], "--output"),
            (vec!["render", "--steps", "2", "-o", "ok.gif", "--trace", &name], "--trace"),
        ];
        for (args, option) in cases {
            let before = common::names_in(d);
            let out = common::sgd_anim_in(d).args(&args).timeout(Duration::from_secs(20)).output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
            assert!(err.contains(option) && err.contains(what), "{args:?}: {err}");
            assert_eq!(kind(&node), what, "{name} was replaced");
            assert_eq!(common::names_in(d), before, "{args:?} wrote something");
        }
    }
}

#[test]
fn grid_refuses_special_files_among_its_outputs() {
    for (file, option, folder_flag) in [
        ("line_sgd_0.1_16.gif", "--out", "--out"),
        ("index.html", "--out", "--out"),
        ("data.png", "--out", "--out"),
        ("player.html", "--out", "--out"),
        ("line_sgd_0.1_16.png", "--out", "--out"),
        ("line_sgd_0.1_16.json", "--trace-dir", "--trace-dir"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let out_dir = dir.path().join("site");
        std::fs::create_dir(&out_dir).unwrap();
        let node = out_dir.join(file);
        assert!(std::process::Command::new("mkfifo").arg(&node).status().unwrap().success());
        let out = common::sgd_anim_in(dir.path())
            .args(["grid", "--steps", "2", "--lrs", "0.1", "--batch-sizes", "16", "--out", "site"])
            .args(if folder_flag == "--trace-dir" { vec!["--trace-dir", "site"] } else { vec![] })
            .timeout(Duration::from_secs(20))
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{file}: {err}");
        assert!(err.contains(option) && err.contains("FIFO") && err.contains(file), "{file}: {err}");
        assert_eq!(kind(&node), "FIFO");
        assert_eq!(common::names_in(&out_dir), vec![file.to_string()], "{file}: nothing written before the refusal");
    }
}

/// `info` and `grid --check` read only regular files: a special file is named for what it is,
/// at once (a FIFO is never opened, so nothing waits for a writer), and left as it was.
#[test]
fn info_and_check_read_only_regular_files() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let set = d.join("set");
    std::fs::create_dir(&set).unwrap();
    let plan = ["line_gd_0.1.gif", "line_sgd_0.1_1.gif", "line_sgd_0.1_2.gif", "line_sgd_0.1_4.gif"];
    let specials = special_files(d);
    for ((node, what), name) in specials.iter().zip(plan) {
        let shown = node.file_name().unwrap().to_str().unwrap();
        let out = common::sgd_anim_in(d).args(["info", shown]).timeout(Duration::from_secs(20)).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{what}: {err}");
        assert!(err.contains("for <FILE.gif>: a GIF file, but it is a") && err.contains(what), "{err}");
        std::fs::rename(node, set.join(name)).unwrap();
    }
    let out = common::sgd_anim_in(d)
        .args(["grid", "--steps", "2", "--lrs", "0.1", "--batch-sizes", "1,2,4", "--width", "300", "--height", "200"])
        .args(["--check", "set"])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    for ((_, what), name) in specials.iter().zip(plan) {
        assert!(err.contains(&format!("set/{name}: unreadable: it is a")) && err.contains(what), "{err}");
        assert_eq!(kind(&set.join(name)), *what);
    }
}

#[test]
fn a_link_is_followed_and_stays_a_link() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("real")).unwrap();
    std::fs::write(d.join("real/anim.gif"), b"old").unwrap();
    std::os::unix::fs::symlink("real/anim.gif", d.join("x.gif")).unwrap();
    // A link to a file not there yet is followed too.
    std::os::unix::fs::symlink("real/trace.json", d.join("t.json")).unwrap();
    common::sgd_anim_in(d)
        .args(["render", "-q", "--steps", "3", "-o", "x.gif", "--trace", "t.json"])
        .assert()
        .success();
    assert_eq!(kind(&d.join("x.gif")), "link");
    assert_eq!(kind(&d.join("t.json")), "link");
    let gif = common::decode(&std::fs::read(d.join("real/anim.gif")).unwrap());
    assert_eq!(gif.frames.len(), 4);
    assert!(std::fs::read_to_string(d.join("real/trace.json")).unwrap().starts_with("{\"settings\""));
    assert_eq!(common::names_in(d), vec!["real", "t.json", "x.gif"]);
    assert_eq!(
        common::names_in(&d.join("real")),
        vec!["anim.gif", "trace.json"],
        "no temporary left in the link's folder"
    );
    // A link to a special file is refused like the file.
    assert!(std::process::Command::new("mkfifo").arg(d.join("real/pipe")).status().unwrap().success());
    std::os::unix::fs::symlink("real/pipe", d.join("p.gif")).unwrap();
    let out = common::sgd_anim_in(d).args(["render", "--steps", "2", "-o", "p.gif"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("FIFO") && err.contains("--output"), "{err}");
    assert_eq!(kind(&d.join("real/pipe")), "FIFO");
}

#[test]
fn no_output_overwrites_an_input_or_another_output() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("a")).unwrap();
    std::fs::write(d.join("x.gif"), b"old gif").unwrap();
    std::fs::hard_link(d.join("x.gif"), d.join("hard.json")).unwrap();
    let rows: String = (0..10).map(|i| format!("{i},{}\n", 2 * i)).collect();
    std::fs::write(d.join("data.csv"), format!("x,y\n{rows}")).unwrap();
    let cases: &[(&[&str], &str)] = &[
        (&["-o", "x.gif", "--trace", "./x.gif"], "--trace"),
        (&["-o", "a/../x.gif", "--trace", "x.gif"], "--trace"),
        (&["-o", "x.gif", "--trace", "hard.json"], "--trace"),
        (&["-o", "out.gif", "--data", "data.csv", "--trace", "a/../data.csv"], "--trace"),
        (&["-o", "data.csv", "--data", "data.csv"], "--output"),
    ];
    for (args, option) in cases {
        let out = common::sgd_anim_in(d).args(["render", "--steps", "2"]).args(*args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(option), "{args:?}: {err}");
    }
    assert_eq!(std::fs::read(d.join("x.gif")).unwrap(), b"old gif");
    assert!(std::fs::read_to_string(d.join("data.csv")).unwrap().starts_with("x,y\n0,0\n"));
    assert_eq!(common::names_in(d), vec!["a", "data.csv", "hard.json", "x.gif"]);
    // A grid's data file inside its output folder, under a gallery name.
    std::fs::create_dir(d.join("site")).unwrap();
    std::fs::write(d.join("site/index.md"), format!("x,y\n{rows}")).unwrap();
    let out = common::sgd_anim_in(d)
        .args([
            "grid",
            "--steps",
            "2",
            "--lrs",
            "0.1",
            "--batch-sizes",
            "4",
            "--data",
            "site/index.md",
            "--out",
            "site",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--data"));
}

#[test]
fn missing_folders_are_created_and_said() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = common::sgd_anim_in(d).args(["render", "--steps", "2", "-o", "output/x.gif"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("created output"));
    assert!(d.join("output/x.gif").is_file());
    let out = common::sgd_anim_in(d)
        .args(["grid", "--steps", "2", "--lrs", "0.1", "--batch-sizes", "4", "--out", "blog/sgd"])
        .args(["--trace-dir", "blog/traces"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("created blog/sgd") && err.contains("created blog/traces"), "{err}");
    assert!(d.join("blog/sgd/line_sgd_0.1_4.gif").is_file() && d.join("blog/traces/line_sgd_0.1_4.json").is_file());
    // -q says nothing.
    let out = common::sgd_anim_in(d).args(["render", "-q", "--steps", "2", "-o", "more/x.gif"]).output().unwrap();
    assert!(out.status.success() && out.stderr.is_empty());
    // A file where a folder should be is refused, naming the option.
    std::fs::write(d.join("plain"), b"x").unwrap();
    let out = common::sgd_anim_in(d).args(["grid", "--steps", "2", "--out", "plain/sub"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("--out") && err.contains("regular file"), "{err}");
    // A usage error creates nothing.
    let out = common::sgd_anim_in(d).args(["render", "--lr", "0", "-o", "never/x.gif"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!d.join("never").exists());
}

#[test]
fn bare_sgd_anim_works_in_an_empty_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out = common::sgd_anim_in(dir.path()).timeout(Duration::from_secs(300)).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let made = common::names_in(&dir.path().join("output"));
    // The post's 22 animations and its four comparisons (the batch sizes at each learning
    // rate and the learning rates at batch size 16).
    assert_eq!(made.iter().filter(|n| n.ends_with(".gif")).count(), 26);
    assert!(made.contains(&"index.html".to_string()) && made.contains(&"line_sgd_1.0_64.gif".to_string()));
}

#[test]
fn dash_writes_the_gif_to_standard_output_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let out = common::sgd_anim_in(dir.path())
        .args(["render", "--steps", "7", "--batch-size", "8", "-o", "-", "--trace", "t.json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let gif = common::decode(&out.stdout);
    assert_eq!(gif.frames.len(), 8);
    // The same bytes as the file render makes.
    common::sgd_anim_in(dir.path())
        .args(["render", "-q", "--steps", "7", "--batch-size", "8", "-o", "f.gif"])
        .assert()
        .success();
    assert_eq!(out.stdout, std::fs::read(dir.path().join("f.gif")).unwrap());
    assert!(String::from_utf8_lossy(&out.stderr).contains("slope"), "the summary goes to stderr");
    assert!(dir.path().join("t.json").is_file());
}

#[test]
fn a_reader_that_stops_early_is_not_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("sgd-anim"))
        .current_dir(dir.path())
        .args(["render", "--steps", "200", "-o", "-"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut head = [0u8; 6];
    std::io::Read::read_exact(child.stdout.as_mut().unwrap(), &mut head).unwrap();
    assert_eq!(&head, b"GIF89a");
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn output_names_say_gif_and_base_urls_are_folders() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = common::sgd_anim_in(d).args(["render", "--steps", "2", "-o", "a.png"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("--output") && err.contains(".gif"), "{err}");
    assert!(common::names_in(d).is_empty());
    common::sgd_anim_in(d)
        .args(["grid", "-q", "--steps", "2", "--lrs", "0.1", "--batch-sizes", "4", "--out", "site"])
        .args(["--base-url", "/images/fastai"])
        .assert()
        .success();
    let md = std::fs::read_to_string(d.join("site/index.md")).unwrap();
    assert!(
        md.contains("](</images/fastai/data.png>)") && md.contains("](</images/fastai/line_sgd_0.1_4.gif>)"),
        "{md}"
    );
    // index.html sits beside the files: relative paths, whatever the base URL.
    let html = std::fs::read_to_string(d.join("site/index.html")).unwrap();
    assert!(html.contains("src=\"line_gd_0.1.gif\"") && !html.contains("/images/"), "{html}");
}

#[test]
fn ctrl_c_ends_a_long_training_at_once() {
    // Training a million points for 20 000 steps takes far longer than a second and draws no
    // frame, so only the signal handler's own deadline can end it in time.
    let dir = tempfile::tempdir().unwrap();
    for signal in ["-INT", "-TERM"] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("sgd-anim"))
            .current_dir(dir.path())
            .args(["render", "-q", "--force", "--n", "1000000", "--steps", "20000", "-o", "x.gif"])
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(700));
        assert!(child.try_wait().unwrap().is_none(), "still training");
        let sent = Instant::now();
        std::process::Command::new("kill").args([signal, &child.id().to_string()]).status().unwrap();
        let status = child.wait().unwrap();
        let took = sent.elapsed();
        assert_eq!(status.code(), Some(130), "{signal}");
        assert!(took < Duration::from_millis(1500), "{signal}: exit took {took:?}");
        assert!(common::names_in(dir.path()).is_empty(), "{signal}: {:?}", common::names_in(dir.path()));
    }
}

#[test]
fn ctrl_c_ends_a_wait_for_standard_input() {
    // `--data -` with a writer that never writes nor closes: the read blocks, and only the
    // signal handler's own deadline can end it.
    let dir = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("sgd-anim"))
        .current_dir(dir.path())
        .args(["render", "-q", "--data", "-", "-o", "x.gif"])
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    // Held open until the child has exited: `Child::wait` would close it first, and a child
    // that reads the end of its input before its handler runs fails with "the file is empty".
    let writer = child.stdin.take();
    std::thread::sleep(Duration::from_millis(500));
    assert!(child.try_wait().unwrap().is_none(), "still waiting for its data");
    let sent = Instant::now();
    std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    let status = child.wait().unwrap();
    drop(writer);
    assert_eq!(status.code(), Some(130));
    assert!(sent.elapsed() < Duration::from_millis(1500), "exit took {:?}", sent.elapsed());
    assert!(common::names_in(dir.path()).is_empty());
}
