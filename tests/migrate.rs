//! Docs brought from other generators: what they write that livery must read as they
//! meant it.

mod common;

use common::{Fixture, follow, select_text};

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

/// A page as a Hugo site writes it: YAML front matter with Hugo's own fields, a title
/// and a heading, shortcodes, a link from the site root.
const HUGO_PAGE: &str = "---
title: KubePodCrashLooping
description: A pod restarts again and again.
date: 2024-03-01
weight: 2
tags: [kubernetes, alerts]
aliases:
  - /alerts/KubePodCrashLooping/
---
# A pod keeps restarting

First read [the restore runbook]({{< relref \"restore.md\" >}}).

{{% notice warning %}}
Do not delete the pod before you read its logs.
{{% /notice %}}

Then fail over as [the failover runbook](/runbooks/failover) says.
";

#[test]
fn a_hugo_page_builds_after_the_steps_of_the_migration_guide() {
    let project = Fixture::new();
    project.file("livery.toml", "title = \"Test KB\"\n\n[build]\nlowercase_urls = true\n");
    project.file("content/runbooks/KubePodCrashLooping.md", HUGO_PAGE);

    // `livery check` lists every shortcode, where it is and what to write instead.
    let output = project.run(&["check"]);
    assert_eq!(output.status.code(), Some(1));
    let printed = String::from_utf8_lossy(&output.stdout).into_owned();
    let path = "content/runbooks/KubePodCrashLooping.md";
    for (at, advice) in
        [("12:34", "[text](restore.md)"), ("14:1", "> [!WARNING]"), ("16:1", "remove it")]
    {
        let line = printed
            .lines()
            .position(|l| l.starts_with(&format!("{path}:{at}: error:")))
            .unwrap_or_else(|| panic!("no error at {at}:\n{printed}"));
        let rest: String = printed.lines().skip(line).take(6).collect::<Vec<_>>().join("\n");
        assert!(rest.contains("Hugo shortcode"), "{rest}");
        assert!(rest.contains(advice), "{advice}: {rest}");
    }
    assert!(!printed.contains("template syntax"), "{printed}");

    // The guide's replacements: a relative link, a GitHub alert.
    let converted = HUGO_PAGE
        .replace("{{< relref \"restore.md\" >}}", "restore.md")
        .replace("{{% notice warning %}}\n", "> [!WARNING]\n> ")
        .replace("{{% /notice %}}\n", "");
    project.file(path, &converted);
    let output = project.run(&["build"]);
    assert_eq!(output.status.code(), Some(0), "{}", common::stderr(&output));
    // Hugo's `date` is a warning, not an error.
    assert!(common::stderr(&output).contains("date"), "{}", common::stderr(&output));

    // Hugo's lowercased URL, one h1, links that work under beta's base path /docs/.
    let page = project.html("public/beta/runbooks/kubepodcrashlooping/index.html");
    assert_eq!(select_text(&page, "h1"), ["A pod keeps restarting"]);
    let warning = select_text(&page, ".callout-warning");
    assert!(warning.len() == 1 && warning[0].contains("Do not delete the pod"), "{warning:?}");
    let hrefs = common::select_attr(&page, "main a[href]", "href");
    for target in ["/docs/runbooks/restore/", "/docs/runbooks/failover/"] {
        let here = "/docs/runbooks/kubepodcrashlooping/";
        let reached = hrefs.iter().any(|href| follow(here, href) == target);
        assert!(reached, "no link reaches {target}: {hrefs:?}");
    }
    // The old URL redirects, on the page and for the host.
    let redirect = project.read("public/beta/alerts/KubePodCrashLooping/index.html");
    assert!(redirect.contains("http-equiv=\"refresh\""), "{redirect}");
    assert!(
        redirect.contains("https://kb.beta.test/docs/runbooks/kubepodcrashlooping/"),
        "{redirect}"
    );
    let rules = project.read("public/beta/_redirects");
    assert!(
        rules.contains("/docs/alerts/KubePodCrashLooping/ /docs/runbooks/kubepodcrashlooping/ 301"),
        "{rules}"
    );
}

#[test]
fn mkdocs_and_docusaurus_pages_build_after_the_steps_of_the_migration_guide() {
    let project = Fixture::new();
    let mkdocs = "---\ntitle: Backups\n---\n!!! note \"Schedule\"\n    Backups run nightly.\n";
    let mdx = "---\ntitle: Upgrades\nsidebar_position: 3\n---\nimport Tabs from '@theme/Tabs';\n\n:::tip\nUpgrade on a Tuesday.\n:::\n";
    project.file("content/runbooks/backups.md", mkdocs);
    project.file("content/runbooks/upgrades.md", mdx);
    let output = project.run(&["check"]);
    assert_eq!(output.status.code(), Some(1));
    let printed = String::from_utf8_lossy(&output.stdout).into_owned();
    for at in ["backups.md:4:1", "upgrades.md:5:1", "upgrades.md:7:1"] {
        assert!(printed.contains(&format!("content/runbooks/{at}: error:")), "{at}:\n{printed}");
    }
    assert_eq!(
        printed.matches("[!NOTE]").count() + printed.matches("[!TIP]").count(),
        2,
        "{printed}"
    );

    // The guide: admonitions become GitHub alerts, imports go, sidebar_position is weight.
    project.file(
        "content/runbooks/backups.md",
        "---\ntitle: Backups\n---\n> [!NOTE]\n> Backups run nightly.\n",
    );
    project.file(
        "content/runbooks/upgrades.md",
        "---\ntitle: Upgrades\nweight: 3\n---\n> [!TIP]\n> Upgrade on a Tuesday.\n",
    );
    let output = project.run(&["check", "--deny-warnings"]);
    assert_eq!(output.status.code(), Some(0), "{}", common::stderr(&output));
}
