//! livery as an installed tool: `init`, the built-in theme and `theme eject`,
//! `new page`, and shell completions.

mod common;

use std::path::Path;
use std::process::Output;

use common::{Fixture, files_under, stderr};

fn livery(dir: &Path, args: &[&str]) -> Output {
    assert_cmd::Command::cargo_bin("livery").unwrap().current_dir(dir).args(args).output().unwrap()
}

fn ok(output: &Output) -> String {
    assert_eq!(output.status.code(), Some(0), "stderr:\n{}", stderr(output));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn init_then_build_then_check_passes_with_the_built_in_theme() {
    let home = Fixture::empty();
    let printed = ok(&livery(home.path(), &["init", "kb"]));
    assert!(printed.contains("next: cd kb && livery serve"), "{printed}");
    let kb = home.path().join("kb");
    assert!(!kb.join("themes").exists(), "the theme is built in, not copied");
    ok(&livery(&kb, &["build"]));
    let page =
        std::fs::read_to_string(kb.join("public/kelvora/runbooks/restart-a-service/index.html"))
            .unwrap();
    assert!(page.contains("Severity: <strong>sev2</strong>"), "theme and schema fields at work");
    assert!(kb.join("public/kelvora/style.css").is_file());
    assert!(kb.join("public/kelvora/logo.svg").is_file());
    let home_page = std::fs::read_to_string(kb.join("public/kelvora/index.html")).unwrap();
    assert!(home_page.contains("support@kelvora.example"), "the snippet renders partner data");

    let check = livery(&kb, &["check", "--deny-warnings", "--today", "2026-11-23"]);
    assert!(ok(&check).contains("no errors, 0 warnings"));

    // More partners build as their own sites, each in its own colours.
    ok(&livery(&kb, &["partner", "new", "northwind"]));
    ok(&livery(&kb, &["partner", "new", "contoso"]));
    ok(&livery(&kb, &["build"]));
    let brand =
        |id: &str| std::fs::read_to_string(kb.join(format!("public/{id}/brand.css"))).unwrap();
    let brands = [brand("kelvora"), brand("northwind"), brand("contoso")];
    assert!(brands[0] != brands[1] && brands[1] != brands[2] && brands[0] != brands[2]);
}

#[test]
fn init_refuses_a_folder_with_files_unless_forced() {
    let dir = Fixture::empty();
    dir.file("notes.txt", "mine");
    let output = livery(dir.path(), &["init"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("is not empty"), "{}", stderr(&output));
    assert!(!dir.exists("livery.toml"));
    ok(&livery(dir.path(), &["init", "--force"]));
    assert_eq!(dir.read("notes.txt"), "mine");
    assert!(dir.exists("livery.toml"));
}

#[test]
fn an_ejected_theme_builds_byte_identically_and_disk_files_override_one_by_one() {
    let home = Fixture::empty();
    ok(&livery(home.path(), &["init", "kb"]));
    let kb = home.path().join("kb");
    ok(&livery(&kb, &["build", "--out", "built-in"]));

    let printed = ok(&livery(&kb, &["theme", "eject"]));
    assert!(printed.contains("themes/default/"), "{printed}");
    assert!(kb.join("themes/default/templates/page.html").is_file());
    ok(&livery(&kb, &["build", "--out", "ejected"]));
    assert_eq!(files_under(&kb.join("built-in")), files_under(&kb.join("ejected")));
    let again = livery(&kb, &["theme", "eject"]);
    assert_eq!(again.status.code(), Some(2), "an existing theme folder is not overwritten");

    // A theme folder with one file changes that file and nothing else.
    std::fs::remove_dir_all(kb.join("themes")).unwrap();
    let footer = kb.join("themes/default/templates/partials/footer.html");
    std::fs::create_dir_all(footer.parent().unwrap()).unwrap();
    std::fs::write(&footer, "<footer class=\"site-footer\"><p>Our own footer</p></footer>\n")
        .unwrap();
    ok(&livery(&kb, &["build", "--out", "overridden"]));
    let page =
        std::fs::read_to_string(kb.join("overridden/kelvora/guides/getting-started/index.html"))
            .unwrap();
    assert!(page.contains("Our own footer"));
    assert!(page.contains("class=\"sidebar"), "the rest of the built-in theme is still used");
}

#[test]
fn new_page_fills_what_the_schema_requires() {
    let home = Fixture::empty();
    ok(&livery(home.path(), &["init", "kb"]));
    let kb = home.path().join("kb");
    let printed = ok(&livery(&kb, &["new", "page", "runbooks/database-failover"]));
    assert!(printed.contains("content/runbooks/database-failover.md"), "{printed}");
    let text = std::fs::read_to_string(kb.join("content/runbooks/database-failover.md")).unwrap();
    assert!(text.contains("title = \"Database Failover\""), "{text}");
    assert!(text.contains("owner = \"your-team\""), "{text}");
    assert!(text.contains("severity = \"sev1\""), "{text}");
    assert!(text.contains("last_reviewed = 20"), "{text}");
    let check = livery(&kb, &["check", "--format", "json"]);
    let document: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    assert_eq!(document["summary"]["errors"], 0, "{document:#}");

    let again = livery(&kb, &["new", "page", "runbooks/database-failover"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("already exists"));
    let outside = livery(&kb, &["new", "page", "../escape"]);
    assert_eq!(outside.status.code(), Some(2));
    // A path the content loader would refuse is not written either.
    let spaced = livery(&kb, &["new", "page", "my guides/sso"]);
    assert_eq!(spaced.status.code(), Some(2));
    assert!(stderr(&spaced).contains("`my guides` cannot be part of a URL"), "{}", stderr(&spaced));
    assert!(!kb.join("content/my guides").exists());
}

#[test]
fn completions_generate_for_each_shell() {
    let dir = Fixture::empty();
    for (shell, marker) in
        [("bash", "complete -F"), ("zsh", "#compdef livery"), ("fish", "complete -c livery")]
    {
        let script = ok(&livery(dir.path(), &["completions", shell]));
        assert!(script.contains(marker), "{shell}: {script}");
        for command in ["build", "serve", "check", "init"] {
            assert!(script.contains(command), "{shell} completion lacks `{command}`");
        }
    }
    let version = ok(&livery(dir.path(), &["--version"]));
    assert!(version.starts_with("livery "), "{version}");
}

/// Like cargo and git, livery finds its project in the folder it runs in or above.
#[test]
fn commands_find_the_project_from_a_folder_inside_it() {
    let project = Fixture::new();
    let runbooks = project.path().join("content/runbooks");
    let printed = ok(&livery(&runbooks, &["build"]));
    assert!(project.exists("public/alpha/runbooks/restore/index.html"), "{printed}");
    assert!(!runbooks.join("public").exists(), "output goes where livery.toml says");
    ok(&livery(&runbooks, &["check"]));
    ok(&livery(&runbooks, &["new", "page", "runbooks/drain-a-node"]));
    assert!(project.exists("content/runbooks/drain-a-node.md"));
}

#[test]
fn every_command_outside_a_project_says_the_same_thing_and_suggests_init() {
    let empty = Fixture::empty();
    let commands: [&[&str]; 6] = [
        &["build"],
        &["check"],
        &["serve", "--port", "0"],
        &["new", "page", "runbooks/x"],
        &["partner", "new", "acme"],
        &["theme", "eject"],
    ];
    for args in commands {
        let output = livery(empty.path(), args);
        let stderr = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.starts_with("error: no livery.toml in this folder or any folder above it"),
            "{args:?}: {stderr}"
        );
        assert!(stderr.contains("livery init"), "{args:?}: {stderr}");
    }
    let output = livery(empty.path(), &["build", "--root", "elsewhere"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).starts_with("error: no livery.toml in elsewhere"),
        "{}",
        stderr(&output)
    );
    assert!(files_under(empty.path()).is_empty(), "nothing may be written outside a project");
}

#[test]
fn new_page_refuses_names_that_would_never_be_published() {
    let project = Fixture::new();
    for name in ["runbooks/", "runbooks/.md", "runbooks/.hidden", "runbooks/_draft", ".git/x"] {
        let output = livery(project.path(), &["new", "page", name]);
        assert_eq!(output.status.code(), Some(2), "{name}: {}", stderr(&output));
        assert!(stderr(&output).contains("SECTION/NAME"), "{name}: {}", stderr(&output));
    }
    assert!(!project.exists("content/runbooks/.md"));
    ok(&livery(project.path(), &["new", "page", "security/_index"]));
}

/// One rule for partner ids, whoever checks it: `partner new`, `build` and the README.
#[test]
fn partner_ids_follow_one_rule_everywhere() {
    let project = Fixture::new();
    ok(&livery(project.path(), &["partner", "new", "acme_eu"]));
    ok(&livery(project.path(), &["build", "--partner", "acme_eu"]));
    let refused = livery(project.path(), &["partner", "new", "Acme"]);
    assert_eq!(refused.status.code(), Some(2));
    std::fs::create_dir_all(project.path().join("partners/Acme")).unwrap();
    std::fs::copy(
        project.path().join("partners/alpha/partner.toml"),
        project.path().join("partners/Acme/partner.toml"),
    )
    .unwrap();
    let build = livery(project.path(), &["build"]);
    let rule = "use lowercase letters, digits, `-` and `_`, starting with a letter or digit";
    assert!(stderr(&refused).contains(rule), "{}", stderr(&refused));
    assert!(stderr(&build).contains(rule), "{}", stderr(&build));
    let readme = std::fs::read_to_string(common::repo_root().join("README.md")).unwrap();
    assert!(
        readme.contains("lowercase letters, digits, `-` and `_`, starting with a letter or digit")
    );
}

/// `cargo install` without `--locked` ignores Cargo.lock and may pick untested versions.
#[test]
fn install_instructions_use_the_lock_file() {
    for doc in ["README.md", "docs/deploy.md"] {
        let text = std::fs::read_to_string(common::repo_root().join(doc)).unwrap();
        for line in text.lines().filter(|l| l.contains("cargo install")) {
            assert!(line.contains("--locked"), "{doc}: {line}");
        }
    }
}

/// The browser tests and benchmarks ask cargo where the binary is, so they work with
/// CARGO_TARGET_DIR set (they used to run `target/release/livery`, missing or stale).
#[test]
fn browser_tests_find_the_binary_where_cargo_puts_it() {
    let elsewhere = tempfile::tempdir().unwrap();
    let output = std::process::Command::new("node")
        .arg("tests/browser/cargo.mjs")
        .current_dir(common::repo_root())
        .env("CARGO_TARGET_DIR", elsewhere.path())
        .output()
        .expect("node runs (scripts/test.sh needs it for the browser tests)");
    assert!(output.status.success(), "{}", stderr(&output));
    let printed = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    assert_eq!(Path::new(&printed), elsewhere.path().join("release/livery"));
    for dir in ["tests/browser", "bench", "scripts"] {
        for (path, bytes) in files_under(&common::repo_root().join(dir)) {
            let text = String::from_utf8_lossy(&bytes);
            assert!(
                !text.contains("target/release") && !text.contains("\"target\", \"release\""),
                "{dir}/{path} assumes the target folder"
            );
        }
    }
}
