//! Render: pages → HTML through the theme's templates, plus the theme's static files.
//!
//! Invariant: rendering is a pure function of the handbook, the findings and the theme;
//! it never reads content files (load did) and never writes (output does). Every string
//! from YAML or front matter reaches HTML through minijinja's auto-escaping or `escape`.

mod badge;
mod charts;
mod context;
mod dashboard;
mod hidden;
pub mod highlight;
mod markdown;
mod math;
mod nav;
mod print;
pub mod readiness;
mod records;
mod redirect;
mod services;
pub mod theme;

use anyhow::{Context as _, anyhow};
use minijinja::Environment;

use crate::config::Config;
use crate::finding::Finding;
use crate::model::link::relative_url;
use crate::model::{Handbook, INDEX_URL, NOT_FOUND_URL, PageId, PageKind, SITEMAP_URL};
use context::TocEntry;
pub use highlight::Highlighter;
pub use theme::Theme;

/// Where the print page's chapters go in its template's output.
const PRINT_MARK: &str = "\u{1}shipshape: the chapters of the print page\u{1}";

/// Chapters rendered together for the print page: enough to keep both cores busy, few
/// enough that the group's HTML stays small.
const PRINT_GROUP: usize = 64;

/// A file of the site: where it goes and what it holds.
pub struct SiteFile {
    /// Relative to the site root, `/`-separated.
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Renders pages of one handbook; shared by the rendering threads.
pub struct Renderer<'a> {
    env: Environment<'a>,
    handbook: &'a Handbook,
    config: &'a Config,
    findings: &'a [Finding],
    highlighter: Highlighter,
    /// `[output.html.redirect]`, as the site writes it.
    redirects: crate::model::redirect::Redirects,
    /// The book's own stylesheets and scripts that are in the site, from its root.
    extra_css: Vec<String>,
    extra_js: Vec<String>,
    /// ADRs and runbooks, looked up by page.
    records: records::Records<'a>,
    /// Each scored service's readiness, for its report card and badge.
    cards: &'a [crate::model::readiness::Card],
    /// The dashboard, team and waivers pages' views of the services' cards.
    overview: dashboard::Views<'a>,
    /// The navigation, worked out once for every page's sidebar, when the first page is
    /// rendered (`check` makes a renderer only to try the theme).
    sidebar: std::sync::OnceLock<nav::Sidebar<'a>>,
}

