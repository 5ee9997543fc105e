//! Charts drawn at build time as inline SVG: horizontal bars with their labels and values
//! written as text beside them, so that a colour is never the only way to read one. Every
//! label goes through `escape`.

use super::escape;

/// One bar: its label, its length as a share of the longest (0 to 1), the value written
/// after it, a CSS class for its colour, and a longer text for the tooltip.
pub struct Bar {
    pub label: String,
    pub share: f64,
    pub value: String,
    pub class: &'static str,
    pub title: String,
}

const WIDTH: u32 = 640;
const LABEL: u32 = 220;
const VALUE: u32 = 110;
const ROW: u32 = 26;

/// A bar chart as `<svg>`, with `summary` as its accessible name (the whole chart in words).
pub fn bars(id: &str, summary: &str, bars: &[Bar]) -> String {
    let height = (bars.len() as u32).max(1) * ROW + 8;
    let room = f64::from(WIDTH - LABEL - VALUE);
    let mut svg = format!(
        "<svg class=\"chart\" id=\"{id}\" viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" aria-label=\"{}\" preserveAspectRatio=\"xMinYMin meet\">\n",
        escape(summary)
    );
    for (index, bar) in bars.iter().enumerate() {
        let y = index as u32 * ROW + 4;
        let length = (bar.share.clamp(0.0, 1.0) * room).round().max(1.0);
        svg.push_str(&format!(
            "<g><title>{}</title><text class=\"chart-label\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text><rect class=\"bar {}\" x=\"{LABEL}\" y=\"{}\" width=\"{length}\" height=\"{}\" rx=\"3\"/><text class=\"chart-value\" x=\"{}\" y=\"{}\">{}</text></g>\n",
            escape(&bar.title),
            LABEL - 8,
            y + 17,
            escape(&shorten(&bar.label, 30)),
            bar.class,
            y + 3,
            ROW - 8,
            f64::from(LABEL) + length + 6.0,
            y + 17,
            escape(&bar.value),
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// `text` cut to `max` characters, with an ellipsis when cut.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(max - 1).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_escaped_and_values_written_as_text() {
        let svg = bars(
            "c",
            "a <b> chart",
            &[Bar {
                label: "<script>".into(),
                share: 0.5,
                value: "3 of 6".into(),
                class: "bar-gold",
                title: "x & y".into(),
            }],
        );
        assert!(svg.contains("&lt;script&gt;"), "{svg}");
        assert!(!svg.contains("<script>"), "{svg}");
        assert!(svg.contains(">3 of 6</text>"), "{svg}");
        assert!(svg.contains("aria-label=\"a &lt;b&gt; chart\""), "{svg}");
        assert!(svg.contains("<title>x &amp; y</title>"), "{svg}");
    }

    #[test]
    fn long_labels_are_shortened() {
        assert_eq!(shorten("abcdef", 4), "abc…");
        assert_eq!(shorten("abc", 4), "abc");
    }
}
