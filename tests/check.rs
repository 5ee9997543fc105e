//! `shipshape check`: findings, exit codes and report formats, through the binary.

mod common;

use common::*;

#[test]
fn broken_links_anchors_summary_entries_and_orphans_are_found_where_they_are() {
    let dir = fixture("broken");
    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let found = findings(&report);
    let expected = [
        ("link", "error", "content/SUMMARY.md", Some(6), Some(3)),
        ("orphan", "warning", "content/guide/unlisted.md", None, None),
        ("link", "error", "content/guide/intro.md", Some(9), Some(5)),
        ("link", "error", "content/guide/intro.md", Some(9), Some(31)),
        (
            "link",
            "error",
            "content/guide/intro.md",
            Some(10),
            Some(34),
        ),
        ("link", "error", "content/index.md", Some(3), Some(10)),
    ];
    for (rule, severity, file, line, column) in expected {
        let wanted = (
            rule.to_string(),
            severity.to_string(),
            file.to_string(),
            line,
            column,
        );
        assert!(found.contains(&wanted), "missing {wanted:?} in {found:#?}");
    }
    assert_eq!(found.len(), expected.len(), "{found:#?}");
    assert_eq!(report["summary"]["errors"], 5);
    assert_eq!(report["summary"]["warnings"], 1);
    assert_eq!(report["version"], 1);
}

#[test]
fn a_misspelt_anchor_gets_a_suggestion() {
    let dir = fixture("broken");
    let (_, report) = check_json(dir.path(), &[]);
    let finding = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["file"] == "content/index.md")
        .unwrap();
    assert_eq!(
        finding["help"].as_str().unwrap().split('?').next().unwrap(),
        "did you mean `guide/intro.md#getting-started`",
        "the suggestion is the whole link, written as the link is"
    );
}

#[test]
fn human_output_reads_like_rustc() {
    let dir = fixture("broken");
    let output = shipshape()
        .args(["check", "--today", TODAY])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8(output.stdout).unwrap();
    insta::assert_snapshot!("human_report", text);
}

#[test]
fn human_output_names_files_from_where_the_user_stands() {
    let repo = tempfile::tempdir().unwrap();
    copy_tree(&fixture_path("broken"), &repo.path().join("docs"));
    let output = shipshape()
        .args(["check", "docs", "--today", TODAY])
        .current_dir(repo.path())
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains(" --> docs/content/index.md:3:10"), "{text}");
    assert!(!text.contains(" --> content/"), "{text}");
    // An absolute path inside the current folder is shown relative to it too.
    let output = shipshape()
        .args(["check", "--today", TODAY])
        .arg(repo.path().join("docs"))
        .current_dir(repo.path())
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains(" --> docs/content/index.md:3:10"), "{text}");
    // JSON keeps naming files from the handbook root.
    let (_, report) = check_json(&repo.path().join("docs"), &[]);
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["file"] == "content/index.md")
    );
}

#[test]
fn warnings_fail_only_with_strict_and_keep_their_severity() {
    let dir = handbook(&[
        ("book.toml", "[book]\nsrc = \"content\"\n"),
        ("content/SUMMARY.md", "- [Home](index.md)\n"),
        ("content/index.md", "# Home\n"),
        ("content/stray.md", "# Stray\n"),
    ]);
    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!(code, 0);
    assert_eq!(findings(&report)[0].0, "orphan");
    let (code, report) = check_json(dir.path(), &["--strict"]);
    assert_eq!(code, 1);
    assert_eq!(findings(&report)[0].1, "warning");
}

#[test]
fn policy_severity_raises_lowers_or_silences_a_rule() {
    let dir = fixture("broken");
    let toml = "[book]\nsrc = \"content\"\n[policy.severity]\norphan = \"error\"\nlink = \"off\"\n";
    write(dir.path(), "book.toml", toml);
    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let found = findings(&report);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        (found[0].0.as_str(), found[0].1.as_str()),
        ("orphan", "error")
    );
}

