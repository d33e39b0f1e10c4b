//! Everything a user writes in TOML: `livery.toml`, `partners/<id>/partner.toml`,
//! `themes/<name>/theme.toml`. Each file is deserialized strictly (unknown keys are
//! errors), then validated once into resolved types that later stages trust.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::error::Diagnostic;
use crate::load::brand;
use crate::load::brand::BrandFile;
use crate::model::identity::Identity;
use crate::model::identity::IdentityTerm;
use crate::model::identity::TermKind;
use crate::model::partner::Announcement;
use crate::model::partner::Contact;
use crate::model::partner::ContentRules;
use crate::model::partner::Featured;
use crate::model::partner::Feedback;
use crate::model::partner::Home;
use crate::model::partner::MenuEntry;
use crate::model::partner::MenuLocation;
use crate::model::partner::Partner;
use crate::model::project::LinkPolicy;
use crate::model::project::PARTNER_FILE;
use crate::model::project::PROJECT_FILE;
use crate::model::project::ProjectConfig;
use crate::model::project::THEME_FILE;
use crate::support::text::ID_RULE;
use crate::support::text::is_language_tag;
use crate::support::text::is_valid_id;
use crate::support::text::parse_toml;
use crate::support::text::read_text;

// ---------------------------------------------------------------- livery.toml

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProjectFile {
    title: Option<String>,
    #[serde(default = "default_theme")]
    theme: String,
    #[serde(default = "default_output_dir")]
    output_dir: Spanned<String>,
    #[serde(default)]
    build: BuildFile,
    #[serde(default)]
    highlight: HighlightFile,
    #[serde(default)]
    sections: crate::model::schema::SectionsFile,
    #[serde(default)]
    leaks: ProjectLeaksFile,
    #[serde(default)]
    languages: LanguagesFile,
    #[serde(default)]
    versions: VersionsFile,
}

/// `[versions]`: the product versions the content is kept for, newest first.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct VersionsFile {
    #[serde(default)]
    list: Vec<Spanned<String>>,
}

/// `[languages]`: what a language site does with an untranslated page.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct LanguagesFile {
    #[serde(default)]
    missing: crate::model::project::MissingTranslation,
    source: Option<Spanned<String>>,
}

