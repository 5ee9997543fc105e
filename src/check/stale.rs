//! `stale`: runbooks, and pages under a `[policy.pages."GLOB"] max-age`, whose review
//! is overdue (an error) or falls due within `warn-before` (an advisory warning). A page
//! that must be reviewed but has no `last_reviewed` is a finding too, unless `[policy]
//! git` gives it its file's last commit date. ADRs never go stale: they record a
//! decision at a date.

use jiff::civil::Date;

use super::Context;
use crate::config::Days;
use crate::finding::{Finding, Rule};
use crate::git::{Git, Unavailable};
use crate::load::front_matter::Kind;
use crate::model::Handbook;
use crate::model::runbook::Review;

/// A finding for each review that is overdue, due soon or missing.
pub fn check(context: &Context<'_>, handbook: &Handbook) -> Vec<Finding> {
    let policy = &context.config.policy;
    let mut findings = Vec::new();
    // The reviews git could not date (a shallow clone), for the one warning that says so.
    let mut undated = Vec::new();
    for runbook in &handbook.runbooks {
        let Some(review) = dated(&runbook.review, context.git, &mut undated) else {
            continue;
        };
        judge(
            &review,
            policy.runbook.max_age,
            "`[policy.runbook] max-age`",
            "runbooks must say when they were last checked against reality",
            context.today,
            context.warn_window(),
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
        let Some(review) = dated(&review, context.git, &mut undated) else {
            continue;
        };
        let source = format!("`[policy.pages.\"{pattern}\"] max-age`");
        judge(
            &review,
            max_age,
            &source,
            "pages it matches must say when they were last checked against reality",
            context.today,
            context.warn_window(),
            &mut findings,
        );
    }
    findings.extend(unavailable(context, handbook, &undated));
    findings
}

/// `review`, dated by its file's last commit when it has no `last_reviewed` and git
/// history is read; `None` when git should date it but cannot (a shallow clone), so that
/// no finding rests on a wrong or missing date: `undated` collects those files.
fn dated(review: &Review, git: &Git, undated: &mut Vec<String>) -> Option<Review> {
    if review.last_reviewed.is_some() || review.unreadable {
        return Some(review.clone());
    }
    match git {
        Git::Off | Git::Unavailable(Unavailable::Outside) => Some(review.clone()),
        Git::Unavailable(_) => {
            undated.push(review.file.clone());
            None
        }
        Git::Read(read) => {
            let Some(commit) = read.last_commit(&review.file) else {
                return Some(review.clone()); // never committed: no date to take
            };
            Some(Review {
                last_reviewed: Some((crate::git::day(commit.time), review.position)),
                committed: Some(commit.short.clone()),
                ..review.clone()
            })
        }
    }
}

/// The one warning when `[policy] git = true` but the history cannot be used: what was
/// not computed because of it, and how to fix it. Advisory, so that a shallow CI clone
/// never fails a run by itself.
fn unavailable(context: &Context<'_>, handbook: &Handbook, undated: &[String]) -> Option<Finding> {
    let Git::Unavailable(why) = context.git else {
        return None;
    };
    let coded: Vec<&str> = handbook
        .services
        .iter()
        .filter(|service| !service.code.is_empty())
        .map(|service| service.id.0.as_str())
        .collect();
    let (message, help, key) = match why {
        Unavailable::Outside => (
            "`[policy] git = true`, but the handbook is not in a git repository: no review date was taken from commits, no service's `code` was compared with its review, and pages show no \"Last updated\" date".to_string(),
            "run shipshape in a clone of the repository, or set `git = false` in book.toml's [policy]".to_string(),
            "git-outside",
        ),
        Unavailable::Shallow { .. } | Unavailable::Broken { .. } => {
            let mut missed = Vec::new();
            if !undated.is_empty() {
                missed.push(format!(
                    "the review dates of {} without `last_reviewed` ({})",
                    plural(undated.len(), "page"),
                    listed(undated)
                ));
            }
            if !coded.is_empty() {
                missed.push(format!(
                    "code changes since the review of {} with `code` ({})",
                    plural(coded.len(), "service"),
                    listed(&coded)
                ));
            }
            missed.push("pages' \"Last updated\" dates".to_string());
            let (what, help, key) = match why {
                Unavailable::Broken { reason, .. } => (
                    format!("the git history cannot be read ({reason})"),
                    "check the repository with `git fsck`, or set `git = false` in book.toml's [policy]".to_string(),
                    "git-unreadable",
                ),
                _ => (
                    "this is a shallow clone, whose history stops early".to_string(),
                    "fetch the whole history: `fetch-depth: 0` for actions/checkout in GitHub Actions, `GIT_DEPTH: 0` in GitLab CI, or `git fetch --unshallow`".to_string(),
                    "git-shallow",
                ),
            };
            (
                format!(
                    "`[policy] git = true`, but {what}, so these were not computed: {}",
                    missed.join("; ")
                ),
                help,
                key,
            )
        }
    };
    Some(
        Finding::new(Rule::Stale, crate::config::FILE_NAME, message)
            .key(key)
            .help(help)
            .advisory(),
    )
}

fn plural(count: usize, what: &str) -> String {
    if count == 1 {
        format!("1 {what}")
    } else {
        format!("{count} {what}s")
    }
}

/// The first few of `items`, and how many more.
fn listed(items: &[impl AsRef<str>]) -> String {
    const SHOWN: usize = 5;
    let mut text: Vec<&str> = items.iter().take(SHOWN).map(AsRef::as_ref).collect();
    let more;
    if items.len() > SHOWN {
        more = format!("and {} more", items.len() - SHOWN);
        text.push(&more);
    }
    text.join(", ")
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
    let last = match &review.committed {
        Some(commit) => {
            format!("no `last_reviewed`, last committed {reviewed} ({commit})")
        }
        None => format!("last reviewed {reviewed}"),
    };
    if today > due {
        findings.push(
            Finding::new(
                Rule::Stale,
                &review.file,
                format!("review overdue since {due}: {last}, every {interval}"),
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
                format!("review due {due}, {days}: {last}, every {interval}"),
            )
            .key("due")
            .at(position)
            .help(help)
            .due(due)
            .advisory(),
        );
    }
}
