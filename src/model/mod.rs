//! Model: the handbook as typed data. Pages (written and generated), where each is
//! written in the site, what each depends on, and the navigation.
//!
//! Invariant: this module does no I/O; it only turns `load::Content` into a `Handbook`.

pub mod adr;
mod assemble;
pub mod fields;
mod generated;
pub mod link;
pub mod markdown;
pub mod nav;
pub mod readiness;
pub mod redirect;
pub mod runbook;
pub mod service;
pub mod slug;
pub mod standard;
pub mod team;
pub mod values;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::load::{self, Document};
pub use adr::Adr;
pub use assemble::build;
pub use markdown::Outline;
pub use nav::Nav;
pub use runbook::Runbook;

/// A page's index in `Handbook::pages`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PageId(pub usize);

/// The handbook, ready to check and render.
pub struct Handbook {
    /// Written pages first (in path order), then generated pages.
    pub pages: Vec<Page>,
    pub nav: Nav,
    /// Non-markdown files to copy, relative to the content folder.
    pub assets: Vec<String>,
    /// The content folder on disk.
    pub content_dir: PathBuf,
    /// The content folder relative to the handbook root, for findings.
    pub prefix: String,
    /// The first chapter, when no page is written at `index.html`: it is written there
    /// too, so the site's address and the title link work, as in mdBook.
    pub home: Option<PageId>,
    /// The book's own stylesheets and scripts: site path, and the file to copy.
    pub extra_files: Vec<(String, PathBuf)>,
    /// Whether pages are read with smart punctuation; rendering reads them the same way.
    pub smart_punctuation: bool,
    /// The suppression directives of each file that has any, by its path from the
    /// handbook root, as load read them.
    pub directives: BTreeMap<String, Vec<load::Directive>>,
    /// The ADRs, by file name.
    pub adrs: Vec<Adr>,
    /// The runbooks, by file name.
    pub runbooks: Vec<Runbook>,
    /// The pages that show the ADR and the runbook index: the folders' README.md, else
    /// a generated page at the folder's `index.html`; `None` without ADRs or runbooks.
    pub indexes: Vec<(Index, PageId)>,
    /// The readiness standards (the built-in one unless the handbook replaces it), by id.
    pub standards: Vec<standard::Standard>,
    /// The service checklists, by id.
    pub services: Vec<service::Service>,
    /// The owners of the services: `teams.yaml`'s teams, else each distinct `owner`.
    pub teams: team::Teams,
    /// The readiness overview pages besides the dashboard: the waivers page, then a page
    /// per team; the navigation lists them under the dashboard.
    pub overview: Vec<PageId>,
    /// Which repository files named by the services and standards exist.
    pub probes: load::data::Probes,
    /// Content-relative sources and urls of the pages left out as drafts.
    drafts: HashSet<String>,
    by_source: HashMap<String, PageId>,
    by_url: HashMap<String, PageId>,
}

/// One page of the site.
pub struct Page {
    /// Where the page is written, relative to the site root (`guide/intro.html`).
    pub url: String,
    pub title: String,
    pub kind: PageKind,
}

/// What a page is made from.
pub enum PageKind {
    /// A markdown file of the handbook.
    Markdown(Box<MarkdownPage>),
    /// The docs-health page, listing every finding.
    Health,
    /// Every chapter on one page, for printing (mdBook's `print.html`).
    Print,
    /// The page a web server shows for an unknown address, unless the handbook has a
    /// `404.md` of its own. No navigation lists it.
    NotFound,
    /// The ADR or runbook index of a handbook whose folder has no README.md to head it,
    /// or the services dashboard.
    Index(Index),
    /// The report card of a scored service (its index in `Handbook::services`).
    Service(usize),
    /// A team's page: its services, failing items, runbooks, ADRs and contacts
    /// (the index in `Handbook::teams`).
    Team(usize),
    /// Every waiver of every service, by expiry.
    Waivers,
}

/// Which generated index a page shows (after its own text, when it has a README.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Index {
    Adrs,
    Runbooks,
    /// The services dashboard (`services/index.html`).
    Services,
}

/// A page written in markdown.
pub struct MarkdownPage {
    pub document: Document,
    /// Shared with `serve`'s kept parses (`Parses`), which hand it to the next rebuild.
    pub outline: std::sync::Arc<Outline>,
    /// The parser's events from the pass that read the outline, when the handbook is
    /// built to be rendered (`Purpose::Render`).
    kept: Option<std::sync::Arc<markdown::Events>>,
    /// What the outline and events were read from (`markdown::Parses::key`): the body,
    /// its source map and the parser's options.
    pub read_from: crate::cache::Fp,
}

