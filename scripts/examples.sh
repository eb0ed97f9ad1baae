#!/usr/bin/env bash
# Regenerates the small example GIFs the README shows (assets/*.gif): 60 steps, small frames,
# so each stays well under 150 KB. Run from the repo root after changing how frames look.
set -euo pipefail
[[ -f Cargo.toml ]] || { echo "examples.sh: run from the repo root" >&2; exit 1; }
cargo build --release --quiet
bin=target/release/sgd-anim
small=(--steps 60 --width 480 --height 360 -q)
wide=(--steps 60 --height 300 -q)
"$bin" render --lr 0.1 --batch-size 16 "${small[@]}" -o assets/example_sgd_0.1_16.gif
"$bin" render --lr 1.0 --batch-size 16 "${small[@]}" -o assets/example_sgd_1.0_16.gif
"$bin" render --lr 0.1 --batch-size 8 --trail 8 --show-batch "${small[@]}" -o assets/trail_batch.gif
"$bin" render --lr 0.1 --batch-size 16 --view line+loss --width 800 "${wide[@]}" -o assets/view_line_loss.gif
"$bin" render --lr 0.1 --batch-size 16 --view line+params --width 800 "${wide[@]}" -o assets/view_line_params.gif
"$bin" render --lr 0.1 --batch-size 16 --view all --width 1200 "${wide[@]}" -o assets/view_all.gif
"$bin" render --lr 0.5 --batch-size 16 --optimizer adam --view line+params --width 800 "${wide[@]}" \
    -o assets/adam_params.gif
# The learning-rate comparison, as grid writes it (60 steps: the file stays small).
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin" grid --steps 60 --batch-sizes 16 --out "$tmp" -q
cp "$tmp/compare_lr_bs16.gif" assets/compare_lr_bs16.gif
ls -l assets/*.gif
