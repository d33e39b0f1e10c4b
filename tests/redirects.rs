//! Front matter `aliases`: each partner that carries a page publishes a redirect page at
//! every old URL of it, and `_redirects`; aliases that cannot be published are errors of
//! `build` and `check` at the alias's line and column.

mod common;

use common::{Fixture, files_under, select_attr, select_text};

/// The fixture's restore page, with `aliases` on line 4 (its first string at column 12).
fn restore_with_aliases(aliases: &str) -> String {
    format!(
        "+++\ntitle = \"Restore a backup\"\nweight = 1\naliases = {aliases}\n+++\nSee [failover](failover.md#promote).\n"
    )
}

fn with_aliases(aliases: &str) -> Fixture {
    let project = Fixture::new();
    project.file("content/runbooks/restore.md", &restore_with_aliases(aliases));
    project
}

/// `href` resolved against the absolute path `base`, as a browser does.
fn resolve(base: &str, href: &str) -> String {
    let mut parts: Vec<&str> = base.split('/').collect();
    parts.pop(); // the file name, empty for a folder URL
    for step in href.split('/') {
        match step {
            ".." => {
                parts.pop();
            }
            "." => {}
            _ => parts.push(step),
        }
    }
    parts.join("/")
}

/// Every error `build` reports, as `file:line:col: message`.
fn build_errors(project: &Fixture) -> Vec<String> {
    match project.build() {
        Ok(_) => Vec::new(),
        Err(livery::Error::Project(problems)) => {
            problems.iter().map(|d| format!("{}: {}", d.location(), d.message)).collect()
        }
        Err(other) => panic!("not a project error: {other}"),
    }
}

/// Everything `check` finds, on a fixed day.
fn check_findings(project: &Fixture) -> Vec<livery::Diagnostic> {
    let options = livery::check::CheckOptions {
        root: project.path().to_owned(),
        today: Some(livery::model::page::Date { year: 2026, month: 11, day: 23 }),
        ..Default::default()
    };
    livery::check::check(&options).unwrap().findings
}

/// Every error `check` reports, as `file:line:col: message`, with its partner if only
/// some partners have it.
fn check_errors(project: &Fixture) -> Vec<String> {
    check_findings(project)
        .iter()
        .filter(|d| d.severity == livery::Severity::Error)
        .map(|d| match &d.partner {
            Some(partner) => format!("[{partner}] {}: {}", d.location(), d.message),
            None => format!("{}: {}", d.location(), d.message),
        })
        .collect()
}

/// The one error both `build` and `check` report.
fn the_error(project: &Fixture) -> String {
    let built = build_errors(project);
    assert_eq!(built.len(), 1, "{built:#?}");
    assert_eq!(check_errors(project), built, "check reports what build reports");
    built[0].clone()
}

#[test]
fn a_redirect_page_leads_to_the_page_on_the_partners_base_url() {
    let project = with_aliases("[\"/old/restore\"]");
    project.build().unwrap();
    for (partner, base_url, base_path) in [
        ("alpha", "https://help.alpha.test/", "/"),
        ("beta", "https://kb.beta.test/docs/", "/docs/"),
    ] {
        let page = project.html(&format!("public/{partner}/old/restore/index.html"));
        assert_eq!(select_attr(&page, "html", "lang"), ["en"]);
        assert_eq!(select_text(&page, "title"), ["Restore a backup"]);
        assert_eq!(select_attr(&page, "meta[name=robots]", "content"), ["noindex"]);
        assert_eq!(
            select_attr(&page, "link[rel=canonical]", "href"),
            [format!("{base_url}runbooks/restore/")],
            "the canonical URL is absolute on the partner's base_url"
        );
        let refresh = select_attr(&page, "meta[http-equiv=refresh]", "content");
        assert_eq!(refresh, ["0; url=../../runbooks/restore/"]);
        assert_eq!(select_attr(&page, "body a", "href"), ["../../runbooks/restore/"]);
        assert_eq!(select_text(&page, "body a"), ["Restore a backup"]);
        assert_eq!(select_text(&page, "p"), ["This page has moved to Restore a backup."]);
        // Served at its base path, the page leads to the page's own URL there.
        let from = format!("{base_path}old/restore/");
        assert_eq!(
            resolve(&from, "../../runbooks/restore/"),
            format!("{base_path}runbooks/restore/")
        );
        let loads_something = scraper::Selector::parse("script, style, img, link[rel=stylesheet]");
        assert_eq!(page.select(&loads_something.unwrap()).count(), 0, "no other files");
    }
}

