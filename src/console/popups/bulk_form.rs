//! Export the pool's users to a file, or import a file into the pool, from the Users
//! tab. An import is read and checked row by row first (the same check as `import
//! --dry-run`) and the problems are listed by line; only a file with none can be
//! imported, with a second press of the save key. The run itself belongs to the Users
//! tab, which draws its progress while the keys go on answering.

use std::path::{Path, PathBuf};

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::{Ui, centered, frame};
use crate::bulk::Format;
use crate::bulk::job::default_role;
use crate::client::Target;
use crate::console::action::{Action, Command};
use crate::console::bulk_work::{Checked, Work};
use crate::console::effect::Effect;
use crate::console::keymap::Context;
use crate::console::owner::{Env, Outcome, Owner, Step};
use crate::console::theme::Theme;
use crate::console::widgets::form::{Field, FieldErrors, Form};
use crate::pool::{model, printable};
use crossterm::event::KeyEvent;

const LABEL: usize = 17;
const FORMATS: [&str; 2] = ["csv", "jsonl"];
const METHODS: [&str; 2] = ["AdminCreateUser", "import job"];
const JOB: usize = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Export,
    Import,
}

#[derive(Debug)]
pub struct BulkForm {
    pub direction: Direction,
    pub form: Form,
    /// The file is being read and checked.
    pub busy: bool,
    /// The last check of the file, until a field changes.
    pub checked: Option<Checked>,
}

impl BulkForm {
    pub fn export(env: &Env) -> Self {
        let pool = env.pool_id.unwrap_or("users");
        let form = Form::new(vec![
            Field::text("file", "File")
                .with_value(&format!("{pool}-users.csv"))
                .with_hint("a new file, yours alone"),
            Field::choice("format", "Format", &FORMATS).with_hint("csv: Cognito's import format"),
        ]);
        Self {
            direction: Direction::Export,
            form,
            busy: false,
            checked: None,
        }
    }

    pub fn import(env: &Env) -> Self {
        let role = env.client.and_then(|c| default_role(c.target()));
        let mut method = Field::choice("method", "Method", &METHODS)
            .with_hint("job: RESET_REQUIRED, no password");
        method.choice = if matches!(env.client.map(|c| c.target()), Some(Target::Local { .. })) {
            JOB
        } else {
            0
        };
        let form = Form::new(vec![
            Field::text("file", "File").with_hint("CSV as exported, or .jsonl"),
            method,
            Field::checkbox("invitations", "Send invitations", false)
                .with_hint("off: no email or SMS is sent"),
            Field::text("role", "Job's IAM role")
                .with_value(role.unwrap_or_default())
                .with_hint("the role a job logs failures with"),
        ]);
        Self {
            direction: Direction::Import,
            form,
            busy: false,
            checked: None,
        }
    }

    fn path(&self) -> PathBuf {
        PathBuf::from(self.form.value("file").trim())
    }

    fn format(&self) -> Format {
        match self.direction {
            Direction::Export if self.form.choice("format") == 1 => Format::Jsonl,
            Direction::Export => Format::Csv,
            Direction::Import => Format::of_path(&self.path()),
        }
    }

    fn job(&self) -> bool {
        self.direction == Direction::Import && self.form.choice("method") == JOB
    }

