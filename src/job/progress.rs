//! Progress reporting: hooks a job calls as it goes, every one a no-op unless implemented.

use crate::output::paths::{self, OutputFile};
use crate::output::Outcome;

/// Hooks for progress reporting; every method defaults to doing nothing.
pub trait Progress: Sync {
    /// One frame was encoded.
    fn frame_done(&self) {}
    /// One animation of a grid is finished (written, or failed).
    fn job_done(&self, _outcome: &Outcome) {}
    /// A missing output folder was created (before any file is written).
    fn folder_created(&self, _folder: &std::path::Path) {}
    /// A temporary that a killed run left for one of the outputs (ours by name, an hour old or
    /// more) was removed (before any file is written).
    fn stale_removed(&self, _temporary: &std::path::Path) {}
    /// How many frames the animation will have, once known (a replay learns it from its log).
    fn frames_planned(&self, _frames: u64) {}
    /// Something the reader of a log should know: values passed over (images, histograms), a
    /// damaged record after which an event file was not read.
    fn note(&self, _note: &str) {}
    /// Whether the user asked to stop (Ctrl-C); checked before every frame.
    fn cancelled(&self) -> bool {
        false
    }
}

/// Creates the folders `outputs` need and removes the temporaries a killed run left for them
/// (see [`paths::create_folders`]), telling `progress` of each.
pub(crate) fn create_folders<'a>(
    outputs: impl IntoIterator<Item = &'a OutputFile>,
    progress: &dyn Progress,
) -> crate::error::Result<()> {
    paths::create_folders(outputs, &mut |d| progress.folder_created(d), &mut |t| progress.stale_removed(t))
}

/// Reports nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {}
