//! The persistent cache of highlighted code blocks: one append-only log file.
//!
//! The file is a header (`MAGIC`, then the byte size of the entries kept at the last
//! compaction) followed by entries: a 128-bit key (the hash of the highlighter's
//! identity, the language and the code), the HTML's length, a checksum of key and HTML,
//! and the HTML. A build reads the file once, on its first lookup, appends the blocks it
//! highlighted at the end (one write; the rest is never rewritten), and compacts the file
//! to the blocks it used when the file has grown past twice that size. An entry whose
//! checksum does not match is a miss; a torn or garbled tail ends the readable part and
//! is cut off before the next append. So a damaged cache costs time, never output.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use super::hash::{Fp, Hasher};

const MAGIC: &[u8] = b"shipshape highlight cache 1\n";
/// Key, length, checksum.
const ENTRY_HEAD: usize = 16 + 4 + 8;
/// A file below this size is never compacted.
const FLOOR: u64 = 32 << 20;

/// The key of a block: what it was highlighted by, in which language, and its code.
pub fn key(identity: &str, lang: &str, code: &str) -> Fp {
    Hasher::new().part(identity).part(lang).part(code).finish()
}

fn checksum(key: Fp, html: &[u8]) -> u64 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(&key.0.to_le_bytes());
    hasher.update(html);
    hasher.digest()
}

/// What a build found in the cache and added to it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub hits: usize,
    pub misses: usize,
}

/// The blocks on disk and the ones this build adds; shared by the rendering threads.
pub struct Blocks {
    path: PathBuf,
    disk: OnceLock<Disk>,
    state: Mutex<State>,
}

/// The file as indexed: where each key's entry is. Only the entries' heads are read up
/// front (a 10,000-page book's cache is over 100 MB); an entry's HTML is read when used.
struct Disk {
    file: Option<fs::File>,
    /// Key → (offset, length) of its HTML; a later entry wins over an earlier one.
    entries: HashMap<Fp, (usize, usize)>,
    /// Where the readable entries end.
    valid: usize,
    /// The entries' size after the last compaction, from the header.
    kept: u64,
}

#[derive(Default)]
struct State {
    added: Vec<(Fp, Arc<str>)>,
    fresh: HashMap<Fp, Arc<str>>,
    used: HashSet<Fp>,
    counts: Counts,
}

impl Blocks {
    /// The cache at `path`; nothing is read until the first lookup.
    pub fn new(path: PathBuf) -> Blocks {
        Blocks {
            path,
            disk: OnceLock::new(),
            state: Mutex::new(State::default()),
        }
    }

    fn disk(&self) -> &Disk {
        self.disk.get_or_init(|| Disk::read(&self.path))
    }

    /// The HTML cached for `key`, when the entry is there and intact.
    pub fn get(&self, key: Fp) -> Option<Arc<str>> {
        {
            let mut state = self.state.lock().expect("cache lock");
            if let Some(html) = state.fresh.get(&key).cloned() {
                state.used.insert(key);
                state.counts.hits += 1;
                return Some(html);
            }
        }
        let disk = self.disk();
        let found = disk.entries.get(&key).and_then(|&(at, len)| {
            let mut entry = vec![0; len + 8];
            read_at(disk.file.as_ref()?, &mut entry, (at - 8) as u64).ok()?;
            let (stored, html) = entry.split_at(8);
            let stored = u64::from_le_bytes(stored.try_into().ok()?);
            (stored == checksum(key, html))
                .then(|| std::str::from_utf8(html).ok())
                .flatten()
                .map(Arc::<str>::from)
        });
        let mut state = self.state.lock().expect("cache lock");
        match &found {
            Some(html) => {
                state.used.insert(key);
                state.counts.hits += 1;
                state.fresh.insert(key, html.clone());
            }
            None => state.counts.misses += 1,
        }
        found
    }

