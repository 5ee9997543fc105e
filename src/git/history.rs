//! The commits reachable from HEAD and the files each one changed, read once a run.

use std::collections::HashMap;

use anyhow::Context as _;
use gix::ObjectId;
use gix::bstr::ByteSlice;
use rayon::prelude::*;

/// One commit, as findings quote it.
#[derive(Clone, Debug)]
pub struct Commit {
    /// The abbreviated id (7 hex digits, as `git log --oneline` shows most).
    pub short: String,
    /// The committer time.
    pub time: jiff::Timestamp,
    /// The first line of the message.
    pub subject: String,
    /// The files it changed, as indexes into `History::names`.
    paths: Vec<u32>,
}

/// The history of HEAD: every commit, and for every path asked about (`Interest`) the
/// newest commit that changed it.
#[derive(Debug, Default)]
pub struct History {
    /// Every reachable commit, newest committer time first.
    commits: Vec<Commit>,
    /// Every path any commit changed, from the git root.
    names: Vec<String>,
    /// The newest commit (an index into `commits`) that changed each path.
    newest: HashMap<String, usize>,
}

/// What phase one reads of a commit.
struct Header {
    id: ObjectId,
    tree: ObjectId,
    parents: Vec<ObjectId>,
    time: i64,
    subject: String,
}

impl History {
    /// Reads the history of HEAD in `repo` (empty when HEAD has no commit yet).
    pub fn read(
        repo: &gix::Repository,
        home: &std::path::Path,
        interest: &Interest,
    ) -> anyhow::Result<History> {
        let Some(head) = repo.head_id().ok().map(|id| id.detach()) else {
            return Ok(History::default());
        };
        // Phase one: every commit's header, in one walk. The walk reads each commit for
        // its parents and the header is read from it again: a cache saves inflating twice.
        let mut repo = repo.clone();
        repo.object_cache_size_if_unset(4 * 1024 * 1024);
        let repo = &repo;
        let mut headers = Vec::new();
        for info in repo
            .rev_walk([head])
            .all()
            .context("cannot walk the history")?
        {
            let info = info.context("cannot walk the history")?;
            let commit = info.object().context("cannot read a commit")?;
            let decoded = commit.decode().context("cannot read a commit")?;
            let subject = decoded.message_summary().to_str_lossy().trim().to_string();
            headers.push(Header {
                id: info.id,
                tree: decoded.tree(),
                parents: info.parent_ids.iter().copied().collect(),
                time: decoded.committer().map(|who| who.seconds()).unwrap_or(0),
                subject,
            });
        }
        let trees: HashMap<ObjectId, ObjectId> = headers.iter().map(|h| (h.id, h.tree)).collect();
        // Phase two: what each commit changed, its tree against its parents', in parallel;
        // each thread opens the repository itself (a handle is not shared between threads
        // without gix's `parallel` feature, which would build more than it saves here).
        let changed: Vec<anyhow::Result<Vec<String>>> = headers
            .par_iter()
            .map_init(
                || super::open(home).map(|repo| Differ::new(repo, interest)),
                |differ, header| match differ {
                    Some(differ) => differ.changed(header, &trees),
                    None => Err(anyhow::anyhow!("cannot open the repository")),
                },
            )
            .collect();
        let mut history = History::default();
        let mut index: HashMap<String, u32> = HashMap::new();
        let mut commits = Vec::with_capacity(headers.len());
        for (header, paths) in headers.into_iter().zip(changed) {
            let paths = paths?
                .into_iter()
                .map(|path| {
                    let next = history.names.len() as u32;
                    *index.entry(path).or_insert_with_key(|path| {
                        history.names.push(path.clone());
                        next
                    })
                })
                .collect();
            commits.push(Commit {
                short: header.id.to_hex_with_len(7).to_string(),
                time: jiff::Timestamp::from_second(header.time)
                    .unwrap_or(jiff::Timestamp::UNIX_EPOCH),
                subject: header.subject,
                paths,
            });
        }
        // Newest first; equal times keep the walk's order, which is deterministic.
        commits.sort_by_key(|commit| std::cmp::Reverse(commit.time));
        for (at, commit) in commits.iter().enumerate() {
            for &path in &commit.paths {
                history
                    .newest
                    .entry(history.names[path as usize].clone())
                    .or_insert(at);
            }
        }
        history.commits = commits;
        Ok(history)
    }

    /// The newest commit that changed `path` (from the git root).
    pub fn last_commit(&self, path: &str) -> Option<&Commit> {
        self.newest.get(path).map(|&at| &self.commits[at])
    }

    /// The commits at or after `from` that changed a path `matches` accepts, newest first.
    pub fn commits_from(
        &self,
        from: jiff::Timestamp,
        matches: impl Fn(&str) -> bool,
    ) -> Vec<&Commit> {
        // A path's answer is asked once, however many commits changed it.
        let mut answers: HashMap<u32, bool> = HashMap::new();
        self.commits
            .iter()
            .take_while(|commit| commit.time >= from)
            .filter(|commit| {
                commit.paths.iter().any(|&path| {
                    *answers
                        .entry(path)
                        .or_insert_with(|| matches(&self.names[path as usize]))
                })
            })
            .collect()
    }
}

