//! Markdown as the parse stage leaves it: converted HTML with its table of contents,
//! links and text sections, or a content template still to be rendered per partner.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// One entry of a page's table of contents (h2 and h3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// What a link in the content points at, resolved against the content root.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkTarget {
    /// Another page (`.md`), by content-relative path.
    Page { path: PathBuf, anchor: Option<String> },
    /// A link from the site root (`/docs/add-runbook/`, `/docs/x.md`, `/img/a.png`,
    /// `/brand.css`), its path folded and without the leading `/`. Which page or file it
    /// reaches depends on the whole project (a page's URL or its path, a content file, a
    /// static file of the partner's site), so the link checker decides, per partner.
    Root { path: String, anchor: Option<String> },
    /// An anchor on the same page.
    Anchor(String),
    /// A file next to the content (an image, a PDF), by content-relative path.
    File(PathBuf),
    /// A relative link that climbs above the content folder.
    OutsideContent,
    /// A URL on another site (`https:`, `//host/`): listed by `check --list-external`,
    /// never fetched.
    External,
}

/// A link found in the content, with where it was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub target: LinkTarget,
    pub written: String,
    pub line: usize,
    pub column: usize,
}

/// The partner-independent result of converting one page.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Converted {
    pub html: String,
    pub toc: Vec<TocEntry>,
    /// Every id a link may point at: headings and footnotes.
    pub anchors: Vec<String>,
    pub links: Vec<Link>,
    /// The text of a leading `# heading` lifted out to serve as the title.
    pub lifted_title: Option<String>,
    /// The first place nesting (lists, quotes) goes deeper than `MAX_NESTING`: (line, column).
    pub too_deep: Option<(usize, usize)>,
    /// Plain text of the page by heading section, for descriptions and search.
    pub sections: Vec<TextSection>,
}

/// The plain text under one heading (or before the first heading).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextSection {
    /// The heading's id; None for the text before the first heading.
    pub anchor: Option<String>,
    pub heading: String,
    pub text: String,
    /// The words of its code blocks, each once, in order: commands and identifiers
    /// readers search for (`pg_wal_replay_resume`), kept apart from the prose.
    #[serde(default)]
    pub code: String,
}

impl Converted {
    /// The opening words of the page.
    pub fn opening_text(&self) -> &str {
        self.sections.iter().map(|s| s.text.as_str()).find(|t| !t.is_empty()).unwrap_or("")
    }

    pub(crate) fn current_section(&mut self) -> &mut TextSection {
        if self.sections.is_empty() {
            self.sections.push(TextSection::default());
        }
        self.sections.last_mut().expect("just ensured a section")
    }
}

/// Markdown whose text depends on the partner, ready for tera.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Templated {
    /// The template name, also the path shown in messages (`content/a.md`).
    pub name: String,
    /// The body as written, for locating errors.
    pub original: String,
    /// The body with code protected and snippet calls turned into includes.
    pub protected: String,
    /// Lines of the file before the body (the front matter).
    pub line_offset: usize,
    /// Snippets this text includes, with the line of each call.
    pub snippets: Vec<(String, usize)>,
}
