//! Leaves below every stage: reading files and TOML safely, HTML escaping,
//! URLs, and what tera's errors and template nesting mean.

pub mod html;
pub mod template_bounds;
pub mod tera_errors;
pub mod text;
pub mod urls;
