//! `shipshape build`: the site it writes, through the binary.

mod common;

use common::*;

#[test]
fn the_bundled_handbook_builds_with_no_findings() {
    let root = env!("CARGO_MANIFEST_DIR");
    let out = tempfile::tempdir().unwrap();
    let output = build(root.as_ref(), out.path());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let home = page(out.path(), "index.html");
    assert!(
        home.contains("<nav class=\"sidebar\""),
        "home has a sidebar"
    );
    // No CDN, no web fonts: every stylesheet and script is a file of the site.
    for (path, bytes) in tree(out.path())
        .iter()
        .filter(|(path, _)| path.ends_with(".html"))
    {
        let html = String::from_utf8_lossy(bytes);
        for tag in html
            .split('<')
            .filter(|tag| tag.starts_with("link ") || tag.starts_with("script"))
        {
            assert!(
                !tag.contains("http:") && !tag.contains("https:") && !tag.contains("//"),
                "{path}: <{tag}"
            );
        }
    }
    let light = page(out.path(), "static/highlight-light.css");
    let dark = page(out.path(), "static/highlight-dark.css");
    assert!(light.contains(".hl-") && dark.contains(".hl-") && light != dark);
    assert!(out.path().join("static/style.css").is_file());
    let (code, report) = check_json(root.as_ref(), &[]);
    assert_eq!(code, 0);
    // In a shallow CI checkout, the one notice that git dates were not read.
    let findings: Vec<&serde_json::Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|finding| !(common::checkout_lacks_history() && common::is_git_notice(finding)))
        .collect();
    assert!(
        findings.is_empty(),
        "the bundled handbook has findings: {findings:#?}"
    );
}

#[test]
fn an_mdbook_book_builds_unchanged_with_every_chapter() {
    let book = fixture("mdbook");
    let out = book.path().join("book");
    let output = shipshape()
        .args(["build", "--today", TODAY])
        .arg(book.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    for chapter in [
        "index.html",
        "guide/installation.html",
        "guide/reading.html",
        "guide/nested/deep.html",
        "reference/includes.html",
        "misc/contributors.html",
        "images/logo.svg",
    ] {
        assert!(
            out.join(chapter).is_file(),
            "{chapter} is missing from the site"
        );
    }
    assert_no_findings(book.path(), &[]);

    let installation = page(&out, "guide/installation.html");
    assert!(
        installation.contains("href=\"reading.html#navigation\""),
        "md links point at pages"
    );
    let deep = page(&out, "guide/nested/deep.html");
    assert!(
        deep.contains("href=\"../../index.html\""),
        "README.md becomes index.html"
    );
}

#[test]
fn includes_take_whole_files_anchors_and_line_ranges() {
    let book = fixture("mdbook");
    let out = tempfile::tempdir().unwrap();
    assert_eq!(build(book.path(), out.path()).status.code(), Some(0));
    let html = page(out.path(), "reference/includes.html");
    let blocks: Vec<&str> = html
        .split("<pre class=\"code\" tabindex=\"0\">")
        .skip(1)
        .collect();
    assert_eq!(blocks.len(), 4, "{html}");
    assert!(
        blocks[0].contains("fn") && blocks[0].contains("ANCHOR"),
        "whole file keeps everything"
    );
    assert!(
        !blocks[1].contains("ANCHOR") && !blocks[1].contains("fn"),
        "anchor selects the body only"
    );
    assert!(blocks[1].contains("answer"));
    assert!(
        blocks[2].contains("ANCHOR")
            && blocks[2].contains("answer")
            && !blocks[2].contains("println")
    );
    assert!(
        html.contains("{{#include ../listings/none.rs}}"),
        "escaped include stays literal"
    );
    assert!(
        blocks[3].contains("<span class=\"boring\">") && blocks[3].contains("answer"),
        "rustdoc_include hides the lines outside the anchor: {}",
        blocks[3]
    );
}

#[test]
fn markdown_renders_anchors_admonitions_tables_and_highlighted_code() {
    let dir = handbook(&[
        ("book.toml", "[book]\ntitle = \"T\"\nsrc = \"content\"\n"),
        (
            "content/index.md",
            "# Home\n\n## Retry, with back-off!\n\n## Retry, with back-off!\n\n## Custom {#mine}\n\n> [!WARNING]\n> Careful.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```rust\nfn main() {}\n```\n\n```nosuchlang\n<b>x</b>\n```\n\n- [x] done\n\nText[^1] ~~gone~~.\n\n[^1]: A note.\n",
        ),
    ]);
    let out = tempfile::tempdir().unwrap();
    assert_eq!(build(dir.path(), out.path()).status.code(), Some(0));
    let html = page(out.path(), "index.html");
    for expected in [
        "<h2 id=\"retry-with-back-off\">",
        "<h2 id=\"retry-with-back-off-1\">",
        "<h2 id=\"mine\">",
        "<div class=\"admonition admonition-warning\" role=\"note\"><p class=\"admonition-title\">Warning</p>",
        "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-labelledby=",
        "<code class=\"language-rust\">",
        "hl-",
        "&lt;b&gt;x&lt;/b&gt;",
        "type=\"checkbox\"",
        "<del>gone</del>",
        "class=\"footnote-definition\"",
        "href=\"#retry-with-back-off-1\"",
    ] {
        assert!(html.contains(expected), "missing {expected:?} in:\n{html}");
    }
}

#[test]
fn strings_from_front_matter_are_escaped() {
    let dir = handbook(&[
        (
            "book.toml",
            "[book]\ntitle = \"<i>T</i>\"\nsrc = \"content\"\n",
        ),
        (
            "content/index.md",
            "---\ntitle: \"<script>alert(1)</script>\"\ndescription: \"\\\" onload=\\\"x\"\n---\nBody.\n",
        ),
    ]);
    let out = tempfile::tempdir().unwrap();
    assert_eq!(build(dir.path(), out.path()).status.code(), Some(0));
    let html = page(out.path(), "index.html");
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.contains("<i>T</i>"));
    assert!(!html.contains("\" onload=\"x"));
}

