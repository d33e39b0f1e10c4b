//! Front matter `aliases`: the old URLs of a page, resolved once per project into
//! site URLs (the form `support::urls` uses: no leading slash, `a/b/` for a folder,
//! `a/b.html` for a file). Everything that would make a redirect page land somewhere
//! other than where the alias says (a host, a query, a climb above the root) is
//! refused here, with the alias's own line and column, so later stages trust them.
//!
//! An alias that starts with `/` is a path from the partner's site root; one that does
//! not is relative to the folder of the page's file, as a relative markdown link in that
//! file is: `old-name` in `runbooks/new-name.md` is `/runbooks/old-name/`.

use std::path::Path;

use crate::error::{Diagnostic, Rule};
use crate::model::page::Located;

/// Longest file or folder name most file systems accept, in bytes.
const MAX_NAME_BYTES: usize = 255;

/// Why an alias cannot be published, and what to write instead.
#[derive(Debug, PartialEq, Eq)]
pub struct Invalid {
    pub message: String,
    pub help: String,
}

fn invalid(message: impl Into<String>, help: impl Into<String>) -> Invalid {
    Invalid { message: message.into(), help: help.into() }
}

/// Every alias of the page at `url` (from `source`, relative to its content folder)
/// resolved to a site URL, or the first that cannot be, located at its string.
pub fn resolve_all(
    display_path: &Path,
    source: &Path,
    url: &str,
    written: Vec<Located<String>>,
) -> Result<Vec<Located<String>>, Diagnostic> {
    written
        .into_iter()
        .map(|alias| {
            let fail = |problem: Invalid| {
                Diagnostic::new(display_path, problem.message)
                    .at_line(alias.line, Some(alias.column))
                    .rule(Rule::FrontMatter)
                    .help(problem.help)
            };
            let resolved = resolve(&alias.value, source).map_err(fail)?;
            if resolved == url {
                return Err(fail(invalid(
                    format!("the alias `{}` is this page's own URL, /{url}", alias.value),
                    "an alias is an old URL that should lead here; remove this one",
                )));
            }
            Ok(Located { value: resolved, ..alias })
        })
        .collect()
}

/// The site URL an alias written in the page `source` stands for.
pub fn resolve(alias: &str, source: &Path) -> Result<String, Invalid> {
    let quoted = format!("`{alias}`");
    if alias.trim().is_empty() {
        return Err(invalid(
            "an alias is empty",
            "write the old path, such as \"/runbooks/old-name/\", or remove the empty string",
        ));
    }
    if alias.chars().any(char::is_control) {
        return Err(invalid(
            format!("the alias {} contains a control character", alias.escape_debug()),
            "write the old path with visible characters only",
        ));
    }
    if alias.trim() != alias {
        return Err(invalid(
            format!("the alias {quoted} starts or ends with a space"),
            format!("write it without them: \"{}\"", alias.trim()),
        ));
    }
    if let Some(path) = without_host(alias) {
        return Err(invalid(
            format!(
                "the alias {quoted} names a scheme or host; aliases are paths on the partner's own site"
            ),
            format!(
                "write only the path: \"{path}\" (each partner publishes it under its own base_url)"
            ),
        ));
    }
    if let Some(at) = alias.find(['?', '#']) {
        return Err(invalid(
            format!(
                "the alias {quoted} has a {}; a redirect page is found by its path alone",
                if alias.as_bytes()[at] == b'?' { "query (`?`)" } else { "fragment (`#`)" }
            ),
            format!("write the path without it: \"{}\"", &alias[..at]),
        ));
    }
    if alias.contains('\\') {
        return Err(invalid(
            format!("the alias {quoted} contains `\\`"),
            format!("separate folders with `/`: \"{}\"", alias.replace('\\', "/")),
        ));
    }

    let mut segments: Vec<String> = if alias.starts_with('/') {
        Vec::new()
    } else {
        source
            .parent()
            .into_iter()
            .flat_map(Path::iter)
            .map(|part| part.to_string_lossy().into_owned())
            .collect()
    };
    for raw in alias.split('/') {
        match raw {
            "" | "." => {}
            ".." => {
                if segments.pop().is_none() {
                    return Err(invalid(
                        format!("the alias {quoted} climbs above the site root"),
                        if alias.starts_with('/') {
                            "remove the `..` steps; `/` is the partner's site root".to_owned()
                        } else {
                            format!(
                                "it is relative to the folder of this page ({}); start it with `/` to write the path from the site root",
                                folder_of(source)
                            )
                        },
                    ));
                }
            }
            _ => segments.push(decode(raw).ok_or_else(|| {
                invalid(
                    format!("the alias {quoted} has a `%` escape that is not a plain character"),
                    "write `%` as %25, and decode escapes such as %2F or %00 to what they stand for",
                )
            })?),
        }
    }
    if let Some(long) = segments.iter().find(|s| s.len() > MAX_NAME_BYTES) {
        return Err(invalid(
            format!("the alias {quoted} has a name of {} bytes", long.len()),
            format!("file systems take names of at most {MAX_NAME_BYTES} bytes; shorten it"),
        ));
    }
    let is_file = !alias.ends_with('/')
        && segments.last().is_some_and(|last| {
            let lower = last.to_ascii_lowercase();
            lower.ends_with(".html") || lower.ends_with(".htm")
        });
    if is_file && segments.last().is_some_and(|last| last == "index.html") {
        // `/old/index.html` is the file a host serves for `/old/`.
        segments.pop();
    } else if is_file {
        return Ok(segments.join("/"));
    }
    Ok(segments.iter().map(|s| format!("{s}/")).collect())
}

