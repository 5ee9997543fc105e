//! The default theme in headless Chromium: theme toggle, phone navigation, 404 page (served at
//! depth and opened from `file://`), search over HTTP (at the root and under a `base-url`
//! path) and from `file://`, the ADR index's status filter, the services dashboard's filters
//! and sorting, every page of the bundled handbook at phone width, axe-core's accessibility
//! check of the bundled handbook (`axe.mjs`: its pages and states, light and dark, desktop
//! and phone) and its keyboard walk (`keyboard.mjs`: skip link, focus rings), and `serve`'s
//! live reload and error overlay.
//! The checks themselves are in `tests/browser/*.mjs` (playwright-core); this test
//! builds a site, runs them, and fails with their message.
//!
//! They need Node.js 20 or later with npm, and Debian's chromium (`/usr/bin/chromium`,
//! `chromium` on `PATH`, or the binary named by `CHROMIUM`): `apt-get install -y chromium`.
//! When `tests/browser/node_modules/playwright-core` is missing, the first browser test runs
//! `npm ci --prefix tests/browser --no-audit --no-fund` itself (this reaches the npm registry;
//! the tests of this binary share one install).
//!
//! On a machine without Node.js 20+ or chromium, or where `npm ci` fails, each browser test
//! is skipped: it passes and writes `SKIPPED browser test <script>: <what is missing and how
//! to install it>` to stderr (straight to the terminal, so it shows without `--nocapture`).
//! When `CI` is set (to anything but empty, `0` or `false`) nothing is skipped for a missing
//! tool: the same message fails the test. `SHIPSHAPE_SKIP_BROWSER_TESTS=1` (any value but
//! empty, `0` or `false`) skips them on purpose, in CI too.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use common::*;

/// The oldest Node.js that playwright-core supports.
const NODE_MAJOR: u32 = 20;

#[test]
fn skip_and_ci_flags_read_zero_and_false_as_off() {
    for off in ["", "0", "false", "FALSE", " 0 "] {
        assert!(!says_yes(off), "{off:?} must not skip (or count as CI)");
    }
    for on in ["1", "true", "yes"] {
        assert!(says_yes(on), "{on:?}");
    }
}

fn browser_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

/// What the browser checks run with.
struct Tools {
    chromium: PathBuf,
}

/// Node.js, chromium and playwright-core, or what is missing and how to install it. Found
/// (and `npm ci` run) once per test binary: the tests run as threads, and `get_or_init`
/// makes the others wait for the first.
fn tools() -> &'static Result<Tools, String> {
    static TOOLS: OnceLock<Result<Tools, String>> = OnceLock::new();
    TOOLS.get_or_init(|| {
        let mut missing = Vec::new();
        if let Err(problem) = check_node() {
            missing.push(problem);
        }
        let chromium = find_chromium();
        if chromium.is_none() {
            missing.push(match std::env::var_os("CHROMIUM") {
                Some(path) => format!(
                    "chromium is not at CHROMIUM={} (apt-get install -y chromium)",
                    path.to_string_lossy()
                ),
                None => "chromium is not installed (apt-get install -y chromium)".to_string(),
            });
        }
        if !missing.is_empty() {
            return Err(missing.join("; "));
        }
        install_playwright()?;
        Ok(Tools {
            chromium: chromium.unwrap(),
        })
    })
}

fn check_node() -> Result<(), String> {
    let install = format!("install Node.js {NODE_MAJOR} or later, with npm");
    let output = Command::new("node")
        .args(["-p", "process.versions.node"])
        .output();
    let version = match output {
        Ok(output) if output.status.success() => {
            String::from_utf8_lossy(&output.stdout).trim().to_string()
        }
        Ok(output) => {
            return Err(format!(
                "`node` does not run ({}; {install})",
                output.status
            ));
        }
        Err(_) => return Err(format!("Node.js is not installed ({install})")),
    };
    let major: Option<u32> = version.split('.').next().and_then(|m| m.parse().ok());
    match major {
        Some(major) if major >= NODE_MAJOR => Ok(()),
        _ => Err(format!(
            "Node.js {version} is too old for playwright-core ({install})"
        )),
    }
}

/// `CHROMIUM` if set, else `/usr/bin/chromium`, else `chromium` on `PATH`.
fn find_chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CHROMIUM").filter(|path| !path.is_empty()) {
        let path = PathBuf::from(path);
        return path.is_file().then_some(path);
    }
    let debian = PathBuf::from("/usr/bin/chromium");
    if debian.is_file() {
        return Some(debian);
    }
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join("chromium"))
        .find(|path| path.is_file())
}

/// Runs `npm ci` in `tests/browser` unless playwright-core and axe-core are already there.
fn install_playwright() -> Result<(), String> {
    for package in ["playwright-core", "axe-core"] {
        npm_ci(
            "browser",
            &browser_dir().join("node_modules").join(package),
            package,
        )?;
    }
    Ok(())
}

