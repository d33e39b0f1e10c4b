//! The persistent build cache (`.livery/cache/`): a build that uses it publishes exactly
//! the bytes a cold build publishes, after any kind of change, and a one-page edit
//! renders and writes only what that edit changed.

mod common;

use std::path::Path;

use common::{Fixture, files_under};

fn build(project: &Fixture, out: &str, cache: bool) -> livery::BuildReport {
    livery::build(&livery::BuildOptions {
        root: project.path().to_owned(),
        out: Some(project.path().join(out)),
        cache,
        ..Default::default()
    })
    .unwrap()
}

/// Builds with the cache into `public` and without it into `cold`, and asserts both
/// publish the same files with the same bytes.
fn assert_cached_equals_cold(project: &Fixture, after: &str) -> livery::BuildReport {
    let cached = build(project, "public", true);
    std::fs::remove_dir_all(project.path().join("cold")).ok();
    build(project, "cold", false);
    let sites = |out: &str| {
        let mut files = files_under(&project.path().join(out));
        files.remove(".livery-sites");
        files.remove(".livery-lock");
        files
    };
    let (warm, cold) = (sites("public"), sites("cold"));
    assert_eq!(
        warm.keys().collect::<Vec<_>>(),
        cold.keys().collect::<Vec<_>>(),
        "after {after}: the cached build publishes other files"
    );
    for (path, bytes) in &warm {
        assert!(bytes == &cold[path], "after {after}: {path} differs from a cold build");
    }
    cached
}

fn changed(report: &livery::BuildReport, partner: &str) -> Vec<String> {
    let mut changed = report.partners.iter().find(|p| p.id == partner).unwrap().changed.clone();
    changed.sort();
    changed
}

/// One change to a project, applied in place.
type Edit = Box<dyn Fn(&Fixture)>;

#[test]
fn a_cached_build_is_byte_identical_to_a_cold_one_after_every_kind_of_change() {
    let project = Fixture::new();
    project.file(
        "content/runbooks/extra.md",
        "+++\ntitle = \"Extra\"\n+++\nSee [restore](restore.md).\n",
    );
    assert_cached_equals_cold(&project, "the first build");
    assert!(project.exists(".livery/cache/key"));
    assert_cached_equals_cold(&project, "nothing changed");

    let edits: Vec<(&str, Edit)> = vec![
        (
            "a body edit",
            Box::new(|p| {
                p.file(
                    "content/runbooks/failover.md",
                    "# Fail over\n\n## Promote {#promote}\n\nNew text.\n",
                );
            }),
        ),
        (
            "a title edit",
            Box::new(|p| {
                p.file(
                    "content/runbooks/extra.md",
                    "+++\ntitle = \"Extra steps\"\n+++\nSee [restore](restore.md).\n",
                );
            }),
        ),
        (
            "a new page",
            Box::new(|p| {
                p.file("content/runbooks/new.md", "# New\n\nHello.\n");
            }),
        ),
        (
            // extra.md links to restore.md: its text is the same, its href is not.
            "a slug on a linked page",
            Box::new(|p| {
                p.file("content/runbooks/restore.md", "+++\nslug = \"Restoring\"\n+++\nText.\n");
            }),
        ),
        (
            "lowercase URLs",
            Box::new(|p| {
                p.file("livery.toml", "title = \"Test KB\"\n[build]\nlowercase_urls = true\n");
                p.file("content/runbooks/Upper.md", "# New\n\nSee [restore](/runbooks/restore).\n");
            }),
        ),
        (
            "a removed page",
            Box::new(|p| {
                p.remove("content/runbooks/new.md");
            }),
        ),
        (
            "a page with partner data and a snippet",
            Box::new(|p| {
                p.file("content/_snippets/contact.md", "Write to {{ partner.name }} support.\n");
                p.file(
                    "content/runbooks/templated.md",
                    "# For {{ partner.name }}\n\n{{ snippet(\"contact\") }}\n",
                );
            }),
        ),
        (
            "the snippet only",
            Box::new(|p| {
                p.file("content/_snippets/contact.md", "Call {{ partner.name }} instead.\n");
            }),
        ),
        (
            "a brand colour in partner.toml",
            Box::new(|p| {
                p.file(
                "partners/beta/partner.toml",
                "name = \"Beta Retail\"\nbase_url = \"https://kb.beta.test/docs/\"\n\n[brand]\nprimary = \"#224466\"\n",
            );
            }),
        ),
        (
            "a partner name",
            Box::new(|p| {
                p.file(
                "partners/beta/partner.toml",
                "name = \"Beta Shops\"\nbase_url = \"https://kb.beta.test/docs/\"\n\n[brand]\nprimary = \"#224466\"\n",
            );
            }),
        ),
        (
            "a theme template",
            Box::new(|p| {
                let path = p.path().join("themes/default/templates/page.html");
                let text = std::fs::read_to_string(&path).unwrap();
                std::fs::write(&path, text.replacen("</main>", "<p>theme edit</p></main>", 1))
                    .unwrap();
            }),
        ),
        (
            "a partner template override",
            Box::new(|p| {
                p.file("partners/alpha/templates/page.html", "{% extends \"theme/page.html\" %}\n");
            }),
        ),
        (
            "a partner's own page",
            Box::new(|p| {
                p.file("partners/alpha/content/runbooks/alpha-only.md", "# Alpha only\n\nText.\n");
            }),
        ),
        (
            "a content file beside a page",
            Box::new(|p| {
                p.file("content/runbooks/diagram.txt", "boxes and arrows\n");
            }),
        ),
        (
            "a content file removed",
            Box::new(|p| {
                p.remove("content/runbooks/diagram.txt");
            }),
        ),
        (
            "livery.toml",
            Box::new(|p| {
                p.file(
                    "livery.toml",
                    "title = \"Test KB\"\n\n[highlight]\nlight = \"InspiredGitHub\"\n",
                );
            }),
        ),
        (
            "a partner removed",
            Box::new(|p| {
                std::fs::remove_dir_all(p.path().join("partners/beta")).unwrap();
                std::fs::remove_dir_all(p.path().join("public/beta")).unwrap();
                std::fs::remove_dir_all(p.path().join("cold/beta")).unwrap();
            }),
        ),
    ];
    for (what, edit) in edits {
        edit(&project);
        let report = assert_cached_equals_cold(&project, what);
        assert!(report.warnings.is_empty(), "after {what}: {:?}", report.warnings);
    }
}

