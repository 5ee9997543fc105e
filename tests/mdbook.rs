//! Real mdBook books build as mdBook builds them: a home page from the first chapter,
//! include directives read as mdBook reads them, links that leave the book left alone.

mod common;

use common::*;

const BOOK: &str = "[book]\ntitle = \"Book\"\n";

#[test]
fn the_first_chapter_is_the_home_page_when_there_is_no_readme() {
    let dir = handbook(&[
        ("book.toml", BOOK),
        (
            "src/SUMMARY.md",
            "# Summary\n\n[Foreword](foreword.md)\n\n- [Intro](intro.md)\n",
        ),
        (
            "src/foreword.md",
            "# Foreword\n\nRead [the intro](intro.md).\n",
        ),
        (
            "src/intro.md",
            "# Intro\n\nBack [home](index.html) or [to the foreword](./).\n",
        ),
    ]);
    assert_no_findings(dir.path(), &[]);
    let out = dir.path().join("site");
    assert_eq!(build(dir.path(), &out).status.code(), Some(0));
    let home = page(&out, "index.html");
    assert!(home.contains("<h1 id=\"foreword\">Foreword"), "{home}");
    assert!(home.contains("href=\"intro.html\""), "{home}");
    assert_eq!(
        home,
        page(&out, "foreword.html"),
        "a root chapter's copy is the same page"
    );
}

#[test]
fn a_home_page_copied_from_a_nested_chapter_keeps_its_links_working() {
    let dir = handbook(&[
        (
            "book.toml",
            "[book]\ntitle = \"Book\"\n[shipshape]\nbase-url = \"https://docs.example.com/\"\n",
        ),
        (
            "src/SUMMARY.md",
            "- [Start](guide/start.md)\n- [Setup](guide/setup.md)\n",
        ),
        (
            "src/guide/start.md",
            "# Start\n\nSee [setup](setup.md#steps), ![logo](img/logo.svg) and [std](../../std/index.html).\n",
        ),
        ("src/guide/setup.md", "# Setup\n\n## Steps\n"),
        (
            "src/guide/img/logo.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        ),
        ("src/guide/nothing.md", "# Unlisted\n"),
    ]);
    let out = dir.path().join("site");
    let output = build(dir.path(), &out);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let home = page(&out, "index.html");
    assert!(home.contains("href=\"guide/setup.html#steps\""), "{home}");
    assert!(home.contains("src=\"guide/img/logo.svg\""), "{home}");
    assert!(home.contains("href=\"../std/index.html\""), "{home}");
    assert!(home.contains("href=\"static/style.css\""), "{home}");
    assert!(
        home.contains(
            "<link rel=\"canonical\" href=\"https://docs.example.com/guide/start.html\">"
        ),
        "the copy names the chapter as the page's address: {home}"
    );
    let chapter = page(&out, "guide/start.html");
    assert!(chapter.contains("href=\"setup.html#steps\""), "{chapter}");
    assert!(
        chapter.contains("href=\"../../std/index.html\""),
        "{chapter}"
    );
}

#[test]
fn a_book_with_no_home_page_at_all_is_a_finding() {
    let dir = handbook(&[
        ("book.toml", BOOK),
        ("src/SUMMARY.md", "# Summary\n\n- [Coming soon]()\n"),
        ("src/page.md", "# Page\n"),
    ]);
    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let finding = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "link")
        .unwrap_or_else(|| panic!("{report:#}"));
    assert_eq!(finding["file"], "src/SUMMARY.md");
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .contains("no home page"),
        "{finding}"
    );
}

#[test]
fn an_include_directive_without_a_path_is_plain_text() {
    let dir = handbook(&[
        ("book.toml", BOOK),
        (
            "src/README.md",
            "# Home\n\nFiles `{{#include}}`d into a page, and {{#include }} or {{#unknown x}} in prose.\n",
        ),
    ]);
    assert_no_findings(dir.path(), &[]);
    let out = dir.path().join("site");
    build(dir.path(), &out);
    let home = page(&out, "index.html");
    assert!(home.contains("<code>{{#include}}</code>d"), "{home}");
    assert!(home.contains("{{#unknown x}}"), "{home}");
}

