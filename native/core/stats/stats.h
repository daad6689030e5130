// Reductions behind the diagnostics: statistics of activation and gradient
// tensors, and their collection over a whole model after a forward + backward
// pass.
//
// Numerical contract: every statistic is a float64 reduction in element order
// on one thread (mean first, then Σ(x − mean)² for the std: two passes, so the
// std of large, offset tensors keeps its digits). They are the same bits on
// every ISA and thread count, and equal a plain float64 reference to rounding.
// Non-finite elements are counted and left out of every other statistic.
#pragma once
#include <cstddef>
#include <vector>

#include "core/nn/activations.h"
#include "core/nn/model.h"

namespace gs::stats {

struct ActStatsConfig {
  // An activation counts as saturated within `saturation` of an asymptote:
  // sigmoid a < t or a > 1 − t, tanh |a| > 1 − t. Other activations have none.
  double saturation = 0.01;
  int bins = 30;  // histogram over [min, max] of the finite values
};

// Layout of activation statistics (then `bins` counts and `bins + 1` edges).
enum ActStat { kMean, kStd, kMin, kMax, kSaturated, kZero, kDeadUnits, kNonFiniteA, kActStatCount };
inline size_t act_stats_size(int bins) { return kActStatCount + 2 * static_cast<size_t>(bins) + 1; }

// x: [rows, cols]. `act` decides what "saturated" means; dead units are columns
// that are exactly 0 for every row. Fractions are of finite elements / of columns.
void activation_stats(const float* x, size_t rows, size_t cols, nn::Act act, const ActStatsConfig& c, double* out);

// Layout of tensor statistics.
enum TensorStat { kNorm, kTStd, kMaxAbs, kNonFinite, kTMean, kTensorStatCount };
void tensor_stats(const float* x, size_t n, double* out);

// After model.forward(x) and model.loss_and_grads(..., grads = true, input_grad = true):
// per layer l, in this order: z, a (activation stats), ∂L/∂W, ∂L/∂b (zeros without
// bias), ∂L/∂x, ∂L/∂a, W (tensor stats); then, once, the input x (tensor stats).
size_t model_stats_size(const nn::Model& m, int bins);
void model_stats(const nn::Model& m, const float* x, const ActStatsConfig& c, double* out);

// What a monitor records for one training step, per layer: ‖∂L/∂W‖ and the
// update ratio ‖ΔW‖/‖W‖ (filled by the caller: Model::update measures both), the
// saturated and dead-unit fractions and the std of the activations. One pass over
// each activation tensor, sums per column in float64 (the std from E[a²] − E[a]²,
// precise enough for a monitor; diagnose uses two passes). Non-finite values are
// not screened here: a non-finite loss stops or flags the step anyway.
enum MonitorStat { kMonGradNorm, kMonUpdateRatio, kMonSaturated, kMonDead, kMonActStd, kMonitorStatCount };
void monitor_stats(const nn::Model& m, double saturation, double* out);

}  // namespace gs::stats
