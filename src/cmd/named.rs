//! The paths `check` is given: the handbook root, then the files whose findings alone
//! are reported, as `shipshape check docs docs/content/a.md` and pre-commit's
//! `shipshape check content/a.md book.toml` name them.

use std::path::{Path, PathBuf};

use anyhow::bail;

use crate::config::FILE_NAME;

/// Where `check` runs and which files it reports on.
#[derive(Debug)]
pub struct Named {
    /// The handbook root.
    pub root: PathBuf,
    /// The named files and folders inside the handbook, from its root and `/`-separated;
    /// `None` when no file was named, so every finding is reported.
    files: Option<Vec<Entry>>,
}

#[derive(Debug)]
enum Entry {
    File(String),
    /// A folder: every file in it (`""` is the root itself).
    Folder(String),
}

impl Named {
    /// Reads check's positional paths. The first is the handbook root when it is a folder
    /// (or does not exist and has no extension, which `config::load` then explains);
    /// every other path, and the first too when it is a file, is a file, named from the
    /// current folder. A named file outside the handbook is kept out without a word;
    /// one that does not exist stops the command.
    pub fn resolve(first: Option<&Path>, rest: &[PathBuf]) -> anyhow::Result<Named> {
        let Some(first) = first else {
            return Ok(Named {
                root: PathBuf::from("."),
                files: None,
            });
        };
        let first_is_root = first.is_dir() || (!exists(first) && first.extension().is_none());
        let (root, named, root_given) = if first_is_root {
            (first.to_path_buf(), rest.to_vec(), true)
        } else {
            let mut all = vec![first.to_path_buf()];
            all.extend_from_slice(rest);
            (PathBuf::from("."), all, false)
        };
        if named.is_empty() {
            return Ok(Named { root, files: None });
        }
        for path in &named {
            if let Err(err) = std::fs::symlink_metadata(path) {
                bail!(
                    "cannot check {}: {}\n  help: name files from the current folder ({}); when the handbook's folder is given, it comes first, as in `shipshape check docs docs/content/index.md`",
                    path.display(),
                    crate::load::io_reason(&err),
                    std::env::current_dir()
                        .map(|dir| dir.display().to_string())
                        .unwrap_or_else(|_| ".".into())
                );
            }
        }
        if !root_given && !is_handbook(&root) {
            explain_missing_root(&named)?;
        }
        let files = named
            .iter()
            .filter_map(|path| {
                let relative = relative_to(&root, path)?;
                Some(if path.is_dir() {
                    Entry::Folder(relative)
                } else {
                    Entry::File(relative)
                })
            })
            .collect();
        Ok(Named {
            root,
            files: Some(files),
        })
    }

    /// Whether a finding in `file` (from the handbook root) is reported.
    pub fn keeps(&self, file: &str) -> bool {
        let Some(entries) = &self.files else {
            return true;
        };
        entries.iter().any(|entry| match entry {
            Entry::File(named) => named == file,
            Entry::Folder(folder) => {
                folder.is_empty()
                    || file
                        .strip_prefix(folder.as_str())
                        .is_some_and(|rest| rest.starts_with('/'))
            }
        })
    }
}

fn exists(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok()
}

/// Whether `root` is a handbook shipshape can read: a book.toml, or mdBook's defaults.
fn is_handbook(root: &Path) -> bool {
    root.join(FILE_NAME).exists() || root.join("src").join(crate::load::SUMMARY).is_file()
}

/// Files named with no handbook folder, from a folder that is no handbook: when one of
/// them lies in a handbook, the command to type instead.
fn explain_missing_root(named: &[PathBuf]) -> anyhow::Result<()> {
    for path in named {
        let path = crate::load::lexical_normalize(path);
        let absolute = match std::path::absolute(&path) {
            Ok(absolute) => crate::load::lexical_normalize(&absolute),
            Err(_) => continue,
        };
        let mut folder = path.clone();
        for ancestor in absolute.ancestors().skip(1) {
            folder = match folder.parent() {
                Some(parent) => parent.to_path_buf(),
                None => break,
            };
            if folder.as_os_str().is_empty() {
                break;
            }
            if ancestor.join(FILE_NAME).is_file() {
                let more = if named.len() > 1 { " …" } else { "" };
                bail!(
                    "the current folder holds no {FILE_NAME}, and {} is in the handbook at `{}`\n  help: name the handbook's folder first: `shipshape check {} {}{more}`; `shipshape check {}` checks all of it",
                    path.display(),
                    folder.display(),
                    folder.display(),
                    named[0].display(),
                    folder.display()
                );
            }
        }
    }
    Ok(())
}

/// `path` (from the current folder) relative to `root`, `/`-separated; `None` when it
/// is outside. Compared as written first, so that a link inside the handbook counts as
/// where it is, then with links resolved.
fn relative_to(root: &Path, path: &Path) -> Option<String> {
    let lexical = |path: &Path| {
        std::path::absolute(path)
            .ok()
            .map(|absolute| crate::load::lexical_normalize(&absolute))
    };
    let inside = |root: PathBuf, path: PathBuf| {
        path.strip_prefix(&root).ok().map(|relative| {
            relative
                .components()
                .map(|part| part.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/")
        })
    };
    let written = lexical(root).zip(lexical(path));
    let resolved = std::fs::canonicalize(root)
        .ok()
        .zip(std::fs::canonicalize(path).ok());
    written
        .and_then(|(root, path)| inside(root, path))
        .or_else(|| resolved.and_then(|(root, path)| inside(root, path)))
}
