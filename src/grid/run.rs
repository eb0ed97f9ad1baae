//! `grid`: the files checked before any work ([`Targets`]), every job in the pool, each in
//! every format asked for, then the comparisons and the gallery.

use super::{comparisons, plan, Comparison, GridReport, GridSettings, Job};
use crate::error::{Error, Field, Result};
use crate::job::{as_run, render_job, FrameThreads, Progress, SideFiles};
use crate::output::batch::{commit, Batch, Committed, Files};
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

/// What a task made (its files staged in its batch): a job's outcome, or a comparison's.
enum Done {
    Job(Outcome),
    Compare(Compared),
}

/// A comparison's files as staged: its animation's (one a format), then its poster's.
struct Compared {
    animation: Result<()>,
    poster: Option<Result<()>>,
}

/// Runs the grid: all jobs and comparisons in parallel, then the gallery files. A failing job does not stop
/// the others; its error is in its outcome. Missing folders are created once everything is
/// checked. The files are written to temporaries and put in place together at one durability
/// point ([`commit`]): a stop before it leaves the old files, and no file is ever part-written.
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
    crate::job::create_folders(targets.all(), progress)?;
    // One pool for all the work, the comparisons (the longest: several runs each) first, a
    // task a file, so that no core idles while another finishes a long one.
    let comparisons = comparisons(settings);
    let work: Vec<Work> = (0..comparisons.len()).map(Work::Compare).chain((0..jobs.len()).map(Work::Job)).collect();
    let do_work = |w: &Work| {
        let batch = Batch::new();
        let done = match *w {
            Work::Job(i) => {
                let trace = targets.traces[i].as_ref();
                let (files, poster) = (&targets.animations[i], &targets.posters[i]);
                let outcome =
                    write_job(settings, &data, &scene, &jobs[i], &runs[i], files, poster, trace, &batch, progress);
                progress.job_done(&outcome);
                Done::Job(outcome)
            }
            Work::Compare(i) => {
                let (files, poster) = (&targets.compares[i], &targets.compare_posters[i]);
                Done::Compare(write_comparison(settings, &data, &comparisons[i], files, poster, &batch, progress))
            }
        };
        (done, batch)
    };
    let done: Vec<(Done, Batch)> = settings.in_pool(|| work.par_iter().with_max_len(1).map(do_work).collect())?;
    if progress.cancelled() {
        return Err(Error::Interrupted);
    }
    let (mut outcomes, mut compared, mut batches) = (vec![], vec![], vec![]);
    for (d, batch) in done {
        match d {
            Done::Job(outcome) => outcomes.push(outcome),
            Done::Compare(c) => compared.push(c),
        }
        batches.push(batch);
    }
    let mut made = CompareFiles::of(compared, &targets);
    let still = settings.still_scene(&data)?;
    let layout = settings.layout();
    let (extras, mut extra_errors) = gallery::extras(&made.written, |p| {
        batches.iter().find_map(|b| b.read_back(p)).unwrap_or_else(|| std::fs::File::open(p))
    });
    let pages = Batch::after_the_rest();
    let (mut gallery_files, gallery_errors) =
        gallery::write_gallery(&layout, &still, &outcomes, true, &extras, &targets.gallery, Files::Staged(&pages));
    if progress.cancelled() {
        return Err(Error::Interrupted);
    }
    batches.push(pages);
    // The work's order: the comparisons, then the jobs, then the pages.
    let mut committed = commit(batches).into_iter();
    made.fold((&mut committed).take(comparisons.len()), &targets);
    for ((outcome, result), i) in outcomes.iter_mut().zip(&mut committed).zip(0..) {
        let Committed::Failed(failed) = result else { continue };
        // A job's first failure is its outcome, as when its files are written in turn.
        let Some((path, e)) = failed.into_iter().next().filter(|_| outcome.error.is_none()) else { continue };
        let files = &targets.animations[i];
        let given = files.iter().find(|f| f.real == path).unwrap_or(&files[0]);
        *outcome = failed_job(&jobs[i], &given.given, e);
    }
    let mut gallery_errors = gallery_errors;
    match committed.next() {
        Some(Committed::Failed(failed)) => {
            for (path, e) in failed {
                if let Some(t) = targets.gallery.iter().find(|t| t.real == path) {
                    gallery_files.retain(|g| g != &t.given);
                    gallery_errors.push(format!("{}: {e}", t.given.display()));
                }
            }
        }
        Some(Committed::Skipped) => {
            // A file the pages named failed at the last moment: the pages again, from what is
            // in place now, each on its own.
            let (extras, errors) = gallery::extras(&made.written, |p| std::fs::File::open(p));
            extra_errors = errors;
            (gallery_files, gallery_errors) =
                gallery::write_gallery(&layout, &still, &outcomes, true, &extras, &targets.gallery, Files::Each);
        }
        _ => {}
    }
    extra_errors.extend(gallery_errors);
    Ok(GridReport {
        outcomes,
        comparisons: made.compared,
        comparison_posters: made.posters,
        comparison_errors: made.errors,
        pages: gallery_files,
        gallery_errors: extra_errors,
    })
}

