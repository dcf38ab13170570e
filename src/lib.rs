//! Cognito Console: a terminal console for Amazon Cognito user pools, and the embedded
//! Cognito-compatible store it runs on by default.
#![deny(clippy::unwrap_used)]

pub mod bulk;
pub mod cli;
pub mod client;
pub mod console;
pub mod lambda;
pub mod local;
pub mod mail;
pub mod pool;
pub mod settings;
pub mod ssh;
