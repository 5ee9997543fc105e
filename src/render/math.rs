//! mdBook's `mathjax-support` math, rendered at build time to MathML, which browsers show
//! natively: no script, no CDN.
//!
//! The delimiters are mdBook's: `\\( … \\)` inline and `\\[ … \\]` display in the markdown
//! source, which markdown turns into `\( … \)` and `\[ … \]` in the text. `$` is not math, as
//! in mdBook. pulldown-cmark splits text into several events (around escapes, line ends, a
//! `*` that opens nothing), so adjacent text events (and the soft line breaks between them)
//! are merged before looking for delimiters. Math that markdown has already turned into
//! something else (`a*b*c` read as emphasis) and a delimiter with no partner stay literal
//! text, as MathJax leaves them. Code spans, code blocks, raw HTML and image alt text are
//! never touched. LaTeX that does not parse is written as its source in
//! `<code class="math-error">`, with the parser's message as the `title`.

use std::collections::VecDeque;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use pulldown_latex::config::DisplayMode;
use pulldown_latex::event::{Content, Event as LatexEvent};
use pulldown_latex::{Parser, RenderConfig, Storage, push_mathml};

use super::escape;

/// Whether a page's markdown (or a text) may hold math: a quick look before anything else.
pub fn delimited(body: &str) -> bool {
    body.contains("\\(") || body.contains("\\[")
}

/// `events` with the math in their text rendered as MathML when `on`, else unchanged.
pub fn render<'a, I>(events: I, on: bool) -> Math<'a, I>
where
    I: Iterator<Item = Event<'a>>,
{
    Math {
        events: events.peekable(),
        on,
        images: 0,
        pending: VecDeque::new(),
    }
}

/// The iterator [`render`] returns.
pub struct Math<'a, I: Iterator<Item = Event<'a>>> {
    events: std::iter::Peekable<I>,
    on: bool,
    /// How many images the events are inside: their text is alt text, never math.
    images: usize,
    /// Events made from one run of text, waiting to be handed out.
    pending: VecDeque<Event<'a>>,
}

impl<'a, I: Iterator<Item = Event<'a>>> Iterator for Math<'a, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        if !self.on {
            return self.events.next();
        }
        if let Some(event) = self.pending.pop_front() {
            return Some(event);
        }
        match self.events.next()? {
            Event::Text(text) if self.images == 0 => {
                let text = self.run(text);
                if !delimited(&text) {
                    return Some(Event::Text(text));
                }
                split(&text, &mut self.pending);
                self.pending.pop_front()
            }
            event @ Event::Start(Tag::Image { .. }) => {
                self.images += 1;
                Some(event)
            }
            event @ Event::End(TagEnd::Image) => {
                self.images = self.images.saturating_sub(1);
                Some(event)
            }
            event => Some(event),
        }
    }
}

impl<'a, I: Iterator<Item = Event<'a>>> Math<'a, I> {
    /// `first` with the text events and soft breaks that follow it, as one text. A soft
    /// break is written as a line end either way, so the HTML does not change.
    fn run(&mut self, first: CowStr<'a>) -> CowStr<'a> {
        let mut merged: Option<String> = None;
        while let Some(Event::Text(_) | Event::SoftBreak) = self.events.peek() {
            let buffer = merged.get_or_insert_with(|| first.to_string());
            match self.events.next() {
                Some(Event::Text(more)) => buffer.push_str(&more),
                _ => buffer.push('\n'),
            }
        }
        merged.map_or(first, CowStr::from)
    }
}

/// `text` as text and math events, pushed onto `out`. A delimiter with no closing partner
/// is left as text.
fn split<'a>(text: &str, out: &mut VecDeque<Event<'a>>) {
    let mut plain = String::new();
    let mut rest = text;
    while let Some(at) = opener(rest) {
        let display = rest.as_bytes()[at + 1] == b'[';
        let close = if display { "\\]" } else { "\\)" };
        let inner_start = at + 2;
        let Some(length) = rest[inner_start..].find(close) else {
            // No partner: the opener is text, and the search goes on after it.
            plain.push_str(&rest[..inner_start]);
            rest = &rest[inner_start..];
            continue;
        };
        plain.push_str(&rest[..at]);
        if !plain.is_empty() {
            out.push_back(Event::Text(std::mem::take(&mut plain).into()));
        }
        let end = inner_start + length + close.len();
        out.push_back(Event::InlineHtml(
            mathml(
                &rest[inner_start..inner_start + length],
                &rest[at..end],
                display,
            )
            .into(),
        ));
        rest = &rest[end..];
    }
    plain.push_str(rest);
    if !plain.is_empty() {
        out.push_back(Event::Text(plain.into()));
    }
}

