//! Syntax of other site generators in a page body: Hugo shortcodes, MkDocs macros and
//! admonitions, Docusaurus MDX imports, components and admonitions. livery runs none of
//! them. Left in, a shortcode reaches tera as a syntax error that names neither the
//! generator nor the fix (and only the first of a file), and the rest reach the reader
//! as stray text. So each occurrence outside code is reported where it stands, with
//! what to write instead, before the body is templated.
//!
//! Code spans, code blocks and `{% raw %}` blocks are literal, as they are to the
//! templating: a page may show Hugo syntax in code. The candidates are found by a plain
//! scan first, so a page without any pays nothing for the markdown parse that finds
//! the code.

use std::ops::Range;
use std::path::Path;

use crate::error::{Diagnostic, LineIndex, Rule, floor_char_boundary};
use crate::model::page::SNIPPETS_DIR;
use crate::parse::templating::code_ranges;
use crate::support::template_bounds::end_of_raw;

/// How far past its opening a construct's end is looked for: shortcodes and tags are
/// short, and a bound keeps a page full of unclosed `{{<` linear.
const MAX_CONSTRUCT_BYTES: usize = 4096;

/// One construct of another generator, at `span` of the body.
#[derive(Debug)]
pub struct Foreign {
    pub span: Range<usize>,
    pub message: String,
    pub help: String,
}

impl Foreign {
    fn new(span: Range<usize>, message: String, help: String) -> Self {
        Foreign { span, message, help }
    }
}

/// Every construct of another generator in the body that starts at byte `body_start`
/// of `text` (the whole file), located by line and column of the file.
pub fn diagnostics(path: &Path, text: &str, body_start: usize) -> Vec<Diagnostic> {
    let found = find(&text[body_start..]);
    if found.is_empty() {
        return Vec::new();
    }
    let lines = LineIndex::new(text);
    found
        .into_iter()
        .map(|foreign| {
            let (line, column) = lines.line_col(text, body_start + foreign.span.start);
            let mut diagnostic = Diagnostic::new(path, foreign.message)
                .at_line(line, Some(column))
                .rule(Rule::ForeignSyntax)
                .help(foreign.help);
            diagnostic.source_line = Some(lines.line_text(text, line).to_owned());
            diagnostic
        })
        .collect()
}

/// Every construct of another generator in `body`, outside code, in reading order.
pub fn find(body: &str) -> Vec<Foreign> {
    if !might_hold_foreign(body) {
        return Vec::new();
    }
    let text = Text { body, literal: literal_ranges(body) };
    let mut found = Vec::new();
    template_tags(&text, &mut found);
    line_starts(&text, &mut found);
    components(&text, &mut found);
    found.sort_by_key(|f| f.span.start);
    // A tag inside a shortcode's arguments (`alt="<Dial>"`) is part of the shortcode.
    let mut kept: Vec<Foreign> = Vec::new();
    for foreign in found {
        if kept.last().is_none_or(|k| foreign.span.start >= k.span.end) {
            kept.push(foreign);
        }
    }
    kept
}

/// Whether `body` holds the text some construct starts with. Most pages hold none (not
/// even those with `{{ partner.name }}`), and are not parsed again for their code.
fn might_hold_foreign(body: &str) -> bool {
    let at_line_start = |word: &str| {
        body.starts_with(word) || body.match_indices(word).any(|(at, _)| body[..at].ends_with('\n'))
    };
    ["{{<", "{{%", "{%", "!!!", "???", ":::"].iter().any(|t| body.contains(t))
        || (body.contains("{{") && (body.contains("config.") || body.contains("page.meta.")))
        || at_line_start("import ")
        || at_line_start("export ")
        || body.match_indices('<').any(|(at, _)| {
            let name = body[at + 1..].strip_prefix('/').unwrap_or(&body[at + 1..]);
            name.starts_with(|c: char| c.is_ascii_uppercase())
        })
}

/// A body and the parts of it that are literal: code, and `{% raw %}` blocks.
struct Text<'a> {
    body: &'a str,
    /// Sorted, not overlapping.
    literal: Vec<Range<usize>>,
}

impl Text<'_> {
    /// The end of the literal range `at` is in, if it is in one.
    fn literal_end(&self, at: usize) -> Option<usize> {
        let after = self.literal.partition_point(|r| r.start <= at);
        let range = self.literal[..after].last()?;
        range.contains(&at).then_some(range.end)
    }
}

