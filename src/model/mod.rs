//! Plain values passed between stages: the project, partners and their brand, pages
//! and their converted content, section schemas, output files. No I/O, no templates.

pub mod content;
pub mod identity;
pub mod output;
pub mod page;
pub mod partner;
pub mod project;
pub mod schema;
pub mod url_map;
