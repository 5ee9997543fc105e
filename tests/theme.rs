//! The default theme's accessibility invariants, read from a built site without a browser
//! (tests/browser.rs runs axe-core on top): text colours keep 4.5:1 on every background in
//! both themes, and every page has its landmarks, a skip link first, a language, a title,
//! labelled controls and scroll boxes that a keyboard can reach.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{build, stderr, tree};

/// The colour tokens that text is written in.
const TEXT: [&str; 13] = [
    "fg",
    "fg-muted",
    "fg-subtle",
    "accent",
    "accent-hover",
    "note",
    "tip",
    "important",
    "warning",
    "caution",
    "success",
    "danger",
    "code-fg",
];

/// The colour tokens that text sits on. `mark-bg` and the level colours hold body text
/// only (`fg`, `fg-muted`), as the theme uses them.
const SURFACES: [&str; 13] = [
    "bg",
    "inline-code-bg",
    "bg-subtle",
    "bg-hover",
    "code-bg",
    "accent-subtle",
    "note-bg",
    "tip-bg",
    "important-bg",
    "warning-bg",
    "caution-bg",
    "success-bg",
    "danger-bg",
];
const BODY_ONLY: [&str; 5] = ["mark-bg", "lv-gold", "lv-silver", "lv-bronze", "lv-none"];

/// The bundled handbook, built once into a temp folder.
fn site() -> &'static (tempfile::TempDir, BTreeMap<String, Vec<u8>>) {
    static SITE: std::sync::OnceLock<(tempfile::TempDir, BTreeMap<String, Vec<u8>>)> =
        std::sync::OnceLock::new();
    SITE.get_or_init(|| {
        let out = tempfile::tempdir().unwrap();
        let output = build(Path::new(env!("CARGO_MANIFEST_DIR")), out.path());
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let files = tree(out.path());
        (out, files)
    })
}

fn text(path: &str) -> String {
    let bytes = site()
        .1
        .get(path)
        .unwrap_or_else(|| panic!("the site has no {path}"));
    String::from_utf8(bytes.clone()).unwrap()
}

#[derive(Clone, Copy, Debug)]
struct Rgba(f64, f64, f64, f64);

/// `#rrggbb` or `rgba(r, g, b, a)`.
fn colour(value: &str) -> Rgba {
    let value = value.trim();
    if let Some(hex) = value.strip_prefix('#') {
        assert_eq!(hex.len(), 6, "write colours as #rrggbb: {value}");
        let channel = |at: usize| f64::from(u8::from_str_radix(&hex[at..at + 2], 16).unwrap());
        return Rgba(channel(0), channel(2), channel(4), 1.0);
    }
    let inner = value
        .strip_prefix("rgba(")
        .and_then(|rest| rest.strip_suffix(')'))
        .unwrap_or_else(|| panic!("a colour token the test cannot read: {value}"));
    let parts: Vec<f64> = inner
        .split(',')
        .map(|p| p.trim().parse().unwrap())
        .collect();
    Rgba(parts[0], parts[1], parts[2], parts[3])
}

/// `top` painted over the opaque `under`.
fn over(top: Rgba, under: Rgba) -> Rgba {
    let mix = |a: f64, b: f64| a * top.3 + b * (1.0 - top.3);
    Rgba(
        mix(top.0, under.0),
        mix(top.1, under.1),
        mix(top.2, under.2),
        1.0,
    )
}

