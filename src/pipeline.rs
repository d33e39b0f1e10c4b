//! The pipeline, shared by `build`, `check` and `serve`: load the project, parse every
//! page once, then per partner select and plan its site, emit its files and stage them;
//! the staged sites are swapped in together when every partner succeeded.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::error::{Diagnostic, Error};
use crate::load::i18n::UiStrings;
use crate::site::plan::SitePlan;

use crate::error::Rule;

use crate::cache::{Cache, FileStamp, PageMemo, PartnerMemo};
use crate::emit::html::Pages;
use crate::emit::theme::Theme;
use crate::model::partner::Partner;
use crate::parse::highlight::Highlighter;

mod load;
pub use load::check_partner_names;
pub(crate) use load::{Parsed, load_and_parse};

/// What `livery build` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Output folder; `livery.toml`'s `output_dir` (default `public`) when None.
    pub out: Option<PathBuf>,
    /// Partner ids to build; every partner when empty.
    pub partners: Vec<String>,
    pub drafts: bool,
    /// Only the partners of this shard (of those chosen by `partners`).
    pub shard: Option<crate::site::shard::Shard>,
    /// Output for the dev server: each site is served under `/<id>/` rather than at its
    /// `base_url` path (the 404 page's links start there), and asset URLs carry no
    /// content hash (the server revalidates every request), so a CSS edit changes only
    /// the CSS file and open pages can swap it without reloading.
    pub dev_server: bool,
    /// Fail at once, rather than wait, when another build holds the output folder.
    pub no_wait: bool,
    /// Keep and use the persistent build cache in `.livery/cache/` (the CLI's default;
    /// `--no-cache` turns it off).
    pub cache: bool,
    /// Told as each partner's site is rendered and staged (the CLI shows it on a terminal).
    pub progress: Option<Progress>,
}

/// How far a build has come: `done` of `total` partners, `pages` pages rendered so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    pub done: usize,
    pub total: usize,
    pub pages: usize,
}

/// A listener for build progress, called from the building thread.
#[derive(Clone)]
pub struct Progress(pub std::sync::Arc<dyn Fn(Step) + Send + Sync>);

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Progress")
    }
}

/// What a finished build did, for the summary and for tests.
#[derive(Debug)]
pub struct BuildReport {
    pub out_dir: PathBuf,
    pub partners: Vec<PartnerReport>,
    pub warnings: Vec<Diagnostic>,
    /// Markdown files converted to HTML (once per page, whatever the partner count).
    pub markdown_conversions: usize,
    /// Time to load the project and parse every page (shared by all partners).
    pub parse_time: Duration,
    /// Time to swap the staged sites into place.
    pub commit_time: Duration,
}

#[derive(Debug)]
pub struct PartnerReport {
    pub id: String,
    pub name: String,
    /// Sites built: one per language and version (of this run's shard).
    pub sites: usize,
    pub pages: usize,
    /// Pages rendered: all of them, or those the build cache could not vouch for.
    pub rendered: usize,
    pub files: usize,
    pub written: usize,
    pub unchanged: usize,
    pub elapsed: Duration,
    /// Time spent building the search index, rendering pages in memory, and writing
    /// them to the staging folder.
    pub search_time: Duration,
    pub render_time: Duration,
    pub write_time: Duration,
    /// Site paths of the files this build changed (written, not kept).
    pub changed: Vec<String>,
    /// The logo's site path, for the dev server's index of partners.
    pub logo: Option<String>,
}

pub fn build(options: &BuildOptions) -> Result<BuildReport, Error> {
    if !options.cache {
        return build_with(options, None);
    }
    let mut cache = Cache::load(&options.root);
    let mut report = build_with(options, Some(&mut cache))?;
    if let Err(problem) = cache.save(&options.root) {
        report.warnings.push(
            Diagnostic::new(crate::cache::CACHE_DIR, problem)
                .help("the next build starts cold; delete the folder if it is damaged")
                .warning(),
        );
    }
    Ok(report)
}

/// A build that reuses what `cache` remembers from the previous one: unchanged files
/// are not parsed again, and when a partner's structure did not change only the pages
/// whose content changed are rendered, and written in place. For the dev server,
/// whose output folder nobody else reads.
pub fn rebuild(options: &BuildOptions, cache: &mut Cache) -> Result<BuildReport, Error> {
    build_with(options, Some(cache))
}

