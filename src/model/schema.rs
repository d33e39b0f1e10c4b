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
use crate::model::page::BUILT_IN_FIELDS;
use crate::model::page::Date;
use crate::model::page::Page;

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
    pub(crate) fn name(self) -> &'static str {
        match self {
            FieldType::String => "a string",
            FieldType::Integer => "an integer",
            FieldType::Float => "a number",
            FieldType::Boolean => "true or false",
            FieldType::Date => "a date",
            FieldType::List => "a list of strings",
        }
    }

    pub(crate) fn example(self) -> &'static str {
        match self {
            FieldType::String => "\"text\"",
            FieldType::Integer => "3",
            FieldType::Float => "2.5",
            FieldType::Boolean => "true",
            FieldType::Date => "2026-10-01",
            FieldType::List => "[\"a\", \"b\"]",
        }
    }

    pub(crate) fn matches(self, value: &toml::Value) -> bool {
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

    /// The type of a built-in field, which `parse::front_matter` has already checked.
    pub(crate) fn of_built_in(key: &str) -> Option<FieldType> {
        Some(match key {
            "title" | "description" | "owner" | "template" | "slug" | "url" => FieldType::String,
            "weight" => FieldType::Integer,
            "draft" => FieldType::Boolean,
            "last_reviewed" => FieldType::Date,
            "tags" | "partners" | "exclude_partners" | "aliases" => FieldType::List,
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
    pub(crate) fn example_value(&self, key: &str, today: Option<Date>) -> String {
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
    pub(crate) fn declares(&self, key: &str) -> bool {
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
            let Some(folder_path) = crate::support::text::safe_relative_path(folder.get_ref())
            else {
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
