//! What `serve` keeps between two loads so that an edit re-reads only what changed: each
//! markdown file as read (front matter, includes expanded, directives), kept with the
//! file-system stamp of the file and of every file it included. `build` and `check`
//! load without one.
//!
//! A kept read is used again only when every stamp still matches and no path it
//! depends on was named changed by the watcher (the stamp alone can miss two writes of
//! the same size within one clock tick). book.toml or the binary changing starts over:
//! `serve` makes a new `Memo` then.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::Read;

/// Kept reads, by content-relative path.
#[derive(Default)]
pub struct Memo {
    reads: Mutex<HashMap<String, Kept>>,
}

struct Kept {
    /// The file and each include, as stamped before they were read.
    stamps: Vec<(PathBuf, Stamp)>,
    read: Read,
}

/// What says a file is unchanged without reading it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    #[cfg(unix)]
    inode: u64,
    #[cfg(unix)]
    changed: i64,
    #[cfg(unix)]
    changed_ns: i64,
}

impl Stamp {
    fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        #[cfg(unix)]
        use std::os::unix::fs::MetadataExt as _;
        Some(Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
            #[cfg(unix)]
            inode: meta.ino(),
            #[cfg(unix)]
            changed: meta.ctime(),
            #[cfg(unix)]
            changed_ns: meta.ctime_nsec(),
        })
    }
}

impl Memo {
    /// Forgets every read that depends on one of `paths` (absolute, as the watcher
    /// names them).
    pub fn forget(&self, paths: &[PathBuf]) {
        let paths: BTreeSet<&Path> = paths.iter().map(PathBuf::as_path).collect();
        self.lock().retain(|_, kept| {
            !kept
                .stamps
                .iter()
                .any(|(path, _)| paths.contains(path.as_path()))
        });
    }

    /// The read of `rel` (the file at `path`), kept or made by `read`.
    pub(super) fn read(
        &self,
        rel: &str,
        path: &Path,
        root: &Path,
        read: impl FnOnce() -> anyhow::Result<Read>,
    ) -> anyhow::Result<Read> {
        if let Some(kept) = self.lock().get(rel)
            && kept
                .stamps
                .iter()
                .all(|(path, stamp)| Stamp::of(path).as_ref() == Some(stamp))
        {
            return Ok(kept.read.clone());
        }
        let own = Stamp::of(path);
        let fresh = read()?;
        if let Some(own) = own {
            let mut stamps = vec![(absolute(path), own)];
            let includes = fresh.0.as_ref().map(|doc| doc.includes.as_slice());
            for include in includes.unwrap_or_default() {
                let include = root.join(include);
                match Stamp::of(&include) {
                    Some(stamp) => stamps.push((absolute(&include), stamp)),
                    // An include that is missing now is read again next time.
                    None => return Ok(fresh),
                }
            }
            self.lock().insert(
                rel.to_string(),
                Kept {
                    stamps,
                    read: fresh.clone(),
                },
            );
        }
        Ok(fresh)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Kept>> {
        self.reads.lock().unwrap_or_else(|err| err.into_inner())
    }
}

/// `path` from the file-system root, `.` parts dropped, as the watcher reports paths.
fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    joined
        .components()
        .filter(|part| !matches!(part, std::path::Component::CurDir))
        .collect()
}
