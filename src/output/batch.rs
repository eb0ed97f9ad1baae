//! One durability point for many files: each is written to its temporary now (not synced),
//! and [`commit`] later syncs them all in one pass, renames each into place, and syncs
//! their folders once.
//!
//! What a stop at any moment leaves: before the renames, the old files (the temporaries are
//! hidden, and removed by [`super::files::remove_unfinished`] on Ctrl-C); during them, each
//! file old or new, never part of one, since no file is renamed before its data is synced.
//! After a crash of the machine too: a renamed file's data reached the disk first.
//!
//! The cost is that the old files and the new temporaries share the disk until the commit.

use super::files::{folder_of, io_error, rename_into, write_atomic, write_temp, Listed};
use crate::error::{Error, Result};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// How a finished file reaches its name.
#[derive(Debug, Clone, Copy, Default)]
pub enum Files<'a> {
    /// Synced and renamed into place as soon as it is written ([`write_atomic`]).
    #[default]
    Each,
    /// Written now; synced and renamed by the [`commit`] of its batch.
    Staged(&'a Batch),
}

impl Files<'_> {
    /// Writes `path` (the real file, links followed) through `write`, atomically.
    pub fn write<T>(self, path: &Path, write: impl FnOnce(&mut BufWriter<std::fs::File>) -> Result<T>) -> Result<T> {
        match self {
            Files::Each => write_atomic(path, write),
            Files::Staged(batch) => batch.write(path, write),
        }
    }

    /// Writes `bytes` to `path`, atomically.
    pub fn write_bytes(self, path: &Path, bytes: &[u8]) -> Result<()> {
        self.write(path, |w| w.write_all(bytes).map_err(io_error("write", path)))
    }
}

/// Temporaries held open by every batch, at most [`MAX_OPEN`]: beyond that a file is synced
/// as it is written and closed, so that a grid of thousands of files stays under the limit of
/// open files (1024 on many systems).
static OPEN: AtomicUsize = AtomicUsize::new(0);
const MAX_OPEN: usize = 256;

/// The most threads that sync at once.
const MAX_SYNC_THREADS: usize = 16;

/// A temporary held open until it is synced: counted in [`OPEN`].
struct Open(std::fs::File);

impl Drop for Open {
    fn drop(&mut self) {
        OPEN.fetch_sub(1, Ordering::Relaxed);
    }
}

/// A file written and waiting for its commit.
struct Staged {
    target: PathBuf,
    /// Open until synced; `None` if it was synced as it was written (see [`MAX_OPEN`]).
    file: Option<Open>,
    tmp: tempfile::TempPath,
    _listed: Listed,
}

/// Files staged for one [`commit`]: a job's GIF, trace and poster, say. Its files are put in
/// place in the order written, and those after one that failed are not (they go with it, as
/// when each file is written in turn).
#[derive(Default)]
pub struct Batch {
    staged: Mutex<Vec<Staged>>,
    /// Put in place only if every other batch of the commit was, whole; its files are each on
    /// their own (the pages, which describe the other files).
    after_the_rest: bool,
}

impl std::fmt::Debug for Batch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut out = f.debug_struct("Batch");
        out.field("files", &self.targets()).field("after_the_rest", &self.after_the_rest).finish_non_exhaustive()
    }
}

/// What a [`commit`] did with one batch.
#[derive(Debug)]
pub enum Committed {
    /// Every file is in place.
    Done,
    /// These files could not be synced or put in place, each with its error (and, in an
    /// ordinary batch, the files after the first were not tried).
    Failed(Vec<(PathBuf, Error)>),
    /// A [`Batch::after_the_rest`] batch not put in place, because another batch failed:
    /// its files are to be made again from what is in place now.
    Skipped,
}

impl Batch {
    /// An empty batch.
    #[must_use]
    pub fn new() -> Batch {
        Batch::default()
    }

