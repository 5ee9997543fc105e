//! Output: write the site atomically, and print findings in the report formats.
//!
//! Invariant: the only module that writes files of the site.

pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;
pub mod site;

use std::path::Path;

pub use site::{MARKER, Staging, absolute};

/// The handbook root relative to the git work tree that holds it, `/`-separated and
/// without `.`: `docs`, or `""` when the handbook is the repository root or is in no
/// work tree. The base the CI formats (github, gitlab, junit, sarif) name files from.
pub fn repository_prefix(root: &Path) -> String {
    let (Ok(root), Ok(home)) = (
        std::fs::canonicalize(root),
        crate::load::boundary::home(root),
    ) else {
        return String::new();
    };
    let relative = root.strip_prefix(&home).unwrap_or(Path::new(""));
    relative
        .components()
        .map(|component| component.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// A finding's file relative to the repository root, given `repository_prefix`.
pub fn repository_path(prefix: &str, file: &str) -> String {
    if prefix.is_empty() {
        file.to_string()
    } else {
        format!("{prefix}/{file}")
    }
}
