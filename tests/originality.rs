//! The bundled handbook and the built-in standard are written in the project's own words:
//! no run of eight words from the reference article they draw their facts from
//! (`../shared/reference/production-ready-software.txt`, beside the repository). Where
//! that file is not there, the test says so and checks nothing.

mod common;

use std::collections::HashSet;
use std::path::Path;

/// Words as the comparison sees them: lowercase runs of letters, digits and apostrophes.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect()
}

#[test]
fn no_run_of_eight_words_comes_from_the_reference_article() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let reference = root.join("../shared/reference/production-ready-software.txt");
    let Ok(article) = std::fs::read_to_string(&reference) else {
        common::notice(&format!(
            "SKIPPED originality check: {} is not there",
            reference.display()
        ));
        return;
    };
    let article = words(&article);
    let runs: HashSet<&[String]> = article.windows(8).collect();
    let mut files: Vec<std::path::PathBuf> = walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| {
            entry
                .path()
                .extension()
                .is_some_and(|ext| ext == "md" || ext == "yaml")
        })
        .map(|entry| entry.into_path())
        .collect();
    files.push(root.join("src/standards/production-readiness.yaml"));
    let mut copied = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let words = words(&text);
        if let Some(run) = words.windows(8).find(|run| runs.contains(run)) {
            copied.push(format!("{}: \"{}\"", file.display(), run.join(" ")));
        }
    }
    assert!(
        copied.is_empty(),
        "runs of the reference article:\n{}",
        copied.join("\n")
    );
}
