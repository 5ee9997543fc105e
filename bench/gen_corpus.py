#!/usr/bin/env python3
"""Generate a synthetic mdBook-format handbook for benchmarking shipshape.

    python3 bench/gen_corpus.py --pages N --out DIR [--seed S] [--hugo]
                                [--records R [--records-outside]] [--services S]
                                [--code-heavy]

Writes DIR/book.toml, DIR/src/SUMMARY.md, DIR/src/README.md and N content
pages under DIR/src/part-PP/section-SS/page-NNNN.md. With --hugo it also
writes the same pages as a Hugo site in DIR/hugo (see hugo_site below), so
mdBook, Hugo and shipshape can be timed on identical text. With --records R,
R of the N pages are ADRs (src/adr/NNNN-title.md, in shipshape's, adr-tools' and
MADR's formats, some superseding others) and R are runbooks (src/runbooks/),
each with its required sections and a review date; --records-outside writes the
very same files to src/decision-notes/ and src/ops-notes/ instead, where they are
ordinary pages: the baseline that shows what reading them as records costs. With
--services S it also writes S service checklists (src/services/svc-NNNNN.yaml) of
every tier, scored against the built-in standard: statuses of every kind, evidence
links to pages and anchors, waivers, alerts. With --code-heavy every page has
3 code blocks of 10-40 lines in the 20 languages shipshape highlights with
tree-sitter (rust ... markdown, console sessions), instead of 2-4 blocks of
6-20 lines in six. Output is a pure
function of (pages, seed): the same arguments always give byte-identical
files. Standard library only.

Words are counted outside fenced code blocks, with link targets "](...)"
removed, as whitespace-separated tokens containing a letter or digit.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import posixpath
import re
import shutil
import sys
from random import Random

MARKER = ".gen_corpus"  # "state=partial" while writing, "state=done" when complete

# --------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------

NOUNS = """
service queue replica shard cluster node request deadline timeout budget cache
index pipeline scheduler worker lease lock checkpoint snapshot manifest rollout
canary gateway proxy endpoint client connection pool buffer batch partition
ledger journal metric alert dashboard runbook incident migration schema table
column config secret token certificate artifact build release branch container
volume region zone tenant quota limiter heartbeat probe sidecar controller
operator webhook payload message topic consumer producer offset watermark
backlog handler runtime thread process socket packet route
""".split()

ADJECTIVES = """
stale idle degraded healthy noisy flaky slow hot cold warm partial pending
orphaned redundant durable ephemeral regional global upstream downstream
primary secondary sharded cached throttled bounded unbounded idempotent
concurrent transient persistent synchronous asynchronous critical optional
stable overloaded expired sealed versioned
""".split()

VERBS = """
drain retry throttle replicate rotate evict flush compact schedule rebalance
promote restart probe monitor deploy migrate validate serialize batch buffer
acquire release renew reconcile snapshot restore pause resume cancel reject
accept route split merge sample aggregate trace audit lock unlock verify
provision
""".split()

ING_EXCEPTIONS = {"split": "splitting"}

EVENTS = [
    "a deploy", "peak traffic", "a failover", "a schema migration",
    "the nightly batch", "an incident", "a regional outage",
    "the weekly release", "a certificate rotation", "a capacity review",
    "a load test", "an on-call handover",
]

UNITS = ["second", "minute", "node", "shard", "tenant", "request", "region"]
NUMBERS = [3, 5, 8, 10, 12, 16, 20, 32, 50, 64, 100, 128, 200, 250, 500, 1000]

TABLE_SHAPES = [
    ["Setting", "Default", "Notes"],
    ["Signal", "Threshold", "Action"],
    ["Component", "Owner", "SLO", "Notes"],
    ["Mode", "Latency (p99)", "Throughput"],
    ["Stage", "Timeout", "Retries", "On failure"],
]

TEAMS = ["platform", "storage", "networking", "release", "observability",
         "data", "identity", "billing"]

LANGS = ["rust", "python", "yaml", "bash", "json", "go"]


def plural(n: str) -> str:
    if n.endswith("y") and n[-2:-1] not in "aeiou":
        return n[:-1] + "ies"
    if n.endswith(("s", "x", "z", "ch", "sh")):
        return n + "es"
    return n + "s"


def third(v: str) -> str:
    return plural(v)  # same spelling rules for this vocabulary


def ing(v: str) -> str:
    if v in ING_EXCEPTIONS:
        return ING_EXCEPTIONS[v]
    if v.endswith("e") and not v.endswith("ee"):
        return v[:-1] + "ing"
    return v + "ing"


def art(word: str) -> str:
    return ("an " if word[0] in "aeiou" else "a ") + word


def cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def camel(*words: str) -> str:
    return "".join(w.capitalize() for w in words)


def slugify(text: str) -> str:
    """GitHub-style anchor: lowercase, drop punctuation except - and _,
    each space becomes '-'."""
    s = text.strip().lower()
    s = re.sub(r"[^\w\- ]", "", s)
    return s.replace(" ", "-")


_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_WORDY = re.compile(r"[A-Za-z0-9]")


def count_words(markdown: str) -> int:
    n = 0
    in_fence = False
    for line in markdown.split("\n"):
        if line.startswith("```"):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        line = _LINK_TARGET.sub("]", line)
        n += sum(1 for tok in line.split() if _WORDY.search(tok))
    return n


# --------------------------------------------------------------------------
# Prose
# --------------------------------------------------------------------------

class Prose:
    def __init__(self, rng: Random):
        self.r = rng

    def n(self) -> str:
        return self.r.choice(NOUNS)

    def np(self) -> str:
        return plural(self.r.choice(NOUNS))

    def a(self) -> str:
        return self.r.choice(ADJECTIVES)

    def v(self) -> str:
        return self.r.choice(VERBS)

    def num(self) -> int:
        return self.r.choice(NUMBERS)

    def sentence(self) -> str:
        r = self.r
        k = r.randrange(20)
        n, np, a, v = self.n, self.np, self.a, self.v
        if k == 0:
            s = f"when the {n()} is {a()}, the {n()} should {v()} the {n()} before {ing(v())} any {np()}"
        elif k == 1:
            s = f"most teams {v()} {np()} through {art(a())} {n()}, which keeps {np()} {a()}"
        elif k == 2:
            s = f"{ing(v())} the {n()} early reduces the risk of {a()} {np()} during {r.choice(EVENTS)}"
        elif k == 3:
            s = f"in practice, a single {n()} {third(v())} about {self.num()} {np()} per {r.choice(UNITS)}"
        elif k == 4:
            s = f"avoid {ing(v())} {np()} directly; instead, {v()} them through the {n()}"
        elif k == 5:
            s = f"this is why the {n()} owns the {n()} and the {n()} only reads it"
        elif k == 6:
            s = f"if {np()} start to {v()}, check the {n()} first and the {n()} second"
        elif k == 7:
            s = f"the {n()} must never {v()} {art(n())} that another {n()} still holds"
        elif k == 8:
            s = f"{art(a())} {n()} is usually a symptom of {art(a())} {n()}, not the cause"
        elif k == 9:
            s = f"we keep the {n()} {a()} so that {np()} can {v()} without extra coordination"
        elif k == 10:
            s = f"teams that {v()} their {np()} every week report fewer {a()} {np()}"
        elif k == 11:
            s = f"the default limit is {self.num()} {np()}, which is enough for most {a()} {np()}"
        elif k == 12:
            s = f"treat every {n()} as {a()} until the {n()} confirms otherwise"
        elif k == 13:
            s = f"the {n()} {third(v())} each {n()} once, records the {n()}, and then moves on"
        elif k == 14:
            s = f"during {r.choice(EVENTS)}, the {n()} may {v()} {np()} faster than the {n()} can {v()} them"
        elif k == 15:
            s = f"nothing in the {n()} depends on the order in which {np()} arrive"
        elif k == 16:
            s = f"document the {n()} in the runbook and link it from the {n()} dashboard"
        elif k == 17:
            s = f"the {r.choice(TEAMS)} team reviews every change to the {n()} {n()} before {r.choice(EVENTS)}"
        elif k == 18:
            s = f"a budget of {self.num()} milliseconds per {n()} leaves enough headroom for {a()} {np()}"
        else:
            s = f"once the {n()} is {a()}, it is safe to {v()} the remaining {np()}"
        return cap(s) + "."

    def title(self) -> str:
        r = self.r
        k = r.randrange(7)
        if k == 0:
            return cap(f"{ing(self.v())} {self.a()} {self.np()}")
        if k == 1:
            return cap(f"{self.n()} {self.n()} design")
        if k == 2:
            return cap(f"operating the {self.n()} {self.n()}")
        if k == 3:
            return cap(f"{self.a()} {self.np()} and {self.np()}")
        if k == 4:
            return cap(f"debugging {self.a()} {self.np()}")
        if k == 5:
            return cap(f"the {self.n()} {self.n()} lifecycle")
        return cap(f"{self.n()} {self.np()} in {r.choice(TEAMS)} services")

    def section_title(self) -> str:
        return cap(f"{self.n()} {self.np()} overview")

    def heading(self) -> str:
        r = self.r
        k = r.randrange(10)
        if k == 0:
            return cap(f"{ing(self.v())} {self.np()}")
        if k == 1:
            return cap(f"{self.a()} {self.n()} {self.np()}")
        if k == 2:
            return cap(f"when the {self.n()} {third(self.v())}")
        if k == 3:
            return cap(f"{self.n()} budgets (v{r.randint(2, 9)})")
        if k == 4:
            return f"Step {r.randint(1, 9)}: {self.v()} the {self.n()}"
        if k == 5:
            return cap(f"{self.n()}-level {self.np()}")
        if k == 6:
            return cap(f"why {self.np()} {self.v()}")
        if k == 7:
            return cap(f"{self.n()} and {self.n()} trade-offs")
        if k == 8:
            return cap(f"choosing {art(self.n())} {self.n()}")
        return cap(f"{self.a()} {self.np()} in {r.choice(TEAMS)}_{self.n()}")

    def bullet(self) -> str:
        r = self.r
        k = r.randrange(5)
        if k == 0:
            return f"`{self.n()}_{self.n()}`: {self.a()} by default, override per {self.n()}"
        if k == 1:
            return cap(f"{ing(self.v())} {self.np()} requires {art(self.a())} {self.n()}")
        if k == 2:
            return cap(f"keep {self.np()} {self.a()} and {self.a()}")
        if k == 3:
            return cap(f"the {self.n()} is owned by the {r.choice(TEAMS)} team")
        return cap(f"never {self.v()} {art(self.n())} during {r.choice(EVENTS)}")

    def step(self) -> str:
        r = self.r
        k = r.randrange(5)
        if k == 0:
            return cap(f"{self.v()} the {self.n()} with `shipctl {self.v()} --{self.n()}`.")
        if k == 1:
            return f"Wait until the {self.n()} reports `{self.a()}`."
        if k == 2:
            return f"Confirm that all {self.np()} are {self.a()}."
        if k == 3:
            return cap(f"{self.v()} the {self.a()} {self.np()}, one {r.choice(UNITS)} at a time.")
        return f"Record the {self.n()} in the {self.n()} log and notify the {r.choice(TEAMS)} channel."

    def cell(self, col: str) -> str:
        r = self.r
        c = col.lower()
        if c in ("setting", "signal", "component", "stage"):
            return f"`{self.n()}_{self.n()}`"
        if c in ("default", "threshold"):
            return r.choice([f"{self.num()}", f"{self.num()} ms", f"{self.num()}%", "off", "on", "auto"])
        if c == "timeout":
            return f"{self.num()} s"
        if c == "retries":
            return str(r.randint(0, 5))
        if c == "owner":
            return r.choice(TEAMS)
        if c == "slo":
            return r.choice(["99.9%", "99.95%", "99.99%", "99.5%"])
        if c == "mode":
            return self.a()
        if c.startswith("latency"):
            return f"{self.num()} ms"
        if c == "throughput":
            return f"{self.num()} req/s"
        if c == "action":
            return cap(f"{self.v()} the {self.n()}")
        if c == "on failure":
            return cap(f"{self.v()} and page {r.choice(TEAMS)}")
        return cap(f"{self.a()} {self.np()} only")

    def table(self) -> str:
        cols = self.r.choice(TABLE_SHAPES)
        rows = ["| " + " | ".join(cols) + " |", "|" + "|".join("---" for _ in cols) + "|"]
        for _ in range(self.r.randint(3, 5)):
            rows.append("| " + " | ".join(self.cell(c) for c in cols) + " |")
        return "\n".join(rows)


# --------------------------------------------------------------------------
# Code blocks (each generator returns 6..20 lines)
# --------------------------------------------------------------------------

def code_rust(p: Prose) -> list[str]:
    r = p.r
    noun, verb, other = p.n(), p.v(), p.n()
    ty = camel(noun, "config")
    lines: list[str] = []
    fields = [f"max_{noun}: u64"] + [f"{f}_{s}: u32" for f, s in
                                   ((p.n(), r.choice(["ms", "count", "limit"])) for _ in range(r.randint(0, 3)))]
    with_struct = r.random() < 0.6
    if with_struct:
        lines += ["#[derive(Debug, Clone)]", f"pub struct {ty} {{"]
        lines += [f"    pub {f}," for f in dict.fromkeys(fields)]
        lines += ["}", ""]
    cfg_arg = f"cfg: &{ty}, " if with_struct else ""
    lines.append(f"pub fn {verb}_{plural(other)}({cfg_arg}{plural(other)}: &[u64]) -> u64 {{")
    lines.append("    let mut total = 0u64;")
    lines.append(f"    for {other} in {plural(other)} {{")
    k = p.num()
    lines.append(f"        total = total.saturating_add(*{other} * {k});")
    if r.random() < 0.5:
        lines.append(f"        if total > {k * 1000} {{")
        lines.append("            break;")
        lines.append("        }")
    lines.append("    }")
    for _ in range(r.randint(0, 2)):
        lines.append(f"    let total = total / {r.randint(2, 9)} + {r.randint(1, 99)};")
    lines.append(f"    total.min(cfg.max_{noun})" if with_struct else f"    total.min({k * 100})")
    lines.append("}")
    return lines


def code_python(p: Prose) -> list[str]:
    r = p.r
    noun, verb, other = p.n(), p.v(), p.n()
    cls = camel(noun, "policy")
    lines = []
    imports = r.sample(["import time", "import logging", "import os", "import json"], r.randint(1, 2))
    lines += sorted(imports)
    lines += ["from dataclasses import dataclass", "", "", "@dataclass", f"class {cls}:"]
    for f in dict.fromkeys([p.n() for _ in range(r.randint(1, 3))]):
        lines.append(f"    {f}_limit: int = {p.num()}")
    lines.append("")
    lines.append("")
    lines.append(f"def {verb}_{plural(other)}(policy: {cls}, {plural(other)}: list[int]) -> int:")
    lines.append("    total = 0")
    lines.append(f"    for {other} in {plural(other)}:")
    lines.append(f"        total += {other} * {r.randint(2, 9)}")
    if r.random() < 0.5:
        lines.append(f"        if total > {p.num() * 10}:")
        lines.append("            break")
    lines.append("    return total")
    return lines


def code_yaml(p: Prose) -> list[str]:
    r = p.r
    lines = [f"service: {p.n()}-{p.n()}", f"owner: {r.choice(TEAMS)}", f"replicas: {r.randint(1, 12)}"]
    if r.random() < 0.7:
        lines += ["resources:", "  limits:", f"    cpu: \"{r.choice([250, 500, 1000, 2000])}m\"",
                  f"    memory: {r.choice([128, 256, 512, 1024])}Mi"]
    lines.append("env:")
    for _ in range(r.randint(1, 3)):
        lines += [f"  - name: {p.n().upper()}_{p.n().upper()}", f"    value: \"{p.num()}\""]
    if r.random() < 0.5:
        lines += ["probes:", f"  readiness: /healthz/{p.n()}", f"  period_seconds: {r.randint(5, 30)}"]
    return lines


def code_bash(p: Prose) -> list[str]:
    r = p.r
    region = r.choice(["eu-west-1", "us-east-2", "ap-south-1", "eu-central-1"])
    lines = ["#!/usr/bin/env bash", "set -euo pipefail", "",
             f"REGION=\"${{REGION:-{region}}}\"", f"TIMEOUT={p.num()}s", ""]
    svcs = " ".join(dict.fromkeys(p.n() for _ in range(r.randint(2, 4))))
    lines.append(f"for svc in {svcs}; do")
    lines.append(f"  echo \"{p.v()} $svc in $REGION\"")
    lines.append(f"  shipctl {p.v()} \"$svc\" --region \"$REGION\" --timeout \"$TIMEOUT\"")
    if r.random() < 0.5:
        lines.append(f"  sleep {r.randint(1, 10)}")
    lines.append("done")
    if r.random() < 0.6:
        lines.append(f"shipctl status --{p.n()} | grep -c {p.a()} || true")
    return lines


def code_json(p: Prose) -> list[str]:
    r = p.r
    while True:
        obj: dict = {"service": f"{p.n()}-{p.n()}", "owner": r.choice(TEAMS)}
        if r.random() < 0.7:
            obj["retries"] = {"max": r.randint(1, 6), "backoff_ms": p.num()}
        if r.random() < 0.6:
            obj["endpoints"] = [f"https://{p.n()}.internal/{p.v()}" for _ in range(r.randint(1, 3))]
        if r.random() < 0.5:
            obj["limits"] = {f"{p.n()}_per_{r.choice(UNITS)}": p.num() for _ in range(r.randint(1, 3))}
        obj["enabled"] = r.random() < 0.8
        lines = json.dumps(obj, indent=2).split("\n")
        if 6 <= len(lines) <= 20:
            return lines


def code_go(p: Prose) -> list[str]:
    r = p.r
    verb, noun = p.v(), p.n()
    lines = ["package main", "", "import (", '\t"fmt"', '\t"time"', ")", ""]
    lines.append(f"func {verb}{camel(plural(noun))}(n int) time.Duration {{")
    lines.append(f"\td := time.Duration(n) * {r.choice(['time.Millisecond', 'time.Second'])}")
    if r.random() < 0.6:
        lines.append(f"\tif d > {p.num()}*time.Second {{")
        lines.append(f"\t\td = {p.num()} * time.Second")
        lines.append("\t}")
    lines.append(f"\tfmt.Printf(\"{verb} %d {plural(noun)} in %s\\n\", n, d)")
    lines.append("\treturn d")
    lines.append("}")
    return lines


CODEGEN = {"rust": code_rust, "python": code_python, "yaml": code_yaml,
           "bash": code_bash, "json": code_json, "go": code_go}


# --------------------------------------------------------------------------
# Code-heavy blocks (--code-heavy): 3 blocks of 10..40 lines per page, in the
# languages the tree-sitter highlighter takes. Each unit generator returns a few
# lines; a block joins units until it reaches its length.
# --------------------------------------------------------------------------

def code_java(p: Prose) -> list[str]:
    r = p.r
    cls, verb, other = camel(p.n(), "service"), p.v(), p.n()
    return [f"public final class {cls} {{",
            f"    private static final int MAX_{other.upper()} = {p.num()};",
            f"    private final String name = \"{p.n()}-{p.n()}\";",
            "",
            f"    public int {verb}{camel(plural(other))}(List<Integer> {plural(other)}) {{",
            "        int total = 0;",
            f"        for (int {other} : {plural(other)}) {{",
            f"            total += {other} * {r.randint(2, 9)}; // {p.a()} {p.n()}",
            "        }",
            f"        return Math.min(total, MAX_{other.upper()});",
            "    }",
            "}"]


def code_javascript(p: Prose) -> list[str]:
    r = p.r
    verb, noun = p.v(), p.n()
    return [f"// {verb} every {p.a()} {noun}",
            f"export async function {verb}{camel(plural(noun))}(client, ids) {{",
            f"  const limit = {p.num()};",
            "  const results = [];",
            "  for (const id of ids.slice(0, limit)) {",
            f"    const res = await client.{p.v()}(`/{noun}/${{id}}`, {{ timeout: {r.randint(1, 30)}000 }});",
            "    results.push(res.status === 200 ? res.body : null);",
            "  }",
            "  return results.filter(Boolean);",
            "}"]


def code_typescript(p: Prose) -> list[str]:
    r = p.r
    ty, verb = camel(p.n(), "options"), p.v()
    return [f"interface {ty} {{",
            f"  {p.n()}: string;",
            f"  {p.n()}Ms?: number;",
            f"  mode: \"{p.a()}\" | \"{p.a()}\";",
            "}",
            "",
            f"export function {verb}(opts: {ty}, items: readonly number[]): number {{",
            f"  const factor = opts.mode === \"{p.a()}\" ? {r.randint(2, 9)} : 1;",
            "  return items.reduce((sum, item) => sum + item * factor, 0);",
            "}"]


def code_console(p: Prose) -> list[str]:
    r = p.r
    svc = f"{p.n()}-{p.n()}"
    return [f"$ shipctl {p.v()} {svc} --region {r.choice(['eu-west-1', 'us-east-2'])} \\",
            f"    --timeout {p.num()}s",
            f"{p.v()}ing {svc}: {r.randint(1, 12)} replicas {p.a()}",
            f"$ kubectl get pods -l app={svc} | grep -c Running",
            f"{r.randint(1, 12)}",
            f"# journalctl -u {svc} --since \"{r.randint(1, 59)} min ago\""]


def code_toml(p: Prose) -> list[str]:
    r = p.r
    return [f"[{p.n()}.{p.n()}]",
            f"name = \"{p.n()}-{p.n()}\"",
            f"replicas = {r.randint(1, 12)}",
            f"enabled = {r.choice(['true', 'false'])}",
            f"timeout_ms = {p.num() * 10}",
            f"tags = [\"{p.a()}\", \"{p.a()}\"]  # {p.a()} {p.n()}",
            ""]


def code_sql(p: Prose) -> list[str]:
    r = p.r
    table, col = plural(p.n()), p.n()
    return [f"-- {plural(p.v())} {p.a()} {table}",
            f"SELECT {col}_id, COUNT(*) AS total, MAX(updated_at)",
            f"FROM {table}",
            f"WHERE state = '{p.a()}' AND {col}_ms > {p.num()}",
            f"GROUP BY {col}_id",
            "ORDER BY total DESC",
            f"LIMIT {p.num()};",
            ""]


def code_html(p: Prose) -> list[str]:
    noun = p.n()
    return [f"<section class=\"{noun}\" id=\"{noun}-{p.num()}\">",
            f"  <h2>{cap(p.a())} {plural(noun)}</h2>",
            f"  <!-- {p.v()} the {p.n()} -->",
            f"  <a href=\"/{noun}/{p.v()}\" title=\"{p.v()}\">{cap(p.v())}</a>",
            f"  <input type=\"number\" name=\"{p.n()}\" value=\"{p.num()}\">",
            "</section>"]


def code_css(p: Prose) -> list[str]:
    r = p.r
    return [f".{p.n()}-{p.n()} > .{p.n()} {{",
            f"  margin: {r.randint(0, 24)}px {r.randint(0, 24)}px;",
            f"  color: #{r.randrange(0x1000000):06x};",
            f"  font-weight: {r.choice([400, 500, 600])}; /* {p.a()} */",
            "}",
            f"@media (max-width: {r.choice([480, 640, 800])}px) {{ .{p.n()} {{ display: none; }} }}"]


def code_c(p: Prose) -> list[str]:
    r = p.r
    verb, noun = p.v(), p.n()
    return [f"/* {verb} the {p.a()} {plural(noun)} */",
            f"static int {verb}_{plural(noun)}(const struct {noun} *items, size_t n) {{",
            "    int total = 0;",
            "    for (size_t i = 0; i < n; i++) {",
            f"        total += items[i].{p.n()} * {r.randint(2, 9)};",
            "    }",
            f"    printf(\"%d {plural(noun)}\\n\", total);",
            f"    return total > {p.num()} ? -1 : total;",
            "}"]


def code_cpp(p: Prose) -> list[str]:
    r = p.r
    cls, verb = camel(p.n(), "pool"), p.v()
    return [f"class {cls} {{",
            " public:",
            f"  explicit {cls}(std::size_t size) : size_(size) {{}}",
            f"  std::vector<int> {verb}(const std::string& name) const {{",
            f"    std::vector<int> out(size_, {r.randint(1, 9)});",
            "    return out;  // copies are cheap here",
            "  }",
            " private:",
            "  std::size_t size_;",
            "};"]


def code_dockerfile(p: Prose) -> list[str]:
    r = p.r
    return [f"# {p.a()} {p.n()} image",
            f"FROM debian:{r.choice(['bookworm', 'trixie'])}-slim AS {p.n()}",
            f"ARG {p.n().upper()}_VERSION={r.randint(1, 9)}.{r.randint(0, 20)}",
            f"ENV {p.n().upper()}_LIMIT={p.num()}",
            "RUN apt-get update \\",
            f"    && apt-get install -y --no-install-recommends {p.n()}-tools \\",
            "    && rm -rf /var/lib/apt/lists/*",
            f"EXPOSE {r.choice([80, 443, 8080, 9090])}",
            f"CMD [\"{p.n()}\", \"--{p.v()}\"]"]


def code_hcl(p: Prose) -> list[str]:
    r = p.r
    name = p.n()
    return [f"resource \"aws_instance\" \"{name}\" {{",
            f"  count         = {r.randint(1, 6)}",
            f"  instance_type = \"t3.{r.choice(['micro', 'small', 'large'])}\"",
            f"  tags = {{",
            f"    Name = \"${{var.prefix}}-{name}\"",
            f"    Team = lower(var.{p.n()})",
            "  }",
            "}",
            ""]


def code_diff(p: Prose) -> list[str]:
    r = p.r
    f = f"{p.n()}/{p.n()}.yaml"
    a, b = p.num(), p.num()
    return [f"--- a/{f}",
            f"+++ b/{f}",
            f"@@ -{r.randint(1, 90)},4 +{r.randint(1, 90)},4 @@ {p.n()}:",
            f" name: {p.n()}",
            f"-replicas: {a}",
            f"+replicas: {b}",
            f" owner: {r.choice(TEAMS)}"]


def code_markdown(p: Prose) -> list[str]:
    return [f"## {cap(p.a())} {plural(p.n())}",
            "",
            f"When the {p.n()} is *{p.a()}*, **{p.v()}** the [{p.n()}](../{p.n()}.md) first.",
            f"- `{p.n()}`: {p.a()} {p.n()}",
            f"- {cap(p.v())} {p.num()} {plural(p.n())}",
            ""]


UNITS_HEAVY = {"rust": code_rust, "python": code_python, "go": code_go, "java": code_java,
               "javascript": code_javascript, "typescript": code_typescript, "bash": code_bash,
               "console": code_console, "json": code_json, "yaml": code_yaml, "toml": code_toml,
               "sql": code_sql, "html": code_html, "css": code_css, "c": code_c, "cpp": code_cpp,
               "dockerfile": code_dockerfile, "hcl": code_hcl, "diff": code_diff,
               "markdown": code_markdown}


def code_heavy_block(lang: str, p: Prose) -> list[str]:
    """One block of 10..40 lines: units of `lang` joined until the drawn length."""
    most = 38 if lang == "json" else 40  # JSON adds its two bracket lines
    target = p.r.randint(10, most)
    units: list[list[str]] = []
    count = 0
    while count < target:
        unit = UNITS_HEAVY[lang](p)
        if count >= 10 and count + len(unit) + 1 > most:
            break
        units.append(unit)
        count += len(unit) + (1 if len(units) > 1 else 0)
    if lang == "json":  # one document: the objects in an array
        lines = ["["]
        for i, unit in enumerate(units):
            body = ["  " + line for line in unit]
            if i < len(units) - 1:
                body[-1] += ","
            lines += body
        return lines + ["]"]
    lines = []
    for unit in units:
        if lines and lang not in ("console", "diff"):
            lines.append("")
        lines += unit
    return lines


# --------------------------------------------------------------------------
# Layout
# --------------------------------------------------------------------------

def split_even(total: int, k: int) -> list[int]:
    base, rem = divmod(total, k)
    return [base + 1 if i < rem else base for i in range(k)]


class Page:
    __slots__ = ("idx", "part", "section", "path", "is_head", "title", "headings", "sec_range")

    def __init__(self, idx, part, section, path, is_head, sec_range):
        self.idx, self.part, self.section = idx, part, section
        self.path, self.is_head, self.sec_range = path, is_head, sec_range
        self.title = ""
        self.headings: list[tuple[int, str, str]] = []  # (level, text, slug)


def layout(n: int) -> tuple[list[list[list[int]]], int, int]:
    """Return parts -> sections -> page counts."""
    pps = max(2, min(50, round(math.sqrt(n) / 2)))
    n_sections = math.ceil(n / pps)
    spp = max(1, min(20, round(math.sqrt(n_sections) * 2)))
    n_parts = math.ceil(n_sections / spp)
    sec_sizes = split_even(n, n_sections)
    parts, i = [], 0
    for count in split_even(n_sections, n_parts):
        parts.append(sec_sizes[i:i + count])
        i += count
    return parts, n_sections, n_parts


# --------------------------------------------------------------------------
# Generation
# --------------------------------------------------------------------------

def plan(n: int, rng: Random) -> tuple[list[Page], list[list[tuple[int, int]]]]:
    """Pass 1: every page's path, title and headings."""
    parts, _, n_parts = layout(n)
    pw = max(4, len(str(n)))
    partw = max(2, len(str(n_parts)))
    p = Prose(rng)
    pages: list[Page] = []
    part_sections: list[list[tuple[int, int]]] = []  # (first idx, last idx excl) per section
    idx = 0
    for pi, sections in enumerate(parts, 1):
        secw = max(2, len(str(len(sections))))
        ranges = []
        for si, size in enumerate(sections, 1):
            rng_ = (idx, idx + size)
            ranges.append(rng_)
            for j in range(size):
                path = f"part-{pi:0{partw}d}/section-{si:0{secw}d}/page-{idx + 1:0{pw}d}.md"
                pg = Page(idx, pi, si, path, j == 0, rng_)
                pg.title = p.section_title() if j == 0 else p.title()
                n_head = rng.randint(3, 5)
                seen = {slugify(pg.title)}
                while len(pg.headings) < n_head:
                    text = p.heading()
                    slug = slugify(text)
                    if slug in seen:
                        continue
                    seen.add(slug)
                    level = 2 if not pg.headings or rng.random() < 0.6 else 3
                    pg.headings.append((level, text, slug))
                pages.append(pg)
                idx += 1
        part_sections.append(ranges)
    return pages, part_sections


