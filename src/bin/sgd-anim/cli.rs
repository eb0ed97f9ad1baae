//! The command line: clap types only, and their conversion into the library's settings.

use crate::defaults;
use clap::{Args, Parser, Subcommand, ValueEnum};
use sgd_anim::{
    BatchSize, DataSource, DataSpec, Field, Fragment, GridSettings, LogSource, Optimizer, RenderSettings,
    ReplaySettings, Sampling, SceneSettings, Timing, TrainSettings, View,
};
use std::path::PathBuf;

/// Animated GIFs of gradient descent and mini-batch SGD fitting a line, after fast.ai's
/// "SGD from scratch" (course v3, lesson 2).
///
/// With no command, `sgd-anim` runs `grid --out output`: the post's 22 animations
/// (`line_gd_0.1.gif` and `line_sgd_<lr>_<bs>.gif`), the post's comparisons (the learning
/// rates at batch size 16, `compare_lr_bs16.gif`, and the batch sizes at each learning rate,
/// `compare_bs_lr<lr>.gif`), a poster PNG beside each, data.png, and the pages: index.md,
/// index.html and player.html.
#[derive(Debug, Parser)]
#[command(name = "sgd-anim", version, after_help = EXAMPLES)]
pub struct Cli {
    /// What to make (default: grid).
    #[command(subcommand)]
    pub command: Option<Command>,
}

const EXAMPLES: &str = "Examples:
  sgd-anim                                           # the post's whole set into output/
  sgd-anim render --lr 0.1 --batch-size 16 -o output/x.gif
  sgd-anim render --lr 1.0 --batch-size full --steps 50 --trace run.json -o gd.gif
  sgd-anim grid --lrs 0.05,0.5 --batch-sizes 4,32 --out output --json
  sgd-anim info output/line_sgd_0.1_16.gif           # the command that makes it again
  sgd-anim grid --check output                       # does output/ hold what the grid makes?";

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Make one animation of one training run.
    ///
    /// The GIF carries, in a comment, the sgd-anim version and the canonical `sgd-anim render`
    /// command that makes it again byte for byte: every option that shapes it, and none that
    /// does not (the output, --trace, --quiet). `sgd-anim info FILE.gif` shows it.
    Render(RenderArgs),
    /// Make a whole learning-rate x batch-size grid of animations in parallel, plus a gallery
    /// (or, with --check, compare a folder with the grid it should hold).
    Grid(GridArgs),
    /// Animate a logged training run: our trace, a loop's JSON Lines or CSV, TensorBoard event
    /// files, Lightning's metrics.csv, Hugging Face's trainer_state.json, Keras' CSVLogger, a
    /// W&B or TensorBoard CSV export, an MLflow run folder (a line fit's steps, or any model's
    /// curves).
    ///
    /// The GIF carries, in a comment, the sgd-anim version and the canonical `sgd-anim replay`
    /// command that makes it again from the same log.
    Replay(ReplayArgs),
    /// Make one comparison: several mini-batch runs side by side in one GIF whose panels step
    /// together (a column per learning rate, a row per batch size), as grid's compare_*.gif.
    Compare(CompareArgs),
    /// Show what a GIF holds: the sgd-anim version and the `sgd-anim render`, `replay` or
    /// `compare` command that makes it again byte for byte (every GIF of ours carries them in a
    /// comment), its size, frames, delays and loop count.
    Info(InfoArgs),
    /// Print a shell completion script to standard output
    /// (e.g. `sgd-anim completions bash > ~/.local/share/bash-completion/completions/sgd-anim`).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: ShellArg,
    },
    /// Print the manual page (roff) to standard output (e.g. `sgd-anim man | man -l -`).
    Man,
}

/// `sgd-anim completions SHELL`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ShellArg {
    /// Bash.
    Bash,
    /// Zsh.
    Zsh,
    /// Fish.
    Fish,
    /// PowerShell.
    Powershell,
    /// Elvish.
    Elvish,
}

