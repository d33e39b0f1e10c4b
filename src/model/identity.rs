//! What identifies a partner on a page, and what no partner may publish: the terms
//! the leak scan looks for in every partner's output, with where each was written.

use std::path::PathBuf;

/// What a term is, for messages and for how strictly two partners may share it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TermKind {
    Name,
    /// The host of `base_url`.
    SiteHost,
    /// The host of a contact or menu URL.
    Host,
    Email,
    EmailDomain,
    Phone,
    /// `[leaks]` in livery.toml: published by no partner.
    Forbidden,
}

impl TermKind {
    pub fn describe(self) -> &'static str {
        match self {
            TermKind::Name => "name",
            TermKind::SiteHost => "site's domain",
            TermKind::Host => "domain",
            TermKind::Email => "support email",
            TermKind::EmailDomain => "email domain",
            TermKind::Phone => "support phone",
            TermKind::Forbidden => "forbidden term",
        }
    }
}

/// One term as written in a config file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityTerm {
    pub text: String,
    pub kind: TermKind,
    /// Matched only in the case written (`[leaks] exact`); else in any case.
    pub exact: bool,
    /// Where it is written: project-relative file, line, column.
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
}

/// A partner's identifying terms, read from its partner.toml whether or not the
/// partner is being built: `build --partner acme` must still keep globex's name out.
#[derive(Debug, Clone)]
pub struct Identity {
    pub partner: String,
    /// `base_url` as written, for telling two sites at one address apart.
    pub base_url: String,
    pub terms: Vec<IdentityTerm>,
}
