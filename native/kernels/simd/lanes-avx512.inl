// Lane layer, AVX-512 (F, BW, DQ, VL) + FMA: sixteen 32-bit lanes.
// See README.md for the contract. Included inside an anonymous namespace by
// native/kernels/*-avx512.cc.
constexpr int W = 16;
// G: independent groups of W Philox blocks interleaved per step (latency hiding).
constexpr int G = 4;
struct F {
  __m512 v;
};
struct U {
  __m512i v;
};
struct M {
  __mmask16 v;
};

inline F f_set(float x) { return {_mm512_set1_ps(x)}; }
inline F f_load(const float* p) { return {_mm512_loadu_ps(p)}; }
inline void f_store(float* p, F a) { _mm512_storeu_ps(p, a.v); }
inline F f_add(F a, F b) { return {_mm512_add_ps(a.v, b.v)}; }
inline F f_sub(F a, F b) { return {_mm512_sub_ps(a.v, b.v)}; }
inline F f_mul(F a, F b) { return {_mm512_mul_ps(a.v, b.v)}; }
inline F f_div(F a, F b) { return {_mm512_div_ps(a.v, b.v)}; }
inline F f_fma(F a, F b, F c) { return {_mm512_fmadd_ps(a.v, b.v, c.v)}; }
inline F f_sqrt(F a) { return {_mm512_sqrt_ps(a.v)}; }
inline F f_min(F a, F b) { return {_mm512_min_ps(a.v, b.v)}; }
inline F f_max(F a, F b) { return {_mm512_max_ps(a.v, b.v)}; }

inline U u_set(uint32_t x) { return {_mm512_set1_epi32(static_cast<int>(x))}; }
inline U u_load(const uint32_t* p) { return {_mm512_loadu_si512(p)}; }
inline void u_store(uint32_t* p, U a) { _mm512_storeu_si512(p, a.v); }
inline U u_add(U a, U b) { return {_mm512_add_epi32(a.v, b.v)}; }
inline U u_sub(U a, U b) { return {_mm512_sub_epi32(a.v, b.v)}; }
inline U u_xor(U a, U b) { return {_mm512_xor_si512(a.v, b.v)}; }
inline U u_and(U a, U b) { return {_mm512_and_si512(a.v, b.v)}; }
inline U u_or(U a, U b) { return {_mm512_or_si512(a.v, b.v)}; }
template <int k>
inline U u_srl(U a) {
  return {_mm512_srli_epi32(a.v, k)};
}
template <int k>
inline U u_sll(U a) {
  return {_mm512_slli_epi32(a.v, k)};
}
inline void u_mulhilo(U a, uint32_t m, U& hi, U& lo) {
  const __m512i mm = _mm512_set1_epi32(static_cast<int>(m));
  const __m512i pe = _mm512_mul_epu32(a.v, mm);
  const __m512i po = _mm512_mul_epu32(_mm512_srli_epi64(a.v, 32), mm);
  lo.v = _mm512_mask_blend_epi32(0xAAAA, pe, _mm512_slli_epi64(po, 32));
  hi.v = _mm512_mask_blend_epi32(0xAAAA, _mm512_srli_epi64(pe, 32), po);
}
inline F i_to_f(U a) { return {_mm512_cvtepi32_ps(a.v)}; }
inline U f_bits(F a) { return {_mm512_castps_si512(a.v)}; }
inline F u_as_f(U a) { return {_mm512_castsi512_ps(a.v)}; }
inline M f_lt(F a, F b) { return {_mm512_cmp_ps_mask(a.v, b.v, _CMP_LT_OQ)}; }
inline F f_select(M m, F t, F e) { return {_mm512_mask_blend_ps(m.v, e.v, t.v)}; }
inline M f_isnan(F a) { return {_mm512_cmp_ps_mask(a.v, a.v, _CMP_UNORD_Q)}; }
inline M m_or(M a, M b) { return {static_cast<__mmask16>(a.v | b.v)}; }
inline bool m_all(M m) { return m.v == 0xFFFF; }

inline void transpose4_store_u(uint32_t* d, U a, U b, U c, U e) {
  const __m512i t0 = _mm512_unpacklo_epi32(a.v, b.v);
  const __m512i t1 = _mm512_unpackhi_epi32(a.v, b.v);
  const __m512i t2 = _mm512_unpacklo_epi32(c.v, e.v);
  const __m512i t3 = _mm512_unpackhi_epi32(c.v, e.v);
  const __m512i q0 = _mm512_unpacklo_epi64(t0, t2);  // blocks 0 | 4 | 8 | 12
  const __m512i q1 = _mm512_unpackhi_epi64(t0, t2);  // blocks 1 | 5 | 9 | 13
  const __m512i q2 = _mm512_unpacklo_epi64(t1, t3);  // blocks 2 | 6 | 10 | 14
  const __m512i q3 = _mm512_unpackhi_epi64(t1, t3);  // blocks 3 | 7 | 11 | 15
  const __m512i x0 = _mm512_shuffle_i32x4(q0, q1, _MM_SHUFFLE(1, 0, 1, 0));  // 0 4 1 5
  const __m512i x1 = _mm512_shuffle_i32x4(q2, q3, _MM_SHUFFLE(1, 0, 1, 0));  // 2 6 3 7
  const __m512i x2 = _mm512_shuffle_i32x4(q0, q1, _MM_SHUFFLE(3, 2, 3, 2));  // 8 12 9 13
  const __m512i x3 = _mm512_shuffle_i32x4(q2, q3, _MM_SHUFFLE(3, 2, 3, 2));  // 10 14 11 15
  _mm512_storeu_si512(d + 0, _mm512_shuffle_i32x4(x0, x1, _MM_SHUFFLE(2, 0, 2, 0)));   // 0 1 2 3
  _mm512_storeu_si512(d + 16, _mm512_shuffle_i32x4(x0, x1, _MM_SHUFFLE(3, 1, 3, 1)));  // 4 5 6 7
  _mm512_storeu_si512(d + 32, _mm512_shuffle_i32x4(x2, x3, _MM_SHUFFLE(2, 0, 2, 0)));  // 8..11
  _mm512_storeu_si512(d + 48, _mm512_shuffle_i32x4(x2, x3, _MM_SHUFFLE(3, 1, 3, 1)));  // 12..15
}
inline void transpose4_store_f(float* d, F a, F b, F c, F e) {
  transpose4_store_u(reinterpret_cast<uint32_t*>(d), f_bits(a), f_bits(b), f_bits(c), f_bits(e));
}
