//! Per partner: which pages the site carries, how they nest, the reading order, and
//! the navigation. Built once per partner; each page's view of it (its breadcrumbs,
//! its expanded branch of the sidebar) costs only the size of that view.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::{Diagnostic, Rule};
use crate::model::page::Page;
use crate::model::page::PageKind;
use crate::model::partner::Partner;
use crate::site::personalize::SitePage;
use crate::site::redirects::Redirect;

pub struct SitePlan<'a> {
    pub partner: &'a Partner,
    /// Carried pages in reading order: the home page, then each section followed by its children.
    pub pages: Vec<SitePage<'a>>,
    /// The old URLs of those pages (their `aliases`), each a redirect page to publish.
    pub redirects: Vec<Redirect<'a>>,
    /// Pages the partner carries that this language's site leaves out untranslated:
    /// their URLs lead to the default language's page.
    pub untranslated: Vec<&'a crate::model::page::Page>,
    /// The partner's sites in each of its languages, this one included, for language
    /// switchers and `hreflang` links.
    pub languages: Vec<LanguageSite>,
    /// The language the shared content is written in (`[languages] source`).
    pub source_language: String,
    /// The partner's sites in each of its versions in this language, newest first,
    /// this one included, for the version switcher and the older versions' notice.
    pub versions: Vec<VersionSite>,
    parent: Vec<Option<usize>>,
    children: Vec<Vec<usize>>,
    by_source: HashMap<&'a Path, usize>,
}

/// A link to a page, as templates receive it. `url` is a site URL; templates
/// prefix it with `root` to make it relative to the page being rendered.
#[derive(Debug, Clone, Serialize)]
pub struct PageRef {
    pub title: String,
    pub url: String,
    pub description: Option<String>,
    pub kind: PageKind,
}

/// One entry of the sidebar. Only the current page's branch is expanded, and each
/// level lists at most `NAV_LIMIT` entries (a chunk of `NAV_CHUNK` around the open
/// one, the rest summed up in "more" entries that link to the section page, which
/// lists them all): a page's size does not grow with its section's.
#[derive(Debug, Clone, Serialize)]
pub struct NavItem {
    pub title: String,
    pub url: String,
    pub section: bool,
    /// This is the page being rendered.
    pub current: bool,
    /// This item contains the page being rendered (or is it).
    pub open: bool,
    pub children: Vec<NavItem>,
    /// Not a page but this many pages of the section not listed here; `url` and
    /// `title` are then the section's, whose page lists them all.
    pub more: usize,
}

/// Files livery writes at the root of every site besides the theme's static files.
pub const GENERATED_FILES: [&str; 6] =
    ["sitemap.xml", "robots.txt", "404.html", "search-index.json", "brand.css", "highlight.css"];

/// A level of the sidebar with more entries than this is shown a chunk at a time.
pub const NAV_LIMIT: usize = 30;
/// Entries per chunk: the chunk holding the open entry is listed.
pub const NAV_CHUNK: usize = 20;

/// One of a partner's language sites, as the others see it.
#[derive(Debug, Clone)]
pub struct LanguageSite {
    pub language: String,
    /// Its folder in the partner's site: `""` or `"de/"`.
    pub prefix: String,
    /// The pages it has, by source, when it leaves untranslated pages out; None when it
    /// has every page the partner carries.
    pub only: Option<std::collections::BTreeSet<PathBuf>>,
}

/// One of a partner's version sites (in the language of the site that links to it).
#[derive(Debug, Clone)]
pub struct VersionSite {
    pub version: String,
    /// Its folder in the partner's site: `""`, `"17/"` or `"de/17/"`.
    pub prefix: String,
    /// The URLs of its pages: a page of another version links to its counterpart
    /// where there is one, else to the version's home.
    pub urls: std::collections::HashSet<String>,
}

/// Plans one partner's site from the pages it carries (the home page among them).
pub fn plan<'a>(partner: &'a Partner, carried: Vec<SitePage<'a>>) -> SitePlan<'a> {
    let by_source: HashMap<&Path, usize> =
        carried.iter().enumerate().map(|(i, p)| (p.page.source.as_path(), i)).collect();
    let mut children = vec![Vec::new(); carried.len()];
    let mut roots = Vec::new();
    for (index, site_page) in carried.iter().enumerate() {
        match site_page.page.parent_source().and_then(|parent| by_source.get(parent.as_path())) {
            Some(&parent) => children[parent].push(index),
            None => roots.push(index),
        }
    }
    for list in &mut children {
        list.sort_by(|&a, &b| order_key(&carried[a]).cmp(&order_key(&carried[b])));
    }
    roots.sort_by(|&a, &b| order_key(&carried[a]).cmp(&order_key(&carried[b])));

    // Reading order: depth-first from the home page.
    let mut order = Vec::with_capacity(carried.len());
    let mut stack: Vec<usize> = roots.into_iter().rev().collect();
    while let Some(index) = stack.pop() {
        order.push(index);
        stack.extend(children[index].iter().rev());
    }
    let mut new_index = vec![0; carried.len()];
    for (position, &old) in order.iter().enumerate() {
        new_index[old] = position;
    }
    let mut parent = vec![None; carried.len()];
    let mut reordered_children = vec![Vec::new(); carried.len()];
    for (old, kids) in children.into_iter().enumerate() {
        reordered_children[new_index[old]] = kids.iter().map(|&k| new_index[k]).collect();
        for &kid in &kids {
            parent[new_index[kid]] = Some(new_index[old]);
        }
    }
    drop(by_source);
    let mut slots: Vec<Option<SitePage<'a>>> = carried.into_iter().map(Some).collect();
    let pages: Vec<SitePage<'a>> = order.iter().filter_map(|&i| slots[i].take()).collect();
    let by_source = pages.iter().enumerate().map(|(i, p)| (p.page.source.as_path(), i)).collect();
    let redirects = crate::site::redirects::collect(&pages);
    SitePlan {
        partner,
        pages,
        redirects,
        untranslated: Vec::new(),
        languages: Vec::new(),
        source_language: String::new(),
        versions: Vec::new(),
        parent,
        children: reordered_children,
        by_source,
    }
}

