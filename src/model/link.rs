//! What a link in a page points at, and how `.md` links are written in the site.

use std::borrow::Cow;

/// A link destination, classified.
#[derive(Debug, PartialEq, Eq)]
pub enum Target<'a> {
    /// A URL with a scheme (`https:`, `mailto:`) or a protocol-relative `//host` URL.
    External,
    /// A path from the site root to something other than a page source
    /// (`/grafana/d/abc`): it may belong to another app on the same host.
    SiteAbsolute,
    /// `#anchor` on the same page.
    Fragment(&'a str),
    /// A file of the handbook: `path` relative to the content folder, normalized.
    Path {
        path: String,
        fragment: Option<&'a str>,
    },
    /// A relative path that climbs out of the content folder.
    Outside,
}

/// Classifies `dest`, written in the page at content-relative `from`.
pub fn resolve<'a>(from: &str, dest: &'a str) -> Target<'a> {
    if is_external(dest) {
        return Target::External;
    }
    if let Some(rooted) = dest.strip_prefix('/') {
        // `/guide/x.md` names a page source from the content folder's top.
        return match path_part(rooted).ends_with(".md") {
            true => resolve("", rooted),
            false => Target::SiteAbsolute,
        };
    }
    let (path, fragment) = match dest.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment)),
        None => (dest, None),
    };
    let path = path.split_once('?').map_or(path, |(path, _)| path);
    if path.is_empty() {
        return Target::Fragment(fragment.unwrap_or(""));
    }
    let mut parts: Vec<String> = match from.rsplit_once('/') {
        Some((dir, _)) => dir.split('/').map(str::to_string).collect(),
        None => Vec::new(),
    };
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Target::Outside;
                }
            }
            part => parts.push(percent_decode(part)),
        }
    }
    let mut path = parts.join("/");
    if dest.split(['#', '?']).next().is_some_and(names_folder) || path.is_empty() {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str("index.html");
    }
    Target::Path { path, fragment }
}

/// Whether `dest` has a URL scheme or is protocol-relative.
pub fn is_external(dest: &str) -> bool {
    if dest.starts_with("//") {
        return true;
    }
    match dest.find(':') {
        Some(colon) => {
            let scheme = &dest[..colon];
            !scheme.is_empty()
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }
        None => false,
    }
}

/// The site link for a link written in markdown on the page at site-relative `from`: a
/// link to a `.md` file points at the page it becomes (`x.md` → `x.html`,
/// `dir/README.md` → `dir/index.html`); a rooted one (`/guide/x.md`) becomes relative,
/// so it works from `file://` and under any base URL.
pub fn rewrite<'a>(dest: &'a str, from: &str) -> Cow<'a, str> {
    if is_external(dest) {
        return Cow::Borrowed(dest);
    }
    let (path, rest) = dest.split_at(path_part(dest).len());
    if !path.ends_with(".md") {
        return Cow::Borrowed(dest);
    }
    match path.strip_prefix('/') {
        Some(rooted) => Cow::Owned(format!(
            "{}{rest}",
            relative_url(from, &super::page_url(rooted))
        )),
        None => Cow::Owned(format!("{}{rest}", super::page_url(path))),
    }
}

/// A relative link `dest` of the page written at site-relative `from`, rewritten for the
/// same page written at `to`; `None` for links that do not depend on where the page is
/// (external, rooted, or `#fragment` only).
pub fn rebase(dest: &str, from: &str, to: &str) -> Option<String> {
    if is_external(dest) || dest.starts_with('/') || dest.starts_with('#') || dest.is_empty() {
        return None;
    }
    let (path, rest) = dest.split_at(path_part(dest).len());
    // `?query` alone is the page itself.
    let path = if path.is_empty() {
        from.rsplit('/').next().unwrap_or(from)
    } else {
        path
    };
    let folder = names_folder(path);
    let target = from_top(from, path);
    let mut url = relative_url(to, &target);
    if url.is_empty() {
        url.push_str("./");
    } else if folder && !url.ends_with('/') {
        url.push('/');
    }
    Some(format!("{url}{rest}"))
}

