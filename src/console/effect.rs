//! Slow work, described by `update` and run off the UI task. [`execute`] is shared by
//! the real worker and the headless test driver, so tests exercise the same calls.

use std::time::Duration;

use super::action::{Action, GroupChange, PoolEdit, UserChange};
use super::bulk_work::{self, Work};
use crate::bulk::Format;
use crate::bulk::progress::Tally;
use crate::client::{self, Client, ClientError, ErrorKind, SignInClient, Target, UserQuery};
use crate::pool::mfa::Factor;
use crate::pool::{Attribute, NewUser, Secret};

/// A call that has not answered by then is reported as timed out; the UI never waits.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Debug, Clone)]
pub enum Effect {
    /// The target, and where its pools' Lambda functions are called.
    Connect(Target, Option<String>),
    ListPools(Client),
    DescribePool(Client, String),
    ListUsers {
        client: Client,
        request: u64,
        pool_id: String,
        query: UserQuery,
    },
    GetUser(Client, String, String),
    CreateUser(Client, String, Box<NewUser>),
    /// The pool's app clients, each described (the App clients tab).
    ListClients(Client, String),
    ChangeClient(Client, String, Box<super::client_change::ClientChange>),
    /// The pool's domain and resource servers (the Domain tab).
    LoadDomain(Client, String),
    /// What Cognito answers for a user, group, pool or app client, as it wrote it.
    Raw(Client, String, crate::client::raw::RawOf),
    ChangeDomain(Client, String, Box<super::domain_change::DomainChange>),
    /// Whether a trigger's function can be called (its ARN).
    CheckFunction(Client, String),
    /// The pool's CustomMessage function, run for a sample user (the preview).
    RunCustomMessage {
        client: Client,
        pool_id: String,
        function: String,
        source: crate::pool::triggers::MessageSource,
        username: String,
        attributes: Vec<Attribute>,
    },
    UpdatePool(Client, String, PoolEdit),
    ChangeUser(Client, String, UserChange),
    /// The pool's app clients, to find one that allows an admin sign-in.
    SignInClients(Client, String),
    /// One page of the pool's groups.
    ListGroups {
        client: Client,
        pool_id: String,
        next: Option<String>,
    },
    ChangeGroup(Client, String, GroupChange),
    /// One page of a group's members.
    GroupMembers {
        client: Client,
        pool_id: String,
        group: String,
        next: Option<String>,
    },
    /// Every group of one user (that user only: never one call per row).
    UserGroups(Client, String, String),
    /// The messages the store sent one user.
    UserMessages(Client, String, String),
    /// A test email, through the console's relay.
    SendTest(crate::mail::Relay, Box<crate::mail::Mail>),
    /// An import file read and checked against the pool.
    CheckImport {
        client: Client,
        pool_id: String,
        path: std::path::PathBuf,
        format: Format,
        /// For Cognito's import job, whose rows need a verified address.
        job: bool,
    },
    /// A job of the Users tab, its progress counted in `tally`. A bulk action on marked
    /// users writes each user's change in the audit log (`auditor`, set by the app).
    Bulk {
        client: Client,
        pool_id: String,
        work: Work,
        tally: std::sync::Arc<Tally>,
        auditor: Option<crate::client::Auditor>,
    },
    /// The same work again after a pause (a throttled call).
    Later(Duration, Box<Effect>),
    /// A change, written in the audit log before it is made and its outcome after.
    Audited {
        auditor: crate::client::Auditor,
        change: crate::pool::audit::Change,
        effect: Box<Effect>,
    },
    /// A page of the audit log.
    ReadAudit {
        log: crate::client::AuditLog,
        request: u64,
        query: crate::pool::audit::Query,
    },
    SignIn {
        client: Client,
        app: SignInClient,
        username: String,
        password: Secret,
    },
    NewPassword {
        client: Client,
        app: SignInClient,
        username: String,
        session: Secret,
        password: Secret,
        attributes: Vec<Attribute>,
    },
    /// A step of a sign-in's MFA, in try sign-in.
    SignInMfa {
        client: Client,
        app: SignInClient,
        username: String,
        step: MfaStep,
    },
}

/// What try sign-in answers an MFA challenge with.
#[derive(Debug, Clone)]
pub enum MfaStep {
    /// The code of SMS_MFA, EMAIL_OTP or SOFTWARE_TOKEN_MFA.
    Answer {
        session: Secret,
        factor: Factor,
        code: Secret,
    },
    /// SELECT_MFA_TYPE's choice.
    Select { session: Secret, factor: Factor },
    /// MFA_SETUP: a secret for a new authenticator.
    Associate { session: Secret },
    /// MFA_SETUP: a code of the new secret, and the device's name.
    Verify {
        session: Secret,
        code: Secret,
        device: String,
    },
    /// MFA_SETUP answered with the verified authenticator's session.
    Finish { session: Secret },
}

