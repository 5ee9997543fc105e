//! Where the text of a page's body came from, after preprocessors may have changed it.
//!
//! A body the preprocessors left alone keeps the map include expansion made. A changed
//! body is compared with the text it was made from, line by line: a line that is still
//! there maps exactly where it mapped before; in a changed line the text it shares with
//! the line it replaced at its start and end maps exactly too, and the rest maps to
//! where the change starts; a line that replaced nothing maps to the original line next
//! to it.

use similar::{Algorithm, DiffOp, capture_diff_slices};

use crate::finding::{LineIndex, Position};
use crate::load::include;

/// Maps byte offsets of a page's body back to positions in the page's own file.
#[derive(Clone, Debug)]
pub enum SourceMap {
    /// The map include expansion made (the body is the expanded text).
    Expanded(include::SourceMap),
    /// A map through a preprocessor's changes back to the file.
    Rewritten(Rewritten),
}

impl Default for SourceMap {
    fn default() -> SourceMap {
        SourceMap::Expanded(include::SourceMap::default())
    }
}

impl From<include::SourceMap> for SourceMap {
    fn from(map: include::SourceMap) -> SourceMap {
        SourceMap::Expanded(map)
    }
}

impl SourceMap {
    /// Everything the map says, hashed: two bodies with equal text and equal maps read
    /// to the same outline.
    pub fn hash_into(&self, hasher: &mut crate::cache::Hasher) {
        match self {
            SourceMap::Expanded(map) => {
                hasher.number(1);
                map.hash_into(hasher);
            }
            SourceMap::Rewritten(map) => {
                hasher.number(2).number(include::position_bits(map.start));
                hasher.number(map.segments.len() as u128);
                for segment in &map.segments {
                    hasher
                        .number(segment.start as u128)
                        .number(include::position_bits(segment.position))
                        .number(u128::from(segment.flowing));
                }
            }
        }
    }

    /// The file position of byte `offset` of the body that `lines` indexes.
    pub fn position(&self, lines: &LineIndex<'_>, offset: usize) -> Position {
        match self {
            SourceMap::Expanded(map) => map.position(lines, offset),
            SourceMap::Rewritten(map) => map.position(lines, offset),
        }
    }
}

/// Segments of the new text, each mapped to a file position.
#[derive(Clone, Debug)]
pub struct Rewritten {
    segments: Vec<Segment>,
    /// Where the body starts in the file, for a body left empty.
    start: Position,
}

#[derive(Clone, Debug)]
struct Segment {
    /// Where the segment starts in the new text.
    start: usize,
    /// The file position of its first byte.
    position: Position,
    /// Whether positions advance with the text (else the whole segment is `position`).
    flowing: bool,
}

impl Rewritten {
    fn position(&self, lines: &LineIndex<'_>, offset: usize) -> Position {
        let index = self
            .segments
            .partition_point(|segment| segment.start <= offset)
            .saturating_sub(1);
        let Some(segment) = self.segments.get(index) else {
            return self.start;
        };
        if !segment.flowing {
            return segment.position;
        }
        crate::load::include::within_segment(lines, offset, segment.start, segment.position)
    }
}

/// The map of `new`, which a preprocessor made from `old`, whose map is `map`.
pub fn rewrite(old: &str, map: &SourceMap, new: &str) -> SourceMap {
    let old_index = LineIndex::new(old);
    let probe = |offset: usize| map.position(&old_index, offset);
    let old_lines = Lines::of(old);
    let new_lines = Lines::of(new);
    let mut out = Builder {
        segments: Vec::new(),
        probe: &probe,
        old,
    };
    for op in capture_diff_slices(Algorithm::Myers, &old_lines.text, &new_lines.text) {
        match op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => {
                for i in 0..len {
                    let from = old_lines.range(old_index + i);
                    out.exact(new_lines.start(new_index + i), from.start, from.len());
                }
            }
            DiffOp::Delete { .. } => {}
            DiffOp::Insert {
                old_index,
                new_index,
                new_len,
            } => {
                // Text put in before original line `old_index`: that line is the nearest,
                // or the last one when it was added at the end.
                let near = old_index.min(old_lines.len().saturating_sub(1));
                let at = old_lines.range_or_end(near, old.len()).start;
                for i in 0..new_len {
                    out.fixed(new_lines.start(new_index + i), at);
                }
            }
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                for i in 0..new_len {
                    let to = new_lines.range(new_index + i);
                    if i < old_len {
                        let from = old_lines.range(old_index + i);
                        out.changed(&new[to.clone()], to.start, from);
                    } else {
                        let last = old_lines.range(old_index + old_len - 1);
                        out.fixed(to.start, last.start);
                    }
                }
            }
        }
    }
    SourceMap::Rewritten(Rewritten {
        segments: out.segments,
        start: probe(0),
    })
}

