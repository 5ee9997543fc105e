//! Malformed input: every case is a finding with file, line, column and a hint, or an
//! exit 2 with the same, never a panic and never a half-written site.

mod common;

use common::*;
use serde_json::Value;

const BOOK: &str = "[book]\ntitle = \"T\"\nsrc = \"content\"\n";

/// Checks a handbook made of `files` plus a book.toml; returns the single finding.
fn only_finding(files: &[(&str, &str)]) -> Value {
    let mut all = vec![("book.toml", BOOK)];
    all.extend_from_slice(files);
    let dir = handbook(&all);
    let (code, report) = check_json(dir.path(), &[]);
    let findings = report["findings"].as_array().unwrap().clone();
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let finding = findings[0].clone();
    assert_eq!(code, if finding["severity"] == "error" { 1 } else { 0 });
    assert!(
        !finding["help"].as_str().unwrap_or_default().is_empty(),
        "no hint: {finding}"
    );

    // build renders what it can and swaps the site in.
    let out = tempfile::tempdir().unwrap();
    let output = build(dir.path(), &out.path().join("site"));
    assert_eq!(output.status.code(), Some(code), "{}", stderr(&output));
    assert!(out.path().join("site/health.html").is_file());
    finding
}

fn at(finding: &Value) -> (String, String, Option<u64>, Option<u64>) {
    (
        finding["rule"].as_str().unwrap().into(),
        finding["file"].as_str().unwrap().into(),
        finding["line"].as_u64(),
        finding["column"].as_u64(),
    )
}

fn expect(finding: &Value, rule: &str, file: &str, line: u64, column: u64) {
    assert_eq!(
        at(finding),
        (rule.into(), file.into(), Some(line), Some(column)),
        "{finding:#}"
    );
}

#[test]
fn front_matter_that_is_not_yaml() {
    let finding = only_finding(&[(
        "content/index.md",
        "---\ntitle: [unclosed\nweight: 1\n---\n# Home\n",
    )]);
    assert_eq!(finding["rule"], "syntax");
    assert_eq!(finding["file"], "content/index.md");
    assert!(finding["line"].as_u64().unwrap() >= 2, "{finding}");
}

#[test]
fn front_matter_with_a_wrong_type() {
    let finding = only_finding(&[(
        "content/index.md",
        "---\ntitle: Home\nweight: heavy\n---\n# Home\n",
    )]);
    expect(&finding, "schema", "content/index.md", 3, 9);
}

#[test]
fn front_matter_that_is_a_list() {
    let finding = only_finding(&[("content/index.md", "---\n- a\n- b\n---\n# Home\n")]);
    expect(&finding, "schema", "content/index.md", 2, 1);
}

#[test]
fn front_matter_never_closed() {
    let finding = only_finding(&[("content/index.md", "---\ntitle: Home\n\n# Home\n")]);
    expect(&finding, "syntax", "content/index.md", 1, 1);
}

#[test]
fn summary_item_without_a_link() {
    let finding = only_finding(&[
        (
            "content/SUMMARY.md",
            "# Summary\n\n- [Home](index.md)\n- Just words\n",
        ),
        ("content/index.md", "# Home\n"),
    ]);
    expect(&finding, "syntax", "content/SUMMARY.md", 4, 1);
}

#[test]
fn summary_entry_with_two_links() {
    let finding = only_finding(&[
        (
            "content/SUMMARY.md",
            "# Summary\n\n- [Home](index.md) and [Other](index.md)\n",
        ),
        ("content/index.md", "# Home\n"),
    ]);
    expect(&finding, "syntax", "content/SUMMARY.md", 3, 24);
    assert_eq!(finding["severity"], "warning", "mdBook ignores it too");
}

#[test]
fn summary_text_that_is_not_a_link() {
    let finding = only_finding(&[
        (
            "content/SUMMARY.md",
            "# Summary\n\n[Home](index.md)\n\nSome prose here.\n",
        ),
        ("content/index.md", "# Home\n"),
    ]);
    expect(&finding, "syntax", "content/SUMMARY.md", 5, 1);
}

#[test]
fn summary_entry_for_a_missing_file() {
    let finding = only_finding(&[
        (
            "content/SUMMARY.md",
            "# Summary\n\n- [Home](index.md)\n- [Gone](gone.md)\n",
        ),
        ("content/index.md", "# Home\n"),
    ]);
    expect(&finding, "link", "content/SUMMARY.md", 4, 3);
}

