//! What search knows of each page: its title, a line of metadata, and its text by
//! section, taken from the model (never from the rendered HTML, so the sidebar, top bar
//! and footer are never indexed, and the text is load's, credentials already redacted).

use std::collections::HashMap;

use pulldown_cmark::{Event, Tag, TagEnd};
use serde::Serialize;

use crate::model::readiness::Card;
use crate::model::{Handbook, NOT_FOUND_URL, PageId, PageKind};

/// A document's text stored for snippets is cut at this many bytes: past it, a match
/// still finds the page, the snippet then comes from the title or the first sections.
const MOST_TEXT: usize = 24_000;

/// One page as search stores it (`search/d/<n>.js`) and indexes it.
#[derive(Serialize)]
pub struct Doc {
    /// The page, from the site root.
    #[serde(rename = "u")]
    pub url: String,
    #[serde(rename = "t")]
    pub title: String,
    /// What kind of record the page is ("ADR", "Runbook", "Service", "Team"), or empty.
    #[serde(rename = "k")]
    pub kind: &'static str,
    /// A line of the record's fields (id, status, owner, alerts), or empty.
    #[serde(rename = "m")]
    pub meta: String,
    /// The sections: the text before the first heading of level 2 or deeper first.
    #[serde(rename = "s")]
    pub sections: Vec<Section>,
}

/// A stretch of a page under one heading.
#[derive(Serialize)]
pub struct Section {
    /// The heading's text; empty for the page's opening.
    #[serde(rename = "h")]
    pub heading: String,
    /// The heading's anchor; empty for the page's opening.
    #[serde(rename = "a")]
    pub anchor: String,
    #[serde(rename = "x")]
    pub text: String,
}

/// Everything `doc` holds, hashed: equal keys, equal terms and script data.
pub fn key(doc: &Doc) -> crate::cache::Fp {
    let mut hasher = crate::cache::Hasher::new();
    hasher
        .part(&doc.url)
        .part(&doc.title)
        .part(doc.kind)
        .part(&doc.meta)
        .number(doc.sections.len() as u128);
    for section in &doc.sections {
        hasher
            .part(&section.heading)
            .part(&section.anchor)
            .part(&section.text);
    }
    hasher.finish()
}

/// Every page that search finds, in page order: markdown pages, report cards, team
/// pages and the generated indexes by title. Not the docs-health page, the print page
/// or the not-found page.
pub fn collect(handbook: &Handbook, cards: &[Card]) -> Vec<Doc> {
    use rayon::prelude::*;
    let records = Records {
        adrs: handbook.adrs.iter().map(|adr| (adr.page, adr)).collect(),
        runbooks: handbook.runbooks.iter().map(|r| (r.page, r)).collect(),
    };
    (0..handbook.pages.len())
        .into_par_iter()
        .filter_map(|id| document(handbook, cards, &records, PageId(id)))
        .collect()
}

/// The ADRs and runbooks by page.
struct Records<'a> {
    adrs: HashMap<PageId, &'a crate::model::Adr>,
    runbooks: HashMap<PageId, &'a crate::model::Runbook>,
}