impl MarkdownPage {
    /// The page's markdown events, read with smart punctuation when `smart` (as the
    /// outline was): the kept ones, else the body parsed again.
    pub fn events(&self, smart: bool) -> markdown::PageEvents<'_> {
        let body = self.document.body.as_str();
        match &self.kept {
            Some(events) => markdown::PageEvents::Kept(events.replay(body)),
            None => markdown::PageEvents::Parsed(Box::new(pulldown_cmark::Parser::new_ext(
                body,
                markdown::options(smart),
            ))),
        }
    }
}

/// What the handbook is built for, which decides what the model keeps of each page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// Only checked (`check`): of each page's parse, the outline is kept.
    Check,
    /// Rendered too (`build`): each page's events are kept as well, so that rendering
    /// walks them instead of parsing the page again.
    Render,
}

impl Page {
    /// The markdown behind the page, when it has one.
    pub fn markdown(&self) -> Option<&MarkdownPage> {
        match &self.kind {
            PageKind::Markdown(page) => Some(page),
            PageKind::Health
            | PageKind::Print
            | PageKind::NotFound
            | PageKind::Index(_)
            | PageKind::Service(_)
            | PageKind::Team(_)
            | PageKind::Waivers => None,
        }
    }
}

/// The url of the docs-health page.
pub const HEALTH_URL: &str = "health.html";

/// The url of the not-found page, which web servers and GitHub Pages look for.
pub const NOT_FOUND_URL: &str = "404.html";

/// The url of the print page.
pub const PRINT_URL: &str = "print.html";

/// The url of the sitemap.
pub const SITEMAP_URL: &str = "sitemap.xml";

/// Paths shipshape writes itself, with what it writes there; neither a page nor a copied
/// file may take them. (`404.md` and `404.html` may: they replace the built-in page.)
const RESERVED: &[(&str, &str)] = &[
    (HEALTH_URL, "the docs-health page"),
    (PRINT_URL, "the print page (the whole handbook on one page)"),
    (SITEMAP_URL, "the sitemap"),
    (READINESS_URL, "every service's readiness scores"),
    (SERVICE_SCHEMA_URL, "the JSON Schema of service checklists"),
    (
        STANDARD_SCHEMA_URL,
        "the JSON Schema of readiness standards",
    ),
    (READINESS_SCHEMA_URL, "the JSON Schema of readiness.json"),
    (WAIVERS_URL, "the waivers page"),
];

/// The services dashboard, which a `services/README.md` heads.
pub const SERVICES_DIR: &str = "services";
/// Every waiver, by expiry.
pub const WAIVERS_URL: &str = "waivers.html";

/// Every service's scores, as JSON.
pub const READINESS_URL: &str = "readiness.json";
/// The JSON Schemas the site publishes, for editors and for readers of readiness.json.
pub const SERVICE_SCHEMA_URL: &str = "schema/service.schema.json";
pub const STANDARD_SCHEMA_URL: &str = "schema/standard.schema.json";
pub const READINESS_SCHEMA_URL: &str = "schema/readiness.schema.json";

/// Where a service's report card is written, when its id can be a file name.
pub fn card_url(id: &str) -> Option<String> {
    file_name_safe(id).then(|| format!("services/{id}.html"))
}

/// Where a service's badge is written, when its id can be a file name.
pub fn badge_url(id: &str) -> Option<String> {
    file_name_safe(id).then(|| format!("badges/{id}.svg"))
}

/// Letters, digits, `.`, `_` and `-`, starting with a letter or digit: a name that is
/// one file on every system and needs no escaping in a URL.
fn file_name_safe(id: &str) -> bool {
    id.len() <= 200
        && id.starts_with(|c: char| c.is_ascii_alphanumeric())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
}

/// What shipshape writes at `url` itself, if anything.
fn reserved(url: &str) -> Option<&'static str> {
    if url.starts_with(SEARCH_DIR) {
        return Some("the search index");
    }
    RESERVED
        .iter()
        .find(|(reserved, _)| *reserved == url)
        .map(|(_, what)| *what)
}

/// The folder of the search index, whether search is on or off.
const SEARCH_DIR: &str = "search/";

impl Handbook {
    /// The page built from a content-relative markdown path.
    pub fn page_by_source(&self, path: &str) -> Option<PageId> {
        self.by_source.get(path).copied()
    }

    /// The page written at a site-relative url.
    pub fn page_by_url(&self, url: &str) -> Option<PageId> {
        self.by_url.get(url).copied()
    }

