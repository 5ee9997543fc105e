//! The readiness overview end to end: the services dashboard (grid, charts, links), the
//! team pages from teams.yaml or from the owner strings, the waivers page, the navigation
//! entry, the `schema` finding for an owner that names no team, and escaping of every
//! YAML string on these pages.

mod common;

use common::*;

/// The rows of the dashboard's grid, as the `data-service` ids in page order.
fn grid_rows(html: &str) -> Vec<String> {
    html.split("<tr data-service=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_string())
        .collect()
}

/// The text of the `<tr>` of service `id` on the dashboard (a line, without end tags).
fn row<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("<tr data-service=\"{id}\""))
        .unwrap_or_else(|| panic!("no row for {id}"));
    let end = html[start..].find('\n').unwrap();
    &html[start..start + end]
}

#[test]
fn the_dashboard_shows_every_service_by_category_with_levels_in_words() {
    let dir = fixture("services-good");
    git_init(dir.path());
    let out = dir.path().join("site");
    build(dir.path(), &out);
    let html = page(&out, "services/index.html");
    assert_eq!(grid_rows(&html), ["batch", "notify", "payments"]);
    let payments = row(&html, "payments");
    // Owner, tier, level and score, and a word beside every coloured cell.
    assert!(
        payments.contains("data-owner=\"team-payments\" data-tier=\"1\" data-level=\"gold\""),
        "{payments}"
    );
    assert!(
        payments.contains("<a href=\"payments.html\">Payments API</a>"),
        "{payments}"
    );
    assert!(
        payments.contains("<a href=\"../teams/team-payments.html\">team-payments</a>"),
        "{payments}"
    );
    assert!(
        payments.contains("<td class=\"lv-gold\">29/29<td"),
        "{payments}"
    );
    assert!(
        payments.contains("<td class=\"lv-gold\">100% gold<td"),
        "{payments}"
    );
    let notify = row(&html, "notify");
    assert!(notify.contains("data-level=\"bronze\""), "{notify}");
    // A standard without a category shows a dash there, not a score.
    let batch = row(&html, "batch");
    assert!(batch.contains("<td>—"), "{batch}");
    for class in ["lv-gold", "lv-silver", "lv-bronze", "lv-none"] {
        for cell in html.split(&format!("<td class=\"{class}\">")).skip(1) {
            let text = cell.split('<').next().unwrap();
            assert!(!text.trim().is_empty(), "a {class} cell without text");
        }
    }
    // Three charts, drawn as SVG in the page, each with its numbers as text.
    for id in ["chart-levels", "chart-categories", "chart-failing"] {
        assert!(
            html.contains(&format!("<svg class=\"chart\" id=\"{id}\"")),
            "{id}"
        );
    }
    assert!(html.contains("aria-label=\"Services by level: none 0, bronze 2, silver 0, gold 1\""));
    assert!(html.contains(">2 of 3</text>"));
    // Filters and sort buttons exist, hidden until the script shows them.
    assert!(html.contains("<form class=\"dashboard-controls\" hidden"));
    assert!(html.contains("data-sort=\"tier\""));
    assert!(html.contains("<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"Table of services by category\"><table class=\"dashboard-grid\">"));
    // The waivers page and the team pages are one click away.
    assert!(
        html.contains("<a href=\"../waivers.html\">Waivers (1)</a>"),
        "{html}"
    );
    assert!(html.contains("<a href=\"../teams/team-data.html\">team-data</a>"));
}

#[test]
fn the_dashboard_is_the_last_part_after_a_summary_and_joins_folder_navigation() {
    let dir = fixture("services-good");
    let out = dir.path().join("site");
    build(dir.path(), &out);
    let home = page(&out, "index.html");
    let part = home
        .find("Handbook")
        .expect("a last part for generated pages");
    let link = home
        .find("href=\"services/index.html\"")
        .expect("a link to the dashboard");
    assert!(part < link, "{home}");
    // On the dashboard, its waivers and team pages are listed under it.
    let dashboard = page(&out, "services/index.html");
    let nav = &dashboard[..dashboard.find("<main").unwrap()];
    assert!(nav.contains("href=\"../waivers.html\""), "{nav}");
    assert!(
        nav.contains("href=\"../teams/team-payments.html\""),
        "{nav}"
    );

    let dir = fixture("services-teams");
    let out = dir.path().join("site");
    build(dir.path(), &out);
    let home = page(&out, "index.html");
    assert!(home.contains("href=\"services/index.html\""), "{home}");
}

