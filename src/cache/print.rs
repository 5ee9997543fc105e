//! The print page, written chapter by chapter: a chapter whose fingerprint is in the
//! previous `print.html` is copied from there (in the kernel, `copy_file_range`, with
//! neighbouring chapters in one copy), the others are rendered. A 10,000-page book's
//! print page is over 200 MB, so a one-page edit must not render it all again.

use std::fs;
use std::io::{Seek as _, Write as _};

use anyhow::Context as _;
use rayon::prelude::*;

use super::Outputs;
use super::hash::{Fp, Hasher};
use super::manifest::Chapter;
use crate::output::Staging;

/// Chapters rendered together: enough to keep both cores busy, few enough that the
/// group's HTML stays small.
const GROUP: usize = 64;

/// What the print page is made of.
pub struct Frame<'r> {
    /// The template's frame before and after the chapters.
    pub head: &'r str,
    pub tail: &'r str,
    /// Each chapter's fingerprint, in order.
    pub chapters: Vec<Fp>,
    /// Renders chapter `index`.
    pub render: &'r (dyn Fn(usize) -> String + Sync),
}

/// How the print page was written.
#[derive(Default)]
pub struct Written {
    pub chapters: Vec<Chapter>,
    /// Chapters rendered (the rest were copied or the file linked whole).
    pub rendered: usize,
}

/// Writes the print page at `path`, linked whole from the previous site when nothing in
/// it changed, else with unchanged chapters copied from the previous `print.html`.
pub fn write(
    staging: &Staging,
    outputs: &Outputs<'_>,
    previous: Option<&super::Manifest>,
    path: &str,
    parts: &Frame<'_>,
) -> anyhow::Result<Written> {
    let mut whole = Hasher::new();
    whole.part(parts.head).part(parts.tail);
    for fp in &parts.chapters {
        whole.fp(*fp);
    }
    let whole = whole.finish();
    if let Some(from) = outputs.reusable(path, whole)
        && let Some(meta) = staging.link(path, &from)?
        && let Some(previous) = previous
    {
        outputs.record(path, whole, &meta);
        return Ok(Written {
            chapters: previous.chapters.clone(),
            rendered: 0,
        });
    }
    // The previous print page, when it is still the file its chapters were recorded in.
    let old = previous.and_then(|previous| {
        let entry = previous.files.get(path)?;
        let file = fs::File::open(previous.site.join(path)).ok()?;
        let meta = file.metadata().ok()?;
        (super::Stat::of(&meta) == entry.stat).then_some((file, previous))
    });
    let known: std::collections::HashMap<Fp, Chapter> = old
        .iter()
        .flat_map(|(_, previous)| previous.chapters.iter().map(|c| (c.fp, *c)))
        .collect();
    let mut out = staging.create(path)?;
    out.write_all(parts.head.as_bytes())?;
    let mut at = parts.head.len() as u64;
    let mut written = Written::default();
    // Neighbouring chapters of the previous page, copied in one go when the run ends.
    let mut run: Option<(u64, u64)> = None;
    for (group, fps) in parts.chapters.chunks(GROUP).enumerate() {
        let first = group * GROUP;
        let fresh: Vec<Option<String>> = fps
            .par_iter()
            .enumerate()
            .map(|(index, fp)| (!known.contains_key(fp)).then(|| (parts.render)(first + index)))
            .collect();
        for (fp, html) in fps.iter().zip(fresh) {
            let len = match (html, &old) {
                (Some(html), _) => {
                    if let (Some((offset, len)), Some((file, _))) = (run.take(), &old) {
                        copy_range(file, offset, len, &mut out)?;
                    }
                    written.rendered += 1;
                    out.write_all(html.as_bytes())?;
                    html.len() as u64
                }
                (None, Some((file, _))) => {
                    let chapter = known[fp];
                    run = match run {
                        Some((offset, len)) if offset + len == chapter.offset => {
                            Some((offset, len + chapter.len))
                        }
                        Some((offset, len)) => {
                            copy_range(file, offset, len, &mut out)?;
                            Some((chapter.offset, chapter.len))
                        }
                        None => Some((chapter.offset, chapter.len)),
                    };
                    chapter.len
                }
                (None, None) => unreachable!("a chapter is known only from an old print page"),
            };
            written.chapters.push(Chapter {
                fp: *fp,
                offset: at,
                len,
            });
            at += len;
        }
    }
    if let (Some((offset, len)), Some((file, _))) = (run, &old) {
        copy_range(file, offset, len, &mut out)?;
    }
    out.write_all(parts.tail.as_bytes())?;
    out.flush()?;
    let file = out
        .into_inner()
        .map_err(|err| err.into_error())
        .context("cannot write the print page")?;
    outputs.record(path, whole, &file.metadata()?);
    Ok(written)
}

/// Copies `len` bytes at `offset` of `from` to the end of `out`.
fn copy_range(
    from: &fs::File,
    offset: u64,
    len: u64,
    out: &mut std::io::BufWriter<fs::File>,
) -> anyhow::Result<()> {
    out.flush()?;
    let mut reader = from;
    reader.seek(std::io::SeekFrom::Start(offset))?;
    // std copies File to File with copy_file_range on Linux: no bytes through user space.
    let copied = std::io::copy(&mut std::io::Read::take(reader, len), out.get_mut())?;
    anyhow::ensure!(
        copied == len,
        "the previous print page is shorter than recorded"
    );
    Ok(())
}
