//! Colours, sizes and the font: the look of every frame, in one place. Sizes are matplotlib's
//! defaults in points; [`Metrics`] turns them into pixels for a panel of a given size.

use super::text::PX_PER_PT;
use crate::raster::{Ink, Rgb};

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
    /// How strongly the earlier lines of `--trail` show, 0 to 1 (the older half at 45 % of it).
    pub trail_opacity: f64,
    /// Tick labels, axis labels and annotations, in points (matplotlib's `font.size`, 10).
    pub font_pt: f64,
    /// The title, in points (matplotlib's `axes.titlesize` "large": 12).
    pub title_pt: f64,
    /// Line width in points (matplotlib's `lines.linewidth`, 1.5).
    pub line_width_pt: f64,
    /// Scatter marker radius in points, as matplotlib's `scatter` draws its default marker: a
    /// 6 pt disc (`s=36`) with a 1 pt edge in the face colour, 7 pt across in all (9.7 px at
    /// 100 dpi).
    pub marker_pt: f64,
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
            font_pt: 10.0,
            title_pt: 12.0,
            line_width_pt: 1.5,
            marker_pt: 3.5,
        }
    }
}

impl Theme {
    /// The inks drawing uses and how finely each keeps its anti-aliasing. The page colour is
    /// an ink too: halos behind text are drawn with it. Text keeps 16 coverage levels (the axes'
    /// text is drawn once, into the first frame; what is drawn every frame keeps
    /// `CAPTION_SHADES` of them). The line keeps 3 coverage levels (its
    /// edges change every frame, and each level costs bytes: 4 made the post's set 142 KB
    /// larger, and quantised across the line, see `stroke::segment`, 3 show no bands), 8 when
    /// faded earlier lines (`trail`) are drawn with it at two strengths.
    #[must_use]
    pub fn inks(&self, trail: bool) -> Vec<Ink> {
        vec![
            Ink { rgb: self.foreground, levels: 16 },
            Ink { rgb: self.scatter, levels: 4 },
            Ink { rgb: self.line, levels: if trail { 8 } else { 3 } },
            Ink { rgb: self.batch, levels: 3 },
            Ink { rgb: self.background, levels: 1 },
        ]
    }
}

/// The shades the caption's glyphs (and other text drawn frame by frame, like the line
/// panel's "line above") keep besides none: their digits change every frame, and a GIF pays
/// for every shade in them (3 shades made the post's set 53 KB larger than these 2, which
/// still read cleanly at 10 pt; the axes' text, drawn once, keeps all of its shades).
pub const CAPTION_SHADES: u8 = 2;

/// The frame size matplotlib's defaults are for: 6.4 x 4.8 inches at 100 dpi.
pub const REFERENCE: (f64, f64) = (640.0, 480.0);

/// Text never shrinks below this share of its size at 640x480, so a 200x200 panel stays
/// readable (9 px tick labels); shapes and margins follow the panel size itself.
pub const MIN_TEXT_SCALE: f64 = 0.65;

/// A theme's sizes in pixels for one panel: matplotlib's point sizes at 100 dpi, times
/// `min(width / 640, height / 480)` of the panel.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Metrics {
    /// The panel's size against 640x480.
    pub scale: f64,
    /// Text's scale: `scale`, but at least `MIN_TEXT_SCALE`.
    pub text_scale: f64,
    /// Tick labels, axis labels and annotations, pixels per em.
    pub font: f64,
    /// Title and caption, pixels per em.
    pub title: f64,
    /// The fitted line's width.
    pub line_width: f64,
    /// Curves' width (loss, path): the line's.
    pub curve_width: f64,
    /// Scatter marker radius (with its edge), at `text_scale`.
    pub marker: f64,
    /// Spines and ticks, whole pixels (matplotlib snaps them).
    pub spine: i64,
    /// Major tick length (3.5 pt).
    pub tick: f64,
    /// Minor tick length (2 pt).
    pub minor_tick: f64,
    /// Between a tick and its label (3.5 pt).
    pub pad: f64,
    /// Between tick labels and the axis label (4 pt).
    pub label_pad: f64,
    /// Between the axes and the title (6 pt).
    pub title_pad: f64,
    /// White around annotations drawn over data.
    pub halo: u32,
    /// Kept free at the frame's edges.
    pub edge: f64,
}

impl Metrics {
    /// The sizes for a panel of `width` x `height` pixels.
    #[must_use]
    pub fn for_panel(theme: &Theme, width: u32, height: u32) -> Metrics {
        let scale = (f64::from(width) / REFERENCE.0).min(f64::from(height) / REFERENCE.1);
        let text_scale = scale.max(MIN_TEXT_SCALE);
        let pt = |v: f64| v * PX_PER_PT * scale;
        let text_pt = |v: f64| v * PX_PER_PT * text_scale;
        Metrics {
            scale,
            text_scale,
            font: text_pt(theme.font_pt),
            title: text_pt(theme.title_pt),
            line_width: pt(theme.line_width_pt).max(1.2),
            curve_width: pt(theme.line_width_pt).max(1.2),
            // Sized in points like text (matplotlib's markers do not shrink with the figure),
            // so small panels keep visible markers.
            marker: text_pt(theme.marker_pt),
            spine: pt(0.8).round().max(1.0) as i64,
            tick: pt(3.5).max(2.0),
            minor_tick: pt(2.0).max(1.0),
            pad: text_pt(3.5).max(2.0),
            label_pad: text_pt(4.0).max(2.0),
            title_pad: text_pt(6.0).max(3.0),
            halo: text_pt(1.5).round().max(1.0) as u32,
            edge: text_pt(3.0).max(2.0),
        }
    }
}
