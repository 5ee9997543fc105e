//! The manifest of the last site a build wrote: each file's fingerprint (a hash of every
//! input its bytes depend on) and what the file looked like on disk when it was written,
//! plus where each chapter of the print page lies in `print.html`.
//!
//! A file of the previous site is reused (hard-linked into the new one) only when its
//! fingerprint is the same and the file on disk is still the one the manifest describes
//! (same inode, size and modification time): a site edited by hand is rendered again.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use super::hash::Fp;

const MAGIC: &str = "shipshape manifest 1";

/// What a file of the site looked like when it was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stat {
    pub inode: u64,
    pub size: u64,
    pub mtime_ns: i128,
}

impl Stat {
    pub fn of(meta: &fs::Metadata) -> Stat {
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(meta);
        #[cfg(not(unix))]
        let inode = 0;
        let mtime_ns = meta
            .modified()
            .ok()
            .and_then(|time| time.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(-1, |since| since.as_nanos() as i128);
        Stat {
            inode,
            size: meta.len(),
            mtime_ns,
        }
    }
}

/// One file of the site.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    pub fp: Fp,
    pub stat: Stat,
}

/// One chapter of the print page: its fingerprint and its bytes in `print.html`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Chapter {
    pub fp: Fp,
    pub offset: u64,
    pub len: u64,
}

/// The last site written into `site`.
#[derive(Debug, Default)]
pub struct Manifest {
    pub site: PathBuf,
    pub files: HashMap<String, Entry>,
    pub chapters: Vec<Chapter>,
}

impl Manifest {
    /// Reads a manifest; anything that is not one reads as none (a full build).
    pub fn read(path: &Path) -> Option<Manifest> {
        let text = fs::read_to_string(path).ok()?;
        let mut lines = text.lines();
        if lines.next()? != MAGIC {
            return None;
        }
        let site = PathBuf::from(lines.next()?.strip_prefix("site ")?);
        let mut manifest = Manifest {
            site,
            ..Manifest::default()
        };
        let mut complete = false;
        for line in lines {
            let mut fields = line.splitn(6, ' ');
            match fields.next()? {
                "file" => {
                    let fp = Fp::parse(fields.next()?)?;
                    let inode = fields.next()?.parse().ok()?;
                    let size = fields.next()?.parse().ok()?;
                    let mtime_ns = fields.next()?.parse().ok()?;
                    let path = fields.next()?.to_string();
                    let stat = Stat {
                        inode,
                        size,
                        mtime_ns,
                    };
                    manifest.files.insert(path, Entry { fp, stat });
                }
                "chapter" => manifest.chapters.push(Chapter {
                    fp: Fp::parse(fields.next()?)?,
                    offset: fields.next()?.parse().ok()?,
                    len: fields.next()?.parse().ok()?,
                }),
                "end" => complete = true,
                _ => return None,
            }
        }
        // A manifest cut short by a crash is no manifest.
        complete.then_some(manifest)
    }

    /// Writes it through a temporary file and a rename.
    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        use std::fmt::Write as _;
        let mut text = format!("{MAGIC}\nsite {}\n", self.site.display());
        let mut files: Vec<(&String, &Entry)> = self.files.iter().collect();
        files.sort_by(|a, b| a.0.cmp(b.0));
        for (path, entry) in files {
            let Stat {
                inode,
                size,
                mtime_ns,
            } = entry.stat;
            let _ = writeln!(text, "file {} {inode} {size} {mtime_ns} {path}", entry.fp);
        }
        for chapter in &self.chapters {
            let _ = writeln!(
                text,
                "chapter {} {} {}",
                chapter.fp, chapter.offset, chapter.len
            );
        }
        text.push_str("end\n");
        super::write_atomic(path, text.as_bytes())
    }

    /// The previous site's copy of `path`, when its fingerprint is `fp` and it is on
    /// disk as it was written.
    pub fn reusable(&self, path: &str, fp: Fp) -> Option<PathBuf> {
        let entry = self.files.get(path)?;
        if entry.fp != fp {
            return None;
        }
        let file = self.site.join(path);
        let meta = fs::symlink_metadata(&file).ok()?;
        (meta.is_file() && Stat::of(&meta) == entry.stat).then_some(file)
    }

    /// Whether `site` holds exactly the files this manifest lists, each as written.
    pub fn matches_disk(&self) -> bool {
        let mut seen = 0;
        for entry in walkdir::WalkDir::new(&self.site).follow_links(false) {
            let Ok(entry) = entry else {
                return false;
            };
            if entry.file_type().is_dir() {
                continue;
            }
            let Ok(rel) = entry.path().strip_prefix(&self.site) else {
                return false;
            };
            let rel = crate::load::relative_slash_path(rel);
            let Some(known) = self.files.get(&rel) else {
                return false;
            };
            match entry.metadata() {
                Ok(meta) if meta.is_file() && Stat::of(&meta) == known.stat => seen += 1,
                _ => return false,
            }
        }
        seen == self.files.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_a_cut_file() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        fs::create_dir_all(site.join("a b")).unwrap();
        fs::write(site.join("a b/page one.html"), "x").unwrap();
        let meta = fs::metadata(site.join("a b/page one.html")).unwrap();
        let mut manifest = Manifest {
            site: site.clone(),
            ..Manifest::default()
        };
        let fp = Fp::of(b"x");
        manifest.files.insert(
            "a b/page one.html".into(),
            Entry {
                fp,
                stat: Stat::of(&meta),
            },
        );
        manifest.chapters.push(Chapter {
            fp,
            offset: 10,
            len: 20,
        });
        let path = dir.path().join("manifest");
        manifest.write(&path).unwrap();
        let read = Manifest::read(&path).unwrap();
        assert_eq!(read.files, manifest.files);
        assert_eq!(read.chapters, manifest.chapters);
        assert!(read.matches_disk());
        assert!(read.reusable("a b/page one.html", fp).is_some());
        assert!(read.reusable("a b/page one.html", Fp::of(b"y")).is_none());

        // Edited by hand: no longer the file the manifest describes.
        fs::write(site.join("a b/page one.html"), "xy").unwrap();
        assert!(read.reusable("a b/page one.html", fp).is_none());
        assert!(!read.matches_disk());

        let text = fs::read_to_string(&path).unwrap();
        fs::write(&path, &text[..text.len() - 4]).unwrap();
        assert!(Manifest::read(&path).is_none());
    }
}
