//! The post's whole set: every (learning rate, batch size) job over one shared dataset and
//! scene, in parallel with rayon. File bytes never depend on the thread count or order, and
//! each file is the one `render` makes for its job (its comment included). [`check_grid`]
//! makes the set in memory and compares it with a folder.

use crate::error::{cut, Error, Result};
use crate::format::python_float;
use crate::job::{as_run, job_gif, render_job, train_job, write_compare, Progress, RenderSettings, SideFiles};
use crate::output::files::write_atomic;
use crate::output::gallery::{self, Layout};
use crate::output::info::inspect_reader;
use crate::output::paths::{self, OutputFile};
use crate::output::provenance::VERSION;
use crate::output::Outcome;
use crate::render::compare::Tiling;
use crate::render::{Limits, Scene, SceneSettings};
use crate::train::{check_batch_size, check_lr, check_training, BatchSize, Dataset, Optimizer, TrainSettings, Verdict};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

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
    /// The comparison and gallery files written (compare_*.gif, data.png, index.md, index.html,
    /// player.html).
    pub extras: Vec<PathBuf>,
    /// The comparison and gallery files that could not be written, one line each.
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

/// Every file a grid writes, checked before any work: its GIFs, their posters and traces,
/// then the gallery.
struct Targets {
    gifs: Vec<OutputFile>,
    posters: Vec<OutputFile>,
    traces: Vec<Option<OutputFile>>,
    compares: Vec<OutputFile>,
    gallery: Vec<OutputFile>,
}

/// One of the post's comparisons, as one animation whose panels step together.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// Its file name: `compare_lr_bs16.gif`, `compare_bs_lr0.1.gif`, `compare_grid.gif`.
    pub file_name: String,
    /// Its panels' (learning rate, batch size), in reading order.
    pub panels: Vec<(f64, usize)>,
    /// Panels to a row.
    pub columns: u32,
}

/// The width of a blog's text column, which comparisons are laid out to fill.
pub const COLUMN_WIDTH: u32 = 740;

/// The post's comparisons of a grid's mini-batch runs: the learning rates at batch size 16
/// (or the middle batch size), the batch sizes at lr 0.1 (or the middle rate), and the whole
/// grid (a column per learning rate, a row per batch size, so it reads in a 740 px column),
/// or where that would be taller than [`MAX_HEIGHT`] (the post's 3 x 7 runs), the batch
/// sizes at each other learning rate (`compare_bs_lr0.01.gif`, `compare_bs_lr1.0.gif`);
/// each only where it compares two runs or more.
#[must_use]
pub fn comparisons(settings: &GridSettings) -> Vec<Comparison> {
    let (lrs, sizes) = (&settings.lrs, &settings.batch_sizes);
    // The values held fixed and the names are the gallery's, which links these files.
    let layout = settings.layout();
    // As many panels to a row as the column holds at the smallest panel that holds a chart.
    let max_columns = (COLUMN_WIDTH / crate::render::MIN_SIZE) as usize;
    let mut out = vec![];
    if let (true, Some(b), Some(file_name)) = (lrs.len() >= 2, layout.fixed_batch_size(), layout.compare_lr_name()) {
        out.push(Comparison {
            file_name,
            panels: lrs.iter().map(|&lr| (lr, b)).collect(),
            columns: lrs.len().min(max_columns) as u32,
        });
    }
    if let (true, Some(lr), Some(file_name)) = (sizes.len() >= 2, layout.fixed_lr(), layout.compare_bs_name()) {
        out.push(Comparison {
            file_name,
            panels: sizes.iter().map(|&b| (lr, b)).collect(),
            columns: sizes.len().min(max_columns) as u32,
        });
    }
    if let (true, Some(file_name)) =
        (lrs.len() >= 2 && sizes.len() >= 2 && lrs.len() <= max_columns, layout.compare_grid_name())
    {
        let whole = Comparison {
            file_name,
            panels: sizes.iter().flat_map(|&b| lrs.iter().map(move |&lr| (lr, b))).collect(),
            columns: lrs.len() as u32,
        };
        if whole.height() <= MAX_HEIGHT {
            out.push(whole);
        } else {
            // Too tall to read in a column: the grid as the batch sizes at each of the other
            // learning rates, beside the fixed one's above.
            let columns = sizes.len().min(max_columns) as u32;
            for &lr in lrs.iter().filter(|&&lr| Some(lr) != layout.fixed_lr()) {
                out.push(Comparison {
                    file_name: format!("compare_bs_lr{}.gif", python_float(lr)),
                    panels: sizes.iter().map(|&b| (lr, b)).collect(),
                    columns,
                });
            }
        }
    }
    out
}

