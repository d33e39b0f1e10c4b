//! The partner-independent half of the pipeline: the project, its partners expanded
//! into sites (partner × language × version), their themes, and each version's
//! content read and parsed once, whatever the number of sites that carry it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Error, Rule, in_stage};
use crate::load::config::PartnerDraft;
use crate::load::theme::Layer;
use crate::model::page::{Body, Page, SourceFile};
use crate::model::partner::Partner;
use crate::model::project::ProjectConfig;
use crate::parse::highlight::Highlighter;
use crate::parse::page::ParseCache;
use crate::parse::templating::ContentTemplates;
use crate::site::personalize::AllPages;

use super::BuildOptions;

/// A project read and parsed: everything partner-independent.
pub(crate) struct Parsed {
    /// What loading and parsing found without having to stop: the pages and partners
    /// that failed are left out, the rest go on to be planned, so one run reports the
    /// problems of every stage.
    pub(crate) problems: Vec<Diagnostic>,
    pub(crate) project: ProjectConfig,
    /// One per site to build: each partner in each of its languages and versions, a
    /// partner's sites next to each other, the one at its root first.
    pub(crate) partners: Vec<Partner>,
    pub(crate) themes: BTreeMap<String, Layer>,
    /// Each partner's templates, static files and UI strings.
    pub(crate) partner_layers: BTreeMap<String, Layer>,
    /// Each version's content that some site publishes, newest first (one, named
    /// `""`, when the project has no versions).
    pub(crate) contents: Vec<Content>,
    pub(crate) highlighter: Highlighter,
    pub(crate) highlight_css: String,
    /// Every partner's identifying terms (built or not) and the project's forbidden ones.
    pub(crate) terms: crate::leaks::terms::Terms,
    /// What the leak scan found clean in one partner's files, not searched again in
    /// the next partner's.
    pub(crate) clean_lines: crate::leaks::scan::CleanLines,
    /// Each page's search terms, worked out for the first site that carries it and
    /// taken as they are by the others (other partners, and other versions where
    /// the page did not change).
    pub(crate) search_terms: crate::emit::search::TermsCache,
}

/// One version's content, parsed: its shared folder and its partners' own folders.
pub(crate) struct Content {
    /// `""` when the project has no versions.
    pub(crate) version: String,
    /// The shared content folder, project-relative: `content` or `versions/<v>/content`.
    pub(crate) dir: PathBuf,
    pub(crate) pages: AllPages,
    pub(crate) assets: Vec<PathBuf>,
    /// Each partner's own content files, published for that partner only.
    pub(crate) own_assets: BTreeMap<String, Vec<PathBuf>>,
    pub(crate) templates: ContentTemplates,
    /// Markdown conversions done while parsing (pages without partner data).
    pub(crate) conversions: usize,
    /// Every page's URL, for the links of pages converted per partner.
    pub(crate) urls: crate::model::url_map::UrlMap,
    /// The snippets' project-relative paths and texts, to trace a leak to one.
    pub(crate) snippet_texts: Vec<(PathBuf, String)>,
}

impl Parsed {
    /// The content `partner`'s site publishes: that of its version.
    pub(crate) fn content_of(&self, partner: &Partner) -> &Content {
        self.contents
            .iter()
            .find(|c| c.version == partner.version)
            .expect("every site's version is parsed")
    }

    pub(crate) fn conversions(&self) -> usize {
        self.contents.iter().map(|c| c.conversions).sum()
    }
}

