//! The repository's own example project: what `cargo run --release -- build` publishes,
//! and the leak test: no partner's site carries a trace of another partner.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{repo_root, select_attr, select_text};

/// What identifies a partner: name, domains, support email, logo bytes.
struct Identity {
    id: &'static str,
    marks: Vec<String>,
    logo: Vec<u8>,
}

fn identities() -> Vec<Identity> {
    let marks = |list: &[&str]| list.iter().map(|s| s.to_lowercase()).collect();
    let logo = |id: &str| {
        std::fs::read(repo_root().join("partners").join(id).join("static/logo.svg")).unwrap()
    };
    vec![
        Identity {
            id: "acme",
            marks: marks(&["Acme", "acme.example", "support@acme.example", "Acme Commerce Suite"]),
            logo: logo("acme"),
        },
        Identity {
            id: "globex",
            marks: marks(&[
                "Globex",
                "globex.example",
                "care@globex.example",
                "Globex Wholesale Cloud",
            ]),
            logo: logo("globex"),
        },
        Identity {
            id: "helios",
            marks: marks(&[
                "Helios",
                "helios.example",
                "hello@helios.example",
                "Helios Storefront",
            ]),
            logo: logo("helios"),
        },
    ]
}

fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().to_owned(), std::fs::read(e.path()).unwrap()))
        .collect()
}

/// `word` as a whole word ("livery", but not "delivery").
fn contains_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

fn build_example() -> (tempfile::TempDir, livery::BuildReport) {
    let out = tempfile::tempdir().unwrap();
    let options = livery::BuildOptions {
        root: repo_root(),
        out: Some(out.path().to_owned()),
        ..Default::default()
    };
    let report = livery::build(&options).unwrap();
    (out, report)
}

#[test]
fn no_partner_site_carries_another_partners_identity() {
    let (out, report) = build_example();
    assert_eq!(
        report.partners.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(),
        ["acme", "globex", "helios"]
    );
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    let everyone = identities();
    for me in &everyone {
        let site = files(&out.path().join(me.id));
        let home = String::from_utf8_lossy(&site[Path::new("index.html")]).to_lowercase();
        assert!(
            me.marks.iter().all(|mark| home.contains(mark.as_str())
                || mark.contains('@')
                || mark.contains(' '))
        );
        for (path, bytes) in &site {
            let text = String::from_utf8_lossy(bytes).to_lowercase();
            for other in everyone.iter().filter(|o| o.id != me.id) {
                for mark in &other.marks {
                    assert!(
                        !text.contains(mark.as_str()),
                        "{}/{} contains {mark}",
                        me.id,
                        path.display()
                    );
                }
                assert!(
                    bytes.windows(other.logo.len()).all(|w| w != other.logo.as_slice()),
                    "{}/{} holds {}'s logo",
                    me.id,
                    path.display(),
                    other.id
                );
            }
            assert!(
                !contains_word(&text, "livery"),
                "{}/{} carries vendor branding",
                me.id,
                path.display()
            );
            assert!(
                !text.contains("powered by"),
                "{}/{} carries vendor branding",
                me.id,
                path.display()
            );
        }
        assert_eq!(site[Path::new("logo.svg")], me.logo, "{} publishes its own logo", me.id);
    }
}