    /// An empty batch of independent files that describe the others (the pages): put in
    /// place only if every other batch of the commit was.
    #[must_use]
    pub fn after_the_rest() -> Batch {
        Batch { after_the_rest: true, ..Batch::default() }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Staged>> {
        self.staged.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The files staged, in the order written.
    #[must_use]
    pub fn targets(&self) -> Vec<PathBuf> {
        self.lock().iter().map(|s| s.target.clone()).collect()
    }

    /// Writes `path` through `write` into a temporary beside it, to be put in place by the
    /// commit. An error here is the file's, as with [`write_atomic`].
    pub fn write<T>(&self, path: &Path, write: impl FnOnce(&mut BufWriter<std::fs::File>) -> Result<T>) -> Result<T> {
        let (file, tmp, listed, value) = write_temp(path, write)?;
        let file = if OPEN.fetch_add(1, Ordering::Relaxed) < MAX_OPEN {
            Some(Open(file))
        } else {
            OPEN.fetch_sub(1, Ordering::Relaxed);
            file.sync_all().map_err(io_error("write", path))?;
            None
        };
        self.lock().push(Staged { target: path.to_path_buf(), file, tmp, _listed: listed });
        Ok(value)
    }

    /// A reader of what was staged for `target` (the latest), from its start.
    pub fn read_back(&self, target: &Path) -> Option<std::io::Result<std::fs::File>> {
        let staged = self.lock();
        let s = staged.iter().rev().find(|s| s.target == target)?;
        Some(std::fs::File::open(&s.tmp))
    }

    fn into_staged(self) -> Vec<Staged> {
        self.staged.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The durability point: syncs every file of `batches` in one pass (in parallel: the disk
/// serves concurrent syncs together), then puts each batch's files in place (see [`Batch`]
/// and [`Batch::after_the_rest`] for which), then syncs each folder written in, once. No file
/// is renamed before its data is synced. One [`Committed`] a batch, in their order.
#[must_use]
pub fn commit(batches: Vec<Batch>) -> Vec<Committed> {
    let batches: Vec<(bool, Vec<Staged>)> = batches.into_iter().map(|b| (b.after_the_rest, b.into_staged())).collect();
    let mut synced = sync_all(batches.iter().flat_map(|(_, staged)| staged)).into_iter();
    let mut pending: Vec<(bool, Vec<Synced>)> = batches
        .into_iter()
        .map(|(last, staged)| (last, staged.into_iter().map(|s| (s, synced.next().unwrap_or(Ok(())))).collect()))
        .collect();
    let mut results: Vec<Option<Committed>> = pending.iter().map(|_| None).collect();
    let mut folders = vec![];
    let mut all_whole = true;
    // The ordinary batches first: whether they all went in decides the others.
    for last_pass in [false, true] {
        for (i, (last, files)) in pending.iter_mut().enumerate().filter(|(_, (last, _))| *last == last_pass) {
            let files = std::mem::take(files);
            // Dropped, a staged file's temporary is removed.
            let done = if *last && !all_whole { Committed::Skipped } else { put_batch(files, !*last, &mut folders) };
            all_whole &= *last || matches!(done, Committed::Done);
            results[i] = Some(done);
        }
    }
    for folder in &folders {
        // The renames are the folder's data: without this, a crash could undo them. The files
        // are in place whatever it says, so it fails no file.
        let _ = sync_folder(folder);
    }
    results.into_iter().map(|r| r.unwrap_or(Committed::Skipped)).collect()
}

/// A staged file and whether its sync succeeded.
type Synced = (Staged, Result<()>);

/// Puts a batch's synced files in place, in order; `chained`, none after the first failure.
fn put_batch(files: Vec<Synced>, chained: bool, folders: &mut Vec<PathBuf>) -> Committed {
    let mut failed = vec![];
    for (staged, synced) in files {
        if chained && !failed.is_empty() {
            continue;
        }
        let target = staged.target.clone();
        if let Err(e) = synced.and_then(|()| put_in_place(staged, folders)) {
            failed.push((target, e));
        }
    }
    if failed.is_empty() {
        Committed::Done
    } else {
        Committed::Failed(failed)
    }
}

/// Renames a synced temporary to its target; notes its folder in `folders`.
fn put_in_place(staged: Staged, folders: &mut Vec<PathBuf>) -> Result<()> {
    let Staged { target, file, tmp, _listed } = staged;
    let file = match file {
        Some(open) => Some(open),
        None => std::fs::File::open(&tmp).ok().map(|f| {
            OPEN.fetch_add(1, Ordering::Relaxed);
            Open(f)
        }),
    };
    rename_into(file.as_ref().map(|f| &f.0), tmp, &target)?;
    let folder = folder_of(&target).to_path_buf();
    if !folders.contains(&folder) {
        folders.push(folder);
    }
    Ok(())
}

/// Syncs each staged file still open, on up to [`MAX_SYNC_THREADS`] threads; one result a
/// file, in order.
fn sync_all<'a>(staged: impl Iterator<Item = &'a Staged>) -> Vec<Result<()>> {
    let staged: Vec<&Staged> = staged.collect();
    let sync = |s: &Staged| match &s.file {
        Some(open) => open.0.sync_all().map_err(io_error("write", &s.target)),
        None => Ok(()),
    };
    let threads = staged.len().min(MAX_SYNC_THREADS);
    if threads <= 1 {
        return staged.into_iter().map(sync).collect();
    }
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, Result<()>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = vec![];
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(s) = staged.get(i) else { break mine };
                        mine.push((i, sync(s)));
                    }
                })
            })
            .collect();
        workers.into_iter().flat_map(|w| w.join().unwrap_or_default()).collect()
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

