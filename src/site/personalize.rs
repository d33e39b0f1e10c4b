//! Per partner: which pages the site carries, and the partner's version of each.
//!
//! A partner carries a shared page unless the page's front matter leaves it out
//! (`partners`, `exclude_partners`) or the partner's `[content]` rules do (`exclude`
//! globs, `exclude_tags`); a page under `partners/<id>/content/` is carried by that
//! partner only, and replaces the shared page of the same path. A page whose section
//! is not carried is not carried either.
//!
//! Pages converted at parse time are borrowed as they are; only templated pages (and
//! templated titles) are rendered and converted here, once per partner.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::Diagnostic;
use crate::model::content::Converted;
use crate::model::page::Body;
use crate::model::page::Page;
use crate::model::page::PageKind;
use crate::model::partner::Partner;
use crate::model::url_map::UrlMap;
use crate::parse::highlight::Highlighter;
use crate::parse::markdown;
use crate::parse::templating::ContentTemplates;

/// A page as one partner publishes it.
#[derive(Debug, Clone)]
pub struct SitePage<'a> {
    pub page: &'a Page,
    /// Published in the content's own language on a site in another, for want of a
    /// translation (`[languages] missing = "fallback"`).
    pub fallback: bool,
    pub title: Cow<'a, str>,
    pub description: Option<Cow<'a, str>>,
    pub content: Cow<'a, Converted>,
}

/// One partner's pages, sorted by source path.
pub struct Personalized<'a> {
    pub pages: Vec<SitePage<'a>>,
    /// Markdown conversions done for this partner (templated pages only).
    pub conversions: usize,
    /// Pages meant for this partner (its own, or naming it in `partners`) that are
    /// left out because their section is not carried.
    pub orphans: Vec<&'a Page>,
    /// Pages the partner carries that this language's site leaves out for want of a
    /// translation (`[languages] missing = "omit"`): their URLs lead to the default
    /// language's page.
    pub untranslated: Vec<&'a Page>,
}

/// How a site in a language other than the content's finds its pages.
#[derive(Clone, Copy)]
pub struct Translation<'p> {
    /// The language the content is written in.
    pub source: &'p str,
    pub missing: crate::model::project::MissingTranslation,
}

/// The shared pages, and the pages of each partner's own content folder.
pub struct AllPages {
    pub shared: Vec<Page>,
    pub own: BTreeMap<String, Vec<Page>>,
    /// Translations of shared pages, by language, each sorted by source.
    pub translated: BTreeMap<String, Vec<Page>>,
    /// Files that did not parse: their problems are reported, and links to them are
    /// not reported again as broken.
    pub unparsed: BTreeSet<PathBuf>,
}

impl AllPages {
    /// Every page path any partner may carry, to tell "not carried" from "missing".
    pub fn sources(&self) -> BTreeSet<PathBuf> {
        self.shared.iter().chain(self.own.values().flatten()).map(|p| p.source.clone()).collect()
    }

    /// Every page path any partner may carry, by the URL it publishes to.
    pub fn by_url(&self) -> BTreeMap<String, PathBuf> {
        let all = self.shared.iter().chain(self.own.values().flatten());
        all.map(|p| (p.url.clone(), p.source.clone())).collect()
    }
}

