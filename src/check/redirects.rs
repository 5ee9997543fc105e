//! `[output.html.redirect]`: the entries that cannot be written (`schema`, from
//! `model::redirect`), and a `link` warning for each target in the site that is no page
//! or file of it. Web addresses are not fetched.

use crate::config::{BaseUrl, FILE_NAME};
use crate::finding::{Finding, Rule, Severity};
use crate::model::Handbook;
use crate::model::link::{self, Target};
use crate::model::redirect::{self, Entry, Redirects};

/// The findings of book.toml's redirect table.
pub fn check(
    table: &std::collections::BTreeMap<String, String>,
    base_url: &BaseUrl,
    handbook: &Handbook,
) -> Vec<Finding> {
    if table.is_empty() {
        return Vec::new();
    }
    let (redirects, mut findings) = redirect::plan(table, handbook);
    for entry in &redirects.entries {
        if let Some((message, help)) = problem(entry, &redirects, base_url, handbook) {
            findings.push(
                Finding::new(Rule::Link, FILE_NAME, message)
                    .severity(Severity::Warning)
                    .help(help),
            );
        }
    }
    findings
}

/// What is wrong with where `entry` leads, when it leads into the site.
fn problem(
    entry: &Entry,
    redirects: &Redirects,
    base_url: &BaseUrl,
    handbook: &Handbook,
) -> Option<(String, String)> {
    let Entry { key, from, value } = entry;
    let target = match value.strip_prefix('/') {
        _ if link::is_external(value) => return None,
        // `/guide/x.md` names a page from the content folder's top, as in any link.
        Some(rooted) if link::path_part(rooted).ends_with(".md") => link::resolve("", rooted),
        // From the host's root: in the site only below base-url's path.
        Some(_) => match value.strip_prefix(site_root(base_url)) {
            // `/` alone, or `/#anchor`, is the home page.
            Some(rest) if rest.is_empty() || rest.starts_with(['#', '?']) => {
                return None;
            }
            Some(rest) => link::resolve("", rest),
            None => return None,
        },
        None => link::resolve(from, value),
    };
    let path = match target {
        Target::External | Target::SiteAbsolute => return None,
        // `#new` on the old page itself: from a redirect page it would send the reader
        // round in circles; from a page still there, to one of its anchors.
        Target::Fragment(_) if redirects.in_page.contains_key(from) => return None,
        Target::Fragment(_) => {
            return Some((
                format!("the redirect from `{key}` leads back to itself (`{value}`)"),
                "redirect to the page the old one moved to, such as `new-page.html#anchor`".into(),
            ));
        }
        Target::Outside => {
            return Some((
                format!("the redirect from `{key}` to `{value}` leads out of the site"),
                "redirect to a page of the site, or to a full https:// address".into(),
            ));
        }
        Target::Path { path, .. } => path,
    };
    let found = handbook.page_by_source(&path).is_some()
        || handbook.page_by_url(&path).is_some()
        || handbook.assets.contains(&path)
        || handbook.extra_files.iter().any(|(file, _)| *file == path)
        || redirects.pages.iter().any(|page| page.path == path)
        || path.starts_with("static/")
        || path == crate::model::SITEMAP_URL;
    if found {
        return None;
    }
    let why = if handbook.is_draft(&path) {
        "a draft, which is left out of the site"
    } else {
        "no page or file of the site"
    };
    Some((
        format!("the redirect from `{key}` leads to `{value}`, which is {why}"),
        "a relative target is read from the old page's folder, `/` from the site's root; fix it, or redirect to a full https:// address".into(),
    ))
}

/// base-url's path: `/` for `https://example.com/`, `/docs/` for `/docs/`.
fn site_root(base_url: &BaseUrl) -> &str {
    let url = base_url.as_str();
    match ["https://", "http://"]
        .iter()
        .find_map(|scheme| url.strip_prefix(scheme))
    {
        Some(rest) => rest.find('/').map_or("/", |slash| &rest[slash..]),
        None => url,
    }
}
