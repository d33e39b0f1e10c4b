//! `livery build` on small fixture projects: what each partner's site contains.

mod common;

use common::{Fixture, select_attr, select_text};

#[test]
fn every_partner_gets_a_complete_site() {
    let project = Fixture::new();
    let report = project.build().unwrap();
    assert_eq!(
        report.partners.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(),
        ["alpha", "beta"]
    );
    for id in ["alpha", "beta"] {
        for file in [
            "index.html",
            "404.html",
            "sitemap.xml",
            "robots.txt",
            "brand.css",
            "highlight.css",
            "style.css",
            "runbooks/index.html",
            "runbooks/restore/index.html",
            "runbooks/failover/index.html",
        ] {
            assert!(
                project.exists(&format!("public/{id}/{file}")),
                "public/{id}/{file} is missing"
            );
        }
    }
    assert!(project.exists("public/alpha/logo.svg"));
    assert_eq!(report.partners[0].pages, 4);
}

#[test]
fn brand_name_and_colours_appear_in_their_own_site_only() {
    let project = Fixture::new();
    project.build().unwrap();
    let alpha = project.html("public/alpha/runbooks/restore/index.html");
    assert_eq!(select_text(&alpha, ".brand-name"), ["Alpha Hosting"]);
    assert_eq!(select_text(&alpha, "title"), ["Restore a backup · Alpha Hosting"]);
    assert!(project.read("public/alpha/brand.css").contains("--brand-primary: #123456;"));
    assert!(project.read("public/beta/brand.css").contains("--brand-primary: #654321;"));

    for (id, other_name, other_colour) in
        [("alpha", "Beta Retail", "#654321"), ("beta", "Alpha Hosting", "#123456")]
    {
        for (path, bytes) in project.snapshot(&format!("public/{id}")) {
            let text = String::from_utf8_lossy(&bytes);
            assert!(!text.contains(other_name), "{id}/{} names {other_name}", path.display());
            assert!(!text.contains(other_colour), "{id}/{} uses {other_colour}", path.display());
        }
    }
}

#[test]
fn canonical_urls_and_sitemap_use_the_partner_base_url() {
    let project = Fixture::new();
    project.build().unwrap();
    let beta = project.html("public/beta/runbooks/restore/index.html");
    assert_eq!(
        select_attr(&beta, "link[rel=canonical]", "href"),
        ["https://kb.beta.test/docs/runbooks/restore/"]
    );
    let sitemap = project.read("public/beta/sitemap.xml");
    assert!(sitemap.contains(
        "<loc>https://kb.beta.test/docs/runbooks/restore/</loc><lastmod>2026-10-01</lastmod>"
    ));
    assert!(
        project
            .read("public/beta/robots.txt")
            .contains("Sitemap: https://kb.beta.test/docs/sitemap.xml")
    );
    // The 404 page is served from any depth, so its links start at the site's path.
    let not_found = project.html("public/beta/404.html");
    assert!(
        select_attr(&not_found, "link[rel=stylesheet]", "href")
            .iter()
            .all(|h| h.starts_with("/docs/"))
    );
}

#[test]
fn override_applies_to_its_partner_only_and_extends_the_theme_template() {
    let project = Fixture::new();
    project.file(
        "partners/beta/templates/page.html",
        "{% extends \"theme/page.html\" %}{% block after_content %}<p class=\"beta-note\">Call Beta</p>{% endblock after_content %}",
    );
    project.build().unwrap();
    let beta = project.html("public/beta/runbooks/restore/index.html");
    assert_eq!(select_text(&beta, ".beta-note"), ["Call Beta"]);
    // The rest of the theme's page template is still there.
    assert_eq!(select_text(&beta, "article h1"), ["Restore a backup"]);
    let alpha = project.html("public/alpha/runbooks/restore/index.html");
    assert!(select_text(&alpha, ".beta-note").is_empty());
}

#[test]
fn partner_static_files_override_theme_files_by_path() {
    let project = Fixture::new();
    project.file("partners/beta/static/theme.js", "// beta's own script\n");
    project.build().unwrap();
    assert_eq!(project.read("public/beta/theme.js"), "// beta's own script\n");
    assert_ne!(project.read("public/alpha/theme.js"), "// beta's own script\n");
}

