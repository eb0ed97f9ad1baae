//! index.html: the set laid out like the post (the data at its natural size, gradient descent,
//! the learning-rate row, the batch-size row, then the whole grid as a table of lr rows by
//! batch-size columns, each cell with its outcome), every path relative to the page so it
//! previews from its folder whatever the base URL, and the step-by-step player on every figure.

use super::figures::{escape, Contents, Figure, Layout};
use super::player::{player_link, PAGE_CSS, PLAYER_CSS, PLAYER_JS};

/// An animation, with its poster for readers who ask for reduced motion.
fn picture(f: &Figure) -> String {
    let img = format!(
        "<img src=\"{}\" width=\"{}\" height=\"{}\" alt=\"{}\">",
        escape(&f.file),
        f.width,
        f.height,
        escape(&f.alt)
    );
    match &f.poster {
        Some(poster) => format!(
            "<picture><source media=\"(prefers-reduced-motion: reduce)\" srcset=\"{}\">{img}</picture>",
            escape(poster)
        ),
        None => img,
    }
}

/// A figure the player takes over: the picture, then a caption.
fn figure(f: &Figure, caption: &str) -> String {
    format!(
        "<figure class=\"anim\" data-gif=\"{}\" data-frames=\"{}\">{}<figcaption>{caption}</figcaption></figure>\n",
        escape(&f.file),
        f.frames,
        picture(f)
    )
}

/// A grid cell: the picture and its outcome, with a link to the player (a cell is too narrow
/// for the controls).
fn cell(f: &Figure) -> String {
    format!(
        "<figure>{}<figcaption><span class=\"{}\" title=\"{}\">{}</span> \u{b7} <a href=\"{}\">player</a></figcaption></figure>",
        picture(f),
        f.kind,
        escape(&f.note),
        escape(&f.outcome),
        escape(&player_link(&f.file))
    )
}

/// `<b>SGD lr=0.1 bs=16</b>: ok (slope 2.97, ...)`, and where to step through it alone.
fn caption(f: &Figure) -> String {
    let outcome = if f.outcome.is_empty() {
        String::new()
    } else {
        format!(": <span class=\"{}\">{}</span>", f.kind, escape(&f.outcome))
    };
    format!(
        "<b>{}</b>{outcome}<br>{} \u{b7} <a href=\"{}\">player</a>",
        escape(&f.title),
        escape(&f.note),
        escape(&player_link(&f.file))
    )
}

const STYLE: &str = ".row{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,var(--cell)),1fr));\
gap:1em;align-items:start}table{border-collapse:collapse;table-layout:fixed;width:100%}\
th,td{border:1px solid #ddd;padding:.3em;vertical-align:top;font-size:.8rem}td figure{margin:0}\
tr:first-child th:first-child{width:4em}";

/// The gallery page. `contents` says which files exist beside it.
#[must_use]
pub fn index_html(layout: &Layout, contents: &Contents) -> String {
    let mut body = String::new();
    if contents.data {
        body.push_str(&format!(
            "<section><h2>The data</h2>\n<p><img src=\"data.png\" width=\"{}\" height=\"{}\" alt=\"{}\"></p></section>\n",
            layout.width,
            layout.height,
            escape(&layout.data_alt())
        ));
    }
    for section in layout.sections(contents) {
        body.push_str(&format!("<section><h2>{}</h2>\n", escape(&section.heading)));
        if let Some(comparison) = &section.comparison {
            body.push_str(&figure(comparison, &caption(comparison)));
        }
        body.push_str("<div class=\"row\">\n");
        for (_, f) in &section.runs {
            body.push_str(&figure(f, &caption(f)));
        }
        body.push_str("</div></section>\n");
    }
    if let Some(grid) = layout.grid(contents) {
        body.push_str("<section><h2>The whole grid</h2>\n");
        if let Some(comparison) = &grid.comparison {
            body.push_str(&figure(comparison, &caption(comparison)));
        }
        body.push_str("<table><caption>Learning rate (rows) by batch size (columns)</caption>\n<tr><th scope=\"col\">lr \\ bs</th>");
        for b in &grid.columns {
            body.push_str(&format!("<th scope=\"col\">{b}</th>"));
        }
        body.push_str("</tr>\n");
        for (lr, cells) in &grid.rows {
            body.push_str(&format!("<tr><th scope=\"row\">{}</th>", escape(lr)));
            for found in cells {
                body.push_str("<td>");
                if let Some(f) = found {
                    body.push_str(&cell(f));
                }
                body.push_str("</td>");
            }
            body.push_str("</tr>\n");
        }
        body.push_str("</table></section>\n");
    }
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<title>SGD from scratch: the animations</title>\n<style>{PAGE_CSS}{STYLE}{PLAYER_CSS}</style></head>\n\
<body style=\"--cell:{cell}px\">\n<h1>SGD from scratch: the animations</h1>\n\
<p>Each animation fits a line in {steps} steps from slope {slope}, intercept {intercept}. \
Under each one: pause, step (or the arrow keys), scrub, speed, and loop, once or back and forth; \
<a href=\"player.html\">the player</a> shows one at a time.</p>\n{body}<script>{PLAYER_JS}</script>\n</body></html>\n",
        cell = (layout.width / 2).max(160),
        steps = layout.steps,
        slope = layout.start.0,
        intercept = layout.start.1,
    )
}