impl Effect {
    /// Long work with its own progress on screen, not a call for the spinner.
    pub fn background(&self) -> bool {
        match self {
            Self::Audited { effect, .. } => effect.background(),
            other => matches!(other, Self::Bulk { .. }),
        }
    }

    /// What the status line says while it runs.
    pub fn describe(&self) -> &'static str {
        match self {
            Self::Connect(..) => "connecting",
            Self::ListPools(_) => "listing pools",
            Self::DescribePool(..) => "loading the pool",
            Self::ListUsers { .. } => "loading users",
            Self::GetUser(..) => "loading the user",
            Self::CreateUser(..) => "creating the user",
            Self::UpdatePool(..) => "saving the pool",
            Self::ChangeUser(..) => "changing the user",
            Self::SignInClients(..) => "finding an app client",
            Self::Later(_, _) => "throttled, retrying",
            Self::Audited { effect, .. } => effect.describe(),
            Self::ReadAudit { .. } => "reading the audit log",
            Self::SignIn { .. } => "signing in",
            Self::NewPassword { .. } => "setting the new password",
            Self::SignInMfa { step, .. } => match step {
                MfaStep::Answer { .. } => "checking the code",
                MfaStep::Select { .. } => "choosing the MFA method",
                MfaStep::Associate { .. } => "asking for a new authenticator secret",
                MfaStep::Verify { .. } => "verifying the authenticator",
                MfaStep::Finish { .. } => "finishing MFA set-up",
            },
            Self::ListGroups { .. } => "loading groups",
            Self::ChangeGroup(..) => "changing groups",
            Self::CheckFunction(..) => "calling the trigger's function",
            Self::ListClients(..) => "loading app clients",
            Self::ChangeClient(..) => "changing the app client",
            Self::LoadDomain(..) => "loading the domain",
            Self::Raw(..) => "asking for the JSON",
            Self::ChangeDomain(..) => "changing the domain",
            Self::RunCustomMessage { .. } => "running the CustomMessage function",
            Self::GroupMembers { .. } => "loading members",
            Self::UserGroups(..) => "loading the user's groups",
            Self::UserMessages(..) => "reading the user's messages",
            Self::SendTest(..) => "sending a test email",
            Self::CheckImport { .. } => "checking the file",
            Self::Bulk {
                work: Work::Export { .. },
                ..
            } => "exporting users",
            Self::Bulk {
                work: Work::Mark { .. },
                ..
            } => "marking users",
            Self::Bulk {
                work: Work::Users(_),
                ..
            } => "changing the marked users",
            Self::Bulk { .. } => "importing users",
        }
    }
}

/// A boxed future that answers an action.
type BoxFuture<T> = std::pin::Pin<Box<dyn Future<Output = T> + Send>>;

async fn timed<T>(f: impl Future<Output = Result<T, ClientError>>) -> Result<T, ClientError> {
    match tokio::time::timeout(CALL_TIMEOUT, f).await {
        Ok(result) => result,
        Err(_) => Err(ClientError::new(
            ErrorKind::Timeout,
            format!(
                "no answer after {} s; the call was abandoned",
                CALL_TIMEOUT.as_secs()
            ),
        )),
    }
}

/// Runs an effect to its action. The call's future lives on the heap (`run`): an SDK
/// call's state is large, and a caller that awaits several kinds of effect would
/// otherwise carry them all inline.
///
/// A change is written in the audit log first, and its outcome after; when it cannot be
/// written down the change is not made. (The wrapping is undone here rather than in
/// `run`, so that a debug build's stack holds one `run` at a time.)
pub async fn execute(effect: Effect) -> Action {
    let Effect::Audited {
        auditor,
        change,
        effect,
    } = effect
    else {
        return run(effect).await;
    };
    let pending = match auditor.begin(&change).await {
        Ok(pending) => pending,
        Err(e) => return super::audited::refused(*effect, e),
    };
    let action = run(*effect).await;
    match auditor
        .finish(pending, super::audited::outcome(&action))
        .await
    {
        Ok(()) => action,
        Err(e) => Action::Failed {
            error: format!("{e}: its entry for this change still says pending"),
            then: Some(Box::new(action)),
        },
    }
}

