//! Rebuilds with the build cache: whatever was edited, an incremental build writes the
//! same bytes as a clean build of the same files, and it renders only what changed.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use common::{TODAY, handbook, shipshape, write};

/// Every file of a site, by path, with its bytes.
fn site(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| {
            let path = entry.path().strip_prefix(dir).unwrap();
            (
                path.to_string_lossy().replace('\\', "/"),
                std::fs::read(entry.path()).unwrap(),
            )
        })
        .collect()
}

/// Builds `root` with its cache into `root/book`; returns the exit code and the JSON log.
fn build(root: &Path, extra: &[&str]) -> (i32, Vec<serde_json::Value>) {
    build_on(root, TODAY, extra)
}

/// `build`, judged on `today`.
fn build_on(root: &Path, today: &str, extra: &[&str]) -> (i32, Vec<serde_json::Value>) {
    let output = shipshape()
        .args(["build", "--today", today, "--log-format", "json"])
        .arg(root)
        .args(extra)
        .output()
        .unwrap();
    let log = String::from_utf8(output.stderr).unwrap();
    let lines = log
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|_| panic!("not JSON: {line}")))
        .collect();
    (output.status.code().unwrap(), lines)
}

/// The `render` stage line of a JSON log.
fn render_stage(log: &[serde_json::Value]) -> &serde_json::Value {
    log.iter()
        .find(|line| line["event"] == "stage" && line["stage"] == "render")
        .expect("a render stage")
}

/// The log's lines without the times, which are the only values that may differ.
fn timeless(log: &[serde_json::Value]) -> Vec<serde_json::Value> {
    log.iter()
        .map(|line| {
            let mut line = line.clone();
            line.as_object_mut().unwrap().remove("ms");
            line
        })
        .filter(|line| line["stage"] != "render")
        .collect()
}

/// A clean build of `root`'s files into `out`, with no cache at all.
fn clean_build(root: &Path, out: &Path) -> i32 {
    shipshape()
        .args(["build", "--no-cache", "--today", TODAY])
        .arg(root)
        .arg("-d")
        .arg(out)
        .output()
        .unwrap()
        .status
        .code()
        .unwrap()
}

/// A small pseudo-random generator (xorshift64*), so the sequence is the same every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn page_text(title: &str, n: u64, link: &str) -> String {
    format!(
        "# {title}\n\nBody text {n}, see [the other page]({link}).\n\n## Details {}\n\n```rust\nfn f() -> u64 {{ {n} }}\n```\n\n{{{{#include ../snippets/shared.md}}}}\n",
        n % 3
    )
}

const SERVICE: &str = "service: payments\ntitle: Payments\nowner: team-payments\ntier: 3\nlast_reviewed: 2026-11-01\nchecks:\n  reliability.timeouts:\n    status: STATUS\n";

fn summary(pages: &[String]) -> String {
    let mut text = String::from("# Summary\n\n[Home](index.md)\n\n");
    for page in pages {
        text.push_str(&format!("- [{page}](guide/{page}.md)\n"));
    }
    text
}