/// Code (spans and blocks, fences included) and `{% raw %}` blocks outside code, sorted.
fn literal_ranges(body: &str) -> Vec<Range<usize>> {
    let code = code_ranges(body);
    let in_code = |at: usize| code.iter().any(|r| r.contains(&at));
    let mut literal = code.clone();
    let mut cursor = 0;
    while let Some(open) = body[cursor..].find("{%").map(|i| cursor + i) {
        // `{%}` is an opener, not a tag: its `%` may not also close it.
        let Some(close) = body[open + 2..].find("%}").map(|i| open + 2 + i + 2) else { break };
        let words = body[open + 2..close - 2].trim_matches(|c: char| c == '-' || c.is_whitespace());
        cursor = close;
        if words == "raw" && !in_code(open) {
            cursor = end_of_raw(body, close);
            literal.push(open..cursor);
        }
    }
    literal.sort_by_key(|r| r.start);
    literal
}

/// The next occurrence of `needle` at or after positions that only grow: each byte is
/// searched once, however many openers ask, so a page of unclosed `{{<` stays linear.
struct Next<'a> {
    body: &'a str,
    needle: &'static str,
    /// The first occurrence at or after the last position asked, or None past the last.
    found: Option<usize>,
    asked: usize,
}

impl<'a> Next<'a> {
    fn new(body: &'a str, needle: &'static str) -> Self {
        Next { body, needle, found: body.find(needle), asked: 0 }
    }

    fn at_or_after(&mut self, from: usize) -> Option<usize> {
        debug_assert!(from >= self.asked, "positions only grow");
        self.asked = from;
        if self.found.is_some_and(|f| f < from) {
            self.found =
                self.body.get(from..).and_then(|rest| rest.find(self.needle)).map(|i| from + i);
        }
        self.found
    }
}

/// The end of a construct whose opener ends at `from` and which `close` closes: past
/// the close if it comes within `MAX_CONSTRUCT_BYTES`, else the end of the line.
fn construct_end(body: &str, from: usize, close: &mut Next, newline: &mut Next) -> usize {
    let limit = floor_char_boundary(body, (from + MAX_CONSTRUCT_BYTES).min(body.len()));
    match close.at_or_after(from) {
        Some(at) if at < limit => at + close.needle.len(),
        _ => newline.at_or_after(from).unwrap_or(body.len()).min(limit),
    }
}

/// Where the tags that start with `{{` or `{%` end.
struct TagEnds<'a> {
    angle: Next<'a>,
    percent: Next<'a>,
    value: Next<'a>,
    tag: Next<'a>,
    newline: Next<'a>,
}

/// Hugo shortcodes and MkDocs/Jinja tags: everything that starts with `{{` or `{%`.
fn template_tags(text: &Text, found: &mut Vec<Foreign>) {
    let body = text.body;
    let mut ends = TagEnds {
        angle: Next::new(body, ">}}"),
        percent: Next::new(body, "%}}"),
        value: Next::new(body, "}}"),
        tag: Next::new(body, "%}"),
        newline: Next::new(body, "\n"),
    };
    let mut cursor = 0;
    while let Some(open) = body[cursor..].find('{').map(|i| cursor + i) {
        if let Some(end) = text.literal_end(open) {
            cursor = end;
            continue;
        }
        let rest = &body[open..];
        let foreign = if rest.starts_with("{{<") {
            Some(hugo(body, open, "<", &mut ends.angle, &mut ends.newline))
        } else if rest.starts_with("{{%") {
            Some(hugo(body, open, "%", &mut ends.percent, &mut ends.newline))
        } else if rest.starts_with("{{") {
            mkdocs_value(body, open, &mut ends.value, &mut ends.newline)
        } else if rest.starts_with("{%") {
            jinja_tag(body, open, &mut ends.tag, &mut ends.newline)
        } else {
            None
        };
        cursor = foreign.as_ref().map_or(open + 1, |f| f.span.end);
        found.extend(foreign);
    }
}

