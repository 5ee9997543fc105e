//! The inverted index: each term's documents with a score, cut to the best, in shards
//! by the term's first two characters.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;

use super::documents::Doc;

/// The most documents a term lists: the best by score. A word on nearly every page then
/// costs a query no more than a rarer one (ADR 0015).
pub const MOST_POSTINGS: usize = 200;

/// A term is indexed when it has this many characters or more, and at most `LONGEST`.
const SHORTEST: usize = 2;
const LONGEST: usize = 32;

/// Scores of a term by where in a document it is; the title outranks every other field,
/// a heading or the record's fields outrank the body.
const IN_TITLE: u16 = 100;
const IN_META: u16 = 40;
const IN_HEADING: u16 = 20;
const MOST_IN_BODY: u16 = 10;

/// The terms of `text`: lowercased, split at every character that is not a letter or a
/// digit, from 2 to 32 characters. `search.js` splits queries the same way.
pub fn terms(text: &str) -> impl Iterator<Item = String> {
    let lower = text.to_lowercase();
    let terms: Vec<String> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|term| (SHORTEST..=LONGEST).contains(&term.chars().count()))
        .map(str::to_string)
        .collect();
    terms.into_iter()
}

/// The shard a term is in: its first two characters.
pub fn shard_key(term: &str) -> String {
    term.chars().take(SHORTEST).collect()
}

/// The shard's file name: the key itself when it is ASCII letters and digits, else
/// `_` and the key's UTF-8 bytes in hex (as `search.js` names it).
pub fn shard_name(key: &str) -> String {
    if key
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    {
        key.to_string()
    } else {
        let mut name = String::from("_");
        for byte in key.bytes() {
            name.push_str(&format!("{byte:02x}"));
        }
        name
    }
}

/// The score of each term of one document.
fn scores(doc: &Doc) -> Vec<(String, u16)> {
    let mut scores: HashMap<String, [u16; 4]> = HashMap::new();
    let mut mark = |text: &str, field: usize| {
        for term in terms(text) {
            let counts = scores.entry(term).or_default();
            counts[field] = counts[field].saturating_add(1);
        }
    };
    mark(&doc.title, 0);
    mark(&doc.meta, 1);
    for section in &doc.sections {
        mark(&section.heading, 2);
        mark(&section.text, 3);
    }
    let mut scores: Vec<(String, u16)> = scores
        .into_iter()
        .map(|(term, [title, meta, heading, body])| {
            let score = u16::from(title > 0) * IN_TITLE
                + u16::from(meta > 0) * IN_META
                + u16::from(heading > 0) * IN_HEADING
                + body.min(MOST_IN_BODY);
            (term, score)
        })
        .collect();
    scores.sort_unstable();
    scores
}

/// One term's documents: `(document number, score)`, by document number.
pub type Postings = Vec<(u32, u16)>;

/// Every term's postings, in shards by key, each shard's terms sorted.
pub fn build(docs: &[Doc]) -> BTreeMap<String, Vec<(String, Postings)>> {
    let per_doc: Vec<Vec<(String, u16)>> = docs.par_iter().map(scores).collect();
    let mut by_term: HashMap<String, Postings> = HashMap::new();
    for (number, scores) in per_doc.into_iter().enumerate() {
        for (term, score) in scores {
            let number = u32::try_from(number).unwrap_or(u32::MAX);
            match by_term.get_mut(&term) {
                Some(postings) => postings.push((number, score)),
                None => {
                    by_term.insert(term, vec![(number, score)]);
                }
            }
        }
    }
    let mut terms: Vec<(String, Postings)> = by_term.into_par_iter().map(best).collect();
    terms.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut shards: BTreeMap<String, Vec<(String, Postings)>> = BTreeMap::new();
    for (term, postings) in terms {
        shards
            .entry(shard_key(&term))
            .or_default()
            .push((term, postings));
    }
    shards
}

/// A term's best `MOST_POSTINGS` documents (higher score first, then the earlier
/// document), back in document order.
fn best((term, mut postings): (String, Postings)) -> (String, Postings) {
    if postings.len() > MOST_POSTINGS {
        postings.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        postings.truncate(MOST_POSTINGS);
        postings.sort_unstable();
    }
    (term, postings)
}

/// A shard's script: `shipshapeSearch.terms(key, {term: [gap, score, gap, score, …]})`,
/// where each gap is the document number less the previous one's.
pub fn shard_script(key: &str, terms: &[(String, Postings)]) -> String {
    let mut out = String::from("shipshapeSearch.terms(");
    out.push_str(&json(key));
    out.push_str(",{");
    for (index, (term, postings)) in terms.iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        out.push_str(&json(term));
        out.push_str(":[");
        let mut previous = 0;
        for (at, (number, score)) in postings.iter().enumerate() {
            if at > 0 {
                out.push(',');
            }
            out.push_str(&format!("{},{score}", number - previous));
            previous = *number;
        }
        out.push(']');
    }
    out.push_str("});\n");
    out
}

/// A string as a JSON (and so JavaScript) string literal.
pub fn json(text: &str) -> String {
    script_safe(serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into()))
}

/// JSON with every `<` written `\u003c`, the same value, so that no text from the
/// handbook reads as a tag even if a script is ever inlined into a page.
pub fn script_safe(json: String) -> String {
    if json.contains('<') {
        json.replace('<', "\\u003c")
    } else {
        json
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_split_at_anything_but_letters_and_digits() {
        let found: Vec<String> =
            terms("Payments-API: HighErrorRate, a 0014 Über_cache x").collect();
        assert_eq!(
            found,
            ["payments", "api", "higherrorrate", "0014", "über", "cache"]
        );
    }

    #[test]
    fn shard_names_are_file_names() {
        assert_eq!(shard_name("de"), "de");
        assert_eq!(shard_name("üb"), "_c3bc62");
        assert_eq!(shard_key("über"), "üb");
    }

    #[test]
    fn a_shard_script_lists_gaps_and_scores() {
        let script = shard_script("de", &[("deploy".into(), vec![(3, 100), (10, 2)])]);
        assert_eq!(
            script,
            "shipshapeSearch.terms(\"de\",{\"deploy\":[3,100,7,2]});\n"
        );
    }
}
