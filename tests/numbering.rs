//! mdBook's section labels: the chapters of SUMMARY.md's lists are numbered (`1.`,
//! `1.2.`), on across separators and parts, drafts too; prefix and suffix chapters are
//! not. The sidebar shows the number before the title, as mdBook's does, unless
//! `[output.html] no-section-label = true`.

mod common;

use std::collections::BTreeSet;

use common::*;

/// Prefix chapters, two parts, nested lists, a separator, drafts (one with a child) and
/// suffix chapters.
const SUMMARY: &str = "# Summary

[Preface](preface.md)

# Getting started

- [Install](install.md)
    - [Linux](install/linux.md)
    - [Windows]()
        - [WSL](install/wsl.md)
- [Configure](configure.md)

---

- [Usage](usage.md)

# Reference

1. [Commands](commands.md)
    1. [Build](commands/build.md)
2. [Later]()

[Appendix](appendix.md)

[Credits](credits.md)
";

const PAGES: &[&str] = &[
    "preface",
    "install",
    "install/linux",
    "install/wsl",
    "configure",
    "usage",
    "commands",
    "commands/build",
    "appendix",
    "credits",
];

/// What `mdbook build` (mdBook 0.5.4) shows for this book in its sidebar (`toc.html`),
/// entry by entry: the number, then the title. Recorded by building the same book with
/// mdBook; the test compares with mdBook itself too when `mdbook` 0.5 is installed.
const MDBOOK: &[(&str, &str)] = &[
    ("", "Preface"),
    ("1.", "Install"),
    ("1.1.", "Linux"),
    ("1.2.", "Windows"),
    ("1.2.1.", "WSL"),
    ("2.", "Configure"),
    ("3.", "Usage"),
    ("4.", "Commands"),
    ("4.1.", "Build"),
    ("5.", "Later"),
    ("", "Appendix"),
    ("", "Credits"),
];

fn book(html: &str) -> tempfile::TempDir {
    let toml = format!("[book]\ntitle = \"Numbers\"\n{html}");
    let mut files: Vec<(String, String)> = vec![
        ("book.toml".into(), toml),
        ("src/SUMMARY.md".into(), SUMMARY.into()),
    ];
    for page in PAGES {
        let title = page.rsplit('/').next().unwrap();
        files.push((format!("src/{page}.md"), format!("# {title}\n")));
    }
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(path, text)| (path.as_str(), text.as_str()))
        .collect();
    handbook(&files)
}

/// The (number, title) of each entry of the sidebar of `html` (shipshape's or mdBook's
/// markup), in order.
fn entries(html: &str, opening: &str) -> Vec<(String, String)> {
    html.split(opening)
        .skip(1)
        .map(|entry| {
            // Up to the end of the entry's link or draft.
            let entry = &entry[..entry
                .find("</a>")
                .into_iter()
                .chain(entry.find("</span>"))
                .min()
                .unwrap()];
            let entry = &entry[entry.find('>').unwrap() + 1..];
            let entry = entry
                .strip_prefix("<a ")
                .map_or(entry, |rest| &rest[rest.find('>').unwrap() + 1..]);
            let entry = entry
                .strip_prefix("<span class=\"nav-draft\">")
                .or_else(|| entry.strip_prefix("<span>"))
                .unwrap_or(entry);
            // mdBook writes `<strong aria-hidden="true">1.</strong>`, shipshape `<b>1.</b>`.
            let numbered = entry
                .strip_prefix("<b>")
                .and_then(|rest| rest.split_once("</b> "))
                .or_else(|| {
                    entry
                        .strip_prefix("<strong aria-hidden=\"true\">")
                        .and_then(|rest| rest.split_once("</strong> "))
                });
            match numbered {
                Some((number, title)) => (number.to_string(), title.to_string()),
                None => (String::new(), entry.to_string()),
            }
        })
        .collect()
}

/// Every sidebar entry shipshape shows on some page of the site. Each page's sidebar is
/// pruned (ADR 0005), so the whole tree is the union of them.
fn shipshape_entries(out: &std::path::Path) -> BTreeSet<(String, String)> {
    let mut all = BTreeSet::new();
    for page_path in PAGES {
        let html = page(out, &format!("{page_path}.html"));
        all.extend(entries(&html, "<li class=\"nav-item"));
    }
    all
}