fn build_with(options: &BuildOptions, mut cache: Option<&mut Cache>) -> Result<BuildReport, Error> {
    let started = Instant::now();
    let highlighter = match cache.as_deref_mut() {
        Some(cache) => cache.highlighter.get_or_insert_with(Highlighter::new).clone(),
        None => Highlighter::new(),
    };
    let mut parsed =
        load_and_parse(options, highlighter, cache.as_deref_mut().map(|c| &mut c.parsed))?;
    let load_problems = std::mem::take(&mut parsed.problems);
    let out_dir = match &options.out {
        Some(out) => {
            crate::load::config::check_output_dir(&options.root, out).map_err(|problem| {
                Error::Usage(format!(
                    "error: {problem}\n  = help: build into a folder of its own, such as --out public (the default)"
                ))
            })?;
            out.clone()
        }
        None => parsed.project.output_dir.clone(),
    };
    if let Some(cache) = cache.as_deref_mut() {
        cache.for_output(&out_dir);
    }

    // Every partner is planned and checked before anything is rendered, so one run
    // reports every partner's problems.
    let planned = plan_sites(&parsed);
    let mut problems = crate::error::Problems::default();
    problems.extend(load_problems);
    problems.extend(planned.shared_problems);
    let mut plans = Vec::new();
    let mut conversions = parsed.conversions();
    for partner in planned.partners {
        problems.extend(partner.problems);
        if let Some(site) = partner.site {
            conversions += site.conversions;
            plans.push((site.site, site.assets, site.ui));
        }
    }
    let mut warnings = problems.finish()?;
    let parse_time = started.elapsed();

    let mut output = crate::write::OutputDir::lock(&out_dir, !options.no_wait, |holder| {
        eprintln!(
            "waiting for the livery build with pid {holder} to finish writing {} …",
            out_dir.display()
        );
    })?;
    let ids: Vec<&str> = plans.iter().map(|(site, _, _)| site.partner.id.as_str()).collect();
    output.claim(&ids)?;

    let mut staged = Vec::new();
    let mut reports = Vec::new();
    let mut pages_done = 0;
    let mut failed = Vec::new();
    // Memos of the partners staged for publishing, stamped once they are published.
    let mut memos = Vec::new();
    // A partner's sites (languages, versions) are published together, as one folder.
    let mut groups: Vec<&[ReadySite]> = Vec::new();
    let mut rest = plans.as_slice();
    while let Some((first, _)) = rest.split_first() {
        let n =
            rest.iter().take_while(|(site, _, _)| site.partner.id == first.0.partner.id).count();
        groups.push(&rest[..n]);
        rest = &rest[n..];
    }
    for group in groups {
        let started = Instant::now();
        let memo = cache.as_deref_mut().map(|c| &mut c.partners);
        let partner = group[0].0.partner;
        let built = match group {
            [(site, assets, ui)] if load::sites_of(partner).len() == 1 => build_partner(
                &parsed, site, assets, ui, options, &output, memo,
            )
            .map(|(staged, report, memo)| {
                let published = out_dir.join(&report.id);
                let memos = memo.map(|memo| (report.id.clone(), memo, published));
                (staged, report, memos.into_iter().collect())
            }),
            sites => build_sites(&parsed, sites, options, &output, memo),
        };
        match built {
            Ok((site, report, memo)) => {
                memos.extend(memo);
                pages_done += report.pages;
                reports.push(PartnerReport { elapsed: started.elapsed(), ..report });
                staged.push(site);
                if let Some(Progress(tell)) = &options.progress {
                    tell(Step { done: reports.len(), total: plans.len(), pages: pages_done });
                }
            }
            // A partner whose templates fail does not stop the others: one run
            // reports every partner's problems, as `check` does. Nothing is published.
            Err(Error::Project(diagnostics)) => failed.extend(diagnostics),
            Err(error) => {
                crate::write::discard(staged);
                return Err(error);
            }
        }
    }
    if !failed.is_empty() {
        crate::write::discard(staged);
        return Err(Error::Project(failed));
    }
    let committing = Instant::now();
    warnings.extend(crate::write::commit(&mut output, staged)?);
    let commit_time = committing.elapsed();
    if let Some(cache) = cache {
        for (key, memo, published) in memos {
            cache.partners.insert(key, stamped(memo, &published));
        }
    }
    Ok(BuildReport {
        out_dir,
        partners: reports,
        warnings,
        markdown_conversions: conversions,
        parse_time,
        commit_time,
    })
}

/// Every partner's site planned and checked: what `build` renders and `check` inspects.
pub(crate) struct PlannedSites<'a> {
    /// Problems of the shared content that do not depend on the partner.
    pub(crate) shared_problems: Vec<Diagnostic>,
    pub(crate) partners: Vec<PartnerPlan<'a>>,
}

/// One partner's plan, or the problems that stopped it; each partner's problems are
/// kept apart so `check` can tell which partners a problem affects.
pub(crate) struct PartnerPlan<'a> {
    pub(crate) partner: &'a Partner,
    pub(crate) site: Option<PlannedSite<'a>>,
    pub(crate) problems: Vec<Diagnostic>,
}

pub(crate) struct PlannedSite<'a> {
    pub(crate) site: crate::site::plan::SitePlan<'a>,
    /// Content files besides pages: (site path, file on disk).
    pub(crate) assets: Vec<(PathBuf, PathBuf)>,
    pub(crate) ui: crate::load::i18n::UiStrings,
    /// Pages meant for this partner that are lost because their section is not carried.
    pub(crate) orphans: Vec<&'a crate::model::page::Page>,
    pub(crate) conversions: usize,
}

pub(crate) fn plan_sites(parsed: &Parsed) -> PlannedSites<'_> {
    let known: Vec<_> =
        parsed.contents.iter().map(|c| (c.pages.sources(), c.pages.by_url())).collect();
    let shared_problems = parsed
        .contents
        .iter()
        .flat_map(|c| c.pages.shared.iter().chain(c.pages.own.values().flatten()))
        .flat_map(|page| crate::site::validate::check_page(page, &parsed.project.schemas))
        .collect();
    let mut partners: Vec<PartnerPlan> = parsed
        .partners
        .par_iter()
        .map(|partner| {
            let mut problems = crate::error::Problems::default();
            let index = parsed.contents.iter().position(|c| c.version == partner.version);
            let known = &known[index.expect("every site's version is parsed")];
            let site = plan_site(parsed, partner, (&known.0, &known.1), &mut problems);
            PartnerPlan { partner, site, problems: problems.into_vec() }
        })
        .collect();
    link_versions(&mut partners);
    PlannedSites { shared_problems, partners }
}

