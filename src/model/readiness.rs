//! Readiness: each service's checklist judged against its standard on a given day. A
//! pure function of the handbook and the date; `check` runs it (it needs "today") and
//! turns the results into findings, and `build` writes them to `readiness.json`.
//!
//! The rules (the README's "Service checklists" repeats them):
//! - An item with `verify` passes when its automatic rule holds, else fails; a status
//!   the service gives for it is ignored, except `waived` with a waiver, which exempts a
//!   failing rule as it exempts any item.
//! - Otherwise: not mentioned → unknown; `done` → pass, unless evidence is required and
//!   none of it resolves (fail); `partial`, `todo` → fail; `n/a` with a note → n/a,
//!   without one → fail; `waived` with a complete waiver → exempt until `expires`
//!   (inclusive), fail after; `waived` without a complete waiver → fail; no status → unknown.
//! - Required: the item's tiers include the service's tier.
//! - Score: (pass + exempt) / (items − n/a), per category and overall.
//! - Level: the highest of bronze < silver < gold such that every item of that level
//!   and below is pass, exempt or n/a; else none.

use std::collections::HashSet;

use jiff::civil::Date;

use super::Handbook;
use super::service::{Check, Service, Status, Target};
use super::standard::{Item, Level, Standard, Verify};
use crate::config::Days;

/// An item's result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    Pass,
    Fail,
    Exempt,
    NotApplicable,
    Unknown,
}

impl State {
    pub fn name(self) -> &'static str {
        match self {
            State::Pass => "pass",
            State::Fail => "fail",
            State::Exempt => "exempt",
            State::NotApplicable => "n/a",
            State::Unknown => "unknown",
        }
    }

    /// Whether the item counts as met for the score and the levels.
    pub fn met(self) -> bool {
        matches!(self, State::Pass | State::Exempt)
    }
}

/// `passed` of `applicable` items.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Score {
    pub passed: usize,
    pub applicable: usize,
}

impl Score {
    fn add(&mut self, state: State) {
        if state != State::NotApplicable {
            self.applicable += 1;
        }
        if state.met() {
            self.passed += 1;
        }
    }
}

/// Where a waiver stands on the day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaiverState {
    Valid,
    /// It expires within `warn-before`.
    EndingSoon,
    Expired,
}

/// One item of a service's standard, judged.
#[derive(Clone, Debug)]
pub struct ItemResult {
    pub id: String,
    pub state: State,
    /// Why it has this state, in a sentence's words ("status is todo").
    pub reason: String,
    /// What would make it pass.
    pub fix: String,
    /// The tier requires it.
    pub required: bool,
    /// Before `enforce-from`: a failure is only advisory.
    pub not_yet_enforced: bool,
    pub waiver: Option<WaiverState>,
}

/// When a service's checklist was last reviewed, against `[policy.service] max-age`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Review {
    Current { due: Date },
    DueSoon { due: Date },
    Overdue { due: Date },
    Missing,
}

impl Review {
    pub fn name(self) -> &'static str {
        match self {
            Review::Current { .. } => "current",
            Review::DueSoon { .. } => "due",
            Review::Overdue { .. } => "overdue",
            Review::Missing => "missing",
        }
    }

    pub fn due(self) -> Option<Date> {
        match self {
            Review::Current { due } | Review::DueSoon { due } | Review::Overdue { due } => {
                Some(due)
            }
            Review::Missing => None,
        }
    }
}

/// One service, judged: what `readiness.json` and the report card show.
#[derive(Clone, Debug)]
pub struct Card {
    /// The service's index in `Handbook::services`.
    pub service: usize,
    /// Its standard's index in `Handbook::standards`.
    pub standard: usize,
    /// In the standard's order.
    pub items: Vec<ItemResult>,
    /// Per category, in the standard's order.
    pub categories: Vec<(String, Score)>,
    pub score: Score,
    pub level: Option<Level>,
    /// The next level and the items (ids) that keep the service from it.
    pub next: Option<(Level, Vec<String>)>,
    pub review: Review,
}

/// The day's inputs.
#[derive(Clone, Copy)]
pub struct Day {
    pub today: Date,
    pub warn_before: Days,
    pub max_age: Days,
}

