//! A panel's axes as matplotlib draws them: the box at matplotlib's subplot margins (left
//! 12.5 %, right 10 %, bottom 11 %, top 12 % of the panel), widened where the labels need
//! more room; spines and outward ticks snapped to whole pixels; tick labels from `ticks/`
//! centred on their ticks, thinned until no two touch; axis labels, the y one turned to read
//! upwards; and the note ("1e8", "+1e6") where matplotlib writes it.
//!
//! Every string drawn is returned as a [`PlacedText`], so callers (and tests) know where text
//! is and can keep everything else off it.

use super::backend::CanvasBackend;
use super::geometry::Chart;
use super::stroke;
use super::text::{layout, overlaps, place, Align, PlacedText, Valign};
use super::theme::{Metrics, Theme};
use super::ticks::{axis_ticks, AxisSpace, Direction, Scale, Tick};
use crate::raster::Rect;

/// What a panel's axes show.
#[derive(Debug, Clone, PartialEq)]
pub struct Axes<'a> {
    /// Data range along x (log10 of the values on a log axis).
    pub x_range: (f64, f64),
    /// Data range along y (log10 of the values on a log axis).
    pub y_range: (f64, f64),
    /// Axis label under the x axis, if any.
    pub x_desc: Option<&'a str>,
    /// Axis label left of the y axis, if any.
    pub y_desc: Option<&'a str>,
    /// How x is ticked.
    pub x_scale: Scale,
    /// How y is ticked.
    pub y_scale: Scale,
    /// Whether to keep room above the box for a title (drawn later, per animation).
    pub title: bool,
}

/// matplotlib's `figure.subplot` margins, as shares of the panel: left, right, bottom, top.
const MARGINS: (f64, f64, f64, f64) = (0.125, 0.1, 0.11, 0.12);

/// One axis's ticks: positions in the axis's coordinate, labels, minor positions, the note.
#[derive(Debug, Clone, Default)]
struct AxisLabels {
    major: Vec<(f64, String)>,
    minor: Vec<f64>,
    note: Option<String>,
}

/// The ticks matplotlib chooses for `len` pixels of axis with labels of `metrics`' size.
fn ticks_for(
    scale: Scale,
    (lo, hi): (f64, f64),
    len: f64,
    direction: Direction,
    m: &Metrics,
    theme: &Theme,
) -> AxisLabels {
    let space = AxisSpace { length_px: len.max(1.0), dpi: 100.0 * m.text_scale, font_pt: theme.font_pt, direction };
    let log = scale == Scale::Log;
    let (min, max) = if log { (10f64.powf(lo), 10f64.powf(hi)) } else { (lo, hi) };
    let t = axis_ticks(scale, min, max, &space);
    let position = |t: &Tick| if log { t.value.log10() } else { t.value };
    AxisLabels {
        major: t.major.iter().map(|t| (position(t), t.label.clone())).filter(|(p, _)| p.is_finite()).collect(),
        minor: t.minor.iter().map(position).filter(|p| p.is_finite()).collect(),
        note: t.note.map(|n| n.text()).filter(|t| !t.is_empty()),
    }
}

/// The ticks for an axis `len` pixels long whose labels, laid side by side (x) or stacked (y),
/// do not touch: matplotlib's choice, or fewer where its estimate of the room was too kind.
fn fitting_ticks(
    scale: Scale,
    range: (f64, f64),
    len: f64,
    direction: Direction,
    m: &Metrics,
    theme: &Theme,
) -> AxisLabels {
    let mut room = len;
    loop {
        let t = ticks_for(scale, range, room, direction, m, theme);
        let at = |v: f64| (v - range.0) / (range.1 - range.0) * len;
        let extent = |label: &str| match direction {
            Direction::Horizontal => layout(label, m.font).width,
            Direction::Vertical => {
                let l = layout(label, m.font);
                l.ascent + l.descent
            }
        };
        let gap = m.font * 0.4;
        let fits = t.major.windows(2).all(|w| {
            let (a, b) = (&w[0], &w[1]);
            (at(b.0) - at(a.0)).abs() >= (extent(&a.1) + extent(&b.1)) / 2.0 + gap
        });
        if fits || t.major.len() <= 2 || room < 1.0 {
            return t;
        }
        room *= 0.8;
    }
}

/// `(lo, hi)` if it can be drawn (finite, not empty), else (0, 1).
fn sane((lo, hi): (f64, f64)) -> (f64, f64) {
    if lo.is_finite() && hi.is_finite() && (hi - lo).is_finite() && hi > lo {
        (lo, hi)
    } else {
        (0.0, 1.0)
    }
}