#[test]
fn the_sidebar_marks_the_current_page_and_pages_link_to_neighbours() {
    let book = fixture("mdbook");
    let out = tempfile::tempdir().unwrap();
    assert_eq!(build(book.path(), out.path()).status.code(), Some(0));
    let html = page(out.path(), "guide/reading.html");
    assert!(
        html.contains("<a href=\"reading.html\" aria-current=\"page\"><b>2.</b> Reading books</a>"),
        "{html}"
    );
    assert!(html.contains("<li class=\"nav-part\">User guide</li>"));
    assert!(html.contains("<span class=\"nav-draft\"><b>3.</b> Not written yet</span>"));
    assert!(html.contains("rel=\"prev\"") && html.contains("installation.html"));
    assert!(html.contains("rel=\"next\"") && html.contains("nested/deep.html"));
    let deep = page(out.path(), "guide/nested/deep.html");
    assert!(
        deep.contains("<nav class=\"breadcrumbs\"")
            && deep.contains("<a href=\"../reading.html\">Reading books</a>"),
        "a nested page has breadcrumbs up to its parent: {deep}"
    );
    // A branch off the current page's trail is shown closed.
    let intro = page(out.path(), "index.html");
    assert!(intro.contains("nav-item collapsed"), "{intro}");
    assert!(
        !intro.contains("nested/deep.html\">Nested"),
        "closed branches are not expanded"
    );
}

#[test]
fn without_summary_the_navigation_follows_folders() {
    let dir = handbook(&[
        ("book.toml", "[book]\ntitle = \"T\"\nsrc = \"docs\"\n"),
        ("docs/index.md", "# Home\n"),
        ("docs/b.md", "# Bee\n"),
        ("docs/a.md", "---\nweight: 5\n---\n# Ay\n"),
        ("docs/guide/index.md", "# Guide\n"),
        ("docs/guide/one.md", "# One\n"),
    ]);
    let out = tempfile::tempdir().unwrap();
    let output = build(dir.path(), out.path());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let html = page(out.path(), "guide/one.html");
    let order: Vec<usize> = ["Home", "Bee", "Guide", "One", "Ay"]
        .iter()
        .map(|title| {
            html.find(&format!(">{title}</a>"))
                .unwrap_or_else(|| panic!("{title} not in nav:\n{html}"))
        })
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "nav order {order:?}");
    assert_no_findings(dir.path(), &[]);
    assert!(
        !html.contains("Docs health"),
        "a book without [shipshape] keeps the health page to its writers"
    );
    assert!(out.path().join("health.html").is_file());

    // A handbook (it has a [shipshape] table) shows it in the top bar and the sidebar.
    write(
        dir.path(),
        "book.toml",
        "[book]\ntitle = \"T\"\nsrc = \"docs\"\n[shipshape]\n",
    );
    let output = build(dir.path(), out.path());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let html = page(out.path(), "guide/one.html");
    assert!(
        html.contains(">Docs health</a>") && html.contains("class=\"topbar-health"),
        "{html}"
    );
    // And either can say otherwise.
    write(
        dir.path(),
        "book.toml",
        "[book]\ntitle = \"T\"\nsrc = \"docs\"\n[shipshape]\nshow-health = false\n",
    );
    build(dir.path(), out.path());
    assert!(!page(out.path(), "guide/one.html").contains("topbar-health"));
}

