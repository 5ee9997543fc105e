//! The default theme in headless Chromium: theme toggle, phone navigation, 404 page, and
//! every page of the bundled handbook at phone width.
//! The checks themselves are in `tests/browser/*.mjs` (playwright-core); this test
//! builds a site, runs them, and fails with their message.
//!
//! Needs `node`, Debian's `chromium` and `npm ci` in `tests/browser` (`.ci/run` does all
//! three). Set `SHIPSHAPE_SKIP_BROWSER_TESTS=1` to skip them on a machine without.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;

/// Runs `tests/browser/<script>` against a built site; panics with its output on failure.
fn run_browser_check(script: &str, site: &Path, args: &[&str]) {
    if std::env::var_os("SHIPSHAPE_SKIP_BROWSER_TESTS").is_some() {
        eprintln!("skipping {script}: SHIPSHAPE_SKIP_BROWSER_TESTS is set");
        return;
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    assert!(
        dir.join("node_modules/playwright-core").is_dir(),
        "playwright-core is not installed: run `npm ci --prefix tests/browser` (and `apt-get install chromium`), or set SHIPSHAPE_SKIP_BROWSER_TESTS=1"
    );
    let output = Command::new("node")
        .arg(dir.join(script))
        .arg(site)
        .args(args)
        .output()
        .expect("node runs (install Node.js 18 or later)");
    assert!(
        output.status.success(),
        "{script} failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn theme_toggle_phone_navigation_and_not_found_page_work_in_a_browser() {
    let dir = fixture("mdbook");
    // Published under a path, as a GitHub Pages project site is.
    let toml = std::fs::read_to_string(dir.path().join("book.toml")).unwrap();
    write(
        dir.path(),
        "book.toml",
        &format!("{toml}\n[shipshape]\nbase-url = \"/handbook/\"\n"),
    );
    // An external link, for the print check (the browser never follows it).
    let page = dir.path().join("src/reference/includes.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(
        &page,
        format!("{text}\nSee [mdBook's guide](https://rust-lang.github.io/mdBook/).\n"),
    )
    .unwrap();
    let out = dir.path().join("site");
    let output = build(dir.path(), &out);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    run_browser_check("theme.mjs", &out, &["/handbook/"]);
}

#[test]
fn every_page_of_the_bundled_handbook_fits_a_phone() {
    let root = env!("CARGO_MANIFEST_DIR");
    let out = tempfile::tempdir().unwrap();
    let output = build(root.as_ref(), out.path());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let pages: Vec<String> = tree(out.path())
        .into_keys()
        .filter(|path| path.ends_with(".html"))
        .collect();
    assert!(pages.len() > 20, "{pages:?}");
    let pages: Vec<&str> = pages.iter().map(String::as_str).collect();
    run_browser_check("overflow.mjs", out.path(), &pages);
}
