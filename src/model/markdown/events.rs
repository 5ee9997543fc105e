//! A page's markdown events as the model's pass met them, kept so that rendering walks
//! them instead of parsing the page again. Compact, because a whole book's events stay
//! in memory until the print page is written: strings are ranges into the page body, or
//! into a side buffer for the few the parser makes itself (smart quotes, decoded
//! entities); the start tags that carry strings or lists are kept out of line. An event
//! takes 12 bytes.

use pulldown_cmark::{
    Alignment, BlockQuoteKind, CodeBlockKind, CowStr, Event, HeadingLevel, LinkType,
    MetadataBlockKind, Tag, TagEnd,
};

/// One page's events, in the order the parser gave them. They read back only against
/// the body they were recorded from (`MarkdownPage` keeps the two together).
#[derive(Debug, Default)]
pub struct Events {
    items: Vec<Item>,
    /// The start tags with strings or lists, by `Item::Rich` index.
    rich: Vec<Rich>,
    /// Strings the parser made rather than borrowed from the body.
    made: String,
}

/// A string of an event: a byte range of the body followed by `Events::made`, so that a
/// range past the body's end is in `made`.
#[derive(Clone, Copy, Debug)]
struct Str {
    start: u32,
    end: u32,
}

#[derive(Clone, Copy, Debug)]
enum Item {
    Start(Plain),
    /// A start tag with strings or a list: `Events::rich[i]`.
    Rich(u32),
    End(TagEnd),
    Text(Str),
    Code(Str),
    InlineMath(Str),
    DisplayMath(Str),
    Html(Str),
    InlineHtml(Str),
    FootnoteReference(Str),
    SoftBreak,
    HardBreak,
    Rule,
    TaskListMarker(bool),
}

/// The start tags that carry nothing but copyable values.
#[derive(Clone, Copy, Debug)]
enum Plain {
    Paragraph,
    BlockQuote(Option<BlockQuoteKind>),
    HtmlBlock,
    Item,
    DefinitionList,
    DefinitionListTitle,
    DefinitionListDefinition,
    TableHead,
    TableRow,
    TableCell,
    Emphasis,
    Strong,
    Strikethrough,
    Superscript,
    Subscript,
    MetadataBlock(MetadataBlockKind),
}

/// The start tags that carry strings or lists.
#[derive(Debug)]
enum Rich {
    Heading {
        level: HeadingLevel,
        id: Option<Str>,
        classes: Vec<Str>,
        attrs: Vec<(Str, Option<Str>)>,
    },
    /// `None` for an indented block, else the fence's info string.
    CodeBlock(Option<Str>),
    List(Option<u64>),
    FootnoteDefinition(Str),
    Table(Vec<Alignment>),
    Link {
        link_type: LinkType,
        dest_url: Str,
        title: Str,
        id: Str,
    },
    Image {
        link_type: LinkType,
        dest_url: Str,
        title: Str,
        id: Str,
    },
}

impl Events {
    /// Room for the events of `body`, by a page's usual bytes per event.
    pub fn for_body(body: &str) -> Events {
        Events {
            items: Vec::with_capacity(body.len() / 24),
            ..Events::default()
        }
    }

    /// Gives back the room `push` did not use: a book's events stay until it is written.
    pub fn shrink_to_fit(&mut self) {
        self.items.shrink_to_fit();
        self.rich.shrink_to_fit();
        self.made.shrink_to_fit();
    }

