//! mdBook's preprocessors: the programs `[preprocessor.NAME]` tables name, run on the
//! loaded pages through mdBook 0.5's protocol, before anything is judged or rendered.
//!
//! A preprocessor is a program the book runs, as with mdBook. `--no-preprocessors`
//! (`Mode::Skip`) runs none, with a warning per table, for CI jobs that check pull
//! requests whose book.toml could name any command.
//!
//! They run on the text after includes are expanded (shipshape does mdBook's `links`
//! and `index` itself, before anything else), in mdBook's order, each on the book the
//! previous one returned. The result goes back into the content: the pages' text (with
//! a map back to the files' lines), pages removed or added, and SUMMARY.md's structure
//! when the book's structure changed (see `book::apply`).

mod book;
mod command;
mod map;
mod order;

use crate::config::{Config, FILE_NAME, Preprocessor};
use crate::finding::{Finding, Rule, Severity};
use crate::load::Content;
pub use map::SourceMap;

use book::BookItem;
use command::{Program, Skipped};

/// Whether the book's preprocessors run.
#[derive(Clone, Copy, Debug)]
pub enum Mode {
    /// Each runs; what it prints for people goes where `Messages` says.
    Run(Messages),
    /// `--no-preprocessors`: none runs; each table is a warning.
    Skip,
}

/// Where the lines a preprocessor prints for people go (its stderr, and its stdout
/// while it answers `supports`).
#[derive(Clone, Copy, Debug)]
pub enum Messages {
    /// Straight to shipshape's stderr, as it prints them.
    Inherit,
    /// Each line to this function, with the preprocessor's name (the JSON log, whose
    /// every line must be JSON).
    Lines(fn(&str, &str)),
}

/// Runs the book's preprocessors on `content` and puts their book back into it;
/// whether one ran and gave a book back. Fails (exit 2) as mdBook does: a missing
/// program that is not optional, one that fails or prints no book, a cycle in the order.
pub fn run(config: &Config, mode: Mode, content: &mut Content) -> anyhow::Result<bool> {
    let tables: Vec<&Preprocessor> = config
        .preprocessors
        .iter()
        .filter(|table| !order::BUILT_IN.contains(&table.name.as_str()))
        .collect();
    if tables.is_empty() {
        return Ok(false);
    }
    let messages = match mode {
        Mode::Run(messages) => messages,
        Mode::Skip => {
            for table in tables.into_iter().filter(|table| for_html(table)) {
                let message = format!(
                    "the preprocessor `{}` was not run (--no-preprocessors)",
                    table.name
                );
                content.findings.push(warning(table, message).help(
                    "the site may differ from what mdBook builds; run without `--no-preprocessors` to run it",
                ));
            }
            return Ok(false);
        }
    };

    let (order, findings) = order::plan(config)?;
    content.findings.extend(findings);
    let root = crate::load::lexical_normalize(&std::path::absolute(&config.root)?);
    let config_json = context_config(&config.table);
    let context = command::Context {
        root: &root,
        config: &config_json,
        renderer: command::RENDERER,
        mdbook_version: command::MDBOOK_VERSION,
    };
    let sent = book::from_content(content);
    let mut items: Vec<BookItem> = sent.items.clone();
    let mut ran = false;
    for name in &order {
        match name.as_str() {
            // Includes are expanded already.
            "links" => continue,
            "index" => {
                book::rename_readmes(&mut items);
                continue;
            }
            _ => {}
        }
        let Some(table) = tables.iter().find(|table| &table.name == name) else {
            continue;
        };
        let program = Program::new(table, &root, messages);
        let outcome = match &table.renderers {
            // Listed renderers are trusted without asking, as in mdBook.
            Some(_) if !for_html(table) => continue,
            Some(_) => program.run(&context, &items)?,
            None => match program.supports()? {
                Ok(()) => program.run(&context, &items)?,
                Err(skipped) => Err(skipped),
            },
        };
        match outcome {
            Ok(returned) => {
                items = returned;
                ran = true;
            }
            Err(Skipped::Unsupported) => {}
            Err(Skipped::Missing) if table.optional => content.findings.push(
                warning(
                    table,
                    format!(
                        "the preprocessor `{}` was not run: its command `{}` was not found",
                        table.name, program.line
                    ),
                )
                .help(format!(
                    "it is optional, so the site is built without it and may differ from mdBook's; {}",
                    program.install_help()
                )),
            ),
            Err(Skipped::Missing) => anyhow::bail!(
                "the preprocessor `{}` runs `{}`, which was not found\n  help: {}; or set `optional = true` in [preprocessor.{}] of {FILE_NAME} to build without it",
                table.name,
                program.line,
                program.install_help(),
                table.name
            ),
        }
    }
    if ran {
        for refused in book::apply(content, &sent, items) {
            content.findings.push(
                Finding::new(
                    Rule::Schema,
                    FILE_NAME,
                    format!(
                        "a preprocessor added the chapter `{}` at `{}`, which shipshape does not publish: {}",
                        refused.name,
                        refused.path,
                        refused.reason
                    ),
                )
                .severity(Severity::Warning)
                .help("a chapter a preprocessor adds becomes a page when its path is a new `.md` file inside the content folder"),
            );
        }
    }
    Ok(ran)
}

