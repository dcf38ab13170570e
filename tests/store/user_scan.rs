//! The console's own filters and orders, run in the local store (`UserQuery::local` and
//! `sort` on the in-process client), page for page agree with the same filters applied
//! to every user by `LocalFilter::matches` and ordered by `Sort::compare`: the rule the
//! console applies to pages from any other target. Small pages carry the tokens across
//! every phase of an order; a token is good for its own query alone.

use crate::common::{Flavor, Harness, kit};

use cognito_console::client::{Client, UserQuery};
use cognito_console::pool::user_filter::{Days, LocalFilter, Pattern, Sort, SortColumn};
use cognito_console::pool::{User, UserStatus, when};
use std::time::Duration;

/// Every user `query` finds, a page of `limit` at a time.
async fn all(client: &Client, pool: &str, mut query: UserQuery, limit: i32) -> Vec<User> {
    query.limit = Some(limit);
    let mut out = Vec::new();
    for _ in 0..10_000 {
        let page = client.list_users(pool, &query).await.expect("a page");
        out.extend(page.users);
        match page.next {
            Some(token) => query.pagination_token = Some(token),
            None => return out,
        }
    }
    panic!("no end to the pages");
}

fn names(users: &[User]) -> Vec<String> {
    users.iter().map(|u| u.username.clone()).collect()
}

/// A pool of users who differ in every way the filters and orders look at.
/// Case-insensitive, as the console's own pools and the AWS console's are: the store
/// orders names by their lower case then, as `Sort::compare` does.
async fn pool(h: &Harness) -> String {
    let pool = h
        .pool_with(|b| {
            b.username_configuration(
                aws_sdk_cognitoidentityprovider::types::UsernameConfigurationType::builder()
                    .case_sensitive(false)
                    .build()
                    .unwrap(),
            )
        })
        .await;
    for i in 0..90 {
        let name = match i % 9 {
            0 => format!("Zed{i:02}"),
            1 => format!("émile{i:02}"),
            _ => format!("user{i:02}"),
        };
        let mut pairs: Vec<(&str, String)> = Vec::new();
        match i % 4 {
            0 => {}
            1 => pairs.push(("email", format!("{name}@Corp.test"))),
            2 => pairs.push(("email", format!("b{i}@example.com"))),
            _ => pairs.push(("email", format!("Q\"uote{i}@example.com"))),
        }
        match (i % 3, i % 4) {
            (0, 1..) => pairs.push(("email_verified", "true".into())),
            (1, _) => pairs.push(("email_verified", "false".into())),
            _ => {}
        }
        if i % 5 == 0 {
            pairs.push(("phone_number_verified", "true".into()));
            pairs.push(("phone_number", format!("+1555000{i:04}")));
        }
        if i % 7 == 0 {
            pairs.push(("name", "Kelvin \u{212A} Straße".into()));
        }
        let pairs: Vec<(&str, &str)> = pairs.iter().map(|(n, v)| (*n, v.as_str())).collect();
        h.client
            .create_user(&pool, &kit::suppressed(&name, &pairs))
            .await
            .expect("create");
        if i % 6 == 0 {
            h.client
                .set_user_enabled(&pool, &name, false)
                .await
                .unwrap();
        }
        if i % 4 == 1 {
            h.client
                .set_user_password(
                    &pool,
                    &name,
                    &cognito_console::pool::Secret::from("Perm#Pass1234"),
                    true,
                )
                .await
                .unwrap();
        }
        // A day apart, every few users.
        if i % 10 == 9 {
            h.advance(Duration::from_secs(86_400));
        }
    }
    pool
}

fn filters(start_day: i64) -> Vec<LocalFilter> {
    let contains = |s: &str| LocalFilter {
        contains: Some(s.into()),
        ..LocalFilter::default()
    };
    vec![
        contains("corp"),
        contains("CORP.TEST"),
        contains("émile"),
        contains("ÉMILE"),
        contains("q\"u"),
        contains("k"),       // the Kelvin sign lowers to k
        contains("STRASSE"), // ß lowers to ß, not ss: none
        contains("straße"),
        contains("email"), // an attribute's name is no value
        LocalFilter {
            regex: Some(Pattern::new(r"^user\d[05]$").unwrap()),
            ..LocalFilter::default()
        },
        LocalFilter {
            status: Some(UserStatus::Confirmed),
            enabled: Some(true),
            ..LocalFilter::default()
        },
        LocalFilter {
            email_verified: Some(false),
            phone_verified: Some(true),
            ..LocalFilter::default()
        },
        LocalFilter {
            created: Days {
                from: Some(start_day + 2),
                before: Some(start_day + 5),
            },
            ..LocalFilter::default()
        },
        LocalFilter {
            contains: Some("user".into()),
            modified: Days {
                from: None,
                before: Some(start_day + 3),
            },
            status: Some(UserStatus::ForceChangePassword),
            ..LocalFilter::default()
        },
        contains("r_0"), // _ is no wildcard here: none
        contains("%"),
    ]
}