def pick_targets(pg: Page, pages: list[Page], part_sections, rng: Random, k: int) -> list[Page]:
    n = len(pages)
    if n < 2:
        return []
    out: list[int] = []
    tries = 0
    while len(out) < k and tries < 50:
        tries += 1
        roll = rng.random()
        if roll < 0.5:
            lo, hi = pg.sec_range
        elif roll < 0.8:
            secs = part_sections[pg.part - 1]
            lo, hi = secs[0][0], secs[-1][1]
        else:
            lo, hi = 0, n
        if hi - lo < 2:
            lo, hi = 0, n
        t = rng.randrange(lo, hi)
        if t != pg.idx and t not in out:
            out.append(t)
    while len(out) < k:  # tiny books: fewer distinct pages than links wanted
        t = rng.randrange(n)
        if t != pg.idx:
            out.append(t)
    return [pages[t] for t in out]


def link_sentence(p: Prose, text: str, url: str) -> str:
    k = p.r.randrange(4)
    if k == 0:
        return f"For the details, see [{text}]({url})."
    if k == 1:
        return f"The [{text.lower()}]({url}) notes explain how the {p.n()} behaves here."
    if k == 2:
        return f"This interacts with [{text}]({url}), so review both before {ing(p.v())} the {p.n()}."
    return f"See also [{text}]({url}) for the {p.a()} case."