/// `sgd-anim render`.
#[derive(Debug, Args)]
#[command(after_help = "Example:\n  sgd-anim render --lr 0.1 --batch-size 16 -o output/x.gif")]
pub struct RenderArgs {
    /// The GIF to write; missing folders are created, `-` writes to standard output. An
    /// existing file is replaced only if it is a regular file (a link: the file it names).
    #[arg(short, long, value_name = "FILE.gif")]
    pub output: PathBuf,
    /// Learning rate.
    #[arg(long, default_value_t = defaults::train().lr, allow_negative_numbers = true)]
    pub lr: f64,
    /// Points per step: a number for mini-batch SGD, or `full` for gradient descent.
    #[arg(long, default_value = defaults::BATCH_SIZE.as_str(), value_parser = parse_batch_size, value_name = "N|full")]
    pub batch_size: BatchSize,
    /// Also write the run (settings, data, every step) as JSON.
    #[arg(long, value_name = "FILE.json")]
    pub trace: Option<PathBuf>,
    /// Worker threads: one encodes the frames the others draw; the file is the same whatever
    /// N is [default: 4 (1 on one core)].
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    #[command(flatten)]
    pub common: CommonArgs,
}

/// `sgd-anim info`.
#[derive(Debug, Args)]
#[command(after_help = "Example:\n  sgd-anim info output/line_sgd_0.1_16.gif")]
pub struct InfoArgs {
    /// The GIF to read (only its blocks are read, not its pixels).
    #[arg(value_name = "FILE.gif")]
    pub file: PathBuf,
}

/// `sgd-anim replay`.
#[derive(Debug, Args)]
#[command(after_help = REPLAY_EXAMPLES)]
pub struct ReplayArgs {
    /// The log of a training run, or - to read it from standard input: our trace
    /// (`render --trace`), JSON Lines (an object a step: {"step": 0, "slope": -1.0, "intercept":
    /// 1.0, "loss": 84.8}, optionally batch and lr; the points on a first line {"data": {"x":
    /// [...], "y": [...]}}) or CSV with a header (step,slope,intercept[,loss]). A log without
    /// slope and intercept (step,loss,val_loss,lr,...) animates its curves, a panel per metric.
    /// Several runs (logs of curves) are animated together on one step axis, each run's name
    /// (its file's) in the legend: `sgd-anim replay adam.csv sgd.csv -o cmp.gif`; line fits on
    /// the same points side by side, a panel each (--width the row's). A TensorBoard
    /// folder is one run when its event files lie in it or in split subfolders (Keras' train/
    /// and validation/, also val, eval, test: they prefix the series, train/epoch_loss), and
    /// several runs when they lie in other subfolders (logs/adam/, logs/sgd/, each maybe with
    /// its own splits).
    #[arg(value_name = "RUN", required = true, num_args = 1..)]
    pub logs: Vec<PathBuf>,
    /// The GIF to write; missing folders are created, `-` writes to standard output. An
    /// existing file is replaced only if it is a regular file (a link: the file it names).
    #[arg(short, long, value_name = "FILE.gif")]
    pub output: PathBuf,
    /// The points the logged line was fitted to, when the log does not hold them: a CSV file
    /// with columns x and y, or - to read it from standard input.
    #[arg(long, value_name = "FILE.csv|-", help_heading = "Data")]
    pub data: Option<PathBuf>,
    /// Keep every K-th logged step (the first and the last always), for a long log; what the
    /// steps left out logged shows at the next step kept.
    #[arg(long, default_value_t = defaults::replay().every, value_name = "K", help_heading = "Frames")]
    pub every: usize,
    /// The series to draw, in this order (a clock or bookkeeping column too, when named);
    /// by default every metric the log has.
    #[arg(long, value_delimiter = ',', value_name = "NAME,...", help_heading = "Log")]
    pub metrics: Option<Vec<String>>,
    /// The axis where the log has several: step, epoch, time (wall-clock seconds from the first
    /// record) or a column's name; by default the finest (step before epoch). Fractional
    /// epochs (Hugging Face's) and time keep a frame a step, each placed on that axis.
    #[arg(long, value_name = "COLUMN", help_heading = "Log")]
    pub x: Option<String>,
    /// The name of a log's one unnamed series (TensorBoard's CSV download calls it Value); by
    /// default the log's file name without its extension.
    #[arg(long, value_name = "NAME", help_heading = "Log")]
    pub name: Option<String>,
    #[command(flatten)]
    pub frames: FrameArgs,
    #[command(flatten)]
    pub general: GeneralArgs,
}

