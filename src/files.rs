//! Write-then-rename: a file appears under its final name only once complete, and a file
//! already there stays untouched until its replacement is whole.

use crate::error::{Error, Result};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Removes the temporary file unless the write was committed (also on panic or early return).
struct TempGuard(Option<PathBuf>);

impl Drop for TempGuard {
    fn drop(&mut self) {
        if let Some(p) = self.0.take() {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// The hidden temporary name beside `path` that a write goes to first.
pub fn temp_path(path: &Path) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

/// Writes `path` through `write` into a temporary file beside it, then renames it into place.
pub fn write_atomic<T>(path: &Path, write: impl FnOnce(&mut BufWriter<File>) -> Result<T>) -> Result<T> {
    let tmp = temp_path(path);
    let io = |action: &'static str, p: &Path| {
        let p = p.to_path_buf();
        move |source| Error::Io { action, path: p, source }
    };
    let file = File::create(&tmp).map_err(io("create", path))?;
    let mut guard = TempGuard(Some(tmp.clone()));
    let mut out = BufWriter::with_capacity(1 << 16, file);
    let value = write(&mut out)?;
    let file = out.into_inner().map_err(|e| io("write", path)(e.into_error()))?;
    file.sync_all().map_err(io("write", path))?;
    std::fs::rename(&tmp, path).map_err(io("rename into", path))?;
    guard.0 = None;
    Ok(value)
}

/// Writes bytes to `path` atomically.
pub fn write_bytes_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic(path, |w| {
        w.write_all(bytes).map_err(|source| Error::Io { action: "write", path: path.to_path_buf(), source })
    })
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
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        write_bytes_atomic(&path, b"new").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
    }
}
