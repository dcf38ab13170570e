//! The embedded Cognito-compatible store: pools and users in SQLite, answering
//! Cognito's own wire protocol, in process (through [`wire::connector`]) or on TCP
//! ([`wire::serve`]). It knows nothing of the console.
//!
//! Grouped by what each part is: [`wire`] (the protocol: dispatch, errors, the
//! connector, `serve`), [`db`] (the SQLite file: schema, migrations, rows, the demo
//! seed), [`sign_in`] (SRP, challenges, codes, tokens), [`mail`] (the outbox, its
//! messages and the SMTP relay), [`triggers`] (the pool's Lambda functions, called
//! through [`crate::lambda`]), [`user_import`] (import jobs), and [`ops`], one file per
//! Cognito operation, which puts them together.

pub mod db;
pub mod mail;
pub mod oauth;
pub mod ops;
pub mod sign_in;
pub mod triggers;
pub mod user_import;
pub mod wire;

pub use db::store::{Clock, Store, StoreError};
