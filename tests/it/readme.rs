//! The README tells the truth about the command line: its option table and `render --help`
//! list the same options with the same defaults.

use assert_cmd::Command;
use std::collections::BTreeMap;

/// `render --help`'s options: each flag (`--lr`, `-o`) with its help text, its default if the
/// text gives one (`[default: 0.1]`).
fn help_options() -> BTreeMap<String, Option<String>> {
    let out = Command::cargo_bin("sgd-anim").unwrap().args(["render", "--help"]).output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    let mut options: Vec<(Vec<String>, String)> = vec![];
    for line in help.lines() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if trimmed.starts_with('-') && (2..=6).contains(&indent) {
            let head = trimmed.split("  ").next().unwrap_or(trimmed);
            let flags = head.split([',', ' ']).filter(|w| w.starts_with('-')).map(str::to_string).collect();
            let text = trimmed[head.len()..].trim().to_string();
            options.push((flags, text));
        } else if indent > 6 {
            if let Some((_, text)) = options.last_mut() {
                text.push(' ');
                text.push_str(trimmed);
            }
        } else if !trimmed.is_empty() {
            options.push((vec![], String::new()));
        }
    }
    let mut map = BTreeMap::new();
    for (flags, text) in options {
        let default = text.split("[default: ").nth(1).and_then(|d| d.split(']').next()).map(str::to_string);
        for flag in flags {
            map.insert(flag, default.clone());
        }
    }
    map
}

/// The README's option table ("| option | default | meaning |"): each row's flags, defaults
/// and the flags its meaning mentions.
fn readme_rows() -> Vec<(Vec<String>, Vec<String>, String)> {
    let readme = include_str!("../../README.md");
    let table = readme.split("| option | default | meaning |").nth(1).expect("the option table");
    let flags = |cell: &str| -> Vec<String> {
        cell.split(['`', ',', ' ', '|'])
            .filter(|w| {
                w.starts_with('-') && w.len() > 1 && w.chars().nth(1).is_some_and(|c| c == '-' || c.is_alphabetic())
            })
            .map(str::to_string)
            .collect()
    };
    table
        .lines()
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(|row| {
            let cells: Vec<String> =
                row.replace("\\|", "\u{0}").split('|').map(|c| c.replace('\u{0}', "|").trim().to_string()).collect();
            let defaults =
                if cells[2].is_empty() { vec![] } else { cells[2].split(", ").map(str::to_string).collect() };
            (flags(&cells[1]), defaults, cells[3].clone())
        })
        .collect()
}

#[test]
fn the_readmes_option_table_matches_render_help() {
    let help = help_options();
    let rows = readme_rows();
    assert!(rows.len() > 15, "the table was found: {rows:?}");
    let mut mentioned = vec![];
    for (flags, defaults, meaning) in &rows {
        assert!(!flags.is_empty(), "a row without an option: {meaning}");
        for flag in flags {
            assert!(help.contains_key(flag), "the README lists {flag}, which render --help does not");
        }
        assert!(
            defaults.is_empty() || defaults.len() == flags.len() || flags.len() == 1,
            "{flags:?}: one default per option, in order ({defaults:?})"
        );
        for (i, flag) in flags.iter().enumerate() {
            let readme =
                if flags.len() == 1 { defaults.join(", ") } else { defaults.get(i).cloned().unwrap_or_default() };
            if let Some(default) = &help[flag] {
                assert!(
                    !readme.is_empty() && default.starts_with(&readme),
                    "{flag}: the README says default '{readme}', --help says '{default}'"
                );
            }
        }
        mentioned.extend(flags.iter().cloned());
        mentioned.extend(meaning.split(['`', ',', ' ']).filter(|w| w.starts_with("--")).map(str::to_string));
    }
    for flag in help.keys().filter(|f| f.starts_with("--") && *f != "--help") {
        assert!(mentioned.contains(flag), "render --help has {flag}, which the README's table leaves out");
    }
}
