//! Nothing outside the repository is read: handbooks are built from untrusted pull
//! requests, so an include, a symbolic link or the content folder that leads outside the
//! git work tree (else the handbook root) is refused, and its target never published.
#![cfg(unix)]

mod common;

use std::os::unix::fs::symlink;
use std::path::Path;

use common::*;

const BOOK: &str = "[book]\ntitle = \"T\"\nsrc = \"content\"\n";
/// What the files outside the handbook hold; it must never reach the site or a report.
const SECRET: &str = "TOKEN-OUTSIDE-THE-HANDBOOK";

/// `outer/` holds a secret file and folder; the handbook is `outer/hb/`.
fn layout() -> tempfile::TempDir {
    handbook(&[
        ("secret.txt", SECRET),
        ("secrets/key.md", SECRET),
        ("hb/book.toml", BOOK),
        ("hb/content/index.md", "# Home\n"),
    ])
}

/// Builds `hb` and checks it; returns the findings and asserts that no output holds the secret.
fn build_and_check(hb: &Path) -> Vec<serde_json::Value> {
    let (_, report) = check_json(hb, &[]);
    let out = hb.join("site");
    let output = build(hb, &out);
    assert_ne!(output.status.code(), Some(2), "{}", stderr(&output));
    for (path, bytes) in tree(&out) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains(SECRET),
            "{path} publishes the secret"
        );
    }
    let human = shipshape().arg("check").arg(hb).output().unwrap();
    assert!(!String::from_utf8_lossy(&human.stdout).contains(SECRET));
    assert!(!report.to_string().contains(SECRET));
    report["findings"].as_array().unwrap().clone()
}

fn only(findings: &[serde_json::Value], rule: &str, file: &str) -> serde_json::Value {
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let finding = findings[0].clone();
    assert_eq!(
        (finding["rule"].as_str(), finding["severity"].as_str()),
        (Some(rule), Some("error"))
    );
    assert_eq!(finding["file"], file);
    assert!(
        finding["help"].as_str().unwrap().contains("read-outside"),
        "{finding}"
    );
    finding
}

#[test]
fn a_relative_include_out_of_the_handbook_is_refused() {
    let outer = layout();
    let hb = outer.path().join("hb");
    write(
        &hb,
        "content/index.md",
        "# Home\n\n{{#include ../../secret.txt}}\n",
    );
    let found = build_and_check(&hb);
    let finding = only(&found, "include", "content/index.md");
    assert_eq!(finding["line"], 3);
    assert!(
        finding["message"].as_str().unwrap().contains("outside"),
        "{finding}"
    );
    // Deep `../` climbs reach /etc the same way.
    write(
        &hb,
        "content/index.md",
        "# Home\n\n{{#include ../../../../../../../../etc/passwd}}\n",
    );
    let found = build_and_check(&hb);
    only(&found, "include", "content/index.md");
}

#[test]
fn a_symlinked_file_pointing_outside_is_not_copied() {
    let outer = layout();
    let hb = outer.path().join("hb");
    symlink(outer.path().join("secret.txt"), hb.join("content/leak.txt")).unwrap();
    symlink(outer.path().join("secret.txt"), hb.join("content/leak.md")).unwrap();
    let found = build_and_check(&hb);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(!hb.join("site/leak.txt").exists());
    assert!(!hb.join("site/leak.html").exists());
}

#[test]
fn a_symlinked_folder_pointing_outside_is_not_walked() {
    let outer = layout();
    let hb = outer.path().join("hb");
    symlink(outer.path().join("secrets"), hb.join("content/etc")).unwrap();
    let found = build_and_check(&hb);
    let finding = only(&found, "link", "content/etc");
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .contains("symbolic link"),
        "{finding}"
    );
    assert!(!hb.join("site/etc").exists());
}

