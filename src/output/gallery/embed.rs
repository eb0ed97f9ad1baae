//! What a blog needs to show the animations in its own pages: the player as a file of its own
//! (`sgd-anim-player.js`, beside the GIFs), a Hugo shortcode and a Jekyll include that write
//! one animation's figure by its name:
//!
//! - Hugo: copy `hugo-shortcode-sgd.html` to `layouts/shortcodes/sgd.html`, then write
//!   `{{< sgd "line_sgd_0.1_16" >}}` in a post;
//! - Jekyll: copy `jekyll-include-sgd.html` to `_includes/sgd.html`, then write
//!   `{% include sgd.html name="line_sgd_0.1_16" %}`.
//!
//! Each figure is index.md's HTML figure (with the base URL), so it shows the GIF without the
//! script, and its poster to readers who ask for reduced motion.

use super::figures::{all_figures, Contents, Figure, Layout};
use super::html::{caption, figure};
use super::player::{compact, PLAYER_CSS, PLAYER_JS};
use super::url::{escape, file_segment, folder_url};

/// The player's file name, beside the GIFs.
pub const PLAYER_SCRIPT: &str = "sgd-anim-player.js";
/// The Hugo shortcode's file name in the folder (it goes to `layouts/shortcodes/sgd.html`).
pub const HUGO_SHORTCODE: &str = "hugo-shortcode-sgd.html";
/// The Jekyll include's file name in the folder (it goes to `_includes/sgd.html`).
pub const JEKYLL_INCLUDE: &str = "jekyll-include-sgd.html";

/// `sgd-anim-player.js`: the player, with its style added to the page once.
#[must_use]
pub fn player_script() -> String {
    let css = serde_json::to_string(PLAYER_CSS).unwrap_or_else(|_| "\"\"".into());
    format!(
        "/* sgd-anim's step-by-step player: loaded once in a page (a script element with defer), it \
takes over every figure of class anim with a data-gif. */\n\
(() => {{\nif (document.getElementById('sgd-anim-style')) return;\n\
const style = document.createElement('style');\nstyle.id = 'sgd-anim-style';\nstyle.textContent = {css};\n\
document.head.append(style);\n}})();\n{}\n",
        compact(PLAYER_JS)
    )
}

/// The script element that loads the player from the folder `url`.
fn script_tag(url: &str) -> String {
    format!("<script src=\"{}{}\" defer></script>\n", escape(url), escape(&file_segment(PLAYER_SCRIPT)))
}

/// A figure's name in a post: its file name without `.gif`.
fn name(f: &Figure) -> &str {
    f.file.strip_suffix(".gif").unwrap_or(&f.file)
}

/// A template's string literal: the names are ours (`line_sgd_0.1_16`); quotes and
/// backslashes escaped anyway.
fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The Hugo shortcode: one branch per animation of the folder.
#[must_use]
pub fn hugo_shortcode(layout: &Layout, contents: &Contents) -> String {
    let url = folder_url(layout.base_url);
    let figures = all_figures(layout, contents);
    let names: Vec<&str> = figures.iter().map(name).collect();
    let mut out = String::from(
        "{{- /* sgd-anim's animations for Hugo: copy this file to layouts/shortcodes/sgd.html, then write \
the shortcode sgd with an animation's name in a post (line_sgd_0.1_16). */ -}}\n\
{{- $name := strings.TrimSuffix \".gif\" (.Get 0) -}}\n",
    );
    for (i, f) in figures.iter().enumerate() {
        let branch = if i == 0 { "if" } else { "else if" };
        out.push_str(&format!(
            "{{{{- {branch} eq $name {} -}}}}\n{}",
            quoted(name(f)),
            figure(&url, f, &caption(&url, f))
        ));
    }
    let known = names.join(", ");
    if figures.is_empty() {
        out.push_str("{{- errorf \"sgd: no animation %q: the folder has none\" $name -}}\n");
    } else {
        out.push_str(&format!(
            "{{{{- else -}}}}\n{{{{- errorf \"sgd: no animation %q (these are: {})\" $name -}}}}\n{{{{- end -}}}}\n",
            known.replace('"', "")
        ));
    }
    out.push_str(&script_tag(&url));
    out
}

/// The Jekyll include: one branch per animation of the folder.
#[must_use]
pub fn jekyll_include(layout: &Layout, contents: &Contents) -> String {
    let url = folder_url(layout.base_url);
    let figures = all_figures(layout, contents);
    let mut out = String::from(
        "{%- comment -%} sgd-anim's animations for Jekyll: copy this file to _includes/sgd.html, then write \
include sgd.html name=\"line_sgd_0.1_16\" in a post. {%- endcomment -%}\n\
{%- assign sgd_name = include.name | remove: \".gif\" -%}\n{%- case sgd_name -%}\n",
    );
    for f in &figures {
        out.push_str(&format!("{{%- when {} -%}}\n{}", quoted(name(f)), figure(&url, f, &caption(&url, f))));
    }
    out.push_str("{%- else -%}\n<p>sgd: no animation named {{ sgd_name | escape }}</p>\n{%- endcase -%}\n");
    out.push_str(&script_tag(&url));
    out
}

#[cfg(test)]
mod tests {
    use super::super::figures::tests::{layout, outcomes};
    use super::*;

    #[test]
    fn the_shortcode_and_the_include_write_each_figure_by_name() {
        let l = layout(&[0.1, 1.0], &[16], "/images/sgd");
        let runs = outcomes(&l);
        let contents = Contents { outcomes: &runs, posters: true, data: true, extras: &[] };
        let hugo = hugo_shortcode(&l, &contents);
        assert!(hugo.contains(
            "{{- if eq $name \"line_gd_0.1\" -}}\n<figure class=\"anim\" data-gif=\"/images/sgd/line_gd_0.1.gif\""
        ));
        assert!(hugo.contains("{{- else if eq $name \"line_sgd_1.0_16\" -}}\n<figure"));
        assert!(hugo.contains("srcset=\"/images/sgd/line_sgd_1.0_16.png\""));
        assert!(hugo.ends_with("{{- end -}}\n<script src=\"/images/sgd/sgd-anim-player.js\" defer></script>\n"));
        assert_eq!(hugo.matches("{{").count(), hugo.matches("}}").count());
        let jekyll = jekyll_include(&l, &contents);
        assert!(jekyll.contains(
            "{%- when \"line_sgd_0.1_16\" -%}\n<figure class=\"anim\" data-gif=\"/images/sgd/line_sgd_0.1_16.gif\""
        ));
        assert!(jekyll.contains("{%- endcase -%}\n<script src=\"/images/sgd/sgd-anim-player.js\""));
        let script = player_script();
        assert!(script.contains("style.textContent = \".anim canvas{") && script.contains("class Player"));
        assert!(!script.contains("</script"));
    }
}
