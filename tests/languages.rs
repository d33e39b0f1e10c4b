//! Partners in several languages: `page.de.md` translations, the default language at
//! the site root and the others under `/<lang>/`, fallback or omission of untranslated
//! pages, links that stay in their language, `hreflang`, switchers, translated
//! snippets, and `check`'s stale translations.

mod common;

use common::{Fixture, select_attr, select_text, stderr};

const ALPHA: &str = "name = \"Alpha Hosting\"\nbase_url = \"https://help.alpha.test\"\nlanguages = [\"en\", \"de\"]\n\n[brand]\nprimary = \"#123456\"\nlogo = \"logo.svg\"\n\n[contact]\nsupport_email = \"help@alpha.test\"\n";

/// The fixture with alpha in English and German, the restore runbook and the runbooks
/// section translated; failover is not.
fn bilingual() -> Fixture {
    let project = Fixture::new();
    project
        .file("partners/alpha/partner.toml", ALPHA)
        .file(
            "content/runbooks/_index.de.md",
            "+++\ntitle = \"Betriebshandbücher\"\nweight = 1\n+++\n",
        )
        .file(
            "content/runbooks/restore.de.md",
            "+++\ntitle = \"Sicherung wiederherstellen\"\nweight = 1\nowner = \"dba\"\nlast_reviewed = 2026-10-01\n+++\nSiehe [Failover](failover.md#promote) und [Start](../_index.md).\n\n## Wiederherstellung prüfen\n\nFertig.\n",
        );
    project
}

#[test]
fn the_default_language_stays_at_the_root_and_others_get_a_folder() {
    let project = bilingual();
    project.build().unwrap();
    let en = project.html("public/alpha/runbooks/restore/index.html");
    let de = project.html("public/alpha/de/runbooks/restore/index.html");
    assert_eq!(select_attr(&en, "html", "lang"), ["en"]);
    assert_eq!(select_attr(&de, "html", "lang"), ["de"]);
    assert_eq!(select_text(&en, "h1"), ["Restore a backup"]);
    assert_eq!(select_text(&de, "h1"), ["Sicherung wiederherstellen"]);
    // UI strings in the language of the site.
    assert_eq!(select_text(&de, ".toc-title"), Vec::<String>::new(), "one heading: no toc");
    assert!(select_text(&de, ".page-meta").iter().any(|t| t.contains("Zuletzt geprüft")));
    // One robots.txt, at the root, naming both sitemaps.
    assert!(!project.exists("public/alpha/de/robots.txt"));
    let robots = project.read("public/alpha/robots.txt");
    assert!(robots.contains("Sitemap: https://help.alpha.test/sitemap.xml\n"), "{robots}");
    assert!(robots.contains("Sitemap: https://help.alpha.test/de/sitemap.xml\n"), "{robots}");
    // A partner with one language has no folder and no switcher.
    assert!(!project.exists("public/beta/de"));
    let beta = project.html("public/beta/runbooks/restore/index.html");
    assert!(select_text(&beta, ".language-switcher a").is_empty());
    assert!(select_attr(&beta, "link[rel=alternate][hreflang]", "href").is_empty());
}

#[test]
fn links_in_a_translation_stay_in_its_language() {
    let project = bilingual();
    project.build().unwrap();
    let de = project.html("public/alpha/de/runbooks/restore/index.html");
    // The same relative links as the English page: from /de/runbooks/restore/ they
    // reach /de/runbooks/failover/ and /de/.
    assert_eq!(
        select_attr(&de, ".prose p a", "href"),
        ["../../runbooks/failover/#promote", "../../"]
    );
    // Both land in the German site: the untranslated failover page falls back there.
    assert!(project.exists("public/alpha/de/runbooks/failover/index.html"));
    assert!(project.exists("public/alpha/de/index.html"));
    // The translated section page is the German section's.
    let section = project.html("public/alpha/de/runbooks/index.html");
    assert_eq!(select_text(&section, "h1"), ["Betriebshandbücher"]);
    assert!(select_text(&section, ".translation-notice").is_empty());
}

