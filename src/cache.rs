//! What one build remembers for the next. The dev server keeps it in memory; `livery
//! build` keeps it in `.livery/cache/` in the project (`--no-cache` bypasses it; the
//! folder is safe to delete). It holds parsed pages by file and text hash, and per
//! partner the hashes that say which pages must be rendered again.
//!
//! Whether a cached value still holds is decided by hashes of what produced it, never
//! by trusting the cache: a page is parsed again when its text changed, a partner's
//! site is rendered in full when anything that shapes every page changed (templates,
//! navigation, brand, strings, partner.toml), and a page is kept from the published
//! site only when its own content hash and the published file's size and mtime are the
//! ones recorded. The whole cache is dropped when livery itself changed (version and
//! executable) or the output folder is another one.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::model::page::Page;

use crate::parse::highlight::Highlighter;
use crate::parse::page::ParseCache;

/// The cache folder, relative to the project root. It holds `key` (the livery and the
/// output folder it was written for), `pages/` (one file per parsed page, written only
/// when the page changed) and `partners/` (one memo per partner).
pub const CACHE_DIR: &str = ".livery/cache";

#[derive(Default)]
pub struct Cache {
    /// Loading the syntax set takes a noticeable part of a small rebuild.
    pub(crate) highlighter: Option<Highlighter>,
    /// The livery that wrote the cache: its version and executable.
    key: String,
    /// The output folder the partner memos describe.
    pub(crate) out_dir: Option<PathBuf>,
    pub(crate) parsed: ParseCache,
    pub(crate) partners: HashMap<String, PartnerMemo>,
    /// The text hash of each page as loaded, so that saving writes only what changed.
    stored: HashMap<PathBuf, u64>,
}

/// `key`: whose cache this is.
#[derive(Serialize, Deserialize, PartialEq)]
struct Key {
    livery: String,
    out_dir: Option<PathBuf>,
}

/// One file of `pages/`.
#[derive(Deserialize)]
struct StoredPage {
    path: PathBuf,
    text_hash: u64,
    page: Page,
}

/// A `StoredPage` to write, borrowing the cache's page.
#[derive(Serialize)]
struct PageToStore<'a> {
    path: &'a Path,
    text_hash: u64,
    page: &'a Page,
}

/// A partner's last build: the hash of everything that shapes every page (templates,
/// navigation, brand, strings), each page's own content hash and published file by
/// URL, and the site paths of the content files (images, attachments) it published.
#[derive(Serialize, Deserialize)]
pub(crate) struct PartnerMemo {
    pub(crate) structure: u64,
    pub(crate) pages: HashMap<String, PageMemo>,
    pub(crate) assets: BTreeSet<String>,
}

/// One page as published: its content hash, and the size and modification time of
/// its file, which tell whether somebody changed the file since.
#[derive(Serialize, Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct PageMemo {
    pub(crate) hash: u64,
    pub(crate) file: Option<FileStamp>,
}

#[derive(Serialize, Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct FileStamp {
    len: u64,
    modified_ns: i128,
}

impl FileStamp {
    pub(crate) fn of(path: &Path) -> Option<FileStamp> {
        let metadata = std::fs::symlink_metadata(path).ok().filter(|m| m.is_file())?;
        let modified = metadata.modified().ok()?;
        let modified_ns = match modified.duration_since(std::time::UNIX_EPOCH) {
            Ok(after) => after.as_nanos() as i128,
            Err(before) => -(before.duration().as_nanos() as i128),
        };
        Some(FileStamp { len: metadata.len(), modified_ns })
    }
}

/// This livery: a rebuilt binary of the same version must not trust what another wrote.
fn livery_key() -> String {
    let exe = std::env::current_exe().ok();
    let stamp = exe.as_deref().and_then(FileStamp::of);
    format!("{} {:?}", env!("CARGO_PKG_VERSION"), stamp.map(|s| (s.len, s.modified_ns)))
}

impl Cache {
    /// An empty cache for this livery.
    pub fn new() -> Cache {
        Cache { key: livery_key(), ..Cache::default() }
    }

