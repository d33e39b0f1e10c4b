//! The `livery` command: parses arguments, runs a library command, prints the
//! report, and maps the outcome to an exit code (0 ok, 1 project errors, 2 usage).

use std::path::PathBuf;
use std::process::ExitCode;

use std::io::Write as _;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "livery",
    version,
    about = "One shared tree of markdown runbooks, many fully branded static help centers"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build every partner's site (or the ones named) into the output folder.
    #[command(
        after_help = "Examples:\n  livery build\n  livery build --partner acme --partner globex\n  livery build --root ../kb --out /tmp/sites -q"
    )]
    Build {
        /// Project folder (the one holding livery.toml) [default: the nearest one from here upwards].
        #[arg(long)]
        root: Option<PathBuf>,
        /// Output folder; each partner is written to OUT/<id>/ [default: livery.toml's output_dir, "public"].
        #[arg(long)]
        out: Option<PathBuf>,
        /// Build only this partner; repeat for several.
        #[arg(long = "partner", value_name = "ID")]
        partners: Vec<String>,
        /// Include pages marked `draft = true`.
        #[arg(long)]
        drafts: bool,
        /// Only the sites of shard I of N (1/4, 2/4 …), for a CI matrix: every partner's sites (each language and version) dealt out in order.
        #[arg(long, value_name = "I/N")]
        shard: Option<livery::site::shard::Shard>,
        /// Print nothing but errors and warnings.
        #[arg(short, long, conflicts_with = "verbose")]
        quiet: bool,
        /// Also print how long each stage took.
        #[arg(short, long)]
        verbose: bool,
        /// Fail at once if another build is writing the output folder, instead of waiting for it.
        #[arg(long)]
        no_wait: bool,
        /// Build without the cache in .livery/cache/ (nor update it): every page parsed and rendered.
        #[arg(long)]
        no_cache: bool,
    },
    /// Preview every partner's site on http://127.0.0.1:1111/, rebuilt and reloaded as you edit.
    #[command(
        after_help = "Examples:\n  livery serve\n  livery serve --partner acme --open\n  livery serve --port 8080"
    )]
    Serve {
        /// Project folder (the one holding livery.toml) [default: the nearest one from here upwards].
        #[arg(long)]
        root: Option<PathBuf>,
        /// Port to listen on (0 picks a free one).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on; anything but loopback exposes the sites to your network.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Serve only this partner; repeat for several.
        #[arg(long = "partner", value_name = "ID")]
        partners: Vec<String>,
        /// Include pages marked `draft = true`.
        #[arg(long)]
        drafts: bool,
        /// Open the index of partners in your browser.
        #[arg(long)]
        open: bool,
    },
    /// Check every partner's site for broken links, schema errors, stale reviews and brand leaks; writes nothing.
    #[command(
        after_help = "Exit status: 0 clean or warnings only, 1 errors (or warnings with --deny-warnings), 2 usage.\n\n\
Examples:\n  livery check\n  livery check --partner acme --list-external\n  livery check --format json > findings.json\n  livery check --deny-warnings --today 2027-01-01"
    )]
    Check {
        /// Project folder (the one holding livery.toml) [default: the nearest one from here upwards].
        #[arg(long)]
        root: Option<PathBuf>,
        /// Check only this partner; repeat for several.
        #[arg(long = "partner", value_name = "ID")]
        partners: Vec<String>,
        /// `human` groups findings by file; `json` is for CI tools (schema in the README).
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Only the sites of shard I of N (1/4, 2/4 …), for a CI matrix: every partner's sites (each language and version) dealt out in order.
        #[arg(long, value_name = "I/N")]
        shard: Option<livery::site::shard::Shard>,
        /// Fail (exit 1) on warnings too.
        #[arg(long)]
        deny_warnings: bool,
        /// Also list every link to another site (they are never fetched).
        #[arg(long)]
        list_external: bool,
        /// Include pages marked `draft = true`.
        #[arg(long)]
        drafts: bool,
        /// Measure review ages as of this date (YYYY-MM-DD) instead of today.
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        today: Option<livery::model::page::Date>,
    },
    /// Start a new knowledge base: livery.toml, pages in two sections, a snippet, one partner.
    #[command(
        after_help = "Examples:\n  livery init kb && cd kb && livery serve\n  livery init . --force"
    )]
    Init {
        /// Folder to create the project in (created if missing).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Write the starter files even if the folder is not empty (existing files of the same name are replaced).
        #[arg(long)]
        force: bool,
    },
    /// Create content: `livery new page SECTION/NAME`.
    New {
        #[command(subcommand)]
        command: NewCommand,
    },
    /// Manage partners.
    Partner {
        #[command(subcommand)]
        command: PartnerCommand,
    },
    /// Manage product versions: `livery version snapshot 17` freezes the current content as version 17.
    Version {
        #[command(subcommand)]
        command: VersionCommand,
    },
    /// Work with themes: `livery theme eject` copies the built-in theme to themes/ for editing.
    Theme {
        #[command(subcommand)]
        command: ThemeCommand,
    },
    /// Print a shell completion script.
    #[command(
        after_help = "Examples:\n  livery completions bash > ~/.local/share/bash-completion/completions/livery\n  livery completions zsh > ~/.zfunc/_livery\n  livery completions fish > ~/.config/fish/completions/livery.fish"
    )]
    Completions { shell: clap_complete::Shell },
}

