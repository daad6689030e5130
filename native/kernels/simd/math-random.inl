// Vector maths for the random transforms, written once over the lane layer.
//
// log_pos(x): natural log for positive, finite, normal x (the only inputs the
//   transforms produce: 1 - y^2 >= 2^-23). Cephes' logf reduction and
//   polynomial (S. Moshier), evaluated with FMA in a fixed order; error <= 2 ulp
//   on that domain (checked through the erfinv tests).
// erfinv(y): M. Giles, "Approximating the erfinv function" (GPU Computing Gems,
//   2011), single-precision version, the tail branch evaluated only for vectors
//   that have a lane in it, then blended per lane.

inline F log_pos(F x) {
  const U bits = f_bits(x);
  // x = m * 2^e with m in [0.5, 1)
  F m = u_as_f(u_or(u_and(bits, u_set(0x007FFFFFu)), u_set(0x3F000000u)));
  F e = i_to_f(u_sub(u_srl<23>(bits), u_set(126)));
  // Move m into [sqrt(1/2), sqrt(2)) and take 1 off: t = m - 1 (+ m when m < sqrt(1/2)).
  // Both ways are exact for m in [0.5, 1).
  const M small = f_lt(m, f_set(0.707106781186547524f));
  const F zero = f_set(0.0f);
  m = f_add(f_sub(m, f_set(1.0f)), f_select(small, m, zero));
  e = f_sub(e, f_select(small, f_set(1.0f), zero));
  const F z = f_mul(m, m);
  F y = f_set(7.0376836292e-2f);
  y = f_fma(y, m, f_set(-1.1514610310e-1f));
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
  F r = f_add(m, y);
  r = f_fma(e, f_set(0.693359375f), r);
  return r;
}

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
