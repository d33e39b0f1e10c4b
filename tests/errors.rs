//! Bad input stops the build with exit code 1, a message naming the file (and line
//! and column where known) and what to do, and leaves the last good output untouched.

mod common;

use common::{Fixture, stderr};

/// Builds the fixture project once cleanly, breaks it with `breakage`, builds again with
/// the real binary, and returns stderr after checking the exit code and the untouched output.
fn fails_after_good_build(breakage: impl Fn(&Fixture)) -> String {
    Fixture::new().fails_after_good_build(breakage)
}

#[test]
fn unknown_key_in_partner_toml() {
    let message = fails_after_good_build(|p| {
        p.file(
            "partners/beta/partner.toml",
            "name = \"Beta\"\nbase_url = \"https://b.test\"\ncolour = \"red\"\n",
        );
    });
    assert!(
        message.contains("error: partners/beta/partner.toml:3:1: unknown field `colour`"),
        "{message}"
    );
    assert!(message.contains("help: remove or rename the key"), "{message}");
}

#[test]
fn wrong_type_in_partner_toml() {
    let message = fails_after_good_build(|p| {
        p.file("partners/beta/partner.toml", "name = 42\nbase_url = \"https://b.test\"\n");
    });
    assert!(
        message.contains(
            "error: partners/beta/partner.toml:1:8: invalid type: integer `42`, expected a string"
        ),
        "{message}"
    );
}

#[test]
fn invalid_colour() {
    let message = fails_after_good_build(|p| {
        p.file(
            "partners/beta/partner.toml",
            "name = \"Beta\"\nbase_url = \"https://b.test\"\n[brand]\naccent = \"#12345g\"\n",
        );
    });
    assert!(
        message.contains(
            "error: partners/beta/partner.toml:4:10: brand.accent `#12345g` is not a colour"
        ),
        "{message}"
    );
    assert!(message.contains("4 | accent = \"#12345g\"\n  |          ^"), "{message}");
}

#[test]
fn missing_logo_file() {
    let message = fails_after_good_build(|p| {
        p.remove("partners/alpha/static/logo.svg");
    });
    assert!(
        message.contains(
            "error: partners/alpha/partner.toml:6:8: brand.logo `logo.svg` does not exist"
        ),
        "{message}"
    );
    assert!(message.contains("put the file at partners/alpha/static/logo.svg"), "{message}");
}

#[test]
fn logo_path_escaping_the_partner_folder() {
    let message = fails_after_good_build(|p| {
        p.file(
            "partners/beta/partner.toml",
            "name = \"Beta\"\nbase_url = \"https://b.test\"\n[brand]\nlogo = \"../../../etc/passwd\"\n",
        );
    });
    assert!(
        message.contains(
            "partners/beta/partner.toml:4:8: brand.logo `../../../etc/passwd` points outside"
        ),
        "{message}"
    );
}

#[test]
fn bad_base_url_and_language() {
    let message = fails_after_good_build(|p| {
        p.file(
            "partners/beta/partner.toml",
            "name = \"Beta\"\nbase_url = \"kb.beta.test\"\nlanguage = \"English\"\n",
        );
    });
    assert!(message.contains("partners/beta/partner.toml:2:12: base_url `kb.beta.test` is not an absolute http(s) URL"), "{message}");
    assert!(
        message.contains("partners/beta/partner.toml:3:12: `English` is not a language tag"),
        "{message}"
    );
    assert!(
        message.contains("2 errors found"),
        "all problems of a file are reported together: {message}"
    );
}

#[test]
fn missing_partner_toml_and_bad_partner_id() {
    let message = fails_after_good_build(|p| {
        p.file("partners/gamma/static/logo.svg", "<svg/>");
        p.file("partners/Bad Id/partner.toml", "name = \"x\"\nbase_url = \"https://x.test\"\n");
    });
    assert!(
        message.contains("error: partners/gamma/partner.toml: missing partner.toml"),
        "{message}"
    );
    assert!(
        message.contains("error: partners/Bad Id: `Bad Id` is not a valid partner id"),
        "{message}"
    );
}

#[test]
fn unknown_key_in_livery_toml() {
    let message = fails_after_good_build(|p| {
        p.file("livery.toml", "title = \"KB\"\n\n[build]\ndraft = true\n");
    });
    assert!(message.contains("error: livery.toml:4:1: unknown field `draft`"), "{message}");
}

