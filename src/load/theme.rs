//! Theme layers as loaded: a theme's (or a partner's) templates, static files and UI
//! strings, from disk or built in, each template checked for syntax and compiled once
//! per theme. `emit::theme` layers a partner's templates over its theme's.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use tera::Tera;
use walkdir::WalkDir;

use crate::error::Diagnostic;
use crate::support::tera_errors::error_chain;
use crate::support::tera_errors::quoted_names;
use crate::support::tera_errors::syntax_position;
use crate::support::text::read_text;

/// Templates every theme must provide.
pub const REQUIRED_TEMPLATES: [&str; 4] = ["index.html", "section.html", "page.html", "404.html"];

#[derive(Debug, Clone)]
pub(crate) struct TemplateSource {
    pub(crate) name: String,
    /// Project-relative, for messages.
    pub(crate) path: PathBuf,
    pub(crate) text: String,
}

/// A file published as-is: where its bytes are, and a short content hash for cache busting.
#[derive(Debug, Clone)]
pub struct StaticFile {
    pub source: StaticSource,
    pub hash: String,
}

#[derive(Debug, Clone)]
pub enum StaticSource {
    Disk(PathBuf),
    /// A file of a built-in theme.
    Embedded(&'static [u8]),
}

/// The templates, static files and UI strings of one layer (a theme, or a partner's overrides).
#[derive(Debug, Clone, Default)]
pub struct Layer {
    pub(crate) templates: Vec<TemplateSource>,
    pub statics: BTreeMap<String, StaticFile>,
    pub i18n: crate::load::i18n::Catalog,
    /// A theme's templates (and their `theme/` copies) parsed once, for all its
    /// partners: parsing is most of what assembling a partner's theme costs.
    pub(crate) compiled: std::sync::OnceLock<Result<Tera, Vec<Diagnostic>>>,
}

impl Layer {
    /// This layer's templates as a theme: compiled on first use, then shared.
    pub(crate) fn compiled(&self) -> &Result<Tera, Vec<Diagnostic>> {
        self.compiled.get_or_init(|| {
            let copies: Vec<TemplateSource> = self
                .templates
                .iter()
                .map(|t| TemplateSource { name: format!("theme/{}", t.name), ..t.clone() })
                .collect();
            let problems: Vec<Diagnostic> =
                self.templates.iter().filter_map(syntax_problem).collect();
            if !problems.is_empty() {
                return Err(problems);
            }
            let mut tera = Tera::default();
            tera.autoescape_on(vec![".html", ".xml"]);
            // Tera's default also escapes `/`, which makes every URL unreadable.
            tera.set_escape_fn(crate::support::html::escape);
            // A template must not publish the building machine's environment (CI secrets).
            tera.register_function("get_env", |_: &HashMap<String, tera::Value>| {
                Err(tera::Error::msg(
                    "get_env() is not available: templates must not publish the environment of the machine that builds the site; put the value in partner.toml [vars]",
                ))
            });
            let all = self.templates.iter().chain(&copies);
            tera.add_raw_templates(all.map(|t| (t.name.as_str(), t.text.as_str()))).map_err(
                |error| {
                    let chain = error_chain(&error);
                    let path = chain
                        .iter()
                        .rev()
                        .flat_map(|message| quoted_names(message))
                        .find_map(|name| {
                            let name = name.trim_start_matches("theme/").to_owned();
                            self.templates.iter().find(|t| t.name == name).map(|t| t.path.clone())
                        })
                        .unwrap_or_else(|| "templates".into());
                    vec![Diagnostic::new(path, chain.join(": ")).help(
                        "fix the template; the README lists the variables every template receives",
                    )]
                },
            )?;
            Ok(tera)
        })
    }

    /// `other`'s files replace this layer's of the same name.
    fn overlay(&mut self, other: Layer) {
        for template in other.templates {
            self.templates.retain(|t| t.name != template.name);
            self.templates.push(template);
        }
        self.templates.sort_by(|a, b| a.name.cmp(&b.name));
        self.statics.extend(other.statics);
        self.i18n.overlay(other.i18n);
    }

    /// Each template's project-relative path and text, for checks that read them.
    pub fn template_texts(&self) -> impl Iterator<Item = (&Path, &str)> {
        self.templates.iter().map(|t| (t.path.as_path(), t.text.as_str()))
    }

