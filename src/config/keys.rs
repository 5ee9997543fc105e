//! The unknown-key walk over book.toml: which keys each table may hold, and a finding
//! with the key's line, column and a "did you mean" for each one that is not known.

use toml::{
    Spanned,
    de::{DeTable, DeValue},
};

use super::FILE_NAME;
use crate::finding::{Finding, Position, Rule, Severity, did_you_mean};

/// The keys shipshape knows in a table of its own.
struct Schema {
    keys: &'static [(&'static str, Option<&'static Schema>)],
}

const SHIPSHAPE: Schema = Schema {
    keys: &[
        ("base-url", None),
        ("theme", None),
        ("adr-dir", None),
        ("runbooks-dir", None),
        ("services-dir", None),
        ("standards-dir", None),
        ("services", None),
        ("exclude", None),
        ("read-outside", None),
        ("show-health", None),
        ("cache-dir", None),
        ("cache", None),
    ],
};
const LINK_POLICY: Schema = Schema {
    keys: &[("allow-outside", None)],
};
const SECRET_POLICY: Schema = Schema {
    keys: &[("allow", None)],
};
const RUNBOOK_POLICY: Schema = Schema {
    keys: &[("required-sections", None), ("max-age", None)],
};
const ADR_POLICY: Schema = Schema {
    keys: &[
        ("required-sections", None),
        ("statuses", None),
        ("require-status", None),
    ],
};
/// The keys of one `[policy.pages."GLOB"]`.
const PAGE_POLICY_KEYS: &[&str] = &["required-sections", "max-age"];
const SERVICE_POLICY: Schema = Schema {
    keys: &[("max-age", None)],
};
const POLICY: Schema = Schema {
    keys: &[
        ("warn-before", None),
        ("secrets", None),
        ("git", None),
        ("runbook", Some(&RUNBOOK_POLICY)),
        ("adr", Some(&ADR_POLICY)),
        ("service", Some(&SERVICE_POLICY)),
        ("link", Some(&LINK_POLICY)),
        ("secret", Some(&SECRET_POLICY)),
        ("severity", None),
        ("pages", None),
        ("override", None),
    ],
};
/// The keys of one `[[policy.override]]`.
const OVERRIDE_KEYS: &[&str] = &["paths", "severity"];
/// Keys of mdBook's tables that shipshape reads; others there are warnings.
const BOOK_KEYS: &[&str] = &[
    "title",
    "authors",
    "description",
    "language",
    "src",
    "multilingual",
    "text-direction",
];
const BUILD_KEYS: &[&str] = &[
    "build-dir",
    "create-missing",
    "use-default-preprocessors",
    "extra-watch-dirs",
];
/// Keys of a `[preprocessor.NAME]` table that mdBook reads; the others belong to the
/// preprocessor.
const PREPROCESSOR_KEYS: &[&str] = &["command", "before", "after", "renderers", "optional"];
/// shipshape's own tables, where a typo in the name is an error, not a warning.
const OWN_TABLES: &[&str] = &["shipshape", "policy"];
/// mdBook's tables that shipshape accepts and ignores.
const MDBOOK_TABLES: &[&str] = &["output", "rust"];
const TOP_LEVEL: &[&str] = &[
    "book",
    "build",
    "shipshape",
    "policy",
    "output",
    "preprocessor",
    "rust",
];