    /// Records the HTML highlighted for `key`, to be appended by `finish`.
    pub fn put(&self, key: Fp, html: Arc<str>) {
        let mut state = self.state.lock().expect("cache lock");
        state.used.insert(key);
        if state.fresh.insert(key, html.clone()).is_none() {
            state.added.push((key, html));
        }
    }

    /// Blocks found in the cache and blocks highlighted, so far.
    pub fn counts(&self) -> Counts {
        self.state.lock().expect("cache lock").counts
    }

    /// Whether the file has grown past its bound: the build should then render every
    /// page, so that the blocks it uses are all the blocks worth keeping.
    pub fn over_bound(&self) -> bool {
        let Ok(meta) = fs::metadata(&self.path) else {
            return false;
        };
        meta.len() > FLOOR.max(2 * self.disk().kept)
    }

    /// Writes what this build added: appended to the file, or, when `compact`, the file
    /// rewritten with only the blocks this build used (through a temporary file and a
    /// rename, so a reader never sees half of it).
    pub fn finish(&self, compact: bool) -> std::io::Result<Counts> {
        let state = self.state.lock().expect("cache lock");
        let counts = state.counts;
        if compact {
            let mut kept: Vec<(&Fp, &Arc<str>)> = state
                .fresh
                .iter()
                .filter(|(key, _)| state.used.contains(key))
                .collect();
            kept.sort_by_key(|(key, _)| **key);
            let mut body = Vec::new();
            for (key, html) in kept {
                push_entry(&mut body, *key, html.as_bytes());
            }
            let mut bytes = header(body.len() as u64);
            bytes.extend_from_slice(&body);
            let temp = self
                .path
                .with_extension(format!("tmp-{}", std::process::id()));
            fs::write(&temp, &bytes)?;
            fs::rename(&temp, &self.path)?;
            return Ok(counts);
        }
        if state.added.is_empty() {
            return Ok(counts);
        }
        let disk = self.disk();
        let mut bytes = Vec::new();
        for (key, html) in &state.added {
            push_entry(&mut bytes, *key, html.as_bytes());
        }
        let mut file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&self.path)?;
        let length = file.metadata()?.len();
        if disk.valid == 0 || length < MAGIC.len() as u64 + 8 {
            // New, or not a cache file at all: start it over. All it holds is in use.
            file.set_len(0)?;
            file.write_all(&header(bytes.len() as u64))?;
        } else if length != disk.valid as u64 {
            // A torn tail (or a file changed since it was read): cut back to what was read.
            file.set_len(disk.valid as u64)?;
        }
        use std::io::Seek as _;
        file.seek(std::io::SeekFrom::End(0))?;
        file.write_all(&bytes)?;
        Ok(counts)
    }
}

fn header(kept: u64) -> Vec<u8> {
    let mut bytes = MAGIC.to_vec();
    bytes.extend_from_slice(&kept.to_le_bytes());
    bytes
}

fn push_entry(out: &mut Vec<u8>, key: Fp, html: &[u8]) {
    out.extend_from_slice(&key.0.to_le_bytes());
    out.extend_from_slice(&(html.len() as u32).to_le_bytes());
    out.extend_from_slice(&checksum(key, html).to_le_bytes());
    out.extend_from_slice(html);
}

impl Disk {
    fn read(path: &Path) -> Disk {
        let empty = Disk {
            file: None,
            entries: HashMap::new(),
            valid: 0,
            kept: 0,
        };
        let Ok(file) = fs::File::open(path) else {
            return empty;
        };
        let Ok(length) = file.metadata().map(|meta| meta.len() as usize) else {
            return empty;
        };
        let mut head = vec![0; MAGIC.len() + 8];
        if read_at(&file, &mut head, 0).is_err() || !head.starts_with(MAGIC) {
            return empty;
        }
        let kept = u64::from_le_bytes(head[MAGIC.len()..].try_into().expect("8 bytes"));
        let mut entries = HashMap::new();
        let mut at = MAGIC.len() + 8;
        let mut head = [0; ENTRY_HEAD];
        while at + ENTRY_HEAD <= length && read_at(&file, &mut head, at as u64).is_ok() {
            let key = Fp(u128::from_le_bytes(
                head[..16].try_into().expect("16 bytes"),
            ));
            let len = u32::from_le_bytes(head[16..20].try_into().expect("4 bytes")) as usize;
            let start = at + ENTRY_HEAD;
            if start + len > length {
                break;
            }
            entries.insert(key, (start, len));
            at = start + len;
        }
        Disk {
            file: Some(file),
            entries,
            valid: at,
            kept,
        }
    }
}