/// A Hugo shortcode opened at `open` with `{{` + `mark` and closed by `close`.
fn hugo(body: &str, open: usize, mark: &str, ends: &mut Next, newline: &mut Next) -> Foreign {
    let end = construct_end(body, open + 3, ends, newline);
    let close = ends.needle;
    let inside = body[open + 3..end].strip_suffix(close).unwrap_or(&body[open + 3..end]).trim();
    let end_mark = &close[..1];
    let shown = |name: &str| format!("{{{{{mark} {name} {end_mark}}}}}");
    if let Some(escaped) = inside.strip_prefix("/*") {
        let escaped = escaped.strip_suffix("*/").unwrap_or(escaped).trim();
        let name = escaped.split_whitespace().next().unwrap_or_default();
        return Foreign::new(
            open..end,
            format!(
                "`{{{{{mark}/* {name} */{end_mark}}}}}` is an escaped Hugo shortcode; livery does not run shortcodes and does not read the escape"
            ),
            format!(
                "to show the shortcode as text, remove the comment markers and put it in code: `{{{{{mark} {escaped} {end_mark}}}}}`"
            ),
        );
    }
    if let Some(closed) = inside.strip_prefix('/') {
        let name = closed.split_whitespace().next().unwrap_or_default();
        return Foreign::new(
            open..end,
            format!(
                "`{}` closes a Hugo shortcode; livery does not run shortcodes",
                shown(&format!("/{name}"))
            ),
            format!("remove it when you replace the opening `{}`", shown(name)),
        );
    }
    let name = inside.split_whitespace().next().unwrap_or_default();
    let arguments = arguments(&inside[name.len()..]);
    let first = arguments.iter().find(|(key, _)| key.is_none()).map(|(_, value)| *value);
    let named = |wanted: &str| {
        arguments.iter().find(|(key, _)| *key == Some(wanted)).map(|(_, value)| *value)
    };
    let help = match name {
        "ref" | "relref" => {
            let target = first.filter(|t| !t.is_empty()).unwrap_or("page.md");
            format!("write a relative link: [text]({target})")
        }
        "highlight" => {
            let language = first.unwrap_or("lang");
            format!("use a fenced code block: ```{language}, the code, then ```")
        }
        "figure" | "img" | "image" => {
            let source = named("src").or(first).unwrap_or("file.png");
            let alt = named("alt").or(named("caption")).unwrap_or("alt");
            format!("use an image: ![{alt}]({source})")
        }
        "notice" | "hint" | "alert" | "callout" | "admonition" => {
            alert_help(first.unwrap_or("note"))
        }
        "note" | "tip" | "info" | "warning" | "danger" | "caution" | "important" => {
            alert_help(name)
        }
        "include" | "readfile" | "readFile" => snippet_help(first),
        "youtube" | "vimeo" | "tweet" | "x" | "gist" | "instagram" => {
            "link to it: [title](https://…)".to_owned()
        }
        "param" => format!(
            "put the value in each partner's [vars] and write {{{{ vars.{} }}}}",
            first.unwrap_or("name")
        ),
        _ => "write it as markdown or HTML; text that differs per partner can use {{ partner.name }}, {{ vars.name }} or {{ snippet(\"name\") }}".to_owned(),
    };
    Foreign::new(
        open..end,
        format!("`{}` is a Hugo shortcode; livery does not run shortcodes", shown(name)),
        help,
    )
}

/// `{{ config.… }}` and `{{ page.meta.… }}`: values of MkDocs, not of livery.
fn mkdocs_value(body: &str, open: usize, ends: &mut Next, newline: &mut Next) -> Option<Foreign> {
    let end = construct_end(body, open + 2, ends, newline);
    let expression = body[open + 2..end].trim_start_matches(['-', ' ', '\t']);
    let variable: String =
        expression.chars().take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '.')).collect();
    let (message, help) = if variable.starts_with("config.") {
        (
            format!("`{variable}` is an MkDocs setting; livery content does not see it"),
            "use the partner's data: {{ partner.name }}, {{ partner.base_url }}, or a value of its [vars] as {{ vars.name }}",
        )
    } else if variable.starts_with("page.meta.") {
        (
            format!("`{variable}` is MkDocs page metadata; livery content does not see it"),
            "write the value out, or use a value of the partner's [vars]: {{ vars.name }}",
        )
    } else {
        return None;
    };
    Some(Foreign::new(open..end, message, help.to_owned()))
}

