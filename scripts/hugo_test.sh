#!/usr/bin/env bash
# index.md and the shortcode in a Hugo site in its default configuration (raw HTML left out of
# Markdown: no `unsafe`): a small grid goes to static/images/sgd/, index.md becomes a post and a
# second post uses the shortcode; the site is built and every image of index.md must be an
# <img> of the built post, every file it links must be in the site, and the shortcode's post
# must hold the figure and the player's script.
#
# Hugo is Debian's `hugo` package: installed here when missing (as root, with apt-get); where it
# cannot be installed, the test says so and is skipped (exit 0).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v hugo >/dev/null 2>&1; then
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
        echo "hugo test: installing Debian's hugo package"
        export DEBIAN_FRONTEND=noninteractive
        apt-get install -y -q hugo >/tmp/sgd-anim-hugo-apt.log 2>&1 ||
            { apt-get update -q >>/tmp/sgd-anim-hugo-apt.log 2>&1 && apt-get install -y -q hugo >>/tmp/sgd-anim-hugo-apt.log 2>&1; } ||
            true
    fi
    if ! command -v hugo >/dev/null 2>&1; then
        echo "hugo test: SKIPPED: no hugo, and it could not be installed" \
            "(needs root and Debian's hugo package: apt-get install hugo; log: /tmp/sgd-anim-hugo-apt.log)"
        exit 0
    fi
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build --release --locked -q --bin sgd-anim
target=$(cargo metadata --locked --format-version 1 --no-deps | sed 's/.*"target_directory":"\([^"]*\)".*/\1/')
site=$work/site
mkdir -p "$site/content" "$site/layouts/_default" "$site/layouts/shortcodes" "$site/static/images"
"$target/release/sgd-anim" grid -q --steps 5 --width 320 --height 240 --lrs 0.1,1.0 --batch-sizes 4,16 \
    --base-url /images/sgd/ --out "$site/static/images/sgd"
# The default configuration: a base URL and a title, nothing about markup.
printf 'baseURL = "https://example.org/"\ntitle = "sgd-anim"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n' \
    >"$site/hugo.toml"
# No theme: the smallest layouts that show a page's content.
echo '<!doctype html><html><body>{{ .Content }}</body></html>' >"$site/layouts/_default/single.html"
echo '<!doctype html><html><body>{{ range .Pages }}{{ .Title }}{{ end }}</body></html>' >"$site/layouts/_default/list.html"
cp "$site/static/images/sgd/hugo-shortcode-sgd.html" "$site/layouts/shortcodes/sgd.html"
{ printf -- '---\ntitle: "The post"\n---\n\n'; cat "$site/static/images/sgd/index.md"; } >"$site/content/post.md"
printf -- '---\ntitle: "Shortcode"\n---\n\nThe run at lr 0.1, batch size 16:\n\n{{< sgd "line_sgd_0.1_16" >}}\n' \
    >"$site/content/short.md"
hugo --quiet -s "$site" >"$work/hugo.log" 2>&1 || { echo "hugo test: hugo failed:" >&2; cat "$work/hugo.log" >&2; exit 1; }

failed=0
fail() { echo "hugo test: FAIL $*" >&2; failed=1; }
post=$site/public/post/index.html
[[ -f $post ]] || { echo "hugo test: FAIL no post/index.html" >&2; exit 1; }
grep -q 'raw HTML omitted' "$post" && fail "Hugo left raw HTML out of index.md"
wanted=$(grep -o '](<[^>]*>)' "$site/static/images/sgd/index.md" | sed 's/^](<\(.*\)>)$/\1/')
images=$(grep -c '!\[' "$site/static/images/sgd/index.md" || true)
shown=$(grep -o '<img src="[^"]*"' "$post" | wc -l)
[[ $images -gt 0 && $shown == "$images" ]] || fail "index.md has $images images, the built post shows $shown"
for url in $wanted; do
    grep -qF "=\"$url\"" "$post" || fail "$url is not linked from the built post"
    [[ -f $site/public$url ]] || fail "$url is not in the built site"
done
short=$site/public/short/index.html
grep -qF '<figure class="anim" data-gif="/images/sgd/line_sgd_0.1_16.gif"' "$short" ||
    fail "the shortcode's post has no figure of line_sgd_0.1_16.gif"
grep -qF '<script src="/images/sgd/sgd-anim-player.js" defer></script>' "$short" ||
    fail "the shortcode's post does not load the player"
if [[ $failed != 0 ]]; then
    echo "hugo test: FAILED" >&2
    exit 1
fi
echo "hugo test: $(hugo version | cut -d' ' -f2) in its default configuration shows all $shown images of index.md and the shortcode's figure"
