# Helpers shared by bench/run.sh, bench/compare.sh and bench/ab.sh; source it, do not run it.
# The caller sets ROOT (the repository) and TRASH (where old output goes).

TIME=/usr/bin/time

require_gnu_time() {
    if [[ ! -x "$TIME" ]]; then
        echo "bench: GNU time not found at $TIME (apt-get install time)" >&2
        exit 2
    fi
}

# Called before our own cargo build, which would raise the load itself.
warn_if_busy() {
    local load
    load=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo 0)
    if awk -v l="$load" -v c="$(nproc)" 'BEGIN { exit !(l > c / 2) }'; then
        echo "bench: note: load average is $load on $(nproc) CPUs; other work on the machine" \
            "will inflate wall times (compare user+sys in the per-run lines)" >&2
    fi
}

# shipshape_bin: prints the binary to time: $SHIPSHAPE_BIN, or a fresh release build.
shipshape_bin() {
    local bin
    if [[ -n "${SHIPSHAPE_BIN:-}" ]]; then
        bin="$SHIPSHAPE_BIN"
        echo "== using SHIPSHAPE_BIN=$bin (skipping cargo build)" >&2
    else
        bin="$ROOT/target/release/shipshape"
        echo "== cargo build --release" >&2
        # Inside $(…) set -e does not apply: without the exit, an old binary would be timed.
        cargo build --release >&2 || exit 2
    fi
    if [[ ! -x "$bin" ]]; then
        echo "bench: binary not found or not executable: $bin" >&2
        exit 2
    fi
    echo "$bin"
}

# to_trash PATH: move PATH out of the way (a rename, so no inodes are freed now).
to_trash() {
    if [[ -e "$1" ]]; then
        mv "$1" "$(mktemp -d "$TRASH/old.XXXXXX")/"
    fi
}

# timed OUT_FILE CMD...: flush dirty pages (untimed), run CMD under GNU time,
# write "wall_s rss_kib user_s sys_s" to OUT_FILE and return CMD's exit status. On a
# non-zero exit GNU time writes a "Command exited with non-zero status N"
# line first, so keep only the last line.
timed() {
    local out="$1"
    shift
    local rc=0
    sync
    "$TIME" -f '%e %M %U %S' -o "$out.raw" "$@" || rc=$?
    tail -n 1 "$out.raw" >"$out"
    rm -f "$out.raw"
    return "$rc"
}

# stats FILE: FILE holds "wall rss user sys" lines; prints "min median max_rss_kib".
stats() {
    sort -n -k1,1 "$1" | awk '
        { w[NR] = $1; if ($2 > rss) rss = $2 }
        END {
            med = (NR % 2) ? w[(NR + 1) / 2] : (w[NR / 2] + w[NR / 2 + 1]) / 2
            printf "%.2f %.2f %d\n", w[1], med, rss
        }'
}

# ensure_corpus N DIR [--hugo]: generate DIR unless it is complete, has what was asked
# for, and is newer than the generator.
ensure_corpus() {
    local n="$1" dir="$2" hugo="${3:-}"
    local gen="$ROOT/bench/gen_corpus.py" marker="$2/.gen_corpus"
    if [[ ! -f "$marker" ]] || ! grep -q 'state=done' "$marker" || [[ "$gen" -nt "$marker" ]] ||
        { [[ -n "$hugo" ]] && ! grep -q 'hugo=True' "$marker"; }; then
        echo "== generating $(basename "$dir")" >&2
        to_trash "$dir"
        python3 "$gen" --pages "$n" --out "$dir" $hugo
    else
        echo "== $(basename "$dir") up to date" >&2
    fi
}

# generated DIR ARGS...: run bench/gen_corpus.py --out DIR ARGS... unless DIR is complete
# and newer than the generator (the caller names DIR after ARGS, so other ARGS mean
# another DIR).
generated() {
    local dir="$1"
    shift
    local marker="$dir/.gen_corpus"
    if [[ -f "$marker" ]] && grep -q 'state=done' "$marker" && [[ ! "$ROOT/bench/gen_corpus.py" -nt "$marker" ]]; then
        echo "== $(basename "$dir") up to date" >&2
        return
    fi
    to_trash "$dir"
    python3 "$ROOT/bench/gen_corpus.py" --out "$dir" "$@"
}

# bench_start: what every timing script does first: a trash folder for old output
# (TRASH), GNU time, a note when the machine is busy, and the binary to time (BIN).
bench_start() {
    TRASH="$ROOT/target/bench/trash"
    mkdir -p "$TRASH"
    require_gnu_time
    warn_if_busy
    BIN="$(shipshape_bin)"
}
