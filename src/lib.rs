//! # sgd-anim
//!
//! Animated GIFs of gradient descent and mini-batch SGD fitting a line, after fast.ai's
//! "SGD from scratch" (course v3, lesson 2): the library behind the `sgd-anim` command.
//!
//! ## The pipeline
//!
//! Data flows one way, each stage in its own module, each using only the stages before it
//! (a test, `tests/it/architecture.rs`, keeps it so): `error → format, flags → run → train,
//! replay → raster → render, encode → output → job → grid`, stages joined by a comma side by
//! side, never using each other.
//!
//! ```text
//!            train/ (GD, SGD, momentum, ─┐
//!            Adam on a Dataset)          │
//! Settings                               ├─> run/ (Dataset, Run:  ──> Scene + caption ──> Canvas ──> encoder ──────> file
//!            replay/ (a logged run read  │    a snapshot per step,    (render/: drawn     (raster/:   (encode/: GIF:   (output/:
//!            back: our trace, JSON       │    Verdict, Curves):       once, then only     palette     delta frames,   atomic, checked
//!            Lines, CSV, TensorBoard) ───┘    the one model both      what changes)       indices)    own LZW)        paths, trace,
//!                                             sources make                                                            gallery)
//! job: one animation, settings -> file;   grid: every (lr, batch size) job in parallel (rayon)
//! ```
//!
//! - [`train`] turns a [`Dataset`] and [`TrainSettings`] into a [`Run`]: one [`Snapshot`] per
//!   step (the start guess first), with the full-data loss (MSE) of each.
//! - [`read_log`] reads a run trained elsewhere (or our trace) back into a [`Run`] and its
//!   data, or, for a log of metrics alone, into [`Curves`]; [`replay`] animates it through the
//!   same scene and encoder as [`render`].
//! - The renderer draws the axes and the scatter once into an indexed background, then per
//!   frame only the fitted line and the caption over a copy of it. Pixels are palette indices,
//!   so every frame is exact and no colour quantisation happens.
//! - The GIF encoder writes each frame as the rectangle that changed since the previous one.
//! - [`render`] writes one animation to a file (atomically, after checking the path is a
//!   regular file or nothing yet), [`render_to_writer`] to any `Write` (standard output, a
//!   socket), [`render_to_vec`] into memory; [`run_grid`] makes a whole learning-rate x batch-size
//!   grid plus a gallery (index.md, index.html, player.html, data.png, a poster per GIF), and
//!   [`check_grid`] compares a folder with the grid it should hold, writing nothing.
//! - Every GIF carries its provenance in a comment: the version and the `sgd-anim render`
//!   command that makes it again byte for byte ([`RenderSettings::command`]), or for a replay
//!   the `sgd-anim replay` command with its log; [`inspect`] reads it back with the file's
//!   size, frames, delays and loop count.
//!
//! Same settings, same bytes: every random draw comes from a seeded generator owned by its
//! run, whatever the thread count.
//!
//! ## Example: one animation into memory
//!
//! ```
//! use sgd_anim::prelude::*;
//!
//! let settings = RenderSettings {
//!     train: TrainSettings { lr: 0.1, batch_size: BatchSize::Size(16), steps: 10, ..Default::default() },
//!     ..Default::default()
//! };
//! let gif = render_to_vec(&settings)?;
//! assert_eq!(&gif[..6], b"GIF89a");
//! # Ok::<(), sgd_anim::Error>(())
//! ```
//!
//! ## Example: the training core alone
//!
//! ```
//! use sgd_anim::prelude::*;
//!
//! let data = Dataset::synthetic(&DataSpec::default()); // the post's 100 points
//! let run = sgd_anim::train(&data, &TrainSettings { steps: 300, ..Default::default() });
//! let (slope, intercept) = data.least_squares().unwrap();
//! assert!((run.last().slope - slope).abs() < 1e-3 && (run.last().intercept - intercept).abs() < 1e-3);
//! ```
//!
//! `examples/` has more: a custom animation written to a file, and a set for a blog post.
//!
//! ## Features
//!
//! `cli` (on by default) builds the `sgd-anim` command and its dependencies (clap, indicatif,
//! ctrlc). A library user can leave it out:
//! `sgd-anim = { version = "0.1", default-features = false }`.
#![deny(missing_docs)]
#![deny(missing_debug_implementations)]
#![forbid(unsafe_code)]
#![warn(clippy::pedantic)]
// clippy::pedantic, reviewed 2026-11-25. Acted on: #[must_use] on pure functions, lossless
// casts written as From, the learning-rate lookup compares bits instead of float ==, no
// wrapping casts in Rect::contains, delays saturate with try_from, a GIF side that does not fit
// 16 bits is an error. Allowed, each for its reason:
#![allow(
    // Pixel, palette and level casts: each value is bounded just before the cast (palette
    // indices < 256, frame sides <= 4096 by SceneSettings::validate, <= 65535 checked again in
    // DeltaEncoder::new, coverage levels clamped, caption sizes of a few dozen pixels).
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::cast_possible_wrap,
    // Counts far below 2^52 (points, steps, pixels) as f64 for means, scales and estimates.
    clippy::cast_precision_loss,
    // render/ticks copies matplotlib's float arithmetic exactly, its exact comparisons included
    // (tested against matplotlib's own ticks).
    clippy::float_cmp,
    // Every fallible function returns our Error, whose variants say what can fail.
    clippy::missing_errors_doc,
    clippy::missing_panics_doc,
    // Reviewed: the log locator's take_while ends (finite decade bounds); one CSV record's
    // newlines are counted without another crate.
    clippy::maybe_infinite_iter,
    clippy::naive_bytecount,
    // Style or signature preferences that would not make this code clearer or faster here.
    clippy::format_push_string,
    clippy::trivially_copy_pass_by_ref,
    clippy::needless_pass_by_value,
    clippy::similar_names,
    clippy::many_single_char_names,
    clippy::manual_midpoint,
    clippy::unnecessary_wraps,
    // Test data written as matplotlib prints it (0.09999999999999998), to compare digit for digit.
    clippy::unreadable_literal
)]

