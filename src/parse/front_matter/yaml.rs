//! YAML front matter, and JSON front matter read as the YAML flow mapping it is, to
//! top-level fields with `toml::Value` values.
//!
//! The values are built here from saphyr-parser's events (which carry positions and
//! how each scalar was written) rather than by a YAML value crate, because that is
//! what lets livery refuse what a page's front matter has no use for and a hostile
//! file could abuse: aliases (a few lines of `*a` can stand for gigabytes), nesting
//! past `MAX_DEPTH`, duplicate keys (which one wins?), keys that are not names, tags.
//! Plain scalars follow YAML 1.2's core schema, plus one thing TOML has: an unquoted
//! `2026-10-01` is a date. JSON has no dates, so there a string that is exactly a
//! date is one.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use saphyr_parser::{Event, Marker, Parser, ScalarStyle, ScanError, Span, StrInput, Tag};
use toml::Value;

use super::RawField;
use crate::error::Diagnostic;
use crate::model::page::FrontMatterFormat;

/// Values nested deeper than this are refused: front matter needs a few levels, and
/// the bound keeps reading a hostile file cheap.
pub const MAX_DEPTH: usize = 32;

/// The top-level fields of the YAML (or JSON) in `range` of the file `text`.
pub(super) fn fields(
    path: &Path,
    text: &str,
    range: Range<usize>,
    format: FrontMatterFormat,
) -> Result<Vec<RawField>, Diagnostic> {
    let block = &text[range.clone()];
    let mut reader = Reader {
        events: Parser::new_from_str(block),
        block,
        file: text,
        start: range.start,
        path,
        format,
        cursor: (0, 0),
    };
    reader.document()
}

struct Reader<'a> {
    events: Parser<'a, StrInput<'a>>,
    block: &'a str,
    file: &'a str,
    /// Where `block` starts in `file`.
    start: usize,
    path: &'a Path,
    format: FrontMatterFormat,
    /// The last position turned into a byte offset: (characters, bytes) into `block`.
    cursor: (usize, usize),
}

/// One entry of a mapping, with the byte offsets of its key and value in the file.
struct Entry {
    key: String,
    key_at: usize,
    value: Option<Value>,
    value_at: usize,
}

impl<'a> Reader<'a> {
    fn document(&mut self) -> Result<Vec<RawField>, Diagnostic> {
        let (event, span) = self.next()?;
        if !matches!(event, Event::StreamStart) {
            return Err(self.unexpected(span));
        }
        let (event, span) = self.next()?;
        let fields = match event {
            Event::StreamEnd => return Ok(Vec::new()),
            Event::DocumentStart(_) => self.top_level()?,
            _ => return Err(self.unexpected(span)),
        };
        let (event, span) = self.next()?;
        if !matches!(event, Event::DocumentEnd) {
            return Err(self.unexpected(span));
        }
        match self.next()? {
            (Event::StreamEnd, _) => Ok(fields),
            (_, span) => Err(self.error(
                span.start,
                "the front matter holds more than one YAML document",
                "keep one set of fields between the `---` lines",
            )),
        }
    }

    /// The document's node: a mapping, or nothing at all.
    fn top_level(&mut self) -> Result<Vec<RawField>, Diagnostic> {
        let (event, span) = self.next()?;
        let what = match event {
            Event::MappingStart(_, tag) => {
                self.refuse_tag(tag, span)?;
                let entries = self.entries(1)?;
                return Ok(entries
                    .into_iter()
                    .filter_map(|e| {
                        let value = e.value?;
                        Some(RawField { key: e.key, value, key_at: e.key_at, value_at: e.value_at })
                    })
                    .collect());
            }
            Event::Scalar(text, style, _, tag) => match self.scalar(&text, style, tag, span)? {
                None => return Ok(Vec::new()),
                Some(_) => "a single value",
            },
            Event::SequenceStart(..) => "a list",
            Event::Alias(_) => return Err(self.alias(span)),
            _ => return Err(self.unexpected(span)),
        };
        let example = match self.format {
            FrontMatterFormat::Json => "{ \"title\": \"…\", \"weight\": 10 }",
            _ => "title: …, then weight: 10 on the next line",
        };
        Err(self.error(
            span.start,
            format!("the front matter must be fields (a key and a value each), not {what}"),
            format!("write one field a line: {example}"),
        ))
    }