#[test]
fn every_incremental_build_matches_a_clean_build_after_random_edits() {
    let mut pages: Vec<String> = (0..6).map(|n| format!("p{n}")).collect();
    let mut files: Vec<(String, String)> = vec![
        (
            "book.toml".into(),
            "[book]\ntitle = \"Rebuilds\"\nsrc = \"content\"\n[shipshape]\n".into(),
        ),
        ("content/index.md".into(), "# Home\n\nWelcome.\n".into()),
        ("content/SUMMARY.md".into(), summary(&pages)),
        (
            "content/snippets/shared.md".into(),
            "Shared text 0.\n".into(),
        ),
        (
            "content/services/payments.yaml".into(),
            SERVICE.replace("STATUS", "done"),
        ),
    ];
    for (n, page) in pages.iter().enumerate() {
        files.push((
            format!("content/guide/{page}.md"),
            page_text(&format!("Page {n}"), n as u64, "p0.md#details-0"),
        ));
    }
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(path, text)| (path.as_str(), text.as_str()))
        .collect();
    let dir = handbook(&files);
    let root = dir.path();
    let clean = tempfile::tempdir().unwrap();
    let mut rng = Rng(0x5eed_1234_abcd_0042);
    let mut counter = 100;
    for step in 0..40 {
        counter += 1;
        let what = rng.below(11);
        let pick = rng.below(pages.len());
        let page = pages[pick].clone();
        let done = match what {
            0 | 1 => {
                // A body edit.
                let link = format!("{}.md", pages[rng.below(pages.len())]);
                write(
                    root,
                    &format!("content/guide/{page}.md"),
                    &page_text(&format!("Page {pick}"), counter, &link),
                );
                format!("body of {page}")
            }
            2 => {
                write(
                    root,
                    &format!("content/guide/{page}.md"),
                    &page_text(&format!("Retitled {counter}"), counter, "p0.md"),
                );
                format!("title of {page}")
            }
            3 => {
                let new = format!("n{counter}");
                write(
                    root,
                    &format!("content/guide/{new}.md"),
                    &page_text(&format!("New {counter}"), counter, "p0.md#details-1"),
                );
                if rng.below(2) == 0 {
                    pages.push(new.clone());
                    write(root, "content/SUMMARY.md", &summary(&pages));
                    format!("create {new} in the summary")
                } else {
                    std::fs::remove_file(root.join(format!("content/guide/{new}.md"))).ok();
                    write(
                        root,
                        &format!("content/{new}.md"),
                        &format!("# Orphan {counter}\n"),
                    );
                    format!("create orphan {new}")
                }
            }
            4 if pages.len() > 2 => {
                pages.remove(pick);
                std::fs::remove_file(root.join(format!("content/guide/{page}.md"))).unwrap();
                if rng.below(2) == 0 {
                    write(root, "content/SUMMARY.md", &summary(&pages));
                }
                format!("delete {page}")
            }
            5 => {
                let new = format!("r{counter}");
                std::fs::rename(
                    root.join(format!("content/guide/{page}.md")),
                    root.join(format!("content/guide/{new}.md")),
                )
                .unwrap();
                pages[pick] = new.clone();
                write(root, "content/SUMMARY.md", &summary(&pages));
                format!("rename {page} to {new}")
            }
            6 => {
                write(
                    root,
                    "content/snippets/shared.md",
                    &format!("Shared text {counter}.\n\n```yaml\nkey: {counter}\n```\n"),
                );
                "the include".into()
            }
            7 => {
                let len = pages.len();
                pages.swap(pick, (pick + 1) % len);
                write(root, "content/SUMMARY.md", &summary(&pages));
                "summary order".into()
            }
            8 => {
                let status = ["done", "todo", "partial"][rng.below(3)];
                write(
                    root,
                    "content/services/payments.yaml",
                    &SERVICE.replace("STATUS", status),
                );
                format!("service status {status}")
            }
            9 => {
                let extra = if rng.below(2) == 0 {
                    "[output.html]\nno-section-label = true\n"
                } else {
                    ""
                };
                write(
                    root,
                    "book.toml",
                    &format!(
                        "[book]\ntitle = \"Rebuilds {counter}\"\nsrc = \"content\"\n[shipshape]\n{extra}"
                    ),
                );
                "book.toml".into()
            }
            _ => {
                if rng.below(3) == 0 {
                    let _ = std::fs::remove_dir_all(root.join("themes"));
                    "theme override removed".into()
                } else {
                    write(
                        root,
                        "themes/default/templates/toc.html",
                        &format!("<nav class=\"toc\">override {counter}</nav>\n"),
                    );
                    "theme override".into()
                }
            }
        };
        let (code, log) = build(root, &[]);
        let out = clean.path().join(format!("clean-{step}"));
        let clean_code = clean_build(root, &out);
        assert_eq!(code, clean_code, "step {step} ({done}): exit codes differ");
        let incremental = site(&root.join("book"));
        let fresh = site(&out);
        let names = |site: &BTreeMap<String, Vec<u8>>| site.keys().cloned().collect::<Vec<_>>();
        assert_eq!(
            names(&incremental),
            names(&fresh),
            "step {step} ({done}): the file lists differ"
        );
        for (path, bytes) in &fresh {
            assert!(
                incremental[path] == *bytes,
                "step {step} ({done}): {path} differs from a clean build's\n{}",
                serde_json::to_string(render_stage(&log)).unwrap()
            );
        }
        // Now and then nothing changes: the next build must see that too.
        if rng.below(4) == 0 {
            std::thread::sleep(Duration::from_millis(60));
            build(root, &[]);
            let (_, log) = build(root, &[]);
            assert_eq!(
                render_stage(&log)["unchanged"],
                true,
                "step {step} ({done})"
            );
            assert!(
                site(&root.join("book")) == fresh,
                "step {step}: no-op changed the site"
            );
        }
        std::fs::remove_dir_all(&out).unwrap();
    }
}

