//! For posts: index.md (a fragment to paste into a post), index.html (the set laid out like
//! the post, with a step-by-step player on each figure), player.html (one animation at a
//! time), data.png (the still scatter, the post's first figure) and a poster PNG per
//! animation, comparisons included (its last frame, for readers who ask for reduced motion),
//! the player as a script of its own for a post's page (sgd-anim-player.js), and a Hugo
//! shortcode and a Jekyll include that show one animation by name (see `embed`).
//!
//! The grid writes its runs' GIFs (and their posters, through `job::render_job`), then any
//! other animation (the comparisons), then reads those other files back ([`extras`]) and
//! calls [`write_gallery`], so the pages link only what exists.

mod embed;
mod figures;
mod html;
mod markdown;
mod player;
mod url;

pub use embed::{hugo_shortcode, jekyll_include, player_script, HUGO_SHORTCODE, JEKYLL_INCLUDE, PLAYER_SCRIPT};
pub use figures::{poster_name, Contents, Extra, Fragment, Layout};
pub use html::index_html;
pub use markdown::index_md;
pub use player::player_html;
pub use url::{base_url_problem, folder_url};

use super::batch::Files;
use super::info::inspect_reader;
use super::paths::OutputFile;
use super::Outcome;
use crate::error::{Error, Result};
use crate::raster::{Canvas, Palette};
use crate::render::Scene;
use std::path::{Path, PathBuf};

/// An indexed PNG: one palette index a pixel, `palette` as RGB triples. (A third of the
/// bytes of RGB, and several times faster to write; the fast setting of `png`'s own DEFLATE
/// keeps a poster to about a millisecond.)
fn png(width: u32, height: u32, pixels: &[u8], palette: Vec<u8>) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Indexed);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_palette(palette);
    encoder.set_compression(png::Compression::Fast);
    let failed = |e: png::EncodingError| Error::Draw(format!("PNG encoding: {e}"));
    let mut writer = encoder.write_header().map_err(failed)?;
    writer.write_image_data(pixels).map_err(failed)?;
    writer.finish().map_err(failed)?;
    Ok(out)
}

fn canvas_png(canvas: &Canvas, palette: &Palette) -> Result<Vec<u8>> {
    png(canvas.width, canvas.height, &canvas.pixels, palette.colors().iter().flatten().copied().collect())
}

/// The still scatter as a PNG.
pub fn data_png(scene: &Scene) -> Result<Vec<u8>> {
    canvas_png(scene.background(), scene.palette())
}

/// A poster: an animation's last frame (`canvas`, in the animation's `palette`) as a PNG,
/// pixel for pixel what a GIF decoder shows at its end.
pub fn poster_png(canvas: &Canvas, palette: &Palette) -> Result<Vec<u8>> {
    canvas_png(canvas, palette)
}

/// The poster of a GIF (a comparison's) from its bytes: its last frame as a decoder shows it,
/// in the GIF's global palette.
pub fn poster_of_gif(gif_bytes: &[u8]) -> Result<Vec<u8>> {
    let bad = |e: gif::DecodingError| Error::Draw(format!("reading the GIF back for its poster: {e}"));
    let mut options = gif::DecodeOptions::new();
    options.set_color_output(gif::ColorOutput::Indexed);
    let mut decoder = options.read_info(gif_bytes).map_err(bad)?;
    let (width, height) = (usize::from(decoder.width()), usize::from(decoder.height()));
    let palette = decoder.global_palette().map(<[u8]>::to_vec).unwrap_or_default();
    let mut pixels = vec![decoder.bg_color().unwrap_or(0) as u8; width * height];
    while let Some(frame) = decoder.read_next_frame().map_err(bad)? {
        if frame.palette.is_some() {
            return Err(Error::Draw("a GIF frame with its own palette has no indexed poster".into()));
        }
        let (left, top, w) = (usize::from(frame.left), usize::from(frame.top), usize::from(frame.width));
        for (row, line) in frame.buffer.chunks(w.max(1)).enumerate() {
            let y = top + row;
            for (i, &index) in line.iter().enumerate() {
                let x = left + i;
                if y < height && x < width && Some(index) != frame.transparent {
                    pixels[y * width + x] = index;
                }
            }
        }
    }
    png(width as u32, height as u32, &pixels, palette)
}

/// The gallery's files, in the order they are written (data.png first: the pages link it
/// only if it was written).
pub const GALLERY: [&str; 7] =
    ["data.png", "index.md", "index.html", "player.html", PLAYER_SCRIPT, HUGO_SHORTCODE, JEKYLL_INCLUDE];

