//! `serve`'s build: the same pipeline and the same files as `build`, with `base-url`
//! taken as `/`, kept in memory. What did not change is taken from the last generation:
//! markdown files as read (`load::Memo`), and every output file whose fingerprint (the
//! same one `build` keeps in its manifest) is unchanged, with the print page's chapters.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::cache::{self, Fp};
use crate::cli::Gate;
use crate::cmd::Log;
use crate::config::BaseUrl;
use crate::finding::Finding;
use crate::render::{Renderer, Theme};

use super::packed::{Part, Served};
use super::site::inject;
use super::watch::Watched;

/// Builds one handbook again and again.
pub struct Memory {
    root: PathBuf,
    gate: Gate,
    /// The markdown files as last read.
    memo: crate::load::Memo,
    /// Their outlines and events, by what they were read from.
    parses: crate::model::markdown::Parses,
    /// The search index's scored documents.
    search: crate::search::Kept,
    /// The last generation's files (live tag injected) by path.
    files: HashMap<String, Served>,
    /// The last print page's chapters, packed, by fingerprint.
    chapters: HashMap<Fp, Part>,
}

/// One build's result.
pub struct Built {
    /// Site-relative path → the file (HTML with the live tag).
    pub files: Vec<(String, Served)>,
    pub findings: Vec<Finding>,
    pub pages: usize,
    /// Output files made again (the rest were the last generation's).
    pub rendered: usize,
    /// What to watch for the next change.
    pub watched: Watched,
}

impl Memory {
    pub fn new(root: &Path, gate: &Gate) -> Memory {
        Memory {
            root: root.to_path_buf(),
            gate: *gate,
            memo: crate::load::Memo::default(),
            parses: crate::model::markdown::Parses::default(),
            search: crate::search::Kept::default(),
            files: HashMap::new(),
            chapters: HashMap::new(),
        }
    }

    /// Forgets what depends on `changed` (every read, when book.toml changed: output
    /// fingerprints cover book.toml and the theme themselves).
    pub fn changed(&mut self, changed: &[PathBuf]) {
        let config = changed
            .iter()
            .any(|path| path.file_name() == Some(crate::config::FILE_NAME.as_ref()));
        if config {
            self.memo = crate::load::Memo::default();
        } else {
            self.memo.forget(changed);
        }
    }

    /// The whole site; an error only when the handbook cannot be built at all.
    pub fn run(&mut self, log: &mut Log) -> anyhow::Result<Built> {
        let scope = crate::cmd::Scope {
            purpose: crate::model::Purpose::Render,
            only: &crate::check::Only::default(),
            keep: &|_| true,
            memo: Some(&self.memo),
            parses: Some(&self.parses),
        };
        let loaded = crate::config::load(&self.root)?;
        let mut analysis =
            crate::cmd::analyse_loaded(&self.root, loaded, None, &self.gate, &scope, log)?;
        analysis.config.shipshape.base_url = BaseUrl::root();
        let theme = Theme::load(&analysis.config, &analysis.boundary)?;
        let renderer = Renderer::new(
            &analysis.config,
            &analysis.handbook,
            &analysis.findings,
            &theme,
            &analysis.readiness,
            analysis.today,
            &analysis.updated,
        )?;
        let site = crate::cmd::site_files::site_fp(&analysis.config, &theme);
        let out = InMemory {
            previous: &self.files,
            search: &self.search,
            chapters: &self.chapters,
            files: Mutex::default(),
            kept_chapters: Mutex::default(),
            rendered: AtomicUsize::new(0),
        };
        crate::cmd::site_files::render_files(&analysis, &theme, &renderer, site, &out, log)?;
        drop(renderer);
        let InMemory {
            files,
            kept_chapters,
            rendered,
            ..
        } = out;
        let rendered = rendered.into_inner();
        let kept_chapters = kept_chapters
            .into_inner()
            .unwrap_or_else(|e| e.into_inner());
        let mut made = files.into_inner().unwrap_or_else(|e| e.into_inner());
        self.chapters = kept_chapters;
        // The marker every written site has, so that the two list the same files.
        made.push((
            crate::output::MARKER.to_string(),
            Served::whole(Fp::of(b""), b""),
        ));
        made.sort_by(|a, b| a.0.cmp(&b.0));
        self.files = made.iter().cloned().collect();
        let watched = watched(&analysis);
        Ok(Built {
            files: made,
            pages: analysis.handbook.pages.len(),
            rendered,
            findings: analysis.findings,
            watched,
        })
    }
}

