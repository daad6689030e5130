// Packs of K lane vectors, written once over the lane layer (see README.md).
//
// A transform evaluated on FK<K> runs K independent copies of its dependency
// chain side by side. The erfinv chain is ~40 dependent operations long, far
// more latency than the out-of-order window can hide when one vector is done
// at a time, and compilers for x86 do not interleave independent chains on
// their own; packs make the interleaving explicit in the code instead.
//
// Every pack op is the lane op applied to each of the K vectors in turn, so a
// pack's result is exactly that of K separate calls: packing never changes a bit,
// and the math code is the same for every K (K = 1 is the plain vector).
// Constants written as f_set(c) / u_set(c) mix freely with packs: every op also
// takes a lane vector in place of a pack operand. The ops are hidden friends
// (found through the pack argument). The loops over K are fully unrolled by the
// compiler and the arrays kept in registers.
template <int K>
struct MK {
  M v[K];
};

// Binary op `name` on (pack, pack), (pack, lane vector) and (lane vector, pack):
// a lane-vector operand (a constant) is used as is by every vector of the pack,
// never copied into a pack (K copies of one value are, to the compiler, K values
// to keep in registers or spill).
#define GS_PACK_BINARY(P, L, name)                                  \
  friend P name(const P& a, const P& b) {                          \
    P r;                                                           \
    for (int k = 0; k < K; ++k) r.v[k] = name(a.v[k], b.v[k]);     \
    return r;                                                      \
  }                                                                \
  friend P name(const P& a, L b) {                                 \
    P r;                                                           \
    for (int k = 0; k < K; ++k) r.v[k] = name(a.v[k], b);          \
    return r;                                                      \
  }                                                                \
  friend P name(L a, const P& b) {                                 \
    P r;                                                           \
    for (int k = 0; k < K; ++k) r.v[k] = name(a, b.v[k]);          \
    return r;                                                      \
  }

template <int K>
struct FK {
  F v[K];
  GS_PACK_BINARY(FK, F, f_add)
  GS_PACK_BINARY(FK, F, f_sub)
  GS_PACK_BINARY(FK, F, f_mul)
  GS_PACK_BINARY(FK, F, f_min)
  GS_PACK_BINARY(FK, F, f_max)
  // f_fma with any mix of packs and lane vectors (at least one pack).
  friend FK f_fma(const FK& a, const FK& b, const FK& c) { return fma3(a, b, c); }
  friend FK f_fma(const FK& a, const FK& b, F c) { return fma3(a, b, c); }
  friend FK f_fma(const FK& a, F b, const FK& c) { return fma3(a, b, c); }
  friend FK f_fma(F a, const FK& b, const FK& c) { return fma3(a, b, c); }
  friend FK f_fma(const FK& a, F b, F c) { return fma3(a, b, c); }
  friend FK f_fma(F a, const FK& b, F c) { return fma3(a, b, c); }
  friend FK f_fma(F a, F b, const FK& c) { return fma3(a, b, c); }
  friend FK f_sqrt(const FK& a) {
    FK r;
    for (int k = 0; k < K; ++k) r.v[k] = f_sqrt(a.v[k]);
    return r;
  }
  friend MK<K> f_lt(const FK& a, const FK& b) {
    MK<K> r;
    for (int k = 0; k < K; ++k) r.v[k] = f_lt(a.v[k], b.v[k]);
    return r;
  }
  friend MK<K> f_lt(const FK& a, F b) {
    MK<K> r;
    for (int k = 0; k < K; ++k) r.v[k] = f_lt(a.v[k], b);
    return r;
  }
  friend MK<K> f_lt(F a, const FK& b) {
    MK<K> r;
    for (int k = 0; k < K; ++k) r.v[k] = f_lt(a, b.v[k]);
    return r;
  }
  friend FK f_select(const MK<K>& m, const FK& t, const FK& e) {
    FK r;
    for (int k = 0; k < K; ++k) r.v[k] = f_select(m.v[k], t.v[k], e.v[k]);
    return r;
  }

 private:
  static F lane(const FK& x, int k) { return x.v[k]; }
  static F lane(F x, int) { return x; }
  template <class A, class B, class C>
  static FK fma3(const A& a, const B& b, const C& c) {
    FK r;
    for (int k = 0; k < K; ++k) r.v[k] = f_fma(lane(a, k), lane(b, k), lane(c, k));
    return r;
  }
};

template <int K>
struct UK {
  U v[K];
  GS_PACK_BINARY(UK, U, u_add)
  GS_PACK_BINARY(UK, U, u_sub)
  GS_PACK_BINARY(UK, U, u_xor)
  GS_PACK_BINARY(UK, U, u_and)
  GS_PACK_BINARY(UK, U, u_or)
};
#undef GS_PACK_BINARY

template <int k, int K>
inline UK<K> u_srl(const UK<K>& a) {
  UK<K> r;
  for (int j = 0; j < K; ++j) r.v[j] = u_srl<k>(a.v[j]);
  return r;
}
template <int k, int K>
inline UK<K> u_sll(const UK<K>& a) {
  UK<K> r;
  for (int j = 0; j < K; ++j) r.v[j] = u_sll<k>(a.v[j]);
  return r;
}
template <int K>
inline FK<K> i_to_f(const UK<K>& a) {
  FK<K> r;
  for (int k = 0; k < K; ++k) r.v[k] = i_to_f(a.v[k]);
  return r;
}
template <int K>
inline UK<K> f_bits(const FK<K>& a) {
  UK<K> r;
  for (int k = 0; k < K; ++k) r.v[k] = f_bits(a.v[k]);
  return r;
}
template <int K>
inline FK<K> u_as_f(const UK<K>& a) {
  FK<K> r;
  for (int k = 0; k < K; ++k) r.v[k] = u_as_f(a.v[k]);
  return r;
}
// Lane-wise minimum over the K vectors of the pack (x86 f_min semantics).
template <int K>
inline F pack_min(const FK<K>& a) {
  F m = a.v[0];
  for (int k = 1; k < K; ++k) m = f_min(m, a.v[k]);
  return m;
}
// Every lane of every vector of the pack.
template <int K>
inline bool m_all(const MK<K>& m) {
  bool all = m_all(m.v[0]);
  for (int k = 1; k < K; ++k) all = all & m_all(m.v[k]);  // &, not &&: one branch per pack
  return all;
}
