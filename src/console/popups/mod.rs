//! Layers above the tabs. Each takes the keys first while it is open.

pub mod create_user;
pub mod help;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};

use super::action::PoolEdit;
use super::tabs::users::date_time;
use super::theme::Theme;
use super::widgets::form::{Field, Form};
use crate::pool::filter::{Filter, FilterOp, SearchAttribute};
use crate::pool::{PoolSummary, User};
use create_user::CreateUser;

#[derive(Debug)]
pub enum Popup {
    Help {
        scroll: u16,
    },
    PoolPicker {
        selected: usize,
    },
    UserDetail {
        user: Box<User>,
        scroll: u16,
    },
    CreateUser(Box<CreateUser>),
    Search(Box<Form>),
    Confirm {
        title: String,
        lines: Vec<String>,
        edit: PoolEdit,
    },
    CommandLine(String),
}

/// A centred rectangle of at most `width` x `height`, inside `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [v] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [h] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(v);
    h
}

pub fn frame(area: Rect, buf: &mut Buffer, theme: &Theme, title: &str) -> Rect {
    Clear.render(area, buf);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(format!(" {title} "), theme.title()));
    let inner = block.inner(area);
    block.render(area, buf);
    inner
}

pub fn search_form(current: Option<&Filter>) -> Form {
    let attributes: Vec<&str> = SearchAttribute::ALL.iter().map(|a| a.as_str()).collect();
    let mut form = Form::new(vec![
        Field::choice("attribute", "Attribute", &attributes).with_hint("space: next attribute"),
        Field::choice("op", "Match", &["equals", "starts with"]).with_hint("space: switch"),
        Field::text("value", "Value").with_hint("enter searches · esc cancels"),
    ]);
    // Starts with, on username, is what people mean most of the time.
    if let Some(f) = form.field_mut("op") {
        f.choice = 1;
    }
    if let Some(current) = current {
        if let Some(f) = form.field_mut("attribute") {
            f.choice = SearchAttribute::ALL
                .iter()
                .position(|a| *a == current.attribute)
                .unwrap_or(0);
        }
        if let Some(f) = form.field_mut("op") {
            f.choice = usize::from(current.op == FilterOp::StartsWith);
        }
        if let Some(f) = form.field_mut("value") {
            *f = Field::text("value", "Value").with_value(&current.value);
        }
    }
    form.focus_on("value");
    form
}

/// The filter a search form describes; an empty value clears the search.
pub fn filter_from(form: &Form) -> Result<Option<Filter>, String> {
    let value = form.value("value");
    if value.is_empty() {
        return Ok(None);
    }
    let attribute =
        SearchAttribute::ALL[form.choice("attribute").min(SearchAttribute::ALL.len() - 1)];
    let op = if form.choice("op") == 1 {
        FilterOp::StartsWith
    } else {
        FilterOp::Equals
    };
    let filter = Filter::new(attribute, op, value);
    filter.to_request().map_err(|e| e.rule)?;
    Ok(Some(filter))
}

pub fn render_pool_picker(
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
    pools: &[PoolSummary],
    selected: usize,
    current: Option<&str>,
) {
    let rect = centered(area, 70, (pools.len() as u16 + 4).max(6));
    let inner = frame(rect, buf, theme, "User pools (enter opens)");
    let mut lines: Vec<Line> = pools
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let here = if Some(p.id.as_str()) == current {
                "•"
            } else {
                " "
            };
            let style = if i == selected {
                theme.selected()
            } else {
                Default::default()
            };
            Line::styled(format!("{here} {:<30} {}", p.id, p.name), style)
        })
        .collect();
    if pools.is_empty() {
        lines.push(Line::styled("No pools here (yet).", theme.muted()));
    }
    Paragraph::new(lines).render(inner, buf);
}

pub fn render_user_detail(area: Rect, buf: &mut Buffer, theme: &Theme, user: &User, scroll: u16) {
    let rect = centered(area, 90, area.height.saturating_sub(2));
    let inner = frame(rect, buf, theme, &format!("User {}", user.username));
    let row = |label: &str, value: String| {
        Line::from(vec![
            Span::styled(format!("{label:<24} "), theme.muted()),
            Span::raw(value),
        ])
    };
    let mut lines = vec![
        row("Username", user.username.clone()),
        row(
            "Enabled",
            if user.enabled { "Enabled" } else { "Disabled" }.into(),
        ),
        row(
            "Account status",
            user.status.map_or("-", |s| s.as_str()).into(),
        ),
        row("Created", user.created.map(date_time).unwrap_or_default()),
        row(
            "Last modified",
            user.last_modified.map(date_time).unwrap_or_default(),
        ),
        Line::default(),
        Line::styled("Attributes", theme.title()),
    ];
    for a in &user.attributes {
        lines.push(row(&a.name, a.value.clone()));
    }
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .scroll((scroll, 0))
        .render(inner, buf);
}

pub fn render_confirm(area: Rect, buf: &mut Buffer, theme: &Theme, title: &str, lines: &[String]) {
    let rect = centered(area, 76, lines.len() as u16 + 5);
    let inner = frame(rect, buf, theme, title);
    let mut text: Vec<Line> = lines.iter().map(|l| Line::raw(format!("  {l}"))).collect();
    text.push(Line::default());
    text.push(Line::styled(
        "enter saves · esc goes back to the form",
        theme.muted(),
    ));
    Paragraph::new(text)
        .wrap(Wrap { trim: false })
        .render(inner, buf);
}

pub fn render_command_line(area: Rect, buf: &mut Buffer, theme: &Theme, text: &str) {
    let rect = Rect {
        y: area.bottom().saturating_sub(1),
        height: 1,
        ..area
    };
    Clear.render(rect, buf);
    Paragraph::new(Line::from(vec![
        Span::styled(":", theme.key()),
        Span::raw(format!("{text}▏")),
    ]))
    .render(rect, buf);
}