/// Tells each site of a partner in several versions which pages its other versions
/// (same language) have, for the version switcher.
fn link_versions(plans: &mut [PartnerPlan]) {
    let mut sites: BTreeMap<(&str, &str), Vec<crate::site::plan::VersionSite>> = BTreeMap::new();
    for plan in plans.iter() {
        let (partner, Some(site)) = (plan.partner, &plan.site) else { continue };
        if partner.versions.len() < 2 {
            continue;
        }
        sites.entry((&partner.id, &partner.language)).or_default().push(
            crate::site::plan::VersionSite {
                version: partner.version.clone(),
                prefix: partner.site_prefix(),
                urls: site.site.pages.iter().map(|p| p.page.url.clone()).collect(),
            },
        );
    }
    for plan in plans.iter_mut() {
        let partner = plan.partner;
        if let Some(site) = &mut plan.site
            && let Some(versions) = sites.get(&(partner.id.as_str(), partner.language.as_str()))
        {
            site.site.versions = versions.clone();
        }
    }
}

fn plan_site<'a>(
    parsed: &'a Parsed,
    partner: &'a Partner,
    (all_sources, all_urls): (&BTreeSet<PathBuf>, &BTreeMap<String, PathBuf>),
    problems: &mut crate::error::Problems,
) -> Option<PlannedSite<'a>> {
    let content = parsed.content_of(partner);
    let translation = crate::site::personalize::Translation {
        source: &parsed.project.source_language,
        missing: parsed.project.missing_translation,
    };
    let personalized = crate::site::personalize::personalize(
        partner,
        &content.pages,
        &content.templates,
        (&parsed.highlighter, &content.urls),
        translation,
    )
    .map_err(crate::error::in_stage(Rule::Template));
    let personalized = problems.take(personalized)?;
    // A layer that failed to load has been reported; its strings count as none.
    let no_strings = crate::load::i18n::Catalog::default();
    let ui = crate::load::i18n::strings_for(
        &partner.language,
        parsed.themes.get(&partner.theme).map_or(&no_strings, |l| &l.i18n),
        parsed.partner_layers.get(&partner.id).map_or(&no_strings, |l| &l.i18n),
    )
    .map_err(|problems| {
        let path =
            Path::new("partners").join(&partner.id).join(crate::model::project::PARTNER_FILE);
        problems
            .into_iter()
            .map(|d| {
                let d = d.or_rule(Rule::Theme);
                if d.path == Path::new("partners") {
                    Diagnostic { path: path.clone(), ..d }
                } else {
                    d
                }
            })
            .collect()
    });
    let ui = problems.take(ui)?;
    problems.extend(
        crate::load::brand::contrast_warnings(partner)
            .into_iter()
            .map(|d| d.or_rule(Rule::Contrast)),
    );
    let mut site = crate::site::plan::plan(partner, personalized.pages);
    site.untranslated = personalized.untranslated;
    site.languages = language_sites(parsed, partner);
    site.source_language.clone_from(&parsed.project.source_language);
    let assets = partner_assets(parsed, &site);
    // Links are checked against every content file: one the partner does not publish
    // is still there for the link that makes it published.
    let all_assets: BTreeSet<PathBuf> = content
        .assets
        .iter()
        .chain(content.own_assets.get(&partner.id).into_iter().flatten())
        .cloned()
        .collect();
    let layers = [parsed.themes.get(&partner.theme), parsed.partner_layers.get(&partner.id)];
    let statics: BTreeSet<String> = layers
        .into_iter()
        .flatten()
        .flat_map(|layer| layer.statics.keys().cloned())
        .chain(crate::site::plan::GENERATED_FILES.map(str::to_owned))
        .collect();
    let known = crate::site::links::Known {
        pages: all_sources,
        urls: all_urls,
        page_urls: &content.urls,
        assets: &all_assets,
        statics: &statics,
        unparsed: &content.pages.unparsed,
        content_dir: &content.dir,
    };
    problems.extend(crate::site::links::check(&site, &known, parsed.project.broken_links));
    problems.extend(site.collisions(&assets, &parsed.project.root));
    problems.extend(site.duplicate_urls());
    problems.extend(site.in_other_sites_folder());
    problems.extend(site.missing_featured());
    problems.extend(alias_problems(parsed, &site, &assets));
    Some(PlannedSite {
        site,
        assets,
        ui,
        orphans: personalized.orphans,
        conversions: personalized.conversions,
    })
}

/// Aliases of `site` that cannot be published, checked against every file the site has.
fn alias_problems(
    parsed: &Parsed,
    site: &crate::site::plan::SitePlan,
    assets: &[(PathBuf, PathBuf)],
) -> Vec<Diagnostic> {
    if site.redirects.is_empty() {
        return Vec::new();
    }
    let partner = site.partner;
    let layers = [parsed.themes.get(&partner.theme), parsed.partner_layers.get(&partner.id)];
    let assets_on_disk = assets.iter().map(|(_, file)| file.clone());
    let assets: Vec<String> =
        assets.iter().map(|(path, _)| crate::support::urls::path_to_file(path)).collect();
    let files = crate::site::plan::GENERATED_FILES
        .into_iter()
        .chain([crate::emit::redirects::RULES_FILE])
        .chain(layers.into_iter().flatten().flat_map(|l| l.statics.keys().map(String::as_str)))
        .chain(assets.iter().map(String::as_str));
    let mut problems = crate::site::redirects::problems(site, files);
    // A `_redirects` of the user's own would be replaced by the one listing the aliases.
    let root = &parsed.project.root;
    let rules = crate::emit::redirects::RULES_FILE;
    let own_rules = layers
        .into_iter()
        .flatten()
        .filter_map(|l| match &l.statics.get(rules)?.source {
            crate::load::theme::StaticSource::Disk(path) => Some(path.clone()),
            crate::load::theme::StaticSource::Embedded(_) => None,
        })
        .chain(assets.iter().zip(assets_on_disk).filter(|(p, _)| *p == rules).map(|(_, f)| f));
    problems.extend(own_rules.map(|file| {
        Diagnostic::new(
            file.strip_prefix(root).unwrap_or(&file),
            format!("livery writes {rules} for the aliases of this site, where this file is published"),
        )
        .rule(Rule::DuplicateUrl)
        .help("move its rules to your host's settings, or the old URLs they redirect to `aliases` of the pages they lead to")
    }));
    problems
}

