//! The managed login's pages: plain HTML written by maud, which escapes every value it
//! is given, with no script, so that they work in any browser, a terminal one included.
//! Every form posts back to `/login` with the request's own query and carries the CSRF
//! token that the `XSRF-TOKEN` cookie holds (OAUTH-11).

use maud::{DOCTYPE, Markup, PreEscaped, html};

/// What every form on a page carries.
#[derive(Debug, Clone)]
pub struct Form {
    /// `/PREFIX/login?...`: where it posts.
    pub action: String,
    pub csrf: String,
    /// The app client's name, as the page's heading says.
    pub client_name: String,
}

/// A challenge in progress: which, its session, and the user it is for.
#[derive(Debug, Clone, Default)]
pub struct Challenge {
    pub name: String,
    pub session: String,
    pub username: String,
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:26rem;margin:3rem auto;\
padding:0 1rem;color:#1b1b1b}label{display:block;margin:.8rem 0 .2rem}\
input[type=text],input[type=password]{width:100%;padding:.5rem;box-sizing:border-box}\
button{margin-top:1rem;padding:.5rem 1.2rem}.error{color:#a4000f}.muted{color:#555}\
code{word-break:break-all}";

fn layout(title: &str, body: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                style { (PreEscaped(STYLE)) }
            }
            body { (body) }
        }
    }
    .into_string()
}

fn message(text: Option<&str>) -> Markup {
    html! {
        @if let Some(text) = text {
            p.error role="alert" { (text) }
        }
    }
}

fn hidden(form: &Form, challenge: Option<&Challenge>) -> Markup {
    html! {
        input type="hidden" name="_csrf" value=(form.csrf);
        @if let Some(c) = challenge {
            input type="hidden" name="challenge" value=(c.name);
            input type="hidden" name="session" value=(c.session);
            input type="hidden" name="username" value=(c.username);
        }
    }
}

/// An error Cognito shows on its own domain instead of going back to the app.
pub fn error(detail: &str) -> String {
    layout(
        "Error",
        html! {
            h1 { "Something is wrong with this request" }
            p { (detail) }
        },
    )
}

/// Username and password.
pub fn sign_in(form: &Form, username: &str, text: Option<&str>) -> String {
    layout(
        "Sign in",
        html! {
            h1 { "Sign in" }
            p.muted { "to " (form.client_name) }
            (message(text))
            form method="post" action=(form.action) {
                (hidden(form, None))
                label for="username" { "Username" }
                input #username type="text" name="username" value=(username)
                    autocomplete="username" autofocus required;
                label for="password" { "Password" }
                input #password type="password" name="password"
                    autocomplete="current-password" required;
                button type="submit" name="signin" { "Sign in" }
            }
        },
    )
}

/// NEW_PASSWORD_REQUIRED: a new password, and the required attributes the user lacks.
pub fn new_password(
    form: &Form,
    challenge: &Challenge,
    required: &[String],
    text: Option<&str>,
) -> String {
    layout(
        "Change password",
        html! {
            h1 { "Change your password" }
            p.muted { "Please enter a new password for " (challenge.username) "." }
            (message(text))
            form method="post" action=(form.action) {
                (hidden(form, Some(challenge)))
                label for="new_password" { "New password" }
                input #new_password type="password" name="new_password"
                    autocomplete="new-password" required;
                label for="confirm_password" { "Enter the new password again" }
                input #confirm_password type="password" name="confirm_password"
                    autocomplete="new-password" required;
                @for attribute in required {
                    label for=(format!("attr-{attribute}")) { (attribute) }
                    input id=(format!("attr-{attribute}")) type="text"
                        name=(format!("attr:{attribute}")) required;
                }
                button type="submit" name="send" { "Send" }
            }
        },
    )
}

/// An MFA code: from an authenticator app, or sent by SMS or email.
pub fn code(form: &Form, challenge: &Challenge, prompt: &str, text: Option<&str>) -> String {
    layout(
        "Verification code",
        html! {
            h1 { "Enter your code" }
            p.muted { (prompt) }
            (message(text))
            form method="post" action=(form.action) {
                (hidden(form, Some(challenge)))
                label for="code" { "Code" }
                input #code type="text" name="code" inputmode="numeric"
                    autocomplete="one-time-code" autofocus required;
                button type="submit" name="verify" { "Sign in" }
            }
        },
    )
}

/// SELECT_MFA_TYPE: the factors the user may choose among.
pub fn select_mfa(
    form: &Form,
    challenge: &Challenge,
    options: &[String],
    text: Option<&str>,
) -> String {
    layout(
        "Choose a method",
        html! {
            h1 { "How do you want to sign in?" }
            (message(text))
            form method="post" action=(form.action) {
                (hidden(form, Some(challenge)))
                @for (i, option) in options.iter().enumerate() {
                    label {
                        input type="radio" name="answer" value=(option) checked[i == 0];
                        " " (factor_label(option))
                    }
                }
                button type="submit" name="choose" { "Continue" }
            }
        },
    )
}

/// MFA_SETUP: the authenticator's secret, as text, as an `otpauth://` link and as a QR
/// code, then a code from the app to prove it.
pub fn mfa_setup(
    form: &Form,
    challenge: &Challenge,
    secret: &str,
    uri: &str,
    qr_svg: &str,
    text: Option<&str>,
) -> String {
    layout(
        "Set up an authenticator",
        html! {
            h1 { "Set up your authenticator app" }
            p.muted { "This pool asks for a code from an authenticator app. Scan the code, or enter the secret key in the app." }
            div { (PreEscaped(qr_svg)) }
            p { "Secret key: " code #secret { (secret) } }
            p { a href=(uri) { "Open in an authenticator app" } }
            (message(text))
            form method="post" action=(form.action) {
                (hidden(form, Some(challenge)))
                input type="hidden" name="secret" value=(secret);
                label for="code" { "Code from the app" }
                input #code type="text" name="code" inputmode="numeric"
                    autocomplete="one-time-code" required;
                button type="submit" name="verify" { "Verify" }
            }
        },
    )
}

/// A factor's name in words.
pub fn factor_label(challenge: &str) -> &str {
    match challenge {
        "SOFTWARE_TOKEN_MFA" => "an authenticator app",
        "SMS_MFA" => "a code by SMS",
        "EMAIL_OTP" => "a code by email",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_escaped_everywhere() {
        let form = Form {
            action: "/d/login?a=1&b=\"2\"".into(),
            csrf: "x\"y".into(),
            client_name: "<script>alert(1)</script>".into(),
        };
        let page = sign_in(&form, "<b>me</b>", Some("<i>no</i>"));
        assert!(!page.contains("<script>alert"), "{page}");
        assert!(page.contains("&lt;script&gt;"));
        assert!(page.contains("&lt;b&gt;me&lt;/b&gt;"));
        assert!(page.contains("a=1&amp;b=&quot;2&quot;"));
        assert!(!page.contains("<i>no</i>"));
    }
}
