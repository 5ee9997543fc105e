//! The sidebar as HTML, pruned for one page: every top-level entry, the entries on the
//! way down to the current page with their children, and the current page's children.
//! Other branches are shown closed, so a page's sidebar stays small however big the
//! handbook grows (see ADR 0005).
//!
//! Every page writes a few hundred entries of a big book's sidebar, so what is the same
//! on every page is worked out once (`Sidebar::new`): each entry's label and its page's
//! address, percent-encoded and escaped. A page's sidebar then only joins strings.

use super::escape;
use crate::model::link::encode_segment;
use crate::model::nav::{NavItem, NavLink};
use crate::model::{Handbook, PageId};

/// The sidebar of one handbook, ready to be written for any of its pages.
pub struct Sidebar<'a> {
    items: Vec<Item<'a>>,
    /// Every item hashed (`whole_fp`), for `fp`.
    whole: crate::cache::Fp,
}

enum Item<'a> {
    /// A part title, escaped.
    Part(String),
    Separator,
    Link(Entry<'a>),
}

struct Entry<'a> {
    /// The entry in the navigation, which the current page's trail points at.
    link: &'a NavLink,
    /// The title, escaped, after its number (`<b>1.2.</b> Title`) when numbered.
    label: String,
    /// The page the entry links to; `None` for a draft or a folder without a page.
    target: Option<Target<'a>>,
    children: Vec<Entry<'a>>,
}

/// A page's site-relative url, ready to be written relative to any page.
struct Target<'a> {
    url: &'a str,
    /// `url` with each segment percent-encoded, then escaped for an attribute.
    written: String,
    /// Where each segment of `url` starts in `written`.
    starts: Vec<usize>,
}

