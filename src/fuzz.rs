//! Property tests over the code that meets raw user text: front matter (TOML, YAML),
//! content templating and link rewriting. Each property runs 256 random cases in
//! `cargo test`; for a long run:
//!
//! ```sh
//! PROPTEST_CASES=100000 cargo test --release --lib fuzz::
//! ```

use std::path::{Component, Path};

use proptest::prelude::*;

use crate::model::content::LinkTarget;
use crate::model::page::SourceFile;
use crate::model::partner::tests::partner;
use crate::parse::highlight::Highlighter;
use crate::parse::markdown;
use crate::parse::page;
use crate::parse::templating;
use crate::parse::templating::ContentTemplates;

fn highlighter() -> &'static Highlighter {
    static HIGHLIGHTER: std::sync::OnceLock<Highlighter> = std::sync::OnceLock::new();
    HIGHLIGHTER.get_or_init(Highlighter::new)
}

/// Text that looks like a page: maybe a BOM-less front matter fence, TOML-ish lines,
/// maybe a closing fence, then markdown-ish text, with any line endings.
fn page_text() -> impl Strategy<Value = String> {
    let fence = prop_oneof![
        Just(""),
        Just("+++\n"),
        Just("+++\r\n"),
        Just("---\n"),
        Just("{\n"),
        Just("+++")
    ];
    let toml = "([a-z_]{1,8} = (\"[^\"\\n]{0,12}\"|[0-9]{1,4}|\\[\\]|20[0-9]{2}-[01][0-9]-[0-3][0-9]|true)?\r?\n){0,5}";
    let close = prop_oneof![Just(""), Just("+++\n"), Just("+++\r\n"), Just("+++")];
    let body = "(#{0,3} ?[a-zA-Z{}%\\[\\]()#`*>|.-]{0,20}\r?\n){0,8}";
    (fence, toml, close, body).prop_map(|(f, t, c, b)| format!("{f}{t}{c}{b}"))
}

proptest! {
    #[test]
    fn front_matter_splitting_never_panics_and_locates_errors_in_the_file(text in page_text()) {
        let file = SourceFile { origin: "content".into(), path: "a/b.md".into(), text: text.clone(), language: None };
        match page::parse(&file, highlighter(), &Default::default()) {
            Ok(page) => prop_assert!(!page.title.is_empty()),
            Err(diagnostics) => {
                prop_assert!(!diagnostics.is_empty());
                let lines = text.split('\n').count();
                for diagnostic in diagnostics {
                    prop_assert!(diagnostic.line.is_none_or(|line| line >= 1 && line <= lines),
                        "line {:?} of {lines}: {}", diagnostic.line, diagnostic.message);
                }
            }
        }
    }

    #[test]
    fn yaml_front_matter_never_panics_and_is_a_page_or_a_located_error(
        yaml in "([ \t]{0,4}([a-z0-9_]{1,6}: ?)?[a-z0-9:\\-\\[\\]{},&*!|>'\"#%@?~. \t]{0,16}\r?\n){0,8}",
        close in prop_oneof![Just("---\n"), Just("...\r\n"), Just("---"), Just("")],
    ) {
        let text = format!("---\n{yaml}{close}# Heading\n");
        let file = SourceFile { origin: "content".into(), path: "a.md".into(), text: text.clone(), language: None };
        for diagnostic in page::parse(&file, highlighter(), &Default::default()).err().unwrap_or_default() {
            let lines: Vec<&str> = text.split('\n').collect();
            let line = diagnostic.line.expect("located");
            prop_assert!(line >= 1 && line <= lines.len(), "line {line}: {}", diagnostic.message);
            let width = lines[line - 1].chars().count() + 1;
            prop_assert!(diagnostic.column.is_some_and(|c| c >= 1 && c <= width),
                "column {:?} of {width}: {}", diagnostic.column, diagnostic.message);
            prop_assert!(diagnostic.help.is_some(), "{}", diagnostic.message);
        }
    }

    #[test]
    fn arbitrary_bytes_as_a_page_never_panic(text in "\\PC{0,200}") {
        let file = SourceFile { origin: "content".into(), path: "x.md".into(), text, language: None };
        let _ = page::parse(&file, highlighter(), &Default::default());
    }

    #[test]
    fn content_templating_never_panics(body in "([a-z ]{0,6}(\\{\\{|\\}\\}|\\{%|%\\}|\\{#|#\\}|`|```\n|partner\\.name|vars\\.x|snippet\\(\"s\"\\)|raw|endraw|if|endif| )){0,12}") {
        let prepared = templating::prepare("content/a.md", &body, 0);
        let templates = prepared
            .and_then(|t| ContentTemplates::new(vec![("content/a.md".into(), t)], Vec::new()).ok());
        if let Some(templates) = templates {
            let _ = templates.render("content/a.md", &partner("acme"));
        }
    }

    #[test]
    fn code_is_never_interpreted(code in "[a-z {}%#.()\"]{0,40}", inline in "[a-z {}%#.]{0,20}") {
        prop_assume!(!inline.contains('`'));
        let body = format!("Hello {{{{ partner.name }}}}, `{inline}`.\n\n```\n{code}\n```\n");
        let template = templating::prepare("content/a.md", &body, 0).expect("uses partner.name");
        let templates = ContentTemplates::new(vec![("content/a.md".into(), template)], Vec::new())
            .expect("code cannot break the template");
        let out = templates.render("content/a.md", &partner("acme")).expect("renders");
        prop_assert!(out.contains(&format!("```\n{code}\n```")), "code changed: {out}");
        prop_assert!(out.contains(&format!("`{inline}`")), "inline code changed: {out}");
        prop_assert!(out.starts_with("Hello Partner acme,"));
    }

    #[test]
    fn resolved_links_stay_inside_the_content_folder(
        source in "([a-z]{1,4}/){0,3}[a-z]{1,4}\\.md",
        dest in "(\\.\\./|\\./|/|[a-z]{1,4}/){0,5}[a-z]{0,4}(\\.md|\\.png|/)?(#[a-z-]{0,6})?",
    ) {
        match markdown::resolve_link(Path::new(&source), &dest) {
            Some(LinkTarget::Page { path, .. }) | Some(LinkTarget::File(path)) => {
                prop_assert!(path.components().all(|c| matches!(c, Component::Normal(_))),
                    "{dest} from {source} resolved to {}", path.display());
            }
            Some(LinkTarget::Root { path, .. }) => {
                prop_assert!(!path.starts_with('/') && !path.split('/').any(|c| c == ".." || c == "."),
                    "{dest} from {source} resolved to /{path}");
            }
            _ => {}
        }
    }

    #[test]
    fn link_positions_point_into_the_file(
        lines in proptest::collection::vec("[a-z ]{0,10}(\\[x\\]\\(([a-z./#]{0,12}|https://a\\.test/)\\))?[a-z ]{0,5}", 1..10),
        offset in 0usize..5,
    ) {
        let body = lines.join("\n");
        let input = markdown::Input {
            body: &body, line_offset: offset, source: Path::new("a/b.md"), url: "a/b/", urls: &Default::default(), lift_title: false,
        };
        let converted = markdown::convert(&input, highlighter());
        for link in &converted.links {
            prop_assert!(link.line > offset && link.line <= offset + lines.len(), "{link:?}");
            let text = lines[link.line - offset - 1].as_str();
            let at: String = text.chars().skip(link.column - 1).take(1).collect();
            prop_assert_eq!(at, "[", "column of {:?} in {:?}", link, text);
        }
    }
}
