//! Baselines: `check --update-baseline FILE` accepts today's findings, `check --baseline
//! FILE` then fails only on new ones, counts the accepted ones, and says which are fixed.

mod common;

use std::path::Path;
use std::process::Output;

use common::{TODAY, findings, fixture, messages, shipshape, stderr, write};

/// Runs `check` in `dir` (the handbook root) with `args`.
fn check(dir: &Path, args: &[&str]) -> Output {
    shipshape()
        .current_dir(dir)
        .args(["check", "--today", TODAY])
        .args(args)
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|err| panic!("no JSON ({err}): {}", stderr(output)))
}

fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file)).unwrap()
}

#[test]
fn update_baseline_accepts_every_finding_and_writes_the_same_bytes_again() {
    let dir = fixture("broken");
    let output = check(dir.path(), &["--update-baseline", "baseline.json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "shipshape: no findings in 5 files; 6 baselined\n"
    );
    let text = read(dir.path(), "baseline.json");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.first(), Some(&"{\"version\": 1, \"findings\": ["));
    assert_eq!(lines.last(), Some(&"]}"));
    assert_eq!(lines.len(), 8, "{text}");
    assert!(
        lines[1].starts_with("  {\"fingerprint\": \"")
            && lines[1].contains(
                "\"count\": 1, \"rule\": \"link\", \"file\": \"content/SUMMARY.md\", \"message\": \"SUMMARY.md lists `guide/missing.md`, which does not exist\"}"
            ),
        "{text}"
    );
    // The same findings as the report, as a JSON reader sees them.
    let parsed: serde_json::Value = serde_json::from_str(&text).unwrap();
    let (_, report) = common::check_json(dir.path(), &[]);
    let mut prints: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["fingerprint"].as_str().unwrap())
        .collect();
    prints.sort_unstable();
    let mut listed: Vec<&str> = parsed["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["fingerprint"].as_str().unwrap())
        .collect();
    listed.sort_unstable();
    assert_eq!(listed, prints);

    let again = check(dir.path(), &["--update-baseline", "baseline.json"]);
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(read(dir.path(), "baseline.json"), text);
}