impl<'a> Sidebar<'a> {
    /// The sidebar of `handbook`. With `numbers`, a numbered chapter's entry starts with
    /// its number, as mdBook's does (`<b>1.2.</b> Title`).
    pub fn new(handbook: &'a Handbook, numbers: bool) -> Sidebar<'a> {
        let items = handbook
            .nav
            .items
            .iter()
            .map(|item| match item {
                NavItem::Part(title) => Item::Part(escape(title)),
                NavItem::Separator => Item::Separator,
                NavItem::Link(link) => Item::Link(Entry::new(handbook, link, numbers)),
            })
            .collect::<Vec<_>>();
        let whole = whole_fp(&items);
        Sidebar { items, whole }
    }

    /// The sidebar's `<ol>` for page `current`, written at site-relative `from`.
    pub fn html(&self, handbook: &Handbook, current: PageId, from: &str) -> String {
        let trail = handbook.nav.trail(current);
        let from_dirs: Vec<&str> = match from.rsplit_once('/') {
            Some((dirs, _)) => dirs.split('/').collect(),
            None => Vec::new(),
        };
        let mut html = String::with_capacity(4096);
        html.push_str("<ol class=\"nav-tree\">\n");
        for item in &self.items {
            match item {
                Item::Part(title) => {
                    html.push_str("<li class=\"nav-part\">");
                    html.push_str(title);
                    html.push_str("</li>\n");
                }
                Item::Separator => {
                    html.push_str("<li class=\"nav-separator\" role=\"separator\"></li>\n")
                }
                Item::Link(entry) => entry.write(&mut html, &trail, &from_dirs),
            }
        }
        html.push_str("</ol>\n");
        html
    }

    /// A fingerprint of `html(handbook, current, from)` made without writing it. The
    /// pruned sidebar is a function of the whole navigation, the page's place in it (which
    /// entries are open) and the page's folder (links are relative to it), so that is what
    /// is hashed: the navigation once per build, then a few numbers a page.
    pub fn fp(&self, handbook: &Handbook, current: PageId, from: &str) -> crate::cache::Fp {
        let mut hasher = crate::cache::Hasher::new();
        hasher
            .fp(self.whole)
            .part(from.rsplit_once('/').map_or("", |(dir, _)| dir));
        for &index in handbook.nav.path(current) {
            hasher.number(index as u128);
        }
        hasher.finish()
    }
}

/// Every item of the sidebar, each entry with all its children, hashed: what the pruned
/// sidebar of any page is cut from.
fn whole_fp(items: &[Item<'_>]) -> crate::cache::Fp {
    fn hash_entry(hasher: &mut crate::cache::Hasher, entry: &Entry<'_>) {
        hasher
            .number(3)
            .part(&entry.label)
            .part(entry.target.as_ref().map_or("\0", |target| target.url))
            .number(entry.children.len() as u128);
        for child in &entry.children {
            hash_entry(hasher, child);
        }
    }
    let mut hasher = crate::cache::Hasher::new();
    for item in items {
        match item {
            Item::Part(title) => {
                hasher.number(1).part(title);
            }
            Item::Separator => {
                hasher.number(2);
            }
            Item::Link(link) => hash_entry(&mut hasher, link),
        }
    }
    hasher.finish()
}

impl<'a> Entry<'a> {
    /// Whether the entry shows its children, and whether it is the current page.
    fn state(&self, trail: &[&NavLink]) -> (bool, bool) {
        // A heading without a page of its own cannot be opened, so it always shows its entries.
        let open = self.target.is_none() || trail.iter().any(|step| std::ptr::eq(*step, self.link));
        // A page listed twice is current only where its trail ends (its first listing).
        let is_current = trail
            .last()
            .is_some_and(|last| std::ptr::eq(*last, self.link));
        (open, is_current)
    }

    fn new(handbook: &'a Handbook, link: &'a NavLink, numbers: bool) -> Entry<'a> {
        let title = escape(&link.title);
        let label = match link.number.as_ref().filter(|_| numbers) {
            Some(number) => format!("<b>{number}</b> {title}"),
            None => title,
        };
        Entry {
            link,
            label,
            target: link.page.map(|page| Target::new(&handbook.page(page).url)),
            children: link
                .children
                .iter()
                .map(|child| Entry::new(handbook, child, numbers))
                .collect(),
        }
    }

    fn write(&self, html: &mut String, trail: &[&NavLink], from_dirs: &[&str]) {
        let (open, is_current) = self.state(trail);
        html.push_str("<li class=\"nav-item");
        if is_current {
            html.push_str(" active");
        }
        if !self.children.is_empty() {
            html.push_str(if open { " expanded" } else { " collapsed" });
        }
        html.push_str("\">");
        match &self.target {
            Some(target) => {
                html.push_str("<a href=\"");
                target.write_from(from_dirs, html);
                html.push_str(if is_current {
                    "\" aria-current=\"page\">"
                } else {
                    "\">"
                });
                html.push_str(&self.label);
                html.push_str("</a>");
            }
            None => {
                html.push_str("<span class=\"nav-draft\">");
                html.push_str(&self.label);
                html.push_str("</span>");
            }
        }
        if open && !self.children.is_empty() {
            html.push_str("\n<ol>\n");
            for child in &self.children {
                child.write(html, trail, from_dirs);
            }
            html.push_str("</ol>\n");
        }
        html.push_str("</li>\n");
    }
}

impl<'a> Target<'a> {
    fn new(url: &'a str) -> Target<'a> {
        let mut written = String::with_capacity(url.len());
        let mut starts = Vec::new();
        for (index, segment) in url.split('/').enumerate() {
            if index > 0 {
                written.push('/');
            }
            starts.push(written.len());
            let mut encoded = String::with_capacity(segment.len());
            encode_segment(segment, &mut encoded);
            // Escaping a whole url is escaping each segment: `/` is left alone.
            written.push_str(&escape(&encoded));
        }
        Target {
            url,
            written,
            starts,
        }
    }

    /// Appends the url relative to a page in folder `from_dirs`, as `link::relative_url`
    /// writes it, escaped.
    fn write_from(&self, from_dirs: &[&str], out: &mut String) {
        let segments = self.starts.len();
        let shared = from_dirs
            .iter()
            .zip(self.url.split('/').take(segments - 1))
            .take_while(|(a, b)| **a == *b)
            .count();
        for _ in shared..from_dirs.len() {
            out.push_str("../");
        }
        // `javascript:x/…` as a first segment would read as a scheme, not a path.
        if shared == from_dirs.len()
            && self
                .url
                .split('/')
                .nth(shared)
                .is_some_and(|segment| segment.contains(':'))
        {
            out.push_str("./");
        }
        out.push_str(&self.written[self.starts[shared]..]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::link::relative_url;

    #[test]
    fn targets_are_written_as_relative_url_writes_them_escaped() {
        let urls = [
            "index.html",
            "guide/intro.html",
            "guide/deep/page.html",
            "guide/c#.html",
            "a b/it's <here>.html",
            "x&y/z.html",
            "javascript:x/y.html",
            "guide/javascript:y.html",
            "other/intro.html",
        ];
        let froms = [
            "index.html",
            "print.html",
            "guide/intro.html",
            "guide/deep/other.html",
            "guide/deep/deeper/more.html",
            "other/page.html",
            "javascript:x/page.html",
        ];
        for url in urls {
            let target = Target::new(url);
            for from in froms {
                let from_dirs: Vec<&str> = match from.rsplit_once('/') {
                    Some((dirs, _)) => dirs.split('/').collect(),
                    None => Vec::new(),
                };
                let mut written = String::new();
                target.write_from(&from_dirs, &mut written);
                assert_eq!(
                    written,
                    escape(&relative_url(from, url)),
                    "{url} from {from}"
                );
            }
        }
    }
}
