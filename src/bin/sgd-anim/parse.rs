//! Reading the command line: clap over [`Cli`], plus what clap (4.6) cannot do, so that every
//! usage error names its option and no message repeats a huge value. Clap does the parsing;
//! this file adjusts its definition ([`command`]) and, before it runs, walks the arguments
//! once more ([`walk`]) for the two things below that need to know which option a raw
//! argument is the value of. Each item says what clap does instead.
//!
//! - Values that start with '-' reach their option: `-o -x.gif`, `--view -line`,
//!   `--lr -abc`, `--batch-size -4`. Clap's `allow_negative_numbers` admits numbers only, so
//!   without `allow_hyphen_values` (set here on every option that takes a value) clap reads
//!   `-x.gif` as flags and says "unexpected argument '-x'", naming no option.
//! - With hyphen values, clap takes the next argument whatever it is: `--lr --steps 3` would
//!   make `--steps` the learning rate, then refuse a stray `3`. Clap has no "hyphen values
//!   except this command's own flags", and a value parser cannot tell `--lr --steps` from
//!   `--lr=--steps`; the walk refuses a value that is exactly one of the command's flags, given
//!   as a separate argument, as a missing value, with the tip to write `--lr=--steps`.
//! - An argument that is not UTF-8 is named with the option it is the value of: clap's
//!   `ErrorKind::InvalidUtf8` carries no argument ("invalid UTF-8 was detected in one or more
//!   arguments"); the walk finds it.
//! - Values longer than [`sgd_anim::cli::SHOWN_CHARS`] characters are cut in clap's messages,
//!   and control characters in them escaped (clap prints them whole and raw).
//! - Whole-number and number options say what is allowed, with a good value: clap's own parsers
//!   say "invalid digit found in string" for `--steps -5` and for `--width 0.5`.
//! - An option before any command that `grid` takes (`sgd-anim --jobs 1`) gets the tip to name
//!   `grid`: clap only says the argument is unexpected.

use crate::cli::Cli;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, CommandFactory, FromArgMatches};
use std::any::TypeId;
use std::ffi::OsString;
use std::path::PathBuf;

/// [`Cli`]'s definition as [`parse_from`] reads it: hyphen values allowed for every option
/// that takes a value, and whole numbers parsed with a message that says what is allowed (the
/// types stay those of [`Cli`]).
pub fn command() -> clap::Command {
    let adjust = |arg: Arg| {
        // Not `replay`'s runs (RUN...): they would take every option after them as a run.
        let many_runs = arg.is_positional() && arg.get_num_args().is_some_and(|n| n.max_values() > 1);
        let arg = if arg.get_action().takes_values() && !many_runs { arg.allow_hyphen_values(true) } else { arg };
        let id = arg.get_value_parser().type_id();
        let example = example(&arg);
        if id == TypeId::of::<usize>() {
            arg.value_parser(move |s: &str| whole_number::<usize>(s, usize::MAX as u64, &example))
        } else if id == TypeId::of::<u64>() {
            arg.value_parser(move |s: &str| whole_number::<u64>(s, u64::MAX, &example))
        } else if id == TypeId::of::<u32>() {
            arg.value_parser(move |s: &str| whole_number::<u32>(s, u32::MAX.into(), &example))
        } else if id == TypeId::of::<f64>() {
            arg.value_parser(move |s: &str| number(s, &example))
        } else if id == TypeId::of::<sgd_anim::BatchSize>() {
            arg.value_parser(move |s: &str| {
                crate::cli::parse_batch_size(s).map_err(|why| format!("{why}{}", tail(s, &example)))
            })
        } else {
            arg
        }
    };
    let mut cmd = Cli::command().mut_args(adjust).mut_subcommands(move |sub| sub.mut_args(adjust));
    // Built: the generated --help and --version exist, and options can be shown (`--lr <LR>`).
    cmd.build();
    cmd
}

