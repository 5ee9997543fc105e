//! `check --changed-since REF` (a pull request answers for what it touched, and sees how
//! readiness moved since REF) and `check --due-within` (what falls due, by owner), on
//! throwaway repositories with fixed commit dates.

mod common;

use std::path::Path;

use common::{commit, findings, git, handbook, shipshape, write};

const BOOK: &str = "[book]\nsrc = \"content\"\n[policy.runbook]\nmax-age = \"90d\"\n";

const STANDARD: &str = "id: mini\ntitle: Mini\ncategories:\n  - id: deployment\n    title: Deployment\n    items:\n      - id: rollback\n        title: Rollback in minutes\n        evidence: required\n      - id: automated\n        title: Automated deploys\n";

const SERVICE: &str = "service: payments\nowner: team-payments\ntier: 1\nstandard: mini\nlast_reviewed: 2026-11-01\ncode: [\"services/payments/**\"]\nchecks:\n  deployment.rollback:\n    status: done\n    evidence: runbooks/rollback.md\n  deployment.automated:\n    status: done\n";

fn runbook(reviewed: &str) -> String {
    format!(
        "---\ntitle: Rollback\nservice: payments\nowner: team-payments\nlast_reviewed: {reviewed}\n---\n# Rollback\n\n## Symptoms\n\nx\n\n## Impact\n\nx\n\n## Diagnosis\n\nx\n\n## Mitigation\n\nx\n\n## Escalation\n\nx\n"
    )
}

/// `main` with a handbook in docs/ that has two old problems (a broken link in an
/// untouched page, an overdue runbook), and a `feature` branch checked out from it.
fn repository() -> tempfile::TempDir {
    let repo = handbook(&[
        ("docs/book.toml", BOOK),
        (
            "docs/content/index.md",
            "# Home\n\n[Guide](guide.md) and [old](gone.md)\n",
        ),
        ("docs/content/guide.md", "# Guide\n\n## Deploy\n\nSteps.\n"),
        ("docs/content/runbooks/rollback.md", &runbook("2026-11-01")),
        (
            "docs/content/runbooks/old.md",
            &runbook("2025-01-01").replace("Rollback", "Old"),
        ),
        ("docs/content/standards/mini.yaml", STANDARD),
        ("docs/content/services/payments.yaml", SERVICE),
        ("services/payments/main.rs", "fn main() {}\n"),
    ]);
    git(repo.path(), "2026-11-01", &["init", "--quiet"]);
    commit(repo.path(), "2026-11-01", "Handbook");
    git(
        repo.path(),
        "2026-11-02",
        &["checkout", "--quiet", "-b", "feature"],
    );
    repo
}

fn check(root: &Path, args: &[&str], env: &[(&str, &Path)]) -> (i32, String, String) {
    let mut command = shipshape();
    command
        .args(["check", "--today", "2026-11-27"])
        .arg(root)
        .args(args);
    for (name, value) in env {
        command.env(name, value);
    }
    let output = command.output().unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8_lossy(&output.stdout).to_string(),
        common::stderr(&output),
    )
}

/// The json report of `check ARGS`, validated against `schema/report.schema.json`.
fn json(root: &Path, args: &[&str]) -> serde_json::Value {
    let (_, stdout, stderr) = check(root, &[args, &["--format", "json"]].concat(), &[]);
    let report: serde_json::Value =
        serde_json::from_str(&stdout).unwrap_or_else(|err| panic!("{err}: {stdout}{stderr}"));
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/report.schema.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let errors = common::schema_errors(&schema, &report);
    assert!(errors.is_empty(), "{errors:#?}\n{report:#}");
    report
}

fn rules_and_files(report: &serde_json::Value) -> Vec<(String, String)> {
    findings(report)
        .into_iter()
        .map(|(rule, _, file, _, _)| (rule, file))
        .collect()
}

