//! Partner data in content: `{{ partner.name }}`, `{{ vars.sla_hours }}`,
//! `{% if partner.id == "acme" %}…{% endif %}` and `{{ snippet("name") }}`.
//!
//! Content is markdown first: code spans and fenced code are never interpreted (they
//! are wrapped in `{% raw %}` before tera sees them), `{#` stays literal (it starts
//! heading ids like `{#verify}`), and a page without template syntax outside code is
//! not a template at all, so it is converted to HTML once for every partner.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::error::{Diagnostic, line_col};
use crate::model::partner::Partner;
use crate::parse::markdown;

use crate::model::content::Templated;
use meter::Rendered;

mod escape;
mod includes;
mod instrument;
mod meter;
mod sandbox;

use crate::model::page::SNIPPETS_DIR;

/// Returns the template for `body` if it uses template syntax outside code, else None.
pub fn prepare(name: &str, body: &str, line_offset: usize) -> Option<Templated> {
    let code = code_ranges(body);
    let outside_code = |index: usize| !code.iter().any(|r| r.contains(&index));
    let uses_templates = body
        .match_indices("{{")
        .chain(body.match_indices("{%"))
        .any(|(index, _)| outside_code(index));
    if !uses_templates {
        return None;
    }
    let mut literal: Vec<Range<usize>> = code.clone();
    literal
        .extend(body.match_indices("{#").map(|(i, _)| i..i + 2).filter(|r| outside_code(r.start)));
    literal.sort_by_key(|r| r.start);

    let mut protected = String::with_capacity(body.len() + literal.len() * 24);
    let mut snippets = Vec::new();
    let mut cursor = 0;
    for range in literal.iter().chain([&(body.len()..body.len())]) {
        if range.start < cursor {
            continue;
        }
        expand_snippet_calls(body, cursor..range.start, &mut protected, &mut snippets);
        if !range.is_empty() {
            protected.push_str("{% raw %}");
            protected.push_str(&body[range.clone()]);
            protected.push_str("{% endraw %}");
        }
        cursor = range.end;
    }
    Some(Templated {
        name: name.to_owned(),
        original: body.to_owned(),
        protected,
        line_offset,
        snippets,
    })
}

/// Byte ranges of inline code and code blocks, fences included.
pub fn code_ranges(body: &str) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut block_start = None;
    for (event, range) in Parser::new_ext(body, markdown::options()).into_offset_iter() {
        match event {
            Event::Code(_) => ranges.push(range),
            Event::Start(Tag::CodeBlock(_)) => block_start = Some(range),
            Event::End(TagEnd::CodeBlock) => {
                if let Some(start) = block_start.take() {
                    ranges.push(start.start..range.end.max(start.end));
                }
            }
            _ => {}
        }
    }
    ranges
}

/// Copies `body[segment]` to `out`, turning each `{{ snippet("name") }}` (or
/// `snippet(name="name")`) into a tera include and recording the name and line.
fn expand_snippet_calls(
    body: &str,
    segment: Range<usize>,
    out: &mut String,
    snippets: &mut Vec<(String, usize)>,
) {
    let mut cursor = segment.start;
    while let Some(start) = body[cursor..segment.end].find("{{").map(|i| cursor + i) {
        let Some(end) = body[start..segment.end].find("}}").map(|e| start + e + 2) else { break };
        let name = body[start + 2..end - 2]
            .trim()
            .strip_prefix("snippet(")
            .and_then(|s| s.strip_suffix(')'))
            .map(|args| {
                args.trim().trim_start_matches("name").trim().trim_start_matches('=').trim()
            })
            .and_then(|arg| arg.strip_prefix('"').and_then(|a| a.strip_suffix('"')));
        out.push_str(&body[cursor..start]);
        match name {
            Some(name) => {
                out.push_str(&format!("{{% include \"{SNIPPETS_DIR}/{name}.md\" %}}"));
                snippets.push((name.to_owned(), line_col(body, start).0));
            }
            None => out.push_str(&body[start..end]),
        }
        cursor = end;
    }
    out.push_str(&body[cursor..segment.end]);
}

/// A snippet file: its name (`escalation-contacts`), path and template.
#[derive(Debug, Clone)]
pub struct Snippet {
    pub name: String,
    pub path: PathBuf,
    pub template: Templated,
}

