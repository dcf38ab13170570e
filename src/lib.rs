//! Cognito Console: a terminal console for Amazon Cognito user pools, and the embedded
//! Cognito-compatible store it runs on by default.
#![deny(clippy::unwrap_used)]

pub mod audit_command;
pub mod bulk;
pub mod cli;
pub mod client;
pub mod console;
pub mod console_command;
pub mod local;
pub mod mail;
pub mod outbox_command;
pub mod pool;
pub mod settings;
pub mod ssh;
pub mod ssh_command;
