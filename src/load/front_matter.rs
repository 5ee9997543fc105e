//! YAML front matter: the `---` … `---` block that may open any markdown page.

use serde::Deserialize;

use crate::finding::{Finding, Position, Rule, Severity, did_you_mean};

/// A front matter block as found in the file.
#[derive(Clone, Debug)]
pub struct Block {
    /// The YAML between the fences.
    pub yaml: String,
    /// The file line the YAML starts on (1-based), so YAML positions map to file lines.
    pub first_line: u32,
}

/// A page's text split at its front matter.
pub struct Split<'a> {
    pub block: Option<Block>,
    /// The markdown after the closing fence.
    pub body: &'a str,
    /// How many file lines come before `body`.
    pub body_line: u32,
}

/// The front matter keys every page may set. Other keys are left for the page's kind
/// (ADR, runbook) or for themes, and are not errors.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct PageMeta {
    /// Overrides the page title (otherwise the first H1).
    pub title: Option<String>,
    /// A one-line summary, used as the page's meta description.
    pub description: Option<String>,
    /// Orders pages in a folder-built navigation (lower first; then by file name).
    pub weight: Option<i64>,
    /// Leaves the page out of the site and the navigation unless `--drafts` is given.
    pub draft: bool,
}

/// What kind of page a file is, which decides the front matter keys shipshape reads.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Kind {
    #[default]
    Page,
    /// `NNNN-title.md` in the ADR folder.
    Adr,
    /// A page in the runbooks folder other than its README.
    Runbook,
}

/// Keys every page may set.
const PAGE_KEYS: &[&str] = &["title", "description", "weight", "draft"];
/// Keys of an ADR in shipshape's format and in MADR's.
const ADR_KEYS: &[&str] = &[
    "status",
    "date",
    "deciders",
    "decision-makers",
    "consulted",
    "informed",
    "supersedes",
    "superseded_by",
    "services",
    "tags",
];
const RUNBOOK_KEYS: &[&str] = &[
    "service",
    "owner",
    "alerts",
    "last_reviewed",
    "review_every",
];

impl Kind {
    /// The kind of the page at content-relative `path`.
    pub fn of(path: &str, folders: &crate::config::Shipshape) -> Kind {
        let (dir, file) = path.rsplit_once('/').unwrap_or(("", path));
        let is_adr = file.len() > 5
            && file.as_bytes()[..4].iter().all(u8::is_ascii_digit)
            && file.as_bytes()[4] == b'-';
        let runbooks = folders.runbooks_dir.trim_matches('/');
        if dir == folders.adr_dir.trim_matches('/') && is_adr {
            Kind::Adr
        } else if (dir == runbooks || dir.starts_with(&format!("{runbooks}/")))
            && !crate::model::is_index_file(file)
        {
            Kind::Runbook
        } else {
            Kind::Page
        }
    }

    /// Why a markdown file in the ADR folder that starts with a digit is not an ADR
    /// (`4-title.md`, `00x4-title.md`), or `None` when it is one or does not look like one.
    pub fn not_an_adr(path: &str, folders: &crate::config::Shipshape) -> Option<String> {
        let (dir, file) = path.rsplit_once('/').unwrap_or(("", path));
        if dir != folders.adr_dir.trim_matches('/')
            || !file.starts_with(|c: char| c.is_ascii_digit())
            || Kind::of(path, folders) == Kind::Adr
        {
            return None;
        }
        let digits = file.bytes().take_while(u8::is_ascii_digit).count();
        Some(match file.as_bytes().get(digits) {
            Some(b'-') if digits < 4 => format!(
                "`{file}` is not an ADR: an ADR's number has four digits (`{:0>4}-…`), so it is read as an ordinary page",
                &file[..digits]
            ),
            Some(b'-') => format!(
                "`{file}` is not an ADR: an ADR's number has exactly four digits, so it is read as an ordinary page"
            ),
            _ => format!(
                "`{file}` is not an ADR: ADR files are named `NNNN-title.md` (four digits, then `-`), so it is read as an ordinary page"
            ),
        })
    }

    /// The front matter keys shipshape reads on this kind of page.
    fn keys(self) -> impl Iterator<Item = &'static str> {
        let own: &[&str] = match self {
            Kind::Page => &[],
            Kind::Adr => ADR_KEYS,
            Kind::Runbook => RUNBOOK_KEYS,
        };
        PAGE_KEYS.iter().chain(own).copied()
    }
}

