//! The post's whole set: every (learning rate, batch size) job over one shared dataset and
//! scene, in parallel with rayon. File bytes never depend on the thread count or order.

use crate::error::{Error, Result};
use crate::format::python_float;
use crate::job::{as_run, render_job, Progress, RenderSettings};
use crate::output::gallery::{self, Layout};
use crate::output::paths::{self, OutputFile};
use crate::output::Outcome;
use crate::render::Scene;
use crate::train::{check_batch_size, check_lr, check_training, BatchSize, Dataset, Optimizer, TrainSettings, Verdict};
use rayon::prelude::*;
use std::path::PathBuf;

/// The most worker threads a grid may ask for.
pub const MAX_THREADS: usize = 1024;

/// A grid of animations.
#[derive(Debug, Clone, PartialEq)]
pub struct GridSettings {
    /// Shared data, training template (its lr and batch size are replaced per job), look and timing.
    pub base: RenderSettings,
    /// Learning rates of the mini-batch runs.
    pub lrs: Vec<f64>,
    /// Batch sizes of the mini-batch runs.
    pub batch_sizes: Vec<usize>,
    /// Learning rates of the full-batch runs.
    pub gd_lrs: Vec<f64>,
    /// Folder the files go into (must exist).
    pub out_dir: PathBuf,
    /// Worker threads; `None` uses every core.
    pub threads: Option<usize>,
    /// Prefix of image paths in index.md and index.html.
    pub base_url: String,
    /// Folder for one JSON trace per run.
    pub trace_dir: Option<PathBuf>,
}

impl Default for GridSettings {
    fn default() -> Self {
        GridSettings {
            base: RenderSettings::default(),
            lrs: vec![0.01, 0.1, 1.0],
            batch_sizes: vec![1, 2, 4, 8, 16, 32, 64],
            gd_lrs: vec![0.1],
            out_dir: PathBuf::from("output"),
            threads: None,
            base_url: String::new(),
            trace_dir: None,
        }
    }
}

/// One animation of the grid.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    /// The file name, e.g. `line_sgd_0.1_16.gif`.
    pub file_name: String,
    /// Learning rate.
    pub lr: f64,
    /// Batch size.
    pub batch_size: BatchSize,
}

/// The file name of a job, with numbers spelled as Python spells floats, as in the post.
#[must_use]
pub fn file_name(optimizer: Optimizer, lr: f64, batch_size: BatchSize) -> String {
    let method = optimizer.file_stem(batch_size);
    match batch_size {
        BatchSize::Full => format!("line_{method}_{}.gif", python_float(lr)),
        BatchSize::Size(b) => format!("line_{method}_{}_{b}.gif", python_float(lr)),
    }
}

/// The jobs: the full-batch runs first, then the mini-batch runs, learning rate by learning rate.
#[must_use]
pub fn plan(settings: &GridSettings) -> Vec<Job> {
    let opt = settings.base.train.optimizer;
    let gd = settings.gd_lrs.iter().map(|&lr| (lr, BatchSize::Full));
    let sgd = settings.lrs.iter().flat_map(|&lr| settings.batch_sizes.iter().map(move |&b| (lr, BatchSize::Size(b))));
    gd.chain(sgd).map(|(lr, batch_size)| Job { file_name: file_name(opt, lr, batch_size), lr, batch_size }).collect()
}

/// What a grid made.
#[derive(Debug, Clone, PartialEq)]
pub struct GridReport {
    /// One outcome per job, in plan order.
    pub outcomes: Vec<Outcome>,
    /// The gallery files written (index.md, index.html, data.png).
    pub extras: Vec<PathBuf>,
    /// The gallery files that could not be written, one line each.
    pub gallery_errors: Vec<String>,
}

impl GridReport {
    /// The jobs that failed, one line each.
    #[must_use]
    pub fn failures(&self) -> Vec<String> {
        let jobs = self.outcomes.iter().filter_map(|o| o.error.as_ref().map(|e| format!("{}: {e}", o.path.display())));
        jobs.chain(self.gallery_errors.iter().cloned()).collect()
    }
}

fn check_list<T: PartialEq + std::fmt::Display>(option: &str, values: &[T]) -> Result<()> {
    for (i, v) in values.iter().enumerate() {
        if values[..i].contains(v) {
            return Err(Error::invalid(option, v, "each value once (this one is repeated)"));
        }
    }
    Ok(())
}

