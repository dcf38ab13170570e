//! The console's vocabulary. A [`Command`] is what a key means (and what the keymap file
//! names, in snake_case); an [`Action`] is everything that can change the app's state:
//! keys, commands, and the results of work done off the UI task.

use crossterm::event::KeyEvent;
use serde::{Deserialize, Serialize};

use crate::client::{Client, ClientError, SignIn, UserPage};
use crate::pool::{AppClient, PoolDescription, PoolSummary, User};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Command {
    Quit,
    Help,
    Back,
    NextTab,
    PrevTab,
    TabPolicies,
    TabMessages,
    TabUsers,
    TabGroups,
    TabTriggers,
    TabAppClients,
    TabSignUp,
    TabDomain,
    Up,
    Down,
    Top,
    Bottom,
    PageUp,
    PageDown,
    Open,
    Search,
    Refresh,
    CreateUser,
    PickPool,
    CommandLine,
    Edit,
    Save,
    NextField,
    PrevField,
    Toggle,
    Reveal,
    AddRow,
    RemoveRow,
    SwitchOperator,
    Resend,
    ToggleEnabled,
    DeleteUser,
    TrySignIn,
    SetPassword,
    SignOut,
    ResetPassword,
    ConfirmSignUp,
    EditAttributes,
    JoinGroup,
    LeaveGroup,
    CreateGroup,
    EditGroup,
    DeleteGroup,
    AddMember,
    RemoveMember,
    ShowMessages,
    Export,
    Import,
    StopJob,
    SendTest,
    ShowAudit,
    EditMfa,
    ResetMfa,
    ClearTrigger,
    RunFunction,
    CreateClient,
    DeleteClient,
    AddAttribute,
    CreateDomain,
    DeleteDomain,
    CreateServer,
    DeleteServer,
    Copy,
    Raw,
    Mark,
    MarkAll,
    ClearMarks,
    Sort,
    ReverseSort,
}

impl Command {
    /// What it does, for help and the key bar.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Quit => "quit",
            Self::Help => "help",
            Self::Back => "back",
            Self::NextTab => "next tab",
            Self::PrevTab => "previous tab",
            Self::TabPolicies => "Policies",
            Self::TabMessages => "Messages",
            Self::TabUsers => "Users",
            Self::TabGroups => "Groups",
            Self::TabTriggers => "Lambda triggers",
            Self::TabAppClients => "App clients",
            Self::TabSignUp => "Sign-up",
            Self::TabDomain => "Domain",
            Self::Up => "up",
            Self::Down => "down",
            Self::Top => "first",
            Self::Bottom => "last",
            Self::PageUp => "page up",
            Self::PageDown => "page down",
            Self::Open => "open",
            Self::Search => "search",
            Self::Refresh => "refresh",
            Self::CreateUser => "create user",
            Self::PickPool => "pick pool",
            Self::CommandLine => "command",
            Self::Edit => "edit",
            Self::Save => "save",
            Self::NextField => "next field",
            Self::PrevField => "previous field",
            Self::Toggle => "toggle",
            Self::Reveal => "show/hide password",
            Self::AddRow => "add attribute",
            Self::RemoveRow => "remove attribute",
            Self::SwitchOperator => "= / starts with",
            Self::Resend => "resend invitation",
            Self::ToggleEnabled => "enable / disable",
            Self::DeleteUser => "delete user",
            Self::TrySignIn => "try sign-in",
            Self::SetPassword => "set password",
            Self::SignOut => "sign out everywhere",
            Self::ResetPassword => "reset password",
            Self::ConfirmSignUp => "confirm sign-up",
            Self::EditAttributes => "edit attributes",
            Self::JoinGroup => "add to a group",
            Self::LeaveGroup => "remove from a group",
            Self::CreateGroup => "create group",
            Self::EditGroup => "edit group",
            Self::DeleteGroup => "delete group",
            Self::AddMember => "add member",
            Self::RemoveMember => "remove member",
            Self::ShowMessages => "all messages",
            Self::Export => "export users",
            Self::Import => "import users",
            Self::StopJob => "stop the job",
            Self::SendTest => "send a test email",
            Self::ShowAudit => "audit log",
            Self::EditMfa => "edit MFA",
            Self::ResetMfa => "reset MFA",
            Self::ClearTrigger => "clear the trigger",
            Self::RunFunction => "run the CustomMessage function",
            Self::CreateClient => "create app client",
            Self::DeleteClient => "delete app client",
            Self::AddAttribute => "add custom attribute",
            Self::CreateDomain => "set up the domain",
            Self::DeleteDomain => "delete the domain",
            Self::CreateServer => "create resource server",
            Self::DeleteServer => "delete resource server",
            Self::Copy => "copy",
            Self::Raw => "raw JSON",
            Self::Mark => "mark / unmark",
            Self::MarkAll => "mark every match",
            Self::ClearMarks => "clear marks",
            Self::Sort => "sort by the next column",
            Self::ReverseSort => "reverse the sort",
        }
    }

    /// Commands that change a pool: refused under `--read-only`.
    pub fn writes(self) -> bool {
        matches!(
            self,
            Self::CreateUser
                | Self::Edit
                | Self::Save
                | Self::Resend
                | Self::ToggleEnabled
                | Self::DeleteUser
                // A sign-in sets the password on a first sign-in, and wrong passwords
                // count towards the user's lockout.
                | Self::TrySignIn
                | Self::SetPassword
                | Self::SignOut
                | Self::ResetPassword
                | Self::ConfirmSignUp
                | Self::EditAttributes
                | Self::JoinGroup
                | Self::LeaveGroup
                | Self::CreateGroup
                | Self::EditGroup
                | Self::DeleteGroup
                | Self::AddMember
                | Self::RemoveMember
                | Self::Import
                | Self::EditMfa
                | Self::ClearTrigger
                | Self::CreateClient
                | Self::DeleteClient
                | Self::AddAttribute
                | Self::CreateDomain
                | Self::DeleteDomain
                | Self::CreateServer
                | Self::DeleteServer
                | Self::ResetMfa
        )
    }
}

