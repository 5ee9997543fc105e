//! The `alt-text` rule: an image without a text alternative in a page, as markdownlint's
//! MD045, reported through the binary's JSON report at the image (or its include line).

mod common;

use common::{assert_no_findings, check_json, handbook};
use tempfile::TempDir;

const BOOK_TOML: &str = "[book]\nsrc = \"content\"\n";

/// A handbook with a home page and these files; without SUMMARY.md every page is reached.
fn book(files: &[(&str, &str)]) -> TempDir {
    let mut all = vec![("book.toml", BOOK_TOML), ("content/index.md", "# Home\n")];
    all.extend_from_slice(files);
    // The images exist, so that only alt text is in question.
    all.extend([
        ("content/flow.png", "png"),
        ("content/logo.png", "png"),
        ("content/guide/map.png", "png"),
    ]);
    handbook(&all)
}

/// (rule, severity, file, line, column, message, help) of each finding.
fn found(report: &serde_json::Value) -> Vec<(String, String, String, u64, u64, String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
                f["file"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
                f["message"].as_str().unwrap().to_string(),
                f["help"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn images_without_alt_text_are_warnings_at_the_image() {
    let dir = book(&[(
        "content/guide/failover.md",
        "# Failover\n\n![](../flow.png)\n\nSee ![ ](map.png) and ![The map](map.png).\n\n<p align=\"center\">\n  <img\n    src=\"../logo.png\" width=\"40\">\n  <img src=\"../logo.png\" alt=\"\">\n</p>\n\nInline <IMG SRC=../flow.png> and <img src=\"../flow.png\" alt=\"Flow\">.\n\n```markdown\n![](in-a-code-block.png) <img src=x.png>\n```\n\n<!-- <img src=\"commented-out.png\"> -->\n",
    )]);
    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!(code, 0, "warnings only: {report:#}");
    let found = found(&report);
    let places: Vec<(&str, &str, &str, u64, u64)> = found
        .iter()
        .map(|f| (f.0.as_str(), f.1.as_str(), f.2.as_str(), f.3, f.4))
        .collect();
    let file = "content/guide/failover.md";
    assert_eq!(
        places,
        [
            ("alt-text", "warning", file, 3, 1),
            ("alt-text", "warning", file, 5, 5),
            ("alt-text", "warning", file, 8, 3),
            ("alt-text", "warning", file, 13, 8),
        ],
        "{report:#}"
    );
    assert_eq!(
        found[0].5,
        "image `../flow.png` has no alt text: a screen reader, or a reader whose images do not load, gets nothing in its place"
    );
    assert!(
        found[0].6.contains("`![what it shows](../flow.png)`"),
        "{}",
        found[0].6
    );
    assert!(
        found[2]
            .5
            .starts_with("the `<img>` of `../logo.png` has no alt text"),
        "{}",
        found[2].5
    );
    assert!(found[2].6.contains("alt=\"\""), "{}", found[2].6);
    assert_eq!(report["summary"]["warnings"], 4, "{report:#}");
}

#[test]
fn an_included_image_is_reported_at_the_include_line() {
    let dir = book(&[
        (
            "content/guide/page.md",
            "# Page\n\nIntro.\n\n{{#include ../snippets/diagram.md}}\n",
        ),
        ("content/snippets/diagram.md", "Text.\n\n![](../flow.png)\n"),
    ]);
    let (_, report) = check_json(dir.path(), &["--rule", "alt-text"]);
    let places: Vec<(String, u64, u64)> = found(&report)
        .into_iter()
        .map(|f| (f.2, f.3, f.4))
        .collect();
    // The snippet is a page of its own too, so it is reported in itself as well, as
    // the `link` rule does.
    assert_eq!(
        places,
        [
            ("content/guide/page.md".to_string(), 5, 1),
            ("content/snippets/diagram.md".to_string(), 3, 1)
        ],
        "{report:#}"
    );
}

#[test]
fn the_policy_and_a_directive_set_or_silence_it() {
    let page = (
        "content/a.md",
        "# A\n\n<!-- shipshape-disable-next-line alt-text -- the caption below says it all -->\n![](flow.png)\n\n![](logo.png)\n",
    );
    let dir = book(&[page]);
    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!(code, 0, "{report:#}");
    let lines: Vec<u64> = found(&report).iter().map(|f| f.3).collect();
    assert_eq!(
        lines,
        [6],
        "the directive suppresses the next line only: {report:#}"
    );
    assert_eq!(report["summary"]["suppressed"], 1, "{report:#}");

    let strict = format!("{BOOK_TOML}\n[policy.severity]\nalt-text = \"error\"\n");
    let dir = handbook(&[
        ("book.toml", &strict),
        ("content/index.md", "# Home\n\n![](flow.png)\n"),
        ("content/flow.png", "png"),
    ]);
    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(found(&report)[0].1, "error", "{report:#}");

    let off = format!("{BOOK_TOML}\n[policy.severity]\nalt-text = \"off\"\n");
    let dir = handbook(&[
        ("book.toml", &off),
        ("content/index.md", "# Home\n\n![](flow.png)\n"),
        ("content/flow.png", "png"),
    ]);
    assert_no_findings(dir.path(), &[]);
}

#[test]
fn described_and_decorative_images_are_fine() {
    let dir = book(&[(
        "content/a.md",
        "# A\n\n![The request flow](flow.png)\n\n![`logo`][logo]\n\n<img src=\"logo.png\" alt=\"\"> <img alt src=logo.png>\n\n[logo]: logo.png\n",
    )]);
    assert_no_findings(dir.path(), &[]);
}
