//! The one link checker: every relative link a page makes must reach a page the
//! site carries (and an anchor on it), or a file that exists.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::config::LinkPolicy;
use crate::error::Diagnostic;
use crate::markdown::LinkTarget;
use crate::page::Page;
use crate::plan::SitePlan;

/// Checks the links of every page in `plan`. `assets` are the content files besides pages.
pub fn check(plan: &SitePlan, assets: &BTreeSet<PathBuf>, policy: LinkPolicy) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for page in &plan.pages {
        for link in &page.content.links {
            let Some((message, help)) = problem(plan, page, &link.target, assets) else { continue };
            let diagnostic = Diagnostic::new(
                page.display_path(),
                format!("broken link `{}`: {message}", link.written),
            )
            .at_line(link.line, Some(link.column))
            .help(help);
            problems.push(if policy == LinkPolicy::Warn {
                diagnostic.warning()
            } else {
                diagnostic
            });
        }
    }
    problems
}

fn problem(
    plan: &SitePlan,
    page: &Page,
    target: &LinkTarget,
    assets: &BTreeSet<PathBuf>,
) -> Option<(String, String)> {
    match target {
        LinkTarget::Anchor(anchor) => missing_anchor(page, anchor),
        LinkTarget::Page { path, anchor } => match plan.page(path) {
            Some(target_page) => anchor.as_deref().and_then(|a| missing_anchor(target_page, a)),
            None => Some((
                format!("there is no page content/{}", path.display()),
                "fix the path; links are relative to the file they are written in".into(),
            )),
        },
        LinkTarget::File(path) if assets.contains(path) => None,
        LinkTarget::File(path) => Some((
            format!("there is no file content/{}", path.display()),
            "add the file under content/, or fix the path".into(),
        )),
        LinkTarget::OutsideContent => Some((
            "it leads outside the content folder".into(),
            "link to pages and files inside content/".into(),
        )),
    }
}

fn missing_anchor(page: &Page, anchor: &str) -> Option<(String, String)> {
    if anchor.is_empty() || anchor == "top" || page.content.anchors.iter().any(|a| a == anchor) {
        return None;
    }
    let message =
        format!("{} has no heading `#{anchor}`", Path::new("content").join(&page.source).display());
    let lowercase = anchor.to_lowercase();
    if page.content.anchors.contains(&lowercase) {
        return Some((
            message,
            format!("anchors are case-sensitive in browsers: write #{lowercase}"),
        ));
    }
    let closest = page
        .content
        .anchors
        .iter()
        .map(|known| (strsim::jaro_winkler(anchor, known), known))
        .filter(|(similarity, _)| *similarity > 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    let help = match closest {
        Some((_, known)) => format!("did you mean #{known}?"),
        None if page.content.anchors.is_empty() => {
            "the page has no headings: remove the #anchor".to_owned()
        }
        None => {
            let known: Vec<&str> =
                page.content.anchors.iter().map(String::as_str).take(8).collect();
            format!("use one of its heading ids: {}", known.join(", "))
        }
    };
    Some((message, help))
}