/// `{% macro %}`, `{% import %}` and `{% include %}` of a file that is not a snippet.
fn jinja_tag(body: &str, open: usize, ends: &mut Next, newline: &mut Next) -> Option<Foreign> {
    let end = construct_end(body, open + 2, ends, newline);
    let inside = body[open + 2..end].trim_start_matches(['-', ' ', '\t']);
    let keyword = inside.split(|c: char| !c.is_ascii_alphanumeric() && c != '_').next()?;
    let (message, help) = match keyword {
        "macro" => (
            "`{% macro %}` defines a Jinja macro (MkDocs macros); livery content has no macros"
                .to_owned(),
            format!(
                "write the text out, or put it in content/{SNIPPETS_DIR}/name.md and write {{{{ snippet(\"name\") }}}}"
            ),
        ),
        "import" => (
            "`{% import %}` imports Jinja macros (MkDocs macros); livery content has no macros"
                .to_owned(),
            "remove it, and write what the macros produced as text or snippets".to_owned(),
        ),
        "include" => {
            let path = arguments(&inside["include".len()..]).first().map(|(_, value)| *value);
            if path.is_some_and(|p| p.starts_with(&format!("{SNIPPETS_DIR}/"))) {
                // livery's own form, reported by the templating if written by hand.
                return None;
            }
            (
                format!(
                    "`{{% include \"{}\" %}}` includes a file; livery content includes snippets only",
                    path.unwrap_or_default()
                ),
                snippet_help(path),
            )
        }
        _ => return None,
    };
    Some(Foreign::new(open..end, message, help))
}

/// Constructs that only count at the start of a line: MkDocs and Docusaurus admonitions,
/// and MDX `import`/`export` lines (at the top level, so not indented).
fn line_starts(text: &Text, found: &mut Vec<Foreign>) {
    let mut offset = 0;
    for line in text.body.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let trimmed = line.trim_start_matches([' ', '\t']);
        let at = start + (line.len() - trimmed.len());
        if text.literal_end(at).is_some() {
            continue;
        }
        let text = trimmed.trim_end();
        let span = at..at + text.len();
        if let Some((marker, kind)) = mkdocs_admonition(text) {
            let help = if marker.starts_with("???") {
                format!(
                    "use HTML, <details><summary>Title</summary> the text </details>, or {}",
                    alert_help(kind)
                )
            } else {
                alert_help(kind)
            };
            found.push(Foreign::new(
                span,
                format!("`{marker} {kind}` is an MkDocs admonition; livery does not read it"),
                help,
            ));
        } else if let Some(kind) = docusaurus_admonition(text) {
            found.push(Foreign::new(
                span,
                format!("`:::{kind}` is a Docusaurus admonition; livery does not read it"),
                format!("{}, and remove the closing :::", alert_help(kind)),
            ));
        } else if at == start
            && let Some(keyword) = mdx_statement(text)
        {
            found.push(Foreign::new(
                span,
                format!(
                    "`{keyword} …` is an MDX {keyword}; MDX {keyword}s do not apply: livery pages are markdown"
                ),
                "remove the line".to_owned(),
            ));
        }
    }
}

/// Admonition types of MkDocs (Material) and Docusaurus.
const ADMONITIONS: [&str; 28] = [
    "note",
    "abstract",
    "summary",
    "tldr",
    "info",
    "todo",
    "tip",
    "hint",
    "important",
    "success",
    "check",
    "done",
    "question",
    "help",
    "faq",
    "warning",
    "caution",
    "attention",
    "failure",
    "fail",
    "missing",
    "danger",
    "error",
    "bug",
    "example",
    "quote",
    "cite",
    "secondary",
];

/// `!!! note "Title"`, `??? tip`, `???+ warning` → (marker, type).
fn mkdocs_admonition(line: &str) -> Option<(&str, &str)> {
    let marker = ["???+", "???", "!!!"].into_iter().find(|m| line.starts_with(m))?;
    let rest = &line[marker.len()..];
    if !rest.starts_with([' ', '\t']) {
        return None;
    }
    let mut words = rest.split_whitespace();
    let kind = words.next()?;
    let tail = rest.trim_start()[kind.len()..].trim();
    let tail_fits = tail.is_empty()
        || tail.starts_with('"')
        || tail.split_whitespace().all(|w| w.chars().all(|c| c.is_ascii_lowercase() || c == '-'));
    (ADMONITIONS.contains(&kind) && tail_fits).then_some((marker, kind))
}

/// `:::note`, `:::tip[Title]`, `::: warning Title` → the type.
fn docusaurus_admonition(line: &str) -> Option<&str> {
    let rest = line.strip_prefix(":::")?.trim_start();
    let kind_end = rest.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(rest.len());
    let kind = &rest[..kind_end];
    (ADMONITIONS.contains(&kind) && !rest[kind_end..].starts_with(|c: char| c.is_alphanumeric()))
        .then_some(kind)
}