def fill_paragraphs(p: Prose, slots: list[list[str]], budget: int) -> None:
    """Give every slot at least one sentence, then add sentences until the
    prose budget is spent."""
    r = p.r
    used = 0
    for s in slots:
        if not s:
            sent = p.sentence()
            s.append(sent)
            used += len(sent.split())
    while used < budget:
        sent = p.sentence()
        r.choice(slots).append(sent)
        used += len(sent.split())


def render_page(pg: Page, pages, part_sections, rng: Random,
                code_heavy: bool = False) -> tuple[str, int]:
    p = Prose(rng)
    target_words = rng.randint(470, 830)
    n_code = 3 if code_heavy else rng.randint(2, 4)
    langs = rng.sample(sorted(UNITS_HEAVY) if code_heavy else LANGS, n_code)
    nh = len(pg.headings)

    # Elements, each assigned to a heading section (index 0..nh-1).
    elements: list[list[tuple[str, str]]] = [[] for _ in range(nh)]
    elements[rng.randrange(nh)].append(("table", p.table()))
    elements[rng.randrange(nh)].append(("list", "\n".join(f"- {p.bullet()}" for _ in range(rng.randint(3, 6)))))
    elements[rng.randrange(nh)].append(("list", "\n".join(f"{i}. {p.step()}" for i in range(1, rng.randint(3, 6) + 1))))
    for lang in langs:
        if code_heavy:
            code = code_heavy_block(lang, p)
            assert 10 <= len(code) <= 40, (lang, len(code))
        else:
            code = CODEGEN[lang](p)
            assert 6 <= len(code) <= 20, (lang, len(code))
        elements[rng.randrange(nh)].append(("code", f"```{lang}\n" + "\n".join(code) + "\n```"))
    for els in elements:
        rng.shuffle(els)

    # Layout with paragraph slots (lists of sentences).
    slots: list[list[str]] = []
    layout_: list = [f"# {pg.title}"]

    def slot() -> None:
        s: list[str] = []
        slots.append(s)
        layout_.append(s)

    slot()  # intro
    if rng.random() < 0.4:
        slot()
    for h, (level, text, _slug) in enumerate(pg.headings):
        layout_.append("#" * level + " " + text)
        slot()
        for _kind, body in elements[h]:
            layout_.append(body)
            if rng.random() < 0.6:
                slot()

    # Links, placed in random paragraphs.
    here = posixpath.dirname(pg.path)
    n_links = rng.randint(2, 4)
    for t in pick_targets(pg, pages, part_sections, rng, n_links):
        _lvl, text, slug = rng.choice(t.headings)
        url = posixpath.relpath(t.path, here) + "#" + slug
        rng.choice(slots).append(link_sentence(p, text, url))

    fixed_md = "\n\n".join(x for x in layout_ if isinstance(x, str))
    fixed_words = count_words(fixed_md) + sum(count_words(" ".join(s)) for s in slots)
    fill_paragraphs(p, slots, max(0, target_words - fixed_words))
    for s in slots:  # links were appended before filling; spread them out
        rng.shuffle(s)

    md = "\n\n".join(x if isinstance(x, str) else " ".join(x) for x in layout_) + "\n"
    return md, n_code