    /// Changes whenever a template or static file of the layer changes.
    pub fn fingerprint(&self) -> u64 {
        let mut text = String::new();
        for template in &self.templates {
            text.push_str(&template.name);
            text.push('\0');
            text.push_str(&template.text);
            text.push('\0');
        }
        for (name, file) in &self.statics {
            text.push_str(name);
            text.push_str(&file.hash);
        }
        xxhash_rust::xxh3::xxh3_64(text.as_bytes())
    }
}

/// Theme `name`: the built-in theme of that name (if any), with the files of
/// `themes/<name>/` on disk replacing it file by file.
pub fn load_theme(root: &Path, name: &str) -> Result<Layer, Vec<Diagnostic>> {
    let dir = Path::new("themes").join(name);
    let disk = load_layer(root, &dir)?;
    let Some(files) = crate::load::embedded::theme_files(name) else { return Ok(disk) };
    // The built-in theme is our own files, compiled in: its text files are UTF-8.
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    let mut layer = Layer::default();
    for (path, bytes) in files {
        let shown = dir.join(&path);
        if let Some(name) = path.strip_prefix("templates/") {
            let template = TemplateSource { name: name.to_owned(), path: shown, text: text(bytes) };
            layer.templates.push(template);
        } else if let Some(name) = path.strip_prefix("static/") {
            let file =
                StaticFile { source: StaticSource::Embedded(bytes), hash: content_hash(bytes) };
            layer.statics.insert(name.to_owned(), file);
        } else if let Some(language) =
            path.strip_prefix("i18n/").and_then(|file| file.strip_suffix(".toml"))
        {
            layer.i18n.insert(language, shown, text(bytes));
        }
    }
    layer.overlay(disk);
    Ok(layer)
}

/// Reads `<dir>/templates/**` and `<dir>/static/**` of a theme or partner folder
/// (`dir` is project-relative). Missing folders are simply empty layers.
pub fn load_layer(root: &Path, dir: &Path) -> Result<Layer, Vec<Diagnostic>> {
    let mut layer = Layer::default();
    let mut problems = Vec::new();
    for (name, relative) in walk_files(root, &dir.join("templates"), &mut problems) {
        match read_text(root, &relative) {
            Ok(text) => layer.templates.push(TemplateSource { name, path: relative, text }),
            Err(diagnostic) => problems.push(diagnostic),
        }
    }
    for (name, relative) in walk_files(root, &dir.join("static"), &mut problems) {
        match std::fs::read(root.join(&relative)) {
            Ok(bytes) => {
                layer.statics.insert(
                    name,
                    StaticFile {
                        source: StaticSource::Disk(root.join(&relative)),
                        hash: content_hash(&bytes),
                    },
                );
            }
            Err(e) => problems.push(Diagnostic::new(&relative, format!("cannot read: {e}"))),
        }
    }
    match crate::load::i18n::Catalog::load(root, &dir.join("i18n")) {
        Ok(catalog) => layer.i18n = catalog,
        Err(diagnostic) => problems.push(diagnostic),
    }
    if problems.is_empty() { Ok(layer) } else { Err(problems) }
}

/// Files under `dir` as (name with `/` separators, project-relative path), sorted.
fn walk_files(root: &Path, dir: &Path, problems: &mut Vec<Diagnostic>) -> Vec<(String, PathBuf)> {
    let absolute = root.join(dir);
    if !absolute.is_dir() {
        return Vec::new();
    }
    let canonical = absolute.canonicalize().unwrap_or_else(|_| absolute.clone());
    let mut files = Vec::new();
    let mut walker = WalkDir::new(&absolute).follow_links(true).sort_by_file_name().into_iter();
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let path = error
                    .path()
                    .map(|p| p.strip_prefix(root).unwrap_or(p).to_owned())
                    .unwrap_or(dir.into());
                problems.push(Diagnostic::new(path, format!("cannot read: {error}")));
                continue;
            }
        };
        let name = entry.path().strip_prefix(&absolute).unwrap_or(entry.path());
        let relative = dir.join(name);
        if crate::load::content::escapes(&entry, &canonical) {
            problems.push(
                Diagnostic::new(&relative, "this symlink points outside its folder")
                    .help("copy the file here instead of linking to it"),
            );
            if entry.file_type().is_dir() {
                walker.skip_current_dir(); // nothing below it may be read
            }
            continue;
        }
        if entry.file_type().is_dir()
            || name.iter().any(|part| part.to_string_lossy().starts_with('.'))
        {
            continue;
        }
        if let Some(kind) = crate::support::text::special_kind(entry.file_type()) {
            problems.push(crate::support::text::special_file(&relative, kind));
            continue;
        }
        let name: Vec<String> = name.iter().map(|p| p.to_string_lossy().into_owned()).collect();
        files.push((name.join("/"), relative));
    }
    files
}

/// Short, stable content hash used in `?v=` cache-busting query strings.
pub fn content_hash(bytes: &[u8]) -> String {
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(bytes))[..10].to_owned()
}

pub(crate) fn syntax_problem(template: &TemplateSource) -> Option<Diagnostic> {
    // Tera parses and renders nesting recursively: refuse what would overflow the stack.
    if let Some((offset, message)) =
        crate::support::template_bounds::nesting_problem(&template.text)
    {
        let line = crate::error::line_col(&template.text, offset).0;
        return Some(
            Diagnostic::new(&template.path, message)
                .at_line(line, None)
                .help("flatten it: combine conditions with `and`, or move parts into partials"),
        );
    }
    tera::Template::new(&template.name, None, &template.text)
        .err()
        .map(|error| syntax_diagnostic(template, &error))
}

fn syntax_diagnostic(template: &TemplateSource, error: &tera::Error) -> Diagnostic {
    let (position, expected) = syntax_position(error);
    let mut diagnostic =
        Diagnostic::new(&template.path, format!("template syntax error: {expected}"))
            .help("fix the tera syntax; every {{ needs }}, every {% block %} an {% endblock %}");
    if let Some((line, column)) = position {
        diagnostic = diagnostic.at_line(line, Some(column));
        diagnostic.source_line = template.text.lines().nth(line - 1).map(str::to_owned);
    }
    diagnostic
}
