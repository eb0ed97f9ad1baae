//! The output formats: what each is called, its file extension and MIME type, and the
//! encoder that writes it. Everything else (jobs, the grid, `info`, `grid --check`, the
//! gallery) asks [`Format`] rather than spelling `.gif` or `.webp` itself.

use super::{gif::DeltaEncoder, webp::WebpEncoder, AnimationEncoder, Timing};
use crate::error::{Error, Field, Result};
use crate::raster::Palette;
use std::io::Write;
use std::path::Path;

/// An animation's file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub enum Format {
    /// Animated GIF: a global palette, each frame the rectangle that changed, delays in
    /// centiseconds. Every browser and mail reader plays it. Default.
    #[default]
    Gif,
    /// Animated WebP, lossless (VP8L frames in `ANMF` chunks), the provenance in an `XMP `
    /// chunk: the same frames as the GIF in fewer bytes; every current browser plays it.
    Webp,
}

impl Format {
    /// Every format, in the order lists and docs give them.
    pub const ALL: [Format; 2] = [Format::Gif, Format::Webp];

    /// Its name in options (`--format gif,webp`), which is also its file extension.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Format::Gif => "gif",
            Format::Webp => "webp",
        }
    }

    /// Its file extension, without the dot.
    #[must_use]
    pub fn extension(self) -> &'static str {
        self.name()
    }

    /// Its MIME type, for `<source type>` and the player's `ImageDecoder`.
    #[must_use]
    pub fn mime_type(self) -> &'static str {
        match self {
            Format::Gif => "image/gif",
            Format::Webp => "image/webp",
        }
    }

    /// What it is, in a line (for help texts).
    #[must_use]
    pub fn doc(self) -> &'static str {
        match self {
            Format::Gif => "animated GIF (plays everywhere; the default)",
            Format::Webp => "animated WebP, lossless: the same frames in fewer bytes",
        }
    }

    /// The format a name's extension says (any case); `None` for another extension or none.
    #[must_use]
    pub fn of_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?;
        Format::ALL.into_iter().find(|f| ext.eq_ignore_ascii_case(f.extension()))
    }

    /// The format an output name asks for: its extension's, GIF where it has none; another
    /// extension is an invalid `field` (`-o a.png` would hold a GIF).
    pub fn for_output(field: Field, path: &Path) -> Result<Format> {
        match path.extension() {
            None => Ok(Format::Gif),
            Some(_) => Format::of_path(path).ok_or_else(|| {
                Error::invalid(field, path.display(), format!("a file name ending in {}", Format::extensions_text()))
            }),
        }
    }

    /// `.gif or .webp`.
    #[must_use]
    pub fn extensions_text() -> String {
        let names: Vec<String> = Format::ALL.iter().map(|f| format!(".{}", f.extension())).collect();
        names.join(" or ")
    }

    /// `name` with its extension replaced by this format's (`line_gd_0.1.gif` ->
    /// `line_gd_0.1.webp`); a name without one gets it added.
    #[must_use]
    pub fn file_name(self, name: &str) -> String {
        let stem = match name.rfind('.') {
            Some(dot) if Format::of_path(Path::new(name)).is_some() => &name[..dot],
            _ => name,
        };
        format!("{stem}.{}", self.extension())
    }

    /// A list such as `gif,webp` (each format once).
    pub fn parse_list(field: Field, text: &str) -> Result<Vec<Format>> {
        let mut out = vec![];
        for part in text.split(',') {
            let format = part.parse::<Format>().map_err(|allowed| Error::invalid(field, part, allowed))?;
            if out.contains(&format) {
                return Err(Error::invalid(field, part, "each format once (this one is repeated)"));
            }
            out.push(format);
        }
        Ok(out)
    }

    /// Starts this format's encoder on `out` for frames of `width` x `height` in `palette`.
    pub fn encoder<'a, W: Write + 'a>(
        self,
        out: W,
        width: u32,
        height: u32,
        palette: &Palette,
        timing: &Timing,
    ) -> Result<Box<dyn AnimationEncoder<W> + 'a>> {
        Ok(match self {
            Format::Gif => Box::new(DeltaEncoder::new(out, width, height, palette, timing)?),
            Format::Webp => Box::new(WebpEncoder::new(out, width, height, palette, timing)?),
        })
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Format {
    /// What is allowed, for [`Error::invalid`].
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Format, String> {
        Format::ALL.into_iter().find(|f| s.eq_ignore_ascii_case(f.name())).ok_or_else(|| {
            let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
            format!("one of {}", names.join(", "))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_extensions_and_lists() {
        assert_eq!(Format::of_path(Path::new("a/b.WebP")), Some(Format::Webp));
        assert_eq!(Format::of_path(Path::new("b.gif")), Some(Format::Gif));
        assert_eq!(Format::of_path(Path::new("b.png")), None);
        assert_eq!(Format::for_output(Field::Output, Path::new("x")).unwrap(), Format::Gif);
        let err = Format::for_output(Field::Output, Path::new("x.png")).unwrap_err().to_string();
        assert!(err.contains(".gif or .webp"), "{err}");
        assert_eq!(Format::Webp.file_name("line_gd_0.1.gif"), "line_gd_0.1.webp");
        assert_eq!(Format::Gif.file_name("line_sgd_1e-5_16"), "line_sgd_1e-5_16.gif");
        assert_eq!(Format::parse_list(Field::GridFormats, "gif,WEBP").unwrap(), vec![Format::Gif, Format::Webp]);
        assert!(Format::parse_list(Field::GridFormats, "gif,gif").is_err());
        assert!(Format::parse_list(Field::GridFormats, "png").unwrap_err().to_string().contains("one of gif, webp"));
    }
}
