//! mdBook's include directives: `{{#include path}}`, `{{#include path:anchor}}` and
//! `{{#include path:A:B}}` (also `:A`, `:A:` and `::B`), expanded before markdown is parsed.
//! `\{{#include …}}` is left as literal text. Includes nest up to `MAX_DEPTH` deep.

use std::path::{Path, PathBuf};

use crate::finding::{Finding, Position, Rule};

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
    /// The file position of byte `offset` of `expanded`.
    pub fn position(&self, expanded: &str, offset: usize) -> Position {
        let index = self
            .segments
            .partition_point(|segment| segment.start <= offset)
            .saturating_sub(1);
        let Some(segment) = self.segments.get(index) else {
            return Position::of_offset(expanded, offset);
        };
        if !segment.own {
            return segment.position;
        }
        let within = Position::of_offset(&expanded[segment.start..], offset - segment.start);
        if within.line == 1 {
            Position {
                line: segment.position.line,
                column: segment.position.column + within.column - 1,
            }
        } else {
            within.shifted(segment.position.line - 1)
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
    let start = Position { line: 1, column: 1 }.shifted(body_line);
    if !body.contains("{{#") {
        expanded.text.push_str(body);
        expanded.map.segments.push(Segment {
            start: 0,
            position: start,
            own: true,
        });
        return expanded;
    }
    let mut cursor = 0;
    for directive in directives(body) {
        let own = &body[cursor..directive.range.start];
        push_own(&mut expanded, body, cursor, own, body_line);
        let position = Position::of_offset(body, directive.range.start).shifted(body_line);
        match directive.kind {
            Kind::Escaped(literal) => push_own(
                &mut expanded,
                body,
                directive.range.start,
                literal,
                body_line,
            ),
            Kind::Include(args) => {
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
                    Err(problem) => {
                        findings.push(
                            Finding::new(Rule::Include, shown, problem.message)
                                .at(position)
                                .help(problem.help),
                        );
                    }
                }
            }
        }
        cursor = directive.range.end;
    }
    push_own(&mut expanded, body, cursor, &body[cursor..], body_line);
    expanded.files.sort();
    expanded.files.dedup();
    expanded
}

fn push_own(expanded: &mut Expanded, body: &str, offset: usize, text: &str, body_line: u32) {
    if text.is_empty() {
        return;
    }
    expanded.map.segments.push(Segment {
        start: expanded.text.len(),
        position: Position::of_offset(body, offset).shifted(body_line),
        own: true,
    });
    expanded.text.push_str(text);
}

struct Directive<'a> {
    range: std::ops::Range<usize>,
    kind: Kind<'a>,
}

enum Kind<'a> {
    /// `\{{#…}}`: the text without the backslash.
    Escaped(&'a str),
    /// The arguments of an include: `path[:a[:b]]`.
    Include(&'a str),
}

/// Finds the include directives of `text`, in order.
fn directives(text: &str) -> Vec<Directive<'_>> {
    let mut found = Vec::new();
    let mut from = 0;
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
        if !COMMANDS.contains(&command) {
            from = end;
            continue;
        }
        if start > 0 && text.as_bytes()[start - 1] == b'\\' {
            found.push(Directive {
                range: start - 1..end,
                kind: Kind::Escaped(&text[start..end]),
            });
        } else {
            found.push(Directive {
                range: start..end,
                kind: Kind::Include(args.trim()),
            });
        }
        from = end;
    }
    found
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
    let base = from.parent().unwrap_or(Path::new("."));
    let target = lexical_normalize(&base.join(path));
    if stack.len() > MAX_DEPTH || stack.contains(&target) {
        return Err(Problem {
            message: format!("include of `{path}` nests too deep: the files include each other"),
            help: "break the cycle: an included file must not include, directly or not, the file that includes it".into(),
        });
    }
    let text = std::fs::read_to_string(&target).map_err(|err| Problem {
        message: format!("cannot include `{path}`: {}", io_reason(&err)),
        help: format!(
            "the path is relative to this file's folder; no file at {}",
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
    let mut cursor = 0;
    for directive in directives(text) {
        out.push_str(&text[cursor..directive.range.start]);
        match directive.kind {
            Kind::Escaped(literal) => out.push_str(literal),
            Kind::Include(args) => out.push_str(&resolve(file, args, root, stack, files)?),
        }
        cursor = directive.range.end;
    }
    out.push_str(&text[cursor..]);
    Ok(out)
}

/// `a/b/../c` → `a/c`, without touching the disk (so symlinks are not followed).
fn lexical_normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

fn io_reason(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::InvalidData => "the file is not UTF-8 text".into(),
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
    let start_marker = format!("ANCHOR: {name}");
    let end_marker = format!("ANCHOR_END: {name}");
    let is_marker = |line: &str, marker: &str| {
        line.find(marker).is_some_and(|index| {
            let after = &line[index + marker.len()..];
            !after.starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == '-')
        })
    };
    let Some(start) = lines.iter().position(|line| is_marker(line, &start_marker)) else {
        return Err(format!("no `ANCHOR: {name}` line in the file"));
    };
    let Some(length) = lines[start + 1..]
        .iter()
        .position(|line| is_marker(line, &end_marker))
    else {
        return Err(format!(
            "`ANCHOR: {name}` is never closed by `ANCHOR_END: {name}`"
        ));
    };
    let body: Vec<&str> = lines[start + 1..start + 1 + length]
        .iter()
        .copied()
        .filter(|line| !line.contains("ANCHOR: ") && !line.contains("ANCHOR_END: "))
        .collect();
    Ok(join_lines(&body))
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
    }

    #[test]
    fn escaped_directives_stay_literal() {
        let found = directives("see \\{{#include x.md}} here");
        assert!(matches!(found[0].kind, Kind::Escaped("{{#include x.md}}")));
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
            expanded.map.position(&expanded.text, d),
            Position { line: 6, column: 1 }
        );
    }
}
