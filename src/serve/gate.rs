//! The gate every connection passes before tiny_http sees it.
//!
//! tiny_http 0.12 reads a request head without any bound (a 300 MB header line is
//! 300 MB of memory, tiny-http issue #56), waits forever for a line that ends in a bare
//! LF, and sends its own 505 to `HTTP/2.0` into a buffer nobody flushes; it also
//! starts a thread for every connection, without limit. It offers no hook before its
//! parser, only a listener to accept from. So the dev server accepts on its own
//! `TcpListener`, and a thread per connection (at most `MAX_CONNECTIONS` at once; the
//! next one gets 503):
//!
//! 1. reads the request head with bounds (`scan`: line lengths, header count, total
//!    size, CRLF line ends, within `HEAD_TIMEOUT`) and checks it strictly (`parse`:
//!    HTTP/1.0 or 1.1, ASCII, one Host), answering 400, 408, 411, 413, 414, 431 or 505
//!    itself and closing;
//! 2. hands the checked head, rewritten with `Connection: close`, and its body (at most
//!    `MAX_BODY`) to tiny_http over a Unix socket in the server's private folder (a
//!    loopback port elsewhere), and relays the answer back until tiny_http closes.
//!
//! One request per connection is what keeps the relay simple: tiny_http never reads a
//! request the gate has not checked. Browsers open a new connection for the next
//! request, which on loopback costs nothing noticeable; the live-reload event stream
//! is one long answer and passes through unchanged.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Longest request line: the path and query (the status is 414 beyond).
pub const MAX_REQUEST_LINE: usize = 8 * 1024;
/// Longest header line (431 beyond).
pub const MAX_HEADER_LINE: usize = 8 * 1024;
/// Most header fields (431 beyond).
pub const MAX_HEADERS: usize = 100;
/// Largest request head, all lines together (431 beyond).
pub const MAX_HEAD: usize = 64 * 1024;
/// Largest request body (413 beyond); the server answers GET and HEAD only.
pub const MAX_BODY: usize = 64 * 1024;
/// Connections served at once (503 beyond): each holds a thread here and one in tiny_http.
pub const MAX_CONNECTIONS: usize = 128;
/// Time to send a whole request head (408 after, or a silent close if nothing came).
const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// A client that takes no bytes of its answer for this long is gone.
const WRITE_TIMEOUT: Duration = Duration::from_secs(30);

/// Why a request is not handed on: the status and a short explanation for the client.
#[derive(Debug, PartialEq, Eq)]
pub struct Refusal {
    pub status: u16,
    pub reason: &'static str,
}

const fn refuse(status: u16, reason: &'static str) -> Refusal {
    Refusal { status, reason }
}

/// How far a request head has arrived.
#[derive(Debug, PartialEq, Eq)]
pub enum Scan {
    /// Nothing wrong so far; more bytes are needed.
    Incomplete,
    /// The head is complete: its length, the final blank line included.
    Complete(usize),
    Refused(Refusal),
}

/// Looks at the bytes received so far. Refuses as soon as a limit is passed or a line
/// ends in a bare LF (or a CR stands alone), so a client never makes the gate hold
/// more than `MAX_HEAD` bytes of it.
pub fn scan(received: &[u8]) -> Scan {
    let mut line_start = 0;
    let mut lines = 0;
    for (at, &byte) in received.iter().enumerate() {
        let after_cr = at > 0 && received[at - 1] == b'\r';
        match byte {
            b'\n' if !after_cr => return Scan::Refused(refuse(400, "lines must end in CRLF")),
            b'\n' => {
                if at + 1 - line_start == 2 && lines > 0 {
                    return Scan::Complete(at + 1);
                }
                lines += 1;
                if lines > MAX_HEADERS + 1 {
                    return Scan::Refused(refuse(431, "too many header fields"));
                }
                line_start = at + 1;
            }
            _ if after_cr => return Scan::Refused(refuse(400, "a CR must be followed by LF")),
            _ => {}
        }
        let line = at + 1 - line_start;
        if lines == 0 && line > MAX_REQUEST_LINE {
            return Scan::Refused(refuse(414, "the request line is too long"));
        }
        if line > MAX_HEADER_LINE {
            return Scan::Refused(refuse(431, "a header field is too long"));
        }
        if at + 1 > MAX_HEAD {
            return Scan::Refused(refuse(431, "the request head is too large"));
        }
    }
    Scan::Incomplete
}

