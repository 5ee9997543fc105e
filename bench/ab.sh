#!/usr/bin/env bash
# A/B build time: two shipshape binaries on the same generated book.
#
#   bench/ab.sh BASE_BIN NEW_BIN [PAGES]      (PAGES default: 10000)
#
# Env:
#   RUNS   timed runs of each binary (default: 10)
#   CMD    build (default) or check: `check CORPUS --today 2026-11-27 --format json -o OUT/report.json`
#          instead, whose reports are then compared as the sites are
#
# A is BASE_BIN, B is NEW_BIN. After one untimed warm-up of each (A, then B), the timed
# runs go in ABBA order (A B, B A, A B, ...), so a slow drift of the machine (heat, page
# cache, writeback) costs both binaries the same. Both run
# `build CORPUS -d OUT --today 2026-11-27`; exit 0 or 1 (error findings) counts, anything
# else stops the script. At the end the last site of each binary is compared with diff -r.
#
# Same rules as run.sh: the corpus is generated once and reused (target/bench/corpus-N,
# shared with run.sh), every run writes to a fresh folder, and nothing is deleted until the
# last measurement (see "Deletes and timing" in bench/README.md).
#
# See "A/B: two binaries" in bench/README.md for how to read the output.
set -euo pipefail

usage() {
    echo "usage: bench/ab.sh BASE_BIN NEW_BIN [PAGES]   (env RUNS, default 10; CMD, build or check)" >&2
    exit 2
}
[[ $# -ge 2 && $# -le 3 ]] || usage
PAGES="${3:-10000}"
RUNS="${RUNS:-10}"
CMD="${CMD:-build}"
OUTPUTS=sites # what the last runs are compared by: the sites, or check's json reports
[[ "$CMD" == check ]] && OUTPUTS=reports
if [[ "$CMD" != build && "$CMD" != check ]]; then
    echo "ab.sh: CMD must be build or check, got '$CMD'" >&2
    exit 2
fi
for value in "$PAGES" "$RUNS"; do
    if ! [[ "$value" =~ ^[1-9][0-9]*$ ]]; then
        echo "ab.sh: PAGES and RUNS must be positive integers, got '$value'" >&2
        exit 2
    fi
done
# Resolve the binaries before the cd below, so relative paths still work.
declare -A SRC
for side in 1 2; do
    bin="${!side}"
    if [[ ! -f "$bin" || ! -x "$bin" ]]; then
        echo "ab.sh: binary not found or not executable: $bin" >&2
        exit 2
    fi
    SRC[$side]="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
done

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
WORK="$ROOT/target/bench/ab"
TRASH="$WORK/trash"
RUNDIR="$WORK/runs"
LOGS="$WORK/logs"
STAMP="$ROOT/target/bench/.last-cleanup" # shared with run.sh
CORPUS="$ROOT/target/bench/corpus-$PAGES" # shared with run.sh
TODAY=2026-11-27

require_gnu_time
warn_if_busy
mkdir -p "$WORK" "$TRASH"

# $STAMP holds roughly how many files the previous run (this script or run.sh) deleted.
if [[ -f "$STAMP" ]]; then
    age=$(($(date +%s) - $(stat -c %Y "$STAMP")))
    deleted=$(cat "$STAMP" 2>/dev/null || echo 0)
    if ((age < 300 && ${deleted:-0} >= 5000)); then
        echo "ab.sh: note: the previous run deleted ~${deleted} files ${age}s ago; on ext4" \
            "without a journal, creating files stays slower for up to 5 minutes after mass" \
            "deletes, so these timings may be pessimistic" >&2
    fi
fi

to_trash "$RUNDIR"
to_trash "$LOGS"
to_trash "$WORK/site-a"
to_trash "$WORK/site-b"
mkdir -p "$RUNDIR/bin" "$LOGS"

# Time copies, not the originals: a cargo build in the middle of the runs would otherwise
# swap target/release/shipshape under us.
declare -A BIN NAME
BIN[a]="$RUNDIR/bin/a"
BIN[b]="$RUNDIR/bin/b"
NAME[a]=base
NAME[b]=new
SRC[a]="${SRC[1]}"
SRC[b]="${SRC[2]}"
cp "${SRC[a]}" "${BIN[a]}"
cp "${SRC[b]}" "${BIN[b]}"
SAME=0
if cmp -s "${BIN[a]}" "${BIN[b]}"; then
    SAME=1
fi

ensure_corpus "$PAGES" "$CORPUS"

# build SIDE TAG: one run of binary SIDE (a or b) into $RUNDIR/site-SIDE.TAG, timed into
# $RUNDIR/t. Sets RC. Exit 0 or 1 counts; anything else stops the script.
declare -A WARNED EXITS
WARNED[a]=0
WARNED[b]=0
EXITS[a]=""
EXITS[b]=""
build() {
    local side="$1" tag="$2"
    local site="$RUNDIR/site-$side.$tag" log="$LOGS/$side.$tag"
    RC=0
    local run=(build "$CORPUS" -d "$site" --today "$TODAY")
    if [[ "$CMD" == check ]]; then
        mkdir -p "$site"
        run=(check "$CORPUS" --today "$TODAY" --format json -o "$site/report.json")
    fi
    timed "$RUNDIR/t" "${BIN[$side]}" "${run[@]}" >"$log.out" 2>"$log.err" || RC=$?
    case "$RC" in
        0) ;;
        1)
            if ((WARNED[$side] == 0)); then
                echo "ab.sh: warning: $side (${NAME[$side]}) exited 1 (the book has error" \
                    "findings); timings kept, see $log.err" >&2
                WARNED[$side]=1
            fi
            ;;
        *)
            echo "ab.sh: $side (${NAME[$side]}) failed (exit $RC): ${SRC[$side]} ${run[*]}" >&2
            echo "---- stderr ($log.err, last 50 lines) ----" >&2
            tail -n 50 "$log.err" >&2
            exit 1
            ;;
    esac
    if [[ " ${EXITS[$side]} " != *" $RC "* ]]; then
        EXITS[$side]="${EXITS[$side]:+${EXITS[$side]} }$RC"
    fi
}

