//! A team's page: its services, their failing required items, its runbooks and ADRs,
//! the reviews falling due, and its contacts.

use serde::Serialize;

use std::collections::HashSet;

use super::{Row, Views};
use crate::model::link::relative_url;
use crate::model::readiness::{Card, Review, State};
use crate::model::team::Team;
use crate::render::records::{Records, RunbookView};

/// A team's page.
#[derive(Serialize)]
pub struct TeamView<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub chat: Option<Contact<'a>>,
    pub escalation: Option<Contact<'a>>,
    pub declared: bool,
    pub dashboard_url: String,
    pub services: Vec<Row<'a>>,
    pub failing: Vec<Failing<'a>>,
    pub runbooks: Vec<RunbookView<'a>>,
    pub adrs: Vec<AdrRow<'a>>,
    pub due: Vec<Due<'a>>,
}

/// A contact: its text, and a link when it is a web or mail address.
#[derive(Serialize)]
pub struct Contact<'a> {
    pub text: &'a str,
    pub href: Option<&'a str>,
}

/// A required item that fails or is unknown.
#[derive(Serialize)]
pub struct Failing<'a> {
    pub service: &'a str,
    pub service_url: String,
    pub item: &'a str,
    pub title: &'a str,
    pub state: &'static str,
    pub reason: &'a str,
    /// Before its `enforce-from` date: advisory only.
    pub not_yet_enforced: bool,
}

#[derive(Serialize)]
pub struct AdrRow<'a> {
    pub label: String,
    pub title: &'a str,
    pub url: String,
    pub status: &'a str,
    pub services: Vec<&'a str>,
}

/// A review falling due: a service checklist's or a runbook's.
#[derive(Serialize)]
pub struct Due<'a> {
    pub kind: &'static str,
    pub title: &'a str,
    pub url: String,
    /// `YYYY-MM-DD`, or `None` for a missing review date.
    pub due: Option<String>,
    /// `overdue`, `due` (soon) or `undated`.
    pub state: &'static str,
}

impl<'a> Views<'a> {
    pub(super) fn team(&self, index: usize, at: &str, records: &Records<'a>) -> TeamView<'a> {
        let handbook = self.handbook;
        let team: &'a Team = &handbook.teams.teams[index];
        let categories = self.categories();
        let cards: Vec<&'a Card> = self
            .cards
            .iter()
            .filter(|card| {
                handbook.services[card.service].owner.as_deref() == Some(team.id.as_str())
            })
            .collect();
        let ids: HashSet<&str> = cards
            .iter()
            .map(|card| handbook.services[card.service].id.0.as_str())
            .collect();
        let mut failing = Vec::new();
        let mut due = Vec::new();
        for card in &cards {
            let service = &handbook.services[card.service];
            for (item, result) in self.standard(card).items().zip(&card.items) {
                if result.required && matches!(result.state, State::Fail | State::Unknown) {
                    failing.push(Failing {
                        service: &service.id.0,
                        service_url: self.card_url(card, at),
                        item: &result.id,
                        title: &item.title,
                        state: result.state.name(),
                        reason: &result.reason,
                        not_yet_enforced: result.not_yet_enforced,
                    });
                }
            }
            let state = match card.review {
                Review::Overdue { .. } => Some("overdue"),
                Review::DueSoon { .. } => Some("due"),
                Review::Missing => Some("undated"),
                Review::Current { .. } => None,
            };
            if let Some(state) = state {
                due.push(Due {
                    kind: "service",
                    title: service.title.as_deref().unwrap_or(&service.id.0),
                    url: self.card_url(card, at),
                    due: card.review.due().map(|date| date.to_string()),
                    state,
                });
            }
        }
        let runbooks: Vec<RunbookView<'a>> = handbook
            .runbooks
            .iter()
            .filter(|runbook| {
                runbook.owner.as_deref() == Some(team.id.as_str())
                    || runbook
                        .service
                        .as_deref()
                        .is_some_and(|service| ids.contains(service))
            })
            .map(|runbook| records.runbook_view(runbook, at))
            .collect();
        for runbook in &runbooks {
            if matches!(runbook.state, "due" | "overdue" | "undated") {
                due.push(Due {
                    kind: "runbook",
                    title: runbook.title,
                    url: runbook.url.clone(),
                    due: runbook.due.clone(),
                    state: runbook.state,
                });
            }
        }
        // Undated first: they are the most overdue of all.
        due.sort_by(|a, b| (&a.due, a.kind, a.title).cmp(&(&b.due, b.kind, b.title)));
        let mut adrs: Vec<_> = handbook
            .adrs
            .iter()
            .filter(|adr| adr.services.iter().any(|s| ids.contains(s.as_str())))
            .collect();
        adrs.sort_by_key(|adr| (adr.number, &adr.file));
        let contact = |text: &'a Option<String>| {
            text.as_deref().map(|text| Contact {
                text,
                href: ["https://", "http://", "mailto:"]
                    .iter()
                    .any(|scheme| text.starts_with(scheme))
                    .then_some(text),
            })
        };
        TeamView {
            id: &team.id,
            name: &team.name,
            chat: contact(&team.chat),
            escalation: contact(&team.escalation),
            declared: handbook.teams.file.is_some(),
            dashboard_url: relative_url(at, &format!("{}/index.html", crate::model::SERVICES_DIR)),
            services: cards
                .iter()
                .map(|card| self.row(card, &categories, at))
                .collect(),
            failing,
            runbooks,
            adrs: adrs
                .into_iter()
                .map(|adr| AdrRow {
                    label: adr.label(),
                    title: &adr.title,
                    url: relative_url(at, &handbook.page(adr.page).url),
                    status: adr.status.as_deref().unwrap_or("none"),
                    services: adr
                        .services
                        .iter()
                        .map(String::as_str)
                        .filter(|s| ids.contains(s))
                        .collect(),
                })
                .collect(),
            due,
        }
    }
}
