//! What the pages show, whatever their markup: the grid's layout, the files in the folder, and
//! each animation as a figure (file, poster, size, alt text, outcome), placed in the post's
//! order: the data, gradient descent, the learning-rate row, the batch-size row, the grid.

use crate::encode::Format;
use crate::format::{python_float, short_number};
use crate::output::Outcome;
use crate::train::{BatchSize, Optimizer, Verdict};
use std::path::Path;

/// What a gallery lays out: the grid's lists, in its order, and what every run shares.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Layout<'a> {
    /// Learning rates of the mini-batch runs.
    pub lrs: &'a [f64],
    /// Batch sizes of the mini-batch runs.
    pub batch_sizes: &'a [usize],
    /// Learning rates of the full-batch runs.
    pub gd_lrs: &'a [f64],
    /// Prefix of the image paths in index.md (a folder: a missing trailing `/` is added);
    /// index.html and player.html always use paths relative to themselves.
    pub base_url: &'a str,
    /// Frame width of the runs' animations, in pixels.
    pub width: u32,
    /// Frame height, in pixels.
    pub height: u32,
    /// Steps of every run (its GIF has `steps + 1` frames).
    pub steps: usize,
    /// The start guess (slope, intercept) every run starts from.
    pub start: (f64, f64),
    /// The update rule of every run.
    pub optimizer: Optimizer,
    /// How index.md shows the animations.
    pub fragment: Fragment,
    /// Whether a WebP was written beside each GIF (same name, `.webp`): the HTML pages offer
    /// it first in a `<picture>`, the GIF as the fallback, and the player decodes it.
    pub webp: bool,
}

/// How index.md, the fragment to paste into a post, shows the animations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Fragment {
    /// Markdown images with alt text, as plain `CommonMark` and any blog engine show them
    /// (Hugo in its default configuration, which leaves raw HTML out, included), and links.
    /// Default.
    #[default]
    Markdown,
    /// HTML figures: a `<picture>` with the poster for readers who ask for reduced motion,
    /// and the step-by-step player (`sgd-anim-player.js`, beside the GIFs, referenced once).
    /// For engines that pass HTML through (kramdown, or goldmark with `unsafe = true`).
    Html,
}

impl Layout<'_> {
    /// The batch size the learning-rate row holds fixed: 16 as in the post, else the middle
    /// one; `None` without mini-batch runs.
    #[must_use]
    pub fn fixed_batch_size(&self) -> Option<usize> {
        pick(self.batch_sizes, 16).filter(|_| !self.lrs.is_empty())
    }

    /// The learning rate the batch-size row holds fixed: 0.1 as in the post, else the middle one.
    #[must_use]
    pub fn fixed_lr(&self) -> Option<f64> {
        pick(self.lrs, 0.1).filter(|_| !self.batch_sizes.is_empty())
    }

    /// The file name of the learning-rate row's comparison: `compare_lr_bs16.gif`.
    #[must_use]
    pub fn compare_lr_name(&self) -> Option<String> {
        self.fixed_batch_size().map(|b| format!("compare_lr_bs{b}.gif"))
    }

    /// The file name of the batch-size row's comparison: `compare_bs_lr0.1.gif`.
    #[must_use]
    pub fn compare_bs_name(&self) -> Option<String> {
        self.fixed_lr().map(Layout::compare_bs_name_at)
    }

    /// The file name of the batch sizes' comparison at `lr`: `compare_bs_lr0.01.gif`.
    #[must_use]
    pub fn compare_bs_name_at(lr: f64) -> String {
        format!("compare_bs_lr{}.gif", python_float(lr))
    }

    /// The file name of the whole grid's comparison: `compare_grid.gif`.
    #[must_use]
    pub fn compare_grid_name(&self) -> Option<String> {
        (!self.lrs.is_empty() && !self.batch_sizes.is_empty()).then(|| COMPARE_GRID.to_string())
    }
}

/// The whole grid's comparison animation.
const COMPARE_GRID: &str = "compare_grid.gif";

/// The value a row holds fixed: `preferred` when present, else the middle one.
fn pick<T: Copy + PartialEq>(values: &[T], preferred: T) -> Option<T> {
    if values.contains(&preferred) {
        Some(preferred)
    } else {
        values.get(values.len() / 2).copied()
    }
}

