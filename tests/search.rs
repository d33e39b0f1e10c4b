//! The search index as published: a manifest, term chunks that cover the alphabet in
//! order, fragment files that hold every page once, postings that say where a word
//! is (title, heading, front matter, body, code), stems in the partner's language,
//! and nothing of a page the partner does not carry.

mod common;

use std::collections::BTreeMap;

use common::Fixture;
use serde_json::Value;

const TITLE: u32 = 1;
const HEADING: u32 = 2;
const META: u32 = 4;
const BODY: u32 = 8;
const CODE: u32 = 16;

struct Index {
    manifest: Value,
    /// Term → (page, code) postings, decoded.
    terms: BTreeMap<String, Vec<(u32, u32)>>,
    /// The first term of each chunk and its terms, in file order.
    chunks: Vec<(String, Vec<String>)>,
    /// Page entries in the order of the fragment files.
    pages: Vec<Value>,
}

const DIGITS: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn numbers(text: &str) -> Vec<u32> {
    let mut out = Vec::new();
    let mut value = 0;
    for c in text.chars() {
        let digit = DIGITS.find(c).unwrap() as u32;
        value = value * 32 + (digit & 31);
        if digit < 32 {
            out.push(value);
            value = 0;
        }
    }
    out
}

fn postings(text: &str) -> Vec<(u32, u32)> {
    let chars: Vec<char> = text.chars().collect();
    let digit = |c: char| DIGITS.find(c).unwrap() as u32;
    let (mut out, mut i, mut page) = (Vec::new(), 0, 0);
    while i < chars.len() {
        let mut delta = 0;
        loop {
            let d = digit(chars[i]);
            i += 1;
            delta = delta * 32 + (d & 31);
            if d < 32 {
                break;
            }
        }
        page += delta;
        out.push((page, digit(chars[i]) * 64 + digit(chars[i + 1])));
        i += 2;
    }
    out
}

fn read_index(project: &Fixture, partner: &str) -> Index {
    let dir = format!("public/{partner}/search");
    let manifest: Value =
        serde_json::from_str(&project.read(&format!("{dir}/manifest.json"))).unwrap();
    let mut terms = BTreeMap::new();
    let mut chunks = Vec::new();
    for (n, chunk) in manifest["chunks"].as_array().unwrap().iter().enumerate() {
        let text = project.read(&format!("{dir}/c/{n}.json"));
        let object: serde_json::Map<String, Value> = serde_json::from_str(&text).unwrap();
        let mut names = Vec::new();
        // serde_json's map is sorted; the file's own order is checked on its lines.
        for line in text.lines().filter(|l| l.starts_with('"')) {
            names.push(line.split("\":").next().unwrap().trim_start_matches('"').to_owned());
        }
        for (term, list) in object {
            assert!(
                terms.insert(term.clone(), postings(list.as_str().unwrap())).is_none(),
                "{term} twice"
            );
        }
        chunks.push((chunk[0].as_str().unwrap().to_owned(), names));
    }
    let starts = numbers(manifest["frags"].as_str().unwrap());
    let mut pages = Vec::new();
    let mut first = 0;
    for (n, delta) in starts.iter().enumerate() {
        first += delta;
        assert_eq!(first as usize, pages.len(), "fragment file {n} starts at its first page");
        let list: Vec<Value> =
            serde_json::from_str(&project.read(&format!("{dir}/f/{n}.json"))).unwrap();
        pages.extend(list);
    }
    Index { manifest, terms, chunks, pages }
}

fn project() -> Fixture {
    let project = Fixture::new();
    project
        .file(
            "livery.toml",
            "title = \"Test KB\"\n\n[sections.runbooks]\nfields.severity = { type = \"string\", allowed = [\"sev1\", \"sev2\"] }\n",
        )
        .file(
            "content/runbooks/restore.md",
            "+++\ntitle = \"Restore a backup\"\nweight = 1\nowner = \"dba\"\nseverity = \"sev1\"\ntags = [\"postgres\"]\n+++\nRestoring takes an hour. Restore twice if unsure; restores are cheap.\n\n## Verify the checksum\n\nCompare.\n\n```sql\nSELECT pg_wal_replay_resume();\n```\n",
        )
        .file(
            "content/runbooks/vendor.md",
            "+++\ntitle = \"Vendor escalation\"\nexclude_partners = [\"beta\"]\n+++\nCall the zanzibarite desk.\n",
        );
    project
}

fn code_of(index: &Index, term: &str, page_url: &str) -> u32 {
    let page = index.pages.iter().position(|p| p["u"] == page_url).unwrap() as u32;
    let list = index.terms.get(term).unwrap_or_else(|| panic!("no term {term}"));
    list.iter().find(|(p, _)| *p == page).unwrap_or_else(|| panic!("{term} not on {page_url}")).1
}

