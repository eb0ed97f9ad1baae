//! For posts: index.md (a fragment to paste into a post), index.html (the set laid out like
//! the post, with a step-by-step player on each figure), player.html (one animation at a
//! time), data.png (the still scatter, the post's first figure) and a poster PNG per
//! animation (its last frame, for readers who ask for reduced motion).
//!
//! The grid writes its runs' GIFs (and their posters, through `job::render_job`), then any
//! other animation (the comparisons), then calls [`write_gallery`] with the list of those
//! other files, so the pages link only what exists.

mod figures;
mod html;
mod markdown;
mod player;

pub use figures::{poster_name, Contents, Extra, Layout};
pub use html::index_html;
pub use markdown::index_md;
pub use player::player_html;

use super::files::write_bytes_atomic;
use super::info::inspect;
use super::paths::OutputFile;
use super::Outcome;
use crate::error::{Error, Result};
use crate::raster::{Canvas, Palette};
use crate::render::Scene;
use std::path::{Path, PathBuf};

/// A frame as an indexed PNG: its palette indices as they are, with the palette's colours
/// (a third of the bytes of RGB, and several times faster to write; the fast setting of
/// `png`'s own DEFLATE keeps a poster to about a millisecond).
fn png(canvas: &Canvas, palette: &Palette) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, canvas.width, canvas.height);
    encoder.set_color(png::ColorType::Indexed);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_palette(palette.colors().iter().flatten().copied().collect::<Vec<u8>>());
    encoder.set_compression(png::Compression::Fast);
    let failed = |e: png::EncodingError| Error::Draw(format!("PNG encoding: {e}"));
    let mut writer = encoder.write_header().map_err(failed)?;
    writer.write_image_data(&canvas.pixels).map_err(failed)?;
    writer.finish().map_err(failed)?;
    Ok(out)
}

/// The still scatter as a PNG.
pub fn data_png(scene: &Scene) -> Result<Vec<u8>> {
    png(scene.background(), scene.palette())
}

/// A poster: an animation's last frame (`canvas`, in the animation's `palette`) as a PNG,
/// pixel for pixel what a GIF decoder shows at its end.
pub fn poster_png(canvas: &Canvas, palette: &Palette) -> Result<Vec<u8>> {
    png(canvas, palette)
}

/// The gallery's files, in the order they are written (data.png first: the pages link it
/// only if it was written).
pub const GALLERY: [&str; 4] = ["data.png", "index.md", "index.html", "player.html"];

/// What the pages need to know of an animation the grid wrote besides its runs': its size and
/// frames, read back from the file; its poster if `written` holds it too.
fn extra(gif: &Path, written: &[PathBuf]) -> Result<Extra> {
    let info = inspect(gif)?;
    let file_name = figures::name_of(gif);
    let poster = poster_name(&file_name);
    Ok(Extra {
        poster: written.iter().any(|p| figures::name_of(p) == poster),
        file_name,
        width: u32::from(info.summary.width),
        height: u32::from(info.summary.height),
        frames: info.summary.frames(),
    })
}

