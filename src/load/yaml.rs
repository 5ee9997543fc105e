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
    // The common case, a plain file, straight from the parser's events; anything unusual
    // (an error, an alias, a tag, a limit) goes through serde-saphyr, whose budget and
    // messages then decide.
    if let Some(node) = fast::parse(text) {
        return Ok(node);
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

/// Reads a plain YAML file (one document, no aliases, anchors or tags) from the events of
/// granit-parser, the parser serde-saphyr is built on, into the same `Node` tree that the
/// serde path makes: about twice as fast, because no serde visitor or `Spanned` wrapper
/// sits between the events and the tree. `None` for anything else.
mod fast {
    use granit_parser::{Event, Parser, ScalarStyle, Span};

    use super::{Key, Node, Value};
    use crate::finding::Position;

    /// As deep as the serde path's budget allows.
    const MAX_DEPTH: usize = 32;

    /// A collection being read: its position, and its items so far (a mapping's keys
    /// come in as items too, and are paired at its end).
    struct Open {
        at: Position,
        mapping: bool,
        items: Vec<Node>,
    }

    pub fn parse(text: &str) -> Option<Node> {
        let mut parser = Parser::new_from_str(text);
        let mut stack: Vec<Open> = Vec::new();
        let mut root = None;
        let mut documents = 0;
        while let Some(event) = parser.next_event() {
            let (event, span) = event.ok()?;
            let node = match event {
                Event::StreamStart | Event::DocumentEnd | Event::Comment(..) => continue,
                Event::StreamEnd => break,
                Event::DocumentStart(..) => {
                    documents += 1;
                    if documents > 1 {
                        return None;
                    }
                    continue;
                }
                Event::Scalar(text, style, anchor, tag) => {
                    if anchor != 0 || tag.is_some() {
                        return None;
                    }
                    Node {
                        value: scalar(&text, style)?,
                        at: position(&span),
                    }
                }
                Event::SequenceStart(_, anchor, tag) => {
                    open(&mut stack, anchor, tag.is_some(), &span, false)?;
                    continue;
                }
                Event::MappingStart(_, anchor, tag) => {
                    open(&mut stack, anchor, tag.is_some(), &span, true)?;
                    continue;
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    let open = stack.pop()?;
                    let value = if open.mapping {
                        let mut entries = Vec::with_capacity(open.items.len() / 2);
                        let mut items = open.items.into_iter();
                        while let Some(key) = items.next() {
                            let value = items.next()?;
                            let name = match key.value {
                                Value::Str(text) => text,
                                Value::Int(number) => number.to_string(),
                                Value::Float(number) => number.to_string(),
                                Value::Bool(flag) => flag.to_string(),
                                Value::Null => String::new(),
                                Value::Seq(_) | Value::Map(_) => return None,
                            };
                            entries.push((Key { name, at: key.at }, value));
                        }
                        Value::Map(entries)
                    } else {
                        Value::Seq(open.items)
                    };
                    Node { value, at: open.at }
                }
                _ => return None,
            };
            match stack.last_mut() {
                Some(open) => open.items.push(node),
                None if root.is_none() => root = Some(node),
                None => return None,
            }
        }
        root
    }

    /// Starts a collection; `None` for an anchor, a tag or one nesting too deep.
    fn open(
        stack: &mut Vec<Open>,
        anchor: usize,
        tagged: bool,
        span: &Span,
        mapping: bool,
    ) -> Option<()> {
        if anchor != 0 || tagged || stack.len() >= MAX_DEPTH {
            return None;
        }
        stack.push(Open {
            at: position(span),
            mapping,
            items: Vec::new(),
        });
        Some(())
    }

    fn position(span: &Span) -> Position {
        Position {
            line: span.start.line().max(1) as u32,
            column: span.start.col() as u32 + 1,
        }
    }

    /// A scalar as YAML 1.2's core schema reads it: quoted ones are text; plain ones may
    /// be null, a boolean or a number. Anything the serde path might read otherwise is
    /// left to it (`None`).
    fn scalar(text: &str, style: ScalarStyle) -> Option<Value> {
        if style != ScalarStyle::Plain {
            return Some(Value::Str(text.to_string()));
        }
        Some(match text {
            "" | "~" | "null" | "Null" | "NULL" => Value::Null,
            "true" | "True" | "TRUE" => Value::Bool(true),
            "false" | "False" | "FALSE" => Value::Bool(false),
            // serde-saphyr also reads YAML 1.1's booleans; leave them to it.
            "y" | "Y" | "yes" | "Yes" | "YES" | "n" | "N" | "no" | "No" | "NO" | "on" | "On"
            | "ON" | "off" | "Off" | "OFF" => return None,
            _ => {
                let first = text.as_bytes()[0];
                let numeric = first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.');
                if !numeric {
                    return Some(Value::Str(text.to_string()));
                }
                let unsigned = text.trim_start_matches(['-', '+']);
                // `07` may be YAML 1.1's octal: the serde path's to read.
                if unsigned.len() > 1 && unsigned.starts_with('0') {
                    return None;
                }
                if !unsigned.is_empty() && unsigned.bytes().all(|b| b.is_ascii_digit()) {
                    return text.parse().ok().map(Value::Int);
                }
                // Dates and versions (`2026-01-02`, `1.2.3`) are text; other number forms
                // (floats, `0x1f`, `.inf`) are the serde path's to read.
                let looks_like_number = !unsigned.is_empty()
                    && unsigned.bytes().all(|b| {
                        b.is_ascii_digit()
                            || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+' | b'x' | b'o' | b'_')
                    })
                    && unsigned.bytes().filter(|b| *b == b'.').count() <= 1
                    && !unsigned.contains('-');
                if looks_like_number {
                    return None;
                }
                Value::Str(text.to_string())
            }
        })
    }
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

    /// The fast path gives the very tree the serde path gives, for every data file of the
    /// repository and for the awkward scalars; where it declines, the serde path reads it.
    #[test]
    fn the_fast_path_agrees_with_serde_saphyr() {
        let serde = |text: &str| serde_saphyr::from_str_with_options::<Node>(text, options()).ok();
        let mut texts: Vec<String> = [
            "a: 1\nb: -2\nc: +3\nd: 1.5\ne: 0x1f\nf: .inf\ng: 2026-01-02\nh: 1.2.3\ni: ~\nj: null\nk: True\nl: 'true'\nm: \"7\"\nn: 07\no: 1e3\np: -\nq: 12h\nr: 5d\ns: [1, two, {x: z}]\nt: |\n  block\n  text\nu: >\n  folded\nv: \nw: 1_000\nx: -0\ny: 99999999999999999999\n",
            "- a\n- - b\n  - c\n- {d: [e, f]}\n",
            "key with spaces: value: with colon\n\"quoted key\": 1\n? complex\n: x\n",
            "a: &x 1\nb: *x\n",
            "a: !!str 5\n",
            "---\na: 1\n---\nb: 2\n",
        ]
        .map(String::from)
        .to_vec();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        for dir in ["tests/fixtures", "content", "src/standards"] {
            for entry in walkdir::WalkDir::new(root.join(dir)).into_iter().flatten() {
                let path = entry.path();
                if path
                    .extension()
                    .is_some_and(|ext| ext == "yaml" || ext == "yml")
                    && let Ok(text) = std::fs::read_to_string(path)
                    && text.len() < MAX_BYTES
                {
                    texts.push(text);
                }
            }
        }
        assert!(texts.len() > 20, "{}", texts.len());
        let mut fast_count = 0;
        for text in &texts {
            if let Some(fast) = fast::parse(text) {
                fast_count += 1;
                assert_eq!(Some(&fast), serde(text).as_ref(), "{text}");
            }
        }
        assert!(fast_count > 10, "the fast path reads the ordinary files");
        // Awkward but ordinary: the fast path reads these itself, and agrees.
        for text in [
            "a: 1\nb: -2\nc: +3\ng: 2026-01-02\nh: 1.2.3\ni: ~\nj: null\nk: True\nl: 'true'\nm: \"7\"\nq: 12h\nr: 5d\nx: -0\nv:\n",
            "s: [1, two, {x: z}]\nt: |\n  block\n  text\nu: >\n  folded\n",
            "- a\n- - b\n  - c\n- {d: [e, f]}\n",
            "key with spaces: \"value: with colon\"\n\"quoted key\": 1\n'single': x\n",
            "a:\n  # a comment\n  b: c # trailing\n",
        ] {
            let fast = fast::parse(text);
            assert!(fast.is_some(), "{text}");
            assert_eq!(fast, serde(text), "{text}");
        }
        // What YAML 1.1 reads otherwise, aliases, tags and two documents go the serde way.
        for text in [
            "n: 07\n",
            "yes: no\n",
            "a: &x 1\nb: *x\n",
            "a: !!str 5\n",
            "a: 0x1f\n",
            "---\na: 1\n---\nb: 2\n",
        ] {
            assert_eq!(fast::parse(text), None, "{text}");
        }
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
