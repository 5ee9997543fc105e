//! `section-missing`: the sections a page must have, by kind (`[policy.adr]`,
//! `[policy.runbook]`) and by path (`[policy.pages."GLOB"] required-sections`).
//!
//! A requirement matches a heading of level 2 or deeper case-insensitively; `A|B` takes
//! either; a trailing `*` takes any text after it. A section whose headings are all
//! empty counts as missing. Order is not enforced.

use crate::config::Config;
use crate::finding::{Finding, Position, Rule};
use crate::load::front_matter::Kind;
use crate::model::markdown::Heading;
use crate::model::{Handbook, Outline};

/// A finding for each required section a page lacks or leaves empty.
pub fn check(config: &Config, handbook: &Handbook) -> Vec<Finding> {
    let mut findings = Vec::new();
    let adrs = handbook
        .adrs
        .iter()
        .map(|adr| (adr.page, adr.format))
        .collect::<std::collections::HashMap<_, _>>();
    for (id, page) in handbook.iter() {
        let Some(markdown) = page.markdown() else {
            continue;
        };
        let mut required: Vec<(&str, &str)> = Vec::new();
        match markdown.document.kind {
            Kind::Adr => match (&config.policy.adr.required_sections, adrs.get(&id)) {
                (Some(sections), _) => {
                    required.extend(sections.iter().map(|s| (s.as_str(), "[policy.adr]")))
                }
                (None, Some(format)) => required.extend(
                    format
                        .required_sections()
                        .iter()
                        .map(|s| (*s, format.name())),
                ),
                (None, None) => {}
            },
            Kind::Runbook => required.extend(
                config
                    .policy
                    .runbook
                    .required_sections
                    .iter()
                    .map(|s| (s.as_str(), "[policy.runbook]")),
            ),
            Kind::Page => {}
        }
        for policy in config.policy.pages.matching(&markdown.document.path) {
            required.extend(
                policy
                    .required_sections
                    .iter()
                    .map(|s| (s.as_str(), policy.pattern.as_str())),
            );
        }
        if required.is_empty() {
            continue;
        }
        let shown = handbook.display_path(&markdown.document.path);
        // Each heading's text in lowercase, once per page.
        let headings: Vec<(String, &Heading)> = markdown
            .outline
            .headings
            .iter()
            .filter(|heading| heading.level >= 2)
            .map(|heading| (heading.text.trim().to_lowercase(), heading))
            .collect();
        let mut seen = Vec::new();
        for (requirement, from) in required {
            if seen.contains(&requirement) {
                continue;
            }
            seen.push(requirement);
            if let Some(finding) = judge(&markdown.outline, &headings, requirement, from, &shown) {
                findings.push(finding);
            }
        }
    }
    findings
}

/// What is wrong with `page`'s section `requirement`, if anything.
fn judge(
    outline: &Outline,
    headings: &[(String, &Heading)],
    requirement: &str,
    from: &str,
    shown: &str,
) -> Option<Finding> {
    let alternatives = alternatives(requirement);
    let matching: Vec<&Heading> = headings
        .iter()
        .filter(|(text, _)| {
            alternatives
                .iter()
                .any(|alternative| alternative.matches(text))
        })
        .map(|(_, heading)| *heading)
        .collect();
    let name = display_name(requirement);
    let why = match from {
        "[policy.adr]" => "`[policy.adr] required-sections` in book.toml asks for it".to_string(),
        "[policy.runbook]" => {
            "every runbook needs it (`[policy.runbook] required-sections`)".to_string()
        }
        "Nygard" | "adr-tools" | "MADR" => format!("an ADR in the {from} format needs it"),
        glob => format!("`[policy.pages.\"{glob}\"]` in book.toml asks for it"),
    };
    if matching.is_empty() {
        return Some(
            Finding::new(Rule::SectionMissing, shown, format!("no `{name}` section: {why}"))
                .key(requirement)
                .at(title_position(outline))
                .help(format!(
                    "add a heading `## {}` with at least one line under it (any level from `##` down counts)",
                    first_alternative(requirement)
                )),
        );
    }
    if matching.iter().any(|heading| heading.has_content) {
        return None;
    }
    Some(
        Finding::new(
            Rule::SectionMissing,
            shown,
            format!("the `{name}` section has no content: {why}"),
        )
        .key(requirement)
        .at(matching[0].position)
        .help("write at least one line under the heading; an HTML comment does not count"),
    )
}

/// One alternative of a requirement, in lowercase: a whole name, or a prefix (`Name*`).
enum Alternative {
    Exactly(String),
    StartsWith(String),
}

impl Alternative {
    /// Whether a heading's lowercase text satisfies it.
    fn matches(&self, text: &str) -> bool {
        match self {
            Alternative::Exactly(name) => text == name,
            Alternative::StartsWith(prefix) => text.starts_with(prefix.as_str()),
        }
    }
}

/// `Mitigation|Remediation*` as its alternatives.
fn alternatives(requirement: &str) -> Vec<Alternative> {
    requirement
        .split('|')
        .map(|alternative| {
            let alternative = alternative.trim().to_lowercase();
            match alternative.strip_suffix('*') {
                Some(prefix) => Alternative::StartsWith(prefix.trim_end().to_string()),
                None => Alternative::Exactly(alternative),
            }
        })
        .collect()
}

/// Whether heading `text` satisfies `requirement`.
#[cfg(test)]
fn matches(requirement: &str, text: &str) -> bool {
    let text = text.trim().to_lowercase();
    alternatives(requirement)
        .iter()
        .any(|alternative| alternative.matches(&text))
}

/// `Mitigation|Remediation` → `Mitigation` or `Remediation`.
fn display_name(requirement: &str) -> String {
    requirement
        .split('|')
        .map(|alternative| alternative.trim().trim_end_matches('*').trim_end())
        .collect::<Vec<_>>()
        .join("` or `")
}

fn first_alternative(requirement: &str) -> &str {
    requirement
        .split('|')
        .next()
        .unwrap_or(requirement)
        .trim()
        .trim_end_matches('*')
        .trim_end()
}

/// The page's H1, else line 1.
fn title_position(outline: &Outline) -> Position {
    outline
        .headings
        .iter()
        .find(|heading| heading.level == 1)
        .map_or(Position { line: 1, column: 1 }, |heading| heading.position)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requirements_match_case_insensitively_with_alternatives_and_prefixes() {
        assert!(matches("Mitigation", "mitigation"));
        assert!(matches("Mitigation|Remediation", "Remediation"));
        assert!(matches("Consequences*", "Consequences and risks"));
        assert!(!matches("Consequences", "Consequences and risks"));
        assert!(!matches("Impact", "Impacted users"));
        assert_eq!(
            display_name("Mitigation|Remediation"),
            "Mitigation` or `Remediation"
        );
    }
}
