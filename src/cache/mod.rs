//! The build cache: what one build keeps for the next, in a folder of its own outside the
//! site (by default `.shipshape/cache/` beside book.toml; ADR 0012).
//!
//! - `blocks.rs`: highlighted code blocks, by a hash of highlighter, language and code;
//! - `manifest.rs`: each file of the last site with the fingerprint of its inputs, so an
//!   unchanged file is hard-linked from the previous site instead of rendered again;
//! - `inputs.rs`: the fingerprint of every input of the last build and what it reported,
//!   so a build with nothing changed does next to nothing and reports the same.
//!
//! Invariant: the cache never changes output. Every entry is verified before use, a
//! damaged or missing file is a miss, and a build that cannot lock the folder (another
//! build holds it) runs without it.

pub mod blocks;
pub mod hash;
pub mod inputs;
pub mod manifest;
pub mod print;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

pub use blocks::Blocks;
pub use hash::{Fp, Hasher};
pub use manifest::{Entry, Manifest, Stat};

use crate::output::Staging;

/// Where the cache goes unless book.toml or `--cache-dir` says otherwise, from the
/// handbook root. Hidden, so that a content folder at the root never reads it.
pub const DEFAULT_DIR: &str = ".shipshape/cache";

/// The cache folder, locked for this build.
pub struct Cache {
    dir: PathBuf,
    /// Held until the build ends: one build at a time uses the folder.
    _lock: fs::File,
}

impl Cache {
    /// Opens (creating it) and locks the cache folder `dir`. `Ok(None)` when another
    /// build holds the lock: this one then runs without a cache rather than waiting.
    pub fn open(dir: &Path) -> anyhow::Result<Option<Cache>> {
        use anyhow::Context as _;
        fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the cache folder {}", dir.display()))?;
        let ignore = dir.join(".gitignore");
        if !ignore.exists() {
            // The folder explains itself and keeps out of commits wherever it is.
            let _ = fs::write(&ignore, "# shipshape's build cache: safe to delete\n*\n");
        }
        let lock = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join("lock"))
            .with_context(|| format!("cannot write in the cache folder {}", dir.display()))?;
        match lock.try_lock() {
            Ok(()) => Ok(Some(Cache {
                dir: dir.to_path_buf(),
                _lock: lock,
            })),
            Err(fs::TryLockError::WouldBlock) => Ok(None),
            Err(fs::TryLockError::Error(err)) => {
                Err(err).with_context(|| format!("cannot lock the cache folder {}", dir.display()))
            }
        }
    }

    /// The highlighted blocks' log.
    pub fn blocks_path(&self) -> PathBuf {
        self.dir.join("highlight.bin")
    }

    /// The last site's manifest.
    pub fn manifest_path(&self) -> PathBuf {
        self.dir.join("manifest.txt")
    }

    /// The last build's inputs and report.
    pub fn inputs_path(&self) -> PathBuf {
        self.dir.join("inputs.json")
    }
}

/// Writes `bytes` to `path` through a temporary file beside it and a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let temp = path.with_extension(format!("tmp-{}", std::process::id()));
    fs::write(&temp, bytes)?;
    fs::rename(&temp, path).inspect_err(|_| {
        let _ = fs::remove_file(&temp);
    })
}

/// The files of the site being built, each either linked from the previous site (its
/// fingerprint unchanged) or made afresh, and the manifest of the new site.
pub struct Outputs<'a> {
    previous: Option<&'a Manifest>,
    next: Mutex<Vec<(String, Entry)>>,
    rendered: AtomicUsize,
    linked: AtomicUsize,
}

impl<'a> Outputs<'a> {
    /// Outputs that reuse files of `previous`, when given.
    pub fn new(previous: Option<&'a Manifest>) -> Outputs<'a> {
        Outputs {
            previous,
            next: Mutex::new(Vec::new()),
            rendered: AtomicUsize::new(0),
            linked: AtomicUsize::new(0),
        }
    }

    /// The previous site's copy of `path`, when it can be reused for fingerprint `fp`.
    pub fn reusable(&self, path: &str, fp: Fp) -> Option<PathBuf> {
        self.previous?.reusable(path, fp)
    }

    /// Puts `path` into the staging folder: linked from the previous site when its
    /// fingerprint `fp` is unchanged, else the bytes `make` returns. Returns whether
    /// it was made.
    pub fn put(
        &self,
        staging: &Staging,
        path: &str,
        fp: Fp,
        make: impl FnOnce() -> anyhow::Result<Vec<u8>>,
    ) -> anyhow::Result<bool> {
        if let Some(from) = self.reusable(path, fp)
            && let Some(meta) = staging.link(path, &from)?
        {
            self.linked.fetch_add(1, Ordering::Relaxed);
            self.record(path, fp, &meta);
            return Ok(false);
        }
        let meta = staging.write(path, &make()?)?;
        self.rendered.fetch_add(1, Ordering::Relaxed);
        self.record(path, fp, &meta);
        Ok(true)
    }

    /// Notes a file written into the staging folder by other means.
    pub fn record(&self, path: &str, fp: Fp, meta: &fs::Metadata) {
        self.next.lock().expect("outputs lock").push((
            path.to_string(),
            Entry {
                fp,
                stat: Stat::of(meta),
            },
        ));
    }

    /// How many files were made and how many linked, so far.
    pub fn counts(&self) -> (usize, usize) {
        (
            self.rendered.load(Ordering::Relaxed),
            self.linked.load(Ordering::Relaxed),
        )
    }

    /// The manifest of the new site, once it is at `site`.
    pub fn manifest(self, site: &Path, chapters: Vec<manifest::Chapter>) -> Manifest {
        Manifest {
            site: site.to_path_buf(),
            files: self
                .next
                .into_inner()
                .expect("outputs lock")
                .into_iter()
                .collect(),
            chapters,
        }
    }
}