#[test]
fn rust_code_blocks_hide_lines_as_mdbook_does() {
    let dir = handbook(&[
        ("book.toml", BOOK),
        (
            "src/README.md",
            "# Home\n\n```rust,ignore\n# use std::fmt;\nfn main() {\n    # let hidden = 1;\n    ##[allow(dead_code)]\n    #[derive(Debug)]\n}\n```\n\n```python\n# a comment, not hidden\n```\n",
        ),
    ]);
    let out = dir.path().join("site");
    assert_eq!(build(dir.path(), &out).status.code(), Some(0));
    let home = page(&out, "index.html");
    let text = text_of(&home);
    assert!(text.contains("use std::fmt;\nfn main() {\n    let hidden = 1;\n    #[allow(dead_code)]\n    #[derive(Debug)]"), "{text}");
    assert_eq!(home.matches("<span class=\"boring\">").count(), 2, "{home}");
    assert!(
        home.contains("class=\"language-rust\""),
        "the first word of `rust,ignore` is the language"
    );
    assert!(
        text.contains("# a comment, not hidden"),
        "only rust hides `# ` lines"
    );
    assert_eq!(home.matches("<div class=\"code-block\">").count(), 2);
}

#[test]
fn title_playground_and_rustdoc_include_directives_work_as_in_mdbook() {
    let dir = handbook(&[
        ("book.toml", BOOK),
        (
            "src/README.md",
            "{{#title The real title}}\n# Home\n\n{{#playground example.rs editable}}\n\n```rust\n{{#rustdoc_include example.rs:2}}\n```\n",
        ),
        (
            "src/example.rs",
            "fn main() {\n    println!(\"# not markdown\");\n}\n",
        ),
    ]);
    assert_no_findings(dir.path(), &[]);
    let out = dir.path().join("site");
    build(dir.path(), &out);
    let home = page(&out, "index.html");
    assert!(
        home.contains("<title>The real title · Book</title>"),
        "{home}"
    );
    assert!(!home.contains("{{#title"), "{home}");
    // The playground's file is a code block, never markdown: no heading from its `#`.
    assert!(!home.contains("<h1 id=\"not-markdown\""), "{home}");
    assert_eq!(
        home.matches("<div class=\"code-block\">").count(),
        2,
        "{home}"
    );
    // rustdoc_include hides what lies outside the selected line.
    assert_eq!(home.matches("<span class=\"boring\">").count(), 2, "{home}");
}

#[test]
fn an_anchor_never_closed_runs_to_the_end_of_the_file_with_a_warning() {
    let dir = handbook(&[
        ("book.toml", BOOK),
        (
            "src/README.md",
            "# Home\n\n```rust\n{{#include code.rs:body}}\n```\n",
        ),
        (
            "src/code.rs",
            "// ANCHOR: body\nfn body() {}\nfn more() {}\n",
        ),
    ]);
    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!(code, 0, "{report:#}");
    let found = findings(&report);
    assert_eq!(
        found,
        [(
            "include".into(),
            "warning".into(),
            "src/README.md".into(),
            Some(4),
            Some(1)
        )]
    );
    let out = dir.path().join("site");
    build(dir.path(), &out);
    let text = text_of(&page(&out, "index.html"));
    assert!(text.contains("fn body() {}\nfn more() {}"), "{text}");
}

#[test]
fn an_include_of_a_missing_file_is_a_finding_and_stays_as_written() {
    let dir = handbook(&[
        ("book.toml", BOOK),
        (
            "src/README.md",
            "# Home\n\n{{#include missing.md}}\n\n```rust\n{{#include missing.rs}}\n```\n",
        ),
    ]);
    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let found = findings(&report);
    assert_eq!(
        found,
        [
            (
                "include".into(),
                "error".into(),
                "src/README.md".into(),
                Some(3),
                Some(1)
            ),
            (
                "include".into(),
                "warning".into(),
                "src/README.md".into(),
                Some(6),
                Some(1)
            ),
        ],
        "in a code sample it is only a warning"
    );
    let out = dir.path().join("site");
    build(dir.path(), &out);
    let home = page(&out, "index.html");
    assert!(home.contains("{{#include missing.md}}"), "{home}");
    assert!(text_of(&home).contains("{{#include missing.rs}}"), "{home}");
}

