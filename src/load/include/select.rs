//! What an include's selector takes from a file, as mdBook's `take_lines` and
//! `take_*anchored_lines` take it: line ranges, `ANCHOR:`/`ANCHOR_END:` parts, and for
//! `rustdoc_include` the whole file with the rest hidden behind `# `.

/// Applies an include's selector as mdBook reads it: none (the whole file), `A` (line A),
/// `A:B`, `A:` (A to the end; so is `A:x` for anything but a number), `:B`, `:` (the whole
/// file), or an anchor name (anything whose first part is not a number).
pub(super) fn select(text: &str, selector: Option<&str>) -> Result<String, String> {
    let lines: Vec<&str> = text.lines().collect();
    let Some(selector) = selector else {
        return Ok(join_lines(&lines));
    };
    match Selector::parse(selector, lines.len()) {
        Selector::Anchor(name) => anchored(&lines, name),
        Selector::Lines(from, to) if from >= to => Ok(String::new()),
        Selector::Lines(from, to) => Ok(join_lines(&lines[from..to])),
    }
}

/// What a selector picks: lines `from..to` (0-based, clamped), or an anchor's lines.
enum Selector<'a> {
    Lines(usize, usize),
    Anchor(&'a str),
}

impl<'a> Selector<'a> {
    /// mdBook's `parse_range_or_anchor`, for a file of `count` lines.
    fn parse(selector: &'a str, count: usize) -> Selector<'a> {
        let mut parts = selector.splitn(3, ':');
        let first = parts.next().unwrap_or_default().trim();
        let start = match first.parse::<usize>() {
            Ok(line) => Some(line.saturating_sub(1)),
            Err(_) if first.is_empty() => None,
            Err(_) => return Selector::Anchor(first),
        };
        let end = parts.next().map(|end| end.trim().parse::<usize>());
        let (from, to) = match (start, end) {
            (Some(from), Some(Ok(to))) => (from, to),
            (Some(from), Some(Err(_))) => (from, count),
            (Some(from), None) => (from, from + 1),
            (None, Some(Ok(to))) => (0, to),
            (None, _) => (0, count),
        };
        Selector::Lines(from, to.min(count))
    }
}

/// A `rustdoc_include`: the whole file, with the lines outside the selection hidden by a
/// leading `# ` (as mdBook writes them, so rustdoc still compiles the whole file).
pub(super) fn rustdoc_select(text: &str, selector: Option<&str>) -> Result<String, String> {
    let lines: Vec<&str> = text.lines().collect();
    let shown: Vec<bool> = match selector.map(|selector| Selector::parse(selector, lines.len())) {
        None => vec![true; lines.len()],
        Some(Selector::Lines(from, to)) => {
            (0..lines.len()).map(|i| (from..to).contains(&i)).collect()
        }
        Some(Selector::Anchor(name)) => {
            if !lines
                .iter()
                .any(|line| anchor_marker(line) == Some((Marker::Start, name)))
            {
                return Err(format!("no `ANCHOR: {name}` line in the file"));
            }
            let mut inside = false;
            lines
                .iter()
                .map(|line| match anchor_marker(line) {
                    Some((Marker::Start, found)) if found == name => {
                        inside = true;
                        false
                    }
                    Some((Marker::End, found)) if found == name => {
                        inside = false;
                        false
                    }
                    _ => inside,
                })
                .collect()
        }
    };
    let by_anchor = matches!(
        selector.map(|selector| Selector::parse(selector, lines.len())),
        Some(Selector::Anchor(_))
    );
    let mut out = String::with_capacity(text.len() + lines.len() * 2);
    for (line, shown) in lines.iter().zip(shown) {
        // Selecting by anchor drops the anchor lines themselves, as mdBook does.
        if by_anchor && anchor_marker(line).is_some() {
            continue;
        }
        if !shown {
            out.push_str("# ");
        }
        out.push_str(line);
        out.push('\n');
    }
    out.pop();
    Ok(out)
}

/// Whether `ANCHOR: name` opens in `text` and is never closed.
pub(super) fn unclosed_anchor(text: &str, name: &str) -> bool {
    let mut open = false;
    for line in text.lines() {
        match anchor_marker(line) {
            Some((Marker::Start, found)) if found == name => open = true,
            Some((Marker::End, found)) if found == name => return false,
            _ => {}
        }
    }
    open
}

/// The lines between `ANCHOR: name` and `ANCHOR_END: name` (or the end of the file),
/// without any anchor lines.
fn anchored(lines: &[&str], name: &str) -> Result<String, String> {
    let Some(start) = lines
        .iter()
        .position(|line| anchor_marker(line) == Some((Marker::Start, name)))
    else {
        return Err(format!("no `ANCHOR: {name}` line in the file"));
    };
    // Never closed: to the end of the file, as mdBook reads it (and a warning).
    let length = lines[start + 1..]
        .iter()
        .position(|line| anchor_marker(line) == Some((Marker::End, name)))
        .unwrap_or(lines.len() - start - 1);
    let body: Vec<&str> = lines[start + 1..start + 1 + length]
        .iter()
        .copied()
        .filter(|line| anchor_marker(line).is_none())
        .collect();
    Ok(join_lines(&body))
}

#[derive(Debug, PartialEq, Eq)]
enum Marker {
    Start,
    End,
}

/// The anchor a line opens or closes, read as mdBook does: `ANCHOR:\s*name` and
/// `ANCHOR_END:\s*name`, anywhere in the line (usually inside a comment).
fn anchor_marker(line: &str) -> Option<(Marker, &str)> {
    let (marker, rest) = match line.find("ANCHOR_END:") {
        Some(index) => (Marker::End, &line[index + "ANCHOR_END:".len()..]),
        None => {
            let index = line.find("ANCHOR:")?;
            (Marker::Start, &line[index + "ANCHOR:".len()..])
        }
    };
    let rest = rest.trim_start();
    let end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(rest.len());
    (end > 0).then(|| (marker, &rest[..end]))
}

/// Lines joined without a final newline, as mdBook's `take_lines` gives them: the line
/// after the directive (a code fence's closing ```` ``` ````) brings its own.
fn join_lines(lines: &[&str]) -> String {
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "one\n// ANCHOR: a\ntwo\n// ANCHOR: inner\nthree\n// ANCHOR_END: inner\n// ANCHOR_END: a\nfour\n";

    #[test]
    fn selects_lines_and_anchors_like_mdbook() {
        assert_eq!(select(FILE, Some("1:1")).unwrap(), "one");
        assert_eq!(select(FILE, Some("8")).unwrap(), "four");
        assert_eq!(select(FILE, Some(":1")).unwrap(), "one");
        assert_eq!(select(FILE, Some("8:")).unwrap(), "four");
        assert_eq!(select(FILE, Some("a")).unwrap(), "two\nthree");
        assert!(select(FILE, Some("missing")).is_err());
        assert_eq!(
            select("x\n// ANCHOR: open\ny\nz\n", Some("open")).unwrap(),
            "y\nz"
        );
        assert_eq!(
            rustdoc_select(FILE, Some("3:3")).unwrap(),
            "# one\n# // ANCHOR: a\ntwo\n# // ANCHOR: inner\n# three\n# // ANCHOR_END: inner\n# // ANCHOR_END: a\n# four"
        );
        assert_eq!(
            rustdoc_select(FILE, Some("inner")).unwrap(),
            "# one\n# two\nthree\n# four"
        );
        assert_eq!(
            select(FILE, Some("")).unwrap(),
            FILE.trim_end(),
            "`file:` is the whole file"
        );
        assert_eq!(
            select(FILE, Some("7:end")).unwrap(),
            "// ANCHOR_END: a\nfour"
        );
        assert_eq!(select(FILE, Some("1:2:3")).unwrap(), "one\n// ANCHOR: a");
        assert_eq!(
            select(FILE, Some("0")).unwrap(),
            "one",
            "line 0 is line 1, as in mdBook"
        );
        let tight = "x\n#ANCHOR:tight\ny\n#ANCHOR_END:tight\n";
        assert_eq!(select(tight, Some("tight")).unwrap(), "y");
    }
}
