#!/usr/bin/env bash
# Highlighting cost of two shipshape binaries on a code-heavy book.
#
#   bench/highlight.sh BASE_BIN NEW_BIN [PAGES]      (PAGES default: 1000)
#
# Env:
#   RUNS          timed runs of each binary on each book (default: 5)
#   PER_LANGUAGE  1: also time each language on its own (needs perf; see below)
#
# The book is `gen_corpus.py --code-heavy` (3 code blocks of 10-40 lines per page, in
# the 20 languages shipshape highlights with tree-sitter), and a copy of it whose
# fences all say `text`, so nothing is highlighted. Each binary builds both; the CPU
# time (user + sys) of the code book less that of the plain one is what highlighting
# costs, and code lines per CPU second of it is the throughput per core. The runs go in
# ABBA order (base/new swap every round) after one untimed warm-up of each of the four.
#
# With PER_LANGUAGE=1 it then splits the book by language: for each one, a book of all
# its blocks and a book of its first block only, each also as plain text, timed with
# `perf stat -r RUNS -e task-clock` (CPU milliseconds, finer than GNU time). The first
# block shows the setup (loading the grammar, compiling its queries); all blocks less
# the setup shows the steady throughput. Last, both binaries build this repository's own
# handbook (content/, a few dozen blocks in a dozen languages), where the setup dominates.
#
# It also prints the binaries' sizes and both sites' sizes (the code book, bytes of
# every file, as du -sb counts them). Same rules as ab.sh: every run writes a fresh
# folder and nothing is deleted until the last measurement.
set -euo pipefail

