//! The theme's words in the partner's language: `themes/<theme>/i18n/<lang>.toml`,
//! with a partner's `partners/<id>/i18n/<lang>.toml` replacing single strings.
//! `language = "fr-CA"` uses `fr-CA.toml`, else `fr.toml`; strings a language file
//! lacks fall back to English.
//!
//! Markdown is converted once for every partner, so the few words it writes (callout
//! titles, labels) are placeholders there, filled in here per partner.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::Diagnostic;
use crate::model::page::Date;
use crate::support::text::read_text;

const FALLBACK: &str = "en";
const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';

/// A placeholder for UI string `key`, for HTML produced before the partner is known.
pub fn placeholder(key: &str) -> String {
    format!("{OPEN}{key}{CLOSE}")
}

/// One language's strings, as templates see them (`t.on_this_page`).
#[derive(Debug, Clone, Serialize, Default)]
pub struct UiStrings {
    pub language: String,
    pub strings: BTreeMap<String, String>,
    #[serde(skip)]
    months: Vec<String>,
    #[serde(skip)]
    date_format: String,
}

impl UiStrings {
    /// `2026-10-01` in the language's words: "1 October 2026", "1. Oktober 2026".
    pub fn format_date(&self, date: Date) -> String {
        let month =
            self.months.get(usize::from(date.month).saturating_sub(1)).cloned().unwrap_or_default();
        self.date_format
            .replace("{day}", &date.day.to_string())
            .replace("{month}", &month)
            .replace("{year}", &date.year.to_string())
    }

    /// Fills the placeholders of converted markdown with this language's strings.
    pub fn localize<'h>(&self, html: &'h str) -> Cow<'h, str> {
        if !html.contains(OPEN) {
            return Cow::Borrowed(html);
        }
        let mut out = String::with_capacity(html.len() + 64);
        let mut rest = html;
        while let Some(start) = rest.find(OPEN) {
            out.push_str(&rest[..start]);
            let after = &rest[start + OPEN.len_utf8()..];
            match after.find(CLOSE) {
                Some(end) => {
                    let key = &after[..end];
                    let text = self.strings.get(key).map_or(key, String::as_str);
                    out.push_str(&crate::support::html::escape(text));
                    rest = &after[end + CLOSE.len_utf8()..];
                }
                None => {
                    out.push_str(&rest[start..]);
                    rest = "";
                }
            }
        }
        out.push_str(rest);
        Cow::Owned(out)
    }
}

/// A language file as written.
#[derive(serde::Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct LanguageFile {
    #[serde(default)]
    months: Vec<String>,
    date_format: Option<String>,
    #[serde(default)]
    strings: BTreeMap<String, String>,
}

/// The language files of one folder (`themes/<theme>/i18n` or `partners/<id>/i18n`).
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    /// Language tag → (file, text).
    files: BTreeMap<String, (PathBuf, String)>,
}

impl Catalog {
    pub fn load(root: &Path, dir: &Path) -> Result<Catalog, Diagnostic> {
        let mut files = BTreeMap::new();
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else { return Ok(Catalog { files }) };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if let Some(language) = name.strip_suffix(".toml") {
                let relative = dir.join(&name);
                files.insert(language.to_owned(), (relative.clone(), read_text(root, &relative)?));
            }
        }
        Ok(Catalog { files })
    }

    pub fn insert(&mut self, language: &str, path: PathBuf, text: String) {
        self.files.insert(language.to_owned(), (path, text));
    }

    /// `other`'s language files replace this catalog's.
    pub fn overlay(&mut self, other: Catalog) {
        self.files.extend(other.files);
    }

    /// Each language file's project-relative path and text.
    pub fn files(&self) -> impl Iterator<Item = (&Path, &str)> {
        self.files.values().map(|(path, text)| (path.as_path(), text.as_str()))
    }

    pub fn languages(&self) -> Vec<&str> {
        self.files.keys().map(String::as_str).collect()
    }

    /// `fr-CA`, else `fr`.
    fn find<'l>(&self, language: &'l str) -> Option<&'l str> {
        let primary = language.split('-').next().unwrap_or(language);
        [language, primary].into_iter().find(|tag| self.files.contains_key(*tag))
    }
}