#[test]
fn unknown_highlight_theme() {
    let message = fails_after_good_build(|p| {
        p.file("livery.toml", "[highlight]\nlight = \"Solarised\"\n");
    });
    assert!(
        message.contains("error: livery.toml:2:9: unknown highlight theme `Solarised`"),
        "{message}"
    );
    assert!(message.contains("choose one of:"), "{message}");
}

#[test]
fn broken_front_matter() {
    let message = fails_after_good_build(|p| {
        p.file(
            "content/runbooks/restore.md",
            "+++\ntitle = \"Restore\"\nweight = \"first\"\n+++\nBody\n",
        );
    });
    assert!(
        message.contains(
            "error: content/runbooks/restore.md:3:10: `weight` must be an integer, not \"first\""
        ),
        "{message}"
    );
}

#[test]
fn unclosed_front_matter() {
    let message = fails_after_good_build(|p| {
        p.file("content/runbooks/restore.md", "+++\ntitle = \"Restore\"\n\nBody\n");
    });
    assert!(
        message.contains(
            "error: content/runbooks/restore.md:1:1: the front matter opened here is never closed"
        ),
        "{message}"
    );
}

#[test]
fn broken_yaml_front_matter() {
    let message = fails_after_good_build(|p| {
        p.file("content/runbooks/restore.md", "---\ntitle: Restore\nweight: first\n---\nBody\n");
    });
    assert!(
        message.contains(
            "error: content/runbooks/restore.md:3:9: `weight` must be an integer, not \"first\"\n  |\n3 | weight: first\n  |         ^\n  = help: write it like weight: 3"
        ),
        "{message}"
    );
}