#[test]
fn an_owner_that_names_no_team_is_a_schema_finding_with_did_you_mean() {
    let dir = fixture("services-teams");
    let (code, report) = check_json(dir.path(), &["--rule", "schema"]);
    assert_eq!(code, 1, "{report:#}");
    let found = findings(&report);
    assert_eq!(
        found,
        [(
            "schema".to_string(),
            "error".to_string(),
            "content/services/lab.yaml".to_string(),
            Some(3),
            Some(8)
        )],
        "{report:#}"
    );
    let finding = &report["findings"][0];
    assert_eq!(
        finding["message"],
        "owner `serach` of service `lab` is not a team of content/teams.yaml"
    );
    assert_eq!(finding["help"], "did you mean `search`?");

    // Fixed, the schema rule has nothing to say.
    write(
        dir.path(),
        "content/services/lab.yaml",
        "service: lab\nowner: search\ntier: 4\nlast_reviewed: 2026-10-01\n",
    );
    let (code, report) = check_json(dir.path(), &["--rule", "schema"]);
    assert_eq!(
        (code, report["findings"].as_array().unwrap().len()),
        (0, 0),
        "{report:#}"
    );
}

#[test]
fn a_malformed_teams_file_gives_findings_at_their_values() {
    let dir = fixture("services-teams");
    write(
        dir.path(),
        "content/teams.yaml",
        "teams:\n  - id: payments\n    chat: [one, two]\n  - name: Search\n  - id: payments\n    chanel: x\n",
    );
    let (code, report) = check_json(dir.path(), &["--rule", "schema"]);
    assert_eq!(code, 1);
    let places: Vec<(String, Option<u64>, Option<u64>)> = findings(&report)
        .into_iter()
        .filter(|f| f.2 == "content/teams.yaml")
        .map(|f| (f.2, f.3, f.4))
        .collect();
    let at = |line, column| ("content/teams.yaml".to_string(), Some(line), Some(column));
    assert_eq!(
        places,
        [at(3, 11), at(4, 5), at(5, 9), at(6, 5)],
        "{report:#}"
    );
    let messages = messages(&report);
    assert!(
        messages
            .iter()
            .any(|m| m.contains("unknown key `chanel` in a team")),
        "{messages:?}"
    );
    // A teams file that is not YAML is a syntax finding with its position.
    write(dir.path(), "content/teams.yaml", "teams: [\n");
    let (code, report) = check_json(dir.path(), &["--rule", "syntax"]);
    assert_eq!(code, 1);
    let found = findings(&report);
    assert_eq!(found.len(), 1, "{report:#}");
    assert_eq!(found[0].2, "content/teams.yaml");
    assert!(found[0].3.is_some(), "{report:#}");
}

#[test]
fn a_team_page_lists_services_failing_items_runbooks_decisions_reviews_and_contacts() {
    let dir = fixture("services-teams");
    let out = dir.path().join("site");
    let output = build(dir.path(), &out);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let html = page(&out, "teams/payments.html");
    assert!(
        html.contains("<h1>Payments &lt;script&gt;alert(&#39;team&#39;)&lt;/script&gt;</h1>"),
        "{html}"
    );
    assert!(html.contains(
        "<a href=\"https://chat.example.com/payments\">https://chat.example.com/payments</a>"
    ));
    assert!(html.contains("<dd>page &lt;b&gt;payments-primary&lt;/b&gt;</dd>"));
    // Its services only, with level and score, linking to their cards (the sidebar
    // lists every card; the page's own content is what counts here).
    let content = main(&html);
    assert!(content.contains("<a href=\"../services/ledger.html\">Ledger</a>"));
    assert!(content.contains("<a href=\"../services/checkout.html\">"));
    assert!(!content.contains("indexer"));
    // Failing required items: the expired waiver fails; a valid waiver does not.
    assert!(html.contains("<code>reliability.timeouts</code>"), "{html}");
    assert!(!html.contains("ledger.html\">ledger</a></td><td><code>reliability.connection-pools"));
    assert!(
        html.contains("checkout.html\">checkout</a></td><td><code>reliability.connection-pools")
    );
    // The runbook it owns, the ADR about its service, and the reviews falling due.
    assert!(html.contains("<a href=\"../runbooks/ledger.html\">Ledger out of balance</a>"));
    assert!(
        html.contains("ADR-0001: Keep the ledger in one database</a>"),
        "{html}"
    );
    let reviews =
        &html[html.find("id=\"reviews\"").unwrap()..html.find("id=\"runbooks\"").unwrap()];
    assert!(reviews.contains("runbook <a href=\"../runbooks/ledger.html\">Ledger out of balance</a>: <strong>overdue</strong> since 2026-07-30"), "{reviews}");
    assert!(reviews.contains("due 2026-11-28"), "{reviews}");
    // Contacts without a link scheme stay text.
    let search = page(&out, "teams/search.html");
    assert!(search.contains("<dd>#search</dd>"), "{search}");
    assert!(search.contains("Search indexer"));
    // A team of the file without services still has its page.
    assert!(page(&out, "teams/data.html").contains("No service names this team as its owner."));
}

