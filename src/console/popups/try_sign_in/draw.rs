//! Try sign-in's screen, stage by stage. MFA set-up takes the whole screen but the key
//! bar: the QR code needs the rows, beside the secret as text and the code's form.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::{LABEL, Stage, TrySignIn};
use crate::client::Target;
use crate::console::action::Command;
use crate::console::keymap::Context;
use crate::console::owner::Ui;
use crate::console::popups::{centered, frame};
use crate::console::widgets::policy_checklist;
use crate::console::widgets::qr::Qr;
use crate::pool::Secret;
use crate::pool::mfa::{Factor, otpauth_uri};

/// Seconds since the epoch, for the time claims.
fn claim_value(name: &str, value: &str) -> String {
    match (name, value.parse::<u64>()) {
        ("exp" | "iat" | "auth_time", Ok(secs)) => {
            let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs);
            format!("{} ({secs})", crate::pool::when::date_time(t))
        }
        _ => value.to_string(),
    }
}

pub fn render(area: Rect, buf: &mut Buffer, ui: &Ui, t: &TrySignIn) {
    let theme = &ui.theme;
    let closes = ui.hint(Context::Popup, &[(Command::Back, "closes")]);
    let rect = centered(area, 84, area.height.min(22));
    let inner = frame(rect, buf, theme, &format!("Try sign-in: {}", t.username));
    let client_line = match &t.app {
        Some(app) => Line::from(vec![
            Span::styled("App client  ", theme.muted()),
            Span::raw(format!("{} ({})", app.name, app.client_id)),
            Span::styled(
                if app.secret.is_some() {
                    "  with secret"
                } else {
                    ""
                },
                theme.muted(),
            ),
        ]),
        None => Line::default(),
    };
    let [head, body] = Layout::vertical([Constraint::Length(2), Constraint::Min(0)]).areas(inner);
    Paragraph::new(vec![client_line]).render(head, buf);

    match &t.stage {
        Stage::FindingClient => {
            Paragraph::new(Line::styled(
                "Looking for an app client that allows ADMIN_USER_PASSWORD_AUTH…",
                theme.muted(),
            ))
            .render(body, buf);
        }
        Stage::NoClient { count } => {
            let lines = vec![
                Line::styled(
                    format!(
                        "None of this pool's {count} app client{} allows ADMIN_USER_PASSWORD_AUTH.",
                        if *count == 1 { "" } else { "s" }
                    ),
                    theme.error(),
                ),
                Line::default(),
                Line::raw("An administrator's sign-in needs a client with that flow, e.g.:"),
                Line::styled(
                    "  aws cognito-idp create-user-pool-client --user-pool-id POOL \\",
                    theme.muted(),
                ),
                Line::styled(
                    "    --client-name admin --explicit-auth-flows ALLOW_ADMIN_USER_PASSWORD_AUTH \\",
                    theme.muted(),
                ),
                Line::styled("    ALLOW_REFRESH_TOKEN_AUTH", theme.muted()),
                Line::default(),
                Line::styled(closes, theme.muted()),
            ];
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .render(body, buf);
        }
        Stage::Password => t.form.render_with(body, buf, theme, LABEL),
        Stage::NewPassword { .. } => {
            let [form, policy] =
                Layout::vertical([Constraint::Min(0), Constraint::Length(2)]).areas(body);
            t.form.render_with(form, buf, theme, LABEL);
            Paragraph::new(policy_checklist(t.form.value("new"), &t.policy, theme))
                .wrap(Wrap { trim: false })
                .render(policy, buf);
        }
        Stage::Done { status, claims } => {
            let mut lines = vec![
                Line::styled(
                    format!(
                        "✓ Signed in. Status now {}.",
                        status.as_deref().unwrap_or("…")
                    ),
                    theme.ok(),
                ),
                Line::styled(
                    "ID token claims (the tokens themselves are not kept):",
                    theme.muted(),
                ),
            ];
            if claims.is_empty() {
                lines.push(Line::styled(
                    "  (the ID token returned could not be read as a JWT)",
                    theme.error(),
                ));
            }
            let width = claims.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
            for (name, value) in claims.iter().skip(t.scroll as usize) {
                lines.push(Line::from(vec![
                    Span::styled(format!("  {name:width$}  "), theme.muted()),
                    Span::raw(claim_value(name, value)),
                ]));
            }
            Paragraph::new(lines).render(body, buf);
        }
        Stage::MfaCode { factor, .. } => {
            let [form, note] =
                Layout::vertical([Constraint::Min(0), Constraint::Length(3)]).areas(body);
            t.form.render_with(form, buf, theme, LABEL);
            let local = ui
                .env
                .client
                .is_some_and(|c| matches!(c.target(), Target::Local { .. }));
            if local && *factor != Factor::SoftwareToken {
                Paragraph::new(Line::styled(
                    "The local store sends no SMS or email of its own: the code is in its outbox, in the user's details (enter) or `cognito-console outbox`.",
                    theme.muted(),
                ))
                .wrap(Wrap { trim: false })
                .render(note, buf);
            }
        }
        Stage::SelectMfa { .. } => t.form.render_with(body, buf, theme, LABEL),
        Stage::SetupElsewhere { factors } => {
            let offered: Vec<&str> = factors.iter().map(|f| f.label()).collect();
            Paragraph::new(vec![
                Line::raw("The password is right. The pool requires MFA, and the user has no method it can use (MFA_SETUP)."),
                Line::raw(format!("The pool offers: {}.", offered.join(", "))),
                Line::raw("Give the user the phone number or email it needs (e edits their attributes), then try again."),
                Line::default(),
                Line::styled(closes, theme.muted()),
            ])
            .wrap(Wrap { trim: false })
            .render(body, buf);
        }
        Stage::Associating => {
            Paragraph::new(Line::styled(
                "The pool requires MFA and the user has none: asking Cognito for an authenticator secret…",
                theme.muted(),
            ))
            .wrap(Wrap { trim: false })
            .render(body, buf);
        }
        Stage::SetupToken { secret, .. } => set_up(buf, ui, t, secret),
        Stage::Failed(why) => {
            Paragraph::new(vec![
                Line::styled(why.clone(), theme.error()),
                Line::default(),
                Line::styled(closes, theme.muted()),
            ])
            .wrap(Wrap { trim: false })
            .render(body, buf);
        }
        Stage::Other(challenge) => {
            Paragraph::new(vec![
                Line::raw(format!(
                    "The password is right; Cognito now asks for {challenge}, which this console does not answer."
                )),
                Line::styled(closes, theme.muted()),
            ])
            .wrap(Wrap { trim: false })
            .render(body, buf);
        }
    }
}

