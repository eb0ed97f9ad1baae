//! A run given as a folder: TensorBoard's (event files, in the folder or in run subfolders
//! whose names become the series' prefixes: Keras' `train/` and `validation/`), MLflow's run
//! folder (`metrics/<name>`, lines `timestamp value step`), or a folder holding one log a
//! tool names the same way every time (Lightning's `metrics.csv`, the Trainer's
//! `trainer_state.json`).

use super::events::{Broken, Scalars};
use crate::error::escape_controls;
use crate::error::{Error, Field, Result};
use std::path::{Path, PathBuf};

/// The most files a folder's walk looks at, so a wrong folder (a home) ends quickly.
const MAX_ENTRIES: usize = 10_000;

/// What a folder holds.
#[derive(Debug)]
pub(crate) enum Found {
    /// Event files, each with the prefix its series take (empty when one folder holds them all).
    Events(Vec<(PathBuf, String)>),
    /// MLflow's `metrics` folder of a run.
    Mlflow(PathBuf),
    /// A log file a tool writes under a fixed name.
    File(PathBuf),
    /// A log folder of several runs: each subfolder's name and path (see [`runs_of`]).
    Runs(Vec<(String, PathBuf)>),
}

/// The subfolder names a tool gives one run's splits (Keras writes `train/` and
/// `validation/`), which make series prefixes rather than runs.
const SPLITS: [&str; 8] = ["train", "training", "validation", "valid", "val", "eval", "test", "evaluation"];

/// The runs of a TensorBoard log folder whose event files are `events`: none when an event
/// file lies in the folder itself or every subfolder holding them is a split's (one run,
/// Keras' `train/` and `validation/`); else one a subfolder (`logs/adam/`, `logs/sgd/`,
/// each with its own event files or its own splits), in name order.
fn runs_of(dir: &Path, events: &[PathBuf]) -> Option<Vec<(String, PathBuf)>> {
    let mut runs: Vec<(String, PathBuf)> = vec![];
    for path in events {
        let relative = path.parent()?.strip_prefix(dir).ok()?;
        let first = relative.components().next()?.as_os_str().to_string_lossy().into_owned();
        if !runs.iter().any(|(name, _)| *name == first) {
            runs.push((first.clone(), dir.join(&first)));
        }
    }
    let splits = runs.iter().all(|(name, _)| SPLITS.contains(&name.to_ascii_lowercase().as_str()));
    (runs.len() > 1 && !splits).then_some(runs)
}

/// Whether `name` is a TensorBoard event file's.
fn is_event_file(name: &str) -> bool {
    name.contains("tfevents")
}

/// What `dir` holds; a folder with no log says which files it looked at.
pub(crate) fn find(dir: &Path) -> Result<Found> {
    let mut looked = vec![];
    let mut events = vec![];
    walk(dir, dir, 0, &mut events, &mut looked)?;
    if !events.is_empty() {
        events.sort();
        if let Some(runs) = runs_of(dir, &events) {
            return Ok(Found::Runs(runs));
        }
        let folders: std::collections::BTreeSet<&Path> = events.iter().filter_map(|p| p.parent()).collect();
        let prefixed = folders.len() > 1;
        let with_prefix = events
            .iter()
            .map(|path| {
                let folder = path.parent().and_then(|p| p.strip_prefix(dir).ok()).unwrap_or(Path::new(""));
                let prefix = folder.to_string_lossy().replace('\\', "/");
                let prefix = if prefixed && !prefix.is_empty() { format!("{prefix}/") } else { String::new() };
                (path.clone(), prefix)
            })
            .collect();
        return Ok(Found::Events(with_prefix));
    }
    let metrics = dir.join("metrics");
    if metrics.is_dir() {
        return Ok(Found::Mlflow(metrics));
    }
    for name in ["metrics.csv", "trainer_state.json"] {
        if dir.join(name).is_file() {
            return Ok(Found::File(dir.join(name)));
        }
    }
    looked.sort();
    let shown: Vec<String> = looked.iter().take(12).map(|p| escape_controls(p, &[]).into_owned()).collect();
    let more = if looked.len() > 12 { format!(" and {} more", looked.len() - 12) } else { String::new() };
    Err(Error::invalid(
        Field::ReplayLog,
        dir.display(),
        format!(
            "a log file, or a folder of TensorBoard event files (events.out.tfevents.*), an MLflow run (metrics/), \
             a metrics.csv or a trainer_state.json; the folder holds {}{more}",
            if shown.is_empty() { "nothing".to_string() } else { shown.join(", ") }
        ),
    ))
}