echo "== warm-up (untimed): a, then b" >&2
build a warm
build b warm

# Refuse to start if 2 x RUNS sites would not fit on the disk (nothing is deleted until
# the end).
need_kib=$(($(du -sk "$RUNDIR/site-a.warm" | cut -f1) * RUNS + $(du -sk "$RUNDIR/site-b.warm" | cut -f1) * RUNS))
avail_kib=$(df -Pk "$WORK" | awk 'NR == 2 { print $4 }')
if ((need_kib > avail_kib * 9 / 10)); then
    echo "ab.sh: the timed runs need ~$((need_kib / 1024)) MiB of output but only" \
        "$((avail_kib / 1024)) MiB is free; lower RUNS" >&2
    exit 2
fi

: >"$LOGS/a.times"
: >"$LOGS/b.times"
MAX_LOAD=0
for ((i = 1; i <= RUNS; i++)); do
    if ((i % 2)); then order="a b"; else order="b a"; fi
    for side in $order; do
        load=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo 0)
        MAX_LOAD=$(awk -v a="$MAX_LOAD" -v b="$load" 'BEGIN { print (b > a) ? b : a }')
        build "$side" "$i"
        read -r w m u s <"$RUNDIR/t"
        cat "$RUNDIR/t" >>"$LOGS/$side.times"
        awk -v i="$i" -v n="$RUNS" -v l="${side^^} ${NAME[$side]}:" -v w="$w" \
            -v m="$m" -v u="$u" -v s="$s" -v rc="$RC" -v load="$load" 'BEGIN {
                printf "   run %2d/%d %-7s %6.2fs wall, %6.2fs cpu (%.2f user + %.2f sys), %7.1f MiB, exit %d, load %s\n",
                    i, n, l, w, u + s, u, s, m / 1024, rc, load
            }' >&2
    done
done
rm -f "$RUNDIR/t"

# Keep the last site of each binary for inspection; compare them.
mv "$RUNDIR/site-a.$RUNS" "$WORK/site-a"
mv "$RUNDIR/site-b.$RUNS" "$WORK/site-b"
nfiles=$(find "$WORK/site-a" -type f | wc -l)
diff_rc=0
diff -rq "$WORK/site-a" "$WORK/site-b" >"$WORK/site.diff" 2>&1 || diff_rc=$?

# All deletes happen here, after the timing.
to_trash "$RUNDIR"
find "$TRASH" -type f | wc -l >"$STAMP"
rm -rf "$TRASH"