/// Adds a finding for each unknown key: an error in shipshape's tables, a warning elsewhere.
pub(super) fn check(text: &str, table: &DeTable<'_>, findings: &mut Vec<Finding>) {
    for (key, value) in table {
        let name = key.get_ref().as_ref();
        match name {
            "shipshape" => check_table(text, "shipshape", value, &SHIPSHAPE, findings),
            "policy" => {
                check_table(text, "policy", value, &POLICY, findings);
                let policy = value.get_ref().as_table();
                if let Some(severity) = policy.and_then(|t| t.get("severity")) {
                    check_severity_keys(text, severity, "policy.severity", findings);
                }
                if let Some(pages) = policy
                    .and_then(|t| t.get("pages"))
                    .and_then(|value| value.get_ref().as_table())
                {
                    for (glob, table) in pages {
                        let Some(table) = table.get_ref().as_table() else {
                            continue; // serde reports the wrong type with its position
                        };
                        let path = format!("policy.pages.\"{}\"", glob.get_ref());
                        for (key, _) in table {
                            if !PAGE_POLICY_KEYS.contains(&key.get_ref().as_ref()) {
                                findings.push(unknown_key(
                                    text,
                                    key,
                                    &path,
                                    PAGE_POLICY_KEYS,
                                    Severity::Error,
                                    "a page policy has `required-sections` and `max-age`",
                                ));
                            }
                        }
                    }
                }
                if let Some(overrides) = policy
                    .and_then(|t| t.get("override"))
                    .and_then(|value| value.get_ref().as_array())
                {
                    for table in overrides {
                        check_override(text, table, findings);
                    }
                }
            }
            "book" => warn_unknown(text, "book", value, BOOK_KEYS, findings),
            "build" => warn_unknown(text, "build", value, BUILD_KEYS, findings),
            "preprocessor" => check_preprocessors(text, value, findings),
            "output" => check_renderers(text, value, findings),
            _ if MDBOOK_TABLES.contains(&name) => {}
            // A misspelt `[shipshape]` or `[policy]` would drop every key under it.
            _ if let Some(table) = did_you_mean(name, OWN_TABLES.iter().copied()) => {
                let finding = unknown_key(text, key, "", OWN_TABLES, Severity::Error, "")
                    .help(format!("did you mean `[{table}]`? Spelt like this, shipshape would ignore every key in it"));
                findings.push(finding)
            }
            _ => findings.push(unknown_key(
                text,
                key,
                "",
                TOP_LEVEL,
                Severity::Warning,
                "shipshape ignores this table",
            )),
        }
    }
}

/// A key of a `[preprocessor.NAME]` table that is a near miss of one mdBook reads
/// (`renderer` for `renderers`) is a warning: mdBook would hand it to the preprocessor
/// and act as if it were not there. Other keys are the preprocessor's own settings.
fn check_preprocessors(text: &str, value: &Spanned<DeValue<'_>>, findings: &mut Vec<Finding>) {
    let Some(tables) = value.get_ref().as_table() else {
        return; // serde reports the wrong type with its position
    };
    for (name, table) in tables {
        let Some(table) = table.get_ref().as_table() else {
            continue;
        };
        for (key, _) in table {
            let key_name = key.get_ref().as_ref();
            if PREPROCESSOR_KEYS.contains(&key_name) {
                continue;
            }
            if let Some(suggestion) = did_you_mean(key_name, PREPROCESSOR_KEYS.iter().copied()) {
                let path = format!("preprocessor.{}", name.get_ref());
                findings.push(
                    Finding::new(
                        Rule::Schema,
                        FILE_NAME,
                        format!("`{key_name}` in [{path}] is not a key mdBook reads: it is passed to the preprocessor as its own setting"),
                    )
                    .key(format!("{path}.{key_name}"))
                    .severity(Severity::Warning)
                    .at(Position::of_offset(text, key.span().start))
                    .help(format!("did you mean `{suggestion}`?")),
                );
            }
        }
    }
}

/// Where each `[preprocessor.NAME]` table is named: its header, or its first dotted key.
pub(super) fn preprocessor_positions(
    text: &str,
    table: &DeTable<'_>,
) -> std::collections::BTreeMap<String, Position> {
    let Some(tables) = table
        .get("preprocessor")
        .and_then(|value| value.get_ref().as_table())
    else {
        return Default::default();
    };
    tables
        .iter()
        .map(|(name, _)| {
            (
                name.get_ref().to_string(),
                Position::of_offset(text, name.span().start),
            )
        })
        .collect()
}

