//! Atomic site output: the site is written into a sibling staging folder and swapped in
//! with renames only when every file is written. A failed or killed build leaves the
//! previous site as it was (ADR 0004).

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};

/// Every site has this (empty) file at its root: it tells GitHub Pages to serve the files
/// as they are, and tells the next build that the folder is a site it may replace. mdBook
/// writes it too, so an mdBook site can be replaced.
pub const MARKER: &str = ".nojekyll";

/// Whether `target` may be swapped out: missing, empty, or a site (it has the marker).
fn is_replaceable(target: &Path) -> bool {
    match fs::read_dir(target) {
        Ok(mut entries) => entries.next().is_none() || target.join(MARKER).is_file(),
        Err(_) => true,
    }
}

/// A site being written. Dropping it without `commit` removes what was written.
pub struct Staging {
    target: PathBuf,
    staging: PathBuf,
    committed: bool,
}

impl Staging {
    /// Starts a site that will replace `target`. Refuses a target that holds any of
    /// `protected` (the handbook root, the content folder): swapping it would delete them.
    pub fn new(target: &Path, protected: &[&Path]) -> anyhow::Result<Staging> {
        let target = absolute(target)?;
        for keep in protected {
            let keep = absolute(keep)?;
            if keep.starts_with(&target) {
                bail!(
                    "refusing to write the site to {}: it holds {}, which the build would replace\n  help: pass an output folder of its own, such as `-d book`",
                    target.display(),
                    keep.display()
                );
            }
        }
        if target.exists() && !target.is_dir() {
            bail!(
                "cannot write the site to {}: it is a file, not a folder",
                target.display()
            );
        }
        if !is_replaceable(&target) {
            bail!(
                "refusing to replace {}: it is not empty and is not a site (it has no {MARKER} file)\n  help: pass an empty or new output folder with `-d`, or delete this one if it really is an old site",
                target.display()
            );
        }
        let parent = target
            .parent()
            .context("the output folder has no parent folder")?
            .to_path_buf();
        fs::create_dir_all(&parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
        let name = target
            .file_name()
            .context("the output folder has no name")?
            .to_string_lossy()
            .into_owned();
        remove_leftovers(&parent, &name);
        let staging = parent.join(format!(".{name}.staging-{}", std::process::id()));
        fs::create_dir_all(&staging)
            .with_context(|| format!("cannot create {}", staging.display()))?;
        fs::write(staging.join(MARKER), "")
            .with_context(|| format!("cannot write in {}", staging.display()))?;
        Ok(Staging {
            target,
            staging,
            committed: false,
        })
    }

    /// Writes one file of the site (`path` relative to the site root). Safe to call
    /// from several threads at once.
    /// Returns what the file is on disk, for the build cache's manifest.
    pub fn write(&self, path: &str, bytes: &[u8]) -> anyhow::Result<fs::Metadata> {
        use std::io::Write as _;
        let dest = self.destination(path)?;
        let mut file =
            fs::File::create(&dest).with_context(|| format!("cannot write {}", dest.display()))?;
        file.write_all(bytes)
            .and_then(|()| file.metadata())
            .with_context(|| format!("cannot write {}", dest.display()))
    }

    /// Puts the previous site's file `from` at `path` as a hard link (a copy where the
    /// file system has none). `None` when `from` is gone: another build swapped that
    /// site out meanwhile, and the file must be made afresh.
    pub fn link(&self, path: &str, from: &Path) -> anyhow::Result<Option<fs::Metadata>> {
        let dest = self.destination(path)?;
        if let Err(err) = fs::hard_link(from, &dest) {
            if err.kind() == std::io::ErrorKind::NotFound {
                return Ok(None);
            }
            match fs::copy(from, &dest) {
                Ok(_) => {}
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
                Err(err) => {
                    return Err(err).with_context(|| {
                        format!("cannot copy {} to {}", from.display(), dest.display())
                    });
                }
            }
        }
        fs::symlink_metadata(&dest)
            .map(Some)
            .with_context(|| format!("cannot read {}", dest.display()))
    }

    /// What the site's marker file is on disk.
    pub fn marker(&self) -> anyhow::Result<fs::Metadata> {
        let path = self.staging.join(MARKER);
        fs::metadata(&path).with_context(|| format!("cannot read {}", path.display()))
    }

    /// Opens one file of the site for writing in pieces (a page too large to hold whole).
    pub fn create(&self, path: &str) -> anyhow::Result<std::io::BufWriter<fs::File>> {
        let dest = self.destination(path)?;
        let file =
            fs::File::create(&dest).with_context(|| format!("cannot write {}", dest.display()))?;
        Ok(std::io::BufWriter::new(file))
    }

    /// Where `path` goes in the staging folder, with its folders created.
    fn destination(&self, path: &str) -> anyhow::Result<PathBuf> {
        let dest = self.staging.join(path);
        if let Some(dir) = dest.parent() {
            fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        }
        Ok(dest)
    }

    /// Swaps the finished site in for the previous one: in one atomic exchange where the
    /// system has it (Linux), else with two renames and a moment without a site.
    pub fn commit(mut self) -> anyhow::Result<PathBuf> {
        if !self.target.exists() {
            fs::rename(&self.staging, &self.target).with_context(|| {
                format!("cannot move the new site to {}", self.target.display())
            })?;
            self.committed = true;
            return Ok(self.target.clone());
        }
        if exchange(&self.staging, &self.target).is_ok() {
            // The staging path now holds the previous site.
            self.committed = true;
            let _ = fs::remove_dir_all(&self.staging);
            return Ok(self.target.clone());
        }
        let old = self.staging.with_file_name(format!(
            ".{}.old-{}",
            self.target
                .file_name()
                .unwrap_or_default()
                .to_string_lossy(),
            std::process::id()
        ));
        fs::rename(&self.target, &old).with_context(|| {
            format!(
                "cannot move the previous site {} aside",
                self.target.display()
            )
        })?;
        if let Err(err) = fs::rename(&self.staging, &self.target) {
            let _ = fs::rename(&old, &self.target);
            return Err(err)
                .with_context(|| format!("cannot move the new site to {}", self.target.display()));
        }
        self.committed = true;
        let _ = fs::remove_dir_all(&old);
        Ok(self.target.clone())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

/// Swaps two paths in one step.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

/// Removes staging and old folders that a killed build left beside the target. A folder
/// whose build is still running (its process id is alive) is left alone.
fn remove_leftovers(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let prefixes = [format!(".{name}.staging-"), format!(".{name}.old-")];
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = prefixes
            .iter()
            .find_map(|prefix| file_name.strip_prefix(prefix.as_str()))
        else {
            continue;
        };
        let running = pid.parse::<u32>().is_ok_and(|pid| {
            pid != std::process::id() && Path::new(&format!("/proc/{pid}")).exists()
        });
        if !running {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// An absolute, lexically clean path (the target may not exist yet).
pub fn absolute(path: &Path) -> anyhow::Result<PathBuf> {
    let absolute =
        std::path::absolute(path).with_context(|| format!("cannot resolve {}", path.display()))?;
    match absolute.canonicalize() {
        Ok(real) => Ok(real),
        Err(_) => Ok(absolute),
    }
}
