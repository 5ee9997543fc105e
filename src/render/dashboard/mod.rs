//! What templates show of the readiness overview: the services dashboard (every service ×
//! category, with charts), a page per team, and the waivers page. Each view is made from
//! the check run's `Card`s, so the pages say what `check` and `readiness.json` say.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use jiff::civil::Date;
use serde::Serialize;

use super::charts::{self, Bar};
use super::escape;
use super::records::Records;
use crate::model::link::relative_url;
use crate::model::readiness::{Card, ItemResult, Score, State};
use crate::model::standard::{Level, Standard};
use crate::model::{Handbook, Index, PageKind, WAIVERS_URL};

mod team;
mod waivers;

pub use team::TeamView;
pub use waivers::WaiverRow;

/// The overview views a page shows; at most one is set.
#[derive(Serialize, Default)]
pub struct Overview<'a> {
    pub dashboard: Option<Dashboard<'a>>,
    pub team: Option<TeamView<'a>>,
    pub waivers: Option<Vec<WaiverRow<'a>>>,
}

/// The services dashboard.
#[derive(Serialize)]
pub struct Dashboard<'a> {
    /// The column heads: each category's title (with its id when two share a title).
    pub categories: Vec<String>,
    pub service_count: usize,
    /// The grid's rows, written here rather than by the template: see `grid_rows`.
    pub rows: minijinja::Value,
    /// The owners, tiers and levels the filters offer.
    pub owners: Vec<&'a str>,
    pub tiers: Vec<u8>,
    pub levels: &'static [&'static str],
    /// The charts, as inline SVG.
    pub level_chart: minijinja::Value,
    pub category_chart: minijinja::Value,
    pub failing_chart: minijinja::Value,
    /// Whether any item is failing anywhere (else the third chart says so in words).
    pub any_failing: bool,
    pub waivers_url: String,
    pub waiver_count: usize,
    pub teams: Vec<TeamLink<'a>>,
    /// Whether the teams come from teams.yaml (else from the owner strings).
    pub declared_teams: bool,
}

/// One service in the grid.
#[derive(Serialize)]
pub struct Row<'a> {
    pub id: &'a str,
    pub title: &'a str,
    /// Its report card, relative to the page.
    pub url: String,
    pub owner: &'a str,
    pub owner_url: Option<String>,
    pub tier: u8,
    pub level: &'static str,
    pub score: Cell,
    /// One per dashboard category, in its order; `None` where the standard has none.
    pub cells: Vec<Option<Cell>>,
}

/// A score with its level, as a cell shows it.
#[derive(Serialize)]
pub struct Cell {
    /// Whole percent; `None` when nothing applies.
    pub percent: Option<u32>,
    pub passed: usize,
    pub applicable: usize,
    pub level: &'static str,
}

#[derive(Serialize)]
pub struct TeamLink<'a> {
    pub name: &'a str,
    pub url: String,
    pub services: usize,
}

/// Builds the overview views; made once per build.
pub struct Views<'a> {
    handbook: &'a Handbook,
    cards: &'a [Card],
    /// The day the cards were judged on, for the waivers' days left.
    today: Date,
}