/// An animation the grid wrote besides its runs' (a comparison), as read back from the folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extra {
    /// Its file name, e.g. `compare_grid.gif`.
    pub file_name: String,
    /// Its size in pixels.
    pub width: u32,
    /// See `width`.
    pub height: u32,
    /// Its number of frames.
    pub frames: u64,
    /// Whether its poster (the same name with `.png`) was written too.
    pub poster: bool,
}

/// What the folder beside the pages holds: the pages link only files that exist.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Contents<'a> {
    /// One outcome per run; a run without an error has its GIF and, if `posters`, its poster.
    pub outcomes: &'a [Outcome],
    /// Whether the runs' posters were written (see [`poster_name`]).
    pub posters: bool,
    /// Whether data.png was written.
    pub data: bool,
    /// The other animations written (the comparisons).
    pub extras: &'a [Extra],
}

/// The poster of a GIF: the same name with `.png` (`line_sgd_0.1_16.png`).
#[must_use]
pub fn poster_name(gif: &str) -> String {
    match gif.strip_suffix(".gif") {
        Some(stem) => format!("{stem}.png"),
        None => format!("{gif}.png"),
    }
}

/// One animation as a page shows it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Figure {
    /// File name of the GIF, relative to the page.
    pub file: String,
    /// File name of its poster, if it was written.
    pub poster: Option<String>,
    /// File name of its WebP, if one was written.
    pub webp: Option<String>,
    pub width: u32,
    pub height: u32,
    pub frames: u64,
    /// A sentence that says what happens, for readers who don't see it.
    pub alt: String,
    /// Its name: `SGD lr=0.1 bs=16`, or what it compares.
    pub title: String,
    /// How it ended, in a few words: `ok`, `diverged at step 35`, `unstable`.
    pub outcome: String,
    /// A class for the outcome's colour: `ok`, `diverged`, `unstable`, `compare`.
    pub kind: &'static str,
    /// The longer story: final parameters and loss, or the verdict in full.
    pub note: String,
}

/// The post's order: each section a heading, a comparison (if it was written) and its runs.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Section {
    pub heading: String,
    pub comparison: Option<Figure>,
    /// The runs of a row, in the row's order, each with its column label (`lr 0.1`, `bs 16`).
    pub runs: Vec<(String, Figure)>,
}

/// The whole grid: a comparison, if written, and a table of lr rows by batch-size columns.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct GridTable {
    /// The whole grid as one comparison, or (too tall for a screen) one per learning rate.
    pub comparisons: Vec<Figure>,
    /// Column labels (batch sizes).
    pub columns: Vec<usize>,
    /// One row per learning rate: its label and one cell per batch size (`None`: not written).
    pub rows: Vec<(String, Vec<Option<Figure>>)>,
}

fn num(v: f64) -> String {
    if v.is_finite() {
        short_number(v)
    } else {
        "-".into()
    }
}

/// `ok`, `diverged at step 35`, `unstable`, and a class for its colour.
fn short_outcome(verdict: Verdict) -> (String, &'static str) {
    match verdict {
        Verdict::Settled => ("ok".into(), "ok"),
        Verdict::Diverged { step } => (format!("diverged at step {step}"), "diverged"),
        Verdict::Unstable { .. } => ("unstable".into(), "unstable"),
    }
}