/// `[leaks]`: terms no partner's site may show (the platform's own name, wording
/// about reselling), in any case, or only in the case written.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ProjectLeaksFile {
    #[serde(default)]
    terms: Vec<Spanned<String>>,
    #[serde(default)]
    exact: Vec<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct BuildFile {
    #[serde(default)]
    drafts: bool,
    #[serde(default)]
    broken_links: LinkPolicy,
    #[serde(default)]
    lowercase_urls: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HighlightFile {
    #[serde(default = "default_light_highlight")]
    light: Spanned<String>,
    #[serde(default = "default_dark_highlight")]
    dark: Spanned<String>,
}

impl Default for HighlightFile {
    fn default() -> Self {
        HighlightFile { light: default_light_highlight(), dark: default_dark_highlight() }
    }
}

fn default_theme() -> String {
    "default".into()
}
fn default_output_dir() -> Spanned<String> {
    Spanned::new(0..0, "public".into())
}
fn default_light_highlight() -> Spanned<String> {
    Spanned::new(0..0, "Coldark-Cold".into())
}
fn default_dark_highlight() -> Spanned<String> {
    Spanned::new(0..0, "Coldark-Dark".into())
}

pub fn load_project(root: &Path) -> Result<ProjectConfig, Diagnostic> {
    // Callers have checked that the project exists (`load::require_project`).
    let source = read_text(root, Path::new(PROJECT_FILE))?;
    let file: ProjectFile = parse_toml(Path::new(PROJECT_FILE), &source)?;
    check_name(Path::new(PROJECT_FILE), "theme", &file.theme)?;
    let schemas =
        crate::model::schema::Schemas::resolve(file.sections, Path::new(PROJECT_FILE), &source)?;
    let output_dir = root.join(file.output_dir.get_ref());
    if let Err(problem) = check_output_dir(root, &output_dir) {
        return Err(Diagnostic::new(PROJECT_FILE, problem)
            .at_offset(&source, file.output_dir.span().start)
            .help("write the sites into a folder of their own, such as output_dir = \"public\" (the default)"));
    }
    let source_language = match file.languages.source {
        Some(tag) if !is_language_tag(tag.get_ref()) => {
            return Err(Diagnostic::new(
                PROJECT_FILE,
                format!("languages.source `{}` is not a language tag", tag.get_ref()),
            )
            .at_offset(&source, tag.span().start)
            .help("write the language the content is written in, such as source = \"en\""));
        }
        Some(tag) => tag.into_inner(),
        None => "en".to_owned(),
    };
    let mut versions: Vec<String> = Vec::new();
    for name in &file.versions.list {
        let version = name.get_ref().trim();
        let problem = if !is_version_name(version) {
            Some(format!("`{version}` is not a version name"))
        } else if versions.iter().any(|v| v == version) {
            Some(format!("version `{version}` is listed twice"))
        } else {
            None
        };
        if let Some(problem) = problem {
            return Err(Diagnostic::new(PROJECT_FILE, format!("versions.list: {problem}"))
                .at_offset(&source, name.span().start)
                .help("list each version once, newest first, as letters, digits, `.`, `-` and `_` (it becomes a URL folder): list = [\"18\", \"17\"]"));
        }
        versions.push(version.to_owned());
    }
    let mut forbidden = Vec::new();
    for (list, exact) in [(&file.leaks.terms, false), (&file.leaks.exact, true)] {
        for term in list {
            let text = term.get_ref().trim();
            if text.chars().count() < 2 {
                return Err(Diagnostic::new(
                    PROJECT_FILE,
                    format!("leaks: `{text}` is too short to look for"),
                )
                .at_offset(&source, term.span().start)
                .help("list words or phrases of two characters or more"));
            }
            let (line, column) = crate::error::line_col(&source, term.span().start);
            forbidden.push(IdentityTerm {
                text: text.to_owned(),
                kind: TermKind::Forbidden,
                exact,
                path: PROJECT_FILE.into(),
                line,
                column,
            });
        }
    }
    Ok(ProjectConfig {
        forbidden,
        root: root.to_owned(),
        title: file.title.unwrap_or_else(|| "Knowledge base".into()),
        theme: file.theme,
        output_dir,
        drafts: file.build.drafts,
        broken_links: file.build.broken_links,
        lowercase_urls: file.build.lowercase_urls,
        highlight_light: file.highlight.light,
        highlight_dark: file.highlight.dark,
        missing_translation: file.languages.missing,
        source_language,
        versions,
        schemas,
        source,
    })
}

/// A version's name is a folder of the site (`/17/`) and of the project
/// (`versions/17/`): letters, digits, `.`, `-` and `_`, not starting with a dot.
pub fn is_version_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 32
        && !name.starts_with('.')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

/// The project's folders of sources: an output folder may be none of them, hold
/// none of them and lie in none of them, since a build replaces what it publishes.
const SOURCE_DIRS: [&str; 4] = ["content", "partners", "themes", "versions"];

/// Whether `out` may be the output folder of the project at `root`; the reason if not.
pub fn check_output_dir(root: &Path, out: &Path) -> Result<(), String> {
    let (root_abs, out_abs) = (absolute(root), absolute(out));
    if root_abs.starts_with(&out_abs) {
        return Err(format!(
            "`{}` cannot be the output folder: it is the project folder or one of its parents",
            out.display()
        ));
    }
    for name in SOURCE_DIRS {
        let sources = absolute(&root.join(name));
        if out_abs.starts_with(&sources) || sources.starts_with(&out_abs) {
            return Err(format!(
                "`{}` cannot be the output folder: it is, holds or lies inside the project's {name}/ folder",
                out.display()
            ));
        }
    }
    Ok(())
}

/// `path` made absolute with symlinks resolved as far as it exists, and the rest
/// (not created yet) appended with `.` and `..` applied.
fn absolute(path: &Path) -> PathBuf {
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    let mut existing = path.as_path();
    let mut rest = Vec::new();
    let mut resolved = loop {
        if let Ok(real) = existing.canonicalize() {
            break real;
        }
        match (existing.parent(), existing.components().next_back()) {
            (Some(parent), Some(last)) => {
                rest.push(last.as_os_str().to_owned());
                existing = parent;
            }
            _ => break existing.to_owned(),
        }
    };
    for part in rest.iter().rev() {
        match part.to_str() {
            Some("..") => {
                resolved.pop();
            }
            Some(".") => {}
            _ => resolved.push(part),
        }
    }
    resolved
}

// ---------------------------------------------------------------- partner.toml

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PartnerFile {
    name: Spanned<String>,
    base_url: Spanned<String>,
    #[serde(default = "default_language")]
    language: Spanned<String>,
    /// The languages the site is published in, its default first; `language` is the
    /// one-language form.
    languages: Option<Vec<Spanned<String>>>,
    /// The project's versions the site publishes (all when absent).
    versions: Option<Spanned<Vec<Spanned<String>>>>,
    theme: Option<String>,
    #[serde(default)]
    brand: BrandFile,
    #[serde(default)]
    contact: ContactFile,
    #[serde(default)]
    vars: toml::Table,
    #[serde(default)]
    features: Vec<String>,
    #[serde(default)]
    content: ContentRulesFile,
    #[serde(default)]
    menu: Vec<MenuEntryFile>,
    #[serde(default)]
    powered_by: bool,
    #[serde(default)]
    also_known_as: Vec<Spanned<String>>,
    #[serde(default)]
    leaks: PartnerLeaksFile,
    #[serde(default)]
    home: HomeFile,
    announcement: Option<AnnouncementFile>,
    feedback: Option<FeedbackFile>,
}

/// `[home]`: content paths of the pages the home page features.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct HomeFile {
    #[serde(default)]
    featured: Vec<Spanned<String>>,
    heading: Option<String>,
    lead: Option<String>,
}

