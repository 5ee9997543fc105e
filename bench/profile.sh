#!/usr/bin/env bash
# Where a clean build's CPU time goes: one `build` of the generated book, sampled with
# `perf record -g`, and the share of samples in each part of the pipeline.
#
#   bench/profile.sh [PAGES]      (default: 10000)
#   SHIPSHAPE_BIN=/path/to/shipshape bench/profile.sh      (profile that binary instead)
#
# The binary is a release build with frame pointers (in target/prof, so it never replaces
# target/release/shipshape): without them `perf record -g` cannot walk the stacks. Another
# binary (SHIPSHAPE_BIN, say an older commit's) needs them too. A part's
# share is the share of all samples whose stack holds one of its frames, so nested parts
# (highlighting inside markdown → HTML) overlap and the shares do not add up to 100%.
# The raw data stays in target/bench/profile/perf.data for `perf report`.
set -euo pipefail

PAGES="${1:-10000}"
if ! [[ "$PAGES" =~ ^[1-9][0-9]*$ ]]; then
    echo "profile.sh: PAGES must be a positive integer, got '$PAGES'" >&2
    exit 2
fi
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
TRASH="$ROOT/target/bench/trash"
WORK="$ROOT/target/bench/profile"
CORPUS="$ROOT/target/bench/corpus-$PAGES" # shared with run.sh and ab.sh
mkdir -p "$TRASH"
if ! command -v perf >/dev/null 2>&1; then
    echo "profile.sh: perf not found (apt-get install linux-perf)" >&2
    exit 2
fi
warn_if_busy
if [[ -n "${SHIPSHAPE_BIN:-}" ]]; then
    BIN="$SHIPSHAPE_BIN"
    echo "== using SHIPSHAPE_BIN=$BIN (skipping cargo build)" >&2
else
    echo "== cargo build --release with frame pointers (target/prof)" >&2
    RUSTFLAGS="-C force-frame-pointers=yes" CARGO_PROFILE_RELEASE_DEBUG=line-tables-only \
        cargo build --release --target-dir "$ROOT/target/prof" >&2 || exit 2
    BIN="$ROOT/target/prof/release/shipshape"
fi
if [[ ! -x "$BIN" ]]; then
    echo "profile.sh: binary not found or not executable: $BIN" >&2
    exit 2
fi
ensure_corpus "$PAGES" "$CORPUS"
to_trash "$WORK"
mkdir -p "$WORK"

echo "== perf record -g: build corpus-$PAGES" >&2
rc=0
perf record -q -g -o "$WORK/perf.data" "$BIN" build "$CORPUS" -d "$WORK/site" --today 2026-11-27 \
    >"$WORK/build.out" 2>"$WORK/build.err" || rc=$?
if ((rc > 1)); then
    echo "profile.sh: the build failed (exit $rc); see $WORK/build.err" >&2
    exit 1
fi
perf script -i "$WORK/perf.data" -F ip,sym 2>/dev/null | python3 -c '
import re, sys

# (part, a frame of it, a frame that must not be there too)
PARTS = [
    ("markdown to HTML, every place (render::markdown::to_html)", r"render::markdown::to_html", None),
    ("  highlighting code (Highlighter::block)", r"render::highlight::Highlighter::block", None),
    ("  the rest: the events, the HTML writer, links, math", r"render::markdown::to_html", r"Highlighter::block"),
    ("templates (minijinja)", r"^minijinja::", None),
    ("sidebars (render::nav)", r"^shipshape::render::nav::", None),
    ("the markdown pass of the model (model::markdown::read)", r"model::markdown::(read|outline)", None),
    ("load (shipshape::load)", r"^shipshape::load::", None),
    ("check (shipshape::check)", r"^shipshape::check::", None),
    ("creating files (open)", r"libc_open", None),
    ("  of which ext4 passing recently deleted inodes", r"^recently_deleted$", None),
    ("writing files (write)", r"libc_write", None),
    ("page faults", r"page_fault", None),
]
samples, stack = [], []
for line in sys.stdin:
    line = line.strip()
    if not line:
        if stack:
            samples.append(stack)
        stack = []
        continue
    parts = line.split(" ", 1)
    stack.append(re.sub(r"\+0x[0-9a-f]+$", "", parts[1]) if len(parts) > 1 else "")
if stack:
    samples.append(stack)
total = len(samples) or 1
print(f"{len(samples)} samples; share of samples whose stack holds the part")
for name, has, lacks in PARTS:
    has, lacks = re.compile(has), lacks and re.compile(lacks)
    count = sum(
        1
        for s in samples
        if any(has.search(f) for f in s) and not (lacks and any(lacks.search(f) for f in s))
    )
    print(f"  {100.0 * count / total:5.1f}%  {name}")
'
echo "raw data: $WORK/perf.data (perf report -i $WORK/perf.data --children)"
