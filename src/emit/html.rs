//! One partner's site, rendered in memory: every page through its tera template (in
//! parallel with rayon), the 404 page, sitemap, robots.txt, brand stylesheet, and the
//! static and content files to copy.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::PathBuf;

use rayon::prelude::*;
use serde::Serialize;

use crate::emit::theme::ROOT_MARK;
use crate::emit::theme::Theme;
use crate::error::Diagnostic;
use crate::load::i18n::UiStrings;
use crate::load::theme::StaticSource;
use crate::model::content::TocEntry;
use crate::model::output::Contents;
use crate::model::output::OutputFile;
use crate::model::page::Page;
use crate::model::page::PageKind;
use crate::model::partner::Partner;
use crate::site::personalize::SitePage;
use crate::site::plan::NavItem;
use crate::site::plan::PageRef;
use crate::site::plan::SitePlan;
use crate::support::html::escape;
use crate::support::urls;

impl From<&StaticSource> for Contents {
    fn from(source: &StaticSource) -> Self {
        match source {
            StaticSource::Disk(path) => Contents::Copy(path.clone()),
            StaticSource::Embedded(bytes) => Contents::Static(bytes),
        }
    }
}

/// The partner's brand tokens as CSS custom properties.
pub fn brand_css(partner: &Partner) -> String {
    let mut css = String::from(":root {\n");
    for (name, value) in partner.brand.css_properties() {
        css.push_str(&format!("  {name}: {value};\n"));
    }
    css.push_str("}\n");
    css
}

/// Files livery generates for a partner, by site path.
pub fn generated_files(partner: &Partner, highlight_css: &str) -> BTreeMap<String, Vec<u8>> {
    BTreeMap::from([
        ("brand.css".to_owned(), brand_css(partner).into_bytes()),
        ("highlight.css".to_owned(), highlight_css.as_bytes().to_vec()),
    ])
}

#[derive(Serialize)]
struct SiteContext<'a> {
    title: &'a str,
    base_url: &'a str,
    language: &'a str,
}

#[derive(Serialize)]
struct PageContext<'a> {
    title: &'a str,
    /// The page's `# heading` as the body opens with it, else its title: one `h1`
    /// when front matter names the page too.
    heading: &'a str,
    /// The front matter description, if the author wrote one.
    description: Option<&'a str>,
    /// The description, or else the opening words of the page: for meta tags.
    summary: String,
    url: &'a str,
    permalink: String,
    content: Cow<'a, str>,
    kind: PageKind,
    is_home: bool,
    tags: &'a [String],
    owner: Option<&'a str>,
    last_reviewed: Option<String>,
    /// The date in the partner's language: "1 October 2026".
    last_reviewed_text: Option<String>,
    extra: &'a toml::Table,
    /// The language the page is shown in when it is not the site's: for want of a
    /// translation, in the content's own.
    fallback: Option<&'a str>,
    /// The page in each of the partner's languages (this one marked `current`): for
    /// the language switcher and `hreflang` links.
    languages: Vec<LanguageLink>,
    /// The page in each of the partner's versions, newest first (this one marked
    /// `current`): for the version switcher and an older version's notice.
    versions: Vec<VersionLink>,
    /// Front matter fields a section schema declares: `page.fields.severity`.
    fields: std::collections::BTreeMap<&'a str, &'a toml::Value>,
    source: String,
}

/// What every page of a partner's site shares: serialized once per site.
#[derive(Serialize)]
struct PartnerContext<'a> {
    partner: &'a Partner,
    site: SiteContext<'a>,
    vars: &'a toml::Table,
    /// The theme's UI strings in the partner's language.
    t: &'a BTreeMap<String, String>,
}

/// What one page adds to its partner's context.
#[derive(Serialize)]
struct PageScope<'a> {
    /// Prefix that leads from this page back to the site root (`../../`).
    root: String,
    page: PageContext<'a>,
    /// A section's pages and subsections, in navigation order.
    children: Vec<PageRef>,
    /// On the home page, the pages the partner features (`[home] featured`).
    featured: Vec<PageRef>,
    /// The sidebar as items, for themes that build their own (empty when no template
    /// reads it).
    nav: Vec<NavItem>,
    /// The sidebar as HTML, built here rather than by a recursive template macro: it
    /// was the largest part of rendering a page.
    nav_html: String,
    /// The version and language switchers as HTML (empty for a partner with one site),
    /// built here for the same reason: in a template they cost a sixth of rendering.
    switchers_html: String,
    breadcrumbs: Vec<PageRef>,
    previous: Option<PageRef>,
    next: Option<PageRef>,
    toc: &'a [TocEntry],
}

