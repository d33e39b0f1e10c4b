//! Source files become pages: front matter split off (with file-relative lines),
//! validated, the markdown converted once, the title taken from the front matter,
//! else the first `# heading`, else the file name.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Deserialize;
use toml::Spanned;

use crate::error::{Diagnostic, Rule};
use crate::model::content::Converted;
use crate::model::page::Body;
use crate::model::page::Date;
use crate::model::page::Field;
use crate::model::page::Located;
use crate::model::page::MAX_PAGE_BYTES;
use crate::model::page::Page;
use crate::model::page::PageKind;
use crate::model::page::SourceFile;
use crate::model::page::TemplateChoice;
use crate::parse::highlight::Highlighter;
use crate::parse::markdown;
use crate::parse::templating;
use crate::support::text::parse_toml_in;
use crate::support::urls;

/// The built-in front matter fields. Other fields are kept in `Page::fields` for the
/// section schemas of livery.toml, which declare them or warn about them.
#[derive(Deserialize, Default)]
struct FrontMatter {
    title: Option<Spanned<String>>,
    description: Option<Spanned<String>>,
    weight: Option<i64>,
    #[serde(default)]
    tags: Vec<String>,
    owner: Option<String>,
    last_reviewed: Option<Spanned<toml::value::Datetime>>,
    #[serde(default)]
    draft: bool,
    template: Option<Spanned<String>>,
    partners: Option<Spanned<Vec<String>>>,
    exclude_partners: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
    #[serde(default)]
    extra: toml::Table,
}

/// Front matter as written: every key and value with its position.
type RawFrontMatter = BTreeMap<Spanned<String>, Spanned<toml::Value>>;

/// Where the TOML front matter is, as byte ranges of the file.
struct Split {
    front_matter: Option<std::ops::Range<usize>>,
    body: std::ops::Range<usize>,
}

fn split_front_matter(file: &SourceFile) -> Result<Split, Diagnostic> {
    let text = file.text.as_str();
    let first_line_end = text.find('\n').map_or(text.len(), |i| i + 1);
    let first_line = text[..first_line_end].trim_end();
    if first_line == "---" {
        return Err(Diagnostic::new(
            file.display_path(),
            "front matter must be TOML between `+++` lines",
        )
        .at_line(1, Some(1))
        .help("replace the `---` lines with `+++` and write the fields as TOML: title = \"…\""));
    }
    if first_line != "+++" {
        return Ok(Split { front_matter: None, body: 0..text.len() });
    }
    let mut offset = first_line_end;
    while offset < text.len() {
        let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i + 1);
        if text[offset..line_end].trim_end() == "+++" {
            return Ok(Split {
                front_matter: Some(first_line_end..offset),
                body: line_end..text.len(),
            });
        }
        offset = line_end;
    }
    Err(Diagnostic::new(file.display_path(), "the front matter opened here is never closed")
        .at_line(1, Some(1))
        .help("end the front matter with a line containing only `+++`"))
}

