//! Syntax highlighting with CSS classes, never inline colours: highlighted HTML is
//! the same for every partner, and light/dark colours live in one stylesheet.

use syntect::highlighting::Theme;
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;
use two_face::theme::{EmbeddedLazyThemeSet, EmbeddedThemeName};

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// The syntax set, loaded once and shared (cloning shares it; the dev server keeps one).
#[derive(Clone)]
pub struct Highlighter {
    syntaxes: std::sync::Arc<SyntaxSet>,
}

impl Default for Highlighter {
    fn default() -> Self {
        Self::new()
    }
}

impl Highlighter {
    /// bat's syntax set: unlike syntect's own it knows TOML, TypeScript, Dockerfile and more.
    pub fn new() -> Self {
        Highlighter { syntaxes: std::sync::Arc::new(two_face::syntax::extra_newlines()) }
    }

    /// HTML spans for `code` in `language`, or None when the language is unknown.
    pub fn highlight(&self, code: &str, language: &str) -> Option<String> {
        let syntax = self.syntaxes.find_syntax_by_token(language)?;
        let mut generator =
            ClassedHTMLGenerator::new_with_class_style(syntax, &self.syntaxes, CLASS_STYLE);
        for line in LinesWithEndings::from(code) {
            generator.parse_html_for_line_which_includes_newline(line).ok()?;
        }
        Some(generator.finalize())
    }
}

/// Names of the highlight themes a project may choose in livery.toml.
pub fn theme_names() -> Vec<&'static str> {
    EmbeddedLazyThemeSet::theme_names().iter().map(|name| name.as_name()).collect()
}

fn find_theme<'a>(themes: &'a EmbeddedLazyThemeSet, name: &str) -> Option<&'a Theme> {
    let embedded: &EmbeddedThemeName =
        EmbeddedLazyThemeSet::theme_names().iter().find(|n| n.as_name() == name)?;
    Some(themes.get(*embedded))
}

/// The stylesheet for highlighted code: `light` by default, `dark` when the reader's
/// system prefers dark (unless the page forces light) or the page forces dark.
/// Returns the unknown theme name on failure.
pub fn stylesheet(light: &str, dark: &str) -> Result<String, String> {
    let themes = two_face::theme::extra();
    let css = |name: &str| -> Result<String, String> {
        let theme = find_theme(&themes, name).ok_or_else(|| name.to_owned())?;
        css_for_theme_with_class_style(theme, CLASS_STYLE).map_err(|_| name.to_owned())
    };
    let light_css = css(light)?;
    let dark_css = css(dark)?;
    Ok(format!(
        "/* Code highlighting: {light} (light), {dark} (dark). */\n{light_css}\n\
         @media (prefers-color-scheme: dark) {{\n:root:not([data-theme=\"light\"]) {{\n{dark_css}\n}}\n}}\n\
         :root[data-theme=\"dark\"] {{\n{dark_css}\n}}\n"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_with_classes_not_inline_styles() {
        let html = Highlighter::new().highlight("name = \"x\"\n", "toml").expect("toml is known");
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(!html.contains("style="), "{html}");
    }

    #[test]
    fn unknown_language_is_none() {
        assert!(Highlighter::new().highlight("x", "no-such-language").is_none());
    }

    #[test]
    fn stylesheet_has_both_schemes_and_rejects_unknown_themes() {
        let css = stylesheet("GitHub", "OneHalfDark").unwrap();
        assert!(css.contains("prefers-color-scheme: dark"));
        assert!(css.contains(".hl-"));
        assert_eq!(stylesheet("GitHub", "Nope"), Err("Nope".to_owned()));
    }
}