fn partner_context(partner: &Partner, ui: &UiStrings) -> Result<tera::Context, Diagnostic> {
    let shared = PartnerContext {
        partner,
        site: site_context(partner),
        vars: &partner.vars,
        t: &ui.strings,
    };
    tera::Context::from_serialize(shared)
        .map_err(|e| Diagnostic::new("partners", e.to_string()).for_partner(&partner.id))
}

/// Which pages a render produces, when the site's structure is unchanged since the last
/// build and only some pages' content changed.
#[derive(Debug, Clone, Copy)]
pub enum Pages<'a> {
    /// Every page, and every other file of the site.
    All,
    /// Only these pages and the generated files: the dev server's output on disk is
    /// right for the rest.
    Changed(&'a [usize]),
    /// These pages rendered, every other page `Contents::Published` (linked from the
    /// published site into the staged one), and every other file listed as for `All`.
    ChangedKeepingTheRest(&'a [usize]),
}

pub fn render_site(
    plan: &SitePlan,
    theme: &mut Theme,
    generated: &BTreeMap<String, Vec<u8>>,
    content_assets: &[(PathBuf, PathBuf)],
    ui: &UiStrings,
    site_path: &str,
    pages: Pages,
) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let (indices, only): (Vec<usize>, _) = match pages {
        Pages::All => ((0..plan.pages.len()).collect(), None),
        Pages::Changed(changed) => (changed.to_vec(), Some(changed)),
        Pages::ChangedKeepingTheRest(changed) => (changed.to_vec(), None),
    };
    let shared = partner_context(plan.partner, ui).map_err(|d| vec![d])?;
    let mut fragment_context = shared.clone();
    fragment_context.insert("root", ROOT_MARK);
    theme.freeze_fragments(&fragment_context).map_err(|d| vec![d.for_partner(&plan.partner.id)])?;
    let theme = &*theme;
    let rendered: Vec<Result<OutputFile, Diagnostic>> =
        // Each worker keeps one context holding the partner-wide values, and every page
        // replaces the page's own keys in it: copying the partner's values for each
        // page cost as much as rendering its header.
        indices
            .into_par_iter()
            .map_init(|| shared.clone(), |context, index| render_page(plan, theme, context, ui, index))
            .collect();
    let mut files = Vec::with_capacity(rendered.len() + theme.statics.len() + 4);
    let mut problems = Vec::new();
    for result in rendered {
        match result {
            Ok(file) => files.push(file),
            Err(diagnostic) => problems.push(diagnostic.for_partner(&plan.partner.id)),
        }
    }
    if only.is_none() {
        match render_not_found(plan, theme, &mut shared.clone(), ui, site_path) {
            Ok(file) => files.push(file),
            Err(diagnostic) => problems.push(diagnostic.for_partner(&plan.partner.id)),
        }
    }
    if !problems.is_empty() {
        // A broken shared template fails every page the same way: report it once.
        crate::error::sort_and_dedup(&mut problems);
        return Err(problems);
    }
    files.push(OutputFile { path: "sitemap.xml".into(), contents: Contents::Text(sitemap(plan)) });
    files.push(OutputFile {
        path: "robots.txt".into(),
        contents: Contents::Text(robots(plan.partner)),
    });
    files.extend(crate::emit::redirects::files(plan, ui, site_path));
    for (path, bytes) in generated {
        files.push(OutputFile { path: path.clone(), contents: Contents::Bytes(bytes.clone()) });
    }
    if only.is_none() {
        for (path, file) in &theme.statics {
            files.push(OutputFile { path: path.clone(), contents: Contents::from(&file.source) });
        }
    }
    // Content files are in no page's HTML, so the structure hash of a partial rebuild
    // does not see them: they are listed on every rebuild (only changed bytes are written).
    for (path, source) in content_assets {
        files.push(OutputFile {
            path: urls::path_to_file(path),
            contents: Contents::Copy(source.clone()),
        });
    }
    if let Pages::ChangedKeepingTheRest(changed) = pages {
        let changed: std::collections::HashSet<usize> = changed.iter().copied().collect();
        files.extend((0..plan.pages.len()).filter(|i| !changed.contains(i)).map(|i| OutputFile {
            path: urls::output_path(&plan.pages[i].page.url),
            contents: Contents::Published,
        }));
    }
    Ok(files)
}

