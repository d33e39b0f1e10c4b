//! The last gate before a partner's site is published: every text file about to be
//! written, and every file and folder name, searched for the terms the partner may
//! not show; each hit traced back to the source that put it there.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Diagnostic, Rule};
use crate::leaks::terms::{Terms, normalize};
use crate::leaks::views::{Format, format_of, views};
use crate::model::output::{Contents, OutputFile};
use crate::site::plan::SitePlan;

/// Where in a published file a term was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Place {
    Contents,
    /// The file's path: its name or a folder's.
    Name,
    /// The search index's entry of this page (by index in the plan).
    Entry(usize),
}

/// A term a partner may not show, found in one of its files.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Hit {
    /// Site path of the file.
    pub file: String,
    pub term: usize,
    pub place: Place,
}

/// The search index and where each page's entry is in it, to trace a hit to a page.
pub struct SearchSpans<'a> {
    pub path: &'a str,
    pub spans: &'a [(u32, u32)],
}

/// Every term `partner` may not show, in the files of its site. Files listed as
/// `Published` were scanned when they were written (with the same terms: a change
/// of terms renders the whole site again) and are not read.
pub fn scan(
    terms: &Terms,
    partner: &str,
    files: &[OutputFile],
    search: Option<&SearchSpans>,
) -> Vec<Hit> {
    let mut hits: Vec<Hit> = files
        .par_iter()
        .map_init(
            || (String::new(), String::new()),
            |buffers, file| scan_file(terms, partner, file, search, buffers),
        )
        .flatten()
        .collect();
    hits.sort();
    hits
}

fn scan_file(
    terms: &Terms,
    partner: &str,
    file: &OutputFile,
    search: Option<&SearchSpans>,
    buffers: &mut (String, String),
) -> Vec<Hit> {
    let mut hits = Vec::new();
    let mut keep = |found: BTreeSet<usize>, place: Place| {
        hits.extend(
            found.into_iter().filter(|&t| terms.get(t).leaks_on(partner)).map(|term| Hit {
                file: file.path.clone(),
                term,
                place,
            }),
        );
    };
    keep(terms.find(&file.path), Place::Name);
    let Some(format) = format_of(&file.path) else { return hits };
    let read;
    let bytes: &[u8] = match &file.contents {
        Contents::Bytes(bytes) => bytes,
        Contents::Static(bytes) => bytes,
        Contents::Copy(source) => match std::fs::read(source) {
            Ok(bytes) => {
                read = bytes;
                &read
            }
            // Copying reports a file that cannot be read.
            Err(_) => return hits,
        },
        Contents::Published => return hits,
    };
    // A file that is not UTF-8 text is binary, whatever its name.
    let Ok(text) = std::str::from_utf8(bytes) else { return hits };
    match search.filter(|s| s.path == file.path) {
        Some(search) => {
            for (page, &(start, end)) in search.spans.iter().enumerate() {
                let entry = text.get(start as usize..end as usize).unwrap_or_default();
                keep(find_in(terms, entry, format, buffers), Place::Entry(page));
            }
        }
        None => keep(find_in(terms, text, format, buffers), Place::Contents),
    }
    hits
}

/// The terms in `text`, read as `format`.
fn find_in(
    terms: &Terms,
    text: &str,
    format: Format,
    buffers: &mut (String, String),
) -> BTreeSet<usize> {
    let mut found = BTreeSet::new();
    for view in views(text, format, buffers) {
        terms.find_into(&normalize(view), &mut found);
    }
    found
}

/// What produced a partner's files, to trace a hit back to its source.
pub struct Origins<'a> {
    pub root: &'a Path,
    pub plan: &'a SitePlan<'a>,
    /// Texts that can put words into any file (templates, UI strings, snippets,
    /// partner.toml, livery.toml), in the order they are searched: project-relative
    /// path and text.
    pub sources: Vec<(PathBuf, String)>,
    /// The files scanned.
    pub files: &'a [OutputFile],
}

