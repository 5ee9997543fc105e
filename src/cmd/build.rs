//! `shipshape build`: the whole pipeline, load → model → check → render → write.
//! The site is written even when there are error findings (they are on its docs-health
//! page); only a failure to run leaves the previous site untouched.

use std::path::{Path, PathBuf};
use std::time::Instant;

use jiff::civil::Date;
use rayon::prelude::*;

use super::{Outcome, analyse, use_color};
use crate::model::PageId;
use crate::output::{self, Staging};
use crate::render::{Renderer, Theme};

/// Builds the handbook at `root` into `dest` (default: book.toml's build-dir).
pub fn run(root: &Path, dest: Option<&PathBuf>, today: Option<Date>) -> anyhow::Result<Outcome> {
    let started = Instant::now();
    let analysis = analyse(root, dest.map(PathBuf::as_path), today)?;
    let config = &analysis.config;
    let handbook = &analysis.handbook;
    let target = &analysis.output;
    let theme = Theme::load(config)?;
    let renderer = Renderer::new(config, handbook, &analysis.findings, &theme)?;
    let staging = Staging::new(target, &[root, &handbook.content_dir])?;

    (0..handbook.pages.len())
        .into_par_iter()
        .try_for_each(|index| {
            let file = renderer.page(PageId(index))?;
            staging.write(&file.path, &file.bytes)
        })?;
    for file in renderer
        .static_files(&theme)
        .into_iter()
        .chain(renderer.sitemap())
    {
        staging.write(&file.path, &file.bytes)?;
    }
    handbook
        .assets
        .par_iter()
        .try_for_each(|asset| staging.copy(asset, &handbook.content_dir.join(asset)))?;
    let written = staging.commit()?;

    let stderr = std::io::stderr();
    if !analysis.findings.is_empty() {
        eprint!(
            "{}",
            output::human::report(&analysis.findings, root, analysis.files, use_color(&stderr))
        );
    }
    eprintln!(
        "shipshape: built {} pages into {} in {:.2}s",
        handbook.pages.len(),
        written.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(Outcome {
        findings: analysis.findings,
    })
}