mod encode;
mod error;
mod format;
mod grid;
mod job;
mod output;
mod raster;
mod render;
mod replay;
mod run;
mod train;

pub use encode::inspect::GifSummary;
pub use encode::{Format, Timing};
pub use error::{Advice, Error, Field, Piece, Result};
pub use grid::{
    check_grid, compare, compare_to_writer, run_grid, CheckReport, CheckScope, FileCheck, GridReport, GridSettings,
};
pub use job::{
    render, render_on, render_to_vec, render_to_writer, render_to_writer_on, replay, replay_to_writer, FrameThreads,
    NoProgress, Progress, RenderSettings, ReplaySettings,
};
pub use output::gallery::Fragment;
pub use output::info::{inspect, GifInfo};
pub use output::provenance::{Provenance, RenderCommand, VERSION};
pub use output::Outcome;
pub use render::{Limits, SceneSettings, Theme, View};
pub use replay::{read_log, read_log_from, LogFormat, LogSource, ReadOptions, Replay, MAX_LINE_BYTES, MAX_METRICS};
pub use run::{BatchSize, Curves, Optimizer, Run, Sampling, Series, Snapshot, TrainSettings, Verdict};
pub use train::{train, DataSource, DataSpec, Dataset};

/// What a command line over this library needs besides the API: the flag each settings field
/// has (errors name fields, the command line names flags), the summaries the `sgd-anim`
/// command prints, how messages show values, the grid's plan, and the clean-up its signal
/// handler runs. The `sgd-anim` binary is built from these; a program that only makes
/// animations does not need them. They follow the command line, not the library's API.
pub mod cli {
    pub use crate::error::flag_of;
    pub use crate::error::{cut, escape_controls, SHOWN_CHARS};
    pub use crate::format::python_float;
    pub use crate::grid::{file_name, plan, Job, COLUMN_WIDTH, MAX_THREADS};
    pub use crate::output::files::remove_unfinished;
    pub use crate::output::provenance::CommandArg;
    pub use crate::output::summary::{json as summary_json, runs_table as summary_runs_table, table as summary_table};
}

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
    pub use crate::encode::inspect::{read_gif, MAX_COMMENT_BYTES};
    pub use crate::encode::webp::WebpEncoder;
    pub use crate::encode::{
        changed_box, leading, min_code_size, stream_codes, AnimationEncoder, LzwEncoder, MAX_DELAY_MS, MAX_LOOP_COUNT,
        MIN_DELAY_CS,
    };
    pub use crate::format::{python_float, short_number};
    pub use crate::grid::{comparisons, Comparison, COLUMN_WIDTH, MAX_HEIGHT, MAX_THREADS};
    pub use crate::job::write_compare;
    pub use crate::job::WORK_BUDGET;
    pub use crate::job::{
        job_seed, render_job, train_job, write_animation, write_frames, write_gif, FrameThreads, SideFiles,
    };
    pub use crate::output::batch::{commit, Batch, Committed, Files};
    pub use crate::output::files::{write_atomic, write_bytes_atomic};
    pub use crate::output::gallery::{
        base_url_problem, data_png, file_kind, folder_url, hugo_shortcode, index_html, index_md, jekyll_include, pages,
        player_html, player_script, poster_name, poster_of_gif, poster_png, Contents, Extra, Fragment, Layout,
    };
    pub use crate::output::info::{delays_text, inspect_reader};
    pub use crate::output::paths::{
        create_folders, input_identity, output_file, output_folder, refuse_clashes, OutputFile,
    };
    pub use crate::output::provenance::{render_command, replay_command, shell_word, ReplayShape, OUTPUT_PLACEHOLDER};
    pub use crate::output::trace::trace_json;
    pub use crate::raster::{Canvas, Ink, Palette, Rect, Rgb};
    pub use crate::render::caption::{caption, caption_every, caption_spot, overlay, run_label};
    pub use crate::render::compare::{held_caption, panel_caption, CompareFrames, Tiling};
    pub use crate::render::MAX_TRAIL;
    pub use crate::render::{
        clip_line, CaptionSpot, Frame, Frames, Limits, Metrics, OffPlot, OffPlotMark, Overlay, PanelKind, PlacedText,
        Scene, MAX_SIZE, MIN_SIZE,
    };
    pub use crate::replay::{merge_runs, side_by_side, simple_event, tfrecord_frame, SideBySide};
    pub use crate::run::{group_name, Group};
    pub use crate::train::{gradient, mse, DIVERGENCE_FACTOR, MAX_CSV_BYTES, MAX_POINTS, UNSTABLE_FACTOR};
    pub use crate::train::{
        BATCH_INDEX_COST, MAX_STEPS, TRAIN_BYTES_BUDGET, TRAIN_POINTS_PER_SECOND, TRAIN_SECONDS_BUDGET,
    };
}
