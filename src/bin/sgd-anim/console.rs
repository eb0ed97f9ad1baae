//! Writing to stdout and stderr without panicking. `print!` and `eprintln!` panic when the
//! write fails, as it does when the reader of a pipe has gone (`sgd-anim grid | head -3`) or
//! stderr is closed. Here a failed write is dropped: the output stops quietly, the files are
//! still all written, and the exit code says how the work went (ripgrep's convention: a broken
//! pipe is not an error). SIGPIPE stays ignored, as Rust sets it, so that a closed pipe cannot
//! kill the process before its files are renamed into place.

use std::io::Write;

/// Writes `text` to stdout as it is, ignoring failure.
pub fn out(text: &str) {
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

/// Writes `text` to stderr as it is, ignoring failure.
pub fn err(text: &str) {
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// Writes `line` and a newline to stderr, ignoring failure.
pub fn err_line(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}