/// The secret in groups of four, as authenticator apps show it.
fn grouped(secret: &Secret) -> String {
    let chars: Vec<char> = secret.expose().chars().collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// MFA set-up: the QR code on the left (with the pool's name in the URI if that still
/// fits), the secret and the form on the right; text alone on a screen too small.
fn set_up(buf: &mut Buffer, ui: &Ui, t: &TrySignIn, secret: &Secret) {
    let theme = &ui.theme;
    let screen = ui.screen;
    let area = Rect::new(
        screen.x,
        screen.y,
        screen.width,
        screen.height.saturating_sub(1),
    );
    let inner = frame(area, buf, theme, &format!("Set up MFA: {}", t.username));
    let issuer = ui.env.pool.map(|p| p.name.as_str());
    let codes = [issuer, None].into_iter().filter_map(|issuer| {
        let uri = otpauth_uri(secret.expose(), &t.username, issuer).ok()?;
        Qr::new(&uri)
    });
    let text_width = 34;
    let room = Rect::new(
        inner.x,
        inner.y,
        inner.width.saturating_sub(text_width),
        inner.height,
    );
    let mut codes = codes.peekable();
    let fitting = codes.clone().find(|qr| qr.fits(room));
    let needed = codes.peek().map(Qr::min_size);
    let text_area = match &fitting {
        Some(qr) => {
            let used = qr.render(room, buf, theme.color);
            Rect::new(
                used.right() + 1,
                inner.y,
                inner.right().saturating_sub(used.right() + 1),
                inner.height,
            )
        }
        None => inner,
    };
    let mut lines = vec![
        Line::raw(match &fitting {
            Some(_) => "Scan with an authenticator app,",
            None => "Add to an authenticator app",
        }),
        Line::raw(match &fitting {
            Some(_) => "or type the secret into it:",
            None => "by typing the secret in:",
        }),
        Line::styled(grouped(secret), theme.key()),
        Line::default(),
    ];
    if let (None, Some((w, h))) = (&fitting, needed) {
        lines.push(Line::styled(
            format!(
                "(a terminal of at least {}x{} shows it as a QR code)",
                w + text_width + 2,
                h + 3
            ),
            theme.muted(),
        ));
        lines.push(Line::default());
    }
    let [top, form] = Layout::vertical([
        Constraint::Length(lines.len() as u16 + 1),
        Constraint::Min(0),
    ])
    .areas(text_area);
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .render(top, buf);
    let hint = ui.hint(
        Context::Form,
        &[(Command::Save, "verifies"), (Command::Back, "cancels")],
    );
    let [fields, hints] = Layout::vertical([Constraint::Min(0), Constraint::Length(2)]).areas(form);
    t.form.render_with(fields, buf, theme, 12);
    Paragraph::new(Line::styled(hint, theme.muted()))
        .wrap(Wrap { trim: false })
        .render(hints, buf);
}
