//! The github report: GitHub Actions workflow commands, one line per finding,
//! `::error file=…,line=…,col=…,title=RULE::MESSAGE`, errors first (GitHub shows only the
//! first ten of each kind per step). Files are named from the git repository root, as
//! GitHub attaches annotations only to repository paths. `summary` is the Markdown job
//! summary for `$GITHUB_STEP_SUMMARY`.

use std::fmt::Write as _;

use super::Notes;
use super::repository_path;
use crate::finding::{Finding, Rule, Severity};

/// The workflow commands, errors first, each group in report order.
pub fn report(findings: &[Finding], prefix: &str) -> String {
    let mut out = String::new();
    for severity in [Severity::Error, Severity::Warning] {
        for finding in findings
            .iter()
            .filter(|finding| finding.severity == severity)
        {
            let mut properties =
                format!("file={}", property(&repository_path(prefix, &finding.file)));
            if let Some(line) = finding.line {
                let _ = write!(properties, ",line={line}");
            }
            if let (Some(_), Some(column)) = (finding.line, finding.column) {
                let _ = write!(properties, ",col={column}");
            }
            let _ = writeln!(
                out,
                "::{severity} {properties},title={}::{}",
                property(finding.rule.id()),
                data(&finding.message)
            );
        }
    }
    out
}

/// The Markdown job summary: the counts, how readiness moved (`--changed-since`), then
/// every finding grouped by rule, those due within `--due-within` grouped by owner.
pub fn summary(findings: &[Finding], notes: &Notes<'_>, files: usize, prefix: &str) -> String {
    let mut out = String::from("## shipshape check\n\n");
    out.push_str(super::human::summary(findings, files).trim_start_matches("shipshape: "));
    if let Some(outside) = notes.outside_change {
        let _ = write!(out, "; {outside} outside the change");
    }
    out.push_str("\n\n");
    if let Some(movement) = notes.movement {
        let _ = writeln!(out, "### {}\n", markdown(&capitalized(&movement.heading())));
        match (&movement.problem, movement.moved.is_empty()) {
            (Some(problem), _) => {
                let _ = writeln!(out, "Not computed: {}", markdown(problem));
            }
            (None, true) => out.push_str("No service's level or score moved.\n"),
            (None, false) => {
                for line in &movement.moved {
                    let _ = writeln!(out, "- {}", markdown(line));
                }
            }
        }
        out.push('\n');
    }
    for rule in Rule::ALL {
        let of_rule: Vec<&Finding> = findings
            .iter()
            .filter(|finding| finding.rule == *rule && finding.owner.is_none())
            .collect();
        if of_rule.is_empty() {
            continue;
        }
        let _ = writeln!(out, "### `{}` ({})\n", rule.id(), of_rule.len());
        out.push_str("| Severity | File | Line | Message |\n| --- | --- | --- | --- |\n");
        for finding in of_rule {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                finding.severity,
                markdown(&repository_path(prefix, &finding.file)),
                finding
                    .line
                    .map(|line| line.to_string())
                    .unwrap_or_default(),
                markdown(&finding.message)
            );
        }
        out.push('\n');
    }
    let within = notes
        .due_within
        .map(|days| format!(" within {days}"))
        .unwrap_or_default();
    for (owner, group) in super::due_groups(findings) {
        let _ = writeln!(
            out,
            "### Due{within} for {} ({})\n",
            markdown(owner),
            group.len()
        );
        out.push_str("| Rule | File | Line | Message |\n| --- | --- | --- | --- |\n");
        for finding in group {
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | {} |",
                finding.rule.id(),
                markdown(&repository_path(prefix, &finding.file)),
                finding
                    .line
                    .map(|line| line.to_string())
                    .unwrap_or_default(),
                markdown(&finding.message)
            );
        }
        out.push('\n');
    }
    out
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// A command's message, escaped as GitHub's toolkit does.
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A command's property value, escaped as GitHub's toolkit does.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

/// Text for a Markdown table cell: what Markdown or HTML would read is backslash-escaped,
/// line breaks are `<br>`.
fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\r' => {}
            '\n' => out.push_str("<br>"),
            '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '(' | ')' | '<' | '>' | '#' | '+'
            | '!' | '|' | '~' | '&' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_actions_toolkit() {
        assert_eq!(data("a%b\r\nc::d,e"), "a%25b%0D%0Ac::d,e");
        assert_eq!(property("a%b\nc::d,e"), "a%25b%0Ac%3A%3Ad%2Ce");
        assert_eq!(markdown("a|b <i>\n`c`"), "a\\|b \\<i\\><br>\\`c\\`");
    }
}
