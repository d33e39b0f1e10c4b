//! Markdown to HTML, once per page for every partner: heading ids and the table of
//! contents, GFM alerts as callouts, highlighted code, and relative links rewritten
//! to pretty URLs (each recorded with its line so a broken one can be reported).

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Component, Path, PathBuf};

use pulldown_cmark::{
    BlockQuoteKind, CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag,
    TagEnd,
};

use crate::error::LineIndex;
use crate::load::i18n;
use crate::model::content::Converted;
use crate::model::content::Link;
use crate::model::content::LinkTarget;
use crate::model::content::TextSection;
use crate::model::content::TocEntry;
use crate::model::url_map::UrlMap;
use crate::parse::highlight::Highlighter;
use crate::support::html::escape;
use crate::support::urls;

/// All pulldown-cmark options livery uses, in one place.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// Where the markdown sits and where its page will be published.
pub struct Input<'a> {
    /// The markdown body.
    pub body: &'a str,
    /// Lines of the file above the body (the front matter), so lines are file-relative.
    pub line_offset: usize,
    /// Content-relative path of the source file, e.g. `security/access-review.md`.
    pub source: &'a Path,
    /// URL of the page relative to the site root, e.g. `security/access-review/`.
    pub url: &'a str,
    /// Every page's URL, for the hrefs of links to pages.
    pub urls: &'a UrlMap,
    /// Lift a leading `# heading` out of the body: it is the page's heading, and its
    /// title when front matter names none.
    pub lift_title: bool,
}

/// Lists and quotes nested deeper than this are an error: browsers flatten the DOM
/// past a few hundred levels, and no reader can follow a tenth of that.
pub const MAX_NESTING: usize = 100;

pub fn convert(input: &Input, highlighter: &Highlighter) -> Converted {
    let body = input.body;
    let lines = LineIndex::new(body);
    let mut converter = Converter {
        input,
        lines: &lines,
        highlighter,
        out: Converted::default(),
        ids: TakenIds::default(),
        events: Vec::new(),
    };
    let mut parser = Parser::new_ext(body, options()).into_offset_iter().peekable();
    let mut is_first_event = true;

    let mut depth = 0usize;
    // A task item's checkbox and the text after it sit in one <label>, so the box is
    // named by its item and a tap on the text ticks it; the label ends with the inline run.
    let mut task_label_open = false;
    while let Some((event, range)) = parser.next() {
        let first_block = std::mem::take(&mut is_first_event);
        if task_label_open && ends_inline_run(&event) {
            converter.events.push(Event::Html("</label>".into()));
            task_label_open = false;
        }
        match &event {
            Event::Start(Tag::List(_) | Tag::BlockQuote(_)) => {
                depth += 1;
                if depth > MAX_NESTING && converter.out.too_deep.is_none() {
                    let (line, column) = lines.line_col(body, range.start);
                    converter.out.too_deep = Some((line + input.line_offset, column));
                }
            }
            Event::End(TagEnd::List(_) | TagEnd::BlockQuote(_)) => depth = depth.saturating_sub(1),
            _ => {}
        }
        match event {
            Event::Start(Tag::Heading { level, id, classes, attrs }) => {
                let inner: Vec<Event> =
                    take_until(&mut parser, |e| matches!(e, Event::End(TagEnd::Heading(_))));
                let text = plain_text(&inner);
                // An empty `#` is no title: the page falls back to its file name.
                if first_block
                    && input.lift_title
                    && level == HeadingLevel::H1
                    && !text.trim().is_empty()
                {
                    converter.out.lifted_title = Some(text);
                } else {
                    converter.heading(level, id, classes, attrs, inner, text);
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let inner = take_until(&mut parser, |e| matches!(e, Event::End(TagEnd::CodeBlock)));
                converter.code_block(kind, &inner);
            }
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                // `<name@host>` arrives without its `mailto:`: not a file to check.
                let dest_url = if link_type == LinkType::Email {
                    dest_url
                } else {
                    converter.link(dest_url, range.start)
                };
                converter.events.push(Event::Start(Tag::Link { link_type, dest_url, title, id }));
            }
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                let dest_url = converter.link(dest_url, range.start);
                converter.events.push(Event::Start(Tag::Image { link_type, dest_url, title, id }));
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let class = alert_class(kind);
                let label = i18n::placeholder(class);
                converter.events.push(Event::Html(
                    format!("<div class=\"callout callout-{class}\" role=\"note\"><p class=\"callout-title\">{label}</p>\n")
                        .into(),
                ));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => {
                converter.events.push(Event::Html("</div>\n".into()))
            }
            // Wide tables scroll inside a focusable wrapper, so keyboard users can scroll them too.
            Event::Start(Tag::Table(_)) => {
                converter
                    .events
                    .push(Event::Html("<div class=\"table-scroll\" tabindex=\"0\">".into()));
                converter.events.push(event);
            }
            Event::End(TagEnd::Table) => {
                converter.events.push(event);
                converter.events.push(Event::Html("</div>\n".into()));
            }
            Event::Start(Tag::FootnoteDefinition(ref label)) => {
                converter.anchor(label.to_string());
                converter.events.push(event);
            }
            Event::TaskListMarker(done) => {
                let checked = if done { " checked" } else { "" };
                converter.events.push(Event::Html(
                    format!("<label class=\"task-label\"><input type=\"checkbox\" class=\"task\" disabled{checked}> ").into(),
                ));
                task_label_open = true;
            }
            Event::Html(ref html) | Event::InlineHtml(ref html) => {
                for id in html_ids(html) {
                    converter.anchor(id);
                }
                converter.events.push(event);
            }
            Event::Text(ref text) | Event::Code(ref text) => {
                push_text(&mut converter.out.current_section().text, text);
                converter.events.push(event);
            }
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::TableCell) => {
                // Line breaks and table cells separate words in the plain text.
                converter.out.current_section().text.push(' ');
                converter.events.push(event);
            }
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::TableHead
                | TagEnd::TableRow
                | TagEnd::List(_)
                | TagEnd::FootnoteDefinition,
            ) => {
                // A block ends a line of the plain text: search snippets stay inside one.
                converter.out.current_section().text.push('\n');
                converter.events.push(event);
            }
            other => converter.events.push(other),
        }
    }
    for section in &mut converter.out.sections {
        section.text = blocks_of(&section.text);
    }

    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, converter.events.into_iter());
    converter.out.html = picture_control_characters(html);
    converter.out
}