    /// Appends `event`, met while parsing `body`. `None` when an offset does not fit in
    /// 32 bits (a body of 4 GiB); the caller then keeps no events for the page.
    pub fn push(&mut self, event: &Event<'_>, body: &str) -> Option<()> {
        let item = match event {
            Event::Start(tag) => match plain(tag) {
                Some(plain) => Item::Start(plain),
                None => {
                    let rich = self.rich(tag, body)?;
                    self.rich.push(rich);
                    Item::Rich(u32::try_from(self.rich.len() - 1).ok()?)
                }
            },
            Event::End(end) => Item::End(*end),
            Event::Text(text) => Item::Text(self.keep(text, body)?),
            Event::Code(text) => Item::Code(self.keep(text, body)?),
            Event::InlineMath(text) => Item::InlineMath(self.keep(text, body)?),
            Event::DisplayMath(text) => Item::DisplayMath(self.keep(text, body)?),
            Event::Html(text) => Item::Html(self.keep(text, body)?),
            Event::InlineHtml(text) => Item::InlineHtml(self.keep(text, body)?),
            Event::FootnoteReference(name) => Item::FootnoteReference(self.keep(name, body)?),
            Event::SoftBreak => Item::SoftBreak,
            Event::HardBreak => Item::HardBreak,
            Event::Rule => Item::Rule,
            Event::TaskListMarker(done) => Item::TaskListMarker(*done),
        };
        self.items.push(item);
        Some(())
    }

    /// The events again, borrowing from `body` (the body they were recorded from) and
    /// from `self`.
    pub fn replay<'e>(&'e self, body: &'e str) -> Replay<'e> {
        Replay {
            events: self,
            body,
            next: 0,
        }
    }

    /// `text` as a range of the body when the parser borrowed it from there, else copied
    /// to `made`.
    fn keep(&mut self, text: &str, body: &str) -> Option<Str> {
        // A string inside the body's bytes is a slice of the body.
        let mut start = (text.as_ptr() as usize).wrapping_sub(body.as_ptr() as usize);
        if start > body.len() || text.len() > body.len() - start {
            start = body.len() + self.made.len();
            self.made.push_str(text);
        }
        Some(Str {
            start: u32::try_from(start).ok()?,
            end: u32::try_from(start + text.len()).ok()?,
        })
    }

    fn rich(&mut self, tag: &Tag<'_>, body: &str) -> Option<Rich> {
        Some(match tag {
            Tag::Heading {
                level,
                id,
                classes,
                attrs,
            } => Rich::Heading {
                level: *level,
                id: match id {
                    Some(id) => Some(self.keep(id, body)?),
                    None => None,
                },
                classes: classes
                    .iter()
                    .map(|class| self.keep(class, body))
                    .collect::<Option<_>>()?,
                attrs: attrs
                    .iter()
                    .map(|(name, value)| {
                        let name = self.keep(name, body)?;
                        let value = match value {
                            Some(value) => Some(self.keep(value, body)?),
                            None => None,
                        };
                        Some((name, value))
                    })
                    .collect::<Option<_>>()?,
            },
            Tag::CodeBlock(CodeBlockKind::Indented) => Rich::CodeBlock(None),
            Tag::CodeBlock(CodeBlockKind::Fenced(info)) => {
                Rich::CodeBlock(Some(self.keep(info, body)?))
            }
            Tag::List(start) => Rich::List(*start),
            Tag::FootnoteDefinition(name) => Rich::FootnoteDefinition(self.keep(name, body)?),
            Tag::Table(alignments) => Rich::Table(alignments.clone()),
            Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            } => Rich::Link {
                link_type: *link_type,
                dest_url: self.keep(dest_url, body)?,
                title: self.keep(title, body)?,
                id: self.keep(id, body)?,
            },
            Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            } => Rich::Image {
                link_type: *link_type,
                dest_url: self.keep(dest_url, body)?,
                title: self.keep(title, body)?,
                id: self.keep(id, body)?,
            },
            // `plain` took every other tag.
            Tag::Paragraph
            | Tag::BlockQuote(_)
            | Tag::HtmlBlock
            | Tag::Item
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::TableHead
            | Tag::TableRow
            | Tag::TableCell
            | Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::MetadataBlock(_) => return None,
        })
    }
}