/// The comparisons as written: their files (for the pages), their posters, and what failed.
struct CompareFiles {
    written: Vec<PathBuf>,
    compared: Vec<PathBuf>,
    posters: Vec<PathBuf>,
    errors: Vec<String>,
}

impl CompareFiles {
    /// The comparisons as staged.
    fn of(made: Vec<Compared>, targets: &Targets) -> CompareFiles {
        let mut out = CompareFiles { written: vec![], compared: vec![], posters: vec![], errors: vec![] };
        for ((made, files), poster) in made.into_iter().zip(&targets.compares).zip(&targets.compare_posters) {
            if let Err(e) = made.animation {
                out.errors.push(format!("{}: {e}", files[0].given.display()));
                continue;
            }
            out.written.extend(files.iter().map(|f| f.real.clone()));
            out.compared.push(files[0].given.clone());
            match made.poster {
                Some(Ok(())) => {
                    out.written.push(poster.real.clone());
                    out.posters.push(poster.given.clone());
                }
                Some(Err(e)) => out.errors.push(format!("{}: {e}", poster.given.display())),
                None => {}
            }
        }
        out
    }

    /// What the commit did with each comparison's files (in `targets`' order): those that
    /// failed then are no longer written.
    fn fold(&mut self, committed: impl Iterator<Item = Committed>, targets: &Targets) {
        for ((result, files), poster) in committed.zip(&targets.compares).zip(&targets.compare_posters) {
            let Committed::Failed(failed) = result else { continue };
            // The animation's files come first: after one fails, the rest were not put in place.
            let Some((path, e)) = failed.into_iter().next() else { continue };
            let animation_failed = files.iter().any(|f| f.real == path);
            if animation_failed {
                self.compared.retain(|c| c != &files[0].given);
                self.written.retain(|w| !files.iter().any(|f| &f.real == w) && w != &poster.real);
                self.posters.retain(|p| p != &poster.given);
                self.errors.push(format!("{}: {e}", files[0].given.display()));
            } else {
                self.written.retain(|w| w != &poster.real);
                self.posters.retain(|p| p != &poster.given);
                self.errors.push(format!("{}: {e}", poster.given.display()));
            }
        }
    }
}

/// Stages a comparison in each of its formats, as it is drawn, then its poster (the first
/// format's last frame as a PNG), into `batch`.
fn write_comparison(
    settings: &GridSettings,
    data: &Dataset,
    comparison: &Comparison,
    files: &[OutputFile],
    poster: &OutputFile,
    batch: &Batch,
    progress: &dyn Progress,
) -> Compared {
    let mut png = None;
    for file in files {
        let made = batch
            .write(&file.real, |w| comparison.write(file.format(), w, settings, data, progress).map(|(_, png)| png));
        match made {
            Ok(last) => {
                png.get_or_insert(last);
            }
            Err(e) => return Compared { animation: Err(e), poster: None },
        }
    }
    let poster = png.map(|png| Files::Staged(batch).write_bytes(&poster.real, &png));
    Compared { animation: Ok(()), poster }
}

/// Stages one job's files in `batch`: its GIF with the poster and the trace, then its other formats
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
    batch: &Batch,
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
        let made = render_job(
            data,
            scene,
            train,
            timing,
            &comment,
            file,
            side,
            Files::Staged(batch),
            progress,
            FrameThreads::One,
        )
        .unwrap_or_else(|e| failed_job(job, &file.given, e));
        let failed_now = made.error.is_some();
        if outcome.is_none() || failed_now {
            outcome = Some(made);
        }
        if failed_now {
            break;
        }
    }
    outcome.unwrap_or_else(|| failed_job(job, &poster.given, Error::Interrupted))
}

fn failed_job(job: &Job, output: &std::path::Path, e: Error) -> Outcome {
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