#[test]
fn yaml_alias_bomb_is_refused() {
    let message = fails_after_good_build(|p| {
        let mut bomb = String::from("---\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (name, previous) in
            ["b", "c", "d", "e", "f", "g", "h", "i"].iter().zip("abcdefgh".chars())
        {
            let aliases = vec![format!("*{previous}"); 9].join(", ");
            bomb.push_str(&format!("{name}: &{name} [{aliases}]\n"));
        }
        bomb.push_str("---\nBody\n");
        p.file("content/runbooks/restore.md", &bomb);
    });
    assert!(
        message.contains(
            "error: content/runbooks/restore.md:3:8: livery does not read YAML aliases (`*name`)"
        ),
        "{message}"
    );
}

#[test]
fn unknown_front_matter_field_is_a_warning_that_names_its_line() {
    let project = Fixture::new();
    project
        .file("content/runbooks/restore.md", "+++\ntitle = \"Restore\"\nowners = \"dba\"\n+++\n");
    let output = project.run(&["build"]);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{message}");
    assert!(
        message.contains(
            "warning: content/runbooks/restore.md:3:1: unknown front matter field `owners`"
        ),
        "{message}"
    );
}

#[test]
fn invalid_utf8_page() {
    let message = fails_after_good_build(|p| {
        p.bytes("content/runbooks/restore.md", b"# Restore\n\nbad \xff byte\n");
    });
    assert!(
        message.contains("content/runbooks/restore.md:3:5: the file is not valid UTF-8"),
        "{message}"
    );
}

#[test]
fn missing_template_named_in_front_matter() {
    let message = fails_after_good_build(|p| {
        p.file(
            "content/runbooks/restore.md",
            "+++\ntitle = \"Restore\"\ntemplate = \"runbook.html\"\n+++\n",
        );
    });
    assert!(
        message.contains(
            "content/runbooks/restore.md:3:12: [partner alpha] there is no template `runbook.html`"
        ),
        "{message}"
    );
}

#[test]
fn theme_without_a_required_template() {
    // (The built-in `default` theme fills gaps in themes/default/; another name does not.)
    let message = fails_after_good_build(|p| {
        p.copy_dir(&p.path().join("themes/default"), "themes/plain");
        p.remove("themes/plain/templates/page.html");
        p.file("livery.toml", "title = \"Test KB\"\ntheme = \"plain\"\n");
    });
    assert!(
        message.contains(
            "error: themes/plain/templates: [partner alpha] the theme has no `page.html` template"
        ),
        "{message}"
    );
}

#[test]
fn template_syntax_error() {
    let message = fails_after_good_build(|p| {
        p.file(
            "partners/beta/templates/page.html",
            "{% extends \"theme/page.html\" %}\n{% block after_content %}\n{{ partner.name }\n{% endblock after_content %}\n",
        );
    });
    assert!(
        message.contains(
            "error: partners/beta/templates/page.html:3:17: [partner beta] template syntax error"
        ),
        "{message}"
    );
    assert!(message.contains("3 | {{ partner.name }"), "{message}");
}

#[test]
fn template_error_at_render_time_names_the_template_once() {
    let message = fails_after_good_build(|p| {
        p.file(
            "partners/beta/templates/page.html",
            "{% extends \"theme/page.html\" %}{% block after_content %}{{ partner.nmae }}{% endblock after_content %}",
        );
    });
    assert!(
        message.contains("error: partners/beta/templates/page.html: [partner beta]"),
        "{message}"
    );
    assert!(message.contains("Variable `partner.nmae` not found"), "{message}");
    assert_eq!(
        message.matches("partner.nmae").count(),
        1,
        "reported once, not once per page: {message}"
    );
}

#[test]
fn each_hugo_shortcode_is_reported_where_it_stands_without_a_template_error() {
    let message = fails_after_good_build(|p| {
        p.file(
            "content/runbooks/migrated.md",
            "+++\ntitle = \"Migrated\"\n+++\nSee {{< ref \"restore.md\" >}} first.\n\n{{% notice warning %}}\nCareful.\n{{% /notice %}}\n\n{{< highlight sh >}}\nls\n{{< /highlight >}}\n\nCode stays: `{{< ref \"x.md\" >}}`\n\n{{< figure src=\"dial.png\" >}} and {{< youtube abc >}}\n",
        );
    });
    let located: Vec<&str> = message
        .lines()
        .filter_map(|line| line.strip_prefix("error: content/runbooks/migrated.md:"))
        .map(|rest| rest.split(": ").next().unwrap())
        .collect();
    assert_eq!(located, ["4:5", "6:1", "8:1", "10:1", "12:1", "16:1", "16:35"], "{message}");
    assert!(
        message.contains(
            "error: content/runbooks/migrated.md:4:5: `{{< ref >}}` is a Hugo shortcode; livery does not run shortcodes\n  |\n4 | See {{< ref \"restore.md\" >}} first.\n  |     ^\n  = help: write a relative link: [text](restore.md)"
        ),
        "{message}"
    );
    assert!(
        message.contains("help: use a GitHub alert: a quote whose first line is > [!WARNING]"),
        "{message}"
    );
    assert!(!message.contains("template syntax error"), "{message}");
    assert!(message.contains("7 errors found"), "{message}");
}

#[test]
fn a_snippet_with_a_hugo_shortcode_is_reported_in_the_snippet_only() {
    let message = fails_after_good_build(|p| {
        p.file(
            "content/_snippets/contacts.md",
            "Call us.\n\n{{% notice tip %}}\nFast.\n{{% /notice %}}\n",
        )
        .file(
            "content/runbooks/failover.md",
            "# Fail over\n\n## Promote {#promote}\n\n{{ snippet(\"contacts\") }}\n",
        );
    });
    assert!(
        message.contains(
            "error: content/_snippets/contacts.md:3:1: `{{% notice %}}` is a Hugo shortcode"
        ),
        "{message}"
    );
    assert!(message.contains("error: content/_snippets/contacts.md:5:1:"), "{message}");
    assert!(!message.contains("template syntax error"), "{message}");
    assert!(message.contains("2 errors found"), "{message}");
}

#[test]
fn broken_links_and_anchors() {
    let message = fails_after_good_build(|p| {
        p.file(
            "content/runbooks/restore.md",
            "# Restore\n\nSee [x](failovr.md) and\n[y](failover.md#promot).\n",
        );
    });
    assert!(message.contains("content/runbooks/restore.md:3:5: broken link `failovr.md`: there is no page content/runbooks/failovr.md"), "{message}");
    assert!(message.contains("content/runbooks/restore.md:4:1: broken link `failover.md#promot`: content/runbooks/failover.md has no heading `#promot`"), "{message}");
    assert!(message.contains("did you mean #promote?"), "{message}");
}

#[test]
fn broken_links_can_be_downgraded_to_warnings() {
    let project = Fixture::new();
    project.file("livery.toml", "[build]\nbroken_links = \"warn\"\n");
    project.file("content/runbooks/restore.md", "# Restore\n\nSee [x](failovr.md).\n");
    let output = project.run(&["build", "-q"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output)
            .contains("warning: content/runbooks/restore.md:3:5: broken link `failovr.md`")
    );
}

#[test]
fn two_files_publishing_to_one_url() {
    let message = fails_after_good_build(|p| {
        p.file("content/runbooks/restore/_index.md", "# Also restore\n");
    });
    assert!(message.contains("error: content/runbooks/restore.md: content/runbooks/restore/_index.md and content/runbooks/restore.md all publish to /runbooks/restore/"), "{message}");
}

#[test]
fn missing_project_file_and_content() {
    let project = Fixture::empty();
    let output = project.run(&["build"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("error: no livery.toml in this folder or any folder above it"),
        "{}",
        stderr(&output)
    );
    assert!(stderr(&output).contains("pass --root DIR, or start a project with `livery init`"));
}

#[test]
fn bom_and_crlf_simply_work() {
    let project = Fixture::new();
    project.bytes(
        "content/runbooks/restore.md",
        b"\xef\xbb\xbf+++\r\ntitle = \"Restore\"\r\n+++\r\n\r\n## Steps\r\n",
    );
    project.bytes(
        "content/runbooks/failover.md",
        b"\xef\xbb\xbf---\r\ntitle: Fail over\r\nweight: 2\r\n---\r\n\r\n## Promote {#promote}\r\n",
    );
    project.build().unwrap();
    assert!(project.read("public/alpha/runbooks/restore/index.html").contains("<h2 id=\"steps\">"));
    let failover = project.read("public/alpha/runbooks/failover/index.html");
    assert!(failover.contains("<h1>Fail over</h1>") && failover.contains("<h2 id=\"promote\">"));
}

#[test]
fn symlink_out_of_the_content_folder_is_refused() {
    let project = Fixture::new();
    let outside = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(outside.path(), "# Secret\n").unwrap();
    std::os::unix::fs::symlink(outside.path(), project.path().join("content/runbooks/secret.md"))
        .unwrap();
    let output = project.run(&["build"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output)
            .contains("content/runbooks/secret.md: this symlink points outside its content folder")
    );
}

// ------------------------------------------------------------ the bad-input corpus

#[test]
fn malformed_livery_toml() {
    let message = fails_after_good_build(|p| {
        p.file("livery.toml", "title = \"Test KB\"\n[build\ndrafts = true\n");
    });
    assert!(message.contains("error: livery.toml:2:"), "{message}");
}

#[test]
fn malformed_partner_toml() {
    let message = fails_after_good_build(|p| {
        p.file("partners/beta/partner.toml", "name = \"Beta\nbase_url = \"https://b.test\"\n");
    });
    assert!(message.contains("error: partners/beta/partner.toml:1:"), "{message}");
}

#[test]
fn empty_partner_toml() {
    let message = fails_after_good_build(|p| {
        p.file("partners/beta/partner.toml", "");
    });
    assert!(message.contains("partners/beta/partner.toml"), "{message}");
    assert!(message.contains("name"), "{message}");
}

#[test]
fn empty_page_simply_works() {
    let project = Fixture::new();
    project.file("content/runbooks/empty.md", "");
    project.build().unwrap();
    let html = project.html("public/alpha/runbooks/empty/index.html");
    assert_eq!(common::select_text(&html, "h1"), ["Empty"]);
}

#[test]
fn a_ten_megabyte_page() {
    let message = fails_after_good_build(|p| {
        p.file(
            "content/runbooks/log.md",
            &"2026-11-01 12:00:00 INFO request served\n".repeat(260_000),
        );
    });
    assert!(
        message.contains(
            "error: content/runbooks/log.md: the page is 9.9 MB; pages may be at most 5 MB"
        ),
        "{message}"
    );
}

#[test]
fn ten_thousand_levels_of_nested_lists_and_quotes() {
    let message = fails_after_good_build(|p| {
        p.file("content/runbooks/lists.md", &format!("# Lists\n\n{}deep\n", "- ".repeat(10_000)));
        p.file("content/runbooks/quotes.md", &format!("# Quotes\n\n{}deep\n", "> ".repeat(10_000)));
    });
    for file in ["lists", "quotes"] {
        assert!(
            message.contains(&format!(
                "error: content/runbooks/{file}.md:3:201: lists or quotes are nested more than 100 levels deep"
            )),
            "{message}"
        );
    }
}

#[test]
fn template_name_escaping_the_theme() {
    let message = fails_after_good_build(|p| {
        p.file(
            "content/runbooks/restore.md",
            "+++\ntemplate = \"../../../../etc/passwd\"\n+++\nx\n",
        );
    });
    assert!(message.contains("error: content/runbooks/restore.md:2:12:"), "{message}");
}

#[test]
fn absolute_logo_path() {
    let message = fails_after_good_build(|p| {
        p.file(
            "partners/beta/partner.toml",
            "name = \"Beta\"\nbase_url = \"https://b.test\"\n[brand]\nlogo = \"/etc/passwd\"\n",
        );
    });
    assert!(message.contains("error: partners/beta/partner.toml:4:8:"), "{message}");
}

#[test]
fn symlinked_folders_out_of_the_project_are_not_read() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.md"), "# Secret\n").unwrap();
    std::fs::write(outside.path().join("page.html"), "SECRET {{ page.title }}").unwrap();
    let message = fails_after_good_build(|p| {
        std::os::unix::fs::symlink(outside.path(), p.path().join("content/linked")).unwrap();
        std::fs::create_dir_all(p.path().join("partners/beta/templates")).unwrap();
        std::os::unix::fs::symlink(outside.path(), p.path().join("partners/beta/templates/x"))
            .unwrap();
    });
    assert!(
        message.contains("error: content/linked: this symlink points outside its content folder"),
        "{message}"
    );
    assert!(
        message
            .contains("error: partners/beta/templates/x: this symlink points outside its folder"),
        "{message}"
    );
    assert!(!message.contains("secret.md"), "nothing below the link is read: {message}");
}

#[test]
fn symlink_loops() {
    let message = fails_after_good_build(|p| {
        std::os::unix::fs::symlink("loop", p.path().join("content/runbooks/loop")).unwrap();
        std::os::unix::fs::symlink(".", p.path().join("content/runbooks/again")).unwrap();
    });
    assert!(message.contains("content/runbooks/loop: cannot read"), "{message}");
    assert!(message.contains("content/runbooks/again: cannot read"), "{message}");
    assert!(message.contains("looping symlink"), "{message}");
}

#[test]
fn eight_thousand_repeated_headings_get_unique_ids() {
    let project = Fixture::new();
    let mut body = String::from("# Headings\n\n## h {#h-2}\n\n");
    body.push_str(&"## h\n\n".repeat(8_200));
    project.file("content/runbooks/headings.md", &body);
    project.build().unwrap();
    let html = project.html("public/alpha/runbooks/headings/index.html");
    let ids = common::select_attr(&html, ".prose h2", "id");
    assert_eq!(ids.len(), 8_201);
    assert_eq!(ids[..4], ["h-2", "h", "h-1", "h-3"]);
    assert_eq!(ids.last().unwrap(), "h-8200");
    let unique: std::collections::BTreeSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "every heading has its own id");
}

