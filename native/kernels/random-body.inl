// Random kernels written once over the lane layer (see simd/README.md).
// Contract: native/core/random/kernels.h. Needs: lane layer, simd/pack.inl,
// simd/math.inl, simd/math-random.inl.
//
// Fills: philox_store computes G W blocks per step and stores their words in
// stream order, after applying a lane-wise map while the words are still in
// registers: none for the u32 fill, the whole transform for the uniform (one
// pass, straight into the output), only y for the normal. The normal's ~40-op
// dependency chain (log, erfinv) is not fused into the Philox step: with both the
// Philox state and the transform's temporaries live at once, 16 ymm registers
// spill on both sides, and the chain behind Philox's is more latency than the
// out-of-order window hides. Philox writes a chunk's y values to an L1-resident
// buffer instead, and the transform runs over it in passes (normal_from_y); the
// extra store and load per value are cheap next to either. The passes run the
// same ops on the same values, so results do not depend on the chunking.

// Philox4x32-10 key: the round keys and the stream words, broadcast (the key
// vectors live in memory and are read as memory operands of the xors).
struct PhiloxKey {
  U k0[kPhiloxRounds], k1[kPhiloxRounds];
  U s_lo, s_hi;
};

inline PhiloxKey make_key(uint64_t seed, uint64_t stream) {
  PhiloxKey k;
  uint32_t k0 = static_cast<uint32_t>(seed), k1 = static_cast<uint32_t>(seed >> 32);
  for (int r = 0; r < kPhiloxRounds; ++r) {
    if (r > 0) {
      k0 += kPhiloxW0;
      k1 += kPhiloxW1;
    }
    k.k0[r] = u_set(k0);
    k.k1[r] = u_set(k1);
  }
  k.s_lo = u_set(static_cast<uint32_t>(stream));
  k.s_hi = u_set(static_cast<uint32_t>(stream >> 32));
  return k;
}

// Positions are 64-bit word indices, so blocks are 62-bit: the block after
// 2^62 - 1 is 0 (the stream wraps with the position).
constexpr uint64_t kBlockMask = (uint64_t{1} << 62) - 1;

// Philox4x32-10 on G W consecutive blocks from block index `block` (lane j of
// group g computes block + g W + j). G independent groups are interleaved so the
// 10-round dependency chain of one group overlaps the others' (G comes from the
// lane layer). Writes pre(word) for the 4 G W words to out, in stream order; pre
// is lane-wise, so it is applied before the transpose: U -> U (u32 fill) or
// U -> F (float fills).
struct Identity {
  U operator()(U w) const { return w; }
};
inline void store4(uint32_t* d, U a, U b, U c, U e) { transpose4_store_u(d, a, b, c, e); }
inline void store4(float* d, F a, F b, F c, F e) { transpose4_store_f(d, a, b, c, e); }

template <class Out, class Pre>
inline void philox_store(const PhiloxKey& k, uint64_t block, Out* out, const Pre& pre) {
  U c0[G], c1[G], c2[G], c3[G];
  if (static_cast<uint32_t>(block) <= 0xFFFFFFFFu - static_cast<uint32_t>(G * W) &&
      block <= kBlockMask - static_cast<uint64_t>(G * W)) {
    // common case: the low counter word does not wrap inside this step
    alignas(64) uint32_t iota[W];
    for (int j = 0; j < W; ++j) iota[j] = static_cast<uint32_t>(j);
    const U base = u_add(u_set(static_cast<uint32_t>(block)), u_load(iota));
    for (int g = 0; g < G; ++g) {
      c0[g] = u_add(base, u_set(static_cast<uint32_t>(g * W)));
      c1[g] = u_set(static_cast<uint32_t>(block >> 32));
    }
  } else {
    for (int g = 0; g < G; ++g) {
      alignas(64) uint32_t lo[W], hi[W];
      for (int j = 0; j < W; ++j) {
        const uint64_t c = (block + static_cast<uint64_t>(g * W + j)) & kBlockMask;
        lo[j] = static_cast<uint32_t>(c);
        hi[j] = static_cast<uint32_t>(c >> 32);
      }
      c0[g] = u_load(lo);
      c1[g] = u_load(hi);
    }
  }
  for (int g = 0; g < G; ++g) {
    c2[g] = k.s_lo;
    c3[g] = k.s_hi;
  }
  // Unrolled: as a loop over the rounds GCC keeps part of the state in memory
  // from one round to the next.
#if defined(__GNUC__)
#pragma GCC unroll 10
#endif
  for (int r = 0; r < kPhiloxRounds; ++r) {
    for (int g = 0; g < G; ++g) {
      U hi0, lo0, hi1, lo1;
      u_mulhilo(c0[g], kPhiloxM0, hi0, lo0);
      u_mulhilo(c2[g], kPhiloxM1, hi1, lo1);
      c0[g] = u_xor(u_xor(hi1, c1[g]), k.k0[r]);
      c1[g] = lo1;
      c2[g] = u_xor(u_xor(hi0, c3[g]), k.k1[r]);
      c3[g] = lo0;
    }
  }
  for (int g = 0; g < G; ++g) {
    store4(out + static_cast<size_t>(g) * 4 * W, pre(c0[g]), pre(c1[g]), pre(c2[g]), pre(c3[g]));
  }
}

