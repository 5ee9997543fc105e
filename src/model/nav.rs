//! The navigation: from SUMMARY.md when there is one, else from the folder tree.
//! Generated pages follow the written ones (as a last part, with a SUMMARY.md).

use std::collections::BTreeMap;

use crate::finding::{Finding, Rule, did_you_mean};
use crate::load::summary::{self, SectionNumber, Summary};
use crate::model::{Handbook, PageId, PageKind, humanize, is_index_file, summary_source};

/// The navigation tree, with the reading order and each page's place in the tree.
#[derive(Default)]
pub struct Nav {
    pub items: Vec<NavItem>,
    /// Pages in reading order (depth first), each once: previous/next links follow it.
    pub order: Vec<PageId>,
    /// For each page listed: its index in `order`, and the indices from `items` down to
    /// its entry (first listing).
    places: BTreeMap<PageId, (usize, Vec<usize>)>,
}

/// One top-level navigation entry.
pub enum NavItem {
    Part(String),
    Separator,
    Link(NavLink),
}

/// An entry that may link to a page and may hold sub-entries.
pub struct NavLink {
    pub title: String,
    /// `None` for a draft or a folder without an index page.
    pub page: Option<PageId>,
    /// mdBook's section number (`1.2.`), for a numbered SUMMARY.md chapter only.
    pub number: Option<SectionNumber>,
    pub children: Vec<NavLink>,
}

impl Nav {
    fn finish(items: Vec<NavItem>) -> Nav {
        let mut nav = Nav {
            items,
            order: Vec::new(),
            places: BTreeMap::new(),
        };
        let mut path = Vec::new();
        for (index, item) in nav.items.iter().enumerate() {
            if let NavItem::Link(link) = item {
                path.push(index);
                walk(link, &mut path, &mut nav.order, &mut nav.places);
                path.pop();
            }
        }
        nav
    }

    /// Whether the navigation reaches `page`.
    pub fn contains(&self, page: PageId) -> bool {
        self.places.contains_key(&page)
    }

    /// The entries from the top of the tree down to `page`'s entry.
    /// Where `page`'s first listing is: the index of each entry on the way down from the
    /// top level. Empty for a page the navigation does not list.
    pub fn path(&self, page: PageId) -> &[usize] {
        self.places
            .get(&page)
            .map_or(&[], |(_, path)| path.as_slice())
    }

    pub fn trail(&self, page: PageId) -> Vec<&NavLink> {
        let Some((_, path)) = self.places.get(&page) else {
            return Vec::new();
        };
        let mut trail = Vec::with_capacity(path.len());
        let NavItem::Link(first) = &self.items[path[0]] else {
            return trail;
        };
        let mut link: &NavLink = first;
        trail.push(link);
        for &index in &path[1..] {
            link = &link.children[index];
            trail.push(link);
        }
        trail
    }

    /// The pages before and after `page` in reading order.
    pub fn neighbours(&self, page: PageId) -> (Option<PageId>, Option<PageId>) {
        match self.places.get(&page) {
            Some(&(index, _)) => (
                index.checked_sub(1).map(|i| self.order[i]),
                self.order.get(index + 1).copied(),
            ),
            None => (None, None),
        }
    }
}

fn walk(
    link: &NavLink,
    path: &mut Vec<usize>,
    order: &mut Vec<PageId>,
    places: &mut BTreeMap<PageId, (usize, Vec<usize>)>,
) {
    if let Some(page) = link.page
        && let std::collections::btree_map::Entry::Vacant(entry) = places.entry(page)
    {
        entry.insert((order.len(), path.clone()));
        order.push(page);
    }
    for (index, child) in link.children.iter().enumerate() {
        path.push(index);
        walk(child, path, order, places);
        path.pop();
    }
}