impl GridSettings {
    /// Checks every option before any work starts.
    pub fn validate(&self, n_points: usize) -> Result<()> {
        if self.lrs.is_empty() && self.gd_lrs.is_empty() {
            return Err(Error::invalid("grid.lrs", "", "at least one learning rate in lrs or gd_lrs"));
        }
        if !self.lrs.is_empty() && self.batch_sizes.is_empty() {
            return Err(Error::invalid("grid.batch_sizes", "", "at least one batch size, such as 16"));
        }
        check_list("grid.lrs", &self.lrs)?;
        check_list("grid.gd_lrs", &self.gd_lrs)?;
        check_list("grid.batch_sizes", &self.batch_sizes)?;
        for &lr in &self.lrs {
            check_lr("grid.lrs", lr)?;
        }
        for &lr in &self.gd_lrs {
            check_lr("grid.gd_lrs", lr)?;
        }
        for &b in &self.batch_sizes {
            check_batch_size("grid.batch_sizes", BatchSize::Size(b), n_points)?;
        }
        if let Some(n) = self.threads.filter(|n| !(1..=MAX_THREADS).contains(n)) {
            return Err(Error::invalid("grid.threads", n, format!("from 1 to {MAX_THREADS} threads")));
        }
        let template = TrainSettings { lr: 1.0, batch_size: BatchSize::Full, ..self.base.train.clone() };
        template.validate(n_points)?;
        Ok(())
    }
}

/// Every file a grid writes, checked before any work: its GIFs and traces, then the gallery.
struct Targets {
    gifs: Vec<OutputFile>,
    traces: Vec<Option<OutputFile>>,
    gallery: Vec<OutputFile>,
}

impl GridSettings {
    /// What its gallery lays out.
    #[must_use]
    pub fn layout(&self) -> Layout<'_> {
        Layout {
            lrs: &self.lrs,
            batch_sizes: &self.batch_sizes,
            gd_lrs: &self.gd_lrs,
            base_url: &self.base_url,
            width: self.base.scene.width,
            height: self.base.scene.height,
        }
    }

    fn targets(&self, jobs: &[Job]) -> Result<Targets> {
        // The folders first, so that a file where a folder should be is named as such.
        paths::output_folder("grid.out_dir", &self.out_dir)?;
        if let Some(dir) = &self.trace_dir {
            paths::output_folder("grid.trace_dir", dir)?;
        }
        let gifs = jobs
            .iter()
            .map(|job| paths::output_file("grid.out_dir", &self.out_dir.join(&job.file_name)))
            .collect::<Result<Vec<_>>>()?;
        let traces = jobs
            .iter()
            .map(|job| {
                let dir = self.trace_dir.as_ref();
                dir.map(|d| paths::output_file("grid.trace_dir", &d.join(job.file_name.replace(".gif", ".json"))))
                    .transpose()
            })
            .collect::<Result<Vec<_>>>()?;
        let gallery = gallery::GALLERY
            .iter()
            .map(|name| paths::output_file("grid.out_dir", &self.out_dir.join(name)))
            .collect::<Result<Vec<_>>>()?;
        let targets = Targets { gifs, traces, gallery };
        paths::refuse_clashes(targets.all(), self.base.data.file())?;
        Ok(targets)
    }
}

impl Targets {
    /// Every checked file: the GIFs, the traces, the gallery.
    fn all(&self) -> impl Iterator<Item = &OutputFile> {
        self.gifs.iter().chain(self.traces.iter().flatten()).chain(&self.gallery)
    }
}

/// Runs the grid: all jobs in parallel, then the gallery files. A failing job does not stop
/// the others; its error is in its outcome. Missing folders are created once everything is
/// checked.
pub fn run_grid(settings: &GridSettings, progress: &dyn Progress) -> Result<GridReport> {
    let jobs = plan(settings);
    settings.base.validate(jobs.len() as u64)?;
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
    let run_all = || -> Vec<Outcome> {
        jobs.par_iter()
            .zip(&runs)
            .zip(&targets.gifs)
            .zip(&targets.traces)
            .map(|(((job, train), gif), trace)| {
                let trace = trace.as_ref().map(|t| t.real.as_path());
                let outcome =
                    render_job(&data, &scene, train, &settings.base.timing, &gif.real, &gif.given, trace, progress)
                        .unwrap_or_else(|e| failed(job, &gif.given, e));
                progress.job_done(&outcome);
                outcome
            })
            .collect()
    };
    let outcomes = match settings.threads {
        None => run_all(),
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .map_err(|e| Error::invalid("grid.threads", n, format!("a thread count the system allows ({e})")))?
            .install(run_all),
    };
    if progress.cancelled() {
        return Err(Error::Interrupted);
    }
    let (extras, gallery_errors) = gallery::write_gallery(&settings.layout(), &scene, &outcomes, &targets.gallery);
    Ok(GridReport { outcomes, extras, gallery_errors })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_plan_is_the_posts_22_files() {
        let names: Vec<String> = plan(&GridSettings::default()).into_iter().map(|j| j.file_name).collect();
        assert_eq!(names.len(), 22);
        assert_eq!(names[0], "line_gd_0.1.gif");
        assert!(names.contains(&"line_sgd_1.0_16.gif".to_string()));
        assert!(names.contains(&"line_sgd_0.01_4.gif".to_string()));
        assert!(names.contains(&"line_sgd_0.1_64.gif".to_string()));
    }
}
