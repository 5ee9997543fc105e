//! Git: what the repository's history says about the handbook, read with gix (ADR 0013),
//! only with `[policy] git = true`. The history is read once a run, before the check
//! stage, and handed to the rules and the renderer as data: the rules never open the
//! repository themselves.

mod changes;
mod history;

use std::path::{Path, PathBuf};

pub use changes::{Changes, changes, materialize};
pub use history::{Commit, History, Interest};

/// What a run knows of git.
#[derive(Debug, Default)]
pub enum Git {
    /// `[policy] git` is off.
    #[default]
    Off,
    /// Git is on, but the history cannot be used: why.
    Unavailable(Unavailable),
    /// The history of HEAD.
    Read(Box<Read>),
}

/// Why git is on but its history cannot be used.
#[derive(Debug)]
pub enum Unavailable {
    /// The handbook is not inside a git work tree.
    Outside,
    /// A shallow clone: the history stops early, so dates read from it would be wrong.
    Shallow { stamps: Vec<PathBuf> },
    /// The repository could not be read.
    Broken {
        reason: String,
        stamps: Vec<PathBuf>,
    },
}

/// The history, with where the handbook sits in the repository.
#[derive(Debug)]
pub struct Read {
    pub history: History,
    /// The handbook root from the git root, `/`-separated, ending in `/` (or empty).
    pub prefix: String,
    /// The files a new commit or checkout changes (HEAD, its ref, packed refs, HEAD's
    /// log, the shallow file): inputs of a build, and what `serve` watches.
    pub stamps: Vec<PathBuf>,
}

impl Git {
    /// Reads the history of the repository whose work tree is `home` (the boundary's
    /// home), for the handbook at `root` whose model is `handbook`; `Off` unless `enabled`.
    pub fn read(enabled: bool, home: &Path, root: &Path, handbook: &crate::model::Handbook) -> Git {
        if !enabled {
            return Git::Off;
        }
        let Some(repo) = open(home) else {
            return Git::Unavailable(Unavailable::Outside);
        };
        let stamps = stamps(&repo);
        if repo.is_shallow() {
            return Git::Unavailable(Unavailable::Shallow { stamps });
        }
        let prefix = root_prefix(home, root);
        match History::read(&repo, home, &interest(handbook, &prefix)) {
            Ok(history) => Git::Read(Box::new(Read {
                history,
                prefix,
                stamps,
            })),
            Err(err) => Git::Unavailable(Unavailable::Broken {
                reason: format!("{err:#}"),
                stamps,
            }),
        }
    }

    /// The history, when it was read.
    pub fn history(&self) -> Option<&Read> {
        match self {
            Git::Read(read) => Some(read),
            _ => None,
        }
    }

    /// The files whose change means a new commit or checkout (empty when git is off
    /// or there is no repository).
    pub fn stamps(&self) -> &[PathBuf] {
        match self {
            Git::Read(read) => &read.stamps,
            Git::Unavailable(
                Unavailable::Shallow { stamps } | Unavailable::Broken { stamps, .. },
            ) => stamps,
            _ => &[],
        }
    }
}

impl Read {
    /// The newest commit that changed `file`, named from the handbook root.
    pub fn last_commit(&self, file: &str) -> Option<&Commit> {
        self.history.last_commit(&format!("{}{file}", self.prefix))
    }
}

impl Git {
    /// "Last updated" of each markdown page: the day (UTC) of the newest commit that
    /// changed its source or one of its includes; empty unless the history was read.
    pub fn updated(&self, handbook: &crate::model::Handbook) -> Updated {
        let Some(read) = self.history() else {
            return Updated::new();
        };
        handbook
            .iter()
            .filter(|(_, page)| page.markdown().is_some())
            .filter_map(|(id, _)| {
                let newest = handbook
                    .dependencies(id)
                    .iter()
                    .filter(|path| path.is_relative())
                    .filter_map(|path| read.last_commit(&crate::load::relative_slash_path(path)))
                    .map(|commit| commit.time)
                    .max()?;
                Some((id, day(newest)))
            })
            .collect()
    }
}

/// Each page's "Last updated" day.
pub type Updated = std::collections::BTreeMap<crate::model::PageId, jiff::civil::Date>;

/// What the rules will ask of the history: the last commit of the content folder's files
/// and of includes outside it, and the commits under services' `code` after the earliest
/// of their reviews. `prefix` is the handbook root from the git root.
fn interest(handbook: &crate::model::Handbook, prefix: &str) -> Interest {
    let content = crate::load::display_path(&handbook.prefix, "");
    let mut dated = vec![format!("{prefix}{content}")];
    for page in handbook.pages.iter().filter_map(|page| page.markdown()) {
        for include in &page.document.includes {
            let include = crate::load::relative_slash_path(include);
            if include.starts_with('/') || include.starts_with(&content) && !content.is_empty() {
                continue;
            }
            dated.push(format!("{prefix}{include}"));
        }
    }
    dated.sort();
    dated.dedup();
    let mut globs = globset::GlobSetBuilder::new();
    let mut literals = Vec::new();
    let mut from: Option<jiff::Timestamp> = None;
    for service in &handbook.services {
        let Some((reviewed, _)) = service.last_reviewed else {
            continue;
        };
        let Some(after) = review_end(reviewed) else {
            continue;
        };
        for pattern in &service.code {
            let pattern = pattern.trim_start_matches('/');
            if let Ok(glob) = globset::GlobBuilder::new(pattern)
                .literal_separator(true)
                .build()
            {
                globs.add(glob);
                literals.push(history::literal_prefix(pattern));
                from = Some(from.map_or(after, |from| from.min(after)));
            }
        }
    }
    let code = match (globs.build(), from) {
        (Ok(globs), Some(from)) => Some((globs, literals, from)),
        _ => None,
    };
    Interest { dated, code }
}

/// The first moment after a review day (UTC): commits from then on came after it.
pub fn review_end(reviewed: jiff::civil::Date) -> Option<jiff::Timestamp> {
    let next = reviewed.tomorrow().ok()?;
    Some(
        next.to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .ok()?
            .timestamp(),
    )
}

/// The day (UTC) of a commit time.
pub fn day(time: jiff::Timestamp) -> jiff::civil::Date {
    time.to_zoned_datetime(jiff::tz::TimeZone::UTC).date()
}

/// The repository whose work tree is `home`, when there is one. Read without the
/// user's or the system's git configuration, so that every machine reads it alike.
pub fn open(home: &Path) -> Option<gix::Repository> {
    if !home.join(".git").exists() {
        return None;
    }
    gix::open_opts(home, gix::open::Options::isolated()).ok()
}

/// The handbook root `root` from the work tree `home`, as a path prefix (`docs/`, or
/// empty).
pub fn root_prefix(home: &Path, root: &Path) -> String {
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    match root.strip_prefix(home) {
        Ok(rest) if !rest.as_os_str().is_empty() => {
            format!("{}/", crate::load::relative_slash_path(rest))
        }
        _ => String::new(),
    }
}

/// The files a commit, a checkout or a fetch into a shallow clone writes.
fn stamps(repo: &gix::Repository) -> Vec<PathBuf> {
    let git_dir = repo.git_dir();
    let common = repo.common_dir();
    let mut stamps = vec![
        git_dir.join("HEAD"),
        git_dir.join("logs/HEAD"),
        common.join("packed-refs"),
        common.join("shallow"),
    ];
    if let Ok(Some(name)) = repo.head_name() {
        stamps.push(common.join(gix::path::from_bstr(name.as_bstr()).as_ref()));
    }
    stamps.sort();
    stamps.dedup();
    stamps
}
