//! mdBook's `[output.html.redirect]`: old paths of the site (from its root) and where each
//! moved. An old path the site does not write gets a small page that sends the reader
//! on; `#fragment` entries of an old path send each old anchor somewhere of its own,
//! from that page, or from the page still written there. Entries that cannot be written
//! become findings on book.toml.
//!
//! Every value comes with the pull request, so only web addresses (`https://`, `http://`),
//! paths and `#fragments` are taken: a `javascript:` target would run in the reader's
//! browser.

use std::collections::{BTreeMap, BTreeSet};

use crate::config::FILE_NAME;
use crate::finding::{Finding, Rule};
use crate::model::link::{self, percent_decode};
use crate::model::{Handbook, reserved};

/// The redirects the site writes, read from book.toml's table.
#[derive(Debug, Default)]
pub struct Redirects {
    /// A page at each old path the site does not write, in path order.
    pub pages: Vec<RedirectPage>,
    /// For a page the site still writes (by its site path): `#fragment` → target, for
    /// its old anchors that moved elsewhere.
    pub in_page: BTreeMap<String, BTreeMap<String, String>>,
    /// Every entry that is written, for the link check.
    pub entries: Vec<Entry>,
}

/// A redirect page.
#[derive(Debug)]
pub struct RedirectPage {
    /// Where it is written, relative to the site root (`old/page.html`).
    pub path: String,
    /// Where it sends the reader, as written in the page.
    pub target: String,
    /// `#fragment` → target, for the old anchors that moved elsewhere.
    pub fragments: BTreeMap<String, String>,
}

/// One entry of the table that the site writes.
#[derive(Debug)]
pub struct Entry {
    /// The key as book.toml has it (`/old.html#anchor`).
    pub key: String,
    /// The site path it redirects from (`old.html`).
    pub from: String,
    /// The value as book.toml has it, trimmed.
    pub value: String,
}

/// What shipshape writes at a site path already, and so what a redirect (or one of the
/// book's own files) may not take.
pub struct Written<'a> {
    handbook: &'a Handbook,
    /// Every folder that holds a file of the site.
    folders: BTreeSet<String>,
}

impl Written<'_> {
    pub fn new(handbook: &Handbook) -> Written<'_> {
        let mut folders = BTreeSet::new();
        let files = handbook
            .by_url
            .keys()
            .chain(&handbook.assets)
            .chain(handbook.extra_files.iter().map(|(path, _)| path));
        for file in files {
            let mut folder = file.as_str();
            while let Some((parent, _)) = folder.rsplit_once('/') {
                folders.insert(parent.to_string());
                folder = parent;
            }
        }
        Written { handbook, folders }
    }

    /// What is written at `path`, or in the way of writing a file there.
    pub fn at(&self, path: &str) -> Option<String> {
        let handbook = self.handbook;
        if let Some(id) = handbook.page_by_url(path) {
            let page = handbook.page(id);
            return Some(match page.markdown() {
                Some(markdown) => format!("the page of `{}`", markdown.document.path),
                None => format!("the page \"{}\"", page.title),
            });
        }
        if handbook.assets.iter().any(|asset| asset == path) {
            return Some("a file of the content folder, copied there".into());
        }
        if handbook.extra_files.iter().any(|(file, _)| file == path) {
            return Some("one of `additional-css` and `additional-js`".into());
        }
        if let Some(what) = reserved(path) {
            return Some(what.into());
        }
        // `output` writes it in every site (`output::site::MARKER`).
        if path == ".nojekyll" {
            return Some("the marker that makes the folder a site".into());
        }
        if path == "static" || path.starts_with("static/") {
            return Some("the theme's folder".into());
        }
        if self.folders.contains(path) {
            return Some("a folder of the site".into());
        }
        let mut folder = path;
        while let Some((parent, _)) = folder.rsplit_once('/') {
            if handbook.page_by_url(parent).is_some()
                || handbook.assets.iter().any(|asset| asset == parent)
                || handbook.extra_files.iter().any(|(file, _)| file == parent)
            {
                return Some(format!("below `{parent}`, a file of the site"));
            }
            folder = parent;
        }
        None
    }
}

