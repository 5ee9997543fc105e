//! Baselines: the findings a team has accepted for now, so that `check` fails only on
//! new ones. A baseline counts findings per fingerprint; it is JSON with one entry a
//! line, sorted, so that its diffs in review read well:
//!
//! ```text
//! {"version": 1, "findings": [
//!   {"fingerprint": "c3421026919c0da8", "count": 1, "rule": "link", "file": "content/a.md", "message": "…"}
//! ]}
//! ```
//!
//! Only `fingerprint` and `count` are matched; `rule`, `file` and `message` are there for
//! the people reading the diff (and `rule` tells which rules a narrowed run judged).

use std::collections::BTreeMap;
use std::collections::HashMap;

use serde::Deserialize;

use crate::finding::{Finding, Rule};

/// The one version this format has had.
const VERSION: u32 = 1;

/// A baseline: how many findings of each fingerprint are accepted.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Baseline {
    entries: BTreeMap<String, Entry>,
}

/// What the baseline says about one fingerprint.
#[derive(Debug, PartialEq, Eq)]
struct Entry {
    count: usize,
    rule: String,
    file: String,
    message: String,
}

/// A run's findings judged against a baseline.
pub struct Judged {
    /// The findings the baseline does not accept: the ones that fail the run.
    pub new: Vec<Finding>,
    /// The findings it accepts, in the order given.
    pub baselined: Vec<Finding>,
    /// How many accepted findings the run no longer has.
    pub fixed: usize,
}

/// Why a baseline file could not be read, with where in the file.
#[derive(Debug)]
pub struct Corrupt {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl Baseline {
    /// The baseline that accepts exactly `findings`.
    pub fn of(findings: &[Finding]) -> Baseline {
        let mut entries: BTreeMap<String, Entry> = BTreeMap::new();
        for finding in findings {
            entries
                .entry(finding.fingerprint())
                .and_modify(|entry| entry.count += 1)
                .or_insert_with(|| Entry {
                    count: 1,
                    rule: finding.rule.id().to_string(),
                    file: finding.file.clone(),
                    message: finding.message.clone(),
                });
        }
        Baseline { entries }
    }

    /// Reads a baseline file's bytes. An entry listed twice counts twice (as after a
    /// merge of two branches that each added it).
    pub fn parse(bytes: &[u8]) -> Result<Baseline, Corrupt> {
        let file: File = serde_json::from_slice(bytes).map_err(|err| Corrupt {
            line: err.line().max(1),
            column: err.column().max(1),
            message: without_position(&err),
        })?;
        let mut entries: BTreeMap<String, Entry> = BTreeMap::new();
        for entry in file.findings {
            entries
                .entry(entry.fingerprint.0)
                .and_modify(|known| known.count = known.count.saturating_add(entry.count.0))
                .or_insert(Entry {
                    count: entry.count.0,
                    rule: entry.rule,
                    file: entry.file,
                    message: entry.message,
                });
        }
        Ok(Baseline { entries })
    }

    /// The file's text: entries sorted by file, rule and fingerprint, one a line.
    pub fn to_text(&self) -> String {
        let mut entries: Vec<(&String, &Entry)> = self.entries.iter().collect();
        entries.sort_by(|(a_print, a), (b_print, b)| {
            (&a.file, &a.rule, a_print).cmp(&(&b.file, &b.rule, b_print))
        });
        if entries.is_empty() {
            return format!("{{\"version\": {VERSION}, \"findings\": []}}\n");
        }
        let string = |text: &str| serde_json::to_string(text).expect("strings serialize");
        let lines: Vec<String> = entries
            .iter()
            .map(|(fingerprint, entry)| {
                format!(
                    "  {{\"fingerprint\": {}, \"count\": {}, \"rule\": {}, \"file\": {}, \"message\": {}}}",
                    string(fingerprint),
                    entry.count,
                    string(&entry.rule),
                    string(&entry.file),
                    string(&entry.message)
                )
            })
            .collect();
        format!(
            "{{\"version\": {VERSION}, \"findings\": [\n{}\n]}}\n",
            lines.join(",\n")
        )
    }