/// Gathers the event files under `folder` (three levels deep), noting the other files met.
fn walk(root: &Path, folder: &Path, depth: usize, events: &mut Vec<PathBuf>, looked: &mut Vec<String>) -> Result<()> {
    let io = |source| Error::Io { action: "read the folder", path: folder.to_path_buf(), source };
    let mut entries: Vec<_> = std::fs::read_dir(folder).map_err(io)?.filter_map(std::result::Result::ok).collect();
    entries.sort_by_key(std::fs::DirEntry::file_name);
    for entry in entries {
        if looked.len() + events.len() >= MAX_ENTRIES {
            break;
        }
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let relative = path.strip_prefix(root).unwrap_or(&path).to_string_lossy().into_owned();
        let kind = entry.file_type().map_err(io)?;
        if kind.is_dir() && depth < 3 && !name.starts_with('.') {
            looked.push(format!("{relative}/"));
            walk(root, &path, depth + 1, events, looked)?;
        } else if kind.is_file() && is_event_file(&name) {
            events.push(path);
        } else {
            looked.push(if kind.is_dir() { format!("{relative}/") } else { relative });
        }
    }
    Ok(())
}

/// The scalars of event files, each file's series named with its prefix. A damaged record
/// ends its file's read with the values before it kept; the notes say where.
pub(crate) fn read_events(files: &[(PathBuf, String)], notes: &mut Vec<String>) -> Result<Scalars> {
    let mut scalars = Scalars::default();
    for (path, prefix) in files {
        let file = crate::run::open_regular(path, Field::ReplayLog, "TensorBoard event file")?;
        let reader = std::io::BufReader::with_capacity(1 << 20, file);
        read_one(&mut scalars, reader, path, prefix, notes)?;
    }
    Ok(scalars)
}

/// One event stream into `scalars`; damage after some values is a note, before any an error.
pub(crate) fn read_one(
    scalars: &mut Scalars,
    reader: impl std::io::Read,
    path: &Path,
    prefix: &str,
    notes: &mut Vec<String>,
) -> Result<()> {
    let before = scalars.points.len();
    let read = scalars.read(reader, prefix);
    damage(read, scalars.points.len() > before, path, notes)
}

/// What a read that met `broken` gives: a note when it had read values (`some`), else an error.
pub(crate) fn damage(
    read: std::result::Result<(), Broken>,
    some: bool,
    path: &Path,
    notes: &mut Vec<String>,
) -> Result<()> {
    match read {
        Ok(()) => Ok(()),
        Err(Broken { offset: Some(offset), message }) if some => {
            notes.push(format!("{}: byte {offset}: {message}; the values before it are kept", path.display()));
            Ok(())
        }
        Err(Broken { offset: Some(offset), message }) => {
            Err(Error::Data { path: path.to_path_buf(), line: 0, message: format!("byte {offset}: {message}") })
        }
        Err(Broken { offset: None, message }) => {
            Err(Error::Io { action: "read", path: path.to_path_buf(), source: std::io::Error::other(message) })
        }
    }
}

/// MLflow's metric files (`metrics/<name>`, names may hold `/`): a line `timestamp value step`
/// a logged value.
pub(crate) fn read_mlflow(metrics: &Path) -> Result<Scalars> {
    let mut files = vec![];
    walk_all(metrics, &mut files)?;
    files.sort();
    let mut scalars = Scalars::default();
    for path in files {
        let name = path.strip_prefix(metrics).unwrap_or(&path).to_string_lossy().replace('\\', "/");
        let text = std::fs::read_to_string(&path).map_err(|source| Error::Io {
            action: "read",
            path: path.clone(),
            source,
        })?;
        for (k, line) in text.lines().enumerate() {
            let bad = |message: String| Error::Data { path: path.clone(), line: k + 1, message };
            let fields: Vec<&str> = line.split_whitespace().collect();
            if fields.is_empty() {
                continue;
            }
            let [_, value, step] = fields[..] else {
                return Err(bad(format!("expected 'timestamp value step', found {} fields", fields.len())));
            };
            let value: f64 =
                value.parse().map_err(|_| bad(format!("value '{}' is not a number", escape_controls(value, &[]))))?;
            let step: u64 = step
                .parse()
                .map_err(|_| bad(format!("step '{}' is not a whole number, 0 or more", escape_controls(step, &[]))))?;
            scalars.push(step, &name, value);
        }
    }
    Ok(scalars)
}

/// Every file under `folder`.
fn walk_all(folder: &Path, files: &mut Vec<PathBuf>) -> Result<()> {
    let io = |source| Error::Io { action: "read the folder", path: folder.to_path_buf(), source };
    for entry in std::fs::read_dir(folder).map_err(io)?.filter_map(std::result::Result::ok) {
        if files.len() >= MAX_ENTRIES {
            break;
        }
        let kind = entry.file_type().map_err(io)?;
        if kind.is_dir() {
            walk_all(&entry.path(), files)?;
        } else if kind.is_file() {
            files.push(entry.path());
        }
    }
    Ok(())
}