/// Content files a partner publishes: its own, and the shared ones its site carries.
/// A shared file is carried when a page of the site links to it, or when the site
/// carries a page of the file's folder, and the partner's `[content] exclude` globs do
/// not leave it out: a price list beside a page meant for one partner is published
/// to that partner only.
fn partner_assets(parsed: &Parsed, site: &crate::site::plan::SitePlan) -> Vec<(PathBuf, PathBuf)> {
    let partner = site.partner;
    let root = &parsed.project.root;
    let content = parsed.content_of(partner);
    let linked: BTreeSet<&Path> = site
        .pages
        .iter()
        .flat_map(|p| &p.content.links)
        .filter_map(|link| match &link.target {
            crate::model::content::LinkTarget::File(path) => Some(path.as_path()),
            crate::model::content::LinkTarget::Root { path, .. } => Some(Path::new(path)),
            _ => None,
        })
        .collect();
    // Folders holding a page of this site (a folder without an _index.md is not one
    // by its implicit section alone).
    let folders: BTreeSet<&Path> = site
        .pages
        .iter()
        .filter(|p| p.page.text_hash != 0)
        .filter_map(|p| p.page.source.parent())
        .collect();
    let carried = |asset: &PathBuf| {
        !partner.content.exclude.is_match(asset)
            && (linked.contains(asset.as_path())
                || asset.parent().is_some_and(|folder| folders.contains(folder)))
    };
    let mut assets: BTreeMap<PathBuf, PathBuf> = content
        .assets
        .iter()
        .filter(|a| carried(a))
        .map(|a| (a.clone(), root.join(&content.dir).join(a)))
        .collect();
    let own_dir = root.join(parsed.project.partner_content_dir(&partner.id, &partner.version));
    for asset in content.own_assets.get(&partner.id).into_iter().flatten() {
        assets.insert(asset.clone(), own_dir.join(asset));
    }
    assets.into_iter().collect()
}

fn build_partner(
    parsed: &Parsed,
    site: &crate::site::plan::SitePlan,
    assets: &[(PathBuf, PathBuf)],
    ui: &crate::load::i18n::UiStrings,
    options: &BuildOptions,
    output: &crate::write::OutputDir,
    memo: Option<&mut HashMap<String, PartnerMemo>>,
) -> Result<(crate::write::Staged, PartnerReport, Option<PartnerMemo>), Error> {
    let out_dir = output.path();
    let partner = site.partner;
    let site_path = if options.dev_server {
        format!("/{}/", partner.id)
    } else {
        crate::emit::html::base_path(partner)
    };
    let site_path = site_path.as_str();
    let mut generated =
        crate::emit::html::generated_files(partner, &highlight_css(parsed, partner));
    let structure = structure_hash(parsed, site, ui, &generated, site_path);
    let page_hashes: Vec<u64> = site.pages.par_iter().map(content_hash).collect();
    let asset_paths: BTreeSet<String> =
        assets.iter().map(|(p, _)| crate::support::urls::path_to_file(p)).collect();
    let published = out_dir.join(&partner.id);
    // A content file gone calls for a complete write, the one that removes files.
    let previous = memo.as_ref().and_then(|memo| memo.get(&partner.id)).filter(|previous| {
        previous.structure == structure
            && previous.assets.is_subset(&asset_paths)
            && published.is_dir()
    });
    // The pages to render again: those whose content changed and, for a published
    // site, those whose file is not the one this build cache recorded.
    let changed: Option<Vec<usize>> = previous.map(|previous| {
        changed_pages(site, previous, &page_hashes, &published, options.dev_server)
    });
    let indexing = Instant::now();
    let search = crate::emit::search::index(site, Some((&page_hashes, &parsed.search_terms)));
    let search_time = indexing.elapsed();
    generated.extend(search.files);
    let pages = match (&changed, options.dev_server) {
        (None, _) => Pages::All,
        (Some(changed), true) => Pages::Changed(changed),
        (Some(changed), false) => Pages::ChangedKeepingTheRest(changed),
    };
    let rendering = Instant::now();
    let render =
        Render { generated: &generated, assets, ui, site_path, dev_server: options.dev_server };
    let files = render_partner(parsed, site, &render, pages)?;
    let leaks = leak_problems(parsed, site, &files, &search.traced);
    if !leaks.is_empty() {
        return Err(Error::Project(leaks));
    }
    let render_time = rendering.elapsed();
    let writing = Instant::now();
    let new_memo = memo.is_some().then(|| {
        next_memo(site, (structure, &page_hashes, asset_paths), previous, changed.as_deref())
    });
    let (staged, new_memo) = match (memo, new_memo) {
        // The dev server's output is private: written in place, remembered at once.
        (Some(memo), Some(new_memo)) if options.dev_server => {
            let complete = changed.is_none();
            let staged = crate::write::update_in_place(out_dir, &partner.id, &files, complete)?;
            memo.insert(partner.id.clone(), new_memo);
            (staged, None)
        }
        (_, new_memo) => (crate::write::stage(output, &partner.id, &files)?, new_memo),
    };
    let times = (search_time, render_time, writing.elapsed());
    let report = PartnerReport {
        rendered: changed.as_ref().map_or(site.pages.len(), Vec::len),
        ..PartnerReport::of(partner, site.pages.len(), files.len(), &staged, times)
    };
    Ok((staged, report, new_memo))
}

