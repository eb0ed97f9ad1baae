#!/usr/bin/env bash
# Grid wall time against --jobs: median of 5 whole-process runs each.
set -eu
BIN=${1:-target/release/sgd-anim}
nproc
for j in 1 2 4 8 16; do
  ts=()
  for r in 1 2 3 4 5; do
    d=$(mktemp -d)
    s=$(date +%s%N); "$BIN" grid -q --jobs $j --out "$d/o"; e=$(date +%s%N)
    ts+=($(( (e - s) / 1000000 )))
    rm -rf "$d"
  done
  printf 'jobs %2d: %s ms (runs: %s)\n' $j "$(printf '%s\n' "${ts[@]}" | sort -n | sed -n 3p)" "${ts[*]}"
done
# A bigger grid: 12 learning rates x 7 batch sizes + GD = 85 animations.
for j in 1 16; do
  d=$(mktemp -d)
  s=$(date +%s%N); "$BIN" grid -q --jobs $j --lrs 0.01,0.02,0.05,0.1,0.2,0.3,0.5,0.7,1.0,1.2,1.5,2.0 --out "$d/o"; e=$(date +%s%N)
  echo "85 animations, jobs $j: $(( (e - s) / 1000000 )) ms"; rm -rf "$d"
done
