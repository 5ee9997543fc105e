//! book.toml → a typed `Config`.
//!
//! mdBook's tables keep their meaning and never fail a build; shipshape's own tables
//! (`[shipshape]`, `[policy*]`) are strict: an unknown key is an error with a
//! "did you mean". Parsing happens in two passes over the same text: a spanned walk that
//! finds unknown keys (with their line and column, `keys.rs`), then serde for the types.

use std::{
    collections::BTreeMap,
    fmt,
    path::{Path, PathBuf},
};

use serde::Deserialize;
use toml::de::DeTable;

mod hints;
mod html;
mod keys;
mod policy;
mod values;

use crate::load::io_reason;
use hints::where_is_book_toml;
pub use html::OutputHtml;
pub use policy::{AdrPolicy, LinkPolicy, Policy};
pub use values::{BaseUrl, Days, Globs};

use crate::finding::{Finding, Position, Rule, Severity};

/// The config file's name, in the handbook root.
pub const FILE_NAME: &str = "book.toml";

/// The handbook's configuration, with every default filled in.
#[derive(Clone, Debug)]
pub struct Config {
    /// The handbook root: the folder holding book.toml.
    pub root: PathBuf,
    pub book: Book,
    pub build: Build,
    pub shipshape: Shipshape,
    pub policy: Policy,
    /// mdBook's `[preprocessor.NAME]` tables, in name order.
    pub preprocessors: Vec<Preprocessor>,
    /// book.toml as parsed, for the context mdBook hands its preprocessors.
    pub table: toml::Table,
    /// mdBook's `[output.html]`.
    pub html: OutputHtml,
    /// Whether the top bar's health badge and the sidebar's "Docs health" entry show:
    /// `[shipshape] show-health`, by default on for a handbook (it has a `[shipshape]`
    /// table) and off for a plain mdBook book, whose readers are not its writers.
    pub show_health: bool,
}

/// mdBook's `[book]` table.
#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct Book {
    pub title: Option<String>,
    pub authors: Vec<String>,
    pub description: Option<String>,
    pub language: String,
    /// The content folder, relative to the root.
    pub src: PathBuf,
}

impl Default for Book {
    fn default() -> Book {
        Book {
            title: None,
            authors: Vec::new(),
            description: None,
            language: "en".into(),
            src: "src".into(),
        }
    }
}

/// mdBook's `[build]` table.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct Build {
    /// Where `build` writes the site, relative to the root.
    pub build_dir: PathBuf,
    /// Whether mdBook's own preprocessors (`links`, `index`) take part in the order
    /// of `[preprocessor.*]` tables without tables of their own.
    pub use_default_preprocessors: bool,
}

impl Default for Build {
    fn default() -> Build {
        Build {
            build_dir: "book".into(),
            use_default_preprocessors: true,
        }
    }
}

/// A `[preprocessor.NAME]` table: a program mdBook runs on the book before rendering.
#[derive(Clone, Debug)]
pub struct Preprocessor {
    pub name: String,
    /// The command line (split as a shell would), `mdbook-NAME` when not set.
    pub command: Option<String>,
    /// Preprocessors this one runs before.
    pub before: Vec<String>,
    /// Preprocessors this one runs after.
    pub after: Vec<String>,
    /// The renderers it runs for; when not set, its `supports` answer decides.
    pub renderers: Option<Vec<String>>,
    /// A missing command is a warning, not a failure.
    pub optional: bool,
    /// Where book.toml names the table.
    pub position: Position,
}

/// The keys of a `[preprocessor.NAME]` table that mdBook reads; others are the
/// preprocessor's own settings.
#[derive(Deserialize, Default)]
#[serde(
    default,
    expecting = "a table of settings, such as `{ command = \"mdbook-NAME\" }`"
)]
struct PreprocessorTable {
    command: Option<String>,
    before: Vec<String>,
    after: Vec<String>,
    renderers: Option<Vec<String>>,
    optional: bool,
}

/// shipshape's `[shipshape]` table.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct Shipshape {
    /// The site's public URL, for the sitemap and the 404 page's links.
    pub base_url: BaseUrl,
    /// The theme: `default`, or a folder under `themes/` that overrides it file by file.
    pub theme: String,
    /// Folder of architecture decision records, relative to the content folder.
    pub adr_dir: String,
    /// Folder of runbooks, relative to the content folder.
    pub runbooks_dir: String,
    /// Folder of service checklists, relative to the content folder.
    pub services_dir: String,
    /// Folder of readiness standards, relative to the content folder.
    pub standards_dir: String,
    /// More service checklists, by globs relative to the handbook root (such as
    /// `../*/readiness.yaml`), for checklists kept beside their code in a monorepo.
    pub services: Globs,
    /// Content files left out entirely: globs over content-relative paths.
    pub exclude: Globs,
    /// Places outside the repository that includes, symbolic links and the content
    /// folder may read, relative to the handbook root. Nothing else outside is read.
    pub read_outside: Vec<PathBuf>,
    /// Show the health badge and the "Docs health" entry (see `Config::show_health`).
    pub show_health: Option<bool>,
    /// Where `build` keeps its cache, relative to the handbook root (inside the
    /// repository; `--cache-dir` may name a folder anywhere).
    pub cache_dir: PathBuf,
    /// `false` builds everything afresh every time, reading and writing no cache.
    pub cache: bool,
}