constexpr size_t kStepWords = static_cast<size_t>(G) * 4 * W;  // words per philox_store
// Values per chunk of the normal's passes: a whole number of Philox steps, few
// enough that the y buffer stays in L1 next to the output being written.
constexpr size_t kChunk = (1024 / kStepWords > 0 ? 1024 / kStepWords : 1) * kStepWords;

// ---- transforms: one 32-bit word -> one value, on packs of K vectors ---------

// (w >> 8) * 2^-24: the 2^24 floats k/2^24 in [0, 1), each exactly.
template <int K>
inline FK<K> unit_uniform(const UK<K>& w) {
  return f_mul(i_to_f(u_srl<8>(w)), f_set(0x1p-24f));
}

// 2 (w >> 8) + 1 - 2^24: the odd integers in (-2^24, 2^24), exact as floats.
// Times 2^-24 this is the symmetric grid in (-1, 1), never +-1.
template <int K>
inline FK<K> odd_symmetric(const UK<K>& w) {
  const UK<K> odd = u_or(u_srl<7>(w), u_set(1u));
  return i_to_f(u_sub(odd, u_set(1u << 24)));
}

struct UniformT {
  F low, range, upper;
  explicit UniformT(const DistParams& p) : low(f_set(p.a)), range(f_set(p.b)), upper(f_set(p.c)) {}
  template <int K>
  GS_PACK_INLINE FK<K> operator()(const UK<K>& w) const {
    return f_min(f_fma(unit_uniform(w), range, low), upper);
  }
};

// kScaled = false: the normal, y = odd * 2^-24. The product by a power of two is
// exact (odd is a nonzero integer below 2^24 in magnitude), so it is done on the
// exponent field with an integer subtraction: the same bits as the float
// multiply, without an FMA-port op.
// kScaled = true: the truncated normal, y = (odd * 2^-24) * y_scale, computed as
// odd * (2^-24 * y_scale): both products by a power of two are exact, so the one
// rounding is that of odd * 2^-24 * y_scale either way, with one multiply.
template <bool kScaled>
struct NormalT {
  F mean, std, ymul;
  NormalT(const DistParams& p, float y_scale)
      : mean(f_set(p.a)), std(f_set(p.b)), ymul(f_set(y_scale * 0x1p-24f)) {}
  template <int K>
  GS_PACK_INLINE FK<K> y_of(const UK<K>& w) const {
    const FK<K> odd = odd_symmetric(w);
    if (kScaled) return f_mul(odd, ymul);
    return u_as_f(u_sub(f_bits(odd), u_set(24u << 23)));
  }
  // The truncated normal never reaches erfinv's tail branch (|y| < erf(sqrt 2),
  // so w < -log(1 - 0.9545^2) < 2.5 < 5): it skips the test (no effect on results).
  template <int K>
  GS_PACK_INLINE FK<K> finish(const FK<K>& y, const FK<K>& lw) const {
    const FK<K> z = f_mul(erfinv_finish<K, kScaled>(y, lw), f_set(1.41421356237309505f));
    return f_fma(z, std, mean);
  }
  template <int K>
  GS_PACK_INLINE FK<K> operator()(const UK<K>& w) const {
    const FK<K> y = y_of(w);
    return finish(y, erfinv_lw(y));
  }
};

// erf(sqrt(2)) = P(|Z| < 2) for Z ~ N(0, 1): scaling y by it restricts the
// inverse CDF to (-2, 2). Rounded down so |y| stays below the exact bound.
constexpr float kErfSqrt2 = 0.954499736f;

// ---- transform passes ----------------------------------------------------------

// Vectors per pack in each pass (see normal_from_y): enough independent chains
// to keep both FMA pipes busy, few enough that a pack's temporaries mostly stay
// in registers. The normal's first pass (log(1 - y^2)) is the longer chain and
// wants the wider pack. Tuning only (measured on Zen 3): results never depend
// on them.
constexpr int kPackLog = 8;
constexpr int kPackFinish = 2;
constexpr int kPackWords = 4;  // the cheap word -> value maps (uniform, y)

