//! The documents the binary prints about itself: shell completion scripts and the manual page.

use crate::cli::ShellArg;
use sgd_anim::Error;

/// The completion script for `shell`, for the command line [`crate::parse::command`] reads.
pub fn completion_script(shell: ShellArg) -> String {
    let generator = match shell {
        ShellArg::Bash => clap_complete::Shell::Bash,
        ShellArg::Zsh => clap_complete::Shell::Zsh,
        ShellArg::Fish => clap_complete::Shell::Fish,
        ShellArg::Powershell => clap_complete::Shell::PowerShell,
        ShellArg::Elvish => clap_complete::Shell::Elvish,
    };
    let mut script = Vec::new();
    clap_complete::generate(generator, &mut crate::parse::command(), BIN, &mut script);
    let script = String::from_utf8_lossy(&script).into_owned();
    match shell {
        ShellArg::Bash => bash_case_labels_fixed(&script),
        _ => script,
    }
}

/// The binary's name, as the shells see it.
const BIN: &str = "sgd-anim";

/// clap_complete (4.6) names a hyphenated binary's subcommands two ways in its bash script:
/// the state it sets is `sgd__anim__subcmd__render`, the `case` arm that should match it is
/// `sgd__subcmd__anim__subcmd__render)`, so nothing completed after a subcommand. The arms are
/// renamed to the state's spelling (a no-op once clap_complete spells both alike).
fn bash_case_labels_fixed(script: &str) -> String {
    let state = BIN.replace('-', "__");
    let arm = BIN.replace('-', "__subcmd__");
    script
        .lines()
        .map(|line| match line.trim_start().strip_prefix(&arm) {
            Some(rest) if rest.ends_with(')') && !rest.contains(' ') => line.replacen(&arm, &state, 1),
            _ => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// The manual page (roff): the main page's name, synopsis, description and options, then a
/// section per command with its synopsis, description and options, then the examples and the
/// version. One page documents every flag, so it refers to no other page (clap_mangen's own
/// subcommand list points at `sgd-anim-render(1)` and others, which do not exist). The help's
/// Markdown code spans (`sgd-anim info FILE.gif`) are set in bold.
pub fn man_page() -> Result<String, Error> {
    let cmd = crate::parse::command();
    let man = clap_mangen::Man::new(cmd.clone());
    let mut page = Vec::new();
    man.render_title(&mut page).map_err(Error::Write)?;
    man.render_name_section(&mut page).map_err(Error::Write)?;
    man.render_synopsis_section(&mut page).map_err(Error::Write)?;
    man.render_description_section(&mut page).map_err(Error::Write)?;
    man.render_options_section(&mut page).map_err(Error::Write)?;
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set() && s.get_name() != "help") {
        let sub_man = clap_mangen::Man::new(sub.clone().bin_name(format!("{BIN} {}", sub.get_name())));
        page.extend_from_slice(
            format!(".SH \"{} {}\"\n", BIN.to_uppercase(), sub.get_name().to_uppercase()).as_bytes(),
        );
        sub_man.render_synopsis_section(&mut page).map_err(Error::Write)?;
        sub_man.render_description_section(&mut page).map_err(Error::Write)?;
        sub_man.render_options_section(&mut page).map_err(Error::Write)?;
    }
    man.render_extra_section(&mut page).map_err(Error::Write)?;
    man.render_version_section(&mut page).map_err(Error::Write)?;
    Ok(code_spans_in_bold(&String::from_utf8_lossy(&page)))
}

/// Each pair of backticks on a line becomes roff's bold (`\fB...\fR`); a lone backtick stays.
fn code_spans_in_bold(roff: &str) -> String {
    let mut out = String::with_capacity(roff.len());
    for line in roff.split_inclusive('\n') {
        let mut rest = line;
        while let Some(open) = rest.find('`') {
            let Some(len) = rest[open + 1..].find('`') else { break };
            out.push_str(&rest[..open]);
            out.push_str("\\fB");
            out.push_str(&rest[open + 1..open + 1 + len]);
            out.push_str("\\fR");
            rest = &rest[open + 2 + len..];
        }
        out.push_str(rest);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_become_bold_and_lone_backticks_stay() {
        assert_eq!(code_spans_in_bold("a `b c` d `e`\nf ` g\n"), "a \\fBb c\\fR d \\fBe\\fR\nf ` g\n");
    }

    /// Every `.SH`/`.TP` page section renders, names each command, and points at no other page.
    #[test]
    fn the_man_page_documents_every_command_and_refers_to_no_other_page() {
        let page = man_page().unwrap();
        assert!(!page.contains('`'), "Markdown left in the page");
        assert!(!page.contains("(1)"), "a reference to another page");
        for sub in ["RENDER", "GRID", "REPLAY", "COMPARE", "INFO", "COMPLETIONS", "MAN"] {
            assert!(page.contains(&format!(".SH \"SGD-ANIM {sub}\"")), "no section for {sub}");
        }
        assert!(page.contains("\\fBsgd\\-anim info FILE.gif\\fR"), "code spans in bold");
    }
}
