//! `[brand]`: the one table of brand tokens. A theme's `theme.toml` gives every token a
//! default, a partner's `partner.toml` overrides the ones it changes, and livery derives
//! the rest (focus rings, callout colours, header colours) so a brand is always legible.
//! Everything else — parsing, merging, validation, brand.css — reads `TOKENS`.

use std::collections::BTreeMap;
use std::path::Path;

use toml::Spanned;

use crate::error::Diagnostic;
use crate::load::colour;
use crate::load::colour::{MIN_FOCUS_CONTRAST, contrast_ratio};
use crate::model::partner::Brand;
use crate::model::partner::Partner;
use crate::model::project::PARTNER_FILE;
use crate::support::text::safe_relative_path;

/// What a token's value must be.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A CSS colour.
    Colour,
    /// A CSS font-family list.
    Font,
    /// A file in the partner's `static/` folder (never defaulted by a theme).
    File,
    /// A CSS length from 0 to 2rem (corner radius).
    Length,
    /// One of a few words.
    Choice(&'static [&'static str]),
    /// A code highlighting theme name; unset means the project's `[highlight]`.
    CodeTheme,
}

pub struct Token {
    pub name: &'static str,
    pub kind: Kind,
    /// Written to brand.css as `--brand-<name>`.
    pub css: bool,
    /// Whether a theme must define a default.
    pub required: bool,
    pub help: &'static str,
    /// The value when neither the theme nor the partner sets one: themes written before
    /// the token existed keep working.
    pub fallback: Option<&'static str>,
}

const fn token(
    name: &'static str,
    kind: Kind,
    css: bool,
    required: bool,
    help: &'static str,
) -> Token {
    Token { name, kind, css, required, help, fallback: None }
}

/// A token a theme may leave out, with livery's own default.
const fn shape(
    name: &'static str,
    kind: Kind,
    css: bool,
    fallback: &'static str,
    help: &'static str,
) -> Token {
    Token { name, kind, css, required: false, help, fallback: Some(fallback) }
}

pub const DENSITIES: &[&str] = &["compact", "comfortable", "roomy"];
pub const HEADER_STYLES: &[&str] = &["light", "brand", "dark"];
pub const HOME_LAYOUTS: &[&str] = &["cards", "hero"];

/// Every brand token, in the order brand.css lists them.
pub const TOKENS: &[Token] = &[
    token("logo", Kind::File, false, false, "shown beside the name in the header"),
    token("favicon", Kind::File, false, false, "the browser tab icon"),
    token(
        "social_image",
        Kind::File,
        false,
        false,
        "the picture link previews show (PNG or JPEG, 1200x630)",
    ),
    token("primary", Kind::Colour, true, true, "links, the current page, buttons"),
    token("accent", Kind::Colour, true, true, "the stripe over the header, highlights"),
    token("background", Kind::Colour, true, true, "the page"),
    token("text", Kind::Colour, true, true, "body text"),
    token("font", Kind::Font, true, true, "body text"),
    token("heading_font", Kind::Font, true, true, "headings and the name"),
    token("mono_font", Kind::Font, true, true, "code"),
    shape("radius", Kind::Length, true, "8px", "corners of boxes, cards and buttons"),
    shape("density", Kind::Choice(DENSITIES), false, "comfortable", "spacing"),
    shape("header", Kind::Choice(HEADER_STYLES), false, "light", "the header bar's colour"),
    shape(
        "home",
        Kind::Choice(HOME_LAYOUTS),
        false,
        "cards",
        "the home page: section cards, or a search hero with featured pages",
    ),
    token("code_theme", Kind::CodeTheme, false, false, "code colours in light mode"),
    token("code_theme_dark", Kind::CodeTheme, false, false, "code colours in dark mode"),
    token("callout_note", Kind::Colour, true, false, "note boxes (derived from primary)"),
    token("callout_tip", Kind::Colour, true, false, "tip boxes (derived)"),
    token("callout_important", Kind::Colour, true, false, "important boxes (derived from accent)"),
    token("callout_warning", Kind::Colour, true, false, "warning boxes (derived)"),
    token("callout_caution", Kind::Colour, true, false, "caution boxes (derived)"),
];

/// Values livery derives, also written to brand.css.
const DERIVED_CSS: &[&str] = &["focus", "focus_dark", "space", "header_background", "header_text"];

/// `[brand]` as written: token name → value, located in its file.
pub type BrandFile = BTreeMap<String, Spanned<String>>;

/// Where a partner's brand was written, for messages and static files.
pub struct Source<'a> {
    /// `partners/<id>/partner.toml`, relative.
    pub path: &'a Path,
    pub text: &'a str,
    /// `partners/<id>`, absolute.
    pub dir: &'a Path,
    /// The theme.toml the defaults came from.
    pub theme_path: &'a Path,
}