/// Everything up to the per-partner stages, with every problem of the project collected.
pub(crate) fn load_and_parse(
    options: &BuildOptions,
    highlighter: Highlighter,
    mut parse_cache: Option<&mut ParseCache>,
) -> Result<Parsed, Error> {
    let root = &options.root;
    let config_error = |d: Diagnostic| Error::from(d.or_rule(Rule::Config));
    crate::load::content::require_project(root)?;
    let project = crate::load::config::load_project(root).map_err(config_error)?;
    let all_ids = crate::load::config::partner_ids(root).map_err(config_error)?;
    let ids = select_partners(&all_ids, &options.partners)?;
    let mut problems = crate::error::Problems::default();

    // Every partner's config is read, built or not: its names are kept off the sites
    // that are built.
    let mut drafts: Vec<PartnerDraft> = Vec::new();
    let mut identities = Vec::new();
    for id in &all_ids {
        let draft = crate::load::config::load_partner(root, id, &project)
            .map_err(|d| vec![d.or_rule(Rule::Config)]);
        let Some(draft) = problems.take(draft) else { continue };
        identities.push(draft.identity());
        if ids.contains(id) {
            drafts.push(draft);
        }
    }
    problems.extend(
        crate::leaks::terms::duplicate_identities(&identities)
            .into_iter()
            .filter(|d| d.partner.as_ref().is_none_or(|p| ids.contains(p))),
    );
    let terms = crate::leaks::terms::Terms::new(&identities, &project.forbidden);
    let theme_names: BTreeSet<String> = drafts.iter().map(|d| d.theme.clone()).collect();
    let mut theme_configs = BTreeMap::new();
    let mut themes = BTreeMap::new();
    for name in theme_names {
        let loaded = crate::load::config::load_theme_config(root, &name)
            .map_err(|d| vec![d.or_rule(Rule::Config)]);
        if let Some(theme_config) = problems.take(loaded) {
            let layer = crate::load::theme::load_theme(root, &name);
            if let Some(layer) = problems.take(layer.map_err(in_stage(Rule::Theme))) {
                themes.insert(name.clone(), layer);
            }
            theme_configs.insert(name, theme_config);
        }
    }
    let resolved: Vec<Partner> = drafts
        .into_iter()
        .filter_map(|draft| {
            let theme_config = theme_configs.get(&draft.theme)?;
            let partner = draft.resolve(theme_config, &project.versions);
            problems.take(partner.map_err(in_stage(Rule::Config)))
        })
        .collect();
    let mut partner_layers = BTreeMap::new();
    for partner in &resolved {
        let layer = crate::load::theme::load_layer(root, &Path::new("partners").join(&partner.id));
        if let Some(layer) = problems.take(layer.map_err(in_stage(Rule::Theme))) {
            partner_layers.insert(partner.id.clone(), layer);
        }
    }
    // One site per partner, version and language: the unit every later stage plans,
    // renders and checks. `--shard` deals these out.
    let mut partners: Vec<Partner> = resolved.iter().flat_map(sites_of).collect();
    if let Some(shard) = options.shard {
        partners = shard.select(&partners);
    }
    let highlight_css = problems
        .take(highlight_stylesheet(&project).map_err(|d| vec![d.rule(Rule::Config)]))
        .unwrap_or_default();

    // Each version's content is parsed once, for the sites that publish it.
    let versions: Vec<String> =
        if project.versions.is_empty() { vec![String::new()] } else { project.versions.clone() };
    let mut seen = std::collections::HashSet::new();
    let mut contents = Vec::new();
    for version in versions {
        let sites: Vec<&Partner> = partners.iter().filter(|p| p.version == version).collect();
        if sites.is_empty() {
            continue;
        }
        let drafts = options.drafts || project.drafts;
        let newer = contents.last();
        let input = VersionInput {
            root,
            project: &project,
            version: &version,
            sites: &sites,
            drafts,
            newer,
        };
        let cache = parse_cache.as_deref_mut();
        let content = parse_version(&input, (&highlighter, cache, &mut seen), &mut problems);
        let Some(content) = content else { continue };
        problems.extend(in_stage(Rule::FrontMatter)(unknown_partner_ids(&content.pages, &all_ids)));
        contents.push(content);
    }
    if let Some(cache) = parse_cache {
        // Files gone since the last build leave the parse cache.
        cache.retain(|path, _| seen.contains(path));
    }
    let found = contents.iter().map(|c| &c.version).collect::<BTreeSet<_>>();
    // A version whose content folder is missing has been reported; its sites go.
    partners.retain(|p| found.contains(&p.version));
    Ok(Parsed {
        problems: problems.into_vec(),
        project,
        partners,
        themes,
        partner_layers,
        contents,
        highlighter,
        highlight_css,
        terms,
        clean_lines: Default::default(),
        search_terms: Default::default(),
    })
}