fn template_for(page: &Page, theme: &Theme) -> Result<String, Diagnostic> {
    if let Some(choice) = &page.template {
        if !theme.has_template(&choice.name) {
            return Err(Diagnostic::new(
                page.display_path(),
                format!("there is no template `{}`", choice.name),
            )
            .at_line(choice.line, Some(choice.column))
            .help(
                "name a template of the theme or partners/<id>/templates, or remove `template`",
            ));
        }
        return Ok(choice.name.clone());
    }
    Ok(match page.kind {
        PageKind::Section if page.url.is_empty() => "index.html",
        PageKind::Section => "section.html",
        PageKind::Page => "page.html",
    }
    .to_owned())
}

fn render_page(
    plan: &SitePlan,
    theme: &Theme,
    context: &mut tera::Context,
    ui: &UiStrings,
    index: usize,
) -> Result<OutputFile, Diagnostic> {
    let site_page = &plan.pages[index];
    let page = site_page.page;
    let template = template_for(page, theme)?;
    let root = urls::root_prefix(&page.url);
    let nav = plan.nav(Some(index));
    let page_context = page_context(plan, site_page, ui);
    let scope = PageScope {
        nav_html: nav_html(&nav, &root, ui),
        switchers_html: switchers_html(&page_context.languages, &page_context.versions, ui),
        nav: if theme.reads_nav { nav } else { Vec::new() },
        root,
        page: page_context,
        children: plan.children(index),
        featured: if index == 0 { plan.featured() } else { Vec::new() },
        breadcrumbs: plan.breadcrumbs(index),
        previous: plan.previous(index),
        next: plan.next(index),
        toc: &site_page.content.toc,
    };
    let html = render_with(theme, &template, context, &scope)?;
    Ok(OutputFile { path: urls::output_path(&page.url), contents: Contents::Text(html) })
}

/// The path the site is served at: `/docs/` for `https://x.example/docs/`.
pub fn base_path(partner: &Partner) -> String {
    partner.base_url.splitn(4, '/').nth(3).map_or("/".to_owned(), |path| format!("/{path}"))
}

/// The 404 page is served at any depth, so its links start from `site_path`, the
/// absolute path of the site's root.
fn render_not_found(
    plan: &SitePlan,
    theme: &Theme,
    context: &mut tera::Context,
    ui: &UiStrings,
    site_path: &str,
) -> Result<OutputFile, Diagnostic> {
    let partner = plan.partner;
    let empty = toml::Table::new();
    let nav = plan.nav(None);
    let not_found = ui.strings.get("not_found_title").map_or("Page not found", String::as_str);
    let scope = PageScope {
        root: site_path.to_owned(),
        page: PageContext {
            title: not_found,
            heading: not_found,
            description: None,
            summary: String::new(),
            url: "404.html",
            permalink: format!("{}404.html", partner.base_url),
            content: Cow::Borrowed(""),
            kind: PageKind::Page,
            is_home: false,
            tags: &[],
            owner: None,
            last_reviewed: None,
            last_reviewed_text: None,
            extra: &empty,
            fallback: None,
            languages: Vec::new(),
            versions: Vec::new(),
            fields: Default::default(),
            source: String::new(),
        },
        children: plan.children(0),
        featured: Vec::new(),
        nav_html: nav_html(&nav, site_path, ui),
        switchers_html: String::new(),
        nav: if theme.reads_nav { nav } else { Vec::new() },
        breadcrumbs: Vec::new(),
        previous: None,
        next: None,
        toc: &[],
    };
    let html = render_with(theme, "404.html", context, &scope)?;
    Ok(OutputFile { path: "404.html".into(), contents: Contents::Text(html) })
}

