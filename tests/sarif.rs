//! `check --format sarif`: SARIF 2.1.0 that Microsoft's SARIF Multitool (`validate`, the
//! SARIF SDK's own validator: the schema plus the SDK's rules) accepts, with the rules
//! reference as help, repository paths, fingerprints and related places.
//!
//! The multitool silently reports nothing for a log it cannot read into its object model
//! (a `level` or `columnKind` outside its enum), so each report is also checked against
//! the SARIF 2.1.0 JSON schema the multitool's package ships (`sarif-2.1.0.json`) with the
//! `jsonschema` crate, and the multitool must show that it ran its rules (SARIF2005).
//!
//! The validator comes from npm (`@microsoft/sarif-multitool`, pinned in
//! `tests/sarif/package-lock.json`) and needs Node.js with npm. When
//! `tests/sarif/node_modules` lacks it, the first test that validates runs
//! `npm ci --prefix tests/sarif --no-audit --no-fund` (this reaches the npm registry).
//! Without Node.js, or when `npm ci` fails, the validation is skipped: the test writes
//! `SKIPPED sarif validation: <what is missing>` to stderr and checks the rest. When `CI`
//! is set (to anything but empty, `0` or `false`) a missing validator fails the test.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use common::*;
use serde_json::Value;
use tempfile::TempDir;

/// Validator warnings that shipshape's reports have on purpose: (rule, message id, why).
const ACCEPTED: &[(&str, &str, &str)] = &[
    (
        "SARIF2005",
        "Warning_ProvideToolnformationUri",
        "shipshape has no web address of its own to name",
    ),
    (
        "SARIF2017",
        "Warning_MissingRegion",
        "a finding about a whole file (an orphan page) has no line, so no region",
    ),
];

fn package_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sarif")
}

/// The SARIF 2.1.0 schema in the multitool's package for this platform.
fn sarif_schema(script: &Path) -> Value {
    let packages = script.parent().unwrap().parent().unwrap();
    let path = std::fs::read_dir(packages)
        .unwrap()
        .map(|entry| entry.unwrap().path().join("sarif-2.1.0.json"))
        .find(|path| path.is_file())
        .unwrap_or_else(|| panic!("no sarif-2.1.0.json in {}", packages.display()));
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// The multitool's entry script, or what is missing. Installed once per test binary.
fn multitool() -> &'static Result<PathBuf, String> {
    static TOOL: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    TOOL.get_or_init(|| {
        let dir = package_dir();
        let script = dir.join("node_modules/@microsoft/sarif-multitool/bin.js");
        match Command::new("node").arg("--version").output() {
            Ok(output) if output.status.success() => {}
            _ => return Err("Node.js is not installed (install Node.js with npm)".into()),
        }
        if script.is_file() {
            return Ok(script);
        }
        npm_ci("sarif", &script, "the SARIF Multitool")?;
        Ok(script)
    })
}

/// Runs `sarif-multitool validate` on `file` and panics with every problem it reports,
/// but for the `ACCEPTED` warnings. Returns false when the validator is missing outside
/// CI (the check is skipped, with a notice).
fn validate(file: &Path) -> bool {
    let script = match multitool() {
        Ok(script) => script,
        Err(problem) if env_flag("CI") => panic!(
            "the SARIF validator cannot run: {problem}\n(CI is set, so a missing validator fails the test)"
        ),
        Err(problem) => {
            notice(&format!("SKIPPED sarif validation: {problem}"));
            return false;
        }
    };
    let errors = schema_errors(&sarif_schema(script), &read_json(file));
    assert!(
        errors.is_empty(),
        "not valid against the SARIF 2.1.0 schema:\n{}",
        errors.join("\n")
    );
    let work = tempfile::tempdir().unwrap();
    let log_path = work.path().join("validation.sarif");
    let output = Command::new("node")
        .arg(script)
        .arg("validate")
        .arg(file)
        .arg("--output")
        .arg(&log_path)
        .current_dir(work.path())
        .output()
        .expect("node runs");
    let console = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "the validator failed:\n{console}");
    let log: Value = serde_json::from_slice(
        &std::fs::read(&log_path).unwrap_or_else(|_| panic!("no validation log:\n{console}")),
    )
    .unwrap();
    let run = &log["runs"][0];
    assert_eq!(
        run["invocations"][0]["executionSuccessful"], true,
        "the validator did not run through:\n{console}"
    );
    let results = run["results"].as_array().unwrap();
    assert!(
        results.iter().any(|result| result["ruleId"] == "SARIF2005"),
        "the validator reported nothing, so it did not read the log:\n{console}"
    );
    let problems: Vec<String> = results
        .iter()
        .filter(|result| !matches!(result["level"].as_str(), Some("note" | "none")))
        .filter(|result| {
            let accepted = ACCEPTED
                .iter()
                .any(|(rule, id, _)| result["ruleId"] == *rule && result["message"]["id"] == *id);
            result["level"] == "error" || !accepted
        })
        .map(|result| {
            format!(
                "{} {}: {}",
                result["level"].as_str().unwrap_or("warning"),
                result["ruleId"],
                result["message"]
            )
        })
        .collect();
    assert!(
        problems.is_empty(),
        "the validator found problems:\n{}\n\n{console}",
        problems.join("\n")
    );
    true
}

