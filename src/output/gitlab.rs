//! The gitlab report: a GitLab Code Quality JSON array (`description`, `check_name`,
//! `fingerprint`, `severity`, `location.path`, `location.lines.begin`). Files are named
//! from the git repository root, as GitLab expects.

use std::collections::HashMap;

use serde::Serialize;

use super::repository_path;
use crate::finding::{Finding, Fnv1a, Severity};

#[derive(Serialize)]
struct Issue<'a> {
    description: &'a str,
    check_name: &'a str,
    fingerprint: String,
    severity: &'static str,
    location: Location,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: u32,
}

/// The report as pretty-printed JSON. GitLab shows one issue per fingerprint, so the
/// second and later findings that share one get it hashed with their ordinal.
pub fn report(findings: &[Finding], prefix: &str) -> String {
    let mut seen: HashMap<String, u32> = HashMap::new();
    let issues: Vec<Issue> = findings
        .iter()
        .map(|finding| {
            let base = finding.fingerprint();
            let count = seen.entry(base.clone()).or_insert(0);
            *count += 1;
            let fingerprint = if *count == 1 {
                base
            } else {
                let mut hash = Fnv1a::new();
                hash.write(base.as_bytes());
                hash.write(format!(":{count}").as_bytes());
                format!("{:016x}", hash.finish())
            };
            Issue {
                description: &finding.message,
                check_name: finding.rule.id(),
                fingerprint,
                severity: match finding.severity {
                    Severity::Error => "major",
                    Severity::Warning => "minor",
                },
                location: Location {
                    path: repository_path(prefix, &finding.file),
                    lines: Lines {
                        begin: finding.line.unwrap_or(1),
                    },
                },
            }
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&issues).expect("findings serialize");
    text.push('\n');
    text
}
