//! Assembling the model: the loaded content read into a `Handbook`, with the findings
//! its assembly makes (reserved paths, two files at one url, SUMMARY entries without a
//! file). `mod.rs` holds the model's types and the url rules they share.

use std::collections::HashMap;
use std::path::PathBuf;

use super::{
    HEALTH_URL, Handbook, INDEX_URL, MarkdownPage, NOT_FOUND_URL, Nav, PRINT_URL, Page, PageId,
    PageKind, Purpose, badge_url, card_url, generated, markdown, nav, page_url, redirect, reserved,
    service, standard, summary_source, team, title_from_file_name,
};
use crate::finding::{Finding, Rule};
use crate::load::{self, Content};

/// Builds the model from what was loaded, for `purpose`. Problems (a SUMMARY entry with
/// no file, two files written to one url) become findings.
pub fn build(
    mut content: Content,
    purpose: Purpose,
    parses: Option<&markdown::Parses>,
) -> (Handbook, Vec<Finding>) {
    let data = std::mem::take(&mut content.data);
    let mut findings = content.findings;
    let summary_titles: HashMap<String, &str> = content
        .summary
        .iter()
        .flat_map(|summary| summary.chapters())
        .filter_map(|chapter| {
            Some((
                summary_source(chapter.path.as_deref()?)?,
                chapter.title.as_str(),
            ))
        })
        .collect();

    // Each service's card and badge: known before the pages, so a page or file at one
    // of their paths is refused as one at any reserved path is.
    let service_paths: HashMap<String, String> = data
        .services
        .iter()
        .filter_map(|file| file.tree.get("service")?.as_text())
        .flat_map(|id| {
            [card_url(&id), badge_url(&id)]
                .into_iter()
                .flatten()
                .map(move |url| (url, format!("the report card or badge of service `{id}`")))
        })
        .collect();
    let reserved_at = |url: &str| -> Option<String> {
        reserved(url)
            .map(str::to_string)
            .or_else(|| service_paths.get(url).cloned())
    };

    let mut pages = Vec::with_capacity(content.documents.len() + 1);
    let mut by_source = HashMap::new();
    let mut by_url: HashMap<String, PageId> = HashMap::new();
    // The one parse of each page: its outline, and its events when it is rendered (or
    // what `serve` kept of a page read from the same text).
    let parsed = markdown::Parses::read_all(
        parses,
        &content.documents,
        content.smart_punctuation,
        purpose == Purpose::Render,
    );
    for (document, parsed) in content.documents.into_iter().zip(parsed) {
        let markdown::Parsed {
            outline,
            events: kept,
            key: read_from,
        } = parsed;
        let url = page_url(&document.path);
        let title = document
            .meta
            .title
            .clone()
            .or_else(|| document.directive_title.clone())
            .or_else(|| outline.h1().map(str::to_string))
            .or_else(|| {
                summary_titles
                    .get(document.path.as_str())
                    .map(|t| t.to_string())
            })
            .unwrap_or_else(|| title_from_file_name(&document.path));
        let shown = load::display_path(&content.prefix, &document.path);
        if let Some(what) = reserved_at(&url) {
            findings.push(
                Finding::new(
                    Rule::Schema,
                    shown,
                    format!(
                        "`{}` would be written to `{url}`, which is {what}; this page is skipped",
                        document.path
                    ),
                )
                .help("rename the file: shipshape writes that path itself"),
            );
            continue;
        }
        if let Some(existing) = by_url.get(&url) {
            let first: &Page = &pages[existing.0];
            let first_source = first
                .markdown()
                .map(|p| p.document.path.clone())
                .unwrap_or_default();
            findings.push(
                Finding::new(
                    Rule::Schema,
                    shown,
                    format!("both `{first_source}` and `{}` would be written to `{url}`; this one is skipped", document.path),
                )
                .help("keep one of README.md and index.md in a folder"),
            );
            continue;
        }
        let id = PageId(pages.len());
        by_source.insert(document.path.clone(), id);
        by_url.insert(url.clone(), id);
        pages.push(Page {
            url,
            title,
            kind: PageKind::Markdown(Box::new(MarkdownPage {
                document,
                outline,
                kept,
                read_from,
            })),
        });
    }

    let health = PageId(pages.len());
    by_url.insert(HEALTH_URL.to_string(), health);
    pages.push(Page {
        url: HEALTH_URL.into(),
        title: "Docs health".into(),
        kind: PageKind::Health,
    });
    if content.print_page {
        by_url.insert(PRINT_URL.to_string(), PageId(pages.len()));
        pages.push(Page {
            url: PRINT_URL.into(),
            title: "Print".into(),
            kind: PageKind::Print,
        });
    }
    // A handbook's own 404.md or 404.html wins over the built-in page.
    if !by_url.contains_key(NOT_FOUND_URL) && !content.assets.iter().any(|a| a == NOT_FOUND_URL) {
        by_url.insert(NOT_FOUND_URL.to_string(), PageId(pages.len()));
        pages.push(Page {
            url: NOT_FOUND_URL.into(),
            title: "Page not found".into(),
            kind: PageKind::NotFound,
        });
    }

    let (assets, clashes): (Vec<String>, Vec<String>) = content
        .assets
        .into_iter()
        .partition(|asset| !by_url.contains_key(asset) && reserved_at(asset).is_none());
    for asset in clashes {
        findings.push(
            Finding::new(
                Rule::Schema,
                load::display_path(&content.prefix, &asset),
                format!(
                    "`{asset}` has the same path as a file shipshape writes; the file is not copied"
                ),
            )
            .help("rename or move the file"),
        );
    }

    let mut handbook = Handbook {
        pages,
        nav: Nav::default(),
        assets,
        content_dir: content.dir,
        prefix: content.prefix,
        home: None,
        smart_punctuation: content.smart_punctuation,
        extra_files: content.extra_files,
        directives: content.directives,
        adrs: Vec::new(),
        runbooks: Vec::new(),
        indexes: Vec::new(),
        standards: Vec::new(),
        services: Vec::new(),
        teams: team::Teams::default(),
        overview: Vec::new(),
        probes: load::data::Probes::default(),
        // A draft is reached by its source (`plan.md`) or its page (`plan.html`).
        drafts: content
            .drafts
            .into_iter()
            .flat_map(|source| [page_url(&source), source])
            .collect(),
        by_source,
        by_url,
    };
    generated::read_records(&mut handbook, &mut findings);
    handbook.standards = standard::read_all(&data.standards, &mut findings);
    handbook.services = service::read_all(
        &handbook,
        &handbook.standards,
        &data.services,
        &data.probes,
        &mut findings,
    );
    handbook.probes = data.probes;
    handbook.teams = team::read_all(
        data.teams.as_ref(),
        &handbook.services,
        &data.services,
        &mut findings,
    );
    let mut generated =
        generated::add_indexes(&mut handbook, &content.adr_dir, &content.runbooks_dir);
    generated.extend(generated::add_cards(&mut handbook, &mut findings));
    generated::add_overview(&mut handbook, &mut findings);
    // The health page is always written; only writers' handbooks list it.
    if content.show_health {
        generated.push(health);
    }
    let generated = &generated[..];
    let summary_file = handbook.display_path(load::SUMMARY);
    handbook.nav = match &content.summary {
        Some(summary) => {
            nav::from_summary(summary, &handbook, &summary_file, generated, &mut findings)
        }
        None => nav::from_folders(&handbook, generated),
    };
    let has_index = handbook.by_url.contains_key(INDEX_URL)
        || handbook.assets.iter().any(|asset| asset == INDEX_URL);
    // A SUMMARY.md whose chapters name missing files has a finding on each already.
    let names_chapters = content.summary.as_ref().is_some_and(|summary| {
        summary
            .chapters()
            .iter()
            .any(|chapter| chapter.path.is_some())
    });
    if !has_index {
        let first = handbook
            .nav
            .order
            .iter()
            .copied()
            .find(|id| handbook.page(*id).markdown().is_some());
        match first {
            Some(id) => {
                handbook.home = Some(id);
                handbook.by_url.insert(INDEX_URL.into(), id);
            }
            None if names_chapters => {}
            None => {
                let file = match (&content.summary, handbook.prefix.as_str()) {
                    (Some(_), _) => summary_file,
                    (None, "") => crate::config::FILE_NAME.to_string(),
                    (None, prefix) => prefix.to_string(),
                };
                findings.push(
                    Finding::new(
                        Rule::Link,
                        file,
                        "the site has no home page: nothing is written at index.html, so the site's address and the title link on every page lead to a 404",
                    )
                    .help("add an index.md or README.md at the top of the content folder, or list a chapter in SUMMARY.md: the first chapter becomes the home page"),
                );
            }
        }
    }
    // The book's own files (`additional-css`, `additional-js`) never take the place of a
    // file shipshape writes: the docs-health page, a page, the theme's files.
    let extra = std::mem::take(&mut handbook.extra_files);
    let mut kept: Vec<(String, PathBuf)> = Vec::with_capacity(extra.len());
    let written = redirect::Written::new(&handbook);
    for (path, source) in extra {
        match written.at(&path) {
            Some(what) => findings.push(
                Finding::new(
                    Rule::Schema,
                    crate::config::FILE_NAME,
                    format!("`{path}` in `additional-css` or `additional-js` is where the site has {what}; the file is not copied"),
                )
                .help("give the book's own file a path of its own, such as `theme/custom.css`"),
            ),
            None if kept.iter().any(|(known, _)| *known == path) => {}
            None => kept.push((path, source)),
        }
    }
    handbook.extra_files = kept;
    (handbook, findings)
}
