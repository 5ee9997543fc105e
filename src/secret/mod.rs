//! Secret scanning: credentials in a file's text, found and redacted where the file is
//! read (ADR 0014). `load` runs a `Scanner` over every page, SUMMARY.md and data file
//! as it reads it, reports each credential as a `secret` finding, and hands the later
//! stages only the redacted text; the human report redacts the lines it quotes from disk.
//! So no model, page, cache entry or report ever holds a credential.
//!
//! Redaction keeps every position: each redacted character becomes one `x` (whitespace
//! and line breaks stay), so the text has the same lines, columns and byte offsets as
//! the file, and the source maps and finding positions made from it stay true. `x`, not
//! `.` or `*`: markdown reads neither emphasis nor an ellipsis into it, and a run of
//! `xxxx` is a placeholder to every detector, so redacted text is never found again.

mod detect;
mod generic;
mod judge;

use std::collections::HashSet;
use std::ops::Range;

use crate::config::Policy;
use crate::finding::{Finding, LineIndex, Position, Rule};

/// The kind of credential a detector recognises.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    AwsAccessKey,
    AwsSecretKey,
    GithubToken,
    GitlabToken,
    SlackToken,
    SlackWebhook,
    StripeKey,
    PrivateKey,
    Jwt,
    UrlPassword,
    Assigned,
}

impl Kind {
    /// What the finding calls it.
    fn what(self) -> &'static str {
        match self {
            Kind::AwsAccessKey => "an AWS access key id",
            Kind::AwsSecretKey => "an AWS secret access key",
            Kind::GithubToken => "a GitHub token",
            Kind::GitlabToken => "a GitLab access token",
            Kind::SlackToken => "a Slack token",
            Kind::SlackWebhook => "a Slack webhook URL",
            Kind::StripeKey => "a Stripe live key",
            Kind::PrivateKey => "a private key",
            Kind::Jwt => "a JSON Web Token",
            Kind::UrlPassword => "a password in a URL",
            Kind::Assigned => "a credential given to a key",
        }
    }

    /// Stable, for fingerprints.
    fn id(self) -> &'static str {
        match self {
            Kind::AwsAccessKey => "aws-access-key",
            Kind::AwsSecretKey => "aws-secret-key",
            Kind::GithubToken => "github",
            Kind::GitlabToken => "gitlab",
            Kind::SlackToken => "slack",
            Kind::SlackWebhook => "slack-webhook",
            Kind::StripeKey => "stripe",
            Kind::PrivateKey => "private-key",
            Kind::Jwt => "jwt",
            Kind::UrlPassword => "url-password",
            Kind::Assigned => "assigned",
        }
    }

    /// Which of two overlapping finds stands: a known format over a generic one.
    fn rank(self) -> u8 {
        match self {
            Kind::Assigned => 0,
            Kind::UrlPassword => 1,
            Kind::AwsSecretKey => 2,
            _ => 3,
        }
    }
}

/// One credential in a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Leak {
    pub kind: Kind,
    /// The bytes redacted, always ASCII: the credential itself.
    span: Range<usize>,
    /// How many bytes at the start of `span` stay readable (`AKIA`, `ghp_`).
    keep: usize,
    /// Where the finding points (the start of a private key's `-----BEGIN` line).
    pub at: usize,
    /// The credential as reports show it: its context and kept prefix, then `…REDACTED`.
    shown: String,
}

impl Leak {
    /// The `secret` finding for this leak in `file` at `position`.
    pub fn finding(&self, file: &str, position: Position) -> Finding {
        Finding::new(
            Rule::Secret,
            file,
            format!("this looks like {}: `{}`", self.kind.what(), self.shown),
        )
        .at(position)
        .key(format!("{} {}", self.kind.id(), self.shown))
        .help(HELP)
    }
}

const HELP: &str = "remove it from the file and revoke it: it is in the repository's history. Keep credentials in a secret store and write a placeholder (`<your-token>`, `$TOKEN`); a documented example value goes in `[policy.secret] allow` in book.toml. The site and every report show it redacted";

/// What to look for, from book.toml's `[policy]`: whether to scan at all, and the
/// example values that are not credentials.
#[derive(Clone, Debug)]
pub struct Scanner {
    enabled: bool,
    allow: HashSet<String>,
}

