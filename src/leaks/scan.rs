//! The last gate before a partner's site is published: every text file about to be
//! written, and every file and folder name, searched for the terms the partner may
//! not show; each hit traced back to the source that put it there.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use crate::emit::search::Traced;
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

/// The search index's files and the page each of their entries comes from, to
/// trace a hit to a page.
pub struct SearchSpans<'a> {
    files: HashMap<&'a str, &'a Traced>,
}

impl<'a> SearchSpans<'a> {
    pub fn new(traced: &'a [Traced]) -> Self {
        SearchSpans { files: traced.iter().map(|f| (f.path.as_str(), f)).collect() }
    }
}

/// Every term `partner` may not show, in the files of its site. Files listed as
/// `Published` were scanned when they were written (with the same terms: a change
/// of terms renders the whole site again) and are not read. What `clean` knows is not
/// searched again, and what this scan finds clean is added to it.
pub fn scan(
    terms: &Terms,
    partner: &str,
    files: &[OutputFile],
    search: Option<&SearchSpans>,
    clean: &CleanLines,
) -> Vec<Hit> {
    let known = clean.known();
    let (mut hits, learned) = files
        .par_iter()
        .fold(Worker::default, |mut worker, file| {
            scan_file(terms, partner, file, search, &known, &mut worker);
            worker
        })
        .map(|worker| (worker.hits, worker.clean))
        .reduce(
            || (Vec::new(), Vec::new()),
            |(mut hits, mut clean), (more_hits, more_clean)| {
                hits.extend(more_hits);
                clean.extend(more_clean);
                (hits, clean)
            },
        );
    drop(known);
    clean.learn(learned);
    hits.sort();
    hits
}

/// Lines of markup (and search entries) in which no term of anyone was found and no
/// markup can hide one. That holds for every partner scanned with the same terms, so
/// the lines every partner's copy of a shared page repeats are searched once per
/// build, not once per partner.
#[derive(Default)]
pub struct CleanLines(Mutex<Arc<LineSet>>);

impl CleanLines {
    fn known(&self) -> Arc<LineSet> {
        self.0.lock().map(|known| Arc::clone(&known)).unwrap_or_default()
    }

    fn learn(&self, lines: Vec<u64>) {
        if let Ok(mut known) = self.0.lock() {
            Arc::make_mut(&mut known).extend(lines);
        }
    }
}

/// Hashes of lines, already spread by xxh3: each is its own bucket key.
type LineSet = HashSet<u64, BuildHasherDefault<Prehashed>>;

#[derive(Default)]
struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(byte);
        }
    }

    fn write_u64(&mut self, hash: u64) {
        self.0 = hash;
    }
}

/// Search entries are read as plain text, lines as markup: the same text may be
/// clean as one and not the other.
const ENTRY_SEED: u64 = 1;

/// What one scanning thread keeps between files.
#[derive(Default)]
struct Worker {
    hits: Vec<Hit>,
    /// Hashes of lines and entries found clean here, for [`CleanLines`].
    clean: Vec<u64>,
    buffers: (String, String),
    /// Hashes of the lines of markup this thread has searched: the header, navigation
    /// and footer lines every page of a site repeats are searched once.
    seen: LineSet,
    /// The lines of a file not searched before, each in its place.
    novel: String,
    /// The runs of lines in `novel`.
    fresh: Vec<Lines>,
    dirty: Vec<usize>,
}

fn scan_file(
    terms: &Terms,
    partner: &str,
    file: &OutputFile,
    search: Option<&SearchSpans>,
    known: &LineSet,
    worker: &mut Worker,
) {
    let Worker { hits, clean, buffers, seen, novel, fresh, dirty } = worker;
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
    let Some(format) = format_of(&file.path) else { return };
    let read;
    let bytes: &[u8] = match &file.contents {
        Contents::Text(text) => text.as_bytes(),
        Contents::Bytes(bytes) => bytes,
        Contents::Static(bytes) => bytes,
        Contents::Copy(source) => match std::fs::read(source) {
            Ok(bytes) => {
                read = bytes;
                &read
            }
            // Copying reports a file that cannot be read.
            Err(_) => return,
        },
        Contents::Published => return,
    };
    // A file that is not UTF-8 text is binary, whatever its name.
    let text = match &file.contents {
        Contents::Text(text) => text.as_str(),
        _ => match std::str::from_utf8(bytes) {
            Ok(text) => text,
            Err(_) => return,
        },
    };
    match search.and_then(|s| s.files.get(file.path.as_str())) {
        Some(traced) => {
            for &(page, start, end) in &traced.entries {
                let entry = text.get(start as usize..end as usize).unwrap_or_default();
                let hash = xxhash_rust::xxh3::xxh3_64_with_seed(entry.as_bytes(), ENTRY_SEED);
                if known.contains(&hash) {
                    continue;
                }
                let found = find_in(terms, entry, format, buffers, None);
                if found.is_empty() {
                    clean.push(hash);
                }
                keep(found, Place::Entry(page));
            }
        }
        // A line break ends every word and every tag run a term could hide in, so a
        // run of lines searched before is left out (its place kept by its line breaks).
        None if format == Format::Markup => {
            novel.clear();
            fresh.clear();
            for run in runs_of_lines(text) {
                let lines = run.lines;
                if !known.contains(&lines.hash) && seen.insert(lines.hash) {
                    novel.push_str(run.text);
                    fresh.push(lines);
                } else {
                    novel.extend(std::iter::repeat_n('\n', lines.breaks));
                }
            }
            if fresh.is_empty() {
                return;
            }
            dirty.clear();
            keep(find_in(terms, novel, format, buffers, Some(dirty)), Place::Contents);
            dirty.sort_unstable();
            clean.extend(fresh.iter().filter(|lines| !lines.hold_any(dirty)).map(|l| l.hash));
        }
        None => keep(find_in(terms, text, format, buffers, None), Place::Contents),
    }
}

