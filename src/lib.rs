//! # sgd-anim
//!
//! Animated GIFs of gradient descent and mini-batch SGD fitting a line, after fast.ai's
//! "SGD from scratch" (course v3, lesson 2).
//!
//! Data flows one way:
//!
//! ```text
//! Dataset ──> train() ──> Run (a Snapshot per step) ──> Scene (background once, line per frame)
//!         ──> DeltaEncoder (global palette, changed rectangle per frame) ──> file, written atomically
//! ```
//!
//! [`run_grid`] does the same for every (learning rate, batch size) job of the post, in
//! parallel, and writes a gallery for posts.
//!
//! ```
//! use sgd_anim::{render_to_vec, BatchSize, RenderSettings, TrainSettings};
//!
//! let settings = RenderSettings {
//!     train: TrainSettings { lr: 0.1, batch_size: BatchSize::Size(16), steps: 10, ..Default::default() },
//!     ..Default::default()
//! };
//! let gif = render_to_vec(&settings).unwrap();
//! assert_eq!(&gif[..6], b"GIF89a");
//! ```
#![deny(missing_docs)]

mod animate;
mod data;
mod embed;
mod encode;
mod error;
mod files;
mod grid;
mod lzw;
mod pipeline;
mod render;
mod summary;
mod trace;
mod train;
mod validate;

pub use animate::{caption, overlay, python_float, run_label, short_number, write_gif, NoProgress, Progress};
pub use data::{DataSpec, Dataset, MAX_CSV_BYTES};
pub use embed::{data_png, index_html, index_md};
pub use encode::{DeltaEncoder, GifOptions, MAX_DELAY_MS, MAX_LOOP_COUNT, MIN_DELAY_CS};
pub use error::{Error, Result};
pub use files::{temp_path, write_atomic, write_bytes_atomic};
pub use grid::{file_name, plan, run_grid, GridReport, GridSettings, Job};
pub use pipeline::{job_seed, render, render_job, render_to_vec, train_job, DataSource, Outcome, RenderSettings};
pub use render::canvas::{Canvas, Rect};
pub use render::palette::{Ink, Palette, Rgb};
pub use render::scene::{clip_line, Overlay, Scene, SceneSettings, View, MAX_SIZE, MIN_SIZE};
pub use render::theme::Theme;
pub use summary::{json as summary_json, table as summary_table};
pub use trace::trace_json;
pub use train::{
    gradient, mse, train, BatchSize, Optimizer, Run, Sampling, Snapshot, TrainSettings, DIVERGENCE_FACTOR,
};
pub use validate::{
    BATCH_INDEX_COST, MAX_POINTS, MAX_STEPS, TRAIN_BYTES_BUDGET, TRAIN_POINTS_PER_SECOND, TRAIN_SECONDS_BUDGET,
    WORK_BUDGET,
};
