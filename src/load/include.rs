//! mdBook's include directives: `{{#include path}}`, `{{#include path:anchor}}` and
//! `{{#include path:A:B}}` (also `:A`, `:A:` and `::B`), expanded before markdown is parsed.
//! `\{{#include …}}` is left as literal text. Includes nest up to `MAX_DEPTH` deep.

use std::path::{Path, PathBuf};

use super::lexical_normalize;
use crate::finding::{Finding, LineIndex, Position, Rule};

/// Deeper nesting is almost always an include cycle.
const MAX_DEPTH: usize = 10;

/// Directives that include a file; `rustdoc_include` and `playground` read like `include`.
const COMMANDS: &[&str] = &["include", "rustdoc_include", "playground"];

/// A page body after expansion.
pub struct Expanded {
    pub text: String,
    pub map: SourceMap,
    /// Every file included, directly or not, relative to the handbook root when inside it.
    pub files: Vec<PathBuf>,
}

/// Maps byte offsets of an expanded body back to positions in the page's own file.
/// Text that came from an include maps to the directive that pulled it in.
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    segments: Vec<Segment>,
}

#[derive(Clone, Debug)]
struct Segment {
    /// Where the segment starts in the expanded text.
    start: usize,
    /// The file position of the segment's first byte.
    position: Position,
    /// Whether the segment is the page's own text (else: included text).
    own: bool,
}

impl SourceMap {
    /// The file position of byte `offset` of the expanded text that `lines` indexes.
    pub fn position(&self, lines: &LineIndex<'_>, offset: usize) -> Position {
        let index = self
            .segments
            .partition_point(|segment| segment.start <= offset)
            .saturating_sub(1);
        let Some(segment) = self.segments.get(index) else {
            return lines.position(offset);
        };
        if !segment.own {
            return segment.position;
        }
        let at = lines.position(offset);
        let start = lines.position(segment.start);
        if at.line == start.line {
            Position {
                line: segment.position.line,
                column: segment.position.column + at.column - start.column,
            }
        } else {
            Position {
                line: segment.position.line + at.line - start.line,
                column: at.column,
            }
        }
    }
}

/// Expands the include directives of `body`, the text of `file` after `body_line` lines
/// of front matter. Problems become findings on `shown` (the file as findings name it).
pub fn expand(
    body: &str,
    body_line: u32,
    file: &Path,
    root: &Path,
    shown: &str,
    findings: &mut Vec<Finding>,
) -> Expanded {
    let mut expanded = Expanded {
        text: String::with_capacity(body.len()),
        map: SourceMap::default(),
        files: Vec::new(),
    };
    let lines = LineIndex::new(body);
    for piece in pieces(body) {
        match piece {
            Piece::Text { offset, text } => {
                expanded.map.segments.push(Segment {
                    start: expanded.text.len(),
                    position: lines.position(offset).shifted(body_line),
                    own: true,
                });
                expanded.text.push_str(text);
            }
            Piece::Include { offset, args } => {
                let position = lines.position(offset).shifted(body_line);
                let mut stack = vec![lexical_normalize(file)];
                match resolve(file, args, root, &mut stack, &mut expanded.files) {
                    Ok(text) => {
                        expanded.map.segments.push(Segment {
                            start: expanded.text.len(),
                            position,
                            own: false,
                        });
                        expanded.text.push_str(&text);
                    }
                    Err(problem) => findings.push(
                        Finding::new(Rule::Include, shown, problem.message)
                            .at(position)
                            .help(problem.help),
                    ),
                }
            }
        }
    }
    expanded.files.sort();
    expanded.files.dedup();
    expanded
}

