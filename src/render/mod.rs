//! Drawing frames: the theme, text (`DejaVu` Sans with a glyph cache), anti-aliased shapes
//! through the plotters backend over an indexed canvas, matplotlib's axes and ticks, the
//! panels (a view is a list of them), the scene (background once, progress per step, overlay
//! per frame), the caption and the frames of one animation.
//!
//! Inside the folder, each file uses only those listed before it here (no cycles;
//! `tests/it/architecture.rs` checks): ticks, text, theme, backend, stroke, geometry, axes,
//! limits, panels, scene, caption, frames, compare.

pub mod axes;
pub mod backend;
pub mod caption;
pub mod compare;
pub mod frames;
pub mod geometry;
mod limits;
pub mod panels;
pub mod scene;
pub mod stroke;
pub mod text;
pub mod theme;
pub mod ticks;

pub use caption::CaptionSpot;
pub use frames::{Frame, Frames};
pub use geometry::clip_line;
pub use limits::MAX_TRAIL;
pub use panels::{OffPlot, OffPlotMark, Overlay, PanelKind};
pub use scene::{Limits, Scene, SceneSettings, View, MAX_SIZE, MIN_SIZE};
pub use text::PlacedText;
pub use theme::{Metrics, Theme};
