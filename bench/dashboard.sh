#!/usr/bin/env bash
# What the readiness overview pages cost `build`: the services dashboard, the waivers page
# and a page per team, for SERVICES generated service checklists.
#
#   bench/dashboard.sh [SERVICES] [TEAMS]     (default: 2000 services, 40 teams)
#
# Generates a handbook with one home page, a teams.yaml and SERVICES checklists of mixed
# maturity (every built-in item, in a seeded random state; some waivers), with
# `readiness = "off"` so that the docs-health page does not list tens of thousands of
# findings and the render stage is the overview pages' own cost. Builds it RUNS times
# (default 7) with `--log-format json` and prints the median and min of the render
# stage's milliseconds (every page: the dashboard, the waivers page and the team pages,
# beside the home, health, print and 404 pages) and of the whole build's wall time, and
# the dashboard's size in bytes. The render stage also holds what every build renders for
# services (readiness.json), so where `perf` is installed one more build is sampled and
# the share of CPU samples in the overview pages' views (`render::dashboard`) and in
# readiness.json is printed, with the CPU milliseconds that share is of that run.
# Env: SHIPSHAPE_BIN (default: a fresh release build), RUNS.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SERVICES="${1:-2000}"
TEAMS="${2:-40}"
RUNS="${RUNS:-7}"
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
bench_start

BOOK="$ROOT/target/bench/dashboard-$SERVICES-$TEAMS"
SITE="$ROOT/target/bench/dashboard-site"
to_trash "$BOOK"
python3 - "$BOOK" "$SERVICES" "$TEAMS" "$ROOT/tests/fixtures/standard-item-ids.txt" <<'PY'
import os, random, sys
book, count, teams, ids_file = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
ids = [l.strip() for l in open(ids_file) if l.strip() and not l.startswith("#")]
# Automatic rules decide these; a status written for them is a warning.
AUTOMATIC = {"monitoring.alert-runbooks", "documentation.adrs", "documentation.deploy-runbook"}
r = random.Random(12)
os.makedirs(f"{book}/content/services")
open(f"{book}/book.toml", "w").write(
    '[book]\ntitle = "Dashboard bench"\nsrc = "content"\n\n[policy.severity]\nreadiness = "off"\n')
open(f"{book}/content/index.md", "w").write("# Bench\n\nThe services are on the dashboard.\n")
with open(f"{book}/content/teams.yaml", "w") as out:
    out.write("teams:\n")
    for t in range(teams):
        out.write(f"  - id: team-{t:02}\n    name: Team number {t}\n    chat: \"#team-{t:02}\"\n")
for n in range(count):
    # Maturity varies by service: the share of items done.
    done = r.random()
    lines = [f"service: svc-{n:04}", f"title: Service {n} of the bench", f"owner: team-{n % teams:02}",
             f"tier: {r.randint(1, 4)}", "last_reviewed: 2026-10-01", "checks:"]
    for item in ids:
        if item in AUTOMATIC:
            continue
        roll = r.random()
        if roll < done:
            lines += [f"  {item}:", "    status: done", "    evidence: https://example.com/evidence"]
        elif roll < done + 0.03:
            lines += [f"  {item}:", "    status: waived",
                      f"    waiver: {{reason: \"planned for next quarter\", approved_by: lead-{n % 7}, expires: 2027-0{r.randint(1, 9)}-15}}"]
        elif roll < done + 0.3:
            lines += [f"  {item}:", "    status: todo"]
    open(f"{book}/content/services/svc-{n:04}.yaml", "w").write("\n".join(lines) + "\n")
PY

render_ms=()
: >"$TRASH/dashboard.times"
for run in $(seq "$RUNS"); do
    log="$TRASH/dashboard.log"
    timed "$TRASH/dashboard.time" "$BIN" build "$BOOK" -d "$SITE" --today 2026-11-27 --log-format json 2>"$log" || true
    ms=$(grep '"stage":"render"' "$log" | sed 's/.*"ms":\([0-9]*\).*/\1/')
    render_ms+=("$ms")
    cat "$TRASH/dashboard.time" >>"$TRASH/dashboard.times"
    echo "run $run: render stage ${ms} ms; wall/rss/user/sys: $(cat "$TRASH/dashboard.time")" >&2
done
median_render=$(printf '%s\n' "${render_ms[@]}" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
min_render=$(printf '%s\n' "${render_ms[@]}" | sort -n | head -1)
read -r min_wall median_wall rss <<<"$(stats "$TRASH/dashboard.times")"
size=$(stat -c %s "$SITE/services/index.html")
echo "services=$SERVICES teams=$TEAMS runs=$RUNS"
echo "render stage: median ${median_render} ms, min ${min_render} ms"
echo "build wall:   median ${median_wall} s, min ${min_wall} s, max rss ${rss} KiB"
echo "services/index.html: ${size} bytes; waivers.html: $(stat -c %s "$SITE/waivers.html") bytes"

if command -v perf >/dev/null 2>&1; then
    data="$TRASH/dashboard.perf"
    perf record -q -F 4999 --call-graph dwarf -o "$data" "$BIN" build "$BOOK" -d "$SITE" --today 2026-11-27 >/dev/null 2>&1 || true
    report=$(perf report -i "$data" --children --sort symbol 2>/dev/null | grep -v '^#')
    share() { grep -E "\] shipshape::$1 *-" <<<"$report" | head -1 | awk '{ print $1 }'; }
    cpu=$(perf report -i "$data" --stdio --header-only 2>/dev/null | grep -m1 'sample duration' | awk '{ print $5 }')
    echo "perf, one build: overview views (render::dashboard::Views::of) $(share 'render::dashboard::Views::of'), page rendering (Renderer::page_at, every page) $(share 'render::Renderer::page_at'), readiness.json $(share 'render::readiness::json') of CPU samples${cpu:+ (run: $cpu ms)}"
fi
