//! `livery check`: every problem of every partner's site, found by the same load,
//! parse and plan stages as `build` (and the same rules: links, schemas, templates),
//! plus what only a checker looks at: stale reviews, orphan pages, duplicate titles,
//! brand leaks and the list of external links. Nothing is rendered or written.

pub mod output;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::error::{Diagnostic, Error, Rule, Severity};
use crate::model::content::LinkTarget;
use crate::model::page::Date;
use crate::model::page::PageKind;
use crate::model::schema;
use crate::parse::highlight::Highlighter;
use crate::pipeline::{BuildOptions, load_and_parse, plan_sites};
use crate::site::personalize::SitePage;
use crate::site::plan::SitePlan;

#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    pub root: PathBuf,
    /// Partner ids to check; every partner when empty.
    pub partners: Vec<String>,
    pub drafts: bool,
    pub shard: Option<crate::site::shard::Shard>,
    /// The date stale reviews are measured against; today when None.
    pub today: Option<Date>,
    /// Told as each partner's site is checked (the CLI shows it on a terminal).
    pub progress: Option<crate::pipeline::Progress>,
}

/// Everything `check` found.
#[derive(Debug)]
pub struct CheckReport {
    /// The partners checked, by id.
    pub partners: Vec<String>,
    /// Sorted by file, line and column. A finding whose `partner` is None applies to
    /// every partner checked.
    pub findings: Vec<Diagnostic>,
    /// Links to other sites, by file; never fetched.
    pub external_links: Vec<ExternalLink>,
    pub elapsed: Duration,
}

