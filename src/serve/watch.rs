//! File-system events → batches of changed paths. `notify`'s debouncer merges the
//! bursts editors make when they save (a swap file, a rename over the original, a
//! truncate then a write) into one batch; paths the build never reads (the site it
//! writes, `.git`, editors' swap and backup files) are dropped.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use anyhow::Context as _;
use notify_debouncer_full::notify::RecursiveMode;
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

/// How long a path must be quiet before its change is passed on.
const QUIET: Duration = Duration::from_millis(25);

/// What a build read, as places to watch.
#[derive(Clone, Debug, Default)]
pub struct Watched {
    /// Folders whose whole tree is read (the content folder, the theme).
    pub trees: BTreeSet<PathBuf>,
    /// Folders some of whose files are read (the root for book.toml, a services folder
    /// outside the content folder): watched without their subfolders.
    pub folders: BTreeSet<PathBuf>,
    /// Trees whose changes are never the build's input (the site, the cache).
    pub ignored: Vec<PathBuf>,
    /// Single files that are inputs though they sit in folders that are not: git's
    /// HEAD, its ref and HEAD's log, which a commit or checkout rewrites (`[policy] git`).
    pub files: BTreeSet<PathBuf>,
}

pub struct Watcher {
    debouncer: Debouncer<notify_debouncer_full::notify::RecommendedWatcher, RecommendedCache>,
    events: mpsc::Receiver<DebounceEventResult>,
    trees: BTreeSet<PathBuf>,
    folders: BTreeSet<PathBuf>,
    ignored: Vec<PathBuf>,
    files: BTreeSet<PathBuf>,
    /// The folders watched (alone) for `files`.
    file_folders: BTreeSet<PathBuf>,
}

impl Watcher {
    pub fn start(watched: &Watched) -> anyhow::Result<Watcher> {
        let (send, events) = mpsc::channel();
        let debouncer = new_debouncer(QUIET, None, send).context("starting the file watcher")?;
        let mut watcher = Watcher {
            debouncer,
            events,
            trees: BTreeSet::new(),
            folders: BTreeSet::new(),
            ignored: Vec::new(),
            files: BTreeSet::new(),
            file_folders: BTreeSet::new(),
        };
        watcher.watch_more(watched);
        Ok(watcher)
    }

    /// Adds what a later build read (a new services folder, a theme folder created
    /// since); a folder that cannot be watched is skipped with a note.
    pub fn watch_more(&mut self, watched: &Watched) {
        self.ignored.clone_from(&watched.ignored);
        for tree in &watched.trees {
            if self.trees.contains(tree) || !tree.is_dir() {
                continue;
            }
            match self.debouncer.watch(tree, RecursiveMode::Recursive) {
                Ok(()) => {
                    self.trees.insert(tree.clone());
                }
                Err(err) => eprintln!("shipshape: not watching {}: {err}", tree.display()),
            }
        }
        for folder in &watched.folders {
            if self.folders.contains(folder) || self.inside_tree(folder) || !folder.is_dir() {
                continue;
            }
            match self.debouncer.watch(folder, RecursiveMode::NonRecursive) {
                Ok(()) => {
                    self.folders.insert(folder.clone());
                }
                Err(err) => eprintln!("shipshape: not watching {}: {err}", folder.display()),
            }
        }
        self.files.clone_from(&watched.files);
        for file in &watched.files {
            let Some(folder) = file.parent() else {
                continue;
            };
            if self.file_folders.contains(folder) || !folder.is_dir() {
                continue;
            }
            match self.debouncer.watch(folder, RecursiveMode::NonRecursive) {
                Ok(()) => {
                    self.file_folders.insert(folder.to_path_buf());
                }
                Err(err) => eprintln!("shipshape: not watching {}: {err}", folder.display()),
            }
        }
    }

    fn inside_tree(&self, path: &Path) -> bool {
        self.trees.iter().any(|tree| path.starts_with(tree))
    }

    /// Blocks until something the build reads has changed; the changed paths, sorted.
    /// `None` once the watcher has stopped.
    pub fn next_batch(&mut self) -> Option<Vec<PathBuf>> {
        loop {
            let first = self.events.recv().ok()?;
            let mut changed = BTreeSet::new();
            self.collect(first, &mut changed);
            while let Ok(more) = self.events.try_recv() {
                self.collect(more, &mut changed);
            }
            if !changed.is_empty() {
                return Some(changed.into_iter().collect());
            }
        }
    }

    fn collect(&self, result: DebounceEventResult, changed: &mut BTreeSet<PathBuf>) {
        let Ok(events) = result else {
            // The watcher lost events (an overflowing queue): rebuild to be safe.
            changed.insert(PathBuf::from("(file watcher)"));
            return;
        };
        for event in events {
            if event.kind.is_access() {
                continue;
            }
            for path in &event.paths {
                if self.relevant(path) {
                    changed.insert(path.clone());
                }
            }
        }
    }

    fn relevant(&self, path: &Path) -> bool {
        if self.files.contains(path) {
            return true;
        }
        if self
            .file_folders
            .iter()
            .any(|folder| path.parent() == Some(folder))
            && !self
                .folders
                .iter()
                .chain(&self.trees)
                .any(|kept| path.starts_with(kept))
        {
            return false; // another file beside HEAD: the index, a lock
        }
        if self.ignored.iter().any(|ignored| path.starts_with(ignored)) {
            return false;
        }
        if path.components().any(|part| part.as_os_str() == ".git") {
            return false;
        }
        let name = path
            .file_name()
            .map(|name| name.to_string_lossy())
            .unwrap_or_default();
        !scratch_file(&name)
    }
}

/// Editors' swap, backup and probe files, which come and go around a save.
fn scratch_file(name: &str) -> bool {
    name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".swo")
        || name.ends_with('~')
        || name.starts_with(".#")
        || (name.starts_with('#') && name.ends_with('#'))
        || name == "4913"
        || name.ends_with(".tmp")
        || name == ".DS_Store"
}

#[cfg(test)]
mod tests {
    use super::scratch_file;

    #[test]
    fn editors_scratch_files_are_not_changes() {
        for name in [
            ".intro.md.swp",
            "intro.md~",
            ".#intro.md",
            "#intro.md#",
            "4913",
        ] {
            assert!(scratch_file(name), "{name}");
        }
        for name in ["intro.md", "book.toml", "payments.yaml", "style.css"] {
            assert!(!scratch_file(name), "{name}");
        }
    }
}
