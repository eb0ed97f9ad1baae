//! An indexed-colour canvas: one palette index per pixel, written by the renderer and read by
//! the encoder (neither owns the other).

use super::palette::Palette;

/// A pixel rectangle `[x0, x1) x [y0, y1)`; empty when `x0 >= x1` or `y0 >= y1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rect {
    /// Left, inclusive.
    pub x0: u32,
    /// Top, inclusive.
    pub y0: u32,
    /// Right, exclusive.
    pub x1: u32,
    /// Bottom, exclusive.
    pub y1: u32,
}

impl Rect {
    /// The empty rectangle.
    pub const EMPTY: Rect = Rect { x0: u32::MAX, y0: u32::MAX, x1: 0, y1: 0 };

    /// Whether it holds no pixel.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.x0 >= self.x1 || self.y0 >= self.y1
    }

    /// The smallest rectangle holding both.
    #[must_use]
    pub fn union(self, o: Rect) -> Rect {
        if self.is_empty() {
            return o;
        }
        if o.is_empty() {
            return self;
        }
        Rect { x0: self.x0.min(o.x0), y0: self.y0.min(o.y0), x1: self.x1.max(o.x1), y1: self.y1.max(o.y1) }
    }

    /// Grows to hold one pixel.
    pub fn include(&mut self, x: u32, y: u32) {
        *self = self.union(Rect { x0: x, y0: y, x1: x + 1, y1: y + 1 });
    }

    /// Width in pixels (0 when empty).
    #[must_use]
    pub fn width(&self) -> u32 {
        self.x1.saturating_sub(self.x0)
    }

    /// Height in pixels (0 when empty).
    #[must_use]
    pub fn height(&self) -> u32 {
        self.y1.saturating_sub(self.y0)
    }

    /// Whether the pixel at (x, y) lies inside.
    #[must_use]
    pub fn contains(&self, x: i32, y: i32) -> bool {
        let (x, y) = (i64::from(x), i64::from(y));
        x >= i64::from(self.x0) && y >= i64::from(self.y0) && x < i64::from(self.x1) && y < i64::from(self.y1)
    }
}

/// One byte per pixel, each an index into the scene's [`Palette`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Canvas {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Row-major palette indices.
    pub pixels: Vec<u8>,
}

impl Canvas {
    /// A canvas filled with one index.
    #[must_use]
    pub fn filled(width: u32, height: u32, index: u8) -> Canvas {
        Canvas { width, height, pixels: vec![index; width as usize * height as usize] }
    }

    /// The whole canvas as a rectangle.
    #[must_use]
    pub fn bounds(&self) -> Rect {
        Rect { x0: 0, y0: 0, x1: self.width, y1: self.height }
    }

    /// Copies `rect` from `source` (same size) into this canvas.
    pub fn restore(&mut self, source: &Canvas, rect: Rect) {
        if rect.is_empty() {
            return;
        }
        let w = self.width as usize;
        for y in rect.y0..rect.y1 {
            let row = y as usize * w;
            let span = row + rect.x0 as usize..row + rect.x1 as usize;
            self.pixels[span.clone()].copy_from_slice(&source.pixels[span]);
        }
    }

    /// Copies `rect` of `source` (any size) to this canvas with its top-left at `at`; what
    /// falls outside this canvas is left out.
    pub fn paste(&mut self, source: &Canvas, rect: Rect, at: (u32, u32)) {
        let rect = Rect { x1: rect.x1.min(source.width), y1: rect.y1.min(source.height), ..rect };
        if rect.is_empty() {
            return;
        }
        let x = at.0 + rect.x0;
        if x >= self.width {
            return;
        }
        let w = rect.width().min(self.width - x) as usize;
        for y in rect.y0..rect.y1 {
            if at.1 + y >= self.height {
                break;
            }
            let from = y as usize * source.width as usize + rect.x0 as usize;
            let to = (at.1 + y) as usize * self.width as usize + x as usize;
            self.pixels[to..to + w].copy_from_slice(&source.pixels[from..from + w]);
        }
    }

    /// Sets every pixel of `rect` (cut to the canvas) to `index`.
    pub fn fill(&mut self, rect: Rect, index: u8) {
        let (x1, y1) = (rect.x1.min(self.width), rect.y1.min(self.height));
        for y in rect.y0..y1 {
            let row = y as usize * self.width as usize;
            self.pixels[row + rect.x0 as usize..row + x1 as usize].fill(index);
        }
    }

    /// Expands the indices to RGB through the palette.
    #[must_use]
    pub fn to_rgb(&self, palette: &Palette) -> Vec<u8> {
        let colors = palette.colors();
        self.pixels.iter().flat_map(|&i| colors[i as usize]).collect()
    }
}