#[test]
fn include_of_a_missing_file() {
    let finding = only_finding(&[(
        "content/index.md",
        "---\ntitle: Home\n---\n# Home\n\nText {{#include nope.md}}\n",
    )]);
    expect(&finding, "include", "content/index.md", 6, 6);
}

#[test]
fn include_of_a_missing_anchor() {
    let finding = only_finding(&[
        (
            "content/index.md",
            "# Home\n\n{{#include part.txt:setup}}\n",
        ),
        (
            "content/part.txt",
            "// ANCHOR: other\nx\n// ANCHOR_END: other\n",
        ),
    ]);
    expect(&finding, "include", "content/index.md", 3, 1);
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .contains("ANCHOR: setup")
    );
}

#[test]
fn include_with_a_bad_line_number() {
    let finding = only_finding(&[
        (
            "content/index.md",
            "# Home\n\n{{#include part.txt:two:4}}\n",
        ),
        ("content/part.txt", "a\nb\n"),
    ]);
    expect(&finding, "include", "content/index.md", 3, 1);
}

#[test]
fn includes_that_include_each_other() {
    let finding = only_finding(&[
        ("content/index.md", "# Home\n\n{{#include a.txt}}\n"),
        ("content/a.txt", "{{#include b.txt}}\n"),
        ("content/b.txt", "{{#include a.txt}}\n"),
    ]);
    expect(&finding, "include", "content/index.md", 3, 1);
}

#[test]
fn a_page_that_is_not_utf8() {
    let dir = handbook(&[("book.toml", BOOK), ("content/index.md", "# Home\n")]);
    std::fs::write(dir.path().join("content/latin1.md"), b"# Caf\xe9\n").unwrap();
    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let found = findings(&report);
    assert_eq!(
        found,
        [(
            "syntax".into(),
            "error".into(),
            "content/latin1.md".into(),
            Some(1),
            Some(6)
        )]
    );
}