/// A run of a text: plain text to keep, or an include directive to expand.
#[derive(Debug, PartialEq, Eq)]
enum Piece<'a> {
    /// Text kept as it is; `offset` is where it starts in the text. An escaped
    /// directive (`\{{#include …}}`) is kept without its backslash.
    Text { offset: usize, text: &'a str },
    /// An include directive at `offset`, with its arguments `path[:a[:b]]`.
    Include { offset: usize, args: &'a str },
}

/// Splits `text` into plain runs and include directives, in order.
fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    let mut cursor = 0;
    let mut from = 0;
    fn keep<'a>(pieces: &mut Vec<Piece<'a>>, text: &'a str, start: usize, end: usize) {
        if start < end {
            pieces.push(Piece::Text {
                offset: start,
                text: &text[start..end],
            });
        }
    }
    while let Some(relative) = text[from..].find("{{#") {
        let start = from + relative;
        let Some(length) = text[start..].find("}}") else {
            break;
        };
        let end = start + length + 2;
        let inner = &text[start + 3..end - 2];
        if inner.contains('\n') {
            from = start + 3;
            continue;
        }
        let (command, args) = inner
            .trim()
            .split_once(char::is_whitespace)
            .unwrap_or((inner.trim(), ""));
        if COMMANDS.contains(&command) {
            if start > 0 && text.as_bytes()[start - 1] == b'\\' {
                keep(&mut pieces, text, cursor, start - 1);
                keep(&mut pieces, text, start, end);
            } else {
                keep(&mut pieces, text, cursor, start);
                pieces.push(Piece::Include {
                    offset: start,
                    args: args.trim(),
                });
            }
            cursor = end;
        }
        from = end;
    }
    keep(&mut pieces, text, cursor, text.len());
    pieces
}

struct Problem {
    message: String,
    help: String,
}

/// Reads the text an include's arguments select, expanding nested includes.
fn resolve(
    from: &Path,
    args: &str,
    root: &Path,
    stack: &mut Vec<PathBuf>,
    files: &mut Vec<PathBuf>,
) -> Result<String, Problem> {
    let (path, selector) = match args.split_once(':') {
        Some((path, selector)) => (path.trim(), Some(selector.trim())),
        None => (args, None),
    };
    if path.is_empty() {
        return Err(Problem {
            message: "include without a file".into(),
            help: "write `{{#include path/to/file}}`, relative to this file".into(),
        });
    }
    // As everywhere in a handbook, a leading `/` means the handbook root, not the disk's.
    let target = match path.strip_prefix('/') {
        Some(rooted) => lexical_normalize(&root.join(rooted)),
        None => lexical_normalize(&from.parent().unwrap_or(Path::new(".")).join(path)),
    };
    if stack.len() > MAX_DEPTH || stack.contains(&target) {
        return Err(Problem {
            message: format!("include of `{path}` nests too deep: the files include each other"),
            help: "break the cycle: an included file must not include, directly or not, the file that includes it".into(),
        });
    }
    let text = std::fs::read_to_string(&target).map_err(|err| Problem {
        message: format!("cannot include `{path}`: {}", io_reason(&err)),
        help: format!(
            "the path is relative to this file's folder (or, starting with `/`, to the handbook root); it names {}",
            target.display()
        ),
    })?;
    let root = lexical_normalize(root);
    files.push(
        target
            .strip_prefix(&root)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| target.clone()),
    );
    let selected = select(&text, selector).map_err(|message| Problem {
        message: format!("cannot include `{args}`: {message}"),
        help: "mark the lines in the included file with `ANCHOR: name` and `ANCHOR_END: name` comments, or give line numbers `file:10:20`".into(),
    })?;
    stack.push(target.clone());
    let nested = expand_nested(&selected, &target, &root, stack, files);
    stack.pop();
    nested
}

fn expand_nested(
    text: &str,
    file: &Path,
    root: &Path,
    stack: &mut Vec<PathBuf>,
    files: &mut Vec<PathBuf>,
) -> Result<String, Problem> {
    if !text.contains("{{#") {
        return Ok(text.to_string());
    }
    let mut out = String::with_capacity(text.len());
    for piece in pieces(text) {
        match piece {
            Piece::Text { text, .. } => out.push_str(text),
            Piece::Include { args, .. } => out.push_str(&resolve(file, args, root, stack, files)?),
        }
    }
    Ok(out)
}

fn io_reason(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::InvalidData => "the file is not UTF-8 text".into(),
        std::io::ErrorKind::IsADirectory => "it is a folder, not a file".into(),
        _ => err.to_string(),
    }
}

/// Applies an include's selector: none (the whole file), an anchor name, or a line range.
fn select(text: &str, selector: Option<&str>) -> Result<String, String> {
    let Some(selector) = selector else {
        return Ok(text.to_string());
    };
    let lines: Vec<&str> = text.lines().collect();
    let range = match selector.split_once(':') {
        Some((from, to)) => Some((parse_line(from)?, parse_line(to)?)),
        None if selector.chars().all(|c| c.is_ascii_digit()) && !selector.is_empty() => {
            let line = parse_line(selector)?;
            Some((line, line))
        }
        None => None,
    };
    if let Some((from, to)) = range {
        let from = from.unwrap_or(1).max(1) - 1;
        let to = to.unwrap_or(lines.len()).min(lines.len());
        if from >= to {
            return Ok(String::new());
        }
        return Ok(join_lines(&lines[from..to]));
    }
    anchored(&lines, selector)
}

