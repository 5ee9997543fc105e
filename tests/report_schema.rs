//! `schema/report.schema.json` describes what `check --format json` prints: real reports
//! (a clean handbook, the broken fixture with its related places, hostile text) are valid
//! against it, and reports with a field the schema does not know, or a wrong value, are not.

mod common;

use common::*;
use serde_json::{Value, json};

fn schema() -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/report.schema.json");
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn assert_valid(report: &Value) {
    let errors = schema_errors(&schema(), report);
    assert!(errors.is_empty(), "{}\n\n{report:#}", errors.join("\n"));
}

#[test]
fn the_bundled_handbook_report_is_valid() {
    let (code, report) = check_json(env!("CARGO_MANIFEST_DIR").as_ref(), &[]);
    assert_eq!(code, 0);
    // In a shallow CI checkout, the one notice that git dates were not read.
    let findings: Vec<&serde_json::Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|finding| !(common::checkout_lacks_history() && common::is_git_notice(finding)))
        .collect();
    assert!(findings.is_empty(), "{findings:#?}");
    assert_valid(&report);
}

#[test]
fn the_broken_fixture_report_with_related_places_is_valid() {
    let dir = fixture("broken");
    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let findings = report["findings"].as_array().unwrap();
    assert!(findings.len() >= 6);
    assert!(
        findings
            .iter()
            .any(|f| !f["related"].as_array().unwrap().is_empty()),
        "a finding with a related place: {report:#}"
    );
    assert!(findings.iter().any(|f| f["line"].is_null()), "{report:#}");
    assert_valid(&report);
}

#[test]
fn a_report_inside_a_repository_with_hostile_text_is_valid() {
    let repo = hostile("{{#include nowhere.rs}}\n");
    let (code, report) = check_json(&repo.path().join("docs"), &[]);
    assert_eq!(code, 1);
    assert_eq!(report["root"], "docs");
    assert_valid(&report);
}

/// A change that makes a report invalid.
type Change = fn(&mut Value);

#[test]
fn the_schema_refuses_what_the_report_never_holds() {
    let dir = fixture("broken");
    let (_, report) = check_json(dir.path(), &[]);
    assert_valid(&report);
    let broken: [(&str, Change); 8] = [
        ("an unknown top-level field", |r| r["extra"] = json!(1)),
        ("another version", |r| r["version"] = json!(2)),
        ("an unknown finding field", |r| {
            r["findings"][0]["extra"] = json!(1)
        }),
        ("an unknown rule", |r| {
            r["findings"][0]["rule"] = json!("typo")
        }),
        ("a severity that is none", |r| {
            r["findings"][0]["severity"] = json!("fatal")
        }),
        ("a line 0", |r| r["findings"][0]["line"] = json!(0)),
        ("an advisory error", |r| {
            r["findings"][0]["advisory"] = json!(true)
        }),
        ("a short fingerprint", |r| {
            r["findings"][0]["fingerprint"] = json!("abc")
        }),
    ];
    for (what, change) in broken {
        let mut report = report.clone();
        change(&mut report);
        assert!(
            !schema_errors(&schema(), &report).is_empty(),
            "{what} passed the schema"
        );
    }
    // The summary is closed too, and holds every count.
    let mut unknown = report.clone();
    unknown["summary"]["skipped"] = json!(0);
    assert!(!schema_errors(&schema(), &unknown).is_empty());
    let mut missing = report;
    missing["summary"]
        .as_object_mut()
        .unwrap()
        .remove("suppressed");
    assert!(!schema_errors(&schema(), &missing).is_empty());
}