/// Sidebar order: `weight` first (pages without one last), then title.
fn order_key<'p>(site_page: &'p SitePage) -> (i64, String, &'p Path) {
    let page = site_page.page;
    (page.weight.unwrap_or(i64::MAX), site_page.title.to_lowercase(), page.source.as_path())
}

impl<'a> SitePlan<'a> {
    pub fn page(&self, source: &Path) -> Option<&SitePage<'a>> {
        self.by_source.get(source).map(|&i| &self.pages[i])
    }

    pub fn page_ref(&self, index: usize) -> PageRef {
        let site_page = &self.pages[index];
        PageRef {
            title: site_page.title.to_string(),
            url: site_page.page.url.clone(),
            description: site_page.description.as_ref().map(|d| d.to_string()),
            kind: site_page.page.kind,
        }
    }

    pub fn children(&self, index: usize) -> Vec<PageRef> {
        self.children[index].iter().map(|&i| self.page_ref(i)).collect()
    }

    /// From the home page down to the page's parent. The home page is named for the
    /// partner ("Acme Cloud"), not by the shared content's own title.
    pub fn breadcrumbs(&self, index: usize) -> Vec<PageRef> {
        let mut trail = Vec::new();
        let mut current = self.parent[index];
        while let Some(i) = current {
            trail.push(self.page_ref(i));
            current = self.parent[i];
        }
        trail.reverse();
        if let Some(home) = trail.first_mut().filter(|_| self.parent[0].is_none()) {
            home.title.clone_from(&self.partner.name);
        }
        trail
    }

    /// The pages `[home] featured` names, in its order, those the site carries.
    pub fn featured(&self) -> Vec<PageRef> {
        let featured = &self.partner.home.featured;
        featured
            .iter()
            .filter_map(|f| self.by_source.get(Path::new(&f.path)))
            .map(|&i| self.page_ref(i))
            .collect()
    }

    /// `[home] featured` entries that name no page of this site.
    pub fn missing_featured(&self) -> Vec<Diagnostic> {
        // partner.toml names pages of the newest version; an older one lacking them
        // shows the others.
        if self.partner.is_older_version() {
            return Vec::new();
        }
        let path =
            Path::new("partners").join(&self.partner.id).join(crate::model::project::PARTNER_FILE);
        self.partner
            .home
            .featured
            .iter()
            .filter(|f| !self.by_source.contains_key(Path::new(&f.path)))
            .map(|f| {
                Diagnostic::new(&path, format!("home.featured `{}` is not a page of this site", f.path))
                    .at_line(f.line, None)
                    .for_partner(&self.partner.id)
                    .help("give the path of a page under content/ (or the partner's content/) that the partner publishes, e.g. \"playbooks/incident-response.md\"")
            })
            .collect()
    }

    pub fn previous(&self, index: usize) -> Option<PageRef> {
        index.checked_sub(1).filter(|&i| i > 0).map(|i| self.page_ref(i))
    }

    pub fn next(&self, index: usize) -> Option<PageRef> {
        (index > 0 && index + 1 < self.pages.len()).then(|| self.page_ref(index + 1))
    }

    /// Pages of the partner's own content folder that publish to the URL of a shared
    /// page it carries (`url` in front matter). Pages of one folder that meet at a URL
    /// are reported once, when the folder is parsed.
    pub fn duplicate_urls(&self) -> Vec<Diagnostic> {
        let mut by_url: BTreeMap<&str, Vec<&Page>> = BTreeMap::new();
        for site_page in &self.pages {
            by_url.entry(&site_page.page.url).or_default().push(site_page.page);
        }
        let mut problems = Vec::new();
        for same in by_url.values().filter(|same| same.len() > 1) {
            let Some(own) = same.iter().find(|p| p.origin != same[0].origin) else { continue };
            let shared = same.iter().find(|p| p.origin != own.origin).unwrap_or(&same[0]);
            problems.push(
                Diagnostic::new(
                    own.display_path(),
                    format!(
                        "this page and {} both publish to /{}",
                        shared.display_path().display(),
                        own.url
                    ),
                )
                .rule(Rule::DuplicateUrl)
                .for_partner(&self.partner.id)
                .help("give the partner's page another `url`, or put it at the shared page's path to replace it"),
            );
        }
        problems
    }

    /// Pages whose URL begins with the folder of another of the partner's sites (a
    /// language other than the default, a version other than the newest): one would
    /// overwrite the other.
    pub fn in_other_sites_folder(&self) -> Vec<Diagnostic> {
        let partner = self.partner;
        let languages = partner.languages.iter().skip(1).map(|l| (l, "language"));
        let versions = partner.versions.iter().skip(1).map(|v| (v, "version"));
        let folders: Vec<(&String, &str)> = languages.chain(versions).collect();
        if folders.is_empty() {
            return Vec::new();
        }
        self.pages
            .iter()
            .filter_map(|site_page| {
                let page = site_page.page;
                let first = page.url.split('/').next()?;
                let (name, kind) = folders.iter().find(|(name, _)| name.as_str() == first)?;
                Some(
                    Diagnostic::new(
                        page.display_path(),
                        format!(
                            "this page publishes to /{}, inside /{name}/, where {kind} {name} of the site is published",
                            page.url
                        ),
                    )
                    .rule(Rule::DuplicateUrl)
                    .for_partner(&partner.id)
                    .help(format!("move the page, or give it another `url`, so its URL does not start with {name}/")),
                )
            })
            .collect()
    }

    /// Content files (site path, file on disk) in the way of a page: a file where a
    /// page's folder or `index.html` goes, or where livery writes its own files.
    pub fn collisions(&self, assets: &[(PathBuf, PathBuf)], root: &Path) -> Vec<Diagnostic> {
        if assets.is_empty() {
            return Vec::new();
        }
        // The asset paths some page's index.html (or a folder above it) also needs.
        let asset_paths: std::collections::HashSet<String> =
            assets.iter().map(|(p, _)| crate::support::urls::path_to_file(p)).collect();
        let mut taken: HashMap<String, &Page> = HashMap::new();
        for site_page in &self.pages {
            let output = crate::support::urls::output_path(&site_page.page.url);
            let mut path = output.as_str();
            loop {
                if asset_paths.contains(path) {
                    taken.entry(path.to_owned()).or_insert(site_page.page);
                }
                let Some((parent, _)) = path.rsplit_once('/') else { break };
                path = parent;
            }
        }
        let mut problems = Vec::new();
        for (site_path, file) in assets {
            let site_path = crate::support::urls::path_to_file(site_path);
            let shown = file.strip_prefix(root).unwrap_or(file);
            let other = match taken.get(&site_path) {
                Some(page) => format!("the page {}", page.display_path().display()),
                None if GENERATED_FILES.contains(&site_path.as_str()) => {
                    "the file livery generates there".to_owned()
                }
                None => continue,
            };
            problems.push(
                Diagnostic::new(
                    shown,
                    format!("this file and {other} both publish to /{site_path}"),
                )
                .rule(Rule::DuplicateUrl)
                .help(
                    "rename or move the file (a page's folder and index.html belong to the page)",
                ),
            );
        }
        problems
    }

    /// The sidebar as seen from page `index` (None for pages outside the tree, like 404).
    pub fn nav(&self, index: Option<usize>) -> Vec<NavItem> {
        let mut open = vec![];
        let mut current = index;
        while let Some(i) = current {
            open.push(i);
            current = self.parent[i];
        }
        if self.pages.is_empty() {
            return vec![];
        }
        self.nav_level(0, index, &open)
    }

    /// The children of `parent`, a chunk of them if they are many.
    fn nav_level(&self, parent: usize, current: Option<usize>, open: &[usize]) -> Vec<NavItem> {
        let list = &self.children[parent];
        let (start, end) = if list.len() <= NAV_LIMIT {
            (0, list.len())
        } else {
            let position = list.iter().position(|i| open.contains(i)).unwrap_or(0);
            let start = position / NAV_CHUNK * NAV_CHUNK;
            (start, (start + NAV_CHUNK).min(list.len()))
        };
        let more = |count: usize| NavItem {
            title: self.pages[parent].title.to_string(),
            url: self.pages[parent].page.url.clone(),
            section: false,
            current: false,
            open: false,
            children: vec![],
            more: count,
        };
        let mut items = Vec::with_capacity(end - start + 2);
        if start > 0 {
            items.push(more(start));
        }
        items.extend(list[start..end].iter().map(|&i| self.nav_item(i, current, open)));
        if end < list.len() {
            items.push(more(list.len() - end));
        }
        items
    }

    fn nav_item(&self, i: usize, current: Option<usize>, open: &[usize]) -> NavItem {
        let site_page = &self.pages[i];
        let page = site_page.page;
        let is_open = open.contains(&i);
        NavItem {
            title: site_page.title.to_string(),
            url: page.url.clone(),
            section: page.kind == PageKind::Section,
            current: current == Some(i),
            open: is_open,
            children: if is_open { self.nav_level(i, current, open) } else { vec![] },
            more: 0,
        }
    }
}
