//! The offline search index under `search/`: the files a build writes, byte-identical on a
//! rebuild, none with `[output.html.search] enable = false`; services, ADRs and runbooks
//! found by id, title, owner, status and alert, read back from the index as `search.js`
//! reads it; redacted credentials stay redacted; hostile titles stay data; page chrome is
//! not indexed; `search/` is reserved.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::secrets::Planted;
use common::{build, fixture_path, handbook, stderr, tree};

/// The arguments of a registration call: `shipshapeSearch.NAME(ARGS);` as a JSON array.
fn arguments(script: &[u8], name: &str) -> Vec<serde_json::Value> {
    let text = std::str::from_utf8(script).expect("UTF-8");
    let call = format!("shipshapeSearch.{name}(");
    let args = text
        .strip_prefix(&call)
        .and_then(|rest| rest.strip_suffix(");\n"))
        .unwrap_or_else(|| panic!("not a {name} call: {text}"));
    serde_json::from_str::<Vec<serde_json::Value>>(&format!("[{args}]"))
        .unwrap_or_else(|err| panic!("{err}: {text}"))
}

/// The site's index, queried the way `search.js` queries it.
struct Index {
    files: BTreeMap<String, Vec<u8>>,
}

impl Index {
    fn of(site: &Path) -> Index {
        let files = tree(site)
            .into_iter()
            .filter(|(path, _)| path.starts_with("search/"))
            .collect();
        Index { files }
    }

    fn shard_keys(&self) -> Vec<String> {
        let manifest = &arguments(&self.files["search/manifest.js"], "manifest")[0];
        manifest["shards"]
            .as_array()
            .unwrap()
            .iter()
            .map(|key| key.as_str().unwrap().to_string())
            .collect()
    }

    /// Every term of the shard `key` with its postings as (document, score).
    fn shard(&self, key: &str) -> BTreeMap<String, Vec<(u64, u64)>> {
        let name = if key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        {
            key.to_string()
        } else {
            format!(
                "_{}",
                key.bytes().map(|b| format!("{b:02x}")).collect::<String>()
            )
        };
        let Some(script) = self.files.get(&format!("search/t/{name}.js")) else {
            return BTreeMap::new();
        };
        let args = arguments(script, "terms");
        assert_eq!(args[0], key);
        args[1]
            .as_object()
            .unwrap()
            .iter()
            .map(|(term, postings)| {
                let numbers: Vec<u64> = postings
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|n| n.as_u64().unwrap())
                    .collect();
                let mut doc = 0;
                let postings = numbers
                    .chunks(2)
                    .map(|pair| {
                        doc += pair[0];
                        (doc, pair[1])
                    })
                    .collect();
                (term.clone(), postings)
            })
            .collect()
    }

    fn doc(&self, number: u64) -> serde_json::Value {
        let args = arguments(&self.files[&format!("search/d/{number}.js")], "doc");
        assert_eq!(args[0], number);
        args[1].clone()
    }

    /// The urls of the results of `query`, best first: documents with more of its words
    /// first, then by score (a term the word only starts counts 0.8), then page order.
    fn search(&self, query: &str) -> Vec<String> {
        let lower = query.to_lowercase();
        let words: Vec<&str> = lower
            .split(|c: char| !c.is_alphanumeric())
            .filter(|word| word.chars().count() >= 2)
            .collect();
        let mut found: BTreeMap<u64, (usize, f64)> = BTreeMap::new();
        for word in &words {
            let key: String = word.chars().take(2).collect();
            let mut best: BTreeMap<u64, f64> = BTreeMap::new();
            for (term, postings) in self.shard(&key) {
                if !term.starts_with(word) {
                    continue;
                }
                let weight = if term == *word { 1.0 } else { 0.8 };
                for (doc, score) in postings {
                    let score = score as f64 * weight;
                    let entry = best.entry(doc).or_insert(0.0);
                    *entry = entry.max(score);
                }
            }
            for (doc, score) in best {
                let entry = found.entry(doc).or_insert((0, 0.0));
                entry.0 += 1;
                entry.1 += score;
            }
        }
        let mut ranked: Vec<(u64, (usize, f64))> = found.into_iter().collect();
        ranked.sort_by(|a, b| {
            b.1.0
                .cmp(&a.1.0)
                .then(b.1.1.total_cmp(&a.1.1))
                .then(a.0.cmp(&b.0))
        });
        ranked
            .into_iter()
            .map(|(doc, _)| self.doc(doc)["u"].as_str().unwrap().to_string())
            .collect()
    }

    fn first(&self, query: &str) -> String {
        self.search(query)
            .into_iter()
            .next()
            .unwrap_or_else(|| format!("(nothing for {query})"))
    }
}

