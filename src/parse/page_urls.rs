//! Every page's URL, decided before any markdown is converted: its path's pretty URL,
//! lowercased with `[build] lowercase_urls` (Hugo lowercases, and alerts link to its
//! URLs), or what its front matter chooses with `slug` (the last part of the URL) or
//! `url` (the whole URL). One path has one URL in every content folder, so a link
//! converted once reaches the page for every partner.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Diagnostic, Rule};
use crate::model::page::{Located, SourceFile};
use crate::model::url_map::UrlMap;
use crate::parse::page::{UrlChoice, url_choice};

/// The URL map of every page in `files` (all content folders), and the problems of the
/// `slug` and `url` values that could not be used (those pages keep their path's URL).
pub fn page_urls(files: &[&SourceFile], lowercase: bool) -> (UrlMap, Vec<Diagnostic>) {
    let derived = UrlMap::new(lowercase, BTreeMap::new());
    let choices: Vec<(&SourceFile, Result<String, Diagnostic>)> = files
        .par_iter()
        .filter(|file| mentions_url(file))
        .filter_map(|file| {
            let choice = url_choice(file)?;
            Some((*file, chosen_url(file, choice, &derived)))
        })
        .collect();
    let mut problems = Vec::new();
    // By the path shown to users: a shared page and a partner's at the same path may
    // both choose one.
    let mut chosen: BTreeMap<PathBuf, String> = BTreeMap::new();
    for (file, choice) in choices {
        match choice {
            Ok(url) => {
                chosen.insert(file.display_path(), url);
            }
            Err(problem) => problems.push(problem),
        }
    }
    let url_of = |file: &SourceFile| {
        chosen.get(&file.display_path()).cloned().unwrap_or_else(|| derived.page(&file.path))
    };
    problems.extend(disagreements(files, &url_of));
    let mut by_path = BTreeMap::new();
    for file in files.iter().filter(|f| chosen.contains_key(&f.display_path())) {
        by_path.entry(file.path.clone()).or_insert_with(|| url_of(file));
    }
    (UrlMap::new(lowercase, by_path), problems)
}

/// Most front matter chooses no URL; this spares it a second parse. Only the front
/// matter is searched (found as `parse` finds it, in any format): a body may say "url"
/// as often as it likes.
fn mentions_url(file: &SourceFile) -> bool {
    let Ok(split) = crate::parse::front_matter::split(&file.path, &file.text) else {
        return false;
    };
    let Some(block) = split.block else { return false };
    let front_matter = &file.text[block.range];
    front_matter.contains("slug") || front_matter.contains("url")
}

/// A shared page and a partner's page at the same path must publish at one URL: links
/// to the path are made once for every partner.
fn disagreements(files: &[&SourceFile], url_of: &dyn Fn(&SourceFile) -> String) -> Vec<Diagnostic> {
    let mut by_path: BTreeMap<&Path, Vec<&SourceFile>> = BTreeMap::new();
    for file in files {
        by_path.entry(file.path.as_path()).or_default().push(file);
    }
    let mut problems = Vec::new();
    for same in by_path.values().filter(|same| same.len() > 1) {
        let first = url_of(same[0]);
        for other in &same[1..] {
            let url = url_of(other);
            if url != first {
                problems.push(
                    Diagnostic::new(
                        other.display_path(),
                        format!(
                            "this page publishes to /{url}, but {} at the same path publishes to /{first}",
                            same[0].display_path().display()
                        ),
                    )
                    .rule(Rule::DuplicateUrl)
                    .help("a partner's page replaces the shared page at its URL: give both the same `slug` or `url`"),
                );
            }
        }
    }
    problems
}

