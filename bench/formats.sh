#!/usr/bin/env bash
# How long each report format takes to print many findings.
#
#   bench/formats.sh [FINDINGS]          (default: 100000)
#
# Generates a handbook of 1,000 pages whose links all lead nowhere (FINDINGS / 1000 per
# page), then times `check` once per format, writing the report to a file, and once with
# `--skip-rule link`: the same load and checks with no findings to print. The difference
# is the time the format takes. Env: SHIPSHAPE_BIN (default target/release/shipshape,
# built when missing), RUNS (default 3; medians are reported). Wall and CPU (user + sys)
# times are both shown: on a machine shared with other work, CPU time varies less.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
FINDINGS="${1:-100000}"
RUNS="${RUNS:-3}"
if ! [[ "$FINDINGS" =~ ^[1-9][0-9]*$ ]] || ((FINDINGS < 1000)); then
    echo "formats.sh: FINDINGS must be a whole number of at least 1000, got '$FINDINGS'" >&2
    exit 2
fi
BIN="${SHIPSHAPE_BIN:-$ROOT/target/release/shipshape}"
[[ -x "$BIN" ]] || cargo build --release >&2
WORK="$ROOT/target/bench/formats-$FINDINGS"

if [[ ! -f "$WORK/book.toml" ]]; then
    mkdir -p "$WORK/src"
    printf '[book]\ntitle = "Broken on purpose"\n[shipshape]\n' >"$WORK/book.toml"
    python3 - "$WORK/src" "$FINDINGS" <<'PY'
import sys, pathlib
src, findings = pathlib.Path(sys.argv[1]), int(sys.argv[2])
pages, per_page = 1000, int(sys.argv[2]) // 1000
summary = ["# Summary", "", "[Home](README.md)", ""]
(src / "README.md").write_text("# Home\n")
for p in range(pages):
    lines = [f"# Page {p}", ""]
    lines += [f"See [item {i}](missing-{p}-{i}.md#part-{i}) for \"detail\" 100% <here>." for i in range(per_page)]
    (src / f"page-{p:04}.md").write_text("\n".join(lines) + "\n")
    summary.append(f"- [Page {p}](page-{p:04}.md)")
(src / "SUMMARY.md").write_text("\n".join(summary) + "\n")
PY
fi

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
# time_run ARGS...: prints the median wall seconds and the median CPU seconds (user + sys)
# of RUNS runs of `check ARGS`. CPU time is the steadier figure on a shared machine.
time_run() {
    local walls=() cpus=()
    for ((i = 0; i < RUNS; i++)); do
        local TIMEFORMAT='%R %U %S' times
        times=$({ time "$BIN" check "$WORK" --today 2026-11-27 "$@" >/dev/null 2>&1 || true; } 2>&1)
        read -r wall user sys <<<"$times"
        walls+=("$wall")
        cpus+=("$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.3f", u + s }')")
    done
    echo "$(printf '%s\n' "${walls[@]}" | median) $(printf '%s\n' "${cpus[@]}" | median)"
}

# check exits 1 on these findings; that is the point, not a failure of the script.
"$BIN" check "$WORK" --today 2026-11-27 --format json="$WORK/all.json" >/dev/null 2>&1 || true
count=$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["findings"]))' "$WORK/all.json")
read -r base base_cpu <<<"$(time_run --skip-rule link --format json="$WORK/none.json")"
echo "formats.sh: $count findings; check with none to print: ${base}s wall, ${base_cpu}s CPU (medians of $RUNS)"
printf '%-8s %10s %12s %10s %12s %12s\n' format "check s" "format s" "CPU s" "format CPU s" "report MB"
for format in human json sarif github gitlab junit; do
    out="$WORK/report.$format"
    read -r t cpu <<<"$(time_run --format "$format=$out")"
    size=$(awk -v b="$(stat -c %s "$out")" 'BEGIN { printf "%.1f", b / 1048576 }')
    printf '%-8s %10s %12s %10s %12s %12s\n' "$format" "$t" \
        "$(awk -v t="$t" -v b="$base" 'BEGIN { printf "%.3f", t - b }')" "$cpu" \
        "$(awk -v t="$cpu" -v b="$base_cpu" 'BEGIN { printf "%.3f", t - b }')" "$size"
done