pub use super::pool_edit::PoolEdit;

pub use super::user_change::UserChange;

/// A change to a pool's groups.
#[derive(Debug, Clone, PartialEq)]
pub enum GroupChange {
    /// CreateGroup (`create`) or UpdateGroup.
    Save {
        group: crate::pool::group::Group,
        create: bool,
    },
    Delete {
        name: String,
    },
    /// AdminAddUserToGroup (`add`) or AdminRemoveUserFromGroup.
    Membership {
        username: String,
        group: String,
        add: bool,
    },
}

impl GroupChange {
    pub fn describe(&self) -> String {
        match self {
            Self::Save {
                group,
                create: true,
            } => format!("group {} created", group.name),
            Self::Save { group, .. } => format!("group {} saved", group.name),
            Self::Delete { name } => format!("group {name} deleted"),
            Self::Membership {
                username,
                group,
                add: true,
            } => format!("{username} added to {group}"),
            Self::Membership {
                username, group, ..
            } => format!("{username} removed from {group}"),
        }
    }

    /// What did not happen, when Cognito refused.
    pub fn failed(&self) -> &'static str {
        match self {
            Self::Save { create: true, .. } => "group not created",
            Self::Save { .. } => "group not saved",
            Self::Delete { .. } => "group not deleted",
            Self::Membership { add: true, .. } => "not added",
            Self::Membership { .. } => "not removed",
        }
    }
}

/// What a confirmation popup does when the admin says yes.
#[derive(Debug, Clone)]
pub enum Confirmed {
    SavePool(PoolEdit),
    User(UserChange),
    Group(GroupChange),
    Client(Box<super::client_change::ClientChange>),
    Domain(Box<super::domain_change::DomainChange>),
    /// A bulk action on the marked users, run as the Users tab's job.
    Bulk(super::bulk_work::Work),
    /// Throw away what was typed.
    Discard,
}

