#!/usr/bin/env bash
# Regenerates the README's pictures of the gallery (assets/gallery_index.png, the top of
# index.html, and assets/gallery_player.png, player.html) from the default set, in headless
# Chromium with reduced motion asked for, so each figure shows its poster and the player its
# last step, paused: the same pictures every time. Run from the repo root; needs chromium.
set -euo pipefail
[[ -f Cargo.toml ]] || { echo "screenshots.sh: run from the repo root" >&2; exit 1; }
command -v chromium >/dev/null || { echo "screenshots.sh: needs chromium (apt-get install chromium)" >&2; exit 1; }
cargo build --release --quiet --bin sgd-anim --example serve
work=$(mktemp -d)
server=""
trap '[[ -n $server ]] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
target/release/sgd-anim grid -q --out "$work/site"
target/release/examples/serve "$work/site" --for 120 >"$work/url" &
server=$!
sleep 1
url=$(head -n 1 "$work/url")
shot() { # shot FILE WIDTH HEIGHT PAGE
    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --force-prefers-reduced-motion \
        --user-data-dir="$work/profile" --force-device-scale-factor=0.6 --window-size="$2,$3" --virtual-time-budget=5000 \
        --screenshot="$1" "$url$4" 2>/dev/null
}
shot assets/gallery_index.png 1400 1500 index.html
shot assets/gallery_player.png 1000 900 'player.html?gif=line_sgd_1.0_16.gif'
ls -l assets/gallery_*.png
