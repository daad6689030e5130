#include "core/nn/optim.h"

#include <cmath>
#include <vector>

#include "core/threadpool.h"

namespace gs::nn {
namespace {

constexpr size_t kBlock = 1 << 14;

// One loop per (optimiser, option) combination, the options known at compile
// time: a branch-free body the compiler vectorises. Every variant performs the
// same float operations in the same order per element as the formulas in optim.h,
// so results do not depend on which loop runs or how it is vectorised.
template <OptimKind K, bool kL2, bool kWd, bool kMomentum, bool kNesterov>
void update_loop(const OptimStep& s, float* w, const float* g, float* s1, float* s2, size_t n) {
  const float lr = s.lr;
  for (size_t i = 0; i < n; ++i) {
    float gi = g[i];
    if constexpr (kL2) gi = gi + (2.0f * s.l2) * w[i];
    float wi = w[i];
    if constexpr (kWd) wi = wi - (wi * s.weight_decay) * lr;
    if constexpr (K == OptimKind::kSgd) {
      if constexpr (!kMomentum) {
        wi = wi - lr * gi;
      } else {
        const float m = s.momentum * s1[i] - lr * gi;
        s1[i] = m;
        if constexpr (kNesterov) {
          wi = wi + (s.momentum * m - lr * gi);
        } else {
          wi = wi + m;
        }
      }
    } else if constexpr (K == OptimKind::kAdagrad) {
      const float a = s1[i] + gi * gi;
      s1[i] = a;
      wi = wi - (lr * gi) / std::sqrt(a + s.epsilon);
    } else if constexpr (K == OptimKind::kRmsprop) {
      const float v = s.rho * s1[i] + (1.0f - s.rho) * (gi * gi);
      s1[i] = v;
      const float inc = (lr * gi) / std::sqrt(v + s.epsilon);
      if constexpr (!kMomentum) {
        wi = wi - inc;
      } else {
        const float m = s.momentum * s2[i] + inc;
        s2[i] = m;
        wi = wi - m;
      }
    } else if constexpr (K == OptimKind::kAdam) {
      const float m = s1[i] + (gi - s1[i]) * (1.0f - s.beta1);
      const float v = s2[i] + (gi * gi - s2[i]) * (1.0f - s.beta2);
      s1[i] = m;
      s2[i] = v;
      wi = wi - (m * s.alpha) / (std::sqrt(v) + s.epsilon);
    } else {
      const float m = s1[i] + (gi - s1[i]) * (1.0f - s.beta1);
      const float v = s2[i] + (gi * gi - s2[i]) * (1.0f - s.beta2);
      s1[i] = m;
      s2[i] = v;
      const float m_hat = (s.u_t1 * m) / s.one_minus_prod_t1 + ((1.0f - s.u_t) * gi) / s.one_minus_prod_t;
      const float v_hat = v / s.one_minus_b2t;
      wi = wi - (m_hat * lr) / (std::sqrt(v_hat) + s.epsilon);
    }
    w[i] = wi;
  }
}

template <OptimKind K, bool kL2, bool kWd>
void update_kind(const OptimStep& s, float* w, const float* g, float* s1, float* s2, size_t n) {
  const bool momentum = s.momentum != 0.0f;
  if (!momentum) return update_loop<K, kL2, kWd, false, false>(s, w, g, s1, s2, n);
  if (K == OptimKind::kSgd && s.nesterov) return update_loop<K, kL2, kWd, true, true>(s, w, g, s1, s2, n);
  update_loop<K, kL2, kWd, true, false>(s, w, g, s1, s2, n);
}

template <bool kL2, bool kWd>
void update_flags(const OptimStep& s, float* w, const float* g, float* s1, float* s2, size_t n) {
  switch (s.kind) {
    case OptimKind::kSgd: return update_kind<OptimKind::kSgd, kL2, kWd>(s, w, g, s1, s2, n);
    case OptimKind::kAdagrad: return update_kind<OptimKind::kAdagrad, kL2, kWd>(s, w, g, s1, s2, n);
    case OptimKind::kRmsprop: return update_kind<OptimKind::kRmsprop, kL2, kWd>(s, w, g, s1, s2, n);
    case OptimKind::kAdam: return update_kind<OptimKind::kAdam, kL2, kWd>(s, w, g, s1, s2, n);
    case OptimKind::kNadam: return update_kind<OptimKind::kNadam, kL2, kWd>(s, w, g, s1, s2, n);
  }
}

void update_block(const OptimStep& s, float* w, const float* g, float* s1, float* s2, size_t n) {
  const bool l2 = s.l2 != 0.0f, wd = s.weight_decay != 0.0f;
  if (l2 && wd) return update_flags<true, true>(s, w, g, s1, s2, n);
  if (l2) return update_flags<true, false>(s, w, g, s1, s2, n);
  if (wd) return update_flags<false, true>(s, w, g, s1, s2, n);
  update_flags<false, false>(s, w, g, s1, s2, n);
}

// Σ (after − before)², Σ after² and Σ g² of one block, each in 16 interleaved
// partials (element i of the block into partial i % 16, in order) combined by a
// fixed tree at the end. Fed chunk by chunk (multiples of 16 except the last):
// within a chunk the partials run in float (4-wide vectors where float64 would be
// 2-wide; ≤ 64 terms each, so ≤ 4e-6 relative error — these feed a ratio shown
// with 3 digits), then join float64 partials. A fixed order throughout: same bits
// on every ISA and thread count.
struct NormAccumulator {
  double d[16] = {}, w[16] = {}, q[16] = {};
  void add(const float* before, const float* after, const float* g, size_t n) {
    float fd[16] = {}, fw[16] = {}, fq[16] = {};
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
      for (size_t r = 0; r < 16; ++r) {
        const float a = after[i + r], delta = a - before[i + r], gi = g[i + r];
        fd[r] += delta * delta;
        fw[r] += a * a;
        fq[r] += gi * gi;
      }
    }
    for (; i < n; ++i) {
      const float a = after[i], delta = a - before[i], gi = g[i];
      fd[i % 16] += delta * delta;
      fw[i % 16] += a * a;
      fq[i % 16] += gi * gi;
    }
    for (size_t r = 0; r < 16; ++r) {
      d[r] += fd[r];
      w[r] += fw[r];
      q[r] += fq[r];
    }
  }
  UpdateNorms total() {
    for (size_t k = 8; k >= 1; k /= 2) {
      for (size_t r = 0; r < k; ++r) {
        d[r] += d[r + k];
        w[r] += w[r + k];
        q[r] += q[r + k];
      }
    }
    return {d[0], w[0], q[0]};
  }
};

// A block's update measured: old weights are kept a chunk at a time (4 KiB, in L1)
// so measuring costs no extra trip through memory.
UpdateNorms update_block_measured(const OptimStep& s, float* w, const float* g, float* s1, float* s2, size_t n) {
  constexpr size_t kChunk = 1024;
  float before[kChunk];
  NormAccumulator acc;
  for (size_t o = 0; o < n; o += kChunk) {
    const size_t len = n - o < kChunk ? n - o : kChunk;
    for (size_t i = 0; i < len; ++i) before[i] = w[o + i];
    update_block(s, w + o, g + o, s1 ? s1 + o : nullptr, s2 ? s2 + o : nullptr, len);
    acc.add(before, w + o, g + o, len);
  }
  return acc.total();
}

}  // namespace

