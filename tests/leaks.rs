//! Leak-proof publishing: one fixture per way another partner's name, address or a
//! forbidden term can reach a partner's site. For each, `check` names the source file
//! (and line, where the term is written on one) for the partner that would show it,
//! and `build` refuses to publish, leaving the previous output as it was.

mod common;

use common::{Fixture, select_text};

/// The fixture, with beta also known by a one-word name.
fn fixture() -> Fixture {
    let project = Fixture::new();
    project.file(
        "partners/beta/partner.toml",
        "name = \"Beta Retail\"\nalso_known_as = [\"BetaCo\"]\nbase_url = \"https://kb.beta.test/docs/\"\n\n[brand]\nprimary = \"#654321\"\n\n[contact]\nsupport_email = \"care@beta.test\"\n",
    );
    project
}

/// `livery check`'s findings of `rule`, through the library.
fn findings(project: &Fixture, partners: &[&str], rule: livery::Rule) -> Vec<livery::Diagnostic> {
    let options = livery::check::CheckOptions {
        root: project.path().to_owned(),
        partners: partners.iter().map(|p| p.to_string()).collect(),
        ..Default::default()
    };
    let report = livery::check::check(&options).expect("check runs");
    report.findings.into_iter().filter(|f| f.rule == Some(rule)).collect()
}

/// Asserts that check reports a brand leak on alpha's site at `file` (and `line`),
/// and that build refuses to publish it.
fn leaks_on_alpha(project: &Fixture, file: &str, line: Option<usize>, plant: impl Fn(&Fixture)) {
    let message = project.fails_after_good_build(&plant);
    assert!(message.contains("brand leak"), "{message}");
    assert!(message.contains(file), "build names {file}:\n{message}");
    let leaks = findings(project, &[], livery::Rule::BrandLeak);
    let found = leaks.iter().find(|d| {
        d.path == std::path::Path::new(file)
            && d.partner.as_deref().is_none_or(|p| p == "alpha")
            && (line.is_none() || d.line == line)
    });
    assert!(found.is_some(), "check names {file}:{line:?} for alpha: {leaks:#?}");
    assert!(
        leaks.iter().all(|d| d.partner.as_deref() != Some("beta")),
        "beta may show its own name: {leaks:#?}"
    );
}

#[test]
fn a_name_beside_typographic_punctuation_or_split_by_invisible_characters() {
    for (index, text) in [
        "Ask the “BetaCo” team.",
        "BetaCo’s runbook.",
        "BetaCo—the other one.",
        "Call BetaCo\u{a0}now.",
        "Call Beta\u{ad}Co now.",
        "Call Beta&shy;Co now.",
        "Call **Beta**Co now.",
        "Call Ｂｅｔａｃｏ now.",
        "Call BETACO now.",
    ]
    .into_iter()
    .enumerate()
    {
        let project = fixture();
        leaks_on_alpha(&project, "content/runbooks/failover.md", Some(7), |p| {
            p.file(
                "content/runbooks/failover.md",
                &format!("# Fail over\n\n## Promote {{#promote}}\n\nText.\n\n{text}\n"),
            );
        });
        eprintln!("case {index} caught: {text}");
    }
}

#[test]
fn front_matter_shown_by_templates() {
    let project = fixture();
    leaks_on_alpha(&project, "content/runbooks/restore.md", Some(4), |p| {
        p.file(
            "content/runbooks/restore.md",
            "+++\ntitle = \"Restore a backup\"\nweight = 1\nowner = \"BetaCo team\"\n+++\nSee [failover](failover.md#promote).\n",
        );
    });
    let project = fixture();
    leaks_on_alpha(&project, "content/runbooks/restore.md", Some(5), |p| {
        let page = p.read("themes/default/templates/page.html");
        p.file(
            "themes/default/templates/page.html",
            &page.replacen(
                "{%- if page.owner %}",
                "{{ page.extra.note | default(value=\"\") }}{%- if page.owner %}",
                1,
            ),
        );
        p.file(
            "content/runbooks/restore.md",
            "+++\ntitle = \"Restore a backup\"\nowner = \"dba\"\n[extra]\nnote = \"Ask kb.beta.test\"\n+++\nSee [failover](failover.md#promote).\n",
        );
    });
}