#[test]
fn brand_fonts_that_would_break_the_stylesheet() {
    let message = fails_after_good_build(|p| {
        p.file(
            "partners/beta/partner.toml",
            "name = \"Beta\"\nbase_url = \"https://b.test\"\n[brand]\nfont = \"Inter /* clean */, sans-serif\"\n\
             heading_font = \"'Open Sans, serif\"\nmono_font = \"Menlo (x, monospace\"\n",
        );
    });
    assert!(
        message.contains(
            "error: partners/beta/partner.toml:4:8: brand.font `Inter /* clean */, sans-serif` is not a font list: `/*` would start a CSS comment"
        ),
        "{message}"
    );
    assert!(
        message.contains(
            "error: partners/beta/partner.toml:5:16: brand.heading_font `'Open Sans, serif` is not a font list: a quote is never closed"
        ),
        "{message}"
    );
    assert!(
        message.contains(
            "error: partners/beta/partner.toml:6:13: brand.mono_font `Menlo (x, monospace` is not a font list: `(` has no place in a font list"
        ),
        "{message}"
    );
    assert!(message.contains("help: write a CSS font-family list"), "{message}");
    assert!(message.contains("3 errors found"), "{message}");
}

#[test]
fn script_and_data_urls_in_partner_links() {
    let message = fails_after_good_build(|p| {
        p.file(
            "partners/beta/partner.toml",
            "name = \"Beta\"\nbase_url = \"https://b.test\"\n\n[contact]\nsupport_url = \"javascript:alert(1)\"\n\
             status_page = \" JaVaScRiPt:alert(1)\"\n\n[[menu]]\nlabel = \"Offer\"\nurl = \"data:text/html,<script>alert(1)</script>\"\n\n\
             [[menu]]\nlabel = \"Tab\"\nurl = \"java\\tscript:alert(1)\"\n\n\
             [[menu]]\nlabel = \"Legal\"\nurl = \"../legal/?a=b:c\"\n",
        );
    });
    for expected in [
        "error: partners/beta/partner.toml:5:15: contact.support_url `javascript:alert(1)` is a `javascript:` URL",
        "error: partners/beta/partner.toml:6:15: contact.status_page ` JaVaScRiPt:alert(1)` is a `javascript:` URL",
        "error: partners/beta/partner.toml:10:7: menu url `data:text/html,<script>alert(1)</script>` is a `data:` URL",
        "error: partners/beta/partner.toml:14:7: menu url `java\tscript:alert(1)` contains a control character",
        "help: use an https:, http:, mailto: or tel: URL, or a relative one such as /legal/",
        "4 errors found",
    ] {
        assert!(message.contains(expected), "missing {expected:?} in:\n{message}");
    }
}