    /// The work the form describes, or what is wrong with it, field by field.
    pub fn work(&self) -> Result<Work, FieldErrors> {
        let path = self.path();
        let mut errors: FieldErrors = Vec::new();
        let mut bad = |field: &str, why: String| errors.push((field.to_string(), why));
        if path.as_os_str().is_empty() {
            bad("file", "a file name is required".into());
        } else if self.direction == Direction::Export {
            if path.exists() {
                bad("file", "exists already; choose a new name".into());
            } else if !parent_exists(&path) {
                bad("file", "its folder does not exist".into());
            }
        } else if !path.is_file() {
            bad("file", "no such file".into());
        }
        if self.job() {
            if self.format() != Format::Csv {
                bad("file", "an import job takes Cognito's CSV".into());
            }
            if self.form.checked("invitations") {
                bad("invitations", "an import job sends no invitations".into());
            }
            let shape = model::member("CreateUserImportJobRequest", "CloudWatchLogsRoleArn");
            if let Err(e) = model::check_str(shape, "role", self.form.value("role").trim()) {
                bad("role", e.rule);
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(match self.direction {
            Direction::Export => Work::Export {
                path,
                format: self.format(),
            },
            Direction::Import if self.job() => Work::ImportJob {
                path,
                role_arn: self.form.value("role").trim().to_string(),
            },
            Direction::Import => Work::Import {
                path,
                format: self.format(),
                send_invitations: self.form.checked("invitations"),
            },
        })
    }

    fn save(&mut self, env: &Env) -> Outcome {
        let work = match self.work() {
            Ok(work) => work,
            Err(errors) => {
                self.form.set_errors(&errors);
                return Outcome::done();
            }
        };
        let ready = self
            .checked
            .as_ref()
            .is_some_and(|c| c.problems.is_empty() && Some(c.path.as_path()) == work.path());
        if self.direction == Direction::Export || ready {
            return Outcome::steps([Step::Close, Step::Bulk(work)]);
        }
        let path = work.path().map(|p| p.to_path_buf()).unwrap_or_default();
        let (format, job) = (self.format(), self.job());
        match env.call(|client, pool_id| Effect::CheckImport {
            client,
            pool_id,
            path,
            format,
            job,
        }) {
            Ok(effect) => {
                self.busy = true;
                self.form.sending("reading and checking every row…");
                Outcome::one(Step::Run(effect))
            }
            Err(why) => Outcome::error(why),
        }
    }

    /// The file's check came back.
    pub fn answered(&mut self, result: Result<Checked, String>, env: &Env) -> Vec<Step> {
        self.busy = false;
        let pool = env.pool_id.unwrap_or("the pool");
        match result {
            Err(e) => {
                self.form.message = Some((false, format!("cannot check the file: {e}")));
                vec![Step::Error(format!("cannot check the file: {e}"))]
            }
            Ok(c) if c.problems.is_empty() => {
                let save = env
                    .keymap
                    .key_for(Context::Form, Command::Save)
                    .unwrap_or_default();
                self.form.message = Some((
                    true,
                    format!(
                        "{} rows, every one can be imported into {pool}. {save} imports them.",
                        c.rows
                    ),
                ));
                self.checked = Some(c);
                Vec::new()
            }
            Ok(c) => {
                self.form.message = Some((
                    false,
                    format!(
                        "{} problems in {} rows: nothing will be imported until they are fixed.",
                        c.problems.len(),
                        c.rows
                    ),
                ));
                self.checked = Some(c);
                Vec::new()
            }
        }
    }
}

impl Owner for BulkForm {
    fn context(&self) -> Context {
        Context::Form
    }

    fn commands(&self, _env: &Env) -> Vec<Command> {
        if self.busy {
            return vec![Command::Back];
        }
        vec![
            Command::Save,
            Command::Back,
            Command::NextField,
            Command::PrevField,
            Command::Toggle,
        ]
    }

    /// A key typed into a field: any earlier check is no longer of this file.
    fn type_key(&mut self, key: &KeyEvent, _bound: Option<Command>) -> bool {
        if self.busy || !self.form.type_key(key) {
            return false;
        }
        self.checked = None;
        true
    }

    fn handle(&mut self, command: Command, env: &Env) -> Outcome {
        match command {
            Command::Back => return Outcome::one(Step::Close),
            _ if self.busy => return Outcome::Ignored,
            Command::NextField => self.form.next(),
            Command::PrevField => self.form.prev(),
            Command::Toggle => {
                if self.form.toggle() {
                    self.checked = None;
                }
            }
            Command::Save => return self.save(env),
            _ => return Outcome::Ignored,
        }
        Outcome::done()
    }

    fn answer(&mut self, result: &Action, env: &Env) -> Option<Vec<Step>> {
        match result {
            Action::ImportChecked(result) => Some(self.answered(result.clone(), env)),
            _ => None,
        }
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, ui: &Ui) {
        let theme = &ui.theme;
        let width = area.width.min(90);
        let rows = Paragraph::new(self.form.lines(theme, LABEL))
            .wrap(Wrap { trim: false })
            .line_count(width.saturating_sub(2).max(1));
        let rows = u16::try_from(rows).unwrap_or(u16::MAX);
        let problems = self
            .checked
            .as_ref()
            .is_some_and(|c| !c.problems.is_empty());
        // The form, and under a blank row as many problems as the screen has room for.
        let height = if problems { area.height } else { rows + 2 };
        let rect = centered(area, width, height);
        let pool = ui.env.pool_id.unwrap_or("the pool");
        let ready = self.checked.as_ref().is_some_and(|c| c.problems.is_empty());
        let (what, go) = match self.direction {
            Direction::Export => (format!("Export the users of {pool}"), "exports"),
            Direction::Import if ready => (format!("Import users into {pool}"), "imports"),
            Direction::Import => (format!("Import users into {pool}"), "checks the file"),
        };
        let title = format!(
            "{what} ({})",
            ui.hint(
                Context::Form,
                &[(Command::Save, go), (Command::Back, "cancels")]
            )
        );
        let inner = frame(rect, buf, theme, &title);
        let rows = rows.saturating_add(1);
        let [form, list] =
            Layout::vertical([Constraint::Length(rows), Constraint::Min(0)]).areas(inner);
        self.form.render_with(form, buf, theme, LABEL);
        if let Some(c) = self.checked.as_ref().filter(|c| !c.problems.is_empty()) {
            list_problems(c, list, buf, theme);
        }
    }
}

/// The problems by line, as many as fit (a long one wraps), then how many more.
fn list_problems(c: &Checked, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let rows = |line: &Line| {
        Paragraph::new(line.clone())
            .wrap(Wrap { trim: false })
            .line_count(area.width.max(1))
    };
    // A row is kept for "and N more".
    let mut room = usize::from(area.height).saturating_sub(1);
    let mut lines = Vec::new();
    for p in &c.problems {
        let who = if p.username.is_empty() {
            String::new()
        } else {
            format!("{}: ", p.username)
        };
        let text = printable::lines(&format!("line {}: {who}{}", p.line, p.error)).into_owned();
        let line = Line::from(Span::styled(text, theme.error()));
        let need = rows(&line);
        if need > room {
            break;
        }
        room -= need;
        lines.push(line);
    }
    let more = c.problems.len() - lines.len();
    if more > 0 {
        lines.push(Line::styled(
            format!(
                "… and {more} more (cognito-console import {} --dry-run lists them all)",
                c.path.display()
            ),
            theme.muted(),
        ));
    }
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .render(area, buf);
}

fn parent_exists(path: &Path) -> bool {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.is_dir(),
        _ => true,
    }
}
