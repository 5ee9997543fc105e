//! Load: walk the content folder and read what is there, untouched by any judgement.
//!
//! Produces `Content`: every markdown file's text (front matter split off and parsed,
//! includes expanded), the parsed SUMMARY.md when there is one, and the list of other
//! files to copy. Problems in the files become findings; only an unreadable folder fails.

pub mod assets;
pub mod boundary;
pub mod data;
pub mod directives;
pub mod front_matter;
pub mod include;
mod memo;
pub mod preprocess;
pub mod summary;
pub mod yaml;

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context as _, bail};
use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::Config;
use crate::finding::{Finding, Rule};
use crate::secret::Scanner;
pub use boundary::Boundary;
pub use directives::Directive;
pub use front_matter::PageMeta;
pub use memo::Memo;
pub use preprocess::SourceMap;
pub use summary::Summary;

/// The file that orders the navigation, in mdBook's format.
pub const SUMMARY: &str = "SUMMARY.md";

/// Everything read from the content folder.
pub struct Content {
    /// The content folder on disk.
    pub dir: PathBuf,
    /// The content folder relative to the handbook root, `/`-separated, for findings
    /// (empty when the content folder is the root itself).
    pub prefix: String,
    /// Markdown files in path order.
    pub documents: Vec<Document>,
    /// SUMMARY.md, parsed, when the handbook has one.
    pub summary: Option<Summary>,
    /// Other files (images, downloads), relative to the content folder, in path order.
    pub assets: Vec<String>,
    /// `[output.html]`'s `additional-css` and `additional-js` files that exist inside
    /// the repository: where each goes in the site, and where it is read from.
    pub extra_files: Vec<(String, PathBuf)>,
    /// Whether pages are read with smart punctuation (`[output.html]`).
    pub smart_punctuation: bool,
    /// Whether the navigation lists the docs-health page (`Config::show_health`).
    pub show_health: bool,
    /// Whether the site has a print page (`[output.html.print] enable`).
    pub print_page: bool,
    /// Pages left out because their front matter says `draft: true` (content-relative).
    pub drafts: Vec<String>,
    /// The suppression directives of each file that has any, by the file's path from
    /// the handbook root (as findings name it): what `check` needs of the files' text.
    pub directives: BTreeMap<String, Vec<Directive>>,
    /// The ADR and runbook folders, content-relative (`[shipshape] adr-dir`, `runbooks-dir`).
    pub adr_dir: String,
    pub runbooks_dir: String,
    /// The service checklists and standards, parsed, and the repository files they name.
    pub data: data::Data,
    /// Problems found while reading.
    pub findings: Vec<Finding>,
}

/// Why a file could not be read, in a handbook author's words.
pub fn io_reason(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::NotADirectory => "a part of the path is a file, not a folder".into(),
        std::io::ErrorKind::IsADirectory => "it is a folder, not a file".into(),
        std::io::ErrorKind::InvalidData => "the file is not UTF-8 text".into(),
        _ => err.to_string(),
    }
}

/// Joins the content prefix and a content-relative path.
pub fn display_path(prefix: &str, rel: &str) -> String {
    if prefix.is_empty() {
        rel.to_string()
    } else {
        format!("{prefix}/{rel}")
    }
}

/// One markdown file, read and pre-processed.
#[derive(Clone, Default)]
pub struct Document {
    /// Path relative to the content folder, `/`-separated.
    pub path: String,
    /// The keys every page may set.
    pub meta: PageMeta,
    /// The markdown body with includes expanded.
    pub body: String,
    /// Maps byte offsets of `body` back to lines of the file.
    pub source_map: SourceMap,
    /// Files this page's output depends on besides itself (its includes), relative to
    /// the handbook root.
    pub includes: Vec<PathBuf>,
    /// The title a `{{#title …}}` directive gives the page.
    pub directive_title: Option<String>,
    /// An ADR, a runbook or another page.
    pub kind: front_matter::Kind,
    /// The front matter's values, for the pages whose other keys the model reads: ADRs,
    /// runbooks and pages a `[policy.pages]` review age applies to.
    pub front: Option<front_matter::Front>,
}

