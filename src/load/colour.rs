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

/// Callout kinds, in the order of the `callout_*` brand tokens.
pub const CALLOUT_KINDS: [&str; 5] = ["note", "tip", "important", "warning", "caution"];

/// Hues a derived callout may take, best first: tip stays green, warning amber, caution
/// red, moved along their band when the brand already uses that hue.
const CALLOUT_HUES: [(usize, [f32; 4]); 3] = [
    (1, [145.0, 120.0, 172.0, 100.0]),
    (3, [38.0, 26.0, 50.0, 18.0]),
    (4, [355.0, 5.0, 345.0, 12.0]),
];

/// Hues closer than this read as the same colour at a glance.
const DISTINCT_HUE: f32 = 30.0;

/// The callout colours a brand implies, in `CALLOUT_KINDS` order, each reaching 3:1 on
/// the background: note in the primary colour, important in the accent (or a hue
/// turned from the primary when the accent would pass for a warning), and tip, warning
/// and caution in their usual hues, moved away from the brand's and drawn with its
/// saturation and lightness. `chosen` colours are kept as written.
pub fn callout_palette(
    primary: &str,
    accent: &str,
    background: &str,
    chosen: [Option<&str>; 5],
) -> Option<[String; 5]> {
    let [primary, accent, background] =
        [primary, accent, background].map(|c| csscolorparser::parse(c).ok());
    let (primary, accent, background) = (primary?, accent?, background?);
    let chosen = chosen.map(|c| c.and_then(|c| csscolorparser::parse(c).ok()));
    let [primary_hue, primary_saturation, primary_lightness, _] = primary.to_hsla();
    let saturation = primary_saturation.clamp(0.5, 0.85);
    let lightness = primary_lightness.clamp(0.3, 0.45);
    let tone = |hue: f32| Color::from_hsla(hue, saturation, lightness, 1.0);

    let mut colours: [Option<Color>; 5] = chosen;
    colours[0].get_or_insert(primary);
    // Important takes the accent unless it would pass for a tip, warning or caution (or
    // for the note); then the first of a few hues that stands apart from all of them.
    let note_hue = colours[0].map_or(primary_hue, |c| c.to_hsla()[0]);
    let apart = |hue: f32| {
        [145.0, 38.0, 355.0, note_hue].iter().all(|&h| hue_distance(h, hue) >= DISTINCT_HUE)
    };
    let [accent_hue, accent_saturation, ..] = accent.to_hsla();
    colours[2].get_or_insert_with(|| {
        if accent_saturation > 0.15 && apart(accent_hue) {
            return accent;
        }
        let hue = [275.0, 320.0, 190.0, 230.0, primary_hue + 180.0]
            .into_iter()
            .find(|&hue| apart(hue))
            .unwrap_or(primary_hue + 180.0);
        tone(hue)
    });
    for (kind, candidates) in CALLOUT_HUES {
        if colours[kind].is_some() {
            continue;
        }
        let taken: Vec<f32> = colours.iter().flatten().map(|c| c.to_hsla()[0]).collect();
        let spread = |hue: f32| taken.iter().map(|&t| hue_distance(t, hue)).fold(360.0, f32::min);
        let hue =
            candidates.iter().copied().find(|&hue| spread(hue) >= DISTINCT_HUE).unwrap_or_else(
                || {
                    let wider =
                        |best: f32, hue: f32| if spread(hue) > spread(best) { hue } else { best };
                    candidates.iter().copied().fold(candidates[0], wider)
                },
            );
        colours[kind] = Some(tone(hue));
    }
    let towards = if luminance(&background) > 0.18 {
        Color::new(0.0, 0.0, 0.0, 1.0)
    } else {
        Color::new(1.0, 1.0, 1.0, 1.0)
    };
    Some(std::array::from_fn(|i| {
        let colour = colours[i].unwrap_or(primary);
        if chosen[i].is_some() {
            return hex(&colour);
        }
        let readable = (0..=20)
            .map(|step| mix(&colour, &towards, step as f32 * 0.05))
            .find(|c| ratio(c, &background) >= MIN_FOCUS_CONTRAST)
            .unwrap_or(towards);
        hex(&readable)
    }))
}