#[test]
fn hreflang_and_the_switcher_lead_to_the_same_page_in_each_language() {
    let project = bilingual();
    project.build().unwrap();
    let de = project.html("public/alpha/de/runbooks/restore/index.html");
    assert_eq!(
        select_attr(&de, "link[rel=alternate][hreflang]", "href"),
        [
            "https://help.alpha.test/runbooks/restore/",
            "https://help.alpha.test/de/runbooks/restore/"
        ]
    );
    assert_eq!(select_text(&de, ".language-switcher a"), ["English", "Deutsch"]);
    assert_eq!(
        select_attr(&de, ".language-switcher a", "href"),
        ["../../../runbooks/restore/", "../../../de/runbooks/restore/"]
    );
    assert_eq!(select_attr(&de, ".language-switcher a[aria-current]", "hreflang"), ["de"]);
    let en = project.html("public/alpha/runbooks/restore/index.html");
    assert_eq!(
        select_attr(&en, ".language-switcher a", "href"),
        ["../../runbooks/restore/", "../../de/runbooks/restore/"]
    );
    assert_eq!(
        select_attr(&en, "link[rel=canonical]", "href"),
        ["https://help.alpha.test/runbooks/restore/"]
    );
    assert_eq!(
        select_attr(&de, "link[rel=canonical]", "href"),
        ["https://help.alpha.test/de/runbooks/restore/"]
    );
}

#[test]
fn an_untranslated_page_falls_back_with_a_notice_in_the_content_language() {
    let project = bilingual();
    project.build().unwrap();
    let de = project.html("public/alpha/de/runbooks/failover/index.html");
    assert_eq!(select_text(&de, "h1"), ["Fail over"]);
    assert_eq!(select_attr(&de, "main", "lang"), ["en"]);
    let notice = select_text(&de, ".translation-notice");
    assert_eq!(notice.len(), 1);
    assert!(notice[0].starts_with("Diese Seite ist noch nicht übersetzt"), "{notice:?}");
    // Translated pages carry no notice.
    let translated = project.html("public/alpha/de/runbooks/restore/index.html");
    assert!(select_text(&translated, ".translation-notice").is_empty());
    assert!(select_attr(&translated, "main", "lang").is_empty());
}

#[test]
fn omitted_pages_leave_the_language_site_and_their_urls_lead_to_the_default_language() {
    let project = bilingual();
    project.file("livery.toml", "title = \"Test KB\"\n\n[languages]\nmissing = \"omit\"\n");
    project.build().unwrap();
    let stand_in = project.read("public/alpha/de/runbooks/failover/index.html");
    assert!(stand_in.contains("url=../../../runbooks/failover/"), "{stand_in}");
    assert!(stand_in.contains("noindex"));
    let de = project.html("public/alpha/de/runbooks/restore/index.html");
    let nav: Vec<String> = select_text(&de, ".sidebar a");
    assert!(!nav.iter().any(|t| t == "Fail over"), "{nav:?}");
    let sitemap = project.read("public/alpha/de/sitemap.xml");
    assert!(!sitemap.contains("failover"), "{sitemap}");
    assert!(sitemap.contains("https://help.alpha.test/de/runbooks/restore/"));
    // The switcher on the English failover page offers German's home instead.
    let en = project.html("public/alpha/runbooks/failover/index.html");
    assert_eq!(
        select_attr(&en, ".language-switcher a", "href"),
        ["../../runbooks/failover/", "../../de/"]
    );
    assert_eq!(
        select_attr(&en, "link[rel=alternate][hreflang]", "hreflang"),
        ["en"],
        "no hreflang to a page that does not exist"
    );
    // The search index of the German site does not know the page.
    let search = common::files_under(&project.path().join("public/alpha/de/search"));
    assert!(
        !search.values().any(|bytes| String::from_utf8_lossy(bytes).contains("runbooks/failover/")),
        "German search lists the omitted page"
    );
}