/// Reads the content folder named by the config; nothing outside `boundary` is read.
/// Pages marked `draft: true` are left out unless `drafts`. The book's preprocessors
/// then run on the pages unless `preprocessors` is `Mode::Skip`.
pub fn load(
    config: &Config,
    boundary: &Boundary,
    output: &Path,
    drafts: bool,
    preprocessors: preprocess::Mode,
    memo: Option<&Memo>,
) -> anyhow::Result<Content> {
    let dir = config.root.join(&config.book.src);
    // Judged before it is looked for, so that "does not exist" is never said of a place
    // outside the repository.
    boundary.check_content_dir(config, &dir)?;
    if !dir.is_dir() {
        bail!(
            "the content folder {} does not exist\n  help: create it, or set `src` in [book] of {} to the folder that holds your markdown",
            dir.display(),
            config.root.join(crate::config::FILE_NAME).display()
        );
    }
    let prefix = display_prefix(&config.root, &config.book.src);
    // A site written inside the content folder must not be read back as content.
    let output_inside = inside(&dir, output);
    let exclude = &config.shipshape.exclude;

    let mut markdown = Vec::new();
    let mut assets = Vec::new();
    let mut findings = Vec::new();
    let mut escapes = Vec::new();
    let walker = WalkDir::new(&dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            if entry.depth() == 0 {
                return true;
            }
            if is_hidden(entry.file_name()) || output_inside.as_deref() == Some(entry.path()) {
                return false;
            }
            let rel =
                || relative_slash_path(entry.path().strip_prefix(&dir).unwrap_or(entry.path()));
            if !exclude.is_empty() && exclude.is_match(&rel()) {
                return false;
            }
            // A link is followed only while it stays inside the repository.
            if entry.path_is_symlink() && boundary.resolve(entry.path()).is_err() {
                escapes.push((rel(), entry.path().to_path_buf()));
                return false;
            }
            true
        });
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                findings.push(walk_finding(&err, &dir, &prefix, boundary)?);
                continue;
            }
        };
        if entry.file_type().is_dir() {
            continue;
        }
        let rel = relative_slash_path(entry.path().strip_prefix(&dir)?);
        if rel.ends_with(".md") {
            markdown.push(rel);
        } else {
            assets.push(rel);
        }
    }

    for (rel, path) in escapes {
        findings.push(escape_finding(&rel, &path, &prefix, boundary));
    }

    // Every file's credentials are redacted as it is read: no later stage sees them.
    let scanner = Scanner::new(&config.policy);
    let mut summary = None;
    let mut directives = BTreeMap::new();
    if let Some(index) = markdown.iter().position(|rel| rel == SUMMARY) {
        markdown.remove(index);
        let text = read_text(&dir, SUMMARY, &prefix, &mut findings)?;
        if let Some(mut text) = text {
            let shown = display_path(&prefix, SUMMARY);
            scanner.scrub_file(&mut text, &shown, &mut findings);
            keep_directives(&mut directives, &shown, &text);
            let (parsed, problems) = summary::parse(&text, &shown);
            findings.extend(problems);
            summary = Some(parsed);
        }
    }

    let read: Vec<Read> = markdown
        .par_iter()
        .map(|rel| {
            let read = || read_document(config, boundary, &scanner, &dir, &prefix, rel);
            match memo {
                Some(memo) => memo.read(rel, &dir.join(rel), &config.root, read),
                None => read(),
            }
        })
        .collect::<anyhow::Result<_>>()?;
    let mut documents = Vec::with_capacity(read.len());
    let mut left_out = Vec::new();
    for (document, problems, found) in read {
        if let Some((file, found)) = found {
            directives.insert(file, found);
        }
        match document {
            Some(document) if document.meta.draft && !drafts => left_out.push(document.path),
            Some(document) => documents.push(document),
            None => {}
        }
        findings.extend(problems);
    }

    // YAML under the services and standards folders is data, read here, not copied.
    let (yaml_files, assets): (Vec<String>, Vec<String>) = assets
        .into_iter()
        .partition(|rel| data::is_data_file(config, rel));
    let walked = data::Walked {
        dir: &dir,
        prefix: &prefix,
        yaml: &yaml_files,
        markdown: &markdown,
    };
    let data = data::read(
        config,
        boundary,
        &scanner,
        &walked,
        &mut directives,
        &mut findings,
    )?;
    findings.extend(assets::scan(&scanner, &dir, &prefix, &assets));
    let extra_files = extra_files(config, boundary, &mut findings);
    let mut content = Content {
        extra_files,
        smart_punctuation: config.html.smart_punctuation,
        show_health: config.show_health,
        print_page: config.html.print.enable,
        dir,
        prefix,
        documents,
        summary,
        assets,
        drafts: left_out,
        directives,
        adr_dir: config.shipshape.adr_dir.trim_matches('/').to_string(),
        runbooks_dir: config.shipshape.runbooks_dir.trim_matches('/').to_string(),
        data,
        findings,
    };
    if preprocess::run(config, preprocessors, &mut content)? {
        // What a preprocessor returned may hold what the files did not.
        for document in &mut content.documents {
            let shown = display_path(&content.prefix, &document.path);
            let map = &document.source_map;
            scanner.scrub_mapped(
                &mut document.body,
                &shown,
                &mut content.findings,
                |lines, offset| map.position(lines, offset),
            );
        }
    }
    Ok(content)
}