#[test]
fn only_what_the_change_touched_is_reported() {
    let repo = repository();
    let root = repo.path().join("docs");
    let all = rules_and_files(&json(&root, &[]));
    assert!(
        all.contains(&("link".into(), "content/index.md".into())),
        "{all:?}"
    );
    assert!(
        all.contains(&("stale".into(), "content/runbooks/old.md".into())),
        "{all:?}"
    );
    // Nothing changed yet: nothing to answer for, and the old problems are counted.
    let report = json(&root, &["--changed-since", "main"]);
    assert_eq!(rules_and_files(&report), Vec::<(String, String)>::new());
    assert_eq!(report["summary"]["outside_change"], all.len());
    // A committed edit with a new broken link, and an uncommitted rename of the
    // evidence: the service file is untouched, but its evidence moved.
    write(
        &root,
        "content/guide.md",
        "# Guide\n\n## Deploy\n\nSee [nothing](nowhere.md).\n",
    );
    commit(repo.path(), "2026-11-03", "Guide edit");
    std::fs::rename(
        root.join("content/runbooks/rollback.md"),
        root.join("content/runbooks/roll-back.md"),
    )
    .unwrap();
    let report = json(&root, &["--changed-since", "main"]);
    let found = rules_and_files(&report);
    assert_eq!(
        found,
        [
            ("link".to_string(), "content/guide.md".to_string()),
            (
                "readiness".to_string(),
                "content/services/payments.yaml".to_string()
            ),
            (
                "evidence".to_string(),
                "content/services/payments.yaml".to_string()
            ),
        ],
        "the old link and the overdue runbook stay out: {report}"
    );
    assert_eq!(report["changed_since"]["ref"], "main");
    assert_eq!(
        report["changed_since"]["readiness"],
        serde_json::json!(["payments: gold → none, 100% → 50%: deployment.rollback now fails"])
    );
    // The same in the human report and the job summary.
    let summary_file = repo.path().join("summary.md");
    std::fs::write(&summary_file, "").unwrap();
    let (code, stdout, _) = check(&root, &["--changed-since", "main"], &[]);
    assert_eq!(code, 1);
    let base = git(
        repo.path(),
        "2026-11-03",
        &["rev-parse", "--short=7", "main"],
    );
    assert!(
        stdout.contains(&format!(
            "readiness since main (merge base {base}):\n  payments: gold → none, 100% → 50%: deployment.rollback now fails\n"
        )),
        "{stdout}"
    );
    assert!(stdout.contains("; 2 outside the change"), "{stdout}");
    let (_, _, stderr) = check(
        &root,
        &["--changed-since", "main", "--format", "github"],
        &[("GITHUB_STEP_SUMMARY", &summary_file)],
    );
    let summary = std::fs::read_to_string(&summary_file).unwrap();
    assert!(
        summary.contains(&format!(
            "### Readiness since main \\(merge base {base}\\)\n\n- payments: gold → none, 100% → 50%: deployment.rollback now fails\n"
        )),
        "{summary}{stderr}"
    );
}

#[test]
fn a_code_change_reports_the_service_it_makes_stale() {
    let repo = repository();
    let root = repo.path().join("docs");
    write(&root, "book.toml", &format!("{BOOK}[policy]\ngit = true\n"));
    commit(repo.path(), "2026-11-01", "git on");
    git(
        repo.path(),
        "2026-11-01",
        &["branch", "--quiet", "-f", "main"],
    );
    write(
        repo.path(),
        "services/payments/main.rs",
        "fn main() { pay() }\n",
    );
    commit(repo.path(), "2026-11-05", "Pay");
    let report = json(&root, &["--changed-since", "main"]);
    let found = rules_and_files(&report);
    assert_eq!(
        found,
        [(
            "stale".to_string(),
            "content/services/payments.yaml".to_string()
        )],
        "{report}"
    );
    // On main itself, the same stale checklist is no business of an unrelated change.
    git(
        repo.path(),
        "2026-11-05",
        &["checkout", "--quiet", "-b", "docs-only", "main"],
    );
    write(
        &root,
        "content/guide.md",
        "# Guide\n\n## Deploy\n\nMore steps.\n",
    );
    let report = json(&root, &["--changed-since", "feature"]);
    assert_eq!(
        rules_and_files(&report),
        Vec::<(String, String)>::new(),
        "{report}"
    );
}

#[test]
fn a_ref_that_does_not_exist_cannot_run() {
    let repo = repository();
    let (code, _, stderr) = check(
        &repo.path().join("docs"),
        &["--changed-since", "origin/nope"],
        &[],
    );
    assert_eq!(code, 2);
    assert!(
        stderr.contains("origin/nope") && stderr.contains("help:"),
        "{stderr}"
    );
    // A shallow clone may lack the merge base: it cannot run, and says how to fix it.
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", repo.path().display());
    git(
        clone.path(),
        "2026-11-03",
        &[
            "clone",
            "--quiet",
            "--depth",
            "1",
            "--no-single-branch",
            &url,
            "copy",
        ],
    );
    let (code, _, stderr) = check(
        &clone.path().join("copy/docs"),
        &["--changed-since", "origin/main"],
        &[],
    );
    assert_eq!(code, 2);
    assert!(
        stderr.contains("shallow clone") && stderr.contains("fetch-depth: 0"),
        "{stderr}"
    );
    let plain = handbook(&[("book.toml", BOOK), ("content/index.md", "# Home\n")]);
    let (code, _, stderr) = check(plain.path(), &["--changed-since", "main"], &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("needs a git repository"), "{stderr}");
}

