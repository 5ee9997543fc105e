//! shipshape's `[policy*]` tables: what `check` requires, and how severe each rule's
//! findings are where (`Policy::apply`).

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{Days, Globs};
use crate::finding::{Finding, Rule, Severity};

/// shipshape's `[policy]` tables: what `check` requires.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct Policy {
    pub warn_before: Days,
    pub secrets: bool,
    pub git: bool,
    pub runbook: RunbookPolicy,
    pub adr: AdrPolicy,
    pub service: ServicePolicy,
    pub link: LinkPolicy,
    /// `[policy.secret]`: what the `secret` rule lets through.
    pub secret: SecretPolicy,
    pub severity: BTreeMap<String, Level>,
    /// `[policy.pages."GLOB"]`: required sections and review ages for pages by path.
    pub pages: PagePolicies,
    /// `[[policy.override]]`: severities for some paths; a later table wins.
    #[serde(rename = "override")]
    pub overrides: Vec<Override>,
}

/// One `[[policy.override]]`: `severity` applies to findings in files `paths` matches.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Override {
    /// Globs relative to the content folder (as `exclude`); files outside it, such as
    /// book.toml, by their path from the handbook root.
    pub paths: Globs,
    #[serde(default)]
    pub severity: BTreeMap<String, Level>,
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            warn_before: Days(14),
            secrets: true,
            git: false,
            runbook: RunbookPolicy::default(),
            adr: AdrPolicy::default(),
            service: ServicePolicy::default(),
            link: LinkPolicy::default(),
            secret: SecretPolicy::default(),
            severity: BTreeMap::new(),
            pages: PagePolicies::default(),
            overrides: Vec::new(),
        }
    }
}

impl Policy {
    /// `finding` with the severity the policy gives its rule in its file, or `None` when
    /// the rule is off there. The last `[[policy.override]]` whose `paths` match and that
    /// names the rule decides, else `[policy.severity]`; a rule named by neither keeps
    /// the severity its finding has. An advisory finding stays a warning unless it is off.
    /// `content` is the content folder's path from the handbook root (`[book] src`).
    pub fn apply(&self, finding: Finding, content: &str) -> Option<Finding> {
        match self.level(finding.rule, &finding.file, content) {
            None => Some(finding),
            Some(Level::Off) => None,
            Some(_) if finding.advisory => Some(finding),
            Some(Level::Error) => Some(finding.severity(Severity::Error)),
            Some(Level::Warning) => Some(finding.severity(Severity::Warning)),
        }
    }

    /// Whether the policy switches `rule` off for `file` (named from the handbook root).
    pub fn is_off(&self, rule: Rule, file: &str, content: &str) -> bool {
        self.level(rule, file, content) == Some(Level::Off)
    }

    /// The level the policy sets for `rule` in `file`, if it sets one.
    fn level(&self, rule: Rule, file: &str, content: &str) -> Option<Level> {
        let id = rule.id();
        let in_content = file
            .strip_prefix(content)
            .and_then(|rest| rest.strip_prefix('/'))
            .filter(|_| !content.is_empty())
            .unwrap_or(file);
        self.overrides
            .iter()
            .rev()
            .filter(|rule| rule.paths.is_match(in_content))
            .find_map(|rule| rule.severity.get(id))
            .or_else(|| self.severity.get(id))
            .copied()
    }
}

/// `[policy.runbook]`.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct RunbookPolicy {
    pub required_sections: Vec<String>,
    pub max_age: Days,
}

impl Default for RunbookPolicy {
    fn default() -> RunbookPolicy {
        RunbookPolicy {
            required_sections: [
                "Symptoms",
                "Impact",
                "Diagnosis",
                "Mitigation",
                "Escalation",
            ]
            .map(String::from)
            .to_vec(),
            max_age: Days(90),
        }
    }
}

/// `[policy.adr]`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct AdrPolicy {
    /// Replaces the per-format defaults (Nygard's and adr-tools' Context, Decision,
    /// Consequences; MADR's own) when set.
    pub required_sections: Option<Vec<String>>,
    /// Statuses a team adds to the five known ones, such as "on hold".
    pub statuses: Vec<String>,
    /// Whether an ADR without a status is a finding (MADR makes status optional).
    pub require_status: bool,
}