#[test]
fn the_example_sites_differ_where_their_configs_say() {
    let (out, report) = build_example();
    let page = |id: &str, path: &str| {
        let file = out.path().join(id).join(path);
        scraper::Html::parse_document(
            &std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display())),
        )
    };
    let exists = |id: &str, path: &str| out.path().join(id).join(path).exists();

    // globex overrides one block of the page template; the others keep the theme's.
    assert_eq!(
        select_text(&page("globex", "runbooks/backup-restore/index.html"), ".partner-panel strong"),
        ["Globex Premier Support"]
    );
    assert!(
        select_text(&page("acme", "runbooks/backup-restore/index.html"), ".partner-panel")
            .is_empty()
    );

    // Variables and the escalation snippet, per partner.
    let acme = page("acme", "playbooks/incident-response/index.html");
    let helios = page("helios", "playbooks/incident-response/index.html");
    let text = |html: &scraper::Html| select_text(html, ".prose").join(" ");
    assert!(
        text(&acme).contains(
            "Merchants on Acme Commerce Suite are promised a first update within 4 hours"
        )
    );
    assert!(
        text(&helios)
            .contains("Merchants on Helios Storefront are promised a first update within 8 hours")
    );
    assert!(
        text(&acme).contains("answers the support line around the clock"),
        "acme has the 24x7-phone feature"
    );
    assert!(!text(&helios).contains("around the clock"));

    // Which pages each partner carries.
    assert!(exists("acme", "onboarding/white-glove-migration/index.html"), "acme's own page");
    assert!(!exists("globex", "onboarding/white-glove-migration"));
    assert!(exists("acme", "onboarding/wholesale-edi/index.html"));
    assert!(!exists("helios", "onboarding/wholesale-edi"), "helios excludes the wholesale tag");
    assert!(
        !String::from_utf8_lossy(&std::fs::read(out.path().join("helios/sitemap.xml")).unwrap())
            .contains("wholesale-edi")
    );
    assert_eq!(
        select_text(&page("globex", "onboarding/training-plan/index.html"), "article h1"),
        ["Training with Globex Academy"]
    );
    assert_eq!(
        select_text(&page("acme", "onboarding/training-plan/index.html"), "article h1"),
        ["Training plan"]
    );

    // Menus from partner.toml.
    let home = page("acme", "index.html");
    assert!(select_text(&home, ".header-links a").contains(&"Community forum".to_owned()));
    assert!(
        select_attr(&home, ".footer-menu a", "href")
            .contains(&"https://acme.example/legal/terms".to_owned())
    );

    // Pages without partner data are converted once for all three partners: 43 shared
    // files, 3 of them templated, so 40 once, and 6 German translations, 1 of them
    // templated, so 5 once; then per site its templated pages: acme 3 + its own page,
    // globex 3 + its training plan in English and again in German (the templated
    // translation and 2 untranslated pages shown in English, + the training plan), helios 3.
    // Release 17's snapshot takes release 18's pages where their text is the same: of
    // its files without partner data only the search reindex runbook differs, so 1; its
    // templated pages are rendered per site as in 18: acme 3 + 1, globex (3 + 1) * 2,
    // and helios publishes 18 only.
    let release_18 = 40 + 5 + (3 + 1) + (3 + 1) * 2 + 3;
    let release_17 = 1 + (3 + 1) + (3 + 1) * 2;
    assert_eq!(report.markdown_conversions, release_18 + release_17);

    // Release 17 under /17/, with its own procedure, for the partners that publish it.
    let reindex = |partner: &str, version: &str| {
        select_text(
            &page(partner, &format!("{version}runbooks/search-reindex/index.html")),
            ".prose pre",
        )
        .join("\n")
    };
    assert!(!reindex("acme", "").contains("--in-place"));
    assert!(reindex("acme", "17/").contains("--in-place"));
    assert!(reindex("globex", "de/17/").contains("--in-place"));
    assert!(!exists("helios", "17"), "helios publishes release 18 only");
    assert!(exists("acme", "17/index.html"));
    assert!(exists("acme", "onboarding/wholesale-edi/index.html"));
    assert!(!exists("acme", "17/onboarding/wholesale-edi/index.html"));
}

#[test]
fn the_example_passes_livery_check_and_shows_declared_fields() {
    let output = assert_cmd::Command::cargo_bin("livery")
        .unwrap()
        .args(["check", "--format", "json", "--today", "2026-11-23", "--root"])
        .arg(repo_root())
        .output()
        .unwrap();
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(output.status.code(), Some(0), "{document:#}");
    assert_eq!(document["findings"], serde_json::json!([]), "{document:#}");

    // `severity` is declared for runbooks in livery.toml; the theme shows it.
    let (dir, _) = build_example();
    let html =
        std::fs::read_to_string(dir.path().join("acme/runbooks/release-rollback/index.html"))
            .unwrap();
    assert!(html.contains("Severity: <strong>sev1</strong>"), "severity not shown");
}
