//! Colours, sizes and the font: the look of every frame, in one place.

use crate::raster::{Ink, Rgb};
use std::sync::Once;

/// The font family name the renderer registers with plotters.
pub const FONT_FAMILY: &str = "sans-serif";

/// `DejaVu` Sans (matplotlib's default face), shipped in `assets/` with its licence.
static FONT: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");

/// Registers the bundled font with plotters, once per process. No system fonts are read.
pub fn register_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        plotters::style::register_font(FONT_FAMILY, plotters::style::FontStyle::Normal, FONT)
            .unwrap_or_else(|_| unreachable!("the bundled font is a valid TrueType file"));
    });
}

/// The look of a frame.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    /// Page colour.
    pub background: Rgb,
    /// Axes, ticks and text.
    pub foreground: Rgb,
    /// The data points (matplotlib's named colour "orange").
    pub scatter: Rgb,
    /// The fitted line (matplotlib's first cycle colour, #1f77b4).
    pub line: Rgb,
    /// The current mini-batch's points with `--show-batch` (matplotlib's red, #d62728).
    pub batch: Rgb,
    /// How strongly the earlier lines of `--trail` show, 0 to 1.
    pub trail_opacity: f64,
    /// Scatter marker radius in pixels.
    pub marker_radius: u32,
    /// Line width in pixels.
    pub line_width: u32,
    /// Tick label size in pixels.
    pub label_size: u32,
    /// Caption size in pixels.
    pub caption_size: u32,
}

impl Default for Theme {
    fn default() -> Self {
        Theme {
            background: [255, 255, 255],
            foreground: [0, 0, 0],
            scatter: [255, 165, 0],
            line: [0x1f, 0x77, 0xb4],
            batch: [0xd6, 0x27, 0x28],
            trail_opacity: 0.35,
            marker_radius: 4,
            line_width: 2,
            label_size: 13,
            caption_size: 14,
        }
    }
}

impl Theme {
    /// The colour of the recent half of a trail: the line faded into the page.
    #[must_use]
    pub fn trail(&self) -> Rgb {
        self.faded(self.trail_opacity)
    }

    /// The colour of the older half of a trail, fainter still.
    #[must_use]
    pub fn trail_old(&self) -> Rgb {
        self.faded(self.trail_opacity * 0.45)
    }

    fn faded(&self, opacity: f64) -> Rgb {
        let a = opacity.clamp(0.0, 1.0);
        std::array::from_fn(|k| (f64::from(self.line[k]) * a + f64::from(self.background[k]) * (1.0 - a)).round() as u8)
    }

    /// The inks drawing uses and how finely each keeps its anti-aliasing.
    #[must_use]
    pub fn inks(&self) -> Vec<Ink> {
        vec![
            Ink { rgb: self.foreground, levels: 4 },
            Ink { rgb: self.scatter, levels: 4 },
            Ink { rgb: self.line, levels: 4 },
            Ink { rgb: self.batch, levels: 3 },
            Ink { rgb: self.trail(), levels: 3 },
            Ink { rgb: self.trail_old(), levels: 3 },
        ]
    }
}
