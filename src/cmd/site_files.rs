//! Every file of a built site, each with the fingerprint of what it is made from, into
//! an `Out`: the staging folder (`build`, reusing the last site's files) or memory
//! (`serve`, reusing the last generation's).

use std::path::PathBuf;

use anyhow::Context as _;
use rayon::prelude::*;

use super::{Log, progress};
use crate::cache::{self, Fp, Hasher, Outputs};
use crate::model::{INDEX_URL, PRINT_URL, PageId, PageKind};
use crate::output::Staging;
use crate::render::{Renderer, SiteFile, Theme};

/// What every file of the site depends on: the binary, the theme, book.toml and the
/// highlighter.
pub fn site_fp(config: &crate::config::Config, theme: &Theme) -> Fp {
    let mut hasher = Hasher::new();
    hasher.part(env!("CARGO_PKG_VERSION"));
    if let Some(meta) = std::env::current_exe()
        .ok()
        .and_then(|exe| std::fs::metadata(exe).ok())
    {
        let stat = crate::cache::Stat::of(&meta);
        hasher
            .number(u128::from(stat.inode))
            .number(u128::from(stat.size))
            .number(stat.mtime_ns as u128);
    }
    hasher.part(crate::render::Highlighter::identity());
    let _ = serde_json::to_writer(&mut hasher, &config.table);
    for (name, bytes) in theme.templates() {
        hasher.part(name).part(bytes);
    }
    for (path, bytes) in theme.static_files() {
        hasher.part(path).part(bytes);
    }
    hasher.finish()
}

/// The files outside the content and theme folders that a build read or looked for:
/// includes, the book's own stylesheets and scripts, the repository files the checklists'
/// evidence names, and the service checklists and standards (absolute, sorted). `build`'s
/// no-op check stats them and `serve` watches their folders.
pub fn read_outside(analysis: &super::Analysis) -> Vec<PathBuf> {
    let handbook = &analysis.handbook;
    let root = &analysis.config.root;
    let absolute = |path: &std::path::Path| {
        crate::output::absolute(path).unwrap_or_else(|_| path.to_path_buf())
    };
    let mut read: Vec<PathBuf> = handbook
        .pages
        .iter()
        .filter_map(|page| page.markdown())
        .flat_map(|page| {
            page.document
                .includes
                .iter()
                .map(|path| absolute(&root.join(path)))
        })
        .chain(
            handbook
                .extra_files
                .iter()
                .map(|(_, source)| absolute(source)),
        )
        .chain(handbook.probes.asked.iter().map(|path| absolute(path)))
        .chain(
            handbook
                .services
                .iter()
                .map(|service| absolute(&root.join(&service.file))),
        )
        .chain(
            handbook
                .standards
                .iter()
                .map(|standard| absolute(&root.join(&standard.file))),
        )
        .collect();
    read.sort();
    read.dedup();
    read
}

/// Where a build's files go: the staging folder, reusing the last site's files, or
/// memory for `serve`, reusing the last generation's.
pub trait Out: Sync {
    /// The file at `path`, made from inputs whose fingerprint is `fp`: kept from the
    /// last build when it had the same fingerprint, else made by `make`.
    fn put(
        &self,
        path: &str,
        fp: Fp,
        make: &mut dyn FnMut() -> anyhow::Result<Vec<u8>>,
    ) -> anyhow::Result<()>;
    /// What the search index kept of the last build, for an `Out` that outlives one
    /// (`serve`'s memory).
    fn search_kept(&self) -> Option<&crate::search::Kept> {
        None
    }
    /// The print page, chapter by chapter.
    fn print(
        &self,
        path: &str,
        frame: &cache::print::Frame<'_>,
    ) -> anyhow::Result<cache::print::Written>;
}

/// The staging folder, with the last site's manifest.
pub struct Disk<'a> {
    pub staging: &'a Staging,
    pub outputs: &'a Outputs<'a>,
    pub previous: Option<&'a crate::cache::Manifest>,
}

impl Out for Disk<'_> {
    fn put(
        &self,
        path: &str,
        fp: Fp,
        make: &mut dyn FnMut() -> anyhow::Result<Vec<u8>>,
    ) -> anyhow::Result<()> {
        self.outputs.put(self.staging, path, fp, make)?;
        Ok(())
    }

    fn print(
        &self,
        path: &str,
        frame: &cache::print::Frame<'_>,
    ) -> anyhow::Result<cache::print::Written> {
        cache::print::write(self.staging, self.outputs, self.previous, path, frame)
    }
}