#[test]
fn output_is_byte_identical_whatever_the_thread_count() {
    let book = fixture("mdbook");
    let one = tempfile::tempdir().unwrap();
    let two = tempfile::tempdir().unwrap();
    for (dir, threads) in [(&one, "1"), (&two, "4")] {
        let output = shipshape()
            .env("RAYON_NUM_THREADS", threads)
            .args(["build", "--today", TODAY])
            .arg(book.path())
            .arg("-d")
            .arg(dir.path().join("site"))
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0));
    }
    let first = tree(&one.path().join("site"));
    assert!(first.len() > 5);
    assert!(first == tree(&two.path().join("site")), "sites differ");
}

#[test]
fn a_build_that_cannot_run_leaves_the_previous_site_intact() {
    let book = fixture("mdbook");
    let out = book.path().join("site");
    assert_eq!(build(book.path(), &out).status.code(), Some(0));
    let before = tree(&out);

    write(book.path(), "book.toml", "[book\ntitle = \"broken\"\n");
    let output = build(book.path(), &out);
    assert_eq!(output.status.code(), Some(2));
    assert!(tree(&out) == before, "the previous site changed");
    let leftovers: Vec<_> = std::fs::read_dir(book.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".site."))
        .collect();
    assert!(
        leftovers.is_empty(),
        "staging folders left behind: {leftovers:?}"
    );
}

#[test]
fn error_findings_still_build_the_site_and_list_them_on_the_health_page() {
    let dir = handbook(&[
        ("book.toml", "[book]\nsrc = \"content\"\n"),
        ("content/index.md", "# Home\n\nSee [the guide](guide.md).\n"),
    ]);
    let out = tempfile::tempdir().unwrap();
    let output = build(dir.path(), out.path());
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(out.path().join("index.html").is_file());
    let health = page(out.path(), "health.html");
    assert!(
        health.contains("content/index.md") && health.contains("guide.md"),
        "{health}"
    );
    assert!(health.contains("badge-error"));
}

#[test]
fn the_output_folder_may_not_hold_the_handbook() {
    let book = fixture("mdbook");
    let before = tree(book.path());
    let output = shipshape()
        .args(["build", "-d", "."])
        .current_dir(book.path())
        .arg(".")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("refusing"), "{}", stderr(&output));
    assert!(tree(book.path()) == before);
}

#[test]
fn a_theme_folder_overrides_templates_file_by_file() {
    let book = fixture("mdbook");
    write(
        book.path(),
        "themes/default/templates/page.html",
        "{% extends \"base.html\" %}{% block main %}<div class=\"custom\">{{ content }}</div>{% endblock %}",
    );
    let out = tempfile::tempdir().unwrap();
    assert_eq!(build(book.path(), out.path()).status.code(), Some(0));
    let html = page(out.path(), "guide/reading.html");
    assert!(html.contains("<div class=\"custom\">"), "override used");
    assert!(
        html.contains("class=\"sidebar\""),
        "base.html still from the default theme"
    );

    write(
        book.path(),
        "book.toml",
        "[book]\ntitle = \"x\"\n[shipshape]\ntheme = \"missing\"\n",
    );
    let output = build(book.path(), out.path());
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("theme `missing`"));
}

