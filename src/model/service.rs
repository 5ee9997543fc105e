//! Service checklists: one typed `Service` per service file, its checks matched to the
//! items of its standard and its evidence and runbook links resolved against the
//! handbook (pages, anchors, and the repository files load looked up).

use jiff::civil::Date;

use super::fields::{Map, Sink, one_of};
use super::standard::{self, Standard};
use super::{Handbook, PageId, link};
use crate::finding::{Finding, Position, Rule, did_you_mean};
use crate::load::data::{self, DataFile, Probes};
use crate::load::yaml::{Node, Value};

/// A service's id: the required `service:` key, unique in the handbook.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ServiceId(pub String);

impl std::fmt::Display for ServiceId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// One service checklist.
#[derive(Clone, Debug)]
pub struct Service {
    pub id: ServiceId,
    /// The file, as findings name it.
    pub file: String,
    /// Where `service:` is written.
    pub at: Position,
    pub title: Option<String>,
    pub owner: Option<String>,
    /// 1 (most critical) to 4; a missing or wrong tier is a finding and counts as 4.
    pub tier: u8,
    /// Its standard's index in `Handbook::standards`; `None` when it names an unknown one.
    pub standard: Option<usize>,
    pub last_reviewed: Option<(Date, Position)>,
    /// `last_reviewed` is written but is not a date (already a finding).
    pub review_unreadable: bool,
    /// Globs of the code the checklist is about (for the git rules).
    pub code: Vec<String>,
    pub alerts: Vec<Alert>,
    pub checks: Vec<Check>,
    /// Where `checks:` is written, else where `service:` is.
    pub checks_at: Position,
}

/// A declared alert and its runbook link.
#[derive(Clone, Debug)]
pub struct Alert {
    pub name: String,
    pub at: Position,
    pub runbook: Option<Link>,
}

/// A path (with an optional `#anchor`) or URL from a service file, resolved.
#[derive(Clone, Debug)]
pub struct Link {
    pub text: String,
    pub at: Position,
    pub target: Target,
}

/// What a link leads to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A URL, left as it is.
    Url,
    /// A page of the handbook (and the anchor exists, when one is given).
    Page { page: PageId, runbook: bool },
    /// A repository file or folder (by its path from the handbook root).
    File(String),
    /// Nothing: why, in a finding's words.
    Missing(String),
}

/// What a service says about one item.
#[derive(Clone, Debug)]
pub struct Check {
    /// The item's full id (`reliability.timeouts`), known to the standard.
    pub id: String,
    /// Where the id is written.
    pub at: Position,
    pub status: Option<(Status, Position)>,
    pub evidence: Vec<Link>,
    pub note: Option<String>,
    pub waiver: Option<Waiver>,
}

/// A self-reported status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Done,
    Partial,
    Todo,
    NotApplicable,
    Waived,
}

impl Status {
    pub const NAMES: &[&str] = &["done", "partial", "todo", "n/a", "waived"];

    pub fn name(self) -> &'static str {
        match self {
            Status::Done => "done",
            Status::Partial => "partial",
            Status::Todo => "todo",
            Status::NotApplicable => "n/a",
            Status::Waived => "waived",
        }
    }
}

/// An accepted exception: valid until `expires` (inclusive).
#[derive(Clone, Debug)]
pub struct Waiver {
    pub reason: String,
    pub approved_by: String,
    pub expires: Date,
    /// Where `expires` is written.
    pub at: Position,
}

const SERVICE_KEYS: &[&str] = &[
    "service",
    "title",
    "description",
    "owner",
    "tier",
    "standard",
    "last_reviewed",
    "code",
    "alerts",
    "checks",
];
const CHECK_KEYS: &[&str] = &["status", "evidence", "note", "waiver"];
const ALERT_KEYS: &[&str] = &["name", "runbook"];
const WAIVER_KEYS: &[&str] = &["reason", "approved_by", "expires"];

