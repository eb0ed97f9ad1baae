//! The plotters backend of our frames: it draws on an indexed [`Canvas`] through the palette.
//!
//! Its contract: every pixel plotters asks for is blended as a table lookup
//! `(index under, ink, coverage) -> index` ([`Palette::blend`]); a pixel outside the clip
//! rectangle is ignored; every pixel that changes grows [`CanvasBackend::dirty`], which is what
//! the encoder is told changed. On the background pass ([`Blender::Growing`]) new shades join
//! the palette; on frame passes ([`Blender::Frozen`]) the palette is fixed, so every frame is
//! exact and no per-frame quantisation happens. Drawing never fails (`Infallible`).

use crate::raster::{Canvas, Palette, Rect};
use plotters_backend::{BackendColor, BackendCoord, DrawingBackend, DrawingErrorKind};

/// How the backend blends: growing the palette (background) or with its frozen table (frames).
#[derive(Debug)]
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
    /// Rectangles inside the clip left untouched (text drawn on top of everything).
    keep_out: &'a [Rect],
    /// The pixels this backend changed.
    pub dirty: Rect,
}

impl std::fmt::Debug for CanvasBackend<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CanvasBackend").field("clip", &self.clip).field("dirty", &self.dirty).finish_non_exhaustive()
    }
}

impl<'a> CanvasBackend<'a> {
    /// A backend drawing into `canvas` inside `clip`.
    pub fn new(canvas: &'a mut Canvas, blender: Blender<'a>, clip: Rect) -> Self {
        CanvasBackend { canvas, blender, clip, keep_out: &[], dirty: Rect::EMPTY }
    }

    /// The same backend, leaving the pixels inside `rects` untouched.
    #[must_use]
    pub fn keeping_out(self, rects: &'a [Rect]) -> Self {
        CanvasBackend { keep_out: rects, ..self }
    }

    /// The rectangle it draws in.
    #[must_use]
    pub fn clip(&self) -> Rect {
        self.clip
    }

    /// The canvas's index at a pixel (`None` outside the canvas).
    #[must_use]
    pub fn index_at(&self, x: u32, y: u32) -> Option<u8> {
        (x < self.canvas.width && y < self.canvas.height)
            .then(|| self.canvas.pixels[y as usize * self.canvas.width as usize + x as usize])
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
        if !self.clip.contains(x, y) || self.keep_out.iter().any(|r| r.contains(x, y)) {
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
