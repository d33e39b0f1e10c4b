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

use serde::{Deserialize, Serialize};

use crate::parse::highlight::Highlighter;
use crate::parse::page::ParseCache;

/// The cache folder, relative to the project root.
pub const CACHE_DIR: &str = ".livery/cache";
const CACHE_FILE: &str = "build.json";

#[derive(Default, Serialize, Deserialize)]
pub struct Cache {
    /// Loading the syntax set takes a noticeable part of a small rebuild.
    #[serde(skip)]
    pub(crate) highlighter: Option<Highlighter>,
    /// The livery that wrote the cache: its version and executable.
    key: String,
    /// The output folder the partner memos describe.
    pub(crate) out_dir: Option<PathBuf>,
    pub(crate) parsed: ParseCache,
    pub(crate) partners: HashMap<String, PartnerMemo>,
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
    /// (another livery wrote it, it is damaged): a cache never fails a build.
    pub fn load(root: &Path) -> Cache {
        let path = root.join(CACHE_DIR).join(CACHE_FILE);
        let stored: Option<Cache> =
            std::fs::read(&path).ok().and_then(|bytes| serde_json::from_slice(&bytes).ok());
        let key = livery_key();
        match stored {
            Some(cache) if cache.key == key => cache,
            _ => Cache { key, ..Cache::default() },
        }
    }

    /// Writes the cache (to a temporary file, then renamed, so a reader never sees half
    /// of one). A cache that cannot be written is a warning for the caller to show.
    pub fn save(&self, root: &Path) -> Result<(), String> {
        let dir = root.join(CACHE_DIR);
        let write = || -> std::io::Result<()> {
            std::fs::create_dir_all(&dir)?;
            let temporary = dir.join(format!("{CACHE_FILE}.{}.tmp", std::process::id()));
            let bytes = serde_json::to_vec(self).map_err(std::io::Error::other)?;
            std::fs::write(&temporary, bytes)?;
            std::fs::rename(&temporary, dir.join(CACHE_FILE))
        };
        write().map_err(|e| {
            format!("could not write the build cache in {}: {e}", Path::new(CACHE_DIR).display())
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
