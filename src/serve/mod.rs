//! `livery serve`: builds every partner into a private folder, serves them under
//! `/<id>/` on loopback, rebuilds when the project changes, and tells open pages to
//! reload. A failed rebuild leaves the last good sites served (the build never writes
//! a partial site) and shows the error in the browser. Every connection passes the
//! `gate` (bounded, well-formed HTTP/1.x) before tiny_http, and `http` answers only
//! requests addressed to the server by its own names.

mod gate;
mod http;
mod live;

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use notify_debouncer_full::notify::RecursiveMode;
use notify_debouncer_full::notify::event::{AccessKind, AccessMode, EventKind};

use crate::{BuildOptions, Error};

pub use http::{Route, route};

pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
    pub partners: Vec<String>,
    pub drafts: bool,
    pub open: bool,
}

/// (id, name, logo) of each partner the last good build produced.
type PartnerList = Arc<Mutex<Vec<(String, String, Option<String>)>>>;

pub fn serve(options: ServeOptions) -> Result<(), Error> {
    crate::load::content::require_project(&options.root)?;
    crate::pipeline::check_partner_names(&options.root, &options.partners)?;
    // Listen before building, so a busy port is reported at once; connections wait in
    // the queue until the sites are built.
    let address = SocketAddr::new(options.bind, options.port);
    let listener = std::net::TcpListener::bind(address).map_err(|e| {
        Error::Usage(format!(
            "error: cannot listen on {address}: {e}; choose another port with --port"
        ))
    })?;
    let port = listener.local_addr().map_or(options.port, |a| a.port());
    let out = tempfile::Builder::new()
        .prefix("livery-serve-")
        .tempdir()
        .map_err(|e| Error::io(Path::new("/tmp"), e))?;
    let build_options = BuildOptions {
        root: options.root.clone(),
        out: Some(out.path().to_owned()),
        partners: options.partners.clone(),
        drafts: options.drafts,
        shard: None,
        dev_server: true,
        no_wait: false,
        cache: false,
        progress: None,
    };
    let writing = Writing::default();
    remove_on_stop(out.path(), writing.clone())?;
    let hub = live::Hub::default();
    let partners: PartnerList = Arc::default();
    // Watch before the first build, so an edit made while it runs is not missed; the
    // watcher's thread builds first and says when the sites are ready.
    let (ready, sites_built) = std::sync::mpsc::channel();
    let _watcher =
        watch(&options.root, build_options, hub.clone(), partners.clone(), writing, ready)?;
    let _ = sites_built.recv();

    let (server, upstream) =
        gate::inner_server(out.path()).map_err(|e| Error::io(out.path(), e))?;
    std::thread::spawn(move || gate::accept(listener, upstream));
    let shown = if options.bind.is_unspecified() { [127, 0, 0, 1].into() } else { options.bind };
    let url = format!("http://{}/", SocketAddr::new(shown, port));
    let hosts = Arc::new(http::Hosts { bind: options.bind, port });
    if !options.bind.is_loopback() {
        eprintln!(
            "warning: serving on {} — anyone on your network can read these sites",
            options.bind
        );
    }
    println!("serving at {url} (press Ctrl-C to stop)");
    for (id, name, _) in partners.lock().unwrap_or_else(|e| e.into_inner()).iter() {
        println!("  {name:<28} {url}{id}/");
    }

    if options.open {
        let _ =
            std::process::Command::new(if cfg!(target_os = "macos") { "open" } else { "xdg-open" })
                .arg(&url)
                .spawn();
    }

    let server = Arc::new(server);
    // Several workers: a browser holds up to six connections per site, and a response
    // to a page that is navigating away can stall a worker until its socket closes.
    let workers: Vec<_> = (0..16)
        .map(|_| {
            let (server, hub, partners, out, hosts) = (
                server.clone(),
                hub.clone(),
                partners.clone(),
                out.path().to_owned(),
                hosts.clone(),
            );
            std::thread::spawn(move || {
                while let Ok(request) = server.recv() {
                    let Some(request) = http::check_host(request, &hosts) else { continue };
                    if request.url().split('?').next() == Some("/__livery/events") {
                        // Each open page holds one event stream: give it its own thread.
                        let stream = hub.subscribe();
                        std::thread::spawn(move || {
                            // tiny_http buffers response bodies; events must go out at once.
                            let mut writer = request.into_writer();
                            stream.pump(&mut *writer);
                        });
                        continue;
                    }
                    let list = partners.lock().unwrap_or_else(|e| e.into_inner()).clone();
                    http::respond(request, &out, &list, hub.generation());
                }
            })
        })
        .collect();
    for worker in workers {
        let _ = worker.join();
    }
    Ok(())
}

/// Held while a build writes the output folder, so a stop never removes it under a
/// build that would then write it again.
type Writing = Arc<Mutex<()>>;