#[test]
fn a_link_that_leaves_the_book_is_left_as_written_with_a_warning_or_allowed() {
    let files = [(
        "src/README.md",
        "# Home\n\nSee [std](../std/index.html) and [ref](../reference/x.md).\n",
    )];
    let mut all = vec![("book.toml", BOOK)];
    all.extend(files);
    let dir = handbook(&all);
    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!(code, 0, "{report:#}");
    let found = findings(&report);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found.iter().all(|f| f.0 == "link" && f.1 == "warning"),
        "{found:?}"
    );
    assert!(
        report["findings"][0]["help"]
            .as_str()
            .unwrap()
            .contains("allow-outside = [\"../std/\"]"),
        "{report:#}"
    );
    let out = dir.path().join("site");
    build(dir.path(), &out);
    assert!(page(&out, "index.html").contains("href=\"../std/index.html\""));

    write(
        dir.path(),
        "book.toml",
        &format!("{BOOK}[policy.link]\nallow-outside = [\"../std/\", \"../reference/\"]\n"),
    );
    assert_no_findings(dir.path(), &[]);
}

#[test]
fn an_email_autolink_is_not_a_path() {
    let dir = handbook(&[
        ("book.toml", BOOK),
        ("src/README.md", "# Home\n\nWrite to <john@example.com>.\n"),
    ]);
    assert_no_findings(dir.path(), &[]);
    let out = dir.path().join("site");
    build(dir.path(), &out);
    assert!(page(&out, "index.html").contains("href=\"mailto:john@example.com\""));
}

#[test]
fn a_suggestion_is_written_the_way_the_link_is() {
    let dir = handbook(&[
        ("book.toml", BOOK),
        (
            "src/SUMMARY.md",
            "- [Home](README.md)\n- [Guide](guide/a.md)\n- [ADRs](adr/README.md)\n",
        ),
        ("src/README.md", "# Home\n"),
        (
            "src/guide/a.md",
            "# A\n\n[adrs](../adr/READMEE.md) [rooted](/adr/READMEE.md) [anchor](../adr/README.md#contxt)\n",
        ),
        ("src/adr/README.md", "# ADRs\n\n## Context\n"),
    ]);
    let (_, report) = check_json(dir.path(), &[]);
    let helps: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["help"].as_str().unwrap().split('?').next().unwrap())
        .collect();
    assert_eq!(
        helps,
        [
            "did you mean `../adr/README.md`",
            "did you mean `/adr/README.md`",
            "did you mean `../adr/README.md#context`",
        ]
    );
}

