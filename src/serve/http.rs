//! Answers one HTTP request from the built sites: files under `/<id>/`, the index of
//! partners at `/`, each partner's own 404 page, and nothing outside the output
//! folder, whatever the request path says; and only to requests addressed to the
//! server by one of its own names (`Hosts`).

use std::net::IpAddr;
use std::path::{Component, Path, PathBuf};

use tiny_http::{Header, Method, Request, Response, StatusCode};

use super::live;

/// The `Host` names the server answers to. A page of another site that points its
/// own name at 127.0.0.1 (DNS rebinding) makes the browser send that name, so answering
/// any `Host` would let it read every partner's content and drafts as its own. Ours are
/// `localhost`, `127.0.0.1` and `[::1]` with the port, and the `--bind` address; with
/// an unspecified `--bind` (`0.0.0.0`, `::`) any address literal, since a name a page
/// controls is never an address literal.
pub struct Hosts {
    pub bind: IpAddr,
    pub port: u16,
}

impl Hosts {
    pub fn allow(&self, host: Option<&str>) -> bool {
        let Some(host) = host.map(str::trim) else { return false };
        let (name, port) = match host.strip_prefix('[') {
            Some(rest) => match rest.split_once(']') {
                Some((v6, port)) => (v6, port),
                None => return false,
            },
            None => host.split_at(host.find(':').unwrap_or(host.len())),
        };
        let port_matches = match port.strip_prefix(':') {
            Some(digits) => {
                digits.bytes().all(|b| b.is_ascii_digit()) && digits.parse() == Ok(self.port)
            }
            None => port.is_empty() && self.port == 80,
        };
        let bracketed = host.starts_with('[');
        let address = if bracketed {
            name.parse::<std::net::Ipv6Addr>().ok().map(IpAddr::V6)
        } else {
            name.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4)
        };
        let name_matches = match address {
            Some(ip) => {
                ip == IpAddr::from([127, 0, 0, 1])
                    || ip == IpAddr::from(std::net::Ipv6Addr::LOCALHOST)
                    || ip == self.bind
                    || self.bind.is_unspecified()
            }
            None => !bracketed && name.eq_ignore_ascii_case("localhost"),
        };
        port_matches && name_matches
    }
}

/// Answers a request addressed to a name that is not ours with 403, or gives it back.
pub fn check_host(request: Request, hosts: &Hosts) -> Option<Request> {
    let host = request.headers().iter().find(|h| h.field.equiv("Host")).map(|h| h.value.as_str());
    if hosts.allow(host) {
        return Some(request);
    }
    let message = "livery serve answers only requests for localhost, 127.0.0.1 or [::1] \
                   with its port (or the --bind address)\n";
    send(request, 403, "text/plain; charset=utf-8", message.as_bytes().to_vec());
    None
}

/// What a request resolves to, before any response is built.
#[derive(Debug, PartialEq, Eq)]
pub enum Route {
    /// The index of partners.
    Index,
    /// A file of the output folder (absolute path).
    File(PathBuf),
    /// A folder named without its trailing slash: the same URL with one (a path on
    /// this server). Its page's relative links only work from there.
    Redirect(String),
    /// Not found: the partner's 404 page when the path names a partner.
    NotFound { partner: Option<String> },
    /// Not a path we will look at: encoded slashes, `..`, control characters.
    BadRequest,
}

