//! Writing sites without ever showing a half-written one: each partner is written
//! into a staging folder beside `public/<id>`, and only when every partner of the
//! build rendered and staged cleanly are the staging folders swapped in.
//! Files whose bytes did not change are hard-linked from the previous output, so
//! they keep their mtime and CDN syncs and rsync stay cheap.

use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::render::{Contents, OutputFile};

/// A partner site fully written to its staging folder, not yet published.
#[derive(Debug)]
pub struct Staged {
    staging: PathBuf,
    target: PathBuf,
    pub written: usize,
    pub unchanged: usize,
}

fn staging_dir(out_dir: &Path, id: &str) -> PathBuf {
    out_dir.join(format!(".{id}.staging"))
}

fn retired_dir(out_dir: &Path, id: &str) -> PathBuf {
    out_dir.join(format!(".{id}.old"))
}

pub fn stage(out_dir: &Path, id: &str, files: &[OutputFile]) -> Result<Staged, Error> {
    let staging = staging_dir(out_dir, id);
    let target = out_dir.join(id);
    remove_if_present(&staging)?;
    fs::create_dir_all(&staging).map_err(|e| Error::io(&staging, e))?;
    let mut staged = Staged { staging, target, written: 0, unchanged: 0 };
    for file in files {
        let destination = staged.staging.join(&file.path);
        if let Some(parent) = destination.parent() {
            fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        let previous = staged.target.join(&file.path);
        let bytes = match &file.contents {
            Contents::Bytes(bytes) => std::borrow::Cow::Borrowed(bytes.as_slice()),
            Contents::Copy(source) => {
                std::borrow::Cow::Owned(fs::read(source).map_err(|e| Error::io(source, e))?)
            }
        };
        if same_bytes(&previous, &bytes) && fs::hard_link(&previous, &destination).is_ok() {
            staged.unchanged += 1;
        } else {
            fs::write(&destination, &bytes).map_err(|e| Error::io(&destination, e))?;
            staged.written += 1;
        }
    }
    Ok(staged)
}

fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    match fs::metadata(path) {
        Ok(meta) if meta.is_file() && meta.len() == bytes.len() as u64 => {
            fs::read(path).is_ok_and(|old| old == bytes)
        }
        _ => false,
    }
}

/// Swaps every staged site into place. Each swap is two renames in one folder.
pub fn commit(staged: Vec<Staged>) -> Result<(), Error> {
    for site in staged {
        let out_dir = site.target.parent().unwrap_or(Path::new("."));
        let id =
            site.target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let retired = retired_dir(out_dir, &id);
        remove_if_present(&retired)?;
        if site.target.exists() {
            fs::rename(&site.target, &retired).map_err(|e| Error::io(&site.target, e))?;
        }
        fs::rename(&site.staging, &site.target).map_err(|e| Error::io(&site.staging, e))?;
        remove_if_present(&retired)?;
    }
    Ok(())
}

/// Throws away staged sites after a failed build; the published ones stay untouched.
pub fn discard(staged: Vec<Staged>) {
    for site in staged {
        let _ = fs::remove_dir_all(&site.staging);
    }
}

fn remove_if_present(dir: &Path) -> Result<(), Error> {
    match fs::remove_dir_all(dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io(dir, e)),
    }
}