#[derive(Subcommand)]
enum NewCommand {
    /// Write content/SECTION/NAME.md with the front matter its section requires (livery.toml [sections]).
    #[command(
        after_help = "Examples:\n  livery new page runbooks/database-failover\n  livery new page guides/sso/okta"
    )]
    Page {
        /// SECTION/NAME, relative to content/ (without .md).
        page: String,
        /// Project folder (the one holding livery.toml) [default: the nearest one from here upwards].
        #[arg(long)]
        root: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum VersionCommand {
    /// Copy content/ to versions/VERSION/content/ (and each partner's content likewise), before the current content moves on.
    #[command(
        after_help = "Example, when 17 is current and 18 is about to start:\n  livery version snapshot 17\n  then in livery.toml: [versions] list = [\"18\", \"17\"]"
    )]
    Snapshot {
        /// The version the current content is: the folder name under versions/ and in URLs.
        version: String,
        /// Project folder (the one holding livery.toml) [default: the nearest one from here upwards].
        #[arg(long)]
        root: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum ThemeCommand {
    /// Copy a built-in theme to themes/NAME/; files there override the built-in ones.
    #[command(after_help = "Examples:\n  livery theme eject\n  livery theme eject default --force")]
    Eject {
        /// The built-in theme to copy.
        #[arg(default_value = "default")]
        name: String,
        /// Project folder (the one holding livery.toml) [default: the nearest one from here upwards].
        #[arg(long)]
        root: Option<PathBuf>,
        /// Overwrite files of an existing themes/NAME/.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Human,
    Json,
}

fn parse_date(text: &str) -> Result<livery::model::page::Date, String> {
    livery::model::schema::parse_date(text)
        .ok_or_else(|| format!("`{text}` is not a date like 2026-11-23"))
}

#[derive(Subcommand)]
enum PartnerCommand {
    /// Create partners/<ID>/ with a commented partner.toml and a placeholder logo.
    #[command(
        after_help = "Example:\n  livery partner new northwind\n  livery build --partner northwind"
    )]
    New {
        /// The partner id: lowercase letters, digits, `-` and `_`, starting with a letter or digit; it becomes public/<ID>/.
        id: String,
        /// Project folder (the one holding livery.toml) [default: the nearest one from here upwards].
        #[arg(long)]
        root: Option<PathBuf>,
    },
}