impl<'a> Views<'a> {
    pub fn new(handbook: &'a Handbook, cards: &'a [Card], today: Date) -> Views<'a> {
        Views {
            handbook,
            cards,
            today,
        }
    }

    /// The overview page `kind` shows (a dashboard for `index`), seen from `at`.
    pub fn of(
        &self,
        kind: &PageKind,
        index: Option<Index>,
        at: &str,
        records: &Records<'a>,
    ) -> Overview<'a> {
        match (kind, index) {
            (_, Some(Index::Services)) => Overview {
                dashboard: Some(self.dashboard(at)),
                ..Overview::default()
            },
            (PageKind::Team(team), _) => Overview {
                team: Some(self.team(*team, at, records)),
                ..Overview::default()
            },
            (PageKind::Waivers, _) => Overview {
                waivers: Some(self.waivers(at)),
                ..Overview::default()
            },
            _ => Overview::default(),
        }
    }

    fn standard(&self, card: &Card) -> &'a Standard {
        &self.handbook.standards[card.standard]
    }

    fn card_url(&self, card: &Card, at: &str) -> String {
        let id = &self.handbook.services[card.service].id.0;
        relative_url(at, &format!("{}/{id}.html", crate::model::SERVICES_DIR))
    }

    /// The category ids of every standard in use, in order of first appearance.
    fn categories(&self) -> Vec<&'a str> {
        let mut seen = HashSet::new();
        let mut ids = Vec::new();
        for card in self.cards {
            for category in &self.standard(card).categories {
                if seen.insert(category.id.as_str()) {
                    ids.push(category.id.as_str());
                }
            }
        }
        ids
    }

    fn row(&self, card: &'a Card, categories: &[&str], at: &str) -> Row<'a> {
        let service = &self.handbook.services[card.service];
        let teams = &self.handbook.teams;
        let owner = service.owner.as_deref();
        let standard = self.standard(card);
        let mut levels = BTreeMap::new();
        let mut offset = 0;
        for category in &standard.categories {
            let results = &card.items[offset..offset + category.items.len()];
            let level = level_of(
                category
                    .items
                    .iter()
                    .map(|item| item.level)
                    .zip(results.iter()),
            );
            levels.insert(category.id.as_str(), level);
            offset += category.items.len();
        }
        Row {
            id: &service.id.0,
            title: service.title.as_deref().unwrap_or(&service.id.0),
            url: self.card_url(card, at),
            owner: owner.unwrap_or(""),
            owner_url: teams
                .of(owner)
                .map(|team| relative_url(at, &teams.teams[team].url)),
            tier: service.tier,
            level: level_name(card.level),
            score: cell(card.score, card.level),
            cells: categories
                .iter()
                .map(|id| {
                    let (_, score) = card.categories.iter().find(|(cat, _)| cat == id)?;
                    Some(cell(*score, *levels.get(id)?))
                })
                .collect(),
        }
    }

    fn dashboard(&self, at: &str) -> Dashboard<'a> {
        let handbook = self.handbook;
        let categories = self.categories();
        let rows: Vec<Row<'a>> = self
            .cards
            .iter()
            .map(|card| self.row(card, &categories, at))
            .collect();
        let owners: BTreeSet<&str> = rows.iter().map(|row| row.owner).collect();
        let tiers: BTreeSet<u8> = rows.iter().map(|row| row.tier).collect();
        let teams = &handbook.teams;
        let team_links = teams
            .teams
            .iter()
            .filter(|team| {
                handbook
                    .page_by_url(&team.url)
                    .is_some_and(|id| matches!(handbook.page(id).kind, PageKind::Team(_)))
            })
            .map(|team| TeamLink {
                name: &team.name,
                url: relative_url(at, &team.url),
                services: handbook
                    .services
                    .iter()
                    .filter(|service| service.owner.as_deref() == Some(team.id.as_str()))
                    .count(),
            })
            .collect();
        let (failing_chart, any_failing) = self.failing_chart();
        let labels = self.labels(&categories);
        Dashboard {
            level_chart: minijinja::Value::from_safe_string(self.level_chart()),
            category_chart: minijinja::Value::from_safe_string(
                self.category_chart(&categories, &labels),
            ),
            failing_chart: minijinja::Value::from_safe_string(failing_chart),
            any_failing,
            categories: labels,
            service_count: rows.len(),
            rows: minijinja::Value::from_safe_string(grid_rows(&rows)),
            owners: owners.into_iter().collect(),
            tiers: tiers.into_iter().collect(),
            levels: &["none", "bronze", "silver", "gold"],
            waivers_url: relative_url(at, WAIVERS_URL),
            // A result has a waiver state only when its check has a complete waiver:
            // the rows of the waivers page, counted without making them.
            waiver_count: self
                .cards
                .iter()
                .flat_map(|card| &card.items)
                .filter(|result| result.waiver.is_some())
                .count(),
            teams: team_links,
            declared_teams: teams.file.is_some(),
        }
    }

    /// How many services reach each level.
    fn level_chart(&self) -> String {
        let mut counts = [0usize; 4];
        for card in self.cards {
            counts[card.level.map_or(0, |level| level as usize + 1)] += 1;
        }
        let most = counts.iter().copied().max().unwrap_or(0).max(1);
        let total = self.cards.len();
        let names = ["none", "bronze", "silver", "gold"];
        let bars: Vec<Bar> = names
            .iter()
            .zip(counts)
            .map(|(name, count)| Bar {
                label: (*name).to_string(),
                share: count as f64 / most as f64,
                value: format!("{count} of {total}"),
                class: level_class(name),
                title: format!("{count} of {total} services at {name}"),
            })
            .collect();
        let summary = format!(
            "Services by level: {}",
            names
                .iter()
                .zip(counts)
                .map(|(name, count)| format!("{name} {count}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        charts::bars("chart-levels", &summary, &bars)
    }

    /// Each category's title, with its id when another category has the same title.
    fn labels(&self, categories: &[&str]) -> Vec<String> {
        let mut titles: BTreeMap<&str, &str> = BTreeMap::new();
        for card in self.cards {
            for category in &self.standard(card).categories {
                titles
                    .entry(category.id.as_str())
                    .or_insert(&category.title);
            }
        }
        let title = |id: &str| titles.get(id).copied().unwrap_or(id).to_string();
        categories
            .iter()
            .map(|id| {
                let shared = categories
                    .iter()
                    .filter(|other| title(other) == title(id))
                    .count();
                match shared {
                    1 => title(id),
                    _ => format!("{} ({id})", title(id)),
                }
            })
            .collect()
    }

    /// Items passed of items that apply, per category, over every service.
    fn category_chart(&self, categories: &[&str], labels: &[String]) -> String {
        let mut totals: BTreeMap<&str, Score> = BTreeMap::new();
        for card in self.cards {
            for (id, score) in &card.categories {
                let total = totals.entry(id.as_str()).or_default();
                total.passed += score.passed;
                total.applicable += score.applicable;
            }
        }
        let bars: Vec<Bar> = categories
            .iter()
            .zip(labels)
            .map(|(id, title)| {
                let score = totals.get(id).copied().unwrap_or_default();
                let share = ratio(score);
                Bar {
                    label: title.to_string(),
                    share,
                    value: format!("{}%", (share * 100.0).round()),
                    class: "bar-rate",
                    title: format!(
                        "{title}: {} of {} items pass across services",
                        score.passed, score.applicable
                    ),
                }
            })
            .collect();
        let summary = format!(
            "Pass rate per category: {}",
            bars.iter()
                .map(|bar| format!("{} {}", bar.label, bar.value))
                .collect::<Vec<_>>()
                .join(", ")
        );
        charts::bars("chart-categories", &summary, &bars)
    }

    /// The ten items that fail (or are unknown) for the most services.
    fn failing_chart(&self) -> (String, bool) {
        let mut counts: BTreeMap<&str, (usize, &str)> = BTreeMap::new();
        for card in self.cards {
            for (item, result) in self.standard(card).items().zip(&card.items) {
                if matches!(result.state, State::Fail | State::Unknown) {
                    counts.entry(&result.id).or_insert((0, &item.title)).0 += 1;
                }
            }
        }
        let mut ranked: Vec<(&str, usize, &str)> = counts
            .into_iter()
            .map(|(id, (count, title))| (id, count, title))
            .collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        ranked.truncate(10);
        let total = self.cards.len();
        let most = ranked.first().map_or(1, |(_, count, _)| *count).max(1);
        let bars: Vec<Bar> = ranked
            .iter()
            .map(|(id, count, title)| Bar {
                label: (*id).to_string(),
                share: *count as f64 / most as f64,
                value: format!("{count} of {total}"),
                class: "bar-fail",
                title: format!(
                    "{id}: {title}; fails or is unknown for {count} of {total} services"
                ),
            })
            .collect();
        let summary = format!(
            "Items that fail most often: {}",
            ranked
                .iter()
                .map(|(id, count, _)| format!("{id} {count} services"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        (
            charts::bars("chart-failing", &summary, &bars),
            !ranked.is_empty(),
        )
    }
}

/// The dashboard grid's rows as HTML. Written here, not in the template: for 2,000
/// services the template engine took most of the build's render time, and the page must
/// stay small, so the rows leave out the optional `</td>` and `</tr>` end tags. Every
/// string from YAML goes through `escape`.
fn grid_rows(rows: &[Row<'_>]) -> String {
    use std::fmt::Write as _;
    let mut html = String::with_capacity(rows.len() * 480);
    for row in rows {
        let _ = write!(
            html,
            "<tr data-service=\"{}\" data-owner=\"{}\" data-tier=\"{}\" data-level=\"{}\" data-score=\"{}\"><th scope=\"row\"><a href=\"{}\">{}</a><td>",
            escape(row.id),
            escape(row.owner),
            row.tier,
            row.level,
            row.score.percent.unwrap_or(0),
            escape(&row.url),
            escape(row.title),
        );
        match &row.owner_url {
            Some(url) => {
                let _ = write!(
                    html,
                    "<a href=\"{}\">{}</a>",
                    escape(url),
                    escape(row.owner)
                );
            }
            None if row.owner.is_empty() => html.push('—'),
            None => html.push_str(&escape(row.owner)),
        }
        let _ = write!(
            html,
            "<td>{}<td class=\"lv-{}\">{}<td class=\"lv-{}\">{}/{}",
            row.tier, row.level, row.level, row.score.level, row.score.passed, row.score.applicable
        );
        for cell in &row.cells {
            match cell {
                Some(cell) => {
                    let _ = match cell.percent {
                        Some(percent) => {
                            write!(
                                html,
                                "<td class=\"lv-{}\">{percent}% {}",
                                cell.level, cell.level
                            )
                        }
                        None => write!(html, "<td class=\"lv-{}\">n/a {}", cell.level, cell.level),
                    };
                }
                None => html.push_str("<td>—"),
            }
        }
        html.push('\n');
    }
    html
}

/// The highest level whose items (and every lower level's) are all met or n/a.
fn level_of<'r>(items: impl Iterator<Item = (Level, &'r ItemResult)> + Clone) -> Option<Level> {
    let mut reached = None;
    for level in Level::ALL {
        let blocked = items.clone().any(|(item_level, result)| {
            item_level <= level && !result.state.met() && result.state != State::NotApplicable
        });
        if blocked {
            break;
        }
        reached = Some(level);
    }
    reached
}

fn level_name(level: Option<Level>) -> &'static str {
    level.map_or("none", Level::name)
}

fn level_class(name: &str) -> &'static str {
    match name {
        "gold" => "bar-gold",
        "silver" => "bar-silver",
        "bronze" => "bar-bronze",
        _ => "bar-none",
    }
}

fn ratio(score: Score) -> f64 {
    if score.applicable == 0 {
        0.0
    } else {
        score.passed as f64 / score.applicable as f64
    }
}

fn cell(score: Score, level: Option<Level>) -> Cell {
    Cell {
        percent: (score.applicable > 0).then(|| (ratio(score) * 100.0).floor() as u32),
        passed: score.passed,
        applicable: score.applicable,
        level: level_name(level),
    }
}
