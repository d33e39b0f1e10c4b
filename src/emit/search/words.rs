//! Words as search sees them: folded (lowercase, accents dropped), split at anything
//! that is not a letter or digit, stop words left out, and reduced to a stem by a light
//! stemmer for the page's language.
//!
//! The theme's `search.js` applies the very same rules to what the reader types: any
//! change here must be made there too (the browser tests check that every word of a
//! page, stemmed in the browser, is a term of the index).

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Words longer than this are hashes, keys or base64, not something a reader types.
pub const MAX_WORD: usize = 40;

/// The languages with a stemmer of their own; any other is searched unstemmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Language {
    English,
    German,
    French,
    Other,
}

impl Language {
    /// From a language tag: `en`, `en-GB`, `de-AT`, `fr` …
    pub fn of(tag: &str) -> Self {
        match tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase().as_str() {
            "en" => Language::English,
            "de" => Language::German,
            "fr" => Language::French,
            _ => Language::Other,
        }
    }

    /// The tag search.js picks its stemmer by.
    pub fn code(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::German => "de",
            Language::French => "fr",
            Language::Other => "",
        }
    }

    fn stop_words(self) -> &'static [&'static str] {
        match self {
            Language::English => &[
                "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "if", "in", "into",
                "is", "it", "its", "of", "on", "or", "that", "the", "then", "this", "to", "was",
                "were", "will", "with",
            ],
            Language::German => &[
                "auf", "aus", "bei", "das", "dass", "dem", "den", "der", "des", "die", "ein",
                "eine", "einem", "einen", "einer", "es", "fur", "im", "in", "ist", "mit", "oder",
                "sich", "sind", "und", "von", "wird", "zu", "zum", "zur",
            ],
            Language::French => &[
                "au", "aux", "avec", "ce", "ces", "dans", "de", "des", "du", "elle", "en", "est",
                "et", "il", "la", "le", "les", "leur", "ou", "par", "pour", "qui", "que", "sa",
                "se", "son", "sur", "un", "une",
            ],
            Language::Other => &[],
        }
    }
}

