//! The `secret` rule: credentials planted at test time (tests/common/secrets.rs), found
//! at their line and column in pages, data files and copied files, and never repeated:
//! every report format, the logs, the built site and the build cache are searched for
//! them. Placeholders, ids, hashes and prose are not findings; the allow-list and the
//! suppressions work as documented.

mod common;

use std::path::Path;

use common::secrets::Planted;
use common::{TODAY, check_json, copy_tree, fixture_path, handbook, shipshape, stderr, write};

const BOOK_TOML: &str = "[book]\nsrc = \"content\"\n";

/// The 1-based line and column (in characters) where `needle` first starts in `text`.
fn position(text: &str, needle: &str) -> (u64, u64) {
    let offset = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not in {text}"));
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |index| index + 1);
    (
        before.matches('\n').count() as u64 + 1,
        before[line_start..].chars().count() as u64 + 1,
    )
}

/// (file, line, column) of each `secret` finding, in report order.
fn secret_places(report: &serde_json::Value) -> Vec<(String, u64, u64)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|finding| finding["rule"] == "secret")
        .map(|finding| {
            (
                finding["file"].as_str().unwrap().to_string(),
                finding["line"].as_u64().unwrap(),
                finding["column"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// A page with every planted credential: front matter, prose, a heading, a link,
/// code blocks highlighted by tree-sitter, by syntect and by neither, an include, and
/// one line a directive suppresses.
fn leaky_page(planted: &Planted) -> String {
    format!(
        "---\ntitle: \"Rotating {aws}\"\ndescription: \"the deploy token {github}\"\n---\n\
# Keys\n\n\
Paste `{github}` and go.\n\n\
## Token {jwt}\n\n\
Connect to [the database](postgres://deploy:{password}@db.internal:5432/app).\n\n\
```bash\n\
export AWS_ACCESS_KEY_ID={aws}\n\
export AWS_SECRET_ACCESS_KEY={aws_key}\n\
curl -H \"Authorization: Bearer {jwt}\" https://api.internal/\n\
```\n\n\
```ruby\n\
client = Stripe::Client.new({stripe})\n\
```\n\n\
```\n\
API_KEY={api_key}\n\
{private_key}\n\
```\n\n\
{{{{#include ../snippets/deploy.env}}}}\n\n\
<!-- shipshape-disable-next-line secret -- revoked in March, kept to show the format -->\n\
The old one was {gitlab}.\n",
        aws = planted.aws_id,
        aws_key = planted.aws_key,
        github = planted.github,
        gitlab = planted.gitlab,
        jwt = planted.jwt,
        password = planted.password,
        stripe = planted.stripe,
        api_key = planted.api_key,
        private_key = planted.private_key,
    )
}

/// The services fixture with the leaky page, a snippet it includes (published as a
/// file too), a checklist note and a SUMMARY.md title that hold credentials.
fn leaky_handbook(planted: &Planted) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture_path("services-good"), dir.path());
    let root = dir.path();
    write(root, "content/guide/leaky.md", &leaky_page(planted));
    write(
        root,
        "content/snippets/deploy.env",
        &format!("SLACK_BOT={}\n", planted.slack),
    );
    let summary = std::fs::read_to_string(root.join("content/SUMMARY.md")).unwrap();
    write(
        root,
        "content/SUMMARY.md",
        &format!("{summary}- [Leaky {}](guide/leaky.md)\n", planted.github),
    );
    let card = root.join("content/services/payments.yaml");
    let yaml = std::fs::read_to_string(&card).unwrap().replace(
        "note: \"every request is unique\"",
        &format!("note: \"the cache key is {}\"", planted.stripe),
    );
    assert!(yaml.contains(&planted.stripe));
    std::fs::write(card, yaml).unwrap();
    dir
}

#[test]
fn every_credential_is_found_at_its_line_and_column() {
    let planted = Planted::new(1);
    let dir = leaky_handbook(&planted);
    let (code, report) = check_json(dir.path(), &["--rule", "secret"]);
    assert_eq!(code, 1, "{report:#}");
    let page = leaky_page(&planted);
    let at = |needle: &str| {
        let (line, column) = position(&page, needle);
        ("content/guide/leaky.md".to_string(), line, column)
    };
    let after = |needle: &str, from: &str| {
        let start = page.find(from).unwrap();
        let (line, column) = position(&page[start..], needle);
        let (from_line, from_column) = position(&page, from);
        let column = if line == 1 {
            from_column + column - 1
        } else {
            column
        };
        (
            "content/guide/leaky.md".to_string(),
            from_line + line - 1,
            column,
        )
    };
    let yaml = std::fs::read_to_string(dir.path().join("content/services/payments.yaml")).unwrap();
    let summary = std::fs::read_to_string(dir.path().join("content/SUMMARY.md")).unwrap();
    let in_file = |file: &str, text: &str, needle: &str| {
        let (line, column) = position(text, needle);
        (file.to_string(), line, column)
    };
    let mut expected = vec![
        at(&planted.aws_id),
        at(&planted.github),
        after(&planted.github, "Paste"),
        at(&planted.jwt),
        at(&planted.password),
        after(&planted.aws_id, "export"),
        at(&planted.aws_key),
        after(&planted.jwt, "curl"),
        at(&planted.stripe),
        at(&planted.api_key),
        at("-----BEGIN"),
        // Included text is on the include's line, like any finding in it.
        at("{{#include"),
        in_file("content/SUMMARY.md", &summary, &planted.github),
        in_file("content/services/payments.yaml", &yaml, &planted.stripe),
        in_file(
            "content/snippets/deploy.env",
            &format!("SLACK_BOT={}\n", planted.slack),
            &planted.slack,
        ),
    ];
    expected.sort();
    let mut found = secret_places(&report);
    found.sort();
    assert_eq!(found, expected, "{report:#}");
    // The directive above the last line holds its finding back.
    assert_eq!(report["summary"]["suppressed"], 1, "{report:#}");
    for message in common::messages(&report) {
        assert!(message.contains("…REDACTED"), "{message}");
    }
}

/// Every file under `dir`, with its path, for `assert_clean`.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| {
            (
                entry.path().display().to_string(),
                std::fs::read(entry.path()).unwrap(),
            )
        })
        .collect()
}

