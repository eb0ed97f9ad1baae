//! The step-by-step player: one script (player.js) and its style, inlined once into index.html
//! for every figure, and player.html, a self-contained page that plays one GIF of the folder
//! (`player.html?gif=line_sgd_0.1_16.gif`) or lists them. Nothing is loaded from elsewhere.

use super::figures::{all_figures, escape, Contents, Figure, Layout};
use serde::Serialize;

/// The player's script: controls for each `<figure class="anim" data-gif=...>` of a page.
pub const PLAYER_JS: &str = include_str!("player.js");

/// The player's style.
pub const PLAYER_CSS: &str = include_str!("player.css");

/// The pages' own style, besides the player's.
pub(super) const PAGE_CSS: &str = "body{font:16px/1.5 system-ui,sans-serif;color:#222;max-width:1400px;margin:0 auto;\
padding:1em 2em}img{max-width:100%;height:auto;vertical-align:top}figure{margin:0 0 1.5em;width:fit-content;max-width:100%}\
figcaption{font-size:.85rem}.diverged{color:#a40000}.unstable{color:#8a4b00}";

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

/// What player.html knows of each animation.
#[derive(Serialize)]
struct Entry<'a> {
    gif: &'a str,
    poster: Option<&'a str>,
    width: u32,
    height: u32,
    frames: u64,
    alt: &'a str,
    title: &'a str,
    note: &'a str,
}

/// Makes the page's figure for `?gif=NAME`: a name of this folder (no path), known or not.
const BOOT_JS: &str = r"(() => {
  const name = new URLSearchParams(location.search).get('gif');
  if (!name) return;
  const stage = document.getElementById('stage');
  if (!/^[\w+-][\w.+-]*\.gif$/i.test(name)) {
    stage.textContent = 'Not the name of a GIF in this folder: ' + name;
    return;
  }
  const list = JSON.parse(document.getElementById('gifs').textContent);
  const g = list.find((e) => e.gif === name) || { gif: name, title: name, alt: 'The animation ' + name, note: '' };
  const make = (tag, attrs, text) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) e.setAttribute(k, v);
    if (text) e.textContent = text;
    return e;
  };
  const figure = make('figure', { class: 'anim', 'data-gif': g.gif, 'data-frames': g.frames, 'data-eager': '' });
  const picture = make('picture', {});
  if (g.poster) picture.append(make('source', { media: '(prefers-reduced-motion: reduce)', srcset: g.poster }));
  picture.append(make('img', { src: g.gif, width: g.width, height: g.height, alt: g.alt }));
  const caption = make('figcaption', {}, g.note ? g.note + ' ' : '');
  caption.append(make('a', { href: g.gif }, 'the GIF'));
  figure.append(picture, caption);
  stage.replaceChildren(figure);
  document.getElementById('title').textContent = g.title;
  document.title = g.title + ' \u00B7 sgd-anim player';
})();";

/// player.html: plays `?gif=NAME` step by step, or lists the folder's animations (`figures`).
fn page(figures: &[Figure]) -> String {
    let entries: Vec<Entry> = figures
        .iter()
        .map(|f| Entry {
            gif: &f.file,
            poster: f.poster.as_deref(),
            width: f.width,
            height: f.height,
            frames: f.frames,
            alt: &f.alt,
            title: &f.title,
            note: &f.note,
        })
        .collect();
    // Inside <script>, "</" could end the element: JSON allows "<\/" for it.
    let json = serde_json::to_string(&entries).unwrap_or_else(|_| "[]".into()).replace("</", "<\\/");
    let mut items = String::new();
    for f in figures {
        let outcome = if f.outcome.is_empty() { String::new() } else { format!(" ({})", escape(&f.outcome)) };
        items.push_str(&format!(
            "<li><a href=\"{}\">{}</a>{outcome}</li>\n",
            escape(&player_link(&f.file)),
            escape(&f.title)
        ));
    }
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>sgd-anim player</title>\n\
<style>{PAGE_CSS}{PLAYER_CSS}</style></head>\n<body>\n<h1 id=\"title\">Step through an animation</h1>\n\
<main id=\"stage\"><p>Pick an animation: it plays here with controls to pause, step (the arrow keys), \
scrub, change the speed and play it once, in a loop or back and forth.</p></main>\n\
<nav aria-labelledby=\"all\"><h2 id=\"all\">The animations</h2>\n<ul>\n{items}</ul>\n\
<p><a href=\"index.html\">All of them on one page</a></p></nav>\n\
<script type=\"application/json\" id=\"gifs\">{json}</script>\n<script>{BOOT_JS}</script>\n<script>{PLAYER_JS}</script>\n\
</body></html>\n"
    )
}

/// player.html for the animations of `contents` (the comparisons first, then the runs).
#[must_use]
pub fn player_html(layout: &Layout, contents: &Contents) -> String {
    page(&all_figures(layout, contents))
}
