//! `livery serve` over real sockets: routing, content types, 404s, caching headers,
//! and requests that try to leave the output folder.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::Fixture;

/// The running server, with a private temporary folder of its own (its `TMPDIR`), so
/// whatever it leaves there is seen by the test and removed with it. Stopped with
/// SIGTERM, as a person or a service manager would, when the test ends, pass or fail.
struct Server {
    child: Child,
    /// Where it listens, as its first line says: `127.0.0.1:PORT` unless `--bind`.
    address: std::net::SocketAddr,
    port: u16,
    tmp: tempfile::TempDir,
}

impl Server {
    /// The `Host` header a browser sends for the address the server printed.
    fn host(&self) -> String {
        self.address.to_string()
    }

    /// Sends SIGTERM and waits for the server to exit (killing it after a generous
    /// deadline, so a server that ignores the signal fails the test instead of hanging it).
    fn stop(&mut self) -> Option<std::process::ExitStatus> {
        terminate(&self.child, Signal::Term);
        wait_or_kill(&mut self.child)
    }

    /// The folders the server made in its temporary folder.
    fn temporary_folders(&self) -> Vec<String> {
        std::fs::read_dir(self.tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            self.stop();
        }
    }
}

#[derive(Clone, Copy)]
enum Signal {
    Term,
    Int,
}

#[cfg(unix)]
fn terminate(child: &Child, signal: Signal) {
    use rustix::process::{Pid, Signal as S, kill_process};
    let signal = match signal {
        Signal::Term => S::TERM,
        Signal::Int => S::INT,
    };
    let _ = kill_process(Pid::from_child(child), signal);
}

#[cfg(not(unix))]
fn terminate(_: &Child, _: Signal) {}

/// The exit status, or None if the server was still running 60 s after the signal
/// (it is killed then).
fn wait_or_kill(child: &mut Child) -> Option<std::process::ExitStatus> {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Ok(Some(status)) = child.try_wait() {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

fn start(project: &Fixture) -> Server {
    start_with(project, &[])
}

/// `livery serve --port 0 ARGS…` in the project, with `tmp` as its temporary folder.
fn serve_command(project: &Fixture, args: &[&str], tmp: &std::path::Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_livery"));
    command
        .args(["serve", "--port", "0"])
        .args(args)
        .current_dir(project.path())
        .env("TMPDIR", tmp);
    command
}

/// Starts `livery serve --port 0 ARGS…` in the project and waits until it listens.
fn start_with(project: &Fixture, args: &[&str]) -> Server {
    let tmp = tempfile::tempdir().unwrap();
    let mut child = serve_command(project, args, tmp.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let address: std::net::SocketAddr = loop {
        let line = lines.next().expect("the server says where it listens").unwrap();
        if let Some(rest) = line.strip_prefix("serving at http://") {
            break rest.split('/').next().unwrap().parse().unwrap();
        }
    };
    // Keep draining stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Server { child, address, port: address.port(), tmp }
}

/// A raw HTTP exchange, so paths reach the server exactly as written. A server that
/// never answers fails the test after 30 s instead of hanging it.
fn exchange(server: &Server, request: &str) -> (u16, String, Vec<u8>) {
    let mut stream = TcpStream::connect(server.address).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    read_response(stream)
}

fn read_response(mut stream: TcpStream) -> (u16, String, Vec<u8>) {
    let mut response = Vec::new();
    stream.read_to_end(&mut response).expect("an answer, and the connection closed");
    let split = response.windows(4).position(|w| w == b"\r\n\r\n").expect("a complete response");
    let head = String::from_utf8_lossy(&response[..split]).into_owned();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, head, response[split + 4..].to_vec())
}

fn get(server: &Server, path: &str) -> (u16, String, Vec<u8>) {
    exchange(
        server,
        &format!("GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n", server.host()),
    )
}

/// Asks for `path` until `done` holds for the answer or 60 s have passed, and returns
/// the last answer: for changes the server picks up by itself.
fn eventually(server: &Server, path: &str, done: impl Fn(u16, &[u8]) -> bool) -> (u16, Vec<u8>) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let (status, _, body) = get(server, path);
        if done(status, &body) || Instant::now() > deadline {
            return (status, body);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn header<'h>(head: &'h str, name: &str) -> Option<&'h str> {
    head.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.eq_ignore_ascii_case(name).then(|| value.trim())
    })
}