/// The navigation SUMMARY.md describes. An entry whose file does not exist is a `link`
/// finding at its line in SUMMARY.md.
pub fn from_summary(
    summary: &Summary,
    handbook: &Handbook,
    file: &str,
    generated: &[PageId],
    findings: &mut Vec<Finding>,
) -> Nav {
    let mut items: Vec<NavItem> = summary
        .items
        .iter()
        .map(|item| match item {
            summary::Item::Part(title) => NavItem::Part(title.clone()),
            summary::Item::Separator => NavItem::Separator,
            summary::Item::Chapter(chapter) => {
                NavItem::Link(chapter_link(chapter, handbook, file, findings))
            }
        })
        .collect();
    if !generated.is_empty() {
        items.push(NavItem::Part("Handbook".into()));
        let (cards, others): (Vec<PageId>, Vec<PageId>) = generated
            .iter()
            .partition(|&&page| matches!(handbook.page(page).kind, PageKind::Service(_)));
        // A generated dashboard heads the report cards' group, as the folder-built
        // navigation shows them; without one (a services/README.md listed in SUMMARY.md
        // is the dashboard then) the group has no page of its own.
        let dashboard = others.iter().copied().find(|&page| {
            matches!(
                handbook.page(page).kind,
                PageKind::Index(crate::model::Index::Services)
            )
        });
        items.extend(
            others
                .into_iter()
                .filter(|page| Some(*page) != dashboard || cards.is_empty())
                .map(|page| NavItem::Link(leaf(handbook, page))),
        );
        if !cards.is_empty() {
            items.push(NavItem::Link(NavLink {
                title: dashboard.map_or_else(
                    || "Services".to_string(),
                    |page| handbook.page(page).title.clone(),
                ),
                page: dashboard,
                number: None,
                children: cards
                    .into_iter()
                    .filter(|_| cards_in_nav(handbook))
                    .map(|page| leaf(handbook, page))
                    .collect(),
            }));
        }
    }
    under_dashboard(handbook, &mut items);
    Nav::finish(items)
}

fn chapter_link(
    chapter: &summary::Chapter,
    handbook: &Handbook,
    file: &str,
    findings: &mut Vec<Finding>,
) -> NavLink {
    let page = chapter.path.as_deref().and_then(|path| {
        let source = summary_source(path);
        let found = source.as_deref().and_then(|source| handbook.page_by_source(source));
        // A draft keeps its entry, unlinked, as mdBook shows a draft chapter.
        let draft = source.as_deref().is_some_and(|source| handbook.is_draft(source));
        if found.is_none() && !draft {
            let path = source.as_deref().unwrap_or(path);
            let help = match did_you_mean(path, handbook.sources()) {
                Some(suggestion) => format!("did you mean `{suggestion}`? Paths are relative to the content folder"),
                None => "create the file, fix the path (relative to the content folder), or make the entry a draft with `[Title]()`; shipshape never creates it for you, as mdBook's `create-missing` would".into(),
            };
            findings.push(
                Finding::new(Rule::Link, file, format!("SUMMARY.md lists `{path}`, which does not exist"))
                    .key(path)
                    .at(chapter.position)
                    .help(help),
            );
        }
        found
    });
    NavLink {
        title: if chapter.title.is_empty() {
            page.map(|page| handbook.page(page).title.clone())
                .unwrap_or_else(|| "Untitled".into())
        } else {
            chapter.title.clone()
        },
        page,
        number: chapter.number.clone(),
        children: chapter
            .children
            .iter()
            .map(|child| chapter_link(child, handbook, file, findings))
            .collect(),
    }
}

/// The most report cards (and team pages) the sidebar lists under the dashboard. A
/// handbook of hundreds of services lists them on the dashboard, whose grid is made for
/// that, and keeps every page's sidebar (and the dashboard's own size) bounded.
const MOST_IN_NAV: usize = 50;

/// Whether the report cards are listed in the navigation.
fn cards_in_nav(handbook: &Handbook) -> bool {
    handbook
        .pages
        .iter()
        .filter(|page| matches!(page.kind, PageKind::Service(_)))
        .count()
        <= MOST_IN_NAV
}

fn leaf(handbook: &Handbook, page: PageId) -> NavLink {
    NavLink {
        title: handbook.page(page).title.clone(),
        page: Some(page),
        number: None,
        children: Vec::new(),
    }
}