/// Writes data.png, index.md, index.html and player.html to `targets` (checked paths of
/// [`GALLERY`]'s files, in that order). `outcomes` are the runs, whose posters were written
/// beside their GIFs if `posters`; `written` lists the other files the grid wrote into the
/// same folder (comparison GIFs, their posters): the pages show the comparisons they know
/// ([`Layout::compare_lr_name`] and the like) and ignore the rest. A file that fails does not
/// stop the others: returns the files written and one line per failure.
pub fn write_gallery(
    layout: &Layout,
    scene: &Scene,
    outcomes: &[Outcome],
    posters: bool,
    written: &[PathBuf],
    targets: &[OutputFile],
) -> (Vec<PathBuf>, Vec<String>) {
    let (mut done, mut errors) = (vec![], vec![]);
    let extras: Vec<Extra> = written
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("gif")))
        .filter_map(|p| extra(p, written).map_err(|e| errors.push(format!("{}: {e}", p.display()))).ok())
        .collect();
    let mut write =
        |target: &OutputFile, bytes: Result<Vec<u8>>| match bytes.and_then(|b| write_bytes_atomic(&target.real, &b)) {
            Ok(()) => {
                done.push(target.given.clone());
                true
            }
            Err(e) => {
                errors.push(format!("{}: {e}", target.given.display()));
                false
            }
        };
    let [data, md, html, player] = targets else {
        return (done, vec![format!("the gallery needs {} targets, got {}", GALLERY.len(), targets.len())]);
    };
    let with_data = write(data, data_png(scene));
    let contents = Contents { outcomes, posters, data: with_data, extras: &extras };
    write(md, Ok(index_md(layout, &contents).into_bytes()));
    write(html, Ok(index_html(layout, &contents).into_bytes()));
    write(player, Ok(player_html(layout, &contents).into_bytes()));
    (done, errors)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::job::{render_to_vec, RenderSettings};
    use crate::output::paths::output_file;
    use crate::render::SceneSettings;
    use crate::train::{BatchSize, DataSource, TrainSettings};

    #[test]
    fn the_pages_show_the_comparisons_the_grid_wrote_at_their_size() {
        let dir = tempfile::tempdir().unwrap();
        let scene_settings = SceneSettings { width: 300, height: 200, ..Default::default() };
        let small = RenderSettings {
            train: TrainSettings { steps: 4, ..Default::default() },
            scene: scene_settings.clone(),
            ..Default::default()
        };
        // Stand-ins for the comparisons: a GIF with its poster, a GIF without, a stray file.
        std::fs::write(dir.path().join("compare_lr_bs16.gif"), render_to_vec(&small).unwrap()).unwrap();
        std::fs::write(dir.path().join("compare_lr_bs16.png"), b"png").unwrap();
        std::fs::write(dir.path().join("compare_grid.gif"), render_to_vec(&small).unwrap()).unwrap();
        std::fs::write(dir.path().join("broken.gif"), b"GIF89a").unwrap();
        let written: Vec<PathBuf> = ["compare_lr_bs16.gif", "compare_lr_bs16.png", "compare_grid.gif", "broken.gif"]
            .iter()
            .map(|n| dir.path().join(n))
            .collect();
        let layout = figures::tests::layout(&[0.1, 1.0], &[4, 16], "");
        let mut outcomes = figures::tests::outcomes(&layout);
        outcomes.truncate(3);
        let data = DataSource::default().load().unwrap();
        let scene = Scene::new(
            &data,
            &TrainSettings { batch_size: BatchSize::Size(16), ..Default::default() },
            &scene_settings,
        )
        .unwrap();
        let targets: Vec<OutputFile> =
            GALLERY.iter().map(|name| output_file("grid.out_dir", &dir.path().join(name)).unwrap()).collect();
        let (done, errors) = write_gallery(&layout, &scene, &outcomes, true, &written, &targets);
        assert_eq!(done.len(), 4, "{errors:?}");
        assert_eq!(errors.len(), 1, "the broken GIF is reported: {errors:?}");
        assert!(errors[0].contains("broken.gif"));
        let html = std::fs::read_to_string(dir.path().join("index.html")).unwrap();
        assert!(html.contains(
            "<figure class=\"anim\" data-gif=\"compare_lr_bs16.gif\" data-frames=\"5\"><picture>\
             <source media=\"(prefers-reduced-motion: reduce)\" srcset=\"compare_lr_bs16.png\">\
             <img src=\"compare_lr_bs16.gif\" width=\"300\" height=\"200\""
        ));
        assert!(html.contains(
            "<figure class=\"anim\" data-gif=\"compare_grid.gif\" data-frames=\"5\"><img src=\"compare_grid.gif\""
        ));
        assert!(!html.contains("broken"));
        let md = std::fs::read_to_string(dir.path().join("index.md")).unwrap();
        assert!(md.contains("srcset=\"compare_lr_bs16.png\"><img src=\"compare_lr_bs16.gif\""));
        let png = image::load_from_memory(&std::fs::read(dir.path().join("data.png")).unwrap()).unwrap();
        assert_eq!((png.width(), png.height()), (300, 200));
    }
}
