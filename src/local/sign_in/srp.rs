//! The password verifier Cognito keeps instead of a password (SRP-6a over RFC 5054's
//! 3072-bit group, g = 2). Storing `v` now means sign-in can run the SRP handshake later
//! without any change to what is stored.
//!
//! x = SHA256(salt | SHA256(pool-id part after "_" | username | ":" | password)),
//! v = g^x mod N. The salt enters the hash as the padded big-endian bytes Cognito's
//! clients use (a leading zero byte when its high bit is set).
//!
//! The server's half of the handshake (USER_SRP_AUTH → PASSWORD_VERIFIER) is Cognito's
//! SRP-6a variant, as its clients (pycognito, amazon-cognito-identity-js) compute it:
//! k = SHA256(0x00 | N | 0x02), B = k·v + g^b, u = SHA256(pad(A) | pad(B)),
//! S = (A·v^u)^b, key = HKDF-SHA256(ikm = pad(S), salt = pad(u), "Caldera Derived Key")
//! truncated to 16 bytes, and the client proves the password with
//! HMAC-SHA256(key, pool part | user id for SRP | secret block | timestamp).

use std::sync::LazyLock;

use aws_lc_rs::hmac;
use rand::TryRng;
use rand::rngs::SysRng;
use sha2::{Digest, Sha256};

use super::group::{self, BYTES, Element};
pub use super::group::{G, N_HEX};
use super::srp_kdf;
pub use super::srp_kdf::padded;
use crate::pool::Secret;

pub const SALT_LEN: usize = 16;

/// A salt and the verifier derived from it, as stored for a user.
#[derive(Clone, PartialEq, Eq)]
pub struct Verifier {
    pub salt: Vec<u8>,
    /// g^x mod N, big-endian, 384 bytes; empty for a user no password can sign in.
    pub verifier: Vec<u8>,
}

impl Verifier {
    /// For a user whose password nobody knows (generated and sent nowhere, or an
    /// imported user): every password is wrong until one is set.
    pub fn none() -> Self {
        Self {
            salt: Vec::new(),
            verifier: Vec::new(),
        }
    }

    pub fn is_none(&self) -> bool {
        self.verifier.is_empty()
    }
}

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Verifier(***)")
    }
}

/// The pool id's part after the underscore, as Cognito's SRP hashes it.
pub fn pool_name_part(pool_id: &str) -> &str {
    pool_id.split_once('_').map_or(pool_id, |(_, name)| name)
}

/// x = SHA256(padded salt | SHA256(pool | username | ":" | password)).
pub fn private_key(pool_id: &str, username: &str, password: &Secret, salt: &[u8]) -> [u8; 32] {
    let inner = Sha256::new()
        .chain_update(pool_name_part(pool_id).as_bytes())
        .chain_update(username.as_bytes())
        .chain_update(b":")
        .chain_update(password.expose().as_bytes())
        .finalize();
    let outer = Sha256::new()
        .chain_update(padded(salt))
        .chain_update(inner)
        .finalize();
    outer.into()
}

/// g^x mod N for a given salt.
pub fn verifier_for(pool_id: &str, username: &str, password: &Secret, salt: &[u8]) -> Vec<u8> {
    let x = private_key(pool_id, username, password, salt);
    group::g_pow(&x).to_vec()
}

/// A fresh salt from the OS CSPRNG and the verifier for it.
pub fn new_verifier(pool_id: &str, username: &str, password: &Secret) -> Verifier {
    let mut salt = vec![0u8; SALT_LEN];
    SysRng
        .try_fill_bytes(&mut salt)
        .expect("the operating system's random source failed");
    let verifier = verifier_for(pool_id, username, password, &salt);
    Verifier { salt, verifier }
}

/// The multiplier k, hashed as Cognito's clients hash it: SHA256(0x00 | N | 0x02).
static K: LazyLock<[u8; 32]> = LazyLock::new(|| {
    let n = hex::decode(N_HEX).expect("N is hex");
    Sha256::new()
        .chain_update([0u8])
        .chain_update(&n)
        .chain_update([G])
        .finalize()
        .into()
});

/// A stored verifier as a number: never 0 (mod N), which would make the session key
/// S = 0 for anyone (a user without a password has no verifier at all).
fn nonzero(verifier: &[u8]) -> Option<Element> {
    let v = from_bytes(verifier)?;
    (!group::is_zero(&v)).then_some(v)
}

/// Big-endian bytes (leading zeros allowed) as a number mod N.
fn from_bytes(bytes: &[u8]) -> Option<Element> {
    let start = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    group::reduce(&bytes[start..])
}

/// A big number as hex without leading zeros, as Cognito sends SALT and SRP_B.
pub fn to_hex(bytes: &[u8]) -> String {
    let start = bytes
        .iter()
        .position(|&b| b != 0)
        .unwrap_or(bytes.len().saturating_sub(1));
    hex::encode(&bytes[start..])
}

/// The server's half of one handshake: its secret b and g^b. g^b does not depend on the
/// user, so a sign-in makes it before the store is locked; B needs the verifier.
pub struct ServerSecret {
    pub secret: [u8; 32],
    g_b: Element,
}