fn assert_clean(planted: &Planted, what: &str, bytes: &[u8]) {
    if let Some(secret) = planted.leaked_in(bytes) {
        panic!(
            "{what} holds the planted `{secret}`:\n{}",
            String::from_utf8_lossy(bytes)
        );
    }
}

#[test]
fn no_report_log_page_or_cache_entry_holds_a_credential() {
    let planted = Planted::new(2);
    let dir = leaky_handbook(&planted);
    let root = dir.path();
    let reports = tempfile::tempdir().unwrap();
    let at = |name: &str| reports.path().join(name);
    let summary = at("summary.md");

    let human = shipshape()
        .current_dir(root)
        .args(["check", "--today", TODAY])
        .output()
        .unwrap();
    assert_eq!(human.status.code(), Some(1), "{}", stderr(&human));
    let human_text = String::from_utf8_lossy(&human.stdout).into_owned();
    assert!(human_text.contains("error[secret]"), "{human_text}");
    // The quoted source lines are redacted as the site is.
    assert!(human_text.contains("AKIAxxxxxxxxREDACTED"), "{human_text}");
    assert_clean(&planted, "the human report", human_text.as_bytes());

    let mut formats = Vec::new();
    for (format, name) in [
        ("json", "report.json"),
        ("sarif", "report.sarif"),
        ("junit", "junit.xml"),
        ("gitlab", "gl-code-quality.json"),
    ] {
        formats.push("--format".to_string());
        formats.push(format!("{format}={}", at(name).display()));
    }
    let machine = shipshape()
        .current_dir(root)
        .args(["check", "--today", TODAY, "--format", "github"])
        .args(&formats)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert_eq!(machine.status.code(), Some(1), "{}", stderr(&machine));
    assert_clean(&planted, "the github annotations", &machine.stdout);
    let sarif = std::fs::read_to_string(at("report.sarif")).unwrap();
    assert!(sarif.contains("ghp_…REDACTED"), "{sarif}");
    let baseline = shipshape()
        .current_dir(root)
        .args([
            "check",
            "--today",
            TODAY,
            "--format",
            "json",
            "--update-baseline",
        ])
        .arg(at("baseline.json"))
        .output()
        .unwrap();
    assert_eq!(baseline.status.code(), Some(0), "{}", stderr(&baseline));

    let json_log = shipshape()
        .current_dir(root)
        .args(["build", "--today", TODAY, "--log-format", "json"])
        .output()
        .unwrap();
    assert_eq!(json_log.status.code(), Some(1), "{}", stderr(&json_log));
    assert!(stderr(&json_log).contains("\"rule\":\"secret\""));
    assert_clean(&planted, "the JSON log", &json_log.stderr);
    // A second build, with the cache warm: its report is the recorded one.
    let text_log = shipshape()
        .current_dir(root)
        .args(["build", "--today", TODAY])
        .output()
        .unwrap();
    assert!(stderr(&text_log).contains("error[secret]"));
    assert_clean(&planted, "the build's report", &text_log.stderr);

    for (path, bytes) in files(reports.path())
        .into_iter()
        .chain(files(&root.join("book")))
        .chain(files(&root.join(".shipshape/cache")))
    {
        assert_clean(&planted, &path, &bytes);
    }
    let page = common::page(&root.join("book"), "guide/leaky.html");
    assert!(page.contains("AKIAxxxxxxxxREDACTED"), "{page}");
    assert!(page.contains("-----BEGIN RSA PRIVATE KEY-----"), "{page}");
    let card = common::page(&root.join("book"), "services/payments.html");
    assert!(card.contains("the cache key is sk_live_xxxx"), "{card}");
    let snippet = common::page(&root.join("book"), "snippets/deploy.env");
    assert!(snippet.starts_with("SLACK_BOT=xoxb-xxxx"), "{snippet}");
    assert!(
        std::fs::read_to_string(&summary)
            .unwrap()
            .contains("secret")
    );
}

