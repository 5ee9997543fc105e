//! `shipshape check [DIR] FILE…`: the whole handbook is read and checked, but only the
//! findings in the named files are reported and fail the run, as pre-commit needs.

mod common;

use std::path::Path;

use common::*;

/// The `broken` fixture as `docs/` of a repository, with files beside it that are no
/// part of the handbook.
fn repository() -> tempfile::TempDir {
    let repo = tempfile::tempdir().unwrap();
    git_init(repo.path());
    copy_tree(&fixture_path("broken"), &repo.path().join("docs"));
    write(
        repo.path(),
        "README.md",
        "# The project\n\n[gone](gone.md)\n",
    );
    write(repo.path(), "src/main.rs", "fn main() {}\n");
    write(
        repo.path(),
        "docs/content/guide/pic.png",
        "not really a PNG",
    );
    repo
}

/// Runs `check ARGS --format json` from `cwd`; the exit code and the report.
fn check_in(cwd: &Path, args: &[&str]) -> (i32, serde_json::Value) {
    let output = shipshape()
        .args(["check", "--format", "json", "--today", TODAY])
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap();
    let report = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|err| panic!("no JSON report ({err}): {}", stderr(&output)));
    (output.status.code().unwrap(), report)
}

/// The distinct files a report's findings name, sorted.
fn files(report: &serde_json::Value) -> Vec<String> {
    let mut files: Vec<String> = findings(report)
        .into_iter()
        .map(|(_, _, file, ..)| file)
        .collect();
    files.sort();
    files.dedup();
    files
}

#[test]
fn only_the_named_files_findings_are_reported_and_fail_the_run() {
    let repo = repository();
    // The handbook has five errors, none of them in the unlisted page.
    let (code, report) = check_in(repo.path(), &["docs", "docs/content/guide/unlisted.md"]);
    assert_eq!(
        findings(&report),
        [(
            "orphan".to_string(),
            "warning".to_string(),
            "content/guide/unlisted.md".to_string(),
            None,
            None
        )]
    );
    assert_eq!(code, 0, "a warning does not fail the run");
    assert_eq!(report["summary"]["errors"], 0);
    assert_eq!(report["summary"]["warnings"], 1);
    let (code, _) = check_in(
        repo.path(),
        &["docs", "docs/content/guide/unlisted.md", "--strict"],
    );
    assert_eq!(code, 1);

    let (code, report) = check_in(repo.path(), &["docs", "docs/content/guide/intro.md"]);
    assert_eq!(code, 1);
    assert_eq!(files(&report), ["content/guide/intro.md"]);
    assert_eq!(findings(&report).len(), 3, "{report:#}");
}

#[test]
fn a_named_page_is_judged_against_the_whole_handbook() {
    let dir = handbook(&[
        ("book.toml", "[book]\ntitle = \"T\"\nsrc = \"content\"\n"),
        (
            "content/index.md",
            "# Home\n\n[the how-to](guide/how.md#step-two) and [more](guide/more.md)\n",
        ),
        (
            "content/guide/how.md",
            "# How\n\n## Step two\n\n[broken](nowhere.md)\n",
        ),
        ("content/guide/more.md", "# More\n"),
    ]);
    // index.md's links need the other pages to be read: they resolve, so nothing is found.
    let (code, report) = check_in(dir.path(), &["content/index.md"]);
    assert_eq!((code, &report["findings"]), (0, &serde_json::json!([])));
    let (code, report) = check_in(dir.path(), &["content/guide/how.md"]);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&report),
        [(
            "link".to_string(),
            "error".to_string(),
            "content/guide/how.md".to_string(),
            Some(5),
            Some(1)
        )]
    );
}

#[test]
fn files_named_from_the_handbook_root_as_pre_commit_passes_them() {
    let dir = fixture("broken");
    let output = shipshape()
        .args(["check", "content/index.md", "book.toml", "--today", TODAY])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains(" --> content/index.md:3:10"), "{text}");
    assert!(!text.contains("intro.md:"), "{text}");
    assert!(
        text.contains("shipshape: 1 error, 0 warnings in 5 files (link 1)"),
        "{text}"
    );
}