/// A request head that passed every check.
#[derive(Debug, PartialEq, Eq)]
pub struct Head {
    /// The request line and header fields as tiny_http will get them.
    pub forwarded: String,
    pub body_length: usize,
}

/// Checks a complete head (`scan` said so) and rewrites it for tiny_http.
pub fn parse(head: &[u8]) -> Result<Head, Refusal> {
    let text = std::str::from_utf8(head)
        .ok()
        .filter(|t| t.is_ascii())
        .ok_or(refuse(400, "the request head must be ASCII"))?;
    let mut lines = text.strip_suffix("\r\n\r\n").unwrap_or(text).split("\r\n");
    let request_line = lines.next().unwrap_or_default();
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(refuse(400, "the request line must be METHOD PATH HTTP/1.1"));
    };
    match version.as_bytes() {
        b"HTTP/1.0" | b"HTTP/1.1" => {}
        [b'H', b'T', b'T', b'P', b'/', major, b'.', minor]
            if major.is_ascii_digit() && minor.is_ascii_digit() =>
        {
            return Err(refuse(505, "this server speaks HTTP/1.0 and HTTP/1.1 only"));
        }
        _ => return Err(refuse(400, "the request line must end in HTTP/1.1")),
    }
    if !is_token(method) {
        return Err(refuse(400, "the method is not a token"));
    }
    if !target.starts_with('/') || !target.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(refuse(400, "the request target must be a path"));
    }
    let mut forwarded = format!("{request_line}\r\n");
    let mut hosts = 0;
    let mut body_length = None;
    for line in lines {
        let (name, value) = line
            .split_once(':')
            .filter(|(name, _)| is_token(name))
            .ok_or(refuse(400, "a header field must be Name: value"))?;
        let value = value.trim_matches([' ', '\t']);
        if !value.bytes().all(|b| b == b'\t' || (b' '..=b'~').contains(&b)) {
            return Err(refuse(400, "a header value holds a control character"));
        }
        match name.to_ascii_lowercase().as_str() {
            "host" => hosts += 1,
            "transfer-encoding" => {
                return Err(refuse(411, "send a body with Content-Length, or none"));
            }
            "content-length" => {
                let length = value
                    .parse::<usize>()
                    .ok()
                    .filter(|_| value.bytes().all(|b| b.is_ascii_digit()))
                    .filter(|length| body_length.is_none_or(|seen| seen == *length))
                    .ok_or(refuse(400, "Content-Length must be one number"))?;
                if length > MAX_BODY {
                    return Err(refuse(413, "this server takes no request bodies that large"));
                }
                body_length = Some(length);
            }
            // Hop-by-hop fields are the gate's business: every connection carries one request.
            "connection" | "keep-alive" | "proxy-connection" | "expect" | "upgrade" => continue,
            _ => {}
        }
        forwarded.push_str(&format!("{name}: {value}\r\n"));
    }
    if hosts > 1 || (hosts == 0 && version == "HTTP/1.1") {
        return Err(refuse(400, "an HTTP/1.1 request has one Host field"));
    }
    forwarded.push_str("Connection: close\r\n\r\n");
    Ok(Head { forwarded, body_length: body_length.unwrap_or(0) })
}

