//! ADRs and runbooks: the `section-missing`, `stale` and `adr` rules, through the binary,
//! on ADRs in shipshape's, adr-tools' and MADR's formats.

mod common;

use common::*;

#[test]
fn adrs_in_every_format_and_reviewed_runbooks_pass() {
    assert_no_findings(&fixture_path("records-good"), &[]);
}

#[test]
fn every_broken_record_is_found_where_it_is() {
    let (code, report) = check_json(&fixture_path("records-bad"), &[]);
    assert_eq!(code, 1);
    let expected = [
        (
            "section-missing",
            "error",
            "adr/0002-use-x.md",
            Some(15),
            Some(1),
        ),
        (
            "section-missing",
            "error",
            "adr/0002-use-x.md",
            Some(17),
            Some(1),
        ),
        ("adr", "error", "adr/0003-madr.md", Some(2), Some(9)),
        ("schema", "error", "adr/0004-dup.md", Some(3), Some(9)),
        ("schema", "error", "adr/0004-dup.md", Some(4), Some(7)),
        ("adr", "error", "adr/0004-dup.md", Some(5), Some(13)),
        ("adr", "error", "adr/0004-dup.md", Some(5), Some(13)),
        (
            "section-missing",
            "error",
            "adr/0004-dup.md",
            Some(7),
            Some(1),
        ),
        (
            "section-missing",
            "error",
            "adr/0004-dup.md",
            Some(7),
            Some(1),
        ),
        ("adr", "error", "adr/0004-dup.md", Some(7), Some(1)),
        ("schema", "error", "adr/0004-front.md", Some(3), Some(9)),
        ("schema", "error", "adr/0004-front.md", Some(4), Some(7)),
        ("adr", "error", "adr/0004-front.md", Some(5), Some(13)),
        ("adr", "error", "adr/0004-front.md", Some(5), Some(13)),
        (
            "section-missing",
            "error",
            "adr/0004-front.md",
            Some(7),
            Some(1),
        ),
        (
            "section-missing",
            "error",
            "adr/0004-front.md",
            Some(7),
            Some(1),
        ),
        ("adr", "error", "adr/0004-front.md", Some(7), Some(1)),
        ("adr", "error", "adr/0005-acepted.md", Some(2), Some(9)),
        ("adr", "error", "adr/0005-acepted.md", Some(3), Some(13)),
        ("adr", "error", "adr/0005-acepted.md", Some(3), Some(13)),
        ("adr", "error", "adr/0006-loop.md", Some(2), Some(9)),
        ("adr", "error", "adr/0006-loop.md", Some(3), Some(13)),
        ("adr", "warning", "adr/4-title.md", None, None),
        ("stale", "error", "guide/unreviewed.md", Some(1), Some(1)),
        ("stale", "error", "runbooks/overdue.md", Some(3), Some(16)),
        ("schema", "error", "runbooks/r.md", Some(4), Some(15)),
        (
            "section-missing",
            "error",
            "runbooks/r.md",
            Some(6),
            Some(1),
        ),
        (
            "section-missing",
            "error",
            "runbooks/r.md",
            Some(6),
            Some(1),
        ),
        (
            "section-missing",
            "error",
            "runbooks/r.md",
            Some(6),
            Some(1),
        ),
        (
            "section-missing",
            "error",
            "runbooks/r.md",
            Some(6),
            Some(1),
        ),
        (
            "section-missing",
            "error",
            "runbooks/r.md",
            Some(6),
            Some(1),
        ),
        ("stale", "warning", "runbooks/s.md", Some(3), Some(16)),
        ("stale", "error", "runbooks/undated.md", Some(1), Some(1)),
    ];
    let expected: Vec<Found> = expected
        .iter()
        .map(|(rule, severity, file, line, column)| {
            (
                rule.to_string(),
                severity.to_string(),
                format!("content/{file}"),
                *line,
                *column,
            )
        })
        .collect();
    assert_eq!(findings(&report), expected, "{report:#}");
}

