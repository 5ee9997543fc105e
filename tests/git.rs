//! `[policy] git = true`: review dates from commits, services whose code moved on since
//! their review, shallow clones and handbooks outside a repository, read from throwaway
//! repositories with fixed commit dates.

mod common;

use std::path::Path;

use common::{check_json, commit, git, handbook, write};

const BOOK: &str =
    "[book]\nsrc = \"content\"\n[policy]\ngit = true\n[policy.runbook]\nmax-age = \"90d\"\n";

const RUNBOOK: &str = "---\ntitle: Latency\nservice: payments\nowner: team-payments\n---\n# Latency\n\n## Symptoms\n\nSlow.\n\n## Impact\n\nUsers wait.\n\n## Diagnosis\n\nLook.\n\n## Mitigation\n\nScale.\n\n## Escalation\n\nPage.\n";

fn service(reviewed: &str) -> String {
    format!(
        "service: payments\nowner: team-payments\ntier: 4\nlast_reviewed: {reviewed}\ncode: [\"services/payments/**\"]\nchecks: {{}}\n"
    )
}

/// A repository holding a handbook in `docs/` and code beside it, first committed
/// on 2026-01-10.
fn repository() -> tempfile::TempDir {
    let repo = handbook(&[
        ("docs/book.toml", BOOK),
        (
            "docs/content/index.md",
            "# Home\n\n[Latency](runbooks/latency.md)\n",
        ),
        ("docs/content/runbooks/latency.md", RUNBOOK),
        (
            "docs/content/services/payments.yaml",
            &service("2026-10-01"),
        ),
        ("services/payments/main.rs", "fn main() {}\n"),
    ]);
    git(repo.path(), "2026-01-10", &["init", "--quiet"]);
    commit(repo.path(), "2026-01-10", "Start the handbook");
    repo
}

/// Every finding of a json report.
fn findings(report: &serde_json::Value) -> Vec<serde_json::Value> {
    report["findings"].as_array().cloned().unwrap_or_default()
}

/// The `stale` findings on the service checklist.
fn drift(report: &serde_json::Value) -> Vec<String> {
    stale(report)
        .into_iter()
        .filter(|(file, _)| file == "content/services/payments.yaml")
        .map(|(_, message)| message)
        .collect()
}