/// Relative `path` (no fragment) written on the page at `from`, as a path from the top of
/// the content folder: `../std/x.html` from `guide/a.md` → `../../std/x.html` is `../std/x.html`.
/// Steps above the top stay as leading `..`; segments are percent-decoded.
pub fn from_top(from: &str, path: &str) -> String {
    let mut parts: Vec<String> = match from.rsplit_once('/') {
        Some((dir, _)) => dir.split('/').map(str::to_string).collect(),
        None => Vec::new(),
    };
    let mut above = 0;
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    above += 1;
                }
            }
            part => parts.push(percent_decode(part)),
        }
    }
    std::iter::repeat_n("..".to_string(), above)
        .chain(parts)
        .collect::<Vec<_>>()
        .join("/")
}

/// Whether a link's path names a folder: `dir/`, `.`, `..`, `dir/.` or `dir/..`.
fn names_folder(path: &str) -> bool {
    path.ends_with('/') || matches!(path.rsplit('/').next(), Some("." | ".."))
}

/// `dest` up to its `#fragment` or `?query`.
pub fn path_part(dest: &str) -> &str {
    &dest[..dest.find(['#', '?']).unwrap_or(dest.len())]
}

/// Decodes `%XX` escapes (invalid ones stay as they are).
pub fn percent_decode(part: &str) -> String {
    if !part.contains('%') {
        return part.to_string();
    }
    let bytes = part.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let hex = bytes
            .get(index + 1..index + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (
            bytes[index],
            hex.and_then(|h| u8::from_str_radix(h, 16).ok()),
        ) {
            (b'%', Some(byte)) => {
                out.push(byte);
                index += 3;
            }
            (byte, _) => {
                out.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The relative URL from the page at `from` (site-relative) to site-relative `to`, with
/// each path segment percent-encoded where a browser would misread it (`c#.html`).
pub fn relative_url(from: &str, to: &str) -> String {
    let from_dirs: Vec<&str> = from.split('/').collect();
    let from_dirs = &from_dirs[..from_dirs.len() - 1];
    let to_parts: Vec<&str> = to.split('/').collect();
    let shared = from_dirs
        .iter()
        .zip(&to_parts[..to_parts.len() - 1])
        .take_while(|(a, b)| a == b)
        .count();
    let mut url = "../".repeat(from_dirs.len() - shared);
    // `javascript:x/…` as a first segment would read as a scheme, not a path.
    if url.is_empty()
        && to_parts[shared..]
            .first()
            .is_some_and(|part| part.contains(':'))
    {
        url.push_str("./");
    }
    for (index, part) in to_parts[shared..].iter().enumerate() {
        if index > 0 {
            url.push('/');
        }
        encode_segment(part, &mut url);
    }
    url
}

/// Appends `segment`, escaping what would end or break a URL path segment.
pub fn encode_segment(segment: &str, out: &mut String) {
    for c in segment.chars() {
        if c.is_ascii_control() || " \"#%<>?[\\]^`{|}'".contains(c) {
            let mut buffer = [0; 4];
            for byte in c.encode_utf8(&mut buffer).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        } else {
            out.push(c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_destinations() {
        assert_eq!(resolve("guide/a.md", "https://x.org"), Target::External);
        assert_eq!(resolve("guide/a.md", "mailto:a@b"), Target::External);
        assert_eq!(resolve("guide/a.md", "#top"), Target::Fragment("top"));
        assert_eq!(
            resolve("guide/a.md", "../adr/0001-x.md#context"),
            Target::Path {
                path: "adr/0001-x.md".into(),
                fragment: Some("context")
            }
        );
        assert_eq!(
            resolve("guide/a.md", "./sub/"),
            Target::Path {
                path: "guide/sub/index.html".into(),
                fragment: None
            }
        );
        assert_eq!(resolve("a.md", "../../etc/passwd"), Target::Outside);
        assert_eq!(
            resolve("g/a.md", "."),
            Target::Path {
                path: "g/index.html".into(),
                fragment: None
            }
        );
        assert_eq!(
            resolve("h/a.md", "../g/."),
            Target::Path {
                path: "g/index.html".into(),
                fragment: None
            }
        );
        assert_eq!(
            resolve("guide/a.md", "/adr/0001-x.md#context"),
            Target::Path {
                path: "adr/0001-x.md".into(),
                fragment: Some("context")
            }
        );
        assert_eq!(resolve("guide/a.md", "/grafana/d/x"), Target::SiteAbsolute);
        assert_eq!(
            resolve("a.md", "my%20page.md"),
            Target::Path {
                path: "my page.md".into(),
                fragment: None
            }
        );
    }

    #[test]
    fn rebases_links_for_a_page_written_elsewhere() {
        let at_root = |dest| rebase(dest, "guide/intro.html", "index.html");
        assert_eq!(
            at_root("setup.html#a").as_deref(),
            Some("guide/setup.html#a")
        );
        assert_eq!(
            at_root("../adr/index.html").as_deref(),
            Some("adr/index.html")
        );
        assert_eq!(
            at_root("img/a%20b.png").as_deref(),
            Some("guide/img/a%20b.png")
        );
        assert_eq!(at_root("./sub/").as_deref(), Some("guide/sub/"));
        assert_eq!(
            at_root("../../std/index.html").as_deref(),
            Some("../std/index.html")
        );
        assert_eq!(at_root("../").as_deref(), Some("./"));
        assert_eq!(at_root("sub/..").as_deref(), Some("guide/"));
        assert_eq!(at_root("sub/.").as_deref(), Some("guide/sub/"));
        assert_eq!(at_root("..").as_deref(), Some("./"));
        assert_eq!(at_root(".").as_deref(), Some("guide/"));
        assert_eq!(at_root("?x=1").as_deref(), Some("guide/intro.html?x=1"));
        assert_eq!(
            rebase("../", "guide/intro.html", "a/b.html").as_deref(),
            Some("../")
        );
        assert_eq!(at_root("#top"), None);
        assert_eq!(at_root("https://x.org/"), None);
        assert_eq!(at_root("/grafana/"), None);
    }

    fn rewrite_at(dest: &str) -> Cow<'_, str> {
        rewrite(dest, "guide/page.html")
    }

    #[test]
    fn rewrites_markdown_links_to_pages() {
        assert_eq!(
            rewrite_at("/adr/README.md#status"),
            "../adr/index.html#status"
        );
        assert_eq!(rewrite_at("/grafana/d/x"), "/grafana/d/x");
        assert_eq!(rewrite_at("b.md#x"), "b.html#x");
        assert_eq!(rewrite_at("../README.md"), "../index.html");
        assert_eq!(rewrite_at("dir/readme.md"), "dir/index.html");
        assert_eq!(rewrite_at("index.md"), "index.html");
        assert_eq!(rewrite_at("https://x.org/a.md"), "https://x.org/a.md");
        assert_eq!(rewrite_at("image.png"), "image.png");
        assert_eq!(
            relative_url("guide/a.html", "static/style.css"),
            "../static/style.css"
        );
        assert_eq!(relative_url("guide/a.html", "guide/b.html"), "b.html");
        assert_eq!(relative_url("guide/x/a.html", "guide/b.html"), "../b.html");
        assert_eq!(relative_url("index.html", "guide/b.html"), "guide/b.html");
        assert_eq!(relative_url("guide/a.html", ""), "../");
        assert_eq!(
            relative_url("index.html", "javascript:alert(1)/x.html"),
            "./javascript:alert(1)/x.html",
            "a colon in a first segment is never a scheme"
        );
        assert_eq!(
            relative_url("index.html", "c#/100% sure.html"),
            "c%23/100%25%20sure.html"
        );
    }
}
