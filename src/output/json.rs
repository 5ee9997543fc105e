//! The JSON report: `{"version": 1, "findings": [...], "summary": {...}}`.

use serde::Serialize;

use crate::finding::{Finding, Severity};

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    findings: &'a [Finding],
    summary: Summary,
}

#[derive(Serialize)]
struct Summary {
    errors: usize,
    warnings: usize,
    files: usize,
}

/// The report as pretty-printed JSON.
pub fn report(findings: &[Finding], files: usize) -> String {
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let report = Report {
        version: 1,
        findings,
        summary: Summary {
            errors,
            warnings: findings.len() - errors,
            files,
        },
    };
    let mut text = serde_json::to_string_pretty(&report).expect("findings serialize");
    text.push('\n');
    text
}
