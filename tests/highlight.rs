//! Code highlighting through the built site: every tree-sitter language of the
//! `highlight` fixture gives its keywords, strings, comments, numbers, types and
//! function names their flat `hl-*` class; other languages go through syntect into the
//! same classes; code is always escaped.

mod common;

use std::sync::OnceLock;

use common::{TODAY, fixture, handbook, shipshape, stderr};

/// Builds `dir` and returns the HTML of its `index.html` and both code stylesheets.
fn build(dir: &std::path::Path) -> (String, String, String) {
    let out = tempfile::tempdir().unwrap();
    let output = shipshape()
        .args(["build", "--today", TODAY, "-d"])
        .arg(out.path())
        .arg(dir)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let read = |path: &str| std::fs::read_to_string(out.path().join(path)).unwrap();
    (
        read("index.html"),
        read("static/highlight-light.css"),
        read("static/highlight-dark.css"),
    )
}

/// The `highlight` fixture's page, built once for all the tests here.
fn languages_page() -> &'static str {
    static PAGE: OnceLock<String> = OnceLock::new();
    PAGE.get_or_init(|| build(fixture("highlight").path()).0)
}

/// A run of code: its class (`None` for plain text) and its text, unescaped.
type Run = (Option<String>, String);

/// The runs of the code block whose fence says `lang`. Panics on a nested or unclosed
/// span, or any tag in the code other than a highlight span.
fn runs(page: &str, lang: &str) -> Vec<Run> {
    let open = format!("<code class=\"language-{lang}\">");
    let start = page
        .find(&open)
        .unwrap_or_else(|| panic!("no {lang} block in the page"))
        + open.len();
    let body = &page[start..start + page[start..].find("</code>").unwrap()];
    let mut runs = Vec::new();
    let mut class: Option<String> = None;
    let mut rest = body;
    while !rest.is_empty() {
        let text_end = rest.find('<').unwrap_or(rest.len());
        if text_end > 0 {
            runs.push((class.clone(), unescape(&rest[..text_end])));
        }
        rest = &rest[text_end..];
        if rest.is_empty() {
            break;
        }
        let tag_end = rest.find('>').expect("a closed tag") + 1;
        let tag = &rest[..tag_end];
        if let Some(name) = tag
            .strip_prefix("<span class=\"")
            .and_then(|tag| tag.strip_suffix("\">"))
        {
            assert!(class.is_none(), "a span inside a span in {lang}: {body}");
            assert!(name.starts_with("hl-") && !name.contains(' '), "{tag}");
            class = Some(name.to_string());
        } else if tag == "</span>" {
            assert!(class.take().is_some(), "a stray </span> in {lang}: {body}");
        } else {
            panic!("an unexpected tag {tag} in the {lang} block: {body}");
        }
        rest = &rest[tag_end..];
    }
    assert!(class.is_none(), "an unclosed span in {lang}: {body}");
    runs
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Whether `token` stands in `text` as a whole word (not inside a longer name).
fn has_word(text: &str, token: &str) -> bool {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices(token).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + token.len()..].chars().next();
        let joined_before = token.starts_with(word) && before.is_some_and(word);
        let joined_after = token.ends_with(word) && after.is_some_and(word);
        !joined_before && !joined_after
    })
}

/// Asserts that each `(class, token)` is in a run of that class in the `lang` block.
fn assert_classes(lang: &str, expected: &[(&str, &str)]) {
    let runs = runs(languages_page(), lang);
    for (class, token) in expected {
        assert!(
            runs.iter()
                .any(|(c, text)| c.as_deref() == Some(*class) && has_word(text, token)),
            "{lang}: {token:?} is not in a {class} span; the runs are {runs:#?}"
        );
    }
}

#[test]
fn rust() {
    assert_classes(
        "rust",
        &[
            ("hl-keyword", "fn"),
            ("hl-keyword", "struct"),
            ("hl-keyword", "let"),
            ("hl-string", "\"backoff\""),
            ("hl-comment", "// count the retries"),
            ("hl-number", "250"),
            ("hl-type", "Retry"),
            ("hl-type", "u64"),
            ("hl-function", "backoff"),
            ("hl-function", "println!"),
            ("hl-label", "'outer"),
            ("hl-property", "limit"),
        ],
    );
}

