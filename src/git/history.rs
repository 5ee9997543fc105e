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
        // Phase one: every commit's header, in one walk (commits are small and cached).
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

/// One entry of a tree, owned.
struct Entry {
    name: Vec<u8>,
    tree: bool,
    /// A submodule: never a file of this repository.
    commit: bool,
    id: ObjectId,
}

/// One thread's tree differ: its repository handle and what it is asked about.
struct Differ<'a> {
    repo: gix::Repository,
    interest: &'a Interest,
    buf: Vec<u8>,
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
            buf: Vec::new(),
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

    fn entries(&mut self, tree: Option<ObjectId>) -> anyhow::Result<Vec<Entry>> {
        use gix::objs::FindExt as _;
        let Some(tree) = tree else {
            return Ok(Vec::new());
        };
        let iter = self
            .repo
            .objects
            .find_tree_iter(&tree, &mut self.buf)
            .context("cannot read a tree")?;
        iter.map(|entry| {
            let entry = entry.context("cannot read a tree")?;
            Ok(Entry {
                name: entry.filename.to_vec(),
                tree: entry.mode.is_tree(),
                commit: entry.mode.is_commit(),
                id: entry.oid.to_owned(),
            })
        })
        .collect()
    }

    /// Adds to `out` the files under folder `dir` (empty, or ending in `/`) that differ
    /// between `from` and `to`, opening only folders the interest may reach.
    fn walk(
        &mut self,
        from: Option<ObjectId>,
        to: Option<ObjectId>,
        dir: &mut String,
        time: i64,
        out: &mut Vec<String>,
    ) -> anyhow::Result<()> {
        let old = self.entries(from)?;
        let new = self.entries(to)?;
        let old_by_name: HashMap<&[u8], &Entry> = old
            .iter()
            .map(|entry| (entry.name.as_slice(), entry))
            .collect();
        let new_names: std::collections::HashSet<&[u8]> =
            new.iter().map(|entry| entry.name.as_slice()).collect();
        let gone = old
            .iter()
            .filter(|entry| !new_names.contains(entry.name.as_slice()))
            .map(|entry| (Some(entry), None));
        let pairs: Vec<(Option<&Entry>, Option<&Entry>)> = new
            .iter()
            .map(|entry| (old_by_name.get(entry.name.as_slice()).copied(), Some(entry)))
            .chain(gone)
            .collect();
        for (before, after) in pairs {
            let same =
                matches!((before, after), (Some(a), Some(b)) if a.id == b.id && a.tree == b.tree);
            if same {
                continue;
            }
            let Some(name) = before
                .or(after)
                .and_then(|entry| std::str::from_utf8(&entry.name).ok())
            else {
                continue; // a name that is not UTF-8 is no path of the handbook
            };
            let tree = |entry: Option<&Entry>| entry.filter(|e| e.tree).map(|e| e.id);
            let file = |entry: Option<&Entry>| entry.is_some_and(|e| !e.tree && !e.commit);
            let length = dir.len();
            // A file on either side that is not the same file on the other changed.
            if file(before) || file(after) {
                dir.push_str(name);
                if self.interest.wants_file(dir, time) {
                    out.push(dir.clone());
                }
                dir.truncate(length);
            }
            let (old_tree, new_tree) = (tree(before), tree(after));
            if old_tree.is_some() || new_tree.is_some() {
                dir.push_str(name);
                dir.push('/');
                if self.interest.wants_dir(dir, time) {
                    self.walk(old_tree, new_tree, dir, time, out)?;
                }
                dir.truncate(length);
            }
        }
        Ok(())
    }
}
