#!/usr/bin/env bash
# Search at N pages (default 10000) of bench/gen_corpus.py's book:
#   - a clean build (--no-cache) with search on and with `[output.html.search] enable = false`,
#     alternating, RUNS times each: wall and CPU (user + sys) medians, peak RSS;
#   - a one-page body edit rebuilt with the cache, search on and off, RUNS times each;
#   - the whole index (search/ and static/search.js) against the site's HTML;
#   - bench/search_latency.mjs on the last site with search on, opened from file:// in
#     headless chromium: per query of bench/search-queries.txt the bytes it loads and the
#     time from the keystroke to the results shown (medians, and the worst).
#
#   bench/search.sh [PAGES]
#
# Env: SHIPSHAPE_BIN (default: a fresh `cargo build --release`), RUNS (default 3),
# CHROMIUM (default /usr/bin/chromium). Needs tests/browser's playwright-core
# (`npm ci --prefix tests/browser`).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
PAGES="${1:-10000}"
RUNS="${RUNS:-3}"
WORK="$ROOT/target/bench/search/$PAGES"
for value in "$PAGES" "$RUNS"; do
    if ! [[ "$value" =~ ^[1-9][0-9]*$ ]]; then
        echo "search.sh: PAGES and RUNS must be positive integers, got '$value'" >&2
        exit 2
    fi
done
if [[ ! -d "$ROOT/tests/browser/node_modules/playwright-core" ]]; then
    echo "== npm ci --prefix tests/browser" >&2
    npm ci --prefix "$ROOT/tests/browser" --no-audit --no-fund >&2
fi
bench_start
mkdir -p "$WORK"
CORPUS="$ROOT/target/bench/corpus-$PAGES"
ensure_corpus "$PAGES" "$CORPUS"

# Two copies of the book as hard links to its files (an edited file is replaced, never
# written through): ON as it is, OFF with search turned off in a book.toml of its own.
ON="$WORK/corpus-$PAGES-on"
OFF="$WORK/corpus-$PAGES-off"
for copy in "$ON" "$OFF"; do
    to_trash "$copy"
    cp -al "$CORPUS" "$copy"
done
rm "$OFF/book.toml"
{ cat "$CORPUS/book.toml"; printf '\n[output.html.search]\nenable = false\n'; } >"$OFF/book.toml"

cpu_median() {
    awk '{ print $3 + $4 }' "$1" | sort -n | awk '
        { c[NR] = $1 } END { printf "%.2f\n", (NR % 2) ? c[(NR + 1) / 2] : (c[NR / 2] + c[NR / 2 + 1]) / 2 }'
}

rm -f "$WORK"/*.times
for ((i = 1; i <= RUNS; i++)); do
    for mode in on off; do
        book="$ON"
        [[ "$mode" == off ]] && book="$OFF"
        site="$WORK/site-$mode"
        to_trash "$site"
        rc=0
        timed "$WORK/run.time" "$BIN" build "$book" --no-cache -d "$site" \
            >"$WORK/$mode.log" 2>&1 || rc=$?
        if ((rc > 1)); then
            echo "search.sh: shipshape failed ($rc):" >&2
            tail -n 20 "$WORK/$mode.log" >&2
            exit 2
        fi
        cat "$WORK/run.time" >>"$WORK/$mode.times"
        echo "   run $i search $mode: $(cat "$WORK/run.time") (wall s, peak KiB, user s, sys s)" >&2
    done
done

# An edit of one page's body, rebuilt with the cache (the index is made whole each time,
# and only the files whose bytes changed are written): after an untimed first build.
PAGE_FILE=$(find "$ON/src" -name 'page-*.md' | sort | sed -n 1p)
PAGE_REL="${PAGE_FILE#"$ON"/}"
for mode in on off; do
    book="$ON"
    [[ "$mode" == off ]] && book="$OFF"
    to_trash "$WORK/inc-$mode"
    "$BIN" build "$book" -d "$WORK/inc-$mode" >"$WORK/inc-$mode.log" 2>&1 || (($? == 1))
done
for ((i = 1; i <= RUNS; i++)); do
    for mode in on off; do
        book="$ON"
        [[ "$mode" == off ]] && book="$OFF"
        page="$book/$PAGE_REL"
        text=$(cat "$CORPUS/$PAGE_REL")
        rm "$page"
        printf '%s\n\nEdited for run %d of the incremental build.\n' "$text" "$i" >"$page"
        rc=0
        timed "$WORK/run.time" "$BIN" build "$book" -d "$WORK/inc-$mode" \
            >"$WORK/inc-$mode.log" 2>&1 || rc=$?
        ((rc <= 1)) || { tail -n 20 "$WORK/inc-$mode.log" >&2; exit 2; }
        cat "$WORK/run.time" >>"$WORK/edit-$mode.times"
    done
done

bytes() { find "$@" -type f -printf '%s\n' 2>/dev/null | awk '{ s += $1 } END { print s + 0 }'; }
SITE="$WORK/site-on"
index=$(bytes "$SITE/search" "$SITE/static/search.js")
files=$(find "$SITE/search" -type f | wc -l)
html=$(find "$SITE" -name '*.html' -printf '%s\n' | awk '{ s += $1 } END { print s }')
print=$(stat -c %s "$SITE/print.html" 2>/dev/null || echo 0)

echo
echo "$PAGES pages, load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs, $RUNS runs each"
for mode in on off; do
    read -r w_min w_med rss < <(stats "$WORK/$mode.times")
    printf 'search %-3s  wall s min/med %6.2f / %6.2f   cpu s med %6.2f   peak MiB %7.1f\n' \
        "$mode" "$w_min" "$w_med" "$(cpu_median "$WORK/$mode.times")" "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')"
done
for mode in on off; do
    read -r w_min w_med _ < <(stats "$WORK/edit-$mode.times")
    printf 'one-page edit, search %-3s  wall s min/med %6.2f / %6.2f   cpu s med %6.2f\n' \
        "$mode" "$w_min" "$w_med" "$(cpu_median "$WORK/edit-$mode.times")"
done
awk -v i="$index" -v n="$files" -v h="$html" -v p="$print" 'BEGIN {
    printf "index: %d files, %.1f MB; the site'"'"'s HTML %.1f MB (%.1f%%), without print.html %.1f MB (%.1f%%)\n",
        n, i / 1e6, h / 1e6, 100 * i / h, (h - p) / 1e6, 100 * i / (h - p)
}'
echo
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}" node "$ROOT/bench/search_latency.mjs" "$SITE" "$ROOT/bench/search-queries.txt"
