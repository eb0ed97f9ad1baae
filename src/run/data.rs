//! The points to fit: the post's synthetic data from a seed, or the user's own CSV.

use crate::error::{cut, file_kind, Error, Field, Result};
use rand::{rngs::StdRng, Rng, SeedableRng};
use rand_distr::StandardNormal;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The most points a dataset may have.
pub const MAX_POINTS: usize = 1_000_000;

/// The largest magnitude a CSV value may have: squares and sums stay far from overflow.
pub const MAX_VALUE: f64 = 1e12;

/// The most bytes of CSV read before giving up, so a huge file or an endless stream stops
/// early instead of filling memory. [`MAX_POINTS`] rows of two full-precision numbers
/// (`-0.12345678901234567,-12345.678901234567`, about 40 bytes) need some 40 MiB; 128 MiB
/// leaves room for spacing, quotes and a few more columns.
pub const MAX_CSV_BYTES: u64 = 128 * 1024 * 1024;

/// How to draw the synthetic dataset: `y = slope * x + intercept + noise * N(0, 1)`, `x ~ U(-1, 1)`.
#[derive(Debug, Clone, PartialEq)]
pub struct DataSpec {
    /// Number of points (the post: 100).
    pub n: usize,
    /// True slope (the post: 3).
    pub slope: f64,
    /// True intercept (the post: 10).
    pub intercept: f64,
    /// Standard deviation of the noise (the post: 0.6).
    pub noise: f64,
    /// Seed of the data's random generator.
    pub seed: u64,
}

impl Default for DataSpec {
    fn default() -> Self {
        DataSpec { n: 100, slope: 3.0, intercept: 10.0, noise: 0.6, seed: 42 }
    }
}

/// Where the points come from.
#[derive(Debug, Clone, PartialEq)]
pub enum DataSource {
    /// The post's synthetic line with noise.
    Synthetic(DataSpec),
    /// The user's CSV file (columns x,y with a header).
    Csv(PathBuf),
    /// CSV read from standard input (`--data -`), with the same bounds as a file.
    Stdin,
}

impl Default for DataSource {
    fn default() -> Self {
        DataSource::Synthetic(DataSpec::default())
    }
}

impl DataSource {
    /// The (slope, intercept) the data was drawn from, when known.
    #[must_use]
    pub fn truth(&self) -> Option<(f64, f64)> {
        match self {
            DataSource::Synthetic(spec) => Some((spec.slope, spec.intercept)),
            DataSource::Csv(_) | DataSource::Stdin => None,
        }
    }

    /// The file the points are read from, if any (an output must never overwrite it).
    #[must_use]
    pub fn file(&self) -> Option<&Path> {
        match self {
            DataSource::Csv(path) => Some(path),
            DataSource::Synthetic(_) | DataSource::Stdin => None,
        }
    }

    /// Draws or reads the points.
    pub fn load(&self) -> Result<Dataset> {
        match self {
            DataSource::Synthetic(spec) => {
                spec.validate()?;
                Ok(Dataset::synthetic(spec))
            }
            DataSource::Csv(path) => Dataset::from_csv_file(path),
            DataSource::Stdin => {
                Dataset::from_csv_reader(std::io::stdin().lock(), Path::new("standard input (--data -)"))
            }
        }
    }
}

/// Checks the number of synthetic points.
fn points(n: usize) -> Result<()> {
    if (2..=MAX_POINTS).contains(&n) {
        Ok(())
    } else {
        Err(Error::invalid(Field::DataN, n, format!("between 2 and {MAX_POINTS}")))
    }
}

/// Checks the synthetic data's line and noise.
fn synthetic(spec: &DataSpec) -> Result<()> {
    let limit = MAX_VALUE;
    for (option, v) in [(Field::DataSlope, spec.slope), (Field::DataIntercept, spec.intercept)] {
        if !(v.is_finite() && v.abs() <= limit) {
            return Err(Error::invalid(option, v, format!("a number within ±{limit:e}")));
        }
    }
    if !(spec.noise.is_finite() && (0.0..=limit).contains(&spec.noise)) {
        return Err(Error::invalid(Field::DataNoise, spec.noise, "a standard deviation, 0 or more, such as 0.6"));
    }
    Ok(())
}

