//! The one link checker: every link a page makes into its site must reach a page the
//! partner's site carries (and an anchor on it), or a file that exists. Relative links
//! were resolved against the page's file when it was parsed; links from the site root
//! (`/docs/add-runbook/`) are resolved here, against the partner's whole site.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Component, Path, PathBuf};

use crate::error::{Diagnostic, Rule};
use crate::model::content::Link;
use crate::model::content::LinkTarget;
use crate::model::project::LinkPolicy;
use crate::site::personalize::SitePage;
use crate::site::plan::SitePlan;
use crate::support::urls;

/// What a link may point at besides the partner's own pages.
pub struct Known<'a> {
    /// Every page path of the project, to tell "not carried by this partner" from "missing".
    pub pages: &'a BTreeSet<PathBuf>,
    /// Every page path of the project by the URL it publishes to: a link from the site
    /// root may be written as the URL (`/runbooks/kubepodcrashlooping/`).
    pub urls: &'a BTreeMap<String, PathBuf>,
    /// Where a link from the site root leads: what its href was made from.
    pub page_urls: &'a crate::model::url_map::UrlMap,
    /// The partner's content files besides pages.
    pub assets: &'a BTreeSet<PathBuf>,
    /// Site paths of the files the partner's site has besides content: the theme's and
    /// the partner's static files, and the files livery generates (`brand.css`).
    pub statics: &'a BTreeSet<String>,
    /// Pages that did not parse: their own error says what is wrong; a link to one is
    /// not broken for that reason.
    pub unparsed: &'a BTreeSet<PathBuf>,
    /// The shared content folder of the site's version, as messages name it (`content`,
    /// `versions/17/content`).
    pub content_dir: &'a std::path::Path,
}

/// A broken link: what is wrong, what to do, and whether only this partner is affected.
struct Problem {
    rule: Rule,
    message: String,
    help: String,
    partner_only: bool,
}

impl Problem {
    fn everywhere(rule: Rule, message: String, help: String) -> Problem {
        Problem { rule, message, help, partner_only: false }
    }
}

/// Checks the links of every page in `plan`.
pub fn check(plan: &SitePlan, known: &Known, policy: LinkPolicy) -> Vec<Diagnostic> {
    let by_url = plan.pages.iter().map(|p| (p.page.url.as_str(), p)).collect();
    let checker = Checker { plan, by_url, known };
    let mut problems = Vec::new();
    for site_page in &plan.pages {
        for link in &site_page.content.links {
            let Some(problem) = checker.problem(site_page, link) else { continue };
            let mut diagnostic = Diagnostic::new(
                site_page.page.display_path(),
                format!("broken link `{}`: {}", link.written, problem.message),
            )
            .at_line(link.line, Some(link.column))
            .rule(problem.rule)
            .help(problem.help);
            if problem.partner_only {
                diagnostic = diagnostic.for_partner(&plan.partner.id);
            }
            problems.push(if policy == LinkPolicy::Warn {
                diagnostic.warning()
            } else {
                diagnostic
            });
        }
    }
    problems
}

/// How a link was written, so that a suggestion is written the same way.
#[derive(Clone, Copy)]
enum Written<'p> {
    /// Relative to the file of the page at this path.
    From(&'p Path),
    /// From the site root.
    Root,
}

impl Written<'_> {
    /// How to write a link to the page at `path`.
    fn link_to(self, path: &Path, anchor: &Option<String>) -> String {
        let mut written = match self {
            Written::From(source) => relative_path(source.parent().unwrap_or(Path::new("")), path),
            Written::Root => format!("/{}", urls::page_url(path)),
        };
        if let Some(anchor) = anchor {
            written.push('#');
            written.push_str(anchor);
        }
        written
    }
}

struct Checker<'a, 'p> {
    plan: &'a SitePlan<'p>,
    /// The partner's pages by URL.
    by_url: HashMap<&'a str, &'a SitePage<'p>>,
    known: &'a Known<'a>,
}