/// The content folder, the theme and the folders the `[shipshape] services` globs start
/// from as trees; the root (book.toml) and the folder of every other file read (includes,
/// checklists, evidence, the book's own stylesheets: `site_files::read_outside`), alone;
/// the site's folder ignored.
fn watched(analysis: &crate::cmd::Analysis) -> Watched {
    let root = &analysis.config.root;
    let mut watched = Watched::default();
    watched.trees.insert(analysis.handbook.content_dir.clone());
    watched
        .trees
        .insert(root.join("themes").join(&analysis.config.shipshape.theme));
    watched
        .trees
        .extend(crate::load::data::glob_starts(&analysis.config));
    watched.folders.insert(root.clone());
    let documents = analysis
        .documents
        .iter()
        .map(|document| root.join(document));
    for file in documents.chain(crate::cmd::site_files::read_outside(analysis)) {
        if let Some(parent) = file.parent() {
            watched.folders.insert(parent.to_path_buf());
        }
    }
    watched.ignored.push(analysis.output.clone());
    // A commit or checkout changes pages' "Last updated" and the git rules' findings.
    watched.files.extend(analysis.git.stamps().iter().cloned());
    watched
}

/// A generation being made: files taken from the last one by fingerprint, or made.
struct InMemory<'a> {
    previous: &'a HashMap<String, Served>,
    search: &'a crate::search::Kept,
    chapters: &'a HashMap<Fp, Part>,
    files: Mutex<Vec<(String, Served)>>,
    kept_chapters: Mutex<HashMap<Fp, Part>>,
    rendered: AtomicUsize,
}

impl InMemory<'_> {
    fn keep(&self, path: &str, file: Served) {
        self.files
            .lock()
            .unwrap_or_else(|err| err.into_inner())
            .push((path.to_string(), file));
    }

    /// The last generation's file at `path`, when it was made from the same inputs.
    fn unchanged(&self, path: &str, fp: Fp) -> bool {
        match self.previous.get(path) {
            Some(old) if old.fp == fp => {
                self.keep(path, old.clone());
                true
            }
            _ => false,
        }
    }
}

impl crate::cmd::site_files::Out for InMemory<'_> {
    fn search_kept(&self) -> Option<&crate::search::Kept> {
        Some(self.search)
    }

    fn put(
        &self,
        path: &str,
        fp: Fp,
        make: &mut dyn FnMut() -> anyhow::Result<Vec<u8>>,
    ) -> anyhow::Result<()> {
        if self.unchanged(path, fp) {
            return Ok(());
        }
        let made = make()?;
        let made = if path.ends_with(".html") {
            inject(made)
        } else {
            made
        };
        self.rendered.fetch_add(1, Ordering::Relaxed);
        self.keep(path, Served::whole(fp, &made));
        Ok(())
    }

    fn print(
        &self,
        path: &str,
        frame: &cache::print::Frame<'_>,
    ) -> anyhow::Result<cache::print::Written> {
        use rayon::prelude::*;
        let mut whole = cache::Hasher::new();
        whole.part(frame.head).part(frame.tail);
        for fp in &frame.chapters {
            whole.fp(*fp);
        }
        let fp = whole.finish();
        if self.unchanged(path, fp) {
            *self.kept_chapters.lock().unwrap_or_else(|e| e.into_inner()) = self.chapters.clone();
            return Ok(cache::print::Written::default());
        }
        let chapters: Vec<(Part, bool)> = frame
            .chapters
            .par_iter()
            .enumerate()
            .map(|(index, fp)| match self.chapters.get(fp) {
                Some(kept) => (kept.clone(), false),
                None => (Part::pack((frame.render)(index).as_bytes()), true),
            })
            .collect();
        let rendered = chapters.iter().filter(|(_, made)| *made).count();
        *self.kept_chapters.lock().unwrap_or_else(|e| e.into_inner()) = frame
            .chapters
            .iter()
            .copied()
            .zip(chapters.iter().map(|(part, _)| part.clone()))
            .collect();
        // The live tag goes before the tail's `</body>`, where it goes in the whole page.
        let tail = inject(frame.tail.as_bytes().to_vec());
        let parts: Vec<Part> = std::iter::once(Part::pack(frame.head.as_bytes()))
            .chain(chapters.into_iter().map(|(part, _)| part))
            .chain(std::iter::once(Part::pack(&tail)))
            .collect();
        self.rendered.fetch_add(1, Ordering::Relaxed);
        self.keep(path, Served::new(fp, parts));
        Ok(cache::print::Written {
            chapters: Vec::new(),
            rendered,
        })
    }
}
