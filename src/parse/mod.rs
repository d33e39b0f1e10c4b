//! Once per project, the same for every partner: front matter, markdown to HTML,
//! syntax highlighting, and content templates prepared for per-partner rendering.

pub mod aliases;
pub mod highlight;
pub mod markdown;
pub mod page;
pub mod templating;
