//! The password verifier Cognito keeps instead of a password (SRP-6a over RFC 5054's
//! 3072-bit group, g = 2). Storing `v` now means sign-in can run the SRP handshake later
//! without any change to what is stored.
//!
//! x = SHA256(salt | SHA256(pool-id part after "_" | username | ":" | password)),
//! v = g^x mod N. The salt enters the hash as the padded big-endian bytes Cognito's
//! clients use (a leading zero byte when its high bit is set).

use std::sync::LazyLock;

use crypto_bigint::modular::{FixedMontyForm, FixedMontyParams};
use crypto_bigint::{Odd, U256, U3072};
use rand::TryRng;
use rand::rngs::SysRng;
use sha2::{Digest, Sha256};

use crate::pool::Secret;

/// RFC 5054, appendix A, the 3072-bit group (the one Cognito uses).
pub const N_HEX: &str = concat!(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74",
    "020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437",
    "4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED",
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05",
    "98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB",
    "9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B",
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF695581718",
    "3995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33",
    "A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7",
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864",
    "D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E2",
    "08E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
);
pub const G: u64 = 2;

static PARAMS: LazyLock<FixedMontyParams<{ U3072::LIMBS }>> = LazyLock::new(|| {
    let n = Odd::new(U3072::from_be_hex(N_HEX)).expect("RFC 5054 prime is odd");
    FixedMontyParams::new_vartime(n)
});

pub const SALT_LEN: usize = 16;

/// A salt and the verifier derived from it, as stored for a user.
#[derive(Clone, PartialEq, Eq)]
pub struct Verifier {
    pub salt: Vec<u8>,
    /// g^x mod N, big-endian, 384 bytes.
    pub verifier: Vec<u8>,
}

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Verifier(***)")
    }
}

/// Bytes as Cognito's clients feed a big number to SHA-256: big-endian, with a leading
/// zero byte when the high bit is set (their "padHex").
pub fn padded(bytes: &[u8]) -> Vec<u8> {
    let trimmed = match bytes.iter().position(|&b| b != 0) {
        Some(i) => &bytes[i..],
        None => &[0u8][..],
    };
    let mut out = Vec::with_capacity(trimmed.len() + 1);
    if trimmed[0] & 0x80 != 0 {
        out.push(0);
    }
    out.extend_from_slice(trimmed);
    out
}

/// The pool id's part after the underscore, as Cognito's SRP hashes it.
pub fn pool_name_part(pool_id: &str) -> &str {
    pool_id.split_once('_').map_or(pool_id, |(_, name)| name)
}

/// x = SHA256(padded salt | SHA256(pool | username | ":" | password)).
pub fn private_key(pool_id: &str, username: &str, password: &Secret, salt: &[u8]) -> U256 {
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
    U256::from_be_slice(&outer)
}

/// g^x mod N for a given salt.
pub fn verifier_for(pool_id: &str, username: &str, password: &Secret, salt: &[u8]) -> Vec<u8> {
    let x = private_key(pool_id, username, password, salt);
    let g = FixedMontyForm::new(&U3072::from_u64(G), &PARAMS);
    g.pow(&x).retrieve().to_be_bytes().as_ref().to_vec()
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

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn small_exponent_is_plain_power_of_two() {
        // g^x for x = 10 is 1024: the modular arithmetic and encoding agree with the math.
        let g = FixedMontyForm::new(&U3072::from_u64(G), &PARAMS);
        let v = g.pow(&U256::from_u64(10)).retrieve().to_be_bytes();
        let bytes = v.as_ref();
        assert_eq!(&bytes[bytes.len() - 2..], &[4, 0]);
        assert!(bytes[..bytes.len() - 2].iter().all(|&b| b == 0));
    }
}