/// A repository with a handbook at `docs/` whose findings are of five rules, with a related
/// place, hostile text in a message and in a key, and a file name with a space and
/// non-ASCII letters; it publishes the `link` rule's reference page.
fn repository(base_url: &str) -> TempDir {
    let repo = tempfile::tempdir().unwrap();
    git_init(repo.path());
    let files = [
        (
            "docs/book.toml",
            format!(
                "[book]\nsrc = \"content\"\n\"bad\\r\\nkey%::,'\\\"<script>é\\u0001\" = 1\n\n[shipshape]\nbase-url = \"{base_url}\"\n"
            ),
        ),
        (
            "docs/content/SUMMARY.md",
            "- [Home](index.md)\n- [Broken](guide/broken.md)\n- [The link rule](guide/rules/link.md)\n".into(),
        ),
        (
            "docs/content/index.md",
            "# Home\n\n[x](a%25b::c\"<script>é.md)\n\nSee [the rule](guide/rules/link.md#nowhere).\n\n{{#include missing.rs}}\n".into(),
        ),
        ("docs/content/guide/broken.md", "---\ntitle: [a\n---\n# Broken\n".into()),
        ("docs/content/guide/rules/link.md", "# `link`\n".into()),
        ("docs/content/guide/ünï code.md", "# Lost\n".into()),
    ];
    for (path, text) in &files {
        write(repo.path(), path, text);
    }
    repo
}

