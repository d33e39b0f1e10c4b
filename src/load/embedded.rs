//! Themes built into the binary, so `cargo install` gives a working tool: a project
//! without `themes/<name>/` uses the built-in theme of that name, and a folder on
//! disk overrides it file by file. `livery theme eject` writes one out for editing.

use std::path::{Path, PathBuf};

use include_dir::{Dir, DirEntry, include_dir};

use crate::error::Error;

static DEFAULT: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Names of the built-in themes.
pub const THEMES: [&str; 1] = ["default"];

fn theme_dir(name: &str) -> Option<&'static Dir<'static>> {
    (name == "default").then_some(&DEFAULT)
}

/// The files of a built-in theme, as (path inside the theme folder with `/`, bytes),
/// sorted by path; None if there is no built-in theme of that name.
pub fn theme_files(name: &str) -> Option<Vec<(String, &'static [u8])>> {
    let mut files = Vec::new();
    collect(theme_dir(name)?, &mut files);
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Some(files)
}

fn collect(dir: &'static Dir<'static>, files: &mut Vec<(String, &'static [u8])>) {
    for entry in dir.entries() {
        match entry {
            DirEntry::Dir(sub) => collect(sub, files),
            DirEntry::File(file) => {
                let path: Vec<String> =
                    file.path().iter().map(|p| p.to_string_lossy().into_owned()).collect();
                files.push((path.join("/"), file.contents()));
            }
        }
    }
}

/// One file of a built-in theme, by its path inside the theme folder.
pub fn theme_file(name: &str, path: &str) -> Option<&'static [u8]> {
    theme_dir(name)?.get_file(path).map(|file| file.contents())
}

/// Writes built-in theme `name` to `root/themes/<name>/`; refuses to touch an existing
/// folder unless `force`. Returns the project-relative paths written.
pub fn eject(root: &Path, name: &str, force: bool) -> Result<Vec<PathBuf>, Error> {
    let Some(files) = theme_files(name) else {
        return Err(Error::Usage(format!(
            "error: there is no built-in theme `{name}` (built in: {})",
            THEMES.join(", ")
        )));
    };
    crate::load::content::require_project(root)?;
    let dir = Path::new("themes").join(name);
    if root.join(&dir).exists() && !force {
        return Err(Error::Usage(format!(
            "error: {} already exists; pass --force to overwrite its files with the built-in ones",
            dir.display()
        )));
    }
    let mut written = Vec::new();
    for (path, bytes) in files {
        let relative = dir.join(&path);
        let target = root.join(&relative);
        let parent = target.parent().unwrap_or(root);
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        std::fs::write(&target, bytes).map_err(|e| Error::io(&target, e))?;
        written.push(relative);
    }
    Ok(written)
}
