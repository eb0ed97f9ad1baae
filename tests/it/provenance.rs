//! Provenance: the comment every GIF carries, `sgd-anim info` and `grid --check`, end to end.

use crate::common;

use std::path::{Path, PathBuf};

/// A line as a POSIX shell splits it, for the quoting the commands use: single quotes
/// (`'a b'`, `'it'\''s'`) and backslashes outside them.
fn shell_split(line: &str) -> Vec<String> {
    let (mut words, mut word, mut started) = (vec![], String::new(), false);
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                started = true;
                word.extend(chars.by_ref().take_while(|&c| c != '\''));
            }
            '\\' => {
                started = true;
                word.extend(chars.next());
            }
            c if c.is_whitespace() => {
                if started {
                    words.push(std::mem::take(&mut word));
                }
                started = false;
            }
            c => {
                started = true;
                word.push(c);
            }
        }
    }
    if started {
        words.push(word);
    }
    words
}

/// `sgd-anim info NAME` run in `dir`: its report.
fn info(dir: &Path, name: &str) -> String {
    let out = common::sgd_anim().current_dir(dir).args(["info", name]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// The value of `key:` in an `info` report.
fn field<'a>(report: &'a str, key: &str) -> &'a str {
    let prefix = format!("{key}:");
    let line = report.lines().find(|l| l.starts_with(&prefix)).unwrap_or_else(|| panic!("no {key} in {report}"));
    line[prefix.len()..].trim_start()
}

/// Runs the command `info` printed for `name` (in `from`) in the folder `to`, with `stdin`,
/// and returns the bytes it wrote there under the same name.
fn remake(from: &Path, name: &str, to: &Path, stdin: &[u8]) -> Vec<u8> {
    let report = info(from, name);
    let words = shell_split(field(&report, "command"));
    assert_eq!(words[..2], ["sgd-anim", "render"], "{report}");
    assert_eq!(words[words.len() - 2..], ["-o", name], "{report}");
    common::sgd_anim().current_dir(to).args(&words[1..]).arg("-q").write_stdin(stdin).assert().success();
    std::fs::read(to.join(name)).unwrap()
}

fn folders() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let (made, again) = (dir.path().join("made"), dir.path().join("again"));
    std::fs::create_dir_all(&made).unwrap();
    std::fs::create_dir_all(&again).unwrap();
    (dir, made, again)
}

#[test]
fn shell_split_reads_the_quoting_commands_use() {
    assert_eq!(shell_split(" a  'b c' 'it'\\''s' d\\ e ''"), ["a", "b c", "it's", "d e", ""]);
}

#[test]
fn info_prints_a_command_that_makes_the_same_bytes() {
    let (dir, made, again) = folders();
    let csv = dir.path().join("my points.csv");
    let points: String =
        (0..30).map(|i| format!("{},{}\n", f64::from(i) / 10.0, 2.0 * f64::from(i) / 10.0 + 1.0)).collect();
    std::fs::write(&csv, format!("x,y\n{points}")).unwrap();
    let options: &[&[&str]] = &[
        &[
            "--lr",
            "0.05",
            "--batch-size",
            "8",
            "--optimizer",
            "momentum",
            "--momentum",
            "0.8",
            "--view",
            "all",
            "--trail",
            "3",
            "--width",
            "600",
            "--height",
            "200",
            "--steps",
            "6",
            "--delay-ms",
            "33",
            "--loop-count",
            "2",
        ],
        &["--lr", "0.3", "--batch-size", "4", "--sampling", "shuffle", "--show-batch", "--no-caption", "--steps", "5"],
    ];
    for (k, opts) in options.iter().enumerate() {
        let name = format!("x {k}.gif");
        common::sgd_anim().current_dir(&made).arg("render").args(*opts).args(["-q", "-o", &name]).assert().success();
        assert_eq!(remake(&made, &name, &again, b""), std::fs::read(made.join(&name)).unwrap(), "{opts:?}");
    }
    // Your own points: from a file named as it was given (here a full path, with a space)...
    let name = "csv.gif";
    common::sgd_anim()
        .current_dir(&made)
        .args(["render", "--batch-size", "5", "--steps", "5", "--height", "200", "--width", "300", "-q", "--data"])
        .arg(&csv)
        .args(["-o", name])
        .assert()
        .success();
    let report = info(&made, name);
    assert!(field(&report, "note").contains("the same file, from the same folder"), "{report}");
    assert_eq!(remake(&made, name, &again, b""), std::fs::read(made.join(name)).unwrap());
    // ... or from standard input: the command says `--data -` and a note says to give the same CSV.
    let name = "stdin.gif";
    let csv_text = std::fs::read(&csv).unwrap();
    common::sgd_anim()
        .current_dir(&made)
        .args(["render", "--steps", "5", "--height", "200", "--width", "300", "-q", "--data", "-", "-o", name])
        .write_stdin(csv_text.clone())
        .assert()
        .success();
    let report = info(&made, name);
    assert!(field(&report, "command").contains(" --data - "), "{report}");
    assert!(field(&report, "note").contains("standard input"), "{report}");
    assert_eq!(remake(&made, name, &again, &csv_text), std::fs::read(made.join(name)).unwrap());
}

