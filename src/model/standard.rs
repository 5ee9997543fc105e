//! Readiness standards: the checklist definitions services are scored against. The
//! built-in `production-readiness` standard is embedded; a handbook's standard with the
//! same id replaces it.

use jiff::civil::Date;

use super::fields::{Map, Sink, one_of};
use crate::finding::{Finding, Position};
use crate::load::data::DataFile;
use crate::load::yaml::{self, Node};

/// The id of the built-in standard, which applies when a service names none.
pub const BUILTIN_ID: &str = "production-readiness";

/// How findings name the built-in standard's file.
pub const BUILTIN_FILE: &str = "(built-in) production-readiness.yaml";

const BUILTIN_TEXT: &str = include_str!("../standards/production-readiness.yaml");

/// The built-in standard's tree (it parses: a unit test says so).
pub fn builtin_tree() -> Node {
    yaml::parse(BUILTIN_TEXT, BUILTIN_FILE).unwrap_or(Node {
        value: yaml::Value::Null,
        at: Position { line: 1, column: 1 },
    })
}

/// Maturity levels, lowest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Bronze,
    Silver,
    Gold,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::Bronze, Level::Silver, Level::Gold];

    pub fn name(self) -> &'static str {
        match self {
            Level::Bronze => "bronze",
            Level::Silver => "silver",
            Level::Gold => "gold",
        }
    }
}

/// An automatic rule: computed from the handbook, never from what a service claims.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verify {
    /// Every alert of the service links to an existing runbook page and section.
    AlertRunbooks,
    /// An accepted ADR lists the service.
    AdrExists,
    /// A runbook names the service.
    RunbookExists,
    /// A repository path exists; `{service}` in it is the service id.
    FileExists(String),
}

impl Verify {
    pub fn name(&self) -> &'static str {
        match self {
            Verify::AlertRunbooks => "alert-runbooks",
            Verify::AdrExists => "adr-exists",
            Verify::RunbookExists => "runbook-exists",
            Verify::FileExists(_) => "file-exists",
        }
    }
}

/// The automatic rules' names.
pub const RULES: &[&str] = &[
    "alert-runbooks",
    "adr-exists",
    "runbook-exists",
    "file-exists",
];

/// A standard.
#[derive(Clone, Debug)]
pub struct Standard {
    pub id: String,
    pub title: String,
    /// The file, as findings name it.
    pub file: String,
    pub categories: Vec<Category>,
}

#[derive(Clone, Debug)]
pub struct Category {
    pub id: String,
    pub title: String,
    pub items: Vec<Item>,
}

/// One checklist item.
#[derive(Clone, Debug)]
pub struct Item {
    /// `category.item`, as service files name it.
    pub id: String,
    pub title: String,
    /// The tiers that must meet it (all four when the standard does not say).
    pub tiers: Vec<u8>,
    pub level: Level,
    pub evidence_required: bool,
    /// A page explaining it (shown only when the page exists).
    pub guide: Option<String>,
    pub verify: Option<Verify>,
    /// Before this day a failing required item is an advisory warning.
    pub enforce_from: Option<Date>,
}

impl Standard {
    /// Every item, in order.
    pub fn items(&self) -> impl Iterator<Item = &Item> {
        self.categories
            .iter()
            .flat_map(|category| category.items.iter())
    }

    /// The item with a full id.
    pub fn item(&self, id: &str) -> Option<&Item> {
        self.items().find(|item| item.id == id)
    }
}

/// The built-in standard and the handbook's, a handbook's replacing the built-in one
/// of the same id. Standards in id order.
pub fn read_all(files: &[DataFile], findings: &mut Vec<Finding>) -> Vec<Standard> {
    let mut builtin_findings = Vec::new();
    let mut standards: Vec<Standard> = read(&builtin_tree(), BUILTIN_FILE, &mut builtin_findings)
        .into_iter()
        .collect();
    debug_assert!(builtin_findings.is_empty(), "{builtin_findings:?}");
    let mut seen: Vec<(String, String)> = Vec::new();
    for file in files {
        let Some(standard) = read(&file.tree, &file.file, findings) else {
            continue;
        };
        if let Some((_, first)) = seen.iter().find(|(id, _)| *id == standard.id) {
            findings.push(
                Finding::new(
                    crate::finding::Rule::Schema,
                    &file.file,
                    format!(
                        "standard id `{}` is also the id of {first}; this file is skipped",
                        standard.id
                    ),
                )
                .at(file.tree.get("id").map_or(file.tree.at, |node| node.at))
                .help("give each standard its own `id`"),
            );
            continue;
        }
        seen.push((standard.id.clone(), file.file.clone()));
        standards.retain(|known| known.id != standard.id);
        standards.push(standard);
    }
    standards.sort_by(|a, b| a.id.cmp(&b.id));
    standards
}

const STANDARD_KEYS: &[&str] = &["id", "title", "description", "categories"];
const CATEGORY_KEYS: &[&str] = &["id", "title", "description", "items"];
const ITEM_KEYS: &[&str] = &[
    "id",
    "title",
    "description",
    "tiers",
    "level",
    "evidence",
    "guide",
    "verify",
    "enforce-from",
];

