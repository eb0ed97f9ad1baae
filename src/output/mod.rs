//! What leaves the process: files written atomically to checked paths, the trace, the summary
//! and the gallery for posts; and what comes back: a GIF's provenance comment and `info`.

pub mod batch;
pub mod files;
pub mod gallery;
pub mod info;
mod json;
pub mod paths;
pub mod provenance;
pub mod summary;
pub mod trace;

pub use summary::Outcome;
