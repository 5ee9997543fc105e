#!/usr/bin/env bash
# Benchmark `shipshape build` on synthetic books.
#
#   bench/run.sh [PAGES...]          (default: 1000 10000)
#
# Env:
#   SHIPSHAPE_BIN   binary to benchmark (default: target/release/shipshape,
#                   built with `cargo build --release`; not built when set)
#   RUNS            timed runs per size (default: 3)
#
# Nothing is deleted while timing: every run writes to a fresh folder, old
# output is renamed into target/bench/trash and removed only at the end
# (see "Deletes and timing" in bench/README.md for why).
#
# See bench/README.md for the targets and how to read the output.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
WORK="$ROOT/target/bench"
RUNDIR="$WORK/runs"
TRASH="$WORK/trash"
LOGS="$WORK/logs"
STAMP="$WORK/.last-cleanup"
RUNS="${RUNS:-3}"

if [[ $# -gt 0 ]]; then
    PAGES=("$@")
else
    PAGES=(1000 10000)
fi
declare -A SEEN
UNIQUE=()
for n in "${PAGES[@]}"; do
    if ! [[ "$n" =~ ^[1-9][0-9]*$ ]]; then
        echo "run.sh: page count must be a positive integer, got '$n'" >&2
        exit 2
    fi
    if [[ -z "${SEEN[$n]:-}" ]]; then
        SEEN[$n]=1
        UNIQUE+=("$n")
    fi
done
PAGES=("${UNIQUE[@]}")
if ! [[ "$RUNS" =~ ^[1-9][0-9]*$ ]]; then
    echo "run.sh: RUNS must be a positive integer, got '$RUNS'" >&2
    exit 2
fi


require_gnu_time
warn_if_busy
BIN=$(shipshape_bin)

mkdir -p "$WORK" "$TRASH"

# $STAMP holds roughly how many files the previous run deleted at its end.
if [[ -f "$STAMP" ]]; then
    age=$(($(date +%s) - $(stat -c %Y "$STAMP")))
    deleted=$(cat "$STAMP" 2>/dev/null || echo 0)
    if ((age < 300 && ${deleted:-0} >= 5000)); then
        echo "run.sh: note: the previous run deleted ~${deleted} files ${age}s ago; on ext4" \
            "without a journal, creating files stays slower for up to 5 minutes after mass" \
            "deletes, so these timings may be pessimistic" >&2
    fi
fi

to_trash "$RUNDIR"
to_trash "$LOGS"
mkdir -p "$RUNDIR" "$LOGS"

ROWS=()
declare -A MIN MED RSS_MIB

for n in "${PAGES[@]}"; do
    corpus="$WORK/corpus-$n"
    ensure_corpus "$n" "$corpus"
    to_trash "$WORK/site-$n"

    # 2. Interleave the I/O floor (cp -r of src/) and shipshape builds so both
    #    see the same machine state. Every run writes to a fresh folder.
    : >"$RUNDIR/cp-$n.times"
    : >"$RUNDIR/build-$n.times"
    warned=0
    for ((i = 1; i <= RUNS; i++)); do
        timed "$RUNDIR/t" cp -r "$corpus/src" "$RUNDIR/cp-$n.$i"
        read -r cw _ <"$RUNDIR/t"
        cat "$RUNDIR/t" >>"$RUNDIR/cp-$n.times"

        site="$RUNDIR/site-$n.$i"
        log="$LOGS/build-$n.$i"
        rc=0
        timed "$RUNDIR/t" "$BIN" build "$corpus" -d "$site" >"$log.out" 2>"$log.err" || rc=$?
        case "$rc" in
            0) ;;
            1)
                if ((warned == 0)); then
                    echo "run.sh: warning: shipshape exited 1 (the book has error findings) on" \
                        "corpus-$n; timings kept, see $log.err" >&2
                    warned=1
                fi
                ;;
            *)
                echo "run.sh: shipshape failed on corpus-$n (exit $rc): $BIN build $corpus -d $site" >&2
                echo "---- stderr ($log.err, last 50 lines) ----" >&2
                tail -n 50 "$log.err" >&2
                exit 1
                ;;
        esac
        read -r w m u sy <"$RUNDIR/t"
        echo "   run $i: shipshape ${w}s wall (${u}s user + ${sy}s sys), $((m / 1024)) MiB, exit $rc;" \
            "cp -r ${cw}s" >&2
        cat "$RUNDIR/t" >>"$RUNDIR/build-$n.times"
    done
    rm -f "$RUNDIR/t"
    if [[ -e "$RUNDIR/site-$n.$RUNS" ]]; then
        mv "$RUNDIR/site-$n.$RUNS" "$WORK/site-$n" # keep the last output for inspection
    fi

    read -r cp_min cp_med _ < <(stats "$RUNDIR/cp-$n.times")
    read -r b_min b_med b_rss < <(stats "$RUNDIR/build-$n.times")
    MIN[$n]=$b_min
    MED[$n]=$b_med
    RSS_MIB[$n]=$(awk -v k="$b_rss" 'BEGIN { printf "%.1f", k / 1024 }')
    ROWS+=("$(awk -v n="$n" -v mn="$b_min" -v md="$b_med" -v rss="${RSS_MIB[$n]}" \
        -v cmin="$cp_min" -v cmed="$cp_med" 'BEGIN {
            ratio = (cmin > 0) ? sprintf("%.1fx", mn / cmin) : "n/a"
            printf "%8d  %6.2f / %6.2f  %9s  %8.3f  %6.2f / %6.2f  %8s\n",
                n, mn, md, rss, mn * 1000 / n, cmin, cmed, ratio
        }')")
