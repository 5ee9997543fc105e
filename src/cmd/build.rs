//! `shipshape build`: the whole pipeline, load → model → check → render → write.
//! The site is written even when there are error findings (they are on its docs-health
//! page); only a failure to run leaves the previous site untouched.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::json;

use super::site_files::{Disk, render_files, site_fp};
use super::{Log, Outcome, Stage, use_color};
use crate::cache::inputs::{self, StoredFinding};
use crate::cache::{Blocks, Fp, Manifest, Outputs};
use crate::cli::Gate;
use crate::finding::{Tally, Withheld};
use crate::output::site::MARKER;
use crate::output::{self, Staging};
use crate::render::{Renderer, Theme};

/// Where the build cache is, as the command line chose.
pub enum CacheChoice {
    /// book.toml's `[shipshape] cache-dir` (default `.shipshape/cache`), unless
    /// `cache = false` there.
    Config,
    /// `--cache-dir DIR`.
    At(PathBuf),
    /// `--no-cache`.
    Off,
}

/// Builds the handbook at `root` into `dest` (default: book.toml's build-dir). On a
/// terminal a build that takes over a second shows a bar of the pages rendered.
/// With a cache (`cache::`), a file whose inputs did not change is linked from the
/// previous site, and a build whose inputs did not change at all reports what the last
/// one did without reading the handbook.
pub fn run(
    root: &Path,
    dest: Option<&PathBuf>,
    choice: &CacheChoice,
    gate: &Gate,
    log: &mut Log,
) -> anyhow::Result<Outcome> {
    let started = std::time::SystemTime::now();
    let loaded = crate::config::load(root)?;
    let config = &loaded.config;
    let secrets = crate::secret::Scanner::new(&config.policy);
    let quotes = output::human::Quotes {
        root,
        secrets: &secrets,
    };
    let target = dest.map_or_else(|| root.join(&config.build.build_dir), PathBuf::clone);
    let cache_dir = match choice {
        CacheChoice::Off => None,
        CacheChoice::At(dir) => Some(dir.clone()),
        CacheChoice::Config if !config.shipshape.cache => None,
        CacheChoice::Config => {
            let dir = root.join(&config.shipshape.cache_dir);
            // Like `build-dir`, the folder comes with the pull request: it stays inside.
            let boundary = crate::load::Boundary::new(config)?;
            if !boundary.contains_for_writing(&dir) {
                anyhow::bail!(
                    "`cache-dir` in {} is {}, outside {}: a build keeps its cache there only when told so on the command line\n  help: pass the folder with `--cache-dir {}`, or set a `cache-dir` inside the repository",
                    crate::config::FILE_NAME,
                    config.shipshape.cache_dir.display(),
                    boundary.describe(),
                    dir.display()
                );
            }
            Some(dir)
        }
    };
    // A target that holds the handbook is refused once the site is staged; the cache
    // must not be created before that.
    let content = root.join(&config.book.src);
    let holds_handbook = [root, content.as_path()]
        .iter()
        .any(|inner| absolute(inner).starts_with(absolute(&target)));
    let cache_dir = cache_dir.filter(|_| !holds_handbook);
    if let Some(dir) = &cache_dir {
        refuse_cache_in(dir, &content, &target)?;
    }
    let cache = match &cache_dir {
        Some(dir) => crate::cache::Cache::open(dir)?,
        None => None,
    };
    let today = gate
        .today
        .unwrap_or_else(|| jiff::ZonedDateTime::now().date());
    let args = format!(
        "{}\n{}\n{today}\n{}\n{}\n{}",
        absolute(root).display(),
        absolute(&target).display(),
        gate.drafts,
        gate.no_preprocessors,
        env!("CARGO_PKG_VERSION")
    );
    let record = cache
        .as_ref()
        .and_then(|cache| inputs::Record::read(&cache.inputs_path()));
    let manifest = cache
        .as_ref()
        .and_then(|cache| Manifest::read(&cache.manifest_path()))
        .filter(|manifest| manifest.site == absolute(&target));
    if let (Some(record), Some(manifest)) = (&record, &manifest)
        && let Some(fp) = &record.fp
        && inputs::snapshot(&args, &record.roots, &record.watched, started)
            .fp
            .hex()
            == *fp
        && manifest.matches_disk()
    {
        return Ok(unchanged(quotes, &record.report, &manifest.site, log));
    }

    let gate = Gate {
        today: Some(today),
        ..*gate
    };
    let scope = super::Scope {
        purpose: crate::model::Purpose::Render,
        only: &crate::check::Only::default(),
        keep: &|_| true,
        memo: None,
        parses: None,
    };
    let analysis =
        super::analyse_loaded(root, loaded, dest.map(PathBuf::as_path), &gate, &scope, log)?;
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
    let mut renderer = Renderer::new(
        config,
        handbook,
        &analysis.findings,
        &theme,
        &analysis.readiness,
        analysis.today,
        &analysis.updated,
    )
    .map_err(|err| analysis.failed(err))?;
    let blocks = cache
        .as_ref()
        .map(|cache| Arc::new(Blocks::new(cache.blocks_path())));
    // A cache past its bound is compacted to the blocks this build uses, so this build
    // must use them all: it renders every page. So is one that may hold a credential:
    // blocks cached before it was found (by an older shipshape, or while its value was
    // allowed or `secrets` off) hold it as written, so a build that finds one the last
    // build did not report keeps only its own blocks, all redacted.
    let compact = blocks
        .as_ref()
        .is_some_and(|blocks| blocks.over_bound() || new_secret(record.as_ref(), &analysis));
    if let Some(blocks) = &blocks {
        renderer.use_store(blocks.clone());
    }
    let previous = manifest.as_ref().filter(|_| !compact);
    let outputs = Outputs::new(previous);
    let protected: Vec<&Path> = [root, handbook.content_dir.as_path()]
        .into_iter()
        .chain(cache_dir.as_deref())
        .collect();
    let staging = Staging::new(target, &protected)?;
    let site = site_fp(config, &theme);

    let pages = handbook.pages.len();
    let disk = Disk {
        staging: &staging,
        outputs: &outputs,
        previous,
    };
    let printed = render_files(&analysis, &theme, &renderer, site, &disk, log)?;
    let (rendered, linked) = outputs.counts();
    log.stage(
        Stage::Render,
        &[
            ("pages", json!(pages)),
            ("rendered", json!(rendered)),
            ("linked", json!(linked)),
            ("chapters", json!(printed.rendered)),
            (
                "blocks_cached",
                json!(blocks.as_ref().map_or(0, |blocks| blocks.counts().hits)),
            ),
            (
                "blocks_highlighted",
                json!(blocks.as_ref().map_or(0, |blocks| blocks.counts().misses)),
            ),
        ],
    );
    let chapters = printed.chapters;
    outputs.record(MARKER, Fp::of(b""), &staging.marker()?);
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
    if let Some(cache) = &cache {
        let manifest = outputs.manifest(&written, chapters);
        // The cache is an optimisation: failing to keep it never fails the build.
        let _ = manifest.write(&cache.manifest_path());
        if let Some(blocks) = &blocks {
            let _ = blocks.finish(compact);
        }
        let report = inputs::Report {
            findings: analysis.findings.iter().map(StoredFinding::of).collect(),
            suppressed: analysis
                .suppressed
                .iter()
                .map(|s| (StoredFinding::of(&s.finding), s.reason.clone()))
                .collect(),
            documents: analysis.documents.len(),
            assets: handbook.assets.len(),
            pages,
            copied: handbook.assets.len() + handbook.extra_files.len(),
        };
        let roots = inputs::Roots {
            book_toml: absolute(&root.join(crate::config::FILE_NAME)),
            content: absolute(&handbook.content_dir),
            theme: Some(absolute(&root.join("themes").join(&config.shipshape.theme))),
            output: written.clone(),
            cache: absolute(cache_dir.as_deref().unwrap_or(root)),
        };
        let watched = watched(&analysis);
        let snapshot = inputs::snapshot(&args, &roots, &watched, started);
        let knowable = (config.preprocessors.is_empty() || gate.no_preprocessors)
            && config.shipshape.services.is_empty();
        let fp = (knowable && !snapshot.racy).then_some(snapshot.fp);
        let _ = inputs::Record::new(fp, roots, watched, report).write(&cache.inputs_path());
    }
    let outcome = Outcome {
        findings: analysis.findings,
    };
    finish(
        quotes,
        &outcome.findings,
        &analysis.suppressed,
        analysis.documents.len(),
        pages,
        &written,
        log,
    );
    Ok(outcome)
}