/// The tallest comparison the grid writes, in pixels: taller ones cannot be seen whole on a
/// screen beside the text that discusses them.
pub const MAX_HEIGHT: u32 = 900;

impl Comparison {
    /// Its frames' height, laid out for a blog's column.
    #[must_use]
    pub fn height(&self) -> u32 {
        Tiling::for_column(COLUMN_WIDTH, self.columns).size(self.panels.len()).1
    }

    /// Its panels' training, as their jobs run it.
    fn trains(&self, settings: &GridSettings) -> Vec<TrainSettings> {
        self.panels
            .iter()
            .map(|&(lr, b)| TrainSettings { lr, batch_size: BatchSize::Size(b), ..settings.base.train.clone() })
            .map(|t| as_run(&t, &settings.base.scene, false))
            .collect()
    }

    /// Writes it into `out`.
    fn write<W: std::io::Write>(
        &self,
        out: W,
        settings: &GridSettings,
        data: &Dataset,
        progress: &dyn Progress,
    ) -> Result<W> {
        let tiling = Tiling::for_column(COLUMN_WIDTH, self.columns);
        write_compare(out, data, &self.trains(settings), &settings.base, tiling, progress)
    }
}

impl GridSettings {
    /// The settings of one job: `render` with them makes the job's file.
    #[must_use]
    pub fn job(&self, job: &Job) -> RenderSettings {
        let train = TrainSettings { lr: job.lr, batch_size: job.batch_size, ..self.base.train.clone() };
        RenderSettings { train, ..self.base.clone() }
    }

    /// Runs `work` on [`GridSettings::threads`] threads (rayon's global pool when `None`).
    fn in_pool<T: Send>(&self, work: impl FnOnce() -> T + Send) -> Result<T> {
        match self.threads {
            None => Ok(work()),
            Some(n) => Ok(rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .map_err(|e| Error::invalid("grid.threads", n, format!("a thread count the system allows ({e})")))?
                .install(work)),
        }
    }

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
            steps: self.base.train.steps,
            start: self.base.train.start,
            optimizer: self.base.train.optimizer,
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
        let posters = jobs
            .iter()
            .map(|job| paths::output_file("grid.out_dir", &self.out_dir.join(gallery::poster_name(&job.file_name))))
            .collect::<Result<Vec<_>>>()?;
        let traces = jobs
            .iter()
            .map(|job| {
                let dir = self.trace_dir.as_ref();
                dir.map(|d| paths::output_file("grid.trace_dir", &d.join(job.file_name.replace(".gif", ".json"))))
                    .transpose()
            })
            .collect::<Result<Vec<_>>>()?;
        let compares = comparisons(self)
            .iter()
            .map(|c| paths::output_file("grid.out_dir", &self.out_dir.join(&c.file_name)))
            .collect::<Result<Vec<_>>>()?;
        let gallery = gallery::GALLERY
            .iter()
            .map(|name| paths::output_file("grid.out_dir", &self.out_dir.join(name)))
            .collect::<Result<Vec<_>>>()?;
        let targets = Targets { gifs, posters, traces, compares, gallery };
        paths::refuse_clashes(targets.all(), self.base.data.file())?;
        Ok(targets)
    }
}

