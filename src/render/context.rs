//! What a page's template sees: the site, the page, its navigation, table of contents,
//! breadcrumbs and neighbours, and the view of whatever the page is (a record, a report
//! card, an index, the findings of the docs-health page).

use minijinja::Value;
use serde::Serialize;

use super::{Renderer, code_spans, dashboard, public_path, records, services};
use crate::finding::{Finding, Tally};
use crate::model::link::relative_url;
use crate::model::{INDEX_URL, NOT_FOUND_URL, PRINT_URL, Page, PageId, PageKind};

impl<'a> Renderer<'a> {
    /// The template context of `page` written at `at` (its own url, or `index.html`).
    /// With `fingerprint_only`, the sidebar is its fingerprint instead of its HTML.
    pub(super) fn context<'p>(
        &'p self,
        id: PageId,
        page: &'p Page,
        at: &str,
        fingerprint_only: bool,
        toc: Vec<TocEntry<'p>>,
        card: Option<services::CardView<'p>>,
    ) -> PageContext<'p> {
        let handbook = self.handbook;
        let crumb = |target: PageId| {
            let target_page = handbook.page(target);
            Crumb {
                title: &target_page.title,
                url: relative_url(at, &target_page.url),
            }
        };
        let (prev, next) = handbook.nav.neighbours(id);
        let trail = handbook.nav.trail(id);
        let breadcrumbs: Vec<Crumb> = trail
            .iter()
            .take(trail.len().saturating_sub(1))
            .map(|link| Crumb {
                title: &link.title,
                url: link
                    .page
                    .map(|target| relative_url(at, &handbook.page(target).url))
                    .unwrap_or_default(),
            })
            .collect();
        let description = page
            .markdown()
            .and_then(|markdown| markdown.document.meta.description.as_deref())
            .or(self.config.book.description.as_deref());
        let base_url = &self.config.shipshape.base_url;
        let records = &self.records;
        let index = records.index(id);
        let adr = records.adr(id, at);
        let runbook = records.runbook(id, at);
        PageContext {
            site: SiteContext {
                title: self.config.book.title.as_deref().unwrap_or("Handbook"),
                language: &self.config.book.language,
                version: env!("CARGO_PKG_VERSION"),
            },
            page: PageInfo {
                title: &page.title,
                url: &page.url,
                description,
                updated: self.updated.get(&id).map(ToString::to_string),
            },
            root: relative_url(at, ""),
            home: relative_url(at, INDEX_URL),
            lead: Value::from_safe_string(String::new()),
            content: Value::from_safe_string(String::new()),
            nav: Value::from_safe_string(if fingerprint_only {
                // Enough to tell two sidebars apart, for far less work than writing one.
                self.sidebar().fp(handbook, id, at).hex()
            } else {
                self.sidebar().html(handbook, id, at)
            }),
            toc,
            breadcrumbs,
            prev: prev.map(crumb),
            next: next.map(crumb),
            findings: match page.kind {
                PageKind::Health => self.finding_rows(at),
                PageKind::Markdown(_)
                | PageKind::Print
                | PageKind::NotFound
                | PageKind::Index(_)
                | PageKind::Service(_)
                | PageKind::Team(_)
                | PageKind::Waivers => Vec::new(),
            },
            card,
            overview: self.overview.of(&page.kind, index, at, records),
            adr,
            runbook,
            adr_index: (index == Some(crate::model::Index::Adrs)).then(|| records.adr_index(at)),
            runbook_index: (index == Some(crate::model::Index::Runbooks))
                .then(|| records.runbook_index(at)),
            // The not-found page is served at any address, so its relative links must
            // resolve against the site's root, not against the address asked for.
            base: (page.url == NOT_FOUND_URL).then(|| base_url.as_str()),
            canonical: (base_url.is_full() && page.url != NOT_FOUND_URL)
                .then(|| base_url.join(&public_path(&page.url))),
            // Other pages show the count through one small script (`health_script`), so
            // that a new finding does not change every page.
            tally: matches!(page.kind, PageKind::Health).then(|| Tally::of(self.findings)),
            show_health: self.config.show_health,
            print: handbook
                .page_by_url(PRINT_URL)
                .map(|_| relative_url(at, PRINT_URL)),
            search: self
                .config
                .html
                .search
                .enable
                .then(|| relative_url(at, crate::search::SCRIPT)),
            repository: self
                .config
                .html
                .git_repository_url
                .as_ref()
                .map(|url| url.as_str()),
            edit_url: page.markdown().and_then(|markdown| {
                let template = self.config.html.edit_url_template.as_ref()?;
                let source = handbook.display_path(&markdown.document.path);
                Some(template.as_str().replace("{path}", &source))
            }),
            extra_css: self
                .extra_css
                .iter()
                .map(|site| relative_url(at, site))
                .collect(),
            extra_js: self
                .extra_js
                .iter()
                .map(|site| relative_url(at, site))
                .collect(),
        }
    }

    /// The readiness of the service whose report card `page` is, as seen from `at`.
    pub(super) fn card(&self, page: &'a Page, at: &str) -> Option<services::CardView<'a>> {
        let PageKind::Service(index) = page.kind else {
            return None;
        };
        // The cards are in service order (`readiness::evaluate`).
        let at_card = self
            .cards
            .binary_search_by_key(&index, |card| card.service)
            .ok()?;
        let card = &self.cards[at_card];
        Some(services::view(self.handbook, card, at))
    }

    fn finding_rows(&self, from: &str) -> Vec<FindingRow<'a>> {
        let prefix = if self.handbook.prefix.is_empty() {
            String::new()
        } else {
            format!("{}/", self.handbook.prefix)
        };
        self.findings
            .iter()
            .map(|finding| {
                let url = finding
                    .file
                    .strip_prefix(&prefix)
                    .and_then(|source| self.handbook.page_by_source(source))
                    .map(|target| relative_url(from, &self.handbook.page(target).url));
                FindingRow {
                    finding,
                    url,
                    message_html: Value::from_safe_string(code_spans(&finding.message)),
                    help_html: finding
                        .help
                        .as_deref()
                        .map(|help| Value::from_safe_string(code_spans(help))),
                }
            })
            .collect()
    }
}