/// A good value of `arg`, as a message shows it (`--lr 0.1`, `--lrs 0.01,0.1,1.0`): its
/// default, from clap's or from the help's "[default: ...]" (the optional options document
/// theirs there), else a plain one of its type.
fn example(arg: &Arg) -> String {
    let name = arg.get_long().map_or_else(|| arg.get_id().to_string(), |l| format!("--{l}"));
    let delimiter = arg.get_value_delimiter();
    let defaults: Vec<String> = arg.get_default_values().iter().map(|v| v.to_string_lossy().into_owned()).collect();
    let documented = arg.get_help().map(ToString::to_string).and_then(|help| {
        let value = help.split("[default: ").nth(1)?.split([']', ' ']).next()?.to_string();
        value.chars().next().filter(|c| c.is_ascii_digit() || *c == '-').map(|_| value)
    });
    let value = match (defaults.is_empty(), documented) {
        (false, _) => defaults.join(&delimiter.map_or(String::from(" "), String::from)),
        (true, Some(value)) => value,
        (true, None) if arg.get_value_parser().type_id() == TypeId::of::<f64>() => "0.5".into(),
        (true, None) => "10".into(),
    };
    format!("--{}", format!("{name} {value}").trim_start_matches("--"))
}

/// The end of a message about the value `s`: what an empty entry of a list is, and an example
/// (left out after a long value, which the message shows cut, so the line stays short).
fn tail(s: &str, example: &str) -> String {
    let list = example.contains(',');
    match (s.is_empty(), list) {
        (true, true) => format!(" (an empty entry: two commas in a row, or one at an end); e.g. {example}"),
        _ if s.chars().count() > 24 => String::new(),
        _ => format!("; e.g. {example}"),
    }
}

/// The value of an option that takes a number (a learning rate, a start guess).
fn number(s: &str, example: &str) -> Result<f64, String> {
    s.parse().map_err(|_| format!("expected a number{}", tail(s, example)))
}

/// Parses `args` (the program's name first). Help and version come back as errors, as in clap
/// ([`clap::Error::exit_code`] 0, printed to stdout); everything else is a usage error (exit
/// code 2) that names its option.
pub fn parse_from(args: Vec<OsString>) -> Result<Cli, clap::Error> {
    let mut cmd = command();
    if let Some(e) = flag_taken_as_value(&cmd, &args) {
        return Err(e);
    }
    let matches = match cmd.try_get_matches_from_mut(args.clone()) {
        Ok(matches) => matches,
        Err(e) if e.kind() == ErrorKind::InvalidUtf8 => return Err(non_utf8_error(&cmd, &args).unwrap_or(e)),
        Err(e) => return Err(cut_values(grid_tip(&cmd, &args, e))),
    };
    Cli::from_arg_matches(&matches).map_err(|e| cut_values(e.format(&mut cmd)))
}

/// `sgd-anim --jobs 1`: options before any command belong to none. Where the first argument
/// is one of grid's (the command run when none is named), the error says to name it.
fn grid_tip(cmd: &clap::Command, args: &[OsString], mut e: clap::Error) -> clap::Error {
    let first = args.get(1).and_then(|a| a.to_str()).unwrap_or_default();
    let name = first.split('=').next().unwrap_or_default();
    let is_grid_flag = cmd.find_subcommand("grid").is_some_and(|grid| names_a_flag(grid, name));
    if e.kind() == ErrorKind::UnknownArgument && is_grid_flag {
        let tip =
            format!("with no command sgd-anim runs grid; to give it options, name it: 'sgd-anim grid {first} ...'");
        e.insert(ContextKind::Suggested, ContextValue::StyledStrs(vec![tip.into()]));
    }
    e
}

/// The value of an option that takes a whole number up to `max` (`T::MAX`).
fn whole_number<T: std::str::FromStr>(s: &str, max: u64, example: &str) -> Result<T, String> {
    s.parse().map_err(|_| match s.parse::<u128>() {
        Ok(_) => format!("too large; at most {max}"),
        Err(_) if max == u64::MAX => format!("expected a whole number, 0 or more{}", tail(s, example)),
        Err(_) => format!("expected a whole number from 0 to {max}{}", tail(s, example)),
    })
}