#[test]
fn partner_links_with_allowed_schemes_are_published() {
    let project = Fixture::new();
    project.file(
        "partners/beta/partner.toml",
        "name = \"Beta\"\nbase_url = \"https://b.test\"\n\n[contact]\nsupport_url = \"HTTPS://help.b.test/portal\"\n\
         status_page = \"http://status.b.test\"\n\n[[menu]]\nlabel = \"Mail\"\nurl = \"mailto:legal@b.test\"\nlocation = \"both\"\n\n\
         [[menu]]\nlabel = \"Call\"\nurl = \"tel:+1-555-0100\"\n\n[[menu]]\nlabel = \"Legal\"\nurl = \"/legal/?a=b:c\"\n",
    );
    project.build().unwrap();
    let html = project.html("public/beta/index.html");
    let links = common::select_attr(&html, "a", "href");
    for href in [
        "HTTPS://help.b.test/portal",
        "http://status.b.test",
        "mailto:legal@b.test",
        "tel:+1-555-0100",
        "/legal/?a=b:c",
    ] {
        assert!(links.iter().any(|l| l == href), "{href} not in {links:?}");
    }
}

/// A named pipe at `relative`: opening it for reading blocks until someone writes.
fn make_fifo(project: &Fixture, relative: &str) {
    let path = project.path().join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let status = std::process::Command::new("mkfifo").arg(&path).status().unwrap();
    assert!(status.success(), "mkfifo {}", path.display());
}

