//! The Policies tab's MFA: shown as Cognito's console shows it (enforcement, then the
//! methods), and edited as a form whose every refusal of Cognito's is found before the
//! call (`pool::mfa::check_pool`, with what the rest of the pool allows).

use ratatui::text::{Line, Span};

use crate::console::action::PoolEdit;
use crate::console::theme::Theme;
use crate::console::widgets::form::{Field, FieldErrors, Form};
use crate::pool::PoolDescription;
use crate::pool::mfa::{Enforcement, PoolMfa, check_pool, tier_refuses};

pub fn edit_form(mfa: &PoolMfa) -> Form {
    let labels: Vec<&str> = Enforcement::ALL.iter().map(|e| e.label()).collect();
    let current = Enforcement::ALL
        .iter()
        .position(|e| *e == mfa.enforcement)
        .unwrap_or(0);
    Form::new(vec![
        Field::heading("Multi-factor authentication"),
        Field::choice("enforcement", "MFA enforcement", &labels).with_choice(current),
        Field::heading("MFA methods"),
        Field::checkbox("software_token", "Authenticator apps", mfa.software_token),
        Field::checkbox("sms", "SMS message", mfa.sms),
        Field::text("sms_message", "SMS message text")
            .with_value(mfa.sms_message.as_deref().unwrap_or_default())
            .with_hint("with {####}; empty: Cognito's"),
        Field::checkbox("email", "Email message", mfa.email.is_some()),
    ])
}

/// The form's field for a member Cognito would name in its refusal.
fn field_of(member: &str) -> &'static str {
    match member {
        "MfaConfiguration" => "enforcement",
        "SmsMfaConfiguration.SmsAuthenticationMessage" => "sms_message",
        m if m.starts_with("SmsMfaConfiguration") => "sms",
        m if m.starts_with("EmailMfaConfiguration") => "email",
        _ => "enforcement",
    }
}

/// The edit the form describes and a line per change, or the errors per field.
pub fn edit_from_form(
    form: &Form,
    pool: &PoolDescription,
    current: &PoolMfa,
) -> Result<(PoolEdit, Vec<String>), FieldErrors> {
    let message = form.value("sms_message").trim();
    let mfa = PoolMfa {
        enforcement: Enforcement::ALL[form.choice("enforcement").min(2)],
        sms: form.checked("sms"),
        sms_message: (!message.is_empty()).then(|| message.to_string()),
        software_token: form.checked("software_token"),
        // Email MFA keeps its subject and message as they are.
        email: form
            .checked("email")
            .then(|| current.email.clone().unwrap_or_default()),
    };
    let refused = tier_refuses(&mfa, &pool.mfa_facts)
        .map(Err)
        .unwrap_or_else(|| check_pool(&mfa, &pool.mfa_facts));
    if let Err(e) = refused {
        return Err(vec![(field_of(&e.field).to_string(), e.rule)]);
    }
    let edit = PoolEdit::Mfa(mfa);
    let changes = edit.changes(&pool.config);
    Ok((edit, changes))
}

/// The MFA section of the tab, read-only.
pub fn lines(pool: &PoolDescription, theme: &Theme, label: usize) -> Vec<Line<'static>> {
    let row = |name: &str, value: String| {
        Line::from(vec![
            Span::styled(format!("  {name:<label$} "), theme.muted()),
            Span::raw(value),
        ])
    };
    let mut lines = vec![Line::styled(
        "Multi-factor authentication (MFA)",
        theme.title(),
    )];
    let Some(mfa) = &pool.config.mfa else {
        lines.push(Line::styled(
            format!(
                "  cannot be read: {}",
                pool.mfa_error.as_deref().unwrap_or("no answer")
            ),
            theme.error(),
        ));
        return lines;
    };
    let yes = |b: bool| if b { "Yes" } else { "No" }.to_string();
    lines.push(row("MFA enforcement", mfa.enforcement.label().into()));
    lines.push(row("Authenticator apps", yes(mfa.software_token)));
    lines.push(row(
        "SMS message",
        match (&mfa.sms, &mfa.sms_message) {
            (false, _) => "No".into(),
            (true, Some(m)) => format!("Yes: {m:?}"),
            (true, None) => "Yes (Cognito's text)".into(),
        },
    ));
    lines.push(row("Email message", yes(mfa.email.is_some())));
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pool::PoolConfig;
    use crate::pool::mfa::PoolFacts;

    fn pool(facts: PoolFacts) -> PoolDescription {
        PoolDescription {
            id: "local_x".into(),
            name: "p".into(),
            arn: None,
            config: PoolConfig {
                mfa: Some(PoolMfa::default()),
                ..PoolConfig::default()
            },
            schema: Vec::new(),
            alias_attributes: Vec::new(),
            username_attributes: Vec::new(),
            estimated_number_of_users: 0,
            created: None,
            last_modified: None,
            mfa_facts: facts,
            mfa_error: None,
        }
    }

    #[test]
    fn refusals_land_on_their_fields_before_the_call() {
        let p = pool(PoolFacts::default());
        let current = PoolMfa::default();
        let mut form = edit_form(&current);
        form.field_mut("enforcement").unwrap().choice = 2;
        let errors = edit_from_form(&form, &p, &current).unwrap_err();
        assert_eq!(errors[0].0, "enforcement", "{errors:?}");
        form.field_mut("sms").unwrap().checked = true;
        let errors = edit_from_form(&form, &p, &current).unwrap_err();
        assert_eq!(errors[0].0, "sms", "no SMS role: {errors:?}");
        form.field_mut("sms").unwrap().checked = false;
        form.field_mut("email").unwrap().checked = true;
        let errors = edit_from_form(&form, &p, &current).unwrap_err();
        assert_eq!(errors[0].0, "email", "no SES: {errors:?}");
    }

    #[test]
    fn an_edit_lists_what_changes() {
        let p = pool(PoolFacts {
            sms_configuration: true,
            ..PoolFacts::default()
        });
        let current = PoolMfa::default();
        let mut form = edit_form(&current);
        assert!(edit_from_form(&form, &p, &current).unwrap().1.is_empty());
        form.field_mut("enforcement").unwrap().choice = 1;
        form.field_mut("software_token").unwrap().checked = true;
        let (_, changes) = edit_from_form(&form, &p, &current).unwrap();
        assert_eq!(
            changes,
            [
                "MFA enforcement: No MFA → Optional MFA",
                "Authenticator apps: no → yes"
            ]
        );
    }
}