/// Splits `text` into front matter and body. A block that opens but never closes is a
/// finding, and the whole file is then read as markdown.
pub fn split<'a>(text: &'a str, file: &str, findings: &mut Vec<Finding>) -> Split<'a> {
    let text_no_bom = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(rest) = strip_fence(text_no_bom) else {
        return Split {
            block: None,
            body: text_no_bom,
            body_line: 0,
        };
    };
    let mut offset = 0;
    for (line, raw_line) in (2u32..).zip(rest.split_inclusive('\n')) {
        let trimmed = raw_line.trim_end_matches(['\n', '\r']);
        if trimmed == "---" || trimmed == "..." {
            return Split {
                block: Some(Block {
                    yaml: rest[..offset].to_string(),
                    first_line: 2,
                }),
                body: &rest[offset + raw_line.len()..],
                body_line: line,
            };
        }
        offset += raw_line.len();
    }
    findings.push(
        Finding::new(
            Rule::Syntax,
            file,
            "front matter is opened with `---` but never closed",
        )
        .at(Position { line: 1, column: 1 })
        .help("add a line `---` after the last front matter key, or remove the opening `---`"),
    );
    Split {
        block: None,
        body: text_no_bom,
        body_line: 0,
    }
}

fn strip_fence(text: &str) -> Option<&str> {
    text.strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
}

/// Parses the keys every page may set. A block that is not valid YAML is a `syntax`
/// finding; a wrong type is a `schema` finding; both point at the file line and column.
/// A key that is a near miss of one this `kind` of page reads is a `schema` warning;
/// other keys are free for themes.
/// With `front`, the block already read as values, the keys are taken from there, and
/// the block is parsed again only when they do not fit (for the finding's position).
pub fn parse_meta(
    block: &Block,
    front: Option<&Front>,
    kind: Kind,
    file: &str,
    findings: &mut Vec<Finding>,
) -> PageMeta {
    if let Some(front) = front
        && let Ok(meta) =
            serde_json::from_value::<PageMeta>(serde_json::Value::Object(front.values.clone()))
    {
        near_misses(block, kind, file, findings);
        return meta;
    }
    match parse::<PageMeta>(block, file) {
        Ok(meta) => {
            near_misses(block, kind, file, findings);
            meta
        }
        Err(finding) => {
            findings.push(*finding);
            PageMeta::default()
        }
    }
}

/// A warning for each top-level key that looks like a misspelt key of `kind`.
fn near_misses(block: &Block, kind: Kind, file: &str, findings: &mut Vec<Finding>) {
    let candidates: Vec<(u32, &str, &str)> = (block.first_line..)
        .zip(block.yaml.lines())
        .filter_map(|(line, raw)| {
            let key = top_level_key(raw)?;
            if kind.keys().any(|known| known == key) {
                return None;
            }
            Some((line, key, did_you_mean(key, kind.keys())?))
        })
        .collect();
    if candidates.is_empty() {
        return;
    }
    // Rare, so only now: read the block again to keep only real top-level keys, not a
    // `key:` that is a line of a multi-line string.
    let Ok(serde_json::Value::Object(mapping)) =
        serde_saphyr::from_str::<serde_json::Value>(&block.yaml)
    else {
        return;
    };
    for (line, key, suggestion) in candidates {
        if mapping.contains_key(key) {
            findings.push(
                Finding::new(
                    Rule::Schema,
                    file,
                    format!("front matter key `{key}` is not one shipshape reads"),
                )
                .severity(Severity::Warning)
                .at(Position { line, column: 1 })
                .help(format!(
                    "did you mean `{suggestion}`? Keys shipshape does not read are left for themes"
                )),
            );
        }
    }
}

/// A front matter block's top-level values, with where each key's value is in the file:
/// what the model reads ADR, runbook and review keys from, one key at a time, so that a
/// wrong value is a finding at its own line and the other keys are still read.
#[derive(Clone, Debug, Default)]
pub struct Front {
    values: serde_json::Map<String, serde_json::Value>,
    positions: std::collections::HashMap<String, Position>,
    /// The file line the block's YAML starts on.
    pub first_line: u32,
}

impl Front {
    /// Reads a block; `None` when it is not a YAML mapping (`parse_meta` has already
    /// reported why).
    pub fn read(block: &Block) -> Option<Front> {
        let serde_json::Value::Object(values) = serde_saphyr::from_str(&block.yaml).ok()? else {
            return None;
        };
        let mut positions = std::collections::HashMap::new();
        for (line, raw) in (block.first_line..).zip(block.yaml.lines()) {
            if let Some(key) = top_level_key(raw)
                && values.contains_key(key)
                && !positions.contains_key(key)
            {
                // The value's column: after `key:` and the blanks that follow it.
                let colon = raw.find(':').unwrap_or(0);
                let value = raw[colon + 1..].len() - raw[colon + 1..].trim_start().len();
                let column = raw[..colon + 1 + value].chars().count() as u32 + 1;
                positions.insert(key.to_string(), Position { line, column });
            }
        }
        Some(Front {
            values,
            positions,
            first_line: block.first_line,
        })
    }

