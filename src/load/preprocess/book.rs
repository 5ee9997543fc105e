//! The book as mdBook's preprocessors see it: mdBook 0.5's `Book` in JSON (`items` of
//! `Chapter`, `Separator` and `PartTitle`), made from the loaded content, and the
//! preprocessors' book put back into it.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::map;
use crate::load::summary::{self, Summary};
use crate::load::{Content, Document, lexical_normalize, relative_slash_path};

/// One entry of the book, serialized as mdBook's `BookItem`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum BookItem {
    Chapter(Chapter),
    Separator,
    PartTitle(String),
}

/// mdBook's `Chapter`: the page's text and where it sits in the book.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Chapter {
    pub name: String,
    pub content: String,
    #[serde(default)]
    pub number: Option<Vec<u32>>,
    #[serde(default)]
    pub sub_items: Vec<BookItem>,
    /// Relative to the content folder; `None` for a draft chapter.
    #[serde(default)]
    pub path: Option<String>,
    /// The file it was read from; `None` for a draft or a chapter a preprocessor made.
    #[serde(default)]
    pub source_path: Option<String>,
    #[serde(default)]
    pub parent_names: Vec<String>,
}

impl Chapter {
    /// The document a chapter stands for: its source file, else its path.
    pub fn key(&self) -> Option<String> {
        self.source_path
            .as_deref()
            .or(self.path.as_deref())
            .map(|path| relative_slash_path(&lexical_normalize(std::path::Path::new(path))))
            .map(|path| path.replace('\\', "/"))
    }
}

/// The book sent to the first preprocessor.
pub struct Sent {
    pub items: Vec<BookItem>,
    /// Pages that SUMMARY.md does not list, put at the end of the book so that
    /// preprocessors see every page shipshape publishes; they stay out of the navigation.
    pub unlisted: BTreeSet<String>,
}

/// The book of `content`: SUMMARY.md's structure with each listed page's text and
/// mdBook's chapter numbers, then the pages it does not list (or, without SUMMARY.md,
/// every page in path order).
pub fn from_content(content: &Content) -> Sent {
    let documents: BTreeMap<&str, &Document> = content
        .documents
        .iter()
        .map(|document| (document.path.as_str(), document))
        .collect();
    let mut items = Vec::new();
    let mut listed = BTreeSet::new();
    if let Some(summary) = &content.summary {
        for item in &summary.items {
            items.push(match item {
                summary::Item::Part(title) => BookItem::PartTitle(title.clone()),
                summary::Item::Separator => BookItem::Separator,
                summary::Item::Chapter(chapter) => {
                    BookItem::Chapter(self::chapter(chapter, &[], &documents, &mut listed))
                }
            });
        }
    }
    let unlisted: BTreeSet<String> = documents
        .keys()
        .filter(|path| !listed.contains(**path))
        .map(|path| path.to_string())
        .collect();
    for path in &unlisted {
        let document = documents[path.as_str()];
        items.push(BookItem::Chapter(Chapter {
            name: name_of(document),
            content: document.body.clone(),
            number: None,
            sub_items: Vec::new(),
            path: Some(path.clone()),
            source_path: Some(path.clone()),
            parent_names: Vec::new(),
        }));
    }
    Sent { items, unlisted }
}

/// The chapter of SUMMARY.md entry `entry`, under `parents`. Each page it takes is
/// added to `listed`.
fn chapter(
    entry: &summary::Chapter,
    parents: &[String],
    documents: &BTreeMap<&str, &Document>,
    listed: &mut BTreeSet<String>,
) -> Chapter {
    // A page that is missing, excluded or a draft is not published: to the
    // preprocessors it is a draft chapter, as `[Title]()` is.
    let document = entry
        .path
        .as_deref()
        .and_then(source_of)
        .and_then(|path| documents.get(path.as_str()).copied());
    let path = document.map(|document| document.path.clone());
    if let Some(path) = &path {
        listed.insert(path.clone());
    }
    let mut names = parents.to_vec();
    names.push(entry.title.clone());
    let sub_items = entry
        .children
        .iter()
        .map(|child| BookItem::Chapter(chapter(child, &names, documents, listed)))
        .collect();
    Chapter {
        name: entry.title.clone(),
        content: document
            .map(|document| document.body.clone())
            .unwrap_or_default(),
        number: entry.number.as_ref().map(|number| number.0.clone()),
        sub_items,
        source_path: path.clone(),
        path,
        parent_names: parents.to_vec(),
    }
}

/// The page a SUMMARY.md link names, relative to the content folder.
pub fn source_of(link: &str) -> Option<String> {
    crate::model::summary_source(link)
}

fn name_of(document: &Document) -> String {
    if let Some(title) = &document.meta.title {
        return title.clone();
    }
    document
        .body
        .lines()
        .find_map(|line| line.strip_prefix("# "))
        .map(|title| title.trim().to_string())
        .unwrap_or_else(|| {
            let file = document.path.rsplit('/').next().unwrap_or(&document.path);
            file.strip_suffix(".md").unwrap_or(file).to_string()
        })
}

