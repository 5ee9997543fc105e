//! Check: judge the model. One file per rule family; each returns findings and none
//! prints. `run` gathers them with the findings of earlier stages, applies
//! `[policy.severity]`, and sorts them into report order.

mod adrs;
mod links;
mod orphans;
mod redirects;
mod sections;
mod stale;

use jiff::civil::Date;

use crate::config::Config;
use crate::finding::{self, Finding};
use crate::model::Handbook;

/// What a check run needs besides the handbook.
pub struct Context<'a> {
    pub config: &'a Config,
    /// The date review ages are measured against (`--today`, else the system date).
    pub today: Date,
}

/// Runs every rule over the handbook. `earlier` holds the findings of the load and
/// model stages; the result holds everything, with severities as the policy sets them.
pub fn run(context: &Context<'_>, handbook: &Handbook, earlier: Vec<Finding>) -> Vec<Finding> {
    let mut findings = earlier;
    findings.extend(sections::check(context.config, handbook));
    findings.extend(stale::check(context, handbook));
    findings.extend(adrs::check(&context.config.policy.adr, handbook));
    findings.extend(links::check(handbook, &context.config.policy.link));
    findings.extend(orphans::check(handbook));
    findings.extend(redirects::check(
        &context.config.html.redirect,
        &context.config.shipshape.base_url,
        handbook,
    ));
    let policy = &context.config.policy;
    let content = crate::load::relative_slash_path(&context.config.book.src);
    let mut findings: Vec<Finding> = findings
        .into_iter()
        .filter_map(|finding| policy.apply(finding, &content))
        .collect();
    finding::sort(&mut findings);
    findings
}
