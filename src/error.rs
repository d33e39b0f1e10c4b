//! Errors as data: every problem a user can cause names its file, and line and
//! column where known, and says what to do. A build collects all of them
//! instead of stopping at the first.

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// What kind of problem a diagnostic reports: the `rule` of `livery check`'s output,
/// stable across releases so CI tools can filter on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    /// livery.toml, partner.toml or theme.toml.
    Config,
    /// Reading the content tree: file names, encodings, symlinks.
    Content,
    /// Front matter syntax and the types of its built-in fields.
    FrontMatter,
    /// A section's required fields, their types and allowed values (livery.toml `[sections]`).
    Schema,
    UnknownField,
    /// `last_reviewed` older than the section's `max_age_days`.
    Stale,
    /// A translation reviewed before the page it translates was last reviewed.
    StaleTranslation,
    /// Content templating: unknown variables, syntax, snippet cycles.
    Template,
    /// Theme and partner templates, static files and UI strings.
    Theme,
    BrokenLink,
    BrokenAnchor,
    MissingFile,
    /// A link to a page the partner does not carry.
    NotCarried,
    /// A page that is carried but cannot be reached, because its section is not.
    Orphan,
    DuplicateUrl,
    DuplicateTitle,
    /// Another partner's name, domain or email address in a partner's site, or a
    /// term livery.toml `[leaks]` forbids.
    BrandLeak,
    /// Two partners' configs share a name, address, email or phone.
    DuplicateIdentity,
    /// Brand colours with too little contrast.
    Contrast,
    /// Another site generator's syntax in content: Hugo shortcodes, MkDocs macros and
    /// admonitions, MDX imports, components and admonitions.
    ForeignSyntax,
}

impl Rule {
    pub const ALL: [Rule; 20] = [
        Rule::Config,
        Rule::Content,
        Rule::FrontMatter,
        Rule::Schema,
        Rule::UnknownField,
        Rule::Stale,
        Rule::StaleTranslation,
        Rule::Template,
        Rule::Theme,
        Rule::BrokenLink,
        Rule::BrokenAnchor,
        Rule::MissingFile,
        Rule::NotCarried,
        Rule::Orphan,
        Rule::DuplicateUrl,
        Rule::DuplicateTitle,
        Rule::BrandLeak,
        Rule::DuplicateIdentity,
        Rule::Contrast,
        Rule::ForeignSyntax,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Rule::Config => "config",
            Rule::Content => "content",
            Rule::FrontMatter => "front-matter",
            Rule::Schema => "schema",
            Rule::UnknownField => "unknown-field",
            Rule::Stale => "stale",
            Rule::StaleTranslation => "stale-translation",
            Rule::Template => "template",
            Rule::Theme => "theme",
            Rule::BrokenLink => "broken-link",
            Rule::BrokenAnchor => "broken-anchor",
            Rule::MissingFile => "missing-file",
            Rule::NotCarried => "not-carried",
            Rule::Orphan => "orphan",
            Rule::DuplicateUrl => "duplicate-url",
            Rule::DuplicateTitle => "duplicate-title",
            Rule::BrandLeak => "brand-leak",
            Rule::DuplicateIdentity => "duplicate-identity",
            Rule::Contrast => "contrast",
            Rule::ForeignSyntax => "foreign-syntax",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem with the project, located in a file the user wrote.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Set where the problem is found, else by the stage that reported it.
    pub rule: Option<Rule>,
    /// Path relative to the project root, as the user would type it.
    pub path: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// The partner this problem applies to, when only some partners are affected.
    pub partner: Option<String>,
    pub message: String,
    pub help: Option<String>,
    /// The offending source line, shown with a caret under `column`.
    pub source_line: Option<String>,
}

impl Diagnostic {
    pub fn new(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            rule: None,
            path: path.into(),
            line: None,
            column: None,
            partner: None,
            message: message.into(),
            help: None,
            source_line: None,
        }
    }

    /// Locates the diagnostic at a byte offset of `source`, the whole file text.
    pub fn at_offset(mut self, source: &str, offset: usize) -> Self {
        let (line, column) = line_col(source, offset);
        self.line = Some(line);
        self.column = Some(column);
        self.source_line = source.lines().nth(line - 1).map(str::to_owned);
        self
    }

    pub fn rule(mut self, rule: Rule) -> Self {
        self.rule = Some(rule);
        self
    }

