//! Source files become pages: front matter (TOML, YAML or JSON) split off and read
//! with file-relative lines, the markdown converted once, the title taken from the
//! front matter, else the first `# heading`, else the file name.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Diagnostic, Rule};
use crate::model::content::Converted;
use crate::model::page::Body;
use crate::model::page::FrontMatterFormat;
use crate::model::page::Located;
use crate::model::page::MAX_PAGE_BYTES;
use crate::model::page::Page;
use crate::model::page::PageKind;
use crate::model::page::SourceFile;
use crate::model::url_map::UrlMap;
use crate::parse::foreign;
use crate::parse::front_matter;
use crate::parse::highlight::Highlighter;
use crate::parse::markdown;
use crate::parse::templating;

/// The page of `file`, or every problem that keeps it from being one.
/// `slug` and `url` as the front matter writes them, with their file line and column.
pub struct UrlChoice {
    pub slug: Option<Located<String>>,
    pub url: Option<Located<String>>,
}

/// The page's `UrlChoice`; None when the front matter sets neither `slug` nor `url`, or
/// does not parse (`parse` says why).
pub fn url_choice(file: &SourceFile) -> Option<UrlChoice> {
    let path = file.display_path();
    let block = front_matter::split(&path, &file.text).ok()?.block?;
    let fields = front_matter::fields(&path, &file.text, &block).ok()?;
    let located = |key: &str| {
        fields.iter().find(|f| f.key == key).and_then(|f| {
            let value = f.value.as_str()?.to_owned();
            Some(Located { value, line: f.value_line, column: f.value_column })
        })
    };
    let (slug, url) = (located("slug"), located("url"));
    (slug.is_some() || url.is_some()).then_some(UrlChoice { slug, url })
}

pub fn parse(
    file: &SourceFile,
    highlighter: &Highlighter,
    urls: &UrlMap,
) -> Result<Page, Vec<Diagnostic>> {
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
        .help("split it into several pages, or publish the data as a file and link to it")
        .into());
    }
    let split = front_matter::split(&display_path, &file.text)?;
    let fields = match &split.block {
        Some(block) => front_matter::fields(&display_path, &file.text, block)?,
        None => Vec::new(),
    };
    let format = split.block.as_ref().map_or(FrontMatterFormat::default(), |b| b.format);
    let front = front_matter::built_in(&display_path, &file.text, &fields, format)?;
    let front_matter_end =
        split.block.as_ref().map(|b| crate::error::line_col(&file.text, b.closing).0);

    // Reported before templating: tera would stop at the first with a syntax error.
    let foreign = foreign::diagnostics(&display_path, &file.text, split.body.start);
    if !foreign.is_empty() {
        return Err(foreign);
    }
    let url = urls.page(&file.path);
    let aliases = fields
        .iter()
        .filter(|f| f.key == "aliases")
        .flat_map(|f| list_items(&file.text, f))
        .collect();
    let aliases = crate::parse::aliases::resolve_all(&display_path, &file.path, &url, aliases)?;
    let body_text = &file.text[split.body.clone()];
    let line_offset = crate::error::line_col(&file.text, split.body.start).0 - 1;
    let fallback_title = fallback_title(&file.path);
    let (body, lifted_title) =
        match templating::prepare(&display_path.to_string_lossy(), body_text, line_offset) {
            Some(template) => (Body::Templated(template), None),
            None => {
                let input = markdown::Input {
                    body: body_text,
                    line_offset,
                    source: &file.path,
                    url: &url,
                    urls,
                    lift_title: true,
                };
                let converted = markdown::convert(&input, highlighter);
                if let Some(problem) = nesting_problem(&display_path, &converted) {
                    return Err(vec![problem]);
                }
                let lifted = converted.lifted_title.clone();
                (Body::Converted(converted), lifted)
            }
        };
    let title_at =
        front.title.as_ref().map(|t| Located { value: (), line: t.line, column: t.column });
    let title = front.title.map(|t| t.value).or(lifted_title).unwrap_or(fallback_title);
    let kind = if file.path.file_name() == Some("_index.md".as_ref()) {
        PageKind::Section
    } else {
        PageKind::Page
    };
    Ok(Page {
        origin: file.origin.clone(),
        source: file.path.clone(),
        language: file.language.clone(),
        kind,
        url,
        title,
        title_at,
        description: front.description,
        weight: front.weight,
        tags: front.tags,
        owner: front.owner,
        last_reviewed: front.last_reviewed,
        template: front.template,
        draft: front.draft,
        only_partners: front.partners,
        exclude_partners: front.exclude_partners,
        aliases,
        extra: front.extra,
        fields,
        front_matter_end,
        front_matter_format: format,
        text_hash: text_hash(&file.text),
        body,
    })
}

