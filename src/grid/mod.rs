//! The post's whole set: every (learning rate, batch size) job over one shared dataset and
//! scene, in parallel with rayon. File bytes never depend on the thread count or order, and
//! each file is the one `render` makes for its job (its comment included). [`check_grid`]
//! makes the set in memory and compares it with a folder.

use crate::encode::Format;
use crate::error::{Advice, Error, Field, Result};
use crate::format::python_float;
use crate::job::{
    as_run, check_frames_of, train_job, write_compare, write_compare_and_poster, Progress, RenderSettings,
};
use crate::output::files::write_atomic;
use crate::output::gallery::{self, Layout};
use crate::output::paths::{self, OutputFile};
use crate::output::Outcome;
use crate::render::compare::Tiling;
use crate::render::{Limits, Scene, SceneSettings};
use crate::train::{
    check_batch_size, check_lr, check_training, BatchSize, DataSource, Dataset, Optimizer, TrainSettings,
};

mod check;
mod run;
pub use check::{check_grid, CheckReport, CheckScope, FileCheck};
pub use run::run_grid;
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
    /// Prefix of image paths in index.md, the shortcodes and the player script's reference: a
    /// path or an `http(s)` URL (see [`gallery::base_url_problem`]); percent-encoded where needed.
    pub base_url: String,
    /// How index.md shows the animations: Markdown images (default) or HTML figures with the player.
    pub fragment: gallery::Fragment,
    /// Folder for one JSON trace per run.
    pub trace_dir: Option<PathBuf>,
    /// The formats each animation is written in, each file named by its job and the format's
    /// extension; the list holds GIF, which the pages fall back to. Default: GIF alone.
    pub formats: Vec<Format>,
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
            fragment: gallery::Fragment::default(),
            trace_dir: None,
            formats: vec![Format::Gif],
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

/// The (GIF) file name of a job, with numbers spelled as Python spells floats, as in the
/// post; [`Format::file_name`] gives its name in another format.
#[must_use]
pub fn file_name(optimizer: Optimizer, lr: f64, batch_size: BatchSize) -> String {
    let method = optimizer.file_stem(batch_size);
    let stem = match batch_size {
        BatchSize::Full => format!("line_{method}_{}", python_float(lr)),
        BatchSize::Size(b) => format!("line_{method}_{}_{b}", python_float(lr)),
    };
    format!("{stem}.{}", Format::Gif.extension())
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
    /// One outcome per job, in plan order; each job that succeeded wrote its GIF and poster.
    pub outcomes: Vec<Outcome>,
    /// The comparison GIFs written (compare_*.gif).
    pub comparisons: Vec<PathBuf>,
    /// The comparisons' posters written (compare_*.png).
    pub comparison_posters: Vec<PathBuf>,
    /// The comparisons that could not be written, one line each.
    pub comparison_errors: Vec<String>,
    /// The gallery files written (data.png, index.md, index.html, player.html,
    /// sgd-anim-player.js, hugo-shortcode-sgd.html, jekyll-include-sgd.html).
    pub pages: Vec<PathBuf>,
    /// The gallery files that could not be written, one line each.
    pub gallery_errors: Vec<String>,
}

impl GridReport {
    /// What failed, one line each: the jobs, the comparisons, the gallery files.
    #[must_use]
    pub fn failures(&self) -> Vec<String> {
        let jobs = self.outcomes.iter().filter_map(|o| o.error.as_ref().map(|e| format!("{}: {e}", o.path.display())));
        jobs.chain(self.comparison_errors.iter().cloned()).chain(self.gallery_errors.iter().cloned()).collect()
    }

    /// The animations (and their posters) written.
    #[must_use]
    pub fn animations_written(&self) -> usize {
        self.outcomes.iter().filter(|o| o.error.is_none()).count()
    }

    /// What was written, by kind: "22 animations, 3 comparisons, 25 posters, data.png,
    /// index.md, index.html, player.html, sgd-anim-player.js, ...".
    #[must_use]
    pub fn written(&self) -> String {
        let count = |n: usize, one: &str| format!("{n} {one}{}", if n == 1 { "" } else { "s" });
        let animations = self.animations_written();
        let mut kinds = vec![count(animations, "animation")];
        if !self.comparisons.is_empty() || !self.comparison_errors.is_empty() {
            kinds.push(count(self.comparisons.len(), "comparison"));
        }
        kinds.push(count(animations + self.comparison_posters.len(), "poster"));
        kinds.extend(self.pages.iter().filter_map(|p| p.file_name()).map(|n| n.to_string_lossy().into_owned()));
        kinds.join(", ")
    }