#[test]
fn python() {
    assert_classes(
        "python",
        &[
            ("hl-keyword", "def"),
            ("hl-keyword", "class"),
            ("hl-keyword", "return"),
            ("hl-string", "\"backoff\""),
            ("hl-comment", "# count the retries"),
            ("hl-number", "3"),
            ("hl-number", "2.5"),
            ("hl-type", "Retry"),
            ("hl-type", "float"),
            ("hl-function", "backoff"),
            ("hl-builtin", "len"),
        ],
    );
}

#[test]
fn go() {
    assert_classes(
        "go",
        &[
            ("hl-keyword", "func"),
            ("hl-keyword", "package"),
            ("hl-keyword", "return"),
            ("hl-string", "\"backoff\""),
            ("hl-comment", "// count the retries"),
            ("hl-number", "250"),
            ("hl-type", "Retry"),
            ("hl-type", "int"),
            ("hl-function", "backoff"),
            ("hl-function", "Println"),
            ("hl-builtin", "len"),
        ],
    );
}

#[test]
fn java() {
    assert_classes(
        "java",
        &[
            ("hl-keyword", "class"),
            ("hl-keyword", "public"),
            ("hl-keyword", "return"),
            ("hl-string", "\"retry\""),
            ("hl-comment", "// count the retries"),
            ("hl-number", "250"),
            ("hl-type", "Retry"),
            ("hl-type", "String"),
            ("hl-type", "int"),
            ("hl-function", "backoff"),
            ("hl-function", "repeat"),
        ],
    );
}

#[test]
fn javascript() {
    assert_classes(
        "javascript",
        &[
            ("hl-keyword", "function"),
            ("hl-keyword", "const"),
            ("hl-keyword", "class"),
            ("hl-string", "\"backoff\""),
            ("hl-comment", "// count the retries"),
            ("hl-number", "250"),
            ("hl-type", "Retry"),
            ("hl-function", "backoff"),
            ("hl-function", "log"),
            ("hl-builtin", "console"),
        ],
    );
}

#[test]
fn typescript() {
    assert_classes(
        "typescript",
        &[
            ("hl-keyword", "interface"),
            ("hl-keyword", "function"),
            ("hl-string", "\"backoff\""),
            ("hl-comment", "// count the retries"),
            ("hl-number", "250"),
            ("hl-type", "Retry"),
            ("hl-type", "number"),
            ("hl-type", "string"),
            ("hl-function", "backoff"),
        ],
    );
}

#[test]
fn tsx() {
    assert_classes(
        "tsx",
        &[
            ("hl-keyword", "function"),
            ("hl-keyword", "return"),
            ("hl-string", "\"badge\""),
            ("hl-comment", "// count the retries"),
            ("hl-number", "250"),
            ("hl-type", "string"),
            ("hl-function", "Badge"),
            ("hl-tag", "span"),
            ("hl-attribute", "className"),
        ],
    );
}

#[test]
fn bash() {
    assert_classes(
        "bash",
        &[
            ("hl-keyword", "for"),
            ("hl-keyword", "done"),
            ("hl-string", "\"restarting "),
            ("hl-comment", "# count the retries"),
            ("hl-number", "250"),
            ("hl-function", "sleep"),
            ("hl-function", "backoff"),
            ("hl-builtin", "echo"),
            ("hl-variable", "$svc"),
        ],
    );
}

#[test]
fn console_sessions_mark_prompts_and_leave_output_plain() {
    assert_classes(
        "console",
        &[
            ("hl-prompt", "$ "),
            ("hl-prompt", "# "),
            ("hl-function", "shipctl"),
            ("hl-function", "systemctl"),
            ("hl-string", "\"eu-west-1\""),
        ],
    );
    let runs = runs(languages_page(), "console");
    assert!(
        runs.contains(&(None, "\nrestarted 3 services\n".to_string())),
        "the output line is plain: {runs:#?}"
    );
}

#[test]
fn json() {
    assert_classes(
        "json",
        &[
            ("hl-property", "\"service\""),
            ("hl-string", "\"api\""),
            ("hl-number", "3"),
            ("hl-constant", "true"),
            ("hl-constant", "null"),
        ],
    );
}

