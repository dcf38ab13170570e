//! A form of single-line fields: text, secret (masked), number, checkbox, and choice.
//! Errors stand beside their field; the form keeps every value as typed until it is
//! explicitly cleared.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::console::theme::Theme;
use crate::pool::Secret;

/// Errors to show, each beside the field with that id.
pub type FieldErrors = Vec<(String, String)>;

#[derive(Debug, Clone, PartialEq)]
pub enum FieldKind {
    Text,
    /// Masked unless revealed. The value lives in a [`Secret`], wiped on drop.
    Secret {
        revealed: bool,
    },
    Number,
    Checkbox,
    Choice(Vec<String>),
    /// A heading between groups of fields; never focused.
    Heading,
    /// A value shown but not editable (an immutable attribute); never focused.
    ReadOnly,
}

#[derive(Debug, Clone)]
pub struct Field {
    pub id: String,
    pub label: String,
    pub kind: FieldKind,
    text: String,
    secret: Secret,
    pub checked: bool,
    pub choice: usize,
    pub error: Option<String>,
    pub hint: Option<String>,
}

impl Field {
    fn new(id: &str, label: &str, kind: FieldKind) -> Self {
        Self {
            id: id.into(),
            label: label.into(),
            kind,
            text: String::new(),
            secret: Secret::default(),
            checked: false,
            choice: 0,
            error: None,
            hint: None,
        }
    }
    pub fn text(id: &str, label: &str) -> Self {
        Self::new(id, label, FieldKind::Text)
    }
    pub fn secret(id: &str, label: &str) -> Self {
        Self::new(id, label, FieldKind::Secret { revealed: false })
    }
    pub fn number(id: &str, label: &str, value: i64) -> Self {
        let mut f = Self::new(id, label, FieldKind::Number);
        f.text = value.to_string();
        f
    }
    pub fn checkbox(id: &str, label: &str, checked: bool) -> Self {
        let mut f = Self::new(id, label, FieldKind::Checkbox);
        f.checked = checked;
        f
    }
    pub fn choice(id: &str, label: &str, options: &[&str]) -> Self {
        Self::new(
            id,
            label,
            FieldKind::Choice(options.iter().map(|s| s.to_string()).collect()),
        )
    }
    pub fn read_only(id: &str, label: &str, value: &str) -> Self {
        Self::new(id, label, FieldKind::ReadOnly).with_value(value)
    }
    pub fn heading(label: &str) -> Self {
        Self::new("", label, FieldKind::Heading)
    }
    pub fn with_value(mut self, value: &str) -> Self {
        self.text = value.into();
        self
    }
    /// A choice field starting at option `index`.
    pub fn with_choice(mut self, index: usize) -> Self {
        self.choice = index;
        self
    }
    pub fn with_hint(mut self, hint: &str) -> Self {
        self.hint = Some(hint.into());
        self
    }

    fn focusable(&self) -> bool {
        !matches!(self.kind, FieldKind::Heading | FieldKind::ReadOnly)
    }

    fn takes_text(&self) -> bool {
        matches!(
            self.kind,
            FieldKind::Text | FieldKind::Secret { .. } | FieldKind::Number
        )
    }

    pub fn value(&self) -> &str {
        match self.kind {
            FieldKind::Secret { .. } => self.secret.expose(),
            _ => &self.text,
        }
    }

    fn shown(&self) -> String {
        match &self.kind {
            FieldKind::Secret { revealed: false } => "•".repeat(self.secret.char_len()),
            FieldKind::Checkbox => if self.checked { "[x]" } else { "[ ]" }.into(),
            FieldKind::Choice(options) => format!(
                "< {} >",
                options.get(self.choice).map_or("", String::as_str)
            ),
            _ => self.value().to_string(),
        }
    }

