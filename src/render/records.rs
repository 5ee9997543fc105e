//! What templates show of ADRs and runbooks: an ADR's metadata and status banner, a
//! runbook's service, alerts and review state, and the two generated indexes.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::config::Config;
use crate::finding::{Finding, Rule};
use crate::model::link::relative_url;
use crate::model::runbook::Review;
use crate::model::{Adr, Handbook, Index, PageId, Runbook};

/// An ADR as its page and the index show it.
#[derive(Serialize)]
pub struct AdrView<'a> {
    pub label: String,
    pub title: &'a str,
    pub url: String,
    /// As written, or "none".
    pub status: String,
    /// A CSS-safe class: `accepted`, `superseded`, … or `other`.
    pub status_class: &'static str,
    pub date: Option<String>,
    pub deciders: &'a [String],
    pub services: &'a [String],
    pub tags: &'a [String],
    pub supersedes: Vec<AdrLink>,
    pub superseded_by: Option<AdrLink>,
    /// Nygard, adr-tools or MADR.
    pub format: &'static str,
    /// The sentence the status banner says, when the status calls for one.
    pub banner: Option<&'static str>,
}

/// A link to another ADR.
#[derive(Serialize)]
pub struct AdrLink {
    pub label: String,
    pub title: Option<String>,
    /// `None` for a number no ADR has (a finding says so).
    pub url: Option<String>,
}

/// A runbook as its page and the index show it.
#[derive(Serialize)]
pub struct RunbookView<'a> {
    pub title: &'a str,
    pub url: String,
    pub service: Option<&'a str>,
    pub owner: Option<&'a str>,
    pub alerts: &'a [String],
    pub reviewed: Option<String>,
    pub due: Option<String>,
    /// `ok`, `due` (soon), `overdue` or `undated`.
    pub state: &'static str,
}

/// The runbook index: by service, and by alert.
#[derive(Serialize)]
pub struct RunbookIndex<'a> {
    pub by_service: Vec<Group<'a>>,
    pub by_alert: Vec<Group<'a>>,
}

#[derive(Serialize)]
pub struct Group<'a> {
    pub name: String,
    pub runbooks: Vec<RunbookView<'a>>,
}

/// Builds the views for pages written at `at`; made once per build.
pub struct Records<'a> {
    handbook: &'a Handbook,
    config: &'a Config,
    adrs: HashMap<PageId, &'a Adr>,
    by_number: HashMap<u32, &'a Adr>,
    runbooks: HashMap<PageId, &'a Runbook>,
    /// Each file's `stale` finding, which gives a runbook its review state.
    stale: HashMap<&'a str, &'a Finding>,
}

impl<'a> Records<'a> {
    pub fn new(handbook: &'a Handbook, config: &'a Config, findings: &'a [Finding]) -> Records<'a> {
        Records {
            handbook,
            config,
            adrs: handbook.adrs.iter().map(|adr| (adr.page, adr)).collect(),
            by_number: handbook
                .adrs
                .iter()
                .rev()
                .map(|adr| (adr.number, adr))
                .collect(),
            runbooks: handbook.runbooks.iter().map(|r| (r.page, r)).collect(),
            stale: findings
                .iter()
                .filter(|finding| finding.rule == Rule::Stale)
                .map(|finding| (finding.file.as_str(), finding))
                .collect(),
        }
    }

    /// The ADR behind page `id`, as seen from `at`.
    pub fn adr(&self, id: PageId, at: &str) -> Option<AdrView<'a>> {
        Some(self.adr_view(self.adrs.get(&id)?, at))
    }