/// `[output.X]` renderers other than html: mdBook would run them; shipshape does not, and
/// says so once for each.
fn check_renderers(text: &str, value: &Spanned<DeValue<'_>>, findings: &mut Vec<Finding>) {
    let Some(table) = value.get_ref().as_table() else {
        return;
    };
    for (key, _) in table {
        let name = key.get_ref().as_ref();
        if name != "html" {
            findings.push(
                Finding::new(
                    Rule::Schema,
                    FILE_NAME,
                    format!("[output.{name}] is a renderer shipshape does not run; only the html site is built"),
                )
                .key(format!("output.{name}"))
                .severity(Severity::Warning)
                .at(Position::of_offset(text, key.span().start))
                .help(format!("build that output with mdBook (`mdbook build`), or remove the table; `[output.{name}]` changes nothing here")),
            );
        }
    }
}

fn check_table(
    text: &str,
    path: &str,
    value: &Spanned<DeValue<'_>>,
    schema: &Schema,
    findings: &mut Vec<Finding>,
) {
    let Some(table) = value.get_ref().as_table() else {
        return; // serde reports the wrong type with its position
    };
    let names: Vec<&str> = schema.keys.iter().map(|(name, _)| *name).collect();
    for (key, value) in table {
        let name = key.get_ref().as_ref();
        match schema.keys.iter().find(|(known, _)| *known == name) {
            Some((_, Some(nested))) => {
                check_table(text, &format!("{path}.{name}"), value, nested, findings)
            }
            Some((_, None)) => {}
            None => findings.push(unknown_key(
                text,
                key,
                path,
                &names,
                Severity::Error,
                "remove it, or fix its spelling",
            )),
        }
    }
}

/// One `[[policy.override]]`: only `paths` and `severity`, whose keys are rule ids.
fn check_override(text: &str, value: &Spanned<DeValue<'_>>, findings: &mut Vec<Finding>) {
    let Some(table) = value.get_ref().as_table() else {
        return; // serde reports the wrong type with its position
    };
    for (key, value) in table {
        match key.get_ref().as_ref() {
            "paths" => {}
            "severity" => check_severity_keys(text, value, "policy.override.severity", findings),
            _ => findings.push(unknown_key(
                text,
                key,
                "policy.override",
                OVERRIDE_KEYS,
                Severity::Error,
                "an override has `paths` and `severity`",
            )),
        }
    }
}

fn check_severity_keys(
    text: &str,
    value: &Spanned<DeValue<'_>>,
    table_name: &str,
    findings: &mut Vec<Finding>,
) {
    let Some(table) = value.get_ref().as_table() else {
        return;
    };
    let ids: Vec<&str> = Rule::ALL.iter().map(|rule| rule.id()).collect();
    for (key, _) in table {
        if Rule::from_id(key.get_ref()).is_none() {
            findings.push(unknown_key(
                text,
                key,
                table_name,
                &ids,
                Severity::Error,
                "their keys are rule ids (`shipshape explain` lists them)",
            ));
        }
    }
}

fn warn_unknown(
    text: &str,
    path: &str,
    value: &Spanned<DeValue<'_>>,
    known: &[&str],
    findings: &mut Vec<Finding>,
) {
    let Some(table) = value.get_ref().as_table() else {
        return;
    };
    for (key, _) in table {
        if !known.contains(&key.get_ref().as_ref()) {
            findings.push(unknown_key(
                text,
                key,
                path,
                known,
                Severity::Warning,
                "shipshape ignores this key",
            ));
        }
    }
}

fn unknown_key(
    text: &str,
    key: &Spanned<std::borrow::Cow<'_, str>>,
    table: &str,
    known: &[&str],
    severity: Severity,
    otherwise: &str,
) -> Finding {
    let name = key.get_ref().as_ref();
    let place = if table.is_empty() {
        "unknown table".to_string()
    } else {
        format!("unknown key in [{table}]")
    };
    let help = match did_you_mean(name, known.iter().copied()) {
        Some(suggestion) => format!("did you mean `{suggestion}`?"),
        None => format!("{otherwise}; known: {}", known.join(", ")),
    };
    let key_path = if table.is_empty() {
        name.to_string()
    } else {
        format!("{table}.{name}")
    };
    Finding::new(Rule::Schema, FILE_NAME, format!("{place}: `{name}`"))
        .key(key_path)
        .severity(severity)
        .at(Position::of_offset(text, key.span().start))
        .help(help)
}
