//! A small fixture harness: a project in a temporary folder, built with the real
//! default theme, via the library or the real binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

use tempfile::TempDir;
use walkdir::WalkDir;

pub struct Fixture {
    dir: TempDir,
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

impl Fixture {
    /// An empty folder.
    pub fn empty() -> Self {
        Fixture { dir: tempfile::tempdir().expect("temp dir") }
    }

    /// A small valid project: the default theme, two partners (alpha, beta), three pages.
    pub fn new() -> Self {
        let fixture = Fixture::empty();
        fixture.copy_dir(&repo_root().join("themes/default"), "themes/default");
        fixture
            .file("livery.toml", "title = \"Test KB\"\n")
            .file(
                "partners/alpha/partner.toml",
                "name = \"Alpha Hosting\"\nbase_url = \"https://help.alpha.test\"\n\n[brand]\nprimary = \"#123456\"\nlogo = \"logo.svg\"\n\n[contact]\nsupport_email = \"help@alpha.test\"\n",
            )
            .file("partners/alpha/static/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>")
            .file(
                "partners/beta/partner.toml",
                "name = \"Beta Retail\"\nbase_url = \"https://kb.beta.test/docs/\"\n\n[brand]\nprimary = \"#654321\"\n",
            )
            .file("content/_index.md", "+++\ntitle = \"Welcome\"\n+++\nStart with the [runbooks](runbooks/_index.md).\n")
            .file("content/runbooks/_index.md", "+++\ntitle = \"Runbooks\"\nweight = 1\n+++\n")
            .file(
                "content/runbooks/restore.md",
                "+++\ntitle = \"Restore a backup\"\nweight = 1\nowner = \"dba\"\nlast_reviewed = 2026-10-01\n+++\nSee [failover](failover.md#promote).\n\n## Verify the restore\n\nDone.\n",
            )
            .file("content/runbooks/failover.md", "# Fail over\n\n## Promote {#promote}\n\nText.\n");
        fixture
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn file(&self, relative: &str, text: &str) -> &Self {
        self.bytes(relative, text.as_bytes())
    }

    pub fn bytes(&self, relative: &str, bytes: &[u8]) -> &Self {
        let path = self.path().join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
        self
    }

    pub fn remove(&self, relative: &str) -> &Self {
        std::fs::remove_file(self.path().join(relative)).unwrap();
        self
    }

    pub fn copy_dir(&self, from: &Path, to: &str) {
        for entry in WalkDir::new(from) {
            let entry = entry.unwrap();
            let target = self.path().join(to).join(entry.path().strip_prefix(from).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&target).unwrap();
            } else {
                std::fs::copy(entry.path(), &target).unwrap();
            }
        }
    }

    pub fn build(&self) -> Result<livery::BuildReport, livery::Error> {
        livery::build(&livery::BuildOptions { root: self.path().to_owned(), ..Default::default() })
    }

    /// Runs the real `livery` binary in the project folder.
    pub fn run(&self, args: &[&str]) -> Output {
        assert_cmd::Command::cargo_bin("livery")
            .unwrap()
            .current_dir(self.path())
            .args(args)
            .output()
            .unwrap()
    }

    /// Builds once cleanly, lets `breakage` break the project, builds again with the real
    /// binary, and returns stderr after checking the exit code (a hang fails after two
    /// minutes), that nothing panicked, and that the previous output is untouched.
    pub fn fails_after_good_build(&self, breakage: impl Fn(&Fixture)) -> String {
        self.build().unwrap();
        let good = self.snapshot("public");
        breakage(self);
        let output = assert_cmd::Command::cargo_bin("livery")
            .unwrap()
            .current_dir(self.path())
            .arg("build")
            .timeout(std::time::Duration::from_secs(120))
            .output()
            .unwrap();
        let message = stderr(&output);
        assert_eq!(output.status.code(), Some(1), "expected exit 1, stderr:\n{message}");
        assert!(!message.contains("panicked"), "{message}");
        assert_eq!(
            good,
            self.snapshot("public"),
            "a failed build must leave the previous output as it was"
        );
        assert_no_staging_folders(&self.path().join("public"));
        message
    }

    pub fn read(&self, relative: &str) -> String {
        let path = self.path().join(relative);
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    }

    pub fn exists(&self, relative: &str) -> bool {
        self.path().join(relative).exists()
    }

    pub fn html(&self, relative: &str) -> scraper::Html {
        scraper::Html::parse_document(&self.read(relative))
    }

    /// Every file under `relative`, with its bytes, sorted by path.
    pub fn snapshot(&self, relative: &str) -> Vec<(PathBuf, Vec<u8>)> {
        let base = self.path().join(relative);
        let mut files: Vec<_> = WalkDir::new(&base)
            .into_iter()
            .map(Result::unwrap)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                (e.path().strip_prefix(&base).unwrap().to_owned(), std::fs::read(e.path()).unwrap())
            })
            .collect();
        files.sort();
        files
    }
}

/// Texts of the elements matching `selector`.
pub fn select_text(html: &scraper::Html, selector: &str) -> Vec<String> {
    let selector = scraper::Selector::parse(selector).unwrap();
    html.select(&selector).map(|e| e.text().collect::<String>().trim().to_owned()).collect()
}

/// Values of `attribute` on the elements matching `selector`.
pub fn select_attr(html: &scraper::Html, selector: &str, attribute: &str) -> Vec<String> {
    let selector = scraper::Selector::parse(selector).unwrap();
    html.select(&selector).filter_map(|e| e.value().attr(attribute).map(str::to_owned)).collect()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Every file under `dir` (any folder), by relative path with `/`, with its bytes.
pub fn files_under(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let path = e.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
            (path, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// A finished build leaves nothing but the partner folders (and livery's lock and
/// list of sites) in the output folder.
pub fn assert_no_staging_folders(out: &Path) {
    let leftovers: Vec<_> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| {
            name.starts_with('.') && ![".livery-lock", ".livery-sites"].contains(&name.as_str())
        })
        .collect();
    assert!(leftovers.is_empty(), "staging folders left behind: {leftovers:?}");
}

/// Where `href`, written on the page published at `page` (a path of the site's host,
/// `/help/docs/guide/`), leads on that host.
pub fn follow(page: &str, href: &str) -> String {
    let href = href.split(['#', '?']).next().unwrap();
    let mut parts: Vec<&str> = page.trim_end_matches('/').split('/').collect();
    for part in href.split('/') {
        match part {
            ".." => {
                parts.pop();
            }
            "." => {}
            part => parts.push(part),
        }
    }
    parts.join("/")
}

/// Asserts that a one-page edit wrote that page and, of the search index, the
/// manifest, the one fragment file holding the page and a few term chunks: not the
/// whole index.
pub fn assert_page_and_its_search_files(changed: &[String], page: &str, what: &str) {
    let (search, other): (Vec<&String>, Vec<&String>) =
        changed.iter().partition(|path| path.starts_with("search/"));
    assert_eq!(other, [page], "{what}: {changed:?}");
    assert!(search.contains(&&"search/manifest.json".to_owned()), "{what}: {changed:?}");
    let fragments = search.iter().filter(|p| p.starts_with("search/f/")).count();
    let chunks = search.iter().filter(|p| p.starts_with("search/c/")).count();
    assert_eq!(fragments, 1, "{what}: one fragment file holds the page: {changed:?}");
    assert!(chunks <= 3, "{what}: a few term chunks, not all: {changed:?}");
}
