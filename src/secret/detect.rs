//! The search and the detectors of known formats. One multi-pattern search (aho-corasick,
//! with its SIMD prefilter) finds every place where a credential could start: a known
//! token prefix, a private key's `PRIVATE KEY`, a JWT's `eyJ`, or a word such as
//! `password` or `token`, and a second one every URL's `://`; each hit is then judged by
//! the detector it belongs to (the last two kinds by `generic.rs`). Text with none of
//! them costs one pass of each prefilter.

use std::ops::Range;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};

use super::generic::{assigned, url_password};
use super::judge::{base64url, classes, entropy, is_base64, placeholder};
use super::{Kind, Leak};

/// What a search hit starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Start {
    Aws,
    /// `ghp_` and its kin, four bytes.
    Github,
    GithubPat,
    Gitlab,
    Slack,
    SlackHook,
    Stripe,
    Pem,
    Jwt,
    /// A word naming a credential, which an assignment may follow.
    Word(Word),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Word {
    Password,
    Secret,
    Token,
    ApiKey,
    Authorization,
}

/// Every search pattern and what it starts. Words come in the three cases code writes
/// them in (`password`, `dbPassword`, `DB_PASSWORD`): a case-blind search would lose the
/// prefilter.
const PATTERNS: &[(&str, Start)] = &[
    ("AKIA", Start::Aws),
    ("ASIA", Start::Aws),
    ("ghp_", Start::Github),
    ("gho_", Start::Github),
    ("ghu_", Start::Github),
    ("ghs_", Start::Github),
    ("ghr_", Start::Github),
    ("github_pat_", Start::GithubPat),
    ("glpat-", Start::Gitlab),
    ("xoxa-", Start::Slack),
    ("xoxb-", Start::Slack),
    ("xoxp-", Start::Slack),
    ("xoxr-", Start::Slack),
    ("hooks.slack.com/services/", Start::SlackHook),
    ("sk_live_", Start::Stripe),
    ("rk_live_", Start::Stripe),
    // Not `-----BEGIN`: markdown is full of `---`, and every one would be a hit.
    ("PRIVATE KEY", Start::Pem),
    ("eyJ", Start::Jwt),
    ("password", Start::Word(Word::Password)),
    ("Password", Start::Word(Word::Password)),
    ("PASSWORD", Start::Word(Word::Password)),
    ("passwd", Start::Word(Word::Password)),
    ("Passwd", Start::Word(Word::Password)),
    ("PASSWD", Start::Word(Word::Password)),
    ("secret", Start::Word(Word::Secret)),
    ("Secret", Start::Word(Word::Secret)),
    ("SECRET", Start::Word(Word::Secret)),
    ("token", Start::Word(Word::Token)),
    ("Token", Start::Word(Word::Token)),
    ("TOKEN", Start::Word(Word::Token)),
    ("api_key", Start::Word(Word::ApiKey)),
    ("api-key", Start::Word(Word::ApiKey)),
    ("apikey", Start::Word(Word::ApiKey)),
    ("apiKey", Start::Word(Word::ApiKey)),
    ("ApiKey", Start::Word(Word::ApiKey)),
    ("Api-Key", Start::Word(Word::ApiKey)),
    ("API_KEY", Start::Word(Word::ApiKey)),
    ("API-KEY", Start::Word(Word::ApiKey)),
    ("APIKEY", Start::Word(Word::ApiKey)),
    ("authorization", Start::Word(Word::Authorization)),
    ("Authorization", Start::Word(Word::Authorization)),
    ("AUTHORIZATION", Start::Word(Word::Authorization)),
];

static SEARCH: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostFirst)
        .build(PATTERNS.iter().map(|(pattern, _)| pattern))
        .expect("the patterns are fixed and valid")
});

/// `://`, searched on its own: alone it takes the SIMD substring search, a small part
/// of what it costs in the set above (measured with the corpus of bench/gen_corpus.py).
static URLS: LazyLock<AhoCorasick> =
    LazyLock::new(|| AhoCorasick::new(["://"]).expect("a fixed, valid pattern"));

