//! mdBook's `[output.html]` keys that change what a reader gets, and the tables and
//! folders of mdBook that shipshape does not use, which it says so about.

mod common;

use common::*;

const BOOK: &str = "[book]\ntitle = \"Book\"\n";

fn built(files: &[(&str, &str)]) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = handbook(files);
    let out = dir.path().join("site");
    let output = build(dir.path(), &out);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    (dir, out)
}

#[test]
fn smart_punctuation_is_on_as_in_mdbook_unless_the_book_turns_it_off() {
    let page_text =
        "# Before -- after\n\n\"Quoted\" and it's -- so... done.\n\n[back](#before--after)\n";
    let (dir, out) = built(&[("book.toml", BOOK), ("src/README.md", page_text)]);
    let home = page(&out, "index.html");
    assert!(home.contains("“Quoted” and it’s – so… done."), "{home}");
    assert!(
        home.contains("<h1 id=\"before--after\">Before – after"),
        "mdBook's anchor: {home}"
    );
    assert_no_findings(dir.path(), &[]);

    let (_dir, out) = built(&[
        (
            "book.toml",
            &format!("{BOOK}[output.html]\nsmart-punctuation = false\n"),
        ),
        (
            "src/README.md",
            &page_text.replace("#before--after", "#before----after"),
        ),
    ]);
    assert!(page(&out, "index.html").contains("\"Quoted\" and it's -- so... done."));
}

#[test]
fn the_repository_link_edit_link_and_the_book_s_own_files_appear_on_every_page() {
    let (dir, out) = built(&[
        (
            "book.toml",
            &format!(
                "{BOOK}[output.html]\ngit-repository-url = \"https://git.example.com/team/book\"\nedit-url-template = \"https://git.example.com/team/book/edit/main/{{path}}\"\nadditional-css = [\"theme/extra.css\"]\nadditional-js = [\"./js/extra.js\"]\n"
            ),
        ),
        (
            "src/SUMMARY.md",
            "- [Home](README.md)\n- [Guide](guide/one.md)\n",
        ),
        ("src/README.md", "# Home\n"),
        ("src/guide/one.md", "# One\n"),
        ("theme/extra.css", "body { --x: 1; }"),
        ("js/extra.js", "window.extra = 1;"),
    ]);
    let one = page(&out, "guide/one.html");
    assert!(
        one.contains("href=\"https://git.example.com/team/book\""),
        "{one}"
    );
    assert!(
        one.contains("href=\"https://git.example.com/team/book/edit/main/src/guide/one.md\""),
        "{one}"
    );
    assert!(
        one.contains("<link rel=\"stylesheet\" href=\"../theme/extra.css\">"),
        "{one}"
    );
    assert!(
        one.contains("<script src=\"../js/extra.js\" defer></script>"),
        "{one}"
    );
    assert_eq!(page(&out, "theme/extra.css"), "body { --x: 1; }");
    assert_eq!(page(&out, "js/extra.js"), "window.extra = 1;");
    // A theme/ folder is mdBook's Handlebars theme: one warning says it is not used.
    let (_, report) = check_json(dir.path(), &[]);
    let found = findings(&report);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        (found[0].0.as_str(), found[0].1.as_str()),
        ("schema", "warning")
    );
    assert!(
        report["findings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("theme/")
    );
}

#[test]
fn a_missing_additional_file_is_a_finding_and_a_script_address_is_refused() {
    let dir = handbook(&[
        (
            "book.toml",
            &format!("{BOOK}[output.html]\nadditional-css = [\"missing.css\"]\n"),
        ),
        ("src/README.md", "# Home\n"),
    ]);
    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    assert!(
        report["findings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("missing.css")
    );

    write(
        dir.path(),
        "book.toml",
        &format!("{BOOK}[output.html]\ngit-repository-url = \"javascript:alert(1)\"\n"),
    );
    let output = shipshape().arg("check").arg(dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("https://"), "{}", stderr(&output));
}

#[test]
fn renderers_shipshape_does_not_run_get_a_warning_each() {
    let dir = handbook(&[
        (
            "book.toml",
            &format!(
                "{BOOK}[output.html]\n[output.latex]\n[output.linkcheck]\nfollow-web-links = false\n"
            ),
        ),
        ("src/README.md", "# Home\n"),
    ]);
    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!(code, 0);
    let messages = messages(&report);
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("[output.latex]")));
    assert!(messages.iter().any(|m| m.contains("[output.linkcheck]")));
}