    /// Judges `findings` (in report order): of each fingerprint, the first `count` are
    /// baselined and the rest are new. An entry with fewer findings than its count has
    /// fixed ones; entries of a rule `judged` says the run did not check are not.
    pub fn judge(&self, findings: Vec<Finding>, judged: impl Fn(Rule) -> bool) -> Judged {
        let mut left: HashMap<&str, usize> = self
            .entries
            .iter()
            .map(|(fingerprint, entry)| (fingerprint.as_str(), entry.count))
            .collect();
        let mut new = Vec::new();
        let mut baselined = Vec::new();
        for finding in findings {
            match left.get_mut(finding.fingerprint().as_str()) {
                Some(count) if *count > 0 => {
                    *count -= 1;
                    baselined.push(finding);
                }
                _ => new.push(finding),
            }
        }
        let fixed = self
            .entries
            .iter()
            .filter(|(_, entry)| Rule::from_id(&entry.rule).is_none_or(&judged))
            .map(|(fingerprint, _)| left[fingerprint.as_str()])
            .sum();
        Judged {
            new,
            baselined,
            fixed,
        }
    }
}

/// serde_json's message without the " at line L column C" it appends.
fn without_position(err: &serde_json::Error) -> String {
    let text = err.to_string();
    let suffix = format!(" at line {} column {}", err.line(), err.column());
    text.strip_suffix(&suffix).unwrap_or(&text).to_string()
}

/// The file as serde reads it; each check that fails is reported at its place.
#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a baseline: {\"version\": 1, \"findings\": [...]}"
)]
struct File {
    #[expect(dead_code, reason = "read to be checked: only version 1 exists")]
    version: Version,
    findings: Vec<FileEntry>,
}

#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a baseline entry: {\"fingerprint\": ..., \"count\": ..., ...}"
)]
struct FileEntry {
    fingerprint: Fingerprint,
    count: Count,
    #[serde(default)]
    rule: String,
    #[serde(default)]
    file: String,
    #[serde(default)]
    message: String,
}

struct Version;

impl<'de> Deserialize<'de> for Version {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Version, D::Error> {
        let version = u64::deserialize(deserializer)?;
        if version == u64::from(VERSION) {
            Ok(Version)
        } else {
            Err(serde::de::Error::custom(format!(
                "version {version} is not one this shipshape reads (it reads version {VERSION})"
            )))
        }
    }
}

/// 16 lowercase hex digits, as `Finding::fingerprint` makes them.
struct Fingerprint(String);

impl<'de> Deserialize<'de> for Fingerprint {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Fingerprint, D::Error> {
        let text = String::deserialize(deserializer)?;
        if text.len() == 16
            && text
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            Ok(Fingerprint(text))
        } else {
            Err(serde::de::Error::custom(format!(
                "`{}` is not a fingerprint (16 hex digits, such as c3421026919c0da8)",
                text.escape_debug()
            )))
        }
    }
}