/// The navigation of a handbook without SUMMARY.md: the root index first, then each
/// folder as an entry (linking to its index page when it has one) holding its pages,
/// ordered by front matter `weight`, then file name.
pub fn from_folders(handbook: &Handbook, generated: &[PageId]) -> Nav {
    let mut root = Folder::default();
    for (id, page) in handbook.iter() {
        // A generated ADR or runbook index stands where the folder's README.md would.
        let (path, weight) = match (&page.kind, page.markdown()) {
            (_, Some(markdown)) => (
                markdown.document.path.as_str(),
                markdown.document.meta.weight.unwrap_or(0),
            ),
            // A report card joins its `services/` folder, unless there are too many.
            (PageKind::Service(_), None) if !cards_in_nav(handbook) => continue,
            (PageKind::Index(_) | PageKind::Service(_), None) => (page.url.as_str(), 0),
            (_, None) => continue,
        };
        let mut folder = &mut root;
        let mut parts: Vec<&str> = path.split('/').collect();
        let file = parts.pop().unwrap_or_default();
        for part in parts {
            folder = folder.folders.entry(part.to_string()).or_default();
        }
        if is_index_file(file) || file == "index.html" {
            folder.index.get_or_insert((weight, id));
        } else {
            folder.pages.push((weight, file.to_string(), id));
        }
    }

    let mut items = Vec::new();
    if let Some((_, index)) = root.index {
        items.push(NavItem::Link(leaf(handbook, index)));
    }
    items.extend(
        folder_children(&root, handbook)
            .into_iter()
            .map(NavItem::Link),
    );
    items.extend(
        generated
            .iter()
            .filter(|&&page| {
                !matches!(
                    handbook.page(page).kind,
                    PageKind::Index(_) | PageKind::Service(_)
                )
            })
            .map(|&page| NavItem::Link(leaf(handbook, page))),
    );
    under_dashboard(handbook, &mut items);
    Nav::finish(items)
}

/// Lists the waivers and team pages under the services dashboard's first entry.
fn under_dashboard(handbook: &Handbook, items: &mut [NavItem]) {
    let Some(dashboard) = handbook
        .indexes
        .iter()
        .find(|(index, _)| *index == crate::model::Index::Services)
        .map(|(_, page)| *page)
    else {
        return;
    };
    fn find(links: &mut [NavLink], page: PageId) -> Option<&mut NavLink> {
        for link in links {
            if link.page == Some(page) {
                return Some(link);
            }
            if let Some(found) = find(&mut link.children, page) {
                return Some(found);
            }
        }
        None
    }
    for item in items {
        if let NavItem::Link(link) = item
            && let Some(found) = find(std::slice::from_mut(link), dashboard)
        {
            // The waivers page, and the team pages while they are few.
            let few = handbook.overview.len() <= MOST_IN_NAV;
            found.children.extend(
                handbook
                    .overview
                    .iter()
                    .filter(|&&page| few || matches!(handbook.page(page).kind, PageKind::Waivers))
                    .map(|&page| leaf(handbook, page)),
            );
            return;
        }
    }
}

#[derive(Default)]
struct Folder {
    index: Option<(i64, PageId)>,
    pages: Vec<(i64, String, PageId)>,
    folders: BTreeMap<String, Folder>,
}

fn folder_children(folder: &Folder, handbook: &Handbook) -> Vec<NavLink> {
    let mut entries: Vec<(i64, &str, NavLink)> = folder
        .pages
        .iter()
        .map(|(weight, name, page)| (*weight, name.as_str(), leaf(handbook, *page)))
        .collect();
    for (name, sub) in &folder.folders {
        let weight = sub.index.map_or(0, |(weight, _)| weight);
        let link = NavLink {
            title: sub
                .index
                .map(|(_, page)| handbook.page(page).title.clone())
                .unwrap_or_else(|| humanize(name)),
            page: sub.index.map(|(_, page)| page),
            number: None,
            children: folder_children(sub, handbook),
        };
        entries.push((weight, name, link));
    }
    entries.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    entries.into_iter().map(|(_, _, link)| link).collect()
}