#[test]
fn a_site_written_inside_the_content_folder_is_not_read_back() {
    let book = fixture("mdbook");
    let out = book.path().join("src/site");
    for _ in 0..2 {
        let output = build(book.path(), &out);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    }
    assert!(out.join("index.html").is_file());
    assert!(!out.join("site").exists(), "the site copied itself");
}

#[test]
fn symlinked_folders_in_the_content_are_followed() {
    let dir = handbook(&[
        ("book.toml", "[book]\nsrc = \"content\"\n"),
        (
            "content/index.md",
            "# Home\n\nSee [shared](shared/page.md#part).\n",
        ),
        ("elsewhere/page.md", "# Shared page\n\n## Part\n"),
    ]);
    std::os::unix::fs::symlink("../elsewhere", dir.path().join("content/shared")).unwrap();
    let out = tempfile::tempdir().unwrap();
    let output = build(dir.path(), out.path());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(page(out.path(), "shared/page.html").contains("Shared page"));
}

#[test]
fn odd_file_names_get_working_links() {
    let dir = handbook(&[
        ("book.toml", "[book]\nsrc = \"content\"\n"),
        (
            "content/index.md",
            "# Home\n\n## Café\n\n[here](#caf%C3%A9) and [c#](c%23.md)\n",
        ),
        ("content/c#.md", "# C sharp\n"),
    ]);
    let out = tempfile::tempdir().unwrap();
    let output = build(dir.path(), out.path());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let home = page(out.path(), "index.html");
    assert!(home.contains("href=\"c%23.html\">C sharp</a>"), "{home}");
}

#[test]
fn findings_name_a_content_folder_outside_the_root_as_configured() {
    let dir = handbook(&[
        ("book/book.toml", "[book]\nsrc = \"../docs\"\n"),
        ("docs/index.md", "# Home\n\n[x](missing.md)\n"),
    ]);
    // Outside the handbook root but inside its git work tree, so it may be read.
    git_init(dir.path());
    let (code, report) = check_json(&dir.path().join("book"), &[]);
    assert_eq!(code, 1);
    assert_eq!(report["findings"][0]["file"], "../docs/index.md");
}

#[test]
fn leftovers_of_a_killed_build_are_removed_but_a_running_builds_are_kept() {
    let book = fixture("mdbook");
    let dead = book.path().join(".site.staging-999999999");
    let running = book
        .path()
        .join(format!(".site.staging-{}", std::process::id()));
    std::fs::create_dir_all(&dead).unwrap();
    std::fs::create_dir_all(&running).unwrap();
    assert_eq!(
        build(book.path(), &book.path().join("site")).status.code(),
        Some(0)
    );
    assert!(!dead.exists(), "a dead build's staging folder stays");
    assert!(
        running.exists(),
        "a running build's staging folder was deleted"
    );
}

#[test]
fn summary_entries_without_a_title_use_the_page_title_and_a_repeat_is_current_once() {
    let dir = handbook(&[
        ("book.toml", "[book]\nsrc = \"content\"\n"),
        (
            "content/SUMMARY.md",
            "- [](index.md)\n- [Again](index.md)\n",
        ),
        ("content/index.md", "# Welcome home\n"),
    ]);
    let out = tempfile::tempdir().unwrap();
    assert_eq!(build(dir.path(), out.path()).status.code(), Some(0));
    let html = page(out.path(), "index.html");
    assert!(html.contains("</b> Welcome home</a>"), "{html}");
    assert_eq!(html.matches("aria-current=\"page\"").count(), 1, "{html}");
}

#[test]
fn rooted_links_to_pages_are_checked_and_made_relative() {
    let dir = handbook(&[
        ("book.toml", "[book]\nsrc = \"content\"\n"),
        ("content/index.md", "# Home\n"),
        (
            "content/guide/a.md",
            "# A\n\n[home](/index.md) [b](/guide/b.md#top) [app](/grafana/d/x)\n",
        ),
        ("content/guide/b.md", "# B\n\n## Top\n"),
    ]);
    let out = tempfile::tempdir().unwrap();
    let output = build(dir.path(), out.path());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let html = page(out.path(), "guide/a.html");
    for href in [
        "href=\"../index.html\"",
        "href=\"b.html#top\"",
        "href=\"/grafana/d/x\"",
    ] {
        assert!(html.contains(href), "{href} missing in {html}");
    }
    write(
        dir.path(),
        "content/guide/a.md",
        "# A\n\n[gone](/guide/gone.md)\n",
    );
    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(findings(&report)[0].0, "link");
}

