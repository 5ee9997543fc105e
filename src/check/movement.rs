//! `check --changed-since`: how each service's readiness moved between REF's handbook
//! and this one, in one line per service whose level or score differs:
//! `payments: silver → bronze, 83% → 77%: deployment.rollback now fails`.

use std::collections::BTreeMap;

use crate::model::Handbook;
use crate::model::readiness::{Card, Score, State};

/// One side of the comparison: a handbook and its services judged on the run's day.
pub struct Judged<'a> {
    pub handbook: &'a Handbook,
    pub cards: &'a [Card],
}

/// A line for each service whose level or score differs between `before` and `after`
/// (added and removed services too), in service id order.
pub fn compare(before: &Judged<'_>, after: &Judged<'_>) -> Vec<String> {
    let then = by_id(before);
    let now = by_id(after);
    let mut ids: Vec<&str> = then.keys().chain(now.keys()).copied().collect();
    ids.sort_unstable();
    ids.dedup();
    ids.into_iter()
        .filter_map(|id| match (then.get(id), now.get(id)) {
            (Some(old), Some(new)) => moved(id, old, new),
            (None, Some(new)) => Some(format!("{id}: new, {}, {}", level(new), percent(new.score))),
            (Some(old), None) => Some(format!(
                "{id}: removed (was {}, {})",
                level(old),
                percent(old.score)
            )),
            (None, None) => None,
        })
        .collect()
}

fn by_id<'a>(side: &Judged<'a>) -> BTreeMap<&'a str, &'a Card> {
    side.cards
        .iter()
        .map(|card| (side.handbook.services[card.service].id.0.as_str(), card))
        .collect()
}

fn moved(id: &str, old: &Card, new: &Card) -> Option<String> {
    if old.level == new.level && old.score == new.score {
        return None;
    }
    let arrow = |a: String, b: String| if a == b { a } else { format!("{a} → {b}") };
    let mut line = format!(
        "{id}: {}, {}",
        arrow(level(old).to_string(), level(new).to_string()),
        arrow(percent(old.score), percent(new.score))
    );
    let states: BTreeMap<&str, State> = old
        .items
        .iter()
        .map(|item| (item.id.as_str(), item.state))
        .collect();
    let why: Vec<String> = new
        .items
        .iter()
        .filter_map(|item| {
            let before = states.get(item.id.as_str()).copied();
            if before == Some(item.state) {
                return None;
            }
            let now = match item.state {
                State::Pass => "now passes",
                State::Exempt => "is now waived",
                State::Fail => "now fails",
                State::Unknown => "is no longer answered",
                State::NotApplicable => "is now n/a",
            };
            Some(format!("{} {now}", item.id))
        })
        .collect();
    if !why.is_empty() {
        line.push_str(": ");
        line.push_str(&why.join(", "));
    }
    Some(line)
}

fn level(card: &Card) -> &'static str {
    card.level.map_or("none", |level| level.name())
}

/// The score as a whole percentage, rounded half up (`n/a` when nothing applies).
fn percent(score: Score) -> String {
    if score.applicable == 0 {
        return "n/a".to_string();
    }
    format!(
        "{}%",
        (score.passed * 200 + score.applicable) / (score.applicable * 2)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_round_half_up() {
        let score = |passed, applicable| Score { passed, applicable };
        assert_eq!(percent(score(25, 30)), "83%");
        assert_eq!(percent(score(23, 30)), "77%");
        assert_eq!(percent(score(1, 8)), "13%");
        assert_eq!(percent(score(0, 0)), "n/a");
    }
}