/// The partner's sites, the one at its root first: each version (newest first) in
/// each language (the default first).
pub(crate) fn sites_of(partner: &Partner) -> Vec<Partner> {
    let unversioned = [String::new()];
    let versions = if partner.versions.is_empty() { &unversioned[..] } else { &partner.versions };
    versions
        .iter()
        .flat_map(|version| {
            partner.languages.iter().map(|language| partner.unit(language, version))
        })
        .collect()
}

/// What parsing one version's content needs to know.
struct VersionInput<'a> {
    root: &'a Path,
    project: &'a ProjectConfig,
    version: &'a str,
    /// The sites that publish this version.
    sites: &'a [&'a Partner],
    drafts: bool,
    /// The next newer version's content, parsed: its unchanged pages are taken as they are.
    newer: Option<&'a Content>,
}

/// One version's shared and partner content, read and parsed; None when its shared
/// folder cannot be read (reported in `problems`). Adds the files it read to `seen`.
fn parse_version(
    input: &VersionInput,
    (highlighter, mut parse_cache, seen): (
        &Highlighter,
        Option<&mut ParseCache>,
        &mut std::collections::HashSet<PathBuf>,
    ),
    problems: &mut crate::error::Problems,
) -> Option<Content> {
    let (root, project, version) = (input.root, input.project, input.version);
    let drafts_wanted = input.drafts;
    let translated_languages: BTreeSet<String> = input
        .sites
        .iter()
        .map(|p| p.language.clone())
        .filter(|language| *language != project.source_language)
        .collect();
    let dir = project.content_dir(version);
    let content = crate::load::content::load_content(root, &dir, &translated_languages)
        .map_err(in_stage(Rule::Content));
    let content = problems.take(content)?;
    // Every content folder is read before any page is parsed: a link's href needs the
    // URL its page's front matter chooses.
    let ids: BTreeSet<&str> = input.sites.iter().map(|p| p.id.as_str()).collect();
    let mut trees = Vec::new();
    for id in ids {
        let tree = crate::load::content::load_partner_content(
            root,
            &project.partner_content_dir(id, version),
        )
        .map_err(in_stage(Rule::Content));
        if let Some(tree) = problems.take(tree) {
            trees.push((id.to_owned(), tree));
        }
    }
    let all_files: Vec<&SourceFile> =
        content.pages.iter().chain(trees.iter().flat_map(|(_, tree)| &tree.pages)).collect();
    let (urls, url_problems) =
        crate::parse::page_urls::page_urls(&all_files, project.lowercase_urls);
    problems.extend(in_stage(Rule::FrontMatter)(url_problems));
    let fingerprint = urls.fingerprint();
    // An older version's pages mostly read as the newer one's: those are not parsed again.
    let borrowed = match input.newer {
        Some(newer) if newer.urls.fingerprint() == fingerprint => {
            let mut cache = crate::parse::page::borrowed(
                newer.pages.shared.iter().chain(newer.pages.translated.values().flatten()),
                &dir,
                fingerprint,
            );
            for (id, pages) in &newer.pages.own {
                let origin = project.partner_content_dir(id, version);
                cache.extend(crate::parse::page::borrowed(pages, &origin, fingerprint));
            }
            cache
        }
        _ => ParseCache::new(),
    };
    let empty = ParseCache::new();

    let shared = crate::parse::page::parse_all(
        &content.pages,
        highlighter,
        drafts_wanted,
        (&dir, &urls),
        &BTreeSet::new(),
        &[parse_cache.as_deref().unwrap_or(&empty), &borrowed],
    );
    problems.extend(in_stage(Rule::FrontMatter)(shared.problems));
    let mut unparsed = shared.failed;
    let mut conversions = shared.conversions;
    let shared = shared.pages;
    if let Some(cache) = parse_cache.as_deref_mut() {
        crate::parse::page::remember(cache, &content.pages, &shared, fingerprint);
    }
    let shared_sources: BTreeSet<PathBuf> = shared.iter().map(|p| p.source.clone()).collect();
    seen.extend(content.pages.iter().map(|f| f.display_path()));
    let mut own = BTreeMap::new();
    let mut own_assets = BTreeMap::new();
    for (id, tree) in trees {
        let origin = project.partner_content_dir(&id, version);
        let parsed = crate::parse::page::parse_all(
            &tree.pages,
            highlighter,
            drafts_wanted,
            (&origin, &urls),
            &shared_sources,
            &[parse_cache.as_deref().unwrap_or(&empty), &borrowed],
        );
        problems.extend(in_stage(Rule::FrontMatter)(parsed.problems));
        unparsed.extend(parsed.failed);
        conversions += parsed.conversions;
        if let Some(cache) = parse_cache.as_deref_mut() {
            crate::parse::page::remember(cache, &tree.pages, &parsed.pages, fingerprint);
        }
        seen.extend(tree.pages.iter().map(|f| f.display_path()));
        own.insert(id.clone(), parsed.pages);
        own_assets.insert(id, tree.assets);
    }
    // Translations take the URL of the page they translate; their links resolve as
    // its do, so a language's site links within itself.
    let translations = crate::parse::page::parse_all(
        &content.translations,
        highlighter,
        drafts_wanted,
        (&dir, &urls),
        &shared_sources,
        &[parse_cache.as_deref().unwrap_or(&empty), &borrowed],
    );
    problems.extend(in_stage(Rule::FrontMatter)(translations.problems));
    conversions += translations.conversions;
    if let Some(cache) = parse_cache {
        crate::parse::page::remember(
            cache,
            &content.translations,
            &translations.pages,
            fingerprint,
        );
    }
    seen.extend(content.translations.iter().map(|f| f.display_path()));
    let mut translated: BTreeMap<String, Vec<Page>> = BTreeMap::new();
    for page in translations.pages {
        match &page.language {
            Some(language) if shared_sources.contains(&page.source) => {
                translated.entry(language.clone()).or_default().push(page);
            }
            Some(_) => problems.push(
                Diagnostic::new(page.display_path(), format!("this translates {}, which does not exist", page.source.display()))
                    .rule(Rule::Content)
                    .help("name a translation after the page it translates: page.md and page.de.md side by side")
                    .warning(),
            ),
            // A folder of translations only: no page of its own.
            None => {}
        }
    }
    let mut pages = AllPages { shared, own, translated, unparsed };
    let templates = content_templates(&content, &mut pages, problems);
    let snippet_texts =
        content.snippets.iter().map(|s| (s.display_path(), s.text.clone())).collect();
    Some(Content {
        version: version.to_owned(),
        dir,
        pages,
        assets: content.assets,
        own_assets,
        templates,
        conversions,
        urls,
        snippet_texts,
    })
}

