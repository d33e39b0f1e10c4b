//! The per-partner search index, in pieces a reader's browser fetches as it needs them:
//!
//! - `search/manifest.json`: the page count, the language, the first term of each chunk
//!   and the first page of each fragment file: a few kilobytes.
//! - `search/c/<n>.json`: the terms in one alphabetical range, each with the pages it
//!   is on and how (title, heading, front matter, body, code; how often): a query
//!   fetches the chunks its words fall in.
//! - `search/f/<n>.json`: what results show (title, URL, headings with their text),
//!   a few pages per file, one page per line: fetched for the results on screen only.
//!
//! Why our own format rather than Pagefind's: Pagefind indexes finished HTML, one site
//! at a time, in 4 s for 5,000 pages; twenty partners would add over a minute to a
//! ten-second build. Here the terms come from the text the pipeline already holds, and
//! a query costs about what a Pagefind query costs (figures in docs/performance.md).
//! A partner's index holds only its own pages: it is built from its site plan alone.

pub mod words;

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use serde::Serialize;

use crate::site::personalize::SitePage;
use crate::site::plan::SitePlan;
use words::Language;

/// Where the index lives in a partner's site.
pub const DIR: &str = "search";
pub const MANIFEST: &str = "search/manifest.json";

// Chunks and fragment files are cut where their content says, not at a fixed size,
// so that an edit of one page changes the files its terms and entry are in and not
// every file after them: a new chunk starts at a term whose hash is a multiple of
// `every` once the chunk holds `min` bytes (always at `max`), a new fragment file
// likewise at a page, by its URL. Eight results fetch at most eight fragment files.

/// A file's bounds, in bytes, and one key in how many starts a new file past the least.
struct Cuts {
    min: usize,
    max: usize,
    every: u64,
}

const CHUNK_CUTS: Cuts = Cuts { min: 12 * 1024, max: 40 * 1024, every: 4 };
const FRAGMENT_CUTS: Cuts = Cuts { min: 6 * 1024, max: 16 * 1024, every: 2 };

/// Whether a chunk or fragment file of `size` bytes ends before the next `key`.
fn cut_before(key: &str, size: usize, cuts: &Cuts) -> bool {
    size >= cuts.max
        || (size >= cuts.min
            && xxhash_rust::xxh3::xxh3_64(key.as_bytes()).is_multiple_of(cuts.every))
}

/// Text kept per heading section for snippets and phrase checks, and per page.
const SECTION_TEXT_LIMIT: usize = 1_200;
const SECTION_CODE_LIMIT: usize = 600;
const PAGE_TEXT_LIMIT: usize = 6_000;
/// Front matter is indexed as far as its fragment entry keeps it: pages show the
/// rest of what is indexed, and the leak scan must read all of it somewhere.
const META_LIMIT: usize = 2_000;

/// Where a word was found on a page; a posting's low bits. Ranking weighs them
/// title > heading > front matter > body > code.
pub mod field {
    pub const TITLE: u16 = 1;
    pub const HEADING: u16 = 2;
    pub const META: u16 = 4;
    pub const BODY: u16 = 8;
    pub const CODE: u16 = 16;
}

/// Front matter fields that say how to build a page rather than what it is about.
const UNSEARCHED_FIELDS: [&str; 11] = [
    "title",
    "weight",
    "template",
    "draft",
    "partners",
    "exclude_partners",
    "aliases",
    "slug",
    "url",
    "last_reviewed",
    "extra",
];

/// A file of the index and the page each of its entries comes from: a fragment
/// file's page entries, a chunk's terms (traced to the first page holding the term).
pub struct Traced {
    pub path: String,
    /// (plan index of the page, byte range of the entry).
    pub entries: Vec<(usize, u32, u32)>,
}

/// The files of a partner's search index (paths relative to the site root), and where
/// each page's entry is, so that a term found in one is traced to its page.
pub struct Index {
    pub files: Vec<(String, Vec<u8>)>,
    pub traced: Vec<Traced>,
}

