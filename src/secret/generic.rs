//! The generic detectors, for credentials of no known format: a password in a URL, and a
//! random-looking value given to a key that names a credential.

use super::detect::{LONGEST_KEY, Word, leak, run};
use super::judge::{classes, entropy, entropy_floor, id_or_hash, placeholder, worded};
use super::{Kind, Leak};

/// Characters that end a URL's authority (`user:password@host`) in running text.
fn ends_authority(byte: u8) -> bool {
    byte.is_ascii_whitespace()
        || !byte.is_ascii()
        || matches!(
            byte,
            b'/' | b'?'
                | b'#'
                | b'"'
                | b'\''
                | b'`'
                | b'<'
                | b'>'
                | b'\\'
                | b'('
                | b')'
                | b'['
                | b']'
                | b'{'
                | b'}'
                | b'|'
        )
}

/// `scheme://user:password@host`, the password being no placeholder.
pub(super) fn url_password(bytes: &[u8], start: usize, end: usize) -> Option<Leak> {
    let scheme_start = start
        - bytes[..start]
            .iter()
            .rev()
            .take(32)
            .take_while(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'+' | b'.' | b'-'))
            .count();
    let scheme = &bytes[scheme_start..start];
    if scheme.len() < 2 || !scheme[0].is_ascii_alphabetic() {
        return None;
    }
    let authority_end = (end..bytes.len().min(end + 512))
        .find(|index| ends_authority(bytes[*index]))
        .unwrap_or(bytes.len().min(end + 512));
    let authority = &bytes[end..authority_end];
    let at = authority.iter().rposition(|byte| *byte == b'@')?;
    let colon = authority[..at].iter().position(|byte| *byte == b':')?;
    let user = &authority[..colon];
    let password = &authority[colon + 1..at];
    let host = &authority[at + 1..];
    let ok = !password.is_empty()
        && host.first().is_some_and(u8::is_ascii_alphanumeric)
        && password.len() >= 6
        && classes(password) >= 2
        && !password.eq_ignore_ascii_case(user)
        && !placeholder(password);
    ok.then(|| {
        let context = format!(
            "{}://{}:",
            String::from_utf8_lossy(scheme),
            String::from_utf8_lossy(user)
        );
        let span = end + colon + 1..end + at;
        let mut leak = leak(Kind::UrlPassword, span, 0, bytes, &context);
        leak.shown.push('@');
        leak.shown.push_str(&String::from_utf8_lossy(host));
        leak
    })
}

/// Characters of a key name (`db_password`, `spring.datasource.password`, `--token`).
fn key_char(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'-' | b'.')
}

/// What may follow the word in a key that holds a credential: `secret_key`,
/// `secret_access_key`, `secret_token`; `password_file` or `token_url` hold none.
const KEY_ENDINGS: &[&str] = &["", "key", "accesskey", "token", "value"];

/// Whether `rest`, what follows the word in a key, is one of `endings` once its
/// separators are dropped and its letters lowercased (`_access_key` is `accesskey`).
fn ends_as(rest: &[u8], endings: &[&str]) -> bool {
    let letters = rest.iter().filter(|byte| byte.is_ascii_alphanumeric());
    endings.iter().any(|ending| {
        let mut letters = letters.clone();
        ending.bytes().all(|want| {
            letters
                .next()
                .is_some_and(|got| got.to_ascii_lowercase() == want)
        }) && letters.next().is_none()
    })
}

/// Characters that end an unquoted value.
fn ends_value(byte: u8) -> bool {
    byte.is_ascii_whitespace()
        || !byte.is_ascii()
        || matches!(
            byte,
            b',' | b';'
                | b'"'
                | b'\''
                | b'`'
                | b'('
                | b')'
                | b'['
                | b']'
                | b'{'
                | b'}'
                | b'<'
                | b'>'
                | b'|'
                | b'&'
                | b'\\'
        )
}