impl DataSpec {
    /// Checks the number of points, the line and the noise.
    pub fn validate(&self) -> Result<()> {
        points(self.n)?;
        synthetic(self)
    }
}

/// A set of (x, y) points.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    /// Inputs.
    pub x: Vec<f64>,
    /// Targets.
    pub y: Vec<f64>,
}

impl Dataset {
    /// The post's synthetic data, reproducible from `spec.seed`.
    #[must_use]
    pub fn synthetic(spec: &DataSpec) -> Dataset {
        let mut rng = StdRng::seed_from_u64(spec.seed);
        let x: Vec<f64> = (0..spec.n).map(|_| rng.random_range(-1.0..1.0)).collect();
        let y = x
            .iter()
            .map(|&xi| {
                let eps: f64 = rng.sample(StandardNormal);
                spec.slope * xi + spec.intercept + spec.noise * eps
            })
            .collect();
        Dataset { x, y }
    }

    /// Loads points from a CSV file with a header naming columns `x` and `y` (see
    /// [`Dataset::from_csv_reader`]). The path must be a regular file (links are followed): a
    /// folder, FIFO, socket or device is refused as a usage error naming `--data` before it is
    /// opened, so a FIFO with no writer cannot block the run.
    pub fn from_csv_file(path: &Path) -> Result<Dataset> {
        Dataset::from_csv_reader(open_regular(path, Field::Data, "CSV file")?, path)
    }

    /// Reads CSV points from any reader, record by record, stopping with an error at
    /// [`MAX_POINTS`] points or [`MAX_CSV_BYTES`] bytes, so an endless stream ends.
    ///
    /// The first non-blank record is a header naming columns `x` and `y` in any order and case
    /// (other columns are ignored); then one point per record. Fields may be quoted, a UTF-8
    /// byte-order mark and blank lines are skipped. Errors carry `name` and the 1-based line.
    pub fn from_csv_reader(reader: impl Read, name: &Path) -> Result<Dataset> {
        parse_csv(reader, MAX_CSV_BYTES, MAX_POINTS).map_err(|failure| match failure {
            Failure::Line(line, message) => Error::Data { path: name.to_path_buf(), line, message },
            Failure::Io(source) => Error::Io { action: "read", path: name.to_path_buf(), source },
        })
    }

    /// Parses CSV text as [`Dataset::from_csv_reader`] does. Errors carry the 1-based line.
    pub fn from_csv(text: &str) -> std::result::Result<Dataset, (usize, String)> {
        parse_csv(text.as_bytes(), MAX_CSV_BYTES, MAX_POINTS).map_err(|failure| match failure {
            Failure::Line(line, message) => (line, message),
            Failure::Io(e) => (1, e.to_string()),
        })
    }

    /// Number of points.
    #[must_use]
    pub fn len(&self) -> usize {
        self.x.len()
    }

    /// Whether there are no points.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.x.is_empty()
    }

    /// The ordinary least-squares line `(slope, intercept)`, the closed form GD converges to.
    /// `None` when all x are equal.
    #[must_use]
    pub fn least_squares(&self) -> Option<(f64, f64)> {
        let n = self.len() as f64;
        let mean_x = self.x.iter().sum::<f64>() / n;
        let mean_y = self.y.iter().sum::<f64>() / n;
        let (mut sxy, mut sxx) = (0.0, 0.0);
        for (x, y) in self.x.iter().zip(&self.y) {
            sxy += (x - mean_x) * (y - mean_y);
            sxx += (x - mean_x) * (x - mean_x);
        }
        if sxx == 0.0 {
            return None;
        }
        let slope = sxy / sxx;
        Some((slope, mean_y - slope * mean_x))
    }
}

