// Vector maths for the random transforms, written once over the lane layer.
//
// Needs simd/math.inl (log_pos).
// erfinv(y): M. Giles, "Approximating the erfinv function" (GPU Computing Gems,
//   2011), single-precision version, the tail branch evaluated only for vectors
//   that have a lane in it, then blended per lane.

// erfinv for |y| < 1 (never +-1 here: the transforms keep y off the ends).
inline F erfinv(F y) {
  const F w = f_sub(f_set(0.0f), log_pos(f_fma(f_sub(f_set(0.0f), y), y, f_set(1.0f))));
  // central branch, w < 5
  const F wc = f_sub(w, f_set(2.5f));
  F pc = f_set(2.81022636e-08f);
  pc = f_fma(pc, wc, f_set(3.43273939e-07f));
  pc = f_fma(pc, wc, f_set(-3.5233877e-06f));
  pc = f_fma(pc, wc, f_set(-4.39150654e-06f));
  pc = f_fma(pc, wc, f_set(0.00021858087f));
  pc = f_fma(pc, wc, f_set(-0.00125372503f));
  pc = f_fma(pc, wc, f_set(-0.00417768164f));
  pc = f_fma(pc, wc, f_set(0.246640727f));
  pc = f_fma(pc, wc, f_set(1.50140941f));
  // tail branch, w >= 5: rare (|y| > 0.9966), so computed only when a lane needs it;
  // a lane's value does not depend on whether its neighbours took the branch.
  const M central = f_lt(w, f_set(5.0f));
  if (m_all(central)) return f_mul(pc, y);
  const F wt = f_sub(f_sqrt(w), f_set(3.0f));
  F pt = f_set(-0.000200214257f);
  pt = f_fma(pt, wt, f_set(0.000100950558f));
  pt = f_fma(pt, wt, f_set(0.00134934322f));
  pt = f_fma(pt, wt, f_set(-0.00367342844f));
  pt = f_fma(pt, wt, f_set(0.00573950773f));
  pt = f_fma(pt, wt, f_set(-0.0076224613f));
  pt = f_fma(pt, wt, f_set(0.00943887047f));
  pt = f_fma(pt, wt, f_set(1.00167406f));
  pt = f_fma(pt, wt, f_set(2.83297682f));
  const F p = f_select(central, pc, pt);
  return f_mul(p, y);
}
