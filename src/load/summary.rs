//! SUMMARY.md in mdBook's format: an optional `# Summary` title, prefix chapters
//! (links outside any list), parts (`# Part title`), nested chapter lists, separators
//! (`---`), suffix chapters, and drafts (`- [Title]()`). Chapters in lists are numbered
//! as mdBook numbers them (`SectionNumber`).

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

use crate::finding::{Finding, LineIndex, Position, Rule, Severity};

/// SUMMARY.md as an ordered list of items.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    pub items: Vec<Item>,
}

/// One top-level entry of SUMMARY.md.
#[derive(Clone, Debug)]
pub enum Item {
    /// A part title (`# Title` after the first heading).
    Part(String),
    /// A `---` line between parts.
    Separator,
    Chapter(Chapter),
}

/// A link to a page, with its sub-chapters.
#[derive(Clone, Debug)]
pub struct Chapter {
    pub title: String,
    /// Relative to the content folder; `None` for a draft chapter.
    pub path: Option<String>,
    /// Where the entry is in SUMMARY.md.
    pub position: Position,
    /// mdBook's section number (`1.2.`): `None` for a prefix or suffix chapter.
    pub number: Option<SectionNumber>,
    pub children: Vec<Chapter>,
}

/// A chapter's number as mdBook's `SectionNumber`: `[1, 2]` is shown as `1.2.`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SectionNumber(pub Vec<u32>);

impl std::fmt::Display for SectionNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for part in &self.0 {
            write!(f, "{part}.")?;
        }
        Ok(())
    }
}

struct Pending {
    chapter: Chapter,
    has_link: bool,
}

/// Parses SUMMARY.md's text; malformed entries become findings on `file`.
pub fn parse(text: &str, file: &str) -> (Summary, Vec<Finding>) {
    let mut summary = Summary::default();
    let mut findings = Vec::new();
    let mut stack: Vec<Pending> = Vec::new();
    let mut heading: Option<String> = None;
    let mut link_title: Option<String> = None;
    let mut paragraph: Option<(Position, bool, String)> = None;
    let mut seen_heading = false;
    let mut list_depth = 0usize;

    let lines = LineIndex::new(text);
    for (event, range) in Parser::new(text).into_offset_iter() {
        let position = || lines.position(range.start);
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                if level != HeadingLevel::H1 {
                    findings.push(
                        Finding::new(
                            Rule::Syntax,
                            file,
                            "SUMMARY.md headings other than `#` are not part titles",
                        )
                        .at(position())
                        .help("write part titles as `# Title`"),
                    );
                }
                heading = Some(String::new());
            }
            Event::End(TagEnd::Heading(_)) => {
                let title = heading.take().unwrap_or_default();
                if seen_heading || !summary.items.is_empty() {
                    summary.items.push(Item::Part(title.trim().to_string()));
                }
                seen_heading = true;
            }
            Event::Rule if list_depth == 0 => summary.items.push(Item::Separator),
            Event::Start(Tag::List(_)) => list_depth += 1,
            Event::End(TagEnd::List(_)) => list_depth -= 1,
            Event::Start(Tag::Item) => stack.push(Pending {
                chapter: Chapter {
                    title: String::new(),
                    path: None,
                    position: position(),
                    // Every list item is numbered; `number` below says with what.
                    number: Some(SectionNumber(Vec::new())),
                    children: Vec::new(),
                },
                has_link: false,
            }),
            Event::End(TagEnd::Item) => {
                let Some(pending) = stack.pop() else { continue };
                if !pending.has_link {
                    findings.push(
                        Finding::new(Rule::Syntax, file, "a SUMMARY.md list item without a link")
                            .at(pending.chapter.position)
                            .help("write each entry as `- [Title](path/to/page.md)`, or `- [Title]()` for a draft"),
                    );
                    continue;
                }
                match stack.last_mut() {
                    Some(parent) => parent.chapter.children.push(pending.chapter),
                    None => summary.items.push(Item::Chapter(pending.chapter)),
                }
            }
            Event::Start(Tag::Paragraph) if list_depth == 0 => {
                paragraph = Some((position(), false, String::new()));
            }
            Event::End(TagEnd::Paragraph) if list_depth == 0 => {
                if let Some((position, false, text)) = paragraph.take()
                    && !text.trim().is_empty()
                {
                    findings.push(
                        Finding::new(Rule::Syntax, file, "text in SUMMARY.md that is not a link")
                            .at(position)
                            .help("SUMMARY.md holds only titles, links and lists: write `[Title](page.md)`"),
                    );
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                let path = (!dest_url.is_empty()).then(|| dest_url.to_string());
                if let Some(pending) = stack.last_mut() {
                    if pending.has_link {
                        findings.push(
                            Finding::new(
                                Rule::Syntax,
                                file,
                                "a second link in one SUMMARY.md entry is ignored",
                            )
                            // mdBook ignores it too, so the book still builds as it did.
                            .severity(Severity::Warning)
                            .at(position())
                            .help("give each page its own line: `- [Title](page.md)`"),
                        );
                    } else {
                        pending.has_link = true;
                        pending.chapter.path = path;
                        pending.chapter.position = position();
                        link_title = Some(String::new());
                    }
                } else if let Some((start, has_link, _)) = paragraph.as_mut() {
                    *has_link = true;
                    summary.items.push(Item::Chapter(Chapter {
                        title: String::new(),
                        path,
                        position: *start,
                        number: None,
                        children: Vec::new(),
                    }));
                    link_title = Some(String::new());
                }
            }
            Event::End(TagEnd::Link) => {
                let Some(title) = link_title.take() else {
                    continue;
                };
                let title = title.trim().to_string();
                if let Some(pending) = stack.last_mut() {
                    pending.chapter.title = title;
                } else if let Some(Item::Chapter(chapter)) = summary.items.last_mut() {
                    chapter.title = title;
                }
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some(title) = link_title.as_mut() {
                    title.push_str(&text);
                } else if let Some(heading) = heading.as_mut() {
                    heading.push_str(&text);
                } else if let Some((_, _, content)) = paragraph.as_mut() {
                    content.push_str(&text);
                }
            }
            _ => {}
        }
    }
    number(&mut summary.items);
    (summary, findings)
}

