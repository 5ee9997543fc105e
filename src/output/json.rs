//! The JSON report: `{"version": 1, "findings": [...], "summary": {...}}`.

use serde::Serialize;

use crate::finding::{Finding, Tally};

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    findings: &'a [Finding],
    summary: Summary,
}

#[derive(Serialize)]
struct Summary {
    #[serde(flatten)]
    tally: Tally,
    files: usize,
}

/// The report as pretty-printed JSON.
pub fn report(findings: &[Finding], files: usize) -> String {
    let report = Report {
        version: 1,
        findings,
        summary: Summary {
            tally: Tally::of(findings),
            files,
        },
    };
    let mut text = serde_json::to_string_pretty(&report).expect("findings serialize");
    text.push('\n');
    text
}
