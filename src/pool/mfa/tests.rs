use super::*;

fn pool(enforcement: Enforcement, factors: &[Factor]) -> PoolMfa {
    PoolMfa {
        enforcement,
        sms: factors.contains(&Factor::Sms),
        sms_message: None,
        software_token: factors.contains(&Factor::SoftwareToken),
        email: factors.contains(&Factor::Email).then(EmailMfa::default),
    }
}

fn user(enabled: &[Factor], preferred: Option<Factor>) -> UserMfa {
    UserMfa {
        enabled: enabled.to_vec(),
        preferred,
    }
}

const ALL_REACH: Reach = Reach {
    phone: true,
    email: true,
    token: true,
};
const NOWHERE: Reach = Reach {
    phone: false,
    email: false,
    token: false,
};

use AfterPassword::*;
use Enforcement::*;
use Factor::*;

#[test]
fn what_a_right_password_leads_to() {
    let every = [Sms, SoftwareToken, Email];
    let cases: Vec<(&str, PoolMfa, UserMfa, Reach, AfterPassword)> = vec![
        (
            "off: never",
            pool(Off, &[]),
            user(&every, Some(Sms)),
            ALL_REACH,
            Tokens,
        ),
        (
            "optional, nothing on",
            pool(Optional, &every),
            user(&[], None),
            ALL_REACH,
            Tokens,
        ),
        (
            "one factor on",
            pool(Optional, &every),
            user(&[SoftwareToken], None),
            ALL_REACH,
            Challenge(SoftwareToken),
        ),
        (
            "the preferred one",
            pool(Optional, &every),
            user(&[Sms, Email], Some(Email)),
            ALL_REACH,
            Challenge(Email),
        ),
        (
            "several, none preferred",
            pool(Optional, &every),
            user(&[Sms, SoftwareToken], None),
            ALL_REACH,
            Select(vec![Sms, SoftwareToken]),
        ),
        (
            "SMS without a phone does not count",
            pool(Optional, &every),
            user(&[Sms, SoftwareToken], None),
            Reach {
                phone: false,
                ..ALL_REACH
            },
            Challenge(SoftwareToken),
        ),
        (
            "a factor the pool stopped offering",
            pool(Optional, &[SoftwareToken]),
            user(&[Sms], None),
            ALL_REACH,
            Tokens,
        ),
        (
            "a verified token outlives the pool's offer",
            pool(Optional, &[Sms]),
            user(&[SoftwareToken], None),
            ALL_REACH,
            Challenge(SoftwareToken),
        ),
        (
            "preferred but unusable: the usable one",
            pool(Optional, &[SoftwareToken]),
            user(&[Sms, SoftwareToken], Some(Sms)),
            ALL_REACH,
            Challenge(SoftwareToken),
        ),
        (
            "required, a phone: SMS on its own",
            pool(Required, &[Sms, SoftwareToken]),
            user(&[], None),
            ALL_REACH,
            Challenge(Sms),
        ),
        (
            "required, an email: email on its own",
            pool(Required, &[Email]),
            user(&[], None),
            ALL_REACH,
            Challenge(Email),
        ),
        (
            "required, nothing usable: set up",
            pool(Required, &[Sms, SoftwareToken]),
            user(&[], None),
            NOWHERE,
            Setup(vec![Sms, SoftwareToken]),
        ),
        (
            "required, token only: set up",
            pool(Required, &[SoftwareToken]),
            user(&[], None),
            ALL_REACH,
            Setup(vec![SoftwareToken]),
        ),
        (
            "required, after the token was deleted",
            pool(Required, &[SoftwareToken]),
            user(&[SoftwareToken], None),
            Reach {
                token: false,
                ..ALL_REACH
            },
            Setup(vec![SoftwareToken]),
        ),
    ];
    for (name, pool, user, reach, expected) in cases {
        assert_eq!(after_password(&pool, &user, reach), expected, "{name}");
    }
}

fn block(
    factor: Factor,
    enabled: Option<bool>,
    preferred: Option<bool>,
) -> (Factor, FactorSetting) {
    (
        factor,
        FactorSetting {
            enabled,
            preferred_mfa: preferred,
        },
    )
}

fn request(blocks: &[(Factor, FactorSetting)]) -> PreferenceRequest {
    PreferenceRequest {
        blocks: blocks.to_vec(),
    }
}

#[test]
fn preferences_change_only_what_they_name() {
    let p = pool(Optional, &[Sms, SoftwareToken, Email]);
    let start = user(&[Sms], Some(Sms));
    let after = set_preference(
        &start,
        &request(&[block(SoftwareToken, Some(true), Some(true))]),
        &p,
        ALL_REACH,
    )
    .unwrap();
    assert_eq!(after, user(&[Sms, SoftwareToken], Some(SoftwareToken)));
    let after = set_preference(
        &after,
        &request(&[block(SoftwareToken, Some(false), None)]),
        &p,
        ALL_REACH,
    )
    .unwrap();
    assert_eq!(
        after,
        user(&[Sms], None),
        "turning off the preferred factor clears the preference"
    );
    let after = set_preference(
        &after,
        &request(&[block(Sms, None, Some(false))]),
        &p,
        ALL_REACH,
    )
    .unwrap();
    assert_eq!(after, user(&[Sms], None));
}

