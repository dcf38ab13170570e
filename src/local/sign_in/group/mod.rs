//! Arithmetic in RFC 5054's 3072-bit group, the one Cognito's SRP uses, on aws-lc's
//! Montgomery multiplication (the program's TLS library already links it: its
//! `bn_mul_mont` is assembly with MULX/ADX on x86-64 and constant-time in its operands).
//!
//! Numbers cross this module's edge as 384 big-endian bytes below N ([`Element`]), so
//! the unsafe part stays here, small: aws-lc's BIGNUMs are owned by [`Bn`] and freed
//! (cleared) on drop.
//!
//! **g^x for a secret x** ([`g_pow`]) is the cost of every password someone sets: the
//! verifier. g is fixed, so g^(d·2^(W·i)) is tabled for each W-bit window i of a 256-bit
//! exponent and each digit d: g^x is then one multiplication a window (no squarings).
//! It is constant-time in x: the windows are walked in the same order for every x, and
//! a digit only decides which table entry is *kept*; every entry of the window's row is
//! read and masked ([`select`]), the mask made from the digit with arithmetic behind an
//! optimisation barrier, never a branch or an index.

use std::hint::black_box;
use std::ptr::NonNull;
use std::sync::LazyLock;

use aws_lc_sys as ffi;

#[cfg(target_arch = "x86_64")]
mod ifma;

/// A number mod N: 384 bytes, big-endian.
pub type Element = [u8; BYTES];
pub const BYTES: usize = 384;
const LIMBS: usize = BYTES / 8;

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
pub const G: u8 = 2;

/// One of aws-lc's BIGNUMs, owned; cleared when dropped (it may hold a secret).
struct Bn(NonNull<ffi::BIGNUM>);

impl Bn {
    /// The number `bytes` spell, big-endian, with as many limbs as the bytes fill (384
    /// bytes: 48 limbs, the width Montgomery multiplication takes its fast path at).
    fn from_be(bytes: &[u8]) -> Self {
        // SAFETY: BN_bin2bn reads `bytes.len()` bytes and returns a new BIGNUM or null.
        let bn = unsafe { ffi::BN_bin2bn(bytes.as_ptr(), bytes.len(), std::ptr::null_mut()) };
        Self(NonNull::new(bn).expect("aws-lc could not allocate a number"))
    }

    fn zero() -> Self {
        Self::from_be(&[0u8; BYTES])
    }

    fn ptr(&self) -> *const ffi::BIGNUM {
        self.0.as_ptr()
    }

    fn mut_ptr(&mut self) -> *mut ffi::BIGNUM {
        self.0.as_ptr()
    }

    /// The 48 limbs, least significant first, of a full-width number.
    fn limbs_mut(&mut self) -> &mut [u64] {
        // SAFETY: every Bn this module hands here was made 384 bytes wide (from_be of
        // 384 bytes, or a Montgomery product, whose width is N's): `d` holds 48 limbs.
        unsafe {
            let bn = self.0.as_ptr();
            assert_eq!((*bn).width as usize, LIMBS, "a full-width number");
            std::slice::from_raw_parts_mut((*bn).d, LIMBS)
        }
    }

    fn to_be(&self) -> Element {
        let mut out = [0u8; BYTES];
        // SAFETY: `out` has room for BYTES bytes; every value here is below N.
        let ok = unsafe { ffi::BN_bn2bin_padded(out.as_mut_ptr(), BYTES, self.ptr()) };
        assert_eq!(ok, 1, "a number mod N fits in 384 bytes");
        out
    }
}

impl Drop for Bn {
    fn drop(&mut self) {
        // SAFETY: the pointer came from BN_bin2bn and is freed once.
        unsafe { ffi::BN_clear_free(self.0.as_ptr()) }
    }
}

/// aws-lc's scratch space for one computation.
struct Ctx(NonNull<ffi::BN_CTX>);

impl Ctx {
    fn new() -> Self {
        // SAFETY: BN_CTX_new returns a new context or null.
        Self(NonNull::new(unsafe { ffi::BN_CTX_new() }).expect("aws-lc could not allocate"))
    }
}

