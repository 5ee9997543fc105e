//! The offline search index (ADR 0015): scripts under `search/` that `static/search.js`
//! loads with `<script>` tags, so that search works from `file://` as from any server.
//!
//! - `search/manifest.js`: `shipshapeSearch.manifest({v, docs, shards})`, the number of
//!   documents and the key of every shard.
//! - `search/t/<key>.js`: `shipshapeSearch.terms(key, {term: [gap, score, …]})`, every
//!   term whose first two characters are `key`, with its best documents (`index`).
//! - `search/d/<n>.js`: `shipshapeSearch.doc(n, {u, t, k, m, s})`, document `n`'s url,
//!   title, kind, fields and sections, loaded only for the results shown.
//!
//! Invariant: the index is a pure function of the model and the check run's cards, so
//! it holds what the pages hold (credentials redacted by load) and is byte-identical on
//! every build of the same input.

mod documents;
mod index;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use crate::cache::{Fp, Hasher};
use crate::model::Handbook;
use crate::model::readiness::Card;

/// The search client, from the site root.
pub const SCRIPT: &str = "static/search.js";

/// The folder of the index, from the site root.
pub const DIR: &str = "search";

/// The index format's version, which `search.js` checks.
const VERSION: u32 = 1;

/// What `serve` keeps of the index between rebuilds, so that an edit scores only the
/// pages it changed and writes out only the shards their terms are in. `build` keeps
/// nothing.
#[derive(Default)]
pub struct Kept {
    last: Mutex<Option<Last>>,
}

/// The index of the last build.
struct Last {
    /// Each document by number, with its key (`documents::key`).
    docs: Vec<(Fp, Arc<Prepared>)>,
    /// Every term's documents.
    shards: index::Shards,
    /// Each shard's script and its fingerprint.
    scripts: Scripts,
}

/// Each shard's script and its fingerprint, by key.
type Scripts = BTreeMap<String, (Arc<Vec<u8>>, Fp)>;

/// More changed documents than this and the index is made whole again: a change that
/// big (a renamed heading everywhere, a new page renumbering the rest) is rare.
const MOST_REPLACED: usize = 64;

/// One document, ready for the index.
struct Prepared {
    terms: index::DocTerms,
    /// Its `search/d/<n>.js` data: the document as JSON, safe inside a script.
    data: String,
    /// The fingerprint of `data`.
    data_fp: Fp,
}

impl Prepared {
    fn new(doc: &documents::Doc) -> anyhow::Result<Prepared> {
        let data = index::script_safe(serde_json::to_string(doc)?);
        Ok(Prepared {
            terms: index::scores(doc),
            data_fp: Fp::of(data.as_bytes()),
            data,
        })
    }
}

/// Where a file of the index goes: its path, the fingerprint of its bytes, and what
/// makes them (called only when the file changed), as `cmd::site_files::Out::put`.
pub type Put<'a> =
    dyn Fn(&str, Fp, &mut dyn FnMut() -> anyhow::Result<Vec<u8>>) -> anyhow::Result<()> + Sync + 'a;