/// Reads every service file against the standards; a file without a `service:` id is
/// skipped, and two files with one id are both findings (the first is kept).
pub fn read_all(
    handbook: &Handbook,
    standards: &[Standard],
    files: &[DataFile],
    probes: &Probes,
    findings: &mut Vec<Finding>,
) -> Vec<Service> {
    let mut services: Vec<Service> = Vec::with_capacity(files.len());
    let mut by_id: std::collections::HashMap<ServiceId, usize> = Default::default();
    let resolver = Resolver { handbook, probes };
    // Read in parallel (each file on its own), then judged for duplicates in file order.
    let read: Vec<(Option<Service>, Vec<Finding>)> = {
        use rayon::prelude::*;
        files
            .par_iter()
            .map(|file| {
                let mut found = Vec::new();
                let service = read(file, standards, &resolver, &mut found);
                (service, found)
            })
            .collect()
    };
    for (service, found) in read {
        findings.extend(found);
        let Some(service) = service else {
            continue;
        };
        if let Some(&first) = by_id.get(&service.id) {
            let first = &services[first];
            let message = |other: &str| {
                format!(
                    "service id `{}` is also the id of {other}; ids must be unique",
                    service.id
                )
            };
            findings.push(
                Finding::new(Rule::Schema, &service.file, message(&first.file))
                    .at(service.at)
                    .key(format!("duplicate:{}", service.id))
                    .subject(service.id.0.clone())
                    .related(&first.file, Some(first.at), "the other file with this id")
                    .help(
                        "give each service its own `service:` id; this file is left out until then",
                    ),
            );
            findings.push(
                Finding::new(Rule::Schema, &first.file, message(&service.file))
                    .at(first.at)
                    .key(format!("duplicate:{}", service.id))
                    .subject(service.id.0.clone())
                    .related(
                        &service.file,
                        Some(service.at),
                        "the other file with this id",
                    )
                    .help("give each service its own `service:` id"),
            );
            continue;
        }
        by_id.insert(service.id.clone(), services.len());
        services.push(service);
    }
    services.sort_by(|a, b| a.id.cmp(&b.id));
    services
}

fn read(
    file: &DataFile,
    standards: &[Standard],
    resolver: &Resolver<'_>,
    findings: &mut Vec<Finding>,
) -> Option<Service> {
    let mut sink = Sink {
        file: &file.file,
        findings,
    };
    let map = Map::read(&file.tree, "a service checklist", SERVICE_KEYS, &mut sink)?;
    let Some((id, at)) = map.text("service", "`service: payments`", &mut sink) else {
        sink.schema(
            map.at,
            "the checklist has no `service:` id",
            "add `service: NAME` at the top: the id names the service in reports, pages and readiness.json",
        );
        return None;
    };
    let title = map
        .text("title", "`title: Payments API`", &mut sink)
        .map(|(title, _)| title);
    let owner = map
        .text("owner", "`owner: team-payments`", &mut sink)
        .map(|(owner, _)| owner);
    let tier = match map.get("tier") {
        Some(node) => standard::read_tier("tier", node, &mut sink),
        None => {
            sink.schema(
                at,
                format!("service `{id}` has no `tier`; it is judged as tier 4 until it has one"),
                "add `tier: N`, from 1 (most critical) to 4 (experimental): the tier decides which items are required",
            );
            None
        }
    }
    .unwrap_or(4);
    let standard = match map.get("standard") {
        None => standards.iter().position(|s| s.id == standard::BUILTIN_ID),
        Some(node) => {
            let name = node.as_text().unwrap_or_default();
            let found = standards.iter().position(|s| s.id == name);
            if found.is_none() {
                let ids: Vec<&str> = standards.iter().map(|s| s.id.as_str()).collect();
                let help = match did_you_mean(&name, ids.iter().copied()) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => format!("the standards are {}", super::fields::list(&ids)),
                };
                sink.schema(
                    node.at,
                    format!(
                        "unknown standard {}; the checklist is not scored",
                        super::fields::shown(node)
                    ),
                    help,
                );
            }
            found
        }
    };
    let last_reviewed = map.date("last_reviewed", &mut sink);
    let review_unreadable = last_reviewed.is_none() && map.get("last_reviewed").is_some();
    let code = map
        .texts("code", "`code: [\"services/payments/**\"]`", &mut sink)
        .into_iter()
        .map(|(glob, _)| glob)
        .collect();
    let alerts = map
        .list("alerts")
        .into_iter()
        .filter_map(|node| read_alert(node, resolver, &mut sink))
        .collect();
    let checks_at = map.key_at("checks").unwrap_or(at);
    let checks = match (map.get("checks"), standard.map(|index| &standards[index])) {
        (Some(node), Some(standard)) => read_checks(node, standard, resolver, &mut sink),
        _ => Vec::new(),
    };
    Some(Service {
        id: ServiceId(id),
        file: file.file.clone(),
        at,
        title,
        owner,
        tier,
        standard,
        last_reviewed,
        review_unreadable,
        code,
        alerts,
        checks,
        checks_at,
    })
}