/// `[announcement]`: a banner over every page.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AnnouncementFile {
    text: Spanned<String>,
    url: Option<Spanned<String>>,
    link_text: Option<String>,
}

/// `[feedback]`: where "Was this page helpful?" posts its answers.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FeedbackFile {
    url: Spanned<String>,
}

/// A partner's `[leaks]`: its names matched only in the case written (a name that is
/// also a common word: "Summit", "Apex").
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct PartnerLeaksFile {
    #[serde(default)]
    exact: Vec<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ContentRulesFile {
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    #[serde(default)]
    exclude_tags: Vec<String>,
}

/// A `[[menu]]` entry as written, its url located for errors.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MenuEntryFile {
    label: String,
    url: Spanned<String>,
    #[serde(default)]
    location: MenuLocation,
}

fn default_language() -> Spanned<String> {
    Spanned::new(0..0, "en".into())
}

/// `[contact]` as written, its links located for errors.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ContactFile {
    support_email: Option<Spanned<String>>,
    support_phone: Option<Spanned<String>>,
    support_url: Option<Spanned<String>>,
    status_page: Option<Spanned<String>>,
}

/// A partner file that parsed, waiting for its theme's brand defaults.
pub struct PartnerDraft {
    id: String,
    dir: PathBuf,
    path: PathBuf,
    source: String,
    file: PartnerFile,
    pub theme: String,
}

