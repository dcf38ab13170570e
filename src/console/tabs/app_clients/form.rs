//! The form that creates or edits an app client: every setting the console edits, each
//! checked by `pool::client_settings` before the call, errors beside their fields.

use std::collections::BTreeSet;

use crate::console::widgets::form::{Field, FieldErrors, Form};
use crate::pool::client_settings::{ClientSettings, FLOWS, Lifetime, UNITS, split_list};
use crate::pool::{model, oauth};

/// The form's label column.
pub const LABEL: usize = 30;

fn unit_index(unit: &str) -> usize {
    UNITS.iter().position(|u| *u == unit).unwrap_or(1)
}

/// The grants, as the form labels them.
const GRANTS: [(&str, &str); 3] = [
    ("code", "Authorization code grant"),
    ("implicit", "Implicit grant"),
    ("client_credentials", "Client credentials"),
];

/// The form for `settings`; `create` adds the choice of a secret. `custom` (the pool's
/// custom scopes, when loaded) is offered in the scopes' hint.
pub fn form(settings: &ClientSettings, create: bool, custom: Option<&BTreeSet<String>>) -> Form {
    let mut fields = vec![
        Field::text("name", "Client name")
            .with_value(&settings.name)
            .with_hint(&{
                let (min, max) = model::length("CreateUserPoolClientRequest", "ClientName");
                format!("{min} to {max} characters")
            }),
    ];
    if create {
        fields.push(Field::checkbox("secret", "Generate a client secret", false));
    }
    fields.push(Field::heading("Authentication flows"));
    for flow in FLOWS {
        let on = settings.explicit_auth_flows.iter().any(|f| f == flow);
        fields.push(Field::checkbox(
            &format!("flow:{flow}"),
            flow.trim_start_matches("ALLOW_"),
            on,
        ));
    }
    fields.push(Field::heading("Token lifetimes"));
    for (id, label, lifetime, hint) in [
        (
            "access",
            "Access token",
            &settings.access_token,
            "5 minutes to 1 day",
        ),
        ("id", "ID token", &settings.id_token, "5 minutes to 1 day"),
        (
            "refresh",
            "Refresh token",
            &settings.refresh_token,
            "60 minutes to 10 years",
        ),
    ] {
        fields.push(Field::number(&format!("{id}_amount"), label, lifetime.amount).with_hint(hint));
        fields.push(
            Field::choice(&format!("{id}_unit"), "  in", &UNITS)
                .with_choice(unit_index(&lifetime.unit)),
        );
    }
    let (min, max) = model::range("UpdateUserPoolClientRequest", "AuthSessionValidity");
    fields.push(
        Field::number(
            "session",
            "Sign-in session (minutes)",
            settings.auth_session_minutes,
        )
        .with_hint(&format!("{min} to {max}")),
    );
    fields.push(Field::heading(
        "Attribute permissions (empty: every attribute)",
    ));
    fields.push(Field::text("read", "Read").with_value(&settings.read_attributes.join(", ")));
    fields.push(Field::text("write", "Write").with_value(&settings.write_attributes.join(", ")));
    fields.push(Field::heading("Managed login (OAuth 2.0)"));
    fields.push(Field::checkbox(
        "oauth",
        "Use the managed login",
        settings.oauth,
    ));
    for (flow, label) in GRANTS {
        let on = settings.oauth_flows.iter().any(|f| f == flow);
        fields.push(Field::checkbox(&format!("grant:{flow}"), label, on));
    }
    let mut known: Vec<String> = oauth::STANDARD_SCOPES
        .iter()
        .map(|s| s.to_string())
        .collect();
    match custom {
        Some(custom) => known.extend(custom.iter().cloned()),
        None => known.push("identifier/name".into()),
    }
    fields.push(
        Field::text("scopes", "Scopes")
            .with_value(&settings.oauth_scopes.join(" "))
            .with_hint(&known.join(" ")),
    );
    fields.push(
        Field::text("providers", "Identity providers")
            .with_value(&settings.identity_providers.join(", "))
            .with_hint("COGNITO: the pool's own users"),
    );
    fields.push(
        Field::text("callback", "Callback URLs")
            .with_value(&settings.callback_urls.join(", "))
            .with_hint("https, or http to localhost"),
    );
    fields
        .push(Field::text("logout", "Sign-out URLs").with_value(&settings.logout_urls.join(", ")));
    fields.push(Field::heading("Security"));
    fields.push(Field::checkbox(
        "prevent",
        "Prevent user existence errors",
        settings.prevent_user_existence_errors,
    ));
    fields.push(Field::checkbox(
        "revocation",
        "Token revocation",
        settings.enable_token_revocation,
    ));
    Form::new(fields)
}

