#!/usr/bin/env python3
"""Writes a `git fast-import` stream for bench/git.sh: a repository of COMMITS commits and
FILES files, with two copies of one handbook (docs-git/ with `[policy] git = true`,
docs-plain/ without) whose services own folders of code under services/.

    gen_git.py COMMITS FILES | git fast-import --quiet

Deterministic (a fixed seed): the same arguments give the same repository.
"""
import random
import sys

COMMITS = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
FILES = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
SERVICES = 100
RUNBOOKS = 50
PAGES = 200
START = 1735732800  # 2025-01-01T12:00:00Z
STEP = 3600 * 2  # two hours between commits: 10,000 commits span about 2.3 years

rng = random.Random(16)
out = sys.stdout.buffer


def blob(path, text):
    data = text.encode()
    out.write(b"M 100644 inline %s\ndata %d\n" % (path.encode(), len(data)))
    out.write(data + b"\n")


def handbook(root, git):
    files = {}
    files[f"{root}/book.toml"] = (
        '[book]\ntitle = "Bench"\nsrc = "content"\n[policy]\n'
        f"git = {'true' if git else 'false'}\n"
    )
    summary = ["# Summary\n", "- [Home](index.md)"]
    for n in range(PAGES):
        summary.append(f"- [Page {n}](guide/page-{n:04}.md)")
        files[f"{root}/content/guide/page-{n:04}.md"] = f"# Page {n}\n\nText of page {n}.\n"
    files[f"{root}/content/SUMMARY.md"] = "\n".join(summary) + "\n"
    files[f"{root}/content/index.md"] = "# Home\n"
    for n in range(RUNBOOKS):
        files[f"{root}/content/runbooks/rb-{n:03}.md"] = (
            f"---\ntitle: Runbook {n}\nservice: svc-{n:03}\n---\n# Runbook {n}\n\n"
            "## Symptoms\n\nx\n\n## Impact\n\nx\n\n## Diagnosis\n\nx\n\n## Mitigation\n\nx\n\n## Escalation\n\nx\n"
        )
    for n in range(SERVICES):
        files[f"{root}/content/services/svc-{n:03}.yaml"] = (
            f"service: svc-{n:03}\nowner: team-{n % 10}\ntier: 4\n"
            f"last_reviewed: 2026-{1 + n % 12:02}-15\ncode: [\"services/svc-{n:03}/**\"]\nchecks: {{}}\n"
        )
    return files


files = {}
files.update(handbook("docs-git", True))
files.update(handbook("docs-plain", False))
code = []
per_service = (FILES - len(files)) // SERVICES
for s in range(SERVICES):
    for f in range(per_service):
        path = f"services/svc-{s:03}/src/mod-{f // 20:02}/file-{f:04}.rs"
        code.append(path)
        files[path] = f"// service {s} file {f}\n"
while len(files) < FILES:
    path = f"shared/extra-{len(files):05}.txt"
    code.append(path)
    files[path] = "extra\n"

pages = [p for p in files if p.startswith("docs-") and p.endswith(".md")]


def commit(n, message, body):
    when = START + n * STEP
    out.write(b"commit refs/heads/main\n")
    out.write(b"committer Bench <bench@example.com> %d +0000\n" % when)
    data = message.encode()
    out.write(b"data %d\n%s\n" % (len(data), data))
    # Each commit follows the branch's tip: fast-import needs no `from` for that.
    body()


def first():
    for path in sorted(files):
        blob(path, files[path])


commit(0, "Initial import", first)
for n in range(1, COMMITS):
    def body(n=n):
        for _ in range(rng.choice((1, 2, 3))):
            # One change in eight is to the handbook's pages, the rest to code.
            path = rng.choice(pages) if rng.random() < 0.125 else rng.choice(code)
            blob(path, f"{files[path]}// change {n}\n")
        if n % 500 == 0:
            # Now and then a rename, as refactorings do.
            old = rng.choice(code)
            new = old.replace("file-", f"moved-{n}-")
            out.write(b"R %s %s\n" % (old.encode(), new.encode()))
            code[code.index(old)] = new
            files[new] = files.pop(old)
    commit(n, f"Change {n}", body)
out.write(b"done\n")
