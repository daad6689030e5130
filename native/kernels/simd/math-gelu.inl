// PROVISIONAL: normal CDF for GELU, to be replaced by the erfc approximation.
inline F normal_cdf(F z) {
  // 0.5 * (1 + tanh-free erf approximation) — placeholder
  return sigmoid_f(f_mul(z, f_set(1.702f)));
}
