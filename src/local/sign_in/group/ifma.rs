//! g^x with AVX-512 IFMA, where the processor has it: numbers as 60 limbs of 52 bits
//! (3120 bits, R = 2^3120), eight to a 512-bit register, multiplied 52 × 52 bits at a time
//! by VPMADD52LUQ/HUQ. A Montgomery multiplication is then about a third of aws-lc's
//! MULX one on the same core.
//!
//! "Almost" Montgomery multiplication: with inputs below 2N the result is below 2N
//! (R > 4N), so a chain of them needs no reduction between steps; the one subtraction
//! that brings the result below N is done once at the end, with a mask.
//!
//! Constant-time: the instructions used take the same time whatever their operands;
//! no branch and no address depends on a number's value (the table row's entries are
//! all read and masked, as in the portable path).

use std::arch::x86_64::*;
use std::sync::LazyLock;

use super::{DIGITS, Element, WINDOWS, digit, mask_if_equal};

/// 52-bit limbs, least significant first; lanes 60..64 are zero.
pub type Limbs52 = [u64; 64];
const USED: usize = 60;
const MASK: u64 = (1 << 52) - 1;

/// Whether this processor runs the IFMA path.
pub fn available() -> bool {
    std::arch::is_x86_feature_detected!("avx512f")
        && std::arch::is_x86_feature_detected!("avx512ifma")
}

/// Big-endian bytes (at most 384) as 52-bit limbs.
pub fn from_be(bytes: &[u8]) -> Limbs52 {
    let mut out = [0u64; 64];
    for (i, &byte) in bytes.iter().rev().enumerate() {
        let bit = i * 8;
        out[bit / 52] |= ((byte as u64) << (bit % 52)) & MASK;
        if bit % 52 > 44 {
            out[bit / 52 + 1] |= (byte as u64) >> (52 - bit % 52);
        }
    }
    out
}

/// Normalised 52-bit limbs (below 2^3072) as 384 big-endian bytes.
fn to_be(limbs: &Limbs52) -> Element {
    let mut out = [0u8; 384];
    for (i, byte) in out.iter_mut().rev().enumerate() {
        let bit = i * 8;
        let mut v = limbs[bit / 52] >> (bit % 52);
        if bit % 52 > 44 {
            v |= limbs[bit / 52 + 1] << (52 - bit % 52);
        }
        *byte = v as u8;
    }
    out
}

struct Constants {
    n: Limbs52,
    /// R mod N: one, in Montgomery form.
    r_mod_n: Element,
    /// g^(d·2^(W·i))·R mod N for each window i and digit d.
    table: Vec<[Limbs52; DIGITS]>,
}

static CONSTANTS: LazyLock<Constants> = LazyLock::new(|| {
    let n_bytes = hex::decode(super::N_HEX).expect("N is hex");
    let n = from_be(&n_bytes);
    // R mod N = 2^3120 mod N, with aws-lc's arithmetic (once).
    let mut two = [0u8; 384];
    two[383] = 2;
    let r_mod_n = super::pow_aws_lc(&two, &(52 * USED as u16).to_be_bytes(), false);
    let table = super::g_powers()
        .into_iter()
        .map(|row| row.map(|plain| from_be(&super::mul(&plain, &r_mod_n))))
        .collect();
    Constants { n, r_mod_n, table }
});

/// Make the tables now (a few milliseconds), not in the first call that needs them.
pub fn warm() {
    LazyLock::force(&CONSTANTS);
}

/// g^x mod N, constant-time in x. Only when [`available`].
pub fn g_pow(x: &[u8; 32]) -> Element {
    assert!(available(), "g_pow on IFMA needs AVX-512 IFMA");
    // SAFETY: the processor has the features the function is compiled for (checked).
    unsafe { g_pow_ifma(x, &CONSTANTS) }
}

#[target_feature(enable = "avx512f,avx512ifma")]
fn g_pow_ifma(x: &[u8; 32], c: &Constants) -> Element {
    let mut acc = [0u64; 64];
    let mut pick = [0u64; 64];
    select(&c.table[0], digit(x, 0), &mut acc);
    for (i, row) in c.table.iter().enumerate().take(WINDOWS).skip(1) {
        select(row, digit(x, i), &mut pick);
        acc = amm(&acc, &pick, &c.n);
    }
    out_of_montgomery(&acc, c)
}

