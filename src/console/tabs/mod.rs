use super::action::Command;
use super::keymap::Context;

pub mod app_clients;
pub mod domain;
pub mod groups;
pub mod messages;
pub mod policies;
pub mod sign_up;
pub mod triggers;
pub mod users;

/// Where a tab's list stands: loading, empty and failed are each said.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Load {
    #[default]
    Idle,
    /// Asked for (pages may be coming in).
    Loading,
    Loaded,
    Failed(String),
}

/// The screens, in the order of the Cognito console's user-pool pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Policies,
    Messages,
    Users,
    Groups,
    Triggers,
    AppClients,
    SignUp,
    Domain,
}

impl Tab {
    pub const ALL: [Tab; 8] = [
        Tab::Policies,
        Tab::Messages,
        Tab::Users,
        Tab::Groups,
        Tab::Triggers,
        Tab::AppClients,
        Tab::SignUp,
        Tab::Domain,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Tab::Policies => "Policies",
            Tab::Messages => "Message customizations",
            Tab::Users => "Users",
            Tab::Groups => "Groups",
            Tab::Triggers => "Lambda triggers",
            Tab::AppClients => "App clients",
            Tab::SignUp => "Sign-up",
            Tab::Domain => "Domain",
        }
    }

    /// A shorter title, for a tab bar the full titles do not fit.
    pub fn short_title(self) -> &'static str {
        match self {
            Tab::Messages => "Messages",
            Tab::Triggers => "Triggers",
            Tab::AppClients => "Clients",
            other => other.title(),
        }
    }

    /// The command that switches to this tab (its key comes from the keymap).
    pub fn command(self) -> Command {
        match self {
            Tab::Policies => Command::TabPolicies,
            Tab::Messages => Command::TabMessages,
            Tab::Users => Command::TabUsers,
            Tab::Groups => Command::TabGroups,
            Tab::Triggers => Command::TabTriggers,
            Tab::AppClients => Command::TabAppClients,
            Tab::SignUp => Command::TabSignUp,
            Tab::Domain => Command::TabDomain,
        }
    }

    /// The keymap context of the tab itself (its forms and editor have their own).
    pub fn context(self) -> Context {
        match self {
            Tab::Policies => Context::Policies,
            Tab::Messages => Context::Messages,
            Tab::Users => Context::Users,
            Tab::Groups => Context::Groups,
            Tab::Triggers => Context::Triggers,
            Tab::AppClients => Context::AppClients,
            Tab::SignUp => Context::SignUp,
            Tab::Domain => Context::Domain,
        }
    }

    fn index(self) -> usize {
        Self::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }

    pub fn next(self) -> Tab {
        Self::ALL[(self.index() + 1) % Self::ALL.len()]
    }

    pub fn prev(self) -> Tab {
        Self::ALL[(self.index() + Self::ALL.len() - 1) % Self::ALL.len()]
    }

    /// The tab `command` switches to, if it is one of the tab keys.
    pub fn switched_to_by(command: Command) -> Option<Tab> {
        Self::ALL.into_iter().find(|t| t.command() == command)
    }
}
