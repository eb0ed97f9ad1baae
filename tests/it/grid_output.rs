//! grid's folder under the names a user of `render -o x.gif` types: `-o`, `--output`, `--out`.

use crate::common;

const SMALL: &[&str] = &["grid", "--lrs", "0.1", "--batch-sizes", "4", "--gd-lrs", "0.1", "--steps", "2", "-q"];

/// `-o`, `--output` and `--out` each write the same set into the folder they name.
#[test]
fn grid_writes_into_the_folder_of_o_output_or_out() {
    let dir = tempfile::tempdir().unwrap();
    for (flag, folder) in [("--out", "a"), ("-o", "b"), ("--output", "c")] {
        let out = common::sgd_anim_in(dir.path()).args(SMALL).args([flag, folder]).output().unwrap();
        assert!(out.status.success(), "{flag}: {}", common::stderr(&out));
        assert_eq!(common::gifs_in(&dir.path().join(folder)), ["line_gd_0.1.gif", "line_sgd_0.1_4.gif"]);
    }
    for name in common::gifs_in(&dir.path().join("a")) {
        let read = |folder: &str| std::fs::read(dir.path().join(folder).join(&name)).unwrap();
        assert!(read("a") == read("b") && read("a") == read("c"), "{name} differs between the flags");
    }
}

/// A file where the folder goes is refused, naming the option, before anything is written;
/// a new folder named like an animation is made, with a word on what it holds.
#[test]
fn grid_refuses_a_file_for_its_folder_and_warns_about_a_gif_name() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("x.gif"), b"mine").unwrap();
    let out = common::sgd_anim_in(dir.path()).args(&SMALL[..SMALL.len() - 1]).args(["-o", "x.gif"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", common::stderr(&out));
    assert!(
        common::stderr(&out).contains("invalid value 'x.gif' for --out: a folder; 'x.gif' is a regular file"),
        "{}",
        common::stderr(&out)
    );
    assert!(!common::stderr(&out).contains("warning"), "the error alone: {}", common::stderr(&out));
    assert_eq!(std::fs::read(dir.path().join("x.gif")).unwrap(), b"mine");

    let out = common::sgd_anim_in(dir.path()).args(&SMALL[..SMALL.len() - 1]).args(["-o", "y.gif"]).output().unwrap();
    assert!(out.status.success(), "{}", common::stderr(&out));
    assert!(
        common::stderr(&out).contains("warning: --out y.gif is a folder: grid writes its set of files into it; for one animation use 'sgd-anim render -o'"),
        "{}",
        common::stderr(&out)
    );
    assert!(dir.path().join("y.gif").join("line_gd_0.1.gif").is_file());
    // Run again into the folder it made: no word, the folder is there.
    let out = common::sgd_anim_in(dir.path()).args(&SMALL[..SMALL.len() - 1]).args(["-o", "y.gif"]).output().unwrap();
    assert!(out.status.success() && !common::stderr(&out).contains("warning"), "{}", common::stderr(&out));
}

/// `--help` offers the short and the long names (the completions: `completions`).
#[test]
fn help_names_o_and_output() {
    let help = common::sgd_anim().args(["grid", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(help.contains("-o, --out <DIR>") && help.contains("[alias: --output]"), "{help}");
}
