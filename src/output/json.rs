//! The one JSON writer (`serde_json`) of the trace and the summary: `": "` after keys and `", "`
//! between items, so a trace reads like the README's example; non-finite numbers are `null`.

use serde::Serialize;

/// `serde_json`'s compact layout, with a space after each `:` and `,`.
struct Spaced;

impl serde_json::ser::Formatter for Spaced {
    fn begin_array_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        if first {
            Ok(())
        } else {
            w.write_all(b", ")
        }
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        self.begin_array_value(w, first)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }
}

/// `value` as one line of JSON.
pub fn to_line<T: Serialize + ?Sized>(value: &T) -> String {
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut out, Spaced);
    // Our types serialise to plain JSON: only an I/O error of the Vec could fail, and none can.
    value.serialize(&mut ser).expect("serialising to memory cannot fail");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keys_and_non_finite_values() {
        #[derive(Serialize)]
        struct S<'a> {
            a: f64,
            b: Option<usize>,
            c: &'a [f64],
            d: &'a str,
        }
        let line = to_line(&S { a: -1.0, b: None, c: &[0.1, f64::NAN, f64::INFINITY, 1e-5], d: "q\"\n" });
        assert_eq!(line, r#"{"a": -1.0, "b": null, "c": [0.1, null, null, 0.00001], "d": "q\"\n"}"#);
    }
}
