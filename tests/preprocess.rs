//! mdBook's preprocessors run as mdBook 0.5 runs them: `[preprocessor.NAME]` tables in
//! mdBook's order, `supports html` first, the book as JSON through stdin and stdout.
//! Most tests use `tests/fixtures/preprocessors/shout.py`, a preprocessor written for
//! them; one uses mdbook-admonish from crates.io when it is installed.

mod common;

use std::io::Write;
use std::path::Path;

use common::*;

/// The command line that runs the test preprocessor with `args`.
fn shout(args: &str) -> String {
    let script = fixture_path("preprocessors/shout.py");
    format!("python3 '{}' {args}", script.display())
}

/// A `[preprocessor.NAME]` table running the test preprocessor with `args`, then `extra`
/// lines.
fn table(name: &str, args: &str, extra: &str) -> String {
    format!(
        "[preprocessor.{name}]\ncommand = \"{}\"\n{extra}",
        shout(args)
    )
}

const SUMMARY: &str =
    "# Summary\n\n[Intro](README.md)\n\n- [Shouting](shout.md)\n- [Quiet](quiet.md)\n";

/// A book with three pages and the given preprocessor tables.
fn book(tables: &str) -> tempfile::TempDir {
    handbook(&[
        (
            "book.toml",
            &format!("[book]\ntitle = \"Book\"\n\n{tables}"),
        ),
        ("src/SUMMARY.md", SUMMARY),
        ("src/README.md", "# Intro\n\nWelcome.\n"),
        (
            "src/shout.md",
            "---\ntitle: Shouting\n---\n# Shouting\n\nSay {{shout}} to [a missing page](gone.md).\n\n{{banner}}\n\nSee [the other missing page](also-gone.md).\n",
        ),
        (
            "src/quiet.md",
            "# Quiet\n\nNothing to change here.\n\nBut [this link](nowhere.md) is broken.\n",
        ),
    ])
}

/// Builds `root` into a new folder; exit 1, since the books here have broken links on
/// purpose.
fn built(root: &Path) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let output = build(root, out.path());
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    out
}

/// The link findings as (file, line, column).
fn broken_links(report: &serde_json::Value) -> Vec<(String, Option<u64>, Option<u64>)> {
    findings(report)
        .into_iter()
        .filter(|(rule, ..)| rule == "link")
        .map(|(_, _, file, line, column)| (file, line, column))
        .collect()
}

#[test]
fn a_preprocessor_changes_the_pages_it_is_given() {
    let dir = book(&table("shout", "--record input.json", ""));
    let out = built(dir.path());
    let page = page(out.path(), "shout.html");
    assert!(page.contains("Say SHOUT to"), "{page}");
    assert!(page.contains("<strong>Banner</strong>"), "{page}");
    assert!(!page.contains("{{shout}}"), "{page}");

    // What it was sent: mdBook 0.5's context and book, with 0.4's `sections` as well.
    let input: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("input.json")).unwrap())
            .unwrap();
    let (context, book) = (&input[0], &input[1]);
    assert_eq!(context["renderer"], "html");
    assert_eq!(context["mdbook_version"], "0.5.4");
    assert_eq!(
        Path::new(context["root"].as_str().unwrap()),
        std::path::absolute(dir.path()).unwrap()
    );
    assert_eq!(
        context["config"],
        serde_json::json!({
            "book": {"title": "Book", "authors": [], "language": "en"},
            "preprocessor": {"shout": {"command": shout("--record input.json")}}
        })
    );
    assert_eq!(book["items"], book["sections"]);
    assert_eq!(book["__non_exhaustive"], serde_json::Value::Null);
    let items = book["items"].as_array().unwrap();
    // `shout` sorts after mdBook's `index`, which has made README.md's path index.md.
    assert_eq!(
        items[0],
        serde_json::json!({"Chapter": {
            "name": "Intro", "content": "# Intro\n\nWelcome.\n", "number": null,
            "sub_items": [], "path": "index.md", "source_path": "README.md",
            "parent_names": []
        }})
    );
    let shouting = &items[1]["Chapter"];
    assert_eq!(shouting["number"], serde_json::json!([1]));
    assert_eq!(items[2]["Chapter"]["number"], serde_json::json!([2]));
    assert!(
        shouting["content"]
            .as_str()
            .unwrap()
            .starts_with("# Shouting\n"),
        "the body is sent without its front matter: {shouting}"
    );
}

#[test]
fn before_and_after_order_the_preprocessors() {
    // By mdBook's tie rule, names in code point order: `first` before `second`.
    let dir = book(&(table("second", "--name second", "") + &table("first", "--name first", "")));
    let page_text = page(built(dir.path()).path(), "quiet.html");
    let ran = |name: &str| page_text.find(&format!("Ran {name}.")).expect(name);
    assert!(ran("first") < ran("second"), "{page_text}");

    // `before` turns it round.
    let dir = book(
        &(table("second", "--name second", "before = [\"first\"]\n")
            + &table("first", "--name first", "")),
    );
    let page_text = page(built(dir.path()).path(), "quiet.html");
    let ran = |name: &str| page_text.find(&format!("Ran {name}.")).expect(name);
    assert!(ran("second") < ran("first"), "{page_text}");

    // So does `after`.
    let dir = book(
        &(table("second", "--name second", "")
            + &table("first", "--name first", "after = [\"second\"]\n")),
    );
    let page_text = page(built(dir.path()).path(), "quiet.html");
    let ran = |name: &str| page_text.find(&format!("Ran {name}.")).expect(name);
    assert!(ran("second") < ran("first"), "{page_text}");
}

