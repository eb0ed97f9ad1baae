#!/usr/bin/env bash
# Whole-process benchmark: sgd-anim's default set against the two peers in bench/peers/
# (matplotlib FuncAnimation + PillowWriter, and plotters' own GIF backend redrawing every
# frame; bench/peers/README.md says what each needs). Everything runs on this machine in one
# sitting; quote the ratios, not the absolute times.
#
# Usage (from the repo root; no arguments, settings come from the environment):
#   scripts/bench.sh                 # everything (the matplotlib peer alone takes 1.5 to 2.5 min)
#   SKIP_MPL=1 scripts/bench.sh      # skip matplotlib; its bench/peers/README.md figures are shown, marked
#   scripts/bench.sh --help          # this text
#
# Environment (defaults in brackets):
#   SGD_ANIM     our binary               [target/release/sgd-anim, in cargo's target folder]
#   PEER_NAIVE   plotters-naive binary    [target/peer-naive/release/plotters-naive, built if missing]
#   MPL          matplotlib peer script   [bench/peers/mpl_grid.py]
#   PYTHON       interpreter for MPL      [python3]
#   RUNS         runs of our default set  [5]
#   JOBS_RUNS    runs each of --jobs 1 / --jobs 2  [3]
#   NAIVE_RUNS   runs of plotters-naive   [1]
#   MPL_RUNS     runs of the mpl peer     [1]
#   SKIP_MPL=1   skip the matplotlib peer
#   SKIP_NAIVE=1 skip the plotters-naive peer
#   SKIP_BUILD=1 do not run `cargo build --release` for sgd-anim first
#   SKIP_STAGES=1 skip the stage breakdown (`cargo bench --bench stages`: draw, diff, LZW and
#                write of the post's 22 animations, each timed on its own, on one thread)
#   STAGE_PASSES passes of the stage breakdown, the median shown  [3]
#   O3_PEERS=0   do not run gifsicle -O3 over the peers' sets (ours always is)
#   GNU_TIME     GNU time                 [/usr/bin/time]
# Counts are whole numbers from 1 up; the switches are 0 or 1.
#
# Peers: with the default PEER_NAIVE, a missing binary is built first with
#   cargo build --release --locked --manifest-path bench/peers/plotters-naive/Cargo.toml \
#       --target-dir target/peer-naive
# (a given PEER_NAIVE must already exist); it reads DejaVu Sans from the Debian package
# fonts-dejavu-core. The matplotlib peer needs `python3 -m pip install numpy matplotlib pillow`.
# This script needs the Debian packages gifsicle and time (GNU time).
# Every prerequisite is checked, and the peer built, before anything is timed.
#
# Wall time is measured around each process with `date +%s%N`; CPU time is GNU time's
# %U + %S (user + system, all threads); peak RSS is GNU time's %M ("Maximum resident set
# size" of `time -v`), the largest over a peer's runs.
# MB here means 10^6 bytes (RSS: KiB * 1024 / 10^6).
set -euo pipefail

NAIVE_DEFAULT=target/peer-naive/release/plotters-naive
NAIVE_MANIFEST=bench/peers/plotters-naive/Cargo.toml
NAIVE_FONT=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
# where cargo puts our release build (target/, or CARGO_TARGET_DIR / build.target-dir if set)
TARGET_DIR=$(cargo metadata --format-version 1 --no-deps 2>/dev/null \
    | grep -o '"target_directory":"[^"]*"' | cut -d'"' -f4) || TARGET_DIR=
BIN=${SGD_ANIM:-${TARGET_DIR:-target}/release/sgd-anim}
PEER_NAIVE=${PEER_NAIVE:-$NAIVE_DEFAULT}
MPL=${MPL:-bench/peers/mpl_grid.py}
PYTHON=${PYTHON:-python3}
RUNS=${RUNS:-5}
JOBS_RUNS=${JOBS_RUNS:-3}
NAIVE_RUNS=${NAIVE_RUNS:-1}
MPL_RUNS=${MPL_RUNS:-1}
SKIP_MPL=${SKIP_MPL:-0}
SKIP_NAIVE=${SKIP_NAIVE:-0}
SKIP_BUILD=${SKIP_BUILD:-0}
SKIP_STAGES=${SKIP_STAGES:-0}
STAGE_PASSES=${STAGE_PASSES:-3}
O3_PEERS=${O3_PEERS:-1}
GNU_TIME=${GNU_TIME:-/usr/bin/time}

