//! `shipshape explain [RULE]`: the rules reference on the terminal, as `rustc --explain`
//! prints an error code's page. It reads no handbook.

use std::io::Write as _;

use anyhow::bail;

use super::Outcome;
use crate::finding::{self, About, Rule};

/// Prints what `rule` finds and how to fix it, or, without a rule, the list of rules.
/// An unknown rule, or one whose check does not exist yet, cannot run (exit 2).
pub fn run(rule: Option<&str>) -> anyhow::Result<Outcome> {
    let text = match rule {
        None => list(),
        Some(id) => explain(lookup(id)?),
    };
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()?;
    Ok(Outcome {
        findings: Vec::new(),
    })
}

/// The rule with this id, if its check exists.
fn lookup(id: &str) -> anyhow::Result<(Rule, &'static About)> {
    let existing = Rule::existing()
        .map(Rule::id)
        .collect::<Vec<_>>()
        .join(", ");
    match Rule::from_id(id) {
        Some(rule) => match rule.about() {
            Some(about) => Ok((rule, about)),
            None => bail!(
                "the rule `{id}` is not available yet: book.toml may name it, but shipshape does not check it so far\nthe rules are: {existing}"
            ),
        },
        None => {
            let hint = finding::did_you_mean(id, Rule::existing().map(Rule::id))
                .map(|near| format!("; did you mean `{near}`?"))
                .unwrap_or_default();
            bail!("no rule `{id}`{hint}\nthe rules are: {existing}")
        }
    }
}

/// Every existing rule with its default severity and one-line summary.
fn list() -> String {
    let width = Rule::existing()
        .map(|rule| rule.id().len())
        .max()
        .unwrap_or(0);
    let mut text = String::from("Rules (default severity, what they find):\n\n");
    for rule in Rule::existing() {
        let about = rule.about().expect("existing rules have a reference entry");
        text.push_str(&format!(
            "  {:width$}  {:7}  {}\n",
            rule.id(),
            rule.default_severity().to_string(),
            about.summary
        ));
    }
    text.push_str("\nRun `shipshape explain RULE` for what a rule finds and how to fix it.\n");
    text
}

/// One rule's reference text.
fn explain((rule, about): (Rule, &About)) -> String {
    let mut text = format!(
        "{}: {}\nDefault severity: {}.\n",
        rule.id(),
        about.summary,
        rule.default_severity()
    );
    for (heading, body) in about.sections() {
        text.push_str(&format!("\n{heading}\n\n{body}\n"));
    }
    text
}