/// Runs `check docs ARGS` from `repo` and returns the exit code.
fn check_in(repo: &Path, args: &[&str]) -> i32 {
    let output = shipshape()
        .args(["check", "docs", "--today", TODAY])
        .args(args)
        .current_dir(repo)
        .output()
        .unwrap();
    output.status.code().unwrap()
}

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// `shipshape explain`'s list: each existing rule with its default severity, in order.
fn explained_rules() -> Vec<(String, String)> {
    let output = shipshape().arg("explain").output().unwrap();
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .filter(|line| line.starts_with("  "))
        .map(|line| {
            let mut words = line.split_whitespace();
            (
                words.next().unwrap().to_string(),
                words.next().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_report_of_every_kind_of_finding_is_valid_sarif() {
    let repo = repository("https://handbook.example.com/docs/");
    let code = check_in(
        repo.path(),
        &["--format", "sarif=out.sarif", "--format", "json=out.json"],
    );
    assert_eq!(code, 1);
    let sarif_path = repo.path().join("out.sarif");
    validate(&sarif_path);

    let log = read_json(&sarif_path);
    assert_eq!(log["version"], "2.1.0");
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "shipshape");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let rules = driver["rules"].as_array().unwrap();
    let listed: Vec<(String, String)> = rules
        .iter()
        .map(|rule| {
            (
                rule["id"].as_str().unwrap().to_string(),
                rule["defaultConfiguration"]["level"]
                    .as_str()
                    .unwrap()
                    .to_string(),
            )
        })
        .collect();
    assert_eq!(listed, explained_rules(), "the rules that exist, in order");
    // Only the link rule's page is published, so only it has a helpUri.
    for rule in rules {
        let expected = (rule["id"] == "link")
            .then_some("https://handbook.example.com/docs/guide/rules/link.html");
        assert_eq!(rule["helpUri"].as_str(), expected, "{rule}");
    }

    // One result per finding of the json report, in the same order and with its fingerprint.
    let json = read_json(&repo.path().join("out.json"));
    let findings = json["findings"].as_array().unwrap();
    let results = runs[0]["results"].as_array().unwrap();
    assert_eq!(results.len(), findings.len());
    let mut rules_found: Vec<&str> = findings
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    rules_found.sort();
    rules_found.dedup();
    assert_eq!(
        rules_found,
        ["include", "link", "orphan", "schema", "syntax"]
    );
    for (result, finding) in results.iter().zip(findings) {
        assert_eq!(result["ruleId"], finding["rule"]);
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], finding["rule"]);
        assert_eq!(result["level"], finding["severity"]);
        assert_eq!(
            result["partialFingerprints"]["shipshape/v1"],
            finding["fingerprint"]
        );
        let message = result["message"]["text"].as_str().unwrap();
        assert!(
            message.starts_with(finding["message"].as_str().unwrap()),
            "{message}"
        );
        if let Some(help) = finding["help"].as_str() {
            assert!(message.contains(&format!("\n{help}")), "{message}");
        }
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        match finding["line"].as_u64() {
            Some(line) => {
                assert_eq!(location["region"]["startLine"], line);
                assert_eq!(location["region"]["startColumn"], finding["column"]);
            }
            None => assert!(location.get("region").is_none(), "{location}"),
        }
    }

    let by_message = |text: &str| {
        results
            .iter()
            .find(|r| r["message"]["text"].as_str().unwrap().contains(text))
            .unwrap_or_else(|| panic!("no result with {text:?}"))
    };
    // Repository paths, as URI references.
    let anchor = by_message("no heading with anchor `#nowhere`");
    assert_eq!(
        anchor["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "docs/content/index.md"
    );
    assert_eq!(
        anchor["relatedLocations"],
        serde_json::json!([{
            "id": 1,
            "physicalLocation": {
                "artifactLocation": {"uri": "docs/content/guide/rules/link.md", "uriBaseId": "%SRCROOT%"},
            },
            "message": {"text": "the page the link points at."},
        }])
    );
    let orphan = by_message("no navigation reaches this page");
    assert_eq!(orphan["level"], "warning");
    assert_eq!(
        orphan["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "docs/content/guide/%C3%BCn%C3%AF%20code.md"
    );
    // Hostile text stays as it was, inside valid JSON.
    assert!(
        by_message("unknown key in [book]")["message"]["text"]
            .as_str()
            .unwrap()
            .starts_with("unknown key in [book]: `bad\r\nkey%::,'\"<script>é\u{1}`.\n"),
    );
}

#[test]
fn help_uris_need_a_full_base_url() {
    let repo = repository("/docs/");
    check_in(repo.path(), &["--format", "sarif=out.sarif"]);
    let log = read_json(&repo.path().join("out.sarif"));
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert!(rules.iter().all(|rule| rule.get("helpUri").is_none()));
}

#[test]
fn each_rule_carries_its_reference_text_as_help() {
    let repo = repository("/");
    check_in(repo.path(), &["--format", "sarif=out.sarif"]);
    let log = read_json(&repo.path().join("out.sarif"));
    for rule in log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
    {
        let id = rule["id"].as_str().unwrap();
        let explained = shipshape().args(["explain", id]).output().unwrap();
        let explained = String::from_utf8(explained.stdout).unwrap();
        let summary = explained.lines().next().unwrap();
        assert_eq!(
            format!(
                "{id}: {}",
                rule["shortDescription"]["text"].as_str().unwrap()
            ),
            format!("{summary}."),
        );
        // What it finds, why, how to fix and how to configure, word for word; the
        // example stays in `explain`.
        let text = rule["help"]["text"].as_str().unwrap();
        let until_example = &explained[..explained.find("\nExample\n").unwrap()];
        let sections = until_example.split_once('\n').unwrap().1;
        let sections = sections.split_once('\n').unwrap().1.trim();
        assert_eq!(text, sections, "{id}");
        let markdown = rule["help"]["markdown"].as_str().unwrap();
        for heading in [
            "## What it finds",
            "## Why it matters",
            "## How to fix it",
            "## Configure or silence it",
        ] {
            assert!(markdown.contains(heading), "{id}: {markdown}");
        }
        assert!(
            markdown.contains(&format!("```toml\n[policy.severity]\n{id} = ")),
            "{id}: {markdown}"
        );
        assert!(rule["fullDescription"]["text"].as_str().unwrap().len() > 40);
    }
}

#[test]
fn the_bundled_handbook_gives_valid_sarif_with_no_results() {
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("out.sarif");
    let output = shipshape()
        .args(["check", env!("CARGO_MANIFEST_DIR"), "--today", TODAY])
        .arg("--format")
        .arg(format!("sarif={}", file.display()))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    validate(&file);
    let log = read_json(&file);
    let results: Vec<&serde_json::Value> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        // In a shallow CI checkout, the one notice that git dates were not read.
        .filter(|result| {
            !(common::checkout_lacks_history()
                && result["ruleId"] == "stale"
                && result["level"] == "warning"
                && result["message"]["text"]
                    .as_str()
                    .is_some_and(|text| text.starts_with("`[policy] git = true`, but")))
        })
        .collect();
    assert!(results.is_empty(), "{results:#?}");
}
