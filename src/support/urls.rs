//! Pretty URLs. Every URL livery writes is relative to the page it appears on, so a
//! partner site works at any path of any static host, and in `serve` under `/<id>/`.
//! Site URLs here are relative to the site root, without a leading slash:
//! `""` is the home page, `security/access-review/` a page.

use std::path::{Path, PathBuf};

/// `security/access-review.md` → `security/access-review/`; `playbooks/_index.md` →
/// `playbooks/`; `_index.md` → `` (the home page).
pub fn page_url(source: &Path) -> String {
    let mut parts: Vec<String> = source.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let file = parts.pop().unwrap_or_default();
    if file != "_index.md" {
        parts.push(file.strip_suffix(".md").unwrap_or(&file).to_owned());
    }
    parts.iter().map(|p| format!("{p}/")).collect()
}

/// A link from the site root (`docs/x/`, `docs/x`, `docs/x.md`, `img/a.png`, without its
/// leading `/`) by its form: the folder-like part, and the extension of its last part
/// unless a trailing `/` says it is a folder (`docs/v1.2/`).
pub fn root_form(path: &str) -> (&str, Option<&str>) {
    let folder = path.trim_end_matches('/');
    let last = folder.rsplit('/').next().unwrap_or_default();
    let extension = match Path::new(last).extension() {
        Some(_) if path.ends_with('/') => None,
        extension => extension.and_then(|e| e.to_str()),
    };
    (folder, extension)
}

/// The pages a link from the site root may name, by their paths: `docs/x` →
/// `docs/x.md`, `docs/x/_index.md` (both publish to `docs/x/`); `docs/x.md` → the same;
/// `` → the home page; `img/a.png` → none.
pub fn root_page_paths(folder: &str, extension: Option<&str>) -> Vec<PathBuf> {
    let stem = match extension {
        None => folder,
        Some("md") => folder.strip_suffix(".md").unwrap_or(folder),
        Some(_) => return Vec::new(),
    };
    if stem.is_empty() {
        return vec![PathBuf::from("_index.md")];
    }
    if let Some(section) = stem.strip_suffix("/_index").or((stem == "_index").then_some("")) {
        return vec![Path::new(section).join("_index.md")];
    }
    vec![PathBuf::from(format!("{stem}.md")), Path::new(stem).join("_index.md")]
}

/// A content-relative file path as a site URL: `img/a b.png` → `img/a%20b.png`.
pub fn path_to_url(path: &Path) -> String {
    let parts: Vec<String> = path.iter().map(|p| encode_segment(&p.to_string_lossy())).collect();
    parts.join("/")
}

/// Where a content-relative file is written in the site, with `/` separators.
pub fn path_to_file(path: &Path) -> String {
    let parts: Vec<String> = path.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    parts.join("/")
}

/// The file a site URL is written to: `a/b/` → `a/b/index.html`.
pub fn output_path(url: &str) -> String {
    if url.is_empty() || url.ends_with('/') { format!("{url}index.html") } else { url.to_owned() }
}

/// `../` once per directory level of `from`: the way back to the site root.
pub fn root_prefix(from: &str) -> String {
    let depth = from.matches('/').count();
    if depth == 0 { "./".to_owned() } else { "../".repeat(depth) }
}

/// The URL of `to` as seen from the page at `from` (both site URLs).
pub fn relative(from: &str, to: &str) -> String {
    let depth = from.matches('/').count();
    let href = format!("{}{to}", "../".repeat(depth));
    if href.is_empty() { "./".to_owned() } else { href }
}

/// A site URL with each segment percent-encoded, its `/` kept: `old page/` → `old%20page/`.
pub fn encode_path(url: &str) -> String {
    url.split('/').map(encode_segment).collect::<Vec<_>>().join("/")
}

/// `%20` → ` `; None for a malformed escape or bytes that are not UTF-8.
pub fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex =
                text.get(i + 1..i + 3).filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn encode_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pretty_urls() {
        assert_eq!(page_url(Path::new("security/access-review.md")), "security/access-review/");
        assert_eq!(page_url(Path::new("playbooks/_index.md")), "playbooks/");
        assert_eq!(page_url(Path::new("_index.md")), "");
        assert_eq!(output_path("security/access-review/"), "security/access-review/index.html");
        assert_eq!(output_path(""), "index.html");
    }

    #[test]
    fn relative_urls_climb_to_the_root_first() {
        assert_eq!(relative("security/access-review/", "runbooks/"), "../../runbooks/");
        assert_eq!(relative("", "runbooks/"), "runbooks/");
        assert_eq!(relative("", ""), "./");
        assert_eq!(root_prefix("a/"), "../");
        assert_eq!(root_prefix(""), "./");
    }

    #[test]
    fn file_urls_are_percent_encoded() {
        assert_eq!(path_to_url(Path::new("img/a b.png")), "img/a%20b.png");
        assert_eq!(encode_path("old page/über.html"), "old%20page/%C3%BCber.html");
        assert_eq!(encode_path("a/b/"), "a/b/");
    }
}
