//! The junit report: JUnit XML as GitLab and Jenkins read it. One `testsuite` named
//! `shipshape` with one `testcase` per finding (`classname` the rule, `name` file:line):
//! errors carry a `<failure>`, warnings pass with the finding in `<system-out>`. With no
//! findings, one passing `check` testcase. Files are named from the git repository root.

use std::fmt::Write as _;

use super::repository_path;
use crate::finding::{Finding, Severity, Tally};

/// The report as an XML document.
pub fn report(findings: &[Finding], prefix: &str) -> String {
    let Tally { errors, .. } = Tally::of(findings);
    let tests = findings.len().max(1);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"shipshape\" tests=\"{tests}\" failures=\"{errors}\" errors=\"0\">"
    );
    let _ = writeln!(
        out,
        "  <testsuite name=\"shipshape\" tests=\"{tests}\" failures=\"{errors}\" errors=\"0\" skipped=\"0\">"
    );
    if findings.is_empty() {
        out.push_str("    <testcase classname=\"shipshape\" name=\"check\"/>\n");
    }
    for finding in findings {
        let path = repository_path(prefix, &finding.file);
        let place = match (finding.line, finding.column) {
            (Some(line), Some(column)) => format!("{path}:{line}:{column}"),
            (Some(line), None) => format!("{path}:{line}"),
            _ => path.clone(),
        };
        let name = match finding.line {
            Some(line) => format!("{path}:{line}"),
            None => path.clone(),
        };
        let mut body = format!(
            "{}[{}]: {}\n  --> {place}",
            finding.severity,
            finding.rule.id(),
            finding.message
        );
        if let Some(help) = &finding.help {
            let _ = write!(body, "\n  help: {help}");
        }
        let _ = write!(
            out,
            "    <testcase classname=\"{}\" name=\"{}\" file=\"{}\"",
            attribute(finding.rule.id()),
            attribute(&name),
            attribute(&path)
        );
        if let Some(line) = finding.line {
            let _ = write!(out, " line=\"{line}\"");
        }
        out.push_str(">\n");
        match finding.severity {
            Severity::Error => {
                let _ = writeln!(
                    out,
                    "      <failure message=\"{}\" type=\"{}\">{}</failure>",
                    attribute(&finding.message),
                    attribute(finding.rule.id()),
                    text(&body)
                );
            }
            Severity::Warning => {
                let _ = writeln!(out, "      <system-out>{}</system-out>", text(&body));
            }
        }
        out.push_str("    </testcase>\n");
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
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
