//! The README's "Use it in CI" examples, run as CI would run them. Each example's YAML is
//! taken from the README (the code block under its heading), parsed and checked for what
//! makes it work on the platform (the whole history checked out, the upload after a
//! failure, the report artifacts); then every `shipshape` command in it runs exactly as
//! written, with the test build's binary first on PATH, in a scratch git repository with
//! a handbook at `docs/`, and the reports it writes are read back. Editing an example into
//! one that does not work (a misspelt flag, a report the job does not hand over) fails here.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::xml::{attr, parse_xml};
use common::*;
use serde_json::Value;
use tempfile::TempDir;

const LONG_FORM: &str = "#### With plain steps";
const SHORT_FORM: &str = "#### With the action";
const ADOPTING: &str = "#### Adopting on a big handbook";
const GITLAB: &str = "### GitLab CI";
const WEEKLY: &str = "#### A weekly reminder of what falls due";

fn readme() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    std::fs::read_to_string(path).expect("README.md")
}

/// The one code block with info string `lang` in the README's section under `heading`
/// (the exact heading line), up to the next heading of any level; a `#` line inside a
/// code block is no heading.
fn block(heading: &str, lang: &str) -> String {
    let readme = readme();
    let mut lines = readme.lines();
    lines
        .by_ref()
        .find(|line| *line == heading)
        .unwrap_or_else(|| panic!("README.md has no heading `{heading}`"));
    let mut blocks: Vec<String> = Vec::new();
    let mut open: Option<(String, String)> = None;
    for line in lines {
        match open.take() {
            Some((info, mut text)) => {
                if line.starts_with("```") {
                    if info == lang {
                        blocks.push(text);
                    }
                } else {
                    text.push_str(line);
                    text.push('\n');
                    open = Some((info, text));
                }
            }
            None if line.starts_with("```") => open = Some((line[3..].to_string(), String::new())),
            None if line.starts_with('#') => break,
            None => {}
        }
    }
    assert_eq!(
        blocks.len(),
        1,
        "the section `{heading}` of README.md holds one ```{lang} block: {blocks:#?}"
    );
    blocks.pop().unwrap()
}

/// The `yaml` block under `heading`, parsed.
fn yaml(heading: &str) -> Value {
    let text = block(heading, "yaml");
    serde_saphyr::from_str(&text)
        .unwrap_or_else(|err| panic!("the YAML under `{heading}` does not parse: {err}\n{text}"))
}

/// The lines of `scripts` that start with `shipshape `: the commands the test runs.
fn shipshape_lines<'a>(scripts: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    scripts
        .into_iter()
        .flat_map(str::lines)
        .map(str::trim)
        .filter(|line| line.starts_with("shipshape "))
        .map(str::to_string)
        .collect()
}

/// A GitHub workflow's one job.
fn job(workflow: &Value) -> &Value {
    let jobs = workflow["jobs"].as_object().expect("jobs");
    assert_eq!(jobs.len(), 1, "{jobs:#?}");
    jobs.values().next().unwrap()
}

fn steps(job: &Value) -> &Vec<Value> {
    job["steps"].as_array().expect("steps")
}

/// The step that `uses` an action starting with `prefix`.
fn uses<'a>(job: &'a Value, prefix: &str) -> &'a Value {
    steps(job)
        .iter()
        .find(|step| step["uses"].as_str().is_some_and(|u| u.starts_with(prefix)))
        .unwrap_or_else(|| panic!("no step uses {prefix}"))
}

/// The one `shipshape` command of a GitHub job's `run` scripts.
fn github_command(job: &Value) -> String {
    let commands = shipshape_lines(steps(job).iter().filter_map(|step| step["run"].as_str()));
    assert_eq!(commands.len(), 1, "{commands:#?}");
    commands[0].clone()
}

/// The GitLab example's one job (the top-level entry with a `script`).
fn gitlab_job() -> Value {
    let config = yaml(GITLAB);
    let jobs: Vec<&Value> = config
        .as_object()
        .expect("a mapping of jobs")
        .values()
        .filter(|value| value.get("script").is_some())
        .collect();
    assert_eq!(jobs.len(), 1, "{config:#?}");
    jobs[0].clone()
}

