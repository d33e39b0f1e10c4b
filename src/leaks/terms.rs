//! The terms the leak scan looks for, in one pair of automata (any case, exact case)
//! for every partner at once, and how text is matched: normalised as a reader would
//! see it (NFKC, invisible characters removed), whole words by Unicode letters.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use unicode_normalization::UnicodeNormalization;

use crate::error::{Diagnostic, Rule};
use crate::model::identity::{Identity, IdentityTerm, TermKind};

/// One term to look for, and the partners it identifies (none: forbidden everywhere).
#[derive(Debug, Clone)]
pub struct Term {
    /// As first written.
    pub text: String,
    pub kind: TermKind,
    pub exact: bool,
    pub owners: BTreeSet<String>,
}

impl Term {
    /// Whether `partner`'s site may not show this term.
    pub fn leaks_on(&self, partner: &str) -> bool {
        !self.owners.contains(partner)
    }

    /// "the name of globex", "a term livery.toml [leaks] forbids".
    pub fn whose(&self) -> String {
        if self.owners.is_empty() {
            return "a term livery.toml [leaks] forbids on every site".to_owned();
        }
        let owners: Vec<&str> = self.owners.iter().map(String::as_str).collect();
        format!("the {} of {}", self.kind.describe(), owners.join(", "))
    }
}

/// Every partner's terms and the project's forbidden ones, ready to search.
pub struct Terms {
    terms: Vec<Term>,
    /// Terms matched in any case: patterns lowercased, searched in lowercased text
    /// (several times faster than a case-insensitive automaton, which cannot use
    /// the vectorised prefilter).
    any_case: Option<(AhoCorasick, Vec<Pattern>)>,
    exact: Option<(AhoCorasick, Vec<Pattern>)>,
    /// Some any-case term has non-ASCII letters: non-ASCII text is lowercased first.
    unicode_any_case: bool,
    /// Every character of every term, as matched.
    characters: std::collections::HashSet<char>,
    fingerprint: u64,
}

impl Terms {
    pub fn new(identities: &[Identity], forbidden: &[IdentityTerm]) -> Terms {
        let mut terms: Vec<Term> = Vec::new();
        let mut by_key: BTreeMap<(String, bool), usize> = BTreeMap::new();
        let written = identities
            .iter()
            .flat_map(|identity| identity.terms.iter().map(|t| (Some(&identity.partner), t)))
            .chain(forbidden.iter().map(|t| (None, t)));
        for (owner, written) in written {
            let key = (match_form(&written.text, written.exact), written.exact);
            let index = *by_key.entry(key).or_insert_with(|| {
                terms.push(Term {
                    text: written.text.clone(),
                    kind: written.kind,
                    exact: written.exact,
                    owners: BTreeSet::new(),
                });
                terms.len() - 1
            });
            let term = &mut terms[index];
            match owner {
                Some(owner) if term.kind != TermKind::Forbidden => {
                    term.owners.insert(owner.clone());
                }
                // A forbidden term is forbidden to its partner too.
                Some(_) => {}
                None => {
                    term.kind = TermKind::Forbidden;
                    term.owners.clear();
                }
            }
        }
        let automaton = |exact: bool| -> Option<(AhoCorasick, Vec<Pattern>)> {
            let mut ids = Vec::new();
            let mut patterns = Vec::new();
            for (i, term) in terms.iter().enumerate().filter(|(_, t)| t.exact == exact) {
                // A name of several words is also found as a file name or address
                // writes it: `beta-retail`, `beta_retail`, `betaretail`.
                let form = match_form(&term.text, exact);
                let words: Vec<&str> = form.split_whitespace().collect();
                let mut forms = vec![form.clone()];
                if words.len() > 1 && matches!(term.kind, TermKind::Name | TermKind::Forbidden) {
                    forms.extend(["-", "_", ""].map(|joint| words.join(joint)));
                }
                for form in forms {
                    ids.push(Pattern::Term(i));
                    patterns.push(form);
                }
                for trigger in markup_triggers(&match_form(&term.text, exact)) {
                    ids.push(Pattern::Markup(i));
                    patterns.push(trigger);
                }
            }
            let automaton = AhoCorasickBuilder::new()
                .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                .match_kind(MatchKind::LeftmostLongest)
                .build(&patterns)
                .ok()?;
            (!ids.is_empty()).then_some((automaton, ids))
        };
        let unicode_any_case = terms.iter().any(|t| !t.exact && !t.text.is_ascii());
        let mut described = String::new();
        for term in &terms {
            described.push_str(&format!("{}\0{}\0{:?}\n", term.text, term.exact, term.owners));
        }
        let characters = terms
            .iter()
            .flat_map(|t| match_form(&t.text, t.exact).chars().collect::<Vec<_>>())
            .collect();
        Terms {
            characters,
            any_case: automaton(false),
            exact: automaton(true),
            unicode_any_case,
            fingerprint: xxhash_rust::xxh3::xxh3_64(described.as_bytes()),
            terms,
        }
    }

