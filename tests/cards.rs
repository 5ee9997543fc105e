//! Report cards (`services/<id>.html`) and badges (`badges/<id>.svg`) end to end: what a
//! card shows of each state, the next level, waivers and alerts; that every link on it
//! leads somewhere in the site; hostile YAML escaped on the card and in the badge; the
//! badge as XML; the navigation; reserved paths.

mod common;

use std::path::Path;

use common::*;

/// Builds `root` into `out` judged on `today`; asserts the build ran.
fn build_on(root: &Path, out: &Path, today: &str) {
    let output = shipshape()
        .args(["build", "--today", today])
        .arg(root)
        .arg("-d")
        .arg(out)
        .output()
        .unwrap();
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{}",
        stderr(&output)
    );
}

fn built(name: &str) -> (tempfile::TempDir, tempfile::TempDir) {
    let dir = fixture(name);
    let out = tempfile::tempdir().unwrap();
    build_on(dir.path(), out.path(), TODAY);
    (dir, out)
}

/// The values of every `attr="…"` in `html`, unescaped as far as `&amp;`.
fn attributes(html: &str, attr: &str) -> Vec<String> {
    let needle = format!(" {attr}=\"");
    html.match_indices(&needle)
        .map(|(at, _)| {
            let rest = &html[at + needle.len()..];
            rest[..rest.find('"').unwrap()].replace("&amp;", "&")
        })
        .collect()
}

/// The HTML of the report card's article, without the page's frame.
fn article(html: &str) -> &str {
    let start = html.find("<article class=\"doc service-card\">").unwrap();
    let end = html[start..].find("</article>").unwrap();
    &html[start..start + end + "</article>".len()]
}

/// The table row of item `id` on a card.
fn row<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("<tr id=\"item-{}\"", id.replace('.', "-")))
        .unwrap_or_else(|| panic!("no row for {id}"));
    let end = html[start..].find("</tr>").unwrap();
    &html[start..start + end]
}

#[test]
fn a_card_shows_level_score_states_waivers_alerts_and_related_pages() {
    let (_dir, out) = built("services-good");
    let payments = page(out.path(), "services/payments.html");
    let card = article(&payments);
    assert!(card.contains("<h1>Payments API</h1>"), "{card}");
    assert!(
        card.contains("<span class=\"level level-gold\">Gold</span>"),
        "{card}"
    );
    assert!(
        card.contains("<strong>100%</strong> · 29 of 29 applicable items met"),
        "{card}"
    );
    assert!(card.contains("<dt>Owner</dt><dd>team-payments</dd>"));
    assert!(card.contains("<dt>Tier</dt><dd>1</dd>"));
    // Gold is the top: no next level.
    assert!(card.contains("this is the highest level"), "{card}");
    assert!(!card.contains("id=\"next-level\""));
    // Per category.
    assert!(
        card.contains(
            "<a href=\"#category-performance\">Performance</a></td><td>4 of 4</td><td>100%</td>"
        ),
        "{card}"
    );

    // exempt, with its waiver; n/a with its note; pass with evidence of each kind.
    let retries = row(card, "reliability.retries");
    assert!(retries.contains("state-exempt\">exempt<"), "{retries}");
    assert!(
        retries.contains("Waived by dana until <time datetime=\"2027-06-30\">2027-06-30</time>: the gateway SDK retries internally"),
        "{retries}"
    );
    let caching = row(card, "performance.caching");
    assert!(caching.contains("state-na\">n/a<"), "{caching}");
    assert!(caching.contains("every request is unique"));
    let timeouts = row(card, "reliability.timeouts");
    assert!(timeouts.contains("state-pass\">pass<"));
    assert!(
        timeouts.contains(
            "<a href=\"../guide/timeouts.html#client-timeouts\">guide/timeouts.md#client-timeouts</a>"
        ),
        "{timeouts}"
    );
    assert!(timeouts.contains("<a href=\"../adr/0001-queue-payments.html\">"));
    let load = row(card, "performance.peak-load");
    assert!(load.contains("<a href=\"https://grafana.example.com/d/load-test\">"));
    // A repository file is named, not linked: the site does not hold it.
    let rollback = row(card, "deployment.rollback");
    assert!(
        rollback.contains(
            "<code>/ops/rollback.sh</code> <span class=\"muted\">(repository file)</span>"
        ),
        "{rollback}"
    );
    // An automatic rule says so.
    assert!(
        row(card, "documentation.adrs").contains("Checked automatically (<code>adr-exists</code>)")
    );

    // The waivers table, the alert with its runbook, the related pages.
    assert!(card.contains("<h2 id=\"waivers\">Waivers</h2>"));
    assert!(
        card.contains("<code>PaymentsHighP99Latency</code></td><td><a href=\"../runbooks/payments-latency.html#mitigation\">runbooks/payments-latency.md#mitigation</a> <span class=\"status state state-pass\">resolves</span>"),
        "{card}"
    );
    assert!(card.contains(
        "<a href=\"../adr/0001-queue-payments.html\">ADR-0001: Queue payment requests when the gateway is slow</a>"
    ));
    assert!(
        card.contains("<a href=\"../runbooks/payments-latency.html\">Payments latency high</a>")
    );
    // Review state, and the checklist's file as text (YAML has no page).
    assert!(card.contains("last reviewed <time datetime=\"2026-10-01\">2026-10-01</time>, next due <time datetime=\"2027-03-30\">2027-03-30</time>"), "{card}");
    assert!(card.contains("<dd><code>content/services/payments.yaml</code></dd>"));
    assert!(!card.contains(".yaml\""), "no link to a YAML file");
}