/// The strings for `language`: English, then the theme's language file, then the
/// partner's, each replacing what came before.
pub fn strings_for(
    language: &str,
    theme: &Catalog,
    partner: &Catalog,
) -> Result<UiStrings, Vec<Diagnostic>> {
    let Some(theme_tag) = theme.find(language) else {
        return Err(vec![
            Diagnostic::new(
                "partners",
                format!("the theme has no UI strings for language `{language}`"),
            )
            .help(if theme.languages().is_empty() {
                format!("the theme has no i18n folder: add i18n/{FALLBACK}.toml to it")
            } else {
                format!(
                    "use one of: {}, or add the theme's i18n/{language}.toml",
                    theme.languages().join(", ")
                )
            }),
        ]);
    };
    let mut layers: Vec<&(PathBuf, String)> = Vec::new();
    layers.extend(theme.files.get(FALLBACK));
    layers.extend(theme.files.get(theme_tag).filter(|_| theme_tag != FALLBACK));
    if let Some(tag) = partner.find(language) {
        layers.extend(partner.files.get(tag));
    }
    let mut merged = UiStrings { language: language.to_owned(), ..UiStrings::default() };
    let mut problems = Vec::new();
    for (path, text) in layers {
        match crate::support::text::parse_toml::<LanguageFile>(path, text) {
            Ok(file) => {
                if !file.months.is_empty() {
                    if file.months.len() == 12 {
                        merged.months = file.months;
                    } else {
                        problems.push(Diagnostic::new(
                            path,
                            "`months` needs twelve names, January first",
                        ));
                    }
                }
                if let Some(format) = file.date_format {
                    merged.date_format = format;
                }
                merged.strings.extend(file.strings);
            }
            Err(diagnostic) => problems.push(diagnostic),
        }
    }
    if merged.date_format.is_empty() {
        merged.date_format = "{year}-{month}-{day}".into();
    }
    if problems.is_empty() { Ok(merged) } else { Err(problems) }
}

/// A language's name in itself, for language switchers; the tag when livery does not
/// know it.
pub fn language_name(tag: &str) -> &'static str {
    let base = tag.split(['-', '_']).next().unwrap_or(tag).to_ascii_lowercase();
    match base.as_str() {
        "en" => "English",
        "de" => "Deutsch",
        "fr" => "Français",
        "es" => "Español",
        "it" => "Italiano",
        "nl" => "Nederlands",
        "pt" => "Português",
        "pl" => "Polski",
        "sv" => "Svenska",
        "da" => "Dansk",
        "nb" | "no" => "Norsk",
        "fi" => "Suomi",
        "cs" => "Čeština",
        "tr" => "Türkçe",
        "ja" => "日本語",
        "zh" => "中文",
        "ko" => "한국어",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog(files: &[(&str, &str)]) -> Catalog {
        Catalog {
            files: files
                .iter()
                .map(|(tag, text)| {
                    (tag.to_string(), (PathBuf::from(format!("{tag}.toml")), text.to_string()))
                })
                .collect(),
        }
    }

    const EN: &str = "months = [\"January\",\"February\",\"March\",\"April\",\"May\",\"June\",\"July\",\"August\",\"September\",\"October\",\"November\",\"December\"]\ndate_format = \"{month} {day}, {year}\"\n[strings]\nnote = \"Note\"\nnext = \"Next\"\n";
    const DE: &str = "months = [\"Januar\",\"Februar\",\"März\",\"April\",\"Mai\",\"Juni\",\"Juli\",\"August\",\"September\",\"Oktober\",\"November\",\"Dezember\"]\ndate_format = \"{day}. {month} {year}\"\n[strings]\nnote = \"Hinweis\"\n";

    #[test]
    fn language_falls_back_to_primary_tag_then_english_strings() {
        let theme = catalog(&[("en", EN), ("de", DE)]);
        let strings = strings_for("de-AT", &theme, &Catalog::default()).unwrap();
        assert_eq!(strings.strings["note"], "Hinweis");
        assert_eq!(strings.strings["next"], "Next", "missing strings fall back to English");
        assert_eq!(strings.format_date(Date { year: 2026, month: 10, day: 1 }), "1. Oktober 2026");
    }

    #[test]
    fn partner_strings_replace_single_theme_strings() {
        let theme = catalog(&[("en", EN)]);
        let partner = catalog(&[("en", "[strings]\nnext = \"Onward\"\n")]);
        let strings = strings_for("en", &theme, &partner).unwrap();
        assert_eq!(strings.strings["next"], "Onward");
        assert_eq!(strings.strings["note"], "Note");
        assert_eq!(strings.format_date(Date { year: 2026, month: 3, day: 9 }), "March 9, 2026");
    }

    #[test]
    fn unknown_language_is_an_error_listing_the_known_ones() {
        let errors = strings_for("es", &catalog(&[("en", EN), ("de", DE)]), &Catalog::default())
            .unwrap_err();
        assert!(errors[0].help.as_deref().unwrap().contains("use one of: de, en"));
    }

    #[test]
    fn placeholders_are_filled_and_escaped() {
        let strings = UiStrings {
            strings: BTreeMap::from([("note".into(), "Note & more".into())]),
            ..Default::default()
        };
        let html = format!("<p>{}</p>", placeholder("note"));
        assert_eq!(strings.localize(&html), "<p>Note &amp; more</p>");
        assert!(matches!(strings.localize("<p>plain</p>"), Cow::Borrowed(_)));
    }
}
