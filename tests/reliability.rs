//! What operators rely on: the same input gives the same bytes whatever the thread
//! count, a build killed at any moment leaves every published site complete, and
//! `--shard` splits the partners of a CI matrix without overlap.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use common::Fixture;

/// xxh3 of every file under `dir`, by relative path.
fn hashes(dir: &Path) -> BTreeMap<String, u64> {
    common::files_under(dir)
        .into_iter()
        .map(|(path, bytes)| (path, xxhash_rust::xxh3::xxh3_64(&bytes)))
        .collect()
}

fn livery(project: &Fixture) -> Command {
    let mut command = Command::new(assert_cmd::cargo::cargo_bin("livery"));
    command.current_dir(project.path());
    command
}

/// A project of `pages` pages in sections of 40, with code, tables and links.
fn large_project(pages: usize, version: &str) -> Fixture {
    let project = Fixture::new();
    rewrite_pages(&project, pages, version);
    project
}

fn rewrite_pages(project: &Fixture, pages: usize, version: &str) {
    for i in 0..pages {
        let section = i / 40;
        let next = if i % 40 == 39 { i - 39 } else { i + 1 };
        project.file(
            &format!("content/s{section}/page-{i}.md"),
            &format!(
                "+++\ntitle = \"Page {i} {version}\"\nweight = {i}\n+++\n\nIntro {version} for page {i}. See [the next page](page-{next}.md#steps).\n\n## Steps\n\n- [ ] check the service\n- [ ] restart it\n\n```sh\nkubectl rollout restart deploy/api-{i}\n```\n\n| a | b |\n|---|---|\n| {i} | {version} |\n"
            ),
        );
    }
}

#[test]
fn output_is_byte_identical_with_one_thread_or_many() {
    let project = large_project(120, "v1");
    let one = livery(&project)
        .args(["build", "-q", "--out", "one"])
        .env("RAYON_NUM_THREADS", "1")
        .status()
        .unwrap();
    let many = livery(&project)
        .args(["build", "-q", "--out", "many"])
        .env("RAYON_NUM_THREADS", "8")
        .status()
        .unwrap();
    assert!(one.success() && many.success());
    let one = hashes(&project.path().join("one"));
    assert!(one.len() > 250, "only {} files", one.len());
    assert_eq!(one, hashes(&project.path().join("many")));
}

#[test]
fn a_build_killed_at_any_moment_leaves_each_published_site_complete() {
    let project = large_project(600, "v1");
    assert!(livery(&project).args(["build", "-q"]).status().unwrap().success());
    let old: Vec<_> =
        ["alpha", "beta"].map(|id| hashes(&project.path().join("public").join(id))).into();
    rewrite_pages(&project, 600, "v2");
    let started = std::time::Instant::now();
    assert!(
        livery(&project).args(["build", "-q", "--out", "expected"]).status().unwrap().success()
    );
    let full_build = started.elapsed();
    let new: Vec<_> =
        ["alpha", "beta"].map(|id| hashes(&project.path().join("expected").join(id))).into();

    // Kills spread over the whole build: loading, rendering, staging, publishing.
    for percent in [5, 20, 40, 60, 75, 85, 90, 95, 100, 105] {
        let delay_ms = full_build.as_millis() as u64 * percent / 100;
        let mut child = livery(&project).args(["build", "-q"]).spawn().unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        child.kill().unwrap(); // SIGKILL: no chance to clean up
        child.wait().unwrap();
        let mut any_new = false;
        for (i, id) in ["alpha", "beta"].into_iter().enumerate() {
            let published = hashes(&project.path().join("public").join(id));
            let state = if published == old[i] {
                "old"
            } else if published == new[i] {
                any_new = true;
                "new"
            } else {
                panic!(
                    "after a kill at {delay_ms} ms, public/{id} is neither the old site nor the new one"
                )
            };
            eprintln!("{delay_ms}ms {id} {state}");
        }
        // Reset to the old site, so the next kill interrupts a real change.
        if any_new {
            rewrite_pages(&project, 600, "v1");
            assert!(livery(&project).args(["build", "-q"]).status().unwrap().success());
            rewrite_pages(&project, 600, "v2");
        }
    }
    // The next build finishes the job, whatever the kill left behind.
    assert!(livery(&project).args(["build", "-q"]).status().unwrap().success());
    for (i, id) in ["alpha", "beta"].into_iter().enumerate() {
        assert_eq!(hashes(&project.path().join("public").join(id)), new[i]);
    }
    common::assert_no_staging_folders(&project.path().join("public"));
}

#[test]
fn shards_split_the_partners_without_overlap() {
    let project = Fixture::new();
    project
        .file("partners/gamma/partner.toml", "name = \"Gamma\"\nbase_url = \"https://g.test\"\n");
    let built = |shard: &str| {
        let out = format!("out-{}", shard.replace('/', "-"));
        assert!(
            livery(&project)
                .args(["build", "-q", "--shard", shard, "--out", &out])
                .status()
                .unwrap()
                .success()
        );
        let mut ids: Vec<String> = std::fs::read_dir(project.path().join(&out))
            .map(|dir| {
                dir.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .filter(|name| !name.starts_with('.'))
                    .collect()
            })
            .unwrap_or_default();
        ids.sort();
        ids
    };
    assert_eq!(built("1/2"), ["alpha", "gamma"]);
    assert_eq!(built("2/2"), ["beta"]);
    let output = project.run(&["build", "--shard", "3/2"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(common::stderr(&output).contains("not a shard"));
}
