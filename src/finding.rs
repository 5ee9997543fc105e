//! The one findings model: every stage reports handbook problems as `Finding` values,
//! and every report format prints them. No stage prints or exits.

use std::fmt;

use serde::Serialize;

/// How bad a finding is. Errors fail a run; warnings fail it only with `--strict`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

macro_rules! rules {
    ($($variant:ident = $id:literal, $severity:ident, $about:expr;)*) => {
        /// A stable rule id. The ids are a contract: book.toml's `[policy.severity]` and
        /// every report format use them.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule { $($variant),* }

        impl Rule {
            /// Every rule, in the order the SPEC lists them.
            pub const ALL: &[Rule] = &[$(Rule::$variant),*];

            /// The id used in book.toml and in reports.
            pub fn id(self) -> &'static str {
                match self { $(Rule::$variant => $id),* }
            }

            /// The severity a rule has unless `[policy.severity]` changes it.
            pub fn default_severity(self) -> Severity {
                match self { $(Rule::$variant => Severity::$severity),* }
            }

            /// What the rules reference says about the rule; `None` for a rule whose id
            /// is reserved (book.toml accepts it) but whose check does not exist yet.
            pub fn about(self) -> Option<&'static About> {
                match self { $(Rule::$variant => $about),* }
            }
        }
    };
}

// The text lives in `about` below; `explain` prints it and content/guide/rules/ holds
// the same text as pages (tests/explain.rs keeps the two in step).
rules! {
    Syntax = "syntax", Error, Some(&about::SYNTAX);
    Schema = "schema", Error, Some(&about::SCHEMA);
    Include = "include", Error, Some(&about::INCLUDE);
    SectionMissing = "section-missing", Error, Some(&about::SECTION_MISSING);
    Stale = "stale", Error, Some(&about::STALE);
    Readiness = "readiness", Error, Some(&about::READINESS);
    WaiverExpired = "waiver-expired", Error, Some(&about::WAIVER_EXPIRED);
    Evidence = "evidence", Error, Some(&about::EVIDENCE);
    AlertRunbook = "alert-runbook", Error, Some(&about::ALERT_RUNBOOK);
    Link = "link", Error, Some(&about::LINK);
    Adr = "adr", Error, Some(&about::ADR);
    Secret = "secret", Error, Some(&about::SECRET);
    Orphan = "orphan", Warning, Some(&about::ORPHAN);
    AltText = "alt-text", Warning, Some(&about::ALT_TEXT);
    Suppression = "suppression", Warning, Some(&about::SUPPRESSION);
}

/// A rule's entry in the rules reference: what `shipshape explain RULE` prints.
/// Texts are markdown-light (code in backticks, `- ` lists) and wrapped for a terminal.
pub struct About {
    /// One line, for lists of rules.
    pub summary: &'static str,
    /// What the rule finds.
    pub finds: &'static str,
    /// Why a finding matters.
    pub why: &'static str,
    /// How to fix a finding.
    pub fix: &'static str,
    /// How to change the rule's severity or switch it off, and its own keys.
    pub configure: &'static str,
    /// A short finding as the human report prints it.
    pub example: &'static str,
}

impl About {
    /// The reference's sections with their headings, in the order `explain`, the rule
    /// pages and the SARIF report's help use.
    pub fn sections(&self) -> [(&'static str, &'static str); 5] {
        [
            ("What it finds", self.finds),
            ("Why it matters", self.why),
            ("How to fix it", self.fix),
            ("Configure or silence it", self.configure),
            ("Example", self.example),
        ]
    }
}

impl Rule {
    /// Looks a rule up by its id.
    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|rule| rule.id() == id)
    }

    /// The rules whose check exists, in table order: the ones `explain` lists.
    pub fn existing() -> impl Iterator<Item = Rule> {
        Rule::ALL
            .iter()
            .copied()
            .filter(|rule| rule.about().is_some())
    }
}

impl Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}