    /// The runbook behind page `id`, as seen from `at`.
    pub fn runbook(&self, id: PageId, at: &str) -> Option<RunbookView<'a>> {
        Some(self.runbook_view(self.runbooks.get(&id)?, at))
    }

    /// The index page `id` shows, if any.
    pub fn index(&self, id: PageId) -> Option<Index> {
        if let crate::model::PageKind::Index(index) = self.handbook.page(id).kind {
            return Some(index);
        }
        self.handbook
            .indexes
            .iter()
            .find(|(_, page)| *page == id)
            .map(|(index, _)| *index)
    }

    /// Every ADR by number, as seen from `at`.
    pub fn adr_index(&self, at: &str) -> Vec<AdrView<'a>> {
        let mut adrs: Vec<&Adr> = self.handbook.adrs.iter().collect();
        adrs.sort_by(|a, b| (a.number, &a.file).cmp(&(b.number, &b.file)));
        adrs.into_iter().map(|adr| self.adr_view(adr, at)).collect()
    }

    /// Every runbook by service and by alert, as seen from `at`.
    pub fn runbook_index(&self, at: &str) -> RunbookIndex<'a> {
        let mut by_service: BTreeMap<String, Vec<&'a Runbook>> = BTreeMap::new();
        let mut by_alert: BTreeMap<String, Vec<&'a Runbook>> = BTreeMap::new();
        for runbook in &self.handbook.runbooks {
            let service = runbook
                .service
                .clone()
                .unwrap_or_else(|| "(no service)".into());
            by_service.entry(service).or_default().push(runbook);
            for alert in &runbook.alerts {
                by_alert.entry(alert.clone()).or_default().push(runbook);
            }
        }
        let groups = |map: BTreeMap<String, Vec<&'a Runbook>>| -> Vec<Group<'a>> {
            map.into_iter()
                .map(|(name, runbooks)| Group {
                    name,
                    runbooks: runbooks
                        .into_iter()
                        .map(|runbook| self.runbook_view(runbook, at))
                        .collect(),
                })
                .collect()
        };
        RunbookIndex {
            by_service: groups(by_service),
            by_alert: groups(by_alert),
        }
    }

    fn adr_view(&self, adr: &'a Adr, at: &str) -> AdrView<'a> {
        let link = |number: u32| {
            let target = self.by_number.get(&number).copied();
            AdrLink {
                label: target.map_or_else(|| format!("ADR-{number:04}"), Adr::label),
                title: target.map(|other| other.title.clone()),
                url: target.map(|other| relative_url(at, &self.handbook.page(other.page).url)),
            }
        };
        let status = adr.status.clone().unwrap_or_else(|| "none".into());
        let status_class = match status.as_str() {
            "proposed" => "proposed",
            "accepted" => "accepted",
            "rejected" => "rejected",
            "deprecated" => "deprecated",
            "superseded" => "superseded",
            "none" => "none",
            _ => "other",
        };
        let banner = match status_class {
            "proposed" => Some("Proposed: not yet decided."),
            "rejected" => Some("Rejected: this option was considered and not taken."),
            "deprecated" => Some("Deprecated: this decision no longer applies."),
            "superseded" => Some("Superseded: a later decision replaces this one."),
            _ => None,
        };
        AdrView {
            label: adr.label(),
            title: &adr.title,
            url: relative_url(at, &self.handbook.page(adr.page).url),
            status,
            status_class,
            date: adr.date.map(|date| date.to_string()),
            deciders: &adr.deciders,
            services: &adr.services,
            tags: &adr.tags,
            supersedes: adr.supersedes.iter().map(|(n, _)| link(*n)).collect(),
            superseded_by: adr.superseded_by.map(|(n, _)| link(n)),
            format: adr.format.name(),
            banner,
        }
    }

    /// A runbook as seen from `at`.
    pub fn runbook_view(&self, runbook: &'a Runbook, at: &str) -> RunbookView<'a> {
        let review: &Review = &runbook.review;
        let stale = self.stale.get(review.file.as_str());
        let state = match (stale, &review.last_reviewed) {
            (Some(finding), _) if finding.advisory => "due",
            (Some(_), None) => "undated",
            (Some(_), Some(_)) => "overdue",
            (None, None) => "undated",
            (None, Some(_)) => "ok",
        };
        let page = self.handbook.page(runbook.page);
        RunbookView {
            title: &page.title,
            url: relative_url(at, &page.url),
            service: runbook.service.as_deref(),
            owner: runbook.owner.as_deref(),
            alerts: &runbook.alerts,
            reviewed: review.last_reviewed.map(|(date, _)| date.to_string()),
            due: review
                .due(self.config.policy.runbook.max_age)
                .map(|date| date.to_string()),
            state,
        }
    }
}
