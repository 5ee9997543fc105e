//! YAML data files (service checklists, standards) read into a tree of values that each
//! know their line and column, so that the model can say exactly where a wrong value is
//! and go on reading the rest of the file.
//!
//! serde-saphyr parses with a budget (events, aliases, nesting depth) so that an alias
//! bomb or a deeply nested value ends as a finding, and files over `MAX_BYTES` are not
//! parsed at all.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use crate::finding::{Finding, Position, Rule};

/// The largest data file read: a checklist is a few kilobytes; anything near this is
/// generated or a mistake, and would only slow every run down.
pub const MAX_BYTES: usize = 1024 * 1024;

/// A YAML value with the position it starts at.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: Value,
    pub at: Position,
}

/// A YAML value. Scalars keep YAML's own types; dates stay strings, as YAML 1.2 has them.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    /// Keys in file order, each with its own position.
    Map(Vec<(Key, Node)>),
}

/// A mapping key (any scalar key, as text) and where it is.
#[derive(Clone, Debug, PartialEq)]
pub struct Key {
    pub name: String,
    pub at: Position,
}

impl Value {
    /// The value's kind in a user's words, for "expects X, found Y".
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "nothing",
            Value::Bool(_) => "true/false",
            Value::Int(_) => "a number",
            Value::Float(_) => "a number",
            Value::Str(_) => "text",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

impl Node {
    /// The value of `key` when this is a mapping that has it.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries
                .iter()
                .find(|(name, _)| name.name == key)
                .map(|(_, value)| value),
            _ => None,
        }
    }

    /// The text of a string, or of a number or boolean written where text is wanted
    /// (`owner: 42`); `None` for null, lists and mappings.
    pub fn as_text(&self) -> Option<String> {
        match &self.value {
            Value::Str(text) => Some(text.clone()),
            Value::Int(number) => Some(number.to_string()),
            Value::Float(number) => Some(number.to_string()),
            Value::Bool(flag) => Some(flag.to_string()),
            Value::Null | Value::Seq(_) | Value::Map(_) => None,
        }
    }
}

fn position(location: &serde_saphyr::Location) -> Position {
    Position {
        line: location.line().max(1) as u32,
        column: location.column().max(1) as u32,
    }
}

/// A value without its position, as serde-saphyr hands it over inside a `Spanned`.
struct Bare(Value);

impl<'de> Deserialize<'de> for Bare {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Bare, D::Error> {
        deserializer.deserialize_any(BareVisitor).map(Bare)
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Node, D::Error> {
        let spanned = Spanned::<Bare>::deserialize(deserializer)?;
        Ok(Node {
            value: spanned.value.0,
            at: position(&spanned.referenced),
        })
    }
}

/// Any scalar key, as text.
struct KeyText(String);

impl<'de> Deserialize<'de> for KeyText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<KeyText, D::Error> {
        match deserializer.deserialize_any(BareVisitor)? {
            Value::Str(text) => Ok(KeyText(text)),
            Value::Int(number) => Ok(KeyText(number.to_string())),
            Value::Float(number) => Ok(KeyText(number.to_string())),
            Value::Bool(flag) => Ok(KeyText(flag.to_string())),
            Value::Null => Ok(KeyText(String::new())),
            Value::Seq(_) | Value::Map(_) => Err(de::Error::custom(
                "a key must be plain text, not a list or a mapping",
            )),
        }
    }
}

struct BareVisitor;

impl<'de> Visitor<'de> for BareVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(BareVisitor)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Node>()? {
            items.push(item);
        }
        Ok(Value::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<KeyText>>()? {
            let value = map.next_value::<Node>()?;
            entries.push((
                Key {
                    name: key.value.0,
                    at: position(&key.referenced),
                },
                value,
            ));
        }
        Ok(Value::Map(entries))
    }
}

/// The parser's limits for data files: far above any real checklist, far below what
/// would make a run hang.
fn options() -> serde_saphyr::Options {
    let mut options = serde_saphyr::Options::default();
    let mut budget = serde_saphyr::Budget::default();
    budget.max_depth = 32;
    budget.max_events = 200_000;
    budget.max_nodes = 100_000;
    budget.max_aliases = 1_000;
    budget.max_anchors = 1_000;
    budget.max_total_scalar_bytes = MAX_BYTES;
    options.budget = Some(budget);
    options.with_snippet = false;
    options
}

/// The finding for a data file of `length` bytes, over `MAX_BYTES`.
pub fn too_large(file: &str, length: u64) -> Finding {
    Finding::new(
        Rule::Syntax,
        file,
        format!(
            "the file is {:.1} MB; data files are read up to {} MB, so it is skipped",
            length as f64 / 1_000_000.0,
            MAX_BYTES / (1024 * 1024)
        ),
    )
    .at(Position { line: 1, column: 1 })
    .help("a checklist or standard is a few kilobytes: split the file or remove what was generated into it")
}

/// Parses a data file; a file too large, YAML that does not parse or that breaks the
/// budget is a `syntax` finding at its position. An empty file is `Null`.
pub fn parse(text: &str, file: &str) -> Result<Node, Box<Finding>> {
    if text.len() > MAX_BYTES {
        return Err(Box::new(too_large(file, text.len() as u64)));
    }
    if text.trim().is_empty() {
        return Ok(Node {
            value: Value::Null,
            at: Position { line: 1, column: 1 },
        });
    }
    serde_saphyr::from_str_with_options::<Node>(text, options()).map_err(|err| {
        let message = err.without_snippet().to_string();
        let message = crate::load::front_matter::strip_position(&message).to_string();
        let budget = message.contains("budget") || message.contains("limit");
        let help = if budget {
            "the file nests too deeply or repeats anchors too often to be a checklist: write the values out plainly"
        } else {
            "fix the YAML at this position: check indentation, quotes and the `key: value` form"
        };
        Box::new(
            Finding::new(Rule::Syntax, file, format!("YAML: {message}"))
                .at_opt(err.location().map(|location| position(&location)))
                .help(help),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_know_their_positions() {
        let node = parse("a: 1\nb:\n  - x\n  - {c: true}\n", "f.yaml").unwrap();
        let Value::Map(entries) = &node.value else {
            panic!("{node:?}")
        };
        assert_eq!(entries[0].0.name, "a");
        assert_eq!(entries[0].1.at, Position { line: 1, column: 4 });
        assert_eq!(entries[1].0.at, Position { line: 2, column: 1 });
        let Value::Seq(items) = &entries[1].1.value else {
            panic!()
        };
        assert_eq!(items[0].at, Position { line: 3, column: 5 });
        assert_eq!(items[0].value, Value::Str("x".into()));
        let Value::Map(inner) = &items[1].value else {
            panic!()
        };
        assert_eq!(inner[0].0.at, Position { line: 4, column: 6 });
        assert_eq!(inner[0].1.value, Value::Bool(true));
    }

    #[test]
    fn dates_stay_text() {
        let node = parse("d: 2026-01-02\n", "f.yaml").unwrap();
        let Value::Map(entries) = node.value else {
            panic!()
        };
        assert_eq!(entries[0].1.value, Value::Str("2026-01-02".into()));
    }
}