/// base^e mod N (e big-endian, any length), constant-time in e and in base: the same
/// squarings and multiplications for every e, each window's entry picked by masks from
/// a table of base^0..base^31 made for this call. Only when [`available`].
pub fn pow(base: &Element, e: &[u8]) -> Element {
    assert!(available(), "pow on IFMA needs AVX-512 IFMA");
    let c = &*CONSTANTS;
    // base·R mod N, with aws-lc's (constant-time) multiplication.
    let base = from_be(&super::mul(base, &c.r_mod_n));
    // SAFETY: the processor has the features the function is compiled for (checked).
    unsafe { pow_ifma(&base, e, c) }
}

#[target_feature(enable = "avx512f,avx512ifma")]
fn pow_ifma(base: &Limbs52, e: &[u8], c: &Constants) -> Element {
    let mut table = [[0u64; 64]; DIGITS];
    table[0] = from_be(&c.r_mod_n);
    for d in 1..DIGITS {
        table[d] = amm(&table[d - 1], base, &c.n);
    }
    let windows = (e.len() * 8).div_ceil(super::WINDOW);
    let mut acc = table[0];
    let mut pick = [0u64; 64];
    for i in (0..windows).rev() {
        for _ in 0..super::WINDOW {
            acc = amm(&acc, &acc, &c.n);
        }
        select(&table, digit(e, i), &mut pick);
        acc = amm(&acc, &pick, &c.n);
    }
    out_of_montgomery(&acc, c)
}

/// acc·R⁻¹ mod N, fully reduced, as big-endian bytes: the end of every power here.
#[target_feature(enable = "avx512f,avx512ifma")]
fn out_of_montgomery(acc: &Limbs52, c: &Constants) -> Element {
    let mut one = [0u64; 64];
    one[0] = 1;
    let mut plain = normalise(&amm(acc, &one, &c.n));
    subtract_if_not_below(&mut plain, &c.n);
    to_be(&plain)
}

fn load(limbs: &Limbs52) -> [__m512i; 8] {
    // SAFETY: each of the 8 reads is 64 bytes within the 512-byte array.
    std::array::from_fn(|k| unsafe { _mm512_loadu_si512(limbs.as_ptr().add(8 * k).cast()) })
}

fn store(regs: &[__m512i; 8]) -> Limbs52 {
    let mut out = [0u64; 64];
    for (k, r) in regs.iter().enumerate() {
        // SAFETY: each of the 8 writes is 64 bytes within the 512-byte array.
        unsafe { _mm512_storeu_si512(out.as_mut_ptr().add(8 * k).cast(), *r) };
    }
    out
}

/// The row's entry for `digit`: every entry read, each masked in or out.
#[target_feature(enable = "avx512f")]
fn select(row: &[Limbs52; DIGITS], digit: usize, out: &mut Limbs52) {
    let mut acc = [_mm512_setzero_si512(); 8];
    for (d, entry) in row.iter().enumerate() {
        let mask = _mm512_set1_epi64(mask_if_equal(d, digit) as i64);
        let e = load(entry);
        for k in 0..8 {
            acc[k] = _mm512_or_si512(acc[k], _mm512_and_si512(e[k], mask));
        }
    }
    *out = store(&acc);
}

/// a·b·R⁻¹ mod N, below 2N for a and b below 2N; limbs not yet carried (each below 2^64).
/// N ≡ −1 (mod 2^52), so −N⁻¹ mod 2^52 is 1 and each step's multiple of N is its low limb.
#[target_feature(enable = "avx512f,avx512ifma")]
fn amm(a: &Limbs52, b: &Limbs52, n: &Limbs52) -> Limbs52 {
    let a_regs = load(a);
    let n_regs = load(n);
    let zero = _mm512_setzero_si512();
    let mut r = [zero; 8];
    for &bi in b.iter().take(USED) {
        let bi = _mm512_set1_epi64(bi as i64);
        for k in 0..8 {
            r[k] = _mm512_madd52lo_epu64(r[k], a_regs[k], bi);
        }
        let low = _mm_cvtsi128_si64(_mm512_castsi512_si128(r[0])) as u64;
        let m = _mm512_set1_epi64((low & MASK) as i64);
        for k in 0..8 {
            r[k] = _mm512_madd52lo_epu64(r[k], n_regs[k], m);
        }
        // The lowest limb is now a multiple of 2^52: its carry moves up with the shift.
        let carry = (_mm_cvtsi128_si64(_mm512_castsi512_si128(r[0])) as u64) >> 52;
        for k in 0..7 {
            r[k] = _mm512_alignr_epi64::<1>(r[k + 1], r[k]);
        }
        r[7] = _mm512_alignr_epi64::<1>(zero, r[7]);
        r[0] = _mm512_add_epi64(r[0], _mm512_set_epi64(0, 0, 0, 0, 0, 0, 0, carry as i64));
        for k in 0..8 {
            r[k] = _mm512_madd52hi_epu64(r[k], a_regs[k], bi);
            r[k] = _mm512_madd52hi_epu64(r[k], n_regs[k], m);
        }
    }
    normalise(&store(&r))
}