impl Default for Scanner {
    /// Scans with no allow-list: for text whose book.toml could not be read.
    fn default() -> Scanner {
        Scanner {
            enabled: true,
            allow: HashSet::new(),
        }
    }
}

impl Scanner {
    /// The scanner `[policy] secrets` and `[policy.secret] allow` ask for.
    pub fn new(policy: &Policy) -> Scanner {
        Scanner {
            enabled: policy.secrets,
            allow: policy.secret.allow.iter().cloned().collect(),
        }
    }

    /// Whether `[policy] secrets` asks for scanning at all.
    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// The credentials in `text`, in text order, none overlapping, none allowed.
    pub fn scan(&self, text: &str) -> Vec<Leak> {
        if !self.enabled {
            return Vec::new();
        }
        let mut leaks = detect::leaks(text);
        leaks.retain(|leak| !self.allow.contains(&text[leak.span.clone()]));
        leaks
    }

    /// Scans `text` and redacts what it finds, in place; returns what it found.
    pub fn scrub(&self, text: &mut String) -> Vec<Leak> {
        let leaks = self.scan(text);
        redact(text, &leaks);
        leaks
    }

    /// Redacts the text of `file` (named as findings name it) in place, with a finding
    /// at each credential's line and column.
    pub fn scrub_file(&self, text: &mut String, file: &str, findings: &mut Vec<Finding>) {
        self.scrub_mapped(text, file, findings, |lines, offset| lines.position(offset));
    }

    /// `scrub_file` for a text whose positions in the file `position` gives (a page's
    /// body, through its source map).
    pub fn scrub_mapped(
        &self,
        text: &mut String,
        file: &str,
        findings: &mut Vec<Finding>,
        position: impl Fn(&LineIndex<'_>, usize) -> Position,
    ) {
        let leaks = self.scan(text);
        if leaks.is_empty() {
            return;
        }
        let lines = LineIndex::new(text);
        findings.extend(
            leaks
                .iter()
                .map(|leak| leak.finding(file, position(&lines, leak.at))),
        );
        redact(text, &leaks);
    }
}

/// Replaces each leak's credential in `text`, keeping its length, lines and columns.
pub fn redact(text: &mut String, leaks: &[Leak]) {
    for leak in leaks {
        let masked = mask(&text[leak.span.clone()], leak.keep, leak.kind);
        text.replace_range(leak.span.clone(), &masked);
    }
}

/// What each redacted character becomes.
const FILL: u8 = b'x';
/// The marker a redacted credential carries, at the end of its first long enough run.
const MARK: &[u8] = b"REDACTED";

/// `secret` with every character after the first `keep` bytes turned into `x`, except
/// whitespace; in a private key only the base64 characters go, so the text around them
/// (quotes, `\n` escapes, a blockquote's `>`) still parses. The first run of eight or
/// more of them ends in `REDACTED`.
fn mask(secret: &str, keep: usize, kind: Kind) -> String {
    let mut out = secret.as_bytes().to_vec();
    let mut first: Option<Range<usize>> = None;
    let mut run: Option<usize> = None;
    let mut close = |run: &mut Option<usize>, end: usize| {
        if let Some(start) = run.take()
            && first.is_none()
            && end - start >= MARK.len()
        {
            first = Some(start..end);
        }
    };
    let mut index = keep.min(out.len());
    while index < out.len() {
        let byte = out[index];
        if kind == Kind::PrivateKey && byte == b'\\' {
            close(&mut run, index);
            index += 2;
            continue;
        }
        let hidden = if kind == Kind::PrivateKey {
            judge::is_base64(byte)
        } else {
            !byte.is_ascii_whitespace()
        };
        if hidden {
            out[index] = FILL;
            run.get_or_insert(index);
        } else {
            close(&mut run, index);
        }
        index += 1;
    }
    close(&mut run, out.len());
    if let Some(range) = first {
        out[range.end - MARK.len()..range.end].copy_from_slice(MARK);
    }
    // Detectors only report ASCII spans, so every byte written is one character.
    String::from_utf8(out).unwrap_or_else(|_| "x".repeat(secret.chars().count()))
}

/// `text` with its credentials redacted as `load` redacts them: for text read again
/// from disk (the human report's quoted lines).
pub fn redacted(scanner: &Scanner, text: &str) -> String {
    let mut text = text.to_string();
    scanner.scrub(&mut text);
    text
}

#[cfg(test)]
mod tests;
