//! mdBook's directives, expanded before markdown is parsed: `{{#include path}}`,
//! `{{#include path:anchor}}` and `{{#include path:A:B}}` (also `:A`, `:A:` and `::B`);
//! `{{#rustdoc_include …}}` (the whole file, lines outside the selection hidden with `# `);
//! `{{#playground path attrs}}` (the file as a `rust` code block); `{{#title …}}` (the
//! page's title). `\{{#include …}}` is left as literal text. Includes nest up to
//! `MAX_DEPTH` deep.

use std::ops::Range;
use std::path::{Path, PathBuf};

use super::{Boundary, lexical_normalize};
use crate::finding::{Finding, LineIndex, Position, Rule, Severity};

mod select;

use select::{rustdoc_select, select, unclosed_anchor};

/// Deeper nesting is almost always an include cycle.
const MAX_DEPTH: usize = 10;

/// What a directive does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Command {
    Include,
    RustdocInclude,
    /// `playground`, and its old name `playpen`.
    Playground,
    Title,
}

impl Command {
    fn named(name: &str) -> Option<Command> {
        match name {
            "include" => Some(Command::Include),
            "rustdoc_include" => Some(Command::RustdocInclude),
            "playground" | "playpen" => Some(Command::Playground),
            "title" => Some(Command::Title),
            _ => None,
        }
    }
}

/// A page body after expansion.
pub struct Expanded {
    pub text: String,
    pub map: SourceMap,
    /// Every file included, directly or not, relative to the handbook root when inside it.
    pub files: Vec<PathBuf>,
    /// The title a `{{#title …}}` directive gives the page.
    pub title: Option<String>,
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
    /// Everything the map says, hashed: two bodies with equal text and equal maps read
    /// to the same outline.
    pub fn hash_into(&self, hasher: &mut crate::cache::Hasher) {
        hasher.number(self.segments.len() as u128);
        for segment in &self.segments {
            hasher
                .number(segment.start as u128)
                .number(position_bits(segment.position))
                .number(u128::from(segment.own));
        }
    }

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
        within_segment(lines, offset, segment.start, segment.position)
    }
}

/// A position as one number, for hashing.
pub fn position_bits(position: Position) -> u128 {
    u128::from(position.line) << 64 | u128::from(position.column)
}

/// The file position of byte `offset` of a text that `lines` indexes, inside a run that
/// starts at byte `start` and at file position `position` and keeps the file's lines.
pub fn within_segment(
    lines: &LineIndex<'_>,
    offset: usize,
    start: usize,
    position: Position,
) -> Position {
    let at = lines.position(offset);
    let from = lines.position(start);
    if at.line == from.line {
        Position {
            line: position.line,
            column: position.column + at.column - from.column,
        }
    } else {
        Position {
            line: position.line + at.line - from.line,
            column: at.column,
        }
    }
}

/// What expansion needs besides the page: where `/` paths start, and what may be read.
pub struct Context<'a> {
    /// The handbook root, where a leading `/` starts.
    pub root: &'a Path,
    pub boundary: &'a Boundary,
}

