//! `grid`: the files checked before any work ([`Targets`]), every job in the pool, each in
//! every format asked for, then the comparisons and the gallery.

use super::{comparisons, plan, Comparison, GridReport, GridSettings, Job};
use crate::error::{Error, Field, Result};
use crate::job::{as_run, render_job, Progress, SideFiles};
use crate::output::files::{write_atomic, write_bytes_atomic};
use crate::output::gallery;
use crate::output::paths::{self, OutputFile};
use crate::output::Outcome;
use crate::render::Scene;
use crate::train::{check_training, Dataset, TrainSettings, Verdict};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Every file a grid writes, checked before any work: its animations (one a format), their
/// posters and traces, then the gallery.
struct Targets {
    animations: Vec<Vec<OutputFile>>,
    posters: Vec<OutputFile>,
    traces: Vec<Option<OutputFile>>,
    compares: Vec<Vec<OutputFile>>,
    compare_posters: Vec<OutputFile>,
    gallery: Vec<OutputFile>,
}

impl GridSettings {
    fn targets(&self, jobs: &[Job]) -> Result<Targets> {
        // The folders first, so that a file where a folder should be is named as such.
        paths::output_folder(Field::GridOutDir, &self.out_dir)?;
        if let Some(dir) = &self.trace_dir {
            paths::output_folder(Field::GridTraceDir, dir)?;
        }
        let animations = jobs.iter().map(|job| self.files_of(&job.file_name)).collect::<Result<Vec<_>>>()?;
        let posters = jobs
            .iter()
            .map(|job| paths::output_file(Field::GridOutDir, &self.out_dir.join(gallery::poster_name(&job.file_name))))
            .collect::<Result<Vec<_>>>()?;
        let traces = jobs
            .iter()
            .map(|job| {
                let dir = self.trace_dir.as_ref();
                let name = Path::new(&job.file_name).with_extension("json");
                dir.map(|d| paths::output_file(Field::GridTraceDir, &d.join(&name))).transpose()
            })
            .collect::<Result<Vec<_>>>()?;
        let comparisons = comparisons(self);
        let compares = comparisons.iter().map(|c| self.files_of(&c.file_name)).collect::<Result<Vec<_>>>()?;
        let compare_posters = comparisons
            .iter()
            .map(|c| paths::output_file(Field::GridOutDir, &self.out_dir.join(gallery::poster_name(&c.file_name))))
            .collect::<Result<Vec<_>>>()?;
        let gallery = gallery::GALLERY
            .iter()
            .map(|name| paths::output_file(Field::GridOutDir, &self.out_dir.join(name)))
            .collect::<Result<Vec<_>>>()?;
        let targets = Targets { animations, posters, traces, compares, compare_posters, gallery };
        paths::refuse_clashes(targets.all(), self.base.data.file())?;
        Ok(targets)
    }

    /// The checked files of the animation named `gif_name`, one per format, GIF first.
    fn files_of(&self, gif_name: &str) -> Result<Vec<OutputFile>> {
        self.formats_gif_first()
            .map(|f| paths::output_file(Field::GridOutDir, &self.out_dir.join(f.file_name(gif_name))))
            .collect()
    }
}

impl Targets {
    /// Every checked file: the animations, their posters, the traces, the gallery.
    fn all(&self) -> impl Iterator<Item = &OutputFile> {
        self.animations
            .iter()
            .flatten()
            .chain(&self.posters)
            .chain(self.traces.iter().flatten())
            .chain(self.compares.iter().flatten())
            .chain(&self.compare_posters)
            .chain(&self.gallery)
    }
}

/// A task of the grid's pool: a job's files, or a comparison's.
enum Work {
    Job(usize),
    Compare(usize),
}

/// What a task made: a job's outcome, or a comparison's poster (its last frame as a PNG).
enum Done {
    Job(Outcome),
    Compare(Result<Vec<u8>>),
}

