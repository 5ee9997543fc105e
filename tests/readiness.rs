//! Service checklists end to end: the findings of each rule at their file, line and
//! column, the exit codes, `readiness.json` against its schema, hostile YAML, the
//! monorepo globs, a replaced standard, suppressions and `new service`.

mod common;

use common::*;
use serde_json::Value;

/// The findings of `rule` as (file, line, column, message).
fn of_rule(report: &Value, rule: &str) -> Vec<(String, u64, u64, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == rule)
        .map(|f| {
            (
                f["file"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap_or(0),
                f["column"].as_u64().unwrap_or(0),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The one finding of `rule` at `file:line:column`; panics unless there is exactly one.
fn at<'a>(report: &'a Value, rule: &str, file: &str, line: u64, column: u64) -> &'a Value {
    let found: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            f["rule"] == rule && f["file"] == file && f["line"] == line && f["column"] == column
        })
        .collect();
    assert_eq!(
        found.len(),
        1,
        "{rule} at {file}:{line}:{column}: {report:#}"
    );
    found[0]
}

fn readiness_json(out: &std::path::Path) -> Value {
    serde_json::from_slice(&std::fs::read(out.join("readiness.json")).unwrap()).unwrap()
}

fn schema(name: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("schema")
        .join(name);
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

#[test]
fn a_good_handbook_passes_with_every_state_and_level() {
    let dir = fixture("services-good");
    let (code, report) = check_json(dir.path(), &[]);
    // The only finding: an item of the small standard not enforced before 2099.
    assert_eq!(code, 0, "{report:#}");
    let warning = at(&report, "readiness", "content/services/batch.yaml", 1, 10);
    assert_eq!(warning["severity"], "warning");
    assert_eq!(warning["advisory"], true);
    assert!(
        warning["message"]
            .as_str()
            .unwrap()
            .contains("enforced from 2099-01-01"),
        "{warning:#}"
    );
    assert_eq!(
        report["findings"].as_array().unwrap().len(),
        1,
        "{report:#}"
    );

    let out = tempfile::tempdir().unwrap();
    let built = build(dir.path(), &out.path().join("site"));
    assert_eq!(built.status.code(), Some(0), "{}", stderr(&built));
    let site = out.path().join("site");
    let json = readiness_json(&site);
    let errors = schema_errors(&schema("readiness.schema.json"), &json);
    assert!(errors.is_empty(), "{}\n{json:#}", errors.join("\n"));
    assert_eq!(json["date"], TODAY);
    let services: Vec<&Value> = json["services"].as_array().unwrap().iter().collect();
    let ids: Vec<&str> = services
        .iter()
        .map(|s| s["service"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["batch", "notify", "payments"]);

    let payments = services[2];
    assert_eq!(payments["level"], "gold");
    assert_eq!(payments["tier"], 1);
    assert_eq!(payments["owner"], "team-payments");
    // 30 items, one n/a: 29 apply, all pass or are exempt.
    assert_eq!(
        payments["score"],
        serde_json::json!({"passed": 29, "applicable": 29})
    );
    assert_eq!(payments["next"], Value::Null);
    let items = payments["items"].as_object().unwrap();
    assert_eq!(items.len(), 30);
    assert_eq!(items["reliability.retries"]["state"], "exempt");
    assert_eq!(items["performance.caching"]["state"], "n/a");
    assert_eq!(items["monitoring.alert-runbooks"]["state"], "pass");
    assert_eq!(items["documentation.adrs"]["state"], "pass");
    assert_eq!(items["documentation.deploy-runbook"]["state"], "pass");
    assert_eq!(
        payments["categories"]["performance"],
        serde_json::json!({"passed": 4, "applicable": 4})
    );

    // Tier 3 with every bronze item done: bronze, and the silver items it lacks.
    let notify = services[1];
    assert_eq!(notify["level"], "bronze");
    assert_eq!(notify["next"]["level"], "silver");
    let blocking = notify["next"]["blocking"].as_array().unwrap();
    assert!(blocking.iter().any(|id| id == "reliability.retries"));
    let items = notify["items"].as_object().unwrap();
    assert_eq!(items["deployment.zero-downtime"]["state"], "fail");
    assert_eq!(items["deployment.zero-downtime"]["required"], false);
    assert_eq!(items["security.encryption"]["state"], "unknown");
    assert_eq!(items["monitoring.alert-runbooks"]["state"], "fail");

    // The small standard: file-exists found `services/batch/README.md` at the root.
    let batch = services[0];
    assert_eq!(batch["standard"], "small");
    assert_eq!(batch["items"]["docs.readme"]["state"], "pass");
    assert_eq!(
        batch["score"],
        serde_json::json!({"passed": 1, "applicable": 2})
    );
    assert_eq!(batch["review"]["state"], "current");
    assert_eq!(batch["review"]["due"], "2027-03-30");

    // The YAML is data: read, never copied; the schemas are published.
    assert!(!site.join("services/payments.yaml").exists());
    assert!(!site.join("standards/small.yaml").exists());
    for name in [
        "service.schema.json",
        "standard.schema.json",
        "readiness.schema.json",
    ] {
        assert_eq!(
            std::fs::read(site.join("schema").join(name)).unwrap(),
            std::fs::read(
                std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("schema")
                    .join(name)
            )
            .unwrap()
        );
    }
}

#[test]
fn script_in_yaml_strings_stays_plain_text_in_readiness_json() {
    let dir = fixture("services-good");
    let out = tempfile::tempdir().unwrap();
    build(dir.path(), out.path());
    let json = readiness_json(out.path());
    let notify = &json["services"][1];
    assert_eq!(notify["title"], "Notifications <script>alert(1)</script>");
    assert_eq!(notify["owner"], "team-<b>notify</b>");
    let text = std::fs::read_to_string(out.path().join("readiness.json")).unwrap();
    assert!(!text.contains("&lt;"), "not HTML-escaped in JSON");
}

#[test]
fn the_service_and_standard_schemas_accept_the_good_files() {
    let dir = fixture("services-good");
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for (path, name) in [
        (
            dir.path().join("content/services/payments.yaml"),
            "service.schema.json",
        ),
        (
            dir.path().join("content/services/notify/service.yaml"),
            "service.schema.json",
        ),
        (
            dir.path().join("content/services/batch.yaml"),
            "service.schema.json",
        ),
        (
            dir.path().join("content/standards/small.yaml"),
            "standard.schema.json",
        ),
        (
            manifest.join("src/standards/production-readiness.yaml"),
            "standard.schema.json",
        ),
    ] {
        let value = yaml_to_json(&std::fs::read_to_string(&path).unwrap());
        let errors = schema_errors(&schema(name), &value);
        assert!(
            errors.is_empty(),
            "{}: {}",
            path.display(),
            errors.join("\n")
        );
    }
    let wrong = yaml_to_json("service: x\ntier: 7\nchecks:\n  a.b: {status: don}\n");
    assert_eq!(
        schema_errors(&schema("service.schema.json"), &wrong).len(),
        2
    );
}

/// YAML as JSON, dates as strings (as YAML 1.2 has them).
fn yaml_to_json(text: &str) -> Value {
    serde_saphyr::from_str(text).unwrap()
}

#[test]
fn schema_problems_point_at_their_values() {
    let dir = fixture("services-bad");
    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let typo = "content/services/typo.yaml";
    let unknown = at(&report, "schema", typo, 2, 1);
    assert!(
        unknown["message"]
            .as_str()
            .unwrap()
            .contains("unknown key `ownr`")
    );
    assert!(
        unknown["help"]
            .as_str()
            .unwrap()
            .contains("did you mean `owner`?")
    );
    assert!(
        at(&report, "schema", typo, 3, 7)["message"]
            .as_str()
            .unwrap()
            .contains("tier from 1 to 4")
    );
    assert!(
        at(&report, "schema", typo, 4, 8)["message"]
            .as_str()
            .unwrap()
            .contains("`title` expects text, found a list")
    );
    let item = at(&report, "schema", typo, 7, 3);
    assert!(
        item["message"]
            .as_str()
            .unwrap()
            .contains("`reliability.timeout` is not an item")
    );
    assert!(
        item["help"]
            .as_str()
            .unwrap()
            .contains("did you mean `reliability.timeouts`?")
    );
    let status = at(&report, "schema", typo, 10, 13);
    assert!(
        status["help"]
            .as_str()
            .unwrap()
            .contains("did you mean `done`?")
    );
    assert!(
        at(&report, "schema", typo, 12, 13)["message"]
            .as_str()
            .unwrap()
            .contains("n/a without a `note`")
    );
    assert!(
        at(&report, "schema", typo, 15, 13)["message"]
            .as_str()
            .unwrap()
            .contains("no `approved_by`")
    );
    // Tier 7 is judged as tier 4: nothing is required of it.
    assert!(
        of_rule(&report, "readiness").iter().all(|f| f.0 != typo),
        "{report:#}"
    );

    let standard = at(&report, "schema", "content/services/other.yaml", 3, 11);
    assert!(
        standard["message"]
            .as_str()
            .unwrap()
            .contains("unknown standard `production-readyness`")
    );
    assert!(
        standard["help"]
            .as_str()
            .unwrap()
            .contains("did you mean `production-readiness`?")
    );

    let a = at(&report, "schema", "content/services/dup-a.yaml", 1, 10);
    let b = at(&report, "schema", "content/services/dup-b.yaml", 1, 10);
    assert_eq!(a["related"][0]["file"], "content/services/dup-b.yaml");
    assert_eq!(b["related"][0]["file"], "content/services/dup-a.yaml");
    assert_eq!(a["related"][0]["line"], 1);
}

#[test]
fn readiness_evidence_waivers_alerts_and_review_dates() {
    let dir = fixture("services-bad");
    let (_, report) = check_json(dir.path(), &[]);
    let links = "content/services/links.yaml";
    // Not mentioned: on the `checks:` line.
    let unmentioned: Vec<_> = of_rule(&report, "readiness")
        .into_iter()
        .filter(|f| f.0 == links && (f.1, f.2) == (10, 1))
        .collect();
    assert!(
        unmentioned
            .iter()
            .any(|f| f.3.contains("`reliability.error-context`")
                && f.3.contains("is not mentioned in the checklist")),
        "{unmentioned:?}"
    );
    let rollback = at(&report, "readiness", links, 22, 3);
    let message = rollback["message"].as_str().unwrap();
    assert!(message.contains("`deployment.rollback` (A release can be rolled back in under five minutes) is required for tier 1"), "{message}");
    assert!(
        rollback["help"].as_str().unwrap().contains("evidence"),
        "{rollback:#}"
    );
    assert_eq!(rollback["subject"], "links");
    assert_eq!(rollback["severity"], "error");

    let evidence = of_rule(&report, "evidence");
    let places: Vec<(u64, u64)> = evidence.iter().map(|f| (f.1, f.2)).collect();
    assert_eq!(places, [(13, 16), (13, 34), (13, 58)], "{evidence:?}");
    assert!(evidence[0].3.contains("`guide/missing.md` does not exist"));
    assert!(evidence[1].3.contains("no section `#nowhere`"));
    assert!(evidence[2].3.contains("`/ops/missing.sh` does not exist"));
    // With none of its evidence resolving, the timeouts item fails.
    assert!(
        at(&report, "readiness", links, 11, 3)["message"]
            .as_str()
            .unwrap()
            .contains("none of it resolves")
    );

    let expired = at(&report, "waiver-expired", links, 16, 65);
    assert_eq!(expired["severity"], "error");
    assert!(
        at(&report, "readiness", links, 14, 3)["message"]
            .as_str()
            .unwrap()
            .contains("waiver expired on 2026-11-01")
    );
    let soon = at(&report, "waiver-expired", links, 19, 68);
    assert_eq!(soon["severity"], "warning");
    assert!(soon["message"].as_str().unwrap().contains("in 8 days"));

    let alerts = of_rule(&report, "alert-runbook");
    let places: Vec<(u64, u64)> = alerts.iter().map(|f| (f.1, f.2)).collect();
    assert_eq!(places, [(5, 11), (7, 14), (9, 14)], "{alerts:?}");
    assert!(alerts[0].3.contains("`NoRunbook` has no runbook"));
    assert!(alerts[1].3.contains("did you mean `#mitigation`?"));
    assert!(alerts[2].3.contains("is not a runbook"));
    // The automatic rule decides, whatever the status says, and says it ignored it.
    assert!(
        at(&report, "readiness", links, 20, 3)["message"]
            .as_str()
            .unwrap()
            .contains("3 of 3 alerts")
    );
    let ignored = at(&report, "schema", links, 21, 13);
    assert_eq!(ignored["severity"], "warning");
    assert!(ignored["message"].as_str().unwrap().contains("is ignored"));

    let stale = at(&report, "stale", links, 3, 16);
    assert!(
        stale["message"]
            .as_str()
            .unwrap()
            .contains("`[policy.service] max-age`")
    );
}

#[test]
fn enforce_from_and_the_severity_policy() {
    let dir = fixture("services-bad");
    write(
        dir.path(),
        "book.toml",
        "[book]\ntitle = \"Bad services\"\nsrc = \"content\"\n[policy.severity]\nreadiness = \"warning\"\n",
    );
    let (_, report) = check_json(dir.path(), &["--rule", "readiness"]);
    let found = findings(&report);
    assert!(!found.is_empty());
    assert!(found.iter().all(|f| f.1 == "warning"), "{report:#}");
}

#[test]
fn suppressions_work_in_service_files() {
    let dir = fixture("services-bad");
    let path = dir.path().join("content/services/links.yaml");
    let text = std::fs::read_to_string(&path).unwrap().replace(
        "  deployment.rollback:",
        "  # shipshape-disable-next-line readiness -- rolled back by the platform team\n  deployment.rollback:",
    );
    std::fs::write(&path, text).unwrap();
    let (_, report) = check_json(dir.path(), &[]);
    assert!(
        of_rule(&report, "readiness")
            .iter()
            .all(|f| !f.3.contains("deployment.rollback")),
        "{report:#}"
    );
    assert_eq!(report["summary"]["suppressed"], 1);
    assert!(of_rule(&report, "suppression").is_empty(), "{report:#}");
}

#[test]
fn hostile_yaml_is_a_finding_not_a_hang() {
    let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for (name, prev) in ["b", "c", "d", "e", "f", "g", "h", "i"]
        .iter()
        .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
    {
        bomb.push_str(&format!("{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
    }
    bomb.push_str("service: bomb\n");
    let deep = format!(
        "service: deep\ntier: {}1{}\n",
        "[".repeat(500),
        "]".repeat(500)
    );
    let mut nested = String::from("service: nested\nchecks:\n");
    for depth in 1..200 {
        nested.push_str(&format!("{}k{depth}:\n", "  ".repeat(depth)));
    }
    let big = format!("service: big\nnote: \"{}\"\n", "x".repeat(5 * 1024 * 1024));
    let dir = handbook(&[
        ("book.toml", "[book]\ntitle = \"H\"\nsrc = \"content\"\n"),
        ("content/index.md", "# Home\n"),
        ("content/services/bomb.yaml", &bomb),
        ("content/services/deep.yaml", &deep),
        ("content/services/nested.yaml", &nested),
        ("content/services/big.yaml", &big),
    ]);
    let started = std::time::Instant::now();
    let (code, report) = check_json(dir.path(), &[]);
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    assert_eq!(code, 1, "{report:#}");
    let syntax = of_rule(&report, "syntax");
    let files: Vec<&str> = syntax.iter().map(|f| f.0.as_str()).collect();
    assert_eq!(
        files,
        [
            "content/services/big.yaml",
            "content/services/bomb.yaml",
            "content/services/deep.yaml",
            "content/services/nested.yaml"
        ],
        "{report:#}"
    );
    assert!(syntax[0].3.contains("5.2 MB"), "{syntax:?}");
}

#[test]
fn checklists_beside_their_code_in_a_monorepo() {
    let repo = handbook(&[
        (
            "docs/book.toml",
            "[book]\ntitle = \"H\"\nsrc = \"content\"\n[shipshape]\nservices = [\"../*/readiness.yaml\"]\n",
        ),
        ("docs/content/index.md", "# Home\n"),
        (
            "billing/readiness.yaml",
            "service: billing\ntier: 2\nlast_reviewed: 2026-10-01\nchecks:\n  reliability.timeouts:\n    status: todo\n",
        ),
        (
            "billing/deep/readiness.yaml",
            "service: too-deep\ntier: 1\n",
        ),
        ("billing/README.md", "# Billing\n"),
    ]);
    git_init(repo.path());
    let (code, report) = check_json(&repo.path().join("docs"), &["--rule", "readiness"]);
    assert_eq!(code, 1);
    let timeouts = at(&report, "readiness", "../billing/readiness.yaml", 5, 3);
    assert_eq!(timeouts["subject"], "billing");
    assert!(
        findings(&report)
            .iter()
            .all(|f| f.2 == "../billing/readiness.yaml"),
        "{report:#}"
    );
}

#[test]
fn a_handbook_standard_replaces_the_builtin_one() {
    let dir = handbook(&[
        ("book.toml", "[book]\ntitle = \"H\"\nsrc = \"content\"\n"),
        ("content/index.md", "# Home\n"),
        (
            "content/standards/production-readiness.yaml",
            "id: production-readiness\ncategories:\n  - id: basics\n    items:\n      - id: owner\n        title: Someone owns it\n        tiers: [1, 2]\n",
        ),
        (
            "content/services/a.yaml",
            "service: a\ntier: 1\nlast_reviewed: 2026-10-01\nchecks:\n  reliability.timeouts:\n    status: done\n",
        ),
    ]);
    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let unknown = at(&report, "schema", "content/services/a.yaml", 5, 3);
    assert!(unknown["message"].as_str().unwrap().contains("not an item"));
    let owner = of_rule(&report, "readiness");
    assert_eq!(owner.len(), 1, "{report:#}");
    assert!(owner[0].3.contains("`basics.owner` (Someone owns it)"));
}

#[test]
fn new_service_writes_every_item_and_refuses_to_overwrite() {
    let dir = handbook(&[
        ("book.toml", "[book]\ntitle = \"H\"\nsrc = \"content\"\n"),
        ("content/index.md", "# Home\n"),
    ]);
    let run = |args: &[&str]| {
        shipshape()
            .args(["new", "service"])
            .args(args)
            .arg(dir.path())
            .args(["--today", TODAY])
            .output()
            .unwrap()
    };
    let made = run(&["billing", "--owner", "team-billing"]);
    assert_eq!(made.status.code(), Some(0), "{}", stderr(&made));
    let text = std::fs::read_to_string(dir.path().join("content/services/billing.yaml")).unwrap();
    let first = text.lines().next().unwrap();
    assert_eq!(
        first,
        "# yaml-language-server: $schema=../../book/schema/service.schema.json"
    );
    assert!(text.contains(&format!("last_reviewed: {TODAY}\n")));
    assert!(text.contains("tier: 4\n"));
    assert_eq!(text.matches("status: todo").count(), 27);
    assert!(
        text.contains(
            "# monitoring.alert-runbooks: checked by the automatic rule `alert-runbooks`"
        )
    );
    // Tier 4 requires nothing: a new checklist does not break the build.
    assert_no_findings(dir.path(), &[]);

    let again = run(&["billing"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("never overwrites"));

    // At tier 2 every item its tier requires is a finding until it is filled in.
    let tier2 = run(&["web", "--tier", "2"]);
    assert_eq!(tier2.status.code(), Some(0));
    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let required = of_rule(&report, "readiness");
    // The 24 items of tier 2, the three automatic ones among them.
    assert_eq!(required.len(), 24, "{report:#}");
    assert!(required.iter().all(|f| f.0 == "content/services/web.yaml"));
    let built = build(dir.path(), &dir.path().join("book"));
    assert_eq!(built.status.code(), Some(1));
    assert!(dir.path().join("book/schema/service.schema.json").exists());

    let bad = run(&["../escape"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn a_waiver_exempts_an_item_an_automatic_rule_decides_until_it_expires() {
    let service = |id: &str, expires: &str| {
        format!(
            "service: {id}\nowner: team\ntier: 2\nstandard: production-readiness\nlast_reviewed: 2026-11-01\nchecks:\n  documentation.adrs:\n    status: waived\n    waiver: {{reason: \"decisions live in the {id} repository\", approved_by: dana, expires: {expires}}}\n"
        )
    };
    let valid = service("api", "2027-06-30");
    let expired = service("web", "2026-11-01");
    let dir = handbook(&[
        ("book.toml", "[book]\nsrc = \"content\"\n"),
        ("content/index.md", "# Home\n"),
        ("content/services/api.yaml", &valid),
        ("content/services/web.yaml", &expired),
    ]);
    let (_, report) = check_json(dir.path(), &[]);
    let about_adrs: Vec<(String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            f["message"]
                .as_str()
                .unwrap()
                .contains("documentation.adrs")
        })
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["file"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        !about_adrs
            .iter()
            .any(|(_, file)| file.ends_with("api.yaml")),
        "a valid waiver exempts the automatic rule: {about_adrs:?}"
    );
    assert!(
        about_adrs
            .iter()
            .any(|(_, file)| file.ends_with("web.yaml")),
        "an expired one does not: {about_adrs:?}"
    );
}
