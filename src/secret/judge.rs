//! Whether a candidate value is a credential or something that only looks like one:
//! placeholders, template references, identifiers, words, ids and hashes.

/// Shannon entropy of `value`'s bytes, in bits per byte.
pub fn entropy(value: &[u8]) -> f64 {
    if value.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for byte in value {
        counts[usize::from(*byte)] += 1;
    }
    let length = value.len() as f64;
    counts
        .iter()
        .filter(|count| **count > 0)
        .map(|count| {
            let p = f64::from(*count) / length;
            -p * p.log2()
        })
        .sum()
}

/// The entropy a random value of this length has at the least, give or take: a short
/// value cannot reach the bits a long one does (at most log2 of its length).
pub fn entropy_floor(length: usize) -> f64 {
    ((length as f64).log2() - 1.0).min(3.5)
}

/// Words that stand for a credential in examples, compared in lowercase.
const PLACEHOLDER_WORDS: &[&str] = &[
    "password",
    "passwd",
    "pass",
    "pwd",
    "secret",
    "token",
    "apikey",
    "api_key",
    "changeme",
    "default",
    "admin",
    "root",
    "test",
    "null",
    "none",
    "true",
    "false",
    "undefined",
    "hunter2",
];

/// Parts that mark a value as an example, an elision or a template, compared in
/// lowercase.
const PLACEHOLDER_PARTS: &[&str] = &[
    "example",
    "xxxx",
    "****",
    "...",
    "changeme",
    "change_me",
    "change-me",
    "placeholder",
    "redacted",
    "dummy",
    "sample",
    "your",
    "<",
    ">",
    "{{",
    "}}",
    "${",
    "$(",
    "%(",
    "%s",
];

/// Whether `value` is a placeholder: an example word, a template or variable reference
/// (`${TOKEN}`, `$TOKEN`, `{{ secrets.x }}`, `<your-token>`), `xxxx` or `****`, or one
/// character repeated.
pub fn placeholder(value: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(value) else {
        return true;
    };
    let lower = text.to_ascii_lowercase();
    if PLACEHOLDER_WORDS.contains(&lower.as_str())
        || PLACEHOLDER_PARTS.iter().any(|part| lower.contains(part))
        || text.contains('…')
    {
        return true;
    }
    // A reference, a YAML alias or tag, a hash in crypt(3) form.
    if matches!(
        value.first(),
        Some(b'$' | b'&' | b'*' | b'!' | b'%' | b'{' | b'@')
    ) {
        return true;
    }
    value.iter().all(|byte| Some(byte) == value.first())
}

/// Base64 and base64url characters, with padding.
pub fn is_base64(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'+' | b'/' | b'=' | b'-' | b'_')
}

/// How many of lowercase letters, uppercase letters, digits and other characters
/// `value` has.
pub fn classes(value: &[u8]) -> usize {
    let lower = value.iter().any(u8::is_ascii_lowercase);
    let upper = value.iter().any(u8::is_ascii_uppercase);
    let digit = value.iter().any(u8::is_ascii_digit);
    let other = value.iter().any(|byte| !byte.is_ascii_alphanumeric());
    [lower, upper, digit, other]
        .into_iter()
        .filter(|x| *x)
        .count()
}

/// Whether `value` is made of words: split at `-`, `_` and `.`, every part is letters
/// only, a number of at most four digits (a year, a version), or at most three
/// characters (`v2`). Identifiers (`settings.SECRET_KEY`), names (`db-creds-v2`) and
/// phrases are; random strings almost never are.
pub fn worded(value: &[u8]) -> bool {
    value
        .split(|byte| matches!(byte, b'-' | b'_' | b'.'))
        .all(|part| {
            part.len() <= 3
                || part.iter().all(u8::is_ascii_alphabetic)
                || (part.len() <= 4 && part.iter().all(u8::is_ascii_digit))
        })
}

/// A UUID (8-4-4-4-12 hex digits), or a hex digest of a git SHA-1 or a SHA-256 (40 or
/// 64 hex digits): ids and hashes, which are not credentials.
pub fn id_or_hash(value: &[u8]) -> bool {
    let hex = |part: &[u8]| part.iter().all(u8::is_ascii_hexdigit);
    let uuid = value.len() == 36
        && value
            .split(|byte| *byte == b'-')
            .map(<[u8]>::len)
            .eq([8, 4, 4, 4, 12])
        && hex(&value
            .iter()
            .copied()
            .filter(|b| *b != b'-')
            .collect::<Vec<_>>());
    uuid || (matches!(value.len(), 40 | 64) && hex(value))
}

/// Decodes unpadded base64url (a JWT part); `None` when it is not.
pub fn base64url(part: &[u8]) -> Option<Vec<u8>> {
    let value = |byte: u8| -> Option<u32> {
        Some(match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return None,
        } as u32)
    };
    if part.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(part.len() * 3 / 4);
    for chunk in part.chunks(4) {
        let mut bits = 0u32;
        for byte in chunk {
            bits = bits << 6 | value(*byte)?;
        }
        bits <<= 6 * (4 - chunk.len() as u32);
        let bytes = bits.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entropy_counts_bits_per_byte() {
        assert_eq!(entropy(b""), 0.0);
        assert_eq!(entropy(b"aaaa"), 0.0);
        assert!((entropy(b"abcd") - 2.0).abs() < 1e-9);
        assert!((entropy(b"0123456789abcdef") - 4.0).abs() < 1e-9);
    }

    #[test]
    fn placeholders_and_references_are_not_credentials() {
        for value in [
            "<your-token>",
            "${TOKEN}",
            "$TOKEN",
            "{{ secrets.DEPLOY }}",
            "xxxxxxxxxxxx",
            "************",
            "changeme",
            "Password",
            "my-example-key-123",
            "%(password)s",
            "aaaaaaaaaaaaaaaa",
        ] {
            assert!(placeholder(value.as_bytes()), "{value}");
        }
        assert!(!placeholder(b"q8Fz2LmR0vXc7TnB"));
    }

    #[test]
    fn words_identifiers_and_names_are_worded() {
        for value in [
            "settings.SECRET_KEY",
            "db-creds-v2",
            "my-app-2024",
            "getToken",
        ] {
            assert!(worded(value.as_bytes()), "{value}");
        }
        for value in ["q8Fz2LmR0vXc7TnB", "Winter2024!", "a1b2c3d4e5"] {
            assert!(!worded(value.as_bytes()), "{value}");
        }
    }

    #[test]
    fn uuids_and_digests_are_ids() {
        assert!(id_or_hash(b"123e4567-e89b-12d3-a456-426614174000"));
        assert!(id_or_hash(
            b"3f786850e387550fdab836ed7e6dc881de23001b".as_slice()
        ));
        assert!(!id_or_hash(b"123e4567e89b12d3a456426614174000"));
    }

    #[test]
    fn base64url_decodes_without_padding() {
        assert_eq!(base64url(b"eyJhIjoxfQ").as_deref(), Some(&b"{\"a\":1}"[..]));
        assert_eq!(base64url(b"YQ").as_deref(), Some(&b"a"[..]));
        assert_eq!(base64url(b"Y"), None);
        assert_eq!(base64url(b"Y+"), None);
    }
}