/// Resolves `url` (path and query) against `out`, the folder holding `<id>/` sites.
pub fn route(out: &Path, url: &str) -> Route {
    // Visible ASCII only, as HTTP allows: what is echoed in a `Location` stays a valid header.
    if !url.bytes().all(|b| b.is_ascii_graphic()) {
        return Route::BadRequest;
    }
    let path = url.split(['?', '#']).next().unwrap_or("/");
    if path == "/" || path.is_empty() {
        return Route::Index;
    }
    let Some(decoded) = crate::support::urls::percent_decode(path) else {
        return Route::BadRequest;
    };
    if !decoded.starts_with('/')
        || decoded.contains(['\\', '\0'])
        || decoded.chars().any(char::is_control)
    {
        return Route::BadRequest;
    }
    // Decoding may not create separators or parent steps the raw path did not have.
    let raw_segments = path.split('/').count();
    if decoded.split('/').count() != raw_segments {
        return Route::BadRequest;
    }
    let mut relative = PathBuf::new();
    for component in Path::new(decoded.trim_start_matches('/')).components() {
        match component {
            Component::Normal(part) => relative.push(part),
            Component::CurDir => {}
            _ => return Route::BadRequest,
        }
    }
    let partner = relative
        .iter()
        .next()
        .map(|p| p.to_string_lossy().into_owned())
        .filter(|id| !id.starts_with('.'));
    let Some(partner) = partner else { return Route::NotFound { partner: None } };
    let mut candidate = out.join(&relative);
    if candidate.is_dir() {
        if !decoded.ends_with('/') {
            return Route::Redirect(with_slash(path, &decoded, url));
        }
        candidate.push("index.html");
    }
    // Only files inside a partner's site; symlinks resolving elsewhere are not served.
    match (candidate.canonicalize(), out.join(&partner).canonicalize()) {
        (Ok(file), Ok(site))
            if site.is_dir()
                && site.starts_with(out)
                && file.starts_with(&site)
                && file.is_file() =>
        {
            Route::File(file)
        }
        _ => Route::NotFound { partner: Some(partner) },
    }
}

/// `/acme/runbooks?q` → `/acme/runbooks/?q`, from the raw segments (still encoded) less
/// empty and `.` ones, so the result is one absolute path on this server: `//host/x`
/// would send the browser to another site.
fn with_slash(path: &str, decoded: &str, url: &str) -> String {
    let mut location = String::new();
    for (raw, plain) in path.split('/').zip(decoded.split('/')) {
        if !plain.is_empty() && plain != "." {
            location.push('/');
            location.push_str(raw);
        }
    }
    location.push('/');
    if let Some(query) = url.split('#').next().and_then(|u| u.split_once('?')).map(|(_, q)| q) {
        location.push('?');
        location.push_str(query);
    }
    location
}

pub fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// `value` is ASCII: ours, or a URL `route` accepted.
fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes())
        .expect("header names and values are ASCII")
}

/// Sends `bytes` with validators: the browser revalidates every time (`no-cache`)
/// and gets a 304 when nothing changed, so it never shows a stale page.
fn send(request: Request, status: u16, content_type: &str, bytes: Vec<u8>) {
    send_with(request, status, content_type, bytes, None);
}

fn send_with(
    request: Request,
    status: u16,
    content_type: &str,
    bytes: Vec<u8>,
    extra: Option<Header>,
) {
    let etag = format!("\"{}\"", crate::load::theme::content_hash(&bytes));
    let unchanged = request
        .headers()
        .iter()
        .any(|h| h.field.equiv("If-None-Match") && h.value.as_str() == etag);
    let mut response = if unchanged && status == 200 {
        Response::from_data(Vec::new()).with_status_code(StatusCode(304))
    } else {
        Response::from_data(bytes).with_status_code(StatusCode(status))
    };
    response.add_header(header("Content-Type", content_type));
    response.add_header(header("Cache-Control", "no-cache"));
    response.add_header(header("ETag", &etag));
    if let Some(extra) = extra {
        response.add_header(extra);
    }
    let _ = request.respond(response);
}