    /// The value of a top-level key.
    pub fn get(&self, key: &str) -> Option<&serde_json::Value> {
        self.values.get(key)
    }

    /// Where a key's value is (its line, and the column after `key:`); the block's first
    /// line for a key that is not there.
    pub fn position(&self, key: &str) -> Position {
        self.positions.get(key).copied().unwrap_or(Position {
            line: self.first_line.saturating_sub(1).max(1),
            column: 1,
        })
    }

    /// Whether the block sets `key`.
    pub fn has(&self, key: &str) -> bool {
        self.values.contains_key(key)
    }
}

/// The key of a `key: value` line at the top level of a YAML mapping (quotes dropped).
fn top_level_key(line: &str) -> Option<&str> {
    if let Some(quote) = line.chars().next().filter(|c| *c == '"' || *c == '\'')
        && let Some(end) = line[1..].find(quote)
    {
        let rest = line[1 + end + 1..].trim_start_matches([' ', '\t']);
        return rest.starts_with(':').then(|| &line[1..1 + end]);
    }
    let length = line
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(line.len());
    let (key, rest) = line.split_at(length);
    let rest = rest.trim_start_matches([' ', '\t']);
    (!key.is_empty() && rest.starts_with(':')).then_some(key)
}

/// Parses a front matter block into `T`, reporting problems as a finding at the file
/// position. An empty block is an empty mapping.
pub fn parse<T: for<'de> Deserialize<'de> + Default>(
    block: &Block,
    file: &str,
) -> Result<T, Box<Finding>> {
    if block.yaml.trim().is_empty() {
        return Ok(T::default());
    }
    let typed_error = match serde_saphyr::from_str(&block.yaml) {
        Ok(parsed) => return Ok(parsed),
        Err(err) => err,
    };
    // Only a block that failed is read again, to tell bad YAML from a wrong shape.
    let value: serde_json::Value = serde_saphyr::from_str(&block.yaml)
        .map_err(|err| yaml_finding(&err, block, file, Rule::Syntax))?;
    if !value.is_object() {
        return Err(Box::new(
            Finding::new(
                Rule::Schema,
                file,
                "front matter must be a mapping of keys to values",
            )
            .at(Position {
                line: block.first_line,
                column: 1,
            })
            .help("write one `key: value` per line, such as `title: Payments API`"),
        ));
    }
    Err(Box::new(yaml_finding(
        &typed_error,
        block,
        file,
        Rule::Schema,
    )))
}

/// A YAML error as a finding, with the position moved from the block to the file.
pub fn yaml_finding(err: &serde_saphyr::Error, block: &Block, file: &str, rule: Rule) -> Finding {
    let message = err.without_snippet().to_string();
    let message = plain_message(strip_position(&message));
    let location = err
        .location()
        .map(|location| (location.line() as u32, location.column() as u32));
    let position = location.map(|(line, column)| Position {
        line: line + block.first_line - 1,
        column,
    });
    let (key, found) = location
        .and_then(|(line, column)| value_at(block, line, column))
        .unwrap_or_default();
    // A key shipshape reads says its own type; the parser's words can mislead
    // (`weight: [1]` is reported as a string that was expected).
    let expected = known_type(key).or_else(|| expected_type(&message));
    if rule != Rule::Syntax
        && let Some((expected, example)) = expected
    {
        let subject = if key.is_empty() {
            "a value".to_string()
        } else {
            format!("`{key}`")
        };
        let found = if found.is_empty() {
            String::new()
        } else {
            format!(", found {found}")
        };
        return Finding::new(
            rule,
            file,
            format!("front matter: {subject} expects {expected}{found}"),
        )
        .at_opt(position)
        .help(format!("write {example}"));
    }
    let help = match rule {
        Rule::Syntax => {
            "fix the YAML at this position: check indentation, quotes and the `key: value` form"
        }
        _ => "give this key a value of the expected type",
    };
    Finding::new(rule, file, format!("front matter: {message}"))
        .at_opt(position)
        .help(help)
}

/// The type of a key every page may set, in plain words, with an example.
fn known_type(key: &str) -> Option<(&'static str, &'static str)> {
    match key {
        "weight" => Some(("a whole number", "a whole number such as `10`")),
        "draft" => Some(("`true` or `false`", "`true` or `false`")),
        "title" | "description" => expected_type("expected a string"),
        _ => None,
    }
}

