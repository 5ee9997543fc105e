//! `--log-format json` on `build` and `check`: stderr carries one JSON object a line (a
//! line per stage with its time, findings for `build`, errors, a last `done` line);
//! `--log-format text`, the default, is what the commands always printed.

mod common;

use std::path::Path;
use std::process::Output;

use common::*;
use serde_json::Value;

/// Every line of stderr as JSON; fails on a line that is not one object with a string
/// `level` and `event`.
fn log_lines(output: &Output) -> Vec<Value> {
    let text = stderr(output);
    assert!(!text.is_empty(), "the log is empty");
    assert!(text.ends_with('\n'), "{text:?}");
    text.lines()
        .map(|line| {
            let value: Value = serde_json::from_str(line)
                .unwrap_or_else(|err| panic!("not JSON ({err}): {line:?}\nall of it:\n{text}"));
            assert!(value.is_object(), "{line}");
            assert!(value["level"].is_string(), "{line}");
            assert!(value["event"].is_string(), "{line}");
            value
        })
        .collect()
}

/// The lines of one event.
fn events<'a>(lines: &'a [Value], event: &str) -> Vec<&'a Value> {
    lines.iter().filter(|line| line["event"] == event).collect()
}

/// The stage names, in order; each stage line has a whole-number `ms`.
fn stages(lines: &[Value]) -> Vec<String> {
    events(lines, "stage")
        .into_iter()
        .map(|line| {
            assert!(line["ms"].is_u64(), "{line}");
            assert_eq!(line["level"], "info", "{line}");
            line["stage"].as_str().unwrap().to_string()
        })
        .collect()
}

/// The one stage line named `name`.
fn stage<'a>(lines: &'a [Value], name: &str) -> &'a Value {
    let found = events(lines, "stage");
    let matching: Vec<_> = found.iter().filter(|line| line["stage"] == name).collect();
    assert_eq!(matching.len(), 1, "{found:#?}");
    matching[0]
}

/// The last line, which is `done`, without its time.
fn done(lines: &[Value]) -> Value {
    let mut last = lines.last().expect("a line").clone();
    assert_eq!(last["event"], "done", "the last line is `done`: {lines:#?}");
    assert!(last["ms"].is_u64(), "{last}");
    last.as_object_mut().unwrap().remove("ms");
    last
}

