//! The sarif report: a SARIF 2.1.0 log with one run, as GitHub code scanning and other
//! SARIF viewers read it. `tool.driver.rules` holds every rule that exists, with the
//! rules reference's text as its help; each result names its file from the git
//! repository root (`uriBaseId` `%SRCROOT%`), its line and column when it has them, the
//! finding's fingerprint as `partialFingerprints["shipshape/v1"]`, its related places
//! and its subject. No timestamps or absolute paths: the same findings give the same bytes.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use super::repository_path;
use crate::config::BaseUrl;
use crate::finding::{Finding, Related, Rule, Severity};
use crate::model::Handbook;

/// Where GitHub and editors look the format up; schemastore serves the OASIS schema.
const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The content-relative folder where a handbook publishes the rules reference, as the
/// bundled handbook does: a page `<id>.md` per rule.
const RULES_PAGES: &str = "guide/rules";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    /// Columns count characters, as every shipshape report does; SARIF's default is
    /// UTF-16 code units.
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    rules: Vec<Descriptor<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor<'a> {
    id: &'static str,
    short_description: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    full_description: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<Help>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<&'a str>,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: [Location; 1],
    partial_fingerprints: Fingerprints,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<RelatedLocation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<Properties<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RelatedLocation {
    id: usize,
    physical_location: PhysicalLocation,
    message: Text,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    uri_base_id: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<u32>,
}

#[derive(Serialize)]
struct Fingerprints {
    #[serde(rename = "shipshape/v1")]
    v1: String,
}

#[derive(Serialize)]
struct Properties<'a> {
    subject: &'a str,
}

/// The rules reference page of each rule that the handbook publishes, at its public
/// address: only when `base-url` is a full URL, since SARIF viewers open `helpUri` from
/// anywhere, and only for rules whose page `guide/rules/<id>.md` the site has.
pub fn help_uris(base: &BaseUrl, handbook: &Handbook) -> BTreeMap<Rule, String> {
    if !base.is_full() {
        return BTreeMap::new();
    }
    Rule::existing()
        .filter_map(|rule| {
            let page = handbook.page_by_source(&format!("{RULES_PAGES}/{}.md", rule.id()))?;
            Some((rule, base.join(&handbook.page(page).url)))
        })
        .collect()
}

/// The report as pretty-printed JSON. `prefix` is `output::repository_prefix`;
/// `help_uris` gives a rule's `helpUri` (see `help_uris`).
pub fn report(findings: &[Finding], prefix: &str, help_uris: &BTreeMap<Rule, String>) -> String {
    // Every rule that exists, and any other rule a finding has, so each result's
    // ruleIndex points into the list.
    let rules: Vec<Rule> = Rule::ALL
        .iter()
        .copied()
        .filter(|rule| rule.about().is_some() || findings.iter().any(|f| f.rule == *rule))
        .collect();
    let mut index = [0; Rule::ALL.len()];
    for (at, rule) in rules.iter().enumerate() {
        index[*rule as usize] = at;
    }
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "shipshape",
                    version: env!("CARGO_PKG_VERSION"),
                    rules: rules
                        .iter()
                        .map(|rule| descriptor(*rule, help_uris.get(rule).map(String::as_str)))
                        .collect(),
                },
            },
            column_kind: "unicodeCodePoints",
            results: findings
                .iter()
                .map(|finding| result(finding, index[finding.rule as usize], prefix))
                .collect(),
        }],
    };
    let mut text = serde_json::to_string_pretty(&log).expect("findings serialize");
    text.push('\n');
    text
}

fn descriptor(rule: Rule, help_uri: Option<&str>) -> Descriptor<'_> {
    let level = level(rule.default_severity());
    let Some(about) = rule.about() else {
        return Descriptor {
            id: rule.id(),
            short_description: Text {
                text: sentence(rule.id()),
            },
            full_description: None,
            help: None,
            help_uri,
            default_configuration: Configuration { level },
        };
    };
    // What it finds, why, how to fix and how to configure; the example would only repeat
    // what a viewer shows of the result itself.
    let sections = &about.sections()[..4];
    let mut text = String::new();
    let mut markdown = String::new();
    for (heading, body) in sections {
        if !text.is_empty() {
            text.push_str("\n\n");
            markdown.push_str("\n\n");
        }
        let _ = write!(text, "{heading}\n\n{body}");
        let _ = write!(markdown, "## {heading}\n\n{}", fenced(body));
    }
    Descriptor {
        id: rule.id(),
        short_description: Text {
            text: sentence(about.summary),
        },
        full_description: Some(Text {
            text: about.finds.to_string(),
        }),
        help: Some(Help { text, markdown }),
        help_uri,
        default_configuration: Configuration { level },
    }
}

