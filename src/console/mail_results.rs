//! The answers about mail: the messages a user was sent (for their open details) and
//! how a test email went (for the form that sent it, else the status line).

use super::action::Action;
use super::app::App;
use super::outcome::Step;
use super::popups::Popup;

impl App {
    pub(super) fn on_mail_result(&mut self, action: Action) -> Vec<Step> {
        match action {
            Action::UserMessagesLoaded { username, result } => {
                for p in &mut self.popups {
                    if let Popup::UserDetail(d) = p
                        && d.user.username == username
                    {
                        d.messages_loaded(result.clone());
                    }
                }
                Vec::new()
            }
            Action::TestSent { to, result } => {
                self.messages.last_test_address = Some(to.clone());
                match self.popups.iter_mut().rev().find_map(|p| match p {
                    Popup::TestSend(t) if t.busy => Some(t),
                    _ => None,
                }) {
                    Some(form) => form.answered(&to, result),
                    None => match result {
                        Ok(answer) => vec![Step::Info(format!(
                            "test email sent to {to} (the server said {answer})"
                        ))],
                        Err(e) => vec![Step::Error(format!("test email to {to} not sent: {e}"))],
                    },
                }
            }
            _ => Vec::new(),
        }
    }
}
