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

use rayon::prelude::*;

use crate::model::Handbook;
use crate::model::readiness::Card;
use crate::render::SiteFile;

/// The search client, from the site root.
pub const SCRIPT: &str = "static/search.js";

/// The folder of the index, from the site root.
pub const DIR: &str = "search";

/// The index format's version, which `search.js` checks.
const VERSION: u32 = 1;

/// Every file of the index, each given to `put` as it is made (in parallel): the
/// manifest, the term shards and the documents.
pub fn files(
    handbook: &Handbook,
    cards: &[Card],
    put: &(dyn Fn(SiteFile) -> anyhow::Result<()> + Sync),
) -> anyhow::Result<()> {
    let docs = documents::collect(handbook, cards);
    let shards = index::build(&docs);
    let keys: Vec<&String> = shards.keys().collect();
    let manifest = format!(
        "shipshapeSearch.manifest({});\n",
        serde_json::json!({ "v": VERSION, "docs": docs.len(), "shards": keys })
    );
    put(SiteFile {
        path: format!("{DIR}/manifest.js"),
        bytes: manifest.into_bytes(),
    })?;
    let shards: Vec<(&String, &Vec<(String, index::Postings)>)> = shards.iter().collect();
    shards.into_par_iter().try_for_each(|(key, terms)| {
        put(SiteFile {
            path: format!("{DIR}/t/{}.js", index::shard_name(key)),
            bytes: index::shard_script(key, terms).into_bytes(),
        })
    })?;
    docs.par_iter().enumerate().try_for_each(|(number, doc)| {
        let data = index::script_safe(serde_json::to_string(doc)?);
        put(SiteFile {
            path: format!("{DIR}/d/{number}.js"),
            bytes: format!("shipshapeSearch.doc({number},{data});\n").into_bytes(),
        })
    })
}