#[test]
fn a_grid_file_names_the_render_command_that_makes_it() {
    let (_dir, made, again) = folders();
    common::sgd_anim()
        .args(["grid", "-q", "--steps", "5", "--lrs", "0.1", "--batch-sizes", "16", "--gd-lrs", "0.5"])
        .args(["--trail", "2", "--width", "300", "--height", "200", "--jobs", "2", "--out"])
        .arg(&made)
        .assert()
        .success();
    for name in ["line_sgd_0.1_16.gif", "line_gd_0.5.gif"] {
        let report = info(&made, name);
        assert!(field(&report, "command").contains(" --trail 2 "), "{report}");
        assert_eq!(remake(&made, name, &again, b""), std::fs::read(made.join(name)).unwrap(), "{name}");
    }
}

/// The comments of a GIF as the gif crate's own streaming decoder reads them.
fn comments_by_the_gif_crate(bytes: &[u8]) -> Vec<Vec<u8>> {
    use gif::streaming_decoder::{Block, Decoded, OutputBuffer, StreamingDecoder};
    let mut decoder = StreamingDecoder::new();
    let (mut rest, mut comments) = (bytes, vec![]);
    loop {
        let (used, decoded) = decoder.update(rest, &mut OutputBuffer::None).expect("a valid GIF");
        rest = &rest[used..];
        match decoded {
            Decoded::BlockFinished(ext) if ext.0 == gif::Extension::Comment as u8 => {
                // The decoder keeps the first sub-block's length byte before the data.
                let (_, data, _) = decoder.last_ext();
                comments.push(data[1..].to_vec());
            }
            Decoded::BlockStart(Block::Trailer) => return comments,
            Decoded::Nothing if rest.is_empty() => panic!("no trailer"),
            _ => {}
        }
    }
}

#[test]
fn the_comment_is_a_gif_comment_extension_decoders_read() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.gif");
    common::sgd_anim().args(["render", "--batch-size", "16", "--steps", "5", "-q", "-o"]).arg(&out).assert().success();
    let bytes = std::fs::read(&out).unwrap();
    assert_eq!(common::decode(&bytes).frames.len(), 6, "still a valid animation");
    let comments = comments_by_the_gif_crate(&bytes);
    assert_eq!(comments.len(), 1);
    let text = String::from_utf8(comments[0].clone()).unwrap();
    assert!(text.len() > 255, "more than one sub-block: {}", text.len());
    let version = env!("CARGO_PKG_VERSION");
    assert!(
        text.starts_with(&format!("made by: sgd-anim {version}\ncommand: sgd-anim render --lr 0.1 --batch-size 16 "))
    );
    assert!(text.ends_with(" --delay-ms 20 --hold-ms 1000 -o FILE.gif"), "{text}");
    let provenance = sgd_anim::Provenance::parse(&comments[0]).expect("our own reader reads it too");
    assert_eq!(provenance.version, version);
    // It sits before the first frame, right after the header, the palette and the loop extension.
    let at = bytes.windows(2).position(|w| w == [0x21, 0xFE]).unwrap();
    assert!(at < bytes.windows(2).position(|w| w == [0x21, 0xF9]).unwrap());
}

