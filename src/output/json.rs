//! The JSON report: `{"version": 1, "root": "docs", "findings": [...], "summary": {...}}`.
//! Files are named from the handbook root; `root` is the handbook root from the git
//! repository root (`""` when they are the same or there is no repository).

use serde::Serialize;

use crate::finding::{Finding, Tally, Withheld};

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
    /// Findings inline directives suppressed.
    suppressed: usize,
    /// Findings the baseline accepts.
    baselined: usize,
    /// Findings the baseline accepts that are gone.
    fixed: usize,
}

/// The report as pretty-printed JSON; `summary` counts what `withheld` holds. `root`
/// is `output::repository_prefix`.
pub fn report(findings: &[Finding], withheld: &Withheld, files: usize, root: &str) -> String {
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
            suppressed: withheld.suppressed.len(),
            baselined: withheld.baselined.len(),
            fixed: withheld.fixed,
        },
    };
    let mut text = serde_json::to_string_pretty(&report).expect("findings serialize");
    text.push('\n');
    text
}
