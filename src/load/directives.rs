//! Suppression directives, as written in a file: the comments that switch rules off for
//! the next line (`shipshape-disable-next-line`), or from a `shipshape-disable` to its
//! `shipshape-enable` (or to the end of the file). Reading them needs only the file's text
//! and how it writes comments; what they suppress is decided in `check::suppress`.

use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag};

use crate::finding::{LineIndex, Position};

/// Every directive starts with this; a file without it is not scanned further.
pub const MARK: &str = "shipshape-";

/// How a file writes comments.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    /// A markdown page: `<!-- … -->` comments markdown reads as HTML (so not in code),
    /// and `# …` lines in its front matter, which is YAML.
    Markdown,
    /// YAML: comments on lines of their own, outside block scalars (`|`, `>`).
    Yaml,
}

/// What a directive does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `shipshape-disable-next-line`: the next line that is neither blank nor directives.
    NextLine,
    /// `shipshape-disable`: from here to the matching `shipshape-enable`, or to the end.
    Disable,
    /// `shipshape-enable`: ends a `shipshape-disable`.
    Enable,
    /// `shipshape-` and a word that is no directive (`shipshape-disabel`), as written.
    Unknown(String),
}

/// One directive in a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    pub kind: Kind,
    /// Where its comment starts.
    pub at: Position,
    /// How it is written: in a markdown page's front matter, directives are YAML comments.
    pub syntax: Syntax,
    /// The rule ids as written (not yet known to be rules), each with its position.
    pub rules: Vec<(String, Position)>,
    /// What follows ` -- `, trimmed; `None` when there is nothing.
    pub reason: Option<String>,
    /// For `NextLine`, the line it applies to; `None` when no such line follows.
    pub target: Option<u32>,
}

/// The directives in `text`, in the order they appear.
pub fn parse(text: &str, syntax: Syntax) -> Vec<Directive> {
    if !text.contains(MARK) {
        return Vec::new();
    }
    let index = LineIndex::new(text);
    let mut found = Vec::new();
    match syntax {
        Syntax::Yaml => yaml(text, 0..text.len(), &index, &mut found),
        Syntax::Markdown => {
            let split = super::front_matter::split(text, "", &mut Vec::new());
            let body_start = text.len() - split.body.len();
            if let Some(block) = &split.block {
                // The YAML starts after the opening fence's line (and a BOM before it).
                let start = text.find('\n').map_or(text.len(), |i| i + 1);
                yaml(text, start..start + block.yaml.len(), &index, &mut found);
            }
            markdown(text, body_start, &index, &mut found);
        }
    }
    set_targets(text, &index, &mut found);
    found.into_iter().map(|(_, directive)| directive).collect()
}

/// Directives in the whole-line `#` comments of `text[range]`, skipping the contents of
/// block scalars, where a `#` line is text.
fn yaml(
    text: &str,
    range: Range<usize>,
    index: &LineIndex,
    found: &mut Vec<(Range<usize>, Directive)>,
) {
    let mut offset = range.start;
    // The indentation of the line that opened a block scalar, while inside one.
    let mut scalar: Option<usize> = None;
    for line in text[range].split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let trimmed = content.trim_start();
        let indent = content.len() - trimmed.len();
        if let Some(opened) = scalar {
            if trimmed.is_empty() || indent > opened {
                continue;
            }
            scalar = None;
        }
        if let Some(comment) = trimmed.strip_prefix('#') {
            let hash = start + indent;
            if let Some(directive) = directive(comment, hash + 1, hash, Syntax::Yaml, index) {
                found.push((hash..start + content.len(), directive));
            }
        } else if opens_block_scalar(trimmed) {
            scalar = Some(indent);
        }
    }
}

/// Whether a YAML line ends in a block scalar indicator (`key: |`, `- >-`, `key: |2 # …`).
fn opens_block_scalar(line: &str) -> bool {
    let value = match line.find(" #") {
        Some(comment) => &line[..comment],
        None => line,
    };
    let mut words = value.split_whitespace().rev();
    let Some(last) = words.next() else {
        return false;
    };
    let indicator = last.starts_with(['|', '>'])
        && last[1..]
            .chars()
            .all(|c| c == '-' || c == '+' || c.is_ascii_digit());
    indicator
        && words
            .next()
            .is_some_and(|word| word.ends_with(':') || word == "-")
}

/// Directives in the HTML comments of the markdown after `body_start`. Only comments that
/// markdown reads as HTML count: one in a code block or a code span is text.
fn markdown(
    text: &str,
    body_start: usize,
    index: &LineIndex,
    found: &mut Vec<(Range<usize>, Directive)>,
) {
    let body = &text[body_start..];
    let html = Parser::new_ext(
        body,
        pulldown_cmark::Options::ENABLE_TABLES | pulldown_cmark::Options::ENABLE_FOOTNOTES,
    )
    .into_offset_iter()
    .filter_map(|(event, range)| match event {
        Event::Start(Tag::HtmlBlock) | Event::InlineHtml(_) => Some(range),
        _ => None,
    });
    for range in html {
        let mut at = range.start;
        while let Some(open) = body[at..range.end].find("<!--") {
            let open = at + open;
            let inner = open + 4;
            let Some(close) = body[inner..range.end].find("-->") else {
                break;
            };
            let close = inner + close;
            let start = body_start + open;
            if let Some(directive) = directive(
                &body[inner..close],
                body_start + inner,
                start,
                Syntax::Markdown,
                index,
            ) {
                found.push((start..body_start + close + 3, directive));
            }
            at = close + 3;
        }
    }
}

