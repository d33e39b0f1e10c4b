//! `livery.toml`, validated: what every stage may trust about the project.

use std::path::{Path, PathBuf};

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

/// Folder of older versions' content snapshots: `versions/<v>/content`.
pub const VERSIONS_DIR: &str = "versions";

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
    /// `[versions] list`: the product versions the content is kept for, newest (the
    /// current one, whose content is `content/`) first; empty when unversioned.
    pub versions: Vec<String>,
    /// Front matter schemas of `[sections]`.
    pub schemas: crate::model::schema::Schemas,
    /// `[leaks]`: terms no partner's site may show.
    pub forbidden: Vec<crate::model::identity::IdentityTerm>,
    /// The text of livery.toml, kept to point at highlight theme names in errors.
    pub source: String,
}

impl ProjectConfig {
    /// The shared content folder of `version` (project-relative): `content` for the
    /// current version (or an unversioned project), `versions/<v>/content` for an older one.
    pub fn content_dir(&self, version: &str) -> PathBuf {
        match self.versions.first() {
            Some(current) if current != version => {
                Path::new(VERSIONS_DIR).join(version).join(crate::model::page::CONTENT_DIR)
            }
            _ => PathBuf::from(crate::model::page::CONTENT_DIR),
        }
    }

    /// A partner's own content folder for `version`: `partners/<id>/content`, or
    /// `partners/<id>/versions/<v>/content` for an older version.
    pub fn partner_content_dir(&self, id: &str, version: &str) -> PathBuf {
        Path::new("partners").join(id).join(self.content_dir(version))
    }
}