#[derive(Serialize)]
struct Entry<'a> {
    /// URL relative to the site root.
    u: &'a str,
    /// Title.
    t: &'a str,
    /// Title of the section the page is in ("" at the top).
    p: &'a str,
    /// The front matter it is found by (description, tags, owner, declared fields):
    /// published here so that what the index holds is what the leak scan reads.
    m: String,
    /// Heading sections: [anchor, heading, text (one block per line), code words].
    s: Vec<(&'a str, &'a str, &'a str, &'a str)>,
}

#[derive(Serialize)]
struct Manifest<'a> {
    /// Format version.
    v: u32,
    /// Stemmer and stop words: `en`, `de`, `fr`, or "" for none.
    lang: &'a str,
    pages: usize,
    /// Average body length in words, for ranking.
    avg: u32,
    /// Each chunk's first term and a hash of its bytes (for caching).
    chunks: Vec<(String, String)>,
    /// Each fragment file's first page, as differences from the previous one, written
    /// like a posting's page.
    frags: String,
    /// A hash of all fragment files (for caching).
    fv: String,
}

/// A page's serialized fragment entry by (content hash, section title).
type EntryCache = HashMap<(u64, String), Arc<[u8]>>;

/// Page terms by the page's content hash and language, and fragment entries by its
/// content hash and section title: the same for every partner that carries the page
/// as it is.
#[derive(Default)]
pub struct TermsCache {
    terms: Mutex<HashMap<(u64, Language), Arc<PageTerms>>>,
    entries: Mutex<EntryCache>,
}

/// The search index of `plan`'s partner. With `known` (each page's content hash, and
/// the terms of pages seen before), a page's terms are worked out once per project.
pub fn index(plan: &SitePlan, known: Option<(&[u64], &TermsCache)>) -> Index {
    let language = Language::of(&plan.partner.language);
    let known = known.filter(|(hashes, _)| hashes.len() == plan.pages.len());
    let pages: Vec<Arc<PageTerms>> = (0..plan.pages.len())
        .into_par_iter()
        .map(|i| match known {
            Some((hashes, cache)) => {
                let key = (hashes[i], language);
                let found = cache.terms.lock().expect("never poisoned").get(&key).cloned();
                found.unwrap_or_else(|| {
                    let terms = Arc::new(page_terms(plan, i, language));
                    cache.terms.lock().expect("never poisoned").insert(key, terms.clone());
                    terms
                })
            }
            None => Arc::new(page_terms(plan, i, language)),
        })
        .collect();
    let (fragment_files, fragments) = fragment_files(plan, known);
    let chunks = chunks(&pages);
    let lengths: u64 = pages.iter().map(|p| u64::from(p.length)).sum();
    let fragment_hash = {
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        fragment_files.iter().for_each(|bytes| hasher.update(bytes));
        format!("{:08x}", hasher.digest() as u32)
    };
    let manifest = Manifest {
        v: 1,
        lang: language.code(),
        pages: plan.pages.len(),
        avg: (lengths / plan.pages.len().max(1) as u64) as u32,
        chunks: chunks.iter().map(|c| (c.first.clone(), short_hash(&c.bytes))).collect(),
        frags: {
            let mut starts = String::new();
            let mut previous = 0;
            for first in fragments.iter().map(|f| f.entries[0].0 as u32) {
                push_number(&mut starts, first - previous);
                previous = first;
            }
            starts
        },
        fv: fragment_hash,
    };
    let mut files = Vec::with_capacity(1 + chunks.len() + fragment_files.len());
    files.push((
        MANIFEST.to_owned(),
        serde_json::to_vec(&manifest).expect("plain data always serializes"),
    ));
    let mut traced = fragments;
    for (n, chunk) in chunks.into_iter().enumerate() {
        let path = format!("{DIR}/c/{n}.json");
        files.push((path.clone(), chunk.bytes));
        traced.push(Traced { path, entries: chunk.entries });
    }
    files.extend(fragment_files.into_iter().zip(&traced).map(|(b, f)| (f.path.clone(), b)));
    Index { files, traced }
}

