//! Cognito's rules, pure: no I/O, no terminal, no SDK types.
//!
//! Every rule is written once here and used twice: by the console, to warn before it
//! calls Cognito, and by the local store, to enforce it as Cognito does.

pub mod app_client;
pub mod audit;
pub mod client_settings;
pub mod csv_header;
pub mod domain;
pub mod filter;
pub mod group;
pub mod message;
pub mod mfa;
pub mod model;
pub mod oauth;
pub mod password;
pub mod pool_rules;
pub mod printable;
pub mod rule;
pub mod secret;
pub mod sign_up;
pub mod standard_attributes;
pub mod template;
pub mod token_validity;
pub mod triggers;
pub mod types;
pub mod user_filter;
pub mod validate;
pub mod when;

pub use rule::RuleError;
pub use secret::Secret;
pub use types::*;
