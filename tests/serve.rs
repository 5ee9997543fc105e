//! `shipshape serve` end to end: the real server on a free port, files edited under
//! it, the reload event and the new content observed over HTTP, and the requests it
//! must refuse.

mod common;

use std::path::Path;

use common::secrets::Planted;
use common::serve::{Server, generation_of};
use common::{handbook, write};

const TAG: &str = "<script src=\"/__shipshape/live.js\"></script>";

fn small() -> tempfile::TempDir {
    handbook(&[
        (
            "book.toml",
            "[book]\ntitle = \"Preview\"\nsrc = \"content\"\n",
        ),
        (
            "content/index.md",
            "# Home\n\nSee the [guide](guide/intro.md).\n",
        ),
        (
            "content/guide/intro.md",
            "# Intro\n\nThe first words.\n\n## Setup\n\nInstall it.\n",
        ),
        (
            "content/guide/other.md",
            "# Other\n\nBack to [intro](intro.md#setup).\n",
        ),
    ])
}

#[test]
fn an_edit_is_served_after_the_reload_event() {
    let dir = small();
    let server = Server::start(dir.path(), &[]);
    let page = server.get("/guide/intro.html");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("The first words."));
    assert_eq!(page.text().matches(TAG).count(), 1, "one live tag");
    assert_eq!(page.header("cache-control"), Some("no-store"));

    let mut events = server.events(None);
    assert_eq!(events.status, 200);
    let first = events.next();
    let generation = generation_of(&first);

    write(
        dir.path(),
        "content/guide/intro.md",
        "# Intro\n\nWords written later.\n\n## Setup\n\nInstall it.\n",
    );
    let status = events.after(generation);
    let changed: Vec<&str> = status["changed"]
        .as_array()
        .expect("a body edit lists what changed")
        .iter()
        .map(|path| path.as_str().unwrap())
        .collect();
    assert!(changed.contains(&"guide/intro.html"), "{changed:?}");
    assert!(!changed.contains(&"guide/other.html"), "{changed:?}");
    let page = server.get("/guide/intro.html");
    assert!(
        page.text().contains("Words written later."),
        "{}",
        page.text()
    );
}

#[test]
fn files_outside_the_content_folder_are_watched_too() {
    // A monorepo: the handbook in docs/, an included snippet beside it, and service
    // checklists next to each service's code, found by a `[shipshape] services` glob.
    let dir = handbook(&[
        (
            "docs/book.toml",
            "[book]\ntitle = \"Mono\"\nsrc = \"content\"\n\
             [shipshape]\nservices = [\"../apps/*/service.yaml\"]\n",
        ),
        (
            "docs/content/index.md",
            "# Home\n\n{{#include ../../snippets/part.md}}\n",
        ),
        ("snippets/part.md", "Words from beside the handbook.\n"),
        (
            "apps/pay/service.yaml",
            "service: pay\ntitle: Payments\nowner: team-a\ntier: 3\n",
        ),
    ]);
    common::git_init(dir.path());
    let server = Server::start(&dir.path().join("docs"), &[]);
    let (mut events, mut generation) = server.watch();
    let home = server.get("/index.html").text();
    assert!(home.contains("Words from beside the handbook."), "{home}");
    assert!(server.get("/services/pay.html").text().contains("Payments"));

    write(dir.path(), "snippets/part.md", "Words changed beside it.\n");
    generation = generation_of(&events.after(generation));
    let home = server.get("/index.html").text();
    assert!(home.contains("Words changed beside it."), "{home}");

    write(
        dir.path(),
        "apps/pay/service.yaml",
        "service: pay\ntitle: Payments platform\nowner: team-a\ntier: 3\n",
    );
    generation = generation_of(&events.after(generation));
    let card = server.get("/services/pay.html").text();
    assert!(card.contains("Payments platform"), "{card}");

    // A new service's folder, below where the glob starts.
    write(
        dir.path(),
        "apps/ship/service.yaml",
        "service: ship\ntitle: Shipping\nowner: team-a\ntier: 3\n",
    );
    events.after(generation);
    let card = server.get("/services/ship.html");
    assert_eq!(card.status, 200);
    assert!(card.text().contains("Shipping"));
}

