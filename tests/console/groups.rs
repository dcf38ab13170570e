//! The Groups tab and group membership from the console: list, search and page; create,
//! edit and delete (each checked before the call, deletion typed to confirm); a group's
//! members, added and removed; a user's groups in their details, joined and left there;
//! read-only; and the same on moto through --endpoint-url. Keys into the real app, its
//! calls run to quiescence, no sleeps.

use crate::common;

use common::{select, status_text};

use cognito_console::client::Target;
use cognito_console::console::headless::Headless;
use cognito_console::console::popups::confirm::Confirm;
use cognito_console::console::popups::group_form::GroupForm;
use cognito_console::console::popups::group_members::GroupMembers;
use cognito_console::console::popups::membership::Membership;
use cognito_console::console::popups::type_to_confirm::TypeToConfirm;
use cognito_console::console::popups::user_detail::UserDetail;
use cognito_console::console::popups::user_detail::UserGroups;
use cognito_console::pool::group::Group;

fn names(h: &Headless) -> Vec<String> {
    h.app
        .groups
        .shown()
        .iter()
        .map(|g| g.name.clone())
        .collect()
}

async fn group_names_of(h: &Headless, username: &str) -> Vec<String> {
    let client = h.app.client.clone().unwrap();
    let pool = h.app.pool.as_ref().unwrap().id.clone();
    let mut n: Vec<String> = client
        .groups_for_user(&pool, username, None)
        .await
        .unwrap()
        .groups
        .into_iter()
        .map(|g| g.name)
        .collect();
    n.sort();
    n
}

/// 4 shows the demo's groups; / searches them by name; esc clears the search.
#[tokio::test]
async fn the_tab_lists_and_searches() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::demo_console(dir.path(), false).await;
    h.press("4").await;
    assert_eq!(names(&h), ["admins", "beta-testers", "support"]);
    let screen = h.screen(80, 24);
    assert!(screen.contains("1 of 3"), "{screen}");
    assert!(screen.contains("demo-admins"), "{screen}");
    h.press("/").await;
    h.type_text("SUP").await;
    h.press("enter").await;
    assert_eq!(names(&h), ["support"]);
    assert!(h.screen(100, 24).contains("search: name contains \"SUP\""));
    h.press("esc").await;
    assert_eq!(names(&h).len(), 3);
}

/// A pool of 150 groups is paged in 60 at a time, every group once.
#[tokio::test]
async fn every_page_of_groups_is_loaded() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::demo_console(dir.path(), false).await;
    let client = h.app.client.clone().unwrap();
    let pool = h.app.pool.as_ref().unwrap().id.clone();
    for i in 0..147 {
        let g = Group {
            name: format!("team-{i:03}"),
            ..Group::default()
        };
        client.create_group(&pool, &g).await.unwrap();
    }
    h.press("4 r").await;
    assert_eq!(h.app.groups.groups.len(), 150);
    h.press("G").await;
    assert_eq!(h.app.groups.selected_group().unwrap().name, "team-146");
    assert!(h.screen(80, 24).contains("150 of 150"));
}