#[test]
fn side_outputs_and_quiet_do_not_change_the_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let base = ["render", "--batch-size", "8", "--steps", "5", "--width", "300", "--height", "200", "--trail", "1"];
    let run = |extra: &[&str]| {
        let out = common::sgd_anim().args(base).args(extra).current_dir(dir.path()).output().unwrap();
        assert!(out.status.success(), "{extra:?}: {}", String::from_utf8_lossy(&out.stderr));
        out.stdout
    };
    run(&["-o", "plain.gif"]);
    run(&["-q", "-o", "quiet.gif"]);
    run(&["--trace", "t.json", "-o", "traced.gif"]);
    run(&["--force", "-o", "forced.gif"]);
    let streamed = run(&["-q", "-o", "-"]);
    let plain = std::fs::read(dir.path().join("plain.gif")).unwrap();
    for name in ["quiet.gif", "traced.gif", "forced.gif"] {
        assert_eq!(std::fs::read(dir.path().join(name)).unwrap(), plain, "{name}");
    }
    assert_eq!(streamed, plain, "-o -");
    common::sgd_anim()
        .args(["grid", "-q", "--steps", "5", "--width", "300", "--height", "200", "--trail", "1", "--lrs", "0.1"])
        .args(["--batch-sizes", "8", "--gd-lrs", "0.1", "--jobs", "1", "--trace-dir", "traces", "--out", "grid"])
        .current_dir(dir.path())
        .assert()
        .success();
    assert_eq!(std::fs::read(dir.path().join("grid/line_sgd_0.1_8.gif")).unwrap(), plain, "grid");
}

#[test]
fn info_shows_size_frames_delays_and_loop_count() {
    let dir = tempfile::tempdir().unwrap();
    common::sgd_anim()
        .current_dir(dir.path())
        .args(["render", "--steps", "5", "--width", "300", "--height", "200", "--delay-ms", "50", "--hold-ms", "500"])
        .args(["--loop-count", "2", "-q", "-o", "x.gif"])
        .assert()
        .success();
    let report = info(dir.path(), "x.gif");
    assert_eq!(field(&report, "file"), "x.gif");
    assert_eq!(field(&report, "made by"), format!("sgd-anim {}", env!("CARGO_PKG_VERSION")));
    assert_eq!(field(&report, "size"), "300x200");
    assert_eq!(field(&report, "frames"), "6");
    assert_eq!(field(&report, "delays"), "5 x 50 ms, last 500 ms (0.75 s in all)");
    assert_eq!(field(&report, "loop"), "plays 2 times");
    assert!(!report.contains("note:"), "{report}");
}

#[test]
fn info_on_a_gif_without_our_comment_says_there_is_no_provenance() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = vec![];
    {
        let mut encoder = gif::Encoder::new(&mut bytes, 2, 2, &[0, 0, 0, 255, 255, 255]).unwrap();
        let frame = gif::Frame { width: 2, height: 2, delay: 7, buffer: vec![0, 1, 1, 0].into(), ..Default::default() };
        encoder.write_frame(&frame).unwrap();
    }
    std::fs::write(dir.path().join("other.gif"), &bytes).unwrap();
    let report = info(dir.path(), "other.gif");
    assert!(field(&report, "provenance").starts_with("none"), "{report}");
    assert!(!report.contains("command:"), "{report}");
    assert_eq!((field(&report, "size"), field(&report, "frames")), ("2x2", "1"));
    assert_eq!(field(&report, "loop"), "plays once");
}

