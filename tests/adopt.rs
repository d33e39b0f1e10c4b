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
        std::fs::read_to_string(kb.join("public/example/runbooks/restart-a-service/index.html"))
            .unwrap();
    assert!(page.contains("Severity: <strong>sev2</strong>"), "theme and schema fields at work");
    assert!(kb.join("public/example/style.css").is_file());
    assert!(kb.join("public/example/logo.svg").is_file());
    let home_page = std::fs::read_to_string(kb.join("public/example/index.html")).unwrap();
    assert!(home_page.contains("support@example.example"), "the snippet renders partner data");

    let check = livery(&kb, &["check", "--deny-warnings", "--today", "2026-11-23"]);
    assert!(ok(&check).contains("no errors, 0 warnings"));

    // More partners build as their own sites, each in its own colours.
    ok(&livery(&kb, &["partner", "new", "northwind"]));
    ok(&livery(&kb, &["partner", "new", "contoso"]));
    ok(&livery(&kb, &["build"]));
    let brand =
        |id: &str| std::fs::read_to_string(kb.join(format!("public/{id}/brand.css"))).unwrap();
    let brands = [brand("example"), brand("northwind"), brand("contoso")];
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
        std::fs::read_to_string(kb.join("overridden/example/guides/getting-started/index.html"))
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