pub fn personalize<'a>(
    partner: &Partner,
    pages: &'a AllPages,
    templates: &ContentTemplates,
    (highlighter, urls): (&Highlighter, &UrlMap),
    translation: Translation,
) -> Result<Personalized<'a>, Vec<Diagnostic>> {
    let own: &[Page] = pages.own.get(&partner.id).map_or(&[], Vec::as_slice);
    let own_sources: BTreeSet<&Path> = own.iter().map(|p| p.source.as_path()).collect();
    // On a site in another language than the content's, each shared page is its
    // translation, else the page itself (marked), else left out.
    let translated: Option<BTreeMap<&Path, &Page>> =
        (partner.language != translation.source).then(|| {
            let list = pages.translated.get(&partner.language).map_or(&[][..], Vec::as_slice);
            list.iter().map(|p| (p.source.as_path(), p)).collect()
        });
    let mut untranslated = Vec::new();
    let mut fallback: BTreeSet<&Path> = BTreeSet::new();
    let mut chosen: Vec<&Page> = Vec::with_capacity(pages.shared.len() + own.len());
    for page in &pages.shared {
        if own_sources.contains(page.source.as_path()) || !carries(partner, page) {
            continue;
        }
        let Some(translated) = &translated else {
            chosen.push(page);
            continue;
        };
        match translated.get(page.source.as_path()) {
            Some(translation) => chosen.push(translation),
            // Sections hold the tree together: they fall back even when pages are omitted.
            None if translation.missing == crate::model::project::MissingTranslation::Fallback
                || page.kind == PageKind::Section =>
            {
                fallback.insert(page.source.as_path());
                chosen.push(page);
            }
            None => untranslated.push(page),
        }
    }
    chosen.extend(own);
    if !own.is_empty() {
        // Shared pages come sorted by source; a partner's own pages join them here.
        chosen.sort_by(|a, b| a.source.cmp(&b.source));
    }
    let (chosen, dropped) = drop_orphans(chosen);
    let chosen = drop_empty_sections(chosen, pages);
    let orphans = dropped
        .into_iter()
        .filter(|page| {
            own_sources.contains(page.source.as_path())
                || page.only_partners.as_ref().is_some_and(|only| only.value.contains(&partner.id))
        })
        .collect();

    let results: Vec<Result<(SitePage, usize), Diagnostic>> = chosen
        .par_iter()
        .map(|page| {
            let (mut site_page, conversions) =
                site_page(partner, page, templates, (highlighter, urls))?;
            site_page.fallback = fallback.contains(page.source.as_path());
            Ok((site_page, conversions))
        })
        .collect();
    let mut problems = Vec::new();
    let mut site_pages = Vec::with_capacity(results.len());
    let mut conversions = 0;
    for result in results {
        match result {
            Ok((page, converted)) => {
                conversions += converted;
                site_pages.push(page);
            }
            Err(diagnostic) => problems.push(diagnostic),
        }
    }
    if problems.is_empty() {
        Ok(Personalized { pages: site_pages, conversions, orphans, untranslated })
    } else {
        Err(problems)
    }
}

/// Whether the partner carries a shared page, by the page's and the partner's rules.
pub fn carries(partner: &Partner, page: &Page) -> bool {
    if page.only_partners.as_ref().is_some_and(|only| !only.value.contains(&partner.id)) {
        return false;
    }
    if page.exclude_partners.as_ref().is_some_and(|excluded| excluded.value.contains(&partner.id)) {
        return false;
    }
    if page.url.is_empty() {
        return true;
    }
    let rules = &partner.content;
    !rules.exclude.is_match(&page.source)
        && !page.tags.iter().any(|tag| rules.exclude_tags.contains(tag))
}

/// Leaves out pages whose section is not carried: (kept, left out).
/// `pages` (sorted by source) split into those whose sections are all carried and those
/// left without one, both still sorted by source.
fn drop_orphans(pages: Vec<&Page>) -> (Vec<&Page>, Vec<&Page>) {
    let mut dropped = Vec::new();
    let mut kept_sections: BTreeSet<PathBuf> = BTreeSet::new();
    let mut kept = Vec::with_capacity(pages.len());
    let mut by_depth: Vec<(usize, &Page)> = pages.into_iter().enumerate().collect();
    // A section's `_index.md` has as many components as the pages beside it, so at
    // each depth sections come first ("Zebra.md" must not sort before "_index.md").
    // Within a depth the order of `pages` (by source) stays: the sort is stable.
    let is_page = |page: &Page| page.source.file_name() != Some("_index.md".as_ref());
    by_depth.sort_by_cached_key(|(_, page)| (page.source.components().count(), is_page(page)));
    for (order, page) in by_depth {
        let parent_kept = page.parent_source().is_none_or(|parent| kept_sections.contains(&parent));
        if parent_kept {
            if page.source.file_name() == Some("_index.md".as_ref()) {
                kept_sections.insert(page.source.clone());
            }
            kept.push((order, page));
        } else {
            dropped.push((order, page));
        }
    }
    (in_order(kept), in_order(dropped))
}

