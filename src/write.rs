//! Writing sites without ever showing a half-written one: each partner is written
//! into a staging folder beside `public/<id>`, and only when every partner of the
//! build rendered and staged cleanly are the staging folders swapped in — all of
//! them, or (if one swap fails) none.
//! Files whose bytes did not change are hard-linked from the previous output, so
//! they keep their mtime and CDN syncs and rsync stay cheap.
//!
//! The output folder is held by one build at a time (`OutputDir`), and livery only
//! ever replaces the site folders it wrote itself (listed in `.livery-sites`).

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::fs::{self, File};
use std::io::{ErrorKind, Write as _};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Diagnostic, Error};
use crate::model::output::Contents;
use crate::model::output::OutputFile;

/// Held (with an exclusive file lock) while a build writes the output folder; holds
/// the holder's pid so a waiting build can say whom it waits for.
pub const LOCK_FILE: &str = ".livery-lock";
/// The site folders livery has written into this output folder, one id per line:
/// a folder that is not listed is somebody else's and is never replaced.
pub const SITES_FILE: &str = ".livery-sites";

/// The output folder, locked for the whole of one build. The lock is released when
/// this value is dropped, or by the kernel if the process dies, so a killed build
/// never blocks the next one; what a killed build left behind (staging and retired
/// folders) is then safe to repair, because nobody else can be writing it.
pub struct OutputDir {
    dir: PathBuf,
    lock: File,
    sites: BTreeSet<String>,
}

impl OutputDir {
    /// Locks `dir` (creating it), waiting for another build that holds it unless
    /// `wait` is false. `on_wait` is told the holder's pid before waiting.
    pub fn lock(dir: &Path, wait: bool, on_wait: impl FnOnce(&str)) -> Result<OutputDir, Error> {
        fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let path = dir.join(LOCK_FILE);
        refuse_non_file(&path)?;
        let mut lock = fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                let holder = fs::read_to_string(&path).unwrap_or_default();
                let holder = holder.trim();
                let holder = if holder.is_empty() { "unknown" } else { holder };
                if !wait {
                    return Err(Error::Busy(format!(
                        "error: another livery build (pid {holder}) is writing to {}\n  = help: run the build again when it has finished, or without --no-wait to wait for it",
                        dir.display()
                    )));
                }
                on_wait(holder);
                lock.lock().map_err(|e| Error::io(&path, e))?;
            }
            Err(fs::TryLockError::Error(e)) => return Err(Error::io(&path, e)),
        }
        lock.set_len(0).map_err(|e| Error::io(&path, e))?;
        writeln!(lock, "{}", std::process::id()).map_err(|e| Error::io(&path, e))?;
        let sites_path = dir.join(SITES_FILE);
        refuse_non_file(&sites_path)?;
        let sites = match fs::read_to_string(&sites_path) {
            Ok(text) => {
                text.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect()
            }
            Err(e) if e.kind() == ErrorKind::NotFound => BTreeSet::new(),
            Err(e) => return Err(Error::io(&sites_path, e)),
        };
        Ok(OutputDir { dir: dir.to_owned(), lock, sites })
    }

    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Refuses to publish over a folder livery did not write: `public/<id>` that
    /// exists but is not listed as one of ours.
    pub fn claim(&self, ids: &[&str]) -> Result<(), Error> {
        let foreign: Vec<Diagnostic> = ids
            .iter()
            .filter(|id| !self.sites.contains(**id) && fs::symlink_metadata(self.dir.join(id)).is_ok())
            .map(|id| {
                let path = self.dir.join(id);
                Diagnostic::new(&path, "this folder is in the way: it was not written by livery")
                    .help(format!(
                        "livery replaces the whole folder of a partner's site and will not replace one it did not create; move {} elsewhere (or delete it if it is an old livery build) and build again",
                        path.display()
                    ))
            })
            .collect();
        if foreign.is_empty() { Ok(()) } else { Err(Error::Project(foreign)) }
    }

    /// Records `ids` as livery's own before their folders are first written.
    fn record(&mut self, ids: impl IntoIterator<Item = String>) -> Result<(), Error> {
        let before = self.sites.len();
        self.sites.extend(ids);
        if self.sites.len() == before && self.dir.join(SITES_FILE).is_file() {
            return Ok(());
        }
        let mut text = String::from("# Site folders written by livery; it replaces only these.\n");
        for id in &self.sites {
            text.push_str(id);
            text.push('\n');
        }
        let path = self.dir.join(SITES_FILE);
        let temporary = self.dir.join(format!("{SITES_FILE}.tmp"));
        fs::write(&temporary, text).map_err(|e| Error::io(&temporary, e))?;
        fs::rename(&temporary, &path).map_err(|e| Error::io(&path, e))
    }
}

