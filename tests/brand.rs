//! Brand expression beyond colour: shape tokens, derived callouts and header colours,
//! per-partner code colours, the home layout, the announcement and the feedback widget.

mod common;

use common::{Fixture, select_attr, select_text};

const ALPHA: &str = "name = \"Alpha Hosting\"\nbase_url = \"https://help.alpha.test\"\n\n[brand]\nprimary = \"#123456\"\nlogo = \"logo.svg\"\n";

fn with_alpha(extra: &str) -> Fixture {
    let project = Fixture::new();
    project.file("partners/alpha/partner.toml", &format!("{ALPHA}{extra}"));
    project
}

fn brand_css(project: &Fixture, partner: &str) -> String {
    project.read(&format!("public/{partner}/brand.css"))
}

#[test]
fn shape_tokens_reach_brand_css_and_the_header() {
    let project = with_alpha(
        "header = \"dark\"\nradius = \"0\"\ndensity = \"roomy\"\ncallout_tip = \"#0f766e\"\n",
    );
    project.build().unwrap();
    let css = brand_css(&project, "alpha");
    for expected in [
        "--brand-radius: 0;",
        "--brand-space: 1.25;",
        "--brand-callout-tip: #0f766e;",
        "--brand-header-text: #ffffff;",
    ] {
        assert!(css.contains(expected), "{expected} missing from:\n{css}");
    }
    assert!(css.contains("--brand-header-background: #"), "{css}");
    let html = project.html("public/alpha/index.html");
    assert_eq!(select_attr(&html, "header.site-header", "class"), ["site-header header-dark"]);

    // A partner that sets nothing gets the theme's shape and a header in page colours.
    let beta = brand_css(&project, "beta");
    assert!(beta.contains("--brand-radius: 8px;"), "{beta}");
    assert!(beta.contains("--brand-space: 1;"), "{beta}");
    assert!(!beta.contains("--brand-header-background"), "{beta}");
}

#[test]
fn callout_colours_follow_each_brand() {
    let project = Fixture::new();
    project.build().unwrap();
    let note = |partner: &str| {
        let css = brand_css(&project, partner);
        css.lines().find(|l| l.contains("--brand-callout-note")).unwrap().trim().to_owned()
    };
    assert_eq!(note("alpha"), "--brand-callout-note: #123456;");
    assert_eq!(note("beta"), "--brand-callout-note: #654321;");
    for partner in ["alpha", "beta"] {
        let css = brand_css(&project, partner);
        for kind in ["tip", "important", "warning", "caution"] {
            assert!(css.contains(&format!("--brand-callout-{kind}: #")), "{kind}: {css}");
        }
    }
}

#[test]
fn code_colours_are_chosen_per_partner() {
    let project = with_alpha("code_theme = \"Solarized (light)\"\n");
    project.build().unwrap();
    let alpha = project.read("public/alpha/highlight.css");
    let beta = project.read("public/beta/highlight.css");
    assert!(alpha.starts_with("/* Code highlighting: Solarized (light) (light)"), "{alpha:.80}");
    assert!(!beta.contains("Solarized"), "{beta:.80}");
    assert_ne!(alpha, beta);
}

#[test]
fn the_hero_home_features_pages_in_the_order_given() {
    let project = with_alpha(
        "home = \"hero\"\n\n[home]\nheading = \"How can we help?\"\nfeatured = [\"runbooks/failover.md\", \"runbooks/restore.md\"]\n",
    );
    project.build().unwrap();
    let html = project.html("public/alpha/index.html");
    assert_eq!(select_text(&html, ".hero-search h1"), ["How can we help?"]);
    assert_eq!(select_text(&html, ".featured-list a"), ["Fail over", "Restore a backup"]);
    assert_eq!(
        select_attr(&html, ".featured-list a", "href"),
        ["./runbooks/failover/", "./runbooks/restore/"]
    );
    assert_eq!(select_text(&html, ".topic-list > li > a"), ["Runbooks"]);
    assert_eq!(select_text(&html, ".hero-search-button span"), ["Search the help center"]);
    // The other partner keeps the theme's card layout and features nothing.
    let beta = project.html("public/beta/index.html");
    assert_eq!(select_text(&beta, ".cards .card-title"), ["Runbooks"]);
    assert!(select_text(&beta, ".featured-list a, .hero-search").is_empty());
}

