//! The value types of book.toml that are more than strings: globs, durations and the
//! site's base URL, each parsed once, with a message that says how to write it.

use std::fmt;

use serde::{Deserialize, Deserializer};

/// A set of globs from book.toml, such as `exclude = ["**/_*.md", "drafts/**"]`.
#[derive(Clone, Debug, Default)]
pub struct Globs {
    set: globset::GlobSet,
    patterns: Vec<String>,
}

impl Globs {
    /// Compiles the patterns; `*` stays within one folder, `**` crosses folders.
    pub fn new(patterns: Vec<String>) -> Result<Globs, String> {
        let mut builder = globset::GlobSetBuilder::new();
        for pattern in &patterns {
            let glob = globset::GlobBuilder::new(pattern)
                .literal_separator(true)
                .build()
                .map_err(|err| {
                    format!(
                        "`{pattern}` is not a glob ({}): write patterns such as `**/_*.md` or `drafts/**`",
                        err.kind()
                    )
                })?;
            builder.add(glob);
        }
        let set = builder
            .build()
            .map_err(|err| format!("the globs do not compile: {err}"))?;
        Ok(Globs { set, patterns })
    }

    /// Whether a `/`-separated relative path matches any pattern.
    pub fn is_match(&self, path: &str) -> bool {
        self.set.is_match(path)
    }

    /// The patterns as written.
    pub fn patterns(&self) -> &[String] {
        &self.patterns
    }

    /// Whether there are no patterns.
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }
}

impl<'de> Deserialize<'de> for Globs {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Globs, D::Error> {
        let patterns = Vec::<String>::deserialize(deserializer)?;
        Globs::new(patterns).map_err(serde::de::Error::custom)
    }
}

/// A span of whole days, written `90d` or `12w` in book.toml and front matter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Days(pub u32);

impl Days {
    /// Parses `90d` or `12w`.
    pub fn parse(text: &str) -> Result<Days, String> {
        let text = text.trim();
        let not_a_duration = || {
            format!(
                "`{text}` is not a duration: write a number of days or weeks such as `90d` or `12w`"
            )
        };
        let unit = text.chars().last().ok_or_else(not_a_duration)?;
        let number: u32 = text[..text.len() - unit.len_utf8()]
            .parse()
            .map_err(|_| not_a_duration())?;
        let days = match unit {
            'd' => Some(number),
            'w' => number.checked_mul(7),
            _ => {
                return Err(format!(
                    "`{text}` has an unknown unit: use `d` (days) or `w` (weeks), as in `90d`"
                ));
            }
        };
        days.filter(|days| *days <= 36_600)
            .map(Days)
            .ok_or_else(|| {
                format!("`{text}` is longer than a century: write a number of days such as `90d`")
            })
    }
}

impl fmt::Display for Days {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}d", self.0)
    }
}

impl<'de> Deserialize<'de> for Days {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Days, D::Error> {
        let text = String::deserialize(deserializer)?;
        Days::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// Where the site is published: a full URL (`https://handbook.example.com/docs/`) or a
/// path on the server (`/docs/`). Always ends with `/`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BaseUrl(pub(super) String);

impl BaseUrl {
    /// `/`: the site at the root of its host (the default, and `serve`'s).
    pub fn root() -> BaseUrl {
        BaseUrl("/".into())
    }

    /// Parses a `base-url` value; a missing trailing `/` is added.
    pub fn parse(text: &str) -> Result<BaseUrl, String> {
        let text = text.trim();
        let full = ["https://", "http://"]
            .iter()
            .find_map(|scheme| text.strip_prefix(scheme))
            .map(|rest| !rest.is_empty() && !rest.starts_with('/'));
        let valid = match full {
            Some(has_host) => has_host,
            None => text.starts_with('/') && !text.starts_with("//"),
        };
        if !valid {
            return Err(format!(
                "`{text}` is not a base URL: write the site's address, such as `https://handbook.example.com/` or a path such as `/docs/`"
            ));
        }
        // It is written into HTML attributes and the sitemap as it is, so it must already be
        // a URL: nothing a browser would misread, and `%` only as an escape.
        if let Some(c) = text
            .chars()
            .find(|c| !c.is_ascii_graphic() || "?#\"'<>\\^`{|}".contains(*c))
        {
            return Err(format!(
                "`{text}` has {c:?}, which a URL cannot hold as it is: percent-encode it (a space is `%20`), or leave it out"
            ));
        }
        let bad_escape = text.match_indices('%').any(|(at, _)| {
            let digits = &text.as_bytes()[at + 1..];
            digits.len() < 2 || !digits[..2].iter().all(u8::is_ascii_hexdigit)
        });
        if bad_escape {
            return Err(format!(
                "`{text}` has a `%` that does not start an escape such as `%20`: write a literal `%` as `%25`"
            ));
        }
        let mut url = text.to_string();
        if !url.ends_with('/') {
            url.push('/');
        }
        Ok(BaseUrl(url))
    }

    /// `url` (site-relative) as seen from outside: `base` + `url`.
    pub fn join(&self, url: &str) -> String {
        format!("{}{url}", self.0)
    }

    /// True when it names a host, as the sitemap protocol wants.
    pub fn is_full(&self) -> bool {
        self.0.starts_with("http")
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for BaseUrl {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<BaseUrl, D::Error> {
        let text = String::deserialize(deserializer)?;
        BaseUrl::parse(&text).map_err(serde::de::Error::custom)
    }
}