def render_readme(pages: list[Page], part_sections, rng: Random) -> str:
    p = Prose(rng)
    out = ["# Synthetic handbook", "",
           "This book is generated by `bench/gen_corpus.py` to benchmark shipshape. "
           "Its pages are synthetic engineering notes: prose, tables, lists, code "
           "blocks in several languages, and links between pages with anchors.", ""]
    body = [p.sentence() for _ in range(6)]
    out += [" ".join(body), "", "## How this book is organised", ""]
    for pi, secs in enumerate(part_sections, 1):
        first = pages[secs[0][0]]
        out.append(f"- [Part {pi}: {first.title}]({first.path})")
    out.append("")
    out.append("## Reading notes")
    out.append("")
    words = count_words("\n".join(out))
    while words < 450:
        para = [p.sentence() for _ in range(rng.randint(3, 6))]
        words += sum(len(s.split()) for s in para)
        out += [" ".join(para), ""]
    return "\n".join(out).rstrip("\n") + "\n"


def render_summary(pages: list[Page], part_sections) -> str:
    out = ["# Summary", "", "[Introduction](README.md)", ""]
    for pi, secs in enumerate(part_sections, 1):
        out += [f"# Part {pi}", ""]
        for lo, hi in secs:
            head = pages[lo]
            out.append(f"- [{head.title}]({head.path})")
            for i in range(lo + 1, hi):
                out.append(f"    - [{pages[i].title}]({pages[i].path})")
        out.append("")
    return "\n".join(out)


