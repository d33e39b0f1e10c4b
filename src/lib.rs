//! livery: one shared tree of markdown, one fully branded static site per partner.
//!
//! The modules in pipeline order (docs/architecture.md says what flows between them):
//! `load` (the only reader of input files) → `parse` (once per project) → `site` (per
//! partner: select, personalize, plan, validate) → `emit` (bytes) → `leaks` (what is
//! about to be published, scanned for other partners' terms) → `write` (staging and
//! atomic swap). `pipeline` wires them for `build`, `check` and `serve`; `model` holds
//! the plain values passed between stages and `support` the leaves below everything.

// Diagnostics travel on the error path only; boxing them would buy nothing measurable.
#![allow(clippy::result_large_err)]

pub mod cache;
pub mod check;
pub mod emit;
pub mod error;
#[cfg(test)]
mod fuzz;
pub mod leaks;
pub mod load;
pub mod model;
pub mod parse;
pub mod pipeline;
pub mod scaffold;
pub mod serve;
pub mod site;
pub mod snapshot;
pub mod support;
pub mod write;

pub use cache::Cache;
pub use error::{Diagnostic, Error, Rule, Severity};
pub use pipeline::{BuildOptions, BuildReport, PartnerReport, Progress, Step, build, rebuild};
