//! YAML front matter: the `---` … `---` block that may open any markdown page.

use serde::Deserialize;

use crate::finding::{Finding, Position, Rule};

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
pub fn parse_meta(block: &Block, file: &str, findings: &mut Vec<Finding>) -> PageMeta {
    match parse::<PageMeta>(block, file) {
        Ok(meta) => meta,
        Err(finding) => {
            findings.push(finding);
            PageMeta::default()
        }
    }
}

/// Parses a front matter block into `T`, reporting problems as a finding at the file
/// position. An empty block is an empty mapping.
pub fn parse<T: for<'de> Deserialize<'de> + Default>(
    block: &Block,
    file: &str,
) -> Result<T, Finding> {
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
        return Err(Finding::new(
            Rule::Schema,
            file,
            "front matter must be a mapping of keys to values",
        )
        .at(Position {
            line: block.first_line,
            column: 1,
        })
        .help("write one `key: value` per line, such as `title: Payments API`"));
    }
    Err(yaml_finding(&typed_error, block, file, Rule::Schema))
}

/// A YAML error as a finding, with the position moved from the block to the file.
pub fn yaml_finding(err: &serde_saphyr::Error, block: &Block, file: &str, rule: Rule) -> Finding {
    let message = err.without_snippet().to_string();
    let message = plain_message(strip_position(&message));
    let position = err.location().map(|location| Position {
        line: location.line() as u32 + block.first_line - 1,
        column: location.column() as u32,
    });
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
fn strip_position(message: &str) -> &str {
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
