//! Writing to stdout and stderr without panicking. `print!` and `eprintln!` panic when the
//! write fails, as it does when the reader of a pipe has gone (`sgd-anim grid | head -3`) or
//! stderr is closed. Here a failed write is dropped: the output stops quietly, the files are
//! still all written, and the exit code says how the work went (ripgrep's convention: a broken
//! pipe is not an error). SIGPIPE stays ignored, as Rust sets it, so that a closed pipe cannot
//! kill the process before its files are renamed into place.
//!
//! Every text written here has its control characters escaped (but newlines and tabs): a
//! message may quote a log's cell or a file's name, and `\e]0;...\a` in one must reach the
//! terminal as text, not as a command to it.

use std::borrow::Cow;
use std::io::Write;

/// Writes `text` to stdout, ignoring failure.
pub fn out(text: &str) {
    let _ = std::io::stdout().lock().write_all(escaped(text).as_bytes());
}

/// Writes `text` to stderr, ignoring failure.
pub fn err(text: &str) {
    let _ = std::io::stderr().lock().write_all(escaped(text).as_bytes());
}

/// Writes `line` and a newline to stderr, ignoring failure.
pub fn err_line(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{}", escaped(line));
}

/// `text` with each control character but newline and tab escaped (`\u{1b}`, `\r`).
pub fn escaped(text: &str) -> Cow<'_, str> {
    sgd_anim::cli::escape_controls(text, &['\n', '\t'])
}

#[cfg(test)]
mod tests {
    #[test]
    fn control_characters_but_newlines_and_tabs_are_escaped() {
        assert_eq!(super::escaped("a\x1b]0;pwned\x07\tb\nc\r\u{9b}"), "a\\u{1b}]0;pwned\\u{7}\tb\nc\\r\\u{9b}");
        assert!(matches!(super::escaped("plain\n"), std::borrow::Cow::Borrowed(_)));
    }
}
