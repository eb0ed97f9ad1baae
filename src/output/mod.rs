//! What leaves the process: files written atomically to checked paths, the trace, the summary
//! and the gallery for posts.

pub mod files;
pub mod gallery;
mod json;
pub mod paths;
pub mod summary;
pub mod trace;

pub use summary::Outcome;
