//! `grid --check`: the set made in memory and compared, byte for byte, with a folder: the
//! runs' GIFs and the comparisons, and (unless only the GIFs are asked for) every poster,
//! data.png, the pages, the player script and the blog templates.

use super::{comparisons, plan, GridSettings};
use crate::error::{cut, Error, Field, Result};
use crate::job::{as_run, job_animation_and_poster, train_job, Progress};
use crate::output::gallery::{self, Contents, Extra};
use crate::output::info::inspect_reader;
use crate::output::provenance::{Provenance, VERSION};
use crate::output::Outcome;
use crate::render::Scene;
use crate::train::{check_training, Dataset, TrainSettings};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// A comparison made in memory: its (GIF) file name, its files (name and bytes, one per
/// format, GIF first) and its poster.
type MadeCompare = (String, Vec<(String, Vec<u8>)>, Vec<u8>);

/// A run as the check makes it: its outcome (for the pages), its files (one per format, GIF
/// first) and its poster.
type Made = (Outcome, Vec<(String, Vec<u8>)>, Vec<u8>);

/// Which of a grid's files `grid --check` compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CheckScope {
    /// Every file the grid writes into its folder: GIFs, posters, data.png, index.md,
    /// index.html, player.html, the player script and the templates. Default.
    #[default]
    Everything,
    /// The GIFs only: the runs' and the comparisons'.
    Gifs,
}

/// How one file of a grid compares with what this version makes.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FileCheck {
    /// Byte for byte what the grid makes.
    Matches,
    /// There is no such file.
    Missing,
    /// Other bytes; why, as far as the file tells.
    Differs(String),
    /// It cannot be read (not a regular file, no permission).
    Unreadable(String),
}

/// What [`check_grid`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckReport {
    /// Each file checked and how it compares: the runs' GIFs in plan order, the comparisons,
    /// then (with [`CheckScope::Everything`]) the posters, data.png and the pages.
    pub files: Vec<(PathBuf, FileCheck)>,
}

impl CheckReport {
    /// The files that do not match, one line each (`line_gd_0.1.gif: missing`).
    #[must_use]
    pub fn mismatches(&self) -> Vec<String> {
        let line = |(path, check): &(PathBuf, FileCheck)| {
            let path = path.display();
            match check {
                FileCheck::Matches => None,
                FileCheck::Missing => Some(format!("{path}: missing")),
                FileCheck::Differs(why) => Some(format!("{path}: differs: {why}")),
                FileCheck::Unreadable(why) => Some(format!("{path}: unreadable: {why}")),
            }
        };
        self.files.iter().filter_map(line).collect()
    }
}

/// Makes the grid's files in memory and compares each with the file of its name in
/// [`GridSettings::out_dir`], which must be a folder; writes nothing ([`GridSettings::trace_dir`]
/// is not read). `scope` says which files. Settings are checked as [`super::run_grid`] checks
/// them.
pub fn check_grid(settings: &GridSettings, scope: CheckScope, progress: &dyn Progress) -> Result<CheckReport> {
    let jobs = plan(settings);
    settings.validate_early(jobs.len() as u64)?;
    let dir = &settings.out_dir;
    check_folder(dir)?;
    let data: Dataset = settings.base.data.load()?;
    settings.validate(data.len())?;
    let runs: Vec<TrainSettings> =
        jobs.iter().map(|job| as_run(&settings.job(job).train, &settings.base.scene, false)).collect();
    check_training(&runs, data.len(), settings.base.force)?;
    let scene = Scene::new(&data, &settings.base.train, &settings.base.scene_settings())?;
    // Each run: its outcome (for the pages), its GIF and its poster, made in memory.
    let make_all = || -> Result<Vec<Made>> {
        jobs.par_iter()
            .zip(&runs)
            .map(|(job, train)| {
                let comment = settings.job(job).comment(data.len());
                let run = train_job(&data, train);
                let (mut files, mut poster) = (vec![], vec![]);
                for format in settings.formats_gif_first() {
                    let timing = &settings.base.timing;
                    let (bytes, png) =
                        job_animation_and_poster(format, &data, &scene, &run, timing, Some(&comment), progress)?;
                    files.push((format.file_name(&job.file_name), bytes));
                    if poster.is_empty() {
                        poster = png;
                    }
                }
                Ok((Outcome::of(&run, &dir.join(&job.file_name)), files, poster))
            })
            .collect()
    };
    let made = settings.in_pool(make_all)??;
    let compare_all = || -> Result<Vec<MadeCompare>> {
        comparisons(settings)
            .par_iter()
            .map(|c| {
                let (mut files, mut poster) = (vec![], vec![]);
                for format in settings.formats_gif_first() {
                    let (bytes, png) = c.write(format, Vec::new(), settings, &data, progress)?;
                    files.push((format.file_name(&c.file_name), bytes));
                    if poster.is_empty() {
                        poster = png;
                    }
                }
                Ok((c.file_name.clone(), files, poster))
            })
            .collect()
    };
    let compared = settings.in_pool(compare_all)??;
    if progress.cancelled() {
        return Err(Error::Interrupted);
    }
    let mut expected: Vec<(String, Vec<u8>)> = made.iter().flat_map(|m| m.1.iter().cloned()).collect();
    expected.extend(compared.iter().flat_map(|(_, files, _)| files.iter().cloned()));
    if scope == CheckScope::Everything {
        let posters = jobs.iter().zip(&made).map(|(j, m)| (gallery::poster_name(&j.file_name), m.2.clone()));
        expected.extend(posters);
        for (name, _, poster) in &compared {
            expected.push((gallery::poster_name(name), poster.clone()));
        }
        let extras: Vec<Extra> = compared
            .iter()
            .map(|(name, files, _)| gallery::extra_of(name, files[0].1.as_slice(), true))
            .collect::<Result<_>>()?;
        let outcomes: Vec<Outcome> = made.into_iter().map(|m| m.0).collect();
        let contents = Contents { outcomes: &outcomes, posters: true, data: true, extras: &extras };
        expected.push((gallery::GALLERY[0].to_string(), gallery::data_png(&settings.still_scene(&data)?)?));
        let pages = gallery::pages(&settings.layout(), &contents);
        expected.extend(pages.into_iter().map(|(name, bytes)| (name.to_string(), bytes)));
    }
    let files = expected
        .iter()
        .map(|(name, bytes)| {
            let path = dir.join(name);
            let check = check_file(&path, bytes);
            (path, check)
        })
        .collect();
    Ok(CheckReport { files })
}

