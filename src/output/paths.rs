//! What an output path really is, checked before any work: only regular files are replaced,
//! links are followed to the file they name, no output is an input or another output, and
//! missing folders are created.

use super::files::{folder_of, probe_folder, remove_stale, STALE_AFTER};
use crate::encode::Format;
use crate::error::file_kind;
use crate::error::{Advice, Error, Field, Result};
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

/// What makes two paths the same file: the absolute path with links and `..` resolved, and,
/// where the file exists, its device and inode (so hard links match too).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    real: PathBuf,
    inode: Option<(u64, u64)>,
}

impl Identity {
    /// Whether two identities name the same file.
    pub fn same_file(&self, other: &Identity) -> bool {
        self.real == other.real || (self.inode.is_some() && self.inode == other.inode)
    }

    fn of(real: PathBuf) -> Identity {
        let inode = std::fs::metadata(&real).ok().and_then(|m| inode_of(&m));
        Identity { real, inode }
    }
}

#[cfg(unix)]
fn inode_of(m: &std::fs::Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn inode_of(_: &std::fs::Metadata) -> Option<(u64, u64)> {
    None
}

/// The absolute form of `path`: the longest part that exists is canonicalised (links and `..`
/// resolved), the rest (which cannot hold links) is normalised by its text.
fn resolve(path: &Path) -> std::io::Result<PathBuf> {
    let absolute = std::path::absolute(path)?;
    let mut existing = absolute.as_path();
    let mut rest = vec![];
    loop {
        if let Ok(real) = existing.canonicalize() {
            let mut out = real;
            for c in rest.iter().rev() {
                match c {
                    Component::ParentDir => {
                        out.pop();
                    }
                    Component::Normal(n) => out.push(n),
                    _ => {}
                }
            }
            return Ok(out);
        }
        let mut comps = existing.components();
        match comps.next_back() {
            Some(c) => rest.push(c),
            None => return Ok(absolute),
        }
        existing = comps.as_path();
        if existing.as_os_str().is_empty() {
            return Ok(absolute);
        }
    }
}

/// An output file, checked: where the bytes really go, and the folder to create first if missing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// The setting that named it (for messages).
    pub option: Field,
    /// The path as given.
    pub given: PathBuf,
    /// The file that is replaced: links followed.
    pub real: PathBuf,
    /// Its identity, to refuse an output that is an input or another output.
    pub identity: Identity,
    /// The folder to create before writing, if it does not exist yet.
    pub create: Option<PathBuf>,
}

impl OutputFile {
    /// The format its name asks for, GIF where it names none: the name as given, not the
    /// file a link leads to (`-o anim.webp`, a link to `target.img`, is a WebP).
    #[must_use]
    pub fn format(&self) -> Format {
        Format::of_path(&self.given).unwrap_or_default()
    }
}

/// The most links followed from one output path.
const MAX_LINKS: usize = 40;

/// Checks an output file path: a regular file or nothing yet (a link is followed to what it
/// names), in a folder that is a writable folder or can be created.
pub fn output_file(option: Field, path: &Path) -> Result<OutputFile> {
    let text = path.as_os_str().to_string_lossy();
    let ends_in_separator = text.ends_with('/') || text.ends_with(std::path::MAIN_SEPARATOR);
    let bad_name = matches!(path.components().next_back(), None | Some(Component::CurDir | Component::ParentDir));
    if ends_in_separator || bad_name || path.file_name().is_none() {
        return Err(Error::invalid(option, path.display(), "a file path, not a folder (e.g. output/x.gif)"));
    }
    let mut real = path.to_path_buf();
    for _ in 0..=MAX_LINKS {
        match std::fs::symlink_metadata(&real) {
            Ok(meta) if meta.is_symlink() => {
                let target = std::fs::read_link(&real)
                    .map_err(|e| Error::invalid(option, path.display(), format!("a link that can be read ({e})")))?;
                real = folder_of(&real).join(target);
            }
            Ok(meta) if meta.is_file() => return checked_file(option, path, real),
            Ok(meta) if meta.is_dir() => {
                let example = path.join("x.gif");
                return Err(Error::invalid(
                    option,
                    path.display(),
                    format!("a file path; this is a directory (a file in it: {})", example.display()),
                ));
            }
            Ok(meta) => {
                let kind = file_kind(&meta.file_type());
                let shown =
                    if real == path { String::new() } else { format!(" (the link leads to '{}')", real.display()) };
                return Err(Error::invalid(
                    option,
                    path.display(),
                    format!("a regular file or a new one; this is {kind}{shown}, and only regular files are replaced"),
                ));
            }
            // Nothing there yet, or a file where a folder of the path should be (which the
            // folder check names).
            Err(e) if matches!(e.kind(), std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory) => {
                return checked_file(option, path, real)
            }
            Err(e) => return Err(Error::invalid(option, path.display(), format!("a path that can be used ({e})"))),
        }
    }
    Err(Error::invalid(option, path.display(), format!("a path with at most {MAX_LINKS} links to follow")))
}