#[test]
fn a_card_says_what_the_next_level_takes_and_shows_fail_and_unknown() {
    let (_dir, out) = built("services-good");
    let notify = page(out.path(), "services/notify.html");
    let card = article(&notify);
    assert!(card.contains("<span class=\"level level-bronze\">Bronze</span>"));
    assert!(
        card.contains("<h2 id=\"next-level\">What silver takes</h2>"),
        "{card}"
    );
    // Each blocking item links to its row, which exists.
    let next = &card[card.find("id=\"next-level\"").unwrap()..];
    let next = &next[..next.find("</section>").unwrap()];
    let links = attributes(next, "href");
    assert!(
        links.contains(&"#item-reliability-retries".to_string()),
        "{next}"
    );
    assert!(links.contains(&"#item-monitoring-alert-runbooks".to_string()));
    for link in &links {
        assert!(
            card.contains(&format!("<tr id=\"{}\"", &link[1..])),
            "{link}"
        );
    }
    // A gold item is not in silver's gap.
    assert!(!links.contains(&"#item-deployment-zero-downtime".to_string()));
    let zero = row(card, "deployment.zero-downtime");
    assert!(zero.contains("state-fail\">fail<"), "{zero}");
    assert!(zero.contains("not required for tier 3"));
    assert!(zero.contains("To fix:"));
    let encryption = row(card, "security.encryption");
    assert!(
        encryption.contains("state-unknown\">unknown<"),
        "{encryption}"
    );
    // Backticks in the fix read as code.
    assert!(
        encryption.contains("add <code>security.encryption:</code> under <code>checks:</code>"),
        "{encryption}"
    );
    // No alerts, no related pages: said so.
    assert!(card.contains("The checklist declares no alerts."));
    assert!(card.contains("No accepted ADR lists this service."));
    assert!(card.contains("No runbook names this service."));
}

#[test]
fn waivers_ending_soon_and_expired_are_marked() {
    let dir = fixture("services-good");
    let out = tempfile::tempdir().unwrap();
    // Within `warn-before` (14 days) of 2027-06-30.
    build_on(dir.path(), out.path(), "2027-06-20");
    let card = page(out.path(), "services/payments.html");
    let retries = row(&card, "reliability.retries");
    assert!(retries.contains("waiver-ending-soon"), "{retries}");
    assert!(retries.contains("<strong>(ends soon)</strong>"));
    assert!(retries.contains("state-exempt"));

    build_on(dir.path(), out.path(), "2027-07-01");
    let card = page(out.path(), "services/payments.html");
    let retries = row(&card, "reliability.retries");
    assert!(retries.contains("<strong>(expired)</strong>"), "{retries}");
    assert!(retries.contains("state-fail\">fail<"));
    assert!(card.contains("<span class=\"status state state-fail\">expired</span>"));
    // A silver item failing: the service falls to bronze, and silver needs it.
    assert!(card.contains("level level-bronze"), "{}", article(&card));
    assert!(card.contains("<a href=\"#item-reliability-retries\">"));
}