    /// [`Error::GridFailed`] if anything failed: what, by kind, and each file's error.
    #[must_use]
    pub fn error(&self) -> Option<Error> {
        self.failed().map(|what| Error::GridFailed { failures: self.failures(), what })
    }

    /// What failed, counted by kind against what was planned ("15 of 22 animations and 3 of 3
    /// comparisons"), or `None` when nothing did.
    #[must_use]
    pub fn failed(&self) -> Option<String> {
        let jobs = self.outcomes.len() - self.animations_written();
        // A comparison fails once: its animation, or else its poster (tried only after the
        // animation was written, which is then among `comparisons`).
        let compares = self.comparison_errors.len();
        let posters_failed = self.comparisons.len().saturating_sub(self.comparison_posters.len());
        let planned = self.comparisons.len() + compares.saturating_sub(posters_failed);
        let pages = self.gallery_errors.len();
        let parts: Vec<String> = [
            (jobs, self.outcomes.len(), "animations"),
            (compares, planned, "comparisons"),
            (pages, pages + self.pages.len(), "gallery files"),
        ]
        .into_iter()
        .filter(|&(failed, _, _)| failed > 0)
        .map(|(failed, of, what)| format!("{failed} of {of} {what}"))
        .collect();
        match parts.as_slice() {
            [] => None,
            [one] => Some(one.clone()),
            [init @ .., last] => Some(format!("{} and {last}", init.join(", "))),
        }
    }
}

/// Refuses a value given twice in one list option (in linear time: a grid may list thousands).
fn check_list<T: Copy + std::fmt::Display>(option: Field, values: &[T], key: impl Fn(T) -> u64) -> Result<()> {
    let mut seen = std::collections::HashSet::with_capacity(values.len());
    match values.iter().find(|&&v| !seen.insert(key(v))) {
        Some(v) => Err(Error::invalid(option, v, "each value once (this one is repeated)")),
        None => Ok(()),
    }
}

impl GridSettings {
    /// Checks every option before any work starts, over data of `n_points` points.
    pub fn validate(&self, n_points: usize) -> Result<()> {
        self.validate_lists()?;
        for &b in &self.batch_sizes {
            check_batch_size(Field::GridBatchSizes, BatchSize::Size(b), n_points)?;
        }
        let template = TrainSettings { lr: 1.0, batch_size: BatchSize::Full, ..self.base.train.clone() };
        template.validate(n_points)
    }

    /// The checks that need neither the data nor the disk: the lists (none empty, no value
    /// twice), the learning rates and the threads; cheap, so they come before anything else.
    fn validate_lists(&self) -> Result<()> {
        if self.lrs.is_empty() && self.gd_lrs.is_empty() {
            return Err(Error::invalid(
                Field::GridLrs,
                "",
                Advice::from("at least one learning rate in ")
                    .field(Field::GridLrs)
                    .text(" or ")
                    .field(Field::GridGdLrs),
            ));
        }
        if !self.lrs.is_empty() && self.batch_sizes.is_empty() {
            return Err(Error::invalid(Field::GridBatchSizes, "", "at least one batch size, such as 16"));
        }
        // 0.0 and -0.0 are one rate (and refused as rates anyway).
        let rate = |lr: f64| if lr == 0.0 { 0 } else { lr.to_bits() };
        check_list(Field::GridLrs, &self.lrs, rate)?;
        check_list(Field::GridGdLrs, &self.gd_lrs, rate)?;
        check_list(Field::GridBatchSizes, &self.batch_sizes, |b| b as u64)?;
        for &lr in &self.lrs {
            check_lr(Field::GridLrs, lr)?;
        }
        for &lr in &self.gd_lrs {
            check_lr(Field::GridGdLrs, lr)?;
        }
        if let Some(n) = self.threads.filter(|n| !(1..=MAX_THREADS).contains(n)) {
            return Err(Error::invalid(Field::GridThreads, n, format!("from 1 to {MAX_THREADS} threads")));
        }
        check_list(Field::GridFormats, &self.formats, |f| f as u64)?;
        if !self.formats.contains(&Format::Gif) {
            let names: Vec<&str> = self.formats.iter().map(|f| f.name()).collect();
            return Err(Error::invalid(
                Field::GridFormats,
                names.join(","),
                "a list that holds gif (the pages' fallback)",
            ));
        }
        if let Some(problem) = gallery::base_url_problem(&self.base_url) {
            return Err(Error::invalid(Field::GridBaseUrl, self.base_url.escape_debug(), problem));
        }
        Ok(())
    }