#[test]
fn due_within_lists_what_falls_due_by_owner() {
    let dir = handbook(&[
        ("book.toml", BOOK),
        ("content/index.md", "# Home\n"),
        ("content/runbooks/rollback.md", &runbook("2026-09-10")),
        (
            "content/runbooks/batch.md",
            &runbook("2026-09-20").replace("team-payments", "team-data"),
        ),
        ("content/runbooks/later.md", &runbook("2026-11-20")),
        (
            "content/standards/mini.yaml",
            &format!(
                "{STANDARD}      - id: canary\n        title: Canary releases\n        enforce-from: 2026-12-15\n      - id: flags\n        title: Feature flags\n        enforce-from: 2027-03-01\n"
            ),
        ),
        (
            "content/services/payments.yaml",
            &SERVICE.replace(
                "  deployment.automated:\n    status: done\n",
                "  deployment.automated:\n    status: waived\n    waiver: {reason: soon, approved_by: dana, expires: 2026-12-20}\n",
            ),
        ),
    ]);
    // Reviews due 2026-12-09 and 2026-12-19 (90 days), a waiver ending 2026-12-20: all
    // within 30 days of 2026-11-27; `later.md` is due in February.
    let report = json(dir.path(), &["--due-within", "30d"]);
    let due: Vec<(String, String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f.get("owner").is_some())
        .map(|f| {
            (
                f["owner"].as_str().unwrap().to_string(),
                f["file"].as_str().unwrap().to_string(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        due,
        [
            ("team-data".to_string(), "content/runbooks/batch.md".to_string(), "review due 2026-12-19, in 22 days: last reviewed 2026-09-20, every 90d (`[policy.runbook] max-age`) (owner: team-data)".to_string()),
            ("team-payments".to_string(), "content/runbooks/rollback.md".to_string(), "review due 2026-12-09, in 12 days: last reviewed 2026-09-10, every 90d (`[policy.runbook] max-age`) (owner: team-payments)".to_string()),
            ("team-payments".to_string(), "content/services/payments.yaml".to_string(), "`deployment.canary` (Canary releases) is required for tier 1 but is not mentioned in the checklist (enforced from 2026-12-15; a warning until then) (owner: team-payments)".to_string()),
            ("team-payments".to_string(), "content/services/payments.yaml".to_string(), "the waiver of `deployment.automated` expires on 2026-12-20, in 23 days (owner: team-payments)".to_string()),
        ],
        "`deployment.flags`, enforced from March, is not due within 30 days"
    );
    let flags = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| {
            f["message"]
                .as_str()
                .unwrap()
                .contains("`deployment.flags`")
        })
        .expect("the item not yet enforced is still reported");
    assert!(flags.get("owner").is_none(), "{flags}");
    assert_eq!(
        report["findings"].as_array().unwrap().last().unwrap()["owner"],
        "team-payments",
        "due findings come last"
    );
    assert_eq!(report["due"]["within"], "30d");
    assert_eq!(
        report["due"]["owners"]["team-payments"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    // Warnings only: the exit code follows the usual rules.
    let (code, stdout, _) = check(dir.path(), &["--due-within", "30d"], &[]);
    assert_eq!(code, 0, "{stdout}");
    let data = stdout
        .find("due within 30d for team-data (1):")
        .expect("a heading per owner");
    let payments = stdout
        .find("due within 30d for team-payments (3):")
        .unwrap();
    assert!(data < payments, "{stdout}");
    let (code, _, _) = check(dir.path(), &["--due-within", "30d", "--strict"], &[]);
    assert_eq!(code, 1);
    // Without it, only the review due within `warn-before` (14 days) and the items not
    // yet enforced are warnings, none with an owner.
    let report = json(dir.path(), &[]);
    let files: Vec<(String, String)> = rules_and_files(&report);
    assert_eq!(
        files,
        [
            (
                "stale".to_string(),
                "content/runbooks/rollback.md".to_string()
            ),
            (
                "readiness".to_string(),
                "content/services/payments.yaml".to_string()
            ),
            (
                "readiness".to_string(),
                "content/services/payments.yaml".to_string()
            ),
        ]
    );
    assert!(report.get("due").is_none());
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f.get("owner").is_none())
    );
}
