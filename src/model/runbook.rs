//! Runbooks (every page in the runbooks folder but its README) and the review dates that
//! runbooks and the pages under a `[policy.pages]` `max-age` carry.

use jiff::civil::Date;

use super::values::Reader;
use super::{MarkdownPage, PageId};
use crate::config::Days;
use crate::finding::{Finding, Position};

/// One runbook.
#[derive(Clone, Debug)]
pub struct Runbook {
    pub page: PageId,
    pub service: Option<String>,
    pub owner: Option<String>,
    /// The alerts it answers (informational: coverage is checked from the service side).
    pub alerts: Vec<String>,
    pub review: Review,
}

/// When a page was last reviewed and how often it must be.
#[derive(Clone, Debug)]
pub struct Review {
    /// The file, as findings name it.
    pub file: String,
    /// `last_reviewed`, with where it is written.
    pub last_reviewed: Option<(Date, Position)>,
    /// `review_every`: overrides the policy's max age for this page.
    pub review_every: Option<Days>,
    /// Whether `last_reviewed` is written but is not a date (already a `schema` finding).
    pub unreadable: bool,
    /// Where a missing review date belongs: the front matter's first line, else line 1.
    pub position: Position,
    /// With no `last_reviewed`, the commit whose date `last_reviewed` holds instead
    /// (`[policy] git`), abbreviated.
    pub committed: Option<String>,
}

impl Review {
    /// Reads `last_reviewed` and `review_every` of a page.
    pub fn read(page: &MarkdownPage, shown: &str, findings: &mut Vec<Finding>) -> Review {
        let mut values = Reader {
            front: page.document.front.as_ref(),
            file: shown,
            findings,
        };
        let date = values.date("last_reviewed");
        Review {
            file: shown.to_string(),
            unreadable: date.is_none() && values.has("last_reviewed"),
            last_reviewed: date.map(|date| (date, values.position("last_reviewed"))),
            review_every: values.days("review_every"),
            position: page.document.front.as_ref().map_or(
                Position { line: 1, column: 1 },
                |front| Position {
                    line: front.first_line.saturating_sub(1).max(1),
                    column: 1,
                },
            ),
            committed: None,
        }
    }

    /// The day the next review is due, given the policy's max age.
    pub fn due(&self, max_age: Days) -> Option<Date> {
        let (date, _) = self.last_reviewed?;
        let days = self.review_every.unwrap_or(max_age).0;
        date.checked_add(jiff::Span::new().days(i64::from(days)))
            .ok()
    }
}

/// Reads the runbook behind `page`.
pub fn read(id: PageId, page: &MarkdownPage, shown: &str, findings: &mut Vec<Finding>) -> Runbook {
    let review = Review::read(page, shown, findings);
    let mut values = Reader {
        front: page.document.front.as_ref(),
        file: shown,
        findings,
    };
    Runbook {
        page: id,
        service: values.string("service", "payments"),
        owner: values.string("owner", "team-payments"),
        alerts: values.strings("alerts", "[PaymentsHighP99Latency]"),
        review,
    }
}
