//! What a build may read: the git work tree that holds the handbook (else the handbook
//! root), plus the places book.toml's `read-outside` opens, never a `.git` folder. Handbooks
//! are built from untrusted pull requests in CI, so an include, a symbolic link or the
//! content folder that leads anywhere else is refused before its target is read.

use std::path::{Component, Path, PathBuf};

use anyhow::bail;

use crate::config::{Config, FILE_NAME};

/// The folders a build may read, each resolved (symbolic links followed).
#[derive(Clone, Debug)]
pub struct Boundary {
    /// The git work tree or the handbook root: what findings call "the repository".
    home: PathBuf,
    /// `read-outside` entries that exist.
    allowed: Vec<PathBuf>,
}

impl Boundary {
    /// The boundary for the handbook `config` describes. A `read-outside` entry that would
    /// open the repository's own parents (or the whole disk) cannot run.
    pub fn new(config: &Config) -> anyhow::Result<Boundary> {
        let home = home(&config.root)?;
        let mut allowed = Vec::new();
        for entry in &config.shipshape.read_outside {
            let Ok(real) = std::fs::canonicalize(config.root.join(entry)) else {
                continue; // nothing there to read
            };
            if entry.is_absolute() || home.starts_with(&real) {
                bail!(
                    "`read-outside` lists {}, which {}: it may only open folders beside the repository\n  help: list the folder that holds what you include, relative to the handbook root, such as `read-outside = [\"../../shared/snippets\"]`",
                    entry.display(),
                    if entry.is_absolute() {
                        "is an absolute path"
                    } else {
                        "holds the repository itself"
                    }
                );
            }
            allowed.push(real);
        }
        Ok(Boundary { home, allowed })
    }

    /// A boundary of one folder, for tests.
    #[cfg(test)]
    pub fn around(dir: &Path) -> Boundary {
        Boundary {
            home: std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf()),
            allowed: Vec::new(),
        }
    }

    /// Whether resolved `path` lies inside, and not in a `.git` folder (its config holds
    /// the CI checkout's token).
    pub fn contains(&self, path: &Path) -> bool {
        std::iter::once(&self.home)
            .chain(&self.allowed)
            .filter_map(|dir| path.strip_prefix(dir).ok())
            .any(|rest| {
                !rest
                    .components()
                    .any(|c| c == Component::Normal(".git".as_ref()))
            })
    }

    /// `path` resolved, when it exists and lies inside; `Escape` when it leads outside.
    /// `Ok(None)` when it does not exist inside: reading it fails as a missing file. A
    /// missing path whose existing part already leads outside is an escape too, so the
    /// answer never tells whether a file outside exists.
    pub fn resolve(&self, path: &Path) -> Result<Option<PathBuf>, Escape> {
        if let Ok(real) = std::fs::canonicalize(path) {
            return if self.contains(&real) {
                Ok(Some(real))
            } else {
                Err(Escape)
            };
        }
        // A dangling link: judge where it points.
        if let Ok(target) = std::fs::read_link(path) {
            let parent = path.parent().unwrap_or(Path::new(""));
            return match self.existing_part_inside(&parent.join(target)) {
                true => Ok(None),
                false => Err(Escape),
            };
        }
        match self.existing_part_inside(path) {
            true => Ok(None),
            false => Err(Escape),
        }
    }

    /// Whether the longest existing leading part of `path`, resolved, lies inside.
    fn existing_part_inside(&self, path: &Path) -> bool {
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let normal = super::lexical_normalize(&absolute);
        normal
            .ancestors()
            .find_map(|ancestor| std::fs::canonicalize(ancestor).ok())
            .is_some_and(|real| self.contains(&real))
    }

    /// Resolves a folder the site will be written to, which may not exist yet: whether it
    /// lies inside.
    pub fn contains_for_writing(&self, path: &Path) -> bool {
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let normal = super::lexical_normalize(&absolute);
        for ancestor in normal.ancestors() {
            if let Ok(real) = std::fs::canonicalize(ancestor) {
                let rest = normal.strip_prefix(ancestor).unwrap_or(Path::new(""));
                return self.contains(&real.join(rest));
            }
        }
        false
    }

    /// What the boundary is, for messages.
    pub fn describe(&self) -> &'static str {
        if self.home.join(".git").exists() {
            "the git work tree that holds the handbook"
        } else {
            "the handbook folder"
        }
    }

    /// Checks the content folder: inside the boundary, and not above the handbook root
    /// (which would publish book.toml's neighbours, or the whole disk).
    pub fn check_content_dir(&self, config: &Config, dir: &Path) -> anyhow::Result<()> {
        let real = std::fs::canonicalize(dir)
            .map_err(|err| anyhow::anyhow!("cannot read {}: {err}", dir.display()))?;
        let root = std::fs::canonicalize(&config.root)?;
        let book_toml = config.root.join(FILE_NAME);
        if root.starts_with(&real) && root != real {
            bail!(
                "the content folder {} holds the handbook root {}: the site would publish everything around it\n  help: set `src` in [book] of {} to a folder inside the handbook, such as `src = \"content\"`",
                dir.display(),
                config.root.display(),
                book_toml.display()
            );
        }
        if !self.contains(&real) {
            bail!(
                "the content folder {} is outside {}, and nothing outside it is read\n  help: move the content inside it, or list the folder in `read-outside` of [shipshape] in {} if it is meant to be published",
                dir.display(),
                self.describe(),
                book_toml.display()
            );
        }
        Ok(())
    }
}

/// A path that resolves outside the boundary. Where it leads is never shown: the answer
/// would tell a pull request's author what exists on the build machine.
#[derive(Debug)]
pub struct Escape;

/// The git work tree that holds `root` (the nearest folder at or above it with `.git`),
/// else `root` itself; resolved.
pub fn home(root: &Path) -> anyhow::Result<PathBuf> {
    let root = std::fs::canonicalize(root).map_err(|err| {
        anyhow::anyhow!("cannot read the handbook folder {}: {err}", root.display())
    })?;
    let tree = root
        .ancestors()
        .find(|folder| folder.join(".git").exists())
        .map(Path::to_path_buf);
    Ok(tree.unwrap_or(root))
}

/// The help line of an escape finding.
pub fn escape_help() -> String {
    "nothing outside the repository (and nothing in .git) is read, so that a pull request cannot publish the build machine's files; point it inside the repository, or list the folder in `read-outside` of [shipshape] in book.toml".into()
}
