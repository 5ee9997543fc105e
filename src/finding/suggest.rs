//! "Did you mean": the near miss of a misspelt key, rule id or name.

/// Suggests the candidate closest to `input`, when one is close enough to be a likely
/// typo: at most one edit per five characters, plus one.
pub fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let length = input.chars().count();
    let allowed = 1 + length / 5;
    let letters = letter_counts(input);
    candidates
        .into_iter()
        // Cheap bounds first: an edit changes the length by at most one and the letter
        // counts by at most two, so most candidates never reach the full distance.
        .filter(|candidate| candidate.chars().count().abs_diff(length) <= allowed)
        .filter(|candidate| {
            let counts = letter_counts(candidate);
            let differ: u32 = letters
                .iter()
                .zip(&counts)
                .map(|(a, b)| a.abs_diff(*b))
                .sum();
            differ.div_ceil(2) as usize <= allowed
        })
        .map(|candidate| (strsim::damerau_levenshtein(input, candidate), candidate))
        .filter(|(distance, _)| *distance <= allowed)
        .min_by_key(|(distance, candidate)| (*distance, *candidate))
        .map(|(_, candidate)| candidate)
}

/// How often each letter occurs in `text`, in 32 buckets (letters sharing a bucket only
/// make the bound `did_you_mean` takes from it weaker, never wrong).
fn letter_counts(text: &str) -> [u32; 32] {
    let mut counts = [0; 32];
    for c in text.chars() {
        counts[c as usize % 32] += 1;
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_only_for_near_misses() {
        let keys = ["base-url", "theme"];
        assert_eq!(did_you_mean("base_url", keys), Some("base-url"));
        assert_eq!(did_you_mean("colour", keys), None);
        let pages = ["guide/intro.md", "guide/unlisted.md"];
        assert_eq!(did_you_mean("guide/setup.md", pages), None);
        assert_eq!(did_you_mean("guide/intr.md", pages), Some("guide/intro.md"));
    }
}