/// The switchers' markup: a `.switchers` box holding `nav.version-switcher` (newest
/// first, "(latest)" after the newest) and `nav.language-switcher` (each language named
/// in itself), each a list of links with `aria-current` on this site's.
fn switchers_html(languages: &[LanguageLink], versions: &[VersionLink], ui: &UiStrings) -> String {
    use std::fmt::Write;
    if languages.is_empty() && versions.is_empty() {
        return String::new();
    }
    let text =
        |key: &str, default: &str| escape(ui.strings.get(key).map_or(default, String::as_str));
    let current = |yes: bool| if yes { " aria-current=\"true\"" } else { "" };
    let mut html = String::from("<div class=\"switchers\">");
    if !versions.is_empty() {
        let label = text("version", "Version");
        let latest = text("version_latest", "latest");
        let _ = write!(
            html,
            "\n<nav class=\"version-switcher\" aria-label=\"{label}\"><span class=\"switcher-label\" aria-hidden=\"true\">{label}</span><ul>"
        );
        for (i, other) in versions.iter().enumerate() {
            let note = if i == 0 {
                format!(" <span class=\"version-latest\">({latest})</span>")
            } else {
                String::new()
            };
            let _ = write!(
                html,
                "<li><a href=\"{}\"{}>{}{note}</a></li>",
                escape(&other.href),
                current(other.current),
                escape(&other.version)
            );
        }
        html.push_str("</ul></nav>");
    }
    if !languages.is_empty() {
        let _ = write!(
            html,
            "\n<nav class=\"language-switcher\" aria-label=\"{}\"><ul>",
            text("language", "Language")
        );
        for other in languages {
            let tag = escape(&other.language);
            let _ = write!(
                html,
                "<li><a href=\"{}\" hreflang=\"{tag}\" lang=\"{tag}\"{}>{}</a></li>",
                escape(&other.href),
                current(other.current),
                escape(&other.name)
            );
        }
        html.push_str("</ul></nav>");
    }
    html.push_str("\n</div>");
    html
}

/// The sidebar's markup: nested `ul.nav-list`, an `li` per entry (`nav-section` or
/// `nav-page`, `is-open` on the current branch, `aria-current="page"` on the current
/// page), and an `li.nav-more` link to the section for entries left out.
fn nav_html(items: &[NavItem], root: &str, ui: &UiStrings) -> String {
    let more = ui.strings.get("nav_more").map_or("{count} more in {section}", String::as_str);
    let root = escape(root);
    let mut html = String::with_capacity(items.len() * 96);
    nav_list(items, &root, more, &mut html);
    html
}

fn nav_list(items: &[NavItem], root: &str, more: &str, html: &mut String) {
    use std::fmt::Write;
    html.push_str("\n<ul class=\"nav-list\">");
    for item in items {
        let url = escape(&item.url);
        if item.more > 0 {
            let label =
                more.replace("{count}", &item.more.to_string()).replace("{section}", &item.title);
            let _ = write!(
                html,
                "\n  <li class=\"nav-more\"><a href=\"{root}{url}\">{}</a></li>",
                escape(&label)
            );
            continue;
        }
        let kind = if item.section { "nav-section" } else { "nav-page" };
        let open = if item.open { " is-open" } else { "" };
        let current = if item.current { " aria-current=\"page\"" } else { "" };
        let _ = write!(
            html,
            "\n  <li class=\"{kind}{open}\">\n    <a href=\"{root}{url}\"{current}>{}</a>",
            escape(&item.title)
        );
        if !item.children.is_empty() {
            nav_list(&item.children, root, more, html);
        }
        html.push_str("\n  </li>");
    }
    html.push_str("\n</ul>\n");
}

/// Renders `template` with the partner's context plus the page's, then fills in the
/// page's path to the site root where partner-wide fragments marked it.
/// `context` holds the partner-wide values; the page's own (every field of `scope`,
/// so nothing of the page rendered before stays) are put in it first.
fn render_with(
    theme: &Theme,
    template: &str,
    context: &mut tera::Context,
    scope: &PageScope,
) -> Result<String, Diagnostic> {
    context.extend(
        tera::Context::from_serialize(scope)
            .map_err(|e| Diagnostic::new(template, e.to_string()))?,
    );
    let html = theme.render(template, context)?;
    Ok(if html.contains(ROOT_MARK) { html.replace(ROOT_MARK, &scope.root) } else { html })
}

fn site_context(partner: &Partner) -> SiteContext<'_> {
    SiteContext { title: &partner.name, base_url: &partner.base_url, language: &partner.language }
}

/// One language of a page: where the switcher and `hreflang` lead.
#[derive(Serialize)]
struct LanguageLink {
    language: String,
    /// The language's name in itself: "Deutsch" (the tag for a language livery does not know).
    name: String,
    /// Relative to the page.
    href: String,
    permalink: String,
    current: bool,
    /// False when that language's site has no such page: the link leads to its home.
    has_page: bool,
}