impl Checker<'_, '_> {
    fn problem(&self, page: &SitePage, link: &Link) -> Option<Problem> {
        let written = Written::From(&page.page.source);
        match &link.target {
            LinkTarget::Anchor(anchor) => missing_anchor(page, anchor),
            LinkTarget::Page { path, anchor } => match self.plan.page(path) {
                Some(target) => anchor.as_deref().and_then(|a| missing_anchor(target, a)),
                None => self.absent_page(path, anchor, written),
            },
            LinkTarget::Root { path, anchor } => self.root_problem(path, anchor),
            LinkTarget::File(path) if self.known.assets.contains(path) => None,
            LinkTarget::External => None,
            LinkTarget::File(path) => self.html_for_page(path, written).or_else(|| {
                Some(Problem::everywhere(
                    Rule::MissingFile,
                    format!("there is no file {}", self.known.content_dir.join(path).display()),
                    "add the file under content/, or fix the path".into(),
                ))
            }),
            LinkTarget::OutsideContent => Some(Problem::everywhere(
                // An image or download outside content/ is a missing file of the site.
                if link.written.split(['#', '?']).next().unwrap_or_default().ends_with(".md") {
                    Rule::BrokenLink
                } else {
                    Rule::MissingFile
                },
                "it leads outside the content folder".into(),
                "link to pages and files inside content/".into(),
            )),
        }
    }

    /// A page of the project this partner's site does not have: not carried, not
    /// parsed (reported already), or not there at all.
    fn absent_page(
        &self,
        path: &Path,
        anchor: &Option<String>,
        written: Written,
    ) -> Option<Problem> {
        if self.known.unparsed.contains(path) {
            return None;
        }
        // Untranslated in this language: its URL leads to the default language's page.
        if self.plan.untranslated.iter().any(|page| page.source == path) {
            return None;
        }
        if self.known.pages.contains(path) {
            let id = &self.plan.partner.id;
            return Some(Problem {
                rule: Rule::NotCarried,
                message: format!(
                    "partner `{id}` does not carry {}",
                    self.known.content_dir.join(path).display()
                ),
                help: format!(
                    "the page is left out for this partner (front matter `partners`/`exclude_partners`, or \
                     [content] in partners/{id}/partner.toml); remove the link, or wrap it in \
                     {{% if partner.id != \"{id}\" %}}…{{% endif %}}"
                ),
                partner_only: true,
            });
        }
        let help = match nearest_page(path, self.known.pages) {
            Some(near) => format!("did you mean [..]({})?", written.link_to(near, anchor)),
            None => match written {
                Written::From(_) => {
                    "fix the path; links are relative to the file they are written in".into()
                }
                Written::Root => ROOT_HELP.into(),
            },
        };
        Some(Problem::everywhere(
            Rule::BrokenLink,
            format!("there is no page {}", self.known.content_dir.join(path).display()),
            help,
        ))
    }

    /// A link from the site root: a page by its URL or its path (with or without `.md`,
    /// `x.md` or `x/_index.md`), a content file, or a file of the theme or partner.
    fn root_problem(&self, path: &str, anchor: &Option<String>) -> Option<Problem> {
        let (folder, extension) = urls::root_form(path);
        let pages = urls::root_page_paths(folder, extension);
        // By the URL its href leads to first: a page's path, or its chosen URL.
        let url = self.known.page_urls.root(path);
        let carried = (!pages.is_empty()).then(|| self.by_url.get(url.as_str()).copied()).flatten();
        let carried = carried.or_else(|| pages.iter().find_map(|p| self.plan.page(p)));
        if let Some(target) = carried {
            return anchor.as_deref().and_then(|a| missing_anchor(target, a));
        }
        let elsewhere = (!pages.is_empty()).then(|| self.known.urls.get(&url)).flatten();
        let elsewhere = elsewhere.or_else(|| {
            pages.iter().find(|p| self.known.pages.contains(*p) || self.known.unparsed.contains(*p))
        });
        if let Some(path) = elsewhere {
            return self.absent_page(path, anchor, Written::Root);
        }
        let statics = self.known.statics;
        let is_file = self.known.assets.contains(Path::new(folder)) || statics.contains(folder);
        // A folder of static files is served by its index.html.
        if is_file || extension.is_none() && statics.contains(&format!("{folder}/index.html")) {
            return None;
        }
        if let Some(problem) = self.html_for_page(Path::new(folder), Written::Root) {
            return Some(problem);
        }
        if pages.is_empty() {
            return Some(Problem::everywhere(
                Rule::MissingFile,
                format!("there is no file /{folder} in this partner's site"),
                format!(
                    "add it under content/, or to the static/ folder of the theme or the partner; {ROOT_HELP}"
                ),
            ));
        }
        self.absent_page(&pages[0], anchor, Written::Root)
    }

