//! index.html: the set laid out like the post (the data at its natural size, gradient descent,
//! the learning-rate row, the batch-size row, then the whole grid as a table of lr rows by
//! batch-size columns, each cell with its outcome), every path relative to the page so it
//! previews from its folder whatever the base URL, and the step-by-step player on every figure.

use super::figures::{Contents, Figure, Layout};
use super::player::{compact, player_link, PAGE_CSS, PLAYER_CSS, PLAYER_JS};
use super::url::{escape, file_segment};
use crate::encode::Format;

/// An animation, with its poster for readers who ask for reduced motion, then its WebP for
/// browsers that show it (the GIF in `<img>` is the fallback); `url` is the folder it is in,
/// as [`folder_url`] makes it (`""` beside the page).
pub(super) fn picture(url: &str, f: &Figure) -> String {
    let img = format!(
        "<img src=\"{}{}\" width=\"{}\" height=\"{}\" alt=\"{}\">",
        escape(url),
        escape(&file_segment(&f.file)),
        f.width,
        f.height,
        escape(&f.alt)
    );
    let mut sources = String::new();
    if let Some(poster) = &f.poster {
        sources.push_str(&format!(
            "<source media=\"(prefers-reduced-motion: reduce)\" srcset=\"{}{}\">",
            escape(url),
            escape(&file_segment(poster))
        ));
    }
    if let Some(webp) = &f.webp {
        sources.push_str(&format!(
            "<source type=\"{}\" srcset=\"{}{}\">",
            Format::Webp.mime_type(),
            escape(url),
            escape(&file_segment(webp))
        ));
    }
    if sources.is_empty() {
        img
    } else {
        format!("<picture>{sources}{img}</picture>")
    }
}

/// A figure the player takes over: the picture, then a caption.
pub(super) fn figure(url: &str, f: &Figure, caption: &str) -> String {
    format!(
        "<figure class=\"anim\" data-gif=\"{}{}\"{} data-frames=\"{}\">{}<figcaption>{caption}</figcaption></figure>\n",
        escape(url),
        escape(&file_segment(&f.file)),
        f.webp.as_ref().map_or(String::new(), |w| format!(
            " data-webp=\"{}{}\"",
            escape(url),
            escape(&file_segment(w))
        )),
        f.frames,
        picture(url, f)
    )
}

/// A grid cell: the picture and its outcome, with a link to the player (a cell is too narrow
/// for the controls).
fn cell(f: &Figure) -> String {
    format!(
        "<figure>{}<figcaption><span class=\"{}\" title=\"{}\">{}</span> \u{b7} <a href=\"{}\">player</a></figcaption></figure>",
        picture("", f),
        f.kind,
        escape(&f.note),
        escape(&f.outcome),
        escape(&player_link(&f.file))
    )
}

/// `<b>SGD lr=0.1 bs=16</b>: ok (slope 2.97, ...)`, and where to step through it alone
/// (player.html in the folder `url`).
pub(super) fn caption(url: &str, f: &Figure) -> String {
    let outcome = if f.outcome.is_empty() {
        String::new()
    } else {
        format!(": <span class=\"{}\">{}</span>", f.kind, escape(&f.outcome))
    };
    format!(
        "<b>{}</b>{outcome}<br>{} \u{b7} <a href=\"{}{}\">player</a>",
        escape(&f.title),
        escape(&f.note),
        escape(url),
        escape(&player_link(&f.file))
    )
}

const STYLE: &str = ".row{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,var(--cell)),1fr));\
gap:1em;align-items:start}table{border-collapse:collapse;table-layout:fixed;width:100%}\
th,td{border:1px solid #8888;padding:.3em;vertical-align:top;font-size:.8rem;overflow-wrap:anywhere}td figure{margin:0}\
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
            body.push_str(&figure("", comparison, &caption("", comparison)));
        }
        body.push_str("<div class=\"row\">\n");
        for (_, f) in &section.runs {
            body.push_str(&figure("", f, &caption("", f)));
        }
        body.push_str("</div></section>\n");
    }
    if let Some(grid) = layout.grid(contents) {
        body.push_str("<section><h2>The whole grid</h2>\n");
        for comparison in &grid.comparisons {
            body.push_str(&figure("", comparison, &caption("", comparison)));
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
<body style=\"--cell:{cell}px\">\n<header><h1>SGD from scratch: the animations</h1>\n\
<p>Each animation fits a line in {steps} steps from slope {slope}, intercept {intercept}. \
Under each one: first and last step, play backwards or forwards, pause, step (or the arrow keys \
over a figure), scrub, speed, and loop, once or back and forth; \
<a href=\"player.html\">the player</a> shows one at a time.</p></header>\n<main>\n{body}</main>\n\
<script>{script}</script>\n</body></html>\n",
        script = compact(PLAYER_JS),
        cell = (layout.width / 2).max(160),
        steps = layout.steps,
        slope = layout.start.0,
        intercept = layout.start.1,
    )
}

#[cfg(test)]
mod tests {
    use super::super::figures::tests::{layout, outcomes, tags};
    use super::*;
    use crate::output::gallery::Extra;

    const LRS: [f64; 3] = [0.01, 0.1, 1.0];
    const SIZES: [usize; 7] = [1, 2, 4, 8, 16, 32, 64];