fn lookup(name: &str) -> Option<&'static Token> {
    TOKENS.iter().find(|t| t.name == name)
}

fn known_tokens() -> String {
    let known: Vec<&str> = TOKENS.iter().map(|t| t.name).collect();
    format!("brand tokens are: {}", known.join(", "))
}

/// A theme's `[brand]`: every required token defined, no unknown ones, none that
/// name a file (files belong to partners). Spans are dropped: they would point into
/// the wrong file when a partner's problem is reported.
pub fn theme_defaults(path: &Path, written: BrandFile) -> Result<BrandFile, Diagnostic> {
    for name in written.keys() {
        match lookup(name) {
            None => {
                return Err(Diagnostic::new(path, format!("[brand] has no token `{name}`"))
                    .help(known_tokens()));
            }
            Some(token) if token.kind == Kind::File => {
                return Err(Diagnostic::new(
                    path,
                    format!("[brand] `{name}` names a file, which only a partner can set"),
                )
                .help("remove it from theme.toml; partners set it in partner.toml"));
            }
            Some(_) => {}
        }
    }
    let missing: Vec<&str> = TOKENS
        .iter()
        .filter(|t| t.required && !written.contains_key(t.name))
        .map(|t| t.name)
        .collect();
    if !missing.is_empty() {
        return Err(Diagnostic::new(
            path,
            format!("[brand] lacks default tokens: {}", missing.join(", ")),
        )
        .help("a theme defines every brand token so partners only override what they change"));
    }
    Ok(written.into_iter().map(|(k, v)| (k, Spanned::new(0..0, v.into_inner()))).collect())
}