    /// A link to `x.html` where `x.md` (or `x/_index.md`) is a page: the page is
    /// published as `x/`, and its link is written to the `.md` file.
    fn html_for_page(&self, path: &Path, written: Written) -> Option<Problem> {
        let extension = path.extension()?;
        if extension != "html" && extension != "htm" {
            return None;
        }
        let stem = path.with_extension("");
        let stem = urls::path_to_file(&stem);
        let page = urls::root_page_paths(&stem, None)
            .into_iter()
            .find(|p| self.known.pages.contains(p))?;
        Some(Problem::everywhere(
            Rule::BrokenLink,
            format!(
                "there is no file {}; {} is a page",
                path.display(),
                self.known.content_dir.join(&page).display()
            ),
            format!("did you mean [..]({})?", written.link_to(&page, &None)),
        ))
    }
}

const ROOT_HELP: &str = "a link starting with / reaches a page or file of the partner's site, \
    whatever its base path; write https://… for a page of another site";

/// The project's page nearest to a missing one: `x/_index.md` for `x.md` (and back),
/// the same path in another case, the one page of that name in another folder, or a
/// page of the same folder whose name is a typo away.
fn nearest_page<'k>(wanted: &Path, pages: &'k BTreeSet<PathBuf>) -> Option<&'k Path> {
    // Pages and sections alike by their path's URL: `a/b.md`, `a/b/_index.md` → `a/b`.
    let name_of = |path: &Path| {
        let url = urls::page_url(path);
        let url = url.trim_end_matches('/').to_owned();
        match url.rsplit_once('/') {
            Some((folder, name)) => (folder.to_owned(), name.to_owned()),
            None => (String::new(), url),
        }
    };
    let (folder, name) = name_of(wanted);
    let named: Vec<((String, String), &Path)> =
        pages.iter().map(|p| (name_of(p), p.as_path())).collect();
    let exact = |(f, n): &(String, String)| *f == folder && *n == name;
    if let Some((_, twin)) = named.iter().find(|(key, _)| exact(key)) {
        return Some(twin);
    }
    let lower = (folder.to_lowercase(), name.to_lowercase());
    let same_case =
        |(f, n): &(String, String)| f.to_lowercase() == lower.0 && n.to_lowercase() == lower.1;
    if let Some((_, page)) = named.iter().find(|(key, _)| same_case(key)) {
        return Some(page);
    }
    let moved: Vec<&Path> =
        named.iter().filter(|((_, n), _)| *n == name).map(|(_, p)| *p).collect();
    if let [page] = moved[..] {
        return Some(page);
    }
    let beside = named.iter().filter(|((f, _), _)| *f == folder);
    closest(&name, beside.map(|((_, n), page)| (n.as_str(), *page)))
}

/// The candidate most like `wanted`, if any is close enough to be a typo of it.
fn closest<'k, T>(wanted: &str, candidates: impl Iterator<Item = (&'k str, T)>) -> Option<T> {
    candidates
        .map(|(known, value)| (strsim::jaro_winkler(wanted, known), value))
        .filter(|(similarity, _)| *similarity > 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, value)| value)
}

/// The way from folder `from` to `to`, both content-relative: `a/b`, `a/c.md` → `../c.md`.
fn relative_path(from: &Path, to: &Path) -> String {
    let from: Vec<Component> = from.components().collect();
    let to_parts: Vec<Component> = to.components().collect();
    let shared = from.iter().zip(&to_parts).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_owned(); from.len() - shared];
    parts.extend(to_parts[shared..].iter().map(|c| c.as_os_str().to_string_lossy().into_owned()));
    parts.join("/")
}