#[test]
fn an_include_through_a_symlink_is_refused() {
    let outer = layout();
    let hb = outer.path().join("hb");
    // The link sits outside the content folder, so only the include reaches it.
    symlink(outer.path().join("secrets"), hb.join("snippets")).unwrap();
    write(
        &hb,
        "content/index.md",
        "# Home\n\n{{#include /snippets/key.md}}\n",
    );
    let found = build_and_check(&hb);
    only(&found, "include", "content/index.md");
}

#[test]
fn a_content_folder_outside_the_repository_or_above_the_root_cannot_run() {
    let outer = layout();
    let hb = outer.path().join("hb");
    for (src, says) in [("../secrets", "outside"), ("..", "holds the handbook root")] {
        write(&hb, "book.toml", &format!("[book]\nsrc = \"{src}\"\n"));
        let out = hb.join("site");
        let output = build(&hb, &out);
        assert_eq!(output.status.code(), Some(2), "{src}: {}", stderr(&output));
        assert!(stderr(&output).contains(says), "{src}: {}", stderr(&output));
        assert!(!out.exists(), "exit 2 writes nothing");
    }
}

#[test]
fn the_git_work_tree_and_read_outside_open_chosen_places() {
    let outer = layout();
    let hb = outer.path().join("hb");
    write(outer.path(), "shared/note.md", "Shared words.\n");
    write(
        &hb,
        "content/index.md",
        "# Home\n\n{{#include ../../shared/note.md}}\n",
    );
    let (code, report) = check_json(&hb, &[]);
    assert_eq!(
        code, 1,
        "outside the handbook and no repository: refused {report:#}"
    );

    write(
        &hb,
        "book.toml",
        &format!("{BOOK}[shipshape]\nread-outside = [\"../shared\"]\n"),
    );
    assert_no_findings(&hb, &[]);
    let out = hb.join("site");
    build(&hb, &out);
    assert!(page(&out, "index.html").contains("Shared words."));

    // Inside the repository that holds the handbook, a monorepo's shared folder is fine.
    write(&hb, "book.toml", BOOK);
    git_init(outer.path());
    assert_no_findings(&hb, &[]);
}

#[test]
fn a_theme_outside_the_repository_is_refused() {
    let outer = layout();
    let hb = outer.path().join("hb");
    write(outer.path(), "evil/static/x.css", SECRET);
    write(&hb, "themes/mine/static/extra.css", "");
    write(
        &hb,
        "book.toml",
        &format!("{BOOK}[shipshape]\ntheme = \"../../evil\"\n"),
    );
    let out = hb.join("site");
    let output = build(&hb, &out);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("outside"), "{}", stderr(&output));
}

#[test]
fn nothing_in_git_is_read_even_inside_the_work_tree() {
    let outer = layout();
    git_init(outer.path());
    let config = outer.path().join(".git/config");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("{text}\n# {SECRET}\n")).unwrap();
    let hb = outer.path().join("hb");
    write(
        &hb,
        "content/index.md",
        "# Home\n\n{{#include ../../.git/config}}\n",
    );
    let found = build_and_check(&hb);
    only(&found, "include", "content/index.md");
    write(&hb, "content/index.md", "# Home\n");
    symlink(outer.path().join(".git"), hb.join("content/g")).unwrap();
    let found = build_and_check(&hb);
    only(&found, "link", "content/g");
}