#[test]
fn before_and_after_in_a_cycle_stop_the_build() {
    let dir =
        book(&(table("one", "", "after = [\"two\"]\n") + &table("two", "", "after = [\"one\"]\n")));
    let out = dir.path().join("site");
    let output = build(dir.path(), &out);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("form a cycle: `one`, `two`"),
        "{}",
        stderr(&output)
    );
    assert!(!out.exists(), "nothing is written");
}

#[test]
fn a_name_in_before_that_is_no_preprocessor_is_a_warning() {
    let dir = book(&table("shout", "", "before = [\"nosuch\"]\n"));
    let (_, report) = check_json(dir.path(), &[]);
    assert!(
        findings(&report).contains(&(
            "schema".into(),
            "warning".into(),
            "book.toml".into(),
            Some(4),
            Some(15)
        )),
        "{report:#}"
    );
}

#[test]
fn renderers_without_html_leave_it_out() {
    let dir = book(&table(
        "shout",
        "--record input.json",
        "renderers = [\"latex\"]\n",
    ));
    let skipped = page(built(dir.path()).path(), "shout.html");
    assert!(skipped.contains("{{shout}}"), "{skipped}");
    assert!(!dir.path().join("input.json").exists(), "it never ran");

    // Listing html runs it without asking `supports`.
    let dir = book(&table(
        "shout",
        "--record input.json",
        "renderers = [\"html\"]\n",
    ));
    let page = page(built(dir.path()).path(), "shout.html");
    assert!(page.contains("SHOUT"), "{page}");
}

#[test]
fn a_missing_preprocessor_stops_the_build_and_says_how_to_install_it() {
    let dir = book("[preprocessor.shipshape-test-missing]\n");
    let out = dir.path().join("site");
    let output = build(dir.path(), &out);
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    assert!(
        text.contains("the preprocessor `shipshape-test-missing` runs `mdbook-shipshape-test-missing`, which was not found"),
        "{text}"
    );
    assert!(
        text.contains("cargo install --locked mdbook-shipshape-test-missing"),
        "{text}"
    );
    assert!(!out.exists(), "nothing is written");
}

#[test]
fn a_missing_optional_preprocessor_is_a_warning() {
    let dir = book("[preprocessor.shipshape-test-missing]\noptional = true\n");
    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!(code, 1, "only the broken links are errors: {report:#}");
    let finding = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|finding| finding["file"] == "book.toml")
        .expect("a finding on book.toml");
    assert_eq!(
        (
            &finding["rule"],
            &finding["severity"],
            &finding["line"],
            &finding["column"]
        ),
        (&"schema".into(), &"warning".into(), &4.into(), &15.into())
    );
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .contains("`mdbook-shipshape-test-missing` was not found"),
        "{finding}"
    );
}

#[test]
fn a_failing_preprocessor_stops_the_build_naming_it() {
    let dir = book(&table("shout", "--fail", ""));
    let out = dir.path().join("site");
    let output = build(dir.path(), &out);
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    assert!(
        text.contains("shout.py: failing on purpose"),
        "its stderr is passed on: {text}"
    );
    assert!(
        text.contains("the preprocessor `shout` (`python3 '"),
        "it is named with its command: {text}"
    );
    assert!(text.contains("exit status: 1"), "{text}");
    assert!(!out.exists(), "nothing is written");
}

#[test]
fn a_preprocessor_that_prints_no_book_stops_the_build() {
    let dir = book(&table("shout", "--garbage", ""));
    let output = build(dir.path(), &dir.path().join("site"));
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    assert!(
        text.contains("the preprocessor `shout`") && text.contains("did not print a book"),
        "{text}"
    );
}

