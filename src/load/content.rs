//! Finds the project, and walks the content tree into sorted source files and
//! assets. Reads, never parses.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::model::project::PROJECT_FILE;

use crate::error::{Diagnostic, Error};
use crate::model::page::CONTENT_DIR;
use crate::model::page::SNIPPETS_DIR;
use crate::model::page::SourceFile;
use crate::support::text::read_text;

/// A content folder as found on disk.
#[derive(Debug, Default)]
pub struct ContentTree {
    /// Markdown files, sorted by path.
    pub pages: Vec<SourceFile>,
    /// Other files (images, PDFs), content-relative, published at the same path.
    pub assets: Vec<PathBuf>,
    /// `_snippets/**.md`, included by name, never published alone.
    pub snippets: Vec<SourceFile>,
    /// `page.<lang>.md` files in a language some partner publishes: translations, by
    /// the path of the page they translate (`language` set).
    pub translations: Vec<SourceFile>,
    /// `_snippets/x.<lang>.md`: translated snippets.
    pub snippet_translations: Vec<SourceFile>,
}

/// The project folder: `explicit` (`--root DIR`) if given, else the nearest folder
/// holding livery.toml from the current one upwards, as cargo and git look for theirs.
/// The result is relative (`.`, `../..`), so paths in messages stay short.
pub fn project_root(explicit: Option<&Path>) -> Result<PathBuf, Error> {
    if let Some(root) = explicit {
        require_project(root)?;
        return Ok(root.to_owned());
    }
    let here = std::env::current_dir().map_err(|e| Error::io(Path::new("."), e))?;
    let mut root = PathBuf::from(".");
    for dir in here.ancestors() {
        if dir.join(PROJECT_FILE).is_file() {
            return Ok(root);
        }
        root = if root == Path::new(".") { PathBuf::from("..") } else { root.join("..") };
    }
    Err(no_project(None))
}

/// Every command that needs a project says the same when there is none.
pub fn require_project(root: &Path) -> Result<(), Error> {
    // Anything else at the path (a folder, a FIFO) is reported by the reader.
    if root.join(PROJECT_FILE).exists() { Ok(()) } else { Err(no_project(Some(root))) }
}

fn no_project(root: Option<&Path>) -> Error {
    Error::Usage(match root {
        None => format!(
            "error: no {PROJECT_FILE} in this folder or any folder above it\n  = help: run livery inside a livery project, pass --root DIR, or start a project with `livery init`"
        ),
        Some(root) => format!(
            "error: no {PROJECT_FILE} in {}\n  = help: pass --root the folder holding {PROJECT_FILE}, or start a project there with `livery init {}`",
            root.display(),
            root.display()
        ),
    })
}

/// A version's shared content folder (`dir`: `content`, or `versions/<v>/content`),
/// which must exist. A file `x.<lang>.md` with `lang` one of `languages` is the
/// translation of `x.md`.
pub fn load_content(
    root: &Path,
    dir: &Path,
    languages: &BTreeSet<String>,
) -> Result<ContentTree, Vec<Diagnostic>> {
    if !root.join(dir).is_dir() {
        let help = match dir.strip_prefix(crate::model::project::VERSIONS_DIR) {
            Ok(version) => format!(
                "an older version's content is a snapshot: run `livery version snapshot {}` before the current content moves on, or take the version out of [versions] list",
                version.parent().unwrap_or(version).display()
            ),
            Err(_) => {
                "create content/_index.md (the home page) and your pages under content/".into()
            }
        };
        return Err(vec![Diagnostic::new(dir, "there is no content folder").help(help)]);
    }
    let mut tree = load_tree(root, dir, languages)?;
    let snippets_dir = dir.join(SNIPPETS_DIR);
    if root.join(&snippets_dir).is_dir() {
        let snippets = load_tree(root, &snippets_dir, languages)?;
        tree.snippets = snippets.pages;
        tree.snippet_translations = snippets.translations;
    }
    Ok(tree)
}

/// A partner's own content folder (`dir`: `partners/<id>/content`, or
/// `partners/<id>/versions/<v>/content`), empty when absent.
pub fn load_partner_content(root: &Path, dir: &Path) -> Result<ContentTree, Vec<Diagnostic>> {
    // Translations of a partner's own pages are not supported yet: such files stay pages.
    if root.join(dir).is_dir() {
        load_tree(root, dir, &BTreeSet::new())
    } else {
        Ok(ContentTree::default())
    }
}