#[test]
fn without_teams_yaml_team_pages_group_by_the_owner_string() {
    let dir = fixture("services-good");
    let out = dir.path().join("site");
    build(dir.path(), &out);
    let html = page(&out, "teams/team-b-notify-b.html");
    assert!(
        html.contains("<h1>team-&lt;b&gt;notify&lt;/b&gt;</h1>"),
        "{html}"
    );
    assert!(html.contains("(the <code>owner</code> of its services)"));
    let content = main(&html);
    assert!(content.contains("services/notify.html"));
    assert!(!content.contains("services/payments.html"));
}

#[test]
fn the_waivers_page_lists_every_waiver_by_expiry_marking_expired_and_ending() {
    let dir = fixture("services-teams");
    let out = dir.path().join("site");
    build(dir.path(), &out);
    let html = page(&out, "waivers.html");
    let order: Vec<&str> = html
        .split("<td><code>")
        .skip(1)
        .map(|rest| rest.split('<').next().unwrap())
        .collect();
    assert_eq!(
        order,
        [
            "reliability.timeouts",
            "reliability.retries",
            "reliability.connection-pools"
        ]
    );
    assert!(
        html.contains("<strong class=\"mark mark-expired\">expired</strong> 26 days ago"),
        "{html}"
    );
    assert!(html.contains("<strong class=\"mark mark-ending\">ends soon</strong>: 8 days"));
    assert!(html.contains("<td>94 days</td>"));
    assert!(html.contains("<td>&lt;script&gt;alert(&#39;reason&#39;)&lt;/script&gt;</td>"));
    assert!(html.contains("<td>&lt;i&gt;dana&lt;/i&gt;</td>"));
}

#[test]
fn a_script_in_any_yaml_string_is_escaped_on_every_overview_page() {
    for name in ["services-good", "services-teams"] {
        let dir = fixture(name);
        let out = dir.path().join("site");
        build(dir.path(), &out);
        for (path, bytes) in tree(&out) {
            let is_overview = path == "waivers.html"
                || path == "services/index.html"
                || path.starts_with("teams/");
            if !is_overview {
                continue;
            }
            let html = String::from_utf8(bytes).unwrap();
            assert!(!html.contains("<script>alert"), "{name}: {path}");
            assert!(
                !html.contains("<b>notify") && !html.contains("<i>dana"),
                "{name}: {path}"
            );
        }
        assert!(tree(&out).contains_key("services/index.html"), "{name}");
    }
}

#[test]
fn a_page_at_a_reserved_overview_path_is_a_finding() {
    let dir = fixture("services-teams");
    write(dir.path(), "content/waivers.md", "# Our waivers\n");
    write(dir.path(), "content/teams/search.md", "# Search\n");
    let (_, report) = check_json(dir.path(), &["--rule", "schema"]);
    let messages = messages(&report);
    assert!(
        messages.iter().any(|m| m.contains(
            "`waivers.md` would be written to `waivers.html`, which is the waivers page"
        )),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("where the page of team `search` goes")),
        "{messages:?}"
    );
}

#[test]
fn a_handbook_without_services_has_no_overview_pages() {
    let dir = handbook(&[
        ("book.toml", "[book]\nsrc = \"content\"\n"),
        ("content/index.md", "# Home\n"),
    ]);
    let out = dir.path().join("site");
    build(dir.path(), &out);
    let files = tree(&out);
    assert!(!files.contains_key("services/index.html"));
    assert!(!files.contains_key("waivers.html"));
    assert!(!files.keys().any(|path| path.starts_with("teams/")));
}

/// A page's own content: what is inside `<main>`, without the sidebar.
fn main(html: &str) -> &str {
    let start = html.find("<main").expect("a <main>");
    let end = html.find("</main>").expect("a </main>");
    &html[start..end]
}

#[test]
fn with_many_services_the_sidebar_lists_the_dashboard_not_every_card() {
    let dir = handbook(&[
        ("book.toml", "[book]\nsrc = \"content\"\n"),
        ("content/index.md", "# Home\n"),
    ]);
    for n in 0..51 {
        write(
            dir.path(),
            &format!("content/services/s{n:02}.yaml"),
            &format!(
                "service: s{n:02}\nowner: team\ntier: 4\nstandard: production-readiness\nlast_reviewed: 2026-11-01\n"
            ),
        );
    }
    let out = dir.path().join("site");
    let built = build(dir.path(), &out);
    assert_eq!(built.status.code(), Some(0), "{}", stderr(&built));
    let html = page(&out, "services/index.html");
    let sidebar = &html[html.find("<nav class=\"sidebar\"").unwrap()..];
    let sidebar = &sidebar[..sidebar.find("</nav>").unwrap()];
    assert!(sidebar.contains(">Services</a>"), "{sidebar}");
    assert!(!sidebar.contains("s00.html"), "{sidebar}");
    assert!(
        main(&html).contains("s50.html"),
        "the grid lists every card"
    );
}
