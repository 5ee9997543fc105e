//! `shipshape init`: scaffold a small handbook that builds and passes `check`.
//! It never overwrites: if any file it would write exists, it writes nothing.

use std::path::Path;

use anyhow::{Context as _, bail};

use super::Outcome;

/// The scaffold: (path, text). `{title}` and `{date}` are filled in.
const FILES: &[(&str, &str)] = &[
    ("book.toml", include_str!("scaffold/book.toml")),
    ("content/SUMMARY.md", include_str!("scaffold/SUMMARY.md")),
    ("content/index.md", include_str!("scaffold/index.md")),
    (
        "content/guide/getting-started.md",
        include_str!("scaffold/guide/getting-started.md"),
    ),
    (
        "content/adr/README.md",
        include_str!("scaffold/adr/README.md"),
    ),
    (
        "content/adr/0001-record-architecture-decisions.md",
        include_str!("scaffold/adr/0001-record-architecture-decisions.md"),
    ),
    (".gitignore", "/book/\n/.shipshape/\n"),
];

/// Writes the scaffold into `dir`, creating it when missing.
pub fn run(dir: &Path, today: jiff::civil::Date) -> anyhow::Result<Outcome> {
    let existing: Vec<String> = FILES
        .iter()
        .filter(|(path, _)| dir.join(path).exists())
        .map(|(path, _)| dir.join(path).display().to_string())
        .collect();
    if !existing.is_empty() {
        bail!(
            "not scaffolding into {}: these files exist and would be overwritten: {}\n  help: run `shipshape init` in an empty folder, or pass a new one: `shipshape init my-handbook`",
            dir.display(),
            existing.join(", ")
        );
    }
    let title = book_title(dir);
    for (path, text) in FILES {
        let dest = dir.join(path);
        if let Some(parent) = dest.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        // A TOML string as the toml crate writes one: quotes, backslashes, newlines and
        // control characters in a folder name all come out escaped.
        let title = if *path == "book.toml" {
            toml::Value::String(title.clone()).to_string()
        } else {
            markdown_text(&title)
        };
        let text = text
            .replace("{title}", &title)
            .replace("{date}", &today.to_string());
        std::fs::write(&dest, text).with_context(|| format!("cannot write {}", dest.display()))?;
    }
    let shown = shell_quote(&dir.display().to_string());
    let site = shell_quote(&dir.join("book").join("index.html").display().to_string());
    eprintln!(
        "shipshape: created a handbook in {}\n  next: shipshape build {shown}\n  then open {site} in a browser (it works from disk, no server needed)",
        dir.display(),
    );
    Ok(Outcome {
        findings: Vec::new(),
    })
}

/// The book's title from the folder's name: `payments-team` → `Payments team handbook`,
/// and a name that already says it (`my-handbook`, `docs`) is kept: `My handbook`.
fn book_title(dir: &Path) -> String {
    // A newline or tab in a folder name is no part of a title.
    let name: String = folder_title(dir)
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let says_it = name.split_whitespace().any(|word| {
        [
            "handbook",
            "docs",
            "documentation",
            "guide",
            "book",
            "manual",
            "wiki",
        ]
        .contains(&word.to_lowercase().as_str())
    });
    if says_it {
        name
    } else {
        format!("{name} handbook")
    }
}

/// `text` as literal markdown text: every ASCII punctuation mark that markdown or HTML
/// could read as syntax is backslash-escaped (`ops [beta]` stays text, `<b>` is no tag).
pub fn markdown_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\`*_{}[]<>()#+!|&~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `path` as a POSIX shell word: as it is when it only holds safe characters, else in
/// single quotes, so the hint can be pasted into a terminal.
fn shell_quote(path: &str) -> String {
    let safe = !path.is_empty()
        && path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+:,@%=".contains(c));
    if safe {
        path.to_string()
    } else {
        format!("'{}'", path.replace('\'', "'\\''"))
    }
}

/// A title from the folder's name: `payments-team` → `Payments team`.
fn folder_title(dir: &Path) -> String {
    let name = std::path::absolute(dir)
        .ok()
        .and_then(|path| {
            path.file_name()
                .map(|name| name.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| "Team".into());
    crate::model::humanize(&name)
}