/// The start tag as a `Plain`, when it carries no strings or lists.
fn plain(tag: &Tag<'_>) -> Option<Plain> {
    Some(match tag {
        Tag::Paragraph => Plain::Paragraph,
        Tag::BlockQuote(kind) => Plain::BlockQuote(*kind),
        Tag::HtmlBlock => Plain::HtmlBlock,
        Tag::Item => Plain::Item,
        Tag::DefinitionList => Plain::DefinitionList,
        Tag::DefinitionListTitle => Plain::DefinitionListTitle,
        Tag::DefinitionListDefinition => Plain::DefinitionListDefinition,
        Tag::TableHead => Plain::TableHead,
        Tag::TableRow => Plain::TableRow,
        Tag::TableCell => Plain::TableCell,
        Tag::Emphasis => Plain::Emphasis,
        Tag::Strong => Plain::Strong,
        Tag::Strikethrough => Plain::Strikethrough,
        Tag::Superscript => Plain::Superscript,
        Tag::Subscript => Plain::Subscript,
        Tag::MetadataBlock(kind) => Plain::MetadataBlock(*kind),
        Tag::Heading { .. }
        | Tag::CodeBlock(_)
        | Tag::List(_)
        | Tag::FootnoteDefinition(_)
        | Tag::Table(_)
        | Tag::Link { .. }
        | Tag::Image { .. } => return None,
    })
}

/// A page's kept events read back, in order.
pub struct Replay<'e> {
    events: &'e Events,
    body: &'e str,
    next: usize,
}

impl<'e> Replay<'e> {
    fn str(&self, text: Str) -> CowStr<'e> {
        let (start, end) = (text.start as usize, text.end as usize);
        let found = match end.checked_sub(self.body.len()) {
            Some(past) if past > 0 => self
                .events
                .made
                .get(start.saturating_sub(self.body.len())..past),
            _ => self.body.get(start..end),
        };
        // Always found: the events are read against the body they were recorded from.
        CowStr::Borrowed(found.unwrap_or_default())
    }

    fn rich(&self, rich: &Rich) -> Tag<'e> {
        match rich {
            Rich::Heading {
                level,
                id,
                classes,
                attrs,
            } => Tag::Heading {
                level: *level,
                id: id.map(|id| self.str(id)),
                classes: classes.iter().map(|class| self.str(*class)).collect(),
                attrs: attrs
                    .iter()
                    .map(|(name, value)| (self.str(*name), value.map(|value| self.str(value))))
                    .collect(),
            },
            Rich::CodeBlock(None) => Tag::CodeBlock(CodeBlockKind::Indented),
            Rich::CodeBlock(Some(info)) => Tag::CodeBlock(CodeBlockKind::Fenced(self.str(*info))),
            Rich::List(start) => Tag::List(*start),
            Rich::FootnoteDefinition(name) => Tag::FootnoteDefinition(self.str(*name)),
            Rich::Table(alignments) => Tag::Table(alignments.clone()),
            Rich::Link {
                link_type,
                dest_url,
                title,
                id,
            } => Tag::Link {
                link_type: *link_type,
                dest_url: self.str(*dest_url),
                title: self.str(*title),
                id: self.str(*id),
            },
            Rich::Image {
                link_type,
                dest_url,
                title,
                id,
            } => Tag::Image {
                link_type: *link_type,
                dest_url: self.str(*dest_url),
                title: self.str(*title),
                id: self.str(*id),
            },
        }
    }
}

impl<'e> Iterator for Replay<'e> {
    type Item = Event<'e>;

