//! `shipshape build`: the whole pipeline, load → model → check → render → write.
//! The site is written even when there are error findings (they are on its docs-health
//! page); only a failure to run leaves the previous site untouched.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde_json::json;

use super::{Log, Outcome, Stage, analyse, progress, use_color};
use crate::cli::Gate;
use crate::finding::{Tally, Withheld};
use crate::model::{PRINT_URL, PageId, PageKind};
use crate::output::{self, Staging};
use crate::render::{Renderer, Theme};

/// Builds the handbook at `root` into `dest` (default: book.toml's build-dir). On a
/// terminal a build that takes over a second shows a bar of the pages rendered.
pub fn run(
    root: &Path,
    dest: Option<&PathBuf>,
    gate: &Gate,
    log: &mut Log,
) -> anyhow::Result<Outcome> {
    let analysis = analyse(
        root,
        dest.map(PathBuf::as_path),
        crate::model::Purpose::Render,
        gate,
        &crate::check::Only::default(),
        &|_| true,
        log,
    )?;
    let config = &analysis.config;
    let handbook = &analysis.handbook;
    let target = &analysis.output;
    // `-d` is the CI job's choice; `build-dir` comes with the pull request, so it must
    // stay inside the repository.
    if dest.is_none() && !analysis.boundary.contains_for_writing(target) {
        return Err(analysis.failed(anyhow::anyhow!(
            "`build-dir` in {} is {}, outside {}: a build writes there only when told so on the command line\n  help: pass the folder with `-d {}`, or set a `build-dir` inside the repository",
            crate::config::FILE_NAME,
            config.build.build_dir.display(),
            analysis.boundary.describe(),
            target.display()
        )));
    }
    let theme = Theme::load(config, &analysis.boundary).map_err(|err| analysis.failed(err))?;
    let renderer = Renderer::new(
        config,
        handbook,
        &analysis.findings,
        &theme,
        &analysis.readiness,
        analysis.today,
    )
    .map_err(|err| analysis.failed(err))?;
    let staging = Staging::new(target, &[root, &handbook.content_dir])?;

    let pages = handbook.pages.len();
    let shown = progress::wanted(log.is_json());
    progress::run(pages as u64, shown, log.started(), |bar| {
        (0..pages)
            .into_par_iter()
            .map(PageId)
            .filter(|&id| !matches!(handbook.page(id).kind, PageKind::Print))
            .try_for_each(|id| {
                let file = renderer.page(id)?;
                bar.inc(1);
                staging.write(&file.path, &file.bytes)
            })?;
        if let Some(print) = handbook.page_by_url(PRINT_URL) {
            let mut out = staging.create(PRINT_URL)?;
            renderer.write_print(print, &mut out)?;
            bar.inc(1);
        }
        anyhow::Ok(())
    })?;
    if let Some(home) = renderer.home_copy() {
        let file = home?;
        staging.write(&file.path, &file.bytes)?;
    }
    for file in renderer
        .static_files(&theme)
        .into_iter()
        .chain(renderer.sitemap())
        .chain(renderer.redirects())
        .chain(renderer.badges())
    {
        staging.write(&file.path, &file.bytes)?;
    }
    let readiness = crate::render::readiness::json(handbook, &analysis.readiness, analysis.today);
    staging.write(crate::model::READINESS_URL, &readiness)?;
    for (path, text) in crate::render::readiness::SCHEMAS {
        staging.write(path, text.as_bytes())?;
    }
    log.stage(Stage::Render, &[("pages", json!(pages))]);
    handbook
        .assets
        .par_iter()
        .try_for_each(|asset| staging.copy(asset, &handbook.content_dir.join(asset)))?;
    for (path, source) in &handbook.extra_files {
        staging.copy(path, source)?;
    }
    let written = staging.commit()?;
    log.stage(
        Stage::Write,
        &[
            (
                "files",
                json!(handbook.assets.len() + handbook.extra_files.len()),
            ),
            ("site", json!(written.display().to_string())),
        ],
    );

    if log.is_json() {
        log.findings(&analysis.findings);
        return Ok(Outcome {
            findings: analysis.findings,
        });
    }
    let stderr = std::io::stderr();
    if !analysis.findings.is_empty() || !analysis.suppressed.is_empty() {
        let withheld = Withheld {
            suppressed: analysis.suppressed,
            ..Withheld::default()
        };
        eprint!(
            "{}",
            output::human::report(
                &analysis.findings,
                &withheld,
                root,
                analysis.documents.len(),
                use_color(&stderr)
            )
        );
    }
    eprintln!(
        "shipshape: built {} pages into {} in {:.2}s",
        handbook.pages.len(),
        written.display(),
        log.started().elapsed().as_secs_f64()
    );
    let Tally { errors, warnings } = Tally::of(&analysis.findings);
    if errors > 0 || warnings > 0 {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        let health = written.join(crate::model::HEALTH_URL);
        eprintln!(
            "shipshape: {} and {} are listed on the docs-health page, {}{}",
            plural(errors, "error"),
            plural(warnings, "warning"),
            health.display(),
            if errors > 0 {
                "; the site is written, and the build fails (exit 1)"
            } else {
                ""
            }
        );
    }
    Ok(Outcome {
        findings: analysis.findings,
    })
}
