//! `livery version snapshot V`: freezes the current content as version V, before the
//! current content moves on to the next release. The shared content folder is copied
//! to `versions/V/content/` and each partner's own content to
//! `partners/<id>/versions/V/content/`. Nothing existing is overwritten, and the copies
//! are made in hidden folders and renamed into place only when all are complete, so an
//! interrupted snapshot leaves no half-copied version behind.

use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::model::page::CONTENT_DIR;
use crate::model::project::VERSIONS_DIR;

/// What a snapshot copied: each folder made (project-relative) and its file count.
#[derive(Debug)]
pub struct Snapshot {
    pub folders: Vec<(PathBuf, usize)>,
    /// What to do next in livery.toml, given where the version stands in `[versions]`.
    pub next_step: String,
}

pub fn snapshot(root: &Path, version: &str) -> Result<Snapshot, Error> {
    crate::load::content::require_project(root)?;
    let project = crate::load::config::load_project(root).map_err(Error::from)?;
    if !crate::load::config::is_version_name(version) {
        return Err(Error::Usage(format!(
            "error: `{version}` is not a version name: use letters, digits, `.`, `-` and `_` (it becomes a URL folder), e.g. 17 or 2026.10"
        )));
    }
    let frozen = Path::new(VERSIONS_DIR).join(version).join(CONTENT_DIR);
    let mut copies = vec![(PathBuf::from(CONTENT_DIR), frozen.clone())];
    let ids = crate::load::config::partner_ids(root).unwrap_or_default();
    for id in ids {
        let own = Path::new("partners").join(&id).join(CONTENT_DIR);
        if root.join(&own).is_dir() {
            let target = Path::new("partners").join(&id).join(&frozen);
            copies.push((own, target));
        }
    }
    for (_, target) in &copies {
        if root.join(target).exists() {
            return Err(Error::Usage(format!(
                "error: {} already exists: version {version} has a snapshot; remove that folder first if you mean to take it again",
                target.display()
            )));
        }
    }
    // Copied into hidden folders first; whatever fails, those go.
    let mut staged = Vec::new();
    let mut counts = Vec::new();
    let result = copies.iter().try_for_each(|(from, to)| {
        let temporary = temporary_dir(&root.join(to));
        staged.push(temporary.clone());
        copy_tree(&root.join(from), &temporary, root).map(|files| counts.push(files))
    });
    if let Err(error) = result {
        for dir in &staged {
            let _ = std::fs::remove_dir_all(dir);
        }
        return Err(error);
    }
    // Every copy is complete: move them into place, undoing the moves on a failure.
    let mut placed: Vec<PathBuf> = Vec::new();
    let mut folders = Vec::new();
    for (((_, to), temporary), files) in copies.iter().zip(&staged).zip(counts) {
        let target = root.join(to);
        if let Err(error) = std::fs::rename(temporary, &target) {
            for dir in placed.iter().chain(&staged) {
                let _ = std::fs::remove_dir_all(dir);
            }
            return Err(Error::io(&target, error));
        }
        placed.push(target.clone());
        folders.push((to.clone(), files));
    }
    let next_step = match project.versions.iter().position(|v| v == version) {
        Some(0) => format!(
            "content/ is now free for the next release: put its name first in livery.toml, e.g. [versions] list = [\"NEXT\", {}]",
            quoted(&project.versions)
        ),
        Some(_) => format!("version {version} is listed in livery.toml; build to publish it"),
        None => format!(
            "add \"{version}\" to [versions] list in livery.toml, after the current version, to publish it"
        ),
    };
    Ok(Snapshot { folders, next_step })
}

fn quoted(versions: &[String]) -> String {
    versions.iter().map(|v| format!("\"{v}\"")).collect::<Vec<_>>().join(", ")
}

/// A hidden folder beside `target` (created with its parents) to copy into.
fn temporary_dir(target: &Path) -> PathBuf {
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    target.with_file_name(format!(".{name}.snapshot-{}", std::process::id()))
}

/// Copies the files of `from` into `to` (created); a symlink is copied as the file or
/// folder it points at, which must lie inside the project. Returns the file count.
fn copy_tree(from: &Path, to: &Path, root: &Path) -> Result<usize, Error> {
    let canonical_root = root.canonicalize().map_err(|e| Error::io(root, e))?;
    std::fs::create_dir_all(to).map_err(|e| Error::io(to, e))?;
    let mut files = 0;
    for entry in walkdir::WalkDir::new(from).follow_links(true).sort_by_file_name() {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(from).to_owned();
            Error::io(&path, std::io::Error::other(e.to_string()))
        })?;
        if crate::load::content::escapes(&entry, &canonical_root) {
            return Err(Error::io(
                entry.path(),
                std::io::Error::other(
                    "this symlink points outside the project; copy the file in instead",
                ),
            ));
        }
        let relative = entry.path().strip_prefix(from).unwrap_or(entry.path());
        let destination = to.join(relative);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&destination).map_err(|e| Error::io(&destination, e))?;
        } else if entry.file_type().is_file() {
            std::fs::copy(entry.path(), &destination).map_err(|e| Error::io(entry.path(), e))?;
            files += 1;
        }
    }
    Ok(files)
}
