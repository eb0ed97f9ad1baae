//! A curves panel's legend, as matplotlib's `legend(loc="best")` draws it: inside the plot,
//! in a frame (white, a light grey edge), at the one of matplotlib's nine spots that covers
//! the fewest of the curves' points and segments (ties to the earlier spot in matplotlib's
//! order: upper right, upper left, lower left, lower right, right, centre left, lower centre,
//! upper centre, centre). Its sizes are matplotlib's, in ems of the panel's font: 0.4 inside
//! the frame, 0.5 between rows, a handle 2 long and 0.8 from its name, 0.5 from the axes.

use crate::raster::{Rect, Rgb};
use crate::render::backend::CanvasBackend;
use crate::render::geometry::clip_segment;
use crate::render::stroke;
use crate::render::text::{layout as text_layout, place, Align, PlacedText, Valign};
use crate::render::theme::{Metrics, Theme};

/// The frame's edge: matplotlib's `legend.edgecolor` (0.8 grey).
pub(crate) const EDGE: Rgb = [0xcc, 0xcc, 0xcc];

/// A piece of a curve in canvas pixels: its two ends.
pub(crate) type Segment = ((f64, f64), (f64, f64));

/// One row of a legend: a handle in the series' ink (dashed or not) and its name.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub name: String,
    pub ink: Rgb,
    pub dashed: bool,
}

/// A legend laid out: where its frame is and its rows.
#[derive(Debug, Clone)]
pub(crate) struct Legend {
    /// The frame, in whole canvas pixels.
    pub frame: Rect,
    entries: Vec<Entry>,
    row: f64,
    spacing: f64,
}

/// `name` cut (with an ellipsis) to at most `room` pixels at `px` per em.
pub(crate) fn fitted(name: &str, px: f64, room: f64) -> String {
    if text_layout(name, px).width <= room {
        return name.to_string();
    }
    let mut chars: Vec<char> = name.chars().collect();
    while !chars.is_empty() {
        chars.pop();
        let cut: String = chars.iter().chain(std::iter::once(&'\u{2026}')).collect();
        if text_layout(&cut, px).width <= room {
            return cut;
        }
    }
    String::new()
}

/// How many of `points` lie inside `r` and how many of `segments` cross it: matplotlib's
/// badness of a legend spot.
fn badness(r: (f64, f64, f64, f64), points: &[(f64, f64)], segments: &[Segment]) -> usize {
    let inside = points.iter().filter(|p| p.0 >= r.0 && p.0 <= r.2 && p.1 >= r.1 && p.1 <= r.3).count();
    let crossing = segments.iter().filter(|(a, b)| clip_segment(*a, *b, (r.0, r.2), (r.1, r.3)).is_some()).count();
    inside + crossing
}

impl Legend {
    /// The legend of `entries` inside `inner` at its best spot against the curves (their
    /// points and segments in canvas pixels); `None` when it has fewer than two rows or no
    /// room. Names too long are cut; rows that do not fit are left out.
    pub(crate) fn place(
        entries: &[Entry],
        m: &Metrics,
        inner: Rect,
        points: &[(f64, f64)],
        segments: &[Segment],
    ) -> Option<Legend> {
        if entries.len() < 2 {
            return None;
        }
        let em = m.font;
        let (pad, spacing, handle, gap, margin) = (0.4 * em, 0.5 * em, 2.0 * em, 0.8 * em, 0.5 * em);
        let (x0, y0, x1, y1) = (f64::from(inner.x0), f64::from(inner.y0), f64::from(inner.x1), f64::from(inner.y1));
        let row = {
            let l = text_layout("lp", em);
            l.ascent + l.descent
        };
        let room = (x1 - x0) - 2.0 * margin - 2.0 * pad - handle - gap;
        let rows = (((y1 - y0) - 2.0 * margin - 2.0 * pad + spacing) / (row + spacing)).floor().max(0.0) as usize;
        let entries: Vec<Entry> = entries
            .iter()
            .take(rows)
            .map(|e| Entry { name: fitted(&e.name, em, room), ..e.clone() })
            .filter(|e| !e.name.is_empty())
            .collect();
        if entries.len() < 2 {
            return None;
        }
        let widest = entries.iter().map(|e| text_layout(&e.name, em).width).fold(0.0, f64::max);
        let (w, h) = (
            2.0 * pad + handle + gap + widest,
            2.0 * pad + entries.len() as f64 * row + (entries.len() - 1) as f64 * spacing,
        );
        let (left, right, top, bottom) = (x0 + margin, x1 - margin - w, y0 + margin, y1 - margin - h);
        let (center_x, center_y) = ((x0 + x1 - w) / 2.0, (y0 + y1 - h) / 2.0);
        let spots = [
            (right, top),
            (left, top),
            (left, bottom),
            (right, bottom),
            (right, center_y),
            (left, center_y),
            (center_x, bottom),
            (center_x, top),
            (center_x, center_y),
        ];
        let (x, y) = spots
            .iter()
            .copied()
            .min_by_key(|&(x, y)| badness((x, y, x + w, y + h), points, segments))
            .unwrap_or((right, top));
        let frame = Rect {
            x0: x.floor().max(0.0) as u32,
            y0: y.floor().max(0.0) as u32,
            x1: (x + w).ceil() as u32,
            y1: (y + h).ceil() as u32,
        };
        Some(Legend { frame, entries, row, spacing })
    }