const REPLAY_EXAMPLES: &str = "Examples:
  sgd-anim render --lr 0.1 --trace run.json -o a.gif && sgd-anim replay run.json -o b.gif   # the same GIF
  sgd-anim replay train_log.jsonl --view line+loss -o fit.gif
  sgd-anim replay steps.csv --data points.csv --every 10 -o fit.gif
  sgd-anim replay metrics.csv -o curves.gif                          # step,loss,val_loss,lr
  sgd-anim replay sgd.jsonl adam.jsonl -o cmp.gif                    # line fits side by side";

/// `sgd-anim grid`.
#[derive(Debug, Args)]
pub struct GridArgs {
    /// Folder to write into (created if missing).
    #[arg(short, long, visible_alias = "output", default_value = defaults::OUT_DIR.as_str(), value_name = "DIR")]
    pub out: PathBuf,
    /// Learning rates of the mini-batch runs, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = defaults::LRS.as_str(), allow_negative_numbers = true)]
    pub lrs: Vec<f64>,
    /// Batch sizes of the mini-batch runs, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = defaults::BATCH_SIZES.as_str())]
    pub batch_sizes: Vec<usize>,
    /// Learning rates of the full-batch gradient descent runs, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = defaults::GD_LRS.as_str(), allow_negative_numbers = true)]
    pub gd_lrs: Vec<f64>,
    /// Worker threads [default: all cores].
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// Prefix of the image paths in index.md, the fragment to paste into a post, and in the
    /// Hugo shortcode and Jekyll include: a path (/images/sgd/) or an http(s) URL,
    /// percent-encoded where needed; index.html and player.html link the files beside them.
    #[arg(long, default_value = defaults::BASE_URL.as_str(), value_name = "URL")]
    pub base_url: String,
    /// index.md shows HTML figures (posters for readers who ask for reduced motion, the
    /// step-by-step player from sgd-anim-player.js) instead of Markdown images, for blogs that
    /// pass HTML through (Jekyll; Hugo with markup.goldmark.renderer.unsafe).
    #[arg(long)]
    pub html: bool,
    /// Also write each run's trace (as `render --trace` does) into this folder.
    #[arg(long, value_name = "DIR")]
    pub trace_dir: Option<PathBuf>,
    /// The formats to write each animation in, comma-separated: gif (plays everywhere; the
    /// pages' fallback, always listed) and webp (lossless, the same frames in fewer bytes; the
    /// pages offer it first).
    #[arg(long, value_delimiter = ',', default_value = "gif", value_name = "gif,webp")]
    pub format: Vec<sgd_anim::Format>,
    /// Print the summary as JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Write nothing: make the set in memory, with the same grid options that made it, and
    /// compare each file (GIFs, posters, data.png, the pages, the player script and the
    /// templates) with the file of its name in DIR, byte for byte. Lists the files that differ
    /// or are missing (exit 1), or says that all match (exit 0).
    #[arg(long, value_name = "DIR", conflicts_with_all = ["out", "trace_dir", "json"])]
    pub check: Option<PathBuf>,
    /// With --check: compare the GIFs only (the runs' and the comparisons').
    #[arg(long, requires = "check")]
    pub gifs_only: bool,
    #[command(flatten)]
    pub common: CommonArgs,
}

/// `sgd-anim compare`: which runs, and where the GIF goes.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  sgd-anim compare --lrs 0.01,0.1,1.0 --batch-sizes 16 -o lr.gif\n  \
                        sgd-anim compare --lrs 0.1 --batch-sizes 1,8,64 --steps 50 -o bs.gif")]