/// The directive in a comment's text (`comment`, which starts at byte `offset` of the
/// file), when it is one. `start` is where the comment itself starts.
fn directive(
    comment: &str,
    offset: usize,
    start: usize,
    syntax: Syntax,
    index: &LineIndex,
) -> Option<Directive> {
    let lead = comment.len() - comment.trim_start().len();
    let body = &comment[lead..];
    if !body.starts_with(MARK) {
        return None;
    }
    let word_end = body.find(char::is_whitespace).unwrap_or(body.len());
    let kind = match &body[..word_end] {
        "shipshape-disable-next-line" => Kind::NextLine,
        "shipshape-disable" => Kind::Disable,
        "shipshape-enable" => Kind::Enable,
        other => Kind::Unknown(other.to_string()),
    };
    let rest = &body[word_end..];
    let (names, reason) = match rest.find("--") {
        Some(dash) => (&rest[..dash], Some(rest[dash + 2..].trim())),
        None => (rest, None),
    };
    let names_offset = offset + lead + word_end;
    let rules = names
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|name| !name.is_empty())
        .map(|name| {
            // `name` is a slice of `names`, so its address gives its offset.
            let at = name.as_ptr() as usize - names.as_ptr() as usize;
            (name.to_string(), index.position(names_offset + at))
        })
        .collect();
    Some(Directive {
        kind,
        at: index.position(start),
        syntax,
        rules,
        reason: reason
            .filter(|reason| !reason.is_empty())
            .map(str::to_string),
        target: None,
    })
}

