// Lane layer, AVX2 + FMA: eight 32-bit lanes. See README.md for the contract.
// Included inside an anonymous namespace by native/kernels/*-avx2.cc.
constexpr int W = 8;
// G: independent groups of W Philox blocks interleaved per step (latency hiding).
constexpr int G = 3;
struct F {
  __m256 v;
};
struct U {
  __m256i v;
};
struct M {
  __m256 v;
};

inline F f_set(float x) { return {_mm256_set1_ps(x)}; }
inline F f_load(const float* p) { return {_mm256_loadu_ps(p)}; }
inline void f_store(float* p, F a) { _mm256_storeu_ps(p, a.v); }
inline F f_add(F a, F b) { return {_mm256_add_ps(a.v, b.v)}; }
inline F f_sub(F a, F b) { return {_mm256_sub_ps(a.v, b.v)}; }
inline F f_mul(F a, F b) { return {_mm256_mul_ps(a.v, b.v)}; }
inline F f_div(F a, F b) { return {_mm256_div_ps(a.v, b.v)}; }
inline F f_fma(F a, F b, F c) { return {_mm256_fmadd_ps(a.v, b.v, c.v)}; }
inline F f_sqrt(F a) { return {_mm256_sqrt_ps(a.v)}; }
inline F f_min(F a, F b) { return {_mm256_min_ps(a.v, b.v)}; }
inline F f_max(F a, F b) { return {_mm256_max_ps(a.v, b.v)}; }

inline U u_set(uint32_t x) { return {_mm256_set1_epi32(static_cast<int>(x))}; }
inline U u_load(const uint32_t* p) { return {_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p))}; }
inline void u_store(uint32_t* p, U a) { _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), a.v); }
inline U u_add(U a, U b) { return {_mm256_add_epi32(a.v, b.v)}; }
inline U u_sub(U a, U b) { return {_mm256_sub_epi32(a.v, b.v)}; }
inline U u_xor(U a, U b) { return {_mm256_xor_si256(a.v, b.v)}; }
inline U u_and(U a, U b) { return {_mm256_and_si256(a.v, b.v)}; }
inline U u_or(U a, U b) { return {_mm256_or_si256(a.v, b.v)}; }
template <int k>
inline U u_srl(U a) {
  return {_mm256_srli_epi32(a.v, k)};
}
template <int k>
inline U u_sll(U a) {
  return {_mm256_slli_epi32(a.v, k)};
}
// Even lanes by one vpmuludq, odd lanes by another on the shifted input;
// then blend the 32-bit halves back into lane order.
inline void u_mulhilo(U a, uint32_t m, U& hi, U& lo) {
  const __m256i mm = _mm256_set1_epi32(static_cast<int>(m));
  const __m256i pe = _mm256_mul_epu32(a.v, mm);
  const __m256i po = _mm256_mul_epu32(_mm256_srli_epi64(a.v, 32), mm);
  lo.v = _mm256_blend_epi32(pe, _mm256_slli_epi64(po, 32), 0xAA);
  hi.v = _mm256_blend_epi32(_mm256_srli_epi64(pe, 32), po, 0xAA);
}
inline F i_to_f(U a) { return {_mm256_cvtepi32_ps(a.v)}; }
inline U f_bits(F a) { return {_mm256_castps_si256(a.v)}; }
inline F u_as_f(U a) { return {_mm256_castsi256_ps(a.v)}; }
inline M f_lt(F a, F b) { return {_mm256_cmp_ps(a.v, b.v, _CMP_LT_OQ)}; }
inline F f_select(M m, F t, F e) { return {_mm256_blendv_ps(e.v, t.v, m.v)}; }
inline M f_isnan(F a) { return {_mm256_cmp_ps(a.v, a.v, _CMP_UNORD_Q)}; }
inline M m_or(M a, M b) { return {_mm256_or_ps(a.v, b.v)}; }
inline bool m_all(M m) { return _mm256_movemask_ps(m.v) == 0xFF; }

inline void transpose4_store_u(uint32_t* d, U a, U b, U c, U e) {
  const __m256i t0 = _mm256_unpacklo_epi32(a.v, b.v);  // a0 b0 a1 b1 | a4 b4 a5 b5
  const __m256i t1 = _mm256_unpackhi_epi32(a.v, b.v);  // a2 b2 a3 b3 | a6 b6 a7 b7
  const __m256i t2 = _mm256_unpacklo_epi32(c.v, e.v);
  const __m256i t3 = _mm256_unpackhi_epi32(c.v, e.v);
  const __m256i q0 = _mm256_unpacklo_epi64(t0, t2);  // block 0 | block 4
  const __m256i q1 = _mm256_unpackhi_epi64(t0, t2);  // block 1 | block 5
  const __m256i q2 = _mm256_unpacklo_epi64(t1, t3);  // block 2 | block 6
  const __m256i q3 = _mm256_unpackhi_epi64(t1, t3);  // block 3 | block 7
  __m256i* o = reinterpret_cast<__m256i*>(d);
  _mm256_storeu_si256(o + 0, _mm256_permute2x128_si256(q0, q1, 0x20));
  _mm256_storeu_si256(o + 1, _mm256_permute2x128_si256(q2, q3, 0x20));
  _mm256_storeu_si256(o + 2, _mm256_permute2x128_si256(q0, q1, 0x31));
  _mm256_storeu_si256(o + 3, _mm256_permute2x128_si256(q2, q3, 0x31));
}
inline void transpose4_store_f(float* d, F a, F b, F c, F e) {
  transpose4_store_u(reinterpret_cast<uint32_t*>(d), f_bits(a), f_bits(b), f_bits(c), f_bits(e));
}
