//! `stale`: runbooks, and pages under a `[policy.pages."GLOB"] max-age`, whose review
//! is overdue (an error) or falls due within `warn-before` (an advisory warning). A page
//! that must be reviewed but has no `last_reviewed` is a finding too. ADRs never go
//! stale: they record a decision at a date.

use jiff::civil::Date;

use super::Context;
use crate::config::Days;
use crate::finding::{Finding, Rule};
use crate::load::front_matter::Kind;
use crate::model::Handbook;
use crate::model::runbook::Review;

/// A finding for each review that is overdue, due soon or missing.
pub fn check(context: &Context<'_>, handbook: &Handbook) -> Vec<Finding> {
    let policy = &context.config.policy;
    let mut findings = Vec::new();
    for runbook in &handbook.runbooks {
        judge(
            &runbook.review,
            policy.runbook.max_age,
            "`[policy.runbook] max-age`",
            "runbooks must say when they were last checked against reality",
            context.today,
            policy.warn_before,
            &mut findings,
        );
    }
    for (_, page) in handbook.iter() {
        let Some(markdown) = page.markdown() else {
            continue;
        };
        if markdown.document.kind != Kind::Page {
            continue;
        }
        // The strictest of the policies that match the page.
        let Some((max_age, pattern)) = policy
            .pages
            .matching(&markdown.document.path)
            .filter_map(|p| Some((p.max_age?, p.pattern.as_str())))
            .min_by_key(|(max_age, _)| *max_age)
        else {
            continue;
        };
        let shown = handbook.display_path(&markdown.document.path);
        let review = Review::read(markdown, &shown, &mut findings);
        let source = format!("`[policy.pages.\"{pattern}\"] max-age`");
        judge(
            &review,
            max_age,
            &source,
            "pages it matches must say when they were last checked against reality",
            context.today,
            policy.warn_before,
            &mut findings,
        );
    }
    findings
}

/// A finding when `review` is overdue, due within `warn_before`, or has no date.
pub(super) fn judge(
    review: &Review,
    max_age: Days,
    source: &str,
    what: &str,
    today: Date,
    warn_before: Days,
    findings: &mut Vec<Finding>,
) {
    if review.unreadable {
        return; // a `schema` finding says why already
    }
    let Some((reviewed, position)) = review.last_reviewed else {
        findings.push(
            Finding::new(
                Rule::Stale,
                &review.file,
                format!("no review date: {what} ({source} is {max_age})"),
            )
            .key("no-date")
            .at(review.position)
            .help(format!(
                "review it, then add `last_reviewed: {today}` to its front matter"
            )),
        );
        return;
    };
    let interval = match review.review_every {
        Some(every) => format!("{every} (`review_every`)"),
        None => format!("{max_age} ({source})"),
    };
    let Some(due) = review.due(max_age) else {
        return;
    };
    let help =
        format!("review it against how things work today, then set `last_reviewed: {today}`");
    if today > due {
        findings.push(
            Finding::new(
                Rule::Stale,
                &review.file,
                format!("review overdue since {due}: last reviewed {reviewed}, every {interval}"),
            )
            .key("overdue")
            .at(position)
            .help(help),
        );
        return;
    }
    let warn_from = due
        .checked_sub(jiff::Span::new().days(i64::from(warn_before.0)))
        .unwrap_or(due);
    if today > warn_from {
        let days = match (due - today).get_days() {
            0 => "today".to_string(),
            1 => "tomorrow".to_string(),
            days => format!("in {days} days"),
        };
        findings.push(
            Finding::new(
                Rule::Stale,
                &review.file,
                format!("review due {due}, {days}: last reviewed {reviewed}, every {interval}"),
            )
            .key("due")
            .at(position)
            .help(help)
            .advisory(),
        );
    }
}