/// The credentials in `text`, in text order, none overlapping.
pub fn leaks(text: &str) -> Vec<Leak> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    for hit in SEARCH.find_iter(text) {
        let (start, end) = (hit.start(), hit.end());
        let leak = match PATTERNS[hit.pattern().as_usize()].1 {
            Start::Aws => aws_key(bytes, start),
            Start::Github => token(bytes, start, end, Kind::GithubToken, 36, alnum),
            Start::GithubPat => token(bytes, start, end, Kind::GithubToken, 40, word_char),
            Start::Gitlab => token(bytes, start, end, Kind::GitlabToken, 20, gitlab_char),
            Start::Slack => slack(bytes, start, end),
            Start::SlackHook => slack_hook(bytes, end),
            Start::Stripe => token(bytes, start, end, Kind::StripeKey, 20, alnum),
            Start::Pem => private_key(text, start),
            Start::Jwt => jwt(bytes, start),
            Start::Word(word) => assigned(bytes, start, end, word),
        };
        found.extend(leak);
    }
    for hit in URLS.find_iter(text) {
        found.extend(url_password(bytes, hit.start(), hit.end()));
    }
    if found.iter().any(|leak| leak.kind == Kind::AwsAccessKey) {
        let keys: Vec<usize> = found
            .iter()
            .filter(|leak| leak.kind == Kind::AwsAccessKey)
            .map(|leak| leak.at)
            .collect();
        for at in keys {
            found.extend(aws_secrets_near(bytes, at));
        }
    }
    without_overlaps(found)
}

/// Keeps, of finds that overlap, the one of the more specific kind (else the first).
fn without_overlaps(mut found: Vec<Leak>) -> Vec<Leak> {
    found.sort_by_key(|leak| leak.span.start);
    let mut kept: Vec<Leak> = Vec::with_capacity(found.len());
    for leak in found {
        match kept.last_mut() {
            // Sorted by start, a find can only overlap the last one kept.
            Some(last) if leak.span.start < last.span.end => {
                if leak.kind.rank() > last.kind.rank() {
                    *last = leak;
                }
            }
            _ => kept.push(leak),
        }
    }
    kept
}

fn alnum(byte: u8) -> bool {
    byte.is_ascii_alphanumeric()
}