    #[test]
    fn paths_are_relative_whatever_the_base_url_and_every_image_is_sized_and_described() {
        let runs = outcomes(&layout(&LRS, &SIZES, ""));
        let contents = Contents { outcomes: &runs, posters: true, data: true, extras: &[] };
        let plain = index_html(&layout(&LRS, &SIZES, ""), &contents);
        for base_url in ["/images/fastai/", "https://example.com/img"] {
            assert_eq!(index_html(&layout(&LRS, &SIZES, base_url), &contents), plain, "{base_url}");
        }
        let imgs = tags(&plain, "img");
        assert_eq!(imgs.len(), 1 + 1 + 3 + 7 + 21);
        // The data at its natural size, first.
        assert_eq!(
            (imgs[0]["src"].as_str(), imgs[0]["width"].as_str(), imgs[0]["height"].as_str()),
            ("data.png", "640", "480")
        );
        for img in &imgs {
            assert!(!img["src"].contains('/') && !img["src"].contains(':'), "{img:?}");
            assert!(img.contains_key("width") && img.contains_key("height") && img["alt"].len() > 20, "{img:?}");
        }
        for source in tags(&plain, "source") {
            assert_eq!(source["media"], "(prefers-reduced-motion: reduce)");
            assert!(source["srcset"].starts_with("line_") && source["srcset"].rsplit('.').next() == Some("png"));
        }
        super::super::player::tests::assert_only_relative_links(&plain);
    }

    #[test]
    fn the_page_follows_the_post_and_the_grid_is_a_table() {
        let l = layout(&LRS, &SIZES, "");
        let runs = outcomes(&l);
        let html = index_html(&l, &Contents { outcomes: &runs, posters: true, data: true, extras: &[] });
        let at = |s: &str| html.find(s).unwrap_or_else(|| panic!("{s} missing"));
        let order = [
            at("<h2>The data</h2>"),
            at("<h2>Gradient descent (lr 0.1)</h2>"),
            at("<h2>Learning rate (batch size 16)</h2>"),
            at("<h2>Batch size (lr 0.1)</h2>"),
            at("<h2>The whole grid</h2>"),
        ];
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
        let table = &html[at("<table>")..at("</table>")];
        assert_eq!(table.matches("<th scope=\"col\">").count(), 1 + 7);
        let rows: Vec<&str> = table.split("<tr>").skip(2).collect();
        assert_eq!(rows.len(), 3);
        assert!(rows[2].starts_with("<th scope=\"row\">1.0</th><td><figure><picture>"), "{}", rows[2]);
        assert!(rows[2].contains("<span class=\"diverged\" title=\"diverged at step 35\">diverged at step 35</span>"));
        assert_eq!(rows[0].matches(">ok</span>").count(), 7);
        // The rows' figures get a player; the narrow grid cells link to it.
        let body = &html[..at("<script>")];
        assert_eq!(body.matches("<figure class=\"anim\"").count(), 1 + 3 + 7);
        assert!(html.contains("<a href=\"player.html?gif=line_sgd_1.0_1.gif\">player</a>"));
        assert_eq!(html.matches("<script>").count(), 1, "the player's script, once");
    }

    #[test]
    fn comparisons_come_first_in_their_sections() {
        let l = layout(&LRS, &SIZES, "/x/");
        let runs = outcomes(&l);
        let extra = |name: &str| Extra { file_name: name.into(), width: 740, height: 560, frames: 101, poster: true };
        let extras = [extra("compare_lr_bs16.gif"), extra("compare_grid.gif")];
        let html = index_html(&l, &Contents { outcomes: &runs, posters: true, data: true, extras: &extras });
        let lr_row = html.find("<h2>Learning rate").unwrap();
        let compare = html.find("data-gif=\"compare_lr_bs16.gif\" data-frames=\"101\"").unwrap();
        let first_run = html.find("data-gif=\"line_sgd_0.01_16.gif\"").unwrap();
        assert!(lr_row < compare && compare < first_run);
        assert!(html.contains("<source media=\"(prefers-reduced-motion: reduce)\" srcset=\"compare_grid.png\"><img src=\"compare_grid.gif\" width=\"740\" height=\"560\""));
        assert!(!html.contains("compare_bs"), "not written, not linked");
    }

    #[test]
    fn a_webp_is_offered_first_with_the_gif_as_fallback() {
        let l = Layout { webp: true, ..layout(&LRS, &SIZES, "") };
        let runs = outcomes(&l);
        let extra = |name: &str| Extra { file_name: name.into(), width: 740, height: 560, frames: 101, poster: true };
        let extras = [extra("compare_grid.gif")];
        let html = index_html(&l, &Contents { outcomes: &runs, posters: true, data: true, extras: &extras });
        assert!(html.contains(
            "<picture><source media=\"(prefers-reduced-motion: reduce)\" srcset=\"compare_grid.png\">\
             <source type=\"image/webp\" srcset=\"compare_grid.webp\"><img src=\"compare_grid.gif\""
        ));
        assert!(html.contains("data-gif=\"line_gd_0.1.gif\" data-webp=\"line_gd_0.1.webp\" data-frames=\"101\""));
        assert_eq!(html.matches("<source type=\"image/webp\"").count(), html.matches("<img src=\"line_").count() + 1);
        // Without WebPs, no WebP source.
        let gif_only = index_html(
            &layout(&LRS, &SIZES, ""),
            &Contents { outcomes: &runs, posters: true, data: true, extras: &extras },
        );
        assert!(!gif_only.contains("image/webp\" srcset") && !gif_only.contains("data-webp=\""));
    }
}