/// What kind of file of a grid's folder `name` is, for a report that counts them: `animation`
/// (a run's GIF), `comparison`, `poster`, `data` (data.png), `page` (index.md, index.html,
/// player.html), `script` (the player's) or `template` (the Hugo shortcode and Jekyll include).
#[must_use]
pub fn file_kind(name: &str) -> &'static str {
    match name {
        "data.png" => "data",
        "index.md" | "index.html" | "player.html" => "page",
        PLAYER_SCRIPT => "script",
        HUGO_SHORTCODE | JEKYLL_INCLUDE => "template",
        n if Path::new(n).extension().is_some_and(|e| e.eq_ignore_ascii_case("png")) => "poster",
        n if n.starts_with("compare_") => "comparison",
        _ => "animation",
    }
}

/// What the pages need to know of an animation the grid wrote besides its runs': its size and
/// frames, read from its bytes (`gif`, named `file_name`); `poster` if its poster was written.
pub fn extra_of(file_name: &str, gif: impl std::io::Read, poster: bool) -> Result<Extra> {
    let info = inspect_reader(gif, Path::new(file_name))?;
    Ok(Extra {
        poster,
        file_name: file_name.to_string(),
        width: u32::from(info.summary.width),
        height: u32::from(info.summary.height),
        frames: info.summary.frames(),
    })
}

/// What the pages need to know of the other GIFs among `written` (the files the grid wrote
/// into the folder besides its runs': comparison GIFs, their posters), each read through
/// `open` (which may find a file not yet in place); and one line per GIF that cannot be read.
pub fn extras(
    written: &[PathBuf],
    open: impl Fn(&Path) -> std::io::Result<std::fs::File>,
) -> (Vec<Extra>, Vec<String>) {
    let mut errors = vec![];
    let extras = written
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("gif")))
        .filter_map(|p| extra(p, written, &open).map_err(|e| errors.push(format!("{}: {e}", p.display()))).ok())
        .collect();
    (extras, errors)
}

fn extra(gif: &Path, written: &[PathBuf], open: impl Fn(&Path) -> std::io::Result<std::fs::File>) -> Result<Extra> {
    let file_name = figures::name_of(gif);
    let poster = poster_name(&file_name);
    let file = open(gif).map_err(|source| Error::Io { action: "read", path: gif.into(), source })?;
    extra_of(&file_name, std::io::BufReader::new(file), written.iter().any(|p| figures::name_of(p) == poster))
}

/// The text files of the gallery, `GALLERY` after data.png, with their bytes: what
/// `write_gallery` writes and `grid --check` compares.
#[must_use]
pub fn pages(layout: &Layout, contents: &Contents) -> Vec<(&'static str, Vec<u8>)> {
    vec![
        (GALLERY[1], index_md(layout, contents).into_bytes()),
        (GALLERY[2], index_html(layout, contents).into_bytes()),
        (GALLERY[3], player_html(layout, contents).into_bytes()),
        (GALLERY[4], player_script().into_bytes()),
        (GALLERY[5], hugo_shortcode(layout, contents).into_bytes()),
        (GALLERY[6], jekyll_include(layout, contents).into_bytes()),
    ]
}

