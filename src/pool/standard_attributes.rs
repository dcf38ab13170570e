//! The standard attributes of every user pool: OpenID Connect's, plus Cognito's verified
//! flags, in Cognito's order (the order of DescribeUserPool's `SchemaAttributes` and of
//! the import CSV's header). Written once: the field rules, the CSV header and the local
//! store's schema all read this table.

/// What values a standard attribute holds, with its `*AttributeConstraints`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A string of `min` to `max` characters.
    String {
        min: u16,
        max: u16,
    },
    Boolean,
    /// A number of at least `min`.
    Number {
        min: i64,
    },
}

/// One standard attribute as Cognito describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StandardAttribute {
    pub name: &'static str,
    pub kind: Kind,
    /// Whether a user's value may change after they are made (`sub` may not).
    pub mutable: bool,
    /// Required in every pool, whatever its schema says (`sub`).
    pub always_required: bool,
}

/// The usual standard attribute: a mutable string of up to 2048 characters.
const fn text(name: &'static str) -> StandardAttribute {
    StandardAttribute {
        name,
        kind: Kind::String { min: 0, max: 2048 },
        mutable: true,
        always_required: false,
    }
}

const fn flag(name: &'static str) -> StandardAttribute {
    StandardAttribute {
        name,
        kind: Kind::Boolean,
        mutable: true,
        always_required: false,
    }
}

pub const STANDARD_ATTRIBUTES: [StandardAttribute; 20] = [
    StandardAttribute {
        name: "sub",
        kind: Kind::String { min: 1, max: 2048 },
        mutable: false,
        always_required: true,
    },
    text("name"),
    text("given_name"),
    text("family_name"),
    text("middle_name"),
    text("nickname"),
    text("preferred_username"),
    text("profile"),
    text("picture"),
    text("website"),
    text("email"),
    flag("email_verified"),
    text("gender"),
    // YYYY-MM-DD, as OpenID Connect writes it.
    StandardAttribute {
        name: "birthdate",
        kind: Kind::String { min: 10, max: 10 },
        mutable: true,
        always_required: false,
    },
    text("zoneinfo"),
    text("locale"),
    text("phone_number"),
    flag("phone_number_verified"),
    text("address"),
    StandardAttribute {
        name: "updated_at",
        kind: Kind::Number { min: 0 },
        mutable: true,
        always_required: false,
    },
];

/// Whether `name` is a standard attribute (anything else must be `custom:`).
pub fn is_standard_attribute(name: &str) -> bool {
    STANDARD_ATTRIBUTES.iter().any(|a| a.name == name)
}

/// The names, in Cognito's order.
pub fn names() -> impl Iterator<Item = &'static str> {
    STANDARD_ATTRIBUTES.iter().map(|a| a.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_name_once_and_sub_first_and_fixed() {
        let mut seen: Vec<&str> = names().collect();
        assert_eq!(seen[0], "sub");
        assert!(!STANDARD_ATTRIBUTES[0].mutable && STANDARD_ATTRIBUTES[0].always_required);
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), STANDARD_ATTRIBUTES.len());
    }

    #[test]
    fn custom_and_unknown_names_are_not_standard() {
        assert!(is_standard_attribute("email"));
        assert!(is_standard_attribute("updated_at"));
        assert!(!is_standard_attribute("custom:email"));
        assert!(!is_standard_attribute("Email"));
        assert!(!is_standard_attribute("cognito:username"));
    }
}
