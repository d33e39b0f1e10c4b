//! A file of a finished site, as the emit stage hands it to `write`.

use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Contents {
    /// A file rendered here: a page, the sitemap (text needs no check to be read as such).
    Text(String),
    Bytes(Vec<u8>),
    /// A file published unchanged, copied from its source.
    Copy(PathBuf),
    /// A file of a built-in theme.
    Static(&'static [u8]),
    /// Unchanged since the last build, as the build cache knows without reading it:
    /// linked from the published site into the staged one.
    Published,
}

/// A file of the finished site, at a path relative to the site root.
#[derive(Debug, Clone)]
pub struct OutputFile {
    pub path: String,
    pub contents: Contents,
}