/// Runs `tests/browser/<script>` against a built site; panics with its output on failure.
/// Skips (see the module comment) when the tools are missing outside CI.
fn run_browser_check(script: &str, site: &Path, args: &[&str]) {
    if env_flag("SHIPSHAPE_SKIP_BROWSER_TESTS") {
        notice(&format!(
            "SKIPPED browser test {script}: SHIPSHAPE_SKIP_BROWSER_TESTS is set"
        ));
        return;
    }
    let tools = match tools() {
        Ok(tools) => tools,
        Err(problem) if env_flag("CI") => panic!(
            "browser test {script} cannot run: {problem}\n\
             (CI is set, so missing tools fail the test; SHIPSHAPE_SKIP_BROWSER_TESTS=1 skips it)"
        ),
        Err(problem) => {
            notice(&format!("SKIPPED browser test {script}: {problem}"));
            return;
        }
    };
    let output = Command::new("node")
        .arg(browser_dir().join(script))
        .arg(site)
        .args(args)
        .env("CHROMIUM", &tools.chromium)
        .output()
        .expect("node runs");
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

#[test]
fn the_bundled_handbook_passes_axe_core_and_works_from_the_keyboard() {
    // The pages and states checked are listed in axe.mjs (`STATES`) and keyboard.mjs
    // (`PAGES`).
    let root = env!("CARGO_MANIFEST_DIR");
    let out = tempfile::tempdir().unwrap();
    let output = build(root.as_ref(), out.path());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    run_browser_check("axe.mjs", out.path(), &[]);
    // Every other page once, in one theme and width: what a page holds (a task list, the
    // print page's chapters) matters more there than the theme the matrix above covers.
    let pages: Vec<String> = tree(out.path())
        .into_keys()
        .filter(|path| path.ends_with(".html"))
        .collect();
    assert!(pages.len() > 40, "{pages:?}");
    let args: Vec<&str> = ["--once", "--pages"]
        .into_iter()
        .chain(pages.iter().map(String::as_str))
        .collect();
    run_browser_check("axe.mjs", out.path(), &args);
    run_browser_check("keyboard.mjs", out.path(), &[]);
}

#[test]
fn pages_with_findings_waivers_and_teams_pass_axe_core() {
    // A handbook with error findings: the health page's findings table and the top bar's
    // error count, beside the overview pages the bundled handbook has few rows of.
    let dir = fixture("services-teams");
    let toml = std::fs::read_to_string(dir.path().join("book.toml")).unwrap();
    write(
        dir.path(),
        "book.toml",
        &format!("{toml}\n[shipshape]\nshow-health = true\n"),
    );
    let out = tempfile::tempdir().unwrap();
    let output = build(dir.path(), out.path());
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    run_browser_check(
        "axe.mjs",
        out.path(),
        &[
            "--pages",
            "health.html",
            "services/index.html",
            "waivers.html",
            "teams/payments.html",
        ],
    );
}

#[test]
fn the_adr_index_filters_by_status_from_disk() {
    let out = tempfile::tempdir().unwrap();
    let output = build(&fixture_path("records-good"), out.path());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    run_browser_check("adr-filter.mjs", out.path(), &[]);
}

#[test]
fn report_cards_fit_a_phone() {
    // The services fixture's cards, beside the bundled handbook's (in the test above).
    let dir = fixture("services-good");
    let out = tempfile::tempdir().unwrap();
    let output = build(dir.path(), out.path());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    run_browser_check(
        "overflow.mjs",
        out.path(),
        &[
            "services/payments.html",
            "services/notify.html",
            "services/batch.html",
        ],
    );
}

#[test]
fn the_dashboard_filters_and_sorts_by_owner_tier_and_level_from_disk() {
    let out = tempfile::tempdir().unwrap();
    let output = build(&fixture_path("services-teams"), out.path());
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    run_browser_check("dashboard.mjs", out.path(), &[]);
}

#[test]
fn the_dashboard_team_and_waivers_pages_fit_a_phone() {
    let out = tempfile::tempdir().unwrap();
    let output = build(&fixture_path("services-teams"), out.path());
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    run_browser_check(
        "overflow.mjs",
        out.path(),
        &["services/index.html", "waivers.html", "teams/payments.html"],
    );
}

#[test]
fn serve_reloads_in_place_and_shows_errors_in_an_overlay() {
    let mut files: Vec<(String, String)> = vec![
        (
            "book.toml".into(),
            "[book]\ntitle = \"Live\"\nsrc = \"content\"\n".into(),
        ),
        (
            "content/index.md".into(),
            "# Home\n\n[Long](guide/long.md)\n".into(),
        ),
        (
            "content/teams.yaml".into(),
            "teams:\n  - id: payments\n    name: Payments\n".into(),
        ),
    ];
    let body: String = (1..=60)
        .map(|n| format!("Paragraph {n} of the long page, with enough words to wrap a line or two on a desktop screen.\n\n"))
        .collect();
    files.push(("content/guide/long.md".into(), format!("# Long\n\n{body}")));
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let dir = handbook(&files);
    let server = common::serve::Server::start(dir.path(), &[]);
    let url = format!("http://127.0.0.1:{}/", server.port);
    run_browser_check(
        "serve.mjs",
        Path::new(&url),
        &[dir.path().to_str().unwrap()],
    );
}

#[test]
fn search_finds_the_expected_page_first_over_http_and_from_disk() {
    let root = env!("CARGO_MANIFEST_DIR");
    let out = tempfile::tempdir().unwrap();
    let output = build(root.as_ref(), out.path());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    run_browser_check("search.mjs", out.path(), &[]);
}

#[test]
fn search_works_on_a_site_published_under_a_path() {
    // The bundled handbook with `base-url = "/docs/"`, as a GitHub Pages project site is
    // served: results link under the path, from a page and from the not-found page.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&root.join("content"), &dir.path().join("content"));
    let toml = std::fs::read_to_string(root.join("book.toml")).unwrap();
    assert!(
        toml.contains("base-url = \"/\""),
        "the bundled book.toml sets base-url"
    );
    write(
        dir.path(),
        "book.toml",
        &toml.replace("base-url = \"/\"", "base-url = \"/docs/\""),
    );
    let out = dir.path().join("site");
    let output = build(dir.path(), &out);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    run_browser_check("search.mjs", &out, &["/docs/"]);
}