#[test]
fn every_relative_link_on_a_card_leads_to_a_file_of_the_site() {
    let (_dir, out) = built("services-good");
    let site = out.path();
    for id in ["batch", "notify", "payments"] {
        let path = format!("services/{id}.html");
        let html = page(site, &path);
        let mut checked = 0;
        for link in attributes(&html, "href")
            .into_iter()
            .chain(attributes(&html, "src"))
        {
            if link.starts_with("https:")
                || link.starts_with("http:")
                || link.starts_with("mailto:")
            {
                continue;
            }
            let (file, fragment) = match link.split_once('#') {
                Some((file, fragment)) => (file, Some(fragment)),
                None => (link.as_str(), None),
            };
            let target = if file.is_empty() {
                site.join(&path)
            } else {
                site.join("services").join(file)
            };
            assert!(target.is_file(), "{path}: {link} leads nowhere");
            if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
                let text = std::fs::read_to_string(&target).unwrap();
                assert!(
                    text.contains(&format!("id=\"{fragment}\"")),
                    "{path}: {link}: no such id"
                );
            }
            checked += 1;
        }
        assert!(checked > 10, "{path}: only {checked} links");
    }
}

#[test]
fn script_in_every_yaml_string_is_escaped_on_the_card_and_in_the_badge() {
    const S: &str = "<script>alert(1)</script>";
    let service = [
        "service: hostile".to_string(),
        format!("title: \"T {S}\""),
        format!("owner: \"O {S}\""),
        "tier: 1".into(),
        "last_reviewed: 2026-10-01".into(),
        "alerts:".into(),
        format!("  - name: \"A {S}\""),
        format!("    runbook: \"R {S}\""),
        "checks:".into(),
        "  reliability.timeouts:".into(),
        "    status: done".into(),
        format!("    evidence: [\"E {S}\", \"javascript:alert(1)\"]"),
        format!("    note: \"N {S}\""),
        "  reliability.retries:".into(),
        "    status: waived".into(),
        format!("    waiver: {{reason: \"W {S}\", approved_by: \"B {S}\", expires: 2027-06-30}}"),
    ]
    .join("\n");
    let dir = handbook(&[
        ("book.toml", "[book]\ntitle = \"Hostile\"\n"),
        ("src/index.md", "# Home\n"),
        ("src/services/hostile.yaml", &service),
    ]);
    let out = tempfile::tempdir().unwrap();
    build_on(dir.path(), out.path(), TODAY);
    let html = page(out.path(), "services/hostile.html");
    assert!(!html.contains("<script>alert"), "{}", article(&html));
    assert!(
        !html.contains("href=\"javascript:"),
        "a javascript: URL is not a link"
    );
    let card = article(&html);
    for field in ["T", "O", "A", "R", "E", "N", "W", "B"] {
        assert!(
            card.contains(&format!("{field} &lt;script&gt;alert(1)&lt;/script&gt;")),
            "{field} is not on the card escaped:\n{card}"
        );
    }
    let badge = page(out.path(), "badges/hostile.svg");
    assert!(!badge.contains("<script"), "{badge}");
    assert!(
        badge.contains("T &lt;script&gt;alert(1)&lt;/script&gt;"),
        "{badge}"
    );
    let xml = roxmltree::Document::parse(&badge).expect("the badge is XML");
    let title = xml
        .descendants()
        .find(|node| node.has_tag_name("title"))
        .unwrap();
    assert!(
        title
            .text()
            .unwrap()
            .starts_with(&format!("T {S}: readiness "))
    );
}

#[test]
fn a_service_id_that_cannot_be_a_file_name_gets_no_card_and_a_finding() {
    let dir = handbook(&[
        ("book.toml", "[book]\ntitle = \"Ids\"\n"),
        ("src/index.md", "# Home\n"),
        (
            "src/services/bad.yaml",
            "service: \"../../x<script>\"\ntier: 4\n",
        ),
    ]);
    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!(code, 1, "{report:#}");
    let found = findings(&report);
    assert!(
        found.contains(&(
            "schema".into(),
            "error".into(),
            "src/services/bad.yaml".into(),
            Some(1),
            Some(10)
        )),
        "{report:#}"
    );
    assert!(
        messages(&report)
            .iter()
            .any(|m| m.contains("cannot be a file name")),
        "{report:#}"
    );
    let out = tempfile::tempdir().unwrap();
    build_on(dir.path(), out.path(), TODAY);
    assert!(!out.path().join("badges").exists());
    let written: Vec<String> = tree(out.path()).into_keys().collect();
    assert!(
        written.iter().all(|path| !path.contains("script")),
        "{written:?}"
    );
}