/// The partner's brand: its tokens over the theme's, every value checked, the derived
/// colours added. Reports every problem.
pub fn resolve(
    defaults: &BrandFile,
    mine: &BrandFile,
    source: &Source,
) -> Result<Brand, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let at = |span: std::ops::Range<usize>, message: String| {
        if span.is_empty() {
            // A theme's own token: no line to point at.
            Diagnostic::new(source.theme_path, message)
        } else {
            Diagnostic::new(source.path, message).at_offset(source.text, span.start)
        }
    };
    for (name, value) in mine {
        if lookup(name).is_none() {
            problems.push(
                at(value.span(), format!("brand.{name} is not a brand token")).help(known_tokens()),
            );
        }
    }
    let mut values = BTreeMap::new();
    for token in TOKENS {
        let written = if token.kind == Kind::File {
            mine.get(token.name)
        } else {
            mine.get(token.name).or(defaults.get(token.name))
        };
        let fallback = token.fallback.map(|value| Spanned::new(0..0, value.to_owned()));
        let Some(written) = written.or(fallback.as_ref()) else { continue };
        let value = written.get_ref().trim();
        let key = token.name;
        let problem = match token.kind {
            Kind::Colour => csscolorparser::parse(value).is_err().then(|| {
                (format!("brand.{key} `{value}` is not a colour"), "use a CSS colour such as \"#0b5fff\", \"rgb(11 95 255)\" or \"teal\"".to_owned())
            }),
            Kind::Font => font_list_problem(value).map(|reason| {
                (
                    format!("brand.{key} `{value}` is not a font list: {reason}"),
                    "write a CSS font-family list such as \"Inter, system-ui, sans-serif\", with names that contain spaces in quotes: \"'Open Sans', sans-serif\"".to_owned(),
                )
            }),
            Kind::Length => length_problem(value).map(|reason| {
                (format!("brand.{key} `{value}` is not a corner radius: {reason}"), "write a length from \"0\" to \"2rem\", such as \"4px\" or \"0.75rem\"".to_owned())
            }),
            Kind::Choice(choices) => (!choices.contains(&value)).then(|| {
                (format!("brand.{key} `{value}` is not one of {}", choices.join(", ")), format!("brand.{key} sets {}: write one of \"{}\"", token.help, choices.join("\", \"")))
            }),
            Kind::CodeTheme => {
                let names = crate::parse::highlight::theme_names();
                (!names.contains(&value)).then(|| {
                    (format!("brand.{key} `{value}` is not a highlight theme"), format!("the themes are: {}", names.join(", ")))
                })
            }
            Kind::File => match safe_relative_path(value.trim_start_matches('/')) {
                Some(relative) if source.dir.join("static").join(&relative).is_file() => None,
                Some(_) => Some((
                    format!("brand.{key} `{value}` does not exist"),
                    format!("put the file at {}/static/{}", source.path.parent().unwrap_or(source.path).display(), value.trim_start_matches('/')),
                )),
                None => Some((
                    format!("brand.{key} `{value}` points outside the partner's static folder"),
                    "give a path relative to partners/<id>/static, without `..`".to_owned(),
                )),
            },
        };
        match problem {
            Some((message, help)) => problems.push(at(written.span(), message).help(help)),
            None => {
                let value =
                    if token.kind == Kind::File { value.trim_start_matches('/') } else { value };
                values.insert(token.name, value.to_owned());
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    derive(&mut values);
    let css = TOKENS.iter().filter(|t| t.css).map(|t| t.name).chain(DERIVED_CSS.iter().copied());
    let css = css.filter(|name| values.contains_key(name)).collect();
    Ok(Brand { values, css })
}

/// Adds what the written tokens imply: focus rings, the callout palette, spacing and
/// header colours.
fn derive(values: &mut BTreeMap<&'static str, String>) {
    let get = |name: &str| values.get(name).cloned().unwrap_or_default();
    let (primary, accent, background, text) =
        (get("primary"), get("accent"), get("background"), get("text"));
    let (focus, focus_dark) = colour::focus_colours(&accent, &primary, &background, &text)
        .unwrap_or_else(|| (accent.clone(), accent.clone()));
    values.insert("focus", focus);
    values.insert("focus_dark", focus_dark);
    let chosen = colour::CALLOUT_KINDS
        .map(|kind| values.get(format!("callout_{kind}").as_str()).map(String::as_str));
    if let Some(palette) = colour::callout_palette(&primary, &accent, &background, chosen) {
        for (name, value) in TOKENS.iter().filter(|t| t.name.starts_with("callout_")).zip(palette) {
            values.insert(name.name, value);
        }
    }
    let space = match values.get("density").map(String::as_str) {
        Some("compact") => "0.8",
        Some("roomy") => "1.25",
        _ => "1",
    };
    values.insert("space", space.to_owned());
    let bar = match values.get("header").map(String::as_str) {
        Some("brand") => Some(primary.clone()),
        Some("dark") => colour::dark_tint(&text),
        _ => None,
    };
    if let Some(bar) = bar {
        if let Some(ink) = colour::text_on(&bar) {
            values.insert("header_text", ink);
        }
        values.insert("header_background", bar);
    }
}

/// Why `value` is not a corner radius livery accepts, if it is not: a number with px,
/// rem or em, at most 2rem (32px), so a brand cannot turn boxes into circles.
fn length_problem(value: &str) -> Option<String> {
    if value == "0" {
        return None;
    }
    let Some(unit_at) = value.find(|c: char| c.is_ascii_alphabetic()) else {
        return Some("it needs a unit: px, rem or em".into());
    };
    let (number, unit) = value.split_at(unit_at);
    let Ok(number) = number.parse::<f64>() else {
        return Some("it is not a number with a unit".into());
    };
    let px = match unit {
        "px" => number,
        "rem" | "em" => number * 16.0,
        _ => return Some(format!("`{unit}` is not px, rem or em")),
    };
    if !(0.0..=32.0).contains(&px) || !number.is_finite() {
        return Some("it is outside 0 to 2rem".into());
    }
    None
}

/// Why `value` cannot go into brand.css as a font-family list, if it cannot. The value
/// is written into a custom property, where a comment, an open quote or bracket, a `;`
/// or a `}` would swallow or end the declarations after it, so the rest of the
/// partner's brand would silently vanish.
fn font_list_problem(value: &str) -> Option<String> {
    if value.is_empty() {
        return Some("it is empty".into());
    }
    let mut quote = None;
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
        match (quote, c) {
            (_, c) if c.is_control() => {
                return Some("it contains a line break or control character".into());
            }
            (_, '\\') => return Some("`\\` escapes have no place in a font list".into()),
            (Some(open), c) if c == open => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '/') if next == Some('*') => {
                return Some("`/*` would start a CSS comment".into());
            }
            (None, '*') if next == Some('/') => return Some("`*/` would end a CSS comment".into()),
            (None, ';' | '{' | '}' | '(' | ')' | '[' | ']' | '<' | '>') => {
                return Some(format!("`{c}` has no place in a font list"));
            }
            (None, _) => {}
        }
    }
    quote.map(|_| "a quote is never closed".into())
}

/// WCAG AA asks 4.5:1 between text and its background; links use the primary colour.
const MIN_TEXT_CONTRAST: f64 = 4.5;

/// Warnings for brand colours that readers cannot read: text and links on the background.
pub fn contrast_warnings(partner: &Partner) -> Vec<Diagnostic> {
    let path = Path::new("partners").join(&partner.id).join(PARTNER_FILE);
    let brand = &partner.brand;
    let background = brand.get("background");
    ["text", "primary"]
        .into_iter()
        .filter_map(|token| {
            let colour = brand.get(token);
            let ratio = contrast_ratio(colour, background)?;
            (ratio < MIN_TEXT_CONTRAST).then(|| {
                Diagnostic::new(
                    &path,
                    format!(
                        "brand.{token} {colour} on background {background} has a contrast of {ratio:.1}:1; text needs {MIN_TEXT_CONTRAST}:1 (WCAG AA)",
                    ),
                )
                .for_partner(&partner.id)
                .help(format!("darken brand.{token} (or lighten brand.background) until the ratio reaches {MIN_TEXT_CONTRAST}:1"))
                .warning()
            })
        })
        .chain(focus_warning(partner, &path))
        .collect()
}