/// A book of `n` chapters in one part, each with a code block.
fn chapters(n: usize) -> tempfile::TempDir {
    let mut files = vec![
        (
            "book.toml".to_string(),
            "[book]\ntitle = \"T\"\nsrc = \"content\"\n[shipshape]\n".to_string(),
        ),
        ("content/index.md".into(), "# Home\n".into()),
    ];
    let mut summary = String::from("# Summary\n\n[Home](index.md)\n\n- [Guide](guide/README.md)\n");
    files.push(("content/guide/README.md".into(), "# Guide\n".into()));
    for i in 0..n {
        summary.push_str(&format!("    - [Chapter {i}](guide/c{i}.md)\n"));
        files.push((
            format!("content/guide/c{i}.md"),
            format!("# Chapter {i}\n\nText {i}.\n\n## Part {i}\n\n```python\nprint({i})\n```\n"),
        ));
    }
    files.push(("content/SUMMARY.md".into(), summary));
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    handbook(&refs)
}

/// The HTML files whose bytes differ between two sites (print.html aside).
fn changed_pages(before: &BTreeMap<String, Vec<u8>>, after: &BTreeMap<String, Vec<u8>>) -> usize {
    after
        .iter()
        .filter(|(path, bytes)| {
            path.ends_with(".html") && *path != "print.html" && before.get(*path) != Some(bytes)
        })
        .count()
}

/// The files of the search index whose bytes differ between two sites, or that are new.
fn changed_index(
    before: &BTreeMap<String, Vec<u8>>,
    after: &BTreeMap<String, Vec<u8>>,
) -> Vec<String> {
    after
        .iter()
        .filter(|(path, bytes)| path.starts_with("search/") && before.get(*path) != Some(bytes))
        .map(|(path, _)| path.clone())
        .collect()
}

#[test]
fn a_body_edit_renders_that_page_alone_and_a_title_edit_the_pages_that_show_it() {
    let dir = chapters(12);
    let root = dir.path();
    assert_eq!(build(root, &[]).0, 0);
    let before = site(&root.join("book"));

    write(
        root,
        "content/guide/c5.md",
        "# Chapter 5\n\nOther text.\n\n## Part 5\n\n```python\nprint(55)\n```\n",
    );
    let (_, log) = build(root, &[]);
    let render = render_stage(&log);
    let after = site(&root.join("book"));
    // Of the search index, the page's document and the shards of the words it gained
    // or lost ("other", "text"'s score) are made again, nothing else.
    let index = changed_index(&before, &after);
    assert!(
        index.len() <= 4 && index.iter().any(|path| path.starts_with("search/d/")),
        "{index:?}"
    );
    assert_eq!(render["rendered"], 1 + index.len(), "{render}");
    assert_eq!(render["chapters"], 1, "{render}");
    assert_eq!(render["blocks_highlighted"], 1, "{render}");
    assert_eq!(changed_pages(&before, &after), 1);
    assert_ne!(before["print.html"], after["print.html"]);

    // The title shows on its own page, in the sidebars that list it and on its
    // neighbours' previous/next links: exactly the pages whose bytes change.
    write(
        root,
        "content/guide/c5.md",
        "# Chapter Five\n\nOther text.\n\n## Part 5\n\n```python\nprint(55)\n```\n",
    );
    let (_, log) = build(root, &[]);
    let render = render_stage(&log);
    let again = site(&root.join("book"));
    let changed = changed_pages(&after, &again);
    let index = changed_index(&after, &again);
    assert_eq!(render["rendered"], changed + index.len(), "{render}");
    assert!(changed > 1 && changed < 16, "{changed} pages changed");
    assert!(render["linked"].as_u64().unwrap() > 0, "{render}");
}