/// For an alias with a scheme (`https:`, `mailto:`) or a host (`//cdn.example/x`), the
/// path part, to suggest; None for a path.
fn without_host(alias: &str) -> Option<String> {
    let after_scheme = match alias.split_once(':') {
        Some((scheme, rest))
            if !scheme.is_empty()
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) =>
        {
            rest
        }
        _ if alias.starts_with("//") => alias,
        _ => return None,
    };
    let Some(authority_and_path) = after_scheme.strip_prefix("//") else {
        return Some("/".to_owned());
    };
    let path = authority_and_path.find('/').map_or("/", |at| &authority_and_path[at..]);
    Some(path.split(['?', '#']).next().unwrap_or("/").to_owned())
}

/// `%20` → ` `; None for a malformed escape, or one that makes a separator, a control
/// character or a `.`/`..` name.
fn decode(segment: &str) -> Option<String> {
    if !segment.contains('%') {
        return Some(segment.to_owned());
    }
    let decoded = crate::support::urls::percent_decode(segment)?;
    let unsafe_name = decoded == "."
        || decoded == ".."
        || decoded.contains(['/', '\\'])
        || decoded.chars().any(char::is_control);
    (!unsafe_name).then_some(decoded)
}

fn folder_of(source: &Path) -> String {
    match source.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(folder) => format!("/{}/", crate::support::urls::path_to_file(folder)),
        None => "/".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(alias: &str) -> String {
        resolve(alias, Path::new("runbooks/new-name.md")).unwrap()
    }

    fn err(alias: &str) -> Invalid {
        resolve(alias, Path::new("runbooks/new-name.md")).unwrap_err()
    }

    #[test]
    fn folders_with_and_without_a_trailing_slash_are_one_url() {
        assert_eq!(ok("/old/path"), "old/path/");
        assert_eq!(ok("/old/path/"), "old/path/");
        assert_eq!(ok("/old//path/./"), "old/path/");
        assert_eq!(ok("/old/index.html"), "old/");
    }

    #[test]
    fn html_aliases_stay_files() {
        assert_eq!(ok("/legacy.html"), "legacy.html");
        assert_eq!(ok("/Docs/Old.HTM"), "Docs/Old.HTM");
        assert_eq!(ok("/legacy.html/"), "legacy.html/", "a trailing slash makes it a folder");
        assert_eq!(ok("/page.php"), "page.php/", "other extensions are folders");
    }

    #[test]
    fn relative_aliases_start_from_the_page_folder() {
        assert_eq!(ok("old-name"), "runbooks/old-name/");
        assert_eq!(ok("../legacy/x.html"), "legacy/x.html");
        assert_eq!(resolve("old", Path::new("_index.md")).unwrap(), "old/");
        assert_eq!(resolve("old", Path::new("a/b/_index.md")).unwrap(), "a/b/old/");
    }

    #[test]
    fn escapes_are_decoded_into_the_file_name() {
        assert_eq!(ok("/old%20page/"), "old page/");
        assert!(err("/a%2Fb/").message.contains("`%` escape"));
        assert!(err("/%2e%2e/x/").message.contains("`%` escape"));
        assert!(err("/a%zz/").message.contains("`%` escape"));
    }

    #[test]
    fn hosts_queries_climbs_and_blanks_are_refused_with_a_fix() {
        let host = err("https://old.example/kb/page?x=1");
        assert!(host.message.contains("scheme or host"), "{}", host.message);
        assert!(host.help.contains("\"/kb/page\""), "{}", host.help);
        assert_eq!(err("//cdn.example/a/").help.split('"').nth(1), Some("/a/"));
        assert!(err("mailto:x@y.example").message.contains("scheme"));
        assert!(err("/a/?q=1").help.contains("\"/a/\""));
        assert!(err("/a/#top").message.contains("fragment"));
        assert!(err("/../etc/").message.contains("climbs above the site root"));
        assert!(err("../../x/").help.contains("(/runbooks/)"));
        assert!(err("").message.contains("empty"));
        assert!(err("/a\u{7}b/").message.contains("control character"));
        assert!(err(" /a/").help.contains("\"/a/\""));
        assert!(err("\\a\\b").help.contains("\"/a/b\""));
        assert!(err(&format!("/{}/", "x".repeat(256))).message.contains("256 bytes"));
    }
}