#[test]
fn html_aliases_stay_files_and_relative_aliases_start_from_the_page_folder() {
    let project = with_aliases("[\"/legacy.html\", \"older-name\", \"/Old/Index.html\"]");
    project.build().unwrap();
    let legacy = project.html("public/beta/legacy.html");
    assert_eq!(select_attr(&legacy, "body a", "href"), ["runbooks/restore/"]);
    let relative = project.html("public/beta/runbooks/older-name/index.html");
    assert_eq!(select_attr(&relative, "body a", "href"), ["../../runbooks/restore/"]);
    assert!(project.exists("public/beta/Old/Index.html"), "only index.html names its folder");
}

#[test]
fn redirects_file_lists_each_alias_from_the_partners_base_path() {
    let project = with_aliases("[\"/old/restore/\", \"/legacy.html\"]");
    project.build().unwrap();
    assert_eq!(
        project.read("public/beta/_redirects"),
        "/docs/old/restore/ /docs/runbooks/restore/ 301\n\
         /docs/old/restore /docs/runbooks/restore/ 301\n\
         /docs/legacy.html /docs/runbooks/restore/ 301\n"
    );
    assert_eq!(
        project.read("public/alpha/_redirects"),
        "/old/restore/ /runbooks/restore/ 301\n\
         /old/restore /runbooks/restore/ 301\n\
         /legacy.html /runbooks/restore/ 301\n"
    );
}

#[test]
fn a_site_without_aliases_has_no_redirects_file() {
    let project = Fixture::new();
    project.build().unwrap();
    assert!(project.exists("public/alpha/sitemap.xml"));
    assert!(!project.exists("public/alpha/_redirects"));
}

#[test]
fn a_partner_that_does_not_carry_the_page_gets_no_redirect() {
    let project = Fixture::new();
    project.file(
        "content/runbooks/alpha-only.md",
        "+++\ntitle = \"Alpha only\"\npartners = [\"alpha\"]\naliases = [\"/old/alpha/\"]\n+++\nText.\n",
    );
    project.build().unwrap();
    assert!(project.exists("public/alpha/old/alpha/index.html"));
    assert!(project.exists("public/alpha/_redirects"));
    assert!(!project.exists("public/beta/old/alpha/index.html"));
    assert!(!project.exists("public/beta/_redirects"));
}

#[test]
fn aliases_add_their_redirects_and_change_no_other_file() {
    let project = Fixture::new();
    project.build().unwrap();
    let before = files_under(&project.path().join("public"));
    let text = project.read("content/runbooks/restore.md");
    let text = text.replace("weight = 1\n", "weight = 1\naliases = [\"/old/restore/\"]\n");
    project.file("content/runbooks/restore.md", &text);
    project.build().unwrap();
    let after = files_under(&project.path().join("public"));
    let added: Vec<&String> = after.keys().filter(|k| !before.contains_key(*k)).collect();
    assert_eq!(
        added,
        [
            "alpha/_redirects",
            "alpha/old/restore/index.html",
            "beta/_redirects",
            "beta/old/restore/index.html"
        ]
    );
    for (path, bytes) in &before {
        assert!(
            after.get(path) == Some(bytes),
            "{path} changed: sitemap, search and navigation must not list redirects"
        );
    }
}

#[test]
fn an_alias_that_is_another_pages_url_is_an_error() {
    let project = with_aliases("[\"/legacy.html\", \"/runbooks/failover\"]");
    assert_eq!(
        the_error(&project),
        "content/runbooks/restore.md:4:28: the alias /runbooks/failover/ is the URL of the page content/runbooks/failover.md"
    );
}

#[test]
fn an_alias_claimed_by_two_pages_is_an_error_at_the_second() {
    let project = with_aliases("[\"/old/\"]");
    project.file(
        "content/runbooks/failover.md",
        "+++\naliases = [\"/old\"]\n+++\n# Fail over\n\n## Promote {#promote}\n",
    );
    assert_eq!(
        the_error(&project),
        "content/runbooks/restore.md:4:12: the alias /old/ is also claimed by content/runbooks/failover.md:2:12"
    );
}

#[test]
fn an_alias_of_the_pages_own_url_is_an_error() {
    let project = with_aliases("[\"../runbooks/restore\"]");
    assert_eq!(
        the_error(&project),
        "content/runbooks/restore.md:4:12: the alias `../runbooks/restore` is this page's own URL, /runbooks/restore/"
    );
}

#[test]
fn an_alias_where_the_site_has_a_file_is_an_error() {
    let project = with_aliases("[\"/sitemap.xml\"]");
    assert_eq!(
        the_error(&project),
        "content/runbooks/restore.md:4:12: the alias /sitemap.xml/ needs a place where the site publishes /sitemap.xml"
    );
}

#[test]
fn an_alias_cannot_take_the_place_of_the_redirects_file() {
    let project = with_aliases("[\"/old/\", \"/_redirects\"]");
    assert_eq!(
        the_error(&project),
        "content/runbooks/restore.md:4:21: the alias /_redirects/ needs a place where the site publishes /_redirects"
    );
}