/// Sorts the directives into file order and gives each `NextLine` its line: the first
/// after its comment that is neither blank nor only directives, so several can be stacked.
fn set_targets(text: &str, index: &LineIndex, found: &mut [(Range<usize>, Directive)]) {
    found.sort_by_key(|(range, _)| range.start);
    let lines: Vec<&str> = text.lines().collect();
    let line_of = |offset: usize| index.position(offset).line;
    // Lines that hold directives and nothing else but whitespace.
    let mut only_directives = std::collections::HashSet::new();
    let mut group = 0;
    while group < found.len() {
        let line = line_of(found[group].0.start);
        let mut end = group;
        while end < found.len() && line_of(found[end].0.start) == line {
            end += 1;
        }
        let ranges: Vec<&Range<usize>> = found[group..end].iter().map(|(range, _)| range).collect();
        let line_start = text[..ranges[0].start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |i| line_start + i);
        let mut outside = String::new();
        let mut at = line_start;
        for range in &ranges {
            outside.push_str(&text[at..range.start.max(at)]);
            at = range.end.max(at);
        }
        if at <= line_end {
            outside.push_str(&text[at..line_end]);
            if outside.trim().is_empty() {
                only_directives.insert(line);
            }
        }
        group = end;
    }
    for (range, directive) in found.iter_mut() {
        if directive.kind != Kind::NextLine {
            continue;
        }
        let after = line_of(range.end.saturating_sub(1).max(range.start));
        directive.target = (after + 1..=lines.len() as u32).find(|line| {
            !lines[*line as usize - 1].trim().is_empty() && !only_directives.contains(line)
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, column: u32) -> Position {
        Position { line, column }
    }

    /// The kind, line, rules, reason and target of a directive.
    type Seen = (Kind, u32, Vec<String>, Option<String>, Option<u32>);

    fn summary(text: &str, syntax: Syntax) -> Vec<Seen> {
        parse(text, syntax)
            .into_iter()
            .map(|d| {
                let rules = d.rules.into_iter().map(|(name, _)| name).collect();
                (d.kind, d.at.line, rules, d.reason, d.target)
            })
            .collect()
    }

    #[test]
    fn markdown_directives_with_rules_positions_and_reasons() {
        let text = "# Title\n\n<!-- shipshape-disable-next-line link, orphan -- moved next week -->\n[x](gone.md)\n";
        let found = parse(text, Syntax::Markdown);
        assert_eq!(found.len(), 1);
        let directive = &found[0];
        assert_eq!(directive.kind, Kind::NextLine);
        assert_eq!(directive.at, pos(3, 1));
        assert_eq!(
            directive.rules,
            vec![
                ("link".to_string(), pos(3, 34)),
                ("orphan".to_string(), pos(3, 40))
            ]
        );
        assert_eq!(directive.reason.as_deref(), Some("moved next week"));
        assert_eq!(directive.target, Some(4));
        assert_eq!(directive.syntax, Syntax::Markdown);
    }

    #[test]
    fn the_next_line_skips_blank_lines_and_other_directives() {
        let text = "<!-- shipshape-disable-next-line link -- a -->\n\n<!-- shipshape-disable-next-line orphan -- b -->\n\ntext\n";
        let targets: Vec<Option<u32>> = parse(text, Syntax::Markdown)
            .into_iter()
            .map(|d| d.target)
            .collect();
        assert_eq!(targets, vec![Some(5), Some(5)]);
        let last = "text\n<!-- shipshape-disable-next-line link -- nothing follows -->\n\n";
        assert_eq!(parse(last, Syntax::Markdown)[0].target, None);
    }

    #[test]
    fn a_directive_after_text_applies_to_the_line_below() {
        let text = "see [a](a.md) <!-- shipshape-disable-next-line link -- b -->\n[b](b.md)\n";
        let found = parse(text, Syntax::Markdown);
        assert_eq!((found[0].at, found[0].target), (pos(1, 15), Some(2)));
    }

    #[test]
    fn disable_and_enable_without_a_reason() {
        let text = "<!-- shipshape-disable link -->\nx\n<!--shipshape-enable link-->\n";
        assert_eq!(
            summary(text, Syntax::Markdown),
            vec![
                (Kind::Disable, 1, vec!["link".into()], None, None),
                (Kind::Enable, 3, vec!["link".into()], None, None),
            ]
        );
        let empty = "<!-- shipshape-disable link --  -->\n";
        assert_eq!(parse(empty, Syntax::Markdown)[0].reason, None);
    }

    #[test]
    fn comments_in_code_are_text() {
        let text = "```markdown\n<!-- shipshape-disable link -- in a fence -->\n```\n\n    <!-- shipshape-disable link -- indented code -->\n\nUse `<!-- shipshape-disable link -- a span -->` to\n~~~\n<!-- shipshape-enable link -->\n~~~\n";
        assert_eq!(parse(text, Syntax::Markdown), Vec::new());
    }

    #[test]
    fn multi_line_comments_and_unknown_words() {
        let text = "<!--\n  shipshape-disable-next-line\n  link -- spans lines\n-->\nx\n<!-- shipshape-disabel link -->\n<!-- not a directive -->\n";
        assert_eq!(
            summary(text, Syntax::Markdown),
            vec![
                (
                    Kind::NextLine,
                    1,
                    vec!["link".into()],
                    Some("spans lines".into()),
                    Some(5)
                ),
                (
                    Kind::Unknown("shipshape-disabel".into()),
                    6,
                    vec!["link".into()],
                    None,
                    None
                ),
            ]
        );
    }

    #[test]
    fn front_matter_directives_are_yaml_comments() {
        let text = "---\ntitle: A\n# shipshape-disable-next-line schema -- a theme reads it\ntitel: B\n---\n\n# A\n<!-- shipshape-disable-next-line link -- b -->\n[x](y.md)\n";
        let found = parse(text, Syntax::Markdown);
        assert_eq!(found.len(), 2);
        assert_eq!(
            (found[0].syntax, found[0].at, found[0].target),
            (Syntax::Yaml, pos(3, 1), Some(4))
        );
        assert_eq!(found[0].rules, vec![("schema".to_string(), pos(3, 31))]);
        assert_eq!(
            (found[1].syntax, found[1].target),
            (Syntax::Markdown, Some(9))
        );
        // Front matter is YAML: an HTML comment there is a value, not a directive.
        let html = "---\nnote: <!-- shipshape-disable link -- x -->\n---\n";
        assert_eq!(parse(html, Syntax::Markdown), Vec::new());
    }

    #[test]
    fn yaml_comments_outside_block_scalars() {
        let text = "service: payments\n  # shipshape-disable evidence -- legacy checks\nchecks:\n  a: 1\n# shipshape-enable evidence\nnote: |\n  # shipshape-disable link -- text of the note\n\n  more\nother: x # shipshape-disable link -- a trailing comment is not one\n- >-\n  # shipshape-disable link\nend: 1\n";
        assert_eq!(
            summary(text, Syntax::Yaml),
            vec![
                (
                    Kind::Disable,
                    2,
                    vec!["evidence".into()],
                    Some("legacy checks".into()),
                    None
                ),
                (Kind::Enable, 5, vec!["evidence".into()], None, None),
            ]
        );
        assert_eq!(parse(text, Syntax::Yaml)[0].at, pos(2, 3));
    }

    #[test]
    fn yaml_next_line_and_block_scalar_indicators() {
        let text = "# shipshape-disable-next-line readiness -- tier 4 soon\n\ntier: 1\n";
        assert_eq!(parse(text, Syntax::Yaml)[0].target, Some(3));
        assert!(opens_block_scalar("key: |"));
        assert!(opens_block_scalar("key: >-2 # folded"));
        assert!(opens_block_scalar("- |+"));
        assert!(!opens_block_scalar("key: a|b"));
        assert!(!opens_block_scalar("|"));
    }

    #[test]
    fn files_without_the_mark_are_not_scanned() {
        assert_eq!(
            parse("<!-- disable link -->\n", Syntax::Markdown),
            Vec::new()
        );
    }
}
