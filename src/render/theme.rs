//! The theme: the default theme embedded in the binary, overridden file by file by the
//! handbook's `themes/<name>/`.

use std::collections::BTreeMap;

use anyhow::{Context as _, bail};
use walkdir::WalkDir;

use crate::config::Config;
use crate::load::Boundary;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/theme_files.rs"));
}

/// Every file of the theme in use, by path inside the theme folder.
pub struct Theme {
    files: BTreeMap<String, Vec<u8>>,
}

impl Theme {
    /// The default theme with the handbook's overrides applied. A theme named in
    /// book.toml that has no folder is an error.
    pub fn load(config: &Config, boundary: &Boundary) -> anyhow::Result<Theme> {
        let mut files: BTreeMap<String, Vec<u8>> = embedded::FILES
            .iter()
            .map(|(path, bytes)| (path.to_string(), bytes.to_vec()))
            .collect();
        let name = &config.shipshape.theme;
        let dir = config.root.join("themes").join(name);
        if dir.is_dir() {
            let outside = |path: &std::path::Path| {
                anyhow::anyhow!(
                    "theme `{name}`: {} leads outside {}; nothing outside it is read\n  help: keep the theme's files under themes/, or list their folder in `read-outside` of [shipshape]",
                    path.display(),
                    boundary.describe()
                )
            };
            if boundary.resolve(&dir).is_err() {
                return Err(outside(&dir));
            }
            // Links are followed, as in the content folder, while they stay inside.
            for entry in WalkDir::new(&dir).follow_links(true).sort_by_file_name() {
                let entry = match entry {
                    Ok(entry) => entry,
                    // A dangling link is judged by where it points, like any other.
                    Err(err) => match err.path() {
                        Some(path) if boundary.resolve(path).is_err() => return Err(outside(path)),
                        Some(path) => bail!(
                            "cannot read the theme file {}: {}",
                            path.display(),
                            err.io_error()
                                .map_or_else(|| err.to_string(), ToString::to_string)
                        ),
                        None => bail!("cannot read {}: {err}", dir.display()),
                    },
                };
                if entry.path_is_symlink() && boundary.resolve(entry.path()).is_err() {
                    return Err(outside(entry.path()));
                }
                if !entry.file_type().is_file() {
                    continue;
                }
                let rel = crate::load::relative_slash_path(entry.path().strip_prefix(&dir)?);
                let bytes = std::fs::read(entry.path())
                    .with_context(|| format!("cannot read {}", entry.path().display()))?;
                files.insert(rel, bytes);
            }
        } else if name != "default" {
            bail!(
                "theme `{name}` has no folder {}\n  help: create it (any file there overrides the default theme's), or set `theme = \"default\"` in [shipshape]",
                dir.display()
            );
        }
        Ok(Theme { files })
    }

    /// Templates by name (`page.html`), as text.
    pub fn templates(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.under("templates/")
    }

    /// Static files (CSS, JS, icons) by path under `static/`.
    pub fn static_files(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.under("static/")
    }

    /// Whether the theme provides `static/<path>` itself.
    pub fn has_static(&self, path: &str) -> bool {
        self.files.contains_key(&format!("static/{path}"))
    }

    fn under<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = (&'a str, &'a [u8])> {
        self.files
            .range(prefix.to_string()..)
            .take_while(move |(path, _)| path.starts_with(prefix))
            .map(move |(path, bytes)| (&path[prefix.len()..], bytes.as_slice()))
    }
}
