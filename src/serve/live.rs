//! Live reload over server-sent events, on the same port and origin as the pages.
//! The server adds a small script to every HTML page it sends (never to built files):
//! it reloads the page when a rebuild changed it, swaps stylesheets when only CSS
//! changed, and shows an overlay with the error while the project does not build.

use std::io::Write;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Everything the dev server adds lives under this path.
pub const PREFIX: &str = "/__livery/";

/// The script injected into served pages.
pub const SCRIPT: &str = include_str!("live.js");

/// The tag added before `</head>` of each HTML page. `generation` is the build the
/// page comes from: a page that connects after a newer build reloads at once, so a
/// save made while it was loading is not missed.
pub fn inject(html: Vec<u8>, generation: u64) -> Vec<u8> {
    let tag = format!("<script src=\"{PREFIX}live.js?g={generation}\" defer></script>");
    let text = String::from_utf8_lossy(&html);
    match text.find("</head>") {
        Some(at) => format!("{}{tag}{}", &text[..at], &text[at..]).into_bytes(),
        None => format!("{text}{tag}").into_bytes(),
    }
}

/// The state every newly opened page must know about: the last build failed?
#[derive(Clone, Default)]
pub struct Hub {
    inner: Arc<Mutex<HubState>>,
}

#[derive(Default)]
struct HubState {
    clients: Vec<Sender<String>>,
    /// Successful builds so far.
    generation: u64,
    /// The current build error, shown to pages that connect while it lasts.
    error: Option<String>,
}

impl Hub {
    /// A new event stream for one open page.
    pub fn subscribe(&self) -> EventStream {
        let (sender, receiver) = channel();
        let mut state = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let first = match &state.error {
            Some(message) => event("failed", message),
            None => event("ok", &state.generation.to_string()),
        };
        let _ = sender.send(first);
        state.clients.push(sender);
        EventStream { receiver }
    }

    pub fn generation(&self) -> u64 {
        self.inner.lock().unwrap_or_else(|e| e.into_inner()).generation
    }

    /// A rebuild succeeded: pages whose files changed reload (CSS-only changes swap styles).
    pub fn rebuilt(&self, changed: &[String]) {
        let mut state = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        state.error = None;
        state.generation += 1;
        let data = serde_json::to_string(changed).unwrap_or_else(|_| "[]".into());
        broadcast(&mut state, &event("change", &data));
    }

    /// A rebuild failed: every open page shows the message.
    pub fn failed(&self, message: &str) {
        let mut state = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        state.error = Some(message.to_owned());
        broadcast(&mut state, &event("failed", message));
    }
}

fn broadcast(state: &mut HubState, message: &str) {
    state.clients.retain(|client| client.send(message.to_owned()).is_ok());
}

fn event(name: &str, data: &str) -> String {
    let lines: String = data.lines().map(|line| format!("data: {line}\n")).collect();
    let lines = if lines.is_empty() { "data: \n".to_owned() } else { lines };
    format!("event: {name}\n{lines}\n")
}

/// One open page's events. `next` blocks until there is something to send, and
/// gives a comment every 5 s so proxies and the browser keep the connection open.
pub struct EventStream {
    receiver: Receiver<String>,
}

impl EventStream {
    pub fn next(&self) -> Option<String> {
        match self.receiver.recv_timeout(Duration::from_secs(5)) {
            Ok(message) => Some(message),
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => Some(": keep-alive\n\n".to_owned()),
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => None,
        }
    }

    /// Writes events to `writer` (the raw connection) until the page goes away.
    pub fn pump(self, writer: &mut dyn Write) {
        // The stream ends when the connection closes (the gate says `Connection: close`).
        let head =
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n\r\n";
        if writer.write_all(head.as_bytes()).and_then(|()| writer.flush()).is_err() {
            return;
        }
        while let Some(message) = self.next() {
            // Each event is flushed at once: a buffered event is a reload that never comes.
            if writer.write_all(message.as_bytes()).and_then(|()| writer.flush()).is_err() {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_goes_before_the_end_of_head() {
        let html = inject(b"<html><head><title>x</title></head><body></body></html>".to_vec(), 3);
        assert_eq!(
            String::from_utf8(html).unwrap(),
            "<html><head><title>x</title><script src=\"/__livery/live.js?g=3\" defer></script></head><body></body></html>"
        );
    }

    #[test]
    fn new_pages_learn_the_current_error_and_then_the_fix() {
        let hub = Hub::default();
        hub.failed("content/a.md:3: broken\nsecond line");
        let stream = hub.subscribe();
        assert_eq!(
            stream.next().unwrap(),
            "event: failed\ndata: content/a.md:3: broken\ndata: second line\n\n"
        );
        hub.rebuilt(&["/acme/".to_owned()]);
        assert_eq!(stream.next().unwrap(), "event: change\ndata: [\"/acme/\"]\n\n");
    }
}