fn word_char(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

fn gitlab_char(byte: u8) -> bool {
    word_char(byte) || byte == b'-'
}

/// The end of the run of bytes from `from` that `keep` accepts, `most` bytes at most:
/// every run is bounded, so that no text makes a search quadratic.
pub(super) fn run(bytes: &[u8], from: usize, most: usize, keep: impl Fn(u8) -> bool) -> usize {
    from + bytes[from.min(bytes.len())..]
        .iter()
        .take(most)
        .take_while(|byte| keep(**byte))
        .count()
}

/// The longest token looked at; anything longer is not one.
const LONGEST: usize = 256;
/// The longest JWT part looked at.
const LONGEST_PART: usize = 8192;
/// The longest key name looked at (`spring.datasource.password` is 26).
pub(super) const LONGEST_KEY: usize = 128;

/// Whether a token may start at `start`: not in the middle of a word.
fn starts_word(bytes: &[u8], start: usize) -> bool {
    start == 0 || !bytes[start - 1].is_ascii_alphanumeric()
}

/// The leak of a token whose credential runs from `start`.
pub(super) fn leak(
    kind: Kind,
    span: Range<usize>,
    keep: usize,
    bytes: &[u8],
    context: &str,
) -> Leak {
    let kept = String::from_utf8_lossy(&bytes[span.start..span.start + keep]);
    Leak {
        kind,
        at: span.start,
        shown: format!("{context}{kept}…REDACTED"),
        span,
        keep,
    }
}

/// `AKIA` or `ASIA` and 16 uppercase letters or digits.
fn aws_key(bytes: &[u8], start: usize) -> Option<Leak> {
    let end = run(bytes, start + 4, 17, |byte| {
        byte.is_ascii_uppercase() || byte.is_ascii_digit()
    });
    let body = &bytes[start + 4..end];
    let ok = starts_word(bytes, start)
        && body.len() == 16
        && !bytes.get(end).is_some_and(u8::is_ascii_alphanumeric)
        && !placeholder(body)
        && entropy(body) >= 3.0;
    ok.then(|| leak(Kind::AwsAccessKey, start..end, 4, bytes, ""))
}

/// How far from an access key id its secret key is looked for, at most.
const NEAR: usize = 1024;

/// A 40-character secret access key within three lines of the access key id at `at`.
fn aws_secrets_near(bytes: &[u8], at: usize) -> Vec<Leak> {
    // Long lines are cut: the key is a line or two away, not a kilobyte.
    let (low, high) = (at.saturating_sub(NEAR), (at + NEAR).min(bytes.len()));
    let line_start = |at: usize| {
        bytes[low..at]
            .iter()
            .rposition(|byte| *byte == b'\n')
            .map_or(low, |index| low + index + 1)
    };
    let line_end = |at: usize| {
        bytes[at..high]
            .iter()
            .position(|byte| *byte == b'\n')
            .map_or(high, |index| at + index)
    };
    let (mut from, mut to) = (line_start(at), line_end(at));
    for _ in 0..3 {
        if from > low {
            from = line_start(from - 1);
        }
        if to < high {
            to = line_end(to + 1);
        }
    }
    let secret_char = |byte: u8| byte.is_ascii_alphanumeric() || byte == b'/' || byte == b'+';
    let mut found = Vec::new();
    let mut index = from;
    while index < to {
        if !secret_char(bytes[index]) {
            index += 1;
            continue;
        }
        let end = run(bytes, index, to - index, secret_char);
        let value = &bytes[index..end];
        // Followed by `=`, it is the middle of a longer base64 text.
        if value.len() == 40
            && bytes.get(end) != Some(&b'=')
            && classes(value) >= 3
            && !placeholder(value)
            && entropy(value) >= 4.0
        {
            found.push(leak(Kind::AwsSecretKey, index..end, 0, bytes, ""));
        }
        index = end;
    }
    found
}

/// A token: its prefix (`start..body`) and at least `least` bytes that `keep` accepts.
fn token(
    bytes: &[u8],
    start: usize,
    body: usize,
    kind: Kind,
    least: usize,
    keep: fn(u8) -> bool,
) -> Option<Leak> {
    let mut end = run(bytes, body, LONGEST, keep);
    while end > body && matches!(bytes[end - 1], b'-' | b'_') {
        end -= 1;
    }
    let value = &bytes[body..end];
    let ok = starts_word(bytes, start)
        && value.len() >= least
        && !placeholder(value)
        && entropy(value) >= 3.0;
    ok.then(|| leak(kind, start..end, body - start, bytes, ""))
}

/// `xoxb-` and the like, then numbers and letters in `-`-separated parts.
fn slack(bytes: &[u8], start: usize, body: usize) -> Option<Leak> {
    let end = run(bytes, body, LONGEST, |byte| {
        byte.is_ascii_alphanumeric() || byte == b'-'
    });
    let value = &bytes[body..end];
    let ok = starts_word(bytes, start)
        && value.len() >= 10
        && value.iter().any(u8::is_ascii_digit)
        && value.contains(&b'-')
        && !placeholder(value)
        && entropy(value) >= 3.0;
    ok.then(|| leak(Kind::SlackToken, start..end, body - start, bytes, ""))
}

/// `hooks.slack.com/services/T…/B…/…`: the path is the credential.
fn slack_hook(bytes: &[u8], body: usize) -> Option<Leak> {
    let end = run(bytes, body, LONGEST, |byte| {
        byte.is_ascii_alphanumeric() || byte == b'/'
    });
    let value = &bytes[body..end];
    let parts: Vec<&[u8]> = value.split(|byte| *byte == b'/').collect();
    let ok = parts.len() == 3
        && parts[2].len() >= 16
        && !placeholder(parts[2])
        && entropy(parts[2]) >= 3.0;
    ok.then(|| {
        leak(
            Kind::SlackWebhook,
            body..end,
            0,
            bytes,
            "https://hooks.slack.com/services/",
        )
    })
}

/// How far after `-----BEGIN` a private key's end is looked for.
const PEM_REACH: usize = 16 * 1024;

/// `-----BEGIN … PRIVATE KEY-----` (the search finds `PRIVATE KEY` at `hit`) and a body
/// of at least 64 base64 characters, up to
/// `-----END` (or, without one, as long as its lines look like base64).
fn private_key(text: &str, hit: usize) -> Option<Leak> {
    const BEGIN: &[u8] = b"-----BEGIN ";
    let bytes = text.as_bytes();
    let from = hit.saturating_sub(48);
    let start = from
        + bytes[from..hit]
            .windows(BEGIN.len())
            .rposition(|window| window == BEGIN)?;
    let label = start + BEGIN.len();
    let label_end = run(bytes, label, 64, |byte| {
        byte.is_ascii_uppercase() || byte.is_ascii_digit() || byte == b' '
    });
    let name = &text[label..label_end];
    if !name.contains("PRIVATE KEY") || !text[label_end..].starts_with("-----") {
        return None;
    }
    let body = label_end + 5;
    let reach = &text[body..(body + PEM_REACH).min(text.len())];
    // A body holds no `-----`: the next one is its end line, or it has none.
    let end = match reach.find("-----") {
        Some(offset) if reach[offset..].starts_with("-----END ") => body + offset,
        Some(offset) => body + loose_body(&reach[..offset]),
        None => body + loose_body(reach),
    };
    let value = &bytes[body..end];
    let base64 = value.iter().filter(|byte| is_base64(**byte)).count();
    let ok = value.is_ascii() && base64 >= 64 && !placeholder_body(value) && entropy(value) >= 4.0;
    ok.then(|| {
        let mut leak = leak(Kind::PrivateKey, body..end, 0, bytes, &text[start..body]);
        leak.at = start;
        leak
    })
}

/// A key body without an end line: the rest of the first line, then every line that is
/// base64 (or a `Name: value` header, before the base64 starts).
fn loose_body(reach: &str) -> usize {
    let mut end = reach.find('\n').map_or(reach.len(), |index| index + 1);
    let mut seen_base64 = false;
    for line in reach[end..].split_inclusive('\n') {
        let trimmed = line.trim();
        let base64 = !trimmed.is_empty() && trimmed.bytes().all(is_base64);
        if base64 {
            seen_base64 = true;
        } else if seen_base64 || !trimmed.contains(':') {
            break;
        }
        end += line.len();
    }
    end
}

/// A key body that stands for one: `...`, `…`, `xxxx`, `<key>`, a redacted one.
fn placeholder_body(value: &[u8]) -> bool {
    let text = String::from_utf8_lossy(value).to_ascii_lowercase();
    ["...", "xxxx", "<", "redacted", "example"]
        .iter()
        .any(|part| text.contains(part))
}

/// Three base64url parts joined by `.`, the first decoding to a JSON object with
/// `"alg"`: a JWT's header.
fn jwt(bytes: &[u8], start: usize) -> Option<Leak> {
    let url_char = |byte: u8| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_';
    if start > 0 && (url_char(bytes[start - 1]) || bytes[start - 1] == b'.') {
        return None;
    }
    let header_end = run(bytes, start, LONGEST_PART, url_char);
    if bytes.get(header_end) != Some(&b'.') {
        return None;
    }
    let payload_end = run(bytes, header_end + 1, LONGEST_PART, url_char);
    if payload_end - header_end - 1 < 10 || bytes.get(payload_end) != Some(&b'.') {
        return None;
    }
    let end = run(bytes, payload_end + 1, LONGEST_PART, url_char);
    let header = base64url(&bytes[start..header_end])?;
    let header = std::str::from_utf8(&header).ok()?;
    if !header.trim_start().starts_with('{') || !header.contains("\"alg\"") {
        return None;
    }
    Some(leak(
        Kind::Jwt,
        start..end,
        header_end + 1 - start,
        bytes,
        "",
    ))
}
