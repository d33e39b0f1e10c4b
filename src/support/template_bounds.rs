//! Shapes of template text that would overflow the stack before a budget could help:
//! tera parses and renders nested tags, brackets and operator chains recursively, and
//! 2,000 nested `{% if %}` kill the process. These are refused from the text, before
//! tera parses it, and the include depth of snippets is bounded in the same spirit.

/// `{% if %}`, `{% for %}` and other blocks nested deeper than this are refused.
pub const MAX_TAG_NESTING: usize = 16;

/// Brackets (`(`, `[`) nested deeper than this inside one tag are refused.
pub const MAX_BRACKET_NESTING: usize = 16;

/// Operators (`+`, `and`, `==` …) in one tag: tera nests each in the one before.
pub const MAX_OPERATORS: usize = 32;

/// Snippets including snippets deeper than this are refused.
pub const MAX_SNIPPET_DEPTH: usize = 8;

/// What to do about a template nested too deeply.
pub const HELP: &str =
    "flatten it: combine conditions with `and`, and split long expressions into {% set %} steps";

/// The first place in tera template `text` that is nested too deeply: (byte offset, message).
pub fn nesting_problem(text: &str) -> Option<(usize, String)> {
    let mut depth = 0usize;
    let mut cursor = 0;
    while let Some(open) = text[cursor..].find('{').map(|i| cursor + i) {
        let close = match text.get(open + 1..open + 2) {
            Some("{") => "}}",
            Some("%") => "%}",
            Some("#") => "#}",
            _ => {
                cursor = open + 1;
                continue;
            }
        };
        let inside_end = tag_end(text, open + 2, close);
        let inside = &text[open + 2..inside_end];
        cursor = (inside_end + close.len()).min(text.len());
        if close == "#}" {
            continue;
        }
        let words = inside.trim_matches(|c: char| c == '-' || c.is_whitespace());
        let keyword = words.split(|c: char| !c.is_ascii_alphanumeric() && c != '_').next();
        match keyword {
            Some("raw") if close == "%}" => {
                cursor = end_of_raw(text, cursor);
                continue;
            }
            Some("if" | "for" | "filter" | "macro" | "block") if close == "%}" => {
                depth += 1;
                if depth > MAX_TAG_NESTING {
                    return Some((
                        open,
                        format!(
                            "`{{% if %}}` and `{{% for %}}` are nested more than {MAX_TAG_NESTING} deep here"
                        ),
                    ));
                }
            }
            Some(word) if close == "%}" && word.starts_with("end") => {
                depth = depth.saturating_sub(1)
            }
            _ => {}
        }
        if let Some(message) = expression_problem(inside) {
            return Some((open, message));
        }
    }
    None
}

/// Where the tag whose contents start at `from` closes with `close`, string literals
/// skipped (`{{ "}}" }}` is one tag); the end of the text if it never does.
fn tag_end(text: &str, from: usize, close: &str) -> usize {
    let mut quote = None;
    for (i, c) in text[from..].char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if matches!(c, '"' | '\'' | '`') => quote = Some(c),
            None if text[from + i..].starts_with(close) => return from + i,
            None => {}
        }
    }
    text.len()
}

/// Past the `{% endraw %}` that closes a raw block whose body starts at `from`.
pub fn end_of_raw(text: &str, from: usize) -> usize {
    let mut cursor = from;
    while let Some(open) = text[cursor..].find("{%").map(|i| cursor + i) {
        let end = text[open..].find("%}").map_or(text.len(), |i| open + i + 2);
        let words = text[open + 2..end.saturating_sub(2).max(open + 2)]
            .trim_matches(|c: char| c == '-' || c.is_whitespace());
        if words == "endraw" {
            return end;
        }
        cursor = end;
    }
    text.len()
}

/// Too many brackets or operators in the contents of one tag.
fn expression_problem(inside: &str) -> Option<String> {
    let (mut depth, mut deepest, mut operators) = (0usize, 0usize, 0usize);
    let mut quote = None;
    let mut word = String::new();
    let mut previous = ' ';
    for c in inside.chars().chain([' ']) {
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            continue;
        }
        if c.is_ascii_alphanumeric() || c == '_' {
            word.push(c);
            continue;
        }
        if matches!(word.as_str(), "and" | "or" | "not" | "in" | "is") {
            operators += 1;
        }
        word.clear();
        match c {
            '"' | '\'' | '`' => quote = Some(c),
            '(' | '[' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            ')' | ']' => depth = depth.saturating_sub(1),
            '+' | '-' | '*' | '/' | '%' | '<' | '>' | '!' => operators += 1,
            '=' if !matches!(previous, '=' | '!' | '<' | '>') => operators += 1,
            _ => {}
        }
        previous = c;
    }
    if deepest > MAX_BRACKET_NESTING {
        Some(format!("brackets are nested more than {MAX_BRACKET_NESTING} deep in this tag"))
    } else if operators > MAX_OPERATORS {
        Some(format!("this tag has more than {MAX_OPERATORS} operators"))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_templates_pass() {
        for text in [
            "{% if a %}{% for x in xs %}{{ x | upper }}{% endfor %}{% elif b %}{% else %}{% endif %}",
            "{% raw %}{% if %}{% if %}{% endraw %}{{ \"}}\" }} {# {% if %} #}",
            "{{ (a + b) * (c - d) }} {% if a == 1 and b != 2 or not c %}{% endif %}",
            "{{- x -}} {%- if y -%}{%- endif -%}",
        ] {
            assert_eq!(nesting_problem(text), None, "{text}");
        }
    }

    #[test]
    fn deep_nesting_is_found_where_it_starts() {
        let ifs = format!("a\n{}x{}", "{% if x %}".repeat(40), "{% endif %}".repeat(40));
        let (offset, message) = nesting_problem(&ifs).unwrap();
        assert_eq!(offset, 2 + 16 * "{% if x %}".len());
        assert!(message.contains("nested more than 16 deep"), "{message}");
        let parens = format!("{{{{ {}1{} }}}}", "(".repeat(5000), ")".repeat(5000));
        assert!(nesting_problem(&parens).unwrap().1.contains("brackets"));
        let sums = format!("{{{{ 1{} }}}}", " + 1".repeat(5000));
        assert!(nesting_problem(&sums).unwrap().1.contains("operators"));
        let raw_ifs = format!("{{% raw %}}{}{{% endraw %}}", "{% if x %}".repeat(40));
        assert_eq!(nesting_problem(&raw_ifs), None);
    }
}