/// c creates, e edits, D deletes: each refused before the call when a rule is broken.
#[tokio::test]
async fn create_edit_and_delete_a_group() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::demo_console(dir.path(), false).await;
    let client = h.app.client.clone().unwrap();
    let pool = h.app.pool.as_ref().unwrap().id.clone();
    h.press("4 c").await;
    h.type_text("two words").await;
    h.press("tab tab").await;
    h.type_text("first").await;
    h.press("tab").await;
    h.type_text("not-an-arn").await;
    h.press("ctrl-s").await;
    assert_eq!(h.pending(), 0, "nothing was sent");
    let Some(form) = h.app.top::<GroupForm>() else {
        panic!("the form is open: {:?}", h.app.popup())
    };
    for field in ["name", "precedence", "role"] {
        assert!(form.form.field(field).unwrap().error.is_some(), "{field}");
    }
    // The cursor is on the first field in error, the name.
    h.press("ctrl-u").await;
    h.type_text("auditors").await;
    h.press("tab").await;
    h.type_text("Reads the logs").await;
    h.press("tab ctrl-u").await;
    h.type_text("5").await;
    h.press("tab ctrl-u").await;
    h.type_text("arn:aws:iam::123456789012:role/auditors").await;
    h.press("ctrl-s").await;
    assert!(h.app.popup().is_none(), "{:?}", h.app.popup());
    assert!(status_text(&h).contains("group auditors created"));
    assert!(names(&h).contains(&"auditors".to_string()));

    // The same name again: Cognito's answer beside the name, the form kept.
    h.press("c").await;
    h.type_text("auditors").await;
    h.press("ctrl-s").await;
    let Some(form) = h.app.top::<GroupForm>() else {
        panic!("the form stays: {:?}", h.app.popup())
    };
    assert_eq!(form.form.value("name"), "auditors");
    assert!(form.form.field("name").unwrap().error.is_some());
    // esc asks before it throws the typing away; esc again goes back to it.
    h.press("esc").await;
    let asked = h.app.top::<Confirm>().expect("asked first");
    assert_eq!(asked.title, "Discard what you typed?");
    h.press("esc").await;
    assert_eq!(
        h.app.top::<GroupForm>().unwrap().form.value("name"),
        "auditors"
    );
    h.press("esc enter").await;
    assert!(h.app.popup().is_none(), "discarded");

    while h.app.groups.selected_group().unwrap().name != "auditors" {
        h.press("j").await;
    }
    h.press("e").await;
    h.press("tab ctrl-u").await; // to precedence
    h.type_text("2").await;
    h.press("ctrl-s").await;
    assert!(
        status_text(&h).contains("group auditors saved"),
        "{}",
        status_text(&h)
    );
    let got = client.list_groups(&pool, None).await.unwrap();
    let auditors = got.groups.iter().find(|g| g.name == "auditors").unwrap();
    assert_eq!(auditors.precedence, Some(2));
    assert_eq!(auditors.description.as_deref(), Some("Reads the logs"));

    h.press("D").await;
    h.type_text("auditor").await;
    h.press("enter").await;
    assert!(
        h.app.top::<TypeToConfirm>().is_some(),
        "a wrong name deletes nothing"
    );
    h.type_text("s").await;
    h.press("enter").await;
    assert!(status_text(&h).contains("group auditors deleted"));
    assert!(!names(&h).contains(&"auditors".to_string()));
}

/// enter opens a group's members; a adds one by username, x removes one (asked first).
#[tokio::test]
async fn members_are_added_and_removed() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::demo_console(dir.path(), false).await;
    h.press("4 g enter").await; // admins
    let Some(m) = h.app.top::<GroupMembers>() else {
        panic!("members: {:?}", h.app.popup())
    };
    let mut members: Vec<&str> = m.users.iter().map(|u| u.username.as_str()).collect();
    members.sort();
    assert_eq!(members, ["ana.nakamura", "mei.chen"]);
    assert!(h.screen(100, 30).contains("2 members"));

    h.press("a").await;
    h.type_text("amara.mensah").await;
    h.press("enter").await;
    assert!(
        status_text(&h).contains("amara.mensah added to admins"),
        "{}",
        status_text(&h)
    );
    assert_eq!(group_names_of(&h, "amara.mensah").await, ["admins"]);
    let Some(m) = h.app.top::<GroupMembers>() else {
        panic!("back to the members: {:?}", h.app.popup())
    };
    assert_eq!(m.users.len(), 3, "the members were read again");

    h.press("a").await;
    h.type_text("nobody.here").await;
    h.press("enter").await;
    let Some(form) = h.app.top::<Membership>() else {
        panic!("the form stays: {:?}", h.app.popup())
    };
    assert!(form.form.field("name").unwrap().error.is_some());
    h.press("esc g").await;
    let first = match h.app.top::<GroupMembers>() {
        Some(m) => m.users[0].username.clone(),
        other => panic!("{other:?}"),
    };
    h.press("x").await;
    let Some(c) = h.app.top::<Confirm>() else {
        panic!("asked first: {:?}", h.app.popup())
    };
    assert!(
        c.title.contains(&format!("Remove {first} from admins")),
        "{}",
        c.title
    );
    h.press("enter").await;
    assert!(status_text(&h).contains("removed from admins"));
    assert!(
        !group_names_of(&h, &first)
            .await
            .contains(&"admins".to_string())
    );
}