/// A run of whole lines of a file, with its line breaks.
struct Run<'t> {
    text: &'t str,
    lines: Lines,
}

/// Which lines of a file a run is.
#[derive(Clone, Copy)]
struct Lines {
    /// The number of the first, counted from 0.
    first: usize,
    /// How many line breaks the run holds (the last of a file may not end in one).
    breaks: usize,
    hash: u64,
}

impl Lines {
    /// Whether one of `lines` (in ascending order) is one of these.
    fn hold_any(&self, lines: &[usize]) -> bool {
        let from = lines.partition_point(|&line| line < self.first);
        lines.get(from).is_some_and(|&line| line <= self.first + self.breaks)
    }
}

/// `text` cut into runs of lines, each ending where a line's own content says so:
/// the runs a page shares with another (a navigation block, a paragraph) are cut
/// alike whatever precedes them, so one run looked up stands for several lines.
fn runs_of_lines(text: &str) -> impl Iterator<Item = Run<'_>> {
    /// No run is longer than this many lines.
    const LONGEST: usize = 64;
    let bytes = text.as_bytes();
    let (mut start, mut line, mut done) = (0, 0, false);
    let mut ends = memchr::memchr_iter(b'\n', bytes);
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        let first = line;
        let mut from = start;
        let end = loop {
            let Some(end) = ends.next() else { break bytes.len() };
            line += 1;
            let last = from;
            from = end + 1;
            if ends_run(&bytes[last..end]) || line - first == LONGEST {
                break from;
            }
        };
        let run = &text[start..end];
        // A text ending in a line break has no empty run after it.
        (start, done) = (end, end == bytes.len());
        let hash = xxhash_rust::xxh3::xxh3_64(run.as_bytes());
        Some(Run { text: run, lines: Lines { first, breaks: line - first, hash } })
    })
}

/// Whether a run ends with `line`: about one line in eight, told from its length and
/// a few of its bytes (hashing every line costs more than the lookups it saves).
fn ends_run(line: &[u8]) -> bool {
    let length = line.len();
    let word = |at: usize| {
        line.get(at..at + 8).map_or(0, |w| u64::from_le_bytes(w.try_into().unwrap_or_default()))
    };
    let sample =
        word(length.saturating_sub(8)) ^ word((length / 2).saturating_sub(4)).rotate_left(29);
    (length as u64 ^ sample).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 61 == 0
}