impl Layout<'_> {
    /// `SGD, lr 0.1, batch size 16` or `GD, lr 0.1, full batch`.
    fn run_name(&self, o: &Outcome) -> String {
        let method = self.optimizer.label(o.batch_size);
        match o.batch_size {
            BatchSize::Full => format!("{method}, lr {}, full batch", python_float(o.lr)),
            BatchSize::Size(b) => format!("{method}, lr {}, batch size {b}", python_float(o.lr)),
        }
    }

    /// What happens in the run's animation, as alt text: "SGD, lr 0.1, batch size 16: the
    /// line moves from slope -1, intercept 1 to slope 3.01, intercept 9.92 in 100 steps; ok".
    fn alt(&self, o: &Outcome) -> String {
        let (slope, intercept) = self.start;
        let from = format!("slope {slope}, intercept {intercept}");
        let moves = if o.final_slope.is_finite() && o.final_intercept.is_finite() {
            let to = format!("slope {}, intercept {}", num(o.final_slope), num(o.final_intercept));
            format!("the line moves from {from} to {to} in {} steps", self.steps)
        } else {
            format!("the line starts at {from}; its parameters overflow within {} steps", self.steps)
        };
        let outcome = match o.verdict {
            Verdict::Settled => format!("loss {}", num(o.final_loss)),
            other => other.to_string(),
        };
        format!("{}: {moves}; {outcome}", self.run_name(o))
    }

    /// A run's figure, if its GIF was written.
    fn figure(&self, contents: &Contents, o: &Outcome) -> Figure {
        let file = o.file_name();
        let (outcome, kind) = short_outcome(o.verdict);
        let note = match o.verdict {
            Verdict::Settled => format!(
                "slope {}, intercept {}, loss {}",
                num(o.final_slope),
                num(o.final_intercept),
                num(o.final_loss)
            ),
            other => other.to_string(),
        };
        Figure {
            poster: contents.posters.then(|| poster_name(&file)),
            webp: self.webp.then(|| Format::Webp.file_name(&file)),
            file,
            width: self.width,
            height: self.height,
            frames: self.steps as u64 + 1,
            alt: self.alt(o),
            title: o.label.clone(),
            outcome,
            kind,
            note,
        }
    }

    /// The run of (lr, batch size), if its GIF was written.
    fn run(&self, contents: &Contents, lr: f64, b: BatchSize) -> Option<Figure> {
        // The same number from the same list: compare bits, not values within a tolerance.
        let found =
            contents.outcomes.iter().find(|o| o.lr.to_bits() == lr.to_bits() && o.batch_size == b && o.error.is_none());
        found.map(|o| self.figure(contents, o))
    }

    /// The comparison `name`, if it was written: `what` says what it compares and `runs` how
    /// each of its panels ended.
    fn comparison(&self, contents: &Contents, name: Option<String>, what: &str, runs: &[Figure]) -> Option<Figure> {
        let extra = contents.extras.iter().find(|e| Some(&e.file_name) == name.as_ref())?;
        let ended: Vec<String> =
            runs.iter().filter(|f| f.kind != "ok").map(|f| format!("{}: {}", f.title, f.outcome)).collect();
        let ended = if ended.is_empty() { "every run settles".to_string() } else { ended.join(", ") };
        let title = format!("{}, {what}", self.optimizer.label(BatchSize::Size(1)));
        Some(Figure {
            file: extra.file_name.clone(),
            poster: extra.poster.then(|| poster_name(&extra.file_name)),
            webp: self.webp.then(|| Format::Webp.file_name(&extra.file_name)),
            width: extra.width,
            height: extra.height,
            frames: extra.frames,
            alt: format!("{title}, side by side, step by step over {} steps; {ended}", self.steps),
            title,
            outcome: String::new(),
            kind: "compare",
            note: ended,
        })
    }

    /// The sections in the post's order (data aside): gradient descent, the learning-rate row
    /// and the batch-size row.
    pub(super) fn sections(&self, contents: &Contents) -> Vec<Section> {
        let mut sections = vec![];
        let gd: Vec<(String, Figure)> = self
            .gd_lrs
            .iter()
            .filter_map(|&lr| self.run(contents, lr, BatchSize::Full).map(|f| (format!("lr {}", python_float(lr)), f)))
            .collect();
        if !gd.is_empty() {
            let heading = match gd.as_slice() {
                [(lr, _)] => format!("Gradient descent ({lr})"),
                _ => "Gradient descent".into(),
            };
            sections.push(Section { heading, comparison: None, runs: gd });
        }
        if let Some(b) = self.fixed_batch_size() {
            let runs: Vec<(String, Figure)> = self
                .lrs
                .iter()
                .filter_map(|&lr| {
                    self.run(contents, lr, BatchSize::Size(b)).map(|f| (format!("lr {}", python_float(lr)), f))
                })
                .collect();
            let figures: Vec<Figure> = runs.iter().map(|(_, f)| f.clone()).collect();
            let what = format!("batch size {b}, learning rates {}", self.lr_list());
            let comparison = self.comparison(contents, self.compare_lr_name(), &what, &figures);
            sections.push(Section { heading: format!("Learning rate (batch size {b})"), comparison, runs });
        }
        if let Some(lr) = self.fixed_lr() {
            let runs: Vec<(String, Figure)> = self
                .batch_sizes
                .iter()
                .filter_map(|&b| self.run(contents, lr, BatchSize::Size(b)).map(|f| (format!("bs {b}"), f)))
                .collect();
            let figures: Vec<Figure> = runs.iter().map(|(_, f)| f.clone()).collect();
            let comparison = self.comparison(contents, self.compare_bs_name(), &self.sizes_at(lr), &figures);
            sections.push(Section { heading: format!("Batch size (lr {})", python_float(lr)), comparison, runs });
        }
        sections
    }

    /// What a comparison of the batch sizes at `lr` shows: "lr 0.1, batch sizes 1, 2, 4".
    fn sizes_at(&self, lr: f64) -> String {
        let sizes: Vec<String> = self.batch_sizes.iter().map(ToString::to_string).collect();
        format!("lr {}, batch sizes {}", python_float(lr), sizes.join(", "))
    }

    fn lr_list(&self) -> String {
        self.lrs.iter().map(|&lr| python_float(lr)).collect::<Vec<_>>().join(", ")
    }

    /// The whole grid, if there are mini-batch runs.
    pub(super) fn grid(&self, contents: &Contents) -> Option<GridTable> {
        if self.lrs.is_empty() || self.batch_sizes.is_empty() {
            return None;
        }
        let rows: Vec<(String, Vec<Option<Figure>>)> = self
            .lrs
            .iter()
            .map(|&lr| {
                let cells = self.batch_sizes.iter().map(|&b| self.run(contents, lr, BatchSize::Size(b))).collect();
                (python_float(lr), cells)
            })
            .collect();
        let figures: Vec<Figure> = rows.iter().flat_map(|(_, cells)| cells.iter().flatten().cloned()).collect();
        let what = format!("learning rates {} by batch sizes", self.lr_list());
        let whole = self.comparison(contents, self.compare_grid_name(), &what, &figures);
        // A grid too tall for a screen comes as the batch sizes at each learning rate.
        let comparisons = match whole {
            Some(whole) => vec![whole],
            None => self
                .lrs
                .iter()
                .zip(&rows)
                .filter_map(|(&lr, (_, cells))| {
                    let runs: Vec<Figure> = cells.iter().flatten().cloned().collect();
                    self.comparison(contents, Some(Layout::compare_bs_name_at(lr)), &self.sizes_at(lr), &runs)
                })
                .collect(),
        };
        Some(GridTable { comparisons, columns: self.batch_sizes.to_vec(), rows })
    }

    /// The alt text of data.png.
    pub(super) fn data_alt(&self) -> String {
        let (slope, intercept) = self.start;
        format!("The data: the points every run fits a line to (the start guess: slope {slope}, intercept {intercept})")
    }
}