/// One problem per source line and term, naming the published files it reached.
pub fn report(terms: &Terms, partner: &str, hits: &[Hit], origins: &Origins) -> Vec<Diagnostic> {
    let by_output: HashMap<String, usize> = origins
        .plan
        .pages
        .iter()
        .enumerate()
        .map(|(i, p)| (crate::support::urls::output_path(&p.page.url), i))
        .collect();
    let mut page_texts: HashMap<usize, Option<String>> = HashMap::new();
    let mut page_text = |index: usize| -> Option<String> {
        page_texts
            .entry(index)
            .or_insert_with(|| {
                let page = origins.plan.pages[index].page;
                // A folder without an _index.md has no file.
                (page.text_hash != 0)
                    .then(|| {
                        crate::support::text::read_text(origins.root, &page.display_path()).ok()
                    })
                    .flatten()
            })
            .clone()
    };
    // By (source, line, term): the origin and the files it reached.
    type Key = (PathBuf, Option<usize>, usize);
    let mut found: BTreeMap<Key, (Origin, Vec<&str>)> = BTreeMap::new();
    for hit in hits {
        let origin = trace(terms, hit, origins, &by_output, &mut page_text);
        let key = (origin.path.clone(), origin.line.map(|(line, _)| line), hit.term);
        found.entry(key).or_insert_with(|| (origin, Vec::new())).1.push(&hit.file);
    }
    found
        .into_values()
        .map(|(origin, files)| {
            let term = terms.get(origin.term);
            let mut files = files;
            files.sort_unstable();
            files.dedup();
            let shown = match files.len() {
                1 => format!("/{}", files[0]),
                2 => format!("/{} and 1 other file", files[0]),
                n => format!("/{} and {} other files", files[0], n - 1),
            };
            let mut diagnostic = Diagnostic::new(
                &origin.path,
                format!(
                    "brand leak: `{}` ({}) would be published in {}{}",
                    term.text,
                    term.whose(),
                    shown,
                    origin.how
                ),
            )
            .rule(Rule::BrandLeak)
            .for_partner(partner)
            .help(help(term, partner, &origin));
            if let Some((line, column)) = origin.line {
                diagnostic = diagnostic.at_line(line, Some(column));
            }
            diagnostic
        })
        .collect()
}

/// Where a hit came from.
struct Origin {
    path: PathBuf,
    line: Option<(usize, usize)>,
    term: usize,
    /// ", in its file name", ", from its title" …
    how: &'static str,
    kind: OriginKind,
}

#[derive(PartialEq, Eq)]
enum OriginKind {
    Page,
    FileName,
    Other,
    Unknown,
}

