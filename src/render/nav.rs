//! The sidebar as HTML, pruned for one page: every top-level entry, the entries on the
//! way down to the current page with their children, and the current page's children.
//! Other branches are shown closed, so a page's sidebar stays small however big the
//! handbook grows (see ADR 0005).

use std::fmt::Write as _;

use super::escape;
use crate::model::link::relative_url;
use crate::model::nav::{NavItem, NavLink};
use crate::model::{Handbook, PageId};

/// One step of the pruned sidebar's walk.
enum Step<'n> {
    Part(&'n str),
    Separator,
    /// An entry, whether it shows its children, and whether it is the current page.
    Open(&'n NavLink, bool, bool),
    /// The end of an entry, after its children when it shows them.
    Close(bool),
}

/// Walks the sidebar of page `current`: what `sidebar` writes and `sidebar_fp` hashes,
/// so the two can never disagree.
fn walk<'n>(handbook: &'n Handbook, current: PageId, visit: &mut dyn FnMut(Step<'n>)) {
    fn visit_link<'n>(link: &'n NavLink, trail: &[&NavLink], visit: &mut dyn FnMut(Step<'n>)) {
        // A heading without a page of its own cannot be opened, so it always shows its entries.
        let open = link.page.is_none() || trail.iter().any(|step| std::ptr::eq(*step, link));
        // A page listed twice is current only where its trail ends (its first listing).
        let is_current = trail.last().is_some_and(|last| std::ptr::eq(*last, link));
        visit(Step::Open(link, open, is_current));
        let shows_children = open && !link.children.is_empty();
        if shows_children {
            for child in &link.children {
                visit_link(child, trail, visit);
            }
        }
        visit(Step::Close(shows_children));
    }
    let trail = handbook.nav.trail(current);
    for item in &handbook.nav.items {
        match item {
            NavItem::Part(title) => visit(Step::Part(title)),
            NavItem::Separator => visit(Step::Separator),
            NavItem::Link(entry) => visit_link(entry, &trail, visit),
        }
    }
}

/// The sidebar's `<ol>` for page `current`, written at site-relative `from`. With
/// `numbers`, a numbered chapter's entry starts with its number, as mdBook's does
/// (`<b>1.2.</b> Title`).
pub fn sidebar(handbook: &Handbook, current: PageId, from: &str, numbers: bool) -> String {
    let mut html = String::with_capacity(4096);
    html.push_str("<ol class=\"nav-tree\">\n");
    walk(handbook, current, &mut |step| match step {
        Step::Part(title) => {
            let _ = writeln!(html, "<li class=\"nav-part\">{}</li>", escape(title));
        }
        Step::Separator => html.push_str("<li class=\"nav-separator\" role=\"separator\"></li>\n"),
        Step::Open(link, open, is_current) => {
            entry(&mut html, handbook, link, open, is_current, from, numbers)
        }
        Step::Close(shows_children) => {
            if shows_children {
                html.push_str("</ol>\n");
            }
            html.push_str("</li>\n");
        }
    });
    html.push_str("</ol>\n");
    html
}

/// A fingerprint of `sidebar(handbook, current, from, numbers)` made without writing
/// it: what each shown entry is and where the page is (links are relative to its folder).
pub fn sidebar_fp(
    handbook: &Handbook,
    current: PageId,
    from: &str,
    numbers: bool,
) -> crate::cache::Fp {
    let mut hasher = crate::cache::Hasher::new();
    hasher
        .part(from.rsplit_once('/').map_or("", |(dir, _)| dir))
        .number(u128::from(numbers));
    walk(handbook, current, &mut |step| match step {
        Step::Part(title) => {
            hasher.number(1).part(title);
        }
        Step::Separator => {
            hasher.number(2);
        }
        Step::Open(link, open, is_current) => {
            hasher
                .number(3)
                .part(&link.title)
                .part(
                    link.number
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_default(),
                )
                .number(u128::from(link.number.is_some()))
                .part(
                    link.page
                        .map_or("\0", |page| handbook.page(page).url.as_str()),
                )
                .number(
                    u128::from(open)
                        | u128::from(is_current) << 1
                        | u128::from(!link.children.is_empty()) << 2,
                );
        }
        Step::Close(shows_children) => {
            hasher.number(4 | u128::from(shows_children) << 3);
        }
    });
    hasher.finish()
}

fn entry(
    html: &mut String,
    handbook: &Handbook,
    link: &NavLink,
    open: bool,
    is_current: bool,
    from: &str,
    numbers: bool,
) {
    let mut classes = vec!["nav-item"];
    if is_current {
        classes.push("active");
    }
    if !link.children.is_empty() {
        classes.push(if open { "expanded" } else { "collapsed" });
    }
    let _ = write!(html, "<li class=\"{}\">", classes.join(" "));
    let mut title = escape(&link.title);
    if let Some(number) = link.number.as_ref().filter(|_| numbers) {
        title = format!("<b>{number}</b> {title}");
    }
    match link.page {
        Some(page) => {
            let href = relative_url(from, &handbook.page(page).url);
            let current_attr = if is_current {
                " aria-current=\"page\""
            } else {
                ""
            };
            let _ = write!(
                html,
                "<a href=\"{}\"{current_attr}>{title}</a>",
                escape(&href)
            );
        }
        None => {
            let _ = write!(html, "<span class=\"nav-draft\">{title}</span>");
        }
    }
    if open && !link.children.is_empty() {
        html.push_str("\n<ol>\n");
    }
}