impl Default for Shipshape {
    fn default() -> Shipshape {
        Shipshape {
            base_url: BaseUrl("/".into()),
            theme: "default".into(),
            adr_dir: "adr".into(),
            runbooks_dir: "runbooks".into(),
            services_dir: "services".into(),
            standards_dir: "standards".into(),
            services: Globs::default(),
            exclude: Globs::default(),
            read_outside: Vec::new(),
            show_health: None,
            cache_dir: crate::cache::DEFAULT_DIR.into(),
            cache: true,
        }
    }
}

/// The whole file as serde reads it.
#[derive(Deserialize, Default)]
#[serde(default)]
struct File {
    book: Book,
    build: Build,
    shipshape: Shipshape,
    policy: Policy,
    preprocessor: BTreeMap<String, PreprocessorTable>,
    output: Output,
}

/// `[output]`: shipshape renders html; other renderers are warned about in `keys`.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Output {
    html: OutputHtml,
}

/// Why book.toml could not be used: the findings to show, all of them errors.
#[derive(Debug)]
pub struct InvalidConfig {
    /// The handbook root, where book.toml is.
    pub root: PathBuf,
    pub findings: Vec<Finding>,
}

impl fmt::Display for InvalidConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{FILE_NAME} is invalid")
    }
}

impl std::error::Error for InvalidConfig {}

/// A loaded config, and the warnings it produced (unknown keys in mdBook's tables).
#[derive(Debug)]
pub struct Loaded {
    pub config: Config,
    pub warnings: Vec<Finding>,
}

/// Reads `root/book.toml`. Fails with `InvalidConfig` when it does not parse or breaks
/// shipshape's schema; a missing file is an I/O error.
pub fn load(root: &Path) -> anyhow::Result<Loaded> {
    let path = root.join(FILE_NAME);
    // book.toml may be a link, but not to a file outside the repository: a syntax error
    // would quote its lines.
    // Judged like any path: a link into .git, or to a missing file outside, is refused too.
    if let Ok(boundary) = crate::load::Boundary::of_root(root)
        && std::fs::symlink_metadata(&path).is_ok()
        && boundary.resolve(&path).is_err()
    {
        anyhow::bail!(
            "{} is a symbolic link that leads outside the handbook's repository, or into .git; it is not read\n  help: make book.toml a file of the repository",
            path.display()
        );
    }
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        // mdBook builds a folder with `src/SUMMARY.md` and no book.toml on its defaults.
        Err(err)
            if err.kind() == std::io::ErrorKind::NotFound
                && root.join("src").join(crate::load::SUMMARY).is_file() =>
        {
            String::new()
        }
        Err(err) => anyhow::bail!(
            "cannot read {}: {}\n  help: {}",
            path.display(),
            io_reason(&err),
            where_is_book_toml(root)
        ),
    };
    let mut config = parse(&text, root)?;
    // An mdBook theme folder holds Handlebars templates: say once that it is not used.
    if root.join("theme").is_dir() {
        config.warnings.push(
            Finding::new(
                Rule::Schema,
                FILE_NAME,
                "the book's theme/ folder holds mdBook templates, which shipshape does not use; the site has shipshape's default theme",
            )
            .severity(Severity::Warning)
            .help("to change the look, put overrides of shipshape's theme files under themes/default/ (see the README's Themes section)"),
        );
    }
    Ok(config)
}