/// The strings of a list field, each located where it is written: found in the text
/// after the previous one (as written, else at the next quote), so that a message can
/// point at one item whatever the front matter's format.
fn list_items(text: &str, field: &crate::model::page::Field) -> Vec<Located<String>> {
    let line_start: usize =
        text.split_inclusive('\n').take(field.value_line.saturating_sub(1)).map(str::len).sum();
    let mut cursor = text[line_start..]
        .char_indices()
        .nth(field.value_column.saturating_sub(1))
        .map_or(text.len(), |(at, _)| line_start + at);
    let items = field.value.as_array().map(Vec::as_slice).unwrap_or_default();
    let mut located = Vec::new();
    for item in items.iter().filter_map(|item| item.as_str()) {
        let rest = &text[cursor..];
        let quote = rest.find(['"', '\'']);
        let written = rest
            .find(item)
            .filter(|&found| !item.is_empty() && quote.is_none_or(|q| q + 1 >= found));
        let quoted = written
            .is_some_and(|found| found > 0 && matches!(rest.as_bytes()[found - 1], b'"' | b'\''));
        // The item as written, from its opening quote if it has one; else the next quote.
        let at = match written {
            Some(found) => cursor + found - usize::from(quoted),
            None => quote.map_or(cursor, |q| cursor + q),
        };
        let (line, column) = crate::error::line_col(text, at);
        located.push(Located { value: item.to_owned(), line, column });
        // Past the item and its closing quote.
        cursor = match written {
            Some(found) => (cursor + found + item.len() + usize::from(quoted)).min(text.len()),
            None => (at + 1).min(text.len()),
        };
    }
    located
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

/// Every source file of one content folder (`origin`) parsed in parallel, drafts
/// left out (unless asked for), folders without an `_index.md` given an implicit
/// section (unless `elsewhere`, the shared tree, has one), duplicate URLs reported.
pub fn parse_all(
    files: &[SourceFile],
    highlighter: &Highlighter,
    include_drafts: bool,
    (origin, urls): (&Path, &UrlMap),
    elsewhere: &BTreeSet<PathBuf>,
    previous: &[&ParseCache],
) -> ParsedTree {
    let fingerprint = urls.fingerprint();
    let results: Vec<(Result<Page, Vec<Diagnostic>>, bool)> = files
        .par_iter()
        .map(|file| {
            let path = file.display_path();
            let key = cache_key(&file.text, fingerprint);
            let known = previous.iter().find_map(|cache| {
                cache.get(&path).filter(|(cached, _)| *cached == key).map(|(_, page)| page)
            });
            match known {
                Some(page) => (Ok(page.clone()), false),
                None => (parse(file, highlighter, urls), true),
            }
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
            Err(diagnostics) => {
                problems.extend(diagnostics);
                failed.insert(file.path.clone());
            }
        }
    }
    add_implicit_sections(&mut pages, (origin, urls), elsewhere);
    problems.extend(duplicate_urls(&pages));
    pages.sort_by(|a, b| a.source.cmp(&b.source));
    ParsedTree { pages, problems, failed, conversions }
}

/// Pages parsed by an earlier build, by file and `cache_key`: the dev server re-parses
/// only the files that changed.
pub type ParseCache = std::collections::HashMap<PathBuf, (u64, Page)>;

pub fn text_hash(text: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(text.as_bytes())
}

/// What a parsed page depends on: its file's text, and the URLs chosen by front matter
/// and `lowercase_urls` (its own URL and its links' hrefs), by `UrlMap::fingerprint`.
pub fn cache_key(text: &str, url_fingerprint: u64) -> u64 {
    cache_key_of(text_hash(text), url_fingerprint)
}

/// `cache_key` from the text's hash (`Page::text_hash`).
pub fn cache_key_of(hash: u64, url_fingerprint: u64) -> u64 {
    if url_fingerprint == 0 { hash } else { text_hash(&format!("{hash:x} {url_fingerprint:x}")) }
}

/// `pages` (parsed in another content folder with URL fingerprint `url_fingerprint`) as
/// a cache for the same files under `origin`: a page of an older version whose text is
/// unchanged converts to the same HTML, since links resolve by path and every URL that
/// is not derived from its path is in the fingerprint. Content templates are left out:
/// their name is their file's.
pub fn borrowed<'a>(
    pages: impl IntoIterator<Item = &'a Page>,
    origin: &Path,
    url_fingerprint: u64,
) -> ParseCache {
    pages
        .into_iter()
        .filter(|p| p.text_hash != 0 && matches!(p.body, Body::Converted(_)))
        .map(|page| {
            let page = Page { origin: origin.to_owned(), ..page.clone() };
            (page.display_path(), (cache_key_of(page.text_hash, url_fingerprint), page))
        })
        .collect()
}

