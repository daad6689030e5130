#include "core/nn/loss.h"

#include <algorithm>
#include <cmath>

namespace gs::nn {

bool loss_supported(LossKind kind, bool from_logits, Act out_act, const char** why) {
  switch (kind) {
    case LossKind::kMse:
    case LossKind::kMae:
      if (from_logits) {
        *why = "fromLogits applies to the cross-entropy losses only";
        return false;
      }
      return true;
    case LossKind::kBce:
      if (from_logits ? out_act == Act::kLinear : out_act == Act::kSigmoid) return true;
      *why = from_logits ? "binary cross-entropy from logits needs a linear output layer"
                         : "binary cross-entropy needs a sigmoid output layer (or fromLogits with a linear one)";
      return false;
    case LossKind::kCce:
    case LossKind::kSparseCce:
      if (from_logits ? out_act == Act::kLinear : out_act == Act::kSoftmax) return true;
      *why = from_logits ? "categorical cross-entropy from logits needs a linear output layer"
                         : "categorical cross-entropy needs a softmax output layer (or fromLogits with a linear one)";
      return false;
  }
  *why = "unknown loss";
  return false;
}

bool loss_is_fused(LossKind kind) {
  return kind == LossKind::kBce || kind == LossKind::kCce || kind == LossKind::kSparseCce;
}

namespace {

double sigmoid64(double z) { return z >= 0 ? 1.0 / (1.0 + std::exp(-z)) : std::exp(z) / (1.0 + std::exp(z)); }

size_t argmax(const float* row, size_t cols) {
  size_t best = 0;
  for (size_t j = 1; j < cols; ++j)
    if (row[j] > row[best]) best = j;
  return best;
}

double elementwise(LossKind kind, const float* a, const float* y, size_t n, float* grad) {
  const double inv = 1.0 / static_cast<double>(n);
  const float scale = static_cast<float>((kind == LossKind::kMse ? 2.0 : 1.0) * inv);
  double sum = 0.0;
  for (size_t i = 0; i < n; ++i) {
    const float d = a[i] - y[i];
    if (kind == LossKind::kMse) {
      sum += static_cast<double>(d) * d;
      if (grad) grad[i] = d * scale;
    } else {
      sum += std::fabs(static_cast<double>(d));
      if (grad) grad[i] = d > 0 ? scale : d < 0 ? -scale : (d == d ? 0.0f : d);
    }
  }
  return sum * inv;
}

double binary(bool from_logits, const float* z, const float* a, const float* y, size_t n, float* grad,
              double* correct) {
  const double inv = 1.0 / static_cast<double>(n);
  const float nf = static_cast<float>(n);
  double sum = 0.0, right = 0.0;
  for (size_t i = 0; i < n; ++i) {
    const double zi = z[i], yi = y[i];
    sum += std::max(zi, 0.0) - zi * yi + std::log1p(std::exp(-std::fabs(zi)));
    // The sigmoid output layer already computed σ(z) in float; from logits we compute it here.
    // The gradient is formed in float as (p − y)/N, the same bits as ops.softmaxCrossEntropyBackward.
    const float p = from_logits ? static_cast<float>(sigmoid64(zi)) : a[i];
    if (grad) grad[i] = (p - y[i]) / nf;
    right += (p >= 0.5) == (yi >= 0.5) ? 1.0 : 0.0;
  }
  if (correct) *correct = right;
  return sum * inv;
}

double categorical(bool from_logits, const float* z, const float* a, const LossTargets& t, size_t batch,
                   size_t cols, float* grad, double* correct) {
  const double inv = 1.0 / static_cast<double>(batch);
  const float nb = static_cast<float>(batch);
  double sum = 0.0, right = 0.0;
  for (size_t i = 0; i < batch; ++i) {
    const float* zr = z + i * cols;
    double m = -INFINITY;
    for (size_t j = 0; j < cols; ++j) m = std::max(m, static_cast<double>(zr[j]));
    double s = 0.0;
    for (size_t j = 0; j < cols; ++j) s += std::exp(zr[j] - m);
    const double log_s = std::log(s);
    const size_t label = t.labels ? static_cast<size_t>(t.labels[i]) : 0;
    for (size_t j = 0; j < cols; ++j) {
      const double yj = t.labels ? (j == label ? 1.0 : 0.0) : static_cast<double>(t.y[i * cols + j]);
      if (yj != 0.0) sum -= yj * (zr[j] - m - log_s);
      if (grad) {
        const float p = from_logits ? static_cast<float>(std::exp(zr[j] - m - log_s)) : a[i * cols + j];
        grad[i * cols + j] = (p - static_cast<float>(yj)) / nb;
      }
    }
    const size_t pred = argmax(zr, cols);
    const size_t truth = t.labels ? label : argmax(t.y + i * cols, cols);
    right += pred == truth ? 1.0 : 0.0;
  }
  if (correct) *correct = right;
  return sum * inv;
}

}  // namespace

double loss_forward_backward(LossKind kind, bool from_logits, Act /*out_act*/, const float* z, const float* a,
                             const LossTargets& t, size_t batch, size_t cols, float* grad, double* correct) {
  switch (kind) {
    case LossKind::kMse:
    case LossKind::kMae:
      if (correct) *correct = 0.0;
      return elementwise(kind, a, t.y, batch * cols, grad);
    case LossKind::kBce:
      return binary(from_logits, z, a, t.y, batch * cols, grad, correct);
    case LossKind::kCce:
    case LossKind::kSparseCce:
      return categorical(from_logits, z, a, t, batch, cols, grad, correct);
  }
  return NAN;
}

}  // namespace gs::nn