/// Answers a request that is not the live-reload event stream.
pub fn respond(
    request: Request,
    out: &Path,
    partners: &[(String, String, Option<String>)],
    generation: u64,
) {
    if !matches!(request.method(), Method::Get | Method::Head) {
        return send(request, 405, "text/plain; charset=utf-8", b"only GET and HEAD\n".to_vec());
    }
    let url = request.url().to_owned();
    if let Some(asset) = url.strip_prefix(live::PREFIX) {
        return match asset.split('?').next() {
            Some("live.js") => send(
                request,
                200,
                "text/javascript; charset=utf-8",
                live::SCRIPT.as_bytes().to_vec(),
            ),
            Some("partners.json") => {
                let list: Vec<_> = partners
                    .iter()
                    .map(|(id, name, _)| serde_json::json!({"id": id, "name": name}))
                    .collect();
                send(
                    request,
                    200,
                    "application/json",
                    serde_json::to_vec(&list).unwrap_or_default(),
                )
            }
            _ => send(request, 404, "text/plain; charset=utf-8", b"not found\n".to_vec()),
        };
    }
    match route(out, &url) {
        Route::Index => {
            send(request, 200, "text/html; charset=utf-8", index_page(partners).into_bytes())
        }
        Route::File(path) => match std::fs::read(&path) {
            Ok(bytes) if content_type(&path).starts_with("text/html") => {
                send(request, 200, content_type(&path), live::inject(bytes, generation))
            }
            Ok(bytes) => send(request, 200, content_type(&path), bytes),
            Err(_) => send(request, 404, "text/plain; charset=utf-8", b"not found\n".to_vec()),
        },
        Route::NotFound { partner } => {
            let page = partner.and_then(|id| std::fs::read(out.join(id).join("404.html")).ok());
            match page {
                Some(bytes) => {
                    send(request, 404, "text/html; charset=utf-8", live::inject(bytes, generation))
                }
                None => send(request, 404, "text/plain; charset=utf-8", b"not found\n".to_vec()),
            }
        }
        // Permanent, but `no-cache` (as every response): the browser asks again next time.
        Route::Redirect(location) => send_with(
            request,
            301,
            "text/plain; charset=utf-8",
            format!("moved to {location}\n").into_bytes(),
            Some(header("Location", &location)),
        ),
        Route::BadRequest => {
            send(request, 400, "text/plain; charset=utf-8", b"bad request\n".to_vec())
        }
    }
}

