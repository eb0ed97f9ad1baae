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
#![deny(missing_debug_implementations)]
#![forbid(unsafe_code)]

mod encode;
mod error;
mod format;
mod grid;
mod job;
mod output;
mod raster;
mod render;
mod train;
mod validate;

pub use encode::Timing;
pub use error::{cut, Error, Result, SHOWN_CHARS};
pub use grid::{file_name, plan, run_grid, GridReport, GridSettings, Job};
pub use job::{render, render_to_vec, render_to_writer, NoProgress, Progress, RenderSettings};
pub use output::files::remove_unfinished;
pub use output::summary::{json as summary_json, table as summary_table};
pub use output::Outcome;
pub use render::{SceneSettings, Theme, View};
pub use train::{train, BatchSize, DataSource, DataSpec, Dataset, Optimizer, Run, Sampling, Snapshot, TrainSettings};

/// The names most programs need: `use sgd_anim::prelude::*;`.
pub mod prelude {
    pub use crate::{
        render, render_to_vec, render_to_writer, run_grid, BatchSize, DataSource, DataSpec, Dataset, Error,
        GridSettings, Optimizer, Outcome, RenderSettings, Run, SceneSettings, Timing, TrainSettings, View,
    };
}

/// The stages' insides, for this crate's own tests and benches. Not part of the API: they
/// change without notice.
#[doc(hidden)]
pub mod internals {
    pub use crate::encode::gif::DeltaEncoder;
    pub use crate::encode::{
        leading, min_code_size, AnimationEncoder, LzwEncoder, MAX_DELAY_MS, MAX_LOOP_COUNT, MIN_DELAY_CS,
    };
    pub use crate::format::{python_float, short_number};
    pub use crate::job::{job_seed, render_job, train_job, write_frames, write_gif};
    pub use crate::output::files::{write_atomic, write_bytes_atomic};
    pub use crate::output::gallery::{data_png, index_html, index_md, Layout};
    pub use crate::output::paths::{
        create_folders, input_identity, output_file, output_folder, refuse_clashes, OutputFile,
    };
    pub use crate::output::trace::trace_json;
    pub use crate::raster::{Canvas, Ink, Palette, Rect, Rgb};
    pub use crate::render::caption::{caption, caption_every, caption_step, overlay, run_label};
    pub use crate::render::{clip_line, Overlay, Scene, MAX_SIZE, MIN_SIZE};
    pub use crate::train::{gradient, mse, DIVERGENCE_FACTOR, MAX_POINTS};
    pub use crate::validate::{MAX_STEPS, WORK_BUDGET};
}