impl<'a> Renderer<'a> {
    /// Prepares the templates of `theme` for the check run's `findings` and `cards`,
    /// judged on `today`. A template that does not parse is an error.
    pub fn new(
        config: &'a Config,
        handbook: &'a Handbook,
        findings: &'a [Finding],
        theme: &Theme,
        cards: &'a [crate::model::readiness::Card],
        today: jiff::civil::Date,
    ) -> anyhow::Result<Renderer<'a>> {
        let mut env = Environment::new();
        // minijinja's own escaping also escapes `/`, which makes every URL unreadable.
        env.set_formatter(|out, state, value| {
            if *state.auto_escape() == minijinja::AutoEscape::Html
                && !value.is_safe()
                && let Some(text) = value.as_str()
            {
                return out.write_str(&escape(text)).map_err(minijinja::Error::from);
            }
            minijinja::escape_formatter(out, state, value)
        });
        for (name, bytes) in theme.templates() {
            let source = String::from_utf8(bytes.to_vec())
                .map_err(|_| anyhow!("theme template {name} is not UTF-8"))?;
            env.add_template_owned(name.to_string(), source)
                .with_context(|| format!("theme template {name} does not parse"))?;
        }
        Ok(Renderer {
            env,
            handbook,
            config,
            findings,
            highlighter: Highlighter::default(),
            redirects: crate::model::redirect::plan(&config.html.redirect, handbook).0,
            extra_css: in_site(handbook, &config.html.additional_css),
            extra_js: in_site(handbook, &config.html.additional_js),
            records: records::Records::new(handbook, config, findings),
            cards,
            overview: dashboard::Views::new(handbook, cards, today),
            sidebar: std::sync::OnceLock::new(),
        })
    }

    /// The HTML of one page.
    pub fn page(&self, id: PageId) -> anyhow::Result<SiteFile> {
        self.page_at(id, &self.handbook.page(id).url)
    }

    /// The home page's copy at `index.html`, when the first chapter is the home page.
    pub fn home_copy(&self) -> Option<anyhow::Result<SiteFile>> {
        let id = self.handbook.home?;
        Some(self.page_at(id, INDEX_URL))
    }

    /// The HTML of page `id` written at site-relative `at`, its links relative to there.
    fn page_at(&self, id: PageId, at: &str) -> anyhow::Result<SiteFile> {
        let page = self.handbook.page(id);
        let (template, content, toc) = match &page.kind {
            PageKind::Markdown(markdown) => {
                let toc = markdown
                    .outline
                    .headings
                    .iter()
                    .filter(|heading| (2..=3).contains(&heading.level))
                    .map(|heading| TocEntry {
                        level: heading.level,
                        id: heading.id.as_str().into(),
                        title: heading.text.as_str().into(),
                    })
                    .collect();
                (
                    "page.html",
                    markdown::to_html(
                        markdown,
                        &self.highlighter,
                        &markdown::Place::At(at),
                        &self.markup(),
                    ),
                    toc,
                )
            }
            PageKind::Health => ("health.html", String::new(), Vec::new()),
            // The chapters go in where the mark is, as `write_print` streams them.
            PageKind::Print => ("print.html", PRINT_MARK.to_string(), Vec::new()),
            PageKind::NotFound => ("404.html", String::new(), Vec::new()),
            PageKind::Index(_) => (
                "page.html",
                format!("<h1>{}</h1>\n", escape(&page.title)),
                Vec::new(),
            ),
            PageKind::Service(_) => ("service.html", String::new(), Vec::new()),
            PageKind::Team(_) => ("team.html", String::new(), Vec::new()),
            PageKind::Waivers => ("waivers.html", String::new(), Vec::new()),
        };
        // An old `#fragment` of this path that moved elsewhere (`[output.html.redirect]`).
        let content = match self.redirects.in_page.get(at) {
            Some(fragments) => content + &redirect::in_page_script(fragments),
            None => content,
        };
        // A generated index is a section of the page, with its own entries.
        let mut toc = toc;
        let index = self
            .handbook
            .indexes
            .iter()
            .find(|(_, page)| *page == id)
            .map(|(index, _)| *index);
        let sections: &[(&str, &str)] = match index {
            Some(crate::model::Index::Adrs) => &[("adr-index-title", "All decisions")],
            // "By alert" is there only when a runbook names an alert.
            Some(crate::model::Index::Runbooks)
                if self.handbook.runbooks.iter().any(|r| !r.alerts.is_empty()) =>
            {
                &[
                    ("runbooks-by-service", "By service"),
                    ("runbooks-by-alert", "By alert"),
                ]
            }
            Some(crate::model::Index::Runbooks) => &[("runbooks-by-service", "By service")],
            Some(crate::model::Index::Services) => &[
                ("dashboard-grid-title", "Every service"),
                ("dashboard-charts-title", "Charts"),
            ],
            None => &[],
        };
        // The dashboard has a template of its own, under a README's text when it has one.
        let template = if index == Some(crate::model::Index::Services) {
            "dashboard.html"
        } else {
            template
        };
        toc.extend(sections.iter().map(|(id, title)| TocEntry {
            level: 2,
            id: (*id).into(),
            title: (*title).into(),
        }));
        let card = self.card(page, at);
        if let Some(card) = &card {
            toc.extend(services::toc(card));
        }
        let context = self.context(id, page, at, content, toc, card);
        let html = self
            .env
            .get_template(template)
            .and_then(|template| template.render(context))
            .map_err(|err| {
                anyhow!(
                    "cannot render {} with theme template {template}: {err:#}",
                    page.url
                )
            })?;
        Ok(SiteFile {
            path: at.to_string(),
            bytes: html.into_bytes(),
        })
    }

    /// The sidebar, ready to be written for any page.
    fn sidebar(&self) -> &nav::Sidebar<'a> {
        self.sidebar
            .get_or_init(|| nav::Sidebar::new(self.handbook, !self.config.html.no_section_label))
    }

    /// How the book's markdown reads, as book.toml says.
    fn markup(&self) -> markdown::Markup<'a> {
        markdown::Markup {
            smart_punctuation: self.handbook.smart_punctuation,
            hidelines: &self.config.html.code.hidelines,
            math: self.config.html.mathjax_support,
        }
    }

    /// Writes the print page (page `id`) to `out`: the template's frame, and the chapters
    /// one group after another, each group rendered in parallel. A large book's print page
    /// runs to hundreds of megabytes, so it is never held whole in memory.
    pub fn write_print(&self, id: PageId, out: &mut impl std::io::Write) -> anyhow::Result<()> {
        use rayon::prelude::*;
        let frame = String::from_utf8(self.page(id)?.bytes)?;
        let (head, tail) = frame
            .split_once(PRINT_MARK)
            .context("the theme's print.html template does not show {{ content }}")?;
        out.write_all(head.as_bytes())?;
        let print = print::PrintPage::new(self.handbook);
        let markup = self.markup();
        for (group, chapters) in print.chapters.chunks(PRINT_GROUP).enumerate() {
            let parts: Vec<String> = chapters
                .par_iter()
                .enumerate()
                .map(|(index, &id)| self.print_chapter(&print, &markup, id, group + index > 0))
                .collect();
            for part in parts {
                out.write_all(part.as_bytes())?;
            }
        }
        out.write_all(tail.as_bytes())?;
        out.flush()?;
        Ok(())
    }

    /// One chapter of the print page, after a page break unless it is the first.
    fn print_chapter(
        &self,
        print: &print::PrintPage<'_>,
        markup: &markdown::Markup<'_>,
        id: PageId,
        after_break: bool,
    ) -> String {
        let Some(page) = self.handbook.page(id).markdown() else {
            return String::new();
        };
        let mut html = String::new();
        if after_break {
            html.push_str("<div class=\"print-break\" aria-hidden=\"true\"></div>\n");
        }
        html.push_str("<section class=\"print-chapter\">\n");
        if let Some(anchor) = print.bare_anchor(id) {
            html.push_str(&format!("<span id=\"{}\"></span>\n", escape(anchor)));
        }
        let place = markdown::Place::Print(print, id);
        html.push_str(&markdown::to_html(page, &self.highlighter, &place, markup));
        html.push_str("</section>\n");
        html
    }

    /// The theme's static files, and the code stylesheets unless the theme brings its own.
    pub fn static_files(&self, theme: &Theme) -> Vec<SiteFile> {
        let mut files: Vec<SiteFile> = theme
            .static_files()
            .map(|(path, bytes)| SiteFile {
                path: format!("static/{path}"),
                bytes: bytes.to_vec(),
            })
            .collect();
        let (light, dark) = highlight::stylesheets();
        for (name, css) in [("highlight-light.css", light), ("highlight-dark.css", dark)] {
            if !theme.has_static(name) {
                files.push(SiteFile {
                    path: format!("static/{name}"),
                    bytes: css.into_bytes(),
                });
            }
        }
        files
    }

    /// The redirect pages of `[output.html.redirect]`, at the old paths.
    pub fn redirects(&self) -> Vec<SiteFile> {
        self.redirects.pages.iter().map(redirect::page).collect()
    }

    /// `sitemap.xml`: every page a reader may land on, at its public address. Only with a
    /// full `base-url`: the sitemap protocol wants absolute URLs.
    pub fn sitemap(&self) -> Option<SiteFile> {
        let base_url = &self.config.shipshape.base_url;
        if !base_url.is_full() {
            return None;
        }
        let fragments = self.handbook.fragments();
        let mut xml = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        let mut locs: Vec<String> = self
            .handbook
            .iter()
            .filter(|(id, page)| {
                matches!(page.kind, PageKind::Markdown(_))
                    && page.url != NOT_FOUND_URL
                    && !fragments.contains(id)
            })
            .map(|(_, page)| base_url.join(&public_path(&page.url)))
            .collect();
        locs.sort();
        for loc in locs {
            xml.push_str(&format!("  <url><loc>{}</loc></url>\n", escape(&loc)));
        }
        xml.push_str("</urlset>\n");
        Some(SiteFile {
            path: SITEMAP_URL.into(),
            bytes: xml.into_bytes(),
        })
    }

    /// Each report card's badge, `badges/<id>.svg`.
    pub fn badges(&self) -> Vec<SiteFile> {
        self.cards
            .iter()
            .filter_map(|card| {
                let service = &self.handbook.services[card.service];
                let path = crate::model::badge_url(&service.id.0)?;
                let name = service.title.as_deref().unwrap_or(&service.id.0);
                Some(SiteFile {
                    path,
                    bytes: badge::svg(name, card.level, card.score).into_bytes(),
                })
            })
            .collect()
    }
}

/// The site paths of those of the book's own files `paths` names that the site has.
fn in_site(handbook: &Handbook, paths: &[std::path::PathBuf]) -> Vec<String> {
    paths
        .iter()
        .map(|path| crate::load::relative_slash_path(&crate::load::lexical_normalize(path)))
        .filter(|site| handbook.extra_files.iter().any(|(file, _)| file == site))
        .collect()
}

/// A page's path as a reader's address bar shows it: `guide/index.html` → `guide/`,
/// each segment percent-encoded.
fn public_path(url: &str) -> String {
    let path = relative_url("", url);
    match path.strip_suffix("index.html") {
        Some(dir) if dir.is_empty() || dir.ends_with('/') => dir.to_string(),
        _ => path,
    }
}

/// Escapes `text` and shows its `backtick` spans as code, as findings are written.
fn code_spans(text: &str) -> String {
    if text.matches('`').count() % 2 == 1 {
        return escape(text);
    }
    escape(text)
        .split('`')
        .enumerate()
        .map(|(index, part)| {
            if index % 2 == 1 {
                format!("<code>{part}</code>")
            } else {
                part.to_string()
            }
        })
        .collect()
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
