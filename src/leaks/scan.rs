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
        .map_init(Worker::default, |worker, file| scan_file(terms, partner, file, search, worker))
        .flatten()
        .collect();
    hits.sort();
    hits
}

/// What one scanning thread keeps between files.
#[derive(Default)]
struct Worker {
    buffers: (String, String),
    /// Hashes of the lines of markup this thread has searched: the header, navigation
    /// and footer lines every page of a site repeats are searched once.
    seen: std::collections::HashSet<u64>,
    novel: String,
}

fn scan_file(
    terms: &Terms,
    partner: &str,
    file: &OutputFile,
    search: Option<&SearchSpans>,
    worker: &mut Worker,
) -> Vec<Hit> {
    let buffers = &mut worker.buffers;
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
        // A line break ends every word and every tag run a term could hide in, so a
        // line searched before is left out (its place kept by the line break).
        None if format == Format::Markup => {
            worker.novel.clear();
            for line in text.split('\n') {
                if worker.seen.insert(xxhash_rust::xxh3::xxh3_64(line.as_bytes())) {
                    worker.novel.push_str(line);
                }
                worker.novel.push('\n');
            }
            keep(find_in(terms, &worker.novel, format, buffers), Place::Contents);
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
    if format == Format::Markup {
        // The bytes as they are: every term written plainly, in text or attributes.
        // Only a page where markup may hide one is read again as a reader sees it
        // (see `views::needs_views`).
        let lowered = terms.lowered(text);
        let mut marked_up = BTreeSet::new();
        terms.find_lowered_into(text, &lowered, &mut found, &mut marked_up);
        // Any term's words followed by markup: a trigger may also have stood where
        // a shorter term starts, so the page is read again whoever the term is of.
        let hidden = !marked_up.is_empty()
            || crate::leaks::views::needs_views(text, &|c| terms.uses_character(c));
        if !hidden {
            return found;
        }
    }
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
    let plan = origins.plan;
    let shown_terms = |text: &str| terms.find(text);
    let tracer = Tracer {
        terms,
        origins,
        by_output: plan
            .pages
            .iter()
            .enumerate()
            .map(|(i, p)| (crate::support::urls::output_path(&p.page.url), i))
            .collect(),
        files: origins.files.iter().map(|f| (f.path.as_str(), f)).collect(),
        in_url: plan.pages.par_iter().map(|p| shown_terms(&p.page.url)).collect(),
        in_title: plan
            .pages
            .par_iter()
            .map(|p| {
                let mut found = shown_terms(&p.title);
                found.extend(p.description.as_deref().map(shown_terms).unwrap_or_default());
                found
            })
            .collect(),
        page_texts: std::sync::Mutex::new(HashMap::new()),
    };
    // By (source, line, term): the origin and the files it reached.
    type Key = (PathBuf, Option<usize>, usize);
    let traced: Vec<(&Hit, Vec<Origin>)> =
        hits.par_iter().map(|hit| (hit, tracer.trace(hit))).collect();
    let mut found: BTreeMap<Key, (Origin, Vec<&str>)> = BTreeMap::new();
    for (hit, origins) in traced {
        for origin in origins {
            let key = (origin.path.clone(), origin.line.map(|(line, _)| line), hit.term);
            found.entry(key).or_insert_with(|| (origin, Vec::new())).1.push(&hit.file);
        }
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
    /// ", in the address of this page", ", from this page's title" …
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

/// Traces hits to their sources, with what every hit needs computed once.
struct Tracer<'a> {
    terms: &'a Terms,
    origins: &'a Origins<'a>,
    /// Output path → page index.
    by_output: HashMap<String, usize>,
    files: HashMap<&'a str, &'a OutputFile>,
    /// The terms in each page's address, and in its title or description.
    in_url: Vec<BTreeSet<usize>>,
    in_title: Vec<BTreeSet<usize>>,
    /// Each page's source text, read on first use (None: no file, or unreadable).
    page_texts: std::sync::Mutex<HashMap<usize, Option<std::sync::Arc<String>>>>,
}

impl Tracer<'_> {
    fn page_text(&self, index: usize) -> Option<std::sync::Arc<String>> {
        if let Some(text) = self.page_texts.lock().ok()?.get(&index) {
            return text.clone();
        }
        let page = self.origins.plan.pages[index].page;
        // A folder without an _index.md has no file.
        let text = (page.text_hash != 0)
            .then(|| crate::support::text::read_text(self.origins.root, &page.display_path()).ok())
            .flatten()
            .map(std::sync::Arc::new);
        self.page_texts.lock().ok()?.insert(index, text.clone());
        text
    }

    /// The sources that put `hit`'s term into its file: the first that explains it.
    fn trace(&self, hit: &Hit) -> Vec<Origin> {
        let (terms, origins) = (self.terms, self.origins);
        let plan = origins.plan;
        let at = |path: PathBuf, line, how, kind| Origin { path, line, term: hit.term, how, kind };
        let file = self.files.get(hit.file.as_str());
        let copy = file.and_then(|f| match &f.contents {
            Contents::Copy(source) => Some(source),
            _ => None,
        });
        let page_path = |index: usize| plan.pages[index].page.display_path();
        let copied = || {
            copy.map(|file| {
                file.strip_prefix(origins.root).map(Path::to_owned).unwrap_or_else(|_| file.clone())
            })
        };
        if hit.place == Place::Name {
            // The page whose address it is, or the copied file.
            if let Some(&index) = self.by_output.get(&hit.file) {
                let how = ", in the address of this page";
                return vec![at(page_path(index), None, how, OriginKind::FileName)];
            }
            let path = copied().unwrap_or_else(|| PathBuf::from(&hit.file));
            return vec![at(path, None, ", in its file name", OriginKind::FileName)];
        }
        let own_page = match hit.place {
            Place::Entry(index) => Some(index),
            _ => self.by_output.get(&hit.file).copied(),
        };
        if let Some(index) = own_page
            && let Some(text) = self.page_text(index)
        {
            let mut lines = lines_of(terms, hit.term, &text, Format::Markup);
            // A page rendered per partner may hold the term in a block this partner
            // does not see: the first line outside template tags is the likely one.
            let templated =
                matches!(plan.pages[index].page.body, crate::model::page::Body::Templated(_));
            if templated && !lines.is_empty() {
                let plain = lines.iter().position(|&(line, _)| {
                    !text.lines().nth(line - 1).unwrap_or_default().contains("{%")
                });
                lines = vec![lines[plain.unwrap_or(0)]];
            }
            if !lines.is_empty() {
                return lines
                    .into_iter()
                    .map(|line| at(page_path(index), Some(line), "", OriginKind::Page))
                    .collect();
            }
        }
        let text: String = match file.map(|f| &f.contents) {
            Some(Contents::Bytes(bytes)) => String::from_utf8_lossy(bytes).into_owned(),
            Some(Contents::Static(bytes)) => String::from_utf8_lossy(bytes).into_owned(),
            Some(Contents::Copy(source)) => std::fs::read_to_string(source).unwrap_or_default(),
            _ => String::new(),
        };
        if let Some(source) = copied() {
            let lines = lines_of(terms, hit.term, &text, source_format(&source));
            return vec![at(source, lines.first().copied(), "", OriginKind::Other)];
        }
        // Another page's address, title or description, shown in navigation, lists
        // and the sitemap; only a page this file names, so that a leak elsewhere in it
        // cannot hide behind that page.
        let names = |shown: &str| {
            text.contains(shown) || text.contains(crate::support::html::escape(shown).as_str())
        };
        for (index, site_page) in plan.pages.iter().enumerate() {
            if self.in_url[index].contains(&hit.term) && names(&site_page.page.url) {
                let how = ", in the address of this page";
                return vec![at(page_path(index), None, how, OriginKind::FileName)];
            }
        }
        for (index, site_page) in plan.pages.iter().enumerate() {
            let shown = std::iter::once(site_page.title.as_ref())
                .chain(site_page.description.as_deref())
                .any(names);
            if self.in_title[index].contains(&hit.term) && shown {
                let line = self
                    .page_text(index)
                    .and_then(|t| lines_of(terms, hit.term, &t, Format::Markup).first().copied());
                let how = ", from this page's title or description";
                return vec![at(page_path(index), line, how, OriginKind::Page)];
            }
        }
        for (path, text) in &origins.sources {
            if let Some(&line) = lines_of(terms, hit.term, text, source_format(path)).first() {
                return vec![at(path.clone(), Some(line), "", OriginKind::Other)];
            }
        }
        let path = match own_page {
            Some(index) => page_path(index),
            None => PathBuf::from(&hit.file),
        };
        vec![at(path, None, ", from a template variable or snippet", OriginKind::Unknown)]
    }
}

/// How a source file is read when looking for a term in it.
fn source_format(path: &Path) -> Format {
    match path.extension().and_then(|e| e.to_str()) {
        Some("md" | "markdown") => Format::Markup,
        _ => format_of(&path.to_string_lossy()).unwrap_or(Format::Plain),
    }
}

/// The lines (and columns) of `text` where `term` occurs.
fn lines_of(terms: &Terms, term: usize, text: &str, format: Format) -> Vec<(usize, usize)> {
    let mut buffers = (String::new(), String::new());
    let mut lines = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let mut found = BTreeSet::new();
        for view in views(line, format, &mut buffers) {
            terms.find_into(&normalize(view), &mut found);
        }
        // Markdown's emphasis and code marks split words in the source (`**Beta**Co`).
        if !found.contains(&term) && line.contains(['*', '_', '`', '~']) {
            let unmarked = line.replace(['*', '_', '`', '~'], "");
            for view in views(&unmarked, format, &mut buffers) {
                terms.find_into(&normalize(view), &mut found);
            }
        }
        if found.contains(&term) {
            let written = terms.get(term).text.to_lowercase();
            let column = line
                .to_lowercase()
                .find(&written)
                .and_then(|offset| line.get(..offset))
                .map_or(1, |before| before.chars().count() + 1);
            lines.push((number + 1, column));
        }
    }
    lines
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
