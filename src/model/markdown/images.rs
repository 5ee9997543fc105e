//! `<img>` tags written as raw HTML in markdown, read for the `alt-text` rule: which of
//! them have no `alt` attribute. An `alt=""` is a decorative image, as in HTML itself and
//! markdownlint's MD045, so only a missing attribute counts.

/// An `<img>` tag without an `alt` attribute: where its `<` is in `html`, and its `src`.
#[derive(Debug, PartialEq, Eq)]
pub struct Unlabelled {
    pub offset: usize,
    pub src: String,
}

/// Every `<img>` tag of `html` (raw HTML as written in a page) that has no `alt`
/// attribute, in order. HTML comments are skipped; a tag cut off by the end of the text
/// is read as far as it goes.
pub fn without_alt(html: &str) -> Vec<Unlabelled> {
    let bytes = html.as_bytes();
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(next) = html[at..].find('<') {
        let start = at + next;
        let rest = &html[start..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            at = comment
                .find("-->")
                .map_or(html.len(), |end| start + 4 + end + 3);
            continue;
        }
        let is_img = rest.len() > 4
            && bytes[start + 1..start + 4].eq_ignore_ascii_case(b"img")
            && matches!(bytes[start + 4], b' ' | b'\t' | b'\n' | b'\r' | b'/' | b'>');
        if !is_img {
            at = start + 1;
            continue;
        }
        let (attributes, end) = attributes(&html[start + 4..]);
        if !attributes
            .iter()
            .any(|(name, _)| name.eq_ignore_ascii_case("alt"))
        {
            let src = attributes
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case("src"))
                .map_or_else(String::new, |(_, value)| value.to_string());
            found.push(Unlabelled { offset: start, src });
        }
        at = start + 4 + end;
    }
    found
}

/// The attributes of a tag whose name has been read (`text` starts after it), as
/// (name, value) pairs, and how many bytes of `text` the tag takes up to its `>`.
fn attributes(text: &str) -> (Vec<(&str, &str)>, usize) {
    let bytes = text.as_bytes();
    let mut pairs = Vec::new();
    let mut at = 0;
    loop {
        while at < bytes.len() && (bytes[at].is_ascii_whitespace() || bytes[at] == b'/') {
            at += 1;
        }
        if at >= bytes.len() {
            return (pairs, at);
        }
        if bytes[at] == b'>' {
            return (pairs, at + 1);
        }
        let name_start = at;
        while at < bytes.len()
            && !matches!(bytes[at], b' ' | b'\t' | b'\n' | b'\r' | b'/' | b'>' | b'=')
        {
            at += 1;
        }
        let name = &text[name_start..at];
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let mut value = "";
        if at < bytes.len() && bytes[at] == b'=' {
            at += 1;
            while at < bytes.len() && bytes[at].is_ascii_whitespace() {
                at += 1;
            }
            match bytes.get(at) {
                Some(quote @ (b'"' | b'\'')) => {
                    let close = text[at + 1..]
                        .find(*quote as char)
                        .map_or(text.len(), |end| at + 1 + end);
                    value = &text[at + 1..close];
                    at = (close + 1).min(text.len());
                }
                _ => {
                    let value_start = at;
                    while at < bytes.len() && !bytes[at].is_ascii_whitespace() && bytes[at] != b'>'
                    {
                        at += 1;
                    }
                    value = &text[value_start..at];
                }
            }
        }
        pairs.push((name, value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn srcs(html: &str) -> Vec<String> {
        without_alt(html)
            .into_iter()
            .map(|image| image.src)
            .collect()
    }

    #[test]
    fn a_missing_alt_counts_and_an_empty_one_is_decorative() {
        let html = r#"<p><img src="a.png"> <IMG SRC=b.png alt=""> <img alt src='c.png'/> <img
  src="d.png"
  width=20></p>"#;
        assert_eq!(srcs(html), ["a.png", "d.png"]);
        let found = without_alt(html);
        assert_eq!(&html[found[1].offset..found[1].offset + 4], "<img");
        assert_eq!(html[..found[1].offset].matches('\n').count(), 0);
    }

    #[test]
    fn comments_other_tags_and_quoted_brackets_are_not_images() {
        assert!(without_alt("<!-- <img src=x.png> --><imgx src=y> <image src=z>").is_empty());
        assert_eq!(
            srcs(r#"<img title="a > b" src="x.png"><img src=y.png alt="y">"#),
            ["x.png"]
        );
        assert_eq!(srcs("<img src=\"cut off"), ["cut off"]);
        assert_eq!(srcs("<\u{1F600}img src=x> <img>"), [""]);
        assert_eq!(without_alt("<img").len(), 0);
        assert_eq!(without_alt("<!-- unclosed <img src=x>").len(), 0);
    }
}