/// `import X from '…'`, `import '…'`, `export const …` → `import` or `export`.
fn mdx_statement(line: &str) -> Option<&'static str> {
    if let Some(rest) = line.strip_prefix("import ") {
        let source = rest.rsplit_once(" from ").map_or(rest, |(_, source)| source).trim();
        let source = source.strip_suffix(';').unwrap_or(source);
        let quoted = ['"', '\'']
            .iter()
            .any(|&q| source.len() >= 2 && source.starts_with(q) && source.ends_with(q));
        let bindings_fit =
            rest.rsplit_once(" from ").is_none_or(|(bindings, _)| !bindings.contains(['"', '\'']));
        return (quoted && bindings_fit).then_some("import");
    }
    let rest = line.strip_prefix("export ")?;
    let word = rest.split(|c: char| !c.is_ascii_alphabetic()).next().unwrap_or_default();
    let declares =
        matches!(word, "const" | "let" | "var" | "function" | "default" | "class" | "async")
            || rest.starts_with('{');
    declares.then_some("export")
}

/// JSX components: tags whose name starts with a capital letter (`<Tabs>`, `</TabItem>`,
/// `<Foo />`). Lowercase tags are HTML, which markdown allows. A `<` right after a word
/// is a generic (`Vec<T>`), not a tag.
fn components(text: &Text, found: &mut Vec<Foreign>) {
    let body = text.body;
    let mut ends = Next::new(body, ">");
    let mut newline = Next::new(body, "\n");
    let mut cursor = 0;
    while let Some(open) = body[cursor..].find('<').map(|i| cursor + i) {
        cursor = open + 1;
        if let Some(end) = text.literal_end(open) {
            cursor = end;
            continue;
        }
        let closing = body[open + 1..].starts_with('/');
        let after_word =
            body[..open].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_');
        if after_word && !closing {
            continue;
        }
        let name_start = open + 1 + usize::from(closing);
        if !body[name_start..].starts_with(|c: char| c.is_ascii_uppercase()) {
            continue;
        }
        let name_len = body[name_start..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
            .unwrap_or(body.len() - name_start);
        let name = &body[name_start..name_start + name_len];
        let after = &body[name_start + name_len..];
        if !(after.is_empty()
            || after.starts_with(|c: char| c.is_whitespace() || c == '>' || c == '/'))
        {
            continue;
        }
        let end = construct_end(body, name_start + name_len, &mut ends, &mut newline);
        cursor = end;
        if closing {
            found.push(Foreign::new(
                open..end,
                format!("`</{name}>` closes a JSX component (Docusaurus MDX); livery does not render components"),
                format!("remove it when you replace the opening `<{name}>`"),
            ));
            continue;
        }
        let attributes_text =
            body[name_start + name_len..end].trim_end_matches('>').trim_end_matches('/');
        let attributes = arguments(attributes_text);
        let attribute = |wanted: &str| {
            attributes.iter().find(|(key, _)| *key == Some(wanted)).map(|(_, value)| *value)
        };
        let help = match name {
            "Tabs" => "livery has no tabs: write each tab as a heading (### Name) with its text below".to_owned(),
            "TabItem" => format!(
                "write the tab as a heading with its text below: ### {}",
                attribute("label").or(attribute("value")).unwrap_or("Name")
            ),
            "Admonition" => alert_help(attribute("type").unwrap_or("note")),
            "Details" => "use HTML: <details><summary>Title</summary> the text </details>".to_owned(),
            "CodeBlock" => "use a fenced code block: ```lang, the code, then ```".to_owned(),
            _ => "write it as markdown or HTML (lowercase HTML tags such as <details> and <kbd> work)".to_owned(),
        };
        found.push(Foreign::new(
            open..end,
            format!(
                "`<{name}>` is a JSX component (Docusaurus MDX); livery does not render components"
            ),
            help,
        ));
    }
}

/// How to write an admonition of `kind` (`info`, `danger` …) as a GitHub alert, one of
/// the five kinds livery renders as a callout.
fn alert_help(kind: &str) -> String {
    let alert = match kind.to_ascii_lowercase().as_str() {
        "tip" | "hint" | "success" | "check" | "done" => "TIP",
        "important" => "IMPORTANT",
        "warning" | "warn" | "attention" => "WARNING",
        "caution" | "danger" | "error" | "failure" | "fail" | "missing" | "bug" => "CAUTION",
        _ => "NOTE",
    };
    format!("use a GitHub alert: a quote whose first line is > [!{alert}]")
}

/// How to include the file at `path` the livery way: as a snippet.
fn snippet_help(path: Option<&str>) -> String {
    let name = path
        .map(|p| Path::new(p).file_stem().map_or(p.into(), |s| s.to_string_lossy()))
        .filter(|name| !name.is_empty())
        .unwrap_or("name".into());
    format!(
        "use a snippet: move the text to content/{SNIPPETS_DIR}/{name}.md and write {{{{ snippet(\"{name}\") }}}}"
    )
}

/// The arguments of a shortcode or the attributes of a tag: `"x.md" go src="a.png"` →
/// `(None, "x.md")`, `(None, "go")`, `(Some("src"), "a.png")`.
fn arguments(text: &str) -> Vec<(Option<&str>, &str)> {
    let mut out = Vec::new();
    let mut rest = text.trim_start();
    while !rest.is_empty() {
        let (word, after) = quoted_or_word(rest);
        match after.strip_prefix('=') {
            Some(value) if !word.is_empty() => {
                let (value, after) = quoted_or_word(value);
                out.push((Some(word), value));
                rest = after.trim_start();
            }
            _ => {
                out.push((None, word));
                let skipped = after.strip_prefix('=').unwrap_or(after);
                if skipped.len() == rest.len() {
                    // Nothing was consumed (a stray quote or bracket): step over one char.
                    let next = rest.chars().next().map_or(0, char::len_utf8);
                    rest = rest[next..].trim_start();
                } else {
                    rest = skipped.trim_start();
                }
            }
        }
    }
    out
}

/// A quoted string (quotes removed) or a bare word, and the text after it.
fn quoted_or_word(text: &str) -> (&str, &str) {
    for quote in ['"', '\'', '`'] {
        if let Some(inner) = text.strip_prefix(quote) {
            return match inner.find(quote) {
                Some(end) => (&inner[..end], &inner[end + 1..]),
                None => (inner, ""),
            };
        }
    }
    let end = text.find(|c: char| c.is_whitespace() || c == '=').unwrap_or(text.len());
    (&text[..end], &text[end..])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (line, column, message) of every construct found in `body`.
    fn found(body: &str) -> Vec<(usize, usize, String)> {
        diagnostics(Path::new("content/a.md"), body, 0)
            .into_iter()
            .map(|d| (d.line.unwrap(), d.column.unwrap(), d.message))
            .collect()
    }

    /// The help of the only construct in `body`.
    fn help(body: &str) -> String {
        let found = find(body);
        assert_eq!(found.len(), 1, "{found:?}");
        found[0].help.clone()
    }

    fn none_in(body: &str) {
        assert!(find(body).is_empty(), "{body:?}: {:?}", find(body));
    }

    #[test]
    fn an_opener_whose_percent_looks_like_a_closer_is_no_tag() {
        // Found by the fuzz test: `{%}` made the tag's inside an inverted slice.
        assert_eq!(literal_ranges("{%}"), Vec::<Range<usize>>::new());
        assert_eq!(literal_ranges("{% raw %}x{% endraw %} {%}").len(), 1);
        let _ = find("{%}𑍇 {%}");
    }

    #[test]
    fn hugo_shortcodes_are_found_with_line_and_column() {
        let body = "See {{< ref \"x.md\" >}}.\n\n{{% notice info %}}\nText\n{{% /notice %}}\n";
        assert_eq!(
            found(body),
            [
                (1, 5, "`{{< ref >}}` is a Hugo shortcode; livery does not run shortcodes".into()),
                (
                    3,
                    1,
                    "`{{% notice %}}` is a Hugo shortcode; livery does not run shortcodes".into()
                ),
                (
                    5,
                    1,
                    "`{{% /notice %}}` closes a Hugo shortcode; livery does not run shortcodes"
                        .into()
                ),
            ]
        );
    }

    #[test]
    fn lines_and_columns_are_of_the_file_not_the_body() {
        let text = "+++\ntitle = \"A\"\n+++\nIntro\n\nä {{< youtube abc >}}\n";
        let body_start = text.find("Intro").unwrap();
        let diagnostics = diagnostics(Path::new("content/a.md"), text, body_start);
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].location(), "content/a.md:6:3");
        assert_eq!(diagnostics[0].source_line.as_deref(), Some("ä {{< youtube abc >}}"));
        assert_eq!(diagnostics[0].rule, Some(Rule::ForeignSyntax));
    }

    #[test]
    fn each_hugo_shortcode_says_what_to_write_instead() {
        assert_eq!(help("{{< ref \"ops/x.md\" >}}"), "write a relative link: [text](ops/x.md)");
        assert_eq!(help("{{< relref x >}}"), "write a relative link: [text](x)");
        assert_eq!(
            help("{{< highlight go >}}"),
            "use a fenced code block: ```go, the code, then ```"
        );
        assert_eq!(
            help("{{< figure src=\"a.png\" alt=\"Dial\" >}}"),
            "use an image: ![Dial](a.png)"
        );
        assert_eq!(
            help("{{% notice warning %}}"),
            "use a GitHub alert: a quote whose first line is > [!WARNING]"
        );
        assert_eq!(
            help("{{< hint >}}"),
            "use a GitHub alert: a quote whose first line is > [!NOTE]"
        );
        assert_eq!(
            help("{{< include \"shared/contacts.md\" >}}"),
            "use a snippet: move the text to content/_snippets/contacts.md and write {{ snippet(\"contacts\") }}"
        );
        assert_eq!(help("{{< youtube w7Ft2ymGmfc >}}"), "link to it: [title](https://…)");
        assert_eq!(
            help("{{< param \"support_phone\" >}}"),
            "put the value in each partner's [vars] and write {{ vars.support_phone }}"
        );
        assert!(help("{{< columns >}}").starts_with("write it as markdown or HTML"));
    }

    #[test]
    fn escaped_shortcodes_are_reported_with_how_to_show_them() {
        let found = find("Write {{</* figure src=\"a.png\" */>}} in Hugo.");
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "`{{</* figure */>}}` is an escaped Hugo shortcode; livery does not run shortcodes and does not read the escape"
        );
        assert_eq!(
            found[0].help,
            "to show the shortcode as text, remove the comment markers and put it in code: `{{< figure src=\"a.png\" >}}`"
        );
        assert_eq!(find("{{%/* notice */%}}").len(), 1);
    }

    #[test]
    fn a_shortcode_spanning_lines_is_one_finding() {
        let found = find("{{< figure\n  src=\"a.png\"\n  alt=\"<Dial>\" >}} and {{< ref b >}}");
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].help, "use an image: ![<Dial>](a.png)");
    }

    #[test]
    fn mkdocs_macros_and_values_are_found() {
        let body = "{% macro box(x) %}{{ x }}{% endmacro %}\n\nOn {{ config.site_name }} and {{ page.meta.owner }}.\n\n{% include \"partials/contacts.md\" %}\n";
        let messages: Vec<String> = find(body).into_iter().map(|f| f.message).collect();
        assert_eq!(
            messages,
            [
                "`{% macro %}` defines a Jinja macro (MkDocs macros); livery content has no macros",
                "`config.site_name` is an MkDocs setting; livery content does not see it",
                "`page.meta.owner` is MkDocs page metadata; livery content does not see it",
                "`{% include \"partials/contacts.md\" %}` includes a file; livery content includes snippets only",
            ]
        );
        assert_eq!(
            help("{% include \"partials/contacts.md\" %}"),
            "use a snippet: move the text to content/_snippets/contacts.md and write {{ snippet(\"contacts\") }}"
        );
    }

    #[test]
    fn mkdocs_admonitions_are_found_at_line_starts() {
        assert_eq!(
            found("Intro\n\n!!! note \"Heads up\"\n    Text\n\n  ??? danger\n"),
            [
                (3, 1, "`!!! note` is an MkDocs admonition; livery does not read it".into()),
                (6, 3, "`??? danger` is an MkDocs admonition; livery does not read it".into()),
            ]
        );
        assert_eq!(help("!!! tip"), "use a GitHub alert: a quote whose first line is > [!TIP]");
        assert!(help("???+ warning").starts_with("use HTML, <details>"));
    }

    #[test]
    fn docusaurus_admonitions_imports_and_exports_are_found() {
        let body = "import Tabs from '@theme/Tabs';\nexport const year = 2024;\n\n:::warning[Careful]\nText\n:::\n";
        assert_eq!(
            found(body),
            [
                (
                    1,
                    1,
                    "`import …` is an MDX import; MDX imports do not apply: livery pages are markdown"
                        .into()
                ),
                (
                    2,
                    1,
                    "`export …` is an MDX export; MDX exports do not apply: livery pages are markdown"
                        .into()
                ),
                (4, 1, "`:::warning` is a Docusaurus admonition; livery does not read it".into()),
            ]
        );
        assert_eq!(
            help(":::danger"),
            "use a GitHub alert: a quote whose first line is > [!CAUTION], and remove the closing :::"
        );
        assert_eq!(help("import '@site/src/css/x.css';"), "remove the line");
    }

    #[test]
    fn jsx_components_are_found_with_markdown_equivalents() {
        let body = "<Tabs>\n  <TabItem value=\"apple\" label=\"Apple\">\n  Apple\n  </TabItem>\n</Tabs>\n\nThen <Admonition type=\"tip\">x</Admonition> and <Chart data={x} />.\n";
        let found = find(body);
        let helps: Vec<&str> = found.iter().map(|f| f.help.as_str()).collect();
        assert_eq!(
            helps,
            [
                "livery has no tabs: write each tab as a heading (### Name) with its text below",
                "write the tab as a heading with its text below: ### Apple",
                "remove it when you replace the opening `<TabItem>`",
                "remove it when you replace the opening `<Tabs>`",
                "use a GitHub alert: a quote whose first line is > [!TIP]",
                "remove it when you replace the opening `<Admonition>`",
                "write it as markdown or HTML (lowercase HTML tags such as <details> and <kbd> work)",
            ]
        );
        assert_eq!(
            found[6].message,
            "`<Chart>` is a JSX component (Docusaurus MDX); livery does not render components"
        );
    }

    #[test]
    fn livery_templating_is_not_foreign() {
        none_in("Hi {{ partner.name }}, {{ vars.sla_hours }} hours.\n");
        none_in(
            "{% if partner.id == \"acme\" %}Acme{% endif %}\n{%- for x in range(end=2) -%}{{ x }}{% endfor %}\n",
        );
        none_in("{{ snippet(\"escalation\") }} {{ snippet(name=\"other\") }}\n");
        none_in("{% include \"_snippets/contacts.md\" %}\n");
        none_in("{{ page_count }} {{ configuration }} {{ vars.config.x }}\n");
    }

    #[test]
    fn html_autolinks_and_comparisons_are_not_foreign() {
        none_in(
            "Press <kbd>Ctrl</kbd>.\n\n<details><summary>More</summary>\n\nText\n\n</details>\n",
        );
        none_in("See <https://example.com> or <Admin@example.com>; if a < b and b > c.\n");
        none_in("A Vec<T> or Option<String> in prose, and <Ctrl+C>.\n");
        none_in("<div class=\"note\"><img src=\"a.png\" alt=\"x\"></div>\n");
    }

    #[test]
    fn lookalikes_in_prose_are_not_foreign() {
        none_in("It worked!!! Really??? Yes.\n\n!!! This is not an admonition !!!\n");
        none_in("Ratio 1:::2 and a line\n::: not a kind\n");
        none_in("You can import data from the portal.\nexport the report as CSV.\n");
        none_in("  import X from 'y'\n");
        none_in("Braces {like this} and {% raw %}{{< ref x >}}{% endraw %} stay.\n");
    }

    #[test]
    fn code_is_never_foreign() {
        none_in("Use `{{< ref \"x.md\" >}}` or `Vec<T>` or `<Tabs>`.\n");
        none_in("```go-html-template\n{{< figure src=\"a.png\" >}}\n{{ config.x }}\n```\n");
        none_in("~~~~\n:::note\n!!! note\nimport X from 'y'\n<Tabs>\n~~~~\n");
        none_in("Intro\n\n    {{% notice info %}}\n    <Tabs>\n");
        none_in(
            "- item\n\n  ```\n  {{< ref x >}}\n  ```\n\n> ```\n> <TabItem value=\"a\">\n> ```\n",
        );
        none_in("``{{< ref `x` >}}``\n");
    }

    #[test]
    fn code_hides_only_what_is_inside_it() {
        let body = "`{{<` then {{< ref x >}}\n\n```\n:::note\n```\n:::note\n";
        assert_eq!(found(body).iter().map(|f| (f.0, f.1)).collect::<Vec<_>>(), [(1, 12), (6, 1)]);
    }

    #[test]
    fn unclosed_openers_are_each_found_and_bounded() {
        assert_eq!(find("{{< ref x").len(), 1);
        assert_eq!(find(&"{{< ref x\n".repeat(20_000)).len(), 20_000);
        let one_line = find(&"{{< ".repeat(50_000));
        assert!(one_line.iter().all(|f| f.span.len() <= MAX_CONSTRUCT_BYTES + 3));
        let long_name = format!("<{} x=\"y\">", "A".repeat(MAX_CONSTRUCT_BYTES + 10));
        assert_eq!(find(&long_name).len(), 1);
    }
}