die() { echo "bench.sh: $*" >&2; exit 1; }
note() { echo "bench.sh: $*" >&2; }
usage() { sed -n '2,/^set -euo/{/^#/{s/^# \{0,1\}//;p}}' "$0"; }

case ${1-} in
    "") ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; echo >&2; die "takes no arguments (got '$1'); settings come from the environment" ;;
esac
for v in RUNS JOBS_RUNS NAIVE_RUNS MPL_RUNS STAGE_PASSES; do
    [[ ${!v} =~ ^[1-9][0-9]{0,3}$ ]] || die "$v must be a whole number from 1 to 9999 (got '${!v}')"
done
for v in SKIP_MPL SKIP_NAIVE SKIP_BUILD SKIP_STAGES O3_PEERS; do
    [[ ${!v} == [01] ]] || die "$v must be 0 or 1 (got '${!v}')"
done

[[ -f Cargo.toml && -f scripts/bench.sh ]] || die "run from the repo root"
[[ -x $GNU_TIME ]] || die "GNU time not found at $GNU_TIME (apt-get install time)"
command -v gifsicle >/dev/null || die "gifsicle not found (apt-get install gifsicle)"

# ---------------------------------------------------------------- peers: checked and built first
if [[ $SKIP_NAIVE != 1 ]]; then
    [[ -f $NAIVE_FONT ]] || die "plotters-naive reads $NAIVE_FONT (apt-get install fonts-dejavu-core; or SKIP_NAIVE=1)"
    if [[ ! -x $PEER_NAIVE ]]; then
        [[ $PEER_NAIVE == "$NAIVE_DEFAULT" ]] \
            || die "PEER_NAIVE=$PEER_NAIVE not found (leave PEER_NAIVE unset to build the in-repo peer)"
        note "building the plotters-naive peer into target/peer-naive (once; a few minutes)"
        cargo build --release --locked --quiet --manifest-path "$NAIVE_MANIFEST" --target-dir target/peer-naive \
            || die "could not build $NAIVE_MANIFEST (see bench/peers/README.md; or SKIP_NAIVE=1)"
        [[ -x $PEER_NAIVE ]] || die "$PEER_NAIVE still missing after the build"
    fi
fi
if [[ $SKIP_MPL != 1 ]]; then
    [[ -f $MPL ]] || die "MPL=$MPL not found"
    command -v "$PYTHON" >/dev/null || die "PYTHON=$PYTHON not found (or SKIP_MPL=1)"
    "$PYTHON" -c 'import numpy, matplotlib, PIL' 2>/dev/null \
        || die "$PYTHON cannot import numpy, matplotlib and PIL ($PYTHON -m pip install numpy matplotlib pillow; or SKIP_MPL=1)"
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/sgd-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

