//! What the store sends: messages rendered from the pool's templates into the outbox, in
//! the transaction of the change they tell of, and the relay that takes email from the
//! outbox to an SMTP server (`--smtp`).

pub mod delivery;
pub mod outbox;
pub mod relay;
