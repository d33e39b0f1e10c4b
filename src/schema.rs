//! Front matter schemas per section, declared in livery.toml:
//!
//! ```toml
//! [sections.runbooks]
//! required = ["owner", "last_reviewed", "severity"]
//! max_age_days = 180
//! fields.severity = { type = "string", allowed = ["sev1", "sev2", "sev3"] }
//! ```
//!
//! A page follows the schema of the deepest section folder it lies in. `build` and
//! `check` both enforce required fields, types and allowed values, and warn about
//! fields nobody declared; only `check` looks at review dates, which change with the
//! calendar rather than the content.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::error::{Diagnostic, Rule};
use crate::page::{BUILT_IN_FIELDS, Date, Field, Page, PageKind};

/// `[sections]` of livery.toml as written.
pub type SectionsFile = BTreeMap<Spanned<String>, SectionFile>;

#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct SectionFile {
    #[serde(default)]
    required: Vec<Spanned<String>>,
    max_age_days: Option<Spanned<i64>>,
    #[serde(default)]
    fields: BTreeMap<Spanned<String>, FieldRuleFile>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct FieldRuleFile {
    #[serde(rename = "type")]
    kind: Option<Spanned<FieldType>>,
    allowed: Option<Vec<toml::Value>>,
}

/// The value types a declared field may have.
#[derive(Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum FieldType {
    String,
    Integer,
    Float,
    Boolean,
    Date,
    /// A list of strings.
    List,
}

impl FieldType {
    fn name(self) -> &'static str {
        match self {
            FieldType::String => "a string",
            FieldType::Integer => "an integer",
            FieldType::Float => "a number",
            FieldType::Boolean => "true or false",
            FieldType::Date => "a date",
            FieldType::List => "a list of strings",
        }
    }

    fn example(self) -> &'static str {
        match self {
            FieldType::String => "\"text\"",
            FieldType::Integer => "3",
            FieldType::Float => "2.5",
            FieldType::Boolean => "true",
            FieldType::Date => "2026-10-01",
            FieldType::List => "[\"a\", \"b\"]",
        }
    }

    fn matches(self, value: &toml::Value) -> bool {
        match (self, value) {
            (FieldType::String, toml::Value::String(_))
            | (FieldType::Integer, toml::Value::Integer(_))
            | (FieldType::Float, toml::Value::Float(_) | toml::Value::Integer(_))
            | (FieldType::Boolean, toml::Value::Boolean(_)) => true,
            (FieldType::Date, toml::Value::Datetime(d)) => d.date.is_some() && d.time.is_none(),
            (FieldType::List, toml::Value::Array(items)) => items.iter().all(|i| i.is_str()),
            _ => false,
        }
    }

    /// The type of a built-in field, which serde has already checked.
    fn of_built_in(key: &str) -> Option<FieldType> {
        Some(match key {
            "title" | "description" | "owner" | "template" => FieldType::String,
            "weight" => FieldType::Integer,
            "draft" => FieldType::Boolean,
            "last_reviewed" => FieldType::Date,
            "tags" | "partners" | "exclude_partners" => FieldType::List,
            _ => return None,
        })
    }
}

/// What a section demands of one field.
#[derive(Debug, Clone)]
pub struct FieldRule {
    pub kind: FieldType,
    /// The values it may take (each item, for a list); any when empty.
    pub allowed: Vec<toml::Value>,
}

/// One section's schema, validated.
#[derive(Debug, Clone)]
pub struct SectionSchema {
    /// The section folder, relative to content/.
    pub folder: PathBuf,
    pub required: Vec<String>,
    pub fields: BTreeMap<String, FieldRule>,
    pub max_age_days: Option<u32>,
}