/// The page at `url` (its source `source`) in each of the partner's languages.
fn language_links(plan: &SitePlan, url: &str, source: &std::path::Path) -> Vec<LanguageLink> {
    let partner = plan.partner;
    if plan.languages.len() < 2 {
        return Vec::new();
    }
    // From the page up to the partner's folder, above this language's site.
    let up = format!("{}{}", urls::root_prefix(url), partner.up_to_partner_root());
    let root_url = partner.root_url();
    plan.languages
        .iter()
        .map(|site| {
            let has_page = site.only.as_ref().is_none_or(|only| only.contains(source));
            let target = if has_page { urls::encode_path(url) } else { String::new() };
            LanguageLink {
                language: site.language.clone(),
                name: match crate::load::i18n::language_name(&site.language) {
                    "" => site.language.clone(),
                    name => name.to_owned(),
                },
                href: format!("{up}{}{target}", site.prefix),
                permalink: format!("{root_url}{}{target}", site.prefix),
                current: site.language == partner.language,
                has_page,
            }
        })
        .collect()
}

/// One version of a page: where the version switcher and an older version's notice lead.
#[derive(Serialize)]
struct VersionLink {
    version: String,
    /// Relative to the page.
    href: String,
    permalink: String,
    current: bool,
    /// False when that version has no such page: the link leads to its home.
    has_page: bool,
}

/// The page at `url` in each of the partner's versions, newest first.
fn version_links(plan: &SitePlan, url: &str) -> Vec<VersionLink> {
    let partner = plan.partner;
    if plan.versions.len() < 2 {
        return Vec::new();
    }
    let up = format!("{}{}", urls::root_prefix(url), partner.up_to_partner_root());
    let root_url = partner.root_url();
    plan.versions
        .iter()
        .map(|site| {
            let has_page = site.urls.contains(url);
            let target = if has_page { urls::encode_path(url) } else { String::new() };
            VersionLink {
                version: site.version.clone(),
                href: format!("{up}{}{target}", site.prefix),
                permalink: format!("{root_url}{}{target}", site.prefix),
                current: site.version == partner.version,
                has_page,
            }
        })
        .collect()
}

fn page_context<'a>(
    plan: &'a SitePlan,
    site_page: &'a SitePage,
    ui: &UiStrings,
) -> PageContext<'a> {
    let partner = plan.partner;
    let page = site_page.page;
    PageContext {
        fallback: site_page.fallback.then_some(plan.source_language.as_str()),
        languages: language_links(plan, &page.url, &page.source),
        versions: version_links(plan, &page.url),
        title: &site_page.title,
        heading: site_page.content.lifted_title.as_deref().unwrap_or(&site_page.title),
        description: site_page.description.as_deref(),
        summary: match &site_page.description {
            Some(description) => description.to_string(),
            None => summary(site_page.content.opening_text(), 160),
        },
        url: &page.url,
        permalink: format!("{}{}", partner.base_url, page.url),
        content: ui.localize(&site_page.content.html),
        kind: page.kind,
        is_home: page.url.is_empty(),
        tags: &page.tags,
        owner: page.owner.as_deref(),
        last_reviewed: page.last_reviewed.map(|d| d.to_string()),
        last_reviewed_text: page.last_reviewed.map(|d| ui.format_date(d)),
        extra: &page.extra,
        fields: page
            .fields
            .iter()
            .filter(|f| !crate::model::page::BUILT_IN_FIELDS.contains(&f.key.as_str()))
            .map(|f| (f.key.as_str(), &f.value))
            .collect(),
        source: page.display_path().to_string_lossy().replace('\\', "/"),
    }
}

/// The first `max` characters of `text`, cut at a word boundary.
fn summary(text: &str, max: usize) -> String {
    // Blocks are lines of the plain text; a summary runs them together.
    let text = &text.replace('\n', " ");
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", cut.trim_end_matches([',', '.', ';', ':']))
}

fn sitemap(plan: &SitePlan) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for page in plan.pages.iter().map(|p| p.page) {
        xml.push_str(&format!(
            "  <url><loc>{}{}</loc>",
            crate::support::html::escape(&plan.partner.base_url),
            page.url
        ));
        if let Some(date) = page.last_reviewed {
            xml.push_str(&format!("<lastmod>{date}</lastmod>"));
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

fn robots(partner: &Partner) -> String {
    format!("User-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n", partner.base_url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_cut_at_words() {
        assert_eq!(summary("short", 10), "short");
        assert_eq!(summary("one two three four", 10), "one two…");
    }
}
