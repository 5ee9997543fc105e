#!/usr/bin/env bash
# What suppressions and baselines cost on many findings.
#
#   bench/adopt.sh [FINDINGS]          (default: 100000)
#
# Generates two handbooks of 1,000 pages whose links all lead nowhere (FINDINGS / 1000
# per page): in one, each page opens with `<!-- shipshape-disable link -- … -->`, so every
# finding is suppressed. Times `check --skip-rule link` (the same work, nothing to report),
# then `check` (json report to a file) on the plain one, on the
# suppressed one, with `--update-baseline` writing a baseline of every finding, and with
# `--baseline` reading it back (every finding baselined); medians of wall and CPU time. Env: SHIPSHAPE_BIN (default
# target/release/shipshape, built when missing), RUNS (default 5; the median is reported).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
FINDINGS="${1:-100000}"
RUNS="${RUNS:-5}"
if ! [[ "$FINDINGS" =~ ^[1-9][0-9]*$ ]] || ((FINDINGS < 1000)); then
    echo "adopt.sh: FINDINGS must be a whole number of at least 1000, got '$FINDINGS'" >&2
    exit 2
fi
BIN="${SHIPSHAPE_BIN:-$ROOT/target/release/shipshape}"
TIME=/usr/bin/time
[[ -x "$TIME" ]] || { echo "adopt.sh: GNU time not found at $TIME (apt-get install time)" >&2; exit 2; }
[[ -x "$BIN" ]] || cargo build --release >&2
WORK="$ROOT/target/bench/adopt-$FINDINGS"

# make_book DIR HEADER: 1,000 pages of broken links, each opening with HEADER.
make_book() {
    [[ -f "$1/book.toml" ]] && return
    mkdir -p "$1/src"
    printf '[book]\ntitle = "Broken on purpose"\n[shipshape]\n' >"$1/book.toml"
    python3 - "$1/src" "$FINDINGS" "$2" <<'PY'
import sys, pathlib
src, per_page, header = pathlib.Path(sys.argv[1]), int(sys.argv[2]) // 1000, sys.argv[3]
summary = ["# Summary", "", "[Home](README.md)", ""]
(src / "README.md").write_text("# Home\n")
for p in range(1000):
    lines = [header, f"# Page {p}", ""] if header else [f"# Page {p}", ""]
    lines += [f"See [item {i}](missing-{p}-{i}.md#part-{i})." for i in range(per_page)]
    (src / f"page-{p:04}.md").write_text("\n".join(lines) + "\n")
    summary.append(f"- [Page {p}](page-{p:04}.md)")
(src / "SUMMARY.md").write_text("\n".join(summary) + "\n")
PY
}
make_book "$WORK/plain" ""
make_book "$WORK/suppressed" "<!-- shipshape-disable link -- generated for the benchmark -->"

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
# time_run DIR ARGS...: prints the median wall seconds and the median CPU seconds (user +
# sys) of RUNS runs of `check DIR ARGS`. On a shared machine the CPU time is the steadier.
time_run() {
    local dir="$1" walls=() cpus=()
    shift
    for ((i = 0; i < RUNS; i++)); do
        "$TIME" -o "$WORK/time" -f '%e %U %S' \
            "$BIN" check "$dir" --today 2026-11-27 --format json="$WORK/report.json" "$@" >/dev/null 2>&1 || true
        # GNU time writes "Command exited with non-zero status 1" first when check fails.
        read -r wall user sys < <(tail -n 1 "$WORK/time")
        walls+=("$wall")
        cpus+=("$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')")
    done
    echo "$(printf '%s\n' "${walls[@]}" | median)s wall, $(printf '%s\n' "${cpus[@]}" | median)s CPU"
}
# summary FIELD: that field of the last report's summary.
summary() {
    python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["summary"][sys.argv[2]])' "$WORK/report.json" "$1"
}

none=$(time_run "$WORK/plain" --skip-rule link)
plain=$(time_run "$WORK/plain")
reported=$(summary errors)
suppressed=$(time_run "$WORK/suppressed")
count=$(summary suppressed)
update=$(time_run "$WORK/plain" --update-baseline "$WORK/baseline.json")
baselined=$(time_run "$WORK/plain" --baseline "$WORK/baseline.json")
accepted=$(summary baselined)
echo "check, median of $RUNS runs, 1,000 pages:"
printf '  %-34s %-26s  (the same load and checks, nothing to report)\n' "--skip-rule link" "$none"
printf '  %-34s %-26s  (%s findings reported)\n' "no suppressions, no baseline" "$plain" "$reported"
printf '  %-34s %-26s  (%s suppressed)\n' "every finding suppressed" "$suppressed" "$count"
printf '  %-34s %-26s  (%s bytes written)\n' "--update-baseline" "$update" "$(wc -c <"$WORK/baseline.json")"
printf '  %-34s %-26s  (%s baselined)\n' "--baseline (every finding in it)" "$baselined" "$accepted"
