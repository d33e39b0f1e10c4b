//! The per-partner search index: titles, headings and text of the pages that partner
//! carries, as one compact JSON file the theme's script searches in the browser. No
//! service, no CDN; a partner's index holds only its own pages.
//!
//! Why our own index rather than pagefind or elasticlunr: a knowledge base of a few
//! hundred pages fits in one small file that gzips well, ranking can favour titles and
//! headings (what people search a runbook for), and results can point at the matching
//! heading. Sizes are in the README.

use rayon::prelude::*;
use serde::Serialize;

use crate::site::plan::SitePlan;

/// Text kept per heading section: enough for matching and a snippet.
const SECTION_TEXT_LIMIT: usize = 500;

#[derive(Serialize)]
struct Entry<'a> {
    /// Title.
    t: &'a str,
    /// URL relative to the site root.
    u: &'a str,
    /// Title of the section the page is in ("" at the top).
    p: &'a str,
    /// Heading sections: [anchor, heading, text].
    s: Vec<(&'a str, &'a str, &'a str)>,
}

/// `{"pages":[entry,…]}`, each entry serialized on its own (in parallel): the bytes are
/// those of serializing the whole list at once.
pub fn index(plan: &SitePlan) -> Vec<u8> {
    let entries: Vec<Vec<u8>> = (0..plan.pages.len())
        .into_par_iter()
        .map(|i| {
            let page = &plan.pages[i];
            let parent =
                plan.breadcrumbs(i).last().filter(|_| i > 0).map(|parent| parent.title.clone());
            let entry = Entry {
                t: &page.title,
                u: &page.page.url,
                p: parent.as_deref().unwrap_or_default(),
                s: page
                    .content
                    .sections
                    .iter()
                    .map(|section| {
                        (
                            section.anchor.as_deref().unwrap_or(""),
                            section.heading.as_str(),
                            clip(&section.text),
                        )
                    })
                    .collect(),
            };
            serde_json::to_vec(&entry).expect("plain data always serializes")
        })
        .collect();
    let mut json = Vec::with_capacity(entries.iter().map(|e| e.len() + 1).sum::<usize>() + 12);
    json.extend_from_slice(b"{\"pages\":[");
    for (i, entry) in entries.iter().enumerate() {
        if i > 0 {
            json.push(b',');
        }
        json.extend_from_slice(entry);
    }
    json.extend_from_slice(b"]}");
    json
}

fn clip(text: &str) -> &str {
    if text.len() <= SECTION_TEXT_LIMIT {
        return text;
    }
    let mut end = SECTION_TEXT_LIMIT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let cut = &text[..end];
    cut.rfind(' ').map_or(cut, |space| &cut[..space])
}