#[test]
fn a_build_with_nothing_changed_reports_what_the_last_one_did() {
    let dir = handbook(&[
        ("book.toml", "[book]\nsrc = \"content\"\n[shipshape]\n"),
        ("content/index.md", "# Home\n\nSee [missing](nowhere.md).\n"),
    ]);
    let root = dir.path();
    std::thread::sleep(Duration::from_millis(60));
    let (first_code, first) = build(root, &[]);
    assert_eq!(first_code, 1);
    let (_, _) = build(root, &[]);
    let (code, log) = build(root, &[]);
    assert_eq!(code, 1);
    assert_eq!(render_stage(&log)["unchanged"], true);
    assert_eq!(timeless(&log), timeless(&first));
    // The text report is the same too.
    let text = |root: &Path| {
        let output = shipshape()
            .args(["build", "--today", TODAY])
            .arg(root)
            .output()
            .unwrap();
        let stderr = String::from_utf8(output.stderr).unwrap();
        stderr
            .lines()
            .filter(|line| !line.starts_with("shipshape: built"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let unchanged = text(root);
    assert!(unchanged.contains("nowhere.md"), "{unchanged}");
    let fresh = shipshape()
        .args(["build", "--no-cache", "--today", TODAY])
        .arg(root)
        .output()
        .unwrap();
    let fresh = String::from_utf8(fresh.stderr).unwrap();
    let fresh: Vec<&str> = fresh
        .lines()
        .filter(|line| !line.starts_with("shipshape: built"))
        .collect();
    assert_eq!(unchanged, fresh.join("\n"));

    // Another day, or a site edited by hand, is a change.
    let (_, log) = build_on(root, "2026-11-28", &[]);
    assert_eq!(render_stage(&log).get("unchanged"), None);
    std::thread::sleep(Duration::from_millis(60));
    build(root, &[]);
    std::fs::write(root.join("book/index.html"), "edited").unwrap();
    let (_, log) = build(root, &[]);
    assert_eq!(render_stage(&log).get("unchanged"), None);
    assert_ne!(
        std::fs::read(root.join("book/index.html")).unwrap(),
        b"edited"
    );
}

#[test]
fn cold_warm_and_damaged_highlight_caches_give_the_same_bytes() {
    let dir = chapters(8);
    let root = dir.path();
    let cache = root.join("my-cache");
    let out = tempfile::tempdir().unwrap();
    let clean = out.path().join("clean");
    assert_eq!(clean_build(root, &clean), 0);
    let reference = site(&clean);
    let with_cache = |name: &str| {
        let dest = out.path().join(name);
        let (code, log) = build(
            root,
            &[
                "-d",
                dest.to_str().unwrap(),
                "--cache-dir",
                cache.to_str().unwrap(),
            ],
        );
        assert_eq!(code, 0);
        assert!(
            site(&dest) == reference,
            "{name}: the site differs from a clean build's"
        );
        render_stage(&log).clone()
    };
    let cold = with_cache("cold");
    assert_eq!(cold["blocks_cached"], 0, "{cold}");
    let warm = with_cache("warm");
    assert_eq!(warm["blocks_highlighted"], 0, "{warm}");
    assert!(warm["blocks_cached"].as_u64().unwrap() >= 8, "{warm}");

    let blocks = cache.join("highlight.bin");
    let mut bytes = std::fs::read(&blocks).unwrap();
    // A flipped byte in the middle of an entry's HTML, then a torn tail.
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x20;
    std::fs::write(&blocks, &bytes).unwrap();
    let flipped = with_cache("flipped");
    assert!(
        flipped["blocks_highlighted"].as_u64().unwrap() >= 1,
        "{flipped}"
    );
    let bytes = std::fs::read(&blocks).unwrap();
    std::fs::write(&blocks, &bytes[..bytes.len() - 5]).unwrap();
    with_cache("torn");
    std::fs::write(&blocks, "garbage").unwrap();
    with_cache("garbage");
    std::fs::write(
        cache.join("manifest.txt"),
        "shipshape manifest 1\nsite /\nfile x",
    )
    .unwrap();
    std::fs::write(cache.join("inputs.json"), "{").unwrap();
    with_cache("garbage-manifest");
    with_cache("after");
}

#[test]
fn the_cache_folder_is_where_book_toml_or_the_command_line_says() {
    let dir = handbook(&[
        ("book.toml", "[book]\nsrc = \"content\"\n"),
        ("content/index.md", "# Home\n"),
    ]);
    let root = dir.path();
    assert_eq!(build(root, &[]).0, 0);
    let default = root.join(".shipshape/cache");
    assert!(default.join("manifest.txt").is_file());
    assert!(
        std::fs::read_to_string(default.join(".gitignore"))
            .unwrap()
            .contains('*')
    );
    // Never part of the site.
    assert!(
        !site(&root.join("book"))
            .keys()
            .any(|path| path.contains("shipshape/"))
    );

    let other = handbook(&[
        (
            "book.toml",
            "[book]\nsrc = \"content\"\n[shipshape]\ncache = false\n",
        ),
        ("content/index.md", "# Home\n"),
    ]);
    assert_eq!(build(other.path(), &[]).0, 0);
    assert!(!other.path().join(".shipshape").exists());
    assert_eq!(build(other.path(), &["--no-cache"]).0, 0);
    assert!(!other.path().join(".shipshape").exists());

    let outside = tempfile::tempdir().unwrap();
    write(
        root,
        "book.toml",
        &format!(
            "[book]\nsrc = \"content\"\n[shipshape]\ncache-dir = \"{}\"\n",
            outside.path().join("c").display()
        ),
    );
    let output = shipshape().arg("build").arg(root).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--cache-dir"), "{stderr}");
    assert!(!outside.path().join("c").exists());
    // The command line may put it anywhere.
    write(root, "book.toml", "[book]\nsrc = \"content\"\n");
    let elsewhere = outside.path().join("ci-cache");
    assert_eq!(
        build(root, &["--cache-dir", elsewhere.to_str().unwrap()]).0,
        0
    );
    assert!(elsewhere.join("highlight.bin").exists() || elsewhere.join("manifest.txt").exists());

    // Inside the content folder it would be read as content.
    write(
        root,
        "book.toml",
        "[book]\nsrc = \"content\"\n[shipshape]\ncache-dir = \"content/cache\"\n",
    );
    let output = shipshape().arg("build").arg(root).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("content folder"));
    // And a misspelt key is an error, with a "did you mean".
    write(
        root,
        "book.toml",
        "[book]\nsrc = \"content\"\n[shipshape]\ncache-dri = \"x\"\n",
    );
    let output = shipshape().arg("build").arg(root).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("cache-dir"));
}

#[test]
fn two_builds_at_once_both_write_a_whole_site() {
    let dir = chapters(30);
    let root = dir.path();
    assert_eq!(build(root, &[]).0, 0);
    write(root, "content/guide/c3.md", "# Chapter 3\n\nEdited.\n");
    let spawn = || {
        std::process::Command::new(assert_cmd::cargo::cargo_bin("shipshape"))
            .args(["build", "--today", TODAY])
            .arg(root)
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    let (mut a, mut b) = (spawn(), spawn());
    assert!(a.wait().unwrap().success());
    assert!(b.wait().unwrap().success());
    let out = tempfile::tempdir().unwrap();
    assert_eq!(clean_build(root, &out.path().join("clean")), 0);
    assert!(site(&root.join("book")) == site(&out.path().join("clean")));
    // And the cache they leave behind still builds what a clean build does.
    write(root, "content/guide/c4.md", "# Chapter 4\n\nEdited too.\n");
    build(root, &[]);
    assert_eq!(clean_build(root, &out.path().join("again")), 0);
    assert!(site(&root.join("book")) == site(&out.path().join("again")));
}
