//! Inline suppressions: `shipshape-disable-next-line`, `shipshape-disable` …
//! `shipshape-enable` in markdown comments and in front matter, what they suppress, how
//! runs count what they suppressed, and the `suppression` findings for directives that
//! are wrong or suppress nothing.

mod common;

use common::{TODAY, check_json, findings, handbook, messages, shipshape, stderr};
use tempfile::TempDir;

const BOOK_TOML: &str = "[book]\nsrc = \"content\"\n";

/// A handbook with a home page and these pages; without SUMMARY.md every page is reached.
fn book(pages: &[(&str, &str)]) -> TempDir {
    let mut files = vec![("book.toml", BOOK_TOML), ("content/index.md", "# Home\n")];
    files.extend_from_slice(pages);
    handbook(&files)
}

/// (rule, line, column) of each finding.
fn places(report: &serde_json::Value) -> Vec<(String, Option<u64>, Option<u64>)> {
    findings(report)
        .into_iter()
        .map(|(rule, _, _, line, column)| (rule, line, column))
        .collect()
}

fn found(rule: &str, line: u64, column: u64) -> (String, Option<u64>, Option<u64>) {
    (rule.to_string(), Some(line), Some(column))
}

/// The human report of `check` on `dir` and its exit code.
fn human(dir: &TempDir, extra: &[&str]) -> (i32, String) {
    let output = shipshape()
        .current_dir(dir.path())
        .args(["check", "--today", TODAY])
        .args(extra)
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
    )
}

#[test]
fn next_line_suppresses_its_rules_on_the_next_non_blank_line_and_is_counted() {
    let dir = book(&[(
        "content/a.md",
        "# A\n\n<!-- shipshape-disable-next-line link -- the page lands with the next release -->\n\n[gone](gone.md) and [also gone](also.md)\n[still reported](missing.md)\n",
    )]);
    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(places(&report), vec![found("link", 6, 1)], "{report:#}");
    assert_eq!(report["summary"]["suppressed"], 2, "{report:#}");
    assert_eq!(report["summary"]["errors"], 1, "{report:#}");
    let (code, text) = human(&dir, &[]);
    assert_eq!(code, 1);
    assert!(
        text.ends_with("shipshape: 1 error, 0 warnings in 3 files (link 1); 2 suppressed\n"),
        "{text}"
    );
    assert!(!text.contains("gone.md"), "{text}");
}

#[test]
fn a_run_whose_only_errors_are_suppressed_passes() {
    let dir = book(&[(
        "content/a.md",
        "# A\n<!-- shipshape-disable-next-line link -- generated at deploy -->\n[api](api/index.md)\n",
    )]);
    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!((code, places(&report)), (0, vec![]), "{report:#}");
    let (_, text) = human(&dir, &[]);
    assert_eq!(text, "shipshape: no findings in 3 files; 1 suppressed\n");
}

#[test]
fn disable_and_enable_suppress_the_lines_between() {
    let dir = book(&[(
        "content/a.md",
        "# A\n[before](one.md)\n<!-- shipshape-disable link -- imported from the old wiki -->\n[inside](two.md)\n\n[inside too](three.md)\n<!-- shipshape-enable link -->\n[after](four.md)\n",
    )]);
    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(
        places(&report),
        vec![found("link", 2, 1), found("link", 8, 1)],
        "{report:#}"
    );
    assert_eq!(report["summary"]["suppressed"], 2);
}

#[test]
fn only_a_disable_never_closed_suppresses_findings_without_a_line() {
    let files = |page: &'static str| {
        handbook(&[
            ("book.toml", BOOK_TOML),
            ("content/SUMMARY.md", "- [Home](index.md)\n"),
            ("content/index.md", "# Home\n"),
            ("content/old.md", page),
        ])
    };
    let open = files(
        "# Old\n\nKept for links from the wiki.\n<!-- shipshape-disable orphan -- reached from the wiki only -->\n",
    );
    let (code, report) = check_json(open.path(), &[]);
    assert_eq!((code, places(&report)), (0, vec![]), "{report:#}");
    assert_eq!(report["summary"]["suppressed"], 1);

    let closed = files(
        "# Old\n<!-- shipshape-disable orphan -- reached from the wiki only -->\ntext\n<!-- shipshape-enable orphan -->\n",
    );
    let (code, report) = check_json(closed.path(), &[]);
    assert_eq!(code, 0);
    assert_eq!(
        findings(&report)
            .into_iter()
            .map(|(rule, severity, file, line, _)| (rule, severity, file, line))
            .collect::<Vec<_>>(),
        vec![
            (
                "orphan".to_string(),
                "warning".to_string(),
                "content/old.md".to_string(),
                None
            ),
            (
                "suppression".to_string(),
                "warning".to_string(),
                "content/old.md".to_string(),
                Some(2)
            ),
        ],
        "{report:#}"
    );
    assert_eq!(
        messages(&report)[1],
        "`shipshape-disable orphan` suppresses nothing: no `orphan` finding between lines 2 and 4"
    );
}