#[test]
fn yaml() {
    assert_classes(
        "yaml",
        &[
            ("hl-comment", "# count the retries"),
            ("hl-property", "service"),
            ("hl-string", "api"),
            ("hl-string", "\"serve --port 8080\""),
            ("hl-number", "3"),
            ("hl-constant", "true"),
        ],
    );
}

#[test]
fn toml() {
    assert_classes(
        "toml",
        &[
            ("hl-comment", "# count the retries"),
            ("hl-type", "server"),
            ("hl-property", "name"),
            ("hl-string", "\"api\""),
            ("hl-number", "3"),
            ("hl-constant", "true"),
        ],
    );
}

#[test]
fn sql() {
    assert_classes(
        "sql",
        &[
            ("hl-comment", "-- count the retries"),
            ("hl-keyword", "SELECT"),
            ("hl-keyword", "WHERE"),
            ("hl-keyword", "CREATE TABLE"),
            ("hl-string", "'api'"),
            ("hl-number", "250"),
            ("hl-type", "VARCHAR"),
            ("hl-function", "COUNT"),
        ],
    );
}

#[test]
fn html_with_its_script_highlighted_as_javascript() {
    assert_classes(
        "html",
        &[
            ("hl-comment", "<!-- count the retries -->"),
            ("hl-tag", "div"),
            ("hl-attribute", "class"),
            ("hl-string", "\"badge\""),
            ("hl-keyword", "const"),
            ("hl-number", "250"),
        ],
    );
}

#[test]
fn css() {
    assert_classes(
        "css",
        &[
            ("hl-comment", "/* count the retries */"),
            ("hl-keyword", "@media"),
            ("hl-tag", "span"),
            ("hl-property", "color"),
            ("hl-string", "\"retry\""),
            ("hl-number", "4"),
            ("hl-number", "#336699"),
            ("hl-type", "px"),
        ],
    );
}

#[test]
fn c() {
    assert_classes(
        "c",
        &[
            ("hl-comment", "// count the retries"),
            ("hl-keyword", "struct"),
            ("hl-keyword", "return"),
            ("hl-string", "\"backoff\""),
            ("hl-number", "250"),
            ("hl-type", "int"),
            ("hl-type", "retry"),
            ("hl-function", "backoff"),
            ("hl-function", "printf"),
        ],
    );
}

#[test]
fn cpp() {
    assert_classes(
        "cpp",
        &[
            ("hl-comment", "// count the retries"),
            ("hl-keyword", "class"),
            ("hl-keyword", "return"),
            ("hl-string", "\"ms\""),
            ("hl-number", "250"),
            ("hl-type", "Retry"),
            ("hl-type", "int"),
            ("hl-function", "backoff"),
            ("hl-function", "to_string"),
        ],
    );
}

#[test]
fn dockerfile_with_its_commands_highlighted_as_bash() {
    assert_classes(
        "dockerfile",
        &[
            ("hl-comment", "# count the retries"),
            ("hl-keyword", "FROM"),
            ("hl-keyword", "RUN"),
            ("hl-type", "debian"),
            ("hl-property", "LIMIT"),
            ("hl-string", "\"ready\""),
            ("hl-number", "8080"),
            ("hl-function", "apt-get"),
        ],
    );
}

#[test]
fn hcl() {
    assert_classes(
        "hcl",
        &[
            ("hl-comment", "# count the retries"),
            ("hl-keyword", "resource"),
            ("hl-type", "\"aws_instance\""),
            ("hl-property", "instance_type"),
            ("hl-string", "\"t3.micro\""),
            ("hl-number", "3"),
            ("hl-function", "lower"),
            ("hl-builtin", "var"),
        ],
    );
}

#[test]
fn diff() {
    assert_classes(
        "diff",
        &[
            ("hl-keyword", "diff --git a/retry.txt b/retry.txt"),
            ("hl-deleted", "-250"),
            ("hl-inserted", "+500"),
            ("hl-deleted", "--- a/retry.txt"),
            ("hl-inserted", "+++ b/retry.txt"),
            ("hl-label", "@@ -1,2 +1,2 @@"),
        ],
    );
}