    /// The rule, or `rule` when the step that found the problem did not name one.
    pub fn or_rule(mut self, rule: Rule) -> Self {
        self.rule.get_or_insert(rule);
        self
    }

    /// The rule for output; problems nobody classified are content problems.
    pub fn rule_name(&self) -> &'static str {
        self.rule.unwrap_or(Rule::Content).as_str()
    }

    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    pub fn at_line(mut self, line: usize, column: Option<usize>) -> Self {
        self.line = Some(line);
        self.column = column;
        self
    }

    /// Shows the line the diagnostic is located at, from `source`, the whole file text.
    pub fn quoting(mut self, source: &str) -> Self {
        let line = self.line.and_then(|line| source.lines().nth(line.checked_sub(1)?));
        self.source_line = line.map(str::to_owned);
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn for_partner(mut self, partner: &str) -> Self {
        self.partner = Some(partner.to_owned());
        self
    }

    /// `path:line:col`, the form editors and terminals turn into links.
    pub fn location(&self) -> String {
        let mut location = self.path.display().to_string();
        if let Some(line) = self.line {
            location.push_str(&format!(":{line}"));
            if let Some(column) = self.column {
                location.push_str(&format!(":{column}"));
            }
        }
        location
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: ", self.severity, self.location())?;
        if let Some(partner) = &self.partner {
            write!(f, "[partner {partner}] ")?;
        }
        write!(f, "{}", self.message)?;
        if let (Some(line), Some(text)) = (self.line, &self.source_line) {
            let gutter = " ".repeat(line.to_string().len());
            write!(f, "\n{gutter} |\n{line} | {text}")?;
            if let Some(column) = self.column {
                // Columns count characters; tabs keep their width so the caret lines up.
                let pad: String = text
                    .chars()
                    .take(column.saturating_sub(1))
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                write!(f, "\n{gutter} | {pad}^")?;
            }
        }
        if let Some(help) = &self.help {
            let gutter = match (self.line, &self.source_line) {
                (Some(line), Some(_)) => " ".repeat(line.to_string().len()),
                _ => " ".into(),
            };
            write!(f, "\n{gutter} = help: {help}")?;
        }
        Ok(())
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(source, offset.min(source.len()));
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// Line starts of a file, for many offset-to-line lookups in one text.
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let starts =
            std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        LineIndex { starts }
    }

    /// 1-based line and column (in characters) of `offset` in `text`, the indexed text.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.starts.partition_point(|&start| start <= offset);
        let column = text[self.starts[line - 1]..offset].chars().count() + 1;
        (line, column)
    }

    /// Line `line` (1-based) of `text`, the indexed text, without its line ending.
    pub fn line_text<'a>(&self, text: &'a str, line: usize) -> &'a str {
        let start = self.starts[line - 1];
        let end = self.starts.get(line).map_or(text.len(), |&next| next - 1);
        text[start..end].strip_suffix('\r').unwrap_or(&text[start..end])
    }
}

/// The largest char boundary of `s` at or before `index` (`index` at most `s.len()`).
pub(crate) fn floor_char_boundary(s: &str, mut index: usize) -> usize {
    while !s.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// Everything that can stop a livery command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The command line asked for something impossible (exit code 2).
    #[error("{0}")]
    Usage(String),
    /// The project has problems the user must fix (exit code 1).
    #[error("{}", render_all(.0))]
    Project(Vec<Diagnostic>),
    /// The machine failed us: disk full, permissions (exit code 1).
    #[error("error: {}: {source}{}", path.display(), io_help(source))]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Publishing failed part-way; `outcome` says where each partner's site stands.
    #[error(
        "error: could not publish {}: {source}{}\n{}\n  = help: nothing of this build was published; fix the cause and build again",
        path.display(),
        io_help(source),
        outcome.iter().map(|line| format!("  {line}")).collect::<Vec<_>>().join("\n")
    )]
    Publish {
        path: PathBuf,
        #[source]
        source: std::io::Error,
        outcome: Vec<String>,
    },
    /// Another build holds the output folder and we were told not to wait (exit code 1).
    #[error("{0}")]
    Busy(String),
}