#[test]
fn a_book_toml_that_links_outside_is_not_read() {
    let outer = layout();
    let hb = outer.path().join("hb");
    write(
        outer.path(),
        "creds",
        &format!("https://user:{SECRET}@example.com\n"),
    );
    std::fs::remove_file(hb.join("book.toml")).unwrap();
    symlink(outer.path().join("creds"), hb.join("book.toml")).unwrap();
    let output = shipshape().arg("check").arg(&hb).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(!stderr(&output).contains(SECRET), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("leads outside"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn read_outside_cannot_open_the_repository_s_parents() {
    let outer = layout();
    let hb = outer.path().join("hb");
    for entry in ["/", "..", "../.."] {
        write(
            &hb,
            "book.toml",
            &format!("{BOOK}[shipshape]\nread-outside = [\"{entry}\"]\n"),
        );
        let output = shipshape().arg("check").arg(&hb).output().unwrap();
        assert_eq!(
            output.status.code(),
            Some(2),
            "{entry}: {}",
            stderr(&output)
        );
        assert!(
            stderr(&output).contains("read-outside"),
            "{}",
            stderr(&output)
        );
    }
}

#[test]
fn build_dir_from_book_toml_stays_inside_but_the_command_line_may_choose() {
    let outer = layout();
    let hb = outer.path().join("hb");
    write(
        &hb,
        "book.toml",
        &format!("{BOOK}[build]\nbuild-dir = \"../../elsewhere\"\n"),
    );
    let output = shipshape().arg("build").arg(&hb).output().unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("-d"), "{}", stderr(&output));
    let chosen = tempfile::tempdir().unwrap();
    let output = build(&hb, &chosen.path().join("site"));
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

#[test]
fn a_theme_may_link_inside_the_repository_but_not_out() {
    let outer = layout();
    let hb = outer.path().join("hb");
    git_init(outer.path());
    write(outer.path(), "shared/static/extra.css", "/* shared */");
    write(
        &hb,
        "book.toml",
        &format!("{BOOK}[shipshape]\ntheme = \"corp\"\n"),
    );
    std::fs::create_dir_all(hb.join("themes/corp")).unwrap();
    symlink(
        outer.path().join("shared/static"),
        hb.join("themes/corp/static"),
    )
    .unwrap();
    let out = hb.join("site");
    let output = build(&hb, &out);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(page(&out, "static/extra.css"), "/* shared */");

    let elsewhere = tempfile::tempdir().unwrap();
    write(elsewhere.path(), "x.css", SECRET);
    symlink(
        elsewhere.path().join("x.css"),
        hb.join("themes/corp/leak.css"),
    )
    .unwrap();
    let output = build(&hb, &out);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
}

#[test]
fn includes_climbing_from_a_relative_root_resolve_from_where_they_are() {
    let repo = handbook(&[
        ("snippets/x.rs", "fn shared() {}\n"),
        ("docs/hb/book.toml", BOOK),
        (
            "docs/hb/content/index.md",
            "# Home\n\n```rust\n{{#include ../../../snippets/x.rs}}\n```\n",
        ),
        // A decoy where a wrong `../..` would land.
        ("docs/hb/content/snippets/x.rs", "fn decoy() {}\n"),
    ]);
    git_init(repo.path());
    let hb = repo.path().join("docs/hb");
    let output = shipshape()
        .args(["build", "-d", "site", "--today", TODAY])
        .current_dir(&hb)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let home = page(&hb.join("site"), "index.html");
    assert!(home.contains("shared"), "{home}");
    assert!(!home.contains("decoy"), "{home}");
}

/// The findings of `check` on `hb`, as (rule, message) pairs.
fn messages(hb: &Path) -> Vec<(String, String)> {
    let (_, report) = check_json(hb, &[]);
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().into(),
                f["message"].as_str().unwrap().into(),
            )
        })
        .collect()
}

