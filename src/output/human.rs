//! The human report: rustc-style findings (file:line:col, the source line, a caret,
//! a help line), then a one-line summary.

use std::collections::HashMap;
use std::path::Path;

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

use super::Notes;
use crate::finding::{Finding, Severity, Tally, Withheld};
use crate::secret::Scanner;

/// Where the report reads the lines it quotes, and how it redacts them.
#[derive(Clone, Copy)]
pub struct Quotes<'a> {
    /// The handbook root as the user gave it.
    pub root: &'a Path,
    /// Redacts each file read as `load` redacted it.
    pub secrets: &'a Scanner,
}

/// Renders `findings` as text, then the summary line, which counts what `withheld`
/// holds. Files are named from the current folder (`docs/content/index.md` for `check
/// docs`), and source lines are read (from `quotes.root`) only for findings that have one.
pub fn report(
    findings: &[Finding],
    withheld: &Withheld,
    notes: &Notes<'_>,
    quotes: Quotes<'_>,
    files: usize,
    color: bool,
) -> String {
    let Quotes { root, secrets } = quotes;
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let cwd = std::env::current_dir().ok();
    let mut sources: HashMap<&str, (String, Option<String>)> = HashMap::new();
    // The one place a file is read after load: what it quotes is redacted the same way.
    let read = |path: &Path| {
        std::fs::read_to_string(path)
            .ok()
            .map(|text| crate::secret::redacted(secrets, &text))
    };
    let mut out = String::new();
    // `--due-within` lists its findings last, grouped by owner: a heading for each.
    let mut owner = None;
    for finding in findings {
        if finding.owner.is_some() && finding.owner != owner {
            owner.clone_from(&finding.owner);
            let group = findings
                .iter()
                .filter(|other| other.owner == finding.owner)
                .count();
            let within = notes
                .due_within
                .map(|days| format!(" within {days}"))
                .unwrap_or_default();
            out.push_str(&format!(
                "due{within} for {} ({group}):\n\n",
                finding.owner.as_deref().unwrap_or_default()
            ));
        }
        let (shown, source) = sources.entry(finding.file.as_str()).or_insert_with(|| {
            let path = root.join(&finding.file);
            let source = finding.line.and_then(|_| read(&path));
            (shown_path(&path, cwd.as_deref()), source)
        });
        if source.is_none() && finding.line.is_some() {
            *source = read(&root.join(&finding.file));
        }
        out.push_str(&renderer.render(&[group(finding, shown, source.as_deref())]));
        out.push_str("\n\n");
    }
    if let Some(movement) = notes.movement {
        out.push_str(&movement.heading());
        out.push_str(":\n");
        match (&movement.problem, movement.moved.is_empty()) {
            (Some(problem), _) => out.push_str(&format!("  not computed: {problem}\n")),
            (None, true) => out.push_str("  no service's level or score moved\n"),
            (None, false) => {
                for line in &movement.moved {
                    out.push_str(&format!("  {line}\n"));
                }
            }
        }
        out.push('\n');
    }
    out.push_str(&summary_line(findings, withheld, files));
    out.push('\n');
    if withheld.fixed > 0 {
        let (count, verb) = match withheld.fixed {
            1 => ("1 baselined finding".to_string(), "is"),
            n => (format!("{n} baselined findings"), "are"),
        };
        let file = withheld.baseline.as_deref().unwrap_or("FILE");
        out.push_str(&format!(
            "shipshape: {count} {verb} fixed: run with --update-baseline {file} to shrink the baseline\n"
        ));
    }
    out
}

/// One finding as the report shows it, without the summary line.
pub fn finding(finding: &Finding, quotes: Quotes<'_>, color: bool) -> String {
    let report = report(
        std::slice::from_ref(finding),
        &Withheld::default(),
        &Notes::default(),
        quotes,
        1,
        color,
    );
    let end = report.rfind("shipshape: ").unwrap_or(report.len());
    report[..end].to_string()
}

/// `path` as the user can open it from `cwd`: relative paths as they are (without
/// `./`), absolute ones relative to `cwd` when inside it.
fn shown_path(path: &Path, cwd: Option<&Path>) -> String {
    let path = crate::load::lexical_normalize(path);
    let path = match cwd {
        Some(cwd) if path.is_absolute() => path
            .strip_prefix(cwd)
            .map_or(path.clone(), Path::to_path_buf),
        _ => path,
    };
    let text = path.to_string_lossy().replace('\\', "/");
    if text.is_empty() { ".".into() } else { text }
}

fn group<'a>(finding: &'a Finding, shown: &'a str, source: Option<&'a str>) -> Group<'a> {
    let level = match finding.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let title = level
        .primary_title(finding.message.as_str())
        .id(finding.rule.id());
    let line_text = finding
        .line
        .zip(source)
        .and_then(|(line, source)| source.lines().nth((line as usize).checked_sub(1)?));
    let mut group = match (finding.line, line_text) {
        (Some(line), Some(text)) => {
            let column = finding.column.unwrap_or(1) as usize;
            let start = text
                .char_indices()
                .nth(column.saturating_sub(1))
                .map_or(text.len(), |(index, _)| index);
            let end = text[start..]
                .char_indices()
                .nth(1)
                .map_or(text.len(), |(index, _)| start + index);
            title.element(
                Snippet::source(text)
                    .line_start(line as usize)
                    .path(shown)
                    .annotation(AnnotationKind::Primary.span(start..end.max(start))),
            )
        }
        (Some(line), None) => title.element(
            Origin::path(shown)
                .line(line as usize)
                .char_column(finding.column.unwrap_or(1) as usize),
        ),
        (None, _) => title.element(Origin::path(shown)),
    };
    if let Some(help) = &finding.help {
        group = group.element(Level::HELP.message(help.as_str()));
    }
    group
}

/// `2 errors, 1 warning in 14 files (link 2, orphan 1); 3 suppressed, 1 baselined`, or
/// that there was nothing to report: `summary` and what `withheld` holds.
pub fn summary_line(findings: &[Finding], withheld: &Withheld, files: usize) -> String {
    let mut line = summary(findings, files);
    let left_out: Vec<String> = [
        (withheld.suppressed.len(), "suppressed"),
        (withheld.baselined.len(), "baselined"),
        (withheld.outside_change.unwrap_or(0), "outside the change"),
    ]
    .into_iter()
    .filter(|(count, _)| *count > 0)
    .map(|(count, what)| format!("{count} {what}"))
    .collect();
    if !left_out.is_empty() {
        line.push_str("; ");
        line.push_str(&left_out.join(", "));
    }
    line
}

/// `2 errors, 1 warning in 14 files (link 2, orphan 1)`, or that there was nothing to
/// report.
pub fn summary(findings: &[Finding], files: usize) -> String {
    let Tally { errors, warnings } = Tally::of(findings);
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    if findings.is_empty() {
        format!("shipshape: no findings in {}", plural(files, "file"))
    } else {
        // Per rule, in the table's order: where to start, and what `--rule` would keep.
        let per_rule: Vec<String> = crate::finding::Rule::ALL
            .iter()
            .filter_map(|rule| {
                let count = findings.iter().filter(|f| f.rule == *rule).count();
                (count > 0).then(|| format!("{} {count}", rule.id()))
            })
            .collect();
        format!(
            "shipshape: {}, {} in {} ({})",
            plural(errors, "error"),
            plural(warnings, "warning"),
            plural(files, "file"),
            per_rule.join(", ")
        )
    }
}
