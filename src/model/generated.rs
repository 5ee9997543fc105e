//! The pages shipshape makes itself from the handbook's records, and the records' typed
//! side tables: the ADR, runbook and services indexes (a folder's README.md, else a
//! generated page), a report card per service, the waivers and team pages, and the
//! `Adr`/`Runbook` records read from their pages.

use super::{
    Handbook, INDEX_URL, Index, Page, PageId, PageKind, SERVICES_DIR, WAIVERS_URL, adr, card_url,
    runbook,
};
use crate::finding::{Finding, Rule};
use crate::load::front_matter::Kind;

/// Finds or makes the page of each index the handbook needs: a folder's README.md (or
/// index.md) when it has one, else a generated page at the folder's `index.html`, which
/// is returned for the navigation.
pub(super) fn add_indexes(
    handbook: &mut Handbook,
    adr_dir: &str,
    runbooks_dir: &str,
) -> Vec<PageId> {
    let mut generated = Vec::new();
    let wanted = [
        (
            Index::Adrs,
            adr_dir,
            !handbook.adrs.is_empty(),
            "Architecture decisions",
        ),
        (
            Index::Runbooks,
            runbooks_dir,
            !handbook.runbooks.is_empty(),
            "Runbooks",
        ),
        (
            Index::Services,
            SERVICES_DIR,
            !handbook.services.is_empty(),
            "Services",
        ),
    ];
    for (index, dir, needed, title) in wanted {
        let url = if dir.is_empty() {
            INDEX_URL.to_string()
        } else {
            format!("{dir}/{INDEX_URL}")
        };
        match handbook.by_url.get(&url) {
            Some(id) if handbook.page(*id).markdown().is_some() => {
                handbook.indexes.push((index, *id));
            }
            Some(_) => {}
            None if needed => {
                let id = PageId(handbook.pages.len());
                handbook.pages.push(Page {
                    url: url.clone(),
                    title: title.to_string(),
                    kind: PageKind::Index(index),
                });
                handbook.by_url.insert(url, id);
                handbook.indexes.push((index, id));
                generated.push(id);
            }
            None => {}
        }
    }
    generated
}

/// Adds a report card page for each service that has a standard (a service naming an
/// unknown one is not scored, and has a finding already). An id that cannot be a file
/// name gets no card and no badge, and a finding saying so.
pub(super) fn add_cards(handbook: &mut Handbook, findings: &mut Vec<Finding>) -> Vec<PageId> {
    let mut cards = Vec::new();
    for (index, service) in handbook.services.iter().enumerate() {
        if service.standard.is_none() {
            continue;
        }
        let Some(url) = card_url(&service.id.0) else {
            findings.push(
                Finding::new(
                    Rule::Schema,
                    &service.file,
                    format!(
                        "service id `{}` cannot be a file name, so the site has no report card or badge for it",
                        service.id
                    ),
                )
                .at(service.at)
                .subject(service.id.0.clone())
                .help("use letters, digits, `.`, `_` and `-`, starting with a letter or digit, such as `payments-api`"),
            );
            continue;
        };
        let id = PageId(handbook.pages.len());
        handbook.pages.push(Page {
            url: url.clone(),
            title: service
                .title
                .clone()
                .unwrap_or_else(|| service.id.0.clone()),
            kind: PageKind::Service(index),
        });
        handbook.by_url.insert(url, id);
        cards.push(id);
    }
    cards
}

/// Adds the waivers page and a page per team, when the handbook has services. A team
/// page whose url a written page already takes is left out, with a finding there.
pub(super) fn add_overview(handbook: &mut Handbook, findings: &mut Vec<Finding>) {
    if handbook.services.is_empty() {
        return;
    }
    let add = |handbook: &mut Handbook, url: String, title: String, kind: PageKind| {
        let id = PageId(handbook.pages.len());
        handbook.pages.push(Page {
            url: url.clone(),
            title,
            kind,
        });
        handbook.by_url.insert(url, id);
        handbook.overview.push(id);
    };
    add(
        handbook,
        WAIVERS_URL.into(),
        "Waivers".into(),
        PageKind::Waivers,
    );
    for index in 0..handbook.teams.teams.len() {
        let team = &handbook.teams.teams[index];
        if let Some(taken) = handbook.by_url.get(&team.url) {
            let source = handbook
                .page(*taken)
                .markdown()
                .map(|page| handbook.display_path(&page.document.path))
                .unwrap_or_default();
            findings.push(
                Finding::new(
                    Rule::Schema,
                    source,
                    format!(
                        "this page is written to `{}`, where the page of team `{}` goes; the team page is left out",
                        team.url, team.id
                    ),
                )
                .help("rename the file: shipshape writes the team pages under `teams/`"),
            );
            continue;
        }
        let (url, title) = (team.url.clone(), team.name.clone());
        add(handbook, url, title, PageKind::Team(index));
    }
}

/// Reads the typed side tables of the ADR and runbook pages.
pub(super) fn read_records(handbook: &mut Handbook, findings: &mut Vec<Finding>) {
    let mut adrs = Vec::new();
    let mut runbooks = Vec::new();
    for (id, page) in handbook.iter() {
        let Some(markdown) = page.markdown() else {
            continue;
        };
        let shown = handbook.display_path(&markdown.document.path);
        match markdown.document.kind {
            Kind::Adr => adrs.push(adr::read(id, markdown, &page.title, &shown, findings)),
            Kind::Runbook => runbooks.push(runbook::read(id, markdown, &shown, findings)),
            Kind::Page => {}
        }
    }
    handbook.adrs = adrs;
    handbook.runbooks = runbooks;
}