/// Whether the run reports (or suppresses) a `secret` finding that the last build's
/// record does not hold.
fn new_secret(record: Option<&inputs::Record>, analysis: &super::Analysis) -> bool {
    use crate::finding::{Finding, Rule};
    let secret = |finding: &Finding| finding.rule == Rule::Secret;
    let found: Vec<&Finding> = analysis
        .findings
        .iter()
        .chain(analysis.suppressed.iter().map(|s| &s.finding))
        .filter(|finding| secret(finding))
        .collect();
    if found.is_empty() {
        return false;
    }
    let Some(record) = record else {
        return true;
    };
    let report = &record.report;
    let reported: std::collections::HashSet<String> = report
        .findings()
        .into_iter()
        .chain(report.suppressed().into_iter().map(|s| s.finding))
        .filter(secret)
        .map(|finding| finding.fingerprint())
        .collect();
    found
        .iter()
        .any(|finding| !reported.contains(&finding.fingerprint()))
}

/// A build whose inputs are those of the last one, with its site on disk as written:
/// nothing to do but say what the last build said.
fn unchanged(
    quotes: output::human::Quotes<'_>,
    report: &inputs::Report,
    site: &Path,
    log: &mut Log,
) -> Outcome {
    let findings = report.findings();
    let tally = Tally::of(&findings);
    log.stage(
        Stage::Load,
        &[
            ("files", json!(report.documents)),
            ("assets", json!(report.assets)),
        ],
    );
    log.stage(Stage::Model, &[("pages", json!(report.pages))]);
    log.stage(
        Stage::Check,
        &[
            ("errors", json!(tally.errors)),
            ("warnings", json!(tally.warnings)),
        ],
    );
    log.stage(
        Stage::Render,
        &[
            ("pages", json!(report.pages)),
            ("rendered", json!(0)),
            ("linked", json!(0)),
            ("chapters", json!(0)),
            ("unchanged", json!(true)),
        ],
    );
    log.stage(
        Stage::Write,
        &[
            ("files", json!(report.copied)),
            ("site", json!(site.display().to_string())),
        ],
    );
    finish(
        quotes,
        &findings,
        &report.suppressed(),
        report.documents,
        report.pages,
        site,
        log,
    );
    Outcome { findings }
}