/// RFC 9110 token characters: what a method and a field name are made of.
fn is_token(text: &str) -> bool {
    !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Where tiny_http listens, reachable from this process only.
pub enum Upstream {
    #[cfg(unix)]
    Unix(std::path::PathBuf),
    #[cfg(not(unix))]
    Tcp(std::net::SocketAddr),
}

/// A byte stream to tiny_http.
trait Stream: Read + Write + Send {}
impl<T: Read + Write + Send> Stream for T {}

impl Upstream {
    fn connect(&self) -> io::Result<Box<dyn Stream>> {
        match self {
            #[cfg(unix)]
            Upstream::Unix(path) => Ok(Box::new(std::os::unix::net::UnixStream::connect(path)?)),
            #[cfg(not(unix))]
            Upstream::Tcp(address) => Ok(Box::new(TcpStream::connect(address)?)),
        }
    }
}

/// tiny_http, listening on a Unix socket in `dir` (the server's private folder), or on
/// a loopback port where there are no Unix sockets.
pub fn inner_server(dir: &Path) -> io::Result<(tiny_http::Server, Upstream)> {
    #[cfg(unix)]
    {
        let path = dir.join(".http.sock");
        let listener = std::os::unix::net::UnixListener::bind(&path)?;
        let server = tiny_http::Server::from_listener(listener, None).map_err(io::Error::other)?;
        Ok((server, Upstream::Unix(path)))
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        let listener = TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, 0))?;
        let address = listener.local_addr()?;
        let server = tiny_http::Server::from_listener(listener, None).map_err(io::Error::other)?;
        Ok((server, Upstream::Tcp(address)))
    }
}

/// Accepts connections forever, each in a thread of its own. Past `MAX_CONNECTIONS`
/// a few more threads answer 503 (and read what the client still sends, so it gets
/// that answer); past those a connection is closed at once.
pub fn accept(listener: TcpListener, upstream: Upstream) {
    let upstream = Arc::new(upstream);
    let serving = Arc::new(AtomicUsize::new(0));
    let refusing = Arc::new(AtomicUsize::new(0));
    for client in listener.incoming() {
        let Ok(client) = client else {
            // Out of file descriptors, most likely: let some connections end first.
            std::thread::sleep(Duration::from_millis(20));
            continue;
        };
        let upstream = upstream.clone();
        if let Some(slot) = Slot::take(&serving, MAX_CONNECTIONS) {
            spawn(move || {
                serve_connection(client, &upstream);
                drop(slot);
            });
        } else if let Some(slot) = Slot::take(&refusing, 16) {
            spawn(move || {
                refuse_connection(client, &refuse(503, "too many connections; try again"));
                drop(slot);
            });
        }
    }
}

/// One of a bounded number of places, given back when dropped.
struct Slot(Arc<AtomicUsize>);