/// A count of at least one.
struct Count(usize);

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Count, D::Error> {
        match usize::deserialize(deserializer)? {
            0 => Err(serde::de::Error::custom(
                "a count of 0 accepts nothing: remove the entry or count its findings",
            )),
            count => Ok(Count(count)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Position;

    fn link(file: &str, target: &str, line: u32) -> Finding {
        Finding::new(Rule::Link, file, format!("`{target}` does not exist"))
            .key(target)
            .at(Position { line, column: 1 })
    }

    #[test]
    fn the_text_is_sorted_one_entry_a_line_and_reads_back() {
        let findings = [
            link("content/b.md", "x.md", 3),
            link("content/a.md", "y.md", 9),
            link("content/b.md", "x.md", 7),
            Finding::new(Rule::Orphan, "content/a.md", "say \"hi\"\nand ünïcode"),
        ];
        let baseline = Baseline::of(&findings);
        let text = baseline.to_text();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 5, "{text}");
        assert_eq!(lines[0], "{\"version\": 1, \"findings\": [");
        assert!(
            lines[1].contains("\"rule\": \"link\", \"file\": \"content/a.md\""),
            "{text}"
        );
        assert!(lines[2].contains("\"rule\": \"orphan\""), "{text}");
        assert!(
            lines[2].ends_with("\"message\": \"say \\\"hi\\\"\\nand ünïcode\"},"),
            "{text}"
        );
        assert!(
            lines[3].contains("\"count\": 2, \"rule\": \"link\", \"file\": \"content/b.md\""),
            "{text}"
        );
        assert_eq!(lines[4], "]}");
        assert_eq!(Baseline::parse(text.as_bytes()).unwrap(), baseline);
        assert_eq!(
            Baseline::of(&[]).to_text(),
            "{\"version\": 1, \"findings\": []}\n"
        );
    }

    #[test]
    fn counts_accept_that_many_findings_in_order_and_the_rest_are_new() {
        let baseline = Baseline::of(&[link("a.md", "x.md", 1), link("a.md", "x.md", 2)]);
        let judged = baseline.judge(
            vec![
                link("a.md", "x.md", 5),
                link("a.md", "x.md", 6),
                link("a.md", "x.md", 7),
            ],
            |_| true,
        );
        let line = |findings: &[Finding]| findings.iter().map(|f| f.line).collect::<Vec<_>>();
        assert_eq!(line(&judged.baselined), vec![Some(5), Some(6)]);
        assert_eq!(line(&judged.new), vec![Some(7)]);
        assert_eq!(judged.fixed, 0);
    }

    #[test]
    fn fewer_findings_than_counted_are_fixed_unless_the_rule_was_not_judged() {
        let baseline = Baseline::of(&[
            link("a.md", "x.md", 1),
            link("a.md", "x.md", 2),
            Finding::new(Rule::Orphan, "b.md", "m"),
        ]);
        let judged = baseline.judge(vec![link("a.md", "x.md", 1)], |_| true);
        assert_eq!(
            (judged.new.len(), judged.baselined.len(), judged.fixed),
            (0, 1, 2)
        );
        let judged = baseline.judge(vec![link("a.md", "x.md", 1)], |rule| rule == Rule::Link);
        assert_eq!(judged.fixed, 1);
    }

    #[test]
    fn entries_listed_twice_add_up() {
        let print = link("a.md", "x.md", 1).fingerprint();
        let text = format!(
            "{{\"version\": 1, \"findings\": [{{\"fingerprint\": \"{print}\", \"count\": 1}}, {{\"fingerprint\": \"{print}\", \"count\": 2}}]}}"
        );
        let baseline = Baseline::parse(text.as_bytes()).unwrap();
        let judged = baseline.judge(Vec::new(), |_| true);
        assert_eq!(judged.fixed, 3);
    }

    #[test]
    fn corrupt_files_say_where() {
        let corrupt = |text: &str| {
            let err = Baseline::parse(text.as_bytes()).unwrap_err();
            (err.line, err.column, err.message)
        };
        let (line, column, message) =
            corrupt("{\"version\": 1,\n \"findings\": [\n  {\"fingerprint\": 7}]}");
        assert_eq!((line, column), (3, 19));
        assert!(
            message.starts_with("invalid type: integer `7`"),
            "{message}"
        );
        let (line, _, message) = corrupt("{\"version\": 3, \"findings\": []}");
        assert_eq!(line, 1);
        assert!(message.starts_with("version 3 is not one"), "{message}");
        let (_, _, message) = corrupt("[]");
        assert!(message.contains("expected a baseline"), "{message}");
        let (_, _, message) = corrupt("{\"version\": 1, \"findings\": [], \"extra\": 1}");
        assert!(message.starts_with("unknown field `extra`"), "{message}");
        let (_, _, message) = corrupt(
            "{\"version\": 1, \"findings\": [{\"fingerprint\": \"0123456789abcdef\", \"count\": 0}]}",
        );
        assert!(message.starts_with("a count of 0"), "{message}");
        let (line, column, message) = corrupt("");
        assert_eq!((line, column), (1, 1));
        assert_eq!(message, "EOF while parsing a value");
    }
}
