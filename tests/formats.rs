//! The report formats of `check --format FMT[=FILE]`: each format on the broken fixture,
//! escaping of hostile messages, stable fingerprints, several reports in one run.

mod common;

use std::path::Path;

use common::xml::{Xml, attr, parse_xml};
use common::*;
use tempfile::TempDir;

/// A git repository with the broken fixture at `docs/`.
fn repository() -> TempDir {
    let repo = tempfile::tempdir().unwrap();
    git_init(repo.path());
    copy_tree(&fixture_path("broken"), &repo.path().join("docs"));
    repo
}

/// Runs `shipshape check docs ARGS` from the repository root; the exit code and stdout.
fn check_in(repo: &Path, args: &[&str]) -> (i32, String) {
    let output = shipshape()
        .env_remove("GITHUB_STEP_SUMMARY")
        .args(["check", "docs", "--today", TODAY])
        .args(args)
        .current_dir(repo)
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
    )
}

#[test]
fn github_annotates_repository_paths_errors_first() {
    let repo = repository();
    let (code, text) = check_in(repo.path(), &["--format", "github"]);
    assert_eq!(code, 1);
    assert_eq!(
        text,
        "\
::error file=docs/content/SUMMARY.md,line=6,col=3,title=link::SUMMARY.md lists `guide/missing.md`, which does not exist
::error file=docs/content/guide/intro.md,line=9,col=5,title=link::link `setup.md` points at `guide/setup.md`, which does not exist
::error file=docs/content/guide/intro.md,line=9,col=31,title=link::image `diagram.png` points at `guide/diagram.png`, which does not exist
::error file=docs/content/guide/intro.md,line=10,col=34,title=link::no heading with anchor `#nowhere` on this page
::error file=docs/content/index.md,line=3,col=10,title=link::no heading with anchor `#getting-startd` on `guide/intro.md`
::warning file=docs/content/guide/unlisted.md,title=orphan::no navigation reaches this page: readers can only find it through search or links
"
    );
}