/// A text's lines, each with its line ending.
struct Lines<'a> {
    text: Vec<&'a str>,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    fn of(text: &'a str) -> Lines<'a> {
        let text: Vec<&str> = text.split_inclusive('\n').collect();
        let starts = text
            .iter()
            .scan(0, |offset, line| {
                let start = *offset;
                *offset += line.len();
                Some(start)
            })
            .collect();
        Lines { text, starts }
    }

    fn len(&self) -> usize {
        self.text.len()
    }

    fn start(&self, index: usize) -> usize {
        self.starts[index]
    }

    fn range(&self, index: usize) -> std::ops::Range<usize> {
        self.starts[index]..self.starts[index] + self.text[index].len()
    }

    /// Line `index`'s range, or the empty range at `end` for a text with no lines.
    fn range_or_end(&self, index: usize, end: usize) -> std::ops::Range<usize> {
        if index < self.len() {
            self.range(index)
        } else {
            end..end
        }
    }
}

struct Builder<'a> {
    segments: Vec<Segment>,
    probe: &'a dyn Fn(usize) -> Position,
    old: &'a str,
}

impl Builder<'_> {
    /// New text from `at` on maps to where old byte `from` maps, without advancing.
    fn fixed(&mut self, at: usize, from: usize) {
        let position = (self.probe)(from);
        self.segments.push(Segment {
            start: at,
            position,
            flowing: false,
        });
    }

    /// New line `new_line` (at `at`) replaced old line `from`: their common start and
    /// end map exactly, the middle to where the change starts.
    fn changed(&mut self, new_line: &str, at: usize, from: std::ops::Range<usize>) {
        let old_line = &self.old[from.clone()];
        let prefix = common_prefix(old_line, new_line);
        let suffix = common_suffix(&old_line[prefix..], &new_line[prefix..]);
        self.exact(at, from.start, prefix);
        if new_line.len() - suffix > prefix {
            self.fixed(at + prefix, from.start + prefix);
        }
        self.exact(at + new_line.len() - suffix, from.end - suffix, suffix);
    }

    /// `len` bytes of new text at `at` are the old text at `from`, within one line.
    fn exact(&mut self, at: usize, from: usize, len: usize) {
        if len == 0 {
            return;
        }
        let text = &self.old[from..from + len];
        let first = (self.probe)(from);
        // The old map is exact along its own text and constant over included text;
        // a line that is one or the other all along needs one segment.
        let ends: Vec<(usize, u32)> = [text.len() / 2, last_char(text)]
            .into_iter()
            .map(|offset| floor_char(text, offset))
            .map(|offset| (offset, text[..offset].chars().count() as u32))
            .collect();
        let flows = ends.iter().all(|&(offset, chars)| {
            (self.probe)(from + offset)
                == Position {
                    line: first.line,
                    column: first.column + chars,
                }
        });
        let constant = ends
            .iter()
            .all(|&(offset, _)| (self.probe)(from + offset) == first);
        if flows || constant {
            self.segments.push(Segment {
                start: at,
                position: first,
                flowing: flows,
            });
            return;
        }
        // Own text and included text on one line: follow it character by character.
        let mut current: Option<(usize, Position, Option<bool>, u32)> = None;
        for (offset, _) in text.char_indices() {
            let position = (self.probe)(from + offset);
            if let Some((start, first, flowing, chars)) = current.as_mut() {
                let along = Position {
                    line: first.line,
                    column: first.column + *chars,
                };
                let continues = match flowing {
                    Some(true) => position == along,
                    Some(false) => position == *first,
                    None if position == along => {
                        *flowing = Some(true);
                        true
                    }
                    None if position == *first => {
                        *flowing = Some(false);
                        true
                    }
                    None => false,
                };
                if continues {
                    *chars += 1;
                    continue;
                }
                self.segments.push(Segment {
                    start: at + *start,
                    position: *first,
                    flowing: flowing.unwrap_or(false),
                });
            }
            current = Some((offset, position, None, 1));
        }
        if let Some((start, first, flowing, _)) = current {
            self.segments.push(Segment {
                start: at + start,
                position: first,
                flowing: flowing.unwrap_or(false),
            });
        }
    }
}

