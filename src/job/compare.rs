//! A comparison: several runs as one animation whose panels step together, and its comment.

use super::progress::Progress;
use super::settings::{train_job, RenderSettings};
use crate::encode::{Format, Timing};
use crate::error::{Error, Field, Result};
use crate::raster::Palette;
use crate::render::compare::{CompareFrames, Tiling};
use crate::render::Scene;
use crate::train::{Dataset, Run, TrainSettings};
use std::io::Write;

/// Writes a comparison of several runs as one GIF whose panels step together (see
/// `render::compare`): one panel per entry of `trains`, each trained as its job would
/// be, laid out by `tiling`, with the look of `base`. Its comment names the version and each
/// panel's `render` command.
pub fn write_compare<W: Write>(
    format: Format,
    out: W,
    data: &Dataset,
    trains: &[TrainSettings],
    base: &RenderSettings,
    tiling: Tiling,
    progress: &dyn Progress,
) -> Result<W> {
    encode_compare(format, out, data, trains, base, tiling, progress, false).map(|(out, _)| out)
}

/// [`write_compare`], and the comparison's poster: its last frame as a PNG, pixel for pixel
/// what a GIF decoder shows at its end.
pub fn write_compare_and_poster<W: Write>(
    format: Format,
    out: W,
    data: &Dataset,
    trains: &[TrainSettings],
    base: &RenderSettings,
    tiling: Tiling,
    progress: &dyn Progress,
) -> Result<(W, Vec<u8>)> {
    let (out, poster) = encode_compare(format, out, data, trains, base, tiling, progress, true)?;
    Ok((out, poster.unwrap_or_default()))
}

/// The frame loop of a comparison; with `poster`, also its last frame as a PNG.
#[allow(clippy::too_many_arguments)]
fn encode_compare<W: Write>(
    format: Format,
    out: W,
    data: &Dataset,
    trains: &[TrainSettings],
    base: &RenderSettings,
    tiling: Tiling,
    progress: &dyn Progress,
    poster: bool,
) -> Result<(W, Option<Vec<u8>>)> {
    let runs: Vec<Run> = trains.iter().map(|t| train_job(data, t)).collect();
    let Some(first) = trains.first() else {
        return Err(Error::invalid(Field::CompareRuns, 0, "one run or more"));
    };
    let tile_settings = tiling.tile_settings(&base.scene_settings());
    let tile = Scene::new(data, first, &tile_settings)?;
    let frames = CompareFrames::new(&tile, tiling, &runs);
    let comment = compare_comment(trains, base, tiling);
    let panels = Panels { frames, palette: tile.palette(), size: tiling.size(runs.len()), ticks: false };
    encode_panels(format, out, panels, &base.timing, &comment, progress, poster)
}

/// The frames of panels stepping together, and how to encode them.
pub(super) struct Panels<'a> {
    /// The frames.
    pub frames: CompareFrames<'a>,
    /// Their palette (every panel's).
    pub palette: &'a Palette,
    /// The frame's size.
    pub size: (u32, u32),
    /// Whether each frame drawn ticks the progress bar (a replay's; a comparison's bar counts runs).
    pub ticks: bool,
}

/// The frame loop of panels stepping together (a comparison, a side-by-side replay), with
/// `comment`; with `poster`, also the last frame as a PNG.
pub(super) fn encode_panels<W: Write>(
    format: Format,
    out: W,
    panels: Panels<'_>,
    timing: &Timing,
    comment: &str,
    progress: &dyn Progress,
    poster: bool,
) -> Result<(W, Option<Vec<u8>>)> {
    let Panels { mut frames, palette, size: (w, h), ticks } = panels;
    let mut encoder = format.encoder(out, w, h, palette, timing)?;
    encoder.comment(comment)?;
    let last = frames.frame_count();
    let mut k = 0;
    let mut png = None;
    while let Some((canvas, regions)) = frames.next_frame()? {
        if progress.cancelled() {
            return Err(Error::Interrupted);
        }
        k += 1;
        encoder.push_regions(canvas, regions, timing.delay(k == last))?;
        if poster && k == last {
            png = Some(crate::output::gallery::poster_png(canvas, palette)?);
        }
        if ticks {
            progress.frame_done();
        }
    }
    Ok((encoder.finish()?, png))
}

/// A comparison's comment: the version and the `sgd-anim compare` command that makes it again
/// (the first panel's `render` command with its `--lr` and `--batch-size` replaced by the
/// comparison's lists, in panel order), and a note per panel naming the run it shows.
fn compare_comment(trains: &[TrainSettings], base: &RenderSettings, tiling: Tiling) -> String {
    use crate::output::provenance::{CommandArg, Provenance};
    let Some(first) = trains.first() else { return String::new() };
    let mut command = RenderSettings { train: first.clone(), ..base.clone() }.command();
    command.subcommand = "compare";
    // A comparison's --width is its own (the column its panels fill); its height follows from
    // the panels, 3:4 of their width.
    command.args.retain(|a| ![Field::TrainLr, Field::TrainBatchSize, Field::SceneHeight].contains(&a.field));
    for arg in command.args.iter_mut().filter(|a| a.field == Field::SceneWidth) {
        arg.value = Some((tiling.tile.0 * tiling.columns).to_string());
    }
    let (mut lrs, mut sizes): (Vec<String>, Vec<String>) = (vec![], vec![]);
    for t in trains {
        let lr = crate::format::python_float(t.lr);
        let size = t.batch_size.size().map_or_else(|| "full".to_string(), |b| b.to_string());
        if !lrs.contains(&lr) {
            lrs.push(lr);
        }
        if !sizes.contains(&size) {
            sizes.push(size);
        }
    }
    command.args.insert(0, CommandArg { field: Field::GridLrs, value: Some(lrs.join(",")) });
    command.args.insert(1, CommandArg { field: Field::GridBatchSizes, value: Some(sizes.join(",")) });
    command.notes.push("a comparison: a column per learning rate, a row per batch size".into());
    Provenance::of(&command).comment()
}
