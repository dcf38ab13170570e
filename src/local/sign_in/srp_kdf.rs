//! The SRP session key, HKDF-SHA256(ikm = pad(S), salt = pad(u), "Caldera Derived Key"),
//! without S's leading bytes steering a branch or an address.
//!
//! Cognito's clients hash S as their "padHex" does: its leading zero bytes dropped, and
//! one zero byte put back when the top bit of what is left is set. How many bytes are
//! hashed then depends on the secret, which is the leak behind the Raccoon attack on TLS:
//! a hash of a shorter input finishes sooner. Here the input's SHA-256 blocks are built
//! for each length S can give with up to eight leading zero bytes, every candidate read
//! and masked, and the hash runs over the same eight blocks whatever the length. (Nine
//! or more leading zero bytes, a chance of 2⁻⁷², are hashed as eight: that handshake
//! fails and the client signs in again.)

use std::hint::black_box;

use aws_lc_rs::hmac;
use sha2::digest::generic_array::GenericArray;
use sha2::{Digest, Sha256};

use super::group::{BYTES, Element};

const BLOCK: usize = 64;
/// pad(S) hashed after the 64-byte HMAC key block: at most BYTES + 1 bytes, and with
/// SHA-256's padding (0x80, the bit length) seven more blocks for every length handled.
const TAIL: usize = 7 * BLOCK;
/// Leading bytes dropped from 0 ‖ S: 0 (the top bit of S is set) to 9 (eight zero bytes,
/// then a byte below 0x80). pad(S) is then 385 down to 376 bytes, all in seven blocks.
const MAX_SKIP: usize = 9;

/// SHA-256's initial state (FIPS 180-4, 5.3.3).
const IV: [u32; 8] = [
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

/// Bytes as Cognito's clients feed a big number to SHA-256: big-endian, without leading
/// zero bytes, and with one zero byte first when the high bit is set (their "padHex").
/// For public numbers: its length depends on the value ([`session_key`] hashes the
/// secret S so without this).
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

/// 1 when `b` is 0, else 0, by arithmetic (the barrier keeps it from becoming a branch).
fn is_zero(b: u8) -> usize {
    black_box(((b as u32).wrapping_sub(1) >> 8) as usize & 1)
}

/// All ones when a == b, else 0 (both small), by arithmetic.
fn mask_if_equal(a: usize, b: usize) -> u8 {
    let diff = (a ^ b) as u64;
    black_box(0u8.wrapping_sub((diff.wrapping_sub(1) >> 63) as u8))
}

/// The seven blocks SHA-256 reads after the key block: pad(S), 0x80, zeros and the bit
/// length of key block and pad(S), assembled without branching on S.
fn tail(s: &Element) -> [u8; TAIL] {
    // z: S's leading zero bytes (up to eight); top: the byte after them.
    let mut zeros = 0usize;
    let mut leading = 1usize;
    for &b in &s[..MAX_SKIP - 1] {
        leading &= is_zero(b);
        zeros = zeros.wrapping_add(leading);
    }
    let mut top = 0u8;
    for (i, &b) in s[..MAX_SKIP].iter().enumerate() {
        top |= b & mask_if_equal(i, zeros);
    }
    // pad(S) is (0 ‖ S) from `skip` on: keep the zero before `top` when its bit is set.
    // (Wrapping arithmetic: an overflow check would be a branch on the secret.)
    let skip = zeros.wrapping_add(1).wrapping_sub(usize::from(top >> 7));
    let mut out = [0u8; TAIL];
    for candidate in 0..=MAX_SKIP {
        let mask = mask_if_equal(candidate, skip);
        let len = BYTES + 1 - candidate;
        // (0 ‖ S)[candidate..], then SHA-256's padding; indices depend on the candidate.
        for (i, o) in out.iter_mut().enumerate().take(len) {
            let at = candidate + i;
            let byte = if at == 0 { 0 } else { s[at - 1] };
            *o |= byte & mask;
        }
        out[len] |= 0x80 & mask;
        let bits = ((BLOCK + len) as u64 * 8).to_be_bytes();
        for (o, b) in out[TAIL - 8..].iter_mut().zip(bits) {
            *o |= b & mask;
        }
    }
    out
}

/// The 16-byte key from S and u: HKDF-SHA256 as Cognito's clients compute it.
pub fn session_key(s: &Element, u: &[u8; 32]) -> [u8; 16] {
    // HMAC-SHA256(key = pad(u), message = pad(S)): pad(u) is at most 33 bytes, so it is
    // the key block itself, zero-filled.
    let salt = padded(u);
    let mut inner_key = [0x36u8; BLOCK];
    let mut outer_key = [0x5cu8; BLOCK];
    for (i, b) in salt.iter().enumerate() {
        inner_key[i] ^= b;
        outer_key[i] ^= b;
    }
    let mut state = IV;
    let tail = tail(s);
    let mut blocks = [GenericArray::default(); 8];
    blocks[0].copy_from_slice(&inner_key);
    for (block, chunk) in blocks[1..].iter_mut().zip(tail.chunks_exact(BLOCK)) {
        block.copy_from_slice(chunk);
    }
    sha2::compress256(&mut state, &blocks);
    let mut inner = [0u8; 32];
    for (out, word) in inner.chunks_exact_mut(4).zip(state) {
        out.copy_from_slice(&word.to_be_bytes());
    }
    let prk = Sha256::new()
        .chain_update(outer_key)
        .chain_update(inner)
        .finalize();
    let okm = hmac::sign(
        &hmac::Key::new(hmac::HMAC_SHA256, &prk[..]),
        b"Caldera Derived Key\x01",
    );
    let mut key = [0u8; 16];
    key.copy_from_slice(&okm.as_ref()[..16]);
    key
}

/// One block of HKDF-SHA256 with Cognito's info string, cut to 16 bytes: the plain form
/// of [`session_key`], which the tests hold it to.
#[cfg(test)]
pub(crate) fn hkdf16(ikm: &[u8], salt: &[u8]) -> [u8; 16] {
    let prk = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, salt), ikm);
    let okm = hmac::sign(
        &hmac::Key::new(hmac::HMAC_SHA256, prk.as_ref()),
        b"Caldera Derived Key\x01",
    );
    let mut out = [0u8; 16];
    out.copy_from_slice(&okm.as_ref()[..16]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plain computation, with S's length as it comes.
    fn plain(s: &Element, u: &[u8; 32]) -> [u8; 16] {
        hkdf16(&padded(s), &padded(u))
    }

    #[test]
    fn every_length_handled_gives_the_clients_key() {
        let u = [0x8cu8; 32];
        for zeros in 0..=8 {
            for top in [0xffu8, 0x80, 0x7f, 0x01] {
                let mut s = [0u8; BYTES];
                for (i, b) in s.iter_mut().enumerate() {
                    *b = (i as u8).wrapping_mul(37).wrapping_add(11) | 1;
                }
                s[..zeros].fill(0);
                s[zeros] = top;
                assert_eq!(
                    session_key(&s, &u),
                    plain(&s, &u),
                    "{zeros} zero bytes, then {top:#04x}"
                );
            }
        }
        // A u whose top bit is clear, and one with a leading zero byte, pad differently.
        let s = [0xa5u8; BYTES];
        for u in [[0x11u8; 32], {
            let mut u = [0x99u8; 32];
            u[0] = 0;
            u
        }] {
            assert_eq!(session_key(&s, &u), plain(&s, &u));
        }
    }
}