/// A symlink (to a file or a folder) whose target lies outside `canonical_root`.
/// Folders are followed, so a linked folder is checked here, before its files are read.
pub fn escapes(entry: &walkdir::DirEntry, canonical_root: &Path) -> bool {
    entry.path_is_symlink()
        && !entry.path().canonicalize().is_ok_and(|target| target.starts_with(canonical_root))
}

/// Walks one content folder (`dir`, project-relative) into sorted pages and assets.
fn load_tree(
    root: &Path,
    dir: &Path,
    languages: &BTreeSet<String>,
) -> Result<ContentTree, Vec<Diagnostic>> {
    let content_root = root.join(dir);
    let canonical_root = content_root.canonicalize().unwrap_or_else(|_| content_root.clone());
    let mut tree = ContentTree::default();
    let mut problems = Vec::new();
    let mut walker = WalkDir::new(&content_root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            entry.depth() == 0
                || !is_hidden_or_private(entry.file_name())
                || is_section_translation(entry.file_name(), languages)
        });
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let path = error
                    .path()
                    .map(|p| relative_to(root, p))
                    .unwrap_or_else(|| CONTENT_DIR.into());
                problems.push(
                    Diagnostic::new(path, format!("cannot read: {error}"))
                        .help("fix the permissions, or remove the broken or looping symlink"),
                );
                continue;
            }
        };
        let relative = entry.path().strip_prefix(&content_root).unwrap_or(entry.path()).to_owned();
        let display = dir.join(&relative);
        if escapes(&entry, &canonical_root) {
            problems.push(
                Diagnostic::new(&display, "this symlink points outside its content folder")
                    .help("copy the file into content/ instead of linking to it"),
            );
            if entry.file_type().is_dir() {
                walker.skip_current_dir(); // nothing below it may be read
            }
            continue;
        }
        if entry.file_type().is_dir() {
            continue;
        }
        if let Some(kind) = crate::support::text::special_kind(entry.file_type()) {
            problems.push(crate::support::text::special_file(&display, kind));
            continue;
        }
        if relative.extension().is_some_and(|ext| ext == "md") {
            if let Some(problem) = check_url_safe(&relative, &display) {
                problems.push(problem);
                continue;
            }
            let language = translation_language(&relative, languages);
            match read_text(root, &display) {
                Ok(text) => match language {
                    Some(language) => tree.translations.push(SourceFile {
                        origin: dir.to_owned(),
                        path: relative.with_extension("").with_extension("md"),
                        text,
                        language: Some(language),
                    }),
                    None => tree.pages.push(SourceFile {
                        origin: dir.to_owned(),
                        path: relative,
                        text,
                        language: None,
                    }),
                },
                Err(diagnostic) => problems.push(diagnostic),
            }
        } else {
            tree.assets.push(relative);
        }
    }
    if problems.is_empty() { Ok(tree) } else { Err(problems) }
}

/// The language of `page.<lang>.md` when `lang` is one a partner publishes in.
fn translation_language(path: &Path, languages: &BTreeSet<String>) -> Option<String> {
    let stem = Path::new(path.file_stem()?);
    let language = stem.extension()?.to_str()?;
    languages.contains(language).then(|| language.to_owned())
}

/// `.git`, `.DS_Store` and `_snippets` are not pages; `_index.md` is.
pub(crate) fn is_hidden_or_private(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.') || (name.starts_with('_') && name != "_index.md")
}

/// `_index.<lang>.md`, the translation of a section page, in a language a partner uses.
fn is_section_translation(name: &std::ffi::OsStr, languages: &BTreeSet<String>) -> bool {
    let name = name.to_string_lossy();
    name.strip_prefix("_index.")
        .and_then(|rest| rest.strip_suffix(".md"))
        .is_some_and(|language| languages.contains(language))
}

/// Page paths become URLs; keep them to characters that need no escaping anywhere.
pub(crate) fn check_url_safe(relative: &Path, display: &Path) -> Option<Diagnostic> {
    let bad = relative.iter().map(|part| part.to_string_lossy()).find(|part| {
        !part.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    })?;
    Some(
        Diagnostic::new(display, format!("`{bad}` cannot be part of a URL"))
            .help("rename it using only letters a-z, A-Z, digits, `-`, `_` and `.`"),
    )
}

fn relative_to(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_owned()
}