/// `e` with every value in its context (the bad value, an unknown argument, and the tips that
/// repeat it) as [`shown`] shows it: control characters escaped, cut after
/// [`sgd_anim::cli::SHOWN_CHARS`] characters.
fn cut_values(mut e: clap::Error) -> clap::Error {
    let changed: Vec<(String, String)> = e
        .context()
        .filter_map(|(_, value)| match value {
            ContextValue::String(s) if shown(s.as_bytes()) != *s => Some((s.clone(), shown(s.as_bytes()))),
            _ => None,
        })
        .collect();
    if changed.is_empty() {
        return e;
    }
    let replace_all = |text: String| changed.iter().fold(text, |t, (from, to)| t.replace(from.as_str(), to));
    let replaced: Vec<(ContextKind, ContextValue)> = e
        .context()
        .map(|(kind, value)| {
            let value = match value {
                ContextValue::String(s) => ContextValue::String(shown(s.as_bytes())),
                ContextValue::Strings(v) => ContextValue::Strings(v.iter().map(|s| shown(s.as_bytes())).collect()),
                ContextValue::StyledStr(s) => ContextValue::StyledStr(replace_all(s.to_string()).into()),
                ContextValue::StyledStrs(v) => {
                    ContextValue::StyledStrs(v.iter().map(|s| replace_all(s.to_string()).into()).collect())
                }
                other => other.clone(),
            };
            (kind, value)
        })
        .collect();
    for (kind, value) in replaced {
        e.insert(kind, value);
    }
    e
}

/// An argument as a message shows it: bytes that are not UTF-8 written `\xFF`, control
/// characters escaped (`\u{1}`, `\n`: clap's output would drop them, or a terminal obey them),
/// cut after [`sgd_anim::cli::SHOWN_CHARS`] characters.
fn shown(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.utf8_chunks() {
        out.push_str(&sgd_anim::cli::escape_controls(chunk.valid(), &[]));
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02X}"));
        }
    }
    sgd_anim::cli::cut(&out).into_owned()
}

/// `--lr --steps 3`: hyphen values would make `--steps` the learning rate and then complain
/// about a stray `3`. A value that is exactly one of the command's flags is a missing value.
fn flag_taken_as_value(cmd: &clap::Command, args: &[OsString]) -> Option<clap::Error> {
    walk(cmd, args, |sub, token| {
        let Token::Value { arg, value, inline: false } = token else { return None };
        let flag = std::str::from_utf8(value).ok()?;
        if !names_a_flag(sub, flag) {
            return None;
        }
        let mut e = clap::Error::new(ErrorKind::InvalidValue).with_cmd(sub);
        e.insert(ContextKind::InvalidArg, ContextValue::String(arg.to_string()));
        e.insert(ContextKind::InvalidValue, ContextValue::String(String::new()));
        let written = match (arg.get_long(), arg.get_short()) {
            (Some(long), _) => format!("--{long}={flag}"),
            (None, Some(short)) => format!("-{short}{flag}"),
            (None, None) => return Some(e),
        };
        let tip = format!("'{flag}' is an option; to give it as the value, write '{written}'");
        e.insert(ContextKind::Suggested, ContextValue::StyledStrs(vec![tip.into()]));
        Some(e)
    })
}

/// Whether `word` is exactly one of `cmd`'s flags (`--steps`, `-o`).
fn names_a_flag(cmd: &clap::Command, word: &str) -> bool {
    cmd.get_arguments().any(|a| {
        word.strip_prefix("--").is_some_and(|name| has_long(a, name))
            || a.get_short().is_some_and(|c| word == format!("-{c}"))
    })
}

/// Whether `name` is one of `arg`'s long names: its own or an alias (grid's `--output`).
fn has_long(arg: &Arg, name: &str) -> bool {
    arg.get_long() == Some(name) || arg.get_all_aliases().is_some_and(|aliases| aliases.contains(&name))
}

/// Clap's error for an argument that is not UTF-8 names no option: this one says which
/// argument it is and, where it is one, the option whose value it is.
fn non_utf8_error(cmd: &clap::Command, args: &[OsString]) -> Option<clap::Error> {
    let (sub, found) = find_non_utf8(cmd, args)?;
    let message = match found.option {
        Some(option) => format!("invalid value '{}' for '{option}': not UTF-8 text", found.value),
        None => format!("unexpected argument '{}' found (not UTF-8 text)", found.value),
    };
    Some(clap::Error::raw(ErrorKind::InvalidUtf8, message).format(&mut sub.clone()))
}

/// An argument that is not UTF-8 where text is wanted, as the error shows it.
#[derive(Debug, PartialEq)]
struct NonUtf8 {
    /// The option whose value it is, as clap shows options (`--lr <LR>`), or `None` for a
    /// stray argument.
    option: Option<String>,
    /// The argument as [`shown`] shows it.
    value: String,
}

