//! The console, driven headless (`console::headless`) on the local store and on moto:
//! its flows, each tab and popup, what its screens say (snapshots, screenshots), mail
//! and the audit log.

#[macro_use]
#[path = "../common/mod.rs"]
mod common;

mod app_clients;
mod audit;
mod bulk;
mod copy_and_raw;
mod domain;
mod flows;
mod groups;
mod mail;
mod marks;
mod mfa;
mod screenshots;
mod sign_up;
mod snapshots;
mod sorting;
mod triggers;
mod truth;
mod user_actions;
mod user_fixes;