/// Opens `path` for reading when it is a regular file (links are followed): a missing file, a
/// folder, FIFO, socket or device is refused as a usage error naming `field` ("an existing
/// `what` or - for standard input") before it is opened, so a FIFO with no writer cannot block.
pub(crate) fn open_regular(path: &Path, field: Field, what: &str) -> Result<std::fs::File> {
    let io = |source: std::io::Error| Error::Io { action: "read", path: path.to_path_buf(), source };
    let not_regular = |kind: &str| {
        Error::invalid(field, path.display(), format!("a {what} or - for standard input, but it is {kind}"))
    };
    let meta = std::fs::metadata(path).map_err(|source| match source.kind() {
        std::io::ErrorKind::NotFound => {
            Error::invalid(field, path.display(), format!("an existing {what} or - for standard input"))
        }
        _ => io(source),
    })?;
    if let Some(kind) = not_a_file(&meta) {
        return Err(not_regular(kind));
    }
    let file = std::fs::File::open(path).map_err(io)?;
    // The path may have been replaced between the two looks; what was opened decides.
    if let Some(kind) = not_a_file(&file.metadata().map_err(io)?) {
        return Err(not_regular(kind));
    }
    Ok(file)
}

/// What a path is, when it is not a regular file.
fn not_a_file(meta: &std::fs::Metadata) -> Option<&'static str> {
    (!meta.is_file()).then(|| file_kind(&meta.file_type()))
}

/// Why reading CSV stopped: a problem on a line of the data, or a failed read.
enum Failure {
    Line(usize, String),
    Io(std::io::Error),
}

/// A reader that stops with an error past `limit` bytes and remembers where it is, so the
/// parser can tell the byte limit from a read failure and whether the data ended in a newline.
pub(crate) struct Bounded<R> {
    inner: R,
    limit: u64,
    total: u64,
    last: Option<u8>,
    eof: bool,
    over: bool,
}

impl<R: Read> Bounded<R> {
    /// `inner`, read up to `limit` bytes.
    pub(crate) fn new(inner: R, limit: u64) -> Self {
        Bounded { inner, limit, total: 0, last: None, eof: false, over: false }
    }

    /// Whether reading stopped because the data goes on past the limit.
    pub(crate) fn over(&self) -> bool {
        self.over
    }

    fn read_retrying(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            match self.inner.read(buf) {
                // A signal cut the read short: read again.
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                other => return other,
            }
        }
    }
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        if self.total == self.limit {
            // At the limit: one more byte means the data goes on past it.
            let n = self.read_retrying(&mut [0u8])?;
            self.eof = n == 0;
            self.over = n > 0;
            return if self.over { Err(std::io::Error::other("the byte limit")) } else { Ok(0) };
        }
        let room = buf.len().min(usize::try_from(self.limit - self.total).unwrap_or(usize::MAX));
        let n = self.read_retrying(&mut buf[..room])?;
        self.eof = n == 0;
        if n > 0 {
            self.total += n as u64;
            self.last = Some(buf[n - 1]);
        }
        Ok(n)
    }
}

/// The 1-based line a record starts on, from where the reader stands just after it.
pub(crate) fn record_line<R: Read>(csv: &csv::Reader<Bounded<R>>, record: &csv::ByteRecord) -> usize {
    let after = csv.position();
    let source = csv.get_ref();
    // Records end at a newline (consumed with them) or at the end of the data.
    let at_end = source.eof && after.byte() == source.total;
    let newline_after = !at_end || source.last == Some(b'\n');
    let inside = record.as_slice().iter().filter(|&&b| b == b'\n').count();
    usize::try_from(after.line()).unwrap_or(usize::MAX).saturating_sub(inside + usize::from(newline_after)).max(1)
}

pub(crate) fn size(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{bytes} bytes")
    }
}