    /// The entries of a mapping whose start was just read, through its end. `depth`
    /// counts the mappings and lists around them, this one included.
    fn entries(&mut self, depth: usize) -> Result<Vec<Entry>, Diagnostic> {
        let mut entries = Vec::new();
        let mut seen: HashMap<String, usize> = HashMap::new();
        loop {
            let (event, span) = self.next()?;
            let key = match event {
                Event::MappingEnd => return Ok(entries),
                Event::Scalar(text, style, _, tag) => self.key(&text, style, tag, span)?,
                Event::Alias(_) => return Err(self.alias(span)),
                Event::SequenceStart(..) | Event::MappingStart(..) => {
                    return Err(self.error(
                        span.start,
                        "a key must be a name, not a list or a mapping",
                        "write a name before the `:`",
                    ));
                }
                _ => return Err(self.unexpected(span)),
            };
            let key_at = self.offset(span.start);
            if let Some(&first) = seen.get(&key) {
                let (line, _) = crate::error::line_col(self.file, first);
                return Err(self.error(
                    span.start,
                    format!("`{key}` is written twice (first on line {line})"),
                    "keep one of them: a page has one value for each field",
                ));
            }
            seen.insert(key.clone(), key_at);
            let (event, span) = self.next()?;
            let value_at = self.offset(span.start);
            let value = self.value(event, span, depth)?;
            entries.push(Entry { key, key_at, value, value_at });
        }
    }

    /// A value; None for null. `depth` counts the mappings and lists around it.
    fn value(
        &mut self,
        event: Event<'a>,
        span: Span,
        depth: usize,
    ) -> Result<Option<Value>, Diagnostic> {
        match event {
            Event::Scalar(text, style, _, tag) => self.scalar(&text, style, tag, span),
            Event::SequenceStart(_, tag) => {
                self.refuse_tag(tag, span)?;
                self.refuse_depth(depth, span)?;
                let mut items = Vec::new();
                loop {
                    let (event, span) = self.next()?;
                    if matches!(event, Event::SequenceEnd) {
                        return Ok(Some(Value::Array(items)));
                    }
                    match self.value(event, span, depth + 1)? {
                        Some(item) => items.push(item),
                        None => {
                            return Err(self.error(
                                span.start,
                                "a list item is empty (null)",
                                "remove the item, or quote it to keep it as text: \"null\"",
                            ));
                        }
                    }
                }
            }
            Event::MappingStart(_, tag) => {
                self.refuse_tag(tag, span)?;
                self.refuse_depth(depth, span)?;
                let table = self
                    .entries(depth + 1)?
                    .into_iter()
                    .filter_map(|e| Some((e.key, e.value?)))
                    .collect();
                Ok(Some(Value::Table(table)))
            }
            Event::Alias(_) => Err(self.alias(span)),
            _ => Err(self.unexpected(span)),
        }
    }

    fn scalar(
        &mut self,
        text: &str,
        style: ScalarStyle,
        tag: Option<Cow<'a, Tag>>,
        span: Span,
    ) -> Result<Option<Value>, Diagnostic> {
        if let Some(tag) = tag {
            if tag.is_yaml_core_schema() && tag.suffix == "str" {
                return Ok(Some(Value::String(text.to_owned())));
            }
            return Err(self.tag(&tag, span));
        }
        if style != ScalarStyle::Plain {
            if self.format == FrontMatterFormat::Json
                && is_bare_date(text)
                && let Ok(date) = text.parse()
            {
                return Ok(Some(Value::Datetime(date)));
            }
            return Ok(Some(Value::String(text.to_owned())));
        }
        plain(text).map_err(|limit| {
            self.error(
                span.start,
                format!("`{text}` is too large a number (at most {limit})"),
                "quote it to keep it as text",
            )
        })
    }

    fn key(
        &mut self,
        text: &str,
        style: ScalarStyle,
        tag: Option<Cow<'a, Tag>>,
        span: Span,
    ) -> Result<String, Diagnostic> {
        let what = match self.scalar(text, style, tag, span)? {
            Some(Value::String(key)) => return Ok(key),
            None => "empty",
            Some(Value::Boolean(_)) => "true or false",
            Some(Value::Datetime(_)) => "a date",
            Some(_) => "a number",
        };
        Err(self.error(
            span.start,
            format!("a key must be a name; `{text}` reads as {what}"),
            format!("quote the key to use it as a name: \"{text}\": …"),
        ))
    }

