//! Write-then-rename: a file appears under its final name only once complete, and a file
//! already there stays untouched until its replacement is whole.
//!
//! The temporary file is created beside its target with exclusive creation and an
//! unpredictable name (`tempfile`), so a link planted under a guessable name cannot redirect
//! the write. Every temporary file alive is listed, so that a signal handler can remove them
//! all ([`remove_unfinished`]) when the process must stop at once.

use crate::error::{file_kind, Error, Result};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The temporary files being written, or `None` once [`remove_unfinished`] has run (no new
/// temporary file may start then).
static UNFINISHED: Mutex<Option<Vec<PathBuf>>> = Mutex::new(Some(Vec::new()));

fn unfinished() -> std::sync::MutexGuard<'static, Option<Vec<PathBuf>>> {
    UNFINISHED.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Removes every temporary file still being written and refuses new ones. For a signal
/// handler that must end the process now: finished files stay, and no half-written file is
/// left under any name.
pub fn remove_unfinished() {
    if let Some(paths) = unfinished().take() {
        for p in paths {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// Lists a temporary file while it is written; unlists it when dropped.
pub(super) struct Listed(PathBuf);

impl Listed {
    fn new(path: &Path) -> Result<Listed> {
        match unfinished().as_mut() {
            Some(list) => {
                list.push(path.to_path_buf());
                Ok(Listed(path.to_path_buf()))
            }
            None => Err(Error::Interrupted),
        }
    }
}

impl Drop for Listed {
    fn drop(&mut self) {
        if let Some(list) = unfinished().as_mut() {
            list.retain(|p| p != &self.0);
        }
    }
}

/// The longest name, in bytes, most file systems allow.
const NAME_MAX: usize = 255;

/// `.NAME.` with NAME cut (at a character boundary) so that `.NAME.XXXXXX.tmp` fits in
/// [`NAME_MAX`] bytes even for a 255-byte target name.
fn temp_prefix(target: &Path) -> String {
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let room = NAME_MAX - ".".len() - ".".len() - RANDOM_CHARS - ".tmp".len();
    let mut cut = name.len().min(room);
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    format!(".{}.", &name[..cut])
}

const RANDOM_CHARS: usize = 8;

/// The folder a file is written in ("." for a bare name).
pub(crate) fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// The name of the folder probe's file, before its random part.
const PROBE_PREFIX: &str = ".sgd-anim-probe.";

/// Creates an empty temporary file in `dir` and removes it: whether `dir` can be written. Named
/// as the other temporaries end (`.tmp`), so a kill between the two leaves a hidden temporary.
pub(crate) fn probe_folder(dir: &Path) -> std::io::Result<()> {
    tempfile::Builder::new().prefix(PROBE_PREFIX).suffix(".tmp").rand_bytes(RANDOM_CHARS).tempfile_in(dir).map(drop)
}

/// Writes `path` through `write` into a new temporary file beside it, syncs it, then renames
/// it into place. `path` is the real file (links already followed, see `super::paths`);
/// something other than a regular file found there at the end is never replaced.
pub fn write_atomic<T>(path: &Path, write: impl FnOnce(&mut BufWriter<std::fs::File>) -> Result<T>) -> Result<T> {
    let (file, tmp, listed, value) = write_temp(path, write)?;
    file.sync_all().map_err(io_error("write", path))?;
    rename_into(Some(&file), tmp, path)?;
    drop(listed);
    Ok(value)
}

/// An [`Error::Io`] about `path`, for `map_err`.
pub(super) fn io_error(action: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> Error {
    let path = path.to_path_buf();
    move |source| Error::Io { action, path, source }
}

/// Writes a new temporary file beside `path` through `write`, and flushes it (not synced).
/// The temporary is removed when its path part is dropped, and listed (for
/// [`remove_unfinished`]) while its [`Listed`] lives.
pub(super) fn write_temp<T>(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<std::fs::File>) -> Result<T>,
) -> Result<(std::fs::File, tempfile::TempPath, Listed, T)> {
    let mut builder = tempfile::Builder::new();
    let prefix = temp_prefix(path);
    builder.prefix(&prefix).suffix(".tmp").rand_bytes(RANDOM_CHARS);
    #[cfg(unix)]
    {
        // What File::create would give (0666 less the umask), not tempfile's private 0600:
        // the files are meant to be served and shared.
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let tmp = builder.tempfile_in(folder_of(path)).map_err(io_error("create a file beside", path))?;
    let listed = Listed::new(tmp.path())?;
    // The path part removes the file if anything below fails or panics.
    let (file, tmp) = tmp.into_parts();
    let mut out = BufWriter::with_capacity(1 << 16, file);
    let value = write(&mut out)?;
    let file = out.into_inner().map_err(|e| io_error("write", path)(e.into_error()))?;
    Ok((file, tmp, listed, value))
}

/// Renames the temporary `tmp` (open as `file`, if it is) to `path`, unless something other than a
/// regular file (or a link) is there now.
pub(super) fn rename_into(file: Option<&std::fs::File>, tmp: tempfile::TempPath, path: &Path) -> Result<()> {
    if let Ok(meta) = std::fs::symlink_metadata(path) {
        if !meta.is_file() && !meta.is_symlink() {
            let kind = file_kind(&meta.file_type());
            return Err(Error::Io {
                action: "replace",
                path: path.to_path_buf(),
                source: std::io::Error::other(format!("it is {kind} now, and only regular files are replaced")),
            });
        }
    }
    let tmp_name = tmp.file_name().map(std::ffi::OsStr::to_os_string);
    if let Err(e) = tmp.persist(path) {
        // The folder may have been moved away while the file was written (its temporary then
        // lies elsewhere, where removing it by its old path cannot reach): remove it there.
        if let Some(file) = file {
            remove_moved(file, tmp_name.as_deref());
        }
        return Err(io_error("rename into", path)(e.error));
    }
    Ok(())
}

/// Removes the open temporary `file` wherever it now is, if its folder was moved away: Linux
/// names an open file's current path in `/proc/self/fd`. Only a file still named `tmp_name`
/// is removed. Elsewhere, nothing is done.
fn remove_moved(file: &std::fs::File, tmp_name: Option<&std::ffi::OsStr>) {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let Ok(now) = std::fs::read_link(format!("/proc/self/fd/{}", file.as_raw_fd())) else { return };
        if now.file_name().is_some() && now.file_name() == tmp_name {
            let _ = std::fs::remove_file(now);
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (file, tmp_name);
}

/// How old a temporary of ours must be before a later run takes it for one a killed run left:
/// a run still writing touches its temporaries as it writes, and a run's files are written and
/// put in place within minutes (the work budget), so an hour leaves a live run alone.
pub const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(3600);

/// Whether `name` is exactly the name of a temporary [`write_temp`] makes for `target`
/// (`.NAME.XXXXXXXX.tmp`, the X's letters and digits) or of [`probe_folder`]'s probe (with or
/// without `.tmp`: earlier versions named it without).
fn is_temporary_of(name: &std::ffi::OsStr, target: &Path) -> bool {
    let Some(name) = name.to_str() else { return false };
    let random = |rest: Option<&str>| {
        rest.is_some_and(|r| r.len() == RANDOM_CHARS && r.bytes().all(|b| b.is_ascii_alphanumeric()))
    };
    let probe = name.strip_prefix(PROBE_PREFIX);
    random(name.strip_prefix(&temp_prefix(target)).and_then(|rest| rest.strip_suffix(".tmp")))
        || random(probe)
        || random(probe.and_then(|rest| rest.strip_suffix(".tmp")))
}

/// Removes, from the folders `targets` are written in, the temporaries of exactly those
/// targets that a killed run left: regular files named as [`write_temp`] names a target's
/// temporary (or as the folder probe is named), last written more than `older_than` ago. Nothing
/// else is touched: not another name, not a link, not a recent file (a live run's). Best effort:
/// a folder or file that cannot be read or removed is passed over. Returns those removed.
pub fn remove_stale<'a>(targets: impl IntoIterator<Item = &'a Path>, older_than: std::time::Duration) -> Vec<PathBuf> {
    let mut by_folder: Vec<(PathBuf, Vec<&Path>)> = vec![];
    for target in targets {
        let folder = folder_of(target).to_path_buf();
        match by_folder.iter_mut().find(|(f, _)| *f == folder) {
            Some((_, names)) => names.push(target),
            None => by_folder.push((folder, vec![target])),
        }
    }
    let now = std::time::SystemTime::now();
    let stale = |meta: &std::fs::Metadata| {
        meta.file_type().is_file()
            && meta.modified().ok().and_then(|t| now.duration_since(t).ok()).is_some_and(|age| age > older_than)
    };
    let mut removed = vec![];
    for (folder, names) in by_folder {
        let Ok(entries) = std::fs::read_dir(&folder) else { continue };
        for entry in entries.flatten() {
            let name = entry.file_name();
            if !names.iter().any(|t| is_temporary_of(&name, t)) {
                continue;
            }
            let path = folder.join(&name);
            if std::fs::symlink_metadata(&path).is_ok_and(|m| stale(&m)) && std::fs::remove_file(&path).is_ok() {
                removed.push(path);
            }
        }
    }
    removed
}

/// Writes bytes to `path` atomically.
pub fn write_bytes_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic(path, |w| w.write_all(bytes).map_err(io_error("write", path)))
}

/// The names in `dir`, sorted (for tests of what a write leaves).
#[cfg(test)]
pub(super) fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_write_leaves_old_file_and_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        write_bytes_atomic(&path, b"old").unwrap();
        let r: Result<()> = write_atomic(&path, |w| {
            w.write_all(b"half").unwrap();
            Err(Error::Draw("boom".into()))
        });
        assert!(r.is_err());
        assert_eq!(std::fs::read(&path).unwrap(), b"old");
        assert_eq!(names(dir.path()), vec!["a.txt"]);
        write_bytes_atomic(&path, b"new").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
    }

    #[test]
    fn temporary_names_are_hidden_unpredictable_and_short() {
        let dir = tempfile::tempdir().unwrap();
        for long in ["a".repeat(251) + ".gif", "é".repeat(125) + "x.gif"] {
            assert_eq!(long.len(), NAME_MAX);
            let target = dir.path().join(&long);
            let mut seen = vec![];
            write_atomic(&target, |_| {
                seen = names(dir.path());
                Ok(())
            })
            .unwrap();
            let tmp = seen.iter().find(|n| n.as_str() != long).unwrap();
            assert!(std::path::Path::new(tmp).extension().is_some_and(|e| e == "tmp"), "{tmp}");
            assert!(tmp.starts_with('.') && tmp.len() <= NAME_MAX, "{tmp} ({})", tmp.len());
            assert!(target.exists());
        }
        // Two writes of the same target use different temporary names.
        let (mut a, mut b) = (vec![], vec![]);
        let short = dir.path().join("s.gif");
        write_atomic(&short, |_| {
            a = names(dir.path());
            Ok(())
        })
        .unwrap();
        write_atomic(&short, |_| {
            b = names(dir.path());
            Ok(())
        })
        .unwrap();
        let tmp_of = |v: &[String]| v.iter().find(|n| n.starts_with(".s.gif.")).cloned().unwrap();
        assert_ne!(tmp_of(&a), tmp_of(&b));
    }

    #[cfg(unix)]
    #[test]
    fn a_link_planted_under_a_guessable_name_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, b"precious").unwrap();
        // The old scheme's name: .NAME.PID.tmp
        let guess = dir.path().join(format!(".x.gif.{}.tmp", std::process::id()));
        std::os::unix::fs::symlink(&victim, &guess).unwrap();
        write_bytes_atomic(&dir.path().join("x.gif"), b"GIF89a").unwrap();
        assert_eq!(std::fs::read(&victim).unwrap(), b"precious");
        assert_eq!(std::fs::read(dir.path().join("x.gif")).unwrap(), b"GIF89a");
    }

    /// The output folder swapped for another while the file is written: the write fails (the
    /// rename finds no temporary), and no temporary is left in either folder.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_folder_swapped_mid_write_keeps_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let moved = dir.path().join("moved");
        std::fs::create_dir(&out).unwrap();
        let r = write_atomic(&out.join("x.gif"), |w| {
            w.write_all(b"GIF89a").unwrap();
            std::fs::rename(&out, &moved).unwrap();
            std::fs::create_dir(&out).unwrap();
            Ok(())
        });
        assert!(r.is_err());
        assert_eq!(names(&out), Vec::<String>::new());
        assert_eq!(names(&moved), Vec::<String>::new());
    }

    /// A file `age` old in `dir`.
    fn file_aged(dir: &Path, name: &str, age: std::time::Duration) -> PathBuf {
        let path = dir.join(name);
        let file = std::fs::File::create(&path).unwrap();
        file.set_modified(std::time::SystemTime::now() - age).unwrap();
        path
    }

    #[test]
    fn only_our_old_temporaries_of_the_targets_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let hours = |h: u64| std::time::Duration::from_secs(h * 3600);
        let target = dir.path().join("x.gif");
        // A real temporary of x.gif, as a killed run leaves it.
        let mut real = None;
        write_atomic(&target, |_| {
            real = names(dir.path()).into_iter().find(|n| n.starts_with(".x.gif."));
            Ok(())
        })
        .unwrap();
        let real = real.unwrap();
        std::fs::File::create(dir.path().join(&real))
            .unwrap()
            .set_modified(std::time::SystemTime::now() - hours(2))
            .unwrap();
        let stale = [real.as_str(), ".x.gif.Zz09aB7q.tmp", ".sgd-anim-probe.abcDEF12", ".sgd-anim-probe.ghiJKL34.tmp"];
        for name in &stale[1..] {
            file_aged(dir.path(), name, hours(2));
        }
        let kept = [
            ".x.gif.Ab3dE9xZ.tmp.bak", // not our suffix
            ".x.gif.Ab3dE9x.tmp",      // 7 random characters
            ".x.gif.Ab3dE9xZZ.tmp",    // 9
            ".x.gif.Ab3-E9xZ.tmp",     // not a letter or digit
            ".y.gif.Ab3dE9xZ.tmp",     // another file's (not a target)
            "x.gif.Ab3dE9xZ.tmp",      // not hidden
            ".x.gif.Ab3dE9xZ",         // no suffix
            ".sgd-anim-probe.abcDEF1", // 7
            ".sgd-anim-probe.abcDEF1.tmp",
            "notes.txt",
        ];
        for name in kept {
            file_aged(dir.path(), name, hours(2));
        }
        let recent = file_aged(dir.path(), ".x.gif.Recent12.tmp", std::time::Duration::from_secs(60));
        std::fs::create_dir(dir.path().join(".x.gif.Folder12.tmp")).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(dir.path().join("notes.txt"), dir.path().join(".x.gif.Linked12.tmp")).unwrap();

        let removed = remove_stale([target.as_path()], hours(1));
        let mut removed: Vec<String> =
            removed.iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
        removed.sort();
        let mut expected: Vec<String> = stale.iter().map(ToString::to_string).collect();
        expected.sort();
        assert_eq!(removed, expected);
        let left = names(dir.path());
        for name in kept.iter().chain(&[".x.gif.Folder12.tmp", "x.gif"]) {
            assert!(left.contains(&name.to_string()), "{name} was removed");
        }
        assert!(recent.exists(), "a live run's temporary is left alone");
        #[cfg(unix)]
        assert!(left.contains(&".x.gif.Linked12.tmp".to_string()) && dir.path().join("notes.txt").exists());
        // Nothing left to remove.
        assert!(remove_stale([target.as_path()], hours(1)).is_empty());
    }

    /// A long target's temporary has a cut name: it is still recognised, and a name that only
    /// starts like it is not.
    #[test]
    fn a_long_targets_cut_temporary_is_recognised() {
        let long = Path::new("a").join("é".repeat(125) + "x.gif");
        let prefix = temp_prefix(&long);
        assert!(is_temporary_of(std::ffi::OsStr::new(&format!("{prefix}Ab3dE9xZ.tmp")), &long));
        assert!(!is_temporary_of(std::ffi::OsStr::new(&format!("{prefix}Ab3dE9xZ.tmp")), Path::new("x.gif")));
    }

    #[cfg(unix)]
    #[test]
    fn files_get_the_usual_permissions_not_private_ones() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.gif");
        write_bytes_atomic(&path, b"GIF89a").unwrap();
        let plain = dir.path().join("plain");
        std::fs::File::create(&plain).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), mode(&plain));
    }
}