#[test]
fn a_body_edit_renders_and_writes_only_that_page_and_the_search_index() {
    let project = Fixture::new();
    build(&project, "public", true);
    project
        .file("content/runbooks/failover.md", "# Fail over\n\n## Promote {#promote}\n\nEdited.\n");
    let report = assert_cached_equals_cold(&project, "a body edit");
    for partner in ["alpha", "beta"] {
        common::assert_page_and_its_search_files(
            &changed(&report, partner),
            "runbooks/failover/index.html",
            partner,
        );
    }
}

#[test]
fn a_published_page_changed_by_hand_is_written_again() {
    let project = Fixture::new();
    build(&project, "public", true);
    let page = project.path().join("public/alpha/runbooks/restore/index.html");
    std::fs::write(&page, "edited by hand").unwrap();
    let report = assert_cached_equals_cold(&project, "a hand edit of the published page");
    assert_eq!(changed(&report, "alpha"), ["runbooks/restore/index.html"]);
}

#[test]
fn a_damaged_cache_is_ignored_and_rewritten() {
    let project = Fixture::new();
    build(&project, "public", true);
    let cache = project.path().join(".livery/cache");
    let damage = |dir: &str| {
        for entry in std::fs::read_dir(cache.join(dir)).unwrap() {
            std::fs::write(entry.unwrap().path(), "{ not json").unwrap();
        }
    };
    damage("pages");
    damage("partners");
    assert_cached_equals_cold(&project, "damaged pages and partner memos");
    std::fs::write(cache.join("key"), "{ not json").unwrap();
    assert_cached_equals_cold(&project, "a damaged key");
    let key = std::fs::read_to_string(cache.join("key")).unwrap();
    assert!(key.contains("\"livery\""), "the cache is written again: {key}");
}

