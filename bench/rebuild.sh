#!/usr/bin/env bash
# Rebuilds with the build cache: a clean build, a rebuild with nothing changed, a
# one-page body edit and a one-page title edit, and Hugo's no-change rebuild, in the
# same rounds, at each size.
#
#   bench/rebuild.sh [PAGES...]        (default: 1000 10000)
#
# Env:
#   SHIPSHAPE_BIN   binary to time (default: a fresh `cargo build --release`)
#   RUNS            rounds per size (default 5)
#   HUGO=0          leave Hugo out
#
# Every shipshape run builds into the same site folder, which the build replaces and
# removes, as users run it. The clean build runs with `--no-cache`; an untimed build
# after it brings the cache back up to date (the clean build replaced the site the
# cache describes). See "Rebuilds" in bench/README.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
WORK="$ROOT/target/bench/rebuild"
RUNS="${RUNS:-5}"
HUGO="${HUGO:-1}"
SIZES=("$@")
((${#SIZES[@]})) || SIZES=(1000 10000)
for value in "${SIZES[@]}" "$RUNS"; do
    if ! [[ "$value" =~ ^[1-9][0-9]*$ ]]; then
        echo "rebuild.sh: PAGES and RUNS must be positive integers, got '$value'" >&2
        exit 2
    fi
done
bench_start
mkdir -p "$WORK"
if ((HUGO)) && ! command -v hugo >/dev/null 2>&1; then
    echo "== installing Hugo (apt-get install hugo)" >&2
    sudo=""
    [[ "$(id -u)" -ne 0 ]] && sudo="sudo"
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq hugo >&2
fi

# run NAME TIMES_DIR CMD...: one timed run appended to TIMES_DIR/NAME.times.
run() {
    local name="$1" dir="$2"
    shift 2
    local rc=0
    timed "$dir/t" "$@" >"$dir/$name.log" 2>&1 || rc=$?
    if ((rc != 0 && rc != 1)); then
        echo "rebuild.sh: $name failed (exit $rc): $*" >&2
        tail -n 30 "$dir/$name.log" >&2
        exit 1
    fi
    read -r w m u s <"$dir/t"
    echo "   $name: ${w}s wall (${u}s user + ${s}s sys), $((m / 1024)) MiB" >&2
    cat "$dir/t" >>"$dir/$name.times"
}

# The median of column COL (1 wall, 3 user, 4 sys; 0 user+sys) of FILE.
median() {
    local file="$1" col="$2"
    awk -v c="$col" '{ print (c == 0 ? $3 + $4 : $c) }' "$file" | sort -n | awk '
        { v[NR] = $1 }
        END { printf "%.3f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

for pages in "${SIZES[@]}"; do
    corpus="$ROOT/target/bench/corpus-$pages"
    ensure_corpus "$pages" "$corpus" --hugo
    dir="$WORK/$pages"
    to_trash "$dir"
    mkdir -p "$dir"
    # A copy to edit, so the shared corpus stays as generated.
    cp -r "$corpus" "$dir/book"
    book="$dir/book"
    site="$dir/site"
    # The page edited: the second page of the first section, in its first paragraph
    # (body) and its H1 (title).
    page="$(find "$book/src/part-01/section-01" -name 'page-*.md' | sort | sed -n 2p)"
    if ((HUGO)); then
        hugo --source "$book/hugo" --destination "$dir/hugo-site" --cacheDir "$dir/hugo-cache" \
            --quiet >/dev/null 2>&1
    fi
    for ((i = 1; i <= RUNS; i++)); do
        echo "== round $i of $RUNS at $pages pages" >&2
        run clean "$dir" "$BIN" build "$book" -d "$site" --no-cache
        # Untimed: the clean build replaced the site the cache describes.
        "$BIN" build "$book" -d "$site" >/dev/null 2>&1 || true
        run nochange "$dir" "$BIN" build "$book" -d "$site"
        python3 - "$page" "$i" <<'EOF'
import sys
path, round_ = sys.argv[1], sys.argv[2]
lines = open(path).read().split("\n")
# The first paragraph is line 3: one more sentence, no heading, link or finding.
lines[2] = lines[2].split(" Edited in round")[0] + f" Edited in round {round_}."
open(path, "w").write("\n".join(lines))
EOF
        run body "$dir" "$BIN" build "$book" -d "$site"
        python3 - "$page" "$i" <<'EOF'
import sys
path, round_ = sys.argv[1], sys.argv[2]
lines = open(path).read().split("\n")
lines[0] = lines[0].split(" (revision")[0] + f" (revision {round_})"
open(path, "w").write("\n".join(lines))
EOF
        run title "$dir" "$BIN" build "$book" -d "$site" --log-format json
        if ((HUGO)); then
            run hugo-nochange "$dir" hugo --source "$book/hugo" --destination "$dir/hugo-site" \
                --cacheDir "$dir/hugo-cache" --quiet
        fi
    done
    # What the last title edit rendered, from its JSON log.
    grep '"stage":"render"' "$dir/title.log" >"$dir/title.render" || true
done

echo
echo "Rebuilds, $RUNS interleaved rounds per size; wall from GNU time (10 ms resolution); medians"
echo "(min for wall), cpu = user+sys; speed-up = clean median / that run's median"
echo
printf '%-7s  %-22s  %15s  %8s  %9s\n' pages run "wall s min/med" "cpu s" speed-up
printf '%-7s  %-22s  %15s  %8s  %9s\n' ------- ---------------------- --------------- -------- ---------
for pages in "${SIZES[@]}"; do
    dir="$WORK/$pages"
    clean=$(median "$dir/clean.times" 1)
    names=(clean nochange body title)
    ((HUGO)) && names+=(hugo-nochange)
    for name in "${names[@]}"; do
        read -r mn md _ < <(stats "$dir/$name.times")
        cpu=$(median "$dir/$name.times" 0)
        med=$(median "$dir/$name.times" 1)
        label="$name"
        case "$name" in
            clean) label="clean (--no-cache)" ;;
            nochange) label="no change" ;;
            body) label="one-page body edit" ;;
            title) label="one-page title edit" ;;
            hugo-nochange) label="hugo, no change" ;;
        esac
        awk -v p="$pages" -v l="$label" -v mn="$mn" -v md="$md" -v c="$cpu" -v cl="$clean" -v m="$med" 'BEGIN {
            printf "%-7d  %-22s  %6.2f / %6.2f  %8.2f  %8.1fx\n", p, l, mn, md, c, (m > 0 ? cl / m : 0)
        }'
    done
    if [[ -s "$dir/title.render" ]]; then
        echo "        title edit's render stage: $(tail -n 1 "$dir/title.render")"
    fi
done

# All deletes happen after the timing (see "Deletes and timing" in bench/README.md).
to_trash "$WORK"
rm -rf "$TRASH"
