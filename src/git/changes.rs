//! `--changed-since REF`: which files differ between the merge base of REF and HEAD and
//! the working tree (uncommitted edits included), and REF's handbook written out so that
//! its readiness can be judged by the same pipeline.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, anyhow, bail};
use gix::ObjectId;
use gix::bstr::ByteSlice;

/// What changed since the merge base of a REF and HEAD.
#[derive(Debug)]
pub struct Changes {
    /// REF as the user wrote it.
    pub reference: String,
    /// The merge base's abbreviated id.
    pub base: String,
    base_id: ObjectId,
    /// The work tree, resolved.
    home: PathBuf,
    /// Paths from the git root whose content differs (added, edited, deleted, renamed).
    changed: HashSet<String>,
    /// Every path the merge base or the index knows, changed or not.
    known: HashSet<String>,
}

impl Changes {
    /// Whether `path` (from the git root) changed. A path neither the merge base nor the
    /// index knows is new when it exists (an untracked file).
    pub fn is_changed(&self, path: &str) -> bool {
        self.changed.contains(path)
            || !self.known.contains(path) && !path.is_empty() && self.home.join(path).exists()
    }

    /// The changed paths from the git root, sorted.
    pub fn paths(&self) -> Vec<&str> {
        let mut paths: Vec<&str> = self.changed.iter().map(String::as_str).collect();
        paths.sort_unstable();
        paths
    }

    /// The merge base's commit id.
    pub fn base_id(&self) -> ObjectId {
        self.base_id
    }
}

/// The changes between the merge base of `reference` and HEAD, and the working tree of
/// the repository at `home`.
pub fn changes(home: &Path, reference: &str) -> anyhow::Result<Changes> {
    let repo = super::open(home).ok_or_else(|| {
        anyhow!(
            "--changed-since needs a git repository, and {} is not in one\n  help: run it in a clone of the repository",
            home.display()
        )
    })?;
    if repo.is_shallow() {
        bail!(
            "--changed-since {reference} cannot find the merge base in a shallow clone\n  help: fetch the whole history: `fetch-depth: 0` for actions/checkout in GitHub Actions, `GIT_DEPTH: 0` in GitLab CI"
        );
    }
    let target = repo
        .rev_parse_single(reference.as_bytes().as_bstr())
        .map_err(|err| {
            anyhow!(
                "--changed-since {reference}: no such revision in this repository ({err})\n  help: name a branch, tag or commit, such as `origin/main`, and fetch it first"
            )
        })?
        .detach();
    let head = repo
        .head_id()
        .map_err(|_| anyhow!("--changed-since needs a commit at HEAD"))?
        .detach();
    let base = repo
        .merge_base(target, head)
        .map_err(|_| anyhow!("--changed-since {reference}: it has no common history with HEAD"))?
        .detach();
    let tree = blobs(&repo, base)?;
    let mut changed = HashSet::new();
    let mut known: HashSet<String> = tree.keys().cloned().collect();
    let index = repo.open_index().ok();
    // Index paths are what git checked out here; the same rules keep a crafted one out.
    let options = gix::index::entry::stat::Options::default();
    let mut in_index = HashSet::new();
    if let Some(index) = &index {
        for entry in index.entries() {
            let Ok(path) = entry.path(index).to_str() else {
                continue;
            };
            if !plain(path) {
                continue;
            }
            let path = path.to_string();
            in_index.insert(path.clone());
            known.insert(path.clone());
            let on_disk = home.join(&path);
            let Ok(meta) = gix::index::fs::Metadata::from_path_no_follow(&on_disk) else {
                changed.insert(path); // deleted in the working tree
                continue;
            };
            let fresh = gix::index::entry::Stat::from_fs(&meta)
                .ok()
                .is_some_and(|stat| {
                    entry.stat.matches(&stat, options)
                        && !entry.stat.is_racy(index.timestamp(), options)
                });
            let same = if fresh {
                tree.get(&path) == Some(&entry.id)
            } else {
                tree.get(&path) == blob_id(&on_disk).as_ref()
            };
            if !same {
                changed.insert(path);
            }
        }
    }
    // What the merge base had and the index no longer lists is deleted or renamed away.
    // Without an index, every file of the merge base is compared on disk.
    for (path, id) in &tree {
        let gone = match &index {
            Some(_) => !in_index.contains(path),
            None => blob_id(&home.join(path)).as_ref() != Some(id),
        };
        if gone {
            changed.insert(path.clone());
        }
    }
    Ok(Changes {
        reference: reference.to_string(),
        base: base.to_hex_with_len(7).to_string(),
        base_id: base,
        home: home.to_path_buf(),
        changed,
        known,
    })
}

