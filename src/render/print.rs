//! The print page: every chapter in reading order on one page, as mdBook's `print.html`,
//! for readers who print the handbook or save it as a PDF. Headings share one set of ids
//! (a repeat takes the next free number, as on a single page), and a link to a chapter of
//! the book, or to a heading in one, becomes a link within the page.

use std::collections::HashMap;

use crate::model::link::{self, Target};
use crate::model::slug::{Slugger, slug};
use crate::model::{Handbook, PageId};

/// The chapters of the print page and the ids their headings take there.
pub struct PrintPage<'a> {
    handbook: &'a Handbook,
    /// The chapters, in reading order.
    pub chapters: Vec<PageId>,
    /// Each chapter's heading ids on the print page, by heading index.
    ids: HashMap<PageId, Vec<String>>,
    /// Where a link to each chapter lands: its first heading, or an id of its own.
    anchors: HashMap<PageId, String>,
}

impl<'a> PrintPage<'a> {
    /// The print page of every markdown page the navigation lists.
    pub fn new(handbook: &'a Handbook) -> PrintPage<'a> {
        let chapters: Vec<PageId> = handbook
            .nav
            .order
            .iter()
            .copied()
            .filter(|id| handbook.page(*id).markdown().is_some())
            .collect();
        let headings = chapters
            .iter()
            .filter_map(|&id| handbook.page(id).markdown())
            .map(|markdown| markdown.outline.headings.len())
            .sum::<usize>();
        let mut slugger = Slugger::with_capacity(headings + chapters.len());
        let mut ids = HashMap::with_capacity(chapters.len());
        let mut anchors = HashMap::with_capacity(chapters.len());
        for &id in &chapters {
            let page = handbook.page(id);
            let Some(markdown) = page.markdown() else {
                continue;
            };
            let chapter_ids: Vec<String> = markdown
                .outline
                .headings
                .iter()
                .map(|heading| slugger.reserve(heading.id.clone()))
                .collect();
            let anchor = match chapter_ids.first() {
                Some(first) => first.clone(),
                None => slugger.reserve(slug(&page.title)),
            };
            ids.insert(id, chapter_ids);
            anchors.insert(id, anchor);
        }
        PrintPage {
            handbook,
            chapters,
            ids,
            anchors,
        }
    }

    /// The fingerprint of everything a chapter's links and ids on the print page can
    /// depend on besides the chapter itself: every page's address, source and heading
    /// ids, and every chapter's print ids. A body edit that keeps the headings keeps it.
    pub fn fingerprint(&self) -> crate::cache::Fp {
        let mut hasher = crate::cache::Hasher::new();
        for (_, page) in self.handbook.iter() {
            hasher.part(&page.url);
            if let Some(markdown) = page.markdown() {
                hasher.part(&markdown.document.path);
                hasher.number(markdown.outline.headings.len() as u128);
                for heading in &markdown.outline.headings {
                    hasher.part(heading.id.as_str());
                }
            }
        }
        for id in &self.chapters {
            hasher.number(id.0 as u128);
            for print_id in self.ids.get(id).into_iter().flatten() {
                hasher.part(print_id);
            }
            hasher.part(self.anchors.get(id).map_or("", String::as_str));
        }
        hasher.finish()
    }

    /// The id heading `index` of chapter `page` takes on the print page.
    pub fn heading_id(&self, page: PageId, index: usize) -> Option<&str> {
        self.ids.get(&page)?.get(index).map(String::as_str)
    }

    /// Where a link to chapter `page` itself lands, when the chapter has no heading to
    /// land on (the print page then writes this id on the chapter).
    pub fn bare_anchor(&self, page: PageId) -> Option<&str> {
        let has_headings = self.ids.get(&page).is_some_and(|ids| !ids.is_empty());
        (!has_headings).then(|| self.anchors.get(&page).map(String::as_str))?
    }

    /// The link `dest`, written in chapter `page` (content-relative `source`), as a link
    /// within the print page; `None` when it leads elsewhere (it is then written relative
    /// to the print page).
    pub fn link(&self, page: PageId, source: &str, dest: &str) -> Option<String> {
        match link::resolve(source, dest) {
            Target::Fragment(fragment) if !fragment.is_empty() => {
                Some(format!("#{}", self.find(page, fragment)?))
            }
            Target::Path { path, fragment } => {
                let target = self
                    .handbook
                    .page_by_source(&path)
                    .or_else(|| self.handbook.page_by_url(&path))?;
                let anchor = match fragment.filter(|fragment| !fragment.is_empty()) {
                    Some(fragment) => self.find(target, fragment)?,
                    None => self.anchors.get(&target)?,
                };
                Some(format!("#{anchor}"))
            }
            _ => None,
        }
    }

    /// The print id of the heading with anchor `fragment` in chapter `page`.
    fn find(&self, page: PageId, fragment: &str) -> Option<&str> {
        let fragment = link::percent_decode(fragment);
        let index = self
            .handbook
            .page(page)
            .markdown()?
            .outline
            .headings
            .iter()
            .position(|heading| heading.id == fragment)?;
        self.heading_id(page, index)
    }
}