/// The pixel of value `v` along `[lo, hi]` mapped onto `[a, b]`.
fn along(v: f64, (lo, hi): (f64, f64), a: f64, b: f64) -> f64 {
    a + (v - lo) / (hi - lo) * (b - a)
}

/// Draws `axes` in `panel` (a share of the frame) and returns the chart and every string drawn.
/// Ranges that cannot be drawn (empty, not finite) fall back to (0, 1).
pub fn draw_axes(
    backend: &mut CanvasBackend<'_>,
    panel: Rect,
    axes: &Axes,
    theme: &Theme,
    m: &Metrics,
) -> (Chart, Vec<PlacedText>) {
    let frame = AxesFrame::fit(panel, axes, theme, m);
    let chart = Chart::new(frame.x_range, frame.y_range, frame.inner);
    let ink = theme.foreground;
    spines_and_ticks(backend, &chart, &frame.x_ticks, &frame.y_ticks, m, ink);
    // An axis label longer than its axis would run into its neighbours: drop the notes and
    // labels that overlap what came before (tick labels come first and always stay).
    let mut kept: Vec<PlacedText> = vec![];
    for t in frame.texts(axes, m) {
        let clash = kept.iter().any(|k| overlaps(k.bounds, t.bounds, 0.0));
        let outside = t.bounds.0 < f64::from(panel.x0) || t.bounds.2 > f64::from(panel.x1);
        if !(clash || outside) {
            stroke::mask(backend, &t.mask, ink);
            kept.push(t);
        }
    }
    (chart, kept)
}

/// Where a panel's plot box goes and the ticks that fit it: the margins grow until the tick
/// labels, the axis labels and the notes fit, as matplotlib's tight layout would.
struct AxesFrame {
    x_range: (f64, f64),
    y_range: (f64, f64),
    /// The plot box, in canvas pixels.
    inner: Rect,
    x_ticks: AxisLabels,
    y_ticks: AxisLabels,
    /// The widest y tick label, in pixels.
    widest: f64,
    /// A text line's height at the tick labels' size.
    line: f64,
}

impl AxesFrame {
    /// Lays out `axes` in `panel`.
    fn fit(panel: Rect, axes: &Axes, theme: &Theme, m: &Metrics) -> AxesFrame {
        let (xr, yr) = (sane(axes.x_range), sane(axes.y_range));
        let (pw, ph) = (f64::from(panel.width()), f64::from(panel.height()));
        let line = {
            let l = layout("lp", m.font);
            l.ascent + l.descent
        };
        let title_line = {
            let l = layout("lp", m.title);
            l.ascent + l.descent
        };
        let reach = m.tick + m.pad;
        // Rows: the bottom holds tick labels, then the x label or the x note.
        let x_extra = |note: bool| if axes.x_desc.is_some() || note { m.label_pad + line } else { 0.0 };
        let top_need = |note: bool| {
            m.edge + if axes.title { title_line + m.title_pad } else { 0.0 } + if note { line + m.pad } else { 0.0 }
        };
        let mut y_note = false;
        let (mut top, mut bottom, mut y_ticks);
        loop {
            top = (MARGINS.3 * ph).max(top_need(y_note));
            bottom = (MARGINS.2 * ph).max(m.edge + reach + line + x_extra(false));
            y_ticks = fitting_ticks(axes.y_scale, yr, ph - top - bottom, Direction::Vertical, m, theme);
            if y_ticks.note.is_some() && !y_note {
                y_note = true;
                continue;
            }
            break;
        }
        let widest = y_ticks.major.iter().map(|(_, l)| layout(l, m.font).width).fold(0.0, f64::max);
        let y_desc_room = if axes.y_desc.is_some() { line + m.label_pad } else { 0.0 };
        let left = (MARGINS.0 * pw).max(m.edge + y_desc_room + widest + reach);
        let mut right = MARGINS.1 * pw;
        let mut x_ticks;
        loop {
            x_ticks = fitting_ticks(axes.x_scale, xr, pw - left - right, Direction::Horizontal, m, theme);
            // The last label is centred on its tick: it may reach past the box.
            let overhang = x_ticks
                .major
                .iter()
                .map(|(v, l)| along(*v, xr, left, pw - right) + layout(l, m.font).width / 2.0 - (pw - m.edge))
                .fold(0.0, f64::max);
            if overhang <= 0.5 || right > pw / 3.0 {
                break;
            }
            right += overhang;
        }
        if x_ticks.note.is_some() {
            bottom = bottom.max(m.edge + reach + line + x_extra(true));
        }
        let (ox, oy) = (f64::from(panel.x0), f64::from(panel.y0));
        let inner = Rect {
            x0: (ox + left).round() as u32,
            y0: (oy + top).round() as u32,
            x1: (ox + pw - right).round() as u32,
            y1: (oy + ph - bottom).round() as u32,
        };
        AxesFrame { x_range: xr, y_range: yr, inner, x_ticks, y_ticks, widest, line }
    }

