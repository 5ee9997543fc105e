//! Code highlighting at build time: syntect with two-face's grammars, emitting CSS
//! classes (`hl-*`) so one light and one dark stylesheet theme the same HTML.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Arc, Mutex, OnceLock};

use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;
use two_face::theme::EmbeddedThemeName;

use super::escape;

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Highlights fenced code blocks; safe to share between rendering threads.
#[derive(Default)]
pub struct Highlighter {
    /// Loaded on first use: a handbook without code never pays for the grammars.
    syntaxes: OnceLock<SyntaxSet>,
    /// Highlighted blocks by hash of (language, code): handbooks repeat snippets. The
    /// entry keeps its language and code so a hash collision is a miss, never a wrong block.
    cache: Mutex<HashMap<u64, Cached>>,
    /// Fence languages already looked up (the lookup scans every grammar).
    languages: Mutex<HashMap<String, Option<usize>>>,
    /// The build cache's blocks from earlier builds (`cache::blocks`), when there is one.
    store: Option<Arc<crate::cache::Blocks>>,
}

struct Cached {
    lang: Box<str>,
    code: Box<str>,
    html: Arc<str>,
}

impl Highlighter {
    /// A highlighter that keeps its blocks in the build cache `store` too.
    pub fn with_store(store: Arc<crate::cache::Blocks>) -> Highlighter {
        Highlighter {
            store: Some(store),
            ..Highlighter::default()
        }
    }

    /// What the HTML of a block depends on besides its language and code: the
    /// highlighter's, the grammars' and the class map's versions.
    pub fn identity() -> &'static str {
        "syntect-5.3+two-face-0.5.2/classes-1"
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

    fn render(&self, lang: &str, code: &str) -> String {
        let class = if lang.is_empty() {
            String::new()
        } else {
            format!(" class=\"language-{}\"", escape(lang))
        };
        let body = self
            .syntax(lang)
            .and_then(|syntax| self.highlight(syntax, code))
            .unwrap_or_else(|| escape(code));
        format!("<pre class=\"code\"><code{class}>{body}</code></pre>\n")
    }

    fn syntax(&self, lang: &str) -> Option<&SyntaxReference> {
        let known = self
            .languages
            .lock()
            .expect("languages lock")
            .get(lang)
            .copied();
        let index = match known {
            Some(index) => index,
            None => {
                let index = self.find_syntax(lang);
                self.languages
                    .lock()
                    .expect("languages lock")
                    .insert(lang.to_string(), index);
                index
            }
        };
        index.map(|index| &self.syntaxes().syntaxes()[index])
    }

    fn find_syntax(&self, lang: &str) -> Option<usize> {
        let token = match lang.to_ascii_lowercase().as_str() {
            "" | "text" | "txt" | "plain" | "plaintext" | "console" | "output" => return None,
            "shell" | "sh" | "zsh" | "shell-session" => "bash".to_string(),
            "ts" => "typescript".to_string(),
            "tf" | "terraform" => "hcl".to_string(),
            "yml" => "yaml".to_string(),
            "docker" => "dockerfile".to_string(),
            "jsonc" | "json5" => "json".to_string(),
            "golang" => "go".to_string(),
            "py" => "python".to_string(),
            "rs" => "rust".to_string(),
            other => other.to_string(),
        };
        let syntaxes = self.syntaxes();
        let syntax = syntaxes
            .find_syntax_by_token(&token)
            .or_else(|| syntaxes.find_syntax_by_name(lang))?;
        syntaxes
            .syntaxes()
            .iter()
            .position(|candidate| std::ptr::eq(candidate, syntax))
    }

    fn syntaxes(&self) -> &SyntaxSet {
        self.syntaxes.get_or_init(two_face::syntax::extra_newlines)
    }

    fn highlight(&self, syntax: &SyntaxReference, code: &str) -> Option<String> {
        let mut generator =
            ClassedHTMLGenerator::new_with_class_style(syntax, self.syntaxes(), CLASS_STYLE);
        for line in LinesWithEndings::from(code) {
            generator
                .parse_html_for_line_which_includes_newline(line)
                .ok()?;
        }
        Some(generator.finalize())
    }
}

/// The light and the dark stylesheet for highlighted code.
pub fn stylesheets() -> (String, String) {
    let themes = two_face::theme::extra();
    let css = |name| {
        css_for_theme_with_class_style(themes.get(name), CLASS_STYLE)
            .expect("embedded themes produce CSS")
    };
    (
        css(EmbeddedThemeName::Github),
        css(EmbeddedThemeName::OneHalfDark),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_languages_get_classes_unknown_are_escaped() {
        let highlighter = Highlighter::default();
        let rust = highlighter.block("rust,ignore", "fn main() {}\n");
        assert!(
            rust.contains("hl-keyword") || rust.contains("hl-storage"),
            "{rust}"
        );
        let unknown = highlighter.block("nosuchlang", "<script>x</script>\n");
        assert!(unknown.contains("&lt;script&gt;"), "{unknown}");
        for lang in [
            "toml",
            "typescript",
            "dockerfile",
            "hcl",
            "yaml",
            "go",
            "json",
            "bash",
            "python",
        ] {
            assert!(highlighter.syntax(lang).is_some(), "{lang}");
        }
    }
}
