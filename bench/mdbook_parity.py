#!/usr/bin/env python3
"""Build one mdBook book with mdBook and with shipshape, and compare what a reader gets.

    python3 bench/mdbook_parity.py BOOK_DIR --shipshape BIN [--json FILE] [--details]
                                   [--keep] [--today YYYY-MM-DD] [--mdbook-drop KEY ...]

Usually run through bench/parity.sh, which picks or builds the shipshape binary. Both tools
build into fresh folders under a new temporary folder (never inside the book). Every chapter
page mdBook writes is matched with shipshape's page at the same relative path, and the main
content of the two is compared: headings, code blocks, tables, images, links (and whether the
relative ones resolve, fragment included) and the visible text. See bench/README.md,
"Parity with mdBook", for what each column means.

Standard library only (html.parser, difflib). Exit 0 whatever the differences; exit 2 when
mdBook fails, or when shipshape exits 2 (or dies), or on a usage error.
"""

import argparse
import difflib
import html.parser
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
import unicodedata
from collections import Counter
from urllib.parse import unquote, urlsplit

VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
}
# Elements whose start closes an open <p> (HTML's "closes a p element" list, roughly).
CLOSES_P = {
    "address", "article", "aside", "blockquote", "details", "div", "dl", "fieldset",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "main", "menu", "nav", "ol", "p", "pre", "section", "table", "ul",
}
# Boundaries that separate words in the visible text.
BLOCK = CLOSES_P | {
    "br", "dd", "dt", "li", "tbody", "td", "tfoot", "th", "thead", "tr", "caption",
    "summary", "img", "sup", "sub",
}
# Never part of what a reader reads in the content.
NEVER_TEXT = {"script", "style", "template", "noscript", "button"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}

# mdBook writes these next to the chapters; they are not chapters.
MDBOOK_SPECIAL = {"print.html", "404.html", "toc.html"}
MDBOOK_ASSET_DIRS = {"css", "fonts", "FontAwesome", "fontawesome"}
# shipshape's own pages, which mdBook has no counterpart for.
SHIPSHAPE_SPECIAL = {"print.html", "404.html"}
SHIPSHAPE_OWN = {"health.html"}
SHIPSHAPE_ASSET_DIRS = {"static"}


# ---------------------------------------------------------------------------------------
# A small DOM, good enough for the HTML both tools write (and raw HTML in chapters).


class Node:
    __slots__ = ("tag", "attrs", "children", "parent")

    def __init__(self, tag, attrs, parent):
        self.tag = tag
        self.attrs = attrs
        self.children = []
        self.parent = parent

    def classes(self):
        return (self.attrs.get("class") or "").split()

    def iter(self):
        """Every element below this one (not this one), in document order."""
        stack = list(reversed([c for c in self.children if isinstance(c, Node)]))
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed([c for c in node.children if isinstance(c, Node)]))


