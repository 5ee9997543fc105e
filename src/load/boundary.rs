//! What a build may read: the git work tree that holds the handbook (else the handbook
//! root), plus the places book.toml's `read-outside` opens, never a `.git` folder. Handbooks
//! are built from untrusted pull requests in CI, so an include, a symbolic link or the
//! content folder that leads anywhere else is refused before its target is read.
//!
//! Paths are resolved the way the system resolves them, one component at a time, so a
//! `..` after a symbolic link climbs from where the link led. A path that does not exist
//! is judged by the part of it that does: the answer is the same whether or not a file
//! outside exists, so findings never tell a pull request's author what the machine holds.

use std::collections::VecDeque;
use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};

use anyhow::bail;

use crate::config::{Config, FILE_NAME};

/// Links followed in one path before it counts as a loop (the system's own limit).
const MAX_LINKS: usize = 40;

/// The folders a build may read, each resolved (symbolic links followed).
#[derive(Clone, Debug)]
pub struct Boundary {
    /// The git work tree or the handbook root: what findings call "the repository".
    home: PathBuf,
    /// `read-outside` entries that exist.
    allowed: Vec<PathBuf>,
}

/// A path as the system resolves it.
enum Walked {
    /// It exists, at this resolved path.
    Exists(PathBuf),
    /// It does not exist; this is the resolved part that does.
    Missing(PathBuf),
}

/// One step of a path being resolved.
enum Step {
    Root(OsString),
    Parent,
    Name(OsString),
}

fn steps(path: &Path) -> impl Iterator<Item = Step> + '_ {
    path.components().filter_map(|component| match component {
        Component::Prefix(_) | Component::RootDir => {
            Some(Step::Root(component.as_os_str().to_os_string()))
        }
        Component::CurDir => None,
        Component::ParentDir => Some(Step::Parent),
        Component::Normal(name) => Some(Step::Name(name.to_os_string())),
    })
}

impl Boundary {
    /// The boundary for the handbook `config` describes. A `read-outside` entry that would
    /// open the repository's own parents (or the whole disk), a `.git` folder, or an
    /// absolute path cannot run.
    pub fn new(config: &Config) -> anyhow::Result<Boundary> {
        let within = Boundary::of_root(&config.root)?;
        let mut allowed = Vec::new();
        for entry in &config.shipshape.read_outside {
            let refuse = |why: &str| {
                anyhow::anyhow!(
                    "`read-outside` lists {}, which {why}: it may only open folders beside the repository\n  help: list the folder that holds what you include, relative to the handbook root, such as `read-outside = [\"../../shared/snippets\"]`",
                    entry.display()
                )
            };
            // Judged before the disk is asked, so the answer says nothing of what exists.
            if entry.is_absolute() {
                return Err(refuse("is an absolute path"));
            }
            if entry
                .components()
                .any(|c| c == Component::Normal(".git".as_ref()))
            {
                return Err(refuse("names a .git folder"));
            }
            let Walked::Exists(real) = within.walk(&config.root.join(entry)) else {
                continue; // nothing there to read
            };
            if within.home.starts_with(&real) {
                return Err(refuse("holds the repository itself"));
            }
            if real.starts_with(&within.home) {
                return Err(refuse("is inside the repository, which is read anyway"));
            }
            allowed.push(real);
        }
        Ok(Boundary {
            home: within.home,
            allowed,
        })
    }

    /// The boundary of the repository that holds `root`, without `read-outside`.
    pub fn of_root(root: &Path) -> anyhow::Result<Boundary> {
        Ok(Boundary {
            home: home(root)?,
            allowed: Vec::new(),
        })
    }