    /// The tick labels, then the axis labels and the notes, placed around the box: tick
    /// labels first, so they win when something overlaps.
    fn texts(&self, axes: &Axes, m: &Metrics) -> Vec<PlacedText> {
        let (xr, yr, inner, line) = (self.x_range, self.y_range, self.inner, self.line);
        let (bx0, by0, bx1, by1) = (f64::from(inner.x0), f64::from(inner.y0), f64::from(inner.x1), f64::from(inner.y1));
        let mut texts = vec![];
        let x_pixel = |v: f64| along(v, xr, bx0, bx1);
        let y_pixel = |v: f64| along(v, yr, by1, by0);
        // matplotlib measures a tick label's pad from the tick's end, the tick from the box's edge.
        let label_top = by1 + m.tick + m.pad;
        for (v, label) in &self.x_ticks.major {
            texts.push(place(label, m.font, (x_pixel(*v), label_top), Align::Center, Valign::Top, true));
        }
        let label_right = bx0 - m.tick - m.pad;
        for (v, label) in &self.y_ticks.major {
            texts.push(place(label, m.font, (label_right, y_pixel(*v)), Align::Right, Valign::Center, true));
        }
        let second_row = label_top + line + m.label_pad;
        if let Some(d) = axes.x_desc {
            texts.push(place(d, m.font, ((bx0 + bx1) / 2.0, second_row), Align::Center, Valign::Top, true));
        }
        if let Some(note) = &self.x_ticks.note {
            texts.push(place(note, m.font, (bx1, second_row), Align::Right, Valign::Top, true));
        }
        if let Some(d) = axes.y_desc {
            let x = label_right - self.widest - m.label_pad;
            texts.push(place(d, m.font, (x, (by0 + by1) / 2.0), Align::Right, Valign::Center, false));
        }
        if let Some(note) = &self.y_ticks.note {
            texts.push(place(note, m.font, (bx0, by0 - m.pad), Align::Left, Valign::Bottom, true));
        }
        texts
    }
}

/// The box of spines just outside the plot's pixels and the ticks pointing out of it, all
/// snapped to whole pixels as matplotlib snaps them.
fn spines_and_ticks(
    backend: &mut CanvasBackend<'_>,
    chart: &Chart,
    x_ticks: &AxisLabels,
    y_ticks: &AxisLabels,
    m: &Metrics,
    ink: crate::raster::Rgb,
) {
    let s = m.spine;
    let inner = chart.inner;
    let (ix0, iy0, ix1, iy1) = (i64::from(inner.x0), i64::from(inner.y0), i64::from(inner.x1), i64::from(inner.y1));
    stroke::bar(backend, ix0 - s, iy0 - s, ix1 + s, iy0, ink);
    stroke::bar(backend, ix0 - s, iy1, ix1 + s, iy1 + s, ink);
    stroke::bar(backend, ix0 - s, iy0, ix0, iy1, ink);
    stroke::bar(backend, ix1, iy0, ix1 + s, iy1, ink);
    let tick_len = |minor: bool| if minor { m.minor_tick } else { m.tick }.round() as i64;
    let half = s as f64 / 2.0;
    let majors_then_minors = |t: &AxisLabels| {
        t.major.iter().map(|(v, _)| (*v, false)).chain(t.minor.iter().map(|v| (*v, true))).collect::<Vec<_>>()
    };
    for (v, minor) in majors_then_minors(x_ticks) {
        let x = (chart.to_point(v, chart.y_range.0).0 - half).round() as i64;
        stroke::bar(backend, x, iy1 + s, x + s, iy1 + s + tick_len(minor), ink);
    }
    for (v, minor) in majors_then_minors(y_ticks) {
        let y = (chart.to_point(chart.x_range.0, v).1 - half).round() as i64;
        stroke::bar(backend, ix0 - s - tick_len(minor), y, ix0 - s, y + s, ink);
    }
}

