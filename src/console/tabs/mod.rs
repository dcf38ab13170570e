pub mod messages;
pub mod policies;
pub mod users;

/// The three screens, in the order of the Cognito console's user-pool pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Policies,
    Messages,
    Users,
}

impl Tab {
    pub const ALL: [Tab; 3] = [Tab::Policies, Tab::Messages, Tab::Users];

    pub fn title(self) -> &'static str {
        match self {
            Tab::Policies => "1 Policies",
            Tab::Messages => "2 Message customizations",
            Tab::Users => "3 Users",
        }
    }

    pub fn next(self) -> Tab {
        match self {
            Tab::Policies => Tab::Messages,
            Tab::Messages => Tab::Users,
            Tab::Users => Tab::Policies,
        }
    }

    pub fn prev(self) -> Tab {
        self.next().next()
    }
}
