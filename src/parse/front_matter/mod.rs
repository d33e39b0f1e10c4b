//! Front matter: the fields at the top of a page, as TOML between `+++` lines (livery's
//! own), YAML between `---` lines, or a JSON object from a `{` line to a `}` line (what
//! other generators' content trees use). Every format becomes the same list of located
//! fields (`toml::Value`s with where each key and value is), and livery's built-in
//! fields are read from that list one field at a time. So a wrong value is reported at
//! that value in every format, and the section schemas see the same values.

mod yaml;

use std::ops::Range;
use std::path::Path;

use toml::Spanned;

use crate::error::{Diagnostic, LineIndex, Rule};
use crate::model::page::Date;
use crate::model::page::Field;
use crate::model::page::FrontMatterFormat;
use crate::model::page::Located;
use crate::model::page::TemplateChoice;
use crate::model::schema::FieldType;
use crate::support::text::parse_toml_in;

pub use yaml::MAX_DEPTH;

/// Where the front matter and the body are, as byte ranges of the file.
pub struct Split {
    pub block: Option<Block>,
    pub body: Range<usize>,
}

/// The front matter of a file.
pub struct Block {
    pub format: FrontMatterFormat,
    /// The text the format's parser reads: between the fences for TOML and YAML, the
    /// whole object, braces included, for JSON.
    pub range: Range<usize>,
    /// Where the closing line starts.
    pub closing: usize,
}

/// Finds the front matter by the file's first line: `+++`, `---` or `{`.
pub fn split(path: &Path, text: &str) -> Result<Split, Diagnostic> {
    let first_line_end = line_end(text, 0);
    let (format, closers): (_, &[&str]) = match text[..first_line_end].trim_end() {
        "+++" => (FrontMatterFormat::Toml, &["+++"]),
        // YAML ends a document with `...` as well; Jekyll and others accept it.
        "---" => (FrontMatterFormat::Yaml, &["---", "..."]),
        "{" => (FrontMatterFormat::Json, &["}"]),
        _ => return Ok(Split { block: None, body: 0..text.len() }),
    };
    let mut offset = first_line_end;
    while offset < text.len() {
        let end = line_end(text, offset);
        if closers.contains(&text[offset..end].trim_end()) {
            let range = match format {
                FrontMatterFormat::Json => 0..end,
                _ => first_line_end..offset,
            };
            let block = Block { format, range, closing: offset };
            return Ok(Split { block: Some(block), body: end..text.len() });
        }
        offset = end;
    }
    Err(Diagnostic::new(path, "the front matter opened here is never closed")
        .at_line(1, Some(1))
        .rule(Rule::FrontMatter)
        .help(format!("end the front matter with a line containing only `{}`", closers[0])))
}

/// The end of the line starting at `start`, its line break included.
fn line_end(text: &str, start: usize) -> usize {
    text[start..].find('\n').map_or(text.len(), |i| start + i + 1)
}

/// A field as its format's reader found it, before offsets become lines and columns.
struct RawField {
    key: String,
    value: toml::Value,
    /// Byte offsets in the file.
    key_at: usize,
    value_at: usize,
}

/// Every top-level field of `block`, in the order written; a YAML or JSON `null` is a
/// field not written.
pub fn fields(path: &Path, text: &str, block: &Block) -> Result<Vec<Field>, Diagnostic> {
    let raw = match block.format {
        FrontMatterFormat::Toml => toml_fields(path, text, block.range.clone()),
        FrontMatterFormat::Yaml | FrontMatterFormat::Json => {
            yaml::fields(path, text, block.range.clone(), block.format)
        }
    }
    .map_err(|d| d.rule(Rule::FrontMatter))?;
    let head = &text[..block.range.end];
    let index = LineIndex::new(head);
    let mut fields: Vec<Field> = raw
        .into_iter()
        .map(|field| {
            let (line, column) = index.line_col(head, field.key_at);
            let (value_line, value_column) = index.line_col(head, field.value_at);
            Field { key: field.key, value: field.value, line, column, value_line, value_column }
        })
        .collect();
    fields.sort_by_key(|f| (f.line, f.column));
    Ok(fields)
}

fn toml_fields(path: &Path, text: &str, range: Range<usize>) -> Result<Vec<RawField>, Diagnostic> {
    let table: std::collections::BTreeMap<Spanned<String>, Spanned<toml::Value>> =
        parse_toml_in(path, text, range.clone())?;
    Ok(table
        .into_iter()
        .map(|(key, value)| RawField {
            key_at: range.start + key.span().start,
            value_at: range.start + value.span().start,
            key: key.into_inner(),
            value: value.into_inner(),
        })
        .collect())
}