/// Expands the include directives of `body`, the text of `file` after `body_line` lines
/// of front matter. Problems become findings on `shown` (the file as findings name it);
/// a directive that cannot be expanded stays in the text as written, as in mdBook.
pub fn expand(
    body: &str,
    body_line: u32,
    file: &Path,
    context: &Context<'_>,
    shown: &str,
    findings: &mut Vec<Finding>,
) -> Expanded {
    let mut expanded = Expanded {
        text: String::with_capacity(body.len()),
        map: SourceMap::default(),
        files: Vec::new(),
        title: None,
    };
    let lines = LineIndex::new(body);
    let mut code: Option<Vec<Range<usize>>> = None;
    for piece in pieces(body) {
        let (offset, text) = match piece {
            Piece::Text { offset, text } => (offset, text),
            Piece::Include {
                command: Command::Title,
                args,
                ..
            } => {
                expanded.title = Some(args.to_string());
                continue;
            }
            Piece::Include {
                offset,
                end,
                command,
                args,
            } => {
                let position = lines.position(offset).shifted(body_line);
                let mut stack =
                    vec![std::fs::canonicalize(file).unwrap_or_else(|_| lexical_normalize(file))];
                let mut notes = Vec::new();
                let resolved = resolve(
                    file,
                    command,
                    args,
                    context,
                    &mut stack,
                    &mut expanded.files,
                    &mut notes,
                );
                for note in notes {
                    findings.push(
                        Finding::new(Rule::Include, shown, note.message)
                            .key(args.trim())
                            .at(position)
                            .help(note.help)
                            .severity(Severity::Warning),
                    );
                }
                match resolved {
                    Ok(text) => {
                        expanded.map.segments.push(Segment {
                            start: expanded.text.len(),
                            position,
                            own: false,
                        });
                        expanded.text.push_str(&text);
                        continue;
                    }
                    Err(problem) => {
                        // In a code sample the directive is often shown, not meant.
                        let code = code.get_or_insert_with(|| code_ranges(body));
                        let in_code = code.iter().any(|range| range.contains(&offset));
                        findings.push(
                            Finding::new(Rule::Include, shown, problem.message)
                                .key(args.trim())
                                .at(position)
                                .help(problem.help)
                                .severity(if in_code {
                                    Severity::Warning
                                } else {
                                    Severity::Error
                                }),
                        );
                        (offset, &body[offset..end])
                    }
                }
            }
        };
        expanded.map.segments.push(Segment {
            start: expanded.text.len(),
            position: lines.position(offset).shifted(body_line),
            own: true,
        });
        expanded.text.push_str(text);
    }
    expanded.files.sort();
    expanded.files.dedup();
    expanded
}

/// The byte ranges of code blocks and code spans in `markdown`.
fn code_ranges(markdown: &str) -> Vec<Range<usize>> {
    use pulldown_cmark::{Event, Parser, Tag};
    Parser::new_ext(markdown, crate::model::markdown::options(false))
        .into_offset_iter()
        .filter(|(event, _)| matches!(event, Event::Start(Tag::CodeBlock(_)) | Event::Code(_)))
        .map(|(_, range)| range)
        .collect()
}

/// A run of a text: plain text to keep, or an include directive to expand.
#[derive(Debug, PartialEq, Eq)]
enum Piece<'a> {
    /// Text kept as it is; `offset` is where it starts in the text. An escaped
    /// directive (`\{{#include …}}`) is kept without its backslash.
    Text { offset: usize, text: &'a str },
    /// A directive from `offset` to `end`, with its arguments (`path[:a[:b]] [props]`,
    /// or a title).
    Include {
        offset: usize,
        end: usize,
        command: Command,
        args: &'a str,
    },
}

