//! The integration tests, one binary with a module per area (ripgrep's habit): the library and
//! its dependencies are linked once, not once per file.
//!
//! - `architecture`: the stages depend only on earlier stages (reads `src/`).
//! - `cli`: end to end through the binary.
//! - `compare`: the post's comparisons, panels stepping together.
//! - `faults`: bad input, divergence, signals and failing files.
//! - `legibility`: text in place, truthful captions, labels on top, panels that keep the run.
//! - `logs`: the logs other tools write (TensorBoard, Lightning, Hugging Face, Keras, W&B, MLflow).
//! - `observations`: the post's claims, checked from the training traces.
//! - `provenance`: the command each GIF carries, `info` and `grid --check`.
//! - `robustness`: the command line under abuse, random argument lists.
//! - `replay`: logged runs (our trace, JSON Lines, CSV) animated like our own.
//! - `roundtrip`: GIFs decoded back: frames, delays, pixels, panels.
//! - `schema`: the JSON Schema files against our own trace and the logs we read.
//! - `safe_io`: outputs never destroy what is not ours (Unix special files).
//!
//! Run one area with `cargo test --test it cli::`.

mod architecture;
mod cli;
mod common;
mod compare;
mod faults;
mod legibility;
mod logs;
mod observations;
mod provenance;
mod replay;
mod robustness;
mod roundtrip;
mod schema;
// FIFOs, sockets, device nodes and symbolic links: Unix only.
#[cfg(unix)]
mod safe_io;