fn finding<'a>(report: &'a serde_json::Value, file: &str, needle: &str) -> &'a serde_json::Value {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["file"] == file && f["message"].as_str().unwrap().contains(needle))
        .unwrap_or_else(|| panic!("no finding in {file} saying {needle:?}: {report:#}"))
}

#[test]
fn a_one_way_supersedes_names_the_other_file_and_what_to_write_there() {
    let (_, report) = check_json(&fixture_path("records-bad"), &[]);
    let one_way = finding(
        &report,
        "content/adr/0005-acepted.md",
        "does not say it is superseded",
    );
    assert_eq!(one_way["related"][0]["file"], "content/adr/0006-loop.md");
    assert_eq!(
        one_way["help"],
        "in content/adr/0006-loop.md, set `status: superseded` and `superseded_by: 5`"
    );
    let status = finding(&report, "content/adr/0005-acepted.md", "unknown status");
    assert_eq!(status["help"], "did you mean `accepted`?");
    let duplicate = finding(&report, "content/adr/0004-dup.md", "number of 2 files");
    assert_eq!(duplicate["related"][0]["file"], "content/adr/0004-front.md");
}

#[test]
fn a_review_due_soon_is_advisory_and_stays_a_warning_whatever_the_policy() {
    let dir = fixture("records-bad");
    let (_, report) = check_json(dir.path(), &[]);
    let due = finding(
        &report,
        "content/runbooks/s.md",
        "review due 2026-12-02, in 5 days",
    );
    assert_eq!(
        (&due["severity"], &due["advisory"]),
        (&"warning".into(), &true.into())
    );
    let overdue = finding(
        &report,
        "content/runbooks/overdue.md",
        "review overdue since 2026-07-30",
    );
    assert_eq!(overdue["advisory"], false);

    let toml = std::fs::read_to_string(dir.path().join("book.toml")).unwrap();
    write(
        dir.path(),
        "book.toml",
        &format!("{toml}\n[policy.severity]\nstale = \"warning\"\n"),
    );
    let (_, report) = check_json(dir.path(), &[]);
    let overdue = finding(&report, "content/runbooks/overdue.md", "review overdue");
    assert_eq!(overdue["severity"], "warning");
    write(
        dir.path(),
        "book.toml",
        &format!("{toml}\n[policy.severity]\nstale = \"error\"\n"),
    );
    let (_, report) = check_json(dir.path(), &[]);
    let due = finding(&report, "content/runbooks/s.md", "review due");
    assert_eq!(
        due["severity"], "warning",
        "an advisory finding is never raised"
    );
    write(
        dir.path(),
        "book.toml",
        &format!("{toml}\n[policy.severity]\nstale = \"off\"\n"),
    );
    let (_, report) = check_json(dir.path(), &[]);
    assert!(
        findings(&report).iter().all(|(rule, ..)| rule != "stale"),
        "off drops main and advisory findings: {report:#}"
    );
}

#[test]
fn a_review_date_moves_from_fine_to_due_to_overdue_with_the_calendar() {
    let dir = handbook(&[
        (
            "book.toml",
            "[book]\nsrc = \"content\"\n\n[policy.runbook]\nrequired-sections = []\nmax-age = \"30d\"\n",
        ),
        ("content/index.md", "# Home\n"),
        (
            "content/runbooks/r.md",
            "---\nlast_reviewed: 2026-11-01\n---\n# R\n",
        ),
    ]);
    let stale_at = |today: &str| {
        let output = shipshape()
            .args(["check", "--format", "json", "--today", today])
            .arg(dir.path())
            .output()
            .unwrap();
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let code = output.status.code().unwrap();
        (
            code,
            findings(&report)
                .into_iter()
                .map(|(_, severity, ..)| severity)
                .collect::<Vec<_>>(),
        )
    };
    // Due 2026-12-01: a warning once today is after the due date less 14 days.
    assert_eq!(stale_at("2026-11-17"), (0, vec![]));
    assert_eq!(stale_at("2026-11-18"), (0, vec!["warning".to_string()]));
    assert_eq!(
        stale_at("2026-12-01"),
        (0, vec!["warning".to_string()]),
        "due on the day, not yet overdue"
    );
    assert_eq!(stale_at("2026-12-02"), (1, vec!["error".to_string()]));
}

