//! `readiness.json`: every service's scores as the check run judged them, for dashboards
//! and scripts. Its shape is `schema/readiness.schema.json`. Strings from YAML go in as
//! JSON strings, never as markup.

use jiff::civil::Date;
use serde_json::{Map, Value, json};

use crate::model::Handbook;
use crate::model::readiness::{Card, Score};
use crate::model::service::Target;

/// The JSON Schemas the site publishes beside `readiness.json`: (site path, bytes).
pub const SCHEMAS: &[(&str, &str)] = &[
    (
        crate::model::SERVICE_SCHEMA_URL,
        include_str!("../../schema/service.schema.json"),
    ),
    (
        crate::model::STANDARD_SCHEMA_URL,
        include_str!("../../schema/standard.schema.json"),
    ),
    (
        crate::model::READINESS_SCHEMA_URL,
        include_str!("../../schema/readiness.schema.json"),
    ),
];

fn score(score: Score) -> Value {
    json!({"passed": score.passed, "applicable": score.applicable})
}

/// The file's bytes: pretty-printed, keys sorted, services in id order.
pub fn json(handbook: &Handbook, cards: &[Card], today: Date) -> Vec<u8> {
    let services: Vec<Value> = cards.iter().map(|card| service(handbook, card)).collect();
    let document = json!({
        "version": 1,
        "date": today.to_string(),
        "services": services,
    });
    let mut bytes = serde_json::to_vec_pretty(&document).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

fn service(handbook: &Handbook, card: &Card) -> Value {
    let service = &handbook.services[card.service];
    let standard = &handbook.standards[card.standard];
    let categories: Map<String, Value> = card
        .categories
        .iter()
        .map(|(id, category)| (id.clone(), score(*category)))
        .collect();
    let items: Map<String, Value> = standard
        .items()
        .zip(&card.items)
        .map(|(item, result)| {
            (
                result.id.clone(),
                json!({
                    "state": result.state.name(),
                    "required": result.required,
                    "level": item.level.name(),
                    "reason": result.reason,
                }),
            )
        })
        .collect();
    let alerts: Vec<Value> = service
        .alerts
        .iter()
        .map(|alert| {
            json!({
                "name": alert.name,
                "runbook": alert.runbook.as_ref().map(|link| link.text.clone()),
                "resolves": matches!(
                    alert.runbook.as_ref().map(|link| &link.target),
                    Some(Target::Page { runbook: true, .. })
                ),
            })
        })
        .collect();
    json!({
        "service": service.id.0,
        "title": service.title,
        "owner": service.owner,
        "tier": service.tier,
        "standard": standard.id,
        "file": service.file,
        "level": card.level.map_or("none", |level| level.name()),
        "score": score(card.score),
        "categories": categories,
        "items": items,
        "next": card.next.as_ref().map(|(level, blocking)| json!({
            "level": level.name(),
            "blocking": blocking,
        })),
        "alerts": alerts,
        "review": {
            "state": card.review.name(),
            "last_reviewed": service.last_reviewed.map(|(date, _)| date.to_string()),
            "due": card.review.due().map(|date| date.to_string()),
        },
    })
}