impl Snippet {
    /// A snippet file (from `content/_snippets/`), templated or plain.
    pub fn from_source(file: &crate::model::page::SourceFile) -> Snippet {
        let name = file
            .path
            .with_extension("")
            .iter()
            .map(|p| p.to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let template_name = format!("{SNIPPETS_DIR}/{name}.md");
        let template = prepare(&template_name, &file.text, 0).unwrap_or_else(|| Templated {
            name: template_name,
            original: file.text.clone(),
            protected: file.text.clone(),
            line_offset: 0,
            snippets: Vec::new(),
        });
        Snippet { name, path: file.display_path(), template }
    }
}

/// Every content template of the project, parsed once into one tera instance and
/// rendered per partner with that partner's data.
pub struct ContentTemplates {
    tera: tera::Tera,
    /// Template name → (project-relative path, template) for locating errors.
    sources: BTreeMap<String, (PathBuf, Templated)>,
}

/// What content (bodies, snippets, front matter texts) can see: `partner` and `vars`.
pub fn content_context(partner: &Partner) -> tera::Context {
    tera::Context::from_serialize(ContentContext { partner, vars: &partner.vars })
        .expect("a partner always serializes to a map")
}

/// A front matter text with `{{ … }}` in it (a title, a description), rendered for
/// `partner` as plain text with what a body may use. The error is (message, help).
pub fn render_text(text: &str, partner: &Partner) -> Result<String, (String, String)> {
    const NAME: &str = "front matter";
    let cause = |error: &tera::Error| {
        let cause =
            crate::support::tera_errors::error_chain(error).last().cloned().unwrap_or_default();
        (cause, "front matter text can use partner.* and vars.* like the page body".to_owned())
    };
    if let Some((_, message)) = crate::support::template_bounds::nesting_problem(text) {
        return Err((message, crate::support::template_bounds::HELP.to_owned()));
    }
    let mut template = tera::Template::new(NAME, None, text).map_err(|e| cause(&e))?;
    if let Some(forbidden) = sandbox::forbidden(&template.ast, 0).into_iter().next() {
        return Err((format!("{} is not available in content", forbidden.what), forbidden.help));
    }
    instrument::instrument(&mut template.ast, &HashMap::new());
    let mut tera = sandbox::tera();
    tera.templates.insert(NAME.to_owned(), template);
    match meter::render(&tera, NAME, &content_context(partner)) {
        Rendered::Text(text) => Ok(text),
        Rendered::Failed(error) => Err(cause(&error)),
        Rendered::OverLimit(limit) => Err(limit.message()),
    }
}

/// What content templates can see.
#[derive(Serialize)]
struct ContentContext<'a> {
    partner: &'a Partner,
    vars: &'a toml::Table,
}

