//! Signing in: the password verifier (SRP), the flows and their challenges, the sessions
//! that carry a sign-in between them, one-time codes, decoys for users who do not exist,
//! and the tokens a sign-in ends with (and their checks when presented back).

pub mod access;
pub mod auth;
pub mod codes;
pub mod decoy;
pub mod new_password;
pub mod sessions;
pub mod srp;
pub mod srp_sign_in;
pub mod tokens;
