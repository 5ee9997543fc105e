//! The service checklists' rules: `readiness` (a required item that fails or is not
//! mentioned), `waiver-expired`, `evidence` (links that do not resolve), `alert-runbook`,
//! `stale` for a checklist's `last_reviewed`, and a `schema` warning for a status given
//! to an item an automatic rule decides. The judging itself is `model::readiness`.

use super::Context;
use super::stale;
use crate::finding::{Cause, Finding, Rule, Severity};
use crate::model::Handbook;
use crate::model::readiness::{self, Card, Day, State, WaiverState};
use crate::model::runbook::Review;
use crate::model::service::{Service, Target};

/// Judges every service and returns the cards with the findings they give.
pub fn check(context: &Context<'_>, handbook: &Handbook) -> (Vec<Card>, Vec<Finding>) {
    let policy = &context.config.policy;
    let day = Day {
        today: context.today,
        warn_before: context.warn_window(),
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
        links(handbook, service, &mut findings);
        let review = Review {
            file: service.file.clone(),
            last_reviewed: service.last_reviewed,
            review_every: None,
            unreadable: service.review_unreadable,
            position: service.at,
            committed: None,
        };
        let start = findings.len();
        stale::judge(
            &review,
            policy.service.max_age,
            "`[policy.service] max-age`",
            "service checklists must say when they were last checked against the service",
            context.today,
            context.warn_window(),
            &mut findings,
        );
        code_drift(context, service, &mut findings);
        for finding in &mut findings[start..] {
            finding.subject = Some(service.id.0.clone());
        }
    }
    (cards, findings)
}

/// `stale` for a service whose `code` globs have commits after the end of its review
/// day (UTC): how many, and the newest one's id, date and subject.
fn code_drift(context: &Context<'_>, service: &Service, findings: &mut Vec<Finding>) {
    let (Some(read), Some((reviewed, at))) = (context.git.history(), service.last_reviewed) else {
        return;
    };
    if service.code.is_empty() {
        return;
    }
    let mut set = globset::GlobSetBuilder::new();
    for pattern in &service.code {
        match globset::GlobBuilder::new(pattern.trim_start_matches('/'))
            .literal_separator(true)
            .build()
        {
            Ok(glob) => {
                set.add(glob);
            }
            Err(err) => findings.push(
                Finding::new(
                    Rule::Schema,
                    &service.file,
                    format!("`code` glob `{pattern}` does not parse: {}", err.kind()),
                )
                .at(service.at)
                .key(format!("code:{pattern}"))
                .help("write globs as in .gitignore, from the git root: `services/payments/**`"),
            ),
        }
    }
    let Ok(set) = set.build() else {
        return;
    };
    let Some(from) = crate::git::review_end(reviewed) else {
        return;
    };
    let commits = read.history.commits_from(from, |path| set.is_match(path));
    let Some(newest) = commits.first() else {
        return;
    };
    let globs = service.code.join(", ");
    let count = match commits.len() {
        1 => "1 commit".to_string(),
        n => format!("{n} commits"),
    };
    let finding = Finding::new(
        Rule::Stale,
        &service.file,
        format!(
            "{count} touched {globs} since the review on {reviewed}, newest {} {} {}",
            newest.short,
            crate::git::day(newest.time),
            newest.subject
        ),
    )
    .at(at)
    .key("code")
    .help(format!(
        "review the checklist against the code as it is now, then set `last_reviewed: {}`",
        context.today
    ));
    findings.push(service.code.iter().fold(finding, |finding, glob| {
        finding.cause(Cause::Code(glob.clone()))
    }));
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
                    findings.push(if expired {
                        finding
                    } else {
                        finding.due(waiver.expires).advisory()
                    });
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
            let finding = check
                .into_iter()
                .flat_map(|check| &check.evidence)
                .filter_map(|link| written_path(handbook, &link.text))
                .fold(finding, |finding, file| finding.cause(Cause::File(file)));
            findings.push(if result.not_yet_enforced {
                match item.enforce_from {
                    Some(from) => finding.due(from).advisory(),
                    None => finding.advisory(),
                }
            } else {
                finding
            });
        }
    }
}

/// The file a link in a checklist names, from the handbook root (`None` for a URL):
/// what `--changed-since` compares.
fn written_path(handbook: &Handbook, text: &str) -> Option<String> {
    if text.contains("://") || text.starts_with("mailto:") {
        return None;
    }
    let path = text.split('#').next().unwrap_or(text);
    match path.strip_prefix('/') {
        Some(from_root) => Some(from_root.to_string()),
        None if path.is_empty() => None,
        None => Some(handbook.display_path(path)),
    }
}

/// `evidence` and `alert-runbook` findings for links that lead nowhere.
fn links(handbook: &Handbook, service: &Service, findings: &mut Vec<Finding>) {
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
                    .causes_from(written_path(handbook, &link.text))
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
                    .causes_from(
                        alert
                            .runbook
                            .as_ref()
                            .and_then(|link| written_path(handbook, &link.text)),
                    )
                    .help("set `runbook:` to a runbook page and the section that answers the alert, such as `runbooks/payments-latency.md#mitigation`; `shipshape new runbook` writes one"),
            );
        }
    }
}
