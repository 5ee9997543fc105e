//! A markdown page → HTML: GitHub anchors on headings (taken from the page's outline),
//! `.md` links pointing at pages, alerts as admonitions, code highlighted, tables
//! wrapped so they scroll on a phone.

use pulldown_cmark::{BlockQuoteKind, CodeBlockKind, CowStr, Event, Parser, Tag, TagEnd};

use super::highlight::Highlighter;
use super::{escape, hidden};
use crate::model::MarkdownPage;
use crate::model::link;
use crate::model::markdown::options;

/// The HTML of a page's body, written at site-relative `at` (its own url, or the home
/// page's copy at `index.html`, whose relative links are rebased to stay correct).
pub fn to_html(page: &MarkdownPage, highlighter: &Highlighter, at: &str) -> String {
    let body = &page.document.body;
    let from = crate::model::page_url(&page.document.path);
    let moved =
        from.rsplit_once('/').map(|(dir, _)| dir) != at.rsplit_once('/').map(|(dir, _)| dir);
    fn place<'e>(dest: CowStr<'e>, from: &str, at: &str, moved: bool) -> CowStr<'e> {
        let dest = match link::rewrite(&dest, from) {
            std::borrow::Cow::Borrowed(_) => dest,
            std::borrow::Cow::Owned(rewritten) => rewritten.into(),
        };
        if !moved {
            return dest;
        }
        match link::rebase(&dest, from, at) {
            Some(rebased) => rebased.into(),
            None => dest,
        }
    }
    let mut headings = page.outline.headings.iter();
    let mut code: Option<(String, String)> = None;
    let mut heading_id: Option<String> = None;
    let events = Parser::new_ext(body, options()).filter_map(|event| match event {
        Event::Start(Tag::Heading { level, classes, .. }) => {
            let id = headings.next().map(|heading| heading.id.clone()).unwrap_or_default();
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
            let html = match hidden::split(&lang, &buffer) {
                Some((shown, lines)) => hidden::wrap(&highlighter.block(&lang, &shown), &lines),
                None => highlighter.block(&lang, &buffer).to_string(),
            };
            // The wrapper holds the copy button the theme's script adds.
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
            Some(Event::Start(Tag::Link { link_type, dest_url: place(dest_url, &from, at, moved), title, id }))
        }
        Event::Start(Tag::Image { link_type, dest_url, title, id }) if moved => {
            Some(Event::Start(Tag::Image { link_type, dest_url: place(dest_url, &from, at, moved), title, id }))
        }
        other => Some(other),
    });
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, wrap_tables(events));
    html
}

/// Wraps each table in `<div class="table-wrap">` so wide tables scroll on their own.
fn wrap_tables<'a>(events: impl Iterator<Item = Event<'a>>) -> impl Iterator<Item = Event<'a>> {
    events.flat_map(|event| {
        let pair = match event {
            Event::Start(Tag::Table(_)) => [
                Some(Event::Html("<div class=\"table-wrap\">\n".into())),
                Some(event),
            ],
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