# A Hugo site as close to what shipshape and mdBook produce as Hugo allows: code
# highlighted at build time with CSS classes, GitHub-style heading ids, a table of
# contents and previous/next links on every page, a sidebar listing the page's part.
# RSS and taxonomies are off: neither shipshape nor mdBook writes them.
HUGO_CONFIG = """\
baseURL = "https://example.com/"
title = "Synthetic handbook"
disableKinds = ["taxonomy", "term", "RSS"]
[markup.goldmark.parser]
autoHeadingIDType = "github"
[markup.highlight]
noClasses = false
codeFences = true
guessSyntax = false
[markup.tableOfContents]
startLevel = 2
endLevel = 3
"""

HUGO_LAYOUTS = {
    "_default/baseof.html": """\
<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ .Title }} · {{ site.Title }}</title>
<link rel="stylesheet" href="{{ "style.css" | relURL }}"></head>
<body>
<nav class="sidebar"><ol>
{{- range site.Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>
{{- if $.IsDescendant . }}<ol>{{ range .Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ol>{{ end }}</li>
{{- end }}
</ol></nav>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
""",
    "_default/single.html": """\
{{ define "main" }}
<aside class="toc">{{ .TableOfContents }}</aside>
<article>{{ .Content }}</article>
<nav class="pager">
{{- with .PrevInSection }}<a rel="prev" href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{- with .NextInSection }}<a rel="next" href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
</nav>
{{ end }}
""",
    "_default/list.html": """\
{{ define "main" }}
<article>{{ .Content }}</article>
<ol>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ol>
{{ end }}
""",
}


