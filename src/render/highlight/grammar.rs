//! The tree-sitter grammars: which fence languages each one takes, its queries (the
//! grammar crate's, then ours from `queries/`, which win where both match a node), and
//! the capture names mapped to flat classes.

use std::sync::OnceLock;

use tree_sitter_highlight::HighlightConfiguration;

use super::class::Class;

/// A language highlighted with tree-sitter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grammar {
    Rust,
    Python,
    Go,
    Java,
    JavaScript,
    TypeScript,
    Tsx,
    Bash,
    Json,
    Yaml,
    Toml,
    Sql,
    Html,
    Css,
    C,
    Cpp,
    Dockerfile,
    Hcl,
    Diff,
    Markdown,
    /// Markdown's inline grammar, reached only by injection from [`Grammar::Markdown`].
    MarkdownInline,
}

const COUNT: usize = 21;

impl Grammar {
    /// Every grammar, in declaration order (the index of each is `self as usize`).
    pub const ALL: [Grammar; COUNT] = [
        Grammar::Rust,
        Grammar::Python,
        Grammar::Go,
        Grammar::Java,
        Grammar::JavaScript,
        Grammar::TypeScript,
        Grammar::Tsx,
        Grammar::Bash,
        Grammar::Json,
        Grammar::Yaml,
        Grammar::Toml,
        Grammar::Sql,
        Grammar::Html,
        Grammar::Css,
        Grammar::C,
        Grammar::Cpp,
        Grammar::Dockerfile,
        Grammar::Hcl,
        Grammar::Diff,
        Grammar::Markdown,
        Grammar::MarkdownInline,
    ];