impl ServerSecret {
    /// A new b, 32 bytes from the OS CSPRNG.
    pub fn new() -> Self {
        let mut b = [0u8; 32];
        SysRng
            .try_fill_bytes(&mut b)
            .expect("the operating system's random source failed");
        Self::from_secret(b)
    }

    pub fn from_secret(secret: [u8; 32]) -> Self {
        Self {
            g_b: group::g_pow(&secret),
            secret,
        }
    }

    /// B = k·v + g^b mod N, big-endian; `None` for a verifier of 0.
    pub fn public(&self, verifier: &[u8]) -> Option<Element> {
        let v = nonzero(verifier)?;
        let k = pad_to::<BYTES>(&K[..]);
        Some(group::add(&group::mul(&k, &v), &self.g_b))
    }
}

impl Default for ServerSecret {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for ServerSecret {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.secret);
    }
}

fn pad_to<const N: usize>(bytes: &[u8]) -> [u8; N] {
    let mut out = [0u8; N];
    out[N - bytes.len()..].copy_from_slice(bytes);
    out
}

/// The client's A from its SRP_A hex, refused when it is not a number below 2^3072 or
/// is 0 mod N (the check that stops a client from forcing S = 0). Reduced mod N.
pub fn parse_client_public(hex_a: &str) -> Option<Element> {
    let hex_a = hex_a.trim();
    let even = if hex_a.len() % 2 == 1 {
        format!("0{hex_a}")
    } else {
        hex_a.to_string()
    };
    client_public(&hex::decode(even).ok()?)
}

/// A public value (A, or a B kept with a session) from its big-endian bytes, refused as
/// [`parse_client_public`] refuses it.
pub fn client_public(bytes: &[u8]) -> Option<Element> {
    nonzero(bytes)
}

/// The 16-byte key both sides derive, from the B the client was sent; `None` when u = 0
/// (the handshake must stop) or the verifier is 0.
pub fn session_key(
    a: &Element,
    secret: &[u8; 32],
    b_public: &Element,
    verifier: &[u8],
) -> Option<[u8; 16]> {
    let u: [u8; 32] = Sha256::new()
        .chain_update(padded(a))
        .chain_update(padded(b_public))
        .finalize()
        .into();
    if u == [0u8; 32] {
        return None;
    }
    let v = nonzero(verifier)?;
    // S = (A·v^u)^b: u is public (both sides hash it from A and B), b is the secret.
    let s = group::pow_secret(&group::mul(a, &group::pow_public(&v, &u)), secret);
    // The key from S without S's length steering the hash (see srp_kdf).
    Some(srp_kdf::session_key(&s, &u))
}