def hugo_page(md: str, weight: int) -> str:
    """A page of the mdBook corpus with the front matter Hugo needs (title from the H1)."""
    first, _, rest = md.partition("\n")
    title = first.removeprefix("# ").strip()
    return f"---\ntitle: {json.dumps(title)}\nweight: {weight}\n---\n\n{rest.lstrip()}"


def hugo_site(out: str, pages: list[Page], bodies: list[str], readme: str) -> None:
    site = os.path.join(out, "hugo")
    if os.path.isdir(site):
        shutil.rmtree(site)
    os.makedirs(os.path.join(site, "content"))
    write(os.path.join(site, "hugo.toml"), HUGO_CONFIG)
    for rel, text in HUGO_LAYOUTS.items():
        os.makedirs(os.path.join(site, "layouts", posixpath.dirname(rel)), exist_ok=True)
        write(os.path.join(site, "layouts", rel), text)
    os.makedirs(os.path.join(site, "static"))
    write(os.path.join(site, "static", "style.css"), "body { font-family: sans-serif; }\n")
    write(os.path.join(site, "content", "_index.md"), hugo_page(readme, 0))
    made_dirs: set[str] = set()
    for weight, (pg, md) in enumerate(zip(pages, bodies), 1):
        d = os.path.join(site, "content", posixpath.dirname(pg.path))
        if d not in made_dirs:
            os.makedirs(d, exist_ok=True)
            made_dirs.add(d)
        write(os.path.join(site, "content", pg.path), hugo_page(md, weight))