/// The version's content templates (pages whose text depends on the partner) and
/// snippets, compiled. A translated snippet (`_snippets/x.de.md`) stands in for `x`
/// in the pages of its language. A template that does not compile is reported and
/// leaves its pages out (and those that share its snippets); the rest go on.
fn content_templates(
    content: &crate::load::content::ContentTree,
    pages: &mut AllPages,
    problems: &mut crate::error::Problems,
) -> ContentTemplates {
    let snippet_translations: BTreeSet<(String, String)> = content
        .snippet_translations
        .iter()
        .filter_map(|file| {
            let name = crate::parse::templating::Snippet::from_source(file).name;
            Some((name, file.language.clone()?))
        })
        .collect();
    let in_language = |mut template: crate::model::content::Templated, language: Option<&str>| {
        if let Some(language) = language {
            for (name, _) in &template.snippets {
                if snippet_translations.contains(&(name.clone(), language.to_owned())) {
                    let dir = crate::model::page::SNIPPETS_DIR;
                    template.protected = template.protected.replace(
                        &format!("\"{dir}/{name}.md\""),
                        &format!("\"{dir}/{name}.{language}.md\""),
                    );
                }
            }
        }
        template
    };
    let templated: Vec<(PathBuf, crate::model::content::Templated)> = pages
        .shared
        .iter()
        .chain(pages.own.values().flatten())
        .chain(pages.translated.values().flatten())
        .filter_map(|page| match &page.body {
            Body::Templated(t) => {
                Some((page.display_path(), in_language(t.clone(), page.language.as_deref())))
            }
            Body::Converted(_) => None,
        })
        .collect();
    // Translated snippets are snippets of their own, named `x.de`.
    let snippet_files: Vec<SourceFile> = content
        .snippet_translations
        .iter()
        .map(|file| SourceFile {
            path: crate::model::page::translation_path(&file.path, file.language.as_deref()),
            language: None,
            ..file.clone()
        })
        .collect();
    let snippets = content
        .snippets
        .iter()
        .chain(&snippet_files)
        .map(|file| {
            let foreign = crate::parse::foreign::diagnostics(&file.display_path(), &file.text, 0);
            if foreign.is_empty() {
                return crate::parse::templating::Snippet::from_source(file);
            }
            problems.extend(foreign);
            // Left empty, so its pages build and tera does not report the same text again.
            let empty = SourceFile { text: String::new(), ..file.clone() };
            crate::parse::templating::Snippet::from_source(&empty)
        })
        .collect();
    let templates =
        problems.take(ContentTemplates::new(templated, snippets).map_err(in_stage(Rule::Template)));
    templates.unwrap_or_else(|| {
        let templated = |page: &Page| matches!(page.body, Body::Templated(_));
        for page in pages.shared.iter().chain(pages.own.values().flatten()).filter(|p| templated(p))
        {
            pages.unparsed.insert(page.source.clone());
        }
        pages.shared.retain(|p| !templated(p));
        pages.own.values_mut().for_each(|own| own.retain(|p| !templated(p)));
        ContentTemplates::new(Vec::new(), Vec::new())
            .expect("no templates compile without problems")
    })
}

