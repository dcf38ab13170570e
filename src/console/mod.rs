//! The terminal console: Policies, Message customizations, Users, Groups, Lambda
//! triggers and App clients with their forms, on ratatui. It reaches pools only through `client`. Every tab and popup is an
//! [`owner::Owner`]; `router` hands each key and result to the one it belongs to.

pub mod action;
pub mod app;
mod audited;
pub mod bulk_work;
pub mod client_change;
pub mod clipboard;
pub mod domain_change;
pub mod effect;
pub mod headless;
pub mod keymap;
pub mod owner;
pub mod pool_edit;
mod pool_loading;
pub mod popups;
pub mod router;
pub mod run;
pub mod svg;
pub mod tabs;
pub mod theme;
pub mod user_actions;
pub mod user_change;
pub mod view;
pub mod widgets;

pub use app::{App, Options};
