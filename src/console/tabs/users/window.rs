//! The Users tab's window onto the pool. It keeps a few dozen pages around the cursor,
//! asks for the next (or previous) one as the cursor nears an edge, and lets pages far
//! from the cursor go: memory stays flat however far one scrolls. Every page's
//! pagination token is remembered, so a page that was let go is fetched again with the
//! token that fetched it the first time.

use crate::client::UserQuery;
use crate::pool::User;
use crate::pool::filter::Filter;
use crate::pool::user_filter::{LocalFilter, Sort};

/// Ask for the next page when the cursor is this close to the last loaded row.
pub const PREFETCH: usize = 20;
pub const PAGE: i32 = 60;
/// Rows kept in memory; beyond this, whole pages far from the cursor are let go.
pub const WINDOW: usize = 40 * PAGE as usize;

/// A page as it was first fetched: where it starts among all rows, how many rows it
/// holds, and the token that fetched it (none for the first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageMark {
    pub start: usize,
    pub len: usize,
    pub token: Option<String>,
}

/// Which page a request in flight is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fetch {
    /// The page after every page seen so far.
    Frontier,
    /// A page seen before and let go: `pages[i]`, going after (or before) the window.
    Again { page: usize, before: bool },
}

#[derive(Debug, Default)]
pub struct UsersTab {
    /// The loaded window: row `i` is the pool's row `base + i` in ListUsers order.
    pub rows: Vec<User>,
    pub base: usize,
    /// The cursor and the first row on screen, as positions among all rows.
    pub selected: usize,
    pub offset: usize,
    /// ListUsers' own filter.
    pub filter: Option<Filter>,
    /// The filters applied here (or in the local store) to what ListUsers returns.
    pub local: LocalFilter,
    /// The order asked for, and whether the console sorts what it has loaded (a target
    /// other than the local store, where ListUsers has no order) rather than the store
    /// sorting the whole pool.
    pub sort: Option<Sort>,
    pub sorted_here: bool,
    /// Users read so far to find the rows shown, when local filters thin the pages.
    pub scanned: u64,
    /// `esc` stopped a local filter's scan; moving down goes on with it.
    pub paused: bool,
    /// The users marked for a bulk action.
    pub marks: super::marks::Marks,
    /// Every page fetched so far, in order.
    pub pages: Vec<PageMark>,
    /// The token for the page after the last one ever fetched.
    pub next_token: Option<String>,
    /// The request in flight; answers to any other are stale and dropped.
    pub pending: Option<u64>,
    fetch: Option<Fetch>,
    /// No page follows the last one fetched.
    pub complete: bool,
    pub error: Option<String>,
    /// The query in flight, to ask again when the answer was "throttled".
    pub in_flight: Option<UserQuery>,
    /// Throttled answers to the query in flight so far (0 when not throttled).
    pub throttled: u32,
    /// Throttled answers since the tab was reset, for the summary line and tests.
    pub throttled_total: u64,
    /// Requests asked so far; each page request gets the next number.
    pub requests: u64,
    /// Table rows on screen, from the terminal's size: the offset keeps the cursor
    /// among them.
    pub viewport: usize,
    /// `G` was pressed before the last page was known: pages on, the cursor following,
    /// until the last user (esc stops).
    pub seeking_end: bool,
    /// The export or import running, drawn as a gauge above the list.
    pub job: Option<super::job::Running>,
}

impl UsersTab {
    /// Forget what is loaded (new pool, new search, refresh). Request numbers go on, so
    /// an answer to a question asked before the reset is never taken for a new one.
    pub fn reset(&mut self, filter: Option<Filter>, local: LocalFilter) {
        *self = Self {
            filter,
            local,
            sort: self.sort,
            sorted_here: self.sorted_here,
            requests: self.requests,
            viewport: self.viewport,
            job: self.job.take(),
            marks: std::mem::take(&mut self.marks),
            ..Self::default()
        };
    }

    /// Whether anything narrows the list: a search on the server or here.
    pub fn searching(&self) -> bool {
        self.filter.is_some() || !self.local.is_empty()
    }

    /// A scan for the local filters' matches is going on.
    pub fn scanning(&self) -> bool {
        !self.local.is_empty() && self.pending.is_some()
    }

    /// Moves the first row on screen just enough to keep the cursor in view.
    pub fn follow(&mut self) {
        let height = self.viewport.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
    }

    /// The terminal's size changed: this many table rows are on screen now.
    pub fn set_viewport(&mut self, rows: usize) {
        self.viewport = rows;
        self.follow();
    }

    /// Rows fetched so far, whether or not they are still in memory.
    pub fn seen(&self) -> usize {
        self.pages.last().map_or(0, |p| p.start + p.len)
    }

    pub fn end(&self) -> usize {
        self.base + self.rows.len()
    }