# median: the median of the numbers on stdin, one per line.
median() {
    sort -g | awk '{ v[NR] = $1 } END {
        if (NR == 0) { print "nan"; exit }
        printf "%.4f\n", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    }'
}
declare -A W_MIN W_MED CPU_MED RSS_MED
for side in a b; do
    read -r W_MIN[$side] _ _ < <(stats "$LOGS/$side.times")
    # Not stats' median: it is rounded to 10 ms, too coarse for a ratio on a small book.
    W_MED[$side]=$(awk '{ print $1 }' "$LOGS/$side.times" | median)
    CPU_MED[$side]=$(awk '{ print $3 + $4 }' "$LOGS/$side.times" | median)
    RSS_MED[$side]=$(awk '{ print $2 }' "$LOGS/$side.times" | median)
done

echo
echo "A/B of \`$CMD\` at $PAGES pages: $RUNS timed runs of each in ABBA order (A B, B A, A B, ...)," \
    "after one untimed warm-up of each; GNU time, 10 ms resolution"
echo "  A base: ${SRC[a]}  ($("${SRC[a]}" --version 2>/dev/null | head -n 1))"
echo "  B new:  ${SRC[b]}  ($("${SRC[b]}" --version 2>/dev/null | head -n 1))"
if ((SAME)); then
    echo "  A and B are the same bytes: a null test, so the ratios below are pure noise"
fi
echo
printf '%-8s  %17s  %10s  %13s  %6s\n' "" "wall s min / med" "cpu s med" "peak MiB med" "exit"
printf '%-8s  %17s  %10s  %13s  %6s\n' "--------" "-----------------" "----------" "-------------" "------"
for side in a b; do
    awk -v l="${side^^} ${NAME[$side]}" -v mn="${W_MIN[$side]}" -v md="${W_MED[$side]}" \
        -v cpu="${CPU_MED[$side]}" -v rss="${RSS_MED[$side]}" -v rc="${EXITS[$side]}" 'BEGIN {
            printf "%-8s  %7.2f / %7.2f  %10.2f  %13.1f  %6s\n", l, mn, md, cpu, rss / 1024, rc
        }'
done
echo
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0) printf "%.2fx", b / a; else printf "n/a" }'; }
echo "new/base: wall median $(ratio "${W_MED[a]}" "${W_MED[b]}")," \
    "cpu median $(ratio "${CPU_MED[a]}" "${CPU_MED[b]}")" \
    "  (wall min $(ratio "${W_MIN[a]}" "${W_MIN[b]}")," \
    "peak RSS median $(ratio "${RSS_MED[a]}" "${RSS_MED[b]}"))"
# Run i of A and run i of B are neighbours in time, so their ratio shows the run-to-run noise.
paste -d' ' "$LOGS/a.times" "$LOGS/b.times" | awk '$1 > 0 { print $5 / $1 }' >"$LOGS/pairs"
if [[ -s "$LOGS/pairs" ]]; then
    awk -v med="$(median <"$LOGS/pairs")" '
        NR == 1 || $1 < lo { lo = $1 } NR == 1 || $1 > hi { hi = $1 }
        END { printf "pairs (run i of B / run i of A, adjacent in time): wall median %.2fx, range %.2fx - %.2fx over %d pairs\n", med, lo, hi, NR }
    ' "$LOGS/pairs"
fi
if awk -v l="$MAX_LOAD" -v c="$(nproc)" 'BEGIN { exit !(l > c / 2) }'; then
    echo "note: the load average reached $MAX_LOAD on $(nproc) CPUs during the runs; other work" \
        "was competing, so trust the cpu ratio over the wall ratio (or rerun when quiet)"
fi
case "$diff_rc" in
    0) echo "output: the last $OUTPUTS are byte-identical ($nfiles files; diff -r)" ;;
    1)
        differ=$(grep -c '^Files .* differ$' "$WORK/site.diff" || true)
        only=$(grep -c '^Only in ' "$WORK/site.diff" || true)
        echo "output: the last $OUTPUTS differ: $differ files differ, $only entries only in one site" \
            "(of $nfiles files in A's; list in $WORK/site.diff, sites in $WORK/site-a and site-b)"
        ;;
    *) echo "output: diff -r failed (exit $diff_rc), see $WORK/site.diff" ;;
esac