/// Streams CSV records from `reader`, at most `max_bytes` bytes and `max_points` points.
fn parse_csv(reader: impl Read, max_bytes: u64, max_points: usize) -> std::result::Result<Dataset, Failure> {
    let source = Bounded::new(reader, max_bytes);
    // Records end at '\n' only, so line numbers can be worked out exactly; a '\r' before it is
    // trimmed with the field's spaces.
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_reader(source);
    let mut record = csv::ByteRecord::new();
    let mut columns: Option<(usize, usize, usize)> = None;
    let mut data = Dataset { x: vec![], y: vec![] };
    let mut last_line = 1;
    loop {
        match csv.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = usize::try_from(csv.position().line()).unwrap_or(usize::MAX);
                return Err(match e.into_kind() {
                    csv::ErrorKind::Io(_) if csv.get_ref().over => Failure::Line(
                        line,
                        format!(
                            "the data goes on past {}, the most read (room for {max_points} points); \
                             use fewer points",
                            size(max_bytes)
                        ),
                    ),
                    csv::ErrorKind::Io(e) => Failure::Io(e),
                    other => Failure::Line(line, format!("{other:?}")),
                });
            }
        }
        let line = record_line(&csv, &record);
        last_line = line;
        if record.len() == 1 && record[0].iter().all(u8::is_ascii_whitespace) {
            continue; // a blank line, or one with only spaces or '\r'
        }
        let Some((count, xi, yi)) = columns else {
            columns = Some(header(&record, line)?);
            continue;
        };
        if record.len() != count {
            return Err(Failure::Line(line, format!("expected {count} fields, found {}", record.len())));
        }
        if data.len() == max_points {
            return Err(Failure::Line(line, format!("more than {max_points} points, the most a dataset may have")));
        }
        data.x.push(value("x", &record[xi], line)?);
        data.y.push(value("y", &record[yi], line)?);
    }
    if columns.is_none() {
        return Err(Failure::Line(1, "the file is empty; expected a header 'x,y'".to_string()));
    }
    if data.len() < 2 {
        return Err(Failure::Line(last_line, format!("need at least 2 points, found {}", data.len())));
    }
    Ok(data)
}

/// The number of fields and the x and y columns of a header record.
fn header(record: &csv::ByteRecord, line: usize) -> std::result::Result<(usize, usize, usize), Failure> {
    // csv skips a byte-order mark at the very start; this catches one it could not see whole.
    let names: Vec<String> = record
        .iter()
        .map(|field| String::from_utf8_lossy(field).trim_start_matches('\u{feff}').trim().to_ascii_lowercase())
        .collect();
    if let (Some(xi), Some(yi)) = (names.iter().position(|c| c == "x"), names.iter().position(|c| c == "y")) {
        Ok((record.len(), xi, yi))
    } else {
        let found: Vec<String> = record.iter().map(|f| String::from_utf8_lossy(f).into_owned()).collect();
        Err(Failure::Line(
            line,
            format!("expected a header naming columns 'x' and 'y', found '{}'", cut(&found.join(","))),
        ))
    }
}

