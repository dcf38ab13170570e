//! The binary's subcommands as a user runs them: `serve` (with the aws CLI, its
//! limits, SigV4, the mail relay), `export` and `import`.

#[macro_use]
#[path = "../common/mod.rs"]
mod common;

mod aws_cli;
mod bulk;
mod mail_relay;
mod output;
mod serve;
mod serve_hardening;
mod serve_signatures;
mod users;