#[test]
fn a_featured_page_the_site_does_not_have_is_an_error_at_its_line() {
    let project = Fixture::new();
    let message = project.fails_after_good_build(|p| {
        p.file(
            "partners/alpha/partner.toml",
            &format!("{ALPHA}\n[home]\nfeatured = [\n  \"runbooks/restore.md\",\n  \"runbooks/gone.md\",\n]\n"),
        );
    });
    assert!(
        message.contains(
            "error: partners/alpha/partner.toml:11: [partner alpha] home.featured `runbooks/gone.md` is not a page of this site"
        ),
        "{message}"
    );
}

#[test]
fn announcement_and_feedback_appear_only_where_configured() {
    let project = with_alpha(
        "\n[announcement]\ntext = \"Maintenance on Sunday.\"\nurl = \"https://status.alpha.test\"\n\n[feedback]\nurl = \"https://feedback.alpha.test/kb\"\n",
    );
    project.build().unwrap();
    let page = project.html("public/alpha/runbooks/restore/index.html");
    assert_eq!(select_text(&page, ".announcement p"), ["Maintenance on Sunday. Read more"]);
    assert_eq!(select_attr(&page, ".announcement a", "href"), ["https://status.alpha.test"]);
    assert_eq!(select_attr(&page, "form.feedback", "action"), ["https://feedback.alpha.test/kb"]);
    assert_eq!(select_text(&page, "form.feedback button"), ["Yes", "No"]);
    let beta = project.html("public/beta/runbooks/restore/index.html");
    assert!(select_text(&beta, ".announcement, form.feedback").is_empty());
    // A new text is a new notice: readers who closed the old one see it.
    let id = select_attr(&page, ".announcement", "data-id");
    project.file(
        "partners/alpha/partner.toml",
        &format!("{ALPHA}\n[announcement]\ntext = \"Maintenance on Monday.\"\n"),
    );
    project.build().unwrap();
    let page = project.html("public/alpha/runbooks/restore/index.html");
    assert_ne!(select_attr(&page, ".announcement", "data-id"), id);
    assert!(select_text(&page, "form.feedback").is_empty());
}

#[test]
fn a_social_image_becomes_an_absolute_preview_url() {
    let project = with_alpha("social_image = \"card.png\"\n");
    project.bytes("partners/alpha/static/card.png", b"\x89PNG\r\n\x1a\n");
    project.build().unwrap();
    let html = project.html("public/alpha/runbooks/restore/index.html");
    let image = select_attr(&html, "meta[property='og:image']", "content");
    assert_eq!(image.len(), 1);
    assert!(image[0].starts_with("https://help.alpha.test/card."), "{image:?}");
    assert_eq!(select_attr(&html, "meta[name='twitter:card']", "content"), ["summary_large_image"]);
}

#[test]
fn bad_shape_tokens_are_reported_with_their_choices() {
    let project = Fixture::new();
    let message = project.fails_after_good_build(|p| {
        p.file(
            "partners/beta/partner.toml",
            "name = \"Beta\"\nbase_url = \"https://b.test\"\n[brand]\ndensity = \"airy\"\nradius = \"3rem\"\nheader = \"blue\"\ncode_theme = \"Nope\"\nshadow = \"big\"\n",
        );
    });
    for expected in [
        "partners/beta/partner.toml:4:11: brand.density `airy` is not one of compact, comfortable, roomy",
        "partners/beta/partner.toml:5:10: brand.radius `3rem` is not a corner radius: it is outside 0 to 2rem",
        "partners/beta/partner.toml:6:10: brand.header `blue` is not one of light, brand, dark",
        "partners/beta/partner.toml:7:14: brand.code_theme `Nope` is not a highlight theme",
        "partners/beta/partner.toml:8:10: brand.shadow is not a brand token",
    ] {
        assert!(message.contains(expected), "{expected}\n---\n{message}");
    }
    assert!(message.contains("help: the themes are: "), "{message}");
}

#[test]
fn a_theme_without_the_shape_tokens_still_builds() {
    let project = Fixture::new();
    let theme = project.read("themes/default/theme.toml");
    let older: String = theme
        .lines()
        .filter(|l| !["radius", "density", "header", "home"].iter().any(|t| l.starts_with(t)))
        .map(|l| format!("{l}\n"))
        .collect();
    project.file("themes/default/theme.toml", &older);
    project.build().unwrap();
    assert!(brand_css(&project, "beta").contains("--brand-radius: 8px;"));
}