struct Converter<'i, 'a> {
    input: &'i Input<'i>,
    lines: &'i LineIndex,
    highlighter: &'i Highlighter,
    out: Converted,
    ids: TakenIds,
    events: Vec<Event<'a>>,
}

impl<'a> Converter<'_, 'a> {
    /// Records a link target of the page.
    fn anchor(&mut self, id: String) {
        self.ids.taken.insert(id.clone());
        self.out.anchors.push(id);
    }

    fn heading(
        &mut self,
        level: HeadingLevel,
        id: Option<CowStr<'a>>,
        classes: Vec<CowStr<'a>>,
        attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
        inner: Vec<Event<'a>>,
        text: String,
    ) {
        let base = id.map(|id| id.to_string()).unwrap_or_else(|| {
            let slug = heading_slug(&text);
            if slug.is_empty() { "section".to_owned() } else { slug }
        });
        let id = self.ids.unique(base);
        self.anchor(id.clone());
        let level_number = level as u8;
        if (2..=3).contains(&level_number) {
            self.out.toc.push(TocEntry {
                level: level_number,
                id: id.clone(),
                title: text.clone(),
            });
        }
        self.out.sections.push(TextSection {
            anchor: Some(id.clone()),
            heading: text.clone(),
            text: String::new(),
            code: String::new(),
        });

        let mut inner_html = String::new();
        pulldown_cmark::html::push_html(&mut inner_html, inner.into_iter());
        let mut open = format!("<h{level_number} id=\"{}\"", escape(&id));
        if !classes.is_empty() {
            let classes: Vec<&str> = classes.iter().map(|c| c.as_ref()).collect();
            open.push_str(&format!(" class=\"{}\"", escape(&classes.join(" "))));
        }
        for (name, value) in attrs {
            open.push_str(&format!(
                " {}=\"{}\"",
                escape(&name),
                escape(value.as_deref().unwrap_or(""))
            ));
        }
        self.events.push(Event::Html(
            format!(
                "{open}>{inner_html}<a class=\"anchor\" href=\"#{id}\" aria-label=\"{link}: {label}\">#</a></h{level_number}>\n",
                id = escape(&id),
                link = i18n::placeholder("link_to_section"),
                label = escape(&text)
            )
            .into(),
        ));
    }

    fn code_block(&mut self, kind: CodeBlockKind, inner: &[Event]) {
        let code: String = inner
            .iter()
            .filter_map(|e| match e {
                Event::Text(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        add_code_words(&mut self.out.current_section().code, &code);
        let language = match &kind {
            CodeBlockKind::Fenced(info) => {
                info.split([' ', ',', '{']).next().unwrap_or("").to_owned()
            }
            CodeBlockKind::Indented => String::new(),
        };
        let highlighted =
            (!language.is_empty()).then(|| self.highlighter.highlight(&code, &language)).flatten();
        let body = highlighted.unwrap_or_else(|| escape(&code));
        let data_lang = if language.is_empty() {
            String::new()
        } else {
            format!(" data-lang=\"{}\"", escape(&language))
        };
        self.events.push(Event::Html(
            // tabindex: a wide block scrolls sideways, and keyboard users must be able to scroll it.
            format!("<pre class=\"hl-code\"{data_lang} tabindex=\"0\"><code>{body}</code></pre>\n")
                .into(),
        ));
    }

    /// Records a link and returns the URL to publish in its place.
    fn link(&mut self, dest: CowStr<'a>, offset: usize) -> CowStr<'a> {
        let (line, column) = self.lines.line_col(self.input.body, offset);
        let line = line + self.input.line_offset;
        let Some(target) = resolve_link(self.input.source, &dest) else {
            if is_external(&dest) {
                let link =
                    Link { target: LinkTarget::External, written: dest.to_string(), line, column };
                self.out.links.push(link);
            }
            return dest;
        };
        let from = self.input.url;
        let href = match &target {
            LinkTarget::Page { path, anchor } => {
                Some(with_anchor(urls::relative(from, &self.input.urls.page(path)), anchor))
            }
            LinkTarget::Root { path, anchor } => {
                Some(with_anchor(urls::relative(from, &self.input.urls.root(path)), anchor))
            }
            LinkTarget::File(path) => Some(urls::relative(from, &urls::path_to_url(path))),
            LinkTarget::Anchor(_) | LinkTarget::OutsideContent | LinkTarget::External => None,
        };
        self.out.links.push(Link { target, written: dest.to_string(), line, column });
        href.map_or(dest, CowStr::from)
    }
}

/// Resolves a link as written in `source`; None for links livery leaves alone
/// (external URLs, `mailto:`, folder links such as `../runbooks/`).
pub fn resolve_link(source: &Path, dest: &str) -> Option<LinkTarget> {
    if dest.is_empty() || dest.starts_with("//") || has_scheme(dest) {
        return None;
    }
    if let Some(anchor) = dest.strip_prefix('#') {
        return Some(LinkTarget::Anchor(anchor.to_owned()));
    }
    let (path_part, anchor) = match dest.split_once('#') {
        Some((path, anchor)) => (path, Some(anchor.to_owned())),
        None => (dest, None),
    };
    let path_part = path_part.split('?').next().unwrap_or_default();
    if let Some(rooted) = path_part.strip_prefix('/') {
        let Some(path) = normalize(Path::new(rooted)) else {
            return Some(LinkTarget::OutsideContent);
        };
        let mut path = urls::path_to_file(&path);
        // `/docs/v1.2/` is a page; `/docs/v1.2` a file.
        if rooted.ends_with('/') && !path.is_empty() {
            path.push('/');
        }
        return Some(LinkTarget::Root { path, anchor });
    }
    let base = source.parent().map(Path::to_owned).unwrap_or_default();
    if path_part.ends_with('/') || Path::new(path_part).extension().is_none() {
        return None;
    }
    let Some(path) = normalize(&base.join(path_part)) else {
        return Some(LinkTarget::OutsideContent);
    };
    Some(if path_part.ends_with(".md") {
        LinkTarget::Page { path, anchor }
    } else {
        LinkTarget::File(path)
    })
}

fn with_anchor(mut href: String, anchor: &Option<String>) -> String {
    if let Some(anchor) = anchor {
        href.push('#');
        href.push_str(anchor);
    }
    href
}

/// A link to another site, as opposed to `mailto:`, `tel:` or a root-relative path.
fn is_external(dest: &str) -> bool {
    let lower = dest.get(..8).unwrap_or(dest).to_ascii_lowercase();
    dest.starts_with("//") || lower.starts_with("http://") || lower.starts_with("https://")
}

fn has_scheme(dest: &str) -> bool {
    match dest.find(':') {
        Some(colon) => {
            dest[..colon].chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }
        None => false,
    }
}

/// Folds `.` and `..`; None if the path climbs above its root.
fn normalize(path: &Path) -> Option<PathBuf> {
    let mut parts: Vec<&std::ffi::OsStr> = Vec::new();
    for component in path.components() {
        match component {
            Component::Normal(part) => parts.push(part),
            Component::CurDir => {}
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(parts.iter().collect())
}

/// Whether an event ends a run of inline content (a block starts or ends), which
/// closes an open task label: a <label> may hold phrasing content only.
fn ends_inline_run(event: &Event) -> bool {
    match event {
        Event::Start(tag) => !matches!(
            tag,
            Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Link { .. }
                | Tag::Image { .. }
                | Tag::Superscript
                | Tag::Subscript
        ),
        Event::End(tag) => !matches!(
            tag,
            TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link
                | TagEnd::Image
                | TagEnd::Superscript
                | TagEnd::Subscript
        ),
        Event::Html(_) | Event::Rule => true,
        _ => false,
    }
}

/// The CSS class of a GFM alert, also the key of its title among the UI strings.
fn alert_class(kind: BlockQuoteKind) -> &'static str {
    match kind {
        BlockQuoteKind::Note => "note",
        BlockQuoteKind::Tip => "tip",
        BlockQuoteKind::Important => "important",
        BlockQuoteKind::Warning => "warning",
        BlockQuoteKind::Caution => "caution",
    }
}

fn take_until<'a>(
    parser: &mut impl Iterator<Item = (Event<'a>, Range<usize>)>,
    is_end: impl Fn(&Event) -> bool,
) -> Vec<Event<'a>> {
    let mut inner = Vec::new();
    for (event, _) in parser.by_ref() {
        if is_end(&event) {
            break;
        }
        inner.push(event);
    }
    inner
}

fn plain_text(events: &[Event]) -> String {
    let mut text = String::new();
    for event in events {
        if let Event::Text(t) | Event::Code(t) = event {
            text.push_str(t);
        }
    }
    text.trim().to_owned()
}

/// The words of a code block that a reader may search for, added once each to a
/// section's `code`: identifiers, commands and names (`pg_wal_replay_resume`,
/// `rollout`, `deploy/api`), not single characters or numbers alone.
fn add_code_words(code: &mut String, block: &str) {
    let is_part = |c: char| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '/' | ':');
    // The search index keeps about 500 characters of it (`emit::search`).
    const ENOUGH: usize = 600;
    for word in block.split(|c: char| !is_part(c)) {
        if code.len() > ENOUGH {
            return;
        }
        let word = word.trim_matches(|c: char| !c.is_alphanumeric() && c != '_');
        let useful = word.chars().count() > 1 && word.chars().any(char::is_alphabetic);
        if useful && !code.split(' ').any(|known| known == word) {
            if !code.is_empty() {
                code.push(' ');
            }
            code.push_str(word);
        }
    }
}

/// The plain text with its whitespace normalised: one line per block (paragraph, list
/// item, table row), words separated by single spaces, no empty lines.
fn blocks_of(text: &str) -> String {
    let mut blocks = String::with_capacity(text.len());
    for line in text.lines() {
        let mut words = line.split_whitespace().peekable();
        if words.peek().is_none() {
            continue;
        }
        if !blocks.is_empty() {
            blocks.push('\n');
        }
        for (i, word) in words.enumerate() {
            if i > 0 {
                blocks.push(' ');
            }
            blocks.push_str(word);
        }
    }
    blocks
}

/// Appends a run of text as written; whitespace is normalised once the page is done.
fn push_text(buffer: &mut String, text: &str) {
    buffer.push_str(text);
}

/// GitHub's heading ids, which authors preview against and link to: lowercase,
/// punctuation dropped, each space a `-` (`RULE #2 - Set a user` → `rule-2---set-a-user`).
pub fn heading_slug(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// `id` and `name` attributes in raw HTML (`<a id="legacy"></a>`) are link targets too.
fn html_ids(html: &str) -> Vec<String> {
    let mut ids = Vec::new();
    for attribute in [" id=\"", " name=\"", " id='", " name='"] {
        let quote = attribute.chars().last().unwrap_or('"');
        let mut rest = html;
        while let Some(start) = rest.find(attribute) {
            rest = &rest[start + attribute.len()..];
            if let Some(end) = rest.find(quote) {
                ids.push(rest[..end].to_owned());
                rest = &rest[end..];
            }
        }
    }
    ids
}

/// HTML forbids C0 control characters, yet they turn up in pasted code; show
/// each as its Unicode control picture (U+0001 → ␁) instead.
fn picture_control_characters(html: String) -> String {
    let is_forbidden =
        |c: char| c.is_control() && !matches!(c, '\t' | '\n' | '\r') && (c as u32) < 0x80;
    if !html.contains(is_forbidden) {
        return html;
    }
    html.chars()
        .map(|c| match c {
            '\u{7f}' => '\u{2421}',
            c if is_forbidden(c) => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
            c => c,
        })
        .collect()
}

/// Ids the theme uses for its own elements; a heading never takes them.
const RESERVED_IDS: [&str; 5] = ["content", "top", "toc", "search-input", "search-results"];

/// The ids a page has given out so far. Looking each candidate up in a list made
/// 8,000 repeated headings take minutes (a scan per candidate, a candidate per earlier
/// twin); with a set, and the next suffix remembered per base, the work is linear.
#[derive(Default)]
struct TakenIds {
    taken: HashSet<String>,
    /// Base id → the first suffix not yet tried (ids are never given back, so every
    /// suffix below it is taken).
    next_suffix: HashMap<String, usize>,
}

impl TakenIds {
    /// `base`, or else `base-1`, `base-2`, … whichever is free first.
    fn unique(&mut self, base: String) -> String {
        if !self.taken.contains(&base) && !RESERVED_IDS.contains(&base.as_str()) {
            return base;
        }
        let next = self.next_suffix.entry(base.clone()).or_insert(1);
        loop {
            let candidate = format!("{base}-{next}");
            *next += 1;
            if !self.taken.contains(&candidate) {
                return candidate;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn convert_body(source: &str, body: &str) -> Converted {
        let input = Input {
            body,
            line_offset: 0,
            source: Path::new(source),
            url: &urls::page_url(Path::new(source)),
            urls: &UrlMap::default(),
            lift_title: true,
        };
        convert(&input, &Highlighter::new())
    }

    #[test]
    fn headings_get_unique_ids_and_h2_h3_enter_the_toc() {
        let out =
            convert_body("a.md", "## Check it\n\n### Check it\n\n#### Deep\n\n## Custom {#mine}\n");
        assert_eq!(out.anchors, ["check-it", "check-it-1", "deep", "mine"]);
        assert_eq!(
            out.toc.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(),
            ["check-it", "check-it-1", "mine"]
        );
        assert!(
            out.html.contains("<h2 id=\"check-it\">Check it<a class=\"anchor\" href=\"#check-it\"")
        );
    }

    #[test]
    fn plain_text_keeps_words_apart_punctuation_attached_and_blocks_on_lines_of_their_own() {
        let out = convert_body(
            "a.md",
            "See [slow queries](b.md).\nNext *line*.\n\n- one\n- two\n\n| a | b |\n|---|---|\n| c | d |\n",
        );
        // Search snippets are cut from one block: they never run two together.
        assert_eq!(out.opening_text(), "See slow queries. Next line.\none\ntwo\na b\nc d");
    }

    #[test]
    fn heading_ids_follow_github() {
        assert_eq!(
            heading_slug("RULE #11 - Run Docker in rootless mode"),
            "rule-11---run-docker-in-rootless-mode"
        );
        assert_eq!(
            heading_slug("Employing Custom Request Headers for AJAX/API"),
            "employing-custom-request-headers-for-ajaxapi"
        );
        assert_eq!(heading_slug("Who's on call?"), "whos-on-call");
        assert_eq!(heading_slug("Übersicht & Ablauf"), "übersicht--ablauf");
    }

    #[test]
    fn control_characters_become_visible_pictures() {
        let out = convert_body("a.md", "```\nx\u{1}y\n```\n");
        assert!(out.html.contains("x\u{2401}y"), "{}", out.html);
    }

    #[test]
    fn headings_never_take_the_theme_ids() {
        let out = convert_body("a.md", "## Content\n\n## Top\n");
        assert_eq!(out.anchors, ["content-1", "top-1"]);
    }

    #[test]
    fn raw_html_ids_are_anchors() {
        let out = convert_body("a.md", "<a id=\"legacy\"></a>\n\nText <span name='x'>y</span>\n");
        assert_eq!(out.anchors, ["legacy", "x"]);
    }

    #[test]
    fn leading_h1_becomes_the_title_and_leaves_the_body() {
        let out = convert_body("a.md", "# Backup restore\n\nText.\n\n# Second\n");
        assert_eq!(out.lifted_title.as_deref(), Some("Backup restore"));
        assert!(!out.html.contains("Backup restore"));
        assert!(out.html.contains("<h1 id=\"second\">"));
    }

    #[test]
    fn code_block_words_are_kept_apart_from_the_prose_for_search() {
        let out = convert_body(
            "a.md",
            "## Resume\n\nEnd recovery:\n\n```sql\nSELECT pg_wal_replay_resume();\nSELECT 1;\n```\n\n```sh\nkubectl -n prod rollout restart deploy/api\nkubectl get pods\n```\n",
        );
        let section = &out.sections[0];
        assert_eq!(section.text, "End recovery:");
        assert_eq!(
            section.code,
            "SELECT pg_wal_replay_resume kubectl prod rollout restart deploy/api get pods"
        );
    }

    #[test]
    fn relative_md_links_become_pretty_urls_with_line_numbers() {
        let out = convert_body(
            "runbooks/restore.md",
            "Intro\n\nSee [the review](../security/access-review.md#steps).\n",
        );
        assert!(out.html.contains("href=\"../../security/access-review/#steps\""), "{}", out.html);
        assert_eq!(
            out.links,
            vec![Link {
                target: LinkTarget::Page {
                    path: "security/access-review.md".into(),
                    anchor: Some("steps".into())
                },
                written: "../security/access-review.md#steps".into(),
                line: 3,
                column: 5,
            }]
        );
    }

    #[test]
    fn links_to_sections_and_files_resolve_to_their_outputs() {
        let out = convert_body(
            "playbooks/a.md",
            "[s](_index.md) [r](/runbooks/_index.md) ![d](img/d.png)",
        );
        assert!(out.html.contains("href=\"../../playbooks/\""), "{}", out.html);
        assert!(out.html.contains("href=\"../../runbooks/\""), "{}", out.html);
        assert!(out.html.contains("src=\"../../playbooks/img/d.png\""), "{}", out.html);
    }

    #[test]
    fn email_autolinks_are_not_files() {
        let out = convert_body("a.md", "Write to <help@acme.test>.\n");
        assert!(out.links.is_empty(), "{:?}", out.links);
        assert!(out.html.contains("href=\"mailto:help@acme.test\""), "{}", out.html);
    }

    #[test]
    fn external_links_are_left_alone() {
        for dest in ["https://example.com/a.md", "mailto:x@example.com", "../runbooks/"] {
            assert_eq!(resolve_link(Path::new("a/b.md"), dest), None, "{dest}");
        }
        assert_eq!(resolve_link(Path::new("a.md"), "../../x.md"), Some(LinkTarget::OutsideContent));
    }

    #[test]
    fn links_from_the_site_root_are_made_relative_and_left_to_the_checker() {
        let out = convert_body(
            "docs/a.md",
            "[p](/docs/add-runbook) [s](/docs/) [m](/docs/add-runbook.md#x) [i](/img/x.png)\n\
             [h](/) [u](/runbooks/x/#fire) [v](/docs/v1.2/)\n",
        );
        for href in [
            "../../docs/add-runbook/",
            "../../docs/",
            "../../docs/add-runbook/#x",
            "../../img/x.png",
            "\"../../\"",
            "../../runbooks/x/#fire",
            "../../docs/v1.2/",
        ] {
            assert!(out.html.contains(href), "{href} in {}", out.html);
        }
        let root = |path: &str, anchor: Option<&str>| LinkTarget::Root {
            path: path.into(),
            anchor: anchor.map(str::to_owned),
        };
        let targets: Vec<_> = out.links.iter().map(|l| l.target.clone()).collect();
        assert_eq!(
            targets,
            [
                root("docs/add-runbook", None),
                root("docs/", None),
                root("docs/add-runbook.md", Some("x")),
                root("img/x.png", None),
                root("", None),
                root("runbooks/x/", Some("fire")),
                root("docs/v1.2/", None),
            ]
        );
        assert_eq!((out.links[4].line, out.links[4].column), (2, 1));
    }

    #[test]
    fn root_links_fold_dots_and_may_not_climb_out() {
        let resolve = |dest| resolve_link(Path::new("a.md"), dest);
        assert_eq!(
            resolve("/docs/../x/?q=1"),
            Some(LinkTarget::Root { path: "x/".into(), anchor: None })
        );
        assert_eq!(resolve("/../x"), Some(LinkTarget::OutsideContent));
    }

    #[test]
    fn code_is_highlighted_with_classes_and_unknown_languages_are_escaped() {
        let out = convert_body("a.md", "```toml\nname = \"x\"\n```\n\n```nope\n<b>\n```\n");
        assert!(out.html.contains(
            "<pre class=\"hl-code\" data-lang=\"toml\" tabindex=\"0\"><code><span class=\"hl-"
        ));
        assert!(out.html.contains("<code>&lt;b&gt;\n</code>"));
    }

    #[test]
    fn gfm_alerts_tables_and_task_lists() {
        let out = convert_body(
            "a.md",
            "> [!WARNING]\n> Careful.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n- [ ] open\n",
        );
        assert!(out.html.contains("<div class=\"callout callout-warning\" role=\"note\"><p class=\"callout-title\">\u{E000}warning\u{E001}</p>"));
        assert!(out.html.contains("<table>"));
        assert!(out.html.contains("type=\"checkbox\" class=\"task\" disabled checked"));
    }

    #[test]
    fn a_task_box_and_its_text_share_a_label_that_ends_with_the_inline_run() {
        let tight = convert_body(
            "a.md",
            "- [ ] Check **the** [dashboard](https://x.test)\n  ```\n  kubectl get pods\n  ```\n- [x] Done\n",
        );
        assert!(
            tight.html.contains("<li><label class=\"task-label\"><input type=\"checkbox\" class=\"task\" disabled> Check <strong>the</strong> <a href=\"https://x.test\">dashboard</a></label>"),
            "{}",
            tight.html
        );
        assert!(tight.html.contains("<label class=\"task-label\"><input type=\"checkbox\" class=\"task\" disabled checked> Done</label></li>"), "{}", tight.html);
        // In a loose list the label closes with the paragraph, never around a block.
        let loose = convert_body("a.md", "- [ ] First\n\n  More text.\n\n- [ ] Second\n");
        assert!(loose.html.contains("<p><label class=\"task-label\"><input type=\"checkbox\" class=\"task\" disabled> First</label></p>"), "{}", loose.html);
        assert_eq!(loose.html.matches("<label").count(), loose.html.matches("</label>").count());
    }
}
