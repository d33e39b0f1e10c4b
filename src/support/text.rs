//! Reading project files safely (regular files only, size-limited, UTF-8) and TOML
//! with locations relative to the whole file; the naming rules of ids and paths.

use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use crate::error::Diagnostic;

/// Text files larger than this are refused before they are read: no page, template,
/// language or config file comes near it, and reading a runaway file (a log, a dump,
/// a device) would only exhaust memory.
pub const MAX_TEXT_FILE_BYTES: u64 = 32 * 1024 * 1024;

/// Reads a project file as UTF-8, dropping a byte-order mark.
pub fn read_text(root: &Path, relative: &Path) -> Result<String, Diagnostic> {
    let bytes = read_regular_file(&root.join(relative), MAX_TEXT_FILE_BYTES)
        .map_err(|problem| problem.diagnostic(relative))?;
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..3);
            }
            Ok(text)
        }
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let valid = String::from_utf8_lossy(&e.as_bytes()[..offset]).into_owned();
            Err(Diagnostic::new(
                relative,
                format!("the file is not valid UTF-8 (bad byte at offset {offset})"),
            )
            .at_offset(&valid, offset)
            .help("save the file as UTF-8"))
        }
    }
}

/// Why a file could not be read.
#[derive(Debug)]
pub enum ReadProblem {
    /// A FIFO, socket, device or folder where a file was expected.
    NotRegular(&'static str),
    TooLarge(u64),
    Io(std::io::Error),
}

impl ReadProblem {
    pub fn diagnostic(&self, relative: &Path) -> Diagnostic {
        match self {
            ReadProblem::NotRegular(kind) => special_file(relative, kind),
            ReadProblem::TooLarge(bytes) => Diagnostic::new(
                relative,
                format!(
                    "the file is {:.1} MB; livery reads text files of at most {} MB",
                    *bytes as f64 / (1024.0 * 1024.0),
                    MAX_TEXT_FILE_BYTES / (1024 * 1024)
                ),
            )
            .help("split the file, or keep generated data out of the project"),
            ReadProblem::Io(error) => {
                Diagnostic::new(relative, format!("cannot read the file: {error}"))
            }
        }
    }
}

/// A FIFO, socket or device found where livery reads files: an error, never a read,
/// since opening a FIFO blocks until someone writes to it and a device never ends.
pub fn special_file(relative: &Path, kind: &str) -> Diagnostic {
    Diagnostic::new(relative, format!("this is {kind}, not a regular file")).help(
        "livery reads only regular files: replace it with a file, or move it out of the project",
    )
}

/// What kind of file `file_type` is, in words, if it is not a regular file.
pub fn special_kind(file_type: std::fs::FileType) -> Option<&'static str> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if file_type.is_socket() {
            return Some("a socket");
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return Some("a device");
        }
    }
    if file_type.is_dir() {
        return Some("a folder");
    }
    (!file_type.is_file()).then_some("something other than a file")
}

/// The bytes of the regular file at `path`, at most `limit` of them. The type is checked
/// before opening, and again on the opened file (opened non-blocking where the platform
/// allows it), so swapping in a FIFO between the two cannot hang the build either.
pub fn read_regular_file(path: &Path, limit: u64) -> Result<Vec<u8>, ReadProblem> {
    use std::io::Read;
    let check = |metadata: &std::fs::Metadata| match special_kind(metadata.file_type()) {
        Some(kind) => Err(ReadProblem::NotRegular(kind)),
        None if metadata.len() > limit => Err(ReadProblem::TooLarge(metadata.len())),
        None => Ok(()),
    };
    check(&std::fs::metadata(path).map_err(ReadProblem::Io)?)?;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
    }
    let file = options.open(path).map_err(ReadProblem::Io)?;
    let metadata = file.metadata().map_err(ReadProblem::Io)?;
    check(&metadata)?;
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    file.take(limit + 1).read_to_end(&mut bytes).map_err(ReadProblem::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadProblem::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Deserializes a whole TOML file, turning a syntax or schema error into a located diagnostic.
pub fn parse_toml<T: DeserializeOwned>(path: &Path, text: &str) -> Result<T, Diagnostic> {
    parse_toml_in(path, text, 0..text.len())
}

/// Deserializes the TOML in `range` of a file (front matter), with locations
/// relative to the whole file, never to the block.
pub fn parse_toml_in<T: DeserializeOwned>(
    path: &Path,
    file_text: &str,
    range: Range<usize>,
) -> Result<T, Diagnostic> {
    toml::from_str(&file_text[range.clone()]).map_err(|error| {
        let message = error.message().trim().to_owned();
        let mut diagnostic = Diagnostic::new(path, message.clone());
        if let Some(span) = error.span() {
            diagnostic = diagnostic.at_offset(file_text, range.start + span.start);
        }
        diagnostic.help(toml_help(&message))
    })
}

fn toml_help(message: &str) -> &'static str {
    if message.contains("unknown field") {
        "remove or rename the key; the README lists every key livery reads"
    } else if message.contains("invalid type") || message.contains("missing field") {
        "fix the value (strings are quoted, numbers are not, lists use [ ]); the README lists every key"
    } else {
        "fix the TOML syntax at this place"
    }
}

/// The rule for partner ids and theme names, as every message states it.
pub const ID_RULE: &str =
    "use lowercase letters, digits, `-` and `_`, starting with a letter or digit";

/// Partner ids and theme names become folder names and URL paths.
pub fn is_valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

pub fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or_default();
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_lowercase())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// A relative path that stays inside its base folder, or None.
pub fn safe_relative_path(value: &str) -> Option<PathBuf> {
    let path = Path::new(value);
    let mut clean = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::Normal(part) => clean.push(part),
            std::path::Component::CurDir => {}
            _ => return None,
        }
    }
    (!clean.as_os_str().is_empty()).then_some(clean)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_regular_files_within_the_limit_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.toml");
        std::fs::write(&file, "12345").unwrap();
        assert_eq!(read_regular_file(&file, 5).unwrap(), b"12345");
        assert!(matches!(read_regular_file(&file, 4), Err(ReadProblem::TooLarge(5))));
        assert!(matches!(
            read_regular_file(dir.path(), 4),
            Err(ReadProblem::NotRegular("a folder"))
        ));
        #[cfg(unix)]
        assert!(matches!(
            read_regular_file(Path::new("/dev/zero"), 4),
            Err(ReadProblem::NotRegular("a device"))
        ));
    }

    #[test]
    fn partner_ids_are_url_safe() {
        assert!(is_valid_id("acme"));
        assert!(is_valid_id("acme-eu_2"));
        assert!(!is_valid_id("Acme"));
        assert!(!is_valid_id("-acme"));
        assert!(!is_valid_id("ac me"));
        assert!(!is_valid_id(""));
    }

    #[test]
    fn language_tags() {
        assert!(is_language_tag("en"));
        assert!(is_language_tag("fr-CA"));
        assert!(!is_language_tag("english"));
        assert!(!is_language_tag(""));
    }

    #[test]
    fn relative_paths_cannot_escape() {
        assert_eq!(safe_relative_path("img/logo.svg"), Some(PathBuf::from("img/logo.svg")));
        assert_eq!(safe_relative_path("../../etc/passwd"), None);
        assert_eq!(safe_relative_path("/etc/passwd"), None);
        assert_eq!(safe_relative_path(""), None);
    }
}