/// `colour` moved towards black or white (whichever is further from `background`)
/// until it reaches `min` contrast on `background`; unchanged when it already does.
pub fn readable_on(colour: &str, background: &str, min: f64) -> Option<String> {
    let (colour, background) =
        (csscolorparser::parse(colour).ok()?, csscolorparser::parse(background).ok()?);
    if ratio(&colour, &background) >= min {
        return Some(hex(&colour));
    }
    let towards = if luminance(&background) > 0.18 {
        Color::new(0.0, 0.0, 0.0, 1.0)
    } else {
        Color::new(1.0, 1.0, 1.0, 1.0)
    };
    let moved = (1..=40)
        .map(|step| mix(&colour, &towards, step as f32 * 0.025))
        .find(|c| ratio(c, &background) >= min)
        .unwrap_or(towards);
    Some(hex(&moved))
}

/// How far apart two hues are on the colour wheel, 0 to 180 degrees.
fn hue_distance(a: f32, b: f32) -> f32 {
    let d = (a - b).rem_euclid(360.0);
    d.min(360.0 - d)
}

/// White or near-black, whichever reads better on `colour`: text on a brand-coloured bar.
pub fn text_on(colour: &str) -> Option<String> {
    let colour = csscolorparser::parse(colour).ok()?;
    let white = Color::new(1.0, 1.0, 1.0, 1.0);
    let ink = Color::new(0.07, 0.07, 0.09, 1.0);
    Some(hex(if ratio(&white, &colour) >= ratio(&ink, &colour) { &white } else { &ink }))
}

/// A dark bar in the brand's own tint: the text colour taken most of the way to black.
pub fn dark_tint(text: &str) -> Option<String> {
    let text = csscolorparser::parse(text).ok()?;
    let tint = if luminance(&text) < 0.05 {
        text
    } else {
        mix(&text, &Color::new(0.0, 0.0, 0.0, 1.0), 0.6)
    };
    Some(hex(&mix(&tint, &Color::new(0.0, 0.0, 0.0, 1.0), 0.25)))
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

    #[test]
    fn callouts_keep_apart_from_the_brand_and_from_each_other() {
        // Globex: green primary, gold accent. Tip must not be the primary's green, and
        // important must not be the warning's gold.
        let palette = callout_palette("#0f6b4f", "#c9a227", "#fbfaf5", [None; 5]).unwrap();
        let hues: Vec<f32> =
            palette.iter().map(|c| csscolorparser::parse(c).unwrap().to_hsla()[0]).collect();
        for i in 0..5 {
            for j in i + 1..5 {
                assert!(
                    hue_distance(hues[i], hues[j]) >= 20.0,
                    "{} and {} too close: {palette:?}",
                    CALLOUT_KINDS[i],
                    CALLOUT_KINDS[j]
                );
            }
        }
        for colour in &palette {
            assert!(contrast_ratio(colour, "#fbfaf5").unwrap() >= MIN_FOCUS_CONTRAST, "{colour}");
        }
        assert_eq!(palette[0], "#0f6b4f", "note is the primary colour");
    }

    #[test]
    fn a_distinct_accent_marks_important_and_chosen_colours_stay() {
        let palette = callout_palette(
            "#6d28d9",
            "#0e7490",
            "#ffffff",
            [None, None, None, Some("#b45309"), None],
        )
        .unwrap();
        assert_eq!(palette[2], "#0e7490");
        assert_eq!(palette[3], "#b45309");
    }

    #[test]
    fn text_on_a_bar_takes_the_readable_ink() {
        assert_eq!(text_on("#0b57d0").unwrap(), "#ffffff");
        assert_eq!(text_on("#ffd84d").unwrap(), "#121217");
    }
}
