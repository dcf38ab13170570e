//! Export and import of users (CSV in Cognito's import format, or JSONL), through
//! `client`, so they work on Cognito, moto and the local store alike. Used by the
//! `export` and `import` subcommands (`cli::export`, `cli::import`) and the console.

pub mod export;
pub mod format;
pub mod import;
pub mod job;
pub mod pace;
pub mod progress;

pub use format::{Format, Record};