pub struct CompareArgs {
    /// Learning rates, comma-separated: a column each.
    #[arg(long, value_delimiter = ',', default_value = defaults::COMPARE_LRS.as_str(), allow_negative_numbers = true)]
    pub lrs: Vec<f64>,
    /// Batch sizes, comma-separated: a row each.
    #[arg(long, value_delimiter = ',', default_value = defaults::COMPARE_BATCH_SIZES.as_str())]
    pub batch_sizes: Vec<usize>,
    /// The GIF to write, a blog's text column wide (its help says the library's width).
    #[arg(short, long, value_name = "FILE.gif", help = defaults::compare_output_help())]
    pub output: PathBuf,
    #[command(flatten)]
    pub common: CommonArgs,
}

/// Options shared by `render` and `grid`: training, data, frames.
#[derive(Debug, Args)]
pub struct CommonArgs {
    /// Number of training steps; the GIF has steps + 1 frames.
    #[arg(long, default_value_t = defaults::train().steps, help_heading = "Training")]
    pub steps: usize,
    /// Seed of the data and of each run's batch sampling.
    #[arg(long, default_value_t = defaults::train().seed, help_heading = "Training")]
    pub seed: u64,
    /// Start guess: slope.
    #[arg(long, default_value_t = defaults::train().start.0, allow_negative_numbers = true, help_heading = "Training")]
    pub start_slope: f64,
    /// Start guess: intercept.
    #[arg(long, default_value_t = defaults::train().start.1, allow_negative_numbers = true, help_heading = "Training")]
    pub start_intercept: f64,
    /// How mini-batches are drawn.
    #[arg(long, value_enum, default_value_t = defaults::train().sampling.into(), help_heading = "Training")]
    pub sampling: SamplingArg,
    /// The update rule.
    #[arg(long, value_enum, default_value_t = defaults::train().optimizer.into(), help_heading = "Training")]
    pub optimizer: OptimizerArg,
    // The options below are `None` when not given, so that giving them pointlessly can be
    // warned about; their help says the library's default (`defaults`).
    /// Momentum factor.
    #[arg(long, allow_negative_numbers = true, help_heading = "Training", help = defaults::momentum_help())]
    pub momentum: Option<f64>,
    /// Adam's first-moment decay.
    #[arg(long, allow_negative_numbers = true, help_heading = "Training", help = defaults::beta1_help())]
    pub beta1: Option<f64>,
    /// Adam's second-moment decay; RMSProp's squared gradients' decay.
    #[arg(long, allow_negative_numbers = true, help_heading = "Training", help = defaults::beta2_help())]
    pub beta2: Option<f64>,

    /// Number of synthetic points.
    #[arg(long, help_heading = "Data", help = defaults::n_help())]
    pub n: Option<usize>,
    /// True slope of the synthetic data.
    #[arg(long, allow_negative_numbers = true, help_heading = "Data", help = defaults::true_slope_help())]
    pub true_slope: Option<f64>,
    /// True intercept of the synthetic data.
    #[arg(long, allow_negative_numbers = true, help_heading = "Data", help = defaults::true_intercept_help())]
    pub true_intercept: Option<f64>,
    /// Standard deviation of the synthetic data's noise.
    #[arg(long, allow_negative_numbers = true, help_heading = "Data", help = defaults::noise_help())]
    pub noise: Option<f64>,
    /// Fit your own points instead: a CSV file with a header naming columns x and y, or - to
    /// read it from standard input (at most 1000000 points and 128 MiB). The command a GIF
    /// carries names the file as it was given, so making it again needs the same file from the
    /// same folder (with -, the same CSV on standard input).
    #[arg(long, value_name = "FILE.csv|-", help_heading = "Data")]
    pub data: Option<PathBuf>,

    #[command(flatten)]
    pub frames: FrameArgs,
    #[command(flatten)]
    pub general: GeneralArgs,
}