/// Every animation the pages show, each once, in the post's order (the comparisons first).
pub(super) fn all_figures(layout: &Layout, contents: &Contents) -> Vec<Figure> {
    let sections = layout.sections(contents);
    let grid = layout.grid(contents);
    let mut all: Vec<Figure> = vec![];
    let comparisons: Vec<Figure> = sections
        .iter()
        .filter_map(|s| s.comparison.clone())
        .chain(grid.iter().flat_map(|g| g.comparisons.clone()))
        .collect();
    let runs = sections
        .iter()
        .flat_map(|s| s.runs.iter().map(|(_, f)| f.clone()))
        .chain(grid.into_iter().flat_map(|g| g.rows.into_iter().flat_map(|(_, cells)| cells.into_iter().flatten())));
    for figure in comparisons.into_iter().chain(runs) {
        if !all.iter().any(|f| f.file == figure.file) {
            all.push(figure);
        }
    }
    all
}

/// The file name of a path, for the extras the grid reports.
pub(super) fn name_of(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use std::path::PathBuf;

    /// The post's grid, at its usual size.
    pub(crate) fn layout<'a>(lrs: &'a [f64], batch_sizes: &'a [usize], base_url: &'a str) -> Layout<'a> {
        Layout {
            lrs,
            batch_sizes,
            gd_lrs: &[0.1],
            base_url,
            width: 640,
            height: 480,
            steps: 100,
            start: (-1.0, 1.0),
            optimizer: Optimizer::Sgd,
            fragment: Fragment::Markdown,
            webp: false,
        }
    }

    /// A run that ended with `verdict`.
    pub(crate) fn outcome(lr: f64, batch_size: BatchSize, verdict: Verdict) -> Outcome {
        let (name, label) = match batch_size {
            BatchSize::Full => (format!("line_gd_{}.gif", python_float(lr)), format!("GD lr={}", python_float(lr))),
            BatchSize::Size(b) => {
                (format!("line_sgd_{}_{b}.gif", python_float(lr)), format!("SGD lr={} bs={b}", python_float(lr)))
            }
        };
        let diverged = matches!(verdict, Verdict::Diverged { .. });
        Outcome {
            path: PathBuf::from("out").join(name),
            label,
            lr,
            batch_size,
            final_slope: if diverged { f64::NAN } else { 3.15 },
            final_intercept: if diverged { f64::NAN } else { 9.99 },
            final_loss: if diverged { f64::INFINITY } else { 0.387 },
            diverged_at: None,
            verdict,
            error: None,
        }
    }

    /// The attributes of every `<name ...>` tag of `html`, in order (our own markup: quoted
    /// values, no `>` inside them).
    pub(crate) fn tags(html: &str, name: &str) -> Vec<std::collections::BTreeMap<String, String>> {
        let open = format!("<{name} ");
        html.match_indices(&open)
            .map(|(at, _)| {
                let tag = &html[at + open.len()..];
                let tag = &tag[..tag.find('>').expect("a closed tag")];
                let mut attrs = std::collections::BTreeMap::new();
                let mut rest = tag;
                while let Some(eq) = rest.find("=\"") {
                    let key = rest[..eq].trim().to_string();
                    let value_end = rest[eq + 2..].find('"').expect("a closed value");
                    attrs.insert(key, rest[eq + 2..eq + 2 + value_end].to_string());
                    rest = &rest[eq + 2 + value_end + 1..];
                }
                attrs
            })
            .collect()
    }

    /// Every run of the grid, settled, but lr 1.0 with batch size 1 diverged at step 35.
    pub(crate) fn outcomes(layout: &Layout) -> Vec<Outcome> {
        let mut all: Vec<Outcome> =
            layout.gd_lrs.iter().map(|&lr| outcome(lr, BatchSize::Full, Verdict::Settled)).collect();
        for &lr in layout.lrs {
            for &b in layout.batch_sizes {
                let verdict = if lr == 1.0 && b == 1 { Verdict::Diverged { step: 35 } } else { Verdict::Settled };
                all.push(outcome(lr, BatchSize::Size(b), verdict));
            }
        }
        all
    }

    #[test]
    fn rows_hold_the_posts_values_fixed_or_the_middle_one() {
        let post = layout(&[0.01, 0.1, 1.0], &[1, 2, 4, 8, 16, 32, 64], "");
        assert_eq!((post.fixed_batch_size(), post.fixed_lr()), (Some(16), Some(0.1)));
        assert_eq!(post.compare_lr_name().as_deref(), Some("compare_lr_bs16.gif"));
        assert_eq!(post.compare_bs_name().as_deref(), Some("compare_bs_lr0.1.gif"));
        assert_eq!(post.compare_grid_name().as_deref(), Some("compare_grid.gif"));
        let other = layout(&[0.5, 2.0], &[3, 5, 7], "");
        assert_eq!((other.fixed_batch_size(), other.fixed_lr()), (Some(5), Some(2.0)));
        assert_eq!(other.compare_bs_name().as_deref(), Some("compare_bs_lr2.0.gif"));
        let gd_only = layout(&[], &[16], "");
        assert_eq!((gd_only.fixed_batch_size(), gd_only.fixed_lr(), gd_only.compare_grid_name()), (None, None, None));
        assert_eq!(poster_name("line_sgd_0.1_16.gif"), "line_sgd_0.1_16.png");
    }

    #[test]
    fn alt_text_says_what_happens() {
        let l = layout(&[0.1], &[16], "");
        let settled = l.alt(&outcome(0.1, BatchSize::Size(16), Verdict::Settled));
        assert_eq!(
            settled,
            "SGD, lr 0.1, batch size 16: the line moves from slope -1, intercept 1 to slope 3.15, \
             intercept 9.99 in 100 steps; loss 0.387"
        );
        let mut unstable =
            outcome(1.0, BatchSize::Size(4), Verdict::Unstable { best_step: 12, best_loss: 2.4, of_start: 55.0 });
        unstable.final_slope = -40.0;
        let text = l.alt(&unstable);
        assert!(
            text.starts_with("SGD, lr 1.0, batch size 4: the line moves from slope -1, intercept 1 to slope -40.0"),
            "{text}"
        );
        assert!(text.ends_with("; unstable: ends at 55.0x its start loss (best 2.400 at step 12)"), "{text}");
        let diverged = l.alt(&outcome(1.0, BatchSize::Size(1), Verdict::Diverged { step: 35 }));
        assert!(diverged.contains("overflow within 100 steps; diverged at step 35"), "{diverged}");
        assert!(!diverged.contains("NaN") && !diverged.contains("inf"), "{diverged}");
        assert!(l.alt(&outcome(0.1, BatchSize::Full, Verdict::Settled)).starts_with("GD, lr 0.1, full batch: "));
    }

    #[test]
    fn sections_follow_the_post_and_link_only_what_exists() {
        let l = layout(&[0.01, 0.1, 1.0], &[1, 16, 64], "");
        let mut runs = outcomes(&l);
        runs.retain(|o| !(o.lr == 0.01 && o.batch_size == BatchSize::Size(16)));
        runs[1].error = Some("disk full".into());
        let contents = Contents { outcomes: &runs, posters: true, data: true, extras: &[] };
        let sections = l.sections(&contents);
        let headings: Vec<&str> = sections.iter().map(|s| s.heading.as_str()).collect();
        assert_eq!(headings, ["Gradient descent (lr 0.1)", "Learning rate (batch size 16)", "Batch size (lr 0.1)"]);
        let files = |s: &Section| s.runs.iter().map(|(label, f)| format!("{label}={}", f.file)).collect::<Vec<_>>();
        assert_eq!(files(&sections[1]), ["lr 0.1=line_sgd_0.1_16.gif", "lr 1.0=line_sgd_1.0_16.gif"]);
        // runs[1] (lr 0.01, bs 1) failed: not in the batch-size row's lr, but a hole in the grid.
        let grid = l.grid(&contents).unwrap();
        assert_eq!(grid.columns, [1, 16, 64]);
        assert!(grid.rows[0].1[0].is_none() && grid.rows[0].1[1].is_none() && grid.rows[0].1[2].is_some());
        let diverged = grid.rows[2].1[0].as_ref().unwrap();
        assert_eq!((diverged.outcome.as_str(), diverged.kind), ("diverged at step 35", "diverged"));
        assert_eq!(diverged.poster.as_deref(), Some("line_sgd_1.0_1.png"));
        assert!(sections.iter().all(|s| s.comparison.is_none()) && grid.comparisons.is_empty());
        let all = all_figures(&l, &contents);
        assert_eq!(all.len(), 1 + 9 - 2, "each written run once");
    }

    #[test]
    fn comparisons_are_found_by_name() {
        let l = layout(&[0.01, 0.1, 1.0], &[1, 16], "");
        let runs = outcomes(&l);
        let extra = |name: &str| Extra { file_name: name.into(), width: 740, height: 300, frames: 101, poster: false };
        let extras = [extra("compare_grid.gif"), extra("compare_bs_lr0.1.gif"), extra("unrelated.gif")];
        let contents = Contents { outcomes: &runs, posters: false, data: false, extras: &extras };
        let sections = l.sections(&contents);
        assert!(sections[1].comparison.is_none(), "compare_lr_bs16.gif was not written");
        let bs = sections[2].comparison.as_ref().unwrap();
        assert_eq!((bs.file.as_str(), bs.width, bs.height, bs.frames), ("compare_bs_lr0.1.gif", 740, 300, 101));
        assert!(bs.alt.contains("lr 0.1, batch sizes 1, 16") && bs.alt.ends_with("every run settles"), "{}", bs.alt);
        let grid = l.grid(&contents).unwrap().comparisons.remove(0);
        assert!(grid.alt.contains("SGD lr=1.0 bs=1: diverged at step 35"), "{}", grid.alt);
        let all = all_figures(&l, &contents);
        assert_eq!(all[0].file, "compare_bs_lr0.1.gif");
        assert!(all.iter().all(|f| f.file != "unrelated.gif" && f.poster.is_none()));
    }
}