/// Carries each limb's bits above 52 into the next.
fn normalise(limbs: &Limbs52) -> Limbs52 {
    let mut out = [0u64; 64];
    let mut carry = 0u64;
    for (o, &l) in out.iter_mut().zip(limbs) {
        let v = l.wrapping_add(carry);
        *o = v & MASK;
        carry = v >> 52;
    }
    out
}

/// a − n when a ≥ n, else a; chosen by a mask, not a branch.
fn subtract_if_not_below(a: &mut Limbs52, n: &Limbs52) {
    let mut difference = [0u64; 64];
    let mut borrow = 0u64;
    for ((d, &x), &y) in difference.iter_mut().zip(a.iter()).zip(n) {
        let v = x.wrapping_sub(y).wrapping_sub(borrow);
        *d = v & MASK;
        borrow = v >> 63;
    }
    // borrow = 1: a < n, keep a.
    let keep = std::hint::black_box(0u64.wrapping_sub(borrow));
    for (x, d) in a.iter_mut().zip(difference) {
        *x = (*x & keep) | (d & !keep);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limbs_and_bytes_round_trip() {
        let mut bytes = [0u8; 384];
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = (i as u8).wrapping_mul(151).wrapping_add(3);
        }
        assert_eq!(to_be(&from_be(&bytes)), bytes);
        assert!(from_be(&bytes)[..USED].iter().all(|&l| l <= MASK));
    }

    /// Whether the IFMA path can run here; says so when it cannot (the portable path is
    /// tested in the parent module either way).
    fn runs_here() -> bool {
        if !available() {
            eprintln!("no AVX-512 IFMA on this processor: the IFMA path is not tested");
        }
        available()
    }

    #[test]
    fn ifma_agrees_with_aws_lc_where_the_processor_has_it() {
        if !runs_here() {
            return;
        }
        for seed in 0u8..40 {
            let x: [u8; 32] =
                std::array::from_fn(|i| (i as u8).wrapping_mul(seed).wrapping_add(seed));
            assert_eq!(g_pow(&x), super::super::g_pow_portable(&x), "seed {seed}");
        }
        for x in [[0u8; 32], [0xff; 32]] {
            assert_eq!(g_pow(&x), super::super::g_pow_portable(&x));
        }
    }

    #[test]
    fn ifma_powers_agree_with_aws_lc_where_the_processor_has_it() {
        if !runs_here() {
            return;
        }
        for seed in 0u8..12 {
            let mut base = [0u8; 384];
            for (i, b) in base.iter_mut().enumerate() {
                *b = (i as u8)
                    .wrapping_mul(seed.wrapping_add(17))
                    .wrapping_add(seed);
            }
            base[0] &= 0x7f;
            let e: [u8; 32] = std::array::from_fn(|i| (i as u8).wrapping_mul(seed) ^ 0x5a);
            assert_eq!(
                pow(&base, &e),
                super::super::pow_aws_lc(&base, &e, true),
                "seed {seed}"
            );
            let long: [u8; 64] = std::array::from_fn(|i| (i as u8).wrapping_add(seed));
            assert_eq!(
                pow(&base, &long),
                super::super::pow_aws_lc(&base, &long, false)
            );
        }
        let zero = [0u8; 384];
        assert_eq!(pow(&zero, &[3]), zero);
        let mut two = [0u8; 384];
        two[383] = 2;
        assert_eq!(pow(&two, &[]), {
            let mut one = [0u8; 384];
            one[383] = 1;
            one
        });
    }

    #[test]
    fn the_final_subtraction_is_taken_exactly_when_needed() {
        let n = CONSTANTS.n;
        let mut equal = n;
        subtract_if_not_below(&mut equal, &n);
        assert!(equal.iter().all(|&l| l == 0));
        let mut below = n;
        below[0] -= 1;
        let kept = below;
        subtract_if_not_below(&mut below, &n);
        assert_eq!(below, kept);
    }
}