#[test]
fn a_translated_snippet_is_used_by_pages_of_its_language() {
    let project = bilingual();
    project
        .file("content/_snippets/contact.md", "Write to {{ partner.contact.support_email }}.\n")
        .file("content/_snippets/contact.de.md", "Schreiben Sie an {{ partner.contact.support_email }}.\n")
        .file(
            "content/runbooks/restore.md",
            "+++\ntitle = \"Restore a backup\"\nweight = 1\nowner = \"dba\"\nlast_reviewed = 2026-10-01\n+++\n{{ snippet(\"contact\") }}\n",
        )
        .file(
            "content/runbooks/restore.de.md",
            "+++\ntitle = \"Sicherung wiederherstellen\"\nweight = 1\nowner = \"dba\"\nlast_reviewed = 2026-10-01\n+++\n{{ snippet(\"contact\") }}\n",
        );
    project.build().unwrap();
    let en = project.html("public/alpha/runbooks/restore/index.html");
    let de = project.html("public/alpha/de/runbooks/restore/index.html");
    assert_eq!(select_text(&en, ".prose p"), ["Write to help@alpha.test."]);
    assert_eq!(select_text(&de, ".prose p"), ["Schreiben Sie an help@alpha.test."]);
}

#[test]
fn check_reports_translations_reviewed_before_their_page() {
    let project = bilingual();
    project.file(
        "content/runbooks/restore.md",
        "+++\ntitle = \"Restore a backup\"\nweight = 1\nowner = \"dba\"\nlast_reviewed = 2026-11-15\n+++\nNew steps.\n",
    );
    let output = project.run(&["check", "--today", "2026-11-20"]);
    let message = String::from_utf8_lossy(&output.stdout).into_owned() + &stderr(&output);
    assert!(
        message.contains(
            "content/runbooks/restore.de.md:5:17: warning: stale translation: reviewed 2026-10-01, but content/runbooks/restore.md was reviewed 2026-11-15"
        ),
        "{message}"
    );
    assert!(message.contains("[stale-translation]"), "{message}");
    // Brought up to date: no warning.
    project.file(
        "content/runbooks/restore.de.md",
        "+++\ntitle = \"Sicherung wiederherstellen\"\nweight = 1\nowner = \"dba\"\nlast_reviewed = 2026-11-18\n+++\nNeue Schritte.\n",
    );
    let output = project.run(&["check", "--today", "2026-11-20"]);
    let message = String::from_utf8_lossy(&output.stdout).into_owned() + &stderr(&output);
    assert!(!message.contains("stale translation"), "{message}");
}

#[test]
fn language_and_languages_together_are_an_error() {
    let project = Fixture::new();
    let message = project.fails_after_good_build(|p| {
        p.file(
            "partners/beta/partner.toml",
            "name = \"Beta\"\nbase_url = \"https://b.test\"\nlanguage = \"en\"\nlanguages = [\"en\", \"de\", \"de\"]\n",
        );
    });
    assert!(
        message.contains(
            "partners/beta/partner.toml:3:12: set either `language` or `languages`, not both"
        ),
        "{message}"
    );
    assert!(message.contains("partners/beta/partner.toml:4:26: `de` is listed twice"), "{message}");
}

#[test]
fn a_file_named_like_a_language_no_partner_uses_stays_a_page() {
    let project = Fixture::new();
    project.file("content/runbooks/notes.v2.md", "# Notes v2\n\nText.\n");
    project.file("content/runbooks/restore.fr.md", "# Restaurer\n\nTexte.\n");
    project.build().unwrap();
    // No partner publishes French: `restore.fr.md` is a page of its own, like `notes.v2.md`.
    assert!(project.exists("public/alpha/runbooks/notes.v2/index.html"));
    assert!(project.exists("public/alpha/runbooks/restore.fr/index.html"));
}
