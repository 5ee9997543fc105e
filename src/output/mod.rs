//! Output: write the site atomically, and print findings in the report formats.
//!
//! Invariant: the only module that writes files of the site.

pub mod human;
pub mod json;
mod site;

pub use site::Staging;