fn result<'a>(finding: &'a Finding, rule_index: usize, prefix: &str) -> SarifResult<'a> {
    let mut message = sentence(&finding.message);
    if let Some(help) = &finding.help {
        message.push('\n');
        message.push_str(&sentence(help));
    }
    SarifResult {
        rule_id: finding.rule.id(),
        rule_index,
        level: level(finding.severity),
        message: Text { text: message },
        locations: [Location {
            physical_location: physical(prefix, &finding.file, finding.line, finding.column),
        }],
        partial_fingerprints: Fingerprints {
            v1: finding.fingerprint(),
        },
        related_locations: finding
            .related
            .iter()
            .enumerate()
            .map(|(id, related)| related_location(id + 1, related, prefix))
            .collect(),
        properties: finding
            .subject
            .as_deref()
            .map(|subject| Properties { subject }),
    }
}

fn related_location(id: usize, related: &Related, prefix: &str) -> RelatedLocation {
    RelatedLocation {
        id,
        physical_location: physical(prefix, &related.file, related.line, related.column),
        message: Text {
            text: sentence(&related.message),
        },
    }
}

/// A file from the repository root, with a region only where the line is known.
fn physical(prefix: &str, file: &str, line: Option<u32>, column: Option<u32>) -> PhysicalLocation {
    PhysicalLocation {
        artifact_location: ArtifactLocation {
            uri: uri_path(&repository_path(prefix, file)),
            uri_base_id: "%SRCROOT%",
        },
        region: line.map(|start_line| Region {
            start_line,
            start_column: column,
        }),
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// A `/`-separated relative path as a URI reference: every byte outside RFC 3986's
/// unreserved characters, its sub-delimiters, `@` and `/` percent-encoded (`:` too,
/// which in a first segment would read as a scheme; non-ASCII as UTF-8 bytes).
fn uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'.'
            | b'_'
            | b'~'
            | b'/'
            | b'!'
            | b'$'
            | b'&'
            | b'\''
            | b'('
            | b')'
            | b'*'
            | b'+'
            | b','
            | b';'
            | b'='
            | b'@' => out.push(byte as char),
            _ => {
                let _ = write!(out, "%{byte:02X}");
            }
        }
    }
    out
}

/// Text ending as a sentence does, as SARIF asks of messages: a `.` added unless it
/// ends with `.`, `?` or `!` already.
fn sentence(text: &str) -> String {
    let text = text.trim_end();
    let mut out = text.to_string();
    if !text.ends_with(['.', '?', '!']) {
        out.push('.');
    }
    out
}

/// A reference text as Markdown: its TOML snippets (paragraphs that start with a
/// `[table]` line) fenced, as the rule pages fence them; the rest is Markdown already.
fn fenced(body: &str) -> String {
    body.split("\n\n")
        .map(|paragraph| {
            let first = paragraph.lines().next().unwrap_or("");
            if first.starts_with('[') && first.trim_end().ends_with(']') {
                format!("```toml\n{paragraph}\n```")
            } else {
                paragraph.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(uri_path("docs/content/a b.md"), "docs/content/a%20b.md");
        assert_eq!(uri_path("c:d%e#f?g.md"), "c%3Ad%25e%23f%3Fg.md");
        assert_eq!(uri_path("ü/x(1).md"), "%C3%BC/x(1).md");
    }

    #[test]
    fn sentences_and_fences() {
        assert_eq!(sentence("no such page "), "no such page.");
        assert_eq!(sentence("did you mean `x`?"), "did you mean `x`?");
        assert_eq!(
            fenced("Set it:\n\n[policy.severity]\nlink = \"off\"\n\nDone."),
            "Set it:\n\n```toml\n[policy.severity]\nlink = \"off\"\n```\n\nDone."
        );
    }

    #[test]
    fn subjects_and_related_places_are_kept() {
        let finding = Finding::new(Rule::Orphan, "content/a.md", "lost")
            .related(
                "content/b.md",
                Some(crate::finding::Position { line: 2, column: 5 }),
                "the other page",
            )
            .subject("payments");
        let log: serde_json::Value =
            serde_json::from_str(&report(&[finding], "docs", &BTreeMap::new())).unwrap();
        let result = &log["runs"][0]["results"][0];
        assert_eq!(
            result["properties"],
            serde_json::json!({"subject": "payments"})
        );
        assert_eq!(
            result["relatedLocations"][0],
            serde_json::json!({
                "id": 1,
                "physicalLocation": {
                    "artifactLocation": {"uri": "docs/content/b.md", "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": 2, "startColumn": 5},
                },
                "message": {"text": "the other page."},
            })
        );
        assert!(result["locations"][0]["physicalLocation"]["region"].is_null());
        let rules = log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap();
        let at = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[at]["id"], "orphan");
    }
}
