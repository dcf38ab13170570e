//! The demo pool a fresh store starts with, so a newcomer sees real data: about fifty
//! users from `assets/demo-users.json`, created through the same API as everything else.

use rusqlite::params;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::local::Store;
use crate::local::ops::Context;
use crate::local::wire::api::call;
use crate::local::wire::error::ApiError;

const DEMO: &str = include_str!("../../../assets/demo-users.json");

#[derive(Deserialize)]
struct Demo {
    pool_name: String,
    users: Vec<DemoUser>,
}

#[derive(Deserialize)]
struct DemoUser {
    username: String,
    given_name: String,
    family_name: String,
    name: String,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    email_verified: bool,
    #[serde(default)]
    phone_number: Option<String>,
    #[serde(default)]
    phone_number_verified: bool,
    department: String,
    #[serde(default)]
    status: Option<String>,
    #[serde(default = "yes")]
    enabled: bool,
}

fn yes() -> bool {
    true
}

/// Creates the demo pool if the store has no pool at all. Returns its id when created.
/// Several processes starting on a new database at once make one demo pool between them.
pub fn ensure_demo_pool(store: &Store) -> Result<Option<String>, ApiError> {
    let seeded = store.exclusive(|| {
        let pools: i64 = store
            .read(|tx| Ok(tx.query_row("SELECT count(*) FROM user_pools", [], |r| r.get(0))?))?;
        if pools > 0 {
            return Ok(None);
        }
        create_demo_pool(store).map(Some)
    });
    seeded.map_err(|e| {
        ApiError::new(
            crate::local::wire::error::ErrorCode::InternalError,
            e.to_string(),
        )
    })?
}

pub fn create_demo_pool(store: &Store) -> Result<String, ApiError> {
    let demo: Demo = serde_json::from_str(DEMO)?;
    let ctx = Context::default();
    let created = call(
        store,
        &ctx,
        "CreateUserPool",
        &json!({
            "PoolName": demo.pool_name,
            "AliasAttributes": ["email", "phone_number"],
            "AutoVerifiedAttributes": ["email"],
            "Schema": [{
                "Name": "department",
                "AttributeDataType": "String",
                "Mutable": true,
                "StringAttributeConstraints": {"MinLength": "0", "MaxLength": "64"}
            }],
            "AdminCreateUserConfig": {
                "AllowAdminCreateUserOnly": true,
                "InviteMessageTemplate": {
                    "EmailSubject": "Welcome to the demo pool",
                    "EmailMessage": "Hello {username},\n\nYour account is ready. Sign in with the temporary password {####} and choose your own.\n\nThe admin team",
                    "SMSMessage": "Hi {username}, your temporary password is {####}"
                }
            }
        }),
    )?;
    let pool_id = created["UserPool"]["Id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    for u in demo.users {
        let mut attributes = vec![
            json!({"Name": "given_name", "Value": u.given_name}),
            json!({"Name": "family_name", "Value": u.family_name}),
            json!({"Name": "name", "Value": u.name}),
            json!({"Name": "custom:department", "Value": u.department}),
        ];
        if let Some(email) = &u.email {
            attributes.push(json!({"Name": "email", "Value": email}));
            attributes
                .push(json!({"Name": "email_verified", "Value": u.email_verified.to_string()}));
        }
        if let Some(phone) = &u.phone_number {
            attributes.push(json!({"Name": "phone_number", "Value": phone}));
            attributes.push(json!({"Name": "phone_number_verified", "Value": u.phone_number_verified.to_string()}));
        }
        call(
            store,
            &ctx,
            "AdminCreateUser",
            &json!({
                "UserPoolId": pool_id,
                "Username": u.username,
                "UserAttributes": Value::Array(attributes),
                "MessageAction": "SUPPRESS",
            }),
        )?;
        if !u.enabled {
            call(
                store,
                &ctx,
                "AdminDisableUser",
                &json!({"UserPoolId": pool_id, "Username": u.username}),
            )?;
        }
        if let Some(status) = &u.status {
            // Demo users who "have signed in": nobody knows their password, which is fine.
            store.write(|tx| {
                tx.execute(
                    "UPDATE users SET status = ?3, temporary_password_expires = NULL
                     WHERE pool_id = ?1 AND username_key = ?2",
                    params![pool_id, u.username, status],
                )?;
                Ok(())
            })?;
        }
    }
    // A few groups, as an organisation would have them: roles by precedence.
    for (name, description, precedence, role, members) in [
        (
            "admins",
            "Full access to the admin tools",
            Some(0),
            Some("arn:aws:iam::123456789012:role/demo-admins"),
            &["ana.nakamura", "mei.chen"][..],
        ),
        (
            "support",
            "Answers customers; can reset passwords",
            Some(10),
            Some("arn:aws:iam::123456789012:role/demo-support"),
            &["mei.chen", "sven.silva", "aiko.tanaka"][..],
        ),
        (
            "beta-testers",
            "Early access to new features",
            None,
            None,
            &["zoe.nakamura", "liam.moreau"][..],
        ),
    ] {
        let mut group = json!({
            "UserPoolId": pool_id,
            "GroupName": name,
            "Description": description,
        });
        if let Some(p) = precedence {
            group["Precedence"] = json!(p);
        }
        if let Some(r) = role {
            group["RoleArn"] = json!(r);
        }
        call(store, &ctx, "CreateGroup", &group)?;
        for member in members {
            call(
                store,
                &ctx,
                "AdminAddUserToGroup",
                &json!({"UserPoolId": pool_id, "Username": member, "GroupName": name}),
            )?;
        }
    }
    // An app client that lets the console's "try sign-in" (and any SRP client) in.
    call(
        store,
        &ctx,
        "CreateUserPoolClient",
        &json!({
            "UserPoolId": pool_id,
            "ClientName": "demo-app",
            "ExplicitAuthFlows": [
                "ALLOW_ADMIN_USER_PASSWORD_AUTH",
                "ALLOW_USER_SRP_AUTH",
                "ALLOW_USER_PASSWORD_AUTH",
                "ALLOW_REFRESH_TOKEN_AUTH"
            ],
        }),
    )?;
    tracing::info!(pool_id = %pool_id, "created the demo pool");
    Ok(pool_id)
}