def render_adr(number: int, rng: Random) -> tuple[str, str]:
    """ADR `number` as (file name, text), in one of three formats by number. Every tenth
    supersedes the one before, and that one says so."""
    p = Prose(rng)
    title = p.title()
    name = f"{number:04}-{slugify(title)[:50].strip('-')}.md"
    supersedes = number % 10 == 0 and number > 1
    superseded = number % 10 == 9
    status = "superseded" if superseded else "accepted"
    date = f"2026-{1 + number % 12:02}-{1 + number % 28:02}"
    paragraphs = lambda: "\n\n".join(" ".join(p.sentence() for _ in range(rng.randint(3, 5))) for _ in range(2))
    fmt = number % 3
    if fmt == 0:  # shipshape's front matter, Nygard's sections
        front = [f"title: {json.dumps(title)}", f"status: {status}", f"date: {date}", "deciders: [dana, lee]",
                 f"services: [{p.n()}]"]
        if supersedes:
            front.append(f"supersedes: [{number - 1}]")
        if superseded:
            front.append(f"superseded_by: {number + 1}")
        head = "---\n" + "\n".join(front) + "\n---\n\n" + f"# {title}\n"
        sections = ["Context", "Decision", "Consequences"]
    elif fmt == 1:  # adr-tools
        lines = [f"# {number}. {title}", "", f"Date: {date}", "", "## Status", ""]
        if superseded:
            lines.append(f"Superseded by [{number + 1}. Next](placeholder-{number + 1})")
        else:
            lines.append("Accepted")
        if supersedes:
            lines += ["", f"Supersedes [{number - 1}. Earlier](placeholder-{number - 1})"]
        head = "\n".join(lines) + "\n"
        sections = ["Context", "Decision", "Consequences"]
    else:  # MADR
        status = f"superseded by ADR-{number + 1:04}" if superseded else "accepted"
        front = [f"status: {json.dumps(status)}", f"date: {date}", "decision-makers: [dana, lee]"]
        head = "---\n" + "\n".join(front) + "\n---\n\n" + f"# {title}\n"
        sections = ["Context and Problem Statement", "Considered Options", "Decision Outcome"]
        if supersedes:
            # MADR has no supersedes key of its own; shipshape's is read from its front matter.
            head = head.replace("---\n\n#", f"supersedes: [{number - 1}]\n---\n\n#", 1)
    body = "".join(f"\n## {section}\n\n{paragraphs()}\n" for section in sections)
    return name, head + body


def render_runbook(index: int, rng: Random) -> tuple[str, str]:
    """Runbook `index` as (file name, text): the five default sections, reviewed recently."""
    p = Prose(rng)
    title = p.title()
    alert = camel(p.n(), p.a(), "alert")
    front = [f"title: {json.dumps(title)}", f"service: {p.n()}", "owner: team-platform",
             f"alerts: [{alert}]", f"last_reviewed: 2026-11-{1 + index % 28:02}", "review_every: 52w"]
    sections = ["Symptoms", "Impact", "Diagnosis", "Mitigation", "Escalation"]
    body = "".join(
        f"\n## {section}\n\n" + " ".join(p.sentence() for _ in range(rng.randint(3, 6))) + "\n"
        for section in sections)
    return f"runbook-{index:05}-{slugify(title)[:40].strip('-')}.md", \
        "---\n" + "\n".join(front) + f"\n---\n\n# {title}\n" + body


def write(path: str, text: str) -> int:
    data = text.encode("utf-8")
    with open(path, "wb") as f:
        f.write(data)
    return len(data)


# The built-in standard's item ids (src/standards/production-readiness.yaml).
STANDARD_ITEMS = [
    f"{category}.{item}"
    for category, items in [
        ("reliability", "error-context retries timeouts connection-pools resource-monitoring"),
        ("performance", "peak-load slow-queries pagination caching migration-rehearsal"),
        ("deployment", "rollback zero-downtime compatible-schema feature-flags automated"),
        ("monitoring", "key-metrics business-metrics degradation-alerts alert-runbooks log-aggregation"),
        ("security", "secrets-manager input-validation authz encryption dependency-scanning"),
        ("documentation", "readme api-docs adrs deploy-runbook troubleshooting"),
    ]
    for item in items.split()
]