/// Remembers the parsed pages of `files` for the next build.
pub fn remember(
    cache: &mut ParseCache,
    files: &[SourceFile],
    pages: &[Page],
    url_fingerprint: u64,
) {
    let by_path: std::collections::HashMap<PathBuf, &Page> =
        pages.iter().map(|p| (p.display_path(), p)).collect();
    for file in files {
        let path = file.display_path();
        let hash = cache_key(&file.text, url_fingerprint);
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
fn add_implicit_sections(
    pages: &mut Vec<Page>,
    (origin, urls): (&Path, &UrlMap),
    elsewhere: &BTreeSet<PathBuf>,
) {
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
            url: urls.page(&source),
            source,
            language: None,
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
            front_matter_format: FrontMatterFormat::default(),
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
            .help(
                "rename one of them (or change its `slug` or `url`), or move the page's text \
                 into the folder's _index.md",
            )
        })
        .collect()
}

/// `access-review` → `Access review`; `AJAX_Security` → `AJAX Security`.
/// The title of a page that names none: its file's name, or a section's folder name.
fn fallback_title(path: &Path) -> String {
    if path.file_name() != Some("_index.md".as_ref()) {
        return humanize(path);
    }
    match path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
        Some(dir) => humanize(dir),
        None => "Home".to_owned(),
    }
}

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
    use crate::model::page::Date;
    use crate::model::page::Field;

    /// The shared content tree of `files`, parsed from scratch.
    fn parse_shared(files: &[SourceFile], drafts: bool) -> ParsedTree {
        let origin = Path::new(CONTENT_DIR);
        let urls = &UrlMap::default();
        parse_all(
            files,
            &Highlighter::new(),
            drafts,
            (origin, urls),
            &BTreeSet::new(),
            &[&ParseCache::new()],
        )
    }

    #[test]
    fn each_alias_is_located_at_its_own_item_in_every_format() {
        let at = |text: &str| -> Vec<(usize, usize)> {
            let page = parse(&source("a.md", text), &Highlighter::new(), &UrlMap::default())
                .unwrap_or_else(|d| panic!("{d:?}"));
            page.aliases.iter().map(|a| (a.line, a.column)).collect()
        };
        assert_eq!(at("+++\naliases = [\"/one/\", '/two/']\n+++\n"), [(2, 12), (2, 21)]);
        assert_eq!(at("---\naliases:\n  - /one/\n  - \"/two/\"\n---\n"), [(3, 5), (4, 5)]);
        assert_eq!(at("---\naliases: [/one/, /two/]\n---\n"), [(2, 11), (2, 18)]);
        assert_eq!(at("{\n  \"aliases\": [\"/one/\", \"/two/\"]\n}\n"), [(2, 15), (2, 24)]);
        // Items on lines of their own.
        assert_eq!(at("+++\naliases = [\"/x/\",\n  \"/y/\"]\n+++\n"), [(2, 12), (3, 3)]);
    }

    /// The one problem of a page that did not parse.
    fn only(mut errors: Vec<Diagnostic>) -> Diagnostic {
        assert_eq!(errors.len(), 1, "{errors:?}");
        errors.remove(0)
    }

    fn source(path: &str, text: &str) -> SourceFile {
        SourceFile {
            origin: CONTENT_DIR.into(),
            path: path.into(),
            text: text.into(),
            language: None,
        }
    }

    #[test]
    fn front_matter_errors_name_the_file_line() {
        let file = source("a.md", "+++\ntitle = \"A\"\nweight = \"ten\"\n+++\nBody\n");
        let error = only(parse(&file, &Highlighter::new(), &UrlMap::default()).unwrap_err());
        assert_eq!(error.location(), "content/a.md:3:10");
        assert_eq!(error.message, "`weight` must be an integer, not \"ten\"");
        assert_eq!(error.help.as_deref(), Some("write it like weight = 3"));
    }

    #[test]
    fn crlf_front_matter_is_read() {
        let file = source("a.md", "+++\r\ntitle = \"A\"\r\n+++\r\n\r\nBody\r\n");
        let page = parse(&file, &Highlighter::new(), &UrlMap::default()).unwrap();
        assert_eq!(page.title, "A");
        let Body::Converted(content) = &page.body else { panic!("not a template") };
        assert!(content.html.contains("Body"));
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let file = source("a.md", "+++\ntitle = \"A\"\nBody\n");
        let error = only(parse(&file, &Highlighter::new(), &UrlMap::default()).unwrap_err());
        assert!(error.message.contains("never closed"));
    }

    #[test]
    fn title_falls_back_to_heading_then_file_name() {
        let page = parse(
            &source("x/backup-restore.md", "# Restore a backup\n\nText"),
            &Highlighter::new(),
            &UrlMap::default(),
        )
        .unwrap();
        assert_eq!(page.title, "Restore a backup");
        let page = parse(
            &source("x/backup-restore.md", "Text only"),
            &Highlighter::new(),
            &UrlMap::default(),
        )
        .unwrap();
        assert_eq!(page.title, "Backup restore");
    }

    #[test]
    fn dates_must_be_bare_dates() {
        let file = source("a.md", "+++\nlast_reviewed = 2026-10-01T10:00:00\n+++\n");
        let error = only(parse(&file, &Highlighter::new(), &UrlMap::default()).unwrap_err());
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

    fn highlighter() -> &'static Highlighter {
        static HIGHLIGHTER: std::sync::OnceLock<Highlighter> = std::sync::OnceLock::new();
        HIGHLIGHTER.get_or_init(Highlighter::new)
    }

    fn page(text: &str) -> Page {
        parse(&source("a.md", text), highlighter(), &UrlMap::default())
            .unwrap_or_else(|d| panic!("{d:?}"))
    }

    fn error(text: &str) -> Diagnostic {
        match parse(&source("a.md", text), highlighter(), &UrlMap::default()) {
            Ok(_) => panic!("parsed: {text:?}"),
            Err(diagnostics) => only(diagnostics),
        }
    }

    /// Every field, as (key, value, key line, value line and column).
    fn fields(page: &Page) -> Vec<(String, toml::Value, usize, usize, usize)> {
        let f = |f: &Field| (f.key.clone(), f.value.clone(), f.line, f.value_line, f.value_column);
        page.fields.iter().map(f).collect()
    }

    const TOML_PAGE: &str = "+++\ntitle = \"Restore\"\ndescription = \"How to\"\nweight = 10\ntags = [\"db\", \"p1\"]\nowner = \"dba\"\nlast_reviewed = 2026-10-01\ndraft = true\ntemplate = \"runbook.html\"\npartners = [\"acme\"]\nexclude_partners = [\"globex\"]\nseverity = \"sev1\"\nratio = 2.5\n[extra]\nlevel = { nested = [1, 2] }\n+++\nBody\n";

    const YAML_PAGE: &str = "---\ntitle: Restore\ndescription: \"How to\"\nweight: 10\ntags: [db, p1]\nowner: dba\nlast_reviewed: 2026-10-01\ndraft: true\ntemplate: 'runbook.html'\npartners: [acme]\nexclude_partners: [globex]\nseverity: sev1\nratio: 2.5\nextra:\n  level: {nested: [1, 2]}\n---\nBody\n";

    #[test]
    fn yaml_front_matter_reads_as_the_same_page_as_toml() {
        let (toml, yaml) = (page(TOML_PAGE), page(YAML_PAGE));
        assert_eq!(yaml.front_matter_format, FrontMatterFormat::Yaml);
        assert_eq!(toml.front_matter_format, FrontMatterFormat::Toml);
        assert_eq!(yaml.title, "Restore");
        assert_eq!((yaml.title_at.as_ref().map(|t| (t.line, t.column))), Some((2, 8)));
        assert_eq!(
            yaml.description.as_ref().map(|d| &d.value),
            toml.description.as_ref().map(|d| &d.value)
        );
        assert_eq!((yaml.weight, &yaml.tags, &yaml.owner), (Some(10), &toml.tags, &toml.owner));
        assert_eq!(yaml.last_reviewed, Some(Date { year: 2026, month: 10, day: 1 }));
        assert!(yaml.draft);
        assert_eq!(
            yaml.template.as_ref().map(|t| (&t.name, t.line, t.column)),
            Some((&"runbook.html".to_owned(), 9, 11))
        );
        assert_eq!(
            yaml.only_partners.as_ref().map(|p| (&p.value, p.line, p.column)),
            Some((&vec!["acme".to_owned()], 10, 11))
        );
        assert_eq!(
            yaml.exclude_partners.as_ref().map(|p| &p.value),
            toml.exclude_partners.as_ref().map(|p| &p.value)
        );
        assert_eq!(yaml.extra, toml.extra);
        let (toml_fields, yaml_fields) = (fields(&toml), fields(&yaml));
        let values = |fields: &[(String, toml::Value, usize, usize, usize)]| {
            fields.iter().map(|f| (f.0.clone(), f.1.clone(), f.2)).collect::<Vec<_>>()
        };
        assert_eq!(values(&yaml_fields), values(&toml_fields), "same keys, values and lines");
        assert_eq!(yaml.front_matter_end, Some(16));
        assert_eq!(yaml.front_matter_end, toml.front_matter_end);
    }

    #[test]
    fn yaml_with_crlf_and_a_dots_closing_line_is_read() {
        let page =
            page("---\r\ntitle: A\r\nweight: 2\r\ntags:\r\n  - a\r\n  - b\r\n...\r\n\r\nBody\r\n");
        assert_eq!(page.tags, ["a", "b"]);
        assert_eq!((page.title.as_str(), page.weight), ("A", Some(2)));
        assert_eq!(page.field("weight").map(|f| (f.value_line, f.value_column)), Some((3, 9)));
        let Body::Converted(content) = &page.body else { panic!("not a template") };
        assert!(content.html.contains("Body"));
    }

    #[test]
    fn json_front_matter_is_read_and_its_date_strings_are_dates() {
        let page = page(
            "{\n  \"title\": \"A\",\n  \"weight\": 3,\n  \"last_reviewed\": \"2026-10-01\",\n  \"tags\": [\"x\"]\n}\nBody\n",
        );
        assert_eq!(page.front_matter_format, FrontMatterFormat::Json);
        assert_eq!(
            (page.title.as_str(), page.weight, page.tags.as_slice()),
            ("A", Some(3), ["x".to_owned()].as_slice())
        );
        assert_eq!(page.last_reviewed, Some(Date { year: 2026, month: 10, day: 1 }));
        assert_eq!(page.front_matter_end, Some(6));
        let error = error("{\n  \"title\": \"A\"\n  \"weight\": 3\n}\n");
        assert_eq!(error.location(), "content/a.md:3:3");
        assert!(
            error.message.starts_with("the JSON front matter cannot be read"),
            "{}",
            error.message
        );
    }

    #[test]
    fn a_wrong_yaml_value_is_reported_at_the_value_in_yaml() {
        let error = error("---\ntitle: A\nweight: ten\n---\nBody\n");
        assert_eq!(error.location(), "content/a.md:3:9");
        assert_eq!(error.message, "`weight` must be an integer, not \"ten\"");
        assert_eq!(error.help.as_deref(), Some("write it like weight: 3"));
        assert_eq!(error.rule, Some(Rule::FrontMatter));
        let error = self::error("---\ntags: db\n---\n");
        assert_eq!(
            (error.location(), error.message.as_str()),
            ("content/a.md:2:7".to_owned(), "`tags` must be a list of strings, not \"db\"")
        );
        let error = self::error("---\nextra: 3\n---\n");
        assert_eq!(error.location(), "content/a.md:2:8");
        assert_eq!(
            error.help.as_deref(),
            Some("write them under `extra:`, indented: `  key: value`")
        );
        let error = self::error("---\ntitle: \"  \"\n---\n");
        assert_eq!(error.message, "the title is empty");
    }

    #[test]
    fn yaml_dates_must_be_bare_dates_as_in_toml() {
        for text in [
            "---\nlast_reviewed: 2026-10-01T10:00:00\n---\n",
            "---\nlast_reviewed: '2026-10-01'\n---\n",
        ] {
            let error = error(text);
            assert_eq!(error.location(), "content/a.md:2:16", "{text:?}");
            assert!(error.message.contains("is not a date"), "{}", error.message);
            assert_eq!(
                error.help.as_deref(),
                Some("write a bare date without quotes or time: last_reviewed: 2026-10-01")
            );
        }
    }

    #[test]
    fn yaml_null_means_the_field_is_not_written() {
        let page = page("---\ntitle: ~\nowner: null\ndraft:\n---\n# From the heading\n");
        assert_eq!(page.title, "From the heading");
        assert!(page.fields.is_empty(), "{:?}", page.fields);
        assert_eq!(self::page("---\n# only a comment\n---\nx").fields, Vec::new());
    }

    #[test]
    fn yaml_keys_must_be_names_and_written_once() {
        let error = error("---\ntitle: A\n10: ten\n---\n");
        assert_eq!(error.location(), "content/a.md:3:1");
        assert_eq!(error.message, "a key must be a name; `10` reads as a number");
        let error = self::error("---\n? [a, b]\n: c\n---\n");
        assert_eq!(error.location(), "content/a.md:2:3");
        let error = self::error("---\ntitle: A\nextra:\n  x: 1\n  x: 2\ntitle: B\n---\n");
        assert_eq!(error.location(), "content/a.md:5:3");
        assert_eq!(error.message, "`x` is written twice (first on line 4)");
    }

    #[test]
    fn malformed_yaml_is_located_in_the_file_with_what_to_do() {
        let error = error("---\ntitle: A\ntags: [a, b\nweight: 1\n---\nBody\n");
        assert_eq!(error.path, Path::new("content/a.md"));
        assert!(error.line.is_some_and(|line| (3..=5).contains(&line)), "{error}");
        assert!(error.message.starts_with("the YAML front matter cannot be read: "), "{error}");
        let error = self::error("---\ntitle: Backup: restore\n---\n");
        assert_eq!(error.location(), "content/a.md:2:14");
        assert_eq!(
            error.help.as_deref(),
            Some("quote a value that contains `: `, e.g. title: \"Backup: restore\"")
        );
        assert_eq!(error.source_line.as_deref(), Some("title: Backup: restore"));
    }

    #[test]
    fn unclosed_yaml_front_matter_says_so() {
        let error = error("---\ntitle: A\n\nBody\n");
        assert_eq!(error.location(), "content/a.md:1:1");
        assert_eq!(error.message, "the front matter opened here is never closed");
        assert_eq!(
            error.help.as_deref(),
            Some("end the front matter with a line containing only `---`")
        );
    }

    #[test]
    fn tabs_in_yaml_indentation_are_named() {
        for text in ["---\nextra:\n\tlevel: 1\n---\n", "---\nextra:\n  - a\n\t- b\n---\n"] {
            let error = error(text);
            assert_eq!(error.message, "YAML does not allow tabs for indentation", "{text:?}");
            assert_eq!(
                error.location(),
                if text.contains("- b") { "content/a.md:4:1" } else { "content/a.md:3:1" }
            );
        }
    }

    #[test]
    fn yaml_aliases_are_refused_so_a_billion_laughs_costs_nothing() {
        let mut bomb = String::from(
            "---\na: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n",
        );
        for (name, previous) in ["b", "c", "d", "e", "f", "g", "h", "i"]
            .iter()
            .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
        {
            bomb.push_str(&format!("{name}: &{name} [*{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}]\n"));
        }
        bomb.push_str("---\n");
        let started = std::time::Instant::now();
        let error = error(&bomb);
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
        assert_eq!(error.location(), "content/a.md:3:8");
        assert_eq!(error.message, "livery does not read YAML aliases (`*name`)");
    }

    #[test]
    fn deeply_nested_yaml_is_refused() {
        let nested =
            |levels| format!("---\nlevels: {}1{}\n---\n", "[".repeat(levels), "]".repeat(levels));
        let error = error(&nested(40));
        assert_eq!(error.location(), format!("content/a.md:2:{}", 9 + front_matter::MAX_DEPTH - 1));
        assert!(error.message.contains("nested more than 32 levels"), "{}", error.message);
        // The parser's own bound on flow nesting comes first here: still a located error.
        let error = self::error(&nested(100_000));
        assert_eq!(error.line, Some(2));
        assert!(error.message.contains("nested more than 32 levels"), "{}", error.message);
        let mut block = String::from("---\n");
        for level in 0..100 {
            block.push_str(&format!("{}k:\n", "  ".repeat(level)));
        }
        block.push_str("---\n");
        assert!(self::error(&block).message.contains("nested more than 32 levels"));
        assert!(page(&nested(front_matter::MAX_DEPTH - 1)).field("levels").is_some());
    }

    #[test]
    fn yaml_front_matter_must_be_a_mapping() {
        let error = error("---\n- title\n- weight\n---\n");
        assert_eq!(error.location(), "content/a.md:2:1");
        assert_eq!(
            error.message,
            "the front matter must be fields (a key and a value each), not a list"
        );
        let error = self::error("---\njust some text\n---\n");
        assert!(error.message.ends_with("not a single value"), "{}", error.message);
    }

    #[test]
    fn yaml_tags_other_than_str_are_refused() {
        let page = page("---\nversion: !!str 12\n---\n");
        assert_eq!(
            page.field("version").map(|f| &f.value),
            Some(&toml::Value::String("12".into()))
        );
        let error = error("---\nversion: !custom 12\n---\n");
        assert_eq!(error.location(), "content/a.md:2:10");
        assert_eq!(error.message, "livery does not read YAML tags such as `!custom`");
    }

    #[test]
    fn yaml_numbers_too_large_are_errors_not_guesses() {
        let error = error("---\nweight: 99999999999999999999\n---\n");
        assert_eq!(error.location(), "content/a.md:2:9");
        assert!(error.message.contains("too large a number"), "{}", error.message);
    }
}