#[test]
fn errors_reach_the_overlay_and_go_when_fixed() {
    let dir = small();
    let server = Server::start(dir.path(), &[]);
    let (mut events, generation) = server.watch();

    write(
        dir.path(),
        "content/guide/other.md",
        "# Other\n\nBack to [intro](intro.md#no-such-part).\n",
    );
    let broken = events.after(generation);
    let errors = broken["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{broken:#}");
    assert_eq!(errors[0]["file"], "content/guide/other.md");
    assert_eq!(errors[0]["rule"], "link");
    assert_eq!(errors[0]["line"], 3);
    // The newest render is served even with findings, as `build` writes it.
    assert!(
        server
            .get("/guide/other.html")
            .text()
            .contains("no-such-part")
    );

    write(
        dir.path(),
        "content/guide/other.md",
        "# Other\n\nBack to [intro](intro.md#setup).\n",
    );
    let fixed = events.after(generation_of(&broken));
    assert_eq!(fixed["errors"].as_array().unwrap().len(), 0, "{fixed:#}");
}

#[test]
fn an_invalid_book_toml_keeps_the_last_good_site() {
    let dir = small();
    let server = Server::start(dir.path(), &[]);
    let (mut events, generation) = server.watch();

    write(
        dir.path(),
        "book.toml",
        "[book\ntitle = \"Preview\"\nsrc = \"content\"\n",
    );
    let failed = events.after(generation);
    assert!(
        failed["fatal"].as_str().unwrap().contains("book.toml"),
        "{failed:#}"
    );
    assert_eq!(generation_of(&failed), generation);
    let page = server.get("/guide/intro.html");
    assert_eq!(page.status, 200, "the last good render is still served");

    write(
        dir.path(),
        "book.toml",
        "[book]\ntitle = \"Preview again\"\nsrc = \"content\"\n",
    );
    let fixed = events.after(generation);
    assert!(fixed["fatal"].is_null(), "{fixed:#}");
    assert!(
        server
            .get("/guide/intro.html")
            .text()
            .contains("Preview again")
    );
}

#[test]
fn a_removed_page_says_so_and_links_home() {
    let dir = small();
    let server = Server::start(dir.path(), &[]);
    let (mut events, generation) = server.watch();
    std::fs::rename(
        dir.path().join("content/guide/other.md"),
        dir.path().join("content/guide/renamed.md"),
    )
    .unwrap();
    events.after(generation);
    let gone = server.get("/guide/other.html");
    assert_eq!(gone.status, 404);
    assert!(
        gone.text().contains("This page was removed"),
        "{}",
        gone.text()
    );
    assert!(gone.text().contains("href=\"/\""));
    assert_eq!(server.get("/guide/renamed.html").status, 200);
    let never = server.get("/guide/never-existed.html");
    assert_eq!(never.status, 404);
    assert!(!never.text().contains("This page was removed"));
}

#[test]
fn foreign_hosts_origins_methods_and_traversal_are_refused() {
    let dir = small();
    write(dir.path(), "secret.txt", "outside the site\n");
    let server = Server::start(dir.path(), &[]);
    let port = server.port;
    let own = format!("127.0.0.1:{port}");

    let rebinding = server.request("GET", "/", &[("Host", "attacker.example")]);
    assert_eq!(rebinding.status, 403);
    let rebinding = server.request("GET", "/", &[("Host", &format!("attacker.example:{port}"))]);
    assert_eq!(rebinding.status, 403);
    assert_eq!(
        server.request("GET", "/", &[]).status,
        403,
        "no Host at all"
    );
    for host in [
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
        own.clone(),
    ] {
        assert_eq!(
            server.request("GET", "/", &[("Host", &host)]).status,
            200,
            "{host}"
        );
    }

    for method in ["POST", "PUT", "DELETE", "OPTIONS", "PATCH"] {
        let response = server.request(method, "/", &[("Host", &own)]);
        assert_eq!(response.status, 405, "{method}");
        assert_eq!(response.header("allow"), Some("GET, HEAD"));
    }
    let head = server.request("HEAD", "/guide/intro.html", &[("Host", &own)]);
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());

    for path in [
        "/../secret.txt",
        "/../../etc/passwd",
        "/%2e%2e/secret.txt",
        "/guide/%2E%2E/%2E%2E/secret.txt",
        "/guide%2f..%2f..%2fsecret.txt",
        "/..%5csecret.txt",
        "/guide\\..\\..\\secret.txt",
        "//etc/passwd",
        "/book.toml",
        "/content/index.md",
    ] {
        let response = server.request("GET", path, &[("Host", &own)]);
        assert_ne!(response.status, 200, "{path}");
        let text = response.text();
        assert!(
            !text.contains("outside the site") && !text.contains("root:"),
            "{path}: {text}"
        );
    }

    assert_eq!(server.events(Some("http://attacker.example")).status, 403);
    assert_eq!(
        server
            .events(Some(&format!("http://attacker.example:{port}")))
            .status,
        403
    );
    assert_eq!(server.events(Some("null")).status, 403);
    assert_eq!(
        server
            .events(Some(&format!("http://localhost:{port}")))
            .status,
        200
    );
}