/// Parses book.toml's text; `root` is recorded in the config.
pub fn parse(text: &str, root: &Path) -> Result<Loaded, InvalidConfig> {
    let spanned = DeTable::parse(text).map_err(|err| InvalidConfig {
        root: root.to_path_buf(),
        findings: vec![toml_error(text, &err, Rule::Syntax)],
    })?;
    let mut findings = Vec::new();
    keys::check(text, spanned.get_ref(), &mut findings);
    let positions = keys::preprocessor_positions(text, spanned.get_ref());
    crate::finding::sort(&mut findings);
    if findings.iter().any(|f| f.severity == Severity::Error) {
        return Err(InvalidConfig {
            root: root.to_path_buf(),
            findings,
        });
    }
    let file: File = toml::from_str(text).map_err(|err| InvalidConfig {
        root: root.to_path_buf(),
        findings: vec![toml_error(text, &err, Rule::Schema)],
    })?;
    let preprocessors = file
        .preprocessor
        .into_iter()
        .map(|(name, table)| Preprocessor {
            position: positions
                .get(&name)
                .copied()
                .unwrap_or(Position { line: 1, column: 1 }),
            name,
            command: table.command,
            before: table.before,
            after: table.after,
            renderers: table.renderers,
            optional: table.optional,
        })
        .collect();
    // mdBook's `site-url` says where the book is served, unless base-url says it first.
    let mut shipshape = file.shipshape;
    let has_base_url = spanned
        .get_ref()
        .get("shipshape")
        .and_then(|table| table.get_ref().as_table())
        .is_some_and(|table| table.contains_key("base-url"));
    if !has_base_url
        && let Some(site) = &file.output.html.site_url
        && let Ok(url) = BaseUrl::parse(site)
    {
        shipshape.base_url = url;
    }
    let show_health = shipshape
        .show_health
        .unwrap_or(spanned.get_ref().contains_key("shipshape"));
    let config = Config {
        root: root.to_path_buf(),
        book: file.book,
        build: file.build,
        shipshape,
        policy: file.policy,
        preprocessors,
        // It parsed above, so it parses as a plain table too.
        table: toml::from_str(text).unwrap_or_default(),
        html: file.output.html,
        show_health,
    };
    Ok(Loaded {
        config,
        warnings: findings,
    })
}

fn toml_error(text: &str, err: &toml::de::Error, rule: Rule) -> Finding {
    let message = err.message().trim().to_string();
    let help = if rule == Rule::Syntax {
        "fix the TOML syntax at this position; strings need quotes, tables are written [name]"
    } else {
        "see the book.toml section of the README for the keys and values shipshape accepts"
    };
    Finding::new(rule, FILE_NAME, message)
        .at_opt(err.span().map(|span| Position::of_offset(text, span.start)))
        .help(help)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str) -> Loaded {
        parse(text, Path::new(".")).unwrap_or_else(|err| panic!("{:?}", err.findings))
    }

    #[test]
    fn defaults_match_the_spec() {
        let loaded = parse_ok("");
        assert_eq!(loaded.config.book.src, PathBuf::from("src"));
        assert_eq!(loaded.config.policy.runbook.max_age, Days(90));
        assert_eq!(loaded.config.policy.service.max_age, Days(180));
        assert_eq!(loaded.config.policy.warn_before, Days(14));
        assert!(!loaded.config.policy.git);
    }

    #[test]
    fn unknown_shipshape_key_is_an_error_with_a_suggestion() {
        let err = parse("[shipshape]\nbase_url = \"/\"\n", Path::new(".")).unwrap_err();
        let finding = &err.findings[0];
        assert_eq!((finding.line, finding.column), (Some(2), Some(1)));
        assert_eq!(finding.help.as_deref(), Some("did you mean `base-url`?"));
    }

    #[test]
    fn mdbook_tables_are_accepted() {
        let loaded = parse_ok(
            "[book]\ntitle = \"x\"\nmultilingual = false\n[output.html]\nmathjax-support = true\n[preprocessor.katex]\n",
        );
        assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    }

    #[test]
    fn base_urls_are_full_urls_or_server_paths() {
        let url = |text| BaseUrl::parse(text).map(|url| url.as_str().to_string());
        assert_eq!(url("/"), Ok("/".into()));
        assert_eq!(url("/docs"), Ok("/docs/".into()));
        assert_eq!(
            url("https://handbook.example.com"),
            Ok("https://handbook.example.com/".into())
        );
        for bad in [
            "",
            "docs/",
            "//cdn.example.com/",
            "https://",
            "ftp://x/",
            "/a b/",
            "/ü/",
            "/a'b/",
            "/a\"b/",
            "/50%/",
            "/a%2/",
            "/a\tb/",
        ] {
            assert!(url(bad).is_err(), "{bad:?} was accepted");
        }
        assert_eq!(url("/docs%20v2/"), Ok("/docs%20v2/".into()));
        assert_eq!(
            url("/r&d"),
            Ok("/r&d/".into()),
            "`&` is escaped where it is written"
        );
    }

    #[test]
    fn durations_read_days_and_weeks() {
        assert_eq!(Days::parse("90d"), Ok(Days(90)));
        assert_eq!(Days::parse("2w"), Ok(Days(14)));
        assert!(Days::parse("3 months").is_err());
        assert!(Days::parse("").is_err());
        assert!(Days::parse("90日").is_err());
        assert!(Days::parse("é").is_err());
        assert!(Days::parse("999999999w").is_err());
    }
}