    pub fn get(&self, index: usize) -> &Term {
        &self.terms[index]
    }

    /// Changes whenever a term or its owners change: a site built with other terms
    /// must be scanned again in full.
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// Indexes of the terms that occur in `text` as a reader would see it.
    pub fn find(&self, text: &str) -> BTreeSet<usize> {
        let mut found = BTreeSet::new();
        self.find_into(&normalize(text), &mut found);
        found
    }

    /// Adds the terms occurring in `text`, already normalised, to `found`.
    pub fn find_into(&self, text: &str, found: &mut BTreeSet<usize>) {
        self.find_lowered_into(text, &self.lowered(text), found, &mut BTreeSet::new());
    }

    /// `text` as the any-case terms are searched in.
    pub fn lowered(&self, text: &str) -> String {
        if self.unicode_any_case && !text.is_ascii() {
            text.to_lowercase()
        } else {
            text.to_ascii_lowercase()
        }
    }

    /// [`Terms::find_into`] with `text` already lowered; the terms of several words
    /// whose first words are followed by a tag or a reference (`Helios <em>Retail`),
    /// which a reader may see whole where the bytes do not, go into `marked_up`.
    pub fn find_lowered_into(
        &self,
        text: &str,
        lowered: &str,
        found: &mut BTreeSet<usize>,
        marked_up: &mut BTreeSet<usize>,
    ) {
        self.find_lowered_on_lines(text, lowered, found, marked_up, None);
    }

    /// [`Terms::find_lowered_into`], also telling the lines (counted from 0) on which a
    /// term, or a trigger of `marked_up`, was found: any term, whoever's it is.
    pub fn find_lowered_on_lines(
        &self,
        text: &str,
        lowered: &str,
        found: &mut BTreeSet<usize>,
        marked_up: &mut BTreeSet<usize>,
        mut lines: Option<&mut Vec<usize>>,
    ) {
        let mut starts = Vec::new();
        let mut record = |searched: &str, starts: &mut Vec<usize>| {
            if let Some(lines) = lines.as_deref_mut() {
                lines.extend(line_numbers(searched, starts));
                starts.clear();
            }
        };
        if let Some((automaton, ids)) = &self.any_case {
            collect(automaton, ids, lowered, found, marked_up, &mut starts);
            record(lowered, &mut starts);
        }
        if let Some((automaton, ids)) = &self.exact {
            collect(automaton, ids, text, found, marked_up, &mut starts);
            record(text, &mut starts);
        }
    }

    /// Whether some term holds `c` (in any case).
    pub fn uses_character(&self, c: char) -> bool {
        self.characters.contains(&c) || c.to_lowercase().any(|l| self.characters.contains(&l))
    }
}

/// What a pattern of an automaton stands for.
#[derive(Debug, Clone, Copy)]
enum Pattern {
    /// The term of this index, as written or as a slug.
    Term(usize),
    /// A word of this term of several words, then a tag or a reference.
    Markup(usize),
}

/// For a term of several words, each word but the last followed by a tag or a
/// reference, with or without the separator written after it: `helios<`,
/// `helios <`, `help@&`.
fn markup_triggers(form: &str) -> Vec<String> {
    let mut words: Vec<(usize, usize)> = Vec::new();
    let mut start = None;
    for (at, c) in form.char_indices().chain(std::iter::once((form.len(), ' '))) {
        match (start, is_word(c) && at < form.len()) {
            (None, true) => start = Some(at),
            (Some(from), false) => {
                words.push((from, at));
                start = None;
            }
            _ => {}
        }
    }
    let mut triggers = Vec::new();
    for pair in words.windows(2) {
        let ((from, to), (next, _)) = (pair[0], pair[1]);
        let word = &form[from..to];
        let separator = &form[to..next];
        for gap in ["", separator, " "] {
            for mark in ["<", "&"] {
                let trigger = format!("{word}{gap}{mark}");
                if !triggers.contains(&trigger) {
                    triggers.push(trigger);
                }
            }
        }
    }
    triggers
}