// A pack transform's lane-vector form, for philox_store's pre.
template <class T>
struct UniformPre {
  const T& tr;
  F operator()(U w) const {
    UK<1> p;
    p.v[0] = w;
    return tr(p).v[0];
  }
};
template <class T>
struct NormalPre {
  const T& tr;
  F operator()(U w) const {
    UK<1> p;
    p.v[0] = w;
    return tr.y_of(p).v[0];
  }
};

// One pack of K vectors of each pass (forced inline: out of line the pack
// would go through memory).
template <int K>
GS_PACK_INLINE void uniform_pack(const UniformT& tr, const uint32_t* in, float* out) {
  UK<K> w;
  for (int k = 0; k < K; ++k) w.v[k] = u_load(in + k * W);
  const FK<K> r = tr(w);
  for (int k = 0; k < K; ++k) f_store(out + k * W, r.v[k]);
}
template <int K, class NT>
GS_PACK_INLINE void y_pack(const NT& tr, const uint32_t* in, float* y_out) {
  UK<K> w;
  for (int k = 0; k < K; ++k) w.v[k] = u_load(in + k * W);
  const FK<K> y = tr.y_of(w);
  for (int k = 0; k < K; ++k) f_store(y_out + k * W, y.v[k]);
}
template <int K>
GS_PACK_INLINE void lw_pack(const float* y_in, float* lw_out) {
  FK<K> y;
  for (int k = 0; k < K; ++k) y.v[k] = f_load(y_in + k * W);
  const FK<K> lw = erfinv_lw(y);
  for (int k = 0; k < K; ++k) f_store(lw_out + k * W, lw.v[k]);
}
template <int K, class NT>
GS_PACK_INLINE void finish_pack(const NT& tr, const float* y_in, float* io) {
  FK<K> y, lw;
  for (int k = 0; k < K; ++k) {
    y.v[k] = f_load(y_in + k * W);
    lw.v[k] = f_load(io + k * W);
  }
  const FK<K> r = tr.finish(y, lw);
  for (int k = 0; k < K; ++k) f_store(io + k * W, r.v[k]);
}

// out[i] = tr(in[i]) for i < n.
inline void transform_words(const UniformT& tr, const uint32_t* in, float* out, size_t n) {
  constexpr size_t kStep = static_cast<size_t>(kPackWords * W);
  size_t i = 0;
  for (; i + kStep <= n; i += kStep) uniform_pack<kPackWords>(tr, in + i, out + i);
  for (; i + W <= n; i += W) uniform_pack<1>(tr, in + i, out + i);
  if (i < n) {  // the last n % W values, through a padded vector
    alignas(64) uint32_t a[W] = {};
    alignas(64) float b[W];
    for (size_t j = 0; i + j < n; ++j) a[j] = in[i + j];
    UK<1> w;
    w.v[0] = u_load(a);
    f_store(b, tr(w).v[0]);
    for (size_t j = 0; i + j < n; ++j) out[i + j] = b[j];
  }
}

// The normal transform's dependency chain (y, log(1 - y^2), erfinv's polynomial,
// scaling: ~40 dependent ops) is far longer than the out-of-order window can
// overlap from one pack to the next. It runs in passes instead, each pack of a
// pass depending only on loads, so consecutive packs overlap and each pass gets
// the pack width that suits it: y (by philox_store, or y_pack), then
// lw = log(1 - y^2) into out, then out = finish(y, lw). The same ops on the same
// values as the one-pass form (NormalT::operator()): results are unchanged.
// out[i] = tr from y[i], i < n; y and out stay in L1 (n <= kChunk).
template <class NT>
inline void normal_from_y(const NT& tr, const float* y, float* out, size_t n) {
  constexpr size_t kStep1 = static_cast<size_t>(kPackLog * W);
  constexpr size_t kStep2 = static_cast<size_t>(kPackFinish * W);
  const size_t full = n - n % W;
  size_t i = 0;
  for (; i + kStep1 <= full; i += kStep1) lw_pack<kPackLog>(y + i, out + i);
  for (; i < full; i += W) lw_pack<1>(y + i, out + i);
  i = 0;
  for (; i + kStep2 <= full; i += kStep2) finish_pack<kPackFinish>(tr, y + i, out + i);
  for (; i < full; i += W) finish_pack<1>(tr, y + i, out + i);
  if (full < n) {  // the last n % W values, through a padded vector
    alignas(64) float a[W] = {};  // padding y = 0: a valid input, result unused
    alignas(64) float b[W];
    for (size_t j = 0; full + j < n; ++j) a[j] = y[full + j];
    FK<1> v;
    v.v[0] = f_load(a);
    f_store(b, tr.finish(v, erfinv_lw(v)).v[0]);
    for (size_t j = 0; full + j < n; ++j) out[full + j] = b[j];
  }
}

