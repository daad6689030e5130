// Lane layer, scalar: one lane. The oracle for every other ISA.
// Included inside an anonymous namespace by native/kernels/*-scalar.cc.
constexpr int W = 1;
// G: independent groups of W Philox blocks interleaved per step (latency hiding).
constexpr int G = 4;
struct F {
  float v;
};
struct U {
  uint32_t v;
};
using M = bool;

inline F f_set(float x) { return {x}; }
inline F f_load(const float* p) { return {p[0]}; }
inline void f_store(float* p, F a) { p[0] = a.v; }
inline F f_add(F a, F b) { return {a.v + b.v}; }
inline F f_sub(F a, F b) { return {a.v - b.v}; }
inline F f_mul(F a, F b) { return {a.v * b.v}; }
inline F f_div(F a, F b) { return {a.v / b.v}; }
inline F f_fma(F a, F b, F c) { return {std::fma(a.v, b.v, c.v)}; }
inline F f_sqrt(F a) { return {std::sqrt(a.v)}; }
inline F f_min(F a, F b) { return {a.v < b.v ? a.v : b.v}; }
inline F f_max(F a, F b) { return {a.v > b.v ? a.v : b.v}; }

inline U u_set(uint32_t x) { return {x}; }
inline U u_load(const uint32_t* p) { return {p[0]}; }
inline void u_store(uint32_t* p, U a) { p[0] = a.v; }
inline U u_add(U a, U b) { return {a.v + b.v}; }
inline U u_sub(U a, U b) { return {a.v - b.v}; }
inline U u_xor(U a, U b) { return {a.v ^ b.v}; }
inline U u_and(U a, U b) { return {a.v & b.v}; }
inline U u_or(U a, U b) { return {a.v | b.v}; }
template <int k>
inline U u_srl(U a) {
  return {a.v >> k};
}
template <int k>
inline U u_sll(U a) {
  return {a.v << k};
}
inline void u_mulhilo(U a, uint32_t m, U& hi, U& lo) {
  const uint64_t p = static_cast<uint64_t>(a.v) * m;
  hi.v = static_cast<uint32_t>(p >> 32);
  lo.v = static_cast<uint32_t>(p);
}
inline F i_to_f(U a) { return {static_cast<float>(static_cast<int32_t>(a.v))}; }
inline U f_bits(F a) {
  U u;
  std::memcpy(&u.v, &a.v, 4);
  return u;
}
inline F u_as_f(U a) {
  F f;
  std::memcpy(&f.v, &a.v, 4);
  return f;
}
inline M f_lt(F a, F b) { return a.v < b.v; }
inline F f_select(M m, F t, F e) { return m ? t : e; }
inline M f_isnan(F a) { return a.v != a.v; }
inline M m_or(M a, M b) { return a || b; }
inline bool m_all(M m) { return m; }

inline void transpose4_store_f(float* d, F a, F b, F c, F e) {
  d[0] = a.v;
  d[1] = b.v;
  d[2] = c.v;
  d[3] = e.v;
}
inline void transpose4_store_u(uint32_t* d, U a, U b, U c, U e) {
  d[0] = a.v;
  d[1] = b.v;
  d[2] = c.v;
  d[3] = e.v;
}
