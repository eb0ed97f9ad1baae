//! For posts: index.md with the post's tables, index.html (a self-contained gallery) and
//! data.png (the still scatter, the post's first figure).

use super::files::write_bytes_atomic;
use super::paths::OutputFile;
use super::Outcome;
use crate::error::{Error, Result};
use crate::format::{python_float, short_number};
use crate::render::Scene;
use crate::train::{BatchSize, Verdict};
use std::path::PathBuf;

/// What a gallery lays out: the grid's lists, in its order, and its frame size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Layout<'a> {
    /// Learning rates of the mini-batch runs.
    pub lrs: &'a [f64],
    /// Batch sizes of the mini-batch runs.
    pub batch_sizes: &'a [usize],
    /// Learning rates of the full-batch runs.
    pub gd_lrs: &'a [f64],
    /// Prefix of the image paths (a folder: a missing trailing `/` is added).
    pub base_url: &'a str,
    /// Frame width, in pixels.
    pub width: u32,
    /// Frame height, in pixels.
    pub height: u32,
}

fn image_md(base_url: &str, o: &Outcome) -> String {
    format!("![{}]({base_url}{})", o.label, o.file_name())
}

/// The animation of (lr, batch size), if it was written.
fn find(outcomes: &[Outcome], lr: f64, b: BatchSize) -> Option<&Outcome> {
    // The same number from the same list: compare bits, not values within a tolerance.
    outcomes.iter().find(|o| o.lr.to_bits() == lr.to_bits() && o.batch_size == b && o.error.is_none())
}

/// The base URL as a folder: `/images/fastai` links `/images/fastai/data.png`, never
/// `/images/fastaidata.png`.
fn folder_url(base_url: &str) -> String {
    if base_url.is_empty() || base_url.ends_with('/') {
        base_url.to_string()
    } else {
        format!("{base_url}/")
    }
}

/// The value the post's tables hold fixed: `preferred` when present, else the middle one.
fn pick<T: Copy + PartialEq>(values: &[T], preferred: T) -> Option<T> {
    if values.contains(&preferred) {
        Some(preferred)
    } else {
        values.get(values.len() / 2).copied()
    }
}