#[test]
fn baselined_findings_do_not_fail_the_run_and_are_counted_not_printed() {
    let dir = fixture("broken");
    check(dir.path(), &["--update-baseline", "baseline.json"]);
    let output = check(dir.path(), &["--baseline", "baseline.json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "shipshape: no findings in 5 files; 6 baselined\n"
    );
    let output = check(
        dir.path(),
        &["--baseline", "baseline.json", "--format", "json"],
    );
    let report = json(&output);
    assert_eq!(report["findings"], serde_json::json!([]));
    assert_eq!(report["summary"]["baselined"], 6);
    assert_eq!(report["summary"]["fixed"], 0);
    assert_eq!(report["summary"]["errors"], 0);
    // Nor do the CI formats list them.
    for format in ["github", "gitlab", "junit", "sarif"] {
        let output = check(
            dir.path(),
            &["--baseline", "baseline.json", "--format", format],
        );
        assert_eq!(output.status.code(), Some(0));
        let text = stdout(&output);
        if format == "sarif" {
            // Its rules carry the reference text, whose examples name findings too.
            let sarif: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert_eq!(sarif["runs"][0]["results"], serde_json::json!([]), "{text}");
            continue;
        }
        assert!(!text.contains("getting-startd"), "{format}: {text}");
        assert!(!text.contains("<failure"), "{format}: {text}");
        // junit lists every checked document, passing; the others list findings only.
        if format != "junit" {
            assert!(!text.contains("SUMMARY.md"), "{format}: {text}");
        }
    }
}

#[test]
fn a_second_identical_problem_is_new() {
    let dir = fixture("broken");
    check(dir.path(), &["--update-baseline", "baseline.json"]);
    let index = dir.path().join("content/index.md");
    let text = std::fs::read_to_string(&index).unwrap();
    std::fs::write(
        &index,
        format!("{text}\nAgain: the [intro](guide/intro.md#getting-startd).\n"),
    )
    .unwrap();
    let output = check(
        dir.path(),
        &["--baseline", "baseline.json", "--format", "json"],
    );
    assert_eq!(output.status.code(), Some(1));
    let report = json(&output);
    // The first in report order is the one the baseline accepts; the new one is reported.
    assert_eq!(
        findings(&report)
            .into_iter()
            .map(|(rule, _, file, line, _)| (rule, file, line))
            .collect::<Vec<_>>(),
        vec![("link".to_string(), "content/index.md".to_string(), Some(5))],
        "{report:#}"
    );
    assert_eq!(report["summary"]["baselined"], 6);
    // Counted twice once the baseline is updated.
    check(dir.path(), &["--update-baseline", "baseline.json"]);
    let baseline = read(dir.path(), "baseline.json");
    assert!(
        baseline.contains("\"count\": 2, \"rule\": \"link\", \"file\": \"content/index.md\""),
        "{baseline}"
    );
    let output = check(dir.path(), &["--baseline", "baseline.json"]);
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn an_edit_above_a_baselined_finding_keeps_it_baselined() {
    let dir = fixture("broken");
    check(dir.path(), &["--update-baseline", "baseline.json"]);
    let intro = dir.path().join("content/guide/intro.md");
    let text = std::fs::read_to_string(&intro).unwrap();
    let edited = text.replacen(
        "# Intro\n",
        "# Intro\n\nA new paragraph.\n\nAnd another, with\nmore lines.\n",
        1,
    );
    assert_ne!(edited, text);
    std::fs::write(&intro, edited).unwrap();
    let output = check(
        dir.path(),
        &["--baseline", "baseline.json", "--format", "json"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert_eq!(json(&output)["summary"]["baselined"], 6);
}

#[test]
fn fixed_entries_are_reported_and_do_not_fail_the_run() {
    let dir = fixture("broken");
    check(dir.path(), &["--update-baseline", "baseline.json"]);
    // Two of the six are fixed: the image now exists, and the link to `#nowhere` is gone.
    write(dir.path(), "content/guide/diagram.png", "png");
    let intro = read(dir.path(), "content/guide/intro.md");
    let fixed = intro.replace(" or [nowhere](#nowhere)", "");
    assert_ne!(fixed, intro);
    write(dir.path(), "content/guide/intro.md", &fixed);
    let output = check(dir.path(), &["--baseline", "baseline.json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "shipshape: no findings in 5 files; 4 baselined\nshipshape: 2 baselined findings are fixed: run with --update-baseline baseline.json to shrink the baseline\n"
    );
    let report = json(&check(
        dir.path(),
        &["--baseline", "baseline.json", "--format", "json"],
    ));
    assert_eq!(report["summary"]["fixed"], 2);
    assert_eq!(report["summary"]["baselined"], 4);
    // Updating shrinks the baseline, and then nothing is fixed any more.
    let before = read(dir.path(), "baseline.json");
    check(dir.path(), &["--update-baseline", "baseline.json"]);
    let after = read(dir.path(), "baseline.json");
    assert_eq!(
        (before.lines().count(), after.lines().count()),
        (8, 6),
        "{after}"
    );
    assert!(!after.contains("diagram.png"), "{after}");
    assert!(!after.contains("#nowhere"), "{after}");
    let report = json(&check(
        dir.path(),
        &["--baseline", "baseline.json", "--format", "json"],
    ));
    assert_eq!(report["summary"]["fixed"], 0);
}

#[test]
fn rules_left_out_of_the_run_have_no_fixed_findings() {
    let dir = fixture("broken");
    check(dir.path(), &["--update-baseline", "baseline.json"]);
    let report = json(&check(
        dir.path(),
        &[
            "--baseline",
            "baseline.json",
            "--rule",
            "orphan",
            "--format",
            "json",
        ],
    ));
    assert_eq!(
        (&report["summary"]["baselined"], &report["summary"]["fixed"]),
        (&serde_json::json!(1), &serde_json::json!(0)),
        "{report:#}"
    );
}

#[test]
fn reading_one_baseline_and_writing_another_judges_by_the_one_read() {
    let dir = fixture("broken");
    check(dir.path(), &["--update-baseline", "old.json"]);
    write(
        dir.path(),
        "content/guide/unlisted.md",
        "# Unlisted\n\n[new](new-page.md)\n",
    );
    let output = check(
        dir.path(),
        &[
            "--baseline",
            "old.json",
            "--update-baseline",
            "new.json",
            "--format",
            "json",
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        messages(&json(&output)),
        ["link `new-page.md` points at `guide/new-page.md`, which does not exist"]
    );
    let new = read(dir.path(), "new.json");
    assert_eq!(new.lines().count(), 9, "{new}");
    assert!(new.contains("new-page.md"), "{new}");
    assert!(!read(dir.path(), "old.json").contains("new-page.md"));
}

#[test]
fn suppressed_and_baselined_findings_are_counted_together() {
    let dir = fixture("broken");
    check(dir.path(), &["--update-baseline", "baseline.json"]);
    write(
        dir.path(),
        "content/guide/unlisted.md",
        "# Unlisted\n\n<!-- shipshape-disable-next-line link -- drafted elsewhere -->\n[new](new-page.md)\n",
    );
    let output = check(dir.path(), &["--baseline", "baseline.json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert_eq!(
        stdout(&output),
        "shipshape: no findings in 5 files; 1 suppressed, 6 baselined\n"
    );
}

#[test]
fn a_missing_baseline_is_exit_2_naming_it() {
    let dir = fixture("broken");
    let output = check(dir.path(), &["--baseline", "nowhere/baseline.json"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    assert_eq!(
        stderr(&output),
        "error: cannot read the baseline nowhere/baseline.json: no such file\n  help: write one with `shipshape check --update-baseline nowhere/baseline.json`\n"
    );
}

#[test]
fn a_corrupt_baseline_is_exit_2_with_line_column_and_a_hint() {
    let dir = fixture("broken");
    for (text, place, message) in [
        (
            "{\"version\": 1, \"findings\": [\n  {\"fingerprint\": \"c3421026919c0da8\", \"count\": 1},\n  {\"fingerprint\": \"c3421026919c0da8\" \"count\": 1}\n]}\n",
            "3:38",
            "expected `,` or `}`",
        ),
        (
            "{\"version\": 7, \"findings\": []}\n",
            "1:13",
            "version 7 is not one this shipshape reads (it reads version 1)",
        ),
        (
            "{\"version\": 1, \"findings\": {}}\n",
            "1:27",
            "invalid type: map, expected a sequence",
        ),
        (
            "{\"version\": 1, \"findings\": [\n  {\"fingerprint\": \"<script>\", \"count\": 1}\n]}\n",
            "2:28",
            "`<script>` is not a fingerprint",
        ),
        ("", "1:1", "EOF while parsing a value"),
    ] {
        write(dir.path(), "baseline.json", text);
        let output = check(
            dir.path(),
            &["--baseline", "baseline.json", "--format", "json"],
        );
        assert_eq!(output.status.code(), Some(2), "{text}");
        assert!(output.stdout.is_empty(), "{text}");
        let err = stderr(&output);
        assert!(
            err.starts_with(&format!(
                "error: baseline.json:{place}: the baseline cannot be read: {message}"
            )),
            "{text}\n{err}"
        );
        assert!(
            err.ends_with("\n  help: regenerate it with `--update-baseline baseline.json`\n"),
            "{err}"
        );
    }
}

#[test]
fn an_unwritable_baseline_is_exit_2_and_no_report_is_written() {
    let dir = fixture("broken");
    let output = check(
        dir.path(),
        &[
            "--update-baseline",
            "missing-folder/baseline.json",
            "--format",
            "json=report.json",
        ],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("cannot write the baseline to missing-folder/baseline.json"),
        "{}",
        stderr(&output)
    );
    assert!(!dir.path().join("report.json").exists());
    let output = check(
        dir.path(),
        &[
            "--update-baseline",
            "same.json",
            "--format",
            "json=same.json",
        ],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(!dir.path().join("same.json").exists());
}
