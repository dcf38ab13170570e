//! The audit log's table: entries written as the console signs in, before and after each
//! change it makes, and as it signs out. The console reaches it through the in-process
//! connector; `cognito-console audit` reads it here. Times come from the store's clock.

use rusqlite::{Row, params};

use crate::local::Store;
use crate::local::wire;
use crate::local::wire::error::ApiError;
use crate::pool::audit::{Admin, Change, Entry, Outcome, Query};

/// Most entries one read returns.
pub const MAX_PAGE: usize = 1000;

/// Writes `change` by `admin` in `session` with `outcome` (pending for a change about
/// to be made); its id.
pub fn record(
    store: &Store,
    session: &str,
    admin: &Admin,
    change: &Change,
    outcome: &Outcome,
) -> Result<i64, ApiError> {
    let now = wire::epoch(store.now());
    let details = serde_json::to_string(&change.details)?;
    let finished = (*outcome != Outcome::Pending).then_some(now);
    store.write(|tx| {
        tx.prepare_cached(
            "INSERT INTO audit (at, session, admin, key_fingerprint, origin, read_only, pool_id,
                 username, action, details, outcome, result, finished)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        )?
        .execute(params![
            now,
            session,
            admin.name,
            admin.key_fingerprint,
            admin.origin,
            admin.read_only,
            change.pool_id,
            change.username,
            change.action,
            details,
            outcome.word(),
            outcome.text(),
            finished,
        ])?;
        Ok(tx.last_insert_rowid())
    })
}

/// Records how the change written as entry `id` ended.
pub fn finish(store: &Store, id: i64, outcome: &Outcome) -> Result<(), ApiError> {
    let now = wire::epoch(store.now());
    store.write(|tx| {
        tx.prepare_cached(
            "UPDATE audit SET outcome = ?2, result = ?3, finished = ?4
             WHERE id = ?1 AND outcome = 'pending'",
        )?
        .execute(params![id, outcome.word(), outcome.text(), now])?;
        Ok(())
    })
}

/// Marks every change of `session` still pending as abandoned, saying `why` (the
/// session ended while they ran); how many there were.
pub fn abandon(store: &Store, session: &str, why: &str) -> Result<usize, ApiError> {
    let now = wire::epoch(store.now());
    store.write(|tx| {
        Ok(tx
            .prepare_cached(
                "UPDATE audit SET outcome = 'abandoned', result = ?2, finished = ?3
                 WHERE session = ?1 AND outcome = 'pending'",
            )?
            .execute(params![session, why, now])?)
    })
}

fn entry(r: &Row<'_>) -> rusqlite::Result<Entry> {
    let details: String = r.get(10)?;
    Ok(Entry {
        id: r.get(0)?,
        at: wire::from_epoch(r.get(1)?),
        session: r.get(2)?,
        admin: Admin {
            name: r.get(3)?,
            key_fingerprint: r.get(4)?,
            origin: r.get(5)?,
            read_only: r.get(6)?,
        },
        change: Change {
            pool_id: r.get(7)?,
            username: r.get(8)?,
            action: r.get(9)?,
            // Written by `record` alone; a row edited by hand shows its text as it is.
            details: serde_json::from_str(&details).unwrap_or_else(|_| vec![details]),
        },
        outcome: Outcome::from_parts(&r.get::<_, String>(11)?, r.get(12)?),
        finished: r.get::<_, Option<f64>>(13)?.map(wire::from_epoch),
    })
}