/// The work of `effect`, as a future on the heap. Each arm is its own future: in a
/// debug build one poll function holding every arm's SDK call took more than a test
/// thread's 2 MiB of stack between them.
fn run(effect: Effect) -> BoxFuture<Action> {
    match effect {
        Effect::Later(pause, effect) => Box::pin(async move {
            tokio::time::sleep(pause).await;
            execute(*effect).await
        }),
        // Wrapped by `execute`, never nested in another effect.
        audited @ Effect::Audited { .. } => Box::pin(execute(audited)),
        Effect::ReadAudit {
            log,
            request,
            query,
        } => Box::pin(async move {
            Action::AuditLoaded {
                request,
                result: timed(log.list(query)).await,
            }
        }),
        Effect::CheckImport {
            client,
            pool_id,
            path,
            format,
            job,
        } => Box::pin(async move {
            Action::ImportChecked(bulk_work::check(&client, &pool_id, path, format, job).await)
        }),
        Effect::Bulk {
            client,
            pool_id,
            work: Work::Users(job),
            tally,
            auditor,
        } => Box::pin(async move {
            // Each change as one user's: written down first, made, its outcome after.
            let make: bulk_work::MakeOne = Box::new(move |change| {
                let effect = Effect::ChangeUser(client.clone(), pool_id.clone(), change.clone());
                let effect = match &auditor {
                    Some(auditor) => Effect::Audited {
                        auditor: auditor.clone(),
                        change: change.audit().in_pool(&pool_id),
                        effect: Box::new(effect),
                    },
                    None => effect,
                };
                Box::pin(async move {
                    match execute(effect).await {
                        Action::UserChanged { result, .. } => result,
                        // Made, but its outcome could not be written down: made all the
                        // same (doing it again would do it twice); the log says so.
                        Action::Failed {
                            error,
                            then: Some(inner),
                        } => match *inner {
                            Action::UserChanged { result, .. } => {
                                tracing::warn!(%error, "a bulk change's outcome is unwritten");
                                result
                            }
                            _ => Err(ClientError::new(ErrorKind::Other, error)),
                        },
                        Action::Failed { error, .. } => {
                            Err(ClientError::new(ErrorKind::Other, error))
                        }
                        other => Err(ClientError::new(
                            ErrorKind::Other,
                            format!("unexpected answer {other:?}"),
                        )),
                    }
                })
            });
            let done = bulk_work::run_users(&job, tally, make).await;
            Action::BulkDone {
                result: Ok(bulk_work::Done::Users(done)),
                work: Work::Users(job),
            }
        }),
        Effect::Bulk {
            client,
            pool_id,
            work,
            tally,
            ..
        } => Box::pin(async move {
            Action::BulkDone {
                result: bulk_work::run(&client, &pool_id, &work, tally).await,
                work,
            }
        }),
        Effect::Connect(target, lambda) => {
            Box::pin(
                async move { Action::Connected(timed(client::connect_with(target, lambda)).await) },
            )
        }
        Effect::ListPools(c) => {
            Box::pin(async move { Action::PoolsLoaded(timed(c.list_pools()).await) })
        }
        Effect::DescribePool(c, id) => Box::pin(async move {
            let result = timed(c.describe_pool(&id)).await;
            Action::PoolLoaded { id, result }
        }),
        Effect::ListUsers {
            client,
            request,
            pool_id,
            query,
        } => Box::pin(async move {
            Action::UsersLoaded {
                request,
                result: timed(client.list_users(&pool_id, &query)).await,
            }
        }),
        Effect::GetUser(c, pool_id, username) => {
            Box::pin(
                async move { Action::UserLoaded(timed(c.get_user(&pool_id, &username)).await) },
            )
        }
        Effect::CreateUser(c, pool_id, user) => {
            Box::pin(
                async move { Action::UserCreated(timed(c.create_user(&pool_id, &user)).await) },
            )
        }
        Effect::ChangeUser(c, pool_id, change) => Box::pin(async move {
            Action::UserChanged {
                result: timed(change.call(&c, &pool_id)).await,
                change,
            }
        }),
        Effect::ListGroups {
            client,
            pool_id,
            next,
        } => Box::pin(async move {
            Action::GroupsLoaded {
                result: timed(client.list_groups(&pool_id, next)).await,
                pool_id,
            }
        }),
        Effect::ChangeGroup(c, pool_id, change) => Box::pin(async move {
            let result = match &change {
                GroupChange::Save {
                    group,
                    create: true,
                } => timed(c.create_group(&pool_id, group)).await.map(|_| ()),
                GroupChange::Save { group, .. } => {
                    timed(c.update_group(&pool_id, group)).await.map(|_| ())
                }
                GroupChange::Delete { name } => timed(c.delete_group(&pool_id, name)).await,
                GroupChange::Membership {
                    username,
                    group,
                    add,
                } => timed(c.set_membership(&pool_id, username, group, *add)).await,
            };
            Action::GroupChanged { change, result }
        }),
        Effect::GroupMembers {
            client,
            pool_id,
            group,
            next,
        } => Box::pin(async move {
            Action::GroupMembersLoaded {
                result: timed(client.users_in_group(&pool_id, &group, next)).await,
                group,
            }
        }),
        Effect::UserGroups(c, pool_id, username) => Box::pin(async move {
            Action::UserGroupsLoaded {
                result: timed(async {
                    let mut all = Vec::new();
                    let mut next = None;
                    loop {
                        let page = c.groups_for_user(&pool_id, &username, next).await?;
                        all.extend(page.groups);
                        next = page.next;
                        if next.is_none() {
                            return Ok(all);
                        }
                    }
                })
                .await,
                username,
            }
        }),
        Effect::UserMessages(c, pool_id, username) => Box::pin(async move {
            Action::UserMessagesLoaded {
                result: timed(c.sent_messages(&pool_id, &username)).await,
                username,
            }
        }),
        Effect::SendTest(relay, mail) => Box::pin(async move {
            Action::TestSent {
                // The relay cuts off its own exchange after its timeout.
                result: relay.send(&mail).await.map_err(|e| e.to_string()),
                to: mail.to,
            }
        }),
        Effect::SignInClients(c, pool_id) => {
            Box::pin(
                async move { Action::SignInClients(timed(c.list_app_clients(&pool_id)).await) },
            )
        }
        Effect::SignIn {
            client,
            app,
            username,
            password,
        } => Box::pin(async move {
            Action::SignInStep(timed(client.admin_sign_in(&app, &username, &password)).await)
        }),
        Effect::NewPassword {
            client,
            app,
            username,
            session,
            password,
            attributes,
        } => Box::pin(async move {
            Action::SignInStep(
                timed(client.admin_set_new_password(
                    &app,
                    &username,
                    &session,
                    &password,
                    &attributes,
                ))
                .await,
            )
        }),
        Effect::SignInMfa {
            client,
            app,
            username,
            step,
        } => Box::pin(async move {
            match step {
                MfaStep::Answer {
                    session,
                    factor,
                    code,
                } => Action::SignInStep(
                    timed(client.admin_answer_mfa(&app, &username, &session, factor, &code)).await,
                ),
                MfaStep::Select { session, factor } => Action::SignInStep(
                    timed(client.admin_select_mfa(&app, &username, &session, factor)).await,
                ),
                MfaStep::Associate { session } => {
                    Action::TokenAssociated(timed(client.associate_software_token(&session)).await)
                }
                MfaStep::Verify {
                    session,
                    code,
                    device,
                } => Action::TokenVerified(
                    timed(client.verify_software_token(&session, &code, &device)).await,
                ),
                MfaStep::Finish { session } => Action::SignInStep(
                    timed(client.admin_finish_mfa_setup(&app, &username, &session)).await,
                ),
            }
        }),
        Effect::ListClients(c, pool_id) => Box::pin(async move {
            Action::ClientsLoaded {
                result: timed(Box::pin(c.list_app_clients(&pool_id))).await,
                pool_id,
            }
        }),
        Effect::Raw(c, pool_id, of) => Box::pin(async move {
            Action::RawLoaded {
                result: timed(c.raw(&pool_id, &of)).await,
                of,
            }
        }),
        Effect::LoadDomain(c, pool_id) => Box::pin(async move {
            Action::DomainLoaded {
                result: timed(Box::pin(c.domain_settings(&pool_id))).await,
                pool_id,
            }
        }),
        Effect::ChangeDomain(c, pool_id, change) => Box::pin(async move {
            Action::DomainChanged {
                result: timed(Box::pin(change.run(&c, &pool_id))).await,
                change,
            }
        }),
        Effect::ChangeClient(c, pool_id, change) => Box::pin(async move {
            Action::ClientChanged {
                result: timed(Box::pin(change.run(&c, &pool_id))).await,
                change,
            }
        }),
        // Lambda's futures are large: on the heap, so that `run` stays small.
        Effect::CheckFunction(c, function) => Box::pin(async move {
            Action::FunctionChecked {
                result: timed(Box::pin(c.check_function(&function))).await,
                function,
            }
        }),
        Effect::RunCustomMessage {
            client,
            pool_id,
            function,
            source,
            username,
            attributes,
        } => Box::pin(async move {
            Action::CustomMessageRan(
                timed(Box::pin(client.run_custom_message(
                    &pool_id,
                    &function,
                    source,
                    &username,
                    &attributes,
                )))
                .await,
            )
        }),
        Effect::UpdatePool(c, pool_id, PoolEdit::CustomAttribute(attribute)) => {
            Box::pin(async move {
                Action::PoolUpdated(timed(c.add_custom_attribute(&pool_id, &attribute)).await)
            })
        }
        Effect::UpdatePool(c, pool_id, edit) => Box::pin(async move {
            Action::PoolUpdated(timed(c.update_pool(&pool_id, |config| edit.apply(config))).await)
        }),
    }
}
