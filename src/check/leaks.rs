//! Brand leaks: another partner's name, domain or email address in the text a
//! partner publishes. Every partner's terms go into one automaton, so a page shared
//! by all partners is scanned once, whatever the number of partners.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use rayon::prelude::*;

use crate::error::{Diagnostic, Rule};
use crate::model::page::Page;
use crate::model::partner::Partner;
use crate::site::personalize::SitePage;
use crate::site::plan::SitePlan;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TermKind {
    /// Matched case-sensitively, as a whole word: "Acme" but not "acmes" or "ACME".
    Name,
    /// Matched in any case: host names and email addresses.
    Address,
}

struct Term {
    text: String,
    kind: TermKind,
    /// Partners this term belongs to: a term two partners share identifies neither.
    owners: BTreeSet<String>,
    /// What the term is, for the message: "name", "domain", "email address".
    what: &'static str,
}

/// The identifying terms of every partner, ready to search.
pub struct Terms {
    terms: Vec<Term>,
    automaton: Option<AhoCorasick>,
}

impl Terms {
    pub fn new(partners: &[Partner]) -> Terms {
        let mut terms: Vec<Term> = Vec::new();
        for partner in partners {
            for (text, kind, what) in identifying_terms(partner) {
                match terms.iter_mut().find(|t| t.text.eq_ignore_ascii_case(&text)) {
                    Some(term) => {
                        term.owners.insert(partner.id.clone());
                    }
                    None => terms.push(Term {
                        text,
                        kind,
                        owners: BTreeSet::from([partner.id.clone()]),
                        what,
                    }),
                }
            }
        }
        let automaton = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(terms.iter().map(|t| &t.text))
            .ok();
        Terms { terms, automaton }
    }

    /// Indexes of the terms that occur in `text`. Invisible characters that can sit
    /// inside a word (a soft hyphen, zero-width spaces and joiners) are ignored, and a
    /// term is a word of its own when the characters around it are not letters or
    /// digits in any script: `“Globex”`, `Globex’s`, `Globex—` and a name followed by
    /// a non-breaking space are all found; `Globexian` is not.
    fn find(&self, text: &str) -> BTreeSet<usize> {
        let Some(automaton) = &self.automaton else { return BTreeSet::new() };
        let invisible =
            |c: char| matches!(c, '\u{ad}' | '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}');
        let visible: String;
        let text = if text.contains(invisible) {
            visible = text.chars().filter(|&c| !invisible(c)).collect();
            visible.as_str()
        } else {
            text
        };
        let is_word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        automaton
            .find_iter(text)
            .filter(|m| {
                let term = &self.terms[m.pattern().as_usize()];
                let before = text[..m.start()].chars().next_back();
                let after = text[m.end()..].chars().next();
                let bounded = !is_word(before) && !is_word(after);
                match term.kind {
                    TermKind::Name => bounded && text[m.start()..m.end()] == term.text,
                    TermKind::Address => bounded,
                }
            })
            .map(|m| m.pattern().as_usize())
            .collect()
    }

    /// Terms found in a page's body: in its text (code highlighting splits words
    /// across tags) and in its markup (link targets).
    fn find_in_html(&self, html: &str) -> BTreeSet<usize> {
        let mut found = self.find(html);
        found.extend(self.find(&visible_text(html)));
        found
    }
}

/// A partner's name, and the hosts and email addresses of its site and contacts.
fn identifying_terms(partner: &Partner) -> Vec<(String, TermKind, &'static str)> {
    let mut terms = Vec::new();
    let names = std::iter::once(&partner.name).chain(&partner.also_known_as);
    for name in names.filter(|name| name.chars().count() >= 3) {
        terms.push((name.clone(), TermKind::Name, "name"));
    }
    let contact = &partner.contact;
    let urls =
        [Some(&partner.base_url), contact.support_url.as_ref(), contact.status_page.as_ref()];
    let menu_urls = partner.menu.iter().map(|entry| &entry.url);
    for host in urls.into_iter().flatten().chain(menu_urls).filter_map(|url| host_of(url)) {
        terms.push((host, TermKind::Address, "domain"));
    }
    if let Some(email) = &contact.support_email {
        terms.push((email.clone(), TermKind::Address, "email address"));
        if let Some((_, domain)) = email.split_once('@') {
            terms.push((domain.to_owned(), TermKind::Address, "email domain"));
        }
    }
    terms.retain(|(text, _, _)| !is_generic_host(text));
    terms
}

fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', ':', '?', '#']).next()?;
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

/// Hosts that identify nobody (a local preview, a documentation placeholder).
fn is_generic_host(host: &str) -> bool {
    matches!(host, "localhost" | "127.0.0.1" | "example.com" | "example.org" | "example.net")
}

/// The text of an HTML fragment without its tags, entities decoded.
fn visible_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        text.push_str(&rest[..start]);
        rest = rest[start..].find('>').map_or("", |end| &rest[start + end + 1..]);
    }
    text.push_str(rest);
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Terms found in each page body shared by several partners, scanned once.
pub struct SharedScan(HashMap<usize, BTreeSet<usize>>);