/// One problem in the handbook, with where it is and how to fix it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub rule: Rule,
    pub severity: Severity,
    /// Path relative to the handbook root, `/`-separated.
    pub file: String,
    /// 1-based; `None` where no line applies.
    pub line: Option<u32>,
    /// 1-based, in characters; `None` where no column applies.
    pub column: Option<u32>,
    pub message: String,
    pub help: Option<String>,
    /// What the rule says the finding is about (a link's destination, an include's
    /// arguments, a key path), for the fingerprint; `None` uses the message.
    #[serde(skip)]
    pub key: Option<String>,
    /// Other places the finding concerns: the other ADR of a broken supersedes pair,
    /// the runbook an alert points at.
    pub related: Vec<Related>,
    /// What the finding is about beyond its file (a service id, an owner), for filters
    /// and rollups; `None` when the file says it all.
    pub subject: Option<String>,
    /// An advisory finding (a review due soon, an item not yet enforced) is a warning
    /// whatever `[policy.severity]` sets for its rule; only `off` drops it.
    pub advisory: bool,
    /// What else the finding follows from (a link's target, evidence, the runbook an
    /// alert points at, a service's code): `--changed-since` reports a finding whose
    /// cause changed even when its own file did not.
    #[serde(skip)]
    pub causes: Vec<Cause>,
    /// The day an advisory finding falls due (a review, a waiver's expiry, an item's
    /// `enforce-from`), for `--due-within`.
    #[serde(skip)]
    pub due: Option<jiff::civil::Date>,
    /// Who should act on a finding that falls due within `--due-within`: the owner of
    /// the service or runbook (else `no owner`); reports group these by it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
}

/// Something a finding follows from besides its own file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cause {
    /// A file, from the handbook root, `/`-separated.
    File(String),
    /// A glob of a service's `code`, from the git root.
    Code(String),
}

/// Another place a finding concerns, named like the finding's own file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Related {
    /// Path relative to the handbook root, `/`-separated.
    pub file: String,
    pub line: Option<u32>,
    pub column: Option<u32>,
    /// What the place is to the finding: "the ADR that says it supersedes this one".
    pub message: String,
}

impl Finding {
    /// A finding with the rule's default severity and no position.
    pub fn new(rule: Rule, file: impl Into<String>, message: impl Into<String>) -> Finding {
        Finding {
            rule,
            severity: rule.default_severity(),
            file: file.into(),
            line: None,
            column: None,
            message: message.into(),
            help: None,
            key: None,
            related: Vec::new(),
            subject: None,
            advisory: false,
            causes: Vec::new(),
            due: None,
            owner: None,
        }
    }

    /// Adds the file a finding follows from, when there is one.
    pub fn causes_from(self, file: Option<String>) -> Finding {
        match file {
            Some(file) => self.cause(Cause::File(file)),
            None => self,
        }
    }

    /// Sets the day an advisory finding falls due (see `due`).
    pub fn due(mut self, day: jiff::civil::Date) -> Finding {
        self.due = Some(day);
        self
    }

    /// Adds something the finding follows from (see `causes`).
    pub fn cause(mut self, cause: Cause) -> Finding {
        self.causes.push(cause);
        self
    }

    /// Adds another place the finding concerns.
    pub fn related(
        mut self,
        file: impl Into<String>,
        position: Option<Position>,
        message: impl Into<String>,
    ) -> Finding {
        self.related.push(Related {
            file: file.into(),
            line: position.map(|p| p.line),
            column: position.map(|p| p.column),
            message: message.into(),
        });
        self
    }

    /// Sets what the finding is about beyond its file (a service id, an owner).
    pub fn subject(mut self, subject: impl Into<String>) -> Finding {
        self.subject = Some(subject.into());
        self
    }

    /// Makes it advisory: a warning that `[policy.severity]` can switch off but not raise.
    pub fn advisory(mut self) -> Finding {
        self.advisory = true;
        self.severity = Severity::Warning;
        self
    }

    /// Sets what the finding is about, for its fingerprint: a key that stays the same when
    /// the file is edited elsewhere (not the line).
    pub fn key(mut self, key: impl Into<String>) -> Finding {
        self.key = Some(key.into());
        self
    }

    /// A stable id for the finding: 16 lowercase hex digits of FNV-1a 64 over the rule
    /// id, the file and the key (else the message without its digits, so that line numbers
    /// in it do not count). The same on every platform and Rust version; findings with
    /// the same rule, file and key share it (a baseline counts them).
    pub fn fingerprint(&self) -> String {
        let key = match &self.key {
            Some(key) => key.clone(),
            None => self
                .message
                .chars()
                .filter(|c| !c.is_ascii_digit())
                .collect(),
        };
        let mut hash = Fnv1a::new();
        hash.write(self.rule.id().as_bytes());
        hash.write(&[0]);
        hash.write(self.file.as_bytes());
        hash.write(&[0]);
        hash.write(key.as_bytes());
        format!("{:016x}", hash.finish())
    }

    /// Sets the position.
    pub fn at(mut self, position: Position) -> Finding {
        self.line = Some(position.line);
        self.column = Some(position.column);
        self
    }

