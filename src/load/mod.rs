//! The only reader of input files: livery.toml, partner.toml and theme.toml, the
//! content trees, theme layers (on disk or built in) and their UI strings.

pub mod brand;
pub mod colour;
pub mod config;
pub mod content;
pub mod embedded;
pub mod i18n;
pub mod theme;
