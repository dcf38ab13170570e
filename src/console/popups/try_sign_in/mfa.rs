//! Try sign-in's MFA: a code typed for SMS_MFA, EMAIL_OTP or SOFTWARE_TOKEN_MFA, the
//! method chosen for SELECT_MFA_TYPE, and MFA_SETUP walked through: a new secret from
//! Cognito, shown as text and as a QR code, then a code of it to verify, then the
//! sign-in finished. Codes are checked for their shape before they are sent.

use super::{Stage, TrySignIn};
use crate::client::{ClientError, SignIn};
use crate::console::effect::{Effect, MfaStep};
use crate::console::owner::{Env, Step};
use crate::console::widgets::form::{Field, Form};
use crate::pool::Secret;
use crate::pool::mfa::{Factor, check_code};

/// The device name an authenticator is given unless the admin types another.
pub const DEVICE: &str = "authenticator";

fn code_form(factor: Factor) -> Form {
    let hint = match factor {
        Factor::SoftwareToken => "6 digits from the authenticator app",
        Factor::Sms => "the code sent by SMS",
        Factor::Email => "the code sent by email",
    };
    Form::new(vec![Field::text("code", "Code").with_hint(hint)])
}

impl TrySignIn {
    /// The stage an MFA answer of Cognito's leads to, and the call it starts at once
    /// (MFA_SETUP asks for a secret straight away). None: not an MFA answer.
    pub(super) fn mfa_stage(&mut self, answer: &SignIn, env: &Env) -> Option<Vec<Step>> {
        match answer {
            SignIn::Mfa {
                factor,
                session,
                destination,
                device,
            } => {
                self.form = code_form(*factor);
                self.form.message = Some((true, asked(*factor, destination, device)));
                self.stage = Stage::MfaCode {
                    factor: *factor,
                    session: session.clone(),
                    destination: destination.clone(),
                };
                Some(Vec::new())
            }
            SignIn::SelectMfa { session, factors } => {
                let labels: Vec<&str> = factors.iter().map(|f| f.label()).collect();
                self.form = Form::new(vec![Field::choice("factor", "Method", &labels)]);
                self.form.message = Some((
                    true,
                    "Cognito asks which MFA method to use (SELECT_MFA_TYPE).".into(),
                ));
                self.stage = Stage::SelectMfa {
                    session: session.clone(),
                    factors: factors.clone(),
                };
                Some(Vec::new())
            }
            SignIn::MfaSetup { session, factors } => {
                self.form = Form::default();
                if !factors.contains(&Factor::SoftwareToken) {
                    self.stage = Stage::SetupElsewhere {
                        factors: factors.clone(),
                    };
                    return Some(Vec::new());
                }
                self.stage = Stage::Associating;
                self.busy = true;
                Some(self.mfa_effect(
                    MfaStep::Associate {
                        session: session.clone(),
                    },
                    env,
                ))
            }
            _ => None,
        }
    }

    /// AssociateSoftwareToken answered: the secret to show, and the form for its code.
    pub(super) fn associated(
        &mut self,
        result: Result<(Secret, Secret), ClientError>,
    ) -> Vec<Step> {
        self.busy = false;
        match result {
            Ok((secret, session)) => {
                self.form = Form::new(vec![
                    Field::text("code", "Code").with_hint("6 digits, once the app shows them"),
                    Field::text("device", "Device name").with_value(DEVICE),
                ]);
                self.stage = Stage::SetupToken { secret, session };
                Vec::new()
            }
            Err(e) => {
                self.stage = Stage::Failed(format!("Cognito gave no secret to set MFA up: {e}"));
                vec![Step::Error(format!("MFA set-up refused: {e}"))]
            }
        }
    }

    /// VerifySoftwareToken answered: on to MFA_SETUP's answer, or the form says why not.
    pub(super) fn verified(&mut self, result: Result<Secret, ClientError>, env: &Env) -> Vec<Step> {
        self.busy = false;
        match result {
            Ok(session) => {
                self.busy = true;
                self.form.sending("finishing the sign-in…");
                self.mfa_effect(MfaStep::Finish { session }, env)
            }
            Err(e) => {
                self.form.refused(Some("code"), &e);
                vec![Step::Error(format!("the code was refused: {e}"))]
            }
        }
    }

    /// What the form of an MFA stage sends, once nothing in it would be refused.
    pub(super) fn mfa_submit(&mut self) -> Option<MfaStep> {
        let code = Secret::new(self.form.value("code").trim());
        let step = match &self.stage {
            Stage::MfaCode {
                factor, session, ..
            } => {
                if let Err(e) = check_code(*factor, code.expose()) {
                    self.form.set_errors(&[("code".into(), e.rule)]);
                    return None;
                }
                MfaStep::Answer {
                    session: session.clone(),
                    factor: *factor,
                    code,
                }
            }
            Stage::SelectMfa { session, factors } => MfaStep::Select {
                session: session.clone(),
                factor: *factors.get(self.form.choice("factor"))?,
            },
            Stage::SetupToken { session, .. } => {
                if let Err(e) = check_code(Factor::SoftwareToken, code.expose()) {
                    self.form.set_errors(&[("code".into(), e.rule)]);
                    return None;
                }
                MfaStep::Verify {
                    session: session.clone(),
                    code,
                    device: self.form.value("device").trim().to_string(),
                }
            }
            _ => return None,
        };
        Some(step)
    }

    /// The effect of a step of MFA, through the sign-in's app client.
    pub(super) fn mfa_effect(&self, step: MfaStep, env: &Env) -> Vec<Step> {
        match (env.client, &self.app) {
            (Some(client), Some(app)) => vec![Step::Run(Effect::SignInMfa {
                client: client.clone(),
                app: app.clone(),
                username: self.username.clone(),
                step,
            })],
            _ => vec![Step::Error("not connected yet".into())],
        }
    }
}

/// What the form says Cognito asked for.
fn asked(factor: Factor, destination: &Option<String>, device: &Option<String>) -> String {
    let challenge = factor.challenge();
    match (factor, destination, device) {
        (Factor::SoftwareToken, _, Some(device)) => {
            format!(
                "Cognito asks for a code from the authenticator app \"{device}\" ({challenge})."
            )
        }
        (Factor::SoftwareToken, _, None) => {
            format!("Cognito asks for a code from the authenticator app ({challenge}).")
        }
        (_, Some(to), _) => format!(
            "Cognito sent a code by {} to {to} ({challenge}).",
            factor.label()
        ),
        (_, None, _) => format!("Cognito sent a code by {} ({challenge}).", factor.label()),
    }
}