#[test]
fn site_url_is_where_the_book_is_served_unless_base_url_says_so() {
    let (_dir, out) = built(&[
        (
            "book.toml",
            &format!("{BOOK}[output.html]\nsite-url = \"/my-book/\"\n"),
        ),
        ("src/README.md", "# Home\n"),
    ]);
    assert!(page(&out, "404.html").contains("<base href=\"/my-book/\">"));
    let (_dir, out) = built(&[
        (
            "book.toml",
            &format!(
                "{BOOK}[output.html]\nsite-url = \"/my-book/\"\n[shipshape]\nbase-url = \"/docs/\"\n"
            ),
        ),
        ("src/README.md", "# Home\n"),
    ]);
    assert!(page(&out, "404.html").contains("<base href=\"/docs/\">"));
}

#[test]
fn definition_lists_render_as_in_mdbook() {
    let (_dir, out) = built(&[
        ("book.toml", BOOK),
        (
            "src/README.md",
            "# Terms\n\nSLO\n: A target for a service level indicator.\n",
        ),
    ]);
    let home = page(&out, "index.html");
    assert!(
        home.contains("<dl>") && home.contains("<dt>SLO</dt>"),
        "{home}"
    );
}

#[test]
fn configured_hidelines_and_raw_html_links_work_as_in_mdbook() {
    let (_dir, out) = built(&[
        (
            "book.toml",
            &format!("{BOOK}[output.html.code.hidelines]\npython = \"~\"\n"),
        ),
        (
            "src/SUMMARY.md",
            "- [Home](README.md)\n- [Other](guide/other.md)\n",
        ),
        (
            "src/README.md",
            "# Home\n\n```python\n~import os\nprint(os.name)\n```\n\n<p><a href=\"guide/other.md#top\">raw link</a></p>\n",
        ),
        ("src/guide/other.md", "# Other\n\n## Top\n"),
    ]);
    let home = page(&out, "index.html");
    assert_eq!(home.matches("<span class=\"boring\">").count(), 1, "{home}");
    assert!(
        home.contains("<a href=\"guide/other.html#top\">raw link</a>"),
        "{home}"
    );
}

#[test]
fn the_print_page_can_be_turned_off_as_in_mdbook() {
    let (_dir, out) = built(&[
        (
            "book.toml",
            &format!("{BOOK}[output.html.print]\nenable = false\n"),
        ),
        ("src/README.md", "# Home\n"),
    ]);
    assert!(!out.join("print.html").exists());
    assert!(!page(&out, "index.html").contains("print.html"));
    let (_dir, out) = built(&[("book.toml", BOOK), ("src/README.md", "# Home\n")]);
    assert!(page(&out, "print.html").contains("<section class=\"print-chapter\">"));
}

#[test]
fn the_book_s_own_files_never_replace_what_shipshape_writes() {
    let dir = handbook(&[
        (
            "book.toml",
            &format!(
                "{BOOK}[output.html]\nadditional-css = [\"health.html\", \"theme/ok.css\"]\nadditional-js = [\"index.html\", \"static/shipshape.js\"]\n"
            ),
        ),
        ("src/README.md", "# Home\n"),
        ("health.html", "ALL GREEN"),
        ("index.html", "<script>alert(1)</script>"),
        ("static/shipshape.js", "alert(2)"),
        ("theme/ok.css", "body {}"),
    ]);
    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!(code, 1, "{report:#}");
    let clashes = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["message"].as_str().unwrap().contains("is not copied"))
        .count();
    assert_eq!(clashes, 3, "{report:#}");
    let out = dir.path().join("site");
    build(dir.path(), &out);
    assert!(page(&out, "health.html").contains("Docs health"));
    assert!(!page(&out, "index.html").contains("alert(1)"));
    assert!(!page(&out, "static/shipshape.js").contains("alert(2)"));
    assert_eq!(page(&out, "theme/ok.css"), "body {}");
}

#[test]
fn a_redirect_cannot_become_a_script_address_through_a_page_link() {
    let dir = handbook(&[
        (
            "book.toml",
            &format!(
                "{BOOK}[output.html.redirect]\n\"/old.html\" = \"/javascript:alert(1)//.md\"\n"
            ),
        ),
        ("src/README.md", "# Home\n"),
    ]);
    let out = dir.path().join("site");
    build(dir.path(), &out);
    let old = page(&out, "old.html");
    assert!(
        old.contains("URL=./javascript:"),
        "a path, not a scheme: {old}"
    );
    assert!(
        !old.contains("\"javascript:") && !old.contains("=javascript:"),
        "{old}"
    );
}