impl PageContext<'_> {
    /// Puts the body's HTML in: a record's metadata block goes right under its title.
    pub(super) fn set_body(&mut self, content: String) {
        let (lead, content) = match (&self.adr, &self.runbook) {
            (None, None) => (String::new(), content),
            _ => split_after_title(content),
        };
        self.lead = Value::from_safe_string(lead);
        self.content = Value::from_safe_string(content);
    }
}

/// A page's HTML cut after its first `<h1>…</h1>`; all of it stays in the second
/// part when it has none.
pub(super) fn split_after_title(html: String) -> (String, String) {
    match html.find("</h1>") {
        Some(end) => {
            let cut = end + "</h1>".len();
            let cut = cut + usize::from(html[cut..].starts_with('\n'));
            let rest = html[cut..].to_string();
            let mut lead = html;
            lead.truncate(cut);
            (lead, rest)
        }
        None => (String::new(), html),
    }
}

/// What a page's template sees. Its fingerprint is the page's, besides the body.
#[derive(Serialize)]
pub(super) struct PageContext<'a> {
    site: SiteContext<'a>,
    page: PageInfo<'a>,
    /// The relative path from the page to the site root (`../../`, or empty).
    root: String,
    home: String,
    /// The page's HTML up to its title, when a record's metadata block follows it.
    lead: Value,
    content: Value,
    nav: Value,
    toc: Vec<TocEntry<'a>>,
    breadcrumbs: Vec<Crumb<'a>>,
    prev: Option<Crumb<'a>>,
    next: Option<Crumb<'a>>,
    findings: Vec<FindingRow<'a>>,
    /// The ADR or runbook the page is, for its metadata block and banner.
    adr: Option<records::AdrView<'a>>,
    runbook: Option<records::RunbookView<'a>>,
    /// The report card the page is.
    card: Option<services::CardView<'a>>,
    /// The generated index the page shows after its own text.
    adr_index: Option<Vec<records::AdrView<'a>>>,
    runbook_index: Option<records::RunbookIndex<'a>>,
    /// The dashboard, a team's page or the waivers page.
    #[serde(flatten)]
    overview: dashboard::Overview<'a>,
    /// `<base href>`, for the not-found page only.
    base: Option<&'a str>,
    /// The page's full address, when `base-url` names a host.
    canonical: Option<String>,
    /// `errors` and `warnings` at the top level of the docs-health page's context.
    #[serde(flatten)]
    tally: Option<Tally>,
    /// Whether the top bar shows the health badge.
    show_health: bool,
    /// The print page, relative to this one, unless `[output.html.print]` turned it off.
    print: Option<String>,
    /// The search client, relative to this one, unless `[output.html.search]` turned
    /// search off.
    search: Option<String>,
    /// `[output.html] git-repository-url`.
    repository: Option<&'a str>,
    /// "Edit this page", from `edit-url-template`.
    edit_url: Option<String>,
    /// The book's own stylesheets and scripts, relative to the page.
    extra_css: Vec<String>,
    extra_js: Vec<String>,
}

#[derive(Serialize)]
struct SiteContext<'a> {
    title: &'a str,
    language: &'a str,
    version: &'a str,
}

#[derive(Serialize)]
struct PageInfo<'a> {
    title: &'a str,
    url: &'a str,
    description: Option<&'a str>,
    /// "Last updated", from git (`[policy] git`); in the context, so in the fingerprint.
    updated: Option<String>,
}

#[derive(Serialize)]
pub(super) struct TocEntry<'a> {
    pub(super) level: u8,
    pub(super) id: std::borrow::Cow<'a, str>,
    pub(super) title: std::borrow::Cow<'a, str>,
}

#[derive(Serialize)]
struct Crumb<'a> {
    title: &'a str,
    /// Empty for an entry without a page.
    url: String,
}

#[derive(Serialize)]
struct FindingRow<'a> {
    #[serde(flatten)]
    finding: &'a Finding,
    /// The page the finding is on, when it is a page.
    url: Option<String>,
    message_html: Value,
    help_html: Option<Value>,
}