#[test]
fn a_rooted_include_starts_at_the_handbook_root() {
    let dir = handbook(&[
        ("book.toml", "[book]\nsrc = \"content\"\n"),
        (
            "content/guide/index.md",
            "# Guide\n\n```toml\n{{#include /snippets/policy.toml}}\n```\n",
        ),
        ("snippets/policy.toml", "retries = 3\n"),
    ]);
    let out = tempfile::tempdir().unwrap();
    let output = build(dir.path(), out.path());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(page(out.path(), "guide/index.html").contains("retries"));
}

#[test]
fn a_folder_that_is_not_a_site_is_never_replaced() {
    let book = fixture("mdbook");
    let out = book.path().join("precious");
    write(&out, "notes.txt", "my notes\n");
    let output = build(book.path(), &out);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("refusing to replace"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        std::fs::read_to_string(out.join("notes.txt")).unwrap(),
        "my notes\n"
    );

    // A previous site (mdBook's or ours) carries .nojekyll and is replaced.
    write(&out, ".nojekyll", "");
    assert_eq!(build(book.path(), &out).status.code(), Some(0));
    assert!(!out.join("notes.txt").exists());
    assert!(out.join(".nojekyll").is_file());
}

#[test]
fn a_chapter_page_renders_as_expected() {
    let book = fixture("mdbook");
    let out = tempfile::tempdir().unwrap();
    assert_eq!(build(book.path(), out.path()).status.code(), Some(0));
    let html = page(out.path(), "guide/reading.html").replace(env!("CARGO_PKG_VERSION"), "VERSION");
    insta::assert_snapshot!("mdbook_reading_page", html);
}

#[test]
fn summary_paths_are_read_like_links() {
    let dir = handbook(&[
        ("book.toml", "[book]\nsrc = \"content\"\n"),
        (
            "content/SUMMARY.md",
            "- [Home](./index.md)\n- [A](guide/../guide/a.md#top)\n- [Spaced](my%20page.md)\n",
        ),
        ("content/index.md", "# Home\n"),
        ("content/guide/a.md", "# A\n"),
        ("content/my page.md", "# Spaced\n"),
    ]);
    assert_no_findings(dir.path(), &[]);
    let out = tempfile::tempdir().unwrap();
    assert_eq!(build(dir.path(), out.path()).status.code(), Some(0));
    let home = page(out.path(), "index.html");
    assert!(
        home.contains("href=\"guide/a.html\"><b>2.</b> A</a>")
            && home.contains("href=\"my%20page.html\"><b>3.</b> Spaced</a>"),
        "{home}"
    );
}