/// Every file of the index, each given to `put` (in parallel): the manifest, the term
/// shards and the documents. With `kept`, what did not change since the last call is
/// taken from it; the files are the same either way.
pub fn files(
    handbook: &Handbook,
    cards: &[Card],
    kept: Option<&Kept>,
    put: &Put<'_>,
) -> anyhow::Result<()> {
    let docs = documents::collect(handbook, cards);
    let last = kept.and_then(|kept| lock(kept).take());
    let by_key: HashMap<Fp, &Arc<Prepared>> = last
        .iter()
        .flat_map(|last| last.docs.iter().map(|(key, doc)| (*key, doc)))
        .collect();
    let prepared: Vec<(Fp, Arc<Prepared>)> = docs
        .par_iter()
        .map(|doc| {
            let key = documents::key(doc);
            match by_key.get(&key) {
                Some(prepared) => Ok((key, Arc::clone(prepared))),
                None => Ok((key, Arc::new(Prepared::new(doc)?))),
            }
        })
        .collect::<anyhow::Result<_>>()?;
    drop(by_key);
    let (shards, scripts) = match last {
        Some(last) if replaceable(&last.docs, &prepared) => updated(last, &prepared),
        _ => {
            let terms: Vec<&index::DocTerms> = prepared.iter().map(|(_, p)| &p.terms).collect();
            let shards = index::build(&terms);
            let scripts = shards
                .par_iter()
                .map(|(key, terms)| (key.clone(), script(key, terms)))
                .collect();
            (shards, scripts)
        }
    };
    let keys: Vec<&String> = scripts.keys().collect();
    let manifest = format!(
        "shipshapeSearch.manifest({});\n",
        serde_json::json!({ "v": VERSION, "docs": docs.len(), "shards": keys })
    );
    put_bytes(put, &format!("{DIR}/manifest.js"), manifest.into_bytes())?;
    let files: Vec<_> = scripts.iter().collect();
    files.into_par_iter().try_for_each(|(key, (bytes, fp))| {
        let path = format!("{DIR}/t/{}.js", index::shard_name(key));
        put(&path, *fp, &mut || Ok(bytes.as_ref().clone()))
    })?;
    prepared
        .par_iter()
        .enumerate()
        .try_for_each(|(number, (_, prepared))| {
            // The bytes are the number and the data: so is the fingerprint, without
            // hashing every document's text again.
            let fp = Hasher::new()
                .part("search document")
                .number(number as u128)
                .fp(prepared.data_fp)
                .finish();
            put(&format!("{DIR}/d/{number}.js"), fp, &mut || {
                Ok(format!("shipshapeSearch.doc({number},{});\n", prepared.data).into_bytes())
            })
        })?;
    if let Some(kept) = kept {
        *lock(kept) = Some(Last {
            docs: prepared,
            shards,
            scripts,
        });
    }
    Ok(())
}

/// Whether the last index can be brought up to date document by document: the same
/// number of documents (so the same numbers), few of them changed.
fn replaceable(last: &[(Fp, Arc<Prepared>)], now: &[(Fp, Arc<Prepared>)]) -> bool {
    last.len() == now.len()
        && last
            .iter()
            .zip(now)
            .filter(|(a, b)| a.0 != b.0)
            .take(MOST_REPLACED + 1)
            .count()
            <= MOST_REPLACED
}

/// The last index with each changed document's terms replaced, and the scripts of the
/// shards that changed made again.
fn updated(last: Last, now: &[(Fp, Arc<Prepared>)]) -> (index::Shards, Scripts) {
    let Last {
        docs,
        mut shards,
        mut scripts,
    } = last;
    let mut touched = BTreeSet::new();
    for (number, (before, after)) in docs.iter().zip(now).enumerate() {
        if before.0 != after.0 {
            let number = u32::try_from(number).unwrap_or(u32::MAX);
            index::replace(
                &mut shards,
                number,
                &before.1.terms,
                &after.1.terms,
                &mut touched,
            );
        }
    }
    for key in touched {
        match shards.get(&key) {
            Some(terms) => {
                let made = script(&key, terms);
                scripts.insert(key, made);
            }
            None => {
                scripts.remove(&key);
            }
        }
    }
    (shards, scripts)
}

/// A shard's script and its fingerprint.
fn script(key: &str, terms: &[(String, index::Postings)]) -> (Arc<Vec<u8>>, Fp) {
    let bytes = index::shard_script(key, terms).into_bytes();
    let fp = Fp::of(&bytes);
    (Arc::new(bytes), fp)
}

/// A file made already: its fingerprint is its bytes'.
fn put_bytes(put: &Put<'_>, path: &str, bytes: Vec<u8>) -> anyhow::Result<()> {
    let fp = Fp::of(&bytes);
    let mut bytes = Some(bytes);
    put(path, fp, &mut || Ok(bytes.take().unwrap_or_default()))
}

fn lock(kept: &Kept) -> std::sync::MutexGuard<'_, Option<Last>> {
    kept.last.lock().unwrap_or_else(|err| err.into_inner())
}
