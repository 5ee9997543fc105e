//! The content folder's other files, as far as load reads them: a text file (a snippet
//! that pages include, a script offered for download) is scanned for credentials, since
//! `build` copies it into the site. What `build` copies, it redacts the same way
//! (`redacted`), so the site never holds what the findings name.

use std::path::Path;

use rayon::prelude::*;

use super::display_path;
use crate::finding::Finding;
use crate::secret::Scanner;

/// Text files larger than this are not scanned (nor redacted): no snippet is that big.
const MAX_BYTES: u64 = 1024 * 1024;

/// Extensions of files that are never text.
const BINARY: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "webp", "avif", "ico", "bmp", "tif", "tiff", "pdf", "zip", "gz",
    "tgz", "bz2", "xz", "zst", "7z", "woff", "woff2", "ttf", "otf", "eot", "mp3", "mp4", "m4a",
    "webm", "mov", "ogg", "wav", "wasm", "exe", "dll", "so", "dylib", "jar", "class", "psd",
    "sqlite", "db",
];

/// Whether the asset at `rel` may be text worth scanning, by its name.
fn may_be_text(rel: &str) -> bool {
    let extension = Path::new(rel)
        .extension()
        .map(|ext| ext.to_string_lossy().to_ascii_lowercase());
    !extension.is_some_and(|ext| BINARY.contains(&ext.as_str()))
}

/// `bytes` as text, when they are: UTF-8 without NUL bytes.
fn text(bytes: &[u8]) -> Option<&str> {
    (!bytes.contains(&0))
        .then(|| std::str::from_utf8(bytes).ok())
        .flatten()
}

/// The `secret` findings of the text files among `assets` (content-relative, in the
/// content folder `dir`), in asset order. A file that cannot be read is left to the
/// copy, which reports it.
pub fn scan(scanner: &Scanner, dir: &Path, prefix: &str, assets: &[String]) -> Vec<Finding> {
    if !scanner.enabled() {
        return Vec::new();
    }
    assets
        .par_iter()
        .filter(|rel| may_be_text(rel))
        .flat_map_iter(|rel| {
            let path = dir.join(rel);
            let small = std::fs::metadata(&path).is_ok_and(|meta| meta.len() <= MAX_BYTES);
            let bytes = small.then(|| std::fs::read(&path).ok()).flatten();
            let mut findings = Vec::new();
            if let Some(text) = bytes.as_deref().and_then(text) {
                let mut text = text.to_string();
                scanner.scrub_file(&mut text, &display_path(prefix, rel), &mut findings);
            }
            findings
        })
        .collect()
}

/// The bytes of a copied file with its credentials redacted, as `scan` found them.
pub fn redacted(scanner: &Scanner, bytes: Vec<u8>) -> Vec<u8> {
    if bytes.len() as u64 > MAX_BYTES {
        return bytes;
    }
    match text(&bytes) {
        Some(text) => {
            let mut text = text.to_string();
            if scanner.scrub(&mut text).is_empty() {
                bytes
            } else {
                text.into_bytes()
            }
        }
        None => bytes,
    }
}