/// The redirects of `table` (book.toml's `[output.html.redirect]`) for `handbook`, and a
/// finding for each entry that is not written.
pub fn plan(table: &BTreeMap<String, String>, handbook: &Handbook) -> (Redirects, Vec<Finding>) {
    let mut findings = Vec::new();
    let refuse = |findings: &mut Vec<Finding>, message: String, help: &str| {
        findings.push(Finding::new(Rule::Schema, FILE_NAME, message).help(help));
    };
    // Old path → (its default entry, its `#fragment` entries), in path order.
    type Group<'a> = (
        Option<(&'a str, String)>,
        BTreeMap<String, (&'a str, String)>,
    );
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    for (key, value) in table {
        let (path, fragment) = match key.rsplit_once('#') {
            Some((path, fragment)) => (path, Some(fragment)),
            None => (key.as_str(), None),
        };
        let path = match site_path(path) {
            Ok(path) => path,
            Err(why) => {
                refuse(
                    &mut findings,
                    format!("the redirect from `{key}` is not written: {why}"),
                    "write the old page's path from the site's root, such as `/guide/old-page.html`",
                );
                continue;
            }
        };
        let value = value.trim_matches(|c: char| c.is_ascii_whitespace());
        if let Err(why) = check_target(value) {
            refuse(
                &mut findings,
                format!("the redirect from `{key}` is not written: {why}"),
                "redirect to a page of the site (`new-page.html`, relative to the old page, or `/guide/new-page.html`), or to a web address that starts with https://",
            );
            continue;
        }
        let group = groups.entry(path).or_default();
        let taken = match fragment {
            None => group.0.replace((key, value.to_string())).is_some(),
            Some(fragment) => group
                .1
                .insert(format!("#{fragment}"), (key, value.to_string()))
                .is_some(),
        };
        if taken {
            refuse(
                &mut findings,
                format!(
                    "the redirect from `{key}` names an old path another entry names too; the last one is written"
                ),
                "keep one entry for each old path",
            );
        }
    }

    let written = Written::new(handbook);
    let mut redirects = Redirects::default();
    let mut taken: BTreeSet<String> = BTreeSet::new();
    for (path, (default, fragments)) in groups {
        let fragment_map: BTreeMap<String, String> = fragments
            .iter()
            .map(|(fragment, (_, value))| (fragment.clone(), target(value, &path)))
            .collect();
        let entries = default.iter().chain(fragments.values());
        let entries: Vec<Entry> = entries
            .map(|(key, value)| Entry {
                key: key.to_string(),
                from: path.clone(),
                value: value.clone(),
            })
            .collect();
        if let Some(what) = written.at(&path) {
            let is_page = handbook.page_by_url(&path).is_some();
            if let Some((key, _)) = &default {
                refuse(
                    &mut findings,
                    format!(
                        "the redirect from `{key}` is not written: the site writes {what} there"
                    ),
                    "delete the redirect, or the page it replaces: a redirect is for a page that has moved away (mdBook refuses it too)",
                );
            }
            if is_page {
                // The page is written: its old anchors are sent on from the page itself.
                if !fragment_map.is_empty() {
                    redirects.in_page.insert(path.clone(), fragment_map);
                    redirects
                        .entries
                        .extend(entries.into_iter().filter(|entry| entry.key.contains('#')));
                }
            } else {
                for (key, _) in fragments.values() {
                    refuse(
                        &mut findings,
                        format!(
                            "the redirect from `{key}` is not written: the site writes {what} there, which is not a page of the handbook"
                        ),
                        "delete the redirect, or point it at a page's old anchor",
                    );
                }
            }
            continue;
        }
        let Some((key, value)) = default else {
            let keys: Vec<&str> = fragments.values().map(|(key, _)| *key).collect();
            refuse(
                &mut findings,
                format!(
                    "{} not written: `/{path}` has only entries with `#` fragments, so a reader who comes without one has nowhere to go",
                    match keys.as_slice() {
                        [key] => format!("the redirect from `{key}` is"),
                        keys => format!("the redirects from `{}` are", keys.join("`, `")),
                    }
                ),
                &format!(
                    "add an entry without the fragment, `\"/{path}\" = \"new-page.html\"`, for where the rest of the page went (mdBook requires it too)"
                ),
            );
            continue;
        };
        // A redirect cannot be written inside another one's path, or over its folder.
        let in_the_way = taken.iter().find(|other| {
            path.strip_prefix(other.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
                || other
                    .strip_prefix(path.as_str())
                    .is_some_and(|rest| rest.starts_with('/'))
        });
        if let Some(other) = in_the_way {
            refuse(
                &mut findings,
                format!(
                    "the redirect from `{key}` is not written: the redirect at `/{other}` is in the way"
                ),
                "a path cannot be both a file and a folder: move one of the two redirects",
            );
            continue;
        }
        taken.insert(path.clone());
        redirects.entries.extend(entries);
        redirects.pages.push(RedirectPage {
            target: target(&value, &path),
            path,
            fragments: fragment_map,
        });
    }
    (redirects, findings)
}

/// The file a key's path names, from the site root: `/old/page.html` → `old/page.html`,
/// `/old/` → `old/index.html`; `%20` is a space, as a web server reads it.
fn site_path(key: &str) -> Result<String, String> {
    let trimmed = key.trim_start_matches('/');
    let mut parts = Vec::new();
    for part in trimmed.split('/') {
        let part = percent_decode(part);
        match part.as_str() {
            "" | "." | ".." => {}
            part if part.contains(['/', '\\', '?']) || part.chars().any(char::is_control) => {
                return Err(format!("`{part}` cannot be part of a file's path"));
            }
            _ => {}
        }
        parts.push(part);
    }
    if let Some(last) = parts.last_mut()
        && last.is_empty()
    {
        *last = "index.html".into();
    }
    if parts
        .iter()
        .any(|part| matches!(part.as_str(), "" | "." | ".."))
    {
        return Err("its path has an empty, `.` or `..` part".into());
    }
    Ok(parts.join("/"))
}

/// Whether `value` may be a redirect's target: a path, a `#fragment`, or an `https://` or
/// `http://` address. Leading quotes are looked through, as a browser reads the address
/// in `<meta http-equiv="refresh">`.
fn check_target(value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Err("it has no target".into());
    }
    if value.chars().any(char::is_control) {
        return Err(format!(
            "`{}` holds a control character",
            value.escape_debug()
        ));
    }
    let unquoted = value.trim_start_matches(['\'', '"']).trim_start();
    if link::is_external(unquoted) && !unquoted.starts_with("//") {
        let scheme = &unquoted[..unquoted.find(':').unwrap_or(0)];
        if !scheme.eq_ignore_ascii_case("https") && !scheme.eq_ignore_ascii_case("http") {
            return Err(format!(
                "`{value}` is a `{scheme}:` address; only https:// and http:// addresses are taken, as its page would run or open it in the reader's browser"
            ));
        }
    }
    Ok(())
}

/// `value` as the page at `from` writes it: a `.md` link points at its page, as in any
/// page of the handbook.
fn target(value: &str, from: &str) -> String {
    link::rewrite(value, from).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_name_files_from_the_root() {
        assert_eq!(site_path("/old.html").unwrap(), "old.html");
        assert_eq!(site_path("old/page.html").unwrap(), "old/page.html");
        assert_eq!(site_path("/old/").unwrap(), "old/index.html");
        assert_eq!(site_path("/my%20page.html").unwrap(), "my page.html");
        assert!(site_path("/../etc/passwd").is_err());
        assert!(site_path("/a//b.html").is_err());
        assert!(site_path("/").is_ok());
        assert!(site_path("/a%2F..%2F..%2Fb.html").is_err());
        assert!(site_path("/%2e%2e/b.html").is_err());
        assert!(site_path("/a\\b.html").is_err());
    }

    #[test]
    fn only_web_addresses_and_paths_are_targets() {
        assert!(check_target("new.html").is_ok());
        assert!(check_target("/new.html#a").is_ok());
        assert!(check_target("https://example.com/").is_ok());
        assert!(check_target("HTTP://example.com/").is_ok());
        assert!(check_target("//example.com/").is_ok());
        assert!(check_target("#anchor").is_ok());
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "data:text/html,x",
            "'javascript:alert(1)'",
            "java\tscript:alert(1)",
            "vbscript:x",
            "",
        ] {
            assert!(check_target(bad).is_err(), "{bad}");
        }
    }
}
