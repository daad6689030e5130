// Random kernels written once over the lane layer (see simd/README.md).
// Contract: native/core/random/kernels.h. Needs: lane layer, simd/math-random.inl.

// Philox4x32-10 on W consecutive blocks starting at block index `block`:
// lane j computes block + j. x[w] holds word w of each block.
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

// G independent groups of W blocks are interleaved so the 10-round dependency
// chain of one group overlaps the others' (G comes from the lane layer).
inline void philox_lanes(const PhiloxKey& k, uint64_t block, U x[G][4]) {
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
    x[g][0] = c0[g];
    x[g][1] = c1[g];
    x[g][2] = c2[g];
    x[g][3] = c3[g];
  }
}

// ---- transforms: one 32-bit word -> one value ------------------------------

// (w >> 8) * 2^-24: the 2^24 floats k/2^24 in [0, 1), each exactly.
inline F unit_uniform(U w) { return f_mul(i_to_f(u_srl<8>(w)), f_set(0x1p-24f)); }

// (2 (w >> 8) + 1 - 2^24) * 2^-24: symmetric grid in (-1, 1), exact, never +-1.
inline F unit_symmetric(U w) {
  const U odd = u_or(u_srl<7>(w), u_set(1u));
  return f_mul(i_to_f(u_sub(odd, u_set(1u << 24))), f_set(0x1p-24f));
}

struct UniformT {
  F low, range, upper;
  explicit UniformT(const DistParams& p) : low(f_set(p.a)), range(f_set(p.b)), upper(f_set(p.c)) {}
  F operator()(U w) const { return f_min(f_fma(unit_uniform(w), range, low), upper); }
};

struct NormalT {
  F mean, std, ymul;
  NormalT(const DistParams& p, float y_scale) : mean(f_set(p.a)), std(f_set(p.b)), ymul(f_set(y_scale)) {}
  F operator()(U w) const {
    const F y = f_mul(unit_symmetric(w), ymul);
    const F z = f_mul(erfinv(y), f_set(1.41421356237309505f));
    return f_fma(z, std, mean);
  }
};

// erf(sqrt(2)) = P(|Z| < 2) for Z ~ N(0, 1): scaling y by it restricts the
// inverse CDF to (-2, 2). Rounded down so |y| stays below the exact bound.
constexpr float kErfSqrt2 = 0.954499736f;

struct BitsT {
  U operator()(U w) const { return w; }
};

// ---- fill loops --------------------------------------------------------------

template <class T, class Out, class Store>
inline void fill_stream(uint64_t seed, uint64_t stream, uint64_t pos, Out* out, size_t n,
                        const T& tr, Store store4) {
  const PhiloxKey key = make_key(seed, stream);
  constexpr size_t kGroup = 4 * static_cast<size_t>(W);  // words per group of W blocks
  constexpr size_t kBatch = G * kGroup;                   // words per philox_lanes call
  alignas(64) Out tmp[kBatch];
  size_t done = 0;
  while (done < n) {
    const uint64_t word = pos + done;
    const uint64_t block = word >> 2;
    const size_t skip = static_cast<size_t>(word & 3);
    U x[G][4];
    philox_lanes(key, block, x);
    const size_t left = n - done;
    if (skip == 0 && left >= kBatch) {
      for (int g = 0; g < G; ++g) {
        store4(out + done + g * kGroup, tr(x[g][0]), tr(x[g][1]), tr(x[g][2]), tr(x[g][3]));
      }
      done += kBatch;
    } else {
      for (int g = 0; g < G; ++g) {
        store4(tmp + g * kGroup, tr(x[g][0]), tr(x[g][1]), tr(x[g][2]), tr(x[g][3]));
      }
      const size_t take = (kBatch - skip) < left ? (kBatch - skip) : left;
      for (size_t i = 0; i < take; ++i) out[done + i] = tmp[skip + i];
      done += take;
    }
  }
}

// Functors (not function pointers) so the stores inline into fill_stream.
struct Store4U {
  void operator()(uint32_t* d, U a, U b, U c, U e) const { transpose4_store_u(d, a, b, c, e); }
};
struct Store4F {
  void operator()(float* d, F a, F b, F c, F e) const { transpose4_store_f(d, a, b, c, e); }
};

void fill_u32(uint64_t seed, uint64_t stream, uint64_t pos, uint32_t* out, size_t n) {
  fill_stream(seed, stream, pos, out, n, BitsT{}, Store4U{});
}

void fill_f32(Dist dist, const DistParams& p, uint64_t seed, uint64_t stream, uint64_t pos,
              float* out, size_t n) {
  switch (dist) {
    case Dist::kUniform: fill_stream(seed, stream, pos, out, n, UniformT(p), Store4F{}); break;
    case Dist::kNormal: fill_stream(seed, stream, pos, out, n, NormalT(p, 1.0f), Store4F{}); break;
    case Dist::kTruncatedNormal:
      fill_stream(seed, stream, pos, out, n, NormalT(p, kErfSqrt2), Store4F{});
      break;
  }
}

template <class T>
inline void transform_words(const T& tr, const uint32_t* in, float* out, size_t n) {
  size_t i = 0;
  for (; i + W <= n; i += W) f_store(out + i, tr(u_load(in + i)));
  if (i < n) {
    alignas(64) uint32_t a[W] = {};
    alignas(64) float b[W];
    for (size_t j = 0; i + j < n; ++j) a[j] = in[i + j];
    f_store(b, tr(u_load(a)));
    for (size_t j = 0; i + j < n; ++j) out[i + j] = b[j];
  }
}

void transform(Dist dist, const DistParams& p, const uint32_t* in, float* out, size_t n) {
  switch (dist) {
    case Dist::kUniform: transform_words(UniformT(p), in, out, n); break;
    case Dist::kNormal: transform_words(NormalT(p, 1.0f), in, out, n); break;
    case Dist::kTruncatedNormal: transform_words(NormalT(p, kErfSqrt2), in, out, n); break;
  }
}
