//! Where CI and editors meet shipshape: the composite GitHub Action (`action.yml`) and
//! the pre-commit hook (`.pre-commit-hooks.yaml`). Their structure is checked, the
//! shipshape commands they run may use only flags `shipshape check --help` lists, the
//! action's check script runs as a runner would run it, and the hook's entry runs with
//! file names as pre-commit passes them.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use predicates::Predicate as _;
use serde_json::Value;

fn repository_file(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{name}: {err}"));
    serde_saphyr::from_str(&text).unwrap_or_else(|err| panic!("{name} is not YAML: {err}"))
}

fn action() -> Value {
    repository_file("action.yml")
}

/// The one hook `.pre-commit-hooks.yaml` defines.
fn hook() -> Value {
    let hooks = repository_file(".pre-commit-hooks.yaml");
    let hooks = hooks.as_array().expect("a list of hooks");
    assert_eq!(hooks.len(), 1, "{hooks:#?}");
    hooks[0].clone()
}

fn steps(action: &Value) -> &Vec<Value> {
    action["runs"]["steps"].as_array().expect("steps")
}

/// The step with `id`.
fn step<'a>(action: &'a Value, id: &str) -> &'a Value {
    steps(action)
        .iter()
        .find(|step| step["id"] == id)
        .unwrap_or_else(|| panic!("no step `{id}`"))
}

/// Every `--flag` that `shipshape check --help` lists.
fn check_flags() -> BTreeSet<String> {
    let output = shipshape().args(["check", "--help"]).output().unwrap();
    assert!(output.status.success());
    flags(&String::from_utf8(output.stdout).unwrap())
}

/// The `--flag`s in a text, without their `=VALUE`.
fn flags(text: &str) -> BTreeSet<String> {
    text.split(|c: char| c.is_whitespace() || c == '"' || c == '\'' || c == '[' || c == ',')
        .filter(|word| word.starts_with("--") && word.len() > 2)
        .map(|word| {
            word.split('=')
                .next()
                .unwrap()
                .trim_end_matches(|c: char| !c.is_ascii_alphanumeric())
                .to_string()
        })
        .collect()
}

#[test]
fn the_action_has_its_inputs_with_their_defaults() {
    let action = action();
    assert!(action["name"].is_string() && action["description"].is_string());
    assert_eq!(action["runs"]["using"], "composite");
    let inputs = action["inputs"].as_object().expect("inputs");
    // (serde_json's map is sorted by key.)
    let defaults: Vec<(&str, &str)> = inputs
        .iter()
        .map(|(name, input)| {
            assert!(input["description"].is_string(), "{name} is described");
            (name.as_str(), input["default"].as_str().unwrap())
        })
        .collect();
    assert_eq!(
        defaults,
        [
            ("args", ""),
            ("path", "."),
            ("sarif-file", "shipshape.sarif"),
            ("upload-sarif", "true"),
        ]
    );
    let outputs = action["outputs"].as_object().expect("outputs");
    assert_eq!(
        outputs["exit-code"]["value"],
        "${{ steps.check.outputs.exit-code }}"
    );
}

