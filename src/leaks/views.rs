//! What a published file says, in the forms a term is looked for in: the text a
//! reader sees (tags dropped, entities decoded) and the markup a crawler or a "view
//! source" sees (attribute values, comments), both normalised.

/// How a published file is read for terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// HTML, XML, SVG: tags and character references.
    Markup,
    /// CSS, JS, JSON, plain text: as written.
    Plain,
}

/// How the file at `path` (a site path) is read; None for binary files (images,
/// PDFs, fonts), which are not scanned.
pub fn format_of(path: &str) -> Option<Format> {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    match extension.as_deref() {
        Some("html" | "htm" | "xhtml" | "xml" | "svg" | "rss" | "atom") => Some(Format::Markup),
        Some(
            "css" | "js" | "mjs" | "json" | "webmanifest" | "map" | "txt" | "md" | "markdown"
            | "csv" | "tsv" | "yaml" | "yml" | "toml" | "ini" | "conf" | "sh" | "py" | "rb" | "sql"
            | "log" | "ics" | "vcf",
        ) => Some(Format::Plain),
        // `_redirects`, `CNAME`, `robots.txt`-like files without an extension.
        None => Some(Format::Plain),
        Some(_) => None,
    }
}

/// The texts to look for terms in: for markup, the visible text and the markup
/// itself; for plain files, the text. `buffers` are reused between files.
pub fn views<'t>(text: &'t str, format: Format, buffers: &'t mut (String, String)) -> [&'t str; 2] {
    match format {
        Format::Plain => [text, ""],
        Format::Markup => {
            let (visible, markup) = buffers;
            split_markup(text, visible, markup);
            [visible.as_str(), markup.as_str()]
        }
    }
}

/// Whether `tag` (`<span class="k">`, `</em>`) is of an element that sits inside a
/// line of text: its tags join the words around them (`Glo<span>bex</span>` reads
/// "Globex"); every other tag separates words, and so does the end of one element
/// followed by the start of the next (`</span><span>`: two labels side by side).
fn is_inline(tag: &[u8]) -> bool {
    let name = tag.strip_prefix(b"</").or_else(|| tag.strip_prefix(b"<")).unwrap_or(tag);
    let length = name.iter().take_while(|b| b.is_ascii_alphanumeric()).count();
    if length > 6 {
        return false;
    }
    let mut lower = [0u8; 6];
    for (to, from) in lower.iter_mut().zip(&name[..length]) {
        *to = from.to_ascii_lowercase();
    }
    matches!(
        &lower[..length],
        b"a" | b"abbr"
            | b"b"
            | b"bdi"
            | b"bdo"
            | b"cite"
            | b"code"
            | b"data"
            | b"del"
            | b"dfn"
            | b"em"
            | b"font"
            | b"i"
            | b"ins"
            | b"kbd"
            | b"mark"
            | b"q"
            | b"s"
            | b"samp"
            | b"small"
            | b"span"
            | b"strong"
            | b"sub"
            | b"sup"
            | b"time"
            | b"u"
            | b"wbr"
    )
}

/// Splits HTML into the text between tags and the tags (and comments) themselves,
/// each with character references decoded. One pass over the bytes: pages hold a
/// thousand tags, and a search call per short run between them would cost more
/// than the run.
fn split_markup(html: &str, visible: &mut String, markup: &mut String) {
    visible.clear();
    markup.clear();
    let bytes = html.as_bytes();
    let (mut at, mut run, mut references) = (0, 0, false);
    // Where the last closing tag ended.
    let mut closed_at = None;
    while let Some(found) = memchr::memchr2(b'<', b'&', &bytes[at..]) {
        at += found;
        if bytes[at] == b'&' {
            references = true;
            at += 1;
            continue;
        }
        if !starts_tag(&bytes[at + 1..]) {
            at += 1;
            continue;
        }
        push_text(&html[run..at], references, visible);
        let tag = &html[at..];
        let (end, attributes) = if tag.starts_with("<!--") {
            (memchr::memmem::find(tag.as_bytes(), b"-->").map_or(tag.len(), |e| e + 3), true)
        } else {
            tag_end(tag)
        };
        let inner = &tag[..end];
        // A tag without attributes (`</p>`, `<li>`) holds no words.
        if attributes {
            decode_into(inner, markup);
            markup.push('\n');
        }
        let closing = inner.starts_with("</");
        // `</span><span>`: two elements side by side, like two links or two labels.
        let siblings = !closing && closed_at == Some(at);
        if !is_inline(inner.as_bytes()) || siblings {
            visible.push(' ');
        }
        at += end;
        closed_at = closing.then_some(at);
        (run, references) = (at, false);
    }
    push_text(&html[run..], references, visible);
}