#[test]
fn fifos_and_other_special_files_are_errors_not_hangs() {
    let message = fails_after_good_build(|p| {
        make_fifo(p, "partners/beta/i18n/en.toml");
        make_fifo(p, "content/runbooks/pipe.md");
        make_fifo(p, "partners/alpha/templates/partials/footer.html");
    });
    for path in [
        "partners/beta/i18n/en.toml",
        "content/runbooks/pipe.md",
        "partners/alpha/templates/partials/footer.html",
    ] {
        assert!(
            message.contains(&format!(
                "error: {path}: this is a FIFO (named pipe), not a regular file"
            )),
            "{path} in:\n{message}"
        );
    }
    assert!(message.contains("help: livery reads only regular files"), "{message}");
}

#[test]
fn snippets_that_expand_past_the_page_limit() {
    let message = fails_after_good_build(|p| {
        // Each snippet includes the next ten times, seven deep: 10⁷ copies of the last.
        for level in 0..7 {
            let call = format!("{{{{ snippet(\"s{}\") }}}}\n", level + 1);
            p.file(&format!("content/_snippets/s{level}.md"), &call.repeat(10));
        }
        p.file("content/_snippets/s7.md", &"Some words of text. ".repeat(10));
        p.file("content/runbooks/fanout.md", "# Fan-out\n\nIntro.\n\n{{ snippet(\"s0\") }}\n");
    });
    assert!(
        message.contains(
            "error: content/runbooks/fanout.md:5:4: [partner alpha] after templating and snippets this page is larger than 5 MB"
        ),
        "{message}"
    );
    assert!(message.contains("help: pages may be at most 5 MB"), "{message}");
}

