//! index.md: a fragment to paste into a post (no title of its own: the post has one), with
//! the base URL in front of every path. By default plain `CommonMark`: Markdown images with
//! their alt text and links, no tables and no HTML, so Hugo in its default configuration
//! (raw HTML left out), Jekyll and any `CommonMark` renderer show every image. With
//! [`Fragment::Html`] each animation is an HTML figure instead (the poster for readers who ask
//! for reduced motion, the step-by-step player from `sgd-anim-player.js`, referenced once).

use super::figures::{Contents, Figure, Fragment, Layout};
use super::html::{caption, figure};
use super::url::{escape, file_segment, folder_url, markdown_destination, markdown_text};
use super::PLAYER_SCRIPT;

/// An animation as the fragment shows it, as a block of its own (ends with a blank line).
fn animation(layout: &Layout, url: &str, f: &Figure) -> String {
    match layout.fragment {
        Fragment::Markdown => format!("{}\n\n", image(url, &f.alt, &f.file)),
        Fragment::Html => format!("{}\n", figure(url, f, &caption(url, f))),
    }
}

/// `![alt](<url>)`.
fn image(url: &str, alt: &str, file: &str) -> String {
    format!("![{}]({})", markdown_text(alt), markdown_destination(&format!("{url}{}", file_segment(file))))
}

/// A link to a file of the folder: `[label](<url>)`.
fn link(url: &str, label: &str, file: &str) -> String {
    format!("[{}]({})", markdown_text(label), markdown_destination(&format!("{url}{}", file_segment(file))))
}

/// The runs of a row or of the grid, one after the other, each named by `label` and its
/// outcome.
fn each(layout: &Layout, url: &str, runs: &[(String, Figure)]) -> String {
    let mut md = String::new();
    for (label, f) in runs {
        if runs.len() > 1 && layout.fragment == Fragment::Markdown {
            md.push_str(&format!("**{}**: {}\n\n", markdown_text(label), markdown_text(&f.outcome)));
        }
        md.push_str(&animation(layout, url, f));
    }
    md
}

/// `[bs 1](<...>) (ok), [bs 2](<...>) (ok)`.
fn links(url: &str, runs: &[(String, Figure)]) -> String {
    let all: Vec<String> = runs
        .iter()
        .map(|(label, f)| format!("{} ({})", link(url, label, &f.file), markdown_text(&f.outcome)))
        .collect();
    all.join(", ")
}

/// The fragment: data.png, gradient descent, the learning-rate row, the batch-size row and
/// the whole grid; each row's comparison animation, where it was written, in place of its
/// single animations (which are then linked by name); then a link to the player.
#[must_use]
pub fn index_md(layout: &Layout, contents: &Contents) -> String {
    let url = &folder_url(layout.base_url);
    let mut md = String::new();
    if contents.data {
        md.push_str(&format!("{}\n\n", image(url, &layout.data_alt(), "data.png")));
    }
    for section in layout.sections(contents) {
        md.push_str(&format!("## {}\n\n", markdown_text(&section.heading)));
        match &section.comparison {
            Some(comparison) => {
                md.push_str(&animation(layout, url, comparison));
                if !section.runs.is_empty() {
                    md.push_str(&format!("Each run alone: {}.\n\n", links(url, &section.runs)));
                }
            }
            None => md.push_str(&each(layout, url, &section.runs)),
        }
    }
    if let Some(grid) = layout.grid(contents) {
        md.push_str("## The whole grid\n\n");
        if let Some(comparison) = &grid.comparison {
            md.push_str(&animation(layout, url, comparison));
        }
        for (lr, cells) in &grid.rows {
            let runs: Vec<(String, Figure)> =
                grid.columns.iter().zip(cells).filter_map(|(b, f)| f.clone().map(|f| (format!("bs {b}"), f))).collect();
            if runs.is_empty() {
                continue;
            }
            if grid.comparison.is_some() {
                md.push_str(&format!("- lr {}: {}\n", markdown_text(lr), links(url, &runs)));
            } else {
                md.push_str(&format!("### lr {}\n\n{}", markdown_text(lr), each(layout, url, &runs)));
            }
        }
        if grid.comparison.is_some() {
            md.push('\n');
        }
    }
    md.push_str(&format!("Step through any of them frame by frame: {}.\n", link(url, "the player", "player.html")));
    if layout.fragment == Fragment::Html {
        md.push_str(&format!(
            "\n<script src=\"{}{}\" defer></script>\n",
            escape(url),
            escape(&file_segment(PLAYER_SCRIPT))
        ));
    }
    md
}

#[cfg(test)]
mod tests {
    use super::super::figures::tests::{layout, outcomes, tags};
    use super::*;
    use crate::output::gallery::Extra;

    const LRS: [f64; 3] = [0.01, 0.1, 1.0];
    const SIZES: [usize; 7] = [1, 2, 4, 8, 16, 32, 64];

