//! Hidden lines in code blocks, as mdBook hides them: in `rust` blocks a line `# x` (or a
//! lone `#`) is shown only on request and `##x` stands for `#x`; any block whose info
//! string says `hidelines=PREFIX` hides the lines starting with that prefix.
//! Hidden lines are wrapped in `<span class="boring">`; the theme's script adds the button
//! that shows them, and without scripts they stay visible.

/// The code to highlight with the hiding marks taken out, and which lines are hidden;
/// `None` when the block hides nothing. `configured` maps a language to its prefix
/// (`[output.html.code.hidelines]`); the block's own `hidelines=` wins.
pub fn split(
    info: &str,
    code: &str,
    configured: &std::collections::BTreeMap<String, String>,
) -> Option<(String, Vec<bool>)> {
    let language = info
        .split(|c: char| c == ',' || c.is_whitespace())
        .next()
        .unwrap_or_default();
    let prefix = info
        .split(|c: char| c == ',' || c.is_whitespace())
        .find_map(|word| word.strip_prefix("hidelines="))
        .or_else(|| configured.get(language).map(String::as_str));
    let rust = language == "rust" && prefix.is_none();
    if !rust && prefix.is_none() {
        return None;
    }
    let mut text = String::with_capacity(code.len());
    let mut hidden = Vec::new();
    for line in code.split_inclusive('\n') {
        let (body, newline) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        let indent = body.len() - body.trim_start().len();
        let (ws, rest) = body.split_at(indent);
        let (shown, hide) = match prefix {
            Some(prefix) if rest.starts_with(prefix) => {
                (format!("{ws}{}", &rest[prefix.len()..]), true)
            }
            Some(_) => (body.to_string(), false),
            // mdBook's `^(\s*)#(.?)(.*)$`: `##` escapes, `#` with nothing or a space hides.
            None => match rest.strip_prefix('#') {
                Some(after) if after.starts_with('#') => (format!("{ws}{after}"), false),
                Some("") => (ws.to_string(), true),
                Some(after) if after.starts_with(' ') => (format!("{ws}{}", &after[1..]), true),
                _ => (body.to_string(), false),
            },
        };
        text.push_str(&shown);
        text.push_str(newline);
        hidden.push(hide);
    }
    // Escapes alone (`##`) hide nothing, but their mark still comes out.
    (text != code || hidden.iter().any(|hide| *hide)).then_some((text, hidden))
}

/// Wraps the hidden lines of a highlighted `<pre><code>` block in `<span class="boring">`.
/// Highlighting may leave a `<span>` open across lines, so each line is made whole first:
/// the spans open at its start are reopened in it and closed at its end.
pub fn wrap(block: &str, hidden: &[bool]) -> String {
    if !hidden.iter().any(|hide| *hide) {
        return block.to_string();
    }
    let (Some(open_end), Some(close)) = (
        block
            .find("<code")
            .and_then(|at| block[at..].find('>').map(|end| at + end + 1)),
        block.rfind("</code>"),
    ) else {
        return block.to_string();
    };
    let body = &block[open_end..close];
    let mut out = String::with_capacity(block.len() + hidden.len() * 32);
    out.push_str(&block[..open_end]);
    let mut open: Vec<&str> = Vec::new();
    let mut lines = body.split_inclusive('\n').peekable();
    let mut index = 0;
    while let Some(line) = lines.next() {
        let hide = hidden.get(index).copied().unwrap_or(false);
        index += 1;
        if hide {
            out.push_str("<span class=\"boring\">");
        }
        for tag in &open {
            out.push_str(tag);
        }
        let (content, newline) = match line.strip_suffix('\n') {
            Some(content) => (content, "\n"),
            None => (line, ""),
        };
        track_spans(content, &mut open);
        out.push_str(content);
        out.push_str(&"</span>".repeat(open.len()));
        out.push_str(newline);
        if hide {
            out.push_str("</span>");
        }
        if lines.peek().is_none() {
            break;
        }
    }
    out.push_str(&block[close..]);
    out
}

/// Updates the stack of open `<span …>` tags with those `html` opens and closes.
fn track_spans<'a>(html: &'a str, open: &mut Vec<&'a str>) {
    let mut rest = html;
    let mut offset = 0;
    while let Some(at) = rest.find('<') {
        let start = offset + at;
        let Some(length) = html[start..].find('>') else {
            break;
        };
        let tag = &html[start..start + length + 1];
        if tag.starts_with("</span") {
            open.pop();
        } else if tag.starts_with("<span") {
            open.push(tag);
        }
        offset = start + length + 1;
        rest = &html[offset..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_lines_hide_as_in_mdbook() {
        let (text, hidden) = split(
            "rust,ignore",
            "# use x;\n#\nfn a() {}\n##[attr]\n#[derive(Debug)]\n  # indented\n",
            &Default::default(),
        )
        .unwrap();
        assert_eq!(
            text,
            "use x;\n\nfn a() {}\n#[attr]\n#[derive(Debug)]\n  indented\n"
        );
        assert_eq!(hidden, [true, true, false, false, false, true]);
        assert!(split("python", "# a comment\n", &Default::default()).is_none());
        let (text, hidden) = split(
            "python hidelines=!!!",
            "!!!import os\nprint(1)\n",
            &Default::default(),
        )
        .unwrap();
        let configured = [("python".to_string(), "~".to_string())].into();
        let (text2, hidden2) = split("python", "~import os\nprint(1)\n", &configured).unwrap();
        assert_eq!(
            (text2.as_str(), hidden2),
            ("import os\nprint(1)\n", vec![true, false])
        );
        assert_eq!(
            (text.as_str(), hidden),
            ("import os\nprint(1)\n", vec![true, false])
        );
    }

    #[test]
    fn wrapping_keeps_spans_balanced_per_line() {
        let block = "<pre class=\"code\"><code class=\"language-rust\"><span class=\"a\">one\ntwo</span>\nthree\n</code></pre>\n";
        let wrapped = wrap(block, &[false, true, false]);
        assert_eq!(
            wrapped,
            "<pre class=\"code\"><code class=\"language-rust\"><span class=\"a\">one</span>\n<span class=\"boring\"><span class=\"a\">two</span>\n</span>three\n</code></pre>\n"
        );
    }
}