#[test]
fn markdown_features_reach_the_html() {
    let project = Fixture::new();
    project.file(
        "content/runbooks/features.md",
        "+++\ntitle = \"Features\"\n+++\n\
         | Step | Who |\n|---|---|\n| 1 | SRE |\n\n\
         - [x] backed up\n- [ ] verified\n\n\
         ```toml\nname = \"x\"\n```\n\n\
         ## Check the lag\n\n\
         See [restore](restore.md#verify-the-restore) and [home](../_index.md).\n\n\
         > [!WARNING]\n> Never on production.\n\n\
         Text with a note[^1] and ~~old~~ words.\n\n[^1]: The note.\n",
    );
    project.build().unwrap();
    let html = project.html("public/alpha/runbooks/features/index.html");
    assert_eq!(select_text(&html, ".prose table td"), ["1", "SRE"]);
    assert_eq!(select_attr(&html, ".prose input[type=checkbox][checked]", "class"), ["task"]);
    assert_eq!(select_attr(&html, ".prose input[type=checkbox]", "type").len(), 2);
    assert!(!select_attr(&html, "pre.hl-code[data-lang=toml] span", "class").is_empty());
    assert!(
        select_attr(&html, "pre [style]", "style").is_empty(),
        "highlighting must use classes only"
    );
    assert_eq!(select_attr(&html, ".prose h2", "id"), ["check-the-lag"]);
    assert_eq!(select_attr(&html, ".prose h2 a.anchor", "href"), ["#check-the-lag"]);
    let links = select_attr(&html, ".prose a", "href");
    assert!(links.contains(&"../../runbooks/restore/#verify-the-restore".to_owned()), "{links:?}");
    assert!(links.contains(&"../../".to_owned()), "{links:?}");
    assert_eq!(select_text(&html, ".callout-warning .callout-title"), ["Warning"]);
    assert_eq!(select_text(&html, ".prose del"), ["old"]);
    assert_eq!(select_text(&html, ".footnote-definition p"), ["The note."]);
    assert_eq!(
        select_text(&html, ".toc a"),
        Vec::<String>::new(),
        "one heading needs no table of contents"
    );
}

#[test]
fn navigation_marks_the_current_page_and_orders_by_weight() {
    let project = Fixture::new();
    project.file(
        "content/runbooks/aaa.md",
        "+++\ntitle = \"Alphabetically first\"\nweight = 5\n+++\n",
    );
    project.build().unwrap();
    let html = project.html("public/alpha/runbooks/restore/index.html");
    assert_eq!(select_text(&html, ".sidebar a[aria-current=page]"), ["Restore a backup"]);
    assert_eq!(
        select_text(&html, ".sidebar .is-open > ul > li > a"),
        ["Restore a backup", "Alphabetically first", "Fail over"]
    );
    // The trail starts at the partner's help center, not the shared home page's title.
    assert_eq!(select_text(&html, ".breadcrumbs a"), ["Alpha Hosting", "Runbooks"]);
    assert_eq!(select_text(&html, ".pagination .next .pagination-title"), ["Alphabetically first"]);
}

#[test]
fn pages_without_front_matter_take_their_title_from_the_first_heading() {
    let project = Fixture::new();
    project.build().unwrap();
    let html = project.html("public/alpha/runbooks/failover/index.html");
    assert_eq!(select_text(&html, "article h1"), ["Fail over"]);
    assert_eq!(
        select_text(&html, ".prose h1"),
        Vec::<String>::new(),
        "the heading became the title"
    );
}

#[test]
fn partner_option_builds_only_the_named_partners() {
    let project = Fixture::new();
    let output = project.run(&["build", "--partner", "beta", "-q"]);
    assert!(output.status.success(), "{}", common::stderr(&output));
    assert!(project.exists("public/beta/index.html"));
    assert!(!project.exists("public/alpha"));
}

