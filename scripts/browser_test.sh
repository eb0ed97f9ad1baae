#!/usr/bin/env bash
# The gallery in a real browser: makes a small grid, serves it from 127.0.0.1 with
# examples/serve.rs, and opens scripts/browser_test.html in headless Chromium twice (with full
# motion, then with --force-prefers-reduced-motion). That page loads index.html and
# player.html, checks that every image decoded, steps a player (next step three times reads
# step 3, the scrubber's end shows the poster's pixels, reflect and once), checks that posters
# show to readers who ask for reduced motion and nothing plays by itself for them, times the
# player at 1x and 4x (100 steps: 2.0 s and 0.5 s, within 3 %), checks that pause keeps the
# frame, that after a file cut short the counter names the frame shown, that missing, empty and
# junk files are said in words, that controls are 44 px or more, that nothing scrolls sideways
# at 375 px, and runs axe-core (from npm) on both pages; it posts its lines back to the server.
#
# Chromium is Debian's `chromium` package: installed here when missing (as root, with apt-get);
# where it cannot be installed, the test says so and is skipped (exit 0).
# Usage: scripts/browser_test.sh [--keep DIR]   (--keep: leave the grid and reports in DIR)
set -euo pipefail
cd "$(dirname "$0")/.."

browser=""
find_browser() {
    for b in chromium chromium-browser; do
        if command -v "$b" >/dev/null 2>&1; then
            browser=$b
            return 0
        fi
    done
    return 1
}
if ! find_browser; then
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
        echo "browser test: installing Debian's chromium package"
        export DEBIAN_FRONTEND=noninteractive
        apt-get install -y -q chromium >/tmp/sgd-anim-apt.log 2>&1 ||
            { apt-get update -q >>/tmp/sgd-anim-apt.log 2>&1 && apt-get install -y -q chromium >>/tmp/sgd-anim-apt.log 2>&1; } ||
            true
    fi
    if ! find_browser; then
        echo "browser test: SKIPPED: no chromium, and it could not be installed" \
            "(needs root and Debian's chromium package: apt-get install chromium; log: /tmp/sgd-anim-apt.log)"
        exit 0
    fi
fi

work=$(mktemp -d)
keep=""
if [[ ${1:-} == --keep ]]; then
    keep=${2:?--keep needs a folder}
fi
pids=()
cleanup() {
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    wait 2>/dev/null || true
    if [[ -n $keep ]]; then
        rm -rf "$keep" && mv "$work" "$keep"
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT

# The release profile: `cargo test --release` (the README's test command, and .ci/run's) has
# built it already, dependencies and all.
cargo build --release --locked -q --bin sgd-anim --example serve
target=$(cargo metadata --locked --format-version 1 --no-deps | sed 's/.*"target_directory":"\([^"]*\)".*/\1/')
site=$work/site
# Small and quick: 320x240 frames, 10 steps, lr 0.1 and 1.0 by batch sizes 4 and 16 (the rows
# the post holds fixed), a short hold on the last frame; in both formats, so the pages' figures
# offer WebPs and the player steps through them (it decodes a figure's WebP where it can).
"$target/release/sgd-anim" grid -q --steps 10 --width 320 --height 240 --lrs 0.1,1.0 --batch-sizes 4,16 \
    --hold-ms 200 --base-url /images/sgd/ --format gif,webp --out "$site"
cp scripts/browser_test.html "$site/"
# For the player's clock: 100 steps of 20 ms (2.0 s at 1x), not in the pages' list; the same
# cut short; files that are no GIF.
"$target/release/sgd-anim" render -q --steps 100 --width 320 --height 240 -o "$site/timing.gif"
size=$(wc -c <"$site/timing.gif")
head -c $((size * 6 / 10)) "$site/timing.gif" >"$site/cut.gif"
: >"$site/empty.gif"
echo "not a GIF" >"$site/junk.gif"
# axe-core from npm, for the accessibility checks (skipped, with a line, where npm cannot).
if command -v npm >/dev/null 2>&1 &&
    timeout 60 npm install --prefix "$work/npm" --no-save --no-audit --no-fund --silent axe-core@4 \
        >"$work/npm.log" 2>&1; then
    cp "$work/npm/node_modules/axe-core/axe.min.js" "$site/"
else
    echo "browser test: axe-core could not be installed with npm (log: $work/npm.log): its checks are skipped"
fi
mkdir "$work/reports"
"$target/release/examples/serve" "$site" --for 300 --reports "$work/reports" >"$work/serve.out" 2>"$work/serve.err" &
pids+=($!)
for _ in $(seq 100); do
    [[ -s $work/serve.out ]] && break
    sleep 0.1
done
url=$(head -n 1 "$work/serve.out")
[[ $url == http://127.0.0.1:* ]] || { echo "browser test: the server did not start" >&2; cat "$work/serve.err" >&2; exit 1; }

failed=0
for run in motion reduced; do
    flags=()
    [[ $run == reduced ]] && flags+=(--force-prefers-reduced-motion)
    start=$SECONDS
    "$browser" --headless --no-sandbox --disable-gpu --no-first-run --no-default-browser-check \
        --disable-extensions --user-data-dir="$work/profile-$run" --window-size=1400,2000 "${flags[@]}" \
        "${url}browser_test.html" >"$work/chromium-$run.log" 2>&1 &
    browser_pid=$!
    pids+=("$browser_pid")
    for _ in $(seq 1200); do
        [[ -f $work/reports/$run.txt ]] && break
        kill -0 "$browser_pid" 2>/dev/null || break
        sleep 0.1
    done
    kill "$browser_pid" 2>/dev/null || true
    wait "$browser_pid" 2>/dev/null || true
    if [[ ! -f $work/reports/$run.txt ]]; then
        echo "browser test ($run): no report within 120 s; Chromium said:" >&2
        grep -v -e dbus -e 'Fontconfig' "$work/chromium-$run.log" | tail -n 20 >&2
        failed=1
        continue
    fi
    sed "s/^/browser test ($run): /" "$work/reports/$run.txt"
    echo "browser test ($run): $((SECONDS - start)) s"
    grep -q '^all passed$' "$work/reports/$run.txt" || failed=1
done
if [[ $failed != 0 ]]; then
    echo "browser test: FAILED" >&2
    exit 1
fi