    /// Every Markdown image `![alt](<url>)` of `md`: (alt, url).
    fn images(md: &str) -> Vec<(String, String)> {
        md.match_indices("![")
            .map(|(at, _)| {
                let rest = &md[at + 2..];
                let close = rest.find("](<").unwrap();
                let url = &rest[close + 3..];
                (rest[..close].to_string(), url[..url.find(">)").unwrap()].to_string())
            })
            .collect()
    }

    #[test]
    fn a_plain_commonmark_fragment_with_the_base_url_and_described_images() {
        let l = layout(&LRS, &SIZES, "/images/fastai");
        let runs = outcomes(&l);
        let md = index_md(&l, &Contents { outcomes: &runs, posters: true, data: true, extras: &[] });
        assert!(md.lines().all(|line| !line.starts_with("# ")), "no H1: the post has its title\n{md}");
        assert!(md.starts_with("![The data: the points every run fits"), "{md}");
        let imgs = images(&md);
        assert_eq!(imgs.len(), 1 + 1 + 3 + 7 + 21, "data, GD, the two rows, the grid");
        for (alt, url) in &imgs {
            assert!(url.starts_with("/images/fastai/") && !url.contains(' '), "{url}");
            assert!(alt.len() > 40 && !alt.contains('\n'), "{alt}");
        }
        // No HTML and no GFM table: what Hugo's default configuration and CommonMark show.
        let without_destinations = md.replace("](<", "](").replace(">)", ")");
        assert!(!without_destinations.contains('<') && !without_destinations.contains('>'), "{md}");
        assert!(md.lines().all(|line| !line.starts_with('|')), "{md}");
        assert!(
            md.contains("## Learning rate (batch size 16)\n\n**lr 0.01**: ok\n\n![SGD, lr 0.01, batch size 16"),
            "{md}"
        );
        assert!(
            md.contains("## The whole grid\n\n### lr 0.01\n\n**bs 1**: ok\n\n![SGD, lr 0.01, batch size 1:"),
            "{md}"
        );
        assert!(md.ends_with("Step through any of them frame by frame: [the player](</images/fastai/player.html>).\n"));
    }

    #[test]
    fn comparisons_replace_the_single_animations_and_the_runs_stay_linked() {
        let l = layout(&LRS, &SIZES, "/img/");
        let runs = outcomes(&l);
        let extra = |name: &str| Extra { file_name: name.into(), width: 740, height: 560, frames: 101, poster: true };
        let extras = [extra("compare_lr_bs16.gif"), extra("compare_bs_lr0.1.gif"), extra("compare_grid.gif")];
        let md = index_md(&l, &Contents { outcomes: &runs, posters: true, data: false, extras: &extras });
        assert!(!md.contains("data.png"), "data.png was not written");
        let srcs: Vec<String> = images(&md).into_iter().map(|(_, url)| url).collect();
        assert_eq!(
            srcs,
            ["/img/line_gd_0.1.gif", "/img/compare_lr_bs16.gif", "/img/compare_bs_lr0.1.gif", "/img/compare_grid.gif"]
        );
        assert!(
            md.contains(
                "Each run alone: [bs 1](</img/line_sgd_0.1_1.gif>) (ok), [bs 2](</img/line_sgd_0.1_2.gif>) (ok), "
            ),
            "{md}"
        );
        assert!(
            md.contains("- lr 1.0: [bs 1](</img/line_sgd_1.0_1.gif>) (diverged at step 35), [bs 2](</img/line_sgd_1.0_2.gif>) (ok),"),
            "{md}"
        );
    }

    #[test]
    fn the_html_fragment_has_posters_and_the_player_script_once() {
        let mut l = layout(&LRS, &SIZES, "https://example.com/img");
        l.fragment = Fragment::Html;
        let runs = outcomes(&l);
        let extra = |name: &str| Extra { file_name: name.into(), width: 740, height: 560, frames: 101, poster: true };
        let extras = [extra("compare_lr_bs16.gif"), extra("compare_bs_lr0.1.gif"), extra("compare_grid.gif")];
        let md = index_md(&l, &Contents { outcomes: &runs, posters: true, data: true, extras: &extras });
        let figures = tags(&md, "figure");
        assert_eq!(figures.len(), 4, "GD and the three comparisons");
        assert!(figures.iter().all(|f| f["class"] == "anim" && f["data-gif"].starts_with("https://example.com/img/")));
        let sources = tags(&md, "source");
        assert_eq!(sources.len(), 4, "a poster for every animation, the comparisons' too");
        assert!(
            sources
                .iter()
                .all(|s| s["media"] == "(prefers-reduced-motion: reduce)"
                    && s["srcset"].rsplit('.').next() == Some("png"))
        );
        assert_eq!(md.matches("<script").count(), 1);
        assert!(
            md.ends_with("\n\n<script src=\"https://example.com/img/sgd-anim-player.js\" defer></script>\n"),
            "{md}"
        );
        // Each figure is a block of its own, on one line.
        assert!(md
            .lines()
            .filter(|l| l.contains("<figure"))
            .all(|l| l.starts_with("<figure") && l.ends_with("</figure>")));
    }
}
