//! The answers for the popup that asked: the app clients and steps of a try sign-in, a
//! page of the audit log, an import file's check. A popup closed while its call was out
//! takes nothing.

use super::action::Action;
use super::app::{App, env};
use super::outcome::Step;
use super::popups::Popup;

impl App {
    pub(super) fn on_popup_result(&mut self, action: Action) -> Vec<Step> {
        match action {
            Action::SignInClients(result) => {
                let Some(t) = self.popups.iter_mut().rev().find_map(|p| match p {
                    Popup::TrySignIn(t) => Some(t),
                    _ => None,
                }) else {
                    return Vec::new(); // closed while the call was out
                };
                match result {
                    Ok(clients) => {
                        t.clients_found(&clients);
                        Vec::new()
                    }
                    Err(e) => {
                        t.no_clients();
                        vec![Step::Error(format!("cannot list the app clients: {e}"))]
                    }
                }
            }
            Action::SignInStep(result) => {
                let env = env!(self);
                match self.popups.iter_mut().rev().find_map(|p| match p {
                    Popup::TrySignIn(t) => Some(t),
                    _ => None,
                }) {
                    Some(t) => t.answered(result, &env),
                    None => Vec::new(),
                }
            }
            Action::AuditLoaded { request, result } => {
                let env = env!(self);
                match self.popups.iter_mut().rev().find_map(|p| match p {
                    Popup::AuditLog(a) => Some(a),
                    _ => None,
                }) {
                    Some(log) => log.answered(request, result, &env),
                    None => Vec::new(), // closed while it was read
                }
            }
            Action::ImportChecked(result) => {
                let env = env!(self);
                match self.popups.iter_mut().rev().find_map(|p| match p {
                    Popup::BulkForm(b) => Some(b),
                    _ => None,
                }) {
                    Some(form) => form.answered(result, &env),
                    None => Vec::new(), // closed while the file was read
                }
            }
            _ => Vec::new(),
        }
    }
}
