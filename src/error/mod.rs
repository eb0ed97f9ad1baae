//! The library's error type: every message names the bad value and, where it can, the fix.

mod field;

pub use field::{flag_of, Field};
use std::borrow::Cow;
use std::path::PathBuf;

/// How many characters of a value an error message shows before cutting it with "…", so a
/// 10 MB argument or CSV field does not give a 10 MB error line.
pub const SHOWN_CHARS: usize = 60;

/// `text` as an error message shows it: whole when it has at most [`SHOWN_CHARS`] characters,
/// otherwise its first [`SHOWN_CHARS`] characters followed by "…".
///
/// ```
/// assert_eq!(sgd_anim::cli::cut("0.1"), "0.1");
/// assert_eq!(sgd_anim::cli::cut(&"9".repeat(100)), format!("{}…", "9".repeat(60)));
/// ```
#[must_use]
pub fn cut(text: &str) -> Cow<'_, str> {
    match text.char_indices().nth(SHOWN_CHARS) {
        Some((end, _)) => Cow::Owned(format!("{}…", &text[..end])),
        None => Cow::Borrowed(text),
    }
}

/// `text` with each control character but those in `keep` written as Rust escapes it
/// (`\u{1b}`, `\n`), so a message that echoes a log's cell, a file's name or an argument cannot
/// drive the terminal (`\e]0;...\a` reaches it as text).
///
/// ```
/// assert_eq!(sgd_anim::cli::escape_controls("a\u{1b}[31mb\n", &[]), "a\\u{1b}[31mb\\n");
/// assert_eq!(sgd_anim::cli::escape_controls("a\tb\n", &['\n', '\t']), "a\tb\n");
/// ```
#[must_use]
pub fn escape_controls<'a>(text: &'a str, keep: &[char]) -> Cow<'a, str> {
    let control = |c: char| c.is_control() && !keep.contains(&c);
    if !text.contains(control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if control(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// How a file type reads in a message: "a directory", "a FIFO (named pipe)", ...
pub(crate) fn file_kind(t: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
    }
    if t.is_dir() {
        "a directory"
    } else if t.is_symlink() {
        "a symbolic link"
    } else if t.is_file() {
        "a regular file"
    } else {
        "not a regular file"
    }
}

/// `:line` after a file's name, nothing for line 0 (see [`Error::Data`]).
fn on_line(line: usize) -> String {
    if line == 0 {
        String::new()
    } else {
        format!(":{line}")
    }
}

/// Everything that can go wrong in sgd-anim.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A setting has a value outside what is allowed (a usage error: exit code 2 in the CLI).
    #[error("invalid value '{}' for {field}: {allowed}", cut(value))]
    InvalidSetting {
        /// The setting, whose key is a path into the settings types: `train.lr`,
        /// `scene.width`, `grid.threads`, `output` (the CLI names its flag instead).
        field: Field,
        /// The offending value, as text (the message shows at most [`SHOWN_CHARS`] characters of it).
        value: String,
        /// What is allowed instead.
        allowed: Advice,
    },
    /// The work asked for is above a budget (time, memory or frame-pixels); setting `force`
    /// lifts it. A usage error.
    #[error("invalid value '{}' for {field}: {estimate}; or set force to go on", cut(value))]
    OverBudget {
        /// The setting that drives the cost, e.g. `train.steps`.
        field: Field,
        /// Its value, as text.
        value: String,
        /// What the work would cost against the budget, and what would lower it.
        estimate: Advice,
    },
    /// Reading or writing a file failed.
    #[error("could not {action} '{}': {source}", path.display())]
    Io {
        /// What we were doing, e.g. "create".
        action: &'static str,
        /// The file concerned.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A data file or a log is malformed.
    #[error("{}{}: {message}", path.display(), on_line(*line))]
    Data {
        /// The file.
        path: PathBuf,
        /// 1-based line number; 0 for a file of records, not lines (an event file: the
        /// message names the byte offset), which the message then leaves out.
        line: usize,
        /// What is wrong with it.
        message: String,
    },
    /// A file read as a GIF (`sgd-anim info`, `grid --check`) is not one, or is cut short.
    #[error("{}: {message}", path.display())]
    Gif {
        /// The file.
        path: PathBuf,
        /// What is wrong with it, and where.
        message: String,
    },
    /// Drawing a frame failed (font or plotting error).
    #[error("drawing failed: {0}")]
    Draw(String),
    /// Writing the animation's bytes failed (a full disk, a closed pipe).
    #[error("could not write the animation: {0}")]
    Write(#[source] std::io::Error),
    /// The encoder cannot store what it was given (a frame size the format cannot hold).
    #[error("encoding failed: {0}")]
    Encode(String),
    /// Some files of a grid failed; the others were written.
    #[error("{what} failed:\n{}", failures.join("\n"))]
    GridFailed {
        /// One line per failed file.
        failures: Vec<String>,
        /// What failed, counted by kind ("15 of 22 animations and 3 of 3 comparisons").
        what: String,
    },
    /// The user interrupted the run (Ctrl-C).
    #[error("interrupted")]
    Interrupted,
}

/// What a setting allows, or what the work would cost: words, and the other settings they
/// point to as [`Field`]s, so that each front end names those its own way. `Display` names
/// them by key (`grid.gd_lrs`, "set `timing.loop_count` to None"); the command line by flag
/// (`--gd-lrs`, "leave --loop-count out"), with [`Advice::naming`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Advice(Vec<Piece>);

/// A part of an [`Advice`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Piece {
    /// Words.
    Text(String),
    /// Another setting, named.
    Field(Field),
    /// Another setting left unset (`None`, or a flag left out).
    Unset(Field),
}

impl Advice {
    /// The advice followed by `text`.
    #[must_use]
    pub fn text(mut self, text: impl Into<String>) -> Self {
        self.0.push(Piece::Text(text.into()));
        self
    }

    /// The advice followed by the name of `field`.
    #[must_use]
    pub fn field(mut self, field: Field) -> Self {
        self.0.push(Piece::Field(field));
        self
    }

    /// The advice followed by "`field` left unset", in the words of whoever says it.
    #[must_use]
    pub fn unset(mut self, field: Field) -> Self {
        self.0.push(Piece::Unset(field));
        self
    }

    /// Its parts, in order.
    #[must_use]
    pub fn pieces(&self) -> &[Piece] {
        &self.0
    }

    /// The advice in words, each [`Piece::Field`] and [`Piece::Unset`] as `name` says it.
    #[must_use]
    pub fn naming(&self, name: impl Fn(&Piece) -> String) -> String {
        self.0
            .iter()
            .map(|piece| match piece {
                Piece::Text(text) => text.clone(),
                other => name(other),
            })
            .collect()
    }
}

impl std::fmt::Display for Advice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.naming(|piece| match piece {
            Piece::Field(field) => field.key().to_string(),
            Piece::Unset(field) => format!("set {field} to None"),
            Piece::Text(text) => text.clone(),
        }))
    }
}

