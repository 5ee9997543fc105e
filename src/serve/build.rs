//! `serve`'s build: the same pipeline and the same files as `build`, with `base-url`
//! taken as `/`, collected in memory instead of a staging folder.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::cli::Gate;
use crate::cmd::Log;
use crate::config::BaseUrl;
use crate::finding::Finding;
use crate::render::{Renderer, Theme};

use super::watch::Watched;

/// Builds one handbook again and again.
pub struct Memory {
    root: PathBuf,
    gate: Gate,
    /// The markdown files as last read, for the next run.
    memo: crate::load::Memo,
}

/// One build's result.
pub struct Built {
    /// Site-relative path → bytes, as `build` would write them.
    pub files: Vec<(String, Vec<u8>)>,
    pub findings: Vec<Finding>,
    pub pages: usize,
    /// What to watch for the next change.
    pub watched: Watched,
}

impl Memory {
    pub fn new(root: &Path, gate: &Gate) -> Memory {
        Memory {
            root: root.to_path_buf(),
            gate: *gate,
            memo: crate::load::Memo::default(),
        }
    }

    /// Forgets what depends on `changed` (everything, when book.toml changed).
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
        let mut analysis = crate::cmd::analyse_with(
            &self.root,
            None,
            &self.gate,
            &crate::check::Only::default(),
            &|_| true,
            log,
            Some(&self.memo),
        )?;
        analysis.config.shipshape.base_url = BaseUrl::root();
        let theme = Theme::load(&analysis.config, &analysis.boundary)?;
        let renderer = Renderer::new(
            &analysis.config,
            &analysis.handbook,
            &analysis.findings,
            &theme,
            &analysis.readiness,
            analysis.today,
        )?;
        let sink = InMemory::default();
        crate::cmd::build::render(&analysis, &theme, &renderer, &sink, log)?;
        drop(renderer);
        let mut files = sink
            .files
            .into_inner()
            .unwrap_or_else(|err| err.into_inner());
        // The marker every written site has, so the two list the same files.
        files.push((crate::output::MARKER.to_string(), Vec::new()));
        files.sort_by(|a, b| a.0.cmp(&b.0));
        let watched = watched(&analysis);
        Ok(Built {
            files,
            pages: analysis.handbook.pages.len(),
            findings: analysis.findings,
            watched,
        })
    }
}

/// The content folder and the theme as trees; the root (book.toml, teams.yaml) and
/// the folder of every other file read, alone; the site's folder ignored.
fn watched(analysis: &crate::cmd::Analysis) -> Watched {
    let root = &analysis.config.root;
    let mut watched = Watched::default();
    watched.trees.insert(analysis.handbook.content_dir.clone());
    watched
        .trees
        .insert(root.join("themes").join(&analysis.config.shipshape.theme));
    watched.folders.insert(root.clone());
    for document in &analysis.documents {
        if let Some(parent) = root.join(document).parent() {
            watched.folders.insert(parent.to_path_buf());
        }
    }
    watched.ignored.push(analysis.output.clone());
    watched
}

#[derive(Default)]
struct InMemory {
    files: Mutex<Vec<(String, Vec<u8>)>>,
}

impl InMemory {
    fn put(&self, path: &str, bytes: Vec<u8>) {
        self.files
            .lock()
            .unwrap_or_else(|err| err.into_inner())
            .push((path.to_string(), bytes));
    }
}

impl crate::cmd::build::Sink for InMemory {
    fn write(&self, path: &str, bytes: &[u8]) -> anyhow::Result<()> {
        self.put(path, bytes.to_vec());
        Ok(())
    }

    fn write_with(
        &self,
        path: &str,
        fill: &mut dyn FnMut(&mut dyn std::io::Write) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        let mut bytes = Vec::new();
        fill(&mut bytes)?;
        self.put(path, bytes);
        Ok(())
    }

    fn copy(&self, path: &str, from: &Path) -> anyhow::Result<()> {
        let bytes = std::fs::read(from)
            .map_err(|err| anyhow::anyhow!("cannot read {}: {err}", from.display()))?;
        self.put(path, bytes);
        Ok(())
    }
}