    /// The page to fetch next, if the cursor wants one: after the window when the
    /// cursor nears its end, before it when the cursor nears its start.
    fn wanted(&self) -> Option<Fetch> {
        if self.pending.is_some() {
            return None;
        }
        if self.sorted_here {
            // What is loaded is sorted here: pages go on coming (and are sorted in)
            // until the window is full; none is ever let go.
            let room = self.rows.len() < WINDOW && !self.complete && !self.paused;
            return (room && self.selected + PREFETCH >= self.end()).then_some(Fetch::Frontier);
        }
        if self.selected + PREFETCH >= self.end() {
            if self.end() < self.seen() {
                let page = self
                    .pages
                    .iter()
                    .position(|p| p.start == self.end() && p.len > 0)?;
                return Some(Fetch::Again {
                    page,
                    before: false,
                });
            }
            // A stopped scan goes no further on; pages seen before still come back.
            if !self.complete && !self.paused {
                return Some(Fetch::Frontier);
            }
        }
        if self.base > 0 && self.selected < self.base + PREFETCH {
            let page = self
                .pages
                .iter()
                .position(|p| p.start + p.len == self.base && p.len > 0)?;
            return Some(Fetch::Again { page, before: true });
        }
        None
    }

    pub fn wants_more(&self) -> bool {
        self.wanted().is_some()
    }

    /// The query for the page the cursor wants, marking it as the one in flight.
    pub fn next_query(&mut self) -> Option<UserQuery> {
        let fetch = self.wanted()?;
        let token = match fetch {
            Fetch::Frontier => self.next_token.clone(),
            Fetch::Again { page, .. } => self.pages[page].token.clone(),
        };
        self.fetch = Some(fetch);
        Some(UserQuery {
            filter: self.filter.clone(),
            limit: Some(PAGE),
            pagination_token: token,
            attributes_to_get: None,
            local: self.local.clone(),
            sort: self.sort.filter(|_| !self.sorted_here),
        })
    }

    /// The page the window asked for came: `scanned` users were read to find `users`
    /// (when local filters thinned it).
    pub fn loaded(&mut self, users: Vec<User>, next: Option<String>, scanned: Option<u64>) {
        let fetch = self.fetch.take().unwrap_or(Fetch::Frontier);
        let token = self.in_flight.take().and_then(|q| q.pagination_token);
        self.pending = None;
        self.throttled = 0;
        self.error = None;
        match fetch {
            Fetch::Frontier => {
                let start = self.seen();
                if self.end() == start {
                    self.scanned += scanned.unwrap_or(users.len() as u64);
                    // A page the local filters left empty holds no row to come back to.
                    if !users.is_empty() {
                        self.pages.push(PageMark {
                            start,
                            len: users.len(),
                            token,
                        });
                        self.rows.extend(users);
                    }
                    self.complete = next.is_none();
                    self.next_token = next;
                    if self.sorted_here {
                        self.sort_loaded();
                    }
                }
            }
            Fetch::Again { page, before } => {
                // The pool may have changed since: the page takes the room it has now.
                self.resize_page(page, users.len());
                if before {
                    if self.pages[page].start + users.len() == self.base {
                        self.base = self.pages[page].start;
                        self.rows.splice(0..0, users);
                    }
                } else if self.pages[page].start == self.end() {
                    self.rows.extend(users);
                }
            }
        }
        self.let_go();
        if self.seeking_end {
            self.to_last_loaded();
            self.seeking_end = !self.complete;
        }
        self.follow();
    }

    /// The cursor on the last row loaded.
    pub fn to_last_loaded(&mut self) {
        self.selected = self.end().saturating_sub(1).max(self.base);
        self.follow();
    }

    /// A page's length changed: every later position moves with it.
    fn resize_page(&mut self, page: usize, len: usize) {
        let old = self.pages[page].len;
        if old == len {
            return;
        }
        let shift = |x: usize| (x + len).saturating_sub(old);
        let at = self.pages[page].start + old;
        self.pages[page].len = len;
        for p in &mut self.pages[page + 1..] {
            p.start = shift(p.start);
        }
        if self.base >= at {
            self.base = shift(self.base);
        }
        if self.selected >= at {
            self.selected = shift(self.selected);
        }
        if self.offset >= at {
            self.offset = shift(self.offset);
        }
    }

    /// Sorts what is loaded, the cursor staying on its user.
    pub fn sort_loaded(&mut self) {
        let Some(sort) = self.sort else {
            return;
        };
        let current = self.selected_user().map(|u| u.username.clone());
        self.rows.sort_by(|a, b| sort.compare(a, b));
        if let Some(name) = current
            && let Some(i) = self.rows.iter().position(|u| u.username == name)
        {
            self.selected = self.base + i;
        }
        self.follow();
    }

    /// Lets whole pages go from the end of the window farther from the cursor.
    fn let_go(&mut self) {
        if self.sorted_here {
            return;
        }
        while self.rows.len() > WINDOW {
            let above = self.selected.saturating_sub(self.base);
            let below = self.end().saturating_sub(self.selected);
            if above >= below {
                let Some(first) = self.pages.iter().find(|p| p.start == self.base) else {
                    return;
                };
                let len = first.len.min(self.rows.len());
                self.rows.drain(..len);
                self.base += len;
            } else {
                let end = self.end();
                let Some(last) = self.pages.iter().find(|p| p.start + p.len == end) else {
                    return;
                };
                let len = last.len.min(self.rows.len());
                self.rows.truncate(self.rows.len() - len);
            }
        }
    }