impl Targets {
    /// Every checked file: the GIFs, their posters, the traces, the gallery.
    fn all(&self) -> impl Iterator<Item = &OutputFile> {
        self.gifs
            .iter()
            .chain(&self.posters)
            .chain(self.traces.iter().flatten())
            .chain(&self.compares)
            .chain(&self.gallery)
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
            .zip(&targets.posters)
            .zip(&targets.traces)
            .map(|((((job, train), gif), poster), trace)| {
                let side = SideFiles { trace: trace.as_ref().map(|t| t.real.as_path()), poster: Some(&poster.real) };
                let comment = settings.job(job).comment(data.len());
                let timing = &settings.base.timing;
                let outcome = render_job(&data, &scene, train, timing, &comment, &gif.real, &gif.given, side, progress)
                    .unwrap_or_else(|e| failed(job, &gif.given, e));
                progress.job_done(&outcome);
                outcome
            })
            .collect()
    };
    let outcomes = settings.in_pool(run_all)?;
    if progress.cancelled() {
        return Err(Error::Interrupted);
    }
    let compare_all = || -> Vec<(&OutputFile, Result<()>)> {
        comparisons(settings)
            .par_iter()
            .zip(&targets.compares)
            .map(|(c, file)| (file, write_atomic(&file.real, |w| c.write(w, settings, &data, progress).map(|_| ()))))
            .collect()
    };
    // The files written besides the runs' GIFs and posters (the comparisons), for the pages.
    let mut written: Vec<PathBuf> = vec![];
    let mut compared = vec![];
    let mut compare_errors = vec![];
    for (file, result) in settings.in_pool(compare_all)? {
        match result {
            Ok(()) => {
                written.push(file.real.clone());
                compared.push(file.given.clone());
            }
            Err(e) => compare_errors.push(format!("{}: {e}", file.given.display())),
        }
    }
    if progress.cancelled() {
        return Err(Error::Interrupted);
    }
    // data.png is the post's first figure, `plt.scatter(x, y)` alone: its axes autoscale to
    // the points (5 % margins), with no room kept for a start line or a title.
    let still_settings = SceneSettings { limits: Limits::Data, caption: false, ..settings.base.scene_settings() };
    let still = Scene::new(&data, &settings.base.train, &still_settings)?;
    let (gallery_files, gallery_errors) =
        gallery::write_gallery(&settings.layout(), &still, &outcomes, true, &written, &targets.gallery);
    let extras = compared.into_iter().chain(gallery_files).collect();
    Ok(GridReport { outcomes, extras, gallery_errors: compare_errors.into_iter().chain(gallery_errors).collect() })
}

/// Makes one comparison animation of the mini-batch runs of `lrs` x `batch_sizes` over
/// `base` (its training, data and look): a column per learning rate, a row per batch size
/// (one row of up to three columns when only one of the lists has several values), laid out
/// for a 740 px column where the panels fit, wider where they do not. Returns the file's
/// outcomes, one per panel.
pub fn compare(
    base: &RenderSettings,
    lrs: &[f64],
    batch_sizes: &[usize],
    output: &Path,
    progress: &dyn Progress,
) -> Result<Vec<Outcome>> {
    let grid = GridSettings {
        base: base.clone(),
        lrs: lrs.to_vec(),
        batch_sizes: batch_sizes.to_vec(),
        gd_lrs: vec![],
        ..GridSettings::default()
    };
    let panels = lrs.len() * batch_sizes.len();
    base.validate(panels as u64)?;
    let out = paths::output_file("output", output)?;
    paths::refuse_clashes(std::slice::from_ref(&out), base.data.file())?;
    let data: Dataset = base.data.load()?;
    grid.validate(data.len())?;
    let max_columns = (COLUMN_WIDTH / crate::render::MIN_SIZE) as usize;
    let columns = if lrs.len() > 1 && batch_sizes.len() > 1 { lrs.len() } else { panels.min(max_columns) };
    let comparison = Comparison {
        file_name: output.display().to_string(),
        panels: batch_sizes.iter().flat_map(|&b| lrs.iter().map(move |&lr| (lr, b))).collect(),
        columns: columns.max(1) as u32,
    };
    let trains = comparison.trains(&grid);
    check_training(&trains, data.len(), base.force)?;
    paths::create_folders(std::slice::from_ref(&out), &mut |d| progress.folder_created(d))?;
    let width = COLUMN_WIDTH.max(crate::render::MIN_SIZE * comparison.columns);
    let tiling = Tiling::for_column(width, comparison.columns);
    write_atomic(&out.real, |w| write_compare(w, &data, &trains, base, tiling, progress).map(|_| ()))?;
    // One row a panel, named by its run.
    Ok(trains
        .iter()
        .map(|t| {
            let run = train_job(&data, t);
            Outcome::of(&run, Path::new(&crate::render::caption::run_label(&run)))
        })
        .collect())
}

/// How one file of a grid compares with what this version makes.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FileCheck {
    /// Byte for byte what the grid makes.
    Matches,
    /// There is no such file.
    Missing,
    /// Other bytes; why, as far as the file's comment tells.
    Differs(String),
    /// It cannot be read (not a regular file, no permission).
    Unreadable(String),
}

/// What [`check_grid`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckReport {
    /// Each of the grid's GIFs, in plan order, and how it compares.
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