fn short_hash(bytes: &[u8]) -> String {
    format!("{:08x}", xxhash_rust::xxh3::xxh3_64(bytes) as u32)
}

/// A page's terms, each with its posting code, sorted by term.
pub struct PageTerms {
    terms: Vec<(String, u16)>,
    /// Words of its body.
    length: u32,
}

fn page_terms(plan: &SitePlan, i: usize, language: Language) -> PageTerms {
    let page = &plan.pages[i];
    // The page's text folded into one buffer, each piece with its field: words are
    // then counted as slices of it, and each distinct word stemmed once.
    let mut folded = String::new();
    let mut pieces: Vec<(usize, usize, u16)> = Vec::new();
    let mut push = |text: &str, field: u16| {
        let start = folded.len();
        folded.push_str(&words::fold(text));
        pieces.push((start, folded.len(), field));
        folded.push(' ');
    };
    push(&page.title, field::TITLE);
    // "Cross-Site Request Forgery Prevention" is found by csrf, "Multi-factor
    // authentication" by mfa: the initials of the title's first three to five words,
    // weighed as front matter (below a title or heading that says the acronym).
    push(&acronyms(&page.title), field::META);
    push(&meta_text(page), field::META);
    for section in &page.content.sections {
        push(&section.heading, field::HEADING);
        push(&section.text, field::BODY);
        push(&section.code, field::CODE);
    }
    // Word → (fields, occurrences in the body).
    let mut counted: HashMap<&str, (u16, u16)> = HashMap::new();
    let mut length = 0u32;
    for &(start, end, field) in &pieces {
        for word in words::words(&folded[start..end]) {
            let entry = counted.entry(word).or_default();
            entry.0 |= field;
            if field == field::BODY {
                length += 1;
                entry.1 = entry.1.saturating_add(1);
            }
        }
    }
    // Term → (fields, occurrences): words with one stem add up.
    let mut found: BTreeMap<String, (u16, u16)> = BTreeMap::new();
    for (word, (fields, count)) in counted {
        if let Some(term) = words::term(word, language) {
            let entry = found.entry(term).or_default();
            entry.0 |= fields;
            entry.1 = entry.1.saturating_add(count);
        }
    }
    let bucket = length_bucket(length);
    let terms = found
        .into_iter()
        .map(|(term, (fields, count))| (term, fields | (tf_step(count) << 5) | (bucket << 9)))
        .collect();
    PageTerms { terms, length }
}

/// How often a word is in a page's body, in 16 steps: exact up to 8, then each step
/// about 1.3 times the one before (15: 56 and more). A page that names a term sixty
/// times is about it; one that names it ten times may not be.
fn tf_step(count: u16) -> u16 {
    if count <= 8 {
        return count;
    }
    let steps = (f64::from(count) / 8.0).log2() * 2.5;
    (8 + steps.floor() as u16).min(15)
}

/// A page's length in 8 steps (0: empty, 1: ~50 words, 2: ~150 … 7: 6,000 and more):
/// enough for ranking to favour the page about a word over a long one that names it.
fn length_bucket(words: u32) -> u16 {
    let steps = (words / 50 + 1).ilog2();
    steps.min(7) as u16
}