#[test]
fn preferences_refused_name_the_block() {
    let p = pool(Optional, &[Sms, SoftwareToken]);
    let cases = [
        (
            request(&[block(SoftwareToken, Some(true), None)]),
            Reach {
                token: false,
                ..ALL_REACH
            },
            "delivery config set to turn on SOFTWARE_TOKEN_MFA",
        ),
        (
            request(&[block(Sms, Some(true), None)]),
            Reach {
                phone: false,
                ..ALL_REACH
            },
            "turn on SMS_MFA",
        ),
        (
            request(&[block(Email, Some(true), None)]),
            ALL_REACH,
            "turn on EMAIL_OTP",
        ),
        (
            request(&[
                block(Sms, Some(true), Some(true)),
                block(SoftwareToken, Some(true), Some(true)),
            ]),
            ALL_REACH,
            "only one",
        ),
        (
            request(&[block(Sms, Some(false), Some(true))]),
            ALL_REACH,
            "not enabled",
        ),
    ];
    for (req, reach, says) in cases {
        let e = set_preference(&UserMfa::default(), &req, &p, reach).unwrap_err();
        assert!(e.to_string().contains(says), "{req:?}: {e}");
    }
}

#[test]
fn a_required_pool_keeps_factors_on() {
    let p = pool(Required, &[Sms, SoftwareToken]);
    let start = user(&[SoftwareToken], Some(SoftwareToken));
    let after = set_preference(
        &start,
        &request(&[block(SoftwareToken, Some(false), Some(false))]),
        &p,
        ALL_REACH,
    )
    .unwrap();
    assert_eq!(
        after,
        user(&[SoftwareToken], None),
        "only the preference changes"
    );
}

#[test]
fn setting_up_and_deleting_a_token() {
    let set = UserMfa::default().with_set_up(SoftwareToken);
    assert_eq!(set, user(&[SoftwareToken], Some(SoftwareToken)));
    let kept = user(&[Sms], Some(Sms)).with_set_up(SoftwareToken);
    assert_eq!(
        kept,
        user(&[Sms, SoftwareToken], Some(Sms)),
        "an earlier preference stays"
    );
    assert_eq!(kept.without(SoftwareToken), user(&[Sms], Some(Sms)));
    assert_eq!(set.without(SoftwareToken), UserMfa::default());
}

#[test]
fn pool_configurations_cognito_refuses() {
    let facts = PoolFacts {
        sms_configuration: true,
        email_by_ses: true,
        lite_tier: false,
    };
    assert!(check_pool(&pool(Off, &[]), &facts).is_ok());
    assert!(check_pool(&pool(Required, &[SoftwareToken]), &facts).is_ok());
    assert!(
        check_pool(&pool(Optional, &[Email]), &facts).is_ok(),
        "email alone is enough"
    );
    let refused = |mfa: PoolMfa, facts: PoolFacts, says: &str| {
        let e = check_pool(&mfa, &facts).unwrap_err();
        assert!(e.to_string().contains(says), "{mfa:?}: {e}");
    };
    refused(
        pool(Off, &[SoftwareToken]),
        facts,
        "can't turn off MFA and configure an MFA together",
    );
    refused(pool(Optional, &[]), facts, "must be enabled");
    refused(
        pool(Required, &[Sms]),
        PoolFacts {
            sms_configuration: false,
            ..facts
        },
        "SmsConfiguration",
    );
    refused(
        pool(Required, &[Email]),
        PoolFacts {
            email_by_ses: false,
            ..facts
        },
        "Amazon SES",
    );
    let mut message = pool(Required, &[Sms]);
    message.sms_message = Some("no code here".into());
    refused(message, facts, "SmsAuthenticationMessage");
    let mut email = pool(Required, &[Email]);
    email.email = Some(EmailMfa {
        subject: Some("Code".into()),
        message: Some("Your code".into()),
    });
    refused(email, facts, "EmailMfaConfiguration.Message");
    assert!(
        tier_refuses(
            &pool(Optional, &[Email]),
            &PoolFacts {
                lite_tier: true,
                ..facts
            }
        )
        .is_some()
    );
    assert!(
        tier_refuses(
            &pool(Optional, &[SoftwareToken]),
            &PoolFacts {
                lite_tier: true,
                ..facts
            }
        )
        .is_none()
    );
}

#[test]
fn codes_typed_before_sending() {
    assert!(check_code(SoftwareToken, "123456").is_ok());
    assert!(check_code(Sms, "12345678").is_ok());
    for (factor, code) in [
        (SoftwareToken, ""),
        (SoftwareToken, "12345"),
        (SoftwareToken, "1234567"),
        (SoftwareToken, "12a456"),
        (Email, "12 456"),
        (Sms, "123456789"),
    ] {
        let e = check_code(factor, code).unwrap_err();
        assert_eq!(e.field, factor.code_key(), "{code:?}");
    }
}

#[test]
fn otpauth_uri_for_an_authenticator() {
    let uri = otpauth_uri(
        "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
        "jane:doe",
        Some("Demo pool"),
    )
    .unwrap();
    assert!(
        uri.starts_with("otpauth://totp/Demo%20pool:jane_doe?"),
        "{uri}"
    );
    assert!(
        uri.contains("secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"),
        "{uri}"
    );
    assert!(uri.contains("issuer=Demo%20pool"), "{uri}");
    let bare = otpauth_uri("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "jane", None).unwrap();
    assert_eq!(
        bare,
        "otpauth://totp/jane?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    );
    assert!(otpauth_uri("not base32!", "jane", None).is_err());
}

#[test]
fn names_on_the_wire() {
    for f in Factor::ALL {
        assert_eq!(Factor::from_challenge(f.challenge()), Some(f));
    }
    for e in Enforcement::ALL {
        assert_eq!(Enforcement::from_wire(e.as_wire()), Some(e));
        assert_eq!(serde_json::to_value(e).unwrap(), e.as_wire());
    }
}