#[test]
fn a_taken_port_moves_to_the_next_free_one() {
    let dir = small();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin!("shipshape"))
        .args(["serve", "-p", &port.to_string()])
        .arg(dir.path())
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut guard = Killed(child);
    let stderr = guard.0.stderr.take().unwrap();
    let mut said = String::new();
    for line in std::io::BufRead::lines(std::io::BufReader::new(stderr)) {
        let line = line.unwrap();
        said.push_str(&line);
        said.push('\n');
        if line.contains("serving http://") {
            break;
        }
    }
    assert!(said.contains(&format!("port {port} is taken")), "{said}");
    drop(taken);
}

struct Killed(std::process::Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The served site with the live tag taken out, by path, from its file list.
fn served(server: &Server) -> std::collections::BTreeMap<String, Vec<u8>> {
    let list: Vec<String> =
        serde_json::from_slice(&server.get("/__shipshape/files.json").body).unwrap();
    list.into_iter()
        .map(|path| {
            let url = format!(
                "/{}",
                path.split('/').map(percent).collect::<Vec<_>>().join("/")
            );
            let response = server.get(&url);
            assert_eq!(response.status, 200, "{path}");
            let mut body = response.body;
            if path.ends_with(".html") {
                let text = String::from_utf8(body).unwrap();
                assert_eq!(text.matches(TAG).count(), 1, "{path}");
                body = text.replacen(TAG, "", 1).into_bytes();
            }
            (path, body)
        })
        .collect()
}

fn percent(segment: &str) -> String {
    segment
        .bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn clean_build(root: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let output = common::build(root, &site);
    assert!(
        output.status.code().unwrap() <= 1,
        "{}",
        common::stderr(&output)
    );
    common::tree(&site)
}

/// A small deterministic generator, so a failing sequence can be replayed by seed.
struct Steps(u64);

impl Steps {
    fn next(&mut self, below: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % below as u64) as usize
    }
}

#[test]
fn after_every_edit_the_served_site_is_a_clean_build() {
    let seed = std::env::var("SHIPSHAPE_SERVE_SEED")
        .ok()
        .and_then(|seed| seed.parse().ok())
        .unwrap_or(0x5eed_cafe_u64);
    let dir = small();
    // In a repository with `[policy] git = true`: pages show "Last updated", and commits
    // made during the sequence must reach the served site as they reach a build.
    let book = "[book]\ntitle = \"Preview\"\nsrc = \"content\"\n[policy]\ngit = true\n";
    write(dir.path(), "book.toml", book);
    write(
        dir.path(),
        "content/snippets/part.md",
        "Shared words from an include.\n",
    );
    write(
        dir.path(),
        "content/guide/uses-include.md",
        "# Includes\n\n{{#include ../snippets/part.md}}\n",
    );
    // Redaction depends on the page, what it includes and book.toml's allow-list: the
    // served site follows all three.
    let planted = Planted::new(7);
    write(
        dir.path(),
        "content/guide/leaky.md",
        &format!("# Leaky\n\nThe deploy key is `{}`.\n", planted.aws_id),
    );
    let mut allowed = false;
    write(dir.path(), ".gitignore", ".shipshape/\n");
    common::git(dir.path(), "2026-03-01", &["init", "--quiet"]);
    common::commit(dir.path(), "2026-03-01", "First pages");
    let server = Server::start(dir.path(), &[]);
    let (mut events, mut generation) = server.watch();
    assert_same(
        &served(&server),
        &clean_build(dir.path()),
        "before any edit",
    );

    let mut steps = Steps(seed);
    let mut pages = vec!["intro".to_string(), "other".to_string()];
    for step in 0..14 {
        let root = dir.path();
        // Steps 6 and 11 always commit, so that every seed sees commits.
        let choice = if step == 6 || step == 11 {
            5
        } else {
            steps.next(7)
        };
        let what = match choice {
            0 => {
                let page = &pages[steps.next(pages.len())];
                write(
                    root,
                    &format!("content/guide/{page}.md"),
                    &format!(
                        "# {page} at step {step}\n\nBody {step}.\n\n## Setup\n\nSee [home](../index.md).\n"
                    ),
                );
                format!("edit {page}")
            }
            1 => {
                let page = format!("new-{step}");
                write(
                    root,
                    &format!("content/guide/{page}.md"),
                    &format!("# New page {step}\n\nLinks to [intro](intro.md#setup).\n"),
                );
                pages.push(page.clone());
                format!("create {page}")
            }
            2 if pages.len() > 1 => {
                let page = pages.remove(steps.next(pages.len()));
                std::fs::remove_file(root.join(format!("content/guide/{page}.md"))).unwrap();
                format!("delete {page}")
            }
            3 => {
                let index = steps.next(pages.len());
                let renamed = format!("renamed-{step}");
                std::fs::rename(
                    root.join(format!("content/guide/{}.md", pages[index])),
                    root.join(format!("content/guide/{renamed}.md")),
                )
                .unwrap();
                let old = std::mem::replace(&mut pages[index], renamed.clone());
                format!("rename {old} → {renamed}")
            }
            4 => {
                let token = if step % 2 == 0 { &planted.github } else { "" };
                write(
                    root,
                    "content/snippets/part.md",
                    &format!("Included text, version {step} {token}.\n"),
                );
                "edit the include".to_string()
            }
            5 => {
                let day = format!("2026-04-{:02}", step + 1);
                let id = common::commit(root, &day, &format!("Step {step}"));
                format!("commit {id} on {day}")
            }
            _ => {
                allowed = step % 2 == 0;
                let allow = if allowed {
                    format!("\n[policy.secret]\nallow = [\"{}\"]\n", planted.aws_id)
                } else {
                    String::new()
                };
                write(
                    root,
                    "book.toml",
                    &format!(
                        "{}{allow}",
                        book.replace("Preview", &format!("Preview {step}"))
                    ),
                );
                "edit book.toml".to_string()
            }
        };
        let status = events.after(generation);
        generation = generation_of(&status);
        // A rename is two events; wait for the watcher to settle before comparing.
        std::thread::sleep(std::time::Duration::from_millis(300));
        while let Some(later) = events.try_after(generation) {
            generation = generation_of(&later);
        }
        let site = served(&server);
        let when = format!("seed {seed:#x}, step {step} ({what})");
        assert_same(&site, &clean_build(root), &when);
        // The search index is part of it, and follows the pages.
        let indexed: Vec<String> = site
            .iter()
            .filter(|(path, _)| path.starts_with("search/d/"))
            .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
            .collect();
        assert!(site.contains_key("search/manifest.js"), "{when}");
        for page in &pages {
            let url = format!("\"u\":\"guide/{page}.html\"");
            assert!(
                indexed.iter().any(|doc| doc.contains(&url)),
                "{when}: {page} is not in the search index"
            );
        }
        let leaky = String::from_utf8_lossy(&site["guide/leaky.html"]).into_owned();
        assert_eq!(leaky.contains(&planted.aws_id), allowed, "{when}: {leaky}");
        for (path, bytes) in &site {
            let text = String::from_utf8_lossy(bytes);
            assert!(
                !text.contains(&planted.github),
                "{when}: {path} holds the token"
            );
            assert!(
                allowed || !text.contains(&planted.aws_id[4..]),
                "{when}: {path} holds the key"
            );
        }
    }
    let home = String::from_utf8(served(&server)["index.html"].clone()).unwrap();
    assert!(
        home.contains("Last updated <time datetime=\"2026-"),
        "the home page shows its last commit's day"
    );
}

/// The two sites have the same files with the same bytes; a failure names the files
/// and the first line that differs.
fn assert_same(
    served: &std::collections::BTreeMap<String, Vec<u8>>,
    built: &std::collections::BTreeMap<String, Vec<u8>>,
    when: &str,
) {
    let served_paths: Vec<&String> = served.keys().collect();
    let built_paths: Vec<&String> = built.keys().collect();
    assert_eq!(served_paths, built_paths, "{when}: the file lists differ");
    for (path, bytes) in built {
        let mine = &served[path];
        if mine == bytes {
            continue;
        }
        let (a, b) = (
            String::from_utf8_lossy(mine),
            String::from_utf8_lossy(bytes),
        );
        let first = a
            .lines()
            .zip(b.lines())
            .find(|(x, y)| x != y)
            .map(|(x, y)| format!("served: {x}\nbuilt:  {y}"))
            .unwrap_or_else(|| "one is a prefix of the other".to_string());
        panic!("{when}: {path} differs from a clean build\n{first}");
    }
}
