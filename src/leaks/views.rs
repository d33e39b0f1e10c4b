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

/// Elements that sit inside a line of text: their tags join the words around them
/// (`Glo<span>bex</span>` reads "Globex"); every other tag separates words.
const INLINE: [&str; 27] = [
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "font", "i", "ins",
    "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "wbr",
];

/// Splits HTML into the text between tags and the tags (and comments) themselves,
/// each with character references decoded.
fn split_markup(html: &str, visible: &mut String, markup: &mut String) {
    visible.clear();
    markup.clear();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        decode_into(&rest[..start], visible);
        let tag = &rest[start..];
        let end = if tag.starts_with("<!--") {
            tag.find("-->").map_or(tag.len(), |e| e + 3)
        } else if tag[1..]
            .starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!' || c == '?')
        {
            tag_end(tag)
        } else {
            // A `<` that starts no tag is text.
            visible.push('<');
            rest = &tag[1..];
            continue;
        };
        let inner = &tag[..end];
        decode_into(inner, markup);
        markup.push('\n');
        let name: String = inner
            .trim_start_matches(['<', '/'])
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect();
        if !INLINE.contains(&name.as_str()) {
            visible.push(' ');
        }
        rest = &tag[end..];
    }
    decode_into(rest, visible);
}

/// The length of the tag at the start of `tag`, up to its `>` outside quotes.
fn tag_end(tag: &str) -> usize {
    let mut quote = None;
    for (i, c) in tag.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return i + 1,
            _ => {}
        }
    }
    tag.len()
}

/// Appends `text` with its character references decoded: numeric ones, and the named
/// ones that can hide or join a word; an unknown name stays as written, as a browser
/// shows it.
fn decode_into(text: &str, out: &mut String) {
    let mut rest = text;
    while let Some(start) = rest.find('&') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let decoded = after.find(';').filter(|&end| end <= 32).and_then(|end| {
            let name = &after[..end];
            let c = match name.strip_prefix('#') {
                Some(number) => match number.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok().and_then(char::from_u32),
                    None => number.parse().ok().and_then(char::from_u32),
                },
                None => named(name),
            }?;
            Some((c, end + 1))
        });
        match decoded {
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
