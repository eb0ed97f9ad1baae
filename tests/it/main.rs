//! The integration tests, one binary with a module per area (ripgrep's habit): the library and
//! its dependencies are linked once, not once per file.
//!
//! - `architecture`: the stages depend only on earlier stages (reads `src/`).
//! - `cli`: end to end through the binary.
//! - `compare`: the post's comparisons, panels stepping together.
//! - `completions`: the shell completion scripts, run by their shells.
//! - `edges`: first contact at the edges: repeated values, budgets, escapes, `-`, counts.
//! - `faults`: bad input, divergence, signals and failing files.
//! - `grid_output`: grid's folder as `-o`, `--output` or `--out`; a file where it goes.
//! - `jobs`: `render --jobs N` writes the same bytes whatever N is.
//! - `legibility`: text in place, truthful captions, labels on top, panels that keep the run.
//! - `logs`: the logs other tools write (TensorBoard, Lightning, Hugging Face, Keras, W&B, MLflow).
//! - `observations`: the post's claims, checked from the training traces.
//! - `posts`: the gallery as a blog uses it: hostile base URLs, `grid --check` of every file.
//! - `provenance`: the command each GIF carries, `info` and `grid --check`.
//! - `readme`: the README's option table against `render --help`.
//! - `robustness`: the command line under abuse, random argument lists.
//! - `replay`: logged runs (our trace, JSON Lines, CSV) animated like our own.
//! - `replay_caption`: a replayed log's caption never covers its curves.
//! - `replay_side`: several line fits replayed side by side, a panel a run.
//! - `roundtrip`: GIFs decoded back: frames, delays, pixels, panels.
//! - `schema`: the JSON Schema files against our own trace and the logs we read.
//! - `safe_io`: outputs never destroy what is not ours (Unix special files).
//! - `stale`: a killed run's old temporaries removed by the next run, nothing else.
//! - `unhidden`: the caption never covers the line or a marker; a line that leaves is marked.
//! - `webp`: animated WebP decoded by another decoder against the GIF; info and grid --check.
//!
//! Run one area with `cargo test --test it cli::`.

mod architecture;
mod cli;
mod common;
mod compare;
mod completions;
mod edges;
mod faults;
mod grid_output;
mod jobs;
mod legibility;
mod logs;
mod observations;
mod posts;
mod provenance;
mod readme;
mod replay;
mod replay_caption;
mod replay_side;
mod robustness;
mod roundtrip;
mod schema;
mod stale;
mod unhidden;
mod webp;
// FIFOs, sockets, device nodes and symbolic links: Unix only.
#[cfg(unix)]
mod safe_io;
