//! The repository's own example project: what `cargo run --release -- build` publishes.

mod common;

use common::{repo_root, select_text};

#[test]
fn the_example_builds_every_partner_with_its_own_brand_only() {
    let out = tempfile::tempdir().unwrap();
    let options = livery::BuildOptions {
        root: repo_root(),
        out: Some(out.path().to_owned()),
        ..Default::default()
    };
    let report = livery::build(&options).unwrap();
    let ids: Vec<&str> = report.partners.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["acme", "globex", "helios"]);
    assert!(report.markdown_conversions >= 30, "the example has at least 30 pages");
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);

    let names = [("acme", "Acme Cloud"), ("globex", "Globex"), ("helios", "Helios")];
    for (id, name) in names {
        let home = std::fs::read_to_string(out.path().join(id).join("index.html")).unwrap();
        assert!(home.contains(name), "{id}'s home page names its brand");
        for entry in walkdir::WalkDir::new(out.path().join(id)) {
            let entry = entry.unwrap();
            if !entry.file_type().is_file() {
                continue;
            }
            let text =
                String::from_utf8_lossy(&std::fs::read(entry.path()).unwrap()).to_lowercase();
            for (other_id, other_name) in names.iter().filter(|(other, _)| *other != id) {
                assert!(
                    !text.contains(&other_name.to_lowercase()),
                    "{} names {other_name}",
                    entry.path().display()
                );
                assert!(
                    !text.contains(&format!("{other_id}.example")),
                    "{} links to {other_id}",
                    entry.path().display()
                );
            }
            assert!(!text.contains("livery"), "{} carries vendor branding", entry.path().display());
        }
    }

    // globex overrides one block of the page template; the others keep the theme's.
    let page = "runbooks/backup-restore/index.html";
    let html = |id: &str| {
        scraper::Html::parse_document(
            &std::fs::read_to_string(out.path().join(id).join(page)).unwrap(),
        )
    };
    assert_eq!(select_text(&html("globex"), ".partner-panel strong"), ["Globex Premier Support"]);
    assert!(select_text(&html("acme"), ".partner-panel").is_empty());
    assert!(select_text(&html("helios"), ".partner-panel").is_empty());
}
