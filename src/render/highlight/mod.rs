//! Code highlighting at build time, as flat CSS classes (`hl-*`, listed in
//! [`class::Class`]) so one light and one dark stylesheet theme the same HTML.
//!
//! The languages handbooks use most go through tree-sitter (`grammar.rs`, `tree.rs`);
//! shell sessions through `console.rs`; every other language syntect knows through
//! `fallback.rs`. All of them write [`runs::Runs`]: at most one `<span>` around any
//! text, never nested.

mod class;
mod console;
mod fallback;
mod grammar;
mod runs;
mod tree;

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Arc, Mutex, OnceLock};

pub use class::stylesheets;

use super::escape;
use class::Class;
use grammar::Grammar;
use runs::Runs;

/// Bumped whenever the code here changes what a block becomes: the writer, the console
/// rules, the fence names each language takes (`route`, `Grammar::from_name`, the
/// fallback's aliases). Grammar versions, queries and class maps are in
/// [`Highlighter::identity`] already.
const FORMAT: u32 = 1;

/// The crates whose versions decide the output (a unit test checks them against
/// Cargo.lock, so a dependency update cannot leave [`Highlighter::identity`] stale).
const VERSIONED: [(&str, &str); 23] = [
    ("tree-sitter", "0.27.1"),
    ("tree-sitter-highlight", "0.27.1"),
    ("syntect", "5.3.0"),
    ("two-face", "0.5.2+bat-0.26.1"),
    ("tree-sitter-bash", "0.25.1"),
    ("tree-sitter-c", "0.24.2"),
    ("tree-sitter-containerfile", "0.9.2"),
    ("tree-sitter-cpp", "0.23.4"),
    ("tree-sitter-css", "0.25.0"),
    ("tree-sitter-diff", "0.1.0"),
    ("tree-sitter-go", "0.25.0"),
    ("tree-sitter-hcl", "1.1.0"),
    ("tree-sitter-html", "0.23.2"),
    ("tree-sitter-java", "0.23.5"),
    ("tree-sitter-javascript", "0.25.0"),
    ("tree-sitter-json", "0.24.8"),
    ("tree-sitter-md", "0.5.4"),
    ("tree-sitter-python", "0.25.0"),
    ("tree-sitter-rust", "0.24.2"),
    ("tree-sitter-sequel", "0.3.11"),
    ("tree-sitter-toml-ng", "0.7.0"),
    ("tree-sitter-typescript", "0.23.2"),
    ("tree-sitter-yaml", "0.7.2"),
];

/// Highlights fenced code blocks; safe to share between rendering threads.
#[derive(Default)]
pub struct Highlighter {
    fallback: fallback::Fallback,
    /// Highlighted blocks by hash of (language, code): handbooks repeat snippets. The
    /// entry keeps its language and code so a hash collision is a miss, never a wrong block.
    cache: Mutex<HashMap<u64, Cached>>,
    /// The build cache's blocks from earlier builds (`cache::blocks`), when there is one.
    store: Option<Arc<crate::cache::Blocks>>,
}

struct Cached {
    lang: Box<str>,
    code: Box<str>,
    html: Arc<str>,
}

/// What highlights a fence language.
enum Route {
    Plain,
    Console,
    Tree(Grammar),
    Fallback,
}

impl Highlighter {
    /// A highlighter that keeps its blocks in the build cache `store` too.
    pub fn with_store(store: Arc<crate::cache::Blocks>) -> Highlighter {
        Highlighter {
            store: Some(store),
            ..Highlighter::default()
        }
    }

    /// A `<pre><code>` block for `code` in language `lang` (the fence's info string).
    /// An unknown language renders as plain escaped code.
    pub fn block(&self, lang: &str, code: &str) -> Arc<str> {
        let lang = lang
            .split(|c: char| c == ',' || c.is_whitespace())
            .next()
            .unwrap_or("")
            .trim();
        let key = {
            let mut hasher = DefaultHasher::new();
            (lang, code).hash(&mut hasher);
            hasher.finish()
        };
        if let Some(hit) = self.cache.lock().expect("cache lock").get(&key)
            && *hit.lang == *lang
            && *hit.code == *code
        {
            return hit.html.clone();
        }
        let stored = self.store.as_ref().map(|store| {
            (
                store,
                crate::cache::blocks::key(Self::identity(), lang, code),
            )
        });
        let html: Arc<str> = match stored.and_then(|(store, key)| store.get(key)) {
            Some(html) => html,
            None => {
                let html: Arc<str> = self.render(lang, code).into();
                if let Some((store, key)) = stored {
                    store.put(key, html.clone());
                }
                html
            }
        };
        let entry = Cached {
            lang: lang.into(),
            code: code.into(),
            html: html.clone(),
        };
        self.cache.lock().expect("cache lock").insert(key, entry);
        html
    }

