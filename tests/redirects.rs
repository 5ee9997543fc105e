//! mdBook 0.5's `[output.html.redirect]`: a page at each old path that sends the reader
//! where it moved, written as mdBook writes it; the entries mdBook refuses (an old path
//! the site still writes, only `#fragment` entries) and the ones shipshape refuses (a
//! target that is no web address) are findings on book.toml.

mod common;

use common::*;

const SUMMARY: &str = "# Redirects\n\n- [Chapter 1](chapter_1.md)\n- [Chapter 2](chapter_2.md)\n- [Intro](guide/intro.md)\n";

/// A book like mdBook's `redirects_are_emitted_correctly` test book, with `redirects`
/// as its table.
fn book(redirects: &str) -> tempfile::TempDir {
    handbook(&[
        (
            "book.toml",
            &format!("[book]\ntitle = \"Redirects\"\n\n[output.html.redirect]\n{redirects}"),
        ),
        ("src/SUMMARY.md", SUMMARY),
        ("src/chapter_1.md", "# Chapter 1\n\n## New\n"),
        ("src/chapter_2.md", "# Chapter 2\n"),
        ("src/guide/intro.md", "# Intro\n"),
        ("src/image.png", "png"),
    ])
}

fn built(dir: &tempfile::TempDir) -> (std::path::PathBuf, std::process::Output) {
    let out = dir.path().join("site");
    let output = build(dir.path(), &out);
    (out, output)
}

