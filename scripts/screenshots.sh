#!/usr/bin/env bash
# Refreshes the README's screenshots (docs/screenshots/*.png) from the bundled handbook,
# with Debian's headless chromium driven by playwright-core (tests/browser): the home
# page, a guide chapter light and dark, the phone views, and, when the handbook has
# services, the services dashboard, the first report card and the first team page.
#
#   scripts/screenshots.sh [HANDBOOK]      (default: the bundled handbook, `.`)
#
# Needs: chromium (apt-get install chromium), Node.js 20+, the npm registry once.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

if ! command -v chromium >/dev/null 2>&1; then
    echo "screenshots.sh: chromium not found: apt-get install chromium" >&2
    exit 2
fi
[[ -d tests/browser/node_modules/playwright-core ]] ||
    npm ci --prefix tests/browser --no-audit --no-fund --silent

site="$ROOT/target/screenshots-site"
# A handbook with findings still builds (exit 1); only a build that could not run stops here.
cargo run --release --quiet -- build "${1:-.}" -d "$site" --today 2026-11-27 || [[ $? -eq 1 ]]
node tests/browser/screenshots.mjs "$site" docs/screenshots