/// Every script line of a GitLab job (`before_script`, `script`, `after_script`).
fn gitlab_scripts(job: &Value) -> Vec<String> {
    ["before_script", "script", "after_script"]
        .iter()
        .filter_map(|key| job.get(*key))
        .flat_map(|list| list.as_array().expect("a script is a list").iter())
        .map(|line| {
            line.as_str()
                .expect("a script line is a string")
                .to_string()
        })
        .collect()
}

/// The value of `--NAME VALUE` or `--format FMT=VALUE` in a command; `None` when absent.
fn argument(command: &str, flag: &str, format: Option<&str>) -> Option<String> {
    let words: Vec<&str> = command.split_whitespace().collect();
    words.windows(2).find_map(|pair| match format {
        None if pair[0] == flag => Some(pair[1].to_string()),
        Some(format) if pair[0] == flag => pair[1]
            .strip_prefix(format)
            .and_then(|rest| rest.strip_prefix('='))
            .map(str::to_string),
        _ => None,
    })
}

/// A git repository with the broken fixture's handbook at `docs/` (five link errors and an
/// orphan page), committed at a fixed date as a CI checkout has it.
fn repository() -> TempDir {
    let repo = tempfile::tempdir().unwrap();
    git_init(repo.path());
    copy_tree(&fixture_path("broken"), &repo.path().join("docs"));
    commit_all(repo.path(), "The handbook");
    repo
}

/// Commits everything in `repo` at the fixed date, as CI's checkout has it.
fn commit_all(repo: &Path, message: &str) {
    for args in [&["add", "-A"][..], &["commit", "--quiet", "-m", message]] {
        let status = Command::new("git")
            .args(["-c", "user.name=CI", "-c", "user.email=ci@example.invalid"])
            .args(["-c", "commit.gpgsign=false"])
            .args(args)
            .current_dir(repo)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_DATE", "2026-11-02T09:00:00Z")
            .env("GIT_COMMITTER_DATE", "2026-11-02T09:00:00Z")
            .status()
            .expect("git runs");
        assert!(status.success(), "git {args:?}");
    }
}

