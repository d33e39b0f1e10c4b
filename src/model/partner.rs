//! A partner, validated and merged with its theme's defaults: name, brand tokens,
//! contact, menu and content rules.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// Which shared pages a partner leaves out.
#[derive(Debug, Clone, Default)]
pub struct ContentRules {
    /// Globs over content-relative paths (`onboarding/legacy/**`).
    pub exclude: globset::GlobSet,
    pub exclude_tags: Vec<String>,
}

/// A link in the partner's header or footer: status page, contact, legal.
#[derive(Serialize, Debug, Clone)]
pub struct MenuEntry {
    pub label: String,
    pub url: String,
    pub location: MenuLocation,
}

#[derive(Deserialize, Serialize, Debug, Clone, Copy, Default, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum MenuLocation {
    Header,
    #[default]
    Footer,
    Both,
}

/// How a partner's customers reach them; shown in the header and footer.
#[derive(Serialize, Default, Debug, Clone)]
pub struct Contact {
    pub support_email: Option<String>,
    pub support_phone: Option<String>,
    pub support_url: Option<String>,
    pub status_page: Option<String>,
}

/// The home page's featured pages, as content paths (`playbooks/incident-response.md`),
/// with the line of partner.toml that names each, for errors.
#[derive(Serialize, Debug, Clone, Default)]
pub struct Home {
    pub featured: Vec<Featured>,
    /// The hero's heading and lead, in place of the home page's own.
    pub heading: Option<String>,
    pub lead: Option<String>,
}

#[derive(Serialize, Debug, Clone)]
pub struct Featured {
    pub path: String,
    #[serde(skip)]
    pub line: usize,
}

/// A notice shown over every page until a reader dismisses it (maintenance, a release).
#[derive(Serialize, Debug, Clone)]
pub struct Announcement {
    pub text: String,
    pub url: Option<String>,
    pub link_text: Option<String>,
    /// Changes with the text, so a new notice shows again to readers who closed the last.
    pub id: String,
}

/// Where "Was this page helpful?" answers go; the widget is off without it.
#[derive(Serialize, Debug, Clone)]
pub struct Feedback {
    pub url: String,
}

/// A partner's resolved brand: every token of its theme's `[brand]` with the partner's
/// values on top, and the values livery derives from them (`focus`, `callout_*`,
/// `header_background` …). Templates read `partner.brand.<token>`.
#[derive(Serialize, Debug, Clone, Default)]
pub struct Brand {
    #[serde(flatten)]
    pub values: std::collections::BTreeMap<&'static str, String>,
    /// The names brand.css sets as `--brand-<name>`, in order.
    #[serde(skip)]
    pub css: Vec<&'static str>,
}

impl Brand {
    /// A token's value; empty when the brand leaves it unset (`logo`, `code_theme`).
    pub fn get(&self, name: &str) -> &str {
        self.values.get(name).map_or("", String::as_str)
    }

    /// The CSS custom properties brand.css defines, in a fixed order.
    pub fn css_properties(&self) -> Vec<(String, &str)> {
        self.css
            .iter()
            .map(|name| (format!("--brand-{}", name.replace('_', "-")), self.get(name)))
            .collect()
    }
}

/// `partners/<id>/partner.toml`, validated and merged with its theme's defaults.
#[derive(Serialize, Debug, Clone)]
pub struct Partner {
    pub id: String,
    pub name: String,
    /// Always ends with `/`.
    pub base_url: String,
    /// The language of this site: one of `languages`.
    pub language: String,
    /// Every language the partner publishes, its default first (served at the root;
    /// the others under `/<lang>/`).
    pub languages: Vec<String>,
    /// The product version of this site: one of `versions`; empty when the project
    /// has no versions.
    pub version: String,
    /// Every version the partner publishes, newest first (served at the root; the
    /// others under `/<v>/`, inside each language's folder).
    pub versions: Vec<String>,
    pub theme: String,
    pub brand: Brand,
    pub contact: Contact,
    pub vars: toml::Table,
    /// Free labels content can test: `{% if "sso" in partner.features %}`.
    pub features: Vec<String>,
    /// Entries for the header and footer menus.
    pub menu: Vec<MenuEntry>,
    /// Whether the partner opted in to a "powered by livery" credit.
    pub powered_by: bool,
    /// Other names the partner goes by (a short name, a product): `livery check`
    /// reports them, like the name, on other partners' sites.
    pub also_known_as: Vec<String>,
    pub home: Home,
    pub announcement: Option<Announcement>,
    pub feedback: Option<Feedback>,
    #[serde(skip)]
    pub content: ContentRules,
    /// `partners/<id>`, absolute.
    #[serde(skip)]
    pub dir: PathBuf,
}

impl Partner {
    /// The folder of this site inside the partner's: `""` for the default language
    /// and newest version, `"de/"`, `"17/"` or `"de/17/"` for the others.
    pub fn site_prefix(&self) -> String {
        let mut prefix = String::new();
        if self.languages.first() != Some(&self.language) {
            prefix.push_str(&self.language);
            prefix.push('/');
        }
        if !self.version.is_empty() && self.versions.first() != Some(&self.version) {
            prefix.push_str(&self.version);
            prefix.push('/');
        }
        prefix
    }

    /// From this site's root up to the partner's: `""`, `"../"` or `"../../"`.
    pub fn up_to_partner_root(&self) -> String {
        "../".repeat(self.site_prefix().matches('/').count())
    }

    /// The address of the partner's whole site: the default language's newest version.
    pub fn root_url(&self) -> &str {
        self.base_url.strip_suffix(&self.site_prefix()).unwrap_or(&self.base_url)
    }

    /// The partner's site in `language` (one of its `languages`) and `version` (one of
    /// its `versions`, or empty when unversioned), published under `site_prefix`.
    pub fn unit(&self, language: &str, version: &str) -> Partner {
        let mut site = self.clone();
        site.language = language.to_owned();
        site.version = version.to_owned();
        site.base_url = format!("{}{}", self.root_url(), site.site_prefix());
        site
    }

    /// This site's counterpart in another language, same version.
    pub fn in_language(&self, language: &str) -> Partner {
        self.unit(language, &self.version)
    }

    /// Whether this is an older version than the newest the partner publishes.
    pub fn is_older_version(&self) -> bool {
        self.versions.first().is_some_and(|newest| *newest != self.version)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A valid partner for unit tests of later stages.
    pub(crate) fn partner(id: &str) -> Partner {
        Partner {
            id: id.into(),
            name: format!("Partner {id}"),
            base_url: format!("https://{id}.test/"),
            language: "en".into(),
            languages: vec!["en".into()],
            version: String::new(),
            versions: Vec::new(),
            theme: "default".into(),
            brand: Brand {
                values: [
                    ("primary", "#000"),
                    ("accent", "#000"),
                    ("background", "#fff"),
                    ("text", "#000"),
                    ("font", "serif"),
                    ("heading_font", "serif"),
                    ("mono_font", "monospace"),
                    ("focus", "#000"),
                    ("focus_dark", "#fff"),
                ]
                .into_iter()
                .map(|(k, v)| (k, v.to_owned()))
                .collect(),
                css: vec!["primary", "accent", "background", "text"],
            },
            contact: Contact::default(),
            vars: toml::Table::new(),
            features: vec![],
            menu: vec![],
            powered_by: false,
            also_known_as: vec![],
            home: Home::default(),
            announcement: None,
            feedback: None,
            content: ContentRules::default(),
            dir: PathBuf::new(),
        }
    }
}
