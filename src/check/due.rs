//! `check --due-within`: the advisory findings that fall due within the window (a
//! review, a waiver's expiry, an item's `enforce-from`) get the owner who should act on
//! them, named in the message so that every report format shows it, and are listed
//! after the other findings, grouped by owner, for a weekly job that opens reminders.

use jiff::civil::Date;

use crate::config::Days;
use crate::finding::Finding;
use crate::model::Handbook;

/// What `group` names when nothing says who owns a finding's file.
pub const NO_OWNER: &str = "no owner";

/// Tags the findings due by `today` + `within` with their owner and moves them, grouped
/// by owner (in name order, report order within), after the rest.
pub fn group(findings: &mut [Finding], handbook: &Handbook, today: Date, within: Days) {
    let until = today
        .checked_add(jiff::Span::new().days(i64::from(within.0)))
        .unwrap_or(today);
    for finding in findings.iter_mut() {
        let Some(due) = finding.due else {
            continue;
        };
        if !finding.advisory || due > until {
            continue;
        }
        let owner = owner(finding, handbook).unwrap_or_else(|| NO_OWNER.to_string());
        finding.message = format!("{} (owner: {owner})", finding.message);
        finding.owner = Some(owner);
    }
    // Stable: the untagged keep their order and come first.
    findings.sort_by(|a, b| a.owner.cmp(&b.owner));
}

/// The owner of the service a finding is about, else of the runbook or page it is in.
fn owner(finding: &Finding, handbook: &Handbook) -> Option<String> {
    if let Some(subject) = &finding.subject
        && let Some(service) = handbook.services.iter().find(|s| &s.id.0 == subject)
    {
        return service.owner.clone();
    }
    if let Some(runbook) = handbook
        .runbooks
        .iter()
        .find(|runbook| runbook.review.file == finding.file)
    {
        return runbook.owner.clone();
    }
    handbook.iter().find_map(|(_, page)| {
        let markdown = page.markdown()?;
        if handbook.display_path(&markdown.document.path) != finding.file {
            return None;
        }
        let owner = markdown.document.front.as_ref()?.get("owner")?;
        owner.as_str().map(str::to_string)
    })
}
