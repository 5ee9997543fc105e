//! A markdown page → HTML, from the events the model's pass kept: GitHub anchors on
//! headings (taken from the page's outline), `.md` links pointing at pages, alerts as
//! admonitions, code highlighted, tables wrapped so they scroll on a phone.

use pulldown_cmark::{BlockQuoteKind, CodeBlockKind, CowStr, Event, Tag, TagEnd};

use super::highlight::Highlighter;
use super::print::PrintPage;
use super::{escape, hidden};
use crate::model::link;
use crate::model::{MarkdownPage, PRINT_URL, PageId};

/// Where a page's HTML is written, which decides its heading ids and how its links read.
pub enum Place<'a> {
    /// At site-relative `at`: the page's own url, or the home page's copy at
    /// `index.html`, whose relative links are rebased to stay correct.
    At(&'a str),
    /// Inside the print page, where every chapter's headings share one set of ids and a
    /// link to a chapter of the book becomes a link within the page.
    Print(&'a PrintPage<'a>, PageId),
}

impl Place<'_> {
    fn heading_id(&self, index: usize, id: &str) -> String {
        match self {
            Place::At(_) => id.to_string(),
            Place::Print(print, page) => print.heading_id(*page, index).unwrap_or(id).to_string(),
        }
    }

    /// The link `dest` written on the page whose own url is `from`.
    fn link<'e>(&self, dest: CowStr<'e>, from: &str, source: &str) -> CowStr<'e> {
        if let Place::Print(print, page) = self
            && let Some(inside) = print.link(*page, source, &dest)
        {
            return inside.into();
        }
        let at = match self {
            Place::At(at) => *at,
            Place::Print(..) => PRINT_URL,
        };
        let dest = match link::rewrite(&dest, from) {
            std::borrow::Cow::Borrowed(_) => dest,
            std::borrow::Cow::Owned(rewritten) => rewritten.into(),
        };
        let moved =
            from.rsplit_once('/').map(|(dir, _)| dir) != at.rsplit_once('/').map(|(dir, _)| dir);
        if !moved {
            return dest;
        }
        match link::rebase(&dest, from, at) {
            Some(rebased) => rebased.into(),
            None => dest,
        }
    }
}

/// How the book's markdown reads, from book.toml: the same for every page.
pub struct Markup<'a> {
    /// Smart punctuation, as the outline was read (`[output.html] smart-punctuation`), for
    /// a page whose events were not kept.
    pub smart_punctuation: bool,
    /// Language → the prefix that hides a line (`[output.html.code.hidelines]`).
    pub hidelines: &'a std::collections::BTreeMap<String, String>,
    /// `\\( … \\)` and `\\[ … \\]` rendered as MathML (`[output.html] mathjax-support`).
    pub math: bool,
}