/// A markdown file as read: the page (none when it could not be read), the problems
/// found, and its suppression directives by its path from the handbook root.
type Read = (
    Option<Document>,
    Vec<Finding>,
    Option<(String, Vec<Directive>)>,
);

/// Keeps the suppression directives of `text`, the file `shown`, when it has any.
fn keep_directives(directives: &mut BTreeMap<String, Vec<Directive>>, shown: &str, text: &str) {
    let found = directives::parse(text, directives::Syntax::Markdown);
    if !found.is_empty() {
        directives.insert(shown.to_string(), found);
    }
}

fn read_document(
    config: &Config,
    boundary: &Boundary,
    scanner: &Scanner,
    dir: &Path,
    prefix: &str,
    rel: &str,
) -> anyhow::Result<Read> {
    let mut findings = Vec::new();
    let Some(mut text) = read_text(dir, rel, prefix, &mut findings)? else {
        return Ok((None, findings, None));
    };
    let shown = display_path(prefix, rel);
    scanner.scrub_file(&mut text, &shown, &mut findings);
    let found = directives::parse(&text, directives::Syntax::Markdown);
    let found = (!found.is_empty()).then(|| (shown.clone(), found));
    let split = front_matter::split(&text, &shown, &mut findings);
    let kind = front_matter::Kind::of(rel, &config.shipshape);
    if let Some(reason) = front_matter::Kind::not_an_adr(rel, &config.shipshape) {
        findings.push(
            Finding::new(Rule::Adr, &shown, reason)
                .severity(crate::finding::Severity::Warning)
                .help("rename it `NNNN-title.md` with the next free number, or give it a name that does not start with a digit"),
        );
    }
    let reads_front = kind != front_matter::Kind::Page
        || config
            .policy
            .pages
            .matching(rel)
            .any(|policy| policy.max_age.is_some());
    // Pages whose other keys the model reads parse their YAML once, into `Front`.
    let front = split
        .block
        .as_ref()
        .filter(|_| reads_front)
        .and_then(front_matter::Front::read);
    let meta = split
        .block
        .as_ref()
        .map(|block| front_matter::parse_meta(block, front.as_ref(), kind, &shown, &mut findings))
        .unwrap_or_default();
    let mut expanded = include::expand(
        split.body,
        split.body_line,
        &dir.join(rel),
        &include::Context {
            root: &config.root,
            boundary,
        },
        &shown,
        &mut findings,
    );
    if !expanded.files.is_empty() {
        // Included text is the included files' own, not yet scanned; its findings are on
        // the include's line, as every other finding in included text is.
        let map = &expanded.map;
        scanner.scrub_mapped(
            &mut expanded.text,
            &shown,
            &mut findings,
            |lines, offset| map.position(lines, offset),
        );
    }
    let document = Document {
        path: rel.to_string(),
        meta,
        body: expanded.text,
        source_map: expanded.map.into(),
        includes: expanded.files,
        directive_title: expanded.title,
        kind,
        front,
    };
    Ok((Some(document), findings, found))
}

/// Reads a text file; a file that is not UTF-8 becomes a finding, not a failure.
fn read_text(
    dir: &Path,
    rel: &str,
    prefix: &str,
    findings: &mut Vec<Finding>,
) -> anyhow::Result<Option<String>> {
    let path = dir.join(rel);
    let bytes = std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Some(text)),
        Err(err) => {
            let valid = &err.as_bytes()[..err.utf8_error().valid_up_to()];
            let valid = std::str::from_utf8(valid).unwrap_or_default();
            let position = crate::finding::Position::of_offset(valid, valid.len());
            findings.push(
                Finding::new(
                    Rule::Syntax,
                    display_path(prefix, rel),
                    "the file is not valid UTF-8",
                )
                .at(position)
                .help("save the file as UTF-8; the page is skipped until then"),
            );
            Ok(None)
        }
    }
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}