impl Drop for OutputDir {
    fn drop(&mut self) {
        let _ = self.lock.set_len(0);
    }
}

/// livery's own files in the output folder must be plain files: a symlink there
/// would make it write (or truncate) a file elsewhere.
fn refuse_non_file(path: &Path) -> Result<(), Error> {
    match fs::symlink_metadata(path) {
        Ok(meta) if !meta.file_type().is_file() => Err(Error::Project(vec![
            Diagnostic::new(path, format!("{} is not a plain file", path.display()))
                .help("livery keeps this file in its output folder; remove whatever is there and build again"),
        ])),
        _ => Ok(()),
    }
}

/// A partner site ready to publish: fully written to its staging folder, or
/// identical to what is already published (then publishing does nothing).
#[derive(Debug)]
pub struct Staged {
    staging: Option<PathBuf>,
    target: PathBuf,
    /// How the staging folder is published: swapped in whole, or, for a small change
    /// to a published site, its files moved into the site one by one.
    publish: Publish,
    pub written: usize,
    pub unchanged: usize,
    /// Site paths of the files written because their bytes changed.
    pub changed: Vec<String>,
}

#[derive(Debug, PartialEq, Eq)]
enum Publish {
    /// The staging folder is the whole new site: swapped in at once.
    Swap,
    /// The staging folder holds only these files (site paths); the rest of the site is
    /// published already and stays.
    Patch(Vec<String>),
}

/// A change to at most one in this many of a site's files is published file by file,
/// each file replaced atomically; a bigger one is staged whole and swapped in, so that
/// readers never see a site half old, half new.
const PATCH_SHARE: usize = 10;

fn staging_dir(out_dir: &Path, id: &str) -> PathBuf {
    out_dir.join(format!(".{id}.staging"))
}

fn retired_dir(out_dir: &Path, id: &str) -> PathBuf {
    out_dir.join(format!(".{id}.old"))
}

pub fn stage(output: &OutputDir, id: &str, files: &[OutputFile]) -> Result<Staged, Error> {
    let out_dir = output.path();
    recover(output, id)?;
    let staging = staging_dir(out_dir, id);
    // A full disk must not stay full because of us: whatever failed, the half-written
    // staging folder goes.
    stage_into(out_dir, id, files).inspect_err(|_| {
        let _ = fs::remove_dir_all(&staging);
    })
}