# ---------------------------------------------------------------- helpers
# median of the numbers on stdin (one per line)
median() {
    sort -g | awk '{ v[NR] = $1 } END {
        if (NR == 0) { print "nan"; exit }
        if (NR % 2) printf "%.3f\n", v[(NR + 1) / 2]
        else        printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# total bytes of the post's animations (line_*.gif; the comparisons are counted apart) in a directory
gif_bytes() { find "$1" -maxdepth 1 -name 'line_*.gif' -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }'; }
gif_count() { find "$1" -maxdepth 1 -name 'line_*.gif' -type f | wc -l; }
mb() { awk -v b="$1" 'BEGIN { printf "%.2f", b / 1e6 }'; }
ratio() { awk -v a="$1" -v b="$2" -v d="${3:-1}" 'BEGIN { if (b > 0) printf "%.*fx", d, a / b; else print "-" }'; }

# timed RESULT_PREFIX OUTDIR CMD...  — one run into a fresh, empty OUTDIR.
# Appends the wall seconds to $TMP/RESULT_PREFIX.wall, the CPU seconds (user + system) to
# .cpu and the peak RSS (KiB) to .rss.
timed() {
    local key=$1 out=$2; shift 2
    rm -rf "$out"; mkdir -p "$out"
    local t0 t1
    t0=$(date +%s%N)
    if ! "$GNU_TIME" -f '%M %U %S' -o "$TMP/time.out" "$@" >"$TMP/cmd.log" 2>&1; then
        cat "$TMP/cmd.log" >&2
        die "failed: $*"
    fi
    t1=$(date +%s%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", (b - a) / 1e9 }' >>"$TMP/$key.wall"
    tail -n 1 "$TMP/time.out" | awk '{ print $1 }' >>"$TMP/$key.rss"
    tail -n 1 "$TMP/time.out" | awk '{ printf "%.3f\n", $2 + $3 }' >>"$TMP/$key.cpu"
}
wall_med() { median <"$TMP/$1.wall"; }
cpu_med() { median <"$TMP/$1.cpu"; }
rss_mb() { sort -n "$TMP/$1.rss" | tail -n 1 | awk '{ printf "%.1f", $1 * 1024 / 1e6 }'; }
walls() { paste -sd' ' "$TMP/$1.wall"; }

# gifsicle -O3 over the GIFs of a directory (all, or those matching $2: ours are the post's
# line_*.gif, apart from the comparisons): sets O3_TOTAL (bytes) and O3_WORST (largest
# per-file shrink, percent, with its file name)
o3_dir() {
    local f before after worst=-1 worst_name=- total=0
    for f in "$1"/${2:-*.gif}; do
        gifsicle --no-warnings -O3 "$f" -o "$TMP/o3.gif"
        before=$(stat -c %s "$f"); after=$(stat -c %s "$TMP/o3.gif")
        total=$((total + after))
        if awk -v b="$before" -v a="$after" -v w="$worst" 'BEGIN { exit !((b - a) * 100 / b > w) }'; then
            worst=$(awk -v b="$before" -v a="$after" 'BEGIN { printf "%.2f", (b - a) * 100 / b }')
            worst_name=$(basename "$f")
        fi
    done
    rm -f "$TMP/o3.gif"
    O3_TOTAL=$total O3_WORST="$worst% ($worst_name)"
}

# ---------------------------------------------------------------- ours
if [[ $SKIP_BUILD != 1 ]]; then
    note "cargo build --release"
    cargo build --release --quiet
fi
[[ -x $BIN ]] || die "$BIN not built"

note "ours: 1 warm-up + $RUNS runs of '$BIN grid --out DIR --quiet'"
timed warm "$TMP/ours" "$BIN" grid --out "$TMP/ours" --quiet
for ((i = 0; i < RUNS; i++)); do timed ours "$TMP/ours" "$BIN" grid --out "$TMP/ours" --quiet; done
OURS_WALL=$(wall_med ours)
OURS_RSS=$(rss_mb ours)
OURS_BYTES=$(gif_bytes "$TMP/ours")
OURS_N=$(gif_count "$TMP/ours")
# peak RSS once more the brief's way, from `time -v`
mkdir -p "$TMP/ours-v"
"$GNU_TIME" -v "$BIN" grid --out "$TMP/ours-v" --quiet 2>"$TMP/ours-v.time" >/dev/null \
    || { cat "$TMP/ours-v.time" >&2; die "time -v run failed"; }
OURS_RSS_V=$(awk -F: '/Maximum resident set size/ { printf "%.1f", $2 * 1024 / 1e6 }' "$TMP/ours-v.time")
rm -rf "$TMP/ours-v"

note "ours: --jobs 1 vs --jobs 2, $JOBS_RUNS runs each"
for ((i = 0; i < JOBS_RUNS; i++)); do
    timed j1 "$TMP/j" "$BIN" grid --out "$TMP/j" --quiet --jobs 1
    timed j2 "$TMP/j" "$BIN" grid --out "$TMP/j" --quiet --jobs 2
done
rm -rf "$TMP/j"
J1=$(wall_med j1); J2=$(wall_med j2)

note "ours: the WebP set beside the GIFs: $RUNS runs of 'grid --jobs 1' and 'grid --jobs 1 --format gif,webp'"
# CPU of the WebP set = (gif,webp) - (gif alone), one thread so user time is the work.
for ((i = 0; i < RUNS; i++)); do
    timed gif1 "$TMP/w" "$BIN" grid --out "$TMP/w" --quiet --jobs 1
    timed both1 "$TMP/w" "$BIN" grid --out "$TMP/w" --quiet --jobs 1 --format gif,webp
done
WEBP_BYTES=$(find "$TMP/w" -maxdepth 1 -name 'line_*.webp' -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
ALL_GIF=$(find "$TMP/w" -maxdepth 1 -name '*.gif' -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
ALL_WEBP=$(find "$TMP/w" -maxdepth 1 -name '*.webp' -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
GIF1=$(wall_med gif1); BOTH1=$(wall_med both1)
WEBP1=$(awk -v a="$BOTH1" -v b="$GIF1" 'BEGIN { printf "%.3f", a - b }')
rm -rf "$TMP/w"

STAGES=
if [[ $SKIP_STAGES != 1 ]]; then
    note "ours: stage breakdown, cargo bench --bench stages ($STAGE_PASSES passes; SKIP_STAGES=1 to skip)"
    STAGES=$(cargo bench --quiet --bench stages -- "$STAGE_PASSES" 2>"$TMP/stages.log") \
        || { cat "$TMP/stages.log" >&2; die "cargo bench --bench stages failed"; }
fi

note "ours: gifsicle -O3 over $OURS_N GIFs"
o3_dir "$TMP/ours" 'line_*.gif'
OURS_O3=$O3_TOTAL OURS_O3_WORST=$O3_WORST

# ---------------------------------------------------------------- peers
NAIVE_ROW=() MPL_ROW=() NAIVE_O3=- MPL_O3=-
if [[ $SKIP_NAIVE != 1 ]]; then
    note "plotters-naive: $NAIVE_RUNS run(s)"
    for ((i = 0; i < NAIVE_RUNS; i++)); do timed naive "$TMP/naive" "$PEER_NAIVE" "$TMP/naive" 100 all; done
    NAIVE_BYTES=$(gif_bytes "$TMP/naive")
    if [[ $O3_PEERS == 1 ]]; then o3_dir "$TMP/naive"; NAIVE_O3=$(mb "$O3_TOTAL"); fi
    NAIVE_ROW=("plotters-naive ($(gif_count "$TMP/naive") GIFs)" "$(wall_med naive)" "$(rss_mb naive)"
               "$(mb "$NAIVE_BYTES")" "$NAIVE_O3" "$(ratio "$(wall_med naive)" "$OURS_WALL")"
               "$(ratio "$NAIVE_BYTES" "$OURS_BYTES")")
    rm -rf "$TMP/naive"
fi
if [[ $SKIP_MPL != 1 ]]; then
    note "matplotlib: $MPL_RUNS run(s), about 1.5 to 2.5 min each (SKIP_MPL=1 to skip)"
    for ((i = 0; i < MPL_RUNS; i++)); do timed mpl "$TMP/mpl" "$PYTHON" "$MPL" "$TMP/mpl"; done
    MPL_BYTES=$(gif_bytes "$TMP/mpl")
    if [[ $O3_PEERS == 1 ]]; then o3_dir "$TMP/mpl"; MPL_O3=$(mb "$O3_TOTAL"); fi
    MPL_ROW=("matplotlib ($(gif_count "$TMP/mpl") GIFs)" "$(wall_med mpl)" "$(rss_mb mpl)"
             "$(mb "$MPL_BYTES")" "$MPL_O3" "$(ratio "$(wall_med mpl)" "$OURS_WALL")"
             "$(ratio "$MPL_BYTES" "$OURS_BYTES")")
    rm -rf "$TMP/mpl"
else
    MPL_ROW=("matplotlib [peers README*]" "133*" "253*" "7.0*" "3.8*" "-" "-")
fi

# ---------------------------------------------------------------- report
cpu=$(awk -F: '/^model name/ { sub(/^[ \t]+/, "", $2); print $2; exit }' /proc/cpuinfo)
echo
echo "sgd-anim whole-process benchmark, $(date '+%Y-%m-%d %H:%M %Z')"
echo "host: $(nproc) CPUs, ${cpu:-unknown CPU}; $(uname -sr)"
echo "set: line_gd_0.1 + 21 line_sgd_<lr>_<bs>, 640x480, 100 frames; MB = 10^6 bytes"
echo
fmt='%-26s %9s %9s %9s %9s %11s %11s\n'
# shellcheck disable=SC2059
printf "$fmt" peer "wall s" "RSS MB" "total MB" "-O3 MB" "wall ratio" "size ratio"
# shellcheck disable=SC2059
printf "$fmt" "sgd-anim ($OURS_N GIFs)" "$OURS_WALL" "$OURS_RSS" "$(mb "$OURS_BYTES")" "$(mb "$OURS_O3")" 1.0x 1.0x
# shellcheck disable=SC2059
if ((${#NAIVE_ROW[@]})); then printf "$fmt" "${NAIVE_ROW[@]}"; fi
# shellcheck disable=SC2059
printf "$fmt" "${MPL_ROW[@]}"
echo
echo "wall: median over runs (ours $RUNS after 1 warm-up, plotters-naive $NAIVE_RUNS, matplotlib $MPL_RUNS);"
echo "      ratio = peer / ours. RSS: largest peak over runs. size ratio = peer total / our total."
echo "ours, per run (s): $(walls ours); CPU median $(cpu_med ours) s; peak RSS from time -v: $OURS_RSS_V MB"
echo "ours --jobs 1: $J1 s (runs: $(walls j1)); --jobs 2: $J2 s (runs: $(walls j2)); speed-up $(ratio "$J1" "$J2" 2)"
echo "ours after gifsicle -O3: $(mb "$OURS_O3") MB of $(mb "$OURS_BYTES") MB; worst per-file shrink $OURS_O3_WORST"
echo "ours as WebP (grid --format gif,webp): post's set $(mb "$WEBP_BYTES") MB vs $(mb "$OURS_BYTES") MB GIF ($(ratio "$WEBP_BYTES" "$OURS_BYTES" 3));"
echo "      whole set with comparisons $(mb "$ALL_WEBP") MB vs $(mb "$ALL_GIF") MB ($(ratio "$ALL_WEBP" "$ALL_GIF" 3));"
echo "      --jobs 1: GIF set $GIF1 s, GIF + WebP $BOTH1 s, so the WebP set $WEBP1 s ($(ratio "$WEBP1" "$GIF1" 2) the GIF set)"
if ((${#NAIVE_ROW[@]})); then echo "plotters-naive, per run (s): $(walls naive)"; fi
if [[ $SKIP_MPL != 1 ]]; then
    echo "matplotlib, per run (s): $(walls mpl)"
else
    echo "* matplotlib not measured this run (SKIP_MPL=1): figures of bench/peers/README.md (2026-11-24, another machine); no ratio."
fi
if [[ -n $STAGES ]]; then
    echo
    echo "$STAGES"
fi
echo
echo "ratios against the peers (peer / ours, medians, whole set against whole set; CPU = user + system):"
if ((${#NAIVE_ROW[@]})); then
    echo "  plotters-naive: $(ratio "$(cpu_med naive)" "$(cpu_med ours)") the CPU time ($(cpu_med naive) s vs $(cpu_med ours) s)," \
        "${NAIVE_ROW[5]} the wall time, ${NAIVE_ROW[6]} the bytes"
else
    echo "  plotters-naive: not measured (SKIP_NAIVE=1)"
fi
if [[ $SKIP_MPL != 1 ]]; then
    echo "  matplotlib:     $(ratio "$(cpu_med mpl)" "$(cpu_med ours)") the CPU time ($(cpu_med mpl) s vs $(cpu_med ours) s)," \
        "${MPL_ROW[5]} the wall time, ${MPL_ROW[6]} the bytes"
else
    echo "  matplotlib:     not measured (SKIP_MPL=1)"
fi
