// Elementary functions written once over the lane layer; every ISA runs the
// same operations in the same order, so results are bit-identical. Accuracy is
// stated per function and tested through the kernels that use them.

// Bit helpers.
inline F f_abs(F x) { return u_as_f(u_and(f_bits(x), u_set(0x7FFFFFFFu))); }
// |r| with the sign of s (r must be >= 0 or NaN).
inline F f_copysign_pos(F r, F s) { return u_as_f(u_or(f_bits(r), u_and(f_bits(s), u_set(0x80000000u)))); }

// Forces inlining of the long functions that also take packs (FK<K>, see
// simd/pack.inl): out of line, a pack is passed through memory, which costs more
// than the interleaving gains.
#ifndef GS_PACK_INLINE
#if defined(_MSC_VER) && !defined(__clang__)
#define GS_PACK_INLINE __forceinline
#else
#define GS_PACK_INLINE inline __attribute__((always_inline))
#endif
#endif

// log_pos(x): natural log for positive, finite, normal x. Cephes' logf reduction
// and polynomial (S. Moshier), evaluated with FMA in a fixed order; <= 2 ulp.
// V is a lane vector F or a pack FK<K> (the same ops on each lane either way).
template <class V>
GS_PACK_INLINE V log_pos(V x) {
  // x = m 2^e with m in [sqrt(1/2), sqrt(2)), split with integer ops only: the
  // offset moves the exponent boundary to sqrt(1/2), so e = (bits - bits(sqrt(1/2)))
  // >> 23 and m's bits are bits - (e << 23); the +128 << 23 bias keeps the shifted
  // quantity positive (a logical shift suffices) and cancels out of m.
  // The same m - 1 and e as Cephes' compare-and-select form (m in [0.5, 1), then
  // 2m - 1 and e - 1 when m < s, s = 0x3F3504F3 the float nearest sqrt(1/2)): for
  // x = M 2^E, M in [1, 2), both give M - 1, E when M < 2s and M/2 - 1, E + 1
  // otherwise, both subtractions of 1 exact; so the same bits, checked over every
  // positive normal float. Half the ops of the compare-and-select form, and none
  // on the FP add ports.
  const auto bits = f_bits(x);
  const auto eb = u_srl<23>(u_add(bits, u_set(0x40000000u - 0x3F3504F3u)));  // e + 128
  const V m = f_sub(u_as_f(u_sub(u_add(bits, u_set(0x40000000u)), u_sll<23>(eb))), f_set(1.0f));
  const V e = i_to_f(u_sub(eb, u_set(128u)));
  const V z = f_mul(m, m);
  V y = f_fma(f_set(7.0376836292e-2f), m, f_set(-1.1514610310e-1f));
  y = f_fma(y, m, f_set(1.1676998740e-1f));
  y = f_fma(y, m, f_set(-1.2420140846e-1f));
  y = f_fma(y, m, f_set(1.4249322787e-1f));
  y = f_fma(y, m, f_set(-1.6668057665e-1f));
  y = f_fma(y, m, f_set(2.0000714765e-1f));
  y = f_fma(y, m, f_set(-2.4999993993e-1f));
  y = f_fma(y, m, f_set(3.3333331174e-1f));
  y = f_mul(f_mul(y, m), z);
  y = f_fma(e, f_set(-2.12194440e-4f), y);
  y = f_fma(z, f_set(-0.5f), y);
  V r = f_add(m, y);
  r = f_fma(e, f_set(0.693359375f), r);
  return r;
}