usage() {
    echo "usage: bench/highlight.sh BASE_BIN NEW_BIN [PAGES]   (env RUNS, default 5)" >&2
    exit 2
}
[[ $# -ge 2 && $# -le 3 ]] || usage
PAGES="${3:-1000}"
RUNS="${RUNS:-5}"
for value in "$PAGES" "$RUNS"; do
    if ! [[ "$value" =~ ^[1-9][0-9]*$ ]]; then
        echo "highlight.sh: PAGES and RUNS must be positive integers, got '$value'" >&2
        exit 2
    fi
done
declare -A SRC
for side in 1 2; do
    bin="${!side}"
    if [[ ! -f "$bin" || ! -x "$bin" ]]; then
        echo "highlight.sh: binary not found or not executable: $bin" >&2
        exit 2
    fi
    SRC[$side]="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
done

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
WORK="$ROOT/target/bench/highlight"
TRASH="$WORK/trash"
RUNDIR="$WORK/runs"
LOGS="$WORK/logs"
CODE="$ROOT/target/bench/corpus-code-$PAGES"
PLAIN="$ROOT/target/bench/corpus-code-$PAGES-plain"
TODAY=2026-11-27

require_gnu_time
warn_if_busy
mkdir -p "$WORK" "$TRASH"
to_trash "$RUNDIR"
to_trash "$LOGS"
mkdir -p "$RUNDIR" "$WORK/bin" "$LOGS"

# Time copies, so a cargo build during the runs cannot swap a binary under us.
declare -A BIN NAME
BIN[a]="$WORK/bin/a"
BIN[b]="$WORK/bin/b"
NAME[a]=base
NAME[b]=new
cp "${SRC[1]}" "${BIN[a]}"
cp "${SRC[2]}" "${BIN[b]}"

generated "$CODE" --pages "$PAGES" --code-heavy
if [[ ! -f "$PLAIN/.gen_corpus" || "$CODE/.gen_corpus" -nt "$PLAIN/.gen_corpus" ]]; then
    echo "== writing $(basename "$PLAIN") (every fence says text)" >&2
    to_trash "$PLAIN"
    cp -r "$CODE" "$PLAIN"
    find "$PLAIN/src" -name '*.md' -exec sed -i -E 's/^```[a-z]+$/```text/' {} +
    touch "$PLAIN/.gen_corpus"
fi
# Code lines and bytes: the lines between fences.
read -r CODE_LINES CODE_BYTES < <(find "$CODE/src" -name '*.md' -exec cat {} + | awk '
    /^```/ { inside = !inside; next }
    inside { lines++; bytes += length($0) + 1 }
    END { print lines + 0, bytes + 0 }')

# build SIDE BOOK TAG: one timed build of binary SIDE (a or b) of BOOK (code or plain),
# its "wall rss user sys" line appended to $LOGS/SIDE.BOOK.times (unless TAG is warm).
build() {
    local side="$1" book="$2" tag="$3" dir
    dir="$CODE"
    [[ "$book" == plain ]] && dir="$PLAIN"
    local site="$RUNDIR/site-$side-$book.$tag" log="$LOGS/$side-$book.$tag"
    local rc=0
    timed "$RUNDIR/t" "${BIN[$side]}" build "$dir" -d "$site" --today "$TODAY" \
        >"$log.out" 2>"$log.err" || rc=$?
    if ((rc > 1)); then
        echo "highlight.sh: $side (${NAME[$side]}) failed on the $book book (exit $rc):" \
            "see $log.err" >&2
        tail -n 20 "$log.err" >&2
        exit 1
    fi
    if [[ "$tag" != warm ]]; then
        cat "$RUNDIR/t" >>"$LOGS/$side-$book.times"
        read -r w m u s <"$RUNDIR/t"
        awk -v i="$tag" -v n="$RUNS" -v l="${side^^} ${NAME[$side]} $book:" -v w="$w" \
            -v m="$m" -v u="$u" -v s="$s" 'BEGIN {
                printf "   run %2d/%d %-15s %6.2fs wall, %6.2fs cpu, %7.1f MiB\n",
                    i, n, l, w, u + s, m / 1024
            }' >&2
    fi
}

echo "== warm-up (untimed)" >&2
for side in a b; do
    for book in code plain; do
        build "$side" "$book" warm
    done
done
for side in a b; do
    for book in code plain; do
        : >"$LOGS/$side-$book.times"
    done
done
for ((i = 1; i <= RUNS; i++)); do
    if ((i % 2)); then order="a b"; else order="b a"; fi
    for book in code plain; do
        for side in $order; do
            build "$side" "$book" "$i"
        done
    done
done
rm -f "$RUNDIR/t"

declare -A SITE_BYTES BIN_BYTES
PLAIN_BYTES=$(du -sb "$RUNDIR/site-b-plain.$RUNS" | cut -f1)
for side in a b; do
    SITE_BYTES[$side]=$(du -sb "$RUNDIR/site-$side-code.$RUNS" | cut -f1)
    BIN_BYTES[$side]=$(stat -c %s "${BIN[$side]}")
done

# All deletes happen here, after the timing.
to_trash "$RUNDIR"
rm -rf "$TRASH"

median() {
    sort -g | awk '{ v[NR] = $1 } END {
        if (NR == 0) { print "nan"; exit }
        printf "%.4f\n", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    }'
}
declare -A WALL CPU RSS
for side in a b; do
    for book in code plain; do
        key="$side-$book"
        WALL[$key]=$(awk '{ print $1 }' "$LOGS/$key.times" | median)
        CPU[$key]=$(awk '{ print $3 + $4 }' "$LOGS/$key.times" | median)
        RSS[$key]=$(awk '{ print $2 }' "$LOGS/$key.times" | median)
    done
done

echo
echo "Highlighting at $PAGES code-heavy pages ($CODE_LINES code lines, $CODE_BYTES bytes):" \
    "$RUNS timed runs of each binary on each book, ABBA order, medians; GNU time, 10 ms"
echo "  A base: ${SRC[1]}"
echo "  B new:  ${SRC[2]}"
echo
printf '%-8s  %-6s  %8s  %8s  %9s\n' "" book "wall s" "cpu s" "peak MiB"
for side in a b; do
    for book in code plain; do
        key="$side-$book"
        awk -v l="${side^^} ${NAME[$side]}" -v b="$book" -v w="${WALL[$key]}" \
            -v c="${CPU[$key]}" -v m="${RSS[$key]}" 'BEGIN {
                printf "%-8s  %-6s  %8.2f  %8.2f  %9.1f\n", l, b, w, c, m / 1024
            }'
    done
done
echo
for side in a b; do
    awk -v l="${side^^} ${NAME[$side]}" -v code="${CPU[$side-code]}" \
        -v plain="${CPU[$side-plain]}" -v lines="$CODE_LINES" -v bytes="$CODE_BYTES" 'BEGIN {
            h = code - plain
            if (h > 0) printf "%-8s  highlighting %.2f cpu s: %.0f lines/s, %.2f MB/s per core\n", l, h, lines / h, bytes / h / 1e6
            else printf "%-8s  highlighting %.2f cpu s: within noise\n", l, h
        }'
done
awk -v a="${CPU[a-code]}" -v ap="${CPU[a-plain]}" -v b="${CPU[b-code]}" -v bp="${CPU[b-plain]}" \
    -v wa="${WALL[a-code]}" -v wb="${WALL[b-code]}" 'BEGIN {
        if (b - bp > 0) printf "new/base: highlighting throughput %.1fx;", (a - ap) / (b - bp)
        printf " code book build: wall %.2fx, cpu %.2fx\n", wb / wa, b / a
    }'
echo "site (code book): base ${SITE_BYTES[a]} bytes, new ${SITE_BYTES[b]} bytes" \
    "($(awk -v a="${SITE_BYTES[a]}" -v b="${SITE_BYTES[b]}" 'BEGIN { printf "%.2fx", b / a }'));" \
    "the plain book's site, nothing highlighted: $PLAIN_BYTES bytes"
echo "binary: base ${BIN_BYTES[a]} bytes, new ${BIN_BYTES[b]} bytes" \
    "($(awk -v a="${BIN_BYTES[a]}" -v b="${BIN_BYTES[b]}" 'BEGIN { printf "%+.1f MB", (b - a) / 1e6 }'))"

if [[ "${PER_LANGUAGE:-0}" != 1 ]]; then
    exit 0
fi
if ! command -v perf >/dev/null; then
    echo "highlight.sh: PER_LANGUAGE=1 needs perf (apt-get install linux-perf)" >&2
    exit 2
fi
mkdir -p "$TRASH"
BOOKS="$WORK/languages"
to_trash "$BOOKS"
mkdir -p "$BOOKS"
# One folder per language and kind: all, all-plain, first, first-plain.
python3 - "$CODE/src" "$BOOKS" <<'PY'
import glob, os, re, sys
src, out = sys.argv[1], sys.argv[2]
blocks = {}
for path in sorted(glob.glob(f"{src}/**/*.md", recursive=True)):
    for lang, code in re.findall(r"^```([a-z]+)\n(.*?)^```$", open(path).read(), re.S | re.M):
        blocks.setdefault(lang, []).append(code)
def book(folder, codes, fence):
    os.makedirs(f"{folder}/src", exist_ok=True)
    with open(f"{folder}/book.toml", "w") as f:
        f.write('[book]\ntitle = "Code"\nsrc = "src"\n')
    summary = ["# Summary", ""]
    for i in range(0, len(codes), 20):
        with open(f"{folder}/src/p{i}.md", "w") as f:
            f.write(f"# Page {i}\n\n" + "".join(f"```{fence}\n{c}```\n\n" for c in codes[i:i + 20]))
        summary.append(f"- [Page {i}](p{i}.md)")
    with open(f"{folder}/src/SUMMARY.md", "w") as f:
        f.write("\n".join(summary) + "\n")
for lang, codes in sorted(blocks.items()):
    lines = sum(c.count("\n") for c in codes)
    for kind, chosen in (("all", codes), ("first", codes[:1])):
        book(f"{out}/{lang}.{kind}", chosen, lang)
        book(f"{out}/{lang}.{kind}-plain", chosen, "text")
    with open(f"{out}/{lang}.lines", "w") as f:
        f.write(f"{lines}\n")
PY
# task_ms SIDE BOOK [OUT]: the mean task-clock of RUNS builds, in milliseconds.
task_ms() {
    perf stat -r "$RUNS" -x, -e task-clock "${BIN[$1]}" build "$2" -d "${3:-$2-out.$1}" \
        --today "$TODAY" 2>&1 >/dev/null | awk -F, '/task-clock/ { print $1 }'
}
echo
echo "Per language: CPU ms beyond plain text (perf stat, mean of $RUNS), setup = the first" \
    "block alone, lines/s = (all - setup) per CPU second"
printf '%-11s %6s  %18s  %18s  %13s  %6s\n' language lines "base setup / all" "new setup / all" \
    "lines/s b / n" ratio
for lines_file in "$BOOKS"/*.lines; do
    lang=$(basename "$lines_file" .lines)
    lines=$(cat "$lines_file")
    declare -A MS
    for side in a b; do
        for kind in all first; do
            code_ms=$(task_ms "$side" "$BOOKS/$lang.$kind")
            plain_ms=$(task_ms "$side" "$BOOKS/$lang.$kind-plain")
            MS[$side-$kind]=$(awk -v c="$code_ms" -v p="$plain_ms" 'BEGIN { print c - p }')
        done
    done
    awk -v l="$lang" -v n="$lines" -v as="${MS[a-first]}" -v aa="${MS[a-all]}" \
        -v bs="${MS[b-first]}" -v ba="${MS[b-all]}" 'BEGIN {
            ra = (aa - as > 0) ? n / (aa - as) * 1000 : 0
            rb = (ba - bs > 0) ? n / (ba - bs) * 1000 : 0
            printf "%-11s %6d  %7.1f / %7.1f  %7.1f / %7.1f  %6.0fk/%5.0fk  %5.1fx\n",
                l, n, as, aa, bs, ba, ra / 1000, rb / 1000, (ra > 0) ? rb / ra : 0
        }'
done
own_base=$(task_ms a "$ROOT" "$BOOKS/own-site.a")
own_new=$(task_ms b "$ROOT" "$BOOKS/own-site.b")
echo
awk -v a="$own_base" -v b="$own_new" 'BEGIN {
    printf "this repository'"'"'s handbook: base %.1f ms, new %.1f ms of CPU a build (%+.1f ms)\n", a, b, b - a
}'
to_trash "$BOOKS"
rm -rf "$TRASH"
