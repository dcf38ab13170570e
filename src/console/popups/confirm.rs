//! "Save these changes?" / "Disable this user?" / "Discard what you typed?": what will
//! happen, before it does.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::{Ui, centered, frame};
use crate::console::action::{Command, Confirmed};
use crate::console::effect::Effect;
use crate::console::keymap::Context;
use crate::console::owner::{Env, Outcome, Owner, Step};

#[derive(Debug)]
pub struct Confirm {
    pub title: String,
    pub lines: Vec<String>,
    pub then: Confirmed,
}

impl Confirm {
    /// What yes and no do, in words.
    fn words(&self) -> (&'static str, &'static str) {
        match self.then {
            Confirmed::SavePool(_) => ("saves", "goes back to the form"),
            Confirmed::User(_)
            | Confirmed::Group(_)
            | Confirmed::Client(_)
            | Confirmed::Domain(_)
            | Confirmed::Bulk(_) => ("confirms", "cancels"),
            Confirmed::Discard => ("discards", "goes back to what you typed"),
        }
    }
}

impl Owner for Confirm {
    fn commands(&self, _env: &Env) -> Vec<Command> {
        vec![Command::Open, Command::Back]
    }

    /// The key bar says what yes and no do here, not "open".
    fn label(&self, command: Command) -> Option<String> {
        let (yes, no) = self.words();
        match command {
            Command::Open => Some(yes.into()),
            Command::Back => Some(no.into()),
            _ => None,
        }
    }

    fn handle(&mut self, command: Command, env: &Env) -> Outcome {
        match command {
            Command::Back => Outcome::one(Step::Close),
            Command::Open => match step(self.then.clone(), env) {
                Ok(step) => Outcome::steps([Step::Close, step]),
                Err(why) => Outcome::steps([Step::Close, Step::Error(why)]),
            },
            _ => Outcome::Ignored,
        }
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, ui: &Ui) {
        let (yes, no) = self.words();
        let hint = ui.hint(Context::Popup, &[(Command::Open, yes), (Command::Back, no)]);
        let rect = centered(area, 76, self.lines.len() as u16 + 5);
        let inner = frame(rect, buf, &ui.theme, &self.title);
        let mut text: Vec<Line> = self
            .lines
            .iter()
            .map(|l| Line::raw(format!("  {l}")))
            .collect();
        text.push(Line::default());
        text.push(Line::styled(hint, ui.theme.muted()));
        Paragraph::new(text)
            .wrap(Wrap { trim: false })
            .render(inner, buf);
    }
}

/// What a yes to `then` does: the change made on the open pool (or the edits
/// discarded), or why it cannot be made yet.
pub(super) fn step(then: Confirmed, env: &Env) -> Result<Step, String> {
    let effect = match then {
        Confirmed::Discard => return Ok(Step::Discard),
        Confirmed::Bulk(work) => return Ok(Step::Bulk(work)),
        Confirmed::SavePool(edit) => {
            env.call(|client, pool| Effect::UpdatePool(client, pool, edit))
        }
        Confirmed::User(change) => {
            env.call(|client, pool| Effect::ChangeUser(client, pool, change))
        }
        Confirmed::Group(change) => {
            env.call(|client, pool| Effect::ChangeGroup(client, pool, change))
        }
        Confirmed::Client(change) => {
            env.call(|client, pool| Effect::ChangeClient(client, pool, change))
        }
        Confirmed::Domain(change) => {
            env.call(|client, pool| Effect::ChangeDomain(client, pool, change))
        }
    };
    effect.map(Step::Run)
}