/// The Markdown snippets: the post's two tables and the full grid.
/// `with_data`: whether data.png was written (a page links only files that exist).
#[must_use]
pub fn index_md(settings: &Layout, outcomes: &[Outcome], with_data: bool) -> String {
    let url = &folder_url(settings.base_url);
    let lr_s = |lr: f64| python_float(lr);
    let mut md = String::from("# SGD from scratch: the animations\n\n");
    if with_data {
        md.push_str(&format!("![The data]({url}data.png)\n\n"));
    }
    for &lr in settings.gd_lrs {
        if let Some(o) = find(outcomes, lr, BatchSize::Full) {
            md.push_str(&format!("## Gradient descent, lr = {}\n\n{}\n\n", lr_s(lr), image_md(url, o)));
        }
    }
    let row = |cells: Vec<String>| format!("| {} |\n", cells.join(" | "));
    if let Some(bs) = pick(settings.batch_sizes, 16) {
        md.push_str(&format!("## Learning rate (batch size {bs})\n\n"));
        md.push_str(&row(settings.lrs.iter().map(|&lr| format!("lr = {}", lr_s(lr))).collect()));
        md.push_str(&row(settings.lrs.iter().map(|_| "---".to_string()).collect()));
        md.push_str(&row(settings
            .lrs
            .iter()
            .filter_map(|&lr| find(outcomes, lr, BatchSize::Size(bs)))
            .map(|o| image_md(url, o))
            .collect()));
        md.push('\n');
    }
    if let Some(lr) = pick(settings.lrs, 0.1) {
        md.push_str(&format!("## Batch size (lr = {})\n\n", lr_s(lr)));
        md.push_str(&row(settings.batch_sizes.iter().map(|b| format!("bs = {b}")).collect()));
        md.push_str(&row(settings.batch_sizes.iter().map(|_| "---".to_string()).collect()));
        md.push_str(&row(settings
            .batch_sizes
            .iter()
            .filter_map(|&b| find(outcomes, lr, BatchSize::Size(b)))
            .map(|o| image_md(url, o))
            .collect()));
        md.push('\n');
    }
    if !settings.lrs.is_empty() {
        md.push_str("## The whole grid\n\n");
        let mut header = vec!["lr \\ batch size".to_string()];
        header.extend(settings.batch_sizes.iter().map(std::string::ToString::to_string));
        md.push_str(&row(header.clone()));
        md.push_str(&row(header.iter().map(|_| "---".to_string()).collect()));
        for &lr in settings.lrs {
            let mut cells = vec![lr_s(lr)];
            cells.extend(
                settings
                    .batch_sizes
                    .iter()
                    .map(|&b| find(outcomes, lr, BatchSize::Size(b)).map_or(String::new(), |o| image_md(url, o))),
            );
            md.push_str(&row(cells));
        }
    }
    md
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A self-contained gallery page: plain HTML and CSS, nothing loaded from the web.
/// `with_data`: whether data.png was written.
#[must_use]
pub fn index_html(settings: &Layout, outcomes: &[Outcome], with_data: bool) -> String {
    let url = html_escape(&folder_url(settings.base_url));
    let mut figures = String::new();
    for o in outcomes.iter().filter(|o| o.error.is_none()) {
        let note = match o.verdict {
            Verdict::Settled => format!(
                "slope {:.3}, intercept {:.3}, loss {}",
                o.final_slope,
                o.final_intercept,
                short_number(o.final_loss)
            ),
            other => other.to_string(),
        };
        figures.push_str(&format!(
            "<figure><img src=\"{url}{file}\" alt=\"{label}\" loading=\"lazy\"><figcaption><b>{label}</b><br>{note}</figcaption></figure>\n",
            file = html_escape(&o.file_name()),
            label = html_escape(&o.label),
        ));
    }
    let (w, h) = (settings.width, settings.height);
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>SGD from scratch: the animations</title>\n\
<style>body{{font-family:system-ui,sans-serif;margin:2em;color:#222}}\
main{{display:grid;grid-template-columns:repeat(auto-fill,minmax({min}px,1fr));gap:1em}}\
figure{{margin:0}}img{{width:100%;height:auto;border:1px solid #ddd}}figcaption{{font-size:.85em}}</style></head>\n\
<body><h1>SGD from scratch: the animations</h1>\n{data}<main>\n{figures}</main></body></html>\n",
        min = (w / 2).max(200),
        data = if with_data {
            format!("<p><img src=\"{url}data.png\" alt=\"The data\" width=\"{}\" height=\"{}\"></p>\n", w / 2, h / 2)
        } else {
            String::new()
        },
    )
}

/// The still scatter as a PNG.
pub fn data_png(scene: &Scene) -> Result<Vec<u8>> {
    let bg = scene.background();
    let rgb = bg.to_rgb(scene.palette());
    let mut png = Vec::new();
    image::codecs::png::PngEncoder::new(&mut png)
        .write_image(&rgb, bg.width, bg.height, image::ExtendedColorType::Rgb8)
        .map_err(|e| Error::Draw(format!("PNG encoding: {e}")))?;
    Ok(png)
}

use image::ImageEncoder;

/// The gallery's files, in the order they are written (data.png first: the pages link it
/// only if it was written).
pub const GALLERY: [&str; 3] = ["data.png", "index.md", "index.html"];

/// Writes data.png, index.md and index.html to `targets` (checked paths of [`GALLERY`]'s
/// files, in that order). A file that fails does not stop the others: returns the files
/// written and one line per failure.
pub fn write_gallery(
    settings: &Layout,
    scene: &Scene,
    outcomes: &[Outcome],
    targets: &[OutputFile],
) -> (Vec<PathBuf>, Vec<String>) {
    let (mut written, mut errors) = (vec![], vec![]);
    let mut write =
        |target: &OutputFile, bytes: Result<Vec<u8>>| match bytes.and_then(|b| write_bytes_atomic(&target.real, &b)) {
            Ok(()) => {
                written.push(target.given.clone());
                true
            }
            Err(e) => {
                errors.push(format!("{}: {e}", target.given.display()));
                false
            }
        };
    let [png, md, html] = targets else {
        return (written, vec![format!("the gallery needs {} targets, got {}", GALLERY.len(), targets.len())]);
    };
    let with_data = write(png, data_png(scene));
    write(md, Ok(index_md(settings, outcomes, with_data).into_bytes()));
    write(html, Ok(index_html(settings, outcomes, with_data).into_bytes()));
    (written, errors)
}