/// The URL `slug` or `url` chooses for `file`, or why it cannot be used.
fn chosen_url(
    file: &SourceFile,
    UrlChoice { slug, url }: UrlChoice,
    derived: &UrlMap,
) -> Result<String, Diagnostic> {
    let is_home = file.path == Path::new("_index.md");
    let problem = |at: &Located<String>, message: String, help: &str| {
        Diagnostic::new(file.display_path(), message)
            .at_line(at.line, Some(at.column))
            .rule(Rule::FrontMatter)
            .help(help.to_owned())
    };
    match (slug, url) {
        (Some(slug), Some(_)) => Err(problem(
            &slug,
            "`slug` and `url` are both set".into(),
            "keep one: `url` sets the whole URL, `slug` only its last part",
        )),
        (Some(slug), None) => {
            if is_home {
                return Err(problem(&slug, "the home page has no slug".into(), HOME_HELP));
            }
            let reason = segment_problem(&slug.value);
            if let Some(reason) = reason {
                return Err(problem(
                    &slug,
                    format!("slug `{}` {reason}", slug.value),
                    "write one part of a URL, such as slug = \"add-runbook\"; use `url` to move the page to another folder",
                ));
            }
            let own = derived.page(&file.path);
            let folder =
                own.trim_end_matches('/').rsplit_once('/').map_or("", |(folder, _)| folder);
            Ok(if folder.is_empty() {
                format!("{}/", slug.value)
            } else {
                format!("{folder}/{}/", slug.value)
            })
        }
        (None, Some(url)) => {
            let help = "write a path of the partner's site, such as url = \"/docs/add-runbook/\"";
            let Some(path) = url.value.strip_prefix('/') else {
                let reason = if url.value.contains("://") {
                    "is a web address; it must be a path of the partner's site, which may be published under any base_url"
                } else {
                    "must start with /"
                };
                return Err(problem(&url, format!("url `{}` {reason}", url.value), help));
            };
            let path = path.strip_suffix('/').unwrap_or(path);
            if let Some(reason) =
                path.split('/').filter(|_| !path.is_empty()).find_map(segment_problem)
            {
                return Err(problem(&url, format!("url `{}`: a part {reason}", url.value), help));
            }
            if path.ends_with(".html") || path.ends_with(".htm") {
                return Err(problem(
                    &url,
                    format!("url `{}` names a file", url.value),
                    "every page is published as a folder with index.html: write url = \"/docs/add-runbook/\"",
                ));
            }
            if is_home != path.is_empty() {
                let message = if is_home {
                    "the home page is always at the site root"
                } else {
                    "only the home page is at the site root"
                };
                return Err(problem(&url, format!("url `{}`: {message}", url.value), HOME_HELP));
            }
            Ok(if path.is_empty() { String::new() } else { format!("{path}/") })
        }
        (None, None) => Ok(derived.page(&file.path)),
    }
}

const HOME_HELP: &str =
    "remove the line: content/_index.md is the home page, published at the site root";

