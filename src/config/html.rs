//! mdBook's `[output.html]` table: the keys of it that change what a reader gets, read
//! with mdBook 0.5's defaults. Keys shipshape does not use are accepted and ignored, so
//! an mdBook book builds unchanged.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Deserializer};

/// `[output.html]`.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct OutputHtml {
    /// Curly quotes, dashes and ellipses; mdBook 0.5 turns it on unless told not to.
    /// `curly-quotes` is mdBook 0.4's name for it.
    #[serde(alias = "curly-quotes")]
    pub smart_punctuation: bool,
    /// `\( … \)` and `\[ … \]` math, rendered at build time.
    pub mathjax_support: bool,
    /// Stylesheets and scripts of the book, relative to its root, linked from every page.
    pub additional_css: Vec<PathBuf>,
    pub additional_js: Vec<PathBuf>,
    /// Leaves the section numbers (`1.2.`) out of the sidebar.
    pub no_section_label: bool,
    /// A link to the book's repository in the top bar.
    pub git_repository_url: Option<WebUrl>,
    /// "Edit this page": `{path}` is the page's source, from the book's root.
    pub edit_url_template: Option<WebUrl>,
    /// Where the book is served; the default of `[shipshape] base-url`.
    pub site_url: Option<String>,
    /// Old page → where it moved: a redirect page is written at the old path.
    pub redirect: BTreeMap<String, String>,
    pub search: Search,
    pub code: Code,
    pub print: Print,
}

impl Default for OutputHtml {
    fn default() -> OutputHtml {
        OutputHtml {
            smart_punctuation: true,
            mathjax_support: false,
            additional_css: Vec::new(),
            additional_js: Vec::new(),
            no_section_label: false,
            git_repository_url: None,
            edit_url_template: None,
            site_url: None,
            redirect: BTreeMap::new(),
            search: Search::default(),
            code: Code::default(),
            print: Print::default(),
        }
    }
}

/// `[output.html.search]`.
#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct Search {
    pub enable: bool,
}

impl Default for Search {
    fn default() -> Search {
        Search { enable: true }
    }
}

/// `[output.html.print]`: `enable = false` writes no print page.
#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct Print {
    pub enable: bool,
}

impl Default for Print {
    fn default() -> Print {
        Print { enable: true }
    }
}

/// `[output.html.code]`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct Code {
    /// Language → the prefix that hides a line in its code blocks.
    pub hidelines: BTreeMap<String, String>,
}

/// A web address from book.toml, which is written into every page: only `https://` and
/// `http://`, so that a pull request cannot plant a `javascript:` link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebUrl(String);

impl WebUrl {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for WebUrl {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<WebUrl, D::Error> {
        let text = String::deserialize(deserializer)?;
        let text = text.trim();
        let web = ["https://", "http://"]
            .iter()
            .any(|scheme| text.len() > scheme.len() && text.starts_with(scheme));
        if !web || text.chars().any(char::is_control) {
            return Err(serde::de::Error::custom(format!(
                "`{text}` is not a web address: write one that starts with https://"
            )));
        }
        Ok(WebUrl(text.to_string()))
    }
}