/// The first argument that is not UTF-8 where text is wanted (paths may be any bytes), with
/// the (sub)command it was given to.
fn find_non_utf8<'a>(cmd: &'a clap::Command, args: &'a [OsString]) -> Option<(&'a clap::Command, NonUtf8)> {
    walk(cmd, args, |sub, token| match token {
        Token::Value { arg, value, .. } if std::str::from_utf8(value).is_err() && !takes_any_bytes(arg) => {
            Some((sub, NonUtf8 { option: Some(arg.to_string()), value: shown(value) }))
        }
        Token::Stray(raw) if std::str::from_utf8(raw).is_err() => {
            Some((sub, NonUtf8 { option: None, value: shown(raw) }))
        }
        _ => None,
    })
}

/// Whether the option's values are paths or OS strings, which need not be UTF-8.
fn takes_any_bytes(arg: &Arg) -> bool {
    let id = arg.get_value_parser().type_id();
    id == TypeId::of::<PathBuf>() || id == TypeId::of::<OsString>()
}

/// An argument as clap reads it, for [`walk`].
enum Token<'a> {
    /// The value of `arg`; `inline` when written in the same argument (`--lr=0.1`, `-j2`).
    Value { arg: &'a Arg, value: &'a [u8], inline: bool },
    /// An argument that is neither an option, an option's value, nor the subcommand.
    Stray(&'a [u8]),
}

