//! Product versions: `[versions] list` in livery.toml, older versions' content in
//! `versions/<v>/content` (made by `livery version snapshot`), the newest at the site
//! root and older ones under `/<v>/`, the version switcher and the older versions'
//! notice, per-version search, partner overrides per version, languages inside
//! versions, `check` over every version, and `--shard` dealing out sites.

mod common;

use common::{Fixture, select_attr, select_text, stderr};

const PROJECT: &str = "title = \"Test KB\"\n\n[versions]\nlist = [\"2\", \"1\"]\n";

/// The fixture at version 2, with version 1's content frozen beside it: version 1's
/// restore runbook has other steps, and its failover page is not in version 2.
fn versioned() -> Fixture {
    let project = Fixture::new();
    let output = project.run(&["version", "snapshot", "1"]);
    assert!(output.status.success(), "{}", stderr(&output));
    project
        .file("livery.toml", PROJECT)
        .file(
            "versions/1/content/runbooks/restore.md",
            "+++\ntitle = \"Restore a backup (classic)\"\nweight = 1\nowner = \"dba\"\nlast_reviewed = 2026-10-01\n+++\nRun `legacy-restore`. See [failover](failover.md#promote).\n",
        )
        .remove("content/runbooks/failover.md")
        .file(
            "content/runbooks/restore.md",
            "+++\ntitle = \"Restore a backup\"\nweight = 1\nowner = \"dba\"\nlast_reviewed = 2026-10-01\n+++\nRun `snapshot-restore`.\n\n## Verify the restore\n\nDone.\n",
        );
    project
}

#[test]
fn the_newest_version_is_at_the_root_and_older_ones_get_a_folder() {
    let project = versioned();
    project.build().unwrap();
    let new = project.html("public/alpha/runbooks/restore/index.html");
    let old = project.html("public/alpha/1/runbooks/restore/index.html");
    assert_eq!(select_text(&new, "h1"), ["Restore a backup"]);
    assert_eq!(select_text(&old, "h1"), ["Restore a backup (classic)"]);
    // Links in the older version stay in it, to pages only it has.
    assert_eq!(select_attr(&old, ".prose a", "href"), ["../../runbooks/failover/#promote"]);
    assert!(project.exists("public/alpha/1/runbooks/failover/index.html"));
    assert!(!project.exists("public/alpha/runbooks/failover/index.html"));
    assert_eq!(
        select_attr(&old, "link[rel=canonical]", "href"),
        ["https://help.alpha.test/1/runbooks/restore/"]
    );
    // Each version is a whole site: its own sitemap, named by the one robots.txt.
    let robots = project.read("public/alpha/robots.txt");
    assert!(robots.contains("Sitemap: https://help.alpha.test/1/sitemap.xml\n"), "{robots}");
    assert!(!project.exists("public/alpha/1/robots.txt"));
    assert!(project.read("public/alpha/1/sitemap.xml").contains("/1/runbooks/failover/"));
}

#[test]
fn the_version_switcher_lands_on_the_same_page_or_the_versions_home() {
    let project = versioned();
    project.build().unwrap();
    let new = project.html("public/alpha/runbooks/restore/index.html");
    assert_eq!(select_text(&new, ".version-switcher a"), ["2 (latest)", "1"]);
    assert_eq!(
        select_attr(&new, ".version-switcher a", "href"),
        ["../../runbooks/restore/", "../../1/runbooks/restore/"]
    );
    assert_eq!(select_text(&new, ".version-switcher a[aria-current]"), ["2 (latest)"]);
    // Version 2 has no failover page: from version 1's, the switcher leads to 2's home.
    let failover = project.html("public/alpha/1/runbooks/failover/index.html");
    assert_eq!(
        select_attr(&failover, ".version-switcher a", "href"),
        ["../../../", "../../../1/runbooks/failover/"]
    );
}