pub fn parse(file: &SourceFile, highlighter: &Highlighter) -> Result<Page, Diagnostic> {
    let display_path = file.display_path();
    if file.text.len() > MAX_PAGE_BYTES {
        return Err(Diagnostic::new(
            &display_path,
            format!(
                "the page is {:.1} MB; pages may be at most {} MB",
                file.text.len() as f64 / (1024.0 * 1024.0),
                MAX_PAGE_BYTES / (1024 * 1024)
            ),
        )
        .rule(Rule::Content)
        .help("split it into several pages, or publish the data as a file and link to it"));
    }
    let split = split_front_matter(file)?;
    let (front, raw): (FrontMatter, RawFrontMatter) = match &split.front_matter {
        Some(range) => (
            parse_toml_in(&display_path, &file.text, range.clone())
                .map_err(|d| d.rule(Rule::FrontMatter))?,
            parse_toml_in(&display_path, &file.text, range.clone())
                .map_err(|d| d.rule(Rule::FrontMatter))?,
        ),
        None => (FrontMatter::default(), RawFrontMatter::new()),
    };
    let front_start = split.front_matter.as_ref().map_or(0, |r| r.start);
    let locate =
        |span: std::ops::Range<usize>| crate::error::line_col(&file.text, front_start + span.start);
    let mut fields: Vec<Field> = raw
        .into_iter()
        .map(|(key, value)| {
            let (line, column) = locate(key.span());
            let (value_line, value_column) = locate(value.span());
            Field {
                key: key.into_inner(),
                value: value.into_inner(),
                line,
                column,
                value_line,
                value_column,
            }
        })
        .collect();
    fields.sort_by_key(|f| (f.line, f.column));
    let front_matter_end =
        split.front_matter.as_ref().map(|r| crate::error::line_col(&file.text, r.end).0);
    let located = |value: &Spanned<Vec<String>>| {
        let (line, column) = locate(value.span());
        Located { value: value.get_ref().clone(), line, column }
    };

    let last_reviewed = match &front.last_reviewed {
        Some(value) => Some(to_date(value.get_ref()).ok_or_else(|| {
            let (line, column) = locate(value.span());
            Diagnostic::new(
                &display_path,
                format!("last_reviewed `{}` is not a date", value.get_ref()),
            )
            .at_line(line, Some(column))
            .rule(Rule::FrontMatter)
            .help("write a bare date without quotes or time: last_reviewed = 2026-10-01")
        })?),
        None => None,
    };
    let template = front.template.as_ref().map(|t| {
        let (line, column) = locate(t.span());
        TemplateChoice { name: t.get_ref().clone(), line, column }
    });
    if let Some(title) = front.title.as_ref().filter(|t| t.get_ref().trim().is_empty()) {
        let (line, column) = locate(title.span());
        return Err(Diagnostic::new(&display_path, "the title is empty")
            .at_line(line, Some(column))
            .rule(Rule::FrontMatter)
            .help("write a title, or remove the line to use the first `# heading`"));
    }
    let title_at = front.title.as_ref().map(|t| {
        let (line, column) = locate(t.span());
        Located { value: (), line, column }
    });
    let description = front.description.as_ref().map(|d| {
        let (line, column) = locate(d.span());
        Located { value: d.get_ref().clone(), line, column }
    });

    let url = urls::page_url(&file.path);
    let aliases = front.aliases.iter().map(|alias| {
        let (line, column) = locate(alias.span());
        Located { value: alias.get_ref().clone(), line, column }
    });
    let aliases =
        crate::parse::aliases::resolve_all(&display_path, &file.path, &url, aliases.collect())?;
    let body_text = &file.text[split.body.clone()];
    let line_offset = crate::error::line_col(&file.text, split.body.start).0 - 1;
    let fallback_title = humanize(&file.path);
    let (body, lifted_title) =
        match templating::prepare(&display_path.to_string_lossy(), body_text, line_offset) {
            Some(template) => (Body::Templated(template), None),
            None => {
                let input = markdown::Input {
                    body: body_text,
                    line_offset,
                    source: &file.path,
                    url: &url,
                    lift_title: front.title.is_none(),
                };
                let converted = markdown::convert(&input, highlighter);
                if let Some(problem) = nesting_problem(&display_path, &converted) {
                    return Err(problem);
                }
                let lifted = converted.lifted_title.clone();
                (Body::Converted(converted), lifted)
            }
        };
    let title = front
        .title
        .as_ref()
        .map(|t| t.get_ref().clone())
        .or(lifted_title)
        .unwrap_or(fallback_title);
    let kind = if file.path.file_name() == Some("_index.md".as_ref()) {
        PageKind::Section
    } else {
        PageKind::Page
    };
    Ok(Page {
        origin: file.origin.clone(),
        source: file.path.clone(),
        kind,
        url,
        title,
        title_at,
        description,
        weight: front.weight,
        tags: front.tags,
        owner: front.owner,
        last_reviewed,
        template,
        draft: front.draft,
        only_partners: front.partners.as_ref().map(located),
        exclude_partners: front.exclude_partners.as_ref().map(located),
        aliases,
        extra: front.extra,
        fields,
        front_matter_end,
        text_hash: text_hash(&file.text),
        body,
    })
}

/// Lists or quotes nested past `markdown::MAX_NESTING` levels.
pub fn nesting_problem(path: &Path, converted: &Converted) -> Option<Diagnostic> {
    let (line, column) = converted.too_deep?;
    Some(
        Diagnostic::new(
            path,
            format!(
                "lists or quotes are nested more than {} levels deep here",
                markdown::MAX_NESTING
            ),
        )
        .at_line(line, Some(column))
        .rule(Rule::Content)
        .help("flatten the structure; browsers cannot show nesting this deep"),
    )
}

fn to_date(value: &toml::value::Datetime) -> Option<Date> {
    let date = value.date?;
    if value.time.is_some() || value.offset.is_some() {
        return None;
    }
    Some(Date { year: date.year, month: date.month, day: date.day })
}