impl Drop for Ctx {
    fn drop(&mut self) {
        // SAFETY: made by BN_CTX_new, freed once.
        unsafe { ffi::BN_CTX_free(self.0.as_ptr()) }
    }
}

/// N, and aws-lc's Montgomery constants for it.
struct Modulus {
    n: Bn,
    mont: NonNull<ffi::BN_MONT_CTX>,
}

// SAFETY: after it is made, the modulus is only read (aws-lc's BN_MONT_CTX is read-only
// in every call that takes it as `const`).
unsafe impl Send for Modulus {}
unsafe impl Sync for Modulus {}

static MODULUS: LazyLock<Modulus> = LazyLock::new(|| {
    let n = Bn::from_be(&hex::decode(N_HEX).expect("N is hex"));
    let ctx = Ctx::new();
    // SAFETY: n is a valid odd number; the result is a new context or null.
    let mont = unsafe { ffi::BN_MONT_CTX_new_for_modulus(n.ptr(), ctx.0.as_ptr()) };
    Modulus {
        n,
        mont: NonNull::new(mont).expect("aws-lc could not set up N"),
    }
});

fn check(ok: std::os::raw::c_int, what: &str) {
    assert_eq!(ok, 1, "aws-lc failed: {what}");
}

/// r = a·b·R⁻¹ mod N (all full width, in Montgomery form); r may be a or b.
fn mont_mul(r: *mut ffi::BIGNUM, a: *const ffi::BIGNUM, b: *const ffi::BIGNUM, ctx: &Ctx) {
    // SAFETY: valid BIGNUMs below N; aws-lc's bn_mul_mont allows r to alias a or b.
    check(
        unsafe { ffi::BN_mod_mul_montgomery(r, a, b, MODULUS.mont.as_ptr(), ctx.0.as_ptr()) },
        "Montgomery multiplication",
    );
}

fn to_montgomery(a: &Element, ctx: &Ctx) -> Bn {
    let mut r = Bn::from_be(a);
    let r_ptr = r.mut_ptr();
    // SAFETY: a is below N (every Element is); r may alias a.
    check(
        unsafe { ffi::BN_to_montgomery(r_ptr, r_ptr, MODULUS.mont.as_ptr(), ctx.0.as_ptr()) },
        "into Montgomery form",
    );
    r
}

fn from_montgomery(mut a: Bn, ctx: &Ctx) -> Element {
    let a_ptr = a.mut_ptr();
    // SAFETY: a is a Montgomery form below N; r may alias a.
    check(
        unsafe { ffi::BN_from_montgomery(a_ptr, a_ptr, MODULUS.mont.as_ptr(), ctx.0.as_ptr()) },
        "out of Montgomery form",
    );
    a.to_be()
}

/// Bits of the exponent a window covers. 5 bits: 52 windows, so 51 multiplications,
/// and a table of 52 × 32 entries (640 KB) whose every row is read once per g^x,
/// which the core's L2 cache holds. (4 bits reads less but multiplies 63 times; 6 bits
/// multiplies 42 times but reads a megabyte.)
const WINDOW: usize = 5;
const DIGITS: usize = 1 << WINDOW;
const WINDOWS: usize = 256_usize.div_ceil(WINDOW);

type Limbs = [u64; LIMBS];

/// g^(d·2^(W·i)) mod N for each window i and digit d, as plain numbers: the tables of
/// both paths are made from these.
fn g_powers() -> Vec<[Element; DIGITS]> {
    let ctx = Ctx::new();
    let mut g = [0u8; BYTES];
    g[BYTES - 1] = G;
    let mut base = to_montgomery(&g, &ctx);
    let mut one = [0u8; BYTES];
    one[BYTES - 1] = 1;
    (0..WINDOWS)
        .map(|_| {
            let mut entry = to_montgomery(&one, &ctx);
            let row = std::array::from_fn(|d| {
                if d > 0 {
                    let e = entry.mut_ptr();
                    mont_mul(e, e, base.ptr(), &ctx);
                }
                let mut plain = Bn::zero();
                plain.limbs_mut().copy_from_slice(&entry.limbs_copy());
                from_montgomery(plain, &ctx)
            });
            let b = base.mut_ptr();
            for _ in 0..WINDOW {
                mont_mul(b, b, b, &ctx);
            }
            row
        })
        .collect()
}