/// Lowercase, without accents (`Réseau` → `reseau`, `Straße` → `strasse`).
pub fn fold(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase).nfd() {
        match c {
            'ß' => out.push_str("ss"),
            c if is_combining_mark(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// The folded words of `text`, stop words included, in order.
pub fn words(folded: &str) -> impl Iterator<Item = &str> {
    folded.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty())
}

/// The index term of a folded word, or None for a stop word, a single letter or a
/// word too long to be typed.
pub fn term(word: &str, language: Language) -> Option<String> {
    let length = word.chars().count();
    if !(2..=MAX_WORD).contains(&length) || language.stop_words().contains(&word) {
        return None;
    }
    Some(stem(word, language))
}

/// The stem of a folded word. Light stemmers: they strip the endings of plurals,
/// verb forms and a few derivations, so that `restoring`, `restored` and `restore` are
/// one term, and they are small enough to be written twice (here and in search.js).
pub fn stem(word: &str, language: Language) -> String {
    // Stemming is for words; identifiers with digits (`sev1`, `x509`) stay as written.
    if word.chars().any(|c| !c.is_alphabetic()) {
        return word.to_owned();
    }
    let mut w: Vec<char> = word.chars().collect();
    match language {
        Language::English => stem_english(&mut w),
        Language::German => stem_german(&mut w),
        Language::French => stem_french(&mut w),
        Language::Other => {}
    }
    w.into_iter().collect()
}

fn ends(w: &[char], suffix: &str) -> bool {
    let s: Vec<char> = suffix.chars().collect();
    w.len() >= s.len() && w[w.len() - s.len()..] == s[..]
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

fn cut(w: &mut Vec<char>, suffix: &str) {
    w.truncate(w.len() - suffix.chars().count());
}

fn stem_english(w: &mut Vec<char>) {
    if w.len() <= 3 {
        return;
    }
    // Plurals: policies → policy, classes → class, keys → key; not status, analysis.
    if ends(w, "sses") {
        cut(w, "es");
    } else if ends(w, "ies") && w.len() > 4 {
        cut(w, "ies");
        w.push('y');
    } else if ends(w, "s") && !ends(w, "ss") && !ends(w, "us") && !ends(w, "is") {
        cut(w, "s");
    }
    // One derivation: restoring, restored → restor; deployment → deploy; quickly → quick.
    let mut verb = false;
    if ends(w, "ied") && w.len() > 4 {
        cut(w, "ied");
        w.push('y');
    } else if ends(w, "ing") && w.len() >= 6 && w[..w.len() - 3].iter().any(|&c| is_vowel(c)) {
        cut(w, "ing");
        verb = true;
    } else if ends(w, "ed") && w.len() >= 5 && w[..w.len() - 2].iter().any(|&c| is_vowel(c)) {
        cut(w, "ed");
        verb = true;
    } else if ends(w, "ment") && w.len() >= 8 {
        cut(w, "ment");
    } else if ends(w, "ly") && w.len() >= 6 {
        cut(w, "ly");
    }
    // stopped → stop, running → run (but not fall, pass, buzz).
    if verb && w.len() >= 3 {
        let last = w[w.len() - 1];
        if last == w[w.len() - 2] && !is_vowel(last) && !matches!(last, 'l' | 's' | 'z') {
            w.pop();
        }
    }
    // restore → restor, so that it meets restoring.
    if ends(w, "e") && w.len() >= 4 {
        w.pop();
    }
}

fn stem_german(w: &mut Vec<char>) {
    // Umlauts are folded already (Zertifikate, Sicherungen, Schlüssel → schlussel).
    if ends(w, "ungen") {
        cut(w, "en");
    } else if w.len() >= 6 && ["ern", "em", "en", "er", "es"].iter().any(|s| ends(w, s)) {
        let suffix = ["ern", "em", "en", "er", "es"].into_iter().find(|s| ends(w, s)).unwrap_or("");
        cut(w, suffix);
    } else if w.len() >= 5 && (ends(w, "e") || ends(w, "s") || ends(w, "n")) {
        w.pop();
    }
}

fn stem_french(w: &mut Vec<char>) {
    // Accents are folded already (sauvegardées → sauvegardees).
    if w.len() <= 4 {
        return;
    }
    if ends(w, "aux") && w.len() > 5 {
        cut(w, "aux");
        w.extend(['a', 'l']);
        return;
    }
    if ends(w, "s") || ends(w, "x") {
        w.pop();
    }
    if ends(w, "ement") && w.len() >= 8 {
        cut(w, "ement");
    } else if ends(w, "er") && w.len() >= 6 {
        cut(w, "er");
    }
    for _ in 0..2 {
        if ends(w, "e") && w.len() >= 5 {
            w.pop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stems(language: Language, list: &[&str]) -> Vec<String> {
        list.iter().map(|w| stem(&fold(w), language)).collect()
    }

    #[test]
    fn english_forms_of_one_word_share_a_stem() {
        for family in [
            &["restore", "restores", "restored", "restoring"][..],
            &["deploy", "deploys", "deployed", "deploying", "deployment"],
            &["certificate", "certificates"],
            &["policy", "policies"],
            &["apply", "applies", "applied"],
            &["stop", "stopped", "stopping"],
            &["run", "running", "runs"],
            &["database", "databases"],
        ] {
            let got = stems(Language::English, family);
            assert!(got.iter().all(|s| s == &got[0]), "{family:?} gave {got:?}");
        }
    }

    #[test]
    fn english_stemming_leaves_unrelated_words_apart() {
        for (a, b) in [("status", "state"), ("class", "clas"), ("pass", "past"), ("need", "ne")] {
            assert_ne!(stem(a, Language::English), stem(b, Language::English), "{a} / {b}");
        }
        assert_eq!(stem("status", Language::English), "status");
        assert_eq!(stem("access", Language::English), "access");
        assert_eq!(stem("sev1", Language::English), "sev1");
    }

    #[test]
    fn german_and_french_plurals_and_forms_share_a_stem() {
        for family in [
            &["Sicherung", "Sicherungen"][..],
            &["Zertifikat", "Zertifikate", "Zertifikaten", "Zertifikats"],
            &["Schlüssel", "Schlüsseln"],
        ] {
            let got = stems(Language::German, family);
            assert!(got.iter().all(|s| s == &got[0]), "{family:?} gave {got:?}");
        }
        for family in [
            &["sauvegarde", "sauvegardes", "sauvegardée", "sauvegardées", "sauvegarder"][..],
            &["restaurer", "restaurée", "restaurés"],
            &["journal", "journaux"],
        ] {
            let got = stems(Language::French, family);
            assert!(got.iter().all(|s| s == &got[0]), "{family:?} gave {got:?}");
        }
    }

    #[test]
    fn folding_drops_case_and_accents() {
        assert_eq!(fold("Réseau STRASSE Straße Zürich"), "reseau strasse strasse zurich");
        let folded = fold("pg_wal_replay_resume(), x509; Déjà-vu");
        assert_eq!(
            words(&folded).collect::<Vec<_>>(),
            ["pg", "wal", "replay", "resume", "x509", "deja", "vu"]
        );
    }

    #[test]
    fn stop_words_single_letters_and_long_strings_are_not_terms() {
        assert_eq!(term("the", Language::English), None);
        assert_eq!(term("der", Language::German), None);
        assert_eq!(term("x", Language::English), None);
        assert_eq!(term(&"a".repeat(MAX_WORD + 1), Language::English), None);
        assert_eq!(term("the", Language::German).as_deref(), Some("the"));
    }
}