/// The form's field a rule's member belongs to.
fn field_of(member: &str) -> &'static str {
    match member {
        "ClientName" => "name",
        "ExplicitAuthFlows" => "flow:ALLOW_USER_SRP_AUTH",
        "AccessTokenValidity" => "access_amount",
        "IdTokenValidity" => "id_amount",
        "RefreshTokenValidity" => "refresh_amount",
        "TokenValidityUnits" => "access_unit",
        "AuthSessionValidity" => "session",
        "CallbackURLs" | "DefaultRedirectURI" => "callback",
        "AllowedOAuthFlows" => "grant:code",
        "AllowedOAuthScopes" => "scopes",
        "SupportedIdentityProviders" => "providers",
        "LogoutURLs" => "logout",
        "ReadAttributes" => "read",
        "WriteAttributes" => "write",
        _ => "name",
    }
}

/// The settings the form describes, or the errors per field. `has_secret`: the client
/// has (or, created, will have) a secret; `custom`: the pool's custom scopes, if known.
pub fn settings_from(
    form: &Form,
    has_secret: bool,
    custom: Option<&BTreeSet<String>>,
) -> Result<ClientSettings, FieldErrors> {
    let mut errors: FieldErrors = Vec::new();
    let mut number = |id: &str| match form.value(id).trim().parse::<i64>() {
        Ok(n) => n,
        Err(_) => {
            errors.push((id.to_string(), "enter a whole number".into()));
            0
        }
    };
    let lifetime = |amount: i64, id: &str| {
        Lifetime::new(
            amount,
            UNITS[form.choice(&format!("{id}_unit")).min(UNITS.len() - 1)],
        )
    };
    let access = number("access_amount");
    let id_amount = number("id_amount");
    let refresh = number("refresh_amount");
    let session = number("session");
    if !errors.is_empty() {
        return Err(errors);
    }
    let settings = ClientSettings {
        name: form.value("name").trim().to_string(),
        explicit_auth_flows: FLOWS
            .iter()
            .filter(|f| form.checked(&format!("flow:{f}")))
            .map(|f| f.to_string())
            .collect(),
        access_token: lifetime(access, "access"),
        id_token: lifetime(id_amount, "id"),
        refresh_token: lifetime(refresh, "refresh"),
        auth_session_minutes: session,
        read_attributes: split_list(form.value("read")),
        write_attributes: split_list(form.value("write")),
        callback_urls: split_list(form.value("callback")),
        logout_urls: split_list(form.value("logout")),
        prevent_user_existence_errors: form.checked("prevent"),
        enable_token_revocation: form.checked("revocation"),
        oauth: form.checked("oauth"),
        oauth_flows: GRANTS
            .iter()
            .filter(|(f, _)| form.checked(&format!("grant:{f}")))
            .map(|(f, _)| f.to_string())
            .collect(),
        oauth_scopes: split_list(form.value("scopes")),
        identity_providers: split_list(form.value("providers")),
    };
    let errors: FieldErrors = settings
        .check()
        .into_iter()
        .chain(settings.check_oauth(has_secret, custom))
        .map(|e| (field_of(&e.field).to_string(), e.rule))
        .collect();
    if errors.is_empty() {
        Ok(settings)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_round_trips_and_names_its_errors() {
        let settings = ClientSettings {
            name: "web".into(),
            callback_urls: vec!["https://example.com/cb".into()],
            ..ClientSettings::default()
        };
        let mut f = form(&settings, false, None);
        assert_eq!(settings_from(&f, false, None).unwrap(), settings);
        f.field_mut("access_amount")
            .unwrap()
            .clone_from(&Field::number("access_amount", "", 2));
        f.field_mut("access_unit").unwrap().choice = 3;
        f.field_mut("session")
            .unwrap()
            .clone_from(&Field::number("session", "", 30));
        let errors = settings_from(&f, false, None).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|(f, _)| f.as_str()).collect();
        assert!(fields.contains(&"access_amount"), "{errors:?}");
        assert!(fields.contains(&"session"), "{errors:?}");
    }
}
