//! What the report card of a service shows (`services/<id>.html`): owner, tier, level and
//! score, what the next level takes, each category's items with their state, evidence,
//! notes and waivers, the alerts and their runbooks, related ADRs and runbooks, and the
//! review state. Every string here is text; the template escapes it.

use serde::Serialize;

use crate::model::link::relative_url;
use crate::model::readiness::{Card, ItemResult, Score, State, WaiverState};
use crate::model::service::{Check, Link, Service, Target};
use crate::model::standard::{Item, Level};
use crate::model::{Handbook, badge_url, slug};

/// A report card, as its template shows it.
#[derive(Serialize)]
pub struct CardView<'a> {
    pub id: &'a str,
    pub title: Option<&'a str>,
    pub owner: Option<&'a str>,
    pub tier: u8,
    pub standard: &'a str,
    pub standard_title: &'a str,
    /// The service file, from the handbook root: it has no page of its own.
    pub file: &'a str,
    pub level: LevelView,
    pub score: ScoreView,
    pub categories: Vec<CategoryView<'a>>,
    pub next: Option<NextView<'a>>,
    pub alerts: Vec<AlertView<'a>>,
    pub adrs: Vec<PageLink>,
    pub runbooks: Vec<PageLink>,
    pub review: ReviewView,
    /// Waived items, in the standard's order.
    pub waivers: Vec<WaiverView<'a>>,
    /// The badge, relative to the card, and its path in the site (for a README).
    pub badge: Option<String>,
    pub badge_path: Option<String>,
}

/// A level as a word and a CSS class; the word is always shown, never the colour alone.
#[derive(Serialize)]
pub struct LevelView {
    /// `bronze`, `silver`, `gold` or `none`.
    pub class: &'static str,
    /// `Bronze`, …, or `No level`.
    pub word: &'static str,
}

impl LevelView {
    fn of(level: Option<Level>) -> LevelView {
        match level {
            Some(Level::Bronze) => LevelView {
                class: "bronze",
                word: "Bronze",
            },
            Some(Level::Silver) => LevelView {
                class: "silver",
                word: "Silver",
            },
            Some(Level::Gold) => LevelView {
                class: "gold",
                word: "Gold",
            },
            None => LevelView {
                class: "none",
                word: "No level",
            },
        }
    }
}

#[derive(Serialize)]
pub struct ScoreView {
    pub passed: usize,
    pub applicable: usize,
    /// Rounded down, so that 100 means every applicable item; `None` when none applies.
    pub percent: Option<usize>,
}

impl ScoreView {
    fn of(score: Score) -> ScoreView {
        ScoreView {
            passed: score.passed,
            applicable: score.applicable,
            percent: percent(score),
        }
    }
}

/// The score as a whole percentage, rounded down; `None` when no item applies.
pub fn percent(score: Score) -> Option<usize> {
    (score.applicable > 0).then(|| score.passed * 100 / score.applicable)
}

#[derive(Serialize)]
pub struct CategoryView<'a> {
    pub id: &'a str,
    pub title: &'a str,
    /// The heading's id on the card.
    pub anchor: String,
    pub score: ScoreView,
    pub items: Vec<ItemView<'a>>,
}

#[derive(Serialize)]
pub struct ItemView<'a> {
    pub id: &'a str,
    /// The row's id on the card.
    pub anchor: String,
    pub title: &'a str,
    /// `pass`, `fail`, `exempt`, `n/a` or `unknown`.
    pub state: &'static str,
    /// A CSS-safe class for the state.
    pub state_class: &'static str,
    pub required: bool,
    pub level: &'static str,
    pub reason: &'a str,
    pub fix: &'a str,
    /// The same, escaped, with their `code` spans as code.
    pub reason_html: minijinja::Value,
    pub fix_html: minijinja::Value,
    /// The day from which a failure is an error, while it is still ahead.
    pub enforce_from: Option<String>,
    /// The automatic rule that decides the item, if any.
    pub verify: Option<&'static str>,
    pub evidence: Vec<LinkView<'a>>,
    pub note: Option<&'a str>,
    pub waiver: Option<WaiverView<'a>>,
    /// The guide page that explains the item, only when it exists.
    pub guide: Option<String>,
}

/// A link from the service file, resolved for the card.
#[derive(Serialize)]
pub struct LinkView<'a> {
    /// As written in the service file.
    pub text: &'a str,
    /// Where it leads from the card; `None` for a repository file or a broken link.
    pub url: Option<String>,
    /// `page`, `file`, `url` or `missing`.
    pub kind: &'static str,
    /// Why it does not resolve.
    pub problem: Option<&'a str>,
}

#[derive(Serialize)]
pub struct WaiverView<'a> {
    pub item: &'a str,
    pub item_title: &'a str,
    /// The item's row on the card.
    pub anchor: String,
    pub reason: &'a str,
    pub approved_by: &'a str,
    pub expires: String,
    /// `valid`, `ending-soon` or `expired`.
    pub state: &'static str,
}