    /// The main fence name of the language (`from_name` takes it back).
    pub fn name(self) -> &'static str {
        match self {
            Grammar::Rust => "rust",
            Grammar::Python => "python",
            Grammar::Go => "go",
            Grammar::Java => "java",
            Grammar::JavaScript => "javascript",
            Grammar::TypeScript => "typescript",
            Grammar::Tsx => "tsx",
            Grammar::Bash => "bash",
            Grammar::Json => "json",
            Grammar::Yaml => "yaml",
            Grammar::Toml => "toml",
            Grammar::Sql => "sql",
            Grammar::Html => "html",
            Grammar::Css => "css",
            Grammar::C => "c",
            Grammar::Cpp => "cpp",
            Grammar::Dockerfile => "dockerfile",
            Grammar::Hcl => "hcl",
            Grammar::Diff => "diff",
            Grammar::Markdown => "markdown",
            Grammar::MarkdownInline => "markdown_inline",
        }
    }

    /// The grammar for a fence language (already lowercased), if one of ours takes it.
    pub fn from_name(name: &str) -> Option<Grammar> {
        Some(match name {
            "rust" | "rs" => Grammar::Rust,
            "python" | "py" | "python3" | "py3" => Grammar::Python,
            "go" | "golang" => Grammar::Go,
            "java" => Grammar::Java,
            "javascript" | "js" | "jsx" | "mjs" | "cjs" | "node" => Grammar::JavaScript,
            "typescript" | "ts" | "mts" | "cts" => Grammar::TypeScript,
            "tsx" => Grammar::Tsx,
            "bash" | "sh" | "shell" | "zsh" | "ksh" | "shellscript" => Grammar::Bash,
            "json" | "jsonc" | "json5" | "jsonl" | "geojson" => Grammar::Json,
            "yaml" | "yml" => Grammar::Yaml,
            "toml" => Grammar::Toml,
            "sql" | "postgresql" | "postgres" | "psql" | "mysql" | "sqlite" | "plsql" => {
                Grammar::Sql
            }
            "html" | "htm" | "xhtml" => Grammar::Html,
            "css" => Grammar::Css,
            "c" | "h" => Grammar::C,
            "cpp" | "c++" | "cxx" | "cc" | "hpp" | "hxx" => Grammar::Cpp,
            "dockerfile" | "docker" | "containerfile" => Grammar::Dockerfile,
            "hcl" | "terraform" | "tf" | "tfvars" => Grammar::Hcl,
            "diff" | "patch" | "udiff" => Grammar::Diff,
            "markdown" | "md" => Grammar::Markdown,
            "markdown_inline" => Grammar::MarkdownInline,
            _ => return None,
        })
    }

    /// The configuration, built on first use and then shared by every thread. `None`
    /// only if a query does not compile, which a unit test rules out.
    pub fn config(self) -> Option<&'static HighlightConfiguration> {
        static CONFIGS: [OnceLock<Option<HighlightConfiguration>>; COUNT] =
            [const { OnceLock::new() }; COUNT];
        CONFIGS[self as usize]
            .get_or_init(|| self.build().ok())
            .as_ref()
    }

    /// The queries as given to tree-sitter: highlights (the crate's, then ours), injections.
    pub fn queries(self) -> (Vec<&'static str>, &'static str) {
        use tree_sitter_javascript as js;
        match self {
            Grammar::Rust => (
                vec![
                    tree_sitter_rust::HIGHLIGHTS_QUERY,
                    include_str!("queries/rust.scm"),
                ],
                tree_sitter_rust::INJECTIONS_QUERY,
            ),
            Grammar::Python => (vec![tree_sitter_python::HIGHLIGHTS_QUERY], ""),
            Grammar::Go => (
                vec![
                    tree_sitter_go::HIGHLIGHTS_QUERY,
                    include_str!("queries/go.scm"),
                ],
                "",
            ),
            Grammar::Java => (vec![tree_sitter_java::HIGHLIGHTS_QUERY], ""),
            Grammar::JavaScript => (
                vec![
                    js::HIGHLIGHT_QUERY,
                    js::JSX_HIGHLIGHT_QUERY,
                    include_str!("queries/javascript.scm"),
                ],
                "",
            ),
            Grammar::TypeScript => (
                vec![
                    js::HIGHLIGHT_QUERY,
                    tree_sitter_typescript::HIGHLIGHTS_QUERY,
                    include_str!("queries/javascript.scm"),
                ],
                "",
            ),
            Grammar::Tsx => (
                vec![
                    js::HIGHLIGHT_QUERY,
                    js::JSX_HIGHLIGHT_QUERY,
                    tree_sitter_typescript::HIGHLIGHTS_QUERY,
                    include_str!("queries/javascript.scm"),
                ],
                "",
            ),
            Grammar::Bash => (
                vec![
                    tree_sitter_bash::HIGHLIGHT_QUERY,
                    include_str!("queries/bash.scm"),
                ],
                "",
            ),
            Grammar::Json => (
                vec![
                    tree_sitter_json::HIGHLIGHTS_QUERY,
                    include_str!("queries/json.scm"),
                ],
                "",
            ),
            Grammar::Yaml => (vec![tree_sitter_yaml::HIGHLIGHTS_QUERY], ""),
            Grammar::Toml => (vec![include_str!("queries/toml.scm")], ""),
            Grammar::Sql => (
                vec![
                    tree_sitter_sequel::HIGHLIGHTS_QUERY,
                    include_str!("queries/sql.scm"),
                ],
                "",
            ),
            Grammar::Html => (
                vec![
                    tree_sitter_html::HIGHLIGHTS_QUERY,
                    include_str!("queries/html.scm"),
                ],
                tree_sitter_html::INJECTIONS_QUERY,
            ),
            Grammar::Css => (
                vec![
                    tree_sitter_css::HIGHLIGHTS_QUERY,
                    include_str!("queries/css.scm"),
                ],
                "",
            ),
            Grammar::C => (vec![tree_sitter_c::HIGHLIGHT_QUERY], ""),
            Grammar::Cpp => (
                vec![
                    tree_sitter_c::HIGHLIGHT_QUERY,
                    tree_sitter_cpp::HIGHLIGHT_QUERY,
                ],
                "",
            ),
            Grammar::Dockerfile => (
                vec![
                    tree_sitter_containerfile::HIGHLIGHTS_QUERY,
                    include_str!("queries/dockerfile.scm"),
                ],
                tree_sitter_containerfile::INJECTIONS_QUERY,
            ),
            Grammar::Hcl => (vec![include_str!("queries/hcl.scm")], ""),
            Grammar::Diff => (vec![include_str!("queries/diff.scm")], ""),
            Grammar::Markdown => (
                vec![tree_sitter_md::HIGHLIGHT_QUERY_BLOCK],
                include_str!("queries/markdown-injections.scm"),
            ),
            Grammar::MarkdownInline => (
                vec![tree_sitter_md::HIGHLIGHT_QUERY_INLINE],
                tree_sitter_md::INJECTION_QUERY_INLINE,
            ),
        }
    }

    fn language(self) -> tree_sitter::Language {
        match self {
            Grammar::Rust => tree_sitter_rust::LANGUAGE,
            Grammar::Python => tree_sitter_python::LANGUAGE,
            Grammar::Go => tree_sitter_go::LANGUAGE,
            Grammar::Java => tree_sitter_java::LANGUAGE,
            Grammar::JavaScript => tree_sitter_javascript::LANGUAGE,
            Grammar::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT,
            Grammar::Tsx => tree_sitter_typescript::LANGUAGE_TSX,
            Grammar::Bash => tree_sitter_bash::LANGUAGE,
            Grammar::Json => tree_sitter_json::LANGUAGE,
            Grammar::Yaml => tree_sitter_yaml::LANGUAGE,
            Grammar::Toml => tree_sitter_toml_ng::LANGUAGE,
            Grammar::Sql => tree_sitter_sequel::LANGUAGE,
            Grammar::Html => tree_sitter_html::LANGUAGE,
            Grammar::Css => tree_sitter_css::LANGUAGE,
            Grammar::C => tree_sitter_c::LANGUAGE,
            Grammar::Cpp => tree_sitter_cpp::LANGUAGE,
            Grammar::Dockerfile => tree_sitter_containerfile::LANGUAGE,
            Grammar::Hcl => tree_sitter_hcl::LANGUAGE,
            Grammar::Diff => tree_sitter_diff::LANGUAGE,
            Grammar::Markdown => tree_sitter_md::LANGUAGE,
            Grammar::MarkdownInline => tree_sitter_md::INLINE_LANGUAGE,
        }
        .into()
    }

    fn build(self) -> Result<HighlightConfiguration, tree_sitter::QueryError> {
        let (highlights, injections) = self.queries();
        // Spell-checking marks ride on other captures (`(comment) @comment @spell`); a
        // node's last capture decides its highlight, so they would hide the comment.
        let highlights = highlights
            .concat()
            .replace("@nospell", "")
            .replace("@spell", "");
        let mut config =
            HighlightConfiguration::new(self.language(), self.name(), &highlights, injections, "")?;
        config.configure(&CAPTURE_NAMES);
        Ok(config)
    }
}