impl Slot {
    fn take(count: &Arc<AtomicUsize>, limit: usize) -> Option<Slot> {
        let taken = count
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| (n < limit).then_some(n + 1));
        taken.ok().map(|_| Slot(count.clone()))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A thread that cannot be started is a connection closed (and its slot given back).
fn spawn(work: impl FnOnce() + Send + 'static) {
    let _ = std::thread::Builder::new().spawn(work);
}

fn serve_connection(mut client: TcpStream, upstream: &Upstream) {
    let _ = client.set_write_timeout(Some(WRITE_TIMEOUT));
    match read_request(&mut client) {
        Ok(Some(request)) => relay(client, &request, upstream),
        Ok(None) => {}
        Err(refusal) => refuse_connection(client, &refusal),
    }
}

/// Answers `refusal` and closes. Closing a socket with unread bytes resets the
/// connection, and the client may lose the answer: what is still coming is read
/// first (bounded in bytes and time).
fn refuse_connection(mut client: TcpStream, refusal: &Refusal) {
    let _ = client.set_write_timeout(Some(Duration::from_secs(2)));
    if answer(&mut client, refusal).is_err() {
        return;
    }
    let _ = client.shutdown(Shutdown::Write);
    let deadline = Instant::now() + Duration::from_secs(2);
    let mut chunk = [0u8; 16 * 1024];
    let mut drained = 0;
    while drained < 8 << 20 {
        match read_before(&mut client, &mut chunk, deadline) {
            Ok(0) | Err(_) => break,
            Ok(n) => drained += n,
        }
    }
}

/// The checked head and body, ready for tiny_http; None when the client sent nothing.
fn read_request(client: &mut TcpStream) -> Result<Option<Vec<u8>>, Refusal> {
    let deadline = Instant::now() + HEAD_TIMEOUT;
    let mut received = Vec::new();
    let mut chunk = [0u8; 4096];
    let end = loop {
        match scan(&received) {
            Scan::Complete(end) => break end,
            Scan::Refused(refusal) => return Err(refusal),
            Scan::Incomplete => {}
        }
        match read_before(client, &mut chunk, deadline) {
            Ok(0) | Err(_) if received.is_empty() => return Ok(None),
            Ok(0) => return Err(refuse(400, "the request ended early")),
            Ok(n) => received.extend_from_slice(&chunk[..n]),
            Err(_) => return Err(refuse(408, "the request took too long")),
        }
    };
    let head = parse(&received[..end])?;
    let mut request = head.forwarded.into_bytes();
    let mut body = received.split_off(end);
    while body.len() < head.body_length {
        match read_before(client, &mut chunk, deadline) {
            Ok(0) => return Err(refuse(400, "the body ended early")),
            Ok(n) => body.extend_from_slice(&chunk[..n]),
            Err(_) => return Err(refuse(408, "the request took too long")),
        }
    }
    // Bytes past the body would be a second request on this connection: never read.
    body.truncate(head.body_length);
    request.extend_from_slice(&body);
    Ok(Some(request))
}

fn read_before(client: &mut TcpStream, buffer: &mut [u8], deadline: Instant) -> io::Result<usize> {
    let left = deadline.saturating_duration_since(Instant::now());
    if left.is_zero() {
        return Err(io::ErrorKind::TimedOut.into());
    }
    client.set_read_timeout(Some(left))?;
    client.read(buffer)
}

/// Hands the request to tiny_http and copies its answer to the client until either
/// side closes.
fn relay(mut client: TcpStream, request: &[u8], upstream: &Upstream) {
    let Ok(mut inner) = upstream.connect() else {
        return refuse_connection(client, &refuse(503, "the server is stopping"));
    };
    if inner.write_all(request).and_then(|()| inner.flush()).is_err() {
        return;
    }
    // tiny_http closes after the one request but will not say so (it drops any
    // `Connection` header it is given): the client learns it from the answer's head.
    let mut answer = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        match inner.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => answer.extend_from_slice(&chunk[..n]),
        }
        if let Some(marked) = with_connection_close(&answer) {
            answer = marked;
            break;
        }
        if answer.len() > MAX_HEAD {
            break;
        }
    }
    if client.write_all(&answer).is_ok() {
        let _ = io::copy(&mut inner, &mut client);
    }
    let _ = client.shutdown(Shutdown::Both);
}

/// `answer` with `Connection: close` added to its head, once the head is complete.
fn with_connection_close(answer: &[u8]) -> Option<Vec<u8>> {
    let end = answer.windows(4).position(|w| w == b"\r\n\r\n")? + 2;
    let mut marked = answer[..end].to_vec();
    marked.extend_from_slice(b"Connection: close\r\n");
    marked.extend_from_slice(&answer[end..]);
    Some(marked)
}

fn answer(client: &mut TcpStream, refusal: &Refusal) -> io::Result<()> {
    let body = format!("{}\n", refusal.reason);
    let response = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\n\
         Cache-Control: no-cache\r\nConnection: close\r\n\r\n{body}",
        refusal.status,
        status_text(refusal.status),
        body.len()
    );
    client.write_all(response.as_bytes())?;
    client.flush()
}

