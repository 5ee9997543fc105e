//! `badges/<id>.svg`: a service's level and score as a two-part badge for READMEs, 20 px
//! high like shields.io's. The level's word is always written (colour is never the only
//! sign), every colour keeps white text at 4.5:1 or more, and the text from YAML goes in
//! XML-escaped. The bytes depend only on the arguments.

use crate::model::readiness::Score;
use crate::model::standard::Level;

/// The badge's left part.
const LABEL: &str = "readiness";

/// White text sits on these, flat (no gradient, so the contrast is what the tests
/// measure); `contrast_with_white` keeps each at 4.5:1 or more.
const LABEL_FILL: &str = "#4d5561";

fn fill(level: Option<Level>) -> &'static str {
    match level {
        Some(Level::Gold) => "#7a5c00",
        Some(Level::Silver) => "#56606b",
        Some(Level::Bronze) => "#8a4b20",
        None => "#b3261e",
    }
}

/// The badge of the service called `name`, which its title and label name for screen readers.
pub fn svg(name: &str, level: Option<Level>, score: Score) -> String {
    let value = match super::services::percent(score) {
        Some(percent) => format!("{} {percent}%", level_word(level)),
        None => level_word(level).to_string(),
    };
    let spoken = format!(
        "{name}: readiness {}, {} of {} items met",
        level_word(level),
        score.passed,
        score.applicable
    );
    let left = text_width(LABEL) + 12;
    let right = text_width(&value) + 12;
    let width = left + right;
    let spoken = escape_xml(&spoken);
    let value = escape_xml(&value);
    // Widths are in tenths of a pixel inside the scaled text group, as shields.io does,
    // so the text centres on half pixels.
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" viewBox="0 0 {width} 20" role="img" aria-label="{spoken}">
<title>{spoken}</title>
<clipPath id="round"><rect width="{width}" height="20" rx="3" fill="#fff"/></clipPath>
<g clip-path="url(#round)">
<rect width="{left}" height="20" fill="{LABEL_FILL}"/>
<rect x="{left}" width="{right}" height="20" fill="{fill}"/>
</g>
<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="110" transform="scale(.1)">
<text x="{left_mid}" y="140" textLength="{left_text}">{LABEL}</text>
<text x="{right_mid}" y="140" textLength="{right_text}">{value}</text>
</g>
</svg>
"##,
        fill = fill(level),
        left_mid = left * 5,
        right_mid = left * 10 + right * 5,
        left_text = (left - 12) * 10,
        right_text = (right - 12) * 10,
    )
}

/// The level as the badge and the card write it.
pub fn level_word(level: Option<Level>) -> &'static str {
    match level {
        Some(level) => level.name(),
        None => "no level",
    }
}

/// The width of `text` in whole pixels at 11 px Verdana, near enough to size the badge;
/// `textLength` then fits the text to it exactly.
fn text_width(text: &str) -> usize {
    let tenths: usize = text
        .chars()
        .map(|c| match c {
            'i' | 'l' | 'j' | '.' | ',' | ':' | '\'' | '|' => 35,
            ' ' | 'f' | 't' | 'r' | 'I' => 45,
            'm' | 'w' | 'M' | 'W' => 95,
            '%' => 118,
            '0'..='9' => 70,
            c if c.is_ascii_uppercase() => 75,
            _ => 65,
        })
        .sum();
    tenths.div_ceil(10)
}

/// Escapes text for XML content and attribute values.
fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 forbids are left out.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WCAG's contrast ratio of `hex` with white.
    fn contrast_with_white(hex: &str) -> f64 {
        let channel = |i: usize| {
            let value = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
            if value <= 0.03928 {
                value / 12.92
            } else {
                ((value + 0.055) / 1.055).powf(2.4)
            }
        };
        let luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
        1.05 / (luminance + 0.05)
    }

    #[test]
    fn white_text_is_readable_on_every_fill() {
        for hex in [
            LABEL_FILL,
            fill(None),
            fill(Some(Level::Bronze)),
            fill(Some(Level::Silver)),
            fill(Some(Level::Gold)),
        ] {
            let ratio = contrast_with_white(hex);
            assert!(ratio >= 4.5, "{hex}: {ratio:.2}");
        }
    }

    #[test]
    fn the_level_word_and_score_are_written() {
        let badge = svg(
            "a <b> & c",
            None,
            Score {
                passed: 1,
                applicable: 3,
            },
        );
        assert!(badge.contains(">no level 33%</text>"), "{badge}");
        assert!(
            badge.contains(
                "<title>a &lt;b&gt; &amp; c: readiness no level, 1 of 3 items met</title>"
            )
        );
        let empty = svg("x", Some(Level::Gold), Score::default());
        assert!(empty.contains(">gold</text>"), "{empty}");
    }
}
