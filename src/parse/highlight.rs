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
        let css =
            css_for_theme_with_class_style(theme, CLASS_STYLE).map_err(|_| name.to_owned())?;
        Ok(match theme.settings.background {
            Some(bg) => legible(&css, &format!("#{:02x}{:02x}{:02x}", bg.r, bg.g, bg.b)),
            None => css,
        })
    };
    let light_css = css(light)?;
    let dark_css = css(dark)?;
    // Each scheme's rules apply only in that scheme: a token class one theme colours
    // and the other does not must not carry a light-mode colour onto a dark background.
    Ok(format!(
        "/* Code highlighting: {light} (light), {dark} (dark). */\n\
         @media not (prefers-color-scheme: dark) {{\n:root:not([data-theme=\"dark\"]) {{\n{light_css}\n}}\n}}\n\
         :root[data-theme=\"light\"] {{\n{light_css}\n}}\n\
         @media (prefers-color-scheme: dark) {{\n:root:not([data-theme=\"light\"]) {{\n{dark_css}\n}}\n}}\n\
         :root[data-theme=\"dark\"] {{\n{dark_css}\n}}\n"
    ))
}

/// WCAG AA for text: code is text a reader must make out, comments included.
const MIN_CODE_CONTRAST: f64 = 4.5;

/// The theme's CSS with every text colour raised to 4.5:1 on the theme's background:
/// many popular themes draw comments at 2.5:1, which fails readers (and axe).
fn legible(css: &str, background: &str) -> String {
    let mut out = String::with_capacity(css.len());
    for line in css.split_inclusive('\n') {
        let colour = line
            .trim_start()
            .strip_prefix("color: #")
            .map(|rest| rest.trim_end().trim_end_matches(';'))
            .filter(|hex| {
                (hex.len() == 6 || hex.len() == 8) && hex.bytes().all(|b| b.is_ascii_hexdigit())
            });
        match colour.and_then(|hex| {
            crate::load::colour::readable_on(
                &format!("#{}", &hex[..6]),
                background,
                MIN_CODE_CONTRAST,
            )
        }) {
            Some(readable) => {
                let indent = &line[..line.len() - line.trim_start().len()];
                out.push_str(&format!("{indent}color: {readable};\n"));
            }
            None => out.push_str(line),
        }
    }
    out
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
    fn every_code_colour_reaches_four_and_a_half_to_one() {
        // Solarized draws comments at about 2.5:1 on its cream background.
        let css = stylesheet("Solarized (light)", "Solarized (dark)").unwrap();
        let light = css.split(":root[data-theme=\"light\"]").nth(1).unwrap();
        let light = light.split("@media").next().unwrap();
        let colours: Vec<&str> = light
            .lines()
            .filter_map(|l| l.trim().strip_prefix("color: "))
            .map(|c| c.trim_end_matches(';'))
            .collect();
        assert!(colours.len() > 5, "{light}");
        for colour in colours {
            let ratio = crate::load::colour::contrast_ratio(colour, "#fdf6e3").unwrap();
            assert!(ratio >= MIN_CODE_CONTRAST, "{colour}: {ratio:.2}");
        }
    }

    #[test]
    fn no_colour_applies_outside_its_scheme() {
        // GitHub colours `.hl-support.hl-type`, OneHalfDark does not: unscoped, the light
        // blue would show on the dark background.
        let css = stylesheet("GitHub", "OneHalfDark").unwrap();
        let mut depth = 0;
        let mut top_level = String::new();
        for c in css.chars() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                _ if depth == 0 => top_level.push(c),
                _ => {}
            }
        }
        assert!(!top_level.contains(".hl-"), "rules outside a scheme: {top_level}");
    }

    #[test]
    fn stylesheet_has_both_schemes_and_rejects_unknown_themes() {
        let css = stylesheet("GitHub", "OneHalfDark").unwrap();
        assert!(css.contains("prefers-color-scheme: dark"));
        assert!(css.contains(".hl-"));
        assert_eq!(stylesheet("GitHub", "Nope"), Err("Nope".to_owned()));
    }
}
