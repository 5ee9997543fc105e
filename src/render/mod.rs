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

/// The script that writes the findings count into the top bar, from the site root.
pub const HEALTH_SCRIPT: &str = "static/health-count.js";

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
    /// Each page's "Last updated" day (`[policy] git`).
    updated: &'a crate::git::Updated,
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
        updated: &'a crate::git::Updated,
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
            updated,
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
        let prepared = self.prepare(id, at, false);
        let content = match &prepared.body {
            Body::Markdown(markdown) => markdown::to_html(
                markdown,
                &self.highlighter,
                &markdown::Place::At(at),
                &self.markup(),
            ),
            Body::Fixed(text) => text.clone(),
        };
        // An old `#fragment` of this path that moved elsewhere (`[output.html.redirect]`).
        let content = match &prepared.moved {
            Some(script) => content + script,
            None => content,
        };
        let mut context = prepared.context;
        context.set_body(content);
        let page = self.handbook.page(id);
        let template = prepared.template;
        let html = self
            .env
            .get_template(template)
            .and_then(|template| {
                template.render(minijinja::Value::from(minijinja::value::Serde(&context)))
            })
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

    /// The fingerprint of what page `id` written at `at` is made of: its template
    /// context without the body, and what the body is rendered from. Equal fingerprints
    /// (with the same theme, config and binary, which `build` adds) mean equal bytes.
    pub fn fingerprint(&self, id: PageId, at: &str) -> crate::cache::Fp {
        let prepared = self.prepare(id, at, true);
        let mut hasher = crate::cache::Hasher::new();
        hasher.part(prepared.template).part(at);
        // The context's text, hashed as it is written: never held whole.
        let _ = serde_json::to_writer(&mut hasher, &prepared.context);
        match &prepared.body {
            Body::Markdown(markdown) => {
                hasher.fp(body_fp(markdown));
            }
            Body::Fixed(text) => {
                hasher.part(text);
            }
        }
        hasher.part(prepared.moved.as_deref().unwrap_or(""));
        hasher.finish()
    }

    /// Everything page `id` at `at` is made of, before its body is rendered.
    /// With `fingerprint_only`, for `fingerprint` (see `context`).
    fn prepare(&self, id: PageId, at: &str, fingerprint_only: bool) -> Prepared<'_> {
        let page = self.handbook.page(id);
        let (template, body, toc) = match &page.kind {
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
                ("page.html", Body::Markdown(markdown), toc)
            }
            PageKind::Health => ("health.html", Body::Fixed(String::new()), Vec::new()),
            // The chapters go in where the mark is, as `print_parts` cuts them out.
            PageKind::Print => (
                "print.html",
                Body::Fixed(PRINT_MARK.to_string()),
                Vec::new(),
            ),
            PageKind::NotFound => ("404.html", Body::Fixed(String::new()), Vec::new()),
            PageKind::Index(_) => (
                "page.html",
                Body::Fixed(format!("<h1>{}</h1>\n", escape(&page.title))),
                Vec::new(),
            ),
            PageKind::Service(_) => ("service.html", Body::Fixed(String::new()), Vec::new()),
            PageKind::Team(_) => ("team.html", Body::Fixed(String::new()), Vec::new()),
            PageKind::Waivers => ("waivers.html", Body::Fixed(String::new()), Vec::new()),
        };
        let moved = self.redirects.in_page.get(at).map(redirect::in_page_script);
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
        Prepared {
            template,
            context: self.context(id, page, at, fingerprint_only, toc, card),
            body,
            moved,
        }
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

    /// The print page (page `id`) in parts: the template's frame around the chapters,
    /// and each chapter's fingerprint, for `cache::print` to write chapter by chapter
    /// (a large book's print page runs to hundreds of megabytes, never held whole).
    pub fn print_parts(&self, id: PageId) -> anyhow::Result<PrintParts<'_>> {
        let frame = String::from_utf8(self.page(id)?.bytes)?;
        let (head, tail) = frame
            .split_once(PRINT_MARK)
            .context("the theme's print.html template does not show {{ content }}")?;
        let print = print::PrintPage::new(self.handbook);
        let table = print.fingerprint();
        let chapters = print
            .chapters
            .iter()
            .enumerate()
            .map(|(index, &page)| {
                let mut hasher = crate::cache::Hasher::new();
                hasher.fp(table).number(u128::from(index > 0));
                if let Some(markdown) = self.handbook.page(page).markdown() {
                    hasher.fp(body_fp(markdown));
                }
                hasher.part(print.bare_anchor(page).unwrap_or(""));
                hasher.finish()
            })
            .collect();
        Ok(PrintParts {
            head: head.to_string(),
            tail: tail.to_string(),
            chapters,
            print,
        })
    }

    /// Chapter `index` of the print page, after a page break unless it is the first.
    pub fn print_chapter(&self, parts: &PrintParts<'_>, index: usize) -> String {
        let print = &parts.print;
        let id = print.chapters[index];
        let Some(page) = self.handbook.page(id).markdown() else {
            return String::new();
        };
        let mut html = String::new();
        if index > 0 {
            html.push_str("<div class=\"print-break\" aria-hidden=\"true\"></div>\n");
        }
        html.push_str("<section class=\"print-chapter\">\n");
        if let Some(anchor) = print.bare_anchor(id) {
            html.push_str(&format!("<span id=\"{}\"></span>\n", escape(anchor)));
        }
        let place = markdown::Place::Print(print, id);
        html.push_str(&markdown::to_html(
            page,
            &self.highlighter,
            &place,
            &self.markup(),
        ));
        html.push_str("</section>\n");
        html
    }

    /// Keeps highlighted blocks in the build cache's `store` too.
    pub fn use_store(&mut self, store: std::sync::Arc<crate::cache::Blocks>) {
        self.highlighter = Highlighter::with_store(store);
    }

    /// `static/health-count.js`, which writes the findings count into every page's top
    /// bar: one small file changes with the findings, not every page.
    pub fn health_script(&self) -> Option<SiteFile> {
        if !self.config.show_health {
            return None;
        }
        let crate::finding::Tally { errors, warnings } = crate::finding::Tally::of(self.findings);
        // `show` runs from an inline script right after the badge, as the page is read.
        let script = format!(
            "// The findings count in the top bar, written by shipshape: one file for every page.
window.shipshapeHealth = {{
  errors: {errors},
  warnings: {warnings},
  show: function (link) {{
    if (!link || !link.classList.contains(\"topbar-health\")) return;
    function count(n, word) {{ return n + \" \" + word + (n === 1 ? \"\" : \"s\"); }}
    link.classList.remove(\"health-unknown\");
    // The label says what the count is of, for a screen reader and on a phone, where
    // a healthy handbook shows only the dot.
    if (this.errors) {{
      link.classList.add(\"has-errors\");
      link.textContent = count(this.errors, \"error\");
      link.setAttribute(\"aria-label\", \"Docs health: \" + link.textContent);
    }} else if (this.warnings) {{
      link.classList.add(\"has-warnings\");
      link.textContent = count(this.warnings, \"warning\");
      link.setAttribute(\"aria-label\", \"Docs health: \" + link.textContent);
    }} else {{
      link.firstChild.textContent = \"Docs healthy\";
      link.setAttribute(\"aria-label\", \"Docs healthy: no findings\");
    }}
  }}
}};
"
        );
        Some(SiteFile {
            path: HEALTH_SCRIPT.into(),
            bytes: script.into_bytes(),
        })
    }

    /// The theme's static files (without the search client when search is off), and the
    /// code stylesheets unless the theme brings its own.
    pub fn static_files(&self, theme: &Theme) -> Vec<SiteFile> {
        let search = self.config.html.search.enable;
        let mut files: Vec<SiteFile> = theme
            .static_files()
            .filter(|(path, _)| search || format!("static/{path}") != crate::search::SCRIPT)
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
        let mut locs: Vec<(String, Option<jiff::civil::Date>)> = self
            .handbook
            .iter()
            .filter(|(id, page)| {
                matches!(page.kind, PageKind::Markdown(_))
                    && page.url != NOT_FOUND_URL
                    && !fragments.contains(id)
            })
            .map(|(id, page)| {
                (
                    base_url.join(&public_path(&page.url)),
                    self.updated.get(&id).copied(),
                )
            })
            .collect();
        locs.sort();
        for (loc, updated) in locs {
            let lastmod = updated
                .map(|day| format!("<lastmod>{day}</lastmod>"))
                .unwrap_or_default();
            xml.push_str(&format!(
                "  <url><loc>{}</loc>{lastmod}</url>\n",
                escape(&loc)
            ));
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

/// The print page before its chapters are written.
pub struct PrintParts<'a> {
    /// The template's frame before and after the chapters.
    pub head: String,
    pub tail: String,
    /// Each chapter's fingerprint, in reading order.
    pub chapters: Vec<crate::cache::Fp>,
    print: print::PrintPage<'a>,
}

/// A page ready to be fingerprinted or rendered.
struct Prepared<'p> {
    template: &'static str,
    context: context::PageContext<'p>,
    body: Body<'p>,
    /// The script sending old `#fragment`s of the page elsewhere, after the body.
    moved: Option<String>,
}

/// What a page's body is made from.
enum Body<'p> {
    Markdown(&'p crate::model::MarkdownPage),
    Fixed(String),
}

/// What a markdown page's body HTML depends on, wherever it is written: its text (with
/// includes and preprocessors applied), its source path and its headings' ids.
fn body_fp(markdown: &crate::model::MarkdownPage) -> crate::cache::Fp {
    let mut hasher = crate::cache::Hasher::new();
    // What the page was read from stands for its body, which is then hashed once per
    // build, not again for the page and again for its print chapter.
    hasher.fp(markdown.read_from).part(&markdown.document.path);
    for heading in &markdown.outline.headings {
        hasher.part(heading.id.as_str());
    }
    hasher.finish()
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
