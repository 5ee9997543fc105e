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
TRASH="$ROOT/target/bench/trash"
mkdir -p "$TRASH"
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
require_gnu_time
warn_if_busy
BIN="$(shipshape_bin)"

corpus() {
    local dir="$1"
    shift
    local marker="$dir/.gen_corpus"
    if [[ -f "$marker" ]] && grep -q 'state=done' "$marker" && [[ ! "$ROOT/bench/gen_corpus.py" -nt "$marker" ]]; then
        echo "== $(basename "$dir") up to date" >&2
        return
    fi
    to_trash "$dir"
    python3 "$ROOT/bench/gen_corpus.py" --pages "$PAGES" --records "$RECORDS" --out "$dir" "$@"
}
INSIDE="$ROOT/target/bench/records-$PAGES-$RECORDS"
OUTSIDE="$ROOT/target/bench/records-outside-$PAGES-$RECORDS"
corpus "$INSIDE"
corpus "$OUTSIDE" --records-outside

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
        timed "$RUNDIR/$variant.$i" "$BIN" check "$dir" --today 2026-12-01 >/dev/null
        cat "$RUNDIR/$variant.$i" >>"$RUNDIR/$variant"
    done
done
printf '%-8s %8s %10s %14s\n' records "min s" "median s" "user+sys s"
for variant in inside outside; do
    read -r min med _ < <(stats "$RUNDIR/$variant")
    cpu=$(awk '{ print $3 + $4 }' "$RUNDIR/$variant" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
    printf '%-8s %8s %10s %14s\n' "$variant" "$min" "$med" "$cpu"
done
in_med=$(stats "$RUNDIR/inside" | cut -d' ' -f2)
out_med=$(stats "$RUNDIR/outside" | cut -d' ' -f2)
awk -v a="$in_med" -v b="$out_med" 'BEGIN { printf "records / ordinary pages: %.3f (median wall)\n", a / b }'
