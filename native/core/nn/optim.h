// Optimiser updates, fused per parameter tensor: one pass over (w, g, state).
//
// Keras 3 semantics (keras/src/optimizers/*.py). Per-step scalars (bias
// corrections, Nadam's momentum schedule) are computed once per step by the
// caller in float64 and passed in float32. Elementwise float32 arithmetic in a
// fixed order, no FMA contraction: the same bits on every ISA and thread count.
//
//   weight decay (decoupled, all optimisers; AdamW's default):  w ← w − (w·wd)·lr
//   L2 penalty (coupled, Keras' l2 regulariser coefficient):     g ← g + (2·l2)·w
//   sgd:      μ = 0: w ← w − lr·g;  else m ← μm − lr·g;  w ← w + m  (nesterov: w ← w + μm − lr·g)
//   adagrad:  a ← a + g²;  w ← w − lr·g / sqrt(a + ε)
//   rmsprop:  v ← ρv + (1−ρ)g²;  Δ = lr·g / sqrt(v + ε);  μ = 0: w ← w − Δ;  else m ← μm + Δ; w ← w − m
//   adam:     m ← m + (g−m)(1−β1);  v ← v + (g²−v)(1−β2);  w ← w − (m·α)/(sqrt(v) + ε),
//             α = lr·sqrt(1−β2^t)/(1−β1^t)
//   nadam:    m, v as adam;  m̂ = u_{t+1}·m/(1 − Πu_{t+1}) + (1−u_t)·g/(1 − Πu_t);  v̂ = v/(1−β2^t);
//             w ← w − (m̂·lr)/(sqrt(v̂) + ε)
#pragma once
#include <cstddef>

namespace gs::nn {

enum class OptimKind : int { kSgd = 0, kAdagrad = 1, kRmsprop = 2, kAdam = 3, kNadam = 4 };

struct OptimStep {
  OptimKind kind;
  float lr;
  float momentum;  // sgd, rmsprop
  bool nesterov;   // sgd
  float rho;       // rmsprop
  float beta1, beta2, epsilon;
  float weight_decay;  // decoupled
  float l2;            // coupled penalty coefficient
  // per-step scalars
  float alpha;         // adam
  float one_minus_b2t; // nadam: 1 − β2^t
  float u_t, u_t1;     // nadam: u_t, u_{t+1}
  float one_minus_prod_t, one_minus_prod_t1;  // nadam: 1 − Πu_t, 1 − Πu_{t+1}
};

// ‖Δw‖², ‖w‖² (after the update) and ‖g‖² of one update, for the update-to-weight
// ratio and gradient norm the diagnostics report. Sums in a fixed order: 16
// interleaved partials per block of the update (float within chunks of 1024,
// float64 across them; ≤ 4e-6 relative error), blocks combined in order.
struct UpdateNorms {
  double delta2 = 0.0, weight2 = 0.0, grad2 = 0.0;  // ‖Δw‖², ‖w‖² after, ‖g‖² as used
};

// Updates w in place. s1/s2: optimiser state of w's length (momentum /
// accumulator / velocity; m and v for adam and nadam); unused ones may be null.
// With `norms`, also measures the update (while each block is still in cache).
void optim_update(const OptimStep& step, float* w, const float* g, float* s1, float* s2, size_t n,
                  UpdateNorms* norms = nullptr);

// One parameter tensor of a model's update: as the arguments above.
struct UpdateTensor {
  float* w;
  const float* g;
  float* s1;
  float* s2;
  size_t n;
  UpdateNorms* norms;  // null: not measured
};

// Updates every tensor in one parallel region: each tensor is cut into the same
// blocks as optim_update, so weights and norms are the same bits as one call per
// tensor, but a model of many small layers pays for one region instead of one
// per tensor, and its small tensors run side by side instead of one at a time.
void optim_update_all(const OptimStep& step, const UpdateTensor* tensors, size_t count);

// Σ g² in float64 (for norms: clipping and diagnostics), fixed order.
double sum_squares(const float* g, size_t n);
// g ← g·scale (clip by norm) / g ← clamp(g, −c, c) (clip by value)
void scale_in_place(float* g, size_t n, float scale);
void clip_in_place(float* g, size_t n, float c);

}  // namespace gs::nn
