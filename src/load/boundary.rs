//! What a build may read: the git work tree that holds the handbook (else the handbook
//! root), plus the places book.toml's `read-outside` opens. Handbooks are built from
//! untrusted pull requests in CI, so an include, a symbolic link or the content folder
//! that leads anywhere else is refused before its target is read.

use std::path::{Path, PathBuf};

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
    /// The boundary for the handbook `config` describes.
    pub fn new(config: &Config) -> anyhow::Result<Boundary> {
        let root = std::fs::canonicalize(&config.root).map_err(|err| {
            anyhow::anyhow!(
                "cannot read the handbook root {}: {err}",
                config.root.display()
            )
        })?;
        let home = work_tree(&root).unwrap_or(root);
        let allowed = config
            .shipshape
            .read_outside
            .iter()
            .filter_map(|path| std::fs::canonicalize(config.root.join(path)).ok())
            .collect();
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

    /// Whether resolved `path` lies inside.
    pub fn contains(&self, path: &Path) -> bool {
        path.starts_with(&self.home) || self.allowed.iter().any(|dir| path.starts_with(dir))
    }

    /// `path` resolved, when it exists and lies inside; `Escape` when it leads outside.
    /// `Ok(None)` when it cannot be resolved (it does not exist): reading it would fail.
    pub fn resolve(&self, path: &Path) -> Result<Option<PathBuf>, Escape> {
        match std::fs::canonicalize(path) {
            Ok(real) if self.contains(&real) => Ok(Some(real)),
            Ok(real) => Err(Escape { target: real }),
            Err(_) => Ok(None),
        }
    }

    /// What the boundary is, for messages: "the git work tree at …" or "the handbook root …".
    pub fn describe(&self) -> String {
        if self.home.join(".git").exists() {
            format!("the git work tree {}", self.home.display())
        } else {
            format!("the handbook folder {}", self.home.display())
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

/// A path that resolves outside the boundary.
#[derive(Debug)]
pub struct Escape {
    /// Where it leads. Shown in messages, never read.
    pub target: PathBuf,
}

/// The git work tree that holds `dir`: the nearest folder at or above it with `.git`.
fn work_tree(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find(|folder| folder.join(".git").exists())
        .map(Path::to_path_buf)
}

/// The help line of an escape finding.
pub fn escape_help() -> String {
    "nothing outside the repository is read, so that a pull request cannot publish the build machine's files; point it inside the repository, or list the folder in `read-outside` of [shipshape] in book.toml".into()
}
