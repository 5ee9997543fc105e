//! What to say when book.toml is not where the user pointed: the folder that holds it.

use std::path::{Path, PathBuf};

use super::FILE_NAME;

/// A hint for a handbook path that holds no book.toml: the folder that does, when the
/// user pointed at book.toml itself, inside a handbook, or just above one.
pub(super) fn where_is_book_toml(root: &Path) -> String {
    let shown = |path: &Path| {
        let text = path.display().to_string();
        if text.is_empty() {
            ".".to_string()
        } else {
            text
        }
    };
    if root.is_file() {
        let parent = root.parent().unwrap_or(Path::new(""));
        return format!(
            "pass the folder that holds {FILE_NAME}, not the file: `{}`",
            shown(parent)
        );
    }
    if let Ok(absolute) = std::path::absolute(root) {
        let absolute = crate::load::lexical_normalize(&absolute);
        let mut relative = PathBuf::from(root);
        for ancestor in absolute.ancestors().skip(1) {
            relative.push("..");
            if ancestor.join(FILE_NAME).is_file() {
                // `hb/content/..` is `hb`: show the shorter form the user would type.
                let folder = crate::load::lexical_normalize(&relative);
                return format!(
                    "{} is inside the handbook at `{}` (it holds {FILE_NAME}): pass that folder",
                    shown(root),
                    shown(&folder)
                );
            }
        }
    }
    let below: Vec<PathBuf> = walkdir::WalkDir::new(root)
        .min_depth(1)
        .max_depth(3)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            let name = entry.file_name().to_string_lossy();
            !name.starts_with('.') && name != "node_modules" && name != "target"
        })
        .filter_map(Result::ok)
        .filter(|entry| entry.file_name() == FILE_NAME && entry.file_type().is_file())
        .filter_map(|entry| {
            let parent = entry.path().parent()?;
            Some(parent.strip_prefix(".").unwrap_or(parent).to_path_buf())
        })
        .take(3)
        .collect();
    if !below.is_empty() {
        let folders: Vec<String> = below.iter().map(|p| format!("`{}`", p.display())).collect();
        return format!(
            "found {FILE_NAME} in {}: pass the handbook's folder, as in `shipshape check {}`",
            folders.join(", "),
            below[0].display()
        );
    }
    format!(
        "run `shipshape init {}` to create a handbook, or pass the folder that holds {FILE_NAME}",
        shown(root)
    )
}
