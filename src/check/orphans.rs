//! `orphan`: a markdown page that no navigation reaches. It is still rendered. A
//! `404.md` is the not-found page, which no navigation is meant to list.

use crate::finding::{Finding, Rule};
use crate::load;
use crate::model::{Handbook, NOT_FOUND_URL};

/// A warning for each page missing from the navigation. Files only ever pulled into
/// other pages with `{{#include}}` are fragments, not orphans.
pub fn check(handbook: &Handbook) -> Vec<Finding> {
    let fragments = handbook.fragments();
    handbook
        .iter()
        .filter(|(id, page)| {
            !handbook.nav.contains(*id) && page.url != NOT_FOUND_URL && !fragments.contains(id)
        })
        .filter_map(|(_, page)| page.markdown())
        .map(|page| {
            let help = format!(
                "list it in {}, or delete it if it is no longer needed",
                handbook.display_path(load::SUMMARY)
            );
            Finding::new(
                Rule::Orphan,
                handbook.display_path(&page.document.path),
                "no navigation reaches this page: readers can only find it through search or links",
            )
            .help(help)
        })
        .collect()
}
