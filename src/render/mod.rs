//! Drawing frames: the theme, the palette built from it, an indexed canvas with its plotters
//! backend, and the scene (background once, overlay per frame).

pub mod canvas;
pub mod palette;
pub mod panel;
pub mod scene;
pub mod theme;
