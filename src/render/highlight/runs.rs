//! Writes runs of classed text as flat HTML: at most one `<span>` around any text,
//! never nested, and neighbouring runs of the same class in one span.

use super::class::Class;

/// Flat highlighted HTML, built one run at a time.
#[derive(Default)]
pub struct Runs {
    html: String,
    /// The class of the span that is open, if one is.
    open: Option<Class>,
    /// Unclassed whitespace after the open span: it joins the span if the next run has
    /// the same class (whitespace shows no colour), else it is written after the span.
    gap: String,
}

impl Runs {
    pub fn with_capacity(bytes: usize) -> Runs {
        Runs {
            html: String::with_capacity(bytes + bytes / 2),
            ..Runs::default()
        }
    }

    /// Adds `text` in `class` (`None`: plain text).
    pub fn push(&mut self, class: Option<Class>, text: &str) {
        if text.is_empty() {
            return;
        }
        if class.is_none() && self.open.is_some() && text.bytes().all(|b| b == b' ' || b == b'\t') {
            self.gap.push_str(text);
            return;
        }
        if class != self.open {
            self.close();
            if let Some(class) = class {
                self.html.push_str("<span class=\"");
                self.html.push_str(class.name());
                self.html.push_str("\">");
                self.open = Some(class);
            }
        } else {
            self.html.push_str(&self.gap);
            self.gap.clear();
        }
        escape_into(&mut self.html, text);
    }

    fn close(&mut self) {
        if self.open.take().is_some() {
            self.html.push_str("</span>");
        }
        self.html.push_str(&self.gap);
        self.gap.clear();
    }

    /// The HTML, every span closed.
    pub fn finish(mut self) -> String {
        self.close();
        self.html
    }
}

/// Escapes code for an HTML text node: `&`, `<` and `>` (quotes need no escape there).
pub fn escape_into(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(at) = rest.find(['&', '<', '>']) {
        out.push_str(&rest[..at]);
        out.push_str(match rest.as_bytes()[at] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            _ => "&gt;",
        });
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_merge_and_never_nest() {
        let mut runs = Runs::default();
        runs.push(Some(Class::Keyword), "pub");
        runs.push(None, " ");
        runs.push(Some(Class::Keyword), "fn");
        runs.push(None, " ");
        runs.push(Some(Class::Function), "main");
        runs.push(None, "() {}\n");
        runs.push(Some(Class::String), "\"<a&b>\"");
        assert_eq!(
            runs.finish(),
            "<span class=\"hl-keyword\">pub fn</span> <span class=\"hl-function\">main</span>() {}\n\
             <span class=\"hl-string\">\"&lt;a&amp;b&gt;\"</span>"
        );
    }

    #[test]
    fn trailing_whitespace_stays_outside_the_span() {
        let mut runs = Runs::default();
        runs.push(Some(Class::Comment), "// x");
        runs.push(None, "  ");
        assert_eq!(runs.finish(), "<span class=\"hl-comment\">// x</span>  ");
    }
}
