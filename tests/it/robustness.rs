//! The command line under abuse, through the binary: values that start with '-', arguments that
//! are not UTF-8, huge values, closed pipes, and random argument lists. Every usage error names
//! its option, nothing panics.

use crate::common;

use proptest::prelude::*;
use std::ffi::OsString;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// Runs the binary in `dir` with no input.
fn run_in(dir: &Path, args: &[OsString]) -> Output {
    Command::new(common::bin()).current_dir(dir).args(args).stdin(Stdio::null()).output().unwrap()
}

fn os(args: &[&str]) -> Vec<OsString> {
    args.iter().map(OsString::from).collect()
}

/// The error's paragraph on stderr (from "error:" to the first blank line): the usage line that
/// follows names options whatever the error was.
fn error_paragraph(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let start = text.find("error:").unwrap_or(text.len());
    text[start..].split("\n\n").next().unwrap_or_default().to_string()
}

#[test]
fn values_starting_with_a_hyphen_are_values() {
    let dir = tempfile::tempdir().unwrap();
    // Valid: a negative start guess in exponent form, and a file literally named "-x.gif".
    let out = run_in(dir.path(), &os(&["render", "--start-slope", "-1.5e-3", "--steps", "3", "-q", "-o", "-x.gif"]));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(common::decode(&std::fs::read(dir.path().join("-x.gif")).unwrap()).frames.len(), 4);
    let empty = tempfile::tempdir().unwrap();
    for (args, option) in [
        (&["render", "--batch-size", "-4"][..], "--batch-size"),
        (&["render", "--steps", "-5"], "--steps"),
        (&["render", "--width", "-5"], "--width"),
        (&["render", "--height", "-480"], "--height"),
        (&["render", "--lr", "-inf"], "--lr"),
        (&["render", "--lr", "-.5"], "--lr"),
        (&["render", "--lr", "-1"], "--lr"),
        (&["render", "--seed", "-1"], "--seed"),
        (&["render", "--lr", "--steps", "3"], "--lr"),
        (&["grid", "--lrs", "-0.1,abc"], "--lrs"),
        (&["grid", "--batch-sizes", "-4"], "--batch-sizes"),
        (&["grid", "--jobs", "-2"], "--jobs"),
    ] {
        let mut args = os(args);
        if args[0] == "render" {
            args.extend(os(&["-o", "-y.gif"]));
        }
        let out = run_in(empty.path(), &args);
        let paragraph = error_paragraph(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {paragraph}");
        assert!(paragraph.contains(option), "{args:?} does not name {option}: {paragraph}");
    }
    assert_eq!(common::names_in(empty.path()), Vec::<String>::new(), "nothing written on a usage error");
}

#[cfg(unix)]
#[test]
fn arguments_that_are_not_utf8_name_their_option() {
    use std::os::unix::ffi::OsStringExt;
    let dir = tempfile::tempdir().unwrap();
    let bytes = |b: &[u8]| OsString::from_vec(b.to_vec());
    let mut args = os(&["render", "--steps", "2", "--lr"]);
    args.extend([bytes(b"\xff"), "-o".into(), "x.gif".into()]);
    let out = run_in(dir.path(), &args);
    assert_eq!(out.status.code(), Some(2));
    let paragraph = error_paragraph(&out.stderr);
    assert!(paragraph.contains("invalid value '\\xFF' for '--lr <LR>'"), "{paragraph}");
    for (value, option) in [(&b"0.1,\xfe"[..], "--lrs"), (b"\xc3(", "--steps"), (b"\xff", "--view")] {
        let out = run_in(dir.path(), &[os(&["grid", option]), vec![bytes(value)]].concat());
        assert_eq!(out.status.code(), Some(2), "{option}");
        assert!(error_paragraph(&out.stderr).contains(option), "{}", error_paragraph(&out.stderr));
    }
    // A stray argument is named itself.
    let out = run_in(dir.path(), &[os(&["grid", "--steps", "2"]), vec![bytes(b"junk\xff")]].concat());
    assert_eq!(out.status.code(), Some(2));
    assert!(error_paragraph(&out.stderr).contains("'junk\u{fffd}'"), "{}", error_paragraph(&out.stderr));
    // A file name need not be UTF-8.
    let out = run_in(dir.path(), &[os(&["render", "--steps", "2", "-q", "-o"]), vec![bytes(b"\xff.gif")]].concat());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(dir.path().join(bytes(b"\xff.gif")).is_file());
}

#[test]
fn long_values_are_cut_in_messages() {
    let dir = tempfile::tempdir().unwrap();
    let digits = "9".repeat(200);
    let letters = "z".repeat(200);
    let unknown = format!("--{letters}");
    let cases: Vec<(Vec<&str>, String)> = vec![
        // clap's messages
        (vec!["render", "--steps", &digits], format!("'{}…'", "9".repeat(60))),
        (vec!["render", "--lr", &letters], format!("'{}…'", "z".repeat(60))),
        (vec!["render", "--view", &letters], format!("'{}…'", "z".repeat(60))),
        (vec!["grid", &unknown], format!("'--{}…'", "z".repeat(58))),
        (vec!["grid", &letters], format!("'{}…'", "z".repeat(60))),
        (vec![&letters], format!("'{}…'", "z".repeat(60))),
        // the library's: 1e300 is shown with its 301 digits
        (vec!["render", "--start-slope", "1e300"], format!("'1{}…'", "0".repeat(59))),
        (vec!["render", "--true-slope", "-1e300"], format!("'-1{}…'", "0".repeat(58))),
    ];
    for (args, expected) in cases {
        let mut args = os(&args);
        if args[0] == "render" {
            args.extend(os(&["-o", "x.gif"]));
        }
        let out = run_in(dir.path(), &args);
        assert_eq!(out.status.code(), Some(2));
        let paragraph = error_paragraph(&out.stderr);
        assert!(paragraph.contains(&expected), "{args:?}: {paragraph}");
        assert!(paragraph.lines().all(|l| l.chars().count() < 150), "{paragraph}");
        assert!(out.stderr.len() < 400, "{}", String::from_utf8_lossy(&out.stderr));
    }
}

/// Runs `args` in `dir` with the read end of stdout (or stderr) closed before anything is
/// written, as `sgd-anim grid | head -0` would; returns the exit code and what the other stream got.
fn with_closed(stream: &str, dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let mut child = Command::new(common::bin())
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    match stream {
        "stdout" => drop(child.stdout.take()),
        _ => drop(child.stderr.take()),
    }
    let out = child.wait_with_output().unwrap();
    let other = if stream == "stdout" { &out.stderr } else { &out.stdout };
    (out.status.code(), String::from_utf8_lossy(other).into_owned())
}

const GRID: &[&str] = &["grid", "--steps", "3", "--lrs", "0.1,1.0", "--batch-sizes", "4,8", "--out", "."];
const GRID_FILES: &[&str] = &[
    "compare_bs_lr0.1.gif",
    "compare_bs_lr0.1.png",
    "compare_grid.gif",
    "compare_grid.png",
    "compare_lr_bs8.gif",
    "compare_lr_bs8.png",
    "data.png",
    "hugo-shortcode-sgd.html",
    "index.html",
    "index.md",
    "jekyll-include-sgd.html",
    "line_gd_0.1.gif",
    "line_gd_0.1.png",
    "line_sgd_0.1_4.gif",
    "line_sgd_0.1_4.png",
    "line_sgd_0.1_8.gif",
    "line_sgd_0.1_8.png",
    "line_sgd_1.0_4.gif",
    "line_sgd_1.0_4.png",
    "line_sgd_1.0_8.gif",
    "line_sgd_1.0_8.png",
    "player.html",
    "sgd-anim-player.js",
];

#[test]
fn a_closed_stdout_stops_the_output_quietly() {
    for extra in [&[][..], &["--json"], &["--json", "-q"], &["--momentum", "0.5"]] {
        let dir = tempfile::tempdir().unwrap();
        let args = [GRID, extra].concat();
        let (code, stderr) = with_closed("stdout", dir.path(), &args);
        assert_eq!(code, Some(0), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert_eq!(common::names_in(dir.path()), GRID_FILES, "{args:?}");
    }
    let dir = tempfile::tempdir().unwrap();
    let (code, stderr) = with_closed("stdout", dir.path(), &["render", "--steps", "3", "-o", "x.gif"]);
    assert_eq!((code, stderr.contains("panicked")), (Some(0), false), "{stderr}");
    assert!(dir.path().join("x.gif").is_file());
    for help in [&["--help"][..], &["render", "--help"], &["--version"]] {
        let (code, stderr) = with_closed("stdout", dir.path(), help);
        assert_eq!((code, stderr.contains("panicked")), (Some(0), false), "{help:?}: {stderr}");
    }
}

#[test]
fn a_closed_stderr_stops_the_messages_quietly() {
    // Progress lines ("wrote ..."), a warning, and the summary on stdout.
    let dir = tempfile::tempdir().unwrap();
    let (code, stdout) = with_closed("stderr", dir.path(), &[GRID, &["--momentum", "0.5"]].concat());
    assert_eq!(code, Some(0), "{stdout}");
    assert!(stdout.contains("line_sgd_1.0_8.gif"), "the summary still comes out: {stdout}");
    assert_eq!(common::names_in(dir.path()), GRID_FILES);
    // Errors: the exit code still says what happened (a panic would give 101).
    let empty = tempfile::tempdir().unwrap();
    for (args, expected) in [
        (&["render", "--lr", "-1", "-o", "x.gif"][..], 2),
        (&["render", "--bogus"], 2),
        (&["render", "--steps", "x", "-o", "x.gif"], 2),
    ] {
        assert_eq!(with_closed("stderr", empty.path(), args).0, Some(expected), "{args:?}");
    }
    // A folder where a GIF should go: refused before any work (exit 2), nothing written.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("line_sgd_0.1_4.gif")).unwrap();
    std::fs::write(dir.path().join("line_sgd_0.1_4.gif").join("keep"), b"x").unwrap();
    assert_eq!(with_closed("stderr", dir.path(), GRID).0, Some(2));
    assert!(!dir.path().join("line_sgd_1.0_8.gif").exists());
}

// The fuzz test: random argument lists, always in a fresh temporary folder as the working
// folder, with file names relative to it. Runs are kept cheap: few steps (a large valid count
// never comes up), small or refused frame sizes.

/// Values for numeric and list options: valid small ones, negatives, values that look like
/// flags, non-finite and huge numbers, garbage and long strings.
const NUMBERS: &[&str] = &[
    "0",
    "1",
    "2",
    "3",
    "5",
    "8",
    "0.5",
    "-1",
    "-4",
    "-0",
    "-.5",
    "-1.5e-3",
    "-inf",
    "inf",
    "nan",
    "NaN",
    "1e300",
    "-1e300",
    "100001",
    "4294967296",
    "99999999999999999999999",
    "",
    " ",
    "abc",
    "0x1f",
    "1_000",
    "full",
    "-x",
    "--",
    "-q",
    "--steps",
    "-o",
    "0.1,1",
    "1,,2",
    "-0.1,abc",
    "4,4",
];

const PATHS: &[&str] =
    &["a.gif", "-x.gif", "sub/a.gif", "", ".", "out", "t.json", "data.csv", "-", "missing.csv", "a b.gif", "--x"];

/// Options that take a value, with values of their own beside [`NUMBERS`].
const OPTIONS: &[(&str, &[&str])] = &[
    ("--lr", &["0.1", "1e6"]),
    ("--batch-size", &["full", "FULL", "16"]),
    ("--steps", &[]),
    ("--seed", &["18446744073709551615", "18446744073709551616"]),
    ("--start-slope", &["1e12"]),
    ("--start-intercept", &[]),
    ("--sampling", &["shuffle", "replacement", "random"]),
    ("--optimizer", &["adam", "momentum", "sgd", "lion"]),
    ("--momentum", &["0.9", "1"]),
    ("--beta1", &["0.9"]),
    ("--beta2", &["0.999"]),
    ("--n", &["100"]),
    ("--true-slope", &[]),
    ("--true-intercept", &[]),
    ("--noise", &["0.6"]),
    ("--view", &["line", "all", "line+loss", "line+params", "sideways"]),
    ("--width", &["240", "640", "200", "4097"]),
    ("--height", &["240", "199", "4097"]),
    ("--caption-every", &[]),
    ("--trail", &["101"]),
    ("--delay-ms", &["20", "655351"]),
    ("--hold-ms", &[]),
    ("--loop-count", &["65536"]),
    ("--lrs", &["0.1", "0.01,0.1,1.0"]),
    ("--batch-sizes", &["1,2", "100"]),
    ("--gd-lrs", &["0.1,0.1"]),
    ("--jobs", &["1", "2", "1025"]),
    ("-j", &["1"]),
    ("--base-url", &["img", "img/", "http://x/"]),
];

const PATH_OPTIONS: &[&str] = &["-o", "--output", "--trace", "--data", "--out", "--trace-dir"];
const SWITCHES: &[&str] = &["-q", "--quiet", "--force", "--json", "--no-caption", "--show-batch", "-h", "-V"];
const UNKNOWN: &[&str] = &["--bogus", "-Z", "--lr2", "--=", "--steps=", "-qZ", "--LR", "-", "--", "junk", "1"];

fn long(c: char) -> String {
    std::iter::repeat_n(c, 200).collect()
}

fn bytes(s: &str) -> Vec<u8> {
    s.as_bytes().to_vec()
}

/// Up to 5 random bytes, at least `min`, without '/' or '.': any argument may become a path
/// (`-o` given without its value takes the next one), and none may lead out of the temporary
/// folder. (No NUL: it cannot be in an argument.)
fn junk(min: usize) -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec((1u8..=255).prop_filter("no / or .", |b| !b"/.".contains(b)), min..6)
}

/// A value for `option`: one of [`NUMBERS`], one of its own (or a small valid number), a long
/// one, or random bytes.
fn value_for(option: &'static str) -> BoxedStrategy<Vec<u8>> {
    let own = OPTIONS.iter().find(|(o, _)| *o == option).map(|(_, v)| *v).unwrap_or(&[]);
    let (listed, own): (&[&str], &[&str]) = match PATH_OPTIONS.contains(&option) {
        true => (PATHS, PATHS),
        false if own.is_empty() => (NUMBERS, &["1", "2", "3"]),
        false => (NUMBERS, own),
    };
    prop_oneof![
        8 => proptest::sample::select(listed).prop_map(bytes),
        4 => proptest::sample::select(own).prop_map(bytes),
        1 => Just(bytes(&long('9'))),
        1 => Just(bytes(&format!("-{}", long('z')))),
        1 => Just(bytes(&format!("{}.gif", long('p')))),
        1 => junk(1),
    ]
    .boxed()
}

/// One group of arguments: an option and its value (apart, with '=', or missing), a switch,
/// an unknown flag or stray junk.
fn group() -> impl Strategy<Value = Vec<Vec<u8>>> {
    let all_options: Vec<&'static str> = OPTIONS.iter().map(|(o, _)| *o).chain(PATH_OPTIONS.iter().copied()).collect();
    let option = proptest::sample::select(all_options).prop_flat_map(|option| {
        (value_for(option), 0..10u8).prop_map(move |(value, how)| match how {
            0 => vec![bytes(option)],
            1 if option.starts_with("--") => vec![[bytes(option), b"=".to_vec(), value].concat()],
            _ => vec![bytes(option), value],
        })
    });
    prop_oneof![
        8 => option,
        2 => proptest::sample::select(SWITCHES).prop_map(|s| vec![bytes(s)]),
        1 => proptest::sample::select(UNKNOWN).prop_map(|s| vec![bytes(s)]),
        1 => junk(0).prop_map(|b| vec![b]),
    ]
}

/// Whether a usage error's paragraph names an option or the argument it refuses (an unknown
/// `--name=value` is named by its `--name`, an unknown short flag in `-qZ` by its `-Z`).
fn names_an_option(paragraph: &str, args: &[Vec<u8>]) -> bool {
    let flags = OPTIONS.iter().map(|(o, _)| *o).chain(PATH_OPTIONS.iter().copied()).chain(SWITCHES.iter().copied());
    // As the binary shows arguments: lossy or with `\xFF`, control characters escaped, cut.
    let shown = |text: &str| -> String {
        let escaped: String =
            text.chars().map(|c| if c.is_control() { c.escape_default().to_string() } else { c.to_string() }).collect();
        sgd_anim::cli::cut(&escaped).into_owned()
    };
    let quoted = |arg: &Vec<u8>| {
        let lossy = String::from_utf8_lossy(arg).into_owned();
        let escaped: String = arg
            .utf8_chunks()
            .map(|c| c.valid().to_string() + &c.invalid().iter().map(|b| format!("\\x{b:02X}")).collect::<String>())
            .collect();
        [lossy, escaped].iter().any(|a| paragraph.contains(&format!("'{}'", shown(a))))
    };
    let before_equals = |arg: &Vec<u8>| arg.split(|&b| b == b'=').next().map(<[u8]>::to_vec).unwrap_or_default();
    let short_in = |arg: &Vec<u8>| {
        let text = String::from_utf8_lossy(arg);
        let cluster = text.strip_prefix('-').filter(|rest| !rest.starts_with('-')).unwrap_or_default();
        cluster.chars().any(|c| paragraph.contains(&format!("'-{}'", shown(&c.to_string()))))
    };
    flags.chain(["--output"]).any(|f| paragraph.contains(f))
        || args.iter().any(|a| quoted(a) || quoted(&before_equals(a)) || short_in(a))
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 128,
        failure_persistence: common::regressions_beside_source(),
        ..ProptestConfig::default()
    })]

    /// Random argument lists: no panic, exit 0, 1, 2 or 130, and every usage error names an
    /// option (or quotes the argument it refuses).
    #[cfg(unix)]
    #[test]
    fn random_arguments_never_panic_and_usage_errors_name_an_option(
        subcommand in prop_oneof![3 => Just("render"), 3 => Just("grid"), 1 => Just("")],
        steps in prop_oneof![Just("1"), Just("2"), Just("3")],
        output in proptest::option::weighted(0.9, (proptest::bool::weighted(0.75), proptest::sample::select(PATHS))),
        groups in proptest::collection::vec(group(), 0..5),
    ) {
        use std::os::unix::ffi::OsStringExt;
        // The working folder is one level inside the temporary one, to see that nothing is
        // written beside it.
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("work");
        std::fs::create_dir(&dir).unwrap();
        std::fs::write(dir.join("data.csv"), "x,y\n0,1\n1,3\n2,5.5\n3,7\n").unwrap();
        let given = |names: &[&str]| {
            groups.iter().any(|g| names.iter().any(|n| g[0] == n.as_bytes() || g[0].starts_with(format!("{n}=").as_bytes())))
        };
        let mut args: Vec<Vec<u8>> = vec![];
        if !subcommand.is_empty() {
            args.push(bytes(subcommand));
        }
        // Cheap by default (given twice, an option is an error); the folder is the temporary one.
        if !given(&["--steps"]) {
            args.extend([bytes("--steps"), bytes(steps)]);
        }
        match (subcommand, output) {
            ("render", Some((usual, path))) if !given(&["-o", "--output"]) => {
                args.extend([bytes("-o"), bytes(if usual { "a.gif" } else { path })]);
            }
            ("grid", Some((usual, path))) if !given(&["-o", "--output", "--out"]) => {
                args.extend([bytes("--out"), bytes(if usual { "." } else { path })]);
            }
            _ => {}
        }
        args.extend(groups.into_iter().flatten());
        let os_args: Vec<OsString> = args.iter().map(|a| OsString::from_vec(a.clone())).collect();
        let out = run_in(&dir, &os_args);
        prop_assert_eq!(common::names_in(root.path()), vec!["work".to_string()], "{:?}", os_args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        prop_assert!(!stderr.contains("panicked"), "{:?}: {}", os_args, stderr);
        let code = out.status.code();
        prop_assert!(matches!(code, Some(0 | 1 | 2 | 130)), "{:?}: exit {:?}: {}", os_args, code, stderr);
        if code == Some(2) {
            let paragraph = error_paragraph(&out.stderr);
            prop_assert!(names_an_option(&paragraph, &args), "{:?}: names no option: {}", os_args, stderr);
        }
    }
}
