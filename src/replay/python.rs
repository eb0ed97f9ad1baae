//! Python's JSON: `json.dumps` writes a non-finite float as `NaN`, `Infinity` or `-Infinity`,
//! which JSON has not. A run that blew up is logged that way, and is the run a post wants to
//! show, so these tokens are read: outside strings, each becomes a string that only this reader
//! writes (a NUL, then the token), which the field visitor turns back into the number.

use std::io::{BufRead, Read};

/// What a field's string means when this reader wrote it: the non-finite number.
#[must_use]
pub(crate) fn non_finite(text: &str) -> Option<f64> {
    match text {
        "\0NaN" => Some(f64::NAN),
        "\0Infinity" => Some(f64::INFINITY),
        "\0-Infinity" => Some(f64::NEG_INFINITY),
        _ => None,
    }
}

/// Where the scan stands.
#[derive(Debug, Clone, Copy, PartialEq)]
enum State {
    /// Between values, keys and punctuation.
    Outside,
    /// In a string.
    InString,
    /// In a string, after a backslash.
    Escaped,
    /// Outside, after a `-` not yet passed on (it may start `-Infinity`).
    Minus,
}

/// Rewrites Python's non-finite tokens in the JSON read from `inner`.
pub(crate) struct PythonTokens<R> {
    inner: R,
    state: State,
    /// Bytes to pass on before reading more.
    out: Vec<u8>,
    at: usize,
    /// The rest of a token being replaced: its bytes are expected next and dropped.
    expect: &'static [u8],
    /// The bytes being scanned.
    scratch: Vec<u8>,
}

impl<R: BufRead> PythonTokens<R> {
    pub(crate) fn new(inner: R) -> Self {
        PythonTokens {
            inner,
            state: State::Outside,
            out: Vec::with_capacity(4200),
            at: 0,
            expect: b"",
            scratch: vec![],
        }
    }

    /// Scans the next byte into `out`.
    fn scan(&mut self, b: u8) {
        if let Some((&want, rest)) = self.expect.split_first() {
            if b == want {
                self.expect = rest;
                return;
            }
            // Not the token after all: the JSON is malformed, and serde says so on what follows.
            self.expect = b"";
        }
        let token = match (self.state, b) {
            (State::Minus, b'I') => Some((&b"\"\\u0000-Infinity\""[..], &b"nfinity"[..])),
            (State::Outside, b'N') => Some((&b"\"\\u0000NaN\""[..], &b"aN"[..])),
            (State::Outside, b'I') => Some((&b"\"\\u0000Infinity\""[..], &b"nfinity"[..])),
            (State::Minus, _) => {
                self.out.push(b'-');
                self.state = State::Outside;
                return self.scan(b);
            }
            (State::Outside, b'-') => {
                self.state = State::Minus;
                return;
            }
            _ => None,
        };
        if let Some((replacement, rest)) = token {
            self.out.extend_from_slice(replacement);
            self.expect = rest;
            self.state = State::Outside;
            return;
        }
        self.out.push(b);
        self.state = match (self.state, b) {
            (State::InString, b'"') => State::Outside,
            (State::InString, b'\\') => State::Escaped,
            (State::Outside, b'"') | (State::Escaped, _) => State::InString,
            (state, _) => state,
        };
    }
}

impl<R: BufRead> Read for PythonTokens<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.at == self.out.len() {
            self.out.clear();
            self.at = 0;
            let chunk = self.inner.fill_buf()?;
            if chunk.is_empty() {
                if self.state == State::Minus {
                    self.out.push(b'-');
                    self.state = State::Outside;
                    continue;
                }
                return Ok(0);
            }
            let n = chunk.len().min(4096);
            let mut scratch = std::mem::take(&mut self.scratch);
            scratch.clear();
            scratch.extend_from_slice(&chunk[..n]);
            self.inner.consume(n);
            for &b in &scratch {
                self.scan(b);
            }
            self.scratch = scratch;
        }
        let n = buf.len().min(self.out.len() - self.at);
        buf[..n].copy_from_slice(&self.out[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewrite(text: &str) -> String {
        let mut out = String::new();
        PythonTokens::new(text.as_bytes()).read_to_string(&mut out).unwrap();
        out
    }

    #[test]
    fn non_finite_tokens_become_marked_strings_outside_strings_only() {
        assert_eq!(
            rewrite("{\"a\": NaN, \"b\": -Infinity, \"c\": [Infinity, -1]}"),
            "{\"a\": \"\\u0000NaN\", \"b\": \"\\u0000-Infinity\", \"c\": [\"\\u0000Infinity\", -1]}"
        );
        assert_eq!(rewrite("{\"NaN\": \"x\\\" NaN\", \"v\": -2}"), "{\"NaN\": \"x\\\" NaN\", \"v\": -2}");
        assert_eq!(rewrite("[1, -"), "[1, -");
        for (text, v) in [("\0NaN", f64::NAN), ("\0Infinity", f64::INFINITY), ("\0-Infinity", f64::NEG_INFINITY)] {
            assert_eq!(non_finite(text).map(f64::to_bits), Some(v.to_bits()));
        }
        assert_eq!(non_finite("NaN"), None, "a string the log wrote stays text");
    }
}