/// Lists partner ids (folder names under `partners/`), sorted.
pub fn partner_ids(root: &Path) -> Result<Vec<String>, Diagnostic> {
    let dir = root.join("partners");
    let entries = std::fs::read_dir(&dir).map_err(|e| {
        Diagnostic::new("partners", format!("cannot read the partners folder: {e}"))
            .help("create partners/<id>/partner.toml for each partner site to build")
    })?;
    let mut ids = Vec::new();
    for entry in entries.flatten() {
        if entry.path().is_dir() {
            ids.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    ids.sort();
    if ids.is_empty() {
        return Err(Diagnostic::new("partners", "there are no partners to build")
            .help("create partners/<id>/partner.toml for each partner site to build"));
    }
    Ok(ids)
}

pub fn load_partner(
    root: &Path,
    id: &str,
    project: &ProjectConfig,
) -> Result<PartnerDraft, Diagnostic> {
    let rel_dir = Path::new("partners").join(id);
    let path = rel_dir.join(PARTNER_FILE);
    if !is_valid_id(id) {
        return Err(Diagnostic::new(&rel_dir, format!("`{id}` is not a valid partner id"))
            .help(format!("partner folder names become URL paths: {ID_RULE}")));
    }
    if !root.join(&path).exists() {
        return Err(Diagnostic::new(&path, "missing partner.toml")
            .help("every folder under partners/ is a partner and needs a partner.toml (see README: partner.toml reference)"));
    }
    let source = read_text(root, &path)?;
    let file: PartnerFile = parse_toml(&path, &source)?;
    let theme = file.theme.clone().unwrap_or_else(|| project.theme.clone());
    check_name(&path, "theme", &theme)?;
    Ok(PartnerDraft { id: id.to_owned(), dir: root.join(&rel_dir), path, source, file, theme })
}

impl PartnerDraft {
    /// The partner's name, other names, domains, email and phone, as written.
    pub fn identity(&self) -> Identity {
        let file = &self.file;
        let source = &self.source;
        let mut terms = Vec::new();
        let mut add = |text: &str, kind: TermKind, exact: bool, span: std::ops::Range<usize>| {
            let text = text.trim();
            let long_enough = match kind {
                TermKind::Phone => text.chars().filter(char::is_ascii_digit).count() >= 6,
                _ => text.chars().count() >= 3,
            };
            if !long_enough || is_generic_host(text) {
                return;
            }
            let (line, column) = crate::error::line_col(source, span.start);
            terms.push(IdentityTerm {
                text: text.to_owned(),
                kind,
                exact,
                path: self.path.clone(),
                line,
                column,
            });
        };
        let exact: Vec<&Spanned<String>> = file.leaks.exact.iter().collect();
        let is_exact = |name: &str| exact.iter().any(|e| e.get_ref().trim() == name.trim());
        let names =
            std::iter::once(&file.name).chain(&file.also_known_as).chain(exact.iter().copied());
        let mut seen = Vec::new();
        for name in names {
            let text = name.get_ref().trim();
            if seen.contains(&text) {
                continue;
            }
            seen.push(text);
            add(text, TermKind::Name, is_exact(text), name.span());
        }
        if let Some(host) = host_of(file.base_url.get_ref()) {
            add(&host, TermKind::SiteHost, false, file.base_url.span());
        }
        let contact = &file.contact;
        let urls = [&contact.support_url, &contact.status_page].into_iter().flatten();
        let announced = file.announcement.as_ref().and_then(|a| a.url.as_ref());
        let feedback = file.feedback.as_ref().map(|f| &f.url);
        for url in
            urls.chain(file.menu.iter().map(|entry| &entry.url)).chain(announced).chain(feedback)
        {
            if let Some(host) = host_of(url.get_ref()) {
                add(&host, TermKind::Host, false, url.span());
            }
        }
        if let Some(email) = &contact.support_email {
            add(email.get_ref(), TermKind::Email, false, email.span());
            if let Some((_, domain)) = email.get_ref().split_once('@') {
                add(domain, TermKind::EmailDomain, false, email.span());
            }
        }
        if let Some(phone) = &contact.support_phone {
            add(phone.get_ref(), TermKind::Phone, false, phone.span());
        }
        Identity {
            partner: self.id.clone(),
            base_url: file.base_url.get_ref().trim().to_owned(),
            terms,
        }
    }

    /// Validates the partner against its theme's defaults; reports every problem in the file.
    /// `versions` are the project's, newest first.
    pub fn resolve(
        self,
        theme: &ThemeConfig,
        versions: &[String],
    ) -> Result<Partner, Vec<Diagnostic>> {
        let PartnerDraft { id, dir, path, source, file, theme: theme_name } = self;
        let mut problems = Vec::new();
        let at = |span: std::ops::Range<usize>, message: String| {
            Diagnostic::new(&path, message).at_offset(&source, span.start)
        };

        let name = file.name.get_ref().trim().to_owned();
        if name.is_empty() {
            problems.push(
                at(file.name.span(), "the partner name is empty".into())
                    .help("set name = \"Your Brand\""),
            );
        }
        let base_url = file.base_url.get_ref().trim().to_owned();
        if !(base_url.starts_with("https://") || base_url.starts_with("http://"))
            || base_url.contains(char::is_whitespace)
        {
            problems.push(
                at(file.base_url.span(), format!("base_url `{base_url}` is not an absolute http(s) URL"))
                    .help("write the address the site is published at, e.g. base_url = \"https://help.example.com\""),
            );
        }
        let written: Vec<&Spanned<String>> = match &file.languages {
            Some(list) => list.iter().collect(),
            None => vec![&file.language],
        };
        if file.languages.is_some() && !file.language.span().is_empty() {
            problems.push(
                at(file.language.span(), "set either `language` or `languages`, not both".into())
                    .help("the first of `languages` is the site's default language: languages = [\"en\", \"de\"]"),
            );
        }
        if written.is_empty() {
            problems.push(
                at(0..0, "`languages` is empty".into())
                    .help("list at least one language, the default first: languages = [\"en\"]"),
            );
        }
        let mut languages: Vec<String> = Vec::new();
        for tag in written {
            let language = tag.get_ref().trim().to_owned();
            if !is_language_tag(&language) {
                problems.push(
                    at(tag.span(), format!("`{language}` is not a language tag"))
                        .help("use a BCP 47 tag such as \"en\", \"de\" or \"fr-CA\""),
                );
            } else if languages.contains(&language) {
                problems.push(
                    at(tag.span(), format!("`{language}` is listed twice"))
                        .help("list each language once"),
                );
            } else {
                languages.push(language);
            }
        }
        let language = languages.first().cloned().unwrap_or_else(|| "en".into());
        let partner_versions = match &file.versions {
            None => versions.to_vec(),
            Some(written) if versions.is_empty() => {
                problems
                    .push(at(written.span(), "the project declares no versions".into()).help(
                        "list them in livery.toml first: [versions] list = [\"18\", \"17\"]",
                    ));
                Vec::new()
            }
            Some(written) => {
                for name in written.get_ref() {
                    if !versions.contains(name.get_ref()) {
                        problems.push(
                            at(
                                name.span(),
                                format!(
                                    "`{}` is not one of the project's versions",
                                    name.get_ref()
                                ),
                            )
                            .help(format!(
                                "versions are listed in livery.toml [versions]: {}",
                                versions.join(", ")
                            )),
                        );
                    }
                }
                if written.get_ref().is_empty() {
                    problems.push(at(written.span(), "`versions` is empty".into()).help(
                        "list the versions the site publishes, or remove the key to publish them all",
                    ));
                }
                // In the project's order, newest first, whatever order they are written in.
                let listed: Vec<&str> =
                    written.get_ref().iter().map(|v| v.get_ref().as_str()).collect();
                versions.iter().filter(|v| listed.contains(&v.as_str())).cloned().collect()
            }
        };
        if let Some(clash) = partner_versions.iter().find(|v| languages.contains(v)) {
            problems.push(at(0..0, format!("version `{clash}` has the name of one of the site's languages, so both would be published at /{clash}/"))
                .help("rename the version in livery.toml [versions], e.g. \"v17\""));
        }

        let source_of_brand =
            brand::Source { path: &path, text: &source, dir: &dir, theme_path: &theme.path };
        let brand = brand::resolve(&theme.brand, &file.brand, &source_of_brand)
            .map_err(|found| problems.extend(found))
            .ok();

        let mut globs = globset::GlobSetBuilder::new();
        for pattern in &file.content.exclude {
            match globset::Glob::new(pattern.get_ref().trim_start_matches('/')) {
                Ok(glob) => {
                    globs.add(glob);
                }
                Err(error) => problems.push(
                    at(
                        pattern.span(),
                        format!(
                            "content.exclude: `{}` is not a valid glob: {}",
                            pattern.get_ref(),
                            error.kind()
                        ),
                    )
                    .help(
                        "write a glob over paths under content/, such as \"onboarding/legacy/**\"",
                    ),
                ),
            }
        }
        let exclude = globs.build().unwrap_or_default();
        for entry in &file.menu {
            if entry.label.trim().is_empty() || entry.url.get_ref().trim().is_empty() {
                problems.push(at(entry.url.span(), "a [[menu]] entry needs a label and a url".into()).help(
                    "write [[menu]] label = \"Status\" url = \"https://status.example.com\" location = \"header\"",
                ));
            }
        }
        let links = [
            ("contact.support_url", &file.contact.support_url),
            ("contact.status_page", &file.contact.status_page),
        ]
        .into_iter()
        .filter_map(|(key, url)| Some((key, url.as_ref()?)))
        .chain(file.menu.iter().map(|entry| ("menu url", &entry.url)))
        .chain(
            file.announcement
                .as_ref()
                .and_then(|a| a.url.as_ref())
                .map(|url| ("announcement.url", url)),
        );
        for (key, url) in links {
            if let Some(problem) = link_problem(url.get_ref()) {
                problems.push(
                    at(url.span(), format!("{key} `{}` {problem}", url.get_ref())).help(LINK_HELP),
                );
            }
        }

        if let Some(announcement) = &file.announcement
            && announcement.text.get_ref().trim().is_empty()
        {
            problems.push(
                at(announcement.text.span(), "announcement.text is empty".into())
                    .help("write the notice, or remove [announcement] to show none"),
            );
        }
        if let Some(feedback) = &file.feedback {
            let url = feedback.url.get_ref().trim();
            if !url.starts_with("https://") && !url.starts_with("http://") && !url.starts_with('/')
            {
                problems.push(at(feedback.url.span(), format!("feedback.url `{url}` is not an http(s) URL or a path"))
                    .help("answers are sent with a POST to this address: write e.g. url = \"https://feedback.example.com/help\""));
            }
        }
        let featured = file
            .home
            .featured
            .iter()
            .map(|path| Featured {
                path: path.get_ref().trim().trim_start_matches('/').to_owned(),
                line: crate::error::line_col(&source, path.span().start).0,
            })
            .collect();
        let Some(brand) = brand.filter(|_| problems.is_empty()) else { return Err(problems) };
        Ok(Partner {
            id,
            name,
            base_url: format!("{}/", base_url.trim_end_matches('/')),
            language,
            languages,
            version: partner_versions.first().cloned().unwrap_or_default(),
            versions: partner_versions,
            theme: theme_name,
            brand,
            contact: Contact {
                support_email: file.contact.support_email.map(Spanned::into_inner),
                support_phone: file.contact.support_phone.map(Spanned::into_inner),
                support_url: file.contact.support_url.map(Spanned::into_inner),
                status_page: file.contact.status_page.map(Spanned::into_inner),
            },
            vars: file.vars,
            features: file.features,
            menu: file
                .menu
                .into_iter()
                .map(|entry| MenuEntry {
                    label: entry.label,
                    url: entry.url.into_inner(),
                    location: entry.location,
                })
                .collect(),
            powered_by: file.powered_by,
            also_known_as: file.also_known_as.into_iter().map(Spanned::into_inner).collect(),
            home: Home { featured, heading: file.home.heading, lead: file.home.lead },
            announcement: file.announcement.map(|a| {
                let text = a.text.into_inner().trim().to_owned();
                let id = crate::load::theme::content_hash(text.as_bytes());
                Announcement {
                    text,
                    url: a.url.map(Spanned::into_inner),
                    link_text: a.link_text,
                    id,
                }
            }),
            feedback: file.feedback.map(|f| Feedback { url: f.url.into_inner().trim().to_owned() }),
            content: ContentRules { exclude, exclude_tags: file.content.exclude_tags },
            dir,
        })
    }
}

/// The schemes a partner's links may use. Anything else (`javascript:`, `data:`,
/// `vbscript:`) runs script or smuggles a page in when a reader clicks the link.
const LINK_SCHEMES: [&str; 4] = ["https", "http", "mailto", "tel"];
const LINK_HELP: &str =
    "use an https:, http:, mailto: or tel: URL, or a relative one such as /legal/";

/// Why `url` cannot be published as a link in the header, footer or content, if it cannot.
fn link_problem(url: &str) -> Option<String> {
    if url.contains(char::is_control) {
        // Browsers drop tabs and line breaks from URLs, so `java\tscript:` is `javascript:`.
        return Some("contains a control character or line break".into());
    }
    let (scheme, _) = url.trim().split_once(':')?;
    let mut chars = scheme.chars();
    let is_scheme = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    let scheme = scheme.to_ascii_lowercase();
    (is_scheme && !LINK_SCHEMES.contains(&scheme.as_str())).then(|| format!("is a `{scheme}:` URL"))
}

// ---------------------------------------------------------------- theme.toml

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    name: String,
    #[serde(default)]
    description: String,
    brand: BrandFile,
}

/// `themes/<name>/theme.toml`: metadata and the default brand every partner starts from.
pub struct ThemeConfig {
    pub name: String,
    pub description: String,
    pub path: PathBuf,
    brand: BrandFile,
}

pub fn load_theme_config(root: &Path, name: &str) -> Result<ThemeConfig, Diagnostic> {
    let dir = Path::new("themes").join(name);
    let path = dir.join(THEME_FILE);
    let built_in = crate::load::embedded::theme_file(name, THEME_FILE);
    let source = match built_in {
        // A theme folder on disk overrides the built-in theme file by file.
        Some(bytes) if !root.join(&path).exists() => String::from_utf8_lossy(bytes).into_owned(),
        _ if !root.join(&dir).is_dir() => {
            return Err(Diagnostic::new(&dir, format!("theme `{name}` does not exist"))
                .help(format!(
                    "check `theme` in livery.toml or partner.toml; themes live in themes/<name>/, and the built-in ones are: {}",
                    crate::load::embedded::THEMES.join(", ")
                )));
        }
        _ => read_text(root, &path)?,
    };
    let file: ThemeFile = parse_toml(&path, &source)?;
    let brand = brand::theme_defaults(&path, file.brand)?;
    Ok(ThemeConfig { name: file.name, description: file.description, path, brand })
}

fn check_name(path: &Path, key: &str, value: &str) -> Result<(), Diagnostic> {
    if is_valid_id(value) {
        Ok(())
    } else {
        Err(Diagnostic::new(path, format!("{key} `{value}` is not a valid name")).help(ID_RULE))
    }
}

/// The host of an absolute URL, lowercased; None for relative links and `mailto:`.
fn host_of(url: &str) -> Option<String> {
    let rest = url.trim().split_once("://")?.1;
    let host = rest.split(['/', ':', '?', '#']).next()?;
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

/// Hosts that identify nobody (a local preview, a documentation placeholder).
fn is_generic_host(host: &str) -> bool {
    matches!(host, "localhost" | "127.0.0.1" | "example.com" | "example.org" | "example.net")
}
