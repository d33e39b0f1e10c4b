//! The output folder belongs to one build at a time, can never be a folder of sources,
//! and is published all or nothing: a build that fails (or a disk that fills up)
//! leaves the previous sites and nothing else behind.

mod common;

use std::io::Read as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::Fixture;

fn livery(project: &Fixture) -> Command {
    let mut command = Command::new(assert_cmd::cargo::cargo_bin("livery"));
    command.current_dir(project.path());
    command
}

fn title_of(project: &Fixture, site: &str) -> String {
    common::select_text(&project.html(&format!("{site}/runbooks/restore/index.html")), "h1")
        .join("")
}

fn set_title(project: &Fixture, title: &str) {
    project.file(
        "content/runbooks/restore.md",
        &format!("+++\ntitle = \"{title}\"\nweight = 1\n+++\nRestore it.\n"),
    );
}

/// Holds the output folder's lock as another build would.
fn hold_lock(out: &Path) -> std::fs::File {
    std::fs::create_dir_all(out).unwrap();
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(out.join(".livery-lock"))
        .unwrap();
    file.lock().unwrap();
    std::fs::write(out.join(".livery-lock"), "4242\n").unwrap();
    file
}

#[test]
fn a_build_with_no_wait_fails_at_once_while_another_holds_the_output_folder() {
    let project = Fixture::new();
    let lock = hold_lock(&project.path().join("public"));
    let output = project.run(&["build", "--no-wait"]);
    assert_eq!(output.status.code(), Some(1), "{}", common::stderr(&output));
    let stderr = common::stderr(&output);
    assert!(stderr.contains("another livery build (pid 4242) is writing to"), "{stderr}");
    assert!(stderr.contains("without --no-wait"), "{stderr}");
    assert!(!project.exists("public/alpha"), "nothing may be published while locked");
    drop(lock);
}

#[test]
fn a_second_build_waits_for_the_first_and_says_so() {
    let project = Fixture::new();
    let lock = hold_lock(&project.path().join("public"));
    let mut child = livery(&project)
        .args(["build", "-q"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(700));
    assert!(child.try_wait().unwrap().is_none(), "the build did not wait for the lock");
    assert!(!project.exists("public/alpha"), "published while another build held the lock");
    drop(lock);
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    assert!(status.success(), "{stderr}");
    assert!(stderr.contains("waiting for the livery build with pid 4242"), "{stderr}");
    assert_eq!(title_of(&project, "public/alpha"), "Restore a backup");
    common::assert_no_staging_folders(&project.path().join("public"));
}

/// The reproduction of the issue: a no-op build started while a real one runs used
/// to delete the running build's staging folder, and one of them published a
/// partial site while exiting 0.
#[test]
fn two_builds_into_one_folder_both_succeed_and_leave_complete_sites() {
    let project = Fixture::new();
    for i in 0..300 {
        project.file(
            &format!("content/bulk/p{i}.md"),
            &format!("+++\ntitle = \"Bulk {i}\"\n+++\nText {i}.\n\n```sh\necho {i}\n```\n"),
        );
    }
    project.file("content/bulk/_index.md", "+++\ntitle = \"Bulk\"\n+++\n");
    assert!(livery(&project).args(["build", "-q"]).status().unwrap().success());
    let v1 = common::files_under(&project.path().join("public/alpha"));
    for (delay, title) in [(100, "Version two"), (300, "Version three")] {
        set_title(&project, title);
        let first = livery(&project).args(["build", "-q"]).spawn().unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        let second = livery(&project).args(["build", "-q"]).status().unwrap();
        let first = first.wait_with_output().unwrap();
        assert!(first.status.success() && second.success());
        let published = common::files_under(&project.path().join("public/alpha"));
        assert_eq!(published.len(), v1.len(), "public/alpha is incomplete after {delay} ms");
        assert_eq!(title_of(&project, "public/alpha"), title);
        common::assert_no_staging_folders(&project.path().join("public"));
    }
}

#[test]
fn an_output_folder_holding_the_sources_is_refused_and_nothing_is_touched() {
    let project = Fixture::new();
    let before = common::files_under(project.path());
    for out in ["partners", ".", "..", "content", "content/site", "themes", "partners/alpha"] {
        let output = project.run(&["build", "--out", out]);
        let stderr = common::stderr(&output);
        assert_eq!(output.status.code(), Some(2), "--out {out}: {stderr}");
        assert!(stderr.contains("cannot be the output folder"), "--out {out}: {stderr}");
        assert!(stderr.contains("--out public"), "--out {out}: {stderr}");
    }
    assert_eq!(common::files_under(project.path()), before, "a refused build changed files");
}

#[test]
fn an_output_dir_in_livery_toml_inside_the_content_is_an_error_at_its_line() {
    let project = Fixture::new();
    project.file("livery.toml", "title = \"Test KB\"\noutput_dir = \"content\"\n");
    let before = common::files_under(project.path());
    let output = project.run(&["build"]);
    let stderr = common::stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("livery.toml:2"), "{stderr}");
    assert!(stderr.contains("cannot be the output folder"), "{stderr}");
    assert_eq!(common::files_under(project.path()), before);
}

