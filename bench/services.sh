#!/usr/bin/env bash
# What service checklists cost `check`.
#
#   bench/services.sh [PAGES] [SERVICES]      (default: 10000 pages, 2000 services)
#
# Generates two corpora: PAGES pages with SERVICES service checklists, and SERVICES
# checklists with one page (the checklist part alone: reading, modelling and judging
# the YAML, its evidence links and the readiness findings). Times `check` on both,
# interleaved, RUNS times (default 5), and prints min and median wall time and median
# user+sys CPU time. The targets (issue 11): under 2 s and under 200 ms.
# Env: SHIPSHAPE_BIN (default: a fresh release build), RUNS.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PAGES="${1:-10000}"
SERVICES="${2:-2000}"
RUNS="${RUNS:-5}"
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
bench_start

FULL="$ROOT/target/bench/services-$PAGES-$SERVICES"
ALONE="$ROOT/target/bench/services-only-$SERVICES"
generated "$FULL" --pages "$PAGES" --services "$SERVICES"
generated "$ALONE" --pages 1 --services "$SERVICES"

RUNDIR="$(mktemp -d "$ROOT/target/bench/services-run.XXXXXX")"
for variant in full alone; do
    dir=$([[ $variant == full ]] && echo "$FULL" || echo "$ALONE")
    findings=$({ "$BIN" check "$dir" --today 2026-12-01 --format json || true; } | python3 -c 'import json, sys; print(len(json.load(sys.stdin)["findings"]))')
    echo "== $variant: $findings findings (warm-up run)" >&2
done
for ((i = 0; i < RUNS; i++)); do
    for variant in full alone; do
        dir=$([[ $variant == full ]] && echo "$FULL" || echo "$ALONE")
        sync
        start=$EPOCHREALTIME
        # Exit 1 (error findings) is expected: the corpus has failing items on purpose.
        "$TIME" -f '%M %U %S' -o "$RUNDIR/$variant.$i" "$BIN" check "$dir" --today 2026-12-01 >/dev/null || true
        end=$EPOCHREALTIME
        read -r rss user sys < <(tail -n 1 "$RUNDIR/$variant.$i")
        awk -v s="$start" -v e="$end" -v r="$rss" -v u="$user" -v y="$sys" \
            'BEGIN { printf "%.3f %s %s %s\n", e - s, r, u, y }' >>"$RUNDIR/$variant"
    done
done
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
printf '%-28s %8s %10s %14s\n' corpus "min s" "median s" "user+sys s"
for variant in full alone; do
    label=$([[ $variant == full ]] && echo "$PAGES pages + $SERVICES services" || echo "$SERVICES services, 1 page")
    min=$(cut -d' ' -f1 "$RUNDIR/$variant" | sort -n | head -1)
    med=$(cut -d' ' -f1 "$RUNDIR/$variant" | median)
    cpu=$(awk '{ print $3 + $4 }' "$RUNDIR/$variant" | median)
    printf '%-28s %8s %10s %14s\n' "$label" "$min" "$med" "$cpu"
done
# The checklist stages alone, from the JSON log of one run of the full corpus.
"$BIN" check "$FULL" --today 2026-12-01 --log-format json --format json >/dev/null 2>"$RUNDIR/log" || true
python3 - "$RUNDIR/log" <<'PY'
import json, sys
stages = [json.loads(line) for line in open(sys.argv[1]) if '"stage"' in line]
print("stages of the full corpus (ms):", ", ".join(f"{s['stage']} {s['ms']}" for s in stages if s.get("event") == "stage"))
PY