/// How frames look and play: `render`, `grid` and `replay` share these.
#[derive(Debug, Args)]
pub struct FrameArgs {
    /// What each frame shows: the line (the post's view), plus the loss curve, plus the path
    /// of (slope, intercept) over the loss contours, or all three side by side; or a list of
    /// panels, left to right, line first (line,params,loss).
    #[arg(long, value_parser = ViewParser, default_value_t = defaults::scene().view, help_heading = "Frames")]
    pub view: View,
    /// Frame width in pixels.
    #[arg(long, help_heading = "Frames", help = defaults::width_help())]
    pub width: Option<u32>,
    /// Frame height in pixels (`None` when not given: `compare` warns that it has no effect).
    #[arg(long, help_heading = "Frames", help = defaults::height_help())]
    pub height: Option<u32>,
    /// Leave out the caption (the run as a title; each frame's step and loss in the plot), for
    /// frames like the post's.
    #[arg(long, help_heading = "Frames")]
    pub no_caption: bool,
    /// Hold the caption's loss for N frames, so it can be read at high frame rates; the step is
    /// always the frame's own, and a held loss names the step it belongs to ("loss 3.69
    /// (step 30)") [default: 1, every frame shows its own loss].
    #[arg(long, value_name = "N", help_heading = "Frames")]
    pub caption_every: Option<u32>,
    /// Also draw the previous K lines, fading, so the path of the fit shows.
    #[arg(long, default_value_t = defaults::scene().trail, value_name = "K", help_heading = "Frames")]
    pub trail: usize,
    /// Highlight the points of each step's mini-batch.
    #[arg(long, help_heading = "Frames")]
    pub show_batch: bool,
    /// Delay per frame in milliseconds (stored in centiseconds, at least 20 ms).
    #[arg(long, default_value_t = Timing::default().delay_ms, help_heading = "Frames")]
    pub delay_ms: u32,
    /// How long the last frame stays, in milliseconds.
    #[arg(long, default_value_t = Timing::default().hold_ms, help_heading = "Frames")]
    pub hold_ms: u32,
    /// Play the animation this many times [default: loop forever].
    #[arg(long, value_name = "N", help_heading = "Frames")]
    pub loop_count: Option<u32>,
}

/// Budget and noise: every command that makes animations has these.
#[derive(Debug, Args)]
pub struct GeneralArgs {
    /// Go on even when the work is above the budget (frames x pixels, or about a minute or
    /// 1 GB of training).
    #[arg(long)]
    pub force: bool,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// `--view`: a named view or a list of panels (the library's [`View`] parses both); its
/// possible values, for help and completions, are the named views.
#[derive(Debug, Clone, Copy)]
struct ViewParser;

impl clap::builder::TypedValueParser for ViewParser {
    type Value = View;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<View, clap::Error> {
        // Short: clap's line repeats the value (cut to 60 characters) and stays under 150;
        // --help lists the views and the panels.
        let expected = "expected a view such as all or line,loss";
        let parse = |s: String| s.parse::<View>().map_err(|_| expected.to_string());
        clap::builder::StringValueParser::new().try_map(parse).parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        let help = [
            "The fitted line over the data",
            "The line and the loss curve",
            "The line and the parameters' path over the loss contours",
            "All three panels (line,loss,params)",
        ];
        let named = View::NAMED.iter().zip(help);
        Some(Box::new(named.map(|((name, _), help)| clap::builder::PossibleValue::new(*name).help(help))))
    }
}

/// `--sampling`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SamplingArg {
    /// Random indices with replacement, like the post's torch.randint.
    Replacement,
    /// Shuffled epochs without replacement.
    Shuffle,
}

/// `--optimizer`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OptimizerArg {
    /// a -= lr * grad.
    Sgd,
    /// Heavy-ball momentum.
    Momentum,
    /// Adam.
    Adam,
    /// RMSProp (--beta2: the squared gradients' decay).
    #[value(name = "rmsprop")]
    RmsProp,
}

