//! `shipshape explain`: the rules reference on the terminal, and the bundled handbook's
//! rule pages, which must say the same.

mod common;

use common::shipshape;

/// The rules whose checks exist, in table order.
const RULES: [&str; 15] = [
    "syntax",
    "schema",
    "include",
    "section-missing",
    "stale",
    "readiness",
    "waiver-expired",
    "evidence",
    "alert-runbook",
    "link",
    "adr",
    "secret",
    "orphan",
    "alt-text",
    "suppression",
];

const SECTIONS: [&str; 5] = [
    "What it finds",
    "Why it matters",
    "How to fix it",
    "Configure or silence it",
    "Example",
];

/// Runs `shipshape explain ARGS…` outside any handbook: explain reads none.
fn explain(args: &[&str]) -> (Option<i32>, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let output = shipshape()
        .current_dir(dir.path())
        .arg("explain")
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// The text under each section heading of `explain RULE`, in order.
fn sections(text: &str) -> Vec<(&'static str, String)> {
    let starts: Vec<usize> = SECTIONS
        .iter()
        .map(|heading| {
            text.find(&format!("\n{heading}\n\n"))
                .unwrap_or_else(|| panic!("no section {heading:?} in:\n{text}"))
        })
        .collect();
    SECTIONS
        .iter()
        .enumerate()
        .map(|(index, heading)| {
            let start = starts[index] + heading.len() + 3;
            let end = starts.get(index + 1).copied().unwrap_or(text.len());
            (*heading, text[start..end].trim().to_string())
        })
        .collect()
}

/// Text as words: whitespace collapsed, code fence lines dropped and mdBook's `\{{#`
/// escape undone, so a page and the terminal text compare equal.
fn normalized(text: &str) -> String {
    text.lines()
        .filter(|line| !line.trim_start().starts_with("```"))
        .collect::<Vec<_>>()
        .join("\n")
        .replace("\\{{#", "{{#")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The text of a page's `## heading` section, up to the next `## `.
fn page_section<'a>(page: &'a str, heading: &str) -> Option<&'a str> {
    let start = page.find(&format!("\n## {heading}\n"))? + heading.len() + 5;
    let end = page[start..]
        .find("\n## ")
        .map_or(page.len(), |i| start + i);
    Some(&page[start..end])
}

#[test]
fn explain_link_prints_every_section() {
    let (code, stdout, _) = explain(&["link"]);
    assert_eq!(code, Some(0));
    assert!(stdout.starts_with("link: "), "{stdout}");
    assert!(stdout.contains("Default severity: error."), "{stdout}");
    let found = sections(&stdout);
    assert!(found.iter().all(|(_, body)| !body.is_empty()), "{stdout}");
    assert!(found[0].1.contains("SUMMARY.md entry"), "{stdout}");
    assert!(found[3].1.contains("allow-outside"), "{stdout}");
    assert!(found[4].1.starts_with("error[link]: "), "{stdout}");
}

#[test]
fn a_misspelt_rule_is_exit_2_with_did_you_mean() {
    let (code, stdout, stderr) = explain(&["lnk"]);
    assert_eq!(code, Some(2));
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.contains("did you mean `link`?"), "{stderr}");
    assert!(stderr.contains(&RULES.join(", ")), "{stderr}");
}

#[test]
fn explain_secret_says_how_to_allow_and_suppress() {
    let (code, stdout, _) = explain(&["secret"]);
    assert_eq!(code, Some(0));
    let found = sections(&stdout);
    assert!(found[0].1.contains("github_pat_"), "{stdout}");
    assert!(found[3].1.contains("[policy.secret]"), "{stdout}");
    assert!(found[3].1.contains("shipshape-disable secret"), "{stdout}");
    assert!(found[4].1.starts_with("error[secret]: "), "{stdout}");
}

#[test]
fn explain_alone_lists_exactly_the_existing_rules() {
    let (code, stdout, _) = explain(&[]);
    assert_eq!(code, Some(0));
    let listed: Vec<&str> = stdout
        .lines()
        .filter(|line| line.starts_with("  "))
        .filter_map(|line| line.split_whitespace().next())
        .collect();
    assert_eq!(listed, RULES, "{stdout}");
}

#[test]
fn each_rule_page_says_what_explain_says() {
    let root = env!("CARGO_MANIFEST_DIR");
    for rule in RULES {
        let (code, stdout, stderr) = explain(&[rule]);
        assert_eq!(code, Some(0), "{stderr}");
        let path = format!("{root}/content/guide/rules/{rule}.md");
        let page = std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{path}: {err}"));
        let mut header = stdout.lines();
        let summary = header
            .next()
            .unwrap()
            .strip_prefix(&format!("{rule}: "))
            .unwrap();
        let severity = header.next().unwrap();
        for expected in [summary, severity] {
            assert!(page.contains(expected), "{path} lacks {expected:?}");
        }
        for (heading, body) in sections(&stdout) {
            let on_page = page_section(&page, heading)
                .unwrap_or_else(|| panic!("{path} has no `## {heading}`"));
            assert_eq!(
                normalized(on_page),
                normalized(&body),
                "{path}, section {heading:?}, differs from `shipshape explain {rule}`"
            );
        }
    }
}