#[test]
fn serves_every_partner_under_its_id_with_an_index() {
    let project = Fixture::new();
    let server = start(&project);
    let (status, head, body) = get(&server, "/");
    assert_eq!(status, 200);
    assert_eq!(header(&head, "content-type"), Some("text/html; charset=utf-8"));
    let index = String::from_utf8_lossy(&body);
    assert!(index.contains("href=\"/alpha/\"") && index.contains("Alpha Hosting"), "{index}");
    assert!(index.contains("href=\"/beta/\"") && index.contains("Beta Retail"), "{index}");

    let (status, head, body) = get(&server, "/alpha/runbooks/restore/");
    assert_eq!(status, 200);
    assert_eq!(header(&head, "cache-control"), Some("no-cache"));
    let page = String::from_utf8_lossy(&body);
    assert!(page.contains("<h1>Restore a backup</h1>"));
    assert!(
        page.contains("<script src=\"/__livery/live.js?g=1\" defer></script></head>"),
        "the live script is added"
    );
    assert!(!project.exists("public"), "serve does not write the project's output folder");

    for (path, content_type) in [
        ("/alpha/style.css", "text/css; charset=utf-8"),
        ("/alpha/theme.js", "text/javascript; charset=utf-8"),
        ("/alpha/logo.svg", "image/svg+xml"),
        ("/alpha/search/manifest.json", "application/json"),
        ("/alpha/sitemap.xml", "application/xml"),
        ("/__livery/live.js", "text/javascript; charset=utf-8"),
    ] {
        let (status, head, _) = get(&server, path);
        assert_eq!((status, header(&head, "content-type")), (200, Some(content_type)), "{path}");
    }
}

#[test]
fn missing_pages_get_the_partners_own_404() {
    let project = Fixture::new();
    let server = start(&project);
    let (status, _, body) = get(&server, "/beta/no/such/page/");
    assert_eq!(status, 404);
    let page = String::from_utf8_lossy(&body);
    assert!(page.contains("Beta Retail") && !page.contains("Alpha Hosting"), "{page}");
    assert!(page.contains("href=\"/beta/style.css"), "the 404 page's links work under /beta/");
    let (status, _, _) = get(&server, "/gamma/");
    assert_eq!(status, 404);
}

#[test]
fn requests_never_leave_the_output_folder() {
    let project = Fixture::new();
    project.file("secret.txt", "do not serve");
    let server = start(&project);
    for path in [
        "/../secret.txt",
        "/alpha/../../secret.txt",
        "/alpha/%2e%2e/%2e%2e/secret.txt",
        "/alpha/..%2f..%2fsecret.txt",
        "/alpha%2f..%2f..%2fsecret.txt",
        "/alpha/..%5c..%5csecret.txt",
        "//etc/passwd",
        "/alpha//etc/passwd",
        "/%2fetc%2fpasswd",
        "/alpha/%00",
        "/alpha/%zz",
    ] {
        let (status, _, body) = get(&server, path);
        assert!(matches!(status, 400 | 404), "{path}: {status}");
        let body = String::from_utf8_lossy(&body);
        assert!(!body.contains("do not serve") && !body.contains("root:"), "{path} leaked a file");
    }
}