/// Writes [`GALLERY`]'s files to `targets` (checked paths, in that order), as `files` says.
/// `outcomes` are the runs, whose posters were written beside their GIFs if `posters`;
/// `extras` are the other animations the grid wrote into the same folder (the comparisons,
/// see [`extras`]): the pages show those they know ([`Layout::compare_lr_name`] and the like)
/// and ignore the rest. A file that fails does not stop the others: returns the files written
/// and one line per failure.
pub fn write_gallery(
    layout: &Layout,
    scene: &Scene,
    outcomes: &[Outcome],
    posters: bool,
    extras: &[Extra],
    targets: &[OutputFile],
    files: Files,
) -> (Vec<PathBuf>, Vec<String>) {
    let (mut done, mut errors) = (vec![], vec![]);
    if targets.len() != GALLERY.len() {
        return (done, vec![format!("the gallery needs {} targets, got {}", GALLERY.len(), targets.len())]);
    }
    let mut write =
        |target: &OutputFile, bytes: Result<Vec<u8>>| match bytes.and_then(|b| files.write_bytes(&target.real, &b)) {
            Ok(()) => {
                done.push(target.given.clone());
                true
            }
            Err(e) => {
                errors.push(format!("{}: {e}", target.given.display()));
                false
            }
        };
    let with_data = write(&targets[0], data_png(scene));
    let contents = Contents { outcomes, posters, data: with_data, extras };
    for ((_, bytes), target) in pages(layout, &contents).into_iter().zip(&targets[1..]) {
        write(target, Ok(bytes));
    }
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
        let targets: Vec<OutputFile> = GALLERY
            .iter()
            .map(|name| output_file(crate::error::Field::GridOutDir, &dir.path().join(name)).unwrap())
            .collect();
        let (extras, mut errors) = extras(&written, |p| std::fs::File::open(p));
        let (done, page_errors) = write_gallery(&layout, &scene, &outcomes, true, &extras, &targets, Files::Each);
        errors.extend(page_errors);
        assert_eq!(done.len(), GALLERY.len(), "{errors:?}");
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
        assert!(md.contains("learning rates 0.1, 1.0, side by side, step by step over 100 steps; every run settles](<compare_lr_bs16.gif>)"), "{md}");
        let png = image::load_from_memory(&std::fs::read(dir.path().join("data.png")).unwrap()).unwrap();
        assert_eq!((png.width(), png.height()), (300, 200));
    }

    /// Hostile base URLs, through every page in both fragments (the library takes any string;
    /// the command line refuses most of these): the pages hold what a plain base URL gives
    /// them, no script of their own, no `javascript:` and no line break inside a link.
    #[test]
    fn hostile_base_urls_cannot_add_markup_scripts_or_lines_to_any_page() {
        let hostile = [
            "<script>alert(3)</script>",
            "javascript:alert(1)//",
            "JAVASCRIPT:alert(1)",
            "/a b/",
            "/x\n## Injected\n[link](javascript:alert(2))\n",
            "\"><img src=x onerror=alert(4)>",
            "' onmouseover='alert(5)",
            "/a,b 2x/",
            "https://x.com/)](javascript:alert(6))",
            "{{< evil >}}{% evil %}",
        ];
        let extra = |name: &str| Extra { file_name: name.into(), width: 740, height: 560, frames: 101, poster: true };
        let extras = [extra("compare_lr_bs16.gif"), extra("compare_bs_lr0.1.gif"), extra("compare_grid.gif")];
        for fragment in [Fragment::Markdown, Fragment::Html] {
            let mut plain = figures::tests::layout(&[0.01, 0.1, 1.0], &[1, 16], "/img/");
            plain.fragment = fragment;
            let runs = figures::tests::outcomes(&plain);
            let contents = Contents { outcomes: &runs, posters: true, data: true, extras: &extras };
            let reference = pages(&plain, &contents);
            for base_url in hostile {
                let layout = Layout { base_url, ..plain };
                for ((name, bytes), (_, plain_bytes)) in pages(&layout, &contents).iter().zip(&reference) {
                    let text = String::from_utf8(bytes.clone()).unwrap();
                    let plain_text = String::from_utf8(plain_bytes.clone()).unwrap();
                    let what = format!("{name} with {base_url:?} ({fragment:?})");
                    assert_eq!(text.matches("<script").count(), plain_text.matches("<script").count(), "{what}");
                    assert_eq!(text.matches('<').count(), plain_text.matches('<').count(), "{what}");
                    assert_eq!(text.matches('"').count(), plain_text.matches('"').count(), "{what}");
                    assert_eq!(text.matches("{{").count(), plain_text.matches("{{").count(), "{what}");
                    assert_eq!(text.matches("{%").count(), plain_text.matches("{%").count(), "{what}");
                    assert_eq!(text.lines().count(), plain_text.lines().count(), "{what}");
                    assert!(!text.to_ascii_lowercase().contains("javascript:"), "{what}");
                    assert!(!text.contains(" onerror=") && !text.contains(" onmouseover="), "{what}: no new attribute");
                    for (_, url) in markdown_links(&text) {
                        assert!(!url.contains([' ', '\n', '<', '>']), "{what}: {url}");
                    }
                    for tag in figures::tests::tags(&text, "source") {
                        assert_eq!(tag["srcset"].split_whitespace().count(), 1, "{what}: one candidate");
                    }
                }
            }
        }
    }

    /// Every Markdown link or image destination `](<...>)` of `md`: (text, url).
    fn markdown_links(md: &str) -> Vec<(String, String)> {
        md.match_indices("](<")
            .map(|(at, _)| {
                let rest = &md[at + 3..];
                (md[..at].rsplit('[').next().unwrap_or("").to_string(), rest[..rest.find(">)").unwrap()].to_string())
            })
            .collect()
    }
}