/// A key naming a credential (`DB_PASSWORD`, `"apiKey"`, `Authorization`), `=` or `:`,
/// and a value that looks random: long enough, of several kinds of characters, of
/// high entropy, and no placeholder, reference, identifier, path, id or hash.
pub(super) fn assigned(bytes: &[u8], start: usize, end: usize, word: Word) -> Option<Leak> {
    let key_end = run(bytes, end, LONGEST_KEY, key_char);
    // Most hits are prose ("rotate the token"): no `=` or `:` after the key ends them
    // before anything else is looked at.
    let after_key = bytes.get(key_end..)?;
    let next = after_key
        .iter()
        .find(|byte| !matches!(byte, b' ' | b'\t' | b'"' | b'\''))?;
    if !matches!(next, b'=' | b':') {
        return None;
    }
    let endings: &[&str] = match word {
        Word::Secret => KEY_ENDINGS,
        Word::Authorization | Word::Password => &[""],
        Word::Token | Word::ApiKey => &["", "value"],
    };
    if !ends_as(&bytes[end..key_end], endings) {
        return None;
    }
    let key_start = start
        - bytes[..start]
            .iter()
            .rev()
            .take(LONGEST_KEY)
            .take_while(|byte| key_char(**byte))
            .count();
    let blank = |byte: &u8| *byte == b' ' || *byte == b'\t';
    let skip_blanks = |at: usize| at + bytes[at..].iter().take_while(|byte| blank(byte)).count();
    let mut at = key_end;
    if matches!(bytes.get(at), Some(b'"' | b'\'')) {
        at += 1;
    }
    at = skip_blanks(at);
    let separator = match (bytes.get(at), bytes.get(at + 1)) {
        (Some(b'='), Some(b'=' | b'~')) | (Some(b':'), Some(b':')) => return None,
        (Some(b'='), Some(b'>')) | (Some(b':'), Some(b'=')) => 2,
        (Some(b'=' | b':'), _) => 1,
        _ => return None,
    };
    at = skip_blanks(at + separator);
    let quote = match bytes.get(at) {
        Some(quote @ (b'"' | b'\'' | b'`')) => {
            at += 1;
            Some(*quote)
        }
        _ => None,
    };
    let scheme_start = at;
    if word == Word::Authorization {
        let scheme = run(bytes, at, 16, |byte| byte.is_ascii_alphabetic());
        if scheme > at && bytes.get(scheme) == Some(&b' ') {
            at = skip_blanks(scheme);
        }
    }
    let value_end = match quote {
        Some(quote) => {
            let close = run(bytes, at, 1025, |byte| byte != quote && byte != b'\n');
            if bytes.get(close) != Some(&quote) {
                return None;
            }
            close
        }
        None => {
            let mut stop = run(bytes, at, 1025, |byte| !ends_value(byte));
            if bytes.get(stop) == Some(&b'(') {
                return None; // a call: `token = get_token()`
            }
            while stop > at && matches!(bytes[stop - 1], b'.' | b':') {
                stop -= 1;
            }
            stop
        }
    };
    let value = &bytes[at..value_end];
    let least = if word == Word::Password { 8 } else { 16 };
    let kinds = if word == Word::Password { 3 } else { 2 };
    // Cheapest first.
    let ok = value.len() >= least
        && value.len() <= 1024
        && value.is_ascii()
        && !value.iter().any(u8::is_ascii_whitespace)
        && !matches!(value[0], b'/' | b'~' | b'.' | b'-')
        && value.iter().any(u8::is_ascii_digit)
        && classes(value) >= kinds
        && !worded(value)
        && !id_or_hash(value)
        && !value.windows(3).any(|part| part == b"://")
        && entropy(value) >= entropy_floor(value.len())
        && !placeholder(value);
    ok.then(|| {
        let key = String::from_utf8_lossy(&bytes[key_start..key_end]);
        let separator = if bytes[key_end..at].contains(&b'=') {
            "="
        } else {
            ": "
        };
        let scheme = String::from_utf8_lossy(&bytes[scheme_start..at]);
        let context = format!("{key}{separator}{}", scheme.trim_end());
        let context = if scheme.trim().is_empty() {
            context
        } else {
            format!("{context} ")
        };
        leak(Kind::Assigned, at..value_end, 0, bytes, &context)
    })
}