    fn edit(&mut self, f: impl FnOnce(&mut String)) {
        if let FieldKind::Secret { .. } = self.kind {
            let mut s = self.secret.expose().to_string();
            f(&mut s);
            self.secret = Secret::new(s);
        } else {
            f(&mut self.text);
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Form {
    pub fields: Vec<Field>,
    pub focus: usize,
    /// A message for the whole form (Cognito's answer, progress).
    pub message: Option<(bool, String)>,
    /// The last check found problems: the header counts those still marked, live, and
    /// goes away when none is left.
    pub checked: bool,
}

impl Form {
    pub fn new(fields: Vec<Field>) -> Self {
        let mut form = Self {
            fields,
            focus: 0,
            message: None,
            checked: false,
        };
        if !form.fields.first().is_some_and(Field::focusable) {
            form.next();
        }
        form
    }

    /// What is typed, ticked and chosen, field by field: two snapshots differ when
    /// something was changed in between.
    pub fn typed(&self) -> Vec<(String, bool, usize)> {
        self.fields
            .iter()
            .map(|f| (f.value().to_string(), f.checked, f.choice))
            .collect()
    }

    pub fn field(&self, id: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.id == id)
    }

    pub fn field_mut(&mut self, id: &str) -> Option<&mut Field> {
        self.fields.iter_mut().find(|f| f.id == id)
    }

    pub fn value(&self, id: &str) -> &str {
        self.field(id).map_or("", Field::value)
    }

    pub fn checked(&self, id: &str) -> bool {
        self.field(id).is_some_and(|f| f.checked)
    }

    pub fn choice(&self, id: &str) -> usize {
        self.field(id).map_or(0, |f| f.choice)
    }

    pub fn focused(&self) -> Option<&Field> {
        self.fields.get(self.focus)
    }

    pub fn focused_id(&self) -> &str {
        self.focused().map_or("", |f| f.id.as_str())
    }

    pub fn next(&mut self) {
        let n = self.fields.len();
        for step in 1..=n {
            let i = (self.focus + step) % n;
            if self.fields[i].focusable() {
                self.focus = i;
                return;
            }
        }
    }

    pub fn prev(&mut self) {
        let n = self.fields.len();
        for step in 1..=n {
            let i = (self.focus + n - step) % n;
            if self.fields[i].focusable() {
                self.focus = i;
                return;
            }
        }
    }

    pub fn focus_on(&mut self, id: &str) {
        if let Some(i) = self.fields.iter().position(|f| f.id == id) {
            self.focus = i;
        }
    }

    /// Space on a checkbox or choice; false when the focused field is not one.
    pub fn toggle(&mut self) -> bool {
        let Some(f) = self.fields.get_mut(self.focus) else {
            return false;
        };
        match &f.kind {
            FieldKind::Checkbox => {
                f.checked = !f.checked;
                true
            }
            FieldKind::Choice(options) => {
                f.choice = (f.choice + 1) % options.len().max(1);
                true
            }
            _ => false,
        }
    }

    pub fn reveal(&mut self) {
        for f in &mut self.fields {
            if let FieldKind::Secret { revealed } = &mut f.kind {
                *revealed = !*revealed;
            }
        }
    }

    /// Typing into a tab's form: a printable character or backspace with neither ctrl nor
    /// alt held goes to the focused text field (a chord stays a command). Returns whether
    /// the key was used.
    pub fn type_plain(&mut self, key: &KeyEvent) -> bool {
        use crossterm::event::{KeyCode, KeyModifiers};
        let plain = !key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        matches!(key.code, KeyCode::Char(_) | KeyCode::Backspace) && plain && self.type_key(key)
    }

    /// Typing into the focused text field. Returns whether the key was used.
    pub fn type_key(&mut self, key: &KeyEvent) -> bool {
        let Some(f) = self.fields.get_mut(self.focus) else {
            return false;
        };
        // A choice turns with the arrows or h and l, either way (space turns it on).
        if let FieldKind::Choice(options) = &f.kind {
            let n = options.len().max(1);
            let plain = !key
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
            match key.code {
                KeyCode::Left | KeyCode::Char('h') if plain => f.choice = (f.choice + n - 1) % n,
                KeyCode::Right | KeyCode::Char('l') if plain => f.choice = (f.choice + 1) % n,
                _ => return false,
            }
            return true;
        }
        if !f.takes_text() {
            return false;
        }
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Char('w') if ctrl => f.edit(|s| {
                let kept = s.trim_end().rfind(' ').map_or(0, |i| i + 1);
                s.truncate(kept);
            }),
            KeyCode::Char('u') if ctrl => f.edit(String::clear),
            KeyCode::Char(c) if !ctrl && !key.modifiers.contains(KeyModifiers::ALT) => {
                if f.kind == FieldKind::Number && !c.is_ascii_digit() {
                    f.error = Some("digits only".into());
                    return true;
                }
                f.edit(|s| s.push(c));
            }
            KeyCode::Backspace => f.edit(|s| {
                s.pop();
            }),
            _ => return false,
        }
        f.error = None;
        true
    }

    /// Puts each error beside its field, focuses the first, and says how many.
    pub fn set_errors(&mut self, errors: &[(String, String)]) {
        self.checked = !errors.is_empty();
        for f in &mut self.fields {
            f.error = None;
        }
        let mut first = None;
        for (id, message) in errors {
            let i = self
                .fields
                .iter()
                .position(|f| f.id == *id)
                .unwrap_or(self.focus);
            let f = &mut self.fields[i];
            f.error = Some(match &f.error {
                Some(existing) => format!("{existing}; {message}"),
                None => message.clone(),
            });
            first = Some(first.map_or(i, |j: usize| j.min(i)));
        }
        if let Some(i) = first {
            self.focus = i;
        }
    }

    /// Everything checked out and the call is on its way: no field is marked, the
    /// header says what is happening.
    pub fn sending(&mut self, what: &str) {
        self.set_errors(&[]);
        self.message = Some((true, what.to_string()));
    }

    /// Cognito said no: its reason goes beside `field` (when the refusal is about one)
    /// and on the form's message line; every value stays as typed.
    pub fn refused(&mut self, field: Option<&str>, e: &crate::client::ClientError) {
        if let Some(field) = field {
            self.set_errors(&[(field.to_string(), e.message.clone())]);
        }
        self.message = Some((false, format!("Cognito refused: {e}")));
    }

    pub fn has_errors(&self) -> bool {
        self.fields.iter().any(|f| f.error.is_some())
    }

    /// Fields still marked with a problem.
    pub fn problems(&self) -> usize {
        self.fields.iter().filter(|f| f.error.is_some()).count()
    }

    /// The header lines: Cognito's answer or progress, and the live count of problems.
    fn header(&self, theme: &Theme) -> Vec<Line<'static>> {
        let mut lines = Vec::new();
        if let Some((ok, message)) = &self.message {
            let style = if *ok { theme.ok() } else { theme.error() };
            lines.push(Line::from(Span::styled(message.clone(), style)));
        }
        let n = self.problems();
        if self.checked && n > 0 {
            lines.push(Line::from(Span::styled(
                format!(
                    "{n} problem{} to fix before calling Cognito",
                    if n == 1 { "" } else { "s" }
                ),
                theme.error(),
            )));
        }
        if !lines.is_empty() {
            lines.push(Line::default());
        }
        lines
    }