#[test]
fn chunks_cover_the_alphabet_in_order_and_fragments_hold_every_page_once() {
    let project = project();
    project.build().unwrap();
    let index = read_index(&project, "alpha");
    assert_eq!(index.manifest["pages"], index.pages.len());
    assert_eq!(index.chunks[0].0, "", "the first chunk starts the alphabet");
    let all: Vec<&String> = index.chunks.iter().flat_map(|(_, names)| names).collect();
    let mut sorted = all.clone();
    sorted.sort();
    assert_eq!(all, sorted, "terms are in order across chunks");
    for window in index.chunks.windows(2) {
        let (next_first, _) = &window[1];
        assert!(window[0].1.iter().all(|t| t < next_first), "a chunk ends before the next starts");
        assert_eq!(window[1].1.first(), Some(next_first));
    }
    let urls: Vec<&str> = index.pages.iter().map(|p| p["u"].as_str().unwrap()).collect();
    assert_eq!(
        urls,
        ["", "runbooks/", "runbooks/restore/", "runbooks/failover/", "runbooks/vendor/"]
    );
    for (term, list) in &index.terms {
        assert!(list.iter().all(|&(page, _)| (page as usize) < urls.len()), "{term}");
        assert!(list.windows(2).all(|w| w[0].0 < w[1].0), "{term}: pages ascending, each once");
    }
}

#[test]
fn postings_say_where_a_word_is_and_words_are_stemmed() {
    let project = project();
    project.build().unwrap();
    let index = read_index(&project, "alpha");
    let page = "runbooks/restore/";
    assert_ne!(code_of(&index, "backup", page) & TITLE, 0);
    assert_ne!(code_of(&index, "checksum", page) & HEADING, 0);
    assert_eq!(code_of(&index, "checksum", page) & TITLE, 0);
    // Declared front matter fields and tags are searchable; how a page is built is not.
    assert_ne!(code_of(&index, "sev1", page) & META, 0);
    assert_ne!(code_of(&index, "postgr", page) & META, 0);
    assert!(!index.terms.contains_key("exclude_partners") && !index.terms.contains_key("weight"));
    // A word only in code is code alone.
    assert_eq!(code_of(&index, "resum", page) & 31, CODE);
    // restore, restores and restoring are one term, counted three times in the body.
    let restore = code_of(&index, "restor", page);
    assert_ne!(restore & BODY, 0);
    assert_eq!((restore >> 5) & 15, 3, "how often in the body");
    assert!(!index.terms.contains_key("restoring") && !index.terms.contains_key("the"));
    assert_eq!(index.manifest["lang"], "en");
}

#[test]
fn a_german_partner_gets_german_stems() {
    let project = project();
    project
        .file(
            "partners/gamma/partner.toml",
            "name = \"Gamma Rechenzentrum\"\nbase_url = \"https://gamma.test\"\nlanguage = \"de\"\n",
        )
        .file(
            "partners/gamma/content/runbooks/sicherung.md",
            "+++\ntitle = \"Sicherungen prüfen\"\n+++\nDie Zertifikate und der Schlüssel.\n",
        );
    project.build().unwrap();
    let index = read_index(&project, "gamma");
    assert_eq!(index.manifest["lang"], "de");
    for term in ["sicherung", "zertifikat", "schlussel", "pruf"] {
        assert!(
            index.terms.contains_key(term),
            "{term} in {:?}",
            index.terms.keys().collect::<Vec<_>>()
        );
    }
    assert!(!index.terms.contains_key("der") && !index.terms.contains_key("und"));
}

#[test]
fn a_partner_index_holds_nothing_of_a_page_it_does_not_carry() {
    let project = project();
    project.build().unwrap();
    assert!(read_index(&project, "alpha").terms.contains_key("zanzibarit"));
    let beta = read_index(&project, "beta");
    assert!(!beta.terms.keys().any(|t| t.starts_with("zanzibar")));
    assert!(beta.pages.iter().all(|p| p["u"] != "runbooks/vendor/"));
    for (path, bytes) in common::files_under(&project.path().join("public/beta")) {
        assert!(!String::from_utf8_lossy(&bytes).contains("zanzibar"), "{path}");
    }
}

#[test]
fn a_leak_that_only_the_index_would_publish_is_refused_and_traced_to_its_page() {
    let project = project();
    // A front matter field is indexed but not shown on the page.
    project.file(
        "content/runbooks/failover.md",
        "+++\ntitle = \"Fail over\"\nsummary_for_search = \"Beta Retail escalation\"\n+++\n## Promote {#promote}\n\nText.\n",
    );
    let error = project.build().unwrap_err().to_string();
    assert!(error.contains("content/runbooks/failover.md"), "{error}");
    assert!(error.contains("Beta Retail") || error.contains("beta"), "{error}");
}
