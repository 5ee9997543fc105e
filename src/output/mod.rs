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

/// What `check` reports beside the findings.
#[derive(Default)]
pub struct Notes<'a> {
    /// `--changed-since`: how readiness moved since REF.
    pub movement: Option<&'a Movement>,
    /// `--due-within`: the window; the findings due in it carry their `owner`.
    pub due_within: Option<crate::config::Days>,
    /// `--changed-since`: how many findings the change did not touch.
    pub outside_change: Option<usize>,
}

/// How readiness moved since a `--changed-since` REF.
pub struct Movement {
    /// REF as written, and its merge base with HEAD, abbreviated.
    pub reference: String,
    pub base: String,
    /// One line per service whose level or score moved.
    pub moved: Vec<String>,
    /// Why the movement could not be computed, when it could not.
    pub problem: Option<String>,
}

impl Movement {
    /// The heading line: `readiness since origin/main (merge base 4f2a9c1)`.
    pub fn heading(&self) -> String {
        format!(
            "readiness since {} (merge base {})",
            self.reference, self.base
        )
    }
}

/// The findings tagged by `--due-within`, grouped by owner (in name order), each group
/// in report order.
pub fn due_groups(
    findings: &[crate::finding::Finding],
) -> std::collections::BTreeMap<&str, Vec<&crate::finding::Finding>> {
    let mut groups: std::collections::BTreeMap<&str, Vec<&crate::finding::Finding>> =
        std::collections::BTreeMap::new();
    for finding in findings {
        if let Some(owner) = finding.owner.as_deref() {
            groups.entry(owner).or_default().push(finding);
        }
    }
    groups
}

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