#[test]
fn a_loop_of_two_billion() {
    let message = fails_after_good_build(|p| {
        p.file(
            "content/runbooks/loop.md",
            "# Loop\n\n{% for i in range(end=2000000000) %}{{ i }}{% endfor %}\n",
        );
    });
    assert!(
        message.contains(
            "error: content/runbooks/loop.md:3:13: [partner alpha] range() would count 2000000000 numbers; content may loop at most 1000000 times per page"
        ),
        "{message}"
    );
}

#[test]
fn loops_and_values_that_grow_without_output_are_bounded() {
    let message = fails_after_good_build(|p| {
        p.file(
            "content/runbooks/nested.md",
            "# Nested\n\n{% for i in range(end=100000) %}{% for j in range(end=100000) %}{% endfor %}{% endfor %}\n",
        );
        p.file(
            "content/runbooks/doubling.md",
            "# Doubling\n\n{% set_global s = \"xxxxxxxxxx\" %}\n{% for i in range(end=40) %}{% set_global s = s ~ s %}{% endfor %}\n",
        );
        p.file(
            "content/runbooks/replace.md",
            &format!(
                "# Replace\n\n{{{{ \"a\"{} }}}}\n",
                " | replace(from=\"a\", to=\"aaaaaaaaaa\")".repeat(12)
            ),
        );
        p.file("content/runbooks/silent.md", "# Silent\n\n{{ snippet(\"quiet0\") }}\n");
        // Ten includes at each of seven levels, none of which writes anything.
        for level in 0..7 {
            let call = format!("{{{{ snippet(\"quiet{}\") }}}}", level + 1);
            p.file(&format!("content/_snippets/quiet{level}.md"), &call.repeat(10));
        }
        p.file("content/_snippets/quiet7.md", "{% if false %}x{% endif %}");
    });
    for expected in [
        "error: content/runbooks/nested.md:3:4: [partner alpha] loops and snippets on this page do too much work",
        "error: content/runbooks/doubling.md:4:4: [partner alpha] templating on this page builds more than 64 MB of text",
        "error: content/runbooks/replace.md:3:10: [partner alpha] templating on this page builds more than 64 MB of text",
        "error: content/runbooks/silent.md:3:4: [partner alpha] loops and snippets on this page do too much work",
    ] {
        assert!(message.contains(expected), "missing {expected:?} in:\n{message}");
    }
}

#[test]
fn deeply_nested_tags_and_snippet_chains() {
    let message = fails_after_good_build(|p| {
        p.file(
            "content/runbooks/ifs.md",
            &format!(
                "# Ifs\n\n{}x{}\n",
                "{% if true %}".repeat(20_000),
                "{% endif %}".repeat(20_000)
            ),
        );
        for level in 0..40 {
            p.file(
                &format!("content/_snippets/chain{level}.md"),
                &format!("Level {level}.\n\n{{{{ snippet(\"chain{}\") }}}}\n", level + 1),
            );
        }
        p.file("content/_snippets/chain40.md", "The end.\n");
    });
    assert!(
        message.contains(
            "error: content/runbooks/ifs.md:3: `{% if %}` and `{% for %}` are nested more than 16 deep here"
        ),
        "{message}"
    );

    assert!(
        message.contains(
            "error: content/_snippets/chain31.md:3: snippets include each other more than 8 deep: chain31 → chain32 → chain33 → chain34 → chain35 → chain36 → chain37 → chain38 → chain39 → chain40"
        ),
        "{message}"
    );
}

#[test]
fn a_partner_template_nested_too_deeply() {
    let message = fails_after_good_build(|p| {
        p.file(
            "partners/beta/templates/page.html",
            &format!("{}x{}", "{% if true %}".repeat(20_000), "{% endif %}".repeat(20_000)),
        );
    });
    assert!(
        message.contains(
            "error: partners/beta/templates/page.html:1: [partner beta] `{% if %}` and `{% for %}` are nested more than 16 deep here"
        ),
        "{message}"
    );
}