/// Reads `buf.len()` bytes at `offset` of `file`.
fn read_at(file: &fs::File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
    }
    #[cfg(not(unix))]
    {
        use std::io::{Read as _, Seek as _};
        let mut file = file;
        file.seek(std::io::SeekFrom::Start(offset))?;
        file.read_exact(buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(n: usize) -> Arc<str> {
        format!("<pre>{n}</pre>").into()
    }

    #[test]
    fn appends_reads_back_and_survives_a_torn_tail() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("blocks");
        let cache = Blocks::new(path.clone());
        assert_eq!(cache.get(key("id", "rust", "a")), None);
        cache.put(key("id", "rust", "a"), html(1));
        cache.put(key("id", "rust", "b"), html(2));
        cache.finish(false).unwrap();
        let first = fs::metadata(&path).unwrap().len();

        let cache = Blocks::new(path.clone());
        assert_eq!(cache.get(key("id", "rust", "a")), Some(html(1)));
        assert_eq!(cache.get(key("other", "rust", "a")), None);
        cache.put(key("id", "rust", "c"), html(3));
        cache.finish(false).unwrap();
        // Appended, not rewritten: the first part is as it was.
        let bytes = fs::read(&path).unwrap();
        assert!(bytes.len() as u64 > first);

        // A torn last entry is lost, the others stay, and the next append cuts it off.
        fs::write(&path, &bytes[..bytes.len() - 3]).unwrap();
        let cache = Blocks::new(path.clone());
        assert_eq!(cache.get(key("id", "rust", "c")), None);
        assert_eq!(cache.get(key("id", "rust", "b")), Some(html(2)));
        cache.put(key("id", "rust", "d"), html(4));
        cache.finish(false).unwrap();
        let cache = Blocks::new(path.clone());
        assert_eq!(cache.get(key("id", "rust", "d")), Some(html(4)));
        assert_eq!(
            cache.state.lock().unwrap().counts,
            Counts { hits: 1, misses: 0 }
        );
    }

    #[test]
    fn a_flipped_byte_is_a_miss_and_compaction_keeps_what_was_used() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("blocks");
        let cache = Blocks::new(path.clone());
        cache.put(key("id", "", "a"), html(1));
        cache.put(key("id", "", "b"), html(2));
        cache.finish(false).unwrap();
        let mut bytes = fs::read(&path).unwrap();
        let last = bytes.len() - 2;
        bytes[last] ^= 1;
        fs::write(&path, &bytes).unwrap();

        let cache = Blocks::new(path.clone());
        assert_eq!(cache.get(key("id", "", "b")), None);
        assert_eq!(cache.get(key("id", "", "a")), Some(html(1)));
        cache.finish(true).unwrap();
        let cache = Blocks::new(path.clone());
        assert_eq!(cache.get(key("id", "", "a")), Some(html(1)));
        assert_eq!(cache.disk().entries.len(), 1);
        assert!(!cache.over_bound());
    }

    #[test]
    fn a_file_that_is_no_cache_is_started_over() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("blocks");
        fs::write(&path, "not a cache at all").unwrap();
        let cache = Blocks::new(path.clone());
        assert_eq!(cache.get(key("id", "", "a")), None);
        cache.put(key("id", "", "a"), html(1));
        cache.finish(false).unwrap();
        assert!(fs::read(&path).unwrap().starts_with(MAGIC));
        assert_eq!(Blocks::new(path).get(key("id", "", "a")), Some(html(1)));
    }
}
