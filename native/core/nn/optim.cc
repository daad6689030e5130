#include "core/nn/optim.h"

#include <cmath>

#include "core/threadpool.h"

namespace gs::nn {
namespace {

constexpr size_t kBlock = 1 << 14;

void update_block(const OptimStep& s, float* w, const float* g, float* s1, float* s2, size_t n) {
  const float lr = s.lr;
  for (size_t i = 0; i < n; ++i) {
    float gi = g[i];
    if (s.l2 != 0.0f) gi = gi + (2.0f * s.l2) * w[i];
    float wi = w[i];
    if (s.weight_decay != 0.0f) wi = wi - (wi * s.weight_decay) * lr;
    switch (s.kind) {
      case OptimKind::kSgd:
        if (s.momentum == 0.0f) {
          wi = wi - lr * gi;
        } else {
          const float m = s.momentum * s1[i] - lr * gi;
          s1[i] = m;
          wi = s.nesterov ? wi + (s.momentum * m - lr * gi) : wi + m;
        }
        break;
      case OptimKind::kAdagrad: {
        const float a = s1[i] + gi * gi;
        s1[i] = a;
        wi = wi - (lr * gi) / std::sqrt(a + s.epsilon);
        break;
      }
      case OptimKind::kRmsprop: {
        const float v = s.rho * s1[i] + (1.0f - s.rho) * (gi * gi);
        s1[i] = v;
        const float inc = (lr * gi) / std::sqrt(v + s.epsilon);
        if (s.momentum == 0.0f) {
          wi = wi - inc;
        } else {
          const float m = s.momentum * s2[i] + inc;
          s2[i] = m;
          wi = wi - m;
        }
        break;
      }
      case OptimKind::kAdam: {
        const float m = s1[i] + (gi - s1[i]) * (1.0f - s.beta1);
        const float v = s2[i] + (gi * gi - s2[i]) * (1.0f - s.beta2);
        s1[i] = m;
        s2[i] = v;
        wi = wi - (m * s.alpha) / (std::sqrt(v) + s.epsilon);
        break;
      }
      case OptimKind::kNadam: {
        const float m = s1[i] + (gi - s1[i]) * (1.0f - s.beta1);
        const float v = s2[i] + (gi * gi - s2[i]) * (1.0f - s.beta2);
        s1[i] = m;
        s2[i] = v;
        const float m_hat = (s.u_t1 * m) / s.one_minus_prod_t1 + ((1.0f - s.u_t) * gi) / s.one_minus_prod_t;
        const float v_hat = v / s.one_minus_b2t;
        wi = wi - (m_hat * lr) / (std::sqrt(v_hat) + s.epsilon);
        break;
      }
    }
    w[i] = wi;
  }
}

}  // namespace

void optim_update(const OptimStep& step, float* w, const float* g, float* s1, float* s2, size_t n) {
  const Blocks b{n, kBlock};
  ThreadPool::global().parallel_for(b.count(), [&](size_t t) {
    const size_t o = b.begin(t);
    update_block(step, w + o, g + o, s1 ? s1 + o : nullptr, s2 ? s2 + o : nullptr, b.end(t) - o);
  });
}

double sum_squares(const float* g, size_t n) {
  double part[16] = {};
  for (size_t i = 0; i < n; ++i) part[i % 16] += static_cast<double>(g[i]) * g[i];
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
