//! Help, generated from the live keymap: first the keys that work right here (the
//! commands the layer under help answers), then every context's bindings.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::{SCROLL, Ui, centered, frame, step};
use crate::console::action::Command;
use crate::console::keymap::{Context, Keymap};
use crate::console::owner::{Env, Outcome, Owner, Step};
use crate::console::theme::Theme;

#[derive(Debug, Default)]
pub struct Help {
    pub scroll: u16,
}

impl Owner for Help {
    fn commands(&self, _env: &Env) -> Vec<Command> {
        let mut c = SCROLL.to_vec();
        c.extend([Command::Back, Command::Help]);
        c
    }

    fn handle(&mut self, command: Command, _env: &Env) -> Outcome {
        if let Some(by) = step(command, 10) {
            self.scroll = (self.scroll as isize + by).clamp(0, 500) as u16;
            return Outcome::done();
        }
        match command {
            Command::Back | Command::Help => Outcome::one(Step::Close),
            _ => Outcome::Ignored,
        }
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, ui: &Ui) {
        let rect = centered(area, 76, area.height.saturating_sub(2));
        let title = format!(
            "Help ({})",
            ui.hint(
                Context::Popup,
                &[(Command::Down, "scrolls"), (Command::Back, "closes")]
            )
        );
        let inner = frame(rect, buf, &ui.theme, &title);
        Paragraph::new(lines(ui.keymap, &ui.here_title, &ui.here, &ui.theme))
            .scroll((self.scroll, 0))
            .render(inner, buf);
    }
}

fn section(
    out: &mut Vec<Line<'static>>,
    title: &str,
    entries: impl IntoIterator<Item = (Vec<String>, String)>,
    theme: &Theme,
) {
    out.push(Line::styled(title.to_string(), theme.title()));
    for (keys, label) in entries {
        out.push(Line::from(vec![
            Span::styled(format!("  {:<18}", keys.join(" ")), theme.key()),
            Span::raw(label),
        ]));
    }
    out.push(Line::default());
}

/// Here first, then each context of the keymap as bound.
pub fn lines(
    keymap: &Keymap,
    here_title: &str,
    here: &[(Vec<String>, Command, String)],
    theme: &Theme,
) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let here = here.iter().map(|(k, _, label)| (k.clone(), label.clone()));
    section(&mut out, &format!("Here: {here_title}"), here, theme);
    for context in Context::ALL {
        let entries = keymap
            .entries(context)
            .into_iter()
            .map(|(k, c)| (k, c.describe().to_string()));
        section(&mut out, context.title(), entries, theme);
    }
    out.push(Line::styled(
        "ctrl-c quits from anywhere. Keys can be changed in the settings file ([keys.CONTEXT] command = [\"key\"]).",
        theme.muted(),
    ));
    out
}
