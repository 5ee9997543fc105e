//! What the model needs to know of a page's markdown: its headings (with their anchors),
//! its links (with their file positions) and its images without alt text. This is the one pass of the parser over a
//! page: when the handbook is rendered, the same pass keeps the page's events
//! (`Events`) and rendering walks those, taking heading ids from the outline, so anchors
//! and links always agree.

mod events;
mod images;
mod parses;

use pulldown_cmark::{Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};

pub use events::Events;
pub use parses::{Parsed, Parses};

use crate::finding::{LineIndex, Position};
use crate::load::SourceMap;
use crate::model::slug::Slugger;

/// The markdown extensions every page is read with; `smart` adds curly quotes, dashes
/// and ellipses (`[output.html] smart-punctuation`, on by default as in mdBook 0.5).
pub fn options(smart: bool) -> Options {
    let smart = if smart {
        Options::ENABLE_SMART_PUNCTUATION
    } else {
        Options::empty()
    };
    smart
        | Options::ENABLE_TABLES
        | Options::ENABLE_DEFINITION_LIST
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// A page's headings and links.
#[derive(Clone, Debug, Default)]
pub struct Outline {
    /// Every heading, in document order.
    pub headings: Vec<Heading>,
    /// Every link and image, in document order.
    pub links: Vec<Link>,
    /// `id` attributes written in raw HTML, which links may target too.
    pub html_ids: Vec<String>,
    /// Images without a text alternative, in document order, for the `alt-text` rule.
    pub without_alt: Vec<WithoutAlt>,
}

/// An image without alt text: `![](x.png)` or `![ ](x.png)`, or a raw HTML `<img>` with
/// no `alt` attribute (`alt=""` marks a decorative image, which is fine).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WithoutAlt {
    /// The image's address as written (an HTML `<img>` without `src` has an empty one).
    pub src: String,
    /// Where the image starts in the file: its `!`, or the `<` of its tag.
    pub position: Position,
    /// Written as an HTML `<img>` tag rather than markdown.
    pub html: bool,
}

/// One heading, its anchor and the extent of its section.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The heading's text, without markup.
    pub text: String,
    /// The anchor: a `{#custom}` id, or GitHub's slug of the text.
    pub id: String,
    /// Where the heading starts in the file.
    pub position: Position,
    /// The section's content in the page body: from the end of the heading to the next
    /// heading of the same or a higher level (so subsections are part of it).
    pub section: std::ops::Range<usize>,
    /// Whether the section has content: text other than whitespace and HTML comments
    /// (a template's `<!-- fill in -->` is no content). Subsection headings are content.
    pub has_content: bool,
}

/// A link or image destination, as written.
#[derive(Clone, Debug)]
pub struct Link {
    pub dest: String,
    pub position: Position,
    pub image: bool,
}

impl Outline {
    /// The text of the first level-1 heading.
    pub fn h1(&self) -> Option<&str> {
        self.headings
            .iter()
            .find(|heading| heading.level == 1)
            .map(|heading| heading.text.as_str())
    }

    /// Whether `#anchor` exists on the page.
    pub fn has_anchor(&self, anchor: &str) -> bool {
        self.headings.iter().any(|heading| heading.id == anchor)
            || self.html_ids.iter().any(|id| id == anchor)
    }

    /// The first heading of level 2 or deeper whose text `matches` (case-insensitive
    /// required-section matching is the caller's).
    pub fn section(&self, matches: impl Fn(&str) -> bool) -> Option<&Heading> {
        self.headings
            .iter()
            .find(|heading| heading.level >= 2 && matches(&heading.text))
    }

    /// Every anchor of the page, for "did you mean".
    pub fn anchors(&self) -> impl Iterator<Item = &str> {
        self.headings
            .iter()
            .map(|heading| heading.id.as_str())
            .chain(self.html_ids.iter().map(String::as_str))
    }
}

/// A markdown page's events: replayed from the model's pass, or parsed again.
pub enum PageEvents<'a> {
    Kept(events::Replay<'a>),
    /// Boxed: a parser is large, and only a page without kept events needs one.
    Parsed(Box<Parser<'a>>),
}

impl<'a> Iterator for PageEvents<'a> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            PageEvents::Kept(events) => events.next(),
            PageEvents::Parsed(parser) => parser.next(),
        }
    }
}