impl OptimizerArg {
    /// The library's optimiser of this name, with its defaults.
    fn optimizer(self) -> Optimizer {
        self.to_possible_value().and_then(|v| v.get_name().parse().ok()).unwrap_or_default()
    }
}

/// The optimiser settings' flags, by the library's field key.
fn optimizer_flags(args: &CommonArgs) -> [(Field, Option<f64>); 3] {
    [(Field::TrainMomentum, args.momentum), (Field::TrainBeta1, args.beta1), (Field::TrainBeta2, args.beta2)]
}

pub fn parse_batch_size(s: &str) -> Result<BatchSize, String> {
    if s.eq_ignore_ascii_case("full") {
        return Ok(BatchSize::Full);
    }
    s.parse::<usize>().map(BatchSize::Size).map_err(|_| "expected a whole number or 'full'".to_string())
}

impl CommonArgs {
    /// Options given that the others make pointless, as warnings for stderr.
    pub fn warnings(&self) -> Vec<String> {
        let mut out = vec![];
        let has = |o: &Optimizer, field: Field| o.settings().iter().any(|(f, _)| *f == field);
        for (field, value) in optimizer_flags(self) {
            let flag = field.flag();
            if value.is_some() && !has(&self.optimizer.optimizer(), field) {
                let names: Vec<&str> = Optimizer::ALL.iter().filter(|o| has(o, field)).map(Optimizer::name).collect();
                out.push(format!("{flag} has no effect without --optimizer {}", names.join(" or ")));
            }
        }
        out.extend(self.frames.warnings());
        if self.data.is_some() {
            for (flag, given) in [
                ("--n", self.n.is_some()),
                ("--true-slope", self.true_slope.is_some()),
                ("--true-intercept", self.true_intercept.is_some()),
                ("--noise", self.noise.is_some()),
            ] {
                if given {
                    out.push(format!("{flag} has no effect with --data (the points come from the CSV)"));
                }
            }
        }
        out
    }

    /// The settings these options describe, for a run at `lr` with `batch_size`.
    pub fn to_settings(&self, lr: f64, batch_size: BatchSize) -> RenderSettings {
        let post = DataSpec::default();
        let data = match &self.data {
            Some(path) if path.as_os_str() == "-" => DataSource::Stdin,
            Some(path) => DataSource::Csv(path.clone()),
            None => DataSource::Synthetic(DataSpec {
                n: self.n.unwrap_or(post.n),
                slope: self.true_slope.unwrap_or(post.slope),
                intercept: self.true_intercept.unwrap_or(post.intercept),
                noise: self.noise.unwrap_or(post.noise),
                seed: self.seed,
            }),
        };
        let optimizer = optimizer_flags(self)
            .into_iter()
            .fold(self.optimizer.optimizer(), |o, (field, value)| value.map_or(o, |v| o.with(field.key(), v)));
        let truth = data.truth();
        RenderSettings {
            data,
            train: TrainSettings {
                lr,
                batch_size,
                steps: self.steps,
                start: (self.start_slope, self.start_intercept),
                sampling: match self.sampling {
                    SamplingArg::Replacement => Sampling::WithReplacement,
                    SamplingArg::Shuffle => Sampling::Shuffle,
                },
                optimizer,
                seed: self.seed,
                ..defaults::train()
            },
            scene: SceneSettings {
                width: self.frames.width.unwrap_or_else(|| SceneSettings::default_width(self.frames.view())),
                truth,
                ..self.frames.scene()
            },
            timing: self.frames.timing(),
            force: self.general.force,
        }
    }
}

impl FrameArgs {
    /// Options given that the others make pointless, as warnings for stderr.
    pub fn warnings(&self) -> Vec<String> {
        let mut out = vec![];
        if self.caption_every.is_some() && self.no_caption {
            out.push("--caption-every has no effect with --no-caption".into());
        }
        // The GIF stores whole centiseconds, at least 2: what it stores is what plays. A delay
        // raised to that floor is worth a word; rounding to the centisecond is not.
        let stored_ms = u32::from(self.timing().frame_delay_cs()) * 10;
        if self.delay_ms < stored_ms && stored_ms == 20 {
            out.push(format!(
                "--delay-ms {} plays at {stored_ms} ms: browsers clamp shorter delays (to 100 ms), so the GIF \
                 stores {stored_ms} ms, the shortest they play as written",
                self.delay_ms
            ));
        }
        out
    }

