//! Heading anchors identical to GitHub's: lowercase, punctuation dropped, spaces to `-`,
//! Unicode letters kept, and `-1`, `-2` … appended to repeats within a page.

use std::collections::HashMap;

use unicode_properties::{GeneralCategory, GeneralCategoryGroup, UnicodeGeneralCategory};

/// Hands out unique anchors for one page, in document order.
#[derive(Default)]
pub struct Slugger {
    seen: HashMap<String, u32>,
}

impl Slugger {
    /// A slugger with room for `anchors` anchors.
    pub fn with_capacity(anchors: usize) -> Slugger {
        Slugger {
            seen: HashMap::with_capacity(anchors),
        }
    }

    /// The anchor for a heading with this text.
    pub fn slug(&mut self, text: &str) -> String {
        self.unique(slug(text))
    }

    /// Records an explicit `{#id}` so later headings do not take it.
    pub fn reserve(&mut self, id: String) -> String {
        self.unique(id)
    }

    /// github-slugger's rule: a repeat takes the base's next free number.
    fn unique(&mut self, base: String) -> String {
        // Most anchors are new: one lookup and one copy (the print page slugs every
        // heading of the book on one thread).
        if !self.seen.contains_key(&base) {
            self.seen.insert(base.clone(), 0);
            return base;
        }
        let mut candidate = base.clone();
        while self.seen.contains_key(&candidate) {
            let count = self.seen.get_mut(&base).expect("the base was seen first");
            *count += 1;
            candidate = format!("{base}-{count}");
        }
        self.seen.insert(candidate.clone(), 0);
        candidate
    }
}

/// GitHub's slug of a heading's text, without de-duplication.
pub fn slug(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            '-' => Some(c),
            c if kept(c) => Some(c),
            _ => None,
        })
        .collect()
}

/// github-slugger keeps letters, marks, decimal and letter numbers and connector
/// punctuation (`_`); it drops other punctuation, symbols and other numbers (`²`).
fn kept(c: char) -> bool {
    // Most headings are ASCII: answer those without the Unicode tables.
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || c == '_';
    }
    kept_by_category(c)
}

fn kept_by_category(c: char) -> bool {
    match c.general_category() {
        GeneralCategory::DecimalNumber
        | GeneralCategory::LetterNumber
        | GeneralCategory::ConnectorPunctuation => true,
        GeneralCategory::OtherNumber => c.is_alphabetic(),
        _ => matches!(
            c.general_category_group(),
            GeneralCategoryGroup::Letter | GeneralCategoryGroup::Mark
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ascii_shortcut_agrees_with_the_unicode_tables() {
        for c in (0u8..128).map(char::from) {
            assert_eq!(kept(c), kept_by_category(c), "{c:?}");
        }
    }

    #[test]
    fn matches_github() {
        assert_eq!(slug("Hello, World!"), "hello-world");
        assert_eq!(
            slug("What \"production ready\" means"),
            "what-production-ready-means"
        );
        assert_eq!(
            slug("Fault tolerance & disaster recovery"),
            "fault-tolerance--disaster-recovery"
        );
        assert_eq!(slug("Überblick über Ärger"), "überblick-über-ärger");
        assert_eq!(slug("snake_case and `code`"), "snake_case-and-code");
        assert_eq!(slug("हिन्दी भाषा"), "हिन्दी-भाषा");
        assert_eq!(slug("Area in m²"), "area-in-m");
        assert_eq!(slug("Before -- after"), "before----after");
        assert_eq!(slug("a – b"), "a--b");
    }

    #[test]
    fn repeats_are_numbered() {
        let mut slugger = Slugger::default();
        let ids: Vec<String> = ["A", "A", "A-1", "A"]
            .iter()
            .map(|t| slugger.slug(t))
            .collect();
        assert_eq!(ids, ["a", "a-1", "a-1-1", "a-2"]);
    }
}
