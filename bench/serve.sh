#!/usr/bin/env bash
# `shipshape serve`: from saving a one-page edit (body text only) to the reload event,
# at 1,000 and 10,000 pages, beside mdBook's full rebuild of the same book (what its
# `serve` does on every save) and shipshape's own `build`.
#
#   bench/serve.sh [PAGES...]        (default: 1000 10000)
#
# Env: SHIPSHAPE_BIN (default: a fresh release build), EDITS (default 20), RUNS (mdBook
# and build runs, default 3), BASE_BIN (another shipshape binary whose serve is measured
# too, right before this one's, for a ratio from the same run).
#
# `build` is timed clean (`--no-cache`): a first `serve` start has no cache either.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
bench_start
EDITS="${EDITS:-20}"
RUNS="${RUNS:-3}"
WORK="$ROOT/target/bench/serve"
mkdir -p "$WORK"
if ! command -v mdbook >/dev/null 2>&1; then
    echo "== installing mdBook (cargo install --locked mdbook)" >&2
    cargo install --locked mdbook >&2
fi
sizes=("$@")
[[ ${#sizes[@]} -gt 0 ]] || sizes=(1000 10000)

printf '%-7s %-30s %s\n' pages what result
for pages in "${sizes[@]}"; do
    corpus="$WORK/corpus-$pages"
    ensure_corpus "$pages" "$corpus"
    : >"$WORK/mdbook.times"
    : >"$WORK/build.times"
    for ((i = 1; i <= RUNS; i++)); do
        to_trash "$WORK/mdbook-out"
        timed "$WORK/mdbook.run" mdbook build "$corpus" -d "$WORK/mdbook-out" >/dev/null 2>&1
        cat "$WORK/mdbook.run" >>"$WORK/mdbook.times"
        to_trash "$WORK/build-out"
        timed "$WORK/build.run" "$BIN" build "$corpus" --no-cache -d "$WORK/build-out" >/dev/null 2>&1 || true
        cat "$WORK/build.run" >>"$WORK/build.times"
    done
    read -r mmin mmed _ < <(stats "$WORK/mdbook.times")
    read -r bmin bmed _ < <(stats "$WORK/build.times")
    if [[ -n "${BASE_BIN:-}" ]]; then
        result=$(python3 "$ROOT/bench/serve_latency.py" "$BASE_BIN" "$corpus" "$EDITS")
        printf '%-7s %-30s %s\n' "$pages" "BASE_BIN serve: save → reload" "$result"
    fi
    result=$(python3 "$ROOT/bench/serve_latency.py" "$BIN" "$corpus" "$EDITS")
    printf '%-7s %-30s %s\n' "$pages" "serve: save → reload event" "$result"
    printf '%-7s %-30s median %ss, min %ss\n' "$pages" "mdbook build (full rebuild)" "$mmed" "$mmin"
    printf '%-7s %-30s median %ss, min %ss\n' "$pages" "shipshape build --no-cache" "$bmed" "$bmin"
done