    /// The project's cache, or an empty one when there is none or it cannot be used
    /// (another livery wrote it, it is damaged): a cache never fails a build. Pages are
    /// read in parallel; a damaged page file only costs that page a parse.
    pub fn load(root: &Path) -> Cache {
        let dir = root.join(CACHE_DIR);
        let mut cache = Cache::new();
        let key: Option<Key> =
            std::fs::read(dir.join("key")).ok().and_then(|b| serde_json::from_slice(&b).ok());
        let Some(key) = key.filter(|key| key.livery == cache.key) else { return cache };
        cache.out_dir = key.out_dir;
        let files: Vec<PathBuf> = std::fs::read_dir(dir.join("pages"))
            .into_iter()
            .flatten()
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .collect();
        let pages: Vec<StoredPage> = files
            .par_iter()
            .filter_map(|file| serde_json::from_slice(&std::fs::read(file).ok()?).ok())
            .collect();
        for stored in pages {
            cache.stored.insert(stored.path.clone(), stored.text_hash);
            cache.parsed.insert(stored.path, (stored.text_hash, stored.page));
        }
        let memos: Vec<(String, PartnerMemo)> = std::fs::read_dir(dir.join("partners"))
            .into_iter()
            .flatten()
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .collect::<Vec<_>>()
            .par_iter()
            .filter_map(|file| {
                let key = memo_key(file.file_stem()?.to_str()?);
                Some((key, serde_json::from_slice(&std::fs::read(file).ok()?).ok()?))
            })
            .collect();
        cache.partners.extend(memos);
        cache
    }

    /// Writes what changed since the cache was loaded, each file to a temporary name
    /// first and then renamed, so a reader never sees half of one. A cache that cannot
    /// be written is a warning for the caller to show.
    pub fn save(&mut self, root: &Path) -> Result<(), String> {
        let dir = root.join(CACHE_DIR);
        self.write(&dir).map_err(|e| {
            format!("could not write the build cache in {}: {e}", Path::new(CACHE_DIR).display())
        })
    }

    fn write(&mut self, dir: &Path) -> std::io::Result<()> {
        let (pages, partners) = (dir.join("pages"), dir.join("partners"));
        std::fs::create_dir_all(&pages)?;
        std::fs::create_dir_all(&partners)?;
        let key = Key { livery: self.key.clone(), out_dir: self.out_dir.clone() };
        write_atomically(
            &dir.join("key"),
            &serde_json::to_vec(&key).map_err(std::io::Error::other)?,
        )?;
        let page_file = |path: &Path| {
            let hash = xxhash_rust::xxh3::xxh3_64(path.as_os_str().as_encoded_bytes());
            pages.join(format!("{hash:016x}.json"))
        };
        let changed: Vec<(&PathBuf, &(u64, Page))> = self
            .parsed
            .iter()
            .filter(|(path, (hash, _))| self.stored.get(*path) != Some(hash))
            .collect();
        changed.par_iter().try_for_each(|(path, (text_hash, page))| {
            let stored = PageToStore { path, text_hash: *text_hash, page };
            write_atomically(
                &page_file(path),
                &serde_json::to_vec(&stored).map_err(std::io::Error::other)?,
            )
        })?;
        // Pages gone since: their files go too.
        let wanted: std::collections::HashSet<PathBuf> =
            self.parsed.keys().map(|p| page_file(p)).collect();
        for entry in std::fs::read_dir(&pages)?.flatten() {
            if !wanted.contains(&entry.path()) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
        self.stored = self.parsed.iter().map(|(path, (hash, _))| (path.clone(), *hash)).collect();
        for entry in std::fs::read_dir(&partners)?.flatten() {
            let key = entry.path().file_stem().and_then(|s| s.to_str()).map(memo_key);
            if !key.is_some_and(|key| self.partners.contains_key(&key)) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
        self.partners.par_iter().try_for_each(|(key, memo)| {
            write_atomically(
                &partners.join(format!("{}.json", memo_file_stem(key))),
                &serde_json::to_vec(memo).map_err(std::io::Error::other)?,
            )
        })
    }

    /// Forgets the partner memos when they describe another output folder.
    pub(crate) fn for_output(&mut self, out_dir: &Path) {
        let out_dir = std::path::absolute(out_dir).unwrap_or_else(|_| out_dir.to_owned());
        if self.out_dir.as_deref() != Some(out_dir.as_path()) {
            self.partners.clear();
            self.out_dir = Some(out_dir);
        }
    }
}

/// A memo's key (`acme`, or `acme/de/17/` for one of a partner's sites) as a file
/// name: `/` becomes `+`, which no partner id, language tag or version name contains.
fn memo_file_stem(key: &str) -> String {
    key.replace('/', "+")
}

fn memo_key(file_stem: &str) -> String {
    file_stem.replace('+', "/")
}

fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(format!(".{}.tmp", std::process::id()));
    std::fs::write(&temporary, bytes)?;
    std::fs::rename(&temporary, path)
}
