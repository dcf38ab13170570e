//! The console in a real terminal (a pty) and over SSH with the OpenSSH client.

#[macro_use]
#[path = "../common/mod.rs"]
mod common;

mod pty;
mod ssh;