#[derive(Serialize)]
pub struct NextView<'a> {
    pub level: LevelView,
    pub items: Vec<Blocking<'a>>,
}

/// An item that keeps the service from its next level.
#[derive(Serialize)]
pub struct Blocking<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub anchor: String,
    pub state: &'static str,
    pub state_class: &'static str,
}

#[derive(Serialize)]
pub struct AlertView<'a> {
    pub name: &'a str,
    pub runbook: Option<LinkView<'a>>,
    /// The link leads to a runbook page (and its section exists).
    pub resolves: bool,
}

#[derive(Serialize)]
pub struct PageLink {
    pub title: String,
    pub url: String,
}

#[derive(Serialize)]
pub struct ReviewView {
    /// `current`, `due`, `overdue` or `missing`.
    pub state: &'static str,
    pub reviewed: Option<String>,
    pub due: Option<String>,
}

/// The view of `card`, for the card written at `at`.
pub fn view<'a>(handbook: &'a Handbook, card: &'a Card, at: &str) -> CardView<'a> {
    let service = &handbook.services[card.service];
    let standard = &handbook.standards[card.standard];
    let mut results = card.items.iter();
    let mut waivers = Vec::new();
    let categories: Vec<CategoryView<'a>> = standard
        .categories
        .iter()
        .zip(&card.categories)
        .map(|(category, (_, score))| {
            let items: Vec<ItemView<'a>> = category
                .items
                .iter()
                .zip(results.by_ref())
                .map(|(item, result)| item_view(handbook, service, item, result, at))
                .collect();
            waivers.extend(items.iter().filter_map(|item| {
                item.waiver.as_ref().map(|waiver| WaiverView {
                    item: waiver.item,
                    item_title: waiver.item_title,
                    anchor: waiver.anchor.clone(),
                    reason: waiver.reason,
                    approved_by: waiver.approved_by,
                    expires: waiver.expires.clone(),
                    state: waiver.state,
                })
            }));
            CategoryView {
                id: &category.id,
                title: &category.title,
                anchor: format!("category-{}", anchor_part(&category.id)),
                score: ScoreView::of(*score),
                items,
            }
        })
        .collect();
    let next = card.next.as_ref().map(|(level, blocking)| NextView {
        level: LevelView::of(Some(*level)),
        items: blocking
            .iter()
            .filter_map(|id| {
                let item = standard.item(id)?;
                let result = card.items.iter().find(|result| &result.id == id)?;
                Some(Blocking {
                    id,
                    title: &item.title,
                    anchor: item_anchor(id),
                    state: result.state.name(),
                    state_class: state_class(result.state),
                })
            })
            .collect(),
    });
    let id = service.id.0.as_str();
    let adrs = handbook
        .adrs
        .iter()
        .filter(|adr| adr.status.as_deref() == Some("accepted"))
        .filter(|adr| adr.services.iter().any(|listed| listed == id))
        .map(|adr| PageLink {
            title: format!("{}: {}", adr.label(), adr.title),
            url: relative_url(at, &handbook.page(adr.page).url),
        })
        .collect();
    let runbooks = handbook
        .runbooks
        .iter()
        .filter(|runbook| runbook.service.as_deref() == Some(id))
        .map(|runbook| {
            let page = handbook.page(runbook.page);
            PageLink {
                title: page.title.clone(),
                url: relative_url(at, &page.url),
            }
        })
        .collect();
    CardView {
        id,
        title: service.title.as_deref(),
        owner: service.owner.as_deref(),
        tier: service.tier,
        standard: &standard.id,
        standard_title: &standard.title,
        file: &service.file,
        level: LevelView::of(card.level),
        score: ScoreView::of(card.score),
        categories,
        next,
        alerts: service
            .alerts
            .iter()
            .map(|alert| AlertView {
                name: &alert.name,
                runbook: alert
                    .runbook
                    .as_ref()
                    .map(|link| link_view(handbook, link, at)),
                resolves: matches!(
                    alert.runbook.as_ref().map(|link| &link.target),
                    Some(Target::Page { runbook: true, .. })
                ),
            })
            .collect(),
        adrs,
        runbooks,
        review: ReviewView {
            state: card.review.name(),
            reviewed: service.last_reviewed.map(|(date, _)| date.to_string()),
            due: card.review.due().map(|date| date.to_string()),
        },
        waivers,
        badge: badge_url(id).map(|badge| relative_url(at, &badge)),
        badge_path: badge_url(id),
    }
}