/// The portable path's table: [`g_powers`] in aws-lc's Montgomery form.
static G_TABLE: LazyLock<Vec<[Limbs; DIGITS]>> = LazyLock::new(|| {
    let ctx = Ctx::new();
    g_powers()
        .into_iter()
        .map(|row| row.map(|plain| to_montgomery(&plain, &ctx).limbs_copy()))
        .collect()
});

impl Bn {
    fn limbs_copy(&self) -> Limbs {
        // SAFETY: as limbs_mut: a full-width number has 48 limbs at `d`.
        unsafe {
            let bn = self.0.as_ptr();
            assert_eq!((*bn).width as usize, LIMBS, "a full-width number");
            std::slice::from_raw_parts((*bn).d, LIMBS)
                .try_into()
                .expect("48 limbs")
        }
    }
}

/// All ones when a == b, else zero, without a branch: the value only flows through
/// arithmetic, and the barrier keeps the compiler from turning it back into one.
fn mask_if_equal(a: usize, b: usize) -> u64 {
    let diff = (a ^ b) as u64; // below 2^32 for window digits
    black_box(0u64.wrapping_sub(diff.wrapping_sub(1) >> 63))
}

/// The row's entry for `digit`, read in constant time: every entry is read and masked.
fn select(row: &[Limbs; DIGITS], digit: usize, out: &mut [u64]) {
    out.fill(0);
    for (d, entry) in row.iter().enumerate() {
        let mask = mask_if_equal(d, digit);
        for (o, e) in out.iter_mut().zip(entry) {
            *o |= e & mask;
        }
    }
}

/// Window i of a big-endian exponent: bits [W·i, W·i + W). Which bytes are read
/// depends on i and the exponent's length alone.
fn digit(x: &[u8], i: usize) -> usize {
    let low = i * WINDOW;
    let mut value = 0usize;
    for bit in 0..WINDOW {
        let at = low + bit;
        if at < x.len() * 8 {
            let byte = x[x.len() - 1 - at / 8] as usize;
            value |= ((byte >> (at % 8)) & 1) << bit;
        }
    }
    value
}

/// g^x mod N, constant-time in x: with AVX-512 IFMA where the processor has it, else
/// with aws-lc's Montgomery multiplication.
pub fn g_pow(x: &[u8; 32]) -> Element {
    #[cfg(target_arch = "x86_64")]
    if ifma::available() {
        return ifma::g_pow(x);
    }
    g_pow_portable(x)
}

/// Make g^x's table now rather than in the first call that needs it.
pub fn warm() {
    #[cfg(target_arch = "x86_64")]
    if ifma::available() {
        return ifma::warm();
    }
    LazyLock::force(&G_TABLE);
}

fn g_pow_portable(x: &[u8; 32]) -> Element {
    let table = &*G_TABLE;
    let ctx = Ctx::new();
    let mut acc = Bn::zero();
    let mut pick = Bn::zero();
    select(&table[0], digit(x, 0), acc.limbs_mut());
    for (i, row) in table.iter().enumerate().skip(1) {
        select(row, digit(x, i), pick.limbs_mut());
        let a = acc.mut_ptr();
        mont_mul(a, a, pick.ptr(), &ctx);
    }
    from_montgomery(acc, &ctx)
}

/// base^e mod N for a secret e, constant-time: on IFMA where the processor has it, else
/// aws-lc's constant-time exponentiation.
pub fn pow_secret(base: &Element, e: &[u8; 32]) -> Element {
    pow(base, e, true)
}