/// Runs check on a handbook whose book.toml is `toml`; expects exit 2 and returns stderr.
fn invalid_config(toml: &str) -> String {
    let dir = handbook(&[("book.toml", toml), ("content/index.md", "# Home\n")]);
    let out = dir.path().join("site");
    let output = build(dir.path(), &out);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(!out.exists(), "exit 2 writes nothing");
    let output = shipshape().arg("check").arg(dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    stderr(&output)
}

#[test]
fn book_toml_that_does_not_parse() {
    let text = invalid_config("[book]\ntitle = \"T\nsrc = \"content\"\n");
    assert!(text.contains("error[syntax]"), "{text}");
    assert!(text.contains("book.toml:2:"), "{text}");
    assert!(text.contains("help:"), "{text}");
}

#[test]
fn book_toml_with_an_unknown_shipshape_key() {
    let text = invalid_config("[book]\nsrc = \"content\"\n[shipshape]\nbase_url = \"/\"\n");
    assert!(
        text.contains("unknown key in [shipshape]: `base_url`"),
        "{text}"
    );
    assert!(text.contains("book.toml:4:1"), "{text}");
    assert!(text.contains("did you mean `base-url`?"), "{text}");
}

#[test]
fn book_toml_with_an_unknown_policy_key_or_rule() {
    let text = invalid_config("[book]\nsrc = \"content\"\n[policy.runbook]\nmax_age = \"90d\"\n");
    assert!(text.contains("did you mean `max-age`?"), "{text}");
    let text = invalid_config("[book]\nsrc = \"content\"\n[policy.severity]\norphans = \"off\"\n");
    assert!(text.contains("did you mean `orphan`?"), "{text}");
}

#[test]
fn book_toml_with_a_wrong_value() {
    let text =
        invalid_config("[book]\nsrc = \"content\"\n[policy.runbook]\nmax-age = \"three months\"\n");
    assert!(text.contains("error[schema]"), "{text}");
    assert!(text.contains("book.toml:4:"), "{text}");
    let text = invalid_config("[book]\nsrc = \"content\"\n[policy.severity]\norphan = \"loud\"\n");
    assert!(text.contains("book.toml:4:"), "{text}");
    let text = invalid_config(
        "[book]\nsrc = \"content\"\n[shipshape]\nbase-url = \"handbook.example.com\"\n",
    );
    assert!(
        text.contains("book.toml:4:") && text.contains("https://handbook.example.com/"),
        "a base-url without a scheme or a leading `/` says how to write one: {text}"
    );
    for odd in ["90日", "é", "999999999w", ""] {
        let text = invalid_config(&format!(
            "[book]\nsrc = \"content\"\n[policy.service]\nmax-age = \"{odd}\"\n"
        ));
        assert!(
            text.contains("error[schema]") && text.contains("book.toml:4:"),
            "{odd}: {text}"
        );
    }
}

#[test]
fn unknown_keys_in_mdbook_tables_are_warnings_only() {
    let dir = handbook(&[
        (
            "book.toml",
            "[book]\nsrc = \"content\"\nsubtitle = \"x\"\n[output.html]\nfold.enable = true\n[mystery]\nx = 1\n",
        ),
        ("content/index.md", "# Home\n"),
    ]);
    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!(code, 0);
    let found = findings(&report);
    assert_eq!(
        found,
        [
            (
                "schema".into(),
                "warning".into(),
                "book.toml".into(),
                Some(3),
                Some(1)
            ),
            (
                "schema".into(),
                "warning".into(),
                "book.toml".into(),
                Some(6),
                Some(2)
            ),
        ]
    );
}

#[test]
fn a_missing_content_folder() {
    let dir = handbook(&[("book.toml", "[book]\nsrc = \"nowhere\"\n")]);
    let output = shipshape().arg("check").arg(dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("content folder"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_page_at_a_path_shipshape_reserves() {
    let finding = only_finding(&[
        ("content/index.md", "# Home\n"),
        ("content/health.md", "# Mine\n"),
    ]);
    assert_eq!(
        (finding["rule"].as_str(), finding["file"].as_str()),
        (Some("schema"), Some("content/health.md"))
    );
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .contains("docs-health page")
    );
}

#[test]
fn a_file_where_shipshape_writes_its_sitemap() {
    let finding = only_finding(&[
        ("content/index.md", "# Home\n"),
        ("content/sitemap.xml", "<urlset/>\n"),
    ]);
    assert_eq!(
        (finding["rule"].as_str(), finding["file"].as_str()),
        (Some("schema"), Some("content/sitemap.xml"))
    );
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .contains("the file is not copied")
    );
}

#[test]
fn a_symbolic_link_loop_in_the_content_folder() {
    let dir = handbook(&[("book.toml", BOOK), ("content/index.md", "# Home\n")]);
    std::os::unix::fs::symlink("..", dir.path().join("content/loop")).unwrap();
    std::os::unix::fs::symlink("nowhere.md", dir.path().join("content/dangling.md")).unwrap();
    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let found = findings(&report);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found.iter().all(|f| f.0 == "link"), "{found:?}");
}

#[test]
fn a_misspelt_shipshape_or_policy_table_is_an_error_with_a_suggestion() {
    let text = invalid_config("[book]\nsrc = \"content\"\n[shipshpae]\nbase-url = \"/docs/\"\n");
    assert!(text.contains("error[schema]"), "{text}");
    assert!(text.contains("unknown table: `shipshpae`"), "{text}");
    assert!(text.contains("book.toml:3:2"), "{text}");
    assert!(text.contains("did you mean `[shipshape]`?"), "{text}");
    let text = invalid_config("[book]\nsrc = \"content\"\n[polcy.severity]\norphan = \"off\"\n");
    assert!(text.contains("did you mean `[policy]`?"), "{text}");
}

#[test]
fn a_misspelt_book_key_stays_a_warning_with_a_suggestion() {
    let dir = handbook(&[
        ("book.toml", "[book]\nsrc = \"content\"\ntitel = \"T\"\n"),
        ("content/index.md", "# Home\n"),
    ]);
    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!(code, 0);
    let finding = &report["findings"][0];
    assert_eq!(finding["severity"], "warning");
    assert_eq!(finding["help"], "did you mean `title`?");
}

#[test]
fn a_front_matter_type_error_says_what_was_expected_and_found() {
    let finding = only_finding(&[("content/index.md", "---\nweight: first\n---\n# Home\n")]);
    expect(&finding, "schema", "content/index.md", 2, 9);
    assert_eq!(
        finding["message"],
        "front matter: `weight` expects a whole number, found `first`"
    );
    let finding = only_finding(&[("content/index.md", "---\ndraft: maybe\n---\n# Home\n")]);
    assert_eq!(
        finding["message"],
        "front matter: `draft` expects `true` or `false`, found `maybe`"
    );
}

#[test]
fn a_near_miss_of_a_front_matter_key_is_a_warning_other_keys_are_free() {
    let finding = only_finding(&[(
        "content/index.md",
        "---\ntitel: Home\nlayout: wide\nstatus: draft\n---\n# Home\n",
    )]);
    assert_eq!(finding["severity"], "warning");
    expect(&finding, "schema", "content/index.md", 2, 1);
    assert!(
        finding["help"]
            .as_str()
            .unwrap()
            .starts_with("did you mean `title`?"),
        "{finding}"
    );
    // A runbook's own keys count on runbook pages only.
    let dir = handbook(&[
        ("book.toml", BOOK),
        (
            "content/index.md",
            "# Home\n\n[r](runbooks/db.md) [g](guide.md)\n",
        ),
        ("content/guide.md", "---\nowners: [a]\n---\n# Guide\n"),
        (
            "content/runbooks/db.md",
            "---\nservice: db\nowners: [team-db]\n---\n# Database\n",
        ),
    ]);
    let (_, report) = check_json(dir.path(), &[]);
    let near: Vec<(&str, &str)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "schema")
        .map(|f| (f["file"].as_str().unwrap(), f["help"].as_str().unwrap()))
        .collect();
    assert_eq!(near.len(), 1, "{near:?}");
    assert_eq!(near[0].0, "content/runbooks/db.md");
    assert!(near[0].1.starts_with("did you mean `owner`?"), "{near:?}");
}

