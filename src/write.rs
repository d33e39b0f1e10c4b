//! Writing sites without ever showing a half-written one: each partner is written
//! into a staging folder beside `public/<id>`, and only when every partner of the
//! build rendered and staged cleanly are the staging folders swapped in.
//! Files whose bytes did not change are hard-linked from the previous output, so
//! they keep their mtime and CDN syncs and rsync stay cheap.

use std::borrow::Cow;
use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::Error;
use crate::render::{Contents, OutputFile};

/// A partner site ready to publish: fully written to its staging folder, or
/// identical to what is already published (then publishing does nothing).
#[derive(Debug)]
pub struct Staged {
    staging: Option<PathBuf>,
    target: PathBuf,
    pub written: usize,
    pub unchanged: usize,
    /// Site paths of the files written because their bytes changed.
    pub changed: Vec<String>,
}

fn staging_dir(out_dir: &Path, id: &str) -> PathBuf {
    out_dir.join(format!(".{id}.staging"))
}

fn retired_dir(out_dir: &Path, id: &str) -> PathBuf {
    out_dir.join(format!(".{id}.old"))
}

pub fn stage(out_dir: &Path, id: &str, files: &[OutputFile]) -> Result<Staged, Error> {
    recover(out_dir, id)?;
    let target = out_dir.join(id);
    let staging = staging_dir(out_dir, id);

    // Compare first (reads only, in parallel): an unchanged site is not touched at all.
    let contents: Vec<(Cow<[u8]>, bool)> = files
        .par_iter()
        .map(|file| {
            let bytes = match &file.contents {
                Contents::Bytes(bytes) => Cow::Borrowed(bytes.as_slice()),
                Contents::Static(bytes) => Cow::Borrowed(*bytes),
                Contents::Copy(source) => {
                    Cow::Owned(fs::read(source).map_err(|e| Error::io(source, e))?)
                }
            };
            let same = same_bytes(&target.join(&file.path), &bytes);
            Ok((bytes, same))
        })
        .collect::<Result<_, Error>>()?;
    let unchanged = contents.iter().filter(|(_, same)| *same).count();
    if unchanged == files.len() && count_files(&target) == files.len() {
        return Ok(Staged { staging: None, target, written: 0, unchanged, changed: Vec::new() });
    }

    let mut dirs: Vec<&Path> = files.iter().filter_map(|f| Path::new(&f.path).parent()).collect();
    dirs.sort();
    dirs.dedup();
    for dir in dirs {
        let dir = staging.join(dir);
        fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    }
    for (file, (bytes, same)) in files.iter().zip(&contents) {
        let destination = staging.join(&file.path);
        // A hard link keeps an unchanged file's mtime (and costs no copy).
        if !(*same && fs::hard_link(target.join(&file.path), &destination).is_ok()) {
            fs::write(&destination, bytes).map_err(|e| Error::io(&destination, e))?;
        }
    }
    let changed = files
        .iter()
        .zip(&contents)
        .filter(|(_, (_, same))| !same)
        .map(|(f, _)| f.path.clone())
        .collect();
    Ok(Staged {
        staging: Some(staging),
        target,
        written: files.len() - unchanged,
        unchanged,
        changed,
    })
}

fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    match fs::metadata(path) {
        Ok(meta) if meta.is_file() && meta.len() == bytes.len() as u64 => {
            fs::read(path).is_ok_and(|old| old == bytes)
        }
        _ => false,
    }
}

fn count_files(dir: &Path) -> usize {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .count()
}

/// The dev server's write: files whose bytes changed are replaced one by one (each by
/// an atomic rename), and with `complete` files no longer produced are removed. The
/// server's output is private, so the cost stays proportional to what changed.
pub fn update_in_place(
    out_dir: &Path,
    id: &str,
    files: &[OutputFile],
    complete: bool,
) -> Result<Staged, Error> {
    let target = out_dir.join(id);
    let mut changed = Vec::new();
    let mut unchanged = 0;
    for file in files {
        let destination = target.join(&file.path);
        let bytes = match &file.contents {
            Contents::Bytes(bytes) => Cow::Borrowed(bytes.as_slice()),
            Contents::Static(bytes) => Cow::Borrowed(*bytes),
            Contents::Copy(source) => {
                Cow::Owned(fs::read(source).map_err(|e| Error::io(source, e))?)
            }
        };
        if same_bytes(&destination, &bytes) {
            unchanged += 1;
            continue;
        }
        if let Some(parent) = destination.parent() {
            fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        let temporary = destination.with_extension("livery-tmp");
        fs::write(&temporary, &bytes).map_err(|e| Error::io(&temporary, e))?;
        fs::rename(&temporary, &destination).map_err(|e| Error::io(&destination, e))?;
        changed.push(file.path.clone());
    }
    if complete {
        let wanted: std::collections::HashSet<PathBuf> =
            files.iter().map(|f| target.join(&f.path)).collect();
        for entry in walkdir::WalkDir::new(&target).into_iter().filter_map(Result::ok) {
            if entry.file_type().is_file() && !wanted.contains(entry.path()) {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
    Ok(Staged { staging: None, target, written: changed.len(), unchanged, changed })
}

/// Swaps every staged site into place. On Linux each swap is one atomic exchange of
/// the two folders, so `public/<id>` is at every instant either the old site or the
/// new one, even if the process is killed; elsewhere it is two renames, and a build
/// killed between them is repaired by the next one (`recover`).
pub fn commit(staged: Vec<Staged>) -> Result<(), Error> {
    for site in staged {
        let Some(staging) = site.staging else { continue };
        if site.target.exists() && exchange(&staging, &site.target).is_ok() {
            remove_if_present(&staging)?; // now holds the old site
            continue;
        }
        let out_dir = site.target.parent().unwrap_or(Path::new("."));
        let retired = retired_dir(out_dir, &dir_name(&site.target));
        remove_if_present(&retired)?;
        if site.target.exists() {
            fs::rename(&site.target, &retired).map_err(|e| Error::io(&site.target, e))?;
        }
        fs::rename(&staging, &site.target).map_err(|e| Error::io(&staging, e))?;
        remove_if_present(&retired)?;
    }
    Ok(())
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(ErrorKind::Unsupported))
}

fn dir_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// Repairs what a killed build left behind: a published site moved aside but not yet
/// replaced is put back, and leftover staging folders are removed.
pub fn recover(out_dir: &Path, id: &str) -> Result<(), Error> {
    let target = out_dir.join(id);
    let retired = retired_dir(out_dir, id);
    if !target.exists() && retired.is_dir() {
        fs::rename(&retired, &target).map_err(|e| Error::io(&retired, e))?;
    }
    remove_if_present(&retired)?;
    remove_if_present(&staging_dir(out_dir, id))
}

/// Throws away staged sites after a failed build; the published ones stay untouched.
pub fn discard(staged: Vec<Staged>) {
    for staging in staged.into_iter().filter_map(|site| site.staging) {
        let _ = fs::remove_dir_all(staging);
    }
}

fn remove_if_present(dir: &Path) -> Result<(), Error> {
    match fs::remove_dir_all(dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io(dir, e)),
    }
}