#[test]
fn markdown_with_its_inline_markup() {
    assert_classes(
        "markdown",
        &[
            ("hl-heading", "Retries"),
            ("hl-emphasis", "emphasis"),
            ("hl-strong", "strong"),
            ("hl-link", "https://example.com"),
            ("hl-string", "item"),
        ],
    );
}

#[test]
fn every_class_in_the_page_is_styled_in_both_themes() {
    let (page, light, dark) = build(fixture("highlight").path());
    let mut used: Vec<&str> = page
        .split("<span class=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|class| class.starts_with("hl-"))
        .collect();
    used.sort();
    used.dedup();
    assert!(used.len() >= 20, "{used:?}");
    for class in used {
        let rule = format!(".{class} {{");
        assert!(light.contains(&rule), "{rule} in the light stylesheet");
        assert!(dark.contains(&rule), "{rule} in the dark stylesheet");
    }
    assert_ne!(light, dark);
}

#[test]
fn code_is_escaped_in_every_highlighter() {
    let hostile = "<script>alert(1)</script> & \"</code>\"";
    let mut text = String::from("# Hostile\n\n");
    for lang in ["html", "rust", "ruby", "console", "nosuchlang", ""] {
        text.push_str(&format!("```{lang}\n{hostile}\n$ {hostile}\n```\n\n"));
    }
    let dir = handbook(&[
        ("book.toml", "[book]\ntitle = \"T\"\nsrc = \"src\"\n"),
        ("src/index.md", &text),
    ]);
    let (page, _, _) = build(dir.path());
    assert!(!page.contains("<script>alert"), "{page}");
    for lang in ["html", "rust", "ruby", "console", "nosuchlang"] {
        // `runs` fails on any tag in the code other than a highlight span.
        let text: String = runs(&page, lang)
            .into_iter()
            .map(|(_, text)| text)
            .collect();
        assert_eq!(text, format!("{hostile}\n$ {hostile}\n"), "{lang}");
    }
    assert!(
        page.contains("<code>&lt;script&gt;alert(1)&lt;/script&gt; &amp; \"&lt;/code&gt;\""),
        "a block without a language is escaped text: {page}"
    );
}

#[test]
fn languages_without_a_tree_sitter_grammar_get_the_same_flat_classes() {
    let dir = handbook(&[
        ("book.toml", "[book]\ntitle = \"T\"\nsrc = \"src\"\n"),
        (
            "src/index.md",
            "# Other languages\n\n```ruby\n# greet\nclass Greeter\n  def greet(name)\n    puts \"hi #{name}\" if 42 > 1\n  end\nend\n```\n\n```haskell\n-- greet\nmodule Main where\nmain :: IO ()\nmain = putStrLn (\"hi \" ++ show 42)\n```\n",
        ),
    ]);
    let (page, _, _) = build(dir.path());
    let has = |runs: &[Run], class: &str, token: &str| {
        runs.iter()
            .any(|(c, text)| c.as_deref() == Some(class) && has_word(text, token))
    };
    let ruby = runs(&page, "ruby");
    for (class, token) in [
        ("hl-comment", "# greet"),
        ("hl-keyword", "def"),
        ("hl-keyword", "class"),
        ("hl-type", "Greeter"),
        ("hl-function", "greet"),
        ("hl-string", "\"hi "),
        ("hl-number", "42"),
    ] {
        assert!(has(&ruby, class, token), "ruby {class} {token}: {ruby:#?}");
    }
    let haskell = runs(&page, "haskell");
    for (class, token) in [
        ("hl-comment", "-- greet"),
        ("hl-keyword", "module"),
        ("hl-string", "\"hi \""),
        ("hl-number", "42"),
    ] {
        assert!(
            has(&haskell, class, token),
            "haskell {class} {token}: {haskell:#?}"
        );
    }
    // Flat: no scope names such as hl-source or hl-meta, and neighbours of one class merged.
    for runs in [&ruby, &haskell] {
        for pair in runs.windows(2) {
            assert!(
                pair[0].0 != pair[1].0,
                "two neighbouring runs of one class: {pair:?}"
            );
        }
    }
    assert!(!page.contains("hl-source") && !page.contains("hl-meta"));
}