/// Every source file of one content folder (`origin`) parsed in parallel, drafts
/// left out (unless asked for), folders without an `_index.md` given an implicit
/// section (unless `elsewhere`, the shared tree, has one), duplicate URLs reported.
pub fn parse_all(
    files: &[SourceFile],
    highlighter: &Highlighter,
    include_drafts: bool,
    origin: &Path,
    elsewhere: &BTreeSet<PathBuf>,
    previous: &ParseCache,
) -> ParsedTree {
    let results: Vec<(Result<Page, Diagnostic>, bool)> = files
        .par_iter()
        .map(|file| match previous.get(&file.display_path()) {
            Some((hash, page)) if *hash == text_hash(&file.text) => (Ok(page.clone()), false),
            _ => (parse(file, highlighter), true),
        })
        .collect();
    let mut pages = Vec::new();
    let mut problems = Vec::new();
    let mut failed = BTreeSet::new();
    let conversions = results
        .iter()
        .filter(|(r, parsed)| *parsed && matches!(r, Ok(Page { body: Body::Converted(_), .. })))
        .count();
    for ((result, _), file) in results.into_iter().zip(files) {
        match result {
            Ok(page) if page.draft && !include_drafts => {}
            Ok(page) => pages.push(page),
            Err(diagnostic) => {
                problems.push(diagnostic);
                failed.insert(file.path.clone());
            }
        }
    }
    add_implicit_sections(&mut pages, origin, elsewhere);
    problems.extend(duplicate_urls(&pages));
    pages.sort_by(|a, b| a.source.cmp(&b.source));
    ParsedTree { pages, problems, failed, conversions }
}

/// Pages parsed by an earlier build, by file and text hash: the dev server re-parses
/// only the files that changed.
pub type ParseCache = std::collections::HashMap<PathBuf, (u64, Page)>;

pub fn text_hash(text: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(text.as_bytes())
}

/// Remembers the parsed pages of `files` for the next build.
pub fn remember(cache: &mut ParseCache, files: &[SourceFile], pages: &[Page]) {
    let by_path: std::collections::HashMap<PathBuf, &Page> =
        pages.iter().map(|p| (p.display_path(), p)).collect();
    for file in files {
        let path = file.display_path();
        let hash = text_hash(&file.text);
        // A page that came from the cache is there already.
        if cache.get(&path).is_some_and(|(cached, _)| *cached == hash) {
            continue;
        }
        if let Some(page) = by_path.get(&path) {
            cache.insert(path, (hash, (*page).clone()));
        }
    }
}

/// The pages of one content folder.
pub struct ParsedTree {
    pub pages: Vec<Page>,
    pub problems: Vec<Diagnostic>,
    /// Files that did not parse (content-relative): reported in `problems`, and not
    /// "missing" to a link that points at them.
    pub failed: BTreeSet<PathBuf>,
    /// Markdown files converted to HTML while parsing (all but templated ones).
    pub conversions: usize,
}

/// Every folder holding pages is a section, with or without an `_index.md`.
fn add_implicit_sections(pages: &mut Vec<Page>, origin: &Path, elsewhere: &BTreeSet<PathBuf>) {
    let mut existing: BTreeSet<PathBuf> = pages.iter().map(|p| p.source.clone()).collect();
    existing.extend(elsewhere.iter().cloned());
    let mut needed = BTreeMap::new();
    for page in pages.iter() {
        let mut parent = page.parent_source();
        while let Some(index) = parent {
            if existing.contains(&index) || needed.contains_key(&index) {
                break;
            }
            let dir = index.parent().map(Path::to_owned).unwrap_or_default();
            parent = dir.parent().map(|d| d.join("_index.md"));
            needed.insert(index, dir);
        }
    }
    if !existing.contains(Path::new("_index.md")) {
        needed.insert(PathBuf::from("_index.md"), PathBuf::new());
    }
    for (source, dir) in needed {
        let title = if dir.as_os_str().is_empty() { "Home".to_owned() } else { humanize(&dir) };
        pages.push(Page {
            origin: origin.to_owned(),
            url: urls::page_url(&source),
            source,
            kind: PageKind::Section,
            title,
            title_at: None,
            description: None,
            weight: None,
            tags: Vec::new(),
            owner: None,
            last_reviewed: None,
            template: None,
            draft: false,
            only_partners: None,
            exclude_partners: None,
            aliases: Vec::new(),
            extra: toml::Table::new(),
            fields: Vec::new(),
            front_matter_end: None,
            text_hash: 0,
            body: Body::Converted(Converted::default()),
        });
    }
}

