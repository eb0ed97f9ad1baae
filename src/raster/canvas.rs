//! An indexed-colour canvas and the plotters backend that draws on it through the palette.

use super::palette::Palette;
use plotters_backend::{BackendColor, BackendCoord, DrawingBackend, DrawingErrorKind};

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
    pub fn is_empty(&self) -> bool {
        self.x0 >= self.x1 || self.y0 >= self.y1
    }

    /// The smallest rectangle holding both.
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
    pub fn width(&self) -> u32 {
        self.x1.saturating_sub(self.x0)
    }

    /// Height in pixels (0 when empty).
    pub fn height(&self) -> u32 {
        self.y1.saturating_sub(self.y0)
    }

    fn contains(&self, x: i32, y: i32) -> bool {
        x >= self.x0 as i32 && y >= self.y0 as i32 && x < self.x1 as i32 && y < self.y1 as i32
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
    pub fn filled(width: u32, height: u32, index: u8) -> Canvas {
        Canvas { width, height, pixels: vec![index; width as usize * height as usize] }
    }

    /// The whole canvas as a rectangle.
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

    /// Expands the indices to RGB through the palette.
    pub fn to_rgb(&self, palette: &Palette) -> Vec<u8> {
        let colors = palette.colors();
        self.pixels.iter().flat_map(|&i| colors[i as usize]).collect()
    }
}

/// The library error for a failed draw on a [`CanvasBackend`].
pub(crate) fn backend_err(e: DrawingErrorKind<std::convert::Infallible>) -> crate::error::Error {
    crate::error::Error::Draw(e.to_string())
}

/// How the backend blends: growing the palette (background) or with its frozen table (frames).
pub enum Blender<'a> {
    /// Background pass: new shades join the palette.
    Growing(&'a mut Palette),
    /// Frame pass: table lookups only.
    Frozen(&'a Palette),
}

/// A plotters backend over a [`Canvas`], clipped to a rectangle, recording what it changed.
pub struct CanvasBackend<'a> {
    canvas: &'a mut Canvas,
    blender: Blender<'a>,
    clip: Rect,
    /// The pixels this backend changed.
    pub dirty: Rect,
}

impl<'a> CanvasBackend<'a> {
    /// A backend drawing into `canvas` inside `clip`.
    pub fn new(canvas: &'a mut Canvas, blender: Blender<'a>, clip: Rect) -> Self {
        CanvasBackend { canvas, blender, clip, dirty: Rect::EMPTY }
    }
}

impl DrawingBackend for CanvasBackend<'_> {
    type ErrorType = std::convert::Infallible;

    fn get_size(&self) -> (u32, u32) {
        (self.canvas.width, self.canvas.height)
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        Ok(())
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        Ok(())
    }

    #[inline]
    fn draw_pixel(
        &mut self,
        (x, y): BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        if !self.clip.contains(x, y) {
            return Ok(());
        }
        let i = y as usize * self.canvas.width as usize + x as usize;
        let under = self.canvas.pixels[i];
        let rgb = [color.rgb.0, color.rgb.1, color.rgb.2];
        let new = match &mut self.blender {
            Blender::Growing(p) => p.blend_growing(under, rgb, color.alpha),
            Blender::Frozen(p) => p.blend(under, rgb, color.alpha),
        };
        if new != under {
            self.canvas.pixels[i] = new;
            self.dirty.include(x as u32, y as u32);
        }
        Ok(())
    }
}