/// The HTML of a page's body, written at `place`.
pub fn to_html(
    page: &MarkdownPage,
    highlighter: &Highlighter,
    place: &Place<'_>,
    markup: &Markup<'_>,
) -> String {
    let body = &page.document.body;
    let source = page.document.path.as_str();
    let from = crate::model::page_url(source);
    let mut headings = page.outline.headings.iter().enumerate();
    let mut code: Option<(String, String)> = None;
    let mut heading_id: Option<String> = None;
    let heading_ids = page
        .outline
        .headings
        .iter()
        .enumerate()
        .map(|(index, heading)| place.heading_id(index, &heading.id));
    // The events the model's pass kept: the page is not parsed again for each place.
    let events = wrap_tables(page.events(markup.smart_punctuation), heading_ids);
    let events = events.filter_map(|event| match event {
        Event::Start(Tag::Heading { level, classes, .. }) => {
            let id = headings
                .next()
                .map(|(index, heading)| place.heading_id(index, &heading.id))
                .unwrap_or_default();
            let class = if classes.is_empty() {
                String::new()
            } else {
                let names: Vec<&str> = classes.iter().map(|c| c.as_ref()).collect();
                format!(" class=\"{}\"", escape(&names.join(" ")))
            };
            let html = format!("<{level} id=\"{}\"{class}>", escape(&id));
            heading_id = Some(id);
            Some(Event::Html(html.into()))
        }
        Event::End(TagEnd::Heading(level)) => {
            let id = heading_id.take().unwrap_or_default();
            Some(Event::Html(
                format!(
                    "<a class=\"heading-anchor\" href=\"#{}\" aria-label=\"Link to this section\">#</a></{level}>\n",
                    escape(&id)
                )
                .into(),
            ))
        }
        Event::Start(Tag::CodeBlock(kind)) => {
            let lang = match kind {
                CodeBlockKind::Fenced(info) => info.into_string(),
                CodeBlockKind::Indented => String::new(),
            };
            code = Some((lang, String::new()));
            None
        }
        Event::Text(text) if code.is_some() => {
            if let Some((_, buffer)) = code.as_mut() {
                buffer.push_str(&text);
            }
            None
        }
        Event::End(TagEnd::CodeBlock) => {
            let (lang, buffer) = code.take().unwrap_or_default();
            let html = match hidden::split(&lang, &buffer, markup.hidelines) {
                Some((shown, lines)) => hidden::wrap(&highlighter.block(&lang, &shown), &lines),
                None => highlighter.block(&lang, &buffer).to_string(),
            };
            // The wrapper holds the copy button the theme's script adds. The block scrolls
            // sideways on its own, so it takes the focus for a keyboard to scroll it.
            let html = html.replacen("<pre class=\"code\">", "<pre class=\"code\" tabindex=\"0\">", 1);
            Some(Event::Html(CowStr::from(format!("<div class=\"code-block\">{html}</div>\n"))))
        }
        Event::Start(Tag::BlockQuote(Some(kind))) => {
            let (class, title) = admonition(kind);
            Some(Event::Html(
                format!("<div class=\"admonition admonition-{class}\" role=\"note\"><p class=\"admonition-title\">{title}</p>\n").into(),
            ))
        }
        Event::End(TagEnd::BlockQuote(Some(_))) => Some(Event::Html("</div>\n".into())),
        Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
            let dest_url = place.link(dest_url, &from, source);
            Some(Event::Start(Tag::Link { link_type, dest_url, title, id }))
        }
        Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
            let dest_url = place.link(dest_url, &from, source);
            Some(Event::Start(Tag::Image { link_type, dest_url, title, id }))
        }
        // A task list's box says what it is: the item's text follows it, outside any label.
        Event::TaskListMarker(done) => Some(Event::InlineHtml(
            if done {
                "<input disabled=\"\" type=\"checkbox\" checked=\"\" aria-label=\"Done\"/>\n"
            } else {
                "<input disabled=\"\" type=\"checkbox\" aria-label=\"To do\"/>\n"
            }
            .into(),
        )),
        // mdBook rewrites `.md` links in raw HTML too.
        Event::Html(html) if html.contains(".md") => {
            Some(Event::Html(html_links(&html, |dest| place.link(dest, &from, source)).into()))
        }
        Event::InlineHtml(html) if html.contains(".md") => {
            Some(Event::InlineHtml(html_links(&html, |dest| place.link(dest, &from, source)).into()))
        }
        other => Some(other),
    });
    // Math in the text events (code blocks are Html by now); a page without any passes through.
    let events = super::math::render(events, markup.math && super::math::delimited(body));
    let mut html = String::with_capacity(body.len() * 3 / 2);
    // Footnotes need the whole page first; most pages have none.
    if body.contains("[^") {
        pulldown_cmark::html::push_html(&mut html, footnotes(events).into_iter());
    } else {
        pulldown_cmark::html::push_html(&mut html, events);
    }
    html
}

/// `html` with the value of each `href="…"` (or `'…'`) attribute passed through `link`.
fn html_links<'e>(html: &str, link: impl Fn(CowStr<'e>) -> CowStr<'e>) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find("href=") {
        let value_start = at + "href=".len();
        let Some(quote) = rest[value_start..]
            .chars()
            .next()
            .filter(|c| *c == '"' || *c == '\'')
        else {
            out.push_str(&rest[..value_start]);
            rest = &rest[value_start..];
            continue;
        };
        let Some(length) = rest[value_start + 1..].find(quote) else {
            break;
        };
        let value = &rest[value_start + 1..value_start + 1 + length];
        out.push_str(&rest[..value_start + 1]);
        // Entities in the attribute (`&amp;`) pass through unchanged: only `.md` paths change.
        out.push_str(&link(CowStr::from(value.to_string())));
        rest = &rest[value_start + 1 + length..];
    }
    out.push_str(rest);
    out
}