/// Prints to stdout, ignoring a closed pipe (`livery build | head` must not panic).
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Serve { root, port, bind, partners, drafts, open } => {
            let root = match project_root(root) {
                Ok(root) => root,
                Err(code) => return code,
            };
            let options = livery::serve::ServeOptions { root, bind, port, partners, drafts, open };
            match livery::serve::serve(options) {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => fail(error),
            }
        }
        Command::Init { dir, force } => match livery::scaffold::init(&dir, force) {
            Ok(files) => {
                for file in files {
                    out!("created {}", dir.join(file).display());
                }
                let cd = if dir == std::path::Path::new(".") {
                    String::new()
                } else {
                    format!("cd {} && ", dir.display())
                };
                out!("next: {cd}livery serve    (then add partners with: livery partner new ID)");
                ExitCode::SUCCESS
            }
            Err(error) => fail(error),
        },
        Command::New { command: NewCommand::Page { page, root } } => {
            let root = match project_root(root) {
                Ok(root) => root,
                Err(code) => return code,
            };
            match livery::scaffold::new_page(&root, &page, livery::model::schema::today()) {
                Ok(path) => {
                    out!("created {}", path.display());
                    ExitCode::SUCCESS
                }
                Err(error) => fail(error),
            }
        }
        Command::Theme { command: ThemeCommand::Eject { name, root, force } } => {
            let root = match project_root(root) {
                Ok(root) => root,
                Err(code) => return code,
            };
            match livery::load::embedded::eject(&root, &name, force) {
                Ok(files) => {
                    out!(
                        "wrote {} files to themes/{name}/; they now override the built-in theme",
                        files.len()
                    );
                    ExitCode::SUCCESS
                }
                Err(error) => fail(error),
            }
        }
        Command::Version { command: VersionCommand::Snapshot { version, root } } => {
            let root = match project_root(root) {
                Ok(root) => root,
                Err(code) => return code,
            };
            match livery::snapshot::snapshot(&root, &version) {
                Ok(snapshot) => {
                    for (folder, files) in snapshot.folders {
                        out!("created {} ({files} files)", folder.display());
                    }
                    out!("next: {}", snapshot.next_step);
                    ExitCode::SUCCESS
                }
                Err(error) => fail(error),
            }
        }
        Command::Completions { shell } => {
            use clap::CommandFactory as _;
            clap_complete::generate(shell, &mut Cli::command(), "livery", &mut std::io::stdout());
            ExitCode::SUCCESS
        }
        Command::Partner { command: PartnerCommand::New { id, root } } => {
            let root = match project_root(root) {
                Ok(root) => root,
                Err(code) => return code,
            };
            match livery::scaffold::new_partner(&root, &id) {
                Ok(files) => {
                    for file in files {
                        out!("created {}", file.display());
                    }
                    out!("edit partners/{id}/partner.toml, then run: livery build --partner {id}");
                    ExitCode::SUCCESS
                }
                Err(error) => fail(error),
            }
        }
        Command::Check {
            root,
            partners,
            shard,
            format,
            deny_warnings,
            list_external,
            drafts,
            today,
        } => {
            let root = match project_root(root) {
                Ok(root) => root,
                Err(code) => return code,
            };
            let progress = live_progress("checked", false);
            let live = progress.is_some();
            let options =
                livery::check::CheckOptions { root, partners, drafts, shard, today, progress };
            let result = livery::check::check(&options);
            if live {
                eprint!("\r\x1b[2K"); // the report replaces the progress line
            }
            match result {
                Ok(report) => {
                    let mut stdout = anstream::stdout();
                    let printed = match format {
                        Format::Human => {
                            livery::check::output::human(&report, list_external, &mut stdout)
                        }
                        Format::Json => {
                            writeln!(
                                stdout,
                                "{}",
                                livery::check::output::json(&report, list_external)
                            )
                        }
                    };
                    drop(printed); // a closed pipe is not a failure of the check
                    let errors = report.count(livery::Severity::Error);
                    let warnings = report.count(livery::Severity::Warning);
                    if errors > 0 || (deny_warnings && warnings > 0) {
                        ExitCode::from(1)
                    } else {
                        ExitCode::SUCCESS
                    }
                }
                Err(error) => fail(error),
            }
        }
        Command::Build {
            root,
            out,
            partners,
            drafts,
            shard,
            quiet,
            verbose,
            no_wait,
            no_cache,
        } => {
            let root = match project_root(root) {
                Ok(root) => root,
                Err(code) => return code,
            };
            let started = std::time::Instant::now();
            let progress = live_progress("rendered", quiet);
            let live = progress.is_some();
            let options = livery::BuildOptions {
                root,
                out,
                partners,
                drafts,
                shard,
                dev_server: false,
                no_wait,
                cache: !no_cache,
                progress,
            };
            let result = livery::build(&options);
            if live {
                eprint!("\r\x1b[2K"); // the summary replaces the progress line
            }
            match result {
                Ok(report) => {
                    for warning in &report.warnings {
                        eprintln!("{warning}\n");
                    }
                    if verbose {
                        out!("load and parse {:>6.0} ms", ms(report.parse_time));
                        for p in &report.partners {
                            out!(
                                "{:<12} search index {:>6.0} ms  render {:>6.0} ms ({} of {} pages)  write {:>6.0} ms",
                                p.id,
                                ms(p.search_time),
                                ms(p.render_time),
                                p.rendered,
                                p.pages,
                                ms(p.write_time)
                            );
                        }
                        out!("publish        {:>6.0} ms", ms(report.commit_time));
                    }
                    if !quiet {
                        for p in &report.partners {
                            let sites = if p.sites > 1 {
                                format!("  ({} sites)", p.sites)
                            } else {
                                String::new()
                            };
                            out!(
                                "{:<12} {:>5} pages  {:>5} files ({} written, {} unchanged)  {:>6.0} ms  -> {}{sites}",
                                p.id,
                                p.pages,
                                p.files,
                                p.written,
                                p.unchanged,
                                ms(p.elapsed),
                                report.out_dir.join(&p.id).display()
                            );
                        }
                        let sites: usize = report.partners.iter().map(|p| p.sites).sum();
                        let partners = report.partners.len();
                        out!(
                            "built {} in {:.0} ms ({} markdown conversions)",
                            match (sites, partners) {
                                (1, 1) => "1 partner site".to_owned(),
                                (s, p) if s == p => format!("{p} partner sites"),
                                (s, 1) => format!("{s} sites of 1 partner"),
                                (s, p) => format!("{s} sites of {p} partners"),
                            },
                            ms(started.elapsed()),
                            report.markdown_conversions
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(error) => fail(error),
            }
        }
    }
}

/// A live progress line only for a person watching: on a terminal, not with `-q`,
/// not in CI (whose logs keep every carriage-return frame).
fn shows_progress(terminal: bool, quiet: bool, ci: bool) -> bool {
    terminal && !quiet && !ci
}

/// A live line on stderr ("rendered 3/20 partners, 15000 pages (4100 pages/s)") when
/// `shows_progress` says so; the caller clears it before printing its summary.
fn live_progress(verb: &'static str, quiet: bool) -> Option<livery::Progress> {
    use std::io::IsTerminal as _;
    let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false");
    if !shows_progress(std::io::stderr().is_terminal(), quiet, ci) {
        return None;
    }
    let started = std::time::Instant::now();
    Some(livery::Progress(std::sync::Arc::new(move |step: livery::Step| {
        let seconds = started.elapsed().as_secs_f64().max(0.001);
        eprint!(
            "\r\x1b[2K{verb} {}/{} partners, {} pages ({:.0} pages/s)",
            step.done,
            step.total,
            step.pages,
            step.pages as f64 / seconds
        );
    })))
}

/// `--root`, or the nearest folder holding livery.toml; the error exit if none.
fn project_root(root: Option<PathBuf>) -> Result<PathBuf, ExitCode> {
    livery::load::content::project_root(root.as_deref()).map_err(fail)
}

fn fail(error: livery::Error) -> ExitCode {
    eprintln!("{error}");
    ExitCode::from(error.exit_code() as u8)
}

fn ms(duration: std::time::Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

#[cfg(test)]
mod tests {
    use super::shows_progress;

    #[test]
    fn progress_shows_only_on_a_terminal_outside_ci_and_without_quiet() {
        assert!(shows_progress(true, false, false));
        assert!(!shows_progress(false, false, false), "piped");
        assert!(!shows_progress(true, true, false), "-q");
        assert!(!shows_progress(true, false, true), "CI=true");
    }
}
