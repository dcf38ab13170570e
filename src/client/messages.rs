//! What the embedded store sent a user: its outbox, read through the in-process
//! connector. Cognito itself keeps no such record, so on AWS there is none.

use super::{Client, ClientError};
use crate::pool::message::SentMessage;

impl Client {
    /// The messages sent to `username` (the username as stored), newest first; None
    /// where Cognito sends its own and keeps nothing to read (AWS, an endpoint URL).
    pub async fn sent_messages(
        &self,
        pool_id: &str,
        username: &str,
    ) -> Result<Option<Vec<SentMessage>>, ClientError> {
        let Some(connector) = &self.in_process else {
            return Ok(None);
        };
        connector.messages(pool_id, username).await.map(Some)
    }
}