#[test]
fn the_report_can_go_to_a_file() {
    let dir = fixture("broken");
    let report_path = dir.path().join("findings.json");
    let output = shipshape()
        .args(["check", "--format", "json", "-o"])
        .arg(&report_path)
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(report_path).unwrap()).unwrap();
    assert_eq!(report["summary"]["errors"], 5);
}

#[test]
fn usage_errors_exit_2() {
    let output = shipshape()
        .args(["check", "--format", "xml"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let output = shipshape()
        .args(["build", "--today", "yesterday"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let output = shipshape()
        .args(["check", "/no/such/handbook"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("shipshape init"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn help_shows_examples_and_exit_codes() {
    let output = shipshape().arg("--help").output().unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("Examples:") && text.contains("Exit codes"),
        "{text}"
    );
    let version = shipshape().arg("--version").output().unwrap();
    assert!(
        String::from_utf8(version.stdout)
            .unwrap()
            .starts_with("shipshape ")
    );
}

#[test]
fn the_json_report_has_the_spec_shape() {
    let dir = fixture("broken");
    let (_, report) = check_json(dir.path(), &[]);
    insta::assert_json_snapshot!("json_report", report);
}

#[test]
fn rule_and_skip_rule_limit_what_a_run_reports_and_judges() {
    let dir = fixture("broken");
    let (code, report) = check_json(dir.path(), &["--rule", "orphan"]);
    let rules: Vec<String> = findings(&report).into_iter().map(|f| f.0).collect();
    assert_eq!((code, rules), (0, vec!["orphan".to_string()]));
    let (code, report) = check_json(dir.path(), &["--skip-rule", "link"]);
    assert_eq!(code, 0, "{report:#}");
    assert!(findings(&report).iter().all(|f| f.0 != "link"));
    let output = shipshape()
        .args(["check", "--rule", "lnk"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("did you mean `link`?"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn overrides_set_severities_for_some_folders_and_the_last_matching_one_wins() {
    let dir = handbook(&[
        (
            "book.toml",
            "[book]\nsrc = \"content\"\n\n[[policy.override]]\npaths = [\"legacy/**\"]\nseverity = { link = \"warning\" }\n\n[[policy.override]]\npaths = [\"legacy/keep/**\"]\nseverity = { link = \"error\" }\n",
        ),
        (
            "content/SUMMARY.md",
            "- [Home](index.md)\n- [Old](legacy/old.md)\n- [Kept](legacy/keep/kept.md)\n",
        ),
        ("content/index.md", "# Home\n\n[gone](gone.md)\n"),
        ("content/legacy/old.md", "# Old\n\n[gone](gone.md)\n"),
        (
            "content/legacy/keep/kept.md",
            "# Kept\n\n[gone](../gone.md)\n",
        ),
    ]);
    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let levels: Vec<(String, String)> = findings(&report)
        .into_iter()
        .map(|(_, severity, file, _, _)| (file, severity))
        .collect();
    let expected = [
        ("content/index.md", "error"),
        ("content/legacy/keep/kept.md", "error"),
        ("content/legacy/old.md", "warning"),
    ]
    .map(|(file, severity)| (file.to_string(), severity.to_string()));
    assert_eq!(levels, expected);
}

#[test]
fn an_override_with_an_unknown_key_or_rule_is_an_error_with_its_place() {
    let dir = handbook(&[
        (
            "book.toml",
            "[book]\nsrc = \"content\"\n\n[[policy.override]]\npath = [\"legacy/**\"]\nseverity = { lnk = \"warning\" }\n",
        ),
        ("content/SUMMARY.md", "- [Home](index.md)\n"),
        ("content/index.md", "# Home\n"),
    ]);
    let output = shipshape().arg("check").arg(dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = stderr(&output);
    assert!(stderr.contains("book.toml:5:1"), "{stderr}");
    assert!(stderr.contains("did you mean `paths`?"), "{stderr}");
    assert!(stderr.contains("book.toml:6:14"), "{stderr}");
    assert!(stderr.contains("did you mean `link`?"), "{stderr}");
}