impl PartnerReport {
    /// What building `partner` did; `times` are search, render and write time.
    fn of(
        partner: &Partner,
        pages: usize,
        files: usize,
        staged: &crate::write::Staged,
        (search_time, render_time, write_time): (Duration, Duration, Duration),
    ) -> PartnerReport {
        PartnerReport {
            id: partner.id.clone(),
            name: partner.name.clone(),
            sites: 1,
            pages,
            rendered: pages,
            files,
            written: staged.written,
            unchanged: staged.unchanged,
            elapsed: Duration::ZERO,
            search_time,
            render_time,
            write_time,
            changed: staged.changed.clone(),
            logo: partner.brand.values.get("logo").cloned(),
        }
    }
}

const ROBOTS: &str = "robots.txt";

/// The files published in `published` (a partner's folder) that belong to its sites
/// not in `built`: each file belongs to the site with the longest of `prefixes` its
/// path starts with. They are kept as they are (read and compared like any file, so
/// a site whose files are all unchanged is not written at all).
fn published_files_of_other_sites(
    published: &Path,
    prefixes: &[String],
    built: &BTreeSet<String>,
) -> Vec<crate::model::output::OutputFile> {
    let owner = |path: &str| {
        prefixes.iter().filter(|p| path.starts_with(p.as_str())).max_by_key(|p| p.len()).cloned()
    };
    walkdir::WalkDir::new(published)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|entry| entry.file_type().is_file())
        .filter_map(|entry| {
            let path = entry.path().strip_prefix(published).ok()?.to_str()?.to_owned();
            let site = owner(&path)?;
            (!built.contains(&site)).then(|| crate::model::output::OutputFile {
                path,
                contents: crate::model::output::Contents::Copy(entry.path().to_owned()),
            })
        })
        .collect()
}

/// A site planned and ready to render: its plan, content files (site path, file) and
/// UI strings.
type ReadySite<'a> = (SitePlan<'a>, Vec<(PathBuf, PathBuf)>, UiStrings);

/// What the build cache remembers of a site just built: its structure, each page's
/// content hash, and the stamp of each published page file this build did not write
/// (a page linked from the published site keeps its file, and so its stamp; the others
/// are stamped once published).
fn next_memo(
    site: &SitePlan,
    (structure, page_hashes, assets): (u64, &[u64], BTreeSet<String>),
    previous: Option<&PartnerMemo>,
    rendered_again: Option<&[usize]>,
) -> PartnerMemo {
    let rendered_again: std::collections::HashSet<usize> =
        rendered_again.into_iter().flatten().copied().collect();
    let pages = site.pages.iter().zip(page_hashes).enumerate().map(|(i, (p, &hash))| {
        let kept = previous
            .filter(|_| !rendered_again.contains(&i))
            .and_then(|previous| previous.pages.get(&p.page.url)?.file);
        (p.page.url.clone(), PageMemo { hash, file: kept })
    });
    PartnerMemo { structure, pages: pages.collect(), assets }
}

/// One site of a partner, before rendering: what decides which of its pages to render.
struct PreparedSite {
    site_path: String,
    generated: BTreeMap<String, Vec<u8>>,
    structure: u64,
    page_hashes: Vec<u64>,
    asset_paths: BTreeSet<String>,
    /// Its memo's key in the build cache: `<id>/<prefix>`.
    key: String,
    published: PathBuf,
    /// The pages to render again, when its memo allows rendering page by page.
    changed: Option<Vec<usize>>,
}

/// A site's memo to keep once its partner is published: (key, memo, published folder).
type SiteMemo = (String, PartnerMemo, PathBuf);

/// The pages of `site` to render again: those whose content changed since `previous`
/// and, outside the dev server, those whose published file is not the one recorded.
fn changed_pages(
    site: &SitePlan,
    previous: &PartnerMemo,
    page_hashes: &[u64],
    published: &Path,
    dev_server: bool,
) -> Vec<usize> {
    (0..site.pages.len())
        .into_par_iter()
        .filter(|&i| {
            let url = &site.pages[i].page.url;
            match previous.pages.get(url) {
                Some(memo) if memo.hash == page_hashes[i] => {
                    !dev_server
                        && (memo.file.is_none()
                            || memo.file
                                != FileStamp::of(
                                    &published.join(crate::support::urls::output_path(url)),
                                ))
                }
                _ => true,
            }
        })
        .collect()
}