done

# All deletes happen here, after the timing.
to_trash "$RUNDIR"
find "$TRASH" -type f | wc -l >"$STAMP"
rm -rf "$TRASH"

echo
echo "shipshape: $BIN   runs per size: $RUNS   (GNU time %e: 10 ms resolution)"
echo
printf '%8s  %15s  %9s  %8s  %15s  %8s\n' \
    "pages" "wall s min/med" "peak MiB" "ms/page" "cp -r min/med" "vs cp"
printf '%8s  %15s  %9s  %8s  %15s  %8s\n' \
    "--------" "---------------" "---------" "--------" "---------------" "--------"
for row in "${ROWS[@]}"; do
    printf '%s\n' "$row"
done

# Targets: judged on the median wall time and the peak RSS over all runs.
verdict() { # verdict LABEL VALUE LIMIT UNIT
    awk -v l="$1" -v v="$2" -v lim="$3" -v u="$4" 'BEGIN {
        printf "  %-28s %8s %-3s (target < %s %s)  %s\n", l, v, u, lim, u, (v + 0 < lim + 0) ? "PASS" : "FAIL"
    }'
}
if [[ -n "${MED[1000]:-}" || -n "${MED[10000]:-}" ]]; then
    echo
    echo "targets:"
    if [[ -n "${MED[1000]:-}" ]]; then
        verdict "1,000 pages wall (median)" "${MED[1000]}" 1.5 s
    fi
    if [[ -n "${MED[10000]:-}" ]]; then
        verdict "10,000 pages wall (median)" "${MED[10000]}" 15 s
        verdict "10,000 pages peak RSS" "${RSS_MIB[10000]}" 1024 MiB
    fi
fi
if [[ -n "${MIN[1000]:-}" && -n "${MIN[10000]:-}" ]]; then
    awk -v a="${MIN[1000]}" -v b="${MIN[10000]}" 'BEGIN {
        if (a > 0) printf "  linearity: ms/page at 10k / ms/page at 1k (min wall) = %.2f  (1.00 = linear)\n", (b / 10000) / (a / 1000)
        else print "  linearity: n/a (1k wall time rounded to 0.00 s)"
    }'
fi