fn missing_anchor(target: &SitePage, anchor: &str) -> Option<Problem> {
    let anchors = &target.content.anchors;
    if anchor.is_empty() || anchor == "top" || anchors.iter().any(|a| a == anchor) {
        return None;
    }
    let message = format!("{} has no heading `#{anchor}`", target.page.display_path().display());
    let lowercase = anchor.to_lowercase();
    let closest = closest(anchor, anchors.iter().map(|known| (known.as_str(), known)));
    let help = if anchors.contains(&lowercase) {
        format!("anchors are case-sensitive in browsers: write #{lowercase}")
    } else if let Some(known) = closest {
        format!("did you mean #{known}?")
    } else if anchors.is_empty() {
        "the page has no headings: remove the #anchor".to_owned()
    } else {
        let known: Vec<&str> = anchors.iter().map(String::as_str).take(8).collect();
        format!("use one of its heading ids: {}", known.join(", "))
    };
    // A template can make an anchor exist for some partners only.
    let partner_only = matches!(target.content, std::borrow::Cow::Owned(_));
    Some(Problem { rule: Rule::BrokenAnchor, message, help, partner_only })
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::*;
    use crate::model::page::{Body, Page, SourceFile};
    use crate::model::partner::tests::partner;
    use crate::parse::highlight::Highlighter;

    /// The problems of a site made of `files` (content path, text), of which the
    /// partner carries those `carried` keeps, with `statics` and `assets` beside them.
    fn problems_of(
        files: &[(&str, &str)],
        carried: impl Fn(&str) -> bool,
        statics: &[&str],
        assets: &[&str],
    ) -> Vec<Diagnostic> {
        let highlighter = Highlighter::new();
        let pages: Vec<Page> = files
            .iter()
            .map(|(path, text)| {
                let file = SourceFile {
                    origin: "content".into(),
                    path: path.into(),
                    text: (*text).into(),
                    language: None,
                };
                let urls = crate::model::url_map::UrlMap::default();
                crate::parse::page::parse(&file, &highlighter, &urls).expect("parses")
            })
            .collect();
        let partner = partner("acme");
        let site_pages = pages
            .iter()
            .filter(|p| carried(&urls::path_to_file(&p.source)))
            .map(|page| {
                let Body::Converted(content) = &page.body else { panic!("templated") };
                SitePage {
                    page,
                    fallback: false,
                    title: Cow::Borrowed(&page.title),
                    description: None,
                    content: Cow::Borrowed(content),
                }
            })
            .collect();
        let plan = crate::site::plan::plan(&partner, site_pages);
        let sources = pages.iter().map(|p| p.source.clone()).collect();
        let by_url = pages.iter().map(|p| (p.url.clone(), p.source.clone())).collect();
        let statics = statics.iter().map(|s| s.to_string()).collect();
        let assets = assets.iter().map(PathBuf::from).collect();
        let known = Known {
            pages: &sources,
            urls: &by_url,
            page_urls: &crate::model::url_map::UrlMap::default(),
            assets: &assets,
            statics: &statics,
            unparsed: &BTreeSet::new(),
            content_dir: std::path::Path::new("content"),
        };
        check(&plan, &known, LinkPolicy::Error)
    }

    fn all(_: &str) -> bool {
        true
    }

    const TREE: [(&str, &str); 4] = [
        ("_index.md", "Home"),
        ("docs/add-runbook.md", "# Add a runbook\n\n## Steps\n"),
        ("runbooks/_index.md", "Runbooks"),
        ("runbooks/x.md", "## Fire\n"),
    ];

    fn with_page(text: &str) -> Vec<(&str, &str)> {
        let mut files = TREE.to_vec();
        files.push(("docs/a.md", text));
        files
    }

    #[test]
    fn root_links_reach_pages_and_sections_with_or_without_md_or_slash() {
        let page = with_page(
            "[a](/docs/add-runbook) [b](/docs/add-runbook/) [c](/docs/add-runbook.md#steps)\n\
             [d](/runbooks/) [e](/runbooks) [f](/runbooks/x/#fire) [g](/) [h](/runbooks/_index.md)\n",
        );
        let problems = problems_of(&page, all, &[], &[]);
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn a_missing_root_link_is_broken_at_its_line_with_a_suggestion() {
        let problems =
            problems_of(&with_page("Intro\n\nSee [it](/docs/add-runbok).\n"), all, &[], &[]);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].location(), "content/docs/a.md:3:5");
        assert_eq!(problems[0].rule, Some(Rule::BrokenLink));
        assert_eq!(
            problems[0].message,
            "broken link `/docs/add-runbok`: there is no page content/docs/add-runbok.md"
        );
        assert_eq!(problems[0].help.as_deref(), Some("did you mean [..](/docs/add-runbook/)?"));
    }

    #[test]
    fn a_root_link_to_a_page_not_carried_is_the_partners_problem() {
        let problems =
            problems_of(&with_page("[x](/runbooks/x/)"), |path| path != "runbooks/x.md", &[], &[]);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].rule, Some(Rule::NotCarried));
        assert_eq!(problems[0].partner.as_deref(), Some("acme"));
    }

    #[test]
    fn a_root_link_to_a_missing_anchor_is_a_broken_anchor() {
        let problems = problems_of(&with_page("[x](/runbooks/x/#fyre)"), all, &[], &[]);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].rule, Some(Rule::BrokenAnchor));
        assert_eq!(problems[0].help.as_deref(), Some("did you mean #fire?"));
    }

    #[test]
    fn root_links_to_files_of_the_site_pass_and_others_are_missing() {
        let page = with_page(
            "[a](/brand.css) [b](/logo.svg) [c](/img/x.png) [d](/downloads/) [e](/nope.css)",
        );
        let statics = ["brand.css", "logo.svg", "downloads/index.html"];
        let problems = problems_of(&page, all, &statics, &["img/x.png"]);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].rule, Some(Rule::MissingFile));
        assert_eq!(
            problems[0].message,
            "broken link `/nope.css`: there is no file /nope.css in this partner's site"
        );
    }

    #[test]
    fn html_links_to_pages_suggest_the_md_file() {
        let page =
            with_page("[a](add-runbook.html) [b](/docs/add-runbook.html) [c](../runbooks.html)");
        let problems = problems_of(&page, all, &[], &[]);
        let helps: Vec<_> = problems.iter().map(|p| p.help.as_deref().unwrap_or("")).collect();
        assert_eq!(
            helps,
            [
                "did you mean [..](add-runbook.md)?",
                "did you mean [..](/docs/add-runbook/)?",
                "did you mean [..](../runbooks/_index.md)?"
            ]
        );
        assert!(problems.iter().all(|p| p.rule == Some(Rule::BrokenLink)));
    }

    #[test]
    fn md_links_with_a_wrong_case_or_a_typo_suggest_the_page() {
        let page = with_page(
            "[a](Add-Runbook.md#steps) [b](../runbooks/zebra-crossing.md) [c](add-runbok.md)",
        );
        let problems = problems_of(&page, all, &[], &[]);
        let helps: Vec<_> = problems.iter().map(|p| p.help.as_deref().unwrap_or("")).collect();
        assert_eq!(
            helps,
            [
                "did you mean [..](add-runbook.md#steps)?",
                "fix the path; links are relative to the file they are written in",
                "did you mean [..](add-runbook.md)?"
            ]
        );
    }

    #[test]
    fn a_link_to_x_md_suggests_the_section_x() {
        let problems = problems_of(&with_page("[a](../runbooks.md)"), all, &[], &[]);
        assert_eq!(problems[0].help.as_deref(), Some("did you mean [..](../runbooks/_index.md)?"));
    }

    #[test]
    fn relative_paths_climb_to_the_shared_folder() {
        assert_eq!(relative_path(Path::new("a/b"), Path::new("a/c.md")), "../c.md");
        assert_eq!(relative_path(Path::new(""), Path::new("a/c.md")), "a/c.md");
        assert_eq!(relative_path(Path::new("a"), Path::new("a/c.md")), "c.md");
    }
}