    /// The delays and looping these options describe.
    pub fn timing(&self) -> Timing {
        Timing { delay_ms: self.delay_ms, hold_ms: self.hold_ms, loop_count: self.loop_count }
    }

    /// `--view`.
    pub fn view(&self) -> View {
        self.view
    }

    /// The frames these options describe, `--width` (or a panel's) as the frame's width;
    /// what no option sets is the library's default.
    pub fn scene(&self) -> SceneSettings {
        let default = defaults::scene();
        SceneSettings {
            width: self.width.unwrap_or(SceneSettings::PANEL_WIDTH),
            height: self.height.unwrap_or(default.height),
            caption: !self.no_caption,
            caption_every: self.caption_every,
            trail: self.trail,
            show_batch: self.show_batch,
            view: self.view(),
            ..default
        }
    }
}

impl ReplayArgs {
    /// Options given that the others make pointless, as warnings for stderr.
    pub fn warnings(&self) -> Vec<String> {
        self.frames.warnings()
    }

    /// The replay these options describe: the frame is a panel's width a panel unless
    /// `--width` says.
    pub fn to_settings(&self) -> ReplaySettings {
        let source = |path: &PathBuf| if path.as_os_str() == "-" { None } else { Some(path.clone()) };
        ReplaySettings {
            log: self.logs.first().and_then(source).map_or(LogSource::Stdin, LogSource::File),
            also: self.logs.iter().skip(1).map(|l| source(l).map_or(LogSource::Stdin, LogSource::File)).collect(),
            data: self.data.as_ref().map(|d| source(d).map_or(DataSource::Stdin, DataSource::Csv)),
            every: self.every,
            scene: self.frames.scene(),
            width_per_panel: self.frames.width.is_none(),
            timing: self.frames.timing(),
            force: self.general.force,
            metrics: self.metrics.clone(),
            x: self.x.clone(),
            name: self.name.clone(),
        }
    }
}

impl CompareArgs {
    /// Options given that the others make pointless, as warnings for stderr.
    pub fn warnings(&self) -> Vec<String> {
        let mut warnings = self.common.warnings();
        if self.common.frames.height.is_some() {
            warnings.push("--height has no effect with compare: a panel is 3/4 as high as it is wide".into());
        }
        warnings
    }

    /// The settings the comparison's runs share (their learning rates and batch sizes are
    /// `lrs` and `batch_sizes`): the frame is a blog's column wide unless `--width` says, its
    /// panels sharing it, their height following.
    pub fn to_settings(&self) -> RenderSettings {
        let mut settings = self.common.to_settings(defaults::train().lr, defaults::train().batch_size);
        settings.scene.width = self.common.frames.width.unwrap_or(sgd_anim::cli::COLUMN_WIDTH);
        settings
    }
}

impl GridArgs {
    /// The grid these options describe.
    pub fn to_settings(&self) -> GridSettings {
        GridSettings {
            // The template's learning rate and batch size are each job's; the library's stand in.
            base: self.common.to_settings(defaults::train().lr, defaults::train().batch_size),
            lrs: self.lrs.clone(),
            batch_sizes: self.batch_sizes.clone(),
            gd_lrs: self.gd_lrs.clone(),
            out_dir: self.check.clone().unwrap_or_else(|| self.out.clone()),
            threads: self.jobs,
            base_url: self.base_url.clone(),
            fragment: if self.html { Fragment::Html } else { Fragment::Markdown },
            trace_dir: self.trace_dir.clone(),
            formats: self.format.clone(),
        }
    }
}

#[cfg(test)]
mod tests;
