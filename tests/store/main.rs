//! The store's contract: the same client calls against the in-process store, `serve`
//! over TCP and moto server (`common::Harness`), the rules of docs/documented-rules.md,
//! the service model's boundaries, properties, throttling, crash safety and SRP with
//! pycognito, OAuth 2.0 with Authlib and the managed login page in Chromium, and the
//! SRP arithmetic's constant time under Valgrind.

#[macro_use]
#[path = "../common/mod.rs"]
mod common;
#[path = "../common/rules.rs"]
mod rules;

mod constant_time;
mod contract;
mod contract_groups;
mod contract_mfa;
mod contract_oauth;
mod contract_own_account;
mod contract_pool_admin;
mod contract_user_fixes;
mod crash;
mod documented_clients;
mod documented_mfa;
mod documented_oauth;
mod documented_oauth_tokens;
mod documented_pools;
mod documented_triggers;
mod documented_users;
mod model_boundaries;
mod oauth;
mod oauth_kit;
mod properties;
mod srp_pycognito;
mod throttling;
mod triggers;
mod user_scan;
