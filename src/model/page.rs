//! A page as parsed: the same value for every partner, with where each front matter
//! value was written so that later stages can point at it.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::model::content::Converted;
use crate::model::content::Templated;

/// Folder of the shared content tree, relative to the project root.
pub const CONTENT_DIR: &str = "content";

/// Folder of the snippets, inside the content folder.
pub const SNIPPETS_DIR: &str = "_snippets";

/// A markdown file as read from disk, before any parsing.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SourceFile {
    /// The content folder it was found in: `content`, or `partners/<id>/content`.
    pub origin: PathBuf,
    /// Relative to its content folder, e.g. `security/access-review.md`; for a
    /// translation, the path of the page it translates (`access-review.de.md` has
    /// `access-review.md` here and `de` in `language`).
    pub path: PathBuf,
    pub text: String,
    /// The language of a translation file; None for the page itself.
    #[serde(default)]
    pub language: Option<String>,
}

impl SourceFile {
    /// The path users see in messages: relative to the project root.
    pub fn display_path(&self) -> PathBuf {
        self.origin.join(translation_path(&self.path, self.language.as_deref()))
    }
}

/// The file of `path`'s translation into `language`: `a/b.md` → `a/b.de.md`.
pub fn translation_path(path: &Path, language: Option<&str>) -> PathBuf {
    match language {
        Some(language) => path.with_extension(format!("{language}.md")),
        None => path.to_owned(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PageKind {
    /// An `_index.md` (or a folder without one): lists its children.
    Section,
    Page,
}

/// A calendar date from front matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

/// A template named in front matter, with the line it was named on.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TemplateChoice {
    pub name: String,
    pub line: usize,
    pub column: usize,
}

/// Every front matter key livery itself reads.
pub const BUILT_IN_FIELDS: [&str; 14] = [
    "title",
    "description",
    "weight",
    "tags",
    "owner",
    "last_reviewed",
    "draft",
    "template",
    "partners",
    "exclude_partners",
    "aliases",
    "extra",
    "slug",
    "url",
];

/// How a page's front matter is written: TOML between `+++` lines (livery's own),
/// YAML between `---` lines, or a JSON object from a `{` line to a `}` line (what
/// other generators' content trees use). Messages write fields in the page's format.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum FrontMatterFormat {
    #[default]
    Toml,
    Yaml,
    Json,
}

impl FrontMatterFormat {
    pub fn name(self) -> &'static str {
        match self {
            FrontMatterFormat::Toml => "TOML",
            FrontMatterFormat::Yaml => "YAML",
            FrontMatterFormat::Json => "JSON",
        }
    }

    /// `key = value` in this format, from a value written as TOML (a quoted string,
    /// a number, a bare date, a list of quoted strings).
    pub fn assignment(self, key: &str, toml_value: &str) -> String {
        match self {
            FrontMatterFormat::Toml => format!("{key} = {toml_value}"),
            FrontMatterFormat::Yaml => format!("{key}: {toml_value}"),
            // JSON has no dates: livery reads a string that is exactly a date as one.
            FrontMatterFormat::Json if toml_value.parse::<toml::value::Datetime>().is_ok() => {
                format!("\"{key}\": \"{toml_value}\"")
            }
            FrontMatterFormat::Json => format!("\"{key}\": {toml_value}"),
        }
    }
}

/// One top-level front matter field as written, with where its key is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Field {
    pub key: String,
    pub value: toml::Value,
    pub line: usize,
    pub column: usize,
    /// Where the value starts, to point at a wrong value rather than its key.
    pub value_line: usize,
    pub value_column: usize,
}

/// A front matter value with the line it was written on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Located<T> {
    pub value: T,
    pub line: usize,
    pub column: usize,
}

/// The page's markdown: converted once, or a template rendered per partner.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Body {
    Converted(Converted),
    Templated(Templated),
}

/// One page as parsed: the same for every partner.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Page {
    /// The content folder it came from: `content`, or `partners/<id>/content`.
    pub origin: PathBuf,
    /// Relative to the content folder; for a folder without `_index.md`, `<folder>/_index.md`.
    /// A translation has the source of the page it translates.
    pub source: PathBuf,
    /// The language of a translation (`page.de.md`); None for the page itself.
    #[serde(default)]
    pub language: Option<String>,
    pub kind: PageKind,
    /// Site URL, e.g. `security/access-review/`.
    pub url: String,
    /// From front matter, else the first `# heading`, else the file name.
    pub title: String,
    /// Where front matter set the title (None when it came from the text).
    pub title_at: Option<Located<()>>,
    pub description: Option<Located<String>>,
    pub weight: Option<i64>,
    pub tags: Vec<String>,
    pub owner: Option<String>,
    pub last_reviewed: Option<Date>,
    pub template: Option<TemplateChoice>,
    pub draft: bool,
    /// Only these partners carry the page (front matter `partners`).
    pub only_partners: Option<Located<Vec<String>>>,
    /// These partners do not (front matter `exclude_partners`).
    pub exclude_partners: Option<Located<Vec<String>>>,
    /// Old URLs that redirect here (front matter `aliases`), as site URLs: `old/path/`
    /// or `legacy.html`, each where it was written.
    #[serde(default)]
    pub aliases: Vec<Located<String>>,
    pub extra: toml::Table,
    /// Every top-level front matter field in the order written, built-in ones included.
    pub fields: Vec<Field>,
    /// The line of the closing `+++` (`---`, `}`), where a missing field would go; None
    /// without front matter.
    pub front_matter_end: Option<usize>,
    /// TOML for a page without front matter.
    pub front_matter_format: FrontMatterFormat,
    /// A hash of the file's text (0 for a folder without `_index.md`): it stands for
    /// everything the front matter says when a build asks whether a page changed.
    pub text_hash: u64,
    pub body: Body,
}

impl Page {
    /// A front matter field by key.
    pub fn field(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.key == key)
    }

    pub fn display_path(&self) -> PathBuf {
        self.origin.join(translation_path(&self.source, self.language.as_deref()))
    }

    /// The section this page belongs to, as its `_index.md` path; None for the home page.
    pub fn parent_source(&self) -> Option<PathBuf> {
        let dir = self.source.parent()?;
        let dir = if self.kind == PageKind::Section { dir.parent()? } else { dir };
        Some(dir.join("_index.md"))
    }
}

/// Pages larger than this are refused: a knowledge-base page this size is a pasted log
/// or a generated dump, and every partner would publish it and index it for search.
pub const MAX_PAGE_BYTES: usize = 5 * 1024 * 1024;

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}
