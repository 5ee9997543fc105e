//! `serve`'s kept parses: each page's outline and events by what they were read from,
//! so that a rebuild parses only the pages whose text changed. `build` and `check`
//! parse every page and keep nothing.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use super::{Events, Outline};
use crate::cache::{Fp, Hasher};
use crate::load::Document;

/// Bumped whenever `read` can give another outline or other events for the same text.
const VERSION: u128 = 1;

/// The parses of the last build, by `key`.
#[derive(Default)]
pub struct Parses {
    kept: Mutex<HashMap<Fp, Parsed>>,
}

/// One page's parse.
#[derive(Clone)]
pub struct Parsed {
    pub outline: Arc<Outline>,
    pub events: Option<Arc<Events>>,
    /// What it was read from (`Parses::key`).
    pub key: Fp,
}

impl Parses {
    /// What a page's parse is a function of: its body, the source map that places the
    /// body's offsets in its file, and the parser's options.
    pub fn key(document: &Document, smart: bool, keep: bool) -> Fp {
        let mut hasher = Hasher::new();
        hasher
            .number(VERSION)
            .number(u128::from(smart) | u128::from(keep) << 1)
            .part(&document.body);
        document.source_map.hash_into(&mut hasher);
        hasher.finish()
    }

    /// Every document's parse, in order: taken from `parses` when one was kept for the
    /// same key, else read (in parallel). `parses` then holds this build's parses only.
    pub fn read_all(
        parses: Option<&Parses>,
        documents: &[Document],
        smart: bool,
        keep: bool,
    ) -> Vec<Parsed> {
        let last = parses.map(|parses| std::mem::take(&mut *parses.lock()));
        let parsed: Vec<Parsed> = documents
            .par_iter()
            .map(|document| {
                let key = Parses::key(document, smart, keep);
                if let Some(kept) = last.as_ref().and_then(|last| last.get(&key)) {
                    return kept.clone();
                }
                let (outline, events) =
                    super::read(&document.body, &document.source_map, smart, keep);
                Parsed {
                    outline: Arc::new(outline),
                    events: events.map(Arc::from),
                    key,
                }
            })
            .collect();
        if let Some(parses) = parses {
            *parses.lock() = parsed
                .iter()
                .map(|parsed| (parsed.key, parsed.clone()))
                .collect();
        }
        parsed
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Fp, Parsed>> {
        self.kept.lock().unwrap_or_else(|err| err.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document(path: &str, body: &str) -> Document {
        Document {
            path: path.to_string(),
            body: body.to_string(),
            ..Document::default()
        }
    }

    #[test]
    fn a_second_build_parses_only_the_pages_whose_text_changed() {
        let parses = Parses::default();
        let first = [
            document("a.md", "# A\n\nOne.\n"),
            document("b.md", "# B\n\nTwo.\n"),
        ];
        let before = Parses::read_all(Some(&parses), &first, true, true);
        let second = [
            document("a.md", "# A\n\nOne.\n"),
            document("b.md", "# B\n\nTwo, changed.\n"),
        ];
        let after = Parses::read_all(Some(&parses), &second, true, true);
        assert!(
            Arc::ptr_eq(&before[0].outline, &after[0].outline),
            "a.md is kept"
        );
        assert!(
            !Arc::ptr_eq(&before[1].outline, &after[1].outline),
            "b.md is read again"
        );
        assert_ne!(before[1].key, after[1].key);
        // Other parser options are another parse.
        let plain = Parses::read_all(Some(&parses), &second, false, true);
        assert!(!Arc::ptr_eq(&after[0].outline, &plain[0].outline));
        // Without a store nothing is kept, and the outline is the same.
        let alone = Parses::read_all(None, &second, true, true);
        assert_eq!(alone[1].outline.headings, after[1].outline.headings);
    }
}
