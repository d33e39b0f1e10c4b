//! Links from the site root (`/docs/add-runbook`), as migrated docs write them: they
//! reach their page under any partner base path, and a broken one is reported where it
//! is written.

mod common;

use common::{Fixture, follow, select_attr, stderr};

/// The fixture project with a partner published under a base path, and pages that
/// link from the site root.
fn project_with_base_path() -> Fixture {
    let project = Fixture::new();
    project
        .file(
            "partners/gamma/partner.toml",
            "name = \"Gamma Help\"\nbase_url = \"https://x.example/help/\"\n",
        )
        .file("content/docs/_index.md", "+++\ntitle = \"Docs\"\n+++\n")
        .file("content/docs/add-runbook.md", "# Add a runbook\n\n## Steps\n\nText.\n")
        .bytes("content/img/diagram.png", b"\x89PNG")
        .file(
            "content/docs/guide.md",
            "# Guide\n\n[add](/docs/add-runbook) [steps](/docs/add-runbook.md#steps) \
             [section](/docs/) [restore](/runbooks/restore/#verify-the-restore) \
             [home](/) ![diagram](/img/diagram.png) [css](/brand.css)\n",
        );
    project
}

#[test]
fn root_links_reach_their_pages_and_files_under_a_base_path() {
    let project = project_with_base_path();
    project.build().unwrap();
    let page = project.html("public/gamma/docs/guide/index.html");
    let hrefs = select_attr(&page, "main a[href]", "href");
    let srcs = select_attr(&page, "main img[src]", "src");
    let reached: Vec<String> =
        hrefs.iter().chain(&srcs).map(|href| follow("/help/docs/guide/", href)).collect();
    for (wanted, file) in [
        ("/help/docs/add-runbook/", "docs/add-runbook/index.html"),
        ("/help/docs/", "docs/index.html"),
        ("/help/runbooks/restore/", "runbooks/restore/index.html"),
        ("/help/", "index.html"),
        ("/help/img/diagram.png", "img/diagram.png"),
        ("/help/brand.css", "brand.css"),
    ] {
        assert!(reached.iter().any(|r| r == wanted), "{wanted} not among {reached:?}");
        assert!(project.exists(&format!("public/gamma/{file}")), "{file} was not published");
    }
    assert!(hrefs.contains(&"../../docs/add-runbook/#steps".to_owned()), "{hrefs:?}");
    assert!(hrefs.contains(&"../../runbooks/restore/#verify-the-restore".to_owned()), "{hrefs:?}");
}

#[test]
fn broken_root_links_are_reported_at_file_line_and_column() {
    let message = Fixture::new().fails_after_good_build(|project| {
        project.file(
            "content/runbooks/restore.md",
            "# Restore\n\nSee [fail](/runbooks/failovr) and\n[old](/runbooks/failover.html), \
             [gone](/runbooks/failover/#promot) [x](/nope.css).\n",
        );
    });
    for expected in [
        "content/runbooks/restore.md:3:5: broken link `/runbooks/failovr`: there is no page content/runbooks/failovr.md",
        "did you mean [..](/runbooks/failover/)?",
        "content/runbooks/restore.md:4:1: broken link `/runbooks/failover.html`: there is no file runbooks/failover.html; content/runbooks/failover.md is a page",
        "content/runbooks/restore.md:4:33: broken link `/runbooks/failover/#promot`: content/runbooks/failover.md has no heading `#promot`",
        "content/runbooks/restore.md:4:68: broken link `/nope.css`: there is no file /nope.css in this partner's site",
    ] {
        assert!(message.contains(expected), "{expected}\nnot in:\n{message}");
    }
}

#[test]
fn a_root_link_to_a_page_one_partner_does_not_carry_fails_for_that_partner() {
    let project = Fixture::new();
    project.file("content/runbooks/failover.md", "+++\nexclude_partners = [\"beta\"]\n+++\nText\n");
    project.file("content/runbooks/restore.md", "# Restore\n\nSee [it](/runbooks/failover/).\n");
    let output = project.run(&["build"]);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(
        message.contains("partner `beta` does not carry content/runbooks/failover.md"),
        "{message}"
    );
    assert!(!message.contains("partner `alpha`"), "{message}");
}

