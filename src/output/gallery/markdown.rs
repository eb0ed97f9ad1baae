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