    fn next(&mut self) -> Option<Event<'e>> {
        let item = *self.events.items.get(self.next)?;
        self.next += 1;
        Some(match item {
            Item::Start(plain) => Event::Start(match plain {
                Plain::Paragraph => Tag::Paragraph,
                Plain::BlockQuote(kind) => Tag::BlockQuote(kind),
                Plain::HtmlBlock => Tag::HtmlBlock,
                Plain::Item => Tag::Item,
                Plain::DefinitionList => Tag::DefinitionList,
                Plain::DefinitionListTitle => Tag::DefinitionListTitle,
                Plain::DefinitionListDefinition => Tag::DefinitionListDefinition,
                Plain::TableHead => Tag::TableHead,
                Plain::TableRow => Tag::TableRow,
                Plain::TableCell => Tag::TableCell,
                Plain::Emphasis => Tag::Emphasis,
                Plain::Strong => Tag::Strong,
                Plain::Strikethrough => Tag::Strikethrough,
                Plain::Superscript => Tag::Superscript,
                Plain::Subscript => Tag::Subscript,
                Plain::MetadataBlock(kind) => Tag::MetadataBlock(kind),
            }),
            // Always there: `push` adds the tag before the item that names it.
            Item::Rich(index) => Event::Start(
                self.events
                    .rich
                    .get(index as usize)
                    .map_or(Tag::Paragraph, |rich| self.rich(rich)),
            ),
            Item::End(end) => Event::End(end),
            Item::Text(text) => Event::Text(self.str(text)),
            Item::Code(text) => Event::Code(self.str(text)),
            Item::InlineMath(text) => Event::InlineMath(self.str(text)),
            Item::DisplayMath(text) => Event::DisplayMath(self.str(text)),
            Item::Html(text) => Event::Html(self.str(text)),
            Item::InlineHtml(text) => Event::InlineHtml(self.str(text)),
            Item::FootnoteReference(name) => Event::FootnoteReference(self.str(name)),
            Item::SoftBreak => Event::SoftBreak,
            Item::HardBreak => Event::HardBreak,
            Item::Rule => Event::Rule,
            Item::TaskListMarker(done) => Event::TaskListMarker(done),
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.events.items.len() - self.next;
        (left, Some(left))
    }
}

#[cfg(test)]
mod tests {
    use pulldown_cmark::Parser;

    use super::*;
    use crate::model::markdown::options;

    /// Every construct the options turn on, and strings the parser makes itself.
    const EVERYTHING: &str = r#"---
title: x
---
# Title {#custom .wide data-x=1}

Plain *em* **strong** ~~gone~~ `code` "quoted" -- dash... &amp; &copy; &#x41; \*escaped\*
a hard break  
and a soft one. <span id="inline">html</span> <someone@example.com> <https://example.com>

> [!WARNING]
> An alert.

> A quote.

- [ ] todo
- [x] done

3. three
4. four

| left | centre | right | none |
| :--- | :---: | ---: | --- |
| a | b | c | d |

Term
: Definition

[inline](other.md#part "Title") ![image](pic.png 'Alt title') [ref][r] [collapsed][] [shortcut]
A footnote[^note] and again[^note].

[^note]: The note, with *emphasis*.

[r]: https://example.com/ref
[collapsed]: /collapsed.md
[shortcut]: <with space.md>

```rust,ignore
fn main() {}
```

    indented code

<div class="block">
raw block
</div>

***

## Heading with `code` and &lt;entity&gt;
"#;

    fn same_events(body: &str, smart: bool) {
        let mut events = Events::default();
        let parsed: Vec<Event<'_>> = Parser::new_ext(body, options(smart)).collect();
        for event in &parsed {
            events.push(event, body).expect("fits in 32 bits");
        }
        let replayed: Vec<Event<'_>> = events.replay(body).collect();
        assert_eq!(parsed, replayed);
    }

    #[test]
    fn replayed_events_are_the_parsed_events() {
        for smart in [false, true] {
            same_events(EVERYTHING, smart);
            same_events("", smart);
        }
    }

    #[test]
    fn strings_the_parser_makes_are_copied_and_the_rest_borrowed() {
        let body = "\"Quoted\" &amp; plain";
        let mut events = Events::default();
        for event in Parser::new_ext(body, options(true)) {
            events.push(&event, body).expect("fits in 32 bits");
        }
        // The smart quotes and the decoded `&` are made; the words are the body's.
        assert_eq!(events.made, "“”&");
        assert_eq!(std::mem::size_of::<Item>(), 12);
    }

    /// The bundled handbook and every fixture, as a corpus of real pages.
    #[test]
    fn replay_matches_the_parser_on_every_page_of_the_repository() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut pages = 0;
        for folder in ["content", "tests/fixtures"] {
            for entry in walkdir::WalkDir::new(root.join(folder)) {
                let entry = entry.expect("the repository is readable");
                if entry.path().extension().is_some_and(|ext| ext == "md") {
                    let body = std::fs::read_to_string(entry.path()).unwrap_or_default();
                    same_events(&body, true);
                    same_events(&body, false);
                    pages += 1;
                }
            }
        }
        assert!(pages > 50, "only {pages} pages found");
    }
}
