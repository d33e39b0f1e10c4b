//! Per-partner content: variables, conditions, snippets, which pages a partner
//! carries, partner-only pages, UI language, menus, and white-label output.

mod common;

use common::{Fixture, select_attr, select_text, stderr};

/// The fixture project with partner data for content.
fn project() -> Fixture {
    let project = Fixture::new();
    project.file(
        "partners/alpha/partner.toml",
        "name = \"Alpha Hosting\"\nbase_url = \"https://help.alpha.test\"\nfeatures = [\"sso\"]\n\n\
         [brand]\nlogo = \"logo.svg\"\n\n[contact]\nsupport_email = \"help@alpha.test\"\n\n[vars]\nsla_hours = 4\n",
    );
    project.file(
        "partners/beta/partner.toml",
        "name = \"Beta Retail\"\nbase_url = \"https://kb.beta.test/docs/\"\n\n[contact]\nsupport_email = \"care@beta.test\"\n\n[vars]\nsla_hours = 8\n",
    );
    project
}

fn prose(project: &Fixture, path: &str) -> String {
    select_text(&project.html(path), ".prose").join(" ")
}

fn fails(project: &Fixture) -> String {
    let output = project.run(&["build"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    stderr(&output)
}

#[test]
fn variables_and_conditions_render_per_partner() {
    let project = project();
    project.file(
        "content/runbooks/sla.md",
        "# SLA\n\n{{ partner.name }} answers within {{ vars.sla_hours }} hours at {{ partner.contact.support_email }}.\n\n\
         {% if partner.id == \"alpha\" %}Alpha only.{% endif %}\n\n{% if \"sso\" in partner.features %}SSO is on.{% else %}No SSO.{% endif %}\n",
    );
    project.build().unwrap();
    let alpha = prose(&project, "public/alpha/runbooks/sla/index.html");
    let beta = prose(&project, "public/beta/runbooks/sla/index.html");
    assert!(alpha.contains("Alpha Hosting answers within 4 hours at help@alpha.test."), "{alpha}");
    assert!(beta.contains("Beta Retail answers within 8 hours at care@beta.test."), "{beta}");
    assert!(alpha.contains("Alpha only.") && !beta.contains("Alpha only."));
    assert!(alpha.contains("SSO is on.") && beta.contains("No SSO."));
}

#[test]
fn code_is_never_interpreted_and_raw_escapes_braces() {
    let project = project();
    project.file(
        "content/runbooks/helm.md",
        "# Helm\n\nFor {{ partner.name }}: set `{{ .Values.tag }}` and write {% raw %}{{ name }}{% endraw %} literally.\n\n\
         ```yaml\nimage: {{ .Values.image }}\n{% if x %}\n```\n\n## Check {#check}\n",
    );
    project.build().unwrap();
    let html = project.html("public/alpha/runbooks/helm/index.html");
    let text = select_text(&html, ".prose").join(" ");
    assert!(
        text.contains("For Alpha Hosting: set {{ .Values.tag }} and write {{ name }} literally."),
        "{text}"
    );
    assert_eq!(select_text(&html, "pre code"), ["image: {{ .Values.image }}\n{% if x %}"]);
    assert_eq!(
        select_attr(&html, ".prose h2", "id"),
        ["check"],
        "heading ids are not template comments"
    );
}

#[test]
fn templated_titles_and_descriptions() {
    let project = project();
    project.file(
        "content/runbooks/contact.md",
        "+++\ntitle = \"Contact {{ partner.name }}\"\ndescription = \"Reach us in {{ vars.sla_hours }} hours\"\n+++\nText.\n",
    );
    project.build().unwrap();
    let html = project.html("public/beta/runbooks/contact/index.html");
    assert_eq!(select_text(&html, "article h1"), ["Contact Beta Retail"]);
    assert_eq!(select_text(&html, ".lead"), ["Reach us in 8 hours"]);
    assert_eq!(select_text(&html, "title"), ["Contact Beta Retail · Beta Retail"]);
}

#[test]
fn unknown_variable_names_the_content_file_and_line() {
    let project = project();
    project.build().unwrap();
    project.file(
        "content/runbooks/sla.md",
        "+++\ntitle = \"SLA\"\n+++\nIntro.\n\nWithin {{ vars.sla_hour }} hours.\n",
    );
    let message = fails(&project);
    assert!(message.contains("error: content/runbooks/sla.md:6:11: [partner alpha] Variable `vars.sla_hour` not found"), "{message}");
    assert!(message.contains("6 | Within {{ vars.sla_hour }} hours."), "{message}");
}

#[test]
fn content_template_syntax_error_names_the_line() {
    let project = project();
    project.file(
        "content/runbooks/sla.md",
        "+++\ntitle = \"SLA\"\n+++\nIntro.\n\nA {{ partner.name }\n",
    );
    let message = fails(&project);
    assert!(
        message.contains("error: content/runbooks/sla.md:6: template syntax error in content"),
        "{message}"
    );
    assert!(message.contains("6 | A {{ partner.name }"), "{message}");
}

#[test]
fn snippets_are_included_by_name_and_are_partner_aware() {
    let project = project();
    project.file(
        "content/_snippets/contacts.md",
        "Write to {{ partner.contact.support_email }}.\n\n{{ snippet(\"footer-note\") }}\n",
    );
    project.file("content/_snippets/footer-note.md", "Thanks from {{ partner.name }}.\n");
    project.file(
        "content/runbooks/sla.md",
        "# SLA\n\n{{ snippet(\"contacts\") }}\n\nCode: `{{ snippet(\"contacts\") }}`\n",
    );
    project.build().unwrap();
    let alpha = prose(&project, "public/alpha/runbooks/sla/index.html");
    assert!(alpha.contains("Write to help@alpha.test."), "{alpha}");
    assert!(alpha.contains("Thanks from Alpha Hosting."), "{alpha}");
    assert!(alpha.contains("Code: {{ snippet(\"contacts\") }}"), "{alpha}");
    assert!(!project.exists("public/alpha/_snippets"), "snippets are never published alone");
}

#[test]
fn snippet_cycles_and_unknown_snippets_are_errors() {
    let project = project();
    project.file("content/_snippets/a.md", "A\n{{ snippet(\"b\") }}\n");
    project.file("content/_snippets/b.md", "B\n{{ snippet(\"a\") }}\n");
    project.file(
        "content/runbooks/sla.md",
        "# SLA\n\n{{ snippet(\"a\") }}\n\n{{ snippet(\"missing\") }}\n",
    );
    let message = fails(&project);
    assert!(
        message.contains(
            "error: content/_snippets/a.md:2: snippets include each other in a cycle: a → b → a"
        ),
        "{message}"
    );
    assert!(
        message.contains("error: content/runbooks/sla.md:5: there is no snippet `missing`"),
        "{message}"
    );
}

#[test]
fn front_matter_partner_lists_choose_who_carries_a_page() {
    let project = project();
    project.file(
        "content/runbooks/alpha-only.md",
        "+++\ntitle = \"Alpha only\"\npartners = [\"alpha\"]\n+++\n",
    );
    project.file(
        "content/runbooks/not-beta.md",
        "+++\ntitle = \"Not beta\"\nexclude_partners = [\"beta\"]\n+++\n",
    );
    project.build().unwrap();
    assert!(project.exists("public/alpha/runbooks/alpha-only/index.html"));
    assert!(project.exists("public/alpha/runbooks/not-beta/index.html"));
    assert!(!project.exists("public/beta/runbooks/alpha-only"));
    assert!(!project.exists("public/beta/runbooks/not-beta"));
    let beta_nav =
        select_text(&project.html("public/beta/runbooks/index.html"), ".sidebar .nav-list a");
    assert!(!beta_nav.iter().any(|t| t == "Alpha only" || t == "Not beta"), "{beta_nav:?}");
    let beta_listing =
        select_text(&project.html("public/beta/runbooks/index.html"), ".cards .card-title");
    assert_eq!(beta_listing, ["Restore a backup", "Fail over"]);
    assert!(!project.read("public/beta/sitemap.xml").contains("alpha-only"));
}

#[test]
fn unknown_partner_in_front_matter_is_an_error() {
    let project = project();
    project.file("content/runbooks/x.md", "+++\ntitle = \"X\"\npartners = [\"alpah\"]\n+++\n");
    let message = fails(&project);
    assert!(
        message.contains(
            "error: content/runbooks/x.md:3:12: partners names `alpah`, which is not a partner"
        ),
        "{message}"
    );
}

#[test]
fn partner_content_rules_exclude_by_glob_and_tag_and_cascade_to_sections() {
    let project = project();
    project.file(
        "partners/beta/partner.toml",
        "name = \"Beta Retail\"\nbase_url = \"https://kb.beta.test\"\n\n[content]\nexclude = [\"legacy/**\"]\nexclude_tags = [\"wholesale\"]\n",
    );
    project.file("content/legacy/_index.md", "# Legacy\n");
    project.file("content/legacy/old.md", "# Old\n");
    project.file("content/runbooks/edi.md", "+++\ntitle = \"EDI\"\ntags = [\"wholesale\"]\n+++\n");
    project.file(
        "content/archive/_index.md",
        "+++\ntitle = \"Archive\"\ntags = [\"wholesale\"]\n+++\n",
    );
    project.file("content/archive/inside.md", "# Inside an excluded section\n");
    project.build().unwrap();
    for path in ["legacy/old/index.html", "runbooks/edi/index.html", "archive/inside/index.html"] {
        assert!(project.exists(&format!("public/alpha/{path}")), "alpha carries {path}");
        assert!(!project.exists(&format!("public/beta/{path}")), "beta does not carry {path}");
    }
}

#[test]
fn invalid_exclude_glob_is_an_error() {
    let project = project();
    project.file(
        "partners/beta/partner.toml",
        "name = \"B\"\nbase_url = \"https://b.test\"\n[content]\nexclude = [\"a/[b\"]\n",
    );
    let message = fails(&project);
    assert!(
        message.contains(
            "error: partners/beta/partner.toml:4:12: content.exclude: `a/[b` is not a valid glob"
        ),
        "{message}"
    );
}

#[test]
fn partner_content_adds_pages_and_replaces_shared_ones_for_that_partner_only() {
    let project = project();
    project.file(
        "partners/alpha/content/runbooks/alpha-extra.md",
        "# Alpha extra\n\nFor {{ partner.name }}.\n",
    );
    project.file(
        "partners/alpha/content/runbooks/restore.md",
        "+++\ntitle = \"Alpha's restore\"\n+++\nOur own way.\n",
    );
    project.file("partners/alpha/content/services/_index.md", "# Alpha services\n");
    project.build().unwrap();
    assert!(
        prose(&project, "public/alpha/runbooks/alpha-extra/index.html")
            .contains("For Alpha Hosting.")
    );
    assert!(!project.exists("public/beta/runbooks/alpha-extra"));
    assert_eq!(
        select_text(&project.html("public/alpha/runbooks/restore/index.html"), "article h1"),
        ["Alpha's restore"]
    );
    assert_eq!(
        select_text(&project.html("public/beta/runbooks/restore/index.html"), "article h1"),
        ["Restore a backup"]
    );
    assert!(project.exists("public/alpha/services/index.html"));
    let alpha_nav = select_text(&project.html("public/alpha/index.html"), ".sidebar .nav-list a");
    assert!(alpha_nav.contains(&"Alpha services".to_owned()), "{alpha_nav:?}");
}

#[test]
fn link_to_a_page_the_partner_does_not_carry_is_an_error() {
    let project = project();
    project.file(
        "content/runbooks/alpha-only.md",
        "+++\ntitle = \"Alpha only\"\npartners = [\"alpha\"]\n+++\n",
    );
    project.file(
        "content/runbooks/failover.md",
        "# Fail over\n\n## Promote {#promote}\n\nSee [alpha](alpha-only.md).\n",
    );
    let message = fails(&project);
    assert!(
        message.contains("error: content/runbooks/failover.md:5:5: [partner beta] broken link `alpha-only.md`: partner `beta` does not carry content/runbooks/alpha-only.md"),
        "{message}"
    );
    assert!(!message.contains("[partner alpha]"), "{message}");
}

#[test]
fn a_guarded_link_to_a_partner_page_is_fine() {
    let project = project();
    project.file(
        "content/runbooks/alpha-only.md",
        "+++\ntitle = \"Alpha only\"\npartners = [\"alpha\"]\n+++\n",
    );
    project.file(
        "content/runbooks/failover.md",
        "# Fail over\n\n## Promote {#promote}\n\n{% if partner.id == \"alpha\" %}See [alpha](alpha-only.md).{% endif %}\n",
    );
    project.build().unwrap();
    assert!(prose(&project, "public/alpha/runbooks/failover/index.html").contains("See alpha."));
}

#[test]
fn pages_without_partner_data_are_converted_once_for_all_partners() {
    let project = project();
    project.file("content/runbooks/sla.md", "# SLA\n\n{{ vars.sla_hours }} hours.\n");
    project.file("partners/alpha/content/runbooks/mine.md", "# Mine\n");
    let report = project.build().unwrap();
    // Shared files: _index, runbooks/_index, restore, failover (plain) and sla (templated);
    // alpha's own page is plain. Plain files are converted once; sla once per partner.
    assert_eq!(report.markdown_conversions, 4 + 1 + 2);
}

#[test]
fn ui_strings_and_dates_follow_the_partner_language() {
    let project = project();
    project.file(
        "partners/beta/partner.toml",
        "name = \"Beta\"\nbase_url = \"https://b.test\"\nlanguage = \"de\"\n",
    );
    project.file("content/runbooks/restore.md", "+++\ntitle = \"R\"\nlast_reviewed = 2026-03-09\n+++\n> [!WARNING]\n> Careful.\n\n## A\n\n## B\n");
    project.build().unwrap();
    let beta = project.html("public/beta/runbooks/restore/index.html");
    assert_eq!(select_attr(&beta, "html", "lang"), ["de"]);
    assert_eq!(select_text(&beta, ".callout-title"), ["Warnung"]);
    assert_eq!(select_text(&beta, ".toc-title"), ["Auf dieser Seite"]);
    assert_eq!(select_text(&beta, ".page-meta time"), ["9. März 2026"]);
    let alpha = project.html("public/alpha/runbooks/restore/index.html");
    assert_eq!(select_text(&alpha, ".callout-title"), ["Warning"]);
    assert_eq!(select_text(&alpha, ".page-meta time"), ["9 March 2026"]);

    project.file(
        "partners/beta/partner.toml",
        "name = \"Beta\"\nbase_url = \"https://b.test\"\nlanguage = \"fr-CA\"\n",
    );
    project.build().unwrap();
    let beta = project.html("public/beta/runbooks/restore/index.html");
    assert_eq!(select_attr(&beta, "html", "lang"), ["fr-CA"]);
    assert_eq!(select_text(&beta, ".page-meta time"), ["9 mars 2026"]);
}

#[test]
fn a_partner_can_reword_single_ui_strings() {
    let project = project();
    project.file("partners/beta/i18n/en.toml", "[strings]\nnext = \"Onward\"\n");
    project.build().unwrap();
    let beta = project.html("public/beta/runbooks/restore/index.html");
    assert_eq!(select_text(&beta, ".pagination .next .pagination-label"), ["Onward"]);
    let alpha = project.html("public/alpha/runbooks/restore/index.html");
    assert_eq!(select_text(&alpha, ".pagination .next .pagination-label"), ["Next"]);
}

#[test]
fn a_language_without_ui_strings_is_an_error() {
    let project = project();
    project.file(
        "partners/beta/partner.toml",
        "name = \"Beta\"\nbase_url = \"https://b.test\"\nlanguage = \"es\"\n",
    );
    let message = fails(&project);
    assert!(
        message.contains(
            "error: partners/beta/partner.toml: the theme has no UI strings for language `es`"
        ),
        "{message}"
    );
    assert!(message.contains("use one of: de, en, fr"), "{message}");
}

#[test]
fn menu_entries_appear_in_header_and_footer() {
    let project = project();
    project.file(
        "partners/beta/partner.toml",
        "name = \"Beta\"\nbase_url = \"https://b.test\"\n\n[[menu]]\nlabel = \"Status\"\nurl = \"https://status.beta.test\"\nlocation = \"header\"\n\n\
         [[menu]]\nlabel = \"Legal\"\nurl = \"https://beta.test/legal\"\n\n[[menu]]\nlabel = \"Contact\"\nurl = \"https://beta.test/contact\"\nlocation = \"both\"\n",
    );
    project.build().unwrap();
    let beta = project.html("public/beta/index.html");
    assert_eq!(select_text(&beta, ".header-links a"), ["Status", "Contact"]);
    assert_eq!(select_text(&beta, ".footer-menu a"), ["Legal", "Contact"]);
    assert!(select_text(&project.html("public/alpha/index.html"), ".footer-menu a").is_empty());
}

#[test]
fn output_is_white_label_unless_the_partner_opts_in() {
    let project = project();
    project.file(
        "partners/beta/partner.toml",
        "name = \"Beta\"\nbase_url = \"https://b.test\"\npowered_by = true\n",
    );
    project.build().unwrap();
    for (path, bytes) in project.snapshot("public/alpha") {
        let text = String::from_utf8_lossy(&bytes).to_lowercase();
        assert!(
            !text.contains("livery") && !text.contains("powered by"),
            "alpha/{} names the vendor",
            path.display()
        );
    }
    let beta = project.html("public/beta/index.html");
    assert_eq!(select_text(&beta, ".powered-by"), ["Powered by livery"]);
    assert_eq!(select_attr(&beta, "meta[name=generator]", "content"), ["livery"]);
}

#[test]
fn partner_new_scaffolds_a_partner_that_builds() {
    let project = project();
    let output = project.run(&["partner", "new", "north-star"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(project.read("partners/north-star/partner.toml").contains("name = \"North Star\""));
    assert!(project.exists("partners/north-star/static/logo.svg"));
    let output = project.run(&["build", "--partner", "north-star", "-q"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        select_text(&project.html("public/north-star/index.html"), ".brand-name"),
        ["North Star"]
    );

    let again = project.run(&["partner", "new", "north-star"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("partners/north-star already exists"));
    for bad in ["North", "_ab", "ab!", "a b"] {
        let output = project.run(&["partner", "new", bad]);
        assert_eq!(output.status.code(), Some(2), "{bad}");
        assert!(
            stderr(&output).contains("is not a valid partner id"),
            "{bad}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn low_contrast_brand_colours_are_a_warning_naming_partner_and_token() {
    let project = project();
    project.file(
        "partners/beta/partner.toml",
        "name = \"Beta\"\nbase_url = \"https://b.test\"\n[brand]\nprimary = \"#ffd84d\"\n",
    );
    let output = project.run(&["build", "-q"]);
    assert!(output.status.success(), "a warning does not stop the build: {}", stderr(&output));
    assert!(
        stderr(&output).contains("warning: partners/beta/partner.toml: [partner beta] brand.primary #ffd84d on background #ffffff has a contrast of 1.4:1"),
        "{}",
        stderr(&output)
    );
    assert!(!stderr(&output).contains("partner alpha"));
}

#[test]
fn pages_of_any_name_are_carried_in_their_section() {
    let project = project();
    project.file("content/Zebra_Cheat_Sheet.md", "# Zebra\n");
    project.file("content/AJAX_Security.md", "# AJAX\n");
    project.file("content/runbooks/Upper.md", "# Upper\n");
    project.build().unwrap();
    for path in
        ["Zebra_Cheat_Sheet/index.html", "AJAX_Security/index.html", "runbooks/Upper/index.html"]
    {
        assert!(project.exists(&format!("public/alpha/{path}")), "{path}");
    }
}

/// The header is rendered once per partner: one that reads page data is refused
/// with a message naming the file, instead of showing one page's title on all.
#[test]
fn a_header_override_that_reads_the_page_is_a_clear_error() {
    let project = project();
    project.file(
        "partners/alpha/templates/partials/header.html",
        "<header><a href=\"{{ root }}\">{{ partner.name }}</a> {{ page.title }}</header>\n",
    );
    let output = project.run(&["build"]);
    let stderr = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("partners/alpha/templates/partials/header.html"), "{stderr}");
    assert!(stderr.contains("rendered once per partner"), "{stderr}");
    assert!(stderr.contains("cannot use `page"), "{stderr}");
}

/// A partner's header is rendered once but links back to the root from every depth.
#[test]
fn a_header_override_links_home_from_every_page() {
    let project = project();
    project.file(
        "partners/alpha/templates/partials/header.html",
        "<header class=\"site-header\"><a class=\"brand\" href=\"{{ root }}\">{{ partner.name }}</a></header>\n",
    );
    assert!(project.run(&["build"]).status.success());
    let home = |path: &str| select_attr(&project.html(path), "header .brand", "href");
    assert_eq!(home("public/alpha/index.html"), ["./"]);
    assert_eq!(home("public/alpha/runbooks/index.html"), ["../"]);
}

#[test]
fn content_cannot_read_the_environment_or_the_machine() {
    let message = project().fails_after_good_build(|p| {
        p.file(
            "content/runbooks/sla.md",
            "+++\ntitle = \"SLA\"\n+++\nIntro about get_env.\n\n\
             Token: {{ get_env(name=\"CI_TOKEN\", default=\"none\") }}\n\n{{ snippet(\"env\") }}\n",
        );
        p.file(
            "content/_snippets/env.md",
            "Hello.\n{% set when = now() %}{{ \"x\" | filesizeformat }}\n{% include \"_snippets/other.md\" %}\n",
        );
        p.file("content/_snippets/other.md", "Other.\n");
    });
    for expected in [
        "error: content/runbooks/sla.md:6:11: `get_env` is not available in content",
        "error: content/_snippets/env.md:2:15: `now` is not available in content",
        "error: content/_snippets/env.md:2:32: the filter `filesizeformat` is not available in content",
        "error: content/_snippets/env.md:3:4: `{% include %}` is not available in content",
        "help: include a snippet with {{ snippet(\"name\") }}",
        "help: content can call range() and snippet(\"name\"); filters: ",
    ] {
        assert!(message.contains(expected), "missing {expected:?} in:\n{message}");
    }
}

#[test]
fn front_matter_cannot_read_the_environment() {
    let message = project().fails_after_good_build(|p| {
        p.file(
            "content/runbooks/sla.md",
            "+++\ntitle = \"SLA {{ get_env(name='HOME') }}\"\n+++\nText.\n",
        );
    });
    assert!(
        message.contains("error: content/runbooks/sla.md:2:9: [partner alpha] in front matter: `get_env` is not available in content"),
        "{message}"
    );
    assert!(message.contains("help: content can call range()"), "{message}");
}

#[test]
fn partner_values_are_text_not_markup_unless_marked_safe() {
    let project = project();
    project.file(
        "partners/alpha/partner.toml",
        "name = \"Alpha </title><script>alert(1)</script>\"\nbase_url = \"https://help.alpha.test\"\n\
         features = [\"<b>sso</b>\"]\n\n[vars]\nproduct = \"Acme <Pro> *Gold*\"\nheading = \"# not a heading\"\n\
         item = \"- [link](javascript:alert(1)) {#custom}\"\ncode = \"`x` \\\\*y\\\\* &amp; _z_ | a\"\nbanner = \"**bold**\"\n\
         url = \"https://help.alpha.test/a_b?x=1&y=2\"\n",
    );
    project.file(
        "content/runbooks/values.md",
        "+++\npartners = [\"alpha\"]\n+++\n# Values\n\nProduct: {{ vars.product }}\n\n## About {{ partner.name }}\n\n{{ vars.heading }}\n\n{{ vars.item }}\n\n\
         Code: {{ vars.code }}\n\nBanner: {{ vars.banner | safe }}\n\nFeatures: {{ partner.features }}\n\n\
         Joined: {{ \"<i>\" ~ vars.product }}\n\n[Portal]({{ vars.url }})\n",
    );
    project.build().unwrap();
    let html = project.html("public/alpha/runbooks/values/index.html");
    let prose = prose(&project, "public/alpha/runbooks/values/index.html");
    for text in [
        "Product: Acme <Pro> *Gold*",
        "About Alpha </title><script>alert(1)</script>",
        "# not a heading",
        "- [link](javascript:alert(1)) {#custom}",
        "Code: `x` \\*y\\* &amp; _z_ | a",
        "Features: [<b>sso</b>]",
        "Joined: <i>Acme <Pro> *Gold*",
    ] {
        assert!(prose.contains(text), "{text:?} is not literal text in: {prose}");
    }
    for markup in [
        ".prose script",
        ".prose pro",
        ".prose em",
        ".prose b",
        ".prose i",
        ".prose code",
        ".prose li",
        ".prose h1",
    ] {
        assert!(select_text(&html, markup).is_empty(), "a value became {markup}");
    }
    assert_eq!(select_text(&html, ".prose strong"), ["bold"], "| safe lets markup through");
    assert!(
        select_attr(&html, ".prose a", "href")
            .contains(&"https://help.alpha.test/a_b?x=1&y=2".to_owned())
    );
    assert!(!select_attr(&html, ".prose [id]", "id").contains(&"custom".to_owned()));
}

/// Theme and partner templates cannot publish the build machine's environment either.
#[test]
fn templates_cannot_read_the_environment() {
    let project = project();
    project.file(
        "partners/alpha/templates/page.html",
        "{% extends \"theme/page.html\" %}{% block main %}{{ get_env(name=\"HOME\") }}{% endblock main %}\n",
    );
    let output = project.run(&["build"]);
    let stderr = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("partners/alpha/templates/page.html"), "{stderr}");
    assert!(stderr.contains("get_env() is not available"), "{stderr}");
}