#[tokio::test]
async fn the_store_filters_and_sorts_as_the_console_does_page_after_page() {
    let h = Harness::new(Flavor::InProcess).await;
    let pool = pool(&h).await;
    let everyone = all(&h.client, &pool, UserQuery::default(), 60).await;
    assert_eq!(everyone.len(), 90);
    let start_day = when::parse_date("2026-11-22").unwrap();

    for filter in filters(start_day) {
        let want: Vec<User> = everyone
            .iter()
            .filter(|u| filter.matches(u))
            .cloned()
            .collect();
        let query = UserQuery {
            local: filter.clone(),
            ..UserQuery::default()
        };
        let got = all(&h.client, &pool, query, 7).await;
        assert_eq!(names(&got), names(&want), "{filter:?}");
    }
    // A piece of a user's sub is found, as the console finds it in any value.
    let sub = everyone[5].sub().expect("a sub").to_string();
    let piece = LocalFilter {
        contains: Some(sub[9..18].to_uppercase()),
        ..LocalFilter::default()
    };
    let got = all(
        &h.client,
        &pool,
        UserQuery {
            local: piece,
            ..UserQuery::default()
        },
        7,
    )
    .await;
    assert!(
        got.iter().any(|u| u.username == everyone[5].username),
        "{sub}"
    );
    // Some filter must have matched some and not all, or the test proves little.
    let sizes: Vec<usize> = filters(start_day)
        .iter()
        .map(|f| everyone.iter().filter(|u| f.matches(u)).count())
        .collect();
    let none = [6, 8, 14, 15]; // STRASSE, an attribute's name, r_0 and %
    for (i, n) in sizes.iter().enumerate() {
        if none.contains(&i) {
            assert_eq!(*n, 0, "filter {i}: {sizes:?}");
        } else {
            assert!(*n > 0 && *n < 90, "filter {i}: {sizes:?}");
        }
    }

    for column in SortColumn::ALL {
        for descending in [false, true] {
            let sort = Sort { column, descending };
            for filter in [LocalFilter::default(), filters(start_day)[10].clone()] {
                let mut want: Vec<User> = everyone
                    .iter()
                    .filter(|u| filter.matches(u))
                    .cloned()
                    .collect();
                want.sort_by(|a, b| sort.compare(a, b));
                let query = UserQuery {
                    local: filter.clone(),
                    sort: Some(sort),
                    ..UserQuery::default()
                };
                let got = all(&h.client, &pool, query, 7).await;
                assert_eq!(names(&got), names(&want), "{sort:?} {filter:?}");
            }
        }
    }
}

#[tokio::test]
async fn a_server_filter_and_local_filters_together_and_a_token_for_another_query_refused() {
    let h = Harness::new(Flavor::InProcess).await;
    let pool = pool(&h).await;
    let server = cognito_console::pool::filter::Filter::new(
        cognito_console::pool::filter::SearchAttribute::Username,
        cognito_console::pool::filter::FilterOp::StartsWith,
        "user",
    );
    let local = LocalFilter {
        enabled: Some(false),
        ..LocalFilter::default()
    };
    let query = UserQuery {
        filter: Some(server),
        local: local.clone(),
        sort: Some(Sort {
            column: SortColumn::Created,
            descending: true,
        }),
        ..UserQuery::default()
    };
    let got = all(&h.client, &pool, query.clone(), 2).await;
    assert!(!got.is_empty());
    assert!(
        got.iter()
            .all(|u| u.username.starts_with("user") && !u.enabled)
    );
    let first = h
        .client
        .list_users(
            &pool,
            &UserQuery {
                limit: Some(1),
                ..query.clone()
            },
        )
        .await
        .unwrap();
    let other = UserQuery {
        local: LocalFilter::default(),
        sort: query.sort,
        pagination_token: first.next,
        ..UserQuery::default()
    };
    let refused = h.client.list_users(&pool, &other).await.unwrap_err();
    assert!(
        refused.to_string().contains("pagination token"),
        "{refused}"
    );
}

#[tokio::test]
async fn serve_and_moto_filter_the_same_pages_on_the_console_side() {
    for flavor in [Flavor::Serve, Flavor::Moto] {
        let h = Harness::new(flavor).await;
        let pool = h.pool().await;
        for (name, email) in [("ana", "ana@corp.test"), ("bob", "bob@example.com")] {
            h.client
                .create_user(&pool, &kit::suppressed(name, &[("email", email)]))
                .await
                .unwrap();
        }
        let query = UserQuery {
            local: LocalFilter {
                contains: Some("CORP".into()),
                ..LocalFilter::default()
            },
            ..UserQuery::default()
        };
        let page = h.client.list_users(&pool, &query).await.unwrap();
        assert_eq!(names(&page.users), ["ana"], "{flavor:?}");
        assert_eq!(page.scanned, Some(2), "read, then filtered here");
    }
}
