//! The service checklists' rules: `readiness` (a required item that fails or is not
//! mentioned), `waiver-expired`, `evidence` (links that do not resolve), `alert-runbook`,
//! `stale` for a checklist's `last_reviewed`, and a `schema` warning for a status given
//! to an item an automatic rule decides. The judging itself is `model::readiness`.

use super::Context;
use super::stale;
use crate::finding::{Finding, Rule, Severity};
use crate::model::Handbook;
use crate::model::readiness::{self, Card, Day, State, WaiverState};
use crate::model::runbook::Review;
use crate::model::service::{Service, Target};

/// Judges every service and returns the cards with the findings they give.
pub fn check(context: &Context<'_>, handbook: &Handbook) -> (Vec<Card>, Vec<Finding>) {
    let policy = &context.config.policy;
    let day = Day {
        today: context.today,
        warn_before: policy.warn_before,
        max_age: policy.service.max_age,
    };
    let cards = readiness::evaluate(handbook, day);
    let mut findings: Vec<Finding> = {
        use rayon::prelude::*;
        cards
            .par_iter()
            .flat_map_iter(|card| {
                let mut found = Vec::new();
                items(handbook, card, context, &mut found);
                found
            })
            .collect()
    };
    for service in &handbook.services {
        links(service, &mut findings);
        let review = Review {
            file: service.file.clone(),
            last_reviewed: service.last_reviewed,
            review_every: None,
            unreadable: service.review_unreadable,
            position: service.at,
        };
        let start = findings.len();
        stale::judge(
            &review,
            policy.service.max_age,
            "`[policy.service] max-age`",
            "service checklists must say when they were last checked against the service",
            context.today,
            policy.warn_before,
            &mut findings,
        );
        for finding in &mut findings[start..] {
            finding.subject = Some(service.id.0.clone());
        }
    }
    (cards, findings)
}

fn items(handbook: &Handbook, card: &Card, context: &Context<'_>, findings: &mut Vec<Finding>) {
    let service = &handbook.services[card.service];
    let standard = &handbook.standards[card.standard];
    for (item, result) in standard.items().zip(&card.items) {
        let check = service.checks.iter().find(|check| check.id == item.id);
        let at = check.map_or(service.checks_at, |check| check.at);
        let subject = service.id.0.clone();
        if let (Some(rule), Some((status, status_at))) =
            (&item.verify, check.and_then(|check| check.status))
            && status != crate::model::service::Status::Waived
        {
            findings.push(
                Finding::new(
                    Rule::Schema,
                    &service.file,
                    format!(
                        "`{}` is checked by the automatic rule `{}`; the status `{}` written here is ignored",
                        item.id,
                        rule.name(),
                        status.name()
                    ),
                )
                .severity(Severity::Warning)
                .at(status_at)
                .key(format!("ignored-status:{}", item.id))
                .subject(subject.clone())
                .help(format!("remove `status:` from `{}`: {}", item.id, result.reason)),
            );
        }
        match result.waiver {
            Some(WaiverState::Expired) | Some(WaiverState::EndingSoon) => {
                let waiver = check.and_then(|check| check.waiver.as_ref());
                if let Some(waiver) = waiver {
                    let expired = result.waiver == Some(WaiverState::Expired);
                    let message = if expired {
                        format!(
                            "the waiver of `{}` expired on {}, so the item fails (approved by {})",
                            item.id, waiver.expires, waiver.approved_by
                        )
                    } else {
                        let days = (waiver.expires - context.today).get_days();
                        format!(
                            "the waiver of `{}` expires on {}, in {days} day{}",
                            item.id,
                            waiver.expires,
                            if days == 1 { "" } else { "s" }
                        )
                    };
                    let finding = Finding::new(Rule::WaiverExpired, &service.file, message)
                        .at(waiver.at)
                        .key(format!("{}:{}", if expired { "expired" } else { "ending" }, item.id))
                        .subject(subject.clone())
                        .help(
                            "do the work and set `status: done`, or have the waiver reviewed and set a new `expires` date",
                        );
                    findings.push(if expired { finding } else { finding.advisory() });
                }
            }
            Some(WaiverState::Valid) | None => {}
        }
        if result.required && matches!(result.state, State::Fail | State::Unknown) {
            let enforce = match (result.not_yet_enforced, item.enforce_from) {
                (true, Some(from)) => format!(" (enforced from {from}; a warning until then)"),
                _ => String::new(),
            };
            let finding = Finding::new(
                Rule::Readiness,
                &service.file,
                match result.state {
                    State::Unknown => format!(
                        "`{}` ({}) is required for tier {} but {}{enforce}",
                        item.id, item.title, service.tier, result.reason
                    ),
                    _ => format!(
                        "`{}` ({}) is required for tier {} and fails: {}{enforce}",
                        item.id, item.title, service.tier, result.reason
                    ),
                },
            )
            .at(at)
            .key(item.id.clone())
            .subject(subject)
            .help(result.fix.clone());
            findings.push(if result.not_yet_enforced {
                finding.advisory()
            } else {
                finding
            });
        }
    }
}

/// `evidence` and `alert-runbook` findings for links that lead nowhere.
fn links(service: &Service, findings: &mut Vec<Finding>) {
    let subject = service.id.0.clone();
    for check in &service.checks {
        for link in &check.evidence {
            if let Target::Missing(why) = &link.target {
                findings.push(
                    Finding::new(
                        Rule::Evidence,
                        &service.file,
                        format!("evidence for `{}` does not resolve: {why}", check.id),
                    )
                    .at(link.at)
                    .key(format!("{}:{}", check.id, link.text))
                    .subject(subject.clone())
                    .help("name a page (paths are relative to the content folder, `/` is the handbook root), a section of it with `#anchor`, a repository file, or a URL"),
                );
            }
        }
    }
    for alert in &service.alerts {
        let problem = match alert.runbook.as_ref().map(|link| (&link.target, link)) {
            None => Some((alert.at, format!("alert `{}` has no runbook", alert.name))),
            Some((Target::Missing(why), link)) => Some((
                link.at,
                format!(
                    "the runbook of alert `{}` does not resolve: {why}",
                    alert.name
                ),
            )),
            Some((Target::Page { runbook: false, .. }, link)) => Some((
                link.at,
                format!(
                    "the runbook of alert `{}`, `{}`, is not a runbook (a page in the runbooks folder)",
                    alert.name, link.text
                ),
            )),
            Some((Target::Url | Target::File(_), link)) => Some((
                link.at,
                format!(
                    "the runbook of alert `{}`, `{}`, is not a page of the handbook",
                    alert.name, link.text
                ),
            )),
            Some((Target::Page { runbook: true, .. }, _)) => None,
        };
        if let Some((at, message)) = problem {
            findings.push(
                Finding::new(Rule::AlertRunbook, &service.file, message)
                    .at(at)
                    .key(alert.name.clone())
                    .subject(subject.clone())
                    .help("set `runbook:` to a runbook page and the section that answers the alert, such as `runbooks/payments-latency.md#mitigation`; `shipshape new runbook` writes one"),
            );
        }
    }
}