/// Walks `args` (the program's name first) as clap reads them (`--name value`,
/// `--name=value`, `-o value`, `-ovalue`, `-qo value`, `--`), calling `visit` with the
/// (sub)command in force and each value and stray argument, until `visit` returns something.
/// Unknown options are passed over: clap names them itself.
fn walk<'a, T>(
    cmd: &'a clap::Command,
    args: &'a [OsString],
    mut visit: impl FnMut(&'a clap::Command, Token<'a>) -> Option<T>,
) -> Option<T> {
    let mut cmd = cmd;
    let mut in_sub = false;
    let mut pending: Option<&Arg> = None;
    let mut positional_only = false;
    let takes_value = |arg: &&Arg| arg.get_action().takes_values();
    macro_rules! emit {
        ($cmd:expr, $token:expr) => {
            if let Some(found) = visit($cmd, $token) {
                return Some(found);
            }
        };
    }
    for raw in args.iter().skip(1) {
        let bytes = raw.as_encoded_bytes();
        if let Some(arg) = pending.take() {
            emit!(cmd, Token::Value { arg, value: bytes, inline: false });
            continue;
        }
        if positional_only || !bytes.starts_with(b"-") || bytes == b"-" {
            let sub = raw.to_str().filter(|_| !in_sub && !positional_only).and_then(|t| cmd.find_subcommand(t));
            match sub {
                Some(sub) => (cmd, in_sub) = (sub, true),
                None => emit!(cmd, Token::Stray(bytes)),
            }
        } else if bytes == b"--" {
            positional_only = true;
        } else if let Some(long) = bytes.strip_prefix(b"--") {
            let (name, value) = match long.iter().position(|&b| b == b'=') {
                Some(eq) => (&long[..eq], Some(&long[eq + 1..])),
                None => (long, None),
            };
            let name = std::str::from_utf8(name).ok();
            let arg = cmd.get_arguments().filter(takes_value).find(|a| name.is_some_and(|n| has_long(a, n)));
            match (arg, value) {
                (Some(arg), None) => pending = Some(arg),
                (Some(arg), Some(value)) => emit!(cmd, Token::Value { arg, value, inline: true }),
                (None, _) if name.is_none() => emit!(cmd, Token::Stray(bytes)),
                (None, _) => {}
            }
        } else {
            // Short flags: the first that takes a value takes the rest, or the next argument.
            let shorts = &bytes[1..];
            for (at, &b) in shorts.iter().enumerate() {
                let known = cmd.get_arguments().find(|a| b.is_ascii() && a.get_short() == Some(char::from(b)));
                match known {
                    Some(arg) if takes_value(&arg) => {
                        let value = &shorts[at + 1..];
                        if value.is_empty() {
                            pending = Some(arg);
                        } else {
                            let value = value.strip_prefix(b"=").unwrap_or(value);
                            emit!(cmd, Token::Value { arg, value, inline: true });
                        }
                        break;
                    }
                    Some(_) => {}
                    None if !b.is_ascii() => {
                        emit!(cmd, Token::Stray(bytes));
                        break;
                    }
                    None => break,
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{Command, RenderArgs};

    #[test]
    fn command_definition_is_consistent() {
        command().debug_assert();
    }

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        parse_from(std::iter::once("sgd-anim").chain(args.iter().copied()).map(OsString::from).collect())
    }

    fn render_args(args: &[&str]) -> RenderArgs {
        match parse(args).map(|cli| cli.command) {
            Ok(Some(Command::Render(r))) => r,
            other => panic!("{args:?} did not parse as render: {other:?}"),
        }
    }

    /// The error's first paragraph: without the usage line, which names options anyway.
    fn message(args: &[&str]) -> String {
        match parse(args) {
            Ok(cli) => panic!("{args:?} parsed: {cli:?}"),
            Err(e) => e.render().to_string().split("\n\n").next().unwrap_or_default().to_string(),
        }
    }

    #[test]
    fn values_starting_with_a_hyphen_reach_their_option() {
        let r = render_args(&["render", "--start-slope", "-1.5e-3", "--lr", "-.5", "-o", "-x.gif", "--trace", "-"]);
        assert_eq!(r.common.start_slope, -1.5e-3);
        assert_eq!(r.lr, -0.5, "parsed here, refused by the library naming --lr");
        assert_eq!(r.output, PathBuf::from("-x.gif"));
        assert_eq!(r.trace, Some(PathBuf::from("-")));
        let r = render_args(&["render", "-qo", "-y.gif", "--lr=-inf"]);
        assert!(r.common.general.quiet && r.lr == f64::NEG_INFINITY && r.output == std::path::Path::new("-y.gif"));
        // Written inline, a flag's name is a value like any other.
        assert_eq!(render_args(&["render", "--output=--steps"]).output, PathBuf::from("--steps"));
        match parse(&["grid", "--lrs", "-0.1,-2", "--jobs", "2"]).map(|c| c.command) {
            Ok(Some(Command::Grid(g))) => assert_eq!(g.lrs, vec![-0.1, -2.0]),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn every_parse_error_names_its_option() {
        for (args, option) in [
            (&["render", "--batch-size", "-4", "-o", "x.gif"][..], "--batch-size"),
            (&["render", "--steps", "-5", "-o", "x.gif"], "--steps <STEPS>': expected a whole number, 0 or more"),
            (
                &["render", "--width", "0.5", "-o", "x.gif"],
                "--width <WIDTH>': expected a whole number from 0 to 4294967295",
            ),
            (&["render", "--seed", "-1", "-o", "x.gif"], "--seed <SEED>': expected a whole number, 0 or more"),
            (&["render", "--seed", "18446744073709551616", "-o", "x.gif"], "too large; at most 18446744073709551615"),
            (&["render", "--loop-count", "4294967296", "-o", "x.gif"], "too large; at most 4294967295"),
            (&["render", "--width", "-5", "-o", "x.gif"], "--width"),
            (&["render", "--lr", "-abc", "-o", "x.gif"], "--lr"),
            (&["render", "--lr", "--steps", "3", "-o", "x.gif"], "a value is required for '--lr <LR>'"),
            (&["render", "--steps", "-o", "x.gif"], "a value is required for '--steps <STEPS>'"),
            (&["render", "-o", "-q", "--steps", "3"], "a value is required for '--output <FILE.gif>'"),
            (&["render", "-o", "x.gif", "--steps"], "--steps"),
            (&["render", "--view", "-line", "-o", "x.gif"], "--view"),
            (&["render", "--steps", "3"], "--output"),
            (&["grid", "--batch-sizes", "4,-2"], "--batch-sizes"),
            (&["grid", "--n", "99999999999999999999999"], "--n <N>': too large"),
            (&["grid", "-j", "-1"], "--jobs"),
            (&["grid", "--json", "--json"], "--json"),
            (&["grid", "--bogus"], "'--bogus'"),
            (&["render", "-Z", "-o", "x.gif"], "'-Z'"),
            (&["grid", "junk"], "'junk'"),
            (&["--steps", "3"], "'--steps'"),
            (&["paint"], "'paint'"),
        ] {
            let text = message(args);
            assert!(text.contains(option), "{args:?}: {text}");
        }
        let all = parse(&["render", "--lr", "--steps"]).expect_err("missing value").render().to_string();
        assert!(all.contains("write '--lr=--steps'"), "{all}");
    }

    /// Text that is not a number gets our words, naming the option, with a good value of it.
    #[test]
    fn bad_numbers_are_named_with_an_example_of_a_good_one() {
        for (args, expected) in [
            (&["render", "--lr=abc", "-o", "x.gif"][..], "'abc' for '--lr <LR>': expected a number; e.g. --lr 0.1"),
            (
                &["grid", "--lrs", "0.1,,1"],
                "'' for '--lrs <LRS>': expected a number (an empty entry: two commas in a row, or one at an end); \
                 e.g. --lrs 0.01,0.1,1.0",
            ),
            (
                &["render", "--batch-size", "ful", "-o", "x.gif"],
                "'ful' for '--batch-size <N|full>': expected a whole number or 'full'; e.g. --batch-size full",
            ),
            (
                &["render", "--width", "0.5", "-o", "x.gif"],
                "'0.5' for '--width <WIDTH>': expected a whole number from 0 to 4294967295; e.g. --width 640",
            ),
            (&["render", "--momentum", "x", "-o", "x.gif"], "expected a number; e.g. --momentum 0.9"),
            (&["grid", "--batch-sizes", "4,x"], "0 or more; e.g. --batch-sizes 1,2,4,8,16,32,64"),
            (&["compare", "--lrs", "1e", "-o", "x.gif"], "expected a number; e.g. --lrs 0.01,0.1,1.0"),
        ] {
            let text = message(args);
            assert!(text.starts_with("error: invalid value '") && text.contains(expected), "{args:?}: {text}");
        }
    }

    #[test]
    fn long_values_are_cut_in_claps_messages() {
        let long = "8".repeat(200);
        let cut = format!("{}…", "8".repeat(sgd_anim::cli::SHOWN_CHARS));
        for args in [
            vec!["render", "--steps", &long, "-o", "x.gif"],
            vec!["render", "--view", &long, "-o", "x.gif"],
            vec!["grid", &long],
            vec![&long],
        ] {
            let text = message(&args);
            assert!(text.contains(&cut) && !text.contains(&long), "{text}");
            assert!(text.chars().count() < 200, "{text}");
        }
        // A stray argument and the tip that repeats it.
        let junk = format!("-{}", "z".repeat(200));
        let all = parse(&["grid", "--", &junk]).expect_err("stray").render().to_string();
        assert!(!all.contains(&junk) && all.contains(&format!("'-{}…'", "z".repeat(59))), "{all}");
    }

    #[test]
    fn control_characters_are_shown_escaped() {
        assert_eq!(shown(b"a\x01b\n\x1b[31m"), "a\\u{1}b\\n\\u{1b}[31m");
        assert_eq!(shown("é\u{85}".as_bytes()), "é\\u{85}");
        assert_eq!(shown(b"\xff1"), "\\xFF1");
        let text = message(&["render", "--steps", "\x1b[2J", "-o", "x.gif"]);
        assert!(text.contains("invalid value '\\u{1b}[2J' for '--steps <STEPS>'") && !text.contains('\x1b'), "{text}");
        assert!(message(&["grid", "\x01"]).contains("'\\u{1}'"));
    }

    #[test]
    fn grid_options_without_a_command_say_to_name_grid() {
        let text = parse(&["--jobs", "1"]).expect_err("no command").render().to_string();
        assert!(
            text.contains(
                "tip: with no command sgd-anim runs grid; to give it options, name it: 'sgd-anim grid --jobs ...'"
            ),
            "{text}"
        );
        let text = parse(&["--bogus"]).expect_err("unknown").render().to_string();
        assert!(!text.contains("runs grid"), "{text}");
    }

    /// grid's folder is also `-o` and `--output`, as the other commands' file is: each reaches
    /// `--out` (hyphen values too), and each is known as a flag: `--output --steps` is a
    /// missing value, and `sgd-anim -o site` gets the tip to name grid.
    #[test]
    fn grid_takes_its_folder_as_o_and_output_too() {
        for args in [
            &["grid", "-o", "-site"][..],
            &["grid", "--output", "-site"],
            &["grid", "--output=-site"],
            &["grid", "-qo-site"],
        ] {
            match parse(args).map(|c| c.command) {
                Ok(Some(Command::Grid(g))) => assert_eq!(g.out, PathBuf::from("-site"), "{args:?}"),
                other => panic!("{args:?}: {other:?}"),
            }
        }
        let text = parse(&["grid", "--output", "--steps", "3"]).expect_err("no value").render().to_string();
        assert!(text.contains("a value is required for '--out <DIR>'") && text.contains("'--out=--steps'"), "{text}");
        assert!(message(&["grid", "-o", "a", "--out", "b"]).contains("'--out <DIR>' cannot be used multiple times"));
        assert!(message(&["grid", "--check", "a", "-o", "b"]).contains("'--out <DIR>'"));
        for flag in ["-o", "--output"] {
            let text = parse(&[flag, "site"]).expect_err("no command").render().to_string();
            assert!(text.contains(&format!("name it: 'sgd-anim grid {flag} ...'")), "{text}");
        }
    }

    #[test]
    fn help_and_version_are_not_errors() {
        for args in [&["--help"][..], &["--version"], &["render", "--help"], &["grid", "-h"]] {
            let e = parse(args).expect_err("help is shown through clap's error");
            assert_eq!(e.exit_code(), 0, "{args:?}");
        }
    }

    #[cfg(unix)]
    mod non_utf8 {
        use super::*;
        use std::os::unix::ffi::OsStringExt;

        fn args(parts: &[&[u8]]) -> Vec<OsString> {
            let all = std::iter::once(&b"sgd-anim"[..]).chain(parts.iter().copied());
            all.map(|p| OsString::from_vec(p.to_vec())).collect()
        }

        fn found(parts: &[&[u8]]) -> Option<NonUtf8> {
            let cmd = command();
            let args = args(parts);
            find_non_utf8(&cmd, &args).map(|(_, found)| found)
        }

        fn value_of(option: &str, value: &str) -> Option<NonUtf8> {
            Some(NonUtf8 { option: Some(option.to_string()), value: value.to_string() })
        }

        #[test]
        fn the_option_whose_value_is_not_utf8_is_found() {
            let lr = "--lr <LR>";
            assert_eq!(found(&[b"render", b"--lr", b"\xff", b"-o", b"x.gif"]), value_of(lr, "\\xFF"));
            assert_eq!(found(&[b"render", b"--lr=0.\xff"]), value_of(lr, "0.\\xFF"));
            assert_eq!(found(&[b"render", b"-o", b"--lr", b"--lr", b"\xfe"]), value_of(lr, "\\xFE"));
            assert_eq!(found(&[b"grid", b"-qj\xff"]), value_of("--jobs <N>", "\\xFF"));
            assert_eq!(found(&[b"grid", b"-j", b"\xff"]), value_of("--jobs <N>", "\\xFF"));
            assert_eq!(found(&[b"grid", b"--base-url", b"\xc3\xa9\xff"]), value_of("--base-url <URL>", "é\\xFF"));
            // Paths may be any bytes: the culprit is further on.
            let parts: &[&[u8]] = &[b"render", b"-o", b"\xff.gif", b"--data", b"\xfe", b"--steps", b"\xfd"];
            assert_eq!(found(parts), value_of("--steps <STEPS>", "\\xFD"));
            let stray = Some(NonUtf8 { option: None, value: "\\xFF".into() });
            assert_eq!(found(&[b"render", b"--", b"\xff"]), stray);
            assert_eq!(found(&[b"render", b"-o", b"\xff.gif"]), None);
        }

        #[test]
        fn the_message_names_the_option_and_cuts_the_value() {
            let mut long = b"1".repeat(100);
            long.push(0xff);
            let cases: [(&[&[u8]], &str); 2] = [
                (&[b"render", b"--lr", b"\xff"], "error: invalid value '\\xFF' for '--lr <LR>': not UTF-8 text"),
                (&[b"grid", b"--lrs", &long], "…' for '--lrs <LRS>'"),
            ];
            for (parts, expected) in cases {
                let e = parse_from(args(parts)).expect_err("not UTF-8");
                assert_eq!(e.exit_code(), 2);
                let text = e.render().to_string();
                assert!(text.contains(expected) && text.contains("Usage: sgd-anim "), "{text}");
                assert!(text.lines().next().is_some_and(|l| l.chars().count() < 150), "{text}");
            }
        }
    }
}