    /// Every check that can run before the data is read and the outputs are looked at, cheap
    /// ones first: the lists, the work budget for `jobs` animations, and, where the number of
    /// points is known without reading anything (synthetic data), the batch sizes.
    fn validate_early(&self, jobs: u64) -> Result<()> {
        self.validate_lists()?;
        self.base.validate(1)?;
        let frames = jobs.saturating_mul(self.base.train.steps as u64 + 1);
        let fewer = format!("{jobs} animations: use fewer learning rates or batch sizes, fewer steps");
        check_frames_of(Field::GridLrs, &fewer, frames, &self.base.scene, self.base.force)?;
        match &self.base.data {
            DataSource::Synthetic(spec) => self.validate(spec.n),
            _ => Ok(()),
        }
    }
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
        out.push(Comparison::of(file_name, lrs, &[b], max_columns));
    }
    if let (true, Some(lr), Some(file_name)) = (sizes.len() >= 2, layout.fixed_lr(), layout.compare_bs_name()) {
        out.push(Comparison::of(file_name, &[lr], sizes, max_columns));
    }
    if let (true, Some(file_name)) =
        (lrs.len() >= 2 && sizes.len() >= 2 && lrs.len() <= max_columns, layout.compare_grid_name())
    {
        let whole = Comparison::of(file_name, lrs, sizes, max_columns);
        if whole.height() <= MAX_HEIGHT {
            out.push(whole);
        } else {
            // Too tall to read in a column: the grid as the batch sizes at each of the other
            // learning rates, beside the fixed one's above.
            for &lr in lrs.iter().filter(|&&lr| Some(lr) != layout.fixed_lr()) {
                out.push(Comparison::of(Layout::compare_bs_name_at(lr), &[lr], sizes, max_columns));
            }
        }
    }
    out
}

/// The tallest comparison the grid writes, in pixels: taller ones cannot be seen whole on a
/// screen beside the text that discusses them.
pub const MAX_HEIGHT: u32 = 900;

impl Comparison {
    /// The runs of `lrs` x `batch_sizes` as one comparison, its panels in reading order: a
    /// column per learning rate and a row per batch size where both vary, else one row of up
    /// to `max_columns` panels (then the next row).
    fn of(file_name: String, lrs: &[f64], batch_sizes: &[usize], max_columns: usize) -> Comparison {
        let panels: Vec<(f64, usize)> = batch_sizes.iter().flat_map(|&b| lrs.iter().map(move |&lr| (lr, b))).collect();
        let columns = if lrs.len() > 1 && batch_sizes.len() > 1 { lrs.len() } else { panels.len().min(max_columns) };
        Comparison { file_name, panels, columns: u32::try_from(columns.max(1)).unwrap_or(u32::MAX) }
    }

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

    /// Writes it into `out` in `format`; returns `out` and its poster (its last frame as a PNG).
    fn write<W: std::io::Write>(
        &self,
        format: Format,
        out: W,
        settings: &GridSettings,
        data: &Dataset,
        progress: &dyn Progress,
    ) -> Result<(W, Vec<u8>)> {
        let tiling = Tiling::for_column(COLUMN_WIDTH, self.columns);
        write_compare_and_poster(format, out, data, &self.trains(settings), &settings.base, tiling, progress)
    }
}

impl GridSettings {
    /// data.png's scene: the post's first figure, `plt.scatter(x, y)` alone, whose axes
    /// autoscale to the points (5 % margins), with no room kept for a start line or a title.
    pub(crate) fn still_scene(&self, data: &Dataset) -> Result<Scene> {
        let still = SceneSettings { limits: Limits::Data, caption: false, ..self.base.scene_settings() };
        Scene::new(data, &self.base.train, &still)
    }

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
                .map_err(|e| Error::invalid(Field::GridThreads, n, format!("a thread count the system allows ({e})")))?
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
            fragment: self.fragment,
            webp: self.formats.contains(&Format::Webp),
        }
    }

    /// [`GridSettings::formats`], GIF first (the poster and the outcome come from it).
    pub(crate) fn formats_gif_first(&self) -> impl Iterator<Item = Format> + '_ {
        std::iter::once(Format::Gif).chain(self.formats.iter().copied().filter(|&f| f != Format::Gif))
    }
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
    let out = paths::output_file(Field::Output, output)?;
    let format = Format::for_output(Field::Output, output)?;
    let planned = PlannedCompare::new(base, lrs, batch_sizes, Some(&out))?;
    crate::job::create_folders(std::slice::from_ref(&out), progress)?;
    write_atomic(&out.real, |w| planned.write(format, w, base, progress).map(|_| ()))?;
    Ok(planned.outcomes())
}

