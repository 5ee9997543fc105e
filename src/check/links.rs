//! `link`: every internal link, image and `#anchor` in every page resolves.
//! External links are not fetched here.

use std::collections::HashSet;

use rayon::prelude::*;

use crate::finding::{Finding, Rule, did_you_mean};
use crate::model::link::{self, Target};
use crate::model::markdown::Link;
use crate::model::{Handbook, MarkdownPage, PageKind};

/// A finding for each link that points at no page, file or anchor.
pub fn check(handbook: &Handbook) -> Vec<Finding> {
    let assets: HashSet<&str> = handbook.assets.iter().map(String::as_str).collect();
    handbook
        .pages
        .par_iter()
        .filter_map(|page| page.markdown())
        .flat_map_iter(|page| {
            page.outline
                .links
                .iter()
                .filter_map(|link| Some((link, problem(handbook, &assets, page, link)?)))
                .map(|(link, (message, help))| {
                    Finding::new(
                        Rule::Link,
                        handbook.display_path(&page.document.path),
                        message,
                    )
                    .at(link.position)
                    .help(help)
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// What is wrong with `link`, as a message and a hint, or `None` when it resolves.
fn problem(
    handbook: &Handbook,
    assets: &HashSet<&str>,
    page: &MarkdownPage,
    link: &Link,
) -> Option<(String, String)> {
    let what = if link.image { "image" } else { "link" };
    let dest = &link.dest;
    match link::resolve(&page.document.path, dest) {
        Target::External | Target::SiteAbsolute => None,
        Target::Fragment("") => None,
        Target::Fragment(anchor) => missing_anchor(page, anchor, "this page"),
        Target::Outside => Some((
            format!(
                "{what} `{dest}` leads out of the content folder, which the site does not contain"
            ),
            "link to a page inside the content folder, or use a full https:// URL".into(),
        )),
        Target::Path { path, fragment } => {
            let target = handbook
                .page_by_source(&path)
                .or_else(|| handbook.page_by_url(&path));
            match target {
                Some(target) => match (&handbook.page(target).kind, fragment) {
                    (PageKind::Markdown(target_page), Some(anchor)) if !anchor.is_empty() => {
                        missing_anchor(target_page, anchor, &format!("`{path}`"))
                    }
                    _ => None,
                },
                None if assets.contains(path.as_str()) => None,
                None => {
                    let help = match did_you_mean(&path, handbook.sources().chain(assets.iter().copied())) {
                        Some(suggestion) => format!("did you mean `{suggestion}`? Paths are relative to this page's folder"),
                        None => "fix the path (it is relative to this page's folder), or create the missing file".into(),
                    };
                    let message = if dest.split(['#', '?']).next() == Some(path.as_str()) {
                        format!("{what} `{dest}` points at a file that does not exist")
                    } else {
                        format!("{what} `{dest}` points at `{path}`, which does not exist")
                    };
                    Some((message, help))
                }
            }
        }
    }
}

fn missing_anchor(page: &MarkdownPage, anchor: &str, place: &str) -> Option<(String, String)> {
    if page.outline.has_anchor(&link::percent_decode(anchor)) {
        return None;
    }
    let help = match did_you_mean(anchor, page.outline.anchors()) {
        Some(suggestion) => format!("did you mean `#{suggestion}`? Anchors are the heading text in lowercase, with spaces as `-`"),
        None => "anchors are the heading text in lowercase, punctuation dropped and spaces as `-`; or set one with `## Heading {#id}`".into(),
    };
    Some((
        format!("no heading with anchor `#{anchor}` on {place}"),
        help,
    ))
}