/// Where the first `\(` or `\[` in `text` starts.
fn opener(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    text.match_indices('\\')
        .map(|(at, _)| at)
        .find(|&at| matches!(bytes.get(at + 1), Some(b'(' | b'[')))
}

/// The MathML of the LaTeX `latex`, or, when it does not parse, its `source` (with the
/// delimiters) as code, marked as an error.
fn mathml(latex: &str, source: &str, display: bool) -> String {
    // Smart punctuation curls quotes everywhere, math included; LaTeX means the straight
    // ones (`\char"3C`), and the parser trips on the curly ones.
    let latex = latex.replace(['“', '”'], "\"").replace(['‘', '’'], "'");
    // The parser is another crate's: whatever it does with odd input, the page still builds.
    let rendered = std::panic::catch_unwind(|| to_mathml(&latex, display))
        .unwrap_or_else(|_| Err("the LaTeX parser failed on this formula".to_string()));
    match rendered {
        Ok(mathml) => mathml,
        Err(message) => format!(
            "<code class=\"math-error\" title=\"{}\">{}</code>",
            escape(&message),
            escape(source)
        ),
    }
}

fn to_mathml(latex: &str, display: bool) -> Result<String, String> {
    let storage = Storage::new();
    // Parsed in full first: the renderer would write an error into the math itself.
    let events = Parser::new(latex, &storage)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|err| err.to_string())?;
    // Names written as they are (`\operatorname{…}`, `\mathop{…}`) may hold no markup.
    let unsafe_name = events.iter().any(|event| {
        matches!(
            event,
            LatexEvent::Content(Content::Function(name) | Content::Number(name))
                if name.contains(['<', '>', '&', '"', '\''])
        )
    });
    if unsafe_name {
        return Err("an operator name holds <, >, & or a quote".to_string());
    }
    // The annotation keeps the source for copying; the renderer writes it as it is given.
    let annotation = escape(latex.trim());
    let config = RenderConfig {
        display_mode: if display {
            DisplayMode::Block
        } else {
            DisplayMode::Inline
        },
        annotation: Some(&annotation),
        ..RenderConfig::default()
    };
    let mut out = String::with_capacity(latex.len() * 8);
    push_mathml(
        &mut out,
        events.into_iter().map(Ok::<_, pulldown_latex::ParserError>),
        config,
    )
    .map_err(|err| err.to_string())?;
    escape_characters(&out).ok_or_else(|| "the MathML written was not as expected".to_string())
}

/// The elements pulldown-latex writes, and a few more of MathML Core.
const MATHML: &[&str] = &[
    "annotation",
    "math",
    "menclose",
    "merror",
    "mfrac",
    "mi",
    "mmultiscripts",
    "mn",
    "mo",
    "mover",
    "mpadded",
    "mphantom",
    "mprescripts",
    "mroot",
    "mrow",
    "ms",
    "mspace",
    "msqrt",
    "mstyle",
    "msub",
    "msubsup",
    "msup",
    "mtable",
    "mtd",
    "mtext",
    "mtr",
    "munder",
    "munderover",
    "none",
    "semantics",
];