/// `[policy.pages]`: one entry per glob, in the order book.toml gives them.
#[derive(Clone, Debug, Default)]
pub struct PagePolicies(pub Vec<PagePolicy>);

/// One `[policy.pages."GLOB"]` table.
#[derive(Clone, Debug)]
pub struct PagePolicy {
    /// The glob as written, relative to the content folder.
    pub pattern: String,
    pub paths: Globs,
    pub required_sections: Vec<String>,
    /// Pages it matches need a `last_reviewed` no older than this.
    pub max_age: Option<Days>,
}

impl PagePolicies {
    /// The policies whose glob matches content-relative `path`.
    pub fn matching<'a>(&'a self, path: &'a str) -> impl Iterator<Item = &'a PagePolicy> + 'a {
        self.0
            .iter()
            .filter(move |policy| policy.paths.is_match(path))
    }
}

impl<'de> Deserialize<'de> for PagePolicies {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<PagePolicies, D::Error> {
        #[derive(Deserialize)]
        #[serde(rename_all = "kebab-case")]
        struct Table {
            #[serde(default)]
            required_sections: Vec<String>,
            #[serde(default)]
            max_age: Option<Days>,
        }
        let tables = BTreeMap::<String, Table>::deserialize(deserializer)?;
        tables
            .into_iter()
            .map(|(pattern, table)| {
                Ok(PagePolicy {
                    paths: Globs::new(vec![pattern.clone()]).map_err(serde::de::Error::custom)?,
                    pattern,
                    required_sections: table.required_sections,
                    max_age: table.max_age,
                })
            })
            .collect::<Result<_, _>>()
            .map(PagePolicies)
    }
}

/// `[policy.service]`.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct ServicePolicy {
    pub max_age: Days,
}

impl Default for ServicePolicy {
    fn default() -> ServicePolicy {
        ServicePolicy { max_age: Days(180) }
    }
}

/// `[policy.link]`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct LinkPolicy {
    /// Prefixes of relative links that leave the content folder on purpose (`../std/`,
    /// a book published beside this one): they are left as written, with no warning.
    pub allow_outside: Vec<String>,
}

/// `[policy.secret]`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct SecretPolicy {
    /// Values that look like credentials but are documented examples: neither reported
    /// nor redacted, matched exactly.
    pub allow: Vec<String>,
}

/// A severity setting in `[policy.severity]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Off,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(toml_text: &str) -> Policy {
        #[derive(Deserialize)]
        struct File {
            policy: Policy,
        }
        let file: File = toml::from_str(toml_text).expect("valid book.toml");
        file.policy
    }

    #[test]
    fn severity_settings_change_main_findings_and_leave_advisory_ones_warnings() {
        let policy = policy(
            "[policy.severity]\norphan = \"error\"\nlink = \"off\"\n\n[[policy.override]]\npaths = [\"legacy/**\"]\nseverity = { orphan = \"warning\", link = \"error\" }\n",
        );
        let level = |finding: Finding| policy.apply(finding, "content").map(|f| f.severity);
        let orphan = |file: &str| Finding::new(Rule::Orphan, file, "m");
        assert_eq!(level(orphan("content/a.md")), Some(Severity::Error));
        assert_eq!(
            level(orphan("content/a.md").advisory()),
            Some(Severity::Warning)
        );
        assert_eq!(
            level(orphan("content/legacy/a.md")),
            Some(Severity::Warning)
        );
        let link = |file: &str| Finding::new(Rule::Link, file, "m");
        assert_eq!(level(link("content/a.md")), None);
        assert_eq!(level(link("content/a.md").advisory()), None);
        assert_eq!(level(link("content/legacy/x/a.md")), Some(Severity::Error));
        // Rules neither table names keep their finding's severity.
        let include =
            Finding::new(Rule::Include, "content/legacy/a.md", "m").severity(Severity::Warning);
        assert_eq!(level(include), Some(Severity::Warning));
    }
}
