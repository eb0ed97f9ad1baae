//! `render --jobs N`: N threads in all, the same file whatever N is.

use crate::common;

/// The file of `render ARGS -j jobs`, written to a file and to standard output.
fn rendered(dir: &std::path::Path, args: &[&str], jobs: &str) -> (Vec<u8>, Vec<u8>) {
    let name = format!("j{jobs}.gif");
    let out = common::sgd_anim_in(dir).args(["render", "-q", "-j", jobs, "-o", &name]).args(args).output().unwrap();
    assert!(out.status.success(), "-j {jobs}: {}", String::from_utf8_lossy(&out.stderr));
    let piped = common::sgd_anim_in(dir).args(["render", "-q", "--jobs", jobs, "-o", "-"]).args(args).output().unwrap();
    assert!(piped.status.success(), "-j {jobs}, -o -: {}", String::from_utf8_lossy(&piped.stderr));
    (std::fs::read(dir.join(name)).unwrap(), piped.stdout)
}

#[test]
fn render_writes_the_same_bytes_whatever_the_jobs() {
    let dir = tempfile::tempdir().unwrap();
    for args in [&["--steps", "40", "--batch-size", "8"][..], &["--steps", "25", "--view", "all", "--width", "600"]] {
        let (one, one_piped) = rendered(dir.path(), args, "1");
        assert!(one.starts_with(b"GIF89a") && one == one_piped, "{args:?}");
        assert_eq!(common::decode(&one).frames.len(), args[1].parse::<usize>().unwrap() + 1, "{args:?}");
        for jobs in ["2", "4", "7"] {
            let (file, piped) = rendered(dir.path(), args, jobs);
            assert!(file == one && piped == one, "{args:?}: -j {jobs} wrote other bytes than -j 1");
        }
    }
}

#[test]
fn render_refuses_jobs_outside_1_to_1024_naming_the_option() {
    let dir = tempfile::tempdir().unwrap();
    for (jobs, said) in [("0", "invalid value '0' for --jobs: from 1 to 1024 threads"), ("1025", "'1025' for --jobs")] {
        let out = common::sgd_anim_in(dir.path()).args(["render", "-j", jobs, "-o", "x.gif"]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "-j {jobs}");
        assert!(String::from_utf8_lossy(&out.stderr).contains(said), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(!dir.path().join("x.gif").exists());
    }
}
