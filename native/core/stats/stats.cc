#include "core/stats/stats.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace gs::stats {

namespace {
bool saturated(nn::Act act, double a, double t) {
  switch (act) {
    case nn::Act::kSigmoid: return a < t || a > 1.0 - t;
    case nn::Act::kTanh: return std::fabs(a) > 1.0 - t;
    default: return false;
  }
}
}  // namespace

void activation_stats(const float* x, size_t rows, size_t cols, nn::Act act, const ActStatsConfig& c,
                      double* out) {
  const size_t n = rows * cols;
  const int bins = c.bins;
  double sum = 0.0, lo = INFINITY, hi = -INFINITY, sat = 0.0, zero = 0.0, bad = 0.0;
  std::vector<char> alive(cols, 0);
  for (size_t i = 0; i < rows; ++i) {
    for (size_t j = 0; j < cols; ++j) {
      const double v = x[i * cols + j];
      if (!std::isfinite(v)) {
        bad += 1.0;
        alive[j] = 1;  // not dead: it is something worse, counted as non-finite
        continue;
      }
      sum += v;
      lo = std::min(lo, v);
      hi = std::max(hi, v);
      if (v == 0.0) {
        zero += 1.0;
      } else {
        alive[j] = 1;
      }
      if (saturated(act, v, c.saturation)) sat += 1.0;
    }
  }
  const double finite = static_cast<double>(n) - bad;
  const double mean = finite > 0 ? sum / finite : 0.0;
  double ss = 0.0;
  for (size_t i = 0; i < n; ++i) {
    const double v = x[i];
    if (std::isfinite(v)) ss += (v - mean) * (v - mean);
  }
  double dead = 0.0;
  for (size_t j = 0; j < cols; ++j) dead += alive[j] ? 0.0 : 1.0;
  out[kMean] = mean;
  out[kStd] = finite > 0 ? std::sqrt(ss / finite) : 0.0;
  out[kMin] = finite > 0 ? lo : 0.0;
  out[kMax] = finite > 0 ? hi : 0.0;
  out[kSaturated] = finite > 0 ? sat / finite : 0.0;
  out[kZero] = finite > 0 ? zero / finite : 0.0;
  out[kDeadUnits] = rows > 0 && cols > 0 ? dead / static_cast<double>(cols) : 0.0;
  out[kNonFiniteA] = bad;
  double* counts = out + kActStatCount;
  double* edges = counts + bins;
  const double a0 = finite > 0 ? lo : 0.0, a1 = finite > 0 ? hi : 0.0;
  const double width = (a1 - a0) / bins;
  for (int k = 0; k <= bins; ++k) edges[k] = k == bins ? a1 : a0 + width * k;
  for (int k = 0; k < bins; ++k) counts[k] = 0.0;
  for (size_t i = 0; i < n; ++i) {
    const double v = x[i];
    if (!std::isfinite(v)) continue;
    // The last bin is closed on the right so that the maximum is counted.
    int k = width > 0 ? static_cast<int>((v - a0) / width) : 0;
    k = std::min(std::max(k, 0), bins - 1);
    counts[k] += 1.0;
  }
}

void tensor_stats(const float* x, size_t n, double* out) {
  double sum = 0.0, sq = 0.0, mx = 0.0, bad = 0.0;
  for (size_t i = 0; i < n; ++i) {
    const double v = x[i];
    if (!std::isfinite(v)) {
      bad += 1.0;
      continue;
    }
    sum += v;
    sq += v * v;
    mx = std::max(mx, std::fabs(v));
  }
  const double finite = static_cast<double>(n) - bad;
  const double mean = finite > 0 ? sum / finite : 0.0;
  double ss = 0.0;
  for (size_t i = 0; i < n; ++i) {
    const double v = x[i];
    if (std::isfinite(v)) ss += (v - mean) * (v - mean);
  }
  out[kNorm] = std::sqrt(sq);
  out[kTStd] = finite > 0 ? std::sqrt(ss / finite) : 0.0;
  out[kMaxAbs] = mx;
  out[kNonFinite] = bad;
  out[kTMean] = mean;
}

size_t model_stats_size(const nn::Model& m, int bins) {
  return m.depth() * (2 * act_stats_size(bins) + 5 * kTensorStatCount) + kTensorStatCount;
}

void model_stats(const nn::Model& m, const float* x, const ActStatsConfig& c, double* out) {
  const size_t batch = m.batch();
  const size_t act_size = act_stats_size(c.bins);
  for (size_t l = 0; l < m.depth(); ++l) {
    const nn::LayerDesc& d = m.layer(l);
    activation_stats(m.z(l), batch, d.out, nn::Act::kLinear, c, out);
    activation_stats(m.a(l), batch, d.out, d.act, c, out + act_size);
    out += 2 * act_size;
    const auto& w = *m.weight(l);
    tensor_stats(m.grad_w(l), w.size(), out);
    if (d.bias) {
      tensor_stats(m.grad_b(l), d.out, out + kTensorStatCount);
    } else {
      std::fill(out + kTensorStatCount, out + 2 * kTensorStatCount, 0.0);
    }
    tensor_stats(l == 0 ? m.dx0() : m.da(l - 1), batch * d.in, out + 2 * kTensorStatCount);
    tensor_stats(m.da(l), batch * d.out, out + 3 * kTensorStatCount);
    tensor_stats(w.data(), w.size(), out + 4 * kTensorStatCount);
    out += 5 * kTensorStatCount;
  }
  tensor_stats(x, batch * m.in_units(), out);
}

void monitor_stats(const nn::Model& m, double saturation, double* out) {
  const size_t batch = m.batch();
  std::vector<double> sum, sq;
  std::vector<float> sat, alive;
  for (size_t l = 0; l < m.depth(); ++l) {
    const nn::LayerDesc& d = m.layer(l);
    const size_t cols = d.out;
    const float* a = m.a(l);
    sum.assign(cols, 0.0);
    sq.assign(cols, 0.0);
    sat.assign(cols, 0.0f);
    alive.assign(cols, 0.0f);
    const bool sigmoid = d.act == nn::Act::kSigmoid, tanh = d.act == nn::Act::kTanh;
    const float lo = static_cast<float>(saturation), hi = static_cast<float>(1.0 - saturation);
    // rows outer, columns inner: every statistic is a per-column accumulator, so the
    // inner loop vectorises; counts stay exact in float up to 2^24 rows.
    for (size_t i = 0; i < batch; ++i) {
      const float* row = a + i * cols;
      for (size_t j = 0; j < cols; ++j) {
        const float v = row[j];
        sum[j] += v;
        sq[j] += static_cast<double>(v) * v;
        const float mag = tanh ? std::fabs(v) : v;
        sat[j] += (sigmoid && (v < lo || v > hi)) || (tanh && mag > hi) ? 1.0f : 0.0f;
        alive[j] = v != 0.0f ? 1.0f : alive[j];
      }
    }
    double s = 0.0, q = 0.0, nsat = 0.0, dead = 0.0;
    for (size_t j = 0; j < cols; ++j) {
      s += sum[j];
      q += sq[j];
      nsat += sat[j];
      dead += alive[j] == 0.0f ? 1.0 : 0.0;
    }
    const double n = static_cast<double>(batch * cols);
    const double mean = s / n;
    out[kMonGradNorm] = 0.0;
    out[kMonUpdateRatio] = 0.0;
    out[kMonSaturated] = nsat / n;
    out[kMonDead] = dead / static_cast<double>(cols);
    out[kMonActStd] = std::sqrt(std::max(0.0, q / n - mean * mean));
    out += kMonitorStatCount;
  }
}

}  // namespace gs::stats