/// The fields livery itself reads, each checked for its type. Other fields are the
/// section schemas' business (`site::validate`).
#[derive(Default)]
pub struct BuiltIn {
    pub title: Option<Located<String>>,
    pub description: Option<Located<String>>,
    pub weight: Option<i64>,
    pub tags: Vec<String>,
    pub owner: Option<String>,
    pub last_reviewed: Option<Date>,
    pub draft: bool,
    pub template: Option<TemplateChoice>,
    pub partners: Option<Located<Vec<String>>>,
    pub exclude_partners: Option<Located<Vec<String>>>,
    pub extra: toml::Table,
}

/// Reads the built-in fields of `fields`, the front matter of the file `text`.
pub fn built_in(
    path: &Path,
    text: &str,
    fields: &[Field],
    format: FrontMatterFormat,
) -> Result<BuiltIn, Diagnostic> {
    use toml::Value;
    let mut front = BuiltIn::default();
    for field in fields {
        check_type(path, field, format).map_err(|d| d.quoting(text))?;
        let strings =
            |items: &[Value]| items.iter().filter_map(|i| i.as_str().map(str::to_owned)).collect();
        match (field.key.as_str(), &field.value) {
            ("title", Value::String(title)) => front.title = Some(at(field, title.clone())),
            ("description", Value::String(description)) => {
                front.description = Some(at(field, description.clone()))
            }
            ("owner", Value::String(owner)) => front.owner = Some(owner.clone()),
            ("template", Value::String(name)) => {
                front.template = Some(TemplateChoice {
                    name: name.clone(),
                    line: field.value_line,
                    column: field.value_column,
                });
            }
            ("weight", Value::Integer(weight)) => front.weight = Some(*weight),
            ("draft", Value::Boolean(draft)) => front.draft = *draft,
            ("tags", Value::Array(items)) => front.tags = strings(items),
            ("partners", Value::Array(items)) => front.partners = Some(at(field, strings(items))),
            ("exclude_partners", Value::Array(items)) => {
                front.exclude_partners = Some(at(field, strings(items)));
            }
            ("last_reviewed", Value::Datetime(date)) => front.last_reviewed = to_date(date),
            ("extra", Value::Table(extra)) => front.extra = extra.clone(),
            _ => {}
        }
    }
    Ok(front)
}

/// A built-in field whose value has the wrong type (or an empty title), as an error at
/// the value, with the field written right in the page's own format.
fn check_type(path: &Path, field: &Field, format: FrontMatterFormat) -> Result<(), Diagnostic> {
    let wrong = |message: String, help: String| {
        Err(Diagnostic::new(path, message)
            .at_line(field.value_line, Some(field.value_column))
            .rule(Rule::FrontMatter)
            .help(help))
    };
    let key = field.key.as_str();
    if key == "extra" {
        if field.value.is_table() {
            return Ok(());
        }
        let help = match format {
            FrontMatterFormat::Toml => {
                "write them in a table: an `[extra]` line, then `key = \"value\"` lines"
            }
            FrontMatterFormat::Yaml => "write them under `extra:`, indented: `  key: value`",
            FrontMatterFormat::Json => {
                "write them as an object: `\"extra\": { \"key\": \"value\" }`"
            }
        };
        return wrong(
            format!("`extra` must hold fields of your own, not {}", shown(&field.value)),
            help.to_owned(),
        );
    }
    let Some(kind) = FieldType::of_built_in(key) else { return Ok(()) };
    if key == "last_reviewed" && !kind.matches(&field.value) {
        return wrong(
            format!("last_reviewed `{}` is not a date", shown(&field.value)),
            format!(
                "write a bare date without quotes or time: {}",
                format.assignment(key, kind.example())
            ),
        );
    }
    if !kind.matches(&field.value) {
        return wrong(
            format!("`{key}` must be {}, not {}", kind.name(), shown(&field.value)),
            format!("write it like {}", format.assignment(key, kind.example())),
        );
    }
    if key == "title" && field.value.as_str().is_some_and(|t| t.trim().is_empty()) {
        return wrong(
            "the title is empty".to_owned(),
            "write a title, or remove the line to use the first `# heading`".to_owned(),
        );
    }
    Ok(())
}

/// A value for a message: as written in TOML, cut short when long.
fn shown(value: &toml::Value) -> String {
    const MAX: usize = 60;
    let text = value.to_string();
    match text.char_indices().nth(MAX) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text,
    }
}

/// `value`, located where the field's value is written.
fn at<T>(field: &Field, value: T) -> Located<T> {
    Located { value, line: field.value_line, column: field.value_column }
}

fn to_date(value: &toml::value::Datetime) -> Option<Date> {
    let date = value.date?;
    if value.time.is_some() || value.offset.is_some() {
        return None;
    }
    Some(Date { year: date.year, month: date.month, day: date.day })
}