/// Whether the bytes after a `<` make it a tag, a closing tag, a comment or a
/// declaration; otherwise the `<` is text.
fn starts_tag(after: &[u8]) -> bool {
    after.first().is_some_and(|&b| b.is_ascii_alphabetic() || matches!(b, b'/' | b'!' | b'?'))
}

fn push_text(text: &str, references: bool, out: &mut String) {
    if references { decode_into(text, out) } else { out.push_str(text) }
}

/// The length of the tag at the start of `tag`, up to its `>` outside quotes, and
/// whether it has attributes (an `=` outside quotes, or a quoted value).
fn tag_end(tag: &str) -> (usize, bool) {
    let bytes = tag.as_bytes();
    let mut at = 1;
    let mut quoted = false;
    while let Some(found) = memchr::memchr3(b'>', b'"', b'\'', &bytes[at..]) {
        at += found;
        if bytes[at] == b'>' {
            let attributes = quoted || memchr::memchr(b'=', &bytes[..at]).is_some();
            return (at + 1, attributes);
        }
        quoted = true;
        match memchr::memchr(bytes[at], &bytes[at + 1..]) {
            Some(close) => at += close + 2,
            None => break,
        }
    }
    (tag.len(), true)
}

/// Appends `text` with its character references decoded: numeric ones, and the named
/// ones that can hide or join a word; an unknown name stays as written, as a browser
/// shows it.
fn decode_into(text: &str, out: &mut String) {
    let mut rest = text;
    while let Some(start) = memchr::memchr(b'&', rest.as_bytes()) {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match reference(after) {
            Some((c, length)) => {
                out.push(c);
                rest = &after[length..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
}

/// The character a reference stands for (`after` follows its `&`), and the length of
/// the reference after the `&`.
fn reference(after: &str) -> Option<(char, usize)> {
    let end = memchr::memchr(b';', &after.as_bytes()[..after.len().min(33)])?;
    let name = after.get(..end)?;
    let c = match name.strip_prefix('#') {
        Some(number) => match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok().and_then(char::from_u32),
            None => number.parse().ok().and_then(char::from_u32),
        },
        None => named(name),
    }?;
    Some((c, end + 1))
}

/// Whether reading `html` as a reader sees it can show a term that its bytes do not:
/// a tag between two letters (`Glo<em>bex</em>`), a reference standing for a letter
/// or an invisible character (`Glo&shy;bex`, `&#71;lobex`), a character NFKC changes
/// or an invisible one, or a reference standing for a character of some term
/// (`help&#64;acme.test`). Most pages have none of these, and are searched as they
/// are: their bytes hold every word their text and attributes show.
pub fn needs_views(html: &str, in_terms: &dyn Fn(char) -> bool) -> bool {
    if crate::leaks::terms::first_to_normalize(html).is_some() {
        return true;
    }
    let bytes = html.as_bytes();
    let letter = |b: u8| b.is_ascii_alphanumeric() || !b.is_ascii();
    let mut at = 0;
    while let Some(found) = memchr::memchr2(b'<', b'&', &bytes[at..]) {
        at += found;
        if bytes[at] == b'&' {
            let hides = reference(&html[at + 1..]).is_some_and(|(c, _)| {
                c.is_alphanumeric()
                    || in_terms(c)
                    || crate::leaks::terms::first_to_normalize(c.encode_utf8(&mut [0; 4])).is_some()
            });
            if hides {
                return true;
            }
            at += 1;
            continue;
        }
        let after_letter = at > 0 && letter(bytes[at - 1]);
        if !(after_letter && starts_tag(&bytes[at + 1..])) {
            at += 1;
            continue;
        }
        // The run of tags from here: inline tags only, and a letter right after it,
        // join the two words (a block tag separates them, as it does in the bytes).
        let (mut inline, mut closed) = (true, false);
        while at < bytes.len() && bytes[at] == b'<' && starts_tag(&bytes[at + 1..]) {
            let end = tag_end(&html[at..]).0;
            let closing = bytes[at + 1] == b'/';
            inline &= (closing || !closed) && is_inline(&bytes[at..at + end]);
            closed |= closing;
            at += end;
        }
        if inline && at < bytes.len() && letter(bytes[at]) {
            return true;
        }
    }
    false
}

fn named(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "shy" => '\u{ad}',
        "zwsp" => '\u{200b}',
        "zwnj" => '\u{200c}',
        "zwj" => '\u{200d}',
        "lrm" => '\u{200e}',
        "rlm" => '\u{200f}',
        "NoBreak" => '\u{2060}',
        "ensp" => '\u{2002}',
        "emsp" => '\u{2003}',
        "thinsp" => '\u{2009}',
        "ndash" => '–',
        "mdash" => '—',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "laquo" => '«',
        "raquo" => '»',
        "hellip" => '…',
        "middot" => '·',
        "bull" => '•',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(html: &str) -> (String, String) {
        let mut buffers = (String::new(), String::new());
        split_markup(html, &mut buffers.0, &mut buffers.1);
        buffers
    }

    #[test]
    fn inline_tags_join_words_and_block_tags_separate_them() {
        let (visible, _) = split("<p>Glo<span class=\"k\">bex</span></p><p>x</p>");
        assert_eq!(visible.split_whitespace().collect::<Vec<_>>(), ["Globex", "x"]);
        let (visible, _) = split("<span>Owner: <b>sre</b></span><span>Last</span><em>Glo</em>bex");
        assert_eq!(
            visible.split_whitespace().collect::<Vec<_>>(),
            ["Owner:", "sre", "Last", "Globex"]
        );
    }

    #[test]
    fn only_pages_whose_words_markup_may_join_need_views() {
        let none = |_| false;
        assert!(!needs_views("<p>Runbook 951</p><p>Next</p><span>a</span><span>b</span>", &none));
        assert!(needs_views("<p>Glo<em>bex</em></p>", &none));
        assert!(needs_views("<p><em>Glo</em>bex</p>", &none));
        assert!(needs_views("<p>Glo&shy;bex</p>", &none));
        assert!(needs_views("<p>&#71;lobex</p>", &none));
        assert!(needs_views("<p>Ｇlobex</p>", &none));
        assert!(!needs_views("<p>a &amp; b &lt;c&gt;</p>", &none));
        assert!(needs_views("<p>help&#64;acme.test</p>", &|c| c == '@'));
    }

    #[test]
    fn references_are_decoded_in_text_and_attributes() {
        let (visible, markup) =
            split("<img alt=\"Glo&shy;bex\">Glo&#173;bex &amp; &#x47;lobex &unknown;");
        assert_eq!(visible.trim(), "Glo\u{ad}bex & Globex &unknown;");
        assert!(markup.contains("alt=\"Glo\u{ad}bex\""));
    }

    #[test]
    fn comments_and_quoted_angle_brackets_are_markup() {
        let (visible, markup) = split("a<!-- Globex --><b title=\"x>y\">c</b> 1 < 2");
        assert_eq!(visible, "a c 1 < 2");
        assert!(markup.contains("Globex") && markup.contains("x>y"));
    }

    #[test]
    fn binary_files_are_not_read() {
        assert_eq!(format_of("a/b.pdf"), None);
        assert_eq!(format_of("logo.PNG"), None);
        assert_eq!(format_of("x/index.html"), Some(Format::Markup));
        assert_eq!(format_of("_redirects"), Some(Format::Plain));
        assert_eq!(format_of("v1.2/README"), Some(Format::Plain));
    }
}