#[test]
fn head_etags_and_methods() {
    let project = Fixture::new();
    let server = start(&project);
    let host = server.host();
    let (status, head, body) = exchange(
        &server,
        &format!("HEAD /alpha/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
    );
    assert_eq!(status, 200);
    assert!(body.is_empty(), "HEAD has no body");
    let etag = header(&head, "etag").expect("an ETag").to_owned();
    let (status, _, body) = exchange(
        &server,
        &format!(
            "GET /alpha/ HTTP/1.1\r\nHost: {host}\r\nIf-None-Match: {etag}\r\nConnection: close\r\n\r\n"
        ),
    );
    assert_eq!((status, body.len()), (304, 0));
    let (status, _, _) = exchange(
        &server,
        &format!(
            "POST /alpha/ HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        ),
    );
    assert_eq!(status, 405);
    let (status, _, _) = exchange(&server, "GARBAGE\r\n\r\n");
    assert_eq!(status, 400, "a malformed request gets a 400, and the server lives on");
    assert_eq!(get(&server, "/alpha/").0, 200);
}

#[test]
fn a_rebuild_is_announced_to_open_pages() {
    let project = Fixture::new();
    let server = start(&project);
    let mut stream = TcpStream::connect(server.address).unwrap();
    let request = format!("GET /__livery/events HTTP/1.1\r\nHost: {}\r\n\r\n", server.host());
    stream.write_all(request.as_bytes()).unwrap();
    let mut reader = BufReader::new(stream);
    let mut read_event = || {
        let mut event = String::new();
        loop {
            let mut line = String::new();
            assert_ne!(reader.read_line(&mut line).unwrap(), 0, "the event stream ended");
            if line == "\r\n" || line == "\n" {
                if event.starts_with("event:") {
                    return event;
                }
                event.clear();
                continue;
            }
            event.push_str(&line);
        }
    };
    assert_eq!(read_event(), "event: ok\ndata: 1\n");
    project
        .file("content/runbooks/restore.md", "+++\ntitle = \"Restore, edited\"\n+++\nNew text.\n");
    let event = read_event();
    assert!(event.starts_with("event: change\n"), "{event}");
    assert!(event.contains("/alpha/runbooks/restore/index.html"), "{event}");
    project.file("content/runbooks/restore.md", "+++\ntitle = \n+++\n");
    let event = read_event();
    assert!(
        event.starts_with("event: failed\n") && event.contains("content/runbooks/restore.md:2"),
        "{event}"
    );
    let (_, _, body) = get(&server, "/alpha/runbooks/restore/");
    assert!(
        String::from_utf8_lossy(&body).contains("Restore, edited"),
        "the last good page stays served"
    );
}

#[test]
fn stopping_the_server_removes_its_built_sites() {
    let project = Fixture::new();
    for signal in [Signal::Term, Signal::Int] {
        let mut server = start(&project);
        assert_eq!(get(&server, "/alpha/").0, 200);
        let folders = server.temporary_folders();
        assert!(
            folders.len() == 1 && folders[0].starts_with("livery-serve-"),
            "the sites are built in one private folder: {folders:?}"
        );
        terminate(&server.child, signal);
        let status = wait_or_kill(&mut server.child).expect("the server stops on the signal");
        assert!(status.success(), "a stop on request is not a failure: {status}");
        assert_eq!(server.temporary_folders(), Vec::<String>::new(), "nothing is left behind");
    }
}

#[test]
fn an_unknown_partner_stops_serve_like_build() {
    let project = Fixture::new();
    let build = project.run(&["build", "--partner", "nope"]);
    assert_eq!(build.status.code(), Some(2));
    let tmp = tempfile::tempdir().unwrap();
    let mut child = serve_command(&project, &["--partner", "nope"], tmp.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let status = wait_or_kill(&mut child).expect("serve exits instead of serving nothing");
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    assert_eq!((status.code(), stderr.as_str()), (Some(2), common::stderr(&build).as_str()));
    assert!(
        stderr.starts_with("error: there is no partner `nope` (partners: alpha, beta)"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0, "nothing is left behind");
}

/// A web page the developer visits may point its own name at 127.0.0.1 (DNS
/// rebinding) and read the answers as its own: only our own names are answered.
#[test]
fn only_requests_for_our_own_host_names_are_answered() {
    let project = Fixture::new();
    for bind in [None, Some("127.0.0.2")] {
        let server = match bind {
            None => start(&project),
            Some(address) => start_with(&project, &["--bind", address]),
        };
        let port = server.port;
        let request = |path: &str, host: &str| {
            exchange(
                &server,
                &format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
            )
        };
        for path in ["/alpha/search/manifest.json", "/__livery/partners.json", "/__livery/events"] {
            for host in [
                "evil.example".to_owned(),
                format!("evil.example:{port}"),
                format!("localhost.evil.example:{port}"),
                format!("127.0.0.1:{}", port + 1),
                "127.0.0.1".to_owned(),
            ] {
                let (status, _, body) = request(path, &host);
                let body = String::from_utf8_lossy(&body);
                assert_eq!(status, 403, "{path} for Host: {host}");
                assert!(!body.contains("alpha") && !body.contains("Alpha"), "{path}: {body}");
            }
        }
        let mut ours = vec![
            format!("localhost:{port}"),
            format!("LocalHost:{port}"),
            format!("127.0.0.1:{port}"),
            format!("[::1]:{port}"),
        ];
        ours.extend(bind.map(|address| format!("{address}:{port}")));
        for host in &ours {
            assert_eq!(request("/alpha/search/manifest.json", host).0, 200, "Host: {host}");
        }
    }
}

/// `/alpha/runbooks` answered with the page would resolve its relative links (the
/// stylesheet among them) against `/alpha/`, and show it unstyled.
#[test]
fn folders_without_a_trailing_slash_redirect() {
    let project = Fixture::new();
    let server = start(&project);
    for (path, location) in [
        ("/alpha", "/alpha/"),
        ("/alpha/runbooks", "/alpha/runbooks/"),
        ("/alpha/runbooks/restore?from=search", "/alpha/runbooks/restore/?from=search"),
    ] {
        let (status, head, _) = get(&server, path);
        assert_eq!((status, header(&head, "location")), (301, Some(location)), "{path}");
        assert_eq!(get(&server, location).0, 200, "{location}");
    }
    assert_eq!(get(&server, "/alpha/style.css").0, 200, "files are not redirected");
}

/// An old URL of a page, with or without its slash, reaches the page under `/<id>/`: the
/// redirect page's URLs are relative, so the server needs nothing of its own for them.
#[test]
fn an_alias_leads_to_its_page_under_the_partners_path() {
    let project = Fixture::new();
    let restore = project.read("content/runbooks/restore.md");
    project.file(
        "content/runbooks/restore.md",
        &restore.replace("weight = 1\n", "weight = 1\naliases = [\"/old/restore/\"]\n"),
    );
    let server = start(&project);
    let (status, head, _) = get(&server, "/beta/old/restore");
    assert_eq!((status, header(&head, "location")), (301, Some("/beta/old/restore/")));
    let (status, _, body) = get(&server, "/beta/old/restore/");
    assert_eq!(status, 200);
    let body = String::from_utf8(body).unwrap();
    assert!(body.contains("content=\"0; url=../../runbooks/restore/\""), "{body}");
    let (status, _, page) = get(&server, "/beta/runbooks/restore/");
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&page).contains("Restore a backup"));
}

#[test]
fn content_files_are_republished_as_they_change() {
    let project = Fixture::new();
    project.bytes("content/runbooks/diagram.png", b"first diagram");
    let server = start(&project);
    assert_eq!(get(&server, "/alpha/runbooks/diagram.png").2, b"first diagram");
    project.file("content/runbooks/notes.txt", "new notes");
    project.bytes("content/runbooks/diagram.png", b"second diagram");
    let (status, body) =
        eventually(&server, "/alpha/runbooks/notes.txt", |status, _| status == 200);
    assert_eq!((status, body.as_slice()), (200, &b"new notes"[..]));
    let (_, body) =
        eventually(&server, "/alpha/runbooks/diagram.png", |_, body| body == b"second diagram");
    assert_eq!(body, b"second diagram");
}

/// On a large project a rebuild takes long enough for the next save to land while it
/// runs; that save must cause another rebuild, whatever else the watcher reports
/// meanwhile (the build's own reads of every file among it). The served page always
/// ends up as the file on disk.
#[test]
fn saves_during_a_rebuild_are_never_lost_on_a_large_project() {
    let project = Fixture::new();
    for section in 0..20 {
        project.file(
            &format!("content/bulk/s{section:02}/_index.md"),
            &format!("+++\ntitle = \"Section {section}\"\n+++\n"),
        );
        for page in 0..100 {
            project.file(
                &format!("content/bulk/s{section:02}/p{page:03}.md"),
                &format!("+++\ntitle = \"Page {section}.{page}\"\n+++\nText of page {page}.\n\n## More\n\nMore text.\n"),
            );
        }
    }
    // One partner is enough to make a rebuild take long, and halves the first build.
    let server = start_with(&project, &["--partner", "alpha"]);
    let save = |version: usize| {
        project.file(
            "content/bulk/s07/p042.md",
            &format!("+++\ntitle = \"Page 7.42\"\n+++\nThis is version {version}.\n"),
        );
    };
    let mut version = 0;
    for gap in [100, 500] {
        version += 2;
        save(version - 1);
        std::thread::sleep(Duration::from_millis(gap));
        save(version);
        let wanted = format!("This is version {version}.");
        let (_, body) = eventually(&server, "/alpha/bulk/s07/p042/", |_, body| {
            String::from_utf8_lossy(body).contains(&wanted)
        });
        let page = String::from_utf8_lossy(&body);
        let served = page.split("This is version ").nth(1).and_then(|v| v.split('.').next());
        assert!(
            page.contains(&wanted),
            "saved twice {gap} ms apart: version {version} on disk, version {served:?} served"
        );
    }
}

#[test]
fn malformed_and_unsupported_requests_get_an_answer() {
    let project = Fixture::new();
    let server = start(&project);
    let host = server.host();
    for (request, status) in [
        (format!("GET /alpha/ HTTP/1.1\nHost: {host}\n\n"), 400),
        (format!("GET /alpha/ HTTP/1.1\r\nHost: {host}\n\r\n"), 400),
        (format!("GET /alpha/ HTTP/1.1\r\nHost: {host}\r\n\n"), 400),
        (format!("GET /alpha/ HTTP/2.0\r\nHost: {host}\r\n\r\n"), 505),
        ("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".to_owned(), 505),
        ("GET /alpha/ HTTP/1.1\r\n\r\n".to_owned(), 400),
        (format!("GET /alpha/ HTTP/1.1\r\nHost: {host}\r\nHost: {host}\r\n\r\n"), 400),
        (format!("GET /alpha/  HTTP/1.1\r\nHost: {host}\r\n\r\n"), 400),
        (format!("GET /alpha/ HTTP/1.1\r\nHost : {host}\r\n\r\n"), 400),
        (format!("GET /alpha/ HTTP/1.1\r\nHost: {host}\r\n folded\r\n\r\n"), 400),
        (format!("GET /alph\u{e9}/ HTTP/1.1\r\nHost: {host}\r\n\r\n"), 400),
        (format!("GET /alpha/ HTTP/1.1\r\nHost: {host}\r\nX: \u{1}\r\n\r\n"), 400),
        (format!("GET /{} HTTP/1.1\r\nHost: {host}\r\n\r\n", "a".repeat(9000)), 414),
        (format!("GET /alpha/ HTTP/1.1\r\nHost: {host}\r\nX: {}\r\n\r\n", "a".repeat(9000)), 431),
        (format!("GET /alpha/ HTTP/1.1\r\nHost: {host}\r\n{}\r\n", "X: y\r\n".repeat(101)), 431),
        (
            format!(
                "POST /alpha/ HTTP/1.1\r\nHost: {host}\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
            ),
            411,
        ),
        (
            format!("POST /alpha/ HTTP/1.1\r\nHost: {host}\r\nContent-Length: 100000000\r\n\r\n"),
            413,
        ),
        (format!("POST /alpha/ HTTP/1.1\r\nHost: {host}\r\nContent-Length: 5\r\n\r\nhello"), 405),
        (format!("GET /alpha/ HTTP/1.0\r\nHost: {host}\r\n\r\n"), 200),
    ] {
        let (answer, head, _) = exchange(&server, &request);
        assert_eq!(answer, status, "{request:?}");
        assert_eq!(header(&head, "connection"), Some("close"), "{request:?}");
    }
    assert_eq!(get(&server, "/alpha/").0, 200, "the server lives on");
}

/// The request head is read with bounds: a client that sends a header without end
/// gets a 431 while it is still sending, and is cut off soon after.
#[test]
fn an_endless_header_is_refused_without_reading_it_all() {
    let project = Fixture::new();
    let server = start(&project);
    let memory_before = peak_memory(&server);
    let mut stream = TcpStream::connect(server.address).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut writer = stream.try_clone().unwrap();
    let head = format!("GET /alpha/ HTTP/1.1\r\nHost: {}\r\nX-Long: ", server.host());
    let sending = std::thread::spawn(move || {
        let chunk = vec![b'a'; 64 * 1024];
        let mut sent = writer.write(head.as_bytes()).unwrap_or(0);
        while sent < 300 << 20 {
            match writer.write(&chunk) {
                Ok(n) => sent += n,
                Err(_) => break,
            }
        }
        sent
    });
    let mut answer = [0u8; 12];
    stream.read_exact(&mut answer).expect("an answer while the header is still coming");
    assert_eq!(&answer, b"HTTP/1.1 431");
    let sent = sending.join().unwrap();
    assert!(sent < 64 << 20, "the server stops reading: {} MiB were sent", sent >> 20);
    if let (Some(before), Some(after)) = (memory_before, peak_memory(&server)) {
        assert!(after < before + (32 << 20), "peak memory {before} → {after} bytes");
    }
    assert_eq!(get(&server, "/alpha/").0, 200, "the server lives on");
}

/// The server's peak resident memory in bytes (Linux).
fn peak_memory(server: &Server) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{}/status", server.child.id())).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// Connections beyond the limit (128 at once) are answered 503 at once, and the
/// server serves again when they close.
#[test]
fn connections_are_bounded() {
    let project = Fixture::new();
    let server = start(&project);
    let idle: Vec<TcpStream> =
        (0..128).map(|_| TcpStream::connect(server.address).unwrap()).collect();
    // Each idle connection holds its place once the server has taken it from the queue:
    // the one past the limit is refused as soon as that happened, which may take a moment.
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        let (status, _, _) = get(&server, "/alpha/");
        if status == 503 || Instant::now() > deadline {
            break status;
        }
    };
    assert_eq!(status, 503);
    drop(idle);
    let (status, _) = eventually(&server, "/alpha/", |status, _| status == 200);
    assert_eq!(status, 200);
}

#[test]
fn an_older_versions_pages_are_served_and_rebuilt_as_they_change() {
    let project = Fixture::new();
    project
        .file("livery.toml", "title = \"Test KB\"\n\n[versions]\nlist = [\"2\", \"1\"]\n")
        .copy_dir(&project.path().join("content"), "versions/1/content");
    let server = start(&project);
    let (status, _, body) = get(&server, "/alpha/1/runbooks/restore/");
    assert_eq!(status, 200);
    let page = String::from_utf8_lossy(&body).into_owned();
    assert!(page.contains("class=\"version-notice\""), "{page}");
    // The switcher leads to the newest version under the partner's path.
    assert!(page.contains("href=\"../../../runbooks/restore/\""), "{page}");
    project.file("versions/1/content/runbooks/restore.md", "# Restore, version 1\n\nOld steps.\n");
    let (_, body) = eventually(&server, "/alpha/1/runbooks/restore/", |_, body| {
        String::from_utf8_lossy(body).contains("Restore, version 1")
    });
    assert!(String::from_utf8_lossy(&body).contains("Old steps."));
}
