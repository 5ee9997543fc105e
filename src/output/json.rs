//! The JSON report: `{"version": 1, "root": "docs", "findings": [...], "summary": {...}}`.
//! Files are named from the handbook root; `root` is the handbook root from the git
//! repository root (`""` when they are the same or there is no repository).

use serde::Serialize;

use super::Notes;
use crate::finding::{Finding, Tally, Withheld};

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    root: &'a str,
    findings: Vec<Entry<'a>>,
    summary: Summary,
    /// `--due-within`: the window, and the findings due in it by owner (fingerprints).
    #[serde(skip_serializing_if = "Option::is_none")]
    due: Option<Due<'a>>,
    /// `--changed-since`: REF, its merge base, and how readiness moved.
    #[serde(skip_serializing_if = "Option::is_none")]
    changed_since: Option<ChangedSince<'a>>,
}

#[derive(Serialize)]
struct Due<'a> {
    within: String,
    owners: std::collections::BTreeMap<&'a str, Vec<String>>,
}

#[derive(Serialize)]
struct ChangedSince<'a> {
    #[serde(rename = "ref")]
    reference: &'a str,
    base: &'a str,
    readiness: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    problem: Option<&'a str>,
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
    /// `--changed-since`: findings left out because the change did not touch them.
    #[serde(skip_serializing_if = "Option::is_none")]
    outside_change: Option<usize>,
}

/// The report as pretty-printed JSON; `summary` counts what `withheld` holds. `root`
/// is `output::repository_prefix`.
pub fn report(
    findings: &[Finding],
    withheld: &Withheld,
    notes: &Notes<'_>,
    files: usize,
    root: &str,
) -> String {
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
            outside_change: withheld.outside_change,
        },
        due: notes.due_within.map(|within| Due {
            within: within.to_string(),
            owners: super::due_groups(findings)
                .into_iter()
                .map(|(owner, group)| (owner, group.iter().map(|f| f.fingerprint()).collect()))
                .collect(),
        }),
        changed_since: notes.movement.map(|movement| ChangedSince {
            reference: &movement.reference,
            base: &movement.base,
            readiness: &movement.moved,
            problem: movement.problem.as_deref(),
        }),
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
