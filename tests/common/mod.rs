//! Helpers shared by the end-to-end tests: run the binary on a copy of a fixture.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

pub mod secrets;
pub mod serve;
pub mod xml;

use assert_cmd::Command;
use tempfile::TempDir;

/// The fixed date tests judge review dates against.
pub const TODAY: &str = "2026-11-27";

/// The shipshape binary built for this test run.
pub fn shipshape() -> Command {
    let mut command = Command::cargo_bin("shipshape").expect("the binary builds");
    command.env("NO_COLOR", "1");
    command
}

/// The folder of fixture `name`.
pub fn fixture_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A scratch copy of fixture `name`; tests may change it freely.
pub fn fixture(name: &str) -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_tree(&fixture_path(name), dir.path());
    dir
}

/// A scratch handbook made of the given files.
pub fn handbook(files: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, text) in files {
        write(dir.path(), path, text);
    }
    dir
}

/// Writes one file, creating its folders.
pub fn write(root: &Path, path: &str, text: &str) {
    let dest = root.join(path);
    std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
    std::fs::write(dest, text).unwrap();
}

pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let dest = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// Runs `shipshape check --format json` on `root`; returns the exit code and report.
pub fn check_json(root: &Path, extra: &[&str]) -> (i32, serde_json::Value) {
    let output = shipshape()
        .args(["check", "--format", "json", "--today", TODAY])
        .arg(root)
        .args(extra)
        .output()
        .unwrap();
    let report = serde_json::from_slice(&output.stdout).unwrap_or_else(|err| {
        panic!(
            "check printed no JSON ({err}); stderr: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (output.status.code().unwrap(), report)
}

/// Checks `root` and asserts exit 0 with no findings at all.
pub fn assert_no_findings(root: &Path, extra: &[&str]) {
    let (code, report) = check_json(root, extra);
    assert_eq!(
        (code, &report["findings"]),
        (0, &serde_json::json!([])),
        "{report:#}"
    );
}

/// Runs `shipshape build root -d out`.
pub fn build(root: &Path, out: &Path) -> Output {
    shipshape()
        .args(["build", "--today", TODAY])
        .arg(root)
        .arg("-d")
        .arg(out)
        .output()
        .unwrap()
}

/// A finding as (rule, severity, file, line, column).
pub type Found = (String, String, String, Option<u64>, Option<u64>);

/// The findings of a JSON report as (rule, severity, file, line, column) tuples.
pub fn findings(report: &serde_json::Value) -> Vec<Found> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
                f["file"].as_str().unwrap().to_string(),
                f["line"].as_u64(),
                f["column"].as_u64(),
            )
        })
        .collect()
}

/// The messages of a JSON report's findings, in report order.
pub fn messages(report: &serde_json::Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap().to_string())
        .collect()
}

/// Every file under `dir` with its bytes, by relative path.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|entry| entry.unwrap())
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| {
            let rel = entry
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read(entry.path()).unwrap())
        })
        .collect()
}