/// Every file of the site into `out`, each with the fingerprint of what it is made
/// from (`site`, what every file depends on, mixed in): the pages in parallel, the home
/// copy, the print page, the theme's static files, sitemap, redirects, badges, the
/// health script, readiness.json with its schemas, the search index, and the assets.
pub fn render_files(
    analysis: &super::Analysis,
    theme: &Theme,
    renderer: &Renderer<'_>,
    site: Fp,
    out: &dyn Out,
    log: &Log,
) -> anyhow::Result<cache::print::Written> {
    let handbook = &analysis.handbook;
    let with_site = |fp: Fp| Hasher::new().fp(site).fp(fp).finish();
    let pages = handbook.pages.len();
    let shown = progress::wanted(log.is_json());
    let mut printed = cache::print::Written {
        chapters: Vec::new(),
        rendered: 0,
    };
    progress::run(pages as u64, shown, log.started(), |bar| {
        (0..pages)
            .into_par_iter()
            .map(PageId)
            .filter(|&id| !matches!(handbook.page(id).kind, PageKind::Print))
            .try_for_each(|id| {
                let url = &handbook.page(id).url;
                let fp = with_site(renderer.fingerprint(id, url));
                out.put(url, fp, &mut || Ok(renderer.page(id)?.bytes))?;
                bar.inc(1);
                anyhow::Ok(())
            })?;
        if let Some(home) = handbook.home {
            let fp = with_site(renderer.fingerprint(home, INDEX_URL));
            out.put(INDEX_URL, fp, &mut || {
                Ok(renderer
                    .home_copy()
                    .transpose()?
                    .map(|file| file.bytes)
                    .unwrap_or_default())
            })?;
        }
        if let Some(print) = handbook.page_by_url(PRINT_URL) {
            let parts = renderer.print_parts(print)?;
            let render = |index: usize| renderer.print_chapter(&parts, index);
            let frame = cache::print::Frame {
                head: &parts.head,
                tail: &parts.tail,
                chapters: parts.chapters.iter().map(|fp| with_site(*fp)).collect(),
                render: &render,
            };
            printed = out.print(PRINT_URL, &frame)?;
            bar.inc(1);
        }
        anyhow::Ok(())
    })?;
    let readiness = crate::render::readiness::json(handbook, &analysis.readiness, analysis.today);
    let files = renderer
        .static_files(theme)
        .into_iter()
        .chain(renderer.sitemap())
        .chain(renderer.redirects())
        .chain(renderer.badges())
        .chain(renderer.health_script())
        .chain([SiteFile {
            path: crate::model::READINESS_URL.into(),
            bytes: readiness,
        }])
        .chain(
            crate::render::readiness::SCHEMAS
                .iter()
                .map(|(path, text)| SiteFile {
                    path: (*path).into(),
                    bytes: text.as_bytes().to_vec(),
                }),
        );
    for file in files {
        let fp = Fp::of(&file.bytes);
        let mut bytes = Some(file.bytes);
        out.put(&file.path, fp, &mut || Ok(bytes.take().unwrap_or_default()))?;
    }
    // The index, from the model: whole for `build`; in `serve`, from what the last
    // rebuild kept (`Out::search_kept`). Only the shards and documents an edit changed
    // are written again.
    if analysis.config.html.search.enable {
        crate::search::files(
            handbook,
            &analysis.readiness,
            out.search_kept(),
            &|path, fp, make| out.put(path, fp, make),
        )?;
    }
    // The content folder's files are redacted as load scanned them; the book's own
    // stylesheets and scripts are the theme's kin, copied as they are.
    let secrets = crate::secret::Scanner::new(&analysis.config.policy);
    let copies: Vec<(&str, PathBuf, bool)> = handbook
        .assets
        .iter()
        .map(|asset| (asset.as_str(), handbook.content_dir.join(asset), true))
        .chain(
            handbook
                .extra_files
                .iter()
                .map(|(path, source)| (path.as_str(), source.clone(), false)),
        )
        .collect();
    copies.par_iter().try_for_each(|(path, source, content)| {
        let bytes = std::fs::read(source)
            .with_context(|| format!("cannot copy {} to the site", source.display()))?;
        let bytes = if *content && secrets.enabled() {
            crate::load::assets::redacted(&secrets, bytes)
        } else {
            bytes
        };
        let mut bytes = Some(bytes);
        let fp = Fp::of(bytes.as_deref().unwrap_or_default());
        out.put(path, fp, &mut || Ok(bytes.take().unwrap_or_default()))?;
        anyhow::Ok(())
    })?;
    Ok(printed)
}
