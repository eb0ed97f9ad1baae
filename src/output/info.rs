//! `sgd-anim info FILE.gif` (or `.webp`): what an animation holds (size, frames, delays, loop
//! count) and, for one of ours, the version and the command that make it again (a GIF's
//! comment, a WebP's XMP description).

use super::provenance::{Provenance, VERSION};
use crate::encode::inspect::{read_animation, GifSummary};
use crate::error::{cut, file_kind, Error, Field, Result};
use std::io::BufReader;
use std::path::Path;

/// What a GIF file holds and says about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GifInfo {
    /// Size, delays, loop count and comments.
    pub summary: GifSummary,
    /// Its sgd-anim comment, read back; `None` for a GIF without one.
    pub provenance: Option<Provenance>,
}

/// Reads a GIF's blocks (not its pixels). A missing file, or one that is not a regular file,
/// is an invalid `info.file`; a file that is not a GIF, or is cut short, an [`Error::Gif`].
pub fn inspect(path: &Path) -> Result<GifInfo> {
    let not_a_gif = |allowed: String| Error::invalid(Field::InfoFile, path.display(), allowed);
    let io = |source| Error::Io { action: "read", path: path.to_path_buf(), source };
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => not_a_gif("an existing GIF file".into()),
        _ => io(e),
    })?;
    if !meta.is_file() {
        return Err(not_a_gif(format!("a GIF file, but it is {}", file_kind(&meta.file_type()))));
    }
    let file = std::fs::File::open(path).map_err(io)?;
    // The path may have been replaced between the two looks; what was opened decides.
    let opened = file.metadata().map_err(io)?;
    if !opened.is_file() {
        return Err(not_a_gif(format!("a GIF file, but it is {}", file_kind(&opened.file_type()))));
    }
    inspect_reader(BufReader::with_capacity(1 << 16, file), path)
}

/// Reads a GIF's or a WebP's blocks from any reader; `name` names it in errors.
pub fn inspect_reader(reader: impl std::io::Read, name: &Path) -> Result<GifInfo> {
    let summary = read_animation(reader, name)?;
    let provenance = summary.comments.iter().find_map(|c| Provenance::parse(c));
    Ok(GifInfo { summary, provenance })
}

/// Text from a file as a terminal may show it: control characters escaped, so a comment
/// cannot move the cursor or change colours.
fn printable(text: &str) -> String {
    text.chars().flat_map(|c| if c.is_control() { c.escape_default().collect() } else { vec![c] }).collect()
}

/// Delays in centiseconds, as runs, in words: `100 x 20 ms, last 1000 ms (3.00 s in all)`.
#[must_use]
pub fn delays_text(runs: &[(u16, u64)]) -> String {
    let ms = |cs: u16| u64::from(cs) * 10;
    let total: u64 = runs.iter().map(|&(cs, n)| ms(cs) * n).sum();
    let listed = match runs {
        [] => return "none".into(),
        [(a, n), (b, 1)] => format!("{n} x {} ms, last {} ms", ms(*a), ms(*b)),
        _ => {
            let mut parts: Vec<String> = runs.iter().take(4).map(|&(cs, n)| format!("{n} x {} ms", ms(cs))).collect();
            match runs.len() - parts.len() {
                0 => {}
                1 => parts.push("and 1 more run".into()),
                more => parts.push(format!("and {more} more runs")),
            }
            parts.join(", ")
        }
    };
    format!("{listed} ({:.2} s in all)", total as f64 / 1000.0)
}

impl GifInfo {
    /// The report `sgd-anim info` prints for the file at `path`, one `key: value` line each.
    #[must_use]
    pub fn text(&self, path: &Path) -> String {
        let s = &self.summary;
        let mut lines = vec![("file", printable(&path.display().to_string()))];
        match &self.provenance {
            Some(p) => {
                lines.push(("made by", printable(&format!("sgd-anim {}", p.version))));
                lines.push(("command", printable(&p.command_for(path))));
                lines.extend(p.notes.iter().map(|n| ("note", printable(n))));
                if p.version != VERSION {
                    let note =
                        format!("this is sgd-anim {VERSION}: the command may make other bytes than {} did", p.version);
                    lines.push(("note", printable(&note)));
                }
            }
            None => lines.push(("provenance", "none: no sgd-anim comment, so no command that makes it again".into())),
        }
        for comment in s.comments.iter().filter(|c| Provenance::parse(c).is_none()) {
            lines.push(("comment", printable(&cut(&String::from_utf8_lossy(comment)))));
        }
        lines.push(("size", format!("{}x{}", s.width, s.height)));
        lines.push(("frames", s.frames().to_string()));
        lines.push(("delays", delays_text(&s.delays)));
        let plays = match s.loop_count {
            None => "forever".into(),
            Some(1) => "plays once".into(),
            Some(n) => format!("plays {n} times"),
        };
        lines.push(("loop", plays));
        let mut text = String::new();
        for (key, value) in lines {
            let key = format!("{key}:");
            text.push_str(&format!("{key:<11} {value}\n"));
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_are_summarised() {
        assert_eq!(delays_text(&[(2, 100), (100, 1)]), "100 x 20 ms, last 1000 ms (3.00 s in all)");
        assert_eq!(delays_text(&[(5, 3)]), "3 x 50 ms (0.15 s in all)");
        assert_eq!(delays_text(&[]), "none");
        let many = [(1, 1), (2, 1), (1, 1), (2, 1), (1, 1)];
        assert_eq!(delays_text(&many), "1 x 10 ms, 1 x 20 ms, 1 x 10 ms, 1 x 20 ms, and 1 more run (0.07 s in all)");
    }

    #[test]
    fn a_gif_without_our_comment_says_so_and_escapes_others() {
        let info = GifInfo {
            summary: GifSummary {
                width: 3,
                height: 2,
                delays: vec![(10, 2)],
                loop_count: Some(3),
                comments: vec![b"hi\x1b[2J".to_vec()],
            },
            provenance: None,
        };
        let text = info.text(Path::new("x.gif"));
        assert_eq!(
            text,
            "file:       x.gif\n\
             provenance: none: no sgd-anim comment, so no command that makes it again\n\
             comment:    hi\\u{1b}[2J\n\
             size:       3x2\n\
             frames:     2\n\
             delays:     2 x 100 ms (0.20 s in all)\n\
             loop:       plays 3 times\n"
        );
    }
}