#[derive(Debug)]
pub enum Action {
    Key(KeyEvent),
    /// The terminal's new size.
    Resize {
        width: u16,
        height: u16,
    },
    /// Animates the spinner while work is in flight.
    Tick,
    Command(Command),
    /// Leave (SIGTERM, SIGHUP, the SSH server stopping), restoring the terminal; why.
    Terminate(String),
    Connected(Result<Client, ClientError>),
    PoolsLoaded(Result<Vec<PoolSummary>, ClientError>),
    PoolLoaded {
        id: String,
        result: Result<PoolDescription, ClientError>,
    },
    UsersLoaded {
        request: u64,
        result: Result<UserPage, ClientError>,
    },
    UserLoaded(Result<User, ClientError>),
    UserCreated(Result<User, ClientError>),
    PoolUpdated(Result<PoolDescription, ClientError>),
    UserChanged {
        change: UserChange,
        result: Result<(), ClientError>,
    },
    SignInClients(Result<Vec<AppClient>, ClientError>),
    SignInStep(Result<SignIn, ClientError>),
    /// MFA set-up in try sign-in: the new authenticator's secret, and the session to
    /// verify it with.
    TokenAssociated(Result<(crate::pool::Secret, crate::pool::Secret), ClientError>),
    /// MFA set-up in try sign-in: the authenticator verified; the session MFA_SETUP is
    /// answered with.
    TokenVerified(Result<crate::pool::Secret, ClientError>),
    GroupsLoaded {
        pool_id: String,
        result: Result<crate::pool::group::GroupPage, ClientError>,
    },
    GroupChanged {
        change: GroupChange,
        result: Result<(), ClientError>,
    },
    GroupMembersLoaded {
        group: String,
        result: Result<UserPage, ClientError>,
    },
    UserGroupsLoaded {
        username: String,
        result: Result<Vec<crate::pool::group::Group>, ClientError>,
    },
    /// The messages the store sent one user; None where Cognito keeps none to read.
    UserMessagesLoaded {
        username: String,
        result: Result<Option<Vec<crate::pool::message::SentMessage>>, ClientError>,
    },
    /// A test email went out (the server's answer) or did not (why).
    TestSent {
        to: String,
        result: Result<String, String>,
    },
    /// Something went wrong beside a call (the audit log could not be written, an
    /// effect panicked): said on the status line and logged. `then` is the call's own
    /// result, when it came.
    Failed {
        error: String,
        then: Option<Box<Action>>,
    },
    /// A page of the audit log, for the request that asked for it.
    AuditLoaded {
        request: u64,
        result: Result<Vec<crate::pool::audit::Entry>, ClientError>,
    },
    ImportChecked(Result<super::bulk_work::Checked, String>),
    /// Whether a trigger's function (`function`, its ARN) can be called.
    FunctionChecked {
        function: String,
        result: Result<crate::client::triggers::Reach, ClientError>,
    },
    /// The pool's app clients, for the App clients tab.
    ClientsLoaded {
        pool_id: String,
        result: Result<Vec<crate::pool::AppClient>, ClientError>,
    },
    /// An app client created, saved (as it is after) or deleted (None).
    ClientChanged {
        change: Box<super::client_change::ClientChange>,
        result: Result<Option<crate::pool::AppClient>, ClientError>,
    },
    /// What Cognito answered for a user, group, pool or app client (the raw view).
    RawLoaded {
        of: crate::client::raw::RawOf,
        result: Result<serde_json::Value, ClientError>,
    },
    /// The pool's domain and resource servers (the Domain tab).
    DomainLoaded {
        pool_id: String,
        result: Result<crate::pool::domain::DomainSettings, ClientError>,
    },
    DomainChanged {
        change: Box<super::domain_change::DomainChange>,
        result: Result<(), ClientError>,
    },
    /// What the pool's CustomMessage function wrote for the preview.
    CustomMessageRan(Result<crate::client::triggers::Written, ClientError>),
    BulkDone {
        work: super::bulk_work::Work,
        result: Result<super::bulk_work::Done, String>,
    },
}