/// The partner's sites in each of its languages, with the pages each has when it
/// leaves untranslated ones out.
fn language_sites(parsed: &Parsed, partner: &Partner) -> Vec<crate::site::plan::LanguageSite> {
    let project = &parsed.project;
    let pages = &parsed.content_of(partner).pages;
    partner
        .languages
        .iter()
        .map(|language| {
            let omits = project.missing_translation
                == crate::model::project::MissingTranslation::Omit
                && *language != project.source_language;
            let only = omits.then(|| {
                let translated = pages.translated.get(language).into_iter().flatten();
                let sections =
                    pages.shared.iter().filter(|p| p.kind == crate::model::page::PageKind::Section);
                let own = pages.own.get(&partner.id).into_iter().flatten();
                translated.chain(sections).chain(own).map(|p| p.source.clone()).collect()
            });
            crate::site::plan::LanguageSite {
                language: language.clone(),
                prefix: partner.in_language(language).site_prefix(),
                only,
            }
        })
        .collect()
}

/// A partner published in several languages or versions: each site rendered whole
/// (the default language's newest version at the root, the others under `<lang>/`,
/// `<v>/` or `<lang>/<v>/`), checked for leaks, and staged as the partner's one folder.
/// `sites` may be some of them only (`--shard` deals sites out): the published files
/// of the others are kept as they are. The build cache's page-by-page rebuild covers
/// partners of one site only so far.
fn build_sites(
    parsed: &Parsed,
    sites: &[ReadySite],
    options: &BuildOptions,
    output: &crate::write::OutputDir,
    mut memo: Option<&mut HashMap<String, PartnerMemo>>,
) -> Result<(crate::write::Staged, PartnerReport, Vec<SiteMemo>), Error> {
    let partner = sites[0].0.partner;
    let all_sites = load::sites_of(partner);
    // A partner's page-by-page memo, from before it had several sites, must not linger.
    if let Some(memo) = memo.as_deref_mut() {
        memo.remove(&partner.id);
    }
    // Each site's memo is its own (`<id>/<prefix>`); its pages are rendered page by page
    // only when every site's structure is unchanged, so the partner's files are the same
    // set as before and nothing needs removing.
    let mut prepared = Vec::new();
    for (site, assets, ui) in sites {
        let unit = site.partner;
        let prefix = unit.site_prefix();
        let site_path = if options.dev_server {
            format!("/{}/{prefix}", unit.id)
        } else {
            crate::emit::html::base_path(unit)
        };
        let generated = crate::emit::html::generated_files(unit, &highlight_css(parsed, unit));
        let structure = structure_hash(parsed, site, ui, &generated, &site_path);
        let page_hashes: Vec<u64> = site.pages.par_iter().map(content_hash).collect();
        let asset_paths: BTreeSet<String> =
            assets.iter().map(|(p, _)| crate::support::urls::path_to_file(p)).collect();
        let key = format!("{}/{prefix}", unit.id);
        let published = output.path().join(&unit.id).join(&prefix);
        let previous = memo.as_deref().and_then(|memo| memo.get(&key)).filter(|previous| {
            previous.structure == structure
                && previous.assets.is_subset(&asset_paths)
                && published.is_dir()
        });
        let changed = previous.map(|previous| {
            changed_pages(site, previous, &page_hashes, &published, options.dev_server)
        });
        prepared.push(PreparedSite {
            site_path,
            generated,
            structure,
            page_hashes,
            asset_paths,
            key,
            published,
            changed,
        });
    }
    let by_page = memo.is_some()
        && sites.len() == all_sites.len()
        && prepared.iter().all(|p| p.changed.is_some());
    let mut files = Vec::new();
    let mut memos = Vec::new();
    let (mut search_time, mut render_time, mut pages) = (Duration::ZERO, Duration::ZERO, 0);
    let mut rendered_pages = 0;
    for ((site, assets, ui), mut prepared) in sites.iter().zip(prepared) {
        let (page_hashes, generated) = (&prepared.page_hashes, &mut prepared.generated);
        let prefix = site.partner.site_prefix();
        let indexing = Instant::now();
        // Page terms are cached across sites by content hash, as for one-site partners.
        let search = crate::emit::search::index(site, Some((page_hashes, &parsed.search_terms)));
        search_time += indexing.elapsed();
        generated.extend(search.files);
        let rendering = Instant::now();
        let render = Render {
            generated,
            assets,
            ui,
            site_path: &prepared.site_path,
            dev_server: options.dev_server,
        };
        let changed = prepared.changed.filter(|_| by_page);
        let to_render = match (&changed, options.dev_server) {
            (None, _) => Pages::All,
            (Some(changed), true) => Pages::Changed(changed),
            (Some(changed), false) => Pages::ChangedKeepingTheRest(changed),
        };
        let rendered = render_partner(parsed, site, &render, to_render)?;
        let leaks = leak_problems(parsed, site, &rendered, &search.traced);
        if !leaks.is_empty() {
            return Err(Error::Project(leaks));
        }
        render_time += rendering.elapsed();
        pages += site.pages.len();
        rendered_pages += changed.as_ref().map_or(site.pages.len(), Vec::len);
        if memo.is_some() {
            let key = prepared.key;
            let previous = memo.as_deref().and_then(|memo| memo.get(&key)).filter(|_| by_page);
            let shape = (prepared.structure, &prepared.page_hashes[..], prepared.asset_paths);
            let next = next_memo(site, shape, previous, changed.as_deref());
            memos.push((key, next, prepared.published));
        }
        // Crawlers read robots.txt at the site's root only: the default language's
        // names every language's sitemap.
        files.extend(rendered.into_iter().filter(|f| prefix.is_empty() || f.path != ROBOTS).map(
            |file| crate::model::output::OutputFile {
                path: format!("{prefix}{}", file.path),
                ..file
            },
        ));
    }
    let sitemaps: String = all_sites[1..]
        .iter()
        .map(|site| format!("Sitemap: {}sitemap.xml\n", site.base_url))
        .collect();
    if let Some(robots) = files.iter_mut().find(|f| f.path == ROBOTS)
        && let crate::model::output::Contents::Text(text) = &mut robots.contents
    {
        text.push_str(&sitemaps);
    }
    if sites.len() < all_sites.len() {
        let built: BTreeSet<String> =
            sites.iter().map(|(s, _, _)| s.partner.site_prefix()).collect();
        let all: Vec<String> = all_sites.iter().map(Partner::site_prefix).collect();
        files.extend(published_files_of_other_sites(
            &output.path().join(&partner.id),
            &all,
            &built,
        ));
    }
    // Two sites' files at one path would overwrite each other silently.
    let mut paths = std::collections::HashSet::new();
    if let Some(file) = files.iter().find(|f| !paths.insert(f.path.as_str())) {
        return Err(Error::Project(vec![
            Diagnostic::new(
                format!("partners/{}", partner.id),
                format!("two of the partner's sites publish {}", file.path),
            )
            .for_partner(&partner.id)
            .rule(Rule::DuplicateUrl)
            .help("rename the page or the language or version folder it shares"),
        ]));
    }
    let writing = Instant::now();
    let staged = match memo {
        // The dev server's output is private: written in place, remembered at once.
        Some(memo) if options.dev_server => {
            let staged =
                crate::write::update_in_place(output.path(), &partner.id, &files, !by_page)?;
            memo.extend(memos.drain(..).map(|(key, memo, _)| (key, memo)));
            staged
        }
        _ if options.dev_server => {
            crate::write::update_in_place(output.path(), &partner.id, &files, true)?
        }
        _ => crate::write::stage(output, &partner.id, &files)?,
    };
    let times = (search_time, render_time, writing.elapsed());
    let report = PartnerReport {
        sites: sites.len(),
        rendered: rendered_pages,
        ..PartnerReport::of(partner, pages, files.len(), &staged, times)
    };
    Ok((staged, report, memos))
}

