//! `livery check` is `livery build` minus writing: every bad input that makes `build`
//! fail makes `check` fail too, with the same rule and naming the same source file.
//!
//! One table of cases (each breaks a valid `Fixture::new()` project in one way: every
//! failing fixture of tests/errors.rs, plus the cases of the check/build issue), one
//! helper that runs both commands on a broken project and compares what they report.
//!
//! `build` prints `error: path:line:col: [partner x] message`, without the rule, so
//! the rule of each of its problems is taken from the library's `livery::build` (the
//! function the binary calls); the binary's output must name the same files.
//! `check` is read from `livery check --format json`.

mod common;

use std::collections::BTreeSet;
use std::process::Output;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::{Fixture, stderr};
use serde_json::Value;

/// (rule, file) of one error; the rule is `(io)` for errors with no rule at all.
type Finding = (String, String);

struct Case {
    name: &'static str,
    breakage: fn(&Fixture),
    /// Text the build's stderr must contain, beyond naming the files check names.
    build_must_say: &'static [&'static str],
    /// Text the build's stderr must not contain.
    build_must_not_say: &'static [&'static str],
}

const fn case(name: &'static str, breakage: fn(&Fixture)) -> Case {
    Case { name, breakage, build_must_say: &[], build_must_not_say: &[] }
}

/// A named pipe at `relative`: opening it for reading blocks until someone writes.
fn make_fifo(project: &Fixture, relative: &str) {
    let path = project.path().join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let status = std::process::Command::new("mkfifo").arg(&path).status().unwrap();
    assert!(status.success(), "mkfifo {}", path.display());
}

