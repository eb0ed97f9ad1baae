//! Pixels: the indexed canvas and the palette its indices name. The renderer writes them, the
//! encoder reads them.

mod canvas;
mod palette;
pub(crate) mod round;

pub use canvas::{Canvas, Rect};
pub use palette::{Ink, Palette, Rgb};