    pub fn page(&self, id: PageId) -> &Page {
        &self.pages[id.0]
    }

    /// Every page with its id.
    pub fn iter(&self) -> impl Iterator<Item = (PageId, &Page)> {
        self.pages
            .iter()
            .enumerate()
            .map(|(index, page)| (PageId(index), page))
    }

    /// Whether content-relative `path` is a page left out as a draft.
    pub fn is_draft(&self, path: &str) -> bool {
        self.drafts.contains(path)
    }

    /// The source paths of every markdown page, for suggestions.
    pub fn sources(&self) -> impl Iterator<Item = &str> {
        self.by_source.keys().map(String::as_str)
    }

    /// Files whose change means page `id` must be rendered again: its source and its
    /// includes, relative to the handbook root (an include outside it stays absolute).
    /// Every page also depends on book.toml, SUMMARY.md and the theme, which change the
    /// whole site; the health page depends on every finding. A page's "Last updated"
    /// (`[policy] git`) is the newest commit of these files.
    pub fn dependencies(&self, id: PageId) -> Vec<PathBuf> {
        match &self.page(id).kind {
            PageKind::Markdown(page) => {
                std::iter::once(Path::new(&self.prefix).join(&page.document.path))
                    .chain(page.document.includes.iter().cloned())
                    .collect()
            }
            PageKind::Health
            | PageKind::Print
            | PageKind::NotFound
            | PageKind::Index(_)
            | PageKind::Service(_)
            | PageKind::Team(_)
            | PageKind::Waivers => Vec::new(),
        }
    }

    /// The markdown pages that other pages pull in with `{{#include}}`: fragments,
    /// rendered but not pages a reader is meant to land on.
    pub fn fragments(&self) -> HashSet<PageId> {
        // Includes are recorded relative to the handbook root, pages to the content folder.
        let included: HashSet<&Path> = self
            .pages
            .iter()
            .filter_map(|page| page.markdown())
            .flat_map(|page| page.document.includes.iter().map(PathBuf::as_path))
            .collect();
        let prefix = Path::new(&self.prefix);
        self.iter()
            .filter(|(_, page)| {
                page.markdown().is_some_and(|markdown| {
                    included.contains(prefix.join(&markdown.document.path).as_path())
                })
            })
            .map(|(id, _)| id)
            .collect()
    }

    /// A content file's path as findings show it.
    pub fn display_path(&self, rel: &str) -> String {
        load::display_path(&self.prefix, rel)
    }
}

/// The site's home page.
pub const INDEX_URL: &str = "index.html";
/// Where a markdown file is written: `dir/name.md` → `dir/name.html`, and `README.md`
/// or `index.md` → the folder's `index.html`, as mdBook does.
pub fn page_url(source: &str) -> String {
    let (dir, file) = match source.rsplit_once('/') {
        Some((dir, file)) => (Some(dir), file),
        None => (None, source),
    };
    let name = if is_index_file(file) {
        "index"
    } else {
        file.strip_suffix(".md").unwrap_or(file)
    };
    match dir {
        Some(dir) => format!("{dir}/{name}.html"),
        None => format!("{name}.html"),
    }
}

/// Whether a markdown file is its folder's index page: `README.md` (any case) or `index.md`.
pub fn is_index_file(file: &str) -> bool {
    let stem = file.strip_suffix(".md").unwrap_or(file);
    stem.eq_ignore_ascii_case("readme") || stem == "index"
}

/// The content-relative source a SUMMARY.md entry names, read like any link from the
/// top of the content folder (`./`, `..`, `%20` and `#fragment` handled once, in `link`).
pub fn summary_source(path: &str) -> Option<String> {
    match link::resolve("", path) {
        link::Target::Path { path, .. } => Some(path),
        _ => None,
    }
}

fn title_from_file_name(path: &str) -> String {
    let file = path.rsplit('/').next().unwrap_or(path);
    let stem = file.strip_suffix(".md").unwrap_or(file);
    humanize(stem)
}

/// `0003-some_title` → `0003 some title`, with a capital first letter.
pub fn humanize(name: &str) -> String {
    let spaced = name.replace(['-', '_'], " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_follow_mdbook() {
        assert_eq!(page_url("guide/intro.md"), "guide/intro.html");
        assert_eq!(page_url("README.md"), "index.html");
        assert_eq!(page_url("adr/README.md"), "adr/index.html");
        assert_eq!(page_url("runbooks/index.md"), "runbooks/index.html");
    }
}