fn build_in(root: &Path, out: &Path, extra: &[&str]) -> Output {
    shipshape()
        .args(["build", "--today", TODAY])
        .arg(root)
        .arg("-d")
        .arg(out)
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn build_logs_each_stage_its_findings_and_how_it_ended() {
    let dir = fixture("broken");
    let out = dir.path().join("site");
    let output = build_in(dir.path(), &out, &["--log-format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty(), "build prints nothing on stdout");
    assert!(out.join("health.html").is_file(), "the site is written");
    let lines = log_lines(&output);
    assert_eq!(
        stages(&lines),
        ["load", "model", "check", "render", "write"]
    );
    assert_eq!(stage(&lines, "load")["files"], 5);
    assert_eq!(stage(&lines, "load")["assets"], 0);
    assert_eq!(stage(&lines, "model")["pages"], 6);
    assert_eq!(stage(&lines, "check")["errors"], 5);
    assert_eq!(stage(&lines, "check")["warnings"], 1);
    assert_eq!(stage(&lines, "render")["pages"], 6);
    assert_eq!(stage(&lines, "write")["files"], 0);
    assert_eq!(
        stage(&lines, "write")["site"],
        out.display().to_string().as_str()
    );

    let found = events(&lines, "finding");
    assert_eq!(found.len(), 6, "{lines:#?}");
    let index = found
        .iter()
        .find(|line| line["file"] == "content/index.md")
        .expect("the home page's finding");
    assert_eq!(index["level"], "error");
    assert_eq!(index["rule"], "link");
    assert_eq!(index["severity"], "error");
    assert_eq!((&index["line"], &index["column"]), (&3.into(), &10.into()));
    assert_eq!(index["fingerprint"], "c3421026919c0da8");
    let orphan = found.iter().find(|line| line["rule"] == "orphan").unwrap();
    assert_eq!(orphan["level"], "warning");
    assert_eq!(orphan["line"], Value::Null);

    assert_eq!(
        done(&lines),
        serde_json::json!({"level": "info", "event": "done", "command": "build",
                           "errors": 5, "warnings": 1, "exit": 1})
    );
}

#[test]
fn check_logs_its_stages_and_keeps_its_report_on_stdout() {
    let dir = fixture("broken");
    let run = |extra: &[&str]| {
        shipshape()
            .args(["check", "--today", TODAY])
            .arg(dir.path())
            .args(extra)
            .output()
            .unwrap()
    };
    let text = run(&[]);
    let json = run(&["--log-format", "json"]);
    assert_eq!(json.status.code(), Some(1));
    assert!(!text.stdout.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&json.stdout),
        String::from_utf8_lossy(&text.stdout),
        "the human report is the same"
    );
    let lines = log_lines(&json);
    assert_eq!(stages(&lines), ["load", "model", "check", "report"]);
    assert_eq!(stage(&lines, "report")["reports"], 1);
    assert!(
        events(&lines, "finding").is_empty(),
        "check's findings are in its report"
    );
    assert_eq!(
        done(&lines),
        serde_json::json!({"level": "info", "event": "done", "command": "check",
                           "errors": 5, "warnings": 1, "exit": 1})
    );

    // What fails the run is what is logged: warnings under --strict, named files.
    let json = run(&[
        "--log-format",
        "json",
        "--strict",
        "--format",
        "json",
        "--rule",
        "orphan",
    ]);
    let lines = log_lines(&json);
    assert_eq!(stage(&lines, "check")["errors"], 0);
    assert_eq!(stage(&lines, "check")["warnings"], 1);
    assert_eq!(done(&lines)["exit"], 1);
    assert_eq!(done(&lines)["errors"], 0);
}

#[test]
fn the_text_log_is_what_it_always_was() {
    let dir = fixture("broken");
    let without_time = |output: &Output| {
        let text = stderr(output);
        let at = text.find(" in 0.").or_else(|| text.find(" in 1.")).unwrap();
        let end = at + text[at..].find("s\n").unwrap();
        format!("{}{}", &text[..at], &text[end..])
    };
    let default = build_in(dir.path(), &dir.path().join("a"), &[]);
    let text = build_in(dir.path(), &dir.path().join("b"), &["--log-format", "text"]);
    assert_eq!(text.status.code(), Some(1));
    let (default, text) = (
        without_time(&default).replace("/a", "/b"),
        without_time(&text),
    );
    assert_eq!(default, text);
    assert!(text.contains("error[link]: no heading with anchor `#getting-startd`"));
    assert!(text.contains("shipshape: built 6 pages into "), "{text}");
    assert!(!text.lines().any(|line| line.starts_with('{')), "{text}");

    let output = shipshape()
        .args(["check", "--today", TODAY, "--log-format", "text"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stderr(&output), "", "check's text log is silent");
}

#[test]
fn a_command_that_cannot_run_logs_its_error_as_a_json_line() {
    // An unknown key in [shipshape] stops the command, with its finding.
    let dir = handbook(&[
        (
            "book.toml",
            "[book]\ntitle = \"T\"\nsrc = \"content\"\n\n[shipshape]\nbase-ulr = \"/\"\n",
        ),
        ("content/index.md", "# Home\n"),
    ]);
    for command in ["build", "check"] {
        let output = shipshape()
            .args([command, "--log-format", "json"])
            .arg(dir.path())
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2));
        let lines = log_lines(&output);
        let found = events(&lines, "finding");
        assert_eq!(found.len(), 1, "{lines:#?}");
        assert_eq!(found[0]["file"], "book.toml");
        assert_eq!(found[0]["line"], 6);
        assert!(
            found[0]["help"]
                .as_str()
                .unwrap()
                .contains("did you mean `base-url`"),
            "{}",
            found[0]
        );
        let errors = events(&lines, "error");
        assert_eq!(errors.len(), 1, "{lines:#?}");
        assert_eq!(errors[0]["level"], "error");
        assert!(
            errors[0]["message"]
                .as_str()
                .unwrap()
                .ends_with("nothing was built or checked"),
            "{}",
            errors[0]
        );
        assert_eq!(
            done(&lines),
            serde_json::json!({"level": "info", "event": "done", "command": command, "exit": 2})
        );
    }

    // A missing folder: the message and its help apart.
    let empty = tempfile::tempdir().unwrap();
    let output = shipshape()
        .args(["check", "--log-format", "json"])
        .arg(empty.path().join("nowhere"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let lines = log_lines(&output);
    assert_eq!(lines.len(), 2, "{lines:#?}");
    assert!(
        lines[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("cannot read "),
        "{}",
        lines[0]
    );
    assert!(
        lines[0]["help"]
            .as_str()
            .unwrap()
            .contains("shipshape init"),
        "{}",
        lines[0]
    );
    assert_eq!(done(&lines)["exit"], 2);
}

#[test]
fn a_usage_error_is_a_json_line_too() {
    for args in [
        &["check", "--log-format", "json", "--format", "nope"][..],
        &["build", "--log-format=json", "--no-such-flag"],
    ] {
        let output = shipshape().args(args).output().unwrap();
        assert_eq!(output.status.code(), Some(2));
        let lines = log_lines(&output);
        assert_eq!(lines.len(), 2, "{lines:#?}");
        assert_eq!(lines[0]["event"], "error");
        assert_eq!(lines[0]["level"], "error");
        assert!(
            !lines[0]["message"].as_str().unwrap().starts_with("error:"),
            "{}",
            lines[0]
        );
        assert_eq!(done(&lines)["command"], args[0]);
        assert_eq!(done(&lines)["exit"], 2);
    }
    // Without it, clap's own text, as before.
    let output = shipshape()
        .args(["check", "--format", "nope"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).starts_with("error: invalid value 'nope'"));
}

#[test]
fn what_a_preprocessor_prints_becomes_json_lines_naming_it() {
    let script = fixture_path("preprocessors/shout.py");
    let book = |args: &str| {
        handbook(&[
            (
                "book.toml",
                &format!(
                    "[book]\ntitle = \"B\"\n\n[preprocessor.shout]\ncommand = \"python3 '{}' {args}\"\n",
                    script.display()
                ),
            ),
            ("src/SUMMARY.md", "# Summary\n\n- [One](one.md)\n"),
            ("src/one.md", "# One\n\nSay {{shout}}.\n"),
        ])
    };
    let dir = book("");
    let output = build_in(
        dir.path(),
        &dir.path().join("site"),
        &["--log-format", "json"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let lines = log_lines(&output);
    let said: Vec<(&str, &str)> = events(&lines, "preprocessor")
        .iter()
        .map(|line| {
            (
                line["preprocessor"].as_str().unwrap(),
                line["message"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        said,
        [
            ("shout", "shout.py: asked about html"),
            ("shout", "shout.py: running for html")
        ]
    );
    assert!(page(&dir.path().join("site"), "one.html").contains("Say SHOUT."));

    // One that fails: its words, then the error, then `done`.
    let dir = book("--fail");
    let output = build_in(
        dir.path(),
        &dir.path().join("site"),
        &["--log-format", "json"],
    );
    assert_eq!(output.status.code(), Some(2));
    let lines = log_lines(&output);
    let events: Vec<&str> = lines
        .iter()
        .map(|line| line["event"].as_str().unwrap())
        .collect();
    assert_eq!(events, ["preprocessor", "preprocessor", "error", "done"]);
    assert_eq!(lines[1]["message"], "shout.py: failing on purpose");
    assert!(
        lines[2]["message"]
            .as_str()
            .unwrap()
            .contains("the preprocessor `shout`"),
        "{}",
        lines[2]
    );
}