/// Footnotes as mdBook 0.5 writes them: references numbered in the order they are first
/// used, each with an id to come back to, and the definitions gathered at the end of the
/// page in that order, each with a `↩` link back to every reference. A definition nothing
/// refers to is left out, as in mdBook.
fn footnotes<'a>(events: impl Iterator<Item = Event<'a>>) -> Vec<Event<'a>> {
    let mut out = Vec::new();
    let mut numbers: Vec<(CowStr<'a>, u32)> = Vec::new();
    let mut definitions: Vec<(CowStr<'a>, Vec<Event<'a>>)> = Vec::new();
    let mut inside: Option<(CowStr<'a>, Vec<Event<'a>>)> = None;
    for event in events {
        match event {
            Event::Start(Tag::FootnoteDefinition(name)) => inside = Some((name, Vec::new())),
            Event::End(TagEnd::FootnoteDefinition) => definitions.extend(inside.take()),
            Event::FootnoteReference(name) => {
                let number = match numbers.iter().position(|(known, _)| *known == name) {
                    Some(index) => {
                        numbers[index].1 += 1;
                        index
                    }
                    None => {
                        numbers.push((name.clone(), 1));
                        numbers.len() - 1
                    }
                };
                let html = format!(
                    "<sup class=\"footnote-reference\" id=\"fr-{name}-{count}\"><a href=\"#footnote-{name}\">{n}</a></sup>",
                    name = escape(&name),
                    count = numbers[number].1,
                    n = number + 1
                );
                match inside.as_mut() {
                    Some((_, events)) => events.push(Event::InlineHtml(html.into())),
                    None => out.push(Event::InlineHtml(html.into())),
                }
            }
            other => match inside.as_mut() {
                Some((_, events)) => events.push(other),
                None => out.push(other),
            },
        }
    }
    if numbers.is_empty() {
        return out;
    }
    out.push(Event::Html(
        "<hr>\n<ol class=\"footnote-definition\">\n".into(),
    ));
    for (name, count) in &numbers {
        let Some(index) = definitions.iter().position(|(defined, _)| defined == name) else {
            continue;
        };
        let (_, mut events) = definitions.swap_remove(index);
        let backlinks: String = (1..=*count)
            .map(|usage| {
                let nth = if usage == 1 {
                    String::new()
                } else {
                    usage.to_string()
                };
                format!(
                    " <a href=\"#fr-{}-{usage}\" class=\"footnote-backref\">↩{nth}</a>",
                    escape(name)
                )
            })
            .collect();
        // At the end of the last paragraph, as mdBook puts them, else after the definition.
        let at = match events.last() {
            Some(Event::End(TagEnd::Paragraph)) => events.len() - 1,
            _ => events.len(),
        };
        events.insert(at, Event::InlineHtml(backlinks.into()));
        out.push(Event::Html(
            format!("<li id=\"footnote-{}\">\n", escape(name)).into(),
        ));
        out.extend(events);
        out.push(Event::Html("</li>\n".into()));
    }
    out.push(Event::Html("</ol>\n".into()));
    out
}

/// Wraps each table in `<div class="table-wrap">` so wide tables scroll on their own. The
/// wrapper can take the focus, so that a keyboard can scroll it, and is a region named by
/// the heading of its section (`heading_ids`, the page's heading ids in order, as written),
/// or "Table" before the first heading.
fn wrap_tables<'a>(
    events: impl Iterator<Item = Event<'a>>,
    mut heading_ids: impl Iterator<Item = String>,
) -> impl Iterator<Item = Event<'a>> {
    let mut section: Option<String> = None;
    events.flat_map(move |event| {
        let pair = match event {
            Event::Start(Tag::Heading { .. }) => {
                section = heading_ids.next().filter(|id| !id.is_empty());
                [Some(event), None]
            }
            Event::Start(Tag::Table(_)) => {
                let name = match &section {
                    Some(id) => format!("aria-labelledby=\"{}\"", escape(id)),
                    None => "aria-label=\"Table\"".to_string(),
                };
                let open =
                    format!("<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" {name}>\n");
                [Some(Event::Html(open.into())), Some(event)]
            }
            Event::End(TagEnd::Table) => [Some(event), Some(Event::Html("</div>\n".into()))],
            other => [Some(other), None],
        };
        pair.into_iter().flatten()
    })
}

fn admonition(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    }
}