impl SectionSchema {
    /// A TOML value of `key` that this schema accepts, for messages and new pages:
    /// the first allowed value, else `today` for a date (when given), else a
    /// placeholder of the field's type.
    fn example_value(&self, key: &str, today: Option<Date>) -> String {
        let rule = self.fields.get(key);
        let kind =
            FieldType::of_built_in(key).or(rule.map(|r| r.kind)).unwrap_or(FieldType::String);
        match (rule.and_then(|r| r.allowed.first()), kind) {
            (Some(first), FieldType::List) => format!("[{first}]"),
            (Some(first), _) => first.to_string(),
            (None, FieldType::Date) => {
                today.map_or_else(|| kind.example().to_owned(), |d| d.to_string())
            }
            (None, _) if key == "owner" => "\"your-team\"".to_owned(),
            (None, FieldType::List) => "[]".to_owned(),
            (None, FieldType::String) => "\"TODO\"".to_owned(),
            (None, other) => other.example().to_owned(),
        }
    }

    /// Whether pages of this section may have the field.
    fn declares(&self, key: &str) -> bool {
        BUILT_IN_FIELDS.contains(&key) || self.fields.contains_key(key)
    }
}

/// Every section schema of the project, deepest folder first.
#[derive(Debug, Clone, Default)]
pub struct Schemas(Vec<SectionSchema>);

impl Schemas {
    /// Validates `[sections]`; `source` is livery.toml's text, to locate mistakes.
    pub fn resolve(file: SectionsFile, path: &Path, source: &str) -> Result<Schemas, Diagnostic> {
        let mut schemas = Vec::new();
        for (folder, section) in file {
            let at = |span: std::ops::Range<usize>, message: String| {
                Diagnostic::new(path, message).at_offset(source, span.start).rule(Rule::Config)
            };
            let Some(folder_path) = crate::config::safe_relative_path(folder.get_ref()) else {
                return Err(at(
                    folder.span(),
                    format!("section `{}` is not a folder inside content/", folder.get_ref()),
                )
                .help("name the folder relative to content/, e.g. [sections.runbooks]"));
            };
            let mut fields = BTreeMap::new();
            for (key, rule) in section.fields {
                let built_in = FieldType::of_built_in(key.get_ref());
                let kind = match (built_in, rule.kind) {
                    (Some(fixed), Some(kind)) if fixed != *kind.get_ref() => {
                        return Err(at(
                            kind.span(),
                            format!(
                                "`{}` is a built-in field: always {}",
                                key.get_ref(),
                                fixed.name()
                            ),
                        )
                        .help("remove `type` from this field"));
                    }
                    (Some(fixed), _) => fixed,
                    (None, Some(kind)) => kind.into_inner(),
                    (None, None) => FieldType::String,
                };
                if key.get_ref() == "extra" {
                    return Err(at(key.span(), "`extra` is a table of free-form values".into())
                        .help("declare custom fields by their own name"));
                }
                let allowed = rule.allowed.unwrap_or_default();
                let item_type = if kind == FieldType::List { FieldType::String } else { kind };
                if let Some(bad) = allowed.iter().find(|v| !item_type.matches(v)) {
                    return Err(at(
                        key.span(),
                        format!(
                            "`{}` allows {bad}, which is not {}",
                            key.get_ref(),
                            item_type.name()
                        ),
                    )
                    .help("make every allowed value the field's type"));
                }
                fields.insert(key.into_inner(), FieldRule { kind, allowed });
            }
            let mut required = Vec::new();
            for key in section.required {
                let name = key.get_ref();
                if !BUILT_IN_FIELDS.contains(&name.as_str()) && !fields.contains_key(name) {
                    return Err(at(
                        key.span(),
                        format!("required field `{name}` is neither built in nor declared"),
                    )
                    .help(format!(
                        "declare it: fields.{name} = {{ type = \"string\" }} under [sections.{}]",
                        folder.get_ref()
                    )));
                }
                required.push(key.into_inner());
            }
            let max_age_days = match section.max_age_days {
                Some(days) => Some(
                    u32::try_from(*days.get_ref()).ok().filter(|d| *d > 0).ok_or_else(|| {
                        at(
                            days.span(),
                            format!("max_age_days = {} is not a number of days", days.get_ref()),
                        )
                        .help("use a whole number of days, at least 1")
                    })?,
                ),
                None => None,
            };
            schemas.push(SectionSchema { folder: folder_path, required, fields, max_age_days });
        }
        schemas.sort_by_key(|s| std::cmp::Reverse(s.folder.components().count()));
        Ok(Schemas(schemas))
    }