/// A user's details list their groups (one call for that user); + and - change them.
#[tokio::test]
async fn a_users_groups_in_their_details() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::demo_console(dir.path(), false).await;
    select(&mut h, "mei.chen").await;
    h.press("enter").await;
    let screen = h.screen(100, 30);
    assert!(screen.contains("admins, support"), "{screen}");
    // Adding, the pool's groups they are not in are offered (the same from the list).
    h.press("+").await;
    let offered = choices(&h);
    assert!(offered.contains(&"beta-testers".to_string()), "{offered:?}");
    assert!(!offered.contains(&"admins".to_string()), "{offered:?}");
    turn_to(&mut h, "beta-testers").await;
    h.press("enter").await;
    let Some(d) = h.app.top::<UserDetail>() else {
        panic!("back to the details: {:?}", h.app.popup())
    };
    let UserGroups::Loaded(groups) = &d.groups else {
        panic!("{:?}", d.groups)
    };
    assert_eq!(groups.len(), 3, "read again: {groups:?}");
    // Taking them out, the details offer their groups to pick from.
    h.press("-").await;
    assert!(h.screen(100, 30).contains("< admins >"));
    h.press("space").await;
    assert!(h.screen(100, 30).contains("< beta-testers >"));
    h.press("space space enter").await; // support, then admins
    assert_eq!(
        group_names_of(&h, "mei.chen").await,
        ["beta-testers", "support"]
    );
    // From the list, the same keys and the same picker.
    h.press("esc -").await;
    assert_eq!(choices(&h), ["beta-testers", "support"]);
    turn_to(&mut h, "support").await;
    h.press("enter").await;
    assert_eq!(group_names_of(&h, "mei.chen").await, ["beta-testers"]);
    h.press("+").await;
    let offered = choices(&h);
    assert!(
        offered.contains(&"admins".to_string()) && !offered.contains(&"beta-testers".to_string()),
        "{offered:?}"
    );
}

/// The groups the membership picker offers.
fn choices(h: &cognito_console::console::headless::Headless) -> Vec<String> {
    use cognito_console::console::popups::membership::Membership;
    use cognito_console::console::widgets::form::FieldKind;
    let Some(m) = h.app.top::<Membership>() else {
        panic!("no picker: {:?}", h.app.popup())
    };
    match &m.form.field("name").expect("the field").kind {
        FieldKind::Choice(options) => options.clone(),
        other => panic!("not a choice: {other:?}"),
    }
}

/// Turns the picker (l) until `group` is chosen.
async fn turn_to(h: &mut cognito_console::console::headless::Headless, group: &str) {
    use cognito_console::console::popups::membership::Membership;
    for _ in 0..20 {
        let m = h.app.top::<Membership>().expect("the picker");
        let at = m.form.choice("name");
        if choices(h).get(at).map(String::as_str) == Some(group) {
            return;
        }
        h.press("l").await;
    }
    panic!("{group} is not offered");
}

/// Under --read-only nothing about groups can change, and each key says so.
#[tokio::test]
async fn read_only_changes_no_group() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    let mut opts = common::console_options(Target::Local { db: db.clone() }, None, false);
    opts.read_only = true;
    let mut h = common::local_console(&db, opts).await;
    h.press("4").await;
    for key in ["c", "e", "D"] {
        h.press(key).await;
        assert!(h.app.popup().is_none(), "{key}: {:?}", h.app.popup());
        assert!(
            status_text(&h).contains("read-only"),
            "{key}: {}",
            status_text(&h)
        );
    }
    h.press("enter").await;
    for key in ["a", "x"] {
        h.press(key).await;
        assert!(
            h.app.top::<GroupMembers>().is_some(),
            "{key}: {:?}",
            h.app.popup()
        );
        assert!(
            status_text(&h).contains("read-only"),
            "{key}: {}",
            status_text(&h)
        );
    }
}

/// The tab and the form work on AWS as well: moto through --endpoint-url.
#[tokio::test]
async fn groups_on_moto() {
    let (setup, pool) = common::moto_pool("groups").await;
    let mut h = common::moto_console(&pool).await;
    h.press("4").await;
    assert!(h.screen(80, 24).contains("no groups yet"));
    h.press("c").await;
    h.type_text("moto-group").await;
    h.press("tab tab").await;
    h.type_text("3").await;
    h.press("ctrl-s").await;
    assert_eq!(names(&h), ["moto-group"]);
    let listed = setup.list_groups(&pool, None).await.unwrap();
    assert_eq!(listed.groups[0].precedence, Some(3));
}