/// A directive as mdBook reads one: `{{`, optional space, `#`, a name of letters, digits
/// and `_`, space, then arguments up to the first `}`, which must start `}}`.
/// Anything else, `{{#include}}` without a path among them, is plain text.
fn directive(text: &str, start: usize) -> Option<(&str, &str, usize)> {
    let after = &text[start + 2..];
    let hash = start + 2 + (after.len() - after.trim_start().len());
    let rest = text[hash..].strip_prefix('#')?;
    let name_length = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    let (name, rest) = rest.split_at(name_length);
    if name.is_empty() || !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let close = rest.find('}')?;
    if !rest[close..].starts_with("}}") || rest[..close].trim().is_empty() {
        return None;
    }
    let end = hash + 1 + name_length + close + 2;
    Some((name, rest[..close].trim(), end))
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
    while let Some(relative) = text[from..].find("{{") {
        let start = from + relative;
        // mdBook's escape: `\{{#` up to the last `}}` on its line stays as written.
        if start > 0 && text.as_bytes()[start - 1] == b'\\' && text[start..].starts_with("{{#") {
            let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
            if let Some(last) = text[start + 3..line_end].rfind("}}") {
                let end = start + 3 + last + 2;
                keep(&mut pieces, text, cursor, start - 1);
                keep(&mut pieces, text, start, end);
                cursor = end;
                from = end;
                continue;
            }
        }
        let Some((name, args, end)) = directive(text, start) else {
            // `{{{#include x}}}` holds a directive one brace on.
            from = start + 1;
            continue;
        };
        if let Some(command) = Command::named(name) {
            keep(&mut pieces, text, cursor, start);
            pieces.push(Piece::Include {
                offset: start,
                end,
                command,
                args,
            });
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

/// Reads the text a directive's arguments select, expanding nested directives. `notes`
/// collects what deserves a warning but still expands (an anchor never closed).
fn resolve(
    from: &Path,
    command: Command,
    args: &str,
    context: &Context<'_>,
    stack: &mut Vec<PathBuf>,
    files: &mut Vec<PathBuf>,
    notes: &mut Vec<Problem>,
) -> Result<String, Problem> {
    // Words after the path are properties (`editable` for playground).
    let mut words = args.split_whitespace();
    let first = words.next().unwrap_or_default();
    let props: Vec<&str> = words.collect();
    // A playground names a whole file, as in mdBook: no selector.
    let (path, selector) = match first.split_once(':') {
        Some((path, selector)) if command != Command::Playground => {
            (path.trim(), Some(selector.trim()))
        }
        _ => (first, None),
    };
    if path.is_empty() {
        return Err(Problem {
            message: "include without a file".into(),
            help: "write `{{#include path/to/file}}`, relative to this file".into(),
        });
    }
    // As everywhere in a handbook, a leading `/` means the handbook root, not the disk's.
    // The path is read as the system reads it (`shared/../x` climbs from where the link
    // `shared` leads); its tidied form names it in messages and dependencies.
    let written = match path.strip_prefix('/') {
        Some(rooted) => context.root.join(rooted),
        None => from.parent().unwrap_or(Path::new(".")).join(path),
    };
    let target = lexical_normalize(&written);
    let cycle = || {
        Problem {
        message: format!("include of `{path}` nests too deep: the files include each other"),
        help: "break the cycle: an included file must not include, directly or not, the file that includes it".into(),
    }
    };
    if stack.len() > MAX_DEPTH {
        return Err(cycle());
    }
    let real = context.boundary.resolve(&written).map_err(|_| Problem {
        message: format!(
            "include of `{path}` leads outside {}; it is not read",
            context.boundary.describe()
        ),
        help: super::boundary::escape_help(),
    })?;
    let missing = |reason: String| Problem {
        message: format!("cannot include `{path}`: {reason}"),
        help: format!(
            "the path is relative to this file's folder (or, starting with `/`, to the handbook root); it names {}",
            target.display()
        ),
    };
    let Some(real) = real else {
        return Err(missing("no such file".into()));
    };
    if stack.contains(&real) {
        return Err(cycle());
    }
    let text = std::fs::read_to_string(&real).map_err(|err| missing(super::io_reason(&err)))?;
    let root = lexical_normalize(context.root);
    files.push(
        target
            .strip_prefix(&root)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| target.clone()),
    );
    let selected = match command {
        Command::Playground => {
            let attrs = if props.is_empty() {
                String::new()
            } else {
                format!(",{}", props.join(","))
            };
            let newline = if text.ends_with('\n') { "" } else { "\n" };
            Ok(format!("```rust{attrs}\n{text}{newline}```\n"))
        }
        Command::RustdocInclude => rustdoc_select(&text, selector),
        Command::Include | Command::Title => select(&text, selector),
    };
    let selected = selected.map_err(|message| Problem {
        message: format!("cannot include `{first}`: {message}"),
        help: "mark the lines in the included file with `ANCHOR: name` and `ANCHOR_END: name` comments, or give line numbers `file:10:20`".into(),
    })?;
    if let Some(name) = selector.filter(|_| command != Command::Playground)
        && unclosed_anchor(&text, name)
    {
        notes.push(Problem {
            message: format!(
                "`ANCHOR: {name}` in `{path}` is never closed by `ANCHOR_END: {name}`, so the include runs to the end of the file"
            ),
            help: format!("add a line `ANCHOR_END: {name}` (in a comment) where the part should end"),
        });
    }
    stack.push(real.clone());
    let nested = expand_nested(&selected, &real, context, stack, files, notes);
    stack.pop();
    // A problem deeper down names the included file that holds it.
    nested.map_err(|problem| Problem {
        message: format!(
            "in `{}`, which this includes: {}",
            target.strip_prefix(&root).unwrap_or(&target).display(),
            problem.message
        ),
        help: problem.help,
    })
}

fn expand_nested(
    text: &str,
    file: &Path,
    context: &Context<'_>,
    stack: &mut Vec<PathBuf>,
    files: &mut Vec<PathBuf>,
    notes: &mut Vec<Problem>,
) -> Result<String, Problem> {
    if !text.contains("{{") {
        return Ok(text.to_string());
    }
    let mut out = String::with_capacity(text.len());
    for piece in pieces(text) {
        match piece {
            Piece::Text { text, .. } => out.push_str(text),
            // A title set in an included file does not title the page.
            Piece::Include {
                command: Command::Title,
                ..
            } => {}
            Piece::Include { command, args, .. } => {
                out.push_str(&resolve(file, command, args, context, stack, files, notes)?)
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_directives_with_a_path_are_directives() {
        let kinds = |text| -> Vec<&str> {
            pieces(text)
                .into_iter()
                .filter_map(|piece| match piece {
                    Piece::Include { args, .. } => Some(args),
                    Piece::Text { .. } => None,
                })
                .collect()
        };
        assert!(kinds("`{{#include}}`d files").is_empty());
        assert!(kinds("{{#include }}").is_empty());
        assert_eq!(kinds("{{#title A page}}"), ["A page"]);
        assert!(kinds("{{#include a}b}}").is_empty());
        assert_eq!(kinds("{{ #include a.rs }}"), ["a.rs"]);
        assert_eq!(kinds("{{{#include a.rs}}}"), ["a.rs"]);
        assert_eq!(
            kinds("\\{{ #include a.rs}}"),
            ["a.rs"],
            "only `\\{{#` escapes"
        );
        assert_eq!(kinds("{{#playground a.rs editable}}"), ["a.rs editable"]);
        assert_eq!(
            kinds("{{#include a.rs:2:3}} and {{#include b.md}}"),
            ["a.rs:2:3", "b.md"]
        );
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
        assert_eq!(texts, ["see ", "{{#include x.md}} here {{#include y.md}}"]);
        let found = pieces("\\{{#include a}} and {{#include b}}\n{{#include c}}");
        let includes = found
            .iter()
            .filter(|piece| matches!(piece, Piece::Include { .. }))
            .count();
        assert_eq!(
            includes, 1,
            "mdBook's escape runs to the last `}}}}` of its line: {found:?}"
        );
    }

    #[test]
    fn source_map_points_back_at_own_lines() {
        let mut findings = Vec::new();
        let dir = std::env::temp_dir();
        let body = "a\nb {{#include missing.txt}} c\nd\n";
        let boundary = Boundary::around(&dir);
        let context = Context {
            root: &dir,
            boundary: &boundary,
        };
        let expanded = expand(
            body,
            3,
            &dir.join("page.md"),
            &context,
            "page.md",
            &mut findings,
        );
        assert_eq!(findings[0].line, Some(5));
        assert_eq!(findings[0].column, Some(3));
        assert!(
            expanded.text.contains("{{#include missing.txt}}"),
            "kept as written"
        );
        let d = expanded.text.rfind('d').unwrap();
        assert_eq!(
            expanded.map.position(&LineIndex::new(&expanded.text), d),
            Position { line: 6, column: 1 }
        );
    }
}