fn read(tree: &Node, file: &str, findings: &mut Vec<Finding>) -> Option<Standard> {
    let mut sink = Sink { file, findings };
    let map = Map::read(tree, "a standard", STANDARD_KEYS, &mut sink)?;
    let Some((id, _)) = map.text("id", "`id: production-readiness`", &mut sink) else {
        sink.schema(
            map.at,
            "the standard has no `id`",
            "add `id: NAME`: services name their standard by it",
        );
        return None;
    };
    let title = map
        .text("title", "`title: Production readiness`", &mut sink)
        .map_or_else(|| id.clone(), |(title, _)| title);
    let mut categories = Vec::new();
    let mut ids: Vec<String> = Vec::new();
    for node in map.list("categories") {
        let Some(category) = Map::read(node, "a category", CATEGORY_KEYS, &mut sink) else {
            continue;
        };
        let Some((category_id, _)) = category.text("id", "`id: reliability`", &mut sink) else {
            sink.schema(category.at, "a category without an `id`", "add `id: NAME`");
            continue;
        };
        let category_title = category
            .text("title", "`title: Reliability`", &mut sink)
            .map_or_else(|| super::humanize(&category_id), |(title, _)| title);
        let mut items = Vec::new();
        for node in category.list("items") {
            let Some(item) = read_item(node, &category_id, &mut sink) else {
                continue;
            };
            if ids.contains(&item.id) {
                sink.schema(
                    node.get("id").map_or(node.at, |id| id.at),
                    format!("item `{}` is defined twice", item.id),
                    "give each item of a category its own `id`",
                );
                continue;
            }
            ids.push(item.id.clone());
            items.push(item);
        }
        categories.push(Category {
            id: category_id,
            title: category_title,
            items,
        });
    }
    Some(Standard {
        id,
        title,
        file: file.to_string(),
        categories,
    })
}

fn read_item(node: &Node, category: &str, sink: &mut Sink<'_>) -> Option<Item> {
    let map = Map::read(node, "an item", ITEM_KEYS, sink)?;
    let Some((id, _)) = map.text("id", "`id: timeouts`", sink) else {
        sink.schema(
            map.at,
            "an item without an `id`",
            "add `id: NAME`; services name it `CATEGORY.NAME`",
        );
        return None;
    };
    let title = map
        .text("title", "`title: Every call has a timeout`", sink)
        .map_or_else(|| super::humanize(&id), |(title, _)| title);
    let tiers = match map.get("tiers") {
        None => vec![1, 2, 3, 4],
        Some(_) => map
            .list("tiers")
            .into_iter()
            .filter_map(|tier| read_tier("tiers", tier, sink))
            .collect(),
    };
    let level = map
        .get("level")
        .and_then(|node| one_of("level", node, &["bronze", "silver", "gold"], sink))
        .map_or(Level::Bronze, |level| match level {
            "silver" => Level::Silver,
            "gold" => Level::Gold,
            _ => Level::Bronze,
        });
    let evidence_required = map
        .get("evidence")
        .and_then(|node| one_of("evidence", node, &["required", "optional"], sink))
        == Some("required");
    let guide = map
        .text("guide", "`guide: guide/reliability.md#timeouts`", sink)
        .map(|(guide, _)| guide);
    let verify = map.get("verify").and_then(|node| read_verify(node, sink));
    let enforce_from = map.date("enforce-from", sink).map(|(date, _)| date);
    Some(Item {
        id: format!("{category}.{id}"),
        title,
        tiers,
        level,
        evidence_required,
        guide,
        verify,
        enforce_from,
    })
}

/// A tier, 1 to 4; anything else is a finding.
pub fn read_tier(key: &str, node: &Node, sink: &mut Sink<'_>) -> Option<u8> {
    match node.value {
        yaml::Value::Int(tier @ 1..=4) => Some(tier as u8),
        _ => {
            sink.schema(
                node.at,
                format!(
                    "`{key}` must be a tier from 1 to 4, found {}",
                    super::fields::shown(node)
                ),
                "tiers run from 1 (most critical) to 4 (experimental)",
            );
            None
        }
    }
}

/// `verify: alert-runbooks` or `verify: {rule: file-exists, path: "…"}`.
fn read_verify(node: &Node, sink: &mut Sink<'_>) -> Option<Verify> {
    let (rule_node, map) = match &node.value {
        yaml::Value::Map(_) => {
            let map = Map::read(node, "`verify`", &["rule", "path"], sink)?;
            let Some(rule) = map.get("rule") else {
                sink.schema(
                    node.at,
                    "`verify` has no `rule`",
                    format!("name one of {}", super::fields::list(RULES)),
                );
                return None;
            };
            (rule, Some(map))
        }
        _ => (node, None),
    };
    let rule = one_of("verify", rule_node, RULES, sink)?;
    Some(match rule {
        "alert-runbooks" => Verify::AlertRunbooks,
        "adr-exists" => Verify::AdrExists,
        "runbook-exists" => Verify::RunbookExists,
        _ => {
            let path = map
                .as_ref()
                .and_then(|map| map.text("path", "`path: \"services/{service}/README.md\"`", sink));
            let Some((path, _)) = path else {
                sink.schema(
                    node.at,
                    "`file-exists` needs a `path`",
                    "write `verify: {rule: file-exists, path: \"services/{service}/README.md\"}`",
                );
                return None;
            };
            Verify::FileExists(path)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_standard_reads_cleanly_with_the_specs_thirty_items() {
        let mut findings = Vec::new();
        let standards = read_all(&[], &mut findings);
        assert!(findings.is_empty(), "{findings:?}");
        assert_eq!(standards.len(), 1);
        let standard = &standards[0];
        assert_eq!(standard.id, BUILTIN_ID);
        assert_eq!(standard.items().count(), 30);
        let timeouts = standard.item("reliability.timeouts").unwrap();
        assert_eq!(timeouts.tiers, [1, 2, 3]);
        assert!(timeouts.evidence_required);
        assert_eq!(
            standard.item("monitoring.alert-runbooks").unwrap().verify,
            Some(Verify::AlertRunbooks)
        );
        assert_eq!(
            standard.item("performance.caching").unwrap().level,
            Level::Gold
        );
    }
}