/// `memo` with the size and mtime of each page's published file, read once the site
/// is in place at `published`.
fn stamped(mut memo: PartnerMemo, published: &Path) -> PartnerMemo {
    memo.pages.par_iter_mut().filter(|(_, page)| page.file.is_none()).for_each(|(url, page)| {
        page.file = FileStamp::of(&published.join(crate::support::urls::output_path(url)));
    });
    memo
}

/// The partner's templates over its theme's, compiled.
fn assemble_theme(
    parsed: &Parsed,
    partner: &Partner,
    generated: &BTreeMap<String, Vec<u8>>,
    cache_busting: bool,
) -> Result<Theme, Vec<Diagnostic>> {
    // A theme or partner layer that failed to load has been reported already.
    let (Some(theme), Some(layer)) =
        (parsed.themes.get(&partner.theme), parsed.partner_layers.get(&partner.id))
    else {
        return Err(Vec::new());
    };
    Theme::assemble(
        &Path::new("themes").join(&partner.theme),
        theme,
        layer,
        generated,
        cache_busting,
    )
}

/// What rendering a partner's site would report, without keeping the pages: `check`
/// renders in memory, since only rendering shows that every template works with
/// every page, and only the rendered files show what the site would publish.
pub(crate) fn render_problems(parsed: &Parsed, planned: &PlannedSite) -> Vec<Diagnostic> {
    let site = &planned.site;
    let search = crate::emit::search::index(site, None);
    let mut generated =
        crate::emit::html::generated_files(site.partner, &highlight_css(parsed, site.partner));
    generated.extend(search.files);
    let site_path = crate::emit::html::base_path(site.partner);
    let render = Render {
        generated: &generated,
        assets: &planned.assets,
        ui: &planned.ui,
        site_path: &site_path,
        dev_server: false,
    };
    match render_partner(parsed, site, &render, Pages::All) {
        Ok(files) => leak_problems(parsed, site, &files, &search.traced),
        Err(problems) => problems,
    }
}

/// Another partner's terms, or a forbidden one, in the files about to be published for
/// `site`'s partner, each traced to its source.
fn leak_problems(
    parsed: &Parsed,
    site: &crate::site::plan::SitePlan,
    files: &[crate::model::output::OutputFile],
    search: &[crate::emit::search::Traced],
) -> Vec<Diagnostic> {
    let partner = site.partner;
    let search = crate::leaks::scan::SearchSpans::new(search);
    let hits = crate::leaks::scan::scan(
        &parsed.terms,
        &partner.id,
        files,
        Some(&search),
        &parsed.clean_lines,
    );

    if hits.is_empty() {
        return Vec::new();
    }
    let origins = crate::leaks::scan::Origins {
        root: &parsed.project.root,
        plan: site,
        sources: leak_sources(parsed, partner),
        files,
    };
    crate::leaks::scan::report(&parsed.terms, &partner.id, &hits, &origins)
}