#[test]
fn unknown_partner_is_a_usage_error() {
    let project = Fixture::new();
    let output = project.run(&["build", "--partner", "gamma"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        common::stderr(&output).contains("there is no partner `gamma` (partners: alpha, beta)")
    );
}

#[test]
fn out_option_writes_elsewhere() {
    let project = Fixture::new();
    let output = project.run(&["build", "--out", "site", "-q"]);
    assert!(output.status.success(), "{}", common::stderr(&output));
    assert!(project.exists("site/alpha/index.html"));
    assert!(!project.exists("public"));
}

#[test]
fn rebuild_drops_deleted_pages_and_keeps_unchanged_files() {
    let project = Fixture::new();
    project.file("content/runbooks/extra.md", "# Extra\n");
    project.build().unwrap();
    assert!(project.exists("public/alpha/runbooks/extra/index.html"));

    project.remove("content/runbooks/extra.md");
    project.build().unwrap();
    assert!(
        !project.exists("public/alpha/runbooks/extra"),
        "a deleted page's output must disappear"
    );

    let restore = project.path().join("public/alpha/runbooks/restore/index.html");
    let before = std::fs::metadata(&restore).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let report = project.build().unwrap();
    assert_eq!(report.partners[0].written, 0, "nothing changed, nothing is written");
    assert_eq!(report.partners[0].unchanged, report.partners[0].files);
    assert_eq!(
        before,
        std::fs::metadata(&restore).unwrap().modified().unwrap(),
        "an unchanged file keeps its mtime"
    );
}

#[test]
fn output_is_identical_across_builds() {
    let project = Fixture::new();
    project.build().unwrap();
    let first = project.snapshot("public");
    std::fs::remove_dir_all(project.path().join("public")).unwrap();
    project.build().unwrap();
    assert_eq!(first, project.snapshot("public"));
}

#[test]
fn content_files_are_published_beside_their_pages() {
    let project = Fixture::new();
    project.bytes("content/runbooks/diagram.png", b"\x89PNG fake");
    project.file("content/runbooks/pics.md", "# Pics\n\n![diagram](diagram.png)\n");
    project.build().unwrap();
    assert_eq!(
        std::fs::read(project.path().join("public/alpha/runbooks/diagram.png")).unwrap(),
        b"\x89PNG fake"
    );
    let html = project.html("public/alpha/runbooks/pics/index.html");
    assert_eq!(select_attr(&html, ".prose img", "src"), ["../../runbooks/diagram.png"]);
}

/// A page's size does not grow with its section: a big section's sidebar lists a
/// chunk of it around the current page, and "more" entries lead to the section page,
/// which lists every child.
#[test]
fn a_page_in_a_big_section_is_as_small_as_one_in_a_small_section() {
    let project = Fixture::new();
    project.file("content/big/_index.md", "+++\ntitle = \"Big\"\n+++\n");
    for i in 0..400 {
        project.file(
            &format!("content/big/p{i:03}.md"),
            &format!("+++\ntitle = \"Big page {i}\"\nweight = {i}\n+++\nText.\n"),
        );
    }
    project.file("content/mid/_index.md", "+++\ntitle = \"Mid\"\n+++\n");
    for i in 0..25 {
        project.file(
            &format!("content/mid/p{i:03}.md"),
            &format!("+++\ntitle = \"Mid page {i}\"\nweight = {i}\n+++\nText.\n"),
        );
    }
    project.build().unwrap();
    let size = |path: &str| project.read(path).len() as f64;
    let mid = size("public/alpha/mid/p012/index.html");
    let big = size("public/alpha/big/p250/index.html");
    assert!(big < mid * 1.1, "a page of a 400-page section is {big} bytes, of a 25-page one {mid}");

    let page = project.html("public/alpha/big/p250/index.html");
    let listed = select_text(&page, ".sidebar .is-open > .nav-list > li.nav-page");
    assert!(listed.contains(&"Big page 250".to_owned()), "{listed:?}");
    assert!(listed.contains(&"Big page 240".to_owned()), "{listed:?}");
    assert!(listed.len() <= 30, "{} entries listed", listed.len());
    let more = select_text(&page, ".sidebar .nav-more");
    assert_eq!(more, ["240 more in Big", "140 more in Big"]);
    assert_eq!(select_attr(&page, ".sidebar .nav-more a", "href"), ["../../big/", "../../big/"]);
    // Every page stays reachable without JavaScript: the section page lists them all.
    let section = project.html("public/alpha/big/index.html");
    let linked = select_attr(&section, "main .cards a", "href");
    assert_eq!(linked.len(), 400, "the section page lists every child");
}

/// A person at a terminal sees live progress; a pipe, `-q` and CI logs get none.
#[test]
fn progress_is_shown_on_a_terminal_only() {
    let project = Fixture::new();
    let livery = assert_cmd::cargo::cargo_bin("livery");
    let piped = project.run(&["build"]);
    assert!(piped.status.success());
    assert!(!common::stderr(&piped).contains("rendered"), "{}", common::stderr(&piped));
    // `script` gives the build a pseudo-terminal, as an interactive shell would.
    let on_terminal = |extra: &str, ci: &str| {
        let output = std::process::Command::new("script")
            .args(["-qec", &format!("{} build {extra}", livery.display()), "/dev/null"])
            .current_dir(project.path())
            .env("CI", ci)
            .output()
            .expect("script (util-linux) runs");
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    assert!(on_terminal("", "").contains("rendered 2/2 partners"));
    assert!(!on_terminal("-q", "").contains("rendered"));
    assert!(!on_terminal("", "true").contains("rendered"));
}

#[test]
fn a_template_that_builds_its_own_sidebar_gets_the_items() {
    let project = Fixture::new();
    project.file(
        "partners/alpha/templates/page.html",
        "<ul>{% for item in nav %}<li>{{ item.title }}{% for child in item.children %} [{{ child.title }}{% if child.current %} (here){% endif %}]{% endfor %}</li>{% endfor %}</ul>",
    );
    project.build().unwrap();
    let html = project.read("public/alpha/runbooks/restore/index.html");
    assert!(html.contains("<li>Runbooks [Restore a backup (here)] [Fail over]</li>"), "{html}");
}

/// Front matter as Hugo, Jekyll or MkDocs trees write it: YAML between `---` lines
/// (and JSON), read into the same page as TOML, drafts left out, wrong values located.
#[test]
fn yaml_front_matter_pages_build_like_toml_ones() {
    let project = Fixture::new();
    project
        .file("content/runbooks/_index.md", "---\ntitle: Runbooks\nweight: 1\n---\n")
        .file(
            "content/runbooks/restore.md",
            "---\ntitle: Restore a backup\ndescription: Get yesterday's data back\nweight: 1\ntags:\n  - db\n  - backup\nlast_reviewed: 2026-10-01\n---\nSee [failover](failover.md#promote).\n",
        )
        .file("content/runbooks/unfinished.md", "---\ntitle: Not yet\ndraft: true\n---\nSoon.\n")
        .file("content/runbooks/json.md", "{\n  \"title\": \"From JSON\",\n  \"weight\": 2\n}\nBody\n");
    project.build().unwrap();
    let html = project.html("public/alpha/runbooks/restore/index.html");
    assert_eq!(select_text(&html, "article h1"), ["Restore a backup"]);
    assert_eq!(
        select_attr(&html, "meta[name=description]", "content"),
        ["Get yesterday's data back"]
    );
    assert_eq!(select_attr(&html, "time", "datetime"), ["2026-10-01"]);
    assert_eq!(
        select_text(&html, ".sidebar .is-open > ul > li > a"),
        ["Restore a backup", "From JSON", "Fail over"],
        "ordered by weight; the draft is left out"
    );
    assert!(!project.exists("public/alpha/runbooks/unfinished/index.html"));

    project.file("content/runbooks/restore.md", "---\ntitle: Restore\nweight: first\n---\n");
    let output = project.run(&["build"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        common::stderr(&output).contains(
            "error: content/runbooks/restore.md:3:9: `weight` must be an integer, not \"first\""
        ),
        "{}",
        common::stderr(&output)
    );
}

/// Section schemas check YAML pages as they check TOML ones, and say what to add in YAML.
#[test]
fn section_schemas_check_yaml_pages_in_yaml() {
    let project = Fixture::new();
    project
        .file(
            "livery.toml",
            "title = \"Test KB\"\n\n[sections.runbooks]\nrequired = [\"owner\"]\nfields.severity = { type = \"string\", allowed = [\"sev1\", \"sev2\"] }\n",
        )
        .file("content/runbooks/restore.md", "---\ntitle: Restore\nseverity: sev9\n---\n");
    let output = project.run(&["build"]);
    let message = common::stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(
        message.contains(
            "error: content/runbooks/restore.md:3:11: `severity` = \"sev9\" is not an allowed value"
        ),
        "{message}"
    );
    assert!(
        message.contains("error: content/runbooks/restore.md:4: missing required field `owner`"),
        "{message}"
    );
    assert!(message.contains("help: add `owner: \"your-team\"` to the front matter"), "{message}");
}