/// `dir` is an existing folder.
fn check_folder(dir: &Path) -> Result<()> {
    match std::fs::metadata(dir) {
        Ok(meta) if meta.is_dir() => Ok(()),
        Ok(meta) => {
            let kind = crate::error::file_kind(&meta.file_type());
            Err(Error::invalid(Field::GridCheck, dir.display(), format!("a folder of GIFs, but it is {kind}")))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Err(Error::invalid(Field::GridCheck, dir.display(), "an existing folder of GIFs made by grid"))
        }
        Err(e) => Err(Error::Io { action: "read", path: dir.to_path_buf(), source: e }),
    }
}

/// Compares the file at `path` with `expected`.
fn check_file(path: &Path, expected: &[u8]) -> FileCheck {
    use std::io::Read;
    let not_a_file = |meta: &std::fs::Metadata| {
        let kind = crate::error::file_kind(&meta.file_type());
        (!meta.is_file()).then(|| FileCheck::Unreadable(format!("it is {kind}, not a regular file")))
    };
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return FileCheck::Missing,
        Err(e) => return FileCheck::Unreadable(e.to_string()),
        Ok(meta) => {
            if let Some(check) = not_a_file(&meta) {
                return check;
            }
        }
    }
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) => return FileCheck::Unreadable(e.to_string()),
    };
    match file.metadata() {
        Ok(meta) => {
            if let Some(check) = not_a_file(&meta) {
                return check;
            }
        }
        Err(e) => return FileCheck::Unreadable(e.to_string()),
    }
    // Enough to read a GIF made with other settings whole (its comment says which), not a
    // file of any size.
    let cap = (expected.len() as u64).saturating_mul(16).max(1 << 20);
    let mut found = Vec::with_capacity(expected.len() + 1);
    if let Err(e) = file.take(cap).read_to_end(&mut found) {
        return FileCheck::Unreadable(e.to_string());
    }
    if found == expected {
        return FileCheck::Matches;
    }
    FileCheck::Differs(why_different(path, &found, expected))
}

/// Why a file differs from what this version makes: for an animation, as far as its comment tells;
/// for the others, where the bytes part.
fn why_different(path: &Path, found: &[u8], expected: &[u8]) -> String {
    if found.len() < expected.len() && expected.starts_with(found) {
        return format!("truncated: its {} bytes are the start of the {} expected", found.len(), expected.len());
    }
    let Some(format) = crate::encode::Format::of_path(path) else {
        return where_they_part(path, found, expected);
    };
    let made = |bytes: &[u8]| inspect_reader(bytes, path).ok().and_then(|i| i.provenance);
    let info = match inspect_reader(found, path) {
        Ok(info) => info,
        Err(e) => {
            let e = e.to_string();
            let why = e.strip_prefix(&format!("{}: ", path.display())).unwrap_or(&e);
            return format!("corrupt: not a whole {} ({why})", format.name().to_uppercase());
        }
    };
    match (info.provenance, made(expected)) {
        (None, _) => {
            "it has no sgd-anim comment (another tool or an older sgd-anim made it, or an edit dropped it)".into()
        }
        (Some(p), _) if p.version != VERSION => format!("made by sgd-anim {}; this is {VERSION}", cut(&p.version)),
        (Some(p), Some(want)) if p.comment() != want.comment() => made_with(&p, &want),
        (Some(_), _) => "same version and command, other bytes (changed after it was made?)".into(),
    }
}

/// "made with other settings: its command is X; these options make Y".
fn made_with(found: &Provenance, want: &Provenance) -> String {
    let printable = |s: &str| s.chars().flat_map(char::escape_debug).collect::<String>();
    let mut text = format!(
        "made with other settings: its comment says `{}`; these options make `{}`",
        printable(&found.command),
        want.command
    );
    if found.command == want.command {
        text.push_str(" (the same command: its notes differ)");
    }
    text
}

/// Where two files' bytes first part: a line for text, a byte offset for the rest.
fn where_they_part(path: &Path, found: &[u8], expected: &[u8]) -> String {
    let at = found.iter().zip(expected).take_while(|(a, b)| a == b).count();
    let is_text = !path.extension().is_some_and(|e| e.eq_ignore_ascii_case("png"));
    if is_text {
        let line = expected[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        return format!("edited: it parts from what these options make at line {line}");
    }
    if found.len() > expected.len() && found.starts_with(expected) {
        return format!("longer than the {} bytes expected", expected.len());
    }
    format!("other pixels or bytes: it parts from what these options make at byte {at}")
}