/// The folder of the shipshape binary this test run built.
fn bin_dir() -> PathBuf {
    Path::new(env!("CARGO_BIN_EXE_shipshape"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Runs `command` as a runner runs a step (`bash -eo pipefail`), from the repository root,
/// with the test build's `shipshape` first on PATH, `CI` set and the job summary file
/// `summary` as `$GITHUB_STEP_SUMMARY` when given (never the one of a CI running this test).
fn run(repo: &Path, command: &str, summary: Option<&Path>) -> Output {
    run_with(repo, command, summary, &[])
}

/// `run`, with the CI variables `vars` set (those of a pull request, for instance); the
/// pull request variables of a CI running this test are never seen.
fn run_with(repo: &Path, command: &str, summary: Option<&Path>, vars: &[(&str, &str)]) -> Output {
    let path = format!(
        "{}:{}",
        bin_dir().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut bash = Command::new("bash");
    bash.args(["--noprofile", "--norc", "-eo", "pipefail", "-c", command])
        .current_dir(repo)
        .env("PATH", path)
        .env("CI", "true")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("GITHUB_BASE_REF")
        .env_remove("CI_MERGE_REQUEST_TARGET_BRANCH_NAME");
    if let Some(summary) = summary {
        bash.env("GITHUB_STEP_SUMMARY", summary);
    }
    for (name, value) in vars {
        bash.env(name, value);
    }
    bash.output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 on stdout")
}

fn read_json(path: &Path) -> Value {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
    serde_json::from_str(&text)
        .unwrap_or_else(|err| panic!("{} is not JSON: {err}", path.display()))
}

/// The SARIF report's results as (level, uri) pairs.
fn sarif_results(path: &Path) -> Vec<(String, String)> {
    let sarif = read_json(path);
    assert_eq!(sarif["version"], "2.1.0");
    let runs = sarif["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1);
    runs[0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|result| {
            let location = &result["locations"][0]["physicalLocation"]["artifactLocation"];
            assert_eq!(location["uriBaseId"], "%SRCROOT%", "{result:#}");
            (
                result["level"].as_str().unwrap().to_string(),
                location["uri"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The workflow commands on stdout as (command, file) pairs: `::error file=…,…::…`.
fn annotations(stdout: &str) -> Vec<(String, String)> {
    stdout
        .lines()
        .map(|line| {
            let rest = line
                .strip_prefix("::")
                .unwrap_or_else(|| panic!("not a workflow command: {line}"));
            let (command, rest) = rest.split_once(' ').expect("properties");
            let file = rest
                .strip_prefix("file=")
                .and_then(|rest| rest.split([',', ':']).next())
                .unwrap_or_else(|| panic!("no file: {line}"));
            (command.to_string(), file.to_string())
        })
        .collect()
}

/// Checks out the whole history as the first step: git-based rules read it.
fn assert_checks_out_history(job: &Value) {
    let checkout = &steps(job)[0];
    assert_eq!(checkout["uses"], "actions/checkout@v4", "{checkout:#}");
    assert_eq!(checkout["with"]["fetch-depth"], 0, "{checkout:#}");
}

#[test]
fn the_github_workflows_fetch_history_and_may_upload_to_code_scanning() {
    let action: Value = serde_saphyr::from_str(
        &std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("action.yml")).unwrap(),
    )
    .unwrap();
    for heading in [SHORT_FORM, LONG_FORM] {
        let workflow = yaml(heading);
        assert!(workflow["on"].get("pull_request").is_some(), "{workflow:#}");
        let job = job(&workflow);
        assert_eq!(job["runs-on"], "ubuntu-latest");
        assert_eq!(job["permissions"]["security-events"], "write", "{heading}");
        assert_eq!(job["permissions"]["contents"], "read", "{heading}");
        assert_eq!(job["permissions"]["actions"], "read", "{heading}");
        assert_checks_out_history(job);
    }

    // The short form: the action, with inputs it has.
    let short = yaml(SHORT_FORM);
    let step = uses(job(&short), "ORG/shipshape@");
    let inputs = action["inputs"].as_object().unwrap();
    for key in step["with"].as_object().expect("with").keys() {
        assert!(inputs.contains_key(key), "the action has no input `{key}`");
    }
    assert_eq!(step["with"]["path"], "docs");
    assert_eq!(
        step["with"]["upload-sarif"],
        "${{ !github.event.pull_request.head.repo.fork }}"
    );
    let args = step["with"]["args"].as_str().unwrap();
    assert_eq!(
        args,
        "${{ github.event.pull_request.head.repo.fork && '--no-preprocessors' || '' }}"
    );
    let help = shipshape().args(["check", "--help"]).output().unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    assert!(help.contains("--no-preprocessors"), "{help}");
    // The reference of the action's inputs, further down, names only inputs it has.
    let reference = yaml("### The GitHub Action");
    let step = reference["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|step| step["uses"].as_str().is_some_and(|u| u.starts_with("ORG/")))
        .expect("the action's step");
    let named: BTreeSet<&String> = step["with"].as_object().unwrap().keys().collect();
    assert_eq!(
        named,
        inputs.keys().collect(),
        "every input, and only those"
    );

    // The long form: install, check, and upload the SARIF the check wrote, also after a
    // failed check, but not when there is no report or the token cannot upload.
    let long = yaml(LONG_FORM);
    let job = job(&long);
    let command = github_command(job);
    let sarif = argument(&command, "--format", Some("sarif")).expect("a sarif report");
    assert_eq!(sarif, "shipshape.sarif");
    let upload = uses(job, "github/codeql-action/upload-sarif@v3");
    let condition = upload["if"].as_str().expect("the upload has a condition");
    assert!(condition.starts_with("always() && "), "{condition}");
    assert!(
        condition.contains(&format!("hashFiles('{sarif}') != ''")),
        "{condition}"
    );
    assert!(
        condition.contains("!github.event.pull_request.head.repo.fork"),
        "{condition}"
    );
    assert_eq!(upload["with"]["sarif_file"], sarif.as_str());
    let order: Vec<usize> = [
        "cargo install ",
        "shipshape check ",
        "github/codeql-action/upload-sarif@",
    ]
    .iter()
    .map(|what| {
        steps(job)
            .iter()
            .position(|step| {
                step["run"]
                    .as_str()
                    .is_some_and(|run| run.starts_with(what))
                    || step["uses"].as_str().is_some_and(|u| u.starts_with(what))
            })
            .unwrap_or_else(|| panic!("no step for {what}"))
    })
    .collect();
    assert!(order.is_sorted(), "install, check, upload: {order:?}");
}

#[test]
fn the_github_workflow_annotates_summarises_and_writes_sarif() {
    let command = github_command(job(&yaml(LONG_FORM)));
    let repo = repository();
    let summary = repo.path().join("step-summary.md");
    // The runner's summary file may hold an earlier step's; check appends.
    std::fs::write(&summary, "earlier step\n").unwrap();

    let output = run(repo.path(), &command, Some(&summary));
    assert_eq!(
        output.status.code(),
        Some(1),
        "`{command}` fails the job on the handbook's errors: {}",
        stderr(&output)
    );
    let stdout = stdout(&output);
    let annotated = annotations(&stdout);
    assert!(
        stdout.contains("::error file=docs/content/index.md,line=3,col=10,title=link::"),
        "{stdout}"
    );
    let errors = annotated.iter().filter(|(kind, _)| kind == "error").count();
    assert_eq!(errors, 5, "{stdout}");
    assert!(
        annotated
            .iter()
            .all(|(_, file)| file.starts_with("docs/content/")),
        "{stdout}"
    );

    let sarif = argument(&command, "--format", Some("sarif")).unwrap();
    let results = sarif_results(&repo.path().join(sarif));
    assert_eq!(results.len(), annotated.len(), "{results:?}");
    let levels: Vec<&str> = results.iter().map(|(level, _)| level.as_str()).collect();
    assert_eq!(levels.iter().filter(|l| **l == "error").count(), errors);
    let uris: BTreeSet<&str> = results.iter().map(|(_, uri)| uri.as_str()).collect();
    let files: BTreeSet<&str> = annotated.iter().map(|(_, file)| file.as_str()).collect();
    assert_eq!(uris, files);
    assert!(uris.iter().all(|uri| uri.starts_with("docs/content/")));

    let summary = std::fs::read_to_string(&summary).unwrap();
    assert!(
        summary.starts_with("earlier step\n## shipshape check\n"),
        "{summary}"
    );
    assert!(
        summary.contains("5 errors, 1 warning in 5 files"),
        "{summary}"
    );
    assert!(summary.contains("### `link` (5)"), "{summary}");
    assert!(summary.contains("### `orphan` (1)"), "{summary}");
    assert!(
        summary.contains("| error | docs/content/index.md | 3 |"),
        "{summary}"
    );
    assert!(
        summary.contains("| warning | docs/content/guide/unlisted.md |"),
        "{summary}"
    );
}

#[test]
fn a_broken_example_would_fail_these_tests() {
    // What the tests above rely on: a command that cannot run is exit 2 and writes
    // nothing, so a misspelt flag in the README cannot pass for a failing check.
    let command = github_command(job(&yaml(LONG_FORM)));
    let broken = command.replacen("--format", "--fromat", 1);
    assert_ne!(broken, command);
    let repo = repository();
    let summary = repo.path().join("step-summary.md");
    let output = run(repo.path(), &broken, Some(&summary));
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("--fromat"), "{}", stderr(&output));
    assert!(!repo.path().join("shipshape.sarif").exists());
    assert!(!summary.exists());
}

#[test]
fn the_baseline_example_fails_only_on_new_findings() {
    let update = shipshape_lines([block(ADOPTING, "bash").as_str()]);
    assert_eq!(update.len(), 1, "{update:#?}");
    let update = &update[0];
    let step = yaml(ADOPTING);
    let step = step.as_array().expect("a list of one step");
    assert_eq!(step.len(), 1, "{step:#?}");
    let command = shipshape_lines(step[0]["run"].as_str());
    assert_eq!(command.len(), 1, "{command:#?}");
    let command = &command[0];

    // The same file, and otherwise the long form's check step, so the upload still works.
    let baseline = argument(update, "--update-baseline", None).expect("--update-baseline");
    assert_eq!(
        argument(command, "--baseline", None).as_deref(),
        Some(baseline.as_str())
    );
    assert_eq!(
        command.replace(&format!(" --baseline {baseline}"), ""),
        github_command(job(&yaml(LONG_FORM)))
    );

    let repo = repository();
    let output = run(repo.path(), update, None);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("6 baselined"),
        "{}",
        stdout(&output)
    );
    let written = read_json(&repo.path().join(&baseline));
    assert_eq!(written["findings"].as_array().unwrap().len(), 6);

    // In CI, today's findings pass...
    let summary = repo.path().join("step-summary.md");
    let output = run(repo.path(), command, Some(&summary));
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output), "", "nothing to annotate");
    let sarif = repo
        .path()
        .join(argument(command, "--format", Some("sarif")).unwrap());
    assert!(sarif_results(&sarif).is_empty(), "nothing to upload");

    // ...and a new broken link fails, alone.
    let page = repo.path().join("docs/content/guide/intro.md");
    let mut text = std::fs::read_to_string(&page).unwrap();
    text.push_str("\nSee [the new page](new.md).\n");
    std::fs::write(&page, text).unwrap();
    let output = run(repo.path(), command, Some(&summary));
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let stdout = stdout(&output);
    assert_eq!(
        annotations(&stdout),
        [(
            "error".to_string(),
            "docs/content/guide/intro.md".to_string()
        )],
        "{stdout}"
    );
    assert!(stdout.contains("`new.md`"), "{stdout}");
    assert_eq!(
        sarif_results(&sarif),
        [(
            "error".to_string(),
            "docs/content/guide/intro.md".to_string()
        )]
    );
}

#[test]
fn the_gitlab_job_fetches_history_and_keeps_its_reports_after_a_failure() {
    let job = gitlab_job();
    assert!(job["image"].is_string(), "{job:#}");
    assert_eq!(job["variables"]["GIT_DEPTH"], "0", "the whole history");
    let artifacts = &job["artifacts"];
    assert_eq!(artifacts["when"], "always", "{artifacts:#}");
    let commands = shipshape_lines(gitlab_scripts(&job).iter().map(String::as_str));
    assert_eq!(commands.len(), 1, "{commands:#?}");
    let command = &commands[0];
    // The artifacts are the files the command writes.
    assert_eq!(
        argument(command, "--format", Some("gitlab")).as_deref(),
        artifacts["reports"]["codequality"].as_str(),
        "{command}"
    );
    assert_eq!(
        argument(command, "--format", Some("junit")).as_deref(),
        artifacts["reports"]["junit"].as_str(),
        "{command}"
    );
    assert_eq!(artifacts["reports"]["codequality"], "gl-code-quality.json");
    assert_eq!(artifacts["reports"]["junit"], "junit.xml");
}

#[test]
fn the_gitlab_job_writes_code_quality_and_junit_reports() {
    let job = gitlab_job();
    let commands = shipshape_lines(gitlab_scripts(&job).iter().map(String::as_str));
    assert_eq!(commands.len(), 1, "{commands:#?}");
    let repo = repository();
    let output = run(repo.path(), &commands[0], None);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let log = stdout(&output);
    assert!(log.contains(" --> docs/content/index.md:3:10"), "{log}");
    assert!(
        log.contains("shipshape: 5 errors, 1 warning in 5 files"),
        "{log}"
    );

    let reports = &job["artifacts"]["reports"];
    let quality = read_json(&repo.path().join(reports["codequality"].as_str().unwrap()));
    let issues = quality.as_array().expect("Code Quality is a JSON array");
    assert_eq!(issues.len(), 6, "{quality:#}");
    for issue in issues {
        let path = issue["location"]["path"].as_str().unwrap();
        assert!(path.starts_with("docs/content/"), "{issue:#}");
        assert!(issue["fingerprint"].is_string(), "{issue:#}");
        assert!(issue["check_name"].is_string(), "{issue:#}");
    }
    assert!(
        issues
            .iter()
            .any(|issue| issue["location"]["path"] == "docs/content/index.md"
                && issue["location"]["lines"]["begin"] == 3
                && issue["severity"] == "major"),
        "{quality:#}"
    );

    let junit = std::fs::read_to_string(repo.path().join(reports["junit"].as_str().unwrap()))
        .expect("junit.xml");
    let xml = parse_xml(&junit);
    let (root, suites) = xml.named("testsuites").next().expect("testsuites");
    assert_eq!(suites.parent, None);
    assert_eq!(attr(suites, "failures"), Some("3"), "{junit}");
    let link = xml
        .children(root, "testsuite")
        .into_iter()
        .find(|(_, suite)| attr(suite, "name") == Some("link"))
        .expect("a link suite");
    assert_eq!(attr(link.1, "failures"), Some("3"));
    let failed: Vec<&str> = xml
        .children(link.0, "testcase")
        .into_iter()
        .filter(|(index, _)| !xml.children(*index, "failure").is_empty())
        .map(|(_, case)| attr(case, "file").unwrap())
        .collect();
    assert_eq!(
        failed,
        [
            "docs/content/SUMMARY.md",
            "docs/content/guide/intro.md",
            "docs/content/index.md"
        ]
    );
}

#[test]
fn the_install_commands_use_flags_cargo_install_has() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let help = Command::new(&cargo)
        .args(["install", "--help"])
        .output()
        .expect("cargo runs");
    assert!(help.status.success());
    let help = String::from_utf8(help.stdout).unwrap();
    let long = yaml(LONG_FORM);
    let github: Vec<String> = steps(job(&long))
        .iter()
        .filter_map(|step| step["run"].as_str())
        .map(str::to_string)
        .collect();
    let installs: Vec<String> = github
        .into_iter()
        .chain(gitlab_scripts(&gitlab_job()))
        .filter(|line| line.starts_with("cargo install "))
        .collect();
    assert_eq!(installs.len(), 2, "one per platform: {installs:#?}");
    for install in &installs {
        assert!(
            install.contains("--git https://github.com/ORG/shipshape "),
            "the placeholder is the one the README explains: {install}"
        );
        for word in install.split_whitespace().filter(|w| w.starts_with("--")) {
            assert!(
                help.contains(&format!("{word} ")),
                "`cargo install` has no `{word}`: {install}"
            );
        }
    }
}

#[test]
fn on_a_pull_request_the_github_workflow_reports_what_it_touched() {
    let command = github_command(job(&yaml(LONG_FORM)));
    assert!(command.contains("--changed-since"), "{command}");
    let repo = repository();
    // What actions/checkout leaves: the target branch as a remote-tracking ref.
    let status = Command::new("git")
        .args(["update-ref", "refs/remotes/origin/main", "HEAD"])
        .current_dir(repo.path())
        .status()
        .unwrap();
    assert!(status.success());
    let page = repo.path().join("docs/content/guide/intro.md");
    let mut text = std::fs::read_to_string(&page).unwrap();
    text.push_str("\nSee [the new page](new.md).\n");
    std::fs::write(&page, text).unwrap();
    commit_all(repo.path(), "A new link");
    let summary = repo.path().join("step-summary.md");
    let output = run_with(
        repo.path(),
        &command,
        Some(&summary),
        &[("GITHUB_BASE_REF", "main")],
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    // The edited page answers for all its findings, and so does the page whose link
    // into it may have broken; the orphan and SUMMARY.md's broken link are not this
    // pull request's doing.
    let annotated = annotations(&stdout(&output));
    let files: BTreeSet<&str> = annotated.iter().map(|(_, file)| file.as_str()).collect();
    assert_eq!(
        files,
        BTreeSet::from(["docs/content/guide/intro.md", "docs/content/index.md"]),
        "{}",
        stdout(&output)
    );
    assert!(stdout(&output).contains("`new.md`"));
    let summary = std::fs::read_to_string(&summary).unwrap();
    assert!(
        summary.contains("### Readiness since origin/main"),
        "{summary}"
    );
    assert!(summary.contains("2 outside the change"), "{summary}");
    // A merge request pipeline: the same flag from GitLab's variable.
    let gitlab = shipshape_lines(gitlab_scripts(&gitlab_job()).iter().map(String::as_str));
    let output = run_with(
        repo.path(),
        &gitlab[0],
        None,
        &[("CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "main")],
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("2 outside the change"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn the_weekly_job_opens_a_reminder_per_owner() {
    let workflow = yaml(WEEKLY);
    assert!(
        workflow["on"]["schedule"][0]["cron"].is_string(),
        "{workflow:#}"
    );
    let job = job(&workflow);
    assert_eq!(job["permissions"]["issues"], "write");
    assert_checks_out_history(job);
    let command = github_command(job);
    assert_eq!(
        argument(&command, "--due-within", None).as_deref(),
        Some("30d")
    );
    let due_file = argument(&command, "--format", Some("json")).expect("a json report");

    // Two runbooks whose review falls due in 20 days (after warn-before's 14), one each
    // for two teams; the command runs on the system date, as in CI.
    let repo = repository();
    let reviewed = jiff::ZonedDateTime::now()
        .date()
        .checked_sub(jiff::Span::new().days(70))
        .unwrap();
    for (name, owner) in [("deploy", "team-ops"), ("latency", "team-payments")] {
        common::write(
            &repo.path().join("docs"),
            &format!("content/runbooks/{name}.md"),
            &format!(
                "---\ntitle: {name}\nservice: x\nowner: {owner}\nlast_reviewed: {reviewed}\n---\n# {name}\n\n## Symptoms\n\nx\n\n## Impact\n\nx\n\n## Diagnosis\n\nx\n\n## Mitigation\n\nx\n\n## Escalation\n\nx\n"
            ),
        );
    }
    commit_all(repo.path(), "Runbooks");
    let summary = repo.path().join("step-summary.md");
    let output = run(repo.path(), &command, Some(&summary));
    assert_eq!(
        output.status.code(),
        Some(1),
        "the fixture's link errors: {}",
        stderr(&output)
    );
    let due = read_json(&repo.path().join(&due_file));
    let owners: Vec<&String> = due["due"]["owners"].as_object().unwrap().keys().collect();
    assert_eq!(owners, ["team-ops", "team-payments"], "{due:#}");
    let summary = std::fs::read_to_string(&summary).unwrap();
    assert!(
        summary.contains("### Due within 30d for team-ops (1)"),
        "{summary}"
    );

    // The reminder step, with `gh` stubbed to record what it would open.
    let reminder = steps(job)
        .iter()
        .find_map(|step| {
            step["run"]
                .as_str()
                .filter(|run| run.contains("gh issue create"))
        })
        .expect("a step that opens issues")
        .to_string();
    if Command::new("jq").arg("--version").output().is_err() {
        common::notice("ci_examples: jq is missing, the reminder step was not run");
        return;
    }
    let stubs = repo.path().join("stubs");
    common::write(
        &stubs,
        "gh",
        "#!/bin/sh\nprintf '%s|' \"$@\" >> \"$GH_LOG\"\necho >> \"$GH_LOG\"\n",
    );
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(stubs.join("gh"), std::fs::Permissions::from_mode(0o755)).unwrap();
    let log = repo.path().join("gh.log");
    let path = format!(
        "{}:{}",
        stubs.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let output = run_with(
        repo.path(),
        &reminder,
        None,
        &[("PATH", &path), ("GH_LOG", log.to_str().unwrap())],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let opened = std::fs::read_to_string(&log).unwrap();
    assert_eq!(
        opened.lines().collect::<Vec<_>>(),
        [
            "issue|create|--title|Docs due within 30 days: team-ops|--body-file|reminder.md|",
            "issue|create|--title|Docs due within 30 days: team-payments|--body-file|reminder.md|",
        ]
    );
}