/// What to do about an I/O error, as a help line (empty when there is nothing useful).
fn io_help(error: &std::io::Error) -> &'static str {
    use std::io::ErrorKind as K;
    match error.kind() {
        K::StorageFull | K::QuotaExceeded | K::FileTooLarge => {
            "\n  = help: the disk is full or a size limit was reached: free some space (or raise the limit) and build again; the published sites were not changed"
        }
        K::PermissionDenied => {
            "\n  = help: livery may not change this file: check its owner and permissions, and `lsattr` for immutable files"
        }
        K::ReadOnlyFilesystem => {
            "\n  = help: this file system is read-only: choose another output folder with --out"
        }
        _ => "",
    }
}

impl Error {
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        Error::Io { path: path.to_owned(), source }
    }

    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_) => 2,
            Error::Project(_) | Error::Io { .. } | Error::Publish { .. } | Error::Busy(_) => 1,
        }
    }
}

/// Classifies the problems of one stage that did not classify themselves.
pub fn in_stage(rule: Rule) -> impl Fn(Vec<Diagnostic>) -> Vec<Diagnostic> {
    move |diagnostics| diagnostics.into_iter().map(|d| d.or_rule(rule)).collect()
}

impl From<Diagnostic> for Error {
    fn from(diagnostic: Diagnostic) -> Self {
        Error::Project(vec![diagnostic])
    }
}

/// A step that stops at its first problem, inside one that reports several.
impl From<Diagnostic> for Vec<Diagnostic> {
    fn from(diagnostic: Diagnostic) -> Self {
        vec![diagnostic]
    }
}

impl From<Vec<Diagnostic>> for Error {
    fn from(diagnostics: Vec<Diagnostic>) -> Self {
        Error::Project(diagnostics)
    }
}

fn render_all(diagnostics: &[Diagnostic]) -> String {
    let mut out: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
    let count = diagnostics.len();
    out.push(format!(
        "{count} error{} found; nothing was written",
        if count == 1 { "" } else { "s" }
    ));
    out.join("\n\n")
}

/// Puts diagnostics in reading order (by file, line, column, partner) and drops
/// repeats: the same problem found by several steps or for several partners.
pub fn sort_and_dedup(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| {
        (&a.path, a.line, a.column, &a.partner, a.severity, &a.message)
            .cmp(&(&b.path, b.line, b.column, &b.partner, b.severity, &b.message))
    });
    diagnostics.dedup();
}

/// Collects diagnostics from independent steps so a build reports all of them.
#[derive(Debug, Default)]
pub struct Problems(Vec<Diagnostic>);

impl Problems {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    pub fn extend(&mut self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(diagnostics);
    }

    /// Keeps the value of a step that succeeded; records the problems of one that did not.
    pub fn take<T>(&mut self, result: Result<T, Vec<Diagnostic>>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(diagnostics) => {
                self.0.extend(diagnostics);
                None
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.0
    }

    /// The warnings when there are no errors, otherwise every error, in a stable order.
    pub fn finish(mut self) -> Result<Vec<Diagnostic>, Error> {
        sort_and_dedup(&mut self.0);
        let (errors, warnings): (Vec<_>, Vec<_>) =
            self.0.into_iter().partition(|d| d.severity == Severity::Error);
        if errors.is_empty() { Ok(warnings) } else { Err(Error::Project(errors)) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one_and_in_characters() {
        let text = "a = 1\nnäme = \"x\"\n";
        assert_eq!(line_col(text, 0), (1, 1));
        let offset = text.find('"').unwrap();
        assert_eq!(line_col(text, offset), (2, 8));
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, offset), (2, 8));
        assert_eq!(index.line_col(text, 0), (1, 1));
        assert_eq!(index.line_col(text, text.len()), (3, 1));
    }

    #[test]
    fn display_shows_location_snippet_and_help() {
        let source = "name = \"Acme\"\nprimary = \"#12345g\"\n";
        let offset = source.find("\"#1").unwrap();
        let diagnostic = Diagnostic::new("partners/acme/partner.toml", "`#12345g` is not a colour")
            .at_offset(source, offset)
            .help("use a CSS colour such as \"#0b5fff\"");
        let text = diagnostic.to_string();
        assert_eq!(
            text,
            "error: partners/acme/partner.toml:2:11: `#12345g` is not a colour\n  |\n2 | primary = \"#12345g\"\n  |           ^\n  = help: use a CSS colour such as \"#0b5fff\""
        );
    }
}