/// What mdBook's `index` preprocessor does: a `README.md` chapter's path becomes
/// `index.md` (its source path stays).
pub fn rename_readmes(items: &mut [BookItem]) {
    for item in items {
        if let BookItem::Chapter(chapter) = item {
            if let Some(path) = chapter.path.as_mut() {
                let (folder, file) = match path.rsplit_once('/') {
                    Some((folder, file)) => (Some(folder), file),
                    None => (None, path.as_str()),
                };
                let stem = file.rsplit_once('.').map_or(file, |(stem, _)| stem);
                if stem.eq_ignore_ascii_case("readme") {
                    *path = match folder {
                        Some(folder) => format!("{folder}/index.md"),
                        None => "index.md".to_string(),
                    };
                }
            }
            rename_readmes(&mut chapter.sub_items);
        }
    }
}

/// Every chapter, depth first.
pub fn chapters(items: &[BookItem]) -> Vec<&Chapter> {
    fn walk<'a>(items: &'a [BookItem], out: &mut Vec<&'a Chapter>) {
        for item in items {
            if let BookItem::Chapter(chapter) = item {
                out.push(chapter);
                walk(&chapter.sub_items, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(items, &mut out);
    out
}

/// A chapter a preprocessor made that shipshape could not publish.
pub struct Refused {
    pub name: String,
    pub path: String,
    pub reason: &'static str,
}

/// Puts the preprocessors' book back into `content`: each page's text becomes its
/// chapter's content (its map follows the change), a page whose chapter is gone is
/// left out, and a chapter with a new `.md` path becomes a page. When the book's
/// structure changed (chapters added, removed, moved or renamed), SUMMARY.md's
/// structure follows it. Returns the chapters that could not become pages.
pub fn apply(content: &mut Content, sent: &Sent, items: Vec<BookItem>) -> Vec<Refused> {
    let mut refused = Vec::new();
    let mut returned: BTreeMap<String, &Chapter> = BTreeMap::new();
    let mut added = Vec::new();
    let known: BTreeSet<String> = content
        .documents
        .iter()
        .map(|document| document.path.clone())
        .collect();
    for chapter in chapters(&items) {
        let Some(key) = chapter.key() else { continue };
        if returned.contains_key(&key) {
            continue; // the first chapter of a path wins
        }
        if !known.contains(&key) {
            match new_page(&key, &content.assets) {
                Ok(()) => added.push((key.clone(), chapter)),
                Err(reason) => {
                    refused.push(Refused {
                        name: chapter.name.clone(),
                        path: key,
                        reason,
                    });
                    continue;
                }
            }
        }
        returned.insert(key, chapter);
    }

    content
        .documents
        .retain(|document| returned.contains_key(&document.path));
    for document in &mut content.documents {
        let text = &returned[&document.path].content;
        if *text != document.body {
            document.source_map = map::rewrite(&document.body, &document.source_map, text);
            document.body = text.clone();
        }
    }
    for (path, chapter) in &added {
        let mut document = Document {
            path: path.clone(),
            body: chapter.content.clone(),
            ..Document::default()
        };
        document.meta.title = (!chapter.name.is_empty()).then(|| chapter.name.clone());
        content.documents.push(document);
    }
    content.documents.sort_by(|a, b| a.path.cmp(&b.path));

    if let Some(summary) = content.summary.as_mut()
        && skeleton(&sent.items, &sent.unlisted) != skeleton(&items, &sent.unlisted)
    {
        *summary = restructure(summary, &items, &sent.unlisted);
    }
    refused
}

/// Whether `path` may become a new page: a `.md` file inside the content folder that is
/// not SUMMARY.md and not a file already there.
fn new_page(path: &str, assets: &[String]) -> Result<(), &'static str> {
    if !path.ends_with(".md") {
        return Err("its path does not end in `.md`");
    }
    if path.starts_with("..") || path.starts_with('/') || path.contains(':') {
        return Err("its path leads outside the content folder");
    }
    if path == crate::load::SUMMARY || assets.iter().any(|asset| asset == path) {
        return Err("its path is a file of the content folder");
    }
    Ok(())
}

/// The book's structure without the pages' text: what the navigation is made of.
fn skeleton(items: &[BookItem], unlisted: &BTreeSet<String>) -> Vec<String> {
    fn walk(items: &[BookItem], unlisted: &BTreeSet<String>, depth: usize, out: &mut Vec<String>) {
        for item in items {
            match item {
                BookItem::Chapter(chapter) => {
                    if chapter.key().is_some_and(|key| unlisted.contains(&key)) {
                        continue;
                    }
                    out.push(format!(
                        "{depth} {:?} {} {:?}",
                        chapter.key(),
                        chapter.name,
                        chapter.number
                    ));
                    walk(&chapter.sub_items, unlisted, depth + 1, out);
                }
                BookItem::Separator => out.push(format!("{depth} ---")),
                BookItem::PartTitle(title) => out.push(format!("{depth} # {title}")),
            }
        }
    }
    let mut out = Vec::new();
    walk(items, unlisted, 0, &mut out);
    out
}

/// SUMMARY.md as the preprocessors left the book. Entries that were there keep their
/// position in SUMMARY.md and the link as written; new ones point at line 1.
fn restructure(old: &Summary, items: &[BookItem], unlisted: &BTreeSet<String>) -> Summary {
    let mut by_source: BTreeMap<String, &summary::Chapter> = BTreeMap::new();
    let mut by_title: BTreeMap<&str, &summary::Chapter> = BTreeMap::new();
    for chapter in old.chapters() {
        if let Some(source) = chapter.path.as_deref().and_then(source_of) {
            by_source.entry(source).or_insert(chapter);
        }
        by_title.entry(chapter.title.as_str()).or_insert(chapter);
    }
    fn convert(
        chapter: &Chapter,
        unlisted: &BTreeSet<String>,
        by_source: &BTreeMap<String, &summary::Chapter>,
        by_title: &BTreeMap<&str, &summary::Chapter>,
    ) -> Option<summary::Chapter> {
        let key = chapter.key();
        if key.as_ref().is_some_and(|key| unlisted.contains(key)) {
            return None;
        }
        // A draft the preprocessors kept may stand for a page that is not published
        // (missing, or `draft: true`): it keeps SUMMARY.md's link, so it is reported
        // as before.
        let original = match &key {
            Some(key) => by_source.get(key),
            None => by_title.get(chapter.name.as_str()),
        };
        Some(summary::Chapter {
            title: chapter.name.clone(),
            path: original.and_then(|original| original.path.clone()).or(key),
            position: original.map_or(
                crate::finding::Position { line: 1, column: 1 },
                |original| original.position,
            ),
            // The numbers the preprocessors left are the ones mdBook would show.
            number: chapter.number.clone().map(summary::SectionNumber),
            children: chapter
                .sub_items
                .iter()
                .filter_map(|item| match item {
                    BookItem::Chapter(child) => convert(child, unlisted, by_source, by_title),
                    _ => None,
                })
                .collect(),
        })
    }
    let items = items
        .iter()
        .filter_map(|item| match item {
            BookItem::Chapter(chapter) => {
                convert(chapter, unlisted, &by_source, &by_title).map(summary::Item::Chapter)
            }
            BookItem::Separator => Some(summary::Item::Separator),
            BookItem::PartTitle(title) => Some(summary::Item::Part(title.clone())),
        })
        .collect();
    Summary { items }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_links_name_content_paths() {
        assert_eq!(source_of("./guide/a.md").as_deref(), Some("guide/a.md"));
        assert_eq!(source_of("my%20page.md").as_deref(), Some("my page.md"));
        assert_eq!(source_of("a/../b.md").as_deref(), Some("b.md"));
        assert_eq!(source_of("../out.md"), None);
        assert_eq!(source_of(""), None);
    }

    #[test]
    fn readme_chapters_are_renamed_as_mdbook_does() {
        let chapter = |path: &str| {
            BookItem::Chapter(Chapter {
                name: String::new(),
                content: String::new(),
                number: None,
                sub_items: Vec::new(),
                path: Some(path.into()),
                source_path: Some(path.into()),
                parent_names: Vec::new(),
            })
        };
        let mut items = vec![
            chapter("README.md"),
            chapter("guide/readme.md"),
            chapter("a.md"),
        ];
        rename_readmes(&mut items);
        let paths: Vec<_> = chapters(&items)
            .iter()
            .map(|c| (c.path.clone().unwrap(), c.key().unwrap()))
            .collect();
        assert_eq!(
            paths,
            [
                ("index.md".into(), "README.md".into()),
                ("guide/index.md".into(), "guide/readme.md".into()),
                ("a.md".into(), "a.md".into())
            ]
        );
    }

    #[test]
    fn the_wire_format_is_mdbooks() {
        let item = BookItem::Chapter(Chapter {
            name: "One".into(),
            content: "# One\n".into(),
            number: Some(vec![1]),
            sub_items: vec![BookItem::Separator, BookItem::PartTitle("P".into())],
            path: Some("one.md".into()),
            source_path: None,
            parent_names: Vec::new(),
        });
        assert_eq!(
            serde_json::to_value(&item).unwrap(),
            serde_json::json!({"Chapter": {
                "name": "One", "content": "# One\n", "number": [1],
                "sub_items": ["Separator", {"PartTitle": "P"}],
                "path": "one.md", "source_path": null, "parent_names": []
            }})
        );
    }
}