/// The initials of a title's first 3, 4 and 5 words, when they are words of letters.
fn acronyms(title: &str) -> String {
    let folded = words::fold(title);
    let initials: Vec<char> = words::words(&folded)
        .take(5)
        .map_while(|w| w.chars().next().filter(|c| c.is_alphabetic()))
        .collect();
    (3..=initials.len())
        .map(|n| initials[..n].iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The front matter a page is found by, one value per line, up to `META_LIMIT`: its
/// description and every string (or list of strings) field but those that say how
/// to build it.
fn meta_text(page: &SitePage) -> String {
    let mut texts: Vec<&str> = page.description.as_deref().into_iter().collect();
    for field in page.page.fields.iter().filter(|f| !UNSEARCHED_FIELDS.contains(&f.key.as_str())) {
        texts.extend(strings_of(&field.value));
    }
    clip(&texts.join("\n"), META_LIMIT).to_owned()
}

fn strings_of(value: &toml::Value) -> Vec<&str> {
    match value {
        toml::Value::String(text) => vec![text.as_str()],
        toml::Value::Array(items) => items.iter().filter_map(|v| v.as_str()).collect(),
        _ => Vec::new(),
    }
}

/// One chunk of terms: its first term, its bytes (a JSON object of `"term":"postings"`,
/// one term per line), and each term's line with the first page holding it.
struct Chunk {
    first: String,
    bytes: Vec<u8>,
    entries: Vec<(usize, u32, u32)>,
}

/// The 64 characters postings are written in: none needs escaping in JSON.
const DIGITS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// A number in 5-bit digits, most significant first, all but the last flagged with 32.
fn push_number(out: &mut String, number: u32) {
    let mut groups = [0u8; 7];
    let mut n = 0;
    let mut rest = number;
    loop {
        groups[n] = (rest & 31) as u8;
        n += 1;
        rest >>= 5;
        if rest == 0 {
            break;
        }
    }
    for i in (0..n).rev() {
        let flag = if i > 0 { 32 } else { 0 };
        out.push(DIGITS[usize::from(groups[i] | flag)] as char);
    }
}

/// One posting, three characters for most: the page (as the difference from the
/// previous posting's, five bits per character, the last without the 32 flag), then
/// its code in two characters. A word on every page of a site of 5,000 costs 15 KB.
fn push_posting(out: &mut String, delta: u32, code: u16) {
    push_number(out, delta);
    debug_assert!(code < 4096);
    out.push(DIGITS[usize::from(code >> 6)] as char);
    out.push(DIGITS[usize::from(code & 63)] as char);
}

fn chunks(pages: &[Arc<PageTerms>]) -> Vec<Chunk> {
    let mut by_term: HashMap<&str, Vec<(u32, u16)>> = HashMap::new();
    for (page, terms) in pages.iter().enumerate() {
        for (term, code) in &terms.terms {
            by_term.entry(term.as_str()).or_default().push((page as u32, *code));
        }
    }
    let mut terms: Vec<(&str, Vec<(u32, u16)>)> = by_term.into_iter().collect();
    terms.par_sort_unstable_by(|a, b| a.0.cmp(b.0));
    let mut chunks: Vec<Chunk> = Vec::new();
    let mut line = String::new();
    for (term, postings) in &terms {
        let term = *term;
        line.clear();
        line.push_str(&serde_json::to_string(term).expect("a string always serializes"));
        line.push_str(":\"");
        let mut previous = 0;
        for &(page, code) in postings {
            push_posting(&mut line, page - previous, code);
            previous = page;
        }
        line.push('"');
        let open = chunks.last().is_some_and(|c| !c.bytes.ends_with(b"}"));
        if !open || chunks.last().is_some_and(|c| cut_before(term, c.bytes.len(), &CHUNK_CUTS)) {
            if let Some(last) = chunks.last_mut().filter(|_| open) {
                last.bytes.extend_from_slice(b"\n}");
            }
            chunks.push(Chunk {
                first: term.to_owned(),
                bytes: b"{\n".to_vec(),
                entries: Vec::new(),
            });
        }
        let chunk = chunks.last_mut().expect("one is open");
        if !chunk.entries.is_empty() {
            chunk.bytes.extend_from_slice(b",\n");
        }
        let at = chunk.bytes.len() as u32;
        chunk.bytes.extend_from_slice(line.as_bytes());
        chunk.entries.push((postings[0].0 as usize, at, chunk.bytes.len() as u32));
    }
    if let Some(last) = chunks.last_mut() {
        last.bytes.extend_from_slice(b"\n}");
    }
    // The first chunk starts the alphabet, so that any term falls in one.
    if let Some(first) = chunks.first_mut() {
        first.first.clear();
    }
    chunks
}

/// The fragment files, a JSON array of page entries, one per line.
fn fragment_files(
    plan: &SitePlan,
    known: Option<(&[u64], &TermsCache)>,
) -> (Vec<Vec<u8>>, Vec<Traced>) {
    let entries: Vec<Arc<[u8]>> = (0..plan.pages.len())
        .into_par_iter()
        .map(|i| match known {
            Some((hashes, cache)) => {
                let key = (hashes[i], parent_title(plan, i).unwrap_or_default());
                let found = cache.entries.lock().expect("never poisoned").get(&key).cloned();
                found.unwrap_or_else(|| {
                    let entry: Arc<[u8]> = entry(plan, i).into();
                    cache.entries.lock().expect("never poisoned").insert(key, entry.clone());
                    entry
                })
            }
            None => entry(plan, i).into(),
        })
        .collect();
    let mut files: Vec<Vec<u8>> = Vec::new();
    let mut fragments: Vec<Traced> = Vec::new();
    for (page, entry) in entries.iter().enumerate() {
        let url = &plan.pages[page].page.url;
        let full = files.last().is_none_or(|bytes| cut_before(url, bytes.len(), &FRAGMENT_CUTS));
        if full {
            if let Some(bytes) = files.last_mut() {
                bytes.extend_from_slice(b"\n]");
            }
            fragments.push(Traced {
                path: format!("{DIR}/f/{}.json", fragments.len()),
                entries: Vec::new(),
            });
            files.push(b"[\n".to_vec());
        }
        let bytes = files.last_mut().expect("one was just opened");
        let entries = &mut fragments.last_mut().expect("one per file").entries;
        if !entries.is_empty() {
            bytes.extend_from_slice(b",\n");
        }
        let start = bytes.len() as u32;
        bytes.extend_from_slice(entry);
        entries.push((page, start, bytes.len() as u32));
    }
    if let Some(bytes) = files.last_mut() {
        bytes.extend_from_slice(b"\n]");
    }
    (files, fragments)
}

/// The title of the section a page is in (None for the home page).
fn parent_title(plan: &SitePlan, i: usize) -> Option<String> {
    plan.breadcrumbs(i).last().filter(|_| i > 0).map(|parent| parent.title.clone())
}

fn entry(plan: &SitePlan, i: usize) -> Vec<u8> {
    let page = &plan.pages[i];
    let parent = parent_title(plan, i);
    let mut budget = PAGE_TEXT_LIMIT;
    let entry = Entry {
        u: &page.page.url,
        t: &page.title,
        p: parent.as_deref().unwrap_or_default(),
        m: meta_text(page),
        s: page
            .content
            .sections
            .iter()
            .map(|section| {
                let text = clip(&section.text, SECTION_TEXT_LIMIT.min(budget));
                budget -= text.len();
                let code = clip(&section.code, SECTION_CODE_LIMIT.min(budget));
                budget -= code.len();
                (section.anchor.as_deref().unwrap_or(""), section.heading.as_str(), text, code)
            })
            .collect(),
    };
    serde_json::to_vec(&entry).expect("plain data always serializes")
}

/// At most `limit` bytes of `text`, ending at a whole word.
fn clip(text: &str, limit: usize) -> &str {
    if text.len() <= limit {
        return text;
    }
    let mut end = limit;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let cut = &text[..end];
    cut.rfind([' ', '\n']).map_or("", |space| &cut[..space])
}