/// Runs `check ARGS` from `cwd`; expects exit 2 and returns stderr.
fn cannot_run(cwd: &std::path::Path, args: &[&str]) -> String {
    let output = shipshape()
        .arg("check")
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    stderr(&output)
}

#[test]
fn pointing_at_the_wrong_place_names_the_folder_that_holds_book_toml() {
    let dir = handbook(&[("hb/book.toml", BOOK), ("hb/content/index.md", "# Home\n")]);
    // A file first is a file to report on, from a folder that must be the handbook's.
    let text = cannot_run(dir.path(), &["hb/book.toml"]);
    assert!(
        text.contains("hb/book.toml is in the handbook at `hb`"),
        "{text}"
    );
    assert!(
        text.contains("`shipshape check hb hb/book.toml`; `shipshape check hb` checks all of it"),
        "{text}"
    );
    let text = cannot_run(dir.path(), &["hb/content"]);
    assert!(
        text.contains("hb/content is inside the handbook at `hb`"),
        "{text}"
    );
    let text = cannot_run(dir.path(), &[]);
    assert!(
        text.contains(
            "found book.toml in `hb`: pass the handbook's folder, as in `shipshape check hb`"
        ),
        "{text}"
    );
    assert!(!text.contains("shipshape init"), "{text}");
    let empty = tempfile::tempdir().unwrap();
    let text = cannot_run(empty.path(), &[]);
    assert!(text.contains("shipshape init"), "{text}");
}

#[test]
fn a_date_in_another_form_names_the_form_expected() {
    let dir = handbook(&[("book.toml", BOOK), ("content/index.md", "# Home\n")]);
    for bad in ["01/12/2026", "2026-13-01", "tomorrow"] {
        let text = cannot_run(dir.path(), &["--today", bad]);
        assert!(text.contains("YYYY-MM-DD"), "{bad}: {text}");
        assert!(text.contains(bad), "{bad}: {text}");
    }
}

#[test]
fn a_book_toml_warning_is_shown_when_the_command_then_cannot_run() {
    let dir = handbook(&[
        ("book.toml", "[book]\nscr = \"content\"\n"),
        ("content/index.md", "# Home\n"),
    ]);
    let output = shipshape().arg("check").arg(dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    assert!(text.contains("did you mean `src`?"), "{text}");
    assert!(text.contains("content folder"), "{text}");
}

#[test]
fn a_quoted_near_miss_is_a_warning_but_a_line_of_a_string_is_not() {
    let finding = only_finding(&[(
        "content/index.md",
        "---\ndescription: \"a long\ntitel: inside the string\"\n\"wieght\": 3\n---\n# Home\n",
    )]);
    expect(&finding, "schema", "content/index.md", 4, 1);
    assert!(
        finding["help"]
            .as_str()
            .unwrap()
            .starts_with("did you mean `weight`?")
    );
}

#[test]
fn a_failing_nested_include_names_the_file_that_holds_it() {
    let finding = only_finding(&[
        ("content/index.md", "# Home\n\n{{#include parts/a.txt}}\n"),
        ("content/parts/a.txt", "{{#include missing.md}}\n"),
    ]);
    expect(&finding, "include", "content/index.md", 3, 1);
    assert!(
        finding["message"].as_str().unwrap().starts_with(
            "in `content/parts/a.txt`, which this includes: cannot include `missing.md`"
        ),
        "{finding}"
    );
}