/// The terms in `text`, read as `format`; for markup, the lines (counted from 0) that
/// hold a term or markup that may hide one go into `dirty`.
fn find_in(
    terms: &Terms,
    text: &str,
    format: Format,
    buffers: &mut (String, String),
    mut dirty: Option<&mut Vec<usize>>,
) -> BTreeSet<usize> {
    let mut found = BTreeSet::new();
    if format == Format::Markup {
        // The bytes as they are: every term written plainly, in text or attributes.
        // Only a page where markup may hide one is read again as a reader sees it
        // (see `views::needs_views`).
        let lowered = terms.lowered(text);
        let mut marked_up = BTreeSet::new();
        terms.find_lowered_on_lines(
            text,
            &lowered,
            &mut found,
            &mut marked_up,
            dirty.as_deref_mut(),
        );
        let in_terms = |c| terms.uses_character(c);
        let hiding = crate::leaks::views::needs_views(text, &in_terms);
        if hiding && let Some(dirty) = dirty {
            dirty.extend(
                text.split('\n')
                    .enumerate()
                    .filter(|(_, line)| crate::leaks::views::needs_views(line, &in_terms))
                    .map(|(number, _)| number),
            );
        }
        // Any term's words followed by markup: a trigger may also have stood where
        // a shorter term starts, so the page is read again whoever the term is of.
        if marked_up.is_empty() && !hiding {
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
            Some(Contents::Text(text)) => text.clone(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::leaks::terms::tests::identity;
    use crate::model::identity::TermKind;

    fn terms() -> Terms {
        let alpha = identity("alpha", &[("Alpha Co", TermKind::Name, false)]);
        let beta = identity("beta", &[("Beta", TermKind::Name, false)]);
        Terms::new(&[alpha, beta], &[])
    }

    fn page(path: &str, lines: &[&str]) -> OutputFile {
        OutputFile { path: path.into(), contents: Contents::Text(lines.join("\n")) }
    }

    fn found(terms: &Terms, hits: &[Hit]) -> BTreeSet<String> {
        hits.iter().map(|hit| terms.get(hit.term).text.clone()).collect()
    }

    #[test]
    fn a_line_holding_one_partners_term_is_searched_again_for_the_next_partner() {
        let terms = terms();
        let clean = CleanLines::default();
        let chrome: Vec<String> = (0..200).map(|i| format!("<li>Entry {i}</li>")).collect();
        let mut lines: Vec<&str> = chrome.iter().map(String::as_str).collect();
        lines.push("<p>Call Alpha Co or <em>Be</em>ta today.</p>");
        let files = [page("a/index.html", &lines), page("b/index.html", &lines)];
        // Alpha's own name is not a leak on its site; Beta's, hidden by markup, is.
        assert_eq!(
            found(&terms, &scan(&terms, "alpha", &files, None, &clean)),
            ["Beta".into()].into()
        );
        let learned = clean.known().len();
        assert!(learned > 0, "the navigation lines are clean and remembered");
        // Beta's site: the same lines, the clean ones not searched again.
        assert_eq!(
            found(&terms, &scan(&terms, "beta", &files, None, &clean)),
            ["Alpha Co".into()].into()
        );
        assert_eq!(clean.known().len(), learned, "nothing new to learn from the same lines");
    }

    #[test]
    fn runs_of_lines_cover_the_text_and_cut_shared_blocks_alike() {
        let block: Vec<String> =
            (0..300).map(|i| format!("<li><a href=\"../s-{i}/\">Section {i}</a></li>")).collect();
        let block = block.join("\n");
        let one = format!("<header>one</header>\n{block}\n<footer>");
        let two = format!("<main>\n<p>another page, another start</p>\n{block}\n<footer>\n");
        let (empty, ends_in_break) = (String::new(), format!("{one}\n"));
        assert_eq!(runs_of_lines(&empty).count(), 1, "an empty file is one empty run");
        assert!(runs_of_lines(&ends_in_break).all(|run| !run.text.is_empty()));
        for text in [&one, &two, &ends_in_break] {
            let runs: Vec<Run> = runs_of_lines(text).collect();
            assert_eq!(runs.iter().map(|r| r.text).collect::<String>(), *text);
            let mut line = 0;
            for run in &runs {
                assert_eq!(run.lines.first, line);
                assert_eq!(run.lines.breaks, run.text.matches('\n').count());
                line += run.lines.breaks;
            }
            assert_eq!(line, text.matches('\n').count());
        }
        let hashes =
            |text: &str| -> BTreeSet<u64> { runs_of_lines(text).map(|r| r.lines.hash).collect() };
        let shared = hashes(&one).intersection(&hashes(&two)).count();
        assert!(
            shared * 10 > hashes(&one).len() * 8,
            "{shared} of {} runs shared",
            hashes(&one).len()
        );
    }

    proptest::proptest! {
        /// What earlier partners' scans found clean never hides a term from a later one.
        #[test]
        fn remembered_clean_lines_hide_nothing(
            files in proptest::collection::vec(
                proptest::collection::vec(
                    proptest::prop_oneof![
                        // Mostly lines with no term, as pages are.
                        8 => proptest::sample::select(vec![
                            "<li>Home</li>", "<nav>", "</nav>", "<a href=x>x</a>", "", "<p>Co</p>",
                            "<p>Alpha</p>", "<li>Docs</li>", "<p>B", "eta</p>",
                        ]),
                        1 => proptest::sample::select(vec![
                            "<p>Alpha Co</p>", "<p>Alpha <b>Co</b></p>", "beta", "Be&shy;ta",
                            "Alpha C&#111;", "alpha-co", "Ａｌｐｈａ Co",
                        ]),
                    ],
                    0..40,
                ),
                1..6,
            ),
        ) {
            let terms = terms();
            let files: Vec<OutputFile> = files
                .iter()
                .enumerate()
                .map(|(i, lines)| page(&format!("{i}.html"), lines))
                .collect();
            let alone = found(&terms, &scan(&terms, "beta", &files, None, &CleanLines::default()));
            let clean = CleanLines::default();
            scan(&terms, "alpha", &files, None, &clean);
            let after = found(&terms, &scan(&terms, "beta", &files, None, &clean));
            proptest::prop_assert_eq!(alone, after);
        }
    }
}
