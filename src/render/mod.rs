//! Drawing frames: the theme, the plotters backend over an indexed canvas, the chart geometry
//! every panel shares, the panels (a view is a list of them), the caption, the scene
//! (background once, progress per step, overlay per frame) and the frames of one animation.
//!
//! Inside the folder, each file uses only those listed before it here (no cycles;
//! `tests/architecture.rs` checks): theme, backend, geometry, panels, scene, caption, frames.

pub mod backend;
pub mod caption;
pub mod frames;
pub mod geometry;
mod limits;
pub mod panels;
pub mod scene;
pub mod theme;
pub mod ticks;

pub use frames::{Frame, Frames};
pub use geometry::clip_line;
pub use limits::MAX_TRAIL;
pub use panels::{Overlay, PanelKind};
pub use scene::{Scene, SceneSettings, View, MAX_SIZE, MIN_SIZE};
pub use theme::Theme;
