#!/usr/bin/env bash
# What secret scanning costs `check`, and what it finds on generated prose.
#
#   bench/secrets.sh [PAGES]      (default: 10000)
#
# Two handbook roots read the same generated corpus (target/bench/corpus-PAGES, shared
# with run.sh) as their content folder: one as generated (`[policy] secrets` is on by
# default), one with `secrets = false`. Prints the `secret` findings on the corpus (the
# false positives: the corpus holds no credential), then times `check` on both,
# interleaved, RUNS times (default 11), and prints min and median wall time, median
# user+sys CPU time (microseconds, from getrusage), and their ratios.
# Env: SHIPSHAPE_BIN (default: a fresh release build), RUNS.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PAGES="${1:-10000}"
RUNS="${RUNS:-11}"
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
bench_start

CORPUS="$ROOT/target/bench/corpus-$PAGES"
ensure_corpus "$PAGES" "$CORPUS"
WORK="$ROOT/target/bench/secrets-$PAGES"
mkdir -p "$WORK/on" "$WORK/off"
# The corpus's folder is read in place: it is inside the repository, so inside the
# boundary of both roots.
printf '[book]\ntitle = "Synthetic handbook"\nsrc = "../../corpus-%s/src"\n' "$PAGES" >"$WORK/on/book.toml"
cp "$WORK/on/book.toml" "$WORK/off/book.toml"
printf '\n[policy]\nsecrets = false\n' >>"$WORK/off/book.toml"

RUNDIR="$(mktemp -d "$ROOT/target/bench/secrets-run.XXXXXX")"
for variant in on off; do
    found=$("$BIN" check "$WORK/$variant" --today 2026-12-01 --rule secret --format json |
        python3 -c 'import json, sys; print(len(json.load(sys.stdin)["findings"]))')
    echo "== secrets $variant: $found secret findings on $PAGES pages (warm-up run)" >&2
done
# One run: "wall_s rss_kib user+sys_s", timed by Python's getrusage for microseconds (GNU
# time's CPU times come in 10 ms steps, a third of what is measured here).
timed_check() {
    python3 - "$@" <<'PY'
import resource, subprocess, sys, time
start = time.perf_counter()
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{wall:.4f} {usage.ru_maxrss} {usage.ru_utime + usage.ru_stime:.4f}")
PY
}
for ((i = 0; i < RUNS; i++)); do
    # Interleaved, and the order swapped each round, so a slow stretch hits both alike.
    if ((i % 2)); then order="off on"; else order="on off"; fi
    for variant in $order; do
        sync
        timed_check "$BIN" check "$WORK/$variant" --today 2026-12-01 >>"$RUNDIR/$variant"
    done
done
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
printf '%-8s %8s %10s %14s\n' secrets "min s" "median s" "user+sys s"
for variant in on off; do
    min=$(cut -d' ' -f1 "$RUNDIR/$variant" | sort -n | head -1)
    med=$(cut -d' ' -f1 "$RUNDIR/$variant" | median)
    cpu=$(awk '{ print $3 }' "$RUNDIR/$variant" | median)
    printf '%-8s %8s %10s %14s\n' "$variant" "$min" "$med" "$cpu"
    eval "${variant}_med=$med ${variant}_cpu=$cpu"
done
# shellcheck disable=SC2154 # set by the eval above
awk -v a="$on_med" -v b="$off_med" -v c="$on_cpu" -v d="$off_cpu" \
    'BEGIN { printf "scanning / not scanning: %.3f (median wall), %.3f (median CPU)\n", a / b, c / d }'
# Round i's two runs are neighbours in time: the median of their ratios is the figure
# least moved by other work on the machine.
paste -d' ' "$RUNDIR/on" "$RUNDIR/off" | awk '{ print $1 / $4, $3 / $6 }' >"$RUNDIR/pairs"
wall_pairs=$(cut -d' ' -f1 "$RUNDIR/pairs" | median)
cpu_pairs=$(cut -d' ' -f2 "$RUNDIR/pairs" | median)
echo "median of the $RUNS rounds' ratios: $wall_pairs (wall), $cpu_pairs (CPU)"
rm -rf "$RUNDIR"