#[test]
fn the_badge_is_a_readable_titled_svg_and_deterministic() {
    let (dir, out) = built("services-good");
    let badge = page(out.path(), "badges/payments.svg");
    let xml = roxmltree::Document::parse(&badge).expect("the badge is XML");
    let svg = xml.root_element();
    assert_eq!(svg.tag_name().name(), "svg");
    assert_eq!(svg.attribute("height"), Some("20"));
    assert_eq!(svg.attribute("role"), Some("img"));
    let label = svg.attribute("aria-label").unwrap();
    assert_eq!(label, "Payments API: readiness gold, 29 of 29 items met");
    let title = svg
        .children()
        .find(|node| node.has_tag_name("title"))
        .expect("a <title> first");
    assert_eq!(title.text(), Some(label));
    let texts: Vec<&str> = svg
        .descendants()
        .filter(|node| node.has_tag_name("text"))
        .filter_map(|node| node.text())
        .collect();
    assert_eq!(texts, ["readiness", "gold 100%"]);
    // The word is there whatever the level.
    let notify = page(out.path(), "badges/notify.svg");
    assert!(notify.contains(">bronze 36%</text>"), "{notify}");

    let again = tempfile::tempdir().unwrap();
    build_on(dir.path(), again.path(), TODAY);
    for path in [
        "badges/payments.svg",
        "services/payments.html",
        "services/notify.html",
    ] {
        assert_eq!(page(out.path(), path), page(again.path(), path), "{path}");
    }
    insta::assert_snapshot!("payments_badge", badge);
}

#[test]
fn snapshot_of_a_report_card() {
    let (_dir, out) = built("services-good");
    let html = page(out.path(), "services/notify.html");
    insta::assert_snapshot!("notify_card", article(&html));
}

#[test]
fn cards_join_the_navigation() {
    // With SUMMARY.md: a "Services" group after its entries.
    let (_dir, out) = built("services-good");
    let home = page(out.path(), "index.html");
    let summary_end = home.find("Queue payments").unwrap();
    let services = home
        .find("<a href=\"services/index.html\">Services</a>")
        .expect("a Services group, headed by the dashboard");
    assert!(services > summary_end);
    let notify = page(out.path(), "services/notify.html");
    assert!(
        notify.contains("<a href=\"payments.html\">Payments API</a>"),
        "the card's siblings are listed on a card"
    );
    assert!(notify.contains("aria-current=\"page\""));

    // Without one: they join the `services` folder.
    let dir = fixture("services-good");
    std::fs::remove_file(dir.path().join("content/SUMMARY.md")).unwrap();
    let out = tempfile::tempdir().unwrap();
    build_on(dir.path(), out.path(), TODAY);
    let card = page(out.path(), "services/batch.html");
    assert!(
        card.contains("<a href=\"index.html\">Services</a>"),
        "the folder's entry is the dashboard: {card}"
    );
    assert!(card.contains("<a href=\"notify.html\">"), "{card}");
    // And none of them is an orphan.
    let (_, report) = check_json(dir.path(), &["--rule", "orphan"]);
    assert_eq!(report["findings"], serde_json::json!([]), "{report:#}");
}

#[test]
fn a_page_or_file_at_a_card_or_badge_path_is_refused() {
    let dir = fixture("services-good");
    write(dir.path(), "content/services/payments.md", "# Mine\n");
    write(dir.path(), "content/badges/notify.svg", "<svg/>");
    let (_, report) = check_json(dir.path(), &[]);
    let messages = messages(&report);
    assert!(
        messages.iter().any(|m| m.contains("`services/payments.md` would be written to `services/payments.html`, which is the report card or badge of service `payments`")),
        "{report:#}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("`badges/notify.svg` has the same path as a file shipshape writes")),
        "{report:#}"
    );
    let out = tempfile::tempdir().unwrap();
    build_on(dir.path(), out.path(), TODAY);
    assert!(page(out.path(), "services/payments.html").contains("service-card"));
    assert!(page(out.path(), "badges/notify.svg").contains("role=\"img\""));
}

#[test]
fn a_guide_link_is_shown_only_when_its_page_exists() {
    let dir = fixture("services-good");
    let path = dir.path().join("content/standards/small.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text
        .replace(
            "        tiers: [1, 2]\n",
            "        tiers: [1, 2]\n        guide: guide/timeouts.md#client-timeouts\n",
        )
        .replace(
            "        tiers: [2]\n",
            "        tiers: [2]\n        guide: guide/on-call.md\n",
        );
    std::fs::write(&path, text).unwrap();
    let out = tempfile::tempdir().unwrap();
    build_on(dir.path(), out.path(), TODAY);
    let card = page(out.path(), "services/batch.html");
    assert!(
        row(&card, "docs.readme")
            .contains("<a href=\"../guide/timeouts.html#client-timeouts\">How to meet it</a>"),
        "{}",
        article(&card)
    );
    assert!(!row(&card, "ops.oncall").contains("How to meet it"));
    let (_, report) = check_json(dir.path(), &[]);
    assert!(
        !messages(&report).iter().any(|m| m.contains("on-call")),
        "a missing guide page is no finding: {report:#}"
    );
}