/// Adds users `first..first + n` to a pool straight into the database, for benchmarks
/// and scale tests: `user0000042` with an email, an E.164 phone number, a given name and
/// a random sub, FORCE_CHANGE_PASSWORD, all sharing one verifier (of "Synthetic-1";
/// the 3072-bit power per user is what AdminCreateUser's throughput measures, not this).
/// One transaction per 10,000 users.
pub fn synthetic_users(
    store: &Store,
    pool_id: &str,
    first: usize,
    n: usize,
) -> Result<(), ApiError> {
    use crate::pool::{Attribute, Secret, UserStatus};
    let settings = store.read(|tx| Ok(crate::local::db::pools::load(tx, pool_id)?.settings))?;
    let verifier =
        crate::local::sign_in::srp::new_verifier(pool_id, "synthetic", &Secret::new("Synthetic-1"));
    let now = crate::local::wire::epoch(store.now());
    let mut i = first;
    while i < first + n {
        let end = (i + 10_000).min(first + n);
        store.write(|tx| {
            for j in i..end {
                let username = format!("user{j:07}");
                let record = crate::local::db::users::UserRecord {
                    username: username.clone(),
                    sub: uuid::Uuid::new_v4().to_string(),
                    status: UserStatus::ForceChangePassword,
                    enabled: true,
                    created: now,
                    modified: now,
                    attributes: vec![
                        Attribute::new("email", format!("{username}@example.com")),
                        Attribute::new("phone_number", format!("+1555{j:07}")),
                        Attribute::new("given_name", format!("Given{}", j % 997)),
                    ],
                    temporary_password_expires: None,
                };
                let key = crate::local::db::users::username_key(&settings, &username);
                crate::local::db::users::insert_uncounted(tx, pool_id, &key, &record, &verifier)?;
            }
            crate::local::db::users::count_new(tx, pool_id, (end - i) as i64)
        })?;
        i = end;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_store_gets_one_demo_pool() {
        let store = Store::open_in_memory().unwrap();
        let id = ensure_demo_pool(&store).unwrap().unwrap();
        assert_eq!(ensure_demo_pool(&store).unwrap(), None, "only once");
        let d = call(
            &store,
            &Context::default(),
            "DescribeUserPool",
            &json!({"UserPoolId": id}),
        )
        .unwrap();
        assert_eq!(d["UserPool"]["EstimatedNumberOfUsers"], 50);
        let statuses: Vec<String> = store
            .read(|tx| {
                let mut stmt = tx.prepare("SELECT DISTINCT status FROM users ORDER BY status")?;
                let rows = stmt
                    .query_map([], |r| r.get(0))?
                    .collect::<Result<_, _>>()?;
                Ok(rows)
            })
            .unwrap();
        assert_eq!(
            statuses,
            ["CONFIRMED", "FORCE_CHANGE_PASSWORD", "UNCONFIRMED"],
            "the demo shows users who signed in, who were invited, and who signed up"
        );
    }
}
