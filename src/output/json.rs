//! The JSON report: `{"version": 1, "root": "docs", "findings": [...], "summary": {...}}`.
//! Files are named from the handbook root; `root` is the handbook root from the git
//! repository root (`""` when they are the same or there is no repository).

use serde::Serialize;

use crate::finding::{Finding, Tally};

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    root: &'a str,
    findings: Vec<Entry<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct Entry<'a> {
    #[serde(flatten)]
    finding: &'a Finding,
    fingerprint: String,
}

#[derive(Serialize)]
struct Summary {
    #[serde(flatten)]
    tally: Tally,
    files: usize,
}

/// The report as pretty-printed JSON. `root` is `output::repository_prefix`.
pub fn report(findings: &[Finding], files: usize, root: &str) -> String {
    let report = Report {
        version: 1,
        root,
        findings: findings
            .iter()
            .map(|finding| Entry {
                finding,
                fingerprint: finding.fingerprint(),
            })
            .collect(),
        summary: Summary {
            tally: Tally::of(findings),
            files,
        },
    };
    let mut text = serde_json::to_string_pretty(&report).expect("findings serialize");
    text.push('\n');
    text
}
