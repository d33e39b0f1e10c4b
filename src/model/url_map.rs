//! Where every page is published, decided from the front matter before any markdown is
//! converted, so that a link's href can be made once, at parse time, and still reach a
//! page whose URL is not its path's (`slug`, `url`, `[build] lowercase_urls`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::support::urls;

/// The URL of every page: its path's pretty URL (lowercased with `lowercase_urls`),
/// unless its front matter sets `slug` or `url`. Only the pages that set one are listed,
/// so adding or editing an ordinary page leaves the map, and its fingerprint, unchanged.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UrlMap {
    lowercase: bool,
    /// Content path → site URL, for pages whose front matter chose their URL.
    chosen: BTreeMap<PathBuf, String>,
    /// The same, by URL: a link from the site root may be written as the chosen URL.
    by_url: BTreeMap<String, PathBuf>,
}

impl UrlMap {
    pub fn new(lowercase: bool, chosen: BTreeMap<PathBuf, String>) -> UrlMap {
        let by_url = chosen.iter().map(|(path, url)| (url.clone(), path.clone())).collect();
        UrlMap { lowercase, chosen, by_url }
    }

    /// The site URL of the page at content path `path`.
    pub fn page(&self, path: &Path) -> String {
        match self.chosen.get(path) {
            Some(url) => url.clone(),
            None => self.derived(urls::page_url(path)),
        }
    }

    /// The site URL a link from the site root leads to (`path` without its leading `/`):
    /// a page by its URL or its path, else the file it names, unchanged.
    pub fn root(&self, path: &str) -> String {
        let (folder, extension) = urls::root_form(path);
        let pages = urls::root_page_paths(folder, extension);
        if pages.is_empty() {
            return path.to_owned();
        }
        let written = if folder.is_empty() { String::new() } else { format!("{folder}/") };
        if extension.is_none() && self.by_url.contains_key(&written) {
            return written;
        }
        match pages.iter().find_map(|page| self.chosen.get(page)) {
            Some(url) => url.clone(),
            None => self.page(&pages[0]),
        }
    }

    /// Changes whenever any page's URL may have changed other than by its own path: a
    /// parsed page is only reused while this is the same.
    pub fn fingerprint(&self) -> u64 {
        if !self.lowercase && self.chosen.is_empty() {
            return 0;
        }
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        hasher.update(&[u8::from(self.lowercase)]);
        for (path, url) in &self.chosen {
            hasher.update(path.as_os_str().as_encoded_bytes());
            hasher.update(b"\0");
            hasher.update(url.as_bytes());
            hasher.update(b"\0");
        }
        hasher.digest()
    }

    fn derived(&self, url: String) -> String {
        if self.lowercase { url.to_lowercase() } else { url }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(lowercase: bool, chosen: &[(&str, &str)]) -> UrlMap {
        let chosen = chosen.iter().map(|(p, u)| (PathBuf::from(p), u.to_string())).collect();
        UrlMap::new(lowercase, chosen)
    }

    #[test]
    fn pages_publish_at_their_path_unless_their_front_matter_says_otherwise() {
        let urls = map(false, &[("docs/old.md", "docs/new/")]);
        assert_eq!(urls.page(Path::new("docs/old.md")), "docs/new/");
        assert_eq!(urls.page(Path::new("docs/Other.md")), "docs/Other/");
        assert_eq!(urls.page(Path::new("_index.md")), "");
    }

    #[test]
    fn lowercase_urls_lower_derived_urls_only() {
        let urls = map(true, &[("a/Chosen.md", "Exact/Path/")]);
        assert_eq!(
            urls.page(Path::new("runbooks/KubePodCrashLooping.md")),
            "runbooks/kubepodcrashlooping/"
        );
        assert_eq!(urls.page(Path::new("a/Chosen.md")), "Exact/Path/");
    }

    #[test]
    fn root_links_reach_chosen_urls_by_path_or_by_url() {
        let urls = map(true, &[("docs/old.md", "docs/new/"), ("x/_index.md", "exact/")]);
        assert_eq!(urls.root("docs/old"), "docs/new/");
        assert_eq!(urls.root("docs/old.md"), "docs/new/");
        assert_eq!(urls.root("x/"), "exact/");
        assert_eq!(urls.root("exact/"), "exact/");
        assert_eq!(urls.root("Runbooks/KubePod"), "runbooks/kubepod/");
        assert_eq!(urls.root("img/A.png"), "img/A.png");
        assert_eq!(urls.root(""), "");
    }

    #[test]
    fn the_fingerprint_follows_the_choices() {
        assert_eq!(map(false, &[]).fingerprint(), 0);
        assert_ne!(map(true, &[]).fingerprint(), 0);
        assert_ne!(
            map(false, &[("a.md", "b/")]).fingerprint(),
            map(false, &[("a.md", "c/")]).fingerprint()
        );
    }
}