#[test]
fn whether_an_outside_file_exists_is_never_told() {
    let outer = layout();
    let hb = outer.path().join("hb");
    let outside = outer.path().join("secret.txt");
    let missing = outer.path().join("no-such-file.txt");
    // Links in the content folder, straight and through a chain.
    let named = |hb: &Path, name: &str| -> Vec<(String, String)> {
        messages(hb)
            .into_iter()
            .map(|(rule, message)| (rule, message.replace(name, "NAME")))
            .collect()
    };
    symlink(&outside, hb.join("content/fa")).unwrap();
    let with = named(&hb, "secret.txt");
    std::fs::remove_file(hb.join("content/fa")).unwrap();
    symlink(&missing, hb.join("content/fa")).unwrap();
    let without = named(&hb, "no-such-file.txt");
    assert_eq!(
        with, without,
        "a dangling link outside reads as any link outside"
    );
    std::fs::remove_file(hb.join("content/fa")).unwrap();

    for target in [&outside, &missing] {
        let _ = std::fs::remove_file(hb.join("hop"));
        symlink(target, hb.join("hop")).unwrap();
        write(&hb, "content/index.md", "# Home\n\n{{#include ../hop}}\n");
        let found = messages(&hb);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].1.contains("leads outside"), "{found:?}");
    }
    // Includes straight out, of a file that exists and one that does not.
    let include = |name: &str| {
        write(
            &hb,
            "content/index.md",
            &format!("# Home\n\n{{{{#include ../../{name}}}}}\n"),
        );
        messages(&hb)
            .into_iter()
            .map(|(rule, message)| (rule, message.replace(name, "NAME")))
            .collect::<Vec<_>>()
    };
    assert_eq!(include("secret.txt"), include("no-such-file.txt"));
}

#[test]
fn parent_steps_after_a_link_follow_the_link_as_the_system_does() {
    let repo = handbook(&[
        ("book.toml", BOOK),
        ("snippets/common.rs", "fn real() {}\n"),
        ("content/common.rs", "fn decoy() {}\n"),
        (
            "content/index.md",
            "# Home\n\n```rust\n{{#include shared/../common.rs}}\n```\n",
        ),
    ]);
    std::fs::create_dir_all(repo.path().join("snippets/rust")).unwrap();
    symlink("../snippets/rust", repo.path().join("content/shared")).unwrap();
    let out = repo.path().join("site");
    let output = build(repo.path(), &out);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let home = page(&out, "index.html");
    assert!(home.contains("real") && !home.contains("decoy"), "{home}");
}

#[test]
fn git_stays_closed_through_read_outside_and_book_toml() {
    let outer = layout();
    git_init(outer.path());
    let hb = outer.path().join("hb");
    write(
        &hb,
        "book.toml",
        &format!("{BOOK}[shipshape]\nread-outside = [\"../.git\"]\n"),
    );
    let output = shipshape().arg("check").arg(&hb).output().unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains(".git"), "{}", stderr(&output));

    std::fs::remove_file(hb.join("book.toml")).unwrap();
    symlink("../.git/config", hb.join("book.toml")).unwrap();
    let output = shipshape().arg("check").arg(&hb).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        !stderr(&output).contains("repositoryformatversion"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn build_dir_through_a_link_and_up_is_refused_but_check_does_not_mind() {
    let outer = layout();
    let hb = outer.path().join("hb");
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(elsewhere.path().join("deep")).unwrap();
    symlink(elsewhere.path().join("deep"), hb.join("a")).unwrap();
    write(
        &hb,
        "book.toml",
        &format!("{BOOK}[build]\nbuild-dir = \"a/../site\"\n"),
    );
    let output = shipshape().arg("build").arg(&hb).output().unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(!elsewhere.path().join("site").exists());
    // check writes nothing, so an outside build-dir (as mdBook books often have) is fine.
    write(
        &hb,
        "book.toml",
        &format!("{BOOK}[build]\nbuild-dir = \"../../target/book\"\n"),
    );
    assert_no_findings(&hb, &[]);
}

#[test]
fn a_theme_that_cannot_load_fails_check_too_and_keeps_book_toml_warnings() {
    let dir = handbook(&[
        (
            "book.toml",
            &format!("{BOOK}languag = \"en\"\n[shipshape]\ntheme = \"nope\"\n"),
        ),
        ("content/index.md", "# Home\n"),
    ]);
    for command in ["check", "build"] {
        let output = shipshape().arg(command).arg(dir.path()).output().unwrap();
        assert_eq!(
            output.status.code(),
            Some(2),
            "{command}: {}",
            stderr(&output)
        );
        let text = stderr(&output);
        assert!(text.contains("theme `nope`"), "{command}: {text}");
        assert!(
            text.contains("did you mean `language`?"),
            "{command}: {text}"
        );
    }
}