/// Leaves out sections with nothing in them for this partner: a folder whose pages
/// are all another partner's would otherwise be an empty entry in its navigation and
/// sitemap. A section with text of its own is a page, and stays; so do the home page
/// and an `_index.md` written for a folder that holds no pages yet.
fn drop_empty_sections<'a>(pages: Vec<&'a Page>, all: &AllPages) -> Vec<&'a Page> {
    let holding_pages: BTreeSet<PathBuf> = all
        .shared
        .iter()
        .chain(all.own.values().flatten())
        .filter_map(Page::parent_source)
        .collect();
    let is_empty_section = |page: &Page| {
        page.kind == PageKind::Section
            && !page.url.is_empty()
            && (page.text_hash == 0
                || holding_pages.contains(&page.source)
                    && matches!(&page.body, Body::Converted(c) if c.html.trim().is_empty()))
    };
    let mut filled: BTreeSet<PathBuf> = BTreeSet::new();
    for page in pages.iter().filter(|p| !is_empty_section(p)) {
        let mut parent = page.parent_source();
        while let Some(section) = parent {
            parent = section.parent().and_then(Path::parent).map(|dir| dir.join("_index.md"));
            if !filled.insert(section) {
                break;
            }
        }
    }
    pages.into_iter().filter(|p| !is_empty_section(p) || filled.contains(&p.source)).collect()
}

fn in_order(mut list: Vec<(usize, &Page)>) -> Vec<&Page> {
    list.sort_unstable_by_key(|(order, _)| *order);
    list.into_iter().map(|(_, page)| page).collect()
}

/// The partner's version of one page; the count is 1 if markdown was converted here.
fn site_page<'a>(
    partner: &Partner,
    page: &'a Page,
    templates: &ContentTemplates,
    (highlighter, urls): (&Highlighter, &UrlMap),
) -> Result<(SitePage<'a>, usize), Diagnostic> {
    let title = render_field(
        partner,
        page,
        &page.title,
        page.title_at.as_ref().map(|t| (t.line, t.column)),
    )?;
    let description = match &page.description {
        Some(d) => Some(render_field(partner, page, &d.value, Some((d.line, d.column)))?),
        None => None,
    };
    let (content, converted) = match &page.body {
        Body::Converted(content) => (Cow::Borrowed(content), 0),
        Body::Templated(template) => {
            let markdown = templates.render(&template.name, partner)?;
            let input = markdown::Input {
                body: &markdown,
                line_offset: template.line_offset,
                source: &page.source,
                url: &page.url,
                urls,
                lift_title: true,
            };
            let converted = markdown::convert(&input, highlighter);
            if let Some(problem) =
                crate::parse::page::nesting_problem(&page.display_path(), &converted)
            {
                return Err(problem.for_partner(&partner.id));
            }
            (Cow::Owned(converted), 1)
        }
    };
    let title = match (&page.title_at, &content.lifted_title) {
        (None, Some(lifted)) if converted == 1 => Cow::Owned(lifted.clone()),
        _ => title,
    };
    Ok((SitePage { page, fallback: false, title, description, content }, converted))
}

/// A front matter text with `{{ … }}` in it, rendered for the partner.
fn render_field<'a>(
    partner: &Partner,
    page: &Page,
    text: &'a str,
    at: Option<(usize, usize)>,
) -> Result<Cow<'a, str>, Diagnostic> {
    if !text.contains("{{") && !text.contains("{%") {
        return Ok(Cow::Borrowed(text));
    }
    crate::parse::templating::render_text(text, partner).map(Cow::Owned).map_err(
        |(message, help)| {
            let mut diagnostic =
                Diagnostic::new(page.display_path(), format!("in front matter: {message}"))
                    .for_partner(&partner.id)
                    .help(help);
            if let Some((line, column)) = at {
                diagnostic = diagnostic.at_line(line, Some(column));
            }
            diagnostic
        },
    )
}
