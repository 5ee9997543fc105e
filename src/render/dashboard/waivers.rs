//! The waivers page: every complete waiver, soonest expiry first.

use serde::Serialize;

use super::Views;
use crate::model::readiness::WaiverState;

/// One waiver.
#[derive(Serialize)]
pub struct WaiverRow<'a> {
    pub service: &'a str,
    pub service_title: &'a str,
    pub service_url: String,
    pub owner: &'a str,
    pub item: &'a str,
    pub item_title: &'a str,
    pub reason: &'a str,
    pub approved_by: &'a str,
    pub expires: String,
    /// Negative once expired.
    pub days_left: i64,
    /// `expired`, `ending` (within `warn-before`) or `active`.
    pub state: &'static str,
}

impl<'a> Views<'a> {
    /// Every waived item with a complete waiver, soonest expiry first.
    pub(super) fn waivers(&self, at: &str) -> Vec<WaiverRow<'a>> {
        let handbook = self.handbook;
        let mut rows = Vec::new();
        for card in self.cards {
            let service = &handbook.services[card.service];
            for (item, result) in self.standard(card).items().zip(&card.items) {
                let Some(state) = result.waiver else {
                    continue;
                };
                let Some(waiver) = service
                    .checks
                    .iter()
                    .find(|check| check.id == result.id)
                    .and_then(|check| check.waiver.as_ref())
                else {
                    continue;
                };
                rows.push(WaiverRow {
                    service: &service.id.0,
                    service_title: service.title.as_deref().unwrap_or(&service.id.0),
                    service_url: self.card_url(card, at),
                    owner: service.owner.as_deref().unwrap_or(""),
                    item: &result.id,
                    item_title: &item.title,
                    reason: &waiver.reason,
                    approved_by: &waiver.approved_by,
                    expires: waiver.expires.to_string(),
                    days_left: self
                        .today
                        .until(waiver.expires)
                        .map_or(0, |span| i64::from(span.get_days())),
                    state: match state {
                        WaiverState::Expired => "expired",
                        WaiverState::EndingSoon => "ending",
                        WaiverState::Valid => "active",
                    },
                });
            }
        }
        rows.sort_by(|a, b| (&a.expires, a.service, a.item).cmp(&(&b.expires, b.service, b.item)));
        rows
    }
}