template <bool kScaled>
inline void transform_words(const NormalT<kScaled>& tr, const uint32_t* in, float* out, size_t n) {
  alignas(64) float ybuf[kChunk];
  for (size_t base = 0; base < n; base += kChunk) {
    const size_t m = (n - base) < kChunk ? (n - base) : kChunk;
    const uint32_t* src = in + base;
    constexpr size_t kStep = static_cast<size_t>(kPackWords * W);
    size_t i = 0;
    for (; i + kStep <= m; i += kStep) y_pack<kPackWords>(tr, src + i, ybuf + i);
    for (; i + W <= m; i += W) y_pack<1>(tr, src + i, ybuf + i);
    if (i < m) {
      alignas(64) uint32_t a[W] = {};
      alignas(64) float b[W];
      for (size_t j = 0; i + j < m; ++j) a[j] = src[i + j];
      y_pack<1>(tr, a, b);
      for (size_t j = 0; i + j < m; ++j) ybuf[i + j] = b[j];
    }
    normal_from_y(tr, ybuf, out + base, m);
  }
}

// ---- fill loops --------------------------------------------------------------

// Words pos .. pos + n - 1 mapped by pre, straight into out by whole Philox
// steps, through a small buffer where a step is cut (start, end).
template <class Out, class Pre>
inline void fill_direct(uint64_t seed, uint64_t stream, uint64_t pos, Out* out, size_t n,
                        const Pre& pre) {
  const PhiloxKey key = make_key(seed, stream);
  alignas(64) Out tmp[kStepWords];
  size_t done = 0;
  while (done < n) {
    const uint64_t word = pos + done;
    const size_t skip = static_cast<size_t>(word & 3);
    const size_t left = n - done;
    if (skip == 0 && left >= kStepWords) {
      philox_store(key, word >> 2, out + done, pre);
      done += kStepWords;
    } else {
      philox_store(key, word >> 2, tmp, pre);
      const size_t take = (kStepWords - skip) < left ? (kStepWords - skip) : left;
      for (size_t i = 0; i < take; ++i) out[done + i] = tmp[skip + i];
      done += take;
    }
  }
}

template <class NT>
inline void fill_normal(uint64_t seed, uint64_t stream, uint64_t pos, float* out, size_t n,
                        const NT& tr) {
  const PhiloxKey key = make_key(seed, stream);
  alignas(64) float ybuf[kChunk];
  const NormalPre<NT> pre{tr};
  size_t done = 0;
  while (done < n) {
    const uint64_t word = pos + done;
    const uint64_t block = word >> 2;
    const size_t skip = static_cast<size_t>(word & 3);  // nonzero on the first chunk only
    const size_t left = n - done;
    const size_t take = (kChunk - skip) < left ? (kChunk - skip) : left;
    const size_t steps = (skip + take + kStepWords - 1) / kStepWords;
    for (size_t s = 0; s < steps; ++s) {
      philox_store(key, block + s * static_cast<size_t>(G * W), ybuf + s * kStepWords, pre);
    }
    normal_from_y(tr, ybuf + skip, out + done, take);
    done += take;
  }
}

void fill_u32(uint64_t seed, uint64_t stream, uint64_t pos, uint32_t* out, size_t n) {
  fill_direct(seed, stream, pos, out, n, Identity{});
}

void fill_f32(Dist dist, const DistParams& p, uint64_t seed, uint64_t stream, uint64_t pos,
              float* out, size_t n) {
  switch (dist) {
    case Dist::kUniform: {
      const UniformT tr(p);
      fill_direct(seed, stream, pos, out, n, UniformPre<UniformT>{tr});
      break;
    }
    case Dist::kNormal: fill_normal(seed, stream, pos, out, n, NormalT<false>(p, 1.0f)); break;
    case Dist::kTruncatedNormal:
      fill_normal(seed, stream, pos, out, n, NormalT<true>(p, kErfSqrt2));
      break;
  }
}

void transform(Dist dist, const DistParams& p, const uint32_t* in, float* out, size_t n) {
  switch (dist) {
    case Dist::kUniform: transform_words(UniformT(p), in, out, n); break;
    case Dist::kNormal: transform_words(NormalT<false>(p, 1.0f), in, out, n); break;
    case Dist::kTruncatedNormal: transform_words(NormalT<true>(p, kErfSqrt2), in, out, n); break;
  }
}