/// Ctrl-C, SIGTERM and SIGHUP end the process without running destructors: the built
/// sites (hundreds of MB on a large project) would stay in the temporary folder. The
/// handler waits for a build in progress, removes the folder, and exits; holding the
/// lock while exiting keeps the next build from starting.
fn remove_on_stop(out: &Path, writing: Writing) -> Result<(), Error> {
    let out = out.to_owned();
    ctrlc::set_handler(move || {
        let _writing = writing.lock().unwrap_or_else(|e| e.into_inner());
        let _ = std::fs::remove_dir_all(&out);
        std::process::exit(0);
    })
    .map_err(|e| Error::Usage(format!("error: cannot handle Ctrl-C: {e}")))
}

/// Builds everything and tells open pages what changed, or what went wrong.
fn rebuild(
    options: &BuildOptions,
    cache: &mut crate::cache::Cache,
    hub: &live::Hub,
    partners: &PartnerList,
    writing: &Writing,
) {
    let _writing = writing.lock().unwrap_or_else(|e| e.into_inner());
    let started = Instant::now();
    match crate::pipeline::rebuild(options, cache) {
        Ok(report) => {
            let changed: Vec<String> = report
                .partners
                .iter()
                .flat_map(|p| p.changed.iter().map(move |path| format!("/{}/{path}", p.id)))
                .collect();
            *partners.lock().unwrap_or_else(|e| e.into_inner()) = report
                .partners
                .iter()
                .map(|p| (p.id.clone(), p.name.clone(), p.logo.clone()))
                .collect();
            for warning in &report.warnings {
                eprintln!("{warning}\n");
            }
            println!(
                "{} built {} partner site{} in {:.0} ms: {} file{} changed",
                clock(),
                report.partners.len(),
                if report.partners.len() == 1 { "" } else { "s" },
                started.elapsed().as_secs_f64() * 1000.0,
                changed.len(),
                if changed.len() == 1 { "" } else { "s" }
            );
            hub.rebuilt(&changed);
        }
        Err(error) => {
            let message = error.to_string();
            eprintln!("{message}");
            println!("{} build failed; the last good sites stay served", clock());
            hub.failed(&message);
        }
    }
}

/// Watches content, partners, themes, older versions and livery.toml; rebuilds after each burst of
/// changes (editors save by writing a temporary file and renaming it).
fn watch(
    root: &Path,
    options: BuildOptions,
    hub: live::Hub,
    partners: PartnerList,
    writing: Writing,
    ready: std::sync::mpsc::Sender<()>,
) -> Result<
    notify_debouncer_full::Debouncer<
        notify_debouncer_full::notify::RecommendedWatcher,
        notify_debouncer_full::RecommendedCache,
    >,
    Error,
> {
    let (sender, receiver) = std::sync::mpsc::channel();
    let mut debouncer =
        notify_debouncer_full::new_debouncer(Duration::from_millis(50), None, sender).map_err(
            |e| Error::Usage(format!("error: cannot watch the project for changes: {e}")),
        )?;
    // A `versions/` folder made while the server runs is watched from its next start.
    for dir in ["content", "partners", "themes", crate::model::project::VERSIONS_DIR] {
        let path = root.join(dir);
        if path.is_dir() {
            debouncer
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| Error::io(&path, std::io::Error::other(e)))?;
        }
    }
    let project_file = root.join(crate::model::project::PROJECT_FILE);
    debouncer
        .watch(&project_file, RecursiveMode::NonRecursive)
        .map_err(|e| Error::io(&project_file, std::io::Error::other(e)))?;
    std::thread::spawn(move || {
        let mut cache = crate::cache::Cache::new();
        rebuild(&options, &mut cache, &hub, &partners, &writing);
        let _ = ready.send(());
        // Every batch counts: each build's own reads of every file come back as batches
        // of events, and a save queued behind one of them must not be dropped with it.
        // A save made during a build is still queued when it ends, so it causes the
        // next one: the served sites always end up as the files on disk.
        while let Ok(first) = receiver.recv() {
            let mut relevant = is_relevant(&first);
            while let Ok(more) = receiver.try_recv() {
                relevant |= is_relevant(&more);
            }
            if relevant {
                rebuild(&options, &mut cache, &hub, &partners, &writing);
            }
        }
    });
    Ok(debouncer)
}

/// A batch of events that may change the sites (an error may hide one, so it counts).
fn is_relevant(batch: &notify_debouncer_full::DebounceEventResult) -> bool {
    match batch {
        Ok(events) => events
            .iter()
            .filter(|e| is_change(&e.kind))
            .flat_map(|e| e.paths.iter())
            .any(|p| !is_editor_noise(p)),
        Err(_) => true,
    }
}

/// Reading a file (as every build does) is not a change; closing it after writing is.
fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// Swap and backup files editors write beside the real one.
fn is_editor_noise(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    name.starts_with(".#")
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name == "4913"
}

fn clock() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    format!("[{:02}:{:02}:{:02}]", seconds / 3600 % 24, seconds / 60 % 60, seconds % 60)
}
