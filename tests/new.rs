//! `shipshape new adr|runbook`: the files it writes, the ADRs it updates, and that the
//! handbook passes `check` afterwards.

mod common;

use common::*;

fn new(root: &std::path::Path, args: &[&str]) -> std::process::Output {
    shipshape()
        .arg("new")
        .args(args)
        .arg(root)
        .args(["--today", TODAY])
        .output()
        .unwrap()
}

fn read(root: &std::path::Path, path: &str) -> String {
    std::fs::read_to_string(root.join(path)).unwrap_or_else(|err| panic!("{path}: {err}"))
}

#[test]
fn a_new_adr_takes_the_next_number_and_supersedes_in_every_format() {
    let dir = fixture("records-good");
    let output = new(
        dir.path(),
        &[
            "adr",
            "Queue & retry <b>everything</b>",
            "--supersedes",
            "4",
            "--supersedes",
            "2",
            "--supersedes",
            "0",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let written = String::from_utf8(output.stdout).unwrap();
    assert!(
        written
            .trim_end()
            .ends_with("content/adr/0005-queue-retry-b-everything-b.md"),
        "{written}"
    );
    let adr = read(dir.path(), "content/adr/0005-queue-retry-b-everything-b.md");
    assert!(
        adr.starts_with(
            "---\ntitle: \"Queue & retry <b>everything</b>\"\nstatus: proposed\ndate: 2026-11-27\n"
        ),
        "{adr}"
    );
    assert!(adr.contains("supersedes: [4, 2, 0]\n"), "{adr}");
    assert!(
        adr.contains("# Queue \\& retry \\<b\\>everything\\</b\\>\n"),
        "{adr}"
    );
    // shipshape's front matter
    let old = read(dir.path(), "content/adr/0004-queue-payment-calls.md");
    assert!(
        old.contains("status: superseded\nsuperseded_by: 5\n"),
        "{old}"
    );
    // adr-tools: the status line becomes a link
    let old = read(
        dir.path(),
        "content/adr/0002-keep-decisions-in-the-handbook.md",
    );
    assert!(
        old.contains("## Status\n\nSuperseded by [5. Queue \\& retry \\<b\\>everything\\</b\\>](0005-queue-retry-b-everything-b.md)\n\nSupersedes [1."),
        "{old}"
    );
    // MADR
    let old = read(dir.path(), "content/adr/0000-use-madr.md");
    assert!(
        old.contains("status: \"superseded by ADR-0005\"\n"),
        "{old}"
    );
    assert_no_findings(dir.path(), &[]);
}

#[test]
fn a_handbook_template_is_used_and_a_missing_adr_writes_nothing() {
    let dir = handbook(&[
        ("book.toml", "[book]\nsrc = \"content\"\n"),
        ("content/index.md", "# Home\n"),
        (
            "content/adr/template.md",
            "# {{ number }}. {{title}}\n\n## Context\nwhy\n## Decision\nwhat\n## Consequences\nso\n",
        ),
    ]);
    let output = new(dir.path(), &["adr", "First", "--supersedes", "7"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("there is no ADR 0007"),
        "{}",
        stderr(&output)
    );
    assert!(!dir.path().join("content/adr/0001-first.md").exists());

    let output = new(dir.path(), &["adr", "First", "--status", "acepted"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("`acepted` is not a status"),
        "{}",
        stderr(&output)
    );

    let output = new(dir.path(), &["adr", "First"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let adr = read(dir.path(), "content/adr/0001-first.md");
    assert!(
        adr.contains("---\n\n# 0001. First\n\n## Context\nwhy\n"),
        "{adr}"
    );
    // The template is not an ADR, and is left alone.
    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!(code, 0, "{report:#}");
}

#[test]
fn a_new_runbook_has_every_required_section_and_never_overwrites() {
    let dir = handbook(&[
        (
            "book.toml",
            "[book]\nsrc = \"content\"\n\n[policy.runbook]\nrequired-sections = [\"Symptoms\", \"Mitigation|Remediation\", \"Rollback*\"]\n",
        ),
        ("content/index.md", "# Home\n"),
    ]);
    let args = [
        "runbook",
        "Queue backlog growing",
        "--service",
        "payments",
        "--alert",
        "QueueBacklog",
        "--owner",
        "team-payments",
    ];
    let output = new(dir.path(), &args);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let runbook = read(dir.path(), "content/runbooks/queue-backlog-growing.md");
    assert!(
        runbook.starts_with("---\ntitle: \"Queue backlog growing\"\nservice: \"payments\"\nowner: \"team-payments\"\nalerts: [\"QueueBacklog\"]\nlast_reviewed: 2026-11-27\n---\n"),
        "{runbook}"
    );
    for heading in ["## Symptoms\n", "## Mitigation\n", "## Rollback\n"] {
        assert!(runbook.contains(heading), "{heading} in {runbook}");
    }
    assert_no_findings(dir.path(), &[]);
    std::fs::write(
        dir.path().join("content/runbooks/queue-backlog-growing.md"),
        "mine",
    )
    .unwrap();
    let output = new(dir.path(), &args);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("never overwrites"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        read(dir.path(), "content/runbooks/queue-backlog-growing.md"),
        "mine"
    );
}
