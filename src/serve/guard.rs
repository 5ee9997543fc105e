//! What the preview server refuses before it looks anything up: methods other than GET
//! and HEAD, a `Host` that is not this machine (DNS rebinding), an event-stream `Origin`
//! from another site, and request paths that would leave the built file map.

use std::collections::BTreeSet;
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};

/// The host names a request may carry in its `Host` header.
#[derive(Debug, Clone)]
pub struct Hosts {
    names: BTreeSet<String>,
}

impl Hosts {
    /// Loopback names always; when bound to another address, that address, the
    /// machine's host name and the addresses that name resolves to.
    pub fn for_bind(bound: IpAddr, host_flag: Option<&str>) -> Hosts {
        let mut names: BTreeSet<String> = ["localhost", "127.0.0.1", "::1"]
            .into_iter()
            .map(str::to_string)
            .collect();
        if !bound.is_loopback() {
            if !bound.is_unspecified() {
                names.insert(bound.to_string());
            }
            if let Some(flag) = host_flag {
                names.insert(normalise(flag));
            }
            if let Some(hostname) = hostname() {
                if let Ok(addrs) = (hostname.as_str(), 0).to_socket_addrs() {
                    names.extend(addrs.map(|addr: SocketAddr| addr.ip().to_string()));
                }
                names.insert(normalise(&hostname));
            }
        }
        Hosts { names }
    }

    /// Whether a `Host` header value (`name`, `name:port`, `[v6]:port`) names this server.
    pub fn allows(&self, header: &str) -> bool {
        host_name(header).is_some_and(|name| self.names.contains(&name))
    }

    /// Whether an `Origin` header value is this server's own page: `http://` and a host
    /// this server answers to. The event stream refuses any other origin, so that a page
    /// on another site cannot listen to it.
    pub fn allows_origin(&self, origin: &str) -> bool {
        origin
            .strip_prefix("http://")
            .is_some_and(|rest| !rest.contains('/') && self.allows(rest))
    }
}

/// The host part of a `Host` header, lowercased, without its port or a trailing dot;
/// `None` for anything malformed.
fn host_name(header: &str) -> Option<String> {
    let header = header.trim();
    let name = if let Some(rest) = header.strip_prefix('[') {
        let (inside, after) = rest.split_once(']')?;
        if !(after.is_empty() || after.strip_prefix(':').is_some_and(is_port)) {
            return None;
        }
        inside
    } else {
        match header.rsplit_once(':') {
            Some((name, port)) if is_port(port) => name,
            Some(_) => return None,
            None => header,
        }
    };
    if name.is_empty() || name.contains(['/', '\\', '@', ' ']) {
        return None;
    }
    Some(normalise(name))
}

fn is_port(text: &str) -> bool {
    !text.is_empty() && text.len() <= 5 && text.bytes().all(|b| b.is_ascii_digit())
}

fn normalise(name: &str) -> String {
    name.trim_start_matches('[')
        .trim_end_matches(']')
        .trim_end_matches('.')
        .to_ascii_lowercase()
}

/// This machine's host name, from uname.
fn hostname() -> Option<String> {
    let name = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())?;
    let name = name.trim();
    (!name.is_empty()).then(|| name.to_string())
}

/// A request path → the key of a file in the built site: each segment percent-decoded,
/// `index.html` for a folder. `None` for anything that could name a file outside the
/// map or name one two ways: `.` and `..` segments (plain or encoded), an encoded `/`,
/// backslashes, NUL bytes, invalid UTF-8 or an empty segment.
pub fn site_path(raw: &str) -> Option<String> {
    let rest = raw.strip_prefix('/')?;
    let mut segments = Vec::new();
    let mut parts = rest.split('/').peekable();
    while let Some(part) = parts.next() {
        let last = parts.peek().is_none();
        if part.is_empty() {
            if last {
                break;
            }
            return None;
        }
        let decoded = percent_decode(part)?;
        if decoded == "."
            || decoded == ".."
            || decoded.contains(['/', '\\', '\0'])
            || decoded.contains(':')
        {
            return None;
        }
        segments.push(decoded);
    }
    if raw.ends_with('/') || segments.is_empty() {
        segments.push("index.html".to_string());
    }
    Some(segments.join("/"))
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loopback() -> Hosts {
        Hosts::for_bind("127.0.0.1".parse().unwrap(), None)
    }

    #[test]
    fn loopback_hosts_are_allowed_with_or_without_a_port() {
        let hosts = loopback();
        for ok in [
            "localhost",
            "localhost:3000",
            "LOCALHOST.:3000",
            "127.0.0.1:3001",
            "[::1]:3000",
            "[::1]",
        ] {
            assert!(hosts.allows(ok), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:3000",
            "localhost.evil.example",
            "127.0.0.1.nip.io:3000",
            "localhost:abc",
            "user@localhost",
            "",
            "[::1",
            "[::1]x",
        ] {
            assert!(!hosts.allows(bad), "{bad}");
        }
    }

    #[test]
    fn a_bound_address_is_allowed_only_when_bound_there() {
        let addr: IpAddr = "192.168.7.9".parse().unwrap();
        assert!(!loopback().allows("192.168.7.9:3000"));
        assert!(Hosts::for_bind(addr, Some("192.168.7.9")).allows("192.168.7.9:3000"));
    }

    #[test]
    fn origins_must_be_this_server() {
        let hosts = loopback();
        assert!(hosts.allows_origin("http://localhost:3000"));
        assert!(hosts.allows_origin("http://127.0.0.1:3000"));
        assert!(!hosts.allows_origin("https://evil.example"));
        assert!(!hosts.allows_origin("http://evil.example:3000"));
        assert!(!hosts.allows_origin("null"));
        assert!(!hosts.allows_origin("http://localhost:3000/x"));
    }

    #[test]
    fn paths_stay_inside_the_site() {
        assert_eq!(site_path("/").as_deref(), Some("index.html"));
        assert_eq!(site_path("/guide/").as_deref(), Some("guide/index.html"));
        assert_eq!(
            site_path("/guide/intro.html").as_deref(),
            Some("guide/intro.html")
        );
        assert_eq!(
            site_path("/guide/with%20space.html").as_deref(),
            Some("guide/with space.html")
        );
        for bad in [
            "/../etc/passwd",
            "/guide/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E/x",
            "/guide/..%2fx",
            "/guide%2f..%2f..%2fx",
            "/a\\..\\b",
            "/a%5c..%5cb",
            "//etc/passwd",
            "/a//b",
            "/./index.html",
            "/x%00.html",
            "/C:/windows",
            "/%zz",
            "/%ff",
            "relative",
        ] {
            assert_eq!(site_path(bad), None, "{bad}");
        }
    }
}
