//! Authenticator apps (software tokens): new secrets, and the codes they make (RFC 6238:
//! HMAC-SHA1, 30-second steps, six digits, a step of clock drift either way). A code is
//! compared with each step's in constant time, and the step it matched is returned so
//! that the caller takes each step once.

use aws_lc_rs::constant_time::verify_slices_are_equal;
use totp_rs::{Algorithm, Builder, Totp};

use crate::pool::Secret;
use crate::pool::mfa::{CODE_DIGITS, SECRET_BYTES, SKEW_STEPS, STEP_SECONDS};

/// A new secret as AssociateSoftwareToken gives it: RFC 4648 base32, no padding.
pub fn new_secret() -> Secret {
    let mut raw = [0u8; SECRET_BYTES];
    aws_lc_rs::rand::fill(&mut raw).expect("the operating system's random source failed");
    let secret = totp_rs::Secret::from(raw.to_vec()).to_base32();
    Secret::new(secret)
}

fn totp(secret: &Secret) -> Option<Totp> {
    let bytes = totp_rs::Secret::try_from_base32(secret.expose()).ok()?;
    Some(
        Builder::new()
            .with_algorithm(Algorithm::SHA1)
            .with_digits(CODE_DIGITS as u8)
            .with_skew(SKEW_STEPS as u16)
            .with_step_duration(STEP_SECONDS)
            .with_secret(bytes)
            .build_noncompliant(),
    )
}

/// The code of `secret` at `unix_seconds`, for tests and the console's own checks.
pub fn code_at(secret: &Secret, unix_seconds: u64) -> Option<String> {
    totp(secret).map(|t| t.generate(unix_seconds).to_string())
}

/// The time step `code` belongs to, if it is the code of the step of `now` or of one step
/// either side. Every step in the window is compared, so the time taken does not say
/// which one matched.
pub fn matched_step(secret: &Secret, code: &str, now: f64) -> Option<u64> {
    let totp = totp(secret)?;
    let now = now.max(0.0) as u64;
    let current = now / STEP_SECONDS;
    let mut found = None;
    for step in current.saturating_sub(SKEW_STEPS)..=current + SKEW_STEPS {
        let expected = totp.generate(step * STEP_SECONDS).to_string();
        if verify_slices_are_equal(expected.as_bytes(), code.as_bytes()).is_ok() {
            found = Some(step);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238, appendix B: the SHA-1 secret "12345678901234567890" at 59 s gives
    /// 94287082 in eight digits, so 287082 in six.
    #[test]
    fn rfc_6238_vectors() {
        let secret =
            Secret::new(totp_rs::Secret::from(b"12345678901234567890".to_vec()).to_base32());
        assert_eq!(code_at(&secret, 59).as_deref(), Some("287082"));
        assert_eq!(code_at(&secret, 1_111_111_109).as_deref(), Some("081804"));
    }

    #[test]
    fn new_secrets_are_base32_of_32_bytes() {
        let secret = new_secret();
        assert_eq!(secret.expose().len(), 32);
        assert!(totp_rs::Secret::try_from_base32(secret.expose()).is_ok());
        assert_ne!(secret, new_secret());
    }

    #[test]
    fn a_step_of_drift_either_way() {
        let secret = Secret::new("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP");
        let now = 1_800_000_015.0;
        let step = 1_800_000_015 / 30;
        for (at, expected) in [
            (now - 30.0, Some(step - 1)),
            (now, Some(step)),
            (now + 30.0, Some(step + 1)),
        ] {
            let code = code_at(&secret, at as u64).unwrap();
            assert_eq!(matched_step(&secret, &code, now), expected);
        }
        let old = code_at(&secret, (now - 60.0) as u64).unwrap();
        assert_eq!(matched_step(&secret, &old, now), None, "two steps back");
        assert_eq!(matched_step(&secret, "abcdef", now), None);
        assert_eq!(
            matched_step(&Secret::new("not base32!"), "123456", now),
            None
        );
    }
}