fn read_alert(node: &Node, resolver: &Resolver<'_>, sink: &mut Sink<'_>) -> Option<Alert> {
    let map = Map::read(node, "an alert", ALERT_KEYS, sink)?;
    let Some((name, at)) = map.text("name", "`name: PaymentsHighP99Latency`", sink) else {
        sink.schema(
            map.at,
            "an alert without a `name`",
            "write `- name: ALERT` with `runbook: runbooks/PAGE.md#section`",
        );
        return None;
    };
    let runbook = map
        .text(
            "runbook",
            "`runbook: runbooks/payments-latency.md#mitigation`",
            sink,
        )
        .map(|(text, at)| resolver.link(text, at));
    Some(Alert { name, at, runbook })
}

fn read_checks(
    node: &Node,
    standard: &Standard,
    resolver: &Resolver<'_>,
    sink: &mut Sink<'_>,
) -> Vec<Check> {
    let Value::Map(entries) = &node.value else {
        sink.wrong_type(
            "checks",
            node,
            "a mapping of item ids",
            "`checks:` with one `ITEM-ID: {status: done}` per item",
        );
        return Vec::new();
    };
    let mut checks: Vec<Check> = Vec::new();
    for (key, value) in entries {
        if standard.item(&key.name).is_none() {
            let ids = standard.items().map(|item| item.id.as_str());
            let help = match did_you_mean(&key.name, ids) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!(
                    "the items of `{}` are named `CATEGORY.ITEM`, such as `reliability.timeouts`",
                    standard.id
                ),
            };
            sink.schema(
                key.at,
                format!(
                    "`{}` is not an item of the standard `{}`",
                    key.name, standard.id
                ),
                help,
            );
            continue;
        }
        if checks.iter().any(|check| check.id == key.name) {
            continue; // the parser refuses duplicate keys
        }
        let Some(map) = Map::read(
            value,
            &format!("the check `{}`", key.name),
            CHECK_KEYS,
            sink,
        ) else {
            continue;
        };
        let status = map.get("status").and_then(|node| {
            let name = one_of("status", node, Status::NAMES, sink)?;
            let status = match name {
                "done" => Status::Done,
                "partial" => Status::Partial,
                "todo" => Status::Todo,
                "n/a" => Status::NotApplicable,
                _ => Status::Waived,
            };
            Some((status, node.at))
        });
        let evidence = map
            .texts("evidence", "`evidence: adr/0007-payment-retries.md`", sink)
            .into_iter()
            .map(|(text, at)| resolver.link(text, at))
            .collect();
        let note = map
            .text("note", "`note: \"client sets 2 s timeouts\"`", sink)
            .map(|(note, _)| note);
        let waiver = map.get("waiver").and_then(|node| read_waiver(node, sink));
        if let Some((Status::NotApplicable, at)) = status
            && note.is_none()
        {
            sink.schema(
                at,
                format!("`{}` is n/a without a `note` saying why", key.name),
                "add `note: \"…\"`: an item that does not apply says why, so a reviewer can agree",
            );
        }
        if let Some((Status::Waived, at)) = status
            && map.get("waiver").is_none()
        {
            sink.schema(
                at,
                format!("`{}` is waived without a `waiver`", key.name),
                "add `waiver: {reason: \"…\", approved_by: NAME, expires: YYYY-MM-DD}`",
            );
        }
        checks.push(Check {
            id: key.name.clone(),
            at: key.at,
            status,
            evidence,
            note,
            waiver,
        });
    }
    checks
}