/// Which paths a run asks about, so that the diff never opens a folder none of them is in.
#[derive(Clone, Debug, Default)]
pub struct Interest {
    /// Folders (ending in `/`) and files, from the git root, whose last commit is asked for:
    /// the content folder and includes outside it. An empty string is every path.
    pub dated: Vec<String>,
    /// The services' `code` globs, and from when on their commits matter (the end of the
    /// earliest review day): older commits are diffed for `dated` alone.
    pub code: Option<(globset::GlobSet, Vec<String>, jiff::Timestamp)>,
}

impl Interest {
    /// Whether a file at `path` is asked about, in a commit of time `time`.
    fn wants_file(&self, path: &str, time: i64) -> bool {
        self.dated
            .iter()
            .any(|dated| path.starts_with(dated.as_str()))
            || self
                .code(time)
                .is_some_and(|(globs, _)| globs.is_match(path))
    }

    /// Whether anything under folder `dir` (ending in `/`) may be asked about.
    fn wants_dir(&self, dir: &str, time: i64) -> bool {
        let overlaps = |literal: &str| literal.starts_with(dir) || dir.starts_with(literal);
        self.dated.iter().any(|dated| overlaps(dated))
            || self
                .code(time)
                .is_some_and(|(_, literals)| literals.iter().any(|literal| overlaps(literal)))
    }

    fn code(&self, time: i64) -> Option<(&globset::GlobSet, &[String])> {
        let (globs, literals, from) = self.code.as_ref()?;
        (time >= from.as_second()).then_some((globs, literals.as_slice()))
    }
}

/// The part of a glob before its first wildcard: every path it matches starts so.
pub fn literal_prefix(glob: &str) -> String {
    let end = glob.find(['*', '?', '[', '{', '\\']).unwrap_or(glob.len());
    glob[..end].to_string()
}

/// One thread's tree differ: its repository handle and what it is asked about.
struct Differ<'a> {
    repo: gix::Repository,
    interest: &'a Interest,
    /// Two buffers per folder depth, for the old and the new tree being compared.
    buffers: Vec<(Vec<u8>, Vec<u8>)>,
}

