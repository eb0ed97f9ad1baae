//! A bound on a log's lines, so that one endless line (a stream without newlines on standard
//! input) is refused early instead of being buffered up to the log's size limit.

use std::io::Read;

/// The longest line a log may have: a trace's data line of a million points fits.
pub const MAX_LINE_BYTES: u64 = 64 << 20;

/// Why a line was refused: its 1-based number.
#[derive(Debug)]
pub(crate) struct LineTooLong {
    /// The line's 1-based number.
    pub line: usize,
}

impl std::fmt::Display for LineTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "line {} is longer than {}, the most a log's line may be",
            self.line,
            crate::run::size(MAX_LINE_BYTES)
        )
    }
}

impl std::error::Error for LineTooLong {}

/// A reader that fails once a line runs past `limit` bytes.
pub(crate) struct LineBound<R> {
    inner: R,
    limit: u64,
    /// Bytes since the last newline.
    run: u64,
    /// Newlines read.
    newlines: usize,
}

impl<R: Read> LineBound<R> {
    pub(crate) fn new(inner: R, limit: u64) -> Self {
        LineBound { inner, limit, run: 0, newlines: 0 }
    }
}

impl<R: Read> Read for LineBound<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let too_long = |line: usize| std::io::Error::new(std::io::ErrorKind::InvalidData, LineTooLong { line });
        let mut start = 0;
        for i in memchr::memchr_iter(b'\n', &buf[..n]) {
            if self.run + (i - start) as u64 > self.limit {
                return Err(too_long(self.newlines + 1));
            }
            self.run = 0;
            self.newlines += 1;
            start = i + 1;
        }
        self.run += (n - start) as u64;
        if self.run > self.limit {
            return Err(too_long(self.newlines + 1));
        }
        Ok(n)
    }
}

/// The line a failed read names, if it failed on a line too long.
pub(crate) fn too_long(error: &std::io::Error) -> Option<usize> {
    error.get_ref().and_then(|e| e.downcast_ref::<LineTooLong>()).map(|e| e.line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_past_the_bound_fails_and_names_its_line() {
        let text = format!("a\nbb\n{}\n", "c".repeat(100));
        let mut out = vec![];
        let e = LineBound::new(text.as_bytes(), 50).read_to_end(&mut out).unwrap_err();
        assert_eq!(too_long(&e), Some(3));
        assert!(LineBound::new(text.as_bytes(), 100).read_to_end(&mut out).is_ok());
    }
}