/// A page's identity for the scan: its address, as every partner borrows the same page.
fn key(page: &Page) -> usize {
    page as *const Page as usize
}

/// Scans every page body that partners publish unchanged (not templated per partner).
pub fn scan_shared(terms: &Terms, plans: &[&SitePlan]) -> SharedScan {
    let mut pages: Vec<&SitePage> = plans
        .iter()
        .flat_map(|plan| &plan.pages)
        .filter(|p| matches!(p.content, std::borrow::Cow::Borrowed(_)))
        .collect();
    pages.sort_by_key(|p| key(p.page));
    pages.dedup_by_key(|p| key(p.page));
    SharedScan(
        pages.par_iter().map(|p| (key(p.page), terms.find_in_html(&p.content.html))).collect(),
    )
}

/// Another partner's terms in what `plan`'s partner publishes: its pages, and its
/// own template overrides. `root` is the project folder, to locate findings.
pub fn check(
    terms: &Terms,
    shared: &SharedScan,
    plan: &SitePlan,
    own_templates: &[(&Path, &str)],
    root: &Path,
) -> Vec<Diagnostic> {
    let partner = &plan.partner.id;
    let leaks_in = |found: BTreeSet<usize>| -> Vec<usize> {
        found.into_iter().filter(|&i| !terms.terms[i].owners.contains(partner)).collect()
    };
    let mut problems = Vec::new();
    for site_page in &plan.pages {
        let mut found = match &site_page.content {
            std::borrow::Cow::Borrowed(_) => {
                shared.0.get(&key(site_page.page)).cloned().unwrap_or_default()
            }
            std::borrow::Cow::Owned(content) => terms.find_in_html(&content.html),
        };
        found.extend(terms.find(&site_page.title));
        if let Some(description) = &site_page.description {
            found.extend(terms.find(description));
        }
        let leaks = leaks_in(found);
        if leaks.is_empty() {
            continue;
        }
        let path = site_page.page.display_path();
        let source = crate::support::text::read_text(root, &path).unwrap_or_default();
        for index in leaks {
            problems.push(leak(terms, index, partner, &path, Some(&source)));
        }
    }
    for (path, text) in own_templates {
        for index in leaks_in(terms.find(text)) {
            problems.push(leak(terms, index, partner, path, Some(text)));
        }
    }
    problems
}

fn leak(
    terms: &Terms,
    index: usize,
    partner: &str,
    path: &Path,
    source: Option<&str>,
) -> Diagnostic {
    let term = &terms.terms[index];
    let owners: Vec<&str> = term.owners.iter().map(String::as_str).collect();
    let mut diagnostic = Diagnostic::new(
        PathBuf::from(path),
        format!(
            "brand leak: partner `{partner}`'s site shows `{}`, the {} of {}",
            term.text,
            term.what,
            owners.join(", ")
        ),
    )
    .rule(Rule::BrandLeak)
    .for_partner(partner);
    let position = source.and_then(|source| {
        let found = match term.kind {
            TermKind::Name => source.find(&term.text),
            TermKind::Address => source.to_ascii_lowercase().find(&term.text.to_ascii_lowercase()),
        };
        found.map(|offset| (source, offset))
    });
    diagnostic = match position {
        Some((source, offset)) => diagnostic.at_offset(source, offset).help(format!(
            "use {{{{ partner.name }}}} or {{{{ partner.contact.* }}}}, or wrap the text in {{% if partner.id == \"{}\" %}}…{{% endif %}}",
            owners[0]
        )),
        None => diagnostic.help(format!(
            "the text comes from a snippet or a variable; check {{{{ vars }}}} in partners/{partner}/partner.toml and the snippets this page includes"
        )),
    };
    diagnostic
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_whole_words_in_their_case_and_addresses_in_any_case() {
        let mut acme = crate::model::partner::tests::partner("acme");
        acme.name = "Acme".into();
        acme.base_url = "https://help.acme.test/".into();
        let terms = Terms::new(&[acme]);
        let found = |text: &str| !terms.find(text).is_empty();
        assert!(found("Call Acme support"));
        assert!(!found("Acmeville and ACME and acme"));
        assert!(found("see HELP.ACME.TEST/x"));
        assert!(!found("xhelp.acme.tester"));
    }

    #[test]
    fn names_are_found_beside_typographic_punctuation_and_through_invisible_characters() {
        let mut globex = crate::model::partner::tests::partner("globex");
        globex.name = "Globex".into();
        let terms = Terms::new(&[globex]);
        let found = |text: &str| !terms.find(text).is_empty();
        for leak in [
            "the “Globex” team",
            "Globex’s runbook",
            "Globex—the reseller",
            "Globex\u{a0}Corp",
            "«Globex»",
            "Glo\u{ad}bex support",
            "Glo\u{200b}bex",
        ] {
            assert!(found(leak), "{leak:?}");
        }
        for other in ["Globexian", "Globexé", "ÄGlobex", "Globex2"] {
            assert!(!found(other), "{other:?}");
        }
    }

    #[test]
    fn visible_text_joins_highlighted_words() {
        assert_eq!(visible_text("<span>glo</span>bex &amp; co"), "globex & co");
    }
}
