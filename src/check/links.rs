//! `link`: every internal link, image and `#anchor` in every page resolves.
//! External links are not fetched here.

use std::collections::HashSet;

use rayon::prelude::*;

use crate::config::LinkPolicy;
use crate::finding::{Cause, Finding, Rule, Severity, did_you_mean};
use crate::model::link::{self, Target, relative_url};
use crate::model::markdown::Link;
use crate::model::{Handbook, MarkdownPage, PageKind};

/// A finding for each link that points at no page, file or anchor.
pub fn check(handbook: &Handbook, policy: &LinkPolicy) -> Vec<Finding> {
    let assets: HashSet<&str> = handbook.assets.iter().map(String::as_str).collect();
    handbook
        .pages
        .par_iter()
        .filter_map(|page| page.markdown())
        .flat_map_iter(|page| {
            page.outline
                .links
                .iter()
                .filter_map(|link| Some((link, problem(handbook, &assets, policy, page, link)?)))
                .map(|(link, problem)| {
                    let finding = Finding::new(
                        Rule::Link,
                        handbook.display_path(&page.document.path),
                        problem.message,
                    )
                    .severity(problem.severity)
                    .key(link.dest.as_str())
                    .at(link.position)
                    .help(problem.help);
                    // Renaming or editing the target can break the link: a cause.
                    let finding = match link::resolve(&page.document.path, &link.dest) {
                        Target::Path { path, .. } => {
                            finding.cause(Cause::File(handbook.display_path(&path)))
                        }
                        _ => finding,
                    };
                    match problem.target {
                        Some(target) => finding.related(
                            handbook.display_path(&target),
                            None,
                            "the page the link points at",
                        ),
                        None => finding,
                    }
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

struct Problem {
    message: String,
    help: String,
    severity: Severity,
    /// The other page, when the link reaches one but not its anchor.
    target: Option<String>,
}

impl Problem {
    fn error(message: String, help: String) -> Problem {
        Problem {
            message,
            help,
            severity: Severity::Error,
            target: None,
        }
    }
}

/// What is wrong with `link`, or `None` when it resolves.
fn problem(
    handbook: &Handbook,
    assets: &HashSet<&str>,
    policy: &LinkPolicy,
    page: &MarkdownPage,
    link: &Link,
) -> Option<Problem> {
    let what = if link.image { "image" } else { "link" };
    let dest = &link.dest;
    let from = &page.document.path;
    match link::resolve(from, dest) {
        Target::External | Target::SiteAbsolute => None,
        Target::Fragment("") => None,
        Target::Fragment(anchor) => missing_anchor(page, anchor, "this page", "")
            .map(|(message, help)| Problem::error(message, help)),
        // Books published side by side under one site link to each other this way, and
        // mdBook leaves such links as written: only a warning, unless allowed.
        Target::Outside if allowed_outside(policy, from, dest) => None,
        Target::Outside => Some(Problem {
            message: format!(
                "{what} `{dest}` leads out of the content folder; it is left as written and works only where the site is published beside its target"
            ),
            help: format!(
                "if that is intended, allow it in book.toml: `[policy.link] allow-outside = [\"{}\"]` (folders from the top of the content folder); otherwise link to a page inside the content folder, or use a full https:// URL",
                outside_folder(&link::from_top(from, link::path_part(dest)))
            ),
            severity: Severity::Warning,
            target: None,
        }),
        Target::Path { path, fragment } => {
            let target = handbook
                .page_by_source(&path)
                .or_else(|| handbook.page_by_url(&path));
            let path_part = dest.split(['#', '?']).next().unwrap_or(dest);
            match target {
                Some(target) => match (&handbook.page(target).kind, fragment) {
                    (PageKind::Markdown(target_page), Some(anchor)) if !anchor.is_empty() => {
                        missing_anchor(target_page, anchor, &format!("`{path}`"), path_part)
                            .map(|(message, help)| Problem {
                                target: Some(target_page.document.path.clone()),
                                ..Problem::error(message, help)
                            })
                    }
                    _ => None,
                },
                None if assets.contains(path.as_str()) => None,
                None if handbook.is_draft(&path) => Some(Problem {
                    message: format!("{what} `{dest}` points at a draft, which is left out of the site"),
                    help: "publish the page (remove `draft: true` from its front matter), or build with `--drafts` to preview it".into(),
                    severity: Severity::Warning,
                    target: None,
                }),
                None => {
                    let suggestion = did_you_mean(&path, handbook.sources().chain(assets.iter().copied()));
                    let help = match suggestion {
                        Some(suggestion) => {
                            let written = in_link_form(from, path_part, suggestion);
                            let rest = &dest[path_part.len()..];
                            format!("did you mean `{written}{rest}`? Paths are relative to this page's folder")
                        }
                        None => "fix the path (it is relative to this page's folder), or create the missing file".into(),
                    };
                    let message = if path_part == path {
                        format!("{what} `{dest}` points at a file that does not exist")
                    } else {
                        format!("{what} `{dest}` points at `{path}`, which does not exist")
                    };
                    Some(Problem::error(message, help))
                }
            }
        }
    }
}

/// The content-relative `target` written as the link `written` on page `from` was: rooted
/// (`/adr/README.md`) when it was rooted, else relative to the page (`../adr/README.md`).
fn in_link_form(from: &str, written: &str, target: &str) -> String {
    if written.starts_with('/') {
        format!("/{target}")
    } else {
        let relative = relative_url(from, target);
        if written.starts_with("./") && !relative.starts_with("../") {
            format!("./{relative}")
        } else {
            relative
        }
    }
}

/// Whether the folder an outside link leads to is allowed: `allow-outside` entries are
/// folders from the top of the content folder (`../std`), matched on whole segments.
fn allowed_outside(policy: &LinkPolicy, from: &str, dest: &str) -> bool {
    let target = link::from_top(from, link::path_part(dest));
    policy.allow_outside.iter().any(|entry| {
        let entry = link::from_top("", entry.trim_end_matches('/'));
        !entry.is_empty()
            && (target == entry
                || target
                    .strip_prefix(entry.as_str())
                    .is_some_and(|rest| rest.starts_with('/')))
    })
}

/// The leading `..` steps of a path from the top and its first folder after them:
/// `../std/index.html` → `../std/`.
fn outside_folder(target: &str) -> String {
    let mut prefix = String::new();
    let mut rest = target;
    while let Some(next) = rest.strip_prefix("../") {
        prefix.push_str("../");
        rest = next;
    }
    match rest.split_once('/') {
        Some((folder, _)) => format!("{prefix}{folder}/"),
        None => prefix,
    }
}

/// `path_part` is the link up to its `#` as written (empty for a link on the same page),
/// so the suggestion reads as the whole link would.
fn missing_anchor(
    page: &MarkdownPage,
    anchor: &str,
    place: &str,
    path_part: &str,
) -> Option<(String, String)> {
    if page.outline.has_anchor(&link::percent_decode(anchor)) {
        return None;
    }
    let help = match did_you_mean(anchor, page.outline.anchors()) {
        Some(suggestion) => format!("did you mean `{path_part}#{suggestion}`? Anchors are the heading text in lowercase, with spaces as `-`"),
        None => "anchors are the heading text in lowercase, punctuation dropped and spaces as `-`; or set one with `## Heading {#id}`".into(),
    };
    Some((
        format!("no heading with anchor `#{anchor}` on {place}"),
        help,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_keep_the_form_of_the_link() {
        assert_eq!(
            in_link_form("guide/a.md", "../adr/READM.md", "adr/README.md"),
            "../adr/README.md"
        );
        assert_eq!(
            in_link_form("guide/a.md", "/adr/READM.md", "adr/README.md"),
            "/adr/README.md"
        );
        assert_eq!(in_link_form("guide/a.md", "./b.md", "guide/c.md"), "./c.md");
        assert_eq!(
            in_link_form("a.md", "gude/c.md", "guide/c.md"),
            "guide/c.md"
        );
        assert_eq!(outside_folder("../std/index.html"), "../std/");
        assert_eq!(outside_folder("../../reference/x.md"), "../../reference/");
        let policy = LinkPolicy {
            allow_outside: vec!["../std".into()],
        };
        assert!(allowed_outside(&policy, "a.md", "../std/x.html"));
        assert!(allowed_outside(&policy, "guide/a.md", "../../std/x.html#y"));
        assert!(!allowed_outside(&policy, "a.md", "../stdlib/x.html"));
        assert!(
            !allowed_outside(&policy, "guide/a.md", "../std/x.html"),
            "that is guide/../std, inside"
        );
    }
}
