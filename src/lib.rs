//! livery: one shared tree of markdown, one fully branded static site per partner.
//!
//! The pipeline, one module per stage:
//! `config` + `load` (read the project) → `page` + `markdown` (parse every page once)
//! → `plan` (per partner: pages, tree, navigation) → `render` (tera, in parallel)
//! → `write` (staging folders, swapped in only when every partner succeeded).
//! This file wires the stages and holds no logic of its own.

// Diagnostics travel on the error path only; boxing them would buy nothing measurable.
#![allow(clippy::result_large_err)]

pub mod config;
pub mod error;
pub mod highlight;
pub mod links;
pub mod load;
pub mod markdown;
pub mod page;
pub mod plan;
pub mod render;
pub mod theme;
pub mod urls;
pub mod write;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use error::{Diagnostic, Error, Severity};

use config::{Partner, PartnerDraft, ProjectConfig};
use highlight::Highlighter;
use theme::{Layer, Theme};

/// What `livery build` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Output folder; `livery.toml`'s `output_dir` (default `public`) when None.
    pub out: Option<PathBuf>,
    /// Partner ids to build; every partner when empty.
    pub partners: Vec<String>,
    pub drafts: bool,
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
    pub pages: usize,
    pub files: usize,
    pub written: usize,
    pub unchanged: usize,
    pub elapsed: Duration,
    /// Time spent rendering pages in memory, and writing them to the staging folder.
    pub render_time: Duration,
    pub write_time: Duration,
}

/// A project read and parsed: everything partner-independent.
struct Parsed {
    project: ProjectConfig,
    partners: Vec<Partner>,
    themes: BTreeMap<String, Layer>,
    pages: Vec<page::Page>,
    assets: Vec<PathBuf>,
    highlight_css: String,
}

pub fn build(options: &BuildOptions) -> Result<BuildReport, Error> {
    let started = Instant::now();
    let parsed = load_and_parse(options)?;
    let parse_time = started.elapsed();
    let out_dir = options.out.clone().unwrap_or_else(|| parsed.project.output_dir.clone());
    let asset_set: BTreeSet<PathBuf> = parsed.assets.iter().cloned().collect();
    let content_root = parsed.project.root.join(page::CONTENT_DIR);

    let mut warnings = Vec::new();
    let mut staged = Vec::new();
    let mut reports = Vec::new();
    for partner in &parsed.partners {
        let started = Instant::now();
        let result = build_partner(&parsed, partner, &asset_set, &content_root, &out_dir);
        match result {
            Ok((site, report, partner_warnings)) => {
                warnings.extend(partner_warnings);
                reports.push(PartnerReport { elapsed: started.elapsed(), ..report });
                staged.push(site);
            }
            Err(error) => {
                write::discard(staged);
                return Err(error);
            }
        }
    }
    let committing = Instant::now();
    write::commit(staged)?;
    let commit_time = committing.elapsed();
    warnings.sort_by_key(Diagnostic::location);
    warnings.dedup_by(|a, b| a.location() == b.location() && a.message == b.message);
    Ok(BuildReport {
        out_dir,
        partners: reports,
        warnings,
        markdown_conversions: parsed.pages.len(),
        parse_time,
        commit_time,
    })
}

type PartnerBuild = (write::Staged, PartnerReport, Vec<Diagnostic>);

fn build_partner(
    parsed: &Parsed,
    partner: &Partner,
    assets: &BTreeSet<PathBuf>,
    content_root: &Path,
    out_dir: &Path,
) -> Result<PartnerBuild, Error> {
    let root = &parsed.project.root;
    let site = plan::plan(partner, &parsed.pages, |_| true);
    let (warnings, errors): (Vec<_>, Vec<_>) =
        links::check(&site, assets, parsed.project.broken_links)
            .into_iter()
            .partition(|d| d.severity == Severity::Warning);
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let partner_layer = theme::load_layer(root, &Path::new("partners").join(&partner.id))?;
    let generated = render::generated_files(partner, &parsed.highlight_css);
    let theme_dir = Path::new("themes").join(&partner.theme);
    let theme =
        Theme::assemble(&theme_dir, &parsed.themes[&partner.theme], &partner_layer, &generated)
            .map_err(|problems| {
                Error::Project(problems.into_iter().map(|d| d.for_partner(&partner.id)).collect())
            })?;
    let rendering = Instant::now();
    let files = render::render_site(&site, &theme, &generated, &parsed.assets, content_root)?;
    let render_time = rendering.elapsed();
    let writing = Instant::now();
    let staged = write::stage(out_dir, &partner.id, &files)?;
    let report = PartnerReport {
        id: partner.id.clone(),
        name: partner.name.clone(),
        pages: site.pages.len(),
        files: files.len(),
        written: staged.written,
        unchanged: staged.unchanged,
        elapsed: Duration::ZERO,
        render_time,
        write_time: writing.elapsed(),
    };
    Ok((staged, report, warnings))
}

/// Everything up to the per-partner stages, with every problem of the project collected.
fn load_and_parse(options: &BuildOptions) -> Result<Parsed, Error> {
    let root = &options.root;
    let project = config::load_project(root)?;
    let ids = select_partners(root, &options.partners)?;
    let mut problems = error::Problems::default();

    let drafts: Vec<PartnerDraft> = ids
        .iter()
        .filter_map(|id| {
            problems.take(config::load_partner(root, id, &project).map_err(|d| vec![d]))
        })
        .collect();
    let theme_names: BTreeSet<String> = drafts.iter().map(|d| d.theme.clone()).collect();
    let mut theme_configs = BTreeMap::new();
    let mut themes = BTreeMap::new();
    for name in theme_names {
        let loaded = config::load_theme_config(root, &name).map_err(|d| vec![d]);
        if let Some(theme_config) = problems.take(loaded) {
            if let Some(layer) =
                problems.take(theme::load_layer(root, &Path::new("themes").join(&name)))
            {
                themes.insert(name.clone(), layer);
            }
            theme_configs.insert(name, theme_config);
        }
    }
    let partners: Vec<Partner> = drafts
        .into_iter()
        .filter_map(|draft| {
            let theme_config = theme_configs.get(&draft.theme)?;
            problems.take(draft.resolve(theme_config))
        })
        .collect();

    let highlight_css = match highlight::stylesheet(
        project.highlight_light.get_ref(),
        project.highlight_dark.get_ref(),
    ) {
        Ok(css) => css,
        Err(unknown) => {
            let span = if unknown == *project.highlight_light.get_ref() {
                project.highlight_light.span()
            } else {
                project.highlight_dark.span()
            };
            let mut diagnostic = Diagnostic::new(
                config::PROJECT_FILE,
                format!("unknown highlight theme `{unknown}`"),
            )
            .help(format!("choose one of: {}", highlight::theme_names().join(", ")));
            if !span.is_empty() {
                diagnostic = diagnostic.at_offset(&project.source, span.start);
            }
            problems.push(diagnostic);
            String::new()
        }
    };

    let content = problems.take(load::load_content(root)).unwrap_or_default();
    let highlighter = Highlighter::new();
    let (pages, page_problems) =
        page::parse_all(&content.pages, &highlighter, options.drafts || project.drafts);
    problems.extend(page_problems);
    problems.finish()?;
    Ok(Parsed { project, partners, themes, pages, assets: content.assets, highlight_css })
}

fn select_partners(root: &Path, wanted: &[String]) -> Result<Vec<String>, Error> {
    let all = config::partner_ids(root)?;
    if wanted.is_empty() {
        return Ok(all);
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
