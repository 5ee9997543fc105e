//! No-op detection: a fingerprint of everything a build reads, taken from file metadata
//! (path, inode, size, modification time) rather than contents, and what the build
//! reported. A build whose inputs have the recorded fingerprint, and whose site on disk
//! is the one the manifest describes, prints the recorded report and writes nothing.
//!
//! The inputs are the command line (handbook, output folder, `--today` resolved,
//! `--drafts`, `--no-preprocessors`), the binary itself, book.toml, every file and folder
//! of the content folder and of the theme folder, and the files outside them that the
//! last build read or looked for (includes, extra stylesheets, evidence and `file-exists`
//! paths, present or not). A handbook whose inputs cannot all be known this way (one
//! that runs preprocessors, or finds checklists by globs outside the content folder) is
//! never taken as unchanged.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

use super::hash::{Fp, Hasher};
use super::manifest::Stat;
use crate::finding::{Finding, Related, Rule, Severity, Suppressed};

const VERSION: u32 = 1;

/// A file changed this close to the snapshot may change again within the file system's
/// timestamp resolution without its metadata showing it ("racy git"): such a snapshot is
/// not trusted.
const RACY: Duration = Duration::from_millis(50);

/// Where the inputs are: the places a snapshot walks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Roots {
    pub book_toml: PathBuf,
    pub content: PathBuf,
    /// The theme folder, when the theme is not the built-in one.
    pub theme: Option<PathBuf>,
    /// The site, when it lies inside the content folder (it is not an input).
    pub output: PathBuf,
    /// The cache folder, likewise.
    pub cache: PathBuf,
}

/// The fingerprint of the inputs, and whether a file changed too recently to trust it.
pub struct Snapshot {
    pub fp: Fp,
    pub racy: bool,
}

/// Takes the snapshot of the inputs at `roots` and `watched`, for the command line
/// `args`, against the build that started at `started`.
pub fn snapshot(args: &str, roots: &Roots, watched: &[PathBuf], started: SystemTime) -> Snapshot {
    let mut hasher = Hasher::new();
    let mut racy = false;
    let mut note = |hasher: &mut Hasher, path: &Path, meta: Option<std::fs::Metadata>| {
        hasher.part(path.as_os_str().as_encoded_bytes());
        match meta {
            Some(meta) => {
                let stat = Stat::of(&meta);
                if meta.is_file()
                    && meta
                        .modified()
                        .is_ok_and(|modified| modified + RACY >= started)
                {
                    racy = true;
                }
                hasher
                    .number(u128::from(meta.is_dir()))
                    .number(u128::from(stat.inode))
                    .number(u128::from(stat.size))
                    .number(stat.mtime_ns as u128);
            }
            None => {
                hasher.part("missing");
            }
        }
    };
    hasher.part(args);
    let binary = std::env::current_exe().ok();
    let binary_meta = binary
        .as_deref()
        .and_then(|path| std::fs::metadata(path).ok());
    note(&mut hasher, Path::new("binary"), binary_meta);
    note(
        &mut hasher,
        &roots.book_toml,
        std::fs::metadata(&roots.book_toml).ok(),
    );
    for root in std::iter::once(&roots.content).chain(&roots.theme) {
        hasher.part(root.as_os_str().as_encoded_bytes());
        let walk = walkdir::WalkDir::new(root)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|entry| {
                entry.depth() == 0
                    || !(entry.file_name().to_string_lossy().starts_with('.')
                        || entry.path() == roots.output
                        || entry.path() == roots.cache)
            });
        for entry in walk {
            match entry {
                Ok(entry) => {
                    let meta = entry.metadata().ok();
                    note(&mut hasher, entry.path(), meta);
                }
                Err(_) => {
                    hasher.part("unreadable");
                }
            }
        }
    }
    for path in watched {
        note(&mut hasher, path, std::fs::metadata(path).ok());
    }
    Snapshot {
        fp: hasher.finish(),
        racy,
    }
}

/// What the last build read and reported.
#[derive(Debug, Serialize, Deserialize)]
pub struct Record {
    version: u32,
    /// The snapshot of the inputs, when it can be trusted.
    pub fp: Option<String>,
    pub roots: Roots,
    pub watched: Vec<PathBuf>,
    pub report: Report,
}

impl Record {
    pub fn new(fp: Option<Fp>, roots: Roots, watched: Vec<PathBuf>, report: Report) -> Record {
        Record {
            version: VERSION,
            fp: fp.map(Fp::hex),
            roots,
            watched,
            report,
        }
    }

    /// The record at `path`; a missing, damaged or older one reads as none.
    pub fn read(path: &Path) -> Option<Record> {
        let text = std::fs::read(path).ok()?;
        let record: Record = serde_json::from_slice(&text).ok()?;
        (record.version == VERSION).then_some(record)
    }

    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        let bytes = serde_json::to_vec(self).map_err(std::io::Error::other)?;
        super::write_atomic(path, &bytes)
    }
}

/// What a build prints and logs, kept so that an unchanged build says the same.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Report {
    pub findings: Vec<StoredFinding>,
    pub suppressed: Vec<(StoredFinding, Option<String>)>,
    /// The documents read and judged; the assets found; the pages of the model.
    pub documents: usize,
    pub assets: usize,
    pub pages: usize,
    /// The files the write stage copied.
    pub copied: usize,
}

impl Report {
    pub fn findings(&self) -> Vec<Finding> {
        self.findings.iter().map(StoredFinding::finding).collect()
    }

    pub fn suppressed(&self) -> Vec<Suppressed> {
        self.suppressed
            .iter()
            .map(|(finding, reason)| Suppressed {
                finding: finding.finding(),
                reason: reason.clone(),
            })
            .collect()
    }
}

/// A finding as the record keeps it: every field, the fingerprint's key too.
#[derive(Debug, Serialize, Deserialize)]
pub struct StoredFinding {
    rule: String,
    error: bool,
    file: String,
    line: Option<u32>,
    column: Option<u32>,
    message: String,
    help: Option<String>,
    key: Option<String>,
    related: Vec<(String, Option<u32>, Option<u32>, String)>,
    subject: Option<String>,
    advisory: bool,
}

impl StoredFinding {
    pub fn of(finding: &Finding) -> StoredFinding {
        StoredFinding {
            rule: finding.rule.id().to_string(),
            error: finding.severity == Severity::Error,
            file: finding.file.clone(),
            line: finding.line,
            column: finding.column,
            message: finding.message.clone(),
            help: finding.help.clone(),
            key: finding.key.clone(),
            related: finding
                .related
                .iter()
                .map(|r| (r.file.clone(), r.line, r.column, r.message.clone()))
                .collect(),
            subject: finding.subject.clone(),
            advisory: finding.advisory,
        }
    }

    fn finding(&self) -> Finding {
        Finding {
            // Ids are a contract; a record from a binary with other rules is never read
            // (the binary is an input), so the fallback is never taken.
            rule: Rule::from_id(&self.rule).unwrap_or(Rule::Schema),
            severity: if self.error {
                Severity::Error
            } else {
                Severity::Warning
            },
            file: self.file.clone(),
            line: self.line,
            column: self.column,
            message: self.message.clone(),
            help: self.help.clone(),
            key: self.key.clone(),
            related: self
                .related
                .iter()
                .map(|(file, line, column, message)| Related {
                    file: file.clone(),
                    line: *line,
                    column: *column,
                    message: message.clone(),
                })
                .collect(),
            subject: self.subject.clone(),
            advisory: self.advisory,
            // Only `check --changed-since` reads causes, and it keeps no record.
            causes: Vec::new(),
            due: None,
            owner: None,
        }
    }
}