/// Reads the outline of `body` (`map` turns offsets into file positions) and, with
/// `keep`, its events for rendering (none for a body whose offsets do not fit in 32 bits:
/// rendering then parses it itself).
pub fn read(
    body: &str,
    map: &SourceMap,
    smart: bool,
    keep: bool,
) -> (Outline, Option<Box<Events>>) {
    // Two copies of the pass, so that `check`'s has no trace of keeping events.
    if keep {
        read_keeping::<true>(body, map, smart)
    } else {
        read_keeping::<false>(body, map, smart)
    }
}

fn read_keeping<const KEEP: bool>(
    body: &str,
    map: &SourceMap,
    smart: bool,
) -> (Outline, Option<Box<Events>>) {
    let mut outline = Outline::default();
    // Boxed, so that a page checked but not rendered carries one pointer, not three.
    let mut kept = KEEP.then(|| Box::new(Events::for_body(body)));
    let mut slugger = Slugger::default();
    let mut heading: Option<(u8, Option<String>, String, usize)> = None;
    // The images being read (one inside another's alt text is one more): where each
    // starts, its address and its alt text so far.
    let mut images: Vec<(usize, String, String)> = Vec::new();
    // Inside an HTML block, whose images are read from its whole text at its start.
    let mut in_html_block = false;
    // Where each heading starts, for the section extents worked out at the end.
    let mut starts = Vec::new();
    let lines = LineIndex::new(body);
    for (event, range) in Parser::new_ext(body, options(smart)).into_offset_iter() {
        if KEEP
            && let Some(events) = kept.as_mut()
            && events.push(&event, body).is_none()
        {
            kept = None;
        }
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                heading = Some((
                    level_number(level),
                    id.map(|id| id.to_string()),
                    String::new(),
                    range.start,
                ));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, custom, text, start)) = heading.take() {
                    let text = text.trim().to_string();
                    let id = match custom {
                        Some(custom) => slugger.reserve(custom),
                        None => slugger.slug(&text),
                    };
                    starts.push(start);
                    outline.headings.push(Heading {
                        level,
                        text,
                        id,
                        position: map.position(&lines, start),
                        section: range.end..body.len(),
                        has_content: false,
                    });
                }
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some((_, _, heading_text, _)) = heading.as_mut() {
                    heading_text.push_str(&text);
                }
                for (_, _, alt) in &mut images {
                    alt.push_str(&text);
                }
            }
            // `<someone@example.com>`: its destination is an address, not a path.
            Event::Start(Tag::Link {
                link_type: LinkType::Email,
                ..
            }) => {}
            Event::Start(Tag::Link { dest_url, .. }) => outline.links.push(Link {
                dest: dest_url.into_string(),
                position: map.position(&lines, range.start),
                image: false,
            }),
            Event::Start(Tag::Image { dest_url, .. }) => {
                let position = map.position(&lines, range.start);
                let dest = dest_url.into_string();
                images.push((range.start, dest.clone(), String::new()));
                outline.links.push(Link {
                    dest,
                    position,
                    image: true,
                });
            }
            Event::End(TagEnd::Image) => {
                if let Some((start, src, alt)) = images.pop()
                    && alt.trim().is_empty()
                {
                    outline.without_alt.push(WithoutAlt {
                        src,
                        position: map.position(&lines, start),
                        html: false,
                    });
                }
            }
            // A tag may span lines, which are separate events of the block: read the
            // block's text at once.
            Event::Start(Tag::HtmlBlock) => {
                in_html_block = true;
                html_images(body, range.clone(), map, &lines, &mut outline.without_alt);
            }
            Event::End(TagEnd::HtmlBlock) => in_html_block = false,
            Event::Html(html) | Event::InlineHtml(html) => {
                if !in_html_block {
                    html_images(body, range, map, &lines, &mut outline.without_alt);
                }
                collect_ids(&html, &mut outline.html_ids)
            }
            _ => {}
        }
    }
    set_sections(&mut outline.headings, &starts, body);
    if let Some(events) = kept.as_mut() {
        events.shrink_to_fit();
    }
    (outline, kept)
}

/// Adds the `<img>` tags without `alt` of the raw HTML at `range` of `body`.
fn html_images(
    body: &str,
    range: std::ops::Range<usize>,
    map: &SourceMap,
    lines: &LineIndex<'_>,
    found: &mut Vec<WithoutAlt>,
) {
    let Some(html) = body.get(range.clone()) else {
        return;
    };
    if !html.contains('<') {
        return;
    }
    found.extend(
        images::without_alt(html)
            .into_iter()
            .map(|image| WithoutAlt {
                src: image.src,
                position: map.position(lines, range.start + image.offset),
                html: true,
            }),
    );
}