/// The messages of the findings of `rule`, as (severity, message).
fn messages(report: &serde_json::Value, rule: &str) -> Vec<(String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == rule)
        .map(|f| {
            assert_eq!(f["file"], "book.toml", "{f:#}");
            (
                f["severity"].as_str().unwrap().to_string(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// mdBook 0.5.4's tests/testsuite/redirects/redirects_are_emitted_correctly/expected/
/// overview.html, byte for byte; `nested/page.html` is the same page for
/// `https://rust-lang.org/` with an empty fragment map.
const MDBOOK_OVERVIEW: &str = r##"<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>Redirecting...</title>
    <meta http-equiv="refresh" content="0; URL=index.html">
    <link rel="canonical" href="index.html">
  </head>
  <body>
      <p>Redirecting to... <a href="index.html">index.html</a>.</p>

<script>
    // This handles redirects that involve fragments.
    document.addEventListener('DOMContentLoaded', function() {
        const fragmentMap =
            {"#old":"index.html#new"}
        ;
        const fragment = window.location.hash;
        if (fragment) {
            let redirectUrl = "index.html";
            const target = fragmentMap[fragment];
            if (target) {
                let url = new URL(target, window.location.href);
                redirectUrl = url.href;
            } else {
                let url = new URL(redirectUrl, window.location.href);
                url.hash = window.location.hash;
                redirectUrl = url.href;
            }
            window.location.replace(redirectUrl);
        }
        // else redirect handled by http-equiv
    });
</script>
  </body>
</html>
"##;

#[test]
fn redirect_pages_are_written_as_mdbook_writes_them() {
    let dir = book(concat!(
        // mdBook's own test book's table.
        "\"/overview.html\" = \"index.html\"\n",
        "\"/overview.html#old\" = \"index.html#new\"\n",
        "\"/nested/page.html\" = \"https://rust-lang.org/\"\n",
        // Relative to the old page's folder, from the site's root, a `.md` target, a folder.
        "\"/old/guide/start.html\" = \"../../guide/intro.html\"\n",
        "\"/old/rooted.html\" = \"/chapter_2.html#top\"\n",
        "\"/old/source.html\" = \"../chapter_2.md\"\n",
        "\"/old-folder/\" = \"../guide/intro.html\"\n",
    ));
    let (out, output) = built(&dir);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(page(&out, "overview.html"), MDBOOK_OVERVIEW);
    assert_eq!(
        page(&out, "nested/page.html"),
        MDBOOK_OVERVIEW
            .replace("index.html", "https://rust-lang.org/")
            .replace(r##"{"#old":"https://rust-lang.org/#new"}"##, "{}")
    );
    for (path, target) in [
        ("old/guide/start.html", "../../guide/intro.html"),
        ("old/rooted.html", "/chapter_2.html#top"),
        ("old/source.html", "../chapter_2.html"),
        ("old-folder/index.html", "../guide/intro.html"),
    ] {
        let html = page(&out, path);
        assert!(
            html.contains(&format!(
                "<meta http-equiv=\"refresh\" content=\"0; URL={target}\">"
            )),
            "{path}: {html}"
        );
        assert!(
            html.contains(&format!("<link rel=\"canonical\" href=\"{target}\">")),
            "{html}"
        );
        assert!(
            html.contains(&format!("<a href=\"{target}\">{target}</a>")),
            "{html}"
        );
        assert!(
            html.contains(&format!("let redirectUrl = \"{target}\";")),
            "{html}"
        );
    }
    // Not in the navigation, and deterministic.
    assert!(!page(&out, "chapter_1.html").contains("overview"));
    let again = dir.path().join("again");
    build(dir.path(), &again);
    assert_eq!(tree(&out), tree(&again));
    assert_no_findings(dir.path(), &[]);
}

#[test]
fn redirect_pages_are_not_in_the_sitemap() {
    let dir = book("\"/overview.html\" = \"index.html\"\n");
    let toml = std::fs::read_to_string(dir.path().join("book.toml")).unwrap();
    write(
        dir.path(),
        "book.toml",
        &toml.replace(
            "[output.html.redirect]",
            "[output.html]\nsite-url = \"https://docs.example.com/\"\n\n[output.html.redirect]",
        ),
    );
    let (out, output) = built(&dir);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let sitemap = page(&out, "sitemap.xml");
    assert!(sitemap.contains("chapter_1.html"), "{sitemap}");
    assert!(!sitemap.contains("overview"), "{sitemap}");
    assert!(out.join("overview.html").is_file());
}

#[test]
fn an_old_anchor_of_a_page_still_written_is_sent_on_from_the_page() {
    let dir = book("\"/chapter_1.html#old\" = \"chapter_2.html\"\n");
    let (out, output) = built(&dir);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let chapter = page(&out, "chapter_1.html");
    assert!(
        chapter.contains("<h1"),
        "the page is still written: {chapter}"
    );
    assert!(
        chapter.contains(r##"const fragmentMap = {"#old":"chapter_2.html"};"##),
        "{chapter}"
    );
    assert!(!page(&out, "chapter_2.html").contains("fragmentMap"));
    assert_no_findings(dir.path(), &[]);
}

#[test]
fn a_hostile_value_is_escaped_in_the_page_and_its_scripts() {
    let dir = book(concat!(
        "\"/old.html\" = \"new.html\\\"><script>alert(1)</script><a href='\"\n",
        "\"/old.html#a\" = \"chapter_1.html#</script><script>alert(2)</script>\"\n",
    ));
    let (out, _) = built(&dir);
    let html = page(&out, "old.html");
    let value = "new.html&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;a href=&#39;";
    assert!(
        html.contains(&format!("content=\"0; URL={value}\">")),
        "{html}"
    );
    assert!(
        html.contains(&format!("<a href=\"{value}\">{value}</a>")),
        "{html}"
    );
    assert!(
        html.contains(r#"let redirectUrl = "new.html\"\u003e\u003cscript\u003ealert(1)\u003c/script\u003e\u003ca href='";"#),
        "{html}"
    );
    assert!(
        html.contains(r##"{"#a":"chapter_1.html#\u003c/script\u003e\u003cscript\u003ealert(2)\u003c/script\u003e"}"##),
        "{html}"
    );
    assert_eq!(html.matches("<script").count(), 1, "{html}");
    assert_eq!(html.matches("</script>").count(), 1, "{html}");
}

#[test]
fn a_target_that_is_no_web_address_is_refused() {
    let dir = book(concat!(
        "\"/one.html\" = \"javascript:alert(document.cookie)\"\n",
        "\"/two.html\" = \"  JavaScript:alert(1)\"\n",
        "\"/three.html\" = \"'javascript:alert(1)'\"\n",
        "\"/four.html\" = \"data:text/html,<script>alert(1)</script>\"\n",
        "\"/five.html\" = \"java\\tscript:alert(1)\"\n",
        "\"/six.html\" = \"chapter_1.html\"\n",
        "\"/six.html#a\" = \"vbscript:msgbox(1)\"\n",
        "\"/seven.html\" = \"https://example.com/moved\"\n",
    ));
    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!(code, 1, "{report:#}");
    let refused = messages(&report, "schema");
    assert_eq!(refused.len(), 6, "{refused:#?}");
    for (severity, message) in &refused {
        assert_eq!(severity, "error");
        assert!(message.contains("is not written"), "{message}");
    }
    assert!(
        refused
            .iter()
            .any(|(_, m)| m.contains("`/one.html`") && m.contains("`javascript:` address")),
        "{refused:#?}"
    );
    assert!(refused.iter().any(|(_, m)| m.contains("`/six.html#a`")));

    let (out, output) = built(&dir);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    for path in [
        "one.html",
        "two.html",
        "three.html",
        "four.html",
        "five.html",
    ] {
        assert!(!out.join(path).exists(), "{path} is written");
    }
    let six = page(&out, "six.html");
    assert!(
        six.contains("const fragmentMap =\n            {}\n"),
        "{six}"
    );
    assert!(!six.contains("script:"), "{six}");
    assert!(page(&out, "seven.html").contains("URL=https://example.com/moved\""));
}

#[test]
fn a_redirect_from_a_path_the_site_writes_is_refused() {
    let dir = book(concat!(
        // mdBook's `redirect_existing_page`.
        "\"/chapter_1.html\" = \"other-page.html\"\n",
        "\"/image.png\" = \"chapter_1.html\"\n",
        "\"/print.html\" = \"chapter_1.html\"\n",
        "\"/index.html\" = \"chapter_1.html\"\n",
        "\"/static/style.css\" = \"chapter_1.html\"\n",
        "\"/guide\" = \"chapter_1.html\"\n",
        "\"/chapter_2.html/old.html\" = \"chapter_1.html\"\n",
        "\"/image.png#x\" = \"chapter_1.html\"\n",
    ));
    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!(code, 1, "{report:#}");
    let refused: Vec<String> = messages(&report, "schema")
        .into_iter()
        .map(|(severity, message)| {
            assert_eq!(severity, "error");
            message
        })
        .collect();
    assert_eq!(refused.len(), 8, "{refused:#?}");
    assert!(
        refused.contains(&"the redirect from `/chapter_1.html` is not written: the site writes the page of `chapter_1.md` there".to_string()),
        "{refused:#?}"
    );
    for key in [
        "/image.png`",
        "/print.html`",
        "/index.html`",
        "/static/style.css`",
        "/guide`",
        "/chapter_2.html/old.html`",
        "/image.png#x`",
    ] {
        assert!(
            refused.iter().any(|m| m.contains(key)),
            "{key}: {refused:#?}"
        );
    }

    let (out, output) = built(&dir);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let chapter = page(&out, "chapter_1.html");
    assert!(
        chapter.contains("<h1") && !chapter.contains("Redirecting"),
        "{chapter}"
    );
    assert_eq!(page(&out, "image.png"), "png");
    assert!(page(&out, "guide/intro.html").contains("Intro"));
    assert!(!page(&out, "print.html").contains("Redirecting"));
}

#[test]
fn fragment_entries_alone_are_refused_as_in_mdbook() {
    // mdBook's `redirect_removed_with_fragments_only`.
    let dir = book("\"/old-file.html#foo\" = \"chapter_1.html\"\n");
    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(
        messages(&report, "schema"),
        [(
            "error".to_string(),
            "the redirect from `/old-file.html#foo` is not written: `/old-file.html` has only entries with `#` fragments, so a reader who comes without one has nowhere to go".to_string()
        )]
    );
    let (out, _) = built(&dir);
    assert!(!out.join("old-file.html").exists());
}

#[test]
fn a_target_in_the_site_that_is_no_page_is_a_link_warning() {
    let dir = book(concat!(
        "\"/a.html\" = \"missing.html\"\n",
        "\"/old/b.html\" = \"chapter_1.html\"\n",
        "\"/c.html\" = \"/docs/nowhere.html\"\n",
        "\"/d.html\" = \"/docs/guide/intro.html\"\n",
        "\"/e.html\" = \"/elsewhere/app\"\n",
        "\"/f.html\" = \"#top\"\n",
        "\"/g.html\" = \"a.html\"\n",
        "\"/h.html\" = \"https://example.com/missing.html\"\n",
        "\"/i.html\" = \"/chapter_2.md\"\n",
        "\"/chapter_1.html#old\" = \"#new\"\n",
    ));
    let toml = std::fs::read_to_string(dir.path().join("book.toml")).unwrap();
    write(
        dir.path(),
        "book.toml",
        &toml.replace(
            "[output.html.redirect]",
            "[output.html]\nsite-url = \"/docs/\"\n\n[output.html.redirect]",
        ),
    );
    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!(code, 0, "warnings only: {report:#}");
    let warned = messages(&report, "link");
    assert_eq!(
        warned,
        [
            ("warning".to_string(), "the redirect from `/a.html` leads to `missing.html`, which is no page or file of the site".to_string()),
            ("warning".to_string(), "the redirect from `/c.html` leads to `/docs/nowhere.html`, which is no page or file of the site".to_string()),
            ("warning".to_string(), "the redirect from `/f.html` leads back to itself (`#top`)".to_string()),
            ("warning".to_string(), "the redirect from `/old/b.html` leads to `chapter_1.html`, which is no page or file of the site".to_string()),
        ]
    );
    // A warning does not stop the page from being written.
    let (out, _) = built(&dir);
    assert!(page(&out, "old/b.html").contains("URL=chapter_1.html\""));
}
