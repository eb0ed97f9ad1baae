//! index.md: a fragment to paste into a post (no title of its own: the post has one), with
//! the base URL in front of every path. Images are HTML (`<picture>` with the poster for
//! readers who ask for reduced motion, `<img>` with its size), which kramdown (Jekyll) renders
//! as it is and goldmark (Hugo) with `markup.goldmark.renderer.unsafe = true`.

use super::figures::{escape, folder_url, Contents, Figure, Layout};

/// An animation as HTML inside Markdown, on one line.
fn picture(url: &str, f: &Figure) -> String {
    let img = format!(
        "<img src=\"{url}{file}\" width=\"{w}\" height=\"{h}\" alt=\"{alt}\">",
        url = escape(url),
        file = escape(&f.file),
        w = f.width,
        h = f.height,
        alt = escape(&f.alt)
    );
    match &f.poster {
        Some(poster) => format!(
            "<picture><source media=\"(prefers-reduced-motion: reduce)\" srcset=\"{}{}\">{img}</picture>",
            escape(url),
            escape(poster)
        ),
        None => img,
    }
}

fn row(cells: &[String]) -> String {
    format!("| {} |\n", cells.join(" | "))
}

fn table(header: &[String], rows: &[Vec<String>]) -> String {
    let mut md = row(header);
    md.push_str(&row(&vec!["---".to_string(); header.len()]));
    for cells in rows {
        md.push_str(&row(cells));
    }
    md
}

/// A link to a run's file, named by `label`, with its outcome.
fn link(url: &str, label: &str, f: &Figure) -> String {
    format!("[{label}]({url}{}) ({})", f.file, f.outcome)
}

/// The fragment: data.png, gradient descent, the learning-rate row, the batch-size row and
/// the whole grid; each row's comparison animation, where it was written, in place of its
/// table of single animations (which are then linked by name).
#[must_use]
pub fn index_md(layout: &Layout, contents: &Contents) -> String {
    let url = &folder_url(layout.base_url);
    let mut md = String::new();
    if contents.data {
        md.push_str(&format!(
            "<img src=\"{}data.png\" width=\"{}\" height=\"{}\" alt=\"{}\">\n\n",
            escape(url),
            layout.width,
            layout.height,
            escape(&layout.data_alt())
        ));
    }
    for section in layout.sections(contents) {
        md.push_str(&format!("## {}\n\n", section.heading));
        match &section.comparison {
            Some(comparison) => {
                md.push_str(&format!("{}\n\n", picture(url, comparison)));
                let links: Vec<String> = section.runs.iter().map(|(label, f)| link(url, label, f)).collect();
                if !links.is_empty() {
                    md.push_str(&format!("Each run alone: {}.\n\n", links.join(", ")));
                }
            }
            None if section.runs.len() == 1 => {
                md.push_str(&format!("{}\n\n", picture(url, &section.runs[0].1)));
            }
            None => {
                let header: Vec<String> = section.runs.iter().map(|(label, _)| label.clone()).collect();
                let cells: Vec<String> = section.runs.iter().map(|(_, f)| picture(url, f)).collect();
                md.push_str(&table(&header, &[cells]));
                md.push('\n');
            }
        }
    }
    if let Some(grid) = layout.grid(contents) {
        md.push_str("## The whole grid\n\n");
        let mut header = vec!["lr \\ batch size".to_string()];
        header.extend(grid.columns.iter().map(ToString::to_string));
        let rows: Vec<Vec<String>> = grid
            .rows
            .iter()
            .map(|(lr, cells)| {
                let cell = |f: &Option<Figure>| match (f, &grid.comparison) {
                    (None, _) => String::new(),
                    (Some(f), Some(_)) => format!("[{}]({url}{})", f.outcome, f.file),
                    (Some(f), None) => picture(url, f),
                };
                std::iter::once(lr.clone()).chain(cells.iter().map(cell)).collect()
            })
            .collect();
        if let Some(comparison) = &grid.comparison {
            md.push_str(&format!("{}\n\n", picture(url, comparison)));
        }
        md.push_str(&table(&header, &rows));
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

    #[test]
    fn a_fragment_without_title_with_the_base_url_and_sized_images() {
        let l = layout(&LRS, &SIZES, "/images/fastai");
        let runs = outcomes(&l);
        let md = index_md(&l, &Contents { outcomes: &runs, posters: true, data: true, extras: &[] });
        assert!(md.lines().all(|line| !line.starts_with("# ")), "no H1: the post has its title\n{md}");
        assert!(
            md.starts_with("<img src=\"/images/fastai/data.png\" width=\"640\" height=\"480\" alt=\"The data"),
            "{md}"
        );
        let imgs = tags(&md, "img");
        assert_eq!(imgs.len(), 1 + 1 + 3 + 7 + 21, "data, GD, the two rows, the grid");
        for img in &imgs {
            assert!(img["src"].starts_with("/images/fastai/"), "{img:?}");
            assert_eq!((img["width"].as_str(), img["height"].as_str()), ("640", "480"));
            assert!(img["alt"].len() > 40, "{img:?}");
        }
        let sources = tags(&md, "source");
        assert_eq!(sources.len(), imgs.len() - 1, "a poster for every animation");
        assert!(sources
            .iter()
            .all(|s| s["srcset"].starts_with("/images/fastai/line_") && s["srcset"].rsplit('.').next() == Some("png")));
        assert!(
            md.contains("## Learning rate (batch size 16)\n\n| lr 0.01 | lr 0.1 | lr 1.0 |\n| --- | --- | --- |\n"),
            "{md}"
        );
        assert!(md.contains("## The whole grid\n\n| lr \\ batch size | 1 | 2 | 4 | 8 | 16 | 32 | 64 |\n"), "{md}");
        // Each picture is one line, so a Markdown table row holds it.
        assert!(md
            .lines()
            .filter(|l| l.contains("<picture>"))
            .all(|l| l.matches("<picture>").count() == l.matches("</picture>").count()));
    }

    #[test]
    fn comparisons_replace_the_wide_tables_and_the_runs_stay_linked() {
        let l = layout(&LRS, &SIZES, "/img/");
        let runs = outcomes(&l);
        let extra = |name: &str| Extra { file_name: name.into(), width: 740, height: 560, frames: 101, poster: true };
        let extras = [extra("compare_lr_bs16.gif"), extra("compare_bs_lr0.1.gif"), extra("compare_grid.gif")];
        let md = index_md(&l, &Contents { outcomes: &runs, posters: true, data: false, extras: &extras });
        assert!(!md.contains("data.png"), "data.png was not written");
        let imgs = tags(&md, "img");
        let srcs: Vec<&str> = imgs.iter().map(|i| i["src"].as_str()).collect();
        assert_eq!(
            srcs,
            ["/img/line_gd_0.1.gif", "/img/compare_lr_bs16.gif", "/img/compare_bs_lr0.1.gif", "/img/compare_grid.gif"]
        );
        assert_eq!((imgs[3]["width"].as_str(), imgs[3]["height"].as_str()), ("740", "560"));
        assert!(md.contains("srcset=\"/img/compare_grid.png\""));
        assert!(
            md.contains("Each run alone: [bs 1](/img/line_sgd_0.1_1.gif) (ok), [bs 2](/img/line_sgd_0.1_2.gif) (ok), "),
            "{md}"
        );
        assert!(
            md.contains("| 1.0 | [diverged at step 35](/img/line_sgd_1.0_1.gif) | [ok](/img/line_sgd_1.0_2.gif) |"),
            "{md}"
        );
        assert!(!md.contains("| bs 1 | bs 2 |"), "no 7-wide table of images\n{md}");
    }
}