/// `real` is a regular file or nothing: check its folder.
fn checked_file(option: Field, given: &Path, real: PathBuf) -> Result<OutputFile> {
    let folder = folder_of(&real);
    let create = check_folder(option, folder)?;
    let resolved =
        resolve(&real).map_err(|e| Error::invalid(option, given.display(), format!("a usable path ({e})")))?;
    Ok(OutputFile { option, given: given.to_path_buf(), real, identity: Identity::of(resolved), create })
}

/// Checks an output folder: a writable folder (links followed), or a path where one can be
/// created. Returns the folder to create, if missing.
pub fn output_folder(option: Field, dir: &Path) -> Result<Option<PathBuf>> {
    check_folder(option, dir)
}

fn check_folder(option: Field, dir: &Path) -> Result<Option<PathBuf>> {
    if dir.as_os_str().is_empty() {
        return Err(Error::invalid(option, "", "a folder path, such as output"));
    }
    match std::fs::metadata(dir) {
        Ok(meta) if meta.is_dir() => match probe_folder(dir) {
            Ok(()) => Ok(None),
            Err(e) => Err(Error::invalid(option, dir.display(), format!("a folder that can be written ({e})"))),
        },
        Ok(meta) => Err(Error::invalid(
            option,
            dir.display(),
            format!("a folder; '{}' is {}", dir.display(), file_kind(&meta.file_type())),
        )),
        Err(e) if matches!(e.kind(), std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory) => {
            // The nearest folder that exists must be a folder: it is where creating starts.
            let mut ancestor = dir;
            while let Some(parent) = ancestor.parent() {
                ancestor = if parent.as_os_str().is_empty() { Path::new(".") } else { parent };
                match std::fs::metadata(ancestor) {
                    // Creating starts there: it must take a new folder, or the run would fail
                    // after its work (and as a failure to write, not a usage error).
                    Ok(m) if m.is_dir() => {
                        return match probe_folder(ancestor) {
                            Ok(()) => Ok(Some(dir.to_path_buf())),
                            Err(e) => Err(Error::invalid(
                                option,
                                dir.display(),
                                format!(
                                    "a folder that can be created ('{}' cannot be written: {e})",
                                    ancestor.display()
                                ),
                            )),
                        };
                    }
                    Ok(m) => {
                        return Err(Error::invalid(
                            option,
                            dir.display(),
                            format!("a folder path; '{}' is {}", ancestor.display(), file_kind(&m.file_type())),
                        ))
                    }
                    // Missing too: look one folder further up.
                    Err(e) if matches!(e.kind(), std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory) => {}
                    Err(e) => return Err(Error::invalid(option, dir.display(), format!("a usable folder ({e})"))),
                }
            }
            Ok(Some(dir.to_path_buf()))
        }
        Err(e) => Err(Error::invalid(option, dir.display(), format!("a usable folder ({e})"))),
    }
}

/// An input file's identity (e.g. `--data`), to refuse an output that would overwrite it.
pub fn input_identity(path: &Path) -> Option<Identity> {
    std::fs::canonicalize(path).ok().map(Identity::of)
}

/// Refuses two outputs, or an output and the data file (`data`, if the points come from one),
/// that are the same file; the message names both settings.
pub fn refuse_clashes<'a>(outputs: impl IntoIterator<Item = &'a OutputFile>, data: Option<&Path>) -> Result<()> {
    refuse_input_clashes(outputs, &[(Field::Data, data)])
}

