//! One partner's theme, ready to render: its templates layered over the theme's,
//! the header and footer rendered once per partner (`freeze_fragments`), and the
//! `asset()` function that gives static files their cache-busting URLs.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use tera::Tera;

use crate::error::Diagnostic;
use crate::load::theme::Layer;
use crate::load::theme::REQUIRED_TEMPLATES;
use crate::load::theme::StaticFile;
use crate::load::theme::content_hash;
use crate::load::theme::syntax_problem;
use crate::support::tera_errors::error_chain;
use crate::support::tera_errors::quoted_names;

/// Templates whose output depends only on the partner: rendered once per site.
pub const PARTNER_FRAGMENTS: [&str; 5] = [
    "partials/header.html",
    "partials/footer.html",
    "partials/support_links.html",
    "partials/announcement.html",
    "partials/feedback.html",
];

/// Context variables that differ from page to page, which `PARTNER_FRAGMENTS` cannot use.
const PAGE_VARIABLES: [&str; 10] = [
    "page",
    "nav",
    "nav_html",
    "toc",
    "children",
    "featured",
    "breadcrumbs",
    "previous",
    "next",
    "section",
];

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
    /// Whether any template reads the variable `nav` (the sidebar as items); the
    /// default theme reads `nav_html`, and serializing the items for every page of a
    /// site would cost for nothing.
    pub reads_nav: bool,
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

        let reads_nav = theme
            .templates
            .iter()
            .chain(&partner.templates)
            .any(|t| reads_variable(&t.text, "nav"));
        let own = partner.templates.iter().map(|t| (t.name.as_str(), t.text.as_str()));
        let mut theme = Theme { tera, template_paths, statics, reads_nav };
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
pub struct AssetFunction {
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

/// Whether `name` appears as an identifier inside the tags (`{{ }}`, `{% %}`) of a
/// template's text: a cheap, conservative test (it may say yes for a name used in a
/// string), used only to skip work no template asks for.
fn reads_variable(text: &str, name: &str) -> bool {
    let mut rest = text;
    while let Some(start) = rest.find(['{']) {
        rest = &rest[start + 1..];
        let close = match rest.as_bytes().first() {
            Some(b'{') => "}}",
            Some(b'%') => "%}",
            _ => continue,
        };
        let end = rest.find(close).unwrap_or(rest.len());
        let tag = &rest[1..end];
        let is_name = |c: char| c.is_ascii_alphanumeric() || c == '_';
        if tag.split(|c: char| !is_name(c)).any(|word| word == name) {
            return true;
        }
        rest = &rest[end..];
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::theme::{Layer, TemplateSource};

    #[test]
    fn a_variable_is_read_only_where_a_tag_names_it() {
        assert!(reads_variable("<p>{{ nav | length }}</p>", "nav"));
        assert!(reads_variable("{% for item in nav %}{% endfor %}", "nav"));
        assert!(reads_variable("{{ macros::tree(items=nav) }}", "nav"));
        assert!(!reads_variable("<nav>{{ nav_html | safe }}</nav>", "nav"));
        assert!(!reads_variable("{{ page.navigation }} {# nav #} <nav class=\"nav\">", "nav"));
    }

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
            ..Default::default()
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