    pub fn move_by(&mut self, delta: isize) {
        if self.rows.is_empty() {
            self.selected = self.base;
            return;
        }
        let min = self.base as isize;
        let max = self.end() as isize - 1;
        self.selected = (self.selected as isize + delta).clamp(min, max) as usize;
        self.follow();
    }

    /// To the first row: the window starts again from the first page.
    pub fn to_top(&mut self) {
        if self.base > 0 {
            // The first page is fetched again (its token is remembered: none).
            self.rows.clear();
            self.base = 0;
            self.offset = 0;
        }
        self.selected = 0;
        self.seeking_end = false;
        self.follow();
    }

    pub fn selected_user(&self) -> Option<&User> {
        self.rows.get(self.selected.checked_sub(self.base)?)
    }

    /// The loaded rows on screen, as positions among all rows (end excluded).
    pub fn on_screen(&self) -> (usize, usize) {
        let first = self.offset.clamp(self.base, self.end().max(self.base));
        (first, (first + self.viewport).min(self.end()))
    }

    /// The rows on screen themselves.
    pub fn visible(&self) -> &[User] {
        let (first, last) = self.on_screen();
        &self.rows[first - self.base..last - self.base]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_window() {
        let mut tab = UsersTab::default();
        assert!(tab.wants_more());
        tab.pending = Some(1);
        assert!(!tab.wants_more(), "one request at a time");
        let users: Vec<User> = (0..60)
            .map(|i| User {
                username: format!("u{i}"),
                attributes: vec![],
                created: None,
                last_modified: None,
                enabled: true,
                status: None,
                mfa: None,
            })
            .collect();
        tab.loaded(users, Some("t".into()), None);
        assert!(!tab.wants_more(), "cursor far from the end");
        tab.move_by(45);
        assert!(tab.wants_more());
        assert_eq!(
            tab.next_query().unwrap().pagination_token.as_deref(),
            Some("t")
        );
        tab.move_by(1000);
        assert_eq!(tab.selected, 59);
    }
}

#[cfg(test)]
mod window_tests {
    use super::*;

    const POOL: usize = 10_000;

    /// A pool of POOL users whose pagination token is the index of the next user.
    fn answer(tab: &mut UsersTab) -> bool {
        let Some(query) = tab.next_query() else {
            return false;
        };
        let start: usize = query
            .pagination_token
            .as_deref()
            .map_or(0, |t| t.parse().unwrap());
        let end = (start + PAGE as usize).min(POOL);
        let users = (start..end)
            .map(|i| User {
                username: format!("user{i:05}"),
                attributes: Vec::new(),
                created: None,
                last_modified: None,
                enabled: true,
                status: None,
                mfa: None,
            })
            .collect();
        tab.pending = Some(1);
        tab.in_flight = Some(query);
        tab.loaded(users, (end < POOL).then(|| end.to_string()), None);
        true
    }

    fn settle(tab: &mut UsersTab) {
        while answer(tab) {}
    }

    fn check(tab: &UsersTab) {
        let want = format!("user{:05}", tab.selected);
        assert_eq!(
            tab.selected_user().map(|u| u.username.as_str()),
            Some(want.as_str())
        );
        assert!(tab.rows.len() <= WINDOW, "{} rows kept", tab.rows.len());
        for (i, u) in tab.rows.iter().enumerate() {
            assert_eq!(
                u.username,
                format!("user{:05}", tab.base + i),
                "a hole or a repeat"
            );
        }
    }

    #[test]
    fn the_window_follows_the_cursor_down_and_back_up() {
        let mut tab = UsersTab::default();
        settle(&mut tab);
        for _ in 0..(POOL - 1) {
            tab.move_by(1);
            settle(&mut tab);
        }
        check(&tab);
        assert_eq!(tab.selected, POOL - 1);
        assert!(tab.complete);
        assert!(tab.base > 0, "pages far above were let go");
        for _ in 0..(POOL - 1) {
            tab.move_by(-1);
            settle(&mut tab);
        }
        check(&tab);
        assert_eq!(tab.selected, 0);
        assert_eq!(tab.seen(), POOL);
        // Down again to the end, by pages, and home with one key.
        for _ in 0..(POOL / 20) {
            tab.move_by(20);
            settle(&mut tab);
            check(&tab);
        }
        tab.to_top();
        settle(&mut tab);
        check(&tab);
        assert_eq!(tab.base, 0);
    }

    #[test]
    fn only_the_rows_on_screen_are_drawn() {
        let mut tab = UsersTab::default();
        settle(&mut tab);
        for _ in 0..3_000 {
            tab.move_by(1);
            settle(&mut tab);
        }
        tab.set_viewport(10);
        let (first, last) = tab.on_screen();
        assert!(first <= 3_000 && 3_000 < last, "{first}..{last}");
        assert_eq!(last - first, 10, "only the rows on screen");
    }
}