#[test]
fn slug_and_url_are_read_from_yaml_and_json_front_matter_too() {
    let project = Fixture::new();
    project
        .file("content/docs/yaml-page.md", "---\ntitle: Y\nslug: from-yaml\n---\nText.\n")
        .file(
            "content/docs/json-page.md",
            "{\n  \"title\": \"J\",\n  \"url\": \"/from-json/\"\n}\nText.\n",
        )
        .file("content/docs/guide.md", "[y](yaml-page.md) [j](json-page.md)\n");
    project.build().unwrap();
    assert!(project.exists("public/beta/docs/from-yaml/index.html"));
    assert!(project.exists("public/beta/from-json/index.html"));
    let page = project.html("public/beta/docs/guide/index.html");
    let hrefs = select_attr(&page, "main p a[href]", "href");
    let reached: Vec<String> = hrefs.iter().map(|h| follow("/docs/docs/guide/", h)).collect();
    assert_eq!(reached, ["/docs/docs/from-yaml/", "/docs/from-json/"]);
}

#[test]
fn slug_and_url_move_a_page_and_every_link_to_it_follows() {
    let project = Fixture::new();
    project
        .file("content/docs/old-name.md", "+++\nslug = \"new-name\"\n+++\n## Steps\n")
        .file("content/docs/moved.md", "+++\nurl = \"/elsewhere/page/\"\n+++\nMoved.\n")
        .file(
            "content/docs/guide.md",
            "[a](old-name.md#steps) [b](/docs/old-name) [c](moved.md) [d](/elsewhere/page/)\n",
        );
    project.build().unwrap();
    assert!(project.exists("public/beta/docs/new-name/index.html"));
    assert!(project.exists("public/beta/elsewhere/page/index.html"));
    assert!(!project.exists("public/beta/docs/old-name/index.html"));
    let page = project.html("public/beta/docs/guide/index.html");
    let hrefs = select_attr(&page, "main p a[href]", "href");
    let reached: Vec<String> = hrefs.iter().map(|h| follow("/docs/docs/guide/", h)).collect();
    assert_eq!(
        reached,
        [
            "/docs/docs/new-name/",
            "/docs/docs/new-name/",
            "/docs/elsewhere/page/",
            "/docs/elsewhere/page/"
        ]
    );
}

#[test]
fn lowercase_urls_publish_a_hugo_site_at_its_urls_and_links_still_resolve() {
    let project = Fixture::new();
    project
        .file("livery.toml", "title = \"Test KB\"\n\n[build]\nlowercase_urls = true\n")
        .file("content/runbooks/KubePodCrashLooping.md", "# Crash looping\n\n## Diagnose\n")
        .file(
            "content/runbooks/restore.md",
            "[a](KubePodCrashLooping.md#diagnose) [b](/runbooks/kubepodcrashlooping/) \
             [c](/Runbooks/KubePodCrashLooping)\n",
        );
    project.build().unwrap();
    assert!(project.exists("public/alpha/runbooks/kubepodcrashlooping/index.html"));
    assert!(!project.exists("public/alpha/runbooks/KubePodCrashLooping"));
    let page = project.html("public/alpha/runbooks/restore/index.html");
    let hrefs = select_attr(&page, "main p a[href]", "href");
    assert_eq!(
        hrefs,
        [
            "../../runbooks/kubepodcrashlooping/#diagnose",
            "../../runbooks/kubepodcrashlooping/",
            "../../runbooks/kubepodcrashlooping/"
        ]
    );
}

#[test]
fn pages_that_meet_at_one_url_once_lowercased_are_an_error() {
    let message = Fixture::new().fails_after_good_build(|project| {
        project.file("livery.toml", "title = \"Test KB\"\n\n[build]\nlowercase_urls = true\n");
        project.file("content/runbooks/Restore.md", "# Restore again\n");
    });
    assert!(
        message.contains(
            "content/runbooks/Restore.md and content/runbooks/restore.md all publish to /runbooks/restore/"
        ),
        "{message}"
    );
}

#[test]
fn a_slug_with_a_slash_is_an_error_at_its_value() {
    let message = Fixture::new().fails_after_good_build(|project| {
        project.file(
            "content/runbooks/failover.md",
            "+++\nslug = \"fail/over\"\n+++\n## Promote {#promote}\n",
        );
    });
    assert!(
        message.contains("content/runbooks/failover.md:2:8: slug `fail/over` holds a slash"),
        "{message}"
    );
}

#[test]
fn a_partners_page_may_not_take_a_shared_pages_url() {
    let project = Fixture::new();
    project.file(
        "partners/alpha/content/runbooks/mine.md",
        "+++\nurl = \"/runbooks/restore/\"\n+++\nMine\n",
    );
    let output = project.run(&["build"]);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(
        message.contains(
            "partners/alpha/content/runbooks/mine.md: [partner alpha] this page and content/runbooks/restore.md both publish to /runbooks/restore/"
        ),
        "{message}"
    );
}
