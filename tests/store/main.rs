//! The store's contract: the same client calls against the in-process store, `serve`
//! over TCP and moto server (`common::Harness`), the rules of docs/documented-rules.md,
//! the service model's boundaries, properties, throttling, crash safety and SRP with
//! pycognito.

#[macro_use]
#[path = "../common/mod.rs"]
mod common;
#[path = "../common/rules.rs"]
mod rules;

mod contract;
mod contract_groups;
mod contract_mfa;
mod contract_own_account;
mod contract_pool_admin;
mod contract_user_fixes;
mod crash;
mod documented_clients;
mod documented_mfa;
mod documented_pools;
mod documented_triggers;
mod documented_users;
mod model_boundaries;
mod properties;
mod srp_pycognito;
mod throttling;
mod triggers;