#[test]
fn placeholders_ids_hashes_and_prose_are_not_findings() {
    let hex_token = common::secrets::random(6, 32, "0123456789abcdef");
    let page = format!(
        "# Deploying\n\n\
Keep the token in the secret store; never paste a password here.\n\n\
```bash\n\
export GITHUB_TOKEN=\"$GITHUB_TOKEN\"\n\
export API_KEY=<your-api-key>\n\
curl -H \"Authorization: Bearer ${{TOKEN}}\" https://api.example.com/\n\
psql postgres://app:<password>@db.internal/app\n\
psql postgres://user:password@localhost/app\n\
```\n\n\
```yaml\n\
token: ${{{{ secrets.DEPLOY_TOKEN }}}}\n\
password: \"{{{{ vault_db_password }}}}\"\n\
api_key: xxxxxxxxxxxxxxxxxxxxxxxx\n\
request_id: 123e4567-e89b-12d3-a456-426614174000\n\
secret_ref: payments/prod/card-gateway\n\
token: {hex_token}\n\
```\n\n\
Fixed in commit 3f786850e387550fdab836ed7e6dc881de23001b; the token rotation runs\n\
nightly. A private key starts with `-----BEGIN PRIVATE KEY-----` and a JWT with `eyJ`.\n"
    );
    let dir = handbook(&[("book.toml", BOOK_TOML), ("content/index.md", &page)]);
    let (code, report) = check_json(dir.path(), &["--rule", "secret"]);
    // A 32-digit hex value given to `token` is taken for a token; nothing else is.
    assert_eq!(code, 1, "{report:#}");
    let (line, column) = position(&page, &hex_token);
    assert_eq!(
        secret_places(&report),
        [("content/index.md".to_string(), line, column)],
        "{report:#}"
    );
}