#[test]
fn older_versions_carry_a_notice_leading_to_the_newest() {
    let project = versioned();
    project.build().unwrap();
    let old = project.html("public/alpha/1/runbooks/restore/index.html");
    let notice = select_text(&old, ".version-notice");
    assert_eq!(notice.len(), 1);
    assert!(notice[0].starts_with("This is the documentation of version 1"), "{notice:?}");
    assert_eq!(select_attr(&old, ".version-notice a", "href"), ["../../../runbooks/restore/"]);
    assert_eq!(select_text(&old, ".version-notice a"), ["Read this page for version 2"]);
    let gone = project.html("public/alpha/1/runbooks/failover/index.html");
    assert_eq!(select_text(&gone, ".version-notice a"), ["Go to the documentation of version 2"]);
    assert_eq!(select_attr(&gone, ".version-notice a", "href"), ["../../../"]);
    let new = project.html("public/alpha/runbooks/restore/index.html");
    assert!(select_text(&new, ".version-notice").is_empty());
}

#[test]
fn each_version_has_its_own_search_index() {
    let project = versioned();
    project.build().unwrap();
    let text_of = |dir: &str| -> String {
        common::files_under(&project.path().join(dir))
            .values()
            .map(|bytes| String::from_utf8_lossy(bytes).into_owned())
            .collect()
    };
    let new = text_of("public/alpha/search");
    let old = text_of("public/alpha/1/search");
    assert!(new.contains("snapshot"), "version 2's search knows its own words");
    assert!(!new.contains("legacy"), "version 2's search must not find version 1's pages");
    assert!(old.contains("legacy"));
    assert!(!old.contains("snapshot"));
}

#[test]
fn a_partner_publishes_only_the_versions_it_lists() {
    let project = versioned();
    project.file(
        "partners/beta/partner.toml",
        "name = \"Beta Retail\"\nbase_url = \"https://kb.beta.test/docs/\"\nversions = [\"2\"]\n\n[brand]\nprimary = \"#654321\"\n",
    );
    project.build().unwrap();
    assert!(project.exists("public/beta/runbooks/restore/index.html"));
    assert!(!project.exists("public/beta/1"));
    let page = project.html("public/beta/runbooks/restore/index.html");
    assert!(select_text(&page, ".version-switcher a").is_empty(), "one version: no switcher");
}

#[test]
fn a_partner_overrides_a_page_of_one_version() {
    let project = versioned();
    project.file(
        "partners/alpha/versions/1/content/runbooks/restore.md",
        "+++\ntitle = \"Alpha's classic restore\"\nweight = 1\nowner = \"dba\"\nlast_reviewed = 2026-10-01\n+++\nCall us.\n",
    );
    project.build().unwrap();
    let old = project.html("public/alpha/1/runbooks/restore/index.html");
    assert_eq!(select_text(&old, "h1"), ["Alpha's classic restore"]);
    let new = project.html("public/alpha/runbooks/restore/index.html");
    assert_eq!(select_text(&new, "h1"), ["Restore a backup"]);
    let beta = project.html("public/beta/1/runbooks/restore/index.html");
    assert_eq!(select_text(&beta, "h1"), ["Restore a backup (classic)"]);
}

#[test]
fn languages_live_inside_versions_and_switch_within_them() {
    let project = versioned();
    project
        .file(
            "partners/alpha/partner.toml",
            "name = \"Alpha Hosting\"\nbase_url = \"https://help.alpha.test\"\nlanguages = [\"en\", \"de\"]\n\n[brand]\nprimary = \"#123456\"\n",
        )
        .file(
            "versions/1/content/runbooks/restore.de.md",
            "+++\ntitle = \"Sicherung wiederherstellen (klassisch)\"\nweight = 1\n+++\nFühren Sie `legacy-restore` aus.\n",
        );
    project.build().unwrap();
    let de_old = project.html("public/alpha/de/1/runbooks/restore/index.html");
    assert_eq!(select_text(&de_old, "h1"), ["Sicherung wiederherstellen (klassisch)"]);
    assert_eq!(select_attr(&de_old, "html", "lang"), ["de"]);
    // The language switcher keeps the version; the version switcher keeps the language.
    assert_eq!(
        select_attr(&de_old, ".language-switcher a", "href"),
        ["../../../../1/runbooks/restore/", "../../../../de/1/runbooks/restore/"]
    );
    assert_eq!(
        select_attr(&de_old, ".version-switcher a", "href"),
        ["../../../../de/runbooks/restore/", "../../../../de/1/runbooks/restore/"]
    );
    assert_eq!(select_text(&de_old, ".version-switcher a"), ["2 (aktuell)", "1"]);
    assert_eq!(
        select_attr(&de_old, "link[rel=alternate][hreflang]", "href"),
        [
            "https://help.alpha.test/1/runbooks/restore/",
            "https://help.alpha.test/de/1/runbooks/restore/"
        ]
    );
    // Version 2 has no German restore page: it falls back to English there.
    let de_new = project.html("public/alpha/de/runbooks/restore/index.html");
    assert_eq!(select_text(&de_new, "h1"), ["Restore a backup"]);
    assert_eq!(select_text(&de_new, ".translation-notice").len(), 1);
    let robots = project.read("public/alpha/robots.txt");
    assert!(robots.contains("Sitemap: https://help.alpha.test/de/1/sitemap.xml\n"), "{robots}");
}

