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
    /// Heading sections: [anchor, heading, text, words of its code blocks].
    s: Vec<(&'a str, &'a str, &'a str, &'a str)>,
}

/// A search index's bytes, and where each page's entry is in them (in page order).
pub struct Index {
    pub bytes: Vec<u8>,
    pub spans: Vec<(u32, u32)>,
}

/// The previous index's bytes, its entries' spans, and which pages' entries to keep.
pub type Reuse<'a> = (&'a [u8], &'a [(u32, u32)], &'a (dyn Fn(usize) -> bool + Sync));

/// `{"pages":[entry,…]}`, each entry serialized on its own (in parallel): the bytes are
/// those of serializing the whole list at once.
pub fn index(plan: &SitePlan) -> Index {
    index_reusing(plan, None)
}

/// The index, taking the entry of every page `reuse` allows from the previous index
/// (its bytes and spans), when the site's pages are the same ones in the same order:
/// after a one-page edit, one entry is serialized rather than thousands.
pub fn index_reusing(plan: &SitePlan, reuse: Option<Reuse>) -> Index {
    let reuse = reuse.filter(|(_, spans, _)| spans.len() == plan.pages.len());
    let entries: Vec<std::borrow::Cow<[u8]>> = (0..plan.pages.len())
        .into_par_iter()
        .map(|i| match reuse {
            Some((bytes, spans, keep)) if keep(i) => {
                let (start, end) = spans[i];
                std::borrow::Cow::Borrowed(&bytes[start as usize..end as usize])
            }
            _ => std::borrow::Cow::Owned(entry(plan, i)),
        })
        .collect();
    let mut bytes = Vec::with_capacity(entries.iter().map(|e| e.len() + 1).sum::<usize>() + 12);
    let mut spans = Vec::with_capacity(entries.len());
    bytes.extend_from_slice(b"{\"pages\":[");
    for (i, entry) in entries.iter().enumerate() {
        if i > 0 {
            bytes.push(b',');
        }
        let start = bytes.len() as u32;
        bytes.extend_from_slice(entry);
        spans.push((start, bytes.len() as u32));
    }
    bytes.extend_from_slice(b"]}");
    Index { bytes, spans }
}

fn entry(plan: &SitePlan, i: usize) -> Vec<u8> {
    let page = &plan.pages[i];
    let parent = plan.breadcrumbs(i).last().filter(|_| i > 0).map(|parent| parent.title.clone());
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
                    clip(&section.code),
                )
            })
            .collect(),
    };
    serde_json::to_vec(&entry).expect("plain data always serializes")
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
