//! Values inserted into markdown are text, not markup: `product = "Acme <Pro> *Gold*"`
//! must not become HTML and emphasis, nor a partner name `</title><script>…` a script.
//!
//! Each character that could start markdown or HTML where it stands is written as a
//! character reference (`*` → `&#42;`). Markdown turns a reference back into the plain
//! character in text, link text and link destinations alike, and a browser does the
//! same inside raw HTML, so one escape serves every place a value can land. Characters
//! that are inert where they stand are left alone, so an address like
//! `help_desk@acme.example` or `https://acme.example/a_b?x=1&y=2` still works in an
//! autolink (`<…>`), where references are not decoded.

/// `text` as markdown that reads as exactly `text`.
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    let mut place = Place::LineStart;
    let mut previous = None;
    let mut chars = text.char_indices().peekable();
    while let Some((index, c)) = chars.next() {
        let next = chars.peek().map(|&(_, c)| c);
        let escaped = match c {
            '<' => Some("&lt;".to_owned()),
            '>' => Some("&gt;".to_owned()),
            '"' => Some("&quot;".to_owned()),
            '\'' => Some("&#39;".to_owned()),
            // A lone `&` is text already; only one that would read as a reference is not.
            '&' if starts_reference(&text[index + 1..]) => Some("&amp;".to_owned()),
            '\\' | '`' | '*' | '~' | '[' | ']' | '{' | '}' | '|' => Some(reference(c)),
            // Between letters or digits, `_` can neither open nor close emphasis.
            '_' if !(previous.is_some_and(char::is_alphanumeric)
                && next.is_some_and(char::is_alphanumeric)) =>
            {
                Some(reference(c))
            }
            // A heading at a line start; a closing sequence after a space.
            '#' if place == Place::LineStart || previous.is_some_and(char::is_whitespace) => {
                Some(reference(c))
            }
            // List items, setext underlines and thematic breaks start lines.
            '-' | '+' | '=' if place == Place::LineStart => Some(reference(c)),
            // `1.` or `1)` starting a line is an ordered list item.
            '.' | ')' if place == Place::LineDigits => Some(reference(c)),
            _ => None,
        };
        match escaped {
            Some(escaped) => out.push_str(&escaped),
            None => out.push(c),
        }
        place = match (place, c) {
            (_, '\n') => Place::LineStart,
            (Place::LineStart, ' ' | '\t') => Place::LineStart,
            (Place::LineStart | Place::LineDigits, '0'..='9') => Place::LineDigits,
            _ => Place::Inline,
        };
        previous = Some(c);
    }
    out
}

/// Where a character stands, for the constructs that only start lines. A value's first
/// character counts as a line start: the template may put it at one.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    LineStart,
    /// Digits (after indentation) at the start of a line.
    LineDigits,
    Inline,
}

fn reference(c: char) -> String {
    format!("&#{};", u32::from(c))
}

/// Whether `rest`, the text after an `&`, makes it an entity or numeric reference.
fn starts_reference(rest: &str) -> bool {
    let Some(end) = rest.get(..rest.len().min(34)).and_then(|head| head.find(';')) else {
        return false;
    };
    let name = &rest[..end];
    match name.strip_prefix('#') {
        Some(number) => match number.strip_prefix(['x', 'X']) {
            Some(hex) => !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit()),
            None => !number.is_empty() && number.chars().all(|c| c.is_ascii_digit()),
        },
        None => {
            name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && name.chars().all(|c| c.is_ascii_alphanumeric())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::highlight::Highlighter;
    use crate::parse::markdown;
    use crate::parse::markdown::Input;
    use std::path::Path;

    /// The HTML of `template` with `value` put in place of `{}`.
    fn render(template: &str, value: &str) -> String {
        let body = template.replace("{}", &escape_markdown(value));
        let input = Input {
            body: &body,
            line_offset: 0,
            source: Path::new("a.md"),
            url: "a/",
            urls: &Default::default(),
            lift_title: false,
        };
        markdown::convert(&input, &Highlighter::new()).html
    }

    #[test]
    fn values_read_as_their_text_wherever_they_land() {
        for value in [
            "Acme <Pro> *Gold*",
            "</title><script>alert(1)</script>",
            "# Heading",
            "- item",
            "+ item",
            "1. first",
            "2) second",
            "===",
            "> quote",
            "`code` and ``more``",
            "[link](javascript:alert(1))",
            "![image](x.png)",
            "a | b",
            "~~struck~~",
            "_under_ __strong__",
            "Title {#custom}",
            "AT&amp;T &#42; &lt;",
            "back\\slash \\*",
            "<!-- comment -->",
        ] {
            let text = crate::support::html::escape(value);
            assert_eq!(render("{}", value), format!("<p>{text}</p>\n"), "{value}");
        }
        assert!(render("## Title {}", "#").contains(">Title #<"));
        assert!(render("Text\n{}", "---").contains("<p>Text\n---</p>"));
    }

    #[test]
    fn addresses_keep_working_in_links_and_autolinks() {
        let url = "https://acme.example/a_b?x=1&y=2";
        assert!(render("[x]({})", url).contains("href=\"https://acme.example/a_b?x=1&amp;y=2\""));
        assert!(render("<{}>", url).contains("href=\"https://acme.example/a_b?x=1&amp;y=2\""));
        assert!(
            render("<{}>", "help_desk@acme.example")
                .contains("href=\"mailto:help_desk@acme.example\"")
        );
        assert_eq!(escape_markdown("Acme Cloud, 4 hours"), "Acme Cloud, 4 hours");
    }

    #[test]
    fn raw_html_attributes_cannot_be_left() {
        let html = render("<a href=\"{}\">x</a>", "\" onmouseover=\"alert(1)");
        assert!(html.contains("&quot; onmouseover=&quot;alert(1)"), "{html}");
    }
}