impl ContentTemplates {
    /// Parses `templates` (pages) and `snippets`; checks snippet names and include cycles.
    pub fn new(
        templates: Vec<(PathBuf, Templated)>,
        snippets: Vec<Snippet>,
    ) -> Result<ContentTemplates, Vec<Diagnostic>> {
        let mut problems = Vec::new();
        let mut sources = BTreeMap::new();
        for snippet in snippets {
            sources.insert(
                format!("{SNIPPETS_DIR}/{}.md", snippet.name),
                (snippet.path, snippet.template),
            );
        }
        for (path, template) in templates {
            sources.insert(template.name.clone(), (path, template));
        }
        for (path, template) in sources.values() {
            for (name, line) in &template.snippets {
                if !sources.contains_key(&format!("{SNIPPETS_DIR}/{name}.md")) {
                    problems.push(
                        Diagnostic::new(path, format!("there is no snippet `{name}`"))
                            .at_line(template.line_offset + line, None)
                            .help(format!(
                                "create content/{SNIPPETS_DIR}/{name}.md, or fix the name"
                            )),
                    );
                }
            }
        }
        problems.extend(includes::cycles(&sources));
        if problems.is_empty() {
            problems.extend(includes::too_deep(&sources));
        }
        let mut parsed = Vec::with_capacity(sources.len());
        for (path, template) in sources.values() {
            if let Some((offset, message)) =
                crate::support::template_bounds::nesting_problem(&template.protected)
            {
                // `{% raw %}` wrapping shifts columns, never lines.
                let line = line_col(&template.protected, offset).0;
                problems.push(
                    Diagnostic::new(path, message)
                        .at_line(template.line_offset + line, None)
                        .help(crate::support::template_bounds::HELP),
                );
                continue;
            }
            match tera::Template::new(&template.name, None, &template.protected) {
                Ok(compiled) => {
                    for forbidden in sandbox::forbidden(&compiled.ast, template.snippets.len()) {
                        problems.push(forbidden_diagnostic(path, template, &forbidden));
                    }
                    parsed.push(compiled);
                }
                Err(error) => problems.push(syntax_error(path, template, &error)),
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let weights: HashMap<String, u64> =
            parsed.iter().map(|t| (t.name.clone(), instrument::weight(&t.ast))).collect();
        let mut tera = sandbox::tera();
        for mut template in parsed {
            instrument::instrument(&mut template.ast, &weights);
            tera.templates.insert(template.name.clone(), template);
        }
        if let Err(error) = tera.build_inheritance_chains() {
            return Err(vec![Diagnostic::new(
                "content",
                crate::support::tera_errors::error_chain(&error).join(": "),
            )]);
        }
        Ok(ContentTemplates { tera, sources })
    }

    /// The markdown of template `name` for `partner`.
    pub fn render(&self, name: &str, partner: &Partner) -> Result<String, Diagnostic> {
        match meter::render(&self.tera, name, &content_context(partner)) {
            Rendered::Text(text) => Ok(text),
            Rendered::Failed(error) => Err(self.render_error(name, &error)),
            Rendered::OverLimit(limit) => Err(self.limit_error(name, limit)),
        }
        .map_err(|diagnostic| diagnostic.for_partner(&partner.id))
    }

    /// A limit the page ran into, located at the first loop, snippet or filter of the
    /// page that can repeat or grow text.
    fn limit_error(&self, name: &str, limit: meter::Limit) -> Diagnostic {
        let (path, template) = &self.sources[name];
        let (message, help) = limit.message();
        let diagnostic = Diagnostic::new(path, message).help(help);
        let first =
            limit.culprits().iter().filter_map(|word| find_in_tags(&template.original, word)).min();
        match first {
            Some(offset) => at_offset(diagnostic, template, offset),
            None => diagnostic,
        }
    }

    /// Tera names the variable but not its line: find the first use of it in the
    /// innermost template named by the error, and point there.
    fn render_error(&self, name: &str, error: &tera::Error) -> Diagnostic {
        let chain = crate::support::tera_errors::error_chain(error);
        let innermost = chain
            .iter()
            .rev()
            .flat_map(|message| message.split('\'').skip(1).step_by(2))
            .find(|candidate| self.sources.contains_key(*candidate))
            .unwrap_or(name);
        let (path, template) = &self.sources[innermost];
        let cause = chain.last().cloned().unwrap_or_default();
        let variable = cause.split('`').nth(1).unwrap_or_default();
        let message = match cause.split(" while rendering").next() {
            Some(first) if !variable.is_empty() => format!("{first} for this partner"),
            _ => cause.clone(),
        };
        let mut diagnostic = Diagnostic::new(path, message).help(
            "content can use partner.name, partner.id, partner.contact.*, partner.features and vars.* (the partner's [vars]); \
             guard optional values with {% if vars.x is defined %}",
        );
        if let Some(offset) = template.original.find(variable).filter(|_| !variable.is_empty()) {
            let (line, column) = line_col(&template.original, offset);
            diagnostic = diagnostic.at_line(template.line_offset + line, Some(column));
            diagnostic.source_line = template.original.lines().nth(line - 1).map(str::to_owned);
        }
        diagnostic
    }
}

/// Something content may not use, located at its first use inside a tag.
fn forbidden_diagnostic(
    path: &Path,
    template: &Templated,
    forbidden: &sandbox::Forbidden,
) -> Diagnostic {
    let diagnostic =
        Diagnostic::new(path, format!("{} is not available in content", forbidden.what))
            .help(forbidden.help.clone());
    match find_in_tags(&template.original, &forbidden.find) {
        Some(offset) => at_offset(diagnostic, template, offset),
        None => diagnostic,
    }
}

/// Locates a diagnostic at `offset` of the template's body, as a line of its file.
fn at_offset(diagnostic: Diagnostic, template: &Templated, offset: usize) -> Diagnostic {
    let diagnostic = diagnostic.at_offset(&template.original, offset);
    Diagnostic { line: diagnostic.line.map(|l| l + template.line_offset), ..diagnostic }
}

/// The offset of the first `word` inside a `{{ }}` or `{% %}` tag outside code, as a
/// whole word (`for` is not found in `platform`).
fn find_in_tags(text: &str, word: &str) -> Option<usize> {
    let code = code_ranges(text);
    let is_name = |c: char| c.is_alphanumeric() || c == '_';
    let whole = |at: usize| {
        let joined_before =
            word.starts_with(is_name) && text[..at].chars().next_back().is_some_and(is_name);
        let joined_after =
            word.ends_with(is_name) && text[at + word.len()..].chars().next().is_some_and(is_name);
        !joined_before && !joined_after
    };
    let mut cursor = 0;
    while let Some(open) = text[cursor..].find('{').map(|i| cursor + i) {
        let close = match text.get(open + 1..open + 2) {
            Some("{") => "}}",
            Some("%") => "%}",
            _ => {
                cursor = open + 1;
                continue;
            }
        };
        let end = text[open..].find(close).map_or(text.len(), |i| open + i);
        if !code.iter().any(|r| r.contains(&open))
            && let Some(at) =
                text[open..end].match_indices(word).map(|(i, _)| open + i).find(|&at| whole(at))
        {
            return Some(at);
        }
        cursor = end.max(open + 2);
    }
    None
}

fn syntax_error(path: &Path, template: &Templated, error: &tera::Error) -> Diagnostic {
    // Columns are left out: `{% raw %}` wrapping shifts them on lines with code.
    let (position, expected) = crate::support::tera_errors::syntax_position(error);
    let line = position.map(|(line, _)| line);
    let mut diagnostic = Diagnostic::new(path, format!("template syntax error in content: {expected}")).help(
        "close every {{ with }} and every {% if %} with {% endif %}; write literal braces as {% raw %}{{ }}{% endraw %}",
    );
    if let Some(line) = line {
        diagnostic = diagnostic.at_line(template.line_offset + line, None);
        diagnostic.source_line = template.original.lines().nth(line - 1).map(str::to_owned);
    }
    diagnostic
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_markdown_is_not_a_template() {
        assert!(
            prepare("a.md", "Text with `{{ code }}` and\n\n```\n{{ .Values.image }}\n```\n", 0)
                .is_none()
        );
        assert!(prepare("a.md", "## Verify {#verify}\n", 0).is_none());
    }

    #[test]
    fn code_and_heading_ids_are_protected() {
        let t = prepare("a.md", "Hi {{ partner.name }} `{{ x }}`\n\n## H {#h}\n\n```yaml\nimage: {{ .Values.image }}\n```\n", 0)
            .unwrap();
        assert_eq!(
            t.protected,
            "Hi {{ partner.name }} {% raw %}`{{ x }}`{% endraw %}\n\n## H {% raw %}{#{% endraw %}h}\n\n{% raw %}```yaml\nimage: {{ .Values.image }}\n```{% endraw %}\n"
        );
    }

    fn snippet(name: &str, body: &str) -> Snippet {
        let path = PathBuf::from(format!("content/_snippets/{name}.md"));
        let template =
            prepare(&format!("_snippets/{name}.md"), body, 0).unwrap_or_else(|| Templated {
                name: format!("_snippets/{name}.md"),
                original: body.into(),
                protected: body.into(),
                line_offset: 0,
                snippets: vec![],
            });
        Snippet { name: name.into(), path, template }
    }

    #[test]
    fn include_cycles_are_reported_once() {
        let snippets = vec![
            snippet("a", "A\n{{ snippet(\"b\") }}\n"),
            snippet("b", "B\n\n{{ snippet(\"a\") }}\n"),
            snippet("self", "{{ snippet(\"self\") }}"),
        ];
        let errors = ContentTemplates::new(vec![], snippets).err().unwrap();
        let messages: Vec<String> =
            errors.iter().map(|e| format!("{}: {}", e.location(), e.message)).collect();
        assert_eq!(
            messages,
            [
                "content/_snippets/a.md:2: snippets include each other in a cycle: a → b → a",
                "content/_snippets/self.md:1: snippets include each other in a cycle: self → self",
            ]
        );
    }

    #[test]
    fn unknown_variables_are_located_in_the_content_file() {
        let page =
            prepare("content/p.md", "Intro\n\nCall us within {{ vars.sla_hour }} hours.\n", 4)
                .unwrap();
        let templates = ContentTemplates::new(vec![("content/p.md".into(), page)], vec![]).unwrap();
        let partner = crate::model::partner::tests::partner("acme");
        let error = templates.render("content/p.md", &partner).unwrap_err();
        assert_eq!(error.location(), "content/p.md:7:19");
        assert!(error.message.contains("Variable `vars.sla_hour` not found"), "{}", error.message);
    }

    #[test]
    fn snippets_render_with_the_partner_data() {
        let page = prepare("content/p.md", "{{ snippet(\"contact\") }}", 0).unwrap();
        let snippets = vec![snippet("contact", "Write to {{ partner.name }}.")];
        let templates =
            ContentTemplates::new(vec![("content/p.md".into(), page)], snippets).unwrap();
        let partner = crate::model::partner::tests::partner("acme");
        assert_eq!(templates.render("content/p.md", &partner).unwrap(), "Write to Partner acme.");
    }

    #[test]
    fn snippet_calls_become_includes() {
        let t = prepare(
            "a.md",
            "Intro\n\n{{ snippet(\"escalation\") }}\n{{ snippet(name=\"other\") }}\n",
            2,
        )
        .unwrap();
        assert!(t.protected.contains("{% include \"_snippets/escalation.md\" %}"));
        assert!(t.protected.contains("{% include \"_snippets/other.md\" %}"));
        assert_eq!(t.snippets, [("escalation".to_owned(), 3), ("other".to_owned(), 4)]);
    }
}