    /// Draws the frame and its rows; returns the names placed.
    pub(crate) fn draw(&self, backend: &mut CanvasBackend<'_>, m: &Metrics, theme: &Theme) -> Vec<PlacedText> {
        let em = m.font;
        let f = self.frame;
        let (x0, y0, x1, y1) = (i64::from(f.x0), i64::from(f.y0), i64::from(f.x1), i64::from(f.y1));
        let page = backend.pen(theme.background);
        backend.fill(x0, y0, x1, y1, page);
        let edge = (m.scale * 0.8).round().max(1.0) as i64;
        for (a, b, c, d) in
            [(x0, y0, x1, y0 + edge), (x0, y1 - edge, x1, y1), (x0, y0, x0 + edge, y1), (x1 - edge, y0, x1, y1)]
        {
            stroke::bar(backend, a, b, c, d, EDGE);
        }
        let (pad, handle, gap) = (0.4 * em, 2.0 * em, 0.8 * em);
        let mut texts = vec![];
        for (j, entry) in self.entries.iter().enumerate() {
            let y = f64::from(f.y0) + pad + j as f64 * (self.row + self.spacing) + self.row / 2.0;
            let x = f64::from(f.x0) + pad;
            if entry.dashed {
                dashed(backend, (x, y), (x + handle, y), m.curve_width, entry.ink, 0.0);
            } else {
                stroke::segment(backend, (x, y), (x + handle, y), m.curve_width, entry.ink, 1.0);
            }
            let text = place(&entry.name, em, (x + handle + gap, y), Align::Left, Valign::Center, true);
            stroke::mask(backend, &text.mask, theme.foreground);
            texts.push(text);
        }
        texts
    }
}

/// The segment `a`-`b` dashed as matplotlib's `--` (3.7 line widths on, 1.6 off), `phase`
/// pixels into the pattern at `a` (the length of the curve before it, so dashes run on across
/// segments).
pub(crate) fn dashed(backend: &mut CanvasBackend<'_>, a: (f64, f64), b: (f64, f64), width: f64, ink: Rgb, phase: f64) {
    let (on, off) = (3.7 * width, 1.6 * width);
    let period = on + off;
    let len = (b.0 - a.0).hypot(b.1 - a.1);
    if !(len.is_finite() && len > 0.0 && len < 1e7) {
        return;
    }
    let at = |t: f64| (a.0 + (b.0 - a.0) * t / len, a.1 + (b.1 - a.1) * t / len);
    // Round caps reach half a width past each piece: pieces are shortened by it.
    let cap = width / 2.0;
    let mut start = -(phase.rem_euclid(period));
    while start < len {
        let (s, e) = ((start + cap).max(0.0), (start + on - cap).min(len));
        if e > s {
            stroke::segment(backend, at(s), at(e), width, ink, 1.0);
        }
        start += period;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::theme::Theme;

    #[test]
    fn names_are_cut_to_their_room() {
        let px = 14.0;
        assert_eq!(fitted("loss", px, 1000.0), "loss");
        let cut = fitted("a_very_long_metric_name", px, 60.0);
        assert!(cut.ends_with('\u{2026}') && text_layout(&cut, px).width <= 60.0, "{cut}");
        assert_eq!(fitted("loss", px, 1.0), "");
    }

    #[test]
    fn the_legend_takes_the_spot_the_curves_leave_free() {
        let theme = Theme::default();
        let m = Metrics::for_panel(&theme, 640, 480);
        let inner = Rect { x0: 80, y0: 60, x1: 580, y1: 420 };
        let entries: Vec<Entry> =
            ["loss", "val_loss"].iter().map(|n| Entry { name: (*n).into(), ink: theme.line, dashed: false }).collect();
        // A falling curve along the top-left to bottom-right diagonal: upper right is free.
        let falling = [((80.0, 60.0), (580.0, 420.0))];
        let legend = Legend::place(&entries, &m, inner, &[], &falling).unwrap();
        assert!(legend.frame.x1 > 500 && legend.frame.y0 < 100, "upper right: {:?}", legend.frame);
        // A rising one leaves the upper left free (upper right is crossed).
        let rising = [((80.0, 420.0), (580.0, 60.0))];
        let legend = Legend::place(&entries, &m, inner, &[], &rising).unwrap();
        assert!(legend.frame.x0 < 150 && legend.frame.y0 < 100, "upper left: {:?}", legend.frame);
        assert!(Legend::place(&entries[..1], &m, inner, &[], &rising).is_none(), "one series: no legend");
    }
}