fn symlink(target: impl AsRef<std::path::Path>, project: &Fixture, relative: &str) {
    let link = project.path().join(relative);
    std::fs::create_dir_all(link.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(target, link).unwrap();
}

const CASES: &[Case] = &[
    // ------------------------------------------------------------ tests/errors.rs
    case("unknown_key_in_partner_toml", |p| {
        p.file(
            "partners/beta/partner.toml",
            "name = \"Beta\"\nbase_url = \"https://b.test\"\ncolour = \"red\"\n",
        );
    }),
    case("wrong_type_in_partner_toml", |p| {
        p.file("partners/beta/partner.toml", "name = 42\nbase_url = \"https://b.test\"\n");
    }),
    case("invalid_colour", |p| {
        p.file(
            "partners/beta/partner.toml",
            "name = \"Beta\"\nbase_url = \"https://b.test\"\n[brand]\naccent = \"#12345g\"\n",
        );
    }),
    case("missing_logo_file", |p| {
        p.remove("partners/alpha/static/logo.svg");
    }),
    case("logo_path_escaping_the_partner_folder", |p| {
        p.file(
            "partners/beta/partner.toml",
            "name = \"Beta\"\nbase_url = \"https://b.test\"\n[brand]\nlogo = \"../../../etc/passwd\"\n",
        );
    }),
    case("bad_base_url_and_language", |p| {
        p.file(
            "partners/beta/partner.toml",
            "name = \"Beta\"\nbase_url = \"kb.beta.test\"\nlanguage = \"English\"\n",
        );
    }),
    case("missing_partner_toml_and_bad_partner_id", |p| {
        p.file("partners/gamma/static/logo.svg", "<svg/>");
        p.file("partners/Bad Id/partner.toml", "name = \"x\"\nbase_url = \"https://x.test\"\n");
    }),
    case("unknown_key_in_livery_toml", |p| {
        p.file("livery.toml", "title = \"KB\"\n\n[build]\ndraft = true\n");
    }),
    case("unknown_highlight_theme", |p| {
        p.file("livery.toml", "[highlight]\nlight = \"Solarised\"\n");
    }),
    case("broken_front_matter", |p| {
        p.file(
            "content/runbooks/restore.md",
            "+++\ntitle = \"Restore\"\nweight = \"first\"\n+++\nBody\n",
        );
    }),
    case("unclosed_front_matter", |p| {
        p.file("content/runbooks/restore.md", "+++\ntitle = \"Restore\"\n\nBody\n");
    }),
    case("broken_yaml_front_matter", |p| {
        p.file("content/runbooks/restore.md", "---\ntitle: Restore\nweight: first\n---\nBody\n");
    }),
    case("malformed_yaml_front_matter", |p| {
        p.file("content/runbooks/restore.md", "---\ntitle: [Restore\n---\nBody\n");
    }),
    case("invalid_utf8_page", |p| {
        p.bytes("content/runbooks/restore.md", b"# Restore\n\nbad \xff byte\n");
    }),
    case("missing_template_named_in_front_matter", |p| {
        p.file(
            "content/runbooks/restore.md",
            "+++\ntitle = \"Restore\"\ntemplate = \"runbook.html\"\n+++\n",
        );
    }),
    case("theme_without_a_required_template", |p| {
        p.copy_dir(&p.path().join("themes/default"), "themes/plain");
        p.remove("themes/plain/templates/page.html");
        p.file("livery.toml", "title = \"Test KB\"\ntheme = \"plain\"\n");
    }),
    case("template_syntax_error", |p| {
        p.file(
            "partners/beta/templates/page.html",
            "{% extends \"theme/page.html\" %}\n{% block after_content %}\n{{ partner.name }\n{% endblock after_content %}\n",
        );
    }),
    case("template_error_at_render_time_names_the_template_once", |p| {
        p.file(
            "partners/beta/templates/page.html",
            "{% extends \"theme/page.html\" %}{% block after_content %}{{ partner.nmae }}{% endblock after_content %}",
        );
    }),
    case("broken_links_and_anchors", |p| {
        p.file(
            "content/runbooks/restore.md",
            "# Restore\n\nSee [x](failovr.md) and\n[y](failover.md#promot).\n",
        );
    }),
    case("two_files_publishing_to_one_url", |p| {
        p.file("content/runbooks/restore/_index.md", "# Also restore\n");
    }),
    case("symlink_out_of_the_content_folder_is_refused", |p| {
        p.file("outside/secret.md", "# Secret\n");
        symlink(p.path().join("outside/secret.md"), p, "content/runbooks/secret.md");
    }),
    case("malformed_livery_toml", |p| {
        p.file("livery.toml", "title = \"Test KB\"\n[build\ndrafts = true\n");
    }),
    case("malformed_partner_toml", |p| {
        p.file("partners/beta/partner.toml", "name = \"Beta\nbase_url = \"https://b.test\"\n");
    }),
    case("empty_partner_toml", |p| {
        p.file("partners/beta/partner.toml", "");
    }),
    case("a_ten_megabyte_page", |p| {
        p.file(
            "content/runbooks/log.md",
            &"2026-11-01 12:00:00 INFO request served\n".repeat(260_000),
        );
    }),
    case("ten_thousand_levels_of_nested_lists_and_quotes", |p| {
        p.file("content/runbooks/lists.md", &format!("# Lists\n\n{}deep\n", "- ".repeat(10_000)));
        p.file("content/runbooks/quotes.md", &format!("# Quotes\n\n{}deep\n", "> ".repeat(10_000)));
    }),
    case("template_name_escaping_the_theme", |p| {
        p.file(
            "content/runbooks/restore.md",
            "+++\ntemplate = \"../../../../etc/passwd\"\n+++\nx\n",
        );
    }),
    case("absolute_logo_path", |p| {
        p.file(
            "partners/beta/partner.toml",
            "name = \"Beta\"\nbase_url = \"https://b.test\"\n[brand]\nlogo = \"/etc/passwd\"\n",
        );
    }),
    case("symlinked_folders_out_of_the_project_are_not_read", |p| {
        // (Outside the content and partner folders; outside the project works the same.)
        p.file("outside/secret.md", "# Secret\n");
        p.file("outside/page.html", "SECRET {{ page.title }}");
        symlink(p.path().join("outside"), p, "content/linked");
        symlink(p.path().join("outside"), p, "partners/beta/templates/x");
    }),
    case("symlink_loops", |p| {
        symlink("loop", p, "content/runbooks/loop");
        symlink(".", p, "content/runbooks/again");
    }),
    case("brand_fonts_that_would_break_the_stylesheet", |p| {
        p.file(
            "partners/beta/partner.toml",
            "name = \"Beta\"\nbase_url = \"https://b.test\"\n[brand]\nfont = \"Inter /* clean */, sans-serif\"\n\
             heading_font = \"'Open Sans, serif\"\nmono_font = \"Menlo (x, monospace\"\n",
        );
    }),
    case("script_and_data_urls_in_partner_links", |p| {
        p.file(
            "partners/beta/partner.toml",
            "name = \"Beta\"\nbase_url = \"https://b.test\"\n\n[contact]\nsupport_url = \"javascript:alert(1)\"\n\
             status_page = \" JaVaScRiPt:alert(1)\"\n\n[[menu]]\nlabel = \"Offer\"\nurl = \"data:text/html,<script>alert(1)</script>\"\n\n\
             [[menu]]\nlabel = \"Tab\"\nurl = \"java\\tscript:alert(1)\"\n",
        );
    }),
    case("fifos_and_other_special_files_are_errors_not_hangs", |p| {
        make_fifo(p, "partners/beta/i18n/en.toml");
        make_fifo(p, "content/runbooks/pipe.md");
        make_fifo(p, "partners/alpha/templates/partials/footer.html");
    }),
    case("snippets_that_expand_past_the_page_limit", |p| {
        for level in 0..7 {
            let call = format!("{{{{ snippet(\"s{}\") }}}}\n", level + 1);
            p.file(&format!("content/_snippets/s{level}.md"), &call.repeat(10));
        }
        p.file("content/_snippets/s7.md", &"Some words of text. ".repeat(10));
        p.file("content/runbooks/fanout.md", "# Fan-out\n\nIntro.\n\n{{ snippet(\"s0\") }}\n");
    }),
    case("a_loop_of_two_billion", |p| {
        p.file(
            "content/runbooks/loop.md",
            "# Loop\n\n{% for i in range(end=2000000000) %}{{ i }}{% endfor %}\n",
        );
    }),
    case("loops_and_values_that_grow_without_output_are_bounded", |p| {
        p.file(
            "content/runbooks/nested.md",
            "# Nested\n\n{% for i in range(end=100000) %}{% for j in range(end=100000) %}{% endfor %}{% endfor %}\n",
        );
        p.file(
            "content/runbooks/doubling.md",
            "# Doubling\n\n{% set_global s = \"xxxxxxxxxx\" %}\n{% for i in range(end=40) %}{% set_global s = s ~ s %}{% endfor %}\n",
        );
    }),
    case("deeply_nested_tags_and_snippet_chains", |p| {
        p.file(
            "content/runbooks/ifs.md",
            &format!(
                "# Ifs\n\n{}x{}\n",
                "{% if true %}".repeat(20_000),
                "{% endif %}".repeat(20_000)
            ),
        );
        for level in 0..40 {
            p.file(
                &format!("content/_snippets/chain{level}.md"),
                &format!("Level {level}.\n\n{{{{ snippet(\"chain{}\") }}}}\n", level + 1),
            );
        }
        p.file("content/_snippets/chain40.md", "The end.\n");
    }),
    case("a_partner_template_nested_too_deeply", |p| {
        p.file(
            "partners/beta/templates/page.html",
            &format!("{}x{}", "{% if true %}".repeat(20_000), "{% endif %}".repeat(20_000)),
        );
    }),
    // ------------------------------------------------------------ the issue
    case("issue_page_names_a_missing_template", |p| {
        p.file(
            "content/runbooks/restore.md",
            "+++\ntitle = \"Restore\"\ntemplate = \"nope.html\"\n+++\nText.\n",
        );
    }),
    case("issue_syntax_error_in_a_partner_template_override", |p| {
        p.file(
            "partners/alpha/templates/page.html",
            "{% extends \"theme/page.html\" %}\n{% block main %}{{ page.title }\n{% endblock main %}\n",
        );
    }),
    case("issue_unknown_page_variable_in_a_theme_template", |p| {
        let path = "themes/default/templates/page.html";
        let text = p.read(path);
        let at = text.find("{{ page.content").expect("the page template shows page.content");
        p.file(path, &format!("{}{{{{ page.nope }}}}{}", &text[..at], &text[at..]));
    }),
    Case {
        name: "issue_page_and_plain_file_publish_to_one_path",
        breakage: |p| {
            p.file("content/guides/_index.md", "+++\ntitle = \"Guides\"\n+++\n");
            p.file("content/guides/getting-started.md", "# Getting started\n\nText.\n");
            p.file("content/guides/getting-started", "not a page, but in the way of one\n");
        },
        build_must_say: &["content/guides/getting-started.md", "content/guides/getting-started"],
        build_must_not_say: &["staging", "Is a directory"],
    },
];

/// Runs the real binary in the project folder, failing after two minutes (a hang).
fn run(project: &Fixture, args: &[&str]) -> Output {
    assert_cmd::Command::cargo_bin("livery")
        .unwrap()
        .current_dir(project.path())
        .args(args)
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap()
}

/// The file of each `error: path[:line[:col]]: …` line of build's stderr.
fn error_files(stderr: &str) -> BTreeSet<String> {
    stderr
        .lines()
        .filter_map(|line| line.strip_prefix("error: "))
        .filter_map(|rest| rest.split_once(": ").map(|(location, _)| location))
        .map(|location| {
            let mut location = location;
            // Drop `:line` and `:col`, each all digits.
            for _ in 0..2 {
                if let Some((head, tail)) = location.rsplit_once(':')
                    && !tail.is_empty()
                    && tail.bytes().all(|b| b.is_ascii_digit())
                {
                    location = head;
                }
            }
            location.to_owned()
        })
        .collect()
}

/// The library build's errors as (rule, file), on a thread with a main thread's stack
/// (the binary runs there; test threads have less).
fn library_build_errors(project: &Fixture) -> Result<BTreeSet<Finding>, String> {
    let root = project.path().to_owned();
    let result = std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(move || livery::build(&livery::BuildOptions { root, ..Default::default() }))
        .unwrap()
        .join()
        .map_err(|_| "the library build panicked".to_owned())?;
    match result {
        Ok(_) => Err("the library build succeeded".to_owned()),
        Err(livery::Error::Project(diagnostics)) => Ok(diagnostics
            .iter()
            .filter(|d| d.severity == livery::Severity::Error)
            .map(|d| (d.rule_name().to_owned(), d.path.to_string_lossy().replace('\\', "/")))
            .collect()),
        Err(livery::Error::Io { path, .. }) | Err(livery::Error::Publish { path, .. }) => {
            let path = path.strip_prefix(project.path()).unwrap_or(&path);
            Ok(BTreeSet::from([("(io)".to_owned(), path.to_string_lossy().into_owned())]))
        }
        Err(other) => Err(format!("the library build failed with no file: {other}")),
    }
}

/// The first `n` lines of `text`, for messages.
fn head(text: &str, n: usize) -> String {
    text.lines().take(n).collect::<Vec<_>>().join("\n")
}

/// Breaks a fresh fixture with `case`, runs `build` and `check`, and returns every way
/// check falls short of build (empty when check reports all build does). A case whose
/// build succeeds is a broken case, not a gap: that panics.
fn mismatches(case: &Case) -> Vec<String> {
    let project = Fixture::new();
    (case.breakage)(&project);

    let build = run(&project, &["build"]);
    let build_err = stderr(&build);
    assert_ne!(build.status.code(), Some(0), "{}: build must fail:\n{build_err}", case.name);
    let build_files = error_files(&build_err);
    let library = library_build_errors(&project)
        .unwrap_or_else(|why| panic!("{}: {why}; binary said:\n{build_err}", case.name));
    let library_files: BTreeSet<String> = library.iter().map(|(_, f)| f.clone()).collect();
    // Guard: an `(io)` error names a full path in the binary's output, so compare loosely.
    assert!(
        library_files.iter().all(|f| build_err.contains(f.as_str()))
            && build_files.iter().all(|f| library_files.iter().any(|l| f.ends_with(l.as_str()))),
        "{}: the library build and the binary disagree: {library:?} vs\n{build_err}",
        case.name
    );

    let check = run(&project, &["check", "--format", "json"]);
    let check_out = String::from_utf8_lossy(&check.stdout).into_owned();
    let check_err = stderr(&check);
    let found: BTreeSet<Finding> = match serde_json::from_str::<Value>(&check_out) {
        Ok(document) => document["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["severity"] == "error")
            .map(|f| {
                (f["rule"].as_str().unwrap().to_owned(), f["file"].as_str().unwrap().to_owned())
            })
            .collect(),
        // Errors check cannot report as findings (I/O) go to stderr like build's.
        Err(_) => error_files(&check_err).into_iter().map(|f| ("(io)".to_owned(), f)).collect(),
    };

    let mut problems = Vec::new();
    let show = |text: &str| head(text, 6);
    if check.status.code() != Some(1) {
        problems.push(format!(
            "check exited {:?}, build {:?}",
            check.status.code(),
            build.status.code()
        ));
    }
    for (what, text) in [("build", &build_err), ("check", &check_err), ("check", &check_out)] {
        if text.contains("panicked") {
            problems.push(format!("{what} panicked"));
        }
    }
    for missing in library.difference(&found) {
        problems
            .push(format!("check lacks build's error (rule {}, file {})", missing.0, missing.1));
    }
    for expected in case.build_must_say {
        if !build_err.contains(expected) {
            problems.push(format!("build does not name {expected:?}"));
        }
    }
    for unwanted in case.build_must_not_say {
        if build_err.contains(unwanted) {
            problems.push(format!("build says {unwanted:?}"));
        }
    }
    if !problems.is_empty() {
        problems.push(format!(
            "build stderr:\n{}\ncheck findings: {found:?}\ncheck stdout:\n{}\ncheck stderr:\n{}",
            show(&build_err),
            show(&check_out),
            show(&check_err)
        ));
    }
    problems
}

/// Runs `each` over `items` on a few threads at once (every case starts two processes).
fn in_parallel<T: Sync, R: Send>(items: &[T], each: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let results = Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism().map_or(4, |n| n.get()).min(8);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, Ordering::SeqCst);
                    let Some(item) = items.get(index) else { break };
                    let result = each(item);
                    results.lock().unwrap().push((index, result));
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap();
    results.sort_by_key(|(index, _)| *index);
    results.into_iter().map(|(_, result)| result).collect()
}

#[test]
fn check_reports_every_error_build_reports() {
    let names: BTreeSet<&str> = CASES.iter().map(|c| c.name).collect();
    assert_eq!(names.len(), CASES.len(), "case names are unique");
    let outcomes = in_parallel(CASES, |case| {
        std::panic::catch_unwind(|| mismatches(case)).map_err(|panic| {
            panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default()
        })
    });
    let mut failures = Vec::new();
    for (case, outcome) in CASES.iter().zip(outcomes) {
        match outcome {
            Err(panic) => failures.push(format!("{}: the case itself failed: {panic}", case.name)),
            Ok(problems) if !problems.is_empty() => {
                failures.push(format!("{}:\n  {}", case.name, problems.join("\n  ")))
            }
            Ok(_) => {}
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// One page with broken TOML front matter must not hide another page's broken link:
/// `check` and `build` both report both in one run.
#[test]
fn front_matter_error_does_not_hide_a_broken_link() {
    let project = Fixture::new();
    project.file("content/runbooks/restore.md", "+++\ntitle = \"Restore\nweight = 1\n+++\nBody\n");
    project.file(
        "content/runbooks/failover.md",
        "# Fail over\n\nSee [x](nowhere.md), then [restore](restore.md).\n",
    );
    let front_matter = ("front-matter".to_owned(), "content/runbooks/restore.md".to_owned());
    let link = ("broken-link".to_owned(), "content/runbooks/failover.md".to_owned());

    let check = run(&project, &["check", "--format", "json"]);
    assert_eq!(check.status.code(), Some(1), "{}", stderr(&check));
    let document: Value = serde_json::from_slice(&check.stdout).unwrap();
    let found: BTreeSet<Finding> = document["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["rule"].as_str().unwrap().to_owned(), f["file"].as_str().unwrap().to_owned()))
        .collect();
    assert!(found.contains(&front_matter), "{document:#}");

    let build = run(&project, &["build"]);
    let build_err = stderr(&build);
    assert_eq!(build.status.code(), Some(1), "{build_err}");
    assert!(build_err.contains("error: content/runbooks/restore.md:"), "{build_err}");
    assert!(
        build_err.contains("error: content/runbooks/failover.md:"),
        "build hides the broken link behind the front matter error: {build_err}"
    );
    assert!(found.contains(&link), "check hides the broken link: {document:#}");
    // The page that did not parse is reported once, for itself: a link to it is not
    // "missing" as well.
    let about_restore = document["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["message"].as_str().unwrap().contains("restore.md"))
        .count();
    assert_eq!(about_restore, 0, "{document:#}");
    assert!(!build_err.contains("broken link `restore.md`"), "{build_err}");
}