    /// A boundary of one folder, for tests.
    #[cfg(test)]
    pub fn around(dir: &Path) -> Boundary {
        Boundary {
            home: std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf()),
            allowed: Vec::new(),
        }
    }

    /// The git work tree that holds the handbook, else the handbook root, resolved.
    pub fn home(&self) -> &Path {
        &self.home
    }

    /// Whether resolved `path` lies inside, and not in a `.git` folder (its config holds
    /// the CI checkout's token).
    pub fn contains(&self, path: &Path) -> bool {
        !path
            .components()
            .any(|c| c == Component::Normal(".git".as_ref()))
            && std::iter::once(&self.home)
                .chain(&self.allowed)
                .any(|dir| path.starts_with(dir))
    }

    /// `path` resolved, when it exists and lies inside; `Escape` when it leads outside.
    /// `Ok(None)` when it does not exist and the part of it that does lies inside:
    /// reading it then fails as a missing file.
    pub fn resolve(&self, path: &Path) -> Result<Option<PathBuf>, Escape> {
        match self.walk(path) {
            Walked::Exists(real) if self.contains(&real) => Ok(Some(real)),
            Walked::Missing(existing) if self.contains(&existing) => Ok(None),
            _ => Err(Escape),
        }
    }

    /// Whether a folder the site will be written to, which may not exist yet, lies inside.
    pub fn contains_for_writing(&self, path: &Path) -> bool {
        match self.walk(path) {
            Walked::Exists(real) | Walked::Missing(real) => self.contains(&real),
        }
    }

    /// Resolves `path` as the system does: a symbolic link is read against the folder it
    /// sits in, and the rest of the path continues from where it led.
    fn walk(&self, path: &Path) -> Walked {
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let mut queue: VecDeque<Step> = steps(&absolute).collect();
        let mut current = PathBuf::new();
        let mut links = 0;
        while let Some(step) = queue.pop_front() {
            match step {
                Step::Root(root) => current = PathBuf::from(root),
                Step::Parent => {
                    current.pop();
                }
                Step::Name(name) => {
                    let next = current.join(&name);
                    let Ok(meta) = std::fs::symlink_metadata(&next) else {
                        return Walked::Missing(current);
                    };
                    if !meta.file_type().is_symlink() {
                        current = next;
                        continue;
                    }
                    links += 1;
                    let target = match std::fs::read_link(&next) {
                        Ok(target) if links <= MAX_LINKS => target,
                        _ => return Walked::Missing(current),
                    };
                    // A relative target continues from the link's folder (`current`); an
                    // absolute one starts again at the root.
                    for step in steps(&target).collect::<Vec<_>>().into_iter().rev() {
                        queue.push_front(step);
                    }
                }
            }
        }
        Walked::Exists(current)
    }

    /// What the boundary is, for messages.
    pub fn describe(&self) -> &'static str {
        if self.home.join(".git").exists() {
            "the git work tree that holds the handbook (and outside its .git folder)"
        } else {
            "the handbook folder (and outside any .git folder)"
        }
    }

    /// Checks the content folder: inside the boundary, and not above the handbook root
    /// (which would publish book.toml's neighbours, or the whole disk).
    pub fn check_content_dir(&self, config: &Config, dir: &Path) -> anyhow::Result<()> {
        let book_toml = config.root.join(FILE_NAME);
        let root = std::fs::canonicalize(&config.root)?;
        // The root's own parents tell nothing that is not known: say what is wrong.
        let holds_root =
            std::fs::canonicalize(dir).is_ok_and(|real| root.starts_with(&real) && root != real);
        if holds_root {
            bail!(
                "the content folder {} holds the handbook root {}: the site would publish everything around it\n  help: set `src` in [book] of {} to a folder inside the handbook, such as `src = \"content\"`",
                dir.display(),
                config.root.display(),
                book_toml.display()
            );
        }
        if self.resolve(dir).is_err() {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn parent_steps_after_a_link_climb_from_where_it_led() {
        let dir = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::create_dir_all(root.join("repo/content")).unwrap();
        std::fs::create_dir_all(root.join("repo/snippets/rust")).unwrap();
        std::fs::write(root.join("repo/snippets/common.rs"), "real").unwrap();
        std::fs::write(root.join("repo/content/common.rs"), "decoy").unwrap();
        std::os::unix::fs::symlink("../snippets/rust", root.join("repo/content/shared")).unwrap();
        let boundary = Boundary::around(&root.join("repo"));
        let real = boundary
            .resolve(&root.join("repo/content/shared/../common.rs"))
            .unwrap()
            .unwrap();
        assert_eq!(real, root.join("repo/snippets/common.rs"));
        // A chain that ends outside, at a file that does not exist, is still outside.
        std::fs::create_dir_all(root.join("outside")).unwrap();
        std::os::unix::fs::symlink(root.join("outside/nope.txt"), root.join("repo/b")).unwrap();
        std::os::unix::fs::symlink("../b", root.join("repo/content/a")).unwrap();
        assert!(boundary.resolve(&root.join("repo/content/a")).is_err());
        assert!(
            boundary
                .resolve(&root.join("repo/content/missing.md"))
                .unwrap()
                .is_none()
        );
        std::fs::create_dir_all(root.join("repo/.git")).unwrap();
        std::fs::write(root.join("repo/.git/config"), "token").unwrap();
        assert!(boundary.resolve(&root.join("repo/.git/config")).is_err());
        assert!(
            boundary
                .resolve(&root.join("repo/content/../.git/config"))
                .is_err()
        );
    }
}