#[test]
fn the_action_installs_caches_checks_and_uploads_even_after_a_failure() {
    let action = action();
    for step in steps(&action) {
        if step.get("run").is_some() {
            assert_eq!(
                step["shell"], "bash",
                "a composite step names its shell: {step}"
            );
            let script = step["run"].as_str().unwrap();
            assert!(
                !script.contains("${{ inputs."),
                "inputs reach scripts through env, never pasted in: {script}"
            );
        } else {
            assert!(step["uses"].is_string(), "{step}");
        }
    }
    let cache = step(&action, "cache");
    assert!(
        cache["uses"]
            .as_str()
            .unwrap()
            .starts_with("actions/cache@")
    );
    let key = cache["with"]["key"].as_str().unwrap();
    assert!(key.contains("${{ steps.key.outputs.hash }}"), "{key}");
    assert!(key.contains("${{ runner.os }}"), "{key}");

    let install: Vec<&Value> = steps(&action)
        .iter()
        .filter(|step| {
            step["run"]
                .as_str()
                .is_some_and(|run| run.contains("cargo install"))
        })
        .collect();
    assert_eq!(install.len(), 1);
    assert_eq!(install[0]["if"], "steps.cache.outputs.cache-hit != 'true'");
    let run = install[0]["run"].as_str().unwrap();
    assert!(
        run.starts_with(r#"cargo install --locked --path "${{ github.action_path }}""#),
        "{run}"
    );

    let check = step(&action, "check");
    let run = check["run"].as_str().unwrap();
    assert!(
        run.contains(
            r#"shipshape check "$SHIPSHAPE_PATH" --format github --format "sarif=$SHIPSHAPE_SARIF" $SHIPSHAPE_ARGS"#
        ),
        "{run}"
    );
    assert!(
        run.contains(r#"exit "$code""#),
        "check's exit code is the step's"
    );
    assert_eq!(check["env"]["SHIPSHAPE_PATH"], "${{ inputs.path }}");
    assert_eq!(check["env"]["SHIPSHAPE_ARGS"], "${{ inputs.args }}");
    assert_eq!(check["env"]["SHIPSHAPE_SARIF"], "${{ inputs.sarif-file }}");

    let last = steps(&action).last().unwrap();
    assert_eq!(last["uses"], "github/codeql-action/upload-sarif@v3");
    let condition = last["if"].as_str().unwrap();
    assert!(condition.starts_with("always() && "), "{condition}");
    assert!(
        condition.contains("inputs.upload-sarif == 'true'"),
        "{condition}"
    );
    assert_eq!(
        last["with"]["sarif_file"],
        "${{ steps.check.outputs.sarif-file }}"
    );
}

#[test]
fn the_commands_they_run_use_only_flags_check_has() {
    let known = check_flags();
    assert!(
        known.contains("--format") && known.contains("--strict"),
        "{known:?}"
    );
    let action = action();
    let mut commands: Vec<String> = steps(&action)
        .iter()
        .filter_map(|step| step["run"].as_str())
        .flat_map(str::lines)
        .filter(|line| line.contains("shipshape "))
        .map(str::to_string)
        .collect();
    assert_eq!(commands.len(), 1, "{commands:#?}");
    let hook = hook();
    commands.push(hook["entry"].as_str().unwrap().to_string());
    for command in &commands {
        let words: Vec<&str> = command.split_whitespace().collect();
        assert_eq!(&words[..2], ["shipshape", "check"], "{command}");
        for flag in flags(command) {
            assert!(
                known.contains(&flag),
                "`{flag}` in `{command}` is no flag of check"
            );
        }
    }
    // The README's pre-commit configuration too.
    for arg in readme_hook()["args"].as_array().unwrap() {
        let arg = arg.as_str().unwrap();
        if arg.starts_with("--") {
            assert!(known.contains(arg.split('=').next().unwrap()), "{arg}");
        }
    }
}

/// A fake `shipshape` that records its arguments, writes the SARIF file when asked to,
/// and exits with `code`; the folder to put first on PATH.
fn stub(dir: &Path, code: i32, writes_sarif: bool) -> PathBuf {
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let write = if writes_sarif {
        r#"for arg in "$@"; do case "$arg" in sarif=*) echo '{}' > "${arg#sarif=}";; esac; done"#
    } else {
        ""
    };
    let script = format!(
        "#!/bin/sh\nfor arg in \"$@\"; do printf '%s\\n' \"$arg\"; done > \"$STUB_ARGS\"\n{write}\nexit {code}\n"
    );
    let path = bin.join("shipshape");
    std::fs::write(&path, script).unwrap();
    let status = Command::new("chmod").arg("+x").arg(&path).status().unwrap();
    assert!(status.success());
    bin
}

/// Runs the action's `check` step as the runner would (`bash -e` with the step's env);
/// its exit code, the arguments shipshape got and what it wrote to GITHUB_OUTPUT.
fn run_check_step(work: &Path, bin: &Path, inputs: &[(&str, &str)]) -> (i32, Vec<String>, String) {
    let action = action();
    let step = step(&action, "check");
    let input = |name: &str| {
        inputs
            .iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| (*value).to_string())
            .unwrap_or_else(|| {
                action["inputs"][name]["default"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
    };
    let mut command = Command::new("bash");
    command
        .args(["--noprofile", "--norc", "-eo", "pipefail", "-c"])
        .arg(step["run"].as_str().unwrap())
        .current_dir(work);
    for (key, value) in step["env"].as_object().unwrap() {
        let name = value
            .as_str()
            .unwrap()
            .strip_prefix("${{ inputs.")
            .and_then(|rest| rest.strip_suffix(" }}"))
            .expect("env from an input");
        command.env(key, input(name));
    }
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let outputs = work.join("github-output");
    let args = work.join("args");
    std::fs::write(&outputs, "").unwrap();
    let status = command
        .env("PATH", path)
        .env("GITHUB_OUTPUT", &outputs)
        .env("STUB_ARGS", &args)
        .status()
        .unwrap();
    let args = std::fs::read_to_string(&args).unwrap_or_default();
    (
        status.code().unwrap(),
        args.lines().map(str::to_string).collect(),
        std::fs::read_to_string(&outputs).unwrap(),
    )
}

#[test]
fn the_check_step_passes_the_inputs_and_keeps_the_exit_code() {
    let work = tempfile::tempdir().unwrap();
    let bin = stub(work.path(), 1, true);
    let (code, args, outputs) = run_check_step(
        work.path(),
        &bin,
        &[("path", "docs"), ("args", "--strict --skip-rule orphan  *")],
    );
    assert_eq!(code, 1, "check's exit code fails the step");
    assert_eq!(
        args,
        [
            "check",
            "docs",
            "--format",
            "github",
            "--format",
            "sarif=shipshape.sarif",
            "--strict",
            "--skip-rule",
            "orphan",
            "*"
        ],
        "args are split at spaces, and `*` stays a word"
    );
    assert_eq!(outputs, "exit-code=1\nsarif-file=shipshape.sarif\n");

    // Could not run: no report, so nothing to upload.
    let work = tempfile::tempdir().unwrap();
    let bin = stub(work.path(), 2, false);
    let (code, args, outputs) = run_check_step(work.path(), &bin, &[("sarif-file", "out/x.sarif")]);
    assert_eq!(code, 2);
    assert_eq!(args[1], ".");
    assert_eq!(args[5], "sarif=out/x.sarif");
    assert_eq!(outputs, "exit-code=2\n");

    let work = tempfile::tempdir().unwrap();
    let bin = stub(work.path(), 0, true);
    let (code, _, outputs) = run_check_step(work.path(), &bin, &[]);
    assert_eq!(
        (code, outputs.as_str()),
        (0, "exit-code=0\nsarif-file=shipshape.sarif\n")
    );
}

#[test]
fn the_hook_is_a_rust_hook_for_pages_yaml_and_book_toml() {
    let hook = hook();
    assert_eq!(hook["id"], "shipshape-check");
    assert_eq!(hook["language"], "rust");
    assert_eq!(hook["entry"], "shipshape check");
    assert_eq!(hook["pass_filenames"], true);
    let files = predicates::str::is_match(hook["files"].as_str().unwrap()).unwrap();
    for name in [
        "docs/content/guide/intro.md",
        "README.md",
        "book.toml",
        "docs/book.toml",
        "docs/content/services/payments.yaml",
        "standards/x.yml",
    ] {
        assert!(files.eval(name), "{name} is passed");
    }
    for name in [
        "src/main.rs",
        "docs/content/pic.png",
        "notbook.toml",
        "Cargo.toml",
        "docs/md",
    ] {
        assert!(!files.eval(name), "{name} is not passed");
    }
}

/// The shipshape-check hook of the README's `.pre-commit-config.yaml` example.
fn readme_hook() -> Value {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let start = readme
        .find("```yaml\nrepos:")
        .expect("the README shows a .pre-commit-config.yaml")
        + "```yaml\n".len();
    let end = start + readme[start..].find("```").unwrap();
    let config: Value = serde_saphyr::from_str(&readme[start..end]).expect("it is YAML");
    let hooks = config["repos"][0]["hooks"].as_array().unwrap();
    assert_eq!(hooks[0]["id"], "shipshape-check");
    hooks[0].clone()
}

/// Runs the hook's entry with the README's args and the `files` that match the hook's
/// `files` pattern, from the repository root, as pre-commit does.
fn run_hook(repo: &Path, files: &[&str]) -> std::process::Output {
    let hook = hook();
    let pattern = predicates::str::is_match(hook["files"].as_str().unwrap()).unwrap();
    let entry: Vec<&str> = hook["entry"].as_str().unwrap().split_whitespace().collect();
    assert_eq!(entry[0], "shipshape");
    let args: Vec<String> = readme_hook()["args"]
        .as_array()
        .unwrap()
        .iter()
        .map(|arg| arg.as_str().unwrap().to_string())
        .collect();
    shipshape()
        .args(&entry[1..])
        .args(&args)
        .args(files.iter().filter(|file| pattern.eval(file)))
        .current_dir(repo)
        .output()
        .unwrap()
}

#[test]
fn the_hook_reports_only_the_files_being_committed() {
    let repo = tempfile::tempdir().unwrap();
    git_init(repo.path());
    copy_tree(&fixture_path("broken"), &repo.path().join("docs"));
    write(repo.path(), "README.md", "# Project\n\n[gone](gone.md)\n");
    write(repo.path(), "src/main.rs", "fn main() {}\n");
    write(repo.path(), "docs/content/guide/pic.png", "png");
    assert_eq!(readme_hook()["args"], serde_json::json!(["docs"]));

    // A commit that touches the project's README, code and one clean-but-orphan page.
    let output = run_hook(
        repo.path(),
        &[
            "README.md",
            "src/main.rs",
            "docs/content/guide/pic.png",
            "docs/content/guide/unlisted.md",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("warning[orphan]"), "{text}");
    assert!(
        text.contains("--> docs/content/guide/unlisted.md"),
        "{text}"
    );
    assert!(!text.contains("error["), "{text}");

    // One that touches the home page and book.toml: the home page's broken anchor.
    let output = run_hook(repo.path(), &["docs/content/index.md", "docs/book.toml"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("--> docs/content/index.md:3:10"), "{text}");
    assert!(
        text.contains("shipshape: 1 error, 0 warnings in 5 files (link 1)"),
        "{text}"
    );

    // `pre-commit run --all-files`: everything the pattern matches.
    let all: Vec<String> = walkdir::WalkDir::new(repo.path())
        .into_iter()
        .filter_entry(|entry| entry.file_name() != ".git")
        .map(|entry| entry.unwrap())
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| {
            entry
                .path()
                .strip_prefix(repo.path())
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    let all: Vec<&str> = all.iter().map(String::as_str).collect();
    let output = run_hook(repo.path(), &all);
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("shipshape: 5 errors, 1 warning in 5 files"),
        "{text}"
    );
}