#[test]
fn the_handbook_can_replace_the_adr_sections_and_require_a_status() {
    let dir = handbook(&[
        (
            "book.toml",
            "[book]\nsrc = \"content\"\n\n[policy.adr]\nrequired-sections = [\"Context|Background\", \"Consequences*\"]\nrequire-status = true\n",
        ),
        ("content/index.md", "# Home\n"),
        (
            "content/adr/0001-madr.md",
            "---\ndate: 2026-01-01\ndecision-makers: [a]\n---\n# Use X\n\n## Background\nwhy\n\n## Consequences and risks\nsome\n",
        ),
    ]);
    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let found: Vec<(String, Option<u64>)> = findings(&report)
        .into_iter()
        .map(|(rule, _, _, line, _)| (rule, line))
        .collect();
    assert_eq!(found, [("adr".to_string(), Some(5))], "{report:#}");
    assert_eq!(report["findings"][0]["message"], "ADR-0001 has no status");
}

#[test]
fn madr_files_are_not_asked_for_consequences() {
    let dir = handbook(&[
        ("book.toml", "[book]\nsrc = \"content\"\n"),
        ("content/index.md", "# Home\n"),
        (
            "content/adr/0000-use-madr.md",
            "# Use MADR\n\n## Context and Problem Statement\nx\n\n## Considered Options\n* a\n\n## Decision Outcome\nChosen: a\n",
        ),
    ]);
    assert_no_findings(dir.path(), &[]);
}

#[test]
fn the_adr_index_lists_every_decision_with_its_status_and_chain() {
    let out = tempfile::tempdir().unwrap();
    let built = build(&fixture_path("records-good"), out.path());
    assert!(built.status.success(), "{}", stderr(&built));
    let index = page(out.path(), "adr/index.html");
    assert!(index.contains("<h1>Architecture decisions</h1>"), "{index}");
    let labels: Vec<&str> = index
        .split("<tr data-status=\"")
        .skip(1)
        .map(|row| {
            row.split("<td>")
                .nth(1)
                .unwrap()
                .split("</td>")
                .next()
                .unwrap()
        })
        .collect();
    assert_eq!(
        labels,
        ["ADR-0000", "ADR-0001", "ADR-0002", "ADR-0003", "ADR-0004"]
    );
    assert!(
        index.contains(
            "superseded</span> by <a href=\"0004-queue-payment-calls.html\">ADR-0004</a>"
        ),
        "{index}"
    );
    assert!(
        index.contains("<tr data-status=\"other\">"),
        "a team's own status: {index}"
    );
    let superseded = page(out.path(), "adr/0003-retry-with-backoff.html");
    assert!(
        superseded.contains("Superseded by <a href=\"0004-queue-payment-calls.html\">ADR-0004: Queue payment gateway calls</a>"),
        "{superseded}"
    );
    let banner = superseded.find("class=\"banner").unwrap();
    assert!(
        superseded.find("</h1>").unwrap() < banner,
        "the banner follows the title"
    );
}