/// Whether a table's `renderers` (when set) include html.
fn for_html(table: &Preprocessor) -> bool {
    table
        .renderers
        .as_ref()
        .is_none_or(|renderers| renderers.iter().any(|name| name == command::RENDERER))
}

fn warning(table: &Preprocessor, message: String) -> Finding {
    Finding::new(Rule::Schema, FILE_NAME, message)
        .severity(Severity::Warning)
        .at(table.position)
}

/// book.toml as mdBook 0.5 serializes its `Config` for preprocessors: `book` with its
/// defaults (`authors`, `language`), `build` and `rust` only when they differ from the
/// defaults, `output` and `preprocessor` as written; keys mdBook does not know (shipshape's
/// own tables among them) left out, since mdBook 0.5's parser refuses them. Keys with no
/// value are left out rather than sent as `null`, which mdBook 0.5 reads the same and
/// mdBook 0.4's parser (still in many preprocessors) cannot read at all.
fn context_config(table: &toml::Table) -> serde_json::Value {
    use serde_json::{Map, Value, json};
    let json = |value: &toml::Value| serde_json::to_value(value).unwrap_or(Value::Null);
    let section = |name: &str| table.get(name).and_then(toml::Value::as_table);
    let mut config = Map::new();

    let mut book = Map::new();
    let given = section("book");
    let get = |key: &str| given.and_then(|book| book.get(key));
    if let Some(title) = get("title") {
        book.insert("title".into(), json(title));
    }
    book.insert("authors".into(), get("authors").map_or(json!([]), json));
    if let Some(description) = get("description") {
        book.insert("description".into(), json(description));
    }
    if let Some(src) = get("src").filter(|src| src.as_str() != Some("src")) {
        book.insert("src".into(), json(src));
    }
    book.insert("language".into(), get("language").map_or(json!("en"), json));
    if let Some(direction) = get("text-direction") {
        book.insert("text-direction".into(), json(direction));
    }
    config.insert("book".into(), Value::Object(book));

    let defaults = [
        ("build-dir", json!("book")),
        ("create-missing", json!(true)),
        ("use-default-preprocessors", json!(true)),
        ("extra-watch-dirs", json!([])),
    ];
    let build: Map<String, Value> = defaults
        .iter()
        .map(|(key, default)| {
            let value = section("build")
                .and_then(|build| build.get(*key))
                .map_or_else(|| default.clone(), json);
            (key.to_string(), value)
        })
        .collect();
    if defaults
        .iter()
        .any(|(key, default)| &build[*key] != default)
    {
        config.insert("build".into(), Value::Object(build));
    }
    if let Some(edition) = section("rust").and_then(|rust| rust.get("edition")) {
        config.insert("rust".into(), json!({ "edition": json(edition) }));
    }
    for name in ["output", "preprocessor"] {
        if let Some(value) = section(name).filter(|value| !value.is_empty()) {
            config.insert(
                name.into(),
                serde_json::to_value(value).unwrap_or(Value::Null),
            );
        }
    }
    Value::Object(config)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn context(toml: &str) -> serde_json::Value {
        context_config(&toml::from_str(toml).unwrap())
    }

    #[test]
    fn the_context_config_is_mdbooks() {
        let toml = "[book]\ntitle = \"T\"\nmultilingual = false\n[shipshape]\nbase-url = \"/\"\n[preprocessor.p]\ncommand = \"./p\"\ncustom = true\n[output.html]\n";
        assert_eq!(
            context(toml),
            serde_json::json!({
                "book": {"title": "T", "authors": [], "language": "en"},
                "preprocessor": {"p": {"command": "./p", "custom": true}},
                "output": {"html": {}}
            })
        );
    }

    #[test]
    fn build_and_rust_appear_when_they_differ_from_the_defaults() {
        assert_eq!(
            context("[build]\nbuild-dir = \"book\"\n").get("build"),
            None
        );
        assert_eq!(
            context(
                "[book]\nsrc = \"content\"\n[build]\nbuild-dir = \"site\"\n[rust]\nedition = \"2021\"\n"
            ),
            serde_json::json!({
                "book": {"authors": [], "language": "en", "src": "content"},
                "build": {"build-dir": "site", "create-missing": true, "use-default-preprocessors": true, "extra-watch-dirs": []},
                "rust": {"edition": "2021"}
            })
        );
    }

    #[test]
    fn preprocessor_tables_have_their_lines() {
        let loaded = crate::config::parse(
            "[book]\n\n[preprocessor.one]\ncommand = \"x\"\n[preprocessor]\ntwo.command = \"y\"\n",
            Path::new("."),
        )
        .unwrap_or_else(|err| panic!("{:?}", err.findings));
        let lines: Vec<(&str, u32)> = loaded
            .config
            .preprocessors
            .iter()
            .map(|table| (table.name.as_str(), table.position.line))
            .collect();
        assert_eq!(lines, [("one", 3), ("two", 6)]);
    }
}