#[test]
fn directives_in_code_are_text() {
    let dir = book(&[(
        "content/a.md",
        "# A\n\n```markdown\n<!-- shipshape-disable-next-line link -- an example -->\n```\n[gone](gone.md)\n\nWrite `<!-- shipshape-disable link -- like this -->` above it.\n[gone too](gone.md)\n",
    )]);
    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(
        places(&report),
        vec![found("link", 6, 1), found("link", 9, 1)],
        "{report:#}"
    );
    assert_eq!(report["summary"]["suppressed"], 0);
}

#[test]
fn front_matter_takes_yaml_comments() {
    let dir = book(&[
        (
            "content/a.md",
            "---\ntitle: A\n# shipshape-disable-next-line schema -- our theme reads `titel`\ntitel: B\n---\n\n# A\n",
        ),
        ("content/b.md", "---\ntitle: B\ntitel: B\n---\n\n# B\n"),
    ]);
    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!(code, 0);
    assert_eq!(
        findings(&report)
            .into_iter()
            .map(|(rule, _, file, line, _)| (rule, file, line))
            .collect::<Vec<_>>(),
        vec![("schema".to_string(), "content/b.md".to_string(), Some(3))],
        "{report:#}"
    );
    assert_eq!(report["summary"]["suppressed"], 1);
}

#[test]
fn a_directive_without_a_reason_suppresses_and_is_a_warning() {
    let dir = book(&[(
        "content/a.md",
        "# A\n<!-- shipshape-disable-next-line link -->\n[gone](gone.md)\n",
    )]);
    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(places(&report), vec![found("suppression", 2, 1)]);
    assert_eq!(
        messages(&report),
        ["`shipshape-disable-next-line link` gives no reason"]
    );
    assert_eq!(report["summary"]["suppressed"], 1);
    let help = report["findings"][0]["help"].as_str().unwrap();
    assert!(
        help.contains("`<!-- shipshape-disable-next-line link -- REASON -->`"),
        "{help}"
    );
    // A warning, so --strict fails on it.
    let (code, _) = check_json(dir.path(), &["--strict"]);
    assert_eq!(code, 1);
}

#[test]
fn unknown_rules_and_unused_directives_are_warnings_where_they_are_written() {
    let dir = book(&[(
        "content/a.md",
        "# A\n\n<!-- shipshape-disable-next-line lnk -- moved next week -->\n[gone](gone.md)\n<!-- shipshape-disable-next-line link -- fixed since -->\nAll links here work.\n",
    )]);
    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(
        places(&report),
        vec![
            found("suppression", 3, 34),
            found("link", 4, 1),
            found("suppression", 5, 34),
        ],
        "{report:#}"
    );
    assert_eq!(
        messages(&report)[0],
        "`lnk` in `shipshape-disable-next-line` is no rule"
    );
    assert!(
        report["findings"][0]["help"]
            .as_str()
            .unwrap()
            .starts_with("did you mean `link`?")
    );
    assert_eq!(
        messages(&report)[2],
        "`shipshape-disable-next-line link` suppresses nothing: line 6 has no `link` finding"
    );
}

#[test]
fn suppression_findings_cannot_be_suppressed() {
    let dir = book(&[(
        "content/a.md",
        "# A\n<!-- shipshape-disable suppression -- quiet, please -->\n<!-- shipshape-disable-next-line link -->\n[gone](gone.md)\n",
    )]);
    let (_, report) = check_json(dir.path(), &[]);
    assert_eq!(
        messages(&report),
        [
            "`suppression` findings cannot be suppressed",
            "`shipshape-disable-next-line link` gives no reason",
        ],
        "{report:#}"
    );
    assert_eq!(report["summary"]["suppressed"], 1);
}

#[test]
fn the_policy_applies_before_suppressions_and_to_their_findings() {
    let dir = handbook(&[
        (
            "book.toml",
            "[book]\nsrc = \"content\"\n\n[policy.severity]\nsuppression = \"error\"\n\n[[policy.override]]\npaths = [\"legacy/**\"]\nseverity = { link = \"off\" }\n",
        ),
        ("content/index.md", "# Home\n"),
        (
            "content/legacy/old.md",
            "# Old\n<!-- shipshape-disable-next-line link -- the policy already switches it off here -->\n[gone](gone.md)\n",
        ),
        (
            "content/a.md",
            "# A\n<!-- shipshape-disable-next-line link -->\n[gone](gone.md)\n",
        ),
    ]);
    let (code, report) = check_json(dir.path(), &[]);
    // The reasonless directive is an error now; the one in legacy/ is not called unused,
    // because the policy switches `link` off there: nothing was looked for.
    assert_eq!(code, 1);
    assert_eq!(
        findings(&report)
            .into_iter()
            .map(|(rule, severity, file, ..)| (rule, severity, file))
            .collect::<Vec<_>>(),
        vec![(
            "suppression".to_string(),
            "error".to_string(),
            "content/a.md".to_string()
        )],
        "{report:#}"
    );
    assert_eq!(report["summary"]["suppressed"], 1);
}

