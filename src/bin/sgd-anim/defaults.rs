//! The library's defaults, as the command line shows and fills them. The binary has none of
//! its own: an option that always has a value gets its clap default from here (so `--help`
//! shows it), and an option left `None` when not given (so that giving it pointlessly can be
//! warned about) says its default in its help, from here, and takes it from the library's
//! settings when the flags become settings.

use crate::cli::{OptimizerArg, SamplingArg};
use sgd_anim::cli::python_float;
use sgd_anim::{
    BatchSize, DataSpec, Field, GridSettings, LogSource, Optimizer, ReplaySettings, Sampling, SceneSettings,
    TrainSettings,
};
use std::sync::LazyLock;

/// The library's training defaults (`--lr`, `--steps`, `--seed`, the start guess, ...).
pub fn train() -> TrainSettings {
    TrainSettings::default()
}

/// The library's frame defaults (`--height`, `--trail`, `--view`, ...).
pub fn scene() -> SceneSettings {
    SceneSettings::default()
}

/// The library's grid defaults (`--lrs`, `--batch-sizes`, `--gd-lrs`, `--out`, ...).
pub fn grid() -> GridSettings {
    GridSettings::default()
}

/// The library's replay defaults (`--every`); the log does not matter.
pub fn replay() -> ReplaySettings {
    ReplaySettings::new(LogSource::Stdin)
}

/// The default of an optimiser's setting (`--momentum` of [`Optimizer::MOMENTUM`], `--beta2`
/// of [`Optimizer::ADAM`]...), as the library's [`Optimizer::settings`] lists it.
pub fn setting(optimizer: Optimizer, field: Field) -> f64 {
    let found = optimizer.settings().into_iter().find(|&(f, _)| f == field);
    found.map_or(f64::NAN, |(_, value)| value)
}

/// `compare --lrs` and `--batch-sizes`' defaults: the default grid's learning-rate comparison
/// (`compare_lr_bs16.gif`): its learning rates at the batch size it holds fixed.
pub fn compare() -> (Vec<f64>, Vec<usize>) {
    let grid = grid();
    let fixed = grid.layout().fixed_batch_size();
    (grid.lrs.clone(), fixed.into_iter().collect())
}

/// A list as an option takes it, its numbers as Python writes them (`0.01,0.1,1.0`).
fn floats(values: &[f64]) -> String {
    values.iter().map(|&v| python_float(v)).collect::<Vec<_>>().join(",")
}

/// Whole numbers as an option takes them (`1,2,4`).
fn whole(values: &[usize]) -> String {
    values.iter().map(ToString::to_string).collect::<Vec<_>>().join(",")
}

/// A batch size as `--batch-size` takes it: a number or `full`.
pub fn batch_size_text(b: BatchSize) -> String {
    b.size().map_or_else(|| "full".to_string(), |s| s.to_string())
}

// Defaults clap takes as text: lists, paths and the batch size.
/// `render --batch-size`.
pub static BATCH_SIZE: LazyLock<String> = LazyLock::new(|| batch_size_text(train().batch_size));
/// `grid --lrs`.
pub static LRS: LazyLock<String> = LazyLock::new(|| floats(&grid().lrs));
/// `grid --batch-sizes`.
pub static BATCH_SIZES: LazyLock<String> = LazyLock::new(|| whole(&grid().batch_sizes));
/// `grid --gd-lrs`.
pub static GD_LRS: LazyLock<String> = LazyLock::new(|| floats(&grid().gd_lrs));
/// `grid --out`.
pub static OUT_DIR: LazyLock<String> = LazyLock::new(|| grid().out_dir.display().to_string());
/// `grid --base-url`.
pub static BASE_URL: LazyLock<String> = LazyLock::new(|| grid().base_url);
/// `compare --lrs`.
pub static COMPARE_LRS: LazyLock<String> = LazyLock::new(|| floats(&compare().0));
/// `compare --batch-sizes`.
pub static COMPARE_BATCH_SIZES: LazyLock<String> = LazyLock::new(|| whole(&compare().1));

/// The help of an option left `None` when not given: `text` and its default, as clap writes
/// the others' ("Number of synthetic points [default: 100]").
fn with_default(text: &str, default: impl std::fmt::Display) -> String {
    format!("{text} [default: {default}]")
}

/// `--momentum`'s help.
pub fn momentum_help() -> String {
    with_default("Momentum factor (with --optimizer momentum)", setting(Optimizer::MOMENTUM, Field::TrainMomentum))
}

/// `--beta1`'s help.
pub fn beta1_help() -> String {
    with_default("Adam's first-moment decay (with --optimizer adam)", setting(Optimizer::ADAM, Field::TrainBeta1))
}

/// `--beta2`'s help.
pub fn beta2_help() -> String {
    let (adam, rmsprop) = (setting(Optimizer::ADAM, Field::TrainBeta2), setting(Optimizer::RMSPROP, Field::TrainBeta2));
    with_default(
        "Adam's second-moment decay, RMSProp's squared gradients' decay (with --optimizer adam or rmsprop)",
        format_args!("{adam} for adam, {rmsprop} for rmsprop"),
    )
}

/// `--n`'s help.
pub fn n_help() -> String {
    with_default("Number of synthetic points", DataSpec::default().n)
}

/// `--true-slope`'s help.
pub fn true_slope_help() -> String {
    with_default("True slope of the synthetic data", DataSpec::default().slope)
}

/// `--true-intercept`'s help.
pub fn true_intercept_help() -> String {
    with_default("True intercept of the synthetic data", DataSpec::default().intercept)
}

/// `--noise`'s help.
pub fn noise_help() -> String {
    with_default("Standard deviation of the synthetic data's noise", DataSpec::default().noise)
}

/// `--width`'s help: the library's width a panel.
pub fn width_help() -> String {
    with_default("Frame width in pixels", format_args!("{} per panel", SceneSettings::PANEL_WIDTH))
}

/// `compare -o`'s help: the comparison's width is the library's column.
pub fn compare_output_help() -> String {
    format!(
        "The GIF to write; missing folders are created, `-` writes to standard output. An existing file is \
         replaced only if it is a regular file (a link: the file it names). Its width is `--width` (default {}, \
         a blog's text column): the panels share it, each 3/4 as high as it is wide and at least 200 pixels a \
         side; `--height` has no effect",
        sgd_anim::cli::COLUMN_WIDTH
    )
}

/// `--height`'s help.
pub fn height_help() -> String {
    with_default("Frame height in pixels", scene().height)
}

// The library's choices as the options' values, for their clap defaults.
impl From<Sampling> for SamplingArg {
    fn from(sampling: Sampling) -> Self {
        match sampling {
            Sampling::WithReplacement => SamplingArg::Replacement,
            Sampling::Shuffle => SamplingArg::Shuffle,
        }
    }
}

impl From<Optimizer> for OptimizerArg {
    fn from(optimizer: Optimizer) -> Self {
        match optimizer {
            Optimizer::Sgd => OptimizerArg::Sgd,
            Optimizer::Momentum { .. } => OptimizerArg::Momentum,
            Optimizer::Adam { .. } => OptimizerArg::Adam,
            Optimizer::RmsProp { .. } => OptimizerArg::RmsProp,
        }
    }
}