#[test]
fn the_sitemap_lists_every_page_at_its_public_address() {
    let dir = handbook(&[
        (
            "book.toml",
            "[book]\nsrc = \"content\"\n[shipshape]\nbase-url = \"https://docs.example.com/r&d\"\n",
        ),
        (
            "content/index.md",
            "# Home\n\n[Setup](guide/set up.md)\n\n{{#include parts/shared.md}}\n",
        ),
        (
            "content/parts/shared.md",
            "Included text, not a page of its own.\n",
        ),
        ("content/guide/README.md", "# Guide\n"),
        ("content/guide/set up.md", "# Set & go\n"),
    ]);
    let out = dir.path().join("site");
    let output = build(dir.path(), &out);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let sitemap = page(&out, "sitemap.xml");
    let locs: Vec<&str> = sitemap
        .split("<loc>")
        .skip(1)
        .map(|rest| rest.split("</loc>").next().unwrap())
        .collect();
    assert_eq!(
        locs,
        [
            "https://docs.example.com/r&amp;d/",
            "https://docs.example.com/r&amp;d/guide/",
            "https://docs.example.com/r&amp;d/guide/set%20up.html",
        ],
        "pages, folder indexes as folders, no 404 or health page, escaped:\n{sitemap}"
    );
    assert!(sitemap.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns="));
    assert!(
        page(&out, "guide/set up.html").contains(
            "<link rel=\"canonical\" href=\"https://docs.example.com/r&amp;d/guide/set%20up.html\">"
        ),
        "a full base-url gives pages a canonical address"
    );
}

#[test]
fn the_not_found_page_links_from_the_site_root_wherever_it_is_served() {
    let dir = handbook(&[
        (
            "book.toml",
            "[book]\nsrc = \"content\"\n[shipshape]\nbase-url = \"/handbook/\"\n",
        ),
        ("content/index.md", "# Home\n"),
        ("content/guide/deep.md", "# Deep\n"),
    ]);
    let out = dir.path().join("site");
    let output = build(dir.path(), &out);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let html = page(&out, "404.html");
    assert!(html.contains("<base href=\"/handbook/\">"), "{html}");
    assert!(html.contains("<h1 id=\"page-not-found\">Page not found</h1>"));
    assert!(
        html.contains("href=\"static/style.css\""),
        "root-relative assets"
    );
    assert!(html.contains("<a href=\"index.html\">Go to the start page</a>"));
    assert!(
        !page(&out, "index.html").contains("<base"),
        "only the 404 page"
    );
    assert!(
        !out.join("sitemap.xml").exists(),
        "no sitemap without a full base-url: its protocol wants absolute URLs"
    );
    assert!(
        !page(&out, "index.html").contains("404.html"),
        "no navigation lists the not-found page"
    );
}

#[test]
fn a_404_md_replaces_the_built_in_not_found_page_and_is_no_orphan() {
    let dir = handbook(&[
        ("book.toml", "[book]\nsrc = \"content\"\n"),
        ("content/index.md", "# Home\n"),
        (
            "content/404.md",
            "# Lost?\n\nTry the [home page](index.md).\n",
        ),
    ]);
    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!((code, findings(&report)), (0, vec![]));
    let out = dir.path().join("site");
    let output = build(dir.path(), &out);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let html = page(&out, "404.html");
    assert!(html.contains("<base href=\"/\">"), "{html}");
    assert!(html.contains("Lost?") && html.contains("href=\"index.html\""));
    assert!(!html.contains("Page not found"));
}

#[test]
fn pages_carry_the_theme_toggle_and_the_menu_button_without_a_flash() {
    let dir = fixture("mdbook");
    let out = dir.path().join("site");
    let output = build(dir.path(), &out);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let html = page(&out, "index.html");
    let head = html.split("</head>").next().unwrap();
    // The stored choice is applied in <head>, before anything is painted.
    assert!(
        head.contains("localStorage.getItem(key)") && head.contains("key = \"shipshape-theme\"")
    );
    assert!(head.contains("<script src=\"static/shipshape.js\" defer onerror="));
    assert!(html.contains("class=\"topbar-button theme-toggle\""));
    assert!(html.contains("aria-controls=\"sidebar\""));
    assert!(html.contains("<nav class=\"sidebar\" id=\"sidebar\""));
    let script = page(&out, "static/shipshape.js");
    assert!(script.contains("localStorage.setItem(theme.key, next)"));
}

#[test]
fn the_bundled_checklist_has_an_anchor_for_every_item_of_the_built_in_standard() {
    let root = env!("CARGO_MANIFEST_DIR");
    let out = tempfile::tempdir().unwrap();
    build(root.as_ref(), out.path());
    let checklist = page(out.path(), "guide/checklist.html");
    let ids = std::fs::read_to_string(fixture_path("standard-item-ids.txt")).unwrap();
    let ids: Vec<&str> = ids
        .lines()
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .collect();
    assert_eq!(ids.len(), 30);
    for id in ids {
        assert!(
            checklist.contains(&format!("<h3 id=\"{id}\">")),
            "guide/checklist.html has no heading with id `{id}`"
        );
    }
    // Every chapter of the guide is in the navigation, in the order the dimensions are taught.
    let home = page(out.path(), "index.html");
    let chapters = [
        "reliability",
        "performance",
        "deployment",
        "fault-tolerance",
        "observability",
        "security",
        "documentation",
        "checklist",
        "rollout",
        "pitfalls",
    ];
    let positions: Vec<usize> = chapters
        .iter()
        .map(|name| {
            home.find(&format!("href=\"guide/{name}.html\""))
                .unwrap_or_else(|| panic!("the sidebar lists guide/{name}.html"))
        })
        .collect();
    assert!(positions.is_sorted(), "sidebar order: {positions:?}");
}

#[test]
fn a_hand_written_404_html_is_copied_instead_of_the_built_in_page() {
    let mine = "<!doctype html><title>Lost</title><p>Try the search.</p>\n";
    let dir = handbook(&[
        ("book.toml", "[book]\nsrc = \"content\"\n"),
        ("content/index.md", "# Home\n"),
        ("content/404.html", mine),
    ]);
    let out = dir.path().join("site");
    let output = build(dir.path(), &out);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(page(&out, "404.html"), mine);
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let dir = handbook(&[
        ("book.toml", "[book]\nsrc = \"content\"\n"),
        (
            "content/SUMMARY.md",
            "- [Home](index.md)\n- [Plan](plan.md)\n",
        ),
        (
            "content/index.md",
            "# Home\n\nThe [plan](plan.md).\n\nAs a [page](plan.html).\n",
        ),
        ("content/plan.md", "---\ndraft: true\n---\n# Plan\n"),
    ]);
    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!(code, 0, "{report:#}");
    let found = findings(&report);
    assert_eq!(
        found,
        [
            (
                "link".into(),
                "warning".into(),
                "content/index.md".into(),
                Some(3),
                Some(5)
            ),
            (
                "link".into(),
                "warning".into(),
                "content/index.md".into(),
                Some(5),
                Some(6)
            )
        ],
        "a link to a draft is a warning; its SUMMARY entry is not a finding"
    );
    let out = dir.path().join("site");
    assert_eq!(build(dir.path(), &out).status.code(), Some(0));
    assert!(!out.join("plan.html").exists());
    let home = page(&out, "index.html");
    assert!(
        home.contains("<span class=\"nav-draft\"><b>2.</b> Plan</span>"),
        "the entry stays, unlinked: {home}"
    );

    let output = shipshape()
        .args(["build", "--drafts", "--today", TODAY])
        .arg(dir.path())
        .arg("-d")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(out.join("plan.html").is_file());
    assert!(!page(&out, "index.html").contains("nav-draft"));
    assert_no_findings(dir.path(), &["--drafts"]);
}

#[test]
fn excluded_files_are_left_out_entirely() {
    let dir = handbook(&[
        (
            "book.toml",
            "[book]\nsrc = \"content\"\n[shipshape]\nexclude = [\"**/_*.md\", \"scratch/**\"]\n",
        ),
        ("content/index.md", "# Home\n"),
        ("content/_partial.md", "# Partial [x](nowhere.md)\n"),
        ("content/guide/_notes.md", "# Notes\n"),
        ("content/scratch/todo.txt", "todo"),
        ("content/guide/keep.md", "# Keep\n"),
    ]);
    assert_no_findings(dir.path(), &[]);
    let out = dir.path().join("site");
    build(dir.path(), &out);
    let files: Vec<String> = tree(&out).into_keys().collect();
    assert!(files.contains(&"guide/keep.html".to_string()), "{files:?}");
    for gone in ["_partial.html", "guide/_notes.html", "scratch/todo.txt"] {
        assert!(!files.contains(&gone.to_string()), "{gone} in {files:?}");
    }
}

#[test]
fn an_invalid_exclude_glob_cannot_run() {
    let dir = handbook(&[
        (
            "book.toml",
            "[book]\nsrc = \"content\"\n[shipshape]\nexclude = [\"**/[_*.md\"]\n",
        ),
        ("content/index.md", "# Home\n"),
    ]);
    let output = shipshape().arg("check").arg(dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("book.toml:4:"),
        "{}",
        stderr(&output)
    );
    assert!(
        stderr(&output).contains("is not a glob"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_build_with_errors_says_how_many_and_where_they_are_listed() {
    let dir = handbook(&[
        ("book.toml", "[book]\nsrc = \"content\"\n"),
        ("content/index.md", "# Home\n\n[a](a.md) [b](b.md)\n"),
    ]);
    let out = dir.path().join("site");
    let output = build(dir.path(), &out);
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output);
    assert!(
        text.contains("2 errors and 0 warnings are listed on the docs-health page"),
        "{text}"
    );
    assert!(text.contains("site/health.html"), "{text}");
    assert!(text.contains("the build fails (exit 1)"), "{text}");
}