fn parse_line(text: &str) -> Result<Option<usize>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse()
        .map(Some)
        .map_err(|_| format!("`{text}` is not a line number"))
}

/// The lines between `ANCHOR: name` and `ANCHOR_END: name`, without any anchor lines.
fn anchored(lines: &[&str], name: &str) -> Result<String, String> {
    let Some(start) = lines
        .iter()
        .position(|line| anchor_marker(line) == Some((Marker::Start, name)))
    else {
        return Err(format!("no `ANCHOR: {name}` line in the file"));
    };
    let Some(length) = lines[start + 1..]
        .iter()
        .position(|line| anchor_marker(line) == Some((Marker::End, name)))
    else {
        return Err(format!(
            "`ANCHOR: {name}` is never closed by `ANCHOR_END: {name}`"
        ));
    };
    let body: Vec<&str> = lines[start + 1..start + 1 + length]
        .iter()
        .copied()
        .filter(|line| anchor_marker(line).is_none())
        .collect();
    Ok(join_lines(&body))
}

#[derive(Debug, PartialEq, Eq)]
enum Marker {
    Start,
    End,
}

/// The anchor a line opens or closes, read as mdBook does: `ANCHOR:\s*name` and
/// `ANCHOR_END:\s*name`, anywhere in the line (usually inside a comment).
fn anchor_marker(line: &str) -> Option<(Marker, &str)> {
    let (marker, rest) = match line.find("ANCHOR_END:") {
        Some(index) => (Marker::End, &line[index + "ANCHOR_END:".len()..]),
        None => {
            let index = line.find("ANCHOR:")?;
            (Marker::Start, &line[index + "ANCHOR:".len()..])
        }
    };
    let rest = rest.trim_start();
    let end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(rest.len());
    (end > 0).then(|| (marker, &rest[..end]))
}

fn join_lines(lines: &[&str]) -> String {
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "one\n// ANCHOR: a\ntwo\n// ANCHOR: inner\nthree\n// ANCHOR_END: inner\n// ANCHOR_END: a\nfour\n";

    #[test]
    fn selects_lines_and_anchors_like_mdbook() {
        assert_eq!(select(FILE, Some("1:1")).unwrap(), "one\n");
        assert_eq!(select(FILE, Some("8")).unwrap(), "four\n");
        assert_eq!(select(FILE, Some(":1")).unwrap(), "one\n");
        assert_eq!(select(FILE, Some("8:")).unwrap(), "four\n");
        assert_eq!(select(FILE, Some("a")).unwrap(), "two\nthree\n");
        assert!(select(FILE, Some("missing")).is_err());
        let tight = "x\n#ANCHOR:tight\ny\n#ANCHOR_END:tight\n";
        assert_eq!(select(tight, Some("tight")).unwrap(), "y\n");
    }

    #[test]
    fn escaped_directives_stay_literal() {
        let found = pieces("see \\{{#include x.md}} here {{#include y.md}}");
        let texts: Vec<&str> = found
            .iter()
            .map(|piece| match piece {
                Piece::Text { text, .. } => *text,
                Piece::Include { args, .. } => args,
            })
            .collect();
        assert_eq!(texts, ["see ", "{{#include x.md}}", " here ", "y.md"]);
    }

    #[test]
    fn source_map_points_back_at_own_lines() {
        let mut findings = Vec::new();
        let dir = std::env::temp_dir();
        let body = "a\nb {{#include missing.txt}} c\nd\n";
        let expanded = expand(
            body,
            3,
            &dir.join("page.md"),
            &dir,
            "page.md",
            &mut findings,
        );
        assert_eq!(findings[0].line, Some(5));
        assert_eq!(findings[0].column, Some(3));
        let d = expanded.text.find('d').unwrap();
        assert_eq!(
            expanded.map.position(&LineIndex::new(&expanded.text), d),
            Position { line: 6, column: 1 }
        );
    }
}