/// A relative path as a `/`-separated string (`.` dropped, `..` kept).
pub fn relative_slash_path(path: &Path) -> String {
    path.components()
        .filter_map(|component| match component {
            Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
            Component::ParentDir => Some("..".into()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// How findings name the content folder: relative to the root when it can be, else
/// the path as configured.
fn display_prefix(root: &Path, src: &Path) -> String {
    if src.is_relative() {
        return relative_slash_path(src);
    }
    match src.strip_prefix(root) {
        Ok(inside) => relative_slash_path(inside),
        Err(_) => src.to_string_lossy().replace('\\', "/"),
    }
}

/// `path` as it appears under `dir`'s walk, when `path` is inside `dir`.
fn inside(dir: &Path, path: &Path) -> Option<PathBuf> {
    let dir_abs = std::path::absolute(dir).ok()?;
    let path_abs = std::path::absolute(path).ok()?;
    let rel = lexical_normalize(&path_abs)
        .strip_prefix(lexical_normalize(&dir_abs))
        .ok()?
        .to_path_buf();
    (!rel.as_os_str().is_empty()).then(|| dir.join(rel))
}

/// `a/b/../c` → `a/c`, without touching the disk (so symlinks are not followed).
/// Leading `..` steps of a relative path are kept (`../../x` stays); `/..` is `/`.
pub fn lexical_normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => match out.components().next_back() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(".."),
            },
            other => out.push(other),
        }
    }
    out
}

/// The book's own stylesheets and scripts (`additional-css`, `additional-js`), relative to
/// its root as in mdBook, each copied to the same path in the site. One that is missing,
/// outside the repository, or above the root (no place in the site) is a finding.
fn extra_files(
    config: &Config,
    boundary: &Boundary,
    findings: &mut Vec<Finding>,
) -> Vec<(String, PathBuf)> {
    let html = &config.html;
    let mut files = Vec::new();
    for (key, path) in html
        .additional_css
        .iter()
        .map(|path| ("additional-css", path))
        .chain(
            html.additional_js
                .iter()
                .map(|path| ("additional-js", path)),
        )
    {
        let site = relative_slash_path(&lexical_normalize(path));
        let problem = if path.is_absolute() || site.is_empty() || site.starts_with("..") {
            Some(format!(
                "`{}` in `{key}` lies outside the book's folder, so it has no place in the site",
                path.display()
            ))
        } else {
            match boundary.resolve(&config.root.join(path)) {
                Ok(Some(real)) if real.is_file() => {
                    files.push((site, real));
                    None
                }
                Ok(_) => Some(format!("`{}` in `{key}` does not exist", path.display())),
                Err(_) => Some(format!(
                    "`{}` in `{key}` leads outside {}; it is not read",
                    path.display(),
                    boundary.describe()
                )),
            }
        };
        if let Some(message) = problem {
            findings.push(
                Finding::new(Rule::Link, crate::config::FILE_NAME, message).help(
                    "paths in [output.html] are relative to the folder that holds book.toml; create the file or fix the path",
                ),
            );
        }
    }
    files
}

/// A symbolic link in the content folder that leads outside the boundary. It is named as
/// written in the repository, never by where it resolves.
fn escape_finding(rel: &str, path: &Path, prefix: &str, boundary: &Boundary) -> Finding {
    let link = std::fs::read_link(path).unwrap_or_default();
    Finding::new(
        Rule::Link,
        display_path(prefix, rel),
        format!(
            "`{rel}` is a symbolic link to `{}`, which leads outside {}; it is not read or published",
            link.display(),
            boundary.describe()
        ),
    )
    .help(boundary::escape_help())
}

/// A problem walking the content folder: a symlink loop or a dangling symlink is a
/// finding on that path; any other error stops the command.
fn walk_finding(
    err: &walkdir::Error,
    dir: &Path,
    prefix: &str,
    boundary: &Boundary,
) -> anyhow::Result<Finding> {
    let Some(path) = err.path() else {
        bail!("cannot read {}: {err}", dir.display());
    };
    let rel = relative_slash_path(path.strip_prefix(dir).unwrap_or(path));
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|meta| meta.file_type().is_symlink());
    // A link that leads outside gets the same answer whether its target exists or not.
    if is_link && boundary.resolve(path).is_err() {
        return Ok(escape_finding(&rel, path, prefix, boundary));
    }
    let (message, help) = if err.loop_ancestor().is_some() {
        (
            "a symbolic link here leads back to a folder that contains it",
            "remove the link, or point it outside the content folder",
        )
    } else if is_link {
        (
            "a symbolic link here points at nothing",
            "fix the link's target or delete the link",
        )
    } else {
        bail!("cannot read {}: {err}", path.display());
    };
    Ok(Finding::new(Rule::Link, display_path(prefix, &rel), message).help(help))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizing_keeps_leading_parent_steps() {
        let norm = |text: &str| lexical_normalize(Path::new(text));
        assert_eq!(norm("a/b/../c"), PathBuf::from("a/c"));
        assert_eq!(norm("../.."), PathBuf::from("../.."));
        assert_eq!(norm("./../a/../../b"), PathBuf::from("../../b"));
        assert_eq!(norm("a/../../b"), PathBuf::from("../b"));
        assert_eq!(norm("/../x"), PathBuf::from("/x"));
        assert_eq!(norm("."), PathBuf::from(""));
    }
}
