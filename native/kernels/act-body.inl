// Activation kernels written once over the lane layer. Contract:
// native/core/nn/activations.h. Needs: lane layer, simd/math.inl, simd/math-gelu.inl.

constexpr float kSeluLambda = 1.0507009873554805f;
constexpr float kSeluAlpha = 1.6732632423543772f;
constexpr float kGeluTanhC = 0.7978845608028654f;  // sqrt(2 / pi)
constexpr float kGeluTanhK = 0.044715f;

// z·σ(s) = z / (1 + e^{-s}), evaluated as z·e^{s} / (1 + e^{s}) for s < 0: e^{-|s|} never
// overflows, and no denormal σ(s) stands between z and a result that is a normal float.
inline F mul_sigmoid(F z, F s) {
  const F e = exp_f(f_sub(f_set(0.0f), f_abs(s)));
  const F num = f_select(f_lt(s, f_set(0.0f)), f_mul(z, e), z);
  return f_div(num, f_add(f_set(1.0f), e));
}

// ---- forward ops: F -> F ------------------------------------------------------
struct Fwd {
  Act act;
  F alpha, beta;
  F operator()(F z) const {
    const F v = eval(z);
    // z·g(z) forms (gelu, geluTanh, swish, mish) give −inf·0 = NaN at z = −inf; their limit is 0
    if (act == Act::kGelu || act == Act::kGeluTanh || act == Act::kSwish || act == Act::kMish) {
      return f_select(f_lt(z, f_set(-3.4028235e38f)), f_set(0.0f), v);
    }
    return v;
  }

  F eval(F z) const {
    const F zero = f_set(0.0f);
    switch (act) {
      case Act::kLinear: return z;
      case Act::kSigmoid: return sigmoid_f(z);
      case Act::kTanh: return tanh_f(z);
      // + 0 maps −0 to +0 (relu is 0 for every z ≤ 0) and leaves the rest, NaN included
      case Act::kRelu: return f_add(f_select(f_lt(z, zero), zero, z), zero);
      case Act::kLeakyRelu: return f_select(f_lt(z, zero), f_mul(alpha, z), z);
      case Act::kElu: return f_select(f_lt(zero, z), z, f_mul(alpha, expm1_f(z)));
      case Act::kSelu:
        return f_mul(f_set(kSeluLambda), f_select(f_lt(zero, z), z, f_mul(f_set(kSeluAlpha), expm1_f(z))));
      case Act::kGelu: return f_mul(z, normal_cdf(z));
      case Act::kGeluTanh: {
        const F inner = f_fma(f_mul(f_set(kGeluTanhK), f_mul(z, z)), z, z);
        // 0.5·z·(1 + tanh(u)) = z·σ(2u): no cancellation for negative z
        return mul_sigmoid(z, f_mul(f_set(2.0f * kGeluTanhC), inner));
      }
      case Act::kSwish: return mul_sigmoid(z, f_mul(beta, z));
      case Act::kSoftplus: return softplus_f(z);
      case Act::kMish: return f_mul(z, tanh_f(softplus_f(z)));
      case Act::kSoftmax: return z;  // row-wise, handled elsewhere
    }
    return z;
  }

  // softplus(z) = max(z, 0) + log1p(e^{-|z|}): no overflow, no cancellation
  static F softplus_f(F z) {
    const F e = exp_f(f_sub(f_set(0.0f), f_abs(z)));
    const F sp = f_add(f_max(z, f_set(0.0f)), log1p_pos(e));
    return f_select(f_isnan(z), z, sp);
  }
};

// ---- derivatives: (z, a) -> f'(z) ------------------------------------------------
struct Grad {
  Act act;
  F alpha, beta;
  F operator()(F z, F a) const {
    const F d = eval(z, a);
    // The z·g(z) forms' derivatives hold products like z·φ(z) or z²·u' that are
    // inf·0 = NaN once z is infinite (or z² overflows: geluTanh from |z| ≈ 1.8e19).
    // Their limits are those of g: 1 at +inf and 0 at −inf (swish: σ(β·±inf), so
    // 0.5 when β = 0). A NaN z never gets here as a number: the loop passes it through.
    if (act == Act::kGelu || act == Act::kGeluTanh || act == Act::kSwish || act == Act::kMish) {
      const F zero = f_set(0.0f), one = f_set(1.0f);
      F hi = one;
      if (act == Act::kSwish)
        hi = f_select(f_lt(zero, beta), one, f_select(f_lt(beta, zero), zero, f_set(0.5f)));
      const F limit = f_select(f_lt(zero, z), hi, f_sub(one, hi));
      return f_select(f_isnan(d), limit, d);
    }
    return d;
  }