fn status_text(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        408 => "Request Timeout",
        411 => "Length Required",
        413 => "Content Too Large",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "Error",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_head_is_complete_at_its_blank_line() {
        assert_eq!(scan(b"GET / HTTP/1.1\r\nHost: a\r\n"), Scan::Incomplete);
        assert_eq!(scan(b"GET / HTTP/1.1\r\nHost: a\r\n\r\nbody"), Scan::Complete(27));
        assert_eq!(scan(b"GET / HTTP/1.0\r\n\r\n"), Scan::Complete(18));
        assert_eq!(scan(b"\r\n"), Scan::Incomplete, "a blank first line is not an end");
    }

    #[test]
    fn scanning_refuses_as_soon_as_a_bound_is_passed() {
        let status = |bytes: &[u8]| match scan(bytes) {
            Scan::Refused(refusal) => refusal.status,
            other => panic!("{other:?}"),
        };
        assert_eq!(status(b"GET / HTTP/1.1\n"), 400);
        assert_eq!(status(b"GET / HTTP/1.1\r\nHost: a\n"), 400);
        assert_eq!(status(b"GET / HTTP/1.1\rHost"), 400);
        let long_path = format!("GET /{}", "a".repeat(MAX_REQUEST_LINE));
        assert_eq!(status(long_path.as_bytes()), 414, "before the line even ends");
        let long_field = format!("GET / HTTP/1.1\r\nX: {}", "a".repeat(MAX_HEADER_LINE));
        assert_eq!(status(long_field.as_bytes()), 431);
        let many = format!("GET / HTTP/1.1\r\n{}", "X: y\r\n".repeat(MAX_HEADERS + 1));
        assert_eq!(status(many.as_bytes()), 431);
        let large =
            format!("GET / HTTP/1.1\r\n{}", format!("X: {}\r\n", "a".repeat(1000)).repeat(70));
        assert_eq!(status(large.as_bytes()), 431);
        let fits = format!("GET / HTTP/1.1\r\n{}", "X: y\r\n".repeat(MAX_HEADERS));
        assert_eq!(scan(fits.as_bytes()), Scan::Incomplete);
    }

    #[test]
    fn a_checked_head_is_forwarded_with_connection_close() {
        let head = parse(
            b"GET /acme/?q=1 HTTP/1.1\r\nHost: localhost:1111\r\nConnection: keep-alive\r\n\
              Accept:  text/html \r\nContent-Length: 0\r\n\r\n",
        )
        .unwrap();
        assert_eq!(
            head.forwarded,
            "GET /acme/?q=1 HTTP/1.1\r\nHost: localhost:1111\r\nAccept: text/html\r\n\
             Content-Length: 0\r\nConnection: close\r\n\r\n"
        );
        assert_eq!(head.body_length, 0);
        let old = parse(b"GET / HTTP/1.0\r\n\r\n").unwrap();
        assert_eq!(old.forwarded, "GET / HTTP/1.0\r\nConnection: close\r\n\r\n");
    }

    #[test]
    fn answers_say_the_connection_closes() {
        assert_eq!(with_connection_close(b"HTTP/1.1 200 OK\r\nContent-Le"), None);
        assert_eq!(
            with_connection_close(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi").unwrap(),
            b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi"
        );
    }

    #[test]
    fn malformed_heads_are_refused_with_their_status() {
        for (head, status) in [
            (&b"GET / HTTP/2.0\r\nHost: a\r\n\r\n"[..], 505),
            (b"PRI * HTTP/2.0\r\n\r\n", 505),
            (b"GET / HTTP/1.1 extra\r\nHost: a\r\n\r\n", 400),
            (b"GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
            (b"GET / HTTP/1.x\r\nHost: a\r\n\r\n", 400),
            (b"GET / http/1.1\r\nHost: a\r\n\r\n", 400),
            (b"G(T / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
            (b"GET http://a/ HTTP/1.1\r\nHost: a\r\n\r\n", 400),
            (b"GET /\x7f HTTP/1.1\r\nHost: a\r\n\r\n", 400),
            (b"GET / HTTP/1.1\r\n\r\n", 400),
            (b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
            (b"GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400),
            (b"GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n", 400),
            (b"GET / HTTP/1.1\r\nHost: a\r\nX: \x01\r\n\r\n", 400),
            (b"GET / HTTP/1.1\r\nHost: \xc3\xa9\r\n\r\n", 400),
            (b"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", 400),
            (b"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: +1\r\n\r\n", 400),
            (b"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400),
            (b"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999\r\n\r\n", 400),
            (b"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 65537\r\n\r\n", 413),
            (b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n", 411),
        ] {
            assert_eq!(
                parse(head).map_err(|r| r.status),
                Err(status),
                "{}",
                String::from_utf8_lossy(head)
            );
        }
    }
}
