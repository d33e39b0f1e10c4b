//! Docs brought from other generators: what they write that livery must read as they
//! meant it.

mod common;

use common::{Fixture, select_text};

#[test]
fn a_page_with_a_title_and_a_leading_heading_shows_one_h1_the_heading() {
    let project = Fixture::new();
    project.file(
        "content/runbooks/crash-loop.md",
        "+++\ntitle = \"KubePodCrashLooping\"\n+++\n# A pod keeps restarting\n\nCheck the logs.\n",
    );
    project.build().unwrap();
    let page = project.html("public/alpha/runbooks/crash-loop/index.html");
    assert_eq!(select_text(&page, "h1"), ["A pod keeps restarting"]);
    // The title names the page everywhere else.
    assert_eq!(select_text(&page, "title"), ["KubePodCrashLooping · Alpha Hosting"]);
    let section = project.html("public/alpha/runbooks/index.html");
    let listed = select_text(&section, "main a");
    assert!(listed.iter().any(|t| t == "KubePodCrashLooping"), "{listed:?}");
    assert!(!listed.iter().any(|t| t.contains("keeps restarting")), "{listed:?}");
}

#[test]
fn a_templated_page_with_a_title_and_a_leading_heading_shows_one_h1() {
    let project = Fixture::new();
    project.file(
        "content/runbooks/contact.md",
        "+++\ntitle = \"Contact\"\n+++\n# Reaching {{ partner.name }}\n\nWrite to us.\n",
    );
    project.build().unwrap();
    let page = project.html("public/beta/runbooks/contact/index.html");
    assert_eq!(select_text(&page, "h1"), ["Reaching Beta Retail"]);
    assert_eq!(select_text(&page, "title"), ["Contact · Beta Retail"]);
}

#[test]
fn a_section_index_without_a_title_is_named_after_its_folder() {
    let project = Fixture::new();
    project.file("content/on-call/_index.md", "Who is on call, and how to reach them.\n");
    project.file("content/on-call/handover.md", "# Handover\n\nText.\n");
    project.build().unwrap();
    let section = project.html("public/alpha/on-call/index.html");
    assert_eq!(select_text(&section, "h1"), ["On call"]);
    let page = project.html("public/alpha/on-call/handover/index.html");
    let crumbs = select_text(&page, "nav[aria-label] a");
    assert!(crumbs.iter().any(|t| t == "On call"), "{crumbs:?}");
    assert!(!crumbs.iter().any(|t| t == "Index"), "{crumbs:?}");
}
