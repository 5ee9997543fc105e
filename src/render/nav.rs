//! The sidebar as HTML, pruned for one page: every top-level entry, the entries on the
//! way down to the current page with their children, and the current page's children.
//! Other branches are shown closed, so a page's sidebar stays small however big the
//! handbook grows (see ADR 0005).

use std::fmt::Write as _;

use super::escape;
use crate::model::link::relative_url;
use crate::model::nav::{NavItem, NavLink};
use crate::model::{Handbook, PageId};

/// The sidebar's `<ol>` for page `current`, written at site-relative `from`. With
/// `numbers`, a numbered chapter's entry starts with its number, as mdBook's does
/// (`<b>1.2.</b> Title`).
pub fn sidebar(handbook: &Handbook, current: PageId, from: &str, numbers: bool) -> String {
    let trail = handbook.nav.trail(current);
    let mut html = String::with_capacity(4096);
    html.push_str("<ol class=\"nav-tree\">\n");
    for item in &handbook.nav.items {
        match item {
            NavItem::Part(title) => {
                let _ = writeln!(html, "<li class=\"nav-part\">{}</li>", escape(title));
            }
            NavItem::Separator => {
                html.push_str("<li class=\"nav-separator\" role=\"separator\"></li>\n")
            }
            NavItem::Link(link) => entry(&mut html, handbook, link, &trail, from, numbers),
        }
    }
    html.push_str("</ol>\n");
    html
}

fn entry(
    html: &mut String,
    handbook: &Handbook,
    link: &NavLink,
    trail: &[&NavLink],
    from: &str,
    numbers: bool,
) {
    // A heading without a page of its own cannot be opened, so it always shows its entries.
    let open = link.page.is_none() || trail.iter().any(|step| std::ptr::eq(*step, link));
    // A page listed twice is current only where its trail ends (its first listing).
    let is_current = trail.last().is_some_and(|last| std::ptr::eq(*last, link));
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
        for child in &link.children {
            entry(html, handbook, child, trail, from, numbers);
        }
        html.push_str("</ol>\n");
    }
    html.push_str("</li>\n");
}
