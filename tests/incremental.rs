//! The dev server's rebuilds (`livery::rebuild` with a cache): only what changed is
//! parsed, rendered and written, and the result equals a full build.

mod common;

use common::Fixture;

fn options(project: &Fixture, out: &std::path::Path) -> livery::BuildOptions {
    livery::BuildOptions {
        root: project.path().to_owned(),
        out: Some(out.to_owned()),
        ..Default::default()
    }
}

fn changed(report: &livery::BuildReport, partner: &str) -> Vec<String> {
    let mut paths = report.partners.iter().find(|p| p.id == partner).unwrap().changed.clone();
    paths.sort();
    paths
}

#[test]
fn an_edited_body_is_parsed_rendered_and_written_alone() {
    let project = Fixture::new();
    let out = tempfile::tempdir().unwrap();
    let mut cache = livery::Cache::new();
    let first = livery::rebuild(&options(&project, out.path()), &mut cache).unwrap();
    assert_eq!(first.markdown_conversions, 4);

    project.file("content/runbooks/restore.md", "+++\ntitle = \"Restore a backup\"\nweight = 1\nowner = \"dba\"\nlast_reviewed = 2026-10-01\n+++\nSee [failover](failover.md#promote).\n\n## Verify the restore\n\nEdited.\n");
    let second = livery::rebuild(&options(&project, out.path()), &mut cache).unwrap();
    assert_eq!(second.markdown_conversions, 1, "only the edited file is parsed again");
    common::assert_page_and_its_search_files(
        &changed(&second, "alpha"),
        "runbooks/restore/index.html",
        "a body edit",
    );
    assert!(
        std::fs::read_to_string(out.path().join("alpha/runbooks/restore/index.html"))
            .unwrap()
            .contains("Edited.")
    );

    // The incremental output is exactly what a full build writes.
    let full = tempfile::tempdir().unwrap();
    livery::build(&options(&project, full.path())).unwrap();
    let snapshot = |dir: &std::path::Path| {
        let mut files: Vec<_> = walkdir::WalkDir::new(dir)
            .into_iter()
            .map(Result::unwrap)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let bytes = std::fs::read(e.path()).unwrap();
                (
                    e.path().strip_prefix(dir).unwrap().to_owned(),
                    bytes.len(),
                    String::from_utf8_lossy(&bytes).chars().map(|c| c as u64).sum::<u64>(),
                )
            })
            .collect();
        files.sort();
        files
    };
    assert_eq!(snapshot(out.path()), snapshot(full.path()));
}

#[test]
fn a_changed_title_rerenders_the_pages_that_show_it() {
    let project = Fixture::new();
    let out = tempfile::tempdir().unwrap();
    let mut cache = livery::Cache::new();
    livery::rebuild(&options(&project, out.path()), &mut cache).unwrap();
    project.file(
        "content/runbooks/failover.md",
        "# Fail over now\n\n## Promote {#promote}\n\nText.\n",
    );
    let report = livery::rebuild(&options(&project, out.path()), &mut cache).unwrap();
    let alpha = changed(&report, "alpha");
    for page in
        ["runbooks/index.html", "runbooks/restore/index.html", "runbooks/failover/index.html"]
    {
        assert!(
            alpha.contains(&page.to_owned()),
            "{page} shows the title in its navigation: {alpha:?}"
        );
    }
    assert!(
        !alpha.contains(&"index.html".to_owned()),
        "the home page's folded sidebar does not show it: {alpha:?}"
    );
    let restore =
        std::fs::read_to_string(out.path().join("alpha/runbooks/restore/index.html")).unwrap();
    assert!(restore.contains("Fail over now"));
}

#[test]
fn a_deleted_page_disappears() {
    let project = Fixture::new();
    project.file("content/runbooks/extra.md", "# Extra\n");
    let out = tempfile::tempdir().unwrap();
    let mut cache = livery::Cache::new();
    livery::rebuild(&options(&project, out.path()), &mut cache).unwrap();
    assert!(out.path().join("alpha/runbooks/extra/index.html").exists());
    project.remove("content/runbooks/extra.md");
    livery::rebuild(&options(&project, out.path()), &mut cache).unwrap();
    assert!(!out.path().join("alpha/runbooks/extra/index.html").exists());
}