/// The text of an HTML page, tags dropped.
fn text_of(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

#[test]
fn the_print_page_holds_every_chapter_with_unique_ids_and_links_within_it() {
    // mdBook's own print tests: duplicate_ids and relative_links.
    let dir = handbook(&[
        ("book.toml", BOOK),
        (
            "src/SUMMARY.md",
            "- [Chapter 1](./chapter_1.md)\n- [Chapter 2](./chapter_2.md)\n    - [Nested](second/nested.md)\n- [Bare](bare.md)\n",
        ),
        (
            "src/chapter_1.md",
            "# Chapter 1\n\n## Some title\n\nSee [other](chapter_2.md#some-title)\n\nSee [this](chapter_1.md#some-title)\n\nSee [this anchor only](#some-title)\n",
        ),
        (
            "src/chapter_2.md",
            "# Chapter 2\n\n## Some title\n\nSee [other](chapter_1.md#some-title)\n\n[Works with HTML extension too](chapter_1.html#some-title)\n",
        ),
        (
            "src/second/nested.md",
            "# Nested\n\nBack to [chapter 2](../chapter_2.md), [outside](../../std/foo.html), ![pic](../images/p.png) and [a bare page](../bare.md).\n",
        ),
        ("src/bare.md", "No heading here.\n"),
        ("src/images/p.png", "png"),
    ]);
    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!(code, 0, "{report:#}");
    let out = dir.path().join("site");
    build(dir.path(), &out);
    let print = page(&out, "print.html");
    assert!(print.contains("<meta name=\"robots\" content=\"noindex\">"));
    let ids: Vec<&str> = print
        .match_indices("<h2 id=\"")
        .map(|(at, _)| &print[at + 8..at + 8 + print[at + 8..].find('"').unwrap()])
        .collect();
    assert_eq!(ids, ["some-title", "some-title-1"]);
    for link in [
        "<a href=\"#some-title-1\">other</a>",
        "<a href=\"#some-title\">this</a>",
        "<a href=\"#some-title\">this anchor only</a>",
        "<a href=\"#some-title\">other</a>",
        "<a href=\"#some-title\">Works with HTML extension too</a>",
        "<a href=\"#chapter-2\">chapter 2</a>",
        "<a href=\"../std/foo.html\">outside</a>",
        "src=\"images/p.png\"",
        "<a href=\"#bare\">a bare page</a>",
        "<span id=\"bare\"></span>",
    ] {
        assert!(print.contains(link), "{link} in {print}");
    }
    assert_eq!(print.matches("class=\"print-break\"").count(), 3);
    // The chapters' own pages keep their ids.
    assert!(page(&out, "chapter_2.html").contains("<h2 id=\"some-title\""));
    assert!(page(&out, "index.html").contains("href=\"print.html\""));
}

#[test]
fn a_page_named_print_is_refused_as_mdbook_refuses_it() {
    let dir = handbook(&[
        ("book.toml", BOOK),
        (
            "src/SUMMARY.md",
            "- [Print](print.md)\n- [Other](other.md)\n",
        ),
        ("src/print.md", "# Print\n"),
        ("src/other.md", "# Other\n"),
    ]);
    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["file"] == "src/print.md"
                && f["message"].as_str().unwrap().contains("print page")),
        "{report:#}"
    );
}

#[test]
fn footnotes_are_numbered_gathered_at_the_end_and_link_back() {
    let dir = handbook(&[
        ("book.toml", BOOK),
        (
            "src/README.md",
            "# Notes\n\nA claim[^a] and another[^b] and again[^a].\n\n[^b]: Second.\n\n[^a]: First.\n\n[^unused]: Never.\n\n## After\n",
        ),
    ]);
    let out = dir.path().join("site");
    assert_eq!(build(dir.path(), &out).status.code(), Some(0));
    let home = page(&out, "index.html");
    for html in [
        "<sup class=\"footnote-reference\" id=\"fr-a-1\"><a href=\"#footnote-a\">1</a></sup>",
        "<sup class=\"footnote-reference\" id=\"fr-b-1\"><a href=\"#footnote-b\">2</a></sup>",
        "<sup class=\"footnote-reference\" id=\"fr-a-2\"><a href=\"#footnote-a\">1</a></sup>",
        "<li id=\"footnote-a\">\n<p>First. <a href=\"#fr-a-1\" class=\"footnote-backref\">↩</a> <a href=\"#fr-a-2\" class=\"footnote-backref\">↩2</a></p>",
    ] {
        assert!(home.contains(html), "{html} in {home}");
    }
    assert!(
        !home.contains("Never."),
        "an unreferenced definition is left out"
    );
    let after = home.find("id=\"after\"").unwrap();
    let list = home.find("<ol class=\"footnote-definition\">").unwrap();
    assert!(after < list, "the definitions come at the end of the page");
    assert!(home.find("footnote-a").unwrap() < home.find("id=\"footnote-b\"").unwrap());
}

#[test]
fn a_book_without_book_toml_builds_on_mdbook_s_defaults() {
    // mdBook's own test books (tests/testsuite/markdown/*) are written this way.
    let dir = handbook(&[
        ("src/SUMMARY.md", "- [Chapter 1](chapter_1.md)\n"),
        ("src/chapter_1.md", "# Chapter 1\n"),
    ]);
    let out = dir.path().join("site");
    let output = build(dir.path(), &out);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(page(&out, "index.html").contains("<h1 id=\"chapter-1\">"));
    // Without SUMMARY.md a folder is no book: the error says what to do.
    let empty = handbook(&[("src/notes.md", "# Notes\n")]);
    let output = shipshape().arg("check").arg(empty.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("shipshape init"),
        "{}",
        stderr(&output)
    );
}