#[test]
fn runbooks_show_their_service_alerts_and_review_dates() {
    let out = tempfile::tempdir().unwrap();
    let built = build(&fixture_path("records-good"), out.path());
    assert!(built.status.success(), "{}", stderr(&built));
    let runbook = page(out.path(), "runbooks/payments-latency.html");
    assert!(
        runbook.contains(
            "2026-11-01</time>, next review due <time datetime=\"2027-01-30\">2027-01-30</time>"
        ),
        "{runbook}"
    );
    assert!(
        runbook.contains("<code>PaymentsHighP99Latency</code>"),
        "{runbook}"
    );
    let index = page(out.path(), "runbooks/index.html");
    assert!(index.contains("<h1>Runbooks</h1>"), "{index}");
    assert!(index.contains("<h3>payments</h3>"), "{index}");
    assert!(
        index.contains(
            "<tr><td><code>PaymentsHighP99Latency</code></td><td><a href=\"payments-latency.html\">"
        ),
        "{index}"
    );
}

#[test]
fn a_readme_heads_the_generated_index_and_hostile_values_stay_text() {
    let dir = handbook(&[
        (
            "book.toml",
            "[book]\nsrc = \"content\"\n\n[policy.runbook]\nrequired-sections = []\n",
        ),
        ("content/index.md", "# Home\n"),
        (
            "content/adr/README.md",
            "# Our decisions\n\nWhy we write them down.\n",
        ),
        (
            "content/adr/0001-x.md",
            "---\nstatus: proposed\ndeciders: [\"<script>alert(1)</script>\"]\n---\n# X & <b>Y</b>\n\n## Context\na\n## Decision\nb\n## Consequences\nc\n",
        ),
        (
            "content/runbooks/r.md",
            "---\nservice: \"<img src=x>\"\nlast_reviewed: 2026-01-01\n---\n# R\n",
        ),
    ]);
    let out = tempfile::tempdir().unwrap();
    let built = build(dir.path(), out.path());
    assert_eq!(
        built.status.code(),
        Some(1),
        "the runbook is overdue: {}",
        stderr(&built)
    );
    let index = page(out.path(), "adr/index.html");
    assert!(index.contains("Why we write them down."), "{index}");
    assert!(index.contains("All decisions"), "{index}");
    assert!(!index.contains("<script>alert"), "{index}");
    assert!(
        index.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;")
            || index.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{index}"
    );
    let adr = page(out.path(), "adr/0001-x.html");
    assert!(adr.contains("Proposed: not yet decided."), "{adr}");
    let runbook = page(out.path(), "runbooks/r.html");
    assert!(
        runbook.contains("Review overdue: due 2026-04-01"),
        "{runbook}"
    );
    assert!(!runbook.contains("<img src=x>"), "{runbook}");
    let runbooks = page(out.path(), "runbooks/index.html");
    assert!(
        runbooks.contains("review overdue since 2026-04-01"),
        "{runbooks}"
    );
}

#[test]
fn every_field_of_the_wrong_type_is_a_schema_finding_at_its_value() {
    let (code, report) = check_json(&fixture_path("records-wrong-types"), &[]);
    assert_eq!(code, 1);
    let schema: Vec<(String, Option<u64>, Option<u64>)> = findings(&report)
        .into_iter()
        .filter(|(rule, ..)| rule == "schema")
        .map(|(_, _, file, line, column)| (file, line, column))
        .collect();
    let expected = [
        ("adr/0001-wrong.md", 2, 9),
        ("adr/0001-wrong.md", 3, 7),
        ("adr/0001-wrong.md", 4, 11),
        ("adr/0001-wrong.md", 5, 13),
        ("adr/0001-wrong.md", 6, 16),
        ("adr/0001-wrong.md", 7, 11),
        ("runbooks/w.md", 2, 10),
        ("runbooks/w.md", 3, 8),
        ("runbooks/w.md", 4, 9),
        ("runbooks/w.md", 5, 16),
        ("runbooks/w.md", 6, 15),
    ]
    .map(|(file, line, column)| (format!("content/{file}"), Some(line), Some(column)));
    assert_eq!(schema, expected, "{report:#}");
    let not_an_adr = finding(&report, "content/adr/00x4-title.md", "is not an ADR");
    assert_eq!(not_an_adr["severity"], "warning");
}