    /// Names the highlighter, its grammars and queries and the class map: two builds
    /// with the same identity write the same HTML for the same block, so a persistent
    /// cache of highlighted blocks can be keyed on it.
    pub fn identity() -> &'static str {
        static IDENTITY: OnceLock<String> = OnceLock::new();
        IDENTITY.get_or_init(|| {
            // FNV-1a: stable across Rust releases, unlike the standard library's hasher.
            let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
            let mut feed = |text: &str| {
                for byte in text.bytes().chain([0]) {
                    hash ^= u64::from(byte);
                    hash = hash.wrapping_mul(0x0100_0000_01b3);
                }
            };
            for grammar in Grammar::ALL {
                let (highlights, injections) = grammar.queries();
                highlights.into_iter().for_each(&mut feed);
                feed(injections);
            }
            for (capture, class) in grammar::CAPTURES {
                feed(capture);
                feed(class.map_or("", Class::name));
            }
            fallback::scope_table().for_each(&mut feed);
            let versions: Vec<String> = VERSIONED
                .iter()
                .map(|(name, version)| format!("{name}@{version}"))
                .collect();
            format!(
                "shipshape-highlight/{FORMAT} {} queries+classes/{hash:016x}",
                versions.join(" ")
            )
        })
    }

    fn render(&self, lang: &str, code: &str) -> String {
        let class = if lang.is_empty() {
            String::new()
        } else {
            format!(" class=\"language-{}\"", escape(lang))
        };
        let mut runs = Runs::with_capacity(code.len());
        let highlighted = match self.route(lang) {
            Route::Plain => false,
            Route::Console => {
                console::highlight(code, &mut runs);
                true
            }
            Route::Tree(grammar) => tree::highlight(grammar, code, &mut runs),
            Route::Fallback => self.fallback.highlight(lang, code, &mut runs),
        };
        if !highlighted {
            runs.push(None, code);
        }
        let body = runs.finish();
        format!("<pre class=\"code\"><code{class}>{body}</code></pre>\n")
    }

    fn route(&self, lang: &str) -> Route {
        let lang = lang.to_ascii_lowercase();
        match lang.as_str() {
            "" | "text" | "txt" | "plain" | "plaintext" | "output" | "log" => Route::Plain,
            "console" | "shell-session" | "shellsession" | "sh-session" | "terminal" => {
                Route::Console
            }
            name => match Grammar::from_name(name) {
                Some(Grammar::MarkdownInline) | None => Route::Fallback,
                Some(grammar) => Route::Tree(grammar),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `<span>` in `html` is closed before the next opens.
    fn assert_flat(html: &str) {
        let mut open = false;
        for tag in html.split('<').skip(1) {
            if tag.starts_with("span") {
                assert!(!open, "nested span in {html}");
                open = true;
            } else if tag.starts_with("/span") {
                assert!(open, "stray </span> in {html}");
                open = false;
            }
        }
        assert!(!open, "unclosed span in {html}");
    }

    /// The text of a highlighted block: its tags taken out, its entities undone.
    fn text_of(html: &str) -> String {
        let body = &html[html.find("<code").unwrap()..html.rfind("</code>").unwrap()];
        let body = &body[body.find('>').unwrap() + 1..];
        let mut text = String::new();
        let mut rest = body;
        while let Some(at) = rest.find('<') {
            text.push_str(&rest[..at]);
            rest = &rest[at + rest[at..].find('>').unwrap() + 1..];
        }
        text.push_str(rest);
        text.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&")
    }

    #[test]
    fn odd_code_comes_out_whole_and_flat_in_every_language() {
        let highlighter = Highlighter::default();
        let samples = [
            "\"unterminated\n/* open comment\n",
            "naïve → ünïcödé 🚀 'x\r\ny = \"€\"\r\n",
            "\0\u{1}\t<&>\n\n\n",
            "}}}])) ((( [[[ {{{\n",
            "$ \\\n",
            "",
        ];
        let mut languages = vec!["console", "ruby", "text"];
        for grammar in Grammar::ALL {
            if grammar != Grammar::MarkdownInline {
                assert!(
                    matches!(highlighter.route(grammar.name()), Route::Tree(g) if g == grammar)
                );
                languages.push(grammar.name());
            }
        }
        for lang in languages {
            for sample in samples {
                let html = highlighter.block(lang, sample);
                assert_eq!(text_of(&html), sample, "{lang}: {html}");
                assert_flat(&html);
            }
        }
    }

    #[test]
    fn unknown_and_plain_languages_are_escaped_text() {
        let highlighter = Highlighter::default();
        for lang in ["nosuchlang", "", "text"] {
            let html = highlighter.block(lang, "<script>x</script> & y\n");
            assert!(!html.contains("<span"), "{html}");
            assert!(
                html.contains("&lt;script&gt;x&lt;/script&gt; &amp; y"),
                "{html}"
            );
        }
    }

    #[test]
    fn fallback_languages_get_flat_classes() {
        let highlighter = Highlighter::default();
        let ruby = highlighter.block(
            "ruby",
            "# note\ndef greet(name)\n  puts \"hi #{name}\" if 42 > 1\nend\n",
        );
        assert_flat(&ruby);
        for class in ["hl-comment", "hl-keyword", "hl-string", "hl-number"] {
            assert!(ruby.contains(class), "{class} in {ruby}");
        }
        assert!(!ruby.contains("hl-source"), "{ruby}");
    }

    #[test]
    fn identity_names_versions_and_is_stable() {
        let identity = Highlighter::identity();
        assert!(identity.starts_with("shipshape-highlight/"), "{identity}");
        assert!(identity.contains("tree-sitter-rust@0.24.2"), "{identity}");
        assert_eq!(identity, Highlighter::identity());
    }

    #[test]
    fn identity_versions_are_the_locked_ones() {
        let lock = include_str!("../../../Cargo.lock");
        for (name, version) in VERSIONED {
            let entry = format!("name = \"{name}\"\nversion = \"{version}\"\n");
            assert!(
                lock.contains(&entry),
                "Cargo.lock has another {name} than {version}: update VERSIONED"
            );
        }
        for line in lock.lines() {
            if let Some(name) = line
                .strip_prefix("name = \"tree-sitter-")
                .and_then(|rest| rest.strip_suffix('"'))
            {
                let name = format!("tree-sitter-{name}");
                assert!(
                    name == "tree-sitter-language"
                        || VERSIONED.iter().any(|(known, _)| *known == name),
                    "{name} is not in VERSIONED"
                );
            }
        }
    }
}