/// Ends each heading's section where the next heading of the same or a higher level
/// starts, and says whether it has content.
fn set_sections(headings: &mut [Heading], starts: &[usize], body: &str) {
    for index in 0..headings.len() {
        let level = headings[index].level;
        let end = (index + 1..headings.len())
            .find(|later| headings[*later].level <= level)
            .map_or(body.len(), |later| starts[later]);
        let heading = &mut headings[index];
        heading.section.end = end.max(heading.section.start);
        heading.has_content = has_content(&body[heading.section.clone()]);
    }
}

/// Whether `text` holds anything but whitespace and HTML comments.
fn has_content(text: &str) -> bool {
    let mut rest = text;
    loop {
        let trimmed = rest.trim_start();
        match trimmed.strip_prefix("<!--") {
            Some(comment) => match comment.find("-->") {
                Some(end) => rest = &comment[end + 3..],
                None => return false,
            },
            None => return !trimmed.is_empty(),
        }
    }
}

/// The heading level as a number.
pub fn level_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Collects `id="…"` and `name="…"` attribute values from raw HTML.
fn collect_ids(html: &str, ids: &mut Vec<String>) {
    for attribute in [" id=", " name="] {
        let mut rest = html;
        while let Some(index) = rest.find(attribute) {
            rest = &rest[index + attribute.len()..];
            let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
                continue;
            };
            if let Some(end) = rest[1..].find(quote) {
                ids.push(rest[1..1 + end].to_string());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_get_github_anchors_and_custom_ids() {
        let body = "# Title\n## Retry, with back-off!\n## Retry, with back-off!\n## Custom {#mine}\n<a id=\"raw\"></a>\n";
        let outline = read(body, &SourceMap::default(), false, false).0;
        let ids: Vec<&str> = outline.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "title",
                "retry-with-back-off",
                "retry-with-back-off-1",
                "mine"
            ]
        );
        assert!(outline.has_anchor("raw"));
        assert_eq!(outline.h1(), Some("Title"));
    }

    #[test]
    fn keeping_the_events_reads_the_same_outline() {
        let body = "# T\n\n## A [link](a.md#x)\n\n<a id=\"raw\"></a>\n\n## A\n![i](i.png)\n";
        let (alone, none) = read(body, &SourceMap::default(), true, false);
        let (with, kept) = read(body, &SourceMap::default(), true, true);
        assert!(none.is_none());
        assert!(kept.is_some());
        assert_eq!(format!("{alone:?}"), format!("{with:?}"));
        assert_eq!(with.headings.len(), 3);
        assert_eq!(with.links.len(), 2);
    }

    #[test]
    fn images_without_alt_text_are_found_at_their_position() {
        let body = "# T\n\n![](a.png) ![ ](b.png) ![fine](c.png) ![`code`](d.png) ![![](i.png)](j.png)\n\n<div>\n<img\n  src=\"e.png\">\n<img src=f.png alt=\"\">\n</div>\n\nText <img src=\"g.png\"> and [![](h.png)](x.md).\n";
        let outline = read(body, &SourceMap::default(), false, false).0;
        let found: Vec<(&str, u32, u32, bool)> = outline
            .without_alt
            .iter()
            .map(|image| {
                (
                    image.src.as_str(),
                    image.position.line,
                    image.position.column,
                    image.html,
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                ("a.png", 3, 1, false),
                ("b.png", 3, 12, false),
                ("i.png", 3, 58, false),
                ("j.png", 3, 56, false),
                ("e.png", 6, 1, true),
                ("g.png", 11, 6, true),
                ("h.png", 11, 29, false)
            ]
        );
    }

    #[test]
    fn sections_run_to_the_next_heading_of_the_same_or_a_higher_level() {
        let body =
            "# T\n\n## Empty\n\n<!-- fill in -->\n\n## Parent\n### Child\ntext\n## Last\nend\n";
        let outline = read(body, &SourceMap::default(), false, false).0;
        let found: Vec<(&str, u32, bool)> = outline
            .headings
            .iter()
            .map(|h| (h.text.as_str(), h.position.line, h.has_content))
            .collect();
        assert_eq!(
            found,
            [
                ("T", 1, true),
                ("Empty", 3, false),
                ("Parent", 7, true),
                ("Child", 8, true),
                ("Last", 10, true)
            ]
        );
        let parent = &outline.headings[2];
        assert_eq!(&body[parent.section.clone()], "### Child\ntext\n");
    }
}
