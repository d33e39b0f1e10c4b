//! Per partner: which pages it carries and how they read for it (personalize), its
//! tree and navigation (plan), and what must hold before anything is emitted (links,
//! schemas, aliases). `shard` picks the partners of one CI job.

pub mod links;
pub mod personalize;
pub mod plan;
pub mod redirects;
pub mod shard;
pub mod validate;
