//! The gallery as a blog author, a reader and an attacker use it: `--base-url` refused or
//! encoded, every file of the folder checked by `grid --check`, byte for byte.

use crate::common;
use std::path::Path;

/// The small set's options.
const SMALL: [&str; 11] =
    ["grid", "--steps", "5", "--lrs", "0.1", "--batch-sizes", "2,16", "--width", "300", "--height", "200"];

/// `grid --check set` with the small set's options and `extra`: exit code and stderr.
fn check(dir: &Path, extra: &[&str]) -> (Option<i32>, String, String) {
    let out = common::sgd_anim_in(dir).args(SMALL).args(extra).args(["--check", "set"]).output().unwrap();
    let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
    (out.status.code(), text(out.stdout), text(out.stderr))
}

#[test]
fn hostile_base_urls_are_refused_naming_the_option_and_odd_ones_encoded() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for bad in [
        "<script>alert(3)</script>",
        "javascript:alert(1)//",
        "JavaScript:alert(1)",
        "data:text/html,x",
        "/x\n## Heading\n[a](b)",
        "/x\r/",
        "/a\"b/",
        "/a'b/",
        "/img?x=1",
    ] {
        let out = common::sgd_anim_in(d).args(SMALL).args(["-q", "--base-url", bad, "--out", "set"]).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{bad:?}: {err}");
        assert!(err.starts_with("error: invalid value '") && err.contains("for --base-url: "), "{bad:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{bad:?}: the value's newlines are escaped: {err}");
        assert!(!d.join("set").exists(), "{bad:?}: nothing written");
    }
    common::sgd_anim_in(d)
        .args(SMALL)
        .args(["-q", "--html", "--base-url", "/my images/é", "--out", "set"])
        .assert()
        .success();
    let md = std::fs::read_to_string(d.join("set/index.md")).unwrap();
    assert!(md.contains("data-gif=\"/my%20images/%C3%A9/line_gd_0.1.gif\""), "{md}");
    assert!(md.contains("srcset=\"/my%20images/%C3%A9/compare_bs_lr0.1.png\""), "{md}");
    assert!(md.contains("<script src=\"/my%20images/%C3%A9/sgd-anim-player.js\" defer></script>"), "{md}");
    let shortcode = std::fs::read_to_string(d.join("set/hugo-shortcode-sgd.html")).unwrap();
    assert!(shortcode.contains("src=\"/my%20images/%C3%A9/line_sgd_0.1_16.gif\""), "{shortcode}");
}

/// The small set, written into `dir/set`.
fn small_set(dir: &Path) {
    common::sgd_anim_in(dir).args(SMALL).args(["-q", "--out", "set"]).assert().success();
}

#[test]
fn grid_check_compares_every_file_of_the_page() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    small_set(d);
    // 3 GIFs and a comparison, their 4 posters, data.png, index.md, index.html, player.html,
    // the player script, the Hugo shortcode and the Jekyll include.
    assert_eq!(check(d, &[]), (Some(0), "all 15 files match\n".into(), String::new()));
    assert_eq!(check(d, &["--gifs-only"]), (Some(0), "all 4 files match\n".into(), String::new()));
    // Point 7 of issue 20, one edit at a time: each is named, with what differs.
    let set = d.join("set");
    let red = image::RgbImage::from_pixel(300, 200, image::Rgb([255, 0, 0]));
    red.save(set.join("line_sgd_0.1_2.png")).unwrap();
    std::fs::remove_file(set.join("data.png")).unwrap();
    std::fs::remove_file(set.join("compare_bs_lr0.1.png")).unwrap();
    let md = std::fs::read_to_string(set.join("index.md")).unwrap();
    std::fs::write(set.join("index.md"), format!("{md}<script>alert(1)</script>\n")).unwrap();
    let player = std::fs::read_to_string(set.join("player.html")).unwrap();
    std::fs::write(set.join("player.html"), player.replacen("Step through", "Step thru", 1)).unwrap();
    let js = std::fs::read(set.join("sgd-anim-player.js")).unwrap();
    std::fs::write(set.join("sgd-anim-player.js"), &js[..js.len() / 2]).unwrap();
    let (code, out, err) = check(d, &[]);
    assert_eq!((code, out.as_str()), (Some(1), ""), "{err}");
    assert!(err.starts_with("error: 6 of 15 files do not match what sgd-anim "), "{err}");
    for line in [
        "set/line_sgd_0.1_2.png: differs: other pixels or bytes",
        "set/data.png: missing",
        "set/compare_bs_lr0.1.png: missing",
        "set/index.md: differs: edited: it parts from what these options make at line ",
        "set/player.html: differs: edited: it parts from what these options make at line ",
        "set/sgd-anim-player.js: differs: truncated: its ",
    ] {
        assert!(err.contains(&format!("\n  {line}")), "{line}\n{err}");
    }
    // --gifs-only keeps to the GIFs.
    assert_eq!(check(d, &["--gifs-only"]).0, Some(0));
}

#[test]
fn grid_check_tells_other_settings_from_truncated_and_corrupt_gifs() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    small_set(d);
    let set = d.join("set");
    // A GIF made with other options, under a grid file's name.
    common::sgd_anim_in(d)
        .args(["render", "-q", "--steps", "5", "--lr", "0.5", "--batch-size", "2", "--width", "300", "--height", "200"])
        .args(["-o", "set/line_sgd_0.1_2.gif"])
        .assert()
        .success();
    let gif = std::fs::read(set.join("line_gd_0.1.gif")).unwrap();
    std::fs::write(set.join("line_gd_0.1.gif"), &gif[..gif.len() - 40]).unwrap();
    let mut corrupt = std::fs::read(set.join("line_sgd_0.1_16.gif")).unwrap();
    corrupt.truncate(corrupt.len() / 2);
    corrupt.extend_from_slice(&[0xFF; 64]);
    std::fs::write(set.join("line_sgd_0.1_16.gif"), &corrupt).unwrap();
    let (code, _, err) = check(d, &["--gifs-only"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.starts_with("error: 3 of 4 files do not match"), "{err}");
    let line = err.lines().find(|l| l.contains("line_sgd_0.1_2.gif")).unwrap();
    assert!(line.contains("differs: made with other settings: its comment says `sgd-anim render --lr 0.5 "), "{line}");
    assert!(line.contains("; these options make `sgd-anim render --lr 0.1 "), "{line}");
    assert!(err.contains("set/line_gd_0.1.gif: differs: truncated: its "), "{err}");
    assert!(err.contains("set/line_sgd_0.1_16.gif: differs: corrupt: not a whole GIF ("), "{err}");
}