/// base^e mod N for an e anyone may know (SRP's u), of any length, big-endian.
pub fn pow_public(base: &Element, e: &[u8]) -> Element {
    pow(base, e, false)
}

fn pow(base: &Element, e: &[u8], secret: bool) -> Element {
    #[cfg(target_arch = "x86_64")]
    if ifma::available() {
        return ifma::pow(base, e);
    }
    pow_aws_lc(base, e, secret)
}

/// base^e mod N with aws-lc: `BN_mod_exp_mont_consttime` for a secret e.
fn pow_aws_lc(base: &Element, e: &[u8], secret: bool) -> Element {
    let ctx = Ctx::new();
    let base = Bn::from_be(base);
    let e = Bn::from_be(e);
    let mut r = Bn::zero();
    let m = &*MODULUS;
    // The two take the same arguments; the first's time does not depend on e.
    let exp = if secret {
        ffi::BN_mod_exp_mont_consttime
    } else {
        ffi::BN_mod_exp_mont
    };
    // SAFETY: base below N, e non-negative; r distinct from both.
    let ok = unsafe {
        exp(
            r.mut_ptr(),
            base.ptr(),
            e.ptr(),
            m.n.ptr(),
            ctx.0.as_ptr(),
            m.mont.as_ptr(),
        )
    };
    check(ok, "exponentiation");
    r.to_be()
}

/// a·b mod N.
pub fn mul(a: &Element, b: &Element) -> Element {
    let ctx = Ctx::new();
    let mut a = to_montgomery(a, &ctx);
    let b = Bn::from_be(b);
    // a·R · b · R⁻¹ = a·b, out of Montgomery form at once.
    let a_ptr = a.mut_ptr();
    mont_mul(a_ptr, a_ptr, b.ptr(), &ctx);
    a.to_be()
}

type QuickOp = unsafe extern "C" fn(
    *mut ffi::BIGNUM,
    *const ffi::BIGNUM,
    *const ffi::BIGNUM,
    *const ffi::BIGNUM,
) -> std::os::raw::c_int;

/// aws-lc's `BN_mod_add_quick` or `BN_mod_sub_quick` on two numbers below N.
fn quick(a: &Element, b: &Element, op: QuickOp, what: &str) -> Element {
    let a = Bn::from_be(a);
    let b = Bn::from_be(b);
    let mut r = Bn::zero();
    // SAFETY: a and b are below N, as the quick operations need.
    check(
        unsafe { op(r.mut_ptr(), a.ptr(), b.ptr(), MODULUS.n.ptr()) },
        what,
    );
    r.to_be()
}

/// a − b mod N.
pub fn sub(a: &Element, b: &Element) -> Element {
    quick(a, b, ffi::BN_mod_sub_quick, "subtraction")
}

/// a + b mod N.
pub fn add(a: &Element, b: &Element) -> Element {
    quick(a, b, ffi::BN_mod_add_quick, "addition")
}

/// The number `bytes` spell (big-endian, at most 384 bytes), reduced mod N.
pub fn reduce(bytes: &[u8]) -> Option<Element> {
    if bytes.len() > BYTES {
        return None;
    }
    let ctx = Ctx::new();
    let a = Bn::from_be(bytes);
    let mut r = Bn::zero();
    // SAFETY: valid numbers; N is not zero.
    check(
        unsafe { ffi::BN_nnmod(r.mut_ptr(), a.ptr(), MODULUS.n.ptr(), ctx.0.as_ptr()) },
        "reduction",
    );
    Some(r.to_be())
}

