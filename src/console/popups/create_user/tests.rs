use super::*;
use crate::pool::{PoolConfig, PoolDescription};

fn pool() -> PoolDescription {
    PoolDescription {
        // The custom attribute the form below sets is declared.
        schema: vec![crate::pool::SchemaAttribute {
            name: "custom:team".into(),
            data_type: "String".into(),
            mutable: true,
            required: false,
            bounds: None,
            max_length: Some(32),
        }],
        alias_attributes: Vec::new(),
        username_attributes: Vec::new(),
        id: "local_x".into(),
        name: "p".into(),
        arn: None,
        config: PoolConfig::default(),
        estimated_number_of_users: 0,
        created: None,
        last_modified: None,
        mfa_facts: Default::default(),
        mfa_error: None,
    }
}

fn set(c: &mut CreateUser, id: &str, value: &str) {
    c.form.focus_on(id);
    for ch in value.chars() {
        c.form.type_key(&crossterm::event::KeyEvent::from(
            crossterm::event::KeyCode::Char(ch),
        ));
    }
}

#[test]
fn builds_the_request_from_the_form() {
    let mut c = CreateUser::new();
    set(&mut c, "username", "ana");
    set(&mut c, "phone", "+15555551212");
    set(&mut c, "attr_name:0", "custom:team");
    set(&mut c, "attr_value:0", "blue");
    c.form.field_mut("email_invite").unwrap().checked = true;
    c.form.field_mut("sms").unwrap().checked = false;
    let u = c.new_user();
    assert_eq!(u.username, "ana");
    assert_eq!(u.desired_delivery_mediums, [DeliveryMedium::Email]);
    assert_eq!(u.attribute("custom:team"), Some("blue"));
    assert!(u.temporary_password.is_none());
    let errors = c.check(&pool());
    assert_eq!(
        errors,
        [(
            "email".to_string(),
            "is required to send the invitation by EMAIL".to_string()
        )]
    );
    c.form.field_mut("email_invite").unwrap().checked = false;
    assert_eq!(c.new_user().message_action, Some(MessageAction::Suppress));
    assert!(c.check(&pool()).is_empty());
}

#[test]
fn the_username_fits_how_the_pool_signs_in() {
    let mut c = CreateUser::new();
    set(&mut c, "username", "ana@example.com");
    c.form.field_mut("sms").unwrap().checked = false;
    assert!(c.check(&pool()).is_empty());
    let mut aliased = pool();
    aliased.alias_attributes = vec!["email".into()];
    let errors = c.check(&aliased);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].0, "username");
    assert!(errors[0].1.contains("alias"), "{errors:?}");
    let mut by_phone = pool();
    by_phone.username_attributes = vec!["phone_number".into()];
    let errors = c.check(&by_phone);
    assert_eq!(errors[0].0, "username");
    assert!(errors[0].1.contains("phone number"), "{errors:?}");
}

#[test]
fn validation_data_and_client_metadata_rows_reach_the_request() {
    let mut c = CreateUser::new();
    set(&mut c, "username", "ana");
    c.form.field_mut("sms").unwrap().checked = false;
    set(&mut c, "valid_name:1", "ticket");
    set(&mut c, "valid_value:1", "T-1");
    set(&mut c, "meta_name:2", "source");
    set(&mut c, "meta_value:2", "console");
    // ctrl-n on a metadata row adds another under it, not an attribute.
    c.form.focus_on("meta_value:2");
    c.add_row(c.focused_rows());
    set(&mut c, "meta_name:3", "source");
    let u = c.new_user();
    assert_eq!(u.validation_data, [Attribute::new("ticket", "T-1")]);
    assert_eq!(
        u.client_metadata.get("source").map(String::as_str),
        Some("")
    );
    let errors = c.check(&pool());
    assert_eq!(
        errors,
        [("meta_name:3".to_string(), "is given twice".to_string())]
    );
    let ids: Vec<&str> = c.form.fields.iter().map(|f| f.id.as_str()).collect();
    let at = |id: &str| ids.iter().position(|i| *i == id).unwrap();
    assert_eq!(at("meta_name:3"), at("meta_value:2") + 1, "{ids:?}");
    c.remove_row();
    assert!(c.form.field("meta_name:3").is_none());
    *c.form.field_mut("valid_name:1").unwrap() =
        Field::text("valid_name:1", "Name").with_value(&"n".repeat(33));
    let errors = c.check(&pool());
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].0, "valid_name:1", "{errors:?}");
}