// exp(x) for all x: Cephes' expf reduction x = n·ln2 + r (ln2 split in two), the
// polynomial e^r = 1 + r + r²·P(r), then 2^n applied in two halves so results down
// to the denormal range and up to +inf come out right. NaN in, NaN out. <= 2 ulp
// on normal results.
struct ExpParts {
  F q;  // e^r - 1, accurate to a few ulp relative even for tiny r
  U n1, n2;  // 2^n = 2^n1 · 2^n2 as float bit patterns
  F nf;  // n as a float
};
inline ExpParts exp_parts(F x) {
  const F xc = f_max(f_min(x, f_set(89.0f)), f_set(-104.0f));
  const F magic = f_set(12582912.0f);  // 1.5·2^23: adding it rounds to an integer
  const F t = f_add(f_mul(xc, f_set(1.44269504088896341f)), magic);
  const F nf = f_sub(t, magic);
  const U n = u_sub(f_bits(t), f_bits(magic));  // two's complement integer n
  F r = f_fma(nf, f_set(-0.693359375f), xc);
  r = f_fma(nf, f_set(2.12194440e-4f), r);
  F p = f_set(1.9875691500e-4f);
  p = f_fma(p, r, f_set(1.3981999507e-3f));
  p = f_fma(p, r, f_set(8.3334519073e-3f));
  p = f_fma(p, r, f_set(4.1665795894e-2f));
  p = f_fma(p, r, f_set(1.6666665459e-1f));
  p = f_fma(p, r, f_set(5.0000001201e-1f));
  ExpParts e;
  e.q = f_fma(p, f_mul(r, r), r);
  // n1 = n >> 1 (arithmetic), n2 = n - n1; both in [-75, 64]
  const U sign = u_and(n, u_set(0x80000000u));
  const U n1 = u_or(u_srl<1>(n), sign);
  const U n2 = u_sub(n, n1);
  e.n1 = u_sll<23>(u_add(n1, u_set(127)));
  e.n2 = u_sll<23>(u_add(n2, u_set(127)));
  e.nf = nf;
  return e;
}
inline F exp_f(F x) {
  const ExpParts e = exp_parts(x);
  const F v = f_mul(f_mul(f_add(e.q, f_set(1.0f)), u_as_f(e.n1)), u_as_f(e.n2));
  return f_select(f_isnan(x), x, v);
}
// e^x - 1 without cancellation near 0 (|x| < ln2/2 gives n = 0 and the polynomial's
// r + r²P(r) directly). <= 3 ulp.
inline F expm1_f(F x) {
  const ExpParts e = exp_parts(x);
  const F big = f_sub(f_mul(f_mul(f_add(e.q, f_set(1.0f)), u_as_f(e.n1)), u_as_f(e.n2)), f_set(1.0f));
  const M small = f_lt(f_abs(e.nf), f_set(0.5f));
  // Below 2^-24 the result is x itself (x²/2 is under half an ulp of x); taking x
  // there also keeps −0 (Cody-Waite's r = x − n·ln2 turns −0 into +0). NaN fails
  // the compare and takes the first select.
  const M tiny = f_lt(f_abs(x), f_set(0x1p-24f));
  return f_select(f_isnan(x), x, f_select(tiny, x, f_select(small, e.q, big)));
}
// log(1 + y) for y >= 0 (finite): u = 1 + y, then log(u)·y/(u − 1) corrects the rounding
// of u (Goldberg 1991); u == 1 gives y. <= 3 ulp.
inline F log1p_pos(F y) {
  const F u = f_add(f_set(1.0f), y);
  const F d = f_sub(u, f_set(1.0f));
  const M exact = f_lt(d, f_set(1e-30f));  // u == 1
  const F safe_d = f_select(exact, f_set(1.0f), d);
  const F v = f_mul(log_pos(u), f_div(y, safe_d));
  return f_select(exact, y, v);
}
// 1 / (1 + e^-x). <= 3 ulp; 0 below -104, 1 above 17. NaN in, NaN out.
inline F sigmoid_f(F x) { return f_div(f_set(1.0f), f_add(f_set(1.0f), exp_f(f_sub(f_set(0.0f), x)))); }
// tanh: Cephes' odd polynomial for |x| < 0.625, else 1 − 2/(e^{2|x|} + 1) with the
// sign of x. <= 3 ulp. NaN in, NaN out.
inline F tanh_f(F x) {
  const F ax = f_abs(x);
  const F z = f_mul(x, x);
  F p = f_set(-5.70498872745e-3f);
  p = f_fma(p, z, f_set(2.06390887954e-2f));
  p = f_fma(p, z, f_set(-5.37397155531e-2f));
  p = f_fma(p, z, f_set(1.33314422036e-1f));
  p = f_fma(p, z, f_set(-3.33332819422e-1f));
  // Both branches on |x|, the sign put back once: tanh is odd and rounding is
  // symmetric, so the magnitudes are those of the signed forms, and ±0 keeps its
  // sign (x + x·p(x²) would turn −0 into +0).
  const F small = f_fma(f_mul(p, z), ax, ax);
  const F e = exp_f(f_add(ax, ax));
  const F large = f_sub(f_set(1.0f), f_div(f_set(2.0f), f_add(e, f_set(1.0f))));
  return f_copysign_pos(f_select(f_lt(ax, f_set(0.625f)), small, large), x);
}