pub fn is_zero(e: &Element) -> bool {
    e.iter().all(|&b| b == 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crypto_bigint::modular::{FixedMontyForm, FixedMontyParams};
    use crypto_bigint::{Odd, U256, U3072};

    /// An independent implementation (crypto-bigint's) to check aws-lc's use against.
    fn reference_pow(base: &Element, e: &[u8; 32]) -> Element {
        let n = Odd::new(U3072::from_be_hex(N_HEX)).expect("odd");
        let params = FixedMontyParams::new_vartime(n);
        let b = FixedMontyForm::new(&U3072::from_be_slice(base), &params);
        let r = b.pow(&U256::from_be_slice(e)).retrieve();
        r.to_be_bytes().as_ref().try_into().expect("384 bytes")
    }

    fn element(seed: u8) -> Element {
        let mut out = [0u8; BYTES];
        for (i, b) in out.iter_mut().enumerate() {
            *b = (i as u8).wrapping_mul(31).wrapping_add(seed);
        }
        out[0] &= 0x7f; // below N
        out
    }

    fn exponent(seed: u8) -> [u8; 32] {
        use sha2::{Digest, Sha256};
        Sha256::digest([seed]).into()
    }

    #[test]
    fn g_pow_agrees_with_plain_exponentiation_at_every_digit() {
        let mut g = [0u8; BYTES];
        g[BYTES - 1] = G;
        for e in [[0u8; 32], [0xff; 32], exponent(1), exponent(2), exponent(3)] {
            assert_eq!(g_pow(&e), reference_pow(&g, &e));
            assert_eq!(g_pow_portable(&e), reference_pow(&g, &e));
        }
        // Every digit of every window, across a byte boundary too.
        for d in 0..DIGITS as u8 {
            let mut e = [0u8; 32];
            e[31] = d;
            e[30] = d.rotate_left(3);
            e[0] = d;
            assert_eq!(g_pow(&e), reference_pow(&g, &e), "digit {d}");
            assert_eq!(g_pow_portable(&e), reference_pow(&g, &e), "digit {d}");
        }
    }

    #[test]
    fn powers_products_and_sums_agree_with_the_reference() {
        for seed in [1u8, 9, 200] {
            let (a, b, e) = (element(seed), element(seed.wrapping_add(1)), exponent(seed));
            assert_eq!(pow_secret(&a, &e), reference_pow(&a, &e));
            assert_eq!(pow_public(&a, &e), reference_pow(&a, &e));
            let n = Odd::new(U3072::from_be_hex(N_HEX)).expect("odd");
            let params = FixedMontyParams::new_vartime(n);
            let x = FixedMontyForm::new(&U3072::from_be_slice(&a), &params);
            let y = FixedMontyForm::new(&U3072::from_be_slice(&b), &params);
            let product = (x * y).retrieve();
            assert_eq!(&mul(&a, &b)[..], product.to_be_bytes().as_ref());
            let sum = (x + y).retrieve();
            assert_eq!(&add(&a, &b)[..], sum.to_be_bytes().as_ref());
            let difference = (x - y).retrieve();
            assert_eq!(&sub(&a, &b)[..], difference.to_be_bytes().as_ref());
            assert_eq!(sub(&b, &a), sub(&[0u8; BYTES], &sub(&a, &b)));
        }
    }

    #[test]
    fn reduction_wraps_at_n_and_refuses_what_is_too_long() {
        let n = U3072::from_be_hex(N_HEX);
        assert!(is_zero(
            &reduce(n.to_be_bytes().as_ref()).expect("384 bytes")
        ));
        let n_plus_5 = n.wrapping_add(&U3072::from_u64(5));
        let reduced = reduce(n_plus_5.to_be_bytes().as_ref()).expect("384 bytes");
        assert_eq!(reduced[BYTES - 1], 5);
        assert!(reduced[..BYTES - 1].iter().all(|&b| b == 0));
        assert!(reduce(&[1u8; BYTES + 1]).is_none());
        assert_eq!(reduce(&[2]).expect("one byte")[BYTES - 1], 2);
    }

    #[test]
    fn selection_keeps_only_the_digits_entry() {
        let mut row = [[0u64; LIMBS]; DIGITS];
        for (d, entry) in row.iter_mut().enumerate() {
            entry.fill(d as u64 * 0x0101_0101 + 7);
        }
        let mut out = [0u64; LIMBS];
        for d in 0..DIGITS {
            select(&row, d, &mut out);
            assert_eq!(out, row[d]);
        }
    }
}
