#!/usr/bin/env bash
# What reading ADRs and runbooks as records costs `check`.
#
#   bench/records.sh [PAGES] [RECORDS]      (default: 10000 pages, 2000 ADRs + 2000 runbooks)
#
# Generates two corpora of PAGES pages with identical text: in one, RECORDS of the pages
# are ADRs in src/adr/ and RECORDS are runbooks in src/runbooks/ (read as records:
# front matter values, required sections, review dates, the supersedes graph); in the
# other the same files sit in ordinary folders. Times `check` on both, interleaved, RUNS
# times (default 5), and prints min and median wall time and median user+sys CPU time.
# Env: SHIPSHAPE_BIN (default: a fresh release build), RUNS.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PAGES="${1:-10000}"
RECORDS="${2:-2000}"
RUNS="${RUNS:-5}"
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
bench_start

INSIDE="$ROOT/target/bench/records-$PAGES-$RECORDS"
OUTSIDE="$ROOT/target/bench/records-outside-$PAGES-$RECORDS"
generated "$INSIDE" --pages "$PAGES" --records "$RECORDS"
generated "$OUTSIDE" --pages "$PAGES" --records "$RECORDS" --records-outside

RUNDIR="$(mktemp -d "$ROOT/target/bench/records-run.XXXXXX")"
for variant in inside outside; do
    dir=$([[ $variant == inside ]] && echo "$INSIDE" || echo "$OUTSIDE")
    findings=$("$BIN" check "$dir" --today 2026-12-01 --format json | python3 -c 'import json, sys; print(len(json.load(sys.stdin)["findings"]))')
    echo "== $variant: $findings findings (warm-up run)" >&2
done
for ((i = 0; i < RUNS; i++)); do
    # Interleaved, so a slow stretch of the machine hits both alike.
    for variant in inside outside; do
        dir=$([[ $variant == inside ]] && echo "$INSIDE" || echo "$OUTSIDE")
        # GNU time's wall clock has 10 ms steps, too coarse here: the wall time is taken
        # from $EPOCHREALTIME (microseconds) around the same run.
        sync
        start=$EPOCHREALTIME
        "$TIME" -f '%M %U %S' -o "$RUNDIR/$variant.$i" "$BIN" check "$dir" --today 2026-12-01 >/dev/null
        end=$EPOCHREALTIME
        read -r rss user sys < <(tail -n 1 "$RUNDIR/$variant.$i")
        awk -v s="$start" -v e="$end" -v r="$rss" -v u="$user" -v y="$sys" \
            'BEGIN { printf "%.3f %s %s %s\n", e - s, r, u, y }' >>"$RUNDIR/$variant"
    done
done
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
printf '%-8s %8s %10s %14s\n' records "min s" "median s" "user+sys s"
for variant in inside outside; do
    min=$(cut -d' ' -f1 "$RUNDIR/$variant" | sort -n | head -1)
    med=$(cut -d' ' -f1 "$RUNDIR/$variant" | median)
    cpu=$(awk '{ print $3 + $4 }' "$RUNDIR/$variant" | median)
    printf '%-8s %8s %10s %14s\n' "$variant" "$min" "$med" "$cpu"
    eval "${variant}_med=$med ${variant}_cpu=$cpu"
done
# shellcheck disable=SC2154 # set by the eval above
awk -v a="$inside_med" -v b="$outside_med" -v c="$inside_cpu" -v d="$outside_cpu" \
    'BEGIN { printf "records / ordinary pages: %.3f (median wall), %.3f (median CPU)\n", a / b, c / d }'
