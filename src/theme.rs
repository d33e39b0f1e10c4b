//! Templates and static files, looked up partner first, then theme. Each partner
//! gets one tera instance in which its own templates replace the theme's of the same
//! name, while the theme's stay reachable as `theme/<name>` so an override can
//! `{% extends "theme/page.html" %}` and change a single block.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use tera::Tera;
use walkdir::WalkDir;

use crate::config::read_text;
use crate::error::Diagnostic;

/// Templates every theme must provide.
pub const REQUIRED_TEMPLATES: [&str; 4] = ["index.html", "section.html", "page.html", "404.html"];

#[derive(Debug, Clone)]
struct TemplateSource {
    name: String,
    /// Project-relative, for messages.
    path: PathBuf,
    text: String,
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
    templates: Vec<TemplateSource>,
    pub statics: BTreeMap<String, StaticFile>,
    pub i18n: crate::i18n::Catalog,
    /// A theme's templates (and their `theme/` copies) parsed once, for all its
    /// partners: parsing is most of what assembling a partner's theme costs.
    compiled: std::sync::OnceLock<Result<Tera, Vec<Diagnostic>>>,
}

impl Layer {
    /// This layer's templates as a theme: compiled on first use, then shared.
    fn compiled(&self) -> &Result<Tera, Vec<Diagnostic>> {
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
            tera.set_escape_fn(crate::markdown::escape);
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
    let Some(files) = crate::embedded::theme_files(name) else { return Ok(disk) };
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
    match crate::i18n::Catalog::load(root, &dir.join("i18n")) {
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
        if crate::load::escapes(&entry, &canonical) {
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
        if let Some(kind) = crate::config::special_kind(entry.file_type()) {
            problems.push(crate::config::special_file(&relative, kind));
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

/// Templates whose output depends only on the partner: rendered once per site.
pub const PARTNER_FRAGMENTS: [&str; 2] = ["partials/header.html", "partials/footer.html"];

/// Context variables that differ from page to page, which `PARTNER_FRAGMENTS` cannot use.
const PAGE_VARIABLES: [&str; 8] =
    ["page", "nav", "toc", "children", "breadcrumbs", "previous", "next", "section"];

/// Stands for the path back to the site root in partner-wide fragments; replaced per
/// page. Private-use characters, so no text of a page can contain it by accident.
pub const ROOT_MARK: &str = "\u{E000}root\u{E001}";

/// One partner's templates and static files, with the lookup chain applied.
pub struct Theme {
    tera: Tera,
    /// Template name → the file it came from, for messages.
    template_paths: HashMap<String, PathBuf>,
    /// Site path → file, partner files replacing theme files of the same path.
    pub statics: BTreeMap<String, StaticFile>,
}

impl Theme {
    /// Layers `partner` over `theme`. `generated` are files livery writes itself
    /// (brand.css …), known here so `asset()` can hash them too.
    pub fn assemble(
        theme_dir: &Path,
        theme: &Layer,
        partner: &Layer,
        generated: &BTreeMap<String, Vec<u8>>,
        cache_busting: bool,
    ) -> Result<Theme, Vec<Diagnostic>> {
        let base = theme.compiled();
        let mut problems = base.as_ref().err().cloned().unwrap_or_default();
        problems.extend(partner.templates.iter().filter_map(syntax_problem));
        let mut template_paths: HashMap<String, PathBuf> = HashMap::new();
        for template in &theme.templates {
            template_paths.insert(template.name.clone(), template.path.clone());
            template_paths.insert(format!("theme/{}", template.name), template.path.clone());
        }
        for template in &partner.templates {
            template_paths.insert(template.name.clone(), template.path.clone());
        }
        for name in REQUIRED_TEMPLATES {
            if !template_paths.contains_key(name) {
                problems.push(
                    Diagnostic::new(
                        theme_dir.join("templates"),
                        format!("the theme has no `{name}` template"),
                    )
                    .help(format!("add {}/templates/{name}", theme_dir.display())),
                );
            }
        }
        let Ok(base) = base else { return Err(problems) };
        if !problems.is_empty() {
            return Err(problems);
        }

        let mut tera = base.clone();
        let mut statics = theme.statics.clone();
        statics.extend(partner.statics.iter().map(|(k, v)| (k.clone(), v.clone())));
        let mut hashes: BTreeMap<String, String> =
            statics.iter().map(|(k, v)| (k.clone(), v.hash.clone())).collect();
        hashes.extend(generated.iter().map(|(k, bytes)| (k.clone(), content_hash(bytes))));
        tera.register_function("asset", AssetFunction { hashes, cache_busting });

        let own = partner.templates.iter().map(|t| (t.name.as_str(), t.text.as_str()));
        let mut theme = Theme { tera, template_paths, statics };
        if let Err(error) = theme.tera.add_raw_templates(own) {
            return Err(vec![theme.diagnostic(None, &error)]);
        }
        Ok(theme)
    }

    pub fn has_template(&self, name: &str) -> bool {
        self.template_paths.contains_key(name)
    }

    /// Renders each of `PARTNER_FRAGMENTS` once with the partner-wide `context` (whose
    /// `root` is `ROOT_MARK`), and makes every later include of it use that output:
    /// the header and footer are the same on every page of a site, so rendering them
    /// per page would be most of a page's cost for nothing. The page's renderer then
    /// puts the page's own path to the site root where the mark is.
    pub fn freeze_fragments(&mut self, context: &tera::Context) -> Result<(), Diagnostic> {
        for name in PARTNER_FRAGMENTS {
            if !self.has_template(name) {
                continue;
            }
            let html = self.tera.render(name, context).map_err(|error| {
                let diagnostic = self.diagnostic(Some(name), &error);
                match PAGE_VARIABLES.iter().find(|v| diagnostic.message.contains(&format!("`{v}"))) {
                    Some(variable) => Diagnostic {
                        message: format!(
                            "{name} is rendered once per partner (it is the same on every page), so it cannot use `{variable}`: {}",
                            diagnostic.message
                        ),
                        help: Some(format!(
                            "use only partner, site, vars, t and root in {name}; put what depends on the page in base.html or a block of the page template"
                        )),
                        ..diagnostic
                    },
                    None => diagnostic,
                }
            })?;
            // Raw text cannot hold its own end marker; such a fragment stays per page.
            if html.contains("endraw") {
                continue;
            }
            let frozen = format!("{{% raw %}}{html}{{% endraw %}}");
            self.tera
                .add_raw_template(name, &frozen)
                .map_err(|error| self.diagnostic(Some(name), &error))?;
        }
        Ok(())
    }

    pub fn render(&self, name: &str, context: &tera::Context) -> Result<String, Diagnostic> {
        self.tera.render(name, context).map_err(|error| self.diagnostic(Some(name), &error))
    }

    /// Tera wraps the real cause (a missing variable, a bad filter) in generic errors;
    /// report the whole chain, against the file of the innermost template named.
    fn diagnostic(&self, rendering: Option<&str>, error: &tera::Error) -> Diagnostic {
        let chain = error_chain(error);
        let named = chain
            .iter()
            .rev()
            .flat_map(|message| quoted_names(message))
            .find(|name| self.template_paths.contains_key(name))
            .or_else(|| rendering.map(str::to_owned));
        let path = named
            .and_then(|name| self.template_paths.get(&name).cloned())
            .unwrap_or_else(|| "templates".into());
        Diagnostic::new(path, chain.join(": "))
            .help("fix the template; the README lists the variables every template receives")
    }
}

/// `asset(path="style.css")` → `style.css?v=<hash>`; an unknown path is an error, so
/// a typo in a template fails the build instead of shipping a broken link, unless
/// `optional=true`, which gives "" for a file that may or may not exist.
struct AssetFunction {
    hashes: BTreeMap<String, String>,
    /// Off for the dev server, which revalidates every request instead.
    cache_busting: bool,
}

impl tera::Function for AssetFunction {
    fn call(&self, args: &HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
        let path = args.get("path").and_then(|v| v.as_str()).ok_or_else(|| {
            tera::Error::msg("asset() needs a path, e.g. asset(path=\"style.css\")")
        })?;
        let path = path.trim_start_matches('/');
        let optional = args.get("optional").and_then(|v| v.as_bool()).unwrap_or(false);
        match self.hashes.get(path) {
            Some(_) if !self.cache_busting => Ok(tera::Value::String(path.to_owned())),
            Some(hash) => Ok(tera::Value::String(format!("{path}?v={hash}"))),
            None if optional => Ok(tera::Value::String(String::new())),
            None => Err(tera::Error::msg(format!(
                "asset(path=\"{path}\"): no such file in the theme's or partner's static folder"
            ))),
        }
    }

    fn is_safe(&self) -> bool {
        true
    }
}

pub fn error_chain(error: &tera::Error) -> Vec<String> {
    let mut chain = vec![error.to_string()];
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        chain.push(cause.to_string());
        source = cause.source();
    }
    chain
}

fn quoted_names(message: &str) -> Vec<String> {
    message.split(['\'', '"', '`']).skip(1).step_by(2).map(str::to_owned).collect()
}

/// Where a tera syntax error is (line, column) and what was expected there: pest
/// reports ` --> line:col` and, last, `= expected …`.
pub fn syntax_position(error: &tera::Error) -> (Option<(usize, usize)>, String) {
    let detail = error_chain(error).pop().unwrap_or_default();
    let position = detail.lines().find_map(|line| {
        let (line, col) = line.trim().strip_prefix("--> ")?.split_once(':')?;
        Some((line.trim().parse::<usize>().ok()?, col.trim().parse::<usize>().ok()?))
    });
    let expected =
        detail.lines().rev().find_map(|l| l.trim().strip_prefix("= ")).unwrap_or("invalid syntax");
    (position, expected.to_owned())
}

fn syntax_problem(template: &TemplateSource) -> Option<Diagnostic> {
    // Tera parses and renders nesting recursively: refuse what would overflow the stack.
    if let Some((offset, message)) = crate::templating::nesting_problem(&template.text) {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn layer(templates: &[(&str, &str)]) -> Layer {
        Layer {
            templates: templates
                .iter()
                .map(|(name, text)| TemplateSource {
                    name: name.to_string(),
                    path: PathBuf::from(format!("x/templates/{name}")),
                    text: text.to_string(),
                })
                .collect(),
            statics: BTreeMap::new(),
            i18n: Default::default(),
            compiled: Default::default(),
        }
    }

    fn base_layer() -> Layer {
        layer(&[
            (
                "base.html",
                "<main>{% block main %}base{% endblock %}</main><footer>{% block footer %}theme footer{% endblock %}</footer>",
            ),
            ("page.html", "{% extends \"base.html\" %}{% block main %}page{% endblock %}"),
            ("index.html", "i"),
            ("section.html", "s"),
            ("404.html", "n"),
        ])
    }

    #[test]
    fn an_override_can_extend_the_template_it_replaces() {
        let partner = layer(&[(
            "page.html",
            "{% extends \"theme/page.html\" %}{% block footer %}mine{% endblock %}",
        )]);
        let theme =
            Theme::assemble(Path::new("themes/t"), &base_layer(), &partner, &BTreeMap::new(), true)
                .unwrap();
        let html = theme.render("page.html", &tera::Context::new()).unwrap();
        assert_eq!(html, "<main>page</main><footer>mine</footer>");
    }

    #[test]
    fn syntax_errors_name_the_template_file_and_line() {
        let partner = layer(&[("page.html", "ok\n{% block x %}\n{{ oops }")]);
        let errors =
            Theme::assemble(Path::new("themes/t"), &base_layer(), &partner, &BTreeMap::new(), true)
                .err()
                .unwrap();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].path, Path::new("x/templates/page.html"));
        assert_eq!(errors[0].line, Some(3));
    }

    #[test]
    fn render_errors_name_the_innermost_template() {
        let partner = layer(&[(
            "page.html",
            "{% extends \"base.html\" %}{% block main %}{{ missing }}{% endblock %}",
        )]);
        let theme =
            Theme::assemble(Path::new("themes/t"), &base_layer(), &partner, &BTreeMap::new(), true)
                .unwrap();
        let error = theme.render("page.html", &tera::Context::new()).unwrap_err();
        assert_eq!(error.path, Path::new("x/templates/page.html"));
        assert!(error.message.contains("missing"), "{}", error.message);
    }

    #[test]
    fn missing_required_template_is_reported() {
        let errors = Theme::assemble(
            Path::new("themes/t"),
            &layer(&[]),
            &layer(&[]),
            &BTreeMap::new(),
            true,
        )
        .err()
        .unwrap();
        assert_eq!(errors.len(), REQUIRED_TEMPLATES.len());
        assert!(errors[0].message.contains("no `index.html` template"));
    }
}