#[test]
fn info_on_bad_files_is_a_clear_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    common::sgd_anim().current_dir(d).args(["render", "--steps", "3", "-q", "-o", "good.gif"]).assert().success();
    let good = std::fs::read(d.join("good.gif")).unwrap();
    std::fs::write(d.join("cut.gif"), &good[..good.len() / 2]).unwrap();
    std::fs::write(d.join("empty.gif"), b"").unwrap();
    std::fs::write(d.join("text.gif"), b"x,y\n1,2\n").unwrap();
    std::fs::create_dir(d.join("folder.gif")).unwrap();
    for (name, says) in [
        ("missing.gif", "invalid value 'missing.gif' for <FILE.gif>: an existing GIF file"),
        ("folder.gif", "invalid value 'folder.gif' for <FILE.gif>: a GIF file, but it is a directory"),
        ("empty.gif", "empty.gif: not a GIF: it starts with \"\""),
        ("text.gif", "text.gif: not a GIF: it starts with \"x,y\\n1,\""),
        ("cut.gif", &format!("cut.gif: the file ends at byte {}, inside frame ", good.len() / 2)),
    ] {
        let out = common::sgd_anim().current_dir(d).args(["info", name]).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {err}");
        assert!(err.starts_with(&format!("error: {says}")), "{name}: {err}");
        assert!(!err.contains("panicked") && out.stdout.is_empty(), "{name}: {err}");
    }
}

/// `grid --check --gifs-only` (the GIFs: `posts` checks the whole page) with the small set's
/// options, in `dir`: exit code, stdout, stderr.
fn check(dir: &Path, extra: &[&str]) -> (Option<i32>, String, String) {
    let out = common::sgd_anim()
        .current_dir(dir)
        .args(["grid", "--steps", "5", "--lrs", "0.1", "--batch-sizes", "2,16", "--width", "300", "--height", "200"])
        .args(extra)
        .args(["--check", "set", "--gifs-only"])
        .output()
        .unwrap();
    let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
    (out.status.code(), text(out.stdout), text(out.stderr))
}

/// Every file under `dir`, with its size and modification time.
fn listing(dir: &Path) -> Vec<(PathBuf, u64, std::time::SystemTime)> {
    let mut all: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let meta = e.metadata().unwrap();
            (e.path(), meta.len(), meta.modified().unwrap())
        })
        .collect();
    all.sort();
    all
}

#[test]
fn grid_check_passes_on_a_fresh_set_and_names_each_file_that_differs_or_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    common::sgd_anim()
        .current_dir(d)
        .args(["grid", "-q", "--steps", "5", "--lrs", "0.1", "--batch-sizes", "2,16", "--width", "300"])
        .args(["--height", "200", "--out", "set"])
        .assert()
        .success();
    let before = listing(d);
    let set = listing(&d.join("set"));
    // GD, two mini-batch runs, and the batch-size comparison.
    assert_eq!(check(d, &[]), (Some(0), "all 4 files match\n".into(), String::new()));
    assert_eq!(check(d, &["-q", "--jobs", "1"]), (Some(0), String::new(), String::new()));
    assert_eq!((listing(d), listing(&d.join("set"))), (before, set), "--check writes nothing");
    // Other options make other files: every file differs, and says why.
    let (code, out, err) = check(d, &["--trail", "1"]);
    assert_eq!((code, out.as_str()), (Some(1), ""), "{err}");
    assert!(err.starts_with("error: 4 of 4 files do not match what sgd-anim "), "{err}");
    assert!(err.contains("set/line_sgd_0.1_2.gif: differs: made with other settings"), "{err}");
    // One byte changed in one file.
    let altered = d.join("set/line_sgd_0.1_2.gif");
    let mut bytes = std::fs::read(&altered).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x55;
    std::fs::write(&altered, &bytes).unwrap();
    let (code, out, err) = check(d, &[]);
    assert_eq!((code, out.as_str()), (Some(1), ""), "{err}");
    assert!(err.starts_with("error: 1 of 4 files do not match"), "{err}");
    assert!(err.contains("\n  set/line_sgd_0.1_2.gif: differs: "), "{err}");
    assert_eq!(err.lines().count(), 2, "{err}");
    // And one file removed.
    std::fs::remove_file(d.join("set/line_gd_0.1.gif")).unwrap();
    let (code, _, err) = check(d, &[]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.starts_with("error: 2 of 4 files do not match"), "{err}");
    assert!(err.contains("\n  set/line_gd_0.1.gif: missing\n"), "{err}");
    // No folder at all is a usage error naming --check.
    std::fs::remove_dir_all(d.join("set")).unwrap();
    let (code, _, err) = check(d, &[]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("for --check: an existing folder"), "{err}");
}