fn trace(
    terms: &Terms,
    hit: &Hit,
    origins: &Origins,
    by_output: &HashMap<String, usize>,
    page_text: &mut dyn FnMut(usize) -> Option<String>,
) -> Origin {
    let plan = origins.plan;
    let at = |path: PathBuf, line, how, kind| Origin { path, line, term: hit.term, how, kind };
    let file = origins.files.iter().find(|f| f.path == hit.file);
    let copy = file.and_then(|f| match &f.contents {
        Contents::Copy(source) => Some(source),
        _ => None,
    });
    let text: String = match file.map(|f| &f.contents) {
        Some(Contents::Bytes(bytes)) => String::from_utf8_lossy(bytes).into_owned(),
        Some(Contents::Static(bytes)) => String::from_utf8_lossy(bytes).into_owned(),
        Some(Contents::Copy(source)) => std::fs::read_to_string(source).unwrap_or_default(),
        _ => String::new(),
    };
    let page_path = |index: usize| plan.pages[index].page.display_path();
    let copied = || {
        copy.map(|file| {
            file.strip_prefix(origins.root).map(Path::to_owned).unwrap_or_else(|_| file.clone())
        })
    };
    if hit.place == Place::Name {
        // The part of the path that shows the term: a page's own file, or a folder above it.
        if let Some(&index) = by_output.get(&hit.file) {
            return at(
                page_path(index),
                None,
                ", in the address of this page",
                OriginKind::FileName,
            );
        }
        let path = copied().unwrap_or_else(|| PathBuf::from(&hit.file));
        return at(path, None, ", in its file name", OriginKind::FileName);
    }
    let own_page = match hit.place {
        Place::Entry(index) => Some(index),
        _ => by_output.get(&hit.file).copied(),
    };
    if let Some(index) = own_page
        && let Some(text) = page_text(index)
        && let Some(line) = line_of(terms, hit.term, &text, Format::Markup)
    {
        return at(page_path(index), Some(line), "", OriginKind::Page);
    }
    if let Some(source) = copied() {
        let line = line_of(terms, hit.term, &text, source_format(&source));
        return at(source, line, "", OriginKind::Other);
    }
    // Another page's address, title or description, shown in navigation, lists and
    // the sitemap.
    // (Only pages this file names: a leak elsewhere in it must not hide behind them.)
    let names = |shown: &str| {
        text.contains(shown) || text.contains(crate::support::html::escape(shown).as_str())
    };
    for (index, site_page) in plan.pages.iter().enumerate() {
        let url = &site_page.page.url;
        if terms.find(url).contains(&hit.term) && names(url) {
            return at(
                page_path(index),
                None,
                ", in the address of this page",
                OriginKind::FileName,
            );
        }
    }
    for (index, site_page) in plan.pages.iter().enumerate() {
        let shown =
            std::iter::once(site_page.title.as_ref()).chain(site_page.description.as_deref());
        if shown.into_iter().any(|shown| terms.find(shown).contains(&hit.term) && names(shown)) {
            let line = page_text(index).and_then(|t| line_of(terms, hit.term, &t, Format::Markup));
            return at(
                page_path(index),
                line,
                ", from this page's title or description",
                OriginKind::Page,
            );
        }
    }
    for (path, text) in &origins.sources {
        if let Some(line) = line_of(terms, hit.term, text, source_format(path)) {
            return at(path.clone(), Some(line), "", OriginKind::Other);
        }
    }
    let path = match own_page {
        Some(index) => page_path(index),
        None => PathBuf::from(&hit.file),
    };
    at(path, None, ", from a template variable or snippet", OriginKind::Unknown)
}

/// How a source file is read when looking for a term in it.
fn source_format(path: &Path) -> Format {
    match path.extension().and_then(|e| e.to_str()) {
        Some("md" | "markdown") => Format::Markup,
        _ => format_of(&path.to_string_lossy()).unwrap_or(Format::Plain),
    }
}

/// The first line (and column) of `text` where `term` occurs.
fn line_of(terms: &Terms, term: usize, text: &str, format: Format) -> Option<(usize, usize)> {
    let mut buffers = (String::new(), String::new());
    for (number, line) in text.lines().enumerate() {
        let mut found = BTreeSet::new();
        for view in views(line, format, &mut buffers) {
            terms.find_into(&normalize(view), &mut found);
        }
        if found.contains(&term) {
            let written = &terms.get(term).text;
            let column = line
                .to_lowercase()
                .find(&written.to_lowercase())
                .map_or(1, |offset| line[..offset.min(line.len())].chars().count() + 1);
            return Some((number + 1, column));
        }
    }
    None
}

fn help(term: &crate::leaks::terms::Term, partner: &str, origin: &Origin) -> String {
    if term.owners.is_empty() {
        return "rephrase it: livery.toml [leaks] keeps this term off every partner's site"
            .to_owned();
    }
    let owner = term.owners.iter().next().map(String::as_str).unwrap_or_default();
    match origin.kind {
        OriginKind::FileName => format!(
            "rename the file: its name is in the page's address, the navigation and the sitemap (or keep it for {owner} only)"
        ),
        OriginKind::Page => format!(
            "write {{{{ partner.name }}}} (or partner.contact.*) instead, keep the page for {owner} only (front matter partners = [\"{owner}\"]), or wrap the text in {{% if partner.id == \"{owner}\" %}}…{{% endif %}}"
        ),
        OriginKind::Other if origin.path.starts_with(Path::new("partners").join(partner)) => {
            format!("this is partner `{partner}`'s own file: take the term out")
        }
        OriginKind::Other => format!(
            "shared theme files, strings and snippets reach every partner: use {{{{ partner.name }}}}, or move the text to partners/{owner}/"
        ),
        OriginKind::Unknown => format!(
            "the text comes from a variable or a snippet; check partners/<id>/partner.toml [vars] and the snippets the page includes for `{}`",
            term.text
        ),
    }
}