/// Texts that can put words into any of a partner's files, in the order a leak is
/// traced through them.
fn leak_sources(parsed: &Parsed, partner: &Partner) -> Vec<(PathBuf, String)> {
    let layers = [parsed.partner_layers.get(&partner.id), parsed.themes.get(&partner.theme)];
    let mut sources: Vec<(PathBuf, String)> = Vec::new();
    for layer in layers.iter().flatten() {
        sources.extend(layer.template_texts().map(|(p, t)| (p.to_owned(), t.to_owned())));
    }
    for layer in layers.iter().flatten() {
        sources.extend(layer.i18n.files().map(|(p, t)| (p.to_owned(), t.to_owned())));
    }
    sources.extend(parsed.content_of(partner).snippet_texts.iter().cloned());
    let root = &parsed.project.root;
    let configs = [
        Path::new("partners").join(&partner.id).join(crate::model::project::PARTNER_FILE),
        PathBuf::from(crate::model::project::PROJECT_FILE),
    ];
    for path in configs {
        if let Ok(text) = crate::support::text::read_text(root, &path) {
            sources.push((path, text));
        }
    }
    sources
}

/// What rendering a partner's site needs besides its plan.
struct Render<'a> {
    generated: &'a BTreeMap<String, Vec<u8>>,
    assets: &'a [(PathBuf, PathBuf)],
    ui: &'a crate::load::i18n::UiStrings,
    site_path: &'a str,
    dev_server: bool,
}

/// The one render step of `build` and `check`: the partner's theme assembled, then its
/// pages (all, or those of `only`) rendered. Every problem is a `theme` problem of this
/// partner unless the step that found it said otherwise, so both commands name it alike.
fn render_partner(
    parsed: &Parsed,
    site: &crate::site::plan::SitePlan,
    render: &Render,
    pages: Pages,
) -> Result<Vec<crate::model::output::OutputFile>, Vec<Diagnostic>> {
    let partner = site.partner;
    assemble_theme(parsed, partner, render.generated, !render.dev_server)
        .and_then(|mut theme| {
            crate::emit::html::render_site(
                site,
                &mut theme,
                render.generated,
                render.assets,
                render.ui,
                render.site_path,
                pages,
            )
        })
        .map_err(|problems| {
            problems.into_iter().map(|d| d.for_partner(&partner.id).or_rule(Rule::Theme)).collect()
        })
}

/// Everything that shapes every page of a partner's site: if it is unchanged, a page
/// whose own content is unchanged renders to the same bytes.
fn structure_hash(
    parsed: &Parsed,
    site: &crate::site::plan::SitePlan,
    ui: &crate::load::i18n::UiStrings,
    generated: &BTreeMap<String, Vec<u8>>,
    site_path: &str,
) -> u64 {
    let partner = site.partner;
    let mut text = serde_json::to_string(partner).unwrap_or_default();
    text.push_str(&serde_json::to_string(&ui.strings).unwrap_or_default());
    text.push_str(site_path);
    text.push_str(&format!("{}", parsed.terms.fingerprint()));
    text.push_str(&format!("{}", parsed.themes[&partner.theme].fingerprint()));
    text.push_str(&format!("{}", parsed.partner_layers[&partner.id].fingerprint()));
    for (name, bytes) in
        generated.iter().filter(|(name, _)| !name.starts_with(crate::emit::search::DIR))
    {
        text.push_str(name);
        text.push_str(&crate::load::theme::content_hash(bytes));
    }
    for (index, page) in site.pages.iter().enumerate() {
        let parent = site.breadcrumbs(index).last().map(|p| p.url.clone()).unwrap_or_default();
        // An alias added or removed adds or removes a redirect file: a complete write.
        let aliases: Vec<&str> = page.page.aliases.iter().map(|a| a.value.as_str()).collect();
        text.push_str(&format!(
            "{}\0{}\0{:?}\0{:?}\0{}\0{:?}\n",
            page.page.url, page.title, page.page.kind, page.description, parent, aliases
        ));
    }
    xxhash_rust::xxh3::xxh3_64(text.as_bytes())
}

/// Everything a page's own output depends on besides the site's structure, streamed
/// into the hasher.
fn content_hash(page: &crate::site::personalize::SitePage) -> u64 {
    let p = page.page;
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let mut part = |bytes: &[u8]| {
        hasher.update(&(bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    };
    part(page.title.as_bytes());
    // Converted markdown is a function of the file's text (hashed below); only a
    // body rendered per partner must be hashed itself.
    if let crate::model::page::Body::Templated(_) = &p.body {
        part(page.content.html.as_bytes());
        for entry in &page.content.toc {
            part(entry.id.as_bytes());
        }
    }
    if let Some(description) = &page.description {
        part(description.as_bytes());
    }
    // The front matter (owner, tags, dates, fields …) as written: its file's text.
    part(&p.text_hash.to_le_bytes());
    part(p.origin.as_os_str().as_encoded_bytes());
    part(p.source.as_os_str().as_encoded_bytes());
    hasher.digest()
}

/// The partner's code colours: its `code_theme`s where it sets them, else the project's.
fn highlight_css<'p>(parsed: &'p Parsed, partner: &Partner) -> std::borrow::Cow<'p, str> {
    let (light, dark) = (partner.brand.get("code_theme"), partner.brand.get("code_theme_dark"));
    if light.is_empty() && dark.is_empty() {
        return std::borrow::Cow::Borrowed(&parsed.highlight_css);
    }
    let project = &parsed.project;
    let light = if light.is_empty() { project.highlight_light.get_ref() } else { light };
    let dark = if dark.is_empty() { project.highlight_dark.get_ref() } else { dark };
    // Both names were checked when the partner was loaded.
    crate::parse::highlight::stylesheet(light, dark)
        .map_or(std::borrow::Cow::Borrowed(&parsed.highlight_css), std::borrow::Cow::Owned)
}