/// One value of column `name`: UTF-8, a finite number within ±[`MAX_VALUE`].
fn value(name: &str, field: &[u8], line: usize) -> std::result::Result<f64, Failure> {
    let bad = |why: String| Err(Failure::Line(line, why));
    let Ok(text) = std::str::from_utf8(field) else {
        let shown = cut(String::from_utf8_lossy(field).trim()).into_owned();
        return bad(format!("{name} value '{shown}' is not UTF-8 text; save the file as UTF-8"));
    };
    let text = text.trim();
    match text.parse::<f64>() {
        Err(_) => bad(format!("{name} value '{}' is not a number", cut(text))),
        Ok(v) if !v.is_finite() => bad(format!("{name} value '{}' is not finite", cut(text))),
        Ok(v) if v.abs() > MAX_VALUE => {
            bad(format!("{name} value '{}' is beyond ±{MAX_VALUE:e}; rescale the data", cut(text)))
        }
        Ok(v) => Ok(v),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_data_and_post_shape() {
        let spec = DataSpec::default();
        let a = Dataset::synthetic(&spec);
        assert_eq!(a, Dataset::synthetic(&spec));
        assert_eq!(a.len(), 100);
        assert!(a.x.iter().all(|x| (-1.0..1.0).contains(x)));
        let (slope, intercept) = a.least_squares().unwrap();
        assert!((slope - 3.0).abs() < 0.5 && (intercept - 10.0).abs() < 0.3, "{slope} {intercept}");
        let other = Dataset::synthetic(&DataSpec { seed: 7, ..spec });
        assert_ne!(a, other);
    }

    #[test]
    fn csv_parses_and_reports_line_numbers() {
        let d = Dataset::from_csv("\u{feff}x,y\n1,2\n\n3,4.5\n").unwrap();
        assert_eq!(d.x, vec![1.0, 3.0]);
        assert_eq!(d.y, vec![2.0, 4.5]);
        let swapped = Dataset::from_csv("y,x\n1,2\n3,4\n").unwrap();
        assert_eq!(swapped.x, vec![2.0, 4.0]);
        assert_eq!(Dataset::from_csv("x,y\n1,2\n3,abc\n").unwrap_err().0, 3);
        assert_eq!(Dataset::from_csv("x,y\n1,2\n3\n").unwrap_err().0, 3);
        assert_eq!(Dataset::from_csv("x,y\n1,2\n3,inf\n").unwrap_err().0, 3);
        assert_eq!(Dataset::from_csv("x,y\n1,2\n3,4\n1e200,1\n").unwrap_err().0, 4);
        assert_eq!(Dataset::from_csv("a,b\n1,2\n").unwrap_err().0, 1);
        assert!(Dataset::from_csv("x,y\n1,2\n").is_err());
    }

    fn parse(bytes: &[u8]) -> std::result::Result<Dataset, (usize, String)> {
        parse_csv(bytes, MAX_CSV_BYTES, MAX_POINTS).map_err(|f| match f {
            Failure::Line(line, message) => (line, message),
            Failure::Io(e) => panic!("reading bytes failed: {e}"),
        })
    }

    #[test]
    fn line_numbers_count_blank_lines_crlf_and_quoted_newlines() {
        assert_eq!(parse(b"x,y\r\n1,2\r\n\r\n3,abc\r\n").unwrap_err().0, 4);
        assert_eq!(parse(b"\n\nx,y\n1,2\n   \n3,abc").unwrap_err().0, 6);
        assert_eq!(parse(b"x,y,note\n1,2,\"two\nlines\"\n3,4,z\n5,?,w\n").unwrap_err().0, 5);
        let d = parse(b"x,y,note\n1,2,\"two\nlines\"\n3,4,z\n").unwrap();
        assert_eq!((d.x, d.y), (vec![1.0, 3.0], vec![2.0, 4.0]));
        // Too few points: the last line read.
        assert_eq!(parse(b"x,y\n\n1,2\n").unwrap_err(), (3, "need at least 2 points, found 1".to_string()));
        assert_eq!(parse(b"").unwrap_err().0, 1);
        assert_eq!(parse(b"\n\n").unwrap_err().0, 1);
    }

    #[test]
    fn quoted_fields_are_read() {
        let d = Dataset::from_csv("\"X\",\" y \"\n\"1\",\"2\"\n\" 3 \",4\n\"-5e-1\",\"6\"\n").unwrap();
        assert_eq!(d.x, vec![1.0, 3.0, -0.5]);
        assert_eq!(d.y, vec![2.0, 4.0, 6.0]);
        // A quoted comma is one field: the count is wrong.
        assert_eq!(Dataset::from_csv("x,y\n1,2\n\"3,4\"\n").unwrap_err(), (3, "expected 2 fields, found 1".into()));
    }

    #[test]
    fn non_utf8_names_its_line_and_field() {
        let (line, message) = parse(b"x,y\n1,2\n3,4\n5,\xff\xfe6\n").unwrap_err();
        assert_eq!(line, 4);
        assert!(message.starts_with("y value '") && message.contains("not UTF-8"), "{message}");
        // Latin-1 in a column that is not used is harmless.
        let d = parse(b"x,y,place\n1,2,K\xf6ln\n3,4,Z\xfcrich\n").unwrap();
        assert_eq!(d.y, vec![2.0, 4.0]);
    }

    #[test]
    fn an_endless_stream_stops_at_the_byte_limit() {
        // One endless field: memory stays within the limit and the error names line 1.
        let started = std::time::Instant::now();
        let Err(Failure::Line(line, message)) = parse_csv(std::io::repeat(b'1'), 1 << 16, MAX_POINTS) else {
            panic!("an endless stream was accepted");
        };
        assert_eq!(line, 1);
        assert!(message.starts_with("the data goes on past 65536 bytes"), "{message}");
        // Endless lines: the line where reading stopped.
        let rows = b"x,y\n".chain(std::io::repeat(b'\n'));
        let Err(Failure::Line(line, _)) = parse_csv(rows, 1000, MAX_POINTS) else { panic!("accepted") };
        assert_eq!(line, 998, "1000 bytes hold 997 newlines: reading stopped on line 998");
        assert!(started.elapsed() < std::time::Duration::from_secs(10));
        // Exactly at the limit is fine; one byte more is not.
        let text = b"x,y\n1,2\n3,4\n";
        assert!(parse_csv(&text[..], text.len() as u64, MAX_POINTS).is_ok());
        assert!(matches!(parse_csv(&text[..], text.len() as u64 - 1, MAX_POINTS), Err(Failure::Line(3, _))));
        // The file path uses the real limit, with room for the point limit.
        assert!(MAX_CSV_BYTES >= MAX_POINTS as u64 * 64);
    }

    /// Endless valid rows stop at the point limit, on the line of the first point too many.
    #[test]
    fn endless_rows_stop_at_the_point_limit() {
        struct Rows;
        impl Read for Rows {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let n = buf.len() / 4 * 4;
                buf[..n].chunks_mut(4).for_each(|c| c.copy_from_slice(b"1,2\n"));
                Ok(n)
            }
        }
        let Err(Failure::Line(line, message)) = parse_csv(b"x,y\n".chain(Rows), MAX_CSV_BYTES, MAX_POINTS) else {
            panic!("endless rows were accepted")
        };
        assert_eq!(line, MAX_POINTS + 2);
        assert_eq!(message, format!("more than {MAX_POINTS} points, the most a dataset may have"));
        let Err(Failure::Line(4, _)) = parse_csv(&b"x,y\n1,2\n3,4\n5,6\n"[..], MAX_CSV_BYTES, 2) else {
            panic!("a third point was accepted with a limit of 2");
        };
    }

    #[test]
    fn long_fields_are_cut_in_messages() {
        let field = "7".repeat(10_000_000);
        let (line, message) = Dataset::from_csv(&format!("x,y\n1,2\n3,{field}a\n")).unwrap_err();
        assert_eq!(line, 3);
        assert_eq!(message, format!("y value '{}…' is not a number", "7".repeat(60)));
        let (_, message) = Dataset::from_csv(&format!("{field}\n1,2\n")).unwrap_err();
        assert!(message.len() < 200 && message.ends_with("7…'"), "{}", &message[..200.min(message.len())]);
        // Multi-byte characters are cut at a character boundary.
        let (_, message) = Dataset::from_csv(&format!("x,y\n1,{}\n", "é".repeat(100))).unwrap_err();
        assert!(message.contains(&format!("'{}…'", "é".repeat(60))), "{message}");
    }

    proptest::proptest! {
        /// Whatever the text, parsing returns points or a line-numbered error, never a panic.
        #[test]
        fn csv_parsing_never_panics(text in "(x,y\n)?([-0-9.eE,a-z \"\r]{0,12}\n?){0,6}") {
            let lines = text.matches('\n').count() + 1;
            match Dataset::from_csv(&text) {
                Ok(d) => proptest::prop_assert!(d.len() >= 2 && d.x.iter().chain(&d.y).all(|v| v.is_finite())),
                Err((line, _)) => proptest::prop_assert!(line >= 1 && line <= lines, "line {} of {}", line, lines),
            }
        }

        /// The same for any bytes after a header, and with a small byte limit.
        #[test]
        fn csv_bytes_never_panic(
            body in proptest::collection::vec(proptest::prop_oneof![
                4 => proptest::sample::select(b"0123456789.,-e\n\" ".to_vec()),
                1 => proptest::num::u8::ANY,
            ], 0..80),
            limit in 0u64..100,
        ) {
            let bytes = [b"x,y\n".as_slice(), &body].concat();
            let lines = bytes.iter().filter(|&&b| b == b'\n').count() + 1;
            match parse_csv(bytes.as_slice(), limit, MAX_POINTS) {
                Ok(d) => proptest::prop_assert!(d.len() >= 2 && (bytes.len() as u64) <= limit),
                Err(Failure::Line(line, _)) => proptest::prop_assert!(line >= 1 && line <= lines),
                Err(Failure::Io(e)) => proptest::prop_assert!(false, "{}", e),
            }
        }
    }

    #[test]
    fn least_squares_recovers_an_exact_line() {
        let d = Dataset { x: vec![0.0, 1.0, 2.0], y: vec![1.0, 3.0, 5.0] };
        assert_eq!(d.least_squares(), Some((2.0, 1.0)));
    }
}