fn stale(report: &serde_json::Value) -> Vec<(String, String)> {
    findings(report)
        .into_iter()
        .filter(|finding| finding["rule"] == "stale")
        .map(|finding| {
            (
                finding["file"].as_str().unwrap().to_string(),
                finding["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_runbook_without_a_review_date_takes_its_last_commit_date() {
    let repo = repository();
    let root = repo.path().join("docs");
    // Touched again in August: 90 days from then is 2026-11-17, before --today.
    write(
        &root,
        "content/runbooks/latency.md",
        &RUNBOOK.replace("Scale.", "Scale out."),
    );
    let id = commit(repo.path(), "2026-08-19", "Runbook: scale out");
    let (code, report) = check_json(&root, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        stale(&report),
        [(
            "content/runbooks/latency.md".to_string(),
            format!(
                "review overdue since 2026-11-17: no `last_reviewed`, last committed 2026-08-19 ({id}), every 90d (`[policy.runbook] max-age`)"
            )
        )]
    );
    // Without git, the same runbook has no review date at all.
    write(
        &root,
        "book.toml",
        &BOOK.replace("git = true", "git = false"),
    );
    let (_, report) = check_json(&root, &[]);
    let messages: Vec<String> = stale(&report).into_iter().map(|(_, m)| m).collect();
    assert_eq!(messages.len(), 1);
    assert!(messages[0].starts_with("no review date"), "{messages:?}");
}

#[test]
fn a_service_whose_code_moved_on_after_its_review_is_stale() {
    let repo = repository();
    let root = repo.path().join("docs");
    // On the review day itself: not after it.
    write(
        repo.path(),
        "services/payments/main.rs",
        "fn main() { day() }\n",
    );
    commit(repo.path(), "2026-10-01", "Same day");
    write(repo.path(), "services/payments/pay.rs", "fn pay() {}\n");
    commit(repo.path(), "2026-10-12", "Add pay");
    write(repo.path(), "services/other.rs", "// not payments\n");
    commit(repo.path(), "2026-10-20", "Other service");
    // A rename into the folder counts: the file is new at its path.
    git(
        repo.path(),
        "2026-10-30",
        &["mv", "services/other.rs", "services/payments/moved.rs"],
    );
    let newest = commit(repo.path(), "2026-10-30", "Move <other> into payments");
    let (code, report) = check_json(&root, &[]);
    assert_eq!(code, 1, "{report}");
    assert_eq!(
        drift(&report),
        [format!(
            "2 commits touched services/payments/** since the review on 2026-10-01, newest {newest} 2026-10-30 Move <other> into payments"
        )]
    );
    let finding = findings(&report)
        .into_iter()
        .find(|finding| {
            finding["rule"] == "stale" && finding["file"] == "content/services/payments.yaml"
        })
        .unwrap();
    assert_eq!(finding["line"], 4, "at `last_reviewed`");
    // Reviewed since: nothing to report.
    write(
        &root,
        "content/services/payments.yaml",
        &service("2026-10-30"),
    );
    commit(repo.path(), "2026-10-30", "Review payments");
    let (_, report) = check_json(&root, &[]);
    assert!(drift(&report).is_empty(), "{report}");
}

#[test]
fn merges_and_a_detached_head_count_the_commits_that_changed_the_code() {
    let repo = repository();
    let root = repo.path().join("docs");
    git(
        repo.path(),
        "2026-10-05",
        &["checkout", "--quiet", "-b", "feature"],
    );
    write(repo.path(), "services/payments/feature.rs", "fn f() {}\n");
    let feature = commit(repo.path(), "2026-10-05", "Feature work");
    git(repo.path(), "2026-10-06", &["checkout", "--quiet", "main"]);
    write(
        &root,
        "content/index.md",
        "# Home\n\nEdited on main.\n\n[Latency](runbooks/latency.md)\n",
    );
    commit(repo.path(), "2026-10-06", "Docs on main");
    git(
        repo.path(),
        "2026-10-07",
        &[
            "merge",
            "--quiet",
            "--no-ff",
            "-m",
            "Merge feature",
            "feature",
        ],
    );
    // The merge itself changed nothing that a parent did not: one commit, the feature's.
    let (_, report) = check_json(&root, &[]);
    let expected = format!(
        "1 commit touched services/payments/** since the review on 2026-10-01, newest {feature} 2026-10-05 Feature work"
    );
    assert_eq!(drift(&report), [expected]);
    git(
        repo.path(),
        "2026-10-08",
        &["checkout", "--quiet", "--detach", "HEAD~1"],
    );
    let (_, report) = check_json(&root, &[]);
    assert!(drift(&report).is_empty(), "{report}");
}

#[test]
fn a_shallow_clone_warns_and_computes_no_dates() {
    let repo = repository();
    write(repo.path(), "services/payments/pay.rs", "fn pay() {}\n");
    commit(repo.path(), "2026-10-12", "Add pay");
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", repo.path().display());
    git(
        clone.path(),
        "2026-10-12",
        &["clone", "--quiet", "--depth", "1", &url, "copy"],
    );
    let root = clone.path().join("copy/docs");
    let (code, report) = check_json(&root, &[]);
    assert_eq!(
        code, 0,
        "a shallow clone alone never fails the run: {report}"
    );
    let stale = stale(&report);
    assert_eq!(stale.len(), 1, "{stale:?}");
    assert_eq!(stale[0].0, "book.toml");
    assert_eq!(
        stale[0].1,
        "`[policy] git = true`, but this is a shallow clone, whose history stops early, so these were not computed: the review dates of 1 page without `last_reviewed` (content/runbooks/latency.md); code changes since the review of 1 service with `code` (payments); pages' \"Last updated\" dates"
    );
    let help = findings(&report)[0]["help"].as_str().unwrap().to_string();
    assert!(
        help.contains("fetch-depth: 0") && help.contains("GIT_DEPTH: 0"),
        "{help}"
    );
    assert_eq!(findings(&report)[0]["severity"], "warning");
}

#[test]
fn git_outside_a_repository_is_a_warning() {
    let dir = handbook(&[("book.toml", BOOK), ("content/index.md", "# Home\n")]);
    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!(code, 0, "{report}");
    let stale = stale(&report);
    assert_eq!(stale.len(), 1);
    assert!(stale[0].1.contains("not in a git repository"), "{stale:?}");
}

#[test]
fn pages_show_their_last_update_and_the_sitemap_its_day() {
    let repo = repository();
    let root = repo.path().join("docs");
    write(
        &root,
        "book.toml",
        &format!("{BOOK}[shipshape]\nbase-url = \"https://docs.example.com/\"\n"),
    );
    write(&root, "content/part.md", "Included words.\n");
    write(
        &root,
        "content/guide.md",
        "# Guide\n\n{{#include part.md}}\n",
    );
    write(
        &root,
        "content/SUMMARY.md",
        "- [Home](index.md)\n- [Guide](guide.md)\n- [Latency](runbooks/latency.md)\n",
    );
    commit(repo.path(), "2026-02-01", "Guide");
    // Only the include changes: the page that includes it is updated on that day.
    write(&root, "content/part.md", "Included words, revised.\n");
    commit(repo.path(), "2026-03-05", "Revise the shared part");
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let output = common::build(&root, &site);
    assert!(
        output.status.code().unwrap() <= 1,
        "{}",
        common::stderr(&output)
    );
    let guide = common::page(&site, "guide.html");
    assert!(
        guide.contains("<p class=\"page-updated\">Last updated <time datetime=\"2026-03-05\">2026-03-05</time></p>"),
        "{guide}"
    );
    let home = common::page(&site, "index.html");
    assert!(
        home.contains("datetime=\"2026-01-10\""),
        "the home page was last changed in the first commit"
    );
    let sitemap = common::page(&site, "sitemap.xml");
    assert!(
        sitemap.contains(
            "<loc>https://docs.example.com/guide.html</loc><lastmod>2026-03-05</lastmod>"
        ),
        "{sitemap}"
    );
    // Without git, neither.
    write(
        &root,
        "book.toml",
        "[book]
src = \"content\"
[shipshape]
base-url = \"https://docs.example.com/\"
",
    );
    let output = common::build(&root, &site);
    assert!(output.status.code().unwrap() <= 1);
    assert!(!common::page(&site, "guide.html").contains("Last updated"));
    assert!(!common::page(&site, "sitemap.xml").contains("lastmod"));
}

/// Builds `root` into `site` with the JSON log; whether the build was the no-op.
fn build_unchanged(root: &Path, site: &Path) -> bool {
    std::thread::sleep(std::time::Duration::from_millis(100)); // past the racy window
    let output = common::shipshape()
        .args([
            "build",
            "--today",
            common::TODAY,
            "--log-format",
            "json",
            "-d",
        ])
        .arg(site)
        .arg(root)
        .output()
        .unwrap();
    assert!(
        output.status.code().unwrap() <= 1,
        "{}",
        common::stderr(&output)
    );
    String::from_utf8_lossy(&output.stderr)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .find(|line| line["event"] == "stage" && line["stage"] == "render")
        .is_some_and(|line| line["unchanged"] == true)
}

#[test]
fn a_commit_is_a_change_to_the_build_cache() {
    let repo = repository();
    let root = repo.path().join("docs");
    write(repo.path(), ".gitignore", ".shipshape/\nsite/\n");
    commit(repo.path(), "2026-02-01", "Ignore the cache");
    let site = repo.path().join("site");
    assert!(!build_unchanged(&root, &site));
    assert!(build_unchanged(&root, &site), "nothing changed: the no-op");
    // An edit, built before it is committed: the page still shows its last commit.
    write(
        &root,
        "content/runbooks/latency.md",
        &RUNBOOK.replace("Page.", "Page the on-call."),
    );
    assert!(!build_unchanged(&root, &site));
    let runbook = common::page(&site, "runbooks/latency.html");
    assert!(runbook.contains("datetime=\"2026-01-10\""), "{runbook}");
    // Committing it touches no file of the handbook, yet it is a change.
    commit(repo.path(), "2026-05-02", "Runbook escalation");
    assert!(!build_unchanged(&root, &site), "a commit is a change");
    let runbook = common::page(&site, "runbooks/latency.html");
    assert!(runbook.contains("datetime=\"2026-05-02\""), "{runbook}");
    assert!(build_unchanged(&root, &site));
}