/// Capture names → flat class (`None`: plain text, which also resets an outer capture:
/// an interpolation inside a string is not string-coloured). A capture is matched to
/// the entry sharing most of its dotted parts, so `function.method` is `function` and
/// `string.special.key` is a property. Captures not listed (`spell`, `none`) are ignored.
pub const CAPTURES: [(&str, Option<Class>); 53] = [
    ("keyword", Some(Class::Keyword)),
    ("conditional", Some(Class::Keyword)),
    ("repeat", Some(Class::Keyword)),
    ("storageclass", Some(Class::Keyword)),
    ("type.qualifier", Some(Class::Keyword)),
    ("include", Some(Class::Keyword)),
    ("exception", Some(Class::Keyword)),
    ("string", Some(Class::String)),
    ("character", Some(Class::String)),
    ("string.special", Some(Class::String)),
    ("text.literal", Some(Class::String)),
    ("escape", Some(Class::Escape)),
    ("string.escape", Some(Class::Escape)),
    ("string.special.key", Some(Class::Property)),
    ("comment", Some(Class::Comment)),
    ("number", Some(Class::Number)),
    ("float", Some(Class::Number)),
    ("constant", Some(Class::Constant)),
    ("boolean", Some(Class::Constant)),
    ("constant.builtin", Some(Class::Constant)),
    ("type", Some(Class::Type)),
    ("constructor", Some(Class::Type)),
    ("function", Some(Class::Function)),
    ("method", Some(Class::Function)),
    ("function.builtin", Some(Class::Builtin)),
    ("variable.builtin", Some(Class::Builtin)),
    ("variable", None),
    ("variable.parameter", Some(Class::Variable)),
    ("parameter", Some(Class::Variable)),
    ("variable.special", Some(Class::Variable)),
    ("property", Some(Class::Property)),
    ("field", Some(Class::Property)),
    ("attribute", Some(Class::Attribute)),
    ("tag", Some(Class::Tag)),
    ("tag.attribute", Some(Class::Attribute)),
    ("operator", Some(Class::Operator)),
    ("keyword.operator", Some(Class::Keyword)),
    ("punctuation", None),
    ("delimiter", None),
    ("punctuation.special", Some(Class::Punctuation)),
    ("embedded", None),
    ("label", Some(Class::Label)),
    ("namespace", Some(Class::Namespace)),
    ("module", Some(Class::Namespace)),
    ("diff.plus", Some(Class::Inserted)),
    ("diff.minus", Some(Class::Deleted)),
    ("text.title", Some(Class::Heading)),
    ("text.emphasis", Some(Class::Emphasis)),
    ("text.strong", Some(Class::Strong)),
    ("text.uri", Some(Class::Link)),
    ("text.reference", Some(Class::Link)),
    ("function.macro", Some(Class::Function)),
    ("comment.documentation", Some(Class::Comment)),
];

const CAPTURE_NAMES: [&str; CAPTURES.len()] = {
    let mut names = [""; CAPTURES.len()];
    let mut i = 0;
    while i < CAPTURES.len() {
        names[i] = CAPTURES[i].0;
        i += 1;
    }
    names
};

/// The class of a highlight index from a configuration built with [`CAPTURES`].
pub fn class(highlight: tree_sitter_highlight::Highlight) -> Option<Class> {
    CAPTURES.get(highlight.0).and_then(|(_, class)| *class)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_grammar_builds_and_is_indexed_by_its_position() {
        for (index, grammar) in Grammar::ALL.into_iter().enumerate() {
            assert_eq!(grammar as usize, index);
            assert_eq!(Grammar::from_name(grammar.name()), Some(grammar));
            if let Err(error) = grammar.build() {
                panic!("{grammar:?}: {error}");
            }
        }
    }

    #[test]
    fn capture_names_are_unique() {
        let mut names = CAPTURE_NAMES.to_vec();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), CAPTURES.len());
    }
}