#[test]
fn a_rule_left_out_of_the_run_is_not_called_unused() {
    let dir = book(&[(
        "content/a.md",
        "# A\n<!-- shipshape-disable-next-line link -- fixed since -->\nfine\n<!-- shipshape-disable-next-line schema -->\n[gone](gone.md)\n",
    )]);
    let (_, report) = check_json(dir.path(), &[]);
    assert_eq!(
        places(&report),
        vec![
            found("suppression", 2, 34),
            found("suppression", 4, 1),
            found("suppression", 4, 34),
            found("link", 5, 1),
        ],
        "{report:#}"
    );
    let (code, report) = check_json(dir.path(), &["--skip-rule", "link"]);
    assert_eq!(code, 0);
    assert_eq!(
        messages(&report),
        [
            "`shipshape-disable-next-line schema` gives no reason",
            "`shipshape-disable-next-line schema` suppresses nothing: line 5 has no `schema` finding",
        ],
        "{report:#}"
    );
    let (_, report) = check_json(dir.path(), &["--rule", "link"]);
    assert_eq!(places(&report), vec![found("link", 5, 1)], "{report:#}");
}

#[test]
fn build_leaves_suppressed_findings_off_the_health_page_and_counts_them() {
    let dir = book(&[(
        "content/a.md",
        "# A\n<!-- shipshape-disable-next-line link -- generated at deploy -->\n[api](generated-api.md)\n[old](old-notes.md)\n",
    )]);
    let out = dir.path().join("site");
    let output = common::build(dir.path(), &out);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let health = common::page(&out, "health.html");
    assert!(health.contains("old-notes.md"), "{health}");
    assert!(!health.contains("generated-api.md"), "{health}");
    assert!(
        stderr(&output).contains("(link 1); 1 suppressed\n"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn the_example_in_explain_is_what_check_prints() {
    let dir = handbook(&[
        ("book.toml", BOOK_TOML),
        ("content/index.md", "# Home\n"),
        (
            "content/guide/intro.md",
            "# Intro\n\nOne.\n\nTwo.\n\n<!-- shipshape-disable-next-line lnk -- moved next week -->\nThree.\n",
        ),
    ]);
    let (_, text) = human(&dir, &[]);
    let explain = shipshape()
        .args(["explain", "suppression"])
        .output()
        .unwrap();
    let explain = String::from_utf8(explain.stdout).unwrap();
    let example = explain.split("\nExample\n\n").nth(1).unwrap().trim_end();
    assert!(text.starts_with(example), "{text}\n---\n{example}");
}

#[test]
fn summary_md_takes_directives_too() {
    let dir = handbook(&[
        ("book.toml", BOOK_TOML),
        (
            "content/SUMMARY.md",
            "# Summary\n\n- [Home](index.md)\n<!-- shipshape-disable-next-line link -- written by the release job -->\n- [Changelog](changelog.md)\n- [Missing](missing.md)\n",
        ),
        ("content/index.md", "# Home\n"),
    ]);
    let (_, report) = check_json(dir.path(), &[]);
    assert_eq!(
        findings(&report)
            .into_iter()
            .map(|(rule, _, file, line, _)| (rule, file, line))
            .collect::<Vec<_>>(),
        vec![(
            "link".to_string(),
            "content/SUMMARY.md".to_string(),
            Some(6)
        )],
        "{report:#}"
    );
    assert_eq!(report["summary"]["suppressed"], 1);
}

#[test]
fn switching_the_rule_off_keeps_suppressions_working() {
    let dir = handbook(&[
        (
            "book.toml",
            "[book]\nsrc = \"content\"\n\n[policy.severity]\nsuppression = \"off\"\n",
        ),
        ("content/index.md", "# Home\n"),
        (
            "content/a.md",
            "# A\n<!-- shipshape-disable-next-line link -->\n[gone](gone.md)\n<!-- shipshape-disable-next-line lnk -->\n",
        ),
    ]);
    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!((code, places(&report)), (0, vec![]), "{report:#}");
    assert_eq!(report["summary"]["suppressed"], 1);
}

#[test]
fn what_a_directive_says_is_escaped_in_messages() {
    let dir = book(&[(
        "content/a.md",
        "# A\n<!-- shipshape-disable-next-line li\u{1b}[31mnk -- x -->\ntext\n<!-- shipshape-disable-next-line averyveryveryveryveryveryveryverylongname<script> -- x -->\ntext\n",
    )]);
    let (_, report) = check_json(dir.path(), &[]);
    assert_eq!(
        messages(&report),
        [
            "`li\\u{1b}[31mnk` in `shipshape-disable-next-line` is no rule",
            "`averyveryveryveryveryveryveryverylongnam…` in `shipshape-disable-next-line` is no rule",
        ],
        "{report:#}"
    );
    let (_, text) = human(&dir, &[]);
    assert!(!text.contains('\u{1b}'), "{text:?}");
}
