//! The terminal console: Policies, Message customizations and Users, the Create user
//! form, on ratatui. It reaches pools only through `client`.

pub mod action;
pub mod app;
mod audited;
pub mod bulk_work;
pub mod effect;
mod group_results;
pub mod headless;
pub mod keymap;
mod mail_results;
pub mod outcome;
pub mod pool_edit;
mod pool_loading;
mod popup_results;
pub mod popups;
pub mod router;
pub mod run;
pub mod svg;
pub mod tabs;
pub mod theme;
pub mod user_actions;
pub mod view;
pub mod widgets;

pub use app::{App, Options};
