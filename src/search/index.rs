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

/// The terms of `text`, already lowercased: split at every character that is not a
/// letter or a digit, from 2 to 32 characters. `search.js` splits queries the same way.
fn split(lower: &str) -> impl Iterator<Item = &str> {
    lower.split(|c: char| !c.is_alphanumeric()).filter(|term| {
        term.len() >= SHORTEST && (term.len() <= LONGEST || term.chars().count() <= LONGEST)
    })
}

/// The terms of `text`, lowercased (`to_lowercase` on the whole text, as the client's
/// `toLowerCase`).
#[cfg(test)]
fn terms(text: &str) -> Vec<String> {
    split(&text.to_lowercase()).map(str::to_string).collect()
}

/// The shard a term is in: its first two characters.
pub fn shard_key(term: &str) -> &str {
    let end = term
        .char_indices()
        .nth(SHORTEST)
        .map_or(term.len(), |(at, _)| at);
    &term[..end]
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

/// A fast hash for short keys (FxHash's multiply and rotate); the maps are never
/// iterated in their own order, so it has no effect on output.
#[derive(Default, Clone, Copy)]
struct Fx(u64);

impl std::hash::Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word))
                .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }

    fn write_u8(&mut self, byte: u8) {
        self.0 = (self.0.rotate_left(5) ^ u64::from(byte)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type FxMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<Fx>>;

/// One document's terms with their scores, sorted, in one string.
pub struct DocTerms {
    text: String,
    /// Each term's end in `text` (it starts where the one before ended), and its score.
    terms: Vec<(u32, u16)>,
}

impl DocTerms {
    fn iter(&self) -> impl Iterator<Item = (&str, u16)> {
        let mut start = 0;
        self.terms.iter().map(move |&(end, score)| {
            let term = &self.text[start..end as usize];
            start = end as usize;
            (term, score)
        })
    }
}

/// The score of each term of one document.
pub fn scores(doc: &Doc) -> DocTerms {
    let mut fields: Vec<(String, usize)> = vec![(doc.title.to_lowercase(), 0)];
    fields.push((doc.meta.to_lowercase(), 1));
    for section in &doc.sections {
        fields.push((section.heading.to_lowercase(), 2));
        fields.push((section.text.to_lowercase(), 3));
    }
    // Sized for a long page's distinct words, so that the map seldom grows.
    let mut counts: FxMap<&str, [u16; 4]> =
        FxMap::with_capacity_and_hasher(1024, Default::default());
    for (text, field) in &fields {
        for term in split(text) {
            let count = &mut counts.entry(term).or_default()[*field];
            *count = count.saturating_add(1);
        }
    }
    let mut scored: Vec<(&str, u16)> = counts
        .into_iter()
        .map(|(term, [title, meta, heading, body])| {
            let score = u16::from(title > 0) * IN_TITLE
                + u16::from(meta > 0) * IN_META
                + u16::from(heading > 0) * IN_HEADING
                + body.min(MOST_IN_BODY);
            (term, score)
        })
        .collect();
    scored.sort_unstable();
    let mut out = DocTerms {
        text: String::with_capacity(scored.iter().map(|(term, _)| term.len()).sum()),
        terms: Vec::with_capacity(scored.len()),
    };
    for (term, score) in scored {
        out.text.push_str(term);
        out.terms
            .push((u32::try_from(out.text.len()).unwrap_or(u32::MAX), score));
    }
    out
}

/// One term's documents: `(document number, score)`, by document number.
pub type Postings = Vec<(u32, u16)>;

/// Every term's documents, all of them (a shard's script lists the best), in shards by
/// key, each shard's terms sorted: what `replace` changes in place.
pub type Shards = BTreeMap<String, Vec<(String, Postings)>>;

/// Every term's postings, in shards by key, each shard's terms sorted.
pub fn build(per_doc: &[&DocTerms]) -> Shards {
    let mut by_term: FxMap<&str, Postings> =
        FxMap::with_capacity_and_hasher(per_doc.len().clamp(1024, 1 << 20), Default::default());
    for (number, terms) in per_doc.iter().enumerate() {
        let number = u32::try_from(number).unwrap_or(u32::MAX);
        for (term, score) in terms.iter() {
            by_term.entry(term).or_default().push((number, score));
        }
    }
    let mut terms: Vec<(&str, Postings)> = by_term.into_iter().collect();
    terms.par_sort_unstable_by(|a, b| a.0.cmp(b.0));
    let mut shards: Shards = BTreeMap::new();
    for (term, postings) in terms {
        match shards.get_mut(shard_key(term)) {
            Some(shard) => shard.push((term.to_string(), postings)),
            None => {
                shards.insert(
                    shard_key(term).to_string(),
                    vec![(term.to_string(), postings)],
                );
            }
        }
    }
    shards
}

/// Document `number`'s terms were `old` and are `new`: its postings change to match, and
/// the keys of the shards that changed are added to `touched`. Terms whose score stayed
/// are left alone, so a one-word edit touches a shard or two.
pub fn replace(
    shards: &mut Shards,
    number: u32,
    old: &DocTerms,
    new: &DocTerms,
    touched: &mut std::collections::BTreeSet<String>,
) {
    let mut old_terms = old.iter().peekable();
    let mut new_terms = new.iter().peekable();
    loop {
        let (gone, came) = match (old_terms.peek(), new_terms.peek()) {
            (None, None) => break,
            (Some(_), None) => (old_terms.next(), None),
            (None, Some(_)) => (None, new_terms.next()),
            (Some(a), Some(b)) => match a.0.cmp(b.0) {
                std::cmp::Ordering::Less => (old_terms.next(), None),
                std::cmp::Ordering::Greater => (None, new_terms.next()),
                std::cmp::Ordering::Equal => (old_terms.next(), new_terms.next()),
            },
        };
        if let (Some(a), Some(b)) = (gone, came)
            && a.1 == b.1
        {
            continue;
        }
        let term = gone.or(came).map(|(term, _)| term).unwrap_or_default();
        let key = shard_key(term);
        touched.insert(key.to_string());
        let shard = shards.entry(key.to_string()).or_default();
        let at = match shard.binary_search_by(|(have, _)| have.as_str().cmp(term)) {
            Ok(at) => at,
            Err(at) => {
                shard.insert(at, (term.to_string(), Vec::new()));
                at
            }
        };
        let postings = &mut shard[at].1;
        match (postings.binary_search_by_key(&number, |&(n, _)| n), came) {
            (Ok(found), Some((_, score))) => postings[found].1 = score,
            (Ok(found), None) => {
                postings.remove(found);
            }
            (Err(slot), Some((_, score))) => postings.insert(slot, (number, score)),
            (Err(_), None) => {}
        }
        if postings.is_empty() {
            shard.remove(at);
        }
        if shard.is_empty() {
            shards.remove(key);
        }
    }
}

/// A term's best `MOST_POSTINGS` documents (higher score first, then the earlier
/// document), back in document order.
fn best(postings: &Postings) -> std::borrow::Cow<'_, Postings> {
    if postings.len() <= MOST_POSTINGS {
        return std::borrow::Cow::Borrowed(postings);
    }
    let mut postings = postings.clone();
    // A total order (document numbers are unique), so the same ones are kept always.
    postings.select_nth_unstable_by(MOST_POSTINGS - 1, |a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    postings.truncate(MOST_POSTINGS);
    postings.sort_unstable();
    std::borrow::Cow::Owned(postings)
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
        for (at, (number, score)) in best(postings).iter().enumerate() {
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
        let found = terms("Payments-API: HighErrorRate, a 0014 Über_cache x");
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

    fn doc(title: &str, body: &str) -> Doc {
        Doc {
            url: format!("{title}.html"),
            title: title.to_string(),
            kind: "",
            meta: String::new(),
            sections: vec![super::super::documents::Section {
                heading: String::new(),
                anchor: String::new(),
                text: body.to_string(),
            }],
        }
    }

    #[test]
    fn replacing_a_document_gives_the_index_built_from_scratch() {
        let before = [
            doc("deploy", "roll back the deploy, then page the owner"),
            doc("alerts", "page the owner when the error budget burns"),
            doc("limits", "rate limits and the deploy queue"),
        ];
        let after = doc("alerts", "escalate when the budget burns twice; rollback");
        let scored: Vec<DocTerms> = before.iter().map(scores).collect();
        let mut shards = build(&scored.iter().collect::<Vec<_>>());
        let replaced = scores(&after);
        let mut touched = std::collections::BTreeSet::new();
        replace(&mut shards, 1, &scored[1], &replaced, &mut touched);
        let fresh = build(&[&scored[0], &replaced, &scored[2]]);
        assert_eq!(shards, fresh);
        assert!(touched.contains("es") && touched.contains("pa") && !touched.contains("li"));
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