fn item_view<'a>(
    handbook: &'a Handbook,
    service: &'a Service,
    item: &'a Item,
    result: &'a ItemResult,
    at: &str,
) -> ItemView<'a> {
    let check: Option<&Check> = service.checks.iter().find(|check| check.id == item.id);
    let anchor = item_anchor(&item.id);
    let waiver = check
        .and_then(|check| check.waiver.as_ref())
        .filter(|_| result.waiver.is_some())
        .map(|waiver| WaiverView {
            item: &item.id,
            item_title: &item.title,
            anchor: anchor.clone(),
            reason: &waiver.reason,
            approved_by: &waiver.approved_by,
            expires: waiver.expires.to_string(),
            state: match result.waiver {
                Some(WaiverState::Expired) => "expired",
                Some(WaiverState::EndingSoon) => "ending-soon",
                _ => "valid",
            },
        });
    ItemView {
        id: &item.id,
        anchor,
        title: &item.title,
        state: result.state.name(),
        state_class: state_class(result.state),
        required: result.required,
        level: item.level.name(),
        reason: &result.reason,
        fix: &result.fix,
        reason_html: minijinja::Value::from_safe_string(super::code_spans(&result.reason)),
        fix_html: minijinja::Value::from_safe_string(super::code_spans(&result.fix)),
        enforce_from: item
            .enforce_from
            .filter(|_| result.not_yet_enforced)
            .map(|date| date.to_string()),
        verify: item.verify.as_ref().map(|rule| rule.name()),
        evidence: check
            .map(|check| {
                check
                    .evidence
                    .iter()
                    .map(|link| link_view(handbook, link, at))
                    .collect()
            })
            .unwrap_or_default(),
        note: check.and_then(|check| check.note.as_deref()),
        waiver,
        guide: item
            .guide
            .as_deref()
            .and_then(|guide| guide_url(handbook, guide, at)),
    }
}

/// Where a link from a service file leads, seen from the card at `at`. Only web and mail
/// URLs become links: a `javascript:` URL in YAML stays text.
fn link_view<'a>(handbook: &Handbook, link: &'a Link, at: &str) -> LinkView<'a> {
    let (url, kind, problem) = match &link.target {
        Target::Page { page, .. } => {
            let fragment = link
                .text
                .split_once('#')
                .map(|(_, fragment)| fragment)
                .filter(|fragment| !fragment.is_empty());
            let mut url = relative_url(at, &handbook.page(*page).url);
            if let Some(fragment) = fragment {
                url = format!("{url}#{fragment}");
            }
            (Some(url), "page", None)
        }
        Target::Url => {
            let lower = link.text.to_ascii_lowercase();
            let web = ["https://", "http://", "mailto:"]
                .iter()
                .any(|scheme| lower.starts_with(scheme));
            (web.then(|| link.text.clone()), "url", None)
        }
        Target::File(_) => (None, "file", None),
        Target::Missing(why) => (None, "missing", Some(why.as_str())),
    };
    LinkView {
        text: &link.text,
        url,
        kind,
        problem,
    }
}

/// The guide page of an item, from the card at `at`, when the page (and its section)
/// exists; an `init` or mdBook handbook has no such page, and that is no finding.
fn guide_url(handbook: &Handbook, guide: &str, at: &str) -> Option<String> {
    if crate::model::link::is_external(guide) {
        return None;
    }
    // A content-relative path, or `/` for the handbook root, as evidence paths are read.
    let from_root = crate::load::data::from_root(&handbook.prefix, guide)?;
    let source = match handbook.prefix.as_str() {
        "" => from_root,
        prefix => from_root
            .strip_prefix(prefix)?
            .strip_prefix('/')?
            .to_string(),
    };
    let page = handbook.page_by_source(&source)?;
    let fragment = guide
        .split_once('#')
        .map(|(_, fragment)| fragment)
        .filter(|fragment| !fragment.is_empty());
    let markdown = handbook.page(page).markdown()?;
    let mut url = relative_url(at, &handbook.page(page).url);
    if let Some(fragment) = fragment {
        if !markdown.outline.has_anchor(fragment) {
            return None;
        }
        url = format!("{url}#{fragment}");
    }
    Some(url)
}

/// An item's row id on the card: `item-reliability-timeouts`.
pub fn item_anchor(id: &str) -> String {
    format!("item-{}", anchor_part(id))
}

fn anchor_part(id: &str) -> String {
    slug::slug(&id.replace('.', "-"))
}

fn state_class(state: State) -> &'static str {
    match state {
        State::Pass => "pass",
        State::Fail => "fail",
        State::Exempt => "exempt",
        State::NotApplicable => "na",
        State::Unknown => "unknown",
    }
}

/// The card's sections for the page's table of contents, as the template writes them.
pub(super) fn toc(card: &CardView<'_>) -> Vec<super::TocEntry<'static>> {
    let entry = |level: u8, id: String, title: String| super::TocEntry {
        level,
        id: id.into(),
        title: title.into(),
    };
    let mut toc = vec![entry(2, "summary".into(), "Summary".into())];
    if card.next.is_some() {
        toc.push(entry(2, "next-level".into(), "The next level".into()));
    }
    toc.extend(
        card.categories
            .iter()
            .map(|category| entry(2, category.anchor.clone(), category.title.to_string())),
    );
    if !card.waivers.is_empty() {
        toc.push(entry(2, "waivers".into(), "Waivers".into()));
    }
    toc.push(entry(2, "alerts".into(), "Alerts".into()));
    toc.push(entry(2, "related".into(), "Related pages".into()));
    toc
}
