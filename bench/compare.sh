#!/usr/bin/env bash
# Side by side: shipshape, mdBook and Hugo building the same generated pages, clean.
#
#   bench/compare.sh [SIZES]      (default "1000 10000")
#
# Env:
#   SHIPSHAPE_BIN   binary to time (default: a fresh `cargo build --release`)
#   RUNS            timed runs per tool (default 3), interleaved so that all three
#                   tools see the same machine state
#   KINDS           corpora (default "plain code-heavy"): bench/gen_corpus.py's book, and
#                   the same with --code-heavy (3 code blocks of 10–40 lines a page)
#   MDBOOK          0 leaves mdBook out (it is the slowest at 10,000 pages)
#
# shipshape builds with --no-cache (a clean build, as in CI without a cache); each
# tool writes a new folder every run. Missing tools are installed first: mdBook with
# `cargo install --locked mdbook`, Hugo with Debian's `apt-get install hugo`. See
# bench/README.md for what each tool is asked to do and how to read the table.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
WORK="$ROOT/target/bench/compare"
TRASH="$WORK/trash"
RUNDIR="$WORK/runs"
RUNS="${RUNS:-3}"
KINDS="${KINDS:-plain code-heavy}"
MDBOOK="${MDBOOK:-1}"
read -r -a SIZES <<<"${*:-1000 10000}"
for value in "${SIZES[@]}" "$RUNS"; do
    if ! [[ "$value" =~ ^[1-9][0-9]*$ ]]; then
        echo "compare.sh: SIZES and RUNS must be positive integers, got '$value'" >&2
        exit 2
    fi
done

require_gnu_time
warn_if_busy
if [[ "$MDBOOK" != 0 ]] && ! command -v mdbook >/dev/null 2>&1; then
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

# run_tool NAME OUT CMD...: one timed run appended to $RUNDIR/NAME.times, with the site's
# size in bytes appended to $RUNDIR/NAME.bytes; a failure stops the script.
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
    du -sb "$out" | cut -f1 >"$RUNDIR/$name.bytes"
}

# cpu_median FILE: the median of user + sys over FILE's runs.
cpu_median() {
    awk '{ print $3 + $4 }' "$1" | sort -n | awk '
        { c[NR] = $1 } END { printf "%.2f\n", (NR % 2) ? c[(NR + 1) / 2] : (c[NR / 2] + c[NR / 2 + 1]) / 2 }'
}

html_files() { find "$1" -name '*.html' | wc -l; }
version() { "$@" 2>/dev/null | head -n 1 | cut -d' ' -f1,2; }

report() { # report PAGES KIND TOOLS...
    local pages="$1" kind="$2"
    shift 2
    local s_min s_med s_rss s_cpu
    read -r s_min s_med s_rss < <(stats "$RUNDIR/shipshape-$kind-$pages.times")
    s_cpu=$(cpu_median "$RUNDIR/shipshape-$kind-$pages.times")
    echo
    echo "$pages pages, $kind corpus, $RUNS runs each, interleaved (GNU time, 10 ms resolution)"
    echo
    printf '%-10s  %15s  %9s  %9s  %9s  %8s  %8s\n' \
        tool "wall s min/med" "cpu s med" "peak MiB" "site MB" "wall vs" "cpu vs"
    for tool in "$@"; do
        local id="$tool-$kind-$pages" mn md rss cpu bytes
        read -r mn md rss < <(stats "$RUNDIR/$id.times")
        cpu=$(cpu_median "$RUNDIR/$id.times")
        bytes=$(cat "$RUNDIR/$id.bytes")
        awk -v n="$tool" -v mn="$mn" -v md="$md" -v rss="$rss" -v cpu="$cpu" -v b="$bytes" \
            -v smd="$s_med" -v scpu="$s_cpu" 'BEGIN {
                printf "%-10s  %6.2f / %6.2f  %9.2f  %9.1f  %9.1f  %7.1fx  %7.1fx\n",
                    n, mn, md, cpu, rss / 1024, b / 1e6, (smd > 0 ? md / smd : 0), (scpu > 0 ? cpu / scpu : 0)
            }'
    done
}

for pages in "${SIZES[@]}"; do
    for kind in $KINDS; do
        corpus="$WORK/corpus-$kind-$pages"
        if [[ "$kind" == code-heavy ]]; then
            generated "$corpus" --pages "$pages" --hugo --code-heavy
        else
            generated "$corpus" --pages "$pages" --hugo
        fi
        tools=(shipshape hugo)
        [[ "$MDBOOK" != 0 ]] && tools+=(mdbook)
        for ((i = 1; i <= RUNS; i++)); do
            echo "== run $i of $RUNS at $pages pages ($kind)" >&2
            run_tool "shipshape-$kind-$pages" "$RUNDIR/shipshape.$kind.$pages.$i" \
                "$BIN" build "$corpus" --no-cache -d "$RUNDIR/shipshape.$kind.$pages.$i"
            run_tool "hugo-$kind-$pages" "$RUNDIR/hugo.$kind.$pages.$i" \
                hugo --source "$corpus/hugo" --destination "$RUNDIR/hugo.$kind.$pages.$i" \
                --cacheDir "$RUNDIR/hugo-cache.$kind.$pages.$i" --quiet
            if [[ "$MDBOOK" != 0 ]]; then
                run_tool "mdbook-$kind-$pages" "$RUNDIR/mdbook.$kind.$pages.$i" \
                    mdbook build "$corpus" -d "$RUNDIR/mdbook.$kind.$pages.$i"
            fi
        done
        report "$pages" "$kind" "${tools[@]}" | tee -a "$RUNDIR/report.txt"
    done
done
echo
echo "versions: $("$BIN" --version); $(version hugo version); $([[ "$MDBOOK" != 0 ]] && version mdbook --version)"
echo "wall vs / cpu vs: the tool's median wall and CPU (user + sys) divided by shipshape's (higher = slower)"

# All deletes happen after the timing (see "Deletes and timing" in bench/README.md).
to_trash "$RUNDIR"
rm -rf "$TRASH"
