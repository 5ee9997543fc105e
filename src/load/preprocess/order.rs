//! The order mdBook 0.5 runs preprocessors in (`determine_preprocessors`): a
//! topological sort of the `before`/`after` settings that takes, at each step, every
//! preprocessor nothing left is waiting for, and runs those in code point order of
//! their names (mdBook's tie rule). mdBook's own `links` and `index` take part.

use std::collections::{BTreeMap, BTreeSet};

use crate::config::{Config, FILE_NAME};
use crate::finding::{Finding, Rule, Severity};

/// mdBook's built-in preprocessors, which shipshape does itself.
pub const BUILT_IN: &[&str] = &["links", "index"];

/// The names in the order mdBook would run them, built-ins included, and a warning
/// for each `before`/`after` entry that names no preprocessor. A cycle is an error.
pub fn plan(config: &Config) -> anyhow::Result<(Vec<String>, Vec<Finding>)> {
    let defaults = config.build.use_default_preprocessors;
    let tables: BTreeSet<&str> = config
        .preprocessors
        .iter()
        .map(|table| table.name.as_str())
        .collect();
    let exists = |name: &str| (defaults && BUILT_IN.contains(&name)) || tables.contains(name);

    // Each name and the names that must run after it.
    let mut successors: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    if defaults {
        for name in BUILT_IN {
            successors.entry(name).or_default();
        }
    }
    let mut findings = Vec::new();
    for table in &config.preprocessors {
        successors.entry(&table.name).or_default();
        let edges = table
            .before
            .iter()
            .map(|other| {
                (
                    "before",
                    table.name.as_str(),
                    other.as_str(),
                    other.as_str(),
                )
            })
            .chain(
                table
                    .after
                    .iter()
                    .map(|other| ("after", other.as_str(), table.name.as_str(), other.as_str())),
            );
        for (key, first, then, named) in edges {
            if exists(named) {
                successors.entry(first).or_default().insert(then);
            } else {
                // mdBook only warns too, so that a preprocessor can be switched off
                // without editing the others.
                findings.push(
                    Finding::new(
                        Rule::Schema,
                        FILE_NAME,
                        format!(
                            "`{key}` in [preprocessor.{}] names `{named}`, which is not a preprocessor of this book",
                            table.name
                        ),
                    )
                    .severity(Severity::Warning)
                    .at(table.position)
                    .help("the order ignores it; fix the name or remove it"),
                );
            }
        }
    }

    let mut waiting: BTreeMap<&str, usize> = successors.keys().map(|name| (*name, 0)).collect();
    for then in successors.values().flatten() {
        *waiting.entry(then).or_default() += 1;
    }
    let mut order = Vec::with_capacity(waiting.len());
    loop {
        // BTreeMap order is code point order, mdBook's tie rule.
        let ready: Vec<&str> = waiting
            .iter()
            .filter(|(_, count)| **count == 0)
            .map(|(name, _)| *name)
            .collect();
        if ready.is_empty() {
            break;
        }
        for name in ready {
            waiting.remove(name);
            for then in &successors[name] {
                if let Some(count) = waiting.get_mut(then) {
                    *count -= 1;
                }
            }
            order.push(name.to_string());
        }
    }
    if !waiting.is_empty() {
        let names: Vec<String> = waiting.keys().map(|name| format!("`{name}`")).collect();
        anyhow::bail!(
            "the `before` and `after` settings of [preprocessor.*] in {FILE_NAME} form a cycle: {} cannot be put in an order\n  help: remove one of the settings that make them wait for each other",
            names.join(", ")
        );
    }
    Ok((order, findings))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(toml: &str) -> Result<Vec<String>, String> {
        let loaded = crate::config::parse(toml, std::path::Path::new("."))
            .unwrap_or_else(|err| panic!("{:?}", err.findings));
        plan(&loaded.config)
            .map(|(order, _)| order)
            .map_err(|err| err.to_string())
    }

    #[test]
    fn ties_run_in_code_point_order_with_the_built_ins() {
        assert_eq!(
            order("[preprocessor.zed]\n[preprocessor.alpha]\n[preprocessor.Beta]\n").unwrap(),
            ["Beta", "alpha", "index", "links", "zed"]
        );
    }

    #[test]
    fn before_and_after_are_respected_level_by_level() {
        // `a` waits for `links`, so it runs in the second round with `c`, after `b`.
        let toml = "[preprocessor.a]\nafter = [\"links\"]\n[preprocessor.b]\n[preprocessor.c]\nafter = [\"b\"]\n";
        assert_eq!(order(toml).unwrap(), ["b", "index", "links", "a", "c"]);
        let toml = "[preprocessor.z]\nbefore = [\"a\"]\n[preprocessor.a]\n";
        assert_eq!(order(toml).unwrap(), ["index", "links", "z", "a"]);
    }

    #[test]
    fn without_default_preprocessors_the_built_ins_take_no_part() {
        let toml =
            "[build]\nuse-default-preprocessors = false\n[preprocessor.a]\nafter = [\"links\"]\n";
        assert_eq!(order(toml).unwrap(), ["a"]);
    }

    #[test]
    fn a_cycle_is_an_error() {
        let toml = "[preprocessor.a]\nafter = [\"b\"]\n[preprocessor.b]\nafter = [\"a\"]\n";
        let err = order(toml).unwrap_err();
        assert!(err.contains("form a cycle: `a`, `b`"), "{err}");
    }
}