#[test]
fn a_site_folder_livery_did_not_write_is_never_replaced() {
    let project = Fixture::new();
    project.file("public/alpha/notes.txt", "my own notes");
    let output = project.run(&["build"]);
    let stderr = common::stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("public/alpha: this folder is in the way: it was not written by livery"),
        "{stderr}"
    );
    assert_eq!(project.read("public/alpha/notes.txt"), "my own notes");
    assert!(!project.exists("public/beta"), "no partner may be published when one is refused");
    // Files beside the sites are left alone by a build that succeeds.
    project.remove("public/alpha/notes.txt");
    std::fs::remove_dir(project.path().join("public/alpha")).unwrap();
    project.file("public/CNAME", "help.example");
    assert!(project.run(&["build"]).status.success());
    assert_eq!(project.read("public/CNAME"), "help.example");
    assert!(project.run(&["build"]).status.success(), "livery's own sites are replaced");
}

/// A file that cannot be removed from the old site (here an immutable one) used to
/// stop publishing half-way: some partners new, some old, exit 1. Now every partner
/// is published, and what could not be cleaned up is a warning naming the folder.
#[test]
fn a_failure_while_publishing_never_leaves_partners_on_different_versions() {
    let project = Fixture::new();
    assert!(project.run(&["build", "-q"]).status.success());
    let robots = project.path().join("public/alpha/robots.txt");
    let immutable = |flag: &str| {
        Command::new("chattr").arg(flag).arg(&robots).status().is_ok_and(|s| s.success())
    };
    if !immutable("+i") {
        eprintln!("skipped: chattr +i is not available here");
        return;
    }
    struct Restore<F: Fn()>(F);
    impl<F: Fn()> Drop for Restore<F> {
        fn drop(&mut self) {
            (self.0)();
        }
    }
    let _restore = Restore(|| {
        immutable("-i");
    });
    set_title(&project, "Version two");
    let output = project.run(&["build", "-q"]);
    let stderr = common::stderr(&output);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(title_of(&project, "public/alpha"), "Version two");
    assert_eq!(title_of(&project, "public/beta"), "Version two");
    assert!(stderr.contains("could not remove alpha's previous site"), "{stderr}");
    // The next build cannot clear the leftover either, and says so before publishing.
    set_title(&project, "Version three");
    let output = project.run(&["build", "-q"]);
    let stderr = common::stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("lsattr"), "{stderr}");
    assert_eq!(title_of(&project, "public/beta"), "Version two");
}

/// Writes fail with "file too large" beyond a 16 KiB file size limit, as they would
/// on a full disk: the staging folder is removed and the help says what to do.
#[test]
fn a_write_failure_leaves_no_staging_folder_and_the_published_sites_as_they_were() {
    use std::os::unix::process::CommandExt as _;
    let project = Fixture::new();
    assert!(project.run(&["build", "-q"]).status.success());
    let before = common::files_under(&project.path().join("public"));
    let long = "A long paragraph of the restore runbook. ".repeat(1000);
    project.file("content/runbooks/restore.md", &format!("+++\ntitle = \"Long\"\n+++\n{long}\n"));
    let mut command = livery(&project);
    command.args(["build", "-q"]);
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        command.pre_exec(|| {
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let limit = libc::rlimit { rlim_cur: 16 * 1024, rlim_max: 16 * 1024 };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let output = command.output().unwrap();
    let stderr = common::stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("help:"), "an I/O error says what to do: {stderr}");
    assert_eq!(common::files_under(&project.path().join("public")), before);
    common::assert_no_staging_folders(&project.path().join("public"));
}

#[test]
fn the_lock_file_is_never_followed_out_of_the_output_folder() {
    let project = Fixture::new();
    project.file("secret.txt", "keep me");
    std::fs::create_dir_all(project.path().join("public")).unwrap();
    std::os::unix::fs::symlink(
        project.path().join("secret.txt"),
        project.path().join("public/.livery-lock"),
    )
    .unwrap();
    let output = project.run(&["build"]);
    assert_eq!(output.status.code(), Some(1), "{}", common::stderr(&output));
    assert!(common::stderr(&output).contains(".livery-lock"));
    assert_eq!(project.read("secret.txt"), "keep me");
}
