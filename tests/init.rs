//! `shipshape init`: a handbook that builds and passes check, and never overwrites.

mod common;

use common::*;

#[test]
fn init_scaffolds_a_handbook_that_passes_check_and_builds() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("payments-team");
    let output = shipshape().arg("init").arg(&root).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));

    let toml = std::fs::read_to_string(root.join("book.toml")).unwrap();
    assert!(toml.contains("src = \"content\""), "{toml}");
    assert!(
        toml.contains("title = \"Payments team handbook\""),
        "{toml}"
    );

    assert_no_findings(&root, &[]);

    let output = shipshape().arg("build").arg(&root).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let home = page(&root.join("book"), "index.html");
    assert!(home.contains("Payments team handbook"));
    assert!(
        root.join("book/adr/0001-record-architecture-decisions.html")
            .is_file()
    );
}

#[test]
fn init_never_overwrites_an_existing_handbook() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "book.toml", "[book]\ntitle = \"Mine\"\n");
    let before = tree(dir.path());
    let output = shipshape().arg("init").arg(dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("would be overwritten"),
        "{}",
        stderr(&output)
    );
    assert!(tree(dir.path()) == before, "init changed files");
}

#[test]
fn init_titles_the_book_from_its_folder_without_saying_handbook_twice() {
    let dir = tempfile::tempdir().unwrap();
    let output = shipshape()
        .args(["init", "my-handbook"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let toml = std::fs::read_to_string(dir.path().join("my-handbook/book.toml")).unwrap();
    assert!(toml.contains("title = \"My handbook\""), "{toml}");
    let hint = stderr(&output);
    assert!(
        hint.contains("next: shipshape build my-handbook\n"),
        "{hint}"
    );
    assert!(!hint.contains("&& open"), "no macOS-only command: {hint}");
    assert!(hint.contains("my-handbook/book/index.html"), "{hint}");
}

#[test]
fn init_quotes_a_folder_with_spaces_in_its_hint() {
    let dir = tempfile::tempdir().unwrap();
    let output = shipshape()
        .args(["init", "team docs"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let hint = stderr(&output);
    assert!(
        hint.contains("next: shipshape build 'team docs'\n"),
        "{hint}"
    );
    let toml = std::fs::read_to_string(dir.path().join("team docs/book.toml")).unwrap();
    assert!(toml.contains("title = \"Team docs\""), "{toml}");
}

#[test]
fn init_keeps_markdown_in_a_folder_name_literal() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ops [beta](x) <b>");
    let output = shipshape().arg("init").arg(&root).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_no_findings(&root, &[]);
    let out = dir.path().join("site");
    build(&root, &out);
    let home = page(&out, "index.html");
    assert!(home.contains("Ops [beta](x) &lt;b&gt; handbook"), "{home}");
}