/// A page of the built site as text.
pub fn page(out: &Path, path: &str) -> String {
    std::fs::read_to_string(out.join(path)).unwrap_or_else(|err| panic!("{path}: {err}"))
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Makes `dir` a git work tree (an empty repository), as a handbook inside a repository is.
pub fn git_init(dir: &Path) {
    let status = std::process::Command::new("git")
        .args(["init", "--quiet"])
        .arg(dir)
        .status()
        .expect("git runs");
    assert!(status.success(), "git init failed");
}

/// Runs git in `dir` with the author and committer date `date` (noon UTC that day).
pub fn git(dir: &Path, date: &str, args: &[&str]) -> String {
    let stamp = format!("{date}T12:00:00Z");
    let output = std::process::Command::new("git")
        .args(["-c", "user.name=Dana", "-c", "user.email=dana@example.com"])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_DATE", &stamp)
        .env("GIT_COMMITTER_DATE", &stamp)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .output()
        .expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

/// Commits everything in `dir` on `date` with `subject`; returns the short id.
pub fn commit(dir: &Path, date: &str, subject: &str) -> String {
    git(dir, date, &["add", "-A"]);
    git(
        dir,
        date,
        &["commit", "--quiet", "--allow-empty", "-m", subject],
    );
    git(dir, date, &["rev-parse", "--short=7", "HEAD"])
}

/// Whether this repository's own checkout has no full history (a shallow clone, or no
/// repository at all): the bundled handbook sets `[policy] git = true`, so there its check
/// gives one advisory notice on book.toml, and nothing else may differ.
pub fn checkout_lacks_history() -> bool {
    let output = std::process::Command::new("git")
        .args(["rev-parse", "--is-shallow-repository"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output();
    match output {
        Ok(output) if output.status.success() => {
            String::from_utf8_lossy(&output.stdout).trim() == "true"
        }
        _ => true,
    }
}

/// Whether a json finding is the notice that git history could not be read.
pub fn is_git_notice(finding: &serde_json::Value) -> bool {
    finding["rule"] == "stale"
        && finding["file"] == "book.toml"
        && finding["severity"] == "warning"
        && finding["message"]
            .as_str()
            .is_some_and(|message| message.starts_with("`[policy] git = true`, but"))
}

/// Whether the environment variable `name` is set to something other than empty, `0` or
/// `false` (`CI`, and the switches that skip the tests needing outside tools).
pub fn env_flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|value| says_yes(&value))
}

/// Whether a flag's value turns it on: anything but empty, `0` or `false`.
pub fn says_yes(value: &str) -> bool {
    let value = value.trim();
    !(value.is_empty() || value == "0" || value.eq_ignore_ascii_case("false"))
}

/// Writes one line to the process's stderr, past the test harness's capture of
/// `eprintln!`, so `cargo test` shows it even for a test that passes (a SKIPPED notice).
pub fn notice(line: &str) {
    use std::io::Write as _;
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// Every way `instance` breaks the JSON Schema (draft 2020-12, formats checked)
/// `schema`, as `path: error` lines; empty when it is valid.
pub fn schema_errors(schema: &serde_json::Value, instance: &serde_json::Value) -> Vec<String> {
    let validator = jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(schema)
        .expect("the schema compiles");
    validator
        .iter_errors(instance)
        .map(|error| format!("{}: {error}", error.instance_path()))
        .collect()
}

/// A handbook whose findings carry a newline, `\r`, `%`, `::`, `,`, quotes, `<script>`
/// and non-ASCII text in their messages and files, in a git repository at `docs/`;
/// `more` is added to its index page.
pub fn hostile(more: &str) -> TempDir {
    let repo = tempfile::tempdir().unwrap();
    git_init(repo.path());
    write(
        repo.path(),
        "docs/book.toml",
        "[book]\nsrc = \"content\"\n\"bad\\r\\nkey%::,'\\\"<script>é\\u0001\" = 1\n",
    );
    write(
        repo.path(),
        "docs/content/SUMMARY.md",
        "- [Home](index.md)\n",
    );
    write(
        repo.path(),
        "docs/content/index.md",
        &format!("# Home\n\n[x](a%25b::c\"<script>é.md)\n{more}"),
    );
    repo
}

/// Runs `npm ci --prefix tests/<package>` unless `installed` (a path in its
/// node_modules) is there already; `what` names the tool for the messages. Returns
/// what went wrong (npm's first lines, not its stack trace) when it cannot install.
pub fn npm_ci(package: &str, installed: &Path, what: &str) -> Result<(), String> {
    if installed.exists() {
        return Ok(());
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(package);
    notice(&format!(
        "{package} tests: installing {what} (npm ci --prefix tests/{package})"
    ));
    let output = std::process::Command::new("npm")
        .arg("ci")
        .arg("--prefix")
        .arg(&dir)
        .args(["--no-audit", "--no-fund"])
        .output()
        .map_err(|error| format!("npm is not installed ({error}; it comes with Node.js)"))?;
    if output.status.success() && installed.exists() {
        return Ok(());
    }
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stderr),
        String::from_utf8_lossy(&output.stdout)
    );
    let why: Vec<&str> = text
        .lines()
        .filter(|line| !line.trim().is_empty())
        .take(4)
        .collect();
    Err(format!(
        "`npm ci --prefix tests/{package} --no-audit --no-fund` failed ({}), so {what} is not \
         installed (it needs the npm registry):\n    {}",
        output.status,
        why.join("\n    ")
    ))
}