fn stage_into(out_dir: &Path, id: &str, files: &[OutputFile]) -> Result<Staged, Error> {
    let target = out_dir.join(id);
    let staging = staging_dir(out_dir, id);

    // Compare first (reads only, in parallel): an unchanged site is not touched at all.
    // With nothing published yet there is nothing to compare with.
    let nothing_published = !target.is_dir();
    let contents: Vec<(Cow<[u8]>, bool)> = files
        .par_iter()
        .map(|file| {
            let bytes = match &file.contents {
                Contents::Published => return Ok((Cow::Borrowed(&[][..]), true)),
                Contents::Text(text) => Cow::Borrowed(text.as_bytes()),
                Contents::Bytes(bytes) => Cow::Borrowed(bytes.as_slice()),
                Contents::Static(bytes) => Cow::Borrowed(*bytes),
                Contents::Copy(source) => {
                    Cow::Owned(fs::read(source).map_err(|e| Error::io(source, e))?)
                }
            };
            let same = !nothing_published && same_bytes(&target.join(&file.path), &bytes);
            Ok((bytes, same))
        })
        .collect::<Result<_, Error>>()?;
    let unchanged = contents.iter().filter(|(_, same)| *same).count();
    // Files the build cache knows to be published mean the site's files are the same
    // set as before: nothing to remove, so a small change can be patched in.
    let keeps_published = files.iter().any(|f| f.contents == Contents::Published);
    let to_write = files.len() - unchanged;
    let small = to_write * PATCH_SHARE <= files.len();
    // Without the cache, the same holds when the published site has exactly these
    // files: each is either unchanged or there to be replaced, and no other is there.
    let same_files = || {
        count_files(&target) == files.len()
            && files
                .iter()
                .zip(&contents)
                .all(|(f, (_, same))| *same || target.join(&f.path).is_file())
    };
    let same_set = keeps_published || (!nothing_published && small && same_files());
    if to_write == 0 && same_set {
        return Ok(Staged {
            staging: None,
            target,
            publish: Publish::Swap,
            written: 0,
            unchanged,
            changed: Vec::new(),
        });
    }
    let changed: Vec<String> = files
        .iter()
        .zip(&contents)
        .filter(|(_, (_, same))| !same)
        .map(|(f, _)| f.path.clone())
        .collect();
    if same_set && small {
        for (file, (bytes, same)) in files.iter().zip(&contents) {
            if *same {
                continue;
            }
            let destination = staging.join(&file.path);
            if let Some(parent) = destination.parent() {
                fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
            }
            fs::write(&destination, bytes).map_err(|e| Error::io(&destination, e))?;
        }
        return Ok(Staged {
            staging: Some(staging),
            target,
            publish: Publish::Patch(changed.clone()),
            written: to_write,
            unchanged,
            changed,
        });
    }

    let mut dirs: Vec<&Path> = files.iter().filter_map(|f| Path::new(&f.path).parent()).collect();
    dirs.sort();
    dirs.dedup();
    dirs.par_iter().try_for_each(|dir| {
        let dir = staging.join(dir);
        fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))
    })?;
    files.par_iter().zip(&contents).try_for_each(|(file, (bytes, same))| {
        let destination = staging.join(&file.path);
        // A hard link keeps an unchanged file's mtime (and costs no copy).
        if *same && fs::hard_link(target.join(&file.path), &destination).is_ok() {
            return Ok(());
        }
        if file.contents == Contents::Published {
            let published = target.join(&file.path);
            return Err(Error::io(
                &published,
                std::io::Error::other(
                    "the published file went missing during the build; build again",
                ),
            ));
        }
        fs::write(&destination, bytes).map_err(|e| Error::io(&destination, e))
    })?;
    Ok(Staged {
        staging: Some(staging),
        target,
        publish: Publish::Swap,
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
            Contents::Text(text) => Cow::Borrowed(text.as_bytes()),
            Contents::Bytes(bytes) => Cow::Borrowed(bytes.as_slice()),
            Contents::Static(bytes) => Cow::Borrowed(*bytes),
            Contents::Copy(source) => {
                Cow::Owned(fs::read(source).map_err(|e| Error::io(source, e))?)
            }
            Contents::Published => {
                unchanged += 1;
                continue;
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
    Ok(Staged {
        staging: None,
        target,
        publish: Publish::Swap,
        written: changed.len(),
        unchanged,
        changed,
    })
}

/// Swaps every staged site into place, all or none. On Linux each swap is one atomic
/// exchange of the two folders, so `public/<id>` is at every instant either the old
/// site or the new one, even if the process is killed; elsewhere it is two renames,
/// and a build killed between them is repaired by the next one (`recover`). If a swap
/// fails, the ones already done are swapped back before the error is returned.
/// Previous sites are removed only once every new one is in place; a previous site
/// that cannot be removed is a warning, since every partner is published.
pub fn commit(output: &mut OutputDir, staged: Vec<Staged>) -> Result<Vec<Diagnostic>, Error> {
    commit_with(output, staged, &|staging, target| swap_in(staging, target))
}

/// Puts one staged site in place (a parameter so tests can make one fail).
type SwapIn = dyn Fn(&Path, &Path) -> std::io::Result<Swap>;

/// How one site was put in place, so it can be undone.
enum Swap {
    /// Staging and target exchanged: the staging folder holds the previous site.
    Exchanged { staging: PathBuf, target: PathBuf },
    /// The previous site (if any) renamed to `retired`, the staging folder to target.
    Moved { staging: PathBuf, target: PathBuf, retired: Option<PathBuf> },
}

fn commit_with(
    output: &mut OutputDir,
    staged: Vec<Staged>,
    swap_in: &SwapIn,
) -> Result<Vec<Diagnostic>, Error> {
    output.record(staged.iter().map(|site| dir_name(&site.target)))?;
    let (patches, staged): (Vec<Staged>, Vec<Staged>) =
        staged.into_iter().partition(|site| matches!(site.publish, Publish::Patch(_)));
    let pending: Vec<(PathBuf, PathBuf)> = staged
        .into_iter()
        .filter_map(|site| site.staging.map(|staging| (staging, site.target)))
        .collect();
    let mut done: Vec<Swap> = Vec::new();
    for (index, (staging, target)) in pending.iter().enumerate() {
        match swap_in(staging, target) {
            Ok(swap) => done.push(swap),
            Err(source) => {
                let mut outcome = Vec::new();
                for swap in done.into_iter().rev() {
                    let id = dir_name(swap.target());
                    let staging = swap.staging().to_owned();
                    match swap_back(swap) {
                        Ok(()) => {
                            let _ = fs::remove_dir_all(staging); // the new site, unpublished
                            outcome.push(format!("{id}: put back, still the previous version"));
                        }
                        Err(e) => outcome.push(format!(
                            "{id}: could not be put back ({e}): it is the NEW version"
                        )),
                    }
                }
                outcome.reverse();
                outcome.push(format!(
                    "{}: not published, still the previous version",
                    dir_name(target)
                ));
                for (staging, target) in &pending[index + 1..] {
                    let _ = fs::remove_dir_all(staging);
                    outcome.push(format!(
                        "{}: not published, still the previous version",
                        dir_name(target)
                    ));
                }
                let _ = fs::remove_dir_all(staging);
                return Err(Error::Publish { path: target.clone(), source, outcome });
            }
        }
    }
    // Removing the previous sites is most of what publishing costs (a file and a
    // folder per page): done in parallel, as one site's removal waits on the disk.
    let warnings = done
        .into_par_iter()
        .filter_map(|swap| {
            let id = dir_name(swap.target());
            let previous = match swap {
                Swap::Exchanged { staging, .. } => Some(staging),
                Swap::Moved { retired, .. } => retired,
            }?;
            let e = remove_if_present(&previous).err()?;
            Some(Diagnostic::new(&previous, format!("published {id}, but could not remove {id}'s previous site: {e}"))
                .help(format!("remove {} by hand (check its permissions, and `lsattr` for immutable files); the next build refuses to start while it is there", previous.display()))
                .warning())
        })
        .collect();
    // Patches last: a failed swap above leaves every site as it was.
    for site in patches {
        apply_patch(site)?;
    }
    Ok(warnings)
}

/// Moves a patch's files into the published site, each by one atomic rename, then
/// removes its staging folder.
fn apply_patch(site: Staged) -> Result<(), Error> {
    let (Some(staging), Publish::Patch(paths)) = (site.staging, site.publish) else {
        return Ok(());
    };
    for (done, path) in paths.iter().enumerate() {
        let destination = site.target.join(path);
        let moved = destination
            .parent()
            .map_or(Ok(()), fs::create_dir_all)
            .and_then(|()| fs::rename(staging.join(path), &destination));
        if let Err(source) = moved {
            let _ = fs::remove_dir_all(&staging);
            return Err(Error::Publish {
                path: destination,
                source,
                outcome: vec![format!(
                    "{}: {done} of {} changed files published; build again to finish",
                    dir_name(&site.target),
                    paths.len()
                )],
            });
        }
    }
    let _ = fs::remove_dir_all(&staging);
    Ok(())
}

impl Swap {
    fn target(&self) -> &Path {
        match self {
            Swap::Exchanged { target, .. } | Swap::Moved { target, .. } => target,
        }
    }

    fn staging(&self) -> &Path {
        match self {
            Swap::Exchanged { staging, .. } | Swap::Moved { staging, .. } => staging,
        }
    }
}

fn swap_in(staging: &Path, target: &Path) -> std::io::Result<Swap> {
    let (staging, target) = (staging.to_owned(), target.to_owned());
    if target.exists() && exchange(&staging, &target).is_ok() {
        return Ok(Swap::Exchanged { staging, target });
    }
    let retired = if target.exists() {
        let out_dir = target.parent().unwrap_or(Path::new("."));
        let retired = retired_dir(out_dir, &dir_name(&target));
        if retired.exists() {
            fs::remove_dir_all(&retired)?;
        }
        fs::rename(&target, &retired)?;
        Some(retired)
    } else {
        None
    };
    if let Err(e) = fs::rename(&staging, &target) {
        if let Some(retired) = &retired {
            let _ = fs::rename(retired, &target);
        }
        return Err(e);
    }
    Ok(Swap::Moved { staging, target, retired })
}

fn swap_back(swap: Swap) -> std::io::Result<()> {
    match swap {
        Swap::Exchanged { staging, target } => exchange(&staging, &target),
        Swap::Moved { staging, target, retired } => {
            fs::rename(&target, &staging)?;
            match retired {
                Some(retired) => fs::rename(retired, target),
                None => Ok(()),
            }
        }
    }
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
/// Holding the output folder's lock is what makes this safe: no live build can own them.
fn recover(output: &OutputDir, id: &str) -> Result<(), Error> {
    let out_dir = output.path();
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

/// Removes `dir` and everything in it, its top-level entries in parallel.
fn remove_if_present(dir: &Path) -> Result<(), Error> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries.collect::<Result<Vec<_>, _>>().map_err(|e| Error::io(dir, e))?,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(dir, e)),
    };
    entries.into_par_iter().try_for_each(|entry| {
        let path = entry.path();
        // Never followed: a symlink is removed, not what it points at.
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        let removed = if is_dir { fs::remove_dir_all(&path) } else { fs::remove_file(&path) };
        match removed {
            Err(e) if e.kind() != ErrorKind::NotFound => Err(Error::io(&path, e)),
            _ => Ok(()),
        }
    })?;
    match fs::remove_dir(dir) {
        Err(e) if e.kind() != ErrorKind::NotFound => Err(Error::io(dir, e)),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(out: &Path, id: &str, version: &str) -> Staged {
        for dir in [out.join(id), staging_dir(out, id)] {
            fs::create_dir_all(&dir).unwrap();
        }
        fs::write(out.join(id).join("index.html"), "old").unwrap();
        fs::write(staging_dir(out, id).join("index.html"), version).unwrap();
        Staged {
            staging: Some(staging_dir(out, id)),
            target: out.join(id),
            publish: Publish::Swap,
            written: 1,
            unchanged: 0,
            changed: vec!["index.html".into()],
        }
    }

    #[test]
    fn a_failed_swap_puts_back_the_partners_already_swapped() {
        let out = tempfile::tempdir().unwrap();
        let mut output = OutputDir::lock(out.path(), false, |_| {}).unwrap();
        let staged = ["acme", "globex", "helios"].map(|id| site(out.path(), id, "new")).into();
        let failing = |staging: &Path, target: &Path| {
            if target.ends_with("helios") {
                Err(std::io::Error::from(ErrorKind::PermissionDenied))
            } else {
                swap_in(staging, target)
            }
        };
        let error = commit_with(&mut output, staged, &failing).unwrap_err();
        for id in ["acme", "globex", "helios"] {
            assert_eq!(fs::read_to_string(out.path().join(id).join("index.html")).unwrap(), "old");
            assert!(!staging_dir(out.path(), id).exists(), "{id}'s staging folder is left");
        }
        let message = error.to_string();
        assert!(message.contains("could not publish"), "{message}");
        assert!(message.contains("acme: put back, still the previous version"), "{message}");
        assert!(message.contains("globex: put back, still the previous version"), "{message}");
        assert!(message.contains("helios: not published, still the previous version"), "{message}");
    }

    #[test]
    fn every_site_is_swapped_when_all_swaps_succeed() {
        let out = tempfile::tempdir().unwrap();
        let mut output = OutputDir::lock(out.path(), false, |_| {}).unwrap();
        let staged = ["acme", "globex"].map(|id| site(out.path(), id, "new")).into();
        assert!(commit(&mut output, staged).unwrap().is_empty());
        for id in ["acme", "globex"] {
            assert_eq!(fs::read_to_string(out.path().join(id).join("index.html")).unwrap(), "new");
            assert!(!staging_dir(out.path(), id).exists());
        }
        let sites = fs::read_to_string(out.path().join(SITES_FILE)).unwrap();
        assert!(sites.lines().any(|l| l == "acme") && sites.lines().any(|l| l == "globex"));
    }
}