fn document(handbook: &Handbook, cards: &[Card], records: &Records<'_>, id: PageId) -> Option<Doc> {
    let page = handbook.page(id);
    if page.url == NOT_FOUND_URL {
        return None;
    }
    let mut doc = Doc {
        url: page.url.clone(),
        title: page.title.clone(),
        kind: "",
        meta: String::new(),
        sections: Vec::new(),
    };
    match &page.kind {
        PageKind::Markdown(markdown) => {
            doc.sections = sections(markdown, handbook.smart_punctuation);
            if let Some(adr) = records.adrs.get(&id) {
                doc.kind = "ADR";
                let mut fields = vec![format!("ADR {}", adr.digits)];
                fields.extend(adr.status.clone());
                fields.extend(adr.date.map(|date| date.to_string()));
                fields.extend(adr.deciders.iter().cloned());
                fields.extend(adr.services.iter().cloned());
                fields.extend(adr.tags.iter().cloned());
                doc.meta = fields.join(" · ");
            } else if let Some(runbook) = records.runbooks.get(&id) {
                doc.kind = "Runbook";
                let mut fields: Vec<String> = Vec::new();
                fields.extend(runbook.service.clone());
                fields.extend(runbook.owner.clone());
                fields.extend(runbook.alerts.iter().cloned());
                doc.meta = fields.join(" · ");
            }
        }
        PageKind::Service(index) => {
            let service = &handbook.services[*index];
            doc.kind = "Service";
            let card = cards.iter().find(|card| card.service == *index);
            let mut fields = vec![service.id.0.clone()];
            fields.extend(service.owner.clone());
            fields.push(format!("tier {}", service.tier));
            if let Some(card) = card {
                fields.push(card.level.map_or("no level", |level| level.name()).into());
            }
            // The alerts are in a section of their own, so that for an alert's name its
            // runbook (which has it in its fields) comes before the service.
            doc.meta = fields.join(" · ");
            if !service.alerts.is_empty() {
                doc.sections.push(Section {
                    heading: "Alerts".into(),
                    anchor: String::new(),
                    text: service
                        .alerts
                        .iter()
                        .map(|alert| match &alert.runbook {
                            Some(link) => format!("{} → {}", alert.name, link.text),
                            None => alert.name.clone(),
                        })
                        .collect::<Vec<_>>()
                        .join(" · "),
                });
            }
            let checks: Vec<String> = service
                .checks
                .iter()
                .map(|check| {
                    let status = check.status.map_or("", |(status, _)| status.name());
                    match &check.note {
                        Some(note) => format!("{} {status}: {note}", check.id),
                        None => format!("{} {status}", check.id),
                    }
                })
                .collect();
            if !checks.is_empty() {
                doc.sections.push(Section {
                    heading: "Checklist".into(),
                    anchor: String::new(),
                    text: checks.join(" · "),
                });
            }
        }
        PageKind::Team(index) => {
            let team = &handbook.teams.teams[*index];
            doc.kind = "Team";
            let mut fields = vec![team.id.clone()];
            let owned = handbook
                .services
                .iter()
                .filter(|service| service.owner.as_deref() == Some(team.id.as_str()))
                .map(|service| service.id.0.clone());
            fields.extend(owned);
            doc.meta = fields.join(" · ");
        }
        PageKind::Index(_) | PageKind::Waivers => {}
        PageKind::Health | PageKind::Print | PageKind::NotFound => return None,
    }
    Some(doc)
}

/// The page's text by section, split at headings of level 2 or deeper; code blocks and
/// raw HTML left out.
fn sections(page: &crate::model::MarkdownPage, smart: bool) -> Vec<Section> {
    let headings = &page.outline.headings;
    let mut sections = vec![Section {
        heading: String::new(),
        anchor: String::new(),
        text: String::new(),
    }];
    let mut heading_index = 0;
    let mut in_heading = false;
    let mut in_code = false;
    let mut stored = 0;
    for event in page.events(smart) {
        match event {
            Event::Start(Tag::Heading { .. }) => {
                in_heading = true;
                if let Some(heading) = headings.get(heading_index)
                    && heading.level >= 2
                {
                    sections.push(Section {
                        heading: heading.text.clone(),
                        anchor: heading.id.clone(),
                        text: String::new(),
                    });
                }
                heading_index += 1;
            }
            Event::End(TagEnd::Heading(_)) => in_heading = false,
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(text)
            | Event::Code(text)
            | Event::InlineMath(text)
            | Event::DisplayMath(text)
                if !in_heading && !in_code && stored < MOST_TEXT =>
            {
                let section = sections.last_mut().expect("the opening section");
                section.text.push_str(&text);
                stored += text.len();
            }
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(
                TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_)
                | TagEnd::FootnoteDefinition
                | TagEnd::DefinitionListTitle
                | TagEnd::DefinitionListDefinition,
            ) => {
                let section = sections.last_mut().expect("the opening section");
                if !section.text.is_empty() && !section.text.ends_with(' ') {
                    section.text.push(' ');
                }
            }
            _ => {}
        }
    }
    for section in &mut sections {
        let trimmed = section.text.trim_end().len();
        section.text.truncate(trimmed);
    }
    if sections.len() > 1 && sections[0].text.is_empty() {
        sections.remove(0);
    }
    sections
}
