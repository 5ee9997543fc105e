//! `adr`: the ADR collection holds together. Numbers are unique, statuses are known,
//! a superseded ADR names its successor, `supersedes` and `superseded_by` agree both
//! ways, every reference is to an ADR that exists, and no chain of supersedes loops.

use std::collections::HashMap;

use crate::config::AdrPolicy;
use crate::finding::{Finding, Rule, did_you_mean};
use crate::model::Handbook;
use crate::model::adr::{Adr, STATUSES};

/// A finding for each problem of the ADR collection.
pub fn check(policy: &AdrPolicy, handbook: &Handbook) -> Vec<Finding> {
    let adrs = &handbook.adrs;
    let mut findings = Vec::new();
    let mut by_number: HashMap<u32, Vec<&Adr>> = HashMap::new();
    for adr in adrs {
        by_number.entry(adr.number).or_default().push(adr);
    }
    for adr in adrs {
        if let Some(others) = by_number.get(&adr.number).filter(|all| all.len() > 1) {
            let mut finding = Finding::new(
                Rule::Adr,
                &adr.file,
                format!("{} is the number of {} files", adr.label(), others.len()),
            )
            .key(format!("duplicate {}", adr.number))
            .at(adr.title_position)
            .help("give one of them the next free number (rename the file and fix links to it); numbers are how ADRs are cited");
            for other in others.iter().filter(|other| other.file != adr.file) {
                finding = finding.related(
                    &other.file,
                    Some(other.title_position),
                    "another ADR with this number",
                );
            }
            findings.push(finding);
        }
        status(policy, adr, &mut findings);
        links(adr, &by_number, &mut findings);
    }
    cycles(adrs, &by_number, &mut findings);
    findings
}

fn status(policy: &AdrPolicy, adr: &Adr, findings: &mut Vec<Finding>) {
    let known = STATUSES
        .iter()
        .copied()
        .chain(policy.statuses.iter().map(String::as_str));
    match &adr.status {
        None if policy.require_status => findings.push(
            Finding::new(Rule::Adr, &adr.file, format!("{} has no status", adr.label()))
                .key("no-status")
                .at(adr.title_position)
                .help("add `status: proposed` (or accepted, rejected, deprecated, superseded) to its front matter; `[policy.adr] require-status = true` asks for one"),
        ),
        None => {}
        Some(status) => {
            let statuses: Vec<&str> = known.collect();
            if statuses.iter().any(|known| known.eq_ignore_ascii_case(status)) {
                if status == "superseded" && adr.superseded_by.is_none() {
                    findings.push(
                        Finding::new(
                            Rule::Adr,
                            &adr.file,
                            format!("{} is superseded but does not say by which ADR", adr.label()),
                        )
                        .key("no-successor")
                        .at(adr.status_position)
                        .help("add `superseded_by: N` naming the ADR that replaced it (and list this one in that ADR's `supersedes`)"),
                    );
                }
                return;
            }
            let help = match did_you_mean(status, statuses.iter().copied()) {
                Some(suggestion) => format!("did you mean `{suggestion}`?"),
                None => format!(
                    "use one of {}, or add the team's own to `[policy.adr] statuses` in book.toml",
                    statuses.join(", ")
                ),
            };
            findings.push(
                Finding::new(
                    Rule::Adr,
                    &adr.file,
                    format!("unknown status `{status}`"),
                )
                .key(format!("status {status}"))
                .at(adr.status_position)
                .help(help),
            );
        }
    }
}

