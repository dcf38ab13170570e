//! The embedded Cognito-compatible store: pools and users in SQLite, answering
//! Cognito's own wire protocol, in process (through [`connector`]) or on TCP ([`serve`]).
//! It knows nothing of the console.

pub mod access;
pub mod api;
pub mod app_clients;
pub mod attributes;
pub mod audit;
pub mod auth;
pub mod challenge;
pub mod codes;
pub mod connector;
pub mod decoy;
pub mod delivery;
pub mod error;
pub mod groups;
pub mod import_jobs;
pub mod migrations;
pub mod new_password;
pub mod ops;
pub mod outbox;
pub mod pools;
pub mod relay;
pub mod schema;
pub mod seed;
pub mod serve;
pub mod settings;
pub mod srp;
pub mod srp_sign_in;
pub mod store;
pub mod tokens;
pub mod users;
pub mod wire;

pub use store::{Clock, Store, StoreError};