#[test]
fn chapters_are_numbered_as_mdbook_numbers_them() {
    let dir = book("");
    let out = dir.path().join("site");
    let output = build(dir.path(), &out);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let expected: BTreeSet<(String, String)> = mdbook_numbers().into_iter().collect();
    assert_eq!(shipshape_entries(&out), expected);

    // The whole top level, in mdBook's order, on one page.
    let top: Vec<(String, String)> = entries(&page(&out, "usage.html"), "<li class=\"nav-item");
    let mdbook_top: Vec<(String, String)> = mdbook_numbers()
        .into_iter()
        .filter(|(number, _)| number.matches('.').count() <= 1)
        .collect();
    assert_eq!(top, mdbook_top);

    let linux = page(&out, "install/linux.html");
    assert!(
        linux.contains("<a href=\"linux.html\" aria-current=\"page\"><b>1.1.</b> Linux</a>"),
        "{linux}"
    );
    assert!(
        linux.contains("<span class=\"nav-draft\"><b>1.2.</b> Windows</span>"),
        "{linux}"
    );
    // Only the sidebar has numbers: not the title, the breadcrumbs or prev/next.
    assert_eq!(linux.matches("<b>").count(), 8, "{linux}");
    assert!(linux.contains("<title>linux · Numbers<"), "{linux}");
    assert_no_findings(dir.path(), &[]);

    if let Some(mdbook) = mdbook_entries(dir.path()) {
        assert_eq!(mdbook, mdbook_numbers());
    }
}

/// `MDBOOK`, owned.
fn mdbook_numbers() -> Vec<(String, String)> {
    MDBOOK
        .iter()
        .map(|(number, title)| (number.to_string(), title.to_string()))
        .collect()
}

/// The sidebar `mdbook build` writes for the book at `root`, when mdBook 0.5 is installed.
fn mdbook_entries(root: &std::path::Path) -> Option<Vec<(String, String)>> {
    let version = std::process::Command::new("mdbook")
        .arg("--version")
        .output()
        .ok()?;
    if !String::from_utf8_lossy(&version.stdout).starts_with("mdbook v0.5.") {
        return None;
    }
    let out = root.join("mdbook-site");
    let status = std::process::Command::new("mdbook")
        .arg("build")
        .arg(root)
        .arg("-d")
        .arg(&out)
        .output()
        .ok()?;
    assert!(status.status.success(), "{}", stderr(&status));
    let toc = page(&out, "toc.html");
    Some(entries(&toc, "<span class=\"chapter-link-wrapper\">"))
}

#[test]
fn no_section_label_leaves_the_numbers_out() {
    let dir = book("[output.html]\nno-section-label = true\n");
    let out = dir.path().join("site");
    let output = build(dir.path(), &out);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    for page_path in PAGES {
        let html = page(&out, &format!("{page_path}.html"));
        assert!(!html.contains("<strong aria-hidden"), "{page_path}: {html}");
    }
    assert!(page(&out, "install/linux.html").contains("aria-current=\"page\">Linux</a>"));
    assert_no_findings(dir.path(), &[]);
}

#[test]
fn folder_navigation_has_no_numbers() {
    let dir = handbook(&[
        ("book.toml", "[book]\ntitle = \"Folders\"\n"),
        ("src/README.md", "# Home\n"),
        ("src/guide/index.md", "# Guide\n"),
        ("src/guide/one.md", "# One\n"),
    ]);
    let out = dir.path().join("site");
    let output = build(dir.path(), &out);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let one = page(&out, "guide/one.html");
    assert!(one.contains("aria-current=\"page\">One</a>"), "{one}");
    assert!(!one.contains("<strong aria-hidden"), "{one}");
}

#[test]
fn preprocessors_see_the_same_numbers() {
    // The book JSON mdBook's preprocessors get carries the numbers the sidebar shows.
    let dir = book("");
    let script = fixture_path("preprocessors/shout.py");
    write(
        dir.path(),
        "book.toml",
        &format!(
            "[book]\ntitle = \"Numbers\"\n[preprocessor.shout]\ncommand = \"python3 '{}' --record book.json\"\n",
            script.display()
        ),
    );
    let out = dir.path().join("site");
    let output = build(dir.path(), &out);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let sent: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("book.json")).unwrap())
            .unwrap();
    let mut numbers = Vec::new();
    fn walk(items: &serde_json::Value, out: &mut Vec<(String, String)>) {
        for item in items.as_array().unwrap() {
            if let Some(chapter) = item.get("Chapter") {
                let number = match chapter["number"].as_array() {
                    Some(parts) => parts.iter().map(|part| format!("{part}.")).collect(),
                    None => String::new(),
                };
                out.push((number, chapter["name"].as_str().unwrap().to_string()));
                walk(&chapter["sub_items"], out);
            }
        }
    }
    walk(&sent[1]["items"], &mut numbers);
    assert_eq!(numbers, mdbook_numbers());
    assert_eq!(shipshape_entries(&out).len(), MDBOOK.len());
}