/// References to missing ADRs, and `supersedes`/`superseded_by` pairs that disagree.
fn links(adr: &Adr, by_number: &HashMap<u32, Vec<&Adr>>, findings: &mut Vec<Finding>) {
    let only = |number: u32| {
        by_number
            .get(&number)
            .filter(|all| all.len() == 1)
            .map(|all| all[0])
    };
    let missing = |number: u32, field: &str, position| {
        Finding::new(
            Rule::Adr,
            &adr.file,
            format!("`{field}` names ADR {number}, which does not exist"),
        )
        .key(format!("{field} {number} missing"))
        .at(position)
        .help("fix the number, or write that ADR first")
    };
    for (number, position) in &adr.supersedes {
        if *number == adr.number {
            findings.push(
                Finding::new(
                    Rule::Adr,
                    &adr.file,
                    format!("{} supersedes itself", adr.label()),
                )
                .key("supersedes itself")
                .at(*position)
                .help("list the older ADRs this decision replaces, not its own number"),
            );
            continue;
        }
        if !by_number.contains_key(number) {
            findings.push(missing(*number, "supersedes", *position));
            continue;
        }
        let Some(old) = only(*number) else { continue };
        if old.superseded_by.map(|(n, _)| n) != Some(adr.number) {
            findings.push(
                Finding::new(
                    Rule::Adr,
                    &adr.file,
                    format!(
                        "{} says it supersedes {}, but {} does not say it is superseded by {}",
                        adr.label(),
                        old.label(),
                        old.label(),
                        adr.label()
                    ),
                )
                .key(format!("supersedes {number} one-way"))
                .at(*position)
                .related(
                    &old.file,
                    Some(old.status_position),
                    "the ADR it supersedes",
                )
                .help(format!(
                    "in {}, set `status: superseded` and `superseded_by: {}`",
                    old.file, adr.number
                )),
            );
        }
    }
    if let Some((number, position)) = adr.superseded_by {
        if !by_number.contains_key(&number) {
            findings.push(missing(number, "superseded_by", position));
            return;
        }
        let Some(new) = only(number) else { return };
        if adr.status.as_deref() != Some("superseded") {
            findings.push(
                Finding::new(
                    Rule::Adr,
                    &adr.file,
                    format!(
                        "{} names a successor ({}) but its status is `{}`",
                        adr.label(),
                        new.label(),
                        adr.status.as_deref().unwrap_or("none")
                    ),
                )
                .key("successor without superseded")
                .at(adr.status_position)
                .help("set `status: superseded`, or drop `superseded_by`"),
            );
        }
        if !new.supersedes.iter().any(|(n, _)| *n == adr.number) {
            findings.push(
                Finding::new(
                    Rule::Adr,
                    &adr.file,
                    format!(
                        "{} says it is superseded by {}, but {} does not list it in `supersedes`",
                        adr.label(),
                        new.label(),
                        new.label()
                    ),
                )
                .key(format!("superseded_by {number} one-way"))
                .at(position)
                .related(
                    &new.file,
                    Some(new.title_position),
                    "the ADR named as successor",
                )
                .help(format!(
                    "in {}, add {} to `supersedes`",
                    new.file, adr.number
                )),
            );
        }
    }
}

/// A chain of `supersedes` that comes back to where it started: one finding per cycle,
/// on its lowest-numbered ADR.
fn cycles(adrs: &[Adr], by_number: &HashMap<u32, Vec<&Adr>>, findings: &mut Vec<Finding>) {
    let mut reported: Vec<Vec<u32>> = Vec::new();
    for start in adrs {
        // Walk every path from `start` (depth-first, without revisiting) looking for it.
        let mut stack = vec![(start.number, vec![start.number])];
        let mut visited = std::collections::HashSet::new();
        while let Some((number, path)) = stack.pop() {
            let Some(adr) = by_number.get(&number).and_then(|all| all.first()) else {
                continue;
            };
            for (next, _) in &adr.supersedes {
                if *next == number {
                    continue; // an ADR that supersedes itself has a finding of its own
                }
                if *next == start.number {
                    let mut cycle = path.clone();
                    cycle.sort_unstable();
                    if !reported.contains(&cycle) && cycle[0] == start.number {
                        reported.push(cycle);
                        let chain = path
                            .iter()
                            .chain(std::iter::once(next))
                            .map(|n| format!("ADR-{n:04}"))
                            .collect::<Vec<_>>()
                            .join(" → ");
                        findings.push(
                            Finding::new(
                                Rule::Adr,
                                &start.file,
                                format!("supersedes chain loops: {chain}"),
                            )
                            .key(format!("cycle {chain}"))
                            .at(start.supersedes.first().map_or(start.title_position, |(_, p)| *p))
                            .help("an ADR can only supersede older decisions: remove the number that closes the loop"),
                        );
                    }
                } else if visited.insert(*next) {
                    let mut longer = path.clone();
                    longer.push(*next);
                    stack.push((*next, longer));
                }
            }
        }
    }
}
