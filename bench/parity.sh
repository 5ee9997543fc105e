#!/usr/bin/env bash
# Parity with mdBook: build one mdBook book with mdBook and with shipshape, and compare
# page by page what a reader gets in the main content.
#
#   bench/parity.sh BOOK_DIR [--shipshape BIN] [--json FILE] [--details] [--keep]
#                   [--today YYYY-MM-DD] [--mdbook-drop KEY]...
#
# BIN defaults to target/release/shipshape, built with `cargo build --release` only when it
# is missing. mdBook is installed with `cargo install --locked mdbook` when `mdbook` is not
# on PATH. Both sites go to a fresh temporary folder, never inside the book, deleted at the
# end unless --keep. Exit 0 whatever the differences; 2 when mdBook fails or shipshape exits
# 2. See bench/README.md, "Parity with mdBook".
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ $# -lt 1 || "$1" == -h || "$1" == --help ]]; then
    sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    [[ $# -lt 1 ]] && exit 2
    exec python3 "$ROOT/bench/mdbook_parity.py" --help
fi

bin=""
args=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --shipshape)
            [[ $# -ge 2 ]] || { echo "parity.sh: --shipshape needs a binary" >&2; exit 2; }
            bin="$2"
            shift 2
            ;;
        --shipshape=*)
            bin="${1#--shipshape=}"
            shift
            ;;
        *)
            args+=("$1")
            shift
            ;;
    esac
done

if [[ -z "$bin" ]]; then
    bin="$ROOT/target/release/shipshape"
    if [[ ! -x "$bin" ]]; then
        echo "== $bin is missing: cargo build --release" >&2
        (cd "$ROOT" && cargo build --release >&2) || exit 2
    fi
fi
if [[ ! -x "$bin" ]]; then
    echo "parity.sh: shipshape binary not found or not executable: $bin" >&2
    exit 2
fi
if ! command -v mdbook >/dev/null 2>&1; then
    echo "== installing mdBook (cargo install --locked mdbook)" >&2
    cargo install --locked mdbook >&2 || exit 2
fi

exec python3 "$ROOT/bench/mdbook_parity.py" --shipshape "$bin" "${args[@]}"
