//! `livery check`'s two formats: for people (grouped by file, coloured when the
//! terminal wants it) and for CI tools (JSON, schema version 1, documented in the README).

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};
use serde::Serialize;

use super::CheckReport;
use crate::error::{Diagnostic, Severity};

const ERROR: Style = AnsiColor::Red.on_default().bold();
const WARNING: Style = AnsiColor::Yellow.on_default().bold();
const DIM: Style = Style::new().dimmed();
const BOLD: Style = Style::new().bold();

/// Findings grouped by file, then a summary line per partner and a total. Styles are
/// ANSI codes; write to an `anstream` stream to drop them where colour is unwanted.
pub fn human(report: &CheckReport, list_external: bool, out: &mut dyn Write) -> io::Result<()> {
    let mut current_file = None;
    for finding in &report.findings {
        if current_file != Some(&finding.path) {
            if current_file.is_some() {
                writeln!(out)?;
            }
            writeln!(out, "{BOLD}{}{BOLD:#}", finding.path.display())?;
            current_file = Some(&finding.path);
        }
        write_finding(finding, out)?;
    }
    if !report.findings.is_empty() {
        writeln!(out)?;
    }
    if list_external {
        writeln!(
            out,
            "{BOLD}external links{BOLD:#} (listed, not fetched): {}",
            report.external_links.len()
        )?;
        for link in &report.external_links {
            writeln!(out, "  {}:{}:{}: {}", link.path.display(), link.line, link.column, link.url)?;
        }
        writeln!(out)?;
    }
    for partner in &report.partners {
        let (errors, warnings) = report.counts_for(partner);
        writeln!(
            out,
            "  {partner:<16} {}, {}",
            plural(errors, "error"),
            plural(warnings, "warning")
        )?;
    }
    let (errors, warnings) = (report.count(Severity::Error), report.count(Severity::Warning));
    let verdict = if errors > 0 {
        format!("{ERROR}{}{ERROR:#}", plural(errors, "error"))
    } else {
        "no errors".to_owned()
    };
    writeln!(
        out,
        "checked {} in {:.0} ms: {verdict}, {}",
        plural(report.partners.len(), "partner"),
        report.elapsed.as_secs_f64() * 1000.0,
        plural(warnings, "warning"),
    )
}

fn write_finding(finding: &Diagnostic, out: &mut dyn Write) -> io::Result<()> {
    let style = match finding.severity {
        Severity::Error => ERROR,
        Severity::Warning => WARNING,
    };
    let partner = finding.partner.as_ref().map(|p| format!(" [partner {p}]")).unwrap_or_default();
    writeln!(
        out,
        "{}: {style}{}{style:#}: {}{partner} {DIM}[{}]{DIM:#}",
        finding.location(),
        finding.severity,
        finding.message,
        finding.rule_name()
    )?;
    if let Some(help) = &finding.help {
        writeln!(out, "    {DIM}help:{DIM:#} {help}")?;
    }
    Ok(())
}

fn plural(count: usize, noun: &str) -> String {
    format!("{count} {noun}{}", if count == 1 { "" } else { "s" })
}

/// The JSON document: see "livery check" in the README for the schema.
#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    partners: &'a [String],
    findings: Vec<Finding<'a>>,
    external_links: Vec<ExternalLink<'a>>,
    summary: Summary<'a>,
}

#[derive(Serialize)]
struct Finding<'a> {
    rule: &'static str,
    severity: String,
    file: String,
    line: Option<usize>,
    column: Option<usize>,
    partner: Option<&'a str>,
    message: &'a str,
    help: Option<&'a str>,
}

#[derive(Serialize)]
struct ExternalLink<'a> {
    file: String,
    line: usize,
    column: usize,
    url: &'a str,
}

#[derive(Serialize)]
struct Summary<'a> {
    errors: usize,
    warnings: usize,
    by_partner: Vec<PartnerSummary<'a>>,
}

#[derive(Serialize)]
struct PartnerSummary<'a> {
    partner: &'a str,
    errors: usize,
    warnings: usize,
}

pub fn json(report: &CheckReport, list_external: bool) -> String {
    let findings = report
        .findings
        .iter()
        .map(|f| Finding {
            rule: f.rule_name(),
            severity: f.severity.to_string(),
            file: slash_path(&f.path),
            line: f.line,
            column: f.column,
            partner: f.partner.as_deref(),
            message: &f.message,
            help: f.help.as_deref(),
        })
        .collect();
    let external_links = if list_external {
        report
            .external_links
            .iter()
            .map(|l| ExternalLink {
                file: slash_path(&l.path),
                line: l.line,
                column: l.column,
                url: &l.url,
            })
            .collect()
    } else {
        Vec::new()
    };
    let by_partner = report
        .partners
        .iter()
        .map(|partner| {
            let (errors, warnings) = report.counts_for(partner);
            PartnerSummary { partner, errors, warnings }
        })
        .collect();
    let document = Document {
        version: 1,
        partners: &report.partners,
        findings,
        external_links,
        summary: Summary {
            errors: report.count(Severity::Error),
            warnings: report.count(Severity::Warning),
            by_partner,
        },
    };
    serde_json::to_string_pretty(&document).unwrap_or_default()
}

/// Paths with `/` on every platform, as CI annotations expect.
fn slash_path(path: &std::path::Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}
