//! Check: judge the model. One file per rule family; each returns findings and none
//! prints. `run` gathers them with the findings of earlier stages, applies
//! `[policy.severity]`, keeps the rules the run asked for, takes out what inline
//! directives suppress, and sorts the rest into report order.

mod adrs;
mod alt_text;
mod due;
mod links;
pub mod movement;
mod orphans;
mod readiness;
mod redirects;
mod sections;
mod stale;
pub mod suppress;

use jiff::civil::Date;

use crate::config::Config;
use crate::finding::{self, Finding, Rule, Suppressed};
use crate::model::Handbook;
use crate::model::readiness::Card;

/// What a check run needs besides the handbook.
pub struct Context<'a> {
    pub config: &'a Config,
    /// The date review ages are measured against (`--today`, else the system date).
    pub today: Date,
    /// The rules the run reports.
    pub only: &'a Only<'a>,
    /// The repository's history, with `[policy] git = true`.
    pub git: &'a crate::git::Git,
    /// `check --due-within`: what falls due this soon is reported, grouped by owner.
    pub due_within: Option<crate::config::Days>,
}

impl Context<'_> {
    /// How far ahead a review, a waiver's expiry or an enforce-from date gives an
    /// advisory warning: `warn-before`, or `--due-within` when that is longer.
    pub fn warn_window(&self) -> crate::config::Days {
        self.due_within
            .map_or(self.config.policy.warn_before, |within| {
                within.max(self.config.policy.warn_before)
            })
    }
}

/// Which rules a run reports: `--rule` (only these, when any) and `--skip-rule`.
#[derive(Default)]
pub struct Only<'a> {
    pub rules: &'a [Rule],
    pub skip: &'a [Rule],
}

impl Only<'_> {
    /// Whether the run reports `rule`'s findings.
    pub fn keeps(&self, rule: Rule) -> bool {
        (self.rules.is_empty() || self.rules.contains(&rule)) && !self.skip.contains(&rule)
    }
}

/// What a check run found.
pub struct Checked {
    /// The findings the run reports, in report order.
    pub findings: Vec<Finding>,
    /// The findings inline directives suppressed, in report order.
    pub suppressed: Vec<Suppressed>,
    /// Every service with a known standard, judged on `Context::today`, in service order.
    pub readiness: Vec<Card>,
}

/// Runs every rule over the handbook. `earlier` holds the findings of the load and
/// model stages. The policy sets severities first, then the rules `context.only` leaves
/// out are dropped, then suppressions apply; a suppression of a rule the run left out,
/// or one the policy switches off in that file, is never called unused.
pub fn run(context: &Context<'_>, handbook: &Handbook, earlier: Vec<Finding>) -> Checked {
    let mut findings = earlier;
    findings.extend(sections::check(context.config, handbook));
    findings.extend(stale::check(context, handbook));
    findings.extend(adrs::check(&context.config.policy.adr, handbook));
    findings.extend(links::check(handbook, &context.config.policy.link));
    findings.extend(orphans::check(handbook));
    findings.extend(alt_text::check(handbook));
    let (cards, found) = readiness::check(context, handbook);
    findings.extend(found);
    findings.extend(redirects::check(
        &context.config.html.redirect,
        &context.config.shipshape.base_url,
        handbook,
    ));
    let policy = &context.config.policy;
    let content = crate::load::relative_slash_path(&context.config.book.src);
    let only = context.only;
    let mut findings: Vec<Finding> = findings
        .into_iter()
        .filter_map(|finding| policy.apply(finding, &content))
        .filter(|finding| only.keeps(finding.rule))
        .collect();
    // Suppressions match in report order, so that each suppressed finding is listed in it.
    finding::sort(&mut findings);
    let judged = |rule: Rule, file: &str| {
        rule.about().is_some() && only.keeps(rule) && !policy.is_off(rule, file, &content)
    };
    let applied = suppress::apply(findings, &handbook.directives, judged);
    let mut findings = applied.kept;
    findings.extend(
        applied
            .problems
            .into_iter()
            .filter_map(|finding| policy.apply(finding, &content))
            .filter(|finding| only.keeps(finding.rule)),
    );
    finding::sort(&mut findings);
    if let Some(within) = context.due_within {
        due::group(&mut findings, handbook, context.today, within);
    }
    Checked {
        findings,
        suppressed: applied.suppressed,
        readiness: cards,
    }
}