/// Makes the grid's GIFs in memory and compares each with the file of its name in
/// [`GridSettings::out_dir`], which must be a folder; writes nothing (no gallery, no traces:
/// [`GridSettings::trace_dir`] is not read). Settings are checked as [`run_grid`] checks them.
pub fn check_grid(settings: &GridSettings, progress: &dyn Progress) -> Result<CheckReport> {
    let jobs = plan(settings);
    settings.base.validate(jobs.len() as u64)?;
    let dir = &settings.out_dir;
    let io = |source| Error::Io { action: "read", path: dir.clone(), source };
    match std::fs::metadata(dir) {
        Ok(meta) if meta.is_dir() => {}
        Ok(meta) => {
            let kind = crate::error::file_kind(&meta.file_type());
            return Err(Error::invalid("grid.check", dir.display(), format!("a folder of GIFs, but it is {kind}")));
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::invalid("grid.check", dir.display(), "an existing folder of GIFs made by grid"));
        }
        Err(e) => return Err(io(e)),
    }
    let data: Dataset = settings.base.data.load()?;
    settings.validate(data.len())?;
    let runs: Vec<TrainSettings> =
        jobs.iter().map(|job| as_run(&settings.job(job).train, &settings.base.scene, false)).collect();
    check_training(&runs, data.len(), settings.base.force)?;
    let scene = Scene::new(&data, &settings.base.train, &settings.base.scene_settings())?;
    let check_all = || -> Result<Vec<(PathBuf, FileCheck)>> {
        jobs.par_iter()
            .zip(&runs)
            .map(|(job, train)| {
                let path = dir.join(&job.file_name);
                let comment = settings.job(job).comment(data.len());
                let made = || {
                    let run = train_job(&data, train);
                    job_gif(Vec::new(), &data, &scene, &run, &settings.base.timing, Some(&comment), progress)
                };
                Ok((path.clone(), check_file(&path, made, &comment)?))
            })
            .collect()
    };
    let mut files = settings.in_pool(check_all)??;
    for c in comparisons(settings) {
        let path = dir.join(&c.file_name);
        let made = || c.write(Vec::new(), settings, &data, progress);
        files.push((path.clone(), check_file(&path, made, "")?));
    }
    if progress.cancelled() {
        return Err(Error::Interrupted);
    }
    Ok(CheckReport { files })
}

/// Compares the file at `path` with the bytes `made` makes (only made when the file is there).
fn check_file(path: &Path, made: impl FnOnce() -> Result<Vec<u8>>, comment: &str) -> Result<FileCheck> {
    use std::io::Read;
    let unreadable = |e: std::io::Error| Ok(FileCheck::Unreadable(e.to_string()));
    let not_a_file = |meta: &std::fs::Metadata| {
        let kind = crate::error::file_kind(&meta.file_type());
        (!meta.is_file()).then(|| FileCheck::Unreadable(format!("it is {kind}, not a regular file")))
    };
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(FileCheck::Missing),
        Err(e) => return unreadable(e),
        Ok(meta) => {
            if let Some(check) = not_a_file(&meta) {
                return Ok(check);
            }
        }
    }
    let expected = made()?;
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) => return unreadable(e),
    };
    match file.metadata() {
        Ok(meta) => {
            if let Some(check) = not_a_file(&meta) {
                return Ok(check);
            }
        }
        Err(e) => return unreadable(e),
    }
    // One byte more than expected tells a longer file from the same one.
    let mut found = Vec::with_capacity(expected.len() + 1);
    if let Err(e) = file.take(expected.len() as u64 + 1).read_to_end(&mut found) {
        return unreadable(e);
    }
    if found == expected {
        return Ok(FileCheck::Matches);
    }
    Ok(FileCheck::Differs(why_different(&found, comment)))
}

/// Why a file differs from what this version makes, as far as its comment tells.
fn why_different(found: &[u8], comment: &str) -> String {
    let Ok(info) = inspect_reader(found, Path::new("")) else {
        return "it is not a whole GIF".into();
    };
    match info.provenance {
        None => "it has no sgd-anim comment (another tool or an older sgd-anim made it, or an edit dropped it)".into(),
        Some(p) if p.version != VERSION => format!("made by sgd-anim {}; this is {VERSION}", cut(&p.version)),
        Some(p) if p.comment() != comment => "made with other settings (`sgd-anim info` shows its command)".into(),
        Some(_) => "same version and command, other bytes (changed after it was made?)".into(),
    }
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