/// The entries `query` selects, newest first, at most `query.limit` (and [`MAX_PAGE`]).
pub fn list(store: &Store, query: &Query) -> Result<Vec<Entry>, ApiError> {
    let limit = query.limit.clamp(1, MAX_PAGE) as i64;
    store.read(|tx| {
        let mut stmt = tx.prepare_cached(
            "SELECT id, at, session, admin, key_fingerprint, origin, read_only, pool_id,
                 username, action, details, outcome, result, finished
             FROM audit
             WHERE (?1 IS NULL OR admin = ?1) AND (?2 IS NULL OR pool_id = ?2)
               AND (?3 IS NULL OR username = ?3) AND (?4 IS NULL OR id < ?4)
             ORDER BY id DESC LIMIT ?5",
        )?;
        let rows = stmt
            .query_map(
                params![
                    query.admin,
                    query.pool_id,
                    query.username,
                    query.before,
                    limit
                ],
                entry,
            )?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ana() -> Admin {
        Admin {
            name: "ana".into(),
            key_fingerprint: Some("SHA256:abc".into()),
            origin: "ssh 127.0.0.1:50000".into(),
            read_only: false,
        }
    }

    #[test]
    fn a_change_is_pending_until_its_outcome_is_written() {
        let store = Store::open_in_memory().unwrap();
        let change = Change::new("create user")
            .in_pool("local_demo")
            .of_user("jane")
            .detail("email: jane@example.com");
        let id = record(&store, "s1", &ana(), &change, &Outcome::Pending).unwrap();
        let q = Query {
            limit: 10,
            ..Query::default()
        };
        let [e] = list(&store, &q).unwrap().try_into().unwrap();
        assert_eq!(
            (e.id, &e.change, &e.outcome),
            (id, &change, &Outcome::Pending)
        );
        assert_eq!(e.admin, ana());
        assert!(e.finished.is_none());
        finish(&store, id, &Outcome::Done("FORCE_CHANGE_PASSWORD".into())).unwrap();
        // An outcome is written once: a late second answer changes nothing.
        finish(&store, id, &Outcome::Refused("late".into())).unwrap();
        let [e] = list(&store, &q).unwrap().try_into().unwrap();
        assert_eq!(e.outcome, Outcome::Done("FORCE_CHANGE_PASSWORD".into()));
        assert!(e.finished.is_some());
    }

    #[test]
    fn a_session_that_ends_abandons_only_its_own_pending_changes() {
        let store = Store::open_in_memory().unwrap();
        let change = Change::new("delete user").in_pool("p").of_user("bob");
        let mine = record(&store, "s1", &ana(), &change, &Outcome::Pending).unwrap();
        let theirs = record(&store, "s2", &ana(), &change, &Outcome::Pending).unwrap();
        assert_eq!(abandon(&store, "s1", "the connection closed").unwrap(), 1);
        let all = list(
            &store,
            &Query {
                limit: 10,
                ..Query::default()
            },
        )
        .unwrap();
        let outcome = |id| all.iter().find(|e| e.id == id).unwrap().outcome.clone();
        assert_eq!(
            outcome(mine),
            Outcome::Abandoned("the connection closed".into())
        );
        assert_eq!(outcome(theirs), Outcome::Pending);
    }

    #[test]
    fn entries_are_read_newest_first_by_admin_pool_user_and_page() {
        let store = Store::open_in_memory().unwrap();
        let mut bob = ana();
        bob.name = "bob".into();
        for (admin, user) in [(&ana(), "u1"), (&bob, "u2"), (&ana(), "u2"), (&ana(), "u3")] {
            let change = Change::new("disable user").in_pool("p").of_user(user);
            record(&store, "s", admin, &change, &Outcome::Done(String::new())).unwrap();
        }
        let users = |q: Query| -> Vec<String> {
            list(&store, &Query { limit: 10, ..q })
                .unwrap()
                .into_iter()
                .map(|e| e.change.username.unwrap())
                .collect()
        };
        assert_eq!(users(Query::default()), ["u3", "u2", "u2", "u1"]);
        let by_ana = Query {
            admin: Some("ana".into()),
            ..Query::default()
        };
        assert_eq!(users(by_ana.clone()), ["u3", "u2", "u1"]);
        let u2 = Query {
            pool_id: Some("p".into()),
            username: Some("u2".into()),
            ..Query::default()
        };
        assert_eq!(users(u2), ["u2", "u2"]);
        let newest = list(
            &store,
            &Query {
                limit: 1,
                ..by_ana.clone()
            },
        )
        .unwrap();
        let older = Query {
            before: Some(newest[0].id),
            ..by_ana
        };
        assert_eq!(users(older), ["u2", "u1"]);
    }
}
