//! The redirect pages of a partner's site, one per alias, and `_redirects`, the same
//! redirects as rules for hosts that read them (Netlify, Cloudflare Pages) and answer
//! with a real 301 instead of the page.
//!
//! A redirect page is a small HTML5 file of its own, not a theme template: it must work
//! without JavaScript, CSS or any other file, and nothing of a theme (a partner's
//! override included) can break it. Its refresh and link are relative to where it is
//! written, like every URL livery writes, so it works at any base path and under the
//! dev server; its canonical URL is absolute on the partner's `base_url`, which is what
//! search engines should keep. Redirect pages are in no sitemap, navigation or search
//! index, and say `noindex`.

use std::fmt::Write;

use crate::load::i18n::UiStrings;
use crate::model::output::Contents;
use crate::model::output::OutputFile;
use crate::site::plan::SitePlan;
use crate::support::html::escape;
use crate::support::urls;

/// The rules file, at the site root.
pub const RULES_FILE: &str = "_redirects";

/// What the page says when the partner's theme has no `redirect_text`; `{link}` is the
/// link to the page.
const DEFAULT_TEXT: &str = "This page has moved to {link}.";

/// The redirect pages of `plan`'s site, and `_redirects` when there is any. `site_path`
/// is the absolute path the site is served at (`/help/`).
pub fn files(plan: &SitePlan, ui: &UiStrings, site_path: &str) -> Vec<OutputFile> {
    let text = ui.strings.get("redirect_text").map_or(DEFAULT_TEXT, String::as_str);
    let mut files = untranslated(plan, ui);
    if plan.redirects.is_empty() {
        return files;
    }
    files.reserve(plan.redirects.len() + 1);
    let mut rules = String::new();
    for redirect in &plan.redirects {
        let from = redirect.from();
        let target = &plan.pages[redirect.to];
        let to = urls::encode_path(&target.page.url);
        let page = Page {
            language: &plan.partner.language,
            title: &target.title,
            href: &urls::relative(from, &to),
            canonical: &format!("{}{to}", plan.partner.base_url),
            text,
        };
        files.push(OutputFile {
            path: urls::output_path(from),
            contents: Contents::Text(page.html()),
        });
        let from = urls::encode_path(from);
        let _ = writeln!(rules, "{site_path}{from} {site_path}{to} 301");
        // Cloudflare Pages matches a rule's path exactly: `/old/` does not catch `/old`.
        if let Some(bare) = from.strip_suffix('/').filter(|bare| !bare.is_empty()) {
            let _ = writeln!(rules, "{site_path}{bare} {site_path}{to} 301");
        }
    }
    files.push(OutputFile { path: RULES_FILE.to_owned(), contents: Contents::Text(rules) });
    files
}

/// A page for each URL this language's site leaves untranslated, leading to the page
/// in the partner's default language, same version.
fn untranslated(plan: &SitePlan, ui: &UiStrings) -> Vec<OutputFile> {
    let text = ui.strings.get("untranslated_text").map_or(DEFAULT_UNTRANSLATED, String::as_str);
    let partner = plan.partner;
    let default_language = partner.in_language(&partner.languages[0]);
    let (up, default_base) = (partner.up_to_partner_root(), &default_language.base_url);
    let default_prefix = default_language.site_prefix();
    plan.untranslated
        .iter()
        .map(|page| {
            let to = urls::encode_path(&page.url);
            let href = format!("{}{up}{default_prefix}{to}", urls::root_prefix(&page.url));
            let redirect = Page {
                language: &partner.language,
                title: &page.title,
                href: &href,
                canonical: &format!("{default_base}{to}"),
                text,
            };
            OutputFile {
                path: urls::output_path(&page.url),
                contents: Contents::Text(redirect.html()),
            }
        })
        .collect()
}

/// What an untranslated page's stand-in says without the theme's `untranslated_text`.
const DEFAULT_UNTRANSLATED: &str = "This page is not available in this language: {link}.";

/// One redirect page, its values not yet escaped.
struct Page<'a> {
    language: &'a str,
    /// The title of the page it leads to.
    title: &'a str,
    /// The page's URL relative to the redirect page.
    href: &'a str,
    canonical: &'a str,
    /// The visible sentence, with `{link}` where the link goes.
    text: &'a str,
}

impl Page<'_> {
    fn html(&self) -> String {
        let href = escape(self.href);
        let title = escape(self.title);
        let link = format!("<a href=\"{href}\">{title}</a>");
        let text = match escape(self.text).split_once("{link}") {
            Some((before, after)) => format!("{before}{link}{after}"),
            None => format!("{} {link}", escape(self.text)),
        };
        format!(
            "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url={href}\">\n<link rel=\"canonical\" href=\"{canonical}\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n</head>\n<body>\n<p>{text}</p>\n</body>\n</html>\n",
            lang = escape(self.language),
            canonical = escape(self.canonical),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_escapes_what_it_is_given_and_places_the_link() {
        let page = Page {
            language: "de",
            title: "Backups & <restore>",
            href: "../../runbooks/restore/",
            canonical: "https://kb.example/help/runbooks/restore/",
            text: "Diese Seite ist umgezogen: {link}",
        };
        let html = page.html();
        assert!(html.contains("<html lang=\"de\">"));
        assert!(html.contains("<title>Backups &amp; &lt;restore&gt;</title>"));
        assert!(html.contains("content=\"0; url=../../runbooks/restore/\""));
        assert!(html.contains(
            "<p>Diese Seite ist umgezogen: <a href=\"../../runbooks/restore/\">Backups &amp; &lt;restore&gt;</a></p>"
        ));
    }
}
