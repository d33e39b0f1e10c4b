//! `livery check`: one fixture per rule, each proving the finding appears with the
//! right rule, file, line and partner, and that the clean fixture has none.

mod common;

use common::Fixture;
use serde_json::Value;

/// Runs `livery check --format json` with `args`, returning the exit code and the document.
fn check(project: &Fixture, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["check", "--format", "json"];
    if !args.contains(&"--today") {
        all.extend(["--today", "2026-11-23"]);
    }
    all.extend_from_slice(args);
    let output = project.run(&all);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let document: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{stdout}\n{}", common::stderr(&output)));
    (output.status.code().unwrap(), document)
}

/// The findings of one rule.
fn findings(document: &Value, rule: &str) -> Vec<Value> {
    document["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == rule).cloned().collect()
}

/// The one finding of `rule`, checked to be at `file:line`.
fn only(document: &Value, rule: &str, file: &str, line: u64) -> Value {
    let found = findings(document, rule);
    assert_eq!(found.len(), 1, "expected one `{rule}` finding: {document:#}");
    assert_eq!(found[0]["file"], file, "{:#}", found[0]);
    assert_eq!(found[0]["line"], line, "{:#}", found[0]);
    found[0].clone()
}

#[test]
fn the_clean_fixture_has_no_findings_and_nothing_is_written() {
    let project = Fixture::new();
    let (code, document) = check(&project, &[]);
    assert_eq!(code, 0);
    assert_eq!(document["findings"], Value::Array(vec![]), "{document:#}");
    assert_eq!(document["partners"], serde_json::json!(["alpha", "beta"]));
    assert_eq!(document["summary"]["errors"], 0);
    assert!(!project.exists("public"), "check must not write any output");
}

#[test]
fn broken_links_anchors_and_missing_files() {
    let project = Fixture::new();
    project.file(
        "content/runbooks/restore.md",
        "# Restore\n\nSee [nothing](missing.md).\n\nAnd [promote](failover.md#promot).\n\n![diagram](img/flow.png)\n",
    );
    let (code, document) = check(&project, &[]);
    assert_eq!(code, 1);
    let link = only(&document, "broken-link", "content/runbooks/restore.md", 3);
    assert_eq!(link["column"], 5);
    assert_eq!(link["partner"], Value::Null, "every partner has it: {link:#}");
    assert_eq!(link["severity"], "error");
    let anchor = only(&document, "broken-anchor", "content/runbooks/restore.md", 5);
    assert!(anchor["help"].as_str().unwrap().contains("#promote"), "{anchor:#}");
    only(&document, "missing-file", "content/runbooks/restore.md", 7);
}

#[test]
fn links_to_pages_a_partner_does_not_carry_name_the_partner() {
    let project = Fixture::new();
    project.file(
        "content/runbooks/failover.md",
        "+++\nexclude_partners = [\"beta\"]\n+++\n# Fail over\n\n## Promote {#promote}\n",
    );
    let (code, document) = check(&project, &[]);
    assert_eq!(code, 1);
    let finding = only(&document, "not-carried", "content/runbooks/restore.md", 7);
    assert_eq!(finding["partner"], "beta");
    let counts = &document["summary"]["by_partner"];
    assert_eq!(counts[0], serde_json::json!({"partner": "alpha", "errors": 0, "warnings": 0}));
    assert_eq!(counts[1], serde_json::json!({"partner": "beta", "errors": 1, "warnings": 0}));
}

const SCHEMA: &str = "title = \"Test KB\"\n\n[sections.runbooks]\nrequired = [\"owner\", \"last_reviewed\", \"severity\"]\nmax_age_days = 90\nfields.severity = { type = \"string\", allowed = [\"sev1\", \"sev2\"] }\nfields.service = { type = \"list\", allowed = [\"db\", \"web\"] }\n";

#[test]
fn schema_violations_are_errors_and_unknown_fields_warnings() {
    let project = Fixture::new();
    project.file("livery.toml", SCHEMA).file(
        "content/runbooks/restore.md",
        "+++\ntitle = \"Restore\"\nowner = \"dba\"\nlast_reviewed = 2026-10-01\nseverity = \"sev9\"\nservice = [\"db\", \"mail\"]\nsevrity = 1\n+++\nText.\n",
    );
    project.file(
        "content/runbooks/failover.md",
        "+++\nowner = \"dba\"\nlast_reviewed = 2026-10-01\nseverity = 1\n+++\n# Fail over\n\n## Promote {#promote}\n",
    );
    let (code, document) = check(&project, &[]);
    assert_eq!(code, 1);
    let schema = findings(&document, "schema");
    let at = |file: &str, line: u64| {
        schema.iter().find(|f| f["file"] == file && f["line"] == line).unwrap_or_else(|| {
            panic!("no schema finding at {file}:{line}: {document:#}");
        })
    };
    assert!(at("content/runbooks/restore.md", 5)["message"].as_str().unwrap().contains("sev9"));
    assert!(at("content/runbooks/restore.md", 6)["message"].as_str().unwrap().contains("\"mail\""));
    let wrong_type = at("content/runbooks/failover.md", 4);
    assert!(wrong_type["message"].as_str().unwrap().contains("must be a string"), "{wrong_type:#}");
    assert_eq!(schema.len(), 3, "{document:#}");
    let unknown = only(&document, "unknown-field", "content/runbooks/restore.md", 7);
    assert_eq!(unknown["severity"], "warning");

    // A missing required field points at the end of the front matter, where it goes.
    project.file("content/runbooks/failover.md", "+++\nowner = \"dba\"\nlast_reviewed = 2026-10-01\n+++\n# Fail over\n\n## Promote {#promote}\n");
    let (_, document) = check(&project, &[]);
    let missing = findings(&document, "schema");
    let missing = missing.iter().find(|f| f["file"] == "content/runbooks/failover.md").unwrap();
    assert_eq!(missing["line"], 4);
    assert!(missing["message"].as_str().unwrap().contains("missing required field `severity`"));

    // build enforces the same schema.
    let output = project.run(&["build"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(common::stderr(&output).contains("missing required field `severity`"));
}

#[test]
fn schema_mistakes_in_livery_toml_are_located() {
    let project = Fixture::new();
    project.file("livery.toml", "[sections.runbooks]\nrequired = [\"owner\", \"severity\"]\n");
    let (code, document) = check(&project, &[]);
    assert_eq!(code, 1);
    let finding = only(&document, "config", "livery.toml", 2);
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .contains("`severity` is neither built in nor declared")
    );
}

#[test]
fn stale_pages_name_the_date_and_the_owner() {
    let project = Fixture::new();
    project.file("livery.toml", "[sections.runbooks]\nmax_age_days = 30\n");
    let (code, document) = check(&project, &["--today", "2026-10-31"]);
    assert_eq!(code, 0);
    let restore = findings(&document, "stale");
    assert!(
        restore.iter().all(|f| f["file"] != "content/runbooks/restore.md"),
        "30 days is not stale: {document:#}"
    );

    let (code, document) = check(&project, &["--today", "2026-11-01"]);
    assert_eq!(code, 1);
    let stale = findings(&document, "stale");
    let in_file = |file: &str| stale.iter().find(|f| f["file"] == file).unwrap().clone();
    let restore = in_file("content/runbooks/restore.md");
    assert_eq!((restore["line"].as_u64(), restore["severity"].as_str()), (Some(5), Some("error")));
    let message = restore["message"].as_str().unwrap();
    assert!(message.contains("2026-10-01") && message.contains("31 days ago"), "{message}");
    assert!(message.contains("owner: dba"), "{message}");
    let never = in_file("content/runbooks/failover.md");
    assert_eq!(never["severity"], "warning", "a page never reviewed is a warning: {never:#}");
    assert_eq!(stale.len(), 2);
}

#[test]
fn template_errors_and_snippet_cycles() {
    let project = Fixture::new();
    project.file(
        "content/runbooks/failover.md",
        "# Fail over\n\n## Promote {#promote}\n\nCall {{ vars.phone }}.\n",
    );
    let (code, document) = check(&project, &[]);
    assert_eq!(code, 1);
    let finding = only(&document, "template", "content/runbooks/failover.md", 5);
    assert!(finding["message"].as_str().unwrap().contains("vars.phone"), "{finding:#}");

    let project = Fixture::new();
    project
        .file("content/_snippets/a.md", "A {{ snippet(\"b\") }}\n")
        .file("content/_snippets/b.md", "B {{ snippet(\"a\") }}\n")
        .file(
            "content/runbooks/failover.md",
            "# Fail over\n\n## Promote {#promote}\n\n{{ snippet(\"a\") }}\n",
        );
    let (code, document) = check(&project, &[]);
    assert_eq!(code, 1);
    let cycle = findings(&document, "template");
    assert!(
        cycle.iter().any(|f| f["message"].as_str().unwrap().contains("cycle")
            && f["file"].as_str().unwrap().starts_with("content/_snippets/")),
        "{document:#}"
    );
}

#[test]
fn other_generators_syntax_is_reported_once_per_construct_and_the_page_is_not_missing() {
    let project = Fixture::new();
    project.file(
        "content/runbooks/failover.md",
        "import Tabs from '@theme/Tabs';\n\n# Fail over\n\n## Promote {#promote}\n\n:::note\nText for {{ partner.name }}.\n:::\n\n<Tabs>\n\n!!! warning \"Careful\"\n\n```\n<Tabs> {{< ref x >}} :::note\n```\n",
    );
    let (code, document) = check(&project, &[]);
    assert_eq!(code, 1);
    let found: Vec<(String, u64, u64)> = findings(&document, "foreign-syntax")
        .iter()
        .map(|f| {
            let file = f["file"].as_str().unwrap().to_owned();
            (file, f["line"].as_u64().unwrap(), f["column"].as_u64().unwrap())
        })
        .collect();
    let at = |line, column| ("content/runbooks/failover.md".to_owned(), line, column);
    assert_eq!(found, [at(1, 1), at(7, 1), at(11, 1), at(13, 1)], "{document:#}");
    // restore.md links to failover.md#promote: a page that did not parse is not missing.
    assert!(findings(&document, "broken-link").is_empty(), "{document:#}");
    assert!(findings(&document, "broken-anchor").is_empty(), "{document:#}");
}

#[test]
fn orphans_are_pages_meant_for_a_partner_whose_section_it_does_not_carry() {
    let project = Fixture::new();
    project
        .file(
            "content/runbooks/_index.md",
            "+++\ntitle = \"Runbooks\"\nexclude_partners = [\"beta\"]\n+++\n",
        )
        .file("content/_index.md", "+++\ntitle = \"Welcome\"\n+++\nHello.\n")
        .file(
            "content/runbooks/beta-only.md",
            "+++\ntitle = \"Beta only\"\npartners = [\"beta\"]\n+++\nText.\n",
        );
    let (code, document) = check(&project, &[]);
    assert_eq!(code, 0, "orphans are warnings: {document:#}");
    let orphan = only(&document, "orphan", "content/runbooks/beta-only.md", 3);
    assert_eq!(orphan["partner"], "beta");
    assert!(orphan["message"].as_str().unwrap().contains("runbooks/_index.md"), "{orphan:#}");
}

#[test]
fn duplicate_urls_are_errors_and_duplicate_titles_warnings() {
    let project = Fixture::new();
    project.file("content/runbooks/failover/_index.md", "+++\ntitle = \"Fail over\"\n+++\n");
    let (code, document) = check(&project, &[]);
    assert_eq!(code, 1);
    let finding = findings(&document, "duplicate-url");
    assert_eq!(finding.len(), 1, "{document:#}");
    assert!(finding[0]["message"].as_str().unwrap().contains("/runbooks/failover/"));

    let project = Fixture::new();
    project.file(
        "content/runbooks/copy.md",
        "+++\nweight = 5\ntitle = \"Restore a backup\"\n+++\nText.\n",
    );
    let (code, document) = check(&project, &[]);
    assert_eq!(code, 0);
    let duplicate = only(&document, "duplicate-title", "content/runbooks/copy.md", 3);
    assert!(duplicate["message"].as_str().unwrap().contains("content/runbooks/restore.md"));
}

#[test]
fn another_partners_name_or_address_is_a_brand_leak_on_the_sites_that_show_it() {
    let project = Fixture::new();
    project.file(
        "content/runbooks/failover.md",
        "# Fail over\n\n## Promote {#promote}\n\nAsk Beta Retail, or mail help@alpha.test.\n\n{% if partner.id == \"beta\" %}Beta Retail customers call us.{% endif %}\n",
    );
    let (code, document) = check(&project, &[]);
    assert_eq!(code, 1);
    let leaks = findings(&document, "brand-leak");
    assert_eq!(leaks.len(), 2, "{document:#}");
    let on = |partner: &str| leaks.iter().find(|f| f["partner"] == partner).unwrap().clone();
    let on_alpha = on("alpha");
    assert_eq!((on_alpha["line"].as_u64(), on_alpha["column"].as_u64()), (Some(5), Some(5)));
    assert!(on_alpha["message"].as_str().unwrap().contains("Beta Retail"));
    let on_beta = on("beta");
    assert_eq!((on_beta["line"].as_u64(), on_beta["column"].as_u64()), (Some(5), Some(26)));
    assert!(on_beta["message"].as_str().unwrap().contains("help@alpha.test"));

    // Words that merely contain a name are not leaks.
    project.file(
        "content/runbooks/failover.md",
        "# Fail over\n\n## Promote {#promote}\n\nBeta Retailers and alpha.tester.\n",
    );
    let (code, document) = check(&project, &[]);
    assert_eq!((code, findings(&document, "brand-leak").len()), (0, 0), "{document:#}");
}

#[test]
fn a_partners_template_override_can_leak_too() {
    let project = Fixture::new();
    project.file(
        "partners/beta/templates/partials/footer.html",
        "<footer>\n  Operated with Alpha Hosting\n</footer>\n",
    );
    let (_, document) = check(&project, &[]);
    let leak = only(&document, "brand-leak", "partners/beta/templates/partials/footer.html", 2);
    assert_eq!(leak["partner"], "beta");
}

#[test]
fn external_links_are_listed_only_when_asked() {
    let project = Fixture::new();
    project.file(
        "content/runbooks/failover.md",
        "# Fail over\n\n## Promote {#promote}\n\nRead [the docs](https://www.postgresql.org/docs/) and <https://example.net/x>.\n",
    );
    let (code, document) = check(&project, &[]);
    assert_eq!(code, 0);
    assert_eq!(document["external_links"], Value::Array(vec![]));
    let (_, document) = check(&project, &["--list-external"]);
    let links = document["external_links"].as_array().unwrap();
    let urls: Vec<&str> = links.iter().map(|l| l["url"].as_str().unwrap()).collect();
    assert_eq!(urls, ["https://www.postgresql.org/docs/", "https://example.net/x"]);
    assert_eq!(links[0]["file"], "content/runbooks/failover.md");
    assert_eq!(links[0]["line"], 5);
}

#[test]
fn exit_codes_follow_severity_and_deny_warnings() {
    let project = Fixture::new();
    project.file(
        "content/runbooks/failover.md",
        "+++\ncolour = \"red\"\n+++\n# Fail over\n\n## Promote {#promote}\n",
    );
    let (code, _) = check(&project, &[]);
    assert_eq!(code, 0, "warnings alone pass");
    let (code, _) = check(&project, &["--deny-warnings"]);
    assert_eq!(code, 1);
    let output = project.run(&["check", "--partner", "gamma"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(common::stderr(&output).contains("there is no partner `gamma`"));
}

#[test]
fn human_output_groups_by_file_without_colour_when_piped() {
    let project = Fixture::new();
    project.file("content/runbooks/restore.md", "# Restore\n\nSee [nothing](missing.md).\n").file(
        "content/runbooks/failover.md",
        "+++\ncolour = \"red\"\n+++\n# Fail over\n\n## Promote {#promote}\n",
    );
    let output = project.run(&["check"]);
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(!text.contains('\u{1b}'), "no colour codes in a pipe:\n{text}");
    let expected_start = "content/runbooks/failover.md\ncontent/runbooks/failover.md:2:1: warning: unknown front matter field `colour` [unknown-field]\n";
    assert!(text.starts_with(expected_start), "{text}");
    assert!(text.contains("\ncontent/runbooks/restore.md\ncontent/runbooks/restore.md:3:5: error: broken link `missing.md`"), "{text}");
    assert!(
        text.contains(
            "  alpha            1 error, 1 warning\n  beta             1 error, 1 warning\n"
        ),
        "{text}"
    );
    assert!(text.contains("checked 2 partners in"), "{text}");
}

#[test]
fn other_names_and_menu_hosts_are_brand_terms_too() {
    let project = Fixture::new();
    project.file(
        "partners/beta/partner.toml",
        "name = \"Beta Retail\"\nbase_url = \"https://kb.beta.test/docs/\"\nalso_known_as = [\"Betamax\"]\n\n[[menu]]\nlabel = \"Legal\"\nurl = \"https://legal.beta-group.test/terms\"\n",
    );
    project.file(
        "content/runbooks/failover.md",
        "# Fail over\n\n## Promote {#promote}\n\nAsk Betamax.\n\nSee legal.beta-group.test for terms.\n",
    );
    let (_, document) = check(&project, &[]);
    let leaks = findings(&document, "brand-leak");
    let lines: Vec<(u64, &str)> = leaks
        .iter()
        .map(|f| (f["line"].as_u64().unwrap(), f["partner"].as_str().unwrap()))
        .collect();
    assert_eq!(lines, [(5, "alpha"), (7, "alpha")], "{document:#}");
}

#[test]
fn shards_check_their_partners_only() {
    let project = Fixture::new();
    let (_, first) = check(&project, &["--shard", "1/2"]);
    let (_, second) = check(&project, &["--shard", "2/2"]);
    assert_eq!(first["partners"], serde_json::json!(["alpha"]));
    assert_eq!(second["partners"], serde_json::json!(["beta"]));
}

/// `check` is `build` minus writing: whatever makes `build` fail for content, config
/// or templates makes `check` fail too, naming the same file.
#[test]
fn check_fails_wherever_build_fails_and_names_the_same_file() {
    let cases: [(&str, &str, &str, &str); 4] = [
        (
            "a page naming a template that does not exist",
            "content/runbooks/restore.md",
            "+++\ntitle = \"Restore\"\ntemplate = \"nope.html\"\n+++\nText.\n",
            "content/runbooks/restore.md",
        ),
        (
            "a syntax error in a partner's template",
            "partners/alpha/templates/page.html",
            "{% extends \"theme/page.html\" %}\n{% block main %}{{ page.title }\n{% endblock main %}\n",
            "partners/alpha/templates/page.html",
        ),
        (
            "a theme template reading a page variable that does not exist",
            "themes/default/templates/page.html",
            "{% extends \"base.html\" %}\n{% block main %}{{ page.nope }}{% endblock main %}\n",
            "themes/default/templates/page.html",
        ),
        (
            "a page and a plain file publishing to the same path",
            "content/runbooks/failover",
            "not a page, but in the way of one\n",
            "content/runbooks/failover",
        ),
    ];
    for (what, path, text, blamed) in cases {
        let project = Fixture::new();
        project.file(path, text);
        let build = project.run(&["build"]);
        let build_err = common::stderr(&build);
        assert_eq!(build.status.code(), Some(1), "build, {what}: {build_err}");
        assert!(build_err.contains(blamed), "build, {what}: {build_err}");
        assert!(!project.exists("public/alpha"), "build, {what}: a site was published");
        let (code, document) = check(&project, &[]);
        assert_eq!(code, 1, "check, {what}: {document:#}");
        let files: Vec<&str> = document["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["severity"] == "error")
            .filter_map(|f| f["file"].as_str())
            .collect();
        assert!(files.contains(&blamed), "check, {what}: {document:#}");
    }
}

/// A page and a content file publishing to one path name both sources.
#[test]
fn a_file_in_the_way_of_a_page_names_both_sources() {
    let project = Fixture::new();
    project.file("content/runbooks/failover", "in the way\n");
    let build = project.run(&["build"]);
    let stderr = common::stderr(&build);
    assert!(stderr.contains("content/runbooks/failover.md"), "{stderr}");
    assert!(!stderr.contains(".staging"), "{stderr}");
}

/// A content file where livery writes its own file (robots.txt, sitemap.xml …) is an
/// error too, rather than one of the two silently winning.
#[test]
fn a_file_in_the_way_of_a_generated_file_is_an_error() {
    let project = Fixture::new();
    project.file("content/robots.txt", "User-agent: *\nDisallow: /\n");
    let build = project.run(&["build"]);
    let stderr = common::stderr(&build);
    assert_eq!(build.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("content/robots.txt"), "{stderr}");
    assert!(stderr.contains("the file livery generates there"), "{stderr}");
}