#[test]
fn the_shared_theme_templates_404_strings_and_static_files() {
    /// A file, the line the name lands on, and how the name is put in.
    type Case = (&'static str, Option<usize>, fn(&str) -> String);
    let cases: [Case; 5] = [
        ("themes/default/templates/partials/footer.html", None, |t| {
            format!("{t}\n<small>BetaCo</small>\n")
        }),
        ("themes/default/templates/404.html", Some(7), |t| {
            t.replacen("<h1>", "<p>Try BetaCo</p>\n<h1>", 1)
        }),
        ("themes/default/i18n/en.toml", None, |t| {
            t.replacen("[strings]", "[strings]\nback_home = \"Back to BetaCo\"", 1)
        }),
        ("themes/default/static/theme.js", Some(1), |t| format!("// BetaCo\n{t}")),
        ("themes/default/static/style.css", Some(1), |t| format!("/* care@beta.test */\n{t}")),
    ];
    for (file, line, change) in cases {
        let project = fixture();
        leaks_on_alpha(&project, file, line, |p| {
            let text = p.read(file);
            // A string already set is replaced, not repeated.
            let text = if file.ends_with("en.toml") {
                text.lines().filter(|l| !l.starts_with("back_home")).collect::<Vec<_>>().join("\n")
            } else {
                text
            };
            p.file(file, &change(&text));
        });
    }
}

#[test]
fn a_partners_own_static_files_and_strings() {
    for (file, text) in [
        ("partners/alpha/static/partner.css", "/* from BetaCo */\nbody { margin: 0 }\n"),
        (
            "partners/alpha/static/logo.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><title>Beta Retail</title></svg>",
        ),
        ("partners/alpha/i18n/en.toml", "[strings]\nback_home = \"Back to BetaCo\"\n"),
    ] {
        let project = fixture();
        leaks_on_alpha(&project, file, Some(1 + usize::from(file.ends_with(".toml"))), |p| {
            p.file(file, text);
        });
    }
}

#[test]
fn content_files_and_file_names() {
    let project = fixture();
    leaks_on_alpha(&project, "content/runbooks/notes.txt", Some(2), |p| {
        p.file("content/runbooks/notes.txt", "Notes\nCall BetaCo first.\n");
    });
    let project = fixture();
    leaks_on_alpha(&project, "content/runbooks/diagram.svg", Some(1), |p| {
        p.file(
            "content/runbooks/diagram.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><text>Beta&#173;Co</text></svg>",
        );
    });
    let project = fixture();
    leaks_on_alpha(&project, "content/runbooks/betaco-migration.md", None, |p| {
        p.file("content/runbooks/betaco-migration.md", "# Migration\n\nMove the data.\n");
    });
}

#[test]
fn files_beside_a_page_for_one_partner_and_excluded_files_are_not_published() {
    let project = fixture();
    project
        .file(
            "content/deals/beta-deal.md",
            "+++\ntitle = \"Deal\"\npartners = [\"beta\"]\n+++\nSee the [price list](price-list.pdf).\n",
        )
        .bytes("content/deals/price-list.pdf", b"%PDF-1.4 not text")
        .file(
            "partners/alpha/partner.toml",
            &(project.read("partners/alpha/partner.toml") + "\n[content]\nexclude = [\"internal/**\"]\n"),
        )
        .file("content/internal/page.md", "# Internal\n\nOnly for beta.\n")
        .bytes("content/internal/secret.pdf", b"%PDF-1.4 secret");
    project.build().unwrap();
    assert!(project.exists("public/beta/deals/price-list.pdf"));
    assert!(!project.exists("public/alpha/deals"), "no deals folder for alpha");
    assert!(project.exists("public/beta/internal/secret.pdf"));
    assert!(
        !project.exists("public/alpha/internal/secret.pdf"),
        "excluded globs exclude files too"
    );
    let nav = select_text(&project.html("public/alpha/index.html"), ".sidebar .nav-list a");
    assert!(!nav.iter().any(|t| t.contains("Deals")), "no empty Deals section: {nav:?}");
    assert!(!project.read("public/alpha/sitemap.xml").contains("deals"));
    // A folder holding only another partner's pages is no section of alpha's, so check
    // has nothing to say about an `_index.md` that does not exist.
    let options =
        livery::check::CheckOptions { root: project.path().to_owned(), ..Default::default() };
    let report = livery::check::check(&options).unwrap();
    assert!(
        report.findings.iter().all(|f| !f.path.starts_with("content/deals")),
        "{:#?}",
        report.findings
    );
}

#[test]
fn a_copied_partner_config_is_a_duplicate_identity() {
    let project = fixture();
    let message = project.fails_after_good_build(|p| {
        p.file(
            "partners/gamma/partner.toml",
            &p.read("partners/beta/partner.toml")
                .replace("Beta Retail", "Gamma Goods")
                .replace("BetaCo", "GammaCo"),
        );
    });
    assert!(message.contains("duplicate identity"), "{message}");
    let duplicates = findings(&project, &[], livery::Rule::DuplicateIdentity);
    let errors: Vec<_> =
        duplicates.iter().filter(|d| d.severity == livery::Severity::Error).collect();
    assert!(
        errors.iter().any(|d| d.path.ends_with("gamma/partner.toml") && d.line == Some(3)),
        "the same base_url: {duplicates:#?}"
    );
    assert!(
        errors.iter().any(|d| d.path.ends_with("gamma/partner.toml") && d.message.contains("care@beta.test")),
        "the same support email: {duplicates:#?}"
    );
    // A third partner showing an address two partners share leaks it all the same.
    project.file(
        "content/runbooks/failover.md",
        "# Fail over\n\n## Promote {#promote}\n\nMail care@beta.test.\n",
    );
    let leaks = findings(&project, &[], livery::Rule::BrandLeak);
    assert!(leaks.iter().any(|d| d.partner.as_deref() == Some("alpha")), "{leaks:#?}");
}

#[test]
fn project_forbidden_terms_leak_on_every_site_in_any_case_or_exactly() {
    let project = fixture();
    let plant = |p: &Fixture| {
        p.file(
            "livery.toml",
            "title = \"Test KB\"\n\n[leaks]\nterms = [\"Orbitra Platform\", \"resell\"]\nexact = [\"NW\"]\n",
        );
        p.file(
            "content/runbooks/failover.md",
            "# Fail over\n\n## Promote {#promote}\n\nThe orbitra <em>platform</em> is ours.\n\nWe RESELL it.\n\nnw is fine, NW is not.\n",
        );
    };
    let message = project.fails_after_good_build(plant);
    assert!(message.contains("livery.toml [leaks]"), "{message}");
    let leaks = findings(&project, &[], livery::Rule::BrandLeak);
    let lines: Vec<Option<usize>> = leaks.iter().map(|d| d.line).collect();
    assert!(leaks.iter().all(|d| d.partner.is_none()), "every partner's site: {leaks:#?}");
    for line in [5, 7, 9] {
        assert!(lines.contains(&Some(line)), "line {line}: {leaks:#?}");
    }
}

#[test]
fn building_one_partner_still_keeps_the_others_names_out() {
    let project = fixture();
    project.file(
        "content/runbooks/failover.md",
        "# Fail over\n\n## Promote {#promote}\n\nCall BetaCo.\n",
    );
    let output = project.run(&["build", "--partner", "alpha"]);
    assert_eq!(output.status.code(), Some(1), "{}", common::stderr(&output));
    assert!(common::stderr(&output).contains("BetaCo"));
    assert!(!project.exists("public/alpha"));
    let leaks = findings(&project, &["alpha"], livery::Rule::BrandLeak);
    assert_eq!(leaks.len(), 1, "{leaks:#?}");
}

#[test]
fn the_example_project_builds_and_checks_clean_with_its_leaks_list() {
    let root = common::repo_root();
    let config = std::fs::read_to_string(root.join("livery.toml")).unwrap();
    assert!(config.contains("[leaks]") && config.contains("\"resell\""), "{config}");
    let options = livery::check::CheckOptions { root: root.clone(), ..Default::default() };
    let report = livery::check::check(&options).unwrap();
    let problems: Vec<_> = report
        .findings
        .iter()
        .filter(|f| {
            matches!(f.rule, Some(livery::Rule::BrandLeak | livery::Rule::DuplicateIdentity))
        })
        .collect();
    assert!(problems.is_empty(), "{problems:#?}");
}

mod random_placement {
    //! Another partner's name, with random punctuation around it, placed anywhere a
    //! site's text comes from, is always caught.

    use super::*;
    use proptest::prelude::*;

    /// Where the name goes: a file, and how the text is written there.
    const PLACES: [(&str, &str); 7] = [
        ("content/runbooks/failover.md", "# Fail over\n\n## Promote {#promote}\n\n{}\n"),
        (
            "content/runbooks/failover.md",
            "+++\ntitle = \"Fail over\"\ndescription = \"{}\"\n+++\n## Promote {#promote}\n",
        ),
        (
            "content/runbooks/failover.md",
            "+++\nowner = \"{}\"\n+++\n# Fail over\n\n## Promote {#promote}\n",
        ),
        ("themes/default/templates/partials/footer.html", "<footer><p>{}</p></footer>\n"),
        ("partners/alpha/static/extra.css", "/* {} */\n"),
        ("content/runbooks/notes.txt", "{}\n"),
        ("content/_snippets/help.md", "{}\n"),
    ];

    const AROUND: [&str; 16] = [
        "“", "”", "‘", "’", "«", "»", "—", "–", "\u{a0}", "\u{2009}", "(", ")", "¡", "¿", "…", "/",
    ];

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]

        #[test]
        fn another_partners_name_is_always_caught(
            place in 0..PLACES.len(),
            before in proptest::sample::select(AROUND.to_vec()),
            after in proptest::sample::select(AROUND.to_vec()),
            name in proptest::sample::select(vec!["BetaCo", "Beta Retail", "betaco", "kb.beta.test", "care@beta.test", "Beta\u{ad}Co", "Beta\u{200b}Co"]),
        ) {
            let project = fixture();
            let (file, shape) = PLACES[place];
            let text = format!("Ask {before}{name}{after} today");
            project.file(file, &shape.replace("{}", &text));
            if file.contains("_snippets") {
                project.file(
                    "content/runbooks/failover.md",
                    "# Fail over\n\n## Promote {#promote}\n\n{{ snippet(\"help\") }}\n",
                );
            }
            let leaks = findings(&project, &[], livery::Rule::BrandLeak);
            prop_assert!(
                leaks.iter().any(|d| d.partner.as_deref().is_none_or(|p| p == "alpha")),
                "{text:?} in {file}: {leaks:#?}"
            );
        }

        #[test]
        fn a_name_in_a_file_name_is_always_caught(
            before in proptest::sample::select(vec!["", "x-", "notes_", "2026."]),
            name in proptest::sample::select(vec!["betaco", "BetaCo", "beta-retail"]),
            extension in proptest::sample::select(vec![".md", ".txt", ".pdf"]),
        ) {
            let project = fixture();
            let file = format!("content/runbooks/{before}{name}{extension}");
            project.file(&file, "# A page\n\nText.\n");
            let leaks = findings(&project, &[], livery::Rule::BrandLeak);
            prop_assert!(!leaks.is_empty(), "{file}: {leaks:#?}");
        }
    }
}
