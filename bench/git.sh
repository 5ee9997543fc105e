#!/usr/bin/env bash
# What `[policy] git = true` costs `check`: history read with gix, review dates from
# commits, services' code compared with their reviews.
#
#   bench/git.sh [COMMITS] [FILES]      (default: 10000 commits, 20000 files)
#
# Generates a repository with `git fast-import` (bench/gen_git.py), packed with `git gc`
# as a clone would be: two copies of one
# handbook (200 pages, 50 runbooks without `last_reviewed`, 100 services with `code`
# globs), one with `git = true` and one without, beside the services' code. Times
# `check` on both, interleaved, RUNS times (default 7), and prints min and median wall
# time, median user+sys CPU, and the median difference that git adds.
# Env: SHIPSHAPE_BIN (default: a fresh release build), RUNS.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
COMMITS="${1:-10000}"
FILES="${2:-20000}"
RUNS="${RUNS:-7}"
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
bench_start

REPO="$ROOT/target/bench/git-$COMMITS-$FILES"
if [[ ! -f "$REPO/.done" || "$ROOT/bench/gen_git.py" -nt "$REPO/.done" ]]; then
    to_trash "$REPO"
    mkdir -p "$REPO"
    echo "== generating $COMMITS commits, $FILES files in $REPO" >&2
    git -C "$REPO" init --quiet
    python3 "$ROOT/bench/gen_git.py" "$COMMITS" "$FILES" | git -C "$REPO" fast-import --quiet
    git -C "$REPO" -c advice.detachedHead=false checkout --quiet -f main
    # Packed as a clone receives it (fast-import's own pack stores deltas the other way).
    git -C "$REPO" gc --quiet
    touch "$REPO/.done"
fi
echo "== $(git -C "$REPO" rev-list --count HEAD) commits, $(git -C "$REPO" ls-files | wc -l) files" >&2

RUNDIR="$(mktemp -d "$ROOT/target/bench/git-run.XXXXXX")"
for variant in git plain; do
    findings=$({ "$BIN" check "$REPO/docs-$variant" --today 2026-12-01 --format json || true; } |
        python3 -c 'import json, sys; f = json.load(sys.stdin)["findings"]; print(len(f), sum(1 for x in f if x["rule"] == "stale"))')
    echo "== $variant: $findings findings, stale ones (warm-up run)" >&2
done
for ((i = 0; i < RUNS; i++)); do
    # Interleaved, so a slow stretch of the machine hits both alike.
    for variant in git plain; do
        sync
        start=$EPOCHREALTIME
        "$TIME" -f '%M %U %S' -o "$RUNDIR/$variant.$i" "$BIN" check "$REPO/docs-$variant" --today 2026-12-01 >/dev/null || true
        end=$EPOCHREALTIME
        read -r rss user sys < <(tail -n 1 "$RUNDIR/$variant.$i")
        awk -v s="$start" -v e="$end" -v r="$rss" -v u="$user" -v y="$sys" \
            'BEGIN { printf "%.3f %s %s %s\n", e - s, r, u, y }' >>"$RUNDIR/$variant"
    done
done
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
printf '%-6s %8s %10s %14s %10s\n' git "min s" "median s" "user+sys s" "max RSS MB"
for variant in git plain; do
    min=$(cut -d' ' -f1 "$RUNDIR/$variant" | sort -n | head -1)
    med=$(cut -d' ' -f1 "$RUNDIR/$variant" | median)
    cpu=$(awk '{ print $3 + $4 }' "$RUNDIR/$variant" | median)
    rss=$(cut -d' ' -f2 "$RUNDIR/$variant" | sort -n | tail -1)
    printf '%-6s %8s %10s %14s %10d\n' "$variant" "$min" "$med" "$cpu" "$((rss / 1024))"
    eval "${variant}_med=$med ${variant}_cpu=$cpu"
done
# shellcheck disable=SC2154 # set by the eval above
awk -v a="$git_med" -v b="$plain_med" -v c="$git_cpu" -v d="$plain_cpu" \
    'BEGIN { printf "git adds %.3f s (median wall), %.3f s (median CPU)\n", a - b, c - d }'