/// Judges every service that has a known standard, in service order.
pub fn evaluate(handbook: &Handbook, day: Day) -> Vec<Card> {
    let facts = Facts::of(handbook);
    handbook
        .services
        .iter()
        .enumerate()
        .filter_map(|(index, service)| {
            let standard = service.standard?;
            Some(card(
                index,
                service,
                standard,
                &handbook.standards[standard],
                &facts,
                day,
            ))
        })
        .collect()
}

/// What the automatic rules read of the handbook, gathered once.
struct Facts<'a> {
    /// Services an accepted ADR lists.
    decided: HashSet<&'a str>,
    /// Services a runbook names.
    runbooks: HashSet<&'a str>,
    probes: &'a crate::load::data::Probes,
}

impl<'a> Facts<'a> {
    fn of(handbook: &'a Handbook) -> Facts<'a> {
        Facts {
            decided: handbook
                .adrs
                .iter()
                .filter(|adr| adr.status.as_deref() == Some("accepted"))
                .flat_map(|adr| adr.services.iter().map(String::as_str))
                .collect(),
            runbooks: handbook
                .runbooks
                .iter()
                .filter_map(|runbook| runbook.service.as_deref())
                .collect(),
            probes: &handbook.probes,
        }
    }
}

fn card(
    index: usize,
    service: &Service,
    standard_index: usize,
    standard: &Standard,
    facts: &Facts<'_>,
    day: Day,
) -> Card {
    let mut items = Vec::new();
    let mut categories = Vec::new();
    let mut score = Score::default();
    for category in &standard.categories {
        let mut category_score = Score::default();
        for item in &category.items {
            let check = service.checks.iter().find(|check| check.id == item.id);
            let result = judge(item, service, check, facts, day);
            category_score.add(result.state);
            score.add(result.state);
            items.push(result);
        }
        categories.push((category.id.clone(), category_score));
    }
    let items_of = |level: Level| {
        standard
            .items()
            .zip(&items)
            .filter(move |(item, _)| item.level <= level)
            .filter(|(_, result)| !result.state.met() && result.state != State::NotApplicable)
            .map(|(_, result)| result.id.clone())
            .collect::<Vec<_>>()
    };
    let mut level = None;
    let mut next = None;
    for candidate in Level::ALL {
        let blocking = items_of(candidate);
        if blocking.is_empty() {
            level = Some(candidate);
        } else {
            next = Some((candidate, blocking));
            break;
        }
    }
    Card {
        service: index,
        standard: standard_index,
        items,
        categories,
        score,
        level,
        next,
        review: review(service, day),
    }
}

fn review(service: &Service, day: Day) -> Review {
    let Some((reviewed, _)) = service.last_reviewed else {
        return Review::Missing;
    };
    let Ok(due) = reviewed.checked_add(jiff::Span::new().days(i64::from(day.max_age.0))) else {
        return Review::Missing;
    };
    let warn_from = due
        .checked_sub(jiff::Span::new().days(i64::from(day.warn_before.0)))
        .unwrap_or(due);
    if day.today > due {
        Review::Overdue { due }
    } else if day.today > warn_from {
        Review::DueSoon { due }
    } else {
        Review::Current { due }
    }
}

fn judge(
    item: &Item,
    service: &Service,
    check: Option<&Check>,
    facts: &Facts<'_>,
    day: Day,
) -> ItemResult {
    let required = item.tiers.contains(&service.tier);
    let mut result = ItemResult {
        id: item.id.clone(),
        state: State::Unknown,
        reason: String::new(),
        fix: String::new(),
        required,
        not_yet_enforced: item.enforce_from.is_some_and(|from| day.today < from),
        waiver: None,
    };
    if let Some(rule) = &item.verify {
        let (holds, reason, fix) = verified(rule, service, facts);
        // A waiver is an approved exception, not a claim that the work is done, so it
        // exempts an automatic rule that fails too (judged below, expiry and all).
        let waived = check.is_some_and(|check| matches!(check.status, Some((Status::Waived, _))));
        if holds || !waived {
            result.state = if holds { State::Pass } else { State::Fail };
            result.reason = reason;
            result.fix = fix;
            return result;
        }
    }
    let Some(check) = check else {
        result.reason = "is not mentioned in the checklist".into();
        result.fix = format!("add `{}:` under `checks:` with its status", item.id);
        return result;
    };
    let evidence_fix = if item.evidence_required {
        "set `status: done` with `evidence:` naming a page (with an optional #section), a repository file or a URL that shows it"
    } else {
        "set `status: done` once it is true; `evidence:` naming a page, repository file or URL lets a reviewer see it"
    };
    let Some((status, _)) = check.status else {
        result.reason = "has no status".into();
        result.fix = evidence_fix.into();
        return result;
    };
    let (state, reason, fix) = match status {
        Status::Done => {
            let resolves = check
                .evidence
                .iter()
                .any(|link| !matches!(link.target, Target::Missing(_)));
            if item.evidence_required && !resolves {
                let reason = if check.evidence.is_empty() {
                    "done, but this item requires evidence and none is given"
                } else {
                    "done, but this item requires evidence and none of it resolves"
                };
                (State::Fail, reason.to_string(), evidence_fix.to_string())
            } else {
                (State::Pass, "done".to_string(), String::new())
            }
        }
        Status::Partial | Status::Todo => (
            State::Fail,
            format!("status is {}", status.name()),
            evidence_fix.to_string(),
        ),
        Status::NotApplicable if check.note.is_some() => (
            State::NotApplicable,
            "does not apply".to_string(),
            String::new(),
        ),
        Status::NotApplicable => (
            State::Fail,
            "n/a without a note saying why".to_string(),
            "add `note:` saying why the item does not apply".to_string(),
        ),
        Status::Waived => match &check.waiver {
            Some(waiver) if day.today > waiver.expires => {
                result.waiver = Some(WaiverState::Expired);
                (
                    State::Fail,
                    format!("its waiver expired on {}", waiver.expires),
                    "do the work and set `status: done`, or have the waiver renewed with a new `expires` date".to_string(),
                )
            }
            Some(waiver) => {
                let warn_from = waiver
                    .expires
                    .checked_sub(jiff::Span::new().days(i64::from(day.warn_before.0)))
                    .unwrap_or(waiver.expires);
                result.waiver = Some(if day.today > warn_from {
                    WaiverState::EndingSoon
                } else {
                    WaiverState::Valid
                });
                (
                    State::Exempt,
                    format!("waived until {}", waiver.expires),
                    String::new(),
                )
            }
            None => (
                State::Fail,
                "waived without a complete waiver".to_string(),
                "give the waiver a `reason`, `approved_by` and `expires` date".to_string(),
            ),
        },
    };
    result.state = state;
    result.reason = reason;
    result.fix = fix;
    result
}

/// Whether an automatic rule holds for a service, why, and what would make it hold.
fn verified(rule: &Verify, service: &Service, facts: &Facts<'_>) -> (bool, String, String) {
    let id = service.id.0.as_str();
    match rule {
        Verify::AlertRunbooks => {
            if service.alerts.is_empty() {
                return (
                    false,
                    "the service declares no alerts".into(),
                    "list its alerts under `alerts:`, each with `runbook:` linking to a runbook section".into(),
                );
            }
            let broken: Vec<&str> = service
                .alerts
                .iter()
                .filter(|alert| {
                    !matches!(
                        alert.runbook.as_ref().map(|link| &link.target),
                        Some(Target::Page { runbook: true, .. })
                    )
                })
                .map(|alert| alert.name.as_str())
                .collect();
            if broken.is_empty() {
                (true, "every alert links to a runbook".into(), String::new())
            } else {
                (
                    false,
                    format!(
                        "{} of {} alerts have no working runbook link ({})",
                        broken.len(),
                        service.alerts.len(),
                        broken.join(", ")
                    ),
                    "give each alert `runbook:` linking to an existing runbook page and section"
                        .into(),
                )
            }
        }
        Verify::AdrExists => match facts.decided.contains(id) {
            true => (
                true,
                "an accepted ADR lists the service".into(),
                String::new(),
            ),
            false => (
                false,
                "no accepted ADR lists the service".into(),
                format!(
                    "record a decision about it: an ADR with `status: accepted` and `services: [{id}]`"
                ),
            ),
        },
        Verify::RunbookExists => match facts.runbooks.contains(id) {
            true => (true, "a runbook names the service".into(), String::new()),
            false => (
                false,
                "no runbook names the service".into(),
                format!("write one: `shipshape new runbook \"TITLE\" --service {id}`"),
            ),
        },
        Verify::FileExists(template) => {
            let path = template.replace("{service}", id);
            match facts.probes.in_repo(path.trim_start_matches('/')) {
                true => (true, format!("`{path}` exists"), String::new()),
                false => (
                    false,
                    format!("`{path}` does not exist"),
                    format!("create `{path}` (relative to the repository root)"),
                ),
            }
        }
    }
}