impl CheckReport {
    pub fn count(&self, severity: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity == severity).count()
    }

    /// (errors, warnings) that apply to one partner's site.
    pub fn counts_for(&self, partner: &str) -> (usize, usize) {
        let mine =
            self.findings.iter().filter(|f| f.partner.as_deref().is_none_or(|p| p == partner));
        mine.fold((0, 0), |(errors, warnings), f| match f.severity {
            Severity::Error => (errors + 1, warnings),
            Severity::Warning => (errors, warnings + 1),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ExternalLink {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    pub url: String,
}

/// Checks every partner's site. Usage mistakes (an unknown `--partner`) and I/O
/// failures are errors; everything wrong with the project is a finding.
pub fn check(options: &CheckOptions) -> Result<CheckReport, Error> {
    let started = Instant::now();
    let build_options = BuildOptions {
        root: options.root.clone(),
        partners: options.partners.clone(),
        drafts: options.drafts,
        shard: options.shard,
        ..BuildOptions::default()
    };
    let mut parsed = match load_and_parse(&build_options, Highlighter::new(), None) {
        Ok(parsed) => parsed,
        // Only problems that leave nothing to check (no project, no partners) stop here.
        Err(Error::Project(findings)) => {
            return Ok(CheckReport {
                partners: options.partners.clone(),
                findings: sorted(findings),
                external_links: Vec::new(),
                elapsed: started.elapsed(),
            });
        }
        Err(error) => return Err(error),
    };
    let load_problems = std::mem::take(&mut parsed.problems);
    let today = options.today.unwrap_or_else(schema::today);
    let planned = plan_sites(&parsed);
    // Every version's pages are checked: an older version is still published.
    let all_pages = parsed
        .contents
        .iter()
        .flat_map(|c| c.pages.shared.iter().chain(c.pages.own.values().flatten()));
    let stale = all_pages
        .filter_map(|page| crate::site::validate::stale(page, &parsed.project.schemas, today));
    let stale_translations = parsed.contents.iter().flat_map(|content| {
        let originals: HashMap<&std::path::Path, &crate::model::page::Page> =
            content.pages.shared.iter().map(|p| (p.source.as_path(), p)).collect();
        content.pages.translated.values().flatten().filter_map(move |page| {
            crate::site::validate::stale_translation(page, originals.get(page.source.as_path())?)
        })
    });
    let mut findings: Vec<Diagnostic> = load_problems
        .into_iter()
        .chain(planned.shared_problems)
        .chain(stale)
        .chain(stale_translations)
        .collect();

    let mut per_partner = Vec::new();
    let mut external = BTreeSet::new();
    let total = planned.partners.len();
    let mut pages_done = 0;
    for partner_plan in planned.partners {
        let mut problems = partner_plan.problems;
        // Rendering shows what would be published, which is scanned for brand leaks
        // as `build` scans it. Its other problems count only where planning found
        // none: after a planning error they would repeat it.
        let planned_cleanly = !problems.iter().any(|d| d.severity == crate::Severity::Error);
        if let Some(site) = &partner_plan.site {
            let rendered = crate::pipeline::render_problems(&parsed, site);
            problems.extend(
                rendered.into_iter().filter(|d| planned_cleanly || d.rule == Some(Rule::BrandLeak)),
            );
        }
        if let Some(site) = &partner_plan.site {
            problems.extend(site.orphans.iter().map(|page| orphan(page, &site.site)));
            problems.extend(duplicate_titles(&site.site));
            external.extend(external_links(&site.site));
        }
        per_partner.push((partner_plan.partner.id.clone(), problems));
        if let Some(crate::pipeline::Progress(tell)) = &options.progress {
            pages_done += partner_plan.site.as_ref().map_or(0, |s| s.site.pages.len());
            tell(crate::pipeline::Step { done: per_partner.len(), total, pages: pages_done });
        }
    }
    findings.extend(merge_partners(per_partner));
    Ok(CheckReport {
        partners: {
            let mut ids: Vec<String> = parsed.partners.iter().map(|p| p.id.clone()).collect();
            ids.dedup();
            ids
        },
        findings: sorted(findings),
        external_links: external.into_iter().collect(),
        elapsed: started.elapsed(),
    })
}

/// A problem every partner has is reported once, without a partner; one only some
/// partners have is reported once per partner, naming it.
fn merge_partners(per_partner: Vec<(String, Vec<Diagnostic>)>) -> Vec<Diagnostic> {
    // A partner in several languages is one partner.
    let all = per_partner.iter().map(|(id, _)| id).collect::<BTreeSet<_>>().len();
    let mut by_problem: HashMap<Diagnostic, BTreeSet<String>> = HashMap::new();
    let mut merged = Vec::new();
    for (partner, problems) in per_partner {
        for mut problem in problems {
            match &problem.partner {
                Some(other) if *other != partner => {
                    merged.push(problem);
                    continue;
                }
                // The same problem for every partner is one problem.
                _ => problem.partner = None,
            }
            by_problem.entry(problem).or_default().insert(partner.clone());
        }
    }
    for (problem, partners) in by_problem {
        if partners.len() == all {
            merged.push(problem);
        } else {
            merged.extend(partners.iter().map(|p| problem.clone().for_partner(p)));
        }
    }
    merged
}

fn sorted(mut findings: Vec<Diagnostic>) -> Vec<Diagnostic> {
    crate::error::sort_and_dedup(&mut findings);
    findings
}

/// A page meant for the partner that no navigation reaches, because its section is
/// not carried: it is not published at all.
fn orphan(page: &crate::model::page::Page, site: &SitePlan) -> Diagnostic {
    let partner = &site.partner.id;
    let section = page.parent_source().map(|p| p.display().to_string()).unwrap_or_default();
    let mut diagnostic = Diagnostic::new(
        page.display_path(),
        format!(
            "orphan: the page is meant for `{partner}`, but `{partner}` does not carry its section content/{section}, so nothing links to it and it is not published"
        ),
    )
    .rule(Rule::Orphan)
    .warning()
    .for_partner(partner)
    .help(format!(
        "carry the section for {partner} (front matter `partners`/`exclude_partners` of content/{section}, or [content] in partners/{partner}/partner.toml), or move the page"
    ));
    if let Some(only) = &page.only_partners {
        diagnostic = diagnostic.at_line(only.line, Some(only.column));
    }
    diagnostic
}

/// Two pages of one site with the same title cannot be told apart in search results
/// and navigation.
fn duplicate_titles(site: &SitePlan) -> Vec<Diagnostic> {
    let mut first_with_title: BTreeMap<String, &SitePage> = BTreeMap::new();
    let mut problems = Vec::new();
    for page in site.pages.iter().filter(|p| p.page.kind == PageKind::Page) {
        let key = page.title.trim().to_lowercase();
        let Some(first) = first_with_title.get(&key) else {
            first_with_title.insert(key, page);
            continue;
        };
        let mut diagnostic = Diagnostic::new(
            page.page.display_path(),
            format!(
                "duplicate title: `{}` is also the title of {}",
                page.title,
                first.page.display_path().display()
            ),
        )
        .rule(Rule::DuplicateTitle)
        .warning()
        .help("readers cannot tell the two apart in search results; make the titles distinct");
        if let Some(at) = &page.page.title_at {
            diagnostic = diagnostic.at_line(at.line, Some(at.column));
        }
        problems.push(diagnostic);
    }
    problems
}

fn external_links(site: &SitePlan) -> Vec<ExternalLink> {
    site.pages
        .iter()
        .flat_map(|page| {
            let path = page.page.display_path();
            page.content.links.iter().filter(|link| link.target == LinkTarget::External).map(
                move |link| ExternalLink {
                    path: path.clone(),
                    line: link.line,
                    column: link.column,
                    url: link.written.clone(),
                },
            )
        })
        .collect()
}