  F eval(F z, F a) const {
    const F zero = f_set(0.0f), one = f_set(1.0f);
    switch (act) {
      case Act::kLinear: return one;
      case Act::kSigmoid: return f_mul(a, f_sub(one, a));
      case Act::kTanh: return f_fma(f_sub(zero, a), a, one);
      case Act::kRelu: return f_select(f_lt(zero, z), one, zero);
      case Act::kLeakyRelu: return f_select(f_lt(zero, z), one, alpha);
      case Act::kElu: return f_select(f_lt(zero, z), one, f_add(a, alpha));
      case Act::kSelu:
        return f_select(f_lt(zero, z), f_set(kSeluLambda), f_add(a, f_set(kSeluLambda * kSeluAlpha)));
      case Act::kGelu: {
        // Φ(z) + z·φ(z), φ(z) = e^{-z²/2} / sqrt(2π)
        const F pdf = f_mul(exp_f(f_mul(f_set(-0.5f), f_mul(z, z))), f_set(0.3989422804014327f));
        return f_fma(z, pdf, normal_cdf(z));
      }
      case Act::kGeluTanh: {
        const F z2 = f_mul(z, z);
        const F inner = f_fma(f_mul(f_set(kGeluTanhK), z2), z, z);
        const F s = sigmoid_f(f_mul(f_set(2.0f * kGeluTanhC), inner));
        // d/dz z·σ(2u) = s + z·2s(1−s)·u',  u' = c(1 + 3k z²)
        const F du = f_mul(f_set(kGeluTanhC), f_fma(f_set(3.0f * kGeluTanhK), z2, one));
        const F ds = f_mul(f_mul(f_set(2.0f), f_mul(s, f_sub(one, s))), du);
        return f_fma(z, ds, s);
      }
      case Act::kSwish: {
        const F s = sigmoid_f(f_mul(beta, z));
        // s + βz·s(1 − s) = s·(1 + βz(1 − s))
        return f_mul(s, f_fma(f_mul(beta, z), f_sub(one, s), one));
      }
      case Act::kSoftplus: return sigmoid_f(z);
      case Act::kMish: {
        const F t = tanh_f(Fwd::softplus_f(z));
        // t + z·(1 − t²)·σ(z)
        return f_fma(f_mul(z, f_fma(f_sub(zero, t), t, one)), sigmoid_f(z), t);
      }
      case Act::kSoftmax: return one;
    }
    return one;
  }
};

// The loops are instantiated per activation (ACT a compile-time constant), so the
// switches in Fwd/Grad fold away and consecutive vectors' independent chains can
// overlap; with the switch inside the loop every vector paid a branch and the
// compiler kept the iterations apart. The arithmetic is the same either way.
template <Act ACT>
void forward_loop(const ActParams& p, const float* z, float* a, size_t n) {
  const Fwd op{ACT, f_set(p.alpha), f_set(p.beta)};
  size_t i = 0;
  for (; i + W <= n; i += W) f_store(a + i, op(f_load(z + i)));
  if (i < n) {
    alignas(64) float t[W] = {};
    for (size_t j = 0; i + j < n; ++j) t[j] = z[i + j];
    f_store(t, op(f_load(t)));
    for (size_t j = 0; i + j < n; ++j) a[i + j] = t[j];
  }
}

template <Act ACT>
void backward_loop(const ActParams& p, const float* z, const float* a, const float* dy, float* dz, size_t n) {
  const Grad g{ACT, f_set(p.alpha), f_set(p.beta)};
  auto step = [&](F zv, F av, F dv) {
    const F d = g(zv, av);
    return f_select(f_isnan(zv), zv, f_mul(dv, d));  // NaN in z gives NaN out
  };
  size_t i = 0;
  for (; i + W <= n; i += W) f_store(dz + i, step(f_load(z + i), f_load(a + i), f_load(dy + i)));
  if (i < n) {
    alignas(64) float tz[W] = {}, ta[W] = {}, td[W] = {};
    for (size_t j = 0; i + j < n; ++j) {
      tz[j] = z[i + j];
      ta[j] = a[i + j];
      td[j] = dy[i + j];
    }
    f_store(td, step(f_load(tz), f_load(ta), f_load(td)));
    for (size_t j = 0; i + j < n; ++j) dz[i + j] = td[j];
  }
}