impl<'a> Differ<'a> {
    fn new(mut repo: gix::Repository, interest: &'a Interest) -> Differ<'a> {
        // Trees are read twice (as a commit's and as its child's parent tree), and packs
        // store them as deltas of each other: both caches save decoding them again.
        repo.object_cache_size_if_unset(4 * 1024 * 1024);
        repo.objects.set_pack_cache(|| {
            Box::new(gix::odb::pack::cache::lru::MemoryCappedHashmap::new(
                8 * 1024 * 1024,
            ))
        });
        Differ {
            repo,
            interest,
            buffers: Vec::new(),
        }
    }

    /// The files `header`'s commit changed. A merge changed what differs from every
    /// parent (as `git log -- PATH` sees it); a root commit added every file.
    fn changed(
        &mut self,
        header: &Header,
        trees: &HashMap<ObjectId, ObjectId>,
    ) -> anyhow::Result<Vec<String>> {
        let mut parents = header
            .parents
            .iter()
            .map(|parent| trees.get(parent).copied());
        let Some(first) = parents.next() else {
            return self.diff(None, header.tree, header.time);
        };
        let mut changed = self.diff(first, header.tree, header.time)?;
        for parent in parents {
            if changed.is_empty() {
                break;
            }
            let other = self.diff(parent, header.tree, header.time)?;
            changed.retain(|path| other.binary_search(path).is_ok());
        }
        Ok(changed)
    }

    /// The files asked about that differ between trees `from` (`None`: the empty tree)
    /// and `to`, sorted.
    fn diff(
        &mut self,
        from: Option<ObjectId>,
        to: ObjectId,
        time: i64,
    ) -> anyhow::Result<Vec<String>> {
        let mut paths = Vec::new();
        self.walk(from, Some(to), &mut String::new(), time, &mut paths)?;
        paths.sort();
        Ok(paths)
    }

    /// Adds to `out` the files under folder `dir` (empty, or ending in `/`) that differ
    /// between `from` and `to`, opening only folders the interest may reach. Tree entries
    /// are in git's order, so the two are merged in one pass.
    fn walk(
        &mut self,
        from: Option<ObjectId>,
        to: Option<ObjectId>,
        dir: &mut String,
        time: i64,
        out: &mut Vec<String>,
    ) -> anyhow::Result<()> {
        let depth = dir.matches('/').count();
        if self.buffers.len() <= depth {
            self.buffers.resize_with(depth + 1, Default::default);
        }
        // Taken out while this level reads them, so that deeper levels can use theirs.
        let (mut old_buf, mut new_buf) = std::mem::take(&mut self.buffers[depth]);
        let result = (|| {
            let old = items(&self.repo, from, &mut old_buf)?;
            let new = items(&self.repo, to, &mut new_buf)?;
            let (mut i, mut j) = (0, 0);
            let mut pending: Vec<(String, Option<ObjectId>, Option<ObjectId>)> = Vec::new();
            while i < old.len() || j < new.len() {
                let (before, after) = match (old.get(i), new.get(j)) {
                    (Some(a), Some(b)) => match git_order(a, b) {
                        std::cmp::Ordering::Less => (Some(a), None),
                        std::cmp::Ordering::Greater => (None, Some(b)),
                        std::cmp::Ordering::Equal => (Some(a), Some(b)),
                    },
                    (a, b) => (a, if a.is_some() { None } else { b }),
                };
                i += usize::from(before.is_some());
                j += usize::from(after.is_some());
                if let (Some(a), Some(b)) = (before, after)
                    && a.id == b.id
                {
                    continue;
                }
                let Some(name) = before
                    .or(after)
                    .and_then(|item| std::str::from_utf8(item.name).ok())
                else {
                    continue; // a name that is not UTF-8 is no path of the handbook
                };
                let length = dir.len();
                dir.push_str(name);
                let entry = before.or(after).expect("one side");
                if entry.tree {
                    dir.push('/');
                    if self.interest.wants_dir(dir, time) {
                        pending.push((
                            dir.clone(),
                            before.map(|item| item.id),
                            after.map(|item| item.id),
                        ));
                    }
                } else if entry.file && self.interest.wants_file(dir, time) {
                    out.push(dir.clone());
                }
                dir.truncate(length);
            }
            Ok::<_, anyhow::Error>(pending)
        })();
        self.buffers[depth] = (old_buf, new_buf);
        for (mut folder, old, new) in result? {
            self.walk(old, new, &mut folder, time, out)?;
        }
        Ok(())
    }
}

/// The entries of `tree` (none for `None`, the empty tree), read into `buf`.
fn items<'b>(
    repo: &gix::Repository,
    tree: Option<ObjectId>,
    buf: &'b mut Vec<u8>,
) -> anyhow::Result<Vec<Item<'b>>> {
    use gix::objs::FindExt as _;
    let Some(tree) = tree else {
        return Ok(Vec::new());
    };
    repo.objects
        .find_tree_iter(&tree, buf)
        .context("cannot read a tree")?
        .map(|entry| {
            let entry = entry.context("cannot read a tree")?;
            Ok(Item {
                name: entry.filename.as_ref(),
                tree: entry.mode.is_tree(),
                file: !entry.mode.is_tree() && !entry.mode.is_commit(),
                id: entry.oid.to_owned(),
            })
        })
        .collect()
}

/// One entry of a tree being compared.
struct Item<'a> {
    name: &'a [u8],
    tree: bool,
    /// A blob or a link: not a folder, not a submodule.
    file: bool,
    id: ObjectId,
}

/// Git's order of tree entries: by name, a folder's name as if it ended in `/`.
fn git_order(a: &Item<'_>, b: &Item<'_>) -> std::cmp::Ordering {
    let common = a.name.len().min(b.name.len());
    a.name[..common].cmp(&b.name[..common]).then_with(|| {
        let next = |item: &Item<'_>| match item.name.get(common) {
            Some(&byte) => byte,
            None if item.tree => b'/',
            None => 0,
        };
        next(a).cmp(&next(b))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(name: &str, tree: bool) -> Item<'_> {
        Item {
            name: name.as_bytes(),
            tree,
            file: !tree,
            id: ObjectId::null(gix::hash::Kind::Sha1),
        }
    }

    #[test]
    fn entries_sort_as_git_sorts_them() {
        use std::cmp::Ordering::*;
        // A folder sorts as if its name ended in `/`: after `a.md`, before `a0`.
        assert_eq!(git_order(&item("a.md", false), &item("a", true)), Less);
        assert_eq!(git_order(&item("a", true), &item("a0", false)), Less);
        assert_eq!(git_order(&item("a", false), &item("a", true)), Less);
        assert_eq!(git_order(&item("b", true), &item("b", true)), Equal);
    }

    #[test]
    fn a_glob_is_looked_for_under_its_literal_start() {
        assert_eq!(literal_prefix("services/payments/**"), "services/payments/");
        assert_eq!(literal_prefix("src/*.rs"), "src/");
        assert_eq!(literal_prefix("**/README.md"), "");
        let interest = Interest {
            dated: vec!["docs/content/".into()],
            code: Some((
                globset::GlobSet::empty(),
                vec!["services/payments/".into()],
                jiff::Timestamp::from_second(100).unwrap(),
            )),
        };
        assert!(interest.wants_dir("docs/", 0));
        assert!(interest.wants_dir("docs/content/guide/", 0));
        assert!(
            !interest.wants_dir("services/", 99),
            "before the earliest review"
        );
        assert!(interest.wants_dir("services/", 100));
        assert!(!interest.wants_dir("shared/", 100));
    }
}
