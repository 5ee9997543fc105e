//! Reading one front matter value at a time, as ADRs and runbooks need: a value of the
//! wrong type is a `schema` finding at its own line and column, and the other keys are
//! still read.

use jiff::civil::Date;
use serde_json::Value;

use crate::config::Days;
use crate::finding::{Finding, Position, Rule};
use crate::load::front_matter::Front;

/// Reads keys of one page's front matter, collecting a finding for each bad value.
pub struct Reader<'a> {
    pub front: Option<&'a Front>,
    pub file: &'a str,
    pub findings: &'a mut Vec<Finding>,
}

impl Reader<'_> {
    pub fn has(&self, key: &str) -> bool {
        self.front.is_some_and(|front| front.has(key))
    }

    pub fn position(&self, key: &str) -> Position {
        self.front
            .map_or(Position { line: 1, column: 1 }, |front| front.position(key))
    }

    fn value(&self, key: &str) -> Option<&Value> {
        self.front?.get(key).filter(|value| !value.is_null())
    }

    fn wrong(&mut self, key: &str, message: String, help: &str) {
        let finding = Finding::new(Rule::Schema, self.file, message)
            .key(key)
            .at(self.position(key))
            .help(help);
        self.findings.push(finding);
    }

    /// A text value; a number or boolean is taken as its text.
    pub fn string(&mut self, key: &str, example: &str) -> Option<String> {
        match self.value(key)? {
            Value::String(text) => Some(text.trim().to_string()),
            Value::Number(number) => Some(number.to_string()),
            Value::Bool(flag) => Some(flag.to_string()),
            other => {
                let message = format!("`{key}` must be one value, not {}", kind(other));
                self.wrong(key, message, &format!("write it as `{key}: {example}`"));
                None
            }
        }
    }

    /// A list of texts; one text is a list of one.
    pub fn strings(&mut self, key: &str, example: &str) -> Vec<String> {
        let Some(value) = self.value(key).cloned() else {
            return Vec::new();
        };
        let items = match value {
            Value::Array(items) => items,
            single => vec![single],
        };
        let mut texts = Vec::new();
        for item in items {
            match item {
                Value::String(text) if !text.trim().is_empty() => {
                    texts.push(text.trim().to_string())
                }
                Value::Number(number) => texts.push(number.to_string()),
                Value::String(_) | Value::Null => {}
                other => {
                    let message = format!(
                        "`{key}` must be a list of names, and holds {}",
                        kind(&other)
                    );
                    self.wrong(key, message, &format!("write it as `{key}: {example}`"));
                    return Vec::new();
                }
            }
        }
        texts
    }

    /// A date written YYYY-MM-DD.
    pub fn date(&mut self, key: &str) -> Option<Date> {
        let text = match self.value(key)? {
            Value::String(text) => text.trim().to_string(),
            other => {
                let message = format!("`{key}` must be a date, not {}", kind(other));
                self.wrong(
                    key,
                    message,
                    "write the date as YYYY-MM-DD, such as 2026-09-14",
                );
                return None;
            }
        };
        match parse_date(&text) {
            Some(date) => Some(date),
            None => {
                let message = format!("`{key}: {text}` is not a calendar date");
                self.wrong(
                    key,
                    message,
                    "write the date as YYYY-MM-DD, such as 2026-09-14",
                );
                None
            }
        }
    }

    /// A span of days written `90d` or `12w`.
    pub fn days(&mut self, key: &str) -> Option<Days> {
        let text = match self.value(key)? {
            Value::String(text) => text.clone(),
            other => {
                let message = format!("`{key}` must be a duration, not {}", kind(other));
                self.wrong(
                    key,
                    message,
                    "write a number of days or weeks such as `90d` or `12w`",
                );
                return None;
            }
        };
        match Days::parse(&text) {
            Ok(days) if days.0 > 0 => Some(days),
            Ok(_) => {
                let message = format!("`{key}: {text}` is no time at all");
                self.wrong(
                    key,
                    message,
                    "write a number of days or weeks such as `90d` or `12w`",
                );
                None
            }
            Err(message) => {
                self.wrong(key, format!("`{key}`: {message}"), "such as `90d` or `12w`");
                None
            }
        }
    }

    /// ADR numbers: `3`, `[3, 4]`, `"0003"` or `"ADR-0003"`.
    pub fn numbers(&mut self, key: &str) -> Vec<u32> {
        let Some(value) = self.value(key).cloned() else {
            return Vec::new();
        };
        let items = match value {
            Value::Array(items) => items,
            single => vec![single],
        };
        let mut numbers = Vec::new();
        for item in &items {
            match adr_number(item) {
                Some(number) => numbers.push(number),
                None => {
                    let message =
                        format!("`{key}` holds {}, which is not an ADR number", shown(item));
                    self.wrong(
                        key,
                        message,
                        &format!("write ADR numbers, such as `{key}: [3]`"),
                    );
                    return Vec::new();
                }
            }
        }
        numbers
    }
}

/// `3`, `"0003"`, `"ADR-0003"` or `"adr 3"` as a number.
pub fn adr_number(value: &Value) -> Option<u32> {
    match value {
        Value::Number(number) => number.as_u64().and_then(|n| u32::try_from(n).ok()),
        Value::String(text) => number_in(text),
        _ => None,
    }
}

/// The ADR number a text names: `0003`, `ADR-0003`, `adr 3`, `3.`.
pub fn number_in(text: &str) -> Option<u32> {
    let text = text.trim();
    let digits = text
        .strip_prefix("ADR")
        .or_else(|| text.strip_prefix("adr"))
        .map_or(text, |rest| rest.trim_start_matches(['-', ' ', '_']));
    let digits = digits.strip_suffix('.').unwrap_or(digits);
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.parse().ok())
        .flatten()
}

/// A date in the form YYYY-MM-DD only.
pub fn parse_date(text: &str) -> Option<Date> {
    let well_formed = text.len() == 10
        && text.bytes().enumerate().all(|(index, byte)| match index {
            4 | 7 => byte == b'-',
            _ => byte.is_ascii_digit(),
        });
    well_formed.then(|| text.parse().ok()).flatten()
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing",
        Value::Bool(_) => "a true/false value",
        Value::Number(_) => "a number",
        Value::String(_) => "a text",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

fn shown(value: &Value) -> String {
    match value {
        Value::String(text) => format!("`{text}`"),
        other => kind(other).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adr_numbers_are_read_in_the_forms_teams_write() {
        for (text, number) in [("0003", 3), ("ADR-0012", 12), ("adr 7", 7), ("3.", 3)] {
            assert_eq!(number_in(text), Some(number), "{text}");
        }
        assert_eq!(number_in("three"), None);
        assert_eq!(number_in(""), None);
        assert_eq!(parse_date("2026-13-40"), None);
        assert!(parse_date("2026-02-28").is_some());
    }
}