/// [`refuse_clashes`] with any input files, each with the setting that names it (`data`,
/// `replay.log`).
pub fn refuse_input_clashes<'a>(
    outputs: impl IntoIterator<Item = &'a OutputFile>,
    inputs: &[(Field, Option<&Path>)],
) -> Result<()> {
    let inputs: Vec<(Field, Identity)> =
        inputs.iter().filter_map(|(name, path)| path.and_then(input_identity).map(|id| (*name, id))).collect();
    // Who first named each path and each (device, inode): one look-up an output, so a grid
    // of tens of thousands of files is checked in milliseconds.
    let mut by_path: HashMap<&Path, Field> = HashMap::new();
    let mut by_inode: HashMap<(u64, u64), Field> = HashMap::new();
    for (name, id) in &inputs {
        by_path.entry(id.real.as_path()).or_insert(*name);
        if let Some(inode) = id.inode {
            by_inode.entry(inode).or_insert(*name);
        }
    }
    for out in outputs {
        let id = &out.identity;
        let earlier = by_path.get(id.real.as_path()).or_else(|| id.inode.and_then(|i| by_inode.get(&i)));
        if let Some(other) = earlier {
            return Err(Error::invalid(
                out.option,
                out.given.display(),
                Advice::from("a different file from ")
                    .field(*other)
                    .text(format!(" (both name '{}')", id.real.display())),
            ));
        }
        by_path.insert(id.real.as_path(), out.option);
        if let Some(inode) = id.inode {
            by_inode.insert(inode, out.option);
        }
    }
    Ok(())
}

/// Creates the missing folders the checked outputs need; calls `created` for each. Then removes
/// the temporaries of these outputs that a killed run left beside them, an hour old or more
/// (`files::remove_stale`), and calls `removed` for each: the work is about to begin, and the
/// outputs are this run's to write.
pub fn create_folders<'a>(
    outputs: impl IntoIterator<Item = &'a OutputFile>,
    created: &mut dyn FnMut(&Path),
    removed: &mut dyn FnMut(&Path),
) -> Result<()> {
    let outputs: Vec<&OutputFile> = outputs.into_iter().collect();
    let mut done: Vec<PathBuf> = vec![];
    for dir in outputs.iter().filter_map(|o| o.create.clone()) {
        if done.contains(&dir) || dir.is_dir() {
            continue;
        }
        std::fs::create_dir_all(&dir).map_err(|source| Error::Io {
            action: "create the folder",
            path: dir.clone(),
            source,
        })?;
        created(&dir);
        done.push(dir);
    }
    for temporary in remove_stale(outputs.iter().map(|o| o.real.as_path()), STALE_AFTER) {
        removed(&temporary);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_normalises_missing_parts_and_resolves_existing_ones() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().canonicalize().unwrap();
        std::fs::create_dir(base.join("a")).unwrap();
        assert_eq!(resolve(&base.join("a/../x.gif")).unwrap(), base.join("x.gif"));
        assert_eq!(resolve(&base.join("new/./b/../x.gif")).unwrap(), base.join("new/x.gif"));
        assert_eq!(resolve(&base.join("a/x.gif")).unwrap(), base.join("a/x.gif"));
    }

    #[test]
    fn folders_are_created_once_missing_and_refused_under_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let out = output_file(Field::Output, &dir.path().join("blog/sgd/x.gif")).unwrap();
        assert_eq!(out.create, Some(dir.path().join("blog/sgd")));
        let mut made = vec![];
        create_folders([&out], &mut |p| made.push(p.to_path_buf()), &mut |_| {}).unwrap();
        assert_eq!(made, vec![dir.path().join("blog/sgd")]);
        assert!(dir.path().join("blog/sgd").is_dir());
        std::fs::write(dir.path().join("file"), b"x").unwrap();
        let err = output_file(Field::Output, &dir.path().join("file/sub/x.gif")).unwrap_err().to_string();
        assert!(err.contains("output") && err.contains("is a regular file"), "{err}");
    }

    /// The temporaries a killed run left for the outputs, once old, are removed and each is
    /// reported (the command line says so); a younger one is neither.
    #[test]
    fn old_temporaries_of_the_outputs_are_removed_and_reported() {
        let dir = tempfile::tempdir().unwrap();
        let out = output_file(Field::Output, &dir.path().join("x.gif")).unwrap();
        let aged = |name: &str, secs: u64| {
            let file = std::fs::File::create(dir.path().join(name)).unwrap();
            file.set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(secs)).unwrap();
        };
        aged(".x.gif.Old12345.tmp", 2 * 3600);
        aged(".x.gif.New12345.tmp", 60);
        let mut reported = vec![];
        create_folders([&out], &mut |_| {}, &mut |p| reported.push(p.to_path_buf())).unwrap();
        assert_eq!(reported, vec![out.real.parent().unwrap().join(".x.gif.Old12345.tmp")]);
        assert!(!reported[0].exists());
        assert!(dir.path().join(".x.gif.New12345.tmp").exists());
    }
}