#[test]
fn github_writes_a_job_summary_grouped_by_rule() {
    let repo = repository();
    let summary = repo.path().join("summary.md");
    std::fs::write(&summary, "before\n").unwrap();
    let output = shipshape()
        .env("GITHUB_STEP_SUMMARY", &summary)
        .args(["check", "docs", "--format", "github", "--today", TODAY])
        .current_dir(repo.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = std::fs::read_to_string(&summary).unwrap();
    assert!(
        text.starts_with(
            "before\n## shipshape check\n\n5 errors, 1 warning in 5 files (link 5, orphan 1)\n"
        ),
        "{text}"
    );
    let link = text.find("### `link` (5)").expect(&text);
    let orphan = text.find("### `orphan` (1)").expect(&text);
    assert!(link < orphan, "{text}");
    assert!(
        text.contains("| error | docs/content/guide/intro.md | 10 | no heading with anchor \\`\\#nowhere\\` on this page |"),
        "{text}"
    );
    assert!(
        text.contains("| warning | docs/content/guide/unlisted.md |  | "),
        "{text}"
    );
}

#[test]
fn gitlab_is_code_quality_json_with_repository_paths() {
    let repo = repository();
    let (code, text) = check_in(repo.path(), &["--format", "gitlab"]);
    assert_eq!(code, 1);
    let issues: serde_json::Value = serde_json::from_str(&text).unwrap();
    let issues = issues.as_array().unwrap();
    assert_eq!(issues.len(), 6);
    assert_eq!(
        issues[0],
        serde_json::json!({
            "description": "SUMMARY.md lists `guide/missing.md`, which does not exist",
            "check_name": "link",
            "fingerprint": issues[0]["fingerprint"],
            "severity": "major",
            "location": {"path": "docs/content/SUMMARY.md", "lines": {"begin": 6}},
        })
    );
    let orphan = issues.iter().find(|i| i["check_name"] == "orphan").unwrap();
    assert_eq!(orphan["severity"], "minor");
    assert_eq!(orphan["location"]["path"], "docs/content/guide/unlisted.md");
    assert_eq!(orphan["location"]["lines"]["begin"], 1);
    let mut fingerprints: Vec<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    assert!(fingerprints.iter().all(|f| {
        f.len() == 16
            && f.chars()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
    }));
    fingerprints.sort();
    fingerprints.dedup();
    assert_eq!(
        fingerprints.len(),
        6,
        "fingerprints are unique in the report"
    );
}

/// The broken fixture's documents, as the junit report names them.
const DOCUMENTS: [&str; 5] = [
    "docs/book.toml",
    "docs/content/SUMMARY.md",
    "docs/content/guide/intro.md",
    "docs/content/guide/unlisted.md",
    "docs/content/index.md",
];

/// `shipshape explain`'s list of the rules that exist, in order.
fn existing_rules() -> Vec<String> {
    let output = shipshape().arg("explain").output().unwrap();
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .filter(|line| line.starts_with("  "))
        .map(|line| line.split_whitespace().next().unwrap().to_string())
        .collect()
}

/// The names of the report's testsuites.
fn suite_names(xml: &Xml) -> Vec<&str> {
    xml.named("testsuite")
        .map(|(_, suite)| attr(suite, "name").unwrap())
        .collect()
}

#[test]
fn junit_has_a_suite_per_rule_and_a_testcase_per_document() {
    let repo = repository();
    let (code, text) = check_in(repo.path(), &["--format", "junit"]);
    assert_eq!(code, 1);
    let xml = parse_xml(&text);
    let rules = existing_rules();
    assert_eq!(suite_names(&xml), rules);
    let (root, root_element) = xml.named("testsuites").next().unwrap();
    assert_eq!(root, 0);
    let (mut tests, mut failures) = (0, 0);
    for (index, suite) in xml.named("testsuite") {
        assert_eq!(suite.parent, Some(root));
        let rule = attr(suite, "name").unwrap();
        let cases = xml.children(index, "testcase");
        // Every document, passing ones included, in every suite.
        let names: Vec<&str> = cases
            .iter()
            .map(|(_, c)| attr(c, "name").unwrap())
            .collect();
        assert_eq!(names, DOCUMENTS, "{rule}");
        for (_, case) in &cases {
            assert_eq!(attr(case, "file"), attr(case, "name"));
            assert_eq!(
                attr(case, "classname"),
                Some(format!("shipshape.{rule}").as_str())
            );
        }
        let failed = cases
            .iter()
            .filter(|(at, _)| !xml.children(*at, "failure").is_empty())
            .count();
        assert_eq!(
            attr(suite, "tests"),
            Some(cases.len().to_string().as_str()),
            "{rule}"
        );
        assert_eq!(
            attr(suite, "failures"),
            Some(failed.to_string().as_str()),
            "{rule}"
        );
        tests += cases.len();
        failures += failed;
    }
    assert_eq!(
        attr(root_element, "tests"),
        Some(tests.to_string().as_str())
    );
    assert_eq!(
        attr(root_element, "failures"),
        Some(failures.to_string().as_str())
    );

    let case = |rule: &str, document: &str| {
        let (suite, _) = xml
            .named("testsuite")
            .find(|(_, s)| attr(s, "name") == Some(rule))
            .unwrap();
        xml.children(suite, "testcase")
            .into_iter()
            .find(|(_, c)| attr(c, "name") == Some(document))
            .unwrap()
            .0
    };
    // The link errors: one failure per document, listing each finding with its help.
    let intro = case("link", "docs/content/guide/intro.md");
    let failure = xml.children(intro, "failure");
    assert_eq!(failure.len(), 1);
    let failure = failure[0].1;
    assert_eq!(attr(failure, "type"), Some("link"));
    assert_eq!(
        attr(failure, "message"),
        Some(
            "3 errors; the first: link `setup.md` points at `guide/setup.md`, which does not exist"
        )
    );
    let lines: Vec<&str> = failure.text.lines().collect();
    assert_eq!(lines.len(), 6, "{}", failure.text);
    assert_eq!(
        lines[0],
        "docs/content/guide/intro.md:9:5 link `setup.md` points at `guide/setup.md`, which does not exist"
    );
    assert!(
        lines[1].starts_with("  help: fix the path"),
        "{}",
        failure.text
    );
    assert_eq!(
        lines[4],
        "docs/content/guide/intro.md:10:34 no heading with anchor `#nowhere` on this page"
    );
    assert!(xml.children(intro, "system-out").is_empty());
    // A document without the rule's findings passes.
    let unlisted = case("link", "docs/content/guide/unlisted.md");
    assert!(xml.children(unlisted, "failure").is_empty());
    assert!(xml.children(unlisted, "system-out").is_empty());
    // The orphan warning: output, not a failure.
    let orphan = case("orphan", "docs/content/guide/unlisted.md");
    assert!(xml.children(orphan, "failure").is_empty());
    let out = xml.children(orphan, "system-out");
    assert_eq!(out.len(), 1);
    assert!(
        out[0].1.text.starts_with(
            "docs/content/guide/unlisted.md no navigation reaches this page: readers can only find it through search or links\n  help: "
        ),
        "{}",
        out[0].1.text
    );
}

#[test]
fn junit_suites_follow_rule_and_skip_rule() {
    let repo = repository();
    let (code, text) = check_in(repo.path(), &["--format", "junit", "--rule", "orphan"]);
    assert_eq!(code, 0);
    let xml = parse_xml(&text);
    assert_eq!(suite_names(&xml), ["orphan"]);
    assert!(xml.named("failure").next().is_none());
    let (_, text) = check_in(
        repo.path(),
        &[
            "--format",
            "junit",
            "--skip-rule",
            "orphan",
            "--skip-rule",
            "schema",
        ],
    );
    let xml = parse_xml(&text);
    let expected: Vec<String> = existing_rules()
        .into_iter()
        .filter(|rule| rule != "orphan" && rule != "schema")
        .collect();
    assert_eq!(suite_names(&xml), expected);
    assert_eq!(xml.named("failure").count(), 3);
}

#[test]
fn json_adds_fingerprints_and_the_root() {
    let repo = repository();
    let (code, text) = check_in(repo.path(), &["--format", "json"]);
    assert_eq!(code, 1);
    let report: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(report["version"], 1);
    assert_eq!(report["root"], "docs");
    assert_eq!(report["findings"][0]["file"], "content/SUMMARY.md");
    assert!(report["findings"][0]["fingerprint"].is_string());
    // The handbook at the repository root.
    let dir = fixture("broken");
    git_init(dir.path());
    let (_, report) = check_json(dir.path(), &[]);
    assert_eq!(report["root"], "");
}

const LINK: &str = "a%25b::c\"<script>é.md";

#[test]
fn github_escapes_data_and_properties() {
    let repo = hostile("");
    let (_, text) = check_in(repo.path(), &["--format", "github"]);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(
        lines[0].starts_with(
            "::error file=docs/content/index.md,line=3,col=1,title=link::link `a%2525b::c\"<script>é.md` points at"
        ),
        "{text}"
    );
    assert_eq!(
        lines[1],
        "::warning file=docs/book.toml,line=3,col=1,title=schema::unknown key in [book]: `bad%0D%0Akey%25::,'\"<script>é\u{1}`"
    );
}

#[test]
fn gitlab_and_json_stay_valid_json() {
    let repo = hostile("");
    let (_, text) = check_in(repo.path(), &["--format", "gitlab"]);
    let issues: serde_json::Value = serde_json::from_str(&text).unwrap();
    let descriptions: Vec<&str> = issues
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["description"].as_str().unwrap())
        .collect();
    assert!(
        descriptions.iter().any(|d| d.contains(LINK)),
        "{descriptions:?}"
    );
    assert!(
        descriptions.contains(&"unknown key in [book]: `bad\r\nkey%::,'\"<script>é\u{1}`"),
        "{descriptions:?}"
    );
    let (_, text) = check_in(repo.path(), &["--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&text).unwrap();
    let messages = messages(&report);
    assert!(messages.iter().any(|m| m.contains(LINK)), "{messages:?}");
    assert!(
        messages.iter().any(|m| m.contains("bad\r\nkey")),
        "{messages:?}"
    );
}

#[test]
fn sarif_stays_valid_json_with_messages_intact() {
    let repo = hostile("");
    let (code, text) = check_in(repo.path(), &["--format", "sarif"]);
    assert_eq!(code, 1);
    let log: serde_json::Value = serde_json::from_str(&text).unwrap();
    let messages: Vec<&str> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|result| result["message"]["text"].as_str().unwrap())
        .collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with(&format!("link `{LINK}` points at"))),
        "{messages:?}"
    );
    // The message, made a sentence, then the help on its own line.
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("unknown key in [book]: `bad\r\nkey%::,'\"<script>é\u{1}`.\n")),
        "{messages:?}"
    );
    // Only JSON's own escapes: the text is not HTML- or percent-encoded on the way.
    assert!(text.contains("<script>"), "{text}");
    assert!(text.contains("bad\\r\\nkey%::"), "{text}");
    assert!(text.contains("\\u0001"), "{text}");
}