#[test]
fn an_alias_is_checked_against_the_site_of_each_partner_that_carries_it() {
    let project = with_aliases("[\"/old/\"]");
    project.file("partners/alpha/content/old.md", "# Alpha's own old page\n");
    assert_eq!(
        check_errors(&project),
        [
            "[alpha] content/runbooks/restore.md:4:12: the alias /old/ is the URL of the page partners/alpha/content/old.md"
        ]
    );
}

#[test]
fn a_redirects_file_of_the_users_own_is_an_error_once_there_are_aliases() {
    let project = Fixture::new();
    project.file("partners/alpha/static/_redirects", "/a /b 301\n");
    project.build().unwrap();
    assert_eq!(project.read("public/alpha/_redirects"), "/a /b 301\n");
    project.file("content/runbooks/restore.md", &restore_with_aliases("[\"/old/\"]"));
    let errors = build_errors(&project);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0].starts_with("partners/alpha/static/_redirects: livery writes _redirects"),
        "{errors:#?}"
    );
}

#[test]
fn invalid_aliases_are_errors_at_their_line_and_column_saying_what_to_write() {
    let project = Fixture::new();
    let cases = [
        ("host", "\"https://old.example/kb/page/\"", "names a scheme or host", "\"/kb/page/\""),
        ("climb", "\"/../outside/\"", "climbs above the site root", "remove the `..`"),
        ("query", "\"/page/?id=3\"", "has a query", "\"/page/\""),
        ("fragment", "\"/page/#top\"", "has a fragment", "\"/page/\""),
        ("empty", "\"\"", "an alias is empty", "write the old path"),
        ("control", "\"/a\\u0007b/\"", "control character", "visible characters"),
        ("backslash", "'\\old\\page'", "contains `\\`", "\"/old/page\""),
    ];
    for (name, alias, _, _) in &cases {
        project.file(
            &format!("content/runbooks/{name}.md"),
            &format!("+++\ntitle = \"{name}\"\naliases = [\"/fine/{name}/\", {alias}]\n+++\n"),
        );
    }
    let findings = check_findings(&project);
    assert_eq!(findings.len(), cases.len(), "{findings:#?}");
    for (name, alias, message, help) in cases {
        let at = findings
            .iter()
            .find(|d| d.path.ends_with(format!("{name}.md")))
            .unwrap_or_else(|| panic!("no finding for {name}: {findings:#?}"));
        let column = 12 + "\"/fine/\", ".len() + name.len() + 1;
        assert_eq!(at.location(), format!("content/runbooks/{name}.md:3:{column}"), "{alias}");
        assert_eq!(at.rule, Some(livery::Rule::FrontMatter));
        assert!(at.message.contains(message), "{alias}: {}", at.message);
        assert!(at.help.as_deref().unwrap_or("").contains(help), "{alias}: {:?}", at.help);
    }
}

#[test]
fn build_refuses_an_invalid_alias_and_keeps_the_published_site() {
    let message = Fixture::new().fails_after_good_build(|p| {
        p.file("content/runbooks/restore.md", &restore_with_aliases("[\"//old.example/kb/\"]"));
    });
    assert!(message.contains("content/runbooks/restore.md:4:12"), "{message}");
    assert!(message.contains("help: write only the path: \"/kb/\""), "{message}");
}

/// Builds with the build cache, as `livery build` does, or as the dev server does.
fn cached_build(project: &Fixture, cache: &mut livery::Cache, dev_server: bool) {
    let options = livery::BuildOptions {
        root: project.path().to_owned(),
        dev_server,
        cache: true,
        ..Default::default()
    };
    livery::rebuild(&options, cache).unwrap();
}

#[test]
fn adding_an_alias_publishes_its_redirect_and_removing_it_removes_the_file() {
    for dev_server in [false, true] {
        let project = Fixture::new();
        let mut cache = livery::Cache::new();
        cached_build(&project, &mut cache, dev_server);
        project.file("content/runbooks/restore.md", &restore_with_aliases("[\"/old/restore/\"]"));
        cached_build(&project, &mut cache, dev_server);
        assert!(project.exists("public/alpha/old/restore/index.html"), "dev server: {dev_server}");
        assert!(project.exists("public/alpha/_redirects"), "dev server: {dev_server}");
        project.file("content/runbooks/restore.md", &restore_with_aliases("[]"));
        cached_build(&project, &mut cache, dev_server);
        assert!(!project.exists("public/alpha/old/restore/index.html"), "dev server: {dev_server}");
        assert!(!project.exists("public/alpha/_redirects"), "dev server: {dev_server}");
    }
}
