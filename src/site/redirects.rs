//! Per partner: the old URLs its site redirects (front matter `aliases` of the pages it
//! carries), and what stands in their way. A page the partner does not carry gives it no
//! redirect, and an alias is checked against that partner's site only: a partner whose
//! own page sits at `/old/` keeps it, while the others redirect `/old/` to the page that
//! names it. Whether an alias is a path at all was settled when it was parsed
//! (`parse::aliases`).

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::error::{Diagnostic, Rule};
use crate::model::page::Located;
use crate::model::page::Page;
use crate::site::personalize::SitePage;
use crate::site::plan::SitePlan;
use crate::support::urls;

/// One redirect page of a site: the old URL, and the page it leads to.
#[derive(Debug, Clone)]
pub struct Redirect<'a> {
    /// The alias as resolved: a site URL such as `old/path/` or `legacy.html`.
    pub alias: &'a Located<String>,
    /// The page it leads to, by its index in the plan's pages.
    pub to: usize,
}

impl Redirect<'_> {
    pub fn from(&self) -> &str {
        &self.alias.value
    }
}

/// Every alias of the pages in `pages` (a plan's, in reading order).
pub fn collect<'a>(pages: &[SitePage<'a>]) -> Vec<Redirect<'a>> {
    pages
        .iter()
        .enumerate()
        .flat_map(|(to, p)| p.page.aliases.iter().map(move |alias| Redirect { alias, to }))
        .collect()
}

/// Aliases that cannot be published in `plan`'s site: the URL of one of its pages, one
/// claimed by two of its pages, or a path where the site has a file (or needs a folder).
/// `files` are the site paths of every other file the site publishes (livery's own,
/// the theme's and partner's static files, content files).
pub fn problems<'f>(plan: &SitePlan, files: impl Iterator<Item = &'f str>) -> Vec<Diagnostic> {
    if plan.redirects.is_empty() {
        return Vec::new();
    }
    let pages: HashMap<&str, &Page> =
        plan.pages.iter().map(|p| (p.page.url.as_str(), p.page)).collect();
    let mut taken = Taken::default();
    for file in files {
        taken.insert(file.to_owned());
    }
    for page in plan.pages.iter() {
        taken.insert(urls::output_path(&page.page.url));
    }
    // The first claim by file and position keeps the alias; later ones are reported.
    let mut claims: Vec<&Redirect> = plan.redirects.iter().collect();
    claims.sort_by_key(|r| (plan.pages[r.to].page.display_path(), r.alias.line, r.alias.column));
    let mut claimed: BTreeMap<&str, &Redirect> = BTreeMap::new();
    let mut problems = Vec::new();
    for redirect in claims {
        let page = plan.pages[redirect.to].page;
        let from = redirect.from();
        let problem = if let Some(other) = pages.get(from) {
            Some((
                format!("the alias /{from} is the URL of {}", describe(other)),
                "remove the alias, or move that page: a redirect there would replace it".to_owned(),
            ))
        } else if let Some(first) = claimed.get(from) {
            let first_page = plan.pages[first.to].page;
            let same_page = first.to == redirect.to;
            Some((
                if same_page {
                    format!("the alias /{from} is written twice for this page")
                } else {
                    format!(
                        "the alias /{from} is also claimed by {}:{}:{}",
                        first_page.display_path().display(),
                        first.alias.line,
                        first.alias.column
                    )
                },
                if same_page {
                    "remove one of them".to_owned()
                } else {
                    "keep it on the one page old links should lead to".to_owned()
                },
            ))
        } else {
            taken.blocking(&urls::output_path(from)).map(|file| {
                (
                    format!("the alias /{from} needs a place where the site publishes /{file}"),
                    "remove the alias, or rename the file; a redirect page cannot share its path"
                        .to_owned(),
                )
            })
        };
        match problem {
            Some((message, help)) => problems.push(
                Diagnostic::new(page.display_path(), message)
                    .at_line(redirect.alias.line, Some(redirect.alias.column))
                    .rule(Rule::DuplicateUrl)
                    .help(help),
            ),
            None => {
                claimed.insert(from, redirect);
                taken.insert(urls::output_path(from));
            }
        }
    }
    problems
}

/// How a page is named in a message: its file, or its folder when it has none.
fn describe(page: &Page) -> String {
    if page.text_hash == 0 {
        let folder = page.display_path().parent().map(|p| p.display().to_string());
        format!("the section {}/", folder.unwrap_or_default())
    } else {
        format!("the page {}", page.display_path().display())
    }
}

/// The files of a site and the folders they need.
#[derive(Default)]
struct Taken {
    files: HashSet<String>,
    folders: HashSet<String>,
}

impl Taken {
    fn insert(&mut self, file: String) {
        let mut folder = file.as_str();
        while let Some((parent, _)) = folder.rsplit_once('/') {
            if !self.folders.insert(parent.to_owned()) {
                break;
            }
            folder = parent;
        }
        self.files.insert(file);
    }

    /// The file (or a file inside the folder) in the way of writing `file`.
    fn blocking(&self, file: &str) -> Option<String> {
        if self.files.contains(file) {
            return Some(file.to_owned());
        }
        if self.folders.contains(file) {
            let inside = self.files.iter().filter(|f| f.starts_with(&format!("{file}/"))).min();
            return inside.cloned();
        }
        let mut folder = file;
        while let Some((parent, _)) = folder.rsplit_once('/') {
            if self.files.contains(parent) {
                return Some(parent.to_owned());
            }
            folder = parent;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_in_the_way_of_its_own_path_and_of_folders_below_it() {
        let mut taken = Taken::default();
        taken.insert("sitemap.xml".to_owned());
        taken.insert("img/logo.svg".to_owned());
        assert_eq!(taken.blocking("sitemap.xml/index.html").as_deref(), Some("sitemap.xml"));
        assert_eq!(taken.blocking("img/logo.svg").as_deref(), Some("img/logo.svg"));
        assert_eq!(taken.blocking("img").as_deref(), Some("img/logo.svg"));
        assert_eq!(taken.blocking("img/old/index.html"), None);
        assert_eq!(taken.blocking("old.html"), None);
    }
}
