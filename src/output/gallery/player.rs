//! The step-by-step player: one script (player.js) and its style, inlined once into index.html
//! for every figure, and player.html, a self-contained page that plays one GIF of the folder
//! (`player.html?gif=line_sgd_0.1_16.gif`) or lists them. Nothing is loaded from elsewhere.

use super::figures::{all_figures, Contents, Figure, Layout};
use serde::Serialize;

/// The player's script: controls for each `<figure class="anim" data-gif=...>` of a page.
pub const PLAYER_JS: &str = include_str!("player.js");

/// The player's style.
pub const PLAYER_CSS: &str = include_str!("player.css");

/// The pages' own style, besides the player's.
pub(super) const PAGE_CSS: &str = ":root{color-scheme:light dark}\
body{font:16px/1.5 system-ui,sans-serif;color:#222;background:#fff;max-width:1400px;margin:0 auto;\
padding:1em 2em}img{max-width:100%;height:auto;vertical-align:top}figure{margin:0 0 1.5em;width:fit-content;max-width:100%}\
figcaption{font-size:.85rem}.diverged{color:#a40000}.unstable{color:#8a4b00}\
@media (max-width:600px){body{padding:.5em}}\
@media (prefers-color-scheme:dark){body{color:#e6e6e6;background:#161616}a{color:#8ab4f8}\
.diverged{color:#ff8a80}.unstable{color:#ffb74d}}";

/// `player.html?gif=NAME`, with the name made safe for a query string.
pub(super) fn player_link(gif: &str) -> String {
    let mut query = String::new();
    for b in gif.bytes() {
        if b.is_ascii_alphanumeric() || b"._-".contains(&b) {
            query.push(char::from(b));
        } else {
            query.push_str(&format!("%{b:02X}"));
        }
    }
    format!("player.html?gif={query}")
}

/// What player.html knows of each animation (short keys: the page stays small).
#[derive(Serialize)]
struct Entry<'a> {
    gif: &'a str,
    /// Whether its poster (`.png`) is beside it.
    png: bool,
    w: u32,
    h: u32,
    frames: u64,
    title: &'a str,
    alt: &'a str,
    outcome: &'a str,
}

/// Lists the animations and makes the figure for `?gif=NAME`: a name of this folder (no
/// path), known or not.
const BOOT_JS: &str = r"(() => {
const list = JSON.parse(document.getElementById('gifs').textContent);
const make = (tag, attrs, text) => {
const e = document.createElement(tag);
for (const [k, v] of Object.entries(attrs)) if (v !== undefined) e.setAttribute(k, v);
if (text) e.textContent = text;
return e;
};
const ul = document.getElementById('list');
for (const e of list) {
const li = make('li', {});
li.append(make('a', { href: '?gif=' + encodeURIComponent(e.gif) }, e.title), e.outcome ? ' (' + e.outcome + ')' : '');
ul.append(li);
}
const name = new URLSearchParams(location.search).get('gif');
if (!name) return;
const stage = document.getElementById('stage');
if (!/^[\w+-][\w.+-]*\.gif$/i.test(name)) {
stage.textContent = 'Not the name of a GIF in this folder: ' + name;
return;
}
const g = list.find((e) => e.gif === name) || { gif: name, title: name, alt: 'The animation ' + name };
const figure = make('figure', { class: 'anim', 'data-gif': g.gif, 'data-frames': g.frames, 'data-eager': '' });
const picture = make('picture', {});
if (g.png) picture.append(make('source', { media: '(prefers-reduced-motion: reduce)', srcset: g.gif.replace(/gif$/, 'png') }));
picture.append(make('img', { src: g.gif, width: g.w, height: g.h, alt: g.alt }));
const caption = make('figcaption', {}, g.alt + ' ');
caption.append(make('a', { href: g.gif }, 'The GIF'));
figure.append(picture, caption);
stage.replaceChildren(figure);
document.getElementById('title').textContent = g.title;
document.title = g.title + ' \u00B7 sgd-anim player';
})();";

/// Script without its indentation and its comments, to keep the pages small (no string in
/// ours spans lines, and a comment starts its line: `/* ... */` or `// ...`).
pub(super) fn compact(script: &str) -> String {
    let mut out = vec![];
    let mut in_comment = false;
    for line in script.lines().map(str::trim_start) {
        if in_comment || line.starts_with("/*") {
            in_comment = !line.contains("*/");
            continue;
        }
        if !line.is_empty() && !line.starts_with("//") {
            out.push(line);
        }
    }
    out.join("\n")
}