#[test]
fn junit_stays_well_formed() {
    let repo = hostile("");
    let (_, text) = check_in(repo.path(), &["--format", "junit"]);
    assert!(!text.contains("<script>"), "{text}");
    let xml = parse_xml(&text);
    let messages: Vec<&str> = xml
        .named("failure")
        .filter_map(|(_, failure)| attr(failure, "message"))
        .collect();
    assert_eq!(messages.len(), 1);
    assert!(messages[0].contains(LINK), "{messages:?}");
    // The warning's newline survives; the control character XML forbids is left out.
    assert!(
        xml.text
            .contains("unknown key in [book]: `bad\r\nkey%::,'\"<script>é`"),
        "{}",
        xml.text
    );
}

#[test]
fn fingerprints_survive_lines_inserted_above() {
    let repo = repository();
    let fingerprints = |repo: &Path| {
        let (_, text) = check_in(repo, &["--format", "json"]);
        let report: serde_json::Value = serde_json::from_str(&text).unwrap();
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["file"].as_str().unwrap().to_string(),
                    f["message"].as_str().unwrap().to_string(),
                    f["line"].as_u64(),
                    f["fingerprint"].as_str().unwrap().to_string(),
                )
            })
            .collect::<Vec<_>>()
    };
    let before = fingerprints(repo.path());
    let intro = repo.path().join("docs/content/guide/intro.md");
    let text = std::fs::read_to_string(&intro).unwrap();
    let text = text.replacen(
        "# Intro\n",
        "# Intro\n\nA new paragraph.\n\nAnd another.\n",
        1,
    );
    std::fs::write(&intro, text).unwrap();
    let after = fingerprints(repo.path());
    assert_eq!(before.len(), after.len());
    let mut moved = 0;
    for (old, new) in before.iter().zip(&after) {
        assert_eq!((&old.0, &old.1, &old.3), (&new.0, &new.1, &new.3));
        if old.2 != new.2 {
            moved += 1;
        }
    }
    assert_eq!(moved, 3, "the intro.md findings moved down: {after:?}");
}