    /// The schema of the deepest section folder the page lies in.
    pub fn for_page(&self, page: &Page) -> Option<&SectionSchema> {
        self.for_path(&page.source)
    }

    /// The schema for a page at `source` (relative to content/).
    fn for_path(&self, source: &Path) -> Option<&SectionSchema> {
        let folder = source.parent().unwrap_or(Path::new(""));
        self.0.iter().find(|schema| folder.starts_with(&schema.folder))
    }

    /// Front matter lines (key, TOML value) that satisfy the schema for a new page at
    /// `source`: see `SectionSchema::example_value`.
    pub fn placeholders(&self, source: &Path, today: Date) -> Vec<(String, String)> {
        let Some(schema) = self.for_path(source) else { return Vec::new() };
        schema
            .required
            .iter()
            .filter(|key| !["title", "description"].contains(&key.as_str()))
            .map(|key| (key.clone(), schema.example_value(key, Some(today))))
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Schema violations (errors) and undeclared fields (warnings) of one page.
pub fn check_page(page: &Page, schemas: &Schemas) -> Vec<Diagnostic> {
    let path = page.display_path();
    let schema = schemas.for_page(page);
    let mut problems = Vec::new();
    for field in &page.fields {
        if !schema.map_or(BUILT_IN_FIELDS.contains(&field.key.as_str()), |s| s.declares(&field.key))
        {
            let section = schema.map_or_else(
                || "no [sections] schema applies to this page".to_owned(),
                |s| format!("[sections.{}] does not declare it", s.folder.display()),
            );
            problems.push(
                Diagnostic::new(&path, format!("unknown front matter field `{}`", field.key))
                    .at_line(field.line, Some(field.column))
                    .rule(Rule::UnknownField)
                    .warning()
                    .help(format!(
                        "{section}; fix the name, move it under [extra], or declare it in livery.toml"
                    )),
            );
        }
    }
    let Some(schema) = schema.filter(|_| page.kind == PageKind::Page) else { return problems };
    for key in &schema.required {
        if page.field(key).is_none() {
            // No date here: what `build` prints must not change with the calendar.
            let example = schema.example_value(key, None);
            let mut diagnostic = Diagnostic::new(
                &path,
                format!(
                    "missing required field `{key}` (pages in {}/ must have it)",
                    schema.folder.display()
                ),
            )
            .rule(Rule::Schema)
            .help(format!("add `{key} = {example}` to the front matter"));
            diagnostic = diagnostic.at_line(page.front_matter_end.unwrap_or(1), None);
            problems.push(diagnostic);
        }
    }
    for field in &page.fields {
        if let Some(rule) = schema.fields.get(&field.key) {
            problems.extend(check_value(&path, field, rule));
        }
    }
    problems
}

fn check_value(path: &Path, field: &Field, rule: &FieldRule) -> Option<Diagnostic> {
    let wrong = |message: String, help: String| {
        Some(
            Diagnostic::new(path, message)
                .at_line(field.value_line, Some(field.value_column))
                .rule(Rule::Schema)
                .help(help),
        )
    };
    if !rule.kind.matches(&field.value) {
        return wrong(
            format!("`{}` must be {}, not {}", field.key, rule.kind.name(), field.value),
            format!("write it like {} = {}", field.key, rule.kind.example()),
        );
    }
    if rule.allowed.is_empty() {
        return None;
    }
    let values: Vec<&toml::Value> = match &field.value {
        toml::Value::Array(items) => items.iter().collect(),
        value => vec![value],
    };
    let allowed: Vec<String> = rule.allowed.iter().map(ToString::to_string).collect();
    values.into_iter().find(|v| !rule.allowed.contains(v)).and_then(|bad| {
        wrong(
            format!("`{}` = {bad} is not an allowed value", field.key),
            format!("use one of: {}", allowed.join(", ")),
        )
    })
}

/// A page whose last review is older than its section allows (an error), or that
/// was never reviewed at all (a warning), as of `today`.
pub fn stale(page: &Page, schemas: &Schemas, today: Date) -> Option<Diagnostic> {
    let schema = schemas.for_page(page).filter(|_| page.kind == PageKind::Page)?;
    let max_age = schema.max_age_days?;
    let path = page.display_path();
    let owner = page
        .owner
        .as_deref()
        .map_or_else(|| "no owner is set".to_owned(), |owner| format!("owner: {owner}"));
    let Some(reviewed) = page.last_reviewed else {
        if schema.required.iter().any(|r| r == "last_reviewed") {
            return None; // the schema already reports the missing field
        }
        return Some(
            Diagnostic::new(
                &path,
                format!(
                    "never reviewed: pages in {}/ must be reviewed every {max_age} days ({owner})",
                    schema.folder.display()
                ),
            )
            .at_line(page.front_matter_end.unwrap_or(1), None)
            .rule(Rule::Stale)
            .warning()
            .help(format!("review the page, then add last_reviewed = {today}")),
        );
    };
    let age = days_between(reviewed, today)?;
    if age <= i64::from(max_age) {
        return None;
    }
    let field = page.field("last_reviewed");
    Some(
        Diagnostic::new(
            &path,
            format!(
                "stale: last reviewed {reviewed}, {age} days ago; {}/ allows {max_age} days ({owner})",
                schema.folder.display()
            ),
        )
        .at_line(
            field.map_or(1, |f| f.value_line),
            field.map(|f| f.value_column),
        )
        .rule(Rule::Stale)
        .help(format!("review the page, then set last_reviewed = {today}")),
    )
}

/// Whole days from `from` to `to`; None for dates the calendar does not have.
fn days_between(from: Date, to: Date) -> Option<i64> {
    let civil = |d: Date| jiff::civil::Date::new(d.year as i16, d.month as i8, d.day as i8).ok();
    let span = civil(from)?.until((jiff::Unit::Day, civil(to)?)).ok()?;
    Some(i64::from(span.get_days()))
}

impl From<jiff::civil::Date> for Date {
    fn from(date: jiff::civil::Date) -> Self {
        Date { year: date.year() as u16, month: date.month() as u8, day: date.day() as u8 }
    }
}

/// A `YYYY-MM-DD` date.
pub fn parse_date(text: &str) -> Option<Date> {
    text.trim().parse::<jiff::civil::Date>().ok().map(Date::from)
}

/// Today's date in the local time zone.
pub fn today() -> Date {
    jiff::Zoned::now().date().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_between_counts_calendar_days() {
        let d = |year, month, day| Date { year, month, day };
        assert_eq!(days_between(d(2026, 1, 1), d(2026, 3, 1)), Some(59));
        assert_eq!(days_between(d(2024, 2, 28), d(2024, 3, 1)), Some(2));
        assert_eq!(days_between(d(2026, 3, 1), d(2026, 1, 1)), Some(-59));
    }

    #[test]
    fn example_values_pass_the_schema() {
        let file: SectionsFile = toml::from_str(
            "[runbooks]\nrequired = [\"service\", \"last_reviewed\", \"owner\"]\nfields.service = { type = \"list\", allowed = [\"db\", \"web\"] }\n",
        )
        .unwrap();
        let schemas = Schemas::resolve(file, Path::new("livery.toml"), "").unwrap();
        let today = Date { year: 2026, month: 11, day: 23 };
        assert_eq!(
            schemas.placeholders(Path::new("runbooks/a.md"), today),
            [
                ("service".to_owned(), "[\"db\"]".to_owned()),
                ("last_reviewed".to_owned(), "2026-11-23".to_owned()),
                ("owner".to_owned(), "\"your-team\"".to_owned()),
            ]
        );
        let schema = &schemas.0[0];
        assert_eq!(schema.example_value("last_reviewed", None), "2026-10-01");
        assert!(schemas.placeholders(Path::new("guides/a.md"), today).is_empty());
    }

    #[test]
    fn value_types_are_checked() {
        assert!(FieldType::Date.matches(&toml::Value::Datetime("2026-01-01".parse().unwrap())));
        assert!(!FieldType::Date.matches(&toml::Value::String("2026-01-01".into())));
        assert!(FieldType::Float.matches(&toml::Value::Integer(2)));
        assert!(!FieldType::List.matches(&toml::Value::Array(vec![toml::Value::Integer(1)])));
    }
}
