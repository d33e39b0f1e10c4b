//! Once per project, the same for every partner: front matter (TOML, YAML or JSON),
//! other generators' syntax reported, markdown to HTML, syntax highlighting, and
//! content templates prepared for per-partner rendering.

pub mod aliases;
pub mod foreign;
pub mod front_matter;
pub mod highlight;
pub mod markdown;
pub mod page;
pub mod page_urls;
pub mod templating;