/// Whether `signature` is the client's proof of the password for this handshake,
/// compared in constant time.
pub fn signature_matches(
    key: &[u8; 16],
    pool_id: &str,
    user_id_for_srp: &str,
    secret_block: &[u8],
    timestamp: &str,
    signature: &[u8],
) -> bool {
    let mut message = Vec::new();
    message.extend_from_slice(pool_name_part(pool_id).as_bytes());
    message.extend_from_slice(user_id_for_srp.as_bytes());
    message.extend_from_slice(secret_block);
    message.extend_from_slice(timestamp.as_bytes());
    hmac::verify(&hmac::Key::new(hmac::HMAC_SHA256, key), &message, signature).is_ok()
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_verifier_of_zero_gives_no_challenge_and_no_key() {
        let secret = [7u8; 32];
        let n = hex::decode(N_HEX).expect("hex");
        let a = parse_client_public("02").expect("A");
        let server = ServerSecret::from_secret(secret);
        let v = verifier_for("us-east-1_AbC", "ana", &Secret::new("pw"), &[1u8; SALT_LEN]);
        let b_public = server.public(&v).expect("B for a real verifier");
        for zero in [Vec::new(), vec![0u8; 384], n] {
            assert!(server.public(&zero).is_none());
            assert!(session_key(&a, &secret, &b_public, &zero).is_none());
        }
    }

    use super::*;
    use crate::local::sign_in::srp_kdf::hkdf16;
    use crypto_bigint::modular::{FixedMontyForm, FixedMontyParams};
    use crypto_bigint::{Odd, U256, U3072};

    fn monty(value: &U3072) -> FixedMontyForm<{ U3072::LIMBS }> {
        let n = Odd::new(U3072::from_be_hex(N_HEX)).expect("odd");
        FixedMontyForm::new(value, &FixedMontyParams::new_vartime(n))
    }

    fn to_bytes(value: &U3072) -> Vec<u8> {
        value.to_be_bytes().as_ref().to_vec()
    }

    /// The client's half, written from pycognito's AWSSRP: proves the server's half
    /// agrees with what a real client computes. (tests/store/srp_pycognito.rs runs pycognito
    /// itself against `serve`.)
    fn client_key(
        pool_id: &str,
        user: &str,
        password: &str,
        salt_hex: &str,
        b_hex: &str,
        a: &U256,
    ) -> (U3072, [u8; 16]) {
        let g = monty(&U3072::from_u64(G.into()));
        let big_a = g.pow(a).retrieve();
        let b_pub = hex::decode(if b_hex.len() % 2 == 1 {
            format!("0{b_hex}")
        } else {
            b_hex.into()
        })
        .unwrap();
        let u_digest = Sha256::new()
            .chain_update(padded(&to_bytes(&big_a)))
            .chain_update(padded(&b_pub))
            .finalize();
        let u = U256::from_be_slice(&u_digest);
        let salt = hex::decode(salt_hex).unwrap();
        let x = U256::from_be_slice(&private_key(pool_id, user, &Secret::new(password), &salt));
        let k = monty(&U3072::from_be_slice(&pad_to::<384>(&K[..])));
        let base = monty(&U3072::from_be_slice(&pad_to::<384>(&b_pub))) - k * g.pow(&x);
        // base^(a + u·x) = base^a · (base^u)^x
        let s = base.pow(a) * base.pow(&u).pow(&x);
        (
            big_a,
            hkdf16(&padded(&to_bytes(&s.retrieve())), &padded(&u_digest)),
        )
    }

    #[test]
    fn k_is_cognitos() {
        // pycognito: hex_hash("00" + n_hex + "0" + g_hex)
        assert_eq!(
            hex::encode(*K),
            "538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6"
        );
    }

    #[test]
    fn server_and_client_agree_and_wrong_passwords_do_not() {
        let pool = "us-east-1_AbC";
        let v = new_verifier(pool, "diego", &Secret::new("Passw0rd!"));
        let b = ServerSecret::new();
        let b_public = b.public(&v.verifier).unwrap();
        let b_hex = to_hex(&b_public);
        let salt_hex = to_hex(&v.salt);
        let a =
            U256::from_be_hex("1f2e3d4c5b6a79880123456789abcdef0fedcba98765432100112233445566aa");
        let (big_a, client) = client_key(pool, "diego", "Passw0rd!", &salt_hex, &b_hex, &a);
        let parsed = parse_client_public(&to_hex(&to_bytes(&big_a))).unwrap();
        assert_eq!(&parsed[..], &to_bytes(&big_a)[..]);
        let server = session_key(&parsed, &b.secret, &b_public, &v.verifier).unwrap();
        assert_eq!(client, server);

        let block = [9u8; 48];
        let ts = "Sun Nov 22 6:13:18 UTC 2026";
        let mut message = b"AbCdiego".to_vec();
        message.extend_from_slice(&block);
        message.extend_from_slice(ts.as_bytes());
        let sig = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, &client), &message);
        assert!(signature_matches(
            &server,
            pool,
            "diego",
            &block,
            ts,
            sig.as_ref()
        ));
        assert!(!signature_matches(
            &server,
            pool,
            "diego",
            &block,
            "other time",
            sig.as_ref()
        ));

        let (_, wrong) = client_key(pool, "diego", "wrong", &salt_hex, &b_hex, &a);
        assert_ne!(wrong, server);
    }

    #[test]
    fn degenerate_client_values_are_refused() {
        assert!(parse_client_public("0").is_none());
        assert!(parse_client_public(N_HEX).is_none());
        assert!(parse_client_public("not hex").is_none());
        assert!(parse_client_public(&"f".repeat(800)).is_none());
        assert!(parse_client_public("02").is_some());
    }

    #[test]
    fn padding_follows_cognito_clients() {
        assert_eq!(padded(&[0x7f, 1]), vec![0x7f, 1]);
        assert_eq!(padded(&[0x80, 1]), vec![0, 0x80, 1]);
        assert_eq!(padded(&[0, 0, 0x12]), vec![0x12]);
        assert_eq!(padded(&[0, 0]), vec![0]);
    }

    #[test]
    fn verifier_matches_python_pow() {
        // Computed independently with Python: pow(2, x, N) with x hashed as pycognito does.
        let mut salt = [7u8; SALT_LEN];
        salt[0] = 0x80;
        let v = verifier_for("us-east-1_AbC", "diego", &Secret::new("Passw0rd!"), &salt);
        assert_eq!(
            hex::encode(&v[v.len() - 32..]),
            "3d48476e7b10697020c2bc7a4087cca5298e3af30c4d61f7711b88c92597db9e"
        );
    }

    #[test]
    fn verifier_depends_on_every_input() {
        let pw = Secret::new("Passw0rd!");
        let salt = [7u8; SALT_LEN];
        let a = verifier_for("us-east-1_AbC", "diego", &pw, &salt);
        let b = verifier_for("us-east-1_AbC", "diego", &pw, &salt);
        assert_eq!(a, b);
        assert_eq!(a.len(), 384);
        assert_ne!(
            a,
            verifier_for("us-east-1_AbC", "diego", &Secret::new("other"), &salt)
        );
        assert_ne!(a, verifier_for("us-east-1_AbC", "ana", &pw, &salt));
        assert_ne!(
            a,
            verifier_for("us-east-1_AbC", "diego", &pw, &[8u8; SALT_LEN])
        );
        // The region part of the pool id does not enter the hash, as in Cognito.
        assert_eq!(a, verifier_for("eu-west-1_AbC", "diego", &pw, &salt));
    }
}