fn index_page(partners: &[(String, String, Option<String>)]) -> String {
    let escape = crate::support::html::escape;
    let items: String = partners
        .iter()
        .map(|(id, name, logo)| {
            let logo = logo
                .as_ref()
                .map(|l| format!("<img src=\"/{}/{}\" alt=\"\" width=\"40\" height=\"40\">", escape(id), escape(l)))
                .unwrap_or_default();
            format!(
                "<li><a href=\"/{id}/\">{logo}<span><strong>{name}</strong><small>/{id}/</small></span></a></li>\n",
                id = escape(id),
                name = escape(name)
            )
        })
        .collect();
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Partner sites · livery serve</title>\n<style>{STYLE}</style>\n<script src=\"{prefix}live.js\" defer></script>\n</head>\n<body>\n<main>\n\
         <h1>Partner sites</h1>\n<p>Every partner's site, rebuilt as you edit. Pick one to preview.</p>\n<ul>\n{items}</ul>\n</main>\n</body>\n</html>\n",
        prefix = live::PREFIX
    )
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1c2330}\
main{max-width:40rem;margin:3rem auto;padding:0 1rem}ul{list-style:none;padding:0;display:grid;gap:.75rem}\
a{display:flex;gap:1rem;align-items:center;padding:1rem;background:#fff;border:1px solid #dde1e6;border-radius:10px;color:inherit;text-decoration:none}\
a:hover{border-color:#2557d6}span{display:flex;flex-direction:column}small{color:#5b6472}";

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("acme/runbooks")).unwrap();
        std::fs::write(dir.path().join("acme/index.html"), "home").unwrap();
        std::fs::write(dir.path().join("acme/runbooks/index.html"), "runbooks").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "outside any site").unwrap();
        dir
    }

    #[test]
    fn pretty_urls_resolve_to_index_files() {
        let dir = site();
        let out = dir.path().canonicalize().unwrap();
        assert_eq!(route(&out, "/"), Route::Index);
        assert_eq!(route(&out, "/acme/"), Route::File(out.join("acme/index.html")));
        assert_eq!(
            route(&out, "/acme/runbooks/?x=1"),
            Route::File(out.join("acme/runbooks/index.html"))
        );
        assert_eq!(route(&out, "/acme/nope/"), Route::NotFound { partner: Some("acme".into()) });
    }

    #[test]
    fn folders_without_a_slash_redirect_to_it_within_this_server() {
        let dir = site();
        let out = dir.path().canonicalize().unwrap();
        for (url, location) in [
            ("/acme", "/acme/"),
            ("/acme/runbooks", "/acme/runbooks/"),
            ("/acme/runbooks?x=1&y", "/acme/runbooks/?x=1&y"),
            ("/acme/./runbooks", "/acme/runbooks/"),
            ("/ac%6de/runbooks", "/ac%6de/runbooks/"),
            ("//acme/runbooks", "/acme/runbooks/"),
            ("///acme//runbooks", "/acme/runbooks/"),
        ] {
            assert_eq!(route(&out, url), Route::Redirect(location.into()), "{url}");
        }
    }

    #[test]
    fn only_our_own_host_names_are_allowed() {
        let loopback = Hosts { bind: IpAddr::from([127, 0, 0, 1]), port: 1111 };
        for host in
            ["localhost:1111", "LOCALHOST:1111", "127.0.0.1:1111", "[::1]:1111", " [::1]:1111"]
        {
            assert!(loopback.allow(Some(host)), "{host}");
        }
        for host in [
            "evil.example:1111",
            "localhost.evil.example:1111",
            "localhost",
            "127.0.0.1",
            "127.0.0.1:80",
            "127.0.0.1:1112",
            "127.0.0.1:01111x",
            "127.0.0.2:1111",
            "192.168.1.5:1111",
            "[::1]",
            "[::1:1111",
            "::1:1111",
            "[localhost]:1111",
            "",
        ] {
            assert!(!loopback.allow(Some(host)), "{host}");
        }
        assert!(!loopback.allow(None), "a request without Host is refused");

        let on_port_80 = Hosts { bind: IpAddr::from([127, 0, 0, 1]), port: 80 };
        assert!(on_port_80.allow(Some("localhost")) && on_port_80.allow(Some("127.0.0.1:80")));

        let lan = Hosts { bind: IpAddr::from([192, 168, 1, 5]), port: 1111 };
        assert!(lan.allow(Some("192.168.1.5:1111")) && lan.allow(Some("localhost:1111")));
        assert!(!lan.allow(Some("192.168.1.6:1111")) && !lan.allow(Some("evil.example:1111")));

        let v6 = Hosts { bind: "fd00::5".parse().unwrap(), port: 1111 };
        assert!(v6.allow(Some("[fd00::5]:1111")) && !v6.allow(Some("[fd00::6]:1111")));

        let everywhere = Hosts { bind: IpAddr::from([0, 0, 0, 0]), port: 1111 };
        assert!(
            everywhere.allow(Some("192.168.1.6:1111")) && everywhere.allow(Some("[fd00::6]:1111"))
        );
        assert!(!everywhere.allow(Some("evil.example:1111")), "names are still refused");
    }

    #[test]
    fn traversal_attempts_never_leave_the_output() {
        let dir = site();
        let out = dir.path().canonicalize().unwrap();
        for url in [
            "/acme/../secret.txt",
            "/acme/%2e%2e/secret.txt",
            "/acme%2f..%2fsecret.txt",
            "/acme/..%5csecret.txt",
            "/%00",
            "/acme/%zz",
            "/acme/runbooks?\u{1}",
            "/acme/runbooks?\u{e9}",
            "/acme/run books",
        ] {
            assert_eq!(route(&out, url), Route::BadRequest, "{url}");
        }
        assert_eq!(
            route(&out, "/secret.txt"),
            Route::NotFound { partner: Some("secret.txt".into()) }
        );
    }
}