    fn refuse_tag(&mut self, tag: Option<Cow<'a, Tag>>, span: Span) -> Result<(), Diagnostic> {
        match tag {
            Some(tag) => Err(self.tag(&tag, span)),
            None => Ok(()),
        }
    }

    fn refuse_depth(&mut self, depth: usize, span: Span) -> Result<(), Diagnostic> {
        if depth < MAX_DEPTH {
            return Ok(());
        }
        Err(self.too_deep(span.start))
    }

    fn too_deep(&mut self, at: Marker) -> Diagnostic {
        self.error(
            at,
            format!("values are nested more than {MAX_DEPTH} levels deep here"),
            "flatten the structure; front matter holds a page's fields, not a data set",
        )
    }

    fn tag(&mut self, tag: &Tag, span: Span) -> Diagnostic {
        let written = if tag.is_yaml_core_schema() {
            format!("!!{}", tag.suffix)
        } else {
            format!("{}{}", tag.handle, tag.suffix)
        };
        self.error(
            span.start,
            format!("livery does not read YAML tags such as `{written}`"),
            "remove the tag; livery reads text, numbers, true/false, dates, lists and mappings",
        )
    }

    fn alias(&mut self, span: Span) -> Diagnostic {
        self.error(
            span.start,
            "livery does not read YAML aliases (`*name`)",
            "write the value out in full where the alias is",
        )
    }

    /// An event the parser should never send here; reported rather than trusted.
    fn unexpected(&mut self, span: Span) -> Diagnostic {
        self.error(
            span.start,
            format!("the {} front matter cannot be read here", self.format.name()),
            self.syntax_help(""),
        )
    }

    fn next(&mut self) -> Result<(Event<'a>, Span), Diagnostic> {
        match self.events.next() {
            Some(Ok(next)) => Ok(next),
            Some(Err(error)) => Err(self.syntax(&error)),
            None => {
                let end = Marker::new(self.block.chars().count(), 0, 0);
                Err(self.error(end, "the front matter ends too early", self.syntax_help("")))
            }
        }
    }

    fn syntax(&mut self, error: &ScanError) -> Diagnostic {
        // The parser bounds flow nesting (`[[[…`) itself, and may see it first.
        if error.info() == "recursion limit exceeded" {
            return self.too_deep(*error.marker());
        }
        let at = self.offset(*error.marker()) - self.start;
        let error_line_end = self.block[at..].find('\n').map_or(self.block.len(), |i| at + i + 1);
        // A tab-indented line upsets the parser at or just before it, in many ways.
        if let Some(tab) =
            tab_in_indentation(&self.block[..super::line_end(self.block, error_line_end)])
        {
            return Diagnostic::new(self.path, "YAML does not allow tabs for indentation")
                .at_offset(self.file, self.start + tab)
                .help("indent with spaces");
        }
        Diagnostic::new(
            self.path,
            format!("the {} front matter cannot be read: {}", self.format.name(), error.info()),
        )
        .at_offset(self.file, self.start + at)
        .help(self.syntax_help(error.info()))
    }

    fn syntax_help(&self, info: &str) -> String {
        if self.format == FrontMatterFormat::Json {
            return "write one JSON object: { \"title\": \"…\", \"tags\": [\"a\", \"b\"] }, with commas between fields".to_owned();
        }
        if info.contains("mapping values are not allowed") {
            "quote a value that contains `: `, e.g. title: \"Backup: restore\"".to_owned()
        } else if info.contains("did not find expected key") {
            "start the fields of one level in the same column, and indent with spaces".to_owned()
        } else {
            "write one `key: value` a line; quote text with special characters: title: \"A: B\""
                .to_owned()
        }
    }