fn built(root: &Path) -> (tempfile::TempDir, Index) {
    let out = tempfile::tempdir().unwrap();
    let output = build(root, out.path());
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{}",
        stderr(&output)
    );
    let index = Index::of(out.path());
    (out, index)
}

#[test]
fn a_build_writes_the_client_the_manifest_shards_and_documents_identically_each_time() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (first, index) = built(root);
    assert!(first.path().join("static/search.js").is_file());
    // The client reads the format the manifest says.
    let client = std::fs::read_to_string(first.path().join("static/search.js")).unwrap();
    let manifest = &arguments(&index.files["search/manifest.js"], "manifest")[0];
    assert!(
        client.contains(&format!("var VERSION = {};", manifest["v"])),
        "{manifest}"
    );
    let keys = index.shard_keys();
    assert!(keys.len() > 50, "{keys:?}");
    for key in &keys {
        assert!(
            !index.shard(key).is_empty(),
            "shard {key} is listed and written"
        );
    }
    let docs = index
        .files
        .keys()
        .filter(|path| path.starts_with("search/d/"));
    assert!(docs.count() > 40);
    let page = std::fs::read_to_string(first.path().join("guide/rules/adr.html")).unwrap();
    assert!(page.contains(r#"<script src="../../static/search.js" defer></script>"#));
    assert!(page.contains(r#"aria-label="Search the handbook""#));
    // The not-found page loads it from the site root, through its <base>.
    let missing = std::fs::read_to_string(first.path().join("404.html")).unwrap();
    assert!(missing.contains(r#"<script src="static/search.js" defer></script>"#));

    let second = tempfile::tempdir().unwrap();
    let output = common::shipshape()
        .args(["build", "--no-cache", "--today", common::TODAY])
        .arg(root)
        .arg("-d")
        .arg(second.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let again = Index::of(second.path());
    assert!(index.files == again.files, "the index differs on a rebuild");
}

#[test]
fn search_enable_false_writes_no_box_and_no_index() {
    let dir = handbook(&[
        (
            "book.toml",
            "[book]\ntitle = \"Quiet\"\nsrc = \"content\"\n\n[output.html.search]\nenable = false\n",
        ),
        ("content/index.md", "# Home\n\nWords to find.\n"),
    ]);
    let out = tempfile::tempdir().unwrap();
    let output = build(dir.path(), out.path());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let files = tree(out.path());
    assert!(files.keys().all(|path| !path.starts_with("search/")));
    assert!(!files.contains_key("static/search.js"));
    let home = String::from_utf8(files["index.html"].clone()).unwrap();
    assert!(!home.contains("search"), "{home}");
}

#[test]
fn services_adrs_and_runbooks_are_found_by_id_title_owner_status_and_alert() {
    let (_site, index) = built(Path::new(env!("CARGO_MANIFEST_DIR")));
    // Services, from the model's data (their report cards are generated).
    assert_eq!(
        index.first("settlement-batch"),
        "services/settlement-batch.html"
    );
    assert_eq!(
        index.first("Nightly settlement"),
        "services/settlement-batch.html"
    );
    let owned = index.search("team-payments");
    for url in ["services/payments.html", "services/settlement-batch.html"] {
        assert!(owned[..4].contains(&url.to_string()), "{url} in {owned:?}");
    }
    assert_eq!(index.first("gold"), "services/payments.html");
    // An alert: its runbook first, the service that raises it among the results.
    let alert = index.search("PaymentsHighP99Latency");
    assert_eq!(alert[0], "runbooks/example-high-latency.html");
    assert!(
        alert.contains(&"services/payments.html".to_string()),
        "{alert:?}"
    );
    // A prefix of it, from the second letter on.
    assert_eq!(
        index.first("paymentshigh"),
        "runbooks/example-high-latency.html"
    );
    // ADRs by number and title words.
    assert_eq!(
        index.first("0009"),
        "adr/0009-mimalloc-global-allocator.html"
    );
    assert_eq!(
        index.first("mimalloc allocator"),
        "adr/0009-mimalloc-global-allocator.html"
    );
    // Runbooks by title and owner.
    assert_eq!(
        index.first("backlog growing"),
        "runbooks/notification-backlog-growing.html"
    );
    assert!(
        index.search("team-messaging")[..3]
            .contains(&"runbooks/notification-backlog-growing.html".to_string())
    );

    // An ADR's status.
    let (_site, records) = built(&fixture_path("records-good"));
    // ADR 0001 (adr-tools' status line) and ADR 0003 (front matter) are superseded.
    let superseded = records.search("superseded");
    assert_eq!(
        superseded[..2],
        [
            "adr/0001-record-architecture-decisions.html",
            "adr/0003-retry-with-backoff.html"
        ]
    );
    let held = std::fs::read_dir(fixture_path("records-good").join("content/adr"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|path| {
            std::fs::read_to_string(path)
                .unwrap()
                .contains("status: on hold")
        })
        .unwrap();
    let held = format!("adr/{}.html", held.file_stem().unwrap().to_string_lossy());
    assert_eq!(records.first("on hold"), held);
}

#[test]
fn title_and_heading_matches_rank_above_body_matches() {
    let dir = handbook(&[
        (
            "book.toml",
            "[book]\ntitle = \"Ranks\"\nsrc = \"content\"\n",
        ),
        (
            "content/index.md",
            "# Home\n\nThe zeppelin is mentioned here, zeppelin zeppelin zeppelin.\n",
        ),
        ("content/b.md", "# Other\n\n## Zeppelin checks\n\nText.\n"),
        ("content/c.md", "# Zeppelin\n\nText.\n"),
    ]);
    let (_site, index) = built(dir.path());
    assert_eq!(index.search("zeppelin"), ["c.html", "b.html", "index.html"]);
    assert_eq!(index.search("ze"), ["c.html", "b.html", "index.html"]);
}

#[test]
fn a_redacted_credential_stays_redacted_in_the_index() {
    let planted = Planted::new(7);
    let page = format!(
        "# Rotating keys\n\nThe deploy token is {} and the access key {}.\n\n## Vault {}\n\nUse the vault.\n",
        planted.github, planted.aws_id, planted.stripe
    );
    let dir = handbook(&[
        ("book.toml", "[book]\ntitle = \"Keys\"\nsrc = \"content\"\n"),
        ("content/index.md", "# Home\n"),
        ("content/keys.md", &page),
    ]);
    let (_site, index) = built(dir.path());
    assert!(!index.files.is_empty());
    for (path, bytes) in &index.files {
        if let Some(secret) = planted.leaked_in(bytes) {
            panic!("{path} holds the planted `{secret}`");
        }
    }
    // The page is still found by its words, and shows the redaction.
    assert_eq!(index.first("rotating deploy"), "keys.html");
    let number = (0..).find(|n| index.doc(*n)["u"] == "keys.html").unwrap();
    let doc = index.doc(number).to_string();
    assert!(doc.contains("xxxxREDACTED"), "{doc}");
}

#[test]
fn hostile_titles_and_headings_stay_data() {
    let hostile = "</script><img src=x onerror=alert(1)> \"quoted\" & 'single'";
    let dir = handbook(&[
        (
            "book.toml",
            "[book]\ntitle = \"Hostile\"\nsrc = \"content\"\n",
        ),
        ("content/index.md", "# Home\n"),
        (
            "content/evil.md",
            &format!(
                "---\ntitle: '{}'\n---\n# Evil\n\n## Heading <b>bold</b> \\u2028 line\n\nBody `</script>` text.\n",
                hostile.replace('\'', "''")
            ),
        ),
    ]);
    let (_site, index) = built(dir.path());
    let number = (0..).find(|n| index.doc(*n)["u"] == "evil.html").unwrap();
    let doc = index.doc(number);
    assert_eq!(doc["t"], hostile);
    let script = &index.files[&format!("search/d/{number}.js")];
    assert!(
        !script.contains(&b'<'),
        "{}",
        String::from_utf8_lossy(script)
    );
    assert_eq!(index.first("onerror"), "evil.html");
    for (path, bytes) in &index.files {
        let text = std::str::from_utf8(bytes).unwrap();
        assert!(!text.contains("</script"), "{path}");
    }
}

#[test]
fn page_chrome_is_not_indexed() {
    let dir = handbook(&[
        (
            "book.toml",
            "[book]\ntitle = \"Quokkaland\"\nsrc = \"content\"\n",
        ),
        ("content/index.md", "# Home\n\nA page about ferries.\n"),
        ("content/guide/wombat.md", "# Wombats\n\nBurrows.\n"),
    ]);
    let (_site, index) = built(dir.path());
    // The site title is only in the top bar; "Wombats" is in every page's sidebar but
    // only its own page's text.
    assert!(index.search("quokkaland").is_empty());
    assert_eq!(index.search("wombats"), ["guide/wombat.html"]);
    assert!(index.search("built").is_empty(), "the footer");
}

#[test]
fn a_page_under_search_is_refused() {
    let dir = handbook(&[
        (
            "book.toml",
            "[book]\ntitle = \"Reserved\"\nsrc = \"content\"\n",
        ),
        ("content/index.md", "# Home\n"),
        ("content/search/manifest.md", "# Mine\n"),
    ]);
    let (site, _index) = built(dir.path());
    assert!(!site.path().join("search/manifest.html").exists());
    let (_, report) = common::check_json(dir.path(), &[]);
    let messages = common::messages(&report);
    assert!(
        messages
            .iter()
            .any(|m| m.contains("search/manifest.html") && m.contains("search index")),
        "{messages:?}"
    );
}
