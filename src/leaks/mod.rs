//! Leak-proof publishing: a partner's site never shows another partner (its name,
//! domains, email, phone) nor a term the project forbids. What is scanned is what is
//! about to be published, every text file and every file name, after rendering; a hit
//! fails the partner's build and is traced back to the source that put it there.

pub mod scan;
pub mod terms;
pub mod views;
