//! The completion scripts, run by their shells: bash completes options and values after a
//! subcommand; zsh and fish parse the scripts where they are installed.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn script(shell: &str, dir: &Path) -> PathBuf {
    let out = Command::cargo_bin("sgd-anim").unwrap().args(["completions", shell]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let path = dir.join(format!("sgd-anim.{shell}"));
    std::fs::write(&path, out.stdout).unwrap();
    path
}

/// What bash offers for the command line `words` (the last being the word being completed),
/// as a user's TAB would: the script sourced, its completion function called with COMP_WORDS.
fn bash_completes(script: &Path, words: &[&str]) -> Vec<String> {
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let last = words.len() - 1;
    let prev = if last > 0 { words[last - 1] } else { "" };
    let program = format!(
        "source '{}'\nCOMP_WORDS=({})\nCOMP_CWORD={last}\nCOMP_LINE='{}'\nCOMP_POINT=${{#COMP_LINE}}\n\
         _sgd__anim sgd-anim '{}' '{prev}'\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        script.display(),
        quoted.join(" "),
        words.join(" "),
        words[last],
    );
    let out = std::process::Command::new("bash").arg("--norc").arg("-c").arg(program).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().lines().filter(|l| !l.is_empty()).map(str::to_string).collect()
}

#[test]
fn bash_completes_options_and_values_after_a_subcommand() {
    let dir = tempfile::tempdir().unwrap();
    let bash = script("bash", dir.path());
    assert_eq!(bash_completes(&bash, &["sgd-anim", "render", "--vi"]), ["--view"]);
    assert_eq!(
        bash_completes(&bash, &["sgd-anim", "render", "--view", ""]),
        ["line", "line+loss", "line+params", "all"]
    );
    assert_eq!(bash_completes(&bash, &["sgd-anim", "grid", "--opt"]), ["--optimizer"]);
    assert_eq!(bash_completes(&bash, &["sgd-anim", "grid", "--ou"]), ["--output", "--out"]);
    assert!(bash_completes(&bash, &["sgd-anim", "grid", "-"]).contains(&"-o".to_string()));
    assert_eq!(bash_completes(&bash, &["sgd-anim", "compare", "--optimizer", "m"]), ["momentum"]);
    assert_eq!(bash_completes(&bash, &["sgd-anim", "rep"]), ["replay"]);
    assert!(bash_completes(&bash, &["sgd-anim", "replay", "--"]).contains(&"--every".to_string()));
}

/// zsh and fish check their scripts' syntax (`-n`) where they are installed (.ci/run installs
/// them where it can); otherwise the test says what it skipped.
#[test]
fn zsh_and_fish_scripts_parse() {
    let dir = tempfile::tempdir().unwrap();
    for shell in ["zsh", "fish"] {
        let path = script(shell, dir.path());
        match std::process::Command::new(shell).arg("-n").arg(&path).output() {
            Ok(out) => assert!(out.status.success(), "{shell} -n: {}", String::from_utf8_lossy(&out.stderr)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                eprintln!("{shell} is not installed: its completion script was not parsed");
            }
            Err(e) => panic!("{shell}: {e}"),
        }
    }
}
