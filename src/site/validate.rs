//! Per page, before anything is emitted: front matter against its section's schema
//! (required fields, types, allowed values) and, for `check`, review dates.

use std::path::Path;

use crate::error::{Diagnostic, Rule};
use crate::model::page::BUILT_IN_FIELDS;
use crate::model::page::Date;
use crate::model::page::Field;
use crate::model::page::FrontMatterFormat;
use crate::model::page::Page;
use crate::model::page::PageKind;
use crate::model::schema::FieldRule;
use crate::model::schema::Schemas;

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
            .help(format!(
                "add `{}` to the front matter",
                page.front_matter_format.assignment(key, &example)
            ));
            diagnostic = diagnostic.at_line(page.front_matter_end.unwrap_or(1), None);
            problems.push(diagnostic);
        }
    }
    for field in &page.fields {
        if let Some(rule) = schema.fields.get(&field.key) {
            problems.extend(check_value(&path, field, rule, page.front_matter_format));
        }
    }
    problems
}

fn check_value(
    path: &Path,
    field: &Field,
    rule: &FieldRule,
    format: FrontMatterFormat,
) -> Option<Diagnostic> {
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
            format!("write it like {}", format.assignment(&field.key, rule.kind.example())),
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
            .help(format!(
                "review the page, then add {}",
                page.front_matter_format.assignment("last_reviewed", &today.to_string())
            )),
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
        .help(format!(
            "review the page, then set {}",
            page.front_matter_format.assignment("last_reviewed", &today.to_string())
        )),
    )
}

/// Whole days from `from` to `to`; None for dates the calendar does not have.
pub(crate) fn days_between(from: Date, to: Date) -> Option<i64> {
    let civil = |d: Date| jiff::civil::Date::new(d.year as i16, d.month as i8, d.day as i8).ok();
    let span = civil(from)?.until((jiff::Unit::Day, civil(to)?)).ok()?;
    Some(i64::from(span.get_days()))
}

/// A translation older than its page: the page was reviewed (`last_reviewed`) after
/// the translation was, or the page has a review date and the translation none. Review
/// dates are what a translator updates when they bring a translation up to date, so
/// the rule needs no hashes in front matter.
pub fn stale_translation(translation: &Page, original: &Page) -> Option<Diagnostic> {
    let language = translation.language.as_deref()?;
    let original_date = original.last_reviewed?;
    let fresh = translation.last_reviewed.is_some_and(|date| date >= original_date);
    if fresh {
        return None;
    }
    let (message, at) = match translation.last_reviewed {
        Some(date) => (
            format!(
                "stale translation: reviewed {date}, but {} was reviewed {original_date}",
                original.display_path().display()
            ),
            translation.field("last_reviewed").map(|f| (f.value_line, f.value_column)),
        ),
        None => (
            format!(
                "stale translation: it has no last_reviewed, and {} was reviewed {original_date}",
                original.display_path().display()
            ),
            None,
        ),
    };
    let mut diagnostic = Diagnostic::new(translation.display_path(), message)
        .rule(Rule::StaleTranslation)
        .warning()
        .help(format!(
            "bring the {language} translation up to date with the page, then set its last_reviewed to the day you did"
        ));
    if let Some((line, column)) = at {
        diagnostic = diagnostic.at_line(line, Some(column));
    }
    Some(diagnostic)
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
}
