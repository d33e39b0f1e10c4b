//! Colour arithmetic for brand tokens: WCAG contrast, and the focus-ring colours a
//! partner's brand implies. Focus indicators must reach 3:1 against the page (WCAG
//! 1.4.11); a pale brand accent (gold, amber) does not, so livery derives a ring colour
//! from the brand instead of drawing an invisible one.

use csscolorparser::Color;

/// WCAG's contrast for non-text indicators such as focus rings.
pub const MIN_FOCUS_CONTRAST: f64 = 3.0;

/// The WCAG contrast ratio of two CSS colours (alpha ignored), or None if one is unparsable.
pub fn contrast_ratio(a: &str, b: &str) -> Option<f64> {
    Some(ratio(&csscolorparser::parse(a).ok()?, &csscolorparser::parse(b).ok()?))
}

fn luminance(colour: &Color) -> f64 {
    let channel = |c: f32| {
        let c = f64::from(c);
        if c <= 0.03928 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
    };
    0.2126 * channel(colour.r) + 0.7152 * channel(colour.g) + 0.0722 * channel(colour.b)
}

fn ratio(a: &Color, b: &Color) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// `a` mixed with `b` in sRGB, `share` of `b` (0 to 1), as CSS `color-mix` does.
fn mix(a: &Color, b: &Color, share: f32) -> Color {
    let m = |x: f32, y: f32| x + (y - x) * share;
    Color::new(m(a.r, b.r), m(a.g, b.g), m(a.b, b.b), 1.0)
}

/// The focus-ring colours for a brand: (on the light background, on the dark theme's
/// background). The accent when it reaches 3:1, else the primary, else the accent
/// moved towards the text colour (light) or white (dark) until it does.
pub fn focus_colours(
    accent: &str,
    primary: &str,
    background: &str,
    text: &str,
) -> Option<(String, String)> {
    let [accent, primary, background, text] =
        [accent, primary, background, text].map(|c| csscolorparser::parse(c).ok());
    let (accent, primary, background, text) = (accent?, primary?, background?, text?);
    let black = Color::new(0.0, 0.0, 0.0, 1.0);
    let white = Color::new(1.0, 1.0, 1.0, 1.0);
    // The dark theme's background and link colour, as style.css mixes them.
    let dark_background = mix(&text, &black, 0.08);
    let dark_link = mix(&primary, &white, 0.55);
    let light_towards = if luminance(&background) > 0.18 { &black } else { &white };

    let pick = |candidates: &[&Color], background: &Color, towards: &Color| -> Color {
        if let Some(found) = candidates.iter().find(|c| ratio(c, background) >= MIN_FOCUS_CONTRAST)
        {
            return **found;
        }
        (1..=20)
            .map(|step| mix(candidates[0], towards, step as f32 * 0.05))
            .find(|c| ratio(c, background) >= MIN_FOCUS_CONTRAST)
            .unwrap_or(*towards)
    };
    let light = pick(&[&accent, &primary], &background, light_towards);
    let dark = pick(&[&accent, &dark_link], &dark_background, &white);
    Some((hex(&light), hex(&dark)))
}

fn hex(colour: &Color) -> String {
    let [r, g, b, _] = colour.to_rgba8();
    format!("#{r:02x}{g:02x}{b:02x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_ratios_follow_wcag() {
        assert!((contrast_ratio("#000", "#fff").unwrap() - 21.0).abs() < 0.01);
        assert!((contrast_ratio("#777777", "white").unwrap() - 4.48).abs() < 0.01);
        assert_eq!(contrast_ratio("nope", "#fff"), None);
    }

    #[test]
    fn a_dark_enough_accent_is_its_own_focus_colour() {
        let (light, _) = focus_colours("#1d4ed8", "#0f172a", "#ffffff", "#0f172a").unwrap();
        assert_eq!(light, "#1d4ed8");
    }

    #[test]
    fn a_pale_accent_gives_way_to_a_colour_that_reaches_three_to_one() {
        // Gold on white is about 2.3:1; a pale primary does not help either.
        let (light, dark) = focus_colours("#e0b000", "#f3c94b", "#ffffff", "#1f2937").unwrap();
        assert_ne!(light, "#e0b000");
        assert!(contrast_ratio(&light, "#ffffff").unwrap() >= MIN_FOCUS_CONTRAST, "{light}");
        let dark_background =
            mix(&csscolorparser::parse("#1f2937").unwrap(), &Color::new(0.0, 0.0, 0.0, 1.0), 0.08);
        assert!(
            ratio(&csscolorparser::parse(&dark).unwrap(), &dark_background) >= MIN_FOCUS_CONTRAST
        );
        // A primary that reaches 3:1 is taken as it is.
        let (light, _) = focus_colours("#e0b000", "#14532d", "#ffffff", "#1f2937").unwrap();
        assert_eq!(light, "#14532d");
    }
}