void optim_update(const OptimStep& step, float* w, const float* g, float* s1, float* s2, size_t n,
                  UpdateNorms* norms) {
  const UpdateTensor t{w, g, s1, s2, n, norms};
  optim_update_all(step, &t, 1);
}

void optim_update_all(const OptimStep& step, const UpdateTensor* tensors, size_t count) {
  // Tasks: the blocks of every tensor, tensor by tensor. first[i] is tensor i's first task.
  std::vector<size_t> first(count + 1, 0);
  for (size_t i = 0; i < count; ++i) first[i + 1] = first[i] + Blocks{tensors[i].n, kBlock}.count();
  bool measured = false;
  for (size_t i = 0; i < count; ++i) measured = measured || tensors[i].norms != nullptr;
  std::vector<UpdateNorms> parts(measured ? first[count] : 0);  // per block, when measuring
  ThreadPool::global().parallel_for(first[count], [&](size_t task) {
    size_t i = 0;
    while (first[i + 1] <= task) ++i;
    const UpdateTensor& u = tensors[i];
    const Blocks b{u.n, kBlock};
    const size_t blk = task - first[i], o = b.begin(blk), len = b.end(blk) - o;
    float* a1 = u.s1 ? u.s1 + o : nullptr;
    float* a2 = u.s2 ? u.s2 + o : nullptr;
    if (u.norms == nullptr) {
      update_block(step, u.w + o, u.g + o, a1, a2, len);
    } else {
      parts[task] = update_block_measured(step, u.w + o, u.g + o, a1, a2, len);
    }
  });
  for (size_t i = 0; i < count; ++i) {
    if (tensors[i].norms == nullptr) continue;
    UpdateNorms total;  // blocks combined in order
    for (size_t t = first[i]; t < first[i + 1]; ++t) {
      total.delta2 += parts[t].delta2;
      total.weight2 += parts[t].weight2;
      total.grad2 += parts[t].grad2;
    }
    *tensors[i].norms = total;
  }
}

double sum_squares(const float* g, size_t n) {
  // part[r] sums elements i ≡ r (mod 16), in order; written as whole rows of 16 so
  // the loop vectorises (the order of each partial sum is unchanged).
  double part[16] = {};
  size_t i = 0;
  for (; i + 16 <= n; i += 16)
    for (size_t r = 0; r < 16; ++r) part[r] += static_cast<double>(g[i + r]) * g[i + r];
  for (; i < n; ++i) part[i % 16] += static_cast<double>(g[i]) * g[i];
  for (size_t w = 8; w >= 1; w /= 2)
    for (size_t j = 0; j < w; ++j) part[j] += part[j + w];
  return part[0];
}

void scale_in_place(float* g, size_t n, float scale) {
  for (size_t i = 0; i < n; ++i) g[i] = g[i] * scale;
}

void clip_in_place(float* g, size_t n, float c) {
  for (size_t i = 0; i < n; ++i) g[i] = g[i] > c ? c : (g[i] < -c ? -c : g[i]);  // NaN stays NaN
}

}  // namespace gs::nn
