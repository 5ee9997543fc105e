//! One generation of the preview: every file of the built site in memory, with the
//! live-reload tag in each HTML page, and the status the event stream sends.

use std::collections::{BTreeSet, HashMap};

use bytes::Bytes;
use serde::Serialize;

use super::packed::Served;

use crate::finding::{Finding, Severity};

/// The script every served HTML page loads; the one difference from a `build`.
pub const LIVE_PATH: &str = "/__shipshape/live.js";
/// The event stream live.js listens to.
pub const EVENTS_PATH: &str = "/__shipshape/events";
/// The site's file list (JSON), for tools and tests that compare it with a build.
pub const FILES_PATH: &str = "/__shipshape/files.json";
/// The tag injected into each page, before its closing `</body>`.
pub const LIVE_TAG: &str = "<script src=\"/__shipshape/live.js\"></script>";
/// Past this many changed files, the status says "everything" instead of listing them.
const MOST_LISTED: usize = 500;

const LIVE_JS: &str = include_str!("live.js");

/// A built site, as served.
#[derive(Default)]
pub struct Site {
    /// Site-relative path → the file (HTML with the live tag).
    pub files: HashMap<String, Served>,
    /// Pages earlier generations had and this one does not: asked for, they get a
    /// "this page was removed" page rather than a bare 404.
    pub removed: BTreeSet<String>,
    pub status: Status,
}

/// What live.js learns after each rebuild.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Status {
    /// Counts up with each rebuild that was swapped in.
    pub generation: u64,
    /// The generation this one replaced: a page that loaded an older one missed a
    /// change and reloads.
    pub previous: u64,
    /// Files whose bytes differ from the previous generation, or `None` for "too many to
    /// list" (a template or book.toml change).
    pub changed: Option<Vec<String>>,
    /// The error findings, for the overlay.
    pub errors: Vec<Problem>,
    pub warnings: usize,
    /// Why the handbook could not be built at all (the last good site is still served).
    pub fatal: Option<String>,
}

/// One error finding, as the overlay shows it.
#[derive(Clone, Debug, Serialize)]
pub struct Problem {
    pub file: String,
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub rule: String,
    pub message: String,
    pub help: Option<String>,
}

impl Problem {
    pub fn list(findings: &[Finding]) -> (Vec<Problem>, usize) {
        let errors = findings
            .iter()
            .filter(|finding| finding.severity == Severity::Error)
            .map(|finding| Problem {
                file: finding.file.clone(),
                line: finding.line,
                column: finding.column,
                rule: finding.rule.id().to_string(),
                message: finding.message.clone(),
                help: finding.help.clone(),
            })
            .collect::<Vec<_>>();
        let warnings = findings.len() - errors.len();
        (errors, warnings)
    }
}

impl Site {
    /// The next generation after `self`, from freshly built `files` (HTML tagged) and
    /// its findings.
    pub fn next(&self, built: Vec<(String, Served)>, findings: &[Finding]) -> Site {
        let files: HashMap<String, Served> = built.into_iter().collect();
        let mut changed: Vec<String> = files
            .iter()
            .filter(|(path, file)| self.files.get(*path).is_none_or(|old| old.fp != file.fp))
            .map(|(path, _)| path.clone())
            .chain(
                self.files
                    .keys()
                    .filter(|path| !files.contains_key(*path))
                    .cloned(),
            )
            .collect();
        changed.sort();
        let mut removed: BTreeSet<String> = self
            .removed
            .iter()
            .chain(self.files.keys())
            .filter(|path| !files.contains_key(*path))
            .cloned()
            .collect();
        removed.retain(|path| path.ends_with(".html"));
        let (errors, warnings) = Problem::list(findings);
        Site {
            files,
            removed,
            status: Status {
                generation: self.status.generation + 1,
                previous: self.status.generation,
                changed: (self.status.generation > 0 && changed.len() <= MOST_LISTED)
                    .then_some(changed),
                errors,
                warnings,
                fatal: None,
            },
        }
    }

    /// The same files as `self`, with the status saying why a rebuild failed.
    pub fn failed(&self, error: String) -> Site {
        Site {
            files: self.files.clone(),
            removed: self.removed.clone(),
            status: Status {
                fatal: Some(error),
                changed: Some(Vec::new()),
                previous: self.status.generation,
                ..self.status.clone()
            },
        }
    }

    /// live.js, told which generation the pages served with it come from.
    pub fn live_js(&self) -> Bytes {
        let status = serde_json::to_string(&self.status).unwrap_or_else(|_| "null".into());
        Bytes::from(format!(
            "const SHIPSHAPE_LOADED = {status};\n{LIVE_JS}",
            status = status.replace("</", "<\\/")
        ))
    }

    /// The body and type for a path the site does not have.
    pub fn missing(&self, key: &str) -> (Served, &'static str) {
        let html = "text/html; charset=utf-8";
        let fp = crate::cache::Fp::of(b"");
        if self.removed.contains(key) {
            return (Served::whole(fp, removed_page(key).as_bytes()), html);
        }
        match self.files.get("404.html") {
            Some(page) => (page.clone(), html),
            None => (
                Served::whole(fp, b"not found\n"),
                "text/plain; charset=utf-8",
            ),
        }
    }
}

/// `html` with the live tag before its last `</body>` (or at the end).
pub fn inject(mut html: Vec<u8>) -> Vec<u8> {
    let at = html
        .windows(7)
        .rposition(|window| window.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    html.splice(at..at, LIVE_TAG.bytes());
    html
}

fn removed_page(key: &str) -> String {
    let path = crate::render::escape(key);
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Page removed</title>\
<style>body{{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem}}code{{font-size:.9em}}</style></head>\
<body><main><h1>This page was removed</h1><p><code>{path}</code> was part of the handbook until a recent edit. If it was renamed, its new name is in the navigation.</p>\
<p><a href=\"/\">Go to the home page</a></p></main>{LIVE_TAG}</body></html>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tag_goes_before_the_last_closing_body() {
        let html = b"<html><body><p>x</p></BODY></html>".to_vec();
        let injected = String::from_utf8(inject(html)).unwrap();
        assert_eq!(
            injected,
            format!("<html><body><p>x</p>{LIVE_TAG}</BODY></html>")
        );
        let bare = String::from_utf8(inject(b"<p>x</p>".to_vec())).unwrap();
        assert_eq!(bare, format!("<p>x</p>{LIVE_TAG}"));
    }

    fn file(text: &str) -> Served {
        Served::whole(crate::cache::Fp::of(text.as_bytes()), text.as_bytes())
    }

    #[test]
    fn a_generation_lists_what_changed_and_what_went() {
        let first = Site::default().next(
            vec![
                ("index.html".into(), file("<body>a</body>")),
                ("gone.html".into(), file("<body>b</body>")),
                ("style.css".into(), file("x")),
            ],
            &[],
        );
        let second = first.next(
            vec![
                ("index.html".into(), file("<body>changed</body>")),
                ("style.css".into(), file("x")),
            ],
            &[],
        );
        assert_eq!(second.status.generation, 2);
        assert_eq!(second.status.previous, 1);
        assert_eq!(
            second.status.changed.as_deref(),
            Some(&["gone.html".to_string(), "index.html".to_string()][..])
        );
        assert!(second.removed.contains("gone.html"));
        let (page, _) = second.missing("gone.html");
        assert!(String::from_utf8_lossy(&page.bytes()).contains("This page was removed"));
        let third = second.next(vec![("gone.html".into(), file("<body>back</body>"))], &[]);
        assert!(!third.removed.contains("gone.html"));
        assert!(third.removed.contains("index.html"));
    }
}