#[test]
fn no_cache_neither_reads_nor_writes_the_cache() {
    let project = Fixture::new();
    let output = project.run(&["build", "--no-cache", "-q"]);
    assert!(output.status.success(), "{}", common::stderr(&output));
    assert!(!Path::new(&project.path().join(".livery")).exists());
    let output = project.run(&["build", "-q"]);
    assert!(output.status.success(), "{}", common::stderr(&output));
    assert!(project.exists(".livery/cache/key"));
}

/// The inode of a published site's folder: a site swapped in whole is another folder.
fn folder_identity(project: &Fixture, site: &str) -> u64 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(project.path().join("public").join(site)).unwrap().ino()
}

#[test]
fn a_small_change_is_patched_into_the_published_site_and_a_big_one_swapped_in() {
    let project = Fixture::new();
    for i in 0..30 {
        project.file(&format!("content/runbooks/step-{i}.md"), &format!("# Step {i}\n\nDo {i}.\n"));
    }
    for cache in [true, false] {
        build(&project, "public", cache);
        let before = folder_identity(&project, "alpha");
        project.file("content/runbooks/step-7.md", &format!("# Step 7\n\nDo 7 ({cache}).\n"));
        let report = build(&project, "public", cache);
        common::assert_page_and_its_search_files(
            &changed(&report, "alpha"),
            "runbooks/step-7/index.html",
            &format!("cache: {cache}"),
        );
        assert_eq!(folder_identity(&project, "alpha"), before, "patched in place (cache: {cache})");
    }
    let before = folder_identity(&project, "alpha");
    for i in 0..30 {
        project
            .file(&format!("content/runbooks/step-{i}.md"), &format!("# Step {i}\n\nRedo {i}.\n"));
    }
    assert_cached_equals_cold(&project, "every page edited");
    assert_ne!(folder_identity(&project, "alpha"), before, "swapped in whole");
    common::assert_no_staging_folders(&project.path().join("public"));
}

/// A partner in two languages and two versions keeps a memo per site; after each kind
/// of change, the cached build publishes what a cold one does.
#[test]
fn a_partner_with_several_sites_builds_from_the_cache_byte_identical_to_cold() {
    let project = Fixture::new();
    project
        .file("livery.toml", "title = \"Test KB\"\n\n[versions]\nlist = [\"2\", \"1\"]\n")
        .file(
            "partners/alpha/partner.toml",
            "name = \"Alpha Hosting\"\nbase_url = \"https://help.alpha.test\"\nlanguages = [\"en\", \"de\"]\n",
        )
        .file("content/runbooks/restore.de.md", "# Sicherung wiederherstellen\n\nText.\n")
        .copy_dir(&project.path().join("content"), "versions/1/content");
    build(&project, "public", true);
    let edits: Vec<(&str, Edit)> = vec![
        (
            "an older version's page edited",
            Box::new(|p: &Fixture| {
                p.file(
                    "versions/1/content/runbooks/failover.md",
                    "# Fail over\n\n## Promote {#promote}\n\nOld.\n",
                );
            }),
        ),
        (
            "a translation edited",
            Box::new(|p: &Fixture| {
                p.file("content/runbooks/restore.de.md", "# Sicherung wiederherstellen\n\nNeu.\n");
            }),
        ),
        (
            "a translation removed",
            Box::new(|p: &Fixture| {
                p.remove("content/runbooks/restore.de.md");
            }),
        ),
        (
            "a page added to the newest version",
            Box::new(|p: &Fixture| {
                p.file("content/runbooks/new.md", "# New in 2\n");
            }),
        ),
        (
            "a published file of an older version changed by hand",
            Box::new(|p: &Fixture| {
                std::fs::write(
                    p.path().join("public/alpha/1/runbooks/restore/index.html"),
                    "by hand",
                )
                .unwrap();
            }),
        ),
    ];
    for (what, edit) in edits {
        edit(&project);
        let report = assert_cached_equals_cold(&project, what);
        assert!(report.warnings.is_empty(), "after {what}: {:?}", report.warnings);
        if what == "an older version's page edited" {
            // Kept in .livery/cache/ between runs: only that page is rendered, in the
            // English and German sites of version 1.
            let alpha = report.partners.iter().find(|p| p.id == "alpha").unwrap();
            assert_eq!(alpha.rendered, 2, "after {what}");
        }
    }
}