/// [`compare`] into `out` (standard output, memory) instead of a file. A closed pipe shows
/// as an [`Error::Write`] whose [`Error::is_broken_pipe`] is true.
pub fn compare_to_writer<W: std::io::Write>(
    base: &RenderSettings,
    lrs: &[f64],
    batch_sizes: &[usize],
    out: W,
    progress: &dyn Progress,
) -> Result<(Vec<Outcome>, W)> {
    let planned = PlannedCompare::new(base, lrs, batch_sizes, None)?;
    let mut out = planned.write(Format::Gif, out, base, progress)?;
    out.flush().map_err(Error::Write)?;
    Ok((planned.outcomes(), out))
}

/// A comparison checked (cheap checks first, its size and work against the budget before
/// any is done) and laid out, ready to write.
struct PlannedCompare {
    data: Dataset,
    trains: Vec<TrainSettings>,
    tiling: Tiling,
}

impl PlannedCompare {
    fn new(base: &RenderSettings, lrs: &[f64], batch_sizes: &[usize], out: Option<&OutputFile>) -> Result<Self> {
        let grid = GridSettings {
            base: base.clone(),
            lrs: lrs.to_vec(),
            batch_sizes: batch_sizes.to_vec(),
            gd_lrs: vec![],
            ..GridSettings::default()
        };
        grid.validate_lists()?;
        base.validate(1)?;
        // The layout, and so the GIF's size, first: the budget is the comparison's own frames.
        let column = base.scene.width;
        let max_columns = (column / crate::render::MIN_SIZE).max(1) as usize;
        let comparison = Comparison::of(String::new(), lrs, batch_sizes, max_columns);
        let width = column.max(crate::render::MIN_SIZE.saturating_mul(comparison.columns));
        let tiling = Tiling::for_column(width, comparison.columns);
        check_comparison_size(tiling, comparison.panels.len(), base)?;
        if let DataSource::Synthetic(spec) = &base.data {
            grid.validate(spec.n)?;
        }
        paths::refuse_clashes(out, base.data.file())?;
        let data: Dataset = base.data.load()?;
        grid.validate(data.len())?;
        let trains = comparison.trains(&grid);
        check_training(&trains, data.len(), base.force)?;
        Ok(PlannedCompare { data, trains, tiling })
    }

    fn write<W: std::io::Write>(
        &self,
        format: Format,
        out: W,
        base: &RenderSettings,
        progress: &dyn Progress,
    ) -> Result<W> {
        write_compare(format, out, &self.data, &self.trains, base, self.tiling, progress)
    }

    /// One row a panel, named by its run.
    fn outcomes(&self) -> Vec<Outcome> {
        self.trains
            .iter()
            .map(|t| {
                let run = train_job(&self.data, t);
                Outcome::of(&run, Path::new(&crate::render::caption::run_label(&run)))
            })
            .collect()
    }
}

/// Refuses, before any work, a comparison whose frame would be wider or taller than
/// [`crate::render::MAX_SIZE`] (its memory grows with it: a canvas and the encoder's copies),
/// or whose frames x pixels are above the work budget (unless forced).
fn check_comparison_size(tiling: Tiling, panels: usize, base: &RenderSettings) -> Result<()> {
    let (w, h) = tiling.size(panels);
    let max = crate::render::MAX_SIZE;
    if w > max || h > max {
        let rows = h.saturating_sub(tiling.header) / tiling.tile.1.max(1);
        return Err(Error::invalid(
            Field::GridLrs,
            format!("{} x {rows} panels", tiling.columns),
            format!(
                "a comparison at most {max} pixels a side; {panels} panels of {}x{} make {w}x{h}: compare fewer \
                 learning rates (a column each) or batch sizes (a row each)",
                tiling.tile.0, tiling.tile.1
            ),
        ));
    }
    let frames = base.train.steps as u64 + 1;
    let scene = crate::render::SceneSettings { width: w, height: h, ..base.scene.clone() };
    check_frames_of(Field::TrainSteps, "use fewer steps, fewer runs", frames, &scene, base.force)
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