/// Where a panel's title's baseline goes: centred above its box, `title_pad` above the box's
/// top edge (matplotlib's `axes.titlepad`, measured to the baseline).
#[must_use]
pub fn title_anchor(chart: &Chart, m: &Metrics) -> (f64, f64) {
    let inner = chart.inner;
    (f64::from(inner.x0 + inner.x1) / 2.0, f64::from(inner.y0) - m.title_pad)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::raster::{Canvas, Palette};
    use crate::render::backend::Blender;
    use crate::render::ticks::MINUS;

    fn draw(w: u32, h: u32, axes: &Axes) -> (Chart, Vec<PlacedText>) {
        let theme = Theme::default();
        let mut palette = Palette::new(theme.background, &theme.inks(false));
        let mut canvas = Canvas::filled(w, h, 0);
        let bounds = canvas.bounds();
        let mut backend = CanvasBackend::new(&mut canvas, Blender::Growing(&mut palette), bounds);
        draw_axes(&mut backend, bounds, axes, &theme, &Metrics::for_panel(&theme, w, h))
    }

    fn post_axes() -> Axes<'static> {
        Axes {
            x_range: (-1.1, 1.1),
            y_range: (-0.6, 13.5),
            x_desc: None,
            y_desc: None,
            x_scale: Scale::Linear,
            y_scale: Scale::Linear,
            title: true,
        }
    }

    #[test]
    fn the_post_figure_has_matplotlibs_box_and_labels() {
        let (chart, texts) = draw(640, 480, &post_axes());
        // matplotlib's axes at 640x480: x from 80 to 576, y from 57.6 to 427.2.
        assert_eq!(chart.inner, Rect { x0: 80, y0: 58, x1: 576, y1: 427 });
        let labels: Vec<&str> = texts.iter().map(|t| t.text.as_str()).collect();
        let minus = |s: &str| s.replace('-', &MINUS.to_string());
        assert_eq!(
            labels[..9],
            [
                minus("-1.00"),
                minus("-0.75"),
                minus("-0.50"),
                minus("-0.25"),
                "0.00".into(),
                "0.25".into(),
                "0.50".into(),
                "0.75".into(),
                "1.00".into()
            ]
        );
        assert_eq!(labels[9..], ["0", "2", "4", "6", "8", "10", "12"]);
        // Where matplotlib 3.11.2 puts them (`get_window_extent()`, y from the top): the x tick
        // labels' tops at 436.92, "0.00" from 305.5 to 342.5; the y tick labels' right edges at
        // 70.28, "0" centred on 413.5 (the layout's ranges differ a little from this test's, so
        // only the offsets from the box are compared). Within a pixel.
        let x_label = texts.iter().find(|t| t.text == "0.00").unwrap();
        assert!((x_label.bounds.1 - (436.92 - 427.2 + f64::from(chart.inner.y1))).abs() <= 1.0, "{:?}", x_label.bounds);
        let y_label = texts.iter().find(|t| t.text == "0").unwrap();
        assert!((y_label.bounds.2 - 70.28).abs() <= 1.0, "{:?}", y_label.bounds);
    }

    #[test]
    fn labels_never_touch_at_any_size() {
        for (w, h) in [(200, 200), (320, 240), (640, 480), (1920, 1080), (4096, 200), (200, 4096)] {
            for axes in [
                post_axes(),
                Axes {
                    x_range: (0.0, 100.0),
                    y_range: (-1.3, 2.4),
                    x_desc: Some("step"),
                    y_desc: Some("loss (MSE, log scale)"),
                    x_scale: Scale::Integer,
                    y_scale: Scale::Log,
                    title: false,
                },
                Axes {
                    x_range: (-123_456.7, 98_765.4),
                    y_range: (1e-9, 3e-9),
                    x_desc: Some("slope"),
                    y_desc: Some("intercept"),
                    x_scale: Scale::Linear,
                    y_scale: Scale::Linear,
                    title: false,
                },
            ] {
                let (chart, texts) = draw(w, h, &axes);
                assert!(chart.inner.width() > 20 && chart.inner.height() > 20, "{w}x{h}: {:?}", chart.inner);
                for (i, a) in texts.iter().enumerate() {
                    let (l, t, r, b) = a.bounds;
                    assert!(
                        l >= 0.0 && t >= 0.0 && r <= f64::from(w) && b <= f64::from(h),
                        "{w}x{h}: {:?} leaves the frame",
                        a.text
                    );
                    for b in &texts[i + 1..] {
                        assert!(!overlaps(a.bounds, b.bounds, 0.0), "{w}x{h}: {:?} touches {:?}", a.text, b.text);
                    }
                }
            }
        }
    }
}
