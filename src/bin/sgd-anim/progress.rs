//! Progress on stderr: a bar over the frames on a terminal, a line per finished animation
//! otherwise, nothing with --quiet. A closed stderr stops the lines quietly (see `console`);
//! indicatif ignores its own failed draws.

use indicatif::{ProgressBar, ProgressStyle};
use sgd_anim::{Outcome, Progress};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

static STOP: AtomicBool = AtomicBool::new(false);

/// Called from the Ctrl-C handler.
pub fn request_stop() {
    STOP.store(true, Ordering::Relaxed);
}

/// Whether Ctrl-C or SIGTERM arrived.
pub fn stop_requested() -> bool {
    STOP.load(Ordering::Relaxed)
}

pub struct Reporter {
    bar: Option<ProgressBar>,
    lines: bool,
    quiet: bool,
    /// The temporaries a killed run had left that the library removed, for [`Reporter::report_stale`].
    stale: Mutex<Vec<PathBuf>>,
}

impl Reporter {
    pub fn new(frames: u64, quiet: bool) -> Reporter {
        let tty = std::io::stderr().is_terminal();
        let bar = (!quiet && tty).then(|| {
            let bar = ProgressBar::new(frames);
            bar.set_style(
                ProgressStyle::with_template("{bar:40} {pos}/{len} frames  {elapsed_precise} (eta {eta})")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar
        });
        Reporter { bar, lines: !quiet && !tty, quiet, stale: Mutex::new(vec![]) }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }

    /// Says, unless quiet, how many temporaries a killed run had left that the library removed
    /// before this run wrote beside them (ours by name, over an hour old), and in which folders.
    pub fn report_stale(&self) {
        let removed = std::mem::take(&mut *self.stale.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
        if self.quiet || removed.is_empty() {
            return;
        }
        let mut folders: Vec<String> = vec![];
        for path in &removed {
            let folder = path.parent().map_or_else(|| ".".into(), |p| p.display().to_string());
            if !folders.contains(&folder) {
                folders.push(folder);
            }
        }
        let files = if removed.len() == 1 { "file" } else { "files" };
        crate::console::err_line(&format!(
            "removed {} temporary {files} left by an interrupted run (over an hour old) in {}",
            removed.len(),
            folders.join(", ")
        ));
    }
}

impl Progress for Reporter {
    fn cancelled(&self) -> bool {
        stop_requested()
    }

    fn frames_planned(&self, frames: u64) {
        if let Some(bar) = &self.bar {
            bar.set_length(frames);
        }
    }

    fn frame_done(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }

    fn folder_created(&self, folder: &std::path::Path) {
        self.say(format!("created {}", folder.display()));
    }

    fn stale_removed(&self, temporary: &std::path::Path) {
        self.stale.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(temporary.to_path_buf());
    }

    fn note(&self, note: &str) {
        self.say(format!("note: {note}"));
    }

    fn job_done(&self, outcome: &Outcome) {
        let line = match &outcome.error {
            Some(e) => format!("failed {}: {e}", outcome.path.display()),
            None => format!("wrote {}", outcome.path.display()),
        };
        self.say(line);
    }
}

impl Reporter {
    /// A line on stderr, above the bar on a terminal; nothing with --quiet.
    fn say(&self, line: String) {
        match &self.bar {
            Some(bar) => bar.println(crate::console::escaped(&line)),
            None if self.lines => crate::console::err_line(&line),
            None => {}
        }
    }
}