/// pulldown-latex's MathML with the formula's own characters escaped. It writes text
/// escaped but symbols as they are (`<mo><</mo>` for `a < b`, `<mi>&</mi>` for `\&`).
/// Its own tags open with `<` and a letter or `/`, which no symbol is followed by (it is
/// followed by the closing tag) and which names from the page cannot hold (checked
/// before); so any other `<`, a `>` outside a tag and a `&` that starts no entity are the
/// formula's. `None` when a tag is not MathML: the formula is then not used.
fn escape_characters(mathml: &str) -> Option<String> {
    let mut out = String::with_capacity(mathml.len() + 16);
    let mut rest = mathml;
    while let Some(at) = rest.find(['<', '>', '&']) {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let after = &tail[1..];
        let skip = match tail.as_bytes()[0] {
            b'<' if after.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/') => {
                let end = tail.find('>')? + 1;
                let tag = &tail[..end];
                let name = tag[1..]
                    .trim_start_matches('/')
                    .split([' ', '/', '>'])
                    .next()?;
                if !MATHML.contains(&name) {
                    return None;
                }
                out.push_str(tag);
                end
            }
            b'<' => {
                out.push_str("&lt;");
                1
            }
            b'>' => {
                out.push_str("&gt;");
                1
            }
            _ => {
                let entity = after.find(';').filter(|&length| {
                    length > 0
                        && after[..length]
                            .bytes()
                            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'#')
                });
                match entity {
                    Some(length) => {
                        out.push_str(&tail[..length + 2]);
                        length + 2
                    }
                    None => {
                        out.push_str("&amp;");
                        1
                    }
                }
            }
        };
        rest = &tail[skip..];
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(markdown: &str) -> String {
        let events = pulldown_cmark::Parser::new(markdown);
        let mut out = String::new();
        pulldown_cmark::html::push_html(&mut out, render(events, true));
        out
    }

    #[test]
    fn finds_math_split_across_text_events() {
        let out = html("a \\\\( x_1 + y \\\\) b\n\nline \\\\[\n\\frac{1}{2}\n\\\\] end\n");
        assert!(out.contains("<p>a <math display=\"inline\">"), "{out}");
        assert!(out.contains("</math> b</p>"), "{out}");
        assert!(out.contains("<math display=\"block\">"), "{out}");
        assert!(out.contains("<mfrac>"), "{out}");
    }

    #[test]
    fn leaves_unclosed_delimiters_as_text() {
        assert_eq!(html("a \\\\( b\n"), "<p>a \\( b</p>\n");
        assert_eq!(html("\\\\] \\\\[ x\n"), "<p>\\] \\[ x</p>\n");
    }

    #[test]
    fn off_leaves_everything() {
        let events = pulldown_cmark::Parser::new("a \\\\( x \\\\)\n");
        let mut out = String::new();
        pulldown_cmark::html::push_html(&mut out, render(events, false));
        assert_eq!(out, "<p>a \\( x \\)</p>\n");
    }

    #[test]
    fn errors_fall_back_to_the_source() {
        let out = html("\\\\( \\nosuchcommand{\\<b>} \\\\)\n");
        assert!(out.contains("<code class=\"math-error\""), "{out}");
        assert!(
            out.contains("\\( \\nosuchcommand{&lt;b&gt;} \\)</code>"),
            "{out}"
        );
        assert!(!out.contains("<b>"), "{out}");
    }

    #[test]
    fn image_alt_text_is_not_math() {
        let out = html("![\\\\(x\\\\)](a.png)\n");
        assert_eq!(out, "<p><img src=\"a.png\" alt=\"\\(x\\)\" /></p>\n");
    }

    #[test]
    fn the_formula_characters_are_escaped() {
        let out = to_mathml(r"a < b > c \& d", false).unwrap();
        assert!(out.contains("<mo>&lt;</mo>"), "{out}");
        assert!(out.contains("<mo>&gt;</mo>"), "{out}");
        assert!(out.contains("<mi>&amp;</mi>"), "{out}");
        assert!(
            out.contains("<annotation encoding=\"application/x-tex\">a &lt; b"),
            "{out}"
        );
        let out = to_mathml(r"\text{<script>} \not<", false).unwrap();
        assert!(out.contains("<mtext>&lt;script&gt;</mtext>"), "{out}");
        assert!(out.contains("<mo>&lt;\u{338}</mo>"), "{out}");
        for name in [
            r"\operatorname{<b>}",
            r"\mathop{<script>x}",
            r"\operatorname{a&b}",
        ] {
            assert!(to_mathml(name, false).is_err(), "{name}");
        }
        assert_eq!(escape_characters("<mi><b></mi>"), None);
    }
}