fn common_prefix(a: &str, b: &str) -> usize {
    a.char_indices()
        .zip(b.chars())
        .find(|((_, x), y)| x != y)
        .map_or_else(|| a.len().min(b.len()), |((offset, _), _)| offset)
        .min(b.len())
}

fn common_suffix(a: &str, b: &str) -> usize {
    a.chars()
        .rev()
        .zip(b.chars().rev())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x.len_utf8())
        .sum()
}

/// The offset of the last character of `text` (0 for an empty text).
fn last_char(text: &str) -> usize {
    text.char_indices()
        .next_back()
        .map_or(0, |(offset, _)| offset)
}

fn floor_char(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The file position of each line's first character in `new`.
    fn line_starts(old: &str, new: &str) -> Vec<(u32, u32)> {
        let map = rewrite(old, &SourceMap::default(), new);
        let lines = LineIndex::new(new);
        Lines::of(new)
            .starts
            .iter()
            .map(|&start| {
                let position = map.position(&lines, start);
                (position.line, position.column)
            })
            .collect()
    }

    #[test]
    fn lines_kept_map_to_their_old_lines() {
        let old = "# Title\n\n{{banner}}\n\nA [link](x.md).\n";
        let new = "# Title\n\n> one\n> two\n> three\n\nA [link](x.md).\n";
        assert_eq!(
            line_starts(old, new),
            [(1, 1), (2, 1), (3, 1), (3, 1), (3, 1), (4, 1), (5, 1)]
        );
        let map = rewrite(old, &SourceMap::default(), new);
        let link = new.find("[link]").unwrap();
        assert_eq!(
            map.position(&LineIndex::new(new), link),
            Position { line: 5, column: 3 }
        );
    }

    #[test]
    fn a_changed_line_keeps_its_common_start_and_end() {
        let old = "Say {{shout}} to [me](me.md).\n";
        let new = "Say SHOUT to [me](me.md).\n";
        let map = rewrite(old, &SourceMap::default(), new);
        let lines = LineIndex::new(new);
        let at = |needle: &str| {
            let position = map.position(&lines, new.find(needle).unwrap());
            (position.line, position.column)
        };
        assert_eq!(at("Say"), (1, 1));
        assert_eq!(at("SHOUT"), (1, 5), "the change maps to where it starts");
        assert_eq!(
            at("[me]"),
            (1, 18),
            "text after the change keeps its column"
        );
    }

    #[test]
    fn appended_and_prepended_lines_map_to_the_nearest_line() {
        assert_eq!(line_starts("a\nb\n", "a\nb\nc\n"), [(1, 1), (2, 1), (2, 1)]);
        assert_eq!(line_starts("a\nb\n", "z\na\nb\n"), [(1, 1), (1, 1), (2, 1)]);
        assert_eq!(line_starts("", "new\n"), [(1, 1)]);
        assert_eq!(line_starts("a\n", ""), Vec::<(u32, u32)>::new());
    }

    #[test]
    fn any_edit_maps_every_offset_inside_the_original() {
        // A small deterministic generator: edits of lines made of a few pieces.
        let mut state = 7u32;
        let mut next = |n: u32| {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (state >> 16) % n
        };
        let pieces = ["a", "é", " ", "{{x}}", "[l](x.md)", "\n", "\r\n", "日本"];
        for _ in 0..300 {
            let mut text = |len: u32| -> String {
                (0..len)
                    .map(|_| pieces[next(pieces.len() as u32) as usize])
                    .collect()
            };
            let (old, new) = (text(12), text(12));
            let map = rewrite(&old, &SourceMap::default(), &new);
            let lines = LineIndex::new(&new);
            let last = old.lines().count().max(1) as u32;
            for offset in 0..=new.len() {
                let position = map.position(&lines, offset);
                assert!(
                    position.line >= 1 && position.line <= last + 1,
                    "{old:?} → {new:?} at {offset}: {position:?}"
                );
            }
        }
    }

    #[test]
    fn unicode_lines_map_by_characters() {
        let old = "é {{x}} ü [a](b.md)\n";
        let new = "é XX ü [a](b.md)\n";
        let map = rewrite(old, &SourceMap::default(), new);
        let lines = LineIndex::new(new);
        let position = map.position(&lines, new.find("[a]").unwrap());
        assert_eq!((position.line, position.column), (1, 11));
    }
}