/// Why `segment` cannot be one part of a URL path, if it cannot.
fn segment_problem(segment: &str) -> Option<&'static str> {
    if segment.trim().is_empty() {
        Some("is empty")
    } else if segment == "." || segment == ".." {
        Some("would leave its folder")
    } else if segment.contains(['/', '\\']) {
        Some("holds a slash")
    } else if segment.contains(|c: char| c.is_whitespace() || c.is_control()) {
        Some("holds a space; write - between words")
    } else if segment.contains(['?', '#', ':', '%', '"', '<', '>']) {
        Some("holds a character a URL path cannot hold as written (? # : % \" < >)")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(origin: &str, path: &str, text: &str) -> SourceFile {
        SourceFile { origin: origin.into(), path: path.into(), text: text.into(), language: None }
    }

    fn urls_of(files: &[SourceFile], lowercase: bool) -> (UrlMap, Vec<Diagnostic>) {
        let files: Vec<&SourceFile> = files.iter().collect();
        page_urls(&files, lowercase)
    }

    #[test]
    fn slug_replaces_the_last_part_and_url_the_whole() {
        let files = [
            source("content", "docs/Old-Name.md", "+++\nslug = \"new-name\"\n+++\n"),
            source("content", "docs/moved.md", "+++\nurl = \"/elsewhere/page\"\n+++\n"),
            source("content", "docs/plain.md", "+++\ntitle = \"url\"\n+++\n"),
        ];
        let (urls, problems) = urls_of(&files, false);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(urls.page(Path::new("docs/Old-Name.md")), "docs/new-name/");
        assert_eq!(urls.page(Path::new("docs/moved.md")), "elsewhere/page/");
        assert_eq!(urls.page(Path::new("docs/plain.md")), "docs/plain/");
    }

    #[test]
    fn with_lowercase_urls_a_slug_keeps_its_case_and_its_folder_is_lowered() {
        let files = [source("content", "Docs/x.md", "+++\nslug = \"Keep\"\n+++\n")];
        let (urls, _) = urls_of(&files, true);
        assert_eq!(urls.page(Path::new("Docs/x.md")), "docs/Keep/");
        assert_eq!(
            urls.page(Path::new("Runbooks/KubePodCrashLooping.md")),
            "runbooks/kubepodcrashlooping/"
        );
    }

    #[test]
    fn invalid_slugs_and_urls_are_errors_at_their_value() {
        let cases = [
            ("+++\nslug = \"a/b\"\n+++\n", "content/x.md:2:8", "slug `a/b` holds a slash"),
            ("+++\nslug = \"..\"\n+++\n", "content/x.md:2:8", "slug `..` would leave its folder"),
            ("+++\nslug = \"\"\n+++\n", "content/x.md:2:8", "slug `` is empty"),
            (
                "+++\ntitle = \"T\"\nurl = \"https://x.test/a/\"\n+++\n",
                "content/x.md:3:7",
                "url `https://x.test/a/` is a web address",
            ),
            (
                "+++\nurl = \"/a/../b/\"\n+++\n",
                "content/x.md:2:7",
                "url `/a/../b/`: a part would leave its folder",
            ),
            ("+++\nurl = \"a/b/\"\n+++\n", "content/x.md:2:7", "url `a/b/` must start with /"),
            (
                "+++\nurl = \"/\"\n+++\n",
                "content/x.md:2:7",
                "url `/`: only the home page is at the site root",
            ),
            ("+++\nurl = \"/a//b/\"\n+++\n", "content/x.md:2:7", "url `/a//b/`: a part is empty"),
            (
                "+++\nslug = \"a\"\nurl = \"/b/\"\n+++\n",
                "content/x.md:2:8",
                "`slug` and `url` are both set",
            ),
        ];
        for (text, location, message) in cases {
            let (urls, problems) = urls_of(&[source("content", "x.md", text)], false);
            assert_eq!(problems.len(), 1, "{text}: {problems:?}");
            assert_eq!(problems[0].location(), location, "{text}");
            assert!(problems[0].message.starts_with(message), "{text}: {}", problems[0].message);
            assert_eq!(
                urls.page(Path::new("x.md")),
                "x/",
                "a page with a bad choice keeps its path's URL"
            );
        }
    }

    #[test]
    fn only_front_matter_that_mentions_a_url_is_read_again() {
        let mentions = |text: &str| mentions_url(&source("content", "x.md", text));
        assert!(mentions("+++\ntitle = \"A\"\nslug = \"b\"\n+++\nBody\n"));
        assert!(mentions("---\ntitle: A\nslug: b\n---\nBody\n"));
        assert!(mentions("{\n  \"url\": \"/b/\"\n}\nBody\n"));
        assert!(!mentions("+++\ntitle = \"A\"\n+++\nSee the url and slug.\n"));
        assert!(!mentions("No front matter, one url.\n"));
    }

    #[test]
    fn the_home_page_stays_at_the_root() {
        let (_, problems) =
            urls_of(&[source("content", "_index.md", "+++\nslug = \"home\"\n+++\n")], false);
        assert_eq!(problems[0].message, "the home page has no slug");
        let (urls, problems) =
            urls_of(&[source("content", "_index.md", "+++\nurl = \"/\"\n+++\n")], false);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(urls.page(Path::new("_index.md")), "");
    }

    #[test]
    fn a_partners_page_must_keep_the_url_of_the_page_it_replaces() {
        let files = [
            source("content", "a.md", "+++\nslug = \"b\"\n+++\n"),
            source("partners/acme/content", "a.md", "Partner text\n"),
        ];
        let (_, problems) = urls_of(&files, false);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].path, Path::new("partners/acme/content/a.md"));
        assert_eq!(
            problems[0].message,
            "this page publishes to /a/, but content/a.md at the same path publishes to /b/"
        );
    }
}
