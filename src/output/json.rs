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

#[cfg(test)]
mod tests {
    use crate::finding::Rule;

    #[test]
    fn the_schema_lists_every_rule_id() {
        let schema: serde_json::Value =
            serde_json::from_str(include_str!("../../schema/report.schema.json")).unwrap();
        let ids: Vec<&str> = schema["$defs"]["finding"]["properties"]["rule"]["enum"]
            .as_array()
            .unwrap()
            .iter()
            .map(|id| id.as_str().unwrap())
            .collect();
        let rules: Vec<&str> = Rule::ALL.iter().map(|rule| rule.id()).collect();
        assert_eq!(
            ids, rules,
            "schema/report.schema.json names the rules of `rules!`"
        );
    }
}