    /// The lines of the form: the header, then one line per field.
    pub fn lines(&self, theme: &Theme, label_width: usize) -> Vec<Line<'static>> {
        let mut lines = self.header(theme);
        for (i, f) in self.fields.iter().enumerate() {
            if f.kind == FieldKind::Heading {
                lines.push(Line::from(Span::styled(f.label.clone(), theme.title())));
                continue;
            }
            let focused = i == self.focus;
            let marker = if focused { "› " } else { "  " };
            let label = format!("{marker}{:<label_width$} ", f.label);
            let mut spans = vec![Span::styled(
                label,
                if focused {
                    theme.focus()
                } else {
                    theme.muted()
                },
            )];
            let mut value = f.shown();
            if focused && f.takes_text() {
                value.push('▏');
            }
            spans.push(Span::styled(
                value,
                if focused {
                    theme.focus()
                } else {
                    Default::default()
                },
            ));
            if let Some(e) = &f.error {
                spans.push(Span::styled(format!("  ✗ {e}"), theme.error()));
            } else if let Some(h) = f.hint.as_ref().filter(|_| focused) {
                spans.push(Span::styled(format!("  {h}"), theme.muted()));
            }
            lines.push(Line::from(spans));
        }
        lines
    }

    pub fn render_with(&self, area: Rect, buf: &mut Buffer, theme: &Theme, label_width: usize) {
        let lines = self.lines(theme, label_width);
        let scroll = self.scroll_for(&lines, area.width, area.height);
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0))
            .render(area, buf);
    }

    /// The first screen row to show so that the focused field, with every row its
    /// wrapped error takes, is in view (the header too when there is room for both).
    fn scroll_for(&self, lines: &[Line], width: u16, height: u16) -> u16 {
        let rows = |line: &Line| {
            Paragraph::new(line.clone())
                .wrap(Wrap { trim: false })
                .line_count(width.max(1))
                .max(1)
        };
        let header = self.header_len();
        let focus_line = header + self.focus;
        let start: usize = lines.iter().take(focus_line).map(rows).sum();
        let end = start + lines.get(focus_line).map_or(1, rows);
        let height = usize::from(height);
        let scroll = end.saturating_sub(height);
        // The focused line's first row is always on screen, even when it wraps past.
        scroll.min(start) as u16
    }

    fn header_len(&self) -> usize {
        let n =
            usize::from(self.message.is_some()) + usize::from(self.checked && self.problems() > 0);
        if n > 0 { n + 1 } else { 0 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    #[test]
    fn typing_focus_and_errors() {
        let mut form = Form::new(vec![
            Field::heading("User"),
            Field::text("username", "Username"),
            Field::secret("password", "Password"),
            Field::checkbox("sms", "SMS", true),
            Field::number("days", "Days", 7),
        ]);
        assert_eq!(form.focused_id(), "username");
        for c in "ana".chars() {
            assert!(form.type_key(&key(c)));
        }
        form.next();
        for c in "s3cret".chars() {
            form.type_key(&key(c));
        }
        assert_eq!(form.value("password"), "s3cret");
        let shown: String = form
            .lines(&Theme { color: false }, 10)
            .iter()
            .map(|l| l.to_string())
            .collect();
        assert!(!shown.contains("s3cret"), "masked");
        form.reveal();
        let shown: String = form
            .lines(&Theme { color: false }, 10)
            .iter()
            .map(|l| l.to_string())
            .collect();
        assert!(shown.contains("s3cret"));
        form.next();
        assert!(form.toggle());
        assert!(!form.checked("sms"));
        form.next();
        form.type_key(&key('x'));
        assert_eq!(form.value("days"), "7");
        form.set_errors(&[
            ("password".into(), "too short".into()),
            ("username".into(), "taken".into()),
        ]);
        assert_eq!(
            form.focused_id(),
            "username",
            "focus jumps to the first error"
        );
        form.next();
        assert_eq!(form.value("username"), "ana", "values kept");
        form.prev();
        form.prev();
        assert_eq!(form.focused_id(), "days", "wraps past the heading");
    }
}