#[test]
fn no_preprocessors_runs_none_and_warns_for_each_table() {
    let dir = book(&(table("shout", "--fail", "") + &table("other", "--fail", "")));
    let (code, report) = check_json(dir.path(), &["--no-preprocessors"]);
    assert_eq!(code, 1, "only the broken links are errors: {report:#}");
    let warnings: Vec<_> = findings(&report)
        .into_iter()
        .filter(|(_, _, file, ..)| file == "book.toml")
        .collect();
    assert_eq!(
        warnings,
        [
            (
                "schema".into(),
                "warning".into(),
                "book.toml".into(),
                Some(4),
                Some(15)
            ),
            (
                "schema".into(),
                "warning".into(),
                "book.toml".into(),
                Some(6),
                Some(15)
            ),
        ]
    );
    assert!(
        report["findings"][0]["help"]
            .as_str()
            .is_some_and(|help| help.contains("may differ")),
        "{report:#}"
    );

    let out = tempfile::tempdir().unwrap();
    let output = shipshape()
        .args(["build", "--no-preprocessors", "--today", TODAY])
        .arg(dir.path())
        .arg("-d")
        .arg(out.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(page(out.path(), "shout.html").contains("Say {{shout}} to"));
}

#[test]
fn findings_keep_their_lines_through_a_preprocessor() {
    let dir = book(&table("shout", "", ""));
    let (_, untouched) = check_json(dir.path(), &["--no-preprocessors"]);
    let (_, preprocessed) = check_json(dir.path(), &[]);
    let expected = [
        ("src/quiet.md".to_string(), Some(5), Some(5)),
        // `{{shout}}` became `SHOUT` on this line: the link after it keeps its column.
        ("src/shout.md".to_string(), Some(6), Some(18)),
        // `{{banner}}` above became three lines: this line keeps its number.
        ("src/shout.md".to_string(), Some(10), Some(5)),
    ];
    assert_eq!(broken_links(&untouched), expected, "{untouched:#}");
    assert_eq!(broken_links(&preprocessed), expected, "{preprocessed:#}");
}

#[test]
fn a_preprocessor_built_for_mdbook_0_4_is_served() {
    // It reads `sections`, needs `__non_exhaustive` and a config without nulls, and
    // replies with `sections` only.
    let dir = book(&table("old", "--sections --name old", ""));
    let page = page(built(dir.path()).path(), "shout.html");
    assert!(
        page.contains("SHOUT") && page.contains("Ran old."),
        "{page}"
    );
}

#[test]
fn chapters_a_preprocessor_adds_or_removes_are_pages_added_or_removed() {
    let dir = book(&table("shout", "--add made/new.md --remove quiet.md", ""));
    let out = tempfile::tempdir().unwrap();
    let output = build(dir.path(), out.path());
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let made = page(out.path(), "made/new.html");
    assert!(made.contains("A chapter the preprocessor made"), "{made}");
    assert!(
        page(out.path(), "index.html").contains("href=\"made/new.html\""),
        "the new chapter is in the navigation where the preprocessor put it"
    );
    assert!(
        !out.path().join("quiet.html").exists(),
        "a removed chapter is not published"
    );

    let (_, report) = check_json(dir.path(), &[]);
    let links = broken_links(&report);
    assert!(
        links.contains(&("src/made/new.md".into(), Some(3), Some(38))),
        "findings on a new page name its path: {report:#}"
    );
    assert!(
        !links
            .iter()
            .any(|(file, ..)| file == "src/quiet.md" || file == "src/SUMMARY.md"),
        "{report:#}"
    );
}

#[test]
fn a_near_miss_of_a_key_mdbook_reads_is_a_warning() {
    let dir = book(&table("shout", "", "renderer = [\"html\"]\n"));
    let (_, report) = check_json(dir.path(), &[]);
    let finding = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|finding| finding["file"] == "book.toml")
        .expect("a finding on book.toml");
    assert_eq!(finding["line"], 6);
    assert_eq!(finding["help"], "did you mean `renderers`?");
}

/// Whether the environment variable `name` is set to something other than empty, `0` or
/// `false` (as `tests/browser.rs` reads `CI`).
fn env_flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|value| {
        let value = value.trim();
        !(value.is_empty() || value == "0" || value.eq_ignore_ascii_case("false"))
    })
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}

/// mdbook-admonish (built on mdBook 0.4, so mdBook 0.5.4 itself cannot run it) turns
/// ```` ```admonish ```` blocks into HTML. Runs when it is on PATH; otherwise it passes
/// with a `SKIPPED` line on stderr, or fails when `CI` is set.
#[test]
fn mdbook_admonish_from_crates_io_renders_its_blocks() {
    if !on_path("mdbook-admonish") {
        let why = "mdbook-admonish is not on PATH (cargo install --locked mdbook-admonish)";
        assert!(
            !env_flag("CI"),
            "{why}; CI is set, so this test does not skip"
        );
        let _ = writeln!(std::io::stderr().lock(), "SKIPPED preprocessor test: {why}");
        return;
    }
    let dir = handbook(&[
        (
            "book.toml",
            "[book]\ntitle = \"Admonish\"\n\n[preprocessor.admonish]\ncommand = \"mdbook-admonish\"\nassets_version = \"3.1.0\"\n",
        ),
        ("src/SUMMARY.md", "- [Notes](notes.md)\n"),
        (
            "src/notes.md",
            "# Notes\n\n```admonish warning title=\"Careful\"\nThis is **important**.\n```\n\nAnd [a missing page](gone.md).\n",
        ),
    ]);
    let out = built(dir.path());
    let notes = page(out.path(), "notes.html");
    assert!(
        notes.contains("admonish-warning") && notes.contains("Careful"),
        "{notes}"
    );
    assert!(!notes.contains("```admonish"), "{notes}");
    let (_, report) = check_json(dir.path(), &[]);
    assert_eq!(
        broken_links(&report),
        [("src/notes.md".into(), Some(7), Some(5))],
        "the line after the block it replaced keeps its number: {report:#}"
    );
}
