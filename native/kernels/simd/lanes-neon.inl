// Lane layer, AArch64 Advanced SIMD (NEON): four 32-bit lanes.
// See README.md for the contract (min/max follow the x86 NaN rule here, which
// vminq/vmaxq do not, hence the compare + select). Included inside an
// anonymous namespace by native/kernels/*-neon.cc.
constexpr int W = 4;
// G: independent groups of W Philox blocks interleaved per step (latency hiding).
constexpr int G = 4;
struct F {
  float32x4_t v;
};
struct U {
  uint32x4_t v;
};
struct M {
  uint32x4_t v;
};

inline F f_set(float x) { return {vdupq_n_f32(x)}; }
inline F f_load(const float* p) { return {vld1q_f32(p)}; }
inline void f_store(float* p, F a) { vst1q_f32(p, a.v); }
inline F f_add(F a, F b) { return {vaddq_f32(a.v, b.v)}; }
inline F f_sub(F a, F b) { return {vsubq_f32(a.v, b.v)}; }
inline F f_mul(F a, F b) { return {vmulq_f32(a.v, b.v)}; }
inline F f_div(F a, F b) { return {vdivq_f32(a.v, b.v)}; }
inline F f_fma(F a, F b, F c) { return {vfmaq_f32(c.v, a.v, b.v)}; }
inline F f_sqrt(F a) { return {vsqrtq_f32(a.v)}; }
inline F f_min(F a, F b) { return {vbslq_f32(vcltq_f32(a.v, b.v), a.v, b.v)}; }
inline F f_max(F a, F b) { return {vbslq_f32(vcgtq_f32(a.v, b.v), a.v, b.v)}; }

inline U u_set(uint32_t x) { return {vdupq_n_u32(x)}; }
inline U u_load(const uint32_t* p) { return {vld1q_u32(p)}; }
inline void u_store(uint32_t* p, U a) { vst1q_u32(p, a.v); }
inline U u_add(U a, U b) { return {vaddq_u32(a.v, b.v)}; }
inline U u_sub(U a, U b) { return {vsubq_u32(a.v, b.v)}; }
inline U u_xor(U a, U b) { return {veorq_u32(a.v, b.v)}; }
inline U u_and(U a, U b) { return {vandq_u32(a.v, b.v)}; }
inline U u_or(U a, U b) { return {vorrq_u32(a.v, b.v)}; }
template <int k>
inline U u_srl(U a) {
  return {vshrq_n_u32(a.v, k)};
}
template <int k>
inline U u_sll(U a) {
  return {vshlq_n_u32(a.v, k)};
}
inline void u_mulhilo(U a, uint32_t m, U& hi, U& lo) {
  const uint64x2_t p0 = vmull_n_u32(vget_low_u32(a.v), m);
  const uint64x2_t p1 = vmull_n_u32(vget_high_u32(a.v), m);
  hi.v = vuzp2q_u32(vreinterpretq_u32_u64(p0), vreinterpretq_u32_u64(p1));
  lo.v = vmulq_n_u32(a.v, m);
}
inline F i_to_f(U a) { return {vcvtq_f32_s32(vreinterpretq_s32_u32(a.v))}; }
inline U f_bits(F a) { return {vreinterpretq_u32_f32(a.v)}; }
inline F u_as_f(U a) { return {vreinterpretq_f32_u32(a.v)}; }
inline M f_lt(F a, F b) { return {vcltq_f32(a.v, b.v)}; }
inline F f_select(M m, F t, F e) { return {vbslq_f32(m.v, t.v, e.v)}; }
inline M f_isnan(F a) { return {vmvnq_u32(vceqq_f32(a.v, a.v))}; }
inline M m_or(M a, M b) { return {vorrq_u32(a.v, b.v)}; }
inline bool m_all(M m) { return vminvq_u32(m.v) != 0; }

inline void transpose4_store_f(float* d, F a, F b, F c, F e) {
  float32x4x4_t v = {{a.v, b.v, c.v, e.v}};
  vst4q_f32(d, v);
}
inline void transpose4_store_u(uint32_t* d, U a, U b, U c, U e) {
  uint32x4x4_t v = {{a.v, b.v, c.v, e.v}};
  vst4q_u32(d, v);
}
