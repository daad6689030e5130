// Vector maths for the random transforms, written once over the lane layer and
// its packs (simd/pack.inl): the functions take FK<K>, K independent vectors at
// once (the same ops on each lane whatever K is, so K never changes a bit).
//
// Needs simd/math.inl (log_pos).
// erfinv(y): M. Giles, "Approximating the erfinv function" (GPU Computing Gems,
//   2011), single-precision version, the tail branch evaluated only for packs
//   that have a lane in it, then blended per lane.

// erfinv for |y| < 1 (never +-1 here: the transforms keep y off the ends), in
// two stages so a caller can run them as separate passes (see normal_from_y):
//   erfinv_lw(y)         = lw = log(1 - y^2), i.e. -w in Giles' notation;
//   erfinv_finish(y, lw) = erfinv(y).
template <int K>
GS_PACK_INLINE FK<K> erfinv_lw(const FK<K>& y) {
  // -y by flipping the sign bit (an integer op) rather than 0 - y (an FP add);
  // the two differ only for y = +0, which the transforms never produce.
  const FK<K> neg_y = u_as_f(u_xor(f_bits(y), u_set(0x80000000u)));
  return log_pos(f_fma(neg_y, y, f_set(1.0f)));
}

template <int K, bool kCentralOnly = false>
GS_PACK_INLINE FK<K> erfinv_finish(const FK<K>& y, const FK<K>& lw) {
  // Rather than w = 0 - lw and then w - 2.5, the central branch takes
  // wc = -2.5 - lw: the same exact value -lw - 2.5, so the same rounding, one
  // dependent op fewer; w itself is only formed in the rare tail branch, and
  // w < 5 is tested as lw > -5 (exact).
  // central branch, w < 5
  const FK<K> wc = f_sub(f_set(-2.5f), lw);
  FK<K> pc = f_fma(f_set(2.81022636e-08f), wc, f_set(3.43273939e-07f));
  pc = f_fma(pc, wc, f_set(-3.5233877e-06f));
  pc = f_fma(pc, wc, f_set(-4.39150654e-06f));
  pc = f_fma(pc, wc, f_set(0.00021858087f));
  pc = f_fma(pc, wc, f_set(-0.00125372503f));
  pc = f_fma(pc, wc, f_set(-0.00417768164f));
  pc = f_fma(pc, wc, f_set(0.246640727f));
  pc = f_fma(pc, wc, f_set(1.50140941f));
  // kCentralOnly: the caller guarantees w < 5 on every lane.
  if (kCentralOnly) return f_mul(pc, y);
  // tail branch, w >= 5: rare (|y| > 0.9966), so computed only when a lane of the
  // pack needs it; a lane's value does not depend on whether its neighbours took it.
  // Every lane of the pack is central iff the lane-wise minimum of lw is > -5 (lw is
  // never NaN): one compare for the pack.
  if (m_all(f_lt(f_set(-5.0f), pack_min(lw)))) return f_mul(pc, y);
  const MK<K> central = f_lt(f_set(-5.0f), lw);
  const FK<K> w = f_sub(f_set(0.0f), lw);
  const FK<K> wt = f_sub(f_sqrt(w), f_set(3.0f));
  FK<K> pt = f_fma(f_set(-0.000200214257f), wt, f_set(0.000100950558f));
  pt = f_fma(pt, wt, f_set(0.00134934322f));
  pt = f_fma(pt, wt, f_set(-0.00367342844f));
  pt = f_fma(pt, wt, f_set(0.00573950773f));
  pt = f_fma(pt, wt, f_set(-0.0076224613f));
  pt = f_fma(pt, wt, f_set(0.00943887047f));
  pt = f_fma(pt, wt, f_set(1.00167406f));
  pt = f_fma(pt, wt, f_set(2.83297682f));
  const FK<K> p = f_select(central, pc, pt);
  return f_mul(p, y);
}

template <int K>
GS_PACK_INLINE FK<K> erfinv(const FK<K>& y) {
  return erfinv_finish(y, erfinv_lw(y));
}