/// WCAG 2's contrast ratio of two opaque colours.
fn contrast(a: Rgba, b: Rgba) -> f64 {
    fn luminance(Rgba(r, g, b, _): Rgba) -> f64 {
        let linear = |c: f64| {
            let c = c / 255.0;
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
    }
    let (x, y) = (luminance(a), luminance(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

/// Every `--name: light-dark(LIGHT, DARK);` of the stylesheet, as (light, dark).
fn tokens(css: &str) -> BTreeMap<String, (Rgba, Rgba)> {
    let mut found = BTreeMap::new();
    for line in css.lines() {
        let line = line.trim();
        let Some((name, value)) = line
            .strip_prefix("--")
            .and_then(|rest| rest.split_once(": light-dark("))
        else {
            continue;
        };
        let Some(value) = value.strip_suffix(");") else {
            continue;
        };
        // Split at the comma between the two colours, not inside an rgba().
        let mut depth = 0;
        let split = value
            .char_indices()
            .find(|(_, c)| {
                match c {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => {}
                }
                *c == ',' && depth == 0
            })
            .map(|(at, _)| at)
            .unwrap_or_else(|| panic!("--{name}: two colours expected"));
        let (light, dark) = (&value[..split], &value[split + 1..]);
        if light.trim().starts_with("var(") {
            continue;
        }
        found.insert(name.to_string(), (colour(light), colour(dark)));
    }
    found
}

#[test]
fn text_colours_keep_4_5_to_1_on_every_background_in_both_themes() {
    let css = text("static/style.css");
    let tokens = tokens(&css);
    let mut weak = Vec::new();
    for (theme, pick) in [("light", 0), ("dark", 1)] {
        let get = |name: &str| {
            let (light, dark) = tokens
                .get(name)
                .unwrap_or_else(|| panic!("style.css has no --{name}"));
            if pick == 0 { *light } else { *dark }
        };
        let page = get("bg");
        let pairs = TEXT
            .iter()
            .flat_map(|fg| SURFACES.iter().map(move |bg| (*fg, *bg)))
            .chain(
                ["fg", "fg-muted"]
                    .into_iter()
                    .flat_map(|fg| BODY_ONLY.iter().map(move |bg| (fg, *bg))),
            );
        for (fg, bg) in pairs {
            let surface = over(get(bg), page);
            let ratio = contrast(over(get(fg), surface), surface);
            if ratio < 4.5 {
                weak.push(format!("{theme}: --{fg} on --{bg} is {ratio:.2}:1"));
            }
        }
    }
    assert!(
        weak.is_empty(),
        "text below 4.5:1 in style.css:\n{}",
        weak.join("\n")
    );
}

#[test]
fn the_contrast_measure_matches_known_pairs() {
    let white = colour("#ffffff");
    assert!((contrast(white, colour("#000000")) - 21.0).abs() < 1e-9);
    assert!((contrast(colour("#767676"), white) - 4.54).abs() < 0.01);
    let half_black = over(colour("rgba(0, 0, 0, 0.5)"), white);
    assert!((half_black.0 - 127.5).abs() < 1e-9);
}

/// The opening tags named `tag` in `html`, each up to its `>`.
fn tags<'a>(html: &'a str, tag: &str) -> Vec<&'a str> {
    let open = format!("<{tag}");
    html.match_indices(&open)
        .map(|(at, _)| &html[at..])
        .filter(|rest| rest[open.len()..].starts_with([' ', '>', '\n']))
        .map(|rest| &rest[..rest.find('>').map_or(rest.len(), |end| end + 1)])
        .collect()
}

#[test]
fn every_page_has_landmarks_a_skip_link_and_labelled_controls() {
    let pages: Vec<&String> = site()
        .1
        .keys()
        .filter(|path| path.ends_with(".html"))
        .collect();
    assert!(pages.len() > 40, "{pages:?}");
    let mut problems = Vec::new();
    for path in pages {
        let html = text(path);
        let mut problem = |what: String| problems.push(format!("{path}: {what}"));
        if !tags(&html, "html")
            .first()
            .is_some_and(|tag| tag.contains(" lang=\"en\""))
        {
            problem("no lang on <html>".into());
        }
        if !html.contains("<title>") || html.contains("<title></title>") {
            problem("no title".into());
        }
        for landmark in ["header", "main", "footer"] {
            let count = tags(&html, landmark).len();
            if count != 1 {
                problem(format!("{count} <{landmark}> elements, not one"));
            }
        }
        if tags(&html, "main")
            .first()
            .is_some_and(|tag| !tag.contains("id=\"content\""))
        {
            problem("<main> is not #content, where the skip link leads".into());
        }
        for nav in tags(&html, "nav") {
            if !nav.contains("aria-label=") {
                problem(format!("a nav without aria-label: {nav}"));
            }
        }
        // The 404 page is served at any address under a <base>, where `#content` would
        // lead to the start page: its skip link is made by a script, for its address
        // (keyboard.mjs follows it).
        let body = &html[html.find("<body").unwrap_or(0)..];
        let first = ["<a ", "<button"]
            .iter()
            .filter_map(|tag| body.find(tag))
            .min()
            .map(|at| &body[at..at + body[at..].find('>').unwrap_or(0)]);
        let skip_first =
            first.is_some_and(|tag| tag.contains("class=\"skip-link\" href=\"#content\""));
        let made = html.contains("link.className = \"skip-link\"");
        if !(skip_first || path == "404.html" && made) {
            problem(format!("the first control is not the skip link: {first:?}"));
        }
        for button in tags(&html, "button") {
            let start = html.find(button).unwrap() + button.len();
            let words = html[start..].split("</button>").next().unwrap_or("");
            let labelled = button.contains("aria-label=\"") || !strip_tags(words).trim().is_empty();
            if !labelled {
                problem(format!("a button without a name: {button}"));
            }
        }
        // Task lists' boxes; the dashboard's selects sit inside their <label>.
        for input in tags(&html, "input") {
            if !input.contains("aria-label=\"") {
                problem(format!("an input without a name: {input}"));
            }
        }
        for img in tags(&html, "img") {
            if !img.contains(" alt=") {
                problem(format!("an image without alt: {img}"));
            }
        }
        for svg in tags(&html, "svg") {
            let hidden = svg.contains("aria-hidden=\"true\"");
            let named = svg.contains("role=\"img\"") && svg.contains("aria-label=\"");
            if !hidden && !named {
                problem(format!("an svg neither hidden nor named: {svg}"));
            }
        }
        for wrap in tags(&html, "div")
            .into_iter()
            .filter(|tag| tag.contains("class=\"table-wrap\""))
        {
            let named = wrap.contains("aria-label=\"") || wrap.contains("aria-labelledby=\"");
            if !(wrap.contains("role=\"region\"") && wrap.contains("tabindex=\"0\"") && named) {
                problem(format!(
                    "a table box a keyboard cannot reach, or without a name: {wrap}"
                ));
            }
        }
        for pre in tags(&html, "pre")
            .into_iter()
            .filter(|tag| tag.contains("class=\"code\""))
        {
            if !pre.contains("tabindex=\"0\"") {
                problem(format!("a code block a keyboard cannot scroll: {pre}"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// `html` without its tags.
fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in html.chars() {
        match c {
            '<' => inside = true,
            '>' => inside = false,
            c if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

#[test]
fn labelled_tables_name_a_heading_of_their_page() {
    let html = text("guide/rules/index.html");
    let wrap = tags(&html, "div")
        .into_iter()
        .find(|tag| tag.contains("class=\"table-wrap\""))
        .expect("the rules reference has a table");
    let id = wrap
        .split("aria-labelledby=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("labelled by its section's heading: {wrap}"));
    assert!(
        html.contains(&format!("<h1 id=\"{id}\"")) || html.contains(&format!("<h2 id=\"{id}\"")),
        "#{id} is a heading of the page"
    );
}
