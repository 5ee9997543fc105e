//! ADRs: one typed record per `NNNN-title.md` in the ADR folder, whichever of the three
//! formats found in the wild it is written in: shipshape's front matter (Nygard's
//! sections), adr-tools (`# 1. Title`, a `## Status` section, "Supersedes" lines) or MADR
//! 3/4 (front matter `status`, `date`, `decision-makers`; its own section names).

use jiff::civil::Date;

use super::values::{Reader, number_in};
use super::{MarkdownPage, Outline, PageId};
use crate::finding::{Finding, LineIndex, Position};

/// The statuses every handbook knows; `[policy.adr] statuses` adds a team's own.
pub const STATUSES: &[&str] = &[
    "proposed",
    "accepted",
    "rejected",
    "deprecated",
    "superseded",
];

/// Which template an ADR follows, which decides its default required sections.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// shipshape's front matter with Nygard's Context, Decision, Consequences.
    Nygard,
    /// Nat Pryce's adr-tools: no front matter, the status in a `## Status` section.
    AdrTools,
    /// MADR 3 or 4: Context and Problem Statement, Considered Options, Decision Outcome.
    Madr,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Nygard => "Nygard",
            Format::AdrTools => "adr-tools",
            Format::Madr => "MADR",
        }
    }

    /// The sections an ADR in this format needs unless `[policy.adr] required-sections`
    /// says otherwise. MADR makes Consequences optional, so it is not among them.
    pub fn required_sections(self) -> &'static [&'static str] {
        match self {
            Format::Nygard | Format::AdrTools => &["Context", "Decision", "Consequences"],
            Format::Madr => &[
                "Context and Problem Statement",
                "Considered Options",
                "Decision Outcome",
            ],
        }
    }
}

/// MADR's section names, by which a MADR file without front matter is recognised.
const MADR_SECTIONS: &[&str] = &[
    "context and problem statement",
    "considered options",
    "decision outcome",
];

/// One architecture decision record.
#[derive(Clone, Debug)]
pub struct Adr {
    pub page: PageId,
    /// From the file name: `0007-…` is 7.
    pub number: u32,
    /// The digits as the file name writes them (`0007`).
    pub digits: String,
    pub title: String,
    /// Lowercase, as written (`accepted`, `on hold`); `None` when the ADR gives none.
    pub status: Option<String>,
    /// Where the status is written (else the title line).
    pub status_position: Position,
    pub date: Option<Date>,
    pub deciders: Vec<String>,
    /// The ADRs this one replaces, with where each is named.
    pub supersedes: Vec<(u32, Position)>,
    /// The ADR that replaced this one.
    pub superseded_by: Option<(u32, Position)>,
    pub services: Vec<String>,
    pub tags: Vec<String>,
    pub format: Format,
    /// The file, as findings name it.
    pub file: String,
    /// The title line (the H1, else the front matter's `title`, else line 1).
    pub title_position: Position,
}

impl Adr {
    /// `ADR-0007`.
    pub fn label(&self) -> String {
        format!("ADR-{}", self.digits)
    }
}

/// The number and its digits of an ADR file name (`0007-retry.md`), which `Kind::of`
/// has already judged to be one.
pub fn number_of(path: &str) -> (u32, String) {
    let file = path.rsplit('/').next().unwrap_or(path);
    let digits = &file[..4];
    (digits.parse().unwrap_or(0), digits.to_string())
}

/// Reads the ADR behind `page`. `shown` is the file as findings name it; `title` the
/// page's title as the model worked it out.
pub fn read(
    id: PageId,
    page: &MarkdownPage,
    title: &str,
    shown: &str,
    findings: &mut Vec<Finding>,
) -> Adr {
    let document = &page.document;
    let outline = &page.outline;
    let (number, digits) = number_of(&document.path);
    let mut values = Reader {
        front: document.front.as_ref(),
        file: shown,
        findings,
    };
    let title_position = title_position(outline, &values);
    let status_section = outline
        .section(|text| text.eq_ignore_ascii_case("status"))
        .filter(|_| !values.has("status"));
    let madr_sections = outline
        .headings
        .iter()
        .any(|h| h.level >= 2 && MADR_SECTIONS.contains(&h.text.to_lowercase().as_str()));
    let format = if values.has("decision-makers") || values.has("consulted") || madr_sections {
        Format::Madr
    } else if status_section.is_some() {
        Format::AdrTools
    } else {
        Format::Nygard
    };
    let mut adr = Adr {
        page: id,
        number,
        digits,
        title: strip_number(title, number).to_string(),
        status: None,
        status_position: title_position,
        date: values.date("date"),
        deciders: Vec::new(),
        supersedes: Vec::new(),
        superseded_by: None,
        services: values.strings("services", "[payments]"),
        tags: values.strings("tags", "[reliability]"),
        format,
        file: shown.to_string(),
        title_position,
    };
    adr.deciders = values.strings("deciders", "[dana, lee]");
    adr.deciders
        .extend(values.strings("decision-makers", "[dana, lee]"));
    if let Some(status) = values.string("status", "accepted") {
        adr.status_position = values.position("status");
        // MADR writes `status: "superseded by ADR-0005"`.
        match status.to_lowercase().strip_prefix("superseded by") {
            Some(successor) => {
                adr.status = Some("superseded".into());
                if let Some(number) = successor_number(successor) {
                    adr.superseded_by = Some((number, adr.status_position));
                }
            }
            None => adr.status = Some(status.to_lowercase()),
        }
    }
    let supersedes_position = values.position("supersedes");
    adr.supersedes = values
        .numbers("supersedes")
        .into_iter()
        .map(|number| (number, supersedes_position))
        .collect();
    let successor_position = values.position("superseded_by");
    if let Some(number) = values.numbers("superseded_by").first() {
        adr.superseded_by = Some((*number, successor_position));
    }
    if let Some(section) = status_section {
        read_status_section(&mut adr, page, section.section.clone());
    }
    if adr.format == Format::AdrTools && adr.date.is_none() {
        adr.date = date_line(&document.body);
    }
    adr
}

