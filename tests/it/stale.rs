//! Temporaries a killed run leaves (`.NAME.XXXXXXXX.tmp`) are removed by the next run that
//! writes NAME, once they are an hour old, and the user is told; nothing else is touched.

use crate::common;
use std::path::Path;
use std::time::{Duration, SystemTime};

fn age(path: &Path, by: Duration) {
    let file = std::fs::OpenOptions::new().write(true).open(path).unwrap();
    file.set_modified(SystemTime::now() - by).unwrap();
}

/// A render killed (SIGKILL) mid-write leaves its temporary; the next render of that file
/// removes it once it is over an hour old, and says so; a younger one (a live run's) stays.
#[cfg(unix)]
#[test]
fn a_killed_renders_temporary_is_removed_by_the_next_render_once_old() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("x.gif");
    let mut child = common::spawn_long_render(&target);
    let started = std::time::Instant::now();
    let temporary =
        || common::names_in(dir.path()).into_iter().find(|n| n.starts_with(".x.gif.") && n.ends_with(".tmp"));
    while temporary().is_none() && started.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let left = temporary().expect("the killed run left its temporary");
    let small = ["render", "--steps", "3", "-o", "x.gif"];

    // Young: it may be a live run's; left alone, nothing said.
    let out = common::sgd_anim_in(dir.path()).args(small).output().unwrap();
    assert!(out.status.success(), "{}", common::stderr(&out));
    assert!(!common::stderr(&out).contains("temporary"), "{}", common::stderr(&out));
    assert_eq!(common::names_in(dir.path()), [left.clone(), "x.gif".into()]);

    // Two hours old, beside another file's temporary and a look-alike of another tool's.
    age(&dir.path().join(&left), Duration::from_secs(7200));
    for other in [".y.gif.Ab3dE9xZ.tmp", ".x.gif.Ab3dE9xZ.tmp.part"] {
        std::fs::write(dir.path().join(other), b"not this run's").unwrap();
        age(&dir.path().join(other), Duration::from_secs(7200));
    }
    let out = common::sgd_anim_in(dir.path()).args(small).output().unwrap();
    assert!(out.status.success(), "{}", common::stderr(&out));
    assert!(
        common::stderr(&out).contains("removed 1 temporary file left by an interrupted run (over an hour old) in "),
        "{}",
        common::stderr(&out)
    );
    assert_eq!(common::names_in(dir.path()), [".x.gif.Ab3dE9xZ.tmp.part", ".y.gif.Ab3dE9xZ.tmp", "x.gif"]);
}

/// The grid removes its own files' old temporaries from its folder (quietly with -q), and
/// leaves those of files it does not write.
#[test]
fn the_grid_removes_its_files_old_temporaries() {
    let dir = tempfile::tempdir().unwrap();
    let set = dir.path().join("set");
    std::fs::create_dir(&set).unwrap();
    let ours = [".line_gd_0.1.gif.Ab3dE9xZ.tmp", ".index.html.q8W2e0Rt.tmp", ".line_sgd_0.1_4.png.K2j4L6n8.tmp"];
    let theirs = [".line_sgd_0.1_64.gif.Ab3dE9xZ.tmp", ".notes.md.Ab3dE9xZ.tmp"];
    for name in ours.iter().chain(&theirs) {
        std::fs::write(set.join(name), b"GIF89a").unwrap();
        age(&set.join(name), Duration::from_secs(3 * 3600));
    }
    let grid = ["grid", "--lrs", "0.1", "--batch-sizes", "4", "--steps", "2", "-o", "set"];
    let out = common::sgd_anim_in(dir.path()).args(grid).output().unwrap();
    assert!(out.status.success(), "{}", common::stderr(&out));
    assert!(
        common::stderr(&out).contains("removed 3 temporary files left by an interrupted run"),
        "{}",
        common::stderr(&out)
    );
    let left = common::names_in(&set);
    assert!(ours.iter().all(|n| !left.contains(&n.to_string())), "{left:?}");
    assert!(theirs.iter().all(|n| left.contains(&n.to_string())), "{left:?}");
    assert!(left.iter().filter(|n| n.ends_with(".tmp")).count() == theirs.len(), "{left:?}");
}