/// Syncs a folder's entries (the renames into it).
fn sync_folder(folder: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::fs::File::open(folder)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = folder;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::files::names;
    use super::*;

    #[test]
    fn staged_files_appear_only_at_the_commit_and_a_dropped_batch_leaves_the_old_ones() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.gif"), dir.path().join("b.png"));
        std::fs::write(&a, b"old a").unwrap();
        let batch = Batch::new();
        Files::Staged(&batch).write_bytes(&a, b"new a").unwrap();
        Files::Staged(&batch).write_bytes(&b, b"new b").unwrap();
        // Written, not in place: the old file and hidden temporaries.
        assert_eq!(std::fs::read(&a).unwrap(), b"old a");
        assert!(!b.exists());
        assert_eq!(
            names(dir.path())
                .iter()
                .filter(|n| n.starts_with('.') && Path::new(n).extension().is_some_and(|e| e == "tmp"))
                .count(),
            2
        );
        let mut read = String::new();
        std::io::Read::read_to_string(&mut batch.read_back(&a).unwrap().unwrap(), &mut read).unwrap();
        assert_eq!(read, "new a");
        assert_eq!(batch.targets(), vec![a.clone(), b.clone()]);
        drop(batch);
        assert_eq!(names(dir.path()), vec!["a.gif"]);
        assert_eq!(std::fs::read(&a).unwrap(), b"old a");
        // Committed: both in place, no temporary left.
        let batch = Batch::new();
        Files::Staged(&batch).write_bytes(&a, b"new a").unwrap();
        Files::Staged(&batch).write_bytes(&b, b"new b").unwrap();
        assert!(matches!(commit(vec![batch]).as_slice(), [Committed::Done]));
        assert_eq!(names(dir.path()), vec!["a.gif", "b.png"]);
        assert_eq!(std::fs::read(&a).unwrap(), b"new a");
        assert_eq!(std::fs::read(&b).unwrap(), b"new b");
    }

    /// A folder made where a file goes after it was written: that file fails at the commit,
    /// and the files after it in its batch stay as they were; the other batches go in, but not
    /// the pages, which describe them all.
    #[test]
    fn a_failure_at_the_commit_stops_its_batch_and_the_pages() {
        let dir = tempfile::tempdir().unwrap();
        let path = |n: &str| dir.path().join(n);
        std::fs::write(path("x.png"), b"old poster").unwrap();
        let (job, other, pages, loose) = (Batch::new(), Batch::new(), Batch::after_the_rest(), Batch::after_the_rest());
        job.write(&path("x.gif"), |w| w.write_all(b"x").map_err(io_error("write", &path("x.gif")))).unwrap();
        Files::Staged(&job).write_bytes(&path("x.png"), b"new poster").unwrap();
        Files::Staged(&other).write_bytes(&path("y.gif"), b"y").unwrap();
        Files::Staged(&pages).write_bytes(&path("index.md"), b"links x.gif").unwrap();
        std::fs::create_dir(path("x.gif")).unwrap();
        let done = commit(vec![job, pages, other]);
        match &done[0] {
            Committed::Failed(failed) => {
                assert_eq!(failed.len(), 1);
                assert_eq!(failed[0].0, path("x.gif"));
                assert!(failed[0].1.to_string().contains("is a directory now"), "{}", failed[0].1);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(done[1], Committed::Skipped), "{:?}", done[1]);
        assert!(matches!(done[2], Committed::Done), "{:?}", done[2]);
        assert_eq!(std::fs::read(path("x.png")).unwrap(), b"old poster");
        assert_eq!(std::fs::read(path("y.gif")).unwrap(), b"y");
        assert_eq!(names(dir.path()), vec!["x.gif", "x.png", "y.gif"]);
        // Pages on their own, with nothing else failing: each file alone.
        Files::Staged(&loose).write_bytes(&path("index.md"), b"md").unwrap();
        Files::Staged(&loose).write_bytes(&path("missing/in"), b"no").unwrap_err();
        Files::Staged(&loose).write_bytes(&path("index.html"), b"html").unwrap();
        std::fs::create_dir(path("index.html")).unwrap();
        Files::Staged(&loose).write_bytes(&path("player.html"), b"player").unwrap();
        let done = commit(vec![loose]);
        assert!(matches!(&done[0], Committed::Failed(f) if f.len() == 1 && f[0].0 == path("index.html")), "{done:?}");
        assert_eq!(std::fs::read(path("index.md")).unwrap(), b"md");
        assert_eq!(std::fs::read(path("player.html")).unwrap(), b"player");
    }

    /// Past [`MAX_OPEN`] files held open, a file is synced as written and closed, and still
    /// put in place at the commit.
    #[test]
    fn many_files_stay_under_the_open_file_limit() {
        let dir = tempfile::tempdir().unwrap();
        let batch = Batch::new();
        let n = MAX_OPEN + 20;
        for i in 0..n {
            Files::Staged(&batch).write_bytes(&dir.path().join(format!("{i}.txt")), i.to_string().as_bytes()).unwrap();
        }
        assert!(OPEN.load(Ordering::Relaxed) <= MAX_OPEN);
        assert!(matches!(commit(vec![batch]).as_slice(), [Committed::Done]));
        assert_eq!(names(dir.path()).len(), n);
        assert_eq!(std::fs::read(dir.path().join(format!("{}.txt", n - 1))).unwrap(), (n - 1).to_string().as_bytes());
    }
}