/// The type a parser message says it wanted, in plain words, with an example.
fn expected_type(message: &str) -> Option<(&'static str, &'static str)> {
    let integer = [
        "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "usize",
    ]
    .iter()
    .any(|ty| {
        message.contains(&format!("invalid {ty}")) || message.ends_with(&format!("expected {ty}"))
    });
    if integer {
        return Some(("a whole number", "a whole number such as `10`"));
    }
    if message.contains("invalid boolean") || message.ends_with("expected a boolean") {
        return Some(("`true` or `false`", "`true` or `false`"));
    }
    if message.contains("invalid f64") || message.contains("invalid f32") {
        return Some(("a number", "a number such as `1.5`"));
    }
    if message.contains("expected string scalar") || message.ends_with("expected a string") {
        return Some((
            "text",
            "the text on one line, in quotes if it holds `:` or starts with `[`: `title: \"Retries: a guide\"`",
        ));
    }
    None
}

/// The key of the line and the value at `line`, `column` (1-based, in the block), as
/// written there, shortened when long.
fn value_at(block: &Block, line: u32, column: u32) -> Option<(&str, String)> {
    let lines: Vec<&str> = block.yaml.lines().collect();
    let index = line.checked_sub(1)? as usize;
    let text = lines.get(index)?;
    // Inside a nested block the key is the nearest top-level one above.
    if top_level_key(text).is_none() {
        let key = lines[..index]
            .iter()
            .rev()
            .find_map(|line| top_level_key(line))?;
        let trimmed = text.trim();
        let found = if trimmed.starts_with("- ") || trimmed == "-" {
            "a list".to_string()
        } else if top_level_key(trimmed).is_some() {
            "a mapping".to_string()
        } else {
            // The value continues on this line (`weight:` then `  12x`).
            format!("`{}`", shorten(trimmed))
        };
        return Some((key, found));
    }
    let key = top_level_key(text).unwrap_or_default();
    let start = text
        .char_indices()
        .nth(column.saturating_sub(1) as usize)
        .map_or(text.len(), |(index, _)| index);
    let value = text[start..].trim();
    if value.is_empty() {
        return Some((key, String::new()));
    }
    if value.starts_with('[') {
        return Some((key, "a list".to_string()));
    }
    if value.starts_with('{') {
        return Some((key, "a mapping".to_string()));
    }
    Some((key, format!("`{}`", shorten(value))))
}

/// `text` cut to 40 characters, for a message.
fn shorten(text: &str) -> String {
    if text.chars().count() > 40 {
        text.chars().take(40).chain("…".chars()).collect()
    } else {
        text.to_string()
    }
}

/// The parser's message in the words of a handbook author: its hints about parser
/// options mean nothing to them.
fn plain_message(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("duplicate mapping key: ") {
        let key = rest.split(", set ").next().unwrap_or(rest);
        return format!("the key `{key}` appears twice; keep one");
    }
    message.to_string()
}

/// `invalid i64 at line 2, column 9` → `invalid i64`: the position is shown separately.
pub fn strip_position(message: &str) -> &str {
    let Some(index) = message.rfind(" at line ") else {
        return message;
    };
    let tail = &message[index + " at line ".len()..];
    let is_position = tail.split_once(", column ").is_some_and(|(line, column)| {
        !line.is_empty()
            && !column.is_empty()
            && line.chars().all(|c| c.is_ascii_digit())
            && column.chars().all(|c| c.is_ascii_digit())
    });
    if is_position {
        &message[..index]
    } else {
        message
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_counts_lines() {
        let mut findings = Vec::new();
        let split = split("---\ntitle: A\n---\n# Body\n", "a.md", &mut findings);
        assert_eq!(split.block.unwrap().yaml, "title: A\n");
        assert_eq!(split.body, "# Body\n");
        assert_eq!(split.body_line, 3);
        assert!(findings.is_empty());
    }

    #[test]
    fn unclosed_front_matter_is_a_finding() {
        let mut findings = Vec::new();
        let split = split("---\ntitle: A\n# Body\n", "a.md", &mut findings);
        assert!(split.block.is_none());
        assert_eq!(findings[0].rule, Rule::Syntax);
    }

    #[test]
    fn duplicate_keys_are_named_plainly() {
        let block = Block {
            yaml: "title: A\ntitle: B\n".into(),
            first_line: 2,
        };
        let finding = parse::<PageMeta>(&block, "a.md").unwrap_err();
        assert_eq!(
            finding.message,
            "front matter: the key `title` appears twice; keep one"
        );
        assert_eq!(finding.line, Some(3));
    }

    #[test]
    fn only_a_trailing_position_is_stripped() {
        assert_eq!(
            strip_position("invalid i64 at line 2, column 9"),
            "invalid i64"
        );
        let nested = "alias (defined at line 5, column 7) (used";
        assert_eq!(strip_position(nested), nested);
    }

    #[test]
    fn yaml_errors_point_at_the_file_line() {
        let block = Block {
            yaml: "title: A\nweight: heavy\n".into(),
            first_line: 2,
        };
        let finding = parse::<PageMeta>(&block, "a.md").unwrap_err();
        assert_eq!(finding.rule, Rule::Schema);
        assert_eq!(finding.line, Some(3));
    }
}
