//! Typed reading of a positioned YAML tree (`load::yaml::Node`): each wrong key or value
//! is a `schema` finding at its own line and column, and reading goes on with the rest.

use jiff::civil::Date;

use crate::finding::{Finding, Position, Rule, did_you_mean};
use crate::load::yaml::{Key, Node, Value};

/// Where findings go while one file is read.
pub struct Sink<'a> {
    pub file: &'a str,
    pub findings: &'a mut Vec<Finding>,
}

impl Sink<'_> {
    /// A `schema` finding at `at`.
    pub fn schema(&mut self, at: Position, message: impl Into<String>, help: impl Into<String>) {
        self.findings.push(
            Finding::new(Rule::Schema, self.file, message)
                .at(at)
                .help(help),
        );
    }

    /// "`key` expects X, found Y".
    pub fn wrong_type(&mut self, key: &str, node: &Node, expected: &str, example: &str) {
        self.schema(
            node.at,
            format!("`{key}` expects {expected}, found {}", node.value.kind()),
            format!("write {example}"),
        );
    }
}

/// A mapping's entries, with the unknown keys already reported.
pub struct Map<'a> {
    pub entries: &'a [(Key, Node)],
    pub at: Position,
}

impl<'a> Map<'a> {
    /// Reads `node` as a mapping of `what` with the keys `known`; each other key is a
    /// finding with "did you mean". `None` (and a finding) when it is not a mapping.
    pub fn read(
        node: &'a Node,
        what: &str,
        known: &[&str],
        sink: &mut Sink<'_>,
    ) -> Option<Map<'a>> {
        let Value::Map(entries) = &node.value else {
            sink.schema(
                node.at,
                format!(
                    "{what} must be a mapping of keys to values, found {}",
                    node.value.kind()
                ),
                format!(
                    "write one `key: value` per line; {what} takes {}",
                    list(known)
                ),
            );
            return None;
        };
        for (key, _) in entries {
            if !known.contains(&key.name.as_str()) {
                let help = match did_you_mean(&key.name, known.iter().copied()) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => format!("{what} takes {}", list(known)),
                };
                sink.schema(
                    key.at,
                    format!("unknown key `{}` in {what}", key.name),
                    help,
                );
            }
        }
        Some(Map {
            entries,
            at: node.at,
        })
    }

    /// The value of `key`, when given (a `null` counts as not given).
    pub fn get(&self, key: &str) -> Option<&'a Node> {
        self.entries
            .iter()
            .find(|(name, _)| name.name == key)
            .map(|(_, value)| value)
            .filter(|value| value.value != Value::Null)
    }

    /// Where `key` itself is written.
    pub fn key_at(&self, key: &str) -> Option<Position> {
        self.entries
            .iter()
            .find(|(name, _)| name.name == key)
            .map(|(name, _)| name.at)
    }

    /// A text value (a number or `true` is taken as its text).
    pub fn text(
        &self,
        key: &str,
        example: &str,
        sink: &mut Sink<'_>,
    ) -> Option<(String, Position)> {
        let node = self.get(key)?;
        match node.as_text() {
            Some(text) => Some((text, node.at)),
            None => {
                sink.wrong_type(key, node, "text", example);
                None
            }
        }
    }

    /// A `YYYY-MM-DD` date.
    pub fn date(&self, key: &str, sink: &mut Sink<'_>) -> Option<(Date, Position)> {
        let node = self.get(key)?;
        let parsed = node.as_text().and_then(|text| text.parse::<Date>().ok());
        if parsed.is_none() {
            sink.schema(
                node.at,
                format!("`{key}` expects a date, found {}", shown(node)),
                "write the date as YYYY-MM-DD, such as `2026-10-01`",
            );
        }
        parsed.map(|date| (date, node.at))
    }

    /// A text or a list of texts, each with its position.
    pub fn texts(&self, key: &str, example: &str, sink: &mut Sink<'_>) -> Vec<(String, Position)> {
        let Some(node) = self.get(key) else {
            return Vec::new();
        };
        let items: Vec<&Node> = match &node.value {
            Value::Seq(items) => items.iter().collect(),
            _ => vec![node],
        };
        items
            .into_iter()
            .filter_map(|item| match item.as_text() {
                Some(text) => Some((text, item.at)),
                None => {
                    sink.wrong_type(key, item, "text or a list of texts", example);
                    None
                }
            })
            .collect()
    }

    /// A list (one value alone is taken as a list of one).
    pub fn list(&self, key: &str) -> Vec<&'a Node> {
        match self.get(key) {
            None => Vec::new(),
            Some(Node {
                value: Value::Seq(items),
                ..
            }) => items.iter().collect(),
            Some(node) => vec![node],
        }
    }
}

/// A value as a finding quotes it: text in backticks, else its kind.
pub fn shown(node: &Node) -> String {
    match &node.value {
        Value::Str(text) => format!("`{}`", text.chars().take(60).collect::<String>()),
        Value::Int(number) => format!("`{number}`"),
        Value::Float(number) => format!("`{number}`"),
        Value::Bool(flag) => format!("`{flag}`"),
        other => other.kind().to_string(),
    }
}

/// `a`, `b` and `c`.
pub fn list(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|name| format!("`{name}`")).collect();
    match quoted.split_last() {
        None => "no keys".into(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// A value that must be one of `allowed`: the value, or a finding with "did you mean".
pub fn one_of<'v>(
    key: &str,
    node: &Node,
    allowed: &[&'v str],
    sink: &mut Sink<'_>,
) -> Option<&'v str> {
    let text = node.as_text();
    if let Some(found) = allowed
        .iter()
        .find(|allowed| Some(**allowed) == text.as_deref())
    {
        return Some(found);
    }
    let help = match text
        .as_deref()
        .and_then(|text| did_you_mean(text, allowed.iter().copied()))
    {
        Some(near) => format!("did you mean `{near}`? `{key}` is one of {}", list(allowed)),
        None => format!("`{key}` is one of {}", list(allowed)),
    };
    sink.schema(
        node.at,
        format!("`{key}` has an unknown value {}", shown(node)),
        help,
    );
    None
}