class TreeBuilder(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.stack = [self.root]

    def _open(self, tag, attrs):
        top = self.stack[-1]
        # A few implied end tags, so that lists, tables and paragraphs nest as a browser
        # nests them.
        if tag in CLOSES_P:
            self._close_implied("p", {"button", "table", "td", "th", "li", "div", "article"})
        if tag == "li":
            self._close_implied("li", {"ul", "ol", "menu"})
        elif tag in ("dd", "dt"):
            self._close_implied("dd", {"dl"})
            self._close_implied("dt", {"dl"})
        elif tag in ("td", "th"):
            self._close_implied("td", {"tr", "table"})
            self._close_implied("th", {"tr", "table"})
        elif tag == "tr":
            self._close_implied("tr", {"table", "thead", "tbody", "tfoot"})
        top = self.stack[-1]
        node = Node(tag, {k: (v if v is not None else "") for k, v in attrs}, top)
        top.children.append(node)
        return node

    def _close_implied(self, tag, barrier):
        for i in range(len(self.stack) - 1, 0, -1):
            t = self.stack[i].tag
            if t == tag:
                del self.stack[i:]
                return
            if t in barrier:
                return

    def handle_starttag(self, tag, attrs):
        node = self._open(tag, attrs)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self._open(tag, attrs)

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return
        # A stray end tag: ignored, as a browser ignores it.

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse_html(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    builder = TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


class IdCollector(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if v and (k == "id" or (k == "name" and tag == "a")):
                self.ids.add(v)

    handle_startendtag = handle_starttag


# ---------------------------------------------------------------------------------------
# What a reader gets from a piece of the page.


def is_permalink(node):
    """A heading's own link to itself: mdBook's <a class="header">, shipshape's heading-anchor."""
    cls = node.classes()
    if "heading-anchor" in cls:
        return True
    # mdBook wraps the text of headings (and of <dt> terms, in 0.5) in <a class="header">.
    parent = node.parent
    return (node.tag == "a" and "header" in cls and parent is not None
            and (parent.tag in HEADINGS or parent.tag == "dt"
                 or node.attrs.get("href") == "#" + parent.attrs.get("id", "\0")))


def hidden(node):
    a = node.attrs
    return (
        node.tag in NEVER_TEXT
        or "hidden" in a
        or a.get("aria-hidden") == "true"
        or "heading-anchor" in node.classes()
        or "sr-only" in node.classes()
        # mdBook 0.5 writes every image twice: the second copy, in span.img-wrapper, is
        # the click-to-zoom view, shown only while its checkbox is ticked.
        or "img-wrapper" in node.classes()
    )


def text_of(node, boring=True):
    """The text below node, as a reader sees it: hidden elements skipped, block elements
    separated. boring=False also drops mdBook's hidden Rust lines (<span class="boring">),
    which a reader sees only after pressing the show-hidden-lines button."""
    out = []

    def walk(n):
        for c in n.children:
            if isinstance(c, str):
                out.append(c)
                continue
            if hidden(c) or (not boring and "boring" in c.classes()):
                continue
            block = c.tag in BLOCK
            if block:
                out.append(" ")
            walk(c)
            if block:
                out.append(" ")

    walk(node)
    return "".join(out)


def norm(s):
    return " ".join(unicodedata.normalize("NFC", s).split())


def visible_elements(roots):
    """Every element under roots that is not inside a hidden element."""
    for root in roots:
        stack = [c for c in reversed(root.children) if isinstance(c, Node)]
        while stack:
            n = stack.pop()
            if hidden(n):
                continue
            yield n
            stack.extend(c for c in reversed(n.children) if isinstance(c, Node))


def content_roots(doc, tool, page):
    """The element(s) holding the chapter text, or [] when the page has none."""
    mains = [n for n in doc.iter() if n.tag == "main"]
    if tool == "mdbook":
        return mains[:1]
    articles = [n for n in doc.iter() if n.tag == "article" and "doc" in n.classes()]
    inside = [a for a in articles if any(is_inside(a, m) for m in mains)]
    if inside:
        return inside
    if articles:
        return articles
    by_id = [m for m in mains if m.attrs.get("id") == "content"]
    return (by_id or mains)[:1]


def is_inside(node, ancestor):
    while node is not None:
        if node is ancestor:
            return True
        node = node.parent
    return False


class Site:
    """One tool's output folder: resolves links and caches each page's ids."""

    def __init__(self, root):
        self.root = root
        self._ids = {}

    def ids(self, rel):
        if rel not in self._ids:
            c = IdCollector()
            with open(os.path.join(self.root, rel), encoding="utf-8", errors="replace") as f:
                c.feed(f.read())
            c.close()
            self._ids[rel] = c.ids
        return self._ids[rel]

    def resolve(self, page, url):
        """(kind, target, ok, why) for url on page. kind: external, fragment, relative,
        rooted; target is the site-relative path (or the url when external)."""
        u = urlsplit(url)
        if u.scheme or u.netloc:
            return "external", url, None, ""
        path = unquote(u.path)
        has_frag = "#" in url
        frag = unquote(u.fragment)
        if path == "":
            kind, target = ("fragment" if has_frag else "relative"), page
        elif path.startswith("/"):
            kind, target = "rooted", posixpath.normpath(path.lstrip("/") or ".")
        else:
            kind = "relative"
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
        if target == ".":
            target = ""
        if target.startswith("../") or target == "..":
            return kind, target, False, "outside the site"
        fs = os.path.join(self.root, target)
        if os.path.isdir(fs):
            target = posixpath.join(target, "index.html") if target else "index.html"
            fs = os.path.join(self.root, target)
        if not os.path.isfile(fs):
            return kind, target, False, "no such file"
        if frag and target.lower().endswith((".html", ".htm")):
            if frag not in self.ids(target):
                return kind, target + "#" + frag, False, "no element with that id"
            target += "#" + frag
        return kind, target, True, ""


def extract(site, page, tool):
    """Everything compared, for one page of one tool."""
    doc = parse_html(os.path.join(site.root, page))
    roots = content_roots(doc, tool, page)
    info = {"found": bool(roots), "headings": [], "code": [], "tables": [], "images": [],
            "links": [], "words": []}
    if not roots:
        return info
    for n in visible_elements(roots):
        if n.tag in HEADINGS:
            info["headings"].append(
                {"level": int(n.tag[1]), "text": norm(text_of(n)), "id": n.attrs.get("id", "")})
        elif n.tag == "pre":
            code = next((c for c in n.iter() if c.tag == "code"), None)
            lang = ""
            if code is not None:
                lang = next((c[9:] for c in code.classes() if c.startswith("language-")), "")
            boring = sum(1 for c in n.iter() if "boring" in c.classes())
            info["code"].append({
                "lang": lang,
                "visible": norm(text_of(n, boring=False)),
                "full": norm(text_of(n)),
                "hidden_lines": boring,
            })
        elif n.tag == "table":
            rows = []
            for tr in (t for t in n.iter() if t.tag == "tr"):
                rows.append([norm(text_of(td)) for td in tr.children
                             if isinstance(td, Node) and td.tag in ("td", "th")])
            info["tables"].append(rows)
        elif n.tag == "img":
            src = n.attrs.get("src", "")
            kind, target, ok, why = site.resolve(page, src) if src else ("none", "", False, "no src")
            info["images"].append({"src": src, "resolved": target, "kind": kind, "ok": ok,
                                   "alt": n.attrs.get("alt", "")})
        elif n.tag == "a" and "href" in n.attrs and not is_permalink(n):
            href = n.attrs["href"]
            kind, target, ok, why = site.resolve(page, href)
            info["links"].append({"href": href, "kind": kind, "target": target, "ok": ok,
                                  "why": why, "text": norm(text_of(n))[:60]})
    info["words"] = norm(" ".join(text_of(r, boring=False) for r in roots)).split(" ")
    if info["words"] == [""]:
        info["words"] = []
    return info


# ---------------------------------------------------------------------------------------
# Comparing two pages.


def similarity(a, b):
    if not a and not b:
        return 1.0
    # autojunk would treat every common word of a long page as junk and understate the
    # match; on very long pages (print.html of a big book) it keeps the run time sane.
    sm = difflib.SequenceMatcher(None, a, b, autojunk=len(a) + len(b) > 40000)
    return sm.ratio()


def internal(links):
    return [l for l in links if l["kind"] != "external"]


def compare(page, a, b):
    ha = [(h["level"], h["text"]) for h in a["headings"]]
    hb = [(h["level"], h["text"]) for h in b["headings"]]
    ids_a = [h["id"] for h in a["headings"]]
    ids_b = [h["id"] for h in b["headings"]]
    if ha == hb and ids_a == ids_b:
        headings = "yes"
    elif ha == hb:
        headings = "ids"
    elif [t for _, t in ha] == [t for _, t in hb]:
        headings = "levels"
    else:
        headings = "no"
    code_a = [c["visible"] for c in a["code"]]
    code_b = [c["visible"] for c in b["code"]]
    img_a = [i["resolved"] for i in a["images"]]
    img_b = [i["resolved"] for i in b["images"]]
    ia, ib = internal(a["links"]), internal(b["links"])
    return {
        "page": page,
        "content_found": {"mdbook": a["found"], "shipshape": b["found"]},
        "headings_match": headings,
        "code_same": code_a == code_b,
        "code_full_same": [c["full"] for c in a["code"]] == [c["full"] for c in b["code"]],
        "tables_same": a["tables"] == b["tables"],
        "images_same": img_a == img_b,
        "counts": {
            "headings": [len(ha), len(hb)],
            "code": [len(code_a), len(code_b)],
            "tables": [len(a["tables"]), len(b["tables"])],
            "images": [len(img_a), len(img_b)],
            "links": [len(a["links"]), len(b["links"])],
            "internal_links": [len(ia), len(ib)],
            "internal_ok": [sum(l["ok"] for l in ia), sum(l["ok"] for l in ib)],
            "words": [len(a["words"]), len(b["words"])],
        },
        "text_similarity": round(similarity(a["words"], b["words"]), 4),
        "mdbook": a,
        "shipshape": b,
    }


# ---------------------------------------------------------------------------------------
# Reports.


def cell_pair(pair, same=None):
    s = f"{pair[0]}/{pair[1]}"
    if same is False:
        s += "*"
    return s


def table(rows, header):
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    lines = ["  ".join(str(h).ljust(w) for h, w in zip(header, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    for r in rows:
        lines.append("  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w)
                               for i, (c, w) in enumerate(zip(r, widths))).rstrip())
    return "\n".join(lines)


def row_of(c):
    n = c["counts"]
    found = c["content_found"]
    page = c["page"]
    if not found["shipshape"]:
        page += " (no content element in shipshape's page)"
    ok = n["internal_ok"]
    tot = n["internal_links"]
    return [
        page,
        c["headings_match"],
        cell_pair(n["code"], c["code_same"]),
        cell_pair(n["tables"], c["tables_same"]),
        cell_pair(n["images"], c["images_same"]),
        cell_pair(n["links"]),
        f"{ok[0]}/{tot[0]} | {ok[1]}/{tot[1]}",
        f"{c['text_similarity']:.3f}",
    ]


HEADER = ["page", "headings", "code a/b", "tables a/b", "images a/b", "links a/b",
          "resolve a | b", "text sim"]


def short(s, n=70):
    s = s.replace("\n", " ")
    return s if len(s) <= n else s[: n - 1] + "…"


def details(c, out):
    """A few lines per kind of difference on one page."""
    a, b = c["mdbook"], c["shipshape"]
    lines = []
    if c["headings_match"] != "yes":
        fa = [f"h{h['level']} #{h['id']} {h['text']}" for h in a["headings"]]
        fb = [f"h{h['level']} #{h['id']} {h['text']}" for h in b["headings"]]
        for d in difflib.unified_diff(fa, fb, "mdbook", "shipshape", lineterm="", n=0):
            if not d.startswith(("---", "+++", "@@")):
                lines.append(f"    heading {d[0]} {short(d[1:], 90)}")
    if not c["code_same"]:
        ca, cb = a["code"], b["code"]
        for i in range(max(len(ca), len(cb))):
            x = ca[i] if i < len(ca) else None
            y = cb[i] if i < len(cb) else None
            if x and y and x["visible"] == y["visible"]:
                continue
            lines.append(f"    code #{i + 1}:")
            for who, blk in (("mdbook", x), ("shipshape", y)):
                if blk is None:
                    lines.append(f"      {who:9}: (none)")
                else:
                    hid = f", {blk['hidden_lines']} hidden lines" if blk["hidden_lines"] else ""
                    lines.append(f"      {who:9}: [{blk['lang'] or '-'}{hid}] {short(blk['visible'])}")
    elif not c["code_full_same"]:
        lines.append("    code: visible text the same, hidden (boring) lines differ")
    if not c["tables_same"]:
        for i in range(max(len(a["tables"]), len(b["tables"]))):
            x = a["tables"][i] if i < len(a["tables"]) else None
            y = b["tables"][i] if i < len(b["tables"]) else None
            if x != y:
                lines.append(f"    table #{i + 1}: mdbook {short(json.dumps(x, ensure_ascii=False), 60)}")
                lines.append(f"              shipshape {short(json.dumps(y, ensure_ascii=False), 60)}")
    if not c["images_same"]:
        lines.append(f"    images: mdbook {[i['resolved'] for i in a['images']]}")
        lines.append(f"            shipshape {[i['resolved'] for i in b['images']]}")
    for who, info in (("mdbook", a), ("shipshape", b)):
        for l in internal(info["links"]):
            if not l["ok"]:
                lines.append(f"    broken in {who}: {l['href']} ({l['why']})")
    ha = Counter(l["href"] for l in a["links"])
    hb = Counter(l["href"] for l in b["links"])
    if ha != hb:
        extra_a = sorted((ha - hb).elements())
        extra_b = sorted((hb - ha).elements())
        if extra_a:
            lines.append(f"    links only in mdbook: {short(' '.join(extra_a), 100)}")
        if extra_b:
            lines.append(f"    links only in shipshape: {short(' '.join(extra_b), 100)}")
    if c["text_similarity"] < 0.999:
        sm = difflib.SequenceMatcher(None, a["words"], b["words"], autojunk=False)
        shown = 0
        for op, i1, i2, j1, j2 in sm.get_opcodes():
            if op == "equal":
                continue
            if shown == 6:
                lines.append("    text: …")
                break
            wa = " ".join(a["words"][i1:i2])
            wb = " ".join(b["words"][j1:j2])
            lines.append(f"    text {op}: mdbook «{short(wa, 50)}» shipshape «{short(wb, 50)}»")
            shown += 1
    if lines:
        out.append(f"  {c['page']}:")
        out.extend(lines)


def html_pages(root, special, asset_dirs, src_dir):
    pages = []
    for dirpath, dirnames, filenames in os.walk(root):
        rel_dir = os.path.relpath(dirpath, root)
        if rel_dir == ".":
            rel_dir = ""
            dirnames[:] = [d for d in dirnames if d not in asset_dirs]
        for f in filenames:
            if not f.lower().endswith((".html", ".htm")):
                continue
            rel = posixpath.join(rel_dir.replace(os.sep, "/"), f) if rel_dir else f
            if rel in special:
                continue
            # An .html file in the book's source folder is copied as it is: not a chapter.
            if src_dir and os.path.isfile(os.path.join(src_dir, rel)):
                continue
            pages.append(rel)
    return sorted(pages)


def has_main(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return "<main" in f.read()


def tool_version(cmd):
    try:
        r = subprocess.run(cmd + ["--version"], capture_output=True, text=True, timeout=30)
        return (r.stdout or r.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return "?"


def tail(path, n=15):
    with open(path, encoding="utf-8", errors="replace") as f:
        return "".join(f.readlines()[-n:])


def drop_toml_keys(text, keys):
    """text with the given keys removed: `table.key` drops one key (a single-line value or
    a bracketed array over several lines), `table` drops the whole table and its sub-tables."""
    out = []
    table = ""
    skipping_table = False
    skipping_value = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if skipping_value:
            skipping_value += line.count("[") - line.count("]")
            continue
        m = re.match(r"^\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$", stripped)
        if m:
            table = ".".join(p.strip().strip('"') for p in m.group(1).split("."))
            skipping_table = any(table == k or table.startswith(k + ".") for k in keys)
            if skipping_table:
                continue
        elif skipping_table:
            continue
        else:
            km = re.match(r"^([A-Za-z0-9_.\"' -]+?)\s*=", stripped)
            if km:
                key = ".".join(p.strip().strip("\"'") for p in km.group(1).split("."))
                full = f"{table}.{key}" if table else key
                if any(full == k or full.startswith(k + ".") for k in keys):
                    value = stripped[km.end():]
                    skipping_value = max(0, value.count("[") - value.count("]"))
                    continue
        out.append(line)
    return "".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("book", help="the book's root folder (holds book.toml)")
    ap.add_argument("--shipshape", required=True, help="the shipshape binary")
    ap.add_argument("--mdbook", default="mdbook", help="the mdbook binary (default: mdbook)")
    ap.add_argument("--today", default="2026-12-01", help="shipshape's --today")
    ap.add_argument("--json", metavar="FILE", help="also write the full report as JSON")
    ap.add_argument("--details", action="store_true",
                    help="after the table, list what differs on each page")
    ap.add_argument("--keep", action="store_true", help="keep both sites (the folder is printed)")
    ap.add_argument("--mdbook-drop", action="append", default=[], metavar="KEY",
                    help="mdBook builds a copy of the book whose book.toml lacks KEY "
                         "(`book.multilingual`, or a whole table: `preprocessor.mermaid`); "
                         "shipshape still builds the book as it is. Repeatable.")
    args = ap.parse_args()

    book = os.path.realpath(args.book)
    cfg = {}
    if os.path.isfile(os.path.join(book, "book.toml")):
        with open(os.path.join(book, "book.toml"), "rb") as f:
            try:
                cfg = tomllib.load(f)
            except tomllib.TOMLDecodeError as e:
                print(f"parity: {args.book}/book.toml: {e}", file=sys.stderr)
                return 2
    elif not os.path.isfile(os.path.join(book, "src", "SUMMARY.md")):
        # mdBook builds a folder with src/SUMMARY.md and no book.toml, on its defaults.
        print(f"parity: {args.book} holds neither book.toml nor src/SUMMARY.md", file=sys.stderr)
        return 2
    src_dir = os.path.join(book, cfg.get("book", {}).get("src", "src"))
    bin_path = shutil.which(args.shipshape) if os.sep not in args.shipshape else args.shipshape
    if not bin_path or not os.access(bin_path, os.X_OK):
        print(f"parity: shipshape binary not found or not executable: {args.shipshape}", file=sys.stderr)
        return 2
    bin_path = os.path.realpath(bin_path)

    work = os.path.realpath(tempfile.mkdtemp(prefix="shipshape-parity-"))
    if work == book or work.startswith(book + os.sep):
        print(f"parity: the temporary folder {work} is inside the book; set TMPDIR elsewhere",
              file=sys.stderr)
        shutil.rmtree(work)
        return 2
    out_a = os.path.join(work, "mdbook")
    out_b = os.path.join(work, "shipshape")
    try:
        return run(args, book, cfg, src_dir, bin_path, work, out_a, out_b)
    finally:
        if args.keep:
            print(f"sites kept in {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


def run(args, book, cfg, src_dir, bin_path, work, out_a, out_b):
    mdbook_book = book
    notes = []
    if args.mdbook_drop:
        mdbook_book = os.path.join(work, "mdbook-book")
        shutil.copytree(book, mdbook_book, symlinks=True,
                        ignore=shutil.ignore_patterns(".git", "book", "target"))
        toml_path = os.path.join(mdbook_book, "book.toml")
        with open(toml_path, encoding="utf-8") as f:
            text = f.read()
        with open(toml_path, "w", encoding="utf-8") as f:
            f.write(drop_toml_keys(text, args.mdbook_drop))
        notes.append("mdBook built a copy whose book.toml lacks " + ", ".join(args.mdbook_drop))

    mdbook_log = os.path.join(work, "mdbook.log")
    with open(mdbook_log, "w") as log:
        rc_a = subprocess.run([args.mdbook, "build", mdbook_book, "-d", out_a],
                              stdout=log, stderr=subprocess.STDOUT).returncode
    if rc_a != 0:
        print(f"parity: mdbook build failed (exit {rc_a}):\n{tail(mdbook_log)}", file=sys.stderr)
        print("parity: if mdBook rejects a book.toml key or a missing preprocessor, "
              "--mdbook-drop KEY lets it build a copy without that key or table", file=sys.stderr)
        return 2
    ship_log = os.path.join(work, "shipshape.log")
    with open(ship_log, "w") as log:
        rc_b = subprocess.run([bin_path, "build", book, "-d", out_b, "--today", args.today],
                              stdout=log, stderr=subprocess.STDOUT).returncode
    if rc_b not in (0, 1):
        print(f"parity: shipshape build failed (exit {rc_b}):\n{tail(ship_log)}", file=sys.stderr)
        return 2
    findings = ""
    with open(ship_log, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = re.match(r"shipshape: (\d+ errors?, \d+ warnings?)", line)
            if m:
                findings = m.group(1)

    site_a, site_b = Site(out_a), Site(out_b)
    src_a = os.path.join(mdbook_book, os.path.relpath(src_dir, book))
    pages_a_all = html_pages(out_a, MDBOOK_SPECIAL, MDBOOK_ASSET_DIRS, src_a)
    pages_a = [p for p in pages_a_all if has_main(os.path.join(out_a, p))]
    not_chapters = [p for p in pages_a_all if p not in pages_a]  # redirect pages and the like
    pages_b = html_pages(out_b, SHIPSHAPE_SPECIAL | SHIPSHAPE_OWN, SHIPSHAPE_ASSET_DIRS, src_dir)
    set_b = set(pages_b)
    both = [p for p in pages_a if p in set_b]
    only_a = [p for p in pages_a if p not in set_b]
    only_b = [p for p in pages_b if p not in set(pages_a) and p not in set(not_chapters)]

    results = [compare(p, extract(site_a, p, "mdbook"), extract(site_b, p, "shipshape"))
               for p in both]
    print_result = None
    have_print = [os.path.isfile(os.path.join(o, "print.html")) for o in (out_a, out_b)]
    if all(have_print):
        print_result = compare("print.html", extract(site_a, "print.html", "mdbook"),
                               extract(site_b, "print.html", "shipshape"))

    # ---- the report
    v_a = tool_version([args.mdbook])
    v_b = tool_version([bin_path])
    name = os.path.relpath(book) if not os.path.relpath(book).startswith("../..") else book
    out = [f"parity: {name}",
           f"  mdbook:    {v_a}, exit {rc_a}",
           f"  shipshape: {v_b} ({bin_path}), exit {rc_b}" + (f" ({findings})" if findings else "")]
    out.extend(f"  note: {n}" for n in notes)
    out.append("")
    if results:
        out.append(table([row_of(c) for c in results], HEADER))
    else:
        out.append("(no page in both sites)")
    if print_result:
        out.append("")
        out.append(table([row_of(print_result)], HEADER))
    out.append("")
    out.append("a = mdBook, b = shipshape; x/y = counts, * = the content differs; "
               "resolve = relative links that resolve / relative links (fragment checked)")
    if args.details:
        out.append("")
        out.append("differences:")
        for c in results + ([print_result] if print_result else []):
            details(c, out)

    def rate(ok, tot):
        return f"{ok}/{tot} ({100 * ok / tot:.1f}%)" if tot else "0/0 (-)"

    n = len(results)
    ok_a = sum(c["counts"]["internal_ok"][0] for c in results)
    tot_a = sum(c["counts"]["internal_links"][0] for c in results)
    ok_b = sum(c["counts"]["internal_ok"][1] for c in results)
    tot_b = sum(c["counts"]["internal_links"][1] for c in results)
    sims = [c["text_similarity"] for c in results]
    worst = min(results, key=lambda c: c["text_similarity"]) if results else None
    summary = {
        "pages_both": n,
        "pages_only_mdbook": only_a,
        "pages_only_shipshape": only_b,
        "mdbook_html_not_chapters": not_chapters,
        "identical_headings": sum(c["headings_match"] == "yes" for c in results),
        "identical_heading_text": sum(c["headings_match"] in ("yes", "ids") for c in results),
        "identical_code": sum(c["code_same"] for c in results),
        "identical_code_with_hidden_lines": sum(c["code_full_same"] for c in results),
        "identical_tables": sum(c["tables_same"] for c in results),
        "identical_images": sum(c["images_same"] for c in results),
        "links": [sum(c["counts"]["links"][0] for c in results),
                  sum(c["counts"]["links"][1] for c in results)],
        "relative_links_ok": {"mdbook": [ok_a, tot_a], "shipshape": [ok_b, tot_b]},
        "text_similarity_mean": round(sum(sims) / n, 4) if n else None,
        "text_similarity_min": round(min(sims), 4) if n else None,
        "text_similarity_min_page": worst["page"] if worst else None,
        "print_html": ("compared" if print_result else
                       "mdBook only" if have_print[0] else
                       "shipshape only" if have_print[1] else "neither"),
    }
    if print_result:
        summary["print_text_similarity"] = print_result["text_similarity"]

    def listing(pages):
        return f" ({', '.join(pages[:8])}{', …' if len(pages) > 8 else ''})" if pages else ""

    out.append("")
    out.append(f"summary: pages in both {n}, only in mdBook {len(only_a)}{listing(only_a)}, "
               f"only in shipshape {len(only_b)}{listing(only_b)}")
    out.append(f"summary: identical headings {summary['identical_headings']}/{n} "
               f"(text and levels {summary['identical_heading_text']}/{n}), "
               f"code {summary['identical_code']}/{n} "
               f"(with hidden lines {summary['identical_code_with_hidden_lines']}/{n}), "
               f"tables {summary['identical_tables']}/{n}, images {summary['identical_images']}/{n}")
    out.append(f"summary: links {summary['links'][0]} / {summary['links'][1]}; "
               f"relative links resolving: mdBook {rate(ok_a, tot_a)}, shipshape {rate(ok_b, tot_b)}")
    if n:
        out.append(f"summary: text similarity mean {summary['text_similarity_mean']:.3f}, "
                   f"min {summary['text_similarity_min']:.3f} ({summary['text_similarity_min_page']})")
    pr = summary["print_html"]
    if print_result:
        pr += f", text similarity {print_result['text_similarity']:.3f}"
    out.append(f"summary: print.html {pr}")
    print("\n".join(out))

    if args.json:
        report = {
            "book": book,
            "mdbook": {"version": v_a, "exit": rc_a, "built": mdbook_book},
            "shipshape": {"version": v_b, "binary": bin_path, "exit": rc_b, "findings": findings},
            "notes": notes,
            "summary": summary,
            "pages": results,
            "print": print_result,
        }
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(report, f, indent=1, ensure_ascii=False)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
