//! Signing in: the password verifier (SRP), the flows ([`auth`]: the password flows and
//! refresh; [`srp_sign_in`]; [`new_password`]) on the checks they share ([`checks`]: the
//! client, the user, whether they may try) and what a password leads to ([`next_step`]:
//! a challenge or tokens), the sessions that carry a sign-in between its steps, one-time
//! codes, decoys for users who do not exist, and the tokens a sign-in ends with (and
//! their checks when presented back, [`access`]).

pub mod access;
pub mod auth;
pub mod checks;
pub mod codes;
pub mod custom_auth;
pub mod decoy;
pub mod group;
pub mod issue;
pub mod mfa;
pub mod mfa_setup;
pub mod migrate;
pub mod new_password;
pub mod next_step;
pub mod sessions;
pub mod srp;
pub mod srp_kdf;
pub mod srp_sign_in;
pub mod tokens;
pub mod totp;