/// What the no-op check stats besides the content and theme folders: every other file
/// the build read or looked for, and git's HEAD, ref and log with `[policy] git`.
fn watched(analysis: &super::Analysis) -> Vec<PathBuf> {
    let mut watched = super::site_files::read_outside(analysis);
    // With `[policy] git`, a commit or checkout is a change too.
    watched.extend(analysis.git.stamps().iter().cloned());
    watched.sort();
    watched.dedup();
    watched
}

/// A cache folder where it would be read as content or swapped out with the site is
/// refused.
fn refuse_cache_in(dir: &Path, content: &Path, target: &Path) -> anyhow::Result<()> {
    let dir = absolute(dir);
    let content = absolute(content);
    let hidden = |inside: &Path| {
        inside
            .components()
            .any(|part| part.as_os_str().to_string_lossy().starts_with('.'))
    };
    if let Ok(inside) = dir.strip_prefix(&content)
        && !hidden(inside)
    {
        anyhow::bail!(
            "the cache folder {} is inside the content folder, where it would be read as content\n  help: keep it beside book.toml (the default is `{}`), or give it a name starting with `.`",
            dir.display(),
            crate::cache::DEFAULT_DIR
        );
    }
    if dir.starts_with(absolute(target)) {
        anyhow::bail!(
            "the cache folder {} is inside the site folder, which each build replaces\n  help: keep it beside book.toml (the default is `{}`)",
            dir.display(),
            crate::cache::DEFAULT_DIR
        );
    }
    Ok(())
}

/// `path` made absolute and, where it exists, with its links resolved.
fn absolute(path: &Path) -> PathBuf {
    crate::output::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// What every build prints at its end: the findings, the closing line, the health line.
fn finish(
    quotes: output::human::Quotes<'_>,
    findings: &[crate::finding::Finding],
    suppressed: &[crate::finding::Suppressed],
    documents: usize,
    pages: usize,
    written: &Path,
    log: &mut Log,
) {
    if log.is_json() {
        log.findings(findings);
        return;
    }
    let stderr = std::io::stderr();
    if !findings.is_empty() || !suppressed.is_empty() {
        let withheld = Withheld {
            suppressed: suppressed.to_vec(),
            ..Withheld::default()
        };
        eprint!(
            "{}",
            output::human::report(
                findings,
                &withheld,
                &output::Notes::default(),
                quotes,
                documents,
                use_color(&stderr)
            )
        );
    }
    eprintln!(
        "shipshape: built {} pages into {} in {:.2}s",
        pages,
        written.display(),
        log.started().elapsed().as_secs_f64()
    );
    let Tally { errors, warnings } = Tally::of(findings);
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
}