fn duplicate_urls(pages: &[Page]) -> Vec<Diagnostic> {
    let mut by_url: BTreeMap<&str, Vec<&Page>> = BTreeMap::new();
    for page in pages {
        by_url.entry(&page.url).or_default().push(page);
    }
    by_url
        .values()
        .filter(|same| same.len() > 1)
        .map(|same| {
            let paths: Vec<String> =
                same.iter().map(|p| p.display_path().display().to_string()).collect();
            Diagnostic::new(
                same[1].display_path(),
                format!("{} all publish to /{}", paths.join(" and "), same[0].url),
            )
            .rule(Rule::DuplicateUrl)
            .help("rename one of them, or move the page's text into the folder's _index.md")
        })
        .collect()
}

/// `access-review` → `Access review`; `AJAX_Security` → `AJAX Security`.
fn humanize(path: &Path) -> String {
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let words = stem.replace(['-', '_'], " ");
    let mut chars = words.trim().chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => stem,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::page::CONTENT_DIR;

    /// The shared content tree of `files`, parsed from scratch.
    fn parse_shared(files: &[SourceFile], drafts: bool) -> ParsedTree {
        let origin = Path::new(CONTENT_DIR);
        parse_all(files, &Highlighter::new(), drafts, origin, &BTreeSet::new(), &ParseCache::new())
    }

    fn source(path: &str, text: &str) -> SourceFile {
        SourceFile { origin: CONTENT_DIR.into(), path: path.into(), text: text.into() }
    }

    #[test]
    fn front_matter_errors_name_the_file_line() {
        let file = source("a.md", "+++\ntitle = \"A\"\nweight = \"ten\"\n+++\nBody\n");
        let error = parse(&file, &Highlighter::new()).unwrap_err();
        assert_eq!(error.location(), "content/a.md:3:10");
        assert!(error.message.contains("invalid type"), "{}", error.message);
    }

    #[test]
    fn crlf_front_matter_is_read() {
        let file = source("a.md", "+++\r\ntitle = \"A\"\r\n+++\r\n\r\nBody\r\n");
        let page = parse(&file, &Highlighter::new()).unwrap();
        assert_eq!(page.title, "A");
        let Body::Converted(content) = &page.body else { panic!("not a template") };
        assert!(content.html.contains("Body"));
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let file = source("a.md", "+++\ntitle = \"A\"\nBody\n");
        let error = parse(&file, &Highlighter::new()).unwrap_err();
        assert!(error.message.contains("never closed"));
    }

    #[test]
    fn title_falls_back_to_heading_then_file_name() {
        let page = parse(
            &source("x/backup-restore.md", "# Restore a backup\n\nText"),
            &Highlighter::new(),
        )
        .unwrap();
        assert_eq!(page.title, "Restore a backup");
        let page = parse(&source("x/backup-restore.md", "Text only"), &Highlighter::new()).unwrap();
        assert_eq!(page.title, "Backup restore");
    }

    #[test]
    fn dates_must_be_bare_dates() {
        let file = source("a.md", "+++\nlast_reviewed = 2026-10-01T10:00:00\n+++\n");
        let error = parse(&file, &Highlighter::new()).unwrap_err();
        assert_eq!(error.location(), "content/a.md:2:17");
    }

    #[test]
    fn folders_without_index_become_sections_and_duplicate_urls_are_errors() {
        let files = vec![source("a/b.md", "x"), source("a/b/_index.md", "y")];
        let ParsedTree { pages, problems, .. } = parse_shared(&files, false);
        let sources: Vec<_> =
            pages.iter().map(|p| p.source.to_string_lossy().into_owned()).collect();
        assert_eq!(sources, ["_index.md", "a/_index.md", "a/b/_index.md", "a/b.md"]);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.contains("publish to /a/b/"), "{}", problems[0].message);
    }

    #[test]
    fn drafts_are_left_out_unless_asked_for() {
        let files = vec![source("a.md", "+++\ndraft = true\n+++\nx")];
        let has_draft = |drafts| {
            parse_shared(&files, drafts).pages.iter().any(|p| p.source == Path::new("a.md"))
        };
        assert!(!has_draft(false));
        assert!(has_draft(true));
    }
}