#define GS_ACT_DISPATCH(fn, act, ...)                                   \
  switch (act) {                                                        \
    case Act::kLinear: return fn<Act::kLinear>(__VA_ARGS__);            \
    case Act::kSigmoid: return fn<Act::kSigmoid>(__VA_ARGS__);          \
    case Act::kTanh: return fn<Act::kTanh>(__VA_ARGS__);                \
    case Act::kRelu: return fn<Act::kRelu>(__VA_ARGS__);                \
    case Act::kLeakyRelu: return fn<Act::kLeakyRelu>(__VA_ARGS__);      \
    case Act::kElu: return fn<Act::kElu>(__VA_ARGS__);                  \
    case Act::kSelu: return fn<Act::kSelu>(__VA_ARGS__);                \
    case Act::kGelu: return fn<Act::kGelu>(__VA_ARGS__);                \
    case Act::kGeluTanh: return fn<Act::kGeluTanh>(__VA_ARGS__);        \
    case Act::kSwish: return fn<Act::kSwish>(__VA_ARGS__);              \
    case Act::kSoftplus: return fn<Act::kSoftplus>(__VA_ARGS__);        \
    case Act::kMish: return fn<Act::kMish>(__VA_ARGS__);                \
    case Act::kSoftmax: return fn<Act::kSoftmax>(__VA_ARGS__);          \
  }

void forward(Act act, const ActParams& p, const float* z, float* a, size_t n) {
  GS_ACT_DISPATCH(forward_loop, act, p, z, a, n)
}

void backward(Act act, const ActParams& p, const float* z, const float* a, const float* dy, float* dz, size_t n) {
  GS_ACT_DISPATCH(backward_loop, act, p, z, a, dy, dz, n)
}

// ---- fixed-order reductions (16 interleaved partials, fixed tree) -----------------
template <class Load>
inline float sum16(size_t n, Load load) {
  constexpr int V = 16 / W;
  F acc[V];
  for (int v = 0; v < V; ++v) acc[v] = f_set(0.0f);
  size_t i = 0;
  for (; i + 16 <= n; i += 16)
    for (int v = 0; v < V; ++v) acc[v] = f_add(acc[v], load(i + v * W));
  if (i < n) {
    alignas(64) float t[16] = {};
    for (size_t j = 0; i + j < n; ++j) t[j] = load.scalar(i + j);
    for (int v = 0; v < V; ++v) acc[v] = f_add(acc[v], f_load(t + v * W));
  }
  alignas(64) float part[16];
  for (int v = 0; v < V; ++v) f_store(part + v * W, acc[v]);
  for (int w = 8; w >= 1; w /= 2)
    for (int j = 0; j < w; ++j) part[j] += part[j + w];
  return part[0];
}

struct LoadRow {
  const float* x;
  F operator()(size_t i) const { return f_load(x + i); }
  float scalar(size_t i) const { return x[i]; }
};
struct LoadProduct {  // x_i · y_i, rounded, then summed
  const float* x;
  const float* y;
  F operator()(size_t i) const { return f_mul(f_load(x + i), f_load(y + i)); }
  float scalar(size_t i) const { return x[i] * y[i]; }
};

inline float row_max(const float* z, size_t n) {
  float m = z[0];
  for (size_t j = 1; j < n; ++j) m = z[j] > m ? z[j] : m;  // max is exact: any order gives it
  return m;
}

void softmax_rows(const float* z, float* a, size_t rows, size_t cols) {
  if (cols == 0) return;
  for (size_t r = 0; r < rows; ++r) {
    const float* zr = z + r * cols;
    float* ar = a + r * cols;
    bool nan = false;
    for (size_t j = 0; j < cols; ++j) nan = nan || zr[j] != zr[j];
    const F m = nan ? u_as_f(u_set(0x7FC00000u)) : f_set(row_max(zr, cols));
    size_t j = 0;
    for (; j + W <= cols; j += W) f_store(ar + j, exp_f(f_sub(f_load(zr + j), m)));
    if (j < cols) {
      alignas(64) float t[W] = {};
      for (size_t k = 0; j + k < cols; ++k) t[k] = zr[j + k];
      f_store(t, exp_f(f_sub(f_load(t), m)));
      for (size_t k = 0; j + k < cols; ++k) ar[j + k] = t[k];
    }
    const float sum = sum16(cols, LoadRow{ar});
    const F s = f_set(sum);
    j = 0;
    for (; j + W <= cols; j += W) f_store(ar + j, f_div(f_load(ar + j), s));
    for (; j < cols; ++j) ar[j] = ar[j] / sum;
  }
}

void softmax_backward_rows(const float* a, const float* dy, float* dz, size_t rows, size_t cols) {
  for (size_t r = 0; r < rows; ++r) {
    const float* ar = a + r * cols;
    const float* dr = dy + r * cols;
    float* out = dz + r * cols;
    const float s = sum16(cols, LoadProduct{dr, ar});
    const F sv = f_set(s);
    size_t j = 0;
    for (; j + W <= cols; j += W) f_store(out + j, f_mul(f_load(ar + j), f_sub(f_load(dr + j), sv)));
    for (; j < cols; ++j) out[j] = ar[j] * (dr[j] - s);
  }
}
