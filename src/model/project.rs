//! `livery.toml`, validated: what every stage may trust about the project.

use std::path::PathBuf;

use serde::Deserialize;
use toml::Spanned;

pub const PROJECT_FILE: &str = "livery.toml";
pub const PARTNER_FILE: &str = "partner.toml";
pub const THEME_FILE: &str = "theme.toml";

/// What a link to a missing page or file does to the build.
#[derive(Deserialize, Debug, Clone, Copy, Default, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LinkPolicy {
    #[default]
    Error,
    Warn,
}

/// What a language site does with a page that has no translation into its language
/// (`[languages] missing`).
#[derive(Deserialize, Debug, Clone, Copy, Default, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum MissingTranslation {
    /// Published in the default language, with a notice.
    #[default]
    Fallback,
    /// Left out of the language's site: navigation, search and sitemap; links to it
    /// land on the default language's page.
    Omit,
}

/// `livery.toml`, validated.
#[derive(Debug, Clone)]
pub struct ProjectConfig {
    pub root: PathBuf,
    pub title: String,
    pub theme: String,
    pub output_dir: PathBuf,
    pub drafts: bool,
    pub broken_links: LinkPolicy,
    /// `[build] lowercase_urls`: pages publish at their path's URL in lowercase, as Hugo's do.
    pub lowercase_urls: bool,
    pub highlight_light: Spanned<String>,
    pub highlight_dark: Spanned<String>,
    pub missing_translation: MissingTranslation,
    /// `[languages] source`: the language the content is written in; other languages
    /// use `page.<lang>.md` translations.
    pub source_language: String,
    /// Front matter schemas of `[sections]`.
    pub schemas: crate::model::schema::Schemas,
    /// `[leaks]`: terms no partner's site may show.
    pub forbidden: Vec<crate::model::identity::IdentityTerm>,
    /// The text of livery.toml, kept to point at highlight theme names in errors.
    pub source: String,
}
