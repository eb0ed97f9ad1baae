//! The library's error type: every message names the bad value and, where it can, the fix.

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

/// Everything that can go wrong in sgd-anim.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A setting has a value outside what is allowed (a usage error: exit code 2 in the CLI).
    #[error("invalid value '{}' for {field}: {allowed}", cut(value))]
    InvalidSetting {
        /// The setting, as a path into the settings types: `train.lr`, `scene.width`,
        /// `grid.threads`, `output` (the CLI names the flag instead).
        field: String,
        /// The offending value, as text (the message shows at most [`SHOWN_CHARS`] characters of it).
        value: String,
        /// What is allowed instead.
        allowed: String,
    },
    /// The work asked for is above a budget (time, memory or frame-pixels); setting `force`
    /// lifts it. A usage error.
    #[error("invalid value '{}' for {field}: {estimate}; or set force to go on", cut(value))]
    OverBudget {
        /// The setting that drives the cost, e.g. `train.steps`.
        field: String,
        /// Its value, as text.
        value: String,
        /// What the work would cost against the budget, and what would lower it.
        estimate: String,
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
    /// The CSV data file is malformed.
    #[error("{}:{line}: {message}", path.display())]
    Data {
        /// The CSV file.
        path: PathBuf,
        /// 1-based line number.
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

impl Error {
    /// Shorthand for [`Error::InvalidSetting`].
    pub fn invalid(field: &str, value: impl ToString, allowed: impl Into<String>) -> Self {
        Error::InvalidSetting { field: field.to_string(), value: value.to_string(), allowed: allowed.into() }
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
    fn invalid_option_messages_cut_long_values() {
        let long = "7".repeat(10_000);
        let message = Error::invalid("--lr", &long, "a finite number above 0").to_string();
        assert_eq!(message, format!("invalid value '{}…' for --lr: a finite number above 0", "7".repeat(SHOWN_CHARS)));
        assert_eq!(Error::invalid("--lr", "-0.5", "above 0").to_string(), "invalid value '-0.5' for --lr: above 0");
    }
}