/// player.html: plays `?gif=NAME` step by step, or lists the folder's animations (`figures`).
fn page(figures: &[Figure]) -> String {
    let entries: Vec<Entry> = figures
        .iter()
        .map(|f| Entry {
            gif: &f.file,
            png: f.poster.is_some(),
            w: f.width,
            h: f.height,
            frames: f.frames,
            title: &f.title,
            alt: &f.alt,
            outcome: &f.outcome,
        })
        .collect();
    // Inside <script>, "</script" would end the element and "<!--" change how it is read:
    // JSON strings may spell "<" as "\u003c" instead.
    let json = serde_json::to_string(&entries).unwrap_or_else(|_| "[]".into()).replace('<', "\\u003c");
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>sgd-anim player</title>\n\
<style>{PAGE_CSS}{PLAYER_CSS}</style></head>\n<body>\n<header><h1 id=\"title\">Step through an animation</h1></header>\n\
<main id=\"stage\"><p>Pick an animation: it plays here with controls to pause, step (the arrow keys), \
scrub, change the speed and play it once, in a loop or back and forth.</p></main>\n\
<nav aria-labelledby=\"all\"><h2 id=\"all\">The animations</h2>\n<ul id=\"list\"></ul>\n\
<noscript><p>The player needs JavaScript.</p></noscript>\n\
<p><a href=\"index.html\">All of them on one page</a></p></nav>\n\
<script type=\"application/json\" id=\"gifs\">{json}</script>\n<script>{boot}</script>\n<script>{player}</script>\n\
</body></html>\n",
        boot = compact(BOOT_JS),
        player = compact(PLAYER_JS),
    )
}

/// player.html for the animations of `contents` (the comparisons first, then the runs).
#[must_use]
pub fn player_html(layout: &Layout, contents: &Contents) -> String {
    page(&all_figures(layout, contents))
}

#[cfg(test)]
pub(super) mod tests {
    use super::super::figures::tests::{layout, outcomes};
    use super::*;
    use crate::output::gallery::Extra;

    /// Every link and source of `html` is a file beside it: nothing is loaded from elsewhere.
    pub(crate) fn assert_only_relative_links(html: &str) {
        assert!(!html.contains("http") && !html.contains("url(") && !html.contains("@import"));
        for attr in [" src=\"", " href=\"", " srcset=\"", " data-gif=\""] {
            for (at, _) in html.match_indices(attr) {
                let value = &html[at + attr.len()..];
                let value = &value[..value.find('"').unwrap()];
                assert!(!value.starts_with('/') && !value.contains(':'), "{attr}{value}");
            }
        }
    }

    #[test]
    fn player_html_is_small_self_contained_and_lists_every_animation() {
        let l = layout(&[0.01, 0.1, 1.0], &[1, 2, 4, 8, 16, 32, 64], "/images/");
        let runs = outcomes(&l);
        let extra = |name: &str| Extra { file_name: name.into(), width: 740, height: 560, frames: 101, poster: true };
        let extras = [extra("compare_lr_bs16.gif"), extra("compare_bs_lr0.1.gif"), extra("compare_grid.gif")];
        let html = player_html(&l, &Contents { outcomes: &runs, posters: true, data: true, extras: &extras });
        // The default set and its three comparisons, with alt texts as long as the real ones.
        // 22 kB: the player grew by 4 kB (its clock, first/last, backwards, words for broken files).
        assert!(html.len() < 22_000, "{} bytes", html.len());
        assert_only_relative_links(&html);
        assert!(!html.contains("/images/"), "the base URL is for index.md");
        let json = &html[html.find("id=\"gifs\">").unwrap() + 10..];
        let json = &json[..json.find("</script>").unwrap()];
        let list: Vec<serde_json::Value> = serde_json::from_str(json).unwrap();
        assert_eq!(list.len(), 22 + 3);
        assert_eq!(list[0]["gif"], "compare_lr_bs16.gif");
        assert_eq!((list[3]["gif"].as_str(), list[3]["png"].as_bool()), (Some("line_gd_0.1.gif"), Some(true)));
        assert_eq!((list[3]["w"].as_u64(), list[3]["frames"].as_u64()), (Some(640), Some(101)));
        let diverged = list.iter().find(|e| e["gif"] == "line_sgd_1.0_1.gif").unwrap();
        assert_eq!(diverged["outcome"], "diverged at step 35");
    }

    #[test]
    fn the_script_is_inlined_safely() {
        for code in [PLAYER_JS, BOOT_JS, PLAYER_CSS] {
            assert!(!code.to_ascii_lowercase().contains("</script") && !code.contains("</style"));
            assert!(!code.contains("http") && !code.contains("import"), "no network, no modules");
        }
        // Without WebCodecs, the script leaves the page alone: the animated <img> plays.
        assert!(PLAYER_JS.contains("if (typeof ImageDecoder !== 'function' || window.sgdAnimPlayer) return;"));
        // A title with a closing tag cannot end the JSON's <script> element.
        let l = layout(&[0.1], &[16], "");
        let mut runs = outcomes(&l);
        runs[1].label = "</script><script>alert(1)</script>".into();
        let html = player_html(&l, &Contents { outcomes: &runs, posters: false, data: false, extras: &[] });
        assert_eq!(html.matches("<script").count(), 3);
        assert_eq!(player_link("line_sgd_1e+20_16.gif"), "player.html?gif=line_sgd_1e%2B20_16.gif");
        assert_eq!(compact("  a();\n\n    b();\n"), "a();\nb();");
        assert_eq!(compact("/* one\n two */\na(); /* kept */\n  // gone\nb();"), "a(); /* kept */\nb();");
    }
}
