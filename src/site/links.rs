//! The one link checker: every relative link a page makes must reach a page the
//! partner's site carries (and an anchor on it), or a file that exists.

use std::collections::BTreeSet;
use std::path::PathBuf;

use crate::error::{Diagnostic, Rule};
use crate::model::content::Link;
use crate::model::content::LinkTarget;
use crate::model::project::LinkPolicy;
use crate::site::personalize::SitePage;
use crate::site::plan::SitePlan;

/// What a link may point at besides the partner's own pages.
pub struct Known<'a> {
    /// Every page path of the project, to tell "not carried by this partner" from "missing".
    pub pages: &'a BTreeSet<PathBuf>,
    /// The partner's content files besides pages.
    pub assets: &'a BTreeSet<PathBuf>,
    /// Pages that did not parse: their own error says what is wrong; a link to one is
    /// not broken for that reason.
    pub unparsed: &'a BTreeSet<PathBuf>,
}

/// A broken link: what is wrong, what to do, and whether only this partner is affected.
struct Problem {
    rule: Rule,
    message: String,
    help: String,
    partner_only: bool,
}

/// Checks the links of every page in `plan`.
pub fn check(plan: &SitePlan, known: &Known, policy: LinkPolicy) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for site_page in &plan.pages {
        for link in &site_page.content.links {
            let Some(problem) = problem(plan, site_page, link, known) else { continue };
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

fn problem(plan: &SitePlan, page: &SitePage, link: &Link, known: &Known) -> Option<Problem> {
    let target = &link.target;
    let everywhere =
        |rule, message: String, help: String| Problem { rule, message, help, partner_only: false };
    match target {
        LinkTarget::Anchor(anchor) => missing_anchor(page, anchor),
        LinkTarget::Page { path, anchor } => match plan.page(path) {
            Some(target_page) => anchor.as_deref().and_then(|a| missing_anchor(target_page, a)),
            None if known.unparsed.contains(path) => None,
            None if known.pages.contains(path) => {
                let id = &plan.partner.id;
                Some(Problem {
                    rule: Rule::NotCarried,
                    message: format!("partner `{id}` does not carry content/{}", path.display()),
                    help: format!(
                        "the page is left out for this partner (front matter `partners`/`exclude_partners`, or \
                         [content] in partners/{id}/partner.toml); remove the link, or wrap it in \
                         {{% if partner.id != \"{id}\" %}}…{{% endif %}}"
                    ),
                    partner_only: true,
                })
            }
            None => Some(everywhere(
                Rule::BrokenLink,
                format!("there is no page content/{}", path.display()),
                "fix the path; links are relative to the file they are written in".into(),
            )),
        },
        LinkTarget::File(path) if known.assets.contains(path) => None,
        LinkTarget::External => None,
        LinkTarget::File(path) => Some(everywhere(
            Rule::MissingFile,
            format!("there is no file content/{}", path.display()),
            "add the file under content/, or fix the path".into(),
        )),
        LinkTarget::OutsideContent => Some(everywhere(
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

fn missing_anchor(target: &SitePage, anchor: &str) -> Option<Problem> {
    let anchors = &target.content.anchors;
    if anchor.is_empty() || anchor == "top" || anchors.iter().any(|a| a == anchor) {
        return None;
    }
    let message = format!("{} has no heading `#{anchor}`", target.page.display_path().display());
    let lowercase = anchor.to_lowercase();
    let closest = anchors
        .iter()
        .map(|known| (strsim::jaro_winkler(anchor, known), known))
        .filter(|(similarity, _)| *similarity > 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    let help = if anchors.contains(&lowercase) {
        format!("anchors are case-sensitive in browsers: write #{lowercase}")
    } else if let Some((_, known)) = closest {
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
