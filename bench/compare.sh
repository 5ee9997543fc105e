#!/usr/bin/env bash
# Side by side: shipshape, mdBook and Hugo building the same generated pages.
#
#   bench/compare.sh [PAGES]      (default 1000; shipshape alone also runs at $BIG)
#
# Env:
#   SHIPSHAPE_BIN   binary to time (default: a fresh `cargo build --release`)
#   RUNS            timed runs per tool (default 3), interleaved so that all three
#                   tools see the same machine state
#   BIG             pages for the shipshape-only run (default 10000; 0 skips it)
#
# Missing tools are installed first: mdBook with `cargo install --locked mdbook`,
# Hugo with Debian's `apt-get install hugo`. See bench/README.md for what each tool
# is asked to do and how to read the table.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
WORK="$ROOT/target/bench/compare"
TRASH="$WORK/trash"
RUNDIR="$WORK/runs"
RUNS="${RUNS:-3}"
PAGES="${1:-1000}"
BIG="${BIG:-10000}"
for value in "$PAGES" "$RUNS"; do
    if ! [[ "$value" =~ ^[1-9][0-9]*$ ]]; then
        echo "compare.sh: PAGES and RUNS must be positive integers, got '$value'" >&2
        exit 2
    fi
done
if ! [[ "$BIG" =~ ^(0|[1-9][0-9]*)$ ]]; then
    echo "compare.sh: BIG must be a number of pages (0 skips it), got '$BIG'" >&2
    exit 2
fi

require_gnu_time
warn_if_busy
if ! command -v mdbook >/dev/null 2>&1; then
    echo "== installing mdBook (cargo install --locked mdbook)" >&2
    cargo install --locked mdbook >&2
fi
if ! command -v hugo >/dev/null 2>&1; then
    echo "== installing Hugo (apt-get install hugo)" >&2
    sudo=""
    [[ "$(id -u)" -ne 0 ]] && sudo="sudo"
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq hugo >&2
fi
BIN=$(shipshape_bin)

mkdir -p "$WORK" "$TRASH"
to_trash "$RUNDIR"
mkdir -p "$RUNDIR"

corpus="$WORK/corpus-$PAGES"
ensure_corpus "$PAGES" "$corpus" --hugo

# run_tool NAME OUT CMD...: one timed run appended to $RUNDIR/NAME.times; a failure stops
# the script with the tool's stderr.
run_tool() {
    local name="$1" out="$2"
    shift 2
    local rc=0
    timed "$RUNDIR/t" "$@" >"$out.log" 2>&1 || rc=$?
    # shipshape exits 1 when the book has error findings; the site is still written.
    if ((rc != 0)) && ! [[ "$name" == shipshape* && "$rc" == 1 ]]; then
        echo "compare.sh: $name failed (exit $rc): $*" >&2
        tail -n 30 "$out.log" >&2
        exit 1
    fi
    read -r w m u s <"$RUNDIR/t"
    echo "   $name: ${w}s wall (${u}s user + ${s}s sys), $((m / 1024)) MiB" >&2
    cat "$RUNDIR/t" >>"$RUNDIR/$name.times"
}

for ((i = 1; i <= RUNS; i++)); do
    echo "== run $i of $RUNS at $PAGES pages" >&2
    run_tool shipshape "$RUNDIR/shipshape.$i" "$BIN" build "$corpus" -d "$RUNDIR/shipshape.$i"
    run_tool mdbook "$RUNDIR/mdbook.$i" mdbook build "$corpus" -d "$RUNDIR/mdbook.$i"
    run_tool hugo "$RUNDIR/hugo.$i" hugo --source "$corpus/hugo" --destination "$RUNDIR/hugo.$i" \
        --cacheDir "$RUNDIR/hugo-cache.$i" --quiet
done
if ((BIG > 0)); then
    big="$WORK/corpus-$BIG"
    ensure_corpus "$BIG" "$big"
    for ((i = 1; i <= RUNS; i++)); do
        echo "== run $i of $RUNS at $BIG pages (shipshape only)" >&2
        run_tool shipshape-big "$RUNDIR/shipshape-big.$i" "$BIN" build "$big" -d "$RUNDIR/shipshape-big.$i"
    done
fi

html_files() { find "$1" -name '*.html' | wc -l; }
version() { "$@" 2>/dev/null | head -n 1 | cut -d' ' -f1,2; }

read -r s_min s_med s_rss < <(stats "$RUNDIR/shipshape.times")
echo
echo "$PAGES pages, $RUNS runs each, interleaved; wall from GNU time (10 ms resolution)"
echo
printf '%-10s  %-32s  %15s  %9s  %10s  %9s  %8s\n' \
    tool version "wall s min/med" "peak MiB" "html files" "wall vs" "RSS vs"
printf '%-10s  %-32s  %15s  %9s  %10s  %9s  %8s\n' \
    ---------- -------------------------------- --------------- --------- ---------- --------- --------
row() { # row NAME VERSION
    local name="$1" ver="$2" mn md rss
    read -r mn md rss < <(stats "$RUNDIR/$name.times")
    awk -v n="$name" -v v="$ver" -v mn="$mn" -v md="$md" -v rss="$rss" -v files="$3" \
        -v smn="$s_min" -v srss="$s_rss" 'BEGIN {
            printf "%-10s  %-32s  %6.2f / %6.2f  %9.1f  %10d  %8.1fx  %7.1fx\n",
                n, v, mn, md, rss / 1024, files, (smn > 0 ? mn / smn : 0), (srss > 0 ? rss / srss : 0)
        }'
}
row shipshape "$("$BIN" --version)" "$(html_files "$RUNDIR/shipshape.$RUNS")"
row mdbook "$(version mdbook --version)" "$(html_files "$RUNDIR/mdbook.$RUNS")"
row hugo "$(version hugo version)" "$(html_files "$RUNDIR/hugo.$RUNS")"
echo
echo "wall vs / RSS vs: the tool's min wall and peak RSS divided by shipshape's (higher = slower / bigger)"
if ((BIG > 0)); then
    read -r b_min b_med b_rss < <(stats "$RUNDIR/shipshape-big.times")
    awk -v n="$BIG" -v mn="$b_min" -v md="$b_med" -v rss="$b_rss" -v smn="$s_min" -v p="$PAGES" 'BEGIN {
        printf "\nshipshape alone at %d pages: %.2f / %.2f s wall min/med, %.1f MiB peak;", n, mn, md, rss / 1024
        printf " ms/page %.3f (vs %.3f at %d pages)\n", mn * 1000 / n, smn * 1000 / p, p
    }'
fi

# All deletes happen after the timing (see "Deletes and timing" in bench/README.md).
to_trash "$RUNDIR"
rm -rf "$TRASH"
