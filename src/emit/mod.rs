//! Bytes only: each page through its theme template (fragments at their scope), the
//! search index, sitemap, robots.txt and brand stylesheet, and the files to copy.

pub mod html;
pub mod search;
pub mod theme;