impl From<String> for Advice {
    fn from(text: String) -> Self {
        Advice::default().text(text)
    }
}

impl From<&str> for Advice {
    fn from(text: &str) -> Self {
        Advice::default().text(text)
    }
}

impl Error {
    /// Shorthand for [`Error::InvalidSetting`].
    pub fn invalid(field: Field, value: impl ToString, allowed: impl Into<Advice>) -> Self {
        Error::InvalidSetting { field, value: value.to_string(), allowed: allowed.into() }
    }

    /// Whether this error is the user's usage mistake (exit code 2) rather than a failure.
    #[must_use]
    pub fn is_usage(&self) -> bool {
        matches!(self, Error::InvalidSetting { .. } | Error::OverBudget { .. } | Error::Data { .. } | Error::Gif { .. })
    }

    /// Whether this error is a write to a closed pipe (`sgd-anim render -o - | head -c 10`):
    /// the reader stopped, which is not a failure of ours.
    #[must_use]
    pub fn is_broken_pipe(&self) -> bool {
        let io = match self {
            Error::Io { source, .. } => Some(source),
            Error::Write(e) => Some(e),
            _ => None,
        };
        io.is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cut_keeps_short_text_and_cuts_long_text_at_a_character_boundary() {
        assert_eq!(cut(""), "");
        let sixty = "x".repeat(SHOWN_CHARS);
        assert!(matches!(cut(&sixty), Cow::Borrowed(_)), "exactly {SHOWN_CHARS} characters stay whole");
        assert_eq!(cut(&format!("{sixty}y")), format!("{sixty}…"));
        // Characters, not bytes: 'é' is two bytes and is never split.
        let accents = "é".repeat(100);
        assert_eq!(cut(&accents), format!("{}…", "é".repeat(SHOWN_CHARS)));
    }

    #[test]
    fn a_data_error_names_its_line_unless_the_file_has_none() {
        let at = |line| Error::Data { path: "e.bin".into(), line, message: "byte 7: damaged".into() }.to_string();
        assert_eq!(at(3), "e.bin:3: byte 7: damaged");
        assert_eq!(at(0), "e.bin: byte 7: damaged");
    }

    #[test]
    fn invalid_option_messages_cut_long_values() {
        let long = "7".repeat(10_000);
        let message = Error::invalid(Field::TrainLr, &long, "a finite number above 0").to_string();
        let shown = "7".repeat(SHOWN_CHARS);
        assert_eq!(message, format!("invalid value '{shown}…' for train.lr: a finite number above 0"));
        let message = Error::invalid(Field::TrainLr, "-0.5", "above 0").to_string();
        assert_eq!(message, "invalid value '-0.5' for train.lr: above 0");
    }

    #[test]
    fn advice_names_other_settings_by_key_or_as_asked() {
        let advice = Advice::from("at least one in ").field(Field::GridLrs).text("; ").unset(Field::TimingLoopCount);
        assert_eq!(advice.to_string(), "at least one in grid.lrs; set timing.loop_count to None");
        let flags = advice.naming(|piece| match piece {
            Piece::Field(f) => f.flag().to_string(),
            Piece::Unset(f) => format!("leave {} out", f.flag()),
            Piece::Text(_) => unreachable!("words are kept"),
        });
        assert_eq!(flags, "at least one in --lrs; leave --loop-count out");
    }
}