/// Runs the grid: all jobs and comparisons in parallel, then the gallery files. A failing job does not stop
/// the others; its error is in its outcome. Missing folders are created once everything is
/// checked.
pub fn run_grid(settings: &GridSettings, progress: &dyn Progress) -> Result<GridReport> {
    let jobs = plan(settings);
    settings.validate_early(jobs.len() as u64)?;
    let targets = settings.targets(&jobs)?;
    let data: Dataset = settings.base.data.load()?;
    settings.validate(data.len())?;
    // Each job's training, as it will run (batches kept only where something needs them).
    let traced = settings.trace_dir.is_some();
    let runs: Vec<TrainSettings> = jobs
        .iter()
        .map(|job| TrainSettings { lr: job.lr, batch_size: job.batch_size, ..settings.base.train.clone() })
        .map(|train| as_run(&train, &settings.base.scene, traced))
        .collect();
    check_training(&runs, data.len(), settings.base.force)?;
    let scene = Scene::new(&data, &settings.base.train, &settings.base.scene_settings())?;
    paths::create_folders(targets.all(), &mut |d| progress.folder_created(d))?;
    // One pool for all the work, the comparisons (the longest: several runs each) first, a
    // task a file, so that no core idles while another finishes a long one.
    let comparisons = comparisons(settings);
    let work: Vec<Work> = (0..comparisons.len()).map(Work::Compare).chain((0..jobs.len()).map(Work::Job)).collect();
    let do_work = |w: &Work| match *w {
        Work::Job(i) => {
            let trace = targets.traces[i].as_ref();
            let (files, poster) = (&targets.animations[i], &targets.posters[i]);
            let outcome = write_job(settings, &data, &scene, &jobs[i], &runs[i], files, poster, trace, progress);
            progress.job_done(&outcome);
            Done::Job(outcome)
        }
        Work::Compare(i) => {
            Done::Compare(write_comparison(settings, &data, &comparisons[i], &targets.compares[i], progress))
        }
    };
    let done: Vec<Done> = settings.in_pool(|| work.par_iter().with_max_len(1).map(do_work).collect())?;
    if progress.cancelled() {
        return Err(Error::Interrupted);
    }
    let (mut outcomes, mut made) = (vec![], vec![]);
    for d in done {
        match d {
            Done::Job(outcome) => outcomes.push(outcome),
            Done::Compare(poster) => made.push(poster),
        }
    }
    let made = CompareFiles::of(made, &targets);
    if progress.cancelled() {
        return Err(Error::Interrupted);
    }
    let still = settings.still_scene(&data)?;
    let (gallery_files, gallery_errors) =
        gallery::write_gallery(&settings.layout(), &still, &outcomes, true, &made.written, &targets.gallery);
    Ok(GridReport {
        outcomes,
        comparisons: made.compared,
        comparison_posters: made.posters,
        comparison_errors: made.errors,
        pages: gallery_files,
        gallery_errors,
    })
}

/// The comparisons as written: their files (for the pages), their posters written from the
/// last frames they came back with, and what failed.
struct CompareFiles {
    written: Vec<PathBuf>,
    compared: Vec<PathBuf>,
    posters: Vec<PathBuf>,
    errors: Vec<String>,
}

impl CompareFiles {
    fn of(made: Vec<Result<Vec<u8>>>, targets: &Targets) -> CompareFiles {
        let mut out = CompareFiles { written: vec![], compared: vec![], posters: vec![], errors: vec![] };
        for ((poster_png, files), poster) in made.into_iter().zip(&targets.compares).zip(&targets.compare_posters) {
            let poster_png = match poster_png {
                Ok(png) => png,
                Err(e) => {
                    out.errors.push(format!("{}: {e}", files[0].given.display()));
                    continue;
                }
            };
            out.written.extend(files.iter().map(|f| f.real.clone()));
            out.compared.push(files[0].given.clone());
            match write_bytes_atomic(&poster.real, &poster_png) {
                Ok(()) => {
                    out.written.push(poster.real.clone());
                    out.posters.push(poster.given.clone());
                }
                Err(e) => out.errors.push(format!("{}: {e}", poster.given.display())),
            }
        }
        out
    }
}

/// Writes a comparison in each of its formats, as it is drawn; its poster, the first
/// format's last frame as a PNG, comes back.
fn write_comparison(
    settings: &GridSettings,
    data: &Dataset,
    comparison: &Comparison,
    files: &[OutputFile],
    progress: &dyn Progress,
) -> Result<Vec<u8>> {
    let mut poster = None;
    for file in files {
        let png = write_atomic(&file.real, |w| {
            comparison.write(file.format(), w, settings, data, progress).map(|(_, png)| png)
        })?;
        poster.get_or_insert(png);
    }
    Ok(poster.unwrap_or_default())
}

/// Writes one job's files: its GIF with the poster and the trace, then its other formats
/// (the same frames). The outcome is the GIF's, or the first failure's.
#[allow(clippy::too_many_arguments)]
fn write_job(
    settings: &GridSettings,
    data: &Dataset,
    scene: &Scene,
    job: &Job,
    train: &TrainSettings,
    files: &[OutputFile],
    poster: &OutputFile,
    trace: Option<&OutputFile>,
    progress: &dyn Progress,
) -> Outcome {
    let comment = settings.job(job).comment(data.len());
    let timing = &settings.base.timing;
    let mut outcome = None;
    for (k, file) in files.iter().enumerate() {
        let side = match k {
            0 => SideFiles { trace: trace.map(|t| t.real.as_path()), poster: Some(&poster.real) },
            _ => SideFiles::default(),
        };
        let made = render_job(data, scene, train, timing, &comment, file, side, progress)
            .unwrap_or_else(|e| failed(job, &file.given, e));
        let failed_now = made.error.is_some();
        if outcome.is_none() || failed_now {
            outcome = Some(made);
        }
        if failed_now {
            break;
        }
    }
    outcome.unwrap_or_else(|| failed(job, &poster.given, Error::Interrupted))
}

fn failed(job: &Job, output: &std::path::Path, e: Error) -> Outcome {
    Outcome {
        path: output.to_path_buf(),
        label: job.file_name.clone(),
        lr: job.lr,
        batch_size: job.batch_size,
        final_slope: f64::NAN,
        final_intercept: f64::NAN,
        final_loss: f64::NAN,
        diverged_at: None,
        verdict: Verdict::Settled,
        error: Some(e.to_string()),
    }
}