#[test]
fn check_runs_every_version() {
    let project = versioned();
    project.file(
        "versions/1/content/runbooks/failover.md",
        "# Fail over\n\n## Promote {#promote}\n\nSee [the missing page](missing.md).\n",
    );
    let output = project.run(&["check"]);
    let message = String::from_utf8_lossy(&output.stdout).into_owned() + &stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(message.contains("versions/1/content/runbooks/failover.md:5:"), "{message}");
    assert!(message.contains("missing.md"), "{message}");
}

#[test]
fn snapshot_freezes_shared_and_partner_content_and_never_overwrites() {
    let project = Fixture::new();
    project.file("partners/alpha/content/pricing.md", "# Pricing\n\nAlpha's prices.\n");
    let output = project.run(&["version", "snapshot", "7"]);
    let said = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(said.contains("created versions/7/content ("), "{said}");
    assert!(said.contains("created partners/alpha/versions/7/content (1 files)"), "{said}");
    assert!(said.contains("add \"7\" to [versions] list"), "{said}");
    assert_eq!(
        project.read("versions/7/content/runbooks/restore.md"),
        project.read("content/runbooks/restore.md")
    );
    assert_eq!(
        project.read("partners/alpha/versions/7/content/pricing.md"),
        "# Pricing\n\nAlpha's prices.\n"
    );
    // A second snapshot of the same version would overwrite edits: refused.
    project.file("versions/7/content/runbooks/restore.md", "# Edited in version 7\n");
    let again = project.run(&["version", "snapshot", "7"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("versions/7/content already exists"), "{}", stderr(&again));
    assert_eq!(project.read("versions/7/content/runbooks/restore.md"), "# Edited in version 7\n");
    let bad = project.run(&["version", "snapshot", "../x"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("is not a version name"), "{}", stderr(&bad));
    assert!(!project.exists("x"));
}

#[test]
fn a_version_without_its_snapshot_is_a_clear_error() {
    let project = Fixture::new();
    let message = project.fails_after_good_build(|p| {
        p.file("livery.toml", PROJECT);
    });
    assert!(message.contains("error: versions/1/content: there is no content folder"), "{message}");
    assert!(message.contains("livery version snapshot 1"), "{message}");
}

#[test]
fn a_partner_listing_an_unknown_version_is_an_error_at_its_line() {
    let project = versioned();
    let message = project.fails_after_good_build(|p| {
        p.file(
            "partners/beta/partner.toml",
            "name = \"Beta Retail\"\nbase_url = \"https://kb.beta.test/docs/\"\nversions = [\"2\", \"3\"]\n",
        );
    });
    assert!(
        message.contains(
            "error: partners/beta/partner.toml:3:18: `3` is not one of the project's versions"
        ),
        "{message}"
    );
}

#[test]
fn a_page_in_a_versions_folder_is_an_error() {
    let project = versioned();
    let message = project.fails_after_good_build(|p| {
        p.file("content/1/notes.md", "# Notes\n");
    });
    assert!(message.contains("content/1/notes.md"), "{message}");
    assert!(message.contains("where version 1 of the site is published"), "{message}");
}

#[test]
fn shards_deal_out_sites_and_keep_the_other_sites_of_a_partner() {
    let project = versioned();
    project.build().unwrap();
    // Sites in order: alpha@2, alpha@1, beta@2, beta@1. Shard 2/2 has alpha@1 and beta@1.
    project
        .file(
            "versions/1/content/runbooks/restore.md",
            "+++\ntitle = \"Restore, revised\"\nweight = 1\nowner = \"dba\"\nlast_reviewed = 2026-10-01\n+++\nNew.\n",
        )
        .file(
            "content/runbooks/restore.md",
            "+++\ntitle = \"Restore, not in this shard\"\nweight = 1\nowner = \"dba\"\nlast_reviewed = 2026-10-01\n+++\nNew.\n",
        );
    let output = project.run(&["build", "--shard", "2/2"]);
    assert!(output.status.success(), "{}", stderr(&output));
    for partner in ["alpha", "beta"] {
        let old = project.html(&format!("public/{partner}/1/runbooks/restore/index.html"));
        assert_eq!(select_text(&old, "h1"), ["Restore, revised"]);
        // The newest version's site is not this shard's: kept as it was published.
        let new = project.html(&format!("public/{partner}/runbooks/restore/index.html"));
        assert_eq!(select_text(&new, "h1"), ["Restore a backup"]);
        assert!(project.exists(&format!("public/{partner}/search.js")));
    }
    // Into an empty folder, a shard writes only its own sites.
    let output = project.run(&["build", "--shard", "2/2", "--out", "shard2"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(project.exists("shard2/alpha/1/runbooks/restore/index.html"));
    assert!(!project.exists("shard2/alpha/index.html"));
    let output = project.run(&["build", "--shard", "1/2", "--out", "shard1"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(project.exists("shard1/alpha/index.html"));
    assert!(!project.exists("shard1/alpha/1"));
}

#[test]
fn an_older_version_without_a_featured_page_shows_the_others() {
    let project = versioned();
    project.file(
        "partners/alpha/partner.toml",
        "name = \"Alpha Hosting\"\nbase_url = \"https://help.alpha.test\"\n\n[home]\nfeatured = [\"runbooks/restore.md\", \"runbooks/new-in-2.md\"]\n",
    );
    project.file("content/runbooks/new-in-2.md", "# New in 2\n\nText.\n");
    project.build().unwrap();
    let new = project.html("public/alpha/index.html");
    let old = project.html("public/alpha/1/index.html");
    assert_eq!(select_attr(&new, ".featured-list a", "href").len(), 2);
    assert_eq!(select_attr(&old, ".featured-list a", "href"), ["./runbooks/restore/"]);
    // The newest version must have them all.
    project.remove("content/runbooks/new-in-2.md");
    let message = format!("{}", project.build().unwrap_err());
    assert!(message.contains("home.featured `runbooks/new-in-2.md` is not a page"), "{message}");
}

#[test]
fn an_older_versions_unchanged_pages_are_not_converted_again() {
    let project = versioned();
    let both = project.build().unwrap().markdown_conversions;
    project.file("livery.toml", "title = \"Test KB\"\n\n[versions]\nlist = [\"2\"]\n");
    let newest_only = project.build().unwrap().markdown_conversions;
    // Version 1 differs in its restore runbook and has the failover page; the rest is
    // version 2's, taken as converted.
    assert_eq!(both - newest_only, 2);
}

#[test]
fn a_problem_in_a_page_both_versions_share_is_reported_at_each_file() {
    let project = versioned();
    let text = "# Notes\n\nSee [gone](gone.md).\n";
    project
        .file("content/runbooks/notes.md", text)
        .file("versions/1/content/runbooks/notes.md", text);
    let output = project.run(&["check"]);
    let message = String::from_utf8_lossy(&output.stdout).into_owned() + &stderr(&output);
    let at = |path: &str| message.lines().filter(|l| l.starts_with(&format!("{path}:3:"))).count();
    assert_eq!(at("content/runbooks/notes.md"), 1, "{message}");
    assert_eq!(at("versions/1/content/runbooks/notes.md"), 1, "{message}");
    assert!(message.contains("there is no page versions/1/content/runbooks/gone.md"), "{message}");
}