    /// Sets the position when there is one.
    pub fn at_opt(self, position: Option<Position>) -> Finding {
        match position {
            Some(position) => self.at(position),
            None => self,
        }
    }

    /// Sets the hint that says how to fix it.
    pub fn help(mut self, help: impl Into<String>) -> Finding {
        self.help = Some(help.into());
        self
    }

    /// Overrides the severity.
    pub fn severity(mut self, severity: Severity) -> Finding {
        self.severity = severity;
        self
    }

    /// The order reports list findings in: by file, then position, then rule.
    pub fn sort_key(&self) -> impl Ord + '_ {
        (&self.file, self.line, self.column, self.rule, &self.message)
    }
}

/// FNV-1a, 64 bits: a hash whose output is fixed by its definition, unlike `std`'s.
pub struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Fnv1a {
        Fnv1a::new()
    }
}

impl Fnv1a {
    pub fn new() -> Fnv1a {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }

    pub fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 ^= u64::from(*byte);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    pub fn finish(&self) -> u64 {
        self.0
    }
}

/// How many findings there are of each severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub errors: usize,
    pub warnings: usize,
}

impl Tally {
    pub fn of(findings: &[Finding]) -> Tally {
        let errors = findings
            .iter()
            .filter(|finding| finding.severity == Severity::Error)
            .count();
        Tally {
            errors,
            warnings: findings.len() - errors,
        }
    }
}

/// A finding that an inline directive suppressed, with the reason the directive gives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppressed {
    pub finding: Finding,
    pub reason: Option<String>,
}

/// What a run leaves out of the findings it reports, for the reports to count (and for
/// formats that list such findings, as SARIF does, to list them).
#[derive(Clone, Debug, Default)]
pub struct Withheld {
    /// Findings inline directives suppressed, in report order.
    pub suppressed: Vec<Suppressed>,
    /// Findings the baseline accepts, in report order.
    pub baselined: Vec<Finding>,
    /// How many findings the baseline accepts that the run no longer has.
    pub fixed: usize,
    /// The baseline read, as the command line names it, for the hint to update it.
    pub baseline: Option<String>,
    /// With `--changed-since`: how many findings were left out because neither their
    /// file nor their cause changed.
    pub outside_change: Option<usize>,
}

/// Sorts findings into report order and drops exact duplicates.
pub fn sort(findings: &mut Vec<Finding>) {
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    findings.dedup();
}

mod about;
mod position;
mod suggest;

pub use position::{LineIndex, Position};
pub use suggest::did_you_mean;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_the_reference_values() {
        let hash = |text: &str| {
            let mut hash = Fnv1a::new();
            hash.write(text.as_bytes());
            hash.finish()
        };
        assert_eq!(hash(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(hash("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(hash("foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn fingerprints_ignore_the_position_and_digits_of_the_message() {
        let a =
            Finding::new(Rule::Link, "a.md", "line 3 is bad").at(Position { line: 3, column: 1 });
        let b =
            Finding::new(Rule::Link, "a.md", "line 9 is bad").at(Position { line: 9, column: 4 });
        assert_eq!(a.fingerprint(), b.fingerprint());
        assert_eq!(a.fingerprint().len(), 16);
        let keyed = |key: &str| Finding::new(Rule::Link, "a.md", "m").key(key).fingerprint();
        assert_eq!(keyed("x.md"), keyed("x.md"));
        assert_ne!(keyed("x.md"), keyed("y.md"));
        assert_ne!(
            keyed("x.md"),
            Finding::new(Rule::Link, "b.md", "m")
                .key("x.md")
                .fingerprint()
        );
    }

    #[test]
    fn related_places_subjects_and_advice_are_reported_in_json() {
        let finding = Finding::new(Rule::Orphan, "a.md", "m")
            .related(
                "b.md",
                Some(Position { line: 2, column: 5 }),
                "the other one",
            )
            .subject("payments-api")
            .advisory();
        let json = serde_json::to_value(&finding).unwrap();
        assert_eq!(json["severity"], "warning");
        assert_eq!(json["advisory"], true);
        assert_eq!(json["subject"], "payments-api");
        assert_eq!(
            json["related"],
            serde_json::json!([{"file": "b.md", "line": 2, "column": 5, "message": "the other one"}])
        );
    }

    #[test]
    fn rule_ids_round_trip() {
        for rule in Rule::ALL {
            assert_eq!(Rule::from_id(rule.id()), Some(*rule));
        }
    }
}
