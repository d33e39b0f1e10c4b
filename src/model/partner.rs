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

/// A partner's resolved brand: theme defaults with the partner's tokens on top.
#[derive(Serialize, Debug, Clone)]
pub struct Brand {
    /// Paths relative to the site root, after static files are merged.
    pub logo: Option<String>,
    pub favicon: Option<String>,
    pub primary: String,
    pub accent: String,
    pub background: String,
    pub text: String,
    pub font: String,
    pub heading_font: String,
    pub mono_font: String,
    /// Derived, not set: focus-ring colours reaching 3:1 on the light and dark backgrounds.
    pub focus: String,
    pub focus_dark: String,
}

impl Brand {
    /// The tokens as CSS custom properties, in a fixed order.
    pub fn css_properties(&self) -> Vec<(&'static str, &str)> {
        vec![
            ("--brand-primary", &self.primary),
            ("--brand-accent", &self.accent),
            ("--brand-background", &self.background),
            ("--brand-text", &self.text),
            ("--brand-font", &self.font),
            ("--brand-heading-font", &self.heading_font),
            ("--brand-mono-font", &self.mono_font),
            ("--brand-focus", &self.focus),
            ("--brand-focus-dark", &self.focus_dark),
        ]
    }
}

/// `partners/<id>/partner.toml`, validated and merged with its theme's defaults.
#[derive(Serialize, Debug, Clone)]
pub struct Partner {
    pub id: String,
    pub name: String,
    /// Always ends with `/`.
    pub base_url: String,
    pub language: String,
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
    #[serde(skip)]
    pub content: ContentRules,
    /// `partners/<id>`, absolute.
    #[serde(skip)]
    pub dir: PathBuf,
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
            theme: "default".into(),
            brand: Brand {
                logo: None,
                favicon: None,
                primary: "#000".into(),
                accent: "#000".into(),
                background: "#fff".into(),
                text: "#000".into(),
                font: "serif".into(),
                heading_font: "serif".into(),
                mono_font: "monospace".into(),
                focus: "#000".into(),
                focus_dark: "#fff".into(),
            },
            contact: Contact::default(),
            vars: toml::Table::new(),
            features: vec![],
            menu: vec![],
            powered_by: false,
            also_known_as: vec![],
            content: ContentRules::default(),
            dir: PathBuf::new(),
        }
    }
}