    fn error(
        &mut self,
        at: Marker,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> Diagnostic {
        let offset = self.offset(at);
        Diagnostic::new(self.path, message).at_offset(self.file, offset).help(help)
    }

    /// The byte offset in the file of a parser position (which counts characters).
    fn offset(&mut self, marker: Marker) -> usize {
        let target = marker.index();
        let (mut chars, mut bytes) = if target >= self.cursor.0 { self.cursor } else { (0, 0) };
        let mut rest = self.block[bytes..].chars();
        while chars < target {
            let Some(c) = rest.next() else { break };
            chars += 1;
            bytes += c.len_utf8();
        }
        self.cursor = (chars, bytes);
        self.start + bytes
    }
}

/// A plain scalar by YAML 1.2's core schema, and an unquoted date as a date; None for
/// null. An integer too large for livery is an error with the largest it takes.
fn plain(text: &str) -> Result<Option<Value>, i64> {
    Ok(Some(match text {
        "" | "~" | "null" | "Null" | "NULL" => return Ok(None),
        "true" | "True" | "TRUE" => Value::Boolean(true),
        "false" | "False" | "FALSE" => Value::Boolean(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => Value::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => Value::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => Value::Float(f64::NAN),
        _ => {
            if let Some(integer) = integer(text) {
                Value::Integer(integer.map_err(|_| i64::MAX)?)
            } else if is_float(text) {
                text.parse().map_or_else(|_| Value::String(text.to_owned()), Value::Float)
            } else if is_bare_date(text.get(..10).unwrap_or_default())
                && let Ok(date) = text.parse()
            {
                Value::Datetime(date)
            } else {
                Value::String(text.to_owned())
            }
        }
    }))
}

/// `12`, `-3`, `0o17`, `0xff`: Some, with the value if it fits.
fn integer(text: &str) -> Option<Result<i64, std::num::ParseIntError>> {
    let digits = |s: &str, radix| !s.is_empty() && s.chars().all(|c| c.is_digit(radix));
    if let Some(octal) = text.strip_prefix("0o").filter(|s| digits(s, 8)) {
        return Some(i64::from_str_radix(octal, 8));
    }
    if let Some(hex) = text.strip_prefix("0x").filter(|s| digits(s, 16)) {
        return Some(i64::from_str_radix(hex, 16));
    }
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    digits(unsigned, 10).then(|| text.parse())
}

/// `1.5`, `-.5`, `2.`, `1e3`, `6.02E+23`.
fn is_float(text: &str) -> bool {
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => (mantissa, Some(exponent)),
        None => (unsigned, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some((whole, fraction)) => {
            digits(whole) && digits(fraction) && !(whole.is_empty() && fraction.is_empty())
        }
        None => !mantissa.is_empty() && digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exponent_ok
}

/// `2026-10-01`: four digits, two, two.
fn is_bare_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        })
}

/// The offset of the first tab in the indentation of a line of `text`.
fn tab_in_indentation(text: &str) -> Option<usize> {
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let indentation = line.len() - line.trim_start_matches([' ', '\t']).len();
        if let Some(tab) = line[..indentation].find('\t') {
            return Some(start + tab);
        }
        start += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_scalars_follow_the_core_schema_and_read_dates() {
        let value = |text| plain(text).unwrap();
        assert_eq!(value("~"), None);
        assert_eq!(value(""), None);
        assert_eq!(value("True"), Some(Value::Boolean(true)));
        assert_eq!(value("-12"), Some(Value::Integer(-12)));
        assert_eq!(value("0x1f"), Some(Value::Integer(31)));
        assert_eq!(value("0o17"), Some(Value::Integer(15)));
        assert_eq!(value("2.5"), Some(Value::Float(2.5)));
        assert_eq!(value("-.5"), Some(Value::Float(-0.5)));
        assert_eq!(value("1e3"), Some(Value::Float(1000.0)));
        assert_eq!(value("3."), Some(Value::Float(3.0)));
        assert_eq!(value("+-5"), Some(Value::String("+-5".into())));
        assert_eq!(value("1.2.3"), Some(Value::String("1.2.3".into())));
        assert_eq!(value("yes"), Some(Value::String("yes".into())), "YAML 1.2: yes is text");
        assert_eq!(value("2026-10-01"), Some(Value::Datetime("2026-10-01".parse().unwrap())));
        assert_eq!(
            value("2026-10-01 10:00:00"),
            Some(Value::Datetime("2026-10-01T10:00:00".parse().unwrap()))
        );
        assert_eq!(value("2026-10-01 meeting"), Some(Value::String("2026-10-01 meeting".into())));
        assert_eq!(plain("99999999999999999999"), Err(i64::MAX));
    }

    #[test]
    fn tabs_are_found_only_in_indentation() {
        assert_eq!(tab_in_indentation("a: 1\n  \tb: 2\n"), Some(7));
        assert_eq!(tab_in_indentation("a: \"x\ty\"\n"), None);
    }
}