#[test]
fn book_toml_has_findings_of_its_own() {
    let dir = handbook(&[
        (
            "book.toml",
            "[book]\ntitle = \"T\"\nsrc = \"content\"\nauthor = \"me\"\n",
        ),
        ("content/index.md", "# Home\n\n[gone](gone.md)\n"),
    ]);
    let (code, report) = check_in(dir.path(), &["book.toml"]);
    assert_eq!(code, 0, "{report:#}");
    let found = findings(&report);
    assert_eq!(found.len(), 1, "{report:#}");
    assert_eq!(
        (found[0].0.as_str(), found[0].2.as_str(), found[0].3),
        ("schema", "book.toml", Some(4))
    );
    let (code, report) = check_in(dir.path(), &["content/index.md"]);
    assert_eq!(code, 1);
    assert_eq!(files(&report), ["content/index.md"]);
}

#[test]
fn files_outside_the_handbook_or_that_are_no_page_have_no_findings() {
    let repo = repository();
    let (code, report) = check_in(
        repo.path(),
        &[
            "docs",
            "README.md",
            "src/main.rs",
            "docs/content/guide/pic.png",
        ],
    );
    assert_eq!((code, &report["findings"]), (0, &serde_json::json!([])));
    // The whole handbook was still read.
    assert_eq!(report["summary"]["files"], 5);
}

#[test]
fn a_named_file_that_does_not_exist_stops_the_command() {
    let repo = repository();
    for args in [
        &["docs", "docs/content/guide/gone.md"][..],
        &[
            "docs",
            "docs/content/index.md",
            "docs/content/guide/gone.md",
        ],
    ] {
        let output = shipshape()
            .arg("check")
            .args(args)
            .current_dir(repo.path())
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
        assert!(output.stdout.is_empty(), "no report is printed");
        let text = stderr(&output);
        assert!(
            text.contains("error: cannot check docs/content/guide/gone.md: no such file"),
            "{text}"
        );
        assert!(
            text.contains("help: name files from the current folder"),
            "{text}"
        );
    }
    // A first path that does not exist but names a file is a file too.
    let output = shipshape()
        .args(["check", "gone.md"])
        .current_dir(repo.path().join("docs"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("cannot check gone.md: no such file"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_folder_after_the_root_names_every_file_in_it() {
    let repo = repository();
    let (code, report) = check_in(repo.path(), &["docs", "docs/content/guide"]);
    assert_eq!(code, 1);
    assert_eq!(
        files(&report),
        ["content/guide/intro.md", "content/guide/unlisted.md"]
    );
    let (_, report) = check_in(
        repo.path(),
        &["docs", "docs/content/guide", "--rule", "orphan"],
    );
    assert_eq!(files(&report), ["content/guide/unlisted.md"]);
}

#[test]
fn paths_match_however_they_are_written() {
    let repo = repository();
    let absolute = repo.path().join("docs/content/index.md");
    for file in [
        "./docs/content/index.md",
        "docs/content/guide/../index.md",
        absolute.to_str().unwrap(),
    ] {
        let (code, report) = check_in(repo.path(), &["./docs", file]);
        assert_eq!(code, 1, "{file}");
        assert_eq!(files(&report), ["content/index.md"], "{file}");
    }
    // From inside the content folder, with the root above.
    let (_, report) = check_in(&repo.path().join("docs/content"), &["..", "index.md"]);
    assert_eq!(files(&report), ["content/index.md"]);
}

#[test]
fn files_named_without_their_handbook_folder_get_the_command_to_type() {
    let repo = repository();
    let output = shipshape()
        .args(["check", "docs/content/index.md", "docs/book.toml"])
        .current_dir(repo.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    assert!(
        text.contains(
            "the current folder holds no book.toml, and docs/content/index.md is in the handbook at `docs`"
        ),
        "{text}"
    );
    assert!(
        text.contains("`shipshape check docs docs/content/index.md …`"),
        "{text}"
    );
}

#[test]
fn reports_name_the_named_files_as_each_format_does() {
    let repo = repository();
    let output = shipshape()
        .args([
            "check",
            "docs",
            "docs/content/index.md",
            "--format",
            "github",
            "--today",
            TODAY,
        ])
        .current_dir(repo.path())
        .env_remove("GITHUB_STEP_SUMMARY")
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1, "{text}");
    assert!(
        lines[0].starts_with("::error file=docs/content/index.md,line=3,col=10,"),
        "{text}"
    );
}
