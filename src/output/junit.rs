//! The junit report: JUnit XML as GitLab and Jenkins read it, in the subset both know
//! (`testsuites` › `testsuite` › `testcase` with `failure` and `system-out`). One
//! `testsuite` per rule (`name` the rule id), and in each one `testcase` per checked
//! document (`name` and `file` its path, `classname` `shipshape.RULE`), passing ones
//! included so that dashboards show what was checked. A document with error findings of
//! the rule fails, its `<failure>` listing each as `file:line:col message` with the help on
//! the next line; warnings go to `<system-out>`. Files are named from the git repository
//! root.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::repository_path;
use crate::finding::{Finding, Rule, Severity};

/// The report as an XML document: a suite for each of `rules` (and for any other rule
/// with findings), a testcase for each of `documents` (handbook-relative) and for any
/// other file with a finding of the suite's rule.
pub fn report(findings: &[Finding], documents: &[String], rules: &[Rule], prefix: &str) -> String {
    let suites: Vec<(usize, usize, String)> = Rule::ALL
        .iter()
        .copied()
        .filter(|rule| rules.contains(rule) || findings.iter().any(|f| f.rule == *rule))
        .map(|rule| suite(rule, findings, documents, prefix))
        .collect();
    let (mut tests, mut failures) = (0, 0);
    let mut body = String::new();
    for (suite_tests, suite_failures, text) in &suites {
        tests += suite_tests;
        failures += suite_failures;
        body.push_str(text);
    }
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"shipshape\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">"
    );
    out.push_str(&body);
    out.push_str("</testsuites>\n");
    out
}

/// One rule's suite: its testcase count, its failure count and its XML.
fn suite(
    rule: Rule,
    findings: &[Finding],
    documents: &[String],
    prefix: &str,
) -> (usize, usize, String) {
    // Every checked document, then the files of this rule's findings (a page that could
    // not be read is no checked document, but its finding needs a testcase).
    let mut cases: BTreeMap<&str, Vec<&Finding>> = documents
        .iter()
        .map(|document| (document.as_str(), Vec::new()))
        .collect();
    for finding in findings.iter().filter(|finding| finding.rule == rule) {
        cases
            .entry(finding.file.as_str())
            .or_default()
            .push(finding);
    }
    let classname = attribute(&format!("shipshape.{}", rule.id()));
    let mut failures = 0;
    let mut body = String::new();
    for (file, found) in &cases {
        let path = attribute(&repository_path(prefix, file));
        let _ = write!(
            body,
            "    <testcase classname=\"{classname}\" name=\"{path}\" file=\"{path}\""
        );
        if found.is_empty() {
            body.push_str("/>\n");
            continue;
        }
        body.push_str(">\n");
        let (errors, warnings): (Vec<&Finding>, Vec<&Finding>) = found
            .iter()
            .partition(|finding| finding.severity == Severity::Error);
        if let Some(first) = errors.first() {
            failures += 1;
            let message = match errors.len() {
                1 => first.message.clone(),
                n => format!("{n} errors; the first: {}", first.message),
            };
            let _ = writeln!(
                body,
                "      <failure message=\"{}\" type=\"{}\">{}</failure>",
                attribute(&message),
                attribute(rule.id()),
                text(&listing(&errors, prefix))
            );
        }
        if !warnings.is_empty() {
            let _ = writeln!(
                body,
                "      <system-out>{}</system-out>",
                text(&listing(&warnings, prefix))
            );
        }
        body.push_str("    </testcase>\n");
    }
    let tests = cases.len();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "  <testsuite name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\">",
        attribute(rule.id())
    );
    out.push_str(&body);
    out.push_str("  </testsuite>\n");
    (tests, failures, out)
}

/// Each finding as `file:line:col message`, its help on the next line.
fn listing(findings: &[&Finding], prefix: &str) -> String {
    let mut out = String::new();
    for finding in findings {
        if !out.is_empty() {
            out.push('\n');
        }
        let path = repository_path(prefix, &finding.file);
        let place = match (finding.line, finding.column) {
            (Some(line), Some(column)) => format!("{path}:{line}:{column}"),
            (Some(line), None) => format!("{path}:{line}"),
            _ => path,
        };
        let _ = write!(out, "{place} {}", finding.message);
        if let Some(help) = &finding.help {
            let _ = write!(out, "\n  help: {help}");
        }
    }
    out
}

/// Whether XML 1.0 allows `c` at all; the others are left out.
fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Character data: markup characters as entities, disallowed characters left out.
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars().filter(|c| allowed(*c)) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
    out
}

/// An attribute value: as `text`, and whitespace as character references, which
/// attribute normalisation would otherwise turn into spaces.
fn attribute(value: &str) -> String {
    text(value).replace('\n', "&#10;").replace('\t', "&#9;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_disallowed_characters_are_escaped() {
        assert_eq!(
            text("a<b>&\"'\u{1}\u{FFFE}é"),
            "a&lt;b&gt;&amp;&quot;&apos;é"
        );
        assert_eq!(attribute("a\nb\tc"), "a&#10;b&#9;c");
    }
}
