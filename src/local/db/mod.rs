//! The SQLite file: the store and its schema, and the rows each kind of thing is kept in
//! (pools and their settings, users and their attributes, app clients, groups, the audit
//! log), plus the demo pool a fresh store starts with.

pub mod app_clients;
pub mod attribute_schema;
pub mod attributes;
pub mod audit;
pub mod groups;
pub mod mfa;
pub mod migrations;
pub mod oauth;
pub mod pool_mfa;
pub mod pool_settings;
pub mod pools;
pub mod seed;
pub mod store;
pub mod users;