# Items an automatic rule decides: a status for them is ignored (and warned about).
AUTOMATIC = {"monitoring.alert-runbooks", "documentation.adrs", "documentation.deploy-runbook"}


def render_service(index: int, pages: list, rng: Random) -> str:
    """One service checklist: a tier, most items with a status, some evidence and waivers."""
    tier = 1 + index % 4
    lines = [
        f"service: svc-{index:05d}",
        f"title: Service {index}",
        f"owner: team-{index % 40:02d}",
        f"tier: {tier}",
        "standard: production-readiness",
        f"last_reviewed: 2026-{1 + index % 12:02d}-{1 + index % 28:02d}",
        "alerts:",
        f"  - name: Svc{index}HighLatency",
        "    runbook: README.md",
        "checks:",
    ]
    for item in STANDARD_ITEMS:
        roll = rng.random()
        if item in AUTOMATIC or roll < 0.1:
            continue  # not mentioned: unknown
        lines.append(f"  {item}:")
        if roll < 0.7:
            lines.append("    status: done")
            page = pages[rng.randrange(len(pages))]
            lines.append(f"    evidence: {page.path}")
        elif roll < 0.8:
            lines.append("    status: todo")
        elif roll < 0.87:
            lines.append("    status: partial")
        elif roll < 0.94:
            lines.append("    status: n/a")
            lines.append('    note: "does not apply to this service"')
        else:
            lines.append("    status: waived")
            lines.append(f"    waiver: {{reason: \"planned for next quarter\", approved_by: lead-{index % 7}, expires: 2027-{1 + index % 12:02d}-15}}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, required=True, help="number of content pages (>= 1)")
    ap.add_argument("--out", required=True, help="output book directory")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--hugo", action="store_true", help="also write the pages as a Hugo site in OUT/hugo")
    ap.add_argument("--records", type=int, default=0, help="of the pages, this many ADRs and as many runbooks")
    ap.add_argument("--records-outside", action="store_true",
                    help="write the records to ordinary folders instead of adr/ and runbooks/")
    ap.add_argument("--services", type=int, default=0, help="this many service checklists in src/services/")
    ap.add_argument("--code-heavy", action="store_true",
                    help="3 code blocks of 10-40 lines per page, in 20 languages, instead of 2-4 short ones")
    args = ap.parse_args(argv)
    if args.pages - 2 * args.records < 1:
        ap.error("--pages must be >= 1 more than twice --records")

    out = args.out
    src = os.path.join(out, "src")
    marker = os.path.join(out, MARKER)
    if os.path.isdir(out) and os.listdir(out) and not os.path.exists(marker):
        # Never clobber a directory this script did not create.
        print(f"gen_corpus: {out} exists, is not empty and has no {MARKER}; refusing to overwrite",
              file=sys.stderr)
        return 2
    os.makedirs(out, exist_ok=True)
    write(marker, f"pages={args.pages} seed={args.seed} state=partial\n")
    if os.path.isdir(src):
        shutil.rmtree(src)
    os.makedirs(src)

    rng = Random(args.seed)
    pages, part_sections = plan(args.pages - 2 * args.records, rng)

    records: list[tuple[str, str]] = []
    if args.records:
        adr_dir, runbook_dir = ("decision-notes", "ops-notes") if args.records_outside else ("adr", "runbooks")
        record_rng = Random(args.seed + 1)  # the same records whichever folders they go to
        # Links between adr-tools records name the real file of the other one.
        adrs = [render_adr(number, record_rng) for number in range(1, args.records + 1)]
        names = {number: name for number, (name, _) in enumerate(adrs, 1)}
        for number, (name, text) in enumerate(adrs, 1):
            for other in (number - 1, number + 1):
                if other in names:
                    text = text.replace(f"(placeholder-{other})", f"({names[other]})")
            records.append((f"{adr_dir}/{name}", text))
        records += [(f"{runbook_dir}/{name}", text)
                    for name, text in (render_runbook(i, record_rng) for i in range(args.records))]
        os.makedirs(os.path.join(src, adr_dir), exist_ok=True)
        os.makedirs(os.path.join(src, runbook_dir), exist_ok=True)

    summary = render_summary(pages, part_sections)
    if records:
        summary += "\n# Records\n\n" + "".join(f"- [{path}]({path})\n" for path, _ in records)
    total_bytes = write(os.path.join(out, "book.toml"), '[book]\ntitle = "Synthetic handbook"\nsrc = "src"\n')
    total_bytes += write(os.path.join(src, "SUMMARY.md"), summary)
    for path, text in records:
        total_bytes += write(os.path.join(src, path), text)
    if args.services:
        os.makedirs(os.path.join(src, "services"), exist_ok=True)
        service_rng = Random(args.seed + 2)
        for index in range(args.services):
            total_bytes += write(os.path.join(src, "services", f"svc-{index:05d}.yaml"),
                                 render_service(index, pages, service_rng))
    readme = render_readme(pages, part_sections, rng)
    total_bytes += write(os.path.join(src, "README.md"), readme)
    total_words = count_words(readme)
    total_code = 0
    bodies: list[str] = []
    made_dirs: set[str] = set()
    for pg in pages:
        md, n_code = render_page(pg, pages, part_sections, rng, args.code_heavy)
        d = os.path.join(src, posixpath.dirname(pg.path))
        if d not in made_dirs:
            os.makedirs(d, exist_ok=True)
            made_dirs.add(d)
        total_bytes += write(os.path.join(src, pg.path), md)
        if args.hugo:
            bodies.append(md)
        total_words += count_words(md)
        total_code += n_code

    if args.hugo:
        hugo_site(out, pages, bodies, readme)
    write(marker, f"pages={args.pages} seed={args.seed} hugo={args.hugo} records={args.records} "
                  f"outside={args.records_outside} code_heavy={args.code_heavy} state=done\n")
    n_sections = sum(len(s) for s in part_sections)
    print(f"gen_corpus: {args.pages} pages (+README) in {len(part_sections)} parts / "
          f"{n_sections} sections, {total_words} words, {total_code} code blocks, "
          f"{total_bytes} bytes -> {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
