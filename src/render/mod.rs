//! Drawing frames: the theme, the plotters backend over an indexed canvas, the panels, the
//! caption, and the scene (background once, overlay per frame).

pub mod backend;
pub mod caption;
mod limits;
pub mod panel;
pub mod scene;
pub mod theme;
pub mod ticks;

pub use limits::MAX_TRAIL;
pub use scene::{clip_line, Overlay, Scene, SceneSettings, View, MAX_SIZE, MIN_SIZE};
pub use theme::Theme;
