//! `build`'s progress bar: drawn on a terminal once the build has run for a second,
//! never when stderr is piped, when `CI` is set, or with `--log-format json`.
//! The terminal is a real pseudo-terminal, made by util-linux's `script`.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

/// Sections of a hundred pages each: enough that a debug build takes well over the
/// second the bar waits, while no page's sidebar grows with the book.
const SECTIONS: usize = 60;
const PAGES: usize = 100;
/// The pages the build renders: the generated ones, the home page, each section's
/// index and its pages, and the generated health, print and not-found pages.
const RENDERED: usize = 1 + SECTIONS * (PAGES + 1) + 3;

/// A generated handbook of a few thousand short pages.
fn big_handbook() -> tempfile::TempDir {
    let dir = handbook(&[
        ("book.toml", "[book]\ntitle = \"Big\"\nsrc = \"content\"\n"),
        ("content/index.md", "# Home\n"),
    ]);
    let body = "Text with a [link](README.md) and `code`.\n\n".repeat(5);
    for section in 0..SECTIONS {
        let folder = dir.path().join(format!("content/s{section:02}"));
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join("README.md"), format!("# Section {section}\n")).unwrap();
        for page in 0..PAGES {
            let text = format!("# Page {section}.{page}\n\n{body}");
            std::fs::write(folder.join(format!("p{page:02}.md")), text).unwrap();
        }
    }
    dir
}

/// `word` quoted for `sh`.
fn quoted(word: &str) -> String {
    format!("'{}'", word.replace('\'', r"'\''"))
}

/// Runs `shipshape build ROOT -d OUT EXTRA` inside a pseudo-terminal (stdin, stdout and
/// stderr all on it), with `CI` as given; what the terminal showed, and how long it took.
fn on_a_terminal(root: &Path, extra: &[&str], ci: Option<&str>) -> (String, Duration) {
    let mut line = vec![
        quoted(env!("CARGO_BIN_EXE_shipshape")),
        "build".into(),
        quoted(root.to_str().unwrap()),
        "-d".into(),
        quoted(root.join("site").to_str().unwrap()),
    ];
    line.extend(extra.iter().map(|word| quoted(word)));
    let mut command = Command::new("script");
    command
        .args(["-qfec", &line.join(" "), "/dev/null"])
        .env("TERM", "xterm-256color")
        .env_remove("NO_COLOR")
        .stdin(Stdio::null());
    match ci {
        Some(value) => command.env("CI", value),
        None => command.env_remove("CI"),
    };
    let started = Instant::now();
    let output = command
        .output()
        .expect("util-linux's `script` runs (Debian: apt-get install bsdutils)");
    let took = started.elapsed();
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    assert_eq!(output.status.code(), Some(0), "{text}");
    (text, took)
}

#[test]
fn a_terminal_shows_the_bar_once_the_build_has_run_a_second() {
    let dir = big_handbook();
    let (text, took) = on_a_terminal(dir.path(), &[], None);
    assert!(took > Duration::from_secs(1), "the build took {took:?}");
    assert!(
        text.contains(&format!("/{RENDERED} pages")),
        "no bar in {took:?}: {text:?}"
    );
    assert!(text.contains("rendering ["), "{text:?}");
    assert!(text.contains("\x1b["), "the bar redraws itself: {text:?}");
    // It is cleared before the closing line.
    let closing = text.rfind("shipshape: built").expect("the closing line");
    assert!(!text[closing..].contains("rendering ["), "{text:?}");
    assert!(
        text[closing..].starts_with(&format!("shipshape: built {RENDERED} pages")),
        "{text:?}"
    );
}

#[test]
fn no_bar_in_ci_or_with_the_json_log_even_on_a_terminal() {
    let dir = big_handbook();
    let (text, took) = on_a_terminal(dir.path(), &[], Some("true"));
    assert!(took > Duration::from_secs(1), "the build took {took:?}");
    assert!(!text.contains("rendering"), "{text:?}");
    assert!(!text.contains('\x1b'), "{text:?}");
    assert!(text.starts_with(&format!("shipshape: built {RENDERED} pages")));

    let (text, _) = on_a_terminal(dir.path(), &["--log-format", "json"], None);
    assert!(!text.contains("rendering"), "{text:?}");
    assert!(!text.contains('\x1b'), "{text:?}");
    // The terminal ends each line with \r\n.
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        serde_json::from_str::<serde_json::Value>(line)
            .unwrap_or_else(|err| panic!("not JSON ({err}): {line:?}"));
    }
}

#[test]
fn a_piped_build_draws_no_bar() {
    let dir = big_handbook();
    let started = Instant::now();
    let output = shipshape()
        .args(["build", "--today", TODAY])
        .arg(dir.path())
        .arg("-d")
        .arg(dir.path().join("site"))
        .env_remove("CI")
        .output()
        .unwrap();
    let took = started.elapsed();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        took > Duration::from_secs(1),
        "the build took {took:?}: too quick to test the bar's absence"
    );
    let text = stderr(&output);
    assert!(!text.contains('\r'), "{text:?}");
    assert!(!text.contains('\x1b'), "{text:?}");
    assert!(!text.contains("rendering"), "{text:?}");
    assert!(
        text.starts_with(&format!(
            "shipshape: built {RENDERED} pages into {}",
            dir.path().join("site").display()
        )),
        "{text:?}"
    );
    assert_eq!(text.lines().count(), 1, "{text:?}");
}

#[test]
fn a_quick_build_on_a_terminal_shows_no_bar() {
    let dir = handbook(&[
        (
            "book.toml",
            "[book]\ntitle = \"Small\"\nsrc = \"content\"\n",
        ),
        ("content/index.md", "# Home\n"),
    ]);
    let (text, took) = on_a_terminal(dir.path(), &[], None);
    assert!(took < Duration::from_secs(1), "the build took {took:?}");
    assert!(!text.contains("rendering"), "{text:?}");
    assert!(text.starts_with("shipshape: built 4 pages"), "{text:?}");
}