/// The terms of `automaton` that occur in `text` as whole words, into `found`; the
/// terms whose words markup follows, into `marked_up`. The longest pattern at a
/// place wins (an email address, not its domain); one that is part of a longer word
/// is skipped, and the search goes on from its next character, so it cannot hide a
/// shorter term that is a word.
fn collect(
    automaton: &AhoCorasick,
    ids: &[Pattern],
    text: &str,
    found: &mut BTreeSet<usize>,
    marked_up: &mut BTreeSet<usize>,
    starts: &mut Vec<usize>,
) {
    let mut at = 0;
    while at < text.len() {
        let input = aho_corasick::Input::new(text).span(at..text.len());
        let Some(m) = automaton.find(input) else { break };
        let matched = &text[m.start()..m.end()];
        let starts_word = matched.chars().next().is_some_and(is_word);
        let ends_word = matched.chars().next_back().is_some_and(is_word);
        let before = text[..m.start()].chars().next_back();
        let after = text[m.end()..].chars().next();
        let pattern = ids[m.pattern().as_usize()];
        let joined = starts_word && before.is_some_and(is_word)
            || matches!(pattern, Pattern::Term(_)) && ends_word && after.is_some_and(is_word);
        if joined {
            at = m.start() + matched.chars().next().map_or(1, char::len_utf8);
            continue;
        }
        match pattern {
            Pattern::Term(index) => found.insert(index),
            Pattern::Markup(index) => marked_up.insert(index),
        };
        starts.push(m.start());
        at = m.end();
    }
}

/// The line (counted from 0) of each of `offsets`, which are in ascending order.
fn line_numbers<'a>(text: &'a str, offsets: &'a [usize]) -> impl Iterator<Item = usize> + 'a {
    let (mut line, mut from) = (0, 0);
    offsets.iter().map(move |&offset| {
        line += memchr::memchr_iter(b'\n', &text.as_bytes()[from..offset]).count();
        from = offset;
        line
    })
}

/// A letter, digit or combining mark of any script: part of a word. Punctuation,
/// spaces and symbols of every kind end one: `“Globex”`, `Globex’s`, `Globex—`.
fn is_word(c: char) -> bool {
    c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c)
}

/// Characters a reader does not see, which can sit inside a word without breaking
/// it: soft hyphens, zero-width spaces and joiners, direction marks, variation
/// selectors, tags (Unicode's default-ignorable code points).
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{ad}' | '\u{34f}' | '\u{61c}' | '\u{115f}' | '\u{1160}' | '\u{17b4}' | '\u{17b5}'
        | '\u{180b}'..='\u{180f}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}'
        | '\u{2060}'..='\u{206f}' | '\u{3164}' | '\u{fe00}'..='\u{fe0f}' | '\u{feff}'
        | '\u{ffa0}' | '\u{1bca0}'..='\u{1bca3}' | '\u{e0000}'..='\u{e0fff}')
}

/// `text` as it is matched: invisible characters removed, then NFKC (so `Ｇｌｏｂｅｘ`
/// and `ﬁ` read as `Globex` and `fi`). Text whose every character is already in that
/// form (all ASCII text) is returned as it is; otherwise only the runs of non-ASCII
/// characters (with the character before each, which a combining mark may join) are
/// normalised: ASCII characters are their own NFKC form and join nothing before them.
pub fn normalize(text: &str) -> Cow<'_, str> {
    let Some(first) = first_to_normalize(text) else { return Cow::Borrowed(text) };
    let bytes = text.as_bytes();
    // From the start of the non-ASCII run holding `first`, and the ASCII character
    // (one byte) before it.
    let run_start = text[..first]
        .char_indices()
        .rev()
        .take_while(|(_, c)| !c.is_ascii())
        .last()
        .map_or(first, |(i, _)| i);
    let mut at = run_start.saturating_sub(1);
    let mut out = String::with_capacity(text.len() + 16);
    out.push_str(&text[..at]);
    while at < text.len() {
        let Some(run) = bytes[at..].iter().position(|b| !b.is_ascii()).map(|i| at + i) else {
            out.push_str(&text[at..]);
            break;
        };
        let segment = if run > at { run - 1 } else { run };
        out.push_str(&text[at..segment]);
        let run_end = bytes[run..].iter().position(u8::is_ascii).map_or(text.len(), |i| run + i);
        out.extend(text[segment..run_end].chars().filter(|&c| !is_invisible(c)).nfkc());
        at = run_end;
    }
    Cow::Owned(out)
}