/// A warning when neither brand colour reaches 3:1 for focus rings, so livery drew them
/// in a colour of its own.
fn focus_warning(partner: &Partner, path: &Path) -> Option<Diagnostic> {
    let brand = &partner.brand;
    let background = brand.get("background");
    let usable =
        |colour: &str| contrast_ratio(colour, background).is_some_and(|r| r >= MIN_FOCUS_CONTRAST);
    if usable(brand.get("accent")) || usable(brand.get("primary")) {
        return None;
    }
    let ratio = contrast_ratio(brand.get("accent"), background)?;
    Some(
        Diagnostic::new(
            path,
            format!(
                "brand.accent {} on background {background} has a contrast of {ratio:.1}:1, and brand.primary does not reach 3:1 either; focus rings need {MIN_FOCUS_CONTRAST}:1, so they use {}",
                brand.get("accent"),
                brand.get("focus")
            ),
        )
        .for_partner(&partner.id)
        .help("darken brand.accent or brand.primary until one reaches 3:1 to have focus rings in a brand colour")
        .warning(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::partner::tests::partner;

    #[test]
    fn low_contrast_brand_colours_warn_naming_partner_and_token() {
        let mut pale = partner("pale");
        pale.brand.values.insert("primary", "#9ab8ff".into());
        let warnings = contrast_warnings(&pale);
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].severity, crate::error::Severity::Warning);
        assert_eq!(warnings[0].partner.as_deref(), Some("pale"));
        assert!(
            warnings[0].message.starts_with("brand.primary #9ab8ff on background #fff"),
            "{}",
            warnings[0].message
        );
        assert!(contrast_warnings(&partner("fine")).is_empty());
    }

    #[test]
    fn focus_rings_warn_only_when_no_brand_colour_reaches_three_to_one() {
        let mut pale_accent = partner("gold");
        pale_accent.brand.values.insert("accent", "#e0b000".into());
        pale_accent.brand.values.insert("primary", "#14532d".into());
        assert!(contrast_warnings(&pale_accent).is_empty(), "the rings take the primary");
        let mut pale = partner("pastel");
        pale.brand.values.insert("accent", "#e0b000".into());
        pale.brand.values.insert("primary", "#8fd3ff".into());
        pale.brand.values.insert("focus", "#5f4b00".into());
        let warnings = contrast_warnings(&pale);
        let focus: Vec<_> = warnings.iter().filter(|w| w.message.contains("focus rings")).collect();
        assert_eq!(focus.len(), 1, "{warnings:?}");
        assert!(focus[0].message.contains("so they use #5f4b00"), "{}", focus[0].message);
    }

    #[test]
    fn font_lists_cannot_break_out_of_their_declaration() {
        for fine in [
            "Inter, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
            "\"SF Mono\", ui-monospace, monospace",
            "'Comic /* Sans', serif",
        ] {
            assert_eq!(font_list_problem(fine), None, "{fine}");
        }
        for bad in [
            "",
            "Inter; color: red",
            "Inter */",
            "'Open Sans",
            "\"Open Sans', serif",
            "a\\b",
            "x}",
            "url(https://fonts.example/x)",
            "Inter\nserif",
            "a[b",
        ] {
            assert!(font_list_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn radius_accepts_small_lengths_only() {
        assert_eq!(length_problem("0"), None);
        assert_eq!(length_problem("6px"), None);
        assert_eq!(length_problem("0.75rem"), None);
        assert!(length_problem("3rem").unwrap().contains("outside"));
        assert!(length_problem("4pt").unwrap().contains("`pt`"));
        assert!(length_problem("4").is_some());
        assert!(length_problem("px").is_some());
    }

    #[test]
    fn derived_header_colours_follow_the_style() {
        let mut values: BTreeMap<&'static str, String> = [
            ("primary", "#0b57d0"),
            ("accent", "#ff6b00"),
            ("background", "#ffffff"),
            ("text", "#1c2330"),
            ("header", "brand"),
            ("density", "compact"),
        ]
        .into_iter()
        .map(|(k, v)| (k, v.to_owned()))
        .collect();
        derive(&mut values);
        assert_eq!(values["header_background"], "#0b57d0");
        assert_eq!(values["header_text"], "#ffffff");
        assert_eq!(values["space"], "0.8");
        values.insert("header", "light".into());
        values.remove("header_background");
        values.remove("header_text");
        derive(&mut values);
        assert!(!values.contains_key("header_background"), "a light header follows the page");
    }
}