fn highlight_stylesheet(project: &ProjectConfig) -> Result<String, Diagnostic> {
    crate::parse::highlight::stylesheet(
        project.highlight_light.get_ref(),
        project.highlight_dark.get_ref(),
    )
    .map_err(|unknown| {
        let span = if unknown == *project.highlight_light.get_ref() {
            project.highlight_light.span()
        } else {
            project.highlight_dark.span()
        };
        let diagnostic = Diagnostic::new(
            crate::model::project::PROJECT_FILE,
            format!("unknown highlight theme `{unknown}`"),
        )
        .help(format!("choose one of: {}", crate::parse::highlight::theme_names().join(", ")));
        if span.is_empty() { diagnostic } else { diagnostic.at_offset(&project.source, span.start) }
    })
}

/// `partners = ["acm"]` in front matter is a typo that would silently hide a page.
fn unknown_partner_ids(pages: &AllPages, all_ids: &[String]) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for page in pages.shared.iter().chain(pages.own.values().flatten()) {
        for (key, list) in
            [("partners", &page.only_partners), ("exclude_partners", &page.exclude_partners)]
        {
            let Some(list) = list else { continue };
            for id in list.value.iter().filter(|id| !all_ids.contains(id)) {
                problems.push(
                    Diagnostic::new(
                        page.display_path(),
                        format!("{key} names `{id}`, which is not a partner"),
                    )
                    .at_line(list.line, Some(list.column))
                    .help(format!("partners are: {}", all_ids.join(", "))),
                );
            }
        }
    }
    problems
}

/// The usage error `build` gives when `wanted` names a partner the project does not
/// have, for commands that must refuse before they start (the dev server). A project
/// whose partners cannot be listed passes: its build reports that with the location.
pub fn check_partner_names(root: &Path, wanted: &[String]) -> Result<(), Error> {
    match crate::load::config::partner_ids(root) {
        Ok(all) => select_partners(&all, wanted).map(drop),
        Err(_) => Ok(()),
    }
}

fn select_partners(all: &[String], wanted: &[String]) -> Result<Vec<String>, Error> {
    if wanted.is_empty() {
        return Ok(all.to_vec());
    }
    let mut chosen = Vec::new();
    for id in wanted {
        if !all.contains(id) {
            return Err(Error::Usage(format!(
                "error: there is no partner `{id}` (partners: {}); partners are the folders under partners/",
                all.join(", ")
            )));
        }
        if !chosen.contains(id) {
            chosen.push(id.clone());
        }
    }
    chosen.sort();
    Ok(chosen)
}