/// The offset of the first character that normalising would change, if any.
pub fn first_to_normalize(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = 0;
    loop {
        at += first_non_ascii(&bytes[at..])?;
        let c = text[at..].chars().next()?;
        let stable = unicode_normalization::is_nfkc_quick(std::iter::once(c))
            == unicode_normalization::IsNormalized::Yes;
        if is_invisible(c) || !stable {
            return Some(at);
        }
        at += c.len_utf8();
    }
}

/// The offset of the first non-ASCII byte, found a block at a time.
fn first_non_ascii(bytes: &[u8]) -> Option<usize> {
    let mut at = 0;
    for block in bytes.chunks(64) {
        if block.is_ascii() {
            at += block.len();
        } else {
            return block.iter().position(|b| !b.is_ascii()).map(|i| at + i);
        }
    }
    None
}

/// A term as its automaton holds it.
fn match_form(text: &str, exact: bool) -> String {
    let normal = normalize(text.trim());
    if exact { normal.into_owned() } else { normal.to_lowercase() }
}

/// Terms that two or more partners' configs share: a partner.toml copied from another
/// and renamed keeps the old partner's identity. The same `base_url` or support email
/// is an error (two sites cannot be one address); any other shared term a warning.
pub fn duplicate_identities(identities: &[Identity]) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut by_term: BTreeMap<String, Vec<(&str, &IdentityTerm)>> = BTreeMap::new();
    for identity in identities {
        for term in &identity.terms {
            by_term
                .entry(match_form(&term.text, false))
                .or_default()
                .push((identity.partner.as_str(), term));
        }
    }
    let mut by_url: BTreeMap<String, Vec<&Identity>> = BTreeMap::new();
    for identity in identities {
        let url = identity.base_url.trim_end_matches('/').to_ascii_lowercase();
        by_url.entry(url).or_default().push(identity);
    }
    for same in by_url.values().filter(|same| same.len() > 1) {
        let ids: Vec<&str> = same.iter().map(|i| i.partner.as_str()).collect();
        for identity in same {
            let others: Vec<&str> =
                ids.iter().copied().filter(|id| *id != identity.partner).collect();
            let at = identity.terms.iter().find(|t| t.kind == TermKind::SiteHost);
            let path = PathBuf::from("partners").join(&identity.partner).join("partner.toml");
            let mut diagnostic = Diagnostic::new(
                at.map_or(path, |t| t.path.clone()),
                format!(
                    "duplicate identity: partner `{}` has the base_url of {} ({})",
                    identity.partner,
                    others.join(", "),
                    identity.base_url
                ),
            )
            .rule(Rule::DuplicateIdentity)
            .for_partner(&identity.partner)
            .help("each partner's site needs an address of its own; was this partner.toml copied from another?");
            if let Some(at) = at {
                diagnostic = diagnostic.at_line(at.line, Some(at.column));
            }
            problems.push(diagnostic);
        }
    }
    for uses in by_term.values() {
        let partners: BTreeSet<&str> = uses.iter().map(|(p, _)| *p).collect();
        if partners.len() < 2 {
            continue;
        }
        for (partner, term) in uses {
            // Two sites under one host (different paths) share it knowingly; the same
            // full address is reported above.
            if term.kind == TermKind::SiteHost {
                continue;
            }
            let others: Vec<&str> = partners.iter().copied().filter(|p| p != partner).collect();
            let mut diagnostic = Diagnostic::new(
                &term.path,
                format!(
                    "duplicate identity: `{}`, the {} of partner `{partner}`, is also in the config of {}",
                    term.text,
                    term.kind.describe(),
                    others.join(", ")
                ),
            )
            .rule(Rule::DuplicateIdentity)
            .for_partner(partner)
            .at_line(term.line, Some(term.column))
            .help(format!(
                "a partner.toml copied from another keeps its identity: give `{partner}` its own; other partners' sites may not show it"
            ));
            if term.kind != TermKind::Email {
                diagnostic = diagnostic.warning();
            }
            problems.push(diagnostic);
        }
    }
    problems
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn identity(partner: &str, terms: &[(&str, TermKind, bool)]) -> Identity {
        Identity {
            partner: partner.into(),
            base_url: format!("https://{partner}.test/"),
            terms: terms
                .iter()
                .map(|(text, kind, exact)| IdentityTerm {
                    text: (*text).into(),
                    kind: *kind,
                    exact: *exact,
                    path: PathBuf::from("partners").join(partner).join("partner.toml"),
                    line: 1,
                    column: 1,
                })
                .collect(),
        }
    }

    #[test]
    fn terms_match_whole_words_in_any_case_unless_exact() {
        let acme = identity(
            "acme",
            &[
                ("Acme", TermKind::Name, false),
                ("Summit", TermKind::Name, true),
                ("help.acme.test", TermKind::SiteHost, false),
            ],
        );
        let terms = Terms::new(&[acme], &[]);
        let found = |text: &str| !terms.find(text).is_empty();
        assert!(found("Call Acme support"));
        assert!(found("ACME and acme"));
        assert!(!found("Acmeville"));
        let host = Terms::new(&[identity("a", &[("help.a.test", TermKind::SiteHost, false)])], &[]);
        assert!(!host.find("see HELP.A.TEST/x").is_empty());
        assert!(host.find("xhelp.a.tester").is_empty());
        assert!(found("the Summit release"));
        assert!(!found("a summit of leaders"));
    }

    #[test]
    fn names_are_found_beside_typographic_punctuation_and_through_invisible_characters() {
        let terms = Terms::new(&[identity("globex", &[("Globex", TermKind::Name, false)])], &[]);
        let found = |text: &str| !terms.find(text).is_empty();
        for leak in [
            "the “Globex” team",
            "Globex’s runbook",
            "Globex—the reseller",
            "Globex\u{a0}Corp",
            "«Globex»",
            "Glo\u{ad}bex support",
            "Glo\u{200b}bex",
            "Ｇｌｏｂｅｘ",
            "globex-migration.md",
            "globex_deal.pdf",
        ] {
            assert!(found(leak), "{leak:?}");
        }
        for other in ["Globexian", "Globexé", "Globexe\u{301}", "ÄGlobex", "Globex2"] {
            assert!(!found(other), "{other:?}");
        }
    }

    proptest::proptest! {
        /// Normalising only the non-ASCII runs gives what normalising everything does.
        #[test]
        fn normalize_is_nfkc_without_invisible_characters(
            text in "([a-zA-Z .<>&;-]|[\u{80}-\u{3000}]|\u{ad}|\u{200b}|\u{301}|\u{ff21}|\u{fb01}){0,40}"
        ) {
            let expected: String = text.chars().filter(|&c| !is_invisible(c)).nfkc().collect();
            let normalized = normalize(&text);
            proptest::prop_assert_eq!(normalized.as_ref(), expected.as_str());
        }
    }

    #[test]
    fn non_ascii_terms_match_in_any_case() {
        let terms = Terms::new(&[identity("m", &[("Müller Bau", TermKind::Name, false)])], &[]);
        assert!(!terms.find("bei MÜLLER BAU anrufen").is_empty());
        assert!(!terms.find("bei Mu\u{308}ller Bau").is_empty());
    }

    #[test]
    fn a_forbidden_term_leaks_on_every_site_and_a_shared_one_on_the_others() {
        let forbidden = IdentityTerm {
            text: "resell".into(),
            kind: TermKind::Forbidden,
            exact: false,
            path: "livery.toml".into(),
            line: 3,
            column: 10,
        };
        let shared = [("help@shared.test", TermKind::Email, false)];
        let terms = Terms::new(
            &[identity("a", &shared), identity("b", &shared), identity("c", &[])],
            &[forbidden],
        );
        let resell = *terms.find("we Resell it").iter().next().unwrap();
        assert!(terms.get(resell).leaks_on("a"));
        let email = *terms.find("mail help@shared.test").iter().next().unwrap();
        assert!(!terms.get(email).leaks_on("a") && !terms.get(email).leaks_on("b"));
        assert!(terms.get(email).leaks_on("c"));
    }

    #[test]
    fn copied_configs_are_duplicate_identities() {
        let mut a = identity("a", &[("help@a.test", TermKind::Email, false)]);
        let mut b = identity("b", &[("help@a.test", TermKind::Email, false)]);
        a.base_url = "https://help.a.test/".into();
        b.base_url = "https://help.a.test".into();
        let problems = duplicate_identities(&[a, b]);
        let errors: Vec<_> =
            problems.iter().filter(|d| d.severity == crate::error::Severity::Error).collect();
        assert_eq!(errors.len(), 4, "{problems:#?}");
        assert!(errors.iter().all(|d| d.rule == Some(Rule::DuplicateIdentity)));
    }
}