#[test]
fn allowed_values_are_neither_reported_nor_redacted() {
    let planted = Planted::new(3);
    let page = format!(
        "# Home\n\nThe documented example id is `{}`.\n",
        planted.aws_id
    );
    let allowed = format!(
        "{BOOK_TOML}\n[policy.secret]\nallow = [\"{}\"]\n",
        planted.aws_id
    );
    let dir = handbook(&[("book.toml", &allowed), ("content/index.md", &page)]);
    common::assert_no_findings(dir.path(), &[]);
    let out = dir.path().join("out");
    let built = common::build(dir.path(), &out);
    assert_eq!(built.status.code(), Some(0), "{}", stderr(&built));
    assert!(common::page(&out, "index.html").contains(&planted.aws_id));

    // A misspelt key is an error that names the right one.
    let misspelt = allowed.replace("allow =", "alow =");
    std::fs::write(dir.path().join("book.toml"), misspelt).unwrap();
    let output = shipshape()
        .args(["check", "--today", TODAY])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("did you mean `allow`?"),
        "{}",
        stderr(&output)
    );
    assert!(
        stderr(&output).contains("book.toml:5:1"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn off_drops_the_findings_but_not_the_redaction_and_secrets_false_stops_both() {
    let planted = Planted::new(4);
    let page = format!("# Home\n\n`{}`\n", planted.github);
    let off = format!("{BOOK_TOML}\n[policy.severity]\nsecret = \"off\"\n");
    let dir = handbook(&[("book.toml", &off), ("content/index.md", &page)]);
    common::assert_no_findings(dir.path(), &[]);
    let out = dir.path().join("out");
    assert_eq!(common::build(dir.path(), &out).status.code(), Some(0));
    let html = common::page(&out, "index.html");
    assert_clean(&planted, "index.html", html.as_bytes());
    assert!(html.contains("ghp_xxxx"), "{html}");

    let unscanned = format!("{BOOK_TOML}\n[policy]\nsecrets = false\n");
    std::fs::write(dir.path().join("book.toml"), unscanned).unwrap();
    common::assert_no_findings(dir.path(), &[]);
    assert_eq!(common::build(dir.path(), &out).status.code(), Some(0));
    assert!(common::page(&out, "index.html").contains(&planted.github));
}

#[test]
fn directives_in_yaml_and_around_code_blocks_suppress_secret_findings() {
    let planted = Planted::new(5);
    let page = format!(
        "# Home\n\n\
<!-- shipshape-disable secret -- the incident's own command, the key long revoked -->\n\
```bash\nexport AWS_ACCESS_KEY_ID={}\n```\n\
<!-- shipshape-enable secret -->\n",
        planted.aws_id
    );
    let service = format!(
        "service: api\nowner: team-api\ntier: 3\n\
# shipshape-disable-next-line secret -- a sandbox key, revoked\n\
note: \"{}\"\n",
        planted.stripe
    );
    let dir = handbook(&[
        ("book.toml", BOOK_TOML),
        ("content/index.md", &page),
        ("content/services/api.yaml", &service),
    ]);
    let (_, report) = check_json(dir.path(), &["--rule", "secret"]);
    assert_eq!(secret_places(&report), [], "{report:#}");
    assert_eq!(report["summary"]["suppressed"], 2, "{report:#}");
    // Suppressed is not published: the page still shows it redacted.
    let out = dir.path().join("out");
    common::build(dir.path(), &out);
    let html = common::page(&out, "index.html");
    assert_clean(&planted, "index.html", html.as_bytes());
}

#[test]
fn blocks_cached_before_scanning_are_dropped_once_a_credential_is_found() {
    let planted = Planted::new(6);
    let page = format!(
        "# Home\n\n```bash\nexport GITHUB_TOKEN={}\n```\n",
        planted.github
    );
    let unscanned = format!("{BOOK_TOML}\n[policy]\nsecrets = false\n");
    let dir = handbook(&[("book.toml", &unscanned), ("content/index.md", &page)]);
    let out = dir.path().join("out");
    let cache = dir.path().join(".shipshape/cache");
    assert_eq!(common::build(dir.path(), &out).status.code(), Some(0));
    // Not scanning, the highlighted block is kept as written.
    let cached = files(&cache);
    assert!(
        cached
            .iter()
            .any(|(_, bytes)| planted.leaked_in(bytes).is_some()),
        "the cache should hold the block"
    );
    std::fs::write(dir.path().join("book.toml"), BOOK_TOML).unwrap();
    let built = common::build(dir.path(), &out);
    assert_eq!(built.status.code(), Some(1), "{}", stderr(&built));
    for (path, bytes) in files(&cache).into_iter().chain(files(&out)) {
        assert_clean(&planted, &path, &bytes);
    }
    assert!(common::page(&out, "index.html").contains("ghp_xxxx"));
}
