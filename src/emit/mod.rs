//! Bytes only: each page through its theme template (fragments at their scope), the
//! search index, sitemap, robots.txt, brand stylesheet and redirect pages, and the files
//! to copy.

pub mod html;
pub mod redirects;
pub mod search;
pub mod theme;