/// The position findings about the whole page use: its H1, else the front matter's
/// `title`, else line 1.
fn title_position(outline: &Outline, values: &Reader<'_>) -> Position {
    outline
        .headings
        .iter()
        .find(|heading| heading.level == 1)
        .map(|heading| heading.position)
        .or_else(|| values.has("title").then(|| values.position("title")))
        .unwrap_or(Position { line: 1, column: 1 })
}

/// adr-tools' status section: a status line (`Accepted`), and lines that link other
/// ADRs: `Supersedes [1. Title](0001-title.md)`, `Superseded by [3. …](…)`.
fn read_status_section(adr: &mut Adr, page: &MarkdownPage, range: std::ops::Range<usize>) {
    let body = &page.document.body;
    let lines = LineIndex::new(body);
    let mut offset = range.start;
    for line in body[range].split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let text = line.trim();
        if text.is_empty() || text.starts_with("<!--") {
            continue;
        }
        let position = page.document.source_map.position(&lines, start);
        let lower = text.to_lowercase();
        if let Some(rest) = lower.strip_prefix("superseded by") {
            adr.status = Some("superseded".into());
            adr.status_position = position;
            if let Some(number) = successor_number(rest) {
                adr.superseded_by = Some((number, position));
            }
        } else if let Some(rest) = lower.strip_prefix("supersedes") {
            if let Some(number) = successor_number(rest) {
                adr.supersedes.push((number, position));
            }
        } else if is_link_line(&lower) {
            // "Amended by", "Clarified by", "Amends": links adr-tools writes that are
            // not part of the supersedes chain.
        } else if adr.status.is_none() {
            adr.status = Some(lower.trim_end_matches('.').to_string());
            adr.status_position = position;
        }
    }
}

/// Whether an adr-tools status line is one of its other links (`Amended by [2. …](…)`).
fn is_link_line(lower: &str) -> bool {
    lower.contains("](") && lower.split_whitespace().count() > 1 && lower.contains('[')
}

/// The ADR a "superseded by …"/"supersedes …" text names: `ADR-0005`, `[5. Title](0005-title.md)`.
fn successor_number(text: &str) -> Option<u32> {
    let text = text.trim().trim_start_matches(':').trim();
    // A link's file name says it exactly: `(0005-use-x.md)`.
    if let Some(open) = text.find("](") {
        let target = &text[open + 2..];
        let file = target
            .split(')')
            .next()
            .unwrap_or(target)
            .rsplit('/')
            .next()
            .unwrap_or("");
        if let Some(number) = file.split('-').next().and_then(number_in) {
            return Some(number);
        }
    }
    let first = text
        .trim_start_matches('[')
        .split(|c: char| c.is_whitespace() || c == ']')
        .next()?;
    number_in(first)
}

/// adr-tools writes `Date: 2026-03-02` under the title.
fn date_line(body: &str) -> Option<Date> {
    body.lines()
        .take_while(|line| !line.starts_with("## "))
        .find_map(|line| line.trim().strip_prefix("Date:"))
        .and_then(|date| super::values::parse_date(date.trim()))
}

/// `1. Record decisions` → `Record decisions` when 1 is the ADR's number.
fn strip_number(title: &str, number: u32) -> &str {
    match title.split_once(". ") {
        Some((digits, rest)) if number_in(digits) == Some(number) => rest.trim(),
        _ => title,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn supersede_links_name_their_adr_by_file_or_label() {
        assert_eq!(successor_number(" [5. Use X](0005-use-x.md)"), Some(5));
        assert_eq!(successor_number(" ADR-0012"), Some(12));
        assert_eq!(successor_number(": 7"), Some(7));
        assert_eq!(successor_number(" someone else"), None);
        assert_eq!(strip_number("1. Record decisions", 1), "Record decisions");
        assert_eq!(
            strip_number("1. Record decisions", 2),
            "1. Record decisions"
        );
    }
}