fn read_waiver(node: &Node, sink: &mut Sink<'_>) -> Option<Waiver> {
    let map = Map::read(node, "a waiver", WAIVER_KEYS, sink)?;
    let reason = map.text("reason", "`reason: \"…\"`", sink);
    let approved_by = map.text("approved_by", "`approved_by: dana`", sink);
    let expires = map.date("expires", sink);
    let missing: Vec<&str> = [
        ("reason", reason.is_none() && map.get("reason").is_none()),
        (
            "approved_by",
            approved_by.is_none() && map.get("approved_by").is_none(),
        ),
        ("expires", expires.is_none() && map.get("expires").is_none()),
    ]
    .into_iter()
    .filter_map(|(key, missing)| missing.then_some(key))
    .collect();
    if !missing.is_empty() {
        sink.schema(
            map.at,
            format!("the waiver has no {}; it does not count until it has", super::fields::list(&missing)),
            "a waiver says why, who approved it and until when: `{reason: \"…\", approved_by: NAME, expires: YYYY-MM-DD}`",
        );
    }
    let (expires, at) = expires?;
    Some(Waiver {
        reason: reason?.0,
        approved_by: approved_by?.0,
        expires,
        at,
    })
}

/// Resolves links from service files: paths are content-relative, `/` is the handbook root.
struct Resolver<'a> {
    handbook: &'a Handbook,
    probes: &'a Probes,
}

impl Resolver<'_> {
    fn link(&self, text: String, at: Position) -> Link {
        let target = self.target(&text);
        Link { text, at, target }
    }

    fn target(&self, text: &str) -> Target {
        let handbook = self.handbook;
        if link::is_external(text) {
            return Target::Url;
        }
        let Some(from_root) = data::from_root(&handbook.prefix, text) else {
            return Target::Url;
        };
        let fragment = text.split_once('#').map(|(_, fragment)| fragment);
        // As a content-relative page source, when it lies in the content folder.
        let source = if handbook.prefix.is_empty() {
            Some(from_root.clone())
        } else {
            from_root
                .strip_prefix(&handbook.prefix)
                .and_then(|rest| rest.strip_prefix('/'))
                .map(str::to_string)
        };
        if let Some(id) = source
            .as_deref()
            .and_then(|source| handbook.page_by_source(source))
        {
            let page = handbook.page(id);
            if let Some(fragment) = fragment.filter(|fragment| !fragment.is_empty())
                && page
                    .markdown()
                    .is_some_and(|markdown| !markdown.outline.has_anchor(fragment))
            {
                let anchors: Vec<&str> = page
                    .markdown()
                    .map(|markdown| markdown.outline.anchors().collect())
                    .unwrap_or_default();
                let near = did_you_mean(fragment, anchors.iter().copied())
                    .map(|near| format!(" (did you mean `#{near}`?)"))
                    .unwrap_or_default();
                return Target::Missing(format!(
                    "`{}` has no section `#{fragment}`{near}",
                    link::path_part(text)
                ));
            }
            let runbook = handbook.runbooks.iter().any(|runbook| runbook.page == id);
            return Target::Page { page: id, runbook };
        }
        if let Some(source) = &source
            && handbook.is_draft(source)
        {
            return Target::Missing(format!("`{source}` is a draft, left out of the site"));
        }
        if fragment.is_none() && self.probes.at_root(&from_root) {
            return Target::File(from_root);
        }
        let near = source
            .as_deref()
            .and_then(|source| did_you_mean(source, handbook.sources()))
            .map(|near| format!(" (did you mean `{near}`?)"))
            .unwrap_or_default();
        Target::Missing(format!("`{}` does not exist{near}", link::path_part(text)))
    }
}