#[test]
fn several_formats_in_one_run() {
    let repo = repository();
    let (code, text) = check_in(
        repo.path(),
        &[
            "--format",
            "github",
            "--format",
            "json=out.json",
            "--format",
            "junit=junit.xml",
        ],
    );
    assert_eq!(code, 1);
    assert!(
        text.starts_with("::error file=docs/content/SUMMARY.md"),
        "{text}"
    );
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(repo.path().join("out.json")).unwrap()).unwrap();
    assert_eq!(report["findings"].as_array().unwrap().len(), 6);
    parse_xml(&std::fs::read_to_string(repo.path().join("junit.xml")).unwrap());
    // -o takes the one format without a file.
    let (_, text) = check_in(
        repo.path(),
        &[
            "--format",
            "gitlab=gl.json",
            "--format",
            "json",
            "-o",
            "o.json",
        ],
    );
    assert_eq!(text, "");
    assert!(repo.path().join("gl.json").is_file());
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(repo.path().join("o.json")).unwrap()).unwrap();
    assert_eq!(report["root"], "docs");
}

#[test]
fn reports_that_cannot_go_anywhere_are_usage_errors() {
    let repo = repository();
    for args in [
        &["--format", "json", "--format", "junit", "-o", "x"][..],
        &["--format", "json", "--format", "junit"][..],
        &["--format", "json=x", "-o", "y"][..],
        &["--format", "json=x", "--format", "junit=x"][..],
        &["--format", "sarf"][..],
        &["--format", "json="][..],
    ] {
        let (code, text) = check_in(repo.path(), args);
        assert_eq!((code, text.as_str()), (2, ""), "{args:?}");
    }
    assert!(!repo.path().join("x").exists());
    assert!(!repo.path().join("y").exists());
}

#[test]
fn an_unwritable_report_path_writes_nothing() {
    let repo = repository();
    let output = shipshape()
        .env_remove("GITHUB_STEP_SUMMARY")
        .args(["check", "docs", "--today", TODAY])
        .args([
            "--format",
            "gitlab=gl.json",
            "--format",
            "json=missing/out.json",
        ])
        .args(["--format", "junit=junit.xml"])
        .current_dir(repo.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("cannot write the report to missing/out.json"),
        "{}",
        stderr(&output)
    );
    assert!(output.stdout.is_empty());
    let left: Vec<String> = std::fs::read_dir(repo.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name != ".git" && name != "docs")
        .collect();
    assert_eq!(left, Vec::<String>::new());
    // A folder in the way is refused too.
    std::fs::create_dir(repo.path().join("dir")).unwrap();
    let (code, _) = check_in(repo.path(), &["--format", "json=dir"]);
    assert_eq!(code, 2);
}

#[test]
fn every_format_is_deterministic() {
    let repo = repository();
    for format in ["human", "json", "github", "gitlab", "junit", "sarif"] {
        let first = check_in(repo.path(), &["--format", format]);
        let second = check_in(repo.path(), &["--format", format]);
        assert_eq!(first, second, "{format}");
    }
}