/// Content files besides pages (images, attachments) are not part of any page's
/// HTML, so a rebuild that renders only the changed pages must still publish them.
#[test]
fn content_files_are_published_when_added_changed_or_removed() {
    let project = Fixture::new();
    project.bytes("content/runbooks/diagram.png", b"first diagram");
    let out = tempfile::tempdir().unwrap();
    let mut cache = livery::Cache::new();
    livery::rebuild(&options(&project, out.path()), &mut cache).unwrap();
    let published = |path: &str| std::fs::read(out.path().join(path)).ok();
    assert_eq!(published("alpha/runbooks/diagram.png").as_deref(), Some(&b"first diagram"[..]));

    project.bytes("content/runbooks/diagram.png", b"second diagram");
    project.file("content/runbooks/notes.txt", "shared notes");
    project.file("partners/alpha/content/runbooks/alpha-only.txt", "alpha notes");
    let report = livery::rebuild(&options(&project, out.path()), &mut cache).unwrap();
    assert_eq!(
        changed(&report, "alpha"),
        ["runbooks/alpha-only.txt", "runbooks/diagram.png", "runbooks/notes.txt"]
    );
    assert_eq!(changed(&report, "beta"), ["runbooks/diagram.png", "runbooks/notes.txt"]);
    assert_eq!(published("alpha/runbooks/diagram.png").as_deref(), Some(&b"second diagram"[..]));
    assert_eq!(published("beta/runbooks/notes.txt").as_deref(), Some(&b"shared notes"[..]));
    assert_eq!(published("alpha/runbooks/alpha-only.txt").as_deref(), Some(&b"alpha notes"[..]));
    assert_eq!(published("beta/runbooks/alpha-only.txt"), None);

    project.remove("content/runbooks/notes.txt");
    project.remove("partners/alpha/content/runbooks/alpha-only.txt");
    livery::rebuild(&options(&project, out.path()), &mut cache).unwrap();
    let full = tempfile::tempdir().unwrap();
    livery::build(&options(&project, full.path())).unwrap();
    assert_eq!(
        common::files_under(out.path()),
        common::files_under(full.path()),
        "the rebuilt sites are what a full build writes"
    );
}

/// A partner with several sites (here two versions in two languages): each site has
/// its own memo, so an edit to one version's page renders and writes that page alone,
/// and a page deleted from one site still disappears.
#[test]
fn a_partner_with_several_sites_rebuilds_the_edited_page_alone() {
    let project = Fixture::new();
    project
        .file("livery.toml", "title = \"Test KB\"\n\n[versions]\nlist = [\"2\", \"1\"]\n")
        .file(
            "partners/alpha/partner.toml",
            "name = \"Alpha Hosting\"\nbase_url = \"https://help.alpha.test\"\nlanguages = [\"en\", \"de\"]\n",
        )
        .file("content/runbooks/extra.md", "# Extra\n")
        .copy_dir(&project.path().join("content"), "versions/1/content");
    let out = tempfile::tempdir().unwrap();
    let mut cache = livery::Cache::new();
    livery::rebuild(&options(&project, out.path()), &mut cache).unwrap();
    project.file(
        "versions/1/content/runbooks/failover.md",
        "# Fail over\n\n## Promote {#promote}\n\nEdited in 1.\n",
    );
    let report = livery::rebuild(&options(&project, out.path()), &mut cache).unwrap();
    let alpha = changed(&report, "alpha");
    let rendered = report.partners.iter().find(|p| p.id == "alpha").unwrap().rendered;
    assert_eq!(rendered, 2, "the page in version 1's English and German sites, no other");
    // The English and German sites of version 1 show the page (German falls back).
    let (one, elsewhere): (Vec<&String>, Vec<&String>) =
        alpha.iter().partition(|p| p.starts_with("1/") || p.starts_with("de/1/"));
    assert!(elsewhere.is_empty(), "version 2's sites are untouched: {alpha:?}");
    for site in ["1/", "de/1/"] {
        let pages: Vec<String> = one
            .iter()
            .filter_map(|p| p.strip_prefix(site))
            .filter(|p| !p.starts_with("search/") && !p.starts_with("1/"))
            .map(str::to_owned)
            .collect();
        assert_eq!(pages, ["runbooks/failover/index.html"], "{site}: {alpha:?}");
    }
    let page = std::fs::read_to_string(out.path().join("alpha/de/1/runbooks/failover/index.html"));
    assert!(page.unwrap().contains("Edited in 1."));
    // The same output as a full build.
    let full = tempfile::tempdir().unwrap();
    livery::build(&options(&project, full.path())).unwrap();
    assert_eq!(
        common::files_under(&out.path().join("alpha")),
        common::files_under(&full.path().join("alpha"))
    );

    // A page deleted from version 2 only: its files go, the other sites' stay.
    project.remove("content/runbooks/extra.md");
    livery::rebuild(&options(&project, out.path()), &mut cache).unwrap();
    assert!(!out.path().join("alpha/runbooks/extra/index.html").exists());
    assert!(!out.path().join("alpha/de/runbooks/extra/index.html").exists());
    assert!(out.path().join("alpha/1/runbooks/extra/index.html").exists());
}