/// Every file of `commit`'s tree, from the git root, with its blob id.
fn blobs(repo: &gix::Repository, commit: ObjectId) -> anyhow::Result<HashMap<String, ObjectId>> {
    let tree = repo
        .find_commit(commit)
        .context("cannot read the merge base")?
        .tree()
        .context("cannot read the merge base's tree")?;
    let mut recorder = gix::traverse::tree::Recorder::default();
    tree.traverse()
        .breadthfirst(&mut recorder)
        .context("cannot read the merge base's tree")?;
    Ok(recorder
        .records
        .into_iter()
        .filter(|entry| !entry.mode.is_tree() && !entry.mode.is_commit())
        .filter_map(|entry| Some((String::from_utf8(entry.filepath.into()).ok()?, entry.oid)))
        .filter(|(path, _)| plain(path))
        .collect())
}

/// Whether `path` from a tree is one git itself would check out: relative, no `.`, `..`
/// or empty component, no `.git`. A crafted tree could name others, and REF's files are
/// written to disk.
fn plain(path: &str) -> bool {
    !path.starts_with('/')
        && !path.contains('\\')
        && path.split('/').all(|part| {
            !part.is_empty() && part != "." && part != ".." && !part.eq_ignore_ascii_case(".git")
        })
}

/// The blob id of the file at `path` as git would store it (a link: its target).
fn blob_id(path: &Path) -> Option<ObjectId> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    let bytes = if meta.file_type().is_symlink() {
        std::fs::read_link(path)
            .ok()?
            .into_os_string()
            .into_encoded_bytes()
    } else if meta.is_file() {
        std::fs::read(path).ok()?
    } else {
        return None;
    };
    gix::objs::compute_hash(gix::hash::Kind::Sha1, gix::objs::Kind::Blob, &bytes).ok()
}

/// Writes the files under `prefix` (from the git root) of commit `base` into `dest`, at
/// the same paths, and marks `dest` as a work tree so that the handbook there is read
/// exactly as the one in the repository: returns `dest/prefix`, its handbook root.
pub fn materialize(
    home: &Path,
    base: ObjectId,
    prefix: &str,
    dest: &Path,
) -> anyhow::Result<PathBuf> {
    let repo = super::open(home).context("cannot open the repository")?;
    std::fs::create_dir_all(dest.join(".git"))?;
    for (path, id) in blobs(&repo, base)? {
        if !path.starts_with(prefix) {
            continue;
        }
        let object = repo
            .find_object(id)
            .context("cannot read a file of the merge base")?;
        let target = dest.join(&path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&target, &object.data)?;
    }
    Ok(dest.join(prefix))
}

#[cfg(test)]
mod tests {
    use super::plain;

    #[test]
    fn only_paths_git_would_check_out_are_written() {
        assert!(plain("docs/content/index.md"));
        for path in [
            "../x",
            "a/../../x",
            "/etc/passwd",
            "a//b",
            "./a",
            ".git/config",
            "a/.GIT/x",
            "a\\b",
        ] {
            assert!(!plain(path), "{path}");
        }
    }
}
