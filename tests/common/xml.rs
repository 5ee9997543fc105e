//! A strict little XML reader for the JUnit reports: well-formedness asserted, entities
//! decoded, no dependency.

/// What a parsed XML document holds: every element in document order, with its decoded
/// attributes, the character data directly inside it and its parent, and all decoded
/// character data. Panics when the text is not well-formed XML 1.0 (unbalanced tags,
/// unquoted attributes, a raw `<` or `&`, characters XML forbids).
pub struct Xml {
    pub elements: Vec<Element>,
    pub text: String,
}

/// One element of an `Xml` document.
pub struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub text: String,
    pub parent: Option<usize>,
}

impl Xml {
    /// The elements named `name`, in document order.
    pub fn named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = (usize, &'a Element)> + 'a {
        self.elements
            .iter()
            .enumerate()
            .filter(move |(_, element)| element.name == name)
    }

    /// The children of element `parent` named `name`.
    pub fn children<'a>(&'a self, parent: usize, name: &'a str) -> Vec<(usize, &'a Element)> {
        self.named(name)
            .filter(|(_, element)| element.parent == Some(parent))
            .collect()
    }
}

/// Parses `doc`, an XML 1.0 document with a declaration, as `Xml` describes.
pub fn parse_xml(doc: &str) -> Xml {
    fn decode(raw: &str) -> String {
        assert!(!raw.contains('<'), "raw `<` in {raw:?}");
        let mut out = String::new();
        let mut rest = raw;
        while let Some(at) = rest.find('&') {
            out.push_str(&rest[..at]);
            let end = rest[at..].find(';').expect("entity ends with ;") + at;
            let entity = &rest[at + 1..end];
            out.push(match entity {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                _ if entity.starts_with('#') => {
                    char::from_u32(entity[1..].parse().expect("decimal reference")).unwrap()
                }
                _ => panic!("unknown entity &{entity};"),
            });
            rest = &rest[end + 1..];
        }
        out.push_str(rest);
        out
    }
    for c in doc.chars() {
        assert!(
            matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..),
            "character {c:?} is not allowed in XML"
        );
    }
    let body = doc
        .strip_prefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        .expect("XML declaration");
    // Open elements: their names and indexes in `elements`.
    let mut stack: Vec<(String, usize)> = Vec::new();
    let mut xml = Xml {
        elements: Vec::new(),
        text: String::new(),
    };
    let mut rest = body;
    let mut seen_root = false;
    while !rest.is_empty() {
        let open = rest.find('<').unwrap_or(rest.len());
        let text = &rest[..open];
        match stack.last() {
            Some((_, index)) => {
                let decoded = decode(text);
                xml.elements[*index].text.push_str(&decoded);
                xml.text.push_str(&decoded);
            }
            None => assert!(text.trim().is_empty(), "text outside the root: {text:?}"),
        }
        if open == rest.len() {
            break;
        }
        let close = rest[open..].find('>').expect("tag ends") + open;
        let tag = &rest[open + 1..close];
        rest = &rest[close + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(
                stack.pop().map(|(open, _)| open).as_deref(),
                Some(name),
                "unbalanced </{name}>"
            );
            continue;
        }
        let (tag, empty) = match tag.strip_suffix('/') {
            Some(tag) => (tag, true),
            None => (tag, false),
        };
        let (name, mut attrs_text) = tag.split_once(' ').unwrap_or((tag, ""));
        assert!(
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'),
            "element name {name:?}"
        );
        let mut attrs = Vec::new();
        loop {
            attrs_text = attrs_text.trim_start();
            if attrs_text.is_empty() {
                break;
            }
            let (key, after) = attrs_text.split_once("=\"").expect("attribute=\"value\"");
            let end = after.find('"').expect("attribute value ends");
            assert!(
                attrs.iter().all(|(k, _): &(String, String)| k != key),
                "duplicate attribute {key}"
            );
            attrs.push((key.to_string(), decode(&after[..end])));
            attrs_text = &after[end + 1..];
        }
        if stack.is_empty() {
            assert!(!seen_root, "a second root element");
            seen_root = true;
        }
        xml.elements.push(Element {
            name: name.to_string(),
            attrs,
            text: String::new(),
            parent: stack.last().map(|(_, index)| *index),
        });
        if !empty {
            stack.push((name.to_string(), xml.elements.len() - 1));
        }
    }
    assert!(stack.is_empty(), "unclosed {stack:?}");
    assert!(seen_root, "no root element");
    xml
}

/// The value of attribute `key` of `element`.
pub fn attr<'a>(element: &'a Element, key: &str) -> Option<&'a str> {
    element
        .attrs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}
