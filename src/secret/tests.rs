//! The detectors on credentials made at test time, so that this file holds none.

use super::*;

// The same generator as the integration tests' (`random`, the alphabets, `base64url`).
#[path = "../../tests/common/secrets.rs"]
#[allow(dead_code, reason = "the integration tests use the rest of it")]
mod made;
use made::{ALNUM, BASE64, UPPER, base64url, random};

/// Planted credentials, each with the kind the scanner must call it.
fn planted() -> Vec<(Kind, String)> {
    let jwt_header = base64url(br#"{"alg":"HS256","typ":"JWT"}"#);
    let jwt_body = base64url(br#"{"sub":"ops","iat":1700000000}"#);
    vec![
        (
            Kind::AwsAccessKey,
            ["AK", "IA", &random(1, 16, UPPER)].concat(),
        ),
        (
            Kind::GithubToken,
            ["gh", "p_", &random(2, 36, ALNUM)].concat(),
        ),
        (
            Kind::GithubToken,
            [
                "github",
                "_pat_",
                &random(3, 22, ALNUM),
                "_",
                &random(4, 59, ALNUM),
            ]
            .concat(),
        ),
        (
            Kind::GitlabToken,
            ["gl", "pat-", &random(5, 20, ALNUM)].concat(),
        ),
        (
            Kind::SlackToken,
            [
                "xo",
                "xb-",
                &random(6, 12, "0123456789"),
                "-",
                &random(7, 13, "0123456789"),
                "-",
                &random(8, 24, ALNUM),
            ]
            .concat(),
        ),
        (
            Kind::StripeKey,
            ["sk", "_live_", &random(9, 24, ALNUM)].concat(),
        ),
        (
            Kind::Jwt,
            [
                jwt_header.as_str(),
                ".",
                &jwt_body,
                ".",
                &random(10, 43, ALNUM),
            ]
            .concat(),
        ),
    ]
}

fn scan(text: &str) -> Vec<Leak> {
    Scanner::default().scan(text)
}

#[test]
fn every_known_format_is_found_with_its_prefix_kept() {
    for (kind, secret) in planted() {
        let text = format!("Run it with `{secret}` and see.\n");
        let leaks = scan(&text);
        assert_eq!(leaks.len(), 1, "{kind:?} in {text}: {leaks:?}");
        let leak = &leaks[0];
        assert_eq!(leak.kind, kind, "{text}");
        assert_eq!(&text[leak.span.clone()], secret);
        assert!(leak.shown.ends_with("…REDACTED"), "{}", leak.shown);
        assert!(!leak.shown.contains(&secret[leak.keep..]), "{}", leak.shown);
    }
}

#[test]
fn redaction_keeps_lines_columns_and_bytes() {
    for (_, secret) in planted() {
        let mut text = format!("a: {secret} b\nnext line\n");
        let before = text.clone();
        let leaks = Scanner::default().scrub(&mut text);
        assert_eq!(leaks.len(), 1);
        assert_eq!(text.len(), before.len());
        assert_eq!(text.lines().count(), before.lines().count());
        assert!(!text.contains(&secret), "{text}");
        assert!(text.contains("REDACTED"), "{text}");
        assert!(text.ends_with(" b\nnext line\n"), "{text}");
        // Scanning the redacted text finds nothing more.
        assert!(scan(&text).is_empty(), "{text}");
    }
}

#[test]
fn an_aws_secret_key_next_to_its_id_is_found_too() {
    let id = ["AK", "IA", &random(11, 16, UPPER)].concat();
    let key = random(12, 40, BASE64);
    let text = format!("[default]\naws_access_key_id = {id}\nkey_two = {key}\n");
    let kinds: Vec<Kind> = scan(&text).iter().map(|leak| leak.kind).collect();
    assert_eq!(kinds, [Kind::AwsAccessKey, Kind::AwsSecretKey], "{text}");
    // Without an id nearby, a 40-character string is not taken for one.
    assert!(scan(&format!("key_two = {key}\n")).is_empty());
}

#[test]
fn private_key_blocks_are_redacted_line_by_line() {
    let body: Vec<String> = (0..5).map(|line| random(20 + line, 64, BASE64)).collect();
    let text = [
        "key: |\n  -----BEGIN RSA ",
        "PRIVATE KEY-----\n  ",
        &body.join("\n  "),
        "\n  -----END RSA PRIVATE KEY-----\nnext: 1\n",
    ]
    .concat();
    let mut redacted = text.clone();
    let leaks = Scanner::default().scrub(&mut redacted);
    assert_eq!(leaks.len(), 1, "{leaks:?}");
    assert_eq!(leaks[0].kind, Kind::PrivateKey);
    assert_eq!(leaks[0].at, text.find("-----BEGIN").unwrap());
    assert!(
        leaks[0].shown.starts_with("-----BEGIN RSA "),
        "{}",
        leaks[0].shown
    );
    for line in &body {
        assert!(!redacted.contains(line.as_str()), "{redacted}");
    }
    // The YAML around it is intact: indentation, markers, the next key.
    let lines: Vec<&str> = redacted.lines().collect();
    assert_eq!(lines.len(), text.lines().count());
    assert!(lines[2].starts_with("  xxxx") && lines[2].ends_with("REDACTED"));
    assert_eq!(lines[3], format!("  {}", "x".repeat(64)));
    assert!(redacted.ends_with("  -----END RSA PRIVATE KEY-----\nnext: 1\n"));
    // A JSON string keeps its `\n` escapes.
    let json = [
        "{\"private_key\": \"-----BEGIN ",
        "PRIVATE KEY-----\\n",
        &body.join("\\n"),
        "\\n-----END PRIVATE KEY-----\\n\"}",
    ]
    .concat();
    let mut redacted = json.clone();
    assert_eq!(Scanner::default().scrub(&mut redacted).len(), 1);
    assert_eq!(redacted.matches("\\n").count(), json.matches("\\n").count());
    assert!(
        serde_json::from_str::<serde_json::Value>(&redacted).is_ok(),
        "{redacted}"
    );
}

#[test]
fn passwords_in_urls_are_found_and_placeholders_are_not() {
    let password = random(30, 14, ALNUM);
    let text = format!("psql postgres://deploy:{password}@db.internal:5432/app\n");
    let leaks = scan(&text);
    assert_eq!(leaks.len(), 1, "{text}");
    assert_eq!(leaks[0].kind, Kind::UrlPassword);
    assert_eq!(&text[leaks[0].span.clone()], password);
    assert_eq!(
        leaks[0].shown,
        "postgres://deploy:…REDACTED@db.internal:5432"
    );
    for text in [
        "https://user:<password>@example.com/",
        "postgres://user:password@localhost/db",
        "postgres://postgres:postgres@localhost/db",
        "redis://:${REDIS_PASSWORD}@cache:6379",
        "https://user:$TOKEN@github.com/org/repo.git",
        "https://admin:changeme@grafana.internal/",
        "see https://example.com/a:b@c for the rest",
        "ssh://git@github.com:22/org/repo",
    ] {
        assert!(scan(text).is_empty(), "{text}: {:?}", scan(text));
    }
}

#[test]
fn assignments_with_random_values_are_found() {
    let value = random(40, 24, ALNUM);
    for line in [
        format!("export DB_PASSWORD={value}"),
        format!("password: \"{value}\""),
        format!("\"apiKey\": \"{value}\","),
        format!("client_secret = '{value}'"),
        format!("SECRET_KEY={value}"),
        format!("curl -H \"Authorization: Bearer {value}\" https://api"),
        format!("--token={value}"),
        format!("spring.datasource.password={value}"),
    ] {
        let leaks = scan(&line);
        assert_eq!(leaks.len(), 1, "{line}: {leaks:?}");
        assert_eq!(leaks[0].kind, Kind::Assigned, "{line}");
        assert_eq!(&line[leaks[0].span.clone()], value, "{line}");
        assert!(leaks[0].shown.ends_with("…REDACTED"), "{}", leaks[0].shown);
    }
    let short = ["Wi", "nter", "2024!"].concat();
    assert_eq!(scan(&format!("password={short}")).len(), 1);
}

#[test]
fn prose_placeholders_ids_and_hashes_are_not_credentials() {
    for text in [
        "Rotate the token: it expires after 90 days.",
        "The secret store holds every password; the API key is in Vault.",
        "password: <your-password>",
        "token: ${{ secrets.GITHUB_TOKEN }}",
        "export GITHUB_TOKEN=$GITHUB_TOKEN",
        "api_key = \"xxxxxxxxxxxxxxxxxxxxxxxx\"",
        "password = \"changeme\"",
        "secret: \"{{ vault_db_password }}\"",
        "token = get_token(session)",
        "token = settings.API_TOKEN",
        "secretName: db-credentials-v2",
        "password_file: /run/secrets/db",
        "token: 123e4567-e89b-12d3-a456-426614174000",
        "token: 3f786850e387550fdab836ed7e6dc881de23001b",
        "commit 3f786850e387550fdab836ed7e6dc881de23001b fixed the token refresh",
        "if token == expected_token_value_2024:",
        "password: !vault |",
        "the header reads `Authorization: Bearer <token>`",
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA...\n-----END RSA PRIVATE KEY-----",
        "A private key starts with `-----BEGIN PRIVATE KEY-----`.",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0",
        "xoxb-your-token-here",
        "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    ] {
        assert!(scan(text).is_empty(), "{text}: {:?}", scan(text));
    }
}

#[test]
fn the_allow_list_lets_documented_examples_through() {
    let value = ["AK", "IA", &random(50, 16, UPPER)].concat();
    let text = format!("id = {value}\n");
    let mut policy = Policy::default();
    policy.secret.allow = vec![value.clone()];
    assert!(Scanner::new(&policy).scan(&text).is_empty());
    policy.secret.allow.clear();
    assert_eq!(Scanner::new(&policy).scan(&text).len(), 1);
    policy.secrets = false;
    assert!(Scanner::new(&policy).scan(&text).is_empty());
}

/// No file of the repository holds what the scanner takes for a credential: not the
/// guide's examples, not these tests (their credentials are made at run time).
#[test]
fn the_repository_holds_no_credential() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let skip = ["target", ".git", "node_modules", "book", ".shipshape"];
    let mut found = Vec::new();
    let walker = walkdir::WalkDir::new(root)
        .into_iter()
        .filter_entry(|entry| !skip.contains(&entry.file_name().to_string_lossy().as_ref()));
    for entry in walker.filter_map(Result::ok) {
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue; // not text
        };
        for leak in scan(&text) {
            found.push(format!("{}: {}", entry.path().display(), leak.shown));
        }
    }
    assert!(found.is_empty(), "{found:#?}");
}

/// Every search is bounded: text made of nothing but starts of credentials is scanned
/// in linear time (a quadratic scan of these would take minutes).
#[test]
fn hostile_text_is_scanned_in_linear_time() {
    let starts = [
        "AK".to_string() + "IA",
        "xo".to_string() + "xb-",
        "to".to_string() + "ken",
        "token=".to_string(),
        ":/".to_string() + "/",
        "ey".to_string() + "J",
        "-----BEGIN ".to_string() + "PRIVATE KEY-----",
        "a".repeat(64) + "\n",
    ];
    let started = std::time::Instant::now();
    for start in &starts {
        let text = start.repeat(200_000 / start.len());
        assert!(scan(&text).len() <= text.len(), "{start}");
    }
    assert!(
        started.elapsed() < std::time::Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
}