/// Numbers the chapters of SUMMARY.md's lists as mdBook's summary parser does: the
/// top-level entries of every list count on from one list to the next, across separators
/// and parts (`1.`, `2.`, … `5.`); an entry's children are its number and their place
/// (`5.1.`, `5.2.`); drafts are numbered too. Prefix and suffix chapters (links outside
/// any list) have no number.
fn number(items: &mut [Item]) {
    fn children(chapter: &mut Chapter, parent: &[u32]) {
        for (index, child) in chapter.children.iter_mut().enumerate() {
            let mut number = parent.to_vec();
            number.push(index as u32 + 1);
            children(child, &number);
            child.number = Some(SectionNumber(number));
        }
    }
    let mut root = 0;
    for item in items {
        if let Item::Chapter(chapter) = item
            && chapter.number.is_some()
        {
            root += 1;
            chapter.number = Some(SectionNumber(vec![root]));
            children(chapter, &[root]);
        }
    }
}

impl Summary {
    /// Every chapter, depth first, in reading order.
    pub fn chapters(&self) -> Vec<&Chapter> {
        fn walk<'a>(chapter: &'a Chapter, out: &mut Vec<&'a Chapter>) {
            out.push(chapter);
            for child in &chapter.children {
                walk(child, out);
            }
        }
        let mut out = Vec::new();
        for item in &self.items {
            if let Item::Chapter(chapter) = item {
                walk(chapter, &mut out);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_mdbook_structure() {
        let text = "# Summary\n\n[Intro](README.md)\n\n# Guide\n\n- [One](one.md)\n    - [One A](one/a.md)\n- [Draft]()\n\n---\n\n[Outro](outro.md)\n";
        let (summary, findings) = parse(text, "SUMMARY.md");
        assert!(findings.is_empty(), "{findings:?}");
        let shape: Vec<String> = summary
            .items
            .iter()
            .map(|item| match item {
                Item::Part(title) => format!("part {title}"),
                Item::Separator => "---".into(),
                Item::Chapter(c) => format!("{} {:?} {}", c.title, c.path, c.children.len()),
            })
            .collect();
        assert_eq!(
            shape,
            [
                "Intro Some(\"README.md\") 0",
                "part Guide",
                "One Some(\"one.md\") 1",
                "Draft None 0",
                "---",
                "Outro Some(\"outro.md\") 0"
            ]
        );
        assert_eq!(
            summary.chapters()[2].position,
            Position { line: 8, column: 7 }
        );
    }

    #[test]
    fn numbers_chapters_as_mdbook_does() {
        let text = "# Summary\n\n[Preface](preface.md)\n\n- [One](one.md)\n    - [One A](one/a.md)\n    - [Draft]()\n        - [Deep](one/deep.md)\n\n---\n\n- [Two](two.md)\n\n# Part\n\n1. [Three](three.md)\n\n<!-- a comment -->\n\n* [Four](four.md)\n\n[Appendix](appendix.md)\n";
        let (summary, findings) = parse(text, "SUMMARY.md");
        assert!(findings.is_empty(), "{findings:?}");
        let numbers: Vec<String> = summary
            .chapters()
            .iter()
            .map(|chapter| {
                let number = chapter.number.as_ref().map(ToString::to_string);
                format!("{} {}", number.unwrap_or_default(), chapter.title)
            })
            .collect();
        assert_eq!(
            numbers,
            [
                " Preface",
                "1. One",
                "1.1. One A",
                "1.2. Draft",
                "1.2.1. Deep",
                "2. Two",
                "3. Three",
                "4. Four",
                " Appendix"
            ]
        );
    }

    #[test]
    fn items_without_links_are_findings() {
        let (_, findings) = parse("- [One](one.md)\n- just text\n", "SUMMARY.md");
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].line, Some(2));
    }
}
