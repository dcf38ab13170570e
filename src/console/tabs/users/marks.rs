//! The users marked for a bulk action, by username, with each as they were when marked
//! (a bulk action's preview says who is skipped and why from that). Marks outlive a
//! search, a sort and a refresh; they go with the pool, or when cleared. A user a bulk
//! action has done is unmarked; one it failed or never reached stays marked, so doing
//! it again does only what is left.

use std::collections::BTreeMap;

pub use crate::console::bulk_work::MAX_MARKS;
use crate::pool::User;

#[derive(Debug, Default)]
pub struct Marks {
    users: BTreeMap<String, User>,
}

impl Marks {
    pub fn len(&self) -> usize {
        self.users.len()
    }

    pub fn is_empty(&self) -> bool {
        self.users.is_empty()
    }

    pub fn contains(&self, username: &str) -> bool {
        self.users.contains_key(username)
    }

    /// Marks `user`, or unmarks them if they were; whether they are marked now. A mark
    /// past [`MAX_MARKS`] is refused (false).
    pub fn toggle(&mut self, user: &User) -> bool {
        if self.users.remove(&user.username).is_some() {
            return false;
        }
        if self.users.len() >= MAX_MARKS {
            return false;
        }
        self.users.insert(user.username.clone(), user.clone());
        true
    }

    /// Marks each of `users` not marked yet, up to [`MAX_MARKS`]; how many were added.
    pub fn add(&mut self, users: impl IntoIterator<Item = User>) -> usize {
        let mut added = 0;
        for user in users {
            if self.users.len() >= MAX_MARKS {
                break;
            }
            if !self.users.contains_key(&user.username) {
                self.users.insert(user.username.clone(), user);
                added += 1;
            }
        }
        added
    }

    pub fn remove<'a>(&mut self, usernames: impl IntoIterator<Item = &'a String>) {
        for name in usernames {
            self.users.remove(name);
        }
    }

    pub fn clear(&mut self) {
        self.users.clear();
    }

    /// The marked users, by username.
    pub fn users(&self) -> Vec<User> {
        self.users.values().cloned().collect()
    }

    /// A marked user seen again (a page loaded, a change made): their mark keeps the
    /// user as they are now.
    pub fn refresh(&mut self, user: &User) {
        if let Some(u) = self.users.get_mut(&user.username) {
            *u = user.clone();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(name: &str) -> User {
        User {
            username: name.into(),
            attributes: Vec::new(),
            created: None,
            last_modified: None,
            enabled: true,
            status: None,
            mfa: None,
        }
    }

    #[test]
    fn marks_toggle_and_never_repeat() {
        let mut m = Marks::default();
        assert!(m.toggle(&user("a")));
        assert!(!m.toggle(&user("a")), "a second time unmarks");
        assert!(m.is_empty());
        assert_eq!(m.add([user("a"), user("b"), user("a")]), 2);
        assert_eq!(m.len(), 2);
        m.remove([&"a".to_string()]);
        assert!(!m.contains("a") && m.contains("b"));
    }

    #[test]
    fn there_is_a_ceiling() {
        let mut m = Marks::default();
        let added = m.add((0..MAX_MARKS + 5).map(|i| user(&format!("u{i}"))));
        assert_eq!(added, MAX_MARKS);
        assert!(!m.toggle(&user("one more")));
    }
}
